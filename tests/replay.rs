//! Every documented exchange of the v1.0 corpus, replayed over real HTTP: the
//! generated endpoint function is called with the example's inputs (path
//! arguments, query options, headers, body read as the body type) against
//! `docgen mock --strict` serving the same docs. The mock only answers a
//! request that matches the documented one (method, path, query, and body
//! among examples of one path), the body sent must be equivalent to the documented body, and
//! the typed result, written back, must be equivalent to the documented
//! response. Counts go to `target/docgen-tests/replay-report.md`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use docgen::emit::{ReplayCase, replay_cases};
use serde_json::{Value, json};

/// The generated crate (see `common::v1_crate`).
const CRATE: &str = common::V1_CRATE;

#[test]
fn every_documented_exchange_replays_against_the_mock() {
    if common::skip_without(
        common::Needs::Corpus,
        "every_documented_exchange_replays_against_the_mock",
    ) {
        return;
    }
    let (out, generated) = common::v1_crate();
    let docs = &generated.docs;
    let (cases, skipped) = replay_cases(&docs.ir, &generated.emitted.names, &docs.sources);
    assert!(
        cases.len() > 1000,
        "only {} replayable exchanges",
        cases.len()
    );

    // The mock, in this process, serving the same docs. Strict: the call
    // must send the documented query options (a dropped or mangled one is a
    // 404, not an answer), and the response is the documented one as
    // written, which is what the typed result is compared with.
    let runtime = tokio::runtime::Runtime::new().expect("tokio");
    let routes = Arc::new(
        docgen::mock::Routes::from_ir(&docs.ir, &docs.sources)
            .with_matching(docgen::mock::Matching::Strict),
    );
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let address = listener.local_addr().expect("address");
    runtime.spawn(docgen::mock::serve(routes.clone(), listener));

    let results = run_harness(&out, &cases, &format!("http://{address}/v1.0"));
    drop(runtime);

    let mut passed = 0;
    let mut other_example = 0;
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    let mut explained: BTreeMap<String, usize> = BTreeMap::new();
    let mut unexplained = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        // Several pages may document one request (a GET per derived type):
        // the function must return what the mock served for it.
        let served = results.get(&i).and_then(|r| served(&routes, case, r));
        if served.is_some_and(|r| r.source != case.source) {
            other_example += 1;
        }
        let expected = served.map_or(case.response.as_deref(), |r| r.response.body.as_deref());
        let Err(reason) = verdict(case, results.get(&i), expected) else {
            passed += 1;
            continue;
        };
        let kind = reason.split(':').next().unwrap_or_default().to_owned();
        *failures.entry(kind.clone()).or_default() += 1;
        // A defect of the page's examples, as `docgen lint` reports it.
        let defects: BTreeSet<&str> = docs
            .diagnostics
            .iter()
            .filter(|d| d.span.file == case.span.file && d.code.as_str().starts_with("example-"))
            .map(|d| d.code.as_str())
            .collect();
        if defects.is_empty() {
            unexplained.push(format!("{} (`{}`): {reason}", case.source, case.chain.call));
        } else {
            let key: Vec<&str> = defects.into_iter().collect();
            *explained
                .entry(format!("{kind} — {}", key.join(" + ")))
                .or_default() += 1;
        }
    }
    let mut skipped_by: BTreeMap<String, usize> = BTreeMap::new();
    for (_, why) in &skipped {
        *skipped_by.entry(format!("{why:?}")).or_default() += 1;
    }
    let mut report = format!(
        "# Replay against docgen mock (v1.0)\n\n- exchanges replayed: {}\n- sending documented headers through the typed helpers: {}\n- passed: {passed} ({other_example} answered with another page's example of the same request)\n- failed: {}\n  - on pages with example defects (`docgen lint`): {}\n  - unexplained: {}\n- not replayable: {} ({skipped_by:?})\n\n| failure | exchanges |\n|---|---|\n",
        cases.len(),
        cases.iter().filter(|c| !c.header_calls.is_empty()).count(),
        cases.len() - passed,
        explained.values().sum::<usize>(),
        unexplained.len(),
        skipped.len(),
    );
    for (kind, n) in &failures {
        report.push_str(&format!("| {kind} | {n} |\n"));
    }
    report.push_str("\n| failure — defects on the page | exchanges |\n|---|---|\n");
    for (kind, n) in &explained {
        report.push_str(&format!("| {kind} | {n} |\n"));
    }
    for line in &unexplained {
        report.push_str(&format!("\nunexplained: {line}"));
    }
    std::fs::write(
        common::workspace().join("target/docgen-tests/replay-report.md"),
        &report,
    )
    .expect("write report");
    println!("{report}");
    assert!(
        unexplained.is_empty(),
        "{} exchanges fail on pages without example defects:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
}

