//! `cargo xtask docs-sync --from DIR`: refreshes the tracked docs tree (`docs/`) from a Graph docs
//! checkout, page for page, and says which pages were added, removed and changed.
//!
//! The new tree is staged beside the old one and swapped in with one atomic rename, so a failed
//! or interrupted sync leaves `docs/` exactly as it was.

use std::collections::BTreeMap;
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The folders of a docs tree that hold the pages the generator reads.
const PAGE_FOLDERS: [&str; 2] = ["resources", "api"];

/// What a sync changed, by page path relative to the tree (`resources/user.md`).
#[derive(Debug, Default)]
pub struct SyncReport {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl SyncReport {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

impl std::fmt::Display for SyncReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} pages added, {} removed, {} changed",
            self.added.len(),
            self.removed.len(),
            self.changed.len()
        )?;
        for (sign, list) in [("+", &self.added), ("-", &self.removed), ("~", &self.changed)] {
            for page in list {
                writeln!(f, "  {sign} {page}")?;
            }
        }
        Ok(())
    }
}

/// The pages of a docs tree: every `.md` file below `resources/` and `api/`, by relative path.
/// Symbolic links are not followed (they could lead out of the tree); anything that cannot be
/// read is an error, since a partial copy would remove pages that still exist.
fn read_pages(root: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut pages = BTreeMap::new();
    for folder in PAGE_FOLDERS {
        let mut stack = vec![root.join(folder)];
        while let Some(dir) = stack.pop() {
            if !dir.exists() {
                continue;
            }
            for entry in std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))? {
                let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
                let path = entry.path();
                let kind = entry.file_type().with_context(|| format!("cannot read {}", path.display()))?;
                if kind.is_symlink() {
                    eprintln!("note: {} is a symbolic link; not followed", path.display());
                } else if kind.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    let bytes =
                        std::fs::read(&path).with_context(|| format!("cannot read the page {}", path.display()))?;
                    let rel = path.strip_prefix(root).expect("below the root").to_string_lossy().replace('\\', "/");
                    pages.insert(rel, bytes);
                }
            }
        }
    }
    Ok(pages)
}

/// The staging and retired directories of a sync into `to`: siblings, so that renames between
/// them stay on one file system.
fn siblings(to: &Path) -> Result<(PathBuf, PathBuf)> {
    let name = to.file_name().with_context(|| format!("{} has no directory name", to.display()))?;
    let parent = to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = name.to_string_lossy();
    Ok((parent.join(format!(".{name}.sync-new")), parent.join(format!(".{name}.sync-old"))))
}

/// Copies a directory tree, skipping `skip` at its top level.
fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        if skip.iter().any(|s| name == **s) {
            continue;
        }
        let kind = entry.file_type()?;
        let target = to.join(&name);
        if kind.is_dir() {
            copy_tree(&entry.path(), &target, &[])?;
        } else if kind.is_symlink() {
            let link = std::fs::read_link(entry.path())?;
            std::os::unix::fs::symlink(link, &target)?;
        } else {
            std::fs::copy(entry.path(), &target).with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Swaps two directories in one step (Linux `renameat2` with `RENAME_EXCHANGE`): at every
/// moment `a` is either the old tree or the new one. No crate offers this call; `libc` exposes it.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are NUL-terminated strings that outlive the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Refreshes the pages of `to` from the docs tree `from`: pages the generator reads are copied,
/// pages that are gone are removed, every other file of `to` (its licence, `SOURCE.md`) is left
/// alone. Fails without touching `to` when `from` is not a docs tree or cannot be read.
pub fn sync(from: &Path, to: &Path) -> Result<SyncReport> {
    if !from.is_dir() {
        bail!(
            "{}: not a directory; expected a Graph docs tree (such as a checkout's api-reference/v1.0)",
            from.display()
        );
    }
    if !PAGE_FOLDERS.iter().any(|f| from.join(f).is_dir()) {
        bail!(
            "{}: not a Graph docs tree: expected `resources/` and `api/` folders of reference pages (for a docs checkout, pass its api-reference/v1.0 or api-reference/beta)",
            from.display()
        );
    }
    let (staging, retired) = siblings(to)?;
    // Left behind by an interrupted sync; `to` itself was never half-written.
    for stale in [&staging, &retired] {
        if stale.exists() {
            std::fs::remove_dir_all(stale).with_context(|| format!("cannot remove {}", stale.display()))?;
        }
    }
    let new = read_pages(from)?;
    if new.is_empty() {
        bail!("{}: no `.md` pages below `resources/` or `api/`; nothing to sync from", from.display());
    }
    let old = if to.exists() { read_pages(to)? } else { BTreeMap::new() };
    let mut report = SyncReport::default();
    for (page, bytes) in &new {
        match old.get(page) {
            None => report.added.push(page.clone()),
            Some(b) if b != bytes => report.changed.push(page.clone()),
            Some(_) => {}
        }
    }
    report.removed = old.keys().filter(|p| !new.contains_key(*p)).cloned().collect();
    if report.is_empty() {
        return Ok(report);
    }

    // Stage the whole new tree: the other files of `to`, then every page.
    let staged = (|| -> Result<()> {
        if to.exists() {
            copy_tree(to, &staging, &PAGE_FOLDERS)?;
        }
        for (page, bytes) in &new {
            let path = staging.join(page);
            std::fs::create_dir_all(path.parent().expect("a page is in a folder"))?;
            std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    })();
    if let Err(e) = staged {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e.context(format!("staging the new pages beside {}; it was left as it was", to.display())));
    }
    // A test hook: stop as an interrupted run would, after staging and before the swap.
    if std::env::var_os("GRAPH_DOCGEN_SYNC_STOP_BEFORE_SWAP").is_some() {
        std::process::exit(3);
    }

    if !to.exists() {
        std::fs::rename(&staging, to).with_context(|| format!("cannot move the new pages into {}", to.display()))?;
        return Ok(report);
    }
    match exchange(&staging, to) {
        Ok(()) => {}
        // A file system without the atomic exchange: two renames, the first undone if the
        // second fails.
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) => {
            std::fs::rename(to, &retired).with_context(|| format!("cannot move {} aside", to.display()))?;
            if let Err(e) = std::fs::rename(&staging, to) {
                std::fs::rename(&retired, to)
                    .with_context(|| format!("cannot put {} back from {}", to.display(), retired.display()))?;
                let _ = std::fs::remove_dir_all(&staging);
                return Err(anyhow::Error::from(e).context(format!("cannot move the new pages into {}", to.display())));
            }
            let _ = std::fs::remove_dir_all(&retired);
            return Ok(report);
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(anyhow::Error::from(e).context(format!("cannot swap the new pages into {}", to.display())));
        }
    }
    // `staging` now holds the old tree.
    std::fs::remove_dir_all(&staging)
        .with_context(|| format!("cannot remove the old pages at {}", staging.display()))?;
    Ok(report)
}
