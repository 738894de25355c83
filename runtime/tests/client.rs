//! End-to-end behaviour of `Client` and `Request` against a mock Graph server
//! on 127.0.0.1.

use std::future::IntoFuture;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use docgen_runtime::{
    Client, Collection, DEFAULT_USER_AGENT, Error, Method, RetryPolicy, StaticToken, TokenFuture,
    TokenProvider, encode_path_segment,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJzZWNyZXQiOiJ0b2tlbiJ9";

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    id: String,
    display_name: String,
}

/// A client for `server` that never retries (retries have their own tests in `faults.rs`).
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", server.uri()))
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("valid client")
}

async fn single_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

#[tokio::test]
async fn get_decodes_json_and_sends_standard_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/42"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/json"))
        .and(header("user-agent", DEFAULT_USER_AGENT))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "42", "displayName": "Adele", "extra": true})),
        )
        .expect(1)
        .mount(&server)
        .await;

    // Awaiting the request directly goes through IntoFuture.
    let user: User = client(&server)
        .request(Method::GET, "/users/42")
        .await
        .expect("user");
    assert_eq!(
        user,
        User {
            id: "42".into(),
            display_name: "Adele".into()
        }
    );

    let request = single_request(&server).await;
    assert!(
        request.headers.get("content-type").is_none(),
        "GET without body"
    );
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn post_sends_json_body_and_accepts_expected_201() {
    let server = MockServer::start().await;
    let new_user = User {
        id: String::new(),
        display_name: "Alex \"W\" é".into(),
    };
    Mock::given(method("POST"))
        .and(path("/v1.0/users"))
        .and(header("content-type", "application/json"))
        .and(body_json(&new_user))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": "7", "displayName": "Alex"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let created: User = client(&server)
        .request(Method::POST, "/users")
        .json_body(&new_user)
        .expect_status(201)
        .send()
        .await
        .expect("created");
    assert_eq!(created.id, "7");
}

#[tokio::test]
async fn no_content_decodes_into_unit_but_not_into_a_struct() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/users/1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);

    client
        .request::<()>(Method::DELETE, "/users/1")
        .expect_status(204)
        .send()
        .await
        .expect("deleted");

    let err = client
        .request::<User>(Method::DELETE, "/users/1")
        .send()
        .await
        .expect_err("an empty body is not a User");
    assert!(
        matches!(err, Error::Decode { status: 204, ref body, .. } if body.is_empty()),
        "{err:?}"
    );
}

#[tokio::test]
async fn graph_error_body_becomes_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("request-id", "header-request-id")
                .set_body_json(json!({
                    "error": {
                        "code": "Request_ResourceNotFound",
                        "message": "Resource 'missing' does not exist.",
                        "innerError": {
                            "date": "2024-05-01T10:00:00",
                            "request-id": "body-request-id",
                            "client-request-id": "c1"
                        }
                    }
                })),
        )
        .mount(&server)
        .await;

    let err = client(&server)
        .request::<User>(Method::GET, "/users/missing")
        .await
        .expect_err("404");
    assert_eq!(err.status(), Some(404));
    let Error::Api(api) = err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.code.as_deref(), Some("Request_ResourceNotFound"));
    assert_eq!(
        api.message.as_deref(),
        Some("Resource 'missing' does not exist.")
    );
    assert_eq!(api.request_id.as_deref(), Some("body-request-id"));
    assert_eq!(api.date.as_deref(), Some("2024-05-01T10:00:00"));
    assert_eq!(
        api.inner_error
            .as_ref()
            .and_then(|inner| inner.get("client-request-id")),
        Some(&json!("c1"))
    );
    assert!(api.body.contains("Request_ResourceNotFound"));
    assert!(
        api.to_string().contains("Request_ResourceNotFound"),
        "{api}"
    );
}

#[tokio::test]
async fn throttling_error_takes_request_id_and_retry_after_from_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("request-id", "rid-429")
                .insert_header("retry-after", "12")
                .set_body_json(
                    json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
                ),
        )
        .mount(&server)
        .await;

    let err = client(&server)
        .request::<User>(Method::GET, "/me")
        .await
        .expect_err("429");
    let Error::Api(api) = err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.request_id.as_deref(), Some("rid-429"));
    assert_eq!(api.retry_after, Some(Duration::from_secs(12)));
    // Every HTTP response carries a Date header.
    assert!(api.date.is_some());
}