/// `Ok` when the call succeeded, sent the documented body and returned the
/// documented response; else why not, as `kind: detail`.
fn verdict(
    case: &ReplayCase,
    result: Option<&Value>,
    expected: Option<&str>,
) -> Result<(), String> {
    let Some(result) = result else {
        return Err("no result: the program did not report this exchange".to_owned());
    };
    if let Some(error) = result.get("error").and_then(Value::as_str) {
        return Err(error.to_owned());
    }
    let (raw_body, _) = docgen::emit::raw_content(&case.chain);
    // Raw content is sent as the example's text, byte for byte.
    if raw_body
        && let (Some((_, documented)), Some(sent)) = (&case.body, result.get("sent"))
        && sent.as_str() != Some(documented.as_str())
    {
        return Err(format!("raw body sent differs: {sent}"));
    }
    if let (false, Some((_, documented)), Some(sent)) = (raw_body, &case.body, result.get("sent"))
        && let Ok(documented) = serde_json::from_str::<Value>(documented)
        && let Some(d) = common::json::difference(&documented, sent, "")
    {
        return Err(format!("body sent differs: {d}"));
    }
    // A long-running call ends at its `202`: the program checked that it
    // names a monitor, which the mock does not serve.
    if case.response_type == "()" || docgen::emit::long_running(&case.chain) {
        return Ok(());
    }
    // Raw content: the bytes served, as the page writes them.
    if case.response_type == "runtime::Content" {
        let served = result["out"].as_str().unwrap_or_default().trim();
        return match expected.map(str::trim) {
            Some(documented) if documented != served => {
                Err(format!("content differs: {served:?} for {documented:?}"))
            }
            _ => Ok(()),
        };
    }
    let Some(documented) = expected.and_then(|r| serde_json::from_str::<Value>(r).ok()) else {
        return Ok(());
    };
    match common::json::difference(&documented, &result["out"], "") {
        None => Ok(()),
        Some(d) => Err(format!("response differs: {d}")),
    }
}

/// The documented exchange the mock answers this call with.
fn served<'a>(
    routes: &'a docgen::mock::Routes,
    case: &ReplayCase,
    result: &Value,
) -> Option<&'a docgen::mock::Route> {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&case.query)
        .finish();
    // A raw body went as its text; a JSON one as its JSON.
    let body = match result.get("sent") {
        Some(Value::String(text)) if docgen::emit::raw_content(&case.chain).0 => text.clone(),
        Some(sent) if !sent.is_null() => sent.to_string(),
        _ => String::new(),
    };
    routes
        .find_with_headers(
            &case.method,
            &format!("/v1.0{}", case.path),
            Some(&query),
            &case.headers,
            body.as_bytes(),
        )
        .ok()
}

/// Writes the cases and the program into the crate, runs it, returns its
/// output by case.
fn run_harness(out: &Path, cases: &[ReplayCase], base_url: &str) -> BTreeMap<usize, Value> {
    let input: Vec<Value> = cases
        .iter()
        .map(|c| {
            json!({
                "args": c.args,
                "body": c.body.as_ref().map(|b| &b.1),
                "query": c.query,
                "headers": c.raw_headers,
            })
        })
        .collect();
    let cases_file = out.join("target-replay.json");
    std::fs::write(&cases_file, serde_json::to_vec(&input).expect("json")).expect("write cases");
    std::fs::create_dir_all(out.join("examples")).expect("mkdir");
    std::fs::write(out.join("examples/replay.rs"), harness(cases)).expect("write harness");

    let mut run = common::cargo_in(out);
    run.args(["run", "--quiet", "--example", "replay", "--"])
        .arg(&cases_file)
        .arg(base_url);
    common::run_ok(run, "the replay program failed")
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|v| Some((v["i"].as_u64()? as usize, v)))
        .collect()
}

