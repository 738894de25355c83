//! The `docgen` command line.
//!
//! Exit codes: 0 success; 1 findings (lint errors, a stale output folder, or
//! with `--deny-breaking` a change that breaks callers); 2 usage or I/O errors.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use docgen::diag::select::Selection;
use docgen::diag::{github, render, sarif};
use docgen::output::Stale;
use docgen::{Code, Config, Severity};
use rayon::prelude::*;

/// Turns Microsoft Graph API reference pages (Markdown) into a typed Rust SDK.
#[derive(Parser)]
#[command(name = "docgen", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the IR (types, operations, diagnostics) of the pages under PATH.
    Ir {
        /// Pages or folders of pages (`.md` and `.txt`, recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the IR as JSON (the stable contract, version 1).
        #[arg(long)]
        json: bool,
    },
    /// Generate the SDK from a docs folder.
    Generate(OutputArgs),
    /// Check that the output folder is what `generate` would write; never writes.
    ///
    /// When it is stale, prints what the change does to the SDK's public API
    /// (each item added, removed or changed, classified by semver, with the
    /// page and line causing it), then the diff of the files.
    Check {
        #[command(flatten)]
        output: OutputArgs,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Exit with 1 only when a change breaks callers; a stale tree whose
        /// changes are all compatible (or only possibly breaking) exits 0.
        #[arg(long)]
        deny_breaking: bool,
    },
    /// What changes in the SDK's public API between two docs folders (or two
    /// generated trees), classified by semver, with the pages causing it.
    ///
    /// `docgen diff --docs OLD --docs NEW` generates both in memory;
    /// `docgen diff --out OLD --out NEW` reads two generated trees.
    Diff {
        /// Two docs folders: the old, then the new.
        #[arg(long, num_args = 1, value_name = "DIR", conflicts_with = "out")]
        docs: Vec<PathBuf>,
        /// Two generated trees: the old, then the new.
        #[arg(long, num_args = 1, value_name = "DIR")]
        out: Vec<PathBuf>,
        /// Generate standalone crates of this name (their cargo features are
        /// then compared too).
        #[arg(long = "crate", value_name = "NAME")]
        crate_name: Option<String>,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Exit with 1 when a change breaks callers.
        #[arg(long)]
        deny_breaking: bool,
    },
    /// Report defects in the pages, rustc-style.
    Lint {
        /// Pages or folders of pages.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit with 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Report only the pages git says changed since REV (committed,
        /// uncommitted or untracked; from the merge base of REV and HEAD).
        /// Every page is still read.
        #[arg(long, value_name = "REV", conflicts_with = "only")]
        changed_since: Option<String>,
        /// Report only these pages (after the PATHs; none reports nothing).
        /// Files that are not pages read under PATH are ignored.
        #[arg(long, value_name = "FILE", num_args = 0..)]
        only: Option<Vec<PathBuf>>,
    },
    /// Serve the documented responses over HTTP on 127.0.0.1, for offline tests.
    ///
    /// Each documented request gets its documented response (status, headers,
    /// body), matched by method and path (placeholders match any segment);
    /// the query and body choose among the examples of one path, and
    /// `$top`, `$skip` (with `@odata.nextLink` paging), `$select` and
    /// `$count=true` are applied to the documented body. Anything else gets a
    /// Graph-style 404 naming the nearest documented request. Runs until
    /// interrupted.
    Mock {
        /// The docs folder.
        #[arg(long, default_value = "docs-input")]
        docs: PathBuf,
        /// The port; 0 picks a free one (printed on start).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Answer only the documented query options, with the documented
        /// body as written; any other query gets the 404.
        #[arg(long)]
        strict: bool,
        /// The port of the file host, which serves the pre-authenticated
        /// URLs of documented responses (downloads, upload sessions); 0, the
        /// default, picks a free one (printed on start).
        #[arg(long, default_value_t = 0)]
        files_port: u16,
    },
    /// Print the generated SDK's public surface: one line per callable chain.
    ///
    /// Each line: the HTTP method and path template, the Rust call
    /// (`client.users().by_id(id).messages().list()`), the body and response
    /// types, and the page and line documenting it. Sorted, so two runs diff.
    Surface {
        #[command(flatten)]
        output: OutputArgs,
        /// One JSON array of chains instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Explain a diagnostic code, or list every code.
    Explain {
        /// The code, e.g. `example-value-type`.
        code: Option<String>,
    },
}

