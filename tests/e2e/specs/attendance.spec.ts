import AxeBuilder from "@axe-core/playwright";
import { expect, serviceWorkerInControl, test } from "../support/fixtures";
import { storedRecords } from "../support/idb";
import { addPerson, count, createActivity, expectSummary, localDate, row } from "../support/register";

for (const width of [390, 320]) {
  test(`offline on a ${width} px phone: 20 people registered, exactly as registered after a reload`, async ({ page, context }) => {
    await page.setViewportSize({ width, height: 844 });
    await page.goto("/");
    await serviceWorkerInControl(page);
    await context.setOffline(true);

    await createActivity(page, "Torsdagscafé");

    // Regulars: here last week (registered late, for yesterday), then tapped in today.
    await page.getByLabel("Dato").fill(await localDate(page, -1));
    for (const name of ["Søren", "Åse", "Mette", "Ali", "Karen"]) await addPerson(page, name);
    await page.getByLabel("Dato").fill(await localDate(page, 0));
    for (const name of ["Søren", "Åse", "Mette", "Ali", "Karen"]) {
      const person = row(page, name).getByRole("button", { name, exact: true });
      await expect(person).toHaveAttribute("aria-pressed", "false");
      await person.click();
      await expect(person).toHaveAttribute("aria-pressed", "true");
    }

    // Newcomers, checked in as they are added; the last one is undone from the snackbar.
    for (const [name, role] of [
      ["Bjørn"], ["Fatima", "Deltager"], ["Ole", "Frivillig"], ["Grete"], ["Mads"], ["Yasmin"], ["Inge"], ["Bent"],
    ]) {
      await addPerson(page, name, role);
    }
    await expect(page.getByTestId("snackbar")).toContainText("Bent er tjekket ind.");
    await page.getByTestId("snackbar").getByRole("button", { name: "Fortryd" }).click();
    await expect(row(page, "Bent").getByRole("button", { name: "Bent", exact: true })).toHaveAttribute("aria-pressed", "false");

    // Role changes with the chip: Søren becomes a participant, Ali a volunteer.
    await row(page, "Søren").getByRole("button", { name: /^Rolle for Søren/ }).click();
    await expect(row(page, "Søren").getByRole("button", { name: /^Rolle for Søren/ })).toHaveText("Deltager");
    await row(page, "Ali").getByRole("button", { name: /^Rolle for Ali/ }).click();
    await row(page, "Ali").getByRole("button", { name: /^Rolle for Ali/ }).click();
    await expect(row(page, "Ali").getByRole("button", { name: /^Rolle for Ali/ })).toHaveText("Frivillig");

    // People who do not want to be named.
    await count(page, "Bruger", 4);
    await count(page, "Deltager", 3);
    await count(page, "Frivillig", 2);
    await count(page, "Frivillig", 1, "mindre");

    const registered = { total: 20, named: 12, anonymous: 8, new: 7, user: 12, participant: 5, volunteer: 3 };
    await expectSummary(page, registered);

    await page.reload();
    await expectSummary(page, registered);
    await expect(page.getByTestId("roster").getByRole("button", { pressed: true })).toHaveCount(12);
    await expect(row(page, "Bent").getByRole("button", { name: "Bent", exact: true })).toHaveAttribute("aria-pressed", "false");
    await expect(row(page, "Ali").getByRole("button", { name: /^Rolle for Ali/ })).toHaveText("Frivillig");
    await expect(page.getByTestId("headcount").filter({ hasText: "Deltager" }).locator("output")).toHaveText("3");

    await page.getByRole("searchbox", { name: "Søg efter navn" }).fill("soren");
    await expect(page.getByTestId("roster-row")).toHaveCount(1);
    await expect(page.getByTestId("roster-row")).toContainText("Søren");

    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth, "no sideways scrolling").toBeLessThanOrEqual(width);
    await context.setOffline(false);
  });
}

