// A common standard with room for local variation: an umbrella publishes a package from its own
// theory of change and indicators; two member organisations, each on its own phone, adopt it for
// an activity, find the core locked and add an indicator of their own; their figures files come
// together on the umbrella's comparison page, where a small member's count is hidden and so is the
// one that would give it away from the total. A newer version says what changed and updates on a tap.
import { readFileSync, writeFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { addPerson, createActivity } from "../support/register";
import { pair } from "../support/sync";

const PACKAGE = "Fællesskab mod ensomhed";

async function newPhone(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto("/");
  return page;
}

/** Clicks, and keeps the file it downloads in the test's output (past its phone's context). */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ path: string; name: string }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  const path = test.info().outputPath(`${crypto.randomUUID()}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return { path, name: download.suggestedFilename() };
}

async function addIndicator(page: Page, activity: string, what: string, target: string, under?: string) {
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Udvikling" }).click();
  await page.getByRole("form", { name: "Vis udviklingen for" }).getByLabel("Aktivitet", { exact: true }).selectOption({ label: activity });
  const goals = page.getByRole("region", { name: "Mål" });
  await goals.getByLabel("Hvad").selectOption({ label: what });
  if (under) await goals.getByLabel("Indikator for forandringen").selectOption({ label: under });
  await goals.getByLabel("Mål", { exact: true }).fill(target);
  await goals.getByRole("button", { name: "Gem målet" }).click();
  await expect(page.getByTestId("goal-list")).toContainText(what);
}

test("an umbrella's package adopted by two members, each with its own indicator, and their figures side by side", async ({ browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);

  // The umbrella writes its theory of change and two indicators for an activity of its own.
  const umbrella = await newPhone(browser, baseURL);
  await createActivity(umbrella, "Landsforeningens standard");
  await umbrella.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();
  await umbrella.getByRole("link", { name: "Forandringsteori" }).click();
  await umbrella.getByLabel("Forandringsteori for").selectOption({ label: "Landsforeningens standard" });
  await umbrella.getByRole("button", { name: "Skriv en forandringsteori" }).click();
  await umbrella.getByLabel("Målgruppe").fill("Mennesker, der bor alene og savner nogen at tale med");
  await umbrella.getByLabel("Det, I gør").fill("Faste mødesteder drevet af frivillige");
  await umbrella.getByRole("button", { name: "Tilføj: Forandringer på kort sigt" }).click();
  await umbrella.getByLabel("Forandringer på kort sigt 1", { exact: true }).fill("Kender nogen at tale med");
  await umbrella.getByRole("button", { name: "Tilføj: Forandringer på lang sigt" }).click();
  await umbrella.getByLabel("Forandringer på lang sigt 1", { exact: true }).fill("Føler sig mindre ensom");
  await umbrella.getByRole("button", { name: "Gem som ny version" }).click();
  await expect(umbrella.getByTestId("theory-message")).toHaveText("Version 1 er gemt. Den forrige er bevaret.");
  await addIndicator(umbrella, "Landsforeningens standard", "Forskellige deltagere i perioden", "5", "Kender nogen at tale med");
  await addIndicator(umbrella, "Landsforeningens standard", "Fortællinger om forandringen", "2", "Føler sig mindre ensom");

  // It publishes them as a package, asking for two of the status report's sections.
  await umbrella.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();
  await umbrella.getByRole("link", { name: "Forandringsteori" }).click();
  await umbrella.getByRole("link", { name: "Fælles standard" }).click();
  await expect(umbrella.getByRole("heading", { level: 1, name: "Fælles standard" })).toBeVisible();
  const publish = umbrella.getByTestId("publish-section");
  await publish.getByLabel("Aktivitet", { exact: true }).selectOption({ label: "Landsforeningens standard" });
  await publish.getByLabel("Pakkens navn").fill(PACKAGE);
  await publish.getByLabel("Udgiver").fill("Landsforeningen");
  for (const section of ["Aktiviteter gennemført", "Refleksioner og justeringer", "Frivillige og deres indsats"]) {
    await publish.getByLabel(section).uncheck();
  }
  const first = await downloaded(umbrella, () => publish.getByRole("button", { name: "Hent pakkefilen" }).click());
  expect(first.name).toBe("spor-standard-fællesskab-mod-ensomhed-v1.json");
  const published = JSON.parse(readFileSync(first.path, "utf8"));
  expect(published.format).toBe("spor-standard-package");
  expect(published.package.theory.outcomes.map((o: { text: string }) => o.text)).toEqual([
    "Kender nogen at tale med",
    "Føler sig mindre ensom",
  ]);
  expect(published.package.indicators).toHaveLength(2);
  expect(published.package.report).toEqual([{ shape: "status_report", sections: ["reach", "results"] }]);
  expect((await new AxeBuilder({ page: umbrella }).analyze()).violations).toEqual([]);

  // Two members, on phones of their own: six people came to one, three to the other.
  const files: string[] = [];
  for (const [member, people] of [
    ["Mødrehjælpen Vest", ["Ane", "Bo", "Cem", "Dorte", "Eva", "Finn"]],
    ["Sorggruppen Nord", ["Gitte", "Hans", "Ida"]],
  ] as const) {
    const phone = await newPhone(browser, baseURL);
    await createActivity(phone, "Tirsdagsgruppe");
    for (const name of people) await addPerson(phone, name);

    // A changed file is refused and nothing is adopted.
    await phone.goto("/standard");
    const adopt = phone.getByTestId("adopt-section");
    const tampered = testInfo.outputPath(`tampered-${member}.json`);
    writeFileSync(tampered, readFileSync(first.path, "utf8").replace('"target": 5.0', '"target": 1.0'));
    await adopt.getByLabel("Vælg en pakkefil").setInputFiles(tampered);
    await expect(phone.getByTestId("adopt-message")).toContainText("Pakken er ændret, efter den blev udgivet");
    await expect(adopt.getByTestId("package-summary")).toHaveCount(0);

    await adopt.getByLabel("Vælg en pakkefil").setInputFiles(first.path);
    await expect(adopt.getByTestId("package-summary")).toHaveText(
      `${PACKAGE}, version 1, udgivet af Landsforeningen: 2 fælles forandringer, 2 indikatorer og 0 spørgeskemaer.`,
    );
    await adopt.getByLabel("Aktivitet", { exact: true }).selectOption({ label: "Tirsdagsgruppe" });
    await adopt.getByRole("button", { name: "Følg standarden" }).click();
    await expect(phone.getByTestId("adopt-message")).toHaveText(`Tirsdagsgruppe følger nu ${PACKAGE}, version 1.`);

    // The core indicators are locked; the member's own indicator beside them is its own to delete.
    await addIndicator(phone, "Tirsdagsgruppe", "Fremmøde pr. gang", "4");
    await expect(phone.getByTestId("core-indicator")).toHaveCount(2);
    await expect(phone.getByTestId("core-indicator").first()).toHaveText(`Fælles indikator fra ${PACKAGE}: låst`);
    await expect(phone.getByTestId("goal-list").getByRole("button", { name: /^Slet målet/ })).toHaveCount(1);

    // In the theory of change the core outcomes are shown, not edited; a local one goes beside them.
    await phone.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();
    await phone.getByRole("link", { name: "Forandringsteori" }).click();
    await phone.getByLabel("Forandringsteori for").selectOption({ label: "Tirsdagsgruppe" });
    await phone.getByRole("button", { name: "Ret (gemmes som ny version)" }).click();
    await expect(phone.getByTestId("core-outcome")).toHaveCount(2);
    await expect(phone.getByLabel("Forandringer på kort sigt 1", { exact: true })).toHaveCount(0);
    await phone.getByRole("button", { name: "Tilføj: Forandringer på kort sigt" }).click();
    await phone.getByLabel("Forandringer på kort sigt 2", { exact: true }).fill("Har en at ringe til");
    await phone.getByRole("button", { name: "Gem som ny version" }).click();
    await expect(phone.getByTestId("theory-version")).toContainText("Version 2, gælder fra");
    await expect(phone.getByTestId("theory-diagram").first().locator("svg")).toContainText("Har en at ringe til");
    await expect(phone.getByTestId("theory-diagram").first().locator("svg")).toContainText("Kender nogen at tale med");

    // The figures for the umbrella: no nickname in the file.
    await phone.goto("/standard");
    const figures = phone.getByTestId("figures-section");
    await expect(figures).toContainText(`Tirsdagsgruppe følger ${PACKAGE}, version 1, fra Landsforeningen.`);
    await figures.getByLabel("Jeres navn, som paraplyen skal se det").fill(member);
    const file = await downloaded(phone, () => figures.getByRole("button", { name: "Hent tal-filen" }).click());
    const text = readFileSync(file.path, "utf8");
    for (const name of people) expect(text).not.toContain(name);
    expect(JSON.parse(text).figures.map((f: { value: unknown }) => f.value)).toEqual([
      { kind: "people", count: people.length },
      { kind: "amount", value: 0 },
    ]);
    files.push(file.path);
    await phone.context().close();
  }

  // The umbrella's page: both members side by side. Sorggruppen's three are hidden, and
  // Mødrehjælpen's six with them, as 9 - 6 would give the three away; the total of 9 stands.
  await umbrella.goto("/standard");
  const compare = umbrella.getByTestId("comparison-section");
  await compare.getByLabel("Vælg tal-filer").setInputFiles(files);
  const table = compare.getByTestId("comparison-table");
  await expect(table.locator("thead th")).toHaveText(["Indikator", "Mødrehjælpen Vest", "Sorggruppen Nord", "I alt"]);
  await expect(table.locator("tbody tr").nth(0)).toHaveText(/Forskellige deltagere i perioden\s*skjult\s*skjult\s*9/);
  await expect(table.locator("tbody tr").nth(1)).toHaveText(/Fortællinger om forandringen\s*0\s*0\s*0/);
  // The same member twice is refused, and the table stays as it was.
  await compare.getByLabel("Vælg tal-filer").setInputFiles(files[0]);
  await expect(umbrella.getByTestId("comparison-message")).toContainText("Der er allerede en fil fra Mødrehjælpen Vest.");
  await expect(table.locator("thead th")).toHaveCount(4);
  expect((await new AxeBuilder({ page: umbrella }).analyze()).violations).toEqual([]);
  await umbrella.setViewportSize({ width: 320, height: 800 });
  expect(await umbrella.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
});

test("a newer version of a package says what changed and updates the core on a tap", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const umbrella = await newPhone(browser, baseURL);
  await createActivity(umbrella, "Standard");
  await umbrella.goto("/theory");
  await umbrella.getByLabel("Forandringsteori for").selectOption({ label: "Standard" });
  await umbrella.getByRole("button", { name: "Skriv en forandringsteori" }).click();
  await umbrella.getByLabel("Målgruppe").fill("Unge, der står uden for fællesskaber");
  await umbrella.getByLabel("Det, I gør").fill("Ugentlige aftener med mad og spil");
  await umbrella.getByRole("button", { name: "Tilføj: Forandringer på kort sigt" }).click();
  await umbrella.getByLabel("Forandringer på kort sigt 1", { exact: true }).fill("Kommer igen");
  await umbrella.getByRole("button", { name: "Gem som ny version" }).click();
  await addIndicator(umbrella, "Standard", "Forskellige deltagere i perioden", "10", "Kommer igen");
  const publishPackage = async () => {
    await umbrella.goto("/standard");
    const publish = umbrella.getByTestId("publish-section");
    await publish.getByLabel("Aktivitet", { exact: true }).selectOption({ label: "Standard" });
    await publish.getByLabel("Pakkens navn").fill("Ungefællesskaber");
    await publish.getByLabel("Udgiver").fill("Kommunen");
    return downloaded(umbrella, () => publish.getByRole("button", { name: "Hent pakkefilen" }).click());
  };
  const first = await publishPackage();

  const member = await newPhone(browser, baseURL);
  await createActivity(member, "Fredagsklub");
  await member.goto("/standard");
  const adopt = member.getByTestId("adopt-section");
  await adopt.getByLabel("Vælg en pakkefil").setInputFiles(first.path);
  await adopt.getByLabel("Aktivitet", { exact: true }).selectOption({ label: "Fredagsklub" });
  await adopt.getByRole("button", { name: "Følg standarden" }).click();
  await expect(member.getByTestId("adopt-message")).toHaveText("Fredagsklub følger nu Ungefællesskaber, version 1.");

  // Version 2 (the umbrella's device remembers the package): a reworded outcome, a new indicator.
  await umbrella.goto("/theory");
  await umbrella.getByLabel("Forandringsteori for").selectOption({ label: "Standard" });
  await umbrella.getByRole("button", { name: "Ret (gemmes som ny version)" }).click();
  await umbrella.getByLabel("Forandringer på kort sigt 1", { exact: true }).fill("Kommer igen og tager en ven med");
  await umbrella.getByRole("button", { name: "Gem som ny version" }).click();
  await expect(umbrella.getByTestId("theory-version")).toContainText("Version 2");
  await addIndicator(umbrella, "Standard", "Frivilliges timer i perioden", "50");
  const second = await publishPackage();
  expect(second.name).toBe("spor-standard-ungefællesskaber-v2.json");

  await adopt.getByLabel("Vælg en pakkefil").setInputFiles(second.path);
  await adopt.getByLabel("Aktivitet", { exact: true }).selectOption({ label: "Fredagsklub" });
  await expect(adopt.getByTestId("standard-changes").locator("li")).toHaveText([
    "Forandring omformuleret: »Kommer igen« bliver »Kommer igen og tager en ven med«",
    "Ny indikator: Frivilliges timer i perioden",
  ]);
  await adopt.getByRole("button", { name: "Opdatér til version 2" }).click();
  await expect(member.getByTestId("adopt-message")).toHaveText("Fredagsklub følger nu Ungefællesskaber, version 2.");
  await member.goto("/theory");
  await member.getByLabel("Forandringsteori for").selectOption({ label: "Fredagsklub" });
  await expect(member.getByTestId("theory-diagram").first().locator("svg")).toContainText("Kommer igen og tager en ven med");
});

test("on a shared server a member sends its figures after consent for the period, and the umbrella fetches them", async ({ browser, server }) => {
  test.setTimeout(180_000);
  const umbrella = await newPhone(browser, server.url);
  await pair(umbrella, server.url, await server.organisation("Landsforeningen"), "Paraplyens pc", "Landsforeningen");
  await createActivity(umbrella, "Standard");
  await umbrella.goto("/theory");
  await umbrella.getByLabel("Forandringsteori for").selectOption({ label: "Standard" });
  await umbrella.getByRole("button", { name: "Skriv en forandringsteori" }).click();
  await umbrella.getByLabel("Målgruppe").fill("Mennesker, der bor alene");
  await umbrella.getByLabel("Det, I gør").fill("Faste mødesteder");
  await umbrella.getByRole("button", { name: "Tilføj: Forandringer på kort sigt" }).click();
  await umbrella.getByLabel("Forandringer på kort sigt 1", { exact: true }).fill("Kender nogen at tale med");
  await umbrella.getByRole("button", { name: "Gem som ny version" }).click();
  await addIndicator(umbrella, "Standard", "Forskellige deltagere i perioden", "5", "Kender nogen at tale med");
  await umbrella.goto("/standard");
  const publish = umbrella.getByTestId("publish-section");
  await publish.getByLabel("Aktivitet", { exact: true }).selectOption({ label: "Standard" });
  await publish.getByLabel("Pakkens navn").fill(PACKAGE);
  await publish.getByLabel("Udgiver").fill("Landsforeningen");
  const published = await downloaded(umbrella, () => publish.getByRole("button", { name: "Hent pakkefilen" }).click());
  expect(JSON.parse(readFileSync(published.path, "utf8")).package.inbox).toMatch(/^[0-9a-f-]{36}$/);

  const member = await newPhone(browser, server.url);
  await pair(member, server.url, await server.organisation("Mødrehjælpen Vest"), "Koordinatorens telefon", "Mødrehjælpen Vest");
  await createActivity(member, "Tirsdagsgruppe");
  for (const name of ["Ane", "Bo", "Cem", "Dorte", "Eva", "Finn", "Gitte"]) await addPerson(member, name);
  await member.goto("/standard");
  const adopt = member.getByTestId("adopt-section");
  await adopt.getByLabel("Vælg en pakkefil").setInputFiles(published.path);
  await adopt.getByLabel("Aktivitet", { exact: true }).selectOption({ label: "Tirsdagsgruppe" });
  await adopt.getByRole("button", { name: "Følg standarden" }).click();
  await expect(member.getByTestId("adopt-message")).toHaveText(`Tirsdagsgruppe følger nu ${PACKAGE}, version 1.`);

  // Nothing is sent without consent, and consent is for the period on screen only.
  const figures = member.getByTestId("figures-section");
  await figures.getByLabel("Jeres navn, som paraplyen skal se det").fill("Mødrehjælpen Vest");
  const send = figures.getByRole("button", { name: "Send tallene gennem serveren" });
  await expect(send).toBeDisabled();
  const consent = figures.getByLabel(/^Vi giver samtykke til, at tallene for .* sendes til Landsforeningen gennem serveren\.$/);
  await consent.check();
  await expect(send).toBeEnabled();
  const from = figures.getByLabel("Fra");
  const chosenFrom = await from.inputValue();
  await from.fill(chosenFrom.replace(/-\d\d$/, "-02"));
  await expect(consent).not.toBeChecked();
  await expect(send).toBeDisabled();
  await from.fill(chosenFrom);
  await consent.check();
  await send.click();
  await expect(member.getByTestId("figures-message")).toContainText("er sendt til Landsforeningen.");

  // The umbrella fetches them: the member's seven participants, its figure beside the total.
  await umbrella.goto("/standard");
  const compare = umbrella.getByTestId("comparison-section");
  await compare.getByRole("button", { name: "Hent medlemmernes tal fra serveren" }).click();
  await expect(umbrella.getByTestId("comparison-message")).toHaveText("1 medlemmers tal er hentet fra serveren.");
  const table = compare.getByTestId("comparison-table");
  await expect(table.locator("thead th")).toHaveText(["Indikator", "Mødrehjælpen Vest", "I alt"]);
  await expect(table.locator("tbody tr").first()).toHaveText(/Forskellige deltagere i perioden\s*7\s*7/);
});
