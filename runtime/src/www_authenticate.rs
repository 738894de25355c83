//! Claims challenges: a `401` whose `WWW-Authenticate` asks for a token with
//! more claims (Continuous Access Evaluation, conditional access), such as
//!
//! ```text
//! WWW-Authenticate: Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize",
//!     error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNjA0MTA2NjUxIn19fQ=="
//! ```
//!
//! The header comes from the network, so parsing never fails or panics: a
//! value it cannot read is simply not a claims challenge.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use reqwest::header::{HeaderMap, WWW_AUTHENTICATE};

/// Longest `claims` value read, encoded; real ones are a few hundred bytes.
const MAX_CLAIMS_LEN: usize = 16 * 1024;

/// The decoded claims (a JSON object, as text) that a Bearer challenge with
/// `error="insufficient_claims"` asks for, or `None` if the headers hold no
/// such challenge or its claims are not base64-encoded JSON.
pub(super) fn claims_challenge(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(challenges)
        .filter(|challenge| challenge.scheme.eq_ignore_ascii_case("bearer"))
        .filter(|challenge| {
            challenge
                .param("error")
                .is_some_and(|error| error == "insufficient_claims")
        })
        .find_map(|challenge| challenge.param("claims").and_then(decode_claims))
}

/// The claims are base64 (standard or URL-safe alphabet, padded or not, as
/// services differ) of a JSON object.
fn decode_claims(encoded: &str) -> Option<String> {
    let encoded = encoded.trim();
    if encoded.is_empty() || encoded.len() > MAX_CLAIMS_LEN {
        return None;
    }
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let bytes = [
        GeneralPurpose::new(&base64::alphabet::STANDARD, config),
        GeneralPurpose::new(&base64::alphabet::URL_SAFE, config),
    ]
    .iter()
    .find_map(|engine| engine.decode(encoded).ok())?;
    let text = String::from_utf8(bytes).ok()?;
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(_)) => Some(text),
        _ => None,
    }
}

/// One challenge of a `WWW-Authenticate` value: a scheme and its parameters.
#[derive(Debug, PartialEq)]
struct Challenge {
    scheme: String,
    params: Vec<(String, String)>,
}

impl Challenge {
    /// A parameter's value; parameter names are case-insensitive.
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// The challenges of one header value (RFC 9110 section 11.6.1): a scheme
/// token, then comma-separated `name=value` parameters whose values are
/// tokens or quoted strings, then the next scheme. What does not fit the
/// grammar is skipped, one character at a time, so the loop always ends.
fn challenges(value: &str) -> Vec<Challenge> {
    let mut out: Vec<Challenge> = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return out;
        }
        let (word, after) = split_token(rest);
        if word.is_empty() {
            // Not a token character: skip it.
            let mut chars = rest.chars();
            chars.next();
            rest = chars.as_str();
            continue;
        }
        let after_spaces = after.trim_start_matches([' ', '\t']);
        if let Some(after_equals) = after_spaces.strip_prefix('=') {
            let (param_value, after_value) =
                read_value(after_equals.trim_start_matches([' ', '\t']));
            // A parameter before any scheme belongs to nothing.
            if let Some(challenge) = out.last_mut() {
                challenge.params.push((word.to_owned(), param_value));
            }
            rest = after_value;
        } else {
            out.push(Challenge {
                scheme: word.to_owned(),
                params: Vec::new(),
            });
            rest = after;
        }
    }
}

/// A token68 or quoted-string parameter value, and what follows it.
fn read_value(input: &str) -> (String, &str) {
    let Some(quoted) = input.strip_prefix('"') else {
        let end = input
            .find(|c: char| c == ',' || c.is_ascii_whitespace())
            .unwrap_or(input.len());
        return (input[..end].to_owned(), &input[end..]);
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (value, &quoted[i + 1..]),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            _ => value.push(c),
        }
    }
    // Unterminated: the rest of the header is the value.
    (value, "")
}

/// The leading token (RFC 9110 `tchar`s) of `input`, and what follows it.
fn split_token(input: &str) -> (&str, &str) {
    let end = input
        .find(|c: char| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)))
        .unwrap_or(input.len());
    input.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const CLAIMS: &str =
        "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNjA0MTA2NjUxIn19fQ==";
    const DECODED: &str = r#"{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}"#;

    fn with(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                WWW_AUTHENTICATE,
                HeaderValue::from_str(value).expect("valid header"),
            );
        }
        headers
    }

    #[test]
    fn reads_graphs_claims_challenge() {
        let header = format!(
            r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="{CLAIMS}""#
        );
        assert_eq!(
            claims_challenge(&with(&[&header])).as_deref(),
            Some(DECODED)
        );
        // Unpadded and URL-safe encodings, a second challenge before it, odd spacing.
        let unpadded = CLAIMS.trim_end_matches('=');
        let header =
            format!(r#"Basic realm="x", bearer error = "insufficient_claims" ,claims={unpadded}"#);
        assert_eq!(
            claims_challenge(&with(&[&header])).as_deref(),
            Some(DECODED)
        );
        let header = format!(r#"Bearer error="insufficient_claims", claims="{CLAIMS}""#);
        assert_eq!(
            claims_challenge(&with(&["Negotiate", &header])).as_deref(),
            Some(DECODED)
        );
    }

    #[test]
    fn other_challenges_are_not_claims_challenges() {
        for header in [
            String::from(r#"Bearer realm="", error="invalid_token""#),
            format!(r#"Bearer error="invalid_token", claims="{CLAIMS}""#),
            format!(r#"Basic error="insufficient_claims", claims="{CLAIMS}""#),
            String::from(r#"Bearer error="insufficient_claims""#),
            String::from(r#"Bearer error="insufficient_claims", claims="not base64!""#),
            // Base64 of `[1,2]` (JSON, not an object) and of invalid UTF-8.
            String::from(r#"Bearer error="insufficient_claims", claims="WzEsMl0=""#),
            String::from(r#"Bearer error="insufficient_claims", claims="//79""#),
        ] {
            assert_eq!(claims_challenge(&with(&[&header])), None, "{header}");
        }
        assert_eq!(claims_challenge(&HeaderMap::new()), None);
    }

    #[test]
    fn never_panics_on_malformed_values() {
        for header in [
            "",
            ",,,",
            "=",
            "==x",
            "Bearer =",
            "Bearer a=\"unterminated",
            "Bearer a=\"esc\\",
            "Bearer a=\"\\\"q\\\"\", b",
            "Basic dXNlcjpwYXNz==",
            "\"just a quote",
            "Bearer error=insufficient_claims claims=e30",
        ] {
            let _ = challenges(header);
            let _ = claims_challenge(&with(&[header]));
        }
        assert_eq!(
            challenges("Bearer a=\"\\\"q\\\"\", b=c"),
            vec![Challenge {
                scheme: "Bearer".into(),
                params: vec![("a".into(), "\"q\"".into()), ("b".into(), "c".into())],
            }]
        );
        // Token68 `e30` is `{}`: unquoted values are read too.
        assert_eq!(
            claims_challenge(&with(&["Bearer error=insufficient_claims, claims=e30"])).as_deref(),
            Some("{}")
        );
    }
}
