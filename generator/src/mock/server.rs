//! The HTTP server: hyper on tokio, one task per connection, answering each
//! request from the routes.

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

use super::routes::{Route, Routes};

/// The largest request body read; a larger one is answered 413.
const MAX_REQUEST_BYTES: usize = 16 << 20;

/// Serves `routes` on `listener` until the task is dropped.
///
/// # Errors
///
/// When accepting connections fails.
pub async fn serve(routes: Arc<Routes>, listener: TcpListener) -> std::io::Result<()> {
    loop {
        let (stream, _) = listener.accept().await?;
        let routes = routes.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| answer(routes.clone(), request));
            // A client that goes away mid-request is its own business.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    routes: Arc<Routes>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_REQUEST_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "requestTooLarge",
                &format!("the request body is larger than {MAX_REQUEST_BYTES} bytes"),
            ));
        }
    };
    let method = parts.method.as_str();
    let path = parts.uri.path();
    let query = parts.uri.query();
    Ok(match routes.find(method, path, query, &body) {
        Ok(route) => documented(route),
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
    })
}

fn documented(route: &Route) -> Response<Full<Bytes>> {
    let mut builder = Response::builder().status(route.response.status);
    for (name, value) in &route.response.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let body = route.response.body.clone().unwrap_or_default();
    builder
        .body(Full::new(Bytes::from(body)))
        // A documented header that HTTP does not allow: answer without headers.
        .unwrap_or_else(|_| {
            let mut response = Response::new(Full::new(Bytes::from(
                route.response.body.clone().unwrap_or_default(),
            )));
            *response.status_mut() =
                StatusCode::from_u16(route.response.status).unwrap_or(StatusCode::OK);
            response
        })
}

/// A Graph-style error: `{"error": {"code", "message", "innerError": {...}}}`.
fn error(status: StatusCode, code: &str, message: &str) -> Response<Full<Bytes>> {
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
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}

fn httpdate_from_secs(secs: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + std::time::Duration::from_secs(secs))
}
