//! The build cache on disk: each plan as last loaded, each earlier version
//! read from git, and what `git log` listed for the commit checked out, kept between runs in the binary form of
//! [`super::stored`], so a build after a one-plan edit parses one plan.
//!
//! The cache lives in the user's own cache folder (`BOARDPACK_CACHE`, else
//! `$XDG_CACHE_HOME/boardpack`, `~/.cache/boardpack` or
//! `%LOCALAPPDATA%\boardpack`), one folder per site, never in the site or its
//! output: what is read from it skips the loader's checks, so it must not be
//! something a site's repository could bring. `BOARDPACK_CACHE=off` turns it off.
//!
//! An entry is used only when it was written by this very boardpack (its
//! version, and its executable's size and time) from a plan folder with the
//! same digest (every file's name and bytes), and whose bytes still match
//! the checksum written with them; anything else, a damaged file included,
//! means the plan is parsed. Entries are written whole, under a
//! temporary name then renamed, so a reader never sees half of one.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::cache::Loaded;
use super::stored::{self, Store, Stored};
use crate::diagnostics::Diagnostics;
use crate::hash::Fingerprint;
use crate::model::Plan;

/// First bytes of every entry: the format, and a guard against reading
/// some other file.
const MAGIC: &[u8] = b"boardpack cache 1\n";

/// Where the cache is kept, from the environment; `None` when turned off or
/// there is no user cache folder.
pub fn default_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(v) = std::env::var_os("BOARDPACK_CACHE") {
        return (!v.is_empty() && v != "off").then(|| PathBuf::from(v));
    }
    let base = var("XDG_CACHE_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| var("HOME").map(|h| h.join(".cache")))
        .or_else(|| var("LOCALAPPDATA"))?;
    Some(base.join("boardpack"))
}

/// The file in a site's cache folder naming the site.
const SITE_NOTE: &str = "site.txt";

/// A site not built for this long has its cache removed (a copy of a site
/// built once in a temporary folder would otherwise stay for ever).
const FORGET_AFTER: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// Remove the cache folders of sites not built for [`FORGET_AFTER`].
fn forget_old_sites(sites: &Path) {
    let Ok(entries) = fs::read_dir(sites) else {
        return;
    };
    for e in entries.flatten() {
        // Only a folder this cache made (its name a 32-digit hex key): a
        // cache folder set by hand to somewhere holding other files loses nothing else.
        let name = e.file_name();
        let ours = name.len() == 32
            && name
                .to_str()
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_hexdigit()));
        if !ours {
            continue;
        }
        let age = fs::metadata(e.path().join(SITE_NOTE))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        if age.is_some_and(|a| a > FORGET_AFTER) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// The cache of one site.
pub struct DiskCache {
    /// This site's folder in the cache.
    dir: PathBuf,
    /// The running boardpack: entries written by another are not used.
    identity: String,
    /// Entries read or written by this build, by file name.
    used: Mutex<HashSet<String>>,
    /// Read, never written or pruned (`check` writes nothing).
    read_only: bool,
}

impl std::fmt::Debug for DiskCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DiskCache({})", self.dir.display())
    }
}

/// What an entry holds.
enum Kind {
    Plan,
    Version,
    GitLog,
}

impl DiskCache {
    /// The cache, under `base`, of the site at `root`; `None` when its folder
    /// cannot be made.
    pub fn open(base: &Path, root: &Path) -> Option<DiskCache> {
        Self::open_with(base, root, false)
    }

    /// The cache of the site at `root` to read only (for `check`): `None`
    /// when there is none yet; nothing is ever written or removed through it.
    pub fn open_to_read(base: &Path, root: &Path) -> Option<DiskCache> {
        Self::open_with(base, root, true)
    }

