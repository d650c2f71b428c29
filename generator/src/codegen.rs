//! One generation run: read a docs tree, resolve it, emit a crate in memory.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, Kind, Span};
use crate::emit::{self, CrateOptions, EmitError, Files};
use crate::ir::Ir;
use crate::parse::{self, Page};
use crate::resolve;

#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error("cannot read the docs directory {}: {source}", path.display())]
    Docs { path: PathBuf, source: std::io::Error },
    #[error("{}: expected a docs directory with `resources/` and `api/` pages, found no `.md` files", path.display())]
    NoPages { path: PathBuf },
    #[error(transparent)]
    Emit(#[from] EmitError),
}

/// The result of a run, before anything is written.
#[derive(Debug)]
pub struct Generated {
    pub ir: Ir,
    pub files: Files,
    pub diagnostics: Vec<Diagnostic>,
    pub pages: Vec<Page>,
}

/// All `.md` files in the folders below `docs` (`resources/`, `api/`), relative and
/// `/`-separated, sorted so that the listing order of the file system never matters. Files at
/// the root of the tree are its own notes (`SOURCE.md`, `README.md`), not pages. Symbolic links
/// are not followed: they could lead out of the docs tree.
pub fn list_pages(docs: &Path, diags: &mut Diagnostics) -> Result<Vec<String>, CodegenError> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = docs.join(&rel);
        let entries = std::fs::read_dir(&dir).map_err(|source| CodegenError::Docs { path: dir.clone(), source })?;
        for entry in entries {
            let entry = entry.map_err(|source| CodegenError::Docs { path: dir.clone(), source })?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') {
                continue;
            }
            let child = rel.join(name);
            let display = child.to_string_lossy().replace('\\', "/");
            let kind = entry.file_type().map_err(|source| CodegenError::Docs { path: docs.join(&child), source })?;
            if kind.is_symlink() {
                diags.push(
                    Span::new(display, 1),
                    Kind::LinkOutsideDocs,
                    "a symbolic link in the docs tree; it was not followed",
                );
            } else if kind.is_dir() {
                stack.push(child);
            } else if name.ends_with(".md") && !rel.as_os_str().is_empty() {
                out.push(display);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads and parses every page; pages are independent, so they are spread over the cores.
pub fn load_pages(docs: &Path, diags: &mut Diagnostics) -> Result<Vec<Page>, CodegenError> {
    let paths = list_pages(docs, diags)?;
    load_listed(docs, paths, diags)
}

/// Reads and parses the pages `paths` names (relative to `docs`), in whatever order they come:
/// they are sorted first, so that nothing after depends on how a directory was listed.
pub fn load_listed(docs: &Path, mut paths: Vec<String>, diags: &mut Diagnostics) -> Result<Vec<Page>, CodegenError> {
    paths.sort();
    paths.dedup();
    if paths.is_empty() {
        return Err(CodegenError::NoPages { path: docs.to_path_buf() });
    }
    let results = crate::parallel::map(&paths, |p| {
        let mut d = Diagnostics::new();
        (read_page(docs, p, &mut d), d)
    });
    let mut pages = Vec::with_capacity(paths.len());
    for (page, d) in results {
        pages.extend(page);
        diags.extend(d);
    }
    Ok(pages)
}

fn read_page(docs: &Path, rel: &str, diags: &mut Diagnostics) -> Option<Page> {
    let bytes = match std::fs::read(docs.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Span::new(rel, 1), Kind::UnreadablePage, format!("cannot read the page: {e}"));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|b| **b == b'\n').count();
            diags.push(
                Span::new(rel, u32::try_from(line).unwrap_or(u32::MAX)),
                Kind::UnreadablePage,
                "expected UTF-8 text; invalid bytes were replaced with U+FFFD",
            );
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    // A panic in one page must not take the others down; it becomes a diagnostic.
    let mut local = Diagnostics::new();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse::parse_page(rel, &text, &mut local)));
    match result {
        Ok(page) => {
            diags.extend(local);
            Some(page)
        }
        Err(_) => {
            diags.push(
                Span::new(rel, 1),
                Kind::MalformedPage,
                "internal error while parsing this page; it was skipped",
            );
            None
        }
    }
}

/// Generates a crate from a docs tree, entirely in memory.
pub fn generate(docs: &Path, options: &CrateOptions) -> Result<Generated, CodegenError> {
    let mut diags = Diagnostics::new();
    let paths = list_pages(docs, &mut diags)?;
    generate_listed(docs, paths, diags, options)
}

/// Generates a crate from the pages `paths` names, given in any order (the tests give them in
/// orders a file system might list them in).
pub fn generate_listed(
    docs: &Path,
    paths: Vec<String>,
    mut diags: Diagnostics,
    options: &CrateOptions,
) -> Result<Generated, CodegenError> {
    let pages = load_listed(docs, paths, &mut diags)?;
    let mut ir = resolve::resolve(&pages, &mut diags);
    let beta = docs.file_name().is_some_and(|n| n == "beta");
    ir.docs_view = if beta { "graph-rest-beta" } else { "graph-rest-1.0" }.to_string();
    crate::examples::validate(&pages, &ir, &mut diags);
    let files = emit::emit(&ir, options, &mut diags)?;
    Ok(Generated { ir, files, diagnostics: diags.into_sorted(), pages })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_read_from_the_folders_of_the_tree_not_its_root() {
        let dir = std::env::temp_dir().join(format!("graph-docgen-list-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (rel, text) in [
            ("SOURCE.md", "# Where these pages come from"),
            ("resources/user.md", "# user resource type"),
            ("api/user-get.md", "# Get user"),
            ("resources/notes.txt", "not a page"),
        ] {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut diags = Diagnostics::new();
        let pages = list_pages(&dir, &mut diags).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(pages, ["api/user-get.md", "resources/user.md"]);
    }
}
