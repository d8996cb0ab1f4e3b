//! Plans in git: the revision a site is built from, who last changed each
//! plan, how often each action's dates moved, and what changed in the plans
//! since a board last met.
//!
//! Everything here comes from commits (ids, authors, commit dates), never
//! from the clock, so the same commit builds the same pages. Outside a git
//! repository, or without git, [`gather_from`] returns `None` and nothing about
//! git appears anywhere.

pub mod changes;
pub mod git;
mod versions;
pub mod view;
pub mod walk;
pub mod words;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::load::source::{Snapshot, Source};
use crate::model::{DateSpec, Plan, Site};
use changes::{Change, Slot};
use git::{Commit, Objects, Repo};
use versions::{Follow, dirty, follow_all};

/// Most commits read per plan when following its history (moves of dates,
/// and the commit that made each change). Older commits are not read: a
/// change made before them is listed without its commit.
pub const MAX_COMMITS_PER_PLAN: usize = 40;

/// The hint for a `previous:` that cannot be used.
const PREVIOUS_HINT: &str = "give the tag, branch or commit the board last saw (list tags with `git tag`), or leave `previous:` out to use the last commit on or before the previous pack's meeting";

/// Who made a change: a commit, or edits not yet committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    /// A commit.
    Commit(Commit),
    /// Uncommitted changes in the working tree.
    Uncommitted,
}

/// One plan's versions, oldest first, from its commits.
#[derive(Debug, Clone)]
pub struct PlanHistory {
    /// The plan's latest commit.
    pub last_change: Option<Commit>,
    /// The plan's folder has uncommitted changes.
    pub dirty: bool,
    /// Each version: who made it (`None` for the version before the oldest commit read)
    /// and the plan as it then stood (`None` where it was absent or unreadable).
    pub versions: Vec<(Option<Made>, Option<Plan>)>,
}

/// A date's moves: each from one date to another, with who moved it.
pub type Moves = Vec<(DateSpec, DateSpec, Option<Made>)>;

impl PlanHistory {
    /// The changes each version made, oldest first. A version whose plan could
    /// not be read is skipped: the next readable one is compared with the last.
    pub fn steps(&self) -> Vec<(&Made, Vec<Change>)> {
        let mut last = self.versions.first().and_then(|v| v.1.as_ref());
        let mut out = Vec::new();
        for (made, plan) in self.versions.iter().skip(1) {
            let (Some(made), Some(plan)) = (made, plan) else {
                continue;
            };
            let mut changes = Vec::new();
            changes::compare_plan(last, Some(plan), &mut changes);
            out.push((made, changes));
            last = Some(plan);
        }
        out
    }

    /// Every move of every action's and deliverable's due date, oldest first,
    /// up to and including the version made by `until` (all versions when `None`).
    pub fn moves(&self, until: Option<&Made>) -> BTreeMap<Slot, Moves> {
        let mut last: BTreeMap<Slot, DateSpec> = BTreeMap::new();
        let mut out: BTreeMap<Slot, Moves> = BTreeMap::new();
        for (made, plan) in &self.versions {
            let Some(plan) = plan else { continue };
            crate::compute::each_action(plan, &mut |a| {
                let key = changes::action_key(a);
                let slots = std::iter::once(None).chain((1..=a.deliverables.len()).map(Some));
                for d in slots {
                    let slot = Slot {
                        action: key.clone(),
                        deliverable: d,
                    };
                    let Some(now) = changes::due(a, d) else {
                        continue;
                    };
                    if let Some(before) = last.insert(slot.clone(), now)
                        && before != now
                    {
                        out.entry(slot)
                            .or_default()
                            .push((before, now, made.clone()));
                    }
                }
            });
            if until.is_some() && made.as_ref() == until {
                break;
            }
        }
        out
    }
}

/// What a pack compares: the plans its board last saw, and the plans now.
#[derive(Debug, Clone)]
pub struct PackHistory {
    /// The revision the board last saw, and how it was chosen.
    pub previous: Option<(Commit, String)>,
    /// The commit the comparison ends at, when not the content being built
    /// (commits were made after the meeting).
    pub end: Option<Commit>,
    /// Why there is nothing to compare, when there is not.
    pub note: Option<String>,
    /// The changes, each with who made it and (for dates) every move so far.
    pub changes: Vec<Attributed>,
}

