// The first visit on a poor connection: the app shell paints before the wasm arrives, in the
// remembered language, and says so in plain words with a retry when the app cannot start.
import { expect, test } from "../support/fixtures";

const WASM = /_bg\.wasm$/;

test("the shell is visible while the wasm loads, and the app takes its place", async ({ page }) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(WASM, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto("/");
  await expect(page.getByRole("status").filter({ hasText: "Indlæser Spor…" })).toBeVisible();
  await expect(page.locator(".app-header .brand")).toHaveText("Spor");
  // Loading is not failing: the failure notice waits until the app has failed to start.
  await expect(page.getByText("Spor kunne ikke starte.")).toBeHidden();
  await expect(page.getByRole("button", { name: "Prøv igen" })).toBeHidden();
  // The page's own heading and lead, before any wasm, where the app will put them.
  const heading = page.getByRole("heading", { level: 1, name: "I dag" });
  const lead = page.getByText("Registrér, hvem der kom til dagens aktivitet");
  await expect(heading).toBeVisible();
  await expect(lead).toBeVisible();
  const before = {
    header: await page.locator(".app-header").boundingBox(),
    heading: await heading.boundingBox(),
    lead: await lead.boundingBox(),
  };
  release();
  await expect(page.locator("#app-shell")).toHaveCount(0);
  await expect(page.getByText("Indlæser Spor…")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Hovedmenu" })).toBeVisible();
  expect({
    header: await page.locator(".app-header").boundingBox(),
    heading: await heading.boundingBox(),
    lead: await lead.boundingBox(),
  }).toEqual(before);
});

test("a wasm that cannot be downloaded is told in plain words with a retry, in English too", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "I dag" })).toBeVisible();
  await page.evaluate(() => localStorage.setItem("spor.language", JSON.stringify("en")));
  // The service worker would answer from its cache: this visit goes past it.
  await page.evaluate(async () => {
    for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
    for (const key of await caches.keys()) await caches.delete(key);
  });
  await page.route(WASM, (route) => route.abort());
  await page.goto("/trends");
  await expect(page.getByRole("heading", { level: 1, name: "Trends" })).toBeVisible();
  await expect(page.getByText("See whether you reach people")).toBeVisible();
  const failure = page.getByRole("alert");
  await expect(failure).toContainText("Spor could not start. Check the connection and try again.");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.unroute(WASM);
  await failure.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("form", { name: "Show the trends for" })).toBeVisible();
});

test("the first screen downloads the volunteer's part only; a coordinator's page brings its own part when opened", async ({ page }) => {
  const wasm: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith(".wasm")) wasm.push(path);
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "I dag" })).toBeVisible();
  expect(wasm.filter((path) => WASM.test(path))).toHaveLength(1);
  const pages = /split_(survey|trends|activities|settings)_page_/;
  expect(wasm.filter((path) => pages.test(path)), "no coordinator's page on the first screen").toEqual([]);

  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Udvikling" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Udvikling" })).toBeVisible();
  expect(wasm.filter((path) => pages.test(path))).toEqual([expect.stringContaining("/split_trends_page_")]);
});
