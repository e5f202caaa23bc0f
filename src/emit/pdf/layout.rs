//! Block layout: the document model → vertical boxes grouped with pagination constraints.

use std::collections::BTreeMap;
use std::rc::Rc;

use hyphenation::Language;

use super::fonts::{pick, FontKey, Fonts, Glyph, Variant};
use super::text::{set_paragraph, Piece, SetLine, Span};
use crate::model::{inlines_text, Block, Document, Inline};
use crate::style::{Family, Style};

/// Palette indices.
pub(crate) const C_TEXT: u8 = 0;
pub(crate) const C_HEAD: u8 = 1;
pub(crate) const C_LINK: u8 = 2;
pub(crate) const C_RULE: u8 = 3;
pub(crate) const C_CODEBG: u8 = 4;

/// Where a link goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LinkTarget {
    Uri(String),
    Footnote(usize),
    /// A heading of the document, by its index in [`Layout::headings`].
    Heading(usize),
}

/// Something drawn inside a box. `x` is from the text area's left edge, `dy` from the box top.
#[derive(Debug, Clone)]
pub(crate) enum Draw {
    /// A set line; glyph x positions are relative to `x`; `baseline` from the box top.
    Text { x: f32, baseline: f32, glyphs: Vec<(Glyph, f32)> },
    /// A horizontal rule.
    Rule { x0: f32, x1: f32, dy: f32, width: f32, color: u8 },
    /// A filled rectangle.
    Fill { x: f32, dy: f32, w: f32, h: f32, color: u8, extend_up: f32 },
    /// An image XObject.
    Image { id: String, x: f32, dy: f32, w: f32, h: f32, px_w: f32, px_h: f32 },
    /// A continuation arrow (code lines), drawn as a path so it stays out of the text layer.
    Arrow { x: f32, baseline: f32, size: f32 },
    /// A round bullet.
    Dot { x: f32, baseline: f32, r: f32 },
}

/// A vertical box: one line, a table row, an image.
#[derive(Debug, Clone, Default)]
pub(crate) struct VBox {
    pub height: f32,
    pub draws: Vec<Draw>,
    /// Footnotes referenced from this box.
    pub footnotes: Vec<usize>,
    /// Outline entry index of a heading starting here.
    pub heading: Option<usize>,
    /// Footnote defined here.
    pub note_def: Option<usize>,
}

/// Boxes that paginate together.
#[derive(Debug, Clone, Default)]
pub(crate) struct Group {
    pub boxes: Vec<VBox>,
    pub space_before: f32,
    /// Can break between boxes (with ≥2 boxes on each side).
    pub splittable: bool,
    /// Keep on the same page as the start of the next group.
    pub keep_with_next: bool,
    /// Boxes to repeat at the top of a page when this group starts one (table headers).
    pub repeat_header: Option<Rc<Vec<VBox>>>,
    /// Start a new page (the first chapter after a book's contents).
    pub break_before: bool,
}

/// A contents entry whose page number is set once the book is paginated
/// ([`Layout::set_page_number`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContentsSlot {
    /// The entry's group in [`Layout::document`]'s output.
    pub group: usize,
    /// The chapter heading, by its index in [`Layout::headings`].
    pub heading: usize,
    /// The entry's link (to the heading), for its number too.
    pub link: usize,
}

/// Fewest chapters that make a contents page worth its page.
const CONTENTS_MIN_CHAPTERS: usize = 2;

/// The smallest a table's text is set, as a share of its usual size, so that its longest
/// words fit side by side: 0.8 of the table size is about 7.5 pt on the print style, still
/// comfortable to read; a table wider even then has its words broken.
const TABLE_MIN_SCALE: f32 = 0.8;

/// One outline entry.
#[derive(Debug, Clone)]
pub(crate) struct Heading {
    pub level: u8,
    pub title: String,
}

/// Layout environment for a block.
#[derive(Debug, Clone, Copy)]
struct Env {
    left: f32,
    width: f32,
    size: f32,
    leading: f32,
    family: Family,
    italic: bool,
    bold: bool,
    justify: bool,
    color: u8,
    list_depth: usize,
    /// Headings: semibold rather than bold in the serif family.
    heading: bool,
}

/// The block layouter.
pub(crate) struct Layout<'a> {
    pub style: &'a Style,
    pub fonts: Fonts<'a>,
    pub links: Vec<LinkTarget>,
    pub headings: Vec<Heading>,
    pub notes: BTreeMap<usize, Vec<VBox>>,
    pub images: Vec<(String, printpdf::RawImage)>,
    image_bytes: &'a BTreeMap<String, Vec<u8>>,
    pub warnings: Vec<String>,
    lang: Option<Language>,
    note_ids: std::collections::BTreeSet<usize>,
    /// Heading anchors of the body (see [`Document::heading_anchors`]) → index of the heading
    /// in [`Layout::headings`], which takes headings in the same order.
    anchors: BTreeMap<String, usize>,
    /// Text area width and height.
    pub width: f32,
    pub height: f32,
    /// Set a contents page after the title block (books: see `PdfOptions::contents`).
    pub contents: bool,
    /// The contents entries laid out, waiting for their page numbers.
    pub contents_slots: Vec<ContentsSlot>,
}

fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

