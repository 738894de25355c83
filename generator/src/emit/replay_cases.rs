//! The documented exchanges as calls of the generated endpoint functions:
//! what the replay test runs against `docgen mock`.
//!
//! For each generated function and each documented example whose request
//! line fits the function's path: the path arguments cut from the example's
//! path, its query options and headers, its body (to be read as the body
//! type), and the documented response to compare with what the function
//! returns.

use super::names_file::Names;
use super::operations::{self, Piece};
use super::types::TypeTable;
use crate::ir::{Ir, RequestBody};

/// One documented exchange, as a call of a generated function.
#[derive(Clone, Debug)]
pub struct ReplayCase {
    /// The function's name (a method of the generated `Client`).
    pub function: String,
    /// The example's method and path (no host, no version, no query).
    pub method: String,
    /// See `method`.
    pub path: String,
    /// The path arguments, in order, as the example writes them.
    pub args: Vec<String>,
    /// The body's Rust type (from the crate root) and the example's JSON.
    pub body: Option<(String, String)>,
    /// Query options of the example, decoded.
    pub query: Vec<(String, String)>,
    /// Request headers of the example (not `Authorization`, `Content-Type`,
    /// `Content-Length`, `Host`).
    pub headers: Vec<(String, String)>,
    /// The function's response type (from the crate root).
    pub response_type: String,
    /// The documented response body, when there is one.
    pub response: Option<String>,
    /// `file:line` of the example request.
    pub source: String,
    /// The example request's span, to find the diagnostics inside it.
    pub span: crate::source::Span,
}

/// Why a documented exchange cannot be replayed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skipped {
    /// The operation takes a body and the example shows none.
    NoRequestBody,
    /// No generated function's path fits the example's request line.
    NoFunction,
    /// The documented response redirects (3xx) away from the service.
    Redirect,
}

/// Header names the runtime sets itself.
const OWN_HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "content-length",
    "host",
    "accept",
];

/// Every replayable exchange, and the reasons the others are not.
pub fn replay_cases(
    ir: &Ir,
    names: &Names,
    sources: &crate::source::SourceMap,
) -> (Vec<ReplayCase>, Vec<(String, Skipped)>) {
    let table = TypeTable::new(ir, names, sources);
    let mut ignored = Vec::new();
    let planned = operations::plan(ir, &table, names, sources, &mut ignored);
    let mut cases = Vec::new();
    let mut skipped = Vec::new();
    for (index, op) in ir.operations.iter().enumerate() {
        let functions: Vec<&operations::Planned> =
            planned.iter().filter(|p| p.operation == index).collect();
        if functions.is_empty() {
            continue;
        }
        let Some(response_type) = operations::response_type(op, &table) else {
            continue;
        };
        let response_type = response_type.to_string().replace(' ', "");
        for pair in &op.examples {
            let (Some(request), Some(response)) = (&pair.request, &pair.response) else {
                continue;
            };
            let source = sources.stable_location(&request.source);
            if response.status.is_some_and(|s| (300..400).contains(&s)) {
                skipped.push((source, Skipped::Redirect));
                continue;
            }
            let Some((function, args)) = functions
                .iter()
                .find_map(|f| Some((f.name(), cut(f.pieces(), &request.path)?)))
            else {
                skipped.push((source, Skipped::NoFunction));
                continue;
            };
            let body = match &op.request_body {
                None => None,
                Some(body_ty) => {
                    let Some(json) = request.body.as_ref().and_then(|b| {
                        if b.strict {
                            Some(b.raw.trim().to_owned())
                        } else {
                            b.value().map(|v| v.to_string())
                        }
                    }) else {
                        skipped.push((source, Skipped::NoRequestBody));
                        continue;
                    };
                    let rust = match body_ty {
                        RequestBody::Type(ty) => {
                            table.rust_type(ty, None, false).tokens.to_string()
                        }
                        RequestBody::Parameters(_) => match table.body_ident(&op.name) {
                            Some(name) => format!("models::{name}"),
                            None => continue,
                        },
                    };
                    Some((rust.replace(' ', ""), json))
                }
            };
            let query = request
                .query
                .as_deref()
                .map(|q| {
                    form_urlencoded::parse(q.as_bytes())
                        .map(|(n, v)| (n.into_owned(), v.into_owned()))
                        .collect()
                })
                .unwrap_or_default();
            let headers = request
                .headers
                .iter()
                .filter(|(n, _)| !OWN_HEADERS.contains(&n.to_ascii_lowercase().as_str()))
                .cloned()
                .collect();
            cases.push(ReplayCase {
                function: function.to_owned(),
                method: request.method.clone(),
                path: request.path.clone(),
                args,
                body,
                query,
                headers,
                response_type: response_type.clone(),
                response: response
                    .body
                    .as_ref()
                    .map(|b| b.raw.trim().to_owned())
                    .filter(|b| !b.is_empty()),
                source,
                span: request.source.clone(),
            });
        }
    }
    (cases, skipped)
}

/// The path arguments of `path` for a function of these pieces: literal
/// pieces must match (ASCII case-insensitive), each placeholder takes the
/// text up to the next literal piece. `None` when the path does not fit.
fn cut(pieces: &[Piece], path: &str) -> Option<Vec<String>> {
    let mut args = Vec::new();
    let mut rest = path;
    let mut iter = pieces.iter().peekable();
    while let Some(piece) = iter.next() {
        match piece {
            Piece::Text(text) => {
                let head = rest.get(..text.len())?;
                if !head.eq_ignore_ascii_case(text) {
                    return None;
                }
                rest = &rest[text.len()..];
            }
            Piece::Param(_) => {
                let end = match iter.peek() {
                    Some(Piece::Text(next)) => {
                        let lower = rest.to_ascii_lowercase();
                        lower.find(&next.to_ascii_lowercase())?
                    }
                    _ => rest.len(),
                };
                if end == 0 {
                    return None;
                }
                let value = &rest[..end];
                // A segment of its own may not hold a `/`.
                if value.contains('/') {
                    return None;
                }
                args.push(value.to_owned());
                rest = &rest[end..];
            }
        }
    }
    rest.trim_end_matches('/').is_empty().then_some(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(spec: &[(&str, bool)]) -> Vec<Piece> {
        spec.iter()
            .map(|(t, param)| {
                if *param {
                    Piece::Param((*t).to_owned())
                } else {
                    Piece::Text((*t).to_owned())
                }
            })
            .collect()
    }

    #[test]
    fn path_arguments_are_cut_between_literals() {
        let p = pieces(&[("/users/", false), ("id", true), ("/messages", false)]);
        assert_eq!(
            cut(&p, "/Users/adele@contoso.com/messages"),
            Some(vec!["adele@contoso.com".to_owned()])
        );
        assert_eq!(cut(&p, "/users/a/b/messages"), None);
        assert_eq!(cut(&p, "/users//messages"), None);
        assert_eq!(cut(&p, "/groups/a/messages"), None);
        let q = pieces(&[
            ("/drive/root:/", false),
            ("path", true),
            (":/content", false),
        ]);
        assert_eq!(
            cut(&q, "/drive/root:/report.docx:/content"),
            Some(vec!["report.docx".to_owned()])
        );
        let r = pieces(&[("/me", false)]);
        assert_eq!(cut(&r, "/me/"), Some(vec![]));
        assert_eq!(cut(&r, "/me/x"), None);
    }
}
