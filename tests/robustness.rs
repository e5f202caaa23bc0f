//! Odd and hostile inputs: every reader and writer returns a value or an error, never panics.
//! A fixed pseudo-random generator keeps the inputs the same on every run.

use offprint::{InputFormat, Options, OutputFormat};

/// A small linear congruential generator (deterministic, no dependency).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

const TEXT_PIECES: &[&str] = &[
    "\n",
    "\n\n",
    "\n\n\n",
    " ",
    "• ",
    "- ",
    "1. ",
    "USD87.04",
    "1944",
    "“",
    "”",
    "«",
    "»",
    "\"",
    ":",
    ".",
    "?",
    "Harbour",
    "pier",
    "Maria Lopez, engineer:",
    "Term - a definition of the term.",
    "Subscribe to our newsletter",
    "[IMG]",
    "[12]",
    "   1. https://example.org/",
    "日本語の文章。",
    "Порт закроет причал.",
    "ـعربي",
    "\u{00AD}",
    "\u{200B}",
    "\t",
    "é",
    "e\u{0301}",
    "(",
    ")",
    "The work will take eighteen months, during which ferries dock at the southern terminal.",
    "By Jane Doe",
    "28 March 2024",
    "Tags: a, b",
    "© 2024",
    "—",
    "–",
    "https://example.org/a?b=c",
];

const HTML_PIECES: &[&str] = &[
    "<p>", "</p>", "<div class=\"content\">", "</div>", "<article>", "</article>", "<h1>", "</h1>",
    "<h2>", "</h2>", "<ul><li>", "</li></ul>", "<table><tr><td>", "</td></tr></table>", "<pre>",
    "</pre>", "<blockquote>", "</blockquote>", "<a href=\"/x\">", "<a href=\"javascript:x\">", "</a>",
    "<img src=\"data:image/png;base64,AAAA\">", "<img srcset=\"a.jpg 2x, b.jpg 100w\">", "<br>",
    "<script>var x = '<p>';</script>", "<style>p{}</style>", "<em>", "</em>", "<sup>1</sup>",
    "<meta charset=\"windows-1251\">", "<title>A | Site</title>", "<nav>", "</nav>", "&amp;",
    "&#0;", "&nbsp;", "<!--", "-->", "<![CDATA[", "]]>", "<figure>", "<figcaption>", "</figure>",
    "Some article text that goes on for a while, with words. ", "Ещё текст статьи. ", "\u{0}",
    "<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"NewsArticle\",\"headline\":1}]}</script>",
];

fn random_input(rng: &mut Lcg, pieces: &[&str], len: usize) -> String {
    (0..len).map(|_| rng.pick(pieces)).collect()
}

fn exercise(bytes: &[u8], format: InputFormat) {
    let opts = Options { source_date_epoch: Some(0), ..Options::default() };
    if let Ok(doc) = offprint::read_document(bytes, format, &opts) {
        for f in [
            OutputFormat::Md,
            OutputFormat::Txt,
            OutputFormat::Json,
            OutputFormat::Epub,
            OutputFormat::Pdf,
        ] {
            // An error is fine; a panic fails the test.
            let _ = offprint::write_edition(&doc, f, &opts);
        }
    }
}

#[test]
fn random_text_dumps_never_panic() {
    let mut rng = Lcg(7);
    for i in 0..120 {
        let s = random_input(&mut rng, TEXT_PIECES, 20 + i * 3);
        exercise(s.as_bytes(), InputFormat::Text);
    }
}

#[test]
fn random_tag_soup_never_panics() {
    let mut rng = Lcg(11);
    for i in 0..120 {
        let s = random_input(&mut rng, HTML_PIECES, 20 + i * 3);
        exercise(s.as_bytes(), InputFormat::Html);
    }
}

#[test]
fn binary_and_truncated_inputs_are_errors_or_documents() {
    let mut rng = Lcg(3);
    for n in [0usize, 1, 2, 3, 17, 256, 4096] {
        let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
        exercise(&bytes, InputFormat::Text);
        exercise(&bytes, InputFormat::Html);
    }
    // Binary data is an error in both readers, whatever its name says, not an edition of
    // mojibake: random bytes, and an image.
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\x0f\0\x01\x01\x01\0\x18\xdd\x8d\xb0\0\0\0\0IEND\xaeB`\x82";
    let noise: Vec<u8> = (0..4096).map(|_| rng.next() as u8).collect();
    for bytes in [&noise[..], png] {
        for format in [InputFormat::Html, InputFormat::Text] {
            match offprint::read_document(bytes, format, &Options::default()) {
                Err(e) => assert!(e.to_string().contains("binary"), "{format:?}: {e}"),
                Ok(d) => panic!("{format:?}: binary input read as {:?}", d.blocks.first()),
            }
        }
    }
    // Truncated UTF-8 and a lone BOM.
    exercise(&[0xEF, 0xBB, 0xBF], InputFormat::Text);
    exercise("Заголовок статьи\n\nТекст".as_bytes().split_at(5).0, InputFormat::Text);
}

/// A page of `depth` nested `tag`s around one paragraph.
fn nested(tag: &str, depth: usize) -> String {
    let p = "<p>The harbour authority announced that the northern pier will close for repairs after winter storms damaged its foundations, and ferries will dock at the southern terminal.</p>";
    format!(
        "<html><head><title>Deep page</title></head><body>{}{}{}</body></html>",
        format!("<{tag}>").repeat(depth),
        p.repeat(4),
        format!("</{tag}>").repeat(depth)
    )
}

#[test]
fn absurdly_deep_nesting_is_a_clear_error_not_a_crash() {
    let opts = Options::default();
    // Deeper than browsers nest (512): refused with the reason, before parsing or after
    // (100,000 levels used to overflow the stack, which aborts this test binary).
    for (tag, depth) in [("div", 600), ("section", 100_000), ("b", 3_000)] {
        let err = offprint::read_document(nested(tag, depth).as_bytes(), InputFormat::Html, &opts)
            .expect_err(&format!("{depth} nested <{tag}>"));
        assert!(err.to_string().contains("nested more than 512 deep"), "{err}");
    }
    // A deep but possible page is read.
    let doc = offprint::read_document(nested("div", 400).as_bytes(), InputFormat::Html, &opts)
        .expect("400 nested <div>s");
    assert!(doc.body_text().contains("northern pier"));
}
