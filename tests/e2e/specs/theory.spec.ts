import AxeBuilder from "@axe-core/playwright";
import { expect, serviceWorkerInControl, test } from "../support/fixtures";
import { createActivity } from "../support/register";

for (const width of [390, 320]) {
  test(`offline on a ${width} px phone: a theory of change is written step by step, drawn, revised, and read against in the trends`, async ({ page, context }) => {
    await page.setViewportSize({ width, height: 844 });
    await page.goto("/");
    await serviceWorkerInControl(page);
    await context.setOffline(true);
    await createActivity(page, "Torsdagscafé");

    await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();
    await page.getByRole("link", { name: "Forandringsteori" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Forandringsteori" })).toBeVisible();
    await page.getByLabel("Forandringsteori for").selectOption({ label: "Torsdagscafé" });
    await expect(page.getByTestId("theory-none")).toHaveText("Der er ingen forandringsteori endnu.");
    await page.getByRole("button", { name: "Skriv en forandringsteori" }).click();

    // Saving with steps left out says which, and keeps what was typed.
    await page.getByLabel("Målgruppe").fill("Ældre i Nordbyen, der bor alene og sjældent kommer ud");
    await page.getByRole("button", { name: "Gem som ny version" }).click();
    await expect(page.getByTestId("theory-message")).toContainText("Det, I gør må ikke være tomt.");
    await expect(page.getByTestId("theory-message")).toContainText("Skriv mindst én forandring, I vil følge.");
    await expect(page.getByLabel("Målgruppe")).toHaveValue("Ældre i Nordbyen, der bor alene og sjældent kommer ud");

    await page.getByLabel("Det, I gør").fill("En ugentlig café med kaffe, spil og samtale, drevet af frivillige");
    await page.getByRole("button", { name: "Tilføj: Forandringer på kort sigt" }).click();
    await page.getByLabel("Forandringer på kort sigt 1", { exact: true }).fill("Kender nogen at tale med");
    await page.getByRole("button", { name: "Tilføj: Forandringer på lang sigt" }).click();
    await page.getByLabel("Forandringer på lang sigt 1", { exact: true }).fill("Føler sig mindre ensom");
    await page.getByLabel("Antagelser").fill("Et fast sted og faste frivillige skaber tryghed");
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
    await page.getByRole("button", { name: "Gem som ny version" }).click();
    await expect(page.getByTestId("theory-message")).toHaveText("Version 1 er gemt. Den forrige er bevaret.");

    // The newest version first; the older ones follow, folded.
    const diagram = page.getByTestId("theory-diagram").first();
    await expect(page.getByTestId("theory-version")).toContainText("Version 1, gælder fra");
    for (const text of ["Målgruppe", "Kender nogen at tale med", "Føler sig mindre ensom", "Antagelser"]) {
      await expect(diagram.locator("svg")).toContainText(text);
    }
    // Readable at the phone's width: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    const box = await diagram.locator("svg").boundingBox();
    expect(box!.width).toBeLessThanOrEqual(width);
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

    // A revision keeps the first version.
    await page.getByRole("button", { name: "Ret (gemmes som ny version)" }).click();
    await expect(page.getByLabel("Forandringer på kort sigt 1", { exact: true })).toHaveValue("Kender nogen at tale med");
    await page.getByLabel("Forandringer på kort sigt 1", { exact: true }).fill("Har fået en at tale med i caféen");
    await page.getByRole("button", { name: "Gem som ny version" }).click();
    await expect(page.getByTestId("theory-version")).toContainText("Version 2, gælder fra");
    await expect(diagram.locator("svg")).toContainText("Har fået en at tale med i caféen");
    await expect(page.getByTestId("theory-older")).toContainText("Version 1, gælder fra");

    // The organisation has none of its own yet; the trends read the café against version 2.
    await page.getByLabel("Forandringsteori for").selectOption({ label: "Hele organisationen" });
    await expect(page.getByTestId("theory-none")).toBeVisible();
    await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "I dag" }).click();
    await page.getByRole("button", { name: "Én anonym mere: Bruger" }).click();
    await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Udvikling" }).click();
    await page.getByRole("form", { name: "Vis udviklingen for" }).getByLabel("Aktivitet").selectOption({ label: "Torsdagscafé" });
    await expect(page.getByTestId("theory-in-force")).toContainText("forandringsteorien, version 2");

    await context.setOffline(false);
  });
}
