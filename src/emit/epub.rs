//! EPUB writer (placeholder, being written).
use crate::error::{Error, Result};
use crate::model::Document;

/// Options for the EPUB writer.
#[derive(Debug, Clone, Default)]
pub struct EpubOptions {
    /// Seconds since the epoch for `dcterms:modified` when the document has no date
    /// (`SOURCE_DATE_EPOCH`); never the wall clock.
    pub source_date_epoch: Option<i64>,
    /// Stylesheet to embed.
    pub css: String,
}

/// Write `doc` as EPUB 3 bytes.
pub fn write(_doc: &Document, _opts: &EpubOptions) -> Result<Vec<u8>> {
    Err(Error::emit("epub", "not implemented yet"))
}
