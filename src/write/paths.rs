//! Output paths the writer accepts: relative, inside the staging folder,
//! portable to a Windows file share.
//!
//! Ids are checked when the content is loaded ([`crate::model::ident`]), but
//! the writer does not trust them: whatever the content says, a path that is
//! absolute, climbs with `..`, names a drive, holds a backslash, a NUL or
//! another character a Windows share refuses, or passes through a symbolic
//! link, is an error and nothing is written for it.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// Characters no output path may hold: Windows reserves them in file names
/// (`:` also makes a drive prefix or an NTFS stream), and `\` is a folder
/// separator there.
const REFUSED: [char; 8] = ['\\', ':', '*', '?', '"', '<', '>', '|'];

/// Check one output path (relative, with `/`) and turn it into a relative
/// [`PathBuf`] of plain names.
///
/// Refused: an empty path; an absolute path (`/etc/x`); a drive or UNC prefix
/// (`C:\x`, `\\server\x`); a backslash anywhere; `.` or `..` as a part, or an
/// empty part (`a//b`); NUL and other control characters; the characters
/// Windows refuses in file names; a part that ends in a space or `.`, which
/// Windows silently drops.
pub fn safe_relative(path: &str) -> Result<PathBuf, String> {
    let refuse = |why: &str| {
        Err(format!(
            "refusing to write `{}`: {why}; output paths must stay inside the output folder",
            path.escape_debug()
        ))
    };
    if path.is_empty() {
        return refuse("the path is empty");
    }
    if let Some(c) = path.chars().find(|c| c.is_control()) {
        return refuse(&format!(
            "it holds the control character U+{:04X}",
            c as u32
        ));
    }
    if path.starts_with('/') {
        return refuse("it is an absolute path");
    }
    if let Some(c) = path.chars().find(|c| REFUSED.contains(c)) {
        return refuse(&format!(
            "it holds `{c}`, which is a separator, a drive mark or not allowed in file names on Windows"
        ));
    }
    let mut out = PathBuf::new();
    for part in path.split('/') {
        match part {
            "" => return refuse("it has an empty part (`//` or a trailing `/`)"),
            "." | ".." => return refuse(&format!("it has `{part}` as a part")),
            p if p.ends_with(['.', ' ']) => {
                return refuse("a part ends with `.` or a space, which Windows drops");
            }
            p => out.push(p),
        }
    }
    // Belt and braces: what the platform makes of it must be plain names only.
    if !out.components().all(|c| matches!(c, Component::Normal(_))) {
        return refuse("it is not a plain relative path");
    }
    Ok(out)
}

/// Check every path of a build before anything is written: each one must
/// pass [`safe_relative`], and no two may be the same file (on a share
/// that ignores case, `A.html` and `a.html` are).
pub fn check_all<'a>(paths: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for p in paths {
        safe_relative(p)?;
        if !seen.insert(p.to_lowercase()) {
            return Err(format!(
                "refusing to write `{p}` twice: two parts of the site would be saved to the same file"
            ));
        }
    }
    Ok(())
}

