//! Finding the article: candidates, boilerplate pruning, scoring, and the choice between
//! candidates (with JSON-LD `articleBody` as a cross-check).

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node};
use url::Url;

use super::convert::{is_hidden, is_skipped_tag, Converter};
use super::notices;
use super::text::norm_key;
use super::tunables::*;
use crate::model::{block_text, Block, Inline};

/// The Readability.js port's article from `doc` (the page `html`, parsed), as HTML. Its DOM
/// is dropped before this returns, so that it never lives beside the page's scraper DOM
/// (peak memory on big pages). Relative URLs stay relative here; [`readability_blocks`]
/// resolves them.
///
/// Readability.js tries up to four times, relaxing a rule each time the article is shorter
/// than its threshold, and keeps an untouched copy of the whole DOM for the next attempt —
/// made before the first attempt, whether or not a second one runs. That copy is a tenth of
/// the reader's time and, on a big page, its peak memory. So the strict attempt runs alone
/// first, which gives the same article whenever it is long enough (Readability.js would
/// return that attempt), and the full run parses `html` again only when it is not.
pub fn readability_html(
    doc: dom_query::Document,
    html: &html5ever::tendril::StrTendril,
) -> Option<Readable> {
    let cfg = || dom_smoothie::Config {
        keep_classes: true,
        // The metadata reader does JSON-LD itself.
        disable_json_ld: true,
        ..Default::default()
    };
    let strict = dom_smoothie::Readability::with_document(doc, None, Some(cfg()))
        .ok()?
        .parse_with_policy(dom_smoothie::ParsePolicy::Strict)
        .ok();
    if let Some(article) =
        strict.filter(|a| normalized_chars(&a.text_content) >= cfg().char_threshold)
    {
        return Some(Readable { html: article.content.to_string(), byline: article.byline });
    }
    let mut r = dom_smoothie::Readability::new(html.clone(), None, Some(cfg())).ok()?;
    let article = r.parse().ok()?;
    Some(Readable { html: article.content.to_string(), byline: article.byline })
}

/// What the Readability.js port found: the article's HTML and the page's byline (the text
/// of the first short element marked as one, as Readability.js takes it).
pub struct Readable {
    /// The article, as the port serialises it.
    pub html: String,
    /// The byline as found (raw text: "By Jane Doe, March 3"); see `metadata::byline_names`.
    pub byline: Option<String>,
}

/// Characters of `text` with each whitespace run counted once (leading whitespace not at
/// all): the length Readability.js compares with its threshold.
fn normalized_chars(text: &str) -> usize {
    let mut count = 0;
    let mut prev_ws = true;
    for c in text.chars() {
        let ws = c.is_whitespace();
        if !(prev_ws && ws) {
            count += 1;
        }
        prev_ws = ws;
    }
    count
}

/// Blocks of the Readability.js port's article HTML.
pub fn readability_blocks(content: &str, base: Option<&Url>) -> Vec<Block> {
    let mut frag = Html::parse_fragment(content);
    prune(&mut frag, false);
    let blocks = Converter { base }.convert(frag.root_element());
    trim_tail(drop_empty_sections(filter_blocks(blocks)))
}

/// Blocks of a fragment known to be content (a recipe's ingredient list, found through the
/// page's own structured data): hidden and chrome-named parts pruned, but no link-density or
/// repetition filter (ingredient names are often all links to a shop).
pub fn content_blocks(content: &str, base: Option<&Url>) -> Vec<Block> {
    let mut frag = Html::parse_fragment(content);
    prune(&mut frag, false);
    drop_empty_sections(Converter { base }.convert(frag.root_element()))
}

/// Our own extractor: prune boilerplate from the whole page, find the article root by
/// semantic markup or scoring, convert, then filter link-dense and repeated blocks.
pub fn scored(mut doc: Html, base: Option<&Url>) -> Vec<Block> {
    prune(&mut doc, true);
    let root = find_root(&doc);
    let blocks = Converter { base }.convert(root);
    drop_empty_sections(filter_blocks(blocks))
}

/// How strongly a class/id value marks chrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Chrome {
    /// No boilerplate marker.
    No,
    /// Weak marker (widget, teaser, banner...): removed only when short or link-dense.
    Weak,
    /// Strong marker (comments, share bars, related lists, cookie notices, ads).
    Strong,
}

