//! Resolving a type reference (a Type cell, a sentence naming a type) to a
//! type of the space.
//!
//! A reference is a name as written (`chatType`, `Timestamp`), often a link
//! (`[chatType](../resources/chat.md#chattype-values)`). The written name and
//! the link's anchor name the type; the link's file is a hint: it settles the
//! namespace (`[property](externalconnectors-property.md)`) and names what the
//! text does not, since file names differ from type names
//! (`intune-devices-user.md`). Where the name and the file point at different
//! types, the page's JSON representation decides (it spells the value's
//! `@odata.type`); failing that, in a Type cell the written name wins and the
//! page gets `type-link-mismatch`, because a reader cannot tell which is meant.
//! In prose the file wins: a sentence links a word, not a type name ("returns
//! a [message](chatmessage.md)", "an [operation](teamsasyncoperation.md)").

use super::{TypeSpace, key, link_stem};
use crate::diag::{Code, Diagnostic};
use crate::extract::facts::PageFacts;
use crate::extract::typeref::TypeCell;
use crate::ir::{GRAPH_NAMESPACE, ResolvedBy};
use crate::source::Span;

/// Where a reference is written, which decides who wins when its name and its
/// link's file disagree and nothing else settles it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::ir) enum Written {
    /// A Type cell: the name is a type name.
    Cell,
    /// A sentence: the link text is a word.
    Prose,
}

/// A reference, resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::ir) struct Resolved {
    /// The type.
    pub index: usize,
    /// Why it is that type.
    pub by: ResolvedBy,
    /// The type the link's file defines, when the written name names another.
    pub link_type: Option<usize>,
}

