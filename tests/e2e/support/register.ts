// Steps on the Today and Activities pages, in Danish as a volunteer sees them.
import { expect, type Page } from "@playwright/test";

/** The browser's local date, `days` from today, as YYYY-MM-DD. */
export function localDate(page: Page, days: number): Promise<string> {
  return page.evaluate((offset) => {
    const date = new Date();
    date.setDate(date.getDate() + offset);
    return date.toLocaleDateString("sv-SE");
  }, days);
}

export async function createActivity(page: Page, name: string) {
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();
  await page.getByLabel("Navn").fill(name);
  await page.getByRole("button", { name: "Gem aktiviteten" }).click();
  await expect(page.getByTestId("activities-message")).toHaveText(`${name} er gemt.`);
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "I dag" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Hvem kom?" })).toBeVisible();
}

export async function addPerson(page: Page, name: string, role?: string) {
  await page.getByLabel("Kaldenavn eller initialer").fill(name);
  if (role) await page.getByLabel("Rolle", { exact: true }).selectOption({ label: role });
  await page.getByRole("button", { name: "Tilføj og tjek ind" }).click();
  await expect(row(page, name).getByRole("button", { name, exact: true })).toHaveAttribute("aria-pressed", "true");
}

export function row(page: Page, name: string) {
  return page.getByTestId("roster-row").filter({ has: page.getByRole("button", { name, exact: true }) });
}

export async function count(page: Page, role: string, times: number, direction: "mere" | "mindre" = "mere") {
  for (let i = 0; i < times; i++) await page.getByRole("button", { name: `Én anonym ${direction}: ${role}` }).click();
}

export async function expectSummary(page: Page, expected: Record<string, number>) {
  for (const [figure, value] of Object.entries(expected)) {
    await expect(page.getByTestId(`summary-${figure}`)).toHaveText(String(value));
  }
}
