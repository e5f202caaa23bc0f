//! EPUB 3 writer, built on `epub-builder` and post-processed for reproducibility.
//!
//! One XHTML content document per article ([`crate::emit::xhtml`]), a nav document and an
//! NCX listing the article and its sections, EPUB 3 pop-up footnotes, Dublin Core and
//! schema.org accessibility metadata, a stylesheet for reading systems, embedded images and
//! an optional generated cover.
//!
//! `epub-builder` stamps zip entries with the wall clock and cannot write `dc:source`,
//! `dc:publisher` or accessibility metadata; the `package` step rewrites its archive with fixed
//! timestamps and patches the package document, so the same input always gives the same bytes.

mod cover;
pub(crate) mod images;
pub(crate) mod meta;
mod package;

use std::collections::BTreeMap;

use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};

use crate::emit::xhtml::{self, escape_attr, escape_text, BodyOptions, HeadingInfo};
use crate::error::{Error, Result};
use crate::model::Document;

use meta::BookMeta;

/// The stylesheet used when [`EpubOptions::css`] is empty.
pub const DEFAULT_CSS: &str = include_str!("../../../styles/epub.css");

/// Options for the EPUB writer.
#[derive(Debug, Clone, Default)]
pub struct EpubOptions {
    /// Seconds since the epoch for `dcterms:modified` when the document has no date
    /// (`SOURCE_DATE_EPOCH`); never the wall clock.
    pub source_date_epoch: Option<i64>,
    /// Stylesheet to embed. Empty means [`DEFAULT_CSS`].
    pub css: String,
    /// Image bytes by figure `src`: `src → (bytes, MIME type)`. Figures whose `src` is listed
    /// here (or is a `data:` URI) are embedded; other figures keep only their caption or alt
    /// text, because an EPUB must not reference remote images.
    pub images: BTreeMap<String, (Vec<u8>, String)>,
    /// Cover image bytes (PNG, JPEG, GIF or WebP; other bytes are an error). `None` generates
    /// a typographic cover (none when the bundled fonts cannot show the title's script).
    pub cover: Option<Vec<u8>>,
    /// Make no cover at all.
    pub no_cover: bool,
    /// A book's own authors ([`write_book`]; an editor, say). Empty: its articles' authors
    /// when there are few ([`crate::bundle::book_authors`]). [`write`] ignores it.
    pub authors: Vec<String>,
}

/// Write `doc` as EPUB 3 bytes.
pub fn write(doc: &Document, opts: &EpubOptions) -> Result<Vec<u8>> {
    let meta = BookMeta::from_doc(doc, opts.source_date_epoch);
    build(&meta, std::slice::from_ref(doc), opts)
}

/// Write several articles as one EPUB 3 book titled `title`: one chapter per article, whose
/// heading carries the article's author, date and source; the table of contents lists each
/// article and its sections one level down.
pub fn write_book(docs: &[Document], title: &str, opts: &EpubOptions) -> Result<Vec<u8>> {
    if docs.is_empty() {
        return Err(Error::emit("epub", "a book needs at least one article"));
    }
    let meta = BookMeta::from_docs(docs, title, &opts.authors, opts.source_date_epoch);
    build(&meta, docs, opts)
}

fn epub_err(e: epub_builder::Error) -> Error {
    Error::emit("epub", e)
}

/// One rendered content document.
struct Chapter {
    file: String,
    title: String,
    xhtml: String,
    headings: Vec<HeadingInfo>,
}

