// The benchmarks' data: one activity, 1,000 people on its roster and 10,000 past check-ins, as a
// backup file the app imports (which also queues every record for sync).
import { randomUUID } from "node:crypto";

export const PARTICIPANTS = 1_000;
export const WEEKS = 10;
/** Records the backup adds: the activity, the people and their check-ins. */
export const RECORDS = 1 + PARTICIPANTS + PARTICIPANTS * WEEKS;

/** A backup with one activity, 1,000 people on its roster and 10,000 past check-ins. */
export function seed(today: string) {
  const device = randomUUID();
  const activity = randomUUID();
  const names = ["Søren", "Åse", "Bjørn", "Mette", "Ali", "Karen", "Jens", "Fatima", "Ole", "Grete"];
  const participants = Array.from({ length: PARTICIPANTS }, (_, i) => ({
    id: randomUUID(),
    pseudonym: `${names[i % names.length]} ${String(i).padStart(4, "0")}`,
    default_role: "bruger",
    activities: [activity],
  }));
  const attendance = [];
  for (let week = 1; week <= WEEKS; week++) {
    const date = new Date(`${today}T12:00:00Z`);
    date.setUTCDate(date.getUTCDate() - 7 * week);
    for (const participant of participants) {
      attendance.push({
        id: randomUUID(),
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
