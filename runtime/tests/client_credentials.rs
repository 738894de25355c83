//! The client credentials grant against a local fake authority (plain
//! `http`, which azure_identity's `ClientSecretCredential` refuses): the
//! form of the token request, caching and single flight, replacement before
//! expiry, claims challenges, refusals, and a secret that never shows.
#![cfg(feature = "client-credentials")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use docgen_runtime::{
    Client, ClientCredentials, ClientCredentialsProvider, Error, Method, RetryPolicy, SignInError,
    TokenProvider,
};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TENANT: &str = "contoso.onmicrosoft.com";
const TOKEN_PATH: &str = "/contoso.onmicrosoft.com/oauth2/v2.0/token";
const CLIENT_ID: &str = "app-id";
/// Characters that form encoding must escape, so the test sees it done.
const SECRET: &str = "s3cr3t~+/=&value";
const CLAIMS: &str =
    "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNjA0MTA2NjUxIn19fQ==";
const DECODED: &str = r#"{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}"#;

/// Hands out `access-1`, `access-2`, … valid for `expires_in` seconds, each
/// after `delay` (so that concurrent requests overlap).
struct Tokens {
    issued: AtomicUsize,
    expires_in: u64,
    delay: Duration,
}

impl Respond for Tokens {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200)
            .set_delay(self.delay)
            .set_body_json(json!({
                "token_type": "Bearer",
                "expires_in": self.expires_in,
                "ext_expires_in": self.expires_in,
                "access_token": format!("access-{n}"),
            }))
    }
}

async fn authority(expires_in: u64, delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(Tokens {
            issued: AtomicUsize::new(0),
            expires_in,
            delay,
        })
        .mount(&server)
        .await;
    server
}

/// A fake Graph that answers `GET /v1.0/me` sent with `Bearer {token}`.
async fn graph_accepting(tokens: &[&str]) -> MockServer {
    let graph = MockServer::start().await;
    for token in tokens {
        Mock::given(method("GET"))
            .and(path("/v1.0/me"))
            .and(header("authorization", format!("Bearer {token}").as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "me"})))
            .mount(&graph)
            .await;
    }
    graph
}

fn flow(authority: &MockServer) -> ClientCredentials {
    ClientCredentials::new(TENANT, CLIENT_ID, SECRET).authority_host(authority.uri())
}

fn client(graph: &MockServer, flow: ClientCredentials) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", graph.uri()))
        .client_credentials(flow)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("valid client")
}

/// The token requests the authority received.
async fn token_requests(authority: &MockServer) -> Vec<Request> {
    authority
        .received_requests()
        .await
        .expect("recording")
        .into_iter()
        .filter(|r| r.url.path() == TOKEN_PATH)
        .collect()
}

