//! Raw content against local servers: downloads that redirect to another
//! host, ranges, bodies cut off mid-way, files written whole or not at all,
//! and uploads from bytes and from streams.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

use docgen_runtime::{Bytes, Client, Content, Error, Method, RawBody, RetryPolicy};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "secret-graph-token";

#[derive(Debug, Deserialize)]
struct Item {
    id: String,
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("valid client")
}

/// Retries at once, so that retry tests stay fast.
fn retrying_client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token(TOKEN)
        .retry_policy(
            RetryPolicy::new()
                .max_retries(2)
                .initial_delay(Duration::from_millis(10)),
        )
        .timeout(Duration::from_secs(10))
        .build()
        .expect("valid client")
}

fn content_get(client: &Client, path: &str) -> docgen_runtime::Request<Content> {
    client
        .request::<Content>(Method::GET, path)
        .expect_status(200)
}

#[tokio::test]
async fn a_302_to_another_host_is_followed_without_the_token() {
    let graph = MockServer::start().await;
    let storage = MockServer::start().await;
    assert_ne!(graph.address().port(), storage.address().port());
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/items/1/content"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/download/abc?sig=x", storage.uri())),
        )
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/download/abc"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("The contents of the file.", "text/plain"),
        )
        .mount(&storage)
        .await;

    let client = client(&format!("{}/v1.0", graph.uri()));
    let download = content_get(&client, "/me/drive/items/1/content")
        .download()
        .await
        .expect("the redirect is followed");
    assert_eq!(download.status(), 200);
    assert_eq!(download.content_type(), Some("text/plain"));
    assert_eq!(download.content_length(), Some(25));
    let bytes = download.bytes().await.expect("body");
    assert_eq!(&bytes[..], b"The contents of the file.");

    let asked = graph.received_requests().await.expect("recording");
    assert_eq!(asked.len(), 1);
    assert_eq!(
        asked[0].headers.get("authorization").map(|v| v.as_bytes()),
        Some(format!("Bearer {TOKEN}").as_bytes()),
        "Graph gets the token"
    );
    let fetched = storage.received_requests().await.expect("recording");
    assert_eq!(fetched.len(), 1);
    assert!(
        fetched[0].headers.get("authorization").is_none(),
        "the pre-authenticated URL on another host never sees the token: {:?}",
        fetched[0].headers
    );
    assert_ne!(
        fetched[0].headers.get("accept").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
}

#[tokio::test]
async fn a_range_is_asked_for_and_206_accepted() {
    let server = MockServer::start().await;
    let first: Vec<u8> = (0..1024u32).map(|i| (i % 256) as u8).collect();
    Mock::given(method("GET"))
        .and(header("range", "bytes=0-1023"))
        .respond_with(
            ResponseTemplate::new(206)
                .insert_header("content-range", "bytes 0-1023/2048")
                .set_body_raw(first.clone(), "application/octet-stream"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(206).set_body_raw("x", "application/octet-stream"))
        .mount(&server)
        .await;
    let client = client(&server.uri());

    let download = content_get(&client, "/file")
        .range(0, Some(1023))
        .download()
        .await
        .expect("a range");
    assert_eq!(download.status(), 206);
    assert_eq!(
        download
            .headers()
            .get("content-range")
            .map(|v| v.as_bytes()),
        Some(&b"bytes 0-1023/2048"[..])
    );
    assert_eq!(download.content_length(), Some(1024));
    assert_eq!(download.bytes().await.expect("body").to_vec(), first);

    // Without asking for a range, a 206 is not the documented answer.
    let err = content_get(&client, "/file")
        .download()
        .await
        .expect_err("206 without a range");
    assert!(
        matches!(
            err,
            Error::UnexpectedStatus {
                status: 206,
                expected: 200,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_error_status_is_a_graph_error_not_a_download() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"error": {"code": "itemNotFound", "message": "The resource could not be found."}}),
        ))
        .mount(&server)
        .await;
    let err = content_get(&client(&server.uri()), "/me/photo/$value")
        .download()
        .await
        .expect_err("404");
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.code.as_deref(), Some("itemNotFound"));
}

