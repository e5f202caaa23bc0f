//! The founding sample, end to end: the text dump in `input/` → Markdown, EPUB and PDF, with
//! the structure issue #2 asks for and the validators run on the real outputs.

use crate::common::*;
use offprint::model::{inlines_text, Block};
use offprint::{InputFormat, Options, OutputFormat};
use std::sync::OnceLock;

const SEED: &str = "input/islamic-state-redux.txt";

fn seed_bytes() -> Vec<u8> {
    std::fs::read(root().join(SEED)).expect("the seed sample is in input/")
}

fn seed_doc() -> &'static offprint::Document {
    static DOC: OnceLock<offprint::Document> = OnceLock::new();
    DOC.get_or_init(|| {
        offprint::read_document(seed_bytes(), InputFormat::Text, &Options::default())
            .expect("seed reads")
    })
}

/// The article as a careful reader would keep it: the dump minus the lines that are not
/// article text (ticker, glossary repeats, pull quotes, detached captions, footer junk).
/// Test data about this one sample, so the rules in `src/` can be checked against it.
fn reference_body() -> String {
    let dump = String::from_utf8(seed_bytes()).expect("utf-8");
    let drop_prefixes = [
        "•",
        "Dhimmi - ",
        "Sahel - ",
        "Khorasan - ",
        "There is no doubt that the Islamic State is behind the attack in Moscow\n",
        "ISIS now considers Russia the main supporter of the Taliban\n",
        "The Tajik community in Afghanistan maintains strong ties with Tajiks in Russia\n",
        "Russian engineers completed the construction",
        "Subscribe to our",
        "К сожалению",
        "Google Chrome",
        "Islamic State Redux:",
    ];
    dump.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter(|l| !drop_prefixes.iter().any(|p| format!("{l}\n").starts_with(p)))
        .filter(|l| l.parse::<u32>().is_err())
        .collect::<Vec<_>>()
        .join("\n")
}

fn markdown() -> String {
    offprint::emit::markdown::write(seed_doc())
}

#[test]
fn title_and_exact_sections() {
    let doc = seed_doc();
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("Islamic State Redux: Exploring ISIS-K, their conflict with Russia, and the prospect of new terrorist attacks")
    );
    let md = markdown();
    let h2: Vec<&str> = md.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    assert_eq!(
        h2,
        [
            "Long-anticipated terrorist attack",
            "Understanding ISIS-K",
            "Is there any doubt as to who is behind the terrorist attack?",
            "The likelihood of new terrorist attacks",
            "Russia and the Islamic State: from coexistence to war",
        ]
    );
    assert_eq!(md.lines().filter(|l| l.starts_with("# ")).count(), 1);
    assert!(md.lines().all(|l| !l.starts_with("### ")));
}

#[test]
fn no_ticker_prompt_notice_or_browser_list() {
    let md = markdown();
    for junk in [
        "USD87.04",
        "EUR93.30",
        "OIL85.35",
        "1944",
        "Subscribe",
        "браузер",
        "Google Chrome",
        "Safari",
    ] {
        assert!(!md.contains(junk), "{junk} survived");
    }
}

#[test]
fn glossary_definitions_once_each_as_footnotes() {
    let doc = seed_doc();
    let md = markdown();
    for def in [
        "refers to Christians and Jews living in a Muslim state",
        "an African region encompassing Burkina Faso",
        "a historical region encompassing parts of modern-day Afghanistan",
    ] {
        assert_eq!(md.matches(def).count(), 1, "{def}");
    }
    assert_eq!(doc.footnotes.len(), 3);
    for n in 1..=3 {
        assert_eq!(md.matches(&format!("[^{n}]:")).count(), 1);
        assert_eq!(md.matches(&format!("[^{n}]")).count(), 2, "one reference and one definition");
    }
}

#[test]
fn pull_quotes_once_and_captions_gone() {
    let md = markdown();
    assert_eq!(
        md.matches("There is no doubt that the Islamic State is behind the attack in Moscow")
            .count(),
        1
    );
    assert_eq!(
        md.matches("ISIS now considers Russia the main supporter of the Taliban").count(),
        1
    );
    assert!(!md.contains("The Tajik community in Afghanistan maintains strong ties"));
    assert!(!md.contains("Russian engineers completed the construction of the plant"));
    // The surviving copies sit inside the quoted body text.
    assert!(md.contains(
        "> There is no doubt that the Islamic State is behind the attack in Moscow. In the past"
    ));
    assert!(
        md.contains("ISIS now considers Russia the main supporter of the Taliban. It's not about")
    );
}

#[test]
fn every_expert_quote_is_an_attributed_blockquote() {
    let doc = seed_doc();
    let quotes: Vec<(String, Vec<String>)> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Quote { attribution, blocks } => Some((
                attribution.as_deref().map(inlines_text).unwrap_or_default(),
                blocks.iter().map(offprint::model::block_text).collect(),
            )),
            _ => None,
        })
        .collect();
    let speakers: Vec<&str> = quotes.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        speakers,
        [
            "Aymenn Al-Tamimi, a researcher at the Middle East Forum",
            "Paweł Wójcik, an independent researcher specializing in Islamic State information resources and propaganda",
            "Israeli military expert David Sharp",
            "Aymenn Al-Tamimi",
            "Paweł Wójcik",
            "David Sharp",
            "Sergey Migdal, security expert and former Israeli police officer",
            "Paweł Wójcik",
            "Sergey Migdal",
            "David Sharp",
            "Paweł Wójcik",
        ]
    );
    // The quote that runs on across two interruptions keeps all its paragraphs.
    let (_, migdal) = &quotes[6];
    assert!(migdal.iter().any(|p| p.starts_with("The second enemy of ISIS in the region")));
    assert!(migdal.last().is_some_and(|p| p.ends_with("could impede the investigation.”")));
    assert_eq!(migdal.len(), 7);
    // No quoted paragraph is left outside a quote.
    for b in &doc.blocks {
        if let Block::Paragraph { content } = b {
            let t = inlines_text(content);
            assert!(!t.starts_with('“'), "unattributed quotation: {t}");
        }
    }
    let md = markdown();
    assert!(md.contains("David Sharp:\n\n> “Nothing can be guaranteed"));
}

