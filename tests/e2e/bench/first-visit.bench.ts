// The first visit and the offline start (issue 16). A volunteer opens the link on a phone with
// an empty cache, the network and the CPU throttled through the DevTools protocol, until the
// first usable screen: the app has taken over from index.html's shell and Today's heading is
// shown. Then the start from the service worker's cache, offline, against the bare Leptos app of
// tests/minimal-app built in the same run (SPOR_MINIMAL_DIST). Writes its figures to SPOR_BENCH_OUT.
import { writeFileSync } from "node:fs";
import type { BrowserContext, CDPSession, Page } from "@playwright/test";
import { expect, test, serviceWorkerInControl } from "../support/fixtures";
import { startServer } from "../support/server";
import { summary } from "./summary";

const FIRST_VISITS = 5;
const OFFLINE_STARTS = 15;

/** Lighthouse's mobile profile and a 3G one; latency is added to every request. */
const PROFILES = [
  { name: "slow 4G", latencyMs: 150, downKbit: 1600, upKbit: 750, cpu: 4 },
  { name: "3G", latencyMs: 300, downKbit: 750, upKbit: 250, cpu: 4 },
];

/** Milliseconds from the navigation's start until the app shows `selector` (with no shell left). */
async function usableAfter(page: Page, selector: string): Promise<number> {
  const handle = await page.waitForFunction(
    (selector) => !document.getElementById("app-shell") && document.querySelector(selector) !== null && performance.now(),
    selector,
    { polling: "raf", timeout: 120_000 },
  );
  return (await handle.jsonValue()) as number;
}

async function throttled(context: BrowserContext, page: Page, profile: (typeof PROFILES)[number]): Promise<CDPSession> {
  const session = await context.newCDPSession(page);
  await session.send("Network.enable");
  await session.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: profile.latencyMs,
    downloadThroughput: (profile.downKbit * 1000) / 8,
    uploadThroughput: (profile.upKbit * 1000) / 8,
  });
  await session.send("Emulation.setCPUThrottlingRate", { rate: profile.cpu });
  return session;
}

test("the first visit on a throttled phone, and the offline start against a minimal Leptos app", async ({ browser, baseURL }) => {
  const firstVisits: Record<string, object> = {};
  for (const profile of PROFILES) {
    const times: number[] = [];
    const shellTimes: number[] = [];
    let bytes = 0;
    let wasmEncoding = "";
    for (let round = 0; round < FIRST_VISITS; round++) {
      const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const session = await throttled(context, page, profile);
      let received = 0;
      session.on("Network.loadingFinished", (event) => (received += event.encodedDataLength));
      page.on("response", (response) => {
        if (response.url().endsWith(".wasm")) wasmEncoding = response.headers()["content-encoding"] ?? "none";
      });
      await page.goto("/", { waitUntil: "commit" });
      times.push(await usableAfter(page, "main h1"));
      await expect(page.getByRole("heading", { level: 1, name: "I dag" })).toBeVisible();
      shellTimes.push(
        await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN),
      );
      bytes = received;
      await context.close();
    }
    firstVisits[profile.name] = {
      profile,
      usable_ms: summary(times),
      shell_painted_ms: summary(shellTimes),
      bytes_until_usable: bytes,
      wasm_encoding: wasmEncoding,
    };
  }

  const minimal = await startServer({ dist: process.env.SPOR_MINIMAL_DIST });
  try {
    // Each app visited once online and reloaded, so its worker controls the page and holds every file.
    const prepare = async (url: string) => {
      const context = await browser.newContext({ baseURL: url, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto("/");
      await serviceWorkerInControl(page);
      await page.reload();
      await expect(page.locator("h1")).toBeVisible();
      await context.setOffline(true);
      return { context, page, session: await context.newCDPSession(page) };
    };
    const spor = await prepare(baseURL!);
    const bare = await prepare(minimal.url);
    const starts = { spor: [] as number[], minimal: [] as number[], spor_cpu4: [] as number[], minimal_cpu4: [] as number[] };
    for (const cpu of [1, 4]) {
      await spor.session.send("Emulation.setCPUThrottlingRate", { rate: cpu });
      await bare.session.send("Emulation.setCPUThrottlingRate", { rate: cpu });
      // One round more than counted: the first warms the browser's caches.
      for (let round = 0; round <= OFFLINE_STARTS; round++) {
        await spor.page.goto("/", { waitUntil: "commit" });
        const sporTime = await usableAfter(spor.page, "main h1");
        await bare.page.goto("/", { waitUntil: "commit" });
        const bareTime = await usableAfter(bare.page, "h1");
        if (round === 0) continue;
        (cpu === 1 ? starts.spor : starts.spor_cpu4).push(sporTime);
        (cpu === 1 ? starts.minimal : starts.minimal_cpu4).push(bareTime);
      }
    }
    await expect(spor.page.getByRole("heading", { level: 1, name: "I dag" })).toBeVisible();
    await spor.context.close();
    await bare.context.close();
    writeFileSync(
      process.env.SPOR_BENCH_OUT!,
      JSON.stringify(
        {
          first_visit: firstVisits,
          offline_start_ms: Object.fromEntries(Object.entries(starts).map(([key, values]) => [key, summary(values)])),
        },
        null,
        2,
      ),
    );
  } finally {
    await minimal.stop();
  }
});
