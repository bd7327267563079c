import { defineConfig } from "@playwright/test";
import { launchOptions } from "./support/browser";

// Each worker starts its own spor-server on a
// free loopback port (support/fixtures.ts).
export default defineConfig({
  testDir: "./specs",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    browserName: "chromium",
    launchOptions,
    trace: "retain-on-failure",
  },
});
