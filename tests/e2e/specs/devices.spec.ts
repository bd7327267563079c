import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { takeBack } from "../support/handover";
import { storedRecords } from "../support/idb";
import { addPerson, createActivity, localDate } from "../support/register";
import { type RunningServer, startServer } from "../support/server";
import { deviceToken, fieldValues, pair, pairingCode, phone, serverChanges, syncNow } from "../support/sync";

// Each test pairs its phones with a server of its own (the first coordinator code is single-use).
let server: RunningServer;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.stop();
});

const DAY_MS = 24 * 60 * 60 * 1000;

async function openSettings(page: Page) {
  await page.getByRole("link", { name: "Indstillinger" }).click();
}

test("a phone used alone with its clock three days ahead pairs later: all it recorded reaches the organisation, and it is told to set its clock", async ({
  browser,
}) => {
  const context = await browser.newContext();
  await context.clock.install({ time: Date.now() + 3 * DAY_MS });
  const page = await phone(context);

  // Used alone first: no server, so nothing to compare its clock with.
  await page.goto(server.url);
  await createActivity(page, "Gåtur");
  await addPerson(page, "Bent");
  await addPerson(page, "Kim");
  const warning = page.getByTestId("clock-warning");
  await expect(warning).toHaveCount(0);

  // Its first sync takes everything into the organisation as the phone dated it: nothing refused.
  await pair(page, server.url, server.coordinatorCode, "Telefon med forkert ur");
  await expect(page.getByTestId("sync-waiting")).toHaveText("0 ændringer");
  await expect(page.getByText("Serveren har ikke afvist noget.")).toBeVisible();
  const phoneToday = await localDate(page, 0);
  const changes = await serverChanges(server.url, await deviceToken(page));
  const checkIns = changes.filter((change) => change.type === "check_in");
  expect(checkIns.map((change) => (change.attendance as { date: string }).date)).toEqual([phoneToday, phoneToday]);
  expect(fieldValues(changes)).toEqual(expect.arrayContaining(["Gåtur", "Bent", "Kim"]));

  // That sync told the clocks apart: the warning is on every page, in the user's language.
  await expect(warning).toContainText("Enhedens ur er omkring 3 døgn foran serverens.");
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "I dag" }).click();
  await expect(warning).toBeVisible();
  await openSettings(page);
  await page.getByRole("radio", { name: "English" }).check();
  await expect(warning).toContainText("This device's clock is about 3 days ahead of the server's.");
  await context.close();
});