    fn open_with(base: &Path, root: &Path, read_only: bool) -> Option<DiskCache> {
        let root = root.canonicalize().ok()?;
        let key = Fingerprint::new()
            .field(root.to_string_lossy().as_bytes())
            .hex();
        let sites = base.join("sites");
        let dir = sites.join(&key[..32.min(key.len())]);
        if read_only {
            return dir.is_dir().then(|| DiskCache {
                dir,
                identity: crate::hash::tool_identity(),
                used: Mutex::default(),
                read_only,
            });
        }
        fs::create_dir_all(&dir).ok()?;
        // Says whose cache this is, for anyone looking in the folder; written
        // on every build, so its time says when the site was last built.
        let _ = fs::write(dir.join(SITE_NOTE), format!("{}\n", root.display()));
        forget_old_sites(&sites);
        Some(DiskCache {
            dir,
            identity: crate::hash::tool_identity(),
            used: Mutex::default(),
            read_only,
        })
    }

    fn name(kind: &Kind, key: &str) -> String {
        let digest = Fingerprint::new().field(key.as_bytes()).hex();
        let prefix = match kind {
            Kind::Plan => "plan",
            Kind::Version => "version",
            Kind::GitLog => "log",
        };
        format!("{prefix}-{}.bin", &digest[..32.min(digest.len())])
    }

    /// The entry for `key`, when written by this boardpack from inputs with `digest`.
    fn read<T: Store>(&self, kind: Kind, key: &str, digest: &str) -> Option<T> {
        let name = Self::name(&kind, key);
        let bytes = fs::read(self.dir.join(&name)).ok()?;
        self.mark(name);
        let rest = bytes.strip_prefix(MAGIC)?;
        let mut r = stored::Reader::new(rest);
        let ((identity, (for_key, for_digest)), sum) =
            <((String, (String, String)), String)>::get(&mut r).ok()?;
        let body = &rest[rest.len() - r.remaining()..];
        // Another boardpack, other files, or damage since it was written: not used.
        let current = identity == self.identity && for_key == key && for_digest == digest;
        if !current || sum != Fingerprint::new().field(body).hex() {
            return None;
        }
        stored::from_bytes(body).ok()
    }

    /// Write the entry for `key` (inputs with `digest`): `body` is the
    /// stored value's bytes.
    fn write(&self, kind: Kind, key: &str, digest: &str, body: &[u8]) {
        if self.read_only {
            return;
        }
        let name = Self::name(&kind, key);
        let head = (self.identity.clone(), (key.to_string(), digest.to_string()));
        let mut w = stored::Writer::default();
        w.bytes.extend_from_slice(MAGIC);
        (head, Fingerprint::new().field(body).hex()).put(&mut w);
        w.bytes.extend_from_slice(body);
        let tmp = self.dir.join(format!(
            "{name}.{}.{:?}.tmp",
            std::process::id(),
            std::thread::current().id()
        ));
        if fs::write(&tmp, &w.bytes).is_ok() && fs::rename(&tmp, self.dir.join(&name)).is_err() {
            let _ = fs::remove_file(&tmp);
        }
        self.mark(name);
    }

    /// Note that this build still uses the entry of the plan in `file`, held
    /// in memory, so pruning keeps it.
    pub(crate) fn plan_still_used(&self, file: &Path) {
        self.mark(Self::name(&Kind::Plan, &file.to_string_lossy()));
    }

    /// As [`DiskCache::plan_still_used`], for the earlier version `key`.
    pub(crate) fn version_still_used(&self, key: &str) {
        self.mark(Self::name(&Kind::Version, key));
    }

