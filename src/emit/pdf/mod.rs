//! PDF writer: book-quality pages from the document model.
//!
//! We own the typesetting; printpdf only emits. The pipeline:
//!
//! 1. [`layout`]: blocks → boxes (lines, rows, images) grouped with pagination constraints.
//!    Text is shaped with rustybuzz (kerning, ligatures) in the shipped fonts
//!    ([`fonts`]), hyphenated in the document's language and broken into lines by an
//!    optimal-fit algorithm over the whole paragraph ([`text`]).
//! 2. [`paginate`]: boxes → pages (keep-with-next, no widows/orphans, footnotes at the foot
//!    of the referencing page, repeated table headers).
//! 3. Render: pages → printpdf ops (glyph ids, absolute `Tm` positions, TJ kerning and
//!    justification), link annotations, images; fonts embedded and subset.
//! 4. [`post`]: lopdf post-processing (nested outline with precise destinations, `/Lang`,
//!    Info and XMP metadata, PDF 1.7, deterministic ids).

mod fonts;
mod layout;
mod paginate;
mod post;
mod text;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use printpdf::{
    Actions, BorderArray, Codepoint, Color, Destination, DictItem, FontId, Line, LineCapStyle,
    LinePoint, LinkAnnotation, Mm, Op, PaintMode, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, Rgb, TextItem, TextMatrix, WindingOrder,
    XObject, XObjectId, XObjectTransform,
};

use crate::error::{Error, Result};
use crate::model::Document;
use crate::style::{parse_hex, Style};

use fonts::{FontKey, Glyph, Variant};
use layout::{Draw, Layout, LinkTarget, C_CODEBG, C_HEAD, C_LINK, C_RULE, C_TEXT};
use paginate::{note_gap, Page};

/// Options for the PDF writer.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Seconds since the epoch used for the document dates when the document has no date
    /// (`SOURCE_DATE_EPOCH`); never the wall clock.
    pub source_date_epoch: Option<i64>,
    /// Page style (paper, margins, type); defaults to the built-in `print` style.
    pub style: Style,
    /// Image bytes by `Block::Figure::src`. Figures whose bytes are absent keep only their
    /// caption (the pipeline does no I/O).
    pub images: BTreeMap<String, Vec<u8>>,
    /// Font programs (TrueType or OpenType; of a collection, the first face) tried in order
    /// for characters no shipped font covers. The caller finds them (the CLI asks fontconfig
    /// for the characters [`uncovered_chars`] reports); the writer embeds the ones it uses,
    /// subset. Fonts that cannot be read are skipped with a warning.
    pub fallback_fonts: Vec<Vec<u8>>,
    /// Set a contents page after the title block: each chapter (top-level `##` heading, as
    /// a book's articles are) with its page number, linked to it; the first chapter starts
    /// a new page. For books; nothing with fewer than two chapters.
    pub contents: bool,
}

/// The characters of `doc` a fallback font would set (see [`PdfOptions::fallback_fonts`]):
/// those no shipped font covers, and those in proportional text only the shipped monospaced
/// face covers (e.g. Armenian or Georgian), as the writer would set the document with
/// `opts.style`. Characters still uncovered with no fallback font are set by the mono face,
/// or as `.notdef` boxes with a warning.
pub fn uncovered_chars(doc: &Document, opts: &PdfOptions) -> BTreeSet<char> {
    // Fast path: every character of the document (its serialised form holds all its text)
    // is in a proportional shipped face, so no layout is needed to know nothing is wanted.
    let shipped = fonts::Fonts::with_fallbacks(Vec::new());
    let covered = |c: char| {
        c.is_control()
            || [FontKey::SerifRegular, FontKey::SansRegular]
                .into_iter()
                .any(|k| shipped.face(k).is_some_and(|f| f.glyph_index(c).is_some()))
    };
    let mut seen = BTreeSet::new();
    // A book's contents page adds its heading ("المحتويات" for Arabic).
    let contents = if opts.contents { layout::contents_name(doc) } else { "" };
    let all_covered = match serde_json::to_string(doc) {
        Ok(json) => json
            .chars()
            .chain(contents.chars())
            .all(|c| c.is_ascii() || !seen.insert(c) || covered(c)),
        Err(_) => false,
    };
    if all_covered {
        return BTreeSet::new();
    }
    let mut lay = Layout::new(&opts.style, doc, &opts.images, Vec::new());
    lay.contents = opts.contents;
    lay.document(doc);
    let head_font = fonts::pick(opts.style.text.headings, Variant::default());
    lay.single_line(doc.title_or_default(), head_font, 10.0, C_RULE, None);
    std::mem::take(&mut lay.fonts.want_fallback)
}

