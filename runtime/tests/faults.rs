//! Faults a real service and network produce, against local test servers:
//! each ends in the right retry or a clear error, never a panic or a hang.

use std::io::Read;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use docgen_runtime::{Client, Collection, Error, Method, RetryPolicy};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, PartialEq, Deserialize)]
struct Item {
    id: String,
}

/// Retries quickly, so the tests stay fast.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_retries(3)
        .initial_delay(Duration::from_millis(20))
        .max_delay(Duration::from_secs(5))
        .max_total(Duration::from_secs(10))
}

fn client(base: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token("token")
        .retry_policy(policy)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("valid client")
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.expect("recording").len()
}

#[tokio::test]
async fn throttled_429_waits_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(
                    json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
                ),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .mount(&server)
        .await;
    let started = Instant::now();
    let item: Item = client(&server.uri(), quick_retries())
        .request(Method::GET, "/me")
        .await
        .expect("succeeds after the retry");
    assert_eq!(item.id, "1");
    assert_eq!(requests(&server).await, 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After is honoured"
    );
}

#[tokio::test]
async fn unavailable_503_then_success_and_the_body_is_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "new"})))
        .mount(&server)
        .await;
    let item: Item = client(&server.uri(), quick_retries())
        .request(Method::POST, "/items")
        .json_body(&json!({"name": "x"}))
        .expect_status(201)
        .await
        .expect("succeeds on the third attempt");
    assert_eq!(item.id, "new");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| r.body == br#"{"name":"x"}"#));
}

/// GETs `/me` from a server that always gives `answer`, with quick retries:
/// the error, and how many requests the server saw.
async fn always(answer: ResponseTemplate) -> (Error, usize) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(answer)
        .mount(&server)
        .await;
    let err = client(&server.uri(), quick_retries())
        .request::<Item>(Method::GET, "/me")
        .await
        .expect_err("the server never succeeds");
    (err, requests(&server).await)
}

#[tokio::test]
async fn retries_are_bounded_in_count_and_in_time() {
    let (err, seen) = always(ResponseTemplate::new(504)).await;
    assert_eq!(err.status(), Some(504));
    assert_eq!(seen, 4, "the first attempt and 3 retries");

    // A Retry-After beyond the policy's bounds is not waited for.
    let started = Instant::now();
    let (err, seen) = always(ResponseTemplate::new(429).insert_header("retry-after", "3600")).await;
    assert_eq!(err.status(), Some(429));
    assert_eq!(seen, 1);
    assert!(started.elapsed() < Duration::from_secs(2));

    // Other errors are not retried.
    let (err, seen) = always(ResponseTemplate::new(500)).await;
    assert_eq!(err.status(), Some(500));
    assert_eq!(seen, 1);
}

/// A server that accepts each connection, reads the request, and resets it.
fn resetting_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0u8; 1024];
            let _ = stream.read(&mut buffer);
            // Linger 0: closing sends RST instead of FIN.
            let socket = socket2::SockRef::from(&stream);
            let _ = socket.set_linger(Some(Duration::ZERO));
            drop(stream);
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_reset_connection_is_a_transport_error() {
    let base = resetting_server();
    let started = Instant::now();
    let err = client(&base, quick_retries())
        .request::<Item>(Method::GET, "/me")
        .await
        .expect_err("reset");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.status(), None);
    assert!(started.elapsed() < Duration::from_secs(5), "no hang");
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(300))
        .retry_policy(quick_retries())
        .build()
        .expect("client");
    let started = Instant::now();
    let err = client
        .request::<Item>(Method::GET, "/slow")
        .await
        .expect_err("timeout");
    assert!(
        matches!(err, Error::Transport(ref e) if e.is_timeout()),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3), "no hang");
}

