//! Publishing a finished staging folder in place of the old output.
//!
//! On Linux the staging folder and the output folder are exchanged in one
//! step with `renameat2(RENAME_EXCHANGE)`, so at every instant the output
//! path names a complete folder, the old one or the new one; the old tree,
//! now under the staging name, is then removed. Where that call is not
//! available (other systems; Linux file systems or kernels that answer
//! `EINVAL`, `ENOSYS` or `EOPNOTSUPP`, such as some network shares) the
//! fallback is two renames: the old output is moved aside to
//! `.<name>.boardpack-old`, the new one moved into place, the old removed.
//! Between those two renames the output path is briefly missing; a build
//! killed exactly there leaves the old output under the `-old` name and the
//! next build puts it back before doing anything else ([`recover`]).
//! Removing the old tree is not part of the promise: if it fails the new
//! output is already published and the next build removes the leftover.

use std::fs;
use std::io;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use super::{OLD_SUFFIX, STAGING_SUFFIX, interrupt, sibling};

/// How to replace the old output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Exchange in one step where the platform allows, else two renames.
    Best,
    /// Two renames (the fallback), whatever the platform allows.
    TwoRenames,
}

/// A step of publishing, reported to the hook after it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// There was no old output; the new one was renamed into place.
    Placed,
    /// The new and old output were exchanged in one step.
    Exchanged,
    /// Fallback: the old output was renamed aside.
    MovedAside,
    /// Fallback: the new output was renamed into place.
    MovedIntoPlace,
    /// The old output was removed.
    RemovedOld,
}

/// Replace `out` with the complete folder `staging`, calling `hook` after each
/// step; a hook answering `Break` stops there as a killed process would (no
/// clean-up), which is how the tests interrupt a publish.
pub fn publish(
    staging: &Path,
    out: &Path,
    method: Method,
    hook: &mut dyn FnMut(Step) -> ControlFlow<()>,
) -> Result<(), String> {
    if let Some(old) = place(staging, out, method, hook)? {
        // The new output is published; an old tree that will not go is left for the next build.
        let _ = remove_tree(&old);
        let _ = hook(Step::RemovedOld);
    }
    Ok(())
}

/// [`publish`] up to the removal of the old output: where the old output
/// now is, for the caller to remove (`None` when there was none, or the
/// hook stopped the publish).
pub fn place(
    staging: &Path,
    out: &Path,
    method: Method,
    hook: &mut dyn FnMut(Step) -> ControlFlow<()>,
) -> Result<Option<PathBuf>, String> {
    let old = sibling(out, OLD_SUFFIX);
    let gate = interrupt::hold();
    if interrupt::requested() {
        return Err("interrupted: the output was left as it was".into());
    }
    if fs::symlink_metadata(out).is_err() {
        fs::rename(staging, out).map_err(|e| move_err(out, e))?;
        let _ = hook(Step::Placed);
        return Ok(None);
    }
    let exchanged = match method {
        Method::Best => exchange(staging, out),
        Method::TwoRenames => Err(unsupported()),
    };
    let leftover = match exchanged {
        Ok(()) => {
            if hook(Step::Exchanged).is_break() {
                return Ok(None);
            }
            staging
        }
        Err(e) if is_unsupported(&e) => {
            fs::rename(out, &old)
                .map_err(|e| format!("cannot move aside {}: {e}", out.display()))?;
            if hook(Step::MovedAside).is_break() {
                return Ok(None);
            }
            if let Err(e) = fs::rename(staging, out) {
                let _ = fs::rename(&old, out);
                return Err(move_err(out, e));
            }
            if hook(Step::MovedIntoPlace).is_break() {
                return Ok(None);
            }
            &old
        }
        Err(e) => return Err(move_err(out, e)),
    };
    drop(gate);
    Ok(Some(leftover.to_path_buf()))
}

fn move_err(out: &Path, e: io::Error) -> String {
    format!(
        "cannot move the new output into place at {}: {e}",
        out.display()
    )
}

fn unsupported() -> io::Error {
    io::Error::from(io::ErrorKind::Unsupported)
}

/// True for the errors that mean "no one-step exchange here": the kernel,
/// file system or platform lacks it, so the two-rename fallback is used.
fn is_unsupported(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::Unsupported {
        return true;
    }
    #[cfg(target_os = "linux")]
    if let Some(code) = e.raw_os_error() {
        return [libc::EINVAL, libc::ENOSYS, libc::EOPNOTSUPP].contains(&code);
    }
    false
}

/// Exchange two paths in one step (Linux `renameat2` with `RENAME_EXCHANGE`).
///
/// Called through `syscall` rather than glibc's wrapper so the binary also runs
/// on systems whose C library predates the wrapper (glibc before 2.28) and on musl.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both strings are valid NUL-terminated paths that outlive the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    match rc {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}

/// No one-step exchange on this platform: the two-rename fallback is used.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(unsupported())
}

