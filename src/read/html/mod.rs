//! HTML reader: bytes → decoded text → DOM (html5ever) → metadata + article blocks.
//!
//! Steps:
//! 1. [`decode`]: BOM, `<meta charset>` prescan, chardetng guess, encoding_rs decode;
//!    parsed once into dom_query's DOM (the one dom_smoothie works on);
//! 2. [`metadata`]: JSON-LD, OpenGraph, Twitter, Dublin Core, `<meta>`, `<time>`, bylines,
//!    read from that DOM before the Readability port cuts it down;
//! 3. [`extract`]: two article candidates — a Readability.js port (dom_smoothie) and our own
//!    pruning + scoring extractor on a scraper DOM, parsed only when needed — and the choice
//!    between them (JSON-LD `articleBody` as a cross-check, fallback when the first keeps too
//!    little);
//! 4. [`convert`]: the chosen HTML (scraper) → [`Block`]s, headings renumbered.
//!
//! The tunables are named constants in [`tunables`].

pub mod convert;
pub mod decode;
pub mod extract;
pub mod metadata;
mod noscript;
pub mod notices;
mod recipe;
mod scripts;
pub mod text;
pub mod tunables;

use html5ever::tendril::StrTendril;
use scraper::Html;
use std::borrow::Cow;
use url::Url;

use crate::error::{Error, Result};
use crate::model::{Block, Document, Inline};
use tunables::{
    FALLBACK_GAIN, JSONLD_BODY_MIN_CHARS, JSONLD_MIN_COVERAGE, LEAD_MAX_BLOCKS, LEAD_MAX_GAP_CHARS,
    LEAD_MIN_COVERAGE, LEAD_PROBE_MIN_WORDS, MAX_NESTING, MAX_UNCLOSED_CONTAINERS,
    MIN_ARTICLE_CHARS,
};

/// Which article extractor to run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Extractor {
    /// Run the candidates and choose (the default).
    #[default]
    Auto,
    /// Only the Readability.js port.
    Readability,
    /// Only our own pruning + scoring extractor.
    Scored,
}

/// Options for reading HTML.
#[derive(Debug, Clone, Default)]
pub struct HtmlOptions {
    /// Base URL for resolving relative links when the page has no `<base href>`.
    pub base_url: Option<String>,
}

/// Decode, parse and extract the article from an HTML page.
pub fn read<'a>(bytes: impl Into<Cow<'a, [u8]>>, opts: &HtmlOptions) -> Result<Document> {
    read_with(bytes, opts, Extractor::Auto)
}

