//! EPUB writer on real outputs: EPUBCheck 5 must report no error and no warning, metadata,
//! navigation and footnotes must be complete, and output must be reproducible.

use crate::common::validators;

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

use base64::Engine as _;
use offprint::emit::epub::{self, EpubOptions};
use offprint::model::{Block, Document, Footnote, Inline, Meta};

fn t(s: &str) -> Inline {
    Inline::text(s)
}

/// A tiny valid PNG (w×h, a gradient), made with the `png` crate.
fn png_bytes(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        let data: Vec<u8> = (0..w * h * 3).map(|i| (i % 251) as u8).collect();
        wr.write_image_data(&data).unwrap();
    }
    out
}

fn rich_doc() -> Document {
    let png = png_bytes(8, 6);
    let data_uri =
        format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(&png));
    Document {
        meta: Meta {
            title: Some("Tom & Jerry <Live> \"Quoted\" \u{1} edition".into()),
            authors: vec!["Анна Петрова".into(), "Γιώργος Παπαδόπουλος".into()],
            date: Some("2024-03-28".into()),
            source: Some("https://example.org/news/2024/tom-and-jerry?x=1&y=2".into()),
            lang: Some("en".into()),
            site: Some("Example & Co".into()),
            description: Some("A test article with <every> block type.".into()),
            image: None,
            dir: None,
        },
        blocks: vec![
            Block::Paragraph {
                content: vec![
                    t("Intro with "),
                    Inline::Emph { content: vec![t("emphasis")] },
                    t(", "),
                    Inline::Strong { content: vec![t("strong")] },
                    t(", "),
                    Inline::Code { text: "a < b && c".into() },
                    t(", a "),
                    Inline::Link {
                        url: "https://example.org/a?b=1&c=2".into(),
                        content: vec![t("link")],
                    },
                    t(", a dangling "),
                    Inline::Link { url: "#section".into(), content: vec![t("fragment")] },
                    t(" and a note"),
                    Inline::FootnoteRef { id: 1 },
                    t("."),
                    Inline::LineBreak,
                    t("Second line: 5 > 3 & 2 < 4 \u{FFFE}."),
                ],
            },
            Block::heading(2, "Русский раздел"),
            Block::para("Съешь же ещё этих мягких французских булок, да выпей чаю."),
            Block::heading(3, "Ελληνικό υποκεφάλαιο"),
            Block::Paragraph {
                content: vec![
                    t("Ξεσκεπάζω την ψυχοφθόρα βδελυγμία."),
                    Inline::FootnoteRef { id: 2 },
                ],
            },
            Block::Quote {
                attribution: Some(vec![t("Aymenn Al-Tamimi, a researcher")]),
                blocks: vec![
                    Block::para("“I believe the first paragraph of the quote.”"),
                    Block::para("And a second one."),
                ],
            },
            Block::Quote { attribution: None, blocks: vec![Block::para("An anonymous quote.")] },
            Block::heading(2, "Lists & code"),
            Block::List {
                ordered: None,
                items: vec![
                    vec![Block::para("first bullet")],
                    vec![
                        Block::para("second bullet with a nested list"),
                        Block::List {
                            ordered: Some(3),
                            items: vec![vec![Block::para("three")], vec![Block::para("four")]],
                        },
                    ],
                ],
            },
            Block::List { ordered: Some(1), items: vec![vec![Block::para("one")]] },
            Block::Code {
                lang: Some("rust".into()),
                text: "fn main() {\n    println!(\"<&>\");\n}\n".into(),
            },
            Block::Table {
                caption: Some(vec![t("Prices & volumes")]),
                header: vec![vec![t("Item")], vec![t("Price")]],
                rows: vec![
                    vec![vec![t("Oil")], vec![t("85.35")]],
                    vec![vec![t("Gold <oz>")], vec![t("2 000")]],
                ],
            },
            Block::Table { caption: None, header: vec![], rows: vec![vec![vec![t("no header")]]] },
            Block::ThematicBreak,
            Block::heading(2, "Figures"),
            Block::Figure {
                src: data_uri,
                alt: "A gradient".into(),
                caption: vec![
                    t("An embedded "),
                    Inline::Emph { content: vec![t("data:")] },
                    t(" image"),
                ],
            },
            Block::Figure {
                src: "https://example.org/remote.jpg".into(),
                alt: "A remote photo".into(),
                caption: vec![t("A remote image: caption only")],
            },
            Block::Figure {
                src: "https://example.org/alt-only.jpg".into(),
                alt: "Only alt text".into(),
                caption: vec![],
            },
            Block::heading(4, "Deep heading"),
            Block::para("End of the article."),
        ],
        footnotes: vec![
            Footnote {
                id: 1,
                blocks: vec![Block::para("The first note, with <markup> & ampersand.")],
            },
            Footnote {
                id: 2,
                blocks: vec![
                    Block::para("Σημείωση δύο."),
                    Block::para("Second paragraph of the note."),
                ],
            },
        ],
    }
}

