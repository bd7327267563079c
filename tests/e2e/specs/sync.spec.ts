import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "../support/fixtures";
import { addPerson, count, createActivity, expectSummary, localDate, row } from "../support/register";
import { type RunningServer, startServer } from "../support/server";
import { deviceToken, goTo, pair, phone, serverChanges, syncNow } from "../support/sync";

// Two phones paired to one server of their own (its first coordinator code is single-use).
let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server.stop();
});

test("two phones register offline at one activity and end with the same, de-duplicated data", async ({ browser }) => {
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [a, b] = await Promise.all(contexts.map(phone));

  // The coordinator's phone pairs with the first code; it makes a code for the volunteer's phone,
  // which opens the pairing link.
  await pair(a, server.url, server.coordinatorCode, "Telefon A");
  await expect(a.getByTestId("sync-role")).toHaveText("Koordinator");
  await a.getByLabel("Rolle for den nye enhed").selectOption("volunteer");
  await a.getByRole("button", { name: "Lav en parringskode" }).click();
  await expect(a.getByRole("img", { name: "QR-kode med parringslinket" })).toBeVisible();
  const code = (await a.getByTestId("pairing-code").textContent())!.trim();
  const results = await new AxeBuilder({ page: a }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);
  await pair(b, server.url, code, "Telefon B");
  await expect(b.getByTestId("sync-role")).toHaveText("Frivillig");
  await expect(a.getByTestId("device-item")).toHaveCount(1);

  // The café and its regulars, registered last week on A, reach B.
  await goTo(a, "I dag");
  await createActivity(a, "Torsdagscafé");
  await a.getByLabel("Dato").fill(await localDate(a, -7));
  await addPerson(a, "Søren");
  await addPerson(a, "Åse");
  await syncNow(a);
  await syncNow(b);
  await goTo(b, "I dag");
  await expect(b.getByTestId("roster-row")).toHaveCount(2);

  // Both offline: both check Søren in; A counts one anonymous guest; B checks Åse in and adds Ali.
  await goTo(a, "I dag");
  for (const context of contexts) await context.setOffline(true);
  await row(a, "Søren").getByRole("button", { name: "Søren", exact: true }).click();
  await count(a, "Bruger", 1);
  await expectSummary(a, { named: 1, anonymous: 1 });
  await row(b, "Søren").getByRole("button", { name: "Søren", exact: true }).click();
  await row(b, "Åse").getByRole("button", { name: "Åse", exact: true }).click();
  await addPerson(b, "Ali");
  await expectSummary(b, { named: 3, anonymous: 0 });
  await expect(a.getByTestId("status-chip")).toHaveText(/Offline · 2 ikke synkroniseret/);
  await expect(b.getByTestId("status-chip")).toHaveText(/Offline · 4 ikke synkroniseret/);

  // Back online: each sends by itself; a second round brings each the other's.
  for (const context of contexts) await context.setOffline(false);
  for (const page of [a, b]) await expect(page.getByTestId("status-chip")).toContainText("Synkroniseret kl.");
  for (const page of [a, b, a]) await syncNow(page);
  for (const page of [a, b]) {
    await goTo(page, "I dag");
    await expect(page.getByTestId("roster-row")).toHaveCount(3);
    await expectSummary(page, { named: 3, anonymous: 1, total: 4 });
    for (const name of ["Søren", "Åse", "Ali"]) {
      await expect(row(page, name).getByRole("button", { name, exact: true })).toHaveAttribute("aria-pressed", "true");
    }
  }

  // The server holds each record once: Søren's two offline check-ins are one.
  const changes = await serverChanges(server.url, await deviceToken(a));
  const today = await localDate(a, 0);
  const checkIns = changes.filter((change) => change.type === "check_in");
  const todays = checkIns.filter((change) => (change.attendance as { date: string }).date === today);
  expect(todays).toHaveLength(3);
  expect(checkIns).toHaveLength(5);
  expect(changes.filter((change) => change.type === "headcount")).toHaveLength(1);
  for (const context of contexts) await context.close();
});
