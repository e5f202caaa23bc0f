//! Plain-text dump reader: the text of a whole web page (as a copy-paste or a text browser
//! gives it) → [`Document`].
//!
//! A dump is blocks separated by blank lines; inside a block each line is a paragraph unless
//! the lines are hard-wrapped. The reader turns lines into [`Unit`]s and runs small steps
//! over them, each marking units as removed with a reason ([`Kind`]), then builds the model:
//!
//! 1. [`mark_preamble`]: ticker lines and chrome above the title; the title itself;
//! 2. [`mark_glossaries`]: repeated `Term - definition` sidebars (kept once, as footnotes);
//! 3. [`mark_duplicates`]: any other block repeated verbatim;
//! 4. [`mark_chrome`], [`article_region`], [`mark_trailing_junk`]: subscribe/share prompts, browser and cookie notices, footer lines, and
//!    trailing blocks in another script than the article;
//! 5. [`mark_pull_quotes`]: short lines that repeat or paraphrase nearby text (pull quotes,
//!    captions whose image is gone);
//! 6. [`build`]: speaker lines and the quotes they introduce (continuing across removed
//!    interruptions), headings, lists, paragraphs; glossary terms get footnotes.
//!
//! Everything not removed survives, in order, word for word.

mod lines;
mod meta;
mod similarity;

use crate::error::{Error, Result};
use crate::model::{Block, Document, Footnote, Inline};
use lines::*;
use regex::Regex;
use similarity::{sentences, sequence_ratio, stems, Idf};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Longest unit, in words, removed as a verbatim repeat.
const DUPLICATE_MAX_WORDS: usize = 40;
/// Longest line (in words) that can be a section heading.
const HEADING_MAX_WORDS: usize = 15;
/// Longest line (in words) that can be the title.
const TITLE_MAX_WORDS: usize = 30;
/// Shortest title, in words (a one- or two-word line above an article is usually a rubric or
/// a site name).
const TITLE_MIN_WORDS: usize = 3;
/// How far (in units) above the article region the title may stand (datelines, bylines,
/// share bars and captions often sit between them).
const TITLE_LOOKBACK: usize = 15;
/// A line ending a sentence with at least this many words reads as prose.
const PROSE_MIN_WORDS: usize = 5;

/// The longest TeX annotation removed beside a formula (characters); a longer brace group
/// is more likely text than a formula's source.
const TEX_ANNOTATION_MAX_CHARS: usize = 2000;

/// Player controls are removed when at least this many stand within
/// [`PLAYER_CONTROL_WINDOW`] units of each other (video.js prints about twenty).
const PLAYER_MIN_CONTROLS: usize = 4;
const PLAYER_CONTROL_WINDOW: usize = 6;
/// A run of this many short number or capitals lines is a chart's labels (a chart prints a
/// dozen or more; a list of three years or a score line is text).
const CHART_MIN_LABELS: usize = 8;
/// A chart label's longest text (`$1,234.5bn`, `RECESSIONS`).
const CHART_LABEL_MAX_CHARS: usize = 12;
/// A run of this many share-item lines is a share bar.
const SHARE_RUN_MIN_ITEMS: usize = 3;

/// A table of contents has at least this many entries (two headings need no table).
const TOC_MIN_ENTRIES: usize = 3;
/// A line with at least this many words reads as prose whatever its punctuation.
const PROSE_ANY_WORDS: usize = 20;
/// List items that read as prose count half: article lists are real, but link lists with
/// long titles are common page chrome.
const LIST_PROSE_WEIGHT: f64 = 0.5;
/// Weight of a prose unit whose neighbours are both page furniture (a teaser in a feed).
const ISOLATED_PROSE_WEIGHT: f64 = 0.7;
/// A comment-section marker ends the article when at least this share of the region's
/// prose comes before it, or at least [`COMMENTS_AFTER_WORDS`] words of it: teaser feeds
/// after the comments ("Recommended for you") can outweigh the article. Measured on the
/// three dump sets: no recall lost down to 0 words, precision +0.9 points on the readability/
/// dumps; 150 words (a paragraph or two) keeps "12 comments" under a headline harmless.
const COMMENTS_AFTER_SHARE: f64 = 0.5;
/// See [`COMMENTS_AFTER_SHARE`].
const COMMENTS_AFTER_WORDS: f64 = 150.0;
/// A live feed ("14:44 Headline", "• 13:18 …": at least [`FEED_MIN_STAMPS`] time-stamped
/// headlines, newest first, among [`FEED_WINDOW`] units) ends the article when at least this many words of
/// the region's prose come before it and at least [`FEED_AFTER_SHARE`] of it: a live blog
/// opens with its feed, an article has one beside or under it.
const FEED_AFTER_WORDS: f64 = 200.0;
/// See [`FEED_AFTER_WORDS`].
const FEED_AFTER_SHARE: f64 = 0.2;
/// See [`FEED_AFTER_WORDS`].
const FEED_MIN_STAMPS: usize = 3;
/// See [`FEED_AFTER_WORDS`].
const FEED_WINDOW: usize = 10;
/// A slideshow of other stories in an article is often several times its length (fifty
/// captions): a smaller share of the prose outside it than a live feed needs before it.
const GALLERY_AFTER_SHARE: f64 = 0.1;
/// Short lines just above a slideshow that go with it (its title, a `50 show all` link).
const GALLERY_LABEL_LINES: usize = 2;
/// A slideshow (`k/N` items) has at least this many pictures.
const GALLERY_MIN_ITEMS: u32 = 5;
/// A slideshow item's headline is short; a numbered thread of posts (`1/5 Today I…`) is not.
const GALLERY_ITEM_MAX_WORDS: usize = 12;
/// A share bar ends the article when at least this share of the region's prose comes
/// before it (sites put one under the headline too, and some in the middle).
const SHARE_BAR_AFTER_SHARE: f64 = 0.8;

/// A "related articles" heading or another end-of-article line ends the region when at most
/// this share of the region's prose follows it. Higher than the HTML reader's 0.35: in a
/// dump the teasers under an article come with their standfirsts, which read as prose
/// (measured on both dump sets: 0.5 is best; 0.65 loses recall).
const RELATED_AFTER_MAX_SHARE: f64 = 0.5;
/// How many units on each side of the title are searched for a dateline and a byline.
const META_WINDOW: usize = 4;
/// Most short lines a "related stories" box inside the article may have (see
/// `mark_related_boxes`); a longer run after such a heading is left alone.
const RELATED_BOX_MAX_UNITS: usize = 12;
/// Base cost of a short list item (a menu entry, a related link).
const MENU_ITEM_COST: f64 = 2.0;
/// Base cost of a short line that is not a list item (a heading, a label, a byline).
const SHORT_LINE_COST: f64 = 1.0;
/// Widest line (in terminal columns) of a hard-wrapped block (text browsers use 72–120).
const MAX_WRAP_WIDTH: usize = 150;
/// Narrowest wrap width considered: blocks of short lines are lists or verse, not wrapping.
const MIN_WRAP_WIDTH: usize = 60;
/// Columns a wrapper may leave unused at the end of a line (the block's longest line
/// underestimates the real width).
const WRAP_SLACK: usize = 2;
/// Numbered link-target lines that mark a dump as carrying lynx-style link references.
const MIN_REFERENCE_LINES: usize = 3;
/// How far (in units) above the article region a one- or two-word title may stand.
const SHORT_TITLE_LOOKBACK: usize = 2;
/// How far (in units) the title may be from the top of the dump.
const TITLE_SEARCH_UNITS: usize = 25;
/// Longest speaker line (`Name, role:`), in words.
const SPEAKER_MAX_WORDS: usize = 25;
/// Longest bare-name speaker line (`Jane Doe` above a quotation), in words.
const BARE_SPEAKER_MAX_WORDS: usize = 5;
/// Longest line, in words, that can be a pull quote or caption.
const PULL_QUOTE_MAX_WORDS: usize = 35;
/// Shortest pull quote, in words: shorter lines are too ambiguous to judge by overlap.
const PULL_QUOTE_MIN_WORDS: usize = 5;
/// A line whose word sequence matches a nearby sentence at least this well is a repeat.
const REPEAT_RATIO: f64 = 0.8;
/// A line next to a removed interruption whose informative words are this well covered by
/// the preceding text is a detached caption or paraphrased pull quote.
const PARAPHRASE_COVERAGE: f64 = 0.65;
/// Shortest paraphrase candidate, in words (headings are usually shorter).
const PARAPHRASE_MIN_WORDS: usize = 8;
/// How many body units on each side count as "nearby" for repeats.
const REPEAT_WINDOW: usize = 8;
/// How many body units before a candidate count as the text a caption describes.
const PARAPHRASE_WINDOW: usize = 3;
/// A quote that has not closed after this many paragraphs is ended at the next heading-like
/// line or speaker.
const QUOTE_MAX_UNITS: usize = 60;

