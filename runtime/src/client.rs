use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::HeaderValue;
use url::{Origin, Url};

use super::batch::Batch;
use super::error::Error;
use super::request::{Request, Target};
use super::retry::RetryPolicy;
use super::token::{StaticToken, TokenProvider};
use super::{DEFAULT_USER_AGENT, GRAPH_V1_0};

/// The most redirects followed for one request, as reqwest's default policy.
const MAX_REDIRECTS: usize = 10;

/// The default of [`ClientBuilder::max_response_bytes`]: 256 MiB.
const DEFAULT_MAX_RESPONSE_BYTES: usize = 256 << 20;

/// A Microsoft Graph client: base URL, credentials and a connection pool.
///
/// Cloning is cheap and clones share the pool, so create one client and
/// pass it around. Its `Debug` output never shows a token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    /// Without a trailing '/', so that `base_url + "/path"` is the request URL.
    pub(super) base_url: String,
    pub(super) base_origin: Origin,
    pub(super) token: Option<Arc<dyn TokenProvider>>,
    pub(super) user_agent: HeaderValue,
    pub(super) timeout: Option<Duration>,
    pub(super) retry: RetryPolicy,
    pub(super) max_response_bytes: usize,
}

impl Client {
    /// A client for [`GRAPH_V1_0`] that authenticates with `token`.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`].
    pub fn new(token: impl TokenProvider) -> Result<Client, Error> {
        Client::builder().token_provider(token).build()
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The base URL that request paths are appended to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Starts a request for `path`, relative to the base URL.
    ///
    /// `path` must start with `/` and be percent-encoded already: build it
    /// with [`encode_path_segment`](super::encode_path_segment) for every
    /// variable part. Query parameters go through the [`Request`] methods.
    pub fn request<T>(&self, method: Method, path: impl Into<String>) -> Request<T> {
        Request::new(self.clone(), method, Target::Path(path.into()))
    }

    /// Starts a `GET` request for an absolute URL that the service returned,
    /// such as a collection's `@odata.nextLink` or `@odata.deltaLink`.
    ///
    /// Sending fails with [`Error::InvalidRequest`], without sending the
    /// token, unless the link has the same scheme, host and port as the base
    /// URL.
    pub fn follow_link<T>(&self, link: impl Into<String>) -> Request<T> {
        Request::new(self.clone(), Method::GET, Target::Link(link.into()))
    }

    /// An empty [`Batch`] of requests made by this client, to send together
    /// in one `POST /$batch` (see [`Batch`]).
    pub fn batch(&self) -> Batch {
        Batch::new(self)
    }

    /// Whether `other` is this client or a clone of it (same pool, same
    /// credentials).
    pub(super) fn same_as(&self, other: &Client) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    pub(super) fn inner(&self) -> &Inner {
        &self.inner
    }

    pub(super) fn base_origin(&self) -> &Origin {
        &self.inner.base_origin
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("user_agent", &self.inner.user_agent)
            .field("authenticated", &self.inner.token.is_some())
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]; made by [`Client::builder`].
///
/// A client without a token provider is allowed; it sends no
/// `Authorization` header, which suits tests and proxies that add their own.
///
/// Signing in takes one of [`bearer_token`](Self::bearer_token),
/// [`token_provider`](Self::token_provider), `credential` (feature
/// `azure-identity`), `device_code` (feature `device-code`) or
/// `client_credentials` (feature `client-credentials`); the last one set
/// wins. The token is only ever sent to the base URL's scheme, host and port.
#[must_use = "a ClientBuilder does nothing until build() is called"]
pub struct ClientBuilder {
    base_url: String,
    auth: Auth,
    scopes: Option<Vec<String>>,
    user_agent: String,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http_client: Option<reqwest::Client>,
    retry: RetryPolicy,
    max_response_bytes: usize,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    fn new() -> Self {
        // Done here as well as in build() so that a reqwest::Client made for
        // http_client() after Client::builder() also finds a TLS provider.
        install_crypto_provider();
        ClientBuilder {
            base_url: GRAPH_V1_0.to_owned(),
            auth: Auth::None,
            scopes: None,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            timeout: None,
            connect_timeout: None,
            http_client: None,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Sets the base URL, e.g. [`GRAPH_BETA`](super::GRAPH_BETA) or a mock
    /// server. It must be an `http` or `https` URL without query or fragment;
    /// a trailing `/` is ignored. Default: [`GRAPH_V1_0`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Authenticates with a fixed bearer token (a [`StaticToken`]).
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// Authenticates with tokens from `provider`, asked once per request.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.auth = Auth::Provider(Arc::new(provider));
        self
    }

    /// Authenticates with an azure_identity credential (client secret,
    /// client certificate, managed identity, workload identity, Azure CLI,
    /// developer tools), asking for [`scopes`](Self::scopes): by default the
    /// `/.default` scope of the base URL's host, so a client for
    /// `https://graph.microsoft.us/v1.0` asks for
    /// `https://graph.microsoft.us/.default`. See
    /// [`AzureCredential`](super::AzureCredential).
    #[cfg(feature = "azure-identity")]
    pub fn credential(
        mut self,
        credential: Arc<dyn azure_core::credentials::TokenCredential>,
    ) -> Self {
        self.auth = Auth::Credential(credential);
        self
    }

    /// Signs a user in with the device code flow, asking for
    /// [`scopes`](Self::scopes) (by default the `/.default` scope of the base
    /// URL's host) and `offline_access`, at the authority of the base URL's
    /// cloud unless the flow sets one. Its requests go through this client's
    /// HTTP client. See [`DeviceCodeFlow`](super::DeviceCodeFlow).
    #[cfg(feature = "device-code")]
    pub fn device_code(mut self, flow: super::device_code::DeviceCodeFlow) -> Self {
        self.auth = Auth::DeviceCode(Box::new(flow));
        self
    }

    /// Signs the app in as itself with a client secret (the client
    /// credentials grant), asking for [`scopes`](Self::scopes) (by default
    /// the `/.default` scope of the base URL's host), at the authority of
    /// the base URL's cloud unless the flow sets one. Its requests go
    /// through this client's HTTP client. See
    /// [`ClientCredentials`](super::ClientCredentials).
    #[cfg(feature = "client-credentials")]
    pub fn client_credentials(
        mut self,
        flow: super::client_credentials::ClientCredentials,
    ) -> Self {
        self.auth = Auth::ClientCredentials(Box::new(flow));
        self
    }

    /// The scopes that `credential` (feature `azure-identity`),
    /// `device_code` (feature `device-code`) and `client_credentials`
    /// (feature `client-credentials`) ask for, instead of the base URL's
    /// `/.default` (see [`graph_scope`](super::graph_scope)), e.g.
    /// `["User.Read", "Mail.Read"]` for a device code sign-in that asks the
    /// user to consent to just those. Other ways of signing in ignore them.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the `User-Agent` header. Default: [`DEFAULT_USER_AGENT`](super::DEFAULT_USER_AGENT).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Limits each request, from sending it to reading the whole response
    /// body. Default: no limit.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Limits how long connecting may take. Default: no limit. It cannot be
    /// combined with [`http_client`](Self::http_client): set it on that
    /// client instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How throttled (429) and unavailable (503, 504) answers are retried.
    /// Default: [`RetryPolicy::default`]; [`RetryPolicy::none`] turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The longest response body accepted, in bytes; a longer one fails with
    /// [`Error::ResponseTooLarge`] without being read further. Default: 256 MiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Uses `client` for HTTP instead of building one, e.g. to configure a
    /// proxy, extra root certificates or to share a pool with other code.
    ///
    /// A client that this builder makes follows at most 10 redirects and
    /// refuses one from `https` to `http`; reqwest itself drops the
    /// `Authorization` header on a redirect to another scheme, host or port.
    /// Its sign-in requests (device code, client credentials) follow none,
    /// so a secret in their body is never resent elsewhere. A client given
    /// here keeps its own redirect policy, for sign-in requests too.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an invalid base URL or user agent, for
    /// a connect timeout combined with [`http_client`](Self::http_client), or
    /// for empty [`scopes`](Self::scopes) or invalid device code or client
    /// credentials settings;
    /// [`Error::Transport`] if the HTTP client cannot be set up (for
    /// instance, no usable TLS roots).
    pub fn build(self) -> Result<Client, Error> {
        let (base_url, base_origin) = normalize_base_url(&self.base_url)?;
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::InvalidRequest(format!("invalid user agent {:?}", self.user_agent))
        })?;
        let (http, sign_in_http) = match self.http_client {
            Some(client) => {
                if self.connect_timeout.is_some() {
                    return Err(Error::InvalidRequest(
                        "connect_timeout cannot be applied to a client given to http_client; \
                         configure it on that reqwest::Client"
                            .to_owned(),
                    ));
                }
                (client.clone(), client)
            }
            None => {
                install_crypto_provider();
                let build = |policy: reqwest::redirect::Policy| {
                    let mut builder = reqwest::Client::builder().redirect(policy);
                    if let Some(timeout) = self.connect_timeout {
                        builder = builder.connect_timeout(timeout);
                    }
                    builder.build().map_err(Error::Transport)
                };
                // Sign-in requests carry a client secret or a refresh token
                // in their body, which a 307 or 308 redirect would resend to
                // wherever it points: they follow no redirect at all.
                (
                    build(redirect_policy())?,
                    build(reqwest::redirect::Policy::none())?,
                )
            }
        };
        let token = self.auth.bind(&base_origin, &sign_in_http, self.scopes)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                base_origin,
                token,
                user_agent,
                timeout: self.timeout,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("authenticated", &!matches!(self.auth, Auth::None))
            .field("scopes", &self.scopes)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("custom_http_client", &self.http_client.is_some())
            .finish()
    }
}

/// How a builder was told to authenticate. Credentials, device code and
/// client credentials sign-ins need the scopes, which follow from the base
/// URL, so they become a token provider only in [`ClientBuilder::build`].
enum Auth {
    None,
    Provider(Arc<dyn TokenProvider>),
    #[cfg(feature = "azure-identity")]
    Credential(Arc<dyn azure_core::credentials::TokenCredential>),
    #[cfg(feature = "device-code")]
    DeviceCode(Box<super::device_code::DeviceCodeFlow>),
    #[cfg(feature = "client-credentials")]
    ClientCredentials(Box<super::client_credentials::ClientCredentials>),
}

impl Auth {
    fn bind(
        self,
        origin: &Origin,
        http: &reqwest::Client,
        scopes: Option<Vec<String>>,
    ) -> Result<Option<Arc<dyn TokenProvider>>, Error> {
        // Unused without the features that need scopes.
        let _ = (origin, http, &scopes);
        #[cfg(any(
            feature = "azure-identity",
            feature = "device-code",
            feature = "client-credentials"
        ))]
        let scopes = || -> Result<Vec<String>, Error> {
            match scopes {
                None => Ok(vec![super::cloud::scope_for(origin)]),
                Some(list) if list.iter().any(|scope| !scope.trim().is_empty()) => Ok(list),
                Some(_) => Err(Error::InvalidRequest(
                    "scopes() was given no scope to ask for".to_owned(),
                )),
            }
        };
        Ok(match self {
            Auth::None => None,
            Auth::Provider(provider) => Some(provider),
            #[cfg(feature = "azure-identity")]
            Auth::Credential(credential) => Some(Arc::new(
                super::azure_credential::AzureCredential::new(credential, scopes()?),
            )),
            #[cfg(feature = "device-code")]
            Auth::DeviceCode(flow) => Some(Arc::new(flow.provider_for(
                origin,
                http.clone(),
                scopes()?,
            )?)),
            #[cfg(feature = "client-credentials")]
            Auth::ClientCredentials(flow) => Some(Arc::new(flow.provider_for(
                origin,
                http.clone(),
                scopes()?,
            )?)),
        })
    }
}

