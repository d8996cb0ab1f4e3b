//! Incremental builds: reuse the pages of plans that did not change.
//!
//! Each build leaves a [`manifest::Manifest`] in its output. The next build
//! hashes its inputs ([`Inputs::of`]): one site hash over everything that
//! can reach every page (boardpack itself, `site.yaml` and every other file
//! under `content/` outside the plans' folders and `content/packs/`, the
//! theme and the site's own templates and static files, whether PDFs are
//! printed), and per plan a hash of that site hash with every file in the
//! plan's folder. A plan whose hash matches the previous build's gets its
//! previous pages hard-linked (or copied) into the staging folder instead of
//! rendered; site-wide pages and packs are always rendered. Anything not
//! understood (no manifest, another version, a missing file) means: render.

pub mod manifest;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::hash::{Fingerprint, tree};
use crate::model::{LoadedPlan, Site};
use crate::render::stream::Sink;
use crate::write::{Staged, paths};
use manifest::{Manifest, PlanEntry};

/// The hashes of a build's inputs.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// What every page depends on.
    pub site: String,
    /// Per plan id: the site hash and the plan's own files.
    pub plans: HashMap<String, String>,
}

impl Inputs {
    /// Hash the inputs of the site at `root`; `with_pdf` as for the build;
    /// `revision`, what every page says of the git revision (empty outside git),
    /// so a new commit rebuilds every page that shows it.
    ///
    /// `read` names every file the build read (site-relative): those outside
    /// `content/` (a narrative shared from the site's own folder, a logo)
    /// reach the site hash, as no plan's folder holds them.
    ///
    /// Files digested already in this build (loading through a cache) are
    /// taken from `memo`, not read again.
    pub fn of<'p>(
        root: &Path,
        site: &Site,
        with_pdf: bool,
        revision: &[u8],
        read: impl IntoIterator<Item = &'p Path>,
        memo: Option<&crate::hash::Digests>,
    ) -> Result<Inputs, String> {
        let mut site_hash = Fingerprint::new();
        site_hash
            .field(crate::hash::tool_identity().as_bytes())
            .field(site.config.theme.as_bytes())
            .field(&[u8::from(with_pdf)])
            .field(revision);
        let theme = root.join("themes").join(&site.config.theme);
        for dir in [
            theme.join("templates"),
            theme.join("static"),
            root.join("templates"),
            root.join("static"),
        ] {
            for (p, digest) in tree(&dir)? {
                site_hash
                    .field(p.to_string_lossy().as_bytes())
                    .field(digest.as_bytes());
            }
        }
        let mut outside: Vec<&Path> = read
            .into_iter()
            .filter(|p| !p.starts_with("content"))
            .collect();
        outside.sort();
        outside.dedup();
        for p in outside {
            site_hash
                .field(p.to_string_lossy().as_bytes())
                .field(crate::hash::file_digest(&root.join(p)).as_bytes());
        }
        // Every file under content/ belongs to a plan's folder (digested
        // whole, by the loader already when it kept plans in a cache), to
        // the packs (always rendered), or to the site.
        let plan_dirs: HashSet<PathBuf> = site.plans.iter().map(|lp| root.join(&lp.dir)).collect();
        let packs = root.join("content").join("packs");
        let skip = |d: &Path| d == packs || plan_dirs.contains(d);
        for (p, digest) in crate::hash::tree_skipping(&root.join("content"), skip, memo)? {
            site_hash
                .field(p.to_string_lossy().as_bytes())
                .field(digest.as_bytes());
        }
        let site_hex = site_hash.hex();
        use rayon::prelude::*;
        let plans = site
            .plans
            .par_iter()
            .map(|lp| {
                let dir = root.join(&lp.dir);
                let folder = crate::hash::folder_digest_with(&dir, memo)
                    .ok_or_else(|| format!("cannot read {}", dir.display()))?;
                let mut f = Fingerprint::new();
                f.field(folder.as_bytes())
                    .field(site_hex.as_bytes())
                    .field(lp.plan.id.value.as_bytes())
                    .field(lp.dir.to_string_lossy().as_bytes());
                Ok((lp.plan.id.value.clone(), f.hex()))
            })
            .collect::<Result<_, String>>()?;
        Ok(Inputs {
            site: site_hex,
            plans,
        })
    }
}

/// Link `from` to `to` (a new name inside the staging folder), copying when
/// the file system cannot link.
pub fn link_or_copy(from: &Path, to: &Path) -> Result<(), String> {
    // The folder usually exists already (a plan's pages share a few), so the
    // link is tried first and the folder made only when it is missing.
    match fs::hard_link(from, to) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            if fs::hard_link(from, to).is_ok() {
                return Ok(());
            }
        }
        Err(_) => {}
    }
    fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// Is `rel` a plain file (not a link) inside `dir`?
fn plain_file(dir: &Path, rel: &str) -> Option<PathBuf> {
    let path = dir.join(paths::safe_relative(rel).ok()?);
    fs::symlink_metadata(&path)
        .ok()
        .filter(|m| m.is_file())
        .map(|_| path)
}

