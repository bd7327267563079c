// Nothing lost, nothing duplicated under a bad network: two phones with 2,000 check-ins and 500
// survey responses between them sync through a proxy that drops connections before and after the
// server commits, delays, answers 500/502/503, truncates answers and delivers requests twice, by a
// seeded schedule. Replay a failing seed with SPOR_FAULT_SEEDS=<seed> (see docs/RELIABILITY.md).
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { type Fault, startFaultProxy } from "../support/fault-proxy";
import { storedRecords } from "../support/idb";
import { addPerson, createActivity, localDate } from "../support/register";
import { startServer } from "../support/server";
import { deviceToken, pair, pairingCode, serverChanges } from "../support/sync";

const SEEDS = (process.env.SPOR_FAULT_SEEDS ?? "1,2,3").split(",").map(Number);
const PEOPLE = 200;
const WEEKS = 10;
/** Check-ins per phone; the last `SHARED` of A's are the first of B's: the same people, the same days. */
const CHECK_INS = 1_000;
const SHARED = 100;
const RESPONSES = 250;
const MAX_ROUNDS = 120;
const WHO5 = "5b0f0000-0000-8000-8000-000000000001";

interface Seeded {
  backups: [object, object];
  /** "participant activity date" of every check-in: what must end up on the server once each. */
  occurrences: Set<string>;
  responses: Set<string>;
}

/** Two phones' backups: one café, its people, and each phone's own check-ins and WHO-5 answers. */
function seedPhones(today: string): Seeded {
  const activity = { id: randomUUID(), name: "Fejlcaféen", roles: ["bruger", "deltager", "frivillig"] };
  const participants = Array.from({ length: PEOPLE }, (_, i) => ({
    id: randomUUID(),
    pseudonym: `Deltager ${String(i + 1).padStart(3, "0")}`,
    default_role: "bruger",
    activities: [activity.id],
  }));
  const day = (weeksAgo: number) => {
    const date = new Date(`${today}T12:00:00Z`);
    date.setUTCDate(date.getUTCDate() - 7 * weeksAgo);
    return date.toISOString().slice(0, 10);
  };
  const occurrences = new Set<string>();
  const responses = new Set<string>();
  const phone = (first: number, offset: number) => {
    const device = randomUUID();
    const attendance = Array.from({ length: CHECK_INS }, (_, n) => {
      const slot = first + n;
      const date = day(1 + Math.floor(slot / PEOPLE));
      const participant = participants[slot % PEOPLE].id;
      occurrences.add(`${participant} ${activity.id} ${date}`);
      return { id: randomUUID(), participant, activity: activity.id, date, role: "bruger", recorded_at: `${date}T12:00:00Z`, recorded_by: device };
    });
    const answered = Array.from({ length: RESPONSES }, (_, n) => {
      const date = day(1 + (n % WEEKS));
      const id = randomUUID();
      responses.add(id);
      const answers = Object.fromEntries([1, 2, 3, 4, 5].map((item) => [`who5_${item}`, { kind: "choice", value: (n + item + offset) % 6 }]));
      return {
        id,
        template: WHO5,
        template_version: 1,
        activity: activity.id,
        date,
        participant: n % 2 === 0 ? participants[n % PEOPLE].id : null,
        answers,
        mode: "self",
        language: "da",
        recorded_at: `${date}T13:00:00Z`,
        recorded_by: device,
      };
    });
    return {
      format: "spor-backup",
      version: 1,
      exported_at: new Date().toISOString(),
      device,
      activities: [activity],
      participants,
      attendance,
      responses: answered,
    };
  };
  const backups: [object, object] = [phone(0, 0), phone(CHECK_INS - SHARED, 1)];
  return { backups, occurrences, responses };
}

interface DeviceState {
  outbox: number;
  deadLetters: number;
  participants: number;
  attendance: string[];
  occurrences: string[];
  responses: string[];
}

/** What the phone's IndexedDB holds, read directly. */
async function deviceState(page: Page): Promise<DeviceState> {
  const stored = await storedRecords(page, ["outbox", "dead_letters", "participants", "attendance", "responses"]);
  return {
    outbox: stored.outbox.length,
    deadLetters: stored.dead_letters.length,
    participants: stored.participants.length,
    attendance: stored.attendance.map((a) => a.id).sort(),
    occurrences: stored.attendance.map((a) => `${a.participant} ${a.activity} ${a.date}`).sort(),
    responses: stored.responses.map((r) => r.id).sort(),
  };
}

async function importBackup(page: Page, backup: object, expectedNew: number) {
  await page.getByLabel("Indlæs sikkerhedskopi").setInputFiles({
    name: "telefon.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(backup)),
  });
  await expect(page.getByTestId("backup-message")).toHaveText(new RegExp(`indlæst: ${expectedNew} nye`), { timeout: 60_000 });
}

