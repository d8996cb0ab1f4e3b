//! Stage 1: load `content/` into the [`Site`] model and validate its shape.
//!
//! YAML is read with serde-saphyr (line/column for every error, bounded
//! alias expansion); CSV with the `csv` crate. Markdown files and CSV rows
//! are merged into the plan so later stages see one self-contained model.

pub mod cache;
pub mod collect;
pub mod colour;
mod companions;
pub mod disk_cache;
pub mod files;
pub mod hints;
pub mod ids;
mod markup;
pub mod periods;
pub mod places;
pub mod source;
pub mod stored;
pub mod tree;
pub mod unplaced;
pub mod workbook;
mod yaml_errors;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diagnostics::Diagnostics;
use companions::PlanFiles;
pub use markup::MAX_MARKUP_DEPTH;
use markup::markup_depth_ok;
use source::Source;
use yaml_errors::yaml_error;

use crate::model::{Indicator, LoadedPack, LoadedPlan, Objective, Pack, Plan, Site, SiteConfig};

/// Where the site config lives, relative to the root.
pub const SITE_FILE: &str = "content/site.yaml";
/// Folder holding one sub-folder per plan.
pub const PLANS_DIR: &str = "content/plans";
/// Folder holding one YAML file per board pack.
pub const PACKS_DIR: &str = "content/packs";

/// Parse YAML text into `T`, turning every mistake in it into a located
/// diagnostic (see [`collect`]); `None` when there was any.
///
/// The YAML library's limits stay on (at most 250,000 values, 64 levels of
/// nesting, bounded alias expansion), so a hostile file fails fast with an
/// error instead of exhausting memory; [`yaml_error`] puts its messages in
/// words an author can act on.
pub fn parse_yaml<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    let read = collect::read_all(file, text, diags);
    if read.errors > 0 {
        return None;
    }
    read.value
}

/// True when a YAML file holds nothing but blank lines and comments.
pub fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// Warn when a file was not UTF-8 and had to be read as Windows-1252.
fn encoding_warning(file: &Path, text: &files::Text, diags: &mut Diagnostics) {
    if let Some(enc) = text.converted_from {
        diags.warning(
            file,
            None,
            format!("the file is not UTF-8, so it was read as {enc} (as Excel and Word save it); check that accented letters, £ and dashes look right, or save it as UTF-8 (Excel: \"CSV UTF-8\")"),
        );
    }
}

/// Load and validate the site rooted at `root` (the folder holding `content/`).
///
/// Returns `None` when there were errors; they are in `diags`.
pub fn load_site(root: &Path, diags: &mut Diagnostics) -> Option<Site> {
    load_site_cached(root, None, diags)
}

/// [`load_site`], reusing plans from `cache` whose folders have not changed
/// since they were kept there (and keeping what is loaded now).
pub fn load_site_cached(
    root: &Path,
    cache: Option<&cache::LoadCache>,
    diags: &mut Diagnostics,
) -> Option<Site> {
    load_site_from_cached(&Source::Dir(root), cache, diags)
}

/// Load the site at `root` for `check`: with errors too, as much of it as
/// could be read (each file's mistaken parts set aside), so references
/// between files can still be checked; `None` only when `site.yaml` could
/// not be read.
///
/// Also returns the ids of plans whose file could not be read at all (as
/// far as their `id:` line tells), and of parts set aside whole for their
/// mistakes (an indicator without a title), so references to them are not
/// reported as unknown.
pub fn load_site_partial(root: &Path, diags: &mut Diagnostics) -> (Option<Site>, Vec<String>) {
    load_site_partial_cached(root, None, diags)
}

/// [`load_site_partial`], taking unchanged plans from `cache`.
pub fn load_site_partial_cached(
    root: &Path,
    cache: Option<&cache::LoadCache>,
    diags: &mut Diagnostics,
) -> (Option<Site>, Vec<String>) {
    let mut unread = Vec::new();
    let site = load_parts(&Source::Dir(root), cache, diags, &mut unread);
    (site, unread)
}

