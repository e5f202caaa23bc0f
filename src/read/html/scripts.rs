//! Script and style bodies left out before parsing.
//!
//! Nearly half the bytes of a page in the corpus are the bodies of `<script>` and `<style>`
//! elements (29% and 16% of the 25 MB of readability/), which no reader of the article needs:
//! Readability.js and our extractor remove them first, and the metadata reader reads only
//! JSON-LD scripts. html5ever tokenizes them character by character and the DOM holds them
//! as text, so the reader leaves them out before the parse: each `<script …>` (JSON-LD
//! excepted) and `<style …>` keeps its start and end tags, and only its body goes. The
//! elements, their attributes and everything around them parse as before.
//!
//! This is a scan, not a parser, so it is written to be safe where it is unsure: it only
//! ever removes text between a start tag it is sure of and the end tag that HTML's
//! tokenizer would close it with, and otherwise copies the page as it is.
//!
//! - Comments, `<!…>`/`<?…>` declarations and CDATA sections are copied whole, so a
//!   `<script>` inside them is not taken for one.
//! - Start tags are read attribute by attribute, with quoted values, as the tokenizer reads
//!   them, so a `<style>` in an attribute value is not taken for one either.
//! - The content of the other raw-text and RCDATA elements (`textarea`, `title`, `xmp`,
//!   `iframe`, `noembed`, `noframes`, `noscript`, `plaintext`) is copied whole.
//! - A script whose body opens an HTML comment (`<!--`) is copied whole: there the
//!   tokenizer's escape states may carry the script past its first `</script>`.
//! - A self-closing `<script/>` or `<style/>` (which closes itself inside SVG) and a body
//!   that would run past an `</svg>` or `</math>` are copied whole too.

use std::borrow::Cow;

/// Elements whose content the tokenizer reads as text up to their own end tag; copied whole.
const RAW_TEXT: &[&str] =
    &["textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"];

/// `html` with the bodies of its scripts (JSON-LD excepted) and styles left out, or as it is
/// when it has none.
pub fn elide_bodies(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Copied up to here (into `out`, once something is left out).
    let mut copied = 0;
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', bytes.get(at..).unwrap_or_default()) {
        let lt = at + lt;
        let (name, end, self_closing) = match Markup::at(bytes, lt) {
            // Not markup: text, a `<` that opened nothing.
            None => {
                at = lt + 1;
                continue;
            }
            Some(Markup::Unterminated) => break,
            Some(Markup::Other { end }) => {
                at = end;
                continue;
            }
            Some(Markup::StartTag { name, end, self_closing }) => (name, end, self_closing),
        };
        at = end;
        let name = &bytes[lt + 1..name];
        if name.eq_ignore_ascii_case(b"plaintext") {
            break;
        }
        let elide = if name.eq_ignore_ascii_case(b"script") {
            !self_closing && !bytes[lt..end].windows(7).any(|w| w.eq_ignore_ascii_case(b"ld+json"))
        } else if name.eq_ignore_ascii_case(b"style") {
            !self_closing
        } else if RAW_TEXT.iter().any(|n| name.eq_ignore_ascii_case(n.as_bytes())) {
            // Copied whole; the scan goes on after its end tag (or stops: none).
            match end_tag(bytes, end, name) {
                Some(close) => {
                    at = close;
                    continue;
                }
                None => break,
            }
        } else {
            continue;
        };
        let Some(close) = end_tag(bytes, end, name) else { break };
        let body = &bytes[end..close];
        let keep = !elide
            || (name.eq_ignore_ascii_case(b"script")
                && memchr::memmem::find(body, b"<!--").is_some())
            || contains_ignore_case(body, b"</svg")
            || contains_ignore_case(body, b"</math");
        if !keep && !body.is_empty() {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..end]);
            copied = close;
        }
        at = close;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// What starts at a `<`, and where it ends.
#[derive(Debug, PartialEq)]
enum Markup {
    /// A start tag: the end of its name, the end of the tag (after `>`), and whether it
    /// ends with `/>`.
    StartTag { name: usize, end: usize, self_closing: bool },
    /// An end tag, comment, declaration or processing instruction, copied as it is.
    Other { end: usize },
    /// Markup the page ends inside of: nothing after it is a tag.
    Unterminated,
}

