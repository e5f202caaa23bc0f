//! A generated typographic cover: title, site and date set in the bundled fonts and
//! rasterised by offprint itself (rustybuzz shaping, ttf-parser outlines, an area-coverage
//! scanline rasteriser), encoded as PNG. Deterministic: no clock, no randomness; the colour
//! scheme is chosen from the publication's identifier.

use std::cell::Cell;
use std::sync::OnceLock;

use rustybuzz::ttf_parser::{GlyphId, OutlineBuilder};
use rustybuzz::{Face, UnicodeBuffer};

use super::meta::BookMeta;
use crate::error::{Error, Result};

const SERIF: &[u8] = include_bytes!("../../../fonts/LibertinusSerif-Semibold.otf");
const SANS: &[u8] = include_bytes!("../../../fonts/NotoSans-Regular.ttf");

const WIDTH: usize = 1200;
const HEIGHT: usize = 1800;
const MARGIN: f32 = 120.0;

type Rgb = [u8; 3];
type Point = (f32, f32);
type Segment = (Point, Point);

/// Background, text, accent.
const PALETTES: [(Rgb, Rgb, Rgb); 5] = [
    ([0x1d, 0x2b, 0x3a], [0xf3, 0xec, 0xd9], [0xd9, 0xa4, 0x41]),
    ([0x5a, 0x1e, 0x1e], [0xf5, 0xee, 0xe0], [0xe0, 0xb0, 0x6a]),
    ([0x1f, 0x3b, 0x2f], [0xf0, 0xef, 0xe2], [0xc9, 0xb3, 0x6b]),
    ([0xf4, 0xef, 0xe4], [0x1b, 0x1b, 0x1b], [0xa8, 0x2a, 0x1e]),
    ([0x2b, 0x2b, 0x2e], [0xee, 0xea, 0xe2], [0x7f, 0xb0, 0xc8]),
];

/// Render a cover PNG for `meta`. `None` when the bundled fonts cannot show the title
/// (a cover of missing-glyph boxes is worse than none).
pub(crate) fn render(meta: &BookMeta) -> Result<Option<Vec<u8>>> {
    let (serif, sans) = faces().ok_or_else(|| Error::emit("epub", "cover font"))?;

    let (bg, fg, accent) = PALETTES
        .get(usize::from(meta.identifier.as_bytes()[0]) % PALETTES.len())
        .copied()
        .unwrap_or(PALETTES[0]);
    let mut canvas = Canvas::new(WIDTH, HEIGHT, bg, fg, accent);
    let text_width = WIDTH as f32 - 2.0 * MARGIN;

    // Title: the serif if it covers the text, else the sans; shrink until it fits.
    let face = if covers(serif, &meta.title) {
        serif
    } else if covers(sans, &meta.title) {
        sans
    } else {
        return Ok(None);
    };
    let mut size = 120.0_f32;
    let mut lines = wrap(face, &meta.title, size, text_width);
    while size > 44.0
        && (lines.len() > 6 || lines.iter().any(|l| line_width(face, l, size) > text_width))
    {
        size *= 0.9;
        lines = wrap(face, &meta.title, size, text_width);
    }
    let leading = size * 1.15;
    let rtl = meta.rtl;

    // Site name in capitals, near the top.
    let mut y = 260.0;
    if let Some(site) = meta.cover_site.as_deref().filter(|s| covers(sans, s)) {
        let upper: String = site.to_uppercase();
        let site_size = 40.0;
        let mut site_lines = wrap(sans, &upper, site_size, text_width);
        site_lines.truncate(2);
        for l in &site_lines {
            draw_line(&mut canvas, sans, l, site_size, y, rtl, Ink::Accent);
            y += site_size * 1.4;
        }
    }
    // Title block starts a third of the way down (or below the site name).
    let has_site = y > 260.0;
    let mut baseline = (HEIGHT as f32 * 0.33).max(y + 80.0 + size);
    // A short rule under the site name, or just above the title when there is none.
    let rule_y = if has_site { y - 10.0 } else { baseline - size - 50.0 };
    canvas.fill_rect(
        if rtl { WIDTH as f32 - MARGIN - 160.0 } else { MARGIN },
        rule_y,
        160.0,
        6.0,
        Ink::Accent,
    );
    for l in &lines {
        draw_line(&mut canvas, face, l, size, baseline, rtl, Ink::Fg);
        baseline += leading;
    }

    let authors = meta.authors.join(", ");
    if !authors.is_empty() && covers(sans, &authors) {
        baseline += 40.0;
        let mut author_lines = wrap(sans, &authors, 44.0, text_width);
        author_lines.truncate(3);
        for l in &author_lines {
            draw_line(&mut canvas, sans, l, 44.0, baseline, rtl, Ink::Accent);
            baseline += 44.0 * 1.4;
        }
    }

    if let Some(d) = &meta.date {
        let date: String = d.w3c.chars().take(10).collect();
        draw_line(&mut canvas, sans, &date, 40.0, HEIGHT as f32 - 160.0, rtl, Ink::Fg);
    }

    canvas.png().map(Some)
}

