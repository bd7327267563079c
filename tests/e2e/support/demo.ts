import { expect, type Page } from "@playwright/test";

/** Fills the demo database from Settings (a year at 20 activities) and waits for the app to show it. */
export async function startDemo(page: Page) {
  await page.goto("/settings");
  await page.getByRole("button", { name: "Prøv med eksempeldata" }).click();
  await expect(page.getByTestId("demo-banner")).toBeVisible({ timeout: 120_000 });
}