/// Shipped font `i` (of [`fonts::ALL_FONTS`]) as printpdf reads it, parsed on first use
/// and once per process: a short article needs four or five of the eleven, and parsing one
/// copies it whole (a third of a megabyte). Clones share the parsed tables and the cache of
/// decoded glyphs.
fn shipped_parsed_font(i: usize) -> Option<&'static printpdf::ParsedFont> {
    static PARSED: [std::sync::OnceLock<Option<printpdf::ParsedFont>>; fonts::ALL_FONTS.len()] =
        [const { std::sync::OnceLock::new() }; fonts::ALL_FONTS.len()];
    let key = fonts::ALL_FONTS.get(i)?;
    PARSED
        .get(i)?
        .get_or_init(|| {
            let bytes = key.shipped_bytes().unwrap_or_default();
            printpdf::ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
        })
        .as_ref()
}

/// Write `doc` as PDF bytes.
pub fn write(doc: &Document, opts: &PdfOptions) -> Result<Vec<u8>> {
    write_with_warnings(doc, opts).map(|(bytes, _)| bytes)
}

/// Write `doc` as PDF bytes, also returning warnings: characters no shipped font covers
/// (by script, with counts; they are set as `.notdef` boxes but keep their text in the text
/// layer) and images that could not be decoded.
pub fn write_with_warnings(doc: &Document, opts: &PdfOptions) -> Result<(Vec<u8>, Vec<String>)> {
    let style = &opts.style;
    style.validate()?;
    let mut warnings = Vec::new();
    // Fallback fonts printpdf cannot read are left out (rustybuzz alone would accept them).
    let mut fallback = Vec::new();
    let mut fallback_parsed = Vec::new();
    for (i, bytes) in opts.fallback_fonts.iter().take(fonts::MAX_FALLBACKS).enumerate() {
        let mut font_warns = Vec::new();
        let face_ok = rustybuzz::Face::from_slice(bytes, 0).is_some();
        match printpdf::ParsedFont::from_bytes(bytes, 0, &mut font_warns) {
            Some(parsed) if face_ok => {
                fallback.push(bytes.as_slice());
                fallback_parsed.push(parsed);
            }
            _ => warnings.push(format!("fallback font {} cannot be read; skipped", i + 1)),
        }
    }
    let mut lay = Layout::new(style, doc, &opts.images, fallback);
    lay.contents = opts.contents;
    let mut groups = lay.document(doc);
    if !lay.contents_slots.is_empty() {
        // The contents' page numbers: paginate once, set them (the entries keep their
        // heights), and paginate again below, to the same pages.
        let pages = paginate::paginate(&groups, &lay.notes, lay.height, style.text.leading_pt);
        let mut page_of: BTreeMap<usize, usize> = BTreeMap::new();
        for (pi, page) in pages.iter().enumerate() {
            for h in page.boxes.iter().filter_map(|p| p.b.heading) {
                page_of.entry(h).or_insert(pi);
            }
        }
        drop(pages);
        for slot in std::mem::take(&mut lay.contents_slots) {
            if let (Some(pi), Some(g)) = (page_of.get(&slot.heading), groups.get_mut(slot.group)) {
                lay.set_page_number(g, pi + 1, slot.link);
            }
        }
    }
    let pages = paginate::paginate(&groups, &lay.notes, lay.height, style.text.leading_pt);

    let geo = Geometry::new(style);
    // Where headings and footnotes landed: (page index, y in PDF space).
    let mut heading_dest: BTreeMap<usize, (usize, f32)> = BTreeMap::new();
    let mut note_dest: BTreeMap<usize, (usize, f32)> = BTreeMap::new();
    for (pi, page) in pages.iter().enumerate() {
        for p in &page.boxes {
            if let Some(h) = p.b.heading {
                heading_dest.insert(h, (pi, geo.body_top - p.top + style.text.leading_pt * 0.3));
            }
        }
        for (id, top) in note_positions(page, &lay, &geo) {
            note_dest.insert(id, (pi, geo.body_top - top + 6.0));
        }
    }

    // Running header text.
    let head_font = fonts::pick(style.text.headings, Variant::default());
    let head_size = style.text.size_pt * 0.78;
    let mut running = lay.single_line(doc.title_or_default(), head_font, head_size, C_RULE, None);
    fit_running_header(&mut running, &mut lay, head_font, head_size, geo.width * 0.8);

    let num_font = fonts::pick(style.text.body, Variant::default());
    let numbers: Vec<Vec<(Glyph, f32)>> = (1..=pages.len())
        .map(|n| lay.single_line(&n.to_string(), num_font, style.text.size_pt * 0.85, C_RULE, None))
        .collect();
    let palette = Palette::new(style);
    let dests = Dests { notes: &note_dest, headings: &heading_dest };
    let mut pdf_pages = Vec::with_capacity(pages.len());
    // Last page first, so that each glyph's text is kept only on its last use (see
    // `keep_last_texts`) before the strings of the page before are made.
    let mut last_texts = LastTexts::default();
    for (pi, (page, number)) in pages.iter().zip(&numbers).enumerate().rev() {
        let mut r = Renderer {
            ops: Vec::new(),
            geo: &geo,
            palette: &palette,
            fonts: &lay.fonts,
            font: None,
            fill: None,
        };
        r.page(page, pi, &lay, &dests, &running, number);
        keep_last_texts(&mut r.ops, &mut last_texts);
        pdf_pages.push(PdfPage::new(Mm(style.page.width_mm), Mm(style.page.height_mm), r.ops));
    }
    pdf_pages.reverse();
    // The laid-out pages are in the operations now: free them before printpdf serialises
    // (a long article's glyph boxes are megabytes).
    drop(pages);
    drop(groups);

    let mut pdf = PdfDocument::new(doc.title_or_default());
    pdf.pages = pdf_pages;
    for (i, key) in fonts::ALL_FONTS.into_iter().enumerate() {
        if !lay.fonts.used.contains(&key) {
            continue;
        }
        let parsed = shipped_parsed_font(i)
            .cloned()
            .ok_or_else(|| Error::emit("pdf", format!("cannot parse the shipped font {key:?}")))?;
        pdf.resources.fonts.map.insert(FontId(key.resource_name()), PdfFont::new(parsed));
    }
    for (key, parsed) in lay.fonts.fallback_keys().zip(fallback_parsed) {
        if lay.fonts.used.contains(&key) {
            pdf.resources.fonts.map.insert(FontId(key.resource_name()), PdfFont::new(parsed));
        }
    }
    for (id, img) in &lay.images {
        pdf.resources.xobjects.map.insert(XObjectId(id.clone()), XObject::Image(img.clone()));
    }
    let save = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        // Lossless Flate for every image: without options printpdf stores raw pixels
        // (megabytes per photograph); its defaults would re-encode line art as JPEG.
        image_optimization: Some(printpdf::ImageOptimizationOptions {
            quality: None,
            max_image_size: None,
            dither_greyscale: None,
            convert_to_greyscale: Some(false),
            auto_optimize: Some(false),
            format: Some(printpdf::ImageCompression::Flate),
        }),
    };
    let mut pdf_warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&save, &mut pdf_warnings);
    drop(pdf);

    let outline: Vec<post::OutlineItem> = lay
        .headings
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            heading_dest.get(&i).map(|(page, y)| post::OutlineItem {
                level: h.level,
                title: h.title.clone(),
                page: *page,
                x: geo.left,
                y: *y,
            })
        })
        .collect();
    post::finish(&mut lo, doc, opts, &outline)?;
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| Error::emit("pdf", e))?;

    let fallback_note = if opts.fallback_fonts.is_empty() { "" } else { " or the fallback fonts" };
    for (script, count) in &lay.fonts.missing {
        warnings.push(format!(
            "{count} character(s) in {script} are not covered by the shipped fonts{fallback_note}; they show as empty boxes (the text layer keeps them)"
        ));
    }
    warnings.extend(lay.warnings.iter().cloned());
    Ok((out, warnings))
}

