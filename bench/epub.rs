//! EPUB writer benchmark on the seed article (std::time over N runs, like `bench/pdf.rs`).
//!
//! `cargo bench --bench epub` (release). Reports the edition with its generated cover and
//! without a cover (`no_cover`), wall time and, on Linux, the thread's on-CPU time.

use std::time::{Duration, Instant};

use offprint::emit::epub::{self, EpubOptions};

/// Nanoseconds this thread has spent on a CPU, when the kernel tells us.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn run(label: &str, doc: &offprint::Document, opts: &EpubOptions, iterations: usize) {
    let first = epub::write(doc, opts).expect("epub");
    let mut wall: Vec<Duration> = Vec::with_capacity(iterations);
    let mut cpu: Vec<u64> = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let c0 = cpu_ns();
        let t = Instant::now();
        let out = epub::write(doc, opts).expect("epub");
        wall.push(t.elapsed());
        if let (Some(a), Some(b)) = (c0, cpu_ns()) {
            cpu.push(b.saturating_sub(a));
        }
        assert_eq!(out, first, "output must be identical on every run");
    }
    wall.sort();
    cpu.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = wall.get(wall.len() / 2).copied().unwrap_or_default();
    let cpu_median = cpu.get(cpu.len() / 2).map(|n| *n as f64 / 1e6).unwrap_or(f64::NAN);
    println!(
        "epub seed, {label} ({} bytes): wall median {:.2} ms, on-CPU median {:.2} ms over {iterations} runs",
        first.len(),
        ms(median),
        cpu_median
    );
}

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/input/islamic-state-redux.txt");
    let bytes = std::fs::read(path).expect("seed input");
    let doc =
        offprint::read_document(&bytes, offprint::InputFormat::Text, &offprint::Options::default())
            .expect("read");
    let iterations: usize =
        std::env::var("BENCH_ITERATIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    let with_cover = EpubOptions { source_date_epoch: Some(1_700_000_000), ..Default::default() };
    run("generated cover", &doc, &with_cover, iterations);
    let no_cover = EpubOptions { no_cover: true, ..with_cover };
    run("no cover", &doc, &no_cover, iterations);
}