/// Why a unit was removed from the body (or what it is, for kept ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Article text.
    Body,
    /// The article title.
    Title,
    /// Above the title: tickers, counters, menus.
    Preamble,
    /// A glossary sidebar entry (index into the glossary).
    Glossary(usize),
    /// A repeated block.
    Duplicate,
    /// Page chrome: prompts, notices, footers.
    Junk,
    /// A pull quote or detached caption.
    PullQuote,
}

/// One line of the dump (or one unwrapped paragraph).
#[derive(Debug, Clone)]
struct Unit {
    text: String,
    /// Index of the blank-line-separated block the unit came from.
    block: usize,
    /// Number of units in that block.
    block_len: usize,
    kind: Kind,
    /// What the text's shape says about being article text (see [`shape_score`]).
    shape_score: f64,
}

impl Unit {
    fn kept(&self) -> bool {
        self.kind == Kind::Body
    }
}

/// Read a plain-text dump.
pub fn read(bytes: &[u8]) -> Result<Document> {
    let text = decode(bytes)?;
    read_str(&text)
}

/// Decode bytes: UTF-8 (with or without BOM), else the encoding chardetng guesses.
fn decode(bytes: &[u8]) -> Result<String> {
    let (enc, bom_len) = encoding_rs::Encoding::for_bom(bytes).unwrap_or((encoding_rs::UTF_8, 0));
    let body = &bytes[bom_len..];
    let text = if bom_len > 0 {
        enc.decode_without_bom_handling(body).0.into_owned()
    } else if let Ok(s) = std::str::from_utf8(body) {
        s.to_string()
    } else {
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        det.feed(body, true);
        det.guess(None, chardetng::Utf8Detection::Allow)
            .decode_without_bom_handling(body)
            .0
            .into_owned()
    };
    // Binary input: NULs or many control characters are not a text dump.
    if text.contains('\0') {
        return Err(Error::Read(super::Unreadable::Binary.reason("a text dump")));
    }
    if let Some(why) = super::unreadable(&text) {
        return Err(Error::Read(why.reason("a text dump")));
    }
    Ok(text)
}

/// Read a text dump that is already a string.
pub fn read_str(text: &str) -> Result<Document> {
    let mut units = split_units(text);
    if units.is_empty() {
        return Err(Error::Read("the input is empty".into()));
    }
    let glossary = mark_glossaries(&mut units);
    mark_duplicates(&mut units);
    mark_alt_and_caption(&mut units);
    mark_chrome(&mut units);
    let region = article_region(&units)
        .map(|r| end_at_comments(&units, r))
        .map(|r| end_at_related(&units, end_at_feed(&units, r)));
    if let Some(region) = region {
        mark_galleries(&mut units, region);
        mark_related_boxes(&mut units, region);
        mark_share_runs(&mut units[region.0..=region.1]);
    }
    let title = match region {
        Some(region) => mark_outside(&mut units, region),
        None => mark_preamble(&mut units),
    };
    // Without any prose, short lines are the content (a list, verse), not a footer's stubs.
    mark_trailing_junk(&mut units, region.is_some());
    mark_pull_quotes(&mut units);
    let mut doc = Document::default();
    harvest_meta(&mut units, &mut doc);
    doc.meta.title = title;
    doc.blocks = build(&units);
    attach_glossary(&mut doc, &glossary);
    if doc.blocks.is_empty() {
        return Err(Error::NoArticle);
    }
    Ok(doc)
}

/// Split the dump into blocks at blank lines, and blocks into units (lines, or unwrapped
/// paragraphs when the block is hard-wrapped).
fn split_units(text: &str) -> Vec<Unit> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = strip_browser_markers(&text);
    let mut units = Vec::new();
    let mut block_lines: Vec<String> = Vec::new();
    let mut block = 0;
    let flush = |lines: &mut Vec<String>, units: &mut Vec<Unit>, block: &mut usize| {
        if lines.is_empty() {
            return;
        }
        let paras = unwrap_lines(lines);
        let n = paras.len();
        for p in paras {
            let text = collapse_ws(&p);
            units.push(Unit {
                shape_score: shape_score(&text),
                text,
                block: *block,
                block_len: n,
                kind: Kind::Body,
            });
        }
        *block += 1;
        lines.clear();
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut block_lines, &mut units, &mut block);
        } else {
            block_lines.push(line.trim().to_string());
        }
    }
    flush(&mut block_lines, &mut units, &mut block);
    units
}

/// Remove what text browsers add to a page's text: inline image and form markers (w3m's
/// `[IMG]`, `[INS::INS]`, `[ ]`; lynx's `[photo.jpg]` or `[pixel?id=1&amp;ev=View]` for an
/// image without alt text, `IFRAME: url` lines, `(BUTTON)` and `____` input fields) and, when
/// the dump ends with a numbered list of link targets (lynx's `References`), the `[12]` link
/// numbers in the text and that list itself.
fn strip_browser_markers(text: &str) -> String {
    static MARKERS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\[(?:IMG|INS:[^\]]*|image|BUTTON|\s*)\]|\(BUTTON\)|_{8,}")
            .expect("static regex")
    });
    // lynx names an image without alt text by its file name, query and all; a long one is
    // wrapped (a line break inside the brackets). Bracketed words stay: they have no URL
    // punctuation or image extension.
    static IMAGE_NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\[[^\]\[\s]*(?:[?=&%]|\.(?:jpe?g|png|gif|webp|svg|avif|bmp|ico)\b)[^\]\[\s]*(?:\n[ \t]*[^\]\[\s]+)*\]",
        )
        .expect("static regex")
    });
    static IFRAME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?m)^[ \t]*IFRAME: \S+[ \t]*$").expect("static regex"));
    static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s*\d+\.\s+(?:https?|ftp|file|mailto|javascript):\S*\s*$")
            .expect("static regex")
    });
    static LINK_NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\[\d{1,4}\]").expect("static regex"));
    let mut text = MARKERS.replace_all(text, "").into_owned();
    if text.contains('[') {
        text = IMAGE_NAME.replace_all(&text, "").into_owned();
        text = strip_marker_lines(&text);
    }
    if text.contains("IFRAME: ") {
        text = IFRAME.replace_all(&text, "").into_owned();
    }
    // lynx's list is the dump's end: cut it whole (its URLs may hold spaces, and its
    // "Visible links:" / "Hidden links:" labels are no URLs).
    let list_at = reference_list_start(&text);
    if let Some(at) = list_at {
        text.truncate(at);
    }
    if list_at.is_some() || REFERENCE.find_iter(&text).count() >= MIN_REFERENCE_LINES {
        text = REFERENCE.replace_all(&text, "").into_owned();
        text = LINK_NUMBER.replace_all(&text, "").into_owned();
    }
    if text.contains("[MATH:") {
        text = strip_lynx_math(&text);
    }
    if text.contains("style") {
        text = strip_tex_annotations(&text);
    }
    text
}