fn chrome_name(s: &str) -> Chrome {
    const STRONG_EXACT: &[&str] = &[
        "nav",
        "navbar",
        "navigation",
        "menu",
        "breadcrumb",
        "breadcrumbs",
        "sidebar",
        "side-bar",
        "footer",
        "share",
        "sharing",
        "social",
        "subscribe",
        "newsletter",
        "comments",
        "comment-list",
        "disqus",
        "related",
        "recommended",
        "sponsored",
        "advert",
        "advertisement",
        "ad",
        "ads",
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "outbrain",
        "taboola",
        "tags",
        "tag-list",
        "pagination",
        "pager",
        "toolbar",
        "skip-link",
        "site-header",
        "site-footer",
        "most-popular",
        "trending",
    ];
    const STRONG_PARTS: &[&str] = &[
        "share",
        "social",
        "subscri",
        "newsletter",
        "comment",
        "related",
        "recommend",
        "sidebar",
        "cookie",
        "consent",
        "gdpr",
        "breadcrumb",
        "navbar",
        "navigation",
        "footer",
        "advert",
        "sponsor",
        "outbrain",
        "taboola",
        "signup",
        "sign-up",
        "paywall",
        "more-stories",
        "also-read",
        "see-also",
        "follow-us",
        "outdated",
        "browser-warning",
        "donate",
        "author-bio",
        "authorbio",
        "author-box",
        "authorbox",
        "about-author",
        "about-the-author",
        "disclaimer",
        "disclosure",
        "rating",
        "noprint",
        "no-print",
        "print-none",
        "hidden-print",
        "copyright",
        "licence",
        "license",
        "affiliate",
        "linklist",
        "link-list",
        "linkbox",
        "view-more",
        "more-topics",
        "moretopics",
        "tags",
        "webform",
        "author-info",
        "authorinfo",
        "author-description",
        "entry-author",
        "post-author",
        "yarpp",
        "akismet",
        "latest-posts",
        "recent-posts",
        "more-from",
        "top10",
        "toplist",
        "most-read",
        "mostread",
        "submenu",
        "sub-menu",
        "menu-item",
    ];
    const WEAK_PARTS: &[&str] = &[
        "widget",
        "banner",
        "promo",
        "popular",
        "trending",
        "read-more",
        "readmore",
        "ticker",
        "modal",
        "popup",
        "overlay",
        "masthead",
        "teaser",
        "byline",
        "meta",
        "tools",
        "print",
    ];
    // One automaton per list (the parts hold no whitespace, so a match lies inside one
    // class token): this runs for every element of every page.
    static STRONG: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| parts_matcher(STRONG_PARTS));
    static WEAK: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| parts_matcher(WEAK_PARTS));
    let has = |ac: &Option<AhoCorasick>, parts: &[&str], t: &str| match ac {
        Some(ac) => ac.is_match(t),
        None => {
            let lower = t.to_ascii_lowercase();
            parts.iter().any(|p| lower.contains(p))
        }
    };
    let starts = |t: &str, p: &str| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    let ends = |t: &str, p: &str| {
        t.len() >= p.len() && t.get(t.len() - p.len()..).is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    // The level of whitespace-separated class tokens: one automaton pass per list over the
    // whole value (this runs for every element of every page), exact names and `ad-`-style
    // affixes per token.
    let level = |s: &str| {
        let tokens = || s.split(|c: char| c.is_whitespace()).filter(|t| !t.is_empty());
        if has(&STRONG, STRONG_PARTS, s)
            || tokens().any(|t| {
                STRONG_EXACT.iter().any(|e| t.eq_ignore_ascii_case(e))
                    || starts(t, "ad-")
                    || starts(t, "ads-")
                    || starts(t, "ad_")
                    || ends(t, "-ad")
                    || ends(t, "-ads")
            })
        {
            Chrome::Strong
        } else if has(&WEAK, WEAK_PARTS, s) {
            Chrome::Weak
        } else {
            Chrome::No
        }
    };
    if !s.contains("--") {
        return level(s);
    }
    // A BEM modifier (`block--modifier`) names a variant of its block, not what the block
    // is: `TestReport__Section--Ads` is a report section with ad slots in it,
    // `Main--Skyscraper` a main column beside a tall ad. A chrome word there is weak
    // evidence (removed only when short or link-dense); in the block name it is not.
    let (mut blocks, mut modifiers) = (String::new(), String::new());
    for tok in s.split(|c: char| c.is_whitespace()) {
        let (block, modifier) = tok.split_once("--").unwrap_or((tok, ""));
        blocks.push_str(block);
        blocks.push(' ');
        modifiers.push_str(modifier);
        modifiers.push(' ');
    }
    level(&blocks).max(level(&modifiers).min(Chrome::Weak))
}

