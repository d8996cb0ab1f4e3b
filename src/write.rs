//! Stage 4: write the rendered files into the output folder atomically.
//!
//! Files are written into a staging folder beside the output and swapped in
//! only when every file was written, so a failed build leaves the previous
//! output exactly as it was. An output folder boardpack did not create is
//! never replaced without `--force`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub mod paths;

/// Marker file that says boardpack owns an output folder.
pub const MARKER: &str = ".boardpack-output";

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
/// Dropping it without [`Staged::commit`] removes the staging folder.
pub struct Staged {
    out: PathBuf,
    dir: PathBuf,
    done: bool,
}

fn ctx(what: &str, p: &Path, e: io::Error) -> String {
    format!("{what} {}: {e}", p.display())
}

/// Write `files` into a staging folder for `out`, checking `out` may be replaced.
pub fn stage(out: &Path, files: &[OutputFile], force: bool) -> Result<Staged, String> {
    // Every path is checked before anything is touched: none may leave the staging folder.
    paths::check_all(files.iter().map(|f| f.path.as_str()))?;
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
    let staging = sibling(out, "boardpack-new");
    for leftover in [&staging, &sibling(out, "boardpack-old")] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(|e| ctx("cannot remove", leftover, e))?;
        }
    }
    fs::create_dir_all(&staging).map_err(|e| ctx("cannot create", &staging, e))?;
    let staged = Staged {
        out: out.to_path_buf(),
        dir: staging.clone(),
        done: false,
    };
    files
        .par_iter()
        .try_for_each(|f| paths::write_inside(&staging, &f.path, &f.bytes).map(drop))?;
    let marker = staging.join(MARKER);
    fs::write(
        &marker,
        b"This folder is written by boardpack build; it is replaced on every build.\n",
    )
    .map_err(|e| ctx("cannot write", &marker, e))?;
    Ok(staged)
}

impl Staged {
    /// The staging folder (to add files such as PDFs before committing).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Swap the staging folder into place; the previous output is removed.
    pub fn commit(mut self) -> Result<(), String> {
        let old = sibling(&self.out, "boardpack-old");
        if self.out.exists() {
            fs::rename(&self.out, &old).map_err(|e| ctx("cannot move aside", &self.out, e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.out) {
            if old.exists() {
                let _ = fs::rename(&old, &self.out);
            }
            return Err(ctx("cannot move into place", &self.out, e));
        }
        self.done = true;
        if old.exists() {
            fs::remove_dir_all(&old).map_err(|e| ctx("cannot remove", &old, e))?;
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
}
