//! Stage 4: write the rendered files into the output folder atomically.
//!
//! Files are written into a staging folder beside the output and swapped in
//! only when every file was written, so a failed build leaves the previous
//! output exactly as it was. An output folder boardpack did not create is
//! never replaced without `--force`, and the site's sources never, even with
//! it ([`sources`]). One build at a time writes an output folder ([`lock`]);
//! the swap is one step where the platform allows ([`swap`]); an interrupted
//! build removes its staging folder ([`interrupt`]).

pub mod interrupt;
pub mod lock;
pub mod sources;
pub mod swap;

use std::collections::HashSet;
use std::fs;
use std::io;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

pub use lock::OutputLock;
pub mod paths;

/// Marker file that says boardpack owns an output folder.
pub const MARKER: &str = ".boardpack-output";
/// Suffix of the staging folder beside the output (`.<name>.boardpack-new`).
pub const STAGING_SUFFIX: &str = "boardpack-new";
/// Suffix of the old output moved aside by the two-rename fallback.
pub const OLD_SUFFIX: &str = "boardpack-old";

/// A file to write: its path relative to the output root (with `/`) and bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative path using `/`.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// Write `files` into `out`, replacing its previous contents in one swap.
pub fn write_output(out: &Path, files: &[OutputFile], force: bool) -> Result<(), String> {
    stage(out, files, force)?.commit()
}

/// Files written to a staging folder beside the output, not yet swapped in.
/// Dropping it without [`Staged::commit`] removes the staging folder; the
/// lock on the output folder is held until it is dropped.
pub struct Staged {
    out: PathBuf,
    dir: PathBuf,
    done: bool,
    /// Paths written so far, lower-cased: two files may not share a name.
    seen: Mutex<HashSet<String>>,
    _cleanup: interrupt::Registration,
    _lock: OutputLock,
}

fn ctx(what: &str, p: &Path, e: io::Error) -> String {
    format!("{what} {}: {e}", p.display())
}

/// Write `files` into a staging folder for `out`, checking `out` may be replaced.
/// Takes the lock on `out` first; see [`stage_locked`].
pub fn stage(out: &Path, files: &[OutputFile], force: bool) -> Result<Staged, String> {
    stage_locked(OutputLock::acquire(out)?, files, force)
}

/// Like [`stage`], under a lock taken earlier (a build takes it before loading,
/// so a second build stops at once, and has cleaned what a killed build left).
pub fn stage_locked(lock: OutputLock, files: &[OutputFile], force: bool) -> Result<Staged, String> {
    // Every path is checked before anything is touched: none may leave the staging folder.
    paths::check_all(files.iter().map(|f| f.path.as_str()))?;
    let staged = begin(lock, force)?;
    files
        .par_iter()
        .try_for_each(|f| staged.put(&f.path, &f.bytes))?;
    staged.finish()?;
    Ok(staged)
}

/// Check `out` may be replaced and create its empty staging folder, under
/// `lock`; the build then streams its files in with [`Staged::put`] as it
/// renders them, and calls [`Staged::finish`] when all are written.
pub fn begin(lock: OutputLock, force: bool) -> Result<Staged, String> {
    let out = lock.out().to_path_buf();
    let out = out.as_path();
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("{} exists and is not a folder", out.display()));
        }
        let owned = out.join(MARKER).is_file();
        let empty = fs::read_dir(out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !owned && !empty && !force {
            return Err(format!(
                "{} holds files boardpack did not write; choose another --out, or pass --force to replace it",
                out.display()
            ));
        }
    }
    let staging = sibling(out, STAGING_SUFFIX);
    let cleanup = interrupt::register(vec![staging.clone(), sibling(out, OLD_SUFFIX)]);
    let gate = interrupt::hold();
    fs::create_dir_all(&staging).map_err(|e| ctx("cannot create", &staging, e))?;
    let staged = Staged {
        out: out.to_path_buf(),
        dir: staging,
        done: false,
        seen: Mutex::new(HashSet::new()),
        _cleanup: cleanup,
        _lock: lock,
    };
    drop(gate);
    Ok(staged)
}

impl Staged {
    /// Claim `rel` for one file of the build: refused when it breaks the
    /// writer's rule or another file of the build has the same name (on a
    /// share that ignores case, `A.html` and `a.html` are the same file).
    pub fn claim(&self, rel: &str) -> Result<PathBuf, String> {
        let path = paths::safe_relative(rel)?;
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if !seen.insert(rel.to_lowercase()) {
            return Err(format!(
                "refusing to write `{rel}` twice: two parts of the site would be saved to the same file"
            ));
        }
        Ok(path)
    }

    /// Write one file into the staging folder, as the build produces it
    /// (callable from several threads at once).
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), String> {
        self.claim(rel)?;
        let _gate = interrupt::hold();
        paths::write_inside(&self.dir, rel, bytes).map(drop)
    }

    /// Mark the staging folder as boardpack's, once every file is in.
    pub fn finish(&self) -> Result<(), String> {
        let marker = self.dir.join(MARKER);
        let _gate = interrupt::hold();
        fs::write(
            &marker,
            b"This folder is written by boardpack build; it is replaced on every build.\n",
        )
        .map_err(|e| ctx("cannot write", &marker, e))
    }

    /// The staging folder (to add files such as PDFs before committing).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The output folder the staging folder will replace.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Swap the staging folder into place (in one step where the platform
    /// allows, see [`swap`]); the previous output is removed.
    pub fn commit(self) -> Result<(), String> {
        self.commit_with(swap::Method::Best, &mut |_| ControlFlow::Continue(()))
    }

    /// [`Staged::commit`] with a chosen method and a hook called after each step.
    pub fn commit_with(
        mut self,
        method: swap::Method,
        hook: &mut dyn FnMut(swap::Step) -> ControlFlow<()>,
    ) -> Result<(), String> {
        let result = swap::publish(&self.dir, &self.out, method, hook);
        // Once published, the staging name holds the old tree or nothing: safe to remove.
        self.done = result.is_ok();
        result
    }
}

