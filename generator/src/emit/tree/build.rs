//! Builds the tree: documented paths into nodes, requests merged per node and
//! method, actions found, areas gathered, names given, subtrees shared.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::names;
use super::terminals::{self, Candidate, ContentSegment};
use super::{ArgValue, CallArg, Edge, Node, PatternPiece, Tree};
use crate::diag::{Code, Diagnostic};
use crate::emit::types::TypeTable;
use crate::extract::urlpath::{Segment, placeholder};
use crate::ir::{Ir, PathTemplate};
use crate::source::SourceMap;

/// What makes two segments the same child: names compare as their Rust
/// names (Graph is case-insensitive), keys are one slot whatever the
/// placeholder says.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum EdgeKey {
    Nav(String),
    Key,
    Call(String, Vec<Option<String>>),
    Cast(String),
    Pattern(String),
    DrivePath(Option<String>),
    Ref,
    Count,
    Value,
}

/// A node while the tree is built.
struct Draft {
    parent: Option<usize>,
    edge: Edge,
    children: BTreeMap<EdgeKey, usize>,
    /// Key placeholders seen for this node's edge (it takes the best).
    key_params: Vec<String>,
    /// Documented requests: method → candidates.
    requests: BTreeMap<String, Vec<Candidate>>,
}

/// The tree of every generatable request of `ir`. What cannot be generated
/// (paths with characters no URL holds, `.` segments, elisions) gets
/// `emit-unsupported`.
pub fn build(
    ir: &Ir,
    table: &TypeTable<'_>,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Tree {
    let mut drafts = vec![Draft {
        parent: None,
        edge: Edge::Root,
        children: BTreeMap::new(),
        key_params: Vec::new(),
        requests: BTreeMap::new(),
    }];
    for (index, op) in ir.operations.iter().enumerate() {
        for (path_index, path) in op.paths.iter().enumerate() {
            let why_not = |what: &str| {
                Diagnostic::new(
                    Code::EmitUnsupported,
                    path.source.clone(),
                    format!("`{}` {what}; no function was generated for it", path.path),
                )
            };
            let dots = |s: &str| !s.is_empty() && s.bytes().all(|b| b == b'.');
            if path.path.split('/').any(|s| s == "." || s == "..") {
                diagnostics.push(why_not(
                    "has `.` or `..` segments, which would leave the path",
                ));
                continue;
            }
            // `childFolders/{id}/.../messages`: the page elides a depth, which no URL writes.
            if path.path.split('/').any(dots) {
                diagnostics.push(why_not("has a `...` segment, an elision that names no URL"));
                continue;
            }
            let Some(steps) = edges(path) else {
                diagnostics.push(why_not(
                    "has characters that cannot appear in a URL path, or a segment that mixes text and a placeholder",
                ));
                continue;
            };
            let mut at = 0;
            for (key, edge) in steps {
                at = match drafts[at].children.get(&key) {
                    Some(&child) => {
                        merge_edge(&mut drafts[child], &edge);
                        child
                    }
                    None => {
                        let child = drafts.len();
                        let key_params = match &edge {
                            Edge::Key { param } => vec![param.clone()],
                            _ => Vec::new(),
                        };
                        drafts.push(Draft {
                            parent: Some(at),
                            edge,
                            children: BTreeMap::new(),
                            key_params,
                            requests: BTreeMap::new(),
                        });
                        drafts[at].children.insert(key, child);
                        child
                    }
                };
            }
            if at == 0 {
                continue;
            }
            drafts[at]
                .requests
                .entry(op.method.clone())
                .or_default()
                .push(Candidate {
                    op: index,
                    path: path_index,
                    with_query: path.query.is_some(),
                });
        }
    }
    // Drop nodes that lead to no request (all their paths were refused):
    // nothing beneath them can be called.
    let alive = alive(&drafts);
    let properties: HashSet<String> = ir
        .types
        .iter()
        .flat_map(|t| &t.properties)
        .map(|p| p.name.to_ascii_lowercase())
        .collect();
    let type_names: HashSet<String> = ir
        .types
        .iter()
        .map(|t| format!("{}.{}", t.namespace, t.name).to_ascii_lowercase())
        .collect();

    let stream_properties: HashSet<String> = ir
        .types
        .iter()
        .flat_map(|t| &t.properties)
        .filter(|p| p.ty.name == "Stream" && !p.ty.collection)
        .map(|p| p.name.to_ascii_lowercase())
        .collect();

    // Nodes in breadth-first order from the drafts (parents first).
    let mut tree = Tree::default();
    let mut order: Vec<(usize, Option<usize>)> = vec![(0, None)];
    let mut next = 0;
    let mut index_of = vec![usize::MAX; drafts.len()];
    while next < order.len() {
        let (d, parent) = order[next];
        next += 1;
        let draft = &drafts[d];
        let node_index = tree.nodes.len();
        index_of[d] = node_index;
        let edge = match &draft.edge {
            Edge::Key { .. } => Edge::Key {
                param: best_param(&draft.key_params),
            },
            other => other.clone(),
        };
        let segment = content_segment(&edge, &stream_properties);
        let terminals = draft
            .requests
            .iter()
            .map(|(method, candidates)| terminals::merge(ir, method, candidates, segment))
            .collect();
        tree.nodes.push(Node {
            parent,
            edge,
            method: String::new(),
            children: Vec::new(),
            terminals,
            action: false,
            areas: BTreeSet::new(),
            ty: 0,
            template: String::new(),
            words: Vec::new(),
            item_words: Vec::new(),
        });
        if let Some(p) = parent {
            tree.nodes[p].children.push(node_index);
        }
        for &child in draft.children.values() {
            if alive[child] {
                order.push((child, Some(node_index)));
            }
        }
    }
    for i in 1..tree.nodes.len() {
        let action = is_action(&tree, i, &properties, &type_names);
        let node = &mut tree.nodes[i];
        node.action = action;
        for t in &mut node.terminals {
            t.verb = terminals::verb(&t.method, t.response.as_ref());
        }
        let parent = node.parent.unwrap_or(0);
        let template = format!(
            "{}{}",
            tree.nodes[parent].template,
            path_text(&tree.nodes[i].edge)
        );
        tree.nodes[i].template = template;
    }
    super::long_running::resolve_resources(&mut tree);
    areas(&mut tree, ir);
    names::name_methods(&mut tree);
    names::words(&mut tree);
    share(&mut tree);
    names::name_types(&mut tree, table);
    let _ = sources;
    tree
}

