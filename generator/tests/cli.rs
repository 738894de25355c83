//! The `docgen` command line: the contract later checks rely on (commands,
//! output shapes, exit codes 0 / 1 / 2).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn docgen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docgen"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("docgen runs")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn docs_input() -> String {
    workspace()
        .join("docs-input")
        .to_string_lossy()
        .into_owned()
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn ir_json_follows_the_contract() {
    let out = docgen(&["ir", &docs_input(), "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let ir: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    assert_eq!(ir["version"], 1);
    let types = ir["types"].as_array().expect("types");
    assert!(!types.is_empty());
    for t in types {
        for key in [
            "name",
            "namespace",
            "kind",
            "base",
            "description",
            "properties",
            "sources",
        ] {
            assert!(t.get(key).is_some(), "type lacks {key}: {t}");
        }
        let kind = t["kind"].as_str().expect("kind");
        assert!(["entity", "complex", "enum"].contains(&kind));
        assert_eq!(t.get("members").is_some(), kind == "enum");
        for p in t["properties"].as_array().expect("properties") {
            for key in [
                "name",
                "type",
                "collection",
                "navigation",
                "description",
                "source",
            ] {
                assert!(p.get(key).is_some(), "property lacks {key}: {p}");
            }
            assert!(p["source"].as_str().expect("source").contains(".md:"));
        }
    }
    let status = types
        .iter()
        .find(|t| t["name"] == "deviceConfigurationUserStatus")
        .expect("deviceConfigurationUserStatus");
    assert_eq!(status["namespace"], "microsoft.graph");
    assert_eq!(status["base"], "entity");
    let operations = ir["operations"].as_array().expect("operations");
    for o in operations {
        for key in [
            "name",
            "method",
            "paths",
            "path_params",
            "query_options",
            "request_body",
            "response",
            "source",
        ] {
            assert!(o.get(key).is_some(), "operation lacks {key}: {o}");
        }
    }
    let get = operations
        .iter()
        .find(|o| {
            o["method"] == "GET"
                && o["paths"][0]
                    .as_str()
                    .is_some_and(|p| p.ends_with("{deviceConfigurationUserStatusId}"))
        })
        .expect("the get operation");
    assert_eq!(get["query_options"], serde_json::json!(["$select"]));
    assert_eq!(get["request_body"], serde_json::Value::Null);
    assert_eq!(
        get["response"],
        serde_json::json!({"status": 200, "type": "deviceConfigurationUserStatus", "collection": false})
    );
    assert_eq!(
        get["path_params"],
        serde_json::json!(["deviceConfigurationId", "deviceConfigurationUserStatusId"])
    );
    assert_eq!(ir["diagnostics"], serde_json::json!([]));
}

#[test]
fn diagnostics_in_json_carry_path_line_and_column() {
    let out = docgen(&["ir", &fixture("defects.md"), "--json"]);
    assert_eq!(
        code(&out),
        0,
        "ir reports findings but succeeds: {}",
        stderr(&out)
    );
    let ir: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let diagnostics = ir["diagnostics"].as_array().expect("diagnostics");
    assert!(!diagnostics.is_empty());
    for d in diagnostics {
        let source = d["source"].as_str().expect("source");
        let mut parts = source.rsplitn(3, ':');
        let col: usize = parts.next().and_then(|c| c.parse().ok()).expect("column");
        let line: usize = parts.next().and_then(|l| l.parse().ok()).expect("line");
        assert!(parts.next().expect("path").ends_with("defects.md"));
        assert!(line > 0 && col > 0);
        assert!(["error", "warning"].contains(&d["severity"].as_str().expect("severity")));
    }
}

#[test]
fn lint_is_rustc_style_with_a_summary_and_exit_codes() {
    let out = docgen(&["lint", &fixture("defects.md")]);
    let text = stdout(&out);
    assert_eq!(code(&out), 1, "errors make lint exit 1:\n{text}");
    assert!(text.contains("error[front-matter-invalid]"), "{text}");
    assert!(text.contains("warning[example-value-type]"), "{text}");
    assert!(text.contains("defects.md:"), "{text}");
    assert!(text.contains('^'), "a caret under the source: {text}");
    assert!(text.contains("summary by code:"), "{text}");

    let clean = docgen(&["lint", &docs_input()]);
    assert_eq!(code(&clean), 0, "{}", stdout(&clean));
    assert!(stdout(&clean).ends_with("0 errors, 0 warnings\n"));

    let warnings = docgen(&["lint", &fixture("warnings-only.md")]);
    assert_eq!(
        code(&warnings),
        0,
        "warnings alone pass: {}",
        stdout(&warnings)
    );
    let denied = docgen(&["lint", "--deny-warnings", &fixture("warnings-only.md")]);
    assert_eq!(code(&denied), 1);

    let json = docgen(&["lint", "--format", "json", &fixture("defects.md")]);
    for line in stdout(&json).lines() {
        let d: serde_json::Value = serde_json::from_str(line).expect("a JSON object per line");
        assert!(d["code"].is_string() && d["source"].is_string() && d["message"].is_string());
    }
}

/// `docgen ARGS` run in `dir`, so that paths print relative to it.
fn docgen_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docgen"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("docgen runs")
}

#[test]
fn lint_github_format_is_one_escaped_workflow_command_per_diagnostic() {
    let dir = Path::new(&fixture("ci")).to_path_buf();
    let out = docgen_in(
        &dir,
        &["lint", "--format", "github", "annotated.md", "./clean.md"],
    );
    assert_eq!(
        code(&out),
        1,
        "an error makes lint exit 1: {}",
        stderr(&out)
    );
    assert_eq!(
        stdout(&out),
        "::error file=annotated.md,line=2,col=14,endLine=2,endColumn=24,title=front-matter-invalid::\
         front matter is not valid YAML: mapping values are not allowed in this context\
         %0Anote: the front matter was ignored; quote values that contain `: `\n\
         ::warning file=annotated.md,line=18,col=1,endLine=18,endColumn=25,title=http-line-invalid::\
         `get /widgets/50%25,off:now` is not a request line: `get` must be written in upper case\
         %0Anote: the line was skipped\n"
    );
    // The summary goes to stderr: stdout holds only workflow commands.
    assert!(
        stderr(&out).ends_with("1 error, 1 warning\n"),
        "{}",
        stderr(&out)
    );

    // An absolute path under the working directory is made relative to it;
    // a path or title holding `,` or `:` is escaped as a property.
    let absolute = dir.join("annotated.md");
    let out = docgen_in(
        &dir,
        &[
            "lint",
            "--format",
            "github",
            absolute.to_str().expect("utf8"),
        ],
    );
    assert!(
        stdout(&out).starts_with("::error file=annotated.md,line=2,"),
        "{}",
        stdout(&out)
    );

    let warnings = docgen(&["lint", "--format", "github", &fixture("warnings-only.md")]);
    assert_eq!(
        code(&warnings),
        0,
        "warnings alone pass: {}",
        stdout(&warnings)
    );
    assert!(
        stdout(&warnings)
            .lines()
            .all(|l| l.starts_with("::warning file="))
    );
    let denied = docgen(&[
        "lint",
        "--format",
        "github",
        "--deny-warnings",
        &fixture("warnings-only.md"),
    ]);
    assert_eq!(code(&denied), 1);
}

#[test]
fn lint_sarif_format_is_one_sarif_log_with_every_rule() {
    let dir = Path::new(&fixture("")).to_path_buf();
    let out = docgen_in(&dir, &["lint", "--format", "sarif", "defects.md"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("one JSON document");
    assert!(
        log["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("sarif-schema-2.1.0")),
        "{}",
        log["$schema"]
    );
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "docgen");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        driver["informationUri"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))
    );
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert!(
        run["originalUriBaseIds"]["SRCROOT"]["uri"]
            .as_str()
            .is_some_and(|u| u.starts_with("file:///") && u.ends_with("/fixtures/")),
        "{}",
        run["originalUriBaseIds"]
    );

    // The rules are `docgen explain`'s list, in its order, each explained.
    let explain = stdout(&docgen(&["explain"]));
    let listed: Vec<&str> = explain
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, listed);
    for (rule, c) in rules.iter().zip(docgen::Code::ALL) {
        assert_eq!(rule["shortDescription"]["text"], c.summary());
        assert_eq!(rule["fullDescription"]["text"], c.explanation());
        assert_eq!(rule["help"]["text"], c.explanation());
        assert_eq!(rule["defaultConfiguration"]["level"], c.severity().as_str());
    }

    // One result per diagnostic, in lint's order, on the lines `--format
    // json` gives (the page is ASCII: characters and UTF-16 units agree).
    let json = docgen_in(&dir, &["lint", "--format", "json", "defects.md"]);
    let diagnostics: Vec<serde_json::Value> = stdout(&json)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), diagnostics.len());
    assert!(!results.is_empty());
    for (result, d) in results.iter().zip(&diagnostics) {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(result["ruleId"], d["code"]);
        assert_eq!(rules[index]["id"], d["code"]);
        assert_eq!(result["level"], d["severity"]);
        let text = result["message"]["text"].as_str().expect("message");
        assert!(
            text.starts_with(d["message"].as_str().expect("message")),
            "{text}"
        );
        for note in d["notes"].as_array().expect("notes") {
            assert!(text.contains(&format!("\nnote: {}", note.as_str().expect("note"))));
        }
        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1);
        let physical = &locations[0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], "defects.md");
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "SRCROOT");
        let region = &physical["region"];
        let source = d["source"].as_str().expect("source");
        assert_eq!(
            format!(
                "defects.md:{}:{}",
                region["startLine"], region["startColumn"]
            ),
            source
        );
        let (start, end) = (
            (region["startLine"].as_u64(), region["startColumn"].as_u64()),
            (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        );
        assert!(end > start, "a region covers something: {region}");
    }
    // The first finding is the YAML error on line 2; the line numbers are
    // those of the page.
    assert_eq!(results[0]["ruleId"], "front-matter-invalid");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert!(
        stderr(&out).contains("summary by code:"),
        "{}",
        stderr(&out)
    );

    let clean = docgen(&["lint", "--format", "sarif", &docs_input()]);
    assert_eq!(code(&clean), 0);
    let log: serde_json::Value = serde_json::from_str(&stdout(&clean)).expect("JSON");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

