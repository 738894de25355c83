//! Request targets → documented paths and their segments.
//!
//! Paths keep their placeholders and lose the host and version prefix. Each
//! path is also split into typed segments (literal, parameter, cast, function,
//! key, drive path, `$ref`/`$value`/`$count`), so later stages never re-parse
//! strings.

use serde::Serialize;

/// One segment of a path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Segment {
    /// A fixed name: `users`, `delta`.
    Literal {
        /// The name.
        name: String,
    },
    /// A placeholder for a key: `{user-id}`.
    Param {
        /// The placeholder's name.
        name: String,
    },
    /// A type cast or namespaced name: `microsoft.graph.group`.
    Cast {
        /// The qualified type name.
        name: String,
    },
    /// A function call with arguments: `range(address='{address}')`, `getSchedule()`.
    Function {
        /// The function name.
        name: String,
        /// Arguments as (name, value as written).
        args: Vec<(String, String)>,
    },
    /// A key in parentheses: `worksheets('Sheet1')`, `items({id})`.
    Key {
        /// The collection name.
        name: String,
        /// The key as written, quotes kept.
        key: String,
    },
    /// A OneDrive path: `root:/{item-path}:`.
    DrivePath {
        /// The item the path starts at (`root`, `items/{id}` folds to its last name).
        root: String,
        /// The path between the colons.
        path: String,
    },
    /// `$ref`: the reference itself rather than the object.
    Ref,
    /// `$value`: the raw content.
    Value,
    /// `$count`: the number of items.
    Count,
}

/// A documented target, normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocPath {
    /// The path: leading `/`, no host, no version, no query.
    pub path: String,
    /// The query string, without `?`, when there is one.
    pub query: Option<String>,
}

/// Host and version prefixes: `https://graph.microsoft.com/v1.0`, `/beta`, `~`, `/{version}`.
fn is_version(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase();
    matches!(
        s.as_str(),
        "v1.0" | "v1" | "beta" | "localtest" | "{version}"
    )
}

/// Normalises a request target into a documented path.
pub fn normalise(target: &str) -> DocPath {
    let target = target.trim();
    let without_host = match target.find("://") {
        Some(i) => {
            let after = &target[i + 3..];
            after.find('/').map_or("/", |j| &after[j..])
        }
        None => target,
    };
    let (path, query) = match without_host.split_once('?') {
        Some((p, q)) => (p, Some(q.to_owned())),
        None => (without_host, None),
    };
    let path = path.trim_start_matches('~');
    let mut path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    if let Some(first) = path[1..].split('/').next()
        && is_version(first)
    {
        path = path[1 + first.len()..].to_owned();
        if path.is_empty() {
            path.push('/');
        }
    }
    if path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    DocPath { path, query }
}

/// Expands `{a | b}` alternatives into one path per choice (cartesian product).
pub fn expand_alternatives(path: &str) -> Vec<String> {
    let mut results = vec![String::new()];
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else {
            break;
        };
        for r in &mut results {
            r.push_str(&rest[..open]);
        }
        let inner = &rest[open + 1..close];
        let choices: Vec<&str> = inner
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let choices = if choices.is_empty() {
            vec![""]
        } else {
            choices
        };
        results = results
            .iter()
            .flat_map(|r| choices.iter().map(move |c| format!("{r}{{{c}}}")))
            .collect();
        rest = &rest[close + 1..];
    }
    for r in &mut results {
        r.push_str(rest);
    }
    results
}

/// Splits a normalised path into segments.
pub fn segments(path: &str) -> Vec<Segment> {
    let raw = split_raw(path);
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let seg = raw[i].as_str();
        // `root:` opens a drive path that runs to the next segment ending in `:`.
        if let Some(root) = seg.strip_suffix(':').filter(|r| !r.contains('(')) {
            let mut parts = Vec::new();
            i += 1;
            while i < raw.len() {
                let part = raw[i].as_str();
                i += 1;
                if let Some(last) = part.strip_suffix(':') {
                    parts.push(last.to_owned());
                    break;
                }
                parts.push(part.to_owned());
            }
            out.push(Segment::DrivePath {
                root: root.to_owned(),
                path: parts.join("/"),
            });
            continue;
        }
        out.push(segment(seg));
        i += 1;
    }
    out
}