/// Keep each glyph's text (for the ToUnicode map) only on its last use in the document.
/// printpdf builds that map from every use in page order, the last one winning, and for a
/// use without text looks the glyph up in the font and keeps nothing; so the map comes out
/// the same, without a string held per glyph of the document until it is serialised (3 MB
/// of a long Wikipedia article's 34). Pages go last to first; `seen` holds the (font, glyph)
/// pairs whose text a later page or run keeps.
fn keep_last_texts(ops: &mut [Op], seen: &mut LastTexts) {
    // The font each text run is set in (a page's runs follow its own `SetFont`s).
    let mut font: Option<usize> = None;
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        match op {
            Op::SetFont { font: PdfFontHandle::External(FontId(name)), .. } => {
                font = Some(match seen.fonts.iter().position(|f| f == name) {
                    Some(k) => k,
                    None => {
                        seen.fonts.push(name.clone());
                        seen.fonts.len() - 1
                    }
                });
            }
            Op::SetFont { .. } => font = None,
            Op::ShowText { .. } => {
                if let Some(f) = font {
                    runs.push((i, f));
                }
            }
            _ => {}
        }
    }
    for (i, f) in runs.into_iter().rev() {
        let Some(Op::ShowText { items }) = ops.get_mut(i) else { continue };
        for item in items.iter_mut().rev() {
            let TextItem::GlyphIds(cps) = item else { continue };
            for cp in cps.iter_mut().rev() {
                if cp.cid.is_some() && !seen.used.insert((f, cp.gid)) {
                    cp.cid = None;
                }
            }
        }
    }
}

