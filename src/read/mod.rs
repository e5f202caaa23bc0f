//! Readers: raw bytes → [`Document`](crate::model::Document).

pub mod html;
pub mod text;

/// Most control characters (C0 other than tab, line feed, carriage return and form feed; DEL;
/// C1) a decoded input may hold, per character, and still be read as text: pages and dumps
/// have next to none, while binary data decoded as text (an image, an archive, random bytes
/// given an `.html` name) has about one in nine.
const MAX_CONTROL_SHARE: f64 = 0.02;

/// How much of an input [`unreadable`] reads: binary data shows from its first bytes, and
/// reading all of every page cost 1% of the reader's time. (Stray controls further on are
/// removed with the other invisible characters when the text is normalised.)
const BINARY_SAMPLE_BYTES: usize = 32 << 10;

/// Why decoded text cannot be read (see [`unreadable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// Binary data: C0 controls throughout (an image, an archive, random bytes).
    Binary,
    /// Text decoded with the wrong encoding somewhere before us (a dump saved as UTF-8 by a
    /// browser that misread the page): C1 controls throughout.
    Garbled,
}

impl Unreadable {
    /// The reason, for an error naming what the input is not (`an HTML page`, `a text dump`).
    pub(crate) fn reason(self, not: &str) -> String {
        match self {
            Unreadable::Binary => format!("the input looks binary, not {not}"),
            Unreadable::Garbled => format!(
                "the input is garbled text (C1 control characters throughout: decoded with the wrong encoding before it was saved), not {not}"
            ),
        }
    }
}

/// Can decoded `text` not be read as a page or a dump (see [`MAX_CONTROL_SHARE`])? Counted
/// over the first [`BINARY_SAMPLE_BYTES`] of its UTF-8: characters are the bytes that start
/// one, a C1 control is `0xC2 0x80..=0x9F`.
pub(crate) fn unreadable(text: &str) -> Option<Unreadable> {
    let bytes = &text.as_bytes()[..text.len().min(BINARY_SAMPLE_BYTES)];
    // One branch-free pass the compiler vectorises, in chunks whose counts fit a u16 lane.
    let (mut chars, mut c0) = (0usize, 0usize);
    for chunk in bytes.chunks(u16::MAX as usize) {
        let (mut ch, mut ct) = (0u16, 0u16);
        for &b in chunk {
            ch += u16::from(b & 0xC0 != 0x80);
            let ws = (b == b'\t') | (b == b'\n') | (b == b'\r') | (b == 0x0C);
            ct += u16::from(((b < 0x20) & !ws) | (b == 0x7F));
        }
        chars += usize::from(ch);
        c0 += usize::from(ct);
    }
    let c1 = memchr::memchr_iter(0xC2, bytes)
        .filter(|&i| bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
        .count();
    if ((c0 + c1) as f64) <= chars as f64 * MAX_CONTROL_SHARE {
        None
    } else if c1 > 4 * c0 {
        // Binary data read as Latin-1 has as many C1 as C0 controls; misread text none of C0.
        Some(Unreadable::Garbled)
    } else {
        Some(Unreadable::Binary)
    }
}

#[cfg(test)]
mod tests {
    use super::{unreadable, Unreadable};

    #[test]
    fn binary_data_decoded_as_text_is_told_from_text() {
        // Random bytes as a single-byte encoding decodes them: controls stay controls.
        let mut x: u32 = 1;
        let noise: String = (0..4096)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                char::from((x >> 16) as u8)
            })
            .collect();
        assert_eq!(unreadable(&noise), Some(Unreadable::Binary));
        let utf16 = "\u{0}\u{0}<\u{0}h\u{0}t\u{0}m\u{0}l\u{0}>";
        assert_eq!(unreadable(utf16), Some(Unreadable::Binary), "UTF-16 read as bytes");
        // A dump of a Chinese page that a browser misread: C1 controls between the letters.
        let garbled = "\u{97}\u{a0}\u{9a}\u{9c}纰\u{8d}璇存\u{98}\u{8e} [2] 摣\u{96}椤".repeat(20);
        assert_eq!(unreadable(&garbled), Some(Unreadable::Garbled));
        assert!(Unreadable::Garbled.reason("a text dump").contains("wrong encoding"));
        // Only the start is read.
        assert!(unreadable(&format!("{}{noise}", "<p>Text.</p>\n".repeat(4000))).is_none());
        // Text with its whitespace controls, other scripts, a stray control or two.
        let page = "<p>Ein Absatz\tmit Tab,\r\nZeilen\u{c}und 日本語のテキスト.</p>".repeat(20);
        assert!(unreadable(&page).is_none());
        assert!(unreadable(&format!("{page}\u{1}\u{1b}")).is_none());
        assert!(unreadable("").is_none());
    }
}
