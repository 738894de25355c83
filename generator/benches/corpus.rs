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

const RUNS: usize = 11;

/// The allocator the `docgen` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> PathBuf {
    std::env::var_os("GRAPH_DOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs/v1.0")
        })
}

/// Times `f` once; its result is measured and dropped outside the timing.
fn time<T>(f: impl FnOnce() -> T, measure: impl Fn(&T) -> usize) -> (Duration, usize) {
    let start = Instant::now();
    let result = std::hint::black_box(f());
    let elapsed = start.elapsed();
    let n = measure(&result);
    drop(result);
    (elapsed, n)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Read a file and run pulldown-cmark over it: the cost of merely looking.
fn bare_page(path: &PathBuf) -> usize {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    Parser::new_ext(&text, Options::ENABLE_TABLES).count()
}

fn bare_pass(files: &[PathBuf]) -> usize {
    files.iter().map(bare_page).sum()
}

fn bare_pass_parallel(files: &[PathBuf]) -> usize {
    files.par_iter().map(bare_page).sum()
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

    // The stages take turns, run after run, so that noise from the machine
    // falls on all of them alike.
    let out = tempfile::tempdir().expect("tempdir");
    let (mut bare, mut bare_par, mut ir, mut full) = (vec![], vec![], vec![], vec![]);
    let (mut events, mut types, mut files_written) = (0, 0, 0);
    let mut ir_peak = None;
    for _ in 0..RUNS {
        let (t, n) = time(|| bare_pass(&files), |n| *n);
        bare.push(t);
        events = n;
        bare_par.push(time(|| bare_pass_parallel(&files), |n| *n).0);
        let (t, n) = time(
            || docgen::read_docs(std::slice::from_ref(&root)).expect("reads"),
            |docs| docs.ir.types.len() + docs.ir.operations.len(),
        );
        ir.push(t);
        types = n;
        ir_peak = ir_peak.or_else(peak_memory_mib);
        let (t, n) = time(
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
        full.push(t);
        files_written = n;
    }
    let (bare, bare_par, ir, full) = (median(bare), median(bare_par), median(ir), median(full));
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
