//! The URL tree of the SDK: every documented path, segment by segment.
//!
//! Each documented path (each `{a | b}` alternative) is a walk from the root;
//! each position on a walk is a node, and each node a request builder of the
//! generated crate, reached by a method named after the segment that leads to
//! it (the rule is a table in the README):
//!
//! | segment | method |
//! |---|---|
//! | `messages` | `messages()` |
//! | `{message-id}` | `by_id(message_id)` |
//! | `range(address='{a}')` | `range_with_address(a)` |
//! | `microsoft.graph.user` | `as_user()` |
//! | `root:/{path}:` | `item_by_path(path)` |
//! | `$ref`, `$count`, `$value` | `reference()`, `count()`, `value()` |
//! | `sendMail` (an action: POST only, ends the path, names no property) | `send_mail(&body)`, the request itself |
//!
//! Requests documented on a node are its verbs: `list` or `get` (GET, by
//! whether a collection comes back), `create` (POST), `update` (PATCH),
//! `replace` (PUT), `delete` (DELETE). A request for raw content keeps its
//! verb: `content().get()` answers `runtime::Content` (a download),
//! `content().replace(body)` sends a `runtime::RawBody`. Names come from the segments alone, so
//! they are unique per node by construction and do not change when another
//! page is added. Nodes whose subtrees are the same (the `/me/…` and
//! `/users/{id}/…` one page documents both) share one builder type, and only
//! documented paths are offered: a shared type is only shared where
//! everything beneath it is the same.

mod build;
mod long_running;
mod names;
mod terminals;

pub use build::build;
pub(crate) use build::path_text;
pub use long_running::LongRunning;
pub use names::{BodyWish, body_names};

use std::collections::BTreeSet;

use crate::ir::{RequestBody, Response};
use crate::source::Span;

/// The tree: nodes (index 0 is the root, the generated `Client`) and the
/// builder types they share.
#[derive(Debug, Default)]
pub struct Tree {
    /// Every node, parents before children.
    pub nodes: Vec<Node>,
    /// The builder types; `Node::ty` indexes here.
    pub types: Vec<NodeType>,
}

/// A position in the URL.
#[derive(Debug)]
pub struct Node {
    /// The node before it; `None` for the root.
    pub parent: Option<usize>,
    /// The segment that leads here.
    pub edge: Edge,
    /// The method of the parent that leads here (`messages`, `by_id`).
    pub method: String,
    /// The nodes beneath, by method name.
    pub children: Vec<usize>,
    /// The requests documented here, in verb order.
    pub terminals: Vec<Terminal>,
    /// Whether this is an action: its one request is a method of the parent.
    pub action: bool,
    /// The product areas of every request at or beneath this node.
    pub areas: BTreeSet<String>,
    /// The builder type (meaningless for the root and actions).
    pub ty: usize,
    /// The path to here as documented, placeholders kept: `/users/{id}/messages`.
    pub template: String,
    /// Words naming this position, for type and body names (`User`, `Messages`).
    pub words: Vec<String>,
    /// The same, a key written `{Collection}Item` (`CalendarsItem`): what
    /// tells an item from a singleton of the same name (`/me/calendars/{id}`
    /// and `/me/calendar`) when the first words meet.
    pub item_words: Vec<String>,
}

/// How a segment leads from a node to the next.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Edge {
    /// The root.
    Root,
    /// A name: `messages`, `sendMail`, `delta`.
    Nav {
        /// As the docs write it.
        text: String,
    },
    /// A key in its own segment: `{message-id}`.
    Key {
        /// The placeholder (the argument's name).
        param: String,
    },
    /// A call: `range(address='{address}')`, or a key in parentheses,
    /// `worksheets('{name}')`.
    Call {
        /// The function or collection name, as written.
        name: String,
        /// The arguments, in order.
        args: Vec<CallArg>,
    },
    /// A cast or namespaced name: `microsoft.graph.user`.
    Cast {
        /// As written.
        name: String,
    },
    /// OneDrive path addressing: `root:/{item-path}:`, or `:/{path}:` after a key.
    DrivePath {
        /// `root` for `root:/…:`; `None` when the path follows a key (`items/{id}:/…:`).
        root: Option<String>,
        /// The placeholder for the path.
        param: String,
        /// Whether the path is closed by a `:` (something follows it, or the docs write it).
        closed: bool,
    },
    /// A segment that mixes text and placeholders in a way no other form
    /// reads (`roleTemplateId={roleTemplateId}`): its pieces, in order.
    Pattern {
        /// Text and placeholders.
        pieces: Vec<PatternPiece>,
    },
    /// `$ref`.
    Ref,
    /// `$count`.
    Count,
    /// `$value`.
    Value,
}

