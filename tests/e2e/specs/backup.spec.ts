import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";

async function register(page: Page) {
  await page.goto("/activities");
  await page.getByLabel("Navn").fill("Fællesspisning");
  await page.getByRole("button", { name: "Gem aktiviteten" }).click();
  await expect(page.getByTestId("activities-message")).toHaveText("Fællesspisning er gemt.");
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "I dag" }).click();
  for (const name of ["Søren", "Åse"]) {
    await page.getByLabel("Kaldenavn eller initialer").fill(name);
    await page.getByRole("button", { name: "Tilføj og tjek ind" }).click();
    await expect(page.getByRole("button", { name, exact: true })).toHaveAttribute("aria-pressed", "true");
  }
  await page.getByRole("button", { name: "Én anonym mere: Bruger" }).click();
  await expect(page.getByTestId("summary-total")).toHaveText("3");
}

function loadFile(page: Page, text: string) {
  return page.getByLabel("Indlæs sikkerhedskopi").setInputFiles({
    name: "backup.json",
    mimeType: "application/json",
    buffer: Buffer.from(text),
  });
}

test("a backup saved on one device loads on another, once, and bad files change nothing", async ({ page, browser, baseURL }) => {
  await register(page);
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Indstillinger" }).click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Gem sikkerhedskopi" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^spor-sikkerhedskopi-\d{4}-\d{2}-\d{2}\.json$/);
  await expect(page.getByTestId("backup-message")).toContainText("Sikkerhedskopien er gemt som spor-sikkerhedskopi-");
  const text = readFileSync(await download.path(), "utf8");
  const backup = JSON.parse(text);
  expect(backup.format).toBe("spor-backup");
  expect(backup.participants.map((p: { pseudonym: string }) => p.pseudonym).sort()).toEqual(["Søren", "Åse"]);

  const other = await browser.newContext({ baseURL });
  const phone = await other.newPage();
  try {
    await phone.goto("/settings");
    await loadFile(phone, text);
    // An activity, two participants, two check-ins and one anonymous count.
    await expect(phone.getByTestId("backup-message")).toHaveText("Sikkerhedskopien er indlæst: 6 nye registreringer.");
    await loadFile(phone, text);
    await expect(phone.getByTestId("backup-message")).toHaveText("Sikkerhedskopien er indlæst: der var intet nyt.");

    await loadFile(phone, text.slice(0, text.length / 2));
    await expect(phone.getByTestId("backup-message")).toContainText("Filen kan ikke læses som en sikkerhedskopi");
    await loadFile(phone, JSON.stringify({ name: "Regneark", rows: [] }));
    await expect(phone.getByTestId("backup-message")).toContainText("Filen er ikke en sikkerhedskopi fra Spor");
    const tampered = structuredClone(backup);
    tampered.headcounts[0].delta = 7;
    tampered.headcounts[0].id = "0190a0b0-0000-7000-8000-0000000000ff";
    await loadFile(phone, JSON.stringify(tampered));
    await expect(phone.getByTestId("backup-message")).toHaveText(
      "Sikkerhedskopien har 1 fejl, fx: En optælling ændres med +1 eller -1, ikke 7.",
    );
    const results = await new AxeBuilder({ page: phone }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);

    await phone.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "I dag" }).click();
    await expect(phone.getByTestId("summary-total")).toHaveText("3");
    await expect(phone.getByTestId("summary-named")).toHaveText("2");
    await expect(phone.getByTestId("roster").getByRole("button", { pressed: true })).toHaveCount(2);
  } finally {
    await other.close();
  }
});
