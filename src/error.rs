//! The library's error type.

use thiserror::Error;

/// Everything that can go wrong while converting one input.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be read as an article (empty, binary, unreadable).
    #[error("cannot read input: {0}")]
    Read(String),
    /// The input was read but no article text was found in it.
    #[error("no article text found")]
    NoArticle,
    /// Writing an edition failed.
    #[error("cannot write {format}: {reason}")]
    Emit {
        /// The edition's format (`pdf`, `epub`, ...).
        format: &'static str,
        /// Why.
        reason: String,
    },
    /// A style file could not be loaded.
    #[error("style: {0}")]
    Style(String),
}

impl Error {
    /// Shorthand for an [`Error::Emit`].
    pub fn emit(format: &'static str, reason: impl std::fmt::Display) -> Self {
        Error::Emit { format, reason: reason.to_string() }
    }
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
