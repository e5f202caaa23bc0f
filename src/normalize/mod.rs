//! Passes over the model: `Document -> Document`, applied in the written order.
//!
//! Each pass is a small function; [`PASSES`] lists them in order so the order is visible and
//! testable (pandoc folds its transforms invisibly; we don't).

mod lang;
pub(crate) mod text;

pub use lang::{detect_lang, lang_is_rtl};

use crate::model::Document;

/// A named pass.
pub type Pass = (&'static str, fn(Document) -> Document);

/// The normalisation passes, in the order they run.
pub const PASSES: &[Pass] = &[
    ("clean_text", text::clean_text),
    ("drop_empty_blocks", text::drop_empty_blocks),
    ("detect_language", lang::detect_language),
];

/// Run every normalisation pass.
pub fn run(mut doc: Document) -> Document {
    for (_, pass) in PASSES {
        doc = pass(doc);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_run_in_written_order() {
        let names: Vec<&str> = PASSES.iter().map(|(n, _)| *n).collect();
        // Text must be clean before blocks are judged empty, and language detection must
        // see the final text.
        assert_eq!(names, ["clean_text", "drop_empty_blocks", "detect_language"]);
    }
}
