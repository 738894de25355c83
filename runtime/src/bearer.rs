//! The `Authorization` header of a request: which token, and where it may go.
//!
//! Kept apart from sending so that every way of sending a request (JSON,
//! raw content, uploads) asks the same two questions here.

use reqwest::header::{self, HeaderMap, HeaderValue};
use url::Url;

use super::client::Inner;
use super::error::Error;
use super::www_authenticate::claims_challenge;

/// The `Authorization` header to add to a request for `url`, or `None`: when
/// the client has no token provider, the request sets its own header
/// (`explicit` holds the request's headers), or `url` is not on the base
/// URL's origin. The token only ever goes to the Graph host the client was
/// built for; an upload or download URL on another host gets none.
pub(super) async fn authorization(
    inner: &Inner,
    url: &Url,
    explicit: &HeaderMap,
) -> Result<Option<HeaderValue>, Error> {
    let Some(provider) = &inner.token else {
        return Ok(None);
    };
    if explicit.contains_key(header::AUTHORIZATION) || url.origin() != inner.base_origin {
        return Ok(None);
    }
    bearer(provider.token().await?).map(Some)
}

/// The `Authorization` header to send again after a `401` to a request that
/// carried the provider's token, when the `401`'s `WWW-Authenticate` holds a
/// claims challenge: a token obtained for those claims. `None` when there is
/// no claims challenge or the provider cannot ask for claims; the caller
/// then returns the `401`.
pub(super) async fn answer_claims_challenge(
    inner: &Inner,
    response_headers: &HeaderMap,
) -> Result<Option<HeaderValue>, Error> {
    let Some(provider) = &inner.token else {
        return Ok(None);
    };
    let Some(claims) = claims_challenge(response_headers) else {
        return Ok(None);
    };
    let Some(future) = provider.token_for_claims(&claims) else {
        return Ok(None);
    };
    bearer(future.await?).map(Some)
}

/// `Bearer <token>`, marked sensitive so that `Debug` output and HTTP/2
/// header compression leave it out.
fn bearer(token: String) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
        Error::Token("the token contains characters not allowed in a header".into())
    })?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_values_are_sensitive_and_checked() {
        let value = bearer("abc.def".to_owned()).expect("valid token");
        assert!(value.is_sensitive());
        assert_eq!(value.to_str().ok(), Some("Bearer abc.def"));
        assert!(!format!("{value:?}").contains("abc.def"));
        assert!(matches!(
            bearer("bad\ntoken".to_owned()),
            Err(Error::Token(_))
        ));
    }
}
