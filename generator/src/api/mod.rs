//! What a change to the docs does to the generated SDK's public API.
//!
//! The API is read back from the generated Rust itself (with syn), not from
//! the IR, so the report cannot disagree with the code: `docgen check`
//! compares the committed tree with what it would write now, `docgen diff`
//! two trees or two docs folders. Three stages, data flowing one way:
//! [`read`] turns files into an [`Api`] (types, fields, enum members and
//! callable chains, each with its page:line), [`compare`] classifies what
//! differs by semver, [`render`] writes the report as text, Markdown or JSON.

pub mod compare;
pub mod read;
pub mod render;

use serde::Serialize;

pub use compare::{Change, Class, Report, Summary, What, compare};
pub use read::{read, read_both};

/// The public API of one generated tree, keyed for comparison.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Api {
    /// Every item, by [`Item::key`].
    pub items: std::collections::BTreeMap<String, Item>,
    /// Files whose Rust did not parse (a hand-edited tree): left out, named
    /// in the report so a partial answer never looks complete.
    pub unreadable: Vec<String>,
}

/// What an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A model: struct, enum or alias under `models`.
    Type,
    /// A public field of a model struct.
    Field,
    /// A member of a model enum (a value, or a derived type of an `Any…` enum).
    Variant,
    /// A callable chain, `client.users().by_id(id).get()`.
    Call,
}

impl Kind {
    /// The word the report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Type => "type",
            Kind::Field => "field",
            Kind::Variant => "enum member",
            Kind::Call => "call",
        }
    }
}

/// One public item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// What it is.
    pub kind: Kind,
    /// The key both sides are matched by: `CalendarEntry`,
    /// `CalendarEntry.subject`, `Importance::Low`, or a call with its
    /// arguments elided (`client.users().by_id(..).get()`), since callers
    /// never name a parameter.
    pub key: String,
    /// How the report names it: the key, or the call with its arguments named.
    pub display: String,
    /// What a caller depends on besides the name: `struct`/`enum` for a
    /// type, the field's type, a member's payload, a call's parameter and
    /// return types.
    pub signature: String,
    /// For a call: the HTTP method and path template it requests.
    pub http: Option<String>,
    /// The module it lives in (`models::outlook`, `paths::users`).
    pub module: String,
    /// The cargo features that enable it (standalone crates), sorted.
    pub features: Vec<String>,
    /// The page and line documenting it, `resources/user.md:12`.
    pub source: Option<String>,
    /// The name the pages use (`calendarEntry`, `notApplicable`), when the
    /// code says it.
    pub wire_name: Option<String>,
    /// For a field or member: the key of its type.
    pub parent: Option<String>,
    /// For a type: whether it has a `Default` (struct literals can use
    /// `..Default::default()`).
    pub has_default: bool,
}

impl Item {
    /// The page part of [`source`](Self::source): `resources/user.md`.
    pub fn page(&self) -> Option<&str> {
        self.source
            .as_deref()
            .map(|s| s.rsplit_once(':').map_or(s, |(page, _)| page))
    }
}
