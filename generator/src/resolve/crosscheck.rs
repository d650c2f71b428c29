//! Properties tables against JSON representations: each disagreement is reported, and the
//! table wins.

use std::collections::BTreeSet;

use crate::diagnostics::{Diagnostics, Kind};
use crate::ir::{TypeId, TypeKind};
use crate::parse::lenient;
use crate::parse::page::{ODataTypeRow, Page};

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
        if let Some(row) = &page.odata_type_row {
            odata_type_row(&mut diags, page, row, &block.text, self.page_types.get(&page.path));
        }
        for key in &keys {
            // `odata.type` (without `@`) is the discriminator as some pages write it.
            let discriminator = key.name == "odata.type";
            if !key.name.starts_with('@') && !discriminator && !all.contains(key.name.as_str()) {
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

/// The `odata.type` row names the type's discriminator: it must name the type the page
/// documents, as the JSON representation's `@odata.type` does.
fn odata_type_row(diags: &mut Diagnostics, page: &Page, row: &ODataTypeRow, json: &str, own: Option<&TypeId>) {
    let Some(value) = &row.value else { return };
    let in_json = json_odata_type(json);
    let expected = in_json.as_deref().or(own.map(String::as_str));
    if let Some(expected) = expected.filter(|e| !e.eq_ignore_ascii_case(value)) {
        diags.push(
            page.span(row.line),
            Kind::TableJsonMismatch,
            format!(
                "the `odata.type` row names `#{value}`, but the page documents `#{expected}`; the row is the type's discriminator (`@odata.type` on the wire), not a property"
            ),
        );
    }
}

/// The top-level `@odata.type` of a JSON representation (`"@odata.type": "#microsoft.graph.x"`);
/// nested objects carry their own, which say nothing about the page's type.
fn json_odata_type(json: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(&lenient::normalize(json)).ok()?;
    let name = value.get("@odata.type")?.as_str()?.trim().trim_start_matches('#');
    (name.contains('.') && !name.contains(' ')).then(|| name.to_string())
}
