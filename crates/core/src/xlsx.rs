//! A small XLSX writer: one sheet per [`Table`], numbers as numbers, dates as dates, text as inline
//! strings, in an uncompressed ZIP. A library for this costs about 220 KB (gzip) in the phone's
//! download; an export needs only this much of the format (ECMA-376, SpreadsheetML).

use std::fmt::Write;

use crate::export::{Cell, Table};
use crate::markup::escape;
use crate::zip::Zip;

/// The workbook's bytes.
pub fn workbook(tables: &[&Table]) -> Vec<u8> {
    let mut zip = Zip::default();
    let sheets: String = (1..=tables.len())
        .map(|n| {
            format!(
                r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
            )
        })
        .collect();
    zip.add(
        "[Content_Types].xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{sheets}</Types>"#
        ),
    );
    zip.add(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    let mut names = String::new();
    let mut relations = String::new();
    for (index, table) in tables.iter().enumerate() {
        let n = index + 1;
        let _ = write!(
            names,
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            escape(&sheet_name(&table.name))
        );
        let _ = write!(
            relations,
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
    }
    let styles_id = tables.len() + 1;
    let _ = write!(
        relations,
        r#"<Relationship Id="rId{styles_id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
    );
    zip.add(
        "xl/workbook.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{names}</sheets></workbook>"#
        ),
    );
    zip.add(
        "xl/_rels/workbook.xml.rels",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relations}</Relationships>"#
        ),
    );
    // Style 1: a date (built-in format 14); style 2: bold, for the header row.
    zip.add(
        "xl/styles.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>"#,
    );
    for (index, table) in tables.iter().enumerate() {
        zip.add(&format!("xl/worksheets/sheet{}.xml", index + 1), &sheet(table));
    }
    zip.finish()
}

fn sheet(table: &Table) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    let header: Vec<Cell> = table.header.iter().cloned().map(Cell::Text).collect();
    // Rows and cells go in order without their optional references: an empty cell is an empty
    // `<c/>`, so a year of check-ins stays a third of the size.
    for (index, row) in std::iter::once(&header).chain(&table.rows).enumerate() {
        xml.push_str("<row>");
        for cell in row {
            let bold = if index == 0 { r#" s="2""# } else { "" };
            let _ = match cell {
                Cell::Text(text) => write!(
                    xml,
                    r#"<c t="inlineStr"{bold}><is><t>{}</t></is></c>"#,
                    escape(text)
                ),
                Cell::Number(value) if value.is_finite() => write!(xml, "<c><v>{value}</v></c>"),
                Cell::Date(date) => write!(xml, r#"<c s="1"><v>{}</v></c>"#, excel_day(*date)),
                Cell::Number(_) | Cell::Empty => write!(xml, "<c/>"),
            };
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// Days since Excel's epoch (1899-12-30, which absorbs its 1900 leap-year quirk for modern dates).
fn excel_day(date: chrono::NaiveDate) -> i64 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (date - epoch).num_days()
}

/// Excel allows 31 characters and none of `[]:*?/\` in a sheet name.
fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if cleaned.is_empty() {
        "Sheet".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zip::entries;

    #[test]
    fn a_workbook_holds_one_sheet_per_table_with_typed_cells() {
        let table = Table {
            name: "Fremmøde".into(),
            header: vec!["Dato".into(), "Aktivitet".into(), "Antal".into()],
            rows: vec![vec![
                Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()),
                Cell::Text("Café & <hygge>".into()),
                Cell::Number(12.0),
            ]],
        };
        let other = Table {
            name: "Besvarelser".into(),
            ..table.clone()
        };
        let entries = entries(&workbook(&[&table, &other]));
        let names: Vec<&str> = entries.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels",
                "xl/styles.xml",
                "xl/worksheets/sheet1.xml",
                "xl/worksheets/sheet2.xml"
            ]
        );
        assert!(
            entries[2]
                .1
                .contains(r#"<sheet name="Fremmøde" sheetId="1" r:id="rId1"/>"#)
        );
        let sheet = &entries[5].1;
        let second_row = sheet.split("<row>").nth(2).unwrap();
        assert_eq!(
            second_row,
            concat!(
                r#"<c s="1"><v>46351</v></c><c t="inlineStr"><is><t>Café &amp; &lt;hygge&gt;</t></is></c>"#,
                r#"<c><v>12</v></c></row></sheetData></worksheet>"#
            )
        );
    }

    #[test]
    fn dates_and_names_follow_excel() {
        assert_eq!(
            excel_day(chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()),
            46_351
        );
        assert_eq!(sheet_name("Fremmøde: [2026]"), "Fremmøde 2026");
    }
}
