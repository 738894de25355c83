//! Decoding and encoding Graph response pages: the generated SDK's types
//! against `serde_json::Value`, on the same bytes, in the same run.
//!
//! Only the generated crate's public API is used (`serde_json::from_slice`
//! into its types, `serde_json::to_vec` of them), so this bench judges any
//! version of the generated models. Run it with `scripts/bench-decode.sh`,
//! which generates the crate this bench depends on.
//!
//! Before timing, each dataset must decode into its type (a failure panics
//! with serde's error and the bytes around it: the data or the SDK is wrong)
//! and is encoded back, its JSON compared with the original (what the types
//! lose is printed, not fatal). After criterion's own output, a Markdown
//! summary (medians) is printed and written to `decode-summary.md` beside
//! criterion's reports (`<target dir>/criterion`).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use criterion::{Criterion, Throughput};
use graph_v1::models;
use graph_v1::runtime::{Collection, from_json_body};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use docgen_bench_decode as data;

/// The seed of every dataset: the same bytes on every run and machine.
const SEED: u64 = 14;

const BENCHES: [&str; 4] = [
    "decode-typed",
    "decode-value",
    "encode-typed",
    "encode-value",
];

/// One dataset: its name, the page type it decodes into, the JSON.
struct Dataset {
    name: &'static str,
    what: &'static str,
    run: fn(&mut Criterion, &Dataset, Value) -> Checked,
    value: fn() -> Value,
}

/// What was learned before timing.
struct Checked {
    bytes: usize,
    items: usize,
    type_name: &'static str,
    round_trip: String,
    /// Median ratios of interleaved rounds, Value's time over the other's.
    paired: Option<Paired>,
}

/// Value's time over: the typed decode, the typed encode, the SDK client's
/// decode, and the decode that only keeps the text (the floor).
#[derive(Clone, Copy)]
struct Paired {
    decode: f64,
    encode: f64,
    client: f64,
    floor: f64,
}

fn datasets() -> Vec<Dataset> {
    vec![
        Dataset {
            name: "directory-objects-delta",
            what: "1,000 users and groups (1 in 10 `@removed`) from `/directoryObjects/delta`",
            run: run::<Collection<models::AnyDirectoryObject>>,
            value: || data::directory_delta(SEED, 1_000),
        },
        Dataset {
            name: "messages-with-attachments",
            what: "100 messages, `$expand=attachments` (file, item, reference)",
            run: run::<Collection<models::AnyMessage>>,
            value: || data::messages(SEED, 100, true),
        },
        Dataset {
            name: "drive-items",
            what: "500 drive items (files, folders, photos, videos, shared, remote)",
            run: run::<Collection<models::DriveItem>>,
            value: || data::drive_items(SEED, 500),
        },
        Dataset {
            name: "messages",
            what: "100 messages (`Collection<Message>`)",
            run: run::<Collection<models::Message>>,
            value: || data::messages(SEED + 1, 100, false),
        },
        Dataset {
            name: "groups",
            what: "100 groups (`Collection<Group>`)",
            run: run::<Collection<models::Group>>,
            value: || data::groups(SEED, 100),
        },
        Dataset {
            name: "users",
            what: "100 users (`Collection<User>`)",
            run: run::<Collection<models::User>>,
            value: || data::users(SEED, 100),
        },
        Dataset {
            name: "column-definitions",
            what: "100 list columns (`Collection<ColumnDefinition>`)",
            run: run::<Collection<models::ColumnDefinition>>,
            value: || data::column_definitions(SEED, 100),
        },
    ]
}

