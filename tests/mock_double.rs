//! `docgen mock` as an application's test double, over real HTTP: pages of
//! our own (`tests/fixtures/mock/`, three documented messages) served in
//! lenient mode answer an application's own query options, page through
//! the documented collection by `@odata.nextLink`, and refuse what Graph
//! refuses; strict mode still answers only the documented queries. The
//! generated SDK's runtime pages through the collection against it.

mod common;

use std::sync::Arc;

use docgen::mock::{Matching, Routes};
use docgen_runtime::{Collection, Method};
use serde_json::Value;

const IDS: [&str; 3] = [
    "docgen-mock-message-1",
    "docgen-mock-message-2",
    "docgen-mock-message-3",
];

/// `docgen mock` in this process, serving the fixture pages, until dropped.
struct Mock {
    runtime: tokio::runtime::Runtime,
    /// `127.0.0.1:port`.
    address: String,
}

impl Mock {
    fn start(matching: Matching) -> Mock {
        let docs = docgen::read_docs(&[common::workspace().join("tests/fixtures/mock")])
            .expect("the fixture pages read");
        let routes = Routes::from_ir(&docs.ir, &docs.sources).with_matching(matching);
        assert_eq!(routes.len(), 4, "four documented exchanges");
        let runtime = tokio::runtime::Runtime::new().expect("tokio");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let address = listener.local_addr().expect("address").to_string();
        runtime.spawn(docgen::mock::serve(Arc::new(routes), listener));
        Mock { runtime, address }
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// One HTTP/1.1 request; the status, the lowercase head and the body.
    fn send(&self, method: &str, target: &str, body: &str) -> (u16, String, String) {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.address).expect("connect");
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
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
        (status, head.to_ascii_lowercase(), body.to_owned())
    }

    /// A GET answered 200 with JSON: the JSON.
    fn get(&self, target: &str) -> Value {
        let (status, _, body) = self.send("GET", target, "");
        assert_eq!(status, 200, "GET {target}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {target}: {e}: {body}"))
    }
}

fn ids(page: &Value) -> Vec<&str> {
    page["value"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["id"].as_str()).collect())
        .unwrap_or_default()
}

fn keys(item: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = item
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    keys
}

/// The issue's request: documented only with `$select=sender,subject`, an
/// application's `$top=1` gets one message and a link, back at the mock,
/// to each next documented message; the last page has no link.
#[test]
fn top_pages_through_the_documented_messages_by_next_link() {
    let mock = Mock::start(Matching::Lenient);
    let mut target = "/v1.0/me/messages?$top=1".to_owned();
    let mut seen = Vec::new();
    for _ in 0..IDS.len() + 1 {
        let page = mock.get(&target);
        assert_eq!(ids(&page).len(), 1, "{page}");
        seen.extend(ids(&page).iter().map(|s| s.to_string()));
        let Some(link) = page["@odata.nextLink"].as_str() else {
            break;
        };
        let rest = link
            .strip_prefix(&mock.url())
            .unwrap_or_else(|| panic!("{link} is not on the mock at {}", mock.url()));
        assert!(rest.starts_with("/v1.0/me/messages?"), "{link}");
        assert!(
            rest.contains(&format!("$skip={}", seen.len())),
            "the link carries $skip: {link}"
        );
        target = rest.to_owned();
    }
    assert_eq!(seen, IDS, "each documented message once, in order");
}

#[test]
fn skip_select_and_count_apply_to_the_documented_collection() {
    let mock = Mock::start(Matching::Lenient);

    let page = mock.get("/v1.0/me/messages?$skip=1");
    assert_eq!(ids(&page), &IDS[1..]);
    assert!(page.get("@odata.nextLink").is_none(), "{page}");

    // `$select` keeps the named members, `id` and the annotations.
    let page = mock.get("/me/messages?$select=subject");
    assert_eq!(ids(&page), IDS);
    for item in page["value"].as_array().expect("value") {
        assert_eq!(keys(item), ["@odata.etag", "id", "subject"], "{item}");
    }
    // The documented link to the real service never reaches the client.
    assert!(page.get("@odata.nextLink").is_none(), "{page}");

    let page = mock.get("/me/messages?$count=true&$top=2");
    assert_eq!(page["@odata.count"], 3);
    assert_eq!(ids(&page), &IDS[..2]);

    // A single entity: `$select` too, whatever its id.
    let message = mock.get("/v1.0/me/messages/AAMkNotTheExamplesId?$select=subject");
    assert_eq!(
        keys(&message),
        ["@odata.context", "@odata.etag", "id", "subject"]
    );
}

