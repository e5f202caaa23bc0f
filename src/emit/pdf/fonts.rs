//! The shipped fonts, shaping with rustybuzz, and per-character fallback between faces.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};

use rustybuzz::{Direction, Face, Script, ShapePlan, UnicodeBuffer};

use crate::style::Family;

/// One of the fonts that ship inside the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum FontKey {
    SerifRegular,
    SerifItalic,
    SerifBold,
    SerifBoldItalic,
    SerifSemibold,
    SansRegular,
    SansBold,
    SansItalic,
    SansBoldItalic,
    MonoRegular,
    MonoBold,
    /// A fallback font given by the caller ([`super::PdfOptions::fallback_fonts`]), by index.
    Fallback(u8),
}

/// All faces, in a fixed order (the order of [`FontKey`]).
pub(crate) const ALL_FONTS: [FontKey; 11] = [
    FontKey::SerifRegular,
    FontKey::SerifItalic,
    FontKey::SerifBold,
    FontKey::SerifBoldItalic,
    FontKey::SerifSemibold,
    FontKey::SansRegular,
    FontKey::SansBold,
    FontKey::SansItalic,
    FontKey::SansBoldItalic,
    FontKey::MonoRegular,
    FontKey::MonoBold,
];

impl FontKey {
    /// The font program of a shipped face (fallback fonts live in [`Fonts`]).
    pub(crate) fn shipped_bytes(self) -> Option<&'static [u8]> {
        Some(match self {
            FontKey::SerifRegular => include_bytes!("../../../fonts/LibertinusSerif-Regular.otf"),
            FontKey::SerifItalic => include_bytes!("../../../fonts/LibertinusSerif-Italic.otf"),
            FontKey::SerifBold => include_bytes!("../../../fonts/LibertinusSerif-Bold.otf"),
            FontKey::SerifBoldItalic => {
                include_bytes!("../../../fonts/LibertinusSerif-BoldItalic.otf")
            }
            FontKey::SerifSemibold => include_bytes!("../../../fonts/LibertinusSerif-Semibold.otf"),
            FontKey::SansRegular => include_bytes!("../../../fonts/NotoSans-Regular.ttf"),
            FontKey::SansBold => include_bytes!("../../../fonts/NotoSans-Bold.ttf"),
            FontKey::SansItalic => include_bytes!("../../../fonts/NotoSans-Italic.ttf"),
            FontKey::SansBoldItalic => include_bytes!("../../../fonts/NotoSans-BoldItalic.ttf"),
            FontKey::MonoRegular => include_bytes!("../../../fonts/DejaVuSansMono.ttf"),
            FontKey::MonoBold => include_bytes!("../../../fonts/DejaVuSansMono-Bold.ttf"),
            FontKey::Fallback(_) => return None,
        })
    }

    /// Deterministic resource name; its first six letters become the subset tag.
    pub(crate) fn resource_name(self) -> String {
        let name = match self {
            FontKey::SerifRegular => "OFPSRA",
            FontKey::SerifItalic => "OFPSIB",
            FontKey::SerifBold => "OFPSBC",
            FontKey::SerifBoldItalic => "OFPSXD",
            FontKey::SerifSemibold => "OFPSSE",
            FontKey::SansRegular => "OFPNRF",
            FontKey::SansBold => "OFPNBG",
            FontKey::SansItalic => "OFPNIJ",
            FontKey::SansBoldItalic => "OFPNXK",
            FontKey::MonoRegular => "OFPMRH",
            FontKey::MonoBold => "OFPMBI",
            FontKey::Fallback(i) => {
                let hi = char::from(b'A' + i / 26);
                let lo = char::from(b'A' + i % 26);
                return format!("OFPF{hi}{lo}");
            }
        };
        name.to_string()
    }

    /// Bold and italic, as a fallback font should match them.
    fn bold_italic(self) -> (bool, bool) {
        match self {
            FontKey::SerifBold | FontKey::SerifSemibold | FontKey::SansBold | FontKey::MonoBold => {
                (true, false)
            }
            FontKey::SerifBoldItalic | FontKey::SansBoldItalic => (true, true),
            FontKey::SerifItalic | FontKey::SansItalic => (false, true),
            _ => (false, false),
        }
    }

    fn index(self) -> usize {
        match self {
            FontKey::Fallback(i) => ALL_FONTS.len() + usize::from(i),
            _ => ALL_FONTS.iter().position(|k| *k == self).unwrap_or(0),
        }
    }
}

