//! Cleaned HTML subtree → document model blocks.

use scraper::{ElementRef, Node};
use url::Url;

use super::text::{is_invisible, norm_key};
use crate::model::{Block, Inline};

/// Converts an article subtree into [`Block`]s.
pub struct Converter<'u> {
    /// Base for resolving relative links and images.
    pub base: Option<&'u Url>,
}

/// Elements whose content is never article text.
pub fn is_skipped_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "template"
            | "svg"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "audio"
            | "video"
            | "input"
            | "select"
            | "button"
            | "textarea"
            | "option"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "nav"
            | "form"
            | "dialog"
            | "map"
            | "area"
            | "track"
            | "source"
            | "param"
    )
}

/// Hidden by attribute or inline style (`hidden`, `aria-hidden`, `display:none`,
/// `visibility:hidden`).
pub fn is_hidden(e: &ElementRef) -> bool {
    let v = e.value();
    if v.attr("hidden").is_some() {
        return true;
    }
    if v.attr("aria-hidden").is_some_and(|a| a.trim().eq_ignore_ascii_case("true")) {
        // Readability keeps `aria-hidden` images that are fallbacks for lazy loading.
        return !v.classes().any(|c| c.contains("fallback-image"));
    }
    v.attr("style").is_some_and(style_hides)
}

/// An inline style that hides its element (`display:none`, `visibility:hidden`).
pub(crate) fn style_hides(style: &str) -> bool {
    let s: String =
        style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    s.contains("display:none") || s.contains("visibility:hidden")
}

/// A `width` or `height` of 2 px or less: a tracking pixel or a spacer.
pub(crate) fn tiny_side(value: Option<&str>) -> bool {
    value.and_then(|x| x.trim().trim_end_matches("px").parse::<u32>().ok()).is_some_and(|n| n <= 2)
}

/// File extensions of raster images.
const RASTER_EXTENSIONS: [&str; 6] = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"];

fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "center"
            | "address"
            | "blockquote"
            | "pre"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "figure"
            | "figcaption"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "img"
            | "picture"
            | "details"
            | "summary"
            | "fieldset"
            | "legend"
            | "hgroup"
            | "menu"
            | "body"
            | "html"
    )
}

/// The letter of loose inline content that is one capital letter and nothing else (a drop
/// cap set apart from its paragraph).
fn drop_cap(raw: &[Inline]) -> Option<String> {
    let mut text = String::new();
    for inline in raw {
        match inline {
            Inline::Text { text: t } => text.push_str(t),
            _ => return None,
        }
    }
    let mut chars = text.trim().chars();
    let c = chars.next()?;
    (chars.next().is_none() && c.is_uppercase()).then(|| c.to_string())
}

/// The letter of a paragraph that holds one `<span>` with one capital letter in it, and
/// nothing else: `<p><span class="dropcap">T</span></p>`.
fn wrapped_drop_cap(p: &ElementRef) -> Option<String> {
    let mut span = None;
    for child in p.children() {
        match child.value() {
            Node::Text(t) if t.trim().is_empty() => {}
            Node::Element(el) if el.name() == "span" && span.is_none() => span = Some(child),
            Node::Comment(_) => {}
            _ => return None,
        }
    }
    let span = ElementRef::wrap(span?)?;
    if span.children().any(|c| !c.value().is_text()) {
        return None;
    }
    let text: String = span.text().collect();
    drop_cap(&[Inline::text(text)])
}

/// Put `letter` before the first text of `raw` when that text starts with a lower-case
/// letter (the rest of the drop cap's word; with a space between when the text starts
/// with one: "A" and " man walks"). Whether it did.
fn prepend_to_word(raw: &mut [Inline], letter: &str) -> bool {
    for inline in raw.iter_mut() {
        match inline {
            Inline::Text { text } => {
                let rest = text.trim_start();
                if rest.is_empty() {
                    continue;
                }
                if !rest.chars().next().is_some_and(char::is_lowercase) {
                    return false;
                }
                let space = if rest.len() < text.len() { " " } else { "" };
                *text = format!("{letter}{space}{rest}");
                return true;
            }
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => {
                return prepend_to_word(content, letter);
            }
            _ => return false,
        }
    }
    false
}

fn has_block_descendant(e: &ElementRef) -> bool {
    e.descendent_elements().skip(1).any(|d| is_block_tag(d.value().name()))
}

#[derive(Default)]
struct Flow {
    blocks: Vec<Block>,
    para: Vec<Inline>,
    /// A drop cap standing alone before a block (`<span>T</span><p>urkey, Poland…`), with
    /// the number of blocks there were then: it joins the next paragraph when that one
    /// continues its word, and stands where it was otherwise.
    initial: Option<(String, usize)>,
}