/// Remove lines made only of bracketed single tokens: w3m's name for an image without alt
/// text (its file name's stem, cut to a few characters: `[arrow-forw]`, `[50x50_expe]`,
/// `[svg]`) and for a form button (`[Submit]`, `[Suchen]`). Such a line is never text: a
/// token with a space (`[citation needed]`), a number (`[1]`, a note) or punctuation only
/// (`[...]`, an omission) keeps its line.
fn strip_marker_lines(text: &str) -> String {
    static MARKER_LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^[ \t]*(?:\[[^\]\[\s]{1,40}\][ \t]*)+$").expect("static regex")
    });
    let is_marker = |token: &str| token.chars().any(char::is_alphabetic);
    MARKER_LINE
        .replace_all(text, |c: &regex::Captures| {
            let line = &c[0];
            let all_markers = line
                .split_whitespace()
                .all(|t| is_marker(t.trim_start_matches('[').trim_end_matches(']')));
            if all_markers {
                String::new()
            } else {
                line.to_string()
            }
        })
        .into_owned()
}

/// Where lynx's list of link targets starts: the last line `References`, followed (blank
/// lines and a `Visible links:` label aside) by a numbered URL (`1. https://…`).
fn reference_list_start(text: &str) -> Option<usize> {
    static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*\d+\.\s+[a-zA-Z][a-zA-Z0-9+.-]*:\S").expect("static regex")
    });
    let at = text.rfind("\nReferences\n")? + 1;
    let first = text[at + "References\n".len()..]
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !matches!(*l, "Visible links:" | "Hidden links:"))?;
    ENTRY.is_match(first).then_some(at)
}

/// Replace the MathML source that lynx prints for a formula, between `[MATH:` and `:MATH]`
/// (line breaks included), by the formula's text as a browser's copy gives it (`a ≠ 0`,
/// `x = − b ± b 2 − 4 a c 2 a`): the tokens' text, without the tags and without an
/// `<annotation>` (the TeX source MediaWiki adds). An unclosed marker stays.
fn strip_lynx_math(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[MATH:") {
        let Some(len) = rest[start..].find(":MATH]") else { break };
        out.push_str(&rest[..start]);
        out.push_str(&mathml_text(&rest[start + "[MATH:".len()..start + len]));
        rest = &rest[start + len + ":MATH]".len()..];
    }
    out.push_str(rest);
    out
}

/// The text of MathML source: what lies between its tags, annotations left out, each run
/// of whitespace one space.
fn mathml_text(src: &str) -> String {
    let mut words: Vec<&str> = Vec::new();
    let mut rest = src;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(i) => {
                words.extend(rest[..i].split_whitespace());
                let tag = &rest[i..];
                let skip = if tag.starts_with("<annotation") {
                    tag.find("</annotation").and_then(|e| tag[e..].find('>').map(|g| e + g + 1))
                } else {
                    tag.find('>').map(|g| g + 1)
                };
                // An unclosed tag: the rest is markup.
                let Some(skip) = skip else { break };
                rest = &tag[skip..];
            }
            None => {
                words.extend(rest.split_whitespace());
                break;
            }
        }
    }
    words.join(" ")
}