#[test]
fn any_query_matches_and_the_best_example_answers() {
    let mock = Mock::start(Matching::Lenient);
    // Options the examples never show: still the documented list.
    for target in [
        "/v1.0/me/messages",
        "/me/messages?$orderby=subject%20desc&$expand=attachments",
        "/me/messages?unknownOption=1",
        "/me/messages?%ZZ&&=&$=",
        "/me/messages?$skiptoken=whatever",
    ] {
        assert_eq!(ids(&mock.get(target)), IDS, "{target}");
    }
    // The documented `$filter` picks its own example, `$top` applied to it.
    let page = mock.get("/me/messages?$filter=isRead%20eq%20false&$top=5");
    assert_eq!(ids(&page), ["docgen-mock-message-2"]);
    assert_eq!(page["value"][0]["isRead"], false);
    // The path must still be documented.
    let (status, _, body) = mock.send("GET", "/v1.0/me/message?$top=1", "");
    assert_eq!(status, 404, "{body}");
}

#[test]
fn invalid_options_are_a_graph_400_and_large_ones_an_empty_page() {
    let mock = Mock::start(Matching::Lenient);
    for target in [
        "/me/messages?$top=abc",
        "/me/messages?$top=-1",
        "/me/messages?$top=",
        "/me/messages?$skip=1e3",
        "/me/messages?$skip=99999999999999999999999999",
        "/me/messages?$top=1&$top=2",
        "/me/messages?$count=maybe",
        "/me/messages/x?$select=",
    ] {
        let (status, head, body) = mock.send("GET", target, "");
        assert_eq!(status, 400, "{target}: {body}");
        assert!(head.contains("content-type: application/json"), "{head}");
        let error: Value = serde_json::from_str(&body).expect("JSON error");
        assert_eq!(error["error"]["code"], "BadRequest", "{body}");
    }
    let page = mock.get("/me/messages?$skip=4000000000&$top=2");
    assert_eq!(ids(&page), Vec::<&str>::new());
    assert!(page.get("@odata.nextLink").is_none(), "{page}");
}

#[test]
fn status_location_and_post_bodies_are_as_documented() {
    let mock = Mock::start(Matching::Lenient);
    // Another body than the example's: the documented answer all the same.
    let (status, head, body) = mock.send("POST", "/v1.0/me/messages", r#"{"subject": "Other"}"#);
    assert_eq!(status, 201, "{body}");
    assert!(
        head.contains(
            "location: https://graph.microsoft.com/v1.0/me/messages/docgen-mock-message-4"
        ),
        "{head}"
    );
    let created: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(created["id"], "docgen-mock-message-4");
    // No body at all, and query options on a POST: left alone.
    let (status, _, body) = mock.send("POST", "/me/messages?$select=id", "");
    assert_eq!(status, 201);
    assert!(body.contains("isDraft"), "{body}");
}

#[test]
fn strict_mode_answers_only_the_documented_query() {
    let mock = Mock::start(Matching::Strict);
    let (status, _, body) = mock.send("GET", "/v1.0/me/messages?$top=1", "");
    assert_eq!(status, 404, "{body}");
    let error: Value = serde_json::from_str(&body).expect("JSON error");
    assert_eq!(error["error"]["code"], "noDocumentedRequest");
    let message = error["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("nearest documented request is GET /me/messages?$select=sender,subject")
            && message.contains("api/user-list-messages.md:"),
        "{message}"
    );
    // The documented request: the documented body as written, its link too.
    let page = mock.get("/v1.0/me/messages?$select=sender,subject");
    assert_eq!(ids(&page), IDS);
    assert_eq!(
        page["@odata.nextLink"],
        "https://graph.microsoft.com/v1.0/me/messages?$select=sender,subject&$skiptoken=page2"
    );
}

/// `Request::all` (the runtime's pages and items streams) follows the
/// mock's links and collects every documented message exactly once.
#[test]
fn the_runtime_pages_through_every_documented_item_once() {
    let mock = Mock::start(Matching::Lenient);
    let client = docgen_runtime::Client::builder()
        .base_url(format!("{}/v1.0", mock.url()))
        .bearer_token("test")
        .build()
        .expect("client");
    for top in [1, 2, 3, 10] {
        let items: Vec<Value> = mock
            .runtime
            .block_on(
                client
                    .request::<Collection<Value>>(Method::GET, "/me/messages")
                    .top(top)
                    .select(["subject"])
                    .all(),
            )
            .unwrap_or_else(|e| panic!("$top={top}: {e}"));
        let got: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
        assert_eq!(got, IDS, "$top={top}");
        assert!(items.iter().all(|i| i.get("sender").is_none()));
    }
    // One page, followed by hand: the link is one the runtime will follow.
    let first = mock
        .runtime
        .block_on(
            client
                .request::<Collection<Value>>(Method::GET, "/me/messages")
                .top(2)
                .send(),
        )
        .expect("first page");
    let link = first.next_link.expect("a next link");
    let second = mock
        .runtime
        .block_on(client.follow_link::<Collection<Value>>(link).send())
        .expect("second page");
    assert_eq!(second.value.len(), 1);
    assert_eq!(second.next_link, None);
}
