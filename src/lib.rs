//! offprint: raw web articles in, clean editions out.
//!
//! The pipeline has pandoc's shape:
//!
//! 1. **read** ([`read`]): raw bytes (article HTML, or a plain-text dump of a whole page) →
//!    [`model::Document`]; the text reader also strips page boilerplate (tickers, repeated
//!    sidebars, pull quotes, footer junk);
//! 2. **normalize** ([`normalize`]): small passes over the model (Unicode NFC, invisible
//!    characters, language);
//! 3. **emit** ([`emit`]): one writer per format (Markdown, EPUB 3, PDF, plain text, JSON).
//!
//! No clock, network or file system inside the pipeline: everything comes in through
//! [`Options`], so the same input and options give byte-identical output.
//!
//! ```
//! let opts = offprint::Options::default();
//! let doc = offprint::read_document(
//!     b"A Title For The Article\n\nThe first paragraph of the article, long enough.\n",
//!     offprint::InputFormat::Text,
//!     &opts,
//! )
//! .unwrap();
//! assert_eq!(doc.meta.title.as_deref(), Some("A Title For The Article"));
//! let md = offprint::emit::markdown::write(&doc);
//! assert!(md.contains("# A Title For The Article"));
//! ```
#![deny(missing_docs)]

pub mod batch;
pub mod bundle;
pub mod config;
pub mod emit;
pub mod error;
pub mod fetch;
pub mod images;
pub mod model;
pub mod normalize;
pub mod read;
pub mod style;
pub mod warc;

pub use error::{Error, Result};
pub use model::Document;

use serde::{Deserialize, Serialize};

/// The kind of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// An HTML page.
    Html,
    /// A plain-text dump of a page.
    Text,
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// CommonMark with YAML front matter.
    Md,
    /// EPUB 3.
    Epub,
    /// PDF.
    Pdf,
    /// Plain text.
    Txt,
    /// The document model as JSON.
    Json,
}

impl OutputFormat {
    /// File extension of the edition.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Md => "md",
            OutputFormat::Epub => "epub",
            OutputFormat::Pdf => "pdf",
            OutputFormat::Txt => "txt",
            OutputFormat::Json => "json",
        }
    }

    /// The format named `name` (its extension, case-insensitive), if any.
    pub fn from_name(name: &str) -> Option<OutputFormat> {
        [
            OutputFormat::Md,
            OutputFormat::Epub,
            OutputFormat::Pdf,
            OutputFormat::Txt,
            OutputFormat::Json,
        ]
        .into_iter()
        .find(|f| f.extension().eq_ignore_ascii_case(name.trim()))
    }

    /// Whether the edition embeds the document's images (so they must be fetched).
    pub fn embeds_images(self) -> bool {
        matches!(self, OutputFormat::Epub | OutputFormat::Pdf)
    }
}

/// Options for one conversion. Everything the pipeline needs from outside comes in here.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Override the title the input gives.
    pub title: Option<String>,
    /// Override the authors the input gives.
    pub authors: Vec<String>,
    /// Override the language.
    pub lang: Option<String>,
    /// Base URL for relative links in local HTML files.
    pub base_url: Option<String>,
    /// Where the input came from (URL), when known.
    pub source: Option<String>,
    /// `SOURCE_DATE_EPOCH`: reproducible timestamp for editions when the document has no date.
    pub source_date_epoch: Option<i64>,
    /// Stylesheet for EPUB (CSS text). Empty means the built-in default.
    pub css: String,
    /// Image bytes by the exact `src` of a [`model::Block::Figure`] (an absolute URL, or a
    /// relative path for a local page read without a base URL), fetched, taken from a web
    /// archive or read beside the page by the caller, and best passed through
    /// [`images::prepare`], for the writers that embed images (EPUB, PDF).
    /// Figures whose image is missing here keep their caption only.
    pub images: std::collections::BTreeMap<String, Vec<u8>>,
    /// Page style for the PDF (paper, margins, type size, families, colours).
    pub style: style::Style,
    /// Cover image for the EPUB instead of the generated one.
    pub cover: Option<Vec<u8>>,
    /// Leave the EPUB without a cover.
    pub no_cover: bool,
    /// Font programs (TrueType/OpenType) the PDF writer tries, in order, for characters no
    /// shipped font covers; found by the caller (see [`emit::pdf::uncovered_chars`]).
    pub fallback_fonts: Vec<Vec<u8>>,
}

