//! The real Graph reference (`$GRAPH_DOCS`, default `../shared/graph-docs/v1.0`):
//! read without a panic, every page accounted for, coverage measured against an
//! independent line-based scan of the pages, and a reviewed snapshot of what is read.

mod common;

use std::collections::{BTreeMap, HashSet};

use docgen::ir::TypeKind;

/// What a plain line scan says a page holds, independently of docgen's reader.
struct Scan {
    resource_with_properties: bool,
    http_request_section: bool,
    conceptual: bool,
}

fn scan(text: &str) -> Scan {
    let lines: Vec<&str> = text.lines().collect();
    let doc_type = lines
        .iter()
        .find_map(|l| l.strip_prefix("doc_type:"))
        .map(|v| v.trim().trim_matches('"').to_ascii_lowercase())
        .unwrap_or_default();
    let heading = |l: &str, levels: &[&str], name: &str| {
        levels.iter().any(|h| {
            l.strip_prefix(h)
                .is_some_and(|rest| rest.trim().to_ascii_lowercase() == name)
        })
    };
    let properties_table = lines.iter().enumerate().any(|(i, l)| {
        heading(l, &["## "], "properties")
            && lines[i + 1..]
                .iter()
                .take_while(|n| !n.starts_with("## "))
                .any(|n| {
                    n.trim_start()
                        .to_ascii_lowercase()
                        .starts_with("| property")
                        || n.trim_start().to_ascii_lowercase().starts_with("|property")
                })
    });
    Scan {
        resource_with_properties: doc_type.starts_with("resourcepagetype") && properties_table,
        http_request_section: lines
            .iter()
            .any(|l| heading(l, &["## ", "### ", "#### "], "http request")),
        conceptual: doc_type == "conceptualpagetype",
    }
}

#[test]
fn the_whole_corpus_is_read_and_accounted_for() {
    if common::skip_without(
        common::Needs::Corpus,
        "the_whole_corpus_is_read_and_accounted_for",
    ) {
        return;
    }
    let root = common::graph_docs();
    let docs = docgen::read_docs(std::slice::from_ref(&root)).expect("the corpus is readable");
    assert!(docs.sources.len() > 3000, "{} pages", docs.sources.len());

    // `ir --json` writes its pieces on every core: the same bytes as one stream.
    let mut in_pieces = Vec::new();
    docgen::ir::write_json(&docs.json(), &mut in_pieces).expect("writes to memory");
    let one_stream = serde_json::to_vec_pretty(&docs.json()).expect("serializes");
    assert!(
        one_stream.len() > 10_000_000,
        "{} bytes of IR",
        one_stream.len()
    );
    assert!(
        in_pieces == one_stream,
        "the IR written in pieces differs from serde_json's"
    );

    let mut with_type = HashSet::new();
    for t in &docs.ir.types {
        for s in &t.sources {
            with_type.insert(s.file);
        }
    }
    let mut with_operation = HashSet::new();
    for o in &docs.ir.operations {
        for s in &o.sources {
            with_operation.insert(s.file);
        }
    }
    let with_diagnostic: HashSet<_> = docs.diagnostics.iter().map(|d| d.span.file).collect();

    let (mut resources, mut resources_read) = (0, 0);
    let (mut api, mut api_read) = (0, 0);
    let mut unaccounted = Vec::new();
    for (id, file) in docs.sources.iter() {
        let s = scan(&file.text);
        if s.resource_with_properties {
            resources += 1;
            resources_read += usize::from(with_type.contains(&id));
        }
        if s.http_request_section {
            api += 1;
            api_read += usize::from(with_operation.contains(&id));
        }
        let accounted = with_type.contains(&id)
            || with_operation.contains(&id)
            || with_diagnostic.contains(&id)
            || s.conceptual;
        if !accounted {
            unaccounted.push(file.rel_path.clone());
        }
    }
    let ratio = |n: usize, d: usize| n as f64 / d.max(1) as f64;
    assert!(
        ratio(resources_read, resources) >= 0.99,
        "resource pages with a Properties table that yield their type: {resources_read}/{resources}"
    );
    assert!(
        ratio(api_read, api) >= 0.99,
        "API pages with an HTTP request section that yield an operation: {api_read}/{api}"
    );
    assert!(
        unaccounted.is_empty(),
        "pages yielding nothing and saying nothing: {unaccounted:?}"
    );

    // Every operation has what the contract promises.
    for o in &docs.ir.operations {
        assert!(!o.paths.is_empty() && !o.method.is_empty(), "{}", o.name);
        for p in &o.paths {
            assert!(p.path.starts_with('/'), "{}: {}", o.name, p.path);
            assert!(!p.path.contains("://"), "{}: {}", o.name, p.path);
        }
    }
    let names: HashSet<&str> = docs.ir.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names.len(),
        docs.ir.operations.len(),
        "operation names are unique"
    );

    // Every diagnostic renders.
    for d in &docs.diagnostics {
        assert!(docgen::diag::render::human(d, &docs.sources, false).contains(d.code.as_str()));
    }
}