/// A change with the commit that made it.
#[derive(Debug, Clone)]
pub struct Attributed {
    /// The change.
    pub change: Change,
    /// Who made it, when found within [`MAX_COMMITS_PER_PLAN`] commits.
    pub made: Option<Made>,
    /// For a date: every move of that date up to the end of the comparison.
    pub moves: Moves,
}

/// Everything git tells a build.
#[derive(Debug, Clone)]
pub struct SiteHistory {
    /// The repository.
    pub repo: Repo,
    /// The commit checked out.
    pub head: Commit,
    /// Site-relative paths with uncommitted changes (content, themes, templates, static).
    pub uncommitted: Vec<String>,
    /// Per plan id.
    pub plans: BTreeMap<String, PlanHistory>,
    /// Per pack slug.
    pub packs: BTreeMap<String, PackHistory>,
    /// For the end of each meeting day (seconds since 1970), the last commit
    /// along HEAD's first parents on or before it.
    meetings: BTreeMap<i64, Commit>,
}

impl SiteHistory {
    /// True when the content being built differs from the commit.
    pub fn dirty(&self) -> bool {
        !self.uncommitted.is_empty()
    }
}

/// What a build asks git before its plans are known: the repository and
/// HEAD, the uncommitted files and every commit touching the plans folder.
/// [`Prefetch::read`] runs while the content loads (see [`crate::build`]).
#[derive(Default)]
pub struct Prefetch {
    repo: Option<Repo>,
    uncommitted: Vec<String>,
    listing: Option<walk::Listing>,
}

impl Prefetch {
    /// Ask git about the site at `root`: three processes, `status` beside
    /// `log` (two when `cache` kept what `log` listed for this commit);
    /// nothing outside a repository or without git.
    pub fn read(root: &Path, cache: Option<&crate::load::cache::LoadCache>) -> Prefetch {
        let Some(repo) = Repo::open(root) else {
            return Prefetch::default();
        };
        let (listing, uncommitted) = std::thread::scope(|s| {
            let status = s.spawn(|| repo.uncommitted());
            let listing = walk::Listing::read_cached(&repo, repo.head(), cache);
            (listing, status.join().unwrap_or_default())
        });
        Prefetch {
            repo: Some(repo),
            uncommitted,
            listing,
        }
    }
}

/// What git knows about the site, from what was asked of it beforehand
/// ([`Prefetch::read`]); `None` outside a repository or without git. A
/// `previous:` revision that cannot be found is an error in `diags`.
/// Earlier plan versions loaded before are taken from `cache`, when there is one.
pub fn gather_from(
    pre: Prefetch,
    site: &Site,
    cache: Option<&crate::load::cache::LoadCache>,
    diags: &mut Diagnostics,
) -> Option<SiteHistory> {
    // A value that can never name a revision is wrong with or without git.
    for lp in &site.packs {
        if let Some(prev) = &lp.pack.previous
            && let Err(e) = git::check_revision(&prev.value)
        {
            diags.error_hint(&lp.file, Some(prev.pos), e, PREVIOUS_HINT);
        }
    }
    if diags.has_errors() {
        return None;
    }
    let Some(repo) = pre.repo else {
        for lp in &site.packs {
            if let Some(prev) = &lp.pack.previous {
                diags.warning_hint(
                    &lp.file,
                    Some(prev.pos),
                    "`previous:` names a git revision, but the site is not in a git repository (or git is not installed), so the pack cannot list the changes to the plans",
                    "build from the git repository that holds the site (with git installed), or remove `previous:`",
                );
            }
        }
        return None;
    };
    // A constant number of git processes, however many plans and packs:
    // HEAD, every meeting's commit and every plan's commits from one
    // `git log` (asked beforehand), every old version from one `git cat-file`.
    let bounds: Vec<i64> = site
        .packs
        .iter()
        .filter_map(|lp| walk::end_of_day(lp.pack.meeting_date.date))
        .collect();
    let dirs: Vec<String> = site.plans.iter().map(|lp| path_str(&lp.dir)).collect();
    let uncommitted = pre.uncommitted;
    let graph = walk::Graph::index(&repo, pre.listing?, &dirs);
    let graph = graph?;
    let mut history = SiteHistory {
        uncommitted,
        repo,
        head: graph.tip().clone(),
        plans: BTreeMap::new(),
        packs: BTreeMap::new(),
        meetings: graph.on_or_before(&bounds),
    };
    let objects = Objects::new(&history.repo);
    let mut by_dir = graph.per_dir(&objects, MAX_COMMITS_PER_PLAN);
    let work: Vec<Follow> = site
        .plans
        .iter()
        .zip(dirs)
        .map(|(lp, dir)| Follow {
            commits: by_dir.remove(&dir).unwrap_or_default(),
            current: dirty(&history.uncommitted, &dir).then_some(&lp.plan),
            file: &lp.file,
            dir,
        })
        .collect();
    history.plans = site
        .plans
        .iter()
        .map(|lp| lp.plan.id.value.clone())
        .zip(follow_all(&objects, work, cache))
        .collect();
    let mut sites_at = SitesAt {
        objects: &objects,
        cache,
        read: Default::default(),
    };
    for (i, lp) in site.packs.iter().enumerate() {
        let previous = site.packs[..i]
            .iter()
            .rev()
            .find(|p| p.pack.board == lp.pack.board);
        if let Some(ph) = pack_history(&history, &graph, &mut sites_at, site, lp, previous, diags) {
            history.packs.insert(lp.slug.clone(), ph);
        }
    }
    drop(sites_at);
    drop(objects);
    Some(history)
}