/// [`read`] with a chosen extractor (for measuring the candidates separately).
///
/// Owned bytes are decoded in place where they are already the text, and the text is held
/// once, as one shared buffer that both parsers read: on a big page the reader's peak memory
/// is its DOM, not copies of the page.
pub fn read_with<'a>(
    bytes: impl Into<Cow<'a, [u8]>>,
    opts: &HtmlOptions,
    extractor: Extractor,
) -> Result<Document> {
    let bytes = bytes.into();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Read("the input is empty".into()));
    }
    let decoded = decode::decode_cow(bytes).0;
    if let Some(why) = super::unreadable(&decoded) {
        return Err(Error::Read(why.reason("an HTML page")));
    }
    // Script and style bodies are four tenths of a page and no reader needs them.
    let text = StrTendril::from_slice(&scripts::elide_bodies(&decoded));
    drop(decoded);
    if unclosed_containers(&text) > MAX_UNCLOSED_CONTAINERS {
        return Err(too_deep());
    }
    // One parse for the common case: the Readability port's DOM (dom_query) is read for the
    // base URL, the metadata and the page's code blocks first, then handed to the port,
    // which cuts it down to the article. scraper parses the page only when our own extractor
    // has to run (a short or doubtful first candidate: about one page in ten), after the
    // first DOM is gone, so two DOMs of a big page never live at once.
    let qdoc = dom_query::Document::from(text.clone());
    if nested_deeper_than(&qdoc, MAX_NESTING) {
        return Err(too_deep());
    }
    // A page whose article only a <noscript> holds: read it as parsed in place, on both
    // extractors' paths (the rare page this applies to is serialised once for the second).
    let may_have_noscript = noscript::may_have(text.as_bytes());
    let text =
        if may_have_noscript && noscript::unwrap_articles(&qdoc) { qdoc.html() } else { text };
    // Images only a <noscript> holds, for the port (our own extractor reads them itself).
    if may_have_noscript {
        noscript::unwrap_images(&qdoc);
    }
    let named = metadata::Named::of(&qdoc);
    let base = base_url(&named, opts.base_url.as_deref());
    let mut page = metadata::extract_named(&qdoc, &named, base.as_ref());
    let code = code_originals(&named);
    drop(named);
    let lead_probe = page.meta.description.as_deref().and_then(description_probe);
    let ingredients = if page.ingredients.is_empty() {
        None
    } else {
        recipe::ingredients_html(&qdoc, &page.ingredients)
    };
    // Its blocks keep relative URLs until resolved below, as the scored extractor's do.
    let mut primary = match extractor {
        Extractor::Scored => {
            drop(qdoc);
            None
        }
        _ => extract::readability_html(qdoc, &text).map(|r| {
            // Without structured authors, Readability.js's byline (found where the article
            // is) before the page-wide byline markup.
            if page.meta.authors.is_empty() {
                page.meta.authors =
                    r.byline.as_deref().map(metadata::byline_names).unwrap_or_default();
            }
            extract::readability_blocks(&r.html, None)
        }),
    };
    if page.meta.authors.is_empty() {
        page.meta.authors = std::mem::take(&mut page.byline_authors);
    }
    if let (Some(blocks), Some(base)) = (primary.as_mut(), base.as_ref()) {
        resolve_urls(blocks, base);
    }
    let scored = || extract::scored(parse_tendril(text.clone()), base.as_ref());

    let mut blocks = match extractor {
        Extractor::Readability => primary.unwrap_or_default(),
        Extractor::Scored => scored(),
        Extractor::Auto => choose(
            primary.unwrap_or_default(),
            scored,
            page.article_body.as_deref(),
            lead_probe.as_ref(),
            &text,
        ),
    };
    if let Some(html) = ingredients {
        let article: Vec<String> = blocks.iter().map(crate::model::block_text).collect();
        if !recipe::has_ingredients(&page.ingredients, &article.join("\n")) {
            let mut list = extract::content_blocks(&html, None);
            if let Some(base) = base.as_ref() {
                resolve_urls(&mut list, base);
            }
            blocks.splice(0..0, list);
        }
    }
    restore_code(&mut blocks, &code);
    drop_heading_permalinks(&mut blocks);
    convert::renumber_headings(&mut blocks, page.meta.title.as_deref());
    if blocks.is_empty() {
        return Err(Error::NoArticle);
    }
    Ok(Document { meta: page.meta, blocks, footnotes: Vec::new() })
}

/// Parse a page with scraper, its node vector sized from the page up front: a tree that
/// grows by doubling holds its old and new storage at once, which on a big page is the
/// reader's peak memory. A page has about one element per `<` and at most one text node
/// per element; the capacity beyond what is used is never touched, so costs no memory.
pub fn parse_document(text: &str) -> Html {
    parse_tendril(StrTendril::from_slice(text))
}

/// [`parse_document`] of text already in a tendril (shared, not copied).
fn parse_tendril(text: StrTendril) -> Html {
    use html5ever::tendril::TendrilSink;
    let nodes = estimate_nodes(text.as_bytes()) + 16;
    let html = Html {
        quirks_mode: html5ever::tree_builder::QuirksMode::NoQuirks,
        tree: ego_tree::Tree::with_capacity(scraper::Node::Document, nodes),
    };
    html5ever::driver::parse_document(scraper::HtmlTreeSink::new(html), Default::default())
        .one(text)
}

fn estimate_nodes(html: &[u8]) -> usize {
    // memchr counts at memory speed (a byte-pair scan was 3% of reading a page).
    2 * memchr::memchr_iter(b'<', html).count()
}

/// Make relative link targets and image sources absolute against `base` (fragments stay).
fn resolve_urls(blocks: &mut [Block], base: &Url) {
    crate::model::for_each_url_mut(blocks, &mut |url, _| {
        if url.starts_with('#') || url.starts_with("data:") || Url::parse(url).is_ok() {
            return;
        }
        if let Ok(u) = base.join(url) {
            *url = u.to_string();
        }
    });
}

