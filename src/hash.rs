//! Content hashes: whether a file, a folder or a snapshot changed between
//! two builds (the build manifest, `serve`'s load cache, a pack's print).
//!
//! A hash here only tells "changed" from "unchanged" between two builds of
//! the same site, so it needs to be stable and wide, not secret: two 64-bit
//! SipHash-1-3 states with fixed keys (std's `DefaultHasher::new()`), fed
//! the same bytes after different seeds, make 128 bits, written as hex.
//! Were the standard library to change the algorithm, hashes would just
//! differ and the next build would render everything once.

use std::fs;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// A 128-bit content hash being fed.
pub struct Fingerprint {
    a: DefaultHasher,
    b: DefaultHasher,
}

impl Default for Fingerprint {
    fn default() -> Self {
        Self::new()
    }
}

impl Fingerprint {
    /// An empty hash.
    pub fn new() -> Self {
        let mut a = DefaultHasher::new();
        let mut b = DefaultHasher::new();
        a.write_u8(0xa5);
        b.write_u8(0x5a);
        Fingerprint { a, b }
    }

    /// Add one field; its length goes first, so fields never run together.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Self {
        for h in [&mut self.a, &mut self.b] {
            h.write_u64(bytes.len() as u64);
            h.write(bytes);
        }
        self
    }

    /// The hash as 32 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}{:016x}", self.a.finish(), self.b.finish())
    }
}

/// Digests of the files one build has read, by path, so a file is read and
/// digested once however many stages ask (loading with a cache, then the
/// inputs' hashes); and of the folders digested whole (each plan's). Cleared
/// between builds of one process.
#[derive(Default, Debug)]
pub struct Digests {
    files: std::sync::Mutex<std::collections::HashMap<PathBuf, String>>,
    folders: std::sync::Mutex<std::collections::HashMap<PathBuf, Option<String>>>,
}

impl Digests {
    fn get(&self, p: &Path) -> Option<String> {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(p)
            .cloned()
    }

    fn insert(&self, p: &Path, d: &str) {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(p.to_path_buf(), d.to_string());
    }

    /// Forget every digest (the files may have changed since).
    pub fn clear(&self) {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// Files under `dir` (not following links), sorted, each with a digest of
/// its bytes. Files are read and digested in parallel, one at a time each,
/// so the content is never all in memory at once.
pub fn tree(dir: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    tree_with(dir, None)
}

/// [`tree`], taking digests from `memo` when there and adding the others.
pub fn tree_with(dir: &Path, memo: Option<&Digests>) -> Result<Vec<(PathBuf, String)>, String> {
    tree_skipping(dir, |_| false, memo)
}

/// [`tree_with`], leaving out every folder below `dir` for which `skip` is true.
pub fn tree_skipping(
    dir: &Path,
    skip: impl Fn(&Path) -> bool,
    memo: Option<&Digests>,
) -> Result<Vec<(PathBuf, String)>, String> {
    use rayon::prelude::*;
    let mut paths: Vec<PathBuf> = Vec::new();
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let walk = WalkDir::new(dir).follow_links(false).sort_by_file_name();
    for e in walk
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !(e.file_type().is_dir() && skip(e.path())))
    {
        let e = e.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if !e.file_type().is_dir() {
            paths.push(e.into_path());
        }
    }
    Ok(paths
        .into_par_iter()
        .map(|p| {
            if let Some(d) = memo.and_then(|m| m.get(&p)) {
                return (p, d);
            }
            let d = file_digest(&p);
            if let Some(m) = memo {
                m.insert(&p, &d);
            }
            (p, d)
        })
        .collect())
}

/// A digest of everything under `dir`: each file's path and bytes (links by
/// their target), so any change inside it, an added or removed file
/// included, changes it. `None` when the folder cannot be read.
pub fn folder_digest(dir: &Path) -> Option<String> {
    folder_digest_with(dir, None)
}

/// [`folder_digest`], with the files' digests taken from and kept in `memo`.
pub fn folder_digest_with(dir: &Path, memo: Option<&Digests>) -> Option<String> {
    let kept = memo.and_then(|m| {
        let folders = m.folders.lock().unwrap_or_else(|e| e.into_inner());
        folders.get(dir).cloned()
    });
    if let Some(digest) = kept {
        return digest;
    }
    let digest = tree_with(dir, memo).ok().map(|files| {
        let mut f = Fingerprint::new();
        for (p, digest) in files {
            f.field(p.to_string_lossy().as_bytes())
                .field(digest.as_bytes());
        }
        f.hex()
    });
    if let Some(m) = memo {
        let mut folders = m.folders.lock().unwrap_or_else(|e| e.into_inner());
        folders.insert(dir.to_path_buf(), digest.clone());
    }
    digest
}

/// A digest of the bytes of the file at `path`, as [`tree`] gives each
/// file's. Only ordinary files are read (a link by what it points at):
/// opening a pipe or a device could wait for ever. Anything else is
/// digested by its link text or its kind; the loader refuses it with a
/// located error.
pub fn file_digest(path: &Path) -> String {
    let is_file = fs::metadata(path).is_ok_and(|m| m.is_file());
    let bytes = match is_file.then(|| fs::read(path)) {
        Some(Ok(b)) => b,
        _ => match fs::read_link(path) {
            Ok(t) => t.to_string_lossy().into_owned().into_bytes(),
            Err(_) => b"not an ordinary file".to_vec(),
        },
    };
    Fingerprint::new().field(&bytes).hex()
}

/// Something that changes whenever the running boardpack does: its version,
/// and its executable's size and modification time (a rebuilt boardpack may
/// render differently under the same version).
pub fn tool_identity() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| fs::metadata(&p).ok().map(|m| (p, m)))
        .map(|(p, m)| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            format!("{} {} {modified}", p.display(), m.len())
        })
        .unwrap_or_default();
    format!("boardpack {} {exe}", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_do_not_run_together_and_hashes_are_stable() {
        let h = |parts: &[&str]| {
            let mut f = Fingerprint::new();
            for p in parts {
                f.field(p.as_bytes());
            }
            f.hex()
        };
        assert_ne!(h(&["ab", "c"]), h(&["a", "bc"]));
        assert_eq!(h(&["ab", "c"]), h(&["ab", "c"]));
        assert_eq!(h(&[]).len(), 32);
    }
}
