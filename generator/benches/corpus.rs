//! The corpus benchmark: docgen's pipeline against a bare pulldown-cmark pass
//! over the same files, in the same run, as ratios.
//!
//! `cargo bench -p docgen --bench corpus` (corpus: `$GRAPH_DOCS`, default
//! `../shared/graph-docs/v1.0` beside the checkout). Each stage runs several
//! times; the median is reported. Peak memory is the process's high-water mark.
//!
//! Besides the stages in this process, it times the built `docgen` binary as
//! a whole process (`ir --json`, `lint`), as a user runs it: over v1.0, and
//! `lint` over the size of the whole Graph reference (v1.0 + beta, 11,290
//! pages), made of v1.0 read 3.4 times (see [`whole_graph`]). The binary is
//! the one cargo builds for this bench; `$DOCGEN_BIN` names another, and
//! `$DOCGEN_BASELINE_BIN` one to compare with in the same run (`baseline` rows).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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

/// The `docgen` binary: `$DOCGEN_BIN`, else the one cargo built beside this
/// bench (`CARGO_BIN_EXE_docgen`, or `target/<profile>/docgen` next to
/// `target/<profile>/deps/` where the bench runs from).
fn docgen_binary() -> Option<PathBuf> {
    let exe = if cfg!(windows) {
        "docgen.exe"
    } else {
        "docgen"
    };
    let candidates = [
        std::env::var_os("DOCGEN_BIN").map(PathBuf::from),
        option_env!("CARGO_BIN_EXE_docgen").map(PathBuf::from),
        std::env::current_exe()
            .ok()
            .and_then(|bench| Some(bench.parent()?.parent()?.join(exe))),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

/// A corpus the size of the whole Graph reference (v1.0 + beta: 11,290 pages,
/// 3.4 × v1.0), from v1.0 alone: `a/`, `b/` and `c/` hold a link to every
/// page, `d/` to two pages in five. Links to files, in real folders: docgen
/// reads a folder once however it is reached (a root is known by its
/// canonical path), so links to the folder itself would be read once.
#[cfg(unix)]
fn whole_graph(files: &[PathBuf], root: &Path, into: &Path) -> std::io::Result<usize> {
    let mut made = 0;
    for (copy, share) in [("a", 5), ("b", 5), ("c", 5), ("d", 2)] {
        for (i, file) in files.iter().enumerate() {
            if i % 5 >= share {
                continue;
            }
            let rel = file.strip_prefix(root).unwrap_or(file);
            let link = into.join(copy).join(rel);
            if let Some(dir) = link.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::os::unix::fs::symlink(std::fs::canonicalize(file)?, &link)?;
            made += 1;
        }
    }
    Ok(made)
}

#[cfg(not(unix))]
fn whole_graph(_: &[PathBuf], _: &Path, _: &Path) -> std::io::Result<usize> {
    Err(std::io::Error::other("file links are made on Unix only"))
}

/// Runs the binary once with its output thrown away, as a whole process;
/// `None` if it could not run or failed (exit 2).
fn run(binary: &Path, args: &[&std::ffi::OsStr]) -> Option<Duration> {
    let start = Instant::now();
    let status = Command::new(binary)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    let elapsed = start.elapsed();
    // `lint` exits with 1 when it finds errors: that is its answer, not a failure.
    matches!(status.code(), Some(0 | 1)).then_some(elapsed)
}

/// Runs each command once, adding its time to its row; a row whose run
/// failed says so loudly and stops being measured (`None`).
fn run_commands(
    binary: &Path,
    rows: &mut [Option<Vec<Duration>>; 3],
    commands: [&[&std::ffi::OsStr]; 3],
) {
    for (times, args) in rows.iter_mut().zip(commands) {
        let ran = times.as_ref().and_then(|_| run(binary, args));
        match (times.as_mut(), ran) {
            (Some(times), Some(t)) => times.push(t),
            (Some(_), None) => {
                eprintln!(
                    "!!! `{} {}` failed: its row is MISSING !!!",
                    binary.display(),
                    args[..args.len() - 1]
                        .iter()
                        .map(|a| a.to_string_lossy())
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                *times = None;
            }
            (None, _) => {}
        }
    }
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

    let binary = docgen_binary();
    match &binary {
        Some(b) => println!("binary: {}", b.display()),
        None => eprintln!(
            "\n!!! the docgen binary was not found (build it: `cargo build --release -p docgen`, \
             or set DOCGEN_BIN): the whole-process rows are MISSING !!!\n"
        ),
    }
    let graph = tempfile::tempdir().expect("tempdir");
    let graph_pages = match whole_graph(&files, &root, graph.path()) {
        Ok(n) => Some(n),
        Err(e) => {
            eprintln!(
                "\n!!! cannot build the whole-Graph corpus ({e}): its lint row is MISSING !!!\n"
            );
            None
        }
    };
    let root_arg = root.as_os_str();
    let graph_arg = graph.path().as_os_str();
    let ir_args = [
        std::ffi::OsStr::new("ir"),
        std::ffi::OsStr::new("--json"),
        root_arg,
    ];
    let lint_args = [std::ffi::OsStr::new("lint"), root_arg];
    let graph_args = [std::ffi::OsStr::new("lint"), graph_arg];
    // Per whole-process row: the times, or `None` once a run failed.
    let mut proc_times: [Option<Vec<Duration>>; 3] = [Some(vec![]), Some(vec![]), Some(vec![])];
    if binary.is_none() {
        proc_times = [None, None, None];
    }
    if graph_pages.is_none() {
        proc_times[2] = None;
    }
    // Another binary to compare with in the same run (a build of the commit
    // before a change): its rows follow, named `baseline`.
    let baseline = std::env::var_os("DOCGEN_BASELINE_BIN").map(PathBuf::from);
    if let Some(b) = &baseline {
        if b.is_file() {
            println!("baseline binary: {}", b.display());
        } else {
            eprintln!(
                "\n!!! DOCGEN_BASELINE_BIN={} is not a file: no baseline rows !!!\n",
                b.display()
            );
        }
    }
    let baseline = baseline.filter(|b| b.is_file());
    let mut baseline_times = proc_times.clone();

    // The stages take turns, run after run, so that noise from the machine
    // falls on all of them alike.
    let out = tempfile::tempdir().expect("tempdir");
    let (mut bare, mut bare_par, mut ir, mut full) = (vec![], vec![], vec![], vec![]);
    let (mut events, mut types, mut files_written) = (0, 0, 0);
    let mut ir_peak = None;
    for run in 0..RUNS {
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
        let commands = [&ir_args[..], &lint_args[..], &graph_args[..]];
        // The binary and the baseline take turns going first: whatever the
        // stages before leave behind (writeback of the files just written,
        // a warm cache) falls on each alike.
        let mut turns = [
            (binary.as_deref(), &mut proc_times),
            (baseline.as_deref(), &mut baseline_times),
        ];
        if run % 2 == 1 {
            turns.reverse();
        }
        for (bin, rows) in turns {
            if let Some(bin) = bin {
                run_commands(bin, rows, commands);
            }
        }
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
    let missing = |name: &str| println!("{name:<44} {:>9}", "MISSING");
    let process_rows = |label: &str, times: [Option<Vec<Duration>>; 3]| {
        let [ir, lint, graph] = times.map(|t| t.map(median));
        for (name, d) in [
            (format!("{label}: ir --json (v1.0)"), ir),
            (format!("{label}: lint (v1.0)"), lint),
            (
                format!(
                    "{label}: lint, whole Graph ({} pages)",
                    graph_pages.unwrap_or(0)
                ),
                graph,
            ),
        ] {
            match d {
                Some(d) => row(&name, d),
                None => missing(&name),
            }
        }
        [ir, lint, graph]
    };
    let [ir_proc, _, graph_proc] = process_rows("process", proc_times);
    if baseline.is_some() {
        process_rows("baseline", baseline_times);
    }
    if let (Some(a), Some(b)) = (ir_peak, full_peak) {
        println!("peak memory: {a:.0} MiB after read → IR, {b:.0} MiB after the full pipeline");
    }
    let verdict = |met: Option<bool>| match met {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "NOT MEASURED",
    };
    println!(
        "targets: read → IR within 3× the bare pass: {}; full pipeline within 10×: {}",
        verdict(Some(ratio(ir, bare) <= 3.0)),
        verdict(Some(ratio(full, bare) <= 10.0)),
    );
    println!(
        "targets: process `docgen ir --json` within 3× the bare pass: {}",
        verdict(ir_proc.map(|d| ratio(d, bare) <= 3.0)),
    );
    println!(
        "targets: process `docgen lint` over the whole Graph under 1 s: {}{}",
        verdict(graph_proc.map(|d| d < Duration::from_secs(1))),
        graph_proc.map_or(String::new(), |d| format!(" ({:.0} ms)", ms(d))),
    );
}