/// Where `generate` and `check` read and write.
#[derive(Args)]
struct OutputArgs {
    /// The docs folder.
    #[arg(long, default_value = "docs-input")]
    docs: PathBuf,
    /// The output folder.
    #[arg(long, default_value = "generated")]
    out: PathBuf,
    /// A standalone crate with this name (Cargo.toml, src/, runtime inlined).
    #[arg(long = "crate", value_name = "NAME")]
    crate_name: Option<String>,
}

impl OutputArgs {
    fn config(&self) -> Config {
        let mut config = Config::new();
        config.docs(&self.docs).out_dir(&self.out);
        if let Some(name) = &self.crate_name {
            config.crate_name(name);
        }
        config
    }

    /// The command that brings the output folder up to date.
    fn fix_command(&self) -> String {
        let mut s = format!(
            "docgen generate --docs {} --out {}",
            self.docs.display(),
            self.out.display()
        );
        if let Some(name) = &self.crate_name {
            s.push_str(&format!(" --crate {name}"));
        }
        s
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// rustc-style text with the source line and a caret.
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands (annotations); the summary on stderr.
    Github,
    /// One SARIF 2.1.0 log (code scanning); the summary on stderr.
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    /// Grouped by class, one entry per change, for terminals and CI logs.
    Text,
    /// Tables that paste into a pull request or release notes.
    Markdown,
    /// One JSON object: `summary`, `changes` (and for `check`, `files`).
    Json,
}

/// docgen allocates many small strings per page; mimalloc serves them faster
/// than the system allocator (about a fifth of the run time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The buffer between a command's output and stdout.
const OUT_BUFFER: usize = 1 << 16;

const FINDINGS: u8 = 1;
const FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { FAILURE } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Ir { paths, json } => ir(paths, json),
        Command::Generate(args) => generate(args.config()),
        Command::Check {
            output,
            format,
            deny_breaking,
        } => check(&output, format, deny_breaking),
        Command::Diff {
            docs,
            out,
            crate_name,
            format,
            deny_breaking,
        } => diff(docs, out, crate_name, format, deny_breaking),
        Command::Lint {
            paths,
            format,
            deny_warnings,
            changed_since,
            only,
        } => lint(
            paths,
            format,
            deny_warnings,
            changed_since.as_deref(),
            only.as_deref(),
        ),
        Command::Explain { code } => explain(code),
        Command::Surface { output, json } => surface(output.config(), json),
        Command::Mock {
            docs,
            port,
            strict,
            files_port,
        } => mock(docs, port, strict, files_port),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(FAILURE)
        }
    }
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn ir(paths: Vec<PathBuf>, json: bool) -> Result<u8, docgen::Error> {
    let docs = docgen::read_docs(&paths)?;
    let mut stdout = BufWriter::with_capacity(OUT_BUFFER, std::io::stdout().lock());
    if json {
        // Written as it is serialized, on every core: no `serde_json::Value`
        // tree, no document-sized String (building those cost more than reading).
        let _ = docgen::ir::write_json(&docs.json(), &mut stdout)
            .and_then(|()| stdout.write_all(b"\n"));
    } else {
        let mut text = format!(
            "{} pages: {} types, {} operations\n",
            docs.sources.len(),
            docs.ir.types.len(),
            docs.ir.operations.len()
        );
        for t in &docs.ir.types {
            text.push_str(&format!(
                "type {} ({}, {} properties)\n",
                t.ref_name(),
                t.kind.as_str(),
                t.properties.len().max(t.members.len())
            ));
        }
        for o in &docs.ir.operations {
            let path = o.paths.first().map_or("", |p| p.path.as_str());
            text.push_str(&format!("operation {} {} {}\n", o.name, o.method, path));
        }
        text.push_str(&render::summary(&docs.diagnostics));
        let _ = stdout.write_all(text.as_bytes());
    }
    let _ = stdout.flush();
    exit_without_freeing(docs);
    Ok(0)
}

