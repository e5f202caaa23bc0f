//! Passes over the model, applied in the written order.
use crate::model::Document;

/// Run every normalisation pass.
pub fn run(doc: Document) -> Document {
    doc
}
