//! PDF writer (placeholder, being written).
use crate::error::{Error, Result};
use crate::model::Document;

/// Options for the PDF writer.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Seconds since the epoch used for the document dates when the document has no date
    /// (`SOURCE_DATE_EPOCH`); never the wall clock.
    pub source_date_epoch: Option<i64>,
}

/// Write `doc` as PDF bytes.
pub fn write(_doc: &Document, _opts: &PdfOptions) -> Result<Vec<u8>> {
    Err(Error::emit("pdf", "not implemented yet"))
}
