//! Images to embed: bytes supplied by the caller or carried in `data:` URIs.

use std::collections::BTreeMap;

use base64::Engine as _;

use crate::model::{Block, Document};

/// One image file to add to the package.
#[derive(Debug, Clone)]
pub(crate) struct ImageFile {
    /// Path inside `OEBPS/` (also the href from content documents).
    pub path: String,
    pub bytes: Vec<u8>,
    pub mime: &'static str,
}

/// The images of a set of documents.
#[derive(Debug, Clone, Default)]
pub(crate) struct Images {
    /// Figure `src` → local href.
    pub hrefs: BTreeMap<String, String>,
    /// Files in first-use order.
    pub files: Vec<ImageFile>,
}

/// Recognise a raster image that EPUB reading systems must support, by its magic bytes.
/// The type supplied with the bytes is not trusted: EPUBCheck compares it with the content.
pub(crate) fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(("image/gif", "gif"))
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

/// Decode a `data:` URI's payload (`base64` or percent-encoded).
pub(crate) fn decode_data_uri(src: &str) -> Option<Vec<u8>> {
    let rest = src.trim();
    let head = rest.get(..5)?;
    if !head.eq_ignore_ascii_case("data:") {
        return None;
    }
    let rest = rest.get(5..)?;
    let (params, payload) = rest.split_once(',')?;
    let is_base64 = params.split(';').any(|p| p.trim().eq_ignore_ascii_case("base64"));
    if is_base64 {
        let clean: String = percent_decode(payload)
            .into_iter()
            .filter(|b| !b.is_ascii_whitespace())
            .map(char::from)
            .collect();
        let clean = clean.trim_end_matches('=');
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(clean)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(clean))
            .ok()
    } else {
        Some(percent_decode(payload))
    }
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b.get(i).copied().unwrap_or(0);
        if c == b'%' {
            let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn figure_srcs<'a>(blocks: &'a [Block], out: &mut Vec<&'a str>) {
    for b in blocks {
        match b {
            Block::Figure { src, .. } => out.push(src),
            Block::Quote { blocks, .. } => figure_srcs(blocks, out),
            Block::List { items, .. } => {
                for item in items {
                    figure_srcs(item, out);
                }
            }
            _ => {}
        }
    }
}

/// Find every figure whose bytes are available and give each distinct image a local file.
pub(crate) fn collect(docs: &[Document], supplied: &BTreeMap<String, (Vec<u8>, String)>) -> Images {
    let mut srcs = Vec::new();
    for doc in docs {
        figure_srcs(&doc.blocks, &mut srcs);
        for note in &doc.footnotes {
            figure_srcs(&note.blocks, &mut srcs);
        }
    }
    let mut images = Images::default();
    for src in srcs {
        if images.hrefs.contains_key(src) {
            continue;
        }
        let bytes = match supplied.get(src) {
            Some((bytes, _mime)) => Some(bytes.clone()),
            None => decode_data_uri(src),
        };
        let Some(bytes) = bytes else { continue };
        let Some((mime, ext)) = sniff(&bytes) else { continue };
        // The same bytes under another src share the file.
        if let Some(existing) = images.files.iter().find(|f| f.bytes == bytes) {
            images.hrefs.insert(src.to_string(), existing.path.clone());
            continue;
        }
        let path = format!("images/img{:03}.{ext}", images.files.len() + 1);
        images.hrefs.insert(src.to_string(), path.clone());
        images.files.push(ImageFile { path, bytes, mime });
    }
    images
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_uris() {
        assert_eq!(decode_data_uri("data:text/plain;base64,aGk=").as_deref(), Some(&b"hi"[..]));
        assert_eq!(decode_data_uri("data:,a%20b").as_deref(), Some(&b"a b"[..]));
        assert_eq!(decode_data_uri("https://x/y.png"), None);
        assert_eq!(decode_data_uri("data:image/png;base64,@@@"), None);
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nxxxx").map(|s| s.0), Some("image/png"));
        assert_eq!(sniff(b"<svg/>"), None);
    }
}
