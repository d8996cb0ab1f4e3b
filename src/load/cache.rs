//! Plans as last loaded, kept between builds, so a build after an edit
//! parses again only what changed: in memory between the builds of one
//! long-running process (`serve`), and on disk between runs.
//!
//! A plan is kept with its folder's digest (every file under it, names and
//! bytes) and is reused while that digest holds. Only a plan that read
//! nothing outside its folder and loaded without errors is kept, so the
//! digest covers everything its loading depended on. Earlier versions read
//! from git are kept by a digest of the files they were loaded from.
//!
//! Behind the plans held in memory there can be a [`DiskCache`], which keeps
//! them between runs: a one-off `build` uses that alone (holding nothing in
//! memory), `serve` both.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::disk_cache::DiskCache;
use crate::diagnostics::Diagnostics;
use crate::model::{LoadedPlan, Plan};

/// What loading one plan gave: the plan, its diagnostics (with the text of
/// each file it read) and the ids of parts set aside for their mistakes.
pub(crate) type Loaded = (Option<LoadedPlan>, Diagnostics, Vec<String>);

/// Plans and earlier plan versions kept from one build to the next.
#[derive(Default)]
pub struct LoadCache {
    /// Nothing is held in memory (a one-off build with a cache on disk).
    disk_only: bool,
    /// Where plans and versions are also kept between runs.
    disk: Option<DiskCache>,
    /// Whether this build asked for earlier versions.
    versions_asked: std::sync::atomic::AtomicBool,
    /// The files this build digested, for the inputs' hashes to reuse.
    pub(crate) digests: crate::hash::Digests,
    plans: Mutex<HashMap<PathBuf, Kept>>,
    /// Versions used by this build, and by the one before (dropped when
    /// this one ends, unless used again): a long session holds two builds' worth.
    versions: Mutex<Versions>,
    parsed: AtomicUsize,
    reused: AtomicUsize,
}

#[derive(Default)]
struct Versions {
    now: HashMap<String, Option<Plan>>,
    before: HashMap<String, Option<Plan>>,
}

struct Kept {
    digest: String,
    plan: LoadedPlan,
    diags: Diagnostics,
    aside: Vec<String>,
}

/// How many plan files a build parsed and how many it took from the cache
/// (earlier versions from git included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheCounts {
    /// Parsed from their files.
    pub parsed: usize,
    /// Taken from the cache.
    pub reused: usize,
}

impl std::fmt::Debug for LoadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plans = self.plans.lock().map_or(0, |p| p.len());
        write!(f, "LoadCache {{ {plans} plans }}")
    }
}

