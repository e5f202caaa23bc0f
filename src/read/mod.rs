//! Readers: raw bytes → [`Document`](crate::model::Document).

pub mod html;
pub mod text;