test("bad input gets a clear Danish message and nothing registered is lost or doubled", async ({ page }) => {
  // Lets the test make every IndexedDB write fail as a full disk would.
  await page.addInitScript(() => {
    for (const method of ["add", "put"] as const) {
      const original = IDBObjectStore.prototype[method];
      IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: Parameters<typeof original>) {
        if ((window as unknown as { fullDisk?: boolean }).fullDisk) {
          throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        }
        return original.apply(this, args);
      } as typeof original;
    }
  });
  await page.goto("/");
  await createActivity(page, "Gåtur");

  await page.getByRole("button", { name: "Tilføj og tjek ind" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Kaldenavnet må ikke være tomt." })).toBeVisible();
  await page.getByLabel("Kaldenavn eller initialer").fill("x".repeat(200));
  await page.getByRole("button", { name: "Tilføj og tjek ind" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Kaldenavnet er for langt: 200 tegn, højst 40." })).toBeVisible();
  await expect(page.getByTestId("roster-row")).toHaveCount(0);

  await page.getByLabel("Dato").fill(await localDate(page, 2));
  await expect(page.getByRole("alert").filter({ hasText: /ligger i fremtiden/ })).toBeVisible();
  await expect(page.getByLabel("Dato")).toHaveValue(await localDate(page, 0));

  // A duplicate nickname is flagged and the volunteer chooses.
  await addPerson(page, "Søren");
  await page.getByLabel("Kaldenavn eller initialer").fill("soren");
  await page.getByRole("button", { name: "Tilføj og tjek ind" }).click();
  await expect(page.getByTestId("duplicate-notice")).toContainText("Der er allerede en Søren på aktiviteten.");
  await page.getByRole("button", { name: "Nej, opret en ny" }).click();
  await expect(page.getByTestId("roster-row")).toHaveCount(2);

  // Withdrawn, then two quick taps while the first write runs: one check-in, never two.
  await row(page, "Søren").first().getByRole("button", { name: "Fortryd tjek-ind af Søren" }).click();
  await expect(page.getByTestId("summary-named")).toHaveText("1");
  const person = page.getByTestId("roster-row").getByRole("button", { name: "Søren", exact: true }).first();
  await person.dblclick();
  await expect(page.getByTestId("summary-named")).toHaveText("2");

  await page.evaluate(() => ((window as unknown as { fullDisk: boolean }).fullDisk = true));
  await count(page, "Bruger", 1);
  await expect(page.getByRole("alert").filter({ hasText: "Enhedens lager er fuldt" })).toBeVisible();
  await expect(page.getByTestId("summary-anonymous")).toHaveText("0");
  await page.evaluate(() => ((window as unknown as { fullDisk: boolean }).fullDisk = false));

  await page.reload();
  await expect(page.getByTestId("summary-named")).toHaveText("2");
  await expect(page.getByTestId("summary-anonymous")).toHaveText("0");
});

test("a coordinator edits one participant and erases another; the attendance stays as counts", async ({ page }) => {
  await page.goto("/");
  await createActivity(page, "Strikkeklub");
  await addPerson(page, "Søren");
  await addPerson(page, "Åse");
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();

  const soren = page.getByTestId("participant-item").filter({ hasText: "Søren" });
  await soren.getByRole("button", { name: "Redigér Søren" }).click();
  // The one form open now is Søren's.
  await page.getByLabel("Kaldenavn eller initialer").fill("Søren K");
  await page.getByLabel("Rolle som udgangspunkt").selectOption({ label: "Frivillig" });
  await page.getByLabel("Må kontaktes af foreningen").check();
  await page.getByRole("button", { name: "Gem deltageren" }).click();
  await expect(page.getByTestId("activities-message")).toHaveText("Søren K er gemt.");
  await expect(page.getByTestId("participant-item").filter({ hasText: "Søren K" })).toContainText("Frivillig");

  const aase = page.getByTestId("participant-item").filter({ hasText: "Åse" });
  await aase.getByRole("button", { name: "Slet persondata" }).click();
  await page.getByRole("button", { name: "Ja, slet Åse" }).click();
  await expect(page.getByTestId("activities-message")).toHaveText("Persondata er slettet. Fremmødet tæller stadig med.");
  await expect(page.getByTestId("participant-item")).toHaveCount(1);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);

  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "I dag" }).click();
  await page.reload();
  await expect(page.getByTestId("roster-row")).toHaveCount(1);
  await expect(page.getByTestId("roster-row")).toContainText("Søren K");
  await expect(page.getByTestId("summary-named")).toHaveText("2");
  await expect(page.getByText("Åse")).toHaveCount(0);
});