fn path_str(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Load one plan from a snapshot; `None` when absent or unreadable.
fn plan_from(snap: &Snapshot, file: &Path) -> Option<Plan> {
    let mut d = Diagnostics::new();
    let plan = crate::load::load_plan(&Source::Memory(snap), file, &mut d)?;
    (!d.has_errors()).then_some(plan.plan)
}

/// Credit each change to the latest commit that made it, among the commits after
/// `from` up to `end` (a commit id; `None` for the content being built, when
/// `worktree` allows uncommitted changes too), and list each moved date's moves.
fn attribute(
    (repo, graph, objects): (&Repo, &walk::Graph, &Objects),
    list: Vec<Change>,
    histories: &BTreeMap<String, PlanHistory>,
    dirs: &BTreeMap<String, String>,
    from: &str,
    end: &str,
    worktree: bool,
) -> Vec<Attributed> {
    // The commits after `from` up to `end` that touched each changed plan,
    // and (for a comparison ending at a commit) each plan's last commit up to
    // `end`: from HEAD's history when it has no merges, else from git.
    let known = |c: &Change| {
        histories
            .contains_key(&c.plan)
            .then(|| dirs.get(&c.plan))
            .flatten()
    };
    let changed: BTreeSet<String> = list.iter().filter_map(known).cloned().collect();
    let changed: Vec<String> = changed.into_iter().collect();
    let range = format!("{from}..{end}");
    let linear = !graph.has_merges();
    let mut in_range = graph
        .range(objects, Some(from), end, &changed, MAX_COMMITS_PER_PLAN)
        .unwrap_or_else(|| {
            walk::commits_in(repo, &[&range], &changed, MAX_COMMITS_PER_PLAN, linear)
        });
    let dated: BTreeSet<String> = list
        .iter()
        .filter(|c| c.slot.is_some())
        .filter_map(known)
        .cloned()
        .collect();
    let mut last_by_dir = if worktree || dated.is_empty() {
        BTreeMap::new()
    } else {
        let dated: Vec<String> = dated.into_iter().collect();
        graph
            .range(objects, None, end, &dated, 1)
            .unwrap_or_else(|| walk::commits_in(repo, &[end], &dated, 1, linear))
    };
    let mut allowed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut until: BTreeMap<String, Option<Made>> = BTreeMap::new();
    let mut steps: BTreeMap<String, Vec<(Made, Vec<Change>)>> = BTreeMap::new();
    let mut out = Vec::new();
    for c in list {
        let (Some(h), Some(dir)) = (histories.get(&c.plan), dirs.get(&c.plan)) else {
            out.push(Attributed {
                change: c,
                made: None,
                moves: Vec::new(),
            });
            continue;
        };
        let ids = allowed.entry(c.plan.clone()).or_insert_with(|| {
            in_range
                .remove(dir)
                .unwrap_or_default()
                .into_iter()
                .map(|k| k.id)
                .collect()
        });
        let ok = |m: &Made| match m {
            Made::Commit(k) => ids.contains(&k.id),
            Made::Uncommitted => worktree,
        };
        let plan_steps = steps.entry(c.plan.clone()).or_insert_with(|| {
            h.steps()
                .into_iter()
                .map(|(m, cs)| (m.clone(), cs))
                .collect()
        });
        let made = plan_steps
            .iter()
            .rev()
            .filter(|(m, _)| ok(m))
            .find(|(_, cs)| cs.iter().any(|x| x.key == c.key))
            .map(|(m, _)| m.clone());
        let moves = match &c.slot {
            Some(slot) => {
                let last = until.entry(c.plan.clone()).or_insert_with(|| {
                    if worktree {
                        None
                    } else {
                        last_by_dir
                            .remove(dir)
                            .and_then(|mut v| v.pop())
                            .map(Made::Commit)
                    }
                });
                h.moves(last.as_ref()).remove(slot).unwrap_or_default()
            }
            None => Vec::new(),
        };
        out.push(Attributed {
            change: c,
            made,
            moves,
        });
    }
    out
}

/// The plans of a site as they stood at commit `id` (site settings and
/// plans only), its plans taken from `cache` when parsed before from the same files.
fn site_at(
    objects: &Objects,
    id: &str,
    cache: Option<&crate::load::cache::LoadCache>,
) -> Option<Site> {
    let snap = objects
        .snapshot(id, &[crate::load::SITE_FILE, crate::load::PLANS_DIR])
        .ok()?;
    let mut d = Diagnostics::new();
    crate::load::load_site_from_cached(&Source::Memory(&snap), cache, &mut d)
}

/// The sites at earlier commits that packs compare with, each read once a
/// build (a pack's end is often the next pack's start), its plans through
/// the build's cache.
struct SitesAt<'a> {
    objects: &'a Objects<'a>,
    cache: Option<&'a crate::load::cache::LoadCache>,
    read: std::collections::HashMap<String, Option<std::rc::Rc<Site>>>,
}

