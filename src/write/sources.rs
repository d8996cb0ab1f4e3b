//! Sources are sacred: the output folder may never be, contain or lie inside
//! the folders and files a site is built from.
//!
//! A build replaces its output folder whole, so an `--out` that pointed at the
//! site itself, at `content/`, or at a folder above them would delete the
//! sources. Paths are compared as the operating system would resolve them:
//! symbolic links followed and `..` applied, even for an output folder that
//! does not exist yet.

use std::io;
use std::path::{Component, Path, PathBuf};

/// The folders under a site's root that a build reads (the root itself aside).
pub const SOURCE_DIRS: [&str; 4] = ["content", "templates", "static", "themes"];

/// Resolve `path` as the operating system would, even when it does not exist
/// yet: its nearest existing ancestor is canonicalised (links followed) and
/// the rest appended with `.` dropped and `..` applied.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut rest: Vec<Component> = Vec::new();
    let mut base = absolute.as_path();
    let real = loop {
        match base.canonicalize() {
            Ok(real) => break real,
            Err(e) => {
                let (Some(parent), Some(last)) = (base.parent(), base.components().next_back())
                else {
                    return Err(e);
                };
                rest.push(last);
                base = parent;
            }
        }
    };
    let mut out = real;
    for c in rest.into_iter().rev() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => out.push(name),
            _ => {}
        }
    }
    Ok(out)
}

fn cannot_resolve(p: &Path, e: io::Error) -> String {
    format!("cannot resolve {}: {e}", p.display())
}

/// Refuse an output folder that is, contains or lies inside the site's
/// sources (the root, `content/`, `templates/`, `static/`, `themes/`),
/// whatever `--force` says. Returns the resolved output folder, which every
/// later step uses.
pub fn check_out(root: &Path, out: &Path) -> Result<PathBuf, String> {
    let real_out = resolve(out).map_err(|e| cannot_resolve(out, e))?;
    let real_root = resolve(root).map_err(|e| cannot_resolve(root, e))?;
    let refuse = |how: &str, what: &str, src: &Path| {
        let shown = match real_out.as_path() == out {
            true => out.display().to_string(),
            false => format!("{} (that is, {})", out.display(), real_out.display()),
        };
        format!(
            "refusing to build into {shown}: it {how} {what} {}; a build replaces its output \
             folder whole, so the site's sources are never used as output, even with --force. \
             Choose an --out outside them, such as {}",
            src.display(),
            root.join("output").display(),
        )
    };
    if real_out == real_root {
        return Err(refuse("is", "the site folder", &real_root));
    }
    if real_root.starts_with(&real_out) {
        return Err(refuse("contains", "the site folder", &real_root));
    }
    for dir in SOURCE_DIRS {
        let src = root.join(dir);
        let real_src = resolve(&src).map_err(|e| cannot_resolve(&src, e))?;
        let what = format!("the site's {dir}/ folder");
        if real_out == real_src {
            return Err(refuse("is", &what, &real_src));
        }
        if real_src.starts_with(&real_out) {
            return Err(refuse("contains", &what, &real_src));
        }
        if real_out.starts_with(&real_src) {
            return Err(refuse("lies inside", &what, &real_src));
        }
    }
    Ok(real_out)
}

/// Refuse a resolved output folder `real_out` that holds any of `files`
/// (paths relative to `root` that the build read), such as a CSV file a plan
/// reaches with `../`.
pub fn check_reads<'a>(
    root: &Path,
    real_out: &Path,
    files: impl IntoIterator<Item = &'a Path>,
) -> Result<(), String> {
    let absolute = match root.is_absolute() {
        true => root.to_path_buf(),
        false => std::env::current_dir()
            .map_err(|e| cannot_resolve(root, e))?
            .join(root),
    };
    let mut folders = Folders::default();
    for file in files {
        let full = absolute.join(file);
        let real = folders
            .real_path(&full)
            .map_err(|e| cannot_resolve(&full, e))?;
        if real.starts_with(real_out) {
            return Err(format!(
                "refusing to build into {}: it holds {}, which the site reads; a build replaces \
                 its output folder whole, so sources are never used as output, even with --force. \
                 Choose another --out",
                real_out.display(),
                full.display()
            ));
        }
    }
    Ok(())
}

/// The real paths of the folders resolved so far, so that the thousands of
/// files a large site reads, a few to a folder, resolve each folder once
/// rather than every component of every file's path.
#[derive(Default)]
struct Folders(std::collections::HashMap<PathBuf, PathBuf>);