/// Write `bytes` to `rel` inside `stage`, a folder the writer created.
///
/// The path is checked with [`safe_relative`]; `stage` and every folder
/// between it and the file must be a real folder (not a symbolic link),
/// created here if missing; and the file must not exist yet, so a link
/// planted at its name is never followed.
pub fn write_inside(stage: &Path, rel: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let rel_path = safe_relative(rel)?;
    if !fs::symlink_metadata(stage).is_ok_and(|m| m.is_dir()) {
        return Err(format!(
            "refusing to write into {}: it is not a real folder (a symbolic link, or missing)",
            stage.display()
        ));
    }
    let mut dir = stage.to_path_buf();
    let parts: Vec<_> = rel_path.components().collect();
    let (file, folders) = parts
        .split_last()
        .ok_or_else(|| format!("refusing to write `{rel}`: no file name"))?;
    for part in folders {
        dir.push(part);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(format!(
                    "refusing to write {}: {} is a symbolic link",
                    stage.join(&rel_path).display(),
                    dir.display()
                ));
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(format!(
                    "cannot write {}: {} is a file, not a folder",
                    stage.join(&rel_path).display(),
                    dir.display()
                ));
            }
            Err(_) => match fs::create_dir(&dir) {
                Ok(()) => {}
                // Another file of the build made it meanwhile (files are written in parallel).
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let m = fs::symlink_metadata(&dir)
                        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                    if !m.is_dir() {
                        return Err(format!("cannot create {}: not a folder", dir.display()));
                    }
                }
                Err(e) => return Err(format!("cannot create {}: {e}", dir.display())),
            },
        }
    }
    let target = dir.join(file);
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    f.write_all(bytes)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths a hostile id or file name could produce.
    const HOSTILE: [&str; 22] = [
        "",
        "../x",
        "/etc/x",
        "a/../../x",
        "C:\\x",
        "C:x",
        "a\\..\\..\\x",
        "\\\\server\\share\\x",
        "..",
        ".",
        "./x",
        "a/./x",
        "a//x",
        "a/",
        "x\0y",
        "indicators/\" onload=\"alert(1).html",
        "indicators/<x>.html",
        "a\nb",
        "x.html:stream",
        "a /x",
        "a./x",
        "indicators/../../../x.html",
    ];

    #[test]
    fn hostile_paths_are_refused() {
        for p in HOSTILE {
            let e = safe_relative(p).expect_err(p);
            assert!(e.starts_with("refusing to write"), "{p:?}: {e}");
        }
    }

    #[test]
    fn ordinary_paths_are_kept() {
        for p in [
            "index.html",
            "plans/lac-action-plan-2015.html",
            "packs/2008-09-q2/index.html",
            "static/style.css",
            ".boardpack-output",
            "static/logo (1).png",
        ] {
            let rel = safe_relative(p).unwrap();
            assert_eq!(rel, Path::new(p));
        }
    }

    #[test]
    fn duplicates_are_refused_even_by_case() {
        assert!(check_all(["a.html", "b.html"]).is_ok());
        assert!(
            check_all(["a.html", "a.html"])
                .unwrap_err()
                .contains("twice")
        );
        assert!(
            check_all(["A.html", "a.html"])
                .unwrap_err()
                .contains("twice")
        );
        assert!(check_all(["a.html", "../x"]).is_err());
    }

    #[test]
    fn write_inside_writes_nothing_outside() {
        let tmp = tempfile::tempdir().unwrap();
        let stage = tmp.path().join("deep/stage");
        fs::create_dir_all(&stage).unwrap();
        for p in HOSTILE {
            assert!(write_inside(&stage, p, b"x").is_err(), "{p:?} was written");
        }
        let all: Vec<_> = walkdir::WalkDir::new(tmp.path())
            .into_iter()
            .map(|e| e.unwrap().path().to_path_buf())
            .collect();
        assert_eq!(all.len(), 3, "only the folders exist: {all:?}");
        write_inside(&stage, "a/b/c.html", b"ok").unwrap();
        assert_eq!(fs::read(stage.join("a/b/c.html")).unwrap(), b"ok");
        // An existing file is never written over (so a link at its name is never followed).
        assert!(write_inside(&stage, "a/b/c.html", b"again").is_err());
    }

    #[test]
    fn the_writer_refuses_hostile_paths_and_writes_nothing() {
        let file = |p: &str| crate::write::OutputFile {
            path: p.into(),
            bytes: b"x".to_vec(),
        };
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("a/b/out");
        fs::create_dir_all(out.parent().unwrap()).unwrap();
        let listing = || -> Vec<PathBuf> {
            let mut v: Vec<PathBuf> = walkdir::WalkDir::new(tmp.path())
                .into_iter()
                .map(|e| e.unwrap().path().to_path_buf())
                .collect();
            v.sort();
            v
        };
        let before = listing();
        for p in HOSTILE {
            let files = [file("index.html"), file(p)];
            let e = crate::write::write_output(&out, &files, false).unwrap_err();
            assert!(e.starts_with("refusing to write"), "{p:?}: {e}");
            assert_eq!(listing(), before, "{p:?} left something behind");
        }
        // With a previous output in place, it is left exactly as it was.
        crate::write::write_output(&out, &[file("index.html")], false).unwrap();
        let built = listing();
        for p in HOSTILE {
            assert!(crate::write::write_output(&out, &[file(p)], true).is_err());
            assert_eq!(listing(), built, "{p:?} changed the output");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_in_the_stage_are_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let stage = tmp.path().join("stage");
        let outside = tmp.path().join("outside");
        fs::create_dir_all(&stage).unwrap();
        fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, stage.join("plans")).unwrap();
        let e = write_inside(&stage, "plans/x.html", b"x").unwrap_err();
        assert!(e.contains("symbolic link"), "{e}");
        std::os::unix::fs::symlink(outside.join("f"), stage.join("index.html")).unwrap();
        assert!(write_inside(&stage, "index.html", b"x").is_err());
        let linked_stage = tmp.path().join("linked");
        std::os::unix::fs::symlink(&outside, &linked_stage).unwrap();
        let e = write_inside(&linked_stage, "x.html", b"x").unwrap_err();
        assert!(e.contains("not a real folder"), "{e}");
        assert_eq!(
            fs::read_dir(&outside).unwrap().count(),
            0,
            "nothing outside"
        );
    }
}
