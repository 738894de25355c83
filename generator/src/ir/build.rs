//! Builds the IR from every page's facts, in a fixed order.

use super::examples::{self, TypeIndex};
use super::types::TypeSpace;
use std::collections::HashMap;

use super::{Ir, Operation, checks, naming, operations};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::extract::PageFacts;
use crate::load::DocType;
use crate::parallel::*;
use crate::source::{SourceMap, Span};

/// Merges the pages' facts into the IR. `pages` must be in file order.
pub fn build(pages: &[PageFacts], sources: &SourceMap, diags: &mut Diagnostics) -> Ir {
    let mut space = TypeSpace::new(pages, sources);
    space.define_pages();
    space.define_bodies();
    space.define_inline_enums();
    space.dedupe_enums();
    space.fill(diags);
    space.infer();
    let mut ops = operations::build(pages, &space, diags);
    let types = space.finish();
    examples::attach(&mut ops, pages, &TypeIndex::new(&types), diags);
    report_empty_pages(pages, &types, &ops, diags);
    checks::links(pages, sources, diags);
    checks::future_values(&types, diags);
    let mut operations = merge_duplicates(ops);
    naming::assign(&mut operations);
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    Ir { types, operations }
}

/// Pages documenting the same request the same way (method, paths, body and
/// response) describe one operation: a page and its copy from the web site, an
/// old and a new revision. Pages that share a path but not the types (a create
/// page per derived type, all posting to one collection) stay distinct.
fn merge_duplicates(ops: Vec<(Operation, usize)>) -> Vec<Operation> {
    let mut merged: Vec<Operation> = Vec::new();
    type Key = (
        String,
        Vec<String>,
        Option<super::RequestBody>,
        Option<super::Response>,
    );
    // The keys on every core: they copy the bodies and responses.
    let keys: Vec<Key> = ops
        .par_iter()
        .map(|(op, _)| {
            let mut paths: Vec<String> = op
                .paths
                .iter()
                .map(|p| p.path.to_ascii_lowercase())
                .collect();
            paths.sort();
            (
                op.method.clone(),
                paths,
                op.request_body.clone(),
                op.response.clone(),
            )
        })
        .collect();
    let mut index: HashMap<Key, usize> = HashMap::with_capacity(ops.len());
    for ((op, _), key) in ops.into_iter().zip(keys) {
        let Some(&first) = index.get(&key) else {
            index.insert(key, merged.len());
            merged.push(op);
            continue;
        };
        let kept = &mut merged[first];
        for option in op.query_options {
            if !kept.query_options.contains(&option) {
                kept.query_options.push(option);
            }
        }
        let placeholder = |perms: &[super::Permission]| {
            perms.is_empty()
                || perms
                    .iter()
                    .any(|p| p.permissions.iter().any(|x| x.contains("TODO")))
        };
        if placeholder(&kept.permissions) && !placeholder(&op.permissions) {
            kept.permissions = op.permissions;
        }
        kept.description = kept.description.take().or(op.description);
        for header in op.request_headers {
            match kept
                .request_headers
                .iter_mut()
                .find(|h| h.name.eq_ignore_ascii_case(&header.name))
            {
                Some(known) => {
                    for value in header.values {
                        if !known.values.contains(&value) {
                            known.values.push(value);
                        }
                    }
                    known.description = known.description.take().or(header.description);
                }
                None => kept.request_headers.push(header),
            }
        }
        kept.sources.extend(op.sources);
        kept.examples.extend(op.examples);
    }
    merged
}

/// A reference page that yields nothing gets a diagnostic saying so.
fn report_empty_pages(
    pages: &[PageFacts],
    types: &[super::TypeDef],
    ops: &[(super::Operation, usize)],
    diags: &mut Diagnostics,
) {
    let mut used = vec![false; pages.len()];
    for (_, page) in ops {
        used[*page] = true;
    }
    let mut files = std::collections::HashSet::new();
    for t in types {
        for s in &t.sources {
            files.insert(s.file);
        }
    }
    // A page that could not be read already says so.
    let unreadable: std::collections::HashSet<_> = diags
        .as_slice()
        .iter()
        .filter(|d| matches!(d.code, Code::ReadFailed | Code::PageDuplicate))
        .map(|d| d.span.file)
        .collect();
    for (i, page) in pages.iter().enumerate() {
        if used[i] || files.contains(&page.file) || unreadable.contains(&page.file) {
            continue;
        }
        if matches!(page.front_matter.doc_type, Some(DocType::Conceptual)) {
            continue;
        }
        // API pages without request lines already have their own diagnostic.
        if !page.request_lines.is_empty() || page.front_matter.doc_type == Some(DocType::Api) {
            continue;
        }
        let at = page.title.as_ref().map_or(0..0, |t| t.1.clone());
        diags.push(
            Diagnostic::new(
                Code::PageEmpty,
                Span::new(page.file, at),
                "this page yields no type and no operation",
            )
            .with_note("docgen found no Properties table, enum table or request line"),
        );
    }
}