impl Folders {
    /// What [`resolve`] gives for an existing absolute `path`: a path with
    /// no `.`, `..` or link in it is its folder's real path and its name;
    /// anything else is resolved whole.
    fn real_path(&mut self, path: &Path) -> io::Result<PathBuf> {
        let plain = path.is_absolute()
            && path.components().all(|c| {
                matches!(
                    c,
                    Component::Prefix(_) | Component::RootDir | Component::Normal(_)
                )
            });
        let (Some(parent), Some(name), true) = (path.parent(), path.file_name(), plain) else {
            return resolve(path);
        };
        if !std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_symlink()) {
            return resolve(path);
        }
        let real_parent = match self.0.get(parent) {
            Some(real) => real.clone(),
            None => {
                let real = self.real_path(parent)?;
                self.0.insert(parent.to_path_buf(), real.clone());
                real
            }
        };
        Ok(real_parent.join(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("site/content/plans")).unwrap();
        tmp
    }

    #[test]
    fn resolve_applies_dotdot_after_the_existing_part() {
        let tmp = site();
        let root = tmp.path().join("site");
        let real = root.canonicalize().unwrap();
        assert_eq!(
            resolve(&root.join("nope/../content/x")).unwrap(),
            real.join("content/x")
        );
        assert_eq!(
            resolve(&root.join("content/plans/../../..")).unwrap(),
            tmp.path().canonicalize().unwrap()
        );
    }

    #[test]
    fn refuses_sources_and_allows_the_default_output() {
        let tmp = site();
        let root = tmp.path().join("site");
        for bad in [
            root.clone(),
            root.join("content"),
            root.join("content/plans"),
            root.join("content/new/deeper"),
            root.join("themes"),
            root.join("static/x"),
            root.join("templates"),
            tmp.path().to_path_buf(),
            root.join("output/../content"),
            root.join("."),
        ] {
            let err = check_out(&root, &bad).unwrap_err();
            assert!(err.contains("refusing to build into"), "{err}");
            assert!(err.contains(&bad.display().to_string()), "{err}");
        }
        let ok = check_out(&root, &root.join("output")).unwrap();
        assert_eq!(ok, root.canonicalize().unwrap().join("output"));
        assert!(check_out(&root, &tmp.path().join("elsewhere")).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_sources_reached_through_links() {
        let tmp = site();
        let root = tmp.path().join("site");
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(root.join("content"), &link).unwrap();
        assert!(check_out(&root, &link).is_err());
        assert!(check_out(&root, &link.join("sub")).is_err());
        // content/ itself a link to a folder that --out would contain.
        let data = tmp.path().join("data");
        fs::create_dir_all(data.join("content")).unwrap();
        let root2 = tmp.path().join("site2");
        fs::create_dir(&root2).unwrap();
        std::os::unix::fs::symlink(data.join("content"), root2.join("content")).unwrap();
        assert!(check_out(&root2, &data).is_err());
    }

    #[test]
    fn refuses_an_output_holding_a_file_the_site_reads() {
        let tmp = site();
        let root = tmp.path().join("site");
        fs::create_dir_all(root.join("data")).unwrap();
        fs::write(root.join("data/x.csv"), "a\n1\n").unwrap();
        let out = check_out(&root, &root.join("data")).unwrap();
        let err = check_reads(&root, &out, [Path::new("data/x.csv")]).unwrap_err();
        assert!(err.contains("data/x.csv"), "{err}");
        let out = check_out(&root, &root.join("output")).unwrap();
        assert!(check_reads(&root, &out, [Path::new("data/x.csv")]).is_ok());
    }

    #[test]
    #[cfg(unix)]
    fn a_link_anywhere_on_a_read_file_s_path_is_followed() {
        let tmp = site();
        let root = tmp.path().join("site");
        let out = root.join("output");
        fs::create_dir_all(out.join("deep")).unwrap();
        fs::write(out.join("deep/x.csv"), "a\n1\n").unwrap();
        fs::create_dir_all(root.join("content/plans/a")).unwrap();
        fs::write(root.join("content/plans/a/plan.yaml"), "id: a\n").unwrap();
        // A linked file, and a file in a linked folder, both inside the output.
        std::os::unix::fs::symlink(out.join("deep/x.csv"), root.join("content/plans/a/x.csv"))
            .unwrap();
        std::os::unix::fs::symlink(out.join("deep"), root.join("content/plans/b")).unwrap();
        let real_out = check_out(&root, &out).unwrap();
        for read in ["content/plans/a/x.csv", "content/plans/b/x.csv"] {
            let files = [Path::new("content/plans/a/plan.yaml"), Path::new(read)];
            let err = check_reads(&root, &real_out, files).unwrap_err();
            assert!(err.contains(read), "{read}: {err}");
        }
        // Each file resolves as `resolve` resolves it, relative roots and `..` too.
        let mut folders = Folders::default();
        for read in [
            "content/plans/a/plan.yaml",
            "content/plans/b/x.csv",
            "content/plans/a/../b/x.csv",
        ] {
            let full = root.join(read);
            assert_eq!(
                folders.real_path(&full).unwrap(),
                resolve(&full).unwrap(),
                "{read}"
            );
        }
    }
}
