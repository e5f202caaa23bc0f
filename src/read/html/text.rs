//! Small text helpers shared by the HTML reader's modules.

use crate::normalize::text::to_nfc;

/// Characters dropped from text: soft hyphen, zero-width space, word joiner, BOM.
/// (Zero-width joiner/non-joiner stay: they matter in emoji and Persian/Indic scripts.)
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Decode the character references left in a metadata value: `Harper&#039;s`, `&amp;`,
/// `Polic&iacute;a`. Attribute values are decoded once by the parser, but many pages encode
/// their `<meta>` content twice, and JSON-LD strings (which no parser decodes) often carry
/// HTML references; Readability.js decodes its metadata once more for the same reason.
///
/// One pass, so `&amp;amp;` becomes `&amp;`, not `&`. Numeric references to a code point
/// that is not a character (0, a surrogate, past U+10FFFF) become U+FFFD, as HTML decodes
/// them; named ones are HTML's full table (html-escape), and an `&` that starts no
/// reference (`AT&T`, `&#xg;`) stays.
pub fn unescape_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        match reference(tail) {
            Some((decoded, len)) => {
                out.push_str(&decoded);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// The character reference at the start of `s` (which starts with `&`): its text and length.
fn reference(s: &str) -> Option<(std::borrow::Cow<'static, str>, usize)> {
    /// Longest name in HTML's table (`&CounterClockwiseContourIntegral;`) is 31 letters.
    const MAX_NAME: usize = 32;
    // Only the next few bytes: a long value with many `&` and no `;` stays linear.
    let end = s.bytes().skip(1).take(MAX_NAME + 1).position(|b| b == b';')? + 1;
    let body = s.get(1..end)?;
    let len = end + 1;
    if let Some(num) = body.strip_prefix('#') {
        let value = match num.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).unwrap_or(u32::MAX)
            }
            None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => {
                num.parse().unwrap_or(u32::MAX)
            }
            _ => return None,
        };
        let c = char::from_u32(value).filter(|c| *c != '\0').unwrap_or('\u{FFFD}');
        return Some((c.to_string().into(), len));
    }
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    match html_escape::decode_html_entities(s.get(..len)?) {
        std::borrow::Cow::Owned(decoded) => Some((decoded.into(), len)),
        std::borrow::Cow::Borrowed(_) => None,
    }
}

/// Remove invisible characters, collapse whitespace runs to one space, trim, NFC.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    match to_nfc(&out) {
        std::borrow::Cow::Borrowed(_) => out,
        std::borrow::Cow::Owned(n) => n,
    }
}

/// A comparison key: lowercase alphanumerics separated by single spaces.
pub fn norm_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut sep = false;
    for c in s.chars() {
        // ASCII first: most text is, and the Unicode tables are much slower.
        let alnum = if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() };
        if alnum {
            if sep && !out.is_empty() {
                out.push(' ');
            }
            sep = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            sep = true;
        }
    }
    out
}

/// Elements whose text a reader never sees.
const INVISIBLE: &[&str] = &["script", "style", "template", "noscript", "textarea"];

/// The visible text under `root` in document order, a space after each text node (table
/// cells and list items run together in the DOM's own text), leaving out scripts, styles,
/// templates, `<noscript>`s, text areas and the subtree of `skip`. `None` once it passes
/// `max` bytes, without reading further (wrappers of a big page stay cheap).
pub fn visible_text(
    root: &dom_query::NodeRef,
    skip: Option<&dom_query::NodeRef>,
    max: usize,
) -> Option<String> {
    let mut out = String::new();
    let mut stack = vec![*root];
    while let Some(n) = stack.pop() {
        if skip.is_some_and(|s| s.id == n.id) {
            continue;
        }
        if n.is_text() {
            out.push_str(&n.text());
            out.push(' ');
            if out.len() > max {
                return None;
            }
        } else if n.is_element() || n.is_document() {
            if n.node_name().is_some_and(|name| INVISIBLE.contains(&name.as_ref())) {
                continue;
            }
            // Reversed onto the stack, so they come off in document order.
            stack.extend(n.children_it(true));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_references_are_decoded_once() {
        assert_eq!(unescape_entities("Harper&#039;s Magazine"), "Harper's Magazine");
        assert_eq!(unescape_entities("Polic&iacute;a &amp; Co &#8211; x"), "Policía & Co – x");
        assert_eq!(unescape_entities("Wohngew&#x00E4;chshaus&#x20;bauen"), "Wohngewächshaus bauen");
        assert_eq!(unescape_entities("&bdquo;Härting&rdquo;&nbsp;"), "„Härting”\u{a0}");
        // Once: a doubly encoded ampersand keeps one encoding.
        assert_eq!(unescape_entities("&amp;amp; &amp;#39;"), "&amp; &#39;");
        // Not references: left as they are.
        assert_eq!(
            unescape_entities("AT&T & B&Q; a&b; &#xg; &#; &;"),
            "AT&T & B&Q; a&b; &#xg; &#; &;"
        );
        assert_eq!(unescape_entities("&unknownname;"), "&unknownname;");
        assert_eq!(unescape_entities("&CounterClockwiseContourIntegral;"), "\u{2233}");
        // A `;` further than the longest name is not the end of a reference.
        let far = format!("&amp{}; &amp;", "x".repeat(40));
        assert_eq!(unescape_entities(&far), format!("&amp{}; &", "x".repeat(40)));
        // Numeric references to no character: U+FFFD, as HTML decodes them.
        assert_eq!(
            unescape_entities("&#xg; &#x1F62D; &#128557; &#xFFFFFFFF; &#x0;"),
            "&#xg; 😭 😭 \u{FFFD} \u{FFFD}"
        );
        assert!(matches!(unescape_entities("plain"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn cleans() {
        assert_eq!(clean_text("  a\u{00AD}b \n\t c\u{200B}d  "), "ab cd");
        assert_eq!(clean_text("e\u{0301}"), "\u{00E9}");
        assert_eq!(norm_key("The  Daily!"), "the daily");
        let doc = dom_query::Document::from(
            "<div id='r'><p>One<b>two</b></p><script>x()</script><style>p{}</style><i id='s'>skip</i>\
             <table><tr><td>3</td><td>four</td></tr></table></div>",
        );
        let root = doc.select("#r").nodes()[0];
        let skip = doc.select("#s").nodes()[0];
        let t = visible_text(&root, Some(&skip), usize::MAX).unwrap_or_default();
        assert_eq!(t.split_whitespace().collect::<Vec<_>>(), ["One", "two", "3", "four"]);
        assert_eq!(visible_text(&root, None, 5), None);
        assert_eq!(norm_key("ÉTÉ — Straße 2024"), "été straße 2024");
    }
}
