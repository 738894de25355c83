use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Bytes that [`encode_path_segment`] encodes: everything except RFC 3986
/// unreserved characters and the sub-delims / pchar that Graph ids use
/// (`! $ & ' ( ) * + , ; = : @`), which carry no meaning inside a segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Percent-encodes `value` for use as one path segment, such as an id in
/// `/users/{id}`.
///
/// `/`, `?`, `#`, `%`, spaces, braces, controls and all non-ASCII characters
/// are encoded, so the value can neither add segments nor start a query or a
/// fragment. Values that need no encoding are returned borrowed.
///
/// The segments `.` and `..` contain nothing to encode, yet URL parsers
/// resolve them; [`Request::send`](super::Request::send) therefore refuses
/// paths that contain them (or empty segments) instead of sending a request
/// to another resource.
///
/// ```ignore
/// assert_eq!(encode_path_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
/// assert_eq!(encode_path_segment("adele@contoso.com"), "adele@contoso.com");
/// ```
pub fn encode_path_segment(value: &str) -> Cow<'_, str> {
    utf8_percent_encode(value, SEGMENT).into()
}

/// Percent-encodes `value` for use inside a quoted OData string literal in a
/// path, such as the `{period}` of `getEmailActivityCounts(period='{period}')`
/// or a key `users('{id}')`: a `'` is doubled, as OData escapes it, so the
/// value cannot end the literal early, then the result is encoded as
/// [`encode_path_segment`] does.
///
/// ```ignore
/// assert_eq!(encode_path_string_literal("O'Neil"), "O''Neil");
/// ```
pub fn encode_path_string_literal(value: &str) -> String {
    encode_path_segment(&value.replace('\'', "''")).into_owned()
}

/// Bytes that [`encode_drive_path`] encodes in each part: those of
/// [`encode_path_segment`] and `:`, which would end the path early.
const DRIVE_PART: &AsciiSet = &SEGMENT.add(b':');

/// Percent-encodes a OneDrive item path for `root:/{path}:` addressing, such
/// as `Documents/Q3 report.docx`: each `/`-separated part is encoded as a
/// segment and `:` as well, so the value can only name an item below the
/// one addressed. Leading, trailing and repeated `/` are dropped; a `.` or
/// `..` part stays as it is and makes [`Request::send`](super::Request::send)
/// refuse the request rather than address another item.
///
/// ```ignore
/// assert_eq!(encode_drive_path("/Documents/Q3: report.docx"), "Documents/Q3%3A%20report.docx");
/// ```
pub fn encode_drive_path(path: &str) -> String {
    path.split('/')
        .filter(|part| !part.is_empty())
        .map(|part| utf8_percent_encode(part, DRIVE_PART).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Checks a base-relative, already encoded path for segments that would make
/// the URL parser address something else than the caller meant.
pub(super) fn check_relative_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!("path {path:?} does not start with '/'"));
    }
    if path.len() == 1 {
        return Ok(());
    }
    // Only the path part counts; a '?' or '#' here came from the caller, not
    // from an encoded segment, and the URL parser will split on it.
    let end = path.find(['?', '#']).unwrap_or(path.len());
    for segment in path[1..end].split('/') {
        if segment.is_empty() {
            return Err(format!(
                "path {path:?} contains an empty segment (an empty id?)"
            ));
        }
        if is_dot_segment(segment) {
            return Err(format!(
                "path {path:?} contains the dot segment {segment:?}"
            ));
        }
    }
    Ok(())
}

/// `.` and `..`, including the percent-encoded spellings that WHATWG URL
/// parsing also resolves.
fn is_dot_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "." | "%2e" | ".." | ".%2e" | "%2e." | "%2e%2e"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drive_paths_keep_their_folders_and_cannot_end_early() {
        assert_eq!(
            encode_drive_path("/Documents/Q3: report.docx"),
            "Documents/Q3%3A%20report.docx"
        );
        assert_eq!(encode_drive_path("a//b/"), "a/b");
        assert_eq!(encode_drive_path("x?y#z%"), "x%3Fy%23z%25");
        // A dot part stays, so sending refuses it.
        let path = format!("/me/drive/root:/{}:", encode_drive_path("../../users"));
        assert!(check_relative_path(&path).is_err());
    }

    #[test]
    fn string_literals_cannot_be_ended_by_their_value() {
        assert_eq!(encode_path_string_literal("D7"), "D7");
        assert_eq!(encode_path_string_literal("O'Neil"), "O''Neil");
        assert_eq!(encode_path_string_literal("x')/evil('"), "x'')%2Fevil(''");
    }

    #[test]
    fn keeps_unreserved_and_graph_safe_characters() {
        let safe = "AZaz09-._~!$&'()*+,;=:@";
        assert!(matches!(encode_path_segment(safe), Cow::Borrowed(s) if s == safe));
        assert_eq!(
            encode_path_segment("adele@contoso.com"),
            "adele@contoso.com"
        );
        assert_eq!(encode_path_segment("AAMkAGI2TGuLAAA="), "AAMkAGI2TGuLAAA=");
    }

    #[test]
    fn encodes_structural_characters() {
        assert_eq!(encode_path_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(encode_path_segment("../"), "..%2F");
        assert_eq!(encode_path_segment("../../me"), "..%2F..%2Fme");
        assert_eq!(encode_path_segment("100%"), "100%25");
        assert_eq!(encode_path_segment("a b"), "a%20b");
        assert_eq!(encode_path_segment("{id}"), "%7Bid%7D");
        assert_eq!(encode_path_segment("a\\b"), "a%5Cb");
        assert_eq!(encode_path_segment("\"<>|^`"), "%22%3C%3E%7C%5E%60");
        assert_eq!(encode_path_segment("\n\t\0"), "%0A%09%00");
        assert_eq!(encode_path_segment("é日"), "%C3%A9%E6%97%A5");
        assert_eq!(encode_path_segment(""), "");
    }

    #[test]
    fn encoded_segments_never_split_the_path() {
        for nasty in ["a/b", "?x", "#f", "%2F", "a\\b", " /", "日/本"] {
            let encoded = encode_path_segment(nasty);
            assert!(
                !encoded.contains(['/', '?', '#', '\\', ' ']),
                "{nasty:?} -> {encoded:?}"
            );
            // Every '%' starts an escape we produced, so decoding gives the input back.
            let decoded = percent_encoding::percent_decode_str(&encoded).decode_utf8();
            assert_eq!(decoded.ok().as_deref(), Some(nasty));
        }
    }

    #[test]
    fn checks_relative_paths() {
        assert_eq!(check_relative_path("/"), Ok(()));
        assert_eq!(check_relative_path("/me"), Ok(()));
        assert_eq!(check_relative_path("/users/a%2Fb/messages"), Ok(()));
        assert_eq!(check_relative_path("/users/...x/$value"), Ok(()));
        assert_eq!(
            check_relative_path("/me/drive/root:/a.txt:/content"),
            Ok(())
        );
        assert_eq!(check_relative_path("/users/x?$select=id"), Ok(()));

        for bad in [
            "me",
            "",
            "/users//messages",
            "/users/",
            "/users/../me",
            "/users/..",
            "/users/./x",
            "/users/%2E%2e/x",
            "/users/.%2E",
            "/users/%2e",
        ] {
            assert!(check_relative_path(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
