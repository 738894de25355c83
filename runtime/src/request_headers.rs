//! Typed helpers for the request headers the Graph pages document:
//! `ConsistencyLevel`, the `Prefer` preferences, ETags, workbook sessions and
//! languages.
//!
//! They are headers of the [`Request`], so they go with every page of a
//! paged request (`pages()`, `items()`, `all()`) and with every retry; the
//! kiota-built SDKs drop them after the first page.

use reqwest::header::HeaderValue;

use super::request::Request;

/// The `Prefer` header's name.
const PREFER: &str = "Prefer";

impl<T> Request<T> {
    /// `ConsistencyLevel: eventual`: the advanced queries on directory objects
    /// (`$count`, `$search`, `$filter` with `endsWith`, `$orderby` on some
    /// properties) need it, and read an index that may lag recent changes.
    pub fn consistency_level_eventual(self) -> Self {
        self.header("ConsistencyLevel", "eventual")
    }

    /// Adds one preference to the `Prefer` header (RFC 7240), such as
    /// `odata.track-changes`. A preference of the same name set earlier is
    /// replaced; others are kept, so several can be combined in one header.
    pub fn prefer(self, preference: &str) -> Self {
        let preference = preference.trim();
        let name = preference_name(preference);
        let mut kept: Vec<String> = self
            .header_str(PREFER)
            .map(split_preferences)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| !preference_name(p).eq_ignore_ascii_case(name))
            .collect();
        if !preference.is_empty() {
            kept.push(preference.to_owned());
        }
        self.header(PREFER, &kept.join(", "))
    }

    /// `Prefer: outlook.timezone="…"`: Outlook answers with dates and times in
    /// this time zone (a Windows name such as `Pacific Standard Time`, or an
    /// IANA one) instead of UTC.
    pub fn prefer_time_zone(self, time_zone: &str) -> Self {
        self.prefer(&format!("outlook.timezone={}", quoted(time_zone)))
    }

    /// `Prefer: outlook.body-content-type="text"`: message and event bodies
    /// come back as plain text.
    pub fn prefer_text_body(self) -> Self {
        self.prefer("outlook.body-content-type=\"text\"")
    }

    /// `Prefer: outlook.body-content-type="html"`: message and event bodies
    /// come back as HTML (the default).
    pub fn prefer_html_body(self) -> Self {
        self.prefer("outlook.body-content-type=\"html\"")
    }

    /// `Prefer: return=minimal`: a successful write answers `204 No Content`
    /// instead of the resource; on a delta query, only changed properties.
    ///
    /// A write typed to return the resource then gets no body to decode:
    /// follow with [`ignore_response`](Self::ignore_response), e.g.
    /// `event.update(&changes).prefer_return_minimal().ignore_response().await?`.
    pub fn prefer_return_minimal(self) -> Self {
        self.prefer("return=minimal")
    }

    /// `Prefer: return=representation`: a write answers with the resource.
    pub fn prefer_return_representation(self) -> Self {
        self.prefer("return=representation")
    }

    /// `Prefer: odata.maxpagesize=n`: pages of at most `n` items, where
    /// `$top` is not supported (delta queries, some directory lists).
    pub fn prefer_max_page_size(self, n: u32) -> Self {
        self.prefer(&format!("odata.maxpagesize={n}"))
    }

    /// `Prefer: respond-async`: the service may answer `202 Accepted` and
    /// finish the work later.
    pub fn prefer_respond_async(self) -> Self {
        self.prefer("respond-async")
    }

    /// `Prefer: IdType="ImmutableId"`: Outlook ids that stay the same when
    /// an item moves to another folder.
    pub fn prefer_immutable_id(self) -> Self {
        self.prefer("IdType=\"ImmutableId\"")
    }

    /// `If-Match: <etag>`: the write happens only if the resource still has
    /// this ETag (Planner requires it), else `412 Precondition Failed`.
    pub fn if_match(self, etag: &str) -> Self {
        self.header("If-Match", etag)
    }

    /// `If-None-Match: <etag>`: `304 Not Modified` instead of the content
    /// when it still has this ETag.
    pub fn if_none_match(self, etag: &str) -> Self {
        self.header("If-None-Match", etag)
    }

    /// `Workbook-Session-Id: <id>`: the Excel session (from
    /// `createSession`) in which the request runs, so that its changes are
    /// kept or discarded with the session.
    pub fn workbook_session_id(self, id: &str) -> Self {
        self.header("Workbook-Session-Id", id)
    }

    /// `Accept-Language: <language>`, such as `fr` or `en-US`.
    pub fn accept_language(self, language: &str) -> Self {
        self.header("Accept-Language", language)
    }

    /// `Content-Language: <language>`, the language of the text sent.
    pub fn content_language(self, language: &str) -> Self {
        self.header("Content-Language", language)
    }

    /// The value of a header set on this request, if it is text.
    fn header_str(&self, name: &str) -> Option<&str> {
        self.header_value(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    }
}

