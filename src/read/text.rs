//! Plain-text dump reader (being written).
use crate::error::Result;
use crate::model::{Block, Document};

/// Read a text dump.
pub fn read(bytes: &[u8]) -> Result<Document> {
    let text = String::from_utf8_lossy(bytes);
    let mut doc = Document::default();
    for (i, b) in text.split("\n\n").enumerate() {
        if i == 0 {
            doc.meta.title = Some(b.trim().to_string());
        } else {
            doc.blocks.push(Block::para(b.trim()));
        }
    }
    Ok(doc)
}
