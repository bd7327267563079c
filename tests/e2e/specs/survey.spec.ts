import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, serviceWorkerInControl, test } from "../support/fixtures";
import { holdDown, takeBack } from "../support/handover";
import { type StoredRecord, storedRecords } from "../support/idb";
import { addPerson, createActivity } from "../support/register";

async function noAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);
}

/** The survey responses stored on the device. */
async function storedResponses(page: Page): Promise<StoredRecord[]> {
  return (await storedRecords(page, ["responses"])).responses;
}

const WHO5 = [
  ["I de sidste 2 uger har jeg været glad og i godt humør", "Hele tiden", 5],
  ["I de sidste 2 uger har jeg følt mig rolig og afslappet", "Det meste af tiden", 4],
  ["I de sidste 2 uger har jeg følt mig aktiv og energisk", "Lidt mere end halvdelen af tiden", 3],
  ["I de sidste 2 uger er jeg vågnet frisk og udhvilet", "Lidt mindre end halvdelen af tiden", 2],
  ["I de sidste 2 uger har min dagligdag været fyldt med ting der interesserer mig", "Lidt af tiden", 1],
] as const;

test("a full WHO-5 in kiosk mode, offline, in Danish: stored once, timed out when left, and locked by the PIN", async ({
  page,
  context,
}) => {
  await page.clock.install();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await serviceWorkerInControl(page);
  await createActivity(page, "Torsdagscafé");
  await context.setOffline(true);

  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Spørgeskema" }).click();
  await expect(page.getByLabel("Spørgeskema", { exact: true })).toHaveValue(/.+/);
  await expect(page.getByTestId("survey-source")).toContainText("CC BY-NC-SA 3.0 IGO (kun ikke-kommerciel brug");
  await expect(page.getByTestId("survey-source")).toContainText("Denne oversættelse er ikke lavet af WHO.");
  await noAxeViolations(page);
  await page.getByLabel("PIN-kode (4-8 cifre)").fill("12");
  await page.getByRole("button", { name: "Start kiosken" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "PIN-koden skal være 4 til 8 cifre." })).toBeVisible();
  await page.getByLabel("PIN-kode (4-8 cifre)").fill("2468");
  await page.getByRole("button", { name: "Start kiosken" }).click();

  // Only the survey: no navigation, no header.
  const start = page.getByTestId("kiosk-start");
  await expect(start.getByRole("heading", { name: "WHO-5 Trivselsindeks" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Hovedmenu" })).toHaveCount(0);
  await noAxeViolations(page);

  await start.getByRole("button", { name: /Tryk her for at begynde/ }).click();
  await page.getByRole("button", { name: "Dansk" }).click();
  for (const [index, [question, answer]] of WHO5.entries()) {
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(question);
    await expect(page.getByTestId("survey-progress")).toHaveAttribute("aria-label", `Spørgsmål ${index + 1} af 5`);
    const button = page.getByRole("button", { name: answer, exact: true });
    const box = await button.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(64);
    if (index === 0) await noAxeViolations(page);
    await button.click();
    if (index === 1) {
      // Back shows the answer given; answering again moves on.
      await page.getByRole("button", { name: "Tilbage" }).click();
      await expect(page.getByRole("button", { name: answer, exact: true })).toHaveAttribute("aria-pressed", "true");
      await page.getByRole("button", { name: answer, exact: true }).click();
    }
  }
  await expect(page.getByRole("heading", { name: "Det var det sidste spørgsmål." })).toBeVisible();
  await page.getByRole("button", { name: "Send mine svar" }).click();
  await expect(page.getByRole("heading", { name: "Tak for dine svar!" })).toBeVisible();
  // The thank-you returns to the start by itself, ready for the next participant.
  await page.clock.fastForward("00:09");
  await expect(start).toBeVisible();

  const [response] = await storedResponses(page);
  expect(response.language).toBe("da");
  expect(response.mode).toBe("self");
  const answers = response.answers as Record<string, { kind: string; value: number }>;
  expect(Object.values(answers).map((answer) => answer.value)).toEqual([5, 4, 3, 2, 1]);
  // WHO-5: the raw sum times four.
  expect(Object.values(answers).reduce((sum, answer) => sum + answer.value, 0) * 4).toBe(60);

  // A participant who walks away mid-survey: after 90 s the kiosk starts again, answers discarded.
  await start.getByRole("button", { name: /Tryk her for at begynde/ }).click();
  await page.getByRole("button", { name: "Dansk" }).click();
  await page.getByRole("button", { name: "Hele tiden", exact: true }).click();
  await page.clock.fastForward("01:31");
  await expect(start).toBeVisible();
  expect(await storedResponses(page)).toHaveLength(1);

  // Reload, back and a deep link all stay in the kiosk.
  await page.reload();
  await expect(start).toBeVisible();
  await page.goBack();
  await expect(start).toBeVisible();
  await page.goto("/activities");
  await expect(start).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Hovedmenu" })).toHaveCount(0);

  // Only the volunteer's PIN lets the device out, and guessing it slows down: after five wrong
  // PINs even the right one waits 30 s, also after a reload.
  const pin = page.getByLabel("Den frivilliges PIN-kode");
  const leave = page.getByRole("button", { name: "Afslut", exact: true });
  await start.getByRole("button", { name: "Afslut kiosken" }).click();
  for (const guess of ["1111", "2222", "3333", "4444"]) {
    await pin.fill(guess);
    await leave.click();
    await expect(page.getByRole("alert").filter({ hasText: "Forkert PIN-kode." })).toBeVisible();
  }
  await pin.fill("5555");
  await leave.click();
  await expect(
    page.getByRole("alert").filter({ hasText: "For mange forkerte PIN-koder. Prøv igen om 30 sekunder." }),
  ).toBeVisible();
  await page.reload();
  await start.getByRole("button", { name: "Afslut kiosken" }).click();
  await pin.fill("2468");
  await leave.click();
  await expect(page.getByRole("alert").filter({ hasText: /Prøv igen om \d+ sekunder/ })).toBeVisible();
  await expect(start).toBeVisible();
  await page.clock.fastForward("00:31");
  await pin.fill("2468");
  await leave.click();
  await expect(page.getByRole("navigation", { name: "Hovedmenu" })).toBeVisible();
});

test("a handed-over phone: the participant answers in English, skips a question, and hands it back", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 700 });
  await page.goto("/");
  await createActivity(page, "Gåtur");
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Spørgeskema" }).click();
  await page.getByLabel("Spørgeskema", { exact: true }).selectOption({ label: "Hvordan var i dag?" });
  await expect(page.getByTestId("survey-source")).toContainText("Ikke valideret");
  // Spor's own questions are told about in Danish on the Danish page, not in English.
  await expect(page.getByTestId("survey-source")).toContainText("Spørgsmålene er Spors egne");
  await expect(page.getByTestId("survey-source")).not.toContainText("Spor's own");
  await page.getByLabel("Telefonen læser op").check();
  await page.getByRole("button", { name: "Giv telefonen videre" }).click();

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("I felt welcome today");
  await noAxeViolations(page);
  await page.getByRole("button", { name: "Very happy" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("I talked with someone I did not know before");
  await page.getByRole("button", { name: "Skip" }).click();
  await page.getByRole("button", { name: "Happy", exact: true }).click();
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByRole("heading", { name: "Thank you for your answers!" })).toBeVisible();
  await expect(page.getByText("Hand the phone back", { exact: true })).toBeVisible();
  await takeBack(page);
  await expect(page.getByRole("heading", { level: 1, name: "Spørgeskema" })).toBeVisible();

  const [response] = await storedResponses(page);
  expect(response.language).toBe("en");
  expect(response.mode).toBe("read_aloud");
  expect(response.participant).toBeNull();
  expect(Object.keys(response.answers as object).sort()).toEqual(["today_again", "today_welcome"]);
});