for (const seed of SEEDS) {
  test(`two phones sync 2,000 check-ins and 500 responses through injected faults, exactly once (seed ${seed})`, async ({ browser }) => {
    test.setTimeout(300_000);
    const started = Date.now();
    const server = await startServer();
    const proxy = await startFaultProxy(server.url, seed);
    const contexts = [await browser.newContext(), await browser.newContext()];
    try {
      const [a, b] = await Promise.all(contexts.map((context) => context.newPage()));
      // Paired through the proxy, which lets pairing pass: the app talks to its own origin.
      proxy.faulty = false;
      await pair(a, proxy.url, server.coordinatorCode, "Telefon A");
      await pair(b, proxy.url, await pairingCode(server.url, await deviceToken(a)), "Telefon B");

      // Offline, each phone gets its records from a backup file, which queues every one.
      const seeded = seedPhones(await localDate(a, 0));
      for (const context of contexts) await context.setOffline(true);
      const queued = 1 + PEOPLE + CHECK_INS + RESPONSES;
      await importBackup(a, seeded.backups[0], queued);
      await importBackup(b, seeded.backups[1], queued);

      // Back online into a bad network: sync again and again until both phones hold everything.
      proxy.faulty = true;
      for (const context of contexts) await context.setOffline(false);
      const syncNow = (page: Page) => page.getByRole("button", { name: "Synkronisér nu" }).click();
      const converged = (state: DeviceState) =>
        state.outbox === 0 &&
        state.participants === PEOPLE &&
        state.attendance.length === seeded.occurrences.size &&
        state.responses.length === seeded.responses.size;
      let rounds = 0;
      let states: DeviceState[] = [];
      for (; rounds < MAX_ROUNDS; rounds++) {
        for (const page of [a, b]) {
          await syncNow(page);
          await expect(page.getByTestId("status-chip")).not.toHaveText("Synkroniserer …", { timeout: 60_000 });
        }
        states = [await deviceState(a), await deviceState(b)];
        if (states.every(converged)) break;
      }
      expect(rounds, `seed ${seed}: not converged after ${MAX_ROUNDS} rounds: ${JSON.stringify(states.map(({ outbox, deadLetters, attendance, responses }) => ({ outbox, deadLetters, attendance: attendance.length, responses: responses.length })))}`).toBeLessThan(MAX_ROUNDS);

      // Both phones hold the same records, none refused, every check-in once per person and day.
      const [stateA, stateB] = states;
      for (const state of states) {
        expect(state.deadLetters).toBe(0);
        expect(state.occurrences).toEqual([...seeded.occurrences].sort());
        expect(state.responses).toEqual([...seeded.responses].sort());
      }
      expect(stateB.attendance).toEqual(stateA.attendance);

      for (const [fault, times] of Object.entries(proxy.injected)) expect(times, fault).toBeGreaterThan(0);

      // The server holds every record exactly once.
      const changes = await serverChanges(server.url, await deviceToken(a));
      const checkIns = changes.filter((change) => change.type === "check_in").map((change) => change.attendance as { id: string });
      const responses = changes.filter((change) => change.type === "survey_response").map((change) => (change.response as { id: string }).id);
      expect(checkIns.map((attendance) => attendance.id).sort()).toEqual(stateA.attendance);
      expect(responses.sort()).toEqual([...seeded.responses].sort());
      expect(changes.filter((change) => change.type === "check_in")).toHaveLength(seeded.occurrences.size);

      const out = process.env.SPOR_RELIABILITY_OUT;
      if (out) {
        mkdirSync(out, { recursive: true });
        const injected = Object.fromEntries(Object.entries(proxy.injected)) as Record<Fault, number>;
        writeFileSync(
          join(out, `faults-seed-${seed}.json`),
          JSON.stringify({
            seed,
            check_ins: CHECK_INS * 2,
            distinct_check_ins: seeded.occurrences.size,
            responses: RESPONSES * 2,
            server_check_ins: checkIns.length,
            server_responses: responses.length,
            rounds: rounds + 1,
            injected,
            seconds: (Date.now() - started) / 1000,
          }),
        );
      }
    } finally {
      for (const context of contexts) await context.close();
      await proxy.stop();
      await server.stop();
    }
  });
}

test("a server that moved on to a newer protocol asks for an update, and the outbox waits whole until then", async ({ browser }) => {
  const server = await startServer();
  const proxy = await startFaultProxy(server.url, 0);
  proxy.faulty = false;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await pair(page, proxy.url, server.coordinatorCode, "Telefon");
    proxy.protocolMovedOn = true;
    await createActivity(page, "Onsdagsgåtur");
    for (const name of ["Søren", "Åse"]) await addPerson(page, name);

    // Every sync is answered 426: the volunteer is told to update, and nothing leaves the outbox.
    await page.getByRole("link", { name: "Indstillinger" }).click();
    for (let attempt = 0; attempt < 3; attempt++) {
      await page.getByRole("button", { name: "Synkronisér nu" }).click();
      await expect(page.getByTestId("sync-problem")).toContainText("Serveren kræver en nyere version af Spor. Genindlæs siden for at opdatere; intet går tabt.");
    }
    await expect(page.getByTestId("sync-waiting")).toHaveText("5 ændringer");
    await expect(page.getByTestId("status-chip")).toContainText("5 ikke synkroniseret");
    expect((await deviceState(page)).outbox).toBe(5);

    // Updated (here: the server speaks this app's protocol again), everything goes, once.
    proxy.protocolMovedOn = false;
    await page.reload();
    await page.getByRole("button", { name: "Synkronisér nu" }).click();
    await expect(page.getByTestId("sync-waiting")).toHaveText("0 ændringer");
    const changes = await serverChanges(server.url, await deviceToken(page));
    expect(changes.filter((change) => change.type === "check_in")).toHaveLength(2);
  } finally {
    await context.close();
    await proxy.stop();
    await server.stop();
  }
});
