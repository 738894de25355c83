//! Reading the public API back from generated Rust.
//!
//! Models come from `models/…` files: each public struct (with its public
//! fields), enum (with its members) and alias. Calls come from `paths/…`
//! files: starting at the `Client`'s methods, each method returning another
//! request builder is followed, and each that returns anything else ends a
//! chain. Pages and lines come from the doc comments docgen writes
//! (``Documented in `page:line`.``), features from `#[cfg(feature = …)]`.
//! Nothing here depends on how the emitter builds the tree, only on the
//! shape of the code it writes, so an older tree reads the same way.

use std::collections::{BTreeMap, HashMap};

use quote::ToTokens;

use super::{Api, Item, Kind};
use crate::parallel::*;

/// The chains longer than this are cut: no documented URL nests this deep,
/// and a tree that cycles must not recurse for ever.
const MAX_DEPTH: usize = 64;

/// Reads the API of a generated tree: `(path relative to the output
/// folder, contents)`, for the files docgen writes (others are ignored).
/// Files are parsed on every core (the v1.0 tree is 14 MB of Rust).
pub fn read<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Api {
    let files: Vec<(&str, &str)> = files.into_iter().collect();
    // syn's trees cannot cross threads; what each file yields can.
    let parts: Vec<FileApi> = files.par_iter().map(|(p, t)| read_file(p, t)).collect();
    assemble(parts)
}

/// A file's text in the old tree and in the new one.
type Sides<'a> = (Option<&'a str>, Option<&'a str>);

