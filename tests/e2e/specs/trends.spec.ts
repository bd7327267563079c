import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { startDemo } from "../support/demo";
import { expect, test } from "../support/fixtures";
import { addPerson, count, createActivity } from "../support/register";

/** The page's filters: activity, period and granularity. */
function filters(page: Page) {
  return page.getByRole("form", { name: "Vis udviklingen for" });
}

/** The body rows of a chart's table, each as its cells' texts (the period first). */
async function tableRows(chart: Locator): Promise<string[][]> {
  const button = chart.getByRole("button", { name: "Vis som tabel" });
  if ((await button.getAttribute("aria-pressed")) !== "true") await button.click();
  await expect(chart.locator("table")).toBeVisible();
  return chart.locator("tbody tr").evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent ?? "")),
  );
}

/** A Danish whole number as the page writes it ("1.234"). */
function danishNumber(text: string): number {
  return Number(text.replaceAll(".", "").replace(",", "."));
}

/**
 * Per month of the last 12 months (as the page's default range), counted straight from the demo
 * database's records: distinct participants checked in, and sessions held (an activity on a date
 * with a check-in or an anonymous count). And over the whole range, how many participants came
 * once, 2-3, 4-9 and 10 or more times.
 */
function countFromRecords(page: Page) {
  return page.evaluate(async () => {
    const iso = (date: Date) =>
      `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
    const today = new Date();
    const from = iso(new Date(today.getFullYear() - 1, today.getMonth(), today.getDate() + 1));
    const to = iso(today);
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open("spor-demo");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = (store: string): Promise<any[]> =>
      new Promise((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const [attendance, headcounts] = [await all("attendance"), await all("headcounts")];
    db.close();
    const months = new Map<string, { people: Set<string>; sessions: Set<string> }>();
    const month = (date: string) => {
      const key = date.slice(0, 7);
      if (!months.has(key)) months.set(key, { people: new Set(), sessions: new Set() });
      return months.get(key)!;
    };
    for (const record of attendance) {
      if (record.date < from || record.date > to) continue;
      month(record.date).people.add(record.participant);
      month(record.date).sessions.add(`${record.activity} ${record.date}`);
    }
    for (const record of headcounts) {
      if (record.date < from || record.date > to) continue;
      month(record.date).sessions.add(`${record.activity} ${record.date}`);
    }
    const sessionsOf = new Map<string, Set<string>>();
    for (const record of attendance) {
      if (record.date < from || record.date > to) continue;
      if (!sessionsOf.has(record.participant)) sessionsOf.set(record.participant, new Set());
      sessionsOf.get(record.participant)!.add(`${record.activity} ${record.date}`);
    }
    const frequency = [0, 0, 0, 0];
    for (const sessions of sessionsOf.values()) {
      const n = sessions.size;
      frequency[n <= 1 ? 0 : n <= 3 ? 1 : n <= 9 ? 2 : 3] += 1;
    }
    const perMonth = [...months.keys()].sort().map((key) => ({
      month: key,
      people: months.get(key)!.people.size,
      sessions: months.get(key)!.sessions.size,
    }));
    return { perMonth, frequency };
  });
}

test("the trends page draws a demo year, its tables match the records and small groups stay hidden", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await startDemo(page);
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Udvikling" }).click();

  const charts = ["chart-attendance", "chart-participants", "chart-frequency", "chart-roles", "chart-who5", "chart-who5-bands", "chart-ucla3", "chart-session-0"];
  for (const id of charts) {
    await expect(page.getByTestId(id).locator("svg[role=img]")).toBeVisible();
  }
  // Every chart is an image with a title and a description for screen readers.
  for (const svg of await page.locator("svg[role=img]").all()) {
    expect(await svg.locator(":scope > title").textContent()).not.toBe("");
    expect(await svg.locator(":scope > desc").textContent()).not.toBe("");
  }
  await page.screenshot({ path: testInfo.outputPath("trends-390.png"), fullPage: true });
  await testInfo.attach("trends at 390 px", { path: testInfo.outputPath("trends-390.png"), contentType: "image/png" });

  // The tables hold the same numbers as the records themselves, month by month.
  const { perMonth: expected, frequency } = await countFromRecords(page);
  const participants = await tableRows(page.getByTestId("chart-participants"));
  const attendance = await tableRows(page.getByTestId("chart-attendance"));
  expect(participants.length).toBe(expected.length);
  expect(participants.map((row) => danishNumber(row[1]))).toEqual(expected.map((month) => month.people));
  expect(attendance.map((row) => danishNumber(row[1]))).toEqual(expected.map((month) => month.sessions));
  expect(participants[0][0]).toMatch(/^[a-zæøå]{3}\.? \d{4}$/);

  // How many times each came over the year: the same counts as the records, or hidden.
  const bands = await tableRows(page.getByTestId("chart-frequency"));
  expect(bands.map((row) => row[0])).toEqual(["1 gang", "2-3 gange", "4-9 gange", "10 gange eller flere"]);
  bands.forEach((row, band) => {
    if (row[1] !== "skjult") expect(danishNumber(row[1])).toBe(frequency[band]);
  });
  // The demo's activities meet on their weekdays: the sessions held against those planned.
  await expect(page.getByTestId("key-figures")).toContainText(/Planlagte gange holdt\s*[\d.]+ af [\d.]+/);
  // The demo's documentation loop: the organisation's theory of change in force, stories under its
  // outcomes, and indicators, one of them followed without a target.
  await expect(page.getByTestId("theory-in-force")).toBeVisible();
  const stories = page.getByTestId("stories");
  await expect(stories.getByRole("heading", { name: /Deltagerne kender nogen at tale med/ })).toBeVisible();
  // A year holds many stories: each outcome shows its five newest, and the rest on a tap.
  const knowing = stories.locator(".story-group").filter({ hasText: "Deltagerne kender nogen at tale med" });
  await expect(knowing.locator(".story-text")).toHaveCount(5);
  const showAll = knowing.getByRole("button", { name: /^Vis alle \d+$/ });
  const total = Number((await showAll.textContent())?.replace(/\D/g, ""));
  expect(total).toBeGreaterThan(5);
  await showAll.click();
  await expect(knowing.locator(".story-text")).toHaveCount(total);
  await expect(page.getByTestId("goal-list")).toContainText("følges uden mål");

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations).toEqual([]);

  // Weeks instead of months: more, shorter periods.
  await filters(page).getByRole("radio", { name: "Uge" }).check();
  const weeks = await tableRows(page.getByTestId("chart-participants"));
  expect(weeks.length).toBeGreaterThanOrEqual(52);
  expect(weeks[0][0]).toMatch(/^uge \d{1,2} \d{4}$/);

  // One activity, week by week: some weeks have fewer than five WHO-5 answers. Those show
  // "skjult", with a note under the table saying why, and no shown figure is ever about fewer
  // than five people. A week nobody answered in (the range may start late in a week) has no
  // mean to hide: 0 people, no mean.
  const activity = filters(page).getByLabel("Aktivitet");
  await activity.selectOption({ index: 1 });
  const who5 = await tableRows(page.getByTestId("chart-who5"));
  const hidden = who5.filter((row) => row[1] === "skjult");
  expect(hidden.length).toBeGreaterThan(0);
  await expect(page.getByTestId("chart-who5").locator(".table-scroll")).toContainText(
    "Skjult: færre end 5 personer, eller skjult sammen med et sådant tal",
  );
  for (const row of who5) {
    if (row[1] === "skjult") expect(row.slice(2)).toEqual(["skjult", "skjult"]);
    else if (row[1] === "0") expect(row.slice(2)).toEqual(["–", "–"]);
    else expect(danishNumber(row[1])).toBeGreaterThanOrEqual(5);
  }
  // The chart marks exactly the hidden weeks as hidden.
  await expect(page.getByTestId("chart-who5").locator(".hidden-mark")).toHaveCount(hidden.length);

  await page.setViewportSize({ width: 1280, height: 900 });
  await filters(page).getByRole("radio", { name: "Måned" }).check();
  await activity.selectOption({ index: 0 });
  await page.screenshot({ path: testInfo.outputPath("trends-1280.png"), fullPage: true });
  await testInfo.attach("trends at 1280 px", { path: testInfo.outputPath("trends-1280.png"), contentType: "image/png" });
});

test("an export of the demo year reads back with the page's counts, and names no one", async ({ page }) => {
  test.setTimeout(180_000);
  await startDemo(page);
  await page.goto("/trends");
  const months = await tableRows(page.getByTestId("chart-participants"));

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Fremmøde som CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^spor-fremmoede-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  await expect(page.getByTestId("export-message")).toContainText(`Gemt som ${download.suggestedFilename()}`);
  const bytes = readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString("utf8").slice(1).trimEnd().split("\r\n");
  expect(lines[0]).toBe("Dato;Aktivitet;Deltager;Rolle;Antal");
  const people = new Map<string, Set<string>>();
  const notNumbers: string[] = [];
  for (const line of lines.slice(1)) {
    const [date, , participant] = line.split(";");
    if (!participant) continue;
    if (!/^D\d{4,}$/.test(participant)) notNumbers.push(participant);
    const month = date.slice(0, 7);
    if (!people.has(month)) people.set(month, new Set());
    people.get(month)!.add(participant);
  }
  expect(notNumbers).toEqual([]);
  const perMonth = [...people.keys()].sort().map((month) => people.get(month)!.size);
  expect(perMonth).toEqual(months.map((row) => danishNumber(row[1])));
  // No pseudonym of the demo ("Søren 1", "Åse 2", ...) is in the file.
  expect(bytes.toString("utf8")).not.toMatch(/Søren|Åse|Bjørn/);

  const [workbook] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Begge som Excel-fil (XLSX)" }).click(),
  ]);
  expect(workbook.suggestedFilename()).toMatch(/\.xlsx$/);
  const zip = readFileSync(await workbook.path());
  expect(zip.subarray(0, 4).toString("binary")).toBe("PK\u0003\u0004");
});

test("goals show as met or not with a line on their chart, reflections keep a timeline, and it prints as a report", async ({ page }, testInfo) => {
  // Nothing recorded yet, and a period that ends before it starts: each says so, nothing breaks.
  await page.goto("/trends");
  await expect(page.getByText("Der er ingen registreringer i perioden endnu.")).toBeVisible();
  await filters(page).getByLabel("Periode").selectOption({ label: "Vælg datoer" });
  await filters(page).getByLabel("Fra").fill("2026-06-30");
  await filters(page).getByLabel("Til").fill("2026-06-01");
  await expect(page.getByText("Startdatoen skal ligge før slutdatoen.").first()).toBeVisible();

  await page.goto("/");
  await createActivity(page, "Torsdagscafé");
  for (const name of ["Søren", "Åse", "Ali"]) await addPerson(page, name);
  await count(page, "Bruger", 1);
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Udvikling" }).click();
  await expect(page.getByText("Vælg en aktivitet ovenfor for at sætte et mål for den.")).toBeVisible();
  await filters(page).getByLabel("Aktivitet").selectOption({ label: "Torsdagscafé" });

  // Four came today: a goal of at least 12 per session is not met, at most 5 is.
  const goals = page.getByRole("region", { name: "Mål" });
  await goals.getByLabel("Mål", { exact: true }).fill("12");
  await goals.getByRole("button", { name: "Gem målet" }).click();
  await expect(page.getByTestId("goal-list")).toContainText("Fremmøde pr. gang: mindst 12");
  await expect(page.getByTestId("goal-list")).toContainText("✗ Ikke nået: 4,0");
  await expect(page.getByTestId("chart-attendance").locator("line.target")).toHaveCount(1);
  await expect(page.getByTestId("chart-attendance").locator("text.target-label")).toHaveText("Mål 12");

  await goals.getByLabel("Skal være").selectOption({ label: "højst" });
  await goals.getByLabel("Mål", { exact: true }).fill("5");
  await goals.getByRole("button", { name: "Gem målet" }).click();
  await expect(page.getByTestId("goal-list")).toContainText("✓ Nået: 4,0");

  // An impossible target is refused and nothing is saved.
  await goals.getByLabel("Hvad").selectOption({ label: "Andel nye deltagere (%)" });
  await goals.getByLabel("Skal være").selectOption({ label: "mindst" });
  await goals.getByLabel("Mål", { exact: true }).fill("120");
  await goals.getByRole("button", { name: "Gem målet" }).click();
  await expect(page.getByTestId("goals-message")).toHaveText("Målet 120 kan ikke nås: det skal ligge mellem 0 og 100.");
  await expect(page.getByTestId("goal-list").locator("li")).toHaveCount(2);

  // A goal on different participants counts over its own period: a chart of its own follows it
  // from its start, the last bar being the three named people of today.
  await goals.getByLabel("Hvad").selectOption({ label: "Forskellige deltagere i perioden" });
  await goals.getByLabel("Mål", { exact: true }).fill("5");
  await goals.getByRole("button", { name: "Gem målet" }).click();
  await expect(page.getByTestId("goal-list")).toContainText("Forskellige deltagere i perioden: mindst 5");
  await expect(page.getByTestId("goal-list")).toContainText("✗ Ikke nået: 3");
  await expect(page.getByTestId("goal-list")).not.toContainText("Ikke nået: 3,");
  const progress = page.locator('[data-testid^="chart-goal-"]');
  await expect(progress).toHaveCount(1);
  await expect(progress.getByRole("heading")).toHaveText("Mål: Forskellige deltagere i perioden: mindst 5");
  await expect(progress.locator("text.target-label")).toHaveText("Mål 5");
  expect((await tableRows(progress)).at(-1)?.at(-1)).toBe("3");

  // A month has ended without a reflection: a gentle prompt, which opens the form on that month.
  const reflections = page.getByRole("region", { name: "Refleksioner" });
  await expect(page.getByTestId("reflection-prompt")).toContainText("Hvordan gik");
  await page.getByTestId("reflection-prompt").getByRole("button").click();
  await expect(reflections.getByLabel("Hvad virkede, og hvad ændrer I?")).toBeFocused();
  await reflections.getByLabel("Hvad virkede, og hvad ændrer I?").fill("Suppen trak flere nye.\nVi prøver torsdag kl. 17.");
  await reflections.getByRole("button", { name: "Gem refleksionen" }).click();
  await expect(page.getByTestId("reflections-message")).toHaveText("Refleksionen er gemt.");
  await expect(page.getByTestId("reflection-prompt")).toHaveCount(0);

  // Shown when the range covers it, kept over a reload, editable.
  await filters(page).getByLabel("Periode").selectOption({ label: "Seneste 3 måneder" });
  await expect(page.getByTestId("reflections")).toContainText("Suppen trak flere nye.");
  await page.reload();
  await filters(page).getByLabel("Periode").selectOption({ label: "Seneste 3 måneder" });
  await page.getByRole("button", { name: /^Redigér refleksionen om / }).click();
  await reflections.getByLabel("Hvad virkede, og hvad ændrer I?").fill("Suppen trak flere nye.");
  await reflections.getByRole("button", { name: "Gem refleksionen" }).click();
  await expect(page.getByTestId("reflections").locator("li")).toHaveCount(1);
  await expect(page.getByTestId("reflections")).not.toContainText("torsdag kl. 17");
  await expect(page.getByTestId("goal-list").locator("li")).toHaveCount(3);

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations).toEqual([]);

  // Printed, the page is the report: its figures, charts, goals and reflections, no controls.
  await filters(page).getByLabel("Aktivitet").selectOption({ label: "Torsdagscafé" });
  await page.emulateMedia({ media: "print" });
  await expect(page.getByText("Rapport: Torsdagscafé,")).toBeVisible();
  for (const shown of ["key-figures", "chart-attendance", "goal-list", "reflections"]) {
    await expect(page.getByTestId(shown)).toBeVisible();
  }
  await expect(page.getByRole("navigation", { name: "Hovedmenu" })).toBeHidden();
  await expect(filters(page)).toBeHidden();
  await expect(page.getByRole("button", { name: "Gem målet" })).toBeHidden();
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.screenshot({ path: testInfo.outputPath("report-print.png"), fullPage: true });
  const pdf = await page.pdf({ format: "A4", path: testInfo.outputPath("report.pdf") });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  await testInfo.attach("the report as PDF", { path: testInfo.outputPath("report.pdf"), contentType: "application/pdf" });
});

test("opened on a phone, the trends page paints its key figures before its charts, and nothing on it shifts", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await startDemo(page);
  // From the very start of the next page load: every frame notes what it shows, and every layout
  // shift is kept, whether or not an input came just before it.
  await page.addInitScript(() => {
    const seen = { frames: [] as string[], shifts: [] as { value: number; moved: string[] }[] };
    (window as any).trendsPaint = seen;
    new PerformanceObserver((list) => {
      for (const shift of list.getEntries() as any[]) {
        seen.shifts.push({
          value: shift.value,
          moved: shift.sources.map((source: any) => source.node?.outerHTML?.slice(0, 80) ?? "?"),
        });
      }
    }).observe({ type: "layout-shift", buffered: true });
    const note = () => {
      const figures = document.querySelector('[data-testid="key-figures"]') !== null;
      const charts = document.querySelector('[data-testid="chart-attendance"]') !== null;
      const frame = figures && charts ? "figures and charts" : figures ? "figures" : charts ? "charts" : "neither";
      if (seen.frames.at(-1) !== frame) seen.frames.push(frame);
      if (!charts) requestAnimationFrame(note);
    };
    requestAnimationFrame(note);
  });
  await page.goto("/trends");
  await expect(page.getByTestId("chart-attendance")).toBeVisible();
  await expect(page.getByTestId("key-figures")).toBeVisible();
  const seen = await page.evaluate(() => (window as any).trendsPaint);
  expect(seen.frames).toEqual(["neither", "figures", "figures and charts"]);
  const shifted = seen.shifts.reduce((sum: number, shift: { value: number }) => sum + shift.value, 0);
  expect(shifted, JSON.stringify(seen.shifts)).toBeLessThan(0.01);
});
