import type { LaunchOptions } from "@playwright/test";

/** Debian's Chromium (apt), never a downloaded browser, with the flags this machine needs. */
export const launchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
  ],
};
