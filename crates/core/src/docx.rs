//! A small DOCX writer for reports: a title, headings, paragraphs, bullet lists, quotes and
//! tables, each in the Word style of its kind (Title, Heading 1, Heading 2, Quote, List Bullet,
//! Table Grid), so a paragraph pasted into a funder's Word template takes on the template's look.
//! Written by hand like the XLSX export (ECMA-376, WordprocessingML): a library for it would be
//! loaded with the report, and a report needs only this much of the format.

use std::fmt::Write;

use crate::language::Language;
use crate::markup::escape;
use crate::zip::Zip;

/// One block of a report, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    /// A section's heading (Heading 1).
    Heading(String),
    /// A heading within a section (Heading 2).
    Subheading(String),
    /// A paragraph; a line break in the text stays a line break.
    Paragraph(String),
    Bullets(Vec<String>),
    /// Someone's words, or a story told.
    Quote(String),
    /// A table with a header row; every row as long as the header.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

const WORD: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The document's bytes, its text marked as written in `language`.
pub fn document(blocks: &[Block], language: Language) -> Vec<u8> {
    let mut zip = Zip::default();
    zip.add(
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>"#,
    );
    zip.add(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
    );
    zip.add(
        "word/_rels/document.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#,
    );
    zip.add("word/styles.xml", &styles(language));
    zip.add(
        "word/numbering.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{WORD}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
        ),
    );
    let body: String = blocks.iter().map(block).collect();
    // A4 with 2 cm margins, as the app's printed report.
    zip.add(
        "word/document.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{WORD}" xmlns:r="{RELATIONSHIPS}"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>"#
        ),
    );
    zip.finish()
}

fn block(block: &Block) -> String {
    match block {
        Block::Title(text) => paragraph(Some("Title"), text),
        Block::Heading(text) => paragraph(Some("Heading1"), text),
        Block::Subheading(text) => paragraph(Some("Heading2"), text),
        Block::Paragraph(text) => paragraph(None, text),
        Block::Quote(text) => paragraph(Some("Quote"), text),
        Block::Bullets(items) => items
            .iter()
            .map(|item| paragraph(Some("ListBullet"), item))
            .collect(),
        Block::Table { header, rows } => table(header, rows),
    }
}

fn paragraph(style: Option<&str>, text: &str) -> String {
    let style = style
        .map(|style| format!(r#"<w:pPr><w:pStyle w:val="{style}"/></w:pPr>"#))
        .unwrap_or_default();
    format!("<w:p>{style}{}</w:p>", runs(text, false))
}

/// The text as runs, a `<w:br/>` for each line break.
fn runs(text: &str, bold: bool) -> String {
    let properties = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| format!(r#"<w:t xml:space="preserve">{}</w:t>"#, escape(line)))
        .collect();
    format!("<w:r>{properties}{}</w:r>", lines.join("<w:br/>"))
}

fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut xml = String::from(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr><w:tblGrid>"#,
    );
    for _ in header {
        xml.push_str("<w:gridCol/>");
    }
    xml.push_str("</w:tblGrid>");
    let row = |xml: &mut String, cells: &[String], heading: bool| {
        xml.push_str("<w:tr>");
        if heading {
            xml.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        for cell in cells {
            let _ = write!(xml, "<w:tc><w:p>{}</w:p></w:tc>", runs(cell, heading));
        }
        xml.push_str("</w:tr>");
    };
    row(&mut xml, header, true);
    for cells in rows {
        row(&mut xml, cells, false);
    }
    xml.push_str("</w:tbl>");
    xml
}

/// The styles the blocks use, named as Word names its built-in ones, so a template's own styles of
/// those names take over when a paragraph is pasted into it.
fn styles(language: Language) -> String {
    let lang = match language {
        Language::Da => "da-DK",
        Language::En => "en-GB",
    };
    let heading = |id: &str, name: &str, size: u32| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="{}"/></w:pPr><w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr></w:style>"#,
            if id == "Heading1" { 0 } else { 1 }
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{WORD}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:lang w:val="{lang}"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:sz w:val="48"/></w:rPr></w:style>{}{}<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="567" w:right="567"/></w:pPr><w:rPr><w:i/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr></w:style></w:styles>"#,
        heading("Heading1", "heading 1", 32),
        heading("Heading2", "heading 2", 26),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zip::entries;

    #[test]
    fn a_report_is_a_word_package_with_styled_paragraphs_and_escaped_text() {
        let bytes = document(
            &[
                Block::Title("Statusrapport: Café & <hygge>".into()),
                Block::Heading("Aktiviteter".into()),
                Block::Paragraph("Holdt 48 af 52 gange.\nAflyst 2.".into()),
                Block::Bullets(vec!["Sne".into(), "Sygdom".into()]),
                Block::Quote("\"Her bliver jeg set\"".into()),
                Block::Table {
                    header: vec!["Indikator".into(), "Status".into()],
                    rows: vec![vec!["Fremmøde".into(), "12,5".into()]],
                },
            ],
            Language::Da,
        );
        let parts = entries(&bytes);
        let names: Vec<&str> = parts.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "word/_rels/document.xml.rels",
                "word/styles.xml",
                "word/numbering.xml",
                "word/document.xml"
            ]
        );
        let body = &parts[5].1;
        assert!(body.contains(
            r#"<w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t xml:space="preserve">Statusrapport: Café &amp; &lt;hygge&gt;</w:t>"#
        ));
        assert!(body.contains(r#"Holdt 48 af 52 gange.</w:t><w:br/><w:t xml:space="preserve">Aflyst 2."#));
        assert_eq!(body.matches(r#"<w:pStyle w:val="ListBullet"/>"#).count(), 2);
        assert!(body.contains(r#"<w:trPr><w:tblHeader/></w:trPr>"#));
        let styles = &parts[3].1;
        for style in [
            "Title",
            "Heading1",
            "Heading2",
            "Quote",
            "ListBullet",
            "TableGrid",
        ] {
            assert!(styles.contains(&format!(r#"w:styleId="{style}""#)), "{style}");
        }
        assert!(styles.contains(r#"<w:lang w:val="da-DK"/>"#));
    }
}
