//! Text-level clean-up: Unicode NFC, invisible characters, whitespace, empty blocks.

use crate::model::{Block, Document, Footnote, Inline};
use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Han ideographs, kana, Hangul syllables and jamo: characters that are a syllable or a
/// word each (language detection weighs them, the text reader counts words by them).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// `s` in Unicode NFC, borrowed when the quick check says it already is (nearly all text:
/// composing every string again cost ~3% of reading a page).
pub(crate) fn to_nfc(s: &str) -> Cow<'_, str> {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// Characters that carry no visible text and only get in the way of search, hyphenation and
/// copy-paste: soft hyphen, zero-width space/joiners, word joiner, BOM.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Control characters that are not whitespace (C0 but tab, line feed, vertical tab, form feed,
/// carriage return; DEL; C1 but next line): a stray one in a page (`\u{1}` pasted from a word
/// processor, a C1 byte left by a wrong encoding) has no glyph, is not allowed in XHTML and
/// shows as an empty box in print.
fn is_stray_control(c: char) -> bool {
    c.is_control() && !c.is_whitespace()
}

/// NFC, invisible characters and stray controls removed, whitespace runs (edges included) collapsed to one
/// space (non-breaking spaces kept, they are intentional).
pub(crate) fn clean_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in to_nfc(s).chars() {
        if is_invisible(c) || is_stray_control(c) {
            continue;
        }
        if c.is_whitespace() && c != '\u{00A0}' && c != '\u{202F}' {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    if space && !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

fn clean_inlines(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out = clean_run(inlines);
    trim_edges(&mut out);
    out
}

/// Clean a run of inlines without trimming its edges. Spaces at the edges of emphasis,
/// strong and link content move outside them (`*« a »* et` stays two words apart and the
/// delimiters hug their text).
fn clean_run(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        let (inline, before, after) = match inline {
            Inline::Text { text } => (Inline::Text { text: clean_str(&text) }, false, false),
            Inline::Emph { content } => {
                let (c, b, a) = hoist_spaces(clean_run(content));
                (Inline::Emph { content: c }, b, a)
            }
            Inline::Strong { content } => {
                let (c, b, a) = hoist_spaces(clean_run(content));
                (Inline::Strong { content: c }, b, a)
            }
            Inline::Link { url, content } => {
                let (c, b, a) = hoist_spaces(clean_run(content));
                (Inline::Link { url, content: c }, b, a)
            }
            Inline::Code { text } => (
                Inline::Code {
                    text: to_nfc(&text)
                        .chars()
                        .filter(|&c| !is_invisible(c) && !is_stray_control(c))
                        .collect(),
                },
                false,
                false,
            ),
            other => (other, false, false),
        };
        if before {
            push_inline(&mut out, Inline::text(" "));
        }
        push_inline(&mut out, inline);
        if after {
            push_inline(&mut out, Inline::text(" "));
        }
    }
    out
}

/// Push, merging adjacent text runs so two spaces never meet; empty runs are dropped.
fn push_inline(out: &mut Vec<Inline>, inline: Inline) {
    if let (Some(Inline::Text { text: prev }), Inline::Text { text }) = (out.last_mut(), &inline) {
        if prev.ends_with(' ') && text.starts_with(' ') {
            prev.push_str(&text[1..]);
        } else {
            prev.push_str(text);
        }
        return;
    }
    if matches!(&inline, Inline::Text { text } if text.is_empty()) {
        return;
    }
    out.push(inline);
}

/// Strip a leading and a trailing space from a container's content; report which were there.
fn hoist_spaces(mut content: Vec<Inline>) -> (Vec<Inline>, bool, bool) {
    let mut before = false;
    let mut after = false;
    if let Some(Inline::Text { text }) = content.first_mut() {
        if text.starts_with(' ') {
            *text = text.trim_start().to_string();
            before = true;
        }
    }
    if let Some(Inline::Text { text }) = content.last_mut() {
        if text.ends_with(' ') {
            *text = text.trim_end().to_string();
            after = true;
        }
    }
    content.retain(|i| !matches!(i, Inline::Text { text } if text.is_empty()));
    (content, before, after)
}

/// Trim leading whitespace of the first and trailing whitespace of the last text run.
fn trim_edges(inlines: &mut Vec<Inline>) {
    if let Some(Inline::Text { text }) = inlines.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text }) = inlines.last_mut() {
        *text = text.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, Inline::Text { text } if text.is_empty()));
    // A line break at either edge shows nothing.
    while matches!(inlines.last(), Some(Inline::LineBreak)) {
        inlines.pop();
    }
    while matches!(inlines.first(), Some(Inline::LineBreak)) {
        inlines.remove(0);
    }
}

fn clean_block(block: Block) -> Block {
    match block {
        Block::Heading { level, content } => {
            Block::Heading { level, content: clean_inlines(content) }
        }
        Block::Paragraph { content } => Block::Paragraph { content: clean_inlines(content) },
        Block::Quote { attribution, blocks } => Block::Quote {
            attribution: attribution.map(clean_inlines),
            blocks: blocks.into_iter().map(clean_block).collect(),
        },
        Block::List { ordered, items } => Block::List {
            ordered,
            items: items.into_iter().map(|i| i.into_iter().map(clean_block).collect()).collect(),
        },
        Block::Table { caption, header, rows } => Block::Table {
            caption: caption.map(clean_inlines),
            header: header.into_iter().map(clean_inlines).collect(),
            rows: rows.into_iter().map(|r| r.into_iter().map(clean_inlines).collect()).collect(),
        },
        Block::Figure { src, alt, caption } => Block::Figure {
            src,
            alt: clean_str(&alt).trim().to_string(),
            caption: clean_inlines(caption),
        },
        Block::Code { lang, text } => Block::Code {
            lang,
            text: to_nfc(&text)
                .chars()
                .filter(|&c| !is_invisible(c) && !is_stray_control(c))
                .collect(),
        },
        Block::ThematicBreak => Block::ThematicBreak,
    }
}