impl SitesAt<'_> {
    /// The site at commit `id`; `None` when it cannot be read.
    fn at(&mut self, id: &str) -> Option<std::rc::Rc<Site>> {
        let (objects, cache) = (self.objects, self.cache);
        self.read
            .entry(id.to_string())
            .or_insert_with(|| site_at(objects, id, cache).map(std::rc::Rc::new))
            .clone()
    }
}

fn day(d: DateSpec) -> String {
    crate::compute::actions::show_date(d.date)
}

fn pack_history(
    h: &SiteHistory,
    graph: &walk::Graph,
    sites_at: &mut SitesAt<'_>,
    site: &Site,
    lp: &crate::model::LoadedPack,
    previous: Option<&crate::model::LoadedPack>,
    diags: &mut Diagnostics,
) -> Option<PackHistory> {
    let repo = &h.repo;
    let pack = &lp.pack;
    let mut ph = PackHistory {
        previous: None,
        end: None,
        note: None,
        changes: Vec::new(),
    };
    // The end: the content being built, unless commits were made after the meeting.
    let on_or_before =
        |d: DateSpec| walk::end_of_day(d.date).and_then(|secs| h.meetings.get(&secs).cloned());
    match on_or_before(pack.meeting_date) {
        Some(c) if c.id != h.head.id => ph.end = Some(c),
        _ => {}
    }
    let prev = match (&pack.previous, previous) {
        (Some(rev), _) => match repo.resolve(&rev.value) {
            Ok(id) => graph
                .commit(&id)
                .cloned()
                .or_else(|| repo.commit(&id))
                .map(|c| (c, format!("named in the pack (`previous: {}`)", rev.value))),
            Err(e) => {
                diags.error_hint(&lp.file, Some(rev.pos), e, PREVIOUS_HINT);
                return None;
            }
        },
        (None, Some(pp)) => match on_or_before(pp.pack.meeting_date) {
            Some(c) => Some((
                c,
                format!(
                    "the last commit on or before the previous meeting ({})",
                    day(pp.pack.meeting_date)
                ),
            )),
            None => {
                ph.note = Some(format!(
                    "No commit in the repository is dated on or before the previous meeting ({}), so there is no earlier version of the plans to compare with.",
                    day(pp.pack.meeting_date)
                ));
                None
            }
        },
        (None, None) => {
            ph.note = Some(
                "This is the board's first pack: there is no earlier meeting to compare with."
                    .into(),
            );
            None
        }
    };
    let Some((prev, how)) = prev else {
        return Some(ph);
    };
    ph.previous = Some((prev.clone(), how));
    let objects = sites_at.objects;
    let Some(before) = sites_at.at(&prev.id) else {
        ph.note = Some(format!(
            "The plans as they stood at commit {} could not be read (run `boardpack check` on that commit to see why), so the changes cannot be listed.",
            prev.short
        ));
        return Some(ph);
    };
    let after_site;
    let after: &Site = match &ph.end {
        Some(c) => match sites_at.at(&c.id) {
            Some(s) => {
                after_site = s;
                &after_site
            }
            None => {
                ph.note = Some(format!(
                    "The plans as they stood at commit {} could not be read, so the changes cannot be listed.",
                    c.short
                ));
                return Some(ph);
            }
        },
        None => site,
    };
    let pick = |s: &Site| -> Vec<Plan> {
        pack.plans
            .iter()
            .filter_map(|id| s.plans.iter().find(|p| p.plan.id.value == id.value))
            .map(|p| p.plan.clone())
            .collect()
    };
    let (old, new) = (pick(&before), pick(after));
    let list = changes::compare(
        &old.iter().collect::<Vec<_>>(),
        &new.iter().collect::<Vec<_>>(),
    );
    let end = ph.end.as_ref().map_or(h.head.id.clone(), |c| c.id.clone());
    let dirs: BTreeMap<String, String> = site
        .plans
        .iter()
        .map(|p| (p.plan.id.value.clone(), path_str(&p.dir)))
        .collect();
    ph.changes = attribute(
        (repo, graph, objects),
        list,
        &h.plans,
        &dirs,
        &prev.id,
        &end,
        ph.end.is_none(),
    );
    Some(ph)
}