/// Load and validate the site from `root`: a folder, or files held in memory
/// (a git revision's content).
///
/// Returns `None` when there were errors; they are in `diags`.
pub fn load_site_from(root: &Source, diags: &mut Diagnostics) -> Option<Site> {
    load_site_from_cached(root, None, diags)
}

/// [`load_site_from`], taking each plan of a snapshot from `cache` when it
/// was parsed before from a snapshot with the same files (the plans of an
/// earlier commit, which a build reads for every pack that compares with it).
pub fn load_site_from_cached(
    root: &Source,
    cache: Option<&cache::LoadCache>,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let site = load_parts(root, cache, diags, &mut Vec::new())?;
    (!diags.has_errors()).then_some(site)
}

/// The site with every file that could be read, errors or not; the ids of
/// plans that could not be read go to `unread`.
fn load_parts(
    root: &Source,
    cache: Option<&cache::LoadCache>,
    diags: &mut Diagnostics,
    unread: &mut Vec<String>,
) -> Option<Site> {
    let site_file = PathBuf::from(SITE_FILE);
    let config: Option<SiteConfig> = match root.read_text(&site_file) {
        Ok(t) => {
            encoding_warning(&site_file, &t, diags);
            if is_blank_yaml(&t.text) {
                diags.error_hint(
                    &site_file,
                    None,
                    "site.yaml is empty: it needs at least `title` and `organisation`",
                    "start with two lines: `title: Our plans` and `organisation: Our council`",
                );
                None
            } else {
                // Kept with mistakes set aside, so plans can still be checked.
                collect::read_all(&site_file, &t.text, diags).value
            }
        }
        Err(e) => {
            diags.error_hint(
                &site_file,
                None,
                e,
                "run boardpack in the folder holding content/, or pass --root",
            );
            None
        }
    };

    let plan_files = find_plan_files(root, diags);
    let load = |file: &PathBuf| -> cache::Loaded {
        let mut d = Diagnostics::new();
        let mut aside = Vec::new();
        let plan = load_plan_with(root, file, &mut d, &mut aside);
        (plan, d, aside)
    };
    let results: Vec<cache::Loaded> = match (cache, root) {
        (Some(cache), Source::Dir(site)) => {
            cache.retain_plans(&plan_files);
            plan_files
                .par_iter()
                .map(|file| {
                    let dir = site.join(file.parent().unwrap_or(Path::new("")));
                    let digest = crate::hash::folder_digest_with(&dir, Some(&cache.digests));
                    if let Some(kept) = digest.as_deref().and_then(|d| cache.plan(file, d)) {
                        return kept;
                    }
                    let loaded = load(file);
                    cache.keep(file, digest, &loaded);
                    loaded
                })
                .collect()
        }
        // A snapshot's plan, keyed by every file of the snapshot (a
        // plan may read a file from another folder of it); only a plan
        // that loaded without errors is kept, as an earlier version is.
        (Some(cache), Source::Memory(snap)) => {
            let whole = snap.digest();
            plan_files
                .par_iter()
                .map(|file| {
                    let key = format!("snapshot {whole}\0{}", file.display());
                    let plan = cache.version(key, || {
                        let (plan, d, _) = load(file);
                        plan.filter(|_| !d.has_errors()).map(|lp| lp.plan)
                    });
                    let mut d = Diagnostics::new();
                    let loaded = plan.map(|plan| LoadedPlan {
                        plan,
                        dir: file.parent().unwrap_or(Path::new("")).to_path_buf(),
                        file: file.clone(),
                    });
                    if loaded.is_none() {
                        d.error(file, None, "this plan could not be read at this revision");
                    }
                    (loaded, d, Vec::new())
                })
                .collect()
        }
        (None, _) => plan_files.par_iter().map(load).collect(),
    };
    let mut plans = Vec::new();
    for ((plan, d, aside), file) in results.into_iter().zip(&plan_files) {
        diags.extend(d);
        unread.extend(aside);
        match plan {
            Some(p) => plans.push(p),
            None => unread.extend(
                root.read_text(file)
                    .ok()
                    .and_then(|t| hints::plan_id_line(&t.text)),
            ),
        }
    }
    let mut packs = load_packs(root, diags);
    let config = config?;
    colour::check_branding(&config, diags);
    check_unique_ids(&plans, diags);
    // A plan whose id is taken is left out (reported above), so its parts
    // are not reported again as clashing with the first plan's.
    let mut ids = std::collections::BTreeSet::new();
    plans.retain(|p| ids.insert(p.plan.id.value.clone()));
    let cal = config.calendar;
    packs.sort_by_key(|p| (cal.sort_key(p.pack.period.value), p.slug.clone()));
    plans.sort_by(|a, b| {
        (
            a.plan.order.unwrap_or(i64::MAX),
            &a.plan.title,
            &a.plan.id.value,
        )
            .cmp(&(
                b.plan.order.unwrap_or(i64::MAX),
                &b.plan.title,
                &b.plan.id.value,
            ))
    });
    if let Some(d) = &config.disclosure {
        apply_disclosure(&mut plans, &Arc::new(d.clone()));
    }
    plans
        .par_iter_mut()
        .for_each(|lp| crate::compute::vocabulary::apply(&config, &mut lp.plan));
    Some(Site {
        config,
        plans,
        packs,
    })
}