impl<'a> Layout<'a> {
    pub(crate) fn new(
        style: &'a Style,
        doc: &Document,
        images: &'a BTreeMap<String, Vec<u8>>,
        fallback_fonts: Vec<&'a [u8]>,
    ) -> Self {
        let p = &style.page;
        let lang = doc
            .meta
            .lang
            .as_deref()
            .map(super::text::language_for_tag)
            .unwrap_or(Some(Language::EnglishUS));
        // Headings in footnotes are left out: they are not link destinations.
        let body_headings = crate::model::heading_texts(&doc.blocks).len();
        let mut anchors = BTreeMap::new();
        for (i, name) in doc.heading_anchors().into_iter().enumerate().take(body_headings) {
            if !name.is_empty() {
                anchors.entry(name).or_insert(i);
            }
        }
        Layout {
            style,
            fonts: Fonts::with_fallbacks(fallback_fonts),
            links: Vec::new(),
            headings: Vec::new(),
            notes: BTreeMap::new(),
            images: Vec::new(),
            image_bytes: images,
            warnings: Vec::new(),
            lang: if style.text.hyphenate { lang } else { None },
            note_ids: doc.footnotes.iter().map(|n| n.id).collect(),
            anchors,
            width: mm(p.width_mm - p.margin_left_mm - p.margin_right_mm),
            height: mm(p.height_mm - p.margin_top_mm - p.margin_bottom_mm),
            contents: false,
            contents_slots: Vec::new(),
        }
    }

    fn body_env(&self) -> Env {
        Env {
            left: 0.0,
            width: self.width,
            size: self.style.text.size_pt,
            leading: self.style.text.leading_pt,
            family: self.style.text.body,
            italic: false,
            bold: false,
            justify: self.style.text.justify,
            color: C_TEXT,
            list_depth: 0,
            heading: false,
        }
    }

    /// Lay out the whole document: title block, body, and the footnote boxes.
    pub(crate) fn document(&mut self, doc: &Document) -> Vec<Group> {
        let mut out = Vec::new();
        self.title_block(doc, &mut out);
        let with_contents = self.contents && self.contents_page(doc, &mut out);
        let first_body = out.len();
        let env = self.body_env();
        self.blocks(&doc.blocks, env, &mut out, true);
        if with_contents {
            if let Some(g) = out.get_mut(first_body) {
                g.break_before = true;
            }
        }
        // Footnotes: smaller type, full measure, number hanging in the left.
        let size = self.style.text.size_pt * 0.82;
        let leading = self.style.text.leading_pt * 0.8;
        let indent = size * 1.6;
        for note in &doc.footnotes {
            let nenv = Env { left: indent, width: self.width - indent, size, leading, ..env };
            let mut groups = Vec::new();
            self.blocks(&note.blocks, nenv, &mut groups, true);
            let mut boxes: Vec<VBox> = Vec::new();
            for (gi, g) in groups.into_iter().enumerate() {
                for (bi, mut b) in g.boxes.into_iter().enumerate() {
                    if bi == 0 && gi > 0 {
                        b.height += g.space_before;
                        for d in &mut b.draws {
                            shift_draw(d, g.space_before);
                        }
                    }
                    boxes.push(b);
                }
            }
            if boxes.is_empty() {
                boxes.push(VBox { height: leading, ..Default::default() });
            }
            // The number.
            let label = self.single_line(
                &note.id.to_string(),
                pick(self.style.text.body, Variant::default()),
                size,
                C_TEXT,
                None,
            );
            if let Some(first) = boxes.first_mut() {
                let baseline = self.baseline(leading, size, self.style.text.body);
                first.draws.push(Draw::Text { x: 0.0, baseline, glyphs: label });
                first.note_def = Some(note.id);
            }
            self.notes.insert(note.id, boxes);
        }
        out
    }

    /// A book's contents: a heading, then each chapter (level-2 heading of the body) as an
    /// unjustified entry linked to it, its page number set flush right on the entry's last
    /// line after pagination ([`Layout::set_page_number`]; until then the number's column
    /// is kept free, so the entries' heights, and the pages, do not change). `false` when
    /// the document has fewer than [`CONTENTS_MIN_CHAPTERS`] chapters.
    fn contents_page(&mut self, doc: &Document, out: &mut Vec<Group>) -> bool {
        let chapters = chapter_headings(&doc.blocks);
        if chapters.len() < CONTENTS_MIN_CHAPTERS {
            return false;
        }
        let base = self.body_env();
        let s = self.style.text.size_pt;
        let name = contents_name(doc);
        // Set as a chapter heading is, but not one: no outline entry, no link target.
        let henv = self.heading_env(s * 1.4, base);
        let mut g = self.paragraph_group(&[Inline::text(name)], henv, None);
        g.space_before = self.style.text.leading_pt;
        g.keep_with_next = true;
        g.splittable = false;
        out.push(g);
        let number_font = pick(self.style.text.body, Variant::default());
        let column: f32 = self.fonts.shape("0000", number_font, s).iter().map(|g| g.adv).sum();
        let env = Env { width: base.width - column - s, justify: false, ..base };
        let baseline = self.baseline(env.leading, env.size, env.family);
        for (n, (heading, title)) in chapters.into_iter().enumerate() {
            let link = self.links.len();
            self.links.push(LinkTarget::Heading(heading));
            let mut spans = Vec::new();
            self.spans(&[Inline::text(title)], env, Variant::default(), Some(link), &mut spans);
            let lines = set_paragraph(&spans, &mut self.fonts, env.width, false);
            let boxes = lines
                .into_iter()
                .map(|l| self.line_box(l, env.left, env.leading, baseline))
                .collect();
            let space_before = if n == 0 { s } else { s * 0.25 };
            out.push(Group { boxes, space_before, ..Default::default() });
            self.contents_slots.push(ContentsSlot { group: out.len() - 1, heading, link });
        }
        true
    }