impl Flow {
    /// End the paragraph of loose inline content before a block element starts; a lone
    /// capital letter there is held as a drop cap.
    fn flush_before_block(&mut self) {
        if self.initial.is_none() {
            if let Some(letter) = drop_cap(&self.para) {
                self.para.clear();
                self.initial = Some((letter, self.blocks.len()));
                return;
            }
        }
        self.flush();
    }

    fn flush(&mut self) {
        if self.para.is_empty() {
            return;
        }
        let mut raw = std::mem::take(&mut self.para);
        if let Some((letter, at)) = self.initial.take() {
            let joined = at == self.blocks.len() && prepend_to_word(&mut raw, &letter);
            if !joined {
                self.blocks.insert(at, Block::para(letter));
            }
        }
        // A double line break separates paragraphs.
        let mut parts: Vec<Vec<Inline>> = vec![Vec::new()];
        let mut breaks = 0;
        for inline in raw {
            let is_space = matches!(&inline, Inline::Text { text } if text.chars().all(|c| c.is_whitespace() || is_invisible(c)));
            match inline {
                Inline::LineBreak => {
                    breaks += 1;
                    if breaks == 2 {
                        parts.push(Vec::new());
                    } else if let Some(p) = parts.last_mut() {
                        p.push(Inline::LineBreak);
                    }
                }
                other => {
                    if !is_space {
                        breaks = 0;
                    }
                    if let Some(p) = parts.last_mut() {
                        p.push(other);
                    }
                }
            }
        }
        for part in parts {
            let content = normalize_inlines(part);
            if !content.is_empty() {
                self.blocks.push(Block::Paragraph { content });
            }
        }
    }

    fn push_block(&mut self, b: Block) {
        self.flush();
        self.blocks.push(b);
    }
}

