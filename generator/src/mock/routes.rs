//! The documented exchanges as routes, and how a request finds its route.
//!
//! A route is one documented request (method, path, query, body) with the
//! response documented for it. A request matches a route when the method is
//! the same and every path segment is equal (ASCII case-insensitive, percent
//! decoded) or a placeholder in the example (`{id}`, `<id>`, or a value such
//! as an id where the page's HTTP request section has a placeholder). In
//! [`Matching::Strict`] mode every query option of the example must also be
//! in the request with the same value; in [`Matching::Lenient`] mode (an
//! application's own options) the query only chooses among the examples.
//!
//! Among several matches (lenient mode) the most segments equal to the
//! request's win (the path's own words, as `/me/messages/delta` over
//! `/me/messages/{id}`, and the same example id), then the example with the
//! most query options the request has with the same value, then the fewest
//! options the request lacks or gives another value (so a plain documented
//! list answers an application's `$top` rather than a `$select`ed one), then
//! the most options of the same name, then the body most like the request's
//! (equal, then the same `@odata.type`, then the most equal members), then
//! page order. Strict mode ranks by the query first, then the body, then
//! the equal segments, then page order.

use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::ir::{ExampleRequest, ExampleResponse, Ir, Operation};
use crate::source::SourceMap;

/// A path segment of a documented request.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    /// Text to match, lowercase and percent-decoded.
    Literal(String),
    /// A placeholder: any one segment.
    Any,
    /// A value the example gives where the documented path has a
    /// placeholder (an id): any segment matches, the same value better.
    Sample(String),
}

/// A documented response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockResponse {
    /// The status.
    pub status: u16,
    /// Headers, as documented (framing headers left out).
    pub headers: Vec<(String, String)>,
    /// The body text, if any.
    pub body: Option<String>,
}

/// One documented request and its response.
#[derive(Clone, Debug)]
pub struct Route {
    method: String,
    segments: Vec<Segment>,
    query: Vec<(String, String)>,
    /// Headers of the example that strict mode requires: those the runtime
    /// has typed helpers for (`Prefer`, `ConsistencyLevel`…), name lowercase.
    headers: Vec<(String, String)>,
    body: Option<Value>,
    /// What to answer.
    pub response: MockResponse,
    /// `METHOD /path?query` as documented.
    pub display: String,
    /// `file:line` of the documented request.
    pub source: String,
}

/// How a request's query options take part in matching.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Matching {
    /// The request's query only chooses among the examples of its method
    /// and path; the server then applies `$top`, `$skip`, `$select` and
    /// `$count` to the documented body (`query.rs`). For applications.
    #[default]
    Lenient,
    /// The example's query options must all be in the request with the
    /// same values, and the documented response is served as written. For
    /// tests that check a client sends what the docs show.
    Strict,
}

/// Every route of a docs folder.
#[derive(Clone, Debug, Default)]
pub struct Routes {
    routes: Vec<Route>,
    matching: Matching,
}

/// Why no route answers a request.
#[derive(Debug)]
pub struct NoMatch<'a> {
    /// The documented request most like it, if any is documented.
    pub nearest: Option<&'a Route>,
}

/// Headers that describe the example's own framing, not the answer.
const FRAMING: &[&str] = &["content-length", "transfer-encoding", "connection"];

impl Routes {
    /// Routes for every documented request that has a documented response.
    pub fn from_ir(ir: &Ir, sources: &SourceMap) -> Routes {
        let mut routes = Vec::new();
        for op in &ir.operations {
            for pair in &op.examples {
                if let (Some(request), Some(response)) = (&pair.request, &pair.response) {
                    routes.push(route(op, request, response, sources));
                }
            }
        }
        Routes {
            routes,
            matching: Matching::default(),
        }
    }

    /// These routes, matching requests as `matching` says.
    #[must_use]
    pub fn with_matching(mut self, matching: Matching) -> Routes {
        self.matching = matching;
        self
    }

    /// How requests are matched.
    pub fn matching(&self) -> Matching {
        self.matching
    }