    fn mark(&self, name: String) {
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name);
    }

    /// The plan in `file` as loaded before from a folder whose digest was `digest`.
    pub(crate) fn plan(&self, file: &Path, digest: &str) -> Option<Loaded> {
        let s: Stored = self.read(Kind::Plan, &file.to_string_lossy(), digest)?;
        // Only a plan that loaded from this very file is taken.
        if s.plan.file != file {
            return None;
        }
        let mut diags = Diagnostics::new();
        for (path, text) in &s.sources {
            diags.add_source(path, text);
        }
        for d in s.items {
            diags.push_kept(d);
        }
        Some((Some(s.plan), diags, s.aside))
    }

    /// Keep how the plan in `file` loaded (folder digest `digest`). The
    /// caller has checked it can be reused (no errors, nothing read from
    /// outside its folder); a plan that cannot be stored exactly is not kept.
    pub(crate) fn keep_plan(&self, file: &Path, digest: &str, loaded: &Loaded) {
        let (Some(plan), diags, aside) = loaded else {
            return;
        };
        let (items, sources, sheets) = diags.parts();
        if sheets || !stored::storable(plan, sources) {
            return;
        }
        let mut w = stored::Writer::default();
        Stored::put_parts(&mut w, plan, items, sources, aside);
        self.write(Kind::Plan, &file.to_string_lossy(), digest, &w.bytes);
    }

    /// An earlier version read from files whose digest is `digest` (the key
    /// names the file too), when kept before: `Some(None)` when it could not be loaded then.
    pub(crate) fn version(&self, key: &str) -> Option<Option<Plan>> {
        self.read(Kind::Version, key, "")
    }

    /// Keep an earlier version (see [`DiskCache::version`]).
    pub(crate) fn keep_version(&self, key: &str, plan: &Option<Plan>) {
        if plan.as_ref().is_some_and(|p| !stored::plan_storable(p)) {
            return;
        }
        self.write(Kind::Version, key, "", &stored::to_bytes(plan));
    }

    /// What `git log` listed for `key` (the question, of which commit, in
    /// what repository state), when kept before.
    pub(crate) fn git_log<T: Store>(&self, key: &str) -> Option<T> {
        self.read(Kind::GitLog, key, "")
    }

    /// Keep what `git log` listed (see [`DiskCache::git_log`]).
    pub(crate) fn keep_git_log<T: Store>(&self, key: &str, value: &T) {
        self.write(Kind::GitLog, key, "", &stored::to_bytes(value));
    }

    /// Remove the entries this build did not use (plans removed since, and
    /// versions no longer read), and start counting afresh for the next. `versions` says whether this build read the
    /// earlier versions at all (a build stopped by errors did not, and keeps them).
    pub(crate) fn prune(&self, versions: bool) {
        if self.read_only {
            return;
        }
        // What this build used; the next build (serve) starts afresh.
        let used = std::mem::take(&mut *self.used.lock().unwrap_or_else(|e| e.into_inner()));
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let history = name.starts_with("version-") || name.starts_with("log-");
            let stale =
                (name.starts_with("plan-") || (versions && history)) && !used.contains(&name);
            // A temporary file left by a build that was stopped.
            let left = name.ends_with(".tmp")
                && e.metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age.as_secs() > 3600);
            if stale || left {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::source::Source;
    use crate::model::LoadedPlan;

    /// Every plan file in the repository's sites (the example and the test
    /// fixtures), with the root of the site holding it.
    fn fixture_plans() -> Vec<(PathBuf, PathBuf)> {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut found = Vec::new();
        for top in ["content", "tests"] {
            for e in walkdir::WalkDir::new(repo.join(top))
                .sort_by_file_name()
                .into_iter()
                .flatten()
                .filter(|e| e.file_name() == "plan.yaml")
            {
                let path = e.path();
                // The site root is the folder above the nearest `content`.
                let Some(content) = path.ancestors().find(|a| a.ends_with("content")) else {
                    continue;
                };
                let root = content.parent().unwrap().to_path_buf();
                let rel = path.strip_prefix(&root).unwrap().to_path_buf();
                found.push((root, rel));
            }
        }
        found
    }

    #[test]
    fn every_fixture_plan_reads_back_exactly_as_it_was_loaded() {
        let mut checked = 0;
        for (root, rel) in fixture_plans() {
            let mut diags = Diagnostics::new();
            let Some(lp) = crate::load::load_plan(&Source::Dir(&root), &rel, &mut diags) else {
                continue;
            };
            let (items, sources, _) = diags.parts();
            assert!(
                stored::storable(&lp, sources),
                "{} cannot be stored",
                rel.display()
            );
            let back: LoadedPlan = stored::from_bytes(&stored::to_bytes(&lp)).unwrap();
            // Every field, to the last bit of every number: Debug prints them all.
            assert_eq!(format!("{lp:?}"), format!("{back:?}"), "{}", rel.display());
            let kept: Vec<crate::diagnostics::Diagnostic> =
                stored::from_bytes(&stored::to_bytes(&items.to_vec())).unwrap();
            assert_eq!(kept, items, "{}", rel.display());
            checked += 1;
        }
        // The example's three plans and the 157 fixtures that load.
        assert!(checked > 150, "only {checked} plans loaded");
    }

    #[test]
    fn an_entry_is_used_only_by_the_same_boardpack_for_the_same_files() {
        let tmp = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let rel = Path::new("content/plans/laa-ni63/plan.yaml");
        let mut diags = Diagnostics::new();
        let lp = crate::load::load_plan(&Source::Dir(root), rel, &mut diags).unwrap();
        let loaded: Loaded = (Some(lp), diags, Vec::new());
        let cache = DiskCache::open(tmp.path(), root).unwrap();
        cache.keep_plan(rel, "digest-1", &loaded);
        let back = cache.plan(rel, "digest-1").expect("kept");
        assert_eq!(format!("{:?}", back.0), format!("{:?}", loaded.0));
        assert_eq!(back.1.render(), loaded.1.render(), "same diagnostics");
        // The folder changed: another digest.
        assert!(cache.plan(rel, "digest-2").is_none());
        // Another file asks: not this entry.
        assert!(
            cache
                .plan(Path::new("content/plans/x/plan.yaml"), "digest-1")
                .is_none()
        );
        // Another boardpack (rebuilt, or another version) wrote it.
        let other = DiskCache {
            identity: "boardpack 0.0.0 elsewhere".into(),
            ..DiskCache::open(tmp.path(), root).unwrap()
        };
        assert!(other.plan(rel, "digest-1").is_none());
        // A damaged entry is not used.
        let entry = cache
            .dir
            .join(DiskCache::name(&Kind::Plan, &rel.to_string_lossy()));
        let bytes = fs::read(&entry).unwrap();
        fs::write(&entry, &bytes[..bytes.len() - 5]).unwrap();
        assert!(cache.plan(rel, "digest-1").is_none());
    }

    #[test]
    fn entries_a_build_did_not_use_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let rel = Path::new("content/plans/laa-ni63/plan.yaml");
        let gone = Path::new("content/plans/gone/plan.yaml");
        let mut diags = Diagnostics::new();
        let lp = crate::load::load_plan(&Source::Dir(root), rel, &mut diags).unwrap();
        let loaded: Loaded = (Some(lp), diags, Vec::new());
        let first = DiskCache::open(tmp.path(), root).unwrap();
        first.keep_plan(rel, "d", &loaded);
        first.keep_plan(gone, "d", &loaded);
        first.keep_version("v1", &None);
        let files = |c: &DiskCache| {
            let mut v: Vec<String> = fs::read_dir(&c.dir)
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(files(&first).len(), 4, "three entries and the site's note");
        // The next build reads one plan and stops before the versions.
        let next = DiskCache::open(tmp.path(), root).unwrap();
        assert!(next.plan(rel, "d").is_some());
        next.prune(false);
        let left = files(&next);
        assert!(left.contains(&DiskCache::name(&Kind::Plan, &rel.to_string_lossy())));
        assert!(!left.contains(&DiskCache::name(&Kind::Plan, &gone.to_string_lossy())));
        assert!(
            left.contains(&DiskCache::name(&Kind::Version, "v1")),
            "{left:?}"
        );
        // One that reads versions, not this one: it goes.
        let third = DiskCache::open(tmp.path(), root).unwrap();
        assert!(third.plan(rel, "d").is_some());
        third.prune(true);
        assert!(!files(&third).contains(&DiskCache::name(&Kind::Version, "v1")));
    }

    #[test]
    fn only_its_own_site_folders_not_built_for_a_month_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let sites = tmp.path().join("sites");
        let old = std::time::SystemTime::now() - FORGET_AFTER - std::time::Duration::from_secs(60);
        let make = |name: &str, when: std::time::SystemTime| {
            let dir = sites.join(name);
            fs::create_dir_all(&dir).unwrap();
            let note = fs::File::create(dir.join(SITE_NOTE)).unwrap();
            note.set_modified(when).unwrap();
            dir
        };
        let stale = make(&"a".repeat(32), old);
        let recent = make(&"b".repeat(32), std::time::SystemTime::now());
        let foreign = make("my-project", old);
        forget_old_sites(&sites);
        assert!(!stale.exists(), "a site not built for a month goes");
        assert!(recent.exists());
        assert!(foreign.exists(), "a folder the cache did not make stays");
    }
}
