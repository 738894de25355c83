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
    /// `#[cfg(feature = …)]` for a relationship into another area, or empty.
    pub cfg: String,
    /// `#[doc]` attributes.
    pub docs: String,
    /// Field name.
    pub ident: String,
    /// Field type.
    pub ty: String,
    /// The associated `Property<Self>` constant naming the field.
    pub constant: String,
    /// `#[doc]` attributes of the constant.
    pub constant_docs: String,
    /// The wire name as a string literal token.
    pub wire: String,
    /// The runtime function that reads the field's value (`read`,
    /// `read_number`, …), for `runtime::Members::member`.
    pub read: &'static str,
    /// The `runtime::MemberWriter` method that writes the field (`field`,
    /// `number`, …), for the model's `Serialize`.
    pub write: &'static str,
}

/// A struct, as tokens.
pub struct StructView {
    /// `#[cfg(...)]`: which features compile it (crate mode), or empty.
    pub cfg: String,
    /// `#[doc]` attributes.
    pub docs: String,
    /// Type name.
    pub ident: String,
    /// The type name as a string literal token, for error messages.
    pub name: String,
    /// Fields.
    pub fields: Vec<FieldView>,
    /// Whether no field is compiled in every configuration, so that
    /// `Members::member` may not use its `map`, nor `Serialize` its writer.
    pub no_fixed_fields: bool,
    /// Name of the field that keeps unknown JSON members.
    pub extra_ident: String,
    /// The `@odata.type` string literal, for documented types (not bodies).
    pub odata_type: Option<String>,
    /// Whether `Default` sets `@odata.type`: for derived types, which the
    /// service tells apart by it.
    pub odata_default: bool,
}

/// A variant of an `Any…` enum, as tokens.
pub struct AnyVariantView {
    /// `#[doc]` attributes.
    pub docs: String,
    /// `#[cfg(feature = …)]` when the type is in another area, or empty.
    pub cfg: String,
    /// The variant name, which is also the type's name.
    pub ident: String,
    /// The lowercase qualified `@odata.type` as a string literal token.
    pub key: String,
}

/// An enum over a base type and its derived types, decoded by `@odata.type`.
pub struct AnyView {
    /// `#[cfg(...)]`: which features compile it (crate mode), or empty.
    pub cfg: String,
    /// `#[doc]` attributes.
    pub docs: String,
    /// The enum's name.
    pub ident: String,
    /// The enum's name as a string literal token, for error messages.
    pub name: String,
    /// The base type's variant (also the fallback for unknown types).
    pub base: String,
    /// The base first, then the derived types.
    pub variants: Vec<AnyVariantView>,
    /// Whether every derived type may be left out by the features.
    pub derived_all_cfg: bool,
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
    /// `#[cfg(...)]`: which features compile it (crate mode), or empty.
    pub cfg: String,
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
    /// `Any…` enums, in IR order of their base types.
    pub anys: Vec<AnyView>,
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
    let mut anys = Vec::new();
    for &index in types {
        let def = &ir.types[index];
        match def.kind {
            TypeKind::Enum => enums.push(enum_view(index, def, table, sources)),
            TypeKind::Entity | TypeKind::Complex => {
                structs.push(struct_view(index, def, table, sources));
                anys.extend(any_view(index, ir, table));
            }
        }
    }
    for op in operations.iter().map(|&i| &ir.operations[i]) {
        let (Some(RequestBody::Parameters(params)), Some(name)) =
            (&op.request_body, table.body_ident(&op.name))
        else {
            continue;
        };
        // Only bodies a generated call sends; its docs say which.
        let Some(line) = table.body_doc(&op.name) else {
            continue;
        };
        let mut doc = Doc::new();
        doc.raw(line.to_owned());
        let mut scope = field_scopes();
        let fields = params
            .iter()
            .take(super::limits::MAX_FIELDS)
            .map(|p| {
                let mut pdoc = Doc::new();
                if let Some(d) = &p.description {
                    pdoc.text(d);
                }
                field_view(&p.name, &p.ty, pdoc, None, table, &mut scope)
            })
            .collect::<Vec<_>>();
        let cfg = table.body_cfg(&op.name).to_string();
        structs.push(StructView {
            cfg,
            docs: doc.tokens().to_string(),
            ident: ident(name).to_string(),
            name: Literal::string(name).to_string(),
            no_fixed_fields: no_fixed_fields(&fields),
            fields,
            extra_ident: "additional_properties".to_owned(),
            odata_type: None,
            odata_default: false,
        });
    }
    ModelsView {
        structs,
        enums,
        anys,
    }
}

