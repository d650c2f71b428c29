//! Writing a generated crate: only files whose content changed, atomically, and never a file
//! the generator did not write itself.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::emit::{Files, HEADER, HEADER_HASH};
use crate::parallel;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("refusing to overwrite {}: it does not start with the generated-file header, so it was not written by this tool; move it away or choose another --out", path.display())]
    NotGenerated { path: PathBuf },
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

    /// `3 new, 1 changed, 0 obsolete`.
    pub fn counts(&self) -> String {
        format!("{} new, {} changed, {} obsolete", self.added.len(), self.changed.len(), self.removed.len())
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

fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        text.replace("\r\n", "\n").into()
    } else {
        text.into()
    }
}

/// How a file on disk compares with what it should hold.
enum State {
    Same,
    Added,
    /// Differs from this 1-based line on.
    Changed(usize),
}

fn is_generated(text: &str) -> bool {
    // A checkout with CRLF line endings keeps a `\r` at the end of the first line.
    let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
    first == format!("//!{HEADER}") || first == HEADER_HASH
}

/// Compares `files` with what is in `out`, and unless `check`, writes what differs and removes
/// obsolete generated files. New files are written in place (and removed again if any write
/// fails); changed files go through a temporary beside them and are renamed only once every
/// write has succeeded, so a failed run leaves the output as it was.
pub fn sync(out: &Path, files: &Files, check: bool) -> Result<Changes, OutputError> {
    let on_disk = existing_files(out)?;
    let mut changes = Changes::default();
    let entries: Vec<(&String, &String)> = files.iter().collect();
    let states = parallel::map(&entries, |(rel, text)| -> Result<State, OutputError> {
        if !on_disk.contains(*rel) {
            return Ok(State::Added);
        }
        let path = out.join(rel);
        // Unchanged files, the common case, cost one read and one comparison of bytes.
        match std::fs::read(&path) {
            Ok(bytes) if bytes == text.as_bytes() => return Ok(State::Same),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::Added),
            Err(source) => return Err(OutputError::Read { path, source }),
        }
        let wanted = normalize(text);
        match std::fs::read_to_string(&path) {
            Ok(existing) if normalize(&existing) == wanted => Ok(State::Same),
            Ok(existing) if !is_generated(&existing) => Err(OutputError::NotGenerated { path }),
            Ok(existing) => {
                let line = existing
                    .lines()
                    .zip(wanted.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| existing.lines().count().min(wanted.lines().count()));
                Ok(State::Changed(line + 1))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::Added),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Err(OutputError::NotGenerated { path }),
            Err(source) => Err(OutputError::Read { path, source }),
        }
    });
    for ((rel, _), state) in entries.iter().zip(states) {
        match state? {
            State::Same => {}
            State::Added => changes.added.push((*rel).clone()),
            State::Changed(line) => changes.changed.push(((*rel).clone(), line)),
        }
    }
    let obsolete: Vec<&String> = on_disk.iter().filter(|rel| !files.contains_key(*rel)).collect();
    changes.removed = parallel::map(&obsolete, |rel| starts_generated(&out.join(rel)).then(|| (*rel).clone()))
        .into_iter()
        .flatten()
        .collect();
    if check {
        return Ok(changes);
    }

    let dirs: BTreeSet<PathBuf> =
        changes.added.iter().filter_map(|rel| out.join(rel).parent().map(Path::to_path_buf)).collect();
    // Directories this run creates, outermost first, to take away again if a write fails.
    let mut created: Vec<PathBuf> = Vec::new();
    for dir in dirs {
        let mut missing: Vec<PathBuf> = dir.ancestors().take_while(|a| !a.exists()).map(Path::to_path_buf).collect();
        missing.reverse();
        created.extend(missing);
        if let Err(source) = std::fs::create_dir_all(&dir) {
            remove_dirs(&created);
            return Err(OutputError::Write { path: dir.clone(), source });
        }
    }
    let added = parallel::map(&changes.added, |rel| {
        let path = out.join(rel);
        write_new(&path, &normalize(&files[rel])).map(|()| path)
    });
    let staged = parallel::map(&changes.changed, |(rel, _)| {
        let path = out.join(rel);
        stage(&path, &normalize(&files[rel])).map(|tmp| (tmp, path))
    });
    if added.iter().any(Result::is_err) || staged.iter().any(Result::is_err) {
        let mut first = None;
        for result in added {
            match result {
                Ok(path) => drop(std::fs::remove_file(path)),
                Err(e) => first = first.or(Some(e)),
            }
        }
        for result in staged {
            match result {
                Ok((tmp, _)) => drop(std::fs::remove_file(tmp)),
                Err(e) => first = first.or(Some(e)),
            }
        }
        remove_dirs(&created);
        return Err(first.expect("a write failed"));
    }
    let added: Vec<PathBuf> = added.into_iter().flatten().collect();
    let staged: Vec<(PathBuf, PathBuf)> = staged.into_iter().flatten().collect();

    // Commit. Each changed or obsolete file is first moved aside, so that if a rename fails (a
    // file held open elsewhere) everything done so far can be put back.
    let suffix = format!(".old{}", std::process::id());
    let aside = |path: &Path| {
        let mut p = path.as_os_str().to_owned();
        p.push(&suffix);
        PathBuf::from(p)
    };
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut failure = None;
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Write { path, source }
    };
    for (tmp, path) in &staged {
        let backup = aside(path);
        if let Err(e) = std::fs::rename(path, &backup).map_err(write_err(path)) {
            failure = Some(e);
            break;
        }
        moved.push((path.clone(), backup));
        if let Err(e) = std::fs::rename(tmp, path).map_err(write_err(path)) {
            failure = Some(e);
            break;
        }
    }
    if failure.is_none() {
        for rel in &changes.removed {
            let path = out.join(rel);
            let backup = aside(&path);
            if let Err(e) = std::fs::rename(&path, &backup).map_err(write_err(&path)) {
                failure = Some(e);
                break;
            }
            moved.push((path, backup));
        }
    }
    if let Some(e) = failure {
        for (path, backup) in moved.iter().rev() {
            let _ = std::fs::rename(backup, path);
        }
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        for path in &added {
            let _ = std::fs::remove_file(path);
        }
        remove_dirs(&created);
        return Err(e);
    }
    for (_, backup) in moved {
        let _ = std::fs::remove_file(backup);
    }
    Ok(changes)
}