/// What [`keep_last_texts`] has seen on later pages: fonts by resource name, and the
/// (font, glyph) pairs whose text is kept.
#[derive(Default)]
struct LastTexts {
    fonts: Vec<String>,
    used: HashSet<(usize, u16)>,
}

/// Page geometry in points.
struct Geometry {
    page_h: f32,
    left: f32,
    width: f32,
    body_top: f32,
    body_h: f32,
    margin_top: f32,
    margin_bottom: f32,
}

fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

impl Geometry {
    fn new(style: &Style) -> Geometry {
        let p = &style.page;
        Geometry {
            page_h: mm(p.height_mm),
            left: mm(p.margin_left_mm),
            width: mm(p.width_mm - p.margin_left_mm - p.margin_right_mm),
            body_top: mm(p.height_mm - p.margin_top_mm),
            body_h: mm(p.height_mm - p.margin_top_mm - p.margin_bottom_mm),
            margin_top: mm(p.margin_top_mm),
            margin_bottom: mm(p.margin_bottom_mm),
        }
    }
}

/// Colours by palette index.
struct Palette {
    colors: [[f32; 3]; 5],
}

impl Palette {
    fn new(style: &Style) -> Palette {
        let c = |s: &str, d: [f32; 3]| parse_hex(s).unwrap_or(d);
        let text = c(&style.colors.text, [0.1, 0.1, 0.1]);
        let rules = c(&style.colors.rules, [0.55, 0.55, 0.55]);
        // Code background: the rule colour, very light.
        let bg = [0.0, 1.0, 2.0].map(|i: f32| {
            let v = rules[i as usize];
            1.0 - (1.0 - v) * 0.12
        });
        let mut colors = [[0.0; 3]; 5];
        colors[C_TEXT as usize] = text;
        colors[C_HEAD as usize] = c(&style.colors.headings, text);
        colors[C_LINK as usize] = c(&style.colors.links, [0.1, 0.3, 0.55]);
        colors[C_RULE as usize] = rules;
        colors[C_CODEBG as usize] = bg;
        Palette { colors }
    }

    fn get(&self, i: u8) -> Color {
        let [r, g, b] = self.colors.get(i as usize).copied().unwrap_or([0.0, 0.0, 0.0]);
        Color::Rgb(Rgb { r, g, b, icc_profile: None })
    }
}

/// Footnote boxes of a page with their tops (from the text-area top).
fn note_positions(page: &Page, lay: &Layout, geo: &Geometry) -> Vec<(usize, f32)> {
    let total: f32 = page
        .notes
        .iter()
        .map(|id| {
            lay.notes.get(id).map(|bs| bs.iter().map(|b| b.height).sum::<f32>()).unwrap_or(0.0)
        })
        .sum();
    let mut top = geo.body_h - total;
    let mut out = Vec::new();
    for id in &page.notes {
        out.push((*id, top));
        top += lay.notes.get(id).map(|bs| bs.iter().map(|b| b.height).sum::<f32>()).unwrap_or(0.0);
    }
    out
}

