//! Names in the tree: methods from the segments alone, builder types from the
//! words of their shallowest path.

use super::{ArgValue, Edge, PatternPiece, Tree};
use crate::emit::names::{self, Scope};
use crate::emit::types::TypeTable;

/// Verbs and the names derives give every builder: a segment named like one
/// gets a suffix saying what it is (`delete_action`), so that adding a
/// request to a node never renames a method already there.
const RESERVED: &[&str] = &[
    "list", "get", "create", "update", "replace", "delete", "clone", "fmt", "eq", "ne", "into",
    "from", "new", "runtime", "batch", "as_ref", "to_owned", "path",
];

/// The method of each node's parent that leads to it.
pub(super) fn name_methods(tree: &mut Tree) {
    for i in 1..tree.nodes.len() {
        let node = &tree.nodes[i];
        let name = method_name(&node.edge, node.action);
        tree.nodes[i].method = name;
        if tree.nodes[i].action {
            let method = tree.nodes[i].method.clone();
            for t in &mut tree.nodes[i].terminals {
                t.verb = method.clone();
            }
        }
    }
    // Two segments that still meet in one name (`mailFolders` and
    // `mail_folders` merge before this; a cast `as_x` beside a name `as_x`
    // would not) are told apart by what they are, never by a number.
    for i in 0..tree.nodes.len() {
        let mut children = tree.nodes[i].children.clone();
        children.sort_by(|&a, &b| tree.nodes[a].method.cmp(&tree.nodes[b].method));
        let mut seen: Vec<String> = tree.nodes[i]
            .terminals
            .iter()
            .map(|t| t.verb.clone())
            .collect();
        for &c in &children {
            let mut name = tree.nodes[c].method.clone();
            if seen.contains(&name) {
                name = format!("{name}_{}", kind(&tree.nodes[c].edge, tree.nodes[c].action));
            }
            seen.push(name.clone());
            tree.nodes[c].method = name;
        }
        tree.nodes[i].children = children;
    }
}

/// The method a segment is reached by.
fn method_name(edge: &Edge, action: bool) -> String {
    let name = match edge {
        Edge::Root => return String::new(),
        Edge::Nav { text } => names::snake(text.trim_end_matches("()"), "segment"),
        Edge::Key { .. } => return "by_id".to_owned(),
        Edge::Call { name, args } => {
            let mut parts = vec![names::snake(name, "call")];
            let arg_names: Vec<String> = args
                .iter()
                .map(|a| match (&a.name, &a.value) {
                    (Some(n), _) => names::snake(n, "arg"),
                    (None, ArgValue::Param(p)) => names::snake(p, "key"),
                    (None, ArgValue::Fixed(_)) => "key".to_owned(),
                })
                .collect();
            parts.push(arg_names.join("_and_"));
            return join_with(&parts);
        }
        Edge::Cast { name } => {
            let (namespace, last) = name.rsplit_once('.').unwrap_or(("", name));
            if namespace.eq_ignore_ascii_case(crate::ir::GRAPH_NAMESPACE) || action {
                let word = names::snake(last, "cast");
                if action { word } else { format!("as_{word}") }
            } else {
                let ns = namespace.rsplit('.').next().unwrap_or(namespace);
                format!("as_{}", names::snake(&format!("{ns}_{last}"), "cast"))
            }
        }
        Edge::Pattern { pieces } => {
            let text: String = pieces
                .iter()
                .filter_map(|p| match p {
                    PatternPiece::Text(t) => Some(format!("{t} ")),
                    PatternPiece::Param { .. } => None,
                })
                .collect();
            let params: Vec<String> = pieces
                .iter()
                .filter_map(|p| match p {
                    PatternPiece::Param { name, .. } => Some(names::snake(name, "arg")),
                    PatternPiece::Text(_) => None,
                })
                .collect();
            let words: String = text
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
                .collect();
            let words = names::snake(words.trim(), "segment");
            let params = params.join("_and_");
            // `roleTemplateId={roleTemplateId}` is a key by another property.
            if words == params {
                return format!("by_{words}");
            }
            return join_with(&[words, params]);
        }
        Edge::DrivePath { .. } => return "item_by_path".to_owned(),
        Edge::Ref => return "reference".to_owned(),
        Edge::Count => return "count".to_owned(),
        Edge::Value => return "value".to_owned(),
    };
    if RESERVED.contains(&name.trim_end_matches('_')) {
        format!("{}_{}", name.trim_end_matches('_'), kind(edge, action))
    } else {
        name
    }
}

fn join_with(parts: &[String]) -> String {
    let name = &parts[0];
    let args = &parts[1];
    if args.is_empty() {
        name.clone()
    } else {
        format!("{}_with_{args}", name.trim_end_matches('_'))
    }
}

/// A word for what a segment is, to tell apart names that meet.
fn kind(edge: &Edge, action: bool) -> &'static str {
    match edge {
        _ if action => "action",
        Edge::Nav { .. } => "segment",
        Edge::Call { .. } => "call",
        Edge::Cast { .. } => "cast",
        Edge::Pattern { .. } => "pattern",
        Edge::Key { .. } => "key",
        Edge::DrivePath { .. } => "path",
        Edge::Ref => "reference",
        Edge::Count => "count",
        Edge::Value => "content",
        Edge::Root => "root",
    }
}

/// The words of each node: its segment's, after its parent's; a key turns
/// the collection's word singular (`Users` → `User`).
pub(super) fn words(tree: &mut Tree) {
    for i in 1..tree.nodes.len() {
        let parent = tree.nodes[i].parent.unwrap_or(0);
        let mut words = tree.nodes[parent].words.clone();
        let mut item_words = tree.nodes[parent].item_words.clone();
        match &tree.nodes[i].edge {
            Edge::Key { .. } => {
                match words.pop() {
                    Some(last) => words.push(crate::ir::singular(&last)),
                    None => words.push("Item".to_owned()),
                }
                let last = item_words.pop().unwrap_or_default();
                item_words.push(format!("{last}Item"));
            }
            edge => {
                words.push(word(edge));
                item_words.push(word(edge));
            }
        }
        tree.nodes[i].words = words;
        tree.nodes[i].item_words = item_words;
    }
}