/// What `boardpack diff` found between two revisions.
#[derive(Debug, Clone)]
pub struct DiffReport {
    /// The older revision.
    pub from: Commit,
    /// The newer revision; `None` for the working tree (with any uncommitted changes).
    pub to: Option<Commit>,
    /// The changes, each with the commit that made it.
    pub changes: Vec<Attributed>,
}

/// Compare the plans at revision `from` with those at `to` (or in the working
/// tree when `None`). Problems loading the working tree go to `diags`.
pub fn diff(
    root: &Path,
    from: &str,
    to: Option<&str>,
    diags: &mut Diagnostics,
) -> Result<DiffReport, String> {
    let repo = Repo::open(root).ok_or(
        "the site is not in a git repository (or git is not installed), so there are no revisions to compare",
    )?;
    let objects = Objects::new(&repo);
    let at = |rev: &str| -> Result<(Commit, Site), String> {
        let id = repo.resolve(rev)?;
        let c = repo
            .commit(&id)
            .ok_or_else(|| format!("cannot read commit `{rev}`"))?;
        let site = site_at(&objects, &id, None).ok_or_else(|| {
            format!(
                "the content at `{rev}` has errors or no content/site.yaml; check it out and run `boardpack check` to see why"
            )
        })?;
        Ok((c, site))
    };
    let (from_c, before) = at(from)?;
    let (to_c, after) = match to {
        Some(t) => {
            let (c, s) = at(t)?;
            (Some(c), s)
        }
        None => (
            None,
            crate::load::load_site(root, diags)
                .ok_or("the content in the working tree has errors")?,
        ),
    };
    let plans = |s: &Site| -> Vec<Plan> { s.plans.iter().map(|p| p.plan.clone()).collect() };
    let (old, new) = (plans(&before), plans(&after));
    let list = changes::compare(
        &old.iter().collect::<Vec<_>>(),
        &new.iter().collect::<Vec<_>>(),
    );
    let end = match &to_c {
        Some(c) => c.id.clone(),
        None => repo.head().to_string(),
    };
    let uncommitted = if to_c.is_none() {
        repo.uncommitted()
    } else {
        Vec::new()
    };
    let mut dirs = BTreeMap::new();
    let mut plans = Vec::new();
    let changed: BTreeSet<&str> = list.iter().map(|c| c.plan.as_str()).collect();
    for lp in after.plans.iter().chain(before.plans.iter()) {
        let id = lp.plan.id.value.clone();
        if !changed.contains(id.as_str()) || dirs.contains_key(&id) {
            continue;
        }
        dirs.insert(id, path_str(&lp.dir));
        plans.push(lp);
    }
    let wanted: Vec<String> = dirs.values().cloned().collect();
    let graph = walk::Graph::read(&repo, &end, &wanted)
        .ok_or_else(|| format!("cannot read the history of `{end}`"))?;
    let mut by_dir = graph.per_dir(&objects, MAX_COMMITS_PER_PLAN);
    let work: Vec<Follow> = plans
        .iter()
        .map(|lp| {
            let dir = dirs[&lp.plan.id.value].clone();
            Follow {
                commits: by_dir.remove(&dir).unwrap_or_default(),
                current: (to_c.is_none() && dirty(&uncommitted, &dir)).then_some(&lp.plan),
                file: &lp.file,
                dir,
            }
        })
        .collect();
    let histories: BTreeMap<String, PlanHistory> = plans
        .iter()
        .map(|lp| lp.plan.id.value.clone())
        .zip(follow_all(&objects, work, None))
        .collect();
    let changes = attribute(
        (&repo, &graph, &objects),
        list,
        &histories,
        &dirs,
        &from_c.id,
        &end,
        to_c.is_none(),
    );
    Ok(DiffReport {
        from: from_c,
        to: to_c,
        changes,
    })
}

