//! Articles that only a `<noscript>` holds. A page that renders its text with script (the
//! Blogger theme of Google's blogs keeps each post in a `<script type="text/template">`) puts
//! the readable copy in a `<noscript>`. The Readability port drops `<noscript>` elements, and
//! scraper (scripting on, as in a browser) keeps their content as raw text, so neither
//! extractor would see the article. Such a `<noscript>` is read in place when it holds
//! paragraphs of text and its parent shows nothing else; notices and tracking pixels in
//! `<noscript>`s stay as they are.

use dom_query::{Document, NodeRef};

use super::convert::{style_hides, tiny_side};
use super::text::visible_text;
use super::tunables::{
    NOSCRIPT_ARTICLE_MIN_CHARS, NOSCRIPT_ARTICLE_MIN_PARAGRAPHS, NOSCRIPT_PARENT_MAX_SHARE,
};

/// Most `<noscript>`s with enough paragraphs looked at on one page.
const MAX_CANDIDATES: usize = 16;

/// Whether the page source may hold a `<noscript>` at all (a cheap test before any walk).
pub fn may_have(source: &[u8]) -> bool {
    memchr::memchr_iter(b'<', source)
        .any(|i| source.get(i + 1..i + 9).is_some_and(|tag| tag.eq_ignore_ascii_case(b"noscript")))
}

/// Read in place each `<noscript>` that holds the article (see the module notes): a parser
/// with scripting off (as here) has its markup parsed already, and it becomes a `<div>`;
/// with scripting on it is raw text, parsed here. Returns whether any was.
pub fn unwrap_articles(doc: &Document) -> bool {
    let Some(found) = doc.try_select("body noscript") else { return false };
    let mut changed = false;
    let mut candidates = 0;
    for node in found.nodes() {
        let raw = node.children().iter().all(|c| c.is_text()).then(|| node.text());
        let chars = match &raw {
            Some(markup) if markup.contains("<p") || markup.contains("<P") => {
                paragraph_chars(&Document::fragment(markup.clone()).root())
            }
            Some(_) => 0,
            None => paragraph_chars(node),
        };
        if chars < NOSCRIPT_ARTICLE_MIN_CHARS {
            continue;
        }
        // Each candidate walks its parent's text: a few are all an article has, and a page
        // of thousands must not make that quadratic.
        candidates += 1;
        if candidates > MAX_CANDIDATES {
            break;
        }
        let Some(parent) = node.parent() else { continue };
        let others = visible_text(&parent, Some(node), usize::MAX).map_or(0, |t| words_chars(&t));
        if others as f64 > chars as f64 * NOSCRIPT_PARENT_MAX_SHARE {
            continue;
        }
        match raw {
            Some(markup) => node.replace_with_html(markup),
            None => node.rename("div"),
        }
        changed = true;
    }
    changed
}

/// Turn into a `<span>` each `<noscript>` that holds just one real image and follows no
/// image of its own (a lazy page's only copy of a photo: `<figure><div><noscript><img>`).
/// The Readability port, like Readability.js, unwraps a `<noscript>` image only over a
/// placeholder `<img>` before it and drops the others, so such a figure kept its caption
/// and lost its picture. Tracking pixels (a side of 2 px or less, or hidden) stay where
/// they are, as the converter leaves them out. Returns how many were unwrapped.
pub fn unwrap_images(doc: &Document) -> usize {
    let Some(found) = doc.try_select("body noscript") else { return 0 };
    let mut unwrapped = 0;
    for node in found.nodes() {
        let elements: Vec<NodeRef> =
            node.children().into_iter().filter(|c| c.is_element()).collect();
        let [img] = elements.as_slice() else { continue };
        let lone = img.has_name("img")
            && node.children().iter().all(|c| c.is_element() || c.text().trim().is_empty());
        let real = ["src", "data-src", "srcset"]
            .iter()
            .any(|a| img.attr(a).is_some_and(|v| !v.trim().is_empty()))
            && !["width", "height"].iter().any(|a| tiny_side(img.attr(a).as_deref()))
            && !img.attr("style").is_some_and(|s| style_hides(&s));
        // A placeholder `<img>` just before is the port's own case.
        let after_img = node.prev_element_sibling().is_some_and(|p| p.has_name("img"));
        if lone && real && !after_img {
            node.rename("span");
            unwrapped += 1;
        }
    }
    unwrapped
}

