//! The type space: types from every page, merged and resolved.
//!
//! Order matters and is fixed: names first (resource and enum pages, then types
//! that only API request-body tables describe, then enums that only property
//! descriptions list), then properties (resource pages before API pages), then
//! enum deduplication and kind/base inference. Pages are visited in path order,
//! so the result does not depend on how pages were read.

use std::collections::HashMap;

use super::{EnumMember, GRAPH_NAMESPACE, JSON_TYPE, Property, TypeDef, TypeKind, TypeRef};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::extract::facts::{Mention, PageFacts, PropertyRow, PropertyTable, TableRole};
use crate::extract::typeref::{TypeCell, TypeName};
use crate::load::DocType;
use crate::source::{SourceMap, Span};

/// How much a contribution to a type is trusted: a resource page over an API
/// page's request body table over a list of values in a description.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Authority {
    Inline,
    Body,
    Page,
}

struct Entry {
    def: TypeDef,
    authority: Authority,
    /// Whether docgen made the name up (an `Enumeration` cell).
    synthesized: bool,
    /// Set when this (synthesized) enum turned out to be an identical named enum.
    merged_into: Option<usize>,
    /// Whether the page named after the type (`user.md` for `user`) defined it:
    /// that page's area and summary win over pages that describe it in passing
    /// (`intune-devices-user.md`).
    canonical: bool,
}

/// The type space under construction.
pub(super) struct TypeSpace<'a> {
    pages: &'a [PageFacts],
    sources: &'a SourceMap,
    entries: Vec<Entry>,
    by_key: HashMap<String, usize>,
    by_file: HashMap<String, usize>,
    /// (page index, table index, row index) → synthesized enum for an `Enumeration` cell.
    synthesized: HashMap<(usize, usize, usize), usize>,
    /// How other pages' links name each file: file stem → link texts.
    link_texts: HashMap<String, Vec<String>>,
    /// The type each resource or enum page defines: page index → entry.
    page_types: HashMap<usize, usize>,
    /// Where each property of a type is, by name (types by index).
    property_index: HashMap<usize, HashMap<String, usize>>,
}

/// The lookup key of a type name: case-insensitive, Graph namespace implied.
pub(super) fn key(name: &str) -> String {
    let name = name.trim().trim_start_matches('#');
    let lower = name.to_ascii_lowercase();
    let prefix = "microsoft.graph.";
    match lower.strip_prefix(prefix) {
        Some(rest) if !rest.contains('.') => rest.to_owned(),
        _ => lower,
    }
}

/// The file stem a link points at: `../resources/user.md#x` → `user`.
pub(super) fn link_stem(dest: &str) -> Option<String> {
    let dest = dest.split(['#', '?']).next()?;
    let file = dest.rsplit('/').next()?;
    let stem = file.strip_suffix(".md").unwrap_or(file);
    (!stem.is_empty()).then(|| stem.to_ascii_lowercase())
}

