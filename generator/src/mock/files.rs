//! The file host: the pre-authenticated URLs that documented responses hand
//! out (a download's `302 Location`, an upload session's `uploadUrl`, an
//! item's `@microsoft.graph.downloadUrl`) point at hosts no test can reach,
//! so the mock moves them to a second local port and serves them there like
//! the service does: downloads of made-up content (ranges too), and upload
//! sessions that take a file's slices in order and answer with the item. It
//! is another origin than the mock's, so a client that sends its token there
//! is caught: like the service, the host refuses an `Authorization` header.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::net::TcpListener;

use super::routes::MockResponse;

/// The size of every download the host serves.
pub const DOWNLOAD_BYTES: u64 = 1 << 20;

/// The largest slice a PUT may carry: the service's limit is 60 MiB.
const MAX_SLICE_BYTES: usize = 60 << 20;

/// The largest file an upload session takes.
const MAX_FILE_BYTES: u64 = 4 << 30;

/// Hosts that are Graph itself: their URLs stay as documented.
const GRAPH_HOSTS: &[&str] = &[
    "graph.microsoft.com",
    "graph.microsoft.us",
    "dod-graph.microsoft.us",
    "microsoftgraph.chinacloudapi.cn",
    "graph.microsoft.de",
    "canary.graph.microsoft.com",
];

/// JSON members whose value is a pre-authenticated URL.
fn is_url_member(name: &str) -> bool {
    name == "uploadUrl" || name.ends_with("downloadUrl") || name.ends_with("downloadURL")
}

/// `url` moved onto `origin` (`http://127.0.0.1:port`), if it is an absolute
/// `http(s)` URL on a host that is not Graph: `https://a.example/x?y` becomes
/// `{origin}/a.example/x?y`.
fn moved(url: &str, origin: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let bare = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let name = bare.split(':').next().unwrap_or(bare).to_ascii_lowercase();
    if name.is_empty()
        || GRAPH_HOSTS.contains(&name.as_str())
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return None;
    }
    let path = &rest[host_end..];
    let path = path.split('#').next().unwrap_or("");
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    Some(format!("{origin}/{name}{path}"))
}

/// The documented response with its pre-authenticated URLs moved to the
/// file host at `origin`.
pub fn rewrite(documented: &MockResponse, origin: &str) -> MockResponse {
    let mut response = documented.clone();
    for (name, value) in &mut response.headers {
        if name.eq_ignore_ascii_case("location")
            && let Some(url) = moved(value, origin)
        {
            *value = url;
        }
    }
    if let Some(body) = &documented.body
        && let Ok(mut json) = serde_json::from_str::<Value>(body)
        && rewrite_json(&mut json, origin)
    {
        response.body = Some(json.to_string());
    }
    response
}

/// Moves the URLs of `value`'s URL members; whether any moved.
fn rewrite_json(value: &mut Value, origin: &str) -> bool {
    let mut changed = false;
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                if is_url_member(name)
                    && let Value::String(url) = member
                {
                    if let Some(new) = moved(url, origin) {
                        *url = new;
                        changed = true;
                    }
                } else {
                    changed |= rewrite_json(member, origin);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                changed |= rewrite_json(item, origin);
            }
        }
        _ => {}
    }
    changed
}

/// An upload session in progress: slices are taken in order, so the file is
/// kept as its hash and length, whatever its size.
struct Session {
    total: u64,
    received: u64,
    hash: Sha256,
}

/// The file host's state: the upload sessions by path.
#[derive(Default)]
pub struct FileHost {
    sessions: Mutex<HashMap<String, Session>>,
}

impl FileHost {
    /// Serves the host on `listener` until the task is dropped.
    ///
    /// # Errors
    ///
    /// When accepting connections fails.
    pub async fn serve(self: Arc<Self>, listener: TcpListener) -> std::io::Result<()> {
        loop {
            let (stream, _) = listener.accept().await?;
            let host = self.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| host.clone().answer(request));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    }

