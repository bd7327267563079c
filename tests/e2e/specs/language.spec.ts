import type { Page } from "@playwright/test";
import { startDemo } from "../support/demo";
import { expect, test } from "../support/fixtures";

// Words that only the other language uses: one of them in a line means the line is in the wrong
// language. Text marked with its own `lang` (a reference cited in English) is left out, as a
// screen reader reads it in that language.
const ENGLISH = /\b(the|and|of|with|not|was|were|is|are|survey|answers|attendance|people|than|fewer)\b/i;
const DANISH = /\b(og|ikke|er|af|til|med|på|deltagere|spørgeskema|svar|færre)\b/i;

/** Each page, and what shows once its stored data has been read. */
const PAGES: [string, string][] = [
  ["/", "roster-row"],
  ["/survey", "survey-source"],
  ["/trends", "key-figures"],
  ["/activities", "participant-item"],
  ["/settings", "device-id"],
];

/** The lines of text on the page that are in the page's own language (not marked otherwise). */
async function linesInPageLanguage(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const own = document.documentElement.lang;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const lines: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || element.closest("script, style, [hidden]")) continue;
      if ((element.closest("[lang]")?.getAttribute("lang") ?? own) !== own) continue;
      const text = node.textContent?.trim();
      if (text) lines.push(text);
    }
    return lines;
  });
}

async function wrongLanguage(page: Page, marker: RegExp): Promise<string[]> {
  const found: string[] = [];
  for (const [path, loaded] of PAGES) {
    await page.goto(path);
    await expect(page.getByTestId(loaded).first()).toBeVisible({ timeout: 30_000 });
    for (const line of await linesInPageLanguage(page)) {
      if (marker.test(line)) found.push(`${path}: ${line}`);
    }
  }
  return found;
}

test("over a demo year, every page shows Danish only in Danish and English only in English", async ({ page }) => {
  test.setTimeout(240_000);
  await startDemo(page);
  expect(await wrongLanguage(page, ENGLISH)).toEqual([]);

  await page.goto("/settings");
  await page.getByRole("radio", { name: "English" }).check();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  expect(await wrongLanguage(page, DANISH)).toEqual([]);
});