impl Markup {
    /// The markup starting at `bytes[lt] == b'<'`, or `None` for a `<` the tokenizer reads
    /// as text.
    fn at(bytes: &[u8], lt: usize) -> Option<Markup> {
        let rest = bytes.get(lt + 1..)?;
        let after = |from: usize, pat: &[u8]| -> Markup {
            match memchr::memmem::find(bytes.get(from..).unwrap_or_default(), pat) {
                Some(i) => Markup::Other { end: from + i + pat.len() },
                None => Markup::Unterminated,
            }
        };
        match rest.first()? {
            b'!' => Some(if rest.starts_with(b"!--") {
                comment(bytes, lt + 4)
            } else if rest.starts_with(b"![CDATA[") {
                // CDATA in SVG or MathML; in HTML a declaration ending at the first `>`,
                // which is sooner: copying up to `]]>` copies at least as much.
                after(lt + 9, b"]]>")
            } else {
                after(lt + 2, b">")
            }),
            b'?' => Some(after(lt + 2, b">")),
            b'/' => match rest.get(1)? {
                c if c.is_ascii_alphabetic() => Some(match tag_end(bytes, lt + 2) {
                    Some((_, end, _)) => Markup::Other { end },
                    None => Markup::Unterminated,
                }),
                b'>' => Some(Markup::Other { end: lt + 3 }),
                _ => Some(after(lt + 2, b">")),
            },
            c if c.is_ascii_alphabetic() => Some(match tag_end(bytes, lt + 1) {
                Some((name, end, self_closing)) => Markup::StartTag { name, end, self_closing },
                None => Markup::Unterminated,
            }),
            _ => None,
        }
    }
}

/// A comment whose `<!--` ends at `from`: `<!-->` and `<!--->` close at once, else the
/// first `-->` or `--!>` closes it.
fn comment(bytes: &[u8], from: usize) -> Markup {
    let rest = bytes.get(from..).unwrap_or_default();
    if rest.starts_with(b">") {
        return Markup::Other { end: from + 1 };
    }
    if rest.starts_with(b"->") {
        return Markup::Other { end: from + 2 };
    }
    let mut i = 0;
    while let Some(d) = memchr::memmem::find(rest.get(i..).unwrap_or_default(), b"--") {
        let dd = i + d + 2;
        match rest.get(dd) {
            Some(b'>') => return Markup::Other { end: from + dd + 1 },
            Some(b'!') if rest.get(dd + 1) == Some(&b'>') => {
                return Markup::Other { end: from + dd + 2 }
            }
            Some(_) => i = i + d + 1,
            None => break,
        }
    }
    Markup::Unterminated
}

/// Read a tag whose name starts at `from` as the tokenizer does (name, then attributes with
/// quoted or unquoted values): the end of its name, the end of the tag after `>`, and
/// whether it ends `/>`. `None` when the page ends inside it.
fn tag_end(bytes: &[u8], from: usize) -> Option<(usize, usize, bool)> {
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut i = from;
    while !matches!(bytes.get(i)?, c if is_space(*c) || *c == b'/' || *c == b'>') {
        i += 1;
    }
    let name = i;
    loop {
        // Before an attribute name (also after a value, or a `/` not before `>`).
        match *bytes.get(i)? {
            b'>' => return Some((name, i + 1, false)),
            b'/' if bytes.get(i + 1) == Some(&b'>') => return Some((name, i + 2, true)),
            c if is_space(c) || c == b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        // The name (its first character may be `=`).
        i += 1;
        while !matches!(bytes.get(i)?, c if is_space(*c) || matches!(*c, b'/' | b'>' | b'=')) {
            i += 1;
        }
        while is_space(*bytes.get(i)?) {
            i += 1;
        }
        if bytes[i] != b'=' {
            continue;
        }
        i += 1;
        while is_space(*bytes.get(i)?) {
            i += 1;
        }
        match *bytes.get(i)? {
            q @ (b'"' | b'\'') => {
                i += 1 + memchr::memchr(q, bytes.get(i + 1..)?)? + 1;
            }
            b'>' => {}
            _ => {
                while !matches!(bytes.get(i)?, c if is_space(*c) || *c == b'>') {
                    i += 1;
                }
            }
        }
    }
}

/// Where the end tag `</name` that closes raw text starting at `from` begins: `</name`
/// (any case) followed by a space, `/` or `>`.
pub(super) fn end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    loop {
        let at = i + memchr::memmem::find(bytes.get(i..)?, b"</")?;
        let after = at + 2 + name.len();
        if bytes.get(at + 2..after).is_some_and(|n| n.eq_ignore_ascii_case(name))
            && matches!(
                bytes.get(after),
                Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>')
            )
        {
            return Some(at);
        }
        i = at + 2;
    }
}

