//! Documented request headers and the runtime's typed helpers for them
//! (`runtime/src/request_headers.rs`): which helper sets a header a page
//! documents, for the functions' docs and for the replay test, which sends
//! the examples' headers through the helpers.

/// A call of one of `runtime::Request`'s header helpers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Helper {
    /// The method, such as `prefer_time_zone`.
    pub method: &'static str,
    /// Its argument: none, or the value an example shows, when it takes one.
    pub arg: Arg,
}

/// The argument of a helper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// The helper takes none.
    None,
    /// The helper takes text; the page shows no value for it.
    UnknownText,
    /// The helper takes a number; the page shows no value for it.
    UnknownNumber,
    /// Text the page shows.
    Text(String),
    /// A number the page shows.
    Number(u32),
}

impl Helper {
    fn new(method: &'static str, arg: Arg) -> Helper {
        Helper { method, arg }
    }

    /// The call as Rust source, such as `.prefer_max_page_size(2)`, when
    /// its argument is known.
    pub fn call(&self) -> Option<String> {
        let arg = match &self.arg {
            Arg::None => String::new(),
            Arg::Text(text) => format!("{text:?}"),
            Arg::Number(n) => n.to_string(),
            Arg::UnknownText | Arg::UnknownNumber => return None,
        };
        Some(format!(".{}({arg})", self.method))
    }
}

/// The headers (lowercase) that have typed helpers, besides `Range` (a
/// download's, set with numbers): what `docgen mock --strict` checks a
/// request carries when its example shows them.
pub const TYPED_HEADERS: &[&str] = &[
    "accept-language",
    "consistencylevel",
    "content-language",
    "if-match",
    "if-none-match",
    "prefer",
    "workbook-session-id",
];

/// The helpers that set header `name` to `value` (or, with no value, that
/// set that header at all). Empty when the runtime has no helper for it:
/// `.header(name, value)` does it then.
pub fn helpers(name: &str, value: Option<&str>) -> Vec<Helper> {
    let text = |method| {
        let arg = value.map_or(Arg::UnknownText, |v| Arg::Text(v.to_owned()));
        vec![Helper::new(method, arg)]
    };
    match name.to_ascii_lowercase().as_str() {
        "consistencylevel" => match value {
            Some(v) if !v.trim().eq_ignore_ascii_case("eventual") => Vec::new(),
            _ => vec![Helper::new("consistency_level_eventual", Arg::None)],
        },
        "prefer" => value.map_or_else(Vec::new, |v| {
            split_preferences(v)
                .iter()
                .map(|p| preference_helper(p))
                .collect()
        }),
        "if-match" => text("if_match"),
        "if-none-match" => text("if_none_match"),
        "workbook-session-id" => text("workbook_session_id"),
        "accept-language" => text("accept_language"),
        "content-language" => text("content_language"),
        // `range(first, last)` on a download: its arguments are numbers the
        // docs' `bytes=0-1023` would need reading; documented, not replayed.
        "range" => vec![Helper::new("range", Arg::UnknownNumber)],
        _ => Vec::new(),
    }
}

/// The helper for one preference of a `Prefer` value: a named one, or
/// `prefer(…)` with the preference as written.
fn preference_helper(preference: &str) -> Helper {
    let (name, value) = match preference.split_once('=') {
        Some((name, value)) => (name.trim(), Some(unquote(value.trim()))),
        None => (preference.trim(), None),
    };
    let value_is = |expected: &str| {
        value
            .as_deref()
            .is_some_and(|v| v.eq_ignore_ascii_case(expected))
    };
    let named = match name.to_ascii_lowercase().as_str() {
        "outlook.timezone" => Some(Helper::new(
            "prefer_time_zone",
            value.clone().map_or(Arg::UnknownText, Arg::Text),
        )),
        "outlook.body-content-type" if value_is("text") => {
            Some(Helper::new("prefer_text_body", Arg::None))
        }
        "outlook.body-content-type" if value_is("html") => {
            Some(Helper::new("prefer_html_body", Arg::None))
        }
        "outlook.body-content-type" if value.is_none() => {
            Some(Helper::new("prefer_text_body", Arg::None))
        }
        "return" if value_is("minimal") => Some(Helper::new("prefer_return_minimal", Arg::None)),
        "return" if value_is("representation") => {
            Some(Helper::new("prefer_return_representation", Arg::None))
        }
        "odata.maxpagesize" => match &value {
            None => Some(Helper::new("prefer_max_page_size", Arg::UnknownNumber)),
            Some(v) => v
                .parse()
                .ok()
                .map(|n| Helper::new("prefer_max_page_size", Arg::Number(n))),
        },
        "respond-async" if value.is_none() => Some(Helper::new("prefer_respond_async", Arg::None)),
        "idtype" if value_is("immutableid") => Some(Helper::new("prefer_immutable_id", Arg::None)),
        _ => None,
    };
    named.unwrap_or_else(|| Helper::new("prefer", Arg::Text(preference.trim().to_owned())))
}

/// A quoted-string's text; other values as they are.
fn unquote(value: &str) -> String {
    match value
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => value.to_owned(),
    }
}

/// The preferences of a `Prefer` value, split at commas outside quotes.
pub fn split_preferences(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in value.chars() {
        match c {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(name: &str, value: &str) -> Vec<Option<String>> {
        helpers(name, Some(value))
            .iter()
            .map(Helper::call)
            .collect()
    }

    #[test]
    fn documented_values_become_helper_calls() {
        assert_eq!(
            calls("ConsistencyLevel", "eventual"),
            [Some(".consistency_level_eventual()".to_owned())]
        );
        assert_eq!(
            calls(
                "Prefer",
                "outlook.timezone=\"Pacific Standard Time\", outlook.body-content-type=\"text\""
            ),
            [
                Some(".prefer_time_zone(\"Pacific Standard Time\")".to_owned()),
                Some(".prefer_text_body()".to_owned())
            ]
        );
        assert_eq!(
            calls("prefer", "odata.maxpagesize=2"),
            [Some(".prefer_max_page_size(2)".to_owned())]
        );
        assert_eq!(
            calls("Prefer", "return=minimal"),
            [Some(".prefer_return_minimal()".to_owned())]
        );
        assert_eq!(
            calls("Prefer", "respond-async"),
            [Some(".prefer_respond_async()".to_owned())]
        );
        assert_eq!(
            calls("Prefer", "odata.track-changes"),
            [Some(".prefer(\"odata.track-changes\")".to_owned())]
        );
        assert_eq!(
            calls("If-Match", "W/\"JzE=\""),
            [Some(".if_match(\"W/\\\"JzE=\\\"\")".to_owned())]
        );
        assert!(calls("X-Custom", "1").is_empty());
        assert!(calls("ConsistencyLevel", "session").is_empty());
    }

    #[test]
    fn every_typed_header_has_a_helper() {
        for name in TYPED_HEADERS {
            let sample = match *name {
                "consistencylevel" => "eventual",
                "prefer" => "respond-async",
                _ => "value",
            };
            assert!(!helpers(name, Some(sample)).is_empty(), "{name}");
        }
    }

    #[test]
    fn a_table_row_without_a_value_names_the_helper_only() {
        let found = helpers("Prefer", Some("outlook.timezone"));
        assert_eq!(found[0].method, "prefer_time_zone");
        assert_eq!(found[0].call(), None);
        assert_eq!(
            helpers("ConsistencyLevel", None)[0].method,
            "consistency_level_eventual"
        );
        assert!(helpers("Prefer", None).is_empty());
    }
}
