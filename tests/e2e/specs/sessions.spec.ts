import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { expect, serviceWorkerInControl, test } from "../support/fixtures";
import { addPerson, localDate } from "../support/register";

/** The session card on the Today page. */
function sessionCard(page: Page): Locator {
  return page.getByTestId("session-log");
}

test("offline on a 390 px phone: the volunteers' hours and a cancellation are recorded and reach the trends", async ({ page, context }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await serviceWorkerInControl(page);
  await context.setOffline(true);

  // A café on today's weekday that usually lasts two and a half hours.
  const weekday = await page.evaluate(() => new Date().toLocaleDateString("en-US", { weekday: "short" }));
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Aktiviteter" }).click();
  await page.getByLabel("Navn").fill("Torsdagscafé");
  await page.getByLabel("Fast ugedag").selectOption({ value: weekday });
  await page.getByLabel("Varer normalt (minutter)").fill("150");
  await page.getByRole("button", { name: "Gem aktiviteten" }).click();
  await expect(page.getByTestId("activities-message")).toHaveText("Torsdagscafé er gemt.");
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "I dag" }).click();

  // Two volunteers and a guest check in; the card offers two volunteers for 2 x 2.5 hours.
  await addPerson(page, "Aase", "Frivillig");
  await addPerson(page, "Bent", "Frivillig");
  await addPerson(page, "Søren");
  const card = sessionCard(page);
  await expect(card.getByTestId("session-log-summary")).toHaveText("Ikke registreret endnu.");
  await card.getByRole("button", { name: "Registrér frivillige og timer" }).click();
  await expect(card.getByLabel("Antal frivillige")).toHaveValue("2");
  await expect(card.getByLabel("Frivillige timer i alt")).toHaveValue("5,0");
  expect((await new AxeBuilder({ page }).include('[data-testid="session-log"]').analyze()).violations).toEqual([]);

  // Not a number: said in words, nothing saved.
  await card.getByLabel("Frivillige timer i alt").fill("mange");
  await card.getByRole("button", { name: "Gem" }).click();
  await expect(card.getByTestId("session-log-outcome")).toHaveText(/Skriv antal frivillige som et helt tal/);
  await card.getByLabel("Frivillige timer i alt").fill("6,5");
  await card.getByRole("button", { name: "Gem" }).click();
  await expect(card.getByTestId("session-log-summary")).toHaveText("2 frivillige, 6,5 timer i alt.");

  // Last week's session was cancelled: logged late, with its reason.
  await page.getByLabel("Dato").fill(await localDate(page, -7));
  await expect(card.getByTestId("session-log-summary")).toHaveText("Ikke registreret endnu.");
  await card.getByRole("button", { name: "Registrér frivillige og timer" }).click();
  await card.getByLabel("Gangen blev aflyst").check();
  await card.getByLabel("Hvorfor blev gangen aflyst?").fill("Sygdom blandt de frivillige");
  await card.getByRole("button", { name: "Gem" }).click();
  await expect(card.getByTestId("session-log-summary")).toHaveText("Aflyst: Sygdom blandt de frivillige");

  // Today's log is still today's, after a reload too.
  await page.reload();
  await expect(sessionCard(page).getByTestId("session-log-summary")).toHaveText("2 frivillige, 6,5 timer i alt.");

  // The trends: the hours as a key figure and per month, the cancellation with its reason.
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Udvikling" }).click();
  const figures = page.getByTestId("key-figures");
  await expect(figures).toContainText(/Frivillige timer\s*6,5/);
  // Last week came before the café was created here, so only today was planned.
  await expect(figures).toContainText(/Planlagte gange holdt\s*1 af 1(?!, \d+ aflyst)/);
  await expect(page.getByTestId("cancellations")).toContainText("Sygdom blandt de frivillige");
  const effort = page.getByTestId("chart-effort");
  await effort.getByRole("button", { name: "Vis som tabel" }).click();
  const rows = await effort.locator("tbody tr").evaluateAll((all) =>
    all.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent ?? "")),
  );
  expect(rows.filter((cells) => cells[0] !== "0")).toEqual([["1", "2", "6,5"]]);

  await context.setOffline(false);
});
