//! Checks across pages that find defects a doc writer should fix: links to type
//! pages that do not exist, and enums that lack `unknownFutureValue` where the
//! enums of their area have it.

use std::collections::{BTreeMap, HashSet};

use super::{TypeDef, TypeKind};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::extract::PageFacts;
use crate::parallel::*;
use crate::source::{SourceMap, Span};

/// The member that marks an evolvable enum.
pub const FUTURE_VALUE: &str = "unknownFutureValue";

/// Type links (in Type cells and in Request body / Response prose) must point
/// at pages that exist. Only links that stay inside the folder being read are
/// checked: reading one folder of a larger set says nothing about the others.
pub(super) fn links(pages: &[PageFacts], sources: &SourceMap, diags: &mut Diagnostics) {
    let known: HashSet<String> = sources
        .iter()
        .map(|(_, f)| f.rel_path.to_ascii_lowercase())
        .collect();
    // Pages are independent: checked on every core, reported in page order.
    let found: Vec<Diagnostics> = pages
        .par_iter()
        .map(|page| {
            let mut diags = Diagnostics::new();
            page_links(
                page,
                sources.get(page.file).rel_path.as_str(),
                &known,
                &mut diags,
            );
            diags
        })
        .collect();
    for d in found {
        diags.extend(d);
    }
}

/// The broken links of one page, whose path below the root is `rel`.
fn page_links(page: &PageFacts, rel: &str, known: &HashSet<String>, diags: &mut Diagnostics) {
    let mut check = |dest: &str, span: std::ops::Range<usize>| {
        let Some(target) = resolve_link(rel, dest) else {
            return;
        };
        if !known.contains(&target.to_ascii_lowercase()) {
            diags.push(
                Diagnostic::new(
                    Code::LinkBroken,
                    Span::new(page.file, span),
                    format!("the link `{dest}` points to a page that does not exist"),
                )
                .with_note(format!("looked for `{target}` in the docs being read")),
            );
        }
    };
    for table in &page.property_tables {
        for row in &table.rows {
            if let Some(dest) = &row.ty.link {
                check(dest, row.ty_span.clone());
            }
        }
    }
    let mentions = [
        page.request_body.mention.as_ref(),
        page.response.as_ref().and_then(|r| r.mention.as_ref()),
        page.inherits.as_ref(),
    ];
    for mention in mentions.into_iter().flatten() {
        if let Some(dest) = &mention.link {
            check(dest, mention.span.clone());
        }
    }
}

/// A relative `.md` link from the page at `rel` → the target's path below the
/// root; `None` for absolute, external or anchor links and links leaving the root.
fn resolve_link(rel: &str, dest: &str) -> Option<String> {
    let dest = dest.split(['#', '?']).next()?.trim();
    if dest.is_empty() || dest.contains("://") || dest.starts_with('/') || !dest.ends_with(".md") {
        return None;
    }
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    for part in dest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Enums without `unknownFutureValue` in an area where most enums have it.
pub(super) fn future_values(types: &[TypeDef], diags: &mut Diagnostics) {
    let mut areas: BTreeMap<&str, Vec<&TypeDef>> = BTreeMap::new();
    for t in types.iter().filter(|t| t.kind == TypeKind::Enum) {
        areas.entry(t.area.as_str()).or_default().push(t);
    }
    for (area, enums) in areas {
        let evolvable = enums
            .iter()
            .filter(|t| t.members.iter().any(|m| m.name == FUTURE_VALUE))
            .count();
        // "Most" of at least three: the area's convention, not a coincidence.
        let total = enums.len();
        if total < 3 || evolvable * 2 <= total {
            continue;
        }
        for t in enums {
            if t.members.iter().any(|m| m.name == FUTURE_VALUE) || t.members.is_empty() {
                continue;
            }
            let Some(source) = t.sources.first() else {
                continue;
            };
            diags.push(
                Diagnostic::new(
                    Code::EnumFutureValueMissing,
                    source.clone(),
                    format!(
                        "`{}` has no `{FUTURE_VALUE}` member, but {evolvable} of the {total} enums of the `{area}` area have one",
                        t.name
                    ),
                )
                .with_note("evolvable enums end with `unknownFutureValue` so new members can be added safely"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_relative_to_the_page() {
        assert_eq!(
            resolve_link("api/user-get.md", "../resources/user.md").as_deref(),
            Some("resources/user.md")
        );
        assert_eq!(
            resolve_link("api/user-get.md", "user.md#props").as_deref(),
            Some("api/user.md")
        );
        assert_eq!(resolve_link("user-get.md", "../resources/user.md"), None);
        assert_eq!(resolve_link("api/x.md", "https://example.com/a.md"), None);
        assert_eq!(resolve_link("api/x.md", "/graph/overview"), None);
        assert_eq!(resolve_link("api/x.md", ""), None);
    }
}
