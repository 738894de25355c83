//! The type space: types from every page, merged and resolved.
//!
//! Order matters and is fixed: names first (resource and enum pages, then types
//! that only API request-body tables describe, then enums that only property
//! descriptions list), then properties (resource pages before API pages), then
//! enum deduplication and kind/base inference. Pages are visited in path order,
//! so the result does not depend on how pages were read.

mod infer;
mod names;
mod resolve;

use std::collections::HashMap;

pub(super) use names::{area_of, key, page_kind};
use names::{defined_name, link_stem, qualified_in, split_qualified};

use super::{
    EnumMember, GRAPH_NAMESPACE, JSON_TYPE, Property, Resolution, ResolvedBy, TypeDef, TypeKind,
    TypeRef,
};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::extract::facts::{PageFacts, PropertyRow, PropertyTable, TableRole};
use crate::extract::typeref::TypeName;
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
    /// Types by reference name exactly as spelled (`timeStamp`): an exact name
    /// beats one that matches only up to case.
    by_exact: HashMap<String, usize>,
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

impl<'a> TypeSpace<'a> {
    pub(super) fn new(pages: &'a [PageFacts], sources: &'a SourceMap) -> Self {
        TypeSpace {
            pages,
            sources,
            entries: Vec::new(),
            by_key: HashMap::new(),
            by_exact: HashMap::new(),
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
        let def = &self.entries[index].def;
        self.by_exact.entry(def.ref_name()).or_insert(index);
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
                let (ty, resolution) = self.row_type((pi, ti, ri), page, row, diags);
                self.add_property(index, page, row, (ty, resolution), false, diags);
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
                let typed = self.row_type((pi, ti, ri), page, row, diags);
                self.add_property(index, page, row, typed, navigation, diags);
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

    /// The type of a row, resolved, and how when not by its exact name; reports
    /// what cannot be resolved and links that name another type.
    pub(super) fn row_type(
        &self,
        at: (usize, usize, usize),
        page: &PageFacts,
        row: &PropertyRow,
        diags: &mut Diagnostics,
    ) -> (TypeRef, Option<Resolution>) {
        let collection = row.ty.collection;
        let written = &row.ty.written;
        let mut resolution = None;
        let mut resolved_by = |by, link_type: Option<usize>| {
            resolution = Some(Resolution {
                written: written.clone(),
                by,
                link_type: link_type.map(|i| self.entries[i].def.ref_name()),
            });
        };
        let name = match &row.ty.name {
            TypeName::Primitive(p) => {
                match self.linked_primitive(written, row.ty.link.as_deref()) {
                    Ok(i) => {
                        resolved_by(ResolvedBy::LinkedPage, None);
                        self.entries[i].def.ref_name()
                    }
                    Err(Some(other)) => {
                        resolved_by(ResolvedBy::PrimitiveOverLink, Some(other));
                        diags.push(self.link_mismatch(
                            page,
                            row.ty_span.clone(),
                            written,
                            p,
                            &self.entries[other].def.ref_name(),
                            ResolvedBy::PrimitiveOverLink,
                        ));
                        (*p).to_owned()
                    }
                    Err(None) => (*p).to_owned(),
                }
            }
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
            TypeName::Named(n) => {
                let json = || json_odata_type(page, at.1, &row.name);
                match self.resolve_cell_detail(page, &row.ty, json) {
                    Some(r) => {
                        let used = self.entries[r.index].def.ref_name();
                        if let Some(link_type) = r.link_type {
                            diags.push(self.link_mismatch(
                                page,
                                row.ty_span.clone(),
                                written,
                                &used,
                                &self.entries[link_type].def.ref_name(),
                                r.by,
                            ));
                        }
                        if r.by != ResolvedBy::Name || r.link_type.is_some() {
                            resolved_by(r.by, r.link_type);
                        }
                        used
                    }
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
                }
            }
        };
        (TypeRef { name, collection }, resolution)
    }

    fn add_property(
        &mut self,
        index: usize,
        page: &PageFacts,
        row: &PropertyRow,
        (ty, resolution): (TypeRef, Option<Resolution>),
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
            resolution,
        });
    }

    /// The text of a page, for pointing diagnostics into it.
    pub(in crate::ir) fn page_text(&self, file: crate::source::FileId) -> &str {
        &self.sources.get(file).text
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

/// The `@odata.type` a resource page's JSON representation gives a property of
/// the type its Properties or Relationships table (number `table`) describes:
/// `"servicePrincipal": [{"@odata.type": "microsoft.graph.provisioningServicePrincipal"}]`.
fn json_odata_type(page: &PageFacts, table: usize, property: &str) -> Option<String> {
    let role = page.property_tables.get(table)?.role;
    if !matches!(role, TableRole::Properties | TableRole::Relationships) {
        return None;
    }
    page.resources.iter().find_map(|resource| {
        let value = resource.json.as_ref()?.node.get(property)?;
        let object = match &value.kind {
            crate::extract::json::Kind::Array(items) => items.first()?,
            _ => value,
        };
        let odata_type = object.get("@odata.type")?.as_str()?;
        Some(odata_type.trim_start_matches('#').to_owned())
    })
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