fn build(meta: &BookMeta, docs: &[Document], opts: &EpubOptions) -> Result<Vec<u8>> {
    let imgs = images::collect(docs, &opts.images);
    // In a book, links to another bundled article point at its chapter.
    let internal = if docs.len() > 1 {
        docs.iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let key = d.meta.source.as_deref().and_then(xhtml::link_key)?;
                Some((key, format!("ch{:03}.xhtml", i + 1)))
            })
            .collect()
    } else {
        BTreeMap::new()
    };
    let body_opts = BodyOptions { images: imgs.hrefs.clone(), internal };

    let mut chapters = Vec::with_capacity(docs.len());
    let mut images_used = 0;
    for (i, doc) in docs.iter().enumerate() {
        let body = xhtml::render_body(doc, &body_opts);
        images_used += body.images_used;
        let title = meta::title_of(doc);
        let xhtml = chapter_document(doc, &title, &body.markup);
        chapters.push(Chapter {
            file: format!("ch{:03}.xhtml", i + 1),
            title,
            xhtml,
            headings: body.headings,
        });
    }

    let cover = if opts.no_cover {
        None
    } else {
        match &opts.cover {
            Some(bytes) => match images::sniff(bytes) {
                Some((mime, ext)) => Some((bytes.clone(), mime, ext)),
                None => {
                    return Err(Error::emit("epub", "the cover is not a PNG, JPEG, GIF or WebP"))
                }
            },
            None => cover::render(meta)?.map(|png| (png, "image/png", "png")),
        }
    };

    // epub-builder deflates every file it is given, and `package::finish` inflates and
    // deflates them again; so it gets the payload (stylesheet, cover, images, chapters) as
    // empty files and `finish` puts the real bytes in, compressing them once.
    let mut payload: BTreeMap<String, &[u8]> = BTreeMap::new();
    let empty: &[u8] = &[];
    let mut b = EpubBuilder::new(ZipLibrary::new().map_err(epub_err)?).map_err(epub_err)?;
    b.epub_version(EpubVersion::V30);
    b.escape_html(true);
    b.set_title(meta.title.as_str());
    for a in &meta.authors {
        b.add_author(a.as_str());
    }
    b.set_lang(meta.lang.as_str());
    if meta.rtl {
        b.metadata("direction", "rtl").map_err(epub_err)?;
    }
    b.set_generator("offprint");
    b.set_toc_name(meta::toc_name(&meta.lang));
    b.set_modified_date(meta.modified);
    b.set_uuid(meta.identifier);

    let cover_page = match &cover {
        Some((_, _, ext)) => cover_document(meta, &format!("images/cover.{ext}")),
        None => String::new(),
    };
    let css = if opts.css.trim().is_empty() { DEFAULT_CSS } else { opts.css.as_str() };
    b.stylesheet(empty).map_err(epub_err)?;
    payload.insert("OEBPS/stylesheet.css".into(), css.as_bytes());

    if let Some((bytes, mime, ext)) = &cover {
        let path = format!("images/cover.{ext}");
        b.add_cover_image(path.as_str(), empty, *mime).map_err(epub_err)?;
        payload.insert(format!("OEBPS/{path}"), bytes.as_slice());
        b.add_content(EpubContent::new("cover.xhtml", empty).reftype(ReferenceType::Cover))
            .map_err(epub_err)?;
        payload.insert("OEBPS/cover.xhtml".into(), cover_page.as_bytes());
    }
    for img in &imgs.files {
        b.add_resource(img.path.as_str(), empty, img.mime).map_err(epub_err)?;
        payload.insert(format!("OEBPS/{}", img.path), img.bytes.as_slice());
    }
    for (i, ch) in chapters.iter().enumerate() {
        let mut content = EpubContent::new(ch.file.as_str(), empty).title(ch.title.as_str());
        payload.insert(format!("OEBPS/{}", ch.file), ch.xhtml.as_bytes());
        if i == 0 {
            content = content.reftype(ReferenceType::Text);
        }
        for h in &ch.headings {
            content.toc.add(
                TocElement::new(format!("{}#{}", ch.file, h.id), h.text.as_str())
                    .level(i32::from(h.level)),
            );
        }
        b.add_content(content).map_err(epub_err)?;
    }

    let mut raw = Vec::new();
    b.generate(&mut raw).map_err(epub_err)?;

    let has_images = images_used > 0;
    let opf_extra = meta.opf_extra(has_images);
    package::finish(&raw, &payload, meta, &opf_extra, toc_depth(&chapters))
}

