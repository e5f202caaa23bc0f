//! Bytes → text: BOM, then a `<meta charset>` / `http-equiv` prescan of the first bytes, then
//! statistical detection (chardetng), decoded with encoding_rs.

use encoding_rs::{Encoding, UTF_8};
use std::borrow::Cow;

use super::tunables::CHARSET_PRESCAN_BYTES;

/// Decode an HTML page to a `String`, returning the text and the encoding used.
pub fn decode(bytes: &[u8]) -> (String, &'static Encoding) {
    decode_cow(Cow::Borrowed(bytes))
}

/// [`decode`], reusing the buffer of owned bytes when they are already the text (UTF-8, or
/// ASCII in an ASCII-compatible encoding): a big page is then never held twice.
pub fn decode_cow(bytes: Cow<'_, [u8]>) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(&bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        let (text, _) = enc.decode_without_bom_handling(rest);
        return (text.into_owned(), enc);
    }
    // Valid UTF-8 with non-ASCII bytes is UTF-8 whatever the page declares: legacy-encoded
    // text almost never forms valid multi-byte sequences by accident, while pages saved
    // ("converted") to UTF-8 often keep their old `<meta charset>`.
    if !bytes.is_ascii() && std::str::from_utf8(&bytes).is_ok() {
        return (into_string(bytes), UTF_8);
    }
    let enc = prescan_charset(&bytes).unwrap_or_else(|| detect(&bytes));
    let unchanged = match enc.decode_without_bom_handling(&bytes) {
        (Cow::Owned(text), _) => return (text, enc),
        (Cow::Borrowed(_), _) => true,
    };
    debug_assert!(unchanged);
    (into_string(bytes), enc)
}

/// Bytes already known to be UTF-8 as a `String`, without a copy when they are owned.
fn into_string(bytes: Cow<'_, [u8]>) -> String {
    match bytes {
        Cow::Owned(v) => String::from_utf8(v)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Cow::Borrowed(b) => String::from_utf8_lossy(b).into_owned(),
    }
}

/// Statistical guess. Valid UTF-8 is taken as UTF-8 first (chardetng is told it may answer
/// UTF-8, which it does for valid non-ASCII UTF-8).
fn detect(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    det.guess(None, chardetng::Utf8Detection::Allow)
}

/// Look for `<meta charset=...>` or `<meta http-equiv="content-type" content="...charset=...">`
/// in the first [`CHARSET_PRESCAN_BYTES`] bytes (the HTML spec's prescan window).
fn prescan_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..bytes.len().min(CHARSET_PRESCAN_BYTES)).unwrap_or(bytes);
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut pos = 0;
    while let Some(off) = find(&lower[pos..], b"<meta") {
        let start = pos + off + 5;
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(label) = charset_in(tag) {
            if let Some(enc) = Encoding::for_label(label) {
                // A page that declares UTF-16 while being read as bytes is really ASCII
                // compatible (spec: treat as UTF-8); x-user-defined likewise becomes windows-1252.
                let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    UTF_8
                } else if enc == encoding_rs::X_USER_DEFINED {
                    encoding_rs::WINDOWS_1252
                } else {
                    enc
                };
                return Some(enc);
            }
        }
        pos = end.min(lower.len());
        if pos >= lower.len() {
            break;
        }
    }
    None
}

