import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

/** Holds a hold-to-act button down past its 2 s, as a volunteer taking a phone back does. */
export async function holdDown(page: Page, testId: string) {
  await page.getByTestId(testId).hover();
  await page.mouse.down();
  await page.waitForTimeout(2_300);
  await page.mouse.up();
}

/** The volunteer takes a handed-over phone back on the thank-you screen. */
export async function takeBack(page: Page) {
  await holdDown(page, "take-back");
  await expect(page.getByTestId("survey-runner")).toHaveCount(0);
}