/// Splits on `/` outside parentheses, braces and quotes.
pub fn split_raw(path: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let mut quote = false;
    for c in path.chars() {
        match c {
            '\'' => quote = !quote,
            '(' | '{' if !quote => depth += 1,
            ')' | '}' if !quote => depth -= 1,
            '/' if depth <= 0 && !quote => {
                if !current.is_empty() {
                    parts.push(std::mem::take(&mut current));
                }
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

fn segment(seg: &str) -> Segment {
    match seg {
        "$ref" => return Segment::Ref,
        "$value" => return Segment::Value,
        "$count" => return Segment::Count,
        _ => {}
    }
    if let Some(name) = placeholder(seg) {
        return Segment::Param { name };
    }
    if let Some(open) = seg.find('(') {
        let name = seg[..open].to_owned();
        let inner = seg[open + 1..]
            .strip_suffix(')')
            .unwrap_or(&seg[open + 1..]);
        let args = split_args(inner);
        let named = !args.is_empty() && args.iter().all(|a| a.contains('='));
        if named || inner.trim().is_empty() {
            let args = args
                .iter()
                .filter_map(|a| a.split_once('='))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect();
            return Segment::Function { name, args };
        }
        return Segment::Key {
            name,
            key: inner.trim().to_owned(),
        };
    }
    if seg.contains('.') && seg.chars().next().is_some_and(char::is_alphabetic) {
        return Segment::Cast {
            name: seg.to_owned(),
        };
    }
    Segment::Literal {
        name: seg.to_owned(),
    }
}

fn split_args(inner: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut quote = false;
    let mut depth = 0i32;
    for c in inner.chars() {
        match c {
            '\'' => quote = !quote,
            '{' | '(' if !quote => depth += 1,
            '}' | ')' if !quote => depth -= 1,
            ',' if !quote && depth <= 0 => {
                args.push(std::mem::take(&mut current).trim().to_owned());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        args.push(current.trim().to_owned());
    }
    args
}

/// Whether a literal path segment is an example's id rather than a name: a
/// GUID (`acdefc6b-2dc6-4e71-b1e9-6d9810ab1793`, braces allowed), a number, or
/// a token no name looks like (`01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K`,
/// `gDbc8U7HGwADDZocJgAAAA==`, `19:abc@thread.v2`). Names such as
/// `oauth2PermissionGrants` or `getOffice365ActivationCounts` are not ids:
/// they are words with a few digits.
pub fn is_example_id(segment: &str) -> bool {
    let s = segment.trim_matches(['{', '}']);
    if s.is_empty() || s.starts_with('$') || s.contains(['(', ')', '{', '}', '\'', ' ']) {
        return false;
    }
    if is_guid(s) || s.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    // Base64 padding, SharePoint's `b!`, Teams' `19:…@thread.v2`: no name has these.
    if s.ends_with('=') || s.contains(['!', '@', ':', '+']) {
        return true;
    }
    // Mostly capitals and digits, and long: an encoded id, not camelCase words.
    let loud = s
        .bytes()
        .filter(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        .count();
    s.len() >= 16 && digits >= 3 && loud * 2 >= s.len()
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The name inside `{name}` or `<name>`, quotes allowed around it.
pub fn placeholder(text: &str) -> Option<String> {
    let t = text.trim().trim_matches('\'');
    let inner = t
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| t.strip_prefix('<').and_then(|r| r.strip_suffix('>')))?;
    let inner = inner.trim();
    (!inner.is_empty() && !inner.contains(['{', '}', '/'])).then(|| inner.to_owned())
}

/// The name of each placeholder of a path, in path order (one per occurrence).
///
/// A function argument is named by the argument, not by its placeholder:
/// `resizedRange(deltaRows={n}, deltaColumns={n})` takes `deltaRows` and
/// `deltaColumns`, two values.
pub fn param_occurrences(segments: &[Segment]) -> Vec<String> {
    let mut names = Vec::new();
    for seg in segments {
        match seg {
            Segment::Param { name } => names.push(name.clone()),
            Segment::Function { args, .. } => {
                for (arg, value) in args {
                    if placeholder(value).is_some() {
                        names.push(arg.clone());
                    }
                }
            }
            Segment::Key { key, .. } => names.extend(placeholder(key)),
            Segment::DrivePath { root, path } => {
                for part in std::iter::once(root.as_str()).chain(path.split('/')) {
                    names.extend(placeholder(part));
                }
            }
            Segment::Literal { .. }
            | Segment::Cast { .. }
            | Segment::Ref
            | Segment::Value
            | Segment::Count => {}
        }
    }
    names
}

/// The names of the placeholders of a path, in order, without duplicates.
pub fn params(segments: &[Segment]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in param_occurrences(segments) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Whether an example path (concrete ids, placeholders) matches a documented path.
///
/// Placeholders on either side match any one segment; literals compare without
/// regard to case, as Graph does.
pub fn matches(documented: &[Segment], example: &[Segment]) -> bool {
    documented.len() == example.len()
        && documented.iter().zip(example).all(|(d, e)| match (d, e) {
            (Segment::Param { .. }, _) | (_, Segment::Param { .. }) => true,
            (Segment::Literal { name: a }, Segment::Literal { name: b })
            | (Segment::Cast { name: a }, Segment::Cast { name: b }) => a.eq_ignore_ascii_case(b),
            (Segment::Function { name: a, .. }, Segment::Function { name: b, .. })
            | (Segment::Key { name: a, .. }, Segment::Key { name: b, .. })
            | (Segment::DrivePath { root: a, .. }, Segment::DrivePath { root: b, .. }) => {
                a.eq_ignore_ascii_case(b)
            }
            (Segment::Ref, Segment::Ref)
            | (Segment::Value, Segment::Value)
            | (Segment::Count, Segment::Count) => true,
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(name: &str) -> Segment {
        Segment::Literal { name: name.into() }
    }

    #[test]
    fn example_ids_are_told_from_names() {
        for id in [
            "acdefc6b-2dc6-4e71-b1e9-6d9810ab1793",
            "{5D1A0C3E-77B2-4F0B-9A11-2C6E0B0B9E21}",
            "42",
            "01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K",
            "gDbc8U7HGwADDZocJgAAAA==",
            "AAMkAGI2TG93AAA=",
            "19:8b081ef6@thread.v2",
            "b!yC3k8QwbVUu6wl0dBIyUcWjT4cP9t4ZL",
        ] {
            assert!(is_example_id(id), "{id} is an id");
        }
        for name in [
            "users",
            "oauth2PermissionGrants",
            "fido2Methods",
            "b2xUserFlows",
            "getOffice365ActivationsUserDetail",
            "deviceCompliancePolicySettingStateSummaries",
            "microsoft.graph.user",
            "$value",
            "{id}",
            "range(address='A1')",
            "v1.0",
        ] {
            assert!(!is_example_id(name), "{name} is a name");
        }
    }

    #[test]
    fn normalise_strips_host_version_and_query() {
        let p = normalise("https://graph.microsoft.com/v1.0/me/events?$select=subject,body");
        assert_eq!(p.path, "/me/events");
        assert_eq!(p.query.as_deref(), Some("$select=subject,body"));
        assert_eq!(normalise("/beta/users").path, "/users");
        assert_eq!(
            normalise("~/onPremisesPublishingProfiles/x").path,
            "/onPremisesPublishingProfiles/x"
        );
        assert_eq!(
            normalise("policies/activityBasedTimeoutPolicies").path,
            "/policies/activityBasedTimeoutPolicies"
        );
        assert_eq!(
            normalise("https://graph.microsoft.com/localtest/a/b/").path,
            "/a/b"
        );
    }

    #[test]
    fn alternatives_expand() {
        assert_eq!(
            expand_alternatives("/users/{id | userPrincipalName}/events/{id}"),
            [
                "/users/{id}/events/{id}",
                "/users/{userPrincipalName}/events/{id}"
            ]
        );
    }

    #[test]
    fn segment_kinds() {
        let segs = segments(
            "/me/drive/root:/{item-path}:/workbook/worksheets/{id}/range(address='{address}')/microsoft.graph.lastCell/$ref",
        );
        assert_eq!(
            segs,
            vec![
                lit("me"),
                lit("drive"),
                Segment::DrivePath {
                    root: "root".into(),
                    path: "{item-path}".into()
                },
                lit("workbook"),
                lit("worksheets"),
                Segment::Param { name: "id".into() },
                Segment::Function {
                    name: "range".into(),
                    args: vec![("address".into(), "'{address}'".into())]
                },
                Segment::Cast {
                    name: "microsoft.graph.lastCell".into()
                },
                Segment::Ref,
            ]
        );
        assert_eq!(params(&segs), ["item-path", "id", "address"]);
        let twice = segments("/a/resizedRange(deltaRows={n}, deltaColumns={n})");
        assert_eq!(param_occurrences(&twice), ["deltaRows", "deltaColumns"]);
        assert_eq!(
            segments("/worksheets('Sheet1')/resizedRange(deltaRows={n}, deltaColumns={m})"),
            vec![
                Segment::Key {
                    name: "worksheets".into(),
                    key: "'Sheet1'".into()
                },
                Segment::Function {
                    name: "resizedRange".into(),
                    args: vec![
                        ("deltaRows".into(), "{n}".into()),
                        ("deltaColumns".into(), "{m}".into())
                    ]
                },
            ]
        );
    }

    #[test]
    fn examples_match_documented_paths() {
        let doc = segments("/deviceManagement/deviceConfigurations/{id}/userStatuses");
        assert!(matches(
            &doc,
            &segments("/deviceManagement/deviceConfigurations/abc/userStatuses")
        ));
        assert!(!matches(
            &doc,
            &segments("/deviceManagement/deviceConfigurations/abc/userStatuses/$ref")
        ));
        assert!(!matches(
            &doc,
            &segments("/deviceManagement/other/abc/userStatuses")
        ));
    }
}