    /// How many routes there are.
    pub fn len(&self) -> usize {
        self.routes.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// The route that answers a request, or the nearest documented request.
    pub fn find(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        body: &[u8],
    ) -> Result<&Route, NoMatch<'_>> {
        self.find_with_headers(method, path, query, &[], body)
    }

    /// [`find`](Self::find) for a request with these headers: in strict
    /// mode, an example's documented `Prefer`, `ConsistencyLevel`, ETag,
    /// session and language headers must all be sent, as its query options
    /// must (a `Prefer` may hold more preferences than documented).
    pub fn find_with_headers(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<&Route, NoMatch<'_>> {
        let segments = request_segments(path);
        let query = parse_query(query.unwrap_or(""));
        let body: Option<Value> = serde_json::from_slice(body).ok();
        let strict = self.matching == Matching::Strict;
        let best = self
            .routes
            .iter()
            .enumerate()
            .filter(|(_, r)| r.method.eq_ignore_ascii_case(method))
            .filter(|(_, r)| path_matches(&r.segments, &segments))
            .filter(|(_, r)| !strict || r.query.iter().all(|q| query.contains(q)))
            .filter(|(_, r)| !strict || r.headers.iter().all(|h| header_sent(h, headers)))
            .max_by_key(|(i, r)| {
                // Segments equal to the request's: the path's own words, and
                // example ids where the request has the same one.
                let exact = r
                    .segments
                    .iter()
                    .zip(&segments)
                    .filter(|(s, asked)| match s {
                        Segment::Literal(_) => true,
                        Segment::Sample(text) => text == *asked,
                        Segment::Any => false,
                    })
                    .count();
                let same_query = r.query.iter().filter(|q| query.contains(q)).count();
                let other_query = r.query.len() - same_query;
                let same_names = r
                    .query
                    .iter()
                    .filter(|(name, _)| query.iter().any(|(asked, _)| asked == name))
                    .count();
                let body_score = body_likeness(r.body.as_ref(), body.as_ref());
                // Lenient: the path first, as the query no longer filters
                // (`/me/messages/delta?$select=…` must not lose to
                // `/me/messages/{id}` for having an option the request
                // lacks). Strict keeps the query first: every candidate has
                // all its options, and this order is what the replay test's
                // counts were measured with.
                let path_first = if strict { 0 } else { exact };
                // Earlier pages win ties: compare by the reversed index.
                (
                    path_first,
                    same_query,
                    std::cmp::Reverse(other_query),
                    same_names,
                    body_score,
                    exact,
                    std::cmp::Reverse(*i),
                )
            })
            .map(|(_, r)| r);
        best.ok_or_else(|| NoMatch {
            nearest: self.nearest(method, &segments, &query),
        })
    }

    /// The documented request whose method and path read most like these;
    /// among equally near ones, the one with the most query options of the
    /// request's names, then the earliest (the same hint on every run).
    fn nearest(
        &self,
        method: &str,
        segments: &[String],
        query: &[(String, String)],
    ) -> Option<&Route> {
        let asked = format!("{} /{}", method.to_ascii_uppercase(), segments.join("/"));
        self.routes
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let shown: Vec<&str> = r
                    .segments
                    .iter()
                    .zip(
                        segments
                            .iter()
                            .map(String::as_str)
                            .chain(std::iter::repeat("")),
                    )
                    .map(|(s, asked)| match s {
                        Segment::Literal(text) => text.as_str(),
                        Segment::Any | Segment::Sample(_) => asked,
                    })
                    .collect();
                let route = format!("{} /{}", r.method, shown.join("/"));
                let same_names = r
                    .query
                    .iter()
                    .filter(|(name, _)| query.iter().any(|(asked, _)| asked == name))
                    .count();
                let near = strsim::normalized_levenshtein(&asked, &route);
                (near, same_names, std::cmp::Reverse(i), r)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))))
            .map(|(.., r)| r)
    }
}