/// Characters of paragraph text under `root`, or 0 with fewer than the minimum paragraphs.
fn paragraph_chars(root: &NodeRef) -> usize {
    let lens: Vec<usize> = root
        .descendants_it()
        .filter(|n| n.has_name("p"))
        .map(|p| words_chars(&p.text()))
        .filter(|n| *n > 0)
        .collect();
    if lens.len() < NOSCRIPT_ARTICLE_MIN_PARAGRAPHS {
        return 0;
    }
    lens.iter().sum()
}

/// Characters of `s` with whitespace runs counted as one.
fn words_chars(s: &str) -> usize {
    s.split_whitespace().map(|w| w.chars().count() + 1).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARA: &str = "A paragraph long enough to be part of an article, with a few clauses in it, and more words.";

    fn page(container: &str) -> Document {
        Document::from(format!(
            "<html><head><title>t</title></head><body>{container}</body></html>"
        ))
    }

    #[test]
    fn the_tag_is_found_in_any_case() {
        assert!(may_have(b"<p>x</p><NoScript><p>y</p></NoScript>"));
        assert!(may_have(b"<noscript>"));
        assert!(!may_have(b"<p>noscript</p><script></script>"));
    }

    #[test]
    fn an_article_only_a_noscript_holds_is_parsed_in_place() {
        let doc = page(&format!(
            "<div class='post'><script type='text/template'><p>{PARA}</p></script>\
             <noscript><p>{PARA}</p><p>{PARA}</p><p>{PARA}</p></noscript></div>"
        ));
        assert!(unwrap_articles(&doc));
        assert_eq!(doc.select("div.post > div > p").length(), 3);
        assert!(doc.select("noscript").is_empty());
    }

    #[test]
    fn raw_noscript_text_is_parsed() {
        // What a parser with scripting on leaves: the markup as one text node.
        let doc = page("<div class='post'><noscript></noscript></div>");
        let ns = doc.select("noscript");
        let markup = format!("<p>{PARA}</p><p>{PARA}</p><p>{PARA}</p>");
        ns.nodes()[0].set_text(markup.as_str());
        assert!(unwrap_articles(&doc));
        assert_eq!(doc.select("div.post > p").length(), 3);
    }

    #[test]
    fn a_lone_image_in_a_noscript_is_unwrapped_but_pixels_and_placeholders_stay() {
        let doc = page(
            "<figure><div><noscript>\n<img src='https://e.org/photo.jpg' alt='A'>\n</noscript></div>\
             <figcaption>Caption</figcaption></figure>\
             <div><noscript><img height='1' width='1' src='https://px.e.org/tr'></noscript></div>\
             <div><img src='data:image/gif;base64,R0lG'><noscript><img src='b.jpg'></noscript></div>\
             <div><noscript><img src='c.jpg'><p>Enable JavaScript</p></noscript></div>",
        );
        assert_eq!(unwrap_images(&doc), 1);
        assert_eq!(doc.select("figure div > span > img").length(), 1);
        assert_eq!(doc.select("noscript").length(), 3);
    }

    #[test]
    fn notices_pixels_and_copies_beside_visible_text_stay() {
        // A notice, even a long one, beside the visible article.
        let doc = page(&format!(
            "<article><noscript><p>{PARA}</p><p>{PARA}</p><p>{PARA}</p></noscript>\
             <p>{PARA}</p><p>{PARA}</p><p>{PARA}</p></article>"
        ));
        assert!(!unwrap_articles(&doc));
        // A tracking pixel; a single short notice.
        let doc = page(
            "<div><noscript><img src='p.gif'></noscript></div>\
             <div><noscript><p>Please enable JavaScript.</p></noscript></div>",
        );
        assert!(!unwrap_articles(&doc));
        // One paragraph is not an article.
        let doc = page(&format!("<div><noscript><p>{PARA}{PARA}{PARA}</p></noscript></div>"));
        assert!(!unwrap_articles(&doc));
        assert_eq!(doc.select("noscript").length(), 1);
    }
}