impl Converter<'_> {
    /// Convert the children of `root` to blocks (headings keep their HTML levels here).
    pub fn convert(&self, root: ElementRef) -> Vec<Block> {
        let mut flow = Flow::default();
        self.walk(root, &mut flow);
        flow.flush();
        if let Some((letter, at)) = flow.initial.take() {
            flow.blocks.insert(at, Block::para(letter));
        }
        flow.blocks
    }

    fn walk(&self, el: ElementRef, flow: &mut Flow) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => flow.para.push(Inline::text(&**t)),
                Node::Element(_) => {
                    if let Some(e) = ElementRef::wrap(child) {
                        self.element(e, flow);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&self, e: ElementRef, flow: &mut Flow) {
        let name = e.value().name();
        if is_skipped_tag(name) || is_hidden(&e) {
            return;
        }
        if name == "p" && flow.initial.is_none() {
            if let Some(letter) = wrapped_drop_cap(&e) {
                // A drop cap its own paragraph wraps (as the Readability port wraps loose
                // inline content): held like a loose one.
                flow.flush();
                flow.initial = Some((letter, flow.blocks.len()));
                return;
            }
        }
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes().get(1).map_or(2, |b| b - b'0');
                let content = normalize_inlines(self.inline_flat(e));
                flow.flush();
                if !content.is_empty() {
                    flow.blocks.push(Block::Heading { level, content });
                }
            }
            "ul" | "ol" | "menu" => {
                flow.flush();
                if let Some(list) = self.list(e) {
                    flow.blocks.push(list);
                }
            }
            "blockquote" => {
                flow.flush();
                let blocks = self.convert(e);
                if !blocks.is_empty() {
                    flow.blocks.push(Block::Quote { attribution: None, blocks });
                }
            }
            "pre" => {
                flow.flush();
                if let Some(code) = self.pre(e) {
                    flow.blocks.push(code);
                }
            }
            "table" => {
                flow.flush();
                match self.table(e) {
                    Some(t) => flow.blocks.push(t),
                    None => {
                        self.walk(e, flow);
                        flow.flush();
                    }
                }
            }
            "figure" => {
                flow.flush();
                self.figure(e, flow);
                flow.flush();
            }
            "img" => {
                // An image inside running text (math, emoji, icons) is not a figure.
                if !in_running_text(&e) {
                    if let Some(f) = self.image(e, Vec::new()) {
                        flow.push_block(f);
                    }
                }
            }
            "picture" => {
                if let Some(img) = e.descendent_elements().find(|d| d.value().name() == "img") {
                    if let Some(f) = self.image(img, Vec::new()) {
                        flow.push_block(f);
                    }
                }
            }
            "noscript" => {
                let prev_img =
                    e.prev_siblings().filter_map(ElementRef::wrap).next().is_some_and(|p| {
                        let n = p.value().name();
                        (n == "img" || n == "picture") && self.img_src(p).is_some()
                    });
                if !prev_img {
                    for f in self.noscript_images(e) {
                        flow.push_block(f);
                    }
                }
            }
            "hr" => flow.push_block(Block::ThematicBreak),
            "br" => flow.para.push(Inline::LineBreak),
            n if is_block_tag(n) => {
                flow.flush_before_block();
                self.walk(e, flow);
                flow.flush();
            }
            _ => {
                if has_block_descendant(&e) {
                    self.walk(e, flow);
                } else {
                    flow.para.extend(self.inline(e));
                }
            }
        }
    }

    /// Inline content of an element that holds no blocks.
    fn inline(&self, e: ElementRef) -> Vec<Inline> {
        let name = e.value().name();
        if is_skipped_tag(name) || is_hidden(&e) {
            return Vec::new();
        }
        match name {
            "br" => vec![Inline::LineBreak],
            "em" | "i" | "cite" | "dfn" | "var" => {
                vec![Inline::Emph { content: self.inline_children(e) }]
            }
            "strong" | "b" => vec![Inline::Strong { content: self.inline_children(e) }],
            "code" | "kbd" | "samp" | "tt" => {
                let text: String = e.text().collect();
                vec![Inline::Code { text }]
            }
            "a" => {
                let content = self.inline_children(e);
                match e.value().attr("href").and_then(|h| self.link_url(h)) {
                    Some(url) => vec![Inline::Link { url, content }],
                    None => content,
                }
            }
            "img" | "picture" | "noscript" => Vec::new(),
            _ => self.inline_children(e),
        }
    }

    fn inline_children(&self, e: ElementRef) -> Vec<Inline> {
        let mut out = Vec::new();
        for child in e.children() {
            match child.value() {
                Node::Text(t) => out.push(Inline::text(&**t)),
                Node::Element(_) => {
                    if let Some(c) = ElementRef::wrap(child) {
                        out.extend(self.inline(c));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Inline content of an element that may hold blocks (headings, table cells, captions):
    /// blocks become spaces.
    fn inline_flat(&self, e: ElementRef) -> Vec<Inline> {
        let mut out = Vec::new();
        for child in e.children() {
            match child.value() {
                Node::Text(t) => out.push(Inline::text(&**t)),
                Node::Element(_) => {
                    if let Some(c) = ElementRef::wrap(child) {
                        let n = c.value().name();
                        if is_skipped_tag(n) || is_hidden(&c) {
                            continue;
                        }
                        if is_block_tag(n) || has_block_descendant(&c) {
                            out.push(Inline::text(" "));
                            out.extend(self.inline_flat(c));
                            out.push(Inline::text(" "));
                        } else {
                            out.extend(self.inline(c));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn list(&self, e: ElementRef) -> Option<Block> {
        let ordered = if e.value().name() == "ol" {
            Some(e.value().attr("start").and_then(|s| s.trim().parse::<u32>().ok()).unwrap_or(1))
        } else {
            None
        };
        let mut items: Vec<Vec<Block>> = Vec::new();
        let mut loose = Flow::default();
        for child in e.children() {
            match child.value() {
                Node::Element(_) => {
                    let Some(c) = ElementRef::wrap(child) else { continue };
                    if c.value().name() == "li" {
                        if is_hidden(&c) {
                            continue;
                        }
                        loose.flush();
                        if !loose.blocks.is_empty() {
                            items.push(std::mem::take(&mut loose.blocks));
                        }
                        let blocks = self.convert(c);
                        if !blocks.is_empty() {
                            items.push(blocks);
                        }
                    } else {
                        self.element(c, &mut loose);
                    }
                }
                Node::Text(t) => loose.para.push(Inline::text(&**t)),
                _ => {}
            }
        }
        loose.flush();
        if !loose.blocks.is_empty() {
            items.push(loose.blocks);
        }
        (!items.is_empty()).then_some(Block::List { ordered, items })
    }

    fn pre(&self, e: ElementRef) -> Option<Block> {
        let mut text = String::new();
        pre_text(e, &mut text);
        let text: String = text.chars().filter(|c| !is_invisible(*c)).collect();
        let text = text.strip_prefix('\n').unwrap_or(&text).trim_end().to_string();
        if text.trim().is_empty() {
            return None;
        }
        let lang = std::iter::once(e)
            .chain(e.descendent_elements().filter(|d| d.value().name() == "code").take(1))
            .flat_map(|x| x.value().classes().collect::<Vec<_>>())
            .find_map(|c| {
                c.strip_prefix("language-").or_else(|| c.strip_prefix("lang-")).map(str::to_string)
            });
        Some(Block::Code { lang, text })
    }

    /// A data table as a [`Block::Table`]; `None` for layout tables (walked as containers).
    fn table(&self, e: ElementRef) -> Option<Block> {
        if e.descendent_elements().skip(1).any(|d| d.value().name() == "table") {
            return None;
        }
        let mut rows: Vec<(bool, Vec<Vec<Inline>>)> = Vec::new();
        let mut caption = None;
        let mut max_cols = 0;
        let mut heavy_cells = 0;
        for part in e.child_elements() {
            match part.value().name() {
                "caption" => {
                    let c = normalize_inlines(self.inline_flat(part));
                    if !c.is_empty() {
                        caption = Some(c);
                    }
                }
                "thead" | "tbody" | "tfoot" | "tr" => {
                    let trs: Vec<ElementRef> = if part.value().name() == "tr" {
                        vec![part]
                    } else {
                        part.child_elements().filter(|r| r.value().name() == "tr").collect()
                    };
                    for tr in trs {
                        let mut cells = Vec::new();
                        let mut all_th = true;
                        for cell in tr.child_elements() {
                            let n = cell.value().name();
                            if n != "td" && n != "th" {
                                continue;
                            }
                            all_th &= n == "th" || part.value().name() == "thead";
                            let blockish = cell
                                .descendent_elements()
                                .filter(|d| {
                                    matches!(
                                        d.value().name(),
                                        "p" | "h1"
                                            | "h2"
                                            | "h3"
                                            | "h4"
                                            | "h5"
                                            | "h6"
                                            | "ul"
                                            | "ol"
                                            | "blockquote"
                                            | "pre"
                                            | "figure"
                                            | "img"
                                            | "div"
                                    )
                                })
                                .count();
                            if blockish > 1 {
                                heavy_cells += 1;
                            }
                            cells.push(normalize_inlines(self.inline_flat(cell)));
                        }
                        if cells.is_empty() {
                            continue;
                        }
                        max_cols = max_cols.max(cells.len());
                        rows.push((all_th, cells));
                    }
                }
                _ => {}
            }
        }
        if max_cols < 2 || heavy_cells > 0 || rows.is_empty() {
            return None;
        }
        let mut header = Vec::new();
        if let Some((true, _)) = rows.first() {
            header = rows.remove(0).1;
        }
        let rows: Vec<Vec<Vec<Inline>>> =
            rows.into_iter().map(|(_, r)| r).filter(|r| r.iter().any(|c| !c.is_empty())).collect();
        if rows.is_empty() && header.is_empty() {
            return None;
        }
        Some(Block::Table { caption, header, rows })
    }

    fn figure(&self, e: ElementRef, flow: &mut Flow) {
        let caption = e
            .descendent_elements()
            .find(|d| d.value().name() == "figcaption")
            .map(|c| normalize_inlines(self.inline_flat(c)))
            .unwrap_or_default();
        let mut figs: Vec<Block> = Vec::new();
        for img in e.descendent_elements().filter(|d| d.value().name() == "img") {
            if img.ancestors().filter_map(ElementRef::wrap).any(|a| a.value().name() == "noscript")
            {
                continue;
            }
            if let Some(f) = self.image(img, Vec::new()) {
                figs.push(f);
            }
        }
        if figs.is_empty() {
            for ns in e.descendent_elements().filter(|d| d.value().name() == "noscript") {
                figs.extend(self.noscript_images(ns));
            }
        }
        if figs.is_empty() {
            // A figure around a quote, code or text: walk it like any container.
            self.walk(e, flow);
            return;
        }
        if let Some(Block::Figure { caption: c, .. }) = figs.last_mut() {
            *c = caption;
        }
        flow.blocks.extend(figs);
        // Other text in the figure (credits, labels) follows as paragraphs.
        self.walk_figure_rest(e, flow);
    }

    fn walk_figure_rest(&self, e: ElementRef, flow: &mut Flow) {
        for child in e.children() {
            match child.value() {
                Node::Text(t) => flow.para.push(Inline::text(&**t)),
                Node::Element(el) => {
                    let Some(c) = ElementRef::wrap(child) else { continue };
                    match el.name() {
                        "img" | "picture" | "figcaption" | "noscript" => {}
                        // A `<noscript>` (raw text to scraper) holds the image when no
                        // `<img>` does: its container is walked as the figure's too, or the
                        // image would come out twice.
                        _ if c.descendent_elements().any(|d| {
                            matches!(
                                d.value().name(),
                                "img" | "picture" | "figcaption" | "noscript"
                            )
                        }) =>
                        {
                            flow.flush();
                            self.walk_figure_rest(c, flow);
                            flow.flush();
                        }
                        _ => self.element(c, flow),
                    }
                }
                _ => {}
            }
        }
        flow.flush();
    }

    fn noscript_images(&self, ns: ElementRef) -> Vec<Block> {
        let inner: String = ns.text().collect();
        if !inner.contains("<img") {
            return Vec::new();
        }
        let frag = scraper::Html::parse_fragment(&inner);
        frag.root_element()
            .descendent_elements()
            .filter(|d| d.value().name() == "img")
            .filter_map(|img| self.image(img, Vec::new()))
            .collect()
    }

    fn image(&self, img: ElementRef, caption: Vec<Inline>) -> Option<Block> {
        let src = self.img_src(img)?;
        let v = img.value();
        if tiny_side(v.attr("width")) || tiny_side(v.attr("height")) {
            return None;
        }
        let mut alt = super::text::clean_text(v.attr("alt").unwrap_or_default());
        // An alt that is just a file name says nothing.
        let lower = alt.to_ascii_lowercase();
        if !alt.contains(' ')
            && RASTER_EXTENSIONS.iter().chain(&[".svg"]).any(|x| lower.ends_with(x))
        {
            alt.clear();
        }
        Some(Block::Figure { src, alt, caption })
    }

    /// The best image URL: lazy-loading attributes first, then the largest `srcset`
    /// candidate, then `src` unless it is a placeholder.
    pub fn img_src(&self, img: ElementRef) -> Option<String> {
        let v = img.value();
        let lazy = [
            "data-src",
            "data-lazy-src",
            "data-original",
            "data-url",
            "data-lazy",
            "data-hi-res-src",
            "data-full-src",
        ];
        for a in lazy {
            if let Some(u) = v.attr(a).filter(|u| !is_placeholder(u)).and_then(|u| self.resolve(u))
            {
                return Some(u);
            }
        }
        for a in ["data-srcset", "data-lazy-srcset", "srcset"] {
            if let Some(u) = v.attr(a).and_then(best_srcset).and_then(|u| self.resolve(&u)) {
                return Some(u);
            }
        }
        // <picture><source srcset>.
        if let Some(pic) =
            img.parent().and_then(ElementRef::wrap).filter(|p| p.value().name() == "picture")
        {
            for s in pic.child_elements().filter(|c| c.value().name() == "source") {
                for a in ["data-srcset", "srcset"] {
                    if let Some(u) =
                        s.value().attr(a).and_then(best_srcset).and_then(|u| self.resolve(&u))
                    {
                        return Some(u);
                    }
                }
            }
        }
        if let Some(u) = v.attr("src").filter(|u| !is_placeholder(u)).and_then(|u| self.resolve(u))
        {
            return Some(u);
        }
        // A lazy loader's own attribute (`data-td-src-property`, `data-echo`, ...): as
        // Readability.js does, any other attribute whose value is one image URL.
        v.attrs()
            .filter(|(name, _)| !matches!(*name, "src" | "srcset" | "alt" | "title" | "class"))
            .find_map(|(_, value)| {
                let value = value.trim();
                (looks_like_image_url(value) && !is_placeholder(value))
                    .then(|| self.resolve(value))
                    .flatten()
            })
    }

    fn resolve(&self, u: &str) -> Option<String> {
        let u = u.trim();
        if u.is_empty() {
            return None;
        }
        if u.starts_with("data:") {
            return Some(u.to_string());
        }
        match self.base {
            Some(b) => b.join(u).ok().map(|x| x.to_string()),
            None => Some(Url::parse(u).map(|x| x.to_string()).unwrap_or_else(|_| u.to_string())),
        }
    }

    fn link_url(&self, href: &str) -> Option<String> {
        let h = href.trim();
        if h.is_empty() || h.to_ascii_lowercase().starts_with("javascript:") {
            return None;
        }
        if h.starts_with('#') {
            return Some(h.to_string());
        }
        self.resolve(h)
    }
}

/// Whether an image sits in a paragraph-like block that also holds text.
fn in_running_text(img: &ElementRef) -> bool {
    for a in img.ancestors().filter_map(ElementRef::wrap) {
        let n = a.value().name();
        if matches!(
            n,
            "p" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "td" | "th" | "dd" | "dt"
        ) {
            return a.text().any(|t| !t.trim().is_empty());
        }
        if is_block_tag(n) {
            return false;
        }
    }
    false
}

pub(crate) fn pre_text(e: ElementRef, out: &mut String) {
    for child in e.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(el) => {
                if el.name() == "br" {
                    out.push('\n');
                } else if let Some(c) = ElementRef::wrap(child) {
                    if !is_skipped_tag(el.name()) {
                        pre_text(c, out);
                    }
                }
            }
            _ => {}
        }
    }
}

fn is_placeholder(u: &str) -> bool {
    let u = u.trim();
    if u.is_empty() {
        return true;
    }
    let l = u.to_ascii_lowercase();
    if (l.starts_with("data:") && l.len() < 300)
        || l.contains("blank.gif")
        || l.contains("spacer.gif")
        || l.contains("pixel.gif")
        || l.contains("lazy-placeholder")
        || l.contains("/placeholder.")
    {
        return true;
    }
    // A lazy loader's stand-in, by its file name: `lazy.svg`, `lazyload.gif`, `loading.png`.
    let path = l.split(['?', '#']).next().unwrap_or_default();
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    file.contains('.')
        && (stem.starts_with("lazyload")
            || matches!(
                stem,
                "lazy"
                    | "lazy-load"
                    | "lazy_load"
                    | "placeholder"
                    | "loading"
                    | "loader"
                    | "transparent"
                    | "blank"
                    | "spacer"
                    | "1x1"
            ))
}

/// One URL of an image file: no whitespace, and a path ending in an image extension.
fn looks_like_image_url(v: &str) -> bool {
    if v.is_empty() || v.contains(char::is_whitespace) || v.starts_with("data:") {
        return false;
    }
    let path = v.split(['?', '#']).next().unwrap_or_default().to_ascii_lowercase();
    RASTER_EXTENSIONS.iter().any(|x| path.ends_with(x))
}

/// The largest candidate of a `srcset` (by `w`, then `x` descriptor).
pub fn best_srcset(srcset: &str) -> Option<String> {
    let mut best: Option<(f64, String)> = None;
    for cand in srcset.split(", ").flat_map(|c| c.split(",\n")) {
        let mut parts = cand.split_whitespace();
        let Some(url) = parts.next() else { continue };
        let url = url.trim_end_matches(',');
        if url.is_empty() || is_placeholder(url) {
            continue;
        }
        let size = parts
            .next()
            .and_then(|d| {
                let d = d.trim_end_matches(',');
                d.strip_suffix('w')
                    .or_else(|| d.strip_suffix('x'))
                    .and_then(|n| n.parse::<f64>().ok())
            })
            .unwrap_or(1.0);
        if best.as_ref().is_none_or(|(s, _)| size > *s) {
            best = Some((size, url.to_string()));
        }
    }
    best.map(|(_, u)| u)
}

/// Collapse whitespace across inline boundaries, drop invisible characters and empty
/// wrappers, trim the ends, merge adjacent text runs, NFC.
pub fn normalize_inlines(v: Vec<Inline>) -> Vec<Inline> {
    let mut space_before = true; // at start: drop leading spaces
    let mut out = norm_rec(v, &mut space_before);
    trim_end(&mut out);
    out
}

fn norm_rec(v: Vec<Inline>, space: &mut bool) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for inline in v {
        match inline {
            Inline::Text { text } => {
                let mut s = String::with_capacity(text.len());
                for c in text.chars() {
                    if is_invisible(c) {
                        continue;
                    }
                    if c.is_whitespace() {
                        if !*space {
                            s.push(' ');
                            *space = true;
                        }
                    } else {
                        s.push(c);
                        *space = false;
                    }
                }
                if s.is_empty() {
                    continue;
                }
                let s = match crate::normalize::text::to_nfc(&s) {
                    std::borrow::Cow::Borrowed(_) => s,
                    std::borrow::Cow::Owned(n) => n,
                };
                if let Some(Inline::Text { text: prev }) = out.last_mut() {
                    prev.push_str(&s);
                } else {
                    out.push(Inline::Text { text: s });
                }
            }
            Inline::Code { text } => {
                let t = super::text::clean_text(&text);
                if !t.is_empty() {
                    out.push(Inline::Code { text: t });
                    *space = false;
                }
            }
            Inline::LineBreak => {
                trim_end(&mut out);
                if !out.is_empty() && !matches!(out.last(), Some(Inline::LineBreak)) {
                    out.push(Inline::LineBreak);
                }
                *space = true;
            }
            Inline::Emph { content } => {
                let c = norm_rec(content, space);
                if has_text(&c) {
                    out.push(Inline::Emph { content: c });
                } else {
                    out.extend(c.into_iter().filter(|i| matches!(i, Inline::Text { .. })));
                }
            }
            Inline::Strong { content } => {
                let c = norm_rec(content, space);
                if has_text(&c) {
                    out.push(Inline::Strong { content: c });
                } else {
                    out.extend(c.into_iter().filter(|i| matches!(i, Inline::Text { .. })));
                }
            }
            Inline::Link { url, content } => {
                let c = norm_rec(content, space);
                if has_text(&c) {
                    out.push(Inline::Link { url, content: c });
                } else {
                    out.extend(c.into_iter().filter(|i| matches!(i, Inline::Text { .. })));
                }
            }
            f @ Inline::FootnoteRef { .. } => out.push(f),
        }
    }
    out
}

fn has_text(v: &[Inline]) -> bool {
    v.iter().any(|i| match i {
        Inline::Text { text } => !text.trim().is_empty(),
        Inline::Code { .. } | Inline::FootnoteRef { .. } => true,
        Inline::Emph { content } | Inline::Strong { content } | Inline::Link { content, .. } => {
            has_text(content)
        }
        Inline::LineBreak => false,
    })
}

/// Trim trailing spaces and line breaks (recursively into the last inline).
fn trim_end(v: &mut Vec<Inline>) {
    loop {
        match v.last_mut() {
            Some(Inline::LineBreak) => {
                v.pop();
            }
            Some(Inline::Text { text }) => {
                let t = text.trim_end().len();
                text.truncate(t);
                if text.is_empty() {
                    v.pop();
                } else {
                    return;
                }
            }
            Some(Inline::Emph { content })
            | Some(Inline::Strong { content })
            | Some(Inline::Link { content, .. }) => {
                trim_end(content);
                if content.is_empty() {
                    v.pop();
                } else {
                    return;
                }
            }
            _ => return,
        }
    }
}

/// Renumber heading levels so the first section level is 2 and levels never skip; drop a
/// leading heading that repeats the title.
pub fn renumber_headings(blocks: &mut Vec<Block>, title: Option<&str>) {
    if let Some(t) = title.map(norm_key).filter(|t| !t.is_empty()) {
        // The title heading, if repeated, sits before the first paragraph of text.
        let first_text = blocks
            .iter()
            .position(|b| {
                matches!(b, Block::Paragraph { .. } | Block::List { .. } | Block::Quote { .. })
            })
            .unwrap_or(blocks.len());
        if let Some(i) = blocks.iter().take(first_text).position(|b| matches!(b, Block::Heading { content, .. } if norm_key(&crate::model::inlines_text(content)) == t)) {
            blocks.remove(i);
        }
    }
    let mut stack: Vec<(u8, u8)> = Vec::new();
    renumber(blocks, &mut stack);
}

fn renumber(blocks: &mut [Block], stack: &mut Vec<(u8, u8)>) {
    for b in blocks.iter_mut() {
        match b {
            Block::Heading { level, .. } => {
                let raw = *level;
                while stack.last().is_some_and(|&(r, _)| r >= raw) {
                    stack.pop();
                }
                let new = stack.last().map_or(2, |&(_, n)| n.saturating_add(1)).min(6);
                stack.push((raw, new));
                *level = new;
            }
            Block::Quote { blocks, .. } => renumber(blocks, stack),
            Block::List { items, .. } => {
                for item in items {
                    renumber(item, stack);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::block_text;
    use scraper::Html;

    fn conv(html: &str) -> Vec<Block> {
        let doc = Html::parse_fragment(html);
        let base = Url::parse("https://example.org/a/b.html").ok();
        Converter { base: base.as_ref() }.convert(doc.root_element())
    }

    #[test]
    fn paragraphs_and_inlines() {
        let b = conv("<p>Hello <em> big </em><b>world</b>, see <a href='../x?y=1'>this</a><br>next\u{00AD}line</p><p>  </p>");
        assert_eq!(b.len(), 1);
        let Block::Paragraph { content } = &b[0] else { panic!() };
        assert_eq!(
            content,
            &vec![
                Inline::text("Hello "),
                Inline::Emph { content: vec![Inline::text("big ")] },
                Inline::Strong { content: vec![Inline::text("world")] },
                Inline::text(", see "),
                Inline::Link {
                    url: "https://example.org/x?y=1".into(),
                    content: vec![Inline::text("this")]
                },
                Inline::LineBreak,
                Inline::text("nextline"),
            ]
        );
    }

    #[test]
    fn a_drop_cap_set_apart_joins_its_word() {
        let b = conv("<div><span class=dc>T</span><p><a href='/t'>urkey</a>, Poland and Saba.</p><p>Next.</p></div>");
        assert_eq!(block_text(&b[0]), "Turkey, Poland and Saba.");
        assert_eq!(b.len(), 2);
        let b = conv("<div><span>A</span><p> man walks.</p></div>");
        assert_eq!(block_text(&b[0]), "A man walks.");
        // Through a wrapper too; not when the next paragraph starts a new word or sentence,
        // nor across a heading, nor a letter that is not alone.
        let b = conv("<span>I</span><div><p>n 1990, it rained.</p></div>");
        assert_eq!(block_text(&b[0]), "In 1990, it rained.");
        let b = conv("<span>B</span><p>Next sentence.</p>");
        assert_eq!(b.iter().map(block_text).collect::<Vec<_>>(), ["B", "Next sentence."]);
        let b = conv("<span>B</span><h2>Heading</h2><p>lower case.</p>");
        assert_eq!(b.iter().map(block_text).collect::<Vec<_>>(), ["B", "Heading", "lower case."]);
        let b = conv("<span>x</span><p>yz.</p><span>AB</span><p>cd.</p>");
        assert_eq!(b.iter().map(block_text).collect::<Vec<_>>(), ["x", "yz.", "AB", "cd."]);
        // Wrapped in a paragraph of its own, as the Readability port leaves it.
        let b = conv("<p><span class=dc>T</span></p><p><a href='/t'>urkey</a>, Poland.</p>");
        assert_eq!(b.iter().map(block_text).collect::<Vec<_>>(), ["Turkey, Poland."]);
        // A letter that is a paragraph of its own (an index's letter) stays one.
        let b = conv("<p>A</p><p>abacus: a counting frame.</p>");
        assert_eq!(
            b.iter().map(block_text).collect::<Vec<_>>(),
            ["A", "abacus: a counting frame."]
        );
    }

    #[test]
    fn hidden_elements_removed() {
        let b = conv("<div><p>keep</p><p hidden>no1</p><p aria-hidden='true'>no2</p><p style='display: none'>no3</p><script>no4</script></div>");
        let text: Vec<String> = b.iter().map(crate::model::block_text).collect();
        assert_eq!(text, vec!["keep"]);
    }

    fn figure_srcs(blocks: &[Block]) -> Vec<&str> {
        blocks
            .iter()
            .filter_map(|x| match x {
                Block::Figure { src, .. } => Some(src.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn lazy_images() {
        let b = conv(
            r#"<figure><img src="data:image/gif;base64,R0lGOD" data-src="/img/a.jpg" alt="A"><figcaption>Cap <i>it</i></figcaption></figure>
            <img srcset="s.jpg 320w, l.jpg 1024w, m.jpg 640w">
            <img class="lazy" src="data:image/gif;base64,xx"><noscript><img src="https://cdn.example.org/n.png" alt="N"></noscript>"#,
        );
        assert_eq!(
            figure_srcs(&b),
            vec![
                "https://example.org/img/a.jpg",
                "https://example.org/a/l.jpg",
                "https://cdn.example.org/n.png"
            ]
        );
        let Block::Figure { caption, alt, .. } = &b[0] else { panic!() };
        assert_eq!(alt, "A");
        assert_eq!(crate::model::inlines_text(caption), "Cap it");
    }

    #[test]
    fn a_lazy_loaders_own_attribute_gives_the_image() {
        let b = conv(
            r#"<img src="https://e.org/css/lazy.svg" data-td-src-property="https://media.e.org/a/photo.jpg" alt="A" width="730">
            <img src="/theme/loading.gif" data-echo="/img/b.png?w=800" alt="B">
            <img src="/img/real.jpg" data-big="/img/other.jpg" alt="C">
            <img src="/img/lazy.svg" data-note="not an image" alt="D">"#,
        );
        assert_eq!(
            figure_srcs(&b),
            vec![
                "https://media.e.org/a/photo.jpg",
                "https://example.org/img/b.png?w=800",
                "https://example.org/img/real.jpg"
            ]
        );
        assert!(!is_placeholder("https://e.org/img/lazydog.jpg/x.jpg"));
        assert!(is_placeholder("https://e.org/t/lazyload-1x1.png"));
        assert!(!is_placeholder("https://e.org/photos/lazy-river.jpg"));
    }

    #[test]
    fn an_image_only_a_noscript_in_a_figure_holds_comes_out_once() {
        let b = conv(
            r#"<figure><div class="media"><noscript><img src="https://e.org/w.jpg" alt="W"></noscript></div>
            <meta itemprop="width" content="822"><figcaption>The caption.</figcaption></figure>"#,
        );
        assert_eq!(b.len(), 1, "{b:?}");
        let Block::Figure { src, caption, .. } = &b[0] else { panic!("{b:?}") };
        assert_eq!(src, "https://e.org/w.jpg");
        assert_eq!(crate::model::inlines_text(caption), "The caption.");
    }

    #[test]
    fn lists_tables_code() {
        let b = conv("<ol start='3'><li>a<ul><li>b</li></ul></li><li>c</li></ol><pre><code class='language-rust'>\nfn main() {\n    x();\n}\n</code></pre><table><tr><th>H1</th><th>H2</th></tr><tr><td>1</td><td>2</td></tr></table><hr>");
        assert!(
            matches!(&b[0], Block::List { ordered: Some(3), items } if items.len() == 2 && matches!(items[0][1], Block::List { ordered: None, .. }))
        );
        assert_eq!(
            b[1],
            Block::Code { lang: Some("rust".into()), text: "fn main() {\n    x();\n}".into() }
        );
        assert!(
            matches!(&b[2], Block::Table { header, rows, .. } if header.len() == 2 && rows.len() == 1)
        );
        assert_eq!(b[3], Block::ThematicBreak);
    }

    #[test]
    fn heading_renumbering() {
        let mut b = vec![
            Block::heading(1, "The Title"),
            Block::para("x"),
            Block::heading(3, "A"),
            Block::heading(5, "B"),
            Block::heading(4, "C"),
            Block::heading(2, "D"),
            Block::heading(3, "E"),
        ];
        renumber_headings(&mut b, Some("The title"));
        let levels: Vec<u8> = b
            .iter()
            .filter_map(|x| match x {
                Block::Heading { level, .. } => Some(*level),
                _ => None,
            })
            .collect();
        assert_eq!(levels, vec![2, 3, 3, 2, 3]);
        assert_eq!(b.len(), 6);
    }

    #[test]
    fn srcset_best() {
        assert_eq!(best_srcset("a.jpg 1x, b.jpg 2x").as_deref(), Some("b.jpg"));
    }
}
