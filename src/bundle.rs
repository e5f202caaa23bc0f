//! Books of many articles: several [`Document`]s → one, for the writers that take a single
//! document (Markdown, PDF, plain text, JSON). The EPUB writer has its own book form
//! (`emit::epub::write_book`), one chapter per article.

use std::collections::BTreeMap;

use crate::emit::xhtml::link_key;
use crate::model::{heading_texts, Block, Document, Footnote, Inline, Meta};

/// GitHub-style heading anchor (kept here for callers of the bundle module).
pub use crate::model::heading_slug;

/// One document holding every article in order: each article becomes a level-2 section
/// headed by its title, with a line of its metadata (authors, date, source) under the
/// heading; the article's own headings move one level down (at most level 6) and its
/// footnotes are renumbered after the previous articles'.
pub fn bundle_document(docs: &[Document], title: &str) -> Document {
    bundle(docs, title, false)
}

/// [`bundle_document`] for the Markdown and PDF editions: links to another bundled article
/// (by its source URL) become links to that article's section, `#` and the anchor of its
/// heading (see [`Document::heading_anchors`], as GitHub and pandoc name heading anchors;
/// the PDF writer links such fragments to the heading), so they stay inside the book. The
/// source link under each chapter heading keeps its web address.
pub fn bundle_document_with_anchors(docs: &[Document], title: &str) -> Document {
    bundle(docs, title, true)
}

/// Most distinct article authors a book names as its own. An anthology of many writers
/// is by none of them in particular: its title block and metadata naming eighty people
/// (a year of reading) helps no one, and each chapter's byline names its own.
pub const BOOK_MAX_AUTHORS: usize = 3;

/// The authors a book of `docs` names as its own: the articles' distinct authors in order,
/// when there are at most [`BOOK_MAX_AUTHORS`]; none beyond that (each chapter keeps its
/// byline, and `--author` names the book's editor).
pub fn book_authors(docs: &[Document]) -> Vec<String> {
    let mut authors: Vec<String> = Vec::new();
    for a in docs.iter().flat_map(|d| &d.meta.authors) {
        let a = a.trim();
        if !a.is_empty() && !authors.iter().any(|b| b == a) {
            authors.push(a.to_string());
        }
    }
    if authors.len() > BOOK_MAX_AUTHORS {
        authors.clear();
    }
    authors
}

fn bundle(docs: &[Document], title: &str, anchors: bool) -> Document {
    let mut out = Document {
        meta: Meta { title: Some(title.to_string()), ..Meta::default() },
        ..Document::default()
    };
    out.meta.authors = book_authors(docs);
    let langs: Vec<&str> = docs.iter().filter_map(|d| d.meta.lang.as_deref()).collect();
    if langs.first().is_some_and(|l| langs.iter().all(|m| m == l)) {
        out.meta.lang = langs.first().map(|l| l.to_string());
    }
    if docs.iter().all(|d| d.meta.dir.as_deref() == Some("rtl")) && !docs.is_empty() {
        out.meta.dir = Some("rtl".into());
    }
    // Per article: the index of its chapter heading among the book's headings, and where
    // its own blocks lie in the book.
    let mut chapters: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    let mut headings = 0;
    for doc in docs {
        let offset = out.footnotes.len();
        out.blocks.push(Block::heading(2, doc.title_or_default()));
        let byline = chapter_byline(&doc.meta);
        if !byline.is_empty() {
            out.blocks.push(Block::Paragraph { content: vec![Inline::Emph { content: byline }] });
        }
        let start = out.blocks.len();
        out.blocks.extend(doc.blocks.iter().map(|b| shift(b, offset)));
        chapters.push((headings, start..out.blocks.len()));
        headings += 1 + heading_texts(&doc.blocks).len();
        out.footnotes.extend(doc.footnotes.iter().map(|f| Footnote {
            id: f.id + offset,
            blocks: f.blocks.iter().map(|b| shift(b, offset)).collect(),
        }));
    }
    if !anchors {
        return out;
    }
    let names = out.heading_anchors();
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    for (doc, (heading, _)) in docs.iter().zip(&chapters) {
        let Some(key) = doc.meta.source.as_deref().and_then(link_key) else { continue };
        if let Some(name) = names.get(*heading).filter(|n| !n.is_empty()) {
            // The same source twice: links go to the first.
            targets.entry(key).or_insert_with(|| format!("#{name}"));
        }
    }
    if targets.is_empty() {
        return out;
    }
    for (_, body) in chapters {
        if let Some(blocks) = out.blocks.get_mut(body) {
            blocks.iter_mut().for_each(|b| retarget_block(b, &targets));
        }
    }
    for note in &mut out.footnotes {
        note.blocks.iter_mut().for_each(|b| retarget_block(b, &targets));
    }
    out
}

