//! How the client reads a JSON response body.
//!
//! serde_json reading bytes checks each string it meets for UTF-8 on its
//! own, which is a sixth of decoding a page of short strings (a users page).
//! Checking the whole body once and reading it as text skips those checks;
//! the value, and the line and column of any error, are the same. A body
//! that is not UTF-8 is read as bytes, so the error says where.

use serde::de::DeserializeOwned;

/// Decodes a JSON body into `T`, as [`Request::send`](super::Request::send)
/// does.
///
/// # Errors
///
/// serde_json's error when the body is not JSON of `T`'s shape (or not UTF-8).
pub fn from_json_body<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn reads_what_from_slice_reads_with_the_same_errors() {
        for body in [
            &br#"{"a": "\u00e9t\u00e9", "b": [1, 2.5, null], "c": "caf\xc3\xa9"}"#[..],
            br#"{"a": 1,}"#,
            b"{\"a\": \"\xff\"}",
            b"[1, 2",
            b"",
        ] {
            let ours = from_json_body::<Value>(body);
            let theirs = serde_json::from_slice::<Value>(body);
            match (ours, theirs) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(a), Err(b)) => {
                    assert_eq!(
                        (a.line(), a.column(), a.classify()),
                        (b.line(), b.column(), b.classify())
                    );
                    assert_eq!(a.to_string(), b.to_string());
                }
                (a, b) => panic!("{:?}: {a:?} against {b:?}", String::from_utf8_lossy(body)),
            }
        }
    }
}