    /// Set `number` (a page) flush right on the last line of a contents entry.
    pub(crate) fn set_page_number(&mut self, group: &mut Group, number: usize, link: usize) {
        let font = pick(self.style.text.body, Variant::default());
        let glyphs = self.single_line(
            &number.to_string(),
            font,
            self.style.text.size_pt,
            C_TEXT,
            Some(link),
        );
        let w: f32 = glyphs.iter().map(|(g, _)| g.adv).sum();
        let Some(last) = group.boxes.last_mut() else { return };
        let baseline = last.draws.iter().find_map(|d| match d {
            Draw::Text { baseline, .. } => Some(*baseline),
            _ => None,
        });
        if let Some(baseline) = baseline {
            last.draws.push(Draw::Text { x: self.width - w, baseline, glyphs });
        }
    }

    /// The environment a heading of type `size` is set in, inside `env`.
    fn heading_env(&self, size: f32, env: Env) -> Env {
        Env {
            size,
            leading: size * 1.25,
            family: self.style.text.headings,
            bold: self.style.text.headings != Family::Serif,
            heading: true,
            italic: false,
            justify: false,
            color: C_HEAD,
            ..env
        }
    }

    fn baseline(&self, leading: f32, size: f32, family: Family) -> f32 {
        let (asc, desc) = self.fonts.vertical_metrics(pick(family, Variant::default()));
        let asc = asc.clamp(0.6, 1.2);
        let desc = desc.clamp(0.1, 0.5);
        (leading - size * (asc + desc)) / 2.0 + size * asc
    }

    /// One unbroken line of text in a face.
    pub(crate) fn single_line(
        &mut self,
        text: &str,
        font: FontKey,
        size: f32,
        color: u8,
        link: Option<usize>,
    ) -> Vec<(Glyph, f32)> {
        let mut x = 0.0;
        self.fonts
            .shape(text, font, size)
            .into_iter()
            .map(|mut g| {
                g.color = color;
                g.link = super::fonts::glyph_link(link);
                let at = x;
                x += g.adv;
                (g, at)
            })
            .collect()
    }

    fn title_block(&mut self, doc: &Document, out: &mut Vec<Group>) {
        let base = self.body_env();
        let head = self.style.text.headings;
        let s = self.style.text.size_pt;
        let tenv = Env {
            size: s * 2.1,
            leading: s * 2.5,
            family: head,
            bold: true,
            justify: false,
            color: C_HEAD,
            ..base
        };
        let title = vec![Inline::text(doc.title_or_default())];
        let mut g = self.paragraph_group(&title, tenv, None);
        g.keep_with_next = true;
        out.push(g);
        let small = Env {
            size: s * 0.95,
            leading: s * 1.35,
            family: head,
            justify: false,
            color: C_TEXT,
            ..base
        };
        if !doc.meta.authors.is_empty() {
            let by = join_names(&doc.meta.authors);
            let mut g = self.paragraph_group(
                &[Inline::text(format!("By {by}"))],
                Env { bold: true, ..small },
                None,
            );
            g.space_before = s * 0.6;
            g.keep_with_next = true;
            out.push(g);
        }
        let mut parts = Vec::new();
        if let Some(d) = &doc.meta.date {
            parts.push(format_date(d, doc.meta.lang.as_deref()));
        }
        if let Some(site) = &doc.meta.site {
            parts.push(site.clone());
        }
        if !parts.is_empty() {
            let mut g = self.paragraph_group(
                &[Inline::text(parts.join(" · "))],
                Env { color: C_RULE, ..small },
                None,
            );
            g.keep_with_next = true;
            out.push(g);
        }
        if let Some(src) = &doc.meta.source {
            let link =
                vec![Inline::Link { url: src.clone(), content: vec![Inline::text(src.clone())] }];
            let mut g = self.paragraph_group(&link, Env { size: s * 0.85, ..small }, None);
            g.keep_with_next = true;
            out.push(g);
        }
        // A rule under the title block.
        let rule = VBox {
            height: s * 2.0,
            draws: vec![Draw::Rule {
                x0: 0.0,
                x1: self.width,
                dy: s * 0.9,
                width: 0.6,
                color: C_RULE,
            }],
            ..Default::default()
        };
        out.push(Group { boxes: vec![rule], space_before: 0.0, ..Default::default() });
    }

    fn blocks(
        &mut self,
        blocks: &[Block],
        env: Env,
        out: &mut Vec<Group>,
        first_in_container: bool,
    ) {
        for (i, block) in blocks.iter().enumerate() {
            let start = out.len();
            self.block(block, env, out);
            if i == 0 && first_in_container {
                if let Some(g) = out.get_mut(start) {
                    g.space_before = g.space_before.min(env.leading * 0.2);
                }
            }
        }
    }

