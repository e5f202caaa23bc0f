//! A small XHTML (polyglot HTML5 in XML syntax) serialiser for the document model.
//!
//! Semantic markup only: headings with stable ids, paragraphs, block quotes, lists, code,
//! tables, figures and the EPUB 3 footnote pattern (`noteref` links and `footnote` asides).
//! No inline styles, no `name` attributes, no classes copied from a site. Text is escaped for
//! XML and characters that XML 1.0 forbids are dropped.
//!
//! Used by the EPUB writer; other writers that need XHTML can share it.

use std::collections::BTreeMap;

use crate::model::{inlines_text, Block, Document, Footnote, Inline};

/// Is `c` allowed in an XML 1.0 document (and not a control or non-character that would only
/// be noise in text)?
pub fn is_xml_char(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => true,
        '\u{0}'..='\u{1F}' => false,
        '\u{7F}'..='\u{9F}' => false,
        '\u{FDD0}'..='\u{FDEF}' => false,
        _ => (c as u32) & 0xFFFE != 0xFFFE,
    }
}

/// Drop characters that are not allowed in XML 1.0 text.
pub fn clean_text(s: &str) -> String {
    s.chars().filter(|&c| is_xml_char(c)).collect()
}

/// Escape text content for XML (`&`, `<`, `>`), dropping invalid characters.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s, false);
    out
}

/// Escape an attribute value for a double-quoted XML attribute.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s, true);
    out
}

fn push_escaped(out: &mut String, s: &str, attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\n' | '\t' | '\r' if attr => out.push(' '),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Is `tag` a well-formed BCP 47 language tag (syntax only)?
pub fn is_lang_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The language of a document as a safe BCP 47 tag (`en` when missing or malformed).
pub fn doc_lang(doc: &Document) -> String {
    match doc.meta.lang.as_deref().map(str::trim) {
        Some(l) if is_lang_tag(l) => l.to_string(),
        _ => "en".to_string(),
    }
}

/// Is the document right-to-left?
pub fn doc_is_rtl(doc: &Document) -> bool {
    doc.meta.dir.as_deref().is_some_and(|d| d.trim().eq_ignore_ascii_case("rtl"))
}

/// A link target that is safe to emit: absolute URLs with a harmless scheme, normalised.
/// Relative URLs and `#fragments` from the source page would dangle inside an EPUB.
pub fn safe_link(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    if let Some(url::Host::Domain(d)) = parsed.host() {
        if !domain_ok(d) {
            return None;
        }
    }
    match parsed.scheme() {
        "http" | "https" | "mailto" | "ftp" | "tel" | "news" | "gopher" => {
            let authority = &parsed[..url::Position::BeforePath];
            let rest = parsed.as_str().get(authority.len()..).unwrap_or_default();
            Some(format!("{authority}{}", strict_uri_chars(rest)))
        }
        _ => None,
    }
}

/// A domain name that IDNA (UTS 46 with hyphen checks, as EPUBCheck applies it) accepts:
/// no empty label, labels of at most 63 bytes, no leading or trailing hyphen.
fn domain_ok(domain: &str) -> bool {
    let d = domain.strip_suffix('.').unwrap_or(domain);
    !d.is_empty()
        && d.len() <= 253
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && (l.get(2..4) != Some("--") || l.starts_with("xn--"))
        })
}