/// Checks the dataset against `T`, then times the four benches.
fn run<T: DeserializeOwned + Serialize>(c: &mut Criterion, set: &Dataset, value: Value) -> Checked {
    let bytes = serde_json::to_vec(&value).expect("a Value encodes");
    let type_name = std::any::type_name::<T>();
    let typed: T = match serde_json::from_slice(&bytes) {
        Ok(typed) => typed,
        Err(error) => panic!(
            "dataset {} does not decode into {type_name}: {error}\n  near: …{}…\n\
             (the data or the generated SDK is wrong; nothing was timed)",
            set.name,
            around(&bytes, error.column())
        ),
    };
    let back = serde_json::to_value(&typed).expect("a decoded page encodes");
    let round_trip = compare(&value, &back);
    let decoded: Value = serde_json::from_slice(&bytes).expect("the bytes are JSON");
    assert_eq!(
        decoded, value,
        "{}: Value decoding changed the data",
        set.name
    );
    let items = value["value"].as_array().map_or(0, Vec::len);

    let mut group = c.benchmark_group(set.name);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function(BENCHES[0], |b| {
        b.iter(|| serde_json::from_slice::<T>(black_box(&bytes)).expect("decoded before"))
    });
    group.bench_function(BENCHES[1], |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&bytes)).expect("decoded before"))
    });
    group.bench_function(BENCHES[2], |b| {
        b.iter(|| serde_json::to_vec(black_box(&typed)).expect("encoded before"))
    });
    group.bench_function(BENCHES[3], |b| {
        b.iter(|| serde_json::to_vec(black_box(&decoded)).expect("encoded before"))
    });
    group.finish();

    let paired = paired_enabled(set.name).then(|| {
        paired_ratios(
            || drop(black_box(serde_json::from_slice::<T>(black_box(&bytes)))),
            || {
                drop(black_box(serde_json::from_slice::<Value>(black_box(
                    &bytes,
                ))))
            },
            || drop(black_box(serde_json::to_vec(black_box(&typed)))),
            || drop(black_box(serde_json::to_vec(black_box(&decoded)))),
            || drop(black_box(from_json_body::<T>(black_box(&bytes)))),
            || drop(black_box(data::floor::keep_text(black_box(&bytes)))),
        )
    });

    Checked {
        bytes: bytes.len(),
        items,
        type_name,
        round_trip,
        paired,
    }
}

/// Rounds of the paired measurement.
const ROUNDS: usize = 15;

/// Whether to run the paired rounds: not in `--test` or `--list` mode, nor
/// for a dataset that a positional (filter) argument leaves out.
fn paired_enabled(name: &str) -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--test" || a == "--list") {
        return false;
    }
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