#[tokio::test]
async fn malformed_json_html_errors_and_empty_bodies_are_clear() {
    let server = MockServer::start().await;
    Mock::given(path("/bad-json"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"id": "1",,}"#, "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/html"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            "text/html",
        ))
        .mount(&server)
        .await;
    Mock::given(path("/empty"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server.uri(), quick_retries());

    let err = client
        .request::<Item>(Method::GET, "/bad-json")
        .await
        .expect_err("malformed");
    assert!(
        matches!(&err, Error::Decode { status: 200, body, .. } if body.contains(",,")),
        "{err:?}"
    );

    let err = client
        .request::<Item>(Method::GET, "/html")
        .await
        .expect_err("html");
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status, 502);
    assert!(api.body.contains("Bad Gateway"));
    assert_eq!(api.code, None);

    let unit: () = client
        .request(Method::DELETE, "/empty")
        .expect_status(204)
        .await
        .expect("204 is ()");
    assert_eq!(unit, ());
    let err = client
        .request::<Item>(Method::GET, "/empty")
        .await
        .expect_err("no body for a struct");
    assert!(matches!(err, Error::Decode { status: 204, .. }), "{err:?}");
}

#[tokio::test]
async fn a_very_large_body_is_read_or_refused_by_the_limit() {
    let items: Vec<serde_json::Value> = (0..300_000)
        .map(|i| json!({"id": format!("item-{i:08}")}))
        .collect();
    let body = serde_json::to_vec(&json!({"value": items})).expect("json");
    assert!(body.len() > 5 << 20);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let page: Collection<Item> = client(&server.uri(), quick_retries())
        .request(Method::GET, "/big")
        .await
        .expect("within the default limit");
    assert_eq!(page.value.len(), 300_000);

    let small = Client::builder()
        .base_url(server.uri())
        .max_response_bytes(1 << 20)
        .build()
        .expect("client");
    let err = small
        .request::<Collection<Item>>(Method::GET, "/big")
        .await
        .expect_err("over the limit");
    assert!(
        matches!(err, Error::ResponseTooLarge { status: 200, limit } if limit == 1 << 20),
        "{err:?}"
    );
}

#[tokio::test]
async fn pages_follow_next_links_and_end_with_the_delta_link() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(path("/users/delta"))
        .and(query_param("$skiptoken", "page2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "3"}],
            "@odata.deltaLink": format!("{base}/users/delta?$deltatoken=d1")
        })))
        .mount(&server)
        .await;
    Mock::given(path("/users/delta"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "1"}, {"id": "2"}],
            "@odata.nextLink": format!("{base}/users/delta?$skiptoken=page2")
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let client = client(&base, quick_retries());

    let ids: Vec<String> = client
        .request::<Collection<Item>>(Method::GET, "/users/delta")
        .header("ConsistencyLevel", "eventual")
        .items()
        .map(|item| item.expect("item").id)
        .collect()
        .await;
    assert_eq!(ids, ["1", "2", "3"]);
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 2);
    assert!(
        received
            .iter()
            .all(|r| r.headers.get("consistencylevel").is_some()),
        "every page request keeps the first request's headers"
    );

    Mock::given(path("/users/delta"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "1"}, {"id": "2"}],
            "@odata.nextLink": format!("{base}/users/delta?$skiptoken=page2")
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let (items, delta) = client
        .request::<Collection<Item>>(Method::GET, "/users/delta")
        .all_with_delta_link()
        .await
        .expect("all pages");
    assert_eq!(items.len(), 3);
    assert_eq!(
        delta.as_deref(),
        Some(format!("{base}/users/delta?$deltatoken=d1").as_str())
    );
}

#[tokio::test]
async fn a_page_linking_to_itself_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    let link = format!("{}/loop?$skiptoken=same", server.uri());
    Mock::given(path("/loop"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "x"}],
            "@odata.nextLink": link
        })))
        .mount(&server)
        .await;
    let result = client(&server.uri(), quick_retries())
        .request::<Collection<Item>>(Method::GET, "/loop")
        .all()
        .await;
    assert!(
        matches!(result, Err(Error::InvalidRequest(ref m)) if m.contains("same")),
        "{result:?}"
    );
    assert_eq!(requests(&server).await, 2);
}
