//! Reading each plan's earlier versions from git: the versions of many plans
//! are read from one `git cat-file` together, then loaded in parallel.

use std::path::Path;

use rayon::prelude::*;

use super::git::{Commit, Objects};
use super::{Made, PlanHistory, plan_from};
use crate::load::cache::LoadCache;
use crate::load::source::Snapshot;
use crate::model::Plan;

/// One plan whose versions are to be read.
pub(super) struct Follow<'a> {
    /// Its folder (site-relative).
    pub(super) dir: String,
    /// Its `plan.yaml` (site-relative).
    pub(super) file: &'a Path,
    /// The commits (newest first, at most [`MAX_COMMITS_PER_PLAN`](super::MAX_COMMITS_PER_PLAN)) that touched its folder.
    pub(super) commits: Vec<Commit>,
    /// The plan as it is now, when its folder has uncommitted changes.
    pub(super) current: Option<&'a Plan>,
}

/// How many plans' versions are read from git in one exchange (bounding the
/// memory the versions take at once).
const PLANS_PER_READ: usize = 64;

/// Each plan's versions, oldest first: the version before its oldest commit
/// read, one per commit, then the uncommitted one when there is one. All
/// versions of a group of plans are read from git together.
pub(super) fn follow_all(
    objects: &Objects,
    plans: Vec<Follow>,
    cache: Option<&LoadCache>,
) -> Vec<PlanHistory> {
    let mut out = Vec::with_capacity(plans.len());
    let mut plans = plans.into_iter().peekable();
    while plans.peek().is_some() {
        let group: Vec<Follow> = plans.by_ref().take(PLANS_PER_READ).collect();
        // For each plan, the commits whose version is read: the parent of the
        // oldest commit (when there is one), then each commit, oldest first.
        let wanted: Vec<Vec<Option<String>>> = group
            .iter()
            .map(|f| {
                let base = f.commits.last().and_then(|c| c.parent.clone());
                std::iter::once(base)
                    .chain(f.commits.iter().rev().map(|c| Some(c.id.clone())))
                    .collect()
            })
            .collect();
        let requests: Vec<(String, Vec<String>)> = group
            .iter()
            .zip(&wanted)
            .flat_map(|(f, ids)| {
                ids.iter()
                    .flatten()
                    .map(|id| (id.clone(), vec![f.dir.clone()]))
            })
            .collect();
        let mut snaps = objects
            .snapshots(&requests)
            .map(|v| v.into_iter().map(Some).collect())
            .unwrap_or_else(|_| vec![None; requests.len()])
            .into_iter();
        let per_plan: Vec<Vec<Option<Snapshot>>> = wanted
            .iter()
            .map(|ids| {
                ids.iter()
                    .map(|id| id.as_ref().and_then(|_| snaps.next().flatten()))
                    .collect()
            })
            .collect();
        // Every version of every plan in the group is loaded in parallel: a
        // site's plans differ in size and history, so plans alone balance badly.
        let loaded: Vec<Option<Plan>> = group
            .iter()
            .zip(&per_plan)
            .flat_map(|(f, snaps)| snaps.iter().map(move |s| (f.file, s)))
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(file, snap)| {
                let s = snap.as_ref()?;
                match cache {
                    Some(c) => {
                        let key = format!("{}\0{}", s.digest(), file.display());
                        c.version(key, || plan_from(s, file))
                    }
                    None => plan_from(s, file),
                }
            })
            .collect();
        let mut loaded = loaded.into_iter();
        let done: Vec<PlanHistory> = group
            .into_iter()
            .zip(per_plan)
            .map(|(f, snaps)| follow(f, loaded.by_ref().take(snaps.len()).collect()))
            .collect();
        out.extend(done);
    }
    out
}

/// A plan's versions from its versions as loaded from the snapshots
/// [`follow_all`] names (`None` where there was none, or it could not be read).
fn follow(f: Follow, plans: Vec<Option<Plan>>) -> PlanHistory {
    let mut commits = f.commits;
    commits.reverse();
    let last_change = commits.last().cloned();
    let mut plans = plans.into_iter();
    let mut versions: Vec<(Option<Made>, Option<Plan>)> = vec![(None, plans.next().flatten())];
    for c in commits {
        versions.push((Some(Made::Commit(c)), plans.next().flatten()));
    }
    if let Some(p) = f.current {
        versions.push((Some(Made::Uncommitted), Some(p.clone())));
    }
    PlanHistory {
        last_change,
        dirty: f.current.is_some(),
        versions,
    }
}

/// True when `uncommitted` (site-relative paths) holds a file in folder `dir`.
pub(super) fn dirty(uncommitted: &[String], dir: &str) -> bool {
    uncommitted
        .iter()
        .any(|p| p.starts_with(&format!("{dir}/")))
}
