//! The HTTP server: hyper on tokio, one task per connection, answering each
//! request from the routes (in lenient mode, with the query options applied
//! to the documented body).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::net::TcpListener;

use super::batch;
use super::files::{FileHost, rewrite};
use super::query::{Here, Options};
use super::routes::{Matching, MockResponse, Routes};

/// The largest request body read; a larger one is answered 413.
const MAX_REQUEST_BYTES: usize = 16 << 20;

/// Serves `routes` on `listener` until the task is dropped.
///
/// # Errors
///
/// When accepting connections fails.
pub async fn serve(routes: Arc<Routes>, listener: TcpListener) -> std::io::Result<()> {
    serve_on(routes, listener, None).await
}

/// Serves `routes` on `listener`, and the pre-authenticated URLs of their
/// responses (downloads, upload sessions) on `files`, another port: in
/// lenient mode, documented URLs on hosts other than Graph's are moved there
/// (see `files.rs`). Runs until the task is dropped.
///
/// # Errors
///
/// When accepting connections on either listener fails.
pub async fn serve_with_files(
    routes: Arc<Routes>,
    listener: TcpListener,
    files: TcpListener,
) -> std::io::Result<()> {
    let origin: Arc<str> = Arc::from(format!("http://{}", files.local_addr()?));
    let host = Arc::new(FileHost::default());
    tokio::select! {
        result = serve_on(routes, listener, Some(origin)) => result,
        result = host.serve(files) => result,
    }
}

async fn serve_on(
    routes: Arc<Routes>,
    listener: TcpListener,
    files: Option<Arc<str>>,
) -> std::io::Result<()> {
    // Next links name the host the client asked for; this is for a request
    // without a usable `Host` header.
    let local: Arc<str> = match listener.local_addr() {
        Ok(address) => Arc::from(format!("http://{address}")),
        Err(_) => Arc::from("http://127.0.0.1"),
    };
    loop {
        let (stream, _) = listener.accept().await?;
        let routes = routes.clone();
        let local = local.clone();
        let files = files.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                answer(routes.clone(), local.clone(), files.clone(), request)
            });
            // A client that goes away mid-request is its own business.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    routes: Arc<Routes>,
    local: Arc<str>,
    files: Option<Arc<str>>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_REQUEST_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(documented(&error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "requestTooLarge",
                &format!("the request body is larger than {MAX_REQUEST_BYTES} bytes"),
            )));
        }
    };
    let context = Context {
        routes: &routes,
        origin: &origin(&parts.headers, &local),
        files: files.as_deref(),
    };
    let path = parts.uri.path();
    if parts.method == hyper::Method::POST
        && let Some(version) = batch::version_prefix(path)
    {
        return Ok(documented(&batch::answer(&context, version, &body)));
    }
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    Ok(documented(&reply(
        &context,
        parts.method.as_str(),
        path,
        parts.uri.query(),
        &headers,
        &body,
    )))
}

/// What every request is answered with: the routes, and where the client
/// reached the mock and its file host.
pub(super) struct Context<'a> {
    pub(super) routes: &'a Routes,
    /// `http://host[:port]` as the client reached the mock.
    pub(super) origin: &'a str,
    /// The file host's origin, when there is one.
    pub(super) files: Option<&'a str>,
}