/// Remove the TeX source that MediaWiki (Wikipedia) and MathJax pages carry beside each
/// formula (`{\displaystyle A^{\mathsf {H}}}`, often twice) and that text browsers print
/// after the formula's own text. A brace group opening with a TeX style command is
/// removed whole, nested braces and line breaks included; an unbalanced one stays.
fn strip_tex_annotations(text: &str) -> String {
    static OPEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\{\s*\\\s*(?:display|text|script)\s*style\b").expect("static regex")
    });
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(m) = OPEN.find(rest) {
        out.push_str(&rest[..m.start()]);
        let group = &rest[m.start()..];
        let mut depth = 0usize;
        let close = group.char_indices().take(TEX_ANNOTATION_MAX_CHARS).find_map(|(i, c)| {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
            None
        });
        match close {
            Some(end) => rest = &group[end..],
            None => {
                out.push_str(&group[..m.len()]);
                rest = &group[m.len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Undo hard wrapping inside a block. Text browsers and `fmt` wrap paragraphs at a fixed
/// width without blank lines between paragraphs, so a line continues onto the next exactly
/// when the next line's first word would not have fitted after it. The block's longest line
/// stands in for the width; blocks wider than [`MAX_WRAP_WIDTH`] are not wrapped (each line
/// is a paragraph, as in copy-pasted dumps), nor are lines that start a list item.
///
/// Widths are display columns (w3m counts a CJK character as two), or characters when only
/// those fall in range: lynx wraps Chinese and Japanese at its width in characters, so its
/// lines are up to twice as wide on screen.
fn unwrap_lines(lines: &[String]) -> Vec<String> {
    let in_range = |w: usize| (MIN_WRAP_WIDTH..=MAX_WRAP_WIDTH).contains(&w);
    if lines.len() < 2 {
        return lines.to_vec();
    }
    let columns = lines.iter().map(|l| l.width()).max().unwrap_or(0);
    // Counted only when the columns are out of range (nearly every block is within it).
    let chars = || lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let (width, by_chars) = if in_range(columns) {
        (columns, false)
    } else {
        match chars() {
            n if in_range(n) => (n, true),
            _ => return lines.to_vec(),
        }
    };
    let measure = |l: &str| if by_chars { l.chars().count() } else { l.width() };
    let mut out: Vec<String> = Vec::new();
    let mut last_len = usize::MAX;
    let mut last_ended_sentence = false;
    for line in lines {
        let starts_item = strip_bullet(line).is_some() || strip_number(line).is_some();
        let starts_lower = line.chars().next().is_some_and(char::is_lowercase);
        // A line that ends a sentence ends its paragraph unless the next one obviously goes
        // on: splitting a wrapped paragraph loses nothing, joining two paragraphs does.
        let first = if by_chars { first_word_chars(line) } else { first_word_width(line) };
        let continues = !out.is_empty()
            && !starts_item
            && last_len + 1 + first > width.saturating_sub(WRAP_SLACK)
            && (!last_ended_sentence || starts_lower);
        last_len = measure(line);
        last_ended_sentence = ends_sentence(line);
        match out.last_mut() {
            Some(prev) if continues => {
                // Scripts written without spaces (Chinese, Japanese) join without one.
                let tight = prev.chars().last().is_some_and(is_wide)
                    && line.chars().next().is_some_and(is_wide);
                if !tight {
                    prev.push(' ');
                }
                prev.push_str(line);
            }
            _ => out.push(line.clone()),
        }
    }
    out
}

/// A double-width character (CJK ideographs, kana, hangul, fullwidth punctuation).
fn is_wide(c: char) -> bool {
    c.width() == Some(2)
}

/// Display width of the first thing a wrapper could not split: a word, or one character of
/// a script that breaks between any two characters.
fn first_word_width(line: &str) -> usize {
    match line.chars().next() {
        Some(c) if is_wide(c) => 2,
        _ => line.split_whitespace().next().map_or(0, |w| w.width()),
    }
}

/// [`first_word_width`] in characters.
fn first_word_chars(line: &str) -> usize {
    match line.chars().next() {
        Some(c) if is_wide(c) => 1,
        _ => line.split_whitespace().next().map_or(0, |w| w.chars().count()),
    }
}

/// Mark tickers, counters and chrome above the title, and the title, searching from the top.
/// Used when no article region stands out (a dump without prose). Returns the title.
fn mark_preamble(units: &mut [Unit]) -> Option<String> {
    let limit = units.len().min(TITLE_SEARCH_UNITS);
    let title_at = (0..limit).find(|&i| units[i].kept() && is_title_candidate(units, i))?;
    for u in &mut units[..title_at] {
        if u.kept() {
            u.kind = Kind::Preamble;
        }
    }
    units[title_at].kind = Kind::Title;
    Some(units[title_at].text.clone())
}

/// How much a unit says about being article text: prose counts its words, list items and
/// short lines (menus, labels, link lists) cost a little each. Removed units count nothing.
fn article_score(u: &Unit) -> f64 {
    if u.kept() {
        u.shape_score
    } else {
        0.0
    }
}

/// [`article_score`] of a kept unit with this text: what its shape alone says. Computed once
/// per unit, when it is made (a unit's text does not change; the passes ask for its score
/// many times).
fn shape_score(text: &str) -> f64 {
    let n = word_count(text);
    let listy = strip_bullet(text).is_some() || strip_number(text).is_some();
    let prose = ((ends_sentence(text) && n >= PROSE_MIN_WORDS) || n >= PROSE_ANY_WORDS)
        && !is_item_run(text)
        && !is_headline_case(text)
        && !ends_with_more_link(text);
    match (prose, listy) {
        (true, false) => n as f64,
        (true, true) => n as f64 * LIST_PROSE_WEIGHT,
        (false, true) => -(MENU_ITEM_COST + n.min(6) as f64 * 0.5),
        (false, false) => -(SHORT_LINE_COST + n.min(6) as f64 * 0.25),
    }
}

/// Page furniture around teasers: list items and lines of at most four words.
fn is_chromey(u: &Unit) -> bool {
    strip_bullet(&u.text).is_some() || strip_number(&u.text).is_some() || !words_over(&u.text, 4)
}

/// The article region: the run of units with the highest total [`article_score`] (maximum
/// subarray) — prose outweighs the headings and short lines inside an article, while menus,
/// link lists and footers around it cost more than they bring. `None` when nothing scores.
fn article_region(units: &[Unit]) -> Option<(usize, usize)> {
    let scores = unit_scores(units);
    let mut best = (0.0, 0, 0);
    let mut sum = 0.0;
    let mut start = 0;
    for (i, score) in scores.iter().enumerate() {
        if sum <= 0.0 {
            sum = 0.0;
            start = i;
        }
        sum += score;
        if sum > best.0 {
            best = (sum, start, i);
        }
    }
    (best.0 > 0.0).then_some((best.1, best.2))
}

/// Each unit's [`article_score`], a teaser standing alone between furniture weighted down.
fn unit_scores(units: &[Unit]) -> Vec<f64> {
    let kept: Vec<usize> = (0..units.len()).filter(|&i| units[i].kept()).collect();
    let mut scores = vec![0.0; units.len()];
    for (k, &i) in kept.iter().enumerate() {
        let mut score = article_score(&units[i]);
        // A teaser paragraph in a feed stands alone between bylines, comment counters and
        // headline links; article paragraphs have prose or headings for neighbours.
        let chromey = |j: Option<&usize>| j.is_none_or(|&j| is_chromey(&units[j]));
        if score > 0.0
            && chromey(k.checked_sub(1).and_then(|p| kept.get(p)))
            && chromey(kept.get(k + 1))
        {
            score *= ISOLATED_PROSE_WEIGHT;
        }
        scores[i] = score;
    }
    scores
}

/// End the region before a comment section that starts after most of its prose, or before
/// a share bar that comes after nearly all of it.
fn end_at_comments(units: &[Unit], (start, end): (usize, usize)) -> (usize, usize) {
    let prose: f64 = units[start..=end].iter().map(|u| article_score(u).max(0.0)).sum();
    let mut seen = 0.0;
    for (i, u) in units.iter().enumerate().take(end + 1).skip(start) {
        seen += article_score(u).max(0.0);
        let comments = u.kept()
            && is_comments_marker(&u.text)
            && (seen >= prose * COMMENTS_AFTER_SHARE || seen >= COMMENTS_AFTER_WORDS);
        let bar = || starts_share_bar(units, i);
        if comments || (seen >= prose * SHARE_BAR_AFTER_SHARE && bar()) {
            return (start, i.saturating_sub(1).max(start));
        }
    }
    (start, end)
}

/// End the region before a live feed of time-stamped items (see [`FEED_AFTER_WORDS`]).
fn end_at_feed(units: &[Unit], (start, end): (usize, usize)) -> (usize, usize) {
    let stamps: Vec<Option<u32>> =
        units.iter().map(|u| if u.kept() { feed_item_minute(&u.text) } else { None }).collect();
    let prose: f64 = units[start..=end].iter().map(|u| article_score(u).max(0.0)).sum();
    let mut seen = 0.0;
    for i in start..=end {
        // Only where the first feed starts: a live blog's later stamps are its own entries.
        // Newest first, as live feeds run; a programme ("10.30 Opening talk") or a price
        // list ("3.50 Draught beer") runs forwards or in no order.
        let feed_starts = stamps[i].is_some() && {
            let window: Vec<u32> =
                stamps[i..].iter().take(FEED_WINDOW).flatten().copied().collect();
            window.len() >= FEED_MIN_STAMPS
                && window.windows(2).all(|w| w[0] >= w[1])
                && window.first() > window.last()
        };
        if feed_starts {
            if seen >= FEED_AFTER_WORDS && seen >= prose * FEED_AFTER_SHARE {
                return (start, i.saturating_sub(1).max(start));
            }
            break;
        }
        seen += article_score(&units[i]).max(0.0);
    }
    (start, end)
}

/// Remove a slideshow of other stories inside or after the article: at least
/// [`FEED_MIN_STAMPS`] short items numbered `k/N` in sequence (`• 6/50 City for sale`,
/// `7/50 …`) with their captions between them, and the short label lines just above it
/// (`Business news in pictures`). After the last item, as many units go as stood between
/// the last two. It stays when it is the article: when the prose outside it is under
/// [`FEED_AFTER_WORDS`] words or [`GALLERY_AFTER_SHARE`] of the region's. A thread of posts
/// (`1/5 Today I…`) has long items and is no slideshow.
fn mark_galleries(units: &mut [Unit], (start, end): (usize, usize)) {
    let items: Vec<(usize, (u32, u32))> = (start..=end)
        .filter(|&i| units[i].kept())
        .filter_map(|i| gallery_index(&units[i].text).map(|x| (i, x)))
        .collect();
    if items.len() < FEED_MIN_STAMPS {
        return;
    }
    // Runs of items in sequence (same N, k rising by one, close together).
    let mut runs: Vec<&[(usize, (u32, u32))]> = Vec::new();
    let mut from = 0;
    for k in 1..=items.len() {
        let (i0, (k0, n0)) = items[k - 1];
        let continues = items
            .get(k)
            .is_some_and(|&(i1, (k1, n1))| n1 == n0 && k1 == k0 + 1 && i1 - i0 <= FEED_WINDOW);
        if !continues {
            if k - from >= FEED_MIN_STAMPS {
                runs.push(&items[from..k]);
            }
            from = k;
        }
    }
    let prose: f64 = units[start..=end].iter().map(|u| article_score(u).max(0.0)).sum();
    let spans: Vec<(usize, usize)> = runs
        .iter()
        .filter_map(|run| {
            let first = run.first()?.0;
            let (last, before_last) = (run.last()?.0, run.get(run.len() - 2)?.0);
            let mut to = (last + (last - before_last) - 1).min(end);
            // A credit line (`Getty`, `AFP`) trailing the last caption goes with it.
            while to < end
                && !words_over(&units[to + 1].text, 3)
                && !ends_sentence(&units[to + 1].text)
            {
                to += 1;
            }
            let inside: f64 = units[first..=to].iter().map(|u| article_score(u).max(0.0)).sum();
            let outside = prose - inside;
            (outside >= FEED_AFTER_WORDS && outside >= prose * GALLERY_AFTER_SHARE)
                .then_some((first, to))
        })
        .collect();
    for (first, to) in spans {
        for u in units[first..=to].iter_mut().filter(|u| u.kept()) {
            u.kind = Kind::Junk;
        }
        let labels = (start..first)
            .rev()
            .filter(|&i| units[i].kept())
            .take(GALLERY_LABEL_LINES)
            .take_while(|&i| !words_over(&units[i].text, 6) && !ends_sentence(&units[i].text))
            .collect::<Vec<_>>();
        for i in labels {
            units[i].kind = Kind::Junk;
        }
    }
}

/// A slideshow item's `k/N` number, when the line is one: the number (N of at least
/// [`GALLERY_MIN_ITEMS`]), then a headline of at most [`GALLERY_ITEM_MAX_WORDS`] words.
fn gallery_index(s: &str) -> Option<(u32, u32)> {
    static INDEX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[•*·▪-]\s*)?(\d{1,3})\s*/\s*(\d{1,3})(?:\s|$)").expect("static regex")
    });
    let s = s.trim_start();
    if !s.contains('/') {
        return None;
    }
    let caps = INDEX.captures(s)?;
    let k: u32 = caps.get(1)?.as_str().parse().ok()?;
    let n: u32 = caps.get(2)?.as_str().parse().ok()?;
    let words = word_count(&s[caps.get(0)?.end()..]);
    (k >= 1 && k <= n && n >= GALLERY_MIN_ITEMS && words <= GALLERY_ITEM_MAX_WORDS)
        .then_some((k, n))
}

/// The time of day (minutes after midnight) a live feed's item starts with, when the line
/// is one: a time, then its headline on the same line ("14:44 Accusations de viols…", "•
/// 13:18 Loi renseignement…", "9.05 pm Storm warning lifted"). A bare time on its own line
/// is not: live reports that are the article put their stamps so, and so do carousels of
/// teasers ("07:15 p. m.").
fn feed_item_minute(s: &str) -> Option<u32> {
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^[•*·-]?\s*([01]?\d|2[0-3])[:h.]([0-5]\d)(?:\s*([ap])\.?\s?m\b\.?)?(?:\s|$)",
        )
        .expect("static regex")
    });
    let s = s.trim_start();
    let caps = TIME.captures(s)?;
    let end = caps.get(0)?.end();
    if word_count(&s[end..]) < 2 {
        return None;
    }
    let mut hour: u32 = caps.get(1)?.as_str().parse().ok()?;
    let minute: u32 = caps.get(2)?.as_str().parse().ok()?;
    match caps.get(3).map(|m| m.as_str().to_ascii_lowercase()) {
        Some(p) if p == "p" && hour < 12 => hour += 12,
        Some(p) if p == "a" && hour == 12 => hour = 0,
        _ => {}
    }
    Some(hour * 60 + minute)
}