/// Depth of the table of contents as `epub-builder` nests it: a heading goes under the
/// previous entry while its level is deeper.
fn toc_depth(chapters: &[Chapter]) -> usize {
    let mut depth = 1;
    for ch in chapters {
        let mut chain: Vec<u8> = vec![1];
        for h in &ch.headings {
            let mut i = 1;
            while chain.get(i).is_some_and(|&l| h.level > l) {
                i += 1;
            }
            chain.truncate(i);
            chain.push(h.level);
            depth = depth.max(chain.len());
        }
    }
    depth
}

/// The `<html>` start tag with namespaces, language and direction.
fn html_start(lang: &str, rtl: bool) -> String {
    format!(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         lang=\"{l}\" xml:lang=\"{l}\" dir=\"{d}\">",
        l = escape_attr(lang),
        d = if rtl { "rtl" } else { "ltr" }
    )
}

fn head(title: &str) -> String {
    format!(
        "<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n",
        escape_text(title)
    )
}

/// A complete XHTML content document for one article.
fn chapter_document(doc: &Document, title: &str, body: &str) -> String {
    let lang = xhtml::doc_lang(doc);
    let rtl = xhtml::doc_is_rtl(doc);
    let mut out = String::with_capacity(body.len() + 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    out.push_str(&html_start(&lang, rtl));
    out.push('\n');
    out.push_str(&head(title));
    out.push_str("<body>\n<section epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"title\">\n<header>\n");
    out.push_str(&format!("<h1 id=\"title\">{}</h1>\n", escape_text(title)));
    let authors: Vec<String> =
        doc.meta.authors.iter().map(|a| meta::tidy(a)).filter(|a| !a.is_empty()).collect();
    if !authors.is_empty() {
        out.push_str(&format!("<p class=\"byline\">{}</p>\n", escape_text(&authors.join(", "))));
    }
    let date = doc.meta.date.as_deref().map(str::trim).filter(|d| !d.is_empty());
    let site = doc.meta.site.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if date.is_some() || site.is_some() {
        out.push_str("<p class=\"dateline\">");
        if let Some(d) = date {
            match meta::parse_date(d) {
                Some(p) => out.push_str(&format!(
                    "<time datetime=\"{}\">{}</time>",
                    escape_attr(&p.w3c),
                    escape_text(d)
                )),
                None => out.push_str(&escape_text(d)),
            }
        }
        if let Some(s) = site {
            if date.is_some() {
                out.push_str(" · ");
            }
            out.push_str(&escape_text(s));
        }
        out.push_str("</p>\n");
    }
    if let Some(src) = doc.meta.source.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        match xhtml::safe_link(src) {
            Some(href) => out.push_str(&format!(
                "<p class=\"source\"><a href=\"{}\">{}</a></p>\n",
                escape_attr(&href),
                escape_text(src)
            )),
            None => out.push_str(&format!("<p class=\"source\">{}</p>\n", escape_text(src))),
        }
    }
    out.push_str("</header>\n");
    out.push_str(body);
    out.push_str("</section>\n</body>\n</html>\n");
    out
}

/// The cover page: the cover image alone, with a text alternative.
fn cover_document(meta: &BookMeta, image_path: &str) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    out.push_str(&html_start(&meta.lang, meta.rtl));
    out.push('\n');
    out.push_str(&head(&meta.title));
    out.push_str(&format!(
        "<body class=\"cover\">\n<figure class=\"cover\">\n\
         <img role=\"doc-cover\" src=\"{}\" alt=\"{}\"/>\n</figure>\n</body>\n</html>\n",
        escape_attr(image_path),
        escape_attr(&meta.cover_alt())
    ));
    out
}
