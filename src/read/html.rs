//! HTML reader (placeholder, being written).
use crate::error::{Error, Result};
use crate::model::Document;

/// Options for reading HTML.
#[derive(Debug, Clone, Default)]
pub struct HtmlOptions {
    /// Base URL for resolving relative links when the page has no `<base href>`.
    pub base_url: Option<String>,
}

/// Decode, parse and extract the article from an HTML page.
pub fn read(_bytes: &[u8], _opts: &HtmlOptions) -> Result<Document> {
    Err(Error::Read("HTML reader not implemented yet".into()))
}