impl TypeSpace<'_> {
    pub(super) fn lookup(&self, namespace: &str, name: &str) -> Option<usize> {
        let full = if namespace == GRAPH_NAMESPACE {
            name.to_owned()
        } else {
            format!("{namespace}.{name}")
        };
        self.by_key.get(&key(&full)).copied()
    }

    /// A name alone: in the page's namespace before the Graph namespace, the
    /// exact spelling before one that differs in case. `Some((type, exact))`.
    fn by_name(&self, name: &str, namespace: Option<&str>) -> Option<(usize, bool)> {
        let name = name.trim().trim_start_matches('#');
        if name.is_empty() {
            return None;
        }
        let local = namespace
            .filter(|ns| !ns.eq_ignore_ascii_case(GRAPH_NAMESPACE) && !name.contains('.'))
            .map(|ns| format!("{ns}.{name}"));
        let graph = name
            .strip_prefix("microsoft.graph.")
            .filter(|rest| !rest.contains('.'))
            .unwrap_or(name);
        let candidates = || local.iter().map(String::as_str).chain([graph]);
        candidates()
            .find_map(|c| self.by_exact.get(c))
            .map(|&i| (self.follow(i), true))
            .or_else(|| {
                candidates()
                    .find_map(|c| self.by_key.get(&key(c)))
                    .map(|&i| (self.follow(i), false))
            })
    }

    /// The type a link's page defines (`../resources/chat.md` → `chat`).
    fn link_file_type(&self, link: &str) -> Option<usize> {
        let file = link.split('#').next().unwrap_or(link);
        let stem = link_stem(file)?;
        self.by_file.get(&stem).map(|&i| self.follow(i))
    }

    /// The enum a link's anchor names: `#chattype-values` is the `chatType values`
    /// heading, under which the page lists the enum's members.
    fn link_anchor_type(&self, link: &str) -> Option<usize> {
        let (_, anchor) = link.split_once('#')?;
        let name = anchor.strip_suffix("-values")?;
        self.by_key.get(&key(name)).map(|&i| self.follow(i))
    }

    /// Resolves a reference: `written` as the page writes it, `link` its
    /// destination, `json_type` (asked only when the name and the file
    /// disagree) the `@odata.type` the page's JSON representation gives it.
    pub(in crate::ir) fn resolve_reference(
        &self,
        written: &str,
        link: Option<&str>,
        namespace: Option<&str>,
        written_in: Written,
        json_type: impl FnOnce() -> Option<String>,
    ) -> Option<Resolved> {
        let resolved = |index, by, link_type| Resolved {
            index,
            by,
            link_type,
        };
        if let Some(anchored) = link.and_then(|l| self.link_anchor_type(l)) {
            return Some(resolved(anchored, ResolvedBy::Anchor, None));
        }
        let file = link.and_then(|l| self.link_file_type(l));
        let named = self.by_name(written, namespace);
        let name_by = |exact| {
            if exact {
                ResolvedBy::Name
            } else {
                ResolvedBy::NameIgnoringCase
            }
        };
        Some(match (named, file) {
            (Some((n, exact)), Some(f)) if n == f => resolved(n, name_by(exact), None),
            // The same name in another namespace: the file says which.
            (Some((n, _)), Some(f))
                if self.entries[n]
                    .def
                    .name
                    .eq_ignore_ascii_case(&self.entries[f].def.name) =>
            {
                resolved(f, ResolvedBy::LinkNamespace, None)
            }
            (Some((n, _)), Some(f)) => {
                let witness = json_type()
                    .and_then(|t| self.by_name(&t, None))
                    .map(|(i, _)| i);
                if witness == Some(f) {
                    resolved(f, ResolvedBy::JsonRepresentation, Some(f))
                } else if witness == Some(n) {
                    resolved(n, ResolvedBy::JsonRepresentation, Some(f))
                } else if written_in == Written::Prose {
                    resolved(f, ResolvedBy::LinkFile, None)
                } else {
                    resolved(n, ResolvedBy::NameOverLink, Some(f))
                }
            }
            (Some((n, exact)), None) => resolved(n, name_by(exact), None),
            (None, Some(f)) => resolved(f, ResolvedBy::LinkFile, None),
            (None, None) => {
                // A plural where the type is meant: `[secureScores](securescores.md)`.
                let singular = crate::ir::naming::singular(written);
                if let Some((s, _)) = self.by_name(&singular, namespace) {
                    resolved(s, ResolvedBy::Singular, None)
                } else {
                    // A link to a page docgen did not read, named like a known type.
                    let stem = link.and_then(|l| link_stem(l.split('#').next().unwrap_or(l)))?;
                    let i = self.follow(*self.by_key.get(&stem)?);
                    resolved(i, ResolvedBy::LinkFile, None)
                }
            }
        })
    }

    /// A primitive spelling linked to a type's page is that type when the page's
    /// type has that name (`[timeStamp](timestamp.md)`): `Ok(type)`. When the
    /// page is another type's (`[DateTimeOffset](timestamp.md)`), the spelling
    /// stays primitive: `Err(Some(that type))`, for the diagnostic.
    pub(in crate::ir) fn linked_primitive(
        &self,
        written: &str,
        link: Option<&str>,
    ) -> Result<usize, Option<usize>> {
        let Some(file) = link.and_then(|l| self.link_file_type(l)) else {
            return Err(None);
        };
        if key(&self.entries[file].def.name) == key(written) {
            Ok(file)
        } else {
            Err(Some(file))
        }
    }

    /// Resolves a Type cell (see [`TypeSpace::resolve_reference`]).
    pub(in crate::ir) fn resolve_cell_detail(
        &self,
        page: &PageFacts,
        cell: &TypeCell,
        json_type: impl FnOnce() -> Option<String>,
    ) -> Option<Resolved> {
        self.resolve_reference(
            &cell.written,
            cell.link.as_deref(),
            page.namespace.as_deref(),
            Written::Cell,
            json_type,
        )
    }

    /// Resolves a Type cell to its type.
    pub(in crate::ir) fn resolve_cell(&self, page: &PageFacts, cell: &TypeCell) -> Option<usize> {
        self.resolve_cell_detail(page, cell, || None)
            .map(|r| r.index)
    }

    /// Resolves a type a sentence names ("returns a [user](user.md) object").
    pub(in crate::ir) fn resolve_mention(
        &self,
        page: &PageFacts,
        mention: &crate::extract::facts::Mention,
    ) -> Option<usize> {
        self.resolve_reference(
            &mention.name,
            mention.link.as_deref(),
            page.namespace.as_deref(),
            Written::Prose,
            || None,
        )
        .map(|r| r.index)
    }

    /// Resolves a bare name (a title's word, an annotation's `@odata.type`).
    pub(in crate::ir) fn resolve(
        &self,
        name: &str,
        link: Option<&str>,
        namespace: Option<&str>,
    ) -> Option<usize> {
        self.resolve_reference(name, link, namespace, Written::Prose, || None)
            .map(|r| r.index)
    }

    /// The type exactly so named (`timeStamp`), which an annotation means even
    /// where the spelling is also a primitive's up to case.
    pub(in crate::ir) fn exact(&self, name: &str) -> Option<usize> {
        let name = name.trim().trim_start_matches('#');
        let bare = name
            .strip_prefix("microsoft.graph.")
            .filter(|rest| !rest.contains('.'))
            .unwrap_or(name);
        self.by_exact.get(bare).map(|&i| self.follow(i))
    }

    /// `type-link-mismatch`: the written name and the link name different types.
    pub(super) fn link_mismatch(
        &self,
        page: &PageFacts,
        at: std::ops::Range<usize>,
        written: &str,
        used: &str,
        link_type: &str,
        by: ResolvedBy,
    ) -> Diagnostic {
        let why = match by {
            ResolvedBy::JsonRepresentation => "which the JSON representation names",
            ResolvedBy::PrimitiveOverLink => "the primitive the cell names",
            _ => "the written name, since nothing on the page decides",
        };
        Diagnostic::new(
            Code::TypeLinkMismatch,
            Span::new(page.file, at),
            format!("the type is written `{written}` but links to the page of `{link_type}`"),
        )
        .with_note(format!(
            "docgen used `{used}`, {why}; make the link text and the link name one type"
        ))
    }
}