fn form(request: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The `Authorization` headers Graph received, in order.
async fn bearers(graph: &MockServer) -> Vec<String> {
    graph
        .received_requests()
        .await
        .expect("recording")
        .iter()
        .map(|r| {
            r.headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

async fn get_me(client: &Client) -> Result<Value, Error> {
    client.request(Method::GET, "/me").await
}

#[tokio::test]
async fn one_token_request_with_the_secret_in_the_form_serves_every_request() {
    let authority = authority(3600, Duration::ZERO).await;
    let graph = graph_accepting(&["access-1"]).await;
    let client = client(&graph, flow(&authority));
    for _ in 0..3 {
        assert_eq!(get_me(&client).await.expect("signed in")["id"], "me");
    }
    assert_eq!(bearers(&graph).await, ["Bearer access-1"; 3]);

    let requests = token_requests(&authority).await;
    assert_eq!(requests.len(), 1, "the token is cached");
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/x-www-form-urlencoded")
    );
    // The secret goes in the body (client_secret_post), not as Basic auth.
    assert!(request.headers.get("authorization").is_none());
    let mut sent = form(request);
    sent.sort();
    let scope = format!("{}/.default", graph.uri());
    let mut expected: Vec<(String, String)> = [
        ("client_id", CLIENT_ID),
        ("client_secret", SECRET),
        ("grant_type", "client_credentials"),
        ("scope", scope.as_str()),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    expected.sort();
    assert_eq!(sent, expected, "exactly these fields");
}

#[tokio::test]
async fn twenty_concurrent_requests_share_one_token_request() {
    let authority = authority(3600, Duration::from_millis(200)).await;
    let graph = graph_accepting(&["access-1"]).await;
    let client = client(&graph, flow(&authority));
    let answers = futures_util::future::join_all((0..20).map(|_| get_me(&client))).await;
    for answer in answers {
        assert_eq!(answer.expect("signed in")["id"], "me");
    }
    assert_eq!(token_requests(&authority).await.len(), 1);
    assert_eq!(bearers(&graph).await.len(), 20);
}

#[tokio::test]
async fn a_token_about_to_expire_is_replaced() {
    // 301 s: replaced after 1 s, given the 5 minute margin.
    let authority = authority(301, Duration::ZERO).await;
    let graph = graph_accepting(&["access-1", "access-2"]).await;
    let client = client(&graph, flow(&authority));
    get_me(&client).await.expect("signed in");
    get_me(&client).await.expect("still fresh");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    get_me(&client).await.expect("signed in again");
    assert_eq!(
        bearers(&graph).await,
        ["Bearer access-1", "Bearer access-1", "Bearer access-2"]
    );
    let requests = token_requests(&authority).await;
    assert_eq!(requests.len(), 2);
    // No refresh token in this grant: the replacement is a new grant.
    assert_eq!(
        field(&form(&requests[1]), "grant_type"),
        Some("client_credentials")
    );
}

fn claims_challenge() -> ResponseTemplate {
    ResponseTemplate::new(401).insert_header(
        "www-authenticate",
        format!(r#"Bearer realm="", error="insufficient_claims", claims="{CLAIMS}""#).as_str(),
    )
}

#[tokio::test]
async fn a_claims_challenge_gets_one_token_for_the_claims() {
    let authority = authority(3600, Duration::ZERO).await;
    let graph = graph_accepting(&["access-2"]).await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(claims_challenge())
        .mount(&graph)
        .await;
    let client = client(&graph, flow(&authority));
    assert_eq!(get_me(&client).await.expect("claims met")["id"], "me");
    assert_eq!(
        bearers(&graph).await,
        ["Bearer access-1", "Bearer access-2"],
        "sent again once, with the new token"
    );
    let forms: Vec<_> = token_requests(&authority).await.iter().map(form).collect();
    assert_eq!(forms.len(), 2);
    assert_eq!(field(&forms[0], "claims"), None);
    assert_eq!(field(&forms[1], "claims"), Some(DECODED));
    assert_eq!(field(&forms[1], "grant_type"), Some("client_credentials"));
    assert_eq!(field(&forms[1], "client_secret"), Some(SECRET));

    // The token for the claims is the one kept.
    get_me(&client).await.expect("cached");
    assert_eq!(token_requests(&authority).await.len(), 2);
}

#[tokio::test]
async fn a_second_challenge_is_returned_not_answered_again() {
    let authority = authority(3600, Duration::ZERO).await;
    let graph = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(claims_challenge())
        .mount(&graph)
        .await;
    let client = client(&graph, flow(&authority));
    match get_me(&client).await {
        Err(err @ Error::Api(_)) => assert_eq!(err.status(), Some(401)),
        other => panic!("expected the 401, got {other:?}"),
    }
    assert_eq!(bearers(&graph).await.len(), 2, "sent twice, no more");
    let forms: Vec<_> = token_requests(&authority).await.iter().map(form).collect();
    let with_claims = forms
        .iter()
        .filter(|f| field(f, "claims") == Some(DECODED))
        .count();
    assert_eq!((forms.len(), with_claims), (2, 1));
}

#[tokio::test]
async fn refusals_keep_their_code_and_never_show_the_secret() {
    let authority = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "AADSTS7000215: Invalid client secret provided.",
            "error_codes": [7000215],
        })))
        .mount(&authority)
        .await;
    let graph = MockServer::start().await;
    let flow = flow(&authority);
    let builder = Client::builder()
        .base_url(format!("{}/v1.0", graph.uri()))
        .client_credentials(flow.clone());
    let mut shown = format!("{flow:?} {flow:#?} {builder:?}");
    let client = builder.build().expect("valid client");
    shown.push_str(&format!("{client:?} {client:#?}"));

    let err = get_me(&client).await.expect_err("refused");
    match &err {
        Error::SignIn(SignInError::Refused { code, description }) => {
            assert_eq!(code, "invalid_client");
            assert!(
                description
                    .as_deref()
                    .is_some_and(|d| d.starts_with("AADSTS7000215")),
                "{description:?}"
            );
        }
        other => panic!("expected Refused, got {other:?}"),
    }
    assert!(err.to_string().contains("AADSTS7000215"), "{err}");
    shown.push_str(&format!("{err} {err:?}"));
    assert!(
        graph
            .received_requests()
            .await
            .expect("recording")
            .is_empty(),
        "nothing sent to Graph without a token"
    );

    let provider: ClientCredentialsProvider = flow
        .provider(
            reqwest::Client::new(),
            ["https://graph.microsoft.com/.default"],
        )
        .expect("valid settings");
    shown.push_str(&format!("{provider:?} {provider:#?}"));
    let err = provider.token().await.expect_err("refused");
    shown.push_str(&format!("{err} {err:?}"));
    // An answer that is not a token, with the secret echoed: not quoted.
    let echo = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!("oops {SECRET}")))
        .mount(&echo)
        .await;
    let err = ClientCredentials::new(TENANT, CLIENT_ID, SECRET)
        .authority_host(echo.uri())
        .provider(reqwest::Client::new(), ["s"])
        .expect("valid settings")
        .token()
        .await
        .expect_err("not a token");
    assert!(matches!(err, Error::Token(_)), "{err:?}");
    shown.push_str(&format!("{err} {err:?}"));
    // Invalid settings.
    let err = ClientCredentials::new("common", CLIENT_ID, SECRET)
        .provider(reqwest::Client::new(), ["s"])
        .expect_err("no organization");
    shown.push_str(&format!("{err} {err:?}"));

    assert!(!shown.contains(SECRET), "{shown}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
}

