//! Caching tokens until shortly before they expire, with one fetch at a time.
//!
//! Every request asks its provider for a token, so a provider that talks to
//! an identity provider needs a cache; and when the cached token runs out
//! while many requests are in flight, they must share one token request
//! instead of each sending its own (a burst of sign-ins is throttled, and a
//! device code flow would prompt the user once per request).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::error::Error;
use super::token::{TokenFuture, TokenProvider};

/// How long before expiry a token is replaced by default: 5 minutes, as
/// azure_identity does, so that a token is never sent in its last minutes
/// (clocks differ, and a request can take a while to arrive).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// The future returned by [`FetchToken::fetch`].
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<ExpiringToken, Error>> + Send + 'a>>;

/// An access token and how long it stays valid.
///
/// Its `Debug` output never shows the token.
#[derive(Clone)]
pub struct ExpiringToken {
    secret: String,
    expires_at: Instant,
}

impl ExpiringToken {
    /// A token that the identity provider said is valid for `expires_in`
    /// from now (`expires_in` of an OAuth 2.0 token response).
    pub fn new(secret: impl Into<String>, expires_in: Duration) -> Self {
        let now = Instant::now();
        ExpiringToken {
            secret: secret.into(),
            // An absurd lifetime saturates rather than overflowing.
            expires_at: now.checked_add(expires_in).unwrap_or(now + YEAR),
        }
    }

    /// The token, as sent after `Bearer `.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// How long it stays valid from now (zero once expired).
    pub fn expires_in(&self) -> Duration {
        self.expires_at.saturating_duration_since(Instant::now())
    }
}

const YEAR: Duration = Duration::from_secs(365 * 24 * 3600);

impl fmt::Debug for ExpiringToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExpiringToken")
            .field("secret", &"<redacted>")
            .field("expires_in", &self.expires_in())
            .finish()
    }
}

/// Obtains new tokens for a [`TokenCache`], which asks only when it holds
/// none that is valid for long enough.
///
/// ```ignore
/// struct FromScript;
///
/// impl FetchToken for FromScript {
///     fn fetch<'a>(&'a self, _claims: Option<&'a str>) -> FetchFuture<'a> {
///         Box::pin(async {
///             let token = run_my_token_script().await.map_err(|e| Error::Token(e.to_string()))?;
///             Ok(ExpiringToken::new(token, Duration::from_secs(3600)))
///         })
///     }
/// }
///
/// let client = Client::new(TokenCache::new(FromScript))?;
/// ```
pub trait FetchToken: Send + Sync + 'static {
    /// A new token. `claims` is the decoded JSON of a claims challenge that
    /// the token must satisfy (see [`TokenProvider::token_for_claims`]),
    /// `None` for an ordinary refresh.
    fn fetch<'a>(&'a self, claims: Option<&'a str>) -> FetchFuture<'a>;
}

/// A [`TokenProvider`] that keeps the token of a [`FetchToken`] until shortly
/// before it expires.
///
/// Requests that find the token missing or about to expire while another is
/// fetching one wait for that fetch and share its token: twenty concurrent
/// requests make one token request. A failed fetch is not cached; the next
/// request tries again. Claims challenges fetch a new token for the claims,
/// also shared by the requests that were waiting for it.
pub struct TokenCache<F> {
    fetcher: F,
    margin: Duration,
    slot: tokio::sync::Mutex<Slot>,
    /// Counts stored tokens, so a claims request can tell that a token was
    /// fetched while it waited for the lock.
    generation: AtomicU64,
}

#[derive(Default)]
struct Slot {
    token: Option<ExpiringToken>,
    /// When `token` is to be replaced.
    refresh_at: Option<Instant>,
    /// The claims `token` was fetched for.
    claims: Option<String>,
}

impl<F: FetchToken> TokenCache<F> {
    /// Caches the tokens of `fetcher`, replacing each
    /// [`DEFAULT_REFRESH_MARGIN`] (5 minutes) before it expires.
    pub fn new(fetcher: F) -> Self {
        TokenCache {
            fetcher,
            margin: DEFAULT_REFRESH_MARGIN,
            slot: tokio::sync::Mutex::new(Slot::default()),
            generation: AtomicU64::new(0),
        }
    }

    /// Replaces tokens `margin` before they expire instead. A token whose
    /// whole lifetime is shorter than the margin is used for half of it.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The fetcher.
    pub fn fetcher(&self) -> &F {
        &self.fetcher
    }

    /// Fetches a token while holding the lock, and keeps it.
    async fn fetch_into(&self, slot: &mut Slot, claims: Option<&str>) -> Result<String, Error> {
        let token = self.fetcher.fetch(claims).await?;
        let lifetime = token.expires_in();
        // Without this, a token shorter-lived than the margin would be
        // fetched anew for every request.
        let usable = if lifetime > self.margin {
            lifetime - self.margin
        } else {
            lifetime / 2
        };
        let secret = token.secret.clone();
        slot.refresh_at = Instant::now().checked_add(usable);
        slot.token = Some(token);
        slot.claims = claims.map(str::to_owned);
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(secret)
    }
}

impl Slot {
    fn usable(&self) -> Option<&str> {
        let token = self.token.as_ref()?;
        let refresh_at = self.refresh_at?;
        (Instant::now() < refresh_at).then_some(token.secret.as_str())
    }
}

impl<F: FetchToken> TokenProvider for TokenCache<F> {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            // Held while fetching: that is what makes concurrent requests
            // wait for one fetch instead of starting their own.
            let mut slot = self.slot.lock().await;
            if let Some(secret) = slot.usable() {
                return Ok(secret.to_owned());
            }
            self.fetch_into(&mut slot, None).await
        })
    }

    fn token_for_claims<'a>(&'a self, claims: &'a str) -> Option<TokenFuture<'a>> {
        Some(Box::pin(async move {
            let seen = self.generation.load(Ordering::SeqCst);
            let mut slot = self.slot.lock().await;
            // Another request answered the same challenge while this one
            // waited: its token is the one asked for. A challenge that comes
            // after that token was stored fetches anew.
            if self.generation.load(Ordering::SeqCst) != seen
                && slot.claims.as_deref() == Some(claims)
                && let Some(secret) = slot.usable()
            {
                return Ok(secret.to_owned());
            }
            self.fetch_into(&mut slot, Some(claims)).await
        }))
    }
}

impl<F> fmt::Debug for TokenCache<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("refresh_margin", &self.margin)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token() {
        let token = ExpiringToken::new("secret-value", Duration::from_secs(60));
        let shown = format!("{token:?} {token:#?}");
        assert!(!shown.contains("secret-value"), "{shown}");
        assert_eq!(token.secret(), "secret-value");
        assert!(token.expires_in() <= Duration::from_secs(60));
    }

    #[test]
    fn absurd_lifetimes_do_not_overflow() {
        let token = ExpiringToken::new("t", Duration::MAX);
        assert!(token.expires_in() > Duration::from_secs(3600));
        let token = ExpiringToken::new("t", Duration::ZERO);
        assert_eq!(token.expires_in(), Duration::ZERO);
    }
}
