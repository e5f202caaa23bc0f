//! PDF writer benchmark on the seed article (no criterion/divan: std::time over N runs).
//!
//! `cargo bench --bench pdf` (release). Target: < 30 ms per edition on one core.

use std::time::{Duration, Instant};

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/input/islamic-state-redux.txt");
    let bytes = std::fs::read(path).expect("seed input");
    let opts = offprint::Options { source_date_epoch: Some(1_700_000_000), ..Default::default() };
    let doc = offprint::read_document(&bytes, offprint::InputFormat::Text, &opts).expect("read");
    let iterations: usize =
        std::env::var("BENCH_ITERATIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    // Warm-up (hyphenation dictionaries load once per process).
    let first = offprint::write_edition(&doc, offprint::OutputFormat::Pdf, &opts).expect("pdf");
    let mut times: Vec<Duration> = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        let out = offprint::write_edition(&doc, offprint::OutputFormat::Pdf, &opts).expect("pdf");
        times.push(t.elapsed());
        assert_eq!(out.len(), first.len());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let min = times.first().copied().unwrap_or_default();
    println!(
        "pdf seed ({} blocks, {} bytes out): min {:.2} ms, median {:.2} ms over {iterations} runs",
        doc.blocks.len(),
        first.len(),
        ms(min),
        ms(median)
    );
}