/// Tag the commit checked out as `pack/<slug>`, the revision of the plans a
/// pack's board saw; the tag's name is returned. Refused when the content has
/// uncommitted changes (the tag would not be what the board saw) or the pack
/// is unknown.
pub fn tag_pack(root: &Path, slug: &str, diags: &mut Diagnostics) -> Result<String, String> {
    let repo = Repo::open(root).ok_or(
        "the site is not in a git repository (or git is not installed), so there is nothing to tag",
    )?;
    let site = crate::load::load_site(root, diags).ok_or("the content has errors")?;
    if !site.packs.iter().any(|p| p.slug == slug) {
        let slugs: Vec<&str> = site.packs.iter().map(|p| p.slug.as_str()).collect();
        return Err(
            match crate::diagnostics::suggest(slug, slugs.iter().copied()) {
                Some(s) => format!("there is no pack `{slug}`: did you mean `{s}`?"),
                None if slugs.is_empty() => {
                    format!("there is no pack `{slug}`: the site has no packs")
                }
                None => format!(
                    "there is no pack `{slug}`; the packs are: {}",
                    slugs.join(", ")
                ),
            },
        );
    }
    let dirty = repo.uncommitted();
    if let Some(first) = dirty.first() {
        return Err(format!(
            "{first} has uncommitted changes{}: commit them first, so the tag is the version the board saw",
            if dirty.len() > 1 {
                format!(" (and {} more files)", dirty.len() - 1)
            } else {
                String::new()
            }
        ));
    }
    let head = repo.head().to_string();
    let name = format!("pack/{slug}");
    if let Ok(there) = repo.resolve(&format!("refs/tags/{name}")) {
        return Err(format!(
            "the tag {name} already exists, at commit {}; to move it, delete it first with `git tag -d {name}`",
            &there[..there.len().min(12)]
        ));
    }
    repo.tag(&name, &head)?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(date: &str) -> Option<Plan> {
        let yaml = format!(
            "id: p\ntitle: P\nkind: k\nactions:\n  - ref: '1'\n    target_date: {date}\n    deliverables:\n      - {{text: d, target_date: 2016-01}}\n"
        );
        Some(serde_saphyr::from_str(&yaml).unwrap())
    }

    fn commit(id: &str) -> Made {
        Made::Commit(Commit {
            id: id.repeat(40),
            short: id.repeat(12),
            author: format!("Author {id}"),
            author_date: "2016-01-01".into(),
            date: "2016-01-01".into(),
            subject: String::new(),
            parent: None,
        })
    }

    #[test]
    fn moves_count_each_change_of_a_due_date_up_to_a_version() {
        let h = PlanHistory {
            last_change: None,
            dirty: true,
            versions: vec![
                (None, plan("2016-03")),
                (Some(commit("a")), plan("2016-05")),
                // Unreadable at this commit: skipped, not a move.
                (Some(commit("b")), None),
                (Some(commit("c")), plan("2016-05")),
                (Some(Made::Uncommitted), plan("2016-07")),
            ],
        };
        let slot = Slot {
            action: "ref:1".into(),
            deliverable: None,
        };
        let all = h.moves(None);
        let moves = &all[&slot];
        assert_eq!(moves.len(), 2);
        assert_eq!(moves[0].0.to_string(), "Mar 2016");
        assert_eq!(moves[1].2, Some(Made::Uncommitted));
        // Up to commit c, only the first move has happened; the deliverable never moved.
        assert_eq!(h.moves(Some(&commit("c")))[&slot].len(), 1);
        assert_eq!(all.len(), 1);
        // Each step lists what that version changed; the unreadable one is skipped.
        let steps = h.steps();
        assert_eq!(steps.len(), 3);
        assert_eq!(
            steps[0].1[0].detail,
            "target date moved later from Mar 2016 to May 2016"
        );
        assert!(steps[1].1.is_empty(), "{:?}", steps[1].1);
        assert_eq!(
            steps[2].1[0].detail,
            "target date moved later from May 2016 to Jul 2016"
        );
    }
}