/// Remove the permalink anchors documentation sites put in headings (`## Setup [#](#setup)`,
/// `¶`, `§`): a link to a fragment whose text is only such a mark.
fn drop_heading_permalinks(blocks: &mut [Block]) {
    for b in blocks {
        if let Block::Heading { content, .. } = b {
            content.retain(|i| match i {
                Inline::Link { url, content } => {
                    let t = crate::model::inlines_text(content);
                    !(url.contains('#')
                        && matches!(t.trim(), "#" | "¶" | "§" | "🔗" | "⚓" | "link" | "permalink"))
                }
                _ => true,
            });
            if let Some(Inline::Text { text }) = content.last_mut() {
                *text = text.trim_end().to_string();
            }
        }
    }
}

fn too_deep() -> Error {
    Error::Read(format!(
        "elements are nested more than {MAX_NESTING} deep (browsers stop nesting there); \
         not a page offprint reads"
    ))
}

/// The highest count, at any point of the page, of container tags opened and not yet
/// closed: a cheap bound on how deep the parser will nest them (see
/// [`MAX_UNCLOSED_CONTAINERS`]).
fn unclosed_containers(html: &str) -> usize {
    const CONTAINERS: &[&[u8]] = &[
        b"div",
        b"section",
        b"article",
        b"aside",
        b"main",
        b"nav",
        b"header",
        b"footer",
        b"table",
        b"ul",
        b"ol",
        b"dl",
        b"blockquote",
        b"form",
        b"span",
        b"center",
        b"font",
        b"figure",
    ];
    let bytes = html.as_bytes();
    let (mut open, mut most) = (0usize, 0usize);
    for at in memchr::memchr_iter(b'<', bytes) {
        let rest = bytes.get(at + 1..).unwrap_or_default();
        let (closing, rest) = match rest.split_first() {
            Some((b'/', r)) => (true, r),
            _ => (false, rest),
        };
        let len = rest.iter().take(11).take_while(|b| b.is_ascii_alphanumeric()).count();
        let name = rest.get(..len).unwrap_or_default();
        if !CONTAINERS.iter().any(|c| c.eq_ignore_ascii_case(name)) {
            continue;
        }
        if closing {
            open = open.saturating_sub(1);
        } else {
            open += 1;
            most = most.max(open);
        }
    }
    most
}

