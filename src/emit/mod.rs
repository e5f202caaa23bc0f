//! Writers: [`Document`](crate::model::Document) in, bytes out. Writers never see HTML.

pub mod epub;
pub mod json;
pub mod markdown;
pub mod pdf;
pub mod text;
pub mod xhtml;