/// Environment variable for tests only: when set, a build stops after writing
/// its staging folder (lock held), says `test pause: staged …` on stderr and
/// waits until its standard input closes. The tests use it to interrupt a
/// build, or start a second one, at a known moment; it is not for users.
pub const TEST_PAUSE_ENV: &str = "BOARDPACK_TEST_PAUSE_AFTER_STAGE";

/// The pause described at [`TEST_PAUSE_ENV`]; does nothing unless it is set.
pub fn test_pause_after_stage(dir: &Path) {
    if std::env::var_os(TEST_PAUSE_ENV).is_some() {
        eprintln!(
            "test pause: staged {}; waiting for standard input to close",
            dir.display()
        );
        // Read until standard input closes. A signal may interrupt a read: read
        // again (the signal's own handler ends the process), never go on building.
        let mut stdin = io::stdin().lock();
        let mut buf = [0u8; 256];
        loop {
            match io::Read::read(&mut stdin, &mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        // After an interrupt the handler is removing the stage and will exit.
        while interrupt::requested() {
            std::thread::park();
        }
    }
}

/// What builds leave to finish after they return: removing each previous
/// output, while the build's lock on its output is still held, so the next
/// build of that output waits for it. [`Finishing::wait`] (or dropping it)
/// waits for all of it; a process must wait before it exits.
#[derive(Default)]
pub struct Finishing(Mutex<Vec<std::thread::JoinHandle<()>>>);

impl std::fmt::Debug for Finishing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Finishing")
    }
}

impl Finishing {
    /// Run `work` on a thread of its own, to be waited for.
    pub fn spawn(&self, work: impl FnOnce() + Send + 'static) {
        let handle = std::thread::spawn(work);
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(handle);
    }

    /// Wait until everything left to finish is done.
    pub fn wait(&self) {
        let handles = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        for h in handles {
            let _ = h.join();
        }
    }
}

impl Drop for Finishing {
    fn drop(&mut self) {
        self.wait();
    }
}

impl Staged {
    /// [`Staged::commit`], leaving the removal of the previous output to
    /// `finishing`: the new output is in place when this returns, and the
    /// lock is let go once the old one is gone.
    pub fn commit_later(mut self, finishing: &Finishing) -> Result<(), String> {
        let old = swap::place(&self.dir, &self.out, swap::Method::Best, &mut |_| {
            ControlFlow::Continue(())
        })?;
        // Published: the staging name holds the old tree or nothing.
        self.done = true;
        if let Some(old) = old {
            finishing.spawn(move || {
                let _ = swap::remove_tree(&old);
                // The lock and the interrupt registration go only now.
                drop(self);
            });
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn swaps_and_refuses_foreign_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        write_output(
            &out,
            &[file("index.html", "one"), file("a/b.html", "b")],
            false,
        )
        .unwrap();
        assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), "b");
        write_output(&out, &[file("index.html", "two")], false).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("a/b.html").exists(), "stale files are removed");

        let foreign = tmp.path().join("docs");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("keep.txt"), "mine").unwrap();
        let err = write_output(&foreign, &[file("index.html", "x")], false).unwrap_err();
        assert!(err.contains("--force"), "{err}");
        assert_eq!(
            fs::read_to_string(foreign.join("keep.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_locked_output_is_refused_and_its_staging_folder_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        write_output(&out, &[file("index.html", "one")], false).unwrap();
        let first = stage(&out, &[file("index.html", "two")], false).unwrap();
        let err = write_output(&out, &[file("index.html", "three")], true).unwrap_err();
        assert!(err.starts_with("another build is writing"), "{err}");
        assert_eq!(
            fs::read_to_string(first.dir().join("index.html")).unwrap(),
            "two",
            "the refused build touched the first one's staging folder"
        );
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "one");
        first.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        for suffix in [STAGING_SUFFIX, OLD_SUFFIX, lock::LOCK_SUFFIX] {
            assert!(!sibling(&out, suffix).exists(), "{suffix} left behind");
        }
    }

    #[test]
    fn fallback_commit_publishes_and_cleans() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        write_output(&out, &[file("index.html", "one")], false).unwrap();
        let staged = stage(&out, &[file("index.html", "two")], false).unwrap();
        let mut steps = Vec::new();
        staged
            .commit_with(swap::Method::TwoRenames, &mut |step| {
                steps.push(step);
                ControlFlow::Continue(())
            })
            .unwrap();
        use swap::Step::*;
        assert_eq!(steps, [MovedAside, MovedIntoPlace, RemovedOld]);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        for suffix in [STAGING_SUFFIX, OLD_SUFFIX, lock::LOCK_SUFFIX] {
            assert!(!sibling(&out, suffix).exists(), "{suffix} left behind");
        }
    }
}