#[tokio::test]
async fn an_unreachable_authority_is_a_token_error() {
    // Nothing listens on port 9 of this machine.
    let _ = Client::builder();
    let provider = ClientCredentials::new(TENANT, CLIENT_ID, SECRET)
        .authority_host("http://127.0.0.1:9")
        .provider(reqwest::Client::new(), ["s"])
        .expect("valid settings");
    match provider.token().await {
        Err(Error::Token(message)) => {
            assert!(
                message.contains("could not reach the authority"),
                "{message}"
            );
            assert!(!message.contains(SECRET), "{message}");
        }
        other => panic!("expected a token error, got {other:?}"),
    }
}

#[tokio::test]
async fn without_an_authority_host_the_clients_cloud_decides() {
    // The China cloud's authority, resolved to this machine where nothing
    // listens: the error names the URL that was tried.
    let _ = Client::builder();
    let http = reqwest::Client::builder()
        .resolve(
            "login.chinacloudapi.cn",
            "127.0.0.1:0".parse().expect("addr"),
        )
        .build()
        .expect("http client");
    let client = Client::builder()
        .base_url("https://microsoftgraph.chinacloudapi.cn/v1.0")
        .http_client(http)
        .client_credentials(ClientCredentials::new(TENANT, CLIENT_ID, SECRET))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("valid client");
    match get_me(&client).await {
        Err(Error::Token(message)) => assert!(
            message.contains(
                "https://login.chinacloudapi.cn/contoso.onmicrosoft.com/oauth2/v2.0/token"
            ),
            "{message}"
        ),
        other => panic!("expected a token error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redirecting_authority_never_gets_the_secret_resent() {
    // The authority answers 307 (which keeps method and body) to another
    // server; following it would post the client secret there.
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer", "expires_in": 3600, "access_token": "stolen"
        })))
        .mount(&elsewhere)
        .await;
    let authority = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/steal", elsewhere.uri()).as_str()),
        )
        .mount(&authority)
        .await;
    let graph = graph_accepting(&["stolen"]).await;
    let client = client(&graph, flow(&authority));
    let err = get_me(&client).await.expect_err("no token from a redirect");
    assert!(
        matches!(err, Error::Token(_) | Error::SignIn(_)),
        "unexpected {err:?}"
    );
    assert!(!format!("{err:?} {err}").contains(SECRET));
    let resent = elsewhere.received_requests().await.unwrap_or_default();
    assert!(resent.is_empty(), "the token request was resent elsewhere");
    assert!(
        graph
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}