/// Whether unit `i` starts a share bar: its block's lines (each item on a line of its own,
/// as text browsers lay them out, or all on one) read as one [`is_share_bar`].
fn starts_share_bar(units: &[Unit], i: usize) -> bool {
    let block = units[i].block;
    if i > 0 && units[i - 1].block == block {
        return false;
    }
    let items: Vec<&str> =
        units[i..].iter().take_while(|u| u.block == block).map(|u| u.text.as_str()).collect();
    is_share_bar(&items.join(" • "))
}

/// End the region before a "related articles" heading (the HTML reader's lexicon:
/// "Related stories", "Lesen Sie auch", "Sur le même sujet", "热门推荐"...) or another line
/// that closes an article ("Was this article helpful?", "About the author", `责任编辑：`)
/// when what follows it holds at most half the region's prose: teasers, not the rest of
/// the article.
fn end_at_related(units: &[Unit], (start, end): (usize, usize)) -> (usize, usize) {
    let prose: f64 = units[start..=end].iter().map(|u| article_score(u).max(0.0)).sum();
    let mut seen = 0.0;
    for (i, u) in units.iter().enumerate().take(end + 1).skip(start) {
        if i > start
            && u.kept()
            && crate::read::html::notices::is_article_end_text(&u.text)
            && prose - seen <= prose * RELATED_AFTER_MAX_SHARE
        {
            return (start, i - 1);
        }
        seen += article_score(u).max(0.0);
    }
    (start, end)
}

/// Remove a box of links to other stories inside the article: a "related" heading
/// (`Sur le même sujet`, `Lesen Sie auch`, `Related stories`) and the short lines after it
/// (headlines, labels, bylines), up to the next line of prose, at most
/// [`RELATED_BOX_MAX_UNITS`] of them. A heading with prose right after it stays.
fn mark_related_boxes(units: &mut [Unit], (start, end): (usize, usize)) {
    let mut i = start + 1;
    while i <= end {
        if !(units[i].kept() && crate::read::html::notices::is_related_text(&units[i].text)) {
            i += 1;
            continue;
        }
        let items: Vec<usize> = (i + 1..=end)
            .filter(|&j| units[j].kept())
            .take_while(|&j| article_score(&units[j]) <= 0.0)
            .take(RELATED_BOX_MAX_UNITS + 1)
            .collect();
        let next = items.last().map_or(i + 1, |&j| j + 1);
        if items.is_empty() || items.len() > RELATED_BOX_MAX_UNITS {
            i = next;
            continue;
        }
        units[i].kind = Kind::Junk;
        for &j in &items {
            units[j].kind = Kind::Junk;
        }
        i = next;
    }
}

/// Mark what lies outside the article region, and find the title: the nearest title-shaped
/// line above the region (within [`TITLE_LOOKBACK`] units), else one at the region's start.
/// Everything above the title is preamble; everything after the region is trailing chrome.
fn mark_outside(units: &mut [Unit], (start, end): (usize, usize)) -> Option<String> {
    let lookback = start.saturating_sub(TITLE_LOOKBACK);
    let title_at = (lookback..start)
        .rev()
        .find(|&i| units[i].kept() && is_title_candidate(units, i))
        .or_else(|| {
            (start..=end.min(start + 2)).find(|&i| units[i].kept() && is_title_candidate(units, i))
        })
        .or_else(|| short_title_before(units, start));
    let body_from = title_at.map_or(start, |t| t + 1).min(start);
    for u in &mut units[..body_from] {
        if u.kept() {
            u.kind = Kind::Preamble;
        }
    }
    // Lines between the title and the region (datelines, bylines, captions) are kept only
    // when they read as prose.
    if let Some(t) = title_at.filter(|&t| t < start) {
        for u in &mut units[t + 1..start] {
            if u.kept() && article_score(u) <= 0.0 {
                u.kind = Kind::Preamble;
            }
        }
    }
    for u in &mut units[end + 1..] {
        if u.kept() {
            u.kind = Kind::Junk;
        }
    }
    let t = title_at?;
    units[t].kind = Kind::Title;
    Some(units[t].text.clone())
}

/// A short title (one or two words, `Glaciers`, `Title line`) standing right above the
/// article region, when no longer one was found: better a short title than a lost line.
fn short_title_before(units: &[Unit], start: usize) -> Option<usize> {
    let i = (start.saturating_sub(SHORT_TITLE_LOOKBACK)..start).rev().find(|&i| units[i].kept())?;
    let u = &units[i];
    let first_of_block = i == 0 || units[i - 1].block != u.block;
    (first_of_block
        && is_heading_shaped(&u.text, TITLE_MAX_WORDS)
        && !is_ticker_line(&u.text)
        && strip_bullet(&u.text).is_none()
        && strip_number(&u.text).is_none())
    .then_some(i)
}

fn is_title_candidate(units: &[Unit], i: usize) -> bool {
    let u = &units[i];
    let n = word_count(&u.text);
    if is_ticker_line(&u.text) || is_junk_anywhere(&u.text) || n < TITLE_MIN_WORDS {
        return false;
    }
    // A title is a line of its own (or the first line of its block), heading-shaped.
    let first_of_block = i == 0 || units[i - 1].block != u.block;
    first_of_block
        && is_heading_shaped(&u.text, TITLE_MAX_WORDS)
        && glossary_entry(&u.text).is_none()
        && strip_bullet(&u.text).is_none()
        && strip_number(&u.text).is_none()
        && !is_caption_label(&u.text)
        && meta::dateline(&u.text).is_none()
        && meta::byline(&u.text).is_none()
}

/// One glossary entry: the term and the whole original line.
#[derive(Debug, Clone)]
struct GlossaryEntry {
    term: String,
    line: String,
}