    async fn answer(
        self: Arc<Self>,
        request: Request<Incoming>,
    ) -> Result<Response<Full<Bytes>>, Infallible> {
        let (parts, body) = request.into_parts();
        // The URLs are pre-authenticated; the service may answer a token with
        // 401, and a token sent here has left Graph.
        if parts.headers.contains_key(hyper::header::AUTHORIZATION) {
            return Ok(error(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "pre-authenticated URLs take no Authorization header",
            ));
        }
        let body = match Limited::new(body, MAX_SLICE_BYTES).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => {
                return Ok(error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "requestTooLarge",
                    "a slice must be smaller than 60 MiB",
                ));
            }
        };
        let path = parts.uri.path().to_owned();
        let header = |name: hyper::header::HeaderName| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Ok(match parts.method.as_str() {
            "PUT" => self.slice(&path, header(hyper::header::CONTENT_RANGE), &body),
            "DELETE" => self.cancel(&path),
            // A session's URL answers its status; any other URL is a download.
            "GET" => match self.status(&path) {
                Some(status) => status,
                None => download(&path, header(hyper::header::RANGE)),
            },
            _ => error(
                StatusCode::METHOD_NOT_ALLOWED,
                "methodNotAllowed",
                "the file host takes GET, PUT and DELETE",
            ),
        })
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // A panic while holding the lock cannot leave a session half-written.
        self.sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// One slice: `Content-Range: bytes {first}-{last}/{total}`.
    fn slice(&self, path: &str, range: Option<String>, body: &[u8]) -> Response<Full<Bytes>> {
        let Some((first, last, total)) = range.as_deref().and_then(content_range) else {
            return error(
                StatusCode::BAD_REQUEST,
                "invalidRange",
                "a slice needs Content-Range: bytes {first}-{last}/{total}",
            );
        };
        if last + 1 - first != body.len() as u64 || last >= total || total > MAX_FILE_BYTES {
            return error(
                StatusCode::BAD_REQUEST,
                "invalidRange",
                "Content-Range does not match the body's length or the file's size",
            );
        }
        let mut sessions = self.sessions();
        let session = sessions.entry(path.to_owned()).or_insert_with(|| Session {
            total,
            received: 0,
            hash: Sha256::new(),
        });
        if session.total != total || first != session.received {
            let expected = format!("{}-", session.received);
            return json_response(
                StatusCode::RANGE_NOT_SATISFIABLE,
                &json!({
                    "error": {"code": "invalidRange", "message": format!("the session expects {expected}")},
                    "nextExpectedRanges": [expected],
                }),
            );
        }
        session.hash.update(body);
        session.received = last + 1;
        if session.received < total {
            return json_response(
                StatusCode::ACCEPTED,
                &json!({"nextExpectedRanges": [format!("{}-", session.received)]}),
            );
        }
        let done = sessions.remove(path);
        let hash = done.map(|s| s.hash.finalize()).unwrap_or_default();
        let hex: String = hash.iter().map(|b| format!("{b:02X}")).collect();
        // No `name`: the session's URL does not say what the file is called.
        json_response(
            StatusCode::CREATED,
            &json!({
                "id": format!("MOCK{}", &hex[..16.min(hex.len())]),
                "size": total,
                "file": {"mimeType": "application/octet-stream", "hashes": {"sha256Hash": hex}},
            }),
        )
    }

    fn status(&self, path: &str) -> Option<Response<Full<Bytes>>> {
        let sessions = self.sessions();
        let session = sessions.get(path)?;
        Some(json_response(
            StatusCode::OK,
            &json!({"nextExpectedRanges": [format!("{}-", session.received)]}),
        ))
    }

    fn cancel(&self, path: &str) -> Response<Full<Bytes>> {
        match self.sessions().remove(path) {
            Some(_) => {
                let mut response = Response::new(Full::new(Bytes::new()));
                *response.status_mut() = StatusCode::NO_CONTENT;
                response
            }
            None => error(StatusCode::NOT_FOUND, "itemNotFound", "no such session"),
        }
    }
}

/// `bytes {first}-{last}/{total}`.
fn content_range(value: &str) -> Option<(u64, u64, u64)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (span, total) = rest.split_once('/')?;
    let (first, last) = span.split_once('-')?;
    let (first, last, total) = (
        first.trim().parse().ok()?,
        last.trim().parse().ok()?,
        total.trim().parse().ok()?,
    );
    (first <= last).then_some((first, last, total))
}

/// The byte at `offset` of the download at `path`: made up, but the same on
/// every request, so a range and a whole download agree.
pub fn download_byte(path: &str, offset: u64) -> u8 {
    let seed = path
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    // Truncation is the point: one byte of a mixed counter.
    (seed.wrapping_add(offset.wrapping_mul(0x9E37_79B9)) >> 7) as u8
}