/// Whether the documented header `(name, value)` is among those sent.
fn header_sent((name, value): &(String, String), sent: &[(String, String)]) -> bool {
    // Compared as sets, ignoring spacing and case: a client may send more
    // preferences, in another order.
    let preferences = |v: &str| -> Vec<String> {
        crate::emit::headers::split_preferences(v)
            .iter()
            .map(|p| {
                p.split_whitespace()
                    .collect::<String>()
                    .to_ascii_lowercase()
            })
            .collect()
    };
    sent.iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .any(|(_, v)| {
            if name == "prefer" {
                let sent = preferences(v);
                preferences(value).iter().all(|p| sent.contains(p))
            } else {
                v.trim() == value.trim()
            }
        })
}

fn route(
    op: &Operation,
    request: &ExampleRequest,
    response: &ExampleResponse,
    sources: &SourceMap,
) -> Route {
    let status = response
        .status
        .or(op.response.as_ref().map(|r| r.status))
        .unwrap_or(200);
    let body = response
        .body
        .as_ref()
        .map(|b| b.raw.trim().to_owned())
        .filter(|b| !b.is_empty() && status != 204 && status != 304);
    let mut headers: Vec<(String, String)> = response
        .headers
        .iter()
        .filter(|(name, _)| !FRAMING.contains(&name.to_ascii_lowercase().as_str()))
        .cloned()
        .collect();
    let has_type = headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    if body.is_some() && !has_type {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    let display = match &request.query {
        Some(query) => format!("{} {}?{query}", request.method, request.path),
        None => format!("{} {}", request.method, request.path),
    };
    Route {
        method: request.method.to_ascii_uppercase(),
        segments: with_samples(example_segments(&request.path), op),
        query: parse_query(request.query.as_deref().unwrap_or("")),
        headers: request
            .headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
            .filter(|(n, _)| crate::emit::headers::TYPED_HEADERS.contains(&n.as_str()))
            .collect(),
        body: request.body.as_ref().and_then(|b| b.value()),
        response: MockResponse {
            status,
            headers,
            body,
        },
        display,
        source: sources.stable_location(&request.source),
    }
}

/// A documented path's segments: placeholders match anything.
fn example_segments(path: &str) -> Vec<Segment> {
    split(path)
        .map(|s| {
            let placeholder = (s.starts_with('{') && s.ends_with('}'))
                || (s.starts_with('<') && s.ends_with('>'));
            if placeholder {
                Segment::Any
            } else {
                Segment::Literal(decode(s))
            }
        })
        .collect()
}

/// Marks the example's values where a documented path of the operation has
/// a placeholder, so that any id reaches the example.
fn with_samples(mut segments: Vec<Segment>, op: &Operation) -> Vec<Segment> {
    let template = op
        .paths
        .iter()
        .map(|p| example_segments(&p.path))
        .find(|t| {
            t.len() == segments.len()
                && t.iter().zip(&segments).all(|(t, s)| match (t, s) {
                    (Segment::Literal(a), Segment::Literal(b)) => a == b,
                    _ => true,
                })
        });
    if let Some(template) = template {
        for (t, s) in template.iter().zip(segments.iter_mut()) {
            if let (Segment::Any, Segment::Literal(text)) = (t, &*s) {
                *s = Segment::Sample(text.clone());
            }
        }
    }
    segments
}

/// A request path's segments, without a leading version (`/v1.0`, `/beta`).
fn request_segments(path: &str) -> Vec<String> {
    let mut segments: Vec<String> = split(path).map(decode).collect();
    if segments.first().is_some_and(|s| s == "v1.0" || s == "beta") {
        segments.remove(0);
    }
    segments
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment)
        .decode_utf8_lossy()
        .to_ascii_lowercase()
}

/// How much a request body is like a documented one: equal beats the same
/// `@odata.type`, which beats more members with equal values.
fn body_likeness(documented: Option<&Value>, sent: Option<&Value>) -> (bool, bool, usize) {
    let (Some(documented), Some(sent)) = (documented, sent) else {
        return (false, false, 0);
    };
    if documented == sent {
        return (true, true, usize::MAX);
    }
    let (Some(a), Some(b)) = (documented.as_object(), sent.as_object()) else {
        return (false, false, 0);
    };
    let same_type = a.get("@odata.type").is_some() && a.get("@odata.type") == b.get("@odata.type");
    let shared = a.iter().filter(|(k, v)| b.get(*k) == Some(*v)).count();
    (false, same_type, shared)
}

