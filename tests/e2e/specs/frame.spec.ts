import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "../support/fixtures";
import { storedRecords } from "../support/idb";
import { addPerson, createActivity } from "../support/register";

test("the app opens in Danish with its frame, and English is remembered after a reload", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "I dag" })).toBeVisible();
  await expect(page).toHaveTitle("I dag · Spor");
  await expect(page.locator("html")).toHaveAttribute("lang", "da");
  const nav = page.getByRole("navigation", { name: "Hovedmenu" });
  for (const place of ["I dag", "Spørgeskema", "Udvikling", "Aktiviteter", "Indstillinger"]) {
    await expect(nav.getByRole("link", { name: place })).toBeVisible();
  }
  await expect(page.getByTestId("status-chip")).toContainText("Online");

  await nav.getByRole("link", { name: "Indstillinger" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Indstillinger" })).toBeVisible();
  await page.getByRole("radio", { name: "English" }).check();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: "Today" })).toBeVisible();
  await expect(page.getByRole("radio", { name: "English" })).toBeChecked();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("routes are titled and an unknown one gets a friendly page inside the frame", async ({ page }) => {
  for (const [path, heading] of [
    ["/survey", "Spørgeskema"],
    ["/trends", "Udvikling"],
    ["/activities", "Aktiviteter"],
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(page).toHaveTitle(`${heading} · Spor`);
  }
  await page.goto("/findes/ikke");
  await expect(page.getByRole("heading", { level: 1, name: "Siden findes ikke" })).toBeVisible();
  await expect(page.getByText("/findes/ikke")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Hovedmenu" })).toBeVisible();
  await page.getByRole("link", { name: "Gå til I dag" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "I dag" })).toBeVisible();
});

test("settings show this device's id, the same after a reload, and the storage state", async ({ page }) => {
  await page.goto("/settings");
  const deviceId = page.getByTestId("device-id");
  await expect(deviceId).toHaveText(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const id = await deviceId.textContent();
  await page.reload();
  await expect(deviceId).toHaveText(id!);
  await expect(page.getByTestId("storage-persistence")).toHaveText(/Data (gemmes varigt|er ikke sikret varigt)/);
  await expect(page.getByTestId("storage-usage")).toHaveText(/^Brugt: [\d.,]+ (B|kB|MB|GB) af [\d.,]+ (B|kB|MB|GB)\.$/);
  await expect(page.getByTestId("storage-warning")).toHaveCount(0);
});

test("settings warn before storage runs out", async ({ page }) => {
  // The browser reports 900 MB of a 1 GB quota in use.
  await page.addInitScript(() => {
    const estimate = async () => ({ usage: 900_000_000, quota: 1_000_000_000 });
    Object.defineProperty(navigator.storage, "estimate", { value: estimate });
  });
  await page.goto("/settings");
  await expect(page.getByTestId("storage-warning")).toHaveText(
    "Lageret er næsten fuldt: 90 % er brugt. Synkronisér, gem en sikkerhedskopi og afslut eksempeldata, før der ikke er plads til flere registreringer. Intet af det, der er gemt, går tabt.",
  );
  await expect(page.getByTestId("storage-usage")).toHaveText("Brugt: 900 MB af 1,0 GB.");
});

test("a check-in the browser refuses for a full disk says so, and everything stored before stays", async ({ page, context, baseURL }) => {
  test.setTimeout(120_000);
  await page.goto("/");
  await createActivity(page, "Fredagsbanko");
  for (const name of ["Søren", "Åse"]) await addPerson(page, name);

  // The app's quota shrinks below what it already uses, as on a full phone. Chromium re-reads the
  // quota only every 30 s: a probe write in a database of its own tells when it is in force.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: baseURL!, quotaSize: 1 });
  const probe = () =>
    page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const open = indexedDB.open("quota-probe");
          open.onupgradeneeded = () => open.result.createObjectStore("probe");
          open.onsuccess = () => {
            const write = open.result.transaction("probe", "readwrite");
            write.objectStore("probe").put(Date.now(), "written");
            write.oncomplete = () => resolve("stored");
            write.onabort = () => resolve(write.error?.name ?? "aborted");
          };
        }),
    );
  await expect.poll(probe, { timeout: 60_000, intervals: [1_000] }).toBe("QuotaExceededError");

  await page.getByLabel("Kaldenavn eller initialer").fill("Ali");
  await page.getByRole("button", { name: "Tilføj og tjek ind" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Det blev ikke gemt" })).toHaveText(
    "Det blev ikke gemt: browseren afviste at skrive, oftest fordi enhedens lager er fuldt. Alt, der allerede er registreret, er bevaret. Frigør plads på enheden, og prøv igen.",
  );
  await expect(page.getByTestId("summary-named")).toHaveText("2");

  // Nothing stored before was lost: after a reload, both check-ins and every queued change are there.
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: baseURL! });
  await page.reload();
  await expect(page.getByTestId("summary-named")).toHaveText("2");
  const { outbox } = await storedRecords(page, ["outbox"]);
  expect(outbox).toHaveLength(5);
});

for (const width of [390, 320]) {
  test(`on a ${width} px phone the places are reachable with large targets and no axe violations`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 844 });
    for (const path of ["/", "/settings", "/findes-ikke"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      expect(results.violations, `${path}: ${JSON.stringify(results.violations, null, 2)}`).toEqual([]);
    }
    const nav = page.getByRole("navigation", { name: "Hovedmenu" });
    const targets = [
      ...(await nav.getByRole("link").all()),
      page.getByRole("banner").getByRole("link", { name: "Indstillinger" }),
    ];
    expect(targets.length).toBe(5);
    for (const target of targets) {
      const box = await target.boundingBox();
      expect(box, "every place is visible").not.toBeNull();
      expect(box!.height).toBeGreaterThanOrEqual(44);
      expect(box!.width).toBeGreaterThanOrEqual(44);
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
    }
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth, "no sideways scrolling").toBeLessThanOrEqual(width);
  });
}