/// Find runs of consecutive `Term - definition` lines. A run is a glossary sidebar when one
/// of its lines occurs more than once in the dump (the sidebar was repeated), or when it has
/// at least three entries. Every occurrence is removed; each entry is kept once.
fn mark_glossaries(units: &mut [Unit]) -> Vec<GlossaryEntry> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for u in units.iter().filter(|u| u.kept()) {
        if glossary_entry(&u.text).is_some() {
            *counts.entry(u.text.to_lowercase()).or_default() += 1;
        }
    }
    let mut entries: Vec<GlossaryEntry> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut i = 0;
    while i < units.len() {
        let run_end = (i..units.len())
            .find(|&j| !(units[j].kept() && glossary_entry(&units[j].text).is_some()))
            .unwrap_or(units.len());
        if run_end == i {
            i += 1;
            continue;
        }
        let repeated = units[i..run_end]
            .iter()
            .any(|u| counts.get(&u.text.to_lowercase()).copied().unwrap_or(0) > 1);
        if repeated || run_end - i >= 3 {
            for u in &mut units[i..run_end] {
                let key = u.text.to_lowercase();
                let idx = match index.get(&key) {
                    Some(&idx) => idx,
                    None => {
                        let term = glossary_entry(&u.text).map(|(t, _)| t).unwrap_or_default();
                        entries.push(GlossaryEntry { term, line: u.text.clone() });
                        index.insert(key, entries.len() - 1);
                        entries.len() - 1
                    }
                };
                u.kind = Kind::Glossary(idx);
            }
        }
        i = run_end;
    }
    entries
}

/// Remove later copies of a short unit repeated verbatim (case-insensitive): repeated
/// sidebars, captions and link titles. Long paragraphs that repeat are left alone: an
/// article may repeat itself, and a sidebar is rarely that long.
fn mark_duplicates(units: &mut [Unit]) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for u in units.iter_mut() {
        if !u.kept() && u.kind != Kind::Title {
            continue;
        }
        let key = u.text.to_lowercase();
        let n = word_count(&u.text);
        if (3..=DUPLICATE_MAX_WORDS).contains(&n) && !seen.insert(key) && u.kind == Kind::Body {
            u.kind = Kind::Duplicate;
        }
    }
}

/// An image's alt text followed by its caption, which repeats it and adds the photo credit
/// (`Un Népalais prie à Katmandou.` then `Un Népalais prie à Katmandou. (Photo … AFP)`):
/// both are the caption of an image the dump no longer shows, so both go, as other
/// detached captions do.
fn mark_alt_and_caption(units: &mut [Unit]) {
    for i in 1..units.len() {
        let (alt, caption) = (&units[i - 1], &units[i]);
        if !(alt.kept() && caption.kept()) || word_count(&alt.text) < 3 {
            continue;
        }
        let repeats = caption.text.len() > alt.text.len() && caption.text.starts_with(&alt.text);
        let credited = || {
            crate::read::html::notices::credit_start(&caption.text)
                .is_some_and(|c| c + 2 >= alt.text.len())
        };
        if repeats && credited() {
            units[i - 1].kind = Kind::PullQuote;
            units[i].kind = Kind::PullQuote;
        }
    }
}

/// Script of a text: whatlang's guess over the letters.
fn script_of(text: &str) -> Option<whatlang::Script> {
    whatlang::detect_script(text)
}

/// Mark page chrome wherever it stands: prompts, notices, footer lines, markup debris.
fn mark_chrome(units: &mut [Unit]) {
    for u in units.iter_mut().filter(|u| u.kept()) {
        if is_junk_anywhere(&u.text) || is_markup_debris(&u.text) || is_caption_label(&u.text) {
            u.kind = Kind::Junk;
        }
    }
    mark_player_controls(units);
    mark_tables_of_contents(units);
    mark_chart_labels(units);
}

/// A share bar printed one item per line: [`SHARE_RUN_MIN_ITEMS`] or more lines in a row
/// that each name a network or a sharing action (`Facebook`, `WhatsApp`, `E-mail`). One
/// such line alone may be the article's (`Twitter` as a section name). Run on the article
/// region once it is found: outside it, such lines cost the region more than they would as
/// removed lines, and keep it from spreading into the menus they stand in.
fn mark_share_runs(units: &mut [Unit]) {
    mark_runs(units, is_share_item, |run| run.len() >= SHARE_RUN_MIN_ITEMS);
}

/// Mark as junk each maximal run of kept units whose texts are `item`s, when `accept` takes
/// the run.
fn mark_runs(units: &mut [Unit], item: impl Fn(&str) -> bool, accept: impl Fn(&[Unit]) -> bool) {
    let mut i = 0;
    while i < units.len() {
        let end = i + units[i..].iter().take_while(|u| u.kept() && item(&u.text)).count();
        if end > i && accept(&units[i..end]) {
            for u in &mut units[i..end] {
                u.kind = Kind::Junk;
            }
        }
        i = end.max(i + 1);
    }
}

/// A chart's labels, which a text browser prints one per line: axis ticks and values
/// (`$915`, `’17`, `13.0%`, `600`) and legend words in capitals (`RECESSIONS`), in a run of
/// [`CHART_MIN_LABELS`] or more. Text has lower-case words between its numbers; a table
/// keeps its cells on one line; a pager's numbers (`• 1`, `• 2`) are list items.
fn mark_chart_labels(units: &mut [Unit]) {
    let is_label = |t: &str| {
        t.chars().count() <= CHART_LABEL_MAX_CHARS
            && !words_over(t, 2)
            && !t.chars().any(char::is_lowercase)
            && t.chars().any(|c| c.is_alphanumeric())
            && strip_bullet(t).is_none()
    };
    mark_runs(units, is_label, |run| {
        let figures = run.iter().filter(|u| u.text.chars().any(|c| c.is_ascii_digit())).count();
        run.len() >= CHART_MIN_LABELS && figures * 2 >= run.len()
    });
}

/// A video player's controls: lines that [`is_player_control`], in a cluster (a player
/// prints a dozen; a lone `Chapters` or `Live` may be the article's own).
fn mark_player_controls(units: &mut [Unit]) {
    let controls: Vec<usize> = (0..units.len())
        .filter(|&i| units[i].kept() && is_player_control(&units[i].text))
        .collect();
    // `controls` is sorted: the count within the window is a difference of two positions.
    let near = |i: usize| {
        let lo = controls.partition_point(|&j| j + PLAYER_CONTROL_WINDOW < i);
        let hi = controls.partition_point(|&j| j <= i + PLAYER_CONTROL_WINDOW);
        hi - lo
    };
    let clustered: Vec<usize> =
        controls.iter().copied().filter(|&i| near(i) >= PLAYER_MIN_CONTROLS).collect();
    for i in clustered {
        units[i].kind = Kind::Junk;
    }
}

/// A page's own table of contents (`Contents`, then `• 1 History`, `□ 1.1 Origins`…): the
/// edition has its own, and the entries repeat the headings. The label is followed by
/// bulleted entries, optionally after a `hide` toggle; most entries carry section numbers,
/// or the first is MediaWiki's `(Top)`.
fn mark_tables_of_contents(units: &mut [Unit]) {
    let mut i = 0;
    while i < units.len() {
        if !(units[i].kept() && is_toc_label(&units[i].text)) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        if units.get(j).is_some_and(|u| is_toc_toggle(&u.text)) {
            j += 1;
        }
        let first = j;
        let mut numbered = 0;
        while let Some(entry) = units.get(j).and_then(|u| strip_bullet(&u.text)) {
            numbered += usize::from(is_section_number(entry));
            j += 1;
        }
        let n = j - first;
        let top = units.get(first).and_then(|u| strip_bullet(&u.text)) == Some("(Top)");
        if n >= TOC_MIN_ENTRIES && (top || numbered * 2 >= n) {
            for u in units[i..j].iter_mut().filter(|u| u.kept()) {
                u.kind = Kind::Junk;
            }
        }
        i = j.max(i + 1);
    }
}