test("a coordinator builds a survey, answers it, edits it and answers the new version; both keep their versions", async ({
  page,
}) => {
  await page.goto("/");
  await createActivity(page, "Strikkeklub");
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Spørgeskema" }).click();

  // An empty survey cannot be saved, and says why.
  await page.getByRole("button", { name: "Nyt spørgeskema" }).click();
  const editor = page.getByTestId("template-editor");
  await editor.getByRole("button", { name: "Gem spørgeskemaet" }).click();
  const problems = page.getByTestId("builder-problems");
  await expect(problems).toContainText("Spørgeskemaet har ingen spørgsmål.");
  await expect(problems).toContainText("Spørgeskemaets navn mangler på dansk.");

  await editor.getByLabel("Navn på dansk").fill("Efter strikning");
  await editor.getByLabel("Navn på engelsk").fill("After knitting");
  await editor.getByRole("button", { name: "Tilføj et spørgsmål" }).click();
  await editor.getByLabel("Spørgsmål på dansk").fill("Hvordan var i dag?");
  await editor.getByRole("button", { name: "Gem spørgeskemaet" }).click();
  await expect(problems).toContainText("Spørgsmålets tekst mangler på engelsk.");
  await editor.getByLabel("Spørgsmål på engelsk").fill("How was today?");
  await editor.getByLabel("Skal besvares").check();
  await noAxeViolations(page);

  // The preview shows it as a participant sees it, and stores nothing.
  await editor.getByRole("button", { name: "Forhåndsvis" }).click();
  const preview = page.getByTestId("template-preview");
  await preview.getByRole("button", { name: "English" }).click();
  await expect(preview.getByRole("heading", { level: 1 })).toHaveText("How was today?");
  await expect(preview.getByRole("button", { name: "Skip" })).toHaveCount(0);
  await preview.getByRole("button", { name: "Luk forhåndsvisningen" }).last().click();

  await editor.getByRole("button", { name: "Gem spørgeskemaet" }).click();
  await expect(page.getByTestId("builder-message")).toHaveText("Efter strikning er gemt som version 1.");
  await expect(page.getByTestId("custom-template")).toContainText("ikke valideret · version 1");

  async function answer(replies: string[]) {
    await page.getByLabel("Spørgeskema", { exact: true }).selectOption({ label: "Efter strikning (ikke valideret)" });
    await expect(page.getByTestId("survey-source")).toContainText("Ikke valideret");
    await page.getByRole("button", { name: "Giv telefonen videre" }).click();
    await page.getByRole("button", { name: "Dansk" }).click();
    for (const reply of replies) await page.getByRole("button", { name: reply, exact: true }).click();
    await page.getByRole("button", { name: "Send mine svar" }).click();
    await expect(page.getByRole("heading", { name: "Tak for dine svar!" })).toBeVisible();
    await takeBack(page);
  }
  await answer(["Glad"]);

  // Edited after it was answered: a new version.
  await page.getByRole("button", { name: "Redigér Efter strikning" }).click();
  await editor.getByRole("button", { name: "Tilføj et spørgsmål" }).click();
  await editor.getByLabel("Spørgsmål på dansk").last().fill("Hvad var bedst?");
  await editor.getByLabel("Spørgsmål på engelsk").last().fill("What was best?");
  await editor.getByLabel("Svartype").last().selectOption({ label: "Vælg én af flere svarmuligheder" });
  for (const [n, da, en] of [
    [1, "Maden", "The food"],
    [2, "Snakken", "The talk"],
  ] as const) {
    await editor.getByLabel(`Svarmulighed ${n} på dansk`).fill(da);
    await editor.getByLabel(`Svarmulighed ${n} på engelsk`).fill(en);
  }
  await editor.getByRole("button", { name: "Gem spørgeskemaet" }).click();
  await expect(page.getByTestId("builder-message")).toHaveText("Efter strikning er gemt som version 2.");
  await answer(["Meget glad", "Snakken"]);

  const responses = await storedResponses(page);
  expect(responses.map((response) => response.template_version)).toEqual([1, 2]);
  expect(Object.keys(responses[0].answers as object)).toEqual(["q1"]);
  expect(responses[1].answers).toEqual({ q1: { kind: "smiley", value: 5 }, q2: { kind: "choice", value: 2 } });
});

