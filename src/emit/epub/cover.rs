//! Generated typographic cover.

use super::meta::BookMeta;
use crate::error::Result;

/// Render a cover PNG for `meta`; `None` when no cover can be drawn.
pub(crate) fn render(_meta: &BookMeta) -> Result<Option<Vec<u8>>> {
    Ok(None)
}
