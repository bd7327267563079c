import { defineConfig } from "@playwright/test";
import { launchOptions } from "./support/browser";

// Benchmarks, run by `cargo xtask bench` (not by `cargo xtask test`): they measure, they do not judge.
export default defineConfig({
  testDir: "./bench",
  testMatch: "**/*.bench.ts",
  timeout: 300_000,
  workers: 1,
  reporter: [["list"]],
  outputDir: "test-results-bench",
  use: { browserName: "chromium", launchOptions, viewport: { width: 390, height: 844 } },
});