/// The answer to one request (sent alone or as a `$batch` item).
pub(super) fn reply(
    context: &Context<'_>,
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &[(String, String)],
    body: &[u8],
) -> MockResponse {
    let routes = context.routes;
    // Pre-authenticated URLs move to the file host, in lenient mode only:
    // strict mode answers as written.
    let moved = |response: &MockResponse| match context.files {
        Some(origin) if routes.matching() == Matching::Lenient => rewrite(response, origin),
        _ => response.clone(),
    };
    match routes.find_with_headers(method, path, query, headers, body) {
        Ok(route) if routes.matching() == Matching::Strict || method != "GET" => {
            moved(&route.response)
        }
        Ok(route) => {
            let here = Here {
                origin: context.origin,
                path,
                query: query.unwrap_or(""),
            };
            match Options::parse(here.query) {
                Ok(options) => moved(&applied(&route.response, &options, here)),
                Err(bad) => error(StatusCode::BAD_REQUEST, "BadRequest", &bad.0),
            }
        }
        Err(miss) => {
            let asked = match query {
                Some(q) => format!("{method} {path}?{q}"),
                None => format!("{method} {path}"),
            };
            let message = match miss.nearest {
                Some(near) => format!(
                    "no documented request matches {asked}; the nearest documented request is {} ({})",
                    near.display, near.source
                ),
                None => format!("no documented request matches {asked}"),
            };
            error(StatusCode::NOT_FOUND, "noDocumentedRequest", &message)
        }
    }
}

/// The documented response with the query options applied to its body, if
/// it is a success with one (an error or a redirect is answered as written).
fn applied(documented: &MockResponse, options: &Options, here: Here<'_>) -> MockResponse {
    let body = documented
        .body
        .as_deref()
        .filter(|_| (200..300).contains(&documented.status))
        .and_then(|body| options.apply(body, here));
    match body {
        Some(body) => MockResponse {
            body: Some(body),
            ..documented.clone()
        },
        None => documented.clone(),
    }
}

/// `http://host[:port]` as the client reached us, so that a next link leads
/// back to this server under the name the client used (its runtime only
/// follows links to the origin it was configured with). A missing or odd
/// `Host` header gets the listening address instead.
fn origin(headers: &hyper::HeaderMap, local: &str) -> String {
    let host = headers
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        });
    match host {
        Some(host) => format!("http://{host}"),
        None => local.to_owned(),
    }
}

fn documented(documented: &MockResponse) -> Response<Full<Bytes>> {
    let mut builder = Response::builder().status(documented.status);
    for (name, value) in &documented.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let body = documented.body.clone().unwrap_or_default();
    builder
        .body(Full::new(Bytes::from(body)))
        // A documented header that HTTP does not allow: answer without headers.
        .unwrap_or_else(|_| {
            let mut response = Response::new(Full::new(Bytes::from(
                documented.body.clone().unwrap_or_default(),
            )));
            *response.status_mut() =
                StatusCode::from_u16(documented.status).unwrap_or(StatusCode::OK);
            response
        })
}

/// A Graph-style error: `{"error": {"code", "message", "innerError": {...}}}`.
pub(super) fn error(status: StatusCode, code: &str, message: &str) -> MockResponse {
    let date = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let body = json!({
        "error": {
            "code": code,
            "message": message,
            "innerError": {"date": httpdate_from_secs(date), "request-id": "docgen-mock"}
        }
    });
    MockResponse {
        status: status.as_u16(),
        headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
        body: Some(body.to_string()),
    }
}

fn httpdate_from_secs(secs: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + std::time::Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(value: Option<&'static str>) -> String {
        let mut headers = hyper::HeaderMap::new();
        if let Some(value) = value {
            headers.insert(
                hyper::header::HOST,
                hyper::header::HeaderValue::from_static(value),
            );
        }
        origin(&headers, "http://127.0.0.1:1")
    }

    #[test]
    fn next_links_go_to_the_host_the_client_used() {
        assert_eq!(host(Some("localhost:8080")), "http://localhost:8080");
        assert_eq!(host(Some("[::1]:8080")), "http://[::1]:8080");
        // Missing, or not a host: the listening address.
        assert_eq!(host(None), "http://127.0.0.1:1");
        assert_eq!(host(Some("")), "http://127.0.0.1:1");
        assert_eq!(host(Some("evil.example/x?")), "http://127.0.0.1:1");
        assert_eq!(host(Some("a@b")), "http://127.0.0.1:1");
    }
}