fn surface(config: Config, json: bool) -> Result<u8, docgen::Error> {
    let docs = config.read()?;
    let emitted = config.emit(&docs)?;
    let mut chains = emitted.surface;
    chains.sort_by(|a, b| (&a.path, &a.method, &a.call).cmp(&(&b.path, &b.method, &b.call)));
    let text = if json {
        let mut text = serde_json::to_string_pretty(&chains).unwrap_or_default();
        text.push('\n');
        text
    } else {
        docgen::emit::surface::text(&chains)
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(0)
}

fn mock(docs: PathBuf, port: u16, strict: bool, files_port: u16) -> Result<u8, docgen::Error> {
    use docgen::mock::Matching;
    let read = docgen::read_docs(&[docs])?;
    let matching = if strict {
        Matching::Strict
    } else {
        Matching::Lenient
    };
    let routes = docgen::mock::Routes::from_ir(&read.ir, &read.sources).with_matching(matching);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the server's runtime: {e}");
            return Ok(FAILURE);
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("error: cannot listen on 127.0.0.1:{port}: {e}");
                return Ok(FAILURE);
            }
        };
        let files = match tokio::net::TcpListener::bind(("127.0.0.1", files_port)).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("error: cannot listen on 127.0.0.1:{files_port}: {e}");
                return Ok(FAILURE);
            }
        };
        let address = listener
            .local_addr()
            .map_or_else(|_| format!("127.0.0.1:{port}"), |a| a.to_string());
        let files_address = files
            .local_addr()
            .map_or_else(|_| format!("127.0.0.1:{files_port}"), |a| a.to_string());
        // The first line on stdout is the URL, for scripts and tests to read.
        println!("http://{address}");
        eprintln!(
            "docgen mock: {} documented responses from {} pages on http://{address} (the /v1.0 prefix is optional; {}); Ctrl-C stops it",
            routes.len(),
            read.sources.len(),
            if strict {
                "strict: documented query options only"
            } else {
                "$top, $skip, $select and $count applied; --strict for documented queries only"
            }
        );
        if !strict {
            eprintln!(
                "docgen mock: downloads and upload sessions on http://{files_address} (the documented pre-authenticated URLs point there)"
            );
        }
        let server = docgen::mock::serve_with_files(std::sync::Arc::new(routes), listener, files);
        tokio::select! {
            result = server => match result {
                Ok(()) => Ok(0),
                Err(e) => {
                    eprintln!("error: the server stopped: {e}");
                    Ok(FAILURE)
                }
            },
            _ = tokio::signal::ctrl_c() => Ok(0),
        }
    })
}

fn generate(config: Config) -> Result<u8, docgen::Error> {
    let generated = config.generate()?;
    let all: Vec<_> = generated
        .docs
        .diagnostics
        .iter()
        .chain(&generated.emitted.diagnostics)
        .cloned()
        .collect();
    let r = &generated.report;
    eprintln!(
        "docgen: {} pages, {} types, {} operations; {} files written, {} unchanged, {} removed",
        generated.docs.sources.len(),
        generated.docs.ir.types.len(),
        generated.docs.ir.operations.len(),
        r.written.len(),
        r.unchanged.len(),
        r.removed.len()
    );
    // What emitting found (code left out, limits) only a generate run sees:
    // shown in full; the pages' own findings are `docgen lint`'s.
    let color = color() && std::io::stderr().is_terminal();
    for d in &generated.emitted.diagnostics {
        eprintln!("{}\n", render::human(d, &generated.docs.sources, color));
    }
    if !all.is_empty() {
        eprint!("{}", render::summary(&all));
        eprintln!("run `docgen lint` on the docs for the pages' findings in full");
    }
    Ok(0)
}

