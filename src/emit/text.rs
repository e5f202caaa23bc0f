//! Plain-text writer: the title, then every block's text, blocks separated by a blank line.
//! Quotes keep their attribution line; list items get a bullet or number; footnotes follow
//! the body as `[n] text`, with `[n]` at the reference.

use crate::model::{Block, Document, Inline};

/// Write the document as plain text.
pub fn write(doc: &Document) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(t) = &doc.meta.title {
        parts.push(t.clone());
    }
    for b in &doc.blocks {
        block(b, &mut parts);
    }
    for note in &doc.footnotes {
        let mut inner = Vec::new();
        for b in &note.blocks {
            block(b, &mut inner);
        }
        parts.push(format!("[{}] {}", note.id, inner.join("\n\n")));
    }
    let mut out = parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n");
    out.push('\n');
    out
}

fn inlines(content: &[Inline]) -> String {
    let mut out = String::new();
    for i in content {
        match i {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => {
                out.push_str(&inlines(content));
            }
            Inline::FootnoteRef { id } => out.push_str(&format!("[{id}]")),
            Inline::LineBreak => out.push('\n'),
        }
    }
    out
}

fn block(b: &Block, out: &mut Vec<String>) {
    match b {
        Block::Heading { content, .. } | Block::Paragraph { content } => out.push(inlines(content)),
        Block::Quote { attribution, blocks } => {
            if let Some(a) = attribution {
                out.push(format!("{}:", inlines(a)));
            }
            for b in blocks {
                block(b, out);
            }
        }
        Block::List { ordered, items } => {
            let mut lines = Vec::new();
            for (n, item) in items.iter().enumerate() {
                let marker = ordered.map_or("•".to_string(), |s| format!("{}.", s as usize + n));
                let mut inner = Vec::new();
                for b in item {
                    block(b, &mut inner);
                }
                let indent = " ".repeat(marker.chars().count() + 1);
                let text = inner.join("\n").replace('\n', &format!("\n{indent}"));
                lines.push(format!("{marker} {text}"));
            }
            out.push(lines.join("\n"));
        }
        Block::Code { text, .. } => out.push(text.trim_end_matches('\n').to_string()),
        Block::Table { caption, header, rows } => {
            let mut lines = Vec::new();
            if let Some(c) = caption {
                lines.push(inlines(c));
            }
            for row in std::iter::once(header).filter(|h| !h.is_empty()).chain(rows.iter()) {
                lines.push(row.iter().map(|c| inlines(c)).collect::<Vec<_>>().join("\t"));
            }
            out.push(lines.join("\n"));
        }
        Block::Figure { alt, caption, .. } => {
            let c = inlines(caption);
            out.push(if c.is_empty() { alt.clone() } else { c });
        }
        Block::ThematicBreak => out.push("* * *".into()),
    }
}