/// Whether a segment leads to raw content: `$value`, or a name some type
/// declares as an `Edm.Stream` property (`content`, `logo`).
fn content_segment(edge: &Edge, stream_properties: &HashSet<String>) -> ContentSegment {
    match edge {
        Edge::Value => ContentSegment::Value,
        Edge::Nav { text } if stream_properties.contains(&text.to_ascii_lowercase()) => {
            ContentSegment::StreamProperty
        }
        _ => ContentSegment::No,
    }
}

/// Joins what a second documented path says about an edge already known.
fn merge_edge(draft: &mut Draft, edge: &Edge) {
    match (&mut draft.edge, edge) {
        (Edge::Key { .. }, Edge::Key { param }) if !draft.key_params.contains(param) => {
            draft.key_params.push(param.clone());
        }
        (Edge::DrivePath { closed, .. }, Edge::DrivePath { closed: also, .. }) => {
            *closed |= *also;
        }
        // Paths are case-insensitive and the docs spell some segments both
        // ways (`contactFolders`, `contactfolders`): one node, named by the
        // camelCase spelling, which is the property's.
        (Edge::Nav { text }, Edge::Nav { text: other }) if uppercase(other) > uppercase(text) => {
            *text = other.clone();
        }
        _ => {}
    }
}

/// Which drafts lead to at least one request.
fn alive(drafts: &[Draft]) -> Vec<bool> {
    let mut alive: Vec<bool> = drafts.iter().map(|d| !d.requests.is_empty()).collect();
    // Children come after their parents: one pass from the end suffices.
    for i in (1..drafts.len()).rev() {
        if alive[i]
            && let Some(p) = drafts[i].parent
        {
            alive[p] = true;
        }
    }
    alive[0] = true;
    alive
}

