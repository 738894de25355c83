//! The SDK's public surface on the whole v1.0 reference: a tree of the URL
//! whose every chain is a documented path and whose every documented path
//! (that can be generated) is a chain, with no numbered names.

mod common;

use std::collections::BTreeSet;

use docgen::Code;
use docgen::emit::Chain;

/// `GET /users/{}/messages`: method and path, with what the docs write
/// several ways set aside: case, placeholder names, quotes and spaces in
/// function arguments, a key written `(team-id)`, the colon that may close a
/// drive path at the end.
fn shape(method: &str, path: &str) -> String {
    let path: String = path
        .split('/')
        .map(|s| {
            if s.starts_with('(') && s.ends_with(')') && !s.contains('=') {
                "{}".to_owned()
            } else {
                s.replace(['\'', ' '], "")
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let path = path.strip_suffix(':').unwrap_or(&path);
    let mut out = format!("{method} ");
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' | '<' => {
                if depth == 0 {
                    out.push_str("{}");
                }
                depth += 1;
            }
            '}' | '>' => depth -= 1,
            _ if depth > 0 => {}
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// The corpus read and emitted once for all tests of this file (they run in
/// parallel threads of one process).
fn corpus() -> &'static (docgen::Docs, docgen::emit::Emitted) {
    static CORPUS: std::sync::OnceLock<(docgen::Docs, docgen::emit::Emitted)> =
        std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        let docs = docgen::read_docs(&[common::graph_docs()]).expect("the corpus is readable");
        let emitted = docgen::Config::new()
            .crate_name("graph")
            .emit(&docs)
            .expect("emits");
        (docs, emitted)
    })
}

#[test]
fn every_chain_is_documented_and_every_documented_path_is_a_chain() {
    if common::skip_without(
        common::Needs::Corpus,
        "every_chain_is_documented_and_every_documented_path_is_a_chain",
    ) {
        return;
    }
    let (docs, emitted) = corpus();
    let chains: &[Chain] = &emitted.surface;

    // What the pages document, and what of it the SDK says it cannot generate.
    let refused: BTreeSet<(u32, usize)> = emitted
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::EmitUnsupported)
        .map(|d| (d.span.file.0, d.span.range.start))
        .collect();
    let mut documented = BTreeSet::new();
    let mut generatable = BTreeSet::new();
    // Paths are refused one by one (raw content included, which the SDK
    // downloads and uploads): no operation is dropped whole.
    for op in &docs.ir.operations {
        for p in &op.paths {
            let s = shape(&op.method, &p.path);
            documented.insert(s.clone());
            let path_refused = refused.contains(&(p.source.file.0, p.source.range.start))
                && emitted.diagnostics.iter().any(|d| {
                    d.code == Code::EmitUnsupported && d.message.contains(&format!("`{}`", p.path))
                });
            if !path_refused {
                generatable.insert(s);
            }
        }
    }
    let surface: BTreeSet<String> = chains.iter().map(|c| shape(&c.method, &c.path)).collect();
    let invented: Vec<&String> = surface.difference(&documented).collect();
    assert!(
        invented.is_empty(),
        "chains no page documents: {invented:#?}"
    );
    let unreachable: Vec<&String> = generatable.difference(&surface).collect();
    assert!(
        unreachable.is_empty(),
        "documented paths with no chain: {unreachable:#?}"
    );

    // One request per chain: no two chains call the same thing.
    let calls: BTreeSet<&str> = chains.iter().map(|c| c.call.as_str()).collect();
    assert_eq!(calls.len(), chains.len(), "a call reached twice");

    // No numbered names anywhere on the surface: methods, builders, bodies, types.
    let numbered = |name: &str| {
        let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit());
        trimmed.len() < name.len() && trimmed.ends_with('_')
    };
    let methods: BTreeSet<String> = chains
        .iter()
        .flat_map(|c| c.steps.iter().map(|s| s.method.clone()))
        .collect();
    let bad: Vec<&String> = methods.iter().filter(|m| numbered(m)).collect();
    assert!(bad.is_empty(), "numbered methods: {bad:?}");
    // A type name ending in digits is numbered when the name without them is
    // taken too (`Foo`, `Foo2`): names from the docs may end in digits (`Fido2`).
    let mut types: BTreeSet<String> = emitted.names.types.values().cloned().collect();
    for file in emitted
        .files
        .iter()
        .filter(|f| f.path.starts_with("src/paths/"))
    {
        for line in file.contents.lines() {
            if let Some(rest) = line.strip_prefix("pub struct ") {
                types.insert(
                    rest.chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect(),
                );
            }
        }
    }
    let numbered_types: Vec<&String> = types
        .iter()
        .filter(|t| {
            let stem = t.trim_end_matches(|c: char| c.is_ascii_digit());
            stem.len() < t.len() && types.contains(stem)
        })
        .collect();
    assert!(
        numbered_types.is_empty(),
        "numbered types: {numbered_types:?}"
    );
    let tree = emitted.tree;
    println!(
        "chains: {}; builder types: {} for {} positions; shared: {} types standing for {} positions; documented paths: {} ({} generatable)",
        chains.len(),
        tree.types,
        tree.nodes,
        tree.shared_types,
        tree.shared_nodes,
        documented.len(),
        generatable.len()
    );
    assert!(tree.shared_types > 100, "{tree:?}");
}