test("one person registered twice at two activities is merged into one, with all their attendance", async ({ page }) => {
  await page.goto("/");
  await createActivity(page, "Strikkeklub");
  await addPerson(page, "Søren");
  await addPerson(page, "Ali");
  await createActivity(page, "Gåtur");
  await page.getByLabel("Aktivitet").selectOption({ label: "Gåtur" });
  await addPerson(page, "Soren");
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();

  // One activity's participants, then everyone.
  const shown = page.getByLabel("Vis", { exact: true });
  await shown.selectOption({ label: "Gåtur" });
  await expect(page.getByTestId("participant-item")).toHaveCount(1);
  await expect(page.getByTestId("participant-item")).toContainText("Soren");
  await shown.selectOption({ label: "Alle deltagere" });
  await expect(page.getByTestId("participant-item")).toHaveCount(3);

  const duplicate = page.getByTestId("participant-item").filter({ has: page.getByRole("heading", { name: "Soren", exact: true }) });
  await duplicate.getByRole("button", { name: "Læg sammen med …" }).click();
  // The one with the same name is offered first.
  await expect(duplicate.getByLabel("Samme person som")).toHaveValue(/.+/);
  await expect(duplicate.getByTestId("merge-form")).toContainText("Soren lægges sammen med Søren.");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);
  await duplicate.getByRole("button", { name: "Læg Soren sammen med Søren" }).click();
  await expect(page.getByTestId("activities-message")).toHaveText("Soren er lagt sammen med Søren.");
  await expect(page.getByTestId("participant-item")).toHaveCount(2);
  await shown.selectOption({ label: "Gåtur" });
  await expect(page.getByTestId("participant-item")).toHaveCount(1);
  await expect(page.getByTestId("participant-item")).toContainText("Søren");

  // Today at the walk: Søren, checked in by the merged record, and no Soren.
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "I dag" }).click();
  await page.getByLabel("Aktivitet").selectOption({ label: "Gåtur" });
  await expect(page.getByTestId("roster-row")).toHaveCount(1);
  await expect(row(page, "Søren").getByRole("button", { name: "Søren", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("summary-named")).toHaveText("1");
});

test("a retention period erases exactly the participants not seen for it, and stays chosen", async ({ page }) => {
  await page.goto("/");
  await createActivity(page, "Torsdagscafé");
  await addPerson(page, "Dorte");

  // Three people registered over three years ago (the time is in their UUIDv7 ids): Åse last came
  // 30 months ago, Bent 13 months ago, Carla never.
  await page.evaluate(async () => {
    const monthsAgo = (months: number) => {
      const date = new Date();
      date.setMonth(date.getMonth() - months);
      return date;
    };
    const idAt = (moment: Date, n: number) => {
      const hex = moment.getTime().toString(16).padStart(12, "0");
      return `${hex.slice(0, 8)}-${hex.slice(8)}-7000-8000-${n.toString(16).padStart(12, "0")}`;
    };
    const registered = monthsAgo(40);
    const activity = idAt(registered, 99);
    const person = (n: number, pseudonym: string) => ({ id: idAt(registered, n), pseudonym, default_role: "bruger", activities: [] });
    const people = [person(1, "Åse"), person(2, "Bent"), person(3, "Carla")];
    const came = (n: number, months: number) => ({
      id: idAt(monthsAgo(months), 10 + n),
      participant: people[n].id,
      activity,
      date: monthsAgo(months).toISOString().slice(0, 10),
      role: "bruger",
      recorded_at: monthsAgo(months).toISOString(),
      recorded_by: idAt(registered, 98),
    });
    const open = indexedDB.open("spor");
    await new Promise((resolve, reject) => {
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const transaction = open.result.transaction(["participants", "attendance"], "readwrite");
        for (const record of people) transaction.objectStore("participants").put(record);
        for (const record of [came(0, 30), came(1, 13)]) transaction.objectStore("attendance").put(record);
        transaction.oncomplete = () => resolve(open.result.close());
        transaction.onerror = () => reject(transaction.error);
      };
    });
  });

  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();
  await expect(page.getByTestId("participant-item")).toHaveCount(4);
  await page.getByRole("link", { name: "Indstillinger" }).click();
  await page.getByLabel("Slet deltagere, der ikke er set i").selectOption({ label: "24 måneder" });
  await expect(page.getByTestId("retention-message")).toHaveText("Deltagere slettet, fordi de ikke er set i 24 måneder: 2.");

  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();
  const items = page.getByTestId("participant-item");
  await expect(items).toHaveCount(2);
  await expect(items.filter({ hasText: "Bent" })).toHaveCount(1);
  await expect(items.filter({ hasText: "Dorte" })).toHaveCount(1);
  const stored = await storedRecords(page, ["participants", "outbox"]);
  for (const name of ["Åse", "Carla"]) expect(JSON.stringify(stored.participants)).not.toContain(name);
  expect(stored.outbox.filter((entry) => entry.mutation.change.type === "erase_participant")).toHaveLength(2);

  await page.reload();
  await page.getByRole("link", { name: "Indstillinger" }).click();
  await expect(page.getByLabel("Slet deltagere, der ikke er set i")).toHaveValue("24");
});