impl LoadCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache that keeps plans in memory and on `disk` (`serve`).
    pub fn with_disk(disk: DiskCache) -> Self {
        LoadCache {
            disk: Some(disk),
            ..Self::default()
        }
    }

    /// A cache that keeps plans on `disk` only, holding none in memory (a
    /// one-off `build`).
    pub fn disk_only(disk: DiskCache) -> Self {
        LoadCache {
            disk_only: true,
            disk: Some(disk),
            ..Self::default()
        }
    }

    /// The cache on disk of the site at `root`, where the environment says
    /// to keep it ([`super::disk_cache::default_dir`]); `in_memory` holds
    /// the plans in memory too (`serve`). `None` when turned off.
    pub fn on_disk(root: &Path, in_memory: bool) -> Option<std::sync::Arc<LoadCache>> {
        let disk = DiskCache::open(&super::disk_cache::default_dir()?, root)?;
        Some(std::sync::Arc::new(if in_memory {
            Self::with_disk(disk)
        } else {
            Self::disk_only(disk)
        }))
    }

    /// The cache on disk of the site at `root`, to read only (`check`);
    /// `None` when turned off or not made yet.
    pub fn reading_disk(root: &Path) -> Option<std::sync::Arc<LoadCache>> {
        let disk = DiskCache::open_to_read(&super::disk_cache::default_dir()?, root)?;
        Some(std::sync::Arc::new(Self::disk_only(disk)))
    }

    /// Mark the end of a build: what it counted, and earlier versions it did
    /// not use are let go (on disk too, when this build read versions).
    /// Call once after each build, whether it succeeded.
    pub fn end_build(&self) -> CacheCounts {
        self.digests.clear();
        if let Some(disk) = &self.disk {
            disk.prune(self.versions_asked.swap(false, Ordering::Relaxed));
        }
        let mut v = self.versions.lock().unwrap_or_else(|e| e.into_inner());
        v.before = std::mem::take(&mut v.now);
        CacheCounts {
            parsed: self.parsed.swap(0, Ordering::Relaxed),
            reused: self.reused.swap(0, Ordering::Relaxed),
        }
    }

    /// The plan in `file` as loaded before, when its folder's digest is still `digest`.
    pub(crate) fn plan(&self, file: &Path, digest: &str) -> Option<Loaded> {
        let found = {
            let plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
            plans.get(file).filter(|k| k.digest == digest).map(|kept| {
                (
                    Some(kept.plan.clone()),
                    kept.diags.clone(),
                    kept.aside.clone(),
                )
            })
        };
        if found.is_some()
            && let Some(disk) = &self.disk
        {
            disk.plan_still_used(file);
        }
        let found = found.or_else(|| {
            let loaded = self.disk.as_ref()?.plan(file, digest)?;
            if !self.disk_only {
                self.hold(file, digest, &loaded);
            }
            Some(loaded)
        })?;
        self.reused.fetch_add(1, Ordering::Relaxed);
        Some(found)
    }

    /// Remember how the plan in `file` (folder digest `digest`) loaded, when
    /// that can be reused: no errors, and nothing read from outside its folder.
    pub(crate) fn keep(&self, file: &Path, digest: Option<String>, loaded: &Loaded) {
        self.parsed.fetch_add(1, Ordering::Relaxed);
        let (Some(digest), (Some(plan), diags, _)) = (digest, loaded) else {
            return;
        };
        let inside = diags.source_files().all(|f| f.starts_with(&plan.dir));
        if diags.has_errors() || !inside {
            self.plans
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(file);
            return;
        }
        if let Some(disk) = &self.disk {
            disk.keep_plan(file, &digest, loaded);
        }
        if !self.disk_only {
            self.hold(file, &digest, loaded);
        }
    }

    /// Hold a reusable plan in memory.
    fn hold(&self, file: &Path, digest: &str, loaded: &Loaded) {
        let (Some(plan), diags, aside) = loaded else {
            return;
        };
        let kept = Kept {
            digest: digest.to_string(),
            plan: plan.clone(),
            diags: diags.clone(),
            aside: aside.clone(),
        };
        self.plans
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(file.to_path_buf(), kept);
    }

    /// What `git log` listed for `key`, kept on disk by an earlier build
    /// (never held in memory: one read a build).
    pub(crate) fn git_log<T: super::stored::Store>(&self, key: &str) -> Option<T> {
        self.disk.as_ref()?.git_log(key)
    }

    /// Keep what `git log` listed for `key` on disk.
    pub(crate) fn keep_git_log<T: super::stored::Store>(&self, key: &str, value: &T) {
        if let Some(disk) = &self.disk {
            disk.keep_git_log(key, value);
        }
    }

    /// An earlier version loaded from files whose digest is `digest`, or
    /// loaded now by `load` and kept.
    pub(crate) fn version(
        &self,
        digest: String,
        load: impl FnOnce() -> Option<Plan>,
    ) -> Option<Plan> {
        self.versions_asked.store(true, Ordering::Relaxed);
        if !self.disk_only {
            let mut guard = self.versions.lock().unwrap_or_else(|e| e.into_inner());
            let v = &mut *guard;
            let found = match v.now.get(&digest) {
                Some(p) => Some(p.clone()),
                None => v.before.remove(&digest).inspect(|p| {
                    v.now.insert(digest.clone(), p.clone());
                }),
            };
            if let Some(p) = found {
                self.reused.fetch_add(1, Ordering::Relaxed);
                if let Some(disk) = &self.disk {
                    disk.version_still_used(&digest);
                }
                return p;
            }
        }
        let plan = match self.disk.as_ref().and_then(|d| d.version(&digest)) {
            Some(p) => {
                self.reused.fetch_add(1, Ordering::Relaxed);
                p
            }
            None => {
                self.parsed.fetch_add(1, Ordering::Relaxed);
                let p = load();
                if let Some(disk) = &self.disk {
                    disk.keep_version(&digest, &p);
                }
                p
            }
        };
        if !self.disk_only {
            self.versions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .now
                .insert(digest, plan.clone());
        }
        plan
    }

    /// Forget plans whose file is not in `files` (removed since), so the
    /// cache holds no more than the site.
    pub(crate) fn retain_plans(&self, files: &[PathBuf]) {
        let keep: std::collections::HashSet<&PathBuf> = files.iter().collect();
        self.plans
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|f, _| keep.contains(f));
    }
}
