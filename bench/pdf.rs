//! PDF writer benchmark on the seed article (no criterion/divan: std::time over N runs).
//!
//! `cargo bench --bench pdf` (release). Target: < 30 ms per edition on one core. Reports wall
//! time and, on Linux, the thread's on-CPU time (`/proc/thread-self/schedstat`), which stays
//! meaningful when other jobs share the machine.

use std::time::{Duration, Instant};

/// Nanoseconds this thread has spent on a CPU, when the kernel tells us.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/input/islamic-state-redux.txt");
    let bytes = std::fs::read(path).expect("seed input");
    let opts = offprint::Options { source_date_epoch: Some(1_700_000_000), ..Default::default() };
    let doc = offprint::read_document(&bytes, offprint::InputFormat::Text, &opts).expect("read");
    let iterations: usize =
        std::env::var("BENCH_ITERATIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    // Warm-up (hyphenation dictionaries load once per process).
    let t = Instant::now();
    let first = offprint::write_edition(&doc, offprint::OutputFormat::Pdf, &opts).expect("pdf");
    let cold = t.elapsed();
    let mut wall: Vec<Duration> = Vec::with_capacity(iterations);
    let mut cpu: Vec<u64> = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let c0 = cpu_ns();
        let t = Instant::now();
        let out = offprint::write_edition(&doc, offprint::OutputFormat::Pdf, &opts).expect("pdf");
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
    let min = wall.first().copied().unwrap_or_default();
    println!(
        "pdf seed ({} blocks, {} bytes out): first run {:.1} ms; wall min {:.2} ms, median {:.2} ms over {iterations} runs",
        doc.blocks.len(),
        first.len(),
        ms(cold),
        ms(min),
        ms(median)
    );
    if let (Some(min), Some(median)) = (cpu.first(), cpu.get(cpu.len() / 2)) {
        println!(
            "on-CPU time: min {:.2} ms, median {:.2} ms",
            *min as f64 / 1e6,
            *median as f64 / 1e6
        );
    }
}
