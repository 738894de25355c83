//! Signing a user in with the device code flow (OAuth 2.0, RFC 8628), which
//! azure_identity does not offer: the program shows a code and a URL, the
//! user enters the code in a browser on any device, and the program polls
//! the authority until the user has signed in.
//!
//! The protocol is the `oauth2` crate's; its HTTP calls go through the
//! client's own reqwest client (see `oauth_http.rs`), so there is one HTTP
//! stack, one proxy setting and one TLS configuration. Tokens are
//! cached by a [`TokenCache`]; when one runs out, the refresh token gets the
//! next one silently, and the user is prompted again only when the
//! authority no longer accepts it.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use oauth2::basic::{BasicClient, BasicErrorResponse, BasicErrorResponseType, BasicTokenResponse};
use oauth2::{
    AuthType, ClientId, DeviceAuthorizationResponse, DeviceAuthorizationUrl,
    DeviceCodeErrorResponse, DeviceCodeErrorResponseType, EndpointNotSet, EndpointSet,
    ExtraDeviceAuthorizationFields, RefreshToken, RequestTokenError, Scope, TokenResponse,
    TokenUrl,
};
use serde::{Deserialize, Serialize};
use url::Origin;

use super::cloud;
use super::error::{Error, SignInError};
use super::oauth_http::{ASSUMED_LIFETIME, Http, endpoints, refused, request_error};
use super::token::{TokenFuture, TokenProvider};
use super::token_cache::{ExpiringToken, FetchFuture, FetchToken, TokenCache};

/// The tenant a [`DeviceCodeFlow`] signs in to unless told otherwise: any
/// work or school account (Microsoft Entra ID), as azure_identity's
/// device code credentials in other languages do. Use `common` to also
/// accept personal Microsoft accounts, or a tenant id or domain to accept
/// only that organization's users.
pub const DEFAULT_TENANT: &str = "organizations";

/// Shortest wait between polls, whatever `interval` the authority sends:
/// an `interval` of 0 must not turn polling into a busy loop.
const MIN_POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Longest time a user is given to enter a code, whatever `expires_in` the
/// authority sends (Microsoft Entra ID gives 15 minutes).
const MAX_SIGN_IN_TIME: Duration = Duration::from_secs(30 * 60);

type PromptFn = Arc<dyn Fn(&DeviceCodePrompt) + Send + Sync>;

/// The settings of a device code sign-in: the app (client id), the tenant,
/// the authority, and how to show the code to the user.
///
/// Give it to [`ClientBuilder::device_code`](super::ClientBuilder::device_code),
/// which asks for the scope of the client's base URL (see
/// [`graph_scope`](super::graph_scope)) and signs in at that cloud's
/// authority; or make a [`DeviceCodeProvider`] with
/// [`provider`](Self::provider) to share one sign-in between clients.
///
/// The app registration must allow public client flows ("Allow public
/// client flows" in the Entra admin center), or the authority answers
/// `invalid_client`.
///
/// ```ignore
/// let client = Client::builder()
///     .device_code(DeviceCodeFlow::new("00000000-0000-0000-0000-000000000000")
///         .on_prompt(|prompt| println!("{}", prompt.message())))
///     .build()?;
/// ```
#[derive(Clone)]
pub struct DeviceCodeFlow {
    client_id: String,
    tenant: String,
    authority_host: Option<String>,
    prompt: PromptFn,
}

impl DeviceCodeFlow {
    /// A sign-in for the app registration `client_id` (its application id),
    /// to [`DEFAULT_TENANT`], printing the prompt to standard error.
    pub fn new(client_id: impl Into<String>) -> Self {
        DeviceCodeFlow {
            client_id: client_id.into(),
            tenant: DEFAULT_TENANT.to_owned(),
            authority_host: None,
            prompt: Arc::new(|prompt: &DeviceCodePrompt| eprintln!("{}", prompt.message())),
        }
    }