fn retarget_block(b: &mut Block, targets: &BTreeMap<String, String>) {
    crate::model::for_each_url_mut(std::slice::from_mut(b), &mut |url, kind| {
        if kind == crate::model::UrlKind::Link {
            if let Some(t) = link_key(url).and_then(|k| targets.get(&k)) {
                *url = t.clone();
            }
        }
    });
}

/// `Authors · date · source` under a chapter heading.
fn chapter_byline(meta: &Meta) -> Vec<Inline> {
    let mut parts: Vec<Vec<Inline>> = Vec::new();
    if !meta.authors.is_empty() {
        parts.push(vec![Inline::text(meta.authors.join(", "))]);
    }
    if let Some(d) = &meta.date {
        parts.push(vec![Inline::text(d.get(..10).unwrap_or(d))]);
    }
    if let Some(s) = &meta.source {
        parts.push(vec![Inline::Link { url: s.clone(), content: vec![Inline::text(s.clone())] }]);
    }
    let mut out = Vec::new();
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(Inline::text(" · "));
        }
        out.extend(p);
    }
    out
}

fn shift(block: &Block, offset: usize) -> Block {
    let inl = |c: &[Inline]| c.iter().map(|i| shift_inline(i, offset)).collect::<Vec<_>>();
    match block {
        Block::Heading { level, content } => {
            Block::Heading { level: (level + 1).min(6), content: inl(content) }
        }
        Block::Paragraph { content } => Block::Paragraph { content: inl(content) },
        Block::Quote { attribution, blocks } => Block::Quote {
            attribution: attribution.as_deref().map(inl),
            blocks: blocks.iter().map(|b| shift(b, offset)).collect(),
        },
        Block::List { ordered, items } => Block::List {
            ordered: *ordered,
            items: items.iter().map(|i| i.iter().map(|b| shift(b, offset)).collect()).collect(),
        },
        Block::Table { caption, header, rows } => Block::Table {
            caption: caption.as_deref().map(inl),
            header: header.iter().map(|c| inl(c)).collect(),
            rows: rows.iter().map(|r| r.iter().map(|c| inl(c)).collect()).collect(),
        },
        Block::Figure { src, alt, caption } => {
            Block::Figure { src: src.clone(), alt: alt.clone(), caption: inl(caption) }
        }
        other => other.clone(),
    }
}