fn fit_running_header(
    glyphs: &mut Vec<(Glyph, f32)>,
    lay: &mut Layout,
    font: FontKey,
    size: f32,
    max: f32,
) {
    let width = glyphs.last().map(|(g, x)| x + g.adv).unwrap_or(0.0);
    if width <= max {
        return;
    }
    let ell = lay.single_line("…", font, size, C_RULE, None);
    let ell_w: f32 = ell.iter().map(|(g, _)| g.adv).sum();
    glyphs.retain(|(g, x)| x + g.adv <= max - ell_w);
    // Cut at a word boundary when there is one, and do not end on a space.
    if let Some(space) = glyphs.iter().rposition(|(g, _)| g.text.as_deref() == Some(" ")) {
        glyphs.truncate(space);
    }
    while glyphs.last().is_some_and(|(g, _)| g.text.as_deref() == Some(" ")) {
        glyphs.pop();
    }
    let end = glyphs.last().map(|(g, x)| x + g.adv).unwrap_or(0.0);
    for (g, x) in ell {
        glyphs.push((g, end + x));
    }
}

/// Where footnotes (by id) and headings (by index in `Layout::headings`) landed:
/// (page index, y in PDF space).
struct Dests<'a> {
    notes: &'a BTreeMap<usize, (usize, f32)>,
    headings: &'a BTreeMap<usize, (usize, f32)>,
}

/// A set line placed on the page: x, baseline y, glyphs.
type TextAt<'a> = (f32, f32, &'a [(Glyph, f32)]);

struct Renderer<'a> {
    ops: Vec<Op>,
    geo: &'a Geometry,
    palette: &'a Palette,
    fonts: &'a fonts::Fonts<'a>,
    font: Option<(FontKey, f32)>,
    fill: Option<u8>,
}