fn rtl_doc() -> Document {
    Document {
        meta: Meta {
            title: Some("مقالة تجريبية".into()),
            authors: vec!["كاتب".into()],
            date: Some("2023-11-05T09:30:00+03:00".into()),
            lang: Some("ar".into()),
            dir: Some("rtl".into()),
            ..Default::default()
        },
        blocks: vec![
            Block::para("هذه فقرة أولى من المقالة."),
            Block::heading(2, "قسم"),
            Block::Paragraph {
                content: vec![t("فقرة مع حاشية"), Inline::FootnoteRef { id: 1 }]
            },
        ],
        footnotes: vec![Footnote { id: 1, blocks: vec![Block::para("حاشية.")] }],
    }
}

fn simple_doc(n: usize) -> Document {
    Document {
        meta: Meta {
            title: Some(format!("Article number {n}")),
            authors: vec![format!("Author {n}")],
            date: Some(format!("2024-0{n}-1{n}")),
            source: Some(format!("https://news.example.com/{n}")),
            site: Some("Example News".into()),
            lang: Some(if n == 2 { "ru".into() } else { "en".into() }),
            ..Default::default()
        },
        blocks: vec![
            Block::para(format!("Lead paragraph of article {n}.")),
            Block::heading(2, format!("Section {n}.1")),
            Block::Paragraph { content: vec![t("Body"), Inline::FootnoteRef { id: 1 }] },
            Block::heading(3, format!("Subsection {n}.1.1")),
            Block::para("More text."),
            Block::heading(2, format!("Section {n}.2")),
            Block::para("Closing."),
        ],
        footnotes: vec![Footnote { id: 1, blocks: vec![Block::para(format!("Note of {n}."))] }],
    }
}

fn opts() -> EpubOptions {
    EpubOptions { source_date_epoch: Some(1_700_000_000), ..Default::default() }
}

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("epub-tests");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Write `bytes` to a file and run EPUBCheck; assert no fatal, error or warning.
fn assert_valid(name: &str, bytes: &[u8]) -> validators::EpubcheckReport {
    let path = out_dir().join(name);
    std::fs::write(&path, bytes).unwrap();
    let report = validators::epubcheck(&path);
    assert_eq!(
        report.count("FATAL") + report.count("ERROR") + report.count("WARNING"),
        0,
        "EPUBCheck {} on {}:\n{}",
        report.version,
        path.display(),
        report.problems()
    );
    report
}

fn entries(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.insert(f.name().to_string(), data);
    }
    out
}

