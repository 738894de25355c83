//! Cargo features of a standalone crate: one per product area.
//!
//! A feature turns on its area's endpoint functions and types, and every type
//! they need, wherever it is documented: `outlook` compiles `message` and the
//! `dayOfWeek` enum that `workingHours` uses, not the rest of Intune. So each
//! type is compiled when any area that reaches it is on (`#[cfg(any(...))]`),
//! and areas never enable each other. A relationship (navigation property) or
//! a derived type is not needed: it is there when its own type is.

use std::collections::{BTreeSet, HashMap, VecDeque};

use crate::ir::{Ir, JSON_TYPE, RequestBody, TypeKind, TypeRef};

/// The feature of an area: its module name in kebab case.
pub fn feature_name(area_ident: &str) -> String {
    area_ident.replace('_', "-")
}

/// For each type (IR order), the features that compile it: its own area's,
/// and those of every area whose types or operations reach it by value
/// (field types, inherited ones included, and base types).
pub fn needed_by(
    ir: &Ir,
    by_ref: &HashMap<String, usize>,
    all_properties: impl Fn(usize) -> Vec<TypeRef>,
    area_features: &HashMap<String, String>,
    also: &[(String, TypeRef)],
) -> Vec<BTreeSet<String>> {
    let lookup = |ty: &TypeRef| -> Option<usize> {
        // Primitives and untyped JSON (`Json` is also a documented type name) belong to no area.
        if ty.is_primitive() || ty.name == JSON_TYPE {
            return None;
        }
        by_ref.get(&ty.name).copied()
    };
    // What each type needs by value.
    let edges: Vec<Vec<usize>> = (0..ir.types.len())
        .map(|i| {
            let def = &ir.types[i];
            if def.kind == TypeKind::Enum {
                return Vec::new();
            }
            let mut out: Vec<usize> = all_properties(i).iter().filter_map(lookup).collect();
            out.extend(def.base.as_deref().and_then(|b| by_ref.get(b).copied()));
            out
        })
        .collect();
    // Roots of each area: its types, and what its operations send and return.
    let mut roots: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, def) in ir.types.iter().enumerate() {
        roots.entry(def.area.as_str()).or_default().push(i);
    }
    for op in &ir.operations {
        let mut tys: Vec<&TypeRef> = Vec::new();
        match &op.request_body {
            Some(RequestBody::Type(ty)) => tys.push(ty),
            Some(RequestBody::Parameters(params)) => tys.extend(params.iter().map(|p| &p.ty)),
            None => {}
        }
        tys.extend(op.response.as_ref().and_then(|r| r.ty.as_ref()));
        let list = roots.entry(op.area.as_str()).or_default();
        list.extend(tys.into_iter().filter_map(lookup));
    }
    // Types an area's requests use that its own operations do not name: a
    // request merged from pages of several areas sends and answers its first
    // page's types.
    for (area, ty) in also {
        if let Some(i) = lookup(ty) {
            roots.entry(area.as_str()).or_default().push(i);
        }
    }
    let mut needs = vec![BTreeSet::new(); ir.types.len()];
    let mut areas: Vec<(&str, Vec<usize>)> = roots.into_iter().collect();
    areas.sort();
    for (area, start) in areas {
        let Some(feature) = area_features.get(area) else {
            continue;
        };
        let mut queue: VecDeque<usize> = start.into_iter().collect();
        while let Some(i) = queue.pop_front() {
            if needs[i].insert(feature.clone()) {
                queue.extend(edges[i].iter().copied());
            }
        }
    }
    needs
}

/// The `[features]` table: `default = ["full"]`, `full` = every area, then
/// one independent feature per area, then the runtime's own features
/// (signing in), which `full` leaves off: they add dependencies.
pub fn manifest_section(area_idents: &HashMap<String, String>) -> String {
    let mut out = area_section(area_idents);
    let runtime = super::runtime_files::features();
    if !runtime.is_empty() {
        out.push_str("# The runtime's features (see its `Cargo.toml`).\n");
        out.push_str(runtime);
        out.push('\n');
    }
    out
}

/// The part of the `[features]` table that is about areas.
fn area_section(area_idents: &HashMap<String, String>) -> String {
    let mut features: Vec<String> = area_idents.values().map(|i| feature_name(i)).collect();
    features.sort();
    let quoted: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
    let mut out = String::from("[features]\ndefault = [\"full\"]\n# Every product area.\n");
    out.push_str(&format!("full = [{}]\n", quoted.join(", ")));
    for feature in &features {
        out.push_str(&format!("{feature} = []\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_lists_every_area_and_areas_stand_alone() {
        let idents: HashMap<String, String> = [
            ("outlook".to_owned(), "outlook".to_owned()),
            (
                "non-product-specific".to_owned(),
                "non_product_specific".to_owned(),
            ),
        ]
        .into();
        assert_eq!(
            area_section(&idents),
            "[features]\ndefault = [\"full\"]\n# Every product area.\n\
             full = [\"non-product-specific\", \"outlook\"]\n\
             non-product-specific = []\noutlook = []\n"
        );
        let whole = manifest_section(&idents);
        assert!(whole.starts_with(&area_section(&idents)));
        assert!(
            whole.contains("\ndevice-code = [\"dep:oauth2\"]\n"),
            "{whole}"
        );
        assert!(
            whole.contains("\nclient-credentials = [\"dep:oauth2\"]\n"),
            "{whole}"
        );
    }
}