/// Mark every indicator counted in people (unit `count`) as under disclosure control.
fn apply_disclosure(plans: &mut [LoadedPlan], d: &Arc<crate::model::Disclosure>) {
    fn mark(inds: &mut [Indicator], d: &Arc<crate::model::Disclosure>) {
        for i in inds
            .iter_mut()
            .filter(|i| i.unit == Some(crate::model::Unit::Count))
        {
            i.disclosure = Some(d.clone());
        }
    }
    fn walk(objs: &mut [Objective], d: &Arc<crate::model::Disclosure>) {
        for o in objs {
            mark(&mut o.indicators, d);
            walk(&mut o.objectives, d);
        }
    }
    for lp in plans {
        mark(&mut lp.plan.indicators, d);
        walk(&mut lp.plan.objectives, d);
    }
}

/// Every board pack in `content/packs/*.yaml`; a pack's URL comes from its period.
fn load_packs(src: &Source, diags: &mut Diagnostics) -> Vec<LoadedPack> {
    let files = match (src.snapshot_yaml_in(PACKS_DIR), src.dir()) {
        (Some(files), _) => files,
        (None, None) => Vec::new(),
        (None, Some(root)) => {
            let dir = root.join(PACKS_DIR);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                return Vec::new();
            };
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
                .collect();
            files.sort();
            files
        }
    };
    let mut out: Vec<LoadedPack> = Vec::new();
    for file in files {
        let text = match src.read_text(&file) {
            Ok(t) => t,
            Err(e) => {
                diags.error(&file, None, e);
                continue;
            }
        };
        encoding_warning(&file, &text, diags);
        diags.add_source(&file, &text.text);
        if !markup_depth_ok(&file, &text.text, diags) {
            continue;
        }
        if is_blank_yaml(&text.text) {
            hints::empty_pack(&file, diags);
            continue;
        }
        // A pack with mistakes is kept, so its plan references are still checked.
        let Some(pack) = collect::read_all::<Pack>(&file, &text.text, diags).value else {
            continue;
        };
        let slug = match &pack.id {
            Some(id) => {
                if !ids::check_id(&file, id, "pack id", "panel-2008-09-q2", diags) {
                    continue;
                }
                id.value.clone()
            }
            None => {
                let slug = pack.period.value.slug();
                if let Some(problem) = crate::model::ident::problem(&slug) {
                    diags.error_hint(
                        &file,
                        Some(pack.period.pos),
                        format!("this period would give the pack the URL packs/{slug}/, which is not a valid id: {problem}"),
                        "check the year, or give the pack an `id:` of its own",
                    );
                    continue;
                }
                slug
            }
        };
        if let Some(other) = out.iter().find(|p| p.slug == slug) {
            diags.error_hint(
                &file,
                Some(pack.period.pos),
                format!(
                    "{} already uses the URL packs/{slug}/",
                    other.file.display(),
                ),
                "give one of the packs an `id:` of its own (packs for the same period default to the same URL)",
            );
            continue;
        }
        out.push(LoadedPack { pack, file, slug });
    }
    out
}