/// Whether any element lies more than `max` elements deep (an explicit stack: the walk
/// itself must not recurse).
fn nested_deeper_than(doc: &dom_query::Document, max: usize) -> bool {
    let mut stack = vec![(doc.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > max {
            return true;
        }
        stack.extend(node.children_it(false).filter(|c| c.is_element()).map(|c| (c, depth + 1)));
    }
    false
}

/// The page's `<pre>` texts, as (text without whitespace, text), for [`restore_code`].
fn code_originals(named: &metadata::Named) -> Vec<(String, String)> {
    named
        .get("pre")
        .iter()
        .map(|e| {
            let mut t = String::new();
            pre_text(e, &mut t);
            (squash(&t), t)
        })
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

/// Text without whitespace: how a code block is matched to its `<pre>`.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of a `<pre>`: its text nodes, a newline for each `<br>`, skipped elements
/// (scripts, styles, forms...) left out — the rule of `convert::pre_text`, which reads
/// scraper's tree; this one reads dom_query's, before the Readability port takes it.
fn pre_text(e: &dom_query::NodeRef, out: &mut String) {
    for child in e.children_it(false) {
        if child.is_text() {
            out.push_str(&child.text());
        } else if child.is_element() {
            let name = child.node_name().unwrap_or_default();
            if &*name == "br" {
                out.push('\n');
            } else if !convert::is_skipped_tag(&name) {
                pre_text(&child, out);
            }
        }
    }
}

/// Take each code block's text from the page's own `<pre>` element: the Readability port
/// re-serialises `<pre>` content and can lose its `<br>` line breaks, and code is only worth
/// keeping with its lines intact. A block matches the shortest `<pre>` whose text, without
/// whitespace, contains the block's text without whitespace.
fn restore_code(blocks: &mut [Block], originals: &[(String, String)]) {
    if originals.is_empty() {
        return;
    }
    fn walk(blocks: &mut [Block], f: &dyn Fn(&str) -> Option<String>) {
        for b in blocks {
            match b {
                Block::Code { text, .. } => {
                    if let Some(t) = f(text) {
                        *text = t;
                    }
                }
                Block::Quote { blocks, .. } => walk(blocks, f),
                Block::List { items, .. } => {
                    for item in items {
                        walk(item, f);
                    }
                }
                _ => {}
            }
        }
    }
    walk(blocks, &|text: &str| {
        let key = squash(text);
        if key.is_empty() {
            return None;
        }
        originals
            .iter()
            .filter(|(k, _)| k.contains(&key))
            .min_by_key(|(k, _)| k.len())
            .map(|(_, t)| t.trim_matches('\n').to_string())
    });
}

fn text_chars(blocks: &[Block]) -> usize {
    blocks.iter().map(|b| crate::model::block_text(b).chars().count()).sum()
}

/// Choose between the candidates, then give the chosen article its lead when it lacks one
/// the page shows.
fn choose<F: FnOnce() -> Vec<Block>>(
    primary: Vec<Block>,
    scored: F,
    ld_body: Option<&str>,
    lead_probe: Option<&Probe>,
    html: &str,
) -> Vec<Block> {
    let (chosen, other) = pick(primary, scored, ld_body);
    let Some(probe) = lead_probe else { return chosen };
    // A description that opens the article (a standfirst, a dateline and the letter after
    // it) but that the chosen candidate lacks: the page's lead sits outside the container
    // the extractor chose.
    let text = text::norm_key(&extract::blocks_text(&chosen));
    if text.contains(&probe.body) {
        return chosen;
    }
    let page = text::norm_key(&page_text(html));
    if !probe.leads_into(&page, &text) {
        return chosen;
    }
    // Our own extractor's candidate, when it has the lead just before the same article.
    let other = match other {
        Other::NotRun(scored) => Some(scored()),
        Other::Ran(blocks) => Some(blocks),
        Other::Chosen => None,
    };
    if let Some(lead) = other.and_then(|other| lead_before(&chosen, &other, probe)) {
        return lead.into_iter().chain(chosen).collect();
    }
    // Neither candidate holds it (a standfirst in the article's header, beside the
    // headline), but the page shows the whole description just before the article: that
    // text is the lead.
    match probe.shown_before(&page, &text) {
        Some(lead) => std::iter::once(lead).chain(chosen).collect(),
        None => chosen,
    }
}

/// The candidate not chosen by [`pick`].
enum Other<F> {
    /// Our own extractor was not run.
    NotRun(F),
    /// Our own extractor's candidate, not chosen.
    Ran(Vec<Block>),
    /// Our own extractor's candidate is the chosen one.
    Chosen,
}

/// Choose between the Readability port's candidate (`primary`) and our own extractor's
/// (run only when the first is short or doubtful).
fn pick<F: FnOnce() -> Vec<Block>>(
    primary: Vec<Block>,
    scored: F,
    ld_body: Option<&str>,
) -> (Vec<Block>, Other<F>) {
    let primary_len = text_chars(&primary);
    let ld_body = ld_body.filter(|b| b.chars().count() >= JSONLD_BODY_MIN_CHARS);
    let needs_check = primary_len < MIN_ARTICLE_CHARS || ld_body.is_some();
    if !needs_check {
        return (primary, Other::NotRun(scored));
    }
    if let Some(body) = ld_body {
        let (r1, p1) = extract::overlap(&extract::blocks_text(&primary), body);
        if r1 >= JSONLD_MIN_COVERAGE {
            // The primary candidate already covers the publisher's own article text.
            return (primary, Other::NotRun(scored));
        }
        let other = scored();
        let (r2, p2) = extract::overlap(&extract::blocks_text(&other), body);
        if r2 > r1 && f1(r2, p2) > f1(r1, p1) {
            return (other, Other::Chosen);
        }
        return (primary, Other::Ran(other));
    }
    let other = scored();
    let other_len = text_chars(&other);
    if other_len as f64 > primary_len as f64 * FALLBACK_GAIN {
        (other, Other::Chosen)
    } else {
        (primary, Other::Ran(other))
    }
}

/// Words 4 to 15 of a description, normalised: a passage the article's own text holds when
/// the description is its opening (the first words are often a date or a dateline, and the
/// end is often cut). Descriptions under [`LEAD_PROBE_MIN_WORDS`] words are too short to
/// tell an opening from a coincidence.
fn description_probe(description: &str) -> Option<Probe> {
    let words = text::norm_key(description);
    let words: Vec<&str> = words.split(' ').collect();
    (words.len() >= LEAD_PROBE_MIN_WORDS).then(|| Probe {
        head: words[..3].join(" "),
        body: words[3..15].join(" "),
        whole: words.join(" "),
        text: description.split_whitespace().collect::<Vec<_>>().join(" "),
    })
}

/// What of a description is looked for (see [`description_probe`]).
#[derive(Debug)]
struct Probe {
    /// Its first three words (a date, a dateline), which may stand in a line of their own.
    head: String,
    /// Its words 4 to 15.
    body: String,
    /// All its words.
    whole: String,
    /// The description as written (whitespace collapsed).
    text: String,
}

impl Probe {
    /// Whether the description stands in the page's text (`page`, normalised) shortly
    /// before the first words of `article` (normalised): only then can it be the article's
    /// lead. This spares running the other extractor for descriptions the page does not
    /// show, or shows as a teaser elsewhere.
    fn leads_into(&self, page: &str, article: &str) -> bool {
        let opening: Vec<&str> = article.split(' ').take(8).collect();
        let opening = opening.join(" ");
        let Some(at) = page.find(&self.body) else { return false };
        match page.get(at..).and_then(|rest| rest.find(&opening)) {
            Some(gap) => gap <= LEAD_MAX_GAP_CHARS,
            None => false,
        }
    }

    /// The description as a paragraph, when the page (`page`, normalised) shows all of it
    /// (not a cut teaser of it) at most [`LEAD_MAX_GAP_CHARS`] before the first words of
    /// `article` (normalised).
    fn shown_before(&self, page: &str, article: &str) -> Option<Block> {
        let opening: Vec<&str> = article.split(' ').take(8).collect();
        let opening = opening.join(" ");
        let end = page.find(&self.whole)? + self.whole.len();
        let gap = page.get(end..)?.find(&opening)?;
        (gap <= LEAD_MAX_GAP_CHARS).then(|| Block::para(self.text.clone()))
    }
}

/// The text of an HTML page, roughly as a reader sees it: tags, comments and the content of
/// scripts and styles left out, character references decoded. A scan of the source,
/// as the DOM is the Readability port's by the time this is asked, and a cheap one: it is
/// asked only when the chosen article lacks the page's description.
fn page_text(html: &str) -> String {
    /// Whether `s` starts with the tag `<name` (any case; not `<stylesheet`).
    fn opens(s: &str, name: &str) -> bool {
        let b = s.as_bytes();
        b.get(1..=name.len()).is_some_and(|b| b.eq_ignore_ascii_case(name.as_bytes()))
            && b.get(name.len() + 1).is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'-')
    }
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        out.push(' ');
        let tag = &rest[lt..];
        let skip_to = if tag.starts_with("<!--") {
            tag.find("-->").map(|e| e + 3)
        } else if let Some(name) =
            ["script", "style", "template", "noscript"].into_iter().find(|n| opens(tag, n))
        {
            let name = name.as_bytes();
            scripts::end_tag(tag.as_bytes(), 0, name).map(|at| at + 2 + name.len())
        } else {
            tag.find('>').map(|e| e + 1)
        };
        // An element never closed: the rest is inside it.
        rest = skip_to.and_then(|n| tag.get(n..)).unwrap_or_default();
    }
    out.push_str(rest);
    match text::unescape_entities(&out) {
        Cow::Owned(decoded) => decoded,
        Cow::Borrowed(_) => out,
    }
}

