// Pairing phones and reading what the server holds, for the tests that sync.
import { type BrowserContext, type Page, expect } from "@playwright/test";

/** A phone: a new page of `context` at 390 px wide. */
export async function phone(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

/** Pairs the page's device by opening a pairing link on `origin` (the server, or a proxy to it). */
export async function pair(page: Page, origin: string, code: string, name: string, organisation = "Min forening"): Promise<void> {
  await page.goto(`${origin}/settings?pair=${code}`);
  // The code fills the form and leaves the address bar.
  await expect(page.getByLabel("Parringskode")).toHaveValue(code);
  await expect(page).toHaveURL(`${origin}/settings`);
  await page.getByLabel("Navn på enheden (valgfrit)").fill(name);
  await page.getByRole("button", { name: "Par enheden" }).click();
  await expect(page.getByTestId("sync-paired")).toHaveText(`Enheden er parret med ${organisation}.`);
}

export async function goTo(page: Page, link: "I dag" | "Aktiviteter") {
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: link }).click();
}

/** Syncs from Settings and waits until nothing waits and the sync has ended. */
export async function syncNow(page: Page) {
  await page.getByRole("link", { name: "Indstillinger" }).click();
  await page.getByRole("button", { name: "Synkronisér nu" }).click();
  await expect(page.getByTestId("status-chip")).toContainText("Synkroniseret kl.");
  await expect(page.getByTestId("sync-waiting")).toHaveText("0 ændringer");
}

/** The page's device token, from its IndexedDB. */
export function deviceToken(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open("spor");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction("meta").objectStore("meta").get("server_link");
          get.onsuccess = () => resolve(get.result.token);
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

async function api(server: string, token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "x-spor-protocol": "1", "content-type": "application/json" },
  });
}

/** A pairing code for one more device, made by a coordinator's token. */
export async function pairingCode(server: string, coordinatorToken: string, role = "coordinator"): Promise<string> {
  const response = await api(server, coordinatorToken, "/pairing-codes", { method: "POST", body: JSON.stringify({ role }) });
  expect(response.status).toBe(200);
  return (await response.json()).code;
}

export type ServerChange = { type: string; [field: string]: unknown };

/**
 * Every change the server holds. A device is never sent its own changes back, so a coordinator's
 * token pairs one more coordinator device, read straight from the server.
 */
export async function serverChanges(server: string, coordinatorToken: string): Promise<ServerChange[]> {
  const code = await pairingCode(server, coordinatorToken);
  const reader = await (await api(server, "", "/pair", { method: "POST", body: JSON.stringify({ code }) })).json();
  const changes: ServerChange[] = [];
  for (let since = 0; ; ) {
    const response = await api(server, reader.token, `/sync/pull?since=${since}&limit=1000`);
    expect(response.status).toBe(200);
    const page = await response.json();
    changes.push(...page.changes.map((pulled: { change: ServerChange }) => pulled.change));
    since = page.cursor;
    if (!page.has_more) return changes;
  }
}

/** Every field value the server's patches hold (names of activities and people among them). */
export function fieldValues(changes: ServerChange[]): unknown[] {
  return changes
    .filter((change) => change.type === "patch")
    .flatMap((change) => Object.values(change.fields as Record<string, { value: unknown }>))
    .map((field) => field.value);
}