/// Bold/italic request for a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Variant {
    pub bold: bool,
    pub italic: bool,
    pub mono: bool,
    /// Semibold (headings in the serif family).
    pub semibold: bool,
}

/// The face for a family and variant.
pub(crate) fn pick(family: Family, v: Variant) -> FontKey {
    let family = if v.mono { Family::Mono } else { family };
    match family {
        Family::Serif => match (v.bold, v.italic, v.semibold) {
            (true, true, _) => FontKey::SerifBoldItalic,
            (true, false, _) => FontKey::SerifBold,
            (false, true, _) => FontKey::SerifItalic,
            (false, false, true) => FontKey::SerifSemibold,
            (false, false, false) => FontKey::SerifRegular,
        },
        // One bold weight: semibold requests take it too.
        Family::Sans => match (v.bold || v.semibold, v.italic) {
            (true, true) => FontKey::SansBoldItalic,
            (true, false) => FontKey::SansBold,
            (false, true) => FontKey::SansItalic,
            (false, false) => FontKey::SansRegular,
        },
        Family::Mono => {
            if v.bold {
                FontKey::MonoBold
            } else {
                FontKey::MonoRegular
            }
        }
    }
}

/// A shaped glyph, ready for line breaking and emission.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    pub gid: u16,
    pub font: FontKey,
    pub size: f32,
    /// Shaped advance in points (kerning included).
    pub adv: f32,
    /// Text this glyph stands for in the text layer (whole cluster on its first glyph).
    pub text: Option<Rc<str>>,
    /// Byte offset of the glyph's cluster in the shaped string (a word: 32 bits are plenty,
    /// and a long article holds hundreds of thousands of glyphs).
    pub cluster: u32,
    /// Baseline shift in points (superscripts).
    pub rise: f32,
    /// Colour index (see `layout::Palette`).
    pub color: u8,
    /// Link index into the document's link table.
    pub link: Option<u32>,
    /// Line-breaking marks: [`BREAK_HYPHEN`] on a hyphen added by hyphenation,
    /// [`CONTINUES_WORD`] on the first glyph of a line that finishes a hyphenated word.
    pub mark: u8,
    /// On a [`BREAK_HYPHEN`]: the whole hyphenated word, for the text layer.
    pub actual: Option<Box<str>>,
}

/// A link index as a glyph keeps it (none past `u32::MAX` links).
pub(crate) fn glyph_link(link: Option<usize>) -> Option<u32> {
    link.and_then(|l| u32::try_from(l).ok())
}

/// See [`Glyph::mark`].
pub(crate) const BREAK_HYPHEN: u8 = 1;
/// See [`Glyph::mark`].
pub(crate) const CONTINUES_WORD: u8 = 2;

/// Most fallback fonts used (they are keyed by a `u8`, and 26 × 26 subset tags).
pub(crate) const MAX_FALLBACKS: usize = 255;

/// The shipped faces (in the order of [`ALL_FONTS`]), parsed once per process.
fn shipped_faces() -> &'static [Option<Face<'static>>] {
    static FACES: OnceLock<Vec<Option<Face<'static>>>> = OnceLock::new();
    FACES.get_or_init(|| {
        ALL_FONTS.iter().map(|k| k.shipped_bytes().and_then(|b| Face::from_slice(b, 0))).collect()
    })
}

/// A shape plan: one per face, script and direction.
type PlanKey = (FontKey, Script, u8);

/// Shape plans of the shipped faces, built once per process (they are slow to build).
fn shipped_plan(key: PlanKey, make: impl FnOnce() -> ShapePlan) -> Arc<ShapePlan> {
    static PLANS: OnceLock<Mutex<HashMap<PlanKey, Arc<ShapePlan>>>> = OnceLock::new();
    let plans = PLANS.get_or_init(|| Mutex::new(HashMap::new()));
    match plans.lock() {
        Ok(mut map) => map.entry(key).or_insert_with(|| Arc::new(make())).clone(),
        // A poisoned cache: build the plan without it.
        Err(_) => Arc::new(make()),
    }
}