/// Runs git in `dir`; git must be installed (CI machines have it).
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=docgen",
            "-c",
            "user.email=docgen@example.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git is installed: the --changed-since tests need it");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn lint_changed_since_reports_only_changed_pages() {
    let repo = tempfile::tempdir().expect("tempdir");
    let repo = repo.path();
    let docs = repo.join("docs");
    std::fs::create_dir(&docs).expect("docs");
    let ci = Path::new(&fixture("ci")).to_path_buf();
    // Two pages: one with findings that stays as it is, one clean that the
    // change breaks.
    std::fs::copy(ci.join("annotated.md"), docs.join("annotated.md")).expect("copy");
    std::fs::copy(ci.join("clean.md"), docs.join("clean.md")).expect("copy");
    git(repo, &["init", "-q"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "two pages"]);

    let unchanged = docgen_in(
        repo,
        &[
            "lint",
            "--format",
            "github",
            "--changed-since",
            "HEAD",
            "docs",
        ],
    );
    assert_eq!(
        code(&unchanged),
        0,
        "nothing changed: {}",
        stderr(&unchanged)
    );
    assert_eq!(stdout(&unchanged), "");
    assert!(stderr(&unchanged).contains("reporting on 0 of 2 pages (changed since HEAD)"));

    let clean = std::fs::read_to_string(docs.join("clean.md")).expect("clean.md");
    std::fs::write(
        docs.join("clean.md"),
        clean.replace("title: \"Count widgets\"", "title: widgets: count"),
    )
    .expect("edit");
    let changed = docgen_in(
        repo,
        &[
            "lint",
            "--format",
            "github",
            "--changed-since",
            "HEAD",
            "docs",
        ],
    );
    assert_eq!(code(&changed), 1, "the changed page has an error now");
    let lines: Vec<String> = stdout(&changed).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("::error file=docs/clean.md,line=2,")
            && lines[0].contains("title=front-matter-invalid::"),
        "{lines:?}"
    );
    assert!(
        stderr(&changed).ends_with("1 error, 0 warnings\n"),
        "{}",
        stderr(&changed)
    );

    // Committed changes count from the merge base; untracked pages count too.
    git(repo, &["commit", "-q", "-am", "break clean.md"]);
    std::fs::copy(ci.join("annotated.md"), docs.join("new.md")).expect("copy");
    let since = docgen_in(
        repo,
        &["lint", "--changed-since", "HEAD~1", "docs/clean.md", "docs"],
    );
    let text = stdout(&since);
    assert!(text.contains("docs/clean.md:2:"), "{text}");
    assert!(text.contains("docs/new.md:2:"), "{text}");
    assert!(!text.contains("annotated.md"), "{text}");

    // The same selection from a list of files; files that are not pages are ignored.
    let only = docgen_in(
        repo,
        &[
            "lint",
            "--format",
            "github",
            "docs",
            "--only",
            "docs/clean.md",
            "README.md",
        ],
    );
    assert_eq!(stdout(&only).lines().count(), 1, "{}", stdout(&only));
    assert!(stdout(&only).contains("file=docs/clean.md,"));

    let unknown = docgen_in(repo, &["lint", "--changed-since", "no-such-rev", "docs"]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("unknown revision `no-such-rev`"),
        "{}",
        stderr(&unknown)
    );
    assert_eq!(stdout(&unknown), "", "nothing is linted");

    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::copy(ci.join("clean.md"), outside.path().join("clean.md")).expect("copy");
    let no_repo = docgen_in(
        outside.path(),
        &["lint", "--changed-since", "HEAD", "clean.md"],
    );
    assert_eq!(code(&no_repo), 2);
    assert!(
        stderr(&no_repo).contains("is not in a git repository"),
        "{}",
        stderr(&no_repo)
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(code(&docgen(&[])), 2);
    assert_eq!(code(&docgen(&["ir"])), 2);
    assert_eq!(code(&docgen(&["frobnicate"])), 2);
    let missing = docgen(&["ir", "/no/such/docgen/path", "--json"]);
    assert_eq!(code(&missing), 2);
    assert!(stderr(&missing).contains("/no/such/docgen/path"));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let bad = docgen(&[
        "generate",
        "--docs",
        &docs_input(),
        "--out",
        out.to_str().expect("utf8"),
        "--crate",
        "bad name!",
    ]);
    assert_eq!(code(&bad), 2);
    assert!(!out.exists(), "nothing is written on a usage error");
}

