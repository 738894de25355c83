//! The corpus benchmark: docgen's pipeline against a bare pulldown-cmark pass
//! over the same files, in the same run, as ratios.
//!
//! `cargo bench -p docgen --bench corpus` (corpus: `$GRAPH_DOCS`, default
//! `../shared/graph-docs/v1.0` beside the checkout). Each stage runs several
//! times; the median is reported. Peak memory is the process's high-water mark.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;

const RUNS: usize = 7;

fn corpus() -> PathBuf {
    std::env::var_os("GRAPH_DOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs/v1.0")
        })
}

/// Median time to produce `f`'s result; the result is dropped outside the timing.
fn median<T>(mut f: impl FnMut() -> T, measure: impl Fn(&T) -> usize) -> (Duration, usize) {
    let mut times = Vec::with_capacity(RUNS);
    let mut out = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let result = std::hint::black_box(f());
        times.push(start.elapsed());
        out = measure(&result);
        drop(result);
    }
    times.sort();
    (times[RUNS / 2], out)
}

/// Read every file and run pulldown-cmark over it: the cost of merely looking.
fn bare_pass(files: &[PathBuf]) -> usize {
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            Parser::new_ext(&text, Options::ENABLE_TABLES).count()
        })
        .sum()
}

fn bare_pass_parallel(files: &[PathBuf]) -> usize {
    files
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            Parser::new_ext(&text, Options::ENABLE_TABLES).count()
        })
        .sum()
}

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let root = corpus();
    if !root.is_dir() {
        eprintln!("corpus {} not found: set GRAPH_DOCS", root.display());
        std::process::exit(2);
    }
    let entries = docgen::load::discover(std::slice::from_ref(&root)).expect("corpus");
    let files: Vec<PathBuf> = entries.iter().map(|e| e.disk_path.clone()).collect();
    let bytes: u64 = files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "corpus: {} pages, {:.1} MiB, {} threads, median of {RUNS} runs",
        files.len(),
        bytes as f64 / 1048576.0,
        rayon::current_num_threads()
    );

    let (bare, events) = median(|| bare_pass(&files), |n| *n);
    let (bare_par, _) = median(|| bare_pass_parallel(&files), |n| *n);
    let (ir, types) = median(
        || docgen::read_docs(std::slice::from_ref(&root)).expect("reads"),
        |docs| docs.ir.types.len() + docs.ir.operations.len(),
    );
    let ir_peak = peak_memory_mib();
    let out = tempfile::tempdir().expect("tempdir");
    let (full, files_written) = median(
        || {
            docgen::Config::new()
                .docs(&root)
                .out_dir(out.path().join("sdk"))
                .crate_name("graph-v1")
                .generate()
                .expect("generates")
        },
        |generated| generated.emitted.files.len(),
    );
    let full_peak = peak_memory_mib();

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let ratio = |d: Duration, base: Duration| d.as_secs_f64() / base.as_secs_f64();
    println!(
        "{:<44} {:>9} {:>10} {:>10}",
        "stage", "ms", "× bare", "× bare ∥"
    );
    let row = |name: &str, d: Duration| {
        println!(
            "{name:<44} {:>9.1} {:>10.2} {:>10.2}",
            ms(d),
            ratio(d, bare),
            ratio(d, bare_par)
        );
    };
    row(&format!("bare pulldown-cmark pass ({events} events)"), bare);
    row("bare pulldown-cmark pass, parallel", bare_par);
    row(&format!("read → IR ({types} types and operations)"), ir);
    row(
        &format!("read → IR → emit → format → write ({files_written} files)"),
        full,
    );
    if let (Some(a), Some(b)) = (ir_peak, full_peak) {
        println!("peak memory: {a:.0} MiB after read → IR, {b:.0} MiB after the full pipeline");
    }
    println!(
        "targets: read → IR within 3× the bare pass: {}; full pipeline within 10×: {}",
        if ratio(ir, bare) <= 3.0 {
            "met"
        } else {
            "MISSED"
        },
        if ratio(full, bare) <= 10.0 {
            "met"
        } else {
            "MISSED"
        }
    );
}
