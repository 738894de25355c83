//! Long-running requests: those the service answers with `202 Accepted` and
//! a monitor to poll (`Location` or `Operation-Location`) rather than with
//! their result. They return `runtime::Request<runtime::Accepted<T>>`, sent
//! with `.start()`, whose operation's `.wait()` answers an `Option<T>`.
//!
//! What the monitor will point at is rarely documented (a `resourceLocation`
//! is an opaque URL), so `T` follows from the path instead: the type that a
//! GET of the node the request is made on answers (for an action, the node
//! it is bound to: `driveItem` for `/drives/{id}/items/{id}/copy`, `team`
//! for `/teams/{id}/clone`), its element for a collection; without one, a create's own body type (`team` for
//! `POST /teams` with a team). Otherwise `T` is untyped JSON.

use super::{Node, Tree};
use crate::ir::{Operation, RequestBody, TypeRef};

/// What a long-running request waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LongRunning {
    /// The type of the resource the operation makes or changes, when the
    /// path's node documents one (see the module docs).
    pub resource: Option<TypeRef>,
}

/// Whether the page documents a long-running operation: its success status
/// is `202 Accepted` and an example answer carries a `Location` or
/// `Operation-Location` header (spelled in any case) and no body.
///
/// The page's response type does not count: pages that say the `Location`
/// points at "an operation" get that monitor as their type (team clone),
/// and it is not what the request answers.
pub(super) fn documents_long_running(op: &Operation) -> bool {
    if op.response.as_ref().is_none_or(|r| r.status != 202) {
        return false;
    }
    op.examples
        .iter()
        .filter_map(|pair| pair.response.as_ref())
        .filter(|answer| answer.status.is_none_or(|s| s == 202))
        .filter(|answer| answer.body.as_ref().is_none_or(|b| b.raw.trim().is_empty()))
        .any(|answer| {
            answer.headers.iter().any(|(name, _)| {
                name.eq_ignore_ascii_case("location")
                    || name.eq_ignore_ascii_case("operation-location")
            })
        })
}

/// Gives every long-running request of the tree its resource type, once
/// actions are known (an action's resource is its parent's).
pub(super) fn resolve_resources(tree: &mut Tree) {
    for i in 0..tree.nodes.len() {
        let owner = if tree.nodes[i].action {
            tree.nodes[i].parent
        } else {
            Some(i)
        };
        let addressed = owner.and_then(|o| addressed_type(&tree.nodes[o]));
        for term in &mut tree.nodes[i].terminals {
            let sent = match &term.body {
                Some(RequestBody::Type(ty)) if !ty.collection => Some(ty.clone()),
                _ => None,
            };
            if let Some(long_running) = &mut term.long_running {
                // A create that sends a resource makes one of that type.
                long_running.resource = addressed.clone().or(sent);
            }
        }
    }
}

/// The type a GET of `node` answers as JSON, the element of a collection.
fn addressed_type(node: &Node) -> Option<TypeRef> {
    node.terminals
        .iter()
        .filter(|t| t.method == "GET" && !t.raw_response)
        .find_map(|t| t.response.as_ref()?.ty.as_ref())
        .map(|ty| TypeRef {
            name: ty.name.clone(),
            collection: false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ExampleBody, ExamplePair, ExampleResponse, Response};
    use crate::source::{FileId, Span};

    fn operation(status: u16, ty: Option<&str>, headers: &[(&str, &str)]) -> Operation {
        Operation {
            name: "copy".into(),
            method: "POST".into(),
            paths: Vec::new(),
            path_params: Vec::new(),
            query_options: Vec::new(),
            query_options_inferred: false,
            request_body: None,
            response: Some(Response {
                status,
                ty: ty.map(|name| TypeRef {
                    name: name.into(),
                    collection: false,
                }),
            }),
            title: None,
            description: None,
            permissions: Vec::new(),
            request_headers: Vec::new(),
            source: Span::new(FileId::default(), 0..0),
            sources: Vec::new(),
            area: "files".into(),
            examples: vec![ExamplePair {
                request: None,
                response: Some(ExampleResponse {
                    status: Some(status),
                    headers: headers
                        .iter()
                        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                        .collect(),
                    body: None,
                    odata_type: None,
                    truncated: false,
                    source: Span::new(FileId::default(), 0..0),
                }),
            }],
        }
    }

    #[test]
    fn a_202_with_a_monitor_header_and_no_body_is_long_running() {
        let location = [("Location", "https://contoso.sharepoint.com/monitor/1")];
        assert!(documents_long_running(&operation(202, None, &location)));
        assert!(documents_long_running(&operation(
            202,
            None,
            &[(
                "operation-location",
                "https://graph.microsoft.com/v1.0/print/operations/1"
            )]
        )));
        // The monitor a page names as its type does not matter.
        assert!(documents_long_running(&operation(
            202,
            Some("operation"),
            &location
        )));
        // An answer with a body is the result, not a monitor to poll.
        let mut with_body = operation(202, None, &location);
        if let Some(answer) = with_body.examples[0].response.as_mut() {
            answer.body = Some(ExampleBody {
                raw: "{\"id\": \"1\"}".into(),
                json: None,
                strict: false,
                defect: None,
                file: FileId::default(),
                pieces: Vec::new(),
            });
        }
        assert!(!documents_long_running(&with_body));
        // Another status or no monitor header: not long-running.
        assert!(!documents_long_running(&operation(201, None, &location)));
        assert!(!documents_long_running(&operation(
            202,
            None,
            &[("Content-Type", "text/plain")]
        )));
    }
}
