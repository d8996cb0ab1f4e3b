//! One build at a time per output folder.
//!
//! A build into `out` takes an advisory lock (`File::try_lock`) on
//! `.<name>.boardpack-lock` beside it and writes its process id and start
//! time into the file. The operating system releases the lock when the
//! process ends, however it ends, so a lock file left by a killed build is
//! stale by definition: the next build takes it over. A second build while
//! the first runs stops at once with "another build is writing …; started at
//! …, pid …". On Unix the file is removed when the build ends; elsewhere it
//! is left, unlocked, and reused. Taking the lock also cleans what a killed
//! build left ([`super::swap::recover`]). A file system that cannot lock (some
//! network shares) fails the build with a message saying so.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::sibling;

/// Suffix of the lock file beside the output folder.
pub const LOCK_SUFFIX: &str = "boardpack-lock";

/// The lock on one output folder, held until dropped.
#[derive(Debug)]
pub struct OutputLock {
    out: PathBuf,
    path: PathBuf,
    file: File,
    /// Folders made to hold the lock file, deepest first; removed again if left empty.
    created: Vec<PathBuf>,
    _cleanup: super::interrupt::Registration,
}

impl OutputLock {
    /// Take the lock for `out`, or say who holds it.
    pub fn acquire(out: &Path) -> Result<OutputLock, String> {
        let path = sibling(out, LOCK_SUFFIX);
        let mut created = Vec::new();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            created = parent
                .ancestors()
                .take_while(|a| !a.as_os_str().is_empty() && fs::symlink_metadata(a).is_err())
                .map(Path::to_path_buf)
                .collect();
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        // The previous holder removes the file as it finishes; a file opened just
        // before that is no longer the lock file, so open it again.
        for _ in 0..16 {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Err(busy(out, &path)),
                Err(TryLockError::Error(e)) => {
                    return Err(format!(
                        "cannot lock {}: {e}; boardpack locks the output folder so two builds \
                         never write it at once, and this file system does not allow that: \
                         choose an --out on a local disk",
                        path.display()
                    ));
                }
            }
            if !still_named(&file, &path) {
                continue;
            }
            let mut lock = OutputLock {
                out: out.to_path_buf(),
                _cleanup: super::interrupt::register(vec![path.clone()]),
                path,
                file,
                created,
            };
            lock.describe()
                .map_err(|e| format!("cannot write {}: {e}", lock.path.display()))?;
            // Under the lock, undo what a killed build left (staging and old folders).
            super::swap::recover(out)?;
            return Ok(lock);
        }
        let err = busy(out, &path);
        remove_empty(&created);
        Err(err)
    }

    /// The output folder this lock guards.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn describe(&mut self) -> std::io::Result<()> {
        let now = jiff::Timestamp::now();
        let started = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
        self.file.set_len(0)?;
        write!(self.file, "pid {}\nstarted {started}\n", std::process::id())?;
        self.file.flush()
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked; the lock itself goes with the file handle.
        if cfg!(unix) {
            let _ = fs::remove_file(&self.path);
        }
        remove_empty(&self.created);
    }
}

/// Remove the folders a lock made, deepest first, where nothing else was put in them
/// (a build that published its output leaves them; a failed first build does not).
fn remove_empty(created: &[PathBuf]) {
    for dir in created {
        if fs::remove_dir(dir).is_err() {
            break;
        }
    }
}

/// True when `path` still names the open `file` (Unix: same device and inode).
#[cfg(unix)]
fn still_named(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere the lock file is never removed, so it always names the open file.
#[cfg(not(unix))]
fn still_named(_file: &File, _path: &Path) -> bool {
    true
}

/// "another build is writing out; started at …, pid …", from the lock file's text.
fn busy(out: &Path, path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string()))
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "?".into())
    };
    format!(
        "another build is writing {}; started at {}, pid {} (lock file {}); wait for it to finish",
        out.display(),
        field("started "),
        field("pid "),
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_with_pid_and_time_then_released() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let first = OutputLock::acquire(&out).unwrap();
        let text = fs::read_to_string(first.path()).unwrap();
        assert!(text.starts_with(&format!("pid {}\n", std::process::id())));
        let err = OutputLock::acquire(&out).unwrap_err();
        assert!(
            err.starts_with(&format!(
                "another build is writing {}; started at 2",
                out.display()
            )),
            "{err}"
        );
        assert!(
            err.contains(&format!(", pid {} ", std::process::id())),
            "{err}"
        );
        let path = first.path().to_path_buf();
        drop(first);
        #[cfg(unix)]
        assert!(!path.exists(), "the lock file is removed when released");
        let again = OutputLock::acquire(&out).unwrap();
        assert_eq!(again.path(), path);
    }

    #[test]
    fn a_stale_lock_file_is_taken_over() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let path = sibling(&out, LOCK_SUFFIX);
        fs::write(&path, "pid 999999999\nstarted 2001-01-01T00:00:00Z\n").unwrap();
        let lock = OutputLock::acquire(&out).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(!text.contains("999999999"), "{text}");
        assert!(text.contains(&std::process::id().to_string()), "{text}");
        drop(lock);
    }
}