    fn block(&mut self, block: &Block, env: Env, out: &mut Vec<Group>) {
        let gap = env.leading * 0.5;
        match block {
            Block::Paragraph { content } => {
                let mut g = self.paragraph_group(content, env, None);
                g.space_before = gap;
                out.push(g);
            }
            Block::Heading { level, content } => {
                let s = self.style.text.size_pt;
                let (size, before) = match level {
                    0..=2 => (s * 1.4, self.style.text.leading_pt * 1.6),
                    3 => (s * 1.18, self.style.text.leading_pt * 1.2),
                    _ => (s * 1.0, self.style.text.leading_pt * 0.9),
                };
                let henv = self.heading_env(size, env);
                let idx = self.headings.len();
                self.headings.push(Heading {
                    level: *level,
                    title: inlines_text(content).trim().to_string(),
                });
                let mut g = self.paragraph_group(content, henv, None);
                g.space_before = before;
                g.keep_with_next = true;
                g.splittable = false;
                if let Some(b) = g.boxes.first_mut() {
                    b.heading = Some(idx);
                }
                if let Some(b) = g.boxes.last_mut() {
                    b.height += env.leading * 0.35;
                }
                out.push(g);
            }
            Block::Quote { attribution, blocks } => {
                let indent = env.size * 1.8;
                let qenv = Env {
                    left: env.left + indent,
                    width: env.width - indent * 1.6,
                    size: env.size * 0.96,
                    leading: env.leading * 0.96,
                    ..env
                };
                let start = out.len();
                if let Some(a) = attribution {
                    let aenv = Env { italic: true, justify: false, ..qenv };
                    let mut g = self.paragraph_group(a, aenv, None);
                    g.space_before = gap;
                    g.keep_with_next = true;
                    out.push(g);
                }
                let before = out.len();
                self.blocks(blocks, qenv, out, attribution.is_some());
                if let Some(g) = out.get_mut(before) {
                    if attribution.is_none() {
                        g.space_before = gap;
                    }
                }
                // A thin rule to the left of the quote.
                let x = env.left + indent * 0.45;
                for (gi, g) in out.iter_mut().enumerate().skip(start) {
                    let sb = g.space_before;
                    for (bi, b) in g.boxes.iter_mut().enumerate() {
                        let up = if bi == 0 && gi > start { sb } else { 0.0 };
                        b.draws.push(Draw::Fill {
                            x,
                            dy: 0.0,
                            w: 1.2,
                            h: b.height,
                            color: C_RULE,
                            extend_up: up,
                        });
                    }
                }
            }
            Block::List { ordered, items } => {
                // Wide enough for the widest number (`100.`) plus the gap.
                let widest = match ordered {
                    Some(s) => {
                        let last = (*s as usize).saturating_add(items.len().saturating_sub(1));
                        let font = pick(env.family, Variant::default());
                        let g = self.single_line(&format!("{last}."), font, env.size, 0, None);
                        g.last().map(|(g, x)| x + g.adv).unwrap_or(0.0)
                    }
                    None => 0.0,
                };
                let indent = (env.size * 1.7).max(widest + env.size * 0.45).min(env.width * 0.3);
                let ienv = Env {
                    left: env.left + indent,
                    width: env.width - indent,
                    list_depth: env.list_depth + 1,
                    ..env
                };
                for (n, item) in items.iter().enumerate() {
                    let start = out.len();
                    self.blocks(item, ienv, out, true);
                    if out.len() == start {
                        out.push(Group {
                            boxes: vec![VBox { height: env.leading, ..Default::default() }],
                            ..Default::default()
                        });
                    }
                    let baseline = self.baseline(env.leading, env.size, env.family);
                    let marker = match ordered {
                        Some(s) => {
                            let num = (*s as usize).saturating_add(n);
                            let font = pick(env.family, Variant::default());
                            let glyphs = self.single_line(
                                &format!("{num}."),
                                font,
                                env.size,
                                env.color,
                                None,
                            );
                            let w = glyphs.last().map(|(g, x)| x + g.adv).unwrap_or(0.0);
                            Draw::Text { x: ienv.left - w - env.size * 0.45, baseline, glyphs }
                        }
                        None => {
                            let r =
                                if env.list_depth == 0 { env.size * 0.14 } else { env.size * 0.11 };
                            Draw::Dot {
                                x: ienv.left - env.size * 0.8,
                                baseline: baseline - env.size * 0.3,
                                r,
                            }
                        }
                    };
                    if let Some(g) = out.get_mut(start) {
                        g.space_before = if n == 0 { gap } else { env.leading * 0.25 };
                        if let Some(b) = g.boxes.first_mut() {
                            b.draws.push(marker);
                        }
                    }
                }
            }
            Block::Code { text, .. } => out.push(self.code_group(text, env)),
            Block::Table { caption, header, rows } => {
                self.table(caption.as_deref(), header, rows, env, out)
            }
            Block::Figure { src, alt, caption } => self.figure(src, alt, caption, env, out),
            Block::ThematicBreak => {
                let w = env.size * 4.0;
                let x0 = env.left + (env.width - w) / 2.0;
                let b = VBox {
                    height: env.leading * 1.5,
                    draws: vec![Draw::Rule {
                        x0,
                        x1: x0 + w,
                        dy: env.leading * 0.75,
                        width: 0.6,
                        color: C_RULE,
                    }],
                    ..Default::default()
                };
                out.push(Group { boxes: vec![b], space_before: gap, ..Default::default() });
            }
        }
    }