#[tokio::test]
async fn a_download_reads_as_chunks_a_stream_a_writer_or_bytes_within_the_limit() {
    let server = MockServer::start().await;
    let body: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "image/jpeg"))
        .mount(&server)
        .await;
    let client = client(&server.uri());

    let mut download = content_get(&client, "/photo")
        .download()
        .await
        .expect("download");
    let mut read = Vec::new();
    while let Some(chunk) = download.chunk().await.expect("chunk") {
        read.extend_from_slice(&chunk);
        assert_eq!(download.received(), read.len() as u64);
    }
    assert_eq!(read, body);

    let chunks: Vec<Bytes> = content_get(&client, "/photo")
        .download()
        .await
        .expect("download")
        .into_stream()
        .map(|chunk| chunk.expect("chunk"))
        .collect()
        .await;
    assert_eq!(chunks.concat(), body);

    let mut written: Vec<u8> = Vec::new();
    let n = content_get(&client, "/photo")
        .download()
        .await
        .expect("download")
        .copy_to(&mut written)
        .await
        .expect("copied");
    assert_eq!(n, body.len() as u64);
    assert_eq!(written, body);

    let small = Client::builder()
        .base_url(server.uri())
        .max_response_bytes(100_000)
        .build()
        .expect("client");
    let err = content_get(&small, "/photo")
        .download()
        .await
        .expect("headers")
        .bytes()
        .await
        .expect_err("over the limit");
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                status: 200,
                limit: 100_000
            }
        ),
        "{err:?}"
    );
}

/// A server that answers one request with `head` and `body`, then ends the
/// connection: with a reset when `reset`, else with an orderly close.
fn cut_off_server(head: String, body: Vec<u8>, reset: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        read_request_head(&mut stream);
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body);
        let _ = stream.flush();
        if reset {
            // Give the client time to read what was sent, then RST.
            std::thread::sleep(Duration::from_millis(200));
            let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
        } else {
            let _ = stream.shutdown(Shutdown::Write);
            std::thread::sleep(Duration::from_millis(200));
        }
        drop(stream);
    });
    format!("http://{addr}")
}

fn read_request_head(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") && seen.len() < 64 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => seen.push(byte[0]),
            _ => return,
        }
    }
}

#[tokio::test]
async fn a_reset_mid_body_is_a_truncated_error() {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n";
    let base = cut_off_server(head.to_owned(), vec![7u8; 100_000], true);
    let mut download = content_get(&client(&base), "/big")
        .download()
        .await
        .expect("the headers arrive");
    assert_eq!(download.content_length(), Some(1_000_000));
    let err = loop {
        match download.chunk().await {
            Ok(Some(_)) => continue,
            Ok(None) => panic!("a cut-off body must not end as a success"),
            Err(err) => break err,
        }
    };
    match &err {
        Error::Truncated {
            status: 200,
            received,
            expected: Some(1_000_000),
            source: Some(_),
        } => assert!(*received <= 100_000, "{received}"),
        other => panic!("expected Truncated, got {other:?}"),
    }
    assert!(err.to_string().contains("cut off"), "{err}");
    assert_eq!(err.status(), Some(200));
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_an_error_and_leaves_no_file() {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 1000\r\n\r\n";
    let base = cut_off_server(head.to_owned(), vec![b'a'; 500], false);
    let dir = tempfile_dir();
    let target = dir.join("report.csv");
    std::fs::write(&target, "the previous report").expect("old file");

    let err = content_get(&client(&base), "/reports/x")
        .download()
        .await
        .expect("the headers arrive")
        .write_to(&target)
        .await
        .expect_err("500 of 1000 bytes");
    assert!(
        matches!(
            err,
            Error::Truncated {
                received: 500,
                expected: Some(1000),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&target).expect("still there"),
        "the previous report",
        "the file is as it was"
    );
    let left: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["report.csv"], "no partial file is left behind");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn write_to_replaces_the_file_whole() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("a,b\n1,2\n", "text/csv"))
        .mount(&server)
        .await;
    let dir = tempfile_dir();
    let target = dir.join("report.csv");
    std::fs::write(&target, "old").expect("old file");
    let n = content_get(&client(&server.uri()), "/reports/x")
        .download()
        .await
        .expect("download")
        .write_to(&target)
        .await
        .expect("written");
    assert_eq!(n, 8);
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        "a,b\n1,2\n"
    );
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 1);

    // A folder that does not exist is an I/O error, before the body is read.
    let err = content_get(&client(&server.uri()), "/reports/x")
        .download()
        .await
        .expect("download")
        .write_to(dir.join("missing/report.csv"))
        .await
        .expect_err("no such folder");
    assert!(matches!(err, Error::Io(_)), "{err:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "docgen-content-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

#[tokio::test]
async fn an_upload_from_bytes_sends_its_type_and_is_retried_whole() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/me/drive/items/1/content"))
        .and(header("content-type", "text/plain"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "1"})))
        .mount(&server)
        .await;
    let item: Item = retrying_client(&server.uri())
        .request(Method::PUT, "/me/drive/items/1/content")
        .raw_body(RawBody::from_bytes(
            "The contents of the file goes here.",
            "text/plain",
        ))
        .expect_status(201)
        .await
        .expect("uploaded after a retry");
    assert_eq!(item.id, "1");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 2);
    for request in &received {
        assert_eq!(request.body, b"The contents of the file goes here.");
        assert_eq!(
            request.headers.get("content-type").map(|v| v.as_bytes()),
            Some(&b"text/plain"[..])
        );
    }
}

