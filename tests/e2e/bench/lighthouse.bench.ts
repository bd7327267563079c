// Lighthouse's mobile audit (npm `lighthouse`, LIGHTHOUSE_BIN, with the apt Chromium) of every page
// on a first visit: performance, accessibility, best practices and SEO, and the metrics behind the
// performance score. Writes its figures to SPOR_BENCH_OUT.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "../support/fixtures";

const PAGES = ["/", "/survey", "/trends", "/activities", "/settings"];
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"];

test("Lighthouse on every page", async ({ baseURL }) => {
  const scratch = mkdtempSync(join(tmpdir(), "spor-lighthouse-"));
  const results: Record<string, object> = {};
  try {
    for (const path of PAGES) {
      const audit = audited(`${baseURL}${path}`, join(scratch, "report.json"));
      expect(audit.runtimeError, `Lighthouse could not audit ${path}`).toBeUndefined();
      results[path] = {
        scores: Object.fromEntries(CATEGORIES.map((category) => [category, Math.round(audit.categories[category].score * 100)])),
        metrics: Object.fromEntries(METRICS.map((metric) => [metric, audit.audits[metric].numericValue])),
      };
    }
    writeFileSync(process.env.SPOR_BENCH_OUT!, JSON.stringify({ lighthouse: lighthouseVersion(), pages: results }, null, 2));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

/** One audit; Lighthouse now and then loses its trace of the load (NO_NAVSTART), so up to three tries. */
function audited(url: string, report: string) {
  let audit: any;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      execFileSync(
        process.env.LIGHTHOUSE_BIN!,
        [
          url,
          `--only-categories=${CATEGORIES.join(",")}`,
          "--output=json",
          `--output-path=${report}`,
          "--quiet",
          "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        ],
        { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? "/usr/bin/chromium" }, stdio: "inherit" },
      );
    } catch {
      continue;
    }
    audit = JSON.parse(readFileSync(report, "utf8"));
    if (!audit.runtimeError) break;
  }
  return audit ?? { runtimeError: "Lighthouse failed three times" };
}

function lighthouseVersion(): string {
  return execFileSync(process.env.LIGHTHOUSE_BIN!, ["--version"], { encoding: "utf8" }).trim();
}