/// The redirects a client we build follows: those of reqwest's default
/// policy (at most 10), except from `https` to `http`. reqwest already drops
/// `Authorization` when a redirect changes scheme, host or port, but only
/// versions from 0.13.5 on compare the scheme, and a download should not be
/// read in clear text after a secure request anyway.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        match redirect_refusal(attempt.previous(), attempt.url()) {
            Some(why) => attempt.error(why),
            None => attempt.follow(),
        }
    })
}

/// Why the redirect to `next` after visiting `previous` is not followed.
fn redirect_refusal(previous: &[Url], next: &Url) -> Option<String> {
    if previous.len() > MAX_REDIRECTS {
        return Some(format!("more than {MAX_REDIRECTS} redirects"));
    }
    if previous.last().is_some_and(|last| last.scheme() == "https") && next.scheme() != "https" {
        return Some(format!(
            "refusing to follow a redirect from https to {}",
            next.origin().ascii_serialization()
        ));
    }
    None
}

/// reqwest is built with `rustls-no-provider` (ring compiles with only a C
/// compiler, unlike the default aws-lc-rs), and panics when building a
/// client if no process-wide rustls provider is installed.
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err means another thread installed one first, which is just as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

fn normalize_base_url(raw: &str) -> Result<(String, Origin), Error> {
    let invalid = |why: &str| Error::InvalidRequest(format!("invalid base URL {raw:?}: {why}"));
    let url = Url::parse(raw).map_err(|err| invalid(&err.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it must not contain credentials"));
    }
    let origin = url.origin();
    let mut base = String::from(url);
    while base.ends_with('/') {
        base.pop();
    }
    Ok((base, origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_base_urls() {
        let base = |raw: &str| normalize_base_url(raw).map(|(base, _)| base);
        assert_eq!(base(GRAPH_V1_0).ok().as_deref(), Some(GRAPH_V1_0));
        assert_eq!(
            base("https://graph.microsoft.com/beta/").ok().as_deref(),
            Some("https://graph.microsoft.com/beta")
        );
        assert_eq!(
            base("http://127.0.0.1:8080").ok().as_deref(),
            Some("http://127.0.0.1:8080")
        );
        for bad in [
            "",
            "graph.microsoft.com/v1.0",
            "ftp://graph.microsoft.com",
            "https://graph.microsoft.com/v1.0?x=1",
            "https://graph.microsoft.com/v1.0#x",
            "https://user:pw@graph.microsoft.com/v1.0",
            "mailto:a@b.c",
        ] {
            assert!(
                matches!(base(bad), Err(Error::InvalidRequest(_))),
                "{bad:?} was accepted"
            );
        }
    }

    #[test]
    fn builder_validates_settings() {
        assert!(matches!(
            Client::builder().user_agent("bad\nagent").build(),
            Err(Error::InvalidRequest(_))
        ));
        assert!(matches!(
            Client::builder()
                .http_client(reqwest::Client::new())
                .connect_timeout(Duration::from_secs(1))
                .build(),
            Err(Error::InvalidRequest(_))
        ));
        let client = Client::builder()
            .http_client(reqwest::Client::new())
            .timeout(Duration::from_secs(1))
            .build()
            .expect("valid client");
        assert_eq!(client.base_url(), GRAPH_V1_0);
    }

    #[test]
    fn redirects_are_bounded_and_never_downgrade() {
        let url = |u: &str| Url::parse(u).expect("valid url");
        let graph = url("https://graph.microsoft.com/v1.0/me/drive/items/1/content");
        let download = url("https://contoso-my.sharepoint.com/download.aspx?x=1");
        assert_eq!(
            redirect_refusal(std::slice::from_ref(&graph), &download),
            None
        );
        assert_eq!(
            redirect_refusal(&[url("http://127.0.0.1:1/a")], &url("http://127.0.0.1:2/b")),
            None
        );
        assert!(
            redirect_refusal(
                std::slice::from_ref(&graph),
                &url("http://contoso.example/x")
            )
            .is_some()
        );
        let many = vec![graph; MAX_REDIRECTS + 1];
        assert!(redirect_refusal(&many, &download).is_some());
        assert!(redirect_refusal(&many[..MAX_REDIRECTS], &download).is_none());
    }

    #[test]
    fn scopes_must_name_one() {
        // Without a feature that asks for scopes, they are ignored.
        let built = Client::builder().scopes(Vec::<String>::new()).build();
        assert!(built.is_ok());
    }

    #[test]
    fn debug_never_shows_the_token() {
        let secret = "eyJ0eXAiOiJKV1QiLCJub25jZSI6InNlY3JldCJ9";
        let builder = Client::builder().bearer_token(secret);
        assert!(!format!("{builder:?}").contains(secret));
        let client = builder.build().expect("valid client");
        let shown = format!("{client:?} {client:#?}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("authenticated: true"), "{shown}");
    }
}