fn shift_inline(inline: &Inline, offset: usize) -> Inline {
    let inl = |c: &[Inline]| c.iter().map(|i| shift_inline(i, offset)).collect::<Vec<_>>();
    match inline {
        Inline::FootnoteRef { id } => Inline::FootnoteRef { id: id + offset },
        Inline::Emph { content } => Inline::Emph { content: inl(content) },
        Inline::Strong { content } => Inline::Strong { content: inl(content) },
        Inline::Link { url, content } => Inline::Link { url: url.clone(), content: inl(content) },
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, note: &str) -> Document {
        Document {
            meta: Meta {
                title: Some(title.into()),
                authors: vec!["A".into()],
                lang: Some("en".into()),
                ..Meta::default()
            },
            blocks: vec![
                Block::heading(2, "Section"),
                Block::Paragraph {
                    content: vec![Inline::text("x"), Inline::FootnoteRef { id: 1 }],
                },
            ],
            footnotes: vec![Footnote { id: 1, blocks: vec![Block::para(note)] }],
        }
    }

    #[test]
    fn a_book_names_few_authors_as_its_own_and_many_not_at_all() {
        let by = |names: &[&str]| {
            let mut d = article("T", "n");
            d.meta.authors = names.iter().map(|n| n.to_string()).collect();
            d
        };
        let few = [by(&["Ann", "Bo"]), by(&["Bo"]), by(&[]), by(&["Cy"])];
        assert_eq!(book_authors(&few), ["Ann", "Bo", "Cy"]);
        assert_eq!(bundle_document(&few, "Book").meta.authors, ["Ann", "Bo", "Cy"]);
        let many = [by(&["Ann", "Bo"]), by(&["Cy", "Di"])];
        assert!(book_authors(&many).is_empty());
        let book = bundle_document(&many, "Book");
        assert!(book.meta.authors.is_empty());
        // Each chapter still names its own.
        let bylines: Vec<String> = book
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Paragraph { .. }))
            .map(crate::model::block_text)
            .filter(|t| t.contains(", "))
            .collect();
        assert!(bylines.iter().any(|t| t.contains("Ann, Bo")), "{bylines:?}");
        assert!(bylines.iter().any(|t| t.contains("Cy, Di")), "{bylines:?}");
    }

    #[test]
    fn markdown_books_link_bundled_articles_to_their_sections() {
        let mut one = article("One", "n1");
        let mut two = article("Two: the sequel", "n2");
        one.meta.source = Some("https://example.org/one".into());
        two.meta.source = Some("https://example.org/two/".into());
        one.blocks.push(Block::Paragraph {
            content: vec![Inline::Link {
                url: "https://example.org/two#x".into(),
                content: vec![Inline::text("next")],
            }],
        });
        let book = bundle_document_with_anchors(&[one.clone(), two.clone()], "Book");
        let md = crate::emit::markdown::write(&book);
        assert!(md.contains("[next](#two-the-sequel)"), "{md}");
        // The plain bundle keeps the web address.
        let plain = crate::emit::markdown::write(&bundle_document(&[one, two], "Book"));
        assert!(plain.contains("[next](https://example.org/two#x)"), "{plain}");
    }

    fn link(url: &str, text: &str) -> Block {
        Block::Paragraph {
            content: vec![Inline::Link { url: url.into(), content: vec![Inline::text(text)] }],
        }
    }

    fn links(blocks: &[Block]) -> Vec<String> {
        let mut out = Vec::new();
        for b in blocks {
            if let Block::Paragraph { content } = b {
                for i in content {
                    match i {
                        Inline::Link { url, .. } => out.push(url.clone()),
                        Inline::Emph { content } => out.extend(content.iter().filter_map(|i| {
                            if let Inline::Link { url, .. } = i {
                                Some(url.clone())
                            } else {
                                None
                            }
                        })),
                        _ => {}
                    }
                }
            }
        }
        out
    }

    #[test]
    fn book_links_reach_the_right_chapter_and_bylines_keep_their_source() {
        // Same titles: the second chapter's anchor is `same-1`, as GitHub and pandoc name it
        // (each article's "Section" takes `section` and `section-1` in between).
        let mut one = article("Same", "n1");
        let mut two = article("Same", "n2");
        one.meta.source = Some("https://example.org/one".into());
        two.meta.source = Some("https://example.org/two".into());
        one.blocks.push(link("https://example.org/two/", "to two"));
        one.footnotes[0].blocks.push(link("https://example.org/two", "note to two"));
        two.blocks.push(link("https://example.org/one#part", "to one"));
        two.blocks.push(link("https://example.org/elsewhere", "away"));
        let book = bundle_document_with_anchors(&[one, two], "Book");
        assert_eq!(book.heading_anchors(), ["same", "section", "same-1", "section-1"]);
        let all = links(&book.blocks);
        assert_eq!(
            all,
            [
                "https://example.org/one", // the first byline
                "#same-1",
                "https://example.org/two", // the second byline
                "#same",
                "https://example.org/elsewhere",
            ]
        );
        assert_eq!(links(&book.footnotes[0].blocks), ["#same-1"]);
    }

    #[test]
    fn articles_become_sections_with_renumbered_notes() {
        let book = bundle_document(&[article("One", "n1"), article("Two", "n2")], "Book");
        assert_eq!(book.meta.title.as_deref(), Some("Book"));
        assert_eq!(book.meta.authors, ["A"]);
        assert_eq!(book.meta.lang.as_deref(), Some("en"));
        let h: Vec<(u8, String)> = book.headings();
        assert_eq!(
            h,
            [(2, "One".into()), (3, "Section".into()), (2, "Two".into()), (3, "Section".into())]
        );
        assert_eq!(book.footnotes.iter().map(|f| f.id).collect::<Vec<_>>(), [1, 2]);
        let refs: Vec<usize> = book
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { content } => content.iter().find_map(|i| match i {
                    Inline::FootnoteRef { id } => Some(*id),
                    _ => None,
                }),
                _ => None,
            })
            .collect();
        assert_eq!(refs, [1, 2]);
    }
}
