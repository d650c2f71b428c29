//! Resolution: page models of all pages to one IR, with names, links and cross-checks settled.
//!
//! `resolve` runs the phases in order, one file each; the phases up to operations share a
//! `Resolver`, the later ones work on the IR alone.

mod boxing;
mod crosscheck;
mod fill;
mod inherit;
mod links;
mod operations;
mod symbols;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Diagnostics;
use crate::ir::{Ir, TypeId};
use crate::parse::page::Page;

pub use crate::naming::module_name;
pub use operations::{parse_path, ODATA_OPTIONS};
pub use symbols::{is_api_page, join_link, OutsideDocs};

pub const ROOT_NAMESPACE: &str = "microsoft.graph";
/// Names the generated crate uses for itself at its root.
pub const RESERVED_MODULES: &[&str] = &["runtime", "endpoints", "types", "std", "core", "alloc", "serde", "serde_json"];
pub const ADDITIONAL_PROPERTIES: &str = "additional_properties";
pub const CATCH_ALL: &str = "Unrecognized";

/// Resolves every page into the IR. Pages must be sorted by path.
pub fn resolve(pages: &[Page], diags: &mut Diagnostics) -> Ir {
    let mut r = Resolver {
        pages,
        diags,
        page_types: BTreeMap::new(),
        by_name: BTreeMap::new(),
        namespaces: BTreeMap::new(),
        ir: Ir::default(),
    };
    // One spelling per namespace (`termStore`, not also `termstore`), before any id is made.
    r.settle_namespaces();
    // Every type is registered before any page is read for its contents, so that a page may
    // name a type documented on a page after it.
    r.register_types();
    r.fill_types();
    r.mark_evolvable();
    r.inherit();
    r.check_inherited_from();
    // After inheritance: a JSON representation may list inherited properties.
    r.cross_check_all();
    // Follows the bases inheritance kept (it cuts cycles).
    r.derive_lists();
    // Operations resolve against every type and add the structs of action bodies.
    r.operations();
    let mut ir = r.ir;
    // Names are unique within a module, so they wait until every type exists.
    crate::naming::assign_names(&mut ir, diags);
    // Which structs are polymorphic (have an `Any*` enum) is settled by naming.
    boxing::mark_boxed(&mut ir);
    crate::areas::assign(&mut ir, pages);
    links::settle(&mut ir, pages);
    ir
}

/// What the phases up to operations share: the pages, the IR as far as it is built, and the
/// indexes that find a type by its page or its name.
struct Resolver<'a> {
    pages: &'a [Page],
    diags: &'a mut Diagnostics,
    /// Page path → the type it defines.
    page_types: BTreeMap<String, TypeId>,
    /// Lower-cased simple name → ids with that name.
    by_name: BTreeMap<String, BTreeSet<TypeId>>,
    /// Lower-cased namespace → the spelling most pages use.
    namespaces: BTreeMap<String, String>,
    ir: Ir,
}
