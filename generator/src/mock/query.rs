//! Lenient mode's query options, applied to a documented response: `$top`
//! and `$skip` page through a documented collection's `value` array (with an
//! `@odata.nextLink` back at the mock for the rest), `$select` keeps the
//! named members, `$count=true` adds `@odata.count`.
//!
//! An application under test sends its own options, and a documented
//! example answers them as Graph would, as far as the example's items go.
//! Other options (`$filter`, `$orderby`, `$expand`, `$search`, …) only
//! choose among examples (see `routes.rs`); they are not evaluated.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Map, Value};

/// The options this module applies, read from a request's query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `$top`: at most this many items on the page.
    top: Option<usize>,
    /// `$skip`: items left out before the page starts.
    skip: usize,
    /// `$select`: the members kept, lowercase; `None` keeps all.
    select: Option<Vec<String>>,
    /// `$count=true`.
    count: bool,
}

/// A query option Graph would refuse: the message of a 400.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadQuery(pub String);

/// Where the request was sent: what a next page's link is made from.
#[derive(Clone, Copy, Debug)]
pub struct Here<'a> {
    /// `http://host:port`, as the client reached the mock.
    pub origin: &'a str,
    /// The request path as sent (percent-encoded, `/v1.0` kept if given).
    pub path: &'a str,
    /// The request query as sent, without `?`.
    pub query: &'a str,
}

/// Characters escaped in a next link's query. `$`, `,`, `'`, `(`, `)`, `/`
/// and `:` stay readable, as in Graph's own links; what would end or split
/// an option (`&`, `=`, `#`, `+`, `%`, space) is escaped.
const LINK_QUERY: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

impl Options {
    /// The options of a query string (without `?`).
    ///
    /// # Errors
    ///
    /// A `$top` or `$skip` that is not a non-negative integer (or too large
    /// for one), a `$count` other than `true` or `false`, an empty
    /// `$select`, or one of these options given twice: Graph answers 400.
    pub fn parse(query: &str) -> Result<Options, BadQuery> {
        let mut options = Options::default();
        let mut seen: Vec<String> = Vec::new();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let name = name.trim().to_ascii_lowercase();
            let value = value.trim();
            let known = matches!(name.as_str(), "$top" | "$skip" | "$select" | "$count");
            if !known {
                continue;
            }
            if seen.contains(&name) {
                return Err(BadQuery(format!(
                    "Query option '{name}' was specified more than once, but it must be specified at most once."
                )));
            }
            seen.push(name.clone());
            match name.as_str() {
                "$top" => options.top = Some(count_value(&name, value)?),
                "$skip" => options.skip = count_value(&name, value)?,
                "$count" => {
                    options.count = match value.to_ascii_lowercase().as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(BadQuery(format!(
                                "Invalid value '{value}' for $count query option: it must be 'true' or 'false'."
                            )));
                        }
                    }
                }
                _ => {
                    let names: Vec<String> = value
                        .split(',')
                        .map(|n| n.trim().to_ascii_lowercase())
                        .filter(|n| !n.is_empty())
                        .collect();
                    if names.is_empty() {
                        return Err(BadQuery(
                            "The $select query option must name at least one property.".to_owned(),
                        ));
                    }
                    options.select = Some(names);
                }
            }
        }
        Ok(options)
    }

    /// The documented body as these options would have it, or `None` when
    /// the documented text is the answer as it is (nothing changes, or the
    /// body is not a JSON object: lenient JSON is served as written).
    ///
    /// A collection's documented `@odata.nextLink` is replaced: it points
    /// at the real service (a client following it would leave the mock),
    /// and the mock's pages already run through every documented item.
    /// Its `@odata.count` is there only with `$count=true`, and is then the
    /// number of documented items, the number a client paging through gets.
    pub fn apply(&self, documented: &str, here: Here<'_>) -> Option<String> {
        let Ok(Value::Object(original)) = serde_json::from_str::<Value>(documented) else {
            return None;
        };
        let mut body = original.clone();
        if let Some(Value::Array(items)) = body.get("value") {
            let total = items.len();
            let page: Vec<Value> = items
                .iter()
                .skip(self.skip)
                .take(self.top.unwrap_or(usize::MAX))
                .map(|item| self.selected(item.clone()))
                .collect();
            let mut annotations = Map::new();
            if self.count {
                annotations.insert("@odata.count".to_owned(), Value::from(total));
            }
            if let Some(next) = self.next_skip(total) {
                let link = next_link(here, next);
                annotations.insert("@odata.nextLink".to_owned(), Value::String(link));
            }
            body = paged(&original, annotations, page);
        } else if self.select.is_some() {
            body = match self.selected(Value::Object(body)) {
                Value::Object(map) => map,
                _ => return None,
            };
        }
        if body == original {
            return None;
        }
        serde_json::to_string_pretty(&Value::Object(body)).ok()
    }

    /// Where the next page starts, if this one ends before the documented
    /// items do. `$top=0` has no next page: a link that does not move on
    /// would send a client round in circles.
    fn next_skip(&self, total: usize) -> Option<usize> {
        let top = self.top.filter(|&t| t > 0)?;
        let next = self.skip.saturating_add(top);
        (next < total).then_some(next)
    }

    /// An item with only the `$select`ed members, plus `id` and every
    /// `@odata.*` annotation, and each selected member's own annotations
    /// (`member@odata.…`). Non-objects pass. `id` and the annotations stay
    /// because a client needs the key to address the item and
    /// `@odata.type` to read a derived type; Outlook answers so too (a
    /// directory `$select` leaves `id` out, which strict mode can serve).
    fn selected(&self, item: Value) -> Value {
        let (Some(names), Value::Object(members)) = (&self.select, &item) else {
            return item;
        };
        if names.iter().any(|n| n == "*") {
            return item;
        }
        let kept: Map<String, Value> = members
            .iter()
            .filter(|(key, _)| {
                let key = key.to_ascii_lowercase();
                let member = key.split('@').next().unwrap_or_default();
                key.starts_with("@odata.") || key == "id" || names.iter().any(|n| n == member)
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Value::Object(kept)
    }
}

/// The documented collection with `page` for its items, without its own
/// `@odata.count` and `@odata.nextLink`, and with `annotations` just
/// before `value`, where Graph writes them.
fn paged(
    documented: &Map<String, Value>,
    mut annotations: Map<String, Value>,
    page: Vec<Value>,
) -> Map<String, Value> {
    let mut body = Map::new();
    let mut page = Some(page);
    for (key, value) in documented {
        match key.as_str() {
            "@odata.count" | "@odata.nextLink" => {}
            "value" => {
                body.append(&mut annotations);
                body.insert(key.clone(), Value::Array(page.take().unwrap_or_default()));
            }
            _ => {
                body.insert(key.clone(), value.clone());
            }
        }
    }
    body
}

/// A `$top` or `$skip` value: a non-negative integer.
fn count_value(name: &str, value: &str) -> Result<usize, BadQuery> {
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| value.parse::<usize>().ok()).flatten().ok_or_else(|| {
        BadQuery(format!(
            "Invalid value '{value}' for {name} query option found. The {name} query option requires a non-negative integer value."
        ))
    })
}

