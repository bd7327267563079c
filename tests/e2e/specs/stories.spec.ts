// Stories and indicators: a volunteer writes what they noticed offline, tagged to an outcome of
// the activity's theory of change, with a warning on a phone number, and logs the session's hours;
// the coordinator places three indicators under the outcomes and reads indicators and stories per
// outcome; erasing the participant a story names removes it on the phone and the server.
import { expect, test } from "../support/fixtures";
import { storedRecords } from "../support/idb";
import { addPerson, createActivity } from "../support/register";
import { type RunningServer, startServer } from "../support/server";
import { deviceToken, goTo, pair, phone, serverChanges, syncNow } from "../support/sync";

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server.stop();
});

test("offline on a 390 px phone: two stories, a warning on a phone number, read per outcome, erased with the person they name", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await phone(context);
  await pair(page, server.url, server.coordinatorCode, "Caféens telefon");
  await goTo(page, "I dag");
  await createActivity(page, "Torsdagscafé");
  await addPerson(page, "Karen");
  await addPerson(page, "Ole");

  // The café's theory of change, with one outcome in the short run and one in the long.
  await goTo(page, "Aktiviteter");
  await page.getByRole("link", { name: "Forandringsteori" }).click();
  await page.getByLabel("Forandringsteori for").selectOption({ label: "Torsdagscafé" });
  await page.getByRole("button", { name: "Skriv en forandringsteori" }).click();
  await page.getByLabel("Målgruppe").fill("Ældre, der bor alene");
  await page.getByLabel("Det, I gør").fill("En ugentlig café");
  await page.getByRole("button", { name: "Tilføj: Forandringer på kort sigt" }).click();
  await page.getByLabel("Forandringer på kort sigt 1", { exact: true }).fill("Kender nogen at tale med");
  await page.getByRole("button", { name: "Tilføj: Forandringer på lang sigt" }).click();
  await page.getByLabel("Forandringer på lang sigt 1", { exact: true }).fill("Føler sig mindre ensom");
  await page.getByRole("button", { name: "Gem som ny version" }).click();
  await expect(page.getByTestId("theory-version")).toContainText("Version 1");

  // Karen says yes to being named in stories; Ole does not.
  await goTo(page, "Aktiviteter");
  const karen = page.getByTestId("participant-item").filter({ hasText: "Karen" });
  await karen.getByRole("button", { name: "Redigér Karen" }).click();
  await page.getByLabel("Må nævnes i de frivilliges fortællinger").check();
  await page.getByRole("button", { name: "Gem deltageren" }).click();
  await expect(page.getByTestId("activities-message")).toHaveText("Karen er gemt.");

  await context.setOffline(true);
  await goTo(page, "I dag");
  const card = page.getByTestId("story-card");
  await card.getByRole("button", { name: "Skriv en iagttagelse" }).click();
  await card.getByLabel("Din iagttagelse").fill("Karen fortalte, at hun har fået en veninde i caféen.");
  await card.getByLabel("Hvilken forandring er det et tegn på?").selectOption({ label: "Kender nogen at tale med" });
  const named = card.getByLabel("Handler den om en bestemt deltager?");
  await expect(named.locator("option")).toHaveText(["Ingen bestemt", "Karen"]);
  await named.selectOption({ label: "Karen" });
  await card.getByRole("button", { name: "Gem iagttagelsen" }).click();
  await expect(card.getByTestId("story-outcome")).toHaveText("Gemt. Den sendes til koordinatoren, næste gang telefonen har forbindelse.");

  await card.getByRole("button", { name: "Skriv en iagttagelse" }).click();
  await card.getByLabel("Din iagttagelse").fill("Ole gav mig sit nummer, 20 30 40 50, så vi kan ringe");
  await expect(card.getByTestId("story-warning")).toHaveText(
    "Det ser ud, som om teksten indeholder et telefonnummer. Ret det, før du gemmer.",
  );
  await card.getByLabel("Din iagttagelse").fill("Ole sagde: \"Her er der altid nogen at snakke med.\"");
  await expect(card.getByTestId("story-warning")).toHaveText("");
  await card.getByLabel("Citat").check();
  await card.getByRole("button", { name: "Gem iagttagelsen" }).click();
  await expect(card.getByTestId("story-outcome")).toContainText("Gemt.");

  // The session's volunteers and their hours.
  const session = page.getByTestId("session-log");
  await session.getByRole("button", { name: "Registrér frivillige og timer" }).click();
  await session.getByLabel("Antal frivillige").fill("2");
  await session.getByLabel("Frivillige timer i alt").fill("4,5");
  await session.getByRole("button", { name: "Gem" }).click();
  await expect(session.getByTestId("session-log-summary")).toHaveText("2 frivillige, 4,5 timer i alt.");

  // Three indicators under the two outcomes: counted and told.
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Udvikling" }).click();
  await page.getByRole("form", { name: "Vis udviklingen for" }).getByLabel("Aktivitet").selectOption({ label: "Torsdagscafé" });
  const goals = page.getByRole("region", { name: "Mål" });
  for (const [what, under, target] of [
    ["Fortællinger om forandringen", "Kender nogen at tale med", "1"],
    ["Forskellige deltagere i perioden", "Kender nogen at tale med", "5"],
    ["Frivilliges timer i perioden", "Føler sig mindre ensom", "3"],
  ]) {
    await goals.getByLabel("Hvad").selectOption({ label: what });
    await goals.getByLabel("Indikator for forandringen").selectOption({ label: under });
    await goals.getByLabel("Mål", { exact: true }).fill(target);
    await goals.getByRole("button", { name: "Gem målet" }).click();
    await expect(page.getByTestId("goals-message")).toHaveText("Målet er gemt.");
  }
  await expect(page.getByTestId("goal-list").locator("li")).toHaveCount(3);

  // The coordinator reads them per outcome, and marks Karen's for the report.
  const stories = page.getByTestId("stories");
  const shortTerm = stories.locator(".story-group").filter({ hasText: "Kender nogen at tale med" });
  await expect(shortTerm).toContainText("Fortællinger om forandringen: mindst 1");
  await expect(shortTerm).toContainText("✓ Nået: 1");
  await expect(shortTerm).toContainText("Forskellige deltagere i perioden: mindst 5");
  await expect(shortTerm).toContainText("✗ Ikke nået: 2");
  const longTerm = stories.locator(".story-group").filter({ hasText: "Føler sig mindre ensom" });
  await expect(longTerm).toContainText("Frivilliges timer i perioden: mindst 3");
  await expect(longTerm).toContainText("✓ Nået: 4,5");
  const tagged = stories.locator(".story-group").filter({ hasText: "Kender nogen at tale med" });
  await expect(tagged).toContainText("veninde i caféen");
  await expect(stories.locator(".story-group").filter({ hasText: "Ikke knyttet til en forandring" })).toContainText("altid nogen at snakke med");
  await tagged.getByLabel("Kan bruges i rapporter").check();
  await expect(page.getByTestId("stories-message")).toHaveText("Markeret til rapporter.");

  await context.setOffline(false);
  await syncNow(page);
  const token = await deviceToken(page);
  expect(JSON.stringify(await serverChanges(server.url, token))).toContain("veninde i caféen");

  // Erasing Karen takes her story with her, here and on the server; Ole's stays.
  await goTo(page, "Aktiviteter");
  await karen.getByRole("button", { name: "Slet persondata" }).click();
  await page.getByRole("button", { name: "Ja, slet Karen" }).click();
  await expect(page.getByTestId("activities-message")).toHaveText("Persondata er slettet. Fremmødet tæller stadig med.");
  await syncNow(page);
  const stored = JSON.stringify(await storedRecords(page, ["stories", "outbox", "dead_letters"]));
  expect(stored).not.toContain("veninde");
  expect(stored).toContain("altid nogen at snakke med");
  const onServer = JSON.stringify(await serverChanges(server.url, token));
  expect(onServer).not.toContain("veninde");
  expect(onServer).toContain("altid nogen at snakke med");
  await context.close();
});