fn entry(bytes: &[u8], name: &str) -> String {
    String::from_utf8(entries(bytes).remove(name).unwrap_or_else(|| panic!("no {name}"))).unwrap()
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[test]
fn rich_document_is_valid_and_complete() {
    let doc = rich_doc();
    let bytes = epub::write(&doc, &opts()).unwrap();
    assert_valid("rich.epub", &bytes);

    let opf = entry(&bytes, "OEBPS/content.opf");
    assert!(
        opf.contains("<dc:title>Tom &amp; Jerry &lt;Live&gt; \"Quoted\" edition</dc:title>"),
        "{opf}"
    );
    assert!(opf.contains(">Анна Петрова</dc:creator>"));
    assert!(opf.contains(">Γιώργος Παπαδόπουλος</dc:creator>"));
    assert!(opf.contains("<dc:language>en</dc:language>"));
    assert!(opf.contains("<dc:date>2024-03-28</dc:date>"));
    assert!(opf.contains("<meta property=\"dcterms:modified\">2024-03-28T00:00:00Z</meta>"));
    assert!(opf.contains(
        "<dc:source>https://example.org/news/2024/tom-and-jerry?x=1&amp;y=2</dc:source>"
    ));
    assert!(opf.contains("<dc:publisher>Example &amp; Co</dc:publisher>"));
    assert!(opf.contains(
        "<dc:description>A test article with &lt;every&gt; block type.</dc:description>"
    ));
    let id = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        b"https://example.org/news/2024/tom-and-jerry?x=1&y=2",
    );
    assert!(opf.contains(&format!("<dc:identifier id=\"epub-id-1\">urn:uuid:{id}</dc:identifier>")));
    for p in [
        "schema:accessMode\">textual",
        "schema:accessMode\">visual",
        "schema:accessModeSufficient\">textual",
        "schema:accessibilityFeature\">structuralNavigation",
        "schema:accessibilityFeature\">tableOfContents",
        "schema:accessibilityFeature\">readingOrder",
        "schema:accessibilityFeature\">alternativeText",
        "schema:accessibilityHazard\">none",
        "schema:accessibilitySummary\">",
    ] {
        assert!(opf.contains(p), "missing {p} in {opf}");
    }
    assert!(opf.contains("properties=\"cover-image\""), "default cover is generated");

    let xhtml = entry(&bytes, "OEBPS/ch001.xhtml");
    assert!(xhtml.contains("lang=\"en\" xml:lang=\"en\" dir=\"ltr\""));
    assert!(!xhtml.contains("style="));
    assert!(!xhtml.contains(" name="));
    assert!(!xhtml.contains('\u{1}') && !xhtml.contains('\u{FFFE}'));
    assert!(xhtml.contains("Second line: 5 &gt; 3 &amp; 2 &lt; 4 ."));
    assert!(xhtml.contains("<code>a &lt; b &amp;&amp; c</code>"));
    assert!(xhtml.contains("<a href=\"https://example.org/a?b=1&amp;c=2\">link</a>"));
    assert!(xhtml.contains("a dangling fragment and"), "fragment links are unlinked");
    assert!(xhtml
        .contains("<p class=\"attribution\">Aymenn Al-Tamimi, a researcher:</p>\n<blockquote>"));
    assert!(xhtml.contains("<ol start=\"3\">"));
    assert!(xhtml.contains("<thead>") && xhtml.contains("<tbody>") && xhtml.contains("<caption>"));
    assert!(xhtml.contains("<img src=\"images/img001.png\" alt=\"A gradient\"/>"));
    assert!(xhtml.contains("<figcaption>A remote image: caption only</figcaption>"));
    assert!(xhtml.contains("<figcaption>Only alt text</figcaption>"));
    assert!(!xhtml.contains("example.org/remote.jpg"), "no remote image references");
    assert!(entries(&bytes).contains_key("OEBPS/images/img001.png"));

    // Every footnote is a noteref/footnote pair with a back-link.
    for n in 1..=doc.footnotes.len() {
        assert_eq!(
            count(&xhtml, &format!("<a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn{n}\" id=\"fnref{n}\">")),
            1
        );
        assert_eq!(
            count(
                &xhtml,
                &format!("<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn{n}\">")
            ),
            1
        );
        assert_eq!(count(&xhtml, &format!("<a href=\"#fnref{n}\" role=\"doc-backlink\">")), 1);
    }

    // The nav lists every heading, nested under the article.
    let nav = entry(&bytes, "OEBPS/nav.xhtml");
    assert!(nav.contains("lang=\"en\" xml:lang=\"en\""));
    for (i, (_, text)) in doc.headings().iter().enumerate() {
        let link =
            format!("<a href=\"ch001.xhtml#sec-{}\">{}</a>", i + 1, text.replace('&', "&amp;"));
        assert!(nav.contains(&link), "nav lacks {link}:\n{nav}");
        assert!(xhtml.contains(&format!("id=\"sec-{}\"", i + 1)));
    }
    let ncx = entry(&bytes, "OEBPS/toc.ncx");
    assert!(ncx.contains("ch001.xhtml#sec-1"));
    assert!(ncx.contains(&format!("<meta name=\"dtb:uid\" content=\"urn:uuid:{id}\" />")));
    assert!(ncx.contains("<meta name=\"dtb:depth\" content=\"3\" />"), "{ncx}");
    assert!(ncx.contains("<text>Tom &amp; Jerry &lt;Live&gt; \"Quoted\" edition</text>"));

    // Reproducible: identical bytes on a second run.
    assert_eq!(bytes, epub::write(&doc, &opts()).unwrap());
}