/// An ASCII-case-insensitive matcher for any of `parts` (`None` if it cannot be built).
fn parts_matcher(parts: &[&str]) -> Option<AhoCorasick> {
    AhoCorasick::builder().ascii_case_insensitive(true).build(parts).ok()
}

#[cfg(test)]
fn is_boilerplate_name(s: &str) -> bool {
    chrome_name(s) != Chrome::No
}

const PROTECT: &[&str] = &["article", "main", "body", "html"];

/// Remove skipped tags, hidden elements, chrome elements and boilerplate-named blocks.
/// `whole_page`: pruning the page before finding the article (tags like `aside`/`footer`
/// outside an article go); otherwise pruning an already extracted article, where no element
/// holding a large share of the text is removed.
fn prune(doc: &mut Html, whole_page: bool) {
    let root_len = text_len(&doc.root_element()).max(1);
    let mut remove: Vec<NodeId> = Vec::new();
    for e in doc.root_element().descendent_elements() {
        let name = e.value().name();
        if PROTECT.contains(&name) {
            continue;
        }
        if (is_skipped_tag(name) && name != "form") || is_hidden(&e) {
            remove.push(e.id());
            continue;
        }
        let chrome = whole_page
            && matches!(name, "nav" | "footer" | "aside" | "header")
            && !inside_article(&e);
        let role_chrome = e.value().attr("role").is_some_and(|r| {
            matches!(
                r,
                "navigation"
                    | "banner"
                    | "contentinfo"
                    | "complementary"
                    | "dialog"
                    | "alertdialog"
                    | "search"
            )
        });
        let class = chrome_name(e.value().attr("class").unwrap_or_default());
        let id = chrome_name(e.value().attr("id").unwrap_or_default());
        let level = class.max(id);
        let named = level != Chrome::No && {
            let len = text_len(&e);
            let dense = link_text_len(&e) as f64 > len as f64 * LINK_DENSITY_MAX;
            let big = !whole_page && len as f64 > root_len as f64 * CHROME_MAX_SHARE;
            let weak_ok = len < SHORT_BLOCK_CHARS || dense;
            !big && !holds_article(&e) && (level == Chrome::Strong || weak_ok)
        };
        if chrome || role_chrome || named {
            remove.push(e.id());
        }
    }
    for id in remove {
        if let Some(mut n) = doc.tree.get_mut(id) {
            n.detach();
        }
    }
}

fn inside_article(e: &ElementRef) -> bool {
    e.ancestors().filter_map(ElementRef::wrap).any(|a| {
        a.value().name() == "article"
            || a.value().attr("itemprop").is_some_and(|p| p.contains("articleBody"))
    })
}

/// An element that wraps the article (so must not be removed for its class name).
fn holds_article(e: &ElementRef) -> bool {
    e.descendent_elements().skip(1).any(|d| {
        matches!(d.value().name(), "article" | "main")
            || d.value().attr("itemprop").is_some_and(|p| p.contains("articleBody"))
    }) || text_len(e) > 5000
        && e.descendent_elements().filter(|d| d.value().name() == "p").count() > 10
}

fn text_len(e: &ElementRef) -> usize {
    e.text().map(|t| t.trim().chars().count()).sum()
}

fn link_text_len(e: &ElementRef) -> usize {
    e.descendent_elements().filter(|d| d.value().name() == "a").map(|a| text_len(&a)).sum()
}

/// The article root: the largest `[itemprop=articleBody]`, `article`, `main`/`[role=main]`
/// with enough text, else the best Readability-style score.
fn find_root(doc: &Html) -> ElementRef<'_> {
    let body = doc
        .root_element()
        .child_elements()
        .find(|c| c.value().name() == "body")
        .unwrap_or_else(|| doc.root_element());
    let best_of = |pred: &dyn Fn(&ElementRef) -> bool| -> Option<ElementRef> {
        body.descendent_elements()
            .filter(|e| pred(e))
            .map(|e| (para_text_len(&e), e))
            .filter(|(n, _)| *n >= MIN_ARTICLE_CHARS / 2)
            .max_by_key(|(n, _)| *n)
            .map(|(_, e)| e)
    };
    let scored = score_root(body);
    let scored_len = scored.map(|s| para_text_len(&s)).unwrap_or(0);
    let semantic =
        best_of(&|e| e.value().attr("itemprop").is_some_and(|p| p.contains("articleBody")))
            .or_else(|| best_of(&|e| e.value().name() == "article"))
            .or_else(|| {
                best_of(&|e| e.value().name() == "main" || e.value().attr("role") == Some("main"))
            });
    match (semantic, scored) {
        (Some(s), Some(c)) => {
            // Prefer the semantic element unless it misses most of the scored text.
            if para_text_len(&s) as f64 * FALLBACK_GAIN < scored_len as f64
                && !s.ancestors().any(|a| a.id() == c.id())
            {
                c
            } else {
                s
            }
        }
        (Some(s), None) => s,
        (None, Some(c)) => c,
        (None, None) => body,
    }
}