/// A reviewed summary of what docgen reads from the corpus: any change in what
/// is read shows up here as a snapshot diff.
#[test]
fn corpus_summary_snapshot() {
    if common::skip_without(common::Needs::Corpus, "corpus_summary_snapshot") {
        return;
    }
    let docs = docgen::read_docs(&[common::graph_docs()]).expect("the corpus is readable");
    let mut out = format!("pages: {}\n", docs.sources.len());
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &docs.ir.types {
        *kinds.entry(t.kind.as_str()).or_default() += 1;
    }
    out.push_str(&format!("types: {}\n", docs.ir.types.len()));
    for (k, n) in &kinds {
        out.push_str(&format!("  {k}: {n}\n"));
    }
    let inferred = |what: &str| {
        docs.ir
            .types
            .iter()
            .filter(|t| t.inferred.contains(&what))
            .count()
    };
    for what in ["kind", "base", "members", "name"] {
        out.push_str(&format!("  {what} inferred: {}\n", inferred(what)));
    }
    let properties: usize = docs.ir.types.iter().map(|t| t.properties.len()).sum();
    let navigation: usize = docs
        .ir
        .types
        .iter()
        .flat_map(|t| &t.properties)
        .filter(|p| p.navigation)
        .count();
    let members: usize = docs
        .ir
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Enum)
        .map(|t| t.members.len())
        .sum();
    out.push_str(&format!(
        "  properties: {properties} ({navigation} navigation)\n  enum members: {members}\n"
    ));
    // The audit of type cells: every property typed otherwise than by its
    // cell's exact name, by the reason docgen read it so.
    let mut resolutions: BTreeMap<&str, usize> = BTreeMap::new();
    for p in docs.ir.types.iter().flat_map(|t| &t.properties) {
        if let Some(r) = &p.resolution {
            *resolutions.entry(r.by.as_str()).or_default() += 1;
        }
    }
    out.push_str("  typed otherwise than by the cell's exact name:\n");
    for (by, n) in &resolutions {
        out.push_str(&format!("    {by}: {n}\n"));
    }
    let mut methods: BTreeMap<&str, usize> = BTreeMap::new();
    for o in &docs.ir.operations {
        *methods.entry(o.method.as_str()).or_default() += 1;
    }
    out.push_str(&format!("operations: {}\n", docs.ir.operations.len()));
    for (m, n) in &methods {
        out.push_str(&format!("  {m}: {n}\n"));
    }
    let paths: usize = docs.ir.operations.iter().map(|o| o.paths.len()).sum();
    let with = |f: &dyn Fn(&docgen::ir::Operation) -> bool| {
        docs.ir.operations.iter().filter(|o| f(o)).count()
    };
    out.push_str(&format!("  paths: {paths}\n"));
    out.push_str(&format!(
        "  with request body: {}\n",
        with(&|o| o.request_body.is_some())
    ));
    out.push_str(&format!(
        "  with response type: {}\n",
        with(&|o| o.response.as_ref().is_some_and(|r| r.ty.is_some()))
    ));
    out.push_str(&format!(
        "  with query options: {}\n",
        with(&|o| !o.query_options.is_empty())
    ));
    out.push_str(&format!(
        "  with examples: {}\n",
        with(&|o| !o.examples.is_empty())
    ));
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &docs.diagnostics {
        *codes.entry(d.code.as_str()).or_default() += 1;
    }
    out.push_str(&format!("diagnostics: {}\n", docs.diagnostics.len()));
    for (c, n) in &codes {
        out.push_str(&format!("  {c}: {n}\n"));
    }
    insta::assert_snapshot!("corpus_summary", out);
}

/// Example ids that HTTP request sections wrote for keys (the education pages'
/// `/education/classes/acdefc6b-…`) become placeholders: no documented path
/// keeps one, and no generated function or type is named after one.
#[test]
fn no_path_or_generated_name_holds_an_example_id() {
    if common::skip_without(
        common::Needs::Corpus,
        "no_path_or_generated_name_holds_an_example_id",
    ) {
        return;
    }
    let docs = docgen::read_docs(&[common::graph_docs()]).expect("the corpus is readable");
    let mut found = Vec::new();
    for o in &docs.ir.operations {
        for p in &o.paths {
            for seg in &p.segments {
                if let docgen::extract::urlpath::Segment::Literal { name } = seg
                    && looks_like_id(name)
                {
                    found.push(format!("{} {}", o.method, p.path));
                }
            }
        }
    }
    assert!(found.is_empty(), "paths with example ids: {found:#?}");
    let replaced = docs
        .diagnostics
        .iter()
        .filter(|d| d.code == docgen::Code::PathExampleId)
        .count();
    assert!(
        replaced >= 20,
        "only {replaced} example ids found in request lines"
    );

    let emitted = docgen::Config::new()
        .crate_name("graph")
        .emit(&docs)
        .expect("emits");
    let mut named = Vec::new();
    for file in emitted.files.iter().filter(|f| f.path.ends_with(".rs")) {
        for line in file.contents.lines() {
            let line = line.trim_start();
            let Some(rest) = ["pub fn ", "pub struct ", "pub enum "]
                .iter()
                .find_map(|k| line.strip_prefix(k))
            else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.split('_').any(hex_run) {
                named.push(format!("{}: {name}", file.path));
            }
        }
    }
    assert!(named.is_empty(), "names holding an id: {named:#?}");
}

/// A GUID, or a number: what a request line copied from an example holds.
fn looks_like_id(segment: &str) -> bool {
    let groups: Vec<&str> = segment.split('-').collect();
    let guid = groups.len() == 5
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()));
    guid || (!segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit()))
}

/// A word of eight or more hexadecimal digits, some of them digits: a piece of an id.
fn hex_run(word: &str) -> bool {
    word.len() >= 8
        && word.chars().all(|c| c.is_ascii_hexdigit())
        && word.chars().filter(char::is_ascii_digit).count() >= 2
}
