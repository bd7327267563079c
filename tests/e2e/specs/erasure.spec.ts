// Erasure that cannot be undone, across phones: a participant merged into another, the kept one
// erased, and a phone that edited the merged one offline. In the end the names are on no phone, not
// on the server, not in a new backup and not among the refused changes.
import { readFile } from "node:fs/promises";
import { expect, test } from "../support/fixtures";
import { storedRecords } from "../support/idb";
import { addPerson, createActivity } from "../support/register";
import { type RunningServer, startServer } from "../support/server";
import { deviceToken, fieldValues, goTo, pair, pairingCode, phone, serverChanges, syncNow } from "../support/sync";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server.stop();
});

const NAMES = ["Karsten", "Kalle"];
const EVERY_STORE = [
  "activities",
  "participants",
  "attendance",
  "attendance_events",
  "headcounts",
  "responses",
  "outbox",
  "dead_letters",
];

test("after a merge and an erasure the names are on no phone, server, backup or refused change", async ({ browser }) => {
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [a, b] = await Promise.all(contexts.map(phone));
  await pair(a, server.url, server.coordinatorCode, "Telefon A");
  await pair(b, server.url, await pairingCode(server.url, await deviceToken(a)), "Telefon B");

  await goTo(a, "I dag");
  await createActivity(a, "Torsdagscafé");
  for (const name of NAMES) await addPerson(a, name);
  await syncNow(a);
  await syncNow(b);

  // B, offline, edits Kalle's nickname: the edit waits in B's outbox.
  await contexts[1].setOffline(true);
  await goTo(b, "Aktiviteter");
  const kalle = b.getByTestId("participant-item").filter({ hasText: "Kalle" });
  await kalle.getByRole("button", { name: "Redigér Kalle" }).click();
  await b.getByLabel("Kaldenavn eller initialer").fill("Kalle B");
  await b.getByRole("button", { name: "Gem deltageren" }).click();
  await expect(b.getByTestId("activities-message")).toHaveText("Kalle B er gemt.");

  // A merges Kalle into Karsten and erases Karsten.
  await goTo(a, "Aktiviteter");
  const merged = a.getByTestId("participant-item").filter({ has: a.getByRole("heading", { name: "Kalle", exact: true }) });
  await merged.getByRole("button", { name: "Læg sammen med …" }).click();
  await merged.getByLabel("Samme person som").selectOption({ label: "Karsten" });
  await merged.getByRole("button", { name: "Læg Kalle sammen med Karsten" }).click();
  // A linked phone merges when the server passes the merge back (the server orders merges).
  await expect(a.getByTestId("activities-message")).toHaveText("Kalle lægges sammen med Karsten, så snart telefonen har kontakt med serveren.");
  await expect(merged).toHaveCount(0);
  const kept = a.getByTestId("participant-item").filter({ hasText: "Karsten" });
  await kept.getByRole("button", { name: "Slet persondata" }).click();
  await a.getByRole("button", { name: "Ja, slet Karsten" }).click();
  await expect(a.getByTestId("activities-message")).toHaveText("Persondata er slettet. Fremmødet tæller stadig med.");
  await syncNow(a);

  // B comes back: its edit is refused (the person is erased), then the erasure reaches B.
  await contexts[1].setOffline(false);
  await syncNow(b);

  for (const page of [a, b]) {
    const stored = await storedRecords(page, EVERY_STORE);
    for (const name of NAMES) expect(JSON.stringify(stored), `${name} on a phone`).not.toContain(name);
    // B's refused edit carried a name: the erasure scrubbed it from the refused changes too.
    expect(stored.dead_letters).toHaveLength(0);
  }
  const onServer = JSON.stringify(fieldValues(await serverChanges(server.url, await deviceToken(a))));
  for (const name of NAMES) expect(onServer, `${name} on the server`).not.toContain(name);

  await b.getByRole("link", { name: "Indstillinger" }).click();
  const [download] = await Promise.all([b.waitForEvent("download"), b.getByRole("button", { name: "Gem sikkerhedskopi" }).click()]);
  const backup = await readFile(await download.path(), "utf8");
  expect(backup).toContain("Torsdagscafé");
  for (const name of NAMES) expect(backup, `${name} in a new backup`).not.toContain(name);
  for (const context of contexts) await context.close();
});
