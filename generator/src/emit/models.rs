//! Models: a serde struct per entity and complex type, an enum per enum type,
//! and a body struct per action that takes parameters.
//!
//! Every piece of page text (names, descriptions, wire names) enters as a token
//! built here; the template only arranges them.

use proc_macro2::Literal;
use quote::quote;

use super::docs::Doc;
use super::names::{self, Scope, ident};
use super::types::TypeTable;
use crate::ir::{Ir, Property, RequestBody, TypeDef, TypeKind, TypeRef};
use crate::source::SourceMap;

/// A struct field, as tokens.
pub struct FieldView {
    /// `#[doc]` attributes.
    pub docs: String,
    /// `#[serde(...)]` attribute.
    pub serde: String,
    /// Field name.
    pub ident: String,
    /// Field type.
    pub ty: String,
}

/// A struct, as tokens.
pub struct StructView {
    /// `#[doc]` attributes.
    pub docs: String,
    /// Type name.
    pub ident: String,
    /// Fields.
    pub fields: Vec<FieldView>,
    /// Name of the field that keeps unknown JSON members.
    pub extra_ident: String,
}

/// An enum variant, as tokens.
pub struct VariantView {
    /// `#[doc]` attributes.
    pub docs: String,
    /// Variant name.
    pub ident: String,
    /// The wire value as a string literal token.
    pub wire: String,
}

/// An enum, as tokens.
pub struct EnumView {
    /// `#[doc]` attributes.
    pub docs: String,
    /// Type name.
    pub ident: String,
    /// Documented members.
    pub variants: Vec<VariantView>,
    /// The catch-all variant for values the docs do not list.
    pub other: String,
}

/// Everything in `models.rs`.
pub struct ModelsView {
    /// Structs, in IR order, then body structs.
    pub structs: Vec<StructView>,
    /// Enums, in IR order.
    pub enums: Vec<EnumView>,
}

/// Builds the models of one area: the types at `types` and the parameter
/// bodies of the operations at `operations` (indices into the IR).
pub fn emit(
    ir: &Ir,
    table: &TypeTable<'_>,
    types: &[usize],
    operations: &[usize],
    sources: &SourceMap,
) -> ModelsView {
    let mut structs = Vec::new();
    let mut enums = Vec::new();
    for &index in types {
        let def = &ir.types[index];
        match def.kind {
            TypeKind::Enum => enums.push(enum_view(index, def, table, sources)),
            TypeKind::Entity | TypeKind::Complex => {
                structs.push(struct_view(index, def, table, sources));
            }
        }
    }
    for op in operations.iter().map(|&i| &ir.operations[i]) {
        let (Some(RequestBody::Parameters(params)), Some(name)) =
            (&op.request_body, table.body_ident(&op.name))
        else {
            continue;
        };
        let mut doc = Doc::new();
        doc.raw(format!(
            "The request body of [`Client::{}`](super::super::Client::{}).",
            names::snake(&op.name, "call"),
            names::snake(&op.name, "call")
        ));
        let mut scope = Scope::with_reserved(&["additional_properties"]);
        let fields = params
            .iter()
            .map(|p| {
                let mut pdoc = Doc::new();
                if let Some(d) = &p.description {
                    pdoc.text(d);
                }
                field_view(&p.name, &p.ty, pdoc, None, table, &mut scope)
            })
            .collect();
        structs.push(StructView {
            docs: doc.tokens().to_string(),
            ident: ident(name).to_string(),
            fields,
            extra_ident: "additional_properties".to_owned(),
        });
    }
    ModelsView { structs, enums }
}

fn struct_view(
    index: usize,
    def: &TypeDef,
    table: &TypeTable<'_>,
    sources: &SourceMap,
) -> StructView {
    let mut doc = Doc::new();
    doc.text(&format!(
        "`{}` ({}).",
        def.name.replace('`', "'"),
        def.kind.as_str()
    ));
    if let Some(d) = &def.description {
        doc.text(d);
    }
    if let Some((base, _)) = def.base.as_deref().and_then(|b| table.get(b)) {
        doc.paragraph_break();
        doc.raw(format!(
            "Includes the properties of [`{}`], its base type.",
            table.ident(base)
        ));
    }
    source_lines(&mut doc, def, sources);
    let mut scope = Scope::with_reserved(&["additional_properties"]);
    let fields = table
        .all_properties(index)
        .into_iter()
        .map(|p| property_field(p, index, table, sources, &mut scope))
        .collect();
    StructView {
        docs: doc.tokens().to_string(),
        ident: ident(table.ident(index)).to_string(),
        fields,
        extra_ident: "additional_properties".to_owned(),
    }
}