/// The blocks of `other` that lead into `article`: `other` must hold the whole of `article`
/// (so it is the same article with more before it), and the `probe` must lie in the at most
/// [`LEAD_MAX_BLOCKS`] blocks just before `article`'s first words.
fn lead_before(article: &[Block], other: &[Block], probe: &Probe) -> Option<Vec<Block>> {
    let article_text = extract::blocks_text(article);
    let (covered, _) = extract::overlap(&extract::blocks_text(other), &article_text);
    if covered < LEAD_MIN_COVERAGE {
        return None;
    }
    let opening: String =
        text::norm_key(&article_text).split(' ').take(8).collect::<Vec<_>>().join(" ");
    let texts: Vec<String> =
        other.iter().map(|b| text::norm_key(&crate::model::block_text(b))).collect();
    let start = texts.iter().position(|t| t.contains(&opening))?;
    let mut lead = String::new();
    for first in (start.saturating_sub(LEAD_MAX_BLOCKS)..start).rev() {
        lead = format!("{} {lead}", texts[first]);
        if lead.contains(&probe.body) {
            // The description's first words on a line of their own just before (a date).
            let head_before = first > 0
                && !lead.contains(&probe.head)
                && texts.get(first - 1).is_some_and(|t| t.contains(&probe.head));
            let first = if head_before { first - 1 } else { first };
            return Some(other[first..start].to_vec());
        }
    }
    None
}