/// MIME type of an image from its first bytes (PNG, JPEG, GIF, WebP, SVG); `None` when
/// unknown.
pub fn sniff_image_mime(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(512)];
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else if String::from_utf8_lossy(head).contains("<svg") {
        Some("image/svg+xml")
    } else {
        None
    }
}

/// Guess the input format from a file name (extension) and, failing that, the content.
pub fn detect_format(name: Option<&str>, bytes: &[u8]) -> InputFormat {
    if let Some(name) = name {
        let lower = name.to_ascii_lowercase();
        if [".html", ".htm", ".xhtml", ".shtml"].iter().any(|e| lower.ends_with(e)) {
            return InputFormat::Html;
        }
        if [".txt", ".text"].iter().any(|e| lower.ends_with(e)) {
            return InputFormat::Text;
        }
    }
    sniff_format(bytes)
}

/// Sniff HTML from the first kilobytes: a doctype or one of the common top-level tags.
pub fn sniff_format(bytes: &[u8]) -> InputFormat {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let markers =
        ["<!doctype html", "<html", "<head", "<body", "<meta ", "<title", "<article", "<div"];
    if markers.iter().any(|m| head.contains(m)) {
        InputFormat::Html
    } else {
        InputFormat::Text
    }
}

/// Read raw bytes into a normalised [`Document`], applying the overrides in `opts`.
///
/// `bytes` may be borrowed (`&[u8]`, `&Vec<u8>`) or owned (`Vec<u8>`); owned bytes let the
/// HTML reader decode in place, so a big page is not held twice.
pub fn read_document<'a>(
    bytes: impl Into<std::borrow::Cow<'a, [u8]>>,
    format: InputFormat,
    opts: &Options,
) -> Result<Document> {
    let bytes = bytes.into();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Read("the input is empty".into()));
    }
    let mut doc = match format {
        InputFormat::Html => {
            read::html::read(bytes, &read::html::HtmlOptions { base_url: opts.base_url.clone() })?
        }
        InputFormat::Text => read::text::read(&bytes)?,
    };
    if let Some(t) = &opts.title {
        doc.meta.title = Some(t.clone());
    }
    if !opts.authors.is_empty() {
        doc.meta.authors = opts.authors.clone();
    }
    if opts.source.is_some() {
        doc.meta.source = opts.source.clone();
    }
    let mut doc = normalize::run(doc);
    if let Some(l) = &opts.lang {
        doc.meta.lang = Some(l.clone());
    }
    if doc.blocks.is_empty() {
        return Err(Error::NoArticle);
    }
    Ok(doc)
}

/// Write one edition of `doc`.
pub fn write_edition(doc: &Document, format: OutputFormat, opts: &Options) -> Result<Vec<u8>> {
    match format {
        OutputFormat::Md => Ok(emit::markdown::write(doc).into_bytes()),
        OutputFormat::Txt => Ok(emit::text::write(doc).into_bytes()),
        OutputFormat::Json => emit::json::write(doc),
        OutputFormat::Epub => emit::epub::write(doc, &epub_options(opts)),
        OutputFormat::Pdf => {
            // The PDF writer draws only supplied bytes: give it the `data:` URI images too.
            let mut p = pdf_options(opts);
            for (src, bytes) in images::inline_images(doc) {
                if let Ok(b) = bytes {
                    p.images.entry(src).or_insert(b);
                }
            }
            emit::pdf::write(doc, &p)
        }
    }
}

/// The EPUB writer's options from the conversion options.
pub fn epub_options(opts: &Options) -> emit::epub::EpubOptions {
    emit::epub::EpubOptions {
        source_date_epoch: opts.source_date_epoch,
        css: opts.css.clone(),
        images: opts
            .images
            .iter()
            .filter_map(|(url, bytes)| {
                sniff_image_mime(bytes).map(|m| (url.clone(), (bytes.clone(), m.to_string())))
            })
            .collect(),
        cover: opts.cover.clone(),
        no_cover: opts.no_cover,
        authors: opts.authors.clone(),
    }
}

/// The PDF writer's options from the conversion options.
pub fn pdf_options(opts: &Options) -> emit::pdf::PdfOptions {
    emit::pdf::PdfOptions {
        source_date_epoch: opts.source_date_epoch,
        style: opts.style.clone(),
        images: opts.images.clone(),
        fallback_fonts: opts.fallback_fonts.clone(),
        contents: false,
    }
}