/// Percent-encode what RFC 3986 forbids in a path, query or fragment (the WHATWG parser lets
/// `\`, `|`, `^`, `[`, a bare `%`, a second `#` and others through; EPUBCheck rejects them).
fn strict_uri_chars(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut in_fragment = false;
    for (i, &b) in bytes.iter().enumerate() {
        let hex_follows =
            bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        match b {
            b'%' if hex_follows => out.push('%'),
            // The first `#` starts the fragment; one inside it (a text fragment quoting
            // `&#x27;`) is data.
            b'#' if !in_fragment => {
                in_fragment = true;
                out.push('#');
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(char::from(b)),
            b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'@' | b'!' | b'$' | b'&' | b'\''
            | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Settings for rendering one document body.
#[derive(Debug, Clone, Default)]
pub struct BodyOptions {
    /// `Figure::src` → local href of the embedded image. Figures not listed are text only.
    pub images: BTreeMap<String, String>,
    /// Links inside a book: an article's source URL (see [`link_key`]) → the content
    /// document that holds it, so links between bundled articles stay inside the book.
    pub internal: BTreeMap<String, String>,
}

/// The form of a URL used to match links to bundled articles: no fragment, no trailing
/// slash, scheme and host lower-cased (by the URL parser).
pub fn link_key(url: &str) -> Option<String> {
    let mut u = url::Url::parse(url.trim()).ok()?;
    u.set_fragment(None);
    Some(u.as_str().trim_end_matches('/').to_string())
}

/// A heading of the rendered body, for building a table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingInfo {
    /// Heading level as rendered, 2..=6.
    pub level: u8,
    /// The element id (`sec-1`, `sec-2`, ...), stable for the same input.
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

/// The rendered body of a document.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// XHTML markup of the blocks followed by the footnote asides.
    pub markup: String,
    /// Headings in document order.
    pub headings: Vec<HeadingInfo>,
    /// Number of images referenced locally.
    pub images_used: usize,
}

/// Render `doc.blocks` and `doc.footnotes` as XHTML body content (without the title header).
pub fn render_body(doc: &Document, opts: &BodyOptions) -> Body {
    let mut r = Renderer {
        opts,
        notes: doc.footnotes.iter().map(|n| (n.id, n)).collect(),
        ref_counts: BTreeMap::new(),
        body: Body::default(),
        out: String::new(),
        in_link: false,
        in_notes: false,
        deferred_notes: Vec::new(),
    };
    for block in &doc.blocks {
        r.block(block);
    }
    r.footnotes(&doc.footnotes);
    r.body.markup = std::mem::take(&mut r.out);
    r.body
}

struct Renderer<'a> {
    opts: &'a BodyOptions,
    notes: BTreeMap<usize, &'a Footnote>,
    /// How many times each footnote was referenced so far.
    ref_counts: BTreeMap<usize, usize>,
    body: Body,
    out: String,
    /// Inside an `<a>`: nested links are unwrapped and note references wait until it closes.
    in_link: bool,
    deferred_notes: Vec<usize>,
    /// Rendering footnote definitions.
    in_notes: bool,
}

impl Renderer<'_> {
    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { level, content } => {
                let text = clean_text(&inlines_text(content))
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if text.is_empty() {
                    return;
                }
                let level = (*level).clamp(2, 6);
                if self.in_notes {
                    // A heading inside a footnote is not part of the document's outline.
                    self.out.push_str(&format!("<h{level}>"));
                    self.inlines(content);
                    self.out.push_str(&format!("</h{level}>\n"));
                    return;
                }
                let id = format!("sec-{}", self.body.headings.len() + 1);
                self.out.push_str(&format!("<h{level} id=\"{id}\">"));
                self.inlines(content);
                self.out.push_str(&format!("</h{level}>\n"));
                self.body.headings.push(HeadingInfo { level, id, text });
            }
            Block::Paragraph { content } => {
                if is_blank(content) {
                    return;
                }
                self.out.push_str("<p>");
                self.inlines(content);
                self.out.push_str("</p>\n");
            }
            Block::Quote { attribution, blocks } => {
                let mut inner = Renderer {
                    opts: self.opts,
                    notes: self.notes.clone(),
                    ref_counts: std::mem::take(&mut self.ref_counts),
                    body: std::mem::take(&mut self.body),
                    out: String::new(),
                    in_link: false,
                    in_notes: self.in_notes,
                    deferred_notes: Vec::new(),
                };
                for b in blocks {
                    inner.block(b);
                }
                self.ref_counts = inner.ref_counts;
                self.body = inner.body;
                let attribution = attribution.as_ref().filter(|a| !is_blank(a));
                if inner.out.is_empty() && attribution.is_none() {
                    return;
                }
                if let Some(a) = attribution {
                    self.out.push_str("<p class=\"attribution\">");
                    self.inlines(a);
                    let last = inlines_text(a).trim_end().chars().last();
                    if last.is_some_and(|c| c.is_alphanumeric() || ")]\"'»”’".contains(c)) {
                        self.out.push(':');
                    }
                    self.out.push_str("</p>\n");
                }
                if !inner.out.is_empty() {
                    self.out.push_str("<blockquote>\n");
                    self.out.push_str(&inner.out);
                    self.out.push_str("</blockquote>\n");
                }
            }
            Block::List { ordered, items } => {
                if items.is_empty() {
                    return;
                }
                match ordered {
                    Some(start) if *start != 1 => {
                        self.out.push_str(&format!("<ol start=\"{start}\">\n"))
                    }
                    Some(_) => self.out.push_str("<ol>\n"),
                    None => self.out.push_str("<ul>\n"),
                }
                for item in items {
                    self.out.push_str("<li>");
                    match item.as_slice() {
                        [Block::Paragraph { content }] => self.inlines(content),
                        blocks => {
                            self.out.push('\n');
                            for b in blocks {
                                self.block(b);
                            }
                        }
                    }
                    self.out.push_str("</li>\n");
                }
                self.out.push_str(if ordered.is_some() { "</ol>\n" } else { "</ul>\n" });
            }
            Block::Code { lang, text } => {
                let class = lang
                    .as_deref()
                    .map(|l| {
                        l.chars()
                            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
                            .collect::<String>()
                    })
                    .filter(|l| !l.is_empty());
                match class {
                    Some(l) => self.out.push_str(&format!("<pre><code class=\"language-{l}\">")),
                    None => self.out.push_str("<pre><code>"),
                }
                self.out.push_str(&escape_text(text.trim_end_matches('\n')));
                self.out.push_str("</code></pre>\n");
            }
            Block::Table { caption, header, rows } => {
                if header.is_empty() && rows.iter().all(|r| r.is_empty()) {
                    return;
                }
                self.out.push_str("<table>\n");
                if let Some(c) = caption.as_ref().filter(|c| !is_blank(c)) {
                    self.out.push_str("<caption>");
                    self.inlines(c);
                    self.out.push_str("</caption>\n");
                }
                if !header.is_empty() {
                    self.out.push_str("<thead>\n<tr>");
                    for cell in header {
                        self.out.push_str("<th scope=\"col\">");
                        self.inlines(cell);
                        self.out.push_str("</th>");
                    }
                    self.out.push_str("</tr>\n</thead>\n");
                }
                if rows.iter().any(|r| !r.is_empty()) {
                    self.out.push_str("<tbody>\n");
                    for row in rows.iter().filter(|r| !r.is_empty()) {
                        self.out.push_str("<tr>");
                        for cell in row {
                            self.out.push_str("<td>");
                            self.inlines(cell);
                            self.out.push_str("</td>");
                        }
                        self.out.push_str("</tr>\n");
                    }
                    self.out.push_str("</tbody>\n");
                }
                self.out.push_str("</table>\n");
            }
            Block::Figure { src, alt, caption } => self.figure(src, alt, caption),
            Block::ThematicBreak => self.out.push_str("<hr/>\n"),
        }
    }

    fn figure(&mut self, src: &str, alt: &str, caption: &[Inline]) {
        let alt = alt.split_whitespace().collect::<Vec<_>>().join(" ");
        let has_caption = !is_blank(caption);
        match self.opts.images.get(src) {
            Some(href) => {
                self.body.images_used += 1;
                self.out.push_str("<figure>\n");
                self.out.push_str(&format!(
                    "<img src=\"{}\" alt=\"{}\"/>\n",
                    escape_attr(href),
                    escape_attr(&alt)
                ));
                if has_caption {
                    self.out.push_str("<figcaption>");
                    self.inlines(caption);
                    self.out.push_str("</figcaption>\n");
                }
                self.out.push_str("</figure>\n");
            }
            None => {
                // No image bytes: keep the words, never a remote reference.
                if has_caption {
                    self.out.push_str("<figure class=\"no-image\">\n<figcaption>");
                    self.inlines(caption);
                    self.out.push_str("</figcaption>\n</figure>\n");
                } else if !alt.is_empty() && !alt_is_file_name(&alt) {
                    self.out.push_str("<figure class=\"no-image\">\n<figcaption>");
                    self.out.push_str(&escape_text(&alt));
                    self.out.push_str("</figcaption>\n</figure>\n");
                }
            }
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text { text } => self.out.push_str(&escape_text(text)),
            Inline::Emph { content } => self.wrap("em", content),
            Inline::Strong { content } => self.wrap("strong", content),
            Inline::Code { text } => {
                self.out.push_str("<code>");
                self.out.push_str(&escape_text(text));
                self.out.push_str("</code>");
            }
            Inline::Link { url, content } => match link_key(url)
                .and_then(|k| self.opts.internal.get(&k).cloned())
                .or_else(|| safe_link(url))
            {
                Some(href) if !self.in_link && !is_blank(content) => {
                    self.out.push_str(&format!("<a href=\"{}\">", escape_attr(&href)));
                    self.in_link = true;
                    self.inlines(content);
                    self.in_link = false;
                    self.out.push_str("</a>");
                    // Links cannot nest: note references inside the link follow it.
                    for id in std::mem::take(&mut self.deferred_notes) {
                        self.inline(&Inline::FootnoteRef { id });
                    }
                }
                _ => self.inlines(content),
            },
            Inline::FootnoteRef { id } => {
                if self.in_link && self.notes.contains_key(id) {
                    self.deferred_notes.push(*id);
                } else if self.notes.contains_key(id) {
                    let count = self.ref_counts.entry(*id).or_insert(0);
                    *count += 1;
                    let ref_id = if *count == 1 {
                        format!("fnref{id}")
                    } else {
                        format!("fnref{id}-{count}")
                    };
                    self.out.push_str(&format!(
                        "<sup><a epub:type=\"noteref\" role=\"doc-noteref\" \
                         href=\"#fn{id}\" id=\"{ref_id}\">{id}</a></sup>"
                    ));
                } else {
                    // A reference without a definition: keep the marker, no dangling link.
                    self.out.push_str(&format!("<sup>{id}</sup>"));
                }
            }
            Inline::LineBreak => self.out.push_str("<br/>"),
        }
    }

    fn wrap(&mut self, tag: &str, content: &[Inline]) {
        if content.is_empty() {
            return;
        }
        self.out.push_str(&format!("<{tag}>"));
        self.inlines(content);
        self.out.push_str(&format!("</{tag}>"));
    }

    fn footnotes(&mut self, notes: &[Footnote]) {
        if notes.is_empty() {
            return;
        }
        self.in_notes = true;
        self.out.push_str("<section class=\"footnotes\">\n<hr/>\n");
        let mut seen = std::collections::BTreeSet::new();
        for note in notes {
            if !seen.insert(note.id) {
                continue; // duplicate id: the first definition wins
            }
            let id = note.id;
            let referenced = self.ref_counts.contains_key(&id);
            let label = if referenced {
                format!("<a href=\"#fnref{id}\" role=\"doc-backlink\">{id}</a>")
            } else {
                format!("{id}")
            };
            self.out.push_str(&format!(
                "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn{id}\">\n"
            ));
            match note.blocks.split_first() {
                Some((Block::Paragraph { content }, rest)) => {
                    self.out.push_str(&format!("<p><span class=\"fn-label\">{label}</span> "));
                    self.inlines(content);
                    self.out.push_str("</p>\n");
                    for b in rest {
                        self.block(b);
                    }
                }
                _ => {
                    self.out.push_str(&format!("<p><span class=\"fn-label\">{label}</span></p>\n"));
                    for b in &note.blocks {
                        self.block(b);
                    }
                }
            }
            self.out.push_str("</aside>\n");
        }
        self.out.push_str("</section>\n");
    }
}