/// Pass: clean every text run and the metadata strings.
pub(crate) fn clean_text(mut doc: Document) -> Document {
    let clean_opt =
        |s: Option<String>| s.map(|s| clean_str(&s).trim().to_string()).filter(|s| !s.is_empty());
    doc.meta.title = clean_opt(doc.meta.title);
    doc.meta.description = clean_opt(doc.meta.description);
    doc.meta.site = clean_opt(doc.meta.site);
    doc.meta.authors = doc
        .meta
        .authors
        .into_iter()
        .map(|a| clean_str(&a).trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    doc.blocks = doc.blocks.into_iter().map(clean_block).collect();
    doc.footnotes = doc
        .footnotes
        .into_iter()
        .map(|f| Footnote { id: f.id, blocks: f.blocks.into_iter().map(clean_block).collect() })
        .collect();
    doc
}

fn is_empty_inlines(inlines: &[Inline]) -> bool {
    inlines.iter().all(|i| match i {
        Inline::Text { text } => text.trim().is_empty(),
        Inline::LineBreak => true,
        Inline::Emph { content } | Inline::Strong { content } => is_empty_inlines(content),
        Inline::Link { content, .. } => is_empty_inlines(content),
        Inline::Code { text } => text.trim().is_empty(),
        Inline::FootnoteRef { .. } => false,
    })
}

fn keep_block(block: Block) -> Option<Block> {
    match block {
        Block::Heading { content, .. } | Block::Paragraph { content }
            if is_empty_inlines(&content) =>
        {
            None
        }
        Block::Quote { attribution, blocks } => {
            let blocks: Vec<Block> = blocks.into_iter().filter_map(keep_block).collect();
            (!blocks.is_empty()).then_some(Block::Quote { attribution, blocks })
        }
        Block::List { ordered, items } => {
            let items: Vec<Vec<Block>> = items
                .into_iter()
                .map(|i| i.into_iter().filter_map(keep_block).collect::<Vec<_>>())
                .filter(|i| !i.is_empty())
                .collect();
            (!items.is_empty()).then_some(Block::List { ordered, items })
        }
        Block::Code { text, .. } if text.trim().is_empty() => None,
        Block::Table { header, rows, .. } if header.is_empty() && rows.is_empty() => None,
        other => Some(other),
    }
}

/// Pass: drop blocks with no visible content.
pub(crate) fn drop_empty_blocks(mut doc: Document) -> Document {
    doc.blocks = doc.blocks.into_iter().filter_map(keep_block).collect();
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_str_removes_invisibles_and_collapses_space() {
        assert_eq!(clean_str("hy\u{00AD}phen\u{200B}ated  text\n here"), "hyphenated text here");
        // NFC: e + combining acute → é
        assert_eq!(clean_str("cafe\u{0301}"), "caf\u{00E9}");
    }

    #[test]
    fn stray_control_characters_go_but_whitespace_controls_stay_space() {
        assert_eq!(clean_str("Stra\u{1}ße\u{7F} in\u{85}Köln\u{9F}\u{1B}."), "Straße in Köln.");
        assert_eq!(clean_str("tab\tand\u{c}feed"), "tab and feed");
        let code = clean_block(Block::Code { lang: None, text: "a\tb\u{0}\u{8}\nc".into() });
        assert_eq!(code, Block::Code { lang: None, text: "a\tb\nc".into() });
    }

    #[test]
    fn adjacent_text_runs_merge_without_double_space() {
        let doc = Document {
            blocks: vec![Block::Paragraph {
                content: vec![Inline::text("a "), Inline::text(" b"), Inline::text("")],
            }],
            ..Default::default()
        };
        let doc = clean_text(doc);
        assert_eq!(doc.blocks, vec![Block::para("a b")]);
    }

    #[test]
    fn spaces_at_emphasis_edges_move_outside() {
        let doc = Document {
            blocks: vec![Block::Paragraph {
                content: vec![
                    Inline::text("de"),
                    Inline::Emph { content: vec![Inline::text(" « a » ")] },
                    Inline::text("et"),
                ],
            }],
            ..Default::default()
        };
        let doc = clean_text(doc);
        assert_eq!(
            doc.blocks,
            vec![Block::Paragraph {
                content: vec![
                    Inline::text("de "),
                    Inline::Emph { content: vec![Inline::text("« a »")] },
                    Inline::text(" et"),
                ]
            }]
        );
    }

    #[test]
    fn the_space_after_a_footnote_reference_survives() {
        let doc = Document {
            blocks: vec![Block::Paragraph {
                content: vec![
                    Inline::text("Term"),
                    Inline::FootnoteRef { id: 1 },
                    Inline::text(" goes on"),
                ],
            }],
            ..Default::default()
        };
        let doc = clean_text(doc);
        assert_eq!(
            doc.blocks,
            vec![Block::Paragraph {
                content: vec![
                    Inline::text("Term"),
                    Inline::FootnoteRef { id: 1 },
                    Inline::text(" goes on")
                ]
            }]
        );
    }

    #[test]
    fn empty_blocks_are_dropped_but_footnote_only_paragraphs_kept() {
        let doc = Document {
            blocks: vec![
                Block::para("   "),
                Block::Quote { attribution: None, blocks: vec![Block::para("")] },
                Block::Paragraph { content: vec![Inline::FootnoteRef { id: 1 }] },
            ],
            ..Default::default()
        };
        let doc = drop_empty_blocks(doc);
        assert_eq!(doc.blocks.len(), 1);
    }
}
