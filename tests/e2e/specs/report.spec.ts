// A coordinator's statusrapport over the demo year: the same figures as the trends page for the
// same period, one section in the coordinator's own words, the quality model's shorter shape,
// printed to A4, and downloaded as a Word file that a Word reader (python-docx) opens with the
// same title, headings, sentences and table.
import { execFileSync } from "node:child_process";
import AxeBuilder from "@axe-core/playwright";
import { startDemo } from "../support/demo";
import { expect, test } from "../support/fixtures";

/** Reads a .docx as a Word reader does: each paragraph's style and text, and each table's cells. */
const READ_DOCX = `
import docx, json, sys
document = docx.Document(sys.argv[1])
print(json.dumps({
    "paragraphs": [[paragraph.style.name, paragraph.text] for paragraph in document.paragraphs],
    "tables": [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables],
}))
`;

const SECTIONS = [
  "Aktiviteter gennemført",
  "Målgruppen nået",
  "Resultater pr. forandring",
  "Refleksioner og justeringer",
  "Frivillige og deres indsats",
];

test("a statusrapport of the demo year says what the trends page says, prints to A4 and opens in Word", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await startDemo(page);

  // The trends page's key figures for this year so far, the report's default period.
  await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Udvikling" }).click();
  await page.getByRole("form", { name: "Vis udviklingen for" }).getByLabel("Periode").selectOption({ label: "I år" });
  const keyFigures = page.getByTestId("key-figures");
  await expect(keyFigures.getByText("Frivillige timer")).toBeVisible();
  const figures = Object.fromEntries(
    await keyFigures.locator("dl > div").evaluateAll((rows) =>
      rows.map((row) => [row.querySelector("dt")?.textContent ?? "", row.querySelector("dd")?.textContent ?? ""]),
    ),
  );
  const [, held, planned] = /^([\d.]+) af ([\d.]+)/.exec(figures["Planlagte gange holdt"]) ?? [];

  await page.getByRole("link", { name: "Lav en rapport" }).click();
  const report = page.getByTestId("report");
  await expect(report.locator("h3")).toHaveText(SECTIONS);
  await expect(report.locator("h2")).toHaveText(/^Statusrapport: alle aktiviteter, 1\. jan\. \d{4} – /);
  await expect(report).toContainText(`Planlagte gange holdt: ${held} af ${planned}.`);
  await expect(report).toContainText(
    `Forskellige deltagere: ${figures["Forskellige deltagere"]}, heraf ${figures["heraf nye"]} nye.`,
  );
  await expect(report).toContainText(
    `Fremmøder i alt: ${figures["Fremmøde i alt"]}, heraf ${figures["heraf anonyme"]} uden navn.`,
  );
  await expect(report).toContainText(`Frivillige timer: ${figures["Frivillige timer"]} ved `);
  // Results per outcome of the demo's theory of change, with the stories chosen for reports.
  await expect(report).toContainText("Læst op imod forandringsteorien, version 1");
  await expect(report.getByRole("heading", { name: "Deltagerne kender nogen at tale med" })).toBeVisible();
  expect(await report.locator("blockquote").count()).toBeGreaterThan(0);

  // A section in the coordinator's own words: saved, kept over a reload, and part of the report.
  const own = "To gange aflyst på grund af sne; vi flyttede caféen til biblioteket.";
  await page.getByText("Skriv jeres egen tekst til «Aktiviteter gennemført»").click();
  await page.getByLabel("Jeres tekst til «Aktiviteter gennemført»").fill(own);
  await page.getByRole("button", { name: "Gem teksten" }).click();
  await expect(page.getByText("Teksten er gemt. Den står i rapporten under afsnittet.")).toBeVisible();
  await expect(report.locator("p.report-paragraph").filter({ hasText: own })).toHaveCount(1);
  await page.reload();
  await expect(report.locator("p.report-paragraph").filter({ hasText: own })).toBeVisible();

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations).toEqual([]);

  // On a phone too: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: testInfo.outputPath("report-390.png"), fullPage: true });
  await testInfo.attach("the report at 390 px", { path: testInfo.outputPath("report-390.png"), contentType: "image/png" });

  // The quality model's self-assessment: the goals and indicators, and the reflections.
  await page.getByRole("radio", { name: "Kvalitetsmodellens selvevaluering" }).check();
  await expect(report.locator("h3")).toHaveText(["Resultater pr. forandring", "Refleksioner og justeringer"]);
  await page.getByRole("radio", { name: "Statusrapport" }).check();
  await expect(report.locator("h3")).toHaveText(SECTIONS);

  // Printed: the report alone on A4, nothing wider than the page.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Hovedmenu" })).toBeHidden();
  await expect(page.getByRole("form", { name: "Vælg rapporten" })).toBeHidden();
  await expect(page.getByText("Skriv jeres egen tekst til «Aktiviteter gennemført»")).toBeHidden();
  await expect(report.locator("p.report-paragraph").filter({ hasText: own })).toBeVisible();
  await page.setViewportSize({ width: 794, height: 1123 });
  expect(await report.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  const pdf = await page.pdf({ format: "A4", path: testInfo.outputPath("statusrapport.pdf") });
  const pages = pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? [];
  expect(pages.length).toBeGreaterThanOrEqual(1);
  expect(pages.length).toBeLessThanOrEqual(12);
  await testInfo.attach("the statusrapport as PDF", { path: testInfo.outputPath("statusrapport.pdf"), contentType: "application/pdf" });
  await page.emulateMedia({ media: "screen" });

  // The Word file, made on the device, read back by python-docx.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Hent som Word (.docx)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^statusrapport-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.docx$/);
  const file = testInfo.outputPath("statusrapport.docx");
  await download.saveAs(file);
  const read = JSON.parse(execFileSync(process.env.SPOR_PYTHON ?? "python3", ["-c", READ_DOCX, file]).toString()) as {
    paragraphs: [string, string][];
    tables: string[][][];
  };
  const styled = (style: string) => read.paragraphs.filter(([name]) => name === style).map(([, text]) => text);
  expect(styled("Title")).toEqual([await report.locator("h2").textContent()]);
  expect(styled("Heading 1")).toEqual(SECTIONS);
  expect(styled("Heading 2")).toEqual(await report.locator("h4").allTextContents());
  const texts = read.paragraphs.map(([, text]) => text);
  expect(texts).toContain(
    `Forskellige deltagere: ${figures["Forskellige deltagere"]}, heraf ${figures["heraf nye"]} nye. Fremmøder i alt: ${figures["Fremmøde i alt"]}, heraf ${figures["heraf anonyme"]} uden navn.`,
  );
  expect(texts).toContain(own);
  expect(styled("Quote").length).toBe(await report.locator("blockquote").count());
  const roles = await report.locator("table").first().locator("tr").evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent ?? "")),
  );
  expect(read.tables[0]).toEqual(roles);

  // An annual report: the last whole calendar year in a tap.
  await page.getByRole("radio", { name: "Årsberetning" }).check();
  const year = new Date().getFullYear() - 1;
  await page.getByRole("button", { name: `Sidste kalenderår (${year})` }).click();
  await expect(report.locator("h2")).toHaveText(`Årsberetning: alle aktiviteter, 1. jan. ${year} – 31. dec. ${year}`);
});
