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

use std::collections::BTreeMap;

use crate::ir::{Area, Ir, TypeId, TypeKind, TypeRef};
use crate::parse::page::Page;

pub mod vocabulary;

pub use vocabulary::GENERAL_AREA;

/// Fills `cfg` of every type and operation, and `ir.areas`.
pub fn assign(ir: &mut Ir, pages: &[Page]) {
    let page_area: BTreeMap<&str, &str> = pages.iter().map(|p| (p.path.as_str(), p.area.as_str())).collect();
    let area_of = |file: &str| page_area.get(file).copied().unwrap_or(GENERAL_AREA);

    // Types are numbered in id order, so the walk below works on plain vectors.
    let index: BTreeMap<&TypeId, usize> = ir.types.keys().enumerate().map(|(i, id)| (id, i)).collect();
    let mut areas: BTreeMap<String, Area> = BTreeMap::new();
    let mut seeds: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, def) in ir.types.values().enumerate() {
        let home = area_of(&def.span.file);
        seeds.entry(home).or_default().push(i);
        areas.entry(home.to_string()).or_default().types += 1;
    }
    for op in ir.operations.values() {
        let home = area_of(&op.page);
        let set = seeds.entry(home).or_default();
        set.extend(op.body.iter().chain(&op.response).filter_map(TypeRef::named).filter_map(|id| index.get(id)));
        areas.entry(home.to_string()).or_default().operations += 1;
    }

    let edges = hard_edges(ir, &index);
    let mut needed_by: Vec<Vec<&str>> = vec![Vec::new(); index.len()];
    let mut seen = vec![false; index.len()];
    for (area, seed) in &seeds {
        seen.iter_mut().for_each(|s| *s = false);
        let mut stack = seed.clone();
        let mut closure = 0;
        while let Some(i) = stack.pop() {
            if !std::mem::replace(&mut seen[i], true) {
                closure += 1;
                // Areas are visited in order, so each list comes out sorted.
                needed_by[i].push(area);
                stack.extend(edges[i].iter().filter(|t| !seen[**t]));
            }
        }
        areas.get_mut(*area).expect("every seeded area is listed").closure = closure;
    }

    let all = areas.len();
    for (def, cfg) in ir.types.values_mut().zip(needed_by) {
        def.area = area_of(&def.span.file).to_string();
        def.cfg = if cfg.len() == all { Vec::new() } else { cfg.into_iter().map(str::to_string).collect() };
    }
    for op in ir.operations.values_mut() {
        op.area = area_of(&op.page).to_string();
        op.cfg = if all == 1 { Vec::new() } else { vec![op.area.clone()] };
    }
    ir.areas = areas;
}

/// The references a type cannot be compiled without, by index.
fn hard_edges(ir: &Ir, index: &BTreeMap<&TypeId, usize>) -> Vec<Vec<usize>> {
    ir.types
        .values()
        .map(|def| match &def.kind {
            TypeKind::Struct(s) => s
                .base
                .iter()
                .chain(s.fields.iter().filter(|f| !f.navigation).filter_map(|f| f.ty.named()))
                .filter_map(|id| index.get(id).copied())
                .collect(),
            TypeKind::Enum(_) => Vec::new(),
        })
        .collect()
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