/// The face of `key`: shipped, or the caller's fallback by index.
fn face_of<'f, 'a>(fallback: &'f [Option<Face<'a>>], key: FontKey) -> Option<&'f Face<'a>> {
    match key {
        FontKey::Fallback(i) => fallback.get(usize::from(i)).and_then(|f| f.as_ref()),
        _ => shipped_faces().get(key.index()).and_then(|f| f.as_ref()),
    }
}

/// Words shaped at one face and size, by text, with the number of times each was asked for.
type ShapedWords = HashMap<String, (Rc<[Glyph]>, u32)>;

/// Longest text (bytes) [`Fonts::shape`] caches.
const MAX_CACHED_WORD: usize = 64;

/// Words a thread keeps shaped from one document to the next: those asked for most (a
/// batch's articles share their common words; a rare word seldom comes back). About 650
/// bytes a word, so under 2 MB a thread.
const SHAPED_WORDS_KEPT: usize = 2_500;

/// Shaped words in the shipped faces, kept by each thread between documents (see
/// [`Fonts::with_fallbacks`] and `Drop for Fonts`). `Glyph` holds `Rc`s, so they stay on
/// their thread.
type KeptShapes = HashMap<(FontKey, u32), ShapedWords>;

thread_local! {
    static KEPT_SHAPES: std::cell::RefCell<KeptShapes> = std::cell::RefCell::new(HashMap::new());
}

/// The words of `shaped` to keep for the next document: not those of fallback fonts (an
/// index names another font in each document), and at most [`SHAPED_WORDS_KEPT`] of the
/// others, the most asked for. Counts are halved, so that words a batch stops using make
/// room for new ones.
fn words_to_keep(mut shaped: KeptShapes) -> KeptShapes {
    shaped.retain(|(key, _), _| !matches!(key, FontKey::Fallback(_)));
    let total: usize = shaped.values().map(HashMap::len).sum();
    if total > SHAPED_WORDS_KEPT {
        let mut counts: Vec<u32> =
            shaped.values().flat_map(|words| words.values().map(|(_, n)| *n)).collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        // Keep counts above the cut-off, and at the cut-off only while there is room.
        let cut = counts.get(SHAPED_WORDS_KEPT).copied().unwrap_or(0);
        let mut room = SHAPED_WORDS_KEPT - counts.iter().filter(|n| **n > cut).count();
        for words in shaped.values_mut() {
            words.retain(|_, (_, n)| {
                if *n > cut {
                    return true;
                }
                let keep = *n == cut && room > 0;
                room -= usize::from(keep);
                keep
            });
        }
        shaped.retain(|_, words| !words.is_empty());
    }
    for words in shaped.values_mut() {
        for (_, n) in words.values_mut() {
            *n = (*n / 2).max(1);
        }
    }
    shaped
}

/// Loaded faces plus coverage bookkeeping.
pub(crate) struct Fonts<'a> {
    /// Faces of the fallback fonts (the shipped ones are shared, see [`shipped_faces`]).
    fallback_faces: Vec<Option<Face<'a>>>,
    /// Fallback font programs, in the order they are tried.
    fallback: Vec<&'a [u8]>,
    plans: HashMap<PlanKey, Arc<ShapePlan>>,
    /// Shaped words by face and size (bits of the `f32`): a document repeats its words, and
    /// shaping is the dearest part of setting them. Only words set without fallback
    /// bookkeeping are kept, so a cached result is exactly what shaping again would give.
    shaped: HashMap<(FontKey, u32), ShapedWords>,
    /// The shaping buffer, kept between runs for its allocations.
    spare_buffer: Option<UnicodeBuffer>,
    /// The text of a glyph that continues a cluster.
    no_text: Rc<str>,
    /// Characters no face covers, counted per script name.
    pub missing: BTreeMap<String, usize>,
    /// Characters no shipped face covers, or only the monospaced one in proportional text:
    /// those a fallback font would set better.
    pub want_fallback: BTreeSet<char>,
    /// Characters set in a fallback font, counted per script name.
    pub from_fallback: BTreeMap<String, usize>,
    /// Faces actually used.
    pub used: BTreeSet<FontKey>,
}

