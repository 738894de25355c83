//! Step 6 of the type space: entity or complex, base types, inherited properties.

use super::{TypeSpace, key, split_qualified};
use crate::ir::{GRAPH_NAMESPACE, TypeKind};

impl TypeSpace<'_> {
    /// Step 6: entity or complex, and the base type, from what the pages say.
    pub(in crate::ir) fn infer(&mut self) {
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
}
