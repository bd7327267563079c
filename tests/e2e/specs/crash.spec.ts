// A tab that crashes during a burst of check-ins: on reopening, every check-in the volunteer saw
// confirmed is there with its outbox entry, and nothing is half-written (a check-in without its
// outbox entry, or an entry without its check-in).
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { storedRecords } from "../support/idb";
import { localDate } from "../support/register";

const PEOPLE = 40;
const CRASHES = 3;
/** The tab crashes once this many check-ins have shown as confirmed. */
const CONFIRMED_BEFORE_CRASH = 12;

interface Stored {
  /** Check-ins of the day: attendance id -> participant id. */
  checkIns: Record<string, string>;
  /** Outbox entries that queue a check-in of the day: their attendance ids. */
  queued: string[];
}

/** The check-ins of `date` and their outbox entries, read straight from IndexedDB. */
async function stored(page: Page, date: string): Promise<Stored> {
  const { attendance, outbox } = await storedRecords(page, ["attendance", "outbox"]);
  const checkIns = Object.fromEntries(attendance.filter((a) => a.date === date).map((a) => [a.id, a.participant]));
  const queued = outbox
    .map((entry) => entry.mutation.change)
    .filter((change) => change.type === "check_in" && change.attendance.date === date)
    .map((change) => change.attendance.id);
  return { checkIns, queued };
}

test("a tab that crashes during a burst of check-ins keeps every confirmed one, each with its outbox entry", async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  const activity = randomUUID();
  const people = Array.from({ length: PEOPLE }, (_, i) => ({
    id: randomUUID(),
    pseudonym: `Gæst ${String(i + 1).padStart(2, "0")}`,
    default_role: "bruger",
    activities: [activity],
  }));
  const idOf = new Map(people.map((person) => [person.pseudonym, person.id]));
  let page = await context.newPage();
  await page.goto(`${baseURL}/settings`);
  await page.getByLabel("Indlæs sikkerhedskopi").setInputFiles({
    name: "cafe.json",
    mimeType: "application/json",
    buffer: Buffer.from(
      JSON.stringify({
        format: "spor-backup",
        version: 1,
        exported_at: new Date().toISOString(),
        device: randomUUID(),
        activities: [{ id: activity, name: "Nedbrudscaféen", roles: ["bruger", "deltager", "frivillig"] }],
        participants: people,
      }),
    ),
  });
  await expect(page.getByTestId("backup-message")).toHaveText(new RegExp(`indlæst: ${1 + PEOPLE} nye`));

  const figures = { crashes: CRASHES, taps: 0, confirmed: 0, kept: 0, not_stored: 0 };
  for (let crash = 1; crash <= CRASHES; crash++) {
    // Each burst registers a day of its own.
    const date = await localDate(page, -crash);
    await page.goto(`${baseURL}/`);
    await page.getByLabel("Dato").fill(date);
    await expect(page.getByTestId("summary-named")).toHaveText("0");
    const confirmed = new Set<string>();
    await page.exposeBinding("confirmed", (_source, name: string) => confirmed.add(name));
    // Taps every person, one every 5 ms; a check-in shows as confirmed (pressed) once it is stored.
    await page.evaluate(() => {
      const observer = new MutationObserver((mutations) => {
        for (const mutation of mutations) {
          const button = mutation.target as HTMLButtonElement;
          if (button.getAttribute("aria-pressed") === "true") (window as any).confirmed(button.querySelector(".name")!.textContent);
        }
      });
      observer.observe(document.querySelector('[data-testid="roster"]')!, { attributes: true, attributeFilter: ["aria-pressed"], subtree: true });
      const buttons = [...document.querySelectorAll<HTMLButtonElement>('[data-testid="roster"] button.roster-name[aria-pressed="false"]')];
      buttons.forEach((button, index) => setTimeout(() => button.click(), index * 5));
    });
    await expect.poll(() => confirmed.size, { intervals: [1] }).toBeGreaterThanOrEqual(CONFIRMED_BEFORE_CRASH);
    // The renderer dies on the spot: no unload, no flush, as when a phone's browser is killed.
    const crashed = page.waitForEvent("crash");
    const cdp = await context.newCDPSession(page);
    cdp.send("Page.crash").catch(() => {});
    await crashed;
    const seen = new Set(confirmed);

    page = await context.newPage();
    await page.goto(`${baseURL}/`);
    const { checkIns, queued } = await stored(page, date);
    const storedPeople = new Set(Object.values(checkIns));
    for (const name of seen) expect(storedPeople.has(idOf.get(name)!), `${name} was confirmed before the crash`).toBe(true);
    // Nothing half-written: each check-in has exactly one outbox entry and each entry its check-in.
    expect([...queued].sort()).toEqual(Object.keys(checkIns).sort());
    expect(new Set(queued).size).toBe(queued.length);
    // And the Today page shows them as checked in.
    await page.getByLabel("Dato").fill(date);
    await expect(page.getByTestId("summary-named")).toHaveText(String(storedPeople.size));

    figures.taps += PEOPLE;
    figures.confirmed += seen.size;
    figures.kept += storedPeople.size;
    figures.not_stored += PEOPLE - storedPeople.size;
  }
  await context.close();

  const out = process.env.SPOR_RELIABILITY_OUT;
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "tab-crash.json"), JSON.stringify(figures));
  }
});
