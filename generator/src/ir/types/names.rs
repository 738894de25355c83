//! Type names as pages write them: lookup keys, qualified names, link stems,
//! the name a page defines, and the area a page belongs to.

use crate::extract::facts::PageFacts;
use crate::ir::GRAPH_NAMESPACE;
use crate::load::DocType;

/// The lookup key of a type name: case-insensitive, Graph namespace implied.
pub(in crate::ir) fn key(name: &str) -> String {
    let name = name.trim().trim_start_matches('#');
    let lower = name.to_ascii_lowercase();
    let prefix = "microsoft.graph.";
    match lower.strip_prefix(prefix) {
        Some(rest) if !rest.contains('.') => rest.to_owned(),
        _ => lower,
    }
}

/// The file stem a link points at: `../resources/user.md#x` → `user`.
pub(in crate::ir) fn link_stem(dest: &str) -> Option<String> {
    let dest = dest.split(['#', '?']).next()?;
    let file = dest.rsplit('/').next()?;
    let stem = file.strip_suffix(".md").unwrap_or(file);
    (!stem.is_empty()).then(|| stem.to_ascii_lowercase())
}

/// Splits `microsoft.graph.callRecords.modality` into (namespace, name).
pub(in crate::ir) fn split_qualified(name: &str) -> (String, String) {
    let name = name.trim().trim_start_matches('#');
    match name.rsplit_once('.') {
        Some((ns, n)) if ns.to_ascii_lowercase().starts_with("microsoft.") => {
            let ns = if ns.eq_ignore_ascii_case(GRAPH_NAMESPACE) {
                GRAPH_NAMESPACE.to_owned()
            } else {
                ns.to_owned()
            };
            (ns, n.to_owned())
        }
        _ => (GRAPH_NAMESPACE.to_owned(), name.to_owned()),
    }
}

/// A name as written on a page: qualified names keep their namespace, bare
/// names take the page's (`Namespace: microsoft.graph.callRecords`).
pub(super) fn qualified_in(name: &str, page: &PageFacts) -> (String, String) {
    if name.contains('.') {
        return split_qualified(name);
    }
    let ns = page
        .namespace
        .as_deref()
        .filter(|ns| ns.to_ascii_lowercase().starts_with("microsoft.graph"))
        .unwrap_or(GRAPH_NAMESPACE);
    split_qualified(&format!("{ns}.{name}"))
}

/// What the page documents (decided, and any mismatch reported, by extract).
pub(in crate::ir) fn page_kind(page: &PageFacts) -> Option<DocType> {
    page.kind.clone()
}

/// The type a resource or enum page defines, by annotation or H1.
pub(super) fn defined_name(page: &PageFacts) -> Option<(String, String)> {
    if let Some(t) = page
        .resources
        .iter()
        .find_map(|r| r.annotation.odata_type.as_deref())
    {
        let t = t.trim_start_matches('#');
        if !t.is_empty() && !t.contains(['(', ' ']) {
            let (ns, name) = split_qualified(t);
            // The annotation spells the type as the service does (the H1 is often
            // capitalised as a title), unless a tool lower-cased it whole.
            let lowered = name.chars().all(|c| !c.is_ascii_uppercase());
            let name = match title_type_name(page) {
                Some(title)
                    if lowered
                        && title.eq_ignore_ascii_case(&name)
                        && title.chars().skip(1).any(|c| c.is_ascii_uppercase()) =>
                {
                    title
                }
                _ => name,
            };
            return Some((ns, name));
        }
    }
    let name = title_type_name(page)?;
    let ns = page
        .namespace
        .clone()
        .unwrap_or_else(|| GRAPH_NAMESPACE.to_owned());
    Some((ns, name))
}

/// `managedDeviceMobileAppConfigurationUserStatus resource type` → the name.
fn title_type_name(page: &PageFacts) -> Option<String> {
    let (title, _) = page.title.as_ref()?;
    let mut name = title.trim();
    for suffix in [
        " resource type",
        " complex type",
        " entity type",
        " enum type",
        " enumeration type",
        " enumeration",
        " resource",
        " type",
        " object",
    ] {
        // `get` refuses to cut inside a character (found by fuzzing).
        let cut = name.len().saturating_sub(suffix.len());
        if cut > 0
            && name
                .get(cut..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
        {
            name = &name[..cut];
            break;
        }
    }
    let name = name.trim().trim_matches('`');
    let word_like = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    word_like.then(|| name.to_owned())
}

/// `ms.prod` as an area name, or `general`.
pub(in crate::ir) fn area_of(page: &PageFacts) -> String {
    page.front_matter
        .ms_prod
        .as_deref()
        .map(str::trim)
        .filter(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        })
        .map_or_else(|| "general".to_owned(), str::to_ascii_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_the_graph_namespace() {
        assert_eq!(key("microsoft.graph.User"), "user");
        assert_eq!(key("#microsoft.graph.user"), "user");
        assert_eq!(
            key("microsoft.graph.callRecords.modality"),
            "microsoft.graph.callrecords.modality"
        );
    }

    #[test]
    fn link_stems() {
        assert_eq!(
            link_stem("../resources/intune-shared-complianceStatus.md#x").as_deref(),
            Some("intune-shared-compliancestatus")
        );
        assert_eq!(link_stem("").as_deref(), None);
    }

    #[test]
    fn qualified_names_split() {
        assert_eq!(
            split_qualified("microsoft.graph.callRecords.modality"),
            ("microsoft.graph.callRecords".into(), "modality".into())
        );
        assert_eq!(
            split_qualified("Microsoft.Graph.user"),
            ("microsoft.graph".into(), "user".into())
        );
        assert_eq!(
            split_qualified("user"),
            ("microsoft.graph".into(), "user".into())
        );
    }
}