fn check(
    args: &OutputArgs,
    format: ReportFormat,
    deny_breaking: bool,
) -> Result<u8, docgen::Error> {
    let checked = args.config().check()?;
    if checked.stale.is_empty() {
        if let ReportFormat::Json = format {
            let _ = std::io::stdout()
                .lock()
                .write_all(b"{\"up_to_date\": true, \"files\": []}\n");
        }
        eprintln!("docgen: the output is up to date");
        return Ok(0);
    }
    let report = checked.api_changes(&args.out)?;
    let mut stdout = BufWriter::with_capacity(OUT_BUFFER, std::io::stdout().lock());
    match format {
        ReportFormat::Json => {
            let files: Vec<serde_json::Value> = checked
                .stale
                .iter()
                .map(|stale| match stale {
                    Stale::Changed(path, diff) => {
                        serde_json::json!({"path": path, "state": "changed", "diff": diff})
                    }
                    Stale::Missing(path) => serde_json::json!({"path": path, "state": "missing"}),
                    Stale::Extra(path) => {
                        serde_json::json!({"path": path, "state": "no_longer_generated"})
                    }
                })
                .collect();
            let value = serde_json::json!({
                "up_to_date": false,
                "api": report,
                "files": files,
                "fix": args.fix_command(),
            });
            let _ = serde_json::to_writer_pretty(&mut stdout, &value);
            let _ = stdout.write_all(b"\n");
        }
        ReportFormat::Text | ReportFormat::Markdown => {
            let summary = match format {
                ReportFormat::Markdown => docgen::api::render::markdown(&report),
                _ => docgen::api::render::text(&report),
            };
            let _ = writeln!(stdout, "{summary}");
            for stale in &checked.stale {
                let text = match stale {
                    Stale::Changed(_, diff) => diff.clone(),
                    Stale::Missing(path) => format!("missing: {path}\n"),
                    Stale::Extra(path) => format!("no longer generated: {path}\n"),
                };
                let _ = stdout.write_all(text.as_bytes());
            }
        }
    }
    let _ = stdout.flush();
    eprintln!(
        "docgen: {} generated file(s) are stale; {}; run `{}` and commit the result",
        checked.stale.len(),
        docgen::api::render::headline(&report),
        args.fix_command()
    );
    Ok(if !deny_breaking || report.breaks() {
        FINDINGS
    } else {
        0
    })
}