    /// The tenant: `organizations` (the default), `common`, `consumers`, a
    /// tenant id or a domain such as `contoso.onmicrosoft.com`.
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = tenant.into();
        self
    }

    /// The authority host, such as `https://login.microsoftonline.us` or a
    /// local fake authority in tests. Tokens are requested at
    /// `{authority_host}/{tenant}/oauth2/v2.0/devicecode` and `…/token`.
    ///
    /// Default: the authority of the client's cloud when given to
    /// [`ClientBuilder::device_code`](super::ClientBuilder::device_code)
    /// (`https://login.microsoftonline.us` for `graph.microsoft.us`,
    /// `https://login.chinacloudapi.cn` for `microsoftgraph.chinacloudapi.cn`),
    /// else `https://login.microsoftonline.com`.
    pub fn authority_host(mut self, url: impl Into<String>) -> Self {
        self.authority_host = Some(url.into());
        self
    }

    /// Shows the user the code and where to enter it; called once per
    /// sign-in, before polling starts. Default: prints
    /// [`DeviceCodePrompt::message`] to standard error.
    pub fn on_prompt(mut self, show: impl Fn(&DeviceCodePrompt) + Send + Sync + 'static) -> Self {
        self.prompt = Arc::new(show);
        self
    }

    /// A provider that signs in for `scopes` (such as
    /// `https://graph.microsoft.com/.default`; `offline_access` is added so
    /// that the authority sends a refresh token), sending its requests with
    /// `http`. Nothing is sent until the first token is needed.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an empty client id or scope list, a
    /// tenant that is not a name, or an authority host that is not an
    /// `http` or `https` URL.
    pub fn provider<I, S>(
        self,
        http: reqwest::Client,
        scopes: I,
    ) -> Result<DeviceCodeProvider, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let authority = self
            .authority_host
            .clone()
            .unwrap_or_else(|| cloud::GLOBAL_AUTHORITY.to_owned());
        self.provider_at(
            &authority,
            http,
            scopes.into_iter().map(Into::into).collect(),
        )
    }

    /// [`provider`](Self::provider) for a client of the base URL `origin`:
    /// unless set, the authority is that cloud's.
    pub(super) fn provider_for(
        self,
        origin: &Origin,
        http: reqwest::Client,
        scopes: Vec<String>,
    ) -> Result<DeviceCodeProvider, Error> {
        let authority = self
            .authority_host
            .clone()
            .unwrap_or_else(|| cloud::authority_for(origin).to_owned());
        self.provider_at(&authority, http, scopes)
    }

    fn provider_at(
        self,
        authority: &str,
        http: reqwest::Client,
        mut scopes: Vec<String>,
    ) -> Result<DeviceCodeProvider, Error> {
        let invalid = |why: String| Error::InvalidRequest(format!("device code sign-in: {why}"));
        if self.client_id.trim().is_empty() {
            return Err(invalid("the client id is empty".into()));
        }
        scopes.retain(|scope| !scope.trim().is_empty());
        if scopes.is_empty() {
            return Err(invalid("no scope to ask for".into()));
        }
        if !scopes.iter().any(|scope| scope == "offline_access") {
            scopes.push("offline_access".to_owned());
        }
        let [token_url, device_url] =
            endpoints(authority, &self.tenant, ["token", "devicecode"]).map_err(invalid)?;
        let token_url =
            TokenUrl::new(token_url).map_err(|err| invalid(format!("invalid token URL: {err}")))?;
        let device_url = DeviceAuthorizationUrl::new(device_url)
            .map_err(|err| invalid(format!("invalid device code URL: {err}")))?;
        // A public client: the client id goes in the form body, with no secret.
        let oauth = BasicClient::new(ClientId::new(self.client_id.clone()))
            .set_auth_type(AuthType::RequestBody)
            .set_token_uri(token_url)
            .set_device_authorization_url(device_url);
        let session = Session {
            oauth,
            http: Http(http),
            scopes,
            prompt: self.prompt,
            refresh_token: Mutex::new(None),
        };
        Ok(DeviceCodeProvider {
            cache: Arc::new(TokenCache::new(session)),
        })
    }
}

impl fmt::Debug for DeviceCodeFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCodeFlow")
            .field("client_id", &self.client_id)
            .field("tenant", &self.tenant)
            .field("authority_host", &self.authority_host)
            .finish_non_exhaustive()
    }
}

/// What to show the user: a code to enter, and where.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DeviceCodePrompt {
    /// The code the user enters, such as `FA7Q3XKPL`.
    pub user_code: String,
    /// The page where the user enters it, such as `https://microsoft.com/devicelogin`.
    pub verification_uri: String,
    /// A page that needs no typing because it holds the code, if the
    /// authority sends one (Microsoft Entra ID does not).
    pub verification_uri_complete: Option<String>,
    /// How long the code stays valid.
    pub expires_in: Duration,
    message: String,
}

impl DeviceCodePrompt {
    /// The sentence to show: the authority's own `message` (localized by
    /// Microsoft Entra ID), or else "To sign in, use a web browser to open
    /// the page … and enter the code … to authenticate."
    pub fn message(&self) -> &str {
        &self.message
    }

    fn new(details: &DeviceAuthorizationResponse<EntraFields>) -> Self {
        let user_code = details.user_code().secret().clone();
        let verification_uri = details.verification_uri().to_string();
        let message = details
            .extra_fields()
            .message
            .clone()
            .filter(|message| !message.trim().is_empty())
            .unwrap_or_else(|| {
                format!(
                    "To sign in, use a web browser to open the page {verification_uri} \
                     and enter the code {user_code} to authenticate."
                )
            });
        DeviceCodePrompt {
            user_code,
            verification_uri,
            verification_uri_complete: details
                .verification_uri_complete()
                .map(|uri| uri.secret().clone()),
            expires_in: details.expires_in(),
            message,
        }
    }
}