fn is_toc_label(s: &str) -> bool {
    // Cheap refusal first: this runs on every line of a dump.
    let first = s.trim_start().chars().next().unwrap_or(' ');
    if s.len() > 40
        || (first.is_ascii() && !matches!(first.to_ascii_lowercase(), 'c' | 't' | 'i' | 's'))
    {
        return false;
    }
    let lower = s.trim().trim_end_matches(':').to_lowercase();
    matches!(
        lower.as_str(),
        "contents"
            | "table of contents"
            | "inhalt"
            | "inhaltsverzeichnis"
            | "sommaire"
            | "table des matières"
            | "contenido"
            | "contenidos"
            | "índice"
            | "indice"
            | "sommario"
            | "inhoud"
            | "spis treści"
            | "содержание"
            | "目次"
            | "目录"
            | "目錄"
    )
}

fn is_toc_toggle(s: &str) -> bool {
    let t = s.trim().trim_start_matches('[').trim_end_matches(']').to_lowercase();
    matches!(t.as_str(), "hide" | "show" | "toggle" | "verbergen" | "masquer" | "ocultar")
}

/// `1 History`, `1.2 Origins`, `2. Methods`: an entry that starts with a section number.
fn is_section_number(entry: &str) -> bool {
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S").expect("static regex"));
    NUMBER.is_match(entry)
}

/// Mark trailing blocks that are not article text: after the last paragraph come prompts,
/// notices, browser lists, footers, and blocks in another script than the article.
fn mark_trailing_junk(units: &mut [Unit], stubs_too: bool) {
    let body: String =
        units.iter().filter(|u| u.kept()).map(|u| u.text.as_str()).collect::<Vec<_>>().join("\n");
    let article_script = script_of(&body);
    for i in (0..units.len()).rev() {
        if !units[i].kept() {
            continue;
        }
        let t = &units[i].text;
        let other_script =
            article_script.is_some() && script_of(t).is_some() && script_of(t) != article_script;
        let stub = stubs_too && !words_over(t, 6) && !ends_sentence(t);
        let last_one = units.iter().filter(|u| u.kept()).count() == 1;
        if (other_script || stub) && !last_one {
            units[i].kind = Kind::Junk;
        } else {
            break;
        }
    }
}

/// Whether the kept unit `i` is a speaker line introducing the quotation at `next`.
fn is_speaker(units: &[Unit], i: usize, next: Option<usize>) -> bool {
    let t = &units[i].text;
    let Some(next) = next else { return false };
    if opening_quote(&units[next].text).is_none() || opening_quote(t).is_some() {
        return false;
    }
    let n = word_count(t);
    if let Some(head) = t.strip_suffix(':') {
        // `Name, role:` / `Name:` — no sentence inside.
        return n <= SPEAKER_MAX_WORDS
            && !ends_sentence(head)
            && !head.contains(['“', '”', '«', '»']);
    }
    // A bare name: a few words, all but a particle capitalised (`Abu Bakr al-Baghdadi`).
    let capitalised = t
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic()))
        .count();
    n <= BARE_SPEAKER_MAX_WORDS
        && is_heading_shaped(t, BARE_SPEAKER_MAX_WORDS)
        && capitalised >= 2.max(n.saturating_sub(1))
}

/// Mark pull quotes and detached captions: short lines that repeat a nearby sentence
/// ([`REPEAT_RATIO`]), or that sit next to a removed interruption and paraphrase the text
/// just before them ([`PARAPHRASE_COVERAGE`]).
fn mark_pull_quotes(units: &mut [Unit]) {
    let kept: Vec<usize> = (0..units.len()).filter(|&i| units[i].kept()).collect();
    // Both measures are costly: the IDF table and each unit's sentence stems are built once,
    // and only when a candidate needs them.
    let idf = std::cell::OnceCell::new();
    let mut sentence_stems: BTreeMap<usize, Vec<Vec<String>>> = BTreeMap::new();
    let mut marks = Vec::new();
    for (k, &i) in kept.iter().enumerate() {
        let t = &units[i].text;
        let n = word_count(t);
        if !(PULL_QUOTE_MIN_WORDS..=PULL_QUOTE_MAX_WORDS).contains(&n) || t.ends_with(':') {
            continue;
        }
        // A line that ends a sentence is a paragraph in its own right unless it is set off
        // as a quotation: real pull quotes and captions rarely carry a full stop.
        let set_off = !ends_sentence(t) || opening_quote(t).is_some();
        let interrupted = (i > 0 && is_interruption(units[i - 1].kind))
            || units.get(i + 1).is_some_and(|u| is_interruption(u.kind));
        let paraphrase_candidate =
            interrupted && n >= PARAPHRASE_MIN_WORDS && !t.trim_end().ends_with('?');
        if !set_off && !paraphrase_candidate {
            continue;
        }
        if is_speaker(units, i, kept.get(k + 1).copied()) {
            continue;
        }
        let cand = stems(t);
        if set_off {
            let lo = k.saturating_sub(REPEAT_WINDOW);
            let hi = (k + REPEAT_WINDOW + 1).min(kept.len());
            let repeats = kept[lo..hi].iter().filter(|&&j| j != i).any(|&j| {
                let other = &units[j].text;
                word_count(other) >= n + 5
                    && sentence_stems
                        .entry(j)
                        .or_insert_with(|| sentences(other).iter().map(|s| stems(s)).collect())
                        .iter()
                        .any(|s| sequence_ratio(&cand, s) >= REPEAT_RATIO)
            });
            if repeats {
                marks.push(i);
                continue;
            }
        }
        if paraphrase_candidate {
            let window: BTreeSet<String> = kept[k.saturating_sub(PARAPHRASE_WINDOW)..k]
                .iter()
                .flat_map(|&j| stems(&units[j].text))
                .collect();
            let idf = idf.get_or_init(|| Idf::new(kept.iter().map(|&j| units[j].text.as_str())));
            if idf.coverage(&cand, &window) >= PARAPHRASE_COVERAGE {
                marks.push(i);
            }
        }
    }
    for i in marks {
        units[i].kind = Kind::PullQuote;
    }
}

fn is_interruption(kind: Kind) -> bool {
    matches!(kind, Kind::Glossary(_) | Kind::Duplicate | Kind::Junk | Kind::PullQuote)
}

/// Datelines and bylines next to the title (removed above it, or the first lines after
/// it) fill the metadata; those after the title leave the body.
fn harvest_meta(units: &mut [Unit], doc: &mut Document) {
    let Some(t) = units.iter().position(|u| u.kind == Kind::Title) else { return };
    let lo = t.saturating_sub(META_WINDOW);
    let hi = (t + 1 + META_WINDOW).min(units.len());
    for (i, u) in units.iter_mut().enumerate().take(hi).skip(lo) {
        if !(u.kept() || (u.kind == Kind::Preamble && i > lo)) {
            continue;
        }
        if doc.meta.date.is_none() {
            if let Some(d) = meta::dateline(&u.text) {
                doc.meta.date = Some(d);
                u.kind = Kind::Preamble;
                continue;
            }
        }
        if doc.meta.authors.is_empty() {
            if let Some(a) = meta::byline(&u.text) {
                doc.meta.authors = a;
                u.kind = Kind::Preamble;
            }
        }
    }
}

/// Build the body blocks from the kept units.
fn build(units: &[Unit]) -> Vec<Block> {
    let kept: Vec<usize> = (0..units.len()).filter(|&i| units[i].kept()).collect();
    let mut blocks = Vec::new();
    let mut k = 0;
    while k < kept.len() {
        let i = kept[k];
        let next = kept.get(k + 1).copied();
        let text = &units[i].text;
        if is_speaker(units, i, next) {
            let (quote, used) = collect_quote(units, &kept[k + 1..]);
            let attribution = text.trim_end().trim_end_matches(':').trim_end().to_string();
            blocks.push(Block::Quote { attribution: Some(inlines(&attribution)), blocks: quote });
            k += 1 + used;
            continue;
        }
        if let Some((list, used)) = collect_list(units, &kept[k..]) {
            blocks.push(list);
            k += used;
            continue;
        }
        if is_heading(units, &kept, k) {
            blocks.push(Block::Heading { level: 2, content: inlines(text) });
        } else {
            blocks.push(Block::Paragraph { content: inlines(text) });
        }
        k += 1;
    }
    blocks
}