impl Renderer<'_> {
    fn page(
        &mut self,
        page: &Page,
        index: usize,
        lay: &Layout,
        dests: &Dests,
        running: &[(Glyph, f32)],
        number: &[(Glyph, f32)],
    ) {
        let geo = self.geo;
        let mut texts: Vec<TextAt> = Vec::new();
        let mut links: Vec<(Rect, Actions)> = Vec::new();
        // Graphics first (backgrounds under text), then one text section.
        let mut graphics: Vec<Op> = Vec::new();
        let mut boxes: Vec<(f32, bool, &[Draw])> = Vec::new();
        for p in &page.boxes {
            boxes.push((geo.body_top - p.top, p.at_top, &p.b.draws));
        }
        let notes = note_positions(page, lay, geo);
        if let Some((_, first_top)) = notes.first() {
            // Separator rule above the notes.
            let y = geo.body_top - first_top + note_gap(lay.style.text.leading_pt) * 0.55;
            graphics.extend(self.rule_ops(geo.left, geo.left + geo.width * 0.3, y, 0.5, C_RULE));
        }
        let mut note_boxes: Vec<(f32, bool, &[Draw])> = Vec::new();
        for (id, top) in &notes {
            let mut t = *top;
            for b in lay.notes.get(id).map(|v| v.as_slice()).unwrap_or(&[]) {
                note_boxes.push((geo.body_top - t, false, &b.draws));
                t += b.height;
            }
        }
        for (top_pdf, at_top, draws) in boxes.iter().chain(note_boxes.iter()) {
            for d in draws.iter() {
                match d {
                    Draw::Text { x, baseline, glyphs } => {
                        texts.push((geo.left + x, top_pdf - baseline, glyphs.as_slice()));
                    }
                    Draw::Rule { x0, x1, dy, width, color } => {
                        graphics.extend(self.rule_ops(
                            geo.left + x0,
                            geo.left + x1,
                            top_pdf - dy,
                            *width,
                            *color,
                        ));
                    }
                    Draw::Fill { x, dy, w, h, color, extend_up } => {
                        let up = if *at_top { 0.0 } else { *extend_up };
                        let y = top_pdf - dy - h;
                        graphics.push(Op::SetFillColor { col: self.palette.get(*color) });
                        let mut r = Rect::from_xywh(Pt(geo.left + x), Pt(y), Pt(*w), Pt(h + up));
                        r.mode = Some(PaintMode::Fill);
                        graphics.push(Op::DrawRectangle { rectangle: r });
                    }
                    Draw::Image { id, x, dy, w, h, px_w, px_h } => {
                        graphics.push(Op::UseXobject {
                            id: XObjectId(id.clone()),
                            transform: XObjectTransform {
                                translate_x: Some(Pt(geo.left + x)),
                                translate_y: Some(Pt(top_pdf - dy - h)),
                                scale_x: Some(w / px_w),
                                scale_y: Some(h / px_h),
                                dpi: Some(72.0),
                                ..Default::default()
                            },
                        });
                    }
                    Draw::Arrow { x, baseline, size } => {
                        let bx = geo.left + x;
                        let by = top_pdf - baseline;
                        let s = *size;
                        let pts =
                            [(bx, by + s * 0.9), (bx, by + s * 0.25), (bx + s, by + s * 0.25)];
                        graphics.push(Op::SetOutlineColor { col: self.palette.get(C_RULE) });
                        graphics.push(Op::SetOutlineThickness { pt: Pt(0.6) });
                        graphics.push(Op::DrawLine { line: polyline(&pts) });
                        let head = [
                            (bx + s * 0.7, by + s * 0.5),
                            (bx + s, by + s * 0.25),
                            (bx + s * 0.7, by),
                        ];
                        graphics.push(Op::DrawLine { line: polyline(&head) });
                    }
                    Draw::Dot { x, baseline, r } => {
                        let cx = geo.left + x;
                        let cy = top_pdf - baseline;
                        graphics.push(Op::SetFillColor { col: self.palette.get(C_TEXT) });
                        graphics.push(Op::DrawPolygon { polygon: circle(cx, cy, *r) });
                    }
                }
            }
        }
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetLineCapStyle { cap: LineCapStyle::Butt });
        self.ops.extend(graphics);
        self.ops.push(Op::RestoreGraphicsState);
        self.fill = None;

        self.ops.push(Op::StartTextSection);
        // Running header (not on the first page, which carries the title block).
        if index > 0 && !running.is_empty() {
            let w = running.last().map(|(g, x)| x + g.adv).unwrap_or(0.0);
            let x = geo.left + (geo.width - w) / 2.0;
            let y = geo.page_h - (geo.margin_top * 0.5).max(28.0);
            self.text(x, y, running);
        }
        // A word hyphenated across two lines: its first part (with the hyphen) carries the
        // whole word as ActualText and its second part an empty one, so text extraction
        // (also with -layout) gives the word back without the added hyphen, on its line,
        // even across a page break.
        for (x, y, glyphs) in &texts {
            let (x, y) = (*x, *y);
            let mut rest: &[(Glyph, f32)] = glyphs;
            if rest.first().is_some_and(|(g, _)| g.mark & fonts::CONTINUES_WORD != 0) {
                let end = rest
                    .iter()
                    .position(|(g, _)| g.text.as_deref() == Some(" "))
                    .unwrap_or(rest.len());
                let (head, tail) = rest.split_at(end);
                self.ops.push(actual_text_begin(""));
                self.text(x, y, head);
                self.ops.push(Op::EndMarkedContent);
                rest = tail;
            }
            let word = rest.last().and_then(|(g, _)| g.actual.as_deref());
            if let Some(word) = word {
                let start = rest
                    .iter()
                    .rposition(|(g, _)| g.text.as_deref() == Some(" "))
                    .map(|i| i + 1)
                    .unwrap_or(0);
                let (head, frag) = rest.split_at(start);
                self.text(x, y, head);
                self.ops.push(actual_text_begin(word));
                self.text(x, y, frag);
                self.ops.push(Op::EndMarkedContent);
            } else {
                self.text(x, y, rest);
            }
            // Link areas.
            let mut i = 0;
            while i < glyphs.len() {
                let Some(link) = glyphs[i].0.link else {
                    i += 1;
                    continue;
                };
                // One area per link and line: the spaces between a link's words may not
                // carry the link, but the area runs across them.
                let mut j = i;
                loop {
                    let next =
                        glyphs[j + 1..].iter().position(|(g, _)| g.text.as_deref() != Some(" "));
                    match next.map(|k| j + 1 + k) {
                        Some(k) if glyphs[k].0.link == Some(link) => j = k,
                        _ => break,
                    }
                }
                let (g0, x0) = &glyphs[i];
                let (g1, x1) = &glyphs[j];
                let size = g0.size.max(g1.size);
                let rect = Rect::from_xywh(
                    Pt(x + x0),
                    Pt(y + g0.rise - size * 0.25),
                    Pt(x1 + g1.adv - x0),
                    Pt(size * 1.05),
                );
                let goto = |&(p, top): &(usize, f32)| {
                    Actions::Goto(Destination::Xyz {
                        page: p + 1,
                        left: Some(geo.left),
                        top: Some(top),
                        zoom: None,
                    })
                };
                let action = match lay.links.get(link as usize) {
                    Some(LinkTarget::Uri(u)) => Some(Actions::Uri(u.clone())),
                    Some(LinkTarget::Footnote(id)) => dests.notes.get(id).map(goto),
                    Some(LinkTarget::Heading(h)) => dests.headings.get(h).map(goto),
                    None => None,
                };
                if let Some(a) = action {
                    links.push((rect, a));
                }
                i = j + 1;
            }
        }
        self.ops.push(Op::EndTextSection);
        // Page number, centred in the bottom margin.
        self.page_number(number);
        for (rect, action) in links {
            self.ops.push(Op::LinkAnnotation {
                link: LinkAnnotation::new(
                    rect,
                    action,
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    None,
                    None,
                ),
            });
        }
    }

    fn page_number(&mut self, glyphs: &[(Glyph, f32)]) {
        if glyphs.is_empty() {
            return;
        }
        let w = glyphs.last().map(|(g, x)| x + g.adv).unwrap_or(0.0);
        let x = self.geo.left + (self.geo.width - w) / 2.0;
        let y = (self.geo.margin_bottom * 0.45).max(26.0);
        self.ops.push(Op::StartTextSection);
        self.text(x, y, glyphs);
        self.ops.push(Op::EndTextSection);
    }

    fn rule_ops(&self, x0: f32, x1: f32, y: f32, width: f32, color: u8) -> Vec<Op> {
        vec![
            Op::SetOutlineColor { col: self.palette.get(color) },
            Op::SetOutlineThickness { pt: Pt(width) },
            Op::DrawLine { line: polyline(&[(x0, y), (x1, y)]) },
        ]
    }

    /// Emit positioned glyphs: one `Tm` + `TJ` per run of the same font, size, rise and colour.
    fn text(&mut self, x: f32, y: f32, glyphs: &[(Glyph, f32)]) {
        let mut i = 0;
        while i < glyphs.len() {
            let (g0, _) = &glyphs[i];
            let mut j = i;
            while j + 1 < glyphs.len() {
                let g = &glyphs[j + 1].0;
                if g.font != g0.font
                    || g.size != g0.size
                    || g.rise != g0.rise
                    || g.color != g0.color
                    || (g.gid == 0) != (g0.gid == 0)
                {
                    break;
                }
                j += 1;
            }
            if self.font != Some((g0.font, g0.size)) {
                self.ops.push(Op::SetFont {
                    font: PdfFontHandle::External(FontId(g0.font.resource_name())),
                    size: Pt(g0.size),
                });
                self.font = Some((g0.font, g0.size));
            }
            if self.fill != Some(g0.color) {
                self.ops.push(Op::SetFillColor { col: self.palette.get(g0.color) });
                self.fill = Some(g0.color);
            }
            let run = &glyphs[i..=j];
            let mut cps = Vec::with_capacity(run.len());
            for (k, (g, gx)) in run.iter().enumerate() {
                let offset = match run.get(k + 1) {
                    Some((_, nx)) => {
                        let nominal = self.fonts.nominal_width(g.font, g.gid);
                        let actual = (nx - gx) * 1000.0 / g.size;
                        let o = nominal - actual;
                        if o.abs() < 0.05 {
                            0.0
                        } else {
                            (o * 100.0).round() / 100.0
                        }
                    }
                    None => 0.0,
                };
                cps.push(Codepoint {
                    gid: g.gid,
                    offset,
                    cid: g.text.as_deref().map(String::from),
                });
            }
            let x0 = x + run.first().map(|(_, gx)| *gx).unwrap_or(0.0);
            self.ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(round2(x0)), Pt(round2(y + g0.rise))),
            });
            if g0.gid == 0 {
                // `.notdef` glyphs share one ToUnicode entry; keep their real text with an
                // ActualText span so extraction gives the characters back.
                let text: String = run.iter().filter_map(|(g, _)| g.text.as_deref()).collect();
                self.ops.push(actual_text_begin(&text));
                self.ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(cps)] });
                self.ops.push(Op::EndMarkedContent);
            } else {
                self.ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(cps)] });
            }
            i = j + 1;
        }
    }
}