/// A preference's name: the text before `=`, `;` or the end.
fn preference_name(preference: &str) -> &str {
    preference
        .split(['=', ';'])
        .next()
        .unwrap_or_default()
        .trim()
}

/// The preferences of a `Prefer` value, split at commas outside quotes.
fn split_preferences(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    out.push(current);
    out.into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// `text` as an RFC 7230 quoted string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::super::client::Client;
    use super::*;
    use reqwest::Method;

    fn request() -> Request<()> {
        Client::builder()
            .base_url("https://graph.example/v1.0/")
            .build()
            .expect("client")
            .request(Method::GET, "/me/events")
    }

    #[test]
    fn preferences_combine_and_replace_their_own_kind() {
        let request = request()
            .prefer_time_zone("Pacific Standard Time")
            .prefer_text_body()
            .prefer_max_page_size(10)
            .prefer_html_body()
            .prefer_time_zone("W. Europe \"Standard\" Time");
        assert_eq!(
            request.header_str(PREFER),
            Some(
                "odata.maxpagesize=10, outlook.body-content-type=\"html\", \
                 outlook.timezone=\"W. Europe \\\"Standard\\\" Time\""
            )
        );
        let request = request
            .prefer_return_minimal()
            .prefer_return_representation();
        assert!(
            request
                .header_str(PREFER)
                .is_some_and(|v| v.ends_with(", return=representation") && !v.contains("minimal"))
        );
    }

    #[test]
    fn commas_inside_quotes_stay_in_their_preference() {
        assert_eq!(
            split_preferences(r#"a="x, y", b, c="\"q,\"""#),
            [r#"a="x, y""#, "b", r#"c="\"q,\"""#]
        );
        assert_eq!(preference_name(" return=minimal"), "return");
        assert_eq!(preference_name("respond-async; wait=10"), "respond-async");
    }

    #[test]
    fn a_header_value_that_cannot_be_sent_is_kept_as_the_error() {
        let request = request().prefer_time_zone("bad\nzone");
        let shown = format!("{request:?}");
        assert!(shown.contains("InvalidRequest"), "{shown}");
    }

    #[test]
    fn named_headers() {
        let request = request()
            .consistency_level_eventual()
            .if_match("W/\"abc\"")
            .if_none_match("\"e\"")
            .workbook_session_id("s-1")
            .accept_language("fr")
            .content_language("en-US");
        assert_eq!(request.header_str("consistencylevel"), Some("eventual"));
        assert_eq!(request.header_str("if-match"), Some("W/\"abc\""));
        assert_eq!(request.header_str("If-None-Match"), Some("\"e\""));
        assert_eq!(request.header_str("workbook-session-id"), Some("s-1"));
        assert_eq!(request.header_str("accept-language"), Some("fr"));
        assert_eq!(request.header_str("content-language"), Some("en-US"));
    }
}