/// The placeholder a key's argument is named after: `id` when one is, then
/// one that names an id, then the first in alphabetical order, so the name
/// does not depend on which page is read first.
fn best_param(params: &[String]) -> String {
    let mut sorted: Vec<&String> = params.iter().collect();
    sorted.sort();
    sorted
        .iter()
        .find(|p| p.eq_ignore_ascii_case("id"))
        .or_else(|| {
            sorted.iter().find(|p| {
                let lower = p.to_ascii_lowercase();
                lower.ends_with("-id") || lower.ends_with("id")
            })
        })
        .or_else(|| sorted.first())
        .map_or_else(|| "id".to_owned(), |p| (*p).clone())
}

/// An action: a name that ends its path, names no property of any type, and
/// is only ever POSTed (`sendMail`, `forward`, `microsoft.graph.restore`).
fn is_action(
    tree: &Tree,
    i: usize,
    properties: &HashSet<String>,
    type_names: &HashSet<String>,
) -> bool {
    let node = &tree.nodes[i];
    let named = match &node.edge {
        Edge::Nav { text } => {
            !properties.contains(&text.trim_end_matches("()").to_ascii_lowercase())
        }
        Edge::Cast { name } => !type_names.contains(&name.to_ascii_lowercase()),
        _ => false,
    };
    let under_root = node.parent.is_some_and(|p| tree.nodes[p].parent.is_none());
    named
        && !under_root
        && node.children.is_empty()
        && node.terminals.len() == 1
        && node
            .terminals
            .iter()
            .all(|t| t.method == "POST" && !creates_in_collection(&node.edge, t))
}

/// A POST to a plural name that sends a resource and answers the same type
/// creates it in that collection (`POST …/userStatuses`), even where no
/// type's page lists the collection: a node with `create`, not an action.
fn creates_in_collection(edge: &Edge, t: &super::Terminal) -> bool {
    let Edge::Nav { text } = edge else {
        return false;
    };
    let plural = crate::ir::singular(text) != *text;
    let sent = match &t.body {
        Some(crate::ir::RequestBody::Type(ty)) if !ty.collection => Some(&ty.name),
        _ => None,
    };
    let answered = t
        .response
        .as_ref()
        .and_then(|r| r.ty.as_ref())
        .filter(|ty| !ty.collection)
        .map(|ty| &ty.name);
    plural && sent.is_some() && sent == answered
}

/// The areas of every request at or beneath each node.
fn areas(tree: &mut Tree, ir: &Ir) {
    for i in (0..tree.nodes.len()).rev() {
        let mut areas: BTreeSet<String> = tree.nodes[i]
            .terminals
            .iter()
            .flat_map(|t| std::iter::once(t.op).chain(t.merged.iter().copied()))
            .map(|op| ir.operations[op].area.clone())
            .collect();
        for &c in &tree.nodes[i].children {
            areas.extend(tree.nodes[c].areas.iter().cloned());
        }
        tree.nodes[i].areas = areas;
    }
}

/// What makes two nodes the same builder type: the same methods leading to
/// the same types, the same requests. Children are typed before parents.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Signature {
    children: Vec<(String, Edge, Child)>,
    requests: Vec<(String, String, usize, Vec<usize>, bool, bool)>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum Child {
    Type(usize),
    Action(String, usize, Vec<usize>),
}

fn share(tree: &mut Tree) {
    let mut by_signature: HashMap<Signature, usize> = HashMap::new();
    let mut count = 0;
    for i in (1..tree.nodes.len()).rev() {
        if tree.nodes[i].action {
            continue;
        }
        let node = &tree.nodes[i];
        let signature = Signature {
            children: node
                .children
                .iter()
                .map(|&c| {
                    let child = &tree.nodes[c];
                    let what = match child.terminals.first().filter(|_| child.action) {
                        Some(t) => Child::Action(t.method.clone(), t.op, t.merged.clone()),
                        None => Child::Type(child.ty),
                    };
                    (child.method.clone(), child.edge.clone(), what)
                })
                .collect(),
            requests: node
                .terminals
                .iter()
                .map(|t| {
                    (
                        t.method.clone(),
                        t.verb.clone(),
                        t.op,
                        t.merged.clone(),
                        t.raw_body,
                        t.raw_response,
                    )
                })
                .collect(),
        };
        let ty = *by_signature.entry(signature).or_insert_with(|| {
            count += 1;
            count - 1
        });
        tree.nodes[i].ty = ty;
    }
    let mut types: Vec<super::NodeType> = (0..count)
        .map(|_| super::NodeType {
            ident: String::new(),
            canonical: usize::MAX,
            nodes: Vec::new(),
            module: String::new(),
        })
        .collect();
    // Nodes are breadth first: the first of each type is its shallowest.
    for i in 1..tree.nodes.len() {
        if tree.nodes[i].action {
            continue;
        }
        let t = &mut types[tree.nodes[i].ty];
        if t.canonical == usize::MAX {
            t.canonical = i;
        }
        t.nodes.push(i);
    }
    tree.types = types;
}