impl<'a> Fonts<'a> {
    /// The shipped faces only.
    #[cfg(test)]
    pub(crate) fn new() -> Fonts<'static> {
        Fonts::with_fallbacks(Vec::new())
    }

    /// The shipped faces, then `fallback` (font programs tried in order for characters no
    /// shipped face covers; collections use their first face). At most [`MAX_FALLBACKS`].
    pub(crate) fn with_fallbacks(fallback: Vec<&'a [u8]>) -> Fonts<'a> {
        let fallback: Vec<&'a [u8]> = fallback.into_iter().take(MAX_FALLBACKS).collect();
        let fallback_faces = fallback.iter().map(|b| Face::from_slice(b, 0)).collect();
        Fonts {
            fallback_faces,
            fallback,
            plans: HashMap::new(),
            // What this thread shaped for earlier documents: shaping depends only on the
            // face, size and text, so a kept result is what shaping again would give.
            shaped: KEPT_SHAPES.with_borrow_mut(std::mem::take),
            spare_buffer: None,
            no_text: Rc::from(""),
            missing: BTreeMap::new(),
            want_fallback: BTreeSet::new(),
            from_fallback: BTreeMap::new(),
            used: BTreeSet::new(),
        }
    }

    /// The fallback faces, in order.
    pub(crate) fn fallback_keys(&self) -> impl Iterator<Item = FontKey> {
        (0..self.fallback.len()).filter_map(|i| u8::try_from(i).ok()).map(FontKey::Fallback)
    }

    /// The first fallback font that covers `c`, preferring one whose weight and slant
    /// match `key`'s (a bold heading takes the bold fallback face when there is one).
    fn fallback_for(&self, c: char, key: FontKey) -> Option<FontKey> {
        let want = key.bold_italic();
        let mut first = None;
        for k in self.fallback_keys() {
            let Some(face) = self.face(k).filter(|f| f.glyph_index(c).is_some()) else {
                continue;
            };
            if (face.is_bold(), face.is_italic() || face.is_oblique()) == want {
                return Some(k);
            }
            first = first.or(Some(k));
        }
        first
    }

    pub(crate) fn face(&self, key: FontKey) -> Option<&Face<'a>> {
        face_of(&self.fallback_faces, key)
    }

    fn units_per_em(&self, key: FontKey) -> f32 {
        self.face(key).map(|f| f.units_per_em() as f32).unwrap_or(1000.0)
    }

    /// Ascender and descender (positive down) as a fraction of the em.
    pub(crate) fn vertical_metrics(&self, key: FontKey) -> (f32, f32) {
        match self.face(key) {
            Some(f) => {
                let upem = f.units_per_em() as f32;
                (f.ascender() as f32 / upem, -(f.descender() as f32) / upem)
            }
            None => (0.8, 0.2),
        }
    }

    /// Width of the glyph as the PDF `/W` array gives it, in thousandths of an em
    /// (printpdf truncates the same way).
    pub(crate) fn nominal_width(&self, key: FontKey, gid: u16) -> f32 {
        match self.face(key) {
            Some(f) => {
                let adv = f.glyph_hor_advance(ttf_gid(gid)).unwrap_or(0) as f32;
                (adv * 1000.0 / f.units_per_em() as f32).trunc()
            }
            None => 0.0,
        }
    }

    /// Advance of a glyph without kerning, in points.
    pub(crate) fn plain_advance(&self, key: FontKey, gid: u16, size: f32) -> f32 {
        match self.face(key) {
            Some(f) => {
                f.glyph_hor_advance(ttf_gid(gid)).unwrap_or(0) as f32 * size
                    / f.units_per_em() as f32
            }
            None => 0.0,
        }
    }

    fn covers(&self, key: FontKey, c: char) -> bool {
        self.face(key).is_some_and(|f| f.glyph_index(c).is_some())
    }

    /// Shape `text` in `key` at `size`, falling back to other shipped faces for characters
    /// the face lacks. Characters no face covers are shaped as `.notdef` (their text stays in
    /// the text layer) and counted in [`Fonts::missing`].
    pub(crate) fn shape(&mut self, text: &str, key: FontKey, size: f32) -> Vec<Glyph> {
        self.shape_shared(text, key, size).to_vec()
    }

    /// [`Fonts::shape`], shared with the cache of shaped words.
    pub(crate) fn shape_shared(&mut self, text: &str, key: FontKey, size: f32) -> Rc<[Glyph]> {
        let cache_key = (key, size.to_bits());
        if let Some((glyphs, asked)) =
            self.shaped.get_mut(&cache_key).and_then(|words| words.get_mut(text))
        {
            *asked = asked.saturating_add(1);
            let glyphs = Rc::clone(glyphs);
            let mut last = None;
            for g in glyphs.iter() {
                if last != Some(g.font) {
                    self.used.insert(g.font);
                    last = Some(g.font);
                }
            }
            return glyphs;
        }
        let (glyphs, cacheable) = self.shape_uncached(text, key, size);
        let glyphs: Rc<[Glyph]> = glyphs.into();
        // Long strings (lines of code, running heads) seldom come back.
        if cacheable && text.len() <= MAX_CACHED_WORD {
            let entry = (Rc::clone(&glyphs), 1);
            self.shaped.entry(cache_key).or_default().insert(text.to_string(), entry);
        }
        glyphs
    }

    /// [`Fonts::shape`] without the cache; also says whether the result may be cached (no
    /// character needed the fallback bookkeeping).
    fn shape_uncached(&mut self, text: &str, key: FontKey, size: f32) -> (Vec<Glyph>, bool) {
        let mut cacheable = true;
        let mut out = Vec::new();
        // Split into runs by the face that covers each character.
        let mut runs: Vec<(usize, usize, FontKey)> = Vec::new();
        let mut current: Option<(usize, FontKey)> = None;
        for (i, c) in text.char_indices() {
            let face = if c.is_whitespace() || is_joiner(c) {
                current.map(|(_, k)| if self.covers(k, c) { k } else { key }).unwrap_or(key)
            } else if self.covers(key, c) {
                key
            } else {
                cacheable = false;
                // Proportional text prefers a fallback font to the monospaced face.
                let mono = matches!(key, FontKey::MonoRegular | FontKey::MonoBold);
                let shipped = [key, FontKey::SerifRegular, FontKey::SansRegular]
                    .into_iter()
                    .find(|k| self.covers(*k, c));
                let shipped = match shipped {
                    Some(k) => Some(k),
                    None if !mono => {
                        self.want_fallback.insert(c);
                        self.fallback_for(c, key)
                            .or_else(|| Some(FontKey::MonoRegular).filter(|k| self.covers(*k, c)))
                    }
                    None => Some(FontKey::MonoRegular).filter(|k| self.covers(*k, c)),
                };
                match shipped {
                    Some(k) => {
                        if matches!(k, FontKey::Fallback(_)) {
                            *self.from_fallback.entry(script_name(c)).or_insert(0) += 1;
                        }
                        k
                    }
                    None => match self.fallback_for(c, key) {
                        Some(k) => {
                            *self.from_fallback.entry(script_name(c)).or_insert(0) += 1;
                            k
                        }
                        None => {
                            *self.missing.entry(script_name(c)).or_insert(0) += 1;
                            self.want_fallback.insert(c);
                            key
                        }
                    },
                }
            };
            match current {
                Some((_, k)) if k == face => {}
                Some((start, k)) => {
                    runs.push((start, i, k));
                    current = Some((i, face));
                }
                None => current = Some((i, face)),
            }
        }
        if let Some((start, k)) = current {
            runs.push((start, text.len(), k));
        }
        for (start, end, face_key) in runs {
            let Some(sub) = text.get(start..end) else { continue };
            self.shape_run(sub, start, face_key, size, &mut out);
        }
        (out, cacheable)
    }

    fn shape_run(
        &mut self,
        text: &str,
        base: usize,
        key: FontKey,
        size: f32,
        out: &mut Vec<Glyph>,
    ) {
        let upem = self.units_per_em(key);
        let Some(face) = face_of(&self.fallback_faces, key) else { return };
        let mut buf = self.spare_buffer.take().unwrap_or_default();
        buf.push_str(text);
        buf.guess_segment_properties();
        // Shape plans are slow to build: one per face, script and direction.
        let direction = buf.direction();
        let dir_code = match direction {
            Direction::LeftToRight => 0u8,
            Direction::RightToLeft => 1,
            Direction::TopToBottom => 2,
            Direction::BottomToTop => 3,
            Direction::Invalid => 4,
        };
        let script = buf.script();
        let language = buf.language();
        let plan_key = (key, script, dir_code);
        let make = || ShapePlan::new(face, direction, Some(script), language.as_ref(), &[]);
        let plan = self.plans.entry(plan_key).or_insert_with(|| match key {
            // A fallback index names another font in each document.
            FontKey::Fallback(_) => Arc::new(make()),
            _ => shipped_plan(plan_key, make),
        });
        let shaped = rustybuzz::shape_with_plan(face, plan, buf);
        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        let start_count = out.len();
        for (i, (info, pos)) in infos.iter().zip(positions.iter()).enumerate() {
            let cluster = info.cluster as usize;
            let first_in_cluster =
                i == 0 || infos.get(i - 1).map(|g| g.cluster as usize) != Some(cluster);
            let glyph_text = if first_in_cluster {
                // Cluster text runs to the next different cluster value.
                let next = infos
                    .iter()
                    .skip(i + 1)
                    .map(|g| g.cluster as usize)
                    .find(|c| *c != cluster)
                    .unwrap_or(text.len());
                text.get(cluster..next.max(cluster)).map(Rc::from)
            } else {
                Some(Rc::clone(&self.no_text))
            };
            out.push(Glyph {
                gid: info.glyph_id as u16,
                font: key,
                size,
                adv: pos.x_advance as f32 * size / upem,
                text: glyph_text,
                cluster: u32::try_from(base + cluster).unwrap_or(u32::MAX),
                rise: 0.0,
                color: 0,
                link: None,
                mark: 0,
                actual: None,
            });
        }
        if out.len() > start_count {
            self.used.insert(key);
        }
        self.spare_buffer = Some(shaped.clear());
    }
}