/// Every `plan.yaml` under `content/plans`, sorted.
fn find_plan_files(src: &Source, diags: &mut Diagnostics) -> Vec<PathBuf> {
    if let Some(files) = src.snapshot_files_named(PLANS_DIR, "plan.yaml") {
        return files;
    }
    let Some(root) = src.dir() else {
        return Vec::new();
    };
    let dir = root.join(PLANS_DIR);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() && e.file_name() == "plan.yaml" => {
                if let Ok(rel) = e.path().strip_prefix(root) {
                    out.push(rel.to_path_buf());
                }
            }
            Ok(e) if e.path_is_symlink() && e.file_name() == "plan.yaml" => {
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                diags.error(
                    rel,
                    None,
                    "plan.yaml is a symbolic link; boardpack reads only real files inside the site",
                );
            }
            Ok(_) => {}
            Err(e) => diags.error(
                Path::new(PLANS_DIR),
                None,
                format!("cannot read folder: {e}"),
            ),
        }
    }
    out
}

/// Load one plan file with its Markdown and CSV companions.
pub(crate) fn load_plan(root: &Source, file: &Path, diags: &mut Diagnostics) -> Option<LoadedPlan> {
    load_plan_with(root, file, diags, &mut Vec::new())
}

/// [`load_plan`], adding to `aside` the ids of parts set aside for their mistakes.
fn load_plan_with(
    root: &Source,
    file: &Path,
    diags: &mut Diagnostics,
    aside: &mut Vec<String>,
) -> Option<LoadedPlan> {
    let text = match root.read_text(file) {
        Ok(t) => t,
        Err(e) => {
            diags.error(file, None, e);
            return None;
        }
    };
    encoding_warning(file, &text, diags);
    if is_blank_yaml(&text.text) {
        diags.error_hint(
            file,
            None,
            "plan.yaml is empty: a plan needs at least `id`, `title` and `kind`",
            "start with three lines, e.g. `id: my-plan`, `title: My plan` and `kind: Action plan`",
        );
        return None;
    }
    diags.add_source(file, &text.text);
    if !markup_depth_ok(file, &text.text, diags) {
        return None;
    }
    // A plan with mistakes is kept (their parts set aside), so references
    // into it and out of it are still checked; the build stops on the errors.
    let read = collect::read_all::<Plan>(file, &text.text, diags);
    aside.extend(read.set_aside_ids);
    let mut plan: Plan = read.value?;
    places::place_actions(&mut plan, &read.text);
    ids::check_plan(&plan, file, diags);
    let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
    let ctx = PlanFiles {
        root,
        dir: &dir,
        yaml: file,
    };
    for section in &mut plan.sections {
        ctx.read_bodies(section, diags);
    }
    for table in &mut plan.tables {
        ctx.read_table_csv(table, diags);
    }
    for ind in &mut plan.indicators {
        ctx.read_series_csv(ind, diags);
    }
    for obj in &mut plan.objectives {
        ctx.read_objective_csv(obj, diags);
    }
    plan.period_rule = periods::default_periods(&mut plan, file, diags);
    unplaced::unplaced_markdown(root, &dir, &plan, diags);
    Some(LoadedPlan {
        plan,
        dir,
        file: file.to_path_buf(),
    })
}

/// Plan ids must be unique across the site (their form is checked by [`ids::check_plan`]).
fn check_unique_ids(plans: &[LoadedPlan], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for p in plans {
        let id = p.plan.id.value.as_str();
        if let Some(first) = seen.insert(id, &p.file) {
            diags.error(
                &p.file,
                Some(p.plan.id.pos),
                format!("plan id `{id}` is already used by {}", first.display()),
            );
        }
    }
}
