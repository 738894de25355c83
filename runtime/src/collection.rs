use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One page of an OData collection response: `{"value": [...], "@odata.nextLink": "..."}`.
///
/// Fetch the next page with [`Client::follow_link`](super::Client::follow_link)
/// while [`next_link`](Self::next_link) is `Some`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Collection<T> {
    /// The items on this page.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// `@odata.nextLink`: the URL of the next page, if there is one.
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// `@odata.deltaLink`: the URL to fetch later changes, on the last page of a delta query.
    #[serde(
        rename = "@odata.deltaLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub delta_link: Option<String>,
    /// `@odata.count`: the total number of items, when requested with `$count=true`.
    #[serde(
        rename = "@odata.count",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<i64>,
    /// `@odata.context`: the metadata URL describing the payload.
    #[serde(
        rename = "@odata.context",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub context: Option<String>,
    /// Any other top-level properties, such as `@odata.type` or annotations.
    #[serde(flatten)]
    pub additional_properties: Map<String, Value>,
}

// Not derived: that would require `T: Default`, which an empty page does not need.
impl<T> Default for Collection<T> {
    fn default() -> Self {
        Collection {
            value: Vec::new(),
            next_link: None,
            delta_link: None,
            count: None,
            context: None,
            additional_properties: Map::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct User {
        id: String,
    }

    #[test]
    fn decodes_a_page() {
        let page: Collection<User> = serde_json::from_value(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
            "@odata.count": 42,
            "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=abc",
            "@odata.type": "#microsoft.graph.user",
            "value": [{"id": "1"}, {"id": "2"}]
        }))
        .expect("valid page");
        assert_eq!(
            page.value,
            vec![User { id: "1".into() }, User { id: "2".into() }]
        );
        assert_eq!(page.count, Some(42));
        assert_eq!(
            page.next_link.as_deref(),
            Some("https://graph.microsoft.com/v1.0/users?$skiptoken=abc")
        );
        assert_eq!(page.delta_link, None);
        assert_eq!(
            page.context.as_deref(),
            Some("https://graph.microsoft.com/v1.0/$metadata#users")
        );
        assert_eq!(
            page.additional_properties,
            json!({"@odata.type": "#microsoft.graph.user"})
                .as_object()
                .cloned()
                .unwrap_or_default()
        );
    }

    #[test]
    fn missing_value_is_an_empty_page() {
        let page: Collection<User> =
            serde_json::from_str(r#"{"@odata.deltaLink": "d"}"#).expect("valid page");
        assert!(page.value.is_empty());
        assert_eq!(page.delta_link.as_deref(), Some("d"));
    }

    #[test]
    fn round_trips_and_skips_absent_links() {
        let page = Collection {
            value: vec![User { id: "1".into() }],
            ..Collection::default()
        };
        let json = serde_json::to_value(&page).expect("serializable");
        assert_eq!(json, json!({"value": [{"id": "1"}]}));
        let back: Collection<User> = serde_json::from_value(json).expect("valid page");
        assert_eq!(back, page);
    }
}