#[test]
fn check_passes_when_current_and_fails_with_a_diff_and_the_fix_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("generated");
    let out_arg = out.to_string_lossy().into_owned();
    let missing = docgen(&["check", "--docs", &docs_input(), "--out", &out_arg]);
    assert_eq!(code(&missing), 1);
    assert!(!out.exists(), "check never writes");

    let generated = docgen(&["generate", "--docs", &docs_input(), "--out", &out_arg]);
    assert_eq!(code(&generated), 0, "{}", stderr(&generated));
    let current = docgen(&["check", "--docs", &docs_input(), "--out", &out_arg]);
    assert_eq!(code(&current), 0, "{}", stderr(&current));

    let models = out.join("models/intune.rs");
    let text = std::fs::read_to_string(&models).expect("models/intune.rs");
    std::fs::write(&models, text.replace("pub user_principal_name", "pub upn")).expect("edit");
    let stale = docgen(&["check", "--docs", &docs_input(), "--out", &out_arg]);
    assert_eq!(code(&stale), 1);
    let diff = stdout(&stale);
    assert!(
        diff.contains("--- a/models/intune.rs") && diff.contains("+    pub user_principal_name"),
        "{diff}"
    );
    assert!(
        stderr(&stale).contains("docgen generate --docs"),
        "{}",
        stderr(&stale)
    );
    assert!(
        std::fs::read_to_string(&models)
            .expect("models/intune.rs")
            .contains("pub upn"),
        "check never writes"
    );
}

