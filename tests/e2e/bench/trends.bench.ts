// The trends page over the generated year (Settings' demo data: 20 activities, 1,500 people,
// 100,000 attendances, 20,000 responses): from the tap on "Udvikling" until the charts are drawn,
// on the first visit after the app starts and on a return visit, split into reading the records,
// computing the figures and the rest (routing and rendering), and the CSV export of the year. Writes its figures to SPOR_BENCH_OUT.
import { statSync, writeFileSync } from "node:fs";
import { expect, test } from "../support/fixtures";
import { summary } from "./summary";

const ROUNDS = 15;

test("the trends page over a generated year", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/settings");
  await page.getByRole("button", { name: "Prøv med eksempeldata" }).click();
  await expect(page.getByTestId("demo-banner")).toBeVisible({ timeout: 120_000 });

  // A first visit: the app just started, so the year is read from IndexedDB. A return visit: the
  // app checks that nothing changed (two small reads) and reuses what it read.
  const first = { total: [] as number[], read: [] as number[], compute: [] as number[] };
  const again = { total: [] as number[], read: [] as number[], compute: [] as number[] };
  const nav = page.getByRole("navigation", { name: "Hovedmenu" });
  const visit = async (into: typeof first) => {
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
    into.total.push(timings.total);
    into.read.push(timings.read);
    into.compute.push(timings.compute);
  };
  // One round more than counted: the first warms the browser's caches.
  for (let round = 0; round <= ROUNDS; round++) {
    await page.goto("/");
    await visit(first);
    await visit(again);
  }
  for (const figures of [first, again]) {
    for (const list of Object.values(figures)) list.shift();
  }
  const split = (figures: typeof first) => ({
    total_ms: summary(figures.total),
    read_ms: summary(figures.read),
    compute_ms: summary(figures.compute),
    render_ms: summary(figures.total.map((value, index) => value - figures.read[index] - figures.compute[index])),
  });

  await page.evaluate(() => performance.clearMeasures());
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Fremmøde som CSV" }).click(),
  ]);
  const exportMs = await page.evaluate(() => performance.getEntriesByName("spor:export")[0]?.duration ?? NaN);
  const csv = await download.path();
  const results = {
    first_visit: split(first),
    return_visit: split(again),
    export_csv: { ms: exportMs, bytes: statSync(csv).size },
  };
  console.log(JSON.stringify(results, null, 2));
  if (process.env.SPOR_BENCH_OUT) writeFileSync(process.env.SPOR_BENCH_OUT, JSON.stringify(results, null, 2));
});
