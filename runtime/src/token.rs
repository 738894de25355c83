use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::error::Error;

/// The future returned by [`TokenProvider::token`].
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<String, Error>> + Send + 'a>>;

/// Supplies the bearer token sent with every request of a [`Client`](super::Client).
///
/// It is called once per request, so an implementation that talks to an
/// identity provider should cache tokens until shortly before they expire:
/// implement [`FetchToken`](super::FetchToken) and wrap it in a
/// [`TokenCache`](super::TokenCache), which also makes concurrent requests
/// share one refresh. The trait is object safe; report failures as
/// [`Error::Token`] (or [`Error::SignIn`] for a refusal).
///
/// ```ignore
/// struct FromEnv;
///
/// impl TokenProvider for FromEnv {
///     fn token(&self) -> TokenFuture<'_> {
///         Box::pin(async {
///             std::env::var("GRAPH_TOKEN").map_err(|err| Error::Token(err.to_string()))
///         })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// Returns the access token to send as `Authorization: Bearer <token>`.
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + '_>>;

    /// Returns a new token that carries `claims`, or `None` if this provider
    /// cannot get one.
    ///
    /// A [`Client`](super::Client) calls this when Microsoft Graph answers
    /// `401` with a claims challenge (`WWW-Authenticate: Bearer
    /// error="insufficient_claims", claims="…"`, sent by Continuous Access
    /// Evaluation and conditional access). `claims` is the challenge's JSON,
    /// already decoded from base64, to pass to the identity provider as the
    /// `claims` parameter of a token request. The client then sends the
    /// request once more with the new token; a second `401` is returned as
    /// [`Error::Api`].
    ///
    /// The default returns `None`, and the `401` is returned at once: a
    /// provider that cannot ask for claims would only hand out the token
    /// that was just refused. [`StaticToken`] keeps that default;
    /// [`TokenCache`](super::TokenCache) passes the claims to its fetcher.
    fn token_for_claims<'a>(&'a self, claims: &'a str) -> Option<TokenFuture<'a>> {
        let _ = claims;
        None
    }
}

impl<P: TokenProvider + ?Sized> TokenProvider for Arc<P> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }

    fn token_for_claims<'a>(&'a self, claims: &'a str) -> Option<TokenFuture<'a>> {
        (**self).token_for_claims(claims)
    }
}

impl<P: TokenProvider + ?Sized> TokenProvider for Box<P> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }

    fn token_for_claims<'a>(&'a self, claims: &'a str) -> Option<TokenFuture<'a>> {
        (**self).token_for_claims(claims)
    }
}

/// A fixed bearer token, e.g. one copied from Graph Explorer for a script.
///
/// Its `Debug` output never shows the token.
#[derive(Clone)]
pub struct StaticToken(String);

impl StaticToken {
    /// Wraps `token`, which is sent as-is after `Bearer `.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(token.into())
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token() {
        let token = StaticToken::new("super-secret-value");
        assert_eq!(format!("{token:?}"), "StaticToken(<redacted>)");
        assert!(!format!("{token:#?}").contains("super-secret-value"));
    }

    #[test]
    fn providers_are_object_safe_and_shareable() {
        let shared: Arc<dyn TokenProvider> = Arc::new(StaticToken::new("t"));
        let boxed: Box<dyn TokenProvider> = Box::new(Arc::clone(&shared));
        // Polling a ready future needs no runtime.
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut future = boxed.token();
        assert!(matches!(
            future.as_mut().poll(&mut cx),
            std::task::Poll::Ready(Ok(token)) if token == "t"
        ));
        assert!(boxed.token_for_claims("{}").is_none());
    }

    /// A provider that answers claims challenges keeps doing so behind `Arc`
    /// and `Box`: the wrappers forward the provided method too.
    #[test]
    fn wrappers_forward_claims_requests() {
        struct Claims;
        impl TokenProvider for Claims {
            fn token(&self) -> TokenFuture<'_> {
                Box::pin(std::future::ready(Ok("plain".to_owned())))
            }
            fn token_for_claims<'a>(&'a self, claims: &'a str) -> Option<TokenFuture<'a>> {
                Some(Box::pin(std::future::ready(Ok(format!("for {claims}")))))
            }
        }
        let provider: Box<dyn TokenProvider> = Box::new(Arc::new(Claims));
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let Some(mut future) = provider.token_for_claims("{}") else {
            panic!("the claims request was not forwarded");
        };
        assert!(matches!(
            future.as_mut().poll(&mut cx),
            std::task::Poll::Ready(Ok(token)) if token == "for {}"
        ));
    }
}