/// Alt text that is only a file or slug name (`photo_12.jpg`, `by-nc-sa`, `site.com`) says
/// nothing to a reader once the image is gone.
fn alt_is_file_name(alt: &str) -> bool {
    !alt.contains(char::is_whitespace)
        && (alt.contains(['.', '_', '/', '\\', '-']) || alt.chars().all(|c| c.is_ascii_digit()))
}

fn is_blank(inlines: &[Inline]) -> bool {
    inlines.iter().all(|i| match i {
        Inline::Text { text } => text.chars().all(|c| c.is_whitespace() || !is_xml_char(c)),
        Inline::Emph { content } | Inline::Strong { content } | Inline::Link { content, .. } => {
            is_blank(content)
        }
        Inline::Code { text } => text.chars().all(|c| !is_xml_char(c)),
        Inline::FootnoteRef { .. } => false,
        Inline::LineBreak => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_strips() {
        assert_eq!(escape_text("a & b < c > d \u{1} e\u{FFFF}"), "a &amp; b &lt; c &gt; d  e");
        assert_eq!(escape_attr("say \"hi\"\n"), "say &quot;hi&quot; ");
        assert!(!is_xml_char('\u{FFFE}'));
        assert!(is_xml_char('\u{1F600}'));
    }

    #[test]
    fn lang_tags() {
        assert!(is_lang_tag("en"));
        assert!(is_lang_tag("zh-Hant-TW"));
        assert!(!is_lang_tag("e"));
        assert!(!is_lang_tag("en_US"));
        assert!(!is_lang_tag(""));
    }

    #[test]
    fn links_are_absolute_only() {
        assert_eq!(
            safe_link("https://example.org/a b").as_deref(),
            Some("https://example.org/a%20b")
        );
        assert_eq!(safe_link("#frag"), None);
        assert_eq!(
            safe_link(r"https://e.org/a|b?r=https%3\x#t=[1]").as_deref(),
            Some("https://e.org/a%7Cb?r=https%253%5Cx#t=%5B1%5D")
        );
        assert_eq!(safe_link("http://[::1]:8080/p").as_deref(), Some("http://[::1]:8080/p"));
        // A text fragment that quotes an escaped apostrophe holds a second `#`.
        assert_eq!(
            safe_link("https://e.org/p/#:~:text=The%20Council&#x27;s,end.&text=b").as_deref(),
            Some("https://e.org/p/#:~:text=The%20Council&%23x27;s,end.&text=b")
        );
        assert_eq!(safe_link("mailto:a@b.c").as_deref(), Some("mailto:a@b.c"));
        assert_eq!(safe_link("http://www.x..de/"), None);
        assert_eq!(safe_link("http://-x.de/"), None);
        assert_eq!(safe_link("http://ab--c.de/"), None);
        assert!(safe_link("http://xn--e1afmkfd.xn--p1ai/").is_some());
        assert!(safe_link("http://example.org./").is_some());
        assert_eq!(safe_link("/relative"), None);
        assert_eq!(safe_link("javascript:alert(1)"), None);
    }

    #[test]
    fn footnotes_pair_up() {
        let doc = Document {
            blocks: vec![Block::Paragraph {
                content: vec![
                    Inline::text("x"),
                    Inline::FootnoteRef { id: 1 },
                    Inline::FootnoteRef { id: 1 },
                    Inline::FootnoteRef { id: 7 },
                ],
            }],
            footnotes: vec![Footnote { id: 1, blocks: vec![Block::para("note")] }],
            ..Default::default()
        };
        let body = render_body(&doc, &BodyOptions::default());
        assert!(body.markup.contains("href=\"#fn1\" id=\"fnref1\""));
        assert!(body.markup.contains("id=\"fnref1-2\""));
        assert!(body.markup.contains("<sup>7</sup>"));
        assert!(body.markup.contains("id=\"fn1\""));
        assert!(body.markup.contains("href=\"#fnref1\" role=\"doc-backlink\""));
    }

    #[test]
    fn headings_get_stable_ids() {
        let doc = Document {
            blocks: vec![Block::heading(2, "A"), Block::heading(1, "B"), Block::heading(9, "C")],
            ..Default::default()
        };
        let body = render_body(&doc, &BodyOptions::default());
        let levels: Vec<u8> = body.headings.iter().map(|h| h.level).collect();
        assert_eq!(levels, vec![2, 2, 6]);
        assert!(body.markup.contains("<h6 id=\"sec-3\">C</h6>"));
    }

    #[test]
    fn headings_in_notes_stay_out_of_the_outline() {
        let doc = Document {
            blocks: vec![Block::heading(2, "Body"), Block::para("x")],
            footnotes: vec![Footnote { id: 1, blocks: vec![Block::heading(2, "In note")] }],
            ..Default::default()
        };
        let body = render_body(&doc, &BodyOptions::default());
        assert_eq!(body.headings.len(), 1);
        assert!(body.markup.contains("<h2>In note</h2>"));
    }

    #[test]
    fn file_name_alts_are_dropped() {
        assert!(alt_is_file_name("IMG_2041.jpg"));
        assert!(alt_is_file_name("by-nc-sa"));
        assert!(alt_is_file_name("12345"));
        assert!(!alt_is_file_name("A chart of bugs over time"));
        assert!(!alt_is_file_name("screenshot"));
        assert!(!alt_is_file_name("{\\displaystyle x = y}"));
    }

    #[test]
    fn links_never_nest() {
        let link = |content| Inline::Link { url: "https://e.org/".into(), content };
        let doc = Document {
            blocks: vec![Block::Paragraph {
                content: vec![link(vec![
                    Inline::text("outer "),
                    link(vec![Inline::text("inner")]),
                    Inline::FootnoteRef { id: 1 },
                ])],
            }],
            footnotes: vec![Footnote { id: 1, blocks: vec![Block::para("n")] }],
            ..Default::default()
        };
        let m = render_body(&doc, &BodyOptions::default()).markup;
        assert!(m.contains("<a href=\"https://e.org/\">outer inner</a><sup><a epub:type"), "{m}");
    }
}