/// The APIs of two trees, reading a file the two have alike only once (a
/// docs change rewrites a few files of hundreds).
pub fn read_both<'a>(
    old: impl IntoIterator<Item = (&'a str, &'a str)>,
    new: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (Api, Api) {
    let mut pairs: BTreeMap<&str, Sides<'_>> = BTreeMap::new();
    for (path, text) in old {
        pairs.entry(path).or_default().0 = Some(text);
    }
    for (path, text) in new {
        pairs.entry(path).or_default().1 = Some(text);
    }
    let pairs: Vec<(&str, Sides<'_>)> = pairs.into_iter().collect();
    let parts: Vec<(Option<FileApi>, Option<FileApi>)> = pairs
        .par_iter()
        .map(|(path, (before, after))| match (before, after) {
            (Some(b), Some(a)) if b == a => {
                let part = read_file(path, a);
                (Some(part.clone()), Some(part))
            }
            _ => (
                before.map(|t| read_file(path, t)),
                after.map(|t| read_file(path, t)),
            ),
        })
        .collect();
    let (before, after): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
    (
        assemble(before.into_iter().flatten().collect()),
        assemble(after.into_iter().flatten().collect()),
    )
}

fn assemble(parts: Vec<FileApi>) -> Api {
    let mut api = Api::default();
    let mut builders = Builders::default();
    let mut defaults: Vec<(String, String)> = Vec::new();
    for part in parts {
        api.items.extend(part.items.items);
        api.unreadable.extend(part.items.unreadable);
        defaults.extend(part.defaults);
        builders.merge(part.builders);
    }
    for (module, name) in defaults {
        if let Some(item) = api.items.get_mut(&name)
            && item.module == module
        {
            item.has_default = true;
        }
    }
    for call in builders.chains() {
        api.items.insert(call.key.clone(), call);
    }
    attribute_bodies(&mut api);
    attribute_derived_members(&mut api);
    api.unreadable.sort();
    api
}

/// What one file contributes.
#[derive(Clone, Default)]
struct FileApi {
    items: Api,
    defaults: Vec<(String, String)>,
    builders: Builders,
}

fn read_file(path: &str, text: &str) -> FileApi {
    let mut part = FileApi::default();
    let Some(module) = module_of(path) else {
        return part;
    };
    let Ok(file) = syn::parse_file(text) else {
        part.items.unreadable.push(path.to_owned());
        return part;
    };
    match module.first().map(String::as_str) {
        Some("models") => read_models(
            &file.items,
            &module.join("::"),
            &mut part.items,
            &mut part.defaults,
        ),
        Some("paths") => part.builders.add(&file.items, &module.join("::")),
        _ => {}
    }
    part
}

/// `models/outlook.rs` → `models::outlook`; `src/paths/mod.rs` → `paths`.
/// `None` for what is not generated API: the runtime, other files.
fn module_of(path: &str) -> Option<Vec<String>> {
    let path = path.strip_prefix("src/").unwrap_or(path);
    let stem = path.strip_suffix(".rs")?;
    let mut parts: Vec<String> = stem.split('/').map(str::to_owned).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    match parts.first().map(String::as_str) {
        Some("models" | "paths") => Some(parts),
        _ => None,
    }
}

fn read_models(
    items: &[syn::Item],
    module: &str,
    api: &mut Api,
    defaults: &mut Vec<(String, String)>,
) {
    for item in items {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let docs = Docs::of(&s.attrs);
                let name = s.ident.to_string();
                let features = features(&s.attrs);
                let derives_default = derives(&s.attrs, "Default");
                for field in &s.fields {
                    let (Some(ident), true) = (&field.ident, is_pub(&field.vis)) else {
                        continue;
                    };
                    let field_name = unraw(&ident.to_string());
                    if field_name == "additional_properties" {
                        continue;
                    }
                    let field_docs = Docs::of(&field.attrs);
                    let key = format!("{name}.{field_name}");
                    api.items.insert(
                        key.clone(),
                        Item {
                            kind: Kind::Field,
                            display: key.clone(),
                            key,
                            signature: type_text(&field.ty),
                            http: None,
                            module: module.to_owned(),
                            features: features.clone(),
                            source: field_docs.source.or_else(|| docs.source.clone()),
                            wire_name: None,
                            parent: Some(name.clone()),
                            has_default: false,
                        },
                    );
                }
                api.items.insert(
                    name.clone(),
                    type_item(&name, "struct", module, features, docs, derives_default),
                );
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let docs = Docs::of(&e.attrs);
                let name = e.ident.to_string();
                let features = features(&e.attrs);
                for variant in &e.variants {
                    let variant_docs = Docs::of(&variant.attrs);
                    let key = format!("{name}::{}", variant.ident);
                    let payload = match &variant.fields {
                        syn::Fields::Unit => String::new(),
                        fields => compact(&fields.to_token_stream().to_string()),
                    };
                    api.items.insert(
                        key.clone(),
                        Item {
                            kind: Kind::Variant,
                            display: key.clone(),
                            key,
                            signature: payload,
                            http: None,
                            module: module.to_owned(),
                            features: features.clone(),
                            source: docs.source.clone(),
                            wire_name: variant_docs.wire_name,
                            parent: Some(name.clone()),
                            has_default: false,
                        },
                    );
                }
                let default = derives(&e.attrs, "Default");
                api.items.insert(
                    name.clone(),
                    type_item(&name, "enum", module, features, docs, default),
                );
            }
            syn::Item::Type(t) if is_pub(&t.vis) => {
                let name = t.ident.to_string();
                let signature = format!("type = {}", type_text(&t.ty));
                let item = type_item(
                    &name,
                    &signature,
                    module,
                    features(&t.attrs),
                    Docs::of(&t.attrs),
                    false,
                );
                api.items.insert(name, item);
            }
            syn::Item::Impl(i) => {
                if let (Some((path, _)), Some(name)) = (&i.trait_, last_ident(&i.self_ty))
                    && path.segments.last().is_some_and(|s| s.ident == "Default")
                {
                    defaults.push((module.to_owned(), name));
                }
            }
            _ => {}
        }
    }
}

fn type_item(
    name: &str,
    signature: &str,
    module: &str,
    features: Vec<String>,
    docs: Docs,
    has_default: bool,
) -> Item {
    Item {
        kind: Kind::Type,
        key: name.to_owned(),
        display: name.to_owned(),
        signature: signature.to_owned(),
        http: None,
        module: module.to_owned(),
        features,
        source: docs.source,
        wire_name: docs.wire_name,
        parent: None,
        has_default,
    }
}

/// A request builder's method.
#[derive(Clone, Debug)]
struct Method {
    name: String,
    /// `(name, type)` of each parameter but `self`.
    params: Vec<(String, String)>,
    returns: String,
    /// The returned type's name, to look it up among the builders.
    returns_ident: Option<String>,
    docs: Docs,
    features: Vec<String>,
    /// The literal segments the body pushes onto the URL (`"/assign"`).
    pushes: Vec<String>,
}

/// The request builders of the `paths` files.
#[derive(Clone, Debug, Default)]
struct Builders {
    /// `(module, name)` → its methods, from every inherent impl.
    methods: BTreeMap<(String, String), Vec<Method>>,
    /// A builder's name → the modules defining one so named.
    modules: HashMap<String, Vec<String>>,
    /// The `Client`'s methods, with the module each is written in.
    roots: Vec<(String, Method)>,
}