/// Characters of text in paragraph-like descendants (not in links).
fn para_text_len(e: &ElementRef) -> usize {
    text_len(e).saturating_sub(link_text_len(e))
}

fn class_weight(e: &ElementRef) -> f64 {
    let mut w = 0.0;
    for attr in ["class", "id"] {
        let Some(v) = e.value().attr(attr) else { continue };
        let v = v.to_ascii_lowercase();
        if ["article", "body", "content", "entry", "main", "page", "post", "text", "blog", "story"]
            .iter()
            .any(|p| v.contains(p))
        {
            w += 25.0;
        }
        if chrome_name(&v) == Chrome::Strong
            || [
                "comment", "meta", "footer", "foot", "masthead", "media", "scroll", "shoutbox",
                "sponsor", "shopping",
            ]
            .iter()
            .any(|p| v.contains(p))
        {
            w -= 25.0;
        }
    }
    w
}

/// Readability-style scoring: each text paragraph scores its parent and grandparent.
fn score_root(body: ElementRef) -> Option<ElementRef> {
    let mut scores: BTreeMap<NodeId, f64> = BTreeMap::new();
    let mut elems: BTreeMap<NodeId, ElementRef> = BTreeMap::new();
    for e in body.descendent_elements() {
        let name = e.value().name();
        let is_para = matches!(name, "p" | "pre" | "td" | "blockquote")
            || (matches!(name, "div" | "section")
                && e.children()
                    .any(|c| matches!(c.value(), Node::Text(t) if t.trim().chars().count() > 25)));
        if !is_para {
            continue;
        }
        let own: String = e.text().collect();
        let len = own.trim().chars().count();
        if len < 25 {
            continue;
        }
        let score = 1.0
            + own.matches([',', '，', '、', '،']).count() as f64
            + (len as f64 / 100.0).min(3.0);
        for (depth, anc) in e.ancestors().filter_map(ElementRef::wrap).take(3).enumerate() {
            if matches!(anc.value().name(), "html" | "body") {
                break;
            }
            let div = match depth {
                0 => 1.0,
                1 => 2.0,
                d => d as f64 * 3.0,
            };
            let entry = scores.entry(anc.id()).or_insert_with(|| {
                let base = match anc.value().name() {
                    "div" | "article" | "section" | "main" => 5.0,
                    "pre" | "td" | "blockquote" => 3.0,
                    "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" | "address" => -3.0,
                    _ => 0.0,
                };
                base + class_weight(&anc)
            });
            *entry += score / div;
            elems.insert(anc.id(), anc);
        }
    }
    let mut best: Option<(f64, ElementRef)> = None;
    for (id, s) in &scores {
        let Some(e) = elems.get(id) else { continue };
        let total = text_len(e).max(1);
        let ld = link_text_len(e) as f64 / total as f64;
        let s = s * (1.0 - ld);
        if best.as_ref().is_none_or(|(b, _)| s > *b) {
            best = Some((s, *e));
        }
    }
    let (best_score, mut top) = best?;
    // Siblings with a comparable score belong to the article too: climb to the parent
    // when it gathers several good children.
    if let Some(parent) = top.parent().and_then(ElementRef::wrap) {
        if !matches!(parent.value().name(), "body" | "html") {
            let good = parent
                .child_elements()
                .filter(|c| scores.get(&c.id()).is_some_and(|s| *s >= best_score * 0.2))
                .count();
            if good >= 2 {
                top = parent;
            }
        }
    }
    // Too little text: go up until there is enough.
    while para_text_len(&top) < MIN_ARTICLE_CHARS {
        match top.parent().and_then(ElementRef::wrap) {
            Some(p) if !matches!(p.value().name(), "html") => top = p,
            _ => break,
        }
    }
    Some(top)
}

/// Plain text and link text length of inlines.
fn inline_lens(v: &[Inline], in_link: bool, total: &mut usize, link: &mut usize) {
    for i in v {
        match i {
            Inline::Text { text } | Inline::Code { text } => {
                let n = text.chars().count();
                *total += n;
                if in_link {
                    *link += n;
                }
            }
            Inline::Emph { content } | Inline::Strong { content } => {
                inline_lens(content, in_link, total, link)
            }
            Inline::Link { content, .. } => inline_lens(content, true, total, link),
            _ => {}
        }
    }
}

