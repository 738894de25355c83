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

#[test]
fn every_chain_is_documented_and_every_documented_path_is_a_chain() {
    if common::skip_without(
        common::Needs::Corpus,
        "every_chain_is_documented_and_every_documented_path_is_a_chain",
    ) {
        return;
    }
    let docs = docgen::read_docs(&[common::graph_docs()]).expect("the corpus is readable");
    let emitted = docgen::Config::new()
        .crate_name("graph")
        .emit(&docs)
        .expect("emits");
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
    for op in &docs.ir.operations {
        let whole_op_refused = refused.contains(&(op.source.file.0, op.source.range.start))
            && op
                .response
                .as_ref()
                .and_then(|r| r.ty.as_ref())
                .is_some_and(|t| t.name == "Stream");
        for p in &op.paths {
            let s = shape(&op.method, &p.path);
            documented.insert(s.clone());
            let path_refused = refused.contains(&(p.source.file.0, p.source.range.start))
                && emitted.diagnostics.iter().any(|d| {
                    d.code == Code::EmitUnsupported && d.message.contains(&format!("`{}`", p.path))
                });
            if !whole_op_refused && !path_refused {
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