/// Undo what a killed build left, under the lock and before anything else:
/// an output moved aside but not replaced is put back, and staging and old
/// folders are removed.
/// Remove the folder `dir` and everything in it, its top-level entries in
/// parallel (an old output can hold tens of thousands of pages). Links are
/// removed, never followed, as by [`fs::remove_dir_all`].
/// Remove the folder `dir` and everything in it.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.par_iter().for_each(|p| {
        let _ = match fs::symlink_metadata(p) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(p),
            _ => fs::remove_file(p),
        };
    });
    fs::remove_dir_all(dir)
}

pub fn recover(out: &Path) -> Result<(), String> {
    let staging = sibling(out, STAGING_SUFFIX);
    let old = sibling(out, OLD_SUFFIX);
    if fs::symlink_metadata(out).is_err() && old.is_dir() {
        fs::rename(&old, out).map_err(|e| {
            format!(
                "cannot put back the previous output {} (an interrupted build left it aside): {e}",
                old.display()
            )
        })?;
    }
    for leftover in [&staging, &old] {
        if fs::symlink_metadata(leftover).is_ok() {
            fs::remove_dir_all(leftover)
                .map_err(|e| format!("cannot remove {}: {e}", leftover.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A complete output folder: a marker and an index naming its version.
    fn tree(dir: &Path, version: &str) {
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::write(dir.join("index.html"), version).unwrap();
        fs::write(dir.join("sub/page.html"), version).unwrap();
        fs::write(dir.join(super::super::MARKER), "").unwrap();
    }

    /// The version of the complete output at `out`; panics if missing or partial.
    fn version(out: &Path) -> String {
        let v = fs::read_to_string(out.join("index.html")).expect("output folder missing");
        assert_eq!(fs::read_to_string(out.join("sub/page.html")).unwrap(), v);
        v
    }

    fn paths(tmp: &Path) -> (PathBuf, PathBuf) {
        let out = tmp.join("output");
        (sibling(&out, STAGING_SUFFIX), out)
    }

    #[test]
    fn output_is_whole_after_every_step() {
        for method in [Method::Best, Method::TwoRenames] {
            let tmp = tempfile::tempdir().unwrap();
            let (staging, out) = paths(tmp.path());
            tree(&out, "old");
            tree(&staging, "new");
            let mut steps = Vec::new();
            publish(&staging, &out, method, &mut |step| {
                match step {
                    // The fallback's middle step: the old output is whole, aside.
                    Step::MovedAside => {
                        assert_eq!(version(&sibling(&out, OLD_SUFFIX)), "old")
                    }
                    _ => assert_eq!(version(&out), "new", "{method:?} after {step:?}"),
                }
                steps.push(step);
                ControlFlow::Continue(())
            })
            .unwrap();
            let expected = match (method, cfg!(target_os = "linux")) {
                (Method::Best, true) => vec![Step::Exchanged, Step::RemovedOld],
                _ => vec![Step::MovedAside, Step::MovedIntoPlace, Step::RemovedOld],
            };
            assert_eq!(steps, expected);
            assert_eq!(version(&out), "new");
            assert!(!staging.exists() && !sibling(&out, OLD_SUFFIX).exists());
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn killed_after_the_exchange_leaves_the_new_output_and_next_start_cleans() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, out) = paths(tmp.path());
        tree(&out, "old");
        tree(&staging, "new");
        publish(
            &staging,
            &out,
            Method::Best,
            &mut |_| ControlFlow::Break(()),
        )
        .unwrap();
        assert_eq!(version(&out), "new");
        assert_eq!(
            version(&staging),
            "old",
            "the old tree waits under the staging name"
        );
        recover(&out).unwrap();
        assert_eq!(version(&out), "new");
        assert!(!staging.exists());
    }

    #[test]
    fn killed_between_the_two_renames_is_put_back_at_next_start() {
        for stop_at in [Step::MovedAside, Step::MovedIntoPlace] {
            let tmp = tempfile::tempdir().unwrap();
            let (staging, out) = paths(tmp.path());
            tree(&out, "old");
            tree(&staging, "new");
            publish(
                &staging,
                &out,
                Method::TwoRenames,
                &mut |step| match step == stop_at {
                    true => ControlFlow::Break(()),
                    false => ControlFlow::Continue(()),
                },
            )
            .unwrap();
            recover(&out).unwrap();
            let expected = if stop_at == Step::MovedAside {
                "old"
            } else {
                "new"
            };
            assert_eq!(version(&out), expected, "killed after {stop_at:?}");
            assert!(!staging.exists() && !sibling(&out, OLD_SUFFIX).exists());
        }
    }

    #[test]
    fn first_publish_places_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, out) = paths(tmp.path());
        tree(&staging, "new");
        let mut steps = Vec::new();
        publish(&staging, &out, Method::Best, &mut |s| {
            steps.push(s);
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(steps, [Step::Placed]);
        assert_eq!(version(&out), "new");
    }

    #[test]
    fn unsupported_exchange_errors_choose_the_fallback() {
        assert!(is_unsupported(&unsupported()));
        #[cfg(target_os = "linux")]
        for code in [libc::EINVAL, libc::ENOSYS, libc::EOPNOTSUPP] {
            assert!(is_unsupported(&io::Error::from_raw_os_error(code)));
        }
        assert!(!is_unsupported(&io::Error::from(
            io::ErrorKind::PermissionDenied
        )));
    }
}