#[test]
fn output_is_byte_identical_and_clock_free() {
    let mut doc = rich_doc();
    doc.meta.date = None;
    let a = epub::write(&doc, &opts()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let b = epub::write(&doc, &opts()).unwrap();
    assert_eq!(a, b);
    let opf = entry(&a, "OEBPS/content.opf");
    assert!(
        opf.contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"),
        "{opf}"
    );
    // Zip entry times come from the same date, not the clock.
    let mut z = zip::ZipArchive::new(Cursor::new(&a)).unwrap();
    for i in 0..z.len() {
        let f = z.by_index(i).unwrap();
        let m = f.last_modified().unwrap();
        assert_eq!((m.year(), m.month(), m.day()), (2023, 11, 14), "{}", f.name());
    }
    assert_eq!(z.by_index(0).unwrap().name(), "mimetype");
}

#[test]
fn no_source_identifier_is_stable_hash() {
    let mut doc = simple_doc(1);
    doc.meta.source = None;
    let a = entry(&epub::write(&doc, &opts()).unwrap(), "OEBPS/content.opf");
    let b = entry(&epub::write(&doc, &opts()).unwrap(), "OEBPS/content.opf");
    let id = |s: &str| s.split("urn:uuid:").nth(1).unwrap()[..36].to_string();
    assert_eq!(id(&a), id(&b));
    doc.blocks.push(Block::para("changed"));
    let c = entry(&epub::write(&doc, &opts()).unwrap(), "OEBPS/content.opf");
    assert_ne!(id(&a), id(&c));
}

#[test]
fn rtl_document_is_valid() {
    let bytes = epub::write(&rtl_doc(), &opts()).unwrap();
    assert_valid("rtl.epub", &bytes);
    let opf = entry(&bytes, "OEBPS/content.opf");
    assert!(opf.contains("page-progression-direction=\"rtl\""), "{opf}");
    assert!(opf.contains("<dc:language>ar</dc:language>"));
    assert!(opf.contains("<dc:date>2023-11-05T06:30:00Z</dc:date>"));
    let xhtml = entry(&bytes, "OEBPS/ch001.xhtml");
    assert!(xhtml.contains("lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\""));
    let nav = entry(&bytes, "OEBPS/nav.xhtml");
    assert!(nav.contains("dir=\"rtl\""));
}

#[test]
fn supplied_images_and_cover_options() {
    let mut doc = simple_doc(1);
    doc.blocks.push(Block::Figure {
        src: "https://example.org/photo.png".into(),
        alt: "Photo".into(),
        caption: vec![t("Supplied bytes")],
    });
    let mut o = opts();
    o.images.insert(
        "https://example.org/photo.png".into(),
        (png_bytes(5, 5), "image/jpeg".into()), // wrong type on purpose: sniffed
    );
    o.cover = Some(png_bytes(60, 90));
    let bytes = epub::write(&doc, &o).unwrap();
    assert_valid("images.epub", &bytes);
    let files = entries(&bytes);
    assert!(files.contains_key("OEBPS/images/img001.png"));
    assert_eq!(files.get("OEBPS/images/cover.png"), o.cover.as_ref());
    assert!(files.contains_key("OEBPS/cover.xhtml"));

    o.no_cover = true;
    let bytes = epub::write(&doc, &o).unwrap();
    assert_valid("nocover.epub", &bytes);
    let files = entries(&bytes);
    assert!(!files.contains_key("OEBPS/cover.xhtml"));
    assert!(!entry(&bytes, "OEBPS/content.opf").contains("cover-image"));
}

#[test]
fn book_of_three_articles() {
    let docs = vec![simple_doc(1), simple_doc(2), simple_doc(3)];
    let bytes = epub::write_book(&docs, "Three <Articles>", &opts()).unwrap();
    assert_valid("book.epub", &bytes);
    let opf = entry(&bytes, "OEBPS/content.opf");
    assert!(opf.contains("<dc:title>Three &lt;Articles&gt;</dc:title>"));
    for n in 1..=3 {
        assert!(opf.contains(&format!(">Author {n}</dc:creator>")));
        assert!(opf.contains(&format!("<dc:source>https://news.example.com/{n}</dc:source>")));
    }
    assert!(opf.contains("<dc:language>en</dc:language>"));
    assert!(opf.contains("<dc:language>ru</dc:language>"));
    assert!(opf.contains("<dc:date>2024-03-13</dc:date>"), "latest date");
    let nav = entry(&bytes, "OEBPS/nav.xhtml");
    for (n, doc) in docs.iter().enumerate() {
        let file = format!("ch{:03}.xhtml", n + 1);
        assert!(nav.contains(&format!("<a href=\"{file}\">Article number {}</a>", n + 1)));
        for (i, (_, text)) in doc.headings().iter().enumerate() {
            assert!(nav.contains(&format!("<a href=\"{file}#sec-{}\">{text}</a>", i + 1)), "{nav}");
        }
        let ch = entry(&bytes, &format!("OEBPS/{file}"));
        assert!(ch.contains(&format!("<p class=\"byline\">Author {}</p>", n + 1)));
        assert!(ch.contains(&format!("https://news.example.com/{}</a>", n + 1)));
        assert!(ch.contains("<time datetime="));
    }
    let ru = entry(&bytes, "OEBPS/ch002.xhtml");
    assert!(ru.contains("lang=\"ru\" xml:lang=\"ru\""));
    assert_eq!(bytes, epub::write_book(&docs, "Three <Articles>", &opts()).unwrap());
}

#[test]
fn seed_article_is_valid() {
    let input =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/input/islamic-state-redux.txt"))
            .unwrap();
    let doc =
        offprint::read_document(&input, offprint::InputFormat::Text, &offprint::Options::default())
            .unwrap();
    let bytes = epub::write(&doc, &opts()).unwrap();
    assert_valid("seed.epub", &bytes);
    let xhtml = entry(&bytes, "OEBPS/ch001.xhtml");
    let nav = entry(&bytes, "OEBPS/nav.xhtml");
    for (i, _) in doc.headings().iter().enumerate() {
        assert!(nav.contains(&format!("ch001.xhtml#sec-{}\"", i + 1)));
    }
    for n in doc.footnotes.iter().map(|f| f.id) {
        assert!(xhtml.contains(&format!("id=\"fn{n}\"")));
    }
    assert_eq!(bytes, epub::write(&doc, &opts()).unwrap());
}

/// Odd but possible model content: nothing may produce an invalid EPUB.
fn edge_doc() -> Document {
    let svg_uri = "data:image/svg+xml;base64,PHN2Zy8+".to_string();
    Document {
        meta: Meta {
            title: None,
            authors: vec!["  ".into(), "A\u{0}B".into()],
            date: Some("last Tuesday".into()),
            source: Some("not a url".into()),
            lang: Some("english (US)".into()),
            site: Some("".into()),
            description: Some("\u{7}".into()),
            image: Some("https://example.org/lead.jpg".into()),
            dir: Some("RTL".into()),
        },
        blocks: vec![
            Block::heading(2, "   "),
            Block::heading(0, "Level zero"),
            Block::Paragraph { content: vec![] },
            Block::Paragraph {
                content: vec![
                    Inline::Link { url: "javascript:alert(1)".into(), content: vec![t("js")] },
                    Inline::Link { url: "/relative/path".into(), content: vec![t(" rel")] },
                    Inline::Link { url: "https://example.org/".into(), content: vec![] },
                    Inline::Emph { content: vec![] },
                    Inline::FootnoteRef { id: 0 },
                    Inline::FootnoteRef { id: 3 },
                    Inline::FootnoteRef { id: 3 },
                    t("\u{b}vertical tab \u{feff}bom"),
                ],
            },
            Block::Quote { attribution: Some(vec![t("")]), blocks: vec![] },
            Block::List {
                ordered: Some(0),
                items: vec![
                    vec![],
                    vec![Block::Quote { attribution: None, blocks: vec![Block::para("q")] }],
                ],
            },
            Block::List { ordered: None, items: vec![] },
            Block::Code { lang: Some("c++ <x>".into()), text: "a\u{1}b\n\n".into() },
            Block::Table {
                caption: Some(vec![]),
                header: vec![vec![t("a")], vec![t("b")], vec![t("c")]],
                rows: vec![
                    vec![vec![t("1")]],
                    vec![],
                    vec![vec![t("1")], vec![t("2")], vec![t("3")], vec![t("4")]],
                ],
            },
            Block::Table { caption: None, header: vec![], rows: vec![] },
            Block::Figure { src: svg_uri, alt: "".into(), caption: vec![] },
            Block::Figure { src: "".into(), alt: "".into(), caption: vec![t("caption only")] },
            Block::Figure {
                src: "data:image/png;base64,!!!".into(),
                alt: "broken".into(),
                caption: vec![],
            },
            Block::ThematicBreak,
            Block::ThematicBreak,
        ],
        footnotes: vec![
            Footnote { id: 3, blocks: vec![] },
            Footnote { id: 3, blocks: vec![Block::para("duplicate id")] },
            Footnote {
                id: 9,
                blocks: vec![Block::Code { lang: None, text: "never referenced".into() }],
            },
        ],
    }
}

#[test]
fn edge_cases_stay_valid() {
    let doc = edge_doc();
    let bytes = epub::write(&doc, &opts()).unwrap();
    assert_valid("edge.epub", &bytes);
    let opf = entry(&bytes, "OEBPS/content.opf");
    assert!(opf.contains("<dc:title>Untitled</dc:title>"));
    assert!(opf.contains("<dc:language>en</dc:language>"), "malformed language falls back");
    assert!(opf.contains(">AB</dc:creator>"));
    assert!(!opf.contains("<dc:date>"), "unparseable date is left out");
    assert!(opf.contains("page-progression-direction=\"rtl\""));
    let xhtml = entry(&bytes, "OEBPS/ch001.xhtml");
    assert!(!xhtml.contains("javascript:") && !xhtml.contains("/relative/path"));
    assert!(!xhtml.contains("svg"), "SVG is not embedded");
    assert_eq!(count(&xhtml, "id=\"fn3\""), 1);

    // An empty book title and an empty list of articles.
    assert!(epub::write_book(&[], "x", &opts()).is_err());
    let bytes = epub::write_book(&[edge_doc(), rtl_doc()], "  ", &opts()).unwrap();
    assert_valid("edge-book.epub", &bytes);
}

/// Deterministic xorshift generator for the randomised well-formedness test.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "word",
            " ",
            "&",
            "<",
            ">",
            "\"",
            "'",
            "]]>",
            "--",
            "&amp;",
            "<p>",
            "Ж",
            "λ",
            "عربى",
            "\u{1}",
            "\u{b}",
            "\u{7f}",
            "\u{85}",
            "\u{fffe}",
            "\u{ffff}",
            "\u{fdd0}",
            "😀",
            "\t",
            "\n",
            "\u{200f}",
            "&#1;",
            "x:y",
            "http://e.org/?a=1&b=2",
        ];
        let n = 1 + self.below(6);
        (0..n).map(|_| PIECES[self.below(PIECES.len())]).collect()
    }
    fn url(&mut self) -> String {
        const URLS: &[&str] = &[
            "https://example.org/a?b=1&c=<2>",
            "#frag",
            "relative/x.html",
            "mailto:a@b.c",
            "javascript:void(0)",
            "",
            "https://пример.рф/путь",
            "http://[::1]:8080/\"q\"",
        ];
        URLS[self.below(URLS.len())].to_string()
    }
    fn inlines(&mut self, depth: usize) -> Vec<Inline> {
        let n = self.below(5);
        (0..n)
            .map(|_| match self.below(if depth > 2 { 3 } else { 8 }) {
                0 | 1 => Inline::text(self.text()),
                2 => Inline::FootnoteRef { id: self.below(5) },
                3 => Inline::Emph { content: self.inlines(depth + 1) },
                4 => Inline::Strong { content: self.inlines(depth + 1) },
                5 => Inline::Code { text: self.text() },
                6 => Inline::Link { url: self.url(), content: self.inlines(depth + 1) },
                _ => Inline::LineBreak,
            })
            .collect()
    }
    fn blocks(&mut self, depth: usize) -> Vec<Block> {
        let n = self.below(6);
        (0..n)
            .map(|_| match self.below(if depth > 2 { 3 } else { 9 }) {
                0 => Block::Paragraph { content: self.inlines(0) },
                1 => Block::Heading { level: self.below(9) as u8, content: self.inlines(0) },
                2 => Block::Code { lang: Some(self.text()), text: self.text() },
                3 => Block::Quote {
                    attribution: if self.below(2) == 0 { Some(self.inlines(0)) } else { None },
                    blocks: self.blocks(depth + 1),
                },
                4 => Block::List {
                    ordered: if self.below(2) == 0 { Some(self.below(5) as u32) } else { None },
                    items: (0..self.below(4)).map(|_| self.blocks(depth + 1)).collect(),
                },
                5 => Block::Table {
                    caption: Some(self.inlines(0)),
                    header: (0..self.below(3)).map(|_| self.inlines(0)).collect(),
                    rows: (0..self.below(3))
                        .map(|_| (0..self.below(4)).map(|_| self.inlines(0)).collect())
                        .collect(),
                },
                6 => Block::Figure { src: self.url(), alt: self.text(), caption: self.inlines(0) },
                7 => Block::ThematicBreak,
                _ => Block::Paragraph { content: self.inlines(0) },
            })
            .collect()
    }
    fn doc(&mut self) -> Document {
        Document {
            meta: Meta {
                title: Some(self.text()),
                authors: (0..self.below(3)).map(|_| self.text()).collect(),
                date: Some(self.text()),
                source: Some(self.url()),
                lang: Some(self.text()),
                site: Some(self.text()),
                description: Some(self.text()),
                image: None,
                dir: Some(if self.below(2) == 0 { "rtl".into() } else { self.text() }),
            },
            blocks: self.blocks(0),
            footnotes: (1..self.below(5))
                .map(|id| Footnote { id, blocks: self.blocks(2) })
                .collect(),
        }
    }
}

