//! The names docgen gave, written beside the output (`docgen-names.json`) and
//! read back on the next run, so a name once given stays: a page that adds a
//! colliding type or body gets a new name for the newcomer instead of
//! renaming what users already call. Like `Cargo.lock`, it is committed with
//! the output; deleting it lets docgen name everything afresh.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The file's name, at the root of the output folder.
pub const NAMES_FILE: &str = "docgen-names.json";

/// Rust names by what they name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    /// Type names: by IR reference name (`user`), `any <name>` for an `Any…`
    /// enum, `body <METHOD> <path> @<page>` for a parameter body struct.
    ///
    /// Request builders and their methods need no entry: their names come from
    /// the path segments alone, so they cannot move when a page is added.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
}

impl Names {
    /// Reads a names file; `None` if it is not one (then everything is named afresh).
    pub fn parse(text: &str) -> Option<Names> {
        serde_json::from_str(text).ok()
    }

    /// The file's contents: pretty JSON, keys sorted, ending in a newline.
    pub fn to_file(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The key of a function (or of its operation's body struct): the method,
/// the path (lowercase, placeholders written `{}`) and the page documenting
/// the operation, since several pages may document one path for different
/// types: `POST /deviceappmanagement/mobileapps @api/intune-apps-iosstoreapp-create.md`.
pub fn function_key(method: &str, path: &str, page: &str) -> String {
    format!("{} @{page}", path_key(method, path))
}

/// The method and the path, lowercase, placeholders written `{}`:
/// `GET /users/{}/messages`.
pub fn path_key(method: &str, path: &str) -> String {
    let mut key = format!("{} ", method.to_ascii_uppercase());
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '{' | '<' => {
                if depth == 0 {
                    key.push_str("{}");
                }
                depth += 1;
            }
            '}' | '>' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            c => key.push(c.to_ascii_lowercase()),
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_other_files() {
        let mut names = Names::default();
        names.types.insert("user".into(), "User".into());
        assert_eq!(Names::parse(&names.to_file()), Some(names));
        // A file of an earlier version, with function names, still reads.
        let old = r#"{"types": {"user": "User"}, "functions": {"GET /users/{}": "get_user"}}"#;
        assert_eq!(Names::parse(old).map(|n| n.types.len()), Some(1));
        assert_eq!(Names::parse("not json"), None);
        assert_eq!(Names::parse("{}"), Some(Names::default()));
    }

    #[test]
    fn path_keys_ignore_placeholder_names_and_case() {
        assert_eq!(
            path_key(
                "get",
                "/users/{id | userPrincipalName}/mailFolders/<folder-id>"
            ),
            "GET /users/{}/mailfolders/{}"
        );
        assert_eq!(
            path_key("GET", "/users/{user-id}/mailFolders/{id}"),
            path_key("GET", "/Users/{x}/MailFolders/{y}")
        );
    }
}