test("a survey attached to an activity every 4 weeks is suggested on Today until someone answers it", async ({ page }) => {
  await page.goto("/");
  await createActivity(page, "Fællesspisning");
  await expect(page.getByTestId("survey-prompt")).toHaveCount(0);
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Spørgeskema" }).click();
  await page.getByLabel("Foreslå ved denne aktivitet").selectOption({ label: "Hver 4. uge" });
  await expect(page.getByText("Forslaget er gemt for Fællesspisning.")).toBeVisible();

  // The activity tells what the plan asks: five questions every four weeks.
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();
  await expect(page.getByTestId("measurement-plan")).toHaveText(
    "Spørges her: WHO-5 Trivselsindeks hver 4. uge. Det tager en deltager omkring 1 min. om måneden at svare, og en frivillig omkring 1 min. om måneden pr. deltager at give telefonen videre.",
  );

  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "I dag" }).click();
  await expect(page.getByTestId("survey-prompt")).toContainText("Forslag til i dag: WHO-5 Trivselsindeks.");
  await noAxeViolations(page);
  await page.getByTestId("survey-prompt").getByRole("link", { name: "Til spørgeskemaet" }).click();
  await page.getByRole("button", { name: "Giv telefonen videre" }).click();
  await page.getByRole("button", { name: "Dansk" }).click();
  for (const [, answer] of WHO5) await page.getByRole("button", { name: answer, exact: true }).click();
  await page.getByRole("button", { name: "Send mine svar" }).click();
  await takeBack(page);

  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "I dag" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Hvem kom?" })).toBeVisible();
  await expect(page.getByTestId("survey-prompt")).toHaveCount(0);
});

