//! The documented paths of an operation: its request lines with `{a | b}`
//! alternatives expanded, and example ids that a page wrote where the path
//! needs a key made into key placeholders.
//!
//! Some HTTP request sections copy an example's request line:
//! `DELETE /education/classes/acdefc6b-…/assignments/cf6005fc-…`. Taken as
//! written, that path names one class, and the function generated for it
//! would carry the id in its name. An id-shaped segment after a collection
//! segment is a key: it becomes `{class-id}` (the collection's singular, as
//! the docs name keys), and the page gets `path-example-id` saying which
//! placeholder to write.

use super::PathTemplate;
use super::naming::singular;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::extract::facts::{PageFacts, RequestLine};
use crate::extract::urlpath;
use crate::source::Span;

/// The paths of these request lines (one method's), in page order, without repeats.
pub(super) fn documented(
    page: &PageFacts,
    page_text: &str,
    lines: &[&RequestLine],
    diags: &mut Diagnostics,
) -> Vec<PathTemplate> {
    let mut paths: Vec<PathTemplate> = Vec::new();
    for line in lines {
        for path in urlpath::expand_alternatives(&line.path.path) {
            let (path, ids) = keys_for_example_ids(&path);
            for (id, placeholder) in &ids {
                diags.push(example_id(page, page_text, line, id, placeholder));
            }
            if let Some(known) = paths.iter_mut().find(|p| p.path == path) {
                // Documented plainly as well as with a query: a plain path.
                if line.path.query.is_none() {
                    known.query = None;
                }
                continue;
            }
            paths.push(PathTemplate {
                segments: urlpath::segments(&path),
                path,
                source: Span::new(page.file, line.span.clone()),
                query: line.path.query.clone(),
            });
        }
    }
    paths
}

/// The path with each example id after a collection segment replaced by a
/// key placeholder, and the (id, placeholder name) pairs replaced.
pub(super) fn keys_for_example_ids(path: &str) -> (String, Vec<(String, String)>) {
    let parts = urlpath::split_raw(path);
    // The path's own placeholders, read only when an id is to be replaced:
    // most paths have none.
    let mut taken: Option<Vec<String>> = None;
    let mut replaced = Vec::new();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut collection: Option<String> = None;
    let mut in_drive_path = false;
    for part in parts {
        // `root:/folder/2021-report.xlsx:` names items by path: leave it be.
        if in_drive_path {
            in_drive_path = !part.ends_with(':');
            out.push(part);
            continue;
        }
        if part.ends_with(':') && !part.contains('(') {
            in_drive_path = true;
            collection = None;
            out.push(part);
            continue;
        }
        if let Some(of) = collection.take().filter(|_| urlpath::is_example_id(&part)) {
            let taken = taken.get_or_insert_with(|| urlpath::params(&urlpath::segments(path)));
            let name = unique(&format!("{}-id", singular(&of)), taken);
            taken.push(name.clone());
            out.push(format!("{{{name}}}"));
            replaced.push((part, name));
            continue;
        }
        let plain = part.starts_with(|c: char| c.is_ascii_alphabetic())
            && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        collection = plain.then(|| part.clone());
        out.push(part);
    }
    if replaced.is_empty() {
        return (path.to_owned(), replaced);
    }
    (format!("/{}", out.join("/")), replaced)
}

/// `{class-id}`, or `{class-id-2}` when the path has one already.
fn unique(name: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == name) {
        return name.to_owned();
    }
    (2..)
        .map(|n| format!("{name}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| name.to_owned())
}

/// `path-example-id`, pointing at the id in the request line.
fn example_id(
    page: &PageFacts,
    page_text: &str,
    line: &RequestLine,
    id: &str,
    placeholder: &str,
) -> Diagnostic {
    let at = page_text
        .get(line.span.clone())
        .and_then(|text| text.find(id))
        .map_or(line.span.clone(), |i| {
            let start = line.span.start + i;
            start..start + id.len()
        });
    Diagnostic::new(
        Code::PathExampleId,
        Span::new(page.file, at),
        format!("`{id}` is an example's id where the path needs a placeholder"),
    )
    .with_note(format!(
        "write `{{{placeholder}}}`; docgen read the segment as that key"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_after_collections_become_keys_named_after_them() {
        let (path, ids) = keys_for_example_ids(
            "/education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignments/cf6005fc-9e13-44a2-a6ac-a53322006454/submissions/d1bee293-d8bb-48d4-af3e-c8cb0e3c7fe7/submit",
        );
        assert_eq!(
            path,
            "/education/classes/{class-id}/assignments/{assignment-id}/submissions/{submission-id}/submit"
        );
        assert_eq!(ids.len(), 3);
        assert_eq!(
            ids[0],
            (
                "acdefc6b-2dc6-4e71-b1e9-6d9810ab1793".to_owned(),
                "class-id".to_owned()
            )
        );
        let (path, _) = keys_for_example_ids("/sites/{site-id}/lists/gDbc8U7HGwADDZocJgAAAA==");
        assert_eq!(path, "/sites/{site-id}/lists/{list-id}");
        let (path, _) = keys_for_example_ids(
            "/education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignmentCategories/{id}",
        );
        assert_eq!(
            path,
            "/education/classes/{class-id}/assignmentCategories/{id}"
        );
    }

    #[test]
    fn names_placeholders_and_drive_paths_stay() {
        for path in [
            "/users/{id}/messages",
            "/me/oauth2PermissionGrants",
            "/me/drive/root:/2021/12345-report.xlsx:/content",
            "/reports/getOffice365ActivationCounts",
            "/workbook/worksheets('Sheet1')/range(address='A1:B2')",
        ] {
            let (out, ids) = keys_for_example_ids(path);
            assert_eq!(out, path);
            assert!(ids.is_empty(), "{path}: {ids:?}");
        }
        // An id with no collection before it is not a key of anything.
        assert!(
            keys_for_example_ids("/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793")
                .1
                .is_empty()
        );
    }

    #[test]
    fn a_repeated_collection_gets_a_second_name() {
        let (path, _) = keys_for_example_ids("/items/{item-id}/items/42");
        assert_eq!(path, "/items/{item-id}/items/{item-id-2}");
    }
}