fn block_link_density(b: &Block) -> (usize, f64) {
    let mut total = 0;
    let mut link = 0;
    match b {
        Block::Paragraph { content } | Block::Heading { content, .. } => {
            inline_lens(content, false, &mut total, &mut link)
        }
        Block::List { items, .. } => {
            for item in items {
                for b in item {
                    let (t, d) = block_link_density(b);
                    total += t;
                    link += (t as f64 * d).round() as usize;
                }
            }
        }
        _ => return (0, 0.0),
    }
    (total, if total == 0 { 0.0 } else { link as f64 / total as f64 })
}

/// Openings of short chrome lines (share/subscribe/read-also/ad/comment prompts) in the
/// languages of the development corpus and other common ones. Matched on the normalised
/// (lowercase, punctuation-free) text of blocks up to [`CHROME_LINE_MAX_CHARS`].
const CHROME_OPENINGS: &[&str] = &[
    "share",
    "share this",
    "teilen",
    "artikel teilen",
    "compartir",
    "comparte",
    "partager",
    "condividi",
    "udostępnij",
    "subscribe",
    "abonnieren",
    "suscríbete",
    "abonnez vous",
    "sign up",
    "newsletter",
    "read more",
    "read also",
    "also read",
    "see also",
    "related",
    "more on this",
    "weiterlesen",
    "lesen sie auch",
    "mehr zum thema",
    "siehe auch",
    "das könnte sie auch interessieren",
    "lea también",
    "lee también",
    "lea más",
    "vea también",
    "ver también",
    "te puede interesar",
    "lire aussi",
    "à lire aussi",
    "voir aussi",
    "leia também",
    "czytaj także",
    "czytaj też",
    "zobacz także",
    "advertisement",
    "anzeige",
    "werbung",
    "publicidad",
    "publicité",
    "reklama",
    "comments",
    "comment",
    "kommentare",
    "kommentar schreiben",
    "kommentare schreiben",
    "comentarios",
    "commentaires",
    "leave a reply",
    "leave a comment",
    "follow us",
    "folgen sie uns",
    "síguenos",
    "suivez nous",
    "all rights reserved",
    "alle rechte vorbehalten",
    "todos los derechos reservados",
    "tous droits réservés",
    "copyright",
    "click here",
    "hier klicken",
    "join our",
    "download the app",
    "war der artikel",
    "was this article",
    "möchten sie den artikel",
    "lade weitere",
    "load more",
    "mehr laden",
    "weitere artikel",
    "more stories",
    "more articles",
    "zum angebot",
    "jetzt abonnieren",
    "jetzt teilen",
    "drucken",
    "print",
    "drukuj",
    "imprimir",
    "foto",
    "fotos",
    "photo",
    "photos",
    "bild",
    "bilder",
    "quelle",
    "fuente",
    "credit",
    "credits",
    "crédit",
    "image",
    "images",
    "getty images",
    "tags",
    "schlagworte",
    "etiquetas",
    "kontakt",
    "contact",
    "impressum",
    "mira",
    "zum weiterlesen",
    "kategorie",
    "category",
    "categories",
    "für links auf dieser seite",
    "abbildung",
    "quellen",
    "permalink",
    "permalien",
];

/// A short block that is a chrome line (see [`CHROME_OPENINGS`]).
fn is_chrome_line(b: &Block) -> bool {
    if !matches!(b, Block::Paragraph { .. } | Block::Heading { .. }) {
        return false;
    }
    let t = block_text(b);
    if t.chars().count() > CHROME_LINE_MAX_CHARS {
        return false;
    }
    let key = norm_key(&t);
    CHROME_OPENINGS
        .iter()
        .any(|o| key.strip_prefix(o).is_some_and(|rest| rest.is_empty() || rest.starts_with(' ')))
}

/// Byline openings ("By Jane Doe", "Von Max Muster"); the authors are in the metadata.
const BYLINE_OPENINGS: &[&str] =
    &["by", "von", "por", "par", "di", "door", "av", "przez", "autor", "author", "text"];

/// Month names and date words that may appear in a date line.
const DATE_WORDS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
    "januar",
    "februar",
    "märz",
    "mai",
    "juni",
    "juli",
    "oktober",
    "dezember",
    "am",
    "um",
    "uhr",
    "updated",
    "published",
    "aktualisiert",
    "veröffentlicht",
    "de",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "janvier",
    "février",
    "mars",
    "avril",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "le",
    "on",
    "at",
    "pm",
    // Polish (genitive), Italian, Portuguese, Dutch months not spelled as above
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
    "gennaio",
    "febbraio",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "settembre",
    "ottobre",
    "dicembre",
    "janeiro",
    "fevereiro",
    "março",
    "maio",
    "junho",
    "julho",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
    "januari",
    "februari",
    "maart",
    "mei",
    "augustus",
    // labels
    "date",
    "datum",
    "data",
    "veröffentlichung",
    "publié",
    "publicado",
    "pubblicato",
    "opublikowano",
    "gepubliceerd",
    "posted",
    "stand",
];