/// A heading: a one-line block, heading-shaped, between two kept units, not followed by
/// another heading-shaped line.
fn is_heading(units: &[Unit], kept: &[usize], k: usize) -> bool {
    let i = kept[k];
    let u = &units[i];
    if u.block_len != 1 || k + 1 >= kept.len() || !is_heading_shaped(&u.text, HEADING_MAX_WORDS) {
        return false;
    }
    let next = &units[kept[k + 1]];
    let next_is_heading = next.block_len == 1
        && is_heading_shaped(&next.text, HEADING_MAX_WORDS)
        && !is_speaker(units, kept[k + 1], kept.get(k + 2).copied());
    !next_is_heading
}

/// Collect the paragraphs of a quotation starting at `rest[0]`: until its quotation marks
/// balance (removed interruptions in between are skipped, so a quote continues after a
/// sidebar or pull quote), a new speaker, or a heading-like line. Returns the blocks and the
/// number of units used.
fn collect_quote(units: &[Unit], rest: &[usize]) -> (Vec<Block>, usize) {
    let Some(open) = rest.first().and_then(|&i| opening_quote(&units[i].text)) else {
        return (Vec::new(), 0);
    };
    let close = closing_for(open);
    let mut depth: i32 = 0;
    let mut blocks = Vec::new();
    for (n, &i) in rest.iter().enumerate() {
        let t = &units[i].text;
        if n > 0 {
            let next = rest.get(n + 1).copied();
            let heading_like = units[i].block_len == 1
                && is_heading_shaped(t, HEADING_MAX_WORDS)
                && opening_quote(t).is_none();
            if is_speaker(units, i, next) || heading_like || n >= QUOTE_MAX_UNITS {
                return (blocks, n);
            }
        }
        // Typographic convention: each paragraph of a long quotation re-opens the quote.
        let mut chars = t.chars();
        if t.starts_with(open) {
            depth = 1;
            chars.next();
        }
        for c in chars {
            if close.contains(&c) && (c != open || depth > 0) {
                depth -= 1;
            } else if c == open {
                depth += 1;
            }
        }
        blocks.push(Block::Paragraph { content: inlines(t) });
        if depth <= 0 {
            return (blocks, n + 1);
        }
    }
    let used = rest.len();
    (blocks, used)
}

/// A run of at least two bulleted or numbered lines becomes a list.
fn collect_list(units: &[Unit], rest: &[usize]) -> Option<(Block, usize)> {
    let first = &units[*rest.first()?].text;
    let ordered = strip_number(first).map(|(n, _)| n);
    let item = |t: &str| -> Option<String> {
        if ordered.is_some() {
            strip_number(t).map(|(_, s)| s.to_string())
        } else {
            strip_bullet(t).map(str::to_string)
        }
    };
    let items: Vec<Vec<Block>> = rest
        .iter()
        .map_while(|&i| item(&units[i].text))
        .map(|s| vec![Block::Paragraph { content: inlines(&s) }])
        .collect();
    if items.len() < 2 {
        return None;
    }
    let used = items.len();
    Some((Block::List { ordered, items }, used))
}

/// Inline content of a line: text, with bare URLs turned into links.
fn inlines(text: &str) -> Vec<Inline> {
    static URL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"https?://[^\s<>"“”«»]+"#).expect("static regex"));
    let mut out = Vec::new();
    let mut last = 0;
    for m in URL.find_iter(text) {
        let url = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '’', '\'']);
        let end = m.start() + url.len();
        if m.start() > last {
            out.push(Inline::text(&text[last..m.start()]));
        }
        out.push(Inline::Link { url: url.to_string(), content: vec![Inline::text(url)] });
        last = end;
    }
    if last < text.len() {
        out.push(Inline::text(&text[last..]));
    }
    out
}

/// Heading for the closing glossary section, in the document's language where known.
fn glossary_heading(lang: Option<&str>) -> &'static str {
    match lang.unwrap_or("en") {
        "ru" => "Глоссарий",
        "uk" => "Глосарій",
        "de" => "Glossar",
        "fr" => "Glossaire",
        "es" => "Glosario",
        "it" => "Glossario",
        "pt" => "Glossário",
        "pl" => "Słowniczek",
        _ => "Glossary",
    }
}

/// Turn glossary entries into footnotes on each term's first mention in the body (paragraphs
/// and quotations); entries never mentioned go to a closing glossary section.
fn attach_glossary(doc: &mut Document, glossary: &[GlossaryEntry]) {
    let mut unmentioned = Vec::new();
    for entry in glossary {
        let id = doc.footnotes.len() + 1;
        let anchor = entry.term.split('(').next().unwrap_or(&entry.term).trim();
        if insert_note_ref(&mut doc.blocks, anchor, id) {
            doc.footnotes.push(Footnote {
                id,
                blocks: vec![Block::Paragraph { content: inlines(&entry.line) }],
            });
        } else {
            unmentioned.push(entry);
        }
    }
    if !unmentioned.is_empty() {
        let body = doc.body_text();
        let lang = crate::normalize::detect_lang(&body);
        doc.blocks.push(Block::heading(2, glossary_heading(lang)));
        doc.blocks.push(Block::List {
            ordered: None,
            items: unmentioned
                .iter()
                .map(|e| vec![Block::Paragraph { content: inlines(&e.line) }])
                .collect(),
        });
    }
}

/// Insert a footnote reference after the first word that starts with `term`
/// (case-insensitively) in the paragraphs and quotations of `blocks`.
fn insert_note_ref(blocks: &mut [Block], term: &str, id: usize) -> bool {
    for block in blocks.iter_mut() {
        let found = match block {
            Block::Paragraph { content } => insert_in_inlines(content, term, id),
            Block::Quote { blocks, .. } => insert_note_ref(blocks, term, id),
            Block::List { items, .. } => {
                items.iter_mut().any(|item| insert_note_ref(item, term, id))
            }
            _ => false,
        };
        if found {
            return true;
        }
    }
    false
}

fn insert_in_inlines(content: &mut Vec<Inline>, term: &str, id: usize) -> bool {
    for idx in 0..content.len() {
        let Inline::Text { text } = &content[idx] else { continue };
        if let Some(end) = find_word_starting_with(text, term) {
            let (before, after) = text.split_at(end);
            let (before, after) = (before.to_string(), after.to_string());
            let mut replacement = vec![Inline::text(before), Inline::FootnoteRef { id }];
            if !after.is_empty() {
                replacement.push(Inline::text(after));
            }
            content.splice(idx..=idx, replacement);
            return true;
        }
    }
    false
}

/// Byte offset of the end of the first word of `hay` that starts with `term`
/// (case-insensitive, at a word boundary).
fn find_word_starting_with(hay: &str, term: &str) -> Option<usize> {
    let needle: Vec<char> = term.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return None;
    }
    let chars: Vec<(usize, char)> = hay.char_indices().collect();
    for start in 0..chars.len() {
        if start > 0 && chars[start - 1].1.is_alphanumeric() {
            continue;
        }
        let mut pos = start;
        let mut matched = 0;
        while matched < needle.len() && pos < chars.len() {
            let lower: Vec<char> = chars[pos].1.to_lowercase().collect();
            if needle.get(matched..matched + lower.len()) != Some(lower.as_slice()) {
                break;
            }
            matched += lower.len();
            pos += 1;
        }
        if matched == needle.len() {
            while pos < chars.len() && chars[pos].1.is_alphanumeric() {
                pos += 1;
            }
            return Some(chars.get(pos).map_or(hay.len(), |(b, _)| *b));
        }
    }
    None
}

#[cfg(test)]
mod tests;
