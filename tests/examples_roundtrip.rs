//! Every documented JSON example whose type is known is read into its
//! generated type and written back, in the generated v1.0 crate itself.
//!
//! The test generates the standalone crate for the corpus, writes a small
//! program into it (`examples/roundtrip.rs`) that reads each example as its
//! type and prints what the type writes back, then compares the two here. An
//! example that fails must be explained by a diagnostic that `docgen lint`
//! reports inside it (a placeholder, invalid JSON, a value that contradicts
//! its page); any other failure is a generator bug and fails the test. The
//! counts are printed and written to `target/docgen-tests/examples-report.md`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use docgen::emit::{ExampleCase, example_cases};
use serde_json::Value;

/// The generated crate's name (see `common::v1_crate`).
const CRATE: &str = common::V1_CRATE;

#[test]
fn every_typed_example_in_the_corpus_reads_and_round_trips() {
    if common::skip_without(
        common::Needs::Corpus,
        "every_typed_example_in_the_corpus_reads_and_round_trips",
    ) {
        return;
    }
    let (out, generated) = common::v1_crate();
    let docs = &generated.docs;
    let cases = example_cases(&docs.ir, &generated.emitted.names, &docs.sources);
    assert!(cases.len() > 1000, "only {} typed examples", cases.len());

    let service = service_bodies();
    let results = run_harness(&out, &cases, &service);

    let mut tally = Tally::default();
    let mut unexplained = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let outcome = outcome(case, results.get(&i));
        let location = docs.sources.stable_location(&case.span);
        let defects: BTreeSet<&str> = docs
            .diagnostics
            .iter()
            .filter(|d| {
                d.span.file == case.span.file
                    && d.span.range.start < case.span.range.end.max(case.span.range.start + 1)
                    && case.span.range.start <= d.span.range.start
            })
            .map(|d| d.code.as_str())
            .collect();
        tally.count(case, &outcome, &defects);
        if !matches!(outcome, Outcome::RoundTripped) && defects.is_empty() {
            unexplained.push(format!(
                "{location} ({} of `{}` as {}): {}",
                case.role.as_str(),
                case.operation,
                case.rust_type,
                outcome.describe()
            ));
        }
    }
    let report = tally.report(&unexplained);
    std::fs::write(
        common::workspace().join("target/docgen-tests/examples-report.md"),
        &report,
    )
    .expect("write report");
    println!("{report}");
    assert!(
        unexplained.is_empty(),
        "{} examples fail without a diagnostic explaining why:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );

    // Bodies of our own in the service's real shape: each reads, writes back
    // equivalently, and holds the typed values its file expects.
    let mut failures = Vec::new();
    for (k, body) in service.iter().enumerate() {
        let Some(result) = results.get(&(cases.len() + k)) else {
            failures.push(format!("{}: no result", body.file));
            continue;
        };
        if let Some(error) = result.get("error") {
            failures.push(format!(
                "{}: does not read as {}: {error}",
                body.file, body.rust_type
            ));
            continue;
        }
        let written = &result["out"];
        if let Some(d) = common::json::difference(&body.body, written, "") {
            failures.push(format!("{}: writes back {d}", body.file));
        }
        for (pointer, want) in &body.expect {
            let got = written.pointer(pointer);
            if got != Some(want) {
                failures.push(format!(
                    "{}: `{pointer}` is {got:?}, expected {want}",
                    body.file
                ));
            }
        }
    }
    println!(
        "service-shaped bodies: {} read and round-tripped of {}",
        service.len() - failures.len().min(service.len()),
        service.len()
    );
    assert!(
        service.len() >= 3,
        "the service-shaped fixtures are missing"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A body we wrote ourselves in the shape the real service sends
/// (`tests/fixtures/service/*.json`): full objects, nested facets, values the
/// docs never list, numbers as strings.
struct ServiceBody {
    file: String,
    rust_type: String,
    body: Value,
    /// JSON pointer → the value the typed round trip must write there.
    expect: Vec<(String, Value)>,
}

fn service_bodies() -> Vec<ServiceBody> {
    let dir = common::workspace().join("tests/fixtures/service");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/service")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("read fixture");
            let fixture: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            ServiceBody {
                file: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                rust_type: fixture["type"].as_str().expect("type").to_owned(),
                body: fixture["body"].clone(),
                expect: fixture["expect"]
                    .as_object()
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// Writes the cases and the program, runs it, and returns its output by case
/// (the service bodies numbered after the examples).
fn run_harness(
    out: &Path,
    cases: &[ExampleCase],
    service: &[ServiceBody],
) -> BTreeMap<usize, Value> {
    let mut input: Vec<Value> = cases
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            c.json
                .as_ref()
                .map(|j| serde_json::json!({"i": i, "type": c.rust_type, "json": j}))
        })
        .collect();
    input.extend(service.iter().enumerate().map(|(k, b)| {
        serde_json::json!({"i": cases.len() + k, "type": b.rust_type, "json": b.body.to_string()})
    }));
    let cases_file = out.join("target-cases.json");
    std::fs::write(&cases_file, serde_json::to_vec(&input).expect("json")).expect("write cases");
    let types: BTreeSet<&str> = cases
        .iter()
        .map(|c| c.rust_type.as_str())
        .chain(service.iter().map(|b| b.rust_type.as_str()))
        .collect();
    std::fs::create_dir_all(out.join("examples")).expect("mkdir");
    std::fs::write(out.join("examples/roundtrip.rs"), harness(&types)).expect("write harness");

    let mut run = common::cargo_in(out);
    run.args(["run", "--quiet", "--example", "roundtrip", "--"])
        .arg(&cases_file);
    common::run_ok(run, "the round-trip program failed")
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|v| Some((v["i"].as_u64()? as usize, v)))
        .collect()
}

/// The program: one match arm per Rust type, each reading the JSON as that
/// type and printing what it writes back (or why it could not read it).
fn harness(types: &BTreeSet<&str>) -> String {
    let arms: String = types
        .iter()
        .map(|t| format!("            {t:?} => round_trip::<{t}>(json),\n"))
        .collect();
    format!(
        r#"//! Written by docgen's example round-trip test.
use {CRATE}::{{models, runtime}};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> Result<serde_json::Value, String> {{
    let value: T = serde_json::from_str(json).map_err(|e| e.to_string())?;
    serde_json::to_value(&value).map_err(|e| format!("writing back: {{e}}"))
}}

fn main() {{
    let path = std::env::args().nth(1).expect("cases file");
    let text = std::fs::read_to_string(path).expect("read cases");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("cases");
    for case in cases {{
        let json = case["json"].as_str().unwrap_or_default();
        let result = match case["type"].as_str().unwrap_or_default() {{
{arms}            other => Err(format!("no arm for {{other}}")),
        }};
        let line = match result {{
            Ok(out) => serde_json::json!({{"i": case["i"], "out": out}}),
            Err(error) => serde_json::json!({{"i": case["i"], "error": error}}),
        }};
        println!("{{line}}");
    }}
    let _ = runtime::GRAPH_V1_0;
    let _: Option<models::Entity> = None;
}}
"#
    )
}

/// What happened to one example.
enum Outcome {
    /// The page's text is not JSON, even leniently.
    Unreadable,
    /// The type did not read it.
    ReadFailed(String),
    /// It read, but wrote back something else.
    Differs(String),
    /// Read and written back equivalently.
    RoundTripped,
}

impl Outcome {
    fn describe(&self) -> String {
        match self {
            Outcome::Unreadable => "not JSON".to_owned(),
            Outcome::ReadFailed(e) => format!("does not read: {e}"),
            Outcome::Differs(d) => format!("reads, but writes back {d}"),
            Outcome::RoundTripped => "round-trips".to_owned(),
        }
    }
}

fn outcome(case: &ExampleCase, result: Option<&Value>) -> Outcome {
    let (Some(json), Some(result)) = (&case.json, result) else {
        return Outcome::Unreadable;
    };
    if let Some(error) = result.get("error") {
        return Outcome::ReadFailed(error.as_str().unwrap_or_default().to_owned());
    }
    let Ok(original) = serde_json::from_str::<Value>(json) else {
        return Outcome::Unreadable;
    };
    match common::json::difference(&original, &result["out"], "") {
        None => Outcome::RoundTripped,
        Some(d) => Outcome::Differs(d),
    }
}

/// Counts by outcome, strictness and explaining diagnostic.
#[derive(Default)]
struct Tally {
    tried: usize,
    strict: usize,
    read: usize,
    round_tripped: usize,
    by_role: BTreeMap<&'static str, (usize, usize)>,
    /// Failed examples by the diagnostic codes that explain them.
    explained: BTreeMap<String, usize>,
    unexplained: usize,
}

impl Tally {
    fn count(&mut self, case: &ExampleCase, outcome: &Outcome, defects: &BTreeSet<&str>) {
        self.tried += 1;
        self.strict += usize::from(case.strict);
        let role = self.by_role.entry(case.role.as_str()).or_default();
        role.0 += 1;
        match outcome {
            Outcome::RoundTripped => {
                self.read += 1;
                self.round_tripped += 1;
                role.1 += 1;
                return;
            }
            Outcome::Differs(_) => self.read += 1,
            Outcome::Unreadable | Outcome::ReadFailed(_) => {}
        }
        if defects.is_empty() {
            self.unexplained += 1;
        } else {
            let key: Vec<&str> = defects.iter().copied().collect();
            *self.explained.entry(key.join(" + ")).or_default() += 1;
        }
    }

    fn report(&self, unexplained: &[String]) -> String {
        let mut out = String::from("# Example round trip (v1.0)\n\n");
        out.push_str(&format!(
            "- tried: {} ({} strict JSON)\n- read: {}\n- round-tripped: {}\n- failed, explained by a diagnostic: {}\n- failed, unexplained: {}\n\n",
            self.tried,
            self.strict,
            self.read,
            self.round_tripped,
            self.explained.values().sum::<usize>(),
            self.unexplained
        ));
        out.push_str("| part | tried | round-tripped |\n|---|---|---|\n");
        for (role, (tried, ok)) in &self.by_role {
            out.push_str(&format!("| {role} | {tried} | {ok} |\n"));
        }
        out.push_str("\n| explained by | examples |\n|---|---|\n");
        let mut explained: Vec<(&String, &usize)> = self.explained.iter().collect();
        explained.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (codes, n) in explained {
            out.push_str(&format!("| {codes} | {n} |\n"));
        }
        for line in unexplained.iter().take(50) {
            out.push_str(&format!("\nunexplained: {line}"));
        }
        out
    }
}

#[test]
fn equivalence_allows_nulls_number_forms_instants_and_guid_case() {
    let same = |a: &str, b: &str| {
        common::json::difference(
            &serde_json::from_str(a).expect("a"),
            &serde_json::from_str(b).expect("b"),
            "",
        )
    };
    assert_eq!(same(r#"{"a": null, "b": 1}"#, r#"{"b": 1.0}"#), None);
    assert_eq!(
        same(
            r#"{"t": "2016-10-19T10:37:00.9926581Z"}"#,
            r#"{"t": "2016-10-19T10:37:00.992658100Z"}"#
        ),
        None
    );
    assert_eq!(
        same(
            r#"["6C1D4D2E-19E5-4B2B-8C5C-1A2B3C4D5E6F"]"#,
            r#"["6c1d4d2e-19e5-4b2b-8c5c-1a2b3c4d5e6f"]"#
        ),
        None
    );
    assert_eq!(same(r#"{"a": 1}"#, r#"{}"#).as_deref(), Some("no `/a`"));
    assert_eq!(
        same(r#"{}"#, r#"{"a": 1}"#).as_deref(),
        Some("an extra `/a`")
    );
    assert_eq!(same(r#""08:00:00.0000000""#, r#""08:00:00""#), None);
    assert!(same(r#""08:00:00""#, r#""08:00:01""#).is_some());
    assert!(same(r#"{"s": "x"}"#, r#"{"s": "y"}"#).is_some());
    assert!(same(r#"[1, 2]"#, r#"[1]"#).is_some());
    assert!(
        same(
            r#"{"t": "2016-10-19T10:37:00Z"}"#,
            r#"{"t": "2016-10-19T10:37:01Z"}"#
        )
        .is_some()
    );
}