/// Every XML document in the package parses, ids are unique and every in-document link
/// lands on an id, for a few hundred random documents full of markup characters.
#[test]
fn random_documents_give_well_formed_xml() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let o = EpubOptions { no_cover: true, ..opts() };
    for round in 0..300 {
        let doc = rng.doc();
        let bytes = epub::write(&doc, &o).unwrap();
        for (name, data) in entries(&bytes) {
            if !(name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx")) {
                continue;
            }
            let text = String::from_utf8(data).unwrap();
            let opt = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
            let xml = roxmltree::Document::parse_with_options(&text, opt).unwrap_or_else(|e| {
                panic!("round {round}: {name} is not well-formed: {e}\n{text}")
            });
            let ids: Vec<&str> = xml.descendants().filter_map(|n| n.attribute("id")).collect();
            let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
            assert_eq!(ids.len(), unique.len(), "round {round}: duplicate ids in {name}");
            for list in xml.descendants().filter(|n| n.has_tag_name("ol") || n.has_tag_name("ul")) {
                assert!(
                    list.children().any(|c| c.has_tag_name("li")),
                    "round {round}: empty list in {name}"
                );
            }
            for href in xml.descendants().filter_map(|n| n.attribute("href")) {
                if let Some(frag) = href.strip_prefix('#') {
                    assert!(
                        unique.contains(frag),
                        "round {round}: {name} links to missing #{frag}"
                    );
                }
                assert!(!href.starts_with("javascript:"), "round {round}: {href}");
            }
        }
    }
}