fn download(path: &str, range: Option<String>) -> Response<Full<Bytes>> {
    let len = DOWNLOAD_BYTES;
    let (status, first, last) = match range.as_deref().map(|r| byte_range(r, len)) {
        None => (StatusCode::OK, 0, len - 1),
        Some(Some((first, last))) => (StatusCode::PARTIAL_CONTENT, first, last),
        Some(None) => {
            let mut response = error(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "invalidRange",
                "the range is outside the file",
            );
            if let Ok(value) = hyper::header::HeaderValue::from_str(&format!("bytes */{len}")) {
                response
                    .headers_mut()
                    .insert(hyper::header::CONTENT_RANGE, value);
            }
            return response;
        }
    };
    let body: Vec<u8> = (first..=last).map(|i| download_byte(path, i)).collect();
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/octet-stream"),
    );
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(value) =
            hyper::header::HeaderValue::from_str(&format!("bytes {first}-{last}/{len}"))
    {
        headers.insert(hyper::header::CONTENT_RANGE, value);
    }
    response
}

/// `bytes=a-b`, `bytes=a-` or `bytes=-n` within a file of `len` bytes.
fn byte_range(value: &str, len: u64) -> Option<(u64, u64)> {
    let spec = value.trim().strip_prefix("bytes=")?;
    let (first, last) = spec.split_once('-')?;
    let (first, last) = match (first.trim(), last.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            (len.checked_sub(n.min(len))?, len - 1)
        }
        (a, "") => (a.parse().ok()?, len - 1),
        (a, b) => (a.parse().ok()?, b.parse::<u64>().ok()?.min(len - 1)),
    };
    (first <= last && first < len).then_some((first, last))
}

fn json_response(status: StatusCode, body: &Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}

fn error(status: StatusCode, code: &str, message: &str) -> Response<Full<Bytes>> {
    json_response(
        status,
        &json!({"error": {"code": code, "message": message}}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "http://127.0.0.1:9";

    #[test]
    fn only_urls_off_graph_move() {
        assert_eq!(
            moved("https://a.files.example/dl/x?s=1#f", ORIGIN).as_deref(),
            Some("http://127.0.0.1:9/a.files.example/dl/x?s=1")
        );
        assert_eq!(
            moved("https://UP.example", ORIGIN).as_deref(),
            Some("http://127.0.0.1:9/up.example/")
        );
        for stays in [
            "https://graph.microsoft.com/v1.0/me",
            "https://GRAPH.microsoft.com:443/v1.0",
            "/relative/path",
            "ftp://a.example/x",
            "https://bad host/x",
            "https:///x",
        ] {
            assert_eq!(moved(stays, ORIGIN), None, "{stays}");
        }
    }

    #[test]
    fn locations_and_url_members_are_rewritten_and_nothing_else() {
        let documented = MockResponse {
            status: 200,
            headers: vec![("Location".into(), "https://d.example/a".into())],
            body: Some(
                json!({
                    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x",
                    "uploadUrl": "https://u.example/s/1",
                    "value": [{"@microsoft.graph.downloadUrl": "https://d.example/b", "webUrl": "https://w.example/c"}]
                })
                .to_string(),
            ),
        };
        let moved = rewrite(&documented, ORIGIN);
        assert_eq!(moved.headers[0].1, "http://127.0.0.1:9/d.example/a");
        let body: Value =
            serde_json::from_str(moved.body.as_deref().unwrap_or("")).unwrap_or_default();
        assert_eq!(body["uploadUrl"], "http://127.0.0.1:9/u.example/s/1");
        assert_eq!(
            body["value"][0]["@microsoft.graph.downloadUrl"],
            "http://127.0.0.1:9/d.example/b"
        );
        assert_eq!(body["value"][0]["webUrl"], "https://w.example/c");
        assert_eq!(
            body["@odata.context"],
            "https://graph.microsoft.com/v1.0/$metadata#x"
        );

        let untouched = MockResponse {
            status: 200,
            headers: vec![],
            body: Some("{ \"id\" : 1 }".into()),
        };
        assert_eq!(rewrite(&untouched, ORIGIN), untouched);
    }

    #[test]
    fn ranges_parse_and_stay_inside_the_file() {
        assert_eq!(content_range("bytes 0-9/20"), Some((0, 9, 20)));
        assert_eq!(content_range("bytes 9-0/20"), None);
        assert_eq!(content_range("bytes a-1/2"), None);
        assert_eq!(byte_range("bytes=0-1023", 2048), Some((0, 1023)));
        assert_eq!(byte_range("bytes=1000-", 2048), Some((1000, 2047)));
        assert_eq!(byte_range("bytes=-48", 2048), Some((2000, 2047)));
        assert_eq!(byte_range("bytes=0-99999", 2048), Some((0, 2047)));
        assert_eq!(byte_range("bytes=4096-", 2048), None);
        assert_eq!(byte_range("bytes=x-", 2048), None);
        assert_eq!(byte_range("items=0-1", 2048), None);
    }
}