/// Whether `hay` contains `needle` (which starts with `<`), in any case.
fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memchr_iter(b'<', hay)
        .any(|i| hay.get(i..i + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(needle)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elided(html: &str) -> String {
        elide_bodies(html).into_owned()
    }

    #[test]
    fn script_and_style_bodies_go_tags_stay() {
        assert_eq!(
            elided("<p>a</p><script src=x>var a = 1 < 2;</script><STYLE type=text/css>p{}</Style ><p>b"),
            "<p>a</p><script src=x></script><STYLE type=text/css></Style ><p>b"
        );
    }

    #[test]
    fn json_ld_stays() {
        let page =
            r#"<script type="application/ld+json">{"headline":"x"}</script><script>x()</script>"#;
        assert_eq!(
            elided(page),
            r#"<script type="application/ld+json">{"headline":"x"}</script><script></script>"#
        );
    }

    #[test]
    fn nothing_to_leave_out_borrows() {
        assert!(matches!(elide_bodies("<p>plain <b>page</b></p>"), Cow::Borrowed(_)));
        assert!(matches!(elide_bodies("<script></script>"), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_in_comments_and_attributes_are_not_tags() {
        for page in [
            "<!-- <script> --><p>kept</p><!-- </script> -->",
            "<a title=\"<script>\">kept</a> </script>",
            "<a title='<style>' href=x>kept</a> </style>",
            "<img alt=<style>>kept</style>",
            "<![CDATA[ a > b <script> ]]>kept</script>",
            "<!DOCTYPE html><?php <script> ?>kept</script>",
        ] {
            assert_eq!(elided(page), page, "{page}");
        }
        // `<!-->` is a whole (empty) comment: what follows is a script.
        assert_eq!(elided("<!--><script>--><p>x</p></script>"), "<!--><script></script>");
    }

    #[test]
    fn raw_text_elements_are_copied_whole() {
        for page in [
            "<textarea><script></textarea><p>kept</p></script>",
            "<title><style></title>kept</style>",
            "<noscript><script>x</noscript><p>kept</p></script>",
            "<plaintext><script>kept</script>",
        ] {
            assert_eq!(elided(page), page, "{page}");
        }
        // After a raw-text element, scanning goes on.
        assert_eq!(elided("<title>t</title><style>p{}</style>"), "<title>t</title><style></style>");
    }

    #[test]
    fn doubtful_bodies_are_copied_whole() {
        for page in [
            // Escape states: the script may run past its first `</script>`.
            "<script><!-- document.write('<script>x</script>'); --></script><p>kept</p>",
            // Self-closing: an SVG script closes itself.
            "<svg><script/></svg><p>kept</p><script>y</script>",
            // A body that would leave an SVG.
            "<svg><style></svg><p>kept</p></style>",
            // Never closed: the page ends inside it.
            "<script>x = 1; <p>kept</p>",
            "<p title=\"never closed <script>x</script>",
        ] {
            assert_eq!(elided(page), page, "{page}");
        }
    }

    #[test]
    fn end_tags_need_a_delimiter() {
        assert_eq!(
            elided("<script>a = '</scripts>'; b</script><p>kept"),
            "<script></script><p>kept"
        );
    }

    #[test]
    fn text_around_is_unchanged_and_utf8_safe() {
        let page = "<p>Zürich — 東京</p><style>é{}</style><p>ß</p>";
        assert_eq!(elided(page), "<p>Zürich — 東京</p><style></style><p>ß</p>");
        assert_eq!(elided("a < b <3 <script>x</script>"), "a < b <3 <script></script>");
    }
}