/// Whether every field is left out in some configuration (or there is none),
/// so that the generated code may not touch a field at all.
fn no_fixed_fields(fields: &[FieldView]) -> bool {
    fields.iter().all(|f| !f.cfg.is_empty())
}

/// The `@odata.type` of a type: `#namespace.name`.
fn odata_type(def: &TypeDef) -> String {
    format!("#{}.{}", def.namespace, def.name)
}

/// The `Any…` enum of a type with derived types: the base first, then every
/// type below it, each variant present when its area is.
fn any_view(index: usize, ir: &Ir, table: &TypeTable<'_>) -> Option<AnyView> {
    let any = table.any_ident(index)?;
    let def = &ir.types[index];
    let base = table.ident(index);
    let mut doc = Doc::new();
    doc.raw(format!(
        "[`{base}`] or any type derived from it, told apart by `@odata.type`."
    ));
    doc.text(&format!(
        "Used wherever the documentation names `{}`.",
        def.name.replace('`', "'")
    ));
    doc.paragraph_break();
    doc.raw(format!(
        "A value of a derived type is decoded into its own variant; anything else (no `@odata.type`, or a type this SDK does not know) into [`{base}`], which keeps the unknown members. Build one from any variant's type with `.into()`."
    ));
    let variant = |i: usize, text: String| {
        let mut vdoc = Doc::new();
        vdoc.raw(text);
        let cfg = table.cfg_within(i, index).to_string();
        let t = &ir.types[i];
        AnyVariantView {
            docs: vdoc.tokens().to_string(),
            cfg,
            ident: ident(table.ident(i)).to_string(),
            key: Literal::string(&format!("{}.{}", t.namespace, t.name).to_ascii_lowercase())
                .to_string(),
        }
    };
    let mut variants = vec![variant(
        index,
        format!("[`{base}`], or a derived type this SDK does not know."),
    )];
    let mut keys = std::collections::HashSet::new();
    for &d in table.descendants(index) {
        let t = &ir.types[d];
        // Two types whose names differ only in case cannot both be told apart.
        if keys.insert(format!("{}.{}", t.namespace, t.name).to_ascii_lowercase()) {
            let name = table.ident(d);
            variants.push(variant(d, format!("[`{name}`].")));
        }
    }
    let derived_all_cfg = variants.iter().skip(1).all(|v| !v.cfg.is_empty());
    Some(AnyView {
        derived_all_cfg,
        cfg: table.cfg(index).to_string(),
        docs: doc.tokens().to_string(),
        ident: ident(any).to_string(),
        name: Literal::string(any).to_string(),
        base: ident(base).to_string(),
        variants,
    })
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
        // No link to a type that a feature may leave out.
        let name = table.ident(base);
        let shown = if table.always_with(base, index) {
            format!("[`{name}`]")
        } else {
            format!("`{name}`")
        };
        doc.raw(format!(
            "Includes the properties of {shown}, its base type."
        ));
    }
    if let Some(any) = table.any_ident(index) {
        doc.paragraph_break();
        doc.raw(format!(
            "Where the documentation names this type, the SDK uses [`{any}`], which also holds its derived types."
        ));
    }
    source_lines(&mut doc, def, sources);
    let mut scope = field_scopes();
    let fields = table
        .all_properties(index)
        .into_iter()
        .map(|p| property_field(p, index, table, sources, &mut scope))
        .collect::<Vec<_>>();
    let derived = def.base.as_deref().is_some_and(|b| table.get(b).is_some());
    StructView {
        cfg: table.cfg(index).to_string(),
        docs: doc.tokens().to_string(),
        ident: ident(table.ident(index)).to_string(),
        name: Literal::string(table.ident(index)).to_string(),
        no_fixed_fields: no_fixed_fields(&fields),
        fields,
        extra_ident: "additional_properties".to_owned(),
        odata_default: derived && !def.is_abstract,
        odata_type: Some(Literal::string(&odata_type(def)).to_string()),
    }
}

