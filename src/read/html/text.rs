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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans() {
        assert_eq!(clean_text("  a\u{00AD}b \n\t c\u{200B}d  "), "ab cd");
        assert_eq!(clean_text("e\u{0301}"), "\u{00E9}");
        assert_eq!(norm_key("The  Daily!"), "the daily");
        assert_eq!(norm_key("ÉTÉ — Straße 2024"), "été straße 2024");
    }
}
