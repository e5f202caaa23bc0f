//! Paragraph setting: words → shaped segments with break opportunities (spaces, hyphenation
//! points, URL breaks, emergency breaks) → optimal-fit line breaking over the whole paragraph
//! (Knuth–Plass style demerits) → positioned glyphs per line.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use hyphenation::{Hyphenator, Language, Load, Standard};

use super::fonts::{glyph_link, FontKey, Fonts, Glyph, BREAK_HYPHEN, CONTINUES_WORD};

/// A run of text with one set of attributes.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub text: String,
    pub font: FontKey,
    pub size: f32,
    pub rise: f32,
    pub color: u8,
    pub link: Option<usize>,
    /// Hyphenate words of this piece (with the given dictionary).
    pub hyph: Option<Language>,
    /// Allow breaks after `/`, `.`, `-`, `_`, `?`, `&`, `=` without a hyphen (URLs, code).
    pub url_breaks: bool,
}

/// Inline content of a paragraph.
#[derive(Debug, Clone)]
pub(crate) enum Span {
    Piece(Piece),
    /// A hard line break.
    Break,
}

/// An unbreakable run of glyphs.
#[derive(Debug, Clone, Default)]
struct Seg {
    glyphs: Vec<Glyph>,
    width: f32,
}

/// What sits between two segments.
#[derive(Debug, Clone)]
enum Join {
    /// An inter-word space (stretchable); disappears at a break.
    Space(Glyph),
    /// A hyphenation point: nothing unless broken, then a hyphen.
    Hyphen(Glyph),
    /// A break without a hyphen (after an explicit dash, in a URL, emergency), with a penalty.
    Plain(f32),
    /// A hard line break.
    Forced,
}

/// A set line: glyphs with their x offsets from the line start.
#[derive(Debug, Clone, Default)]
pub(crate) struct SetLine {
    pub glyphs: Vec<(Glyph, f32)>,
    /// Where the last glyph ends.
    pub width: f32,
    /// The line is justified to the full measure.
    #[cfg_attr(not(test), allow(dead_code))]
    pub justified: bool,
}

/// Hyphenation dictionaries, loaded once per process.
fn dictionary(lang: Language) -> Option<Arc<Standard>> {
    type Dictionaries = BTreeMap<&'static str, Option<Arc<Standard>>>;
    static CACHE: OnceLock<Mutex<Dictionaries>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    let mut map = cache.lock().ok()?;
    map.entry(lang.code())
        .or_insert_with(|| Standard::from_embedded(lang).ok().map(Arc::new))
        .clone()
}

/// The dictionary for a BCP 47 tag; `None` for languages without patterns.
pub(crate) fn language_for_tag(tag: &str) -> Option<Language> {
    let t = tag.to_ascii_lowercase().replace('_', "-");
    let primary = t.split('-').next().unwrap_or("");
    let lang = match primary {
        "en" => {
            if t.starts_with("en-gb") || t.starts_with("en-au") || t.starts_with("en-nz") {
                Language::EnglishGB
            } else {
                Language::EnglishUS
            }
        }
        "ru" => Language::Russian,
        "uk" => Language::Ukrainian,
        "be" => Language::Belarusian,
        "bg" => Language::Bulgarian,
        "el" => Language::GreekMono,
        "de" => {
            if t.contains("ch") {
                Language::GermanSwiss
            } else {
                Language::German1996
            }
        }
        "fr" => Language::French,
        "es" => Language::Spanish,
        "it" => Language::Italian,
        "pt" => Language::Portuguese,
        "nl" => Language::Dutch,
        "pl" => Language::Polish,
        "cs" => Language::Czech,
        "sk" => Language::Slovak,
        "sl" => Language::Slovenian,
        "hr" => Language::Croatian,
        "sr" => Language::SerbianCyrillic,
        "da" => Language::Danish,
        "sv" => Language::Swedish,
        "nb" | "no" => Language::NorwegianBokmal,
        "nn" => Language::NorwegianNynorsk,
        "fi" => Language::Finnish,
        "et" => Language::Estonian,
        "lv" => Language::Latvian,
        "lt" => Language::Lithuanian,
        "hu" => Language::Hungarian,
        "ro" => Language::Romanian,
        "tr" => Language::Turkish,
        "ca" => Language::Catalan,
        "eu" => Language::Basque,
        "gl" => Language::Galician,
        "ga" => Language::Irish,
        "cy" => Language::Welsh,
        "is" => Language::Icelandic,
        "id" | "ms" => Language::Indonesian,
        "la" => Language::Latin,
        "mk" => Language::Macedonian,
        "ka" => Language::Georgian,
        "hy" => Language::Armenian,
        _ => return None,
    };
    Some(lang)
}