/// The charset label inside one `<meta ...` tag body (already lowercased).
fn charset_in(tag: &[u8]) -> Option<&[u8]> {
    let at = find(tag, b"charset")?;
    let mut rest = &tag[at + 7..];
    while let Some((&b, r)) = rest.split_first() {
        if b.is_ascii_whitespace() {
            rest = r;
        } else {
            break;
        }
    }
    rest = rest.strip_prefix(b"=")?;
    let rest = trim_start(rest);
    let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
    let len = rest
        .iter()
        .position(|&b| b == b'"' || b == b'\'' || b == b';' || b == b'/' || b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    let label = &rest[..len];
    (!label.is_empty()).then_some(label)
}

fn trim_start(mut s: &[u8]) -> &[u8] {
    while let Some((&b, r)) = s.split_first() {
        if b.is_ascii_whitespace() {
            s = r;
        } else {
            break;
        }
    }
    s
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        format!("<html><head><title>t</title></head><body><p>{body}</p></body></html>")
    }

    #[test]
    fn owned_text_is_decoded_in_place() {
        for page in [&b"<p>plain ASCII</p>"[..], "<p>café in UTF-8</p>".as_bytes()] {
            let owned = page.to_vec();
            let at = owned.as_ptr();
            let (text, enc) = decode_cow(Cow::Owned(owned));
            assert_eq!(enc, UTF_8);
            assert_eq!(text.as_bytes(), page);
            assert_eq!(text.as_ptr(), at, "the buffer was copied");
        }
        // Legacy bytes still decode (into a new buffer).
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("<meta charset=windows-1251>привет");
        let (text, enc) = decode_cow(Cow::Owned(bytes.into_owned()));
        assert_eq!(enc, encoding_rs::WINDOWS_1251);
        assert!(text.ends_with("привет"));
    }

    #[test]
    fn bom_wins() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<meta charset=windows-1251><p>привет</p>".as_bytes());
        let (text, enc) = decode(&bytes);
        assert_eq!(enc, UTF_8);
        assert!(text.contains("привет"));
    }

    #[test]
    fn meta_charset_and_http_equiv() {
        let ru = "Съешь же ещё этих мягких французских булок, да выпей чаю";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(ru);
        let mut html = b"<html><head><meta charset=\"windows-1251\"></head><body>".to_vec();
        html.extend_from_slice(&bytes);
        let (text, enc) = decode(&html);
        assert_eq!(enc, encoding_rs::WINDOWS_1251);
        assert!(text.contains(ru));

        let mut html =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">".to_vec();
        let (bytes, _, _) = encoding_rs::KOI8_R.encode(ru);
        html.extend_from_slice(&bytes);
        let (text, enc) = decode(&html);
        assert_eq!(enc, encoding_rs::KOI8_R);
        assert!(text.contains(ru));
    }

    fn undeclared(enc: &'static Encoding, text: &str) {
        let html = page(text);
        let (bytes, _, unmappable) = enc.encode(&html);
        assert!(!unmappable);
        let (decoded, got) = decode(&bytes);
        assert!(decoded.contains(text), "{} decoded as {}: {decoded}", enc.name(), got.name());
    }

    #[test]
    fn undeclared_windows_1251() {
        undeclared(
            encoding_rs::WINDOWS_1251,
            "В чащах юга жил бы цитрус? Да, но фальшивый экземпляр! Съешь же ещё этих мягких \
             французских булок, да выпей чаю. Широкая электрификация южных губерний даст мощный \
             толчок подъёму сельского хозяйства.",
        );
    }

    #[test]
    fn undeclared_shift_jis() {
        undeclared(
            encoding_rs::SHIFT_JIS,
            "いろはにほへと　ちりぬるを　わかよたれそ　つねならむ。日本語の文章をここに書きます。\
             東京は日本の首都であり、多くの人々が住んでいます。今日はとても良い天気ですね。",
        );
    }

    #[test]
    fn undeclared_gb18030() {
        undeclared(
            encoding_rs::GB18030,
            "我们的生活中有很多美好的事物。北京是中华人民共和国的首都，也是全国的政治和文化中心。\
             今天天气很好，我们一起去公园散步吧。这篇文章介绍了中国的历史和文化。",
        );
    }

    #[test]
    fn undeclared_iso_8859_x() {
        // German in ISO-8859-1 (decoded as its superset windows-1252).
        let de = "Größere Änderungen für die Bürger: Über die Straße gehen ist schön, \
                  während die Mädchen müde sind und Häuser bauen.";
        let html = page(de);
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
        let (decoded, _) = decode(&bytes);
        assert!(decoded.contains(de));
        // Polish in ISO-8859-2.
        undeclared(
            encoding_rs::ISO_8859_2,
            "Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig. Wszystkie \
             dzieci chodzą do szkoły, a ich rodzice pracują w mieście przez cały dzień.",
        );
        // Greek in ISO-8859-7.
        undeclared(
            encoding_rs::ISO_8859_7,
            "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. Η γλώσσα μου είναι ελληνική και \
             μιλάμε για την ιστορία της χώρας μας και τον πολιτισμό της.",
        );
    }

    #[test]
    fn utf8_bytes_beat_a_stale_declaration() {
        let html = "<meta charset=gb2312><p>人工智能迈上新台阶</p>";
        let (text, enc) = decode(html.as_bytes());
        assert_eq!(enc, UTF_8);
        assert!(text.contains("人工智能"));
    }

    #[test]
    fn plain_utf8_without_declaration() {
        let (text, enc) = decode("<p>naïve café — ünïcödé</p>".as_bytes());
        assert_eq!(enc, UTF_8);
        assert!(text.contains("naïve café"));
    }
}
