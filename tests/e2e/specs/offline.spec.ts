import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { launchOptions } from "../support/browser";
import { expect, serviceWorkerInControl, test } from "../support/fixtures";
import { startServer } from "../support/server";

test("Chromium finds the app installable, with the manifest's icons", async ({ server, request }) => {
  // Installation needs a real profile: Playwright's ordinary contexts are incognito.
  const profile = mkdtempSync(join(tmpdir(), "spor-profile-"));
  const context = await chromium.launchPersistentContext(profile, { ...launchOptions, baseURL: server.url });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto("/");
    await serviceWorkerInControl(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }

  const manifest = await (await request.get("/manifest.webmanifest")).json();
  expect(manifest).toMatchObject({ lang: "da", display: "standalone", start_url: "/", scope: "/", id: "/" });
  for (const purpose of ["any", "maskable"]) {
    for (const size of [192, 512]) {
      const icon = manifest.icons.find((i: { purpose: string; sizes: string }) => i.purpose === purpose && i.sizes === `${size}x${size}`);
      expect(icon, `${purpose} ${size}`).toBeDefined();
      const png = await (await request.get(icon.src)).body();
      // A PNG's IHDR holds its width and height as big-endian integers at bytes 16 and 20.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
  }
});

test("offline, a reload and a deep link still render the app from the service worker", async ({ page, context }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "I dag" })).toBeVisible();
  await serviceWorkerInControl(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "I dag" })).toBeVisible();
  await expect(page.getByTestId("status-chip")).toContainText("Offline");

  await page.goto("/trends");
  await expect(page.getByRole("heading", { level: 1, name: "Udvikling" })).toBeVisible();
  await page.goto("/settings");
  await expect(page.getByTestId("device-id")).toHaveText(/^[0-9a-f-]{36}$/);

  await context.setOffline(false);
  await expect(page.getByTestId("status-chip")).toContainText("Online");
});

test("a new version shows the update banner and waits for the tap before reloading", async ({ browser }) => {
  const server = await startServer({ copyDist: true });
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  try {
    await page.goto("/");
    await serviceWorkerInControl(page);
    await expect(page.getByTestId("update-banner")).toHaveCount(0);

    // A release while the app stays open: the worker's build version changes (as the post_build hook
    // does on every build), then the user comes back to the app, which then looks for a new version.
    const worker = join(server.dist, "sw.js");
    writeFileSync(worker, readFileSync(worker, "utf8").replace(/const BUILD_VERSION = "[^"]*";/, 'const BUILD_VERSION = "next-release";'));
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    const banner = page.getByTestId("update-banner");
    await expect(banner).toContainText("Ny version klar");

    // Nothing reloads by itself: state in the page survives while the banner waits.
    await page.evaluate(() => ((window as unknown as { unsaved: string }).unsaved = "answers in progress"));
    await page.waitForTimeout(2_000);
    expect(await page.evaluate(() => (window as unknown as { unsaved?: string }).unsaved)).toBe("answers in progress");
    await expect(banner).toBeVisible();

    await Promise.all([page.waitForEvent("load"), banner.getByRole("button", { name: "Opdatér" }).click()]);
    await expect(page.getByRole("heading", { level: 1, name: "I dag" })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { unsaved?: string }).unsaved)).toBeUndefined();
    await expect(page.getByTestId("update-banner")).toHaveCount(0);
    const activeVersion = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const source = await (await fetch(registration.active!.scriptURL)).text();
      return source.match(/const BUILD_VERSION = "([^"]*)"/)?.[1];
    });
    expect(activeVersion).toBe("next-release");
  } finally {
    await context.close();
    await server.stop();
  }
});