fn f1(r: f64, p: f64) -> f64 {
    if r + p == 0.0 {
        0.0
    } else {
        2.0 * r * p / (r + p)
    }
}

/// The base for relative URLs: `<base href>` (itself resolved against the given URL), else
/// the given URL, else the page's canonical URL.
fn base_url(named: &metadata::Named, given: Option<&str>) -> Option<Url> {
    let given = given.and_then(|u| Url::parse(u).ok());
    let first_attr = |nodes: &[dom_query::NodeRef], attrs: &[&str]| -> Option<String> {
        nodes.iter().find_map(|e| attrs.iter().find_map(|a| e.attr(a)).map(|v| v.to_string()))
    };
    if let Some(href) = first_attr(&named.select("base[href]"), &["href"]) {
        let resolved = match &given {
            Some(g) => g.join(href.trim()).ok(),
            None => Url::parse(href.trim()).ok(),
        };
        if resolved.is_some() {
            return resolved;
        }
    }
    if given.is_some() {
        return given;
    }
    first_attr(&named.select("link[rel=canonical], meta[property='og:url']"), &["href", "content"])
        .and_then(|c| Url::parse(c.trim()).ok())
        .filter(|u| u.scheme() == "http" || u.scheme() == "https")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inline;

    fn read_str(html: &str, base: Option<&str>) -> Document {
        read(html.as_bytes(), &HtmlOptions { base_url: base.map(str::to_string) }).unwrap()
    }

    fn article(extra: &str) -> String {
        let p = "<p>Paragraph of the article text, long enough to be kept by any extractor, with commas, words and more words.</p>";
        format!("<html><head><title>The Article Title - Site</title><meta property=\"og:site_name\" content=\"Site\"></head><body><article><h1>The Article Title</h1>{extra}{p}{p}{p}{p}{p}{p}</article></body></html>")
    }

    #[test]
    fn a_recipes_ingredient_list_beside_the_method_is_kept() {
        // Its items are all links to a shop, as on many recipe sites: kept all the same.
        let step = |n: usize| {
            format!("<p>Step {n}: stir the pot slowly and patiently, then let it rest a while before the next step.</p>")
        };
        let method: String = (1..=6).map(step).collect();
        let html = format!(
            "<html><head><title>Lentil soup</title><script type='application/ld+json'>\
             {{\"@type\":\"Recipe\",\"name\":\"Lentil soup\",\"recipeIngredient\":\
             [\"200 g red lentils\",\"1 large onion, chopped\",\"2 carrots\",\"1 l vegetable stock\"]}}\
             </script></head><body><nav><a href='/'>Home</a></nav>\
             <aside class='ingredients'><h2>Ingredients</h2><ul>\
             <li>200 g <a href='https://shop.example/1'>red lentils</a></li>\
             <li>1 large <a href='https://shop.example/2'>onion</a>, chopped</li>\
             <li>2 <a href='https://shop.example/3'>carrots</a></li>\
             <li>1 l <a href='https://shop.example/4'>vegetable stock</a></li></ul></aside>\
             <article><h1>Lentil soup</h1>{method}</article></body></html>"
        );
        let doc = read_str(&html, None);
        let text = doc.body_text();
        assert!(
            text.contains("200 g red lentils") && text.contains("1 l vegetable stock"),
            "{text}"
        );
        assert!(text.find("red lentils") < text.find("Step 1"), "{text}");
        assert_eq!(text.matches("red lentils").count(), 1, "{text}");
        // Without the recipe's own list of ingredients nothing is added.
        let plain = html.replace("recipeIngredient", "keywords");
        assert!(!read_str(&plain, None).body_text().contains("red lentils"));
    }

    #[test]
    fn an_article_only_a_noscript_holds_is_read() {
        // Blogger's theme: the post as a script template, its readable copy in <noscript>.
        let para = |n: usize| {
            format!("<p>Paragraph {n} of the post, which says something at some length, as posts do, in plain words.</p>")
        };
        let body: String = (1..=5).map(para).collect();
        let html = format!(
            "<html><head><title>A post</title></head><body><nav><a href='/'>Home</a></nav>\
             <div class='post-body'><script type='text/template'>{body}</script>\
             <noscript>{body}</noscript></div></body></html>"
        );
        let doc = read_str(&html, None);
        let text = doc.body_text();
        for n in 1..=5 {
            assert!(text.contains(&format!("Paragraph {n} of the post")), "{text}");
        }
        assert_eq!(text.matches("Paragraph 1 of").count(), 1, "{text}");
    }

    #[test]
    fn code_blocks_keep_their_br_line_breaks() {
        let html = article(
            "<pre><code><span>// one.c</span><br /><span>#include</span> &lt;a.h&gt;<br /><br />int x;</code></pre>",
        );
        let doc = read_str(&html, None);
        let code = doc.blocks.iter().find_map(|b| match b {
            Block::Code { text, .. } => Some(text.clone()),
            _ => None,
        });
        assert_eq!(code.as_deref(), Some("// one.c\n#include <a.h>\n\nint x;"));
    }

    #[test]
    fn heading_permalinks_are_dropped() {
        let html = article("<h2>Setup <a href=\"#setup\">#</a></h2><p>Paragraph under the section heading, long enough to be kept as text.</p>");
        let doc = read_str(&html, Some("https://example.org/post"));
        assert!(doc.headings().iter().any(|(_, t)| t == "Setup"), "{:?}", doc.headings());
    }

    #[test]
    fn resolves_urls_with_base_href_and_option() {
        let d = read_str(&article("<p>See <a href='x/y.html'>this link here</a> for more about the article topic and its details.</p>"), Some("https://example.org/dir/page.html"));
        let Some(Block::Paragraph { content }) = d.blocks.first() else { panic!("{:?}", d.blocks) };
        assert!(content.iter().any(|i| matches!(i, Inline::Link { url, .. } if url == "https://example.org/dir/x/y.html")), "{content:?}");

        let html = article("<p>See <a href='/z'>that link there</a> for more about the article topic and its details.</p>")
            .replace("<head>", "<head><base href='https://cdn.example.net/root/'>");
        let d = read_str(&html, None);
        let Some(Block::Paragraph { content }) = d.blocks.first() else { panic!() };
        assert!(content
            .iter()
            .any(|i| matches!(i, Inline::Link { url, .. } if url == "https://cdn.example.net/z")));
    }

    #[test]
    fn title_not_repeated() {
        let d = read_str(&article("<h2>Section</h2>"), None);
        assert_eq!(d.meta.title.as_deref(), Some("The Article Title"));
        assert_eq!(d.headings(), vec![(2, "Section".to_string())]);
    }

    #[test]
    fn page_text_leaves_out_tags_scripts_styles_and_comments() {
        let html = "<html><head><style>p { color: red }</style><SCRIPT>if (a<b) x()</SCRIPT></head><body><!-- <p>hidden</p> --><p class=\"x\">One <b>two</b></p><p>three</p><noscript>nojs</noscript>four";
        assert_eq!(text::norm_key(&page_text(html)), "one two three four");
        assert_eq!(text::norm_key(&page_text("<p>cut <script>never closed")), "cut");
        // Only those elements: a custom `<style-guide>` is text like any other.
        assert_eq!(text::norm_key(&page_text("<style-guide>kept</style-guide>")), "kept");
    }

    #[test]
    fn a_lead_left_out_by_the_first_candidate_is_taken_from_the_other() {
        let description = "July 7, 2020. The letter below will appear in the Letters section of the October issue, with responses.";
        // Long enough not to need the fallback on its own.
        let names: Vec<Block> = (0..8)
            .map(|i| {
                Block::para(format!(
                    "Signatory {i}: Elliot Ackerman, Saladin Ambar, Martin Amis, Anne Applebaum"
                ))
            })
            .collect();
        let lead = [
            Block::para("July 7, 2020"),
            Block::para("The letter below will appear in the Letters section of the October issue, with responses welcome."),
            Block::para("Our cultural institutions are facing a moment of trial, and so on."),
        ];
        let menu = Block::para("Home Subscribe Archive Store");
        let other: Vec<Block> =
            [menu.clone()].into_iter().chain(lead.clone()).chain(names.clone()).collect();
        // The page as the other candidate has it (menu, lead, article).
        let html = |blocks: &[Block]| {
            let paras: Vec<String> =
                blocks.iter().map(|b| format!("<p>{}</p>", crate::model::block_text(b))).collect();
            format!("<html><script>var x = '<p>';</script><body>{}</body></html>", paras.join(""))
        };
        let probe = description_probe(description).expect("long enough");
        let page = html(&other);
        let chosen = choose(names.clone(), || other.clone(), None, Some(&probe), &page);
        assert_eq!(chosen, lead.iter().chain(&names).cloned().collect::<Vec<_>>());
        // Not when the other candidate is another part of the page, nor when the description
        // is not just before the article, nor when the first candidate has it.
        assert_eq!(lead_before(&names, &lead, &probe), None);
        let after: Vec<Block> = names.iter().chain(&lead).cloned().collect();
        assert_eq!(lead_before(&names, &after, &probe), None);
        let with_lead: Vec<Block> = lead.iter().chain(&names).cloned().collect();
        let kept = choose(with_lead.clone(), || panic!("not needed"), None, Some(&probe), &page);
        assert_eq!(kept, with_lead);
        // Nor when the description stands on the page after the article (a teaser).
        let teaser_after: Vec<Block> = names.iter().chain(&lead).cloned().collect();
        let kept = choose(
            names.clone(),
            || panic!("not needed"),
            None,
            Some(&probe),
            &html(&teaser_after),
        );
        assert_eq!(kept, names);
        // Nor when the page does not show the description.
        let kept =
            choose(names.clone(), || panic!("not needed"), None, Some(&probe), &html(&names));
        assert_eq!(kept, names);
        // A short description is no evidence.
        assert!(description_probe("July 7, 2020. A letter on justice.").is_none());
    }

    #[test]
    fn a_standfirst_neither_candidate_holds_is_the_description_the_page_shows() {
        let description = "At the junior masters in Tarbes the young player from the wheelchair club showed once more what he can do.";
        // Long enough not to need the fallback on its own.
        let article: Vec<Block> = (0..8)
            .map(|i| {
                Block::para(format!(
                    "Paragraph {i} of the report: the draw, the first rounds, the doubles with his partner from England."
                ))
            })
            .collect();
        let page = |before: &str, after: &str| {
            let paras: Vec<String> =
                article.iter().map(|b| format!("<p>{}</p>", crate::model::block_text(b))).collect();
            format!(
                "<html><body><h1>Debut</h1>{before}<div>{}</div>{after}</body></html>",
                paras.join("")
            )
        };
        let probe = description_probe(description).expect("long enough");
        // The standfirst beside the headline; the other candidate has only the article.
        let shown = page(&format!("<p class=lead> {description} </p>"), "");
        let chosen = choose(article.clone(), || article.clone(), None, Some(&probe), &shown);
        let want: Vec<Block> =
            std::iter::once(Block::para(description)).chain(article.clone()).collect();
        assert_eq!(chosen, want);
        // Also when the choice was checked against the publisher's own article text.
        let body = extract::blocks_text(&article);
        let chosen = choose(article.clone(), || article.clone(), Some(&body), Some(&probe), &shown);
        assert_eq!(chosen, want);
        // Not a cut teaser of it, nor the description shown after the article.
        let cut = &description[..description.len() - 30];
        let teaser = page(&format!("<p>{cut}…</p>"), "");
        assert_eq!(
            choose(article.clone(), || article.clone(), None, Some(&probe), &teaser),
            article
        );
        let after = page("", &format!("<p>{description}</p>"));
        assert_eq!(
            choose(article.clone(), || article.clone(), None, Some(&probe), &after),
            article
        );
    }
}