fn path_matches(route: &[Segment], request: &[String]) -> bool {
    route.len() == request.len()
        && route.iter().zip(request).all(|(r, s)| match r {
            Segment::Literal(text) => text == s,
            Segment::Any | Segment::Sample(_) => true,
        })
}

/// Query options as (lowercase name, decoded value) pairs.
fn parse_query(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: &str, path: &str, query: &str, body: Option<Value>, status: u16) -> Route {
        Route {
            method: method.to_owned(),
            segments: example_segments(path),
            query: parse_query(query),
            headers: Vec::new(),
            body,
            response: MockResponse {
                status,
                headers: Vec::new(),
                body: None,
            },
            display: format!("{method} {path}"),
            source: format!("page.md:{status}"),
        }
    }

    fn routes() -> Routes {
        Routes {
            matching: Matching::Strict,
            routes: vec![
                route("GET", "/users", "", None, 1),
                route("GET", "/users", "$select=displayName,id", None, 2),
                route("GET", "/users/{id}", "", None, 3),
                route(
                    "GET",
                    "/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd",
                    "",
                    None,
                    4,
                ),
                route(
                    "POST",
                    "/users/{id}/sendMail",
                    "",
                    Some(serde_json::json!({"message": 1})),
                    5,
                ),
                route(
                    "POST",
                    "/users/{id}/sendMail",
                    "",
                    Some(serde_json::json!({"message": 2})),
                    6,
                ),
            ],
        }
    }

    fn answer(method: &str, path: &str, query: Option<&str>, body: &str) -> u16 {
        let routes = routes();
        routes
            .find(method, path, query, body.as_bytes())
            .map(|r| r.response.status)
            .unwrap_or(0)
    }

    #[test]
    fn method_path_and_query_select_the_route() {
        assert_eq!(answer("GET", "/v1.0/users", None, ""), 1);
        assert_eq!(answer("get", "/Users/", None, ""), 1);
        assert_eq!(
            answer("GET", "/v1.0/users", Some("$select=displayName%2Cid"), ""),
            2
        );
        // An extra option is fine; a different value is not the documented one.
        assert_eq!(
            answer("GET", "/users", Some("$select=displayName,id&$top=1"), ""),
            2
        );
        assert_eq!(answer("GET", "/users", Some("$select=mail"), ""), 1);
    }

    #[test]
    fn placeholders_match_any_segment_and_literals_win() {
        assert_eq!(answer("GET", "/users/someone%40contoso.com", None, ""), 3);
        assert_eq!(
            answer(
                "GET",
                "/users/87D349ED-44D7-43E1-9A83-5F2406DEE5BD",
                None,
                ""
            ),
            4
        );
    }

    #[test]
    fn the_body_chooses_among_examples_of_one_path() {
        assert_eq!(
            answer("POST", "/users/x/sendMail", None, r#"{"message": 2}"#),
            6
        );
        assert_eq!(
            answer("POST", "/users/x/sendMail", None, r#"{"message":1}"#),
            5
        );
        assert_eq!(answer("POST", "/users/x/sendMail", None, "{}"), 5);
    }

    fn lenient(method: &str, path: &str, query: Option<&str>) -> u16 {
        let routes = routes().with_matching(Matching::Lenient);
        routes
            .find(method, path, query, b"")
            .map(|r| r.response.status)
            .unwrap_or(0)
    }

    #[test]
    fn lenient_queries_only_choose_among_examples() {
        // An application's own options still reach the documented list, and
        // the plain list rather than the one documented with a `$select`.
        assert_eq!(lenient("GET", "/v1.0/users", Some("$top=1")), 1);
        assert_eq!(lenient("GET", "/users", Some("$select=mail")), 1);
        assert_eq!(lenient("GET", "/users", Some("$select=displayName,id")), 2);
        assert_eq!(lenient("GET", "/users", Some("%ZZ&&=$top=%")), 1);
        // Only the `$select`ed example: it answers any query.
        let routes = Routes {
            matching: Matching::Lenient,
            routes: vec![
                route("GET", "/me/messages", "$select=sender,subject", None, 7),
                route("GET", "/me/messages", "$filter=isRead eq false", None, 8),
                route("GET", "/me/messages/{id}", "$select=subject", None, 9),
                route("GET", "/me/messages/delta", "$select=subject", None, 10),
            ],
        };
        let status = |path: &str, query: &str| {
            routes
                .find("GET", path, Some(query), b"")
                .map_or(0, |r| r.response.status)
        };
        assert_eq!(status("/me/messages", "$top=1"), 7, "ties go to page order");
        assert_eq!(status("/me/messages", "$filter=isRead%20eq%20true"), 8);
        assert_eq!(status("/me/messages", "$filter=isRead eq false&$top=2"), 8);
        assert_eq!(status("/me/messages/delta", ""), 10, "the path first");
        assert_eq!(status("/me/messages/AAMk", ""), 9);
        // Method and path still have to match.
        assert!(routes.find("POST", "/me/messages", None, b"").is_err());
        assert!(
            routes
                .find("GET", "/me/message", Some("$top=1"), b"")
                .is_err()
        );
    }

    #[test]
    fn strict_mode_wants_the_documented_preference_headers() {
        let mut timed = route("GET", "/me/events", "", None, 7);
        timed.headers = vec![(
            "prefer".to_owned(),
            "outlook.timezone=\"Pacific Standard Time\"".to_owned(),
        )];
        let mut counted = route("GET", "/users/$count", "", None, 8);
        counted.headers = vec![("consistencylevel".to_owned(), "eventual".to_owned())];
        let routes = Routes {
            matching: Matching::Strict,
            routes: vec![timed, counted],
        };
        let sent = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect()
        };
        let find = |path: &str, headers: &[(String, String)]| {
            routes
                .find_with_headers("GET", path, None, headers, b"")
                .map(|r| r.source.clone())
        };
        assert!(find("/me/events", &[]).is_err());
        assert!(
            find(
                "/me/events",
                &sent(&[("Prefer", "outlook.timezone=\"UTC\"")])
            )
            .is_err()
        );
        // More preferences than documented, in another order and spacing.
        let both = sent(&[(
            "prefer",
            "odata.maxpagesize=2,outlook.timezone=\"Pacific Standard Time\"",
        )]);
        assert_eq!(find("/me/events", &both).ok().as_deref(), Some("page.md:7"));
        assert!(find("/users/$count", &sent(&[("ConsistencyLevel", "session")])).is_err());
        assert!(find("/users/$count", &sent(&[("consistencylevel", "eventual")])).is_ok());
        // Lenient mode does not look at headers.
        let lenient = routes.clone().with_matching(Matching::Lenient);
        assert!(lenient.find("GET", "/me/events", None, b"").is_ok());
    }

    #[test]
    fn strict_queries_must_be_the_documented_ones() {
        let routes = Routes {
            matching: Matching::Strict,
            routes: vec![route(
                "GET",
                "/me/messages",
                "$select=sender,subject",
                None,
                7,
            )],
        };
        let miss = routes
            .find("GET", "/v1.0/me/messages", Some("$top=1"), b"")
            .expect_err("strict");
        assert_eq!(miss.nearest.map(|r| r.response.status), Some(7));
        assert!(
            routes
                .find(
                    "GET",
                    "/me/messages",
                    Some("$select=sender,subject&$top=1"),
                    b""
                )
                .is_ok()
        );
        assert_eq!(Routes::default().matching(), Matching::Lenient);
    }

    #[test]
    fn no_match_names_the_nearest_documented_request() {
        let routes = routes();
        let miss = routes
            .find("GET", "/v1.0/user/abc", None, b"")
            .expect_err("no route");
        assert_eq!(
            miss.nearest.map(|r| r.response.status),
            Some(3),
            "GET /users/{{id}} is nearest"
        );
        let miss = routes
            .find("DELETE", "/users", None, b"")
            .expect_err("no DELETE");
        assert!(miss.nearest.is_some());
        assert!(Routes::default().find("GET", "/", None, b"").is_err());
    }
}
