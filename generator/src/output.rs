//! Writing a generated crate: only files whose content changed, atomically, and never a file
//! the generator did not write itself.

use std::path::{Path, PathBuf};

use crate::emit::{Files, HEADER, HEADER_HASH};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
}

/// What differs between the generated files and the output directory.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files that do not exist yet.
    pub added: Vec<String>,
    /// Files whose content differs, with the first differing line.
    pub changed: Vec<(String, usize)>,
    /// Generated files that the docs no longer produce.
    pub removed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// A readable summary, one line per file.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for f in &self.added {
            out.push_str(&format!("  missing:  {f}\n"));
        }
        for (f, line) in &self.changed {
            out.push_str(&format!("  differs:  {f} (from line {line})\n"));
        }
        for f in &self.removed {
            out.push_str(&format!("  obsolete: {f}\n"));
        }
        out
    }
}

fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn is_generated(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    first == format!("//!{HEADER}") || first == HEADER_HASH
}

/// Compares `files` with what is in `out`, and unless `check`, writes what differs (each file
/// through a temporary file and a rename) and removes obsolete generated files.
pub fn sync(out: &Path, files: &Files, check: bool) -> Result<Changes, OutputError> {
    let mut changes = Changes::default();
    for (rel, text) in files {
        let path = out.join(rel);
        let wanted = normalize(text);
        match std::fs::read_to_string(&path) {
            Ok(existing) if normalize(&existing) == wanted => continue,
            Ok(existing) => {
                let line = existing
                    .lines()
                    .zip(wanted.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| existing.lines().count().min(wanted.lines().count()));
                changes.changed.push((rel.clone(), line + 1));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => changes.added.push(rel.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => changes.changed.push((rel.clone(), 1)),
            Err(source) => return Err(OutputError::Read { path, source }),
        }
    }
    for rel in existing_generated(out)? {
        if !files.contains_key(&rel) {
            changes.removed.push(rel);
        }
    }
    if check {
        return Ok(changes);
    }
    // Every new file is written to a temporary beside its target before any target changes, so
    // a failure while writing (a full disk, a read-only directory) leaves the output as it was.
    let targets: Vec<&String> = changes.added.iter().chain(changes.changed.iter().map(|(f, _)| f)).collect();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(targets.len());
    for rel in targets {
        let path = out.join(rel);
        match stage(&path, &normalize(&files[rel])) {
            Ok(tmp) => staged.push((tmp, path)),
            Err(e) => {
                for (tmp, _) in &staged {
                    let _ = std::fs::remove_file(tmp);
                }
                return Err(e);
            }
        }
    }
    for (tmp, path) in staged {
        std::fs::rename(&tmp, &path).map_err(|source| {
            let _ = std::fs::remove_file(&tmp);
            OutputError::Write { path: path.clone(), source }
        })?;
    }
    for rel in &changes.removed {
        let path = out.join(rel);
        std::fs::remove_file(&path).map_err(|source| OutputError::Write { path, source })?;
    }
    Ok(changes)
}

/// Writes `text` to a temporary file next to `path` and returns the temporary's path.
fn stage(path: &Path, text: &str) -> Result<PathBuf, OutputError> {
    let err = |source| OutputError::Write { path: path.to_path_buf(), source };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })?;
    Ok(tmp)
}

/// Generated files (by their header): `Cargo.toml`, `rustfmt.toml` and `.rs` files under `src/`.
fn existing_generated(out: &Path) -> Result<Vec<String>, OutputError> {
    let mut found = Vec::new();
    let mut stack = vec![PathBuf::from("src")];
    for top in ["Cargo.toml", "rustfmt.toml"] {
        if std::fs::read_to_string(out.join(top)).is_ok_and(|text| is_generated(&text)) {
            found.push(top.to_string());
        }
    }
    while let Some(rel) = stack.pop() {
        let dir = out.join(&rel);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(OutputError::Read { path: dir, source }),
        };
        for entry in entries {
            let entry = entry.map_err(|source| OutputError::Read { path: dir.clone(), source })?;
            let child = rel.join(entry.file_name());
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(child);
            } else if kind.is_file() && child.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(out.join(&child)).unwrap_or_default();
                if is_generated(&text) {
                    found.push(child.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Writes through a temporary file in the same directory, so a reader never sees half a file.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), OutputError> {
    let tmp = stage(path, text)?;
    std::fs::rename(&tmp, path).map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        OutputError::Write { path: path.to_path_buf(), source }
    })
}
