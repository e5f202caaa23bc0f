//! JSON writer: the document model as pretty-printed JSON.
use crate::error::{Error, Result};
use crate::model::Document;

/// Serialise the model.
pub fn write(doc: &Document) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(doc).map_err(|e| Error::emit("json", e))?;
    out.push(b'\n');
    Ok(out)
}
