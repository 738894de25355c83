//! The device code flow against a local fake authority: the form of each
//! token request, every state of polling (pending, slow_down,
//! expired_token, access_denied, success), refresh tokens and the fall back
//! to a new sign-in, and claims challenges.
#![cfg(feature = "device-code")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use docgen_runtime::{
    Client, DeviceCodeFlow, DeviceCodePrompt, DeviceCodeProvider, Error, Method, RetryPolicy,
    SignInError, TokenProvider,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const DEVICE_CODE_PATH: &str = "/organizations/oauth2/v2.0/devicecode";
const TOKEN_PATH: &str = "/organizations/oauth2/v2.0/token";
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Answers in turn (the last one again once they run out), noting when each
/// request arrived.
struct Sequence {
    answers: Vec<ResponseTemplate>,
    times: Arc<Mutex<Vec<Instant>>>,
}

impl Respond for Sequence {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let mut times = self.times.lock().expect("lock");
        times.push(Instant::now());
        let i = (times.len() - 1).min(self.answers.len() - 1);
        self.answers[i].clone()
    }
}

fn oauth_error(code: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({
        "error": code,
        "error_description": format!("AADSTS00000: {code} for the test."),
        "error_codes": [70016],
    }))
}

fn token(access: &str, refresh: Option<&str>, expires_in: u64) -> ResponseTemplate {
    let mut body = json!({
        "token_type": "Bearer",
        "scope": "https://graph.microsoft.com/User.Read",
        "expires_in": expires_in,
        "ext_expires_in": expires_in,
        "access_token": access,
    });
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// A fake authority whose device code endpoint hands out `dev-code-N` and
/// `USER-N`, polling `interval` seconds apart; the token endpoint answers
/// device code polls with `polls` in turn.
struct Authority {
    server: MockServer,
    poll_times: Arc<Mutex<Vec<Instant>>>,
}

impl Authority {
    async fn start(interval: u64, polls: Vec<ResponseTemplate>) -> Authority {
        let server = MockServer::start().await;
        let issued = Arc::new(AtomicUsize::new(0));
        Mock::given(method("POST"))
            .and(path(DEVICE_CODE_PATH))
            .respond_with(move |_: &Request| {
                let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
                ResponseTemplate::new(200).set_body_json(json!({
                    "device_code": format!("dev-code-{n}"),
                    "user_code": format!("USER-{n}"),
                    "verification_uri": "https://microsoft.com/devicelogin",
                    "expires_in": 900,
                    "interval": interval,
                    "message": format!("To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code USER-{n} to authenticate."),
                }))
            })
            .mount(&server)
            .await;
        let poll_times = Arc::new(Mutex::new(Vec::new()));
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .and(body_string_contains("grant_type=urn%3Aietf"))
            .respond_with(Sequence {
                answers: polls,
                times: Arc::clone(&poll_times),
            })
            .mount(&server)
            .await;
        Authority { server, poll_times }
    }

    /// The form bodies the authority received at `endpoint`, decoded.
    async fn forms(&self, endpoint: &str) -> Vec<Vec<(String, String)>> {
        self.server
            .received_requests()
            .await
            .expect("recording")
            .iter()
            .filter(|r| r.url.path() == endpoint)
            .map(|r| {
                url::form_urlencoded::parse(&r.body)
                    .into_owned()
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn poll_gaps(&self) -> Vec<Duration> {
        let times = self.poll_times.lock().expect("lock");
        times.windows(2).map(|w| w[1] - w[0]).collect()
    }
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// A flow at the fake authority that records its prompts.
fn flow(authority: &Authority) -> (DeviceCodeFlow, Arc<Mutex<Vec<DeviceCodePrompt>>>) {
    let prompts = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&prompts);
    let flow = DeviceCodeFlow::new("app-id")
        .authority_host(authority.server.uri())
        .on_prompt(move |prompt| seen.lock().expect("lock").push(prompt.clone()));
    (flow, prompts)
}

fn sign_in_at(authority: &Authority) -> (DeviceCodeProvider, Arc<Mutex<Vec<DeviceCodePrompt>>>) {
    let (flow, prompts) = flow(authority);
    // A reqwest client needs a TLS provider, which building a Client installs.
    let _ = Client::builder();
    let provider = flow
        .provider(
            reqwest::Client::new(),
            ["https://graph.microsoft.com/.default"],
        )
        .expect("valid settings");
    (provider, prompts)
}

#[tokio::test]
async fn signs_in_after_pending_and_slow_down_at_the_intervals_asked() {
    let authority = Authority::start(
        1,
        vec![
            oauth_error("authorization_pending"),
            oauth_error("slow_down"),
            token("access-1", Some("refresh-1"), 3600),
        ],
    )
    .await;
    let (provider, prompts) = sign_in_at(&authority);
    assert_eq!(provider.token().await.expect("signed in"), "access-1");

    // The user was shown the code once, with the authority's message.
    let prompts = prompts.lock().expect("lock").clone();
    assert_eq!(prompts.len(), 1);
    assert_eq!(prompts[0].user_code, "USER-1");
    assert_eq!(
        prompts[0].verification_uri,
        "https://microsoft.com/devicelogin"
    );
    assert!(prompts[0].message().contains("USER-1"));
    assert_eq!(prompts[0].expires_in, Duration::from_secs(900));

    // The device code request: a public client asking for the scope and a refresh token.
    let requests = authority.forms(DEVICE_CODE_PATH).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(field(&requests[0], "client_id"), Some("app-id"));
    assert_eq!(
        field(&requests[0], "scope"),
        Some("https://graph.microsoft.com/.default offline_access")
    );
    assert_eq!(field(&requests[0], "client_secret"), None);

    // Three polls, each with the device code grant.
    let polls = authority.forms(TOKEN_PATH).await;
    assert_eq!(polls.len(), 3);
    for poll in &polls {
        assert_eq!(field(poll, "grant_type"), Some(DEVICE_GRANT));
        assert_eq!(field(poll, "device_code"), Some("dev-code-1"));
        assert_eq!(field(poll, "client_id"), Some("app-id"));
    }
    // `interval` after authorization_pending; 5 s more after slow_down.
    let gaps = authority.poll_gaps();
    assert!(gaps[0] >= Duration::from_secs(1), "{gaps:?}");
    assert!(gaps[0] < Duration::from_secs(4), "{gaps:?}");
    assert!(gaps[1] >= Duration::from_secs(6), "{gaps:?}");
    assert!(gaps[1] < Duration::from_secs(9), "{gaps:?}");

    // The token is cached: no further request.
    assert_eq!(provider.token().await.expect("cached"), "access-1");
    assert_eq!(authority.forms(TOKEN_PATH).await.len(), 3);
}

#[tokio::test]
async fn an_expired_code_and_a_declined_sign_in_are_distinct_errors() {
    let authority = Authority::start(
        1,
        vec![
            oauth_error("authorization_pending"),
            oauth_error("expired_token"),
        ],
    )
    .await;
    let (provider, _) = sign_in_at(&authority);
    match provider.token().await {
        Err(Error::SignIn(SignInError::CodeExpired { description })) => {
            assert!(
                description.is_some_and(|d| d.contains("expired_token")),
                "the authority's description is kept"
            );
        }
        other => panic!("expected CodeExpired, got {other:?}"),
    }
    assert_eq!(
        authority.forms(TOKEN_PATH).await.len(),
        2,
        "polling stopped"
    );

    let authority = Authority::start(1, vec![oauth_error("access_denied")]).await;
    let (provider, _) = sign_in_at(&authority);
    let err = provider.token().await.expect_err("declined");
    assert!(
        matches!(err, Error::SignIn(SignInError::Declined { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("declined"), "{err}");
    assert_eq!(authority.forms(TOKEN_PATH).await.len(), 1);

    // Another refusal keeps its code.
    let authority = Authority::start(1, vec![oauth_error("invalid_client")]).await;
    let (provider, _) = sign_in_at(&authority);
    match provider.token().await {
        Err(Error::SignIn(SignInError::Refused { code, .. })) => assert_eq!(code, "invalid_client"),
        other => panic!("expected Refused, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refused_device_code_request_and_an_unreachable_authority_are_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(DEVICE_CODE_PATH))
        .respond_with(oauth_error("invalid_scope"))
        .mount(&server)
        .await;
    let authority = Authority {
        server,
        poll_times: Arc::default(),
    };
    let (provider, prompts) = sign_in_at(&authority);
    match provider.token().await {
        Err(Error::SignIn(SignInError::Refused { code, .. })) => assert_eq!(code, "invalid_scope"),
        other => panic!("expected Refused, got {other:?}"),
    }
    assert!(prompts.lock().expect("lock").is_empty(), "no code to show");

    // Nothing listens on port 9 of this machine.
    let _ = Client::builder();
    let provider = DeviceCodeFlow::new("app-id")
        .authority_host("http://127.0.0.1:9")
        .provider(reqwest::Client::new(), ["s"])
        .expect("valid settings");
    match provider.token().await {
        Err(Error::Token(message)) => {
            assert!(
                message.contains("could not reach the authority"),
                "{message}"
            );
        }
        other => panic!("expected a token error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_token_about_to_expire_is_refreshed_with_the_refresh_token() {
    // 301 s: replaced after 1 s, given the 5 minute margin.
    let authority = Authority::start(1, vec![token("access-1", Some("refresh-1"), 301)]).await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(token("access-2", Some("refresh-2"), 3600))
        .mount(&authority.server)
        .await;
    let (provider, prompts) = sign_in_at(&authority);
    assert_eq!(provider.token().await.expect("signed in"), "access-1");
    assert_eq!(provider.token().await.expect("still fresh"), "access-1");
    tokio::time::sleep(Duration::from_millis(1100)).await;

    // Twenty requests at once: one refresh for all of them.
    let tokens = futures_util::future::join_all((0..20).map(|_| provider.token())).await;
    for token in tokens {
        assert_eq!(token.expect("refreshed"), "access-2");
    }
    let forms = authority.forms(TOKEN_PATH).await;
    let refreshes: Vec<_> = forms
        .iter()
        .filter(|f| field(f, "grant_type") == Some("refresh_token"))
        .collect();
    assert_eq!(refreshes.len(), 1, "one refresh for twenty calls");
    let refresh = refreshes[0];
    assert_eq!(field(refresh, "refresh_token"), Some("refresh-1"));
    assert_eq!(field(refresh, "client_id"), Some("app-id"));
    assert_eq!(
        field(refresh, "scope"),
        Some("https://graph.microsoft.com/.default offline_access")
    );
    assert_eq!(prompts.lock().expect("lock").len(), 1, "no second prompt");
    assert_eq!(authority.forms(DEVICE_CODE_PATH).await.len(), 1);
}

#[tokio::test]
async fn a_refused_refresh_token_falls_back_to_a_new_device_code() {
    let authority = Authority::start(
        1,
        vec![
            token("access-1", Some("refresh-1"), 301),
            token("access-3", Some("refresh-3"), 3600),
        ],
    )
    .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(oauth_error("invalid_grant"))
        .mount(&authority.server)
        .await;
    let (provider, prompts) = sign_in_at(&authority);
    assert_eq!(provider.token().await.expect("signed in"), "access-1");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(provider.token().await.expect("signed in again"), "access-3");

    let prompts = prompts.lock().expect("lock").clone();
    let codes: Vec<&str> = prompts.iter().map(|p| p.user_code.as_str()).collect();
    assert_eq!(codes, ["USER-1", "USER-2"], "prompted again");
    let grants: Vec<String> = authority
        .forms(TOKEN_PATH)
        .await
        .iter()
        .map(|f| field(f, "grant_type").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(grants, [DEVICE_GRANT, "refresh_token", DEVICE_GRANT]);
}

#[tokio::test]
async fn the_client_signs_in_for_its_base_url_and_answers_claims_challenges() {
    const CLAIMS: &str =
        "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNjA0MTA2NjUxIn19fQ==";
    const DECODED: &str = r#"{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}"#;
    let graph = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(401).insert_header(
            "www-authenticate",
            format!(r#"Bearer realm="", error="insufficient_claims", claims="{CLAIMS}""#).as_str(),
        ))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "me"})))
        .mount(&graph)
        .await;
    let authority = Authority::start(1, vec![token("access-1", Some("refresh-1"), 3600)]).await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(token("access-2", Some("refresh-2"), 3600))
        .mount(&authority.server)
        .await;
    let (flow, prompts) = flow(&authority);
    let client = Client::builder()
        .base_url(format!("{}/v1.0", graph.uri()))
        .device_code(flow)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("valid client");

    let me: Value = client
        .request(Method::GET, "/me")
        .await
        .expect("the claims are satisfied");
    assert_eq!(me["id"], "me");
    assert_eq!(prompts.lock().expect("lock").len(), 1);

    // The scope is the base URL's; the claims went with the refresh token grant.
    let scope = format!("{}/.default offline_access", graph.uri());
    let device = authority.forms(DEVICE_CODE_PATH).await;
    assert_eq!(field(&device[0], "scope"), Some(scope.as_str()));
    let forms = authority.forms(TOKEN_PATH).await;
    let refresh = forms
        .iter()
        .find(|f| field(f, "grant_type") == Some("refresh_token"))
        .expect("a refresh token grant");
    assert_eq!(field(refresh, "claims"), Some(DECODED));
    assert_eq!(field(refresh, "refresh_token"), Some("refresh-1"));
    assert_eq!(graph.received_requests().await.expect("recording").len(), 2);
}

#[tokio::test]
async fn without_an_authority_host_the_clients_cloud_decides() {
    // The US Government cloud's authority, resolved to this machine where
    // nothing listens: the error names the URL that was tried.
    let _ = Client::builder();
    let http = reqwest::Client::builder()
        .resolve(
            "login.microsoftonline.us",
            "127.0.0.1:0".parse().expect("addr"),
        )
        .resolve("graph.microsoft.us", "127.0.0.1:0".parse().expect("addr"))
        .build()
        .expect("http client");
    let client = Client::builder()
        .base_url("https://graph.microsoft.us/v1.0")
        .http_client(http)
        .device_code(DeviceCodeFlow::new("app-id").on_prompt(|_| {}))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("valid client");
    match client.request::<Value>(Method::GET, "/me").await {
        Err(Error::Token(message)) => assert!(
            message
                .contains("https://login.microsoftonline.us/organizations/oauth2/v2.0/devicecode"),
            "{message}"
        ),
        other => panic!("expected a token error, got {other:?}"),
    }
}