    /// Inlines → spans in an environment.
    fn spans(
        &mut self,
        inlines: &[Inline],
        env: Env,
        v: Variant,
        link: Option<usize>,
        out: &mut Vec<Span>,
    ) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => out.push(Span::Piece(self.piece(text, env, v, link))),
                Inline::Emph { content } => {
                    let v2 = Variant { italic: !v.italic, ..v };
                    self.spans(content, env, v2, link, out);
                }
                Inline::Strong { content } => {
                    self.spans(content, env, Variant { bold: true, ..v }, link, out)
                }
                Inline::Code { text } => {
                    let mut p = self.piece(
                        text,
                        Env { size: env.size * 0.88, ..env },
                        Variant { mono: true, ..v },
                        link,
                    );
                    p.hyph = None;
                    p.url_breaks = true;
                    out.push(Span::Piece(p));
                }
                Inline::Link { url, content } => {
                    // An in-document fragment naming a heading's anchor links to the heading;
                    // other fragments are left as plain text.
                    // Pages percent-encode non-ASCII fragments (`#caf%C3%A9`); anchors are
                    // plain text.
                    let target = match url.strip_prefix('#') {
                        Some(frag) => self
                            .anchors
                            .get(frag)
                            .or_else(|| {
                                let decoded = percent_encoding::percent_decode_str(frag)
                                    .decode_utf8()
                                    .ok()?;
                                self.anchors.get(decoded.as_ref())
                            })
                            .map(|&h| LinkTarget::Heading(h)),
                        None => Some(LinkTarget::Uri(url.clone())),
                    };
                    let target = target.map(|t| {
                        self.links.push(t);
                        self.links.len() - 1
                    });
                    let looks_like_url = inlines_text(content).contains("://")
                        || inlines_text(content).starts_with("www.");
                    let start = out.len();
                    self.spans(
                        content,
                        Env { color: if target.is_some() { C_LINK } else { env.color }, ..env },
                        v,
                        target.or(link),
                        out,
                    );
                    if looks_like_url {
                        for s in out.iter_mut().skip(start) {
                            if let Span::Piece(p) = s {
                                p.url_breaks = true;
                                p.hyph = None;
                            }
                        }
                    }
                }
                Inline::FootnoteRef { id } => {
                    let target = if self.note_ids.contains(id) {
                        self.links.push(LinkTarget::Footnote(*id));
                        Some(self.links.len() - 1)
                    } else {
                        None
                    };
                    let font = pick(env.family, Variant { mono: false, ..v });
                    out.push(Span::Piece(Piece {
                        text: id.to_string(),
                        font,
                        size: env.size * 0.62,
                        rise: env.size * 0.36,
                        color: C_LINK,
                        link: target,
                        hyph: None,
                        url_breaks: false,
                    }));
                }
                Inline::LineBreak => out.push(Span::Break),
            }
        }
    }

    fn piece(&self, text: &str, env: Env, v: Variant, link: Option<usize>) -> Piece {
        Piece {
            text: text.to_string(),
            font: pick(env.family, v),
            size: env.size,
            rise: 0.0,
            color: env.color,
            link,
            hyph: if v.mono { None } else { self.lang },
            url_breaks: false,
        }
    }

    fn paragraph_group(
        &mut self,
        content: &[Inline],
        env: Env,
        _first_indent: Option<f32>,
    ) -> Group {
        let v = Variant {
            bold: env.bold,
            italic: env.italic,
            semibold: env.heading,
            ..Default::default()
        };
        let mut spans = Vec::new();
        self.spans(content, env, v, None, &mut spans);
        let lines = set_paragraph(&spans, &mut self.fonts, env.width, env.justify);
        let baseline = self.baseline(env.leading, env.size, env.family);
        let boxes =
            lines.into_iter().map(|l| self.line_box(l, env.left, env.leading, baseline)).collect();
        Group { boxes, space_before: 0.0, splittable: true, ..Default::default() }
    }

    fn line_box(&self, line: SetLine, x: f32, leading: f32, baseline: f32) -> VBox {
        let mut footnotes = Vec::new();
        for (g, _) in &line.glyphs {
            if let Some(LinkTarget::Footnote(id)) = g.link.and_then(|l| self.links.get(l as usize))
            {
                if !footnotes.contains(id) {
                    footnotes.push(*id);
                }
            }
        }
        VBox {
            height: leading,
            draws: vec![Draw::Text { x, baseline, glyphs: line.glyphs }],
            footnotes,
            ..Default::default()
        }
    }

    fn code_group(&mut self, text: &str, env: Env) -> Group {
        let size = env.size * 0.82;
        let leading = size * 1.32;
        let pad = size * 0.6;
        let font = FontKey::MonoRegular;
        let measure = env.width - 2.0 * pad;
        let baseline = self.baseline(leading, size, Family::Mono);
        let mut boxes = Vec::new();
        let text = text.replace('\t', "    ");
        let text = text.trim_end_matches('\n');
        for src_line in text.split('\n') {
            let glyphs = self.fonts.shape(src_line, font, size);
            // Continuation lines are indented by two cells; the arrow sits in the indent.
            let cell = glyphs.first().map(|g| g.adv).unwrap_or(size * 0.6);
            let cont_indent = cell * 2.0;
            let mut cur: Vec<(Glyph, f32)> = Vec::new();
            let mut x = 0.0;
            let mut cont = false;
            let mut pieces: Vec<(Vec<(Glyph, f32)>, bool)> = Vec::new();
            for g in glyphs {
                if x + g.adv > measure && !cur.is_empty() {
                    // Prefer to wrap after a space in the second half of the line.
                    let split = cur
                        .iter()
                        .rposition(|(g, gx)| g.text.as_deref() == Some(" ") && *gx > measure * 0.5)
                        .map(|i| i + 1)
                        .unwrap_or(cur.len());
                    let tail: Vec<(Glyph, f32)> = cur.split_off(split);
                    pieces.push((std::mem::take(&mut cur), cont));
                    cont = true;
                    x = cont_indent;
                    for (t, _) in tail {
                        let at = x;
                        x += t.adv;
                        cur.push((t, at));
                    }
                }
                let at = x;
                x += g.adv;
                cur.push((g, at));
            }
            pieces.push((cur, cont));
            for (glyphs, cont) in pieces {
                let mut draws = vec![Draw::Fill {
                    x: env.left,
                    dy: 0.0,
                    w: env.width,
                    h: leading,
                    color: C_CODEBG,
                    extend_up: 0.0,
                }];
                if cont {
                    draws.push(Draw::Arrow {
                        x: env.left + pad + size * 0.15,
                        baseline,
                        size: size * 0.75,
                    });
                }
                draws.push(Draw::Text { x: env.left + pad, baseline, glyphs });
                boxes.push(VBox { height: leading, draws, ..Default::default() });
            }
        }
        // Padding above and below, inside the grey background.
        if let Some(first) = boxes.first_mut() {
            first.height += pad * 0.5;
            for d in &mut first.draws {
                match d {
                    Draw::Fill { h, .. } => *h += pad * 0.5,
                    other => shift_draw(other, pad * 0.5),
                }
            }
        }
        if let Some(last) = boxes.last_mut() {
            last.height += pad * 0.5;
            for d in &mut last.draws {
                if let Draw::Fill { h, .. } = d {
                    *h += pad * 0.5;
                }
            }
        }
        Group { boxes, space_before: env.leading * 0.5, splittable: true, ..Default::default() }
    }

    fn table(
        &mut self,
        caption: Option<&[Inline]>,
        header: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        env: Env,
        out: &mut Vec<Group>,
    ) {
        let ncols = header.len().max(rows.iter().map(|r| r.len()).max().unwrap_or(0));
        if ncols == 0 {
            return;
        }
        let size = env.size * 0.9;
        let leading = env.leading * 0.9;
        let pad = size * 0.45;
        let tenv = Env { size, leading, justify: false, ..env };
        if let Some(c) = caption {
            let mut g = self.paragraph_group(c, Env { italic: true, ..tenv }, None);
            g.space_before = env.leading * 0.5;
            g.keep_with_next = true;
            out.push(g);
        }
        // Column widths from content: minimum = widest word, natural = whole cell on one line.
        let mut minw = vec![size * 2.0; ncols];
        let mut natw = vec![size * 2.0; ncols];
        let all_rows = std::iter::once(header).chain(rows.iter().map(|r| r.as_slice()));
        for (ri, row) in all_rows.enumerate() {
            for (c, cell) in row.iter().enumerate().take(ncols) {
                let text = inlines_text(cell);
                let font = pick(
                    env.family,
                    Variant { bold: ri == 0 && !header.is_empty(), ..Default::default() },
                );
                let mut total = 0.0f32;
                for (k, word) in text.split_whitespace().enumerate() {
                    let w: f32 = self.fonts.shape(word, font, size).iter().map(|g| g.adv).sum();
                    // URLs and paths break after `/`: their widest piece is what must fit.
                    let unbreakable = if word.contains('/') && word.chars().count() > 20 {
                        word.split_inclusive('/')
                            .map(|p| self.fonts.shape(p, font, size).iter().map(|g| g.adv).sum())
                            .fold(0.0f32, f32::max)
                    } else {
                        w
                    };
                    minw[c] = minw[c].max(unbreakable.min(env.width * 0.4));
                    total += w + if k > 0 { size * 0.3 } else { 0.0 };
                }
                natw[c] = natw[c].max(total);
            }
        }
        let mut avail = env.width - 2.0 * pad * ncols as f32;
        let mut sum_min: f32 = minw.iter().sum();
        // A table whose longest words do not fit side by side is set smaller, down to
        // TABLE_MIN_SCALE of its size, before any word is broken: widths and padding scale
        // with the size, so the scale that fits is the measure over (words + padding).
        let (size, leading, pad, tenv) = if sum_min > avail {
            // (0.99: a hair of slack, so that rounding never leaves a word a point too wide)
            let k = (0.99 * env.width / (sum_min + 2.0 * pad * ncols as f32)).max(TABLE_MIN_SCALE);
            minw.iter_mut().chain(natw.iter_mut()).for_each(|w| *w *= k);
            sum_min *= k;
            avail = env.width - 2.0 * pad * k * ncols as f32;
            let (size, leading) = (size * k, leading * k);
            (size, leading, pad * k, Env { size, leading, ..tenv })
        } else {
            (size, leading, pad, tenv)
        };
        let sum_nat: f32 = natw.iter().sum();
        let widths: Vec<f32> = if sum_nat <= avail {
            // Natural widths, spread to the full measure.
            let extra = (avail - sum_nat) / ncols as f32;
            natw.iter().map(|w| w + extra).collect()
        } else if sum_min <= avail {
            let flex: f32 = natw.iter().zip(&minw).map(|(n, m)| n - m).sum();
            natw.iter()
                .zip(&minw)
                .map(|(n, m)| m + (avail - sum_min) * (n - m) / flex.max(1e-3))
                .collect()
        } else {
            minw.iter().map(|m| m * avail / sum_min).collect()
        };
        let row_box = |lay: &mut Layout, cells: &[Vec<Inline>], bold: bool| -> VBox {
            let mut draws = Vec::new();
            let mut height = 0.0f32;
            let mut x = env.left;
            let baseline = lay.baseline(leading, size, env.family);
            let mut footnotes = Vec::new();
            for (c, w) in widths.iter().enumerate() {
                let cell = cells.get(c).map(|v| v.as_slice()).unwrap_or(&[]);
                let cenv = Env { left: x + pad, width: *w, bold, ..tenv };
                let g = lay.paragraph_group(cell, cenv, None);
                let mut y = pad * 0.6;
                for b in g.boxes {
                    for d in b.draws {
                        let mut d = d;
                        shift_draw(&mut d, y);
                        draws.push(d);
                    }
                    footnotes.extend(b.footnotes);
                    y += b.height;
                }
                let _ = baseline;
                height = height.max(y + pad * 0.6);
                x += w + 2.0 * pad;
            }
            draws.push(Draw::Rule {
                x0: env.left,
                x1: env.left + env.width,
                dy: height,
                width: if bold { 0.8 } else { 0.3 },
                color: C_RULE,
            });
            VBox { height, draws, footnotes, ..Default::default() }
        };
        let header_box = if header.is_empty() {
            None
        } else {
            let mut b = row_box(self, header, true);
            b.draws.push(Draw::Rule {
                x0: env.left,
                x1: env.left + env.width,
                dy: 0.0,
                width: 0.8,
                color: C_RULE,
            });
            Some(b)
        };
        let repeat = header_box.clone().map(|b| Rc::new(vec![b]));
        if let Some(b) = header_box {
            out.push(Group {
                boxes: vec![b],
                space_before: env.leading * 0.5,
                keep_with_next: true,
                ..Default::default()
            });
        }
        for (i, row) in rows.iter().enumerate() {
            let mut b = row_box(self, row, false);
            if i == 0 && repeat.is_none() {
                b.draws.push(Draw::Rule {
                    x0: env.left,
                    x1: env.left + env.width,
                    dy: 0.0,
                    width: 0.8,
                    color: C_RULE,
                });
            }
            out.push(Group {
                boxes: vec![b],
                space_before: if i == 0 && repeat.is_none() { env.leading * 0.5 } else { 0.0 },
                // Without a header, the first row (often a header set as plain cells) is
                // not left alone at the foot of a page.
                keep_with_next: i == 0 && repeat.is_none() && rows.len() > 1,
                repeat_header: repeat.clone(),
                ..Default::default()
            });
        }
    }

    fn figure(&mut self, src: &str, alt: &str, caption: &[Inline], env: Env, out: &mut Vec<Group>) {
        let mut have_image = false;
        if let Some(bytes) = self.image_bytes.get(src) {
            let mut warns = Vec::new();
            match printpdf::RawImage::decode_from_bytes(bytes, &mut warns) {
                Ok(img) if img.width > 0 && img.height > 0 => {
                    let (pw, ph) = (img.width as f32, img.height as f32);
                    let max_h = self.height * 0.6;
                    // At most the measure wide, never upscaled past 1.5× of 96-dpi size.
                    let mut w = env.width.min(pw * 0.75 * 1.5);
                    let mut h = w * ph / pw;
                    if h > max_h {
                        h = max_h;
                        w = h * pw / ph;
                    }
                    let id = format!("Im{}", self.images.len() + 1);
                    self.images.push((id.clone(), img));
                    let x = env.left + (env.width - w) / 2.0;
                    let b = VBox {
                        height: h + env.leading * 0.4,
                        draws: vec![Draw::Image {
                            id,
                            x,
                            dy: env.leading * 0.2,
                            w,
                            h,
                            px_w: pw,
                            px_h: ph,
                        }],
                        ..Default::default()
                    };
                    out.push(Group {
                        boxes: vec![b],
                        space_before: env.leading * 0.5,
                        keep_with_next: true,
                        ..Default::default()
                    });
                    have_image = true;
                }
                _ => self
                    .warnings
                    .push(format!("image {src:?} could not be decoded; only its caption is set")),
            }
        }
        let cap: Vec<Inline> =
            if caption.is_empty() { vec![Inline::text(alt)] } else { caption.to_vec() };
        if inlines_text(&cap).trim().is_empty() {
            if let Some(g) = out.last_mut().filter(|_| have_image) {
                g.keep_with_next = false;
            }
            return;
        }
        let cenv = Env { size: env.size * 0.9, leading: env.leading * 0.9, italic: true, ..env };
        let mut g = self.paragraph_group(&cap, cenv, None);
        g.space_before = if have_image { 0.0 } else { env.leading * 0.5 };
        out.push(g);
    }
}