/// EPUBCheck on a book of random articles (one run covers many content documents).
#[test]
fn random_book_passes_epubcheck() {
    // `EPUB_TEST_SEED` explores other random books; the default keeps the test reproducible.
    let seed = std::env::var("EPUB_TEST_SEED").ok().and_then(|s| s.parse().ok());
    let mut rng = Rng(seed.unwrap_or(0xD1B5_4A32_D192_ED03));
    let docs: Vec<Document> = (0..40).map(|_| rng.doc()).collect();
    let bytes = epub::write_book(&docs, "Random <&> book", &opts()).unwrap();
    assert_valid("random-book.epub", &bytes);
    let single = epub::write(&docs[0], &opts()).unwrap();
    assert_valid("random-single.epub", &single);
}

/// Pages of a corpus folder as text dumps (`w3m -dump`), read by the text reader.
fn corpus_docs(pages: &[PathBuf]) -> Vec<Document> {
    let mut docs = Vec::new();
    for page in pages {
        let out = std::process::Command::new("w3m")
            .args(["-dump", "-T", "text/html", "-cols", "100", "-O", "UTF-8"])
            .arg(page)
            .output()
            .unwrap_or_else(|e| panic!("cannot run w3m ({e})"));
        let dump = String::from_utf8_lossy(&out.stdout).into_owned();
        let name = page.to_string_lossy().replace(['/', '.'], "-");
        let opts = offprint::Options {
            source: Some(format!("https://corpus.example/{name}")),
            ..Default::default()
        };
        if let Ok(doc) =
            offprint::read_document(dump.as_bytes(), offprint::InputFormat::Text, &opts)
        {
            docs.push(doc);
        }
    }
    docs
}