/// Only digits and date words: "23.06.2016", "5. Februar 2020, 10:15 Uhr".
fn is_date_text(t: &str) -> bool {
    let key = norm_key(t);
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    !words.is_empty()
        && words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()) || DATE_WORDS.contains(w))
        && words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()))
}

/// A metadata line: a date and a few short fields beside it, on separate lines or between
/// bars ("24.01.2022 11:38 / Kategorie: News", "Freitag | 14. Juni 2019 | 15:49 von Jane Roe
/// in Fashion | 0 Comments").
fn is_meta_line(t: &str) -> bool {
    if t.chars().count() > META_LINE_MAX_CHARS {
        return false;
    }
    let parts: Vec<&str> =
        t.split(['\n', '|', '·', '•']).map(str::trim).filter(|p| !p.is_empty()).collect();
    parts.len() > 1
        && parts.iter().any(|p| is_date_text(p))
        && parts
            .iter()
            .all(|p| is_date_text(p) || p.split_whitespace().count() <= META_FIELD_MAX_WORDS)
}

/// A short line that is only a byline or a date (both live in the metadata).
fn is_byline_or_date(b: &Block) -> bool {
    let Block::Paragraph { .. } = b else { return false };
    let t = block_text(b);
    if is_meta_line(&t) {
        return true;
    }
    if t.chars().count() > BYLINE_MAX_CHARS {
        return false;
    }
    let key = norm_key(&t);
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return false;
    }
    if is_date_text(&t) {
        return true;
    }
    // "By Jane Doe": an opening word, then 1-4 capitalised words.
    let orig: Vec<&str> = t.split_whitespace().collect();
    match (words.first(), orig.get(1..)) {
        (Some(first), Some(rest))
            if BYLINE_OPENINGS.contains(first) && (1..=4).contains(&rest.len()) =>
        {
            rest.iter().all(|w| {
                w.chars().next().is_some_and(|c| c.is_uppercase())
                    || matches!(*w, "and" | "und" | "y" | "et" | "&")
            })
        }
        _ => false,
    }
}

/// Drop link-dense paragraphs/lists, chrome lines, short blocks repeated on the page, orphan
/// captions and notices (see [`super::notices`]); cut credits from figure captions.
pub fn filter_blocks(blocks: Vec<Block>) -> Vec<Block> {
    let kept = filter_chrome(blocks);
    let n = kept.len();
    let cleaned = kept
        .into_iter()
        .enumerate()
        .filter(|(i, b)| {
            let edge = *i < HEAD_NOTICE_BLOCKS || i + TAIL_NOTICE_BLOCKS >= n;
            !(notices::is_orphan_caption(b) || (edge && notices::is_notice(b)))
        })
        .map(|(_, mut b)| {
            notices::strip_caption_credit(&mut b);
            b
        })
        .collect();
    cut_related_tail(cleaned)
}

/// Cut the article at a heading near its end that opens a list of other articles ("Related
/// stories", "Lesen Sie auch"), when what follows it is a small part of the text.
fn cut_related_tail(mut blocks: Vec<Block>) -> Vec<Block> {
    let n = blocks.len();
    let from = n.saturating_sub(RELATED_TAIL_BLOCKS);
    let Some(i) = (from..n).find(|&i| blocks.get(i).is_some_and(notices::is_related_heading))
    else {
        return blocks;
    };
    let len = |b: &Block| block_text(b).chars().count();
    let total: usize = blocks.iter().map(len).sum();
    let tail: usize = blocks[i..].iter().map(len).sum();
    if i > 0 && (tail as f64) <= total as f64 * RELATED_TAIL_MAX_SHARE {
        blocks.truncate(i);
    }
    blocks
}