#[tokio::test]
async fn html_error_page_is_kept_raw() {
    let server = MockServer::start().await;
    let page = "<html><body><h1>500 Internal Server Error</h1></body></html>";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;

    let err = client(&server)
        .request::<User>(Method::GET, "/me")
        .await
        .expect_err("500");
    let Error::Api(api) = err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status, 500);
    assert_eq!(api.body, page);
    assert_eq!(api.code, None);
    assert_eq!(api.message, None);
    assert!(
        api.to_string().contains("500 Internal Server Error"),
        "{api}"
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_raw_body() {
    let server = MockServer::start().await;
    let body = r#"{"id": "1", "displayName": "#;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let err = client(&server)
        .request::<User>(Method::GET, "/me")
        .await
        .expect_err("bad json");
    match err {
        Error::Decode {
            status,
            body: raw,
            source,
        } => {
            assert_eq!(status, 200);
            assert_eq!(raw, body);
            assert!(source.is_eof(), "{source}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn other_success_status_than_expected_is_unexpected() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "1", "displayName": "x"})),
        )
        .mount(&server)
        .await;

    let err = client(&server)
        .request::<User>(Method::POST, "/users")
        .json_body(&json!({}))
        .expect_status(201)
        .await
        .expect_err("200 is not 201");
    match err {
        Error::UnexpectedStatus {
            status,
            expected,
            body,
        } => {
            assert_eq!((status, expected), (200, 201));
            assert!(body.contains("\"id\""), "{body}");
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn a_status_another_page_documents_is_accepted_too() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .mount(&server)
        .await;
    let client = client(&server);
    client
        .request::<()>(Method::PATCH, "/users/1")
        .json_body(&json!({}))
        .expect_status(204)
        .also_accept_status(&[200])
        .await
        .expect("200 is documented too");
    let err = client
        .request::<()>(Method::PATCH, "/users/1")
        .json_body(&json!({}))
        .expect_status(204)
        .also_accept_status(&[201])
        .await
        .expect_err("200 is documented by no page");
    assert!(
        matches!(
            err,
            Error::UnexpectedStatus {
                status: 200,
                expected: 204,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn odata_query_options_are_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$filter", "startswith(displayName,'a b')"))
        .and(query_param("$select", "id,displayName"))
        .and(query_param("$count", "true"))
        .and(header("consistencylevel", "eventual"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": [], "@odata.count": 0})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let request = client(&server)
        .request::<Collection<User>>(Method::GET, "/users")
        .filter("startswith(displayName,'a b')")
        .select(["id", "displayName"])
        .count(true)
        .header("ConsistencyLevel", "eventual");
    let expected_query =
        "$filter=startswith(displayName,%27a%20b%27)&$select=id,displayName&$count=true";
    assert_eq!(request.url().expect("url").query(), Some(expected_query));

    let page = request.await.expect("page");
    assert_eq!(page.count, Some(0));
    assert_eq!(
        single_request(&server).await.url.query(),
        Some(expected_query)
    );
}

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/a%2Fb%3Fc%23d%20e/manager"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "m", "displayName": "M"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let id = encode_path_segment("a/b?c#d e");
    let manager: User = client
        .request(Method::GET, format!("/users/{id}/manager"))
        .await
        .expect("manager");
    assert_eq!(manager.id, "m");
    let request = single_request(&server).await;
    assert_eq!(request.url.path(), "/v1.0/users/a%2Fb%3Fc%23d%20e/manager");
    assert_eq!(request.url.query(), None);

    // `..` has nothing to encode; the request is refused rather than resolved to `/v1.0/manager`.
    for id in ["..", ".", ""] {
        let err = client
            .request::<User>(
                Method::GET,
                format!("/users/{}/manager", encode_path_segment(id)),
            )
            .await
            .expect_err("dot or empty segment");
        assert!(matches!(err, Error::InvalidRequest(_)), "{id:?}: {err:?}");
    }
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
}

#[tokio::test]
async fn next_links_are_followed_on_the_same_server() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$skiptoken", "page2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "2", "displayName": "B"}],
            "@odata.deltaLink": "done"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$top", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "1", "displayName": "A"}],
            "@odata.nextLink": format!("{}/v1.0/users?$skiptoken=page2", server.uri())
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let mut page: Collection<User> = client
        .request(Method::GET, "/users")
        .top(1)
        .await
        .expect("page 1");
    let mut ids = Vec::new();
    loop {
        ids.extend(page.value.drain(..).map(|user| user.id));
        let Some(next) = page.next_link.take() else {
            break;
        };
        page = client.follow_link(next).await.expect("next page");
    }
    assert_eq!(ids, ["1", "2"]);
    assert_eq!(page.delta_link.as_deref(), Some("done"));
    for request in server.received_requests().await.expect("recording is on") {
        assert_eq!(
            request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok()),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
}

#[tokio::test]
async fn client_without_token_sends_no_authorization() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "1", "displayName": "x"})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/beta/", server.uri()))
        .user_agent("my-app/2.0")
        .build()
        .expect("valid client");
    assert_eq!(client.base_url(), format!("{}/beta", server.uri()));

    let _: User = client.request(Method::GET, "/me").await.expect("user");
    let request = single_request(&server).await;
    assert_eq!(request.url.path(), "/beta/me");
    assert!(request.headers.get("authorization").is_none());
    assert_eq!(
        request
            .headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok()),
        Some("my-app/2.0")
    );
}

struct CountingProvider {
    calls: AtomicUsize,
    fail: bool,
}

impl TokenProvider for CountingProvider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if self.fail {
                Err(Error::Token("identity provider unreachable".into()))
            } else {
                Ok(format!("token-{call}"))
            }
        })
    }
}

