// The statusrapport over the generated year (Settings' demo data, as the trends benchmark): from
// the tap on "Lav en rapport" until the report's sections are drawn, the first time (the report's
// part and the year's records are loaded) and again after going back to the trends page. Writes
// its figures to SPOR_BENCH_OUT.
import { writeFileSync } from "node:fs";
import { expect, test } from "../support/fixtures";
import { summary } from "./summary";

const ROUNDS = 10;

test("the statusrapport over a generated year", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/settings");
  await page.getByRole("button", { name: "Prøv med eksempeldata" }).click();
  await expect(page.getByTestId("demo-banner")).toBeVisible({ timeout: 120_000 });

  const opened: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    // A fresh start each round: the report's records are read from IndexedDB every time.
    await page.goto("/trends");
    await expect(page.getByRole("link", { name: "Lav en rapport" })).toBeVisible({ timeout: 30_000 });
    opened.push(
      await page.evaluate(async () => {
        const started = performance.now();
        document.querySelector<HTMLAnchorElement>('a[href="/report"]')!.click();
        const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
        while (document.querySelectorAll('[data-testid="report"] h3').length < 5) await frame();
        // The frame that paints the report.
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        return performance.now() - started;
      }),
    );
  }
  // The first round also fetches the report's part from the network; the rest from the cache.
  const [firstOpen, ...later] = opened;
  const results = { first_open_ms: firstOpen, open_ms: summary(later) };
  console.log(JSON.stringify(results, null, 2));
  if (process.env.SPOR_BENCH_OUT) writeFileSync(process.env.SPOR_BENCH_OUT, JSON.stringify(results, null, 2));
});
