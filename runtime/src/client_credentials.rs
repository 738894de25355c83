//! Signing an app in as itself with a client secret (the OAuth 2.0 client
//! credentials grant, RFC 6749 section 4.4), for daemons and other
//! app-only access where no user is present.
//!
//! azure_identity has this too (`ClientSecretCredential`), but it refuses
//! any authority that is not `https`, so an app cannot test its sign-in
//! against a local fake authority, and it cannot ask for the claims of a
//! claims challenge. This one does both, on the same plumbing as the device
//! code flow: the `oauth2` crate for the protocol, the client's own reqwest
//! client for HTTP (`oauth_http.rs`) and a [`TokenCache`] for caching.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use oauth2::basic::{BasicClient, BasicTokenResponse};
use oauth2::{
    AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, Scope, TokenResponse, TokenUrl,
};
use url::Origin;

use super::cloud;
use super::error::Error;
use super::oauth_http::{ASSUMED_LIFETIME, Http, endpoints, refused, request_error};
use super::token::{TokenFuture, TokenProvider};
use super::token_cache::{ExpiringToken, FetchFuture, FetchToken, TokenCache};

/// Tenants that stand for many organizations: Microsoft Entra ID cannot
/// tell from them which organization's grant of permissions to the app to
/// use, so it refuses the client credentials grant for them.
const MULTI_TENANT_ALIASES: [&str; 3] = ["common", "organizations", "consumers"];

/// The settings of a client credentials sign-in: the tenant, the app
/// (client id and client secret) and the authority.
///
/// Give it to
/// [`ClientBuilder::client_credentials`](super::ClientBuilder::client_credentials),
/// which asks for the `/.default` scope of the client's base URL (see
/// [`graph_scope`](super::graph_scope)) at that cloud's authority; or make
/// a [`ClientCredentialsProvider`] with [`provider`](Self::provider) to
/// share one sign-in between clients.
///
/// The app gets the application permissions an administrator granted it in
/// the tenant. Its `Debug` output never shows the secret.
///
/// ```ignore
/// let client = Client::builder()
///     .client_credentials(ClientCredentials::new(tenant_id, client_id, secret))
///     .build()?;
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    tenant: String,
    client_id: String,
    // oauth2's type, whose `Debug` is redacted too, in case it is ever shown.
    client_secret: ClientSecret,
    authority_host: Option<String>,
}

impl ClientCredentials {
    /// A sign-in to `tenant` (a tenant id or a domain such as
    /// `contoso.onmicrosoft.com`; not `common` or `organizations`, which
    /// name no organization) as the app registration `client_id` (its
    /// application id), proving it with `client_secret`.
    pub fn new(
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        ClientCredentials {
            tenant: tenant.into(),
            client_id: client_id.into(),
            client_secret: ClientSecret::new(client_secret.into()),
            authority_host: None,
        }
    }

    /// The authority host, such as `https://login.microsoftonline.us` or a
    /// local fake authority in tests (plain `http` is accepted for that).
    /// Tokens are requested at `{authority_host}/{tenant}/oauth2/v2.0/token`.
    ///
    /// Default: the authority of the client's cloud when given to
    /// [`ClientBuilder::client_credentials`](super::ClientBuilder::client_credentials)
    /// (`https://login.microsoftonline.us` for `graph.microsoft.us`,
    /// `https://login.chinacloudapi.cn` for `microsoftgraph.chinacloudapi.cn`),
    /// else `https://login.microsoftonline.com`.
    pub fn authority_host(mut self, url: impl Into<String>) -> Self {
        self.authority_host = Some(url.into());
        self
    }

    /// A provider that signs in for `scopes` (for Microsoft Entra ID, one
    /// `/.default` scope such as `https://graph.microsoft.com/.default`:
    /// app-only tokens carry every permission granted, never a chosen few),
    /// sending its requests with `http`. Nothing is sent until the first
    /// token is needed.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an empty client id, client secret or
    /// scope list, a tenant that is not a name or names no organization
    /// (`common`, `organizations`, `consumers`), or an authority host that
    /// is not an `http` or `https` URL.
    pub fn provider<I, S>(
        self,
        http: reqwest::Client,
        scopes: I,
    ) -> Result<ClientCredentialsProvider, Error>
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
    ) -> Result<ClientCredentialsProvider, Error> {
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
    ) -> Result<ClientCredentialsProvider, Error> {
        let invalid =
            |why: String| Error::InvalidRequest(format!("client credentials sign-in: {why}"));
        if self.client_id.trim().is_empty() {
            return Err(invalid("the client id is empty".into()));
        }
        if self.client_secret.secret().is_empty() {
            return Err(invalid("the client secret is empty".into()));
        }
        if MULTI_TENANT_ALIASES
            .iter()
            .any(|alias| self.tenant.eq_ignore_ascii_case(alias))
        {
            return Err(invalid(format!(
                "the tenant {:?} names no organization; give the tenant id or domain",
                self.tenant
            )));
        }
        scopes.retain(|scope| !scope.trim().is_empty());
        if scopes.is_empty() {
            return Err(invalid("no scope to ask for".into()));
        }
        let [token_url] = endpoints(authority, &self.tenant, ["token"]).map_err(invalid)?;
        let token_url =
            TokenUrl::new(token_url).map_err(|err| invalid(format!("invalid token URL: {err}")))?;
        // A confidential client: Microsoft Entra ID expects `client_id` and
        // `client_secret` in the form body (`client_secret_post`), which is
        // what `RequestBody` does; oauth2's default is Basic auth.
        let oauth = BasicClient::new(ClientId::new(self.client_id))
            .set_client_secret(self.client_secret)
            .set_auth_type(AuthType::RequestBody)
            .set_token_uri(token_url);
        let app = App {
            oauth,
            http: Http(http),
            scopes,
        };
        Ok(ClientCredentialsProvider {
            cache: Arc::new(TokenCache::new(app)),
        })
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("authority_host", &self.authority_host)
            .finish()
    }
}