#[test]
fn explain_documents_every_code() {
    let list = docgen(&["explain"]);
    assert_eq!(code(&list), 0);
    for c in docgen::Code::ALL {
        assert!(stdout(&list).contains(c.as_str()));
        let one = docgen(&["explain", c.as_str()]);
        assert_eq!(code(&one), 0);
        assert!(stdout(&one).contains(c.explanation()));
    }
    assert_eq!(code(&docgen(&["explain", "no-such-code"])), 2);
}

/// A running `docgen mock`, stopped when dropped.
struct Mock {
    child: std::process::Child,
    url: String,
}

impl Mock {
    fn start(docs: &str) -> Mock {
        Mock::start_with(docs, &[])
    }

    fn start_with(docs: &str, flags: &[&str]) -> Mock {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_docgen"))
            .args(["mock", "--docs", docs, "--port", "0"])
            .args(flags)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("docgen mock starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the URL line");
        Mock {
            child,
            url: line.trim().to_owned(),
        }
    }

    /// Sends one HTTP/1.1 request; returns the status line, headers and body.
    fn send(&self, method: &str, target: &str, body: &str) -> (u16, String, String) {
        use std::io::{Read, Write};
        let host = self.url.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(host).expect("connect");
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_ascii_lowercase(), body.to_owned())
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn mock_answers_documented_requests_and_names_the_nearest_otherwise() {
    let mock = Mock::start(&docs_input());
    assert!(mock.url.starts_with("http://127.0.0.1:"), "{}", mock.url);

    // The documented GET, with and without the version prefix, any id.
    let (status, head, body) = mock.send(
        "GET",
        "/v1.0/deviceManagement/deviceConfigurations/any-id/rootCertificate/userStatuses/other-id",
        "",
    );
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("content-type: application/json"));
    let value: serde_json::Value = serde_json::from_str(&body).expect("documented JSON");
    assert!(value.get("userPrincipalName").is_some(), "{body}");