/// Splits `microsoft.graph.callRecords.modality` into (namespace, name).
pub(super) fn split_qualified(name: &str) -> (String, String) {
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
fn qualified_in(name: &str, page: &PageFacts) -> (String, String) {
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
pub(super) fn page_kind(page: &PageFacts) -> Option<DocType> {
    page.kind.clone()
}

/// The type a resource or enum page defines, by annotation or H1.
fn defined_name(page: &PageFacts) -> Option<(String, String)> {
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
pub(super) fn area_of(page: &PageFacts) -> String {
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

impl<'a> TypeSpace<'a> {
    pub(super) fn new(pages: &'a [PageFacts], sources: &'a SourceMap) -> Self {
        TypeSpace {
            pages,
            sources,
            entries: Vec::new(),
            by_key: HashMap::new(),
            by_file: HashMap::new(),
            synthesized: HashMap::new(),
            link_texts: link_texts(pages),
            page_types: HashMap::new(),
            property_index: HashMap::new(),
        }
    }

    /// A name written with a capital (a title's spelling: `Identity`, `UserFlow`)
    /// is replaced by the lower-camel spelling other pages' links use for the
    /// same file, when they agree with it or with the file name.
    fn spelling(&self, name: String, stem: &str) -> String {
        if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
            return name;
        }
        let mut votes: HashMap<&str, usize> = HashMap::new();
        for text in self.link_texts.get(stem).into_iter().flatten() {
            let fits = text.eq_ignore_ascii_case(&name) || text.eq_ignore_ascii_case(stem);
            if fits && text.starts_with(|c: char| c.is_ascii_lowercase()) {
                *votes.entry(text.as_str()).or_default() += 1;
            }
        }
        votes
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map_or(name, |(text, _)| text.to_owned())
    }

    fn span(&self, page: &PageFacts, range: std::ops::Range<usize>) -> Span {
        Span::new(page.file, range)
    }

    fn file_stem(&self, page: &PageFacts) -> String {
        let rel = &self.sources.get(page.file).rel_path;
        let file = rel.rsplit('/').next().unwrap_or(rel);
        let file = file.strip_suffix(".txt").unwrap_or(file);
        file.strip_suffix(".md")
            .unwrap_or(file)
            .to_ascii_lowercase()
    }

    /// Defines (or finds) a type; a stronger authority takes over the description and area.
    fn define(
        &mut self,
        namespace: String,
        name: String,
        kind: TypeKind,
        authority: Authority,
        source: Span,
        page: &PageFacts,
    ) -> usize {
        let def_key = key(&if namespace == GRAPH_NAMESPACE {
            name.clone()
        } else {
            format!("{namespace}.{name}")
        });
        if let Some(&index) = self.by_key.get(&def_key) {
            let entry = &mut self.entries[index];
            if !entry.def.sources.contains(&source) {
                entry.def.sources.push(source);
            }
            if authority > entry.authority {
                entry.authority = authority;
                entry.def.area = area_of(page);
            }
            return index;
        }
        let index = self.entries.len();
        self.entries.push(Entry {
            def: TypeDef {
                name,
                namespace,
                kind,
                base: None,
                description: None,
                properties: Vec::new(),
                members: Vec::new(),
                sources: vec![source],
                open: false,
                is_abstract: false,
                inferred: Vec::new(),
                area: area_of(page),
            },
            authority,
            synthesized: false,
            merged_into: None,
            canonical: false,
        });
        self.by_key.insert(def_key, index);
        index
    }

    /// Records another page describing a type, when it is as trusted as the type's best.
    fn add_source(&mut self, index: usize, authority: Authority, source: Span) {
        let entry = &mut self.entries[index];
        if authority >= entry.authority && !entry.def.sources.contains(&source) {
            entry.def.sources.push(source);
        }
    }

    /// Step 1: names of the types that resource and enum pages define.
    pub(super) fn define_pages(&mut self) {
        for (pi, page) in self.pages.iter().enumerate() {
            let kind = match page_kind(page) {
                Some(DocType::Resource) => TypeKind::Complex,
                Some(DocType::Enum) => TypeKind::Enum,
                _ => continue,
            };
            // A page of several `### x values` tables (enums.md) defines each enum.
            let named_tables = page.enum_tables.iter().filter(|t| t.name.is_some()).count();
            if kind == TypeKind::Enum && named_tables > 0 && page.property_tables.is_empty() {
                continue;
            }
            let Some((ns, name)) = defined_name(page) else {
                continue;
            };
            let stem = self.file_stem(page);
            let name = self.spelling(name, &stem);
            let has_type_content = kind == TypeKind::Enum
                || !page.resources.is_empty()
                || page
                    .property_tables
                    .iter()
                    .any(|t| matches!(t.role, TableRole::Properties | TableRole::Relationships));
            if !has_type_content {
                continue;
            }
            let source = self.span(page, page.title.as_ref().map_or(0..0, |t| t.1.clone()));
            let index = self.define(ns, name, kind, Authority::Page, source.clone(), page);
            self.by_file.entry(stem.clone()).or_insert(index);
            self.page_types.insert(pi, index);
            let entry = &mut self.entries[index];
            let canonical = stem == key(&entry.def.ref_name());
            if canonical && !entry.canonical {
                entry.canonical = true;
                entry.def.area = area_of(page);
                if page.summary.is_some() {
                    entry.def.description = page.summary.clone();
                }
                if let Some(at) = entry.def.sources.iter().position(|s| *s == source) {
                    let first = entry.def.sources.remove(at);
                    entry.def.sources.insert(0, first);
                }
            }
            if entry.def.description.is_none() {
                entry.def.description = page.summary.clone();
            }
        }
        // Enum tables named by their heading, on any page.
        for page in self.pages {
            for table in &page.enum_tables {
                let Some(name) = &table.name else { continue };
                let (ns, name) = qualified_in(name, page);
                let source = self.span(page, table.span.clone());
                self.define(ns, name, TypeKind::Enum, Authority::Page, source, page);
            }
        }
    }

    /// Step 2: types that only an API page's request body describes.
    pub(super) fn define_bodies(&mut self) {
        for page in self.pages {
            let Some(mention) = &page.request_body.mention else {
                continue;
            };
            let Some(table) = body_table(page) else {
                continue;
            };
            if let Some(index) = self.resolve_mention(page, mention) {
                self.add_source(
                    index,
                    Authority::Body,
                    Span::new(page.file, table.span.clone()),
                );
                continue;
            }
            let (ns, name) = qualified_in(&mention.name, page);
            let source = self.span(page, table.span.clone());
            let index = self.define(ns, name, TypeKind::Complex, Authority::Body, source, page);
            if let Some(stem) = mention.link.as_deref().and_then(link_stem) {
                self.by_file.entry(stem).or_insert(index);
            }
        }
    }

    /// Step 3: enums known only from "Possible values are: …" in descriptions.
    pub(super) fn define_inline_enums(&mut self) {
        for (pi, page) in self.pages.iter().enumerate() {
            for (ti, table) in page.property_tables.iter().enumerate() {
                for (ri, row) in table.rows.iter().enumerate() {
                    if row.possible_values.is_empty() {
                        continue;
                    }
                    match &row.ty.name {
                        TypeName::Named(name) => {
                            if let Some(index) = self.resolve_cell(page, &row.ty) {
                                self.add_source(
                                    index,
                                    Authority::Inline,
                                    Span::new(page.file, row.span.clone()),
                                );
                                continue;
                            }
                            let (ns, name) = qualified_in(name, page);
                            let source = self.span(page, row.span.clone());
                            let index = self.define(
                                ns,
                                name,
                                TypeKind::Enum,
                                Authority::Inline,
                                source,
                                page,
                            );
                            if let Some(stem) = row.ty.link.as_deref().and_then(link_stem) {
                                self.by_file.entry(stem).or_insert(index);
                            }
                            self.add_inline_members(index, page, row);
                        }
                        TypeName::Enumeration => {
                            let Some(owner) = self.owner_name(pi, page, table) else {
                                continue;
                            };
                            let name = format!("{owner}{}", upper_first(&row.name));
                            let source = self.span(page, row.span.clone());
                            let index = self.define(
                                GRAPH_NAMESPACE.to_owned(),
                                name,
                                TypeKind::Enum,
                                Authority::Inline,
                                source,
                                page,
                            );
                            self.entries[index].synthesized = true;
                            self.add_inline_members(index, page, row);
                            self.synthesized.insert((pi, ti, ri), index);
                        }
                        TypeName::Primitive(_) | TypeName::Json => {}
                    }
                }
            }
        }
    }

    /// The type a table's rows belong to: the page's type, or the request body's.
    fn owner_name(&self, pi: usize, page: &PageFacts, table: &PropertyTable) -> Option<String> {
        match table.role {
            TableRole::RequestBody => page.request_body.mention.as_ref().map(|m| {
                self.resolve_mention(page, m).map_or_else(
                    || split_qualified(&m.name).1,
                    |i| self.entries[i].def.name.clone(),
                )
            }),
            TableRole::Properties | TableRole::Relationships => self
                .page_types
                .get(&pi)
                .map(|&i| self.entries[i].def.name.clone()),
            TableRole::Parameters => None,
        }
    }

    fn add_inline_members(&mut self, index: usize, page: &PageFacts, row: &PropertyRow) {
        let source = Span::new(page.file, row.span.clone());
        let entry = &mut self.entries[index];
        if entry.authority > Authority::Inline {
            return;
        }
        if entry.def.members.is_empty() {
            entry.def.members = row
                .possible_values
                .iter()
                .map(|m| EnumMember {
                    name: m.clone(),
                    value: None,
                    description: None,
                    source: source.clone(),
                })
                .collect();
            if !entry.def.inferred.contains(&"members") {
                entry.def.inferred.push("members");
            }
        }
    }

    /// Step 5: properties and members.
    pub(super) fn fill(&mut self, diags: &mut Diagnostics) {
        // Resource and enum pages first.
        for (pi, page) in self.pages.iter().enumerate() {
            let kind = page_kind(page);
            if matches!(kind, Some(DocType::Resource | DocType::Enum))
                && let Some(&index) = self.page_types.get(&pi)
            {
                self.fill_from_resource(pi, page, index, diags);
            }
            for table in &page.enum_tables {
                let owner = match &table.name {
                    Some(name) => {
                        let (ns, n) = qualified_in(name, page);
                        self.lookup(&ns, &n)
                    }
                    None if kind == Some(DocType::Enum) => self.page_types.get(&pi).copied(),
                    None => None,
                };
                if let Some(index) = owner {
                    self.fill_members(index, page, table, diags);
                }
            }
        }
        // Then types described by request body tables alone.
        for (pi, page) in self.pages.iter().enumerate() {
            let (Some(mention), Some((ti, table))) = (
                &page.request_body.mention,
                page.property_tables
                    .iter()
                    .enumerate()
                    .find(|(_, t)| t.role == TableRole::RequestBody),
            ) else {
                continue;
            };
            let Some(index) = self.resolve_mention(page, mention) else {
                continue;
            };
            if self.entries[index].authority == Authority::Page {
                self.check_body_rows(index, page, table, diags);
                continue;
            }
            for (ri, row) in table.rows.iter().enumerate() {
                let ty = self.row_type((pi, ti, ri), page, row, diags);
                self.add_property(index, page, row, ty, false, diags);
            }
        }
    }

    fn fill_from_resource(
        &mut self,
        pi: usize,
        page: &PageFacts,
        index: usize,
        diags: &mut Diagnostics,
    ) {
        for (ti, table) in page.property_tables.iter().enumerate() {
            let navigation = match table.role {
                TableRole::Properties => false,
                TableRole::Relationships => true,
                TableRole::RequestBody | TableRole::Parameters => continue,
            };
            for (ri, row) in table.rows.iter().enumerate() {
                let ty = self.row_type((pi, ti, ri), page, row, diags);
                self.add_property(index, page, row, ty, navigation, diags);
            }
        }
        if let Some(resource) = page.resources.first() {
            let a = &resource.annotation;
            let entry = &mut self.entries[index];
            entry.def.open |= a.open_type;
            entry.def.is_abstract |= a.is_abstract;
        }
    }

    fn fill_members(
        &mut self,
        index: usize,
        page: &PageFacts,
        table: &crate::extract::facts::EnumTable,
        diags: &mut Diagnostics,
    ) {
        let entry = &mut self.entries[index];
        if entry.def.kind != TypeKind::Enum {
            return;
        }
        let listed: Vec<EnumMember> = table
            .members
            .iter()
            .map(|m| EnumMember {
                name: m.name.clone(),
                value: m.value.as_deref().and_then(|v| v.trim().parse().ok()),
                description: (!m.description.is_empty()).then(|| m.description.clone()),
                source: Span::new(page.file, m.span.clone()),
            })
            .collect();
        if entry.def.members.is_empty() || entry.def.inferred.contains(&"members") {
            entry.def.members = listed;
            entry.def.inferred.retain(|i| *i != "members");
            return;
        }
        // A second table for the same enum: keep the union, flag the difference.
        let known: Vec<String> = entry.def.members.iter().map(|m| m.name.clone()).collect();
        let adds: Vec<String> = listed
            .iter()
            .filter(|m| !known.contains(&m.name))
            .map(|m| format!("`{}`", m.name))
            .collect();
        let lacks: Vec<String> = known
            .iter()
            .filter(|k| !listed.iter().any(|m| &m.name == *k))
            .map(|k| format!("`{k}`"))
            .collect();
        if adds.is_empty() && lacks.is_empty() {
            return;
        }
        let mut differences = Vec::new();
        if !adds.is_empty() {
            differences.push(format!("adds {}", adds.join(", ")));
        }
        if !lacks.is_empty() {
            differences.push(format!("lacks {}", lacks.join(", ")));
        }
        diags.push(Diagnostic::new(
            Code::EnumConflict,
            Span::new(page.file, table.span.clone()),
            format!(
                "this table of `{}` differs from the one read first: it {}",
                entry.def.name,
                differences.join(" and ")
            ),
        ));
        for member in listed {
            if !known.contains(&member.name) {
                entry.def.members.push(member);
            }
        }
    }

    fn check_body_rows(
        &self,
        index: usize,
        page: &PageFacts,
        table: &PropertyTable,
        diags: &mut Diagnostics,
    ) {
        let def = &self.entries[index].def;
        for row in &table.rows {
            if !self.has_property(index, &row.name) {
                diags.push(Diagnostic::new(
                    Code::BodyPropertyUnknown,
                    Span::new(page.file, row.span.clone()),
                    format!("`{}` is not a property of `{}`", row.name, def.name),
                ));
            }
        }
    }

    /// Whether a type or one of its bases (as known so far) has a property.
    fn has_property(&self, index: usize, name: &str) -> bool {
        let mut seen = Vec::new();
        let mut current = Some(index);
        while let Some(i) = current {
            if seen.contains(&i) {
                break;
            }
            seen.push(i);
            let def = &self.entries[i].def;
            if def.properties.iter().any(|p| p.name == name) {
                return true;
            }
            current = def
                .base
                .as_deref()
                .and_then(|b| self.by_key.get(&key(b)).copied());
        }
        false
    }

    /// The type of a row, resolved; reports what cannot be resolved.
    pub(super) fn row_type(
        &self,
        at: (usize, usize, usize),
        page: &PageFacts,
        row: &PropertyRow,
        diags: &mut Diagnostics,
    ) -> TypeRef {
        let collection = row.ty.collection;
        let name = match &row.ty.name {
            TypeName::Primitive(p) => (*p).to_owned(),
            TypeName::Json => JSON_TYPE.to_owned(),
            TypeName::Enumeration => match self.synthesized.get(&at) {
                Some(&i) => self.entries[self.follow(i)].def.ref_name(),
                None => {
                    diags.push(
                        Diagnostic::new(
                            Code::TypeCellUnparsed,
                            Span::new(page.file, row.ty_span.clone()),
                            format!("`{}` is an Enumeration without listed values", row.name),
                        )
                        .with_note("docgen used String for it"),
                    );
                    "String".to_owned()
                }
            },
            TypeName::Named(n) => match self.resolve_cell(page, &row.ty) {
                Some(i) => self.entries[i].def.ref_name(),
                None => {
                    diags.push(
                        Diagnostic::new(
                            Code::TypeUnresolved,
                            Span::new(page.file, row.ty_span.clone()),
                            format!("`{}` has type `{n}`, which no page defines", row.name),
                        )
                        .with_note("generated code uses untyped JSON for it"),
                    );
                    n.clone()
                }
            },
        };
        TypeRef { name, collection }
    }

    fn add_property(
        &mut self,
        index: usize,
        page: &PageFacts,
        row: &PropertyRow,
        ty: TypeRef,
        navigation: bool,
        diags: &mut Diagnostics,
    ) {
        let description = clean_description(&row.description.text);
        let source = Span::new(page.file, row.span.clone());
        // Indexed by name: a page with a hundred thousand rows stays linear.
        let known = self.property_index.entry(index).or_default();
        let entry = &mut self.entries[index];
        if let Some(existing) = known
            .get(&row.name)
            .and_then(|&at| entry.def.properties.get_mut(at))
        {
            if existing.ty != ty && row.ty_exact {
                diags.push(
                    Diagnostic::new(
                        Code::PropertyConflict,
                        source,
                        format!(
                            "`{}.{}` is {} here but {} where it was first described",
                            entry.def.name,
                            row.name,
                            show(&ty),
                            show(&existing.ty)
                        ),
                    )
                    .with_note("docgen kept the first"),
                );
            } else if existing.description.is_none() {
                existing.description = description;
            }
            // Listed under Relationships as well as Properties: a relationship.
            existing.navigation |= navigation;
            return;
        }
        known.insert(row.name.clone(), entry.def.properties.len());
        entry.def.properties.push(Property {
            name: row.name.clone(),
            ty,
            navigation,
            inherited: false,
            description,
            source,
        });
    }

    fn lookup(&self, namespace: &str, name: &str) -> Option<usize> {
        let full = if namespace == GRAPH_NAMESPACE {
            name.to_owned()
        } else {
            format!("{namespace}.{name}")
        };
        self.by_key.get(&key(&full)).copied()
    }

    /// Resolves a type named by a link or a name.
    pub(super) fn resolve_cell(&self, page: &PageFacts, cell: &TypeCell) -> Option<usize> {
        let TypeName::Named(name) = &cell.name else {
            return None;
        };
        self.resolve(name, cell.link.as_deref(), page.namespace.as_deref())
    }

    pub(super) fn resolve_mention(&self, page: &PageFacts, mention: &Mention) -> Option<usize> {
        self.resolve(
            &mention.name,
            mention.link.as_deref(),
            page.namespace.as_deref(),
        )
    }

    /// By link target first (file names differ from type names), then by name:
    /// in the page's own namespace before the Graph namespace.
    pub(super) fn resolve(
        &self,
        name: &str,
        link: Option<&str>,
        namespace: Option<&str>,
    ) -> Option<usize> {
        let stem = link.and_then(link_stem);
        let local = namespace
            .filter(|ns| !ns.eq_ignore_ascii_case(GRAPH_NAMESPACE) && !name.contains('.'))
            .and_then(|ns| self.by_key.get(&key(&format!("{ns}.{name}"))));
        stem.as_ref()
            .and_then(|s| self.by_file.get(s))
            .or(local)
            .or_else(|| self.by_key.get(&key(name)))
            .or_else(|| stem.as_ref().and_then(|s| self.by_key.get(s)))
            // A plural where the type is meant: `[secureScores](securescores.md)`.
            .or_else(|| self.by_key.get(&key(&super::naming::singular(name))))
            .map(|&i| self.follow(i))
    }

    /// The reference name of a resolved type.
    pub(super) fn ref_name(&self, index: usize) -> String {
        self.entries[index].def.ref_name()
    }

    /// Step 4: an enum docgen had to name merges into an identical named enum
    /// (same members, same order), so `Enumeration` cells end up typed by it.
    pub(super) fn dedupe_enums(&mut self) {
        for i in 0..self.entries.len() {
            if !self.entries[i].synthesized {
                continue;
            }
            let members: Vec<&str> = self.entries[i]
                .def
                .members
                .iter()
                .map(|m| m.name.as_str())
                .collect();
            let twin = self.entries.iter().position(|other| {
                !other.synthesized
                    && other.def.kind == TypeKind::Enum
                    && other
                        .def
                        .members
                        .iter()
                        .map(|m| m.name.as_str())
                        .eq(members.iter().copied())
            });
            self.entries[i].merged_into = twin;
        }
    }

    /// Follows a merge.
    fn follow(&self, index: usize) -> usize {
        self.entries[index].merged_into.unwrap_or(index)
    }

    /// Step 6: entity or complex, and the base type, from what the pages say.
    pub(super) fn infer(&mut self) {
        // What each resource page says outright.
        let mut stated: Vec<(usize, Option<String>, bool, bool)> = Vec::new();
        for (pi, page) in self.pages.iter().enumerate() {
            let Some(&index) = self.page_types.get(&pi) else {
                continue;
            };
            let annotation = page.resources.first().map(|r| &r.annotation);
            let base = annotation
                .and_then(|a| a.base_type.clone())
                .or_else(|| page.inherits.as_ref().map(|m| m.name.clone()));
            let keyed = annotation.is_some_and(|a| a.key_property.is_some());
            stated.push((index, base, keyed, page.has_methods_table));
        }
        for (index, base, keyed, methods) in stated {
            let base = base.map(|b| match self.by_key.get(&key(&b)) {
                Some(&i) => self.entries[self.follow(i)].def.ref_name(),
                None => split_qualified(&b).1,
            });
            let entry = &mut self.entries[index];
            if entry.def.kind == TypeKind::Enum {
                continue;
            }
            if entry.def.base.is_none() {
                entry.def.base = base.filter(|b| *b != entry.def.ref_name());
            }
            if keyed {
                entry.def.kind = TypeKind::Entity;
            } else if methods {
                // Only entities are addressed by the methods a Methods table lists.
                entry.def.mark_entity();
            }
        }
        // Relationships (navigation properties) can only point at entities.
        let targets: Vec<usize> = self
            .entries
            .iter()
            .flat_map(|e| e.def.properties.iter())
            .filter(|p| p.navigation)
            .filter_map(|p| self.by_key.get(&key(&p.ty.name)).map(|&i| self.follow(i)))
            .collect();
        for index in targets {
            self.entries[index].def.mark_entity();
        }
        // An `id` row that says it is the key or comes from entity (Intune pages).
        for entry in &mut self.entries {
            let def = &mut entry.def;
            if def.kind == TypeKind::Enum || def.name == "entity" {
                continue;
            }
            let id_says_entity = def.properties.iter().any(|p| {
                let d = p.description.as_deref().unwrap_or("").to_ascii_lowercase();
                p.name == "id"
                    && (d.contains("inherited from entity") || d.contains("key of the entity"))
            });
            if id_says_entity {
                def.mark_entity();
                if def.base.is_none() {
                    def.base = Some("entity".to_owned());
                    def.inferred.push("base");
                }
            }
        }
        // A type deriving from an entity is an entity; bases resolve in any order.
        for _ in 0..16 {
            let entities: std::collections::HashSet<String> = self
                .entries
                .iter()
                .filter(|e| e.def.kind == TypeKind::Entity)
                .map(|e| e.def.ref_name())
                .collect();
            let mut changed = false;
            for entry in &mut self.entries {
                let def = &mut entry.def;
                if def.kind == TypeKind::Complex
                    && def.base.as_ref().is_some_and(|b| entities.contains(b))
                {
                    def.mark_entity();
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // Entities keyed by `id` without a stated base derive from `entity`, the
        // type that declares `id`.
        let has_entity = self.by_key.contains_key("entity");
        for entry in &mut self.entries {
            let def = &mut entry.def;
            let keyed_by_id = def.properties.iter().any(|p| p.name == "id");
            if def.kind == TypeKind::Entity
                && def.base.is_none()
                && def.name != "entity"
                && keyed_by_id
                && (has_entity || def.namespace == GRAPH_NAMESPACE)
            {
                def.base = Some("entity".to_owned());
                def.inferred.push("base");
            }
        }
        self.mark_inherited();
        for entry in &mut self.entries {
            if entry.synthesized && !entry.def.inferred.contains(&"name") {
                entry.def.inferred.push("name");
            }
        }
    }

    /// Flags properties a base type declares, or that the page says are inherited.
    fn mark_inherited(&mut self) {
        let mut flags: Vec<(usize, usize)> = Vec::new();
        for (i, entry) in self.entries.iter().enumerate() {
            let mut ancestors = Vec::new();
            let mut current = entry
                .def
                .base
                .as_deref()
                .and_then(|b| self.by_key.get(&key(b)).copied());
            while let Some(a) = current.map(|a| self.follow(a)) {
                if a == i || ancestors.contains(&a) {
                    break;
                }
                ancestors.push(a);
                current = self.entries[a]
                    .def
                    .base
                    .as_deref()
                    .and_then(|b| self.by_key.get(&key(b)).copied());
            }
            for (pi, p) in entry.def.properties.iter().enumerate() {
                let said = p
                    .description
                    .as_deref()
                    .is_some_and(|d| d.to_ascii_lowercase().contains("inherited from"));
                let declared_above = ancestors.iter().any(|&a| {
                    self.entries[a]
                        .def
                        .properties
                        .iter()
                        .any(|q| q.name == p.name)
                });
                if said || declared_above {
                    flags.push((i, pi));
                }
            }
        }
        for (i, pi) in flags {
            self.entries[i].def.properties[pi].inherited = true;
        }
    }

    /// The finished types, sorted by reference name.
    pub(super) fn finish(self) -> Vec<TypeDef> {
        let mut types: Vec<TypeDef> = self
            .entries
            .into_iter()
            .filter(|e| e.merged_into.is_none())
            .map(|e| e.def)
            .collect();
        types.sort_by(|a, b| {
            a.ref_name()
                .to_ascii_lowercase()
                .cmp(&b.ref_name().to_ascii_lowercase())
                .then_with(|| a.ref_name().cmp(&b.ref_name()))
        });
        types
    }
}

/// Link texts by the file stem they point at, from type cells and prose.
fn link_texts(pages: &[PageFacts]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let mut add = |text: &str, dest: Option<&str>| {
        if let Some(stem) = dest.and_then(link_stem) {
            out.entry(stem).or_default().push(text.trim().to_owned());
        }
    };
    for page in pages {
        for table in &page.property_tables {
            for row in &table.rows {
                if let TypeName::Named(n) = &row.ty.name {
                    add(n, row.ty.link.as_deref());
                }
            }
        }
        let mentions = [
            page.request_body.mention.as_ref(),
            page.response.as_ref().and_then(|r| r.mention.as_ref()),
            page.inherits.as_ref(),
        ];
        for m in mentions.into_iter().flatten() {
            add(&m.name, m.link.as_deref());
        }
    }
    out
}

/// The Request body table of a page.
pub(super) fn body_table(page: &PageFacts) -> Option<&PropertyTable> {
    page.property_tables
        .iter()
        .find(|t| t.role == TableRole::RequestBody)
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Trims a description; `None` when empty.
pub(super) fn clean_description(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn show(ty: &TypeRef) -> String {
    if ty.collection {
        format!("`{}` collection", ty.name)
    } else {
        format!("`{}`", ty.name)
    }
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