/// Raw content is reachable on v1.0: files, photos, attachments and reports
/// download as `runtime::Content`, files and photos upload a
/// `runtime::RawBody`, and no request is refused for being raw content.
#[test]
fn raw_content_downloads_and_uploads_are_chains() {
    if common::skip_without(
        common::Needs::Corpus,
        "raw_content_downloads_and_uploads_are_chains",
    ) {
        return;
    }
    let (_, emitted) = corpus();
    let find = |call: &str| {
        emitted
            .surface
            .iter()
            .find(|c| c.call == call)
            .unwrap_or_else(|| panic!("no chain `{call}`"))
    };
    for (call, body, response) in [
        (
            "client.me().drive().items().by_id(id).content().get()",
            None,
            "runtime::Content",
        ),
        (
            "client.me().drive().items().by_id(id).content().replace(body)",
            Some("runtime::RawBody"),
            "models::DriveItem",
        ),
        (
            "client.me().photo().value().get()",
            None,
            "runtime::Content",
        ),
        (
            "client.me().photo().value().replace(body)",
            Some("runtime::RawBody"),
            "()",
        ),
        (
            "client.me().messages().by_id(id).attachments().by_id(id).value().get()",
            None,
            "runtime::Content",
        ),
        (
            "client.me().messages().by_id(id).value().get()",
            None,
            "runtime::Content",
        ),
        (
            "client.reports().get_email_activity_user_detail_with_period(period).get()",
            None,
            "runtime::Content",
        ),
        (
            "client.device_management().reports().get_cached_report(body)",
            Some("&models::GetCachedReportBody"),
            "runtime::Content",
        ),
    ] {
        let chain = find(call);
        assert_eq!(chain.body.as_deref(), body, "{call}");
        assert_eq!(chain.response, response, "{call}");
    }
    let raw: Vec<&str> = emitted
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::EmitUnsupported)
        .map(|d| d.message.as_str())
        .filter(|m| m.contains("raw") || m.contains("stream"))
        .collect();
    assert!(raw.is_empty(), "raw content refused: {raw:#?}");
    let downloads = emitted
        .surface
        .iter()
        .filter(|c| c.response == "runtime::Content")
        .count();
    let uploads = emitted
        .surface
        .iter()
        .filter(|c| c.body.as_deref() == Some("runtime::RawBody"))
        .count();
    println!("downloads: {downloads}; uploads: {uploads}");
    assert!(downloads > 100 && uploads > 20, "{downloads} {uploads}");
}
