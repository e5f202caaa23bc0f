//! All integration tests, as one test binary: one link instead of nine keeps a clean CI
//! build small on disk and fast. Run one part with a filter, e.g.
//! `cargo test --test suite corpus:: -- --nocapture`.

mod common;

mod ace;
mod cli;
mod corpus;
mod dumps;
mod epub;
mod epub_corpus;
mod pdf;
mod robustness;
mod seed;