#[tokio::test]
async fn token_provider_is_asked_per_request_and_errors_stop_the_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(null)))
        .mount(&server)
        .await;
    let base = format!("{}/v1.0", server.uri());

    let provider = Arc::new(CountingProvider {
        calls: AtomicUsize::new(0),
        fail: false,
    });
    let client = Client::builder()
        .base_url(&base)
        .token_provider(Arc::clone(&provider))
        .build()
        .expect("valid client");
    client
        .request::<()>(Method::GET, "/a")
        .await
        .expect("first");
    client
        .request::<()>(Method::GET, "/b")
        .await
        .expect("second");
    // An explicit Authorization header bypasses the provider.
    client
        .request::<()>(Method::GET, "/c")
        .header("Authorization", "Bearer explicit")
        .await
        .expect("third");
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    let seen: Vec<String> = server
        .received_requests()
        .await
        .expect("recording is on")
        .iter()
        .filter_map(|r| {
            r.headers
                .get("authorization")?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(
        seen,
        ["Bearer token-1", "Bearer token-2", "Bearer explicit"]
    );

    let failing = Client::builder()
        .base_url(&base)
        .token_provider(CountingProvider {
            calls: AtomicUsize::new(0),
            fail: true,
        })
        .build()
        .expect("valid client");
    let err = failing
        .request::<()>(Method::GET, "/d")
        .await
        .expect_err("no token");
    assert!(
        matches!(err, Error::Token(ref why) if why.contains("unreachable")),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(3));
}

#[tokio::test]
async fn build_errors_are_reported_by_send_without_contacting_the_server() {
    let server = MockServer::start().await;
    let client = client(&server);

    let err = client
        .request::<()>(Method::GET, "/me")
        .header("Bad Header", "x")
        .await
        .expect_err("invalid header name");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");

    let err = client
        .request::<()>(Method::GET, "/me")
        .header("X-Note", "line\nbreak")
        .await
        .expect_err("invalid header value");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");

    let mut not_json = std::collections::HashMap::new();
    not_json.insert((1, 2), "tuple keys are not JSON object keys");
    let err = client
        .request::<()>(Method::POST, "/me")
        .json_body(&not_json)
        .await
        .expect_err("unserializable body");
    assert!(matches!(err, Error::Serialize(_)), "{err:?}");

    let err = Client::builder()
        .base_url("graph.microsoft.com")
        .build()
        .expect_err("relative base URL");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");

    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(0));
}

#[tokio::test]
async fn transport_failures_and_timeouts_are_transport_errors() {
    // A port that was just free: nothing listens there any more.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = closed.local_addr().expect("addr");
    drop(closed);
    let client = Client::builder()
        .base_url(format!("http://{addr}/v1.0"))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("valid client");
    let err = client
        .request::<()>(Method::GET, "/me")
        .await
        .expect_err("refused");
    assert!(
        matches!(err, Error::Transport(ref e) if e.is_connect()),
        "{err:?}"
    );
    assert_eq!(err.status(), None);
    assert!(std::error::Error::source(&err).is_some());

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .expect("valid client");
    let err = client
        .request::<()>(Method::GET, "/slow")
        .await
        .expect_err("timeout");
    assert!(
        matches!(err, Error::Transport(ref e) if e.is_timeout()),
        "{err:?}"
    );
}

#[test]
fn debug_output_never_contains_the_token() {
    let token = StaticToken::new(TOKEN);
    assert!(!format!("{token:?}").contains(TOKEN));

    let client = Client::new(StaticToken::new(TOKEN)).expect("valid client");
    assert_eq!(client.base_url(), docgen_runtime::GRAPH_V1_0);
    let shown = format!(
        "{client:?} {client:#?} {:?}",
        client.request::<()>(Method::GET, "/me")
    );
    assert!(!shown.contains(TOKEN), "{shown}");
    let shown = format!("{:?}", Client::builder().bearer_token(TOKEN));
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[test]
fn request_futures_are_send() {
    fn assert_send<F: Send>(_: &F) {}
    fn assert_send_sync<V: Send + Sync>(_: &V) {}

    let client = Client::builder().build().expect("valid client");
    // `Cell` is Send but not Sync; the request must not care, as it never holds a `T`.
    let request = client.request::<std::cell::Cell<u32>>(Method::GET, "/me");
    assert_send_sync(&request);
    let future = request.send();
    assert_send(&future);
    let future = client.request::<User>(Method::GET, "/me").into_future();
    assert_send(&future);
    assert_send_sync(&client);
}
