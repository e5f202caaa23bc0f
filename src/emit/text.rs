//! Plain-text writer (being written).
use crate::model::Document;

/// Write plain text.
pub fn write(doc: &Document) -> String {
    format!("{}\n\n{}\n", doc.title_or_default(), doc.body_text())
}
