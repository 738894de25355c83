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
/// identity provider should cache tokens until shortly before they expire.
/// The trait is object safe; report failures as [`Error::Token`].
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
}

impl<P: TokenProvider + ?Sized> TokenProvider for Arc<P> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }
}

impl<P: TokenProvider + ?Sized> TokenProvider for Box<P> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
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
    }
}