/// The serif and sans faces, parsed once per process.
fn faces() -> Option<&'static (Face<'static>, Face<'static>)> {
    static FACES: OnceLock<Option<(Face<'static>, Face<'static>)>> = OnceLock::new();
    FACES.get_or_init(|| Some((Face::from_slice(SERIF, 0)?, Face::from_slice(SANS, 0)?))).as_ref()
}

/// Does `face` have a glyph for every visible character of `text`?
fn covers(face: &Face, text: &str) -> bool {
    text.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .all(|c| face.glyph_index(c).is_some() || is_format_char(c))
}

fn is_format_char(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// Shaped glyphs of one line: (glyph id, x offset in px, y offset in px), and the width.
fn shape(face: &Face, text: &str, size: f32) -> (Vec<(u16, f32, f32)>, f32) {
    let mut buf = UnicodeBuffer::new();
    buf.push_str(text);
    buf.guess_segment_properties();
    let out = rustybuzz::shape(face, &[], buf);
    let scale = size / face.units_per_em().max(1) as f32;
    let mut x = 0.0;
    let mut glyphs = Vec::with_capacity(out.len());
    for (info, pos) in out.glyph_infos().iter().zip(out.glyph_positions()) {
        let gid = u16::try_from(info.glyph_id).unwrap_or(0);
        glyphs.push((gid, x + pos.x_offset as f32 * scale, pos.y_offset as f32 * scale));
        x += pos.x_advance as f32 * scale;
    }
    (glyphs, x)
}

fn line_width(face: &Face, text: &str, size: f32) -> f32 {
    shape(face, text, size).1
}

/// Greedy line breaking at spaces.
fn wrap(face: &Face, text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let candidate = if cur.is_empty() { word.to_string() } else { format!("{cur} {word}") };
        if cur.is_empty() || line_width(face, &candidate, size) <= max {
            cur = candidate;
        } else {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Draw one line with its baseline at `y`, aligned to the start margin.
fn draw_line(canvas: &mut Canvas, face: &Face, text: &str, size: f32, y: f32, rtl: bool, ink: Ink) {
    let (glyphs, width) = shape(face, text, size);
    let x0 = if rtl { WIDTH as f32 - MARGIN - width } else { MARGIN };
    let scale = size / face.units_per_em().max(1) as f32;
    for (gid, gx, gy) in glyphs {
        let mut path = Path { scale, dx: x0 + gx, dy: y - gy, ..Path::default() };
        if face.outline_glyph(GlyphId(gid), &mut path).is_some() {
            path.close();
            canvas.fill_path(&path.lines, ink);
        }
    }
}

/// A glyph outline flattened to line segments in canvas pixels (y down).
#[derive(Default)]
struct Path {
    scale: f32,
    dx: f32,
    dy: f32,
    start: (f32, f32),
    last: (f32, f32),
    lines: Vec<Segment>,
}

impl Path {
    fn map(&self, x: f32, y: f32) -> (f32, f32) {
        (self.dx + x * self.scale, self.dy - y * self.scale)
    }
    fn push(&mut self, p: (f32, f32)) {
        self.lines.push((self.last, p));
        self.last = p;
    }
}

impl OutlineBuilder for Path {
    fn move_to(&mut self, x: f32, y: f32) {
        self.close();
        let p = self.map(x, y);
        self.start = p;
        self.last = p;
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.map(x, y);
        self.push(p);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let p0 = self.last;
        let p1 = self.map(x1, y1);
        let p2 = self.map(x, y);
        let n = 8;
        for i in 1..=n {
            let t = i as f32 / n as f32;
            let u = 1.0 - t;
            self.push((
                u * u * p0.0 + 2.0 * u * t * p1.0 + t * t * p2.0,
                u * u * p0.1 + 2.0 * u * t * p1.1 + t * t * p2.1,
            ));
        }
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let p0 = self.last;
        let p1 = self.map(x1, y1);
        let p2 = self.map(x2, y2);
        let p3 = self.map(x, y);
        let n = 12;
        for i in 1..=n {
            let t = i as f32 / n as f32;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            self.push((
                a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0,
                a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1,
            ));
        }
    }
    fn close(&mut self) {
        if self.last != self.start {
            let s = self.start;
            self.push(s);
        }
    }
}

/// Anti-aliasing levels per ink colour. The canvas is indexed: a pixel is the background
/// (index 0) or one ink at a coverage of `1..=LEVELS` steps; 127 steps are finer than the
/// eye can tell apart on a cover, and two inks plus the background fit one 8-bit palette.
const LEVELS: u8 = 127;

/// An ink (text colour) of the indexed canvas: its palette slot.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ink {
    Fg,
    Accent,
}

impl Ink {
    /// Palette index of this ink at `level` (1..=LEVELS).
    fn index(self, level: u8) -> u8 {
        match self {
            Ink::Fg => level,
            Ink::Accent => LEVELS + level,
        }
    }
}

/// The nearest of the `0..=LEVELS` coverage steps to `cov` (at least 0; clamped at 1).
fn level(cov: f32) -> u8 {
    // `+ 0.5` then truncation rounds the non-negative value without a libm call.
    (cov.min(1.0) * f32::from(LEVELS) + 0.5) as u8
}

/// The palette index of pixel `p` with `ink` painted over it at coverage `alpha` (0..=1].
fn over(p: u8, ink: Ink, alpha: f32) -> u8 {
    if alpha >= 1.0 {
        return ink.index(LEVELS);
    }
    let levels = f32::from(LEVELS);
    let a = alpha.min(1.0);
    // What the pixel holds: (ink, coverage 0..=1).
    let old = match p {
        0 => None,
        i if i <= LEVELS => Some((Ink::Fg, f32::from(i) / levels)),
        i => Some((Ink::Accent, f32::from(i - LEVELS) / levels)),
    };
    let (ink, cov) = match old {
        // The same ink over itself: source-over of coverages.
        Some((o, t)) if o == ink => (ink, t + a * (1.0 - t)),
        // Another ink (the layout never overlaps them): the stronger one wins.
        Some((o, t)) if t > a => (o, t),
        _ => (ink, a),
    };
    let level = level(cov);
    if level == 0 {
        0
    } else {
        ink.index(level)
    }
}

thread_local! {
    /// The pixel and coverage buffers of the last cover drawn on this thread, for the next
    /// one. A fresh 2 MB canvas is fresh memory from the system for every book (the
    /// allocator hands freed memory back within a millisecond), and faulting its pages in
    /// cost about as much as drawing the title: the books of a batch share one per thread.
    static SPARE: Cell<(Vec<u8>, Vec<f32>)> = const { Cell::new((Vec::new(), Vec::new())) };
}

impl Drop for Canvas {
    fn drop(&mut self) {
        let spare = (std::mem::take(&mut self.px), std::mem::take(&mut self.acc));
        SPARE.with(|s| s.set(spare));
    }
}

/// An indexed canvas: one byte a pixel (see [`LEVELS`]), encoded as a palette PNG. A flat
/// typographic page needs no more, and a third of the bytes of RGB makes filtering,
/// compressing and storing the cover that much cheaper.
struct Canvas {
    w: usize,
    h: usize,
    px: Vec<u8>,
    palette: Vec<u8>,
    /// Scratch coverage buffer of [`Canvas::fill_path`], kept between glyphs.
    acc: Vec<f32>,
}

impl Canvas {
    fn new(w: usize, h: usize, bg: Rgb, fg: Rgb, accent: Rgb) -> Self {
        let mut palette = Vec::with_capacity(3 * (2 * usize::from(LEVELS) + 1));
        palette.extend_from_slice(&bg);
        for ink in [fg, accent] {
            for level in 1..=LEVELS {
                let t = f32::from(level) / f32::from(LEVELS);
                for (b, c) in bg.iter().zip(ink) {
                    let v = f32::from(*b) + (f32::from(c) - f32::from(*b)) * t;
                    palette.push(v.round().clamp(0.0, 255.0) as u8);
                }
            }
        }
        let (mut px, acc) = SPARE.with(Cell::take);
        px.clear();
        px.resize(w * h, 0);
        Canvas { w, h, px, palette, acc }
    }

    /// Paint `ink` over pixel `(x, y)` with coverage `alpha` (0..=1).
    fn blend(&mut self, x: usize, y: usize, ink: Ink, alpha: f32) {
        if x >= self.w || y >= self.h || alpha <= 0.0 {
            return;
        }
        if let Some(p) = self.px.get_mut(y * self.w + x) {
            *p = over(*p, ink, alpha);
        }
    }

    fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, ink: Ink) {
        let (x0, y0) = (x.max(0.0) as usize, y.max(0.0) as usize);
        let (x1, y1) = ((x + w).max(0.0) as usize, (y + h).max(0.0) as usize);
        for yy in y0..y1.min(self.h) {
            for xx in x0..x1.min(self.w) {
                self.blend(xx, yy, ink, 1.0);
            }
        }
    }

    /// Fill a closed polygon set with area coverage (non-zero-ish accumulation, as in
    /// font-rs): signed area per cell along each edge, then a running sum per row.
    fn fill_path(&mut self, lines: &[Segment], ink: Ink) {
        let (mut minx, mut miny, mut maxx, mut maxy) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &((ax, ay), (bx, by)) in lines {
            minx = minx.min(ax).min(bx);
            maxx = maxx.max(ax).max(bx);
            miny = miny.min(ay).min(by);
            maxy = maxy.max(ay).max(by);
        }
        if lines.is_empty() || !(minx.is_finite() && maxx.is_finite()) {
            return;
        }
        let ox = minx.floor() - 1.0;
        let oy = miny.floor() - 1.0;
        let bw = (maxx - ox).ceil() as usize + 3;
        let bh = (maxy - oy).ceil() as usize + 2;
        if bw > 4 * self.w || bh > 4 * self.h {
            return;
        }
        // One accumulation buffer for every glyph of the cover, cleared to the glyph's size.
        let mut acc = std::mem::take(&mut self.acc);
        acc.clear();
        acc.resize(bw * bh + 1, 0.0);
        for &((ax, ay), (bx, by)) in lines {
            accumulate(&mut acc, bw, bh, (ax - ox, ay - oy), (bx - ox, by - oy));
        }
        // `ox` is a whole number: cell `col` of a row is canvas column `ox + col`.
        let xo = ox as isize;
        // Cells left of the canvas still feed the running sum; those right of it are skipped.
        let skip = usize::try_from(-xo).unwrap_or(0).min(bw);
        let first = usize::try_from(xo).unwrap_or(0);
        let visible = bw.saturating_sub(skip).min(self.w.saturating_sub(first));
        // Below half a level a pixel would round to what it was.
        let min_cov = 0.5 / f32::from(LEVELS);
        for (row, cells) in acc.chunks_exact(bw).enumerate() {
            let y = oy + row as f32;
            if y < 0.0 || y as usize >= self.h {
                continue;
            }
            let start = y as usize * self.w + first;
            let Some(line) = self.px.get_mut(start..start + visible) else { continue };
            let (hidden, shown) = cells.split_at(skip);
            let mut sum: f32 = hidden.iter().sum();
            for (cell, p) in shown.iter().zip(line.iter_mut()) {
                sum += cell;
                let cov = sum.abs();
                if cov >= min_cov {
                    *p = if *p == 0 { ink.index(level(cov)) } else { over(*p, ink, cov) };
                }
            }
        }
        self.acc = acc;
    }

    fn png(&self) -> Result<Vec<u8>> {
        // Covers encode to 1-4% of a byte a pixel (21-91 kB over the corpus): room for the
        // largest in one allocation.
        let mut out = Vec::with_capacity(self.w * self.h / 16);
        {
            let w = u32::try_from(self.w).map_err(|e| Error::emit("epub", e))?;
            let h = u32::try_from(self.h).map_err(|e| Error::emit("epub", e))?;
            let mut enc = png::Encoder::new(&mut out, w, h);
            enc.set_color(png::ColorType::Indexed);
            enc.set_depth(png::BitDepth::Eight);
            enc.set_palette(self.palette.as_slice());
            enc.set_compression(png::Compression::Fast);
            // Up, not the adaptive choice per row: the cover renders 13% faster for 15% more
            // bytes (about 10 KB). Unfiltered indices would be 2.6 times larger with this
            // fast deflate, which finds the runs that Up makes of repeated rows.
            enc.set_filter(png::Filter::Up);
            let mut wr = enc.write_header().map_err(|e| Error::emit("epub", e))?;
            wr.write_image_data(&self.px).map_err(|e| Error::emit("epub", e))?;
            wr.finish().map_err(|e| Error::emit("epub", e))?;
        }
        Ok(out)
    }
}

/// Add the signed area one edge contributes to each cell of a `w`×`h` accumulation buffer.
fn accumulate(acc: &mut [f32], w: usize, h: usize, p0: (f32, f32), p1: (f32, f32)) {
    if (p0.1 - p1.1).abs() <= f32::EPSILON {
        return;
    }
    let (dir, p0, p1) = if p0.1 < p1.1 { (1.0, p0, p1) } else { (-1.0, p1, p0) };
    let dxdy = (p1.0 - p0.0) / (p1.1 - p0.1);
    let mut x = p0.0;
    let y0 = p0.1.max(0.0) as usize;
    if p0.1 < 0.0 {
        x -= p0.1 * dxdy;
    }
    let mut add = |i: usize, v: f32| {
        if let Some(cell) = acc.get_mut(i) {
            *cell += v;
        }
    };
    let y_end = (p1.1.ceil().max(0.0) as usize).min(h);
    for y in y0..y_end {
        let line = y * w;
        let dy = ((y + 1) as f32).min(p1.1) - (y as f32).max(p0.1);
        let xnext = x + dxdy * dy;
        let d = dy * dir;
        let (x0, x1) = if x < xnext { (x, xnext) } else { (xnext, x) };
        let x0floor = x0.floor().max(0.0);
        let x0i = x0floor as usize;
        let x1ceil = x1.ceil().max(0.0);
        let x1i = x1ceil as usize;
        if x1i <= x0i + 1 {
            let xmf = 0.5 * (x + xnext) - x0floor;
            add(line + x0i, d - d * xmf);
            add(line + x0i + 1, d * xmf);
        } else {
            let s = (x1 - x0).recip();
            let x0f = x0 - x0floor;
            let a0 = 0.5 * s * (1.0 - x0f) * (1.0 - x0f);
            let x1f = x1 - x1ceil + 1.0;
            let am = 0.5 * s * x1f * x1f;
            add(line + x0i, d * a0);
            if x1i == x0i + 2 {
                add(line + x0i + 1, d * (1.0 - a0 - am));
            } else {
                let a1 = s * (1.5 - x0f);
                add(line + x0i + 1, d * (a1 - a0));
                for xi in x0i + 2..x1i - 1 {
                    add(line + xi, d * s);
                }
                let a2 = a1 + (x1i - x0i - 3) as f32 * s;
                add(line + x1i - 1, d * (1.0 - a2 - am));
            }
            add(line + x1i, d * am);
        }
        x = xnext;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    #[test]
    fn cover_is_a_deterministic_png() {
        let mut doc = Document::default();
        doc.meta.title = Some("A fairly long title that has to wrap over several lines".into());
        doc.meta.site = Some("The Example Times".into());
        doc.meta.date = Some("2024-03-28".into());
        let meta = BookMeta::from_doc(&doc, None);
        let a = render(&meta).unwrap().unwrap();
        assert!(a.starts_with(b"\x89PNG"));
        assert_eq!(Some(a), render(&meta).unwrap());
    }

    #[test]
    fn no_cover_when_fonts_lack_the_script() {
        let mut doc = Document::default();
        doc.meta.title = Some("漢字のタイトル".into());
        assert_eq!(render(&BookMeta::from_doc(&doc, None)).unwrap(), None);
    }
}