/// A [`TokenProvider`] that signs a user in with the device code flow, made
/// by [`DeviceCodeFlow`]. Cloning is cheap and clones share the tokens, so
/// one sign-in can serve a v1.0 and a beta client.
///
/// Tokens are cached and replaced 5 minutes before they expire, one request
/// at a time (see [`TokenCache`]). A replacement uses the refresh token when
/// there is one; the user is prompted again only if the authority refuses
/// it (`invalid_grant`, `interaction_required`). A claims challenge asks
/// for a token with the claims the same way. The authority's refusals are
/// [`Error::SignIn`]: [`SignInError::CodeExpired`] when the user did not
/// sign in in time, [`SignInError::Declined`] when they declined.
#[derive(Clone)]
pub struct DeviceCodeProvider {
    cache: Arc<TokenCache<Session>>,
}

impl DeviceCodeProvider {
    /// The scopes it asks for, `offline_access` included.
    pub fn scopes(&self) -> &[String] {
        &self.cache.fetcher().scopes
    }
}

impl TokenProvider for DeviceCodeProvider {
    fn token(&self) -> TokenFuture<'_> {
        self.cache.token()
    }

    fn token_for_claims<'a>(&'a self, claims: &'a str) -> Option<TokenFuture<'a>> {
        self.cache.token_for_claims(claims)
    }
}

impl fmt::Debug for DeviceCodeProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCodeProvider")
            .field("scopes", &self.scopes())
            .finish_non_exhaustive()
    }
}

type OAuthClient =
    BasicClient<EndpointNotSet, EndpointSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// What the cache asks for a token: the refresh token grant when there is a
/// refresh token, else a new device code sign-in.
struct Session {
    oauth: OAuthClient,
    http: Http,
    scopes: Vec<String>,
    prompt: PromptFn,
    refresh_token: Mutex<Option<RefreshToken>>,
}

/// How a refresh token grant ended, when it did not give a token.
enum RefreshFailed {
    /// The authority no longer accepts the refresh token: sign in again.
    SignInAgain,
    /// Anything else (the authority could not be reached, say): the refresh
    /// token is kept for the next try.
    Error(Error),
}

impl FetchToken for Session {
    fn fetch<'a>(&'a self, claims: Option<&'a str>) -> FetchFuture<'a> {
        Box::pin(async move {
            if let Some(refresh_token) = self.refresh_token() {
                match self.refresh(&refresh_token, claims).await {
                    Ok(token) => return Ok(token),
                    Err(RefreshFailed::SignInAgain) => self.set_refresh_token(None),
                    Err(RefreshFailed::Error(err)) => return Err(err),
                }
            }
            self.sign_in(claims).await
        })
    }
}

impl Session {
    fn refresh_token(&self) -> Option<RefreshToken> {
        // Never held across an await, so a poisoned lock still holds a
        // consistent value.
        self.refresh_token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set_refresh_token(&self, token: Option<RefreshToken>) {
        *self
            .refresh_token
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = token;
    }

    fn scopes(&self) -> impl Iterator<Item = Scope> + '_ {
        self.scopes.iter().cloned().map(Scope::new)
    }

    async fn refresh(
        &self,
        refresh_token: &RefreshToken,
        claims: Option<&str>,
    ) -> Result<ExpiringToken, RefreshFailed> {
        let mut request = self
            .oauth
            .exchange_refresh_token(refresh_token)
            .add_scopes(self.scopes());
        if let Some(claims) = claims {
            request = request.add_extra_param("claims", Cow::Owned(claims.to_owned()));
        }
        match request.request_async(&self.http).await {
            Ok(response) => Ok(self.keep(&response)),
            Err(RequestTokenError::ServerResponse(answer)) if must_sign_in_again(&answer) => {
                Err(RefreshFailed::SignInAgain)
            }
            Err(err) => Err(RefreshFailed::Error(request_error(err, refused))),
        }
    }

    async fn sign_in(&self, claims: Option<&str>) -> Result<ExpiringToken, Error> {
        let mut request = self.oauth.exchange_device_code().add_scopes(self.scopes());
        if let Some(claims) = claims {
            request = request.add_extra_param("claims", Cow::Owned(claims.to_owned()));
        }
        let details: DeviceAuthorizationResponse<EntraFields> = request
            .request_async(&self.http)
            .await
            .map_err(|err| request_error(err, refused))?;
        (self.prompt)(&DeviceCodePrompt::new(&details));

        let mut poll = self.oauth.exchange_device_access_token(&details);
        if let Some(claims) = claims {
            poll = poll.add_extra_param("claims", Cow::Owned(claims.to_owned()));
        }
        // oauth2 polls at the authority's `interval`, keeps polling on
        // `authorization_pending`, adds 5 s on `slow_down`, and stops on
        // anything else or when the code expires.
        let response: BasicTokenResponse = poll
            .request_async(
                &self.http,
                |interval: Duration| tokio::time::sleep(interval.max(MIN_POLL_INTERVAL)),
                Some(details.expires_in().min(MAX_SIGN_IN_TIME)),
            )
            .await
            .map_err(|err| request_error(err, device_code_refused))?;
        Ok(self.keep(&response))
    }