/// Median over [`ROUNDS`] of (Value time / typed time), decode and encode,
/// each round timing the operations back to back (about 20 ms each), so
/// that a load change on a shared machine hits both sides of a ratio alike.
/// The third ratio is Value's decode over the client's (`decode_body`: the
/// runtime's `from_json_body`, one UTF-8 check of the body then reading it
/// as text, as `Request::send` does). The fourth is Value's decode over the
/// floor's (`keep_text`: every string value copied, nothing else kept).
fn paired_ratios(
    decode_typed: impl Fn(),
    decode_value: impl Fn(),
    encode_typed: impl Fn(),
    encode_value: impl Fn(),
    decode_body: impl Fn(),
    keep_text: impl Fn(),
) -> Paired {
    let ops: [&dyn Fn(); 6] = [
        &decode_typed,
        &decode_value,
        &encode_typed,
        &encode_value,
        &decode_body,
        &keep_text,
    ];
    let reps: Vec<u32> = ops
        .iter()
        .map(|op| {
            let start = Instant::now();
            op();
            let once = start.elapsed().as_secs_f64().max(1e-7);
            ((0.02 / once) as u32).clamp(1, 100_000)
        })
        .collect();
    let mut decode = Vec::with_capacity(ROUNDS);
    let mut encode = Vec::with_capacity(ROUNDS);
    let mut client = Vec::with_capacity(ROUNDS);
    let mut floor = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let t: Vec<f64> = ops
            .iter()
            .zip(&reps)
            .map(|(op, &n)| {
                let start = Instant::now();
                for _ in 0..n {
                    op();
                }
                start.elapsed().as_secs_f64() / f64::from(n)
            })
            .collect();
        decode.push(t[1] / t[0]);
        encode.push(t[3] / t[2]);
        client.push(t[1] / t[4]);
        floor.push(t[1] / t[5]);
    }
    Paired {
        decode: median(decode),
        encode: median(encode),
        client: median(client),
        floor: median(floor),
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Up to 120 bytes of `bytes` around 1-based `column` (the pages are one line).
fn around(bytes: &[u8], column: usize) -> String {
    let at = column.saturating_sub(1).min(bytes.len());
    let start = at.saturating_sub(80);
    let end = (at + 40).min(bytes.len());
    String::from_utf8_lossy(&bytes[start..end]).into_owned()
}

/// How `back` (typed, encoded again) differs from `original`.
#[derive(Default)]
struct Diff {
    /// Members that were `null` and are now absent (`None` is not written).
    nulls_dropped: usize,
    /// Other differences: path, original, back.
    other: Vec<(String, String, String)>,
}

fn compare(original: &Value, back: &Value) -> String {
    let mut diff = Diff::default();
    walk("$", original, back, &mut diff);
    let mut out = String::new();
    if diff.nulls_dropped == 0 && diff.other.is_empty() {
        return "exact".to_owned();
    }
    if diff.other.is_empty() {
        let _ = write!(
            out,
            "equal but for {} `null` members omitted",
            diff.nulls_dropped
        );
        return out;
    }
    let _ = write!(out, "{} differences", diff.other.len());
    if diff.nulls_dropped > 0 {
        let _ = write!(out, " (and {} `null` members omitted)", diff.nulls_dropped);
    }
    for (path, was, now) in diff.other.iter().take(3) {
        let _ = write!(out, "; `{path}`: {was} → {now}");
    }
    out
}

fn short(value: Option<&Value>) -> String {
    match value {
        None => "absent".to_owned(),
        Some(value) => {
            let text = value.to_string();
            if text.len() > 60 {
                format!("{}…", text.chars().take(60).collect::<String>())
            } else {
                text
            }
        }
    }
}

fn walk(path: &str, original: &Value, back: &Value, diff: &mut Diff) {
    match (original, back) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, was) in a {
                let here = format!("{path}.{key}");
                match b.get(key) {
                    Some(now) => walk(&here, was, now, diff),
                    None if was.is_null() => diff.nulls_dropped += 1,
                    None => diff.other.push((here, short(Some(was)), short(None))),
                }
            }
            for (key, now) in b {
                if !a.contains_key(key) {
                    diff.other
                        .push((format!("{path}.{key}"), short(None), short(Some(now))));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (was, now)) in a.iter().zip(b).enumerate() {
                walk(&format!("{path}[{i}]"), was, now, diff);
            }
        }
        (was, now) if was == now => {}
        (was, now) => diff
            .other
            .push((path.to_owned(), short(Some(was)), short(Some(now)))),
    }
}

/// Criterion's median for one bench, in nanoseconds, if written by this run.
fn median_ns(dir: &Path, group: &str, bench: &str, since: SystemTime) -> Option<f64> {
    let file = dir
        .join(group)
        .join(bench)
        .join("new")
        .join("estimates.json");
    let fresh = std::fs::metadata(&file).and_then(|m| m.modified()).ok()? >= since;
    let estimates: Value = serde_json::from_slice(&std::fs::read(&file).ok()?).ok()?;
    fresh
        .then(|| estimates["median"]["point_estimate"].as_f64())
        .flatten()
}

/// `<target>/criterion`, where criterion writes by default: the bench runs as
/// `<target>/release/deps/decode-…`. `BENCH_DECODE_DIR` overrides it.
fn output_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BENCH_DECODE_DIR") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().expect("the bench knows its own path");
    let target = exe.ancestors().nth(3).unwrap_or(Path::new("."));
    target.join("criterion")
}