    // The documented DELETE answers 204 with no body.
    let (status, _, body) = mock.send(
        "DELETE",
        "/deviceManagement/deviceConfigurations/a/rootCertificate/userStatuses/b",
        "",
    );
    assert_eq!((status, body.as_str()), (204, ""));

    // Anything else: a Graph-style 404 naming the nearest documented request.
    let (status, _, body) = mock.send(
        "GET",
        "/v1.0/deviceManagement/deviceConfigurations/a/rootCertificate/userStatus/b",
        "",
    );
    assert_eq!(status, 404);
    let error: serde_json::Value = serde_json::from_str(&body).expect("JSON error");
    assert_eq!(error["error"]["code"], "noDocumentedRequest");
    let message = error["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("GET /deviceManagement/deviceConfigurations/")
            && message.contains("api/deviceconfigurationuserstatus-get.md:"),
        "{message}"
    );
}

/// The pages of `tests/mock_double.rs`: three documented messages, whose
/// only list example has `$select=sender,subject`.
fn mock_pages() -> String {
    workspace()
        .join("tests/fixtures/mock")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn mock_answers_an_apps_own_query_unless_strict() {
    let mock = Mock::start(&mock_pages());
    let (status, _, body) = mock.send("GET", "/v1.0/me/messages?$top=1", "");
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(page["value"].as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(
        page["@odata.nextLink"],
        format!("{}/v1.0/me/messages?$top=1&$skip=1", mock.url)
    );
    let (status, _, body) = mock.send("GET", "/v1.0/me/messages?$top=abc", "");
    assert_eq!(status, 400, "{body}");

    let strict = Mock::start_with(&mock_pages(), &["--strict"]);
    let (status, _, body) = strict.send("GET", "/v1.0/me/messages?$top=1", "");
    assert_eq!(status, 404, "{body}");
    assert!(
        body.contains("the nearest documented request is GET /me/messages?$select=sender,subject"),
        "{body}"
    );
    let (status, _, _) = strict.send("GET", "/v1.0/me/messages?$select=sender,subject", "");
    assert_eq!(status, 200);
}
