//! The document model: what every reader produces and every writer consumes.
//!
//! Small and explicit, in the spirit of pandoc's AST: a [`Document`] is [`Meta`] plus a list
//! of [`Block`]s; blocks hold [`Inline`]s. Writers (`emit::*`) see only this model, never HTML
//! or the raw text dump. The model serialises to JSON (`--to json`) with serde.

use serde::{Deserialize, Serialize};

/// A whole article: metadata, body blocks and footnote definitions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Title, authors, date, source and so on.
    pub meta: Meta,
    /// The body, in reading order. The title is *not* repeated here as a heading.
    pub blocks: Vec<Block>,
    /// Footnote definitions, referenced from the body by [`Inline::FootnoteRef`].
    pub footnotes: Vec<Footnote>,
}

/// Document metadata. Every field is optional: readers fill what the input says.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Meta {
    /// Article title, without a site-name suffix.
    pub title: Option<String>,
    /// Authors, in byline order.
    pub authors: Vec<String>,
    /// Publication date as ISO 8601 (`2024-03-28` or a full RFC 3339 timestamp).
    pub date: Option<String>,
    /// Where the article came from (URL, or nothing for local dumps).
    pub source: Option<String>,
    /// BCP 47 language tag (`en`, `ru`, `zh`).
    pub lang: Option<String>,
    /// Site or publisher name.
    pub site: Option<String>,
    /// Short description / excerpt.
    pub description: Option<String>,
    /// Lead image URL.
    pub image: Option<String>,
    /// Text direction, `rtl` for right-to-left scripts; `None` means left-to-right.
    pub dir: Option<String>,
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A section heading. Level 2 is a top-level section (level 1 is the document title).
    Heading {
        /// 2..=6
        level: u8,
        /// Heading text.
        content: Vec<Inline>,
    },
    /// A paragraph of running text.
    Paragraph {
        /// Paragraph text.
        content: Vec<Inline>,
    },
    /// A quotation, optionally attributed to a speaker (`Name, role`).
    Quote {
        /// Who is quoted, as the source wrote it (without a trailing colon).
        attribution: Option<Vec<Inline>>,
        /// The quoted blocks.
        blocks: Vec<Block>,
    },
    /// A bulleted or numbered list.
    List {
        /// `Some(start)` for an ordered list, `None` for bullets.
        ordered: Option<u32>,
        /// Each item is a list of blocks.
        items: Vec<Vec<Block>>,
    },
    /// Preformatted code; whitespace is significant.
    Code {
        /// Language hint, if any.
        lang: Option<String>,
        /// The code, lines separated by `\n`.
        text: String,
    },
    /// A table. Cells hold inlines; the header row is optional.
    Table {
        /// Optional caption.
        caption: Option<Vec<Inline>>,
        /// Header row cells.
        header: Vec<Vec<Inline>>,
        /// Body rows.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// An image with its caption.
    Figure {
        /// Absolute URL, `data:` URI or local path of the image.
        src: String,
        /// Alternative text.
        alt: String,
        /// Caption, possibly empty.
        caption: Vec<Inline>,
    },
    /// A thematic break (`---`).
    ThematicBreak,
}

/// An inline element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text. Whitespace inside is already collapsed to single spaces.
    Text {
        /// The text.
        text: String,
    },
    /// Emphasis (italic).
    Emph {
        /// Emphasised inlines.
        content: Vec<Inline>,
    },
    /// Strong emphasis (bold).
    Strong {
        /// Strong inlines.
        content: Vec<Inline>,
    },
    /// Inline code.
    Code {
        /// The code.
        text: String,
    },
    /// A hyperlink.
    Link {
        /// Absolute target URL (or `#fragment`).
        url: String,
        /// Link text.
        content: Vec<Inline>,
    },
    /// A reference to `Document::footnotes[id - 1]` (ids start at 1).
    FootnoteRef {
        /// Footnote number, 1-based.
        id: usize,
    },
    /// A hard line break.
    LineBreak,
}

/// A footnote definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Footnote {
    /// 1-based number, matching [`Inline::FootnoteRef::id`].
    pub id: usize,
    /// The note's content.
    pub blocks: Vec<Block>,
}

impl Inline {
    /// Plain text inline.
    pub fn text(s: impl Into<String>) -> Self {
        Inline::Text { text: s.into() }
    }
}

impl Block {
    /// A paragraph holding one text run.
    pub fn para(s: impl Into<String>) -> Self {
        Block::Paragraph { content: vec![Inline::text(s)] }
    }

    /// A heading holding one text run.
    pub fn heading(level: u8, s: impl Into<String>) -> Self {
        Block::Heading { level, content: vec![Inline::text(s)] }
    }
}

/// Concatenated plain text of inlines (footnote references and markup dropped, line breaks
/// as `\n`).
pub fn inlines_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_inlines_text(inlines, &mut out);
    out
}

fn push_inlines_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => {
                push_inlines_text(content, out);
            }
            Inline::FootnoteRef { .. } => {}
            Inline::LineBreak => out.push('\n'),
        }
    }
}

