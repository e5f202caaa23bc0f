//! Markdown writer: CommonMark (plus GFM pipe tables and `[^n]` footnotes) with YAML front
//! matter.
//!
//! Quiet output is the goal: one paragraph per line, escapes only where a character would
//! otherwise change the structure, the attribution line of a quote just above its `>` block.

use crate::model::{Block, Document, Inline};

/// Write the document as Markdown.
pub fn write(doc: &Document) -> String {
    let mut out = String::new();
    front_matter(doc, &mut out);
    out.push_str("# ");
    out.push_str(&escape_line_start(&escape_text(doc.title_or_default())));
    out.push_str("\n\n");
    out.push_str(&blocks(&doc.blocks));
    if !doc.footnotes.is_empty() {
        for note in &doc.footnotes {
            let body = blocks(&note.blocks);
            let mut lines = body.trim_end().lines();
            out.push_str(&format!("[^{}]: {}\n", note.id, lines.next().unwrap_or("")));
            for line in lines {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str("    ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// A YAML double-quoted scalar.
fn yaml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn front_matter(doc: &Document, out: &mut String) {
    let m = &doc.meta;
    let mut fields: Vec<String> = Vec::new();
    if let Some(t) = &m.title {
        fields.push(format!("title: {}", yaml_str(t)));
    }
    match m.authors.as_slice() {
        [] => {}
        [one] => fields.push(format!("author: {}", yaml_str(one))),
        many => {
            fields.push("author:".into());
            fields.extend(many.iter().map(|a| format!("  - {}", yaml_str(a))));
        }
    }
    for (key, value) in [
        ("date", &m.date),
        ("source", &m.source),
        ("lang", &m.lang),
        ("site", &m.site),
        ("description", &m.description),
        ("image", &m.image),
        ("dir", &m.dir),
    ] {
        if let Some(v) = value {
            fields.push(format!("{key}: {}", yaml_str(v)));
        }
    }
    if fields.is_empty() {
        return;
    }
    out.push_str("---\n");
    for f in fields {
        out.push_str(&f);
        out.push('\n');
    }
    out.push_str("---\n\n");
}

/// Blocks separated by blank lines.
fn blocks(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut prev_list = false;
    for b in blocks {
        let is_list = matches!(b, Block::List { .. });
        if prev_list && is_list {
            // Two adjacent lists would merge into one; a comment keeps them apart.
            out.push_str("<!-- -->\n\n");
        }
        prev_list = is_list;
        out.push_str(&block(b));
        out.push_str("\n\n");
    }
    out
}

fn block(b: &Block) -> String {
    match b {
        Block::Heading { level, content } => {
            let level = (*level).clamp(2, 6) as usize;
            format!("{} {}", "#".repeat(level), inlines(content).replace('\n', " "))
        }
        Block::Paragraph { content } => escape_line_start(&inlines(content)),
        Block::Quote { attribution, blocks: inner } => {
            let mut out = String::new();
            if let Some(a) = attribution {
                out.push_str(&escape_line_start(&inlines(a)));
                out.push_str(":\n\n");
            }
            out.push_str(&prefix_lines(blocks(inner).trim_end(), "> ", ">"));
            out
        }
        Block::List { ordered, items } => list(*ordered, items),
        Block::Code { lang, text } => {
            let longest = longest_run(text, '`');
            let fence = "`".repeat(longest.max(2) + 1);
            format!(
                "{fence}{}\n{}\n{fence}",
                lang.as_deref().unwrap_or(""),
                text.trim_end_matches('\n')
            )
        }
        Block::Table { caption, header, rows } => table(caption.as_deref(), header, rows),
        Block::Figure { src, alt, caption } => {
            let mut out = format!("![{}]({})", escape_text(alt), link_dest(src));
            if !caption.is_empty() {
                out.push_str("\n\n*");
                out.push_str(inlines(caption).trim());
                out.push('*');
            }
            out
        }
        Block::ThematicBreak => "* * *".to_string(),
    }
}

fn list(ordered: Option<u32>, items: &[Vec<Block>]) -> String {
    let mut out = String::new();
    for (n, item) in items.iter().enumerate() {
        let marker = match ordered {
            Some(start) => format!("{}. ", start as usize + n),
            None => "- ".to_string(),
        };
        let indent = " ".repeat(marker.len());
        let body = blocks(item);
        let body = body.trim_end();
        let mut first = true;
        for line in body.lines() {
            if first {
                out.push_str(&marker);
                out.push_str(line);
                first = false;
            } else if line.is_empty() {
                // keep blank lines inside items
            } else {
                out.push_str(&indent);
                out.push_str(line);
            }
            out.push('\n');
        }
        if first {
            out.push_str(marker.trim_end());
            out.push('\n');
        }
    }
    out.trim_end().to_string()
}

fn table(caption: Option<&[Inline]>, header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) -> String {
    let width = rows.iter().map(Vec::len).chain(std::iter::once(header.len())).max().unwrap_or(0);
    if width == 0 {
        return String::new();
    }
    let cell = |c: Option<&Vec<Inline>>| -> String {
        c.map(|c| inlines(c).replace('\n', " ").replace('|', "\\|")).unwrap_or_default()
    };
    let row_line = |cells: Vec<String>| -> String { format!("| {} |", cells.join(" | ")) };
    let mut out = String::new();
    if let Some(c) = caption {
        out.push('*');
        out.push_str(inlines(c).trim());
        out.push_str("*\n\n");
    }
    let head: Vec<String> = (0..width).map(|i| cell(header.get(i))).collect();
    out.push_str(&row_line(head));
    out.push('\n');
    out.push_str(&row_line(vec!["---".to_string(); width]));
    for r in rows {
        out.push('\n');
        out.push_str(&row_line((0..width).map(|i| cell(r.get(i))).collect()));
    }
    out
}

fn prefix_lines(text: &str, prefix: &str, blank: &str) -> String {
    text.lines()
        .map(|l| if l.is_empty() { blank.to_string() } else { format!("{prefix}{l}") })
        .collect::<Vec<_>>()
        .join("\n")
}

fn longest_run(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for ch in s.chars() {
        if ch == c {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Inline content as Markdown. Line breaks become a backslash at the end of the line.
fn inlines(content: &[Inline]) -> String {
    let mut out = String::new();
    for i in content {
        match i {
            Inline::Text { text } => out.push_str(&escape_text(text)),
            Inline::Emph { content } => wrap(&mut out, "*", &inlines(content)),
            Inline::Strong { content } => wrap(&mut out, "**", &inlines(content)),
            Inline::Code { text } => {
                let ticks = "`".repeat(longest_run(text, '`') + 1);
                let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
                out.push_str(&format!("{ticks}{pad}{text}{pad}{ticks}"));
            }
            Inline::Link { url, content } => {
                let text = inlines(content);
                if text == escape_text(url) && url.contains("://") {
                    out.push_str(&format!("<{url}>"));
                } else {
                    out.push_str(&format!("[{text}]({})", link_dest(url)));
                }
            }
            Inline::FootnoteRef { id } => out.push_str(&format!("[^{id}]")),
            Inline::LineBreak => out.push_str("\\\n"),
        }
    }
    out
}

/// Emphasis delimiters must hug non-space text; move edge spaces outside.
fn wrap(out: &mut String, delim: &str, inner: &str) {
    let trimmed = inner.trim();
    if trimmed.is_empty() {
        out.push_str(inner);
        return;
    }
    if inner.starts_with(' ') {
        out.push(' ');
    }
    out.push_str(delim);
    out.push_str(trimmed);
    out.push_str(delim);
    if inner.ends_with(' ') {
        out.push(' ');
    }
}

fn link_dest(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

/// Escape characters that would start inline markup: `\`, `*`, `_` (at word edges), `` ` ``,
/// `[`, `]`, `<` before a letter or `/`, and `&` before an entity-like run.
fn escape_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { chars.get(i - 1).copied() } else { None };
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '*' | '`' | '[' | ']' => true,
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            '<' => {
                next.is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!' || n == '?')
            }
            '&' => {
                let rest: String = chars[i + 1..].iter().take(10).collect();
                rest.find(';').is_some_and(|p| {
                    p > 0 && rest[..p].chars().all(|c| c.is_ascii_alphanumeric() || c == '#')
                })
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escape what would turn the start of a line into a block marker: `#`, `>`, list bullets
/// and numbers, `=`/`-` runs (setext underlines), `+`, `|`, fenced-code tildes.
fn escape_line_start(s: &str) -> String {
    s.split('\n').map(escape_one_line_start).collect::<Vec<_>>().join("\n")
}

fn escape_one_line_start(line: &str) -> String {
    let trimmed = line.trim_start();
    let lead = &line[..line.len() - trimmed.len()];
    let mut chars = trimmed.chars();
    let first = chars.next();
    let second = chars.next();
    let needs = match first {
        Some('#') | Some('>') | Some('|') => true,
        Some('-') | Some('+') | Some('=') => {
            second.is_none_or(|c| c == ' ' || c == first.unwrap_or(' '))
        }
        Some('~') => second == Some('~'),
        Some(c) if c.is_ascii_digit() => {
            let digits: String = trimmed.chars().take_while(char::is_ascii_digit).collect();
            let after = &trimmed[digits.len()..];
            digits.len() <= 9
                && (after.starts_with(". ")
                    || after.starts_with(") ")
                    || after == "."
                    || after == ")")
        }
        _ => false,
    };
    if !needs {
        return line.to_string();
    }
    if first.is_some_and(|c| c.is_ascii_digit()) {
        let digits: String = trimmed.chars().take_while(char::is_ascii_digit).collect();
        return format!("{lead}{digits}\\{}", &trimmed[digits.len()..]);
    }
    format!("{lead}\\{trimmed}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Footnote, Meta};

    #[test]
    fn escapes_only_what_changes_structure() {
        assert_eq!(
            escape_text("snake_case and _under_ *star* [x] a<b <b>"),
            "snake_case and \\_under\\_ \\*star\\* \\[x\\] a\\<b \\<b>"
        );
        assert_eq!(escape_line_start("# not a heading"), "\\# not a heading");
        assert_eq!(escape_line_start("1. not a list"), "1\\. not a list");
        assert_eq!(escape_line_start("- not a list"), "\\- not a list");
        assert_eq!(escape_line_start("-1 degrees"), "-1 degrees");
        assert_eq!(escape_line_start("2024 was a year"), "2024 was a year");
    }

    #[test]
    fn writes_front_matter_title_quote_and_footnotes() {
        let doc = Document {
            meta: Meta {
                title: Some("A \"quoted\" title".into()),
                authors: vec!["Jane Doe".into()],
                lang: Some("en".into()),
                ..Default::default()
            },
            blocks: vec![
                Block::heading(2, "Section"),
                Block::Quote {
                    attribution: Some(vec![Inline::text("Jane Doe, analyst")]),
                    blocks: vec![Block::para("“One."), Block::para("Two.”")],
                },
                Block::Paragraph {
                    content: vec![Inline::text("Term"), Inline::FootnoteRef { id: 1 }],
                },
            ],
            footnotes: vec![Footnote { id: 1, blocks: vec![Block::para("Term - a definition.")] }],
        };
        let md = write(&doc);
        assert!(md.starts_with("---\ntitle: \"A \\\"quoted\\\" title\"\nauthor: \"Jane Doe\"\nlang: \"en\"\n---\n\n# A \"quoted\" title\n\n## Section\n\n"));
        assert!(md.contains(
            "Jane Doe, analyst:\n\n> “One.\n>\n> Two.”\n\nTerm[^1]\n\n[^1]: Term - a definition."
        ));
    }

    #[test]
    fn lists_nest_with_indentation() {
        let inner = Block::List { ordered: None, items: vec![vec![Block::para("b")]] };
        let doc = Document {
            blocks: vec![Block::List {
                ordered: Some(3),
                items: vec![vec![Block::para("a"), inner]],
            }],
            ..Default::default()
        };
        assert!(write(&doc).contains("3. a\n\n   - b"));
    }
}