#[tokio::test]
async fn an_upload_from_a_reader_sends_its_length_and_is_never_retried() {
    let server = MockServer::start().await;
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    Mock::given(method("PUT"))
        .and(path("/me/photo/$value"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = retrying_client(&server.uri());
    let () = client
        .request(Method::PUT, "/me/photo/$value")
        .raw_body(RawBody::from_reader(
            std::io::Cursor::new(content.clone()),
            Some(content.len() as u64),
            "image/jpeg",
        ))
        .expect_status(200)
        .await
        .expect("uploaded");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].body, content);
    assert_eq!(
        received[0]
            .headers
            .get("content-length")
            .map(|v| v.as_bytes()),
        Some(content.len().to_string().as_bytes())
    );
    assert!(received[0].headers.get("transfer-encoding").is_none());
    assert_eq!(
        received[0]
            .headers
            .get("content-type")
            .map(|v| v.as_bytes()),
        Some(&b"image/jpeg"[..])
    );

    // A stream is read once: a throttled answer is the error, not a retry.
    let throttled = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&throttled)
        .await;
    let chunks = futures_util::stream::iter(vec![
        Ok::<_, std::io::Error>(Bytes::from_static(b"part one, ")),
        Ok(Bytes::from_static(b"part two")),
    ]);
    let err = retrying_client(&throttled.uri())
        .request::<()>(Method::PUT, "/me/photo/$value")
        .raw_body(RawBody::from_stream(chunks, None, "image/png"))
        .await
        .expect_err("503");
    assert_eq!(err.status(), Some(503));
    let received = throttled.received_requests().await.expect("recording");
    assert_eq!(received.len(), 1, "a streamed body is not sent again");
    assert_eq!(
        received[0].body, b"part one, part two",
        "sent chunked, whole"
    );
}

#[tokio::test]
async fn a_failing_upload_stream_fails_the_request() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let chunks = futures_util::stream::iter(vec![
        Ok(Bytes::from_static(b"start")),
        Err(std::io::Error::other("disk gone")),
    ]);
    let err = client(&server.uri())
        .request::<()>(Method::PUT, "/me/photo/$value")
        .raw_body(RawBody::from_stream(chunks, Some(100), "image/png"))
        .await
        .expect_err("the body could not be read");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");

    let err = client(&server.uri())
        .request::<()>(Method::PUT, "/me/photo/$value")
        .raw_body(RawBody::from_bytes("x", "not\na type"))
        .await
        .expect_err("invalid content type");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}