/// `/Span <</ActualText (…)>> BDC`.
fn actual_text_begin(text: &str) -> Op {
    let mut data = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        data.extend_from_slice(&u.to_be_bytes());
    }
    let mut map = BTreeMap::new();
    map.insert("ActualText".to_string(), DictItem::String { data, literal: false });
    Op::BeginMarkedContentWithProperties { tag: "Span".into(), properties: DictItem::Dict { map } }
}

fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn polyline(pts: &[(f32, f32)]) -> Line {
    Line {
        points: pts
            .iter()
            .map(|(x, y)| LinePoint { p: Point { x: Pt(*x), y: Pt(*y) }, bezier: false })
            .collect(),
        is_closed: false,
    }
}

fn circle(cx: f32, cy: f32, r: f32) -> Polygon {
    // Four Bézier arcs.
    let k = 0.552_284_8 * r;
    let p = |x: f32, y: f32, bezier: bool| LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier };
    let points = vec![
        p(cx + r, cy, false),
        p(cx + r, cy + k, true),
        p(cx + k, cy + r, true),
        p(cx, cy + r, false),
        p(cx - k, cy + r, true),
        p(cx - r, cy + k, true),
        p(cx - r, cy, false),
        p(cx - r, cy - k, true),
        p(cx - k, cy - r, true),
        p(cx, cy - r, false),
        p(cx + k, cy - r, true),
        p(cx + r, cy - k, true),
        p(cx + r, cy, false),
    ];
    Polygon {
        rings: vec![PolygonRing { points }],
        mode: PaintMode::Fill,
        winding_order: WindingOrder::NonZero,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_font(name: &str) -> Op {
        Op::SetFont { font: PdfFontHandle::External(FontId(name.into())), size: Pt(10.0) }
    }

    fn show(glyphs: &[(u16, Option<&str>)]) -> Op {
        let cps = glyphs
            .iter()
            .map(|(gid, t)| Codepoint { gid: *gid, offset: 0.0, cid: t.map(String::from) })
            .collect();
        Op::ShowText { items: vec![TextItem::GlyphIds(cps)] }
    }

    fn texts(ops: &[Op]) -> Vec<Vec<Option<String>>> {
        ops.iter()
            .filter_map(|op| match op {
                Op::ShowText { items } => match items.first() {
                    Some(TextItem::GlyphIds(cps)) => {
                        Some(cps.iter().map(|c| c.cid.clone()).collect())
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    #[test]
    fn each_glyph_keeps_its_text_only_on_its_last_use() {
        // Pages are handed over last first, as the writer does.
        let mut seen = LastTexts::default();
        let mut page2 = vec![set_font("F1"), show(&[(5, Some("a")), (6, None)])];
        keep_last_texts(&mut page2, &mut seen);
        let mut page1 = vec![
            set_font("F1"),
            show(&[(5, Some("a")), (7, Some("b")), (6, Some("c")), (7, Some("b"))]),
            set_font("F2"),
            show(&[(5, Some("x")), (6, Some("c"))]),
        ];
        keep_last_texts(&mut page1, &mut seen);
        let s = |t: &str| Some(t.to_string());
        // Glyph 5 of F1 keeps its text on page 2 only, 7 on its second use; F2's glyphs are
        // another font's. Glyph 6 of F1 has no text on its last use (printpdf looks that one
        // up in the font, as before), so its earlier use keeps its text.
        assert_eq!(texts(&page2), vec![vec![s("a"), None]]);
        assert_eq!(texts(&page1), vec![vec![None, None, s("c"), s("b")], vec![s("x"), s("c")]]);
    }
}