fn word(edge: &Edge) -> String {
    match edge {
        Edge::Root => String::new(),
        Edge::Nav { text } => names::upper_camel(text.trim_end_matches("()"), "Segment"),
        Edge::Key { .. } => "Item".to_owned(),
        Edge::Call { name, .. } => names::upper_camel(name, "Call"),
        Edge::Cast { name } => {
            let last = name.rsplit('.').next().unwrap_or(name);
            format!("As{}", names::upper_camel(last, "Type"))
        }
        Edge::Pattern { pieces } => {
            let text: String = pieces
                .iter()
                .filter_map(|p| match p {
                    PatternPiece::Text(t) => Some(t.as_str()),
                    PatternPiece::Param { .. } => None,
                })
                .collect::<Vec<_>>()
                .join(" ");
            let words: String = text
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
                .collect();
            names::upper_camel(words.trim(), "Segment")
        }
        Edge::DrivePath { .. } => "ItemByPath".to_owned(),
        Edge::Ref => "Ref".to_owned(),
        Edge::Count => "Count".to_owned(),
        Edge::Value => "Value".to_owned(),
    }
}

/// Names every builder type after the words of its shallowest node: the
/// shortest tail of them that is free (`Messages`, then `MailFolderMessages`),
/// shallow types first; and the module it goes in (its top-level segment).
pub(super) fn name_types(tree: &mut Tree, table: &TypeTable<'_>) {
    let _ = table;
    let mut scope: Scope = names::type_scope();
    let mut order: Vec<usize> = (0..tree.types.len()).collect();
    order.sort_by(|&a, &b| {
        let (na, nb) = (
            &tree.nodes[tree.types[a].canonical],
            &tree.nodes[tree.types[b].canonical],
        );
        na.words
            .len()
            .cmp(&nb.words.len())
            .then_with(|| {
                na.template
                    .to_ascii_lowercase()
                    .cmp(&nb.template.to_ascii_lowercase())
            })
            .then_with(|| na.template.cmp(&nb.template))
    });
    for t in order {
        let node = &tree.nodes[tree.types[t].canonical];
        let words = &node.words;
        let mut ident = None;
        for list in [&node.words, &node.item_words] {
            for take in 1..=list.len() {
                let candidate = names::upper_camel(&list[list.len() - take..].join(""), "Path");
                if !scope.contains(&candidate) {
                    ident = Some(scope.claim(candidate, ""));
                    break;
                }
            }
            if ident.is_some() {
                break;
            }
        }
        // Every tail taken: two types with the same words (pages that write
        // one path two ways). Say so rather than number it.
        let ident = ident.unwrap_or_else(|| {
            let base = names::upper_camel(&words.join(""), "Path");
            let mut candidate = format!("{base}Variant");
            while scope.contains(&candidate) {
                candidate.push_str("Variant");
            }
            scope.claim(candidate, "")
        });
        let chain = tree.chain(tree.types[t].canonical);
        let top = chain
            .first()
            .map(|&n| tree.nodes[n].method.clone())
            .unwrap_or_else(|| "root".to_owned());
        tree.types[t].ident = ident;
        tree.types[t].module = top;
    }
}

/// The names wanted for parameter bodies, in tree order: the words of the
/// call that sends each (an action's own word first: `SendMailBody`, then
/// `UserSendMailBody`; a verb's with its node's word: `MembersRefCreateBody`),
/// and the docs line saying which call that is.
pub fn body_names(ir: &crate::ir::Ir, tree: &Tree, chains: &[crate::emit::Chain]) -> Vec<BodyWish> {
    let mut out: Vec<BodyWish> = Vec::new();
    let mut seen: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (i, (n, t)) in tree.requests().into_iter().enumerate() {
        let node = &tree.nodes[n];
        let term = &node.terminals[t];
        if !matches!(term.body, Some(crate::ir::RequestBody::Parameters(_))) {
            continue;
        }
        // Sent by several requests: it exists whenever any of them does.
        if let Some(&at) = seen.get(&term.op) {
            out[at].areas.extend(super::terminal_areas(ir, term));
            continue;
        }
        seen.insert(term.op, out.len());
        let mut words = node.words.clone();
        let shortest = if node.action {
            1
        } else {
            words.push(names::upper_camel(&term.verb, "Call"));
            2
        };
        let candidates: Vec<String> = (shortest.min(words.len())..=words.len())
            .map(|take| {
                let tail = words[words.len() - take..].join("");
                names::upper_camel(&format!("{tail}Body"), "Body")
            })
            .collect();
        let doc = chains.get(i).map_or_else(String::new, |c| {
            format!(
                "The request body of `{}` (`{} {}`).",
                c.call.replace('`', "'"),
                c.method,
                c.path.replace('`', "'")
            )
        });
        out.push(BodyWish {
            op: ir.operations[term.op].name.clone(),
            candidates,
            doc,
            areas: super::terminal_areas(ir, term),
        });
    }
    out
}

/// The name a parameter body would like, and what its docs and cfg need.
pub struct BodyWish {
    /// The operation (IR name) whose body it is.
    pub op: String,
    /// Names in order of preference.
    pub candidates: Vec<String>,
    /// The docs line naming the call that sends it.
    pub doc: String,
    /// The areas of the requests that send it.
    pub areas: std::collections::BTreeSet<String>,
}
