//! Which token to ask for, and where: a client's base URL names its cloud.
//!
//! A token is issued for one resource, and Microsoft Graph in each national
//! cloud is its own resource (`https://graph.microsoft.us`,
//! `https://microsoftgraph.chinacloudapi.cn`, ...), signed in through that
//! cloud's authority. So the base URL a client is built for decides both,
//! unless the user says otherwise.

use url::{Origin, Url};

use super::error::Error;

/// The authority of the global cloud, and of any host this file does not know.
// Only the sign-ins on the oauth2 crate choose an authority themselves.
#[cfg_attr(
    not(any(feature = "device-code", feature = "client-credentials")),
    allow(dead_code)
)]
pub(super) const GLOBAL_AUTHORITY: &str = "https://login.microsoftonline.com";

/// The scope that asks for every permission the app was granted on the
/// service at `base_url`: its origin followed by `/.default`.
///
/// `https://graph.microsoft.com/v1.0` gives
/// `https://graph.microsoft.com/.default`, `https://graph.microsoft.us/beta`
/// gives `https://graph.microsoft.us/.default`, and a local mock server
/// `http://127.0.0.1:8080/v1.0` gives `http://127.0.0.1:8080/.default`.
///
/// # Errors
///
/// [`Error::InvalidRequest`] if `base_url` is not an `http` or `https` URL.
pub fn graph_scope(base_url: &str) -> Result<String, Error> {
    let url = Url::parse(base_url)
        .map_err(|err| Error::InvalidRequest(format!("invalid base URL {base_url:?}: {err}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::InvalidRequest(format!(
            "invalid base URL {base_url:?}: the scheme must be http or https"
        )));
    }
    Ok(scope_for(&url.origin()))
}

/// [`graph_scope`] of a base URL already checked by the client builder.
pub(super) fn scope_for(origin: &Origin) -> String {
    format!("{}/.default", origin.ascii_serialization())
}

/// The authority host that signs users in for the Graph host of `origin`:
/// the US Government clouds (L4 and DoD) and the China cloud (operated by
/// 21Vianet) have their own; everything else uses the global one.
#[cfg_attr(
    not(any(feature = "device-code", feature = "client-credentials")),
    allow(dead_code)
)]
pub(super) fn authority_for(origin: &Origin) -> &'static str {
    let Origin::Tuple(_, host, _) = origin else {
        return GLOBAL_AUTHORITY;
    };
    match host.to_string().to_ascii_lowercase().as_str() {
        "graph.microsoft.us" | "dod-graph.microsoft.us" => "https://login.microsoftonline.us",
        "microsoftgraph.chinacloudapi.cn" => "https://login.chinacloudapi.cn",
        _ => GLOBAL_AUTHORITY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(url: &str) -> Origin {
        Url::parse(url).expect("valid url").origin()
    }

    #[test]
    fn the_scope_is_the_origin_of_the_base_url() {
        for (base, scope) in [
            (
                "https://graph.microsoft.com/v1.0",
                "https://graph.microsoft.com/.default",
            ),
            (
                "https://graph.microsoft.com/beta/",
                "https://graph.microsoft.com/.default",
            ),
            (
                "https://graph.microsoft.us/v1.0",
                "https://graph.microsoft.us/.default",
            ),
            (
                "https://dod-graph.microsoft.us/v1.0",
                "https://dod-graph.microsoft.us/.default",
            ),
            (
                "https://microsoftgraph.chinacloudapi.cn/v1.0",
                "https://microsoftgraph.chinacloudapi.cn/.default",
            ),
            (
                "https://GRAPH.microsoft.com:443/v1.0",
                "https://graph.microsoft.com/.default",
            ),
            (
                "http://127.0.0.1:8080/v1.0",
                "http://127.0.0.1:8080/.default",
            ),
        ] {
            assert_eq!(graph_scope(base).ok().as_deref(), Some(scope), "{base}");
        }
        for bad in ["", "graph.microsoft.com", "ftp://graph.microsoft.com/v1.0"] {
            assert!(matches!(graph_scope(bad), Err(Error::InvalidRequest(_))));
        }
    }

    #[test]
    fn national_clouds_sign_in_at_their_own_authority() {
        let authority = |url: &str| authority_for(&origin(url));
        assert_eq!(
            authority("https://graph.microsoft.com/v1.0"),
            GLOBAL_AUTHORITY
        );
        assert_eq!(
            authority("https://graph.microsoft.us/v1.0"),
            "https://login.microsoftonline.us"
        );
        assert_eq!(
            authority("https://dod-graph.microsoft.us/beta"),
            "https://login.microsoftonline.us"
        );
        assert_eq!(
            authority("https://microsoftgraph.chinacloudapi.cn/v1.0"),
            "https://login.chinacloudapi.cn"
        );
        assert_eq!(authority("http://127.0.0.1:1/v1.0"), GLOBAL_AUTHORITY);
    }
}
