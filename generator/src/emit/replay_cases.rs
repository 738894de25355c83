//! The documented exchanges as calls through the generated request builders:
//! what the replay test runs against `docgen mock`.
//!
//! For each documented example whose request line fits the path of a chain
//! that makes its operation's request: the path arguments cut from the
//! example's path, its query options and headers, its body (to be read as
//! the body type), and the documented response to compare with what the call
//! returns.

use super::names_file::Names;
use super::surface::Chain;
use crate::ir::Ir;

/// A path cut into literal text and placeholders.
#[derive(Clone, Debug)]
enum Piece {
    Text(String),
    Param,
}

/// One documented exchange, as a call through the builders.
#[derive(Clone, Debug)]
pub struct ReplayCase {
    /// The chain that makes the request.
    pub chain: Chain,
    /// The example's method and path (no host, no version, no query).
    pub method: String,
    /// See `method`.
    pub path: String,
    /// The path arguments, in order, as the example writes them.
    pub args: Vec<String>,
    /// The body's Rust type (from the crate root) and the example's JSON, or
    /// `runtime::RawBody` and the example's text.
    pub body: Option<(String, String)>,
    /// Query options of the example, decoded.
    pub query: Vec<(String, String)>,
    /// Request headers of the example (not `Authorization`, `Content-Type`,
    /// `Content-Length`, `Host`; but `Content-Type` with a raw body).
    /// Every one of them, as the mock should receive them.
    pub headers: Vec<(String, String)>,
    /// Header helpers' calls (`.prefer_time_zone("…")`) that send the
    /// headers the runtime has a typed helper for.
    pub header_calls: Vec<String>,
    /// The other headers, sent with `.header(name, value)`.
    pub raw_headers: Vec<(String, String)>,
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

/// Whether a chain sends or answers raw content, which the replay program
/// reads and compares as text rather than through a JSON type.
pub fn raw_content(chain: &Chain) -> (bool, bool) {
    (
        chain.body.as_deref() == Some("runtime::RawBody"),
        chain.response == "runtime::Content",
    )
}

/// Whether a chain is long-running (`runtime::Accepted<T>`): the replay
/// program starts it and checks that the answer names a monitor.
pub fn long_running(chain: &Chain) -> bool {
    chain.response.starts_with("runtime::Accepted<")
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
    let mut ignored = Vec::new();
    let (_, tree, chains) = super::plan(ir, sources, names, None, &mut ignored);
    // The chains that make each operation's request (their terminal's or a merged one).
    let mut by_op: std::collections::HashMap<usize, Vec<(usize, Vec<Piece>)>> = Default::default();
    for (i, (n, t)) in tree.requests().into_iter().enumerate() {
        let term = &tree.nodes[n].terminals[t];
        let Some(pieces) = chains.get(i).and_then(|c| pieces(&c.path)) else {
            continue;
        };
        for op in std::iter::once(term.op).chain(term.merged.iter().copied()) {
            by_op.entry(op).or_default().push((i, pieces.clone()));
        }
    }
    let mut cases = Vec::new();
    let mut skipped = Vec::new();
    for (index, op) in ir.operations.iter().enumerate() {
        let Some(candidates) = by_op.get(&index) else {
            continue;
        };
        for pair in &op.examples {
            let (Some(request), Some(response)) = (&pair.request, &pair.response) else {
                continue;
            };
            let source = sources.stable_location(&request.source);
            if response.status.is_some_and(|s| (300..400).contains(&s)) {
                skipped.push((source, Skipped::Redirect));
                continue;
            }
            let fitting = candidates.iter().find_map(|(i, pieces)| {
                let chain = &chains[*i];
                (chain.method == request.method)
                    .then(|| Some((chain, cut(pieces, &request.path)?)))
                    .flatten()
            });
            let Some((chain, args)) = fitting else {
                skipped.push((source, Skipped::NoFunction));
                continue;
            };
            let (raw_body, _) = raw_content(chain);
            let body = match &chain.body {
                None => None,
                // Raw content is sent as the example writes it.
                Some(body_ty) if raw_body => {
                    let Some(text) = request.body.as_ref().map(|b| b.raw.trim().to_owned()) else {
                        skipped.push((source, Skipped::NoRequestBody));
                        continue;
                    };
                    Some((body_ty.clone(), text))
                }
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
                    let rust = body_ty.trim_start_matches('&');
                    let rust = match rust.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                        Some(element) => format!("Vec<{element}>"),
                        None => rust.to_owned(),
                    };
                    Some((rust, json))
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
            // A raw body's type is the example's: its Content-Type goes along.
            let mut headers = Vec::new();
            let mut raw_headers = Vec::new();
            let mut header_calls = Vec::new();
            for (name, value) in &request.headers {
                let lower = name.to_ascii_lowercase();
                if !(raw_body && lower == "content-type") && OWN_HEADERS.contains(&lower.as_str()) {
                    continue;
                }
                headers.push((name.clone(), value.clone()));
                // Through the typed helpers when every part of the value has one.
                let calls: Option<Vec<String>> = super::headers::helpers(name, Some(value))
                    .iter()
                    .map(super::headers::Helper::call)
                    .collect();
                match calls {
                    Some(calls) if !calls.is_empty() => header_calls.extend(calls),
                    _ => raw_headers.push((name.clone(), value.clone())),
                }
            }
            cases.push(ReplayCase {
                chain: chain.clone(),
                method: request.method.clone(),
                path: request.path.clone(),
                args,
                body,
                query,
                headers,
                header_calls,
                raw_headers,
                response_type: chain.response.clone(),
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

/// Cuts a path template at its `{placeholders}`.
fn pieces(path: &str) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}')?;
        if open > 0 {
            out.push(Piece::Text(rest[..open].to_owned()));
        }
        out.push(Piece::Param);
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_owned()));
    }
    Some(out)
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
            Piece::Param => {
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
                    Piece::Param
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