    /// Keeps the refresh token of a token response (or the previous one,
    /// when the response has none), and returns its access token.
    fn keep(&self, response: &BasicTokenResponse) -> ExpiringToken {
        if let Some(refresh_token) = response.refresh_token() {
            self.set_refresh_token(Some(refresh_token.clone()));
        }
        ExpiringToken::new(
            response.access_token().secret().clone(),
            response.expires_in().unwrap_or(ASSUMED_LIFETIME),
        )
    }
}

/// Microsoft Entra ID answers `invalid_grant` for an expired or revoked
/// refresh token and `interaction_required` when the user must act (MFA,
/// consent): both are resolved by signing in again.
fn must_sign_in_again(answer: &BasicErrorResponse) -> bool {
    match answer.error() {
        BasicErrorResponseType::InvalidGrant => true,
        BasicErrorResponseType::Extension(code) => code == "interaction_required",
        _ => false,
    }
}

fn device_code_refused(answer: DeviceCodeErrorResponse) -> Error {
    let description = answer.error_description().cloned();
    Error::SignIn(match answer.error() {
        DeviceCodeErrorResponseType::ExpiredToken => SignInError::CodeExpired { description },
        DeviceCodeErrorResponseType::AccessDenied => SignInError::Declined { description },
        other => SignInError::Refused {
            code: other.to_string(),
            description,
        },
    })
}

/// Microsoft Entra ID's device authorization response also has `message`.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct EntraFields {
    #[serde(default)]
    message: Option<String>,
}

impl ExtraDeviceAuthorizationFields for EntraFields {}

#[cfg(test)]
mod tests {
    use super::*;

    fn http() -> reqwest::Client {
        // Building a client needs a TLS provider (see client.rs).
        let _ = super::super::Client::builder();
        reqwest::Client::new()
    }

    #[test]
    fn settings_are_checked() {
        let scopes = ["https://graph.microsoft.com/.default"];
        let bad = |flow: DeviceCodeFlow, scopes: &[&str]| {
            matches!(
                flow.provider(http(), scopes.iter().copied()),
                Err(Error::InvalidRequest(_))
            )
        };
        assert!(bad(DeviceCodeFlow::new(" "), &scopes));
        assert!(bad(DeviceCodeFlow::new("app").tenant(""), &scopes));
        assert!(bad(DeviceCodeFlow::new("app").tenant("a/../b"), &scopes));
        assert!(bad(DeviceCodeFlow::new("app"), &[]));
        assert!(bad(DeviceCodeFlow::new("app"), &[" "]));
        assert!(bad(
            DeviceCodeFlow::new("app").authority_host("login.microsoftonline.com"),
            &scopes
        ));
        assert!(bad(
            DeviceCodeFlow::new("app").authority_host("ftp://login.example"),
            &scopes
        ));
        let provider = DeviceCodeFlow::new("app")
            .tenant("contoso.onmicrosoft.com")
            .provider(http(), scopes)
            .expect("valid settings");
        assert_eq!(
            provider.scopes(),
            ["https://graph.microsoft.com/.default", "offline_access"]
        );
    }

    #[test]
    fn endpoints_follow_authority_and_tenant() {
        let provider = DeviceCodeFlow::new("app")
            .authority_host("http://127.0.0.1:9/fake/")
            .tenant("common")
            .provider(http(), ["s", "offline_access"])
            .expect("valid settings");
        let session = provider.cache.fetcher();
        assert_eq!(
            session.oauth.token_uri().as_str(),
            "http://127.0.0.1:9/fake/common/oauth2/v2.0/token"
        );
        assert_eq!(
            session.oauth.device_authorization_url().as_str(),
            "http://127.0.0.1:9/fake/common/oauth2/v2.0/devicecode"
        );
        assert_eq!(provider.scopes(), ["s", "offline_access"]);
    }

    #[test]
    fn debug_shows_no_secret() {
        let provider = DeviceCodeFlow::new("app")
            .provider(http(), ["s"])
            .expect("valid settings");
        provider
            .cache
            .fetcher()
            .set_refresh_token(Some(RefreshToken::new("refresh-secret".into())));
        let shown = format!("{provider:?} {:?}", DeviceCodeFlow::new("app"));
        assert!(!shown.contains("refresh-secret"), "{shown}");
    }
}