/// The names a struct's fields take, and those of their `Property`
/// constants, which share the impl block with `ODATA_TYPE`.
struct FieldScopes {
    fields: Scope,
    constants: Scope,
}

fn field_scopes() -> FieldScopes {
    FieldScopes {
        fields: Scope::with_reserved(&["additional_properties"]),
        constants: Scope::with_reserved(&["ODATA_TYPE"]),
    }
}

impl FieldScopes {
    /// The constant of the field `name`: its SCREAMING_SNAKE_CASE. Field
    /// names are ASCII snake case and unique per struct, so their upper case
    /// is too; the scope only keeps them clear of `ODATA_TYPE`.
    fn constant(&mut self, name: &str) -> String {
        self.constants.claim(name.to_ascii_uppercase(), "_")
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
    scope: &mut FieldScopes,
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
    let mut field = field_view(&p.name, &p.ty, doc, Some(owner), table, scope);
    // A relationship to a type that is not compiled is left out; its member
    // then lands in `additional_properties`.
    if let Some((target, _)) = table.get(&p.ty.name)
        && !p.ty.is_primitive()
        && p.ty.name != crate::ir::JSON_TYPE
    {
        field.cfg = table.cfg_within(target, owner).to_string();
    }
    field
}

fn field_view(
    wire: &str,
    ty: &TypeRef,
    doc: Doc,
    owner: Option<usize>,
    table: &TypeTable<'_>,
    scope: &mut FieldScopes,
) -> FieldView {
    let name = scope.fields.claim(names::snake(wire, "field"), "_");
    let constant = scope.constant(&name);
    let mut constant_docs = Doc::new();
    constant_docs.raw(format!(
        "The `{}` property, for [`with_null`](Self::with_null).",
        super::docs::sanitize(&wire.replace('`', "'"))
    ));
    let rust = table.rust_type(ty, owner, true);

    let tokens = rust.tokens;
    let wire_lit = Literal::string(wire);
    // Reading is `runtime::Members::member` and writing `runtime::MemberWriter`,
    // with the runtime's functions for numbers and base64.
    let (read, write) = match rust.with {
        Some(adapter) => (adapter.read(), adapter.write()),
        None => ("read", "field"),
    };
    FieldView {
        cfg: String::new(),
        docs: doc.tokens().to_string(),
        ident: ident(&name).to_string(),
        ty: quote!(Option<#tokens>).to_string(),
        constant: ident(&constant).to_string(),
        constant_docs: constant_docs.tokens().to_string(),
        wire: wire_lit.to_string(),
        read,
        write,
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
        // Past the limit a value is an unknown value (`emit-limit` says so).
        .take(super::limits::MAX_MEMBERS)
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
        cfg: table.cfg(index).to_string(),
        docs: doc.tokens().to_string(),
        ident: ident(table.ident(index)).to_string(),
        variants,
        other: ident(&other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::field_scopes;

    #[test]
    fn property_constants_are_upper_case_and_clear_of_odata_type() {
        let mut scope = field_scopes();
        let names: Vec<String> = [
            "office_location",
            "type_",
            "_3des",
            "odata_type",
            "odata_type_2",
        ]
        .iter()
        .map(|field| scope.constant(field))
        .collect();
        assert_eq!(
            names,
            [
                "OFFICE_LOCATION",
                "TYPE_",
                "_3DES",
                "ODATA_TYPE_2",
                "ODATA_TYPE_2_2"
            ]
        );
    }
}