/// A path's segments as edges; `None` when one cannot be expressed.
fn edges(path: &PathTemplate) -> Option<Vec<(EdgeKey, Edge)>> {
    let mut out = Vec::new();
    let last = path.segments.len().saturating_sub(1);
    for (i, segment) in path.segments.iter().enumerate() {
        match segment {
            // `roleTemplateId={roleTemplateId}`: text and a placeholder in one segment.
            Segment::Literal { name } if name.contains(['{', '<']) => out.push(pattern(name)?),
            Segment::Literal { name } => {
                if !url_safe(name) {
                    return None;
                }
                out.push(nav(name));
            }
            Segment::Param { name } => out.push((
                EdgeKey::Key,
                Edge::Key {
                    param: name.clone(),
                },
            )),
            Segment::Key { name, key } => {
                let param = placeholder(key);
                if name.is_empty() {
                    // `(team-id)`: a key written in parentheses alone.
                    out.push((
                        EdgeKey::Key,
                        Edge::Key {
                            param: param.unwrap_or_else(|| "id".to_owned()),
                        },
                    ));
                } else if !url_safe(name) || (param.is_none() && !url_safe(key)) {
                    return None;
                } else {
                    let arg = CallArg {
                        name: None,
                        value: param.map_or_else(|| ArgValue::Fixed(key.clone()), ArgValue::Param),
                        quoted: key.starts_with('\''),
                    };
                    out.push(call(name, vec![arg]));
                }
            }
            Segment::Function { name, args } => {
                if args.is_empty() {
                    out.push(nav(&format!("{name}()")));
                    continue;
                }
                if !url_safe(name) || args.iter().any(|(n, _)| !url_safe(n)) {
                    return None;
                }
                // `TimeZoneStandard=microsoft.graph.timeZoneStandard'{format}'`: a
                // placeholder inside a value the call form does not read.
                if args
                    .iter()
                    .any(|(_, v)| placeholder(v).is_none() && !url_safe(v))
                {
                    let written: Vec<String> =
                        args.iter().map(|(n, v)| format!("{n}={v}")).collect();
                    out.push(pattern(&format!("{name}({})", written.join(",")))?);
                    continue;
                }
                let args = args
                    .iter()
                    .map(|(n, v)| CallArg {
                        name: Some(n.clone()),
                        value: placeholder(v)
                            .map_or_else(|| ArgValue::Fixed(v.clone()), ArgValue::Param),
                        quoted: v.starts_with('\'') && placeholder(v).is_some(),
                    })
                    .collect();
                out.push(call(name, args));
            }
            Segment::Cast { name } if !url_safe(name) => return None,
            Segment::Cast { name } => out.push((
                EdgeKey::Cast(name.to_ascii_lowercase()),
                Edge::Cast { name: name.clone() },
            )),
            Segment::DrivePath { root, path: inner } => {
                let param = placeholder(inner).unwrap_or_else(|| "item-path".to_owned());
                let closed = i < last || path.path.ends_with(':');
                let root = match placeholder(root) {
                    Some(key) => {
                        out.push((EdgeKey::Key, Edge::Key { param: key }));
                        None
                    }
                    None => Some(root.clone()),
                };
                out.push((
                    EdgeKey::DrivePath(root.as_ref().map(|r| r.to_ascii_lowercase())),
                    Edge::DrivePath {
                        root,
                        param,
                        closed,
                    },
                ));
            }
            Segment::Ref => out.push((EdgeKey::Ref, Edge::Ref)),
            Segment::Count => out.push((EdgeKey::Count, Edge::Count)),
            Segment::Value => out.push((EdgeKey::Value, Edge::Value)),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A segment of text and placeholders, cut into pieces; `None` when its
/// text holds what a URL cannot.
fn pattern(text: &str) -> Option<(EdgeKey, Edge)> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '<']) {
        let close_char = if rest[open..].starts_with('{') {
            '}'
        } else {
            '>'
        };
        let close = open + rest[open..].find(close_char)?;
        let before = &rest[..open];
        if !before.is_empty() {
            if !url_safe(before) {
                return None;
            }
            pieces.push(PatternPiece::Text(before.to_owned()));
        }
        let name = rest[open + 1..close].trim();
        if name.is_empty() {
            return None;
        }
        pieces.push(PatternPiece::Param {
            name: name.to_owned(),
            quoted: before.ends_with('\''),
        });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        if !url_safe(rest) {
            return None;
        }
        pieces.push(PatternPiece::Text(rest.to_owned()));
    }
    let key: String = pieces
        .iter()
        .map(|p| match p {
            PatternPiece::Text(t) => t.to_ascii_lowercase(),
            PatternPiece::Param { .. } => "{}".to_owned(),
        })
        .collect();
    Some((EdgeKey::Pattern(key), Edge::Pattern { pieces }))
}

