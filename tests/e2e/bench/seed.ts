// The benchmarks' data: one activity, 1,000 people on its roster and 10,000 past check-ins, as a
// backup file the app imports (which also queues every record for sync).
import { randomBytes } from "node:crypto";

export const PARTICIPANTS = 1_000;
export const WEEKS = 10;
/** Records the backup adds: the activity, the people and their check-ins. */
export const RECORDS = 1 + PARTICIPANTS + PARTICIPANTS * WEEKS;

/** A UUID v7 for a record made at `ms`, as the app's ids are (`Uuid::now_v7`): time first. */
function uuidV7(ms: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A backup with one activity, 1,000 people on its roster and 10,000 past check-ins, with ids as
 * the app makes them. */
export function seed(today: string) {
  const names = ["Søren", "Åse", "Bjørn", "Mette", "Ali", "Karen", "Jens", "Fatima", "Ole", "Grete"];
  const rosterMade = Date.parse(`${today}T12:00:00Z`) - 7 * (WEEKS + 1) * 86_400_000;
  const device = uuidV7(rosterMade - 2);
  const activity = uuidV7(rosterMade - 1);
  const participants = Array.from({ length: PARTICIPANTS }, (_, i) => ({
    id: uuidV7(rosterMade + i),
    pseudonym: `${names[i % names.length]} ${String(i).padStart(4, "0")}`,
    default_role: "bruger",
    activities: [activity],
  }));
  const attendance = [];
  for (let week = WEEKS; week >= 1; week--) {
    const date = new Date(`${today}T12:00:00Z`);
    date.setUTCDate(date.getUTCDate() - 7 * week);
    for (const [i, participant] of participants.entries()) {
      attendance.push({
        id: uuidV7(date.getTime() + i * 1000),
        participant: participant.id,
        activity,
        date: date.toISOString().slice(0, 10),
        role: "bruger",
        recorded_at: date.toISOString(),
        recorded_by: device,
      });
    }
  }
  return {
    format: "spor-backup",
    version: 1,
    exported_at: new Date().toISOString(),
    device,
    activities: [{ id: activity, name: "Benchmark-café", roles: ["bruger", "deltager", "frivillig"] }],
    participants,
    attendance,
  };
}