/// The sink of a build: files go into the staging folder; unchanged plans'
/// pages come from the previous output; it records the new manifest.
pub struct StagingSink<'a> {
    staged: &'a Staged,
    inputs: &'a Inputs,
    /// The previous output and its manifest, when its pages may be reused.
    previous: Option<(PathBuf, Manifest)>,
    plans: Mutex<BTreeMap<String, PlanEntry>>,
    /// The previous output's folders as read so far: the names of their
    /// plain files (one listing of `indicators/` serves every plan, rather
    /// than a look at each of its thousands of files).
    listings: Mutex<HashMap<PathBuf, std::sync::Arc<HashSet<std::ffi::OsString>>>>,
}

impl<'a> StagingSink<'a> {
    /// A sink into `staged`, reusing from `out`'s previous build where its
    /// manifest says the same inputs made it.
    pub fn new(staged: &'a Staged, inputs: &'a Inputs, out: &Path) -> Self {
        let previous = Manifest::read(out)
            .filter(|m| m.boardpack == env!("CARGO_PKG_VERSION") && m.site == inputs.site)
            .map(|m| (out.to_path_buf(), m));
        StagingSink {
            staged,
            inputs,
            previous,
            plans: Mutex::default(),
            listings: Mutex::default(),
        }
    }

    /// `rel` inside the previous output `out`, if it is a plain file there
    /// (not a link), as [`plain_file`] tells, from its folder's listing.
    fn listed_plain_file(&self, out: &Path, rel: &str) -> Option<PathBuf> {
        let path = out.join(paths::safe_relative(rel).ok()?);
        let (dir, name) = (path.parent()?, path.file_name()?);
        let listing = {
            let mut listings = self.listings.lock().unwrap_or_else(|e| e.into_inner());
            let entry = listings.entry(dir.to_path_buf()).or_insert_with(|| {
                // A folder's entries say their kind without a look at each file.
                let names = fs::read_dir(dir)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .map(|e| e.file_name())
                    .collect();
                std::sync::Arc::new(names)
            });
            entry.clone()
        };
        listing.contains(name).then_some(path)
    }

    /// The previous build's print hash for pack `slug` and its PDF, if both are there.
    pub fn previous_pdf(&self, slug: &str, print_hash: &str) -> Option<PathBuf> {
        let (out, m) = self.previous.as_ref()?;
        (m.packs.get(slug)? == print_hash)
            .then(|| plain_file(out, &format!("packs/{slug}/pack.pdf")))
            .flatten()
    }

    /// The previous build's print hash for plan `id` and its PDF, if both are there.
    pub fn previous_plan_pdf(&self, id: &str, print_hash: &str) -> Option<PathBuf> {
        let (out, m) = self.previous.as_ref()?;
        (m.plan_pdfs.get(id)? == print_hash)
            .then(|| plain_file(out, &format!("plans/{id}.pdf")))
            .flatten()
    }

    /// The manifest of this build, with the packs' and plans' print hashes.
    pub fn manifest(
        &self,
        packs: BTreeMap<String, String>,
        plan_pdfs: BTreeMap<String, String>,
        contents_pages: BTreeMap<String, BTreeMap<String, usize>>,
    ) -> Manifest {
        Manifest {
            boardpack: env!("CARGO_PKG_VERSION").to_string(),
            site: self.inputs.site.clone(),
            plans: self.plans.lock().unwrap_or_else(|e| e.into_inner()).clone(),
            packs,
            plan_pdfs,
            contents_pages,
        }
    }

    fn record(&self, lp: &LoadedPlan, mut files: Vec<String>) {
        let Some(inputs) = self.inputs.plans.get(&lp.plan.id.value) else {
            return;
        };
        files.sort();
        self.plans.lock().unwrap_or_else(|e| e.into_inner()).insert(
            lp.plan.id.value.clone(),
            PlanEntry {
                inputs: inputs.clone(),
                files,
            },
        );
    }
}

impl Sink for StagingSink<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        self.staged.put(path, bytes)
    }

    fn reuse(&self, lp: &LoadedPlan) -> Result<Option<Vec<String>>, String> {
        let Some((out, m)) = &self.previous else {
            return Ok(None);
        };
        let id = &lp.plan.id.value;
        let Some(entry) = m.plans.get(id) else {
            return Ok(None);
        };
        if self.inputs.plans.get(id) != Some(&entry.inputs) {
            return Ok(None);
        }
        // Every page must still be there as a plain file, or the plan is rendered.
        let Some(sources) = entry
            .files
            .iter()
            .map(|rel| self.listed_plain_file(out, rel))
            .collect::<Option<Vec<PathBuf>>>()
        else {
            return Ok(None);
        };
        for (rel, from) in entry.files.iter().zip(sources) {
            let to = self.staged.dir().join(self.staged.claim(rel)?);
            let _gate = crate::write::interrupt::hold();
            link_or_copy(&from, &to)?;
        }
        self.record(lp, entry.files.clone());
        Ok(Some(entry.files.clone()))
    }

    fn plan_done(&self, lp: &LoadedPlan, paths: Vec<String>) {
        self.record(lp, paths);
    }
}