fn diff(
    docs: Vec<PathBuf>,
    out: Vec<PathBuf>,
    crate_name: Option<String>,
    format: ReportFormat,
    deny_breaking: bool,
) -> Result<u8, docgen::Error> {
    let report = match (docs.as_slice(), out.as_slice()) {
        ([old, new], []) => {
            let side = |dir: &PathBuf| -> Result<_, docgen::Error> {
                let mut config = Config::new();
                config.docs(dir);
                if let Some(name) = &crate_name {
                    config.crate_name(name);
                }
                let docs = config.read()?;
                let emitted = config.emit(&docs)?;
                let api = docgen::api::read(
                    emitted
                        .files
                        .iter()
                        .map(|f| (f.path.as_str(), f.contents.as_str())),
                );
                Ok((api, docs.pages()))
            };
            let (before, _) = side(old)?;
            let (after, pages) = side(new)?;
            docgen::api::compare(&before, &after, Some(&pages))
        }
        ([], [old, new]) => {
            let tree = |dir: &PathBuf| -> Result<_, docgen::Error> {
                if !dir.is_dir() {
                    return Err(docgen::Error::Config(format!(
                        "`{}` is not a folder",
                        dir.display()
                    )));
                }
                Ok(docgen::output::read_tree(dir)?)
            };
            let (old, new) = (tree(old)?, tree(new)?);
            let (before, after) = docgen::api::read_both(
                old.iter().map(|(p, t)| (p.as_str(), t.as_str())),
                new.iter().map(|(p, t)| (p.as_str(), t.as_str())),
            );
            docgen::api::compare(&before, &after, None)
        }
        _ => {
            eprintln!(
                "error: give two docs folders (`--docs OLD --docs NEW`) or two generated trees (`--out OLD --out NEW`)"
            );
            return Ok(FAILURE);
        }
    };
    let text = match format {
        ReportFormat::Text => docgen::api::render::text(&report),
        ReportFormat::Markdown => docgen::api::render::markdown(&report),
        ReportFormat::Json => docgen::api::render::json(&report),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(if deny_breaking && report.breaks() {
        FINDINGS
    } else {
        0
    })
}

/// The pages `lint` reports on: all, or those of `--changed-since` or `--only`.
fn select(
    paths: &[PathBuf],
    changed_since: Option<&str>,
    only: Option<&[PathBuf]>,
) -> Result<Option<Selection>, docgen::diag::select::SelectError> {
    match (changed_since, only) {
        (Some(rev), _) => Selection::changed_since(paths, rev).map(Some),
        (None, Some(files)) => Ok(Some(Selection::files(files))),
        (None, None) => Ok(None),
    }
}

fn lint(
    paths: Vec<PathBuf>,
    format: Format,
    deny_warnings: bool,
    changed_since: Option<&str>,
    only: Option<&[PathBuf]>,
) -> Result<u8, docgen::Error> {
    // git answers while the pages are read (it may hash files whose index
    // entries are stale, as right after a checkout).
    let (selection, docs) = std::thread::scope(|scope| {
        let selecting = scope.spawn(|| select(&paths, changed_since, only));
        let docs = docgen::read_docs(&paths);
        (selecting.join(), docs)
    });
    let selection = match selection {
        Ok(Ok(selection)) => selection,
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            return Ok(FAILURE);
        }
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let mut docs = docs?;
    if let Some(selection) = &selection {
        let selected = selection.retain(&docs.sources, &mut docs.diagnostics);
        eprintln!(
            "docgen lint: reporting on {selected} of {} pages ({})",
            docs.sources.len(),
            selection.origin()
        );
    }
    let mut stdout = BufWriter::with_capacity(OUT_BUFFER, std::io::stdout().lock());
    let cwd = std::env::current_dir().ok();
    match format {
        Format::Github => {
            let commands = github::commands(&docs.diagnostics, &docs.sources, cwd.as_deref());
            let _ = stdout.write_all(commands.as_bytes());
            eprint!("{}", render::summary(&docs.diagnostics));
        }
        Format::Sarif => {
            let log = sarif::log(&docs.diagnostics, &docs.sources, cwd.as_deref());
            let _ = serde_json::to_writer_pretty(&mut stdout, &log)
                .map_err(std::io::Error::from)
                .and_then(|()| stdout.write_all(b"\n"));
            eprint!("{}", render::summary(&docs.diagnostics));
        }
        Format::Json => {
            let _ =
                stdout.write_all(render::json_lines(&docs.diagnostics, &docs.sources).as_bytes());
        }
        Format::Human => {
            let color = color() && std::io::stdout().is_terminal();
            // Each diagnostic renders on its own (annotate-snippets is most
            // of the time after reading): on every core, written in order.
            let rendered: Vec<String> = docs
                .diagnostics
                .par_iter()
                .map(|d| render::human(d, &docs.sources, color))
                .collect();
            for text in rendered {
                let _ = writeln!(stdout, "{text}\n");
            }
            let _ = write!(stdout, "{}", render::summary(&docs.diagnostics));
        }
    }
    let _ = stdout.flush();
    let fails = docs.diagnostics.iter().any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    });
    exit_without_freeing(docs);
    Ok(if fails { FINDINGS } else { 0 })
}

/// Ends the life of what a command read without freeing it: the process is
/// about to exit and the OS takes the memory back at once, whereas dropping
/// the pages, the IR and the diagnostics frees hundreds of thousands of
/// allocations one at a time, on the main thread, for nothing.
fn exit_without_freeing(docs: docgen::Docs) {
    std::mem::forget(docs);
}

fn explain(code: Option<String>) -> Result<u8, docgen::Error> {
    let mut stdout = std::io::stdout().lock();
    match code {
        None => {
            for c in Code::ALL {
                let _ = writeln!(
                    stdout,
                    "{:<28} {:<8} {}",
                    c.as_str(),
                    c.severity().as_str(),
                    c.summary()
                );
            }
            Ok(0)
        }
        Some(name) => match Code::from_name(&name) {
            Some(c) => {
                let _ = writeln!(
                    stdout,
                    "{} ({})\n\n{}\n\n{}",
                    c.as_str(),
                    c.severity().as_str(),
                    c.summary(),
                    c.explanation()
                );
                Ok(0)
            }
            None => {
                eprintln!("error: no diagnostic code `{name}`; `docgen explain` lists them");
                Ok(FAILURE)
            }
        },
    }
}
