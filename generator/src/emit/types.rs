//! The type table: IR types → Rust type names, and how each IR type reference
//! is spelled in Rust.

use std::collections::HashMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use proc_macro2::TokenStream;
use quote::quote;

use super::names::{self, ident};
use crate::ir::{Ir, JSON_TYPE, Property, TypeDef, TypeKind, TypeRef};

/// How a field's value is written in Rust, without the `Option`.
pub struct RustType {
    /// The type.
    pub tokens: TokenStream,
    /// A serde `with` module (relative to the models module), for Binary.
    pub with: Option<&'static str>,
}

/// Rust names of the IR's types and the cycles that need a `Box`.
pub struct TypeTable<'a> {
    ir: &'a Ir,
    by_ref: HashMap<String, usize>,
    idents: Vec<String>,
    /// Strongly connected component of each type (for boxing recursive fields).
    component: Vec<usize>,
    /// Names of the body structs of operations that take parameters, by operation name.
    bodies: HashMap<String, String>,
}

impl<'a> TypeTable<'a> {
    /// Names every type (in IR order, so names are stable) and finds cycles.
    pub fn new(ir: &'a Ir) -> Self {
        let mut scope = names::type_scope();
        let by_ref: HashMap<String, usize> = ir
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.ref_name(), i))
            .collect();
        // Graph-namespace types claim names first, so `user` is `User` even when
        // another namespace also has a `user`.
        let mut order: Vec<usize> = (0..ir.types.len()).collect();
        order.sort_by_key(|&i| ir.types[i].namespace != crate::ir::GRAPH_NAMESPACE);
        let mut idents = vec![String::new(); ir.types.len()];
        for i in order {
            let t = &ir.types[i];
            let mut name = names::upper_camel(&t.name, "Type");
            if scope.contains(&name) && t.namespace != crate::ir::GRAPH_NAMESPACE {
                let ns = t.namespace.rsplit('.').next().unwrap_or("");
                name = names::upper_camel(&format!("{ns}_{}", t.name), "Type");
            }
            idents[i] = scope.claim(name, "");
        }
        let bodies = ir
            .operations
            .iter()
            .filter(|op| matches!(op.request_body, Some(crate::ir::RequestBody::Parameters(_))))
            .map(|op| {
                let name = names::upper_camel(&format!("{}Body", op.name), "Body");
                (op.name.clone(), scope.claim(name, ""))
            })
            .collect();
        let mut table = TypeTable {
            ir,
            by_ref,
            idents,
            component: Vec::new(),
            bodies,
        };
        table.component = table.components();
        table
    }

    /// The IR type a reference names, if the IR defines it.
    pub fn get(&self, name: &str) -> Option<(usize, &'a TypeDef)> {
        self.by_ref.get(name).map(|&i| (i, &self.ir.types[i]))
    }

    /// The Rust name of an operation's parameter body struct.
    pub fn body_ident(&self, operation: &str) -> Option<&str> {
        self.bodies.get(operation).map(String::as_str)
    }

    /// The Rust name of the type at `index`.
    pub fn ident(&self, index: usize) -> &str {
        &self.idents[index]
    }

    /// All properties of a struct type: inherited ones first (from the root
    /// base down), then its own; the first of two with one wire name wins.
    pub fn all_properties(&self, index: usize) -> Vec<&'a Property> {
        let mut chain = vec![index];
        let mut current = index;
        while let Some(base) = self.ir.types[current]
            .base
            .as_deref()
            .and_then(|b| self.by_ref.get(b).copied())
        {
            if chain.contains(&base) {
                break;
            }
            chain.push(base);
            current = base;
        }
        let mut out: Vec<&Property> = Vec::new();
        for &t in chain.iter().rev() {
            for p in &self.ir.types[t].properties {
                if !out.iter().any(|q| q.name == p.name) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Tarjan's components over "struct A holds a B by value" edges.
    fn components(&self) -> Vec<usize> {
        let mut graph: DiGraph<usize, ()> = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..self.ir.types.len())
            .map(|i| graph.add_node(i))
            .collect();
        for (i, t) in self.ir.types.iter().enumerate() {
            if t.kind == TypeKind::Enum {
                continue;
            }
            for p in self.all_properties(i) {
                if p.ty.collection {
                    continue;
                }
                if let Some((j, target)) = self.get(&p.ty.name)
                    && target.kind != TypeKind::Enum
                {
                    graph.add_edge(nodes[i], nodes[j], ());
                }
            }
        }
        let mut component = vec![0; self.ir.types.len()];
        for (c, scc) in tarjan_scc(&graph).into_iter().enumerate() {
            let recursive =
                scc.len() > 1 || scc.first().is_some_and(|&n| graph.contains_edge(n, n));
            for n in scc {
                // Components of one acyclic type never box.
                component[graph[n]] = if recursive { c + 1 } else { 0 };
            }
        }
        component
    }

    /// The Rust type of a value of `ty`, as seen from `module` (`models` or elsewhere),
    /// held by the struct at `owner` (for boxing recursive fields).
    pub fn rust_type(&self, ty: &TypeRef, owner: Option<usize>, in_models: bool) -> RustType {
        let element = self.element(&ty.name, owner.filter(|_| !ty.collection), in_models);
        if ty.collection {
            // Base64 strings stay strings inside collections: no serde helper for those.
            let inner = if element.with.is_some() {
                quote!(String)
            } else {
                element.tokens
            };
            RustType {
                tokens: quote!(Vec<#inner>),
                with: None,
            }
        } else {
            element
        }
    }

    fn element(&self, name: &str, owner: Option<usize>, in_models: bool) -> RustType {
        let plain = |tokens: TokenStream| RustType { tokens, with: None };
        match name {
            "String" | "Duration" => plain(quote!(String)),
            "Int16" => plain(quote!(i16)),
            "Int32" => plain(quote!(i32)),
            "Int64" => plain(quote!(i64)),
            "Byte" => plain(quote!(u8)),
            "SByte" => plain(quote!(i8)),
            "Boolean" => plain(quote!(bool)),
            "Double" | "Decimal" => plain(quote!(f64)),
            "Single" => plain(quote!(f32)),
            "Guid" => plain(quote!(uuid::Uuid)),
            "DateTimeOffset" => plain(quote!(chrono::DateTime<chrono::FixedOffset>)),
            "Date" => plain(quote!(chrono::NaiveDate)),
            "TimeOfDay" => plain(quote!(chrono::NaiveTime)),
            "Binary" => RustType {
                tokens: quote!(Vec<u8>),
                with: Some("super::super::runtime::option_base64_bytes"),
            },
            JSON_TYPE | "Stream" => plain(quote!(serde_json::Value)),
            _ => match self.get(name) {
                Some((index, _)) => {
                    let id = ident(self.ident(index));
                    let path = if in_models {
                        quote!(#id)
                    } else {
                        quote!(models::#id)
                    };
                    let boxed = owner.is_some_and(|o| {
                        self.component[o] != 0 && self.component[o] == self.component[index]
                    });
                    plain(if boxed { quote!(Box<#path>) } else { path })
                }
                None => plain(quote!(serde_json::Value)),
            },
        }
    }
}