/// Real text: the pages of both corpora (readability: all 130 pages; trafilatura: every third
/// of 495 pages in many languages), dumped by `w3m` and read by the text reader, go into
/// books of at most 150 articles; EPUBCheck must stay silent on each. Needs the corpus (`$OFFPRINT_CORPUS` or
/// `../shared/corpus`); an absent corpus fails only under `CI=true`.
#[test]
fn corpus_dumps_make_valid_books() {
    let Some(corpus) = crate::common::corpus_dir() else { return };
    let list = |dir: PathBuf| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> =
            std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
        v.sort();
        v
    };
    let mut pages: Vec<PathBuf> =
        list(corpus.join("readability")).into_iter().map(|p| p.join("source.html")).collect();
    // Every third trafilatura page keeps the many languages and the run time reasonable.
    pages.extend(list(corpus.join("trafilatura/html")).into_iter().step_by(3));
    let docs = corpus_docs(&pages);
    assert!(docs.len() > 250, "only {} of {} corpus pages were read", docs.len(), pages.len());
    for (i, part) in docs.chunks(150).enumerate() {
        let bytes = epub::write_book(part, &format!("Corpus part {}", i + 1), &opts()).unwrap();
        assert_valid(&format!("corpus-{}.epub", i + 1), &bytes);
    }

    // The same pages through the HTML reader: real figures, links, lists and tables.
    let mut html_docs = Vec::new();
    for page in &pages {
        let bytes = std::fs::read(page).unwrap();
        let opts = offprint::Options {
            base_url: Some("https://corpus.example/page/".into()),
            ..Default::default()
        };
        if let Ok(doc) = offprint::read_document(&bytes, offprint::InputFormat::Html, &opts) {
            html_docs.push(doc);
        }
    }
    assert!(html_docs.len() > 250, "only {} corpus pages were read as HTML", html_docs.len());
    for (i, part) in html_docs.chunks(150).enumerate() {
        let bytes = epub::write_book(part, &format!("HTML part {}", i + 1), &opts()).unwrap();
        assert_valid(&format!("corpus-html-{}.epub", i + 1), &bytes);
    }
}