/// A [`TokenProvider`] that signs an app in with the client credentials
/// grant, made by [`ClientCredentials`]. Cloning is cheap and clones share
/// the tokens, so one sign-in can serve a v1.0 and a beta client.
///
/// Tokens are cached and replaced 5 minutes before they expire, one request
/// at a time (see [`TokenCache`]); there is no refresh token, so each
/// replacement is a new grant. A claims challenge asks for a token with the
/// claims (the `claims` form parameter). The authority's refusals, such as
/// `invalid_client` for a wrong or expired secret or `unauthorized_client`,
/// are [`Error::SignIn`] ([`SignInError::Refused`](super::SignInError::Refused));
/// an authority that cannot be reached is [`Error::Token`].
#[derive(Clone)]
pub struct ClientCredentialsProvider {
    cache: Arc<TokenCache<App>>,
}

impl ClientCredentialsProvider {
    /// The scopes it asks for.
    pub fn scopes(&self) -> &[String] {
        &self.cache.fetcher().scopes
    }
}

impl TokenProvider for ClientCredentialsProvider {
    fn token(&self) -> TokenFuture<'_> {
        self.cache.token()
    }

    fn token_for_claims<'a>(&'a self, claims: &'a str) -> Option<TokenFuture<'a>> {
        self.cache.token_for_claims(claims)
    }
}

impl fmt::Debug for ClientCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentialsProvider")
            .field("scopes", &self.scopes())
            .finish_non_exhaustive()
    }
}

type OAuthClient =
    BasicClient<EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// What the cache asks for a token: one client credentials grant.
struct App {
    oauth: OAuthClient,
    http: Http,
    scopes: Vec<String>,
}

impl FetchToken for App {
    fn fetch<'a>(&'a self, claims: Option<&'a str>) -> FetchFuture<'a> {
        Box::pin(async move {
            let mut request = self
                .oauth
                .exchange_client_credentials()
                .add_scopes(self.scopes.iter().cloned().map(Scope::new));
            if let Some(claims) = claims {
                request = request.add_extra_param("claims", Cow::Borrowed(claims));
            }
            let response: BasicTokenResponse = request
                .request_async(&self.http)
                .await
                .map_err(|err| request_error(err, refused))?;
            Ok(ExpiringToken::new(
                response.access_token().secret().clone(),
                response.expires_in().unwrap_or(ASSUMED_LIFETIME),
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http() -> reqwest::Client {
        // Building a client needs a TLS provider (see client.rs).
        let _ = super::super::Client::builder();
        reqwest::Client::new()
    }

    const SCOPE: &str = "https://graph.microsoft.com/.default";

    #[test]
    fn settings_are_checked() {
        let bad = |flow: ClientCredentials, scopes: &[&str]| match flow
            .provider(http(), scopes.iter().copied())
        {
            Err(Error::InvalidRequest(message)) => !message.contains("s3cret"),
            _ => false,
        };
        let flow = |tenant: &str, id: &str| ClientCredentials::new(tenant, id, "s3cret");
        assert!(bad(flow("contoso.onmicrosoft.com", " "), &[SCOPE]));
        assert!(bad(
            ClientCredentials::new("contoso.onmicrosoft.com", "app", ""),
            &[SCOPE]
        ));
        assert!(bad(flow("", "app"), &[SCOPE]));
        assert!(bad(flow("a/../b", "app"), &[SCOPE]));
        assert!(bad(flow("common", "app"), &[SCOPE]));
        assert!(bad(flow("Organizations", "app"), &[SCOPE]));
        assert!(bad(flow("consumers", "app"), &[SCOPE]));
        assert!(bad(flow("contoso.onmicrosoft.com", "app"), &[]));
        assert!(bad(flow("contoso.onmicrosoft.com", "app"), &[" "]));
        assert!(bad(
            flow("contoso.onmicrosoft.com", "app").authority_host("login.microsoftonline.com"),
            &[SCOPE]
        ));
        let provider = flow("contoso.onmicrosoft.com", "app")
            .provider(http(), [SCOPE])
            .expect("valid settings");
        // No `offline_access`: the grant gives no refresh token.
        assert_eq!(provider.scopes(), [SCOPE]);
    }

    #[test]
    fn the_secret_goes_in_the_body_of_the_tenants_token_endpoint() {
        let provider = ClientCredentials::new("tenant-id", "app", "s3cret")
            .authority_host("http://127.0.0.1:9/fake/")
            .provider(http(), [SCOPE])
            .expect("valid settings");
        let app = provider.cache.fetcher();
        assert_eq!(
            app.oauth.token_uri().as_str(),
            "http://127.0.0.1:9/fake/tenant-id/oauth2/v2.0/token"
        );
        assert!(matches!(app.oauth.auth_type(), AuthType::RequestBody));
    }

    #[test]
    fn debug_shows_no_secret() {
        let flow = ClientCredentials::new("tenant-id", "app", "s3cret");
        let provider = flow.clone().provider(http(), [SCOPE]).expect("valid");
        let shown = format!("{flow:?} {flow:#?} {provider:?} {provider:#?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("tenant-id"), "{shown}");
    }
}
