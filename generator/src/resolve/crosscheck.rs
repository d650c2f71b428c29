//! Properties tables against JSON representations: each disagreement is reported, and the
//! table wins.

use std::collections::BTreeSet;

use crate::diagnostics::{Diagnostics, Kind};
use crate::ir::TypeKind;
use crate::parse::lenient;
use crate::parse::page::Page;

use super::Resolver;

impl Resolver<'_> {
    /// The Properties table against the JSON representation; the table wins. Runs after
    /// inheritance: a JSON representation may list inherited properties.
    pub(super) fn cross_check_all(&mut self) {
        // Each page is checked against its own JSON representation, on every core.
        let this: &Self = self;
        for diags in crate::parallel::map(self.pages, |page| this.cross_check(page)) {
            self.diags.extend(diags);
        }
    }

    /// The disagreements between a page's Properties table and its JSON representation.
    fn cross_check(&self, page: &Page) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let Some(block) = page.json_representation() else { return diags };
        let Some(TypeKind::Struct(s)) =
            self.page_types.get(&page.path).and_then(|id| self.ir.types.get(id)).map(|t| &t.kind)
        else {
            return diags;
        };
        let keys = match lenient::top_level_keys(&block.text) {
            Ok(keys) => keys,
            Err(e) => {
                diags.push(page.span(block.line), Kind::MalformedJson, format!("JSON representation: {e}"));
                return diags;
            }
        };
        let all: BTreeSet<&str> = s.fields.iter().map(|f| f.json_name.as_str()).collect();
        let json: BTreeSet<&str> = keys.iter().map(|k| k.name.as_str()).collect();
        let mut found = Vec::new();
        for key in &keys {
            if !key.name.starts_with('@') && !all.contains(key.name.as_str()) {
                found.push((
                    page.span(block.line + 1 + key.line),
                    format!(
                        "`{}` is in the JSON representation but not in the Properties table; the table wins",
                        key.name
                    ),
                ));
            }
        }
        for f in s.fields.iter().filter(|f| f.span.file == page.path && !f.navigation) {
            if !json.contains(f.json_name.as_str()) {
                found.push((
                    f.span.clone(),
                    format!("`{}` is in the Properties table but not in the JSON representation", f.json_name),
                ));
            }
        }
        for (span, message) in found {
            diags.push(span, Kind::TableJsonMismatch, message);
        }
        diags
    }
}
