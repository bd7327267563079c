// The trends page over the generated year (Settings' demo data: 20 activities, 1,500 people,
// 100,000 attendances, 20,000 responses): from the tap on "Udvikling" until the charts are drawn,
// split into reading the records, computing the figures and the rest (routing and rendering), and
// the CSV export of the year. Writes its figures to SPOR_BENCH_OUT.
import { statSync, writeFileSync } from "node:fs";
import { expect, test } from "../support/fixtures";

const ROUNDS = 15;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(values: number[]) {
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) };
}

test("the trends page over a generated year", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/settings");
  await page.getByRole("button", { name: "Prøv med eksempeldata" }).click();
  await expect(page.getByTestId("demo-banner")).toBeVisible({ timeout: 120_000 });

  const total: number[] = [];
  const read: number[] = [];
  const compute: number[] = [];
  const nav = page.getByRole("navigation", { name: "Hovedmenu" });
  // One round more than counted: the first warms the browser's caches.
  for (let round = 0; round <= ROUNDS; round++) {
    await nav.getByRole("link", { name: "I dag" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "I dag" })).toBeVisible();
    const timings = await page.evaluate(async () => {
      performance.clearMeasures();
      const started = performance.now();
      document.querySelector<HTMLAnchorElement>('nav a[href="/trends"]')!.click();
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      while (!document.querySelector('[data-testid="chart-attendance"] svg')) await frame();
      // The frame that paints the charts.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const measured = (name: string) => performance.getEntriesByName(name).reduce((sum, entry) => sum + entry.duration, 0);
      return { total: performance.now() - started, read: measured("spor:trends-read"), compute: measured("spor:trends-compute") };
    });
    if (round > 0) {
      total.push(timings.total);
      read.push(timings.read);
      compute.push(timings.compute);
    }
  }
  const rest = total.map((value, index) => value - read[index] - compute[index]);

  await page.evaluate(() => performance.clearMeasures());
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Fremmøde som CSV" }).click(),
  ]);
  const exportMs = await page.evaluate(() => performance.getEntriesByName("spor:export")[0]?.duration ?? NaN);
  const csv = await download.path();
  const results = {
    total_ms: summary(total),
    read_ms: summary(read),
    compute_ms: summary(compute),
    render_ms: summary(rest),
    export_csv: { ms: exportMs, bytes: statSync(csv).size },
  };
  console.log(JSON.stringify(results, null, 2));
  if (process.env.SPOR_BENCH_OUT) writeFileSync(process.env.SPOR_BENCH_OUT, JSON.stringify(results, null, 2));
});
