//! What the sign-ins built on the `oauth2` crate share (the device code flow
//! and the client credentials grant): their HTTP calls go through the
//! client's own reqwest client, so there is one HTTP stack, one proxy setting
//! and one TLS configuration; the token endpoint of an authority and tenant;
//! and how oauth2's failures become our errors.

use std::error::Error as StdError;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use oauth2::basic::BasicErrorResponse;
use oauth2::{AsyncHttpClient, ErrorResponse, HttpRequest, HttpResponse, RequestTokenError};
use url::Url;

use super::error::{Error, SignInError};

/// Longest wait for one answer of the authority.
const HTTP_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest answer read from the authority; real ones are a few kilobytes.
const MAX_ANSWER_BYTES: usize = 1 << 20;
/// The lifetime assumed for a token whose response has no `expires_in`.
pub(super) const ASSUMED_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// The URL of an OAuth 2.0 endpoint of Microsoft Entra ID,
/// `{authority}/{tenant}/oauth2/v2.0/{last}`, for each `last` asked for.
///
/// `Err` says why `authority` or `tenant` cannot make one: the tenant must
/// be a name (it becomes a path segment, so `a/../b` must not get through),
/// and the authority an `http` or `https` URL without query. Plain `http` is
/// allowed on purpose, so that an app can test its sign-in against a local
/// fake authority.
pub(super) fn endpoints<const N: usize>(
    authority: &str,
    tenant: &str,
    last: [&str; N],
) -> Result<[String; N], String> {
    if tenant.is_empty()
        || !tenant
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
    {
        return Err(format!("invalid tenant {tenant:?}"));
    }
    let base = Url::parse(authority)
        .map_err(|err| format!("invalid authority host {authority:?}: {err}"))?;
    if !matches!(base.scheme(), "http" | "https") || base.query().is_some() {
        return Err(format!(
            "invalid authority host {authority:?}: it must be an http or https URL without query"
        ));
    }
    let prefix = base.as_str().trim_end_matches('/');
    Ok(last.map(|last| format!("{prefix}/{tenant}/oauth2/v2.0/{last}")))
}

/// The authority's refusal of a token request: its `error` code and
/// `error_description`, which says what to do (an `AADSTS…` code).
pub(super) fn refused(answer: BasicErrorResponse) -> Error {
    Error::SignIn(SignInError::Refused {
        code: answer.error().to_string(),
        description: answer.error_description().cloned(),
    })
}

/// An oauth2 failure as our error: the authority's refusals through
/// `refused`, everything else as [`Error::Token`]. Neither a request nor a
/// response body is ever quoted: the one holds a client secret or a refresh
/// token, and a success response that failed to parse holds a token.
pub(super) fn request_error<T: ErrorResponse + 'static>(
    err: RequestTokenError<HttpError, T>,
    refused: impl FnOnce(T) -> Error,
) -> Error {
    match err {
        RequestTokenError::ServerResponse(answer) => refused(answer),
        RequestTokenError::Request(err) => Error::Token(with_sources(&err)),
        RequestTokenError::Parse(err, _body) => Error::Token(format!(
            "the authority's answer could not be read: {}",
            with_sources(&err)
        )),
        RequestTokenError::Other(message) => Error::Token(message),
    }
}

/// An error and its causes on one line: "could not reach the authority:
/// error sending request for url (…): connection refused".
fn with_sources(err: &dyn StdError) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// oauth2's HTTP calls, sent with the client's reqwest client.
pub(super) struct Http(pub(super) reqwest::Client);

/// Why an HTTP call to the authority gave no answer.
#[derive(Debug, thiserror::Error)]
pub(super) enum HttpError {
    #[error("invalid request to the authority")]
    Build(#[source] reqwest::Error),
    #[error("could not reach the authority")]
    Transport(#[source] reqwest::Error),
    #[error("the authority's answer is longer than {MAX_ANSWER_BYTES} bytes")]
    TooLarge,
    #[error("the authority's answer could not be read")]
    Response(#[source] oauth2::http::Error),
}

type HttpFuture<'c> = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'c>>;

impl<'c> AsyncHttpClient<'c> for Http {
    type Error = HttpError;
    type Future = HttpFuture<'c>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let mut request = reqwest::Request::try_from(request).map_err(HttpError::Build)?;
            *request.timeout_mut() = Some(HTTP_TIMEOUT);
            let mut response = self
                .0
                .execute(request)
                .await
                .map_err(HttpError::Transport)?;
            let mut answer = oauth2::http::Response::builder().status(response.status());
            if let Some(headers) = answer.headers_mut() {
                headers.extend(
                    response
                        .headers()
                        .iter()
                        .map(|(name, value)| (name.clone(), value.clone())),
                );
            }
            if response
                .content_length()
                .is_some_and(|n| n > MAX_ANSWER_BYTES as u64)
            {
                return Err(HttpError::TooLarge);
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(HttpError::Transport)? {
                if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Err(HttpError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            answer.body(body).map_err(HttpError::Response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_authority_and_tenant() {
        assert_eq!(
            endpoints(
                "http://127.0.0.1:9/fake/",
                "common",
                ["token", "devicecode"]
            ),
            Ok([
                "http://127.0.0.1:9/fake/common/oauth2/v2.0/token".to_owned(),
                "http://127.0.0.1:9/fake/common/oauth2/v2.0/devicecode".to_owned(),
            ])
        );
        for (authority, tenant) in [
            ("https://login.microsoftonline.com", ""),
            ("https://login.microsoftonline.com", "a/../b"),
            ("https://login.microsoftonline.com", "a?b"),
            ("login.microsoftonline.com", "common"),
            ("ftp://login.example", "common"),
            ("https://login.example/?x=1", "common"),
        ] {
            assert!(
                endpoints(authority, tenant, ["token"]).is_err(),
                "{authority} {tenant}"
            );
        }
    }
}