fn uppercase(text: &str) -> usize {
    text.bytes().filter(u8::is_ascii_uppercase).count()
}

fn nav(text: &str) -> (EdgeKey, Edge) {
    let bare = text.trim_end_matches("()");
    (
        // Keyed by the method name without its underscores, so spellings
        // that differ in case only (`contactFolders`, `contactfolders`) meet,
        // and two segments never get one method name.
        EdgeKey::Nav(crate::emit::names::snake(bare, "segment").replace('_', "")),
        Edge::Nav {
            text: text.to_owned(),
        },
    )
}

fn call(name: &str, args: Vec<CallArg>) -> (EdgeKey, Edge) {
    let arg_names = args
        .iter()
        .map(|a| a.name.as_ref().map(|n| n.to_ascii_lowercase()))
        .collect();
    (
        EdgeKey::Call(name.to_ascii_lowercase(), arg_names),
        Edge::Call {
            name: name.to_owned(),
            args,
        },
    )
}

/// The segment as the path template shows it: `/messages`, `/{id}`,
/// `/range(address='{address}')`, `/root:/{item-path}:`.
pub(crate) fn path_text(edge: &Edge) -> String {
    match edge {
        Edge::Root => String::new(),
        Edge::Nav { text } => format!("/{text}"),
        Edge::Key { param } => format!("/{{{param}}}"),
        Edge::Call { name, args } => {
            let inner: Vec<String> = args
                .iter()
                .map(|a| {
                    let value = match &a.value {
                        ArgValue::Param(p) if a.quoted => format!("'{{{p}}}'"),
                        ArgValue::Param(p) => format!("{{{p}}}"),
                        ArgValue::Fixed(text) => text.clone(),
                    };
                    match &a.name {
                        Some(n) => format!("{n}={value}"),
                        None => value,
                    }
                })
                .collect();
            format!("/{name}({})", inner.join(","))
        }
        Edge::Cast { name } => format!("/{name}"),
        Edge::Pattern { pieces } => {
            let text: String = pieces
                .iter()
                .map(|p| match p {
                    PatternPiece::Text(t) => t.clone(),
                    PatternPiece::Param { name, .. } => format!("{{{name}}}"),
                })
                .collect();
            format!("/{text}")
        }
        Edge::DrivePath {
            root,
            param,
            closed,
        } => {
            let close = if *closed { ":" } else { "" };
            match root {
                Some(r) => format!("/{r}:/{{{param}}}{close}"),
                None => format!(":/{{{param}}}{close}"),
            }
        }
        Edge::Ref => "/$ref".to_owned(),
        Edge::Count => "/$count".to_owned(),
        Edge::Value => "/$value".to_owned(),
    }
}

/// Characters documented text in a path may hold as is.
fn url_safe(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@%".contains(c))
}
