//! Readers: raw bytes → [`Document`](crate::model::Document).

pub mod html;
pub mod text;

/// Most control characters (C0 other than tab, line feed, carriage return and form feed; DEL;
/// C1) a decoded input may hold, per character, and still be read as text: pages and dumps
/// have next to none, while binary data decoded as text (an image, an archive, random bytes
/// given an `.html` name) has about one in nine.
const MAX_CONTROL_SHARE: f64 = 0.02;

/// How much of an input [`looks_binary`] reads: binary data shows from its first bytes, and
/// reading all of every page cost 1% of the reader's time. (Stray controls further on are
/// removed with the other invisible characters when the text is normalised.)
const BINARY_SAMPLE_BYTES: usize = 32 << 10;

/// Does decoded `text` look like binary data rather than a page or a dump (see
/// [`MAX_CONTROL_SHARE`])? Counted over the first [`BINARY_SAMPLE_BYTES`] of its UTF-8:
/// characters are the bytes that start one, a C1 control is `0xC2 0x80..=0x9F`.
pub(crate) fn looks_binary(text: &str) -> bool {
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
    (c0 + c1) as f64 > chars as f64 * MAX_CONTROL_SHARE
}

#[cfg(test)]
mod tests {
    use super::looks_binary;

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
        assert!(looks_binary(&noise));
        assert!(looks_binary("\u{0}\u{0}<\u{0}h\u{0}t\u{0}m\u{0}l\u{0}>"), "UTF-16 read as bytes");
        assert!(looks_binary("a\u{85}b\u{9F}c\u{80}"), "C1 controls");
        // Text with its whitespace controls, other scripts, a stray control or two.
        // Only the start is read.
        assert!(!looks_binary(&format!("{}{noise}", "<p>Text.</p>\n".repeat(4000))));
        let page = "<p>Ein Absatz\tmit Tab,\r\nZeilen\u{c}und 日本語のテキスト.</p>".repeat(20);
        assert!(!looks_binary(&page));
        assert!(!looks_binary(&format!("{page}\u{1}\u{1b}")));
        assert!(!looks_binary(""));
    }
}
