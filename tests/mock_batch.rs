//! `docgen mock` answers `POST /$batch`: each item goes through the mock's
//! own pipeline (lenient paging and `$select` included) in `dependsOn`
//! order, and the runtime's `Batch` reads the answers typed. Served from our
//! fixture pages (`tests/fixtures/mock/`: three documented messages, a
//! created one).

mod common;

use std::sync::Arc;

use docgen::mock::{Matching, Routes};
use docgen_runtime::{Client, Collection, Error, Method};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
struct Message {
    id: String,
    #[serde(default)]
    subject: Option<String>,
}

/// `docgen mock` in this process, serving the fixture pages, until dropped.
struct Mock {
    runtime: tokio::runtime::Runtime,
    /// `127.0.0.1:port`.
    address: String,
}

impl Mock {
    fn start() -> Mock {
        let docs = docgen::read_docs(&[common::workspace().join("tests/fixtures/mock")])
            .expect("the fixture pages read");
        let routes = Routes::from_ir(&docs.ir, &docs.sources).with_matching(Matching::Lenient);
        let runtime = tokio::runtime::Runtime::new().expect("tokio");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let address = listener.local_addr().expect("address").to_string();
        runtime.spawn(docgen::mock::serve(Arc::new(routes), listener));
        Mock { runtime, address }
    }

    fn client(&self) -> Client {
        Client::builder()
            .base_url(format!("http://{}/v1.0", self.address))
            .bearer_token("test")
            .build()
            .expect("client")
    }

    /// One HTTP/1.1 POST of `body` to `target`: the status and the body.
    fn post(&self, target: &str, body: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.address).expect("connect");
        write!(
            stream,
            "POST {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.address,
            body.len()
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, body.to_owned())
    }
}

#[test]
fn the_runtime_batch_runs_against_the_mock() {
    let mock = Mock::start();
    let client = mock.client();
    let mut batch = client.batch();
    let created = batch
        .add(
            client
                .request::<Message>(Method::POST, "/me/messages")
                .json_body(&json!({"subject": "Widget review", "importance": "low"}))
                .expect_status(201),
        )
        .expect("added");
    let read = batch
        .add(client.request::<Message>(Method::GET, "/me/messages/docgen-mock-message-1"))
        .expect("added");
    batch
        .depends_on(&read, &created)
        .expect("read after create");
    let page = batch
        .add(
            client
                .request::<Collection<Message>>(Method::GET, "/me/messages")
                .top(2)
                .select(["subject"]),
        )
        .expect("added");
    let unknown = batch
        .add(client.request::<Value>(Method::GET, "/me/nothingHere"))
        .expect("added");
    let after_unknown = batch
        .add(client.request::<Message>(Method::GET, "/me/messages/docgen-mock-message-2"))
        .expect("added");
    batch
        .depends_on(&after_unknown, &unknown)
        .expect("depends on a failure");
    let results = mock.runtime.block_on(batch.send()).expect("answered");

    assert_eq!(
        results.get(&created).expect("201").id,
        "docgen-mock-message-4"
    );
    let location = results.response(&created).expect("answered");
    assert!(location.headers().contains_key("location"), "{location:?}");
    assert_eq!(
        results.get(&read).expect("200").subject.as_deref(),
        Some("Widget stand-up moved")
    );
    let page = results.get(&page).expect("a page");
    let ids: Vec<&str> = page.value.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["docgen-mock-message-1", "docgen-mock-message-2"]);
    // The item's next link leads back to the mock, below the version root.
    let next = page.next_link.expect("a next page");
    assert!(
        next.starts_with(&format!("http://{}/v1.0/me/messages?", mock.address)),
        "{next}"
    );
    let rest: Collection<Message> = mock
        .runtime
        .block_on(client.follow_link::<Collection<Message>>(next).send())
        .expect("the next page");
    assert_eq!(rest.value.len(), 1);
    assert_eq!(rest.value[0].id, "docgen-mock-message-3");

    match results.get(&unknown) {
        Err(Error::Api(err)) => {
            assert_eq!(err.status, 404);
            assert_eq!(err.code.as_deref(), Some("noDocumentedRequest"));
        }
        other => panic!("expected the mock's 404, got {other:?}"),
    }
    match results.get(&after_unknown) {
        Err(Error::Api(err)) => {
            assert_eq!(err.status, 424);
            assert_eq!(err.code.as_deref(), Some("FailedDependency"));
        }
        other => panic!("expected a failed dependency, got {other:?}"),
    }
}

#[test]
fn items_run_in_depends_on_order_and_bad_batches_are_refused() {
    let mock = Mock::start();
    let batch = json!({"requests": [
        {"id": "read", "method": "GET", "url": "/me/messages/docgen-mock-message-1",
         "dependsOn": ["create"]},
        {"id": "create", "method": "POST", "url": "/me/messages",
         "headers": {"Content-Type": "application/json"}, "body": {"subject": "Widget review"}},
    ]});
    let (status, body) = mock.post("/v1.0/$batch", &batch.to_string());
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    let order: Vec<&str> = answer["responses"]
        .as_array()
        .expect("responses")
        .iter()
        .filter_map(|response| response["id"].as_str())
        .collect();
    assert_eq!(order, ["create", "read"], "a dependency runs first");
    assert_eq!(answer["responses"][0]["status"], json!(201));
    assert_eq!(
        answer["responses"][1]["body"]["id"],
        json!("docgen-mock-message-1")
    );

    let too_many: Vec<Value> = (0..21)
        .map(|n| json!({"id": n.to_string(), "method": "GET", "url": "/me/messages"}))
        .collect();
    for bad in [
        json!({ "requests": too_many }).to_string(),
        r#"{"requests": [{"id": "a", "method": "GET", "url": "/me", "dependsOn": ["b"]},
                         {"id": "b", "method": "GET", "url": "/me", "dependsOn": ["a"]}]}"#
            .to_owned(),
        "not json".to_owned(),
    ] {
        let (status, body) = mock.post("/$batch", &bad);
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("BadRequest"), "{body}");
    }
}