impl Builders {
    fn add(&mut self, items: &[syn::Item], module: &str) {
        for item in items {
            match item {
                syn::Item::Struct(s) if is_pub(&s.vis) => {
                    let name = s.ident.to_string();
                    self.modules
                        .entry(name.clone())
                        .or_default()
                        .push(module.to_owned());
                    self.methods.entry((module.to_owned(), name)).or_default();
                }
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    let Some(owner) = last_ident(&i.self_ty) else {
                        continue;
                    };
                    let impl_features = features(&i.attrs);
                    for member in &i.items {
                        let syn::ImplItem::Fn(f) = member else {
                            continue;
                        };
                        if !is_pub(&f.vis) {
                            continue;
                        }
                        let mut method = method(f);
                        method.features.extend(impl_features.iter().cloned());
                        method.features.sort();
                        method.features.dedup();
                        if owner == "Client" {
                            self.roots.push((module.to_owned(), method));
                        } else {
                            self.methods
                                .entry((module.to_owned(), owner.clone()))
                                .or_default()
                                .push(method);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn merge(&mut self, other: Builders) {
        for (key, methods) in other.methods {
            self.methods.entry(key).or_default().extend(methods);
        }
        for (name, modules) in other.modules {
            self.modules.entry(name).or_default().extend(modules);
        }
        self.roots.extend(other.roots);
    }

    /// The builder a method returns: one of that name in the same module,
    /// else the only one of that name.
    fn resolve(&self, name: &str, module: &str) -> Option<(String, String)> {
        let modules = self.modules.get(name)?;
        let module = if modules.iter().any(|m| m == module) {
            module.to_owned()
        } else if let [only] = modules.as_slice() {
            only.clone()
        } else {
            return None;
        };
        Some((module, name.to_owned()))
    }

    fn chains(&self) -> Vec<Item> {
        let mut out = Vec::new();
        for (module, root) in &self.roots {
            let mut walk = Walk {
                builders: self,
                steps: Vec::new(),
                out: &mut out,
                visiting: Vec::new(),
            };
            walk.step(module, root);
        }
        out
    }
}

/// A depth-first walk from one of the `Client`'s methods.
struct Walk<'b, 'o> {
    builders: &'b Builders,
    steps: Vec<&'b Method>,
    out: &'o mut Vec<Item>,
    visiting: Vec<(String, String)>,
}

impl<'b> Walk<'b, '_> {
    fn step(&mut self, module: &str, method: &'b Method) {
        if self.steps.len() >= MAX_DEPTH {
            return;
        }
        self.steps.push(method);
        let next = method
            .returns_ident
            .as_deref()
            .and_then(|name| self.builders.resolve(name, module));
        match next {
            Some(builder) if !self.visiting.contains(&builder) => {
                self.visiting.push(builder.clone());
                if let Some(methods) = self.builders.methods.get(&builder) {
                    for m in methods {
                        self.step(&builder.0, m);
                    }
                }
                self.visiting.pop();
            }
            Some(_) => {}
            None => {
                let call = self.call(module, method);
                self.out.push(call);
            }
        }
        self.steps.pop();
    }

    fn call(&self, module: &str, last: &Method) -> Item {
        let mut key = String::from("client");
        let mut display = String::from("client");
        let mut types = Vec::new();
        let mut features = Vec::new();
        for step in &self.steps {
            let names: Vec<&str> = step.params.iter().map(|(n, _)| n.as_str()).collect();
            display.push_str(&format!(".{}({})", step.name, names.join(", ")));
            key.push_str(&format!(
                ".{}({})",
                step.name,
                if names.is_empty() { "" } else { ".." }
            ));
            types.extend(step.params.iter().map(|(_, t)| t.clone()));
            features.extend(step.features.iter().cloned());
        }
        features.sort();
        features.dedup();
        // A builder is shared by the URLs that have the same requests below
        // them, so its request's doc lists several paths; the chain's own is
        // what its steps spell, plus what the request itself adds (an
        // action's segment).
        let path: String = self
            .steps
            .iter()
            .filter_map(|s| s.docs.segment.as_deref())
            .chain(last.pushes.iter().map(String::as_str))
            .collect();
        let http = last
            .docs
            .method
            .as_ref()
            .map(|method| format!("{method} {path}"));
        Item {
            kind: Kind::Call,
            key,
            display,
            signature: format!("({}) -> {}", types.join(", "), last.returns),
            http,
            module: module.to_owned(),
            features,
            source: last.docs.source.clone(),
            wire_name: None,
            parent: None,
            has_default: false,
        }
    }
}

fn method(f: &syn::ImplItemFn) -> Method {
    let params = f
        .sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(typed) => Some((
                unraw(&compact(&typed.pat.to_token_stream().to_string())),
                type_text(&typed.ty),
            )),
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    let (returns, returns_ident) = match &f.sig.output {
        syn::ReturnType::Default => ("()".to_owned(), None),
        syn::ReturnType::Type(_, ty) => (type_text(ty), last_ident(ty)),
    };
    Method {
        name: unraw(&f.sig.ident.to_string()),
        params,
        returns,
        returns_ident,
        docs: Docs::of(&f.attrs),
        features: features(&f.attrs),
        pushes: pushed_literals(f.block.to_token_stream()),
    }
}

/// The string literals of each `push(…)` call in a method's body.
fn pushed_literals(body: proc_macro2::TokenStream) -> Vec<String> {
    use proc_macro2::TokenTree;
    let mut out = Vec::new();
    let mut after_push = false;
    for tree in body {
        match tree {
            TokenTree::Ident(ident) => after_push = ident == "push",
            TokenTree::Group(group) => {
                if after_push {
                    collect_literals(group.stream(), &mut out);
                } else {
                    out.extend(pushed_literals(group.stream()));
                }
                after_push = false;
            }
            _ => after_push = false,
        }
    }
    out
}

fn collect_literals(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Literal(lit) => {
                if let Ok(text) = syn::parse_str::<syn::LitStr>(&lit.to_string()) {
                    out.push(text.value());
                }
            }
            proc_macro2::TokenTree::Group(group) => collect_literals(group.stream(), out),
            _ => {}
        }
    }
}

/// A request body type (`CloneBody`) has no page of its own: it is
/// documented where the call sending it is (the first such call, in key
/// order), and so are its fields.
fn attribute_bodies(api: &mut Api) {
    let mut sent_by: HashMap<String, String> = HashMap::new();
    for call in api.items.values().filter(|i| i.kind == Kind::Call) {
        let Some(source) = &call.source else {
            continue;
        };
        for part in call.signature.split(['(', ')', ',', ' ']) {
            if let Some(body) = part.strip_prefix('&') {
                sent_by
                    .entry(body.to_owned())
                    .or_insert_with(|| source.clone());
            }
        }
    }
    let sourceless: std::collections::HashSet<String> = api
        .items
        .values()
        .filter(|i| i.kind == Kind::Type && i.source.is_none())
        .map(|i| i.key.clone())
        .collect();
    for item in api.items.values_mut() {
        if item.source.is_some() {
            continue;
        }
        let owner = if item.kind == Kind::Type {
            Some(&item.key)
        } else {
            item.parent.as_ref()
        };
        if let Some(owner) = owner
            && sourceless.contains(owner)
            && let Some(source) = sent_by.get(owner)
        {
            item.source = Some(source.clone());
        }
    }
}

/// A member of an `Any…` enum (`Team(Box<Team>)`) is documented where its
/// type is.
fn attribute_derived_members(api: &mut Api) {
    let found: Vec<(String, String)> = api
        .items
        .values()
        .filter(|i| i.kind == Kind::Variant && i.wire_name.is_none())
        .filter_map(|i| {
            let inner = i.signature.strip_prefix("(Box<")?.strip_suffix(">)")?;
            let source = api.items.get(inner)?.source.clone()?;
            Some((i.key.clone(), source))
        })
        .collect();
    for (key, source) in found {
        if let Some(item) = api.items.get_mut(&key) {
            item.source = Some(source);
        }
    }
}

/// What docgen's doc comments say about an item.
#[derive(Clone, Debug, Default)]
struct Docs {
    /// ``Documented in `page:line`.``
    source: Option<String>,
    /// A first line that opens with a name in backticks: `` `calendarEntry` (entity).``
    wire_name: Option<String>,
    /// The method of a request's line ``GET `/users/{id}`, `/me` ``. Its
    /// paths are those of every URL sharing the builder; a chain's own is
    /// spelled from its steps instead.
    method: Option<String>,
    /// A builder step's first line: `` `…/messages`: see … `` or
    /// ``Requests under `/users` ``: the segment it adds to the URL.
    segment: Option<String>,
}

impl Docs {
    fn of(attrs: &[syn::Attribute]) -> Self {
        let mut docs = Docs::default();
        let mut first = true;
        for attr in attrs {
            let syn::Meta::NameValue(nv) = &attr.meta else {
                continue;
            };
            if !nv.path.is_ident("doc") {
                continue;
            }
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &nv.value
            else {
                continue;
            };
            let text = text.value();
            let line = text.trim();
            if first {
                first = false;
                docs.segment = line
                    .strip_prefix("`…")
                    .or_else(|| line.strip_prefix("Requests under `"))
                    .and_then(|rest| rest.split_once('`'))
                    .map(|(segment, _)| segment.to_owned());
                if let Some(name) = line
                    .strip_prefix('`')
                    .and_then(|rest| rest.split_once('`'))
                    .map(|(name, _)| name)
                    && !name.is_empty()
                {
                    docs.wire_name = Some(name.to_owned());
                }
            }
            if let Some(at) = line.find("Documented in `") {
                let rest = &line[at + "Documented in `".len()..];
                if let Some((source, _)) = rest.split_once('`') {
                    docs.source = Some(source.to_owned());
                }
            }
            if docs.method.is_none()
                && let Some((method, _)) = line.split_once(" `/")
                && matches!(method, "GET" | "POST" | "PATCH" | "PUT" | "DELETE")
            {
                docs.method = Some(method.to_owned());
            }
        }
        docs
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && a.meta
                .to_token_stream()
                .to_string()
                .split([',', '(', ')', ' '])
                .any(|part| part == name)
    })
}

/// The features a `#[cfg(…)]` names, sorted.
fn features(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        let text = attr.meta.to_token_stream().to_string();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("feature") {
            rest = &rest[at + "feature".len()..];
            let after = rest.trim_start();
            let Some(after) = after.strip_prefix('=') else {
                continue;
            };
            let Some(quoted) = after.trim_start().strip_prefix('"') else {
                continue;
            };
            if let Some((name, tail)) = quoted.split_once('"') {
                out.push(name.to_owned());
                rest = tail;
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The last segment's name of a path type (`runtime::Request<T>` → `Request`).
fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(r) => last_ident(&r.elem),
        _ => None,
    }
}

fn unraw(name: &str) -> String {
    name.strip_prefix("r#").unwrap_or(name).to_owned()
}

/// A type as a caller reads it: compact spacing, no lifetimes, and no
/// module prefixes that only say where the code sits (`super::`,
/// `models::`), so the same type reads the same from any file.
fn type_text(ty: &syn::Type) -> String {
    let text = compact(&ty.to_token_stream().to_string());
    let text = drop_lifetimes(&text);
    let mut out = text;
    for prefix in ["super::", "crate::", "self::", "models::"] {
        out = out.replace(prefix, "");
    }
    out
}

/// Token text with the spaces `to_string` puts between all tokens removed,
/// except between two words (`dyn Trait`), and one after each comma.
fn compact(tokens: &str) -> String {
    let chars: Vec<char> = tokens.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'';
    let mut out = String::with_capacity(tokens.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let after = chars.get(i + 1).copied();
            if before.is_some_and(word) && after.is_some_and(word) {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
        if c == ',' {
            out.push(' ');
        }
    }
    out
}

/// `Users<'a>` → `Users`, `&'a str` → `&str`, `Foo<'a, T>` → `Foo<T>`.
fn drop_lifetimes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            while chars
                .peek()
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
            {
                chars.next();
            }
            while chars.peek().is_some_and(|c| *c == ' ' || *c == ',') {
                chars.next();
            }
            continue;
        }
        out.push(c);
    }
    out.replace("<>", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODELS: &str = r#"
/// `calendarEntry` (entity).
///
/// Documented in `resources/calendarentry.md:10`.
#[derive(Clone, PartialEq)]
#[cfg(feature = "outlook")]
pub struct CalendarEntry {
    /// Text.
    ///
    /// Documented in `resources/calendarentry.md:25`.
    pub subject: Option<String>,
    pub r#type: Option<super::Importance>,
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
    hidden: u8,
}
impl Default for CalendarEntry { fn default() -> Self { todo!() } }
/// `importance`
///
/// Documented in `resources/importance.md:3`.
pub enum Importance {
    /// `low`
    Low,
    UnknownValue(String),
}
"#;

    const PATHS: &str = r#"
pub struct Users<'a>(pub(super) runtime::Node<'a>);
impl<'a> Users<'a> {
    /// `…/{id}`: see [`User`].
    pub fn by_id(&self, id: &str) -> User<'a> { todo!() }
}
pub struct User<'a>(pub(super) runtime::Node<'a>);
impl<'a> User<'a> {
    /// Get user
    ///
    /// GET `/users/{id}`
    ///
    /// Documented in `api/user-get.md:31`.
    #[cfg(feature = "users")]
    pub fn get(&self) -> runtime::Request<models::User> { todo!() }
    pub fn me(&self) -> Users<'a> { todo!() }
    /// POST `/users/{id}/assign`, `/groups/{id}/assign`
    pub fn assign(&self) -> runtime::Request<()> {
        self.0.push(&["/assign"]).request(runtime::Method::POST)
    }
    fn private(&self) -> runtime::Request<()> { todo!() }
}
impl super::super::Client {
    /// Requests under `/users`: see [`Users`].
    pub fn users(&self) -> Users<'_> { todo!() }
}
"#;

    #[test]
    fn reads_models_fields_members_and_pages() {
        let api = read([("src/models/outlook.rs", MODELS)]);
        let entry = &api.items["CalendarEntry"];
        assert_eq!(entry.kind, Kind::Type);
        assert_eq!(entry.module, "models::outlook");
        assert_eq!(entry.features, ["outlook"]);
        assert_eq!(entry.wire_name.as_deref(), Some("calendarEntry"));
        assert_eq!(
            entry.source.as_deref(),
            Some("resources/calendarentry.md:10")
        );
        assert!(entry.has_default);
        let subject = &api.items["CalendarEntry.subject"];
        assert_eq!(subject.signature, "Option<String>");
        assert_eq!(
            subject.source.as_deref(),
            Some("resources/calendarentry.md:25")
        );
        // A field without a page line takes its type's; raw names lose `r#`.
        let kind = &api.items["CalendarEntry.type"];
        assert_eq!(kind.signature, "Option<Importance>");
        assert_eq!(
            kind.source.as_deref(),
            Some("resources/calendarentry.md:10")
        );
        assert!(
            !api.items
                .contains_key("CalendarEntry.additional_properties")
        );
        assert!(!api.items.contains_key("CalendarEntry.hidden"));
        assert_eq!(
            api.items["Importance::Low"].wire_name.as_deref(),
            Some("low")
        );
        assert_eq!(api.items["Importance::UnknownValue"].signature, "(String)");
    }

    #[test]
    fn follows_builders_from_the_client_and_stops_at_cycles() {
        let api = read([("paths/users.rs", PATHS)]);
        let calls: Vec<&Item> = api
            .items
            .values()
            .filter(|i| i.kind == Kind::Call)
            .collect();
        assert_eq!(calls.len(), 2, "{calls:#?}");
        let (assign, get) = (calls[0], calls[1]);
        assert_eq!(assign.http.as_deref(), Some("POST /users/{id}/assign"));
        assert_eq!(get.key, "client.users().by_id(..).get()");
        assert_eq!(get.display, "client.users().by_id(id).get()");
        assert_eq!(get.signature, "(&str) -> runtime::Request<User>");
        assert_eq!(get.http.as_deref(), Some("GET /users/{id}"));
        assert_eq!(get.source.as_deref(), Some("api/user-get.md:31"));
        assert_eq!(get.features, ["users"]);
    }

    #[test]
    fn reading_two_trees_at_once_reads_each_as_alone() {
        let changed = MODELS.replace("Option<String>", "Option<i64>");
        let old = [("models/outlook.rs", MODELS), ("paths/users.rs", PATHS)];
        let new = [
            ("models/outlook.rs", changed.as_str()),
            ("paths/users.rs", PATHS),
        ];
        let (before, after) = read_both(old, new);
        assert_eq!(before, read(old));
        assert_eq!(after, read(new));
        assert_ne!(before, after);
    }

    #[test]
    fn unparsable_files_are_named_and_others_ignored() {
        let api = read([
            ("models/a.rs", "pub struct {"),
            ("runtime/client.rs", "pub struct Client;"),
            ("README.md", "text"),
        ]);
        assert_eq!(api.unreadable, ["models/a.rs"]);
        assert!(api.items.is_empty());
    }

    #[test]
    fn type_text_is_compact_and_local() {
        let ty: syn::Type = syn::parse_str(
            "super::super::runtime::Request<runtime::Collection<models::User<'a>>, &'a str>",
        )
        .expect("type");
        assert_eq!(
            type_text(&ty),
            "runtime::Request<runtime::Collection<User>, &str>"
        );
    }
}
