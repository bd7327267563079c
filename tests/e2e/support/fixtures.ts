import { test as base, expect, type Page } from "@playwright/test";
import { type RunningServer, startServer } from "./server";

/** `server`: one real spor-server per worker; `baseURL` points at it. */
export const test = base.extend<object, { server: RunningServer }>({
  server: [
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ server }, use) => use(server.url),
});

export { expect };

/** Waits until the service worker has precached the app and controls the page. */
export async function serviceWorkerInControl(page: Page): Promise<void> {
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active?.state === "activated" && navigator.serviceWorker.controller !== null;
  });
}