#[test]
fn markdown_keeps_the_body() {
    let md = markdown();
    let s = survival(
        &reference_body(),
        &md.replace("[^1]", "").replace("[^2]", "").replace("[^3]", ""),
    );
    eprintln!("Markdown keeps {:.2}% of the body's 6-word runs", s * 100.0);
    assert!(s >= 0.995, "Markdown keeps {:.2}% of the body's 6-word runs", s * 100.0);
}

#[test]
fn markdown_reparses_to_the_model_structure() {
    use pulldown_cmark::{Event, HeadingLevel, Options as MdOptions, Parser, Tag, TagEnd};
    let doc = seed_doc();
    let md = markdown();
    let mut opts = MdOptions::empty();
    opts.insert(MdOptions::ENABLE_FOOTNOTES);
    opts.insert(MdOptions::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    opts.insert(MdOptions::ENABLE_TABLES);
    let mut h1 = 0;
    let mut h2 = Vec::new();
    let mut quotes = 0;
    let mut notes = 0;
    let mut noterefs = 0;
    let mut in_h2 = false;
    for ev in Parser::new_ext(&md, opts) {
        match ev {
            Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) => h1 += 1,
            Event::Start(Tag::Heading { level: HeadingLevel::H2, .. }) => {
                in_h2 = true;
                h2.push(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_h2 = false,
            Event::Text(t) if in_h2 => h2.last_mut().expect("heading").push_str(&t),
            Event::Start(Tag::BlockQuote(_)) => quotes += 1,
            Event::Start(Tag::FootnoteDefinition(_)) => notes += 1,
            Event::FootnoteReference(_) => noterefs += 1,
            _ => {}
        }
    }
    assert_eq!(h1, 1);
    let model_h2: Vec<String> = doc.headings().into_iter().map(|(_, t)| t).collect();
    assert_eq!(h2, model_h2);
    let model_quotes = doc.blocks.iter().filter(|b| matches!(b, Block::Quote { .. })).count();
    assert_eq!(quotes, model_quotes);
    assert_eq!(notes, doc.footnotes.len());
    assert_eq!(noterefs, doc.footnotes.len());
}

#[test]
fn epub_is_valid_and_keeps_the_body() {
    let doc = seed_doc();
    let bytes =
        offprint::write_edition(doc, OutputFormat::Epub, &Options::default()).expect("epub");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("seed.epub");
    std::fs::write(&path, &bytes).expect("write");
    let (errors, warnings, report) = epubcheck(&path);
    assert_eq!((errors, warnings), (0, 0), "EPUBCheck: {report}");
    let s = survival(&reference_body(), &epub_text(&bytes));
    eprintln!("EPUB keeps {:.2}% of the body's 6-word runs", s * 100.0);
    assert!(s >= 0.995, "EPUB keeps {:.2}% of the body's 6-word runs", s * 100.0);
}

#[test]
fn pdf_is_valid_and_keeps_the_body() {
    let doc = seed_doc();
    let bytes = offprint::write_edition(doc, OutputFormat::Pdf, &Options::default()).expect("pdf");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("seed.pdf");
    std::fs::write(&path, &bytes).expect("write");
    let p = path.to_str().expect("utf-8");
    let check = tool("qpdf", &["--check", p]);
    assert!(check.status.success(), "qpdf --check: {}", String::from_utf8_lossy(&check.stdout));
    let fonts = String::from_utf8_lossy(&tool("pdffonts", &[p]).stdout).into_owned();
    let font_rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!font_rows.is_empty(), "no fonts: {fonts}");
    for row in font_rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... encoding emb sub uni object ID
        let n = cols.len();
        assert!(n >= 7 && cols[n - 5] == "yes", "font not embedded: {row}");
    }
    let info = String::from_utf8_lossy(&tool("pdfinfo", &[p]).stdout).into_owned();
    assert!(
        info.lines().any(|l| l.starts_with("Title:") && l.contains("Islamic State Redux")),
        "{info}"
    );
    let s = survival(&reference_body(), &pdf_text(&path));
    eprintln!("PDF text keeps {:.2}% of the body's 6-word runs", s * 100.0);
    assert!(s >= 0.98, "PDF text keeps {:.2}% of the body's 6-word runs", s * 100.0);
    // Every section is in the outline.
    let json = String::from_utf8_lossy(&tool("qpdf", &["--json", "--json-key=outlines", p]).stdout)
        .into_owned();
    for (_, h) in doc.headings() {
        assert!(json.contains(&h.replace('"', "\\\"")), "outline lacks {h}");
    }
}

#[test]
fn every_edition_is_reproducible() {
    for format in [
        OutputFormat::Md,
        OutputFormat::Txt,
        OutputFormat::Json,
        OutputFormat::Epub,
        OutputFormat::Pdf,
    ] {
        let a = offprint::read_document(seed_bytes(), InputFormat::Text, &Options::default())
            .and_then(|d| offprint::write_edition(&d, format, &Options::default()))
            .expect("edition");
        let b = offprint::write_edition(seed_doc(), format, &Options::default()).expect("edition");
        assert!(a == b, "{format:?} differs between two runs");
    }
}