/// The one-JVM EPUBCheck run the corpus test uses reports on each book in order, and fails
/// a broken one: a book cut short, and one whose package document names a chapter it lacks.
#[test]
fn epubcheck_batch_reports_each_book() {
    let good = epub::write(&simple_doc(1), &opts()).unwrap();
    let dir = out_dir().join("batch");
    std::fs::create_dir_all(&dir).unwrap();
    let mut broken = entries(&good);
    let opf = String::from_utf8(broken.remove("OEBPS/content.opf").unwrap()).unwrap();
    // The manifest's chapter now points at a file the book does not have.
    let opf = opf.replacen("href=\"ch001.xhtml\"", "href=\"ch009.xhtml\"", 1);
    assert!(opf.contains("href=\"ch009.xhtml\""), "{opf}");
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/epub+zip").unwrap();
    for (name, data) in broken.iter().filter(|(n, _)| n.as_str() != "mimetype") {
        w.start_file(name.as_str(), stored).unwrap();
        w.write_all(data).unwrap();
    }
    w.start_file("OEBPS/content.opf", stored).unwrap();
    w.write_all(opf.as_bytes()).unwrap();
    let missing = w.finish().unwrap().into_inner();
    let files = [dir.join("good.epub"), dir.join("cut.epub"), dir.join("missing.epub")];
    std::fs::write(&files[0], &good).unwrap();
    std::fs::write(&files[1], &good[..good.len() / 2]).unwrap();
    std::fs::write(&files[2], &missing).unwrap();
    let reports = validators::epubcheck_many(&files);
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[0].problems(), "", "the good book");
    assert!(reports[1].count("FATAL") + reports[1].count("ERROR") > 0, "the cut book passed");
    assert!(
        reports[2].count("ERROR") > 0
            && reports[2].messages.iter().any(|m| m.message.contains("ch009.xhtml")),
        "the missing chapter went unreported: {}",
        reports[2].problems()
    );
}

#[test]
fn links_between_bundled_articles_stay_inside_the_book() {
    let mut a = simple_doc(1);
    let mut b = simple_doc(2);
    a.meta.source = Some("https://example.org/news/one".into());
    b.meta.source = Some("https://example.org/news/two/".into());
    a.blocks.push(Block::Paragraph {
        content: vec![
            t("See "),
            Inline::Link {
                url: "https://example.org/news/two#part".into(),
                content: vec![t("the other story")],
            },
            t(" and "),
            Inline::Link {
                url: "https://example.org/elsewhere".into(),
                content: vec![t("a page outside")],
            },
            t("."),
        ],
    });
    let bytes = epub::write_book(&[a, b], "Two Stories", &opts()).unwrap();
    assert_valid("internal-links.epub", &bytes);
    let ch1 = entry(&bytes, "OEBPS/ch001.xhtml");
    assert!(ch1.contains("<a href=\"ch002.xhtml\">the other story</a>"), "{ch1}");
    assert!(ch1.contains("<a href=\"https://example.org/elsewhere\">"), "{ch1}");
}