#[derive(PartialEq, Clone, Copy)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
    Other,
}

fn script_of(word: &str) -> Script {
    for c in word.chars() {
        match c as u32 {
            0x0041..=0x024F => return Script::Latin,
            0x0370..=0x03FF | 0x1F00..=0x1FFF => return Script::Greek,
            0x0400..=0x052F => return Script::Cyrillic,
            _ => {}
        }
    }
    Script::Other
}

fn lang_script(lang: Language) -> Script {
    match lang {
        Language::Russian
        | Language::Ukrainian
        | Language::Belarusian
        | Language::Bulgarian
        | Language::SerbianCyrillic
        | Language::Macedonian => Script::Cyrillic,
        Language::GreekMono | Language::GreekPoly | Language::GreekAncient => Script::Greek,
        Language::Georgian | Language::Armenian => Script::Other,
        _ => Script::Latin,
    }
}

/// Hyphenation points (byte offsets) of one alphabetic word. The document language is used
/// for words in its script; words in another script (a Russian quote in an English article)
/// use that script's main dictionary.
fn hyphenate_word(word: &str, doc_lang: Language) -> Vec<usize> {
    let n = word.chars().count();
    if n < 5 || word.chars().all(|c| !c.is_lowercase()) {
        return Vec::new();
    }
    let script = script_of(word);
    let lang = if script == lang_script(doc_lang) {
        doc_lang
    } else {
        match script {
            Script::Latin => Language::EnglishUS,
            Script::Cyrillic => Language::Russian,
            Script::Greek => Language::GreekMono,
            Script::Other => return Vec::new(),
        }
    };
    /// Words cached, and hyphenation points by dictionary code and word.
    type Breaks = (usize, HashMap<&'static str, HashMap<String, Vec<usize>>>);
    thread_local! {
        static BREAKS: RefCell<Breaks> = RefCell::new((0, HashMap::new()));
    }
    let code = lang.code();
    let hit = BREAKS.with_borrow(|(_, c)| c.get(code).and_then(|words| words.get(word)).cloned());
    if let Some(breaks) = hit {
        return breaks;
    }
    let breaks = match dictionary(lang) {
        Some(d) => d.hyphenate(word).breaks,
        None => Vec::new(),
    };
    BREAKS.with_borrow_mut(|(len, c)| {
        if *len >= HYPHENATED_WORDS {
            c.clear();
            *len = 0;
        }
        *len += 1;
        c.entry(code).or_default().insert(word.to_string(), breaks.clone());
    });
    breaks
}

/// Words whose hyphenation points a thread keeps (they depend on the word and dictionary
/// only) before it starts afresh.
const HYPHENATED_WORDS: usize = 20_000;

/// Break opportunities inside a piece's word: `(byte offset, hyphen?)`.
fn word_breaks(text: &str, piece: &Piece) -> Vec<(usize, bool)> {
    let mut out: Vec<(usize, bool)> = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // Explicit dashes, and punctuation inside URLs and other very long words.
    let urlish = piece.url_breaks
        || text.contains("://")
        || text.starts_with("www.")
        || text.contains('@')
        || chars.len() > 30;
    for (k, (_, c)) in chars.iter().enumerate() {
        let Some((j, nc)) = chars.get(k + 1) else { continue };
        let dash = matches!(c, '-' | '\u{2010}' | '\u{2013}' | '\u{2014}');
        // Break after a dash only between real word parts (not `ISIS-K`, not `-5`).
        let word_dash = dash && nc.is_alphanumeric() && {
            let before = chars[..k].iter().rev().take_while(|(_, p)| p.is_alphanumeric()).count();
            let after = chars[k + 1..].iter().take_while(|(_, p)| p.is_alphanumeric()).count();
            before >= 2 && after >= 3
        };
        let url_break = urlish
            && matches!(c, '/' | '.' | '_' | '?' | '&' | '=' | '#' | '-' | ':' | ',')
            && !matches!(nc, '/' | '.');
        if word_dash || url_break {
            out.push((*j, false));
        }
    }
    // Hyphenation of alphabetic runs.
    if let Some(lang) = piece.hyph.filter(|_| !urlish) {
        let mut start: Option<usize> = None;
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (i, c) in text.char_indices() {
            if c.is_alphabetic() || c == '\u{ad}' {
                if start.is_none() {
                    start = Some(i);
                }
            } else if let Some(s) = start.take() {
                runs.push((s, i));
            }
        }
        if let Some(s) = start {
            runs.push((s, text.len()));
        }
        for (s, e) in runs {
            let Some(w) = text.get(s..e) else { continue };
            for b in hyphenate_word(w, lang) {
                out.push((s + b, true));
            }
        }
    }
    out.sort_by_key(|(o, _)| *o);
    out.dedup_by_key(|(o, _)| *o);
    out
}

/// Build segments and joins from spans.
fn build(spans: &[Span], fonts: &mut Fonts<'_>) -> (Vec<Seg>, Vec<Join>) {
    let mut segs: Vec<Seg> = vec![Seg::default()];
    let mut joins: Vec<Join> = Vec::new();
    // Pending word parts: (text, piece) until a space.
    let mut word: Vec<(&str, &Piece)> = Vec::new();

    fn flush_word(
        word: &mut Vec<(&str, &Piece)>,
        fonts: &mut Fonts<'_>,
        segs: &mut Vec<Seg>,
        joins: &mut Vec<Join>,
    ) {
        for (text, piece) in word.drain(..) {
            if text.is_empty() {
                continue;
            }
            let glyphs = fonts.shape_shared(text, piece.font, piece.size);
            let breaks = word_breaks(text, piece);
            let hyphen_glyph = if breaks.iter().any(|(_, h)| *h) {
                fonts_hyphen(fonts, piece).map(|mut h| {
                    h.color = piece.color;
                    h.link = glyph_link(piece.link);
                    h
                })
            } else {
                None
            };
            let mut bi = breaks.iter().peekable();
            for (gi, g) in glyphs.iter().enumerate() {
                // A break before glyph gi if its cluster starts at a break offset and no
                // earlier glyph belongs to a later cluster (no ligature across the break).
                while let Some((off, _)) = bi.peek() {
                    if *off < g.cluster as usize {
                        bi.next();
                    } else {
                        break;
                    }
                }
                if let Some((off, hy)) = bi.peek().copied() {
                    let first_at =
                        gi == 0 || glyphs.get(gi - 1).is_some_and(|p| (p.cluster as usize) < *off);
                    if *off == g.cluster as usize && first_at && gi > 0 {
                        let join = match (hy, &hyphen_glyph) {
                            (true, Some(h)) => Join::Hyphen(h.clone()),
                            _ => Join::Plain(if *hy { 50.0 } else { 30.0 }),
                        };
                        // The glyph before a break ends a line when the break is taken:
                        // drop its kerning with the next glyph so it cannot overhang.
                        if let Some(last) = segs.last_mut() {
                            if let Some(prev) = last.glyphs.last_mut() {
                                let plain = fonts.plain_advance(prev.font, prev.gid, prev.size);
                                last.width += plain - prev.adv;
                                prev.adv = plain;
                            }
                        }
                        joins.push(join);
                        segs.push(Seg::default());
                        bi.next();
                    }
                }
                if let Some(seg) = segs.last_mut() {
                    seg.width += g.adv;
                    seg.glyphs.push(Glyph {
                        rise: piece.rise,
                        color: piece.color,
                        link: glyph_link(piece.link),
                        ..g.clone()
                    });
                }
            }
        }
    }

    fn fonts_hyphen(fonts: &mut Fonts<'_>, piece: &Piece) -> Option<Glyph> {
        let mut g = fonts.shape("-", piece.font, piece.size).into_iter().next()?;
        g.rise = piece.rise;
        Some(g)
    }

    let mut space_glyph: Option<Glyph> = None;
    let mut pending_space = false;
    for span in spans {
        match span {
            Span::Break => {
                flush_word(&mut word, fonts, &mut segs, &mut joins);
                pending_space = false;
                if segs.last().is_some_and(|s| !s.glyphs.is_empty()) {
                    joins.push(Join::Forced);
                    segs.push(Seg::default());
                }
            }
            Span::Piece(piece) => {
                for (k, part) in piece.text.split([' ', '\n', '\t']).enumerate() {
                    if k > 0 {
                        // A space ends the current word.
                        if !word.is_empty() {
                            flush_word(&mut word, fonts, &mut segs, &mut joins);
                        }
                        if space_glyph
                            .as_ref()
                            .is_none_or(|g| g.font != piece.font || g.size != piece.size)
                        {
                            space_glyph =
                                fonts.shape(" ", piece.font, piece.size).into_iter().next();
                        }
                        pending_space = true;
                    }
                    if part.is_empty() {
                        continue;
                    }
                    if pending_space && segs.last().is_some_and(|s| !s.glyphs.is_empty()) {
                        if let Some(sp) = &space_glyph {
                            let mut sp = sp.clone();
                            sp.text = Some(" ".into());
                            sp.link = None;
                            joins.push(Join::Space(sp));
                            segs.push(Seg::default());
                        }
                    }
                    pending_space = false;
                    word.push((part, piece));
                }
            }
        }
    }
    flush_word(&mut word, fonts, &mut segs, &mut joins);
    // Drop a trailing empty segment (after a trailing forced break).
    while segs.len() > 1 && segs.last().is_some_and(|s| s.glyphs.is_empty()) {
        segs.pop();
        joins.pop();
    }
    (segs, joins)
}

/// Split segments wider than the measure at glyph boundaries (emergency breaks, no hyphen).
fn split_overwide(segs: Vec<Seg>, joins: Vec<Join>, measure: f32) -> (Vec<Seg>, Vec<Join>) {
    let mut out_s = Vec::with_capacity(segs.len());
    let mut out_j = Vec::with_capacity(joins.len());
    let mut joins_iter = joins.into_iter();
    for seg in segs {
        if seg.width <= measure || seg.glyphs.len() < 2 {
            out_s.push(seg);
        } else {
            let mut cur = Seg::default();
            for g in seg.glyphs {
                if cur.width + g.adv > measure && !cur.glyphs.is_empty() {
                    out_s.push(std::mem::take(&mut cur));
                    out_j.push(Join::Plain(400.0));
                }
                cur.width += g.adv;
                cur.glyphs.push(g);
            }
            out_s.push(cur);
        }
        if let Some(j) = joins_iter.next() {
            out_j.push(j);
        }
    }
    (out_s, out_j)
}

/// Typeset spans into lines of the given measure.
pub(crate) fn set_paragraph(
    spans: &[Span],
    fonts: &mut Fonts<'_>,
    measure: f32,
    justify: bool,
) -> Vec<SetLine> {
    let (segs, joins) = build(spans, fonts);
    if segs.iter().all(|s| s.glyphs.is_empty()) {
        return Vec::new();
    }
    let (segs, joins) = split_overwide(segs, joins, measure);
    let n = segs.len();
    // Prefix sums: start[i] = x of seg i if nothing before it breaks.
    let mut start = vec![0.0f32; n + 1];
    let mut spaces = vec![0.0f32; n + 1]; // total space width before seg i
    let mut nspaces = vec![0usize; n + 1];
    for i in 0..n {
        let jw = match joins.get(i) {
            Some(Join::Space(g)) => g.adv,
            _ => 0.0,
        };
        start[i + 1] = start[i] + segs[i].width + jw;
        spaces[i + 1] = spaces[i] + jw;
        nspaces[i + 1] = nspaces[i] + usize::from(matches!(joins.get(i), Some(Join::Space(_))));
    }
    let line_metrics = |a: usize, b: usize| -> (f32, f32, usize) {
        // natural width of segs a..=b, space width inside, and count.
        let hy = match joins.get(b) {
            Some(Join::Hyphen(g)) => g.adv,
            _ => 0.0,
        };
        let w = start[b] + segs[b].width - start[a] + hy;
        (w, spaces[b] - spaces[a], nspaces[b] - nspaces[a])
    };
    let is_last = |b: usize| b + 1 == n || matches!(joins.get(b), Some(Join::Forced));
    let penalty = |b: usize| -> f32 {
        match joins.get(b) {
            Some(Join::Hyphen(_)) => 50.0,
            Some(Join::Plain(p)) => *p,
            _ => 0.0,
        }
    };
    let mut best = vec![f32::INFINITY; n + 1];
    let mut from = vec![0usize; n + 1];
    let mut hyph_end = vec![false; n + 1];
    best[0] = 0.0;
    for b in 0..n {
        let mut a = b + 1;
        while a > 0 {
            a -= 1;
            if a < b && matches!(joins.get(a), Some(Join::Forced)) {
                break;
            }
            if !best[a].is_finite() {
                continue;
            }
            let (w, sw, _ns) = line_metrics(a, b);
            let last = is_last(b);
            let stretch = sw * 0.5;
            let shrink = sw / 3.0;
            let badness = if w > measure {
                if a < b && (shrink <= 0.0 || (w - measure) > shrink) {
                    // Overfull: further starts only get wider.
                    break;
                }
                if shrink > 0.0 {
                    100.0 * ((w - measure) / shrink).powi(3)
                } else {
                    0.0
                }
            } else if last {
                0.0
            } else if !justify {
                // Ragged: judge the shortfall itself (a third of the measure ≈ 100).
                let r = (measure - w) / measure.max(1.0);
                (100.0 * (3.0 * r).powi(2)).min(10_000.0)
            } else if stretch > 0.0 {
                (100.0 * ((measure - w) / stretch).powi(3)).min(10_000.0)
            } else {
                10_000.0
            };
            let p = penalty(b);
            let ends_hyph = matches!(joins.get(b), Some(Join::Hyphen(_)));
            let mut d = (10.0 + badness).powi(2) + p * p;
            if ends_hyph && hyph_end[a] {
                // Consecutive hyphenated lines.
                d += 3000.0;
            }
            if last && hyph_end[a] {
                // A hyphen on the penultimate line leaves a word stub alone on the last.
                d += 5000.0;
            }
            let total = best[a] + d;
            if total < best[b + 1] {
                best[b + 1] = total;
                from[b + 1] = a;
                hyph_end[b + 1] = ends_hyph;
            }
        }
    }
    // Recover breaks.
    let mut ranges = Vec::new();
    let mut b = n;
    while b > 0 {
        let a = from[b];
        ranges.push((a, b - 1));
        if a >= b {
            break;
        }
        b = a;
    }
    ranges.reverse();
    let mut lines = Vec::with_capacity(ranges.len());
    let mut prev_hyphen = false;
    for (a, b) in ranges {
        let (w, sw, ns) = line_metrics(a, b);
        let last = is_last(b);
        let mut extra = 0.0;
        let mut justified = false;
        if ns > 0 && ((justify && !last) || w > measure) {
            let e = (measure - w) / ns as f32;
            let avg = sw / ns as f32;
            // Bounded stretch: at most 1.5 spaces extra; shrink at most a third (the
            // breaker never makes a line that needs more, ragged or not).
            extra = e.clamp(-avg / 3.0, avg * 1.5);
            justified = (e - extra).abs() < 0.01;
        }
        let mut line = SetLine { justified, ..Default::default() };
        let mut x = 0.0f32;
        for (i, seg) in segs.iter().enumerate().take(b + 1).skip(a) {
            for g in &seg.glyphs {
                line.glyphs.push((g.clone(), x));
                x += g.adv;
            }
            if i < b {
                if let Some(Join::Space(g)) = joins.get(i) {
                    line.glyphs.push((g.clone(), x));
                    x += g.adv + extra;
                }
            }
        }
        if prev_hyphen {
            if let Some((g, _)) = line.glyphs.first_mut() {
                g.mark |= CONTINUES_WORD;
            }
        }
        prev_hyphen = false;
        if let Some(Join::Hyphen(g)) = joins.get(b) {
            if !last {
                let mut g = g.clone();
                g.mark = BREAK_HYPHEN;
                // The whole word, for the text layer: segments back to the last space on
                // this line and forward to the next space.
                let in_word = |j: &Join| matches!(j, Join::Hyphen(_) | Join::Plain(_));
                let mut first = b;
                while first > a && joins.get(first - 1).is_some_and(in_word) {
                    first -= 1;
                }
                let mut end = b + 1;
                while end + 1 < n && joins.get(end).is_some_and(in_word) {
                    end += 1;
                }
                let word: String = segs
                    .get(first..=end)
                    .unwrap_or(&[])
                    .iter()
                    .flat_map(|s| s.glyphs.iter())
                    .filter_map(|g| g.text.as_deref())
                    .collect();
                g.actual = Some(word.into_boxed_str());
                let adv = g.adv;
                line.glyphs.push((g, x));
                x += adv;
                prev_hyphen = true;
            }
        }
        line.width = x;
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: &str) -> Span {
        Span::Piece(Piece {
            text: text.into(),
            font: FontKey::SerifRegular,
            size: 10.0,
            rise: 0.0,
            color: 0,
            link: None,
            hyph: Some(Language::EnglishUS),
            url_breaks: false,
        })
    }

    fn line_text(l: &SetLine) -> String {
        l.glyphs.iter().filter_map(|(g, _)| g.text.as_deref()).collect()
    }

    #[test]
    fn justified_lines_fill_the_measure_and_keep_text() {
        let mut fonts = Fonts::new();
        let text = "The quick brown fox jumps over the lazy dog while the international \
                    community deliberates about extraordinary circumstances surrounding \
                    the unprecedented negotiations of the representatives. "
            .repeat(4);
        let lines = set_paragraph(&[piece(&text)], &mut fonts, 200.0, true);
        assert!(lines.len() > 5);
        for l in &lines[..lines.len() - 1] {
            assert!(l.width <= 200.5, "overfull {}", l.width);
            assert!(l.justified, "{:?}", line_text(l));
            assert!((l.width - 200.0).abs() < 0.5);
        }
        let joined: String = lines.iter().map(line_text).collect::<Vec<_>>().join("\n");
        let restored = joined.replace("-\n", "").replace('\n', " ");
        assert_eq!(
            restored.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn long_urls_break_without_overflow() {
        let mut fonts = Fonts::new();
        let mut p = Piece {
            text: "see https://example.com/a/very/long/path/that/does/not/fit/anywhere/in/a/narrow/column/at/all?x=1".into(),
            font: FontKey::SerifRegular,
            size: 10.0,
            rise: 0.0,
            color: 0,
            link: None,
            hyph: None,
            url_breaks: true,
        };
        let lines = set_paragraph(&[Span::Piece(p.clone())], &mut fonts, 120.0, true);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| l.width <= 120.5));
        p.url_breaks = false;
        p.text = "x".repeat(200);
        let lines = set_paragraph(&[Span::Piece(p)], &mut fonts, 120.0, true);
        assert!(lines.iter().all(|l| l.width <= 120.5));
        assert_eq!(lines.iter().map(|l| l.glyphs.len()).sum::<usize>(), 200);
    }

    #[test]
    fn hyphenation_uses_script_dictionaries() {
        assert!(!hyphenate_word("international", Language::EnglishUS).is_empty());
        assert!(!hyphenate_word("государственный", Language::EnglishUS).is_empty());
        assert!(!hyphenate_word("πολιτισμός", Language::EnglishUS).is_empty());
        assert_eq!(language_for_tag("ru-RU"), Some(Language::Russian));
        assert_eq!(language_for_tag("en"), Some(Language::EnglishUS));
    }
}