/// The program: one match arm per exchange, calling the generated function.
fn harness(cases: &[ReplayCase]) -> String {
    let mut arms = String::new();
    for (i, case) in cases.iter().enumerate() {
        let (raw_body, raw_response) = docgen::emit::raw_content(&case.chain);
        let (read_body, sent) = match &case.body {
            // Raw content goes as the example writes it; its Content-Type is
            // among the case's headers, which win over this one.
            Some(_) if raw_body => (
                "let text = case.body.clone().unwrap_or_default(); let body = runtime::RawBody::from_bytes(text.clone(), \"application/octet-stream\");".to_owned(),
                "Some(serde_json::Value::String(text))",
            ),
            Some((ty, _)) => (
                format!("let body: {ty} = read_body(case)?;"),
                "Some(serde_json::to_value(&body).map_err(|e| e.to_string())?)",
            ),
            None => (String::new(), "None"),
        };
        // Raw content is downloaded and compared as text.
        // A long-running call is started, not waited for.
        let caller = if raw_response {
            "call_content"
        } else if docgen::emit::long_running(&case.chain) {
            "call_accepted"
        } else {
            "call"
        };
        // The call through the builders, path arguments from the example.
        let call = case.chain.render(
            "client",
            |a| format!("&case.args[{a}]"),
            if raw_body { "body" } else { "&body" },
        );
        // Documented headers go through the runtime's typed helpers.
        let call = format!("{call}{}", case.header_calls.concat());
        // One small function per exchange: a single async fn over every
        // exchange would be one enormous state machine for rustc.
        arms.push_str(&format!(
            "fn case_{i}<'a>(client: &'a Client, case: &'a Case) -> Outcome<'a> {{\n    Box::pin(async move {{ {read_body} let request = {call}; Ok(({sent}, {caller}(request, case).await?)) }})\n}}\n"
        ));
    }
    let table: String = (0..cases.len()).map(|i| format!("case_{i}, ")).collect();
    format!(
        r#"//! Written by docgen's replay test.
use {CRATE}::{{models, runtime, Client}};

#[derive(serde::Deserialize)]
struct Case {{
    args: Vec<String>,
    body: Option<String>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}}

fn read_body<B: serde::de::DeserializeOwned>(case: &Case) -> Result<B, String> {{
    let text = case.body.as_deref().unwrap_or("null");
    serde_json::from_str(text).map_err(|e| format!("request body does not read: {{e}}"))
}}

async fn call<T: serde::Serialize + serde::de::DeserializeOwned + Send + 'static>(
    mut request: runtime::Request<T>,
    case: &Case,
) -> Result<serde_json::Value, String> {{
    for (name, value) in &case.query {{
        request = request.query(name, value.clone());
    }}
    for (name, value) in &case.headers {{
        request = request.header(name, value);
    }}
    match request.await {{
        Ok(value) => serde_json::to_value(&value).map_err(|e| format!("writing back: {{e}}")),
        Err(runtime::Error::Api(api)) if api.status == 404 => Err(format!(
            "mock 404: {{}}",
            api.message.as_deref().unwrap_or_default()
        )),
        Err(runtime::Error::Decode {{ source, .. }}) => Err(format!("response does not decode: {{source}}")),
        Err(other) => Err(format!("call failed: {{other}}")),
    }}
}}

async fn call_content(
    mut request: runtime::Request<runtime::Content>,
    case: &Case,
) -> Result<serde_json::Value, String> {{
    for (name, value) in &case.query {{
        request = request.query(name, value.clone());
    }}
    for (name, value) in &case.headers {{
        request = request.header(name, value);
    }}
    match request.download().await {{
        Ok(download) => {{
            let bytes = download.bytes().await.map_err(|e| format!("reading the content: {{e}}"))?;
            Ok(serde_json::Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        }}
        Err(runtime::Error::Api(api)) if api.status == 404 => Err(format!(
            "mock 404: {{}}",
            api.message.as_deref().unwrap_or_default()
        )),
        Err(other) => Err(format!("call failed: {{other}}")),
    }}
}}

async fn call_accepted<T>(
    mut request: runtime::Request<runtime::Accepted<T>>,
    case: &Case,
) -> Result<serde_json::Value, String> {{
    for (name, value) in &case.query {{
        request = request.query(name, value.clone());
    }}
    for (name, value) in &case.headers {{
        request = request.header(name, value);
    }}
    match request.start().await {{
        Ok(operation) => Ok(serde_json::Value::String(operation.monitor_url().to_string())),
        Err(runtime::Error::Api(api)) if api.status == 404 => Err(format!(
            "mock 404: {{}}",
            api.message.as_deref().unwrap_or_default()
        )),
        Err(other) => Err(format!("call failed: {{other}}")),
    }}
}}

type Outcome<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(Option<serde_json::Value>, serde_json::Value), String>> + 'a>>;

{arms}
const CASES: &[for<'a> fn(&'a Client, &'a Case) -> Outcome<'a>] = &[{table}];

fn main() {{
    // reqwest runs on tokio, so its runtime is there to drive the calls.
    let executor = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    executor.block_on(replay());
}}

async fn replay() {{
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("cases file");
    let base = args.next().expect("base URL");
    let cases: Vec<Case> = serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("cases");
    let runtime = runtime::Client::builder()
        .base_url(base)
        .bearer_token("replay")
        .retry_policy(runtime::RetryPolicy::none())
        .build()
        .expect("client");
    let client = Client::new(runtime);
    for (i, case) in cases.iter().enumerate() {{
        let Some(run) = CASES.get(i) else {{ break }};
        let line = match run(&client, case).await {{
            Ok((sent, out)) => serde_json::json!({{"i": i, "sent": sent, "out": out}}),
            Err(error) => serde_json::json!({{"i": i, "error": error}}),
        }};
        println!("{{line}}");
    }}
    let _: Option<models::Entity> = None;
}}
"#
    )
}
