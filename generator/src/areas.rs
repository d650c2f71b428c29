//! Cargo features per docs area: which types and operations each area compiles.
//!
//! Every type and operation has a home area (the area of the page it comes from). Enabling an
//! area compiles its own items and everything they cannot do without: base types, the types of
//! structural properties, request bodies and responses, transitively. References that can be
//! left out without losing data are not followed: a relationship whose type is not compiled is
//! itself left out (its JSON then lands in the unknown-property map, kept verbatim), and so is an
//! `Any*` enum's variant for a derived type that is not compiled (its values read as the base
//! type, `@odata.type` included). So one area compiles a fraction of the crate, and no area has to
//! name another in `Cargo.toml`: each item carries the list of areas it is compiled for.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Area, Cfg, Ir, TypeId, TypeKind, TypeRef};
use crate::parse::page::{Page, GENERAL_AREA};

/// Fills `cfg` of every type and operation, and `ir.areas`.
pub fn assign(ir: &mut Ir, pages: &[Page]) {
    let page_area: BTreeMap<&str, &str> = pages.iter().map(|p| (p.path.as_str(), p.area.as_str())).collect();
    let area_of = |file: &str| page_area.get(file).copied().unwrap_or(GENERAL_AREA).to_string();

    let mut seeds: BTreeMap<String, BTreeSet<&TypeId>> = BTreeMap::new();
    let mut areas: BTreeMap<String, Area> = BTreeMap::new();
    let type_home: BTreeMap<&TypeId, String> = ir.types.values().map(|d| (&d.id, area_of(&d.span.file))).collect();
    for (id, home) in &type_home {
        seeds.entry(home.clone()).or_default().insert(id);
        areas.entry(home.clone()).or_default().types += 1;
    }
    let op_home: BTreeMap<&String, String> = ir.operations.iter().map(|(k, op)| (k, area_of(&op.page))).collect();
    for (key, home) in &op_home {
        let op = &ir.operations[*key];
        let set = seeds.entry(home.clone()).or_default();
        set.extend(op.body.iter().chain(&op.response).filter_map(TypeRef::named).filter(|id| ir.types.contains_key(*id)));
        areas.entry(home.clone()).or_default().operations += 1;
    }

    let edges = hard_edges(ir);
    let mut needed_by: BTreeMap<&TypeId, Cfg> = BTreeMap::new();
    for (area, seed) in &seeds {
        let mut seen: BTreeSet<&TypeId> = BTreeSet::new();
        let mut stack: Vec<&TypeId> = seed.iter().copied().collect();
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                stack.extend(edges.get(id).into_iter().flatten().filter(|t| !seen.contains(*t)));
            }
        }
        areas.get_mut(area).expect("every seeded area is listed").closure = seen.len();
        for id in seen {
            // Areas are visited in order, so each list comes out sorted.
            needed_by.entry(id).or_default().push(area.clone());
        }
    }

    let all = areas.len();
    let mut cfgs: BTreeMap<TypeId, Cfg> = needed_by
        .into_iter()
        .map(|(id, cfg)| (id.clone(), if cfg.len() == all { Vec::new() } else { cfg }))
        .collect();
    for def in ir.types.values_mut() {
        def.area = area_of(&def.span.file);
        def.cfg = cfgs.remove(&def.id).unwrap_or_default();
    }
    for op in ir.operations.values_mut() {
        op.area = area_of(&op.page);
        op.cfg = if all == 1 { Vec::new() } else { vec![op.area.clone()] };
    }
    ir.areas = areas;
}

/// The references a type cannot be compiled without.
fn hard_edges(ir: &Ir) -> BTreeMap<&TypeId, Vec<&TypeId>> {
    let mut edges: BTreeMap<&TypeId, Vec<&TypeId>> = BTreeMap::new();
    for def in ir.types.values() {
        let TypeKind::Struct(s) = &def.kind else { continue };
        let targets = edges.entry(&def.id).or_default();
        targets.extend(s.base.iter().filter(|b| ir.types.contains_key(*b)));
        for field in s.fields.iter().filter(|f| !f.navigation) {
            if let Some(id) = field.ty.named().filter(|id| ir.types.contains_key(*id)) {
                targets.push(id);
            }
        }
    }
    edges
}

/// Whether an item compiled under `own` can always use one compiled under `target`.
pub fn implies(own: &[String], target: &[String]) -> bool {
    target.is_empty() || (!own.is_empty() && own.iter().all(|a| target.binary_search(a).is_ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implication_between_area_lists() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        // Always compiled: usable from anywhere, and can use only what is always compiled.
        assert!(implies(&v(&[]), &v(&[])));
        assert!(implies(&v(&["a"]), &v(&[])));
        assert!(!implies(&v(&[]), &v(&["a"])));
        assert!(implies(&v(&["a"]), &v(&["a", "b"])));
        assert!(implies(&v(&["a", "b"]), &v(&["a", "b", "c"])));
        assert!(!implies(&v(&["a", "c"]), &v(&["a", "b"])));
    }
}