/// One argument of a call segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CallArg {
    /// `address` in `address='{a}'`; `None` for a key in parentheses.
    pub name: Option<String>,
    /// The value: a placeholder (an argument of the method) or fixed text.
    pub value: ArgValue,
    /// Whether the value stands inside `'…'`.
    pub quoted: bool,
}

/// What an argument of a call segment holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ArgValue {
    /// A placeholder: the caller gives it.
    Param(String),
    /// Fixed text, as written.
    Fixed(String),
}

/// A piece of a [`Edge::Pattern`] segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PatternPiece {
    /// Documented text.
    Text(String),
    /// A placeholder; `quoted` when it stands inside `'…'`.
    Param {
        /// Its name.
        name: String,
        /// Whether the text before it ends with `'`.
        quoted: bool,
    },
}

/// A request documented on a node.
#[derive(Clone, Debug)]
pub struct Terminal {
    /// The HTTP method.
    pub method: String,
    /// The verb (`list`, `get`, `create`, `update`, `replace`, `delete`), or
    /// the action's name for an action.
    pub verb: String,
    /// The operation (IR index) whose page documents it first.
    pub op: usize,
    /// Other operations documented for the same method here (another page, a
    /// derived type), merged into this request.
    pub merged: Vec<usize>,
    /// What the request sends: the operation's, or the base type of the merged ones'.
    pub body: Option<RequestBody>,
    /// What it answers: the operation's, or the base type of the merged ones'
    /// (without a type when the answer is raw content).
    pub response: Option<Response>,
    /// Whether it sends raw content (`runtime::RawBody`) rather than JSON:
    /// a PUT of a file's `content`, of a photo's `$value`. `body` is `None`.
    pub raw_body: bool,
    /// Whether it answers raw content (`runtime::Content`, read as a
    /// `runtime::Download`): a GET of `$value` or of a stream property, a
    /// GET documented to redirect to a download, anything typed `Edm.Stream`.
    pub raw_response: bool,
    /// Set when the service answers `202 Accepted` and a monitor to poll
    /// (`runtime::Accepted<T>`, sent with `.start()`): what it waits for.
    pub long_running: Option<LongRunning>,
    /// The documented request line.
    pub source: Span,
}

/// A builder type, shared by every node whose subtree is the same.
#[derive(Debug)]
pub struct NodeType {
    /// The Rust name (`Messages`, `UserMessage`).
    pub ident: String,
    /// The node it is named after (the shallowest).
    pub canonical: usize,
    /// Every node of this type.
    pub nodes: Vec<usize>,
    /// The module (a top-level segment) it is emitted in.
    pub module: String,
}

/// The areas of a request: its first page's and those of the pages merged into it.
pub fn terminal_areas(ir: &crate::ir::Ir, term: &Terminal) -> BTreeSet<String> {
    std::iter::once(term.op)
        .chain(term.merged.iter().copied())
        .map(|o| ir.operations[o].area.clone())
        .collect()
}

/// Types each area's requests use beyond what the area's own operations name:
/// a request merged from pages of several areas sends and answers its first
/// page's types (or their base), in every one of those areas.
pub fn borrowed_types(ir: &crate::ir::Ir, tree: &Tree) -> Vec<(String, crate::ir::TypeRef)> {
    let mut out = Vec::new();
    for node in &tree.nodes {
        for term in &node.terminals {
            let mut types: Vec<crate::ir::TypeRef> = Vec::new();
            match &term.body {
                Some(RequestBody::Type(ty)) => types.push(ty.clone()),
                Some(RequestBody::Parameters(params)) => {
                    types.extend(params.iter().map(|p| p.ty.clone()))
                }
                None => {}
            }
            types.extend(term.response.as_ref().and_then(|r| r.ty.clone()));
            types.extend(term.long_running.as_ref().and_then(|l| l.resource.clone()));
            for area in terminal_areas(ir, term) {
                for ty in &types {
                    out.push((area.clone(), ty.clone()));
                }
            }
        }
    }
    out
}

impl Tree {
    /// The nodes from the root down to `node`, root excluded.
    pub fn chain(&self, node: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut current = Some(node);
        while let Some(n) = current {
            if self.nodes[n].parent.is_none() {
                break;
            }
            out.push(n);
            current = self.nodes[n].parent;
        }
        out.reverse();
        out
    }

    /// Every callable request, as (node, terminal index): depth first, in
    /// method order.
    pub fn requests(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut stack = vec![0];
        while let Some(n) = stack.pop() {
            for t in 0..self.nodes[n].terminals.len() {
                out.push((n, t));
            }
            for &c in self.nodes[n].children.iter().rev() {
                stack.push(c);
            }
        }
        out
    }
}