/// Move a draw down by `dy`.
pub(crate) fn shift_draw(d: &mut Draw, by: f32) {
    match d {
        Draw::Text { baseline, .. } | Draw::Arrow { baseline, .. } | Draw::Dot { baseline, .. } => {
            *baseline += by
        }
        Draw::Rule { dy, .. } | Draw::Fill { dy, .. } | Draw::Image { dy, .. } => *dy += by,
    }
}

/// The heading of a book's contents page, in the document's language (as the EPUB's nav).
pub(crate) fn contents_name(doc: &Document) -> &'static str {
    crate::emit::epub::meta::toc_name(doc.meta.lang.as_deref().unwrap_or("en"))
}

/// The body's top-level level-2 headings (a book's chapters) with their index among all of
/// its headings, counted in the order [`Layout::headings`] takes them (quotes and list items
/// included, as `model::heading_texts` walks them).
fn chapter_headings(blocks: &[Block]) -> Vec<(usize, String)> {
    fn walk(blocks: &[Block], top: bool, n: &mut usize, out: &mut Vec<(usize, String)>) {
        for b in blocks {
            match b {
                Block::Heading { level, content } => {
                    if top && *level == 2 {
                        out.push((*n, inlines_text(content).trim().to_string()));
                    }
                    *n += 1;
                }
                Block::Quote { blocks, .. } => walk(blocks, false, n, out),
                Block::List { items, .. } => items.iter().for_each(|i| walk(i, false, n, out)),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(blocks, true, &mut 0, &mut out);
    out
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [a] => a.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `2024-03-28…` → `28 March 2024` for English (or unknown) documents; otherwise the ISO date.
pub(crate) fn format_date(date: &str, lang: Option<&str>) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let day_part = date.get(..10).unwrap_or(date);
    let parts: Vec<&str> = day_part.split('-').collect();
    let english = lang.is_none_or(|l| l.to_ascii_lowercase().starts_with("en"));
    if let [y, m, d] = parts.as_slice() {
        if let (Ok(m), Ok(d)) = (m.parse::<usize>(), d.parse::<u32>()) {
            if english && y.len() == 4 {
                if let Some(name) = m.checked_sub(1).and_then(|i| MONTHS.get(i)) {
                    return format!("{d} {name} {y}");
                }
            }
        }
    }
    day_part.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Footnote;

    /// `LinkTarget::Heading` indexes `Layout::headings` by the order of
    /// `Document::all_heading_texts`: the two must agree, nested headings included.
    #[test]
    fn a_headerless_tables_first_row_keeps_with_the_second() {
        let cell = |s: &str| vec![Inline::text(s)];
        let rows: Vec<Vec<Vec<Inline>>> =
            ["Name", "Ada", "Grace"].iter().map(|n| vec![cell(n), cell("value")]).collect();
        let doc = Document {
            meta: crate::model::Meta::default(),
            blocks: vec![
                Block::para("A line before the table."),
                Block::Table { caption: None, header: vec![], rows },
            ],
            footnotes: vec![],
        };
        let style = Style::default();
        let images = BTreeMap::new();
        let mut lay = Layout::new(&style, &doc, &images, Vec::new());
        let groups = lay.document(&doc);
        let first = groups.len() - 3;
        // A page just tall enough for everything up to the first row, not the second.
        let through_first: f32 = groups[..=first]
            .iter()
            .enumerate()
            .map(|(i, g)| if i == 0 { 0.0 } else { g.space_before } + super::super::paginate::total(g))
            .sum();
        let height = through_first + super::super::paginate::total(&groups[first + 1]) * 0.5;
        let pages =
            super::super::paginate::paginate(&groups, &lay.notes, height, style.text.leading_pt);
        let page_of = |gi: usize| {
            let b = &groups[gi].boxes[0];
            pages.iter().position(|p| p.boxes.iter().any(|pl| std::ptr::eq(pl.b, b)))
        };
        assert!(page_of(first).is_some());
        assert_eq!(page_of(first), page_of(first + 1), "the first row was left alone");
        assert!(page_of(first) > page_of(0));
    }

    #[test]
    fn headings_are_laid_out_in_anchor_order() {
        let doc = Document {
            meta: crate::model::Meta { title: Some("Book".into()), ..Default::default() },
            blocks: vec![
                Block::heading(2, "One"),
                Block::Quote {
                    attribution: None,
                    blocks: vec![Block::heading(3, "Quoted"), Block::para("q")],
                },
                Block::List {
                    ordered: None,
                    items: vec![vec![Block::para("item")], vec![Block::heading(4, "Listed")]],
                },
                Block::Paragraph {
                    content: vec![
                        Inline::Link { url: "#one-1".into(), content: vec![Inline::text("a")] },
                        Inline::Link { url: "#nowhere".into(), content: vec![Inline::text("b")] },
                        Inline::Link { url: "#book".into(), content: vec![Inline::text("c")] },
                        Inline::Link {
                            url: "#caf%C3%A9-cr%C3%A8me".into(),
                            content: vec![Inline::text("d")],
                        },
                    ],
                },
                Block::heading(2, "One"),
                Block::heading(2, "Café crème"),
            ],
            footnotes: vec![Footnote { id: 1, blocks: vec![Block::heading(3, "Noted")] }],
        };
        let style = Style::default();
        let images = BTreeMap::new();
        let mut lay = Layout::new(&style, &doc, &images, Vec::new());
        lay.document(&doc);
        let laid: Vec<&str> = lay.headings.iter().map(|h| h.title.as_str()).collect();
        assert_eq!(laid, doc.all_heading_texts());
        assert_eq!(laid, ["One", "Quoted", "Listed", "One", "Café crème", "Noted"]);
        // `#one-1` is the second "One"; `#nowhere` and the title's `#book` (no heading in
        // the PDF body) are plain text; a percent-encoded fragment finds its heading.
        assert_eq!(lay.links, [LinkTarget::Heading(3), LinkTarget::Heading(4)]);
        // The same document as a book: its contents list the top-level `##` headings only,
        // linked to them by the same indices, and the first chapter starts a page.
        let mut book = Layout::new(&style, &doc, &images, Vec::new());
        book.contents = true;
        let groups = book.document(&doc);
        let slots: Vec<(usize, usize)> =
            book.contents_slots.iter().map(|s| (s.heading, s.link)).collect();
        assert_eq!(slots, [(0, 0), (3, 1), (4, 2)]);
        assert_eq!(&book.links[..3], [0, 3, 4].map(LinkTarget::Heading));
        let first_chapter =
            groups.iter().position(|g| g.boxes.iter().any(|b| b.heading == Some(0)));
        assert!(first_chapter.is_some_and(|i| groups[i].break_before));
        assert_eq!(groups.iter().filter(|g| g.break_before).count(), 1);
        // One chapter: no contents.
        let one = Document { blocks: doc.blocks[..1].to_vec(), ..doc.clone() };
        let mut lay = Layout::new(&style, &one, &images, Vec::new());
        lay.contents = true;
        let groups = lay.document(&one);
        assert!(lay.contents_slots.is_empty() && !groups.iter().any(|g| g.break_before));
    }
}
