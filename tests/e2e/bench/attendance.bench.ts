// Tap to committed with 10,000 attendances stored, beside the same write in raw IndexedDB, and
// roster filtering per keystroke over 1,000 participants. Writes its figures to SPOR_BENCH_OUT.
import { writeFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { PARTICIPANTS, RECORDS, WEEKS, seed } from "./seed";
import { summary } from "./summary";

// Fewer than the 50 rows the roster shows at a time: every tap finds a row on screen. Each round
// registers a day of its own (late registration), then times the same writes in raw IndexedDB, so
// both sides share the browser's state; five rounds give a p95 that is not just the maximum.
const TAPS = 40;
const ROUNDS = 5;

/**
 * Taps the first unchecked person `taps` times from inside the page, each after the previous tap's
 * write and the frame that shows it: Playwright's own polling would otherwise compete with the
 * write for the main thread, a cost no user pays.
 */
function tapEach(page: Page, taps: number): Promise<void> {
  return page.evaluate(async (taps) => {
    const committed = () => performance.getEntriesByName("spor:check-in").length;
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    for (let i = 0; i < taps; i++) {
      const before = committed();
      document.querySelector<HTMLButtonElement>(`[data-testid="roster"] button.roster-name[aria-pressed="false"]`)!.click();
      while (committed() === before) await nextFrame();
      await nextFrame();
    }
  }, taps);
}

/** The app's write (a check-in and its outbox entry in one transaction) in raw IndexedDB, `taps` times. */
function rawWrites(page: Page, taps: number): Promise<number[]> {
  return page.evaluate(async (taps) => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const open = indexedDB.open("spor");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const durations: number[] = [];
    for (let i = 0; i < taps; i++) {
      const attendance = {
        id: crypto.randomUUID(),
        participant: crypto.randomUUID(),
        activity: crypto.randomUUID(),
        date: "2026-01-01",
        role: "bruger",
        recorded_at: new Date().toISOString(),
        recorded_by: crypto.randomUUID(),
      };
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(["attendance", "outbox"], "readwrite");
        tx.objectStore("outbox").add({
          mutation: { id: crypto.randomUUID(), change: { type: "check_in", attendance } },
          queued_at: new Date().toISOString(),
        });
        tx.objectStore("attendance").add(attendance);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      durations.push(performance.now() - started);
    }
    db.close();
    return durations;
  }, taps);
}

test("tap to committed and roster filtering", async ({ page }) => {
  await page.goto("/settings");
  const today = await page.evaluate(() => new Date().toLocaleDateString("sv-SE"));
  await page.getByLabel("Indlæs sikkerhedskopi").setInputFiles({
    name: "seed.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(seed(today))),
  });
  await expect(page.getByTestId("backup-message")).toHaveText(new RegExp(`indlæst: ${RECORDS} nye`), { timeout: 120_000 });

  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "I dag" }).click();
  const rows = page.getByTestId("roster").locator(`button.roster-name[aria-pressed="false"]`);
  const raw: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const day = await page.evaluate((offset) => {
      const date = new Date();
      date.setDate(date.getDate() - offset);
      return date.toLocaleDateString("sv-SE");
    }, round);
    await page.getByLabel("Dato").fill(day);
    await expect(page.getByTestId("summary-named")).toHaveText("0");
    await expect(rows.first()).toBeVisible();
    await tapEach(page, TAPS);
    await expect(page.getByTestId("summary-named")).toHaveText(String(TAPS));
    raw.push(...(await rawWrites(page, TAPS)));
  }
  const app = await page.evaluate(() => performance.getEntriesByName("spor:check-in").map((entry) => entry.duration));

  // Per keystroke: from the input event until the roster's DOM has been updated.
  const filtering = await page.evaluate(async () => {
    const input = document.querySelector<HTMLInputElement>("#roster-search")!;
    const durations: number[] = [];
    for (const query of ["s", "so", "sor", "sore", "soren", "soren 0", "soren 01", "soren 012", "", "a", "aa", "aase"]) {
      const started = performance.now();
      input.value = query;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 0));
      durations.push(performance.now() - started);
    }
    return durations;
  });

  const results = {
    stored_attendances: WEEKS * PARTICIPANTS + ROUNDS * TAPS,
    participants: PARTICIPANTS,
    tap_to_committed_ms: summary(app),
    raw_indexeddb_ms: summary(raw),
    filter_per_keystroke_ms: summary(filtering),
  };
  console.log(JSON.stringify(results, null, 2));
  if (process.env.SPOR_BENCH_OUT) writeFileSync(process.env.SPOR_BENCH_OUT, JSON.stringify(results, null, 2));
  expect(app.length).toBe(ROUNDS * TAPS);
});
