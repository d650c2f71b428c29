//! Boxing: struct fields that lead back to their own type are boxed, so that every struct has
//! a finite size.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Ir, TypeId, TypeKind, TypeRef};

/// Boxes single (non-collection) struct fields that lead back to their own type.
pub(super) fn mark_boxed(ir: &mut Ir) {
    let edges: BTreeMap<TypeId, BTreeSet<TypeId>> = ir
            .types
            .iter()
            .map(|(id, t)| {
                let targets = match &t.kind {
                    TypeKind::Struct(s) => s
                        .fields
                        .iter()
                        .filter_map(|f| match &f.ty {
                            // Polymorphic values are boxed inside their enum already.
                            TypeRef::Named(n)
                                if matches!(ir.types.get(n).map(|t| &t.kind), Some(TypeKind::Struct(s)) if s.any_name.is_none()) =>
                            {
                                Some(n.clone())
                            }
                            _ => None,
                        })
                        .collect(),
                    TypeKind::Enum(_) => BTreeSet::new(),
                };
                (id.clone(), targets)
            })
            .collect();
    let component = strongly_connected(&edges);
    for (id, t) in &mut ir.types {
        if let TypeKind::Struct(s) = &mut t.kind {
            for f in &mut s.fields {
                if let TypeRef::Named(n) = &f.ty {
                    f.boxed = edges.get(id).is_some_and(|e| e.contains(n)) && component.get(id) == component.get(n);
                }
            }
        }
    }
}

/// Component index of each node (iterative Tarjan), so recursion depth never grows with input.
fn strongly_connected(edges: &BTreeMap<TypeId, BTreeSet<TypeId>>) -> BTreeMap<TypeId, usize> {
    let nodes: Vec<&TypeId> = edges.keys().collect();
    let index_of: BTreeMap<&TypeId, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let adj: Vec<Vec<usize>> =
        nodes.iter().map(|n| edges[*n].iter().filter_map(|t| index_of.get(t).copied()).collect()).collect();
    let n = nodes.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let mut comp = vec![usize::MAX; n];
    let (mut next, mut ncomp) = (0, 0);
    let mut stack = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = adj[v].get(*i) {
                *i += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = ncomp;
                    if w == v {
                        break;
                    }
                }
                ncomp += 1;
            }
        }
    }
    nodes.into_iter().enumerate().map(|(i, id)| (id.clone(), comp[i])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_found() {
        let mut edges: BTreeMap<TypeId, BTreeSet<TypeId>> = BTreeMap::new();
        edges.insert("a".into(), ["b".to_string()].into());
        edges.insert("b".into(), ["a".to_string()].into());
        edges.insert("c".into(), ["a".to_string(), "c".to_string()].into());
        let comp = strongly_connected(&edges);
        assert_eq!(comp["a"], comp["b"]);
        assert_ne!(comp["a"], comp["c"]);
    }
}
