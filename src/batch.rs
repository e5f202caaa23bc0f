//! Helpers for batch runs that do not touch the outside world: naming editions after their
//! input (file stem or URL slug, clashes resolved in input order) and listing the images a
//! document shows.

use crate::model::{Block, Document};
use std::collections::BTreeSet;

/// Longest slug kept from a URL, in characters (file names stay well under 255 bytes even
/// with a clash suffix and an extension).
const MAX_SLUG_CHARS: usize = 80;

/// A file-name stem for an edition of the page at `url`: host (without `www.`; with the
/// port when it is not the scheme's default), path and
/// query, lower-cased, every run of characters other than letters and digits turned into
/// one `-`; a final `.html`-like extension is dropped. Deterministic; `page` when nothing
/// is left.
///
/// ```
/// assert_eq!(
///     offprint::batch::url_slug("https://www.Example.com/news/2024/story.html?id=5#top"),
///     "example-com-news-2024-story-id-5"
/// );
/// ```
pub fn url_slug(url: &str) -> String {
    let mut raw = String::new();
    match url::Url::parse(url) {
        Ok(u) => {
            let host = u.host_str().unwrap_or_default();
            raw.push_str(host.strip_prefix("www.").unwrap_or(host));
            if let Some(port) = u.port() {
                raw.push_str(&format!("-{port}"));
            }
            let path = u.path();
            let path = strip_page_extension(path);
            raw.push('/');
            raw.push_str(&percent_decode(path));
            if let Some(q) = u.query() {
                raw.push('/');
                raw.push_str(&percent_decode(q));
            }
        }
        Err(_) => raw.push_str(url),
    }
    slugify(&raw)
}

/// Drop a trailing `.html`, `.htm`, `.php`… from the last path segment.
fn strip_page_extension(path: &str) -> &str {
    const EXTS: &[&str] = &[".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp"];
    let lower = path.to_ascii_lowercase();
    for ext in EXTS {
        if lower.ends_with(ext) {
            return path.get(..path.len() - ext.len()).unwrap_or(path);
        }
    }
    path
}

/// Decode `%XX` escapes (invalid UTF-8 is replaced), so non-ASCII paths slug to letters.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or_default();
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Lower-case letters and digits (any script), runs of anything else as one `-`, trimmed,
/// at most [`MAX_SLUG_CHARS`] characters; `page` when empty.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if out.chars().count() > MAX_SLUG_CHARS {
        out = out.chars().take(MAX_SLUG_CHARS).collect();
        while out.ends_with('-') {
            out.pop();
        }
    }
    if out.is_empty() {
        "page".into()
    } else {
        out
    }
}

/// Hands out edition stems in input order: the first input asking for `name` gets it, the
/// next `name-2`, then `name-3`… Comparison ignores case, so two editions never clash on a
/// case-insensitive file system either.
#[derive(Debug, Default)]
pub struct StemAllocator {
    used: BTreeSet<String>,
}

impl StemAllocator {
    /// A stem not handed out before (compared case-insensitively).
    pub fn claim(&mut self, stem: &str) -> String {
        let stem = if stem.is_empty() { "output" } else { stem };
        let mut candidate = stem.to_string();
        let mut n = 2;
        while !self.used.insert(candidate.to_lowercase()) {
            candidate = format!("{stem}-{n}");
            n += 1;
        }
        candidate
    }
}

/// The `src` of every figure in `doc` (body and footnotes, nested blocks too), resolved
/// against `base` when relative, `http(s)` only, each once, in document order.
pub fn image_urls(doc: &Document, base: Option<&str>) -> Vec<String> {
    let base = base.and_then(|b| url::Url::parse(b).ok());
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut push = |src: &str| {
        let resolved = match url::Url::parse(src) {
            Ok(u) => Some(u),
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                base.as_ref().and_then(|b| b.join(src).ok())
            }
            Err(_) => None,
        };
        if let Some(u) = resolved {
            if matches!(u.scheme(), "http" | "https") && seen.insert(u.to_string()) {
                out.push(u.to_string());
            }
        }
    };
    let mut stack: Vec<&Block> = doc.blocks.iter().rev().collect();
    let mut notes: Vec<&Block> =
        doc.footnotes.iter().rev().flat_map(|f| f.blocks.iter().rev()).collect();
    while let Some(block) = stack.pop().or_else(|| notes.pop()) {
        match block {
            Block::Figure { src, .. } => push(src),
            Block::Quote { blocks, .. } => stack.extend(blocks.iter().rev()),
            Block::List { items, .. } => {
                stack.extend(items.iter().rev().flat_map(|item| item.iter().rev()))
            }
            _ => {}
        }
    }
    out
}

/// The part of `url` that names the resource: without its `#fragment`.
pub fn without_fragment(url: &str) -> &str {
    url.split_once('#').map_or(url, |(u, _)| u)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Footnote, Inline};

    #[test]
    fn slugs_are_readable_and_deterministic() {
        assert_eq!(url_slug("https://example.com/"), "example-com");
        assert_eq!(url_slug("http://127.0.0.1:8080/a.txt"), "127-0-0-1-8080-a-txt");
        assert_eq!(url_slug("https://example.com:443/a"), "example-com-a");
        assert_eq!(url_slug("http://www.example.org/a/b-c_d/"), "example-org-a-b-c-d");
        assert_eq!(url_slug("https://example.com/Index.HTML"), "example-com-index");
        assert_eq!(
            url_slug("https://example.com/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"),
            "example-com-новости"
        );
        assert_eq!(url_slug("not a url ***"), "not-a-url");
        assert_eq!(slugify("***"), "page");
        let long = format!("https://example.com/{}", "word-".repeat(40));
        let s = url_slug(&long);
        assert!(s.chars().count() <= MAX_SLUG_CHARS && !s.ends_with('-'), "{s}");
    }

    #[test]
    fn stems_are_claimed_in_order() {
        let mut a = StemAllocator::default();
        assert_eq!(a.claim("a"), "a");
        assert_eq!(a.claim("a-2"), "a-2");
        assert_eq!(a.claim("a"), "a-3");
        assert_eq!(a.claim("A"), "A-4");
        assert_eq!(a.claim(""), "output");
    }

    #[test]
    fn image_urls_walk_nested_blocks_and_resolve() {
        let fig =
            |src: &str| Block::Figure { src: src.into(), alt: String::new(), caption: vec![] };
        let doc = Document {
            blocks: vec![
                fig("/img/a.png"),
                Block::Quote { attribution: None, blocks: vec![fig("https://cdn.example/b.jpg")] },
                Block::List { ordered: None, items: vec![vec![fig("c.gif")]] },
                fig("data:image/png;base64,AAAA"),
                fig("/img/a.png"),
                Block::Paragraph { content: vec![Inline::text("x")] },
            ],
            footnotes: vec![Footnote { id: 1, blocks: vec![fig("/n.png")] }],
            ..Document::default()
        };
        assert_eq!(
            image_urls(&doc, Some("https://example.com/news/page.html")),
            [
                "https://example.com/img/a.png",
                "https://cdn.example/b.jpg",
                "https://example.com/news/c.gif",
                "https://example.com/n.png"
            ]
        );
        assert_eq!(image_urls(&doc, None), ["https://cdn.example/b.jpg"]);
    }
}