test("a removed phone deletes the organisation's data at its next sync, without a tap, and says why", async ({ browser }) => {
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [coordinator, volunteer] = await Promise.all(contexts.map(phone));
  await pair(coordinator, server.url, server.coordinatorCode, "Koordinatorens telefon");
  const code = await pairingCode(server.url, await deviceToken(coordinator), "volunteer");
  await pair(volunteer, server.url, code, "Lånt telefon");
  await expect(volunteer.getByTestId("clock-warning")).toHaveCount(0);

  // The volunteer's registrations reach the server before the phone is lost.
  await createActivity(volunteer, "Strikkeklub");
  await addPerson(volunteer, "Inge");
  await openSettings(volunteer);
  await volunteer.getByRole("button", { name: "Synkronisér nu" }).click();
  await expect(volunteer.getByTestId("sync-waiting")).toHaveText("0 ændringer");

  // The coordinator removes it, after a question.
  await coordinator.reload();
  const borrowed = coordinator.getByTestId("device-item").filter({ hasText: "Lånt telefon" });
  await borrowed.getByRole("button", { name: "Fjern Lånt telefon" }).click();
  await coordinator.getByRole("button", { name: "Ja, fjern Lånt telefon" }).click();
  await expect(borrowed).toContainText("fjernet");

  // Offline meanwhile, the phone records one more check-in; back online, its next sync is refused,
  // and the organisation's data goes at once, without anyone touching the phone.
  await contexts[1].setOffline(true);
  await volunteer.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "I dag" }).click();
  await addPerson(volunteer, "Jens");
  await contexts[1].setOffline(false);
  const banner = volunteer.getByTestId("revoked-banner");
  await expect(banner).toContainText(
    "En koordinator har fjernet denne enhed fra foreningen, så Spor har slettet foreningens data fra den.",
  );
  const stored = await storedRecords(volunteer, ["activities", "participants", "attendance", "outbox"]);
  expect(Object.values(stored).flat()).toEqual([]);
  for (const [name, page] of [["I dag", "/"], ["Aktiviteter", "/activities"], ["Udvikling", "/trends"]]) {
    await volunteer.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name }).click();
    await expect(volunteer).toHaveURL(new RegExp(`${page}$`));
    for (const gone of ["Strikkeklub", "Inge", "Jens"]) await expect(volunteer.getByText(gone, { exact: true })).toHaveCount(0);
  }
  await openSettings(volunteer);
  await expect(volunteer.getByTestId("sync-section")).toContainText("Denne enhed gemmer kun data her på enheden, også svar på spørgeskemaer.");

  // Read once, the notice goes, also after a reload.
  await banner.getByRole("button", { name: "Forstået" }).click();
  await expect(banner).toHaveCount(0);
  await volunteer.reload();
  await expect(volunteer.getByTestId("sync-section")).toBeVisible();
  await expect(banner).toHaveCount(0);

  // What it synced before it was removed stays with the organisation; what it never sent is gone.
  const names = fieldValues(await serverChanges(server.url, await deviceToken(coordinator)));
  expect(names).toContain("Inge");
  expect(names).not.toContain("Jens");
  for (const context of contexts) await context.close();
});

test("a coordinator sees the codes not used yet and cancels one, which then pairs nobody", async ({ browser }) => {
  const context = await browser.newContext();
  const coordinator = await phone(context);
  await pair(coordinator, server.url, server.coordinatorCode, "Koordinatorens telefon");
  await openSettings(coordinator);
  const section = coordinator.getByTestId("devices-section");
  await expect(section).toContainText("Ingen åbne koder.");

  await section.getByLabel("Rolle for den nye enhed").selectOption("kiosk");
  await section.getByRole("button", { name: "Lav en parringskode" }).click();
  const code = (await section.getByTestId("pairing-code").textContent())!.trim();
  const open = section.getByTestId("open-code");
  await expect(open).toHaveCount(1);
  await expect(open).toContainText("Kode til rollen Kiosk, virker til");
  await expect(open).toContainText("lavet af Koordinatorens telefon");
  await expect(open).not.toContainText(code);

  await open.getByRole("button", { name: /^Annullér koden til rollen Kiosk, der virker til/ }).click();
  await expect(section).toContainText("Ingen åbne koder.");
  await expect(section.getByTestId("pairing-code")).toHaveCount(0);
  const answer = await fetch(`${server.url}/api/v1/pair`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-spor-protocol": "1" },
    body: JSON.stringify({ code }),
  });
  expect(answer.status).toBe(400);
  await context.close();
});

