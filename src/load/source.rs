//! Where content is read from: the site folder on disk, or a snapshot of
//! files held in memory (the content as it stood at a git revision).
//!
//! The loader asks a [`Source`] for files by their path relative to the site
//! root, so the same checks and parsing apply to both.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::files::{self, Text};

/// A set of files held in memory, by path relative to the site root
/// (`content/plans/p/plan.yaml`).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Each file's bytes, or why it cannot be read (a link, or too large).
    files: BTreeMap<PathBuf, Result<Vec<u8>, String>>,
}

impl Snapshot {
    /// An empty snapshot.
    pub fn new() -> Self {
        Snapshot::default()
    }

    /// Add a file's bytes.
    pub fn insert(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.files.insert(path, Ok(bytes));
    }

    /// Record a file that cannot be read, with the reason.
    pub fn insert_unreadable(&mut self, path: PathBuf, why: String) {
        self.files.insert(path, Err(why));
    }

    /// Number of files held.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file is held.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// A digest of every file held (path and bytes, or why it cannot be
    /// read), for telling one snapshot's content from another's.
    pub fn digest(&self) -> String {
        let mut f = crate::hash::Fingerprint::new();
        for (path, bytes) in &self.files {
            f.field(path.to_string_lossy().as_bytes());
            match bytes {
                Ok(b) => f.field(b"ok").field(b),
                Err(why) => f.field(b"unreadable").field(why.as_bytes()),
            };
        }
        f.hex()
    }

    /// Paths of the files held under `dir` (at any depth), sorted.
    fn under<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = &'a PathBuf> + 'a {
        self.files.keys().filter(move |p| p.starts_with(dir))
    }
}

/// Where the loader reads files from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// The site folder on disk.
    Dir(&'a Path),
    /// Files held in memory.
    Memory(&'a Snapshot),
}

impl Source<'_> {
    /// Read a text file (path relative to the site root); see [`files::read_text`].
    pub fn read_text(&self, rel: &Path) -> Result<Text, String> {
        match self {
            Source::Dir(root) => files::read_text(root, rel),
            Source::Memory(snap) => match snap.files.get(rel) {
                Some(Ok(bytes)) => {
                    if bytes.len() as u64 > files::MAX_FILE_BYTES {
                        return Err(format!(
                            "the file is over the {} MB limit for content files",
                            files::MAX_FILE_BYTES / (1024 * 1024)
                        ));
                    }
                    files::decode(bytes)
                }
                Some(Err(why)) => Err(why.clone()),
                None if snap.under(rel).next().is_some() => {
                    Err("expected a file, found a folder".into())
                }
                None => Err("file not found".into()),
            },
        }
    }

    /// Read a binary file (a workbook), with the same limits as text files.
    pub fn read_bytes(&self, rel: &Path) -> Result<Vec<u8>, String> {
        match self {
            Source::Dir(root) => files::read_content_bytes(root, rel),
            Source::Memory(snap) => match snap.files.get(rel) {
                Some(Ok(bytes)) if bytes.len() as u64 > files::MAX_FILE_BYTES => Err(format!(
                    "the workbook is over the {} MB limit for content files",
                    files::MAX_FILE_BYTES / (1024 * 1024)
                )),
                Some(Ok(bytes)) => Ok(bytes.clone()),
                Some(Err(why)) => Err(why.clone()),
                None => Err("file not found".into()),
            },
        }
    }

    /// Resolve `name`, written in a file in `from_dir`, to a path inside the site;
    /// see [`files::resolve_inside`].
    pub fn resolve_inside(&self, from_dir: &Path, name: &str) -> Result<PathBuf, String> {
        match self {
            Source::Dir(root) => files::resolve_inside(root, from_dir, name),
            // A snapshot holds no links to follow, so the lexical check is the whole check.
            Source::Memory(_) => {
                files::resolve_inside(Path::new("/nonexistent-boardpack-snapshot"), from_dir, name)
            }
        }
    }

    /// The site folder, when reading from disk.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            Source::Dir(root) => Some(root),
            Source::Memory(_) => None,
        }
    }

    /// Files named `name` anywhere under `dir` of a snapshot, sorted; `None` for a folder on disk.
    pub fn snapshot_files_named(&self, dir: &str, name: &str) -> Option<Vec<PathBuf>> {
        let Source::Memory(snap) = self else {
            return None;
        };
        Some(
            snap.under(Path::new(dir))
                .filter(|p| p.file_name().is_some_and(|f| f == name))
                .filter(|p| p.components().all(|c| matches!(c, Component::Normal(_))))
                .cloned()
                .collect(),
        )
    }

    /// YAML files directly in `dir` of a snapshot, sorted; `None` for a folder on disk.
    pub fn snapshot_yaml_in(&self, dir: &str) -> Option<Vec<PathBuf>> {
        let Source::Memory(snap) = self else {
            return None;
        };
        let dir = Path::new(dir);
        Some(
            snap.under(dir)
                .filter(|p| p.parent() == Some(dir))
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .cloned()
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_files_read_like_disk_files() {
        let mut s = Snapshot::new();
        s.insert("content/site.yaml".into(), b"\xEF\xBB\xBFtitle: T".to_vec());
        s.insert("content/plans/a/plan.yaml".into(), b"id: a".to_vec());
        s.insert_unreadable("content/plans/b/plan.yaml".into(), "a link".into());
        let src = Source::Memory(&s);
        assert_eq!(
            src.read_text(Path::new("content/site.yaml")).unwrap().text,
            "title: T"
        );
        assert_eq!(
            src.read_text(Path::new("content/plans")).unwrap_err(),
            "expected a file, found a folder"
        );
        assert_eq!(
            src.read_text(Path::new("content/x.yaml")).unwrap_err(),
            "file not found"
        );
        assert_eq!(
            src.read_text(Path::new("content/plans/b/plan.yaml"))
                .unwrap_err(),
            "a link"
        );
        assert_eq!(
            src.snapshot_files_named("content/plans", "plan.yaml")
                .unwrap()
                .len(),
            2
        );
        assert!(
            src.resolve_inside(Path::new("content/plans/a"), "../../../../x")
                .is_err()
        );
    }
}