fn filter_chrome(blocks: Vec<Block>) -> Vec<Block> {
    // Each block's comparison key, and whether it is short enough to count as a repeat.
    let keys: Vec<(String, bool)> = blocks
        .iter()
        .map(|b| {
            let t = block_text(b);
            let short = t.chars().count() <= REPEATED_BLOCK_MAX_CHARS;
            (norm_key(&t), short)
        })
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (key, _) in keys.iter().filter(|(_, short)| *short) {
        *counts.entry(key.as_str()).or_default() += 1;
    }
    let mut seen: HashSet<&str> = HashSet::new();
    let n = blocks.len();
    blocks
        .into_iter()
        .zip(&keys)
        .enumerate()
        .filter(|(i, (b, (key, _)))| {
            let (total, ld) = block_link_density(b);
            let descriptive = i + DESCRIPTIVE_LIST_TAIL_BLOCKS < n && is_descriptive_list(b);
            if total > 0 && !descriptive {
                let max = if total < SHORT_BLOCK_CHARS {
                    SHORT_LINK_DENSITY_MAX
                } else {
                    LINK_DENSITY_MAX
                };
                if ld > max && !matches!(b, Block::Heading { .. }) {
                    return false;
                }
            }
            if is_chrome_line(b) || is_byline_or_date(b) {
                return false;
            }
            if !key.is_empty()
                && counts.get(key.as_str()).is_some_and(|c| *c >= REPEATED_BLOCK_MIN)
                && !seen.insert(key.as_str())
            {
                return false;
            }
            true
        })
        .map(|(_, (b, _))| b)
        .collect()
}

/// A list of at least two items averaging [`DESCRIPTIVE_LIST_MIN_WORDS`] words: content even
/// when its items are links (see the constant).
fn is_descriptive_list(b: &Block) -> bool {
    let Block::List { items, .. } = b else { return false };
    if items.len() < 2 {
        return false;
    }
    let words: usize = items
        .iter()
        .map(|it| it.iter().map(|b| block_text(b).split_whitespace().count()).sum::<usize>())
        .sum();
    words >= DESCRIPTIVE_LIST_MIN_WORDS * items.len()
}

/// Drop headings left without content: one directly followed by a heading of the same or a
/// higher rank, or one at the very end (their sections were chrome that got removed).
pub fn drop_empty_sections(mut blocks: Vec<Block>) -> Vec<Block> {
    loop {
        let mut drop = None;
        for (i, b) in blocks.iter().enumerate() {
            let Block::Heading { level, .. } = b else { continue };
            match blocks.get(i + 1) {
                None => drop = Some(i),
                Some(Block::Heading { level: next, .. }) if next <= level => drop = Some(i),
                _ => {}
            }
            if drop.is_some() {
                break;
            }
        }
        match drop {
            Some(i) => {
                blocks.remove(i);
            }
            None => return blocks,
        }
    }
}

/// Drop a tail of short lines after the last real paragraph: sign-offs of the site
/// ("More at ...", "Source: ...", "Subscribe ...") gather there; an article ends with text.
pub fn trim_tail(mut blocks: Vec<Block>) -> Vec<Block> {
    let is_short = |b: &Block| match b {
        Block::Paragraph { .. } | Block::Heading { .. } => {
            block_text(b).chars().count() < TAIL_LINE_MAX_CHARS
        }
        _ => false,
    };
    let total: usize = blocks.iter().map(|b| block_text(b).chars().count()).sum();
    let mut cut = blocks.len();
    while cut > 0 && blocks.get(cut - 1).is_some_and(is_short) {
        cut -= 1;
    }
    let tail: usize = blocks.iter().skip(cut).map(|b| block_text(b).chars().count()).sum();
    if cut > 0 && cut < blocks.len() && blocks.len() - cut <= TAIL_MAX_LINES && tail * 10 < total {
        blocks.truncate(cut);
    }
    blocks
}

/// Text of blocks for comparisons.
pub fn blocks_text(blocks: &[Block]) -> String {
    blocks.iter().map(block_text).collect::<Vec<_>>().join("\n")
}