fn source_lines(doc: &mut Doc, def: &TypeDef, sources: &SourceMap) {
    doc.paragraph_break();
    let places: Vec<String> = def
        .sources
        .iter()
        .map(|s| format!("`{}`", sources.stable_location(s)))
        .collect();
    doc.text(&format!("Documented in {}.", places.join(", ")));
}

fn property_field(
    p: &Property,
    owner: usize,
    table: &TypeTable<'_>,
    sources: &SourceMap,
    scope: &mut Scope,
) -> FieldView {
    let mut doc = Doc::new();
    if let Some(d) = &p.description {
        doc.text(d);
    }
    if p.navigation {
        doc.paragraph_break();
        doc.raw("A relationship: present when expanded or selected.");
    }
    doc.paragraph_break();
    doc.text(&format!(
        "Documented in `{}`.",
        sources.stable_location(&p.source)
    ));
    field_view(&p.name, &p.ty, doc, Some(owner), table, scope)
}

fn field_view(
    wire: &str,
    ty: &TypeRef,
    mut doc: Doc,
    owner: Option<usize>,
    table: &TypeTable<'_>,
    scope: &mut Scope,
) -> FieldView {
    let name = scope.claim(names::snake(wire, "field"), "_");
    let rust = table.rust_type(ty, owner, true);
    if ty.name == "Duration" {
        doc.paragraph_break();
        doc.raw("An ISO 8601 duration, such as `PT1H30M`.");
    }
    let tokens = rust.tokens;
    let wire_lit = Literal::string(wire);
    let rename = (name != wire).then(|| quote!(rename = #wire_lit,));
    let serde = match rust.with {
        Some(with) => {
            quote!(#[serde(#rename default, with = #with, skip_serializing_if = "Option::is_none")])
        }
        None => quote!(#[serde(#rename skip_serializing_if = "Option::is_none")]),
    };
    FieldView {
        docs: doc.tokens().to_string(),
        serde: serde.to_string(),
        ident: ident(&name).to_string(),
        ty: quote!(Option<#tokens>).to_string(),
    }
}

fn enum_view(index: usize, def: &TypeDef, table: &TypeTable<'_>, sources: &SourceMap) -> EnumView {
    let mut doc = Doc::new();
    doc.text(&format!("`{}` (enum).", def.name.replace('`', "'")));
    if let Some(d) = &def.description {
        doc.text(d);
    }
    if def.inferred.contains(&"name") {
        doc.paragraph_break();
        doc.raw("The pages list these values without naming the enum; docgen named it after its property.");
    }
    doc.paragraph_break();
    doc.raw("Values the documentation does not list are kept in the catch-all variant, so they survive a round trip.");
    source_lines(&mut doc, def, sources);
    let mut scope = Scope::new();
    // The catch-all claims its name first so no member can take it.
    let other = scope.claim("UnknownValue".to_owned(), "");
    let mut seen = std::collections::HashSet::new();
    let variants = def
        .members
        .iter()
        // A member listed twice is one value: a second match arm would be unreachable.
        .filter(|m| seen.insert(m.name.as_str()))
        .map(|m| {
            let mut vdoc = Doc::new();
            vdoc.text(&format!("`{}`", m.name.replace('`', "'")));
            if let Some(d) = &m.description {
                vdoc.text(d);
            }
            VariantView {
                docs: vdoc.tokens().to_string(),
                ident: ident(&scope.claim(names::upper_camel(&m.name, "Value"), "")).to_string(),
                wire: Literal::string(&m.name).to_string(),
            }
        })
        .collect();
    EnumView {
        docs: doc.tokens().to_string(),
        ident: ident(table.ident(index)).to_string(),
        variants,
        other: ident(&other).to_string(),
    }
}
