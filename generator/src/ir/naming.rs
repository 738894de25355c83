//! Operation names: a verb and the nouns of the path, unique across the IR.
//!
//! `POST /deviceManagement/deviceConfigurations/{id}/userStatuses` is
//! `createUserStatus`; when another operation would get the same name, both
//! are qualified by the path segments before the noun
//! (`createDeviceConfigurationUserStatus`), one segment at a time, until every
//! name is unique. Names only depend on the operations, never on page order.

use std::collections::{BTreeMap, HashMap};

use heck::{ToLowerCamelCase, ToUpperCamelCase};

use super::{Operation, RequestBody};
use crate::extract::urlpath::Segment;
use crate::parallel::*;

/// What naming needs to know about an operation.
struct Parts {
    verb: String,
    noun: String,
    suffix: String,
    /// Words before the noun, nearest first.
    qualifiers: Vec<String>,
    /// The type the operation sends or returns, to tell apart operations on one
    /// path that differ only by type (a create page per derived type).
    type_word: Option<String>,
}

/// Gives every operation a unique lower-camel-case name.
pub(super) fn assign(operations: &mut [Operation]) {
    // Each operation's words on its own, on every core; case conversions
    // once per word, not once per attempt.
    let (parts, camel): (Vec<Parts>, Vec<(Vec<String>, String)>) = operations
        .par_iter()
        .map(|op| {
            let p = parts_of(op);
            let qualifiers = p
                .qualifiers
                .iter()
                .map(|w| w.to_upper_camel_case())
                .collect();
            let noun = p.noun.to_upper_camel_case();
            (p, (qualifiers, noun))
        })
        .unzip();
    let mut depth = vec![0usize; operations.len()];
    let name_at = |i: usize, depth: usize| -> String {
        let p = &parts[i];
        let (qualifiers, noun) = &camel[i];
        let mut name = p.verb.clone();
        for w in qualifiers[..depth.min(qualifiers.len())].iter().rev() {
            name.push_str(w);
        }
        name.push_str(noun);
        name.push_str(&p.suffix);
        lower_first(&name)
    };
    // Qualify colliding names until they differ or run out of qualifiers.
    loop {
        let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, &d) in depth.iter().enumerate() {
            groups.entry(name_at(i, d)).or_default().push(i);
        }
        let mut changed = false;
        for members in groups.values().filter(|m| m.len() > 1) {
            for &i in members {
                if depth[i] < parts[i].qualifiers.len() {
                    depth[i] += 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    // Operations on one path that differ by type are named by it:
    // `createMobileApp`, `createMobileAppAsAndroidStoreApp`.
    let mut names: Vec<String> = depth
        .iter()
        .enumerate()
        .map(|(i, &d)| name_at(i, d))
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for name in &names {
        *counts.entry(name.as_str()).or_default() += 1;
    }
    let colliding: Vec<bool> = names.iter().map(|n| counts[n.as_str()] > 1).collect();
    for (i, name) in names.iter_mut().enumerate() {
        let p = &parts[i];
        if let (true, Some(word)) = (colliding[i], &p.type_word)
            && !word.eq_ignore_ascii_case(&p.noun)
            && !word.eq_ignore_ascii_case(&singular(&p.noun))
        {
            name.push_str("As");
            name.push_str(&word.to_upper_camel_case());
        }
    }
    // Whatever still collides (same method, same path words, same type) gets a
    // number, in a deterministic order: by first path, then source.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, name) in names.into_iter().enumerate() {
        groups.entry(name).or_default().push(i);
    }
    for (name, mut members) in groups {
        members.sort_by(|&a, &b| {
            let key = |i: usize| {
                (
                    operations[i].paths.first().map(|p| p.path.clone()),
                    operations[i].source.file,
                    operations[i].source.range.start,
                )
            };
            key(a).cmp(&key(b))
        });
        for (n, &i) in members.iter().enumerate() {
            operations[i].name = if n == 0 {
                name.clone()
            } else {
                format!("{name}{}", n + 1)
            };
        }
    }
}

fn parts_of(op: &Operation) -> Parts {
    let mut segments: Vec<&Segment> = op
        .paths
        .first()
        .map(|p| p.segments.iter().collect())
        .unwrap_or_default();
    let method = op.method.as_str();
    let marker = match segments.last() {
        Some(Segment::Ref) => Some("Ref"),
        Some(Segment::Value) => Some("Content"),
        Some(Segment::Count) => Some("Count"),
        _ => None,
    };
    if marker.is_some() {
        segments.pop();
    }
    let item = matches!(segments.last(), Some(Segment::Param { .. }));
    if item {
        segments.pop();
    }
    let last = segments.pop();
    let last_word = last.map(word).unwrap_or_else(|| "root".to_owned());
    let collection_response = op
        .response
        .as_ref()
        .and_then(|r| r.ty.as_ref())
        .is_some_and(|t| t.collection);
    let creates = matches!(op.request_body, Some(RequestBody::Type(_)))
        || op
            .title
            .as_deref()
            .is_some_and(|t| starts_with_word(t, &["create", "add", "post"]));
    let is_function = matches!(last, Some(Segment::Function { .. }));
    let (verb, noun, suffix) = match marker {
        Some("Ref") => {
            let verb = match method {
                "POST" => "add",
                "DELETE" => "remove",
                "PUT" => "set",
                _ if item || !collection_response => "get",
                _ => "list",
            };
            let noun = if item || method != "GET" || !collection_response {
                singular(&last_word)
            } else {
                last_word.clone()
            };
            (verb, noun, "Ref")
        }
        Some(marker) => {
            let verb = match method {
                "GET" => "get",
                "PUT" | "PATCH" => "update",
                "DELETE" => "delete",
                _ => "post",
            };
            let noun = if item {
                singular(&last_word)
            } else {
                last_word.clone()
            };
            (verb, noun, marker)
        }
        None if is_function => ("", last_word.clone(), ""),
        None if item => {
            let verb = match method {
                "GET" => "get",
                "PATCH" => "update",
                "PUT" => "replace",
                "DELETE" => "delete",
                _ => "post",
            };
            (verb, singular(&last_word), "")
        }
        None => match method {
            "GET" if collection_response || (op.response.is_none() && is_plural(&last_word)) => {
                ("list", last_word.clone(), "")
            }
            "GET" => ("get", last_word.clone(), ""),
            "POST" if creates && is_plural(&last_word) => ("create", singular(&last_word), ""),
            // A POST to a name that is not a collection: an action, named by itself.
            "POST" => ("", last_word.clone(), ""),
            "PATCH" => ("update", last_word.clone(), ""),
            "PUT" => ("set", last_word.clone(), ""),
            "DELETE" => ("delete", last_word.clone(), ""),
            other => (other, last_word.clone(), ""),
        },
    };
    let qualifiers = segments
        .iter()
        .rev()
        .enumerate()
        .filter_map(|(i, s)| {
            if matches!(s, Segment::Param { .. }) {
                return None;
            }
            let w = word(s);
            // A collection addressed by key reads in the singular: deviceConfiguration.
            let keyed = segments
                .iter()
                .rev()
                .nth(i.wrapping_sub(1))
                .filter(|_| i > 0)
                .is_some_and(|next| matches!(next, Segment::Param { .. }));
            Some(if keyed { singular(&w) } else { w })
        })
        .collect();
    let type_word = match (&op.request_body, &op.response) {
        (Some(RequestBody::Type(t)), _) => Some(&t.name),
        (_, Some(r)) => r.ty.as_ref().map(|t| &t.name),
        _ => None,
    }
    .map(|name| name.rsplit('.').next().unwrap_or(name).to_owned());
    Parts {
        verb: verb.to_lower_camel_case(),
        noun,
        suffix: suffix.to_owned(),
        qualifiers,
        type_word,
    }
}

/// `CreateX` → `createX` (the verb may be empty).
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether the title's first word is one of `words` (lower case).
pub(super) fn starts_with_word(title: &str, words: &[&str]) -> bool {
    let first = title
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    words.contains(&first.as_str())
}

/// The word a segment contributes to a name.
fn word(segment: &Segment) -> String {
    match segment {
        Segment::Literal { name } | Segment::Function { name, .. } | Segment::Key { name, .. } => {
            name.clone()
        }
        Segment::Cast { name } => {
            let last = name.rsplit('.').next().unwrap_or(name);
            format!("as{}", last.to_upper_camel_case())
        }
        Segment::DrivePath { root, .. } => format!("{root}ByPath"),
        Segment::Param { name } => name.clone(),
        Segment::Ref => "ref".to_owned(),
        Segment::Value => "content".to_owned(),
        Segment::Count => "count".to_owned(),
    }
}

/// The last word of a camel-case name, singular: `userStatuses` → `userStatus`.
/// Memoised: the inflection rules are regular expressions, and names repeat.
pub(crate) fn singular(name: &str) -> String {
    thread_local! {
        static CACHE: std::cell::RefCell<HashMap<String, String>> = std::cell::RefCell::new(HashMap::new());
    }
    CACHE.with(|cache| {
        if let Some(hit) = cache.borrow().get(name) {
            return hit.clone();
        }
        let value = singular_uncached(name);
        cache.borrow_mut().insert(name.to_owned(), value.clone());
        value
    })
}

/// Builds the inflection rules now: pluralizer compiles its set of regular
/// expressions on first use, about 8 ms, which otherwise lands on the path
/// of the first page that needs a singular.
pub(crate) fn prepare() {
    let _ = pluralizer::pluralize("users", 1, false);
}

fn singular_uncached(name: &str) -> String {
    let split = name
        .char_indices()
        .filter(|(_, c)| c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .next_back()
        .unwrap_or(0);
    let (head, last) = name.split_at(split);
    if !last.to_ascii_lowercase().ends_with('s') {
        return name.to_owned();
    }
    let lower = last.to_ascii_lowercase();
    let single = pluralizer::pluralize(&lower, 1, false);
    let single = if last.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
        single.to_upper_camel_case()
    } else {
        single
    };
    format!("{head}{single}")
}

fn is_plural(name: &str) -> bool {
    singular(name) != name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_last_word() {
        assert_eq!(singular("userStatuses"), "userStatus");
        assert_eq!(singular("deviceConfigurations"), "deviceConfiguration");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("rootCertificate"), "rootCertificate");
        assert_eq!(singular("data"), "data");
        assert!(is_plural("mobileApps"));
        assert!(!is_plural("status"));
    }
}