/// Share of `reference`'s word 4-grams found in `text` (recall), and of `text`'s found in
/// `reference` (precision).
pub fn overlap(text: &str, reference: &str) -> (f64, f64) {
    let shingles = |s: &str| -> BTreeMap<String, usize> {
        let words: Vec<String> = norm_key(s).split(' ').map(str::to_string).collect();
        let mut m = BTreeMap::new();
        for w in words.windows(4) {
            *m.entry(w.join(" ")).or_default() += 1;
        }
        m
    };
    let a = shingles(text);
    let b = shingles(reference);
    let na: usize = a.values().sum();
    let nb: usize = b.values().sum();
    if na == 0 || nb == 0 {
        return (0.0, 0.0);
    }
    let tp: usize = a.iter().map(|(k, v)| (*v).min(b.get(k).copied().unwrap_or(0))).sum();
    (tp as f64 / nb as f64, tp as f64 / na as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_and_metadata_lines() {
        for t in [
            "24.01.2022 11:38\nKategorie: News",
            "Freitag | 14. Juni 2019 | 15:49 VON Sina Giebel IN Fashion | 0 COMMENTS",
            "2021-10-16 | Botschaft",
            "16 marca 2021",
            "Veröffentlichung: 2. Februar 2022",
        ] {
            let b = Block::Paragraph { content: vec![Inline::text(t)] };
            assert!(is_byline_or_date(&b), "{t:?}");
        }
        for t in [
            "The meeting on 12 March 2020 | a turning point for the town, as the mayor and the council later said in the report.",
            "Berlin is a city of 3.7 million people.",
            "In 2021 the club moved.\nIt has played there since.",
        ] {
            let b = Block::Paragraph { content: vec![Inline::text(t)] };
            assert!(!is_byline_or_date(&b), "{t:?}");
        }
    }

    #[test]
    fn lists_of_long_links_inside_the_article_are_content() {
        let link_item = |t: &str| {
            vec![Block::Paragraph {
                content: vec![Inline::Link {
                    url: "https://x.test/b".into(),
                    content: vec![Inline::text(t)],
                }],
            }]
        };
        let list = |items: &[&str]| Block::List {
            ordered: None,
            items: items.iter().map(|t| link_item(t)).collect(),
        };
        let bugs = list(&[
            "Bug 1677080 – Fullscreen PiP window is affected by switching video source",
            "Bug 1678390 – Prevent Picture-in-Picture windows from opening on top of one another",
        ]);
        let menu = list(&["Home", "World news", "Sport", "Contact us"]);
        let para = |n: usize| {
            Block::para(format!(
                "Paragraph {n} of the article says the work on the northern pier takes two years."
            ))
        };
        let doc =
            vec![para(1), bugs.clone(), menu.clone(), para(2), para(3), para(4), bugs.clone()];
        let kept = filter_chrome(doc);
        // The bug list in the text stays; the menu goes, and so does the list at the end.
        assert_eq!(kept, [para(1), bugs, para(2), para(3), para(4)]);
    }

    #[test]
    fn boilerplate_names() {
        assert!(is_boilerplate_name("share-buttons"));
        assert!(is_boilerplate_name("site-footer x"));
        assert!(is_boilerplate_name("ad-slot"));
        assert!(!is_boilerplate_name("article-body"));
        assert!(!is_boilerplate_name("header-image"));
        // Any case, any token, prefixes and suffixes; strong beats weak.
        assert_eq!(chrome_name("Post SHARE-Bar"), Chrome::Strong);
        assert_eq!(chrome_name("x NAV"), Chrome::Strong);
        assert_eq!(chrome_name("Ads-Top"), Chrome::Strong);
        assert_eq!(chrome_name("sidebar-AD"), Chrome::Strong);
        assert_eq!(chrome_name("promo comments"), Chrome::Strong);
        assert_eq!(chrome_name("Promo-Box"), Chrome::Weak);
        assert_eq!(chrome_name("headline ad2"), Chrome::No);
        assert_eq!(chrome_name(""), Chrome::No);
        // A chrome word only in a BEM modifier is weak; in the block name it stays strong.
        assert_eq!(chrome_name("TestReport__Section TestReport__Section--Ads"), Chrome::Weak);
        assert_eq!(chrome_name("Main Main--Skyscraper"), Chrome::No);
        assert_eq!(chrome_name("card--share"), Chrome::Weak);
        assert_eq!(chrome_name("share-bar--wide"), Chrome::Strong);
        assert_eq!(chrome_name("post sidebar--left"), Chrome::Strong);
    }

    #[test]
    fn scored_extractor_keeps_article() {
        let para =
            "This is a long sentence of the article, with commas, and enough words to count. ";
        let html = format!(
            "<html><body><nav><a href='/'>Home</a> <a href='/x'>News</a></nav>\
             <div class='cookie-banner'>We use cookies to improve your experience.</div>\
             <div id='content'><h1>T</h1><p>{p}</p><p>{p}{p}</p><div class='share'>Share on Facebook</div><p>{p}</p></div>\
             <div class='sidebar'><ul><li><a href='/a'>Other story one</a></li><li><a href='/b'>Other story two</a></li></ul></div>\
             <footer>Copyright</footer></body></html>",
            p = para
        );
        let doc = Html::parse_document(&html);
        let text = blocks_text(&scored(doc, None));
        assert!(text.contains("enough words"));
        assert!(!text.contains("cookies"));
        assert!(!text.contains("Facebook"));
        assert!(!text.contains("Other story"));
        assert!(!text.contains("Copyright"));
    }
}