/// Plain text of a block and its children, paragraphs separated by blank lines.
pub fn block_text(block: &Block) -> String {
    match block {
        Block::Heading { content, .. } | Block::Paragraph { content } => inlines_text(content),
        Block::Quote { attribution, blocks } => {
            let mut parts: Vec<String> = Vec::new();
            if let Some(a) = attribution {
                parts.push(inlines_text(a));
            }
            parts.extend(blocks.iter().map(block_text));
            parts.join("\n\n")
        }
        Block::List { items, .. } => items
            .iter()
            .map(|item| item.iter().map(block_text).collect::<Vec<_>>().join("\n\n"))
            .collect::<Vec<_>>()
            .join("\n\n"),
        Block::Code { text, .. } => text.clone(),
        Block::Table { caption, header, rows } => {
            let mut lines: Vec<String> = Vec::new();
            if let Some(c) = caption {
                lines.push(inlines_text(c));
            }
            if !header.is_empty() {
                lines.push(header.iter().map(|c| inlines_text(c)).collect::<Vec<_>>().join("\t"));
            }
            for row in rows {
                lines.push(row.iter().map(|c| inlines_text(c)).collect::<Vec<_>>().join("\t"));
            }
            lines.join("\n")
        }
        Block::Figure { caption, alt, .. } => {
            let c = inlines_text(caption);
            if c.is_empty() {
                alt.clone()
            } else {
                c
            }
        }
        Block::ThematicBreak => String::new(),
    }
}

/// What a URL in the model points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// A link's target.
    Link,
    /// An image's source.
    Image,
}

/// Call `f` on every URL in `blocks` (links in all inline content, figure sources), in
/// reading order, so that passes can rewrite them.
pub fn for_each_url_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut String, UrlKind)) {
    fn inlines(v: &mut [Inline], f: &mut dyn FnMut(&mut String, UrlKind)) {
        for i in v {
            match i {
                Inline::Link { url, content } => {
                    f(url, UrlKind::Link);
                    inlines(content, f);
                }
                Inline::Emph { content } | Inline::Strong { content } => inlines(content, f),
                _ => {}
            }
        }
    }
    for b in blocks {
        match b {
            Block::Paragraph { content } | Block::Heading { content, .. } => inlines(content, f),
            Block::Quote { attribution, blocks } => {
                if let Some(a) = attribution {
                    inlines(a, f);
                }
                for_each_url_mut(blocks, f);
            }
            Block::List { items, .. } => items.iter_mut().for_each(|i| for_each_url_mut(i, f)),
            Block::Table { caption, header, rows } => {
                if let Some(c) = caption {
                    inlines(c, f);
                }
                header.iter_mut().chain(rows.iter_mut().flatten()).for_each(|c| inlines(c, f));
            }
            Block::Figure { src, caption, .. } => {
                f(src, UrlKind::Image);
                inlines(caption, f);
            }
            Block::Code { .. } | Block::ThematicBreak => {}
        }
    }
}

/// The text of every heading in `blocks` and in the blocks they hold (quotes, list items),
/// in reading order.
pub fn heading_texts(blocks: &[Block]) -> Vec<String> {
    fn walk(blocks: &[Block], out: &mut Vec<String>) {
        for b in blocks {
            match b {
                Block::Heading { content, .. } => out.push(inlines_text(content)),
                Block::Quote { blocks, .. } => walk(blocks, out),
                Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(blocks, &mut out);
    out
}

/// GitHub-style heading anchor: lower case, spaces to hyphens, punctuation dropped.
pub fn heading_slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

impl Document {
    /// The text of every heading in reading order: the body's (also inside quotes and list
    /// items), then the footnotes'. The PDF writer sets headings in this order.
    pub fn all_heading_texts(&self) -> Vec<String> {
        let mut out = heading_texts(&self.blocks);
        for note in &self.footnotes {
            out.extend(heading_texts(&note.blocks));
        }
        out
    }

    /// The anchor of each heading of [`Document::all_heading_texts`], as GitHub and pandoc
    /// name them in the Markdown edition (which starts with the title as `# title`): the
    /// [`heading_slug`] of its text, or, when that is taken already, the slug with the first
    /// free `-1`, `-2`, … appended. Empty for a heading with nothing to slug.
    pub fn heading_anchors(&self) -> Vec<String> {
        let mut taken = std::collections::BTreeSet::new();
        taken.insert(heading_slug(self.title_or_default()));
        self.all_heading_texts()
            .iter()
            .map(|text| {
                let base = heading_slug(text);
                if base.is_empty() {
                    return base;
                }
                let mut name = base.clone();
                let mut n = 0;
                while taken.contains(&name) {
                    n += 1;
                    name = format!("{base}-{n}");
                }
                taken.insert(name.clone());
                name
            })
            .collect()
    }

    /// Section headings in order, as `(level, text)`.
    pub fn headings(&self) -> Vec<(u8, String)> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, content } => Some((*level, inlines_text(content))),
                _ => None,
            })
            .collect()
    }

    /// The plain-text body: every block's text, separated by blank lines (no title).
    pub fn body_text(&self) -> String {
        let mut parts: Vec<String> =
            self.blocks.iter().map(block_text).filter(|s| !s.is_empty()).collect();
        for note in &self.footnotes {
            parts.extend(note.blocks.iter().map(block_text));
        }
        parts.join("\n\n")
    }

    /// The title, or `"Untitled"` when the input had none.
    pub fn title_or_default(&self) -> &str {
        self.meta.title.as_deref().unwrap_or("Untitled")
    }
}
