import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { launchOptions } from "../support/browser";
import { expect, serviceWorkerInControl, test } from "../support/fixtures";
import { takeBack } from "../support/handover";
import { storedRecords } from "../support/idb";
import { createActivity } from "../support/register";
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

  // The coordinator's pages are parts of the app that this visit never opened online: the
  // service worker precached them.
  await page.goto("/trends");
  await expect(page.getByRole("heading", { level: 1, name: "Udvikling" })).toBeVisible();
  await page.goto("/activities");
  await expect(page.getByRole("heading", { level: 1, name: "Aktiviteter" })).toBeVisible();
  await page.goto("/survey");
  await expect(page.getByRole("heading", { level: 1, name: "Spørgeskema" })).toBeVisible();
  await page.goto("/theory");
  await expect(page.getByRole("heading", { level: 1, name: "Forandringsteori" })).toBeVisible();
  await page.goto("/settings");
  await expect(page.getByTestId("device-id")).toHaveText(/^[0-9a-f-]{36}$/);

  await context.setOffline(false);
  await expect(page.getByTestId("status-chip")).toContainText("Online");
});

test("a new version waits, while a survey is being answered, for the tap before reloading", async ({ browser }) => {
  const server = await startServer({ copyDist: true });
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  try {
    await page.goto("/");
    await serviceWorkerInControl(page);
    await expect(page.getByTestId("update-banner")).toHaveCount(0);

    // A participant has the phone and has answered the first question.
    await createActivity(page, "Gåtur");
    await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Spørgeskema" }).click();
    await page.getByLabel("Spørgeskema", { exact: true }).selectOption({ label: "Hvordan var i dag?" });
    await page.getByRole("button", { name: "Giv telefonen videre" }).click();
    await page.getByRole("button", { name: "Dansk" }).click();
    await page.getByRole("button", { name: "Meget glad" }).click();
    const second = (await page.getByRole("heading", { level: 1 }).textContent())!;

    // A release lands meanwhile: the worker's build version changes (as the post_build hook does on
    // every build), and the app looks for a new version when it becomes visible again.
    const worker = join(server.dist, "sw.js");
    writeFileSync(worker, readFileSync(worker, "utf8").replace(/const BUILD_VERSION = "[^"]*";/, 'const BUILD_VERSION = "next-release";'));
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await page.waitForFunction(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting));

    // Nothing reloads by itself: the survey goes on where it was, and its answers are stored whole.
    await page.waitForTimeout(2_000);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(second);
    await page.getByRole("button", { name: "Ja", exact: true }).click();
    await page.getByRole("button", { name: "Glad", exact: true }).click();
    await page.getByRole("button", { name: "Send mine svar" }).click();
    await expect(page.getByRole("heading", { name: "Tak for dine svar!" })).toBeVisible();
    await takeBack(page);
    // One response, with all three answers.
    const answered = async () => (await storedRecords(page, ["responses"])).responses.map((response) => Object.keys(response.answers).length);
    expect(await answered()).toEqual([3]);

    // Back with the volunteer, the banner offers the new version; the tap reloads into it.
    const banner = page.getByTestId("update-banner");
    await expect(banner).toContainText("Ny version klar");
    await Promise.all([page.waitForEvent("load"), banner.getByRole("button", { name: "Opdatér" }).click()]);
    await expect(page.getByRole("heading", { level: 1, name: "Spørgeskema" })).toBeVisible();
    await expect(page.getByTestId("update-banner")).toHaveCount(0);
    expect(await answered()).toEqual([3]);
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