test("a volunteer's phone keeps an answer only until the server has it, and shows and exports no survey figures", async ({
  browser,
}) => {
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [coordinator, volunteer] = await Promise.all(contexts.map(phone));
  await pair(coordinator, server.url, server.coordinatorCode, "Koordinatorens telefon");
  await pair(volunteer, server.url, await pairingCode(server.url, await deviceToken(coordinator), "volunteer"), "Frivilligs telefon");

  // Someone came, and a participant answers the WHO-5 on the volunteer's phone.
  await createActivity(volunteer, "Strikkeklub");
  await addPerson(volunteer, "Inge");
  await volunteer.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Spørgeskema" }).click();
  await volunteer.getByRole("button", { name: "Giv telefonen videre" }).click();
  await volunteer.getByRole("button", { name: "Dansk" }).click();
  const answers = ["Hele tiden", "Det meste af tiden", "Lidt mere end halvdelen af tiden", "Lidt af tiden", "Lidt af tiden"];
  for (const answer of answers) {
    await volunteer.getByRole("button", { name: answer, exact: true }).click();
  }
  await volunteer.getByRole("button", { name: "Send mine svar" }).click();
  await takeBack(volunteer);

  // Once the server has it, it is gone from the phone; the coordinator has it.
  await openSettings(volunteer);
  await volunteer.getByRole("button", { name: "Synkronisér nu" }).click();
  await expect(volunteer.getByTestId("sync-waiting")).toHaveText("0 ændringer");
  await expect.poll(async () => (await storedRecords(volunteer, ["responses"])).responses).toEqual([]);
  const changes = await serverChanges(server.url, await deviceToken(coordinator));
  expect(changes.filter((change) => change.type === "survey_response")).toHaveLength(1);

  // The coordinator sees the WHO-5 in Trends and may export answers; the volunteer sees neither.
  await coordinator.reload();
  await coordinator.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Udvikling" }).click();
  await expect(coordinator.getByTestId("chart-who5")).toHaveCount(1);
  await expect(coordinator.getByRole("button", { name: "Besvarelser som CSV" })).toBeVisible();
  await volunteer.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Udvikling" }).click();
  await expect(volunteer.getByTestId("chart-participants")).toBeVisible();
  await expect(volunteer.getByTestId("chart-who5")).toHaveCount(0);
  await expect(volunteer.getByRole("button", { name: "Besvarelser som CSV" })).toHaveCount(0);
  for (const context of contexts) await context.close();
});

test("a coordinator writes the privacy notice, and its poster's QR code opens it for anyone, without the app", async ({ browser }) => {
  const context = await browser.newContext();
  const coordinator = await phone(context);
  await pair(coordinator, server.url, server.coordinatorCode, "Koordinatorens telefon");
  await openSettings(coordinator);
  const text = coordinator.getByLabel("Erklæringen (afsnit adskilles af en tom linje; det første er overskriften)");
  await expect(text).toHaveValue(/^Sådan passer vi på dine oplysninger\n\nHvad vi skriver ned:/);
  await text.fill("Om dine data i Café Nord\n\nVi skriver kun kaldenavne ned. Spørg Eva, hvis du vil have noget slettet.");
  await coordinator.getByRole("button", { name: "Gem erklæringen" }).click();
  await expect(coordinator.getByTestId("privacy-message")).toHaveText("Erklæringen er gemt.");

  const poster = coordinator.getByTestId("privacy-poster");
  await expect(poster).toBeHidden();
  const link = (await poster.locator(".link-text").textContent())!.trim();
  expect(link).toMatch(new RegExp(`^${server.url}/privacy/[0-9a-f-]{36}$`));
  // Printed, the poster is all there is on the page.
  await coordinator.emulateMedia({ media: "print" });
  await expect(poster).toBeVisible();
  await expect(poster.getByRole("heading", { level: 1 })).toHaveText("Om dine data i Café Nord");
  await expect(poster.getByRole("img", { name: "QR-kode til privatlivserklæringen" })).toBeVisible();
  await expect(coordinator.getByLabel("Erklæringen (afsnit adskilles af en tom linje; det første er overskriften)")).toBeHidden();
  await expect(coordinator.getByTestId("sync-section")).toBeHidden();
  await coordinator.emulateMedia({ media: "screen" });
  await syncNow(coordinator);

  // A participant's own phone, which never opened Spor: the page the QR code names.
  const participant = await (await browser.newContext()).newPage();
  await participant.goto(link);
  await expect(participant.getByRole("heading", { level: 1 })).toHaveText("Om dine data i Café Nord");
  await expect(participant.getByText("Vi skriver kun kaldenavne ned.")).toBeVisible();
  await participant.context().close();
  await context.close();
});