test("answers linked to a participant who agreed show that participant only their own nickname", async ({ page }) => {
  await page.goto("/");
  await createActivity(page, "Cykelværksted");
  await addPerson(page, "Søren");
  await addPerson(page, "Åse");
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();
  await page.getByRole("button", { name: "Redigér Søren" }).click();
  await page.getByLabel("Svar på spørgeskemaer må knyttes til kaldenavnet").check();
  await page.getByRole("button", { name: "Gem deltageren" }).click();
  await expect(page.getByTestId("activities-message")).toHaveText("Søren er gemt.");

  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Spørgeskema" }).click();
  const link = page.getByLabel("Knyt svarene til");
  // Only those who agreed can be chosen.
  await expect(link.locator("option")).toHaveText(["Ingen (anonymt)", "Søren"]);
  await link.selectOption({ label: "Søren" });
  await page.getByRole("button", { name: "Giv telefonen videre" }).click();
  await expect(page.getByTestId("respondent")).toHaveText("👤 Søren");
  await expect(page.getByText("Åse")).toHaveCount(0);
  await page.getByRole("button", { name: "Dansk" }).click();
  // The first time under his nickname, Søren reads what is recorded and why, before any question.
  const notice = page.getByTestId("privacy-notice");
  await expect(notice.getByRole("heading", { level: 1 })).toHaveText("Sådan passer vi på dine oplysninger");
  await expect(notice).toContainText("Du kan når som helst bede om at få det slettet");
  await notice.getByRole("button", { name: "Videre" }).click();
  for (const [, answer] of WHO5) await page.getByRole("button", { name: answer, exact: true }).click();
  await page.getByRole("button", { name: "Send mine svar" }).click();
  await takeBack(page);
  const [response] = await storedResponses(page);
  expect(response.participant).toEqual(expect.any(String));

  // The next time he goes straight to the questions.
  await page.getByLabel("Knyt svarene til").selectOption({ label: "Søren" });
  await page.getByRole("button", { name: "Giv telefonen videre" }).click();
  await page.getByRole("button", { name: "Dansk" }).click();
  await expect(page.getByRole("button", { name: WHO5[0][1], exact: true })).toBeVisible();
  await expect(notice).toHaveCount(0);
  await holdDown(page, "stop-handover");
  await expect(page.getByTestId("survey-runner")).toHaveCount(0);

  // Søren asks what Spor holds about him: his record, his visit and his linked answers, nobody else's.
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Hent alt, Spor har registreret om Søren" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("spor-Søren.txt");
  const report = readFileSync(await download.path(), "utf8");
  expect(report).toContain("Det, Spor har registreret om Søren");
  expect(report).toContain("Svar må knyttes til kaldenavnet: ja");
  expect(report).toMatch(/Fremmøde \(1\)\n- \d\d\.\d\d\.\d{4} · Cykelværksted · Bruger/);
  expect(report).toContain("Spørgeskemasvar knyttet til kaldenavnet (1)");
  for (const [question, answer] of WHO5) expect(report).toContain(`${question}: ${answer}`);
  expect(report).not.toContain("Åse");
});

test("a handed-over phone stays in the survey after a reload, the back button and a tap; the volunteer holds to take it back", async ({
  page,
}) => {
  await page.goto("/");
  await createActivity(page, "Gåtur");
  await addPerson(page, "Søren");
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Spørgeskema" }).click();
  await page.getByRole("button", { name: "Giv telefonen videre" }).click();
  await page.getByRole("button", { name: "Dansk" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(WHO5[0][0]);

  // Mid-survey: a reload and the back button land in the survey again, never in the app.
  await page.reload();
  await expect(page.getByTestId("survey-runner")).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId("survey-runner")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Hovedmenu" })).toHaveCount(0);
  await expect(page.getByText("Søren", { exact: true })).toHaveCount(0);

  await page.getByRole("button", { name: "Dansk" }).click();
  for (const [, answer] of WHO5) await page.getByRole("button", { name: answer, exact: true }).click();
  await page.getByRole("button", { name: "Send mine svar" }).click();
  await expect(page.getByRole("heading", { name: "Tak for dine svar!" })).toBeVisible();

  // A tap on the way back does nothing but say it is the volunteer's, and a reload stays too.
  const hint = page.locator("#hold-hint-take-back");
  await expect(hint).toHaveText("Kun for den frivillige: hold knappen nede i 2 sekunder.");
  await expect(hint).toHaveClass(/visually-hidden/);
  await page.getByTestId("take-back").click();
  await expect(hint).not.toHaveClass(/visually-hidden/);
  await expect(page.getByTestId("survey-runner")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("survey-runner")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Hovedmenu" })).toHaveCount(0);

  // Held down by the volunteer, the phone is back in the app; the one response is stored.
  await holdDown(page, "stop-handover");
  await expect(page.getByRole("navigation", { name: "Hovedmenu" })).toBeVisible();
  expect(await storedResponses(page)).toHaveLength(1);
});