/// The link to the page starting at item `skip`: this request, with its
/// `$skip` (wherever it was) set to the new start, or `$skip` added.
fn next_link(here: Here<'_>, skip: usize) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(here.query.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    let skip = skip.to_string();
    match pairs
        .iter_mut()
        .find(|(n, _)| n.trim().eq_ignore_ascii_case("$skip"))
    {
        Some(pair) => pair.1 = skip,
        None => pairs.push(("$skip".to_owned(), skip)),
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(n, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(n, LINK_QUERY),
                utf8_percent_encode(v, LINK_QUERY)
            )
        })
        .collect();
    format!("{}{}?{}", here.origin, here.path, query.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const HERE: Here<'static> = Here {
        origin: "http://127.0.0.1:8080",
        path: "/v1.0/me/messages",
        query: "",
    };

    fn here(query: &'static str) -> Here<'static> {
        Here { query, ..HERE }
    }

    fn messages() -> String {
        json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#messages",
            "@odata.nextLink": "https://graph.microsoft.com/v1.0/me/messages?$skiptoken=abc",
            "value": [
                {"@odata.etag": "W/\"1\"", "id": "m1", "subject": "one", "sender@odata.type": "x", "sender": {"name": "a"}, "isRead": true},
                {"@odata.etag": "W/\"2\"", "id": "m2", "subject": "two", "sender": {"name": "b"}, "isRead": false},
                {"@odata.etag": "W/\"3\"", "id": "m3", "subject": "three", "sender": {"name": "c"}, "isRead": true}
            ]
        })
        .to_string()
    }

    fn applied(query: &'static str) -> Value {
        let options = Options::parse(query).expect("valid options");
        let text = options
            .apply(&messages(), here(query))
            .expect("the body changes");
        serde_json::from_str(&text).expect("JSON")
    }

    fn ids(body: &Value) -> Vec<&str> {
        body["value"]
            .as_array()
            .map(|items| items.iter().filter_map(|i| i["id"].as_str()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn top_pages_with_a_next_link_back_at_the_mock() {
        let first = applied("$top=1");
        assert_eq!(ids(&first), ["m1"]);
        assert_eq!(
            first["@odata.nextLink"],
            "http://127.0.0.1:8080/v1.0/me/messages?$top=1&$skip=1"
        );
        let second = applied("$top=1&$skip=1");
        assert_eq!(ids(&second), ["m2"]);
        assert_eq!(
            second["@odata.nextLink"],
            "http://127.0.0.1:8080/v1.0/me/messages?$top=1&$skip=2"
        );
        let last = applied("$top=1&$skip=2");
        assert_eq!(ids(&last), ["m3"]);
        assert!(last.get("@odata.nextLink").is_none(), "{last}");
        // The documented context stays; the documented link to the real
        // service never reaches the client.
        assert_eq!(
            last["@odata.context"],
            "https://graph.microsoft.com/v1.0/$metadata#messages"
        );
    }

    #[test]
    fn skip_alone_and_past_the_end() {
        let body = applied("$skip=1");
        assert_eq!(ids(&body), ["m2", "m3"]);
        assert!(body.get("@odata.nextLink").is_none());
        let body = applied("$skip=18446744073709551615&$top=5");
        assert_eq!(ids(&body), Vec::<&str>::new());
        assert!(body.get("@odata.nextLink").is_none());
        // $top=0: an empty page, and no link that would not move on.
        let body = applied("$top=0");
        assert_eq!(ids(&body), Vec::<&str>::new());
        assert!(body.get("@odata.nextLink").is_none());
    }

    #[test]
    fn next_link_keeps_other_options_and_escapes_what_would_split_them() {
        let body = applied("$filter=subject%20eq%20'a%26b'&$TOP=2&$select=subject");
        assert_eq!(
            body["@odata.nextLink"],
            "http://127.0.0.1:8080/v1.0/me/messages?$filter=subject%20eq%20'a%26b'&$TOP=2&$select=subject&$skip=2"
        );
        // Read back as the mock reads it, the link asks for the same.
        let link = body["@odata.nextLink"].as_str().expect("link");
        let query = link.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(pairs[0], ("$filter".into(), "subject eq 'a&b'".into()));
    }

    #[test]
    fn select_keeps_the_named_members_id_and_annotations() {
        let body = applied("$select=Subject,sender");
        let first = &body["value"][0];
        let mut keys: Vec<&str> = first
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "@odata.etag",
                "id",
                "sender",
                "sender@odata.type",
                "subject"
            ]
        );
        assert!(body["value"][1].get("isRead").is_none());
        // `*` is every member; a single entity is selected too.
        assert!(
            Options::parse("$select=*")
                .expect("valid")
                .apply(&messages(), HERE)
                .is_some_and(|t| t.contains("isRead"))
        );
        let entity = r#"{"@odata.context": "c", "id": "u1", "displayName": "Ann", "mail": "a@b"}"#;
        let text = Options::parse("$select=displayName")
            .expect("valid")
            .apply(entity, HERE)
            .expect("changes");
        let value: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            value,
            json!({"@odata.context": "c", "id": "u1", "displayName": "Ann"})
        );
    }

    #[test]
    fn count_is_the_number_of_documented_items() {
        let body = applied("$count=true&$top=1");
        assert_eq!(body["@odata.count"], 3);
        assert_eq!(ids(&body), ["m1"]);
        assert!(applied("$count=false").get("@odata.count").is_none());
    }

    #[test]
    fn bodies_nothing_applies_to_are_served_as_written() {
        let plain = Options::parse("").expect("valid");
        let collection = r#"{"value": [{"id": "1"}]}"#;
        assert_eq!(plain.apply(collection, HERE), None);
        assert_eq!(plain.apply(r#"{"id": "1"}"#, HERE), None);
        let top = Options::parse("$top=5").expect("valid");
        assert_eq!(top.apply(collection, HERE), None);
        // Lenient JSON, text, arrays: as documented, whatever was asked.
        for body in ["{id: 1, // comment\n}", "not json", "[1, 2]", ""] {
            assert_eq!(top.apply(body, HERE), None, "{body}");
        }
        // The documented link to the real service goes even with no option.
        let linked = r#"{"value": [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/x"}"#;
        assert_eq!(
            plain.apply(linked, HERE).as_deref().map(str::trim),
            Some("{\n  \"value\": []\n}")
        );
    }

    #[test]
    fn invalid_options_are_refused_as_graph_does() {
        for query in [
            "$top=abc",
            "$top=-1",
            "$top=",
            "$top=1.5",
            "$top=99999999999999999999999",
            "$skip=-3",
            "$count=yes",
            "$select=,",
            "$top=1&$top=2",
            "$TOP=1&$top=1",
        ] {
            let error = Options::parse(query).expect_err(query);
            assert!(error.0.contains('$'), "{query}: {}", error.0);
        }
        assert!(
            Options::parse("$top=abc")
                .expect_err("bad")
                .0
                .contains("'abc'")
        );
    }

    #[test]
    fn other_and_malformed_options_are_ignored() {
        for query in [
            "$filter=x%20eq%201",
            "%ZZ=%",
            "&&=&",
            "top=abc",
            "$orderby=subject desc",
            "\u{fffd}=\u{0}",
        ] {
            assert_eq!(Options::parse(query), Ok(Options::default()), "{query}");
        }
        assert_eq!(
            Options::parse(" $top = 2 ").map(|o| o.top),
            Ok(Some(2)),
            "spaces around a name or value are not the option's"
        );
    }
}