/// Removes directories (given outermost first) that are empty.
fn remove_dirs(dirs: &[PathBuf]) {
    for dir in dirs.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
}

/// Writes a file that must not exist yet; a partial file is removed again.
fn write_new(path: &Path, text: &str) -> Result<(), OutputError> {
    use std::io::Write;
    let err = |source| OutputError::Write { path: path.to_path_buf(), source };
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(err)?;
    file.write_all(text.as_bytes()).map_err(|e| {
        let _ = std::fs::remove_file(path);
        err(e)
    })
}

/// Writes `text` to a temporary file next to `path` and returns the temporary's path.
fn stage(path: &Path, text: &str) -> Result<PathBuf, OutputError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| OutputError::Write { path: path.to_path_buf(), source })?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    // A temporary left by an earlier run of this process id is stale.
    let _ = std::fs::remove_file(&tmp);
    write_new(&tmp, text)?;
    Ok(tmp)
}

/// Files that may be generated: `Cargo.toml`, `rustfmt.toml` and `.rs` files under `src/`,
/// relative to `out` with `/` separators. Listed from the directories; none is opened.
fn existing_files(out: &Path) -> Result<BTreeSet<String>, OutputError> {
    let mut found = BTreeSet::new();
    for top in ["Cargo.toml", "rustfmt.toml", "api.txt"] {
        if out.join(top).is_file() {
            found.insert(top.to_string());
        }
    }
    let mut stack = vec![PathBuf::from("src")];
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
            let Ok(mut kind) = entry.file_type() else {
                continue;
            };
            // A symbolic link counts as what it points to (a generated file may be one); the
            // depth limit stops a link cycle.
            if kind.is_symlink() {
                match std::fs::metadata(out.join(&child)) {
                    Ok(meta) => kind = meta.file_type(),
                    Err(_) => continue,
                }
            }
            if kind.is_dir() && child.components().count() < 32 {
                stack.push(child);
            } else if kind.is_file() && child.extension().is_some_and(|e| e == "rs") {
                found.insert(child.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(found)
}

/// Whether a file begins with the generated header; only its first line is read.
fn starts_generated(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(HEADER.len() + 8);
    let Ok(file) = std::fs::File::open(path) else { return false };
    if file.take(HEADER.len() as u64 + 5).read_to_end(&mut head).is_err() {
        return false;
    }
    is_generated(&String::from_utf8_lossy(&head))
}

/// Writes through a temporary file in the same directory, so a reader never sees half a file.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), OutputError> {
    let tmp = stage(path, text)?;
    std::fs::rename(&tmp, path).map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        OutputError::Write { path: path.to_path_buf(), source }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("graph-docgen-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Every file and directory below `dir`, with the files' text.
    fn listing(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                if p.is_dir() {
                    out.push((rel, "<dir>".into()));
                    stack.push(p);
                } else {
                    out.push((rel, std::fs::read_to_string(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    fn file(body: &str) -> String {
        format!("//!{HEADER}\n{body}\n")
    }

    #[test]
    fn a_write_that_fails_midway_leaves_the_output_as_it_was() {
        let out = scratch("midway");
        let mut files = Files::new();
        files.insert("src/lib.rs".into(), file("mod a;"));
        files.insert("src/a.rs".into(), file("pub struct A;"));
        sync(&out, &files, false).unwrap();
        // A directory where the next run wants a file: that one write fails.
        std::fs::create_dir_all(out.join("src/blocked.rs")).unwrap();
        let before = listing(&out);

        let mut next = files.clone();
        next.insert("src/a.rs".into(), file("pub struct A2;"));
        next.insert("src/new/deeper/b.rs".into(), file("pub struct B;"));
        next.insert("src/blocked.rs".into(), file("pub struct C;"));
        let err = sync(&out, &next, false).unwrap_err();
        assert!(err.to_string().contains("blocked.rs"), "{err}");
        assert_eq!(listing(&out), before, "no file changed, none added, no temporary or directory left");

        std::fs::remove_dir_all(out.join("src/blocked.rs")).unwrap();
        let changes = sync(&out, &next, false).unwrap();
        assert_eq!(changes.added, ["src/blocked.rs", "src/new/deeper/b.rs"]);
        assert_eq!(changes.changed, [("src/a.rs".to_string(), 2)]);
        assert!(sync(&out, &next, true).unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn a_file_without_the_header_is_never_overwritten() {
        let out = scratch("foreign");
        std::fs::create_dir_all(out.join("src")).unwrap();
        std::fs::write(out.join("src/lib.rs"), "// my own crate\n").unwrap();
        let mut files = Files::new();
        files.insert("src/lib.rs".into(), file(""));
        files.insert("src/a.rs".into(), file("pub struct A;"));
        let err = sync(&out, &files, false).unwrap_err();
        assert!(matches!(&err, OutputError::NotGenerated { path } if path.ends_with("src/lib.rs")), "{err}");
        assert_eq!(std::fs::read_to_string(out.join("src/lib.rs")).unwrap(), "// my own crate\n");
        assert!(!out.join("src/a.rs").exists(), "nothing is written when one file is refused");
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    #[cfg(unix)]
    fn crlf_checkouts_and_symlinked_files_are_still_ours() {
        let out = scratch("crlf");
        let mut files = Files::new();
        files.insert("src/lib.rs".into(), file(""));
        files.insert("src/old.rs".into(), file(""));
        sync(&out, &files, false).unwrap();
        // As a `core.autocrlf` checkout writes it.
        std::fs::write(out.join("src/old.rs"), file("").replace('\n', "\r\n")).unwrap();
        // A generated file that is a symbolic link to one elsewhere.
        let elsewhere = out.join("elsewhere.rs");
        std::fs::write(&elsewhere, file("pub struct Old;")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("src/linked.rs")).unwrap();
        files.remove("src/old.rs");
        files.insert("src/linked.rs".into(), file("pub struct New;"));
        let changes = sync(&out, &files, false).unwrap();
        assert_eq!(changes.removed, ["src/old.rs"]);
        assert_eq!(changes.changed, [("src/linked.rs".to_string(), 2)]);
        assert_eq!(std::fs::read_to_string(out.join("src/linked.rs")).unwrap(), file("pub struct New;"));
        assert!(sync(&out, &files, true).unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn only_files_with_the_header_are_removed() {
        let out = scratch("obsolete");
        let mut files = Files::new();
        files.insert("src/lib.rs".into(), file(""));
        files.insert("src/old.rs".into(), file(""));
        sync(&out, &files, false).unwrap();
        std::fs::write(out.join("src/mine.rs"), "// hand-written\n").unwrap();
        files.remove("src/old.rs");
        let changes = sync(&out, &files, false).unwrap();
        assert_eq!(changes.removed, ["src/old.rs"]);
        assert!(out.join("src/mine.rs").exists());
        let _ = std::fs::remove_dir_all(&out);
    }
}
