//! Small text helpers shared by the HTML reader's modules.

use crate::normalize::text::to_nfc;

/// Characters dropped from text: soft hyphen, zero-width space, word joiner, BOM.
/// (Zero-width joiner/non-joiner stay: they matter in emoji and Persian/Indic scripts.)
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
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