fn main() {
    let dir = output_dir();
    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .output_directory(&dir)
        .configure_from_args();
    let since = SystemTime::now();

    let sets = datasets();
    let mut checked = Vec::new();
    for set in &sets {
        let value = (set.value)();
        checked.push((set.run)(&mut c, set, value));
    }
    c.final_summary();

    let mut table = String::new();
    let _ = writeln!(
        table,
        "| dataset | bytes | decode typed ms | decode Value ms | decode × | decode × paired \
         | decode × client | decode × floor | encode typed ms | encode Value ms | encode × | encode × paired |"
    );
    let _ = writeln!(table, "|---|---|---|---|---|---|---|---|---|---|---|---|");
    let (mut decode_misses, mut encode_misses, mut rows) = (Vec::new(), Vec::new(), 0);
    for (set, check) in sets.iter().zip(&checked) {
        let times: Vec<Option<f64>> = BENCHES
            .iter()
            .map(|bench| median_ns(&dir, set.name, bench, since))
            .collect();
        let [Some(dt), Some(dv), Some(et), Some(ev)] = times[..] else {
            continue;
        };
        rows += 1;
        let (decode, encode) = (dv / dt, ev / et);
        // The targets are judged on the paired ratio when there is one.
        let (judged_decode, judged_encode) = check
            .paired
            .map_or((decode, encode), |p| (p.decode, p.encode));
        if judged_decode < 2.0 {
            decode_misses.push(format!("{} {judged_decode:.2}×", set.name));
        }
        if judged_encode < 1.0 {
            encode_misses.push(format!("{} {judged_encode:.2}×", set.name));
        }
        let paired = |x: Option<f64>| x.map_or("–".to_owned(), |x| format!("{x:.2}"));
        let _ = writeln!(
            table,
            "| {} | {} | {:.3} | {:.3} | {decode:.2} | {} | {} | {} | {:.3} | {:.3} | {encode:.2} | {} |",
            set.name,
            check.bytes,
            dt / 1e6,
            dv / 1e6,
            paired(check.paired.map(|p| p.decode)),
            paired(check.paired.map(|p| p.client)),
            paired(check.paired.map(|p| p.floor)),
            et / 1e6,
            ev / 1e6,
            paired(check.paired.map(|p| p.encode)),
        );
    }
    let mut out = String::new();
    if rows > 0 {
        let _ = writeln!(
            out,
            "Times: medians of criterion's samples. × is Value time / typed time: above 1 \
             the typed SDK is faster than `serde_json::Value` on the same bytes. × paired: \
             the median ratio of {ROUNDS} rounds that time the six operations back to \
             back, steadier on a shared machine; the targets are judged on it. × client: \
             paired too, `serde_json::from_slice::<Value>` (what reqwest's `Response::json` \
             does) against the SDK's `runtime::from_json_body` (what `Request::send` does: \
             one UTF-8 check of the body, then reading it as text). × floor: paired, \
             Value against a decode that only copies every string value into a `String` \
             (`floor::keep_text`), about the best × a serde_json decode that keeps the \
             text can reach on the page.\n"
        );
        out.push_str(&table);
        let verdict = |misses: &[String]| {
            if misses.is_empty() {
                "met".to_owned()
            } else {
                format!("missed: {}", misses.join(", "))
            }
        };
        let _ = writeln!(
            out,
            "\nTargets: decode ≥ 2× faster than Value on every dataset: {}; \
             encode at least as fast as Value (× ≥ 1): {}.",
            verdict(&decode_misses),
            verdict(&encode_misses)
        );
    }
    let _ = writeln!(
        out,
        "\n| dataset | items | page type | typed → JSON vs the original |"
    );
    let _ = writeln!(out, "|---|---|---|---|");
    for (set, check) in sets.iter().zip(&checked) {
        let type_name = check
            .type_name
            .replace("graph_v1::", "")
            .replace("alloc::vec::", "");
        let _ = writeln!(
            out,
            "| {} ({}) | {} | `{type_name}` | {} |",
            set.name, set.what, check.items, check.round_trip
        );
    }
    println!("\n{out}");
    let summary = dir.join("decode-summary.md");
    if let Err(error) = std::fs::write(&summary, &out) {
        eprintln!("could not write {}: {error}", summary.display());
    }
}