impl Drop for Fonts<'_> {
    /// Hand the words shaped in the shipped faces back to the thread for its next document
    /// (a fallback index names another font in each document, so those words go).
    fn drop(&mut self) {
        let shaped = words_to_keep(std::mem::take(&mut self.shaped));
        // A thread that is being torn down has no cache to keep.
        let _ = KEPT_SHAPES.try_with(|kept| {
            if let Ok(mut kept) = kept.try_borrow_mut() {
                *kept = shaped;
            }
        });
    }
}

fn ttf_gid(gid: u16) -> rustybuzz::ttf_parser::GlyphId {
    rustybuzz::ttf_parser::GlyphId(gid)
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200c}' | '\u{200d}' | '\u{fe0e}' | '\u{fe0f}')
        || ('\u{0300}'..='\u{036f}').contains(&c)
}

/// A readable name for the script (or block) of a character, for warnings.
pub(crate) fn script_name(c: char) -> String {
    let u = c as u32;
    let name = match u {
        0x0530..=0x058F | 0xFB13..=0xFB17 => "Armenian",
        0x0590..=0x05FF => "Hebrew",
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => "Arabic",
        0x0700..=0x074F => "Syriac",
        0x0900..=0x097F => "Devanagari",
        0x0980..=0x09FF => "Bengali",
        0x0A00..=0x0AFF => "Gurmukhi/Gujarati",
        0x0B00..=0x0DFF => "Indic",
        0x0E00..=0x0E7F => "Thai",
        0x0E80..=0x0EFF => "Lao",
        0x0F00..=0x0FFF => "Tibetan",
        0x1000..=0x109F => "Myanmar",
        0x10A0..=0x10FF | 0x2D00..=0x2D2F | 0x1C90..=0x1CBF => "Georgian",
        0x13A0..=0x13FF => "Cherokee",
        0x1400..=0x167F | 0x18B0..=0x18FF => "Canadian syllabics",
        0x1680..=0x169F => "Ogham",
        0x16A0..=0x16FF => "Runic",
        0x1780..=0x17FF => "Khmer",
        0x1800..=0x18AF => "Mongolian",
        0x07C0..=0x07FF => "N'Ko",
        0x2800..=0x28FF => "Braille",
        0x2D30..=0x2D7F => "Tifinagh",
        0x1100..=0x11FF | 0xAC00..=0xD7AF | 0x3130..=0x318F => "Hangul",
        0x1200..=0x139F => "Ethiopic",
        0x3040..=0x309F => "Hiragana",
        0x30A0..=0x30FF => "Katakana",
        0x3000..=0x303F | 0xFF00..=0xFFEF => "CJK punctuation",
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x3FFFF => "Han",
        0x1F000..=0x1FAFF | 0x2600..=0x27BF => "Emoji/symbols",
        0x2190..=0x23FF | 0x2500..=0x25FF => "Symbols",
        0x3100..=0x312F | 0x31A0..=0x31BF => "Bopomofo",
        0xE000..=0xF8FF => "Private use",
        _ => "",
    };
    if name.is_empty() {
        format!("U+{u:04X}")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_keeps_the_most_asked_for_words_shaped_between_documents() {
        let word = |fonts: &mut Fonts, w: &str, times: usize| {
            for _ in 0..times {
                fonts.shape_shared(w, FontKey::SerifRegular, 10.0);
            }
        };
        let shaped_alone = {
            let mut fonts = Fonts::new();
            fonts.shaped.clear();
            fonts.shape("the", FontKey::SerifRegular, 10.0)
        };
        {
            let mut fonts = Fonts::new();
            fonts.shaped.clear();
            word(&mut fonts, "the", 5);
            // More words than a thread keeps, each asked for once.
            for i in 0..SHAPED_WORDS_KEPT {
                word(&mut fonts, &format!("w{i}"), 1);
            }
            fonts.shaped.insert((FontKey::Fallback(0), 10f32.to_bits()), HashMap::new());
        }
        let fonts = Fonts::new();
        let kept: usize = fonts.shaped.values().map(HashMap::len).sum();
        assert_eq!(kept, SHAPED_WORDS_KEPT);
        assert!(fonts.shaped.keys().all(|(k, _)| !matches!(k, FontKey::Fallback(_))));
        let words = fonts.shaped.get(&(FontKey::SerifRegular, 10f32.to_bits()));
        let (the, asked) = words.and_then(|w| w.get("the")).expect("the most asked-for word");
        // Asked for five times: the count is halved for the next document.
        assert_eq!(*asked, 2);
        assert_eq!(the.to_vec(), shaped_alone);
    }

    #[test]
    fn shapes_ligatures_and_kerning() {
        let mut f = Fonts::new();
        let g = f.shape("office", FontKey::SerifRegular, 10.0);
        // "ffi" ligature: fewer glyphs than characters, and the text layer keeps all letters.
        assert!(g.len() < 6);
        let text: String = g.iter().filter_map(|g| g.text.as_deref()).collect();
        assert_eq!(text, "office");
        let w: f32 = g.iter().map(|g| g.adv).sum();
        assert!(w > 15.0 && w < 40.0, "{w}");
    }

    #[test]
    fn every_family_has_true_italics() {
        let f = Fonts::new();
        for family in [Family::Serif, Family::Sans] {
            for bold in [false, true] {
                let v = |italic| Variant { bold, italic, ..Variant::default() };
                let (upright, italic) = (pick(family, v(false)), pick(family, v(true)));
                assert_ne!(upright, italic, "{family:?} bold={bold}");
                let face = f.face(italic).expect("shipped face loads");
                assert!(face.is_italic(), "{italic:?} is not an italic face");
                assert_eq!(face.is_bold(), bold, "{italic:?}");
                assert_eq!(italic.bold_italic(), (bold, true));
            }
        }
        // Sans headings ask for semibold; the sans family's bold italic sets them in italic.
        let heading = Variant { semibold: true, italic: true, ..Variant::default() };
        assert_eq!(pick(Family::Sans, heading), FontKey::SansBoldItalic);
    }

    #[test]
    fn covers_cyrillic_greek_and_reports_missing() {
        let mut f = Fonts::new();
        for k in ALL_FONTS {
            let g = f.shape("Жж Ωω", k, 10.0);
            assert!(g.iter().all(|g| g.gid != 0), "{k:?}");
        }
        assert!(f.missing.is_empty());
        let g = f.shape("漢字", FontKey::SerifRegular, 10.0);
        assert_eq!(g.len(), 2);
        assert_eq!(f.missing.get("Han"), Some(&2));
    }

    #[test]
    fn proportional_text_prefers_a_fallback_font_to_the_mono_face() {
        let armenian = "Հայաստան";
        // Without fallbacks the shipped mono face sets Armenian, and it is worth a fallback.
        let mut f = Fonts::new();
        let g = f.shape(armenian, FontKey::SerifRegular, 10.0);
        assert!(g.iter().all(|g| g.font == FontKey::MonoRegular && g.gid != 0));
        assert!(f.missing.is_empty());
        assert!(f.want_fallback.contains(&'Հ'));
        // With one, proportional text uses it; code keeps the mono face.
        let fallback = FontKey::MonoBold.shipped_bytes().unwrap_or_default();
        let mut f = Fonts::with_fallbacks(vec![fallback]);
        let g = f.shape(&format!("{armenian} text"), FontKey::SerifRegular, 10.0);
        let fonts: Vec<FontKey> = g.iter().map(|g| g.font).collect();
        assert!(fonts.iter().take(armenian.chars().count()).all(|k| *k == FontKey::Fallback(0)));
        assert_eq!(fonts.last(), Some(&FontKey::SerifRegular));
        assert!(g.iter().all(|g| g.gid != 0));
        let text: String = g.iter().filter_map(|g| g.text.as_deref()).collect();
        assert_eq!(text, format!("{armenian} text"));
        assert_eq!(f.from_fallback.values().sum::<usize>(), armenian.chars().count());
        assert!(f.used.contains(&FontKey::Fallback(0)));
        let g = f.shape(armenian, FontKey::MonoRegular, 10.0);
        assert!(g.iter().all(|g| g.font == FontKey::MonoRegular));
        // Bold text takes a bold fallback face when one is given, whatever the order.
        let regular = FontKey::MonoRegular.shipped_bytes().unwrap_or_default();
        let mut f = Fonts::with_fallbacks(vec![fallback, regular]);
        let g = f.shape(armenian, FontKey::SerifBold, 10.0);
        assert!(g.iter().all(|g| g.font == FontKey::Fallback(0)));
        let g = f.shape(armenian, FontKey::SansRegular, 10.0);
        assert!(g.iter().all(|g| g.font == FontKey::Fallback(1)));
        let g = f.shape(armenian, FontKey::SerifItalic, 10.0);
        assert!(g.iter().all(|g| g.font == FontKey::Fallback(0)), "no italic: the first");
    }

    #[test]
    fn fallback_fonts_cover_what_no_shipped_face_has() {
        // U+27BF is in DejaVu Sans Mono Bold only among the shipped files, and the bold mono
        // face is not in the fallback chain of regular text.
        let mut f = Fonts::new();
        f.shape("\u{27bf}", FontKey::SansRegular, 10.0);
        assert_eq!(f.missing.get("Emoji/symbols"), Some(&1));
        let unrelated = FontKey::SerifRegular.shipped_bytes().unwrap_or_default();
        let bold = FontKey::MonoBold.shipped_bytes().unwrap_or_default();
        let mut f = Fonts::with_fallbacks(vec![b"not a font".as_slice(), unrelated, bold]);
        let g = f.shape("\u{27bf}", FontKey::SansRegular, 10.0);
        assert_eq!(g.len(), 1);
        assert_eq!(g.first().map(|g| g.font), Some(FontKey::Fallback(2)));
        assert!(g.iter().all(|g| g.gid != 0));
        assert!(f.missing.is_empty());
        assert_eq!(FontKey::Fallback(2).resource_name(), "OFPFAC");
        assert_eq!(FontKey::Fallback(27).resource_name(), "OFPFBB");
    }
}
