//! The mock's file host: the pre-authenticated URLs that documented responses
//! hand out (an upload session's `uploadUrl`, a download's `302 Location`)
//! are moved to a second local port that serves them, so an application's
//! large uploads and downloads run offline. Served from the walkthrough's
//! pages (`examples/graph-app/docs`, ours).

mod common;

use std::io::{Read, Write};
use std::sync::Arc;

use docgen::mock::{Matching, Routes};
use docgen_runtime::{Client, Method, UploadTask};
use serde_json::Value;
use sha2::{Digest, Sha256};

struct Mock {
    runtime: tokio::runtime::Runtime,
    graph: String,
    files: String,
}

impl Mock {
    fn start(matching: Matching) -> Mock {
        let docs = docgen::read_docs(&[common::workspace().join("examples/graph-app/docs")])
            .expect("the walkthrough's pages read");
        let routes = Routes::from_ir(&docs.ir, &docs.sources).with_matching(matching);
        let runtime = tokio::runtime::Runtime::new().expect("tokio");
        let bind = || {
            runtime
                .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                .expect("bind")
        };
        let (graph, files) = (bind(), bind());
        let graph_address = graph.local_addr().expect("address").to_string();
        let files_address = files.local_addr().expect("address").to_string();
        runtime.spawn(docgen::mock::serve_with_files(
            Arc::new(routes),
            graph,
            files,
        ));
        Mock {
            runtime,
            graph: graph_address,
            files: files_address,
        }
    }

    fn client(&self) -> Client {
        Client::builder()
            .base_url(format!("http://{}/v1.0", self.graph))
            .bearer_token("the-token")
            .build()
            .expect("client")
    }
}

/// One HTTP/1.1 exchange on `address`: status, lowercase head, body bytes.
fn send(address: &str, request_head: &str) -> (u16, String, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "{request_head}\r\nHost: {address}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    )
    .expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let body = response.get(split + 4..).unwrap_or_default().to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, body)
}

fn location(head: &str) -> String {
    head.lines()
        .find_map(|l| l.strip_prefix("location: "))
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[test]
fn an_upload_session_takes_a_file_in_slices_and_answers_with_its_hash() {
    let mock = Mock::start(Matching::Lenient);
    let client = mock.client();
    let data: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(7) >> 3) as u8)
        .collect();
    let item: Value = mock.runtime.block_on(async {
        let session: Value = client
            .request(
                Method::POST,
                "/users/4f0b8e5a-1c2d-4e6f-8a9b-0c1d2e3f4a5b/drive/root:/Backups/archive.zip:/createUploadSession",
            )
            .json_body(&serde_json::json!({"item": {"name": "archive.zip"}}))
            .await
            .expect("the documented session");
        let url = session["uploadUrl"]
            .as_str()
            .expect("an uploadUrl")
            .to_owned();
        assert!(
            url.starts_with(&format!("http://{}/contoso-my.upload.example/", mock.files)),
            "{url}"
        );
        // The task sends no token; the file host would answer one with 401.
        UploadTask::<Value>::new(&client, &url, &data[..], data.len() as u64)
            .slice_size(2 * 327_680)
            .await
            .expect("the upload")
    });
    let hex: String = Sha256::digest(&data)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    assert_eq!(item["file"]["hashes"]["sha256Hash"], hex.as_str());
    assert_eq!(item["size"], data.len());
}

#[test]
fn a_download_redirects_to_the_file_host_which_serves_ranges_and_refuses_tokens() {
    let mock = Mock::start(Matching::Lenient);
    let (status, head, _) = send(
        &mock.graph,
        "GET /v1.0/users/4f0b8e5a-1c2d-4e6f-8a9b-0c1d2e3f4a5b/drive/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/content HTTP/1.1",
    );
    assert_eq!(status, 302, "{head}");
    let url = location(&head);
    let prefix = format!("http://{}", mock.files);
    let path = url
        .strip_prefix(&prefix)
        .expect("on the file host")
        .to_owned();
    assert!(
        path.starts_with("/contoso-my.files.example/download/"),
        "{path}"
    );

    let (status, _, body) = send(&mock.files, &format!("GET {path} HTTP/1.1"));
    assert_eq!(status, 200);
    assert_eq!(body.len() as u64, docgen::mock::DOWNLOAD_BYTES);
    let (status, head, part) = send(
        &mock.files,
        &format!("GET {path} HTTP/1.1\r\nRange: bytes=1000-1999"),
    );
    assert_eq!(status, 206);
    assert!(
        head.contains("content-range: bytes 1000-1999/1048576"),
        "{head}"
    );
    assert_eq!(part, body[1000..2000]);
    assert_eq!(part[0], docgen::mock::download_byte(&path, 1000));
    let (status, _, _) = send(
        &mock.files,
        &format!("GET {path} HTTP/1.1\r\nRange: bytes=2000000-"),
    );
    assert_eq!(status, 416);

    let (status, _, body) = send(
        &mock.files,
        &format!("GET {path} HTTP/1.1\r\nAuthorization: Bearer the-token"),
    );
    assert_eq!(status, 401, "{}", String::from_utf8_lossy(&body));
}

#[test]
fn strict_mode_answers_the_documented_urls_as_written() {
    let mock = Mock::start(Matching::Strict);
    let (status, head, _) = send(
        &mock.graph,
        "GET /v1.0/users/4f0b8e5a-1c2d-4e6f-8a9b-0c1d2e3f4a5b/drive/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/content HTTP/1.1",
    );
    assert_eq!(status, 302);
    assert_eq!(
        location(&head),
        "https://contoso-my.files.example/download/01bye5rz6qn3zwbtufofd3gspgohdjd36k"
    );
}
