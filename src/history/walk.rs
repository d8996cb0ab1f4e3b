//! Reading many histories with one `git log`, instead of one per plan or per
//! meeting, so a build runs the same few git processes however many plans
//! and packs the site has.
//!
//! [`Graph::read`] lists every commit of a history once; each plan's commits,
//! each meeting's commit and each pack's range are then worked out from it
//! as git's own walks would list them. [`commits_in`] is the fallback for a
//! range the listing cannot answer; it streams git's output and stops
//! (ending git) as soon as it has what it needs.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Stdio};

use jiff::civil::Date;

use rayon::prelude::*;

use super::git::{Commit, Objects, Repo};
use crate::load::cache::LoadCache;
use crate::load::stored::{Bad, Reader, Store, Writer, store_struct};

/// The commit fields asked of a streamed `git log`, NUL-separated: the
/// fields of a [`Commit`], then the commit time in seconds since 1970.
const FORMAT: &str = "--format=%H%x00%P%x00%an%x00%as%x00%cs%x00%s%x00%ct";

/// How many NUL-separated fields [`FORMAT`] prints.
const FIELDS: usize = 7;

/// A running `git log -z`, read one NUL-terminated field at a time.
struct Stream {
    child: Child,
    out: BufReader<ChildStdout>,
    /// A field read ahead (the first of the next commit).
    ahead: Option<Vec<u8>>,
    /// The output ended.
    done: bool,
    /// The parents of the last commit read, as git listed them.
    last_parents: String,
}

impl Stream {
    fn start(repo: &Repo, args: &[&str]) -> Option<Stream> {
        let mut child = repo
            .command()
            .args(["log", "--no-color", "--encoding=UTF-8", "-z", FORMAT])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let out = BufReader::new(child.stdout.take()?);
        Some(Stream {
            child,
            out,
            ahead: None,
            done: false,
            last_parents: String::new(),
        })
    }

    /// The next field, `None` at the end of the output.
    fn field(&mut self) -> Option<Vec<u8>> {
        if let Some(f) = self.ahead.take() {
            return Some(f);
        }
        if self.done {
            return None;
        }
        let mut buf = Vec::new();
        match self.out.read_until(0, &mut buf) {
            Ok(0) | Err(_) => {
                self.done = true;
                None
            }
            Ok(_) => {
                if buf.last() == Some(&0) {
                    buf.pop();
                }
                Some(buf)
            }
        }
    }

    /// The next commit and its time, `None` at the end.
    fn commit(&mut self) -> Option<(Commit, i64)> {
        let mut f: Vec<String> = Vec::with_capacity(FIELDS);
        while f.len() < FIELDS {
            let raw = self.field()?;
            // Between one commit and the next, git may put a newline.
            let raw = if f.is_empty() {
                raw.strip_prefix(b"\n").unwrap_or(&raw).to_vec()
            } else {
                raw
            };
            f.push(String::from_utf8_lossy(&raw).into_owned());
        }
        let time = f[6].trim().parse().unwrap_or(i64::MIN);
        self.last_parents = f[1].clone();
        Commit::from_fields(&f).map(|c| (c, time))
    }

    /// The next commit, its time and all its parents, `None` at the end.
    fn commit_with_parents(&mut self) -> Option<(Commit, i64, Vec<String>)> {
        let (commit, time) = self.commit()?;
        let parents = self
            .last_parents
            .split(' ')
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect();
        Some((commit, time, parents))
    }

    /// The file names git listed after the last commit (with `--name-only`),
    /// each starting with `under`; the first field that does not is the next commit's.
    fn names(&mut self, under: &str) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(raw) = self.field() {
            let name = raw.strip_prefix(b"\n").unwrap_or(&raw);
            if !name.starts_with(under.as_bytes()) {
                self.ahead = Some(raw);
                break;
            }
            out.push(String::from_utf8_lossy(name).into_owned());
        }
        out
    }

    /// True when git read everything and succeeded.
    fn finish(mut self) -> bool {
        while self.field().is_some() {}
        self.child.wait().is_ok_and(|s| s.success())
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        // Stopping early: end git rather than read what is not needed.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a kept [`Listing`] was asked with: changed when [`Listing::read`]'s
/// question does, so a listing kept for another question is never used.
const LISTING_FORMAT: &str = "log --full-history --sparse --name-only --no-renames, 1";

store_struct! {
    Listing { commits }
    Listed { commit, time, parents, names }
    Commit { id, short, author, author_date, date, subject, parent }
}

/// Every commit of a history, as one `git log` listed it, with the files
/// each changed in the plans folder: read before the plans are known (a
/// build starts it while the content loads), indexed by [`Graph::index`].
pub struct Listing {
    commits: Vec<Listed>,
}

/// One commit of a [`Listing`].
struct Listed {
    commit: Commit,
    time: i64,
    parents: Vec<String>,
    /// Files it changed under the plans folder, from the top of the work tree.
    names: Vec<String>,
}

impl Listing {
    /// Every commit reachable from `tip` (`--full-history --sparse`: none
    /// pruned, none hidden), with the files it changed in the plans folder;
    /// `None` when git cannot read it.
    pub fn read(repo: &Repo, tip: &str) -> Option<Listing> {
        Self::read_cached(repo, tip, None)
    }

    /// [`Listing::read`], taken from `cache` when an earlier build kept
    /// what `git log` listed for the same commit and question in the same
    /// repository state, and kept there when not. A commit's history never
    /// changes, short of the things [`Repo::log_state`] looks at.
    pub fn read_cached(repo: &Repo, tip: &str, cache: Option<&LoadCache>) -> Option<Listing> {
        let under = repo.full_path(crate::load::PLANS_DIR);
        let key = repo
            .log_state()
            .map(|state| format!("{LISTING_FORMAT}\0{tip}\0{under}\0{state}"));
        let cache = cache.zip(key.as_deref());
        if let Some(kept) = cache.and_then(|(c, key)| c.git_log(key)) {
            return Some(kept);
        }
        let listing = Self::ask(repo, tip, &under)?;
        if let Some((c, key)) = cache {
            c.keep_git_log(key, &listing);
        }
        Some(listing)
    }

    fn ask(repo: &Repo, tip: &str, under: &str) -> Option<Listing> {
        let spec = format!(":(top,literal){under}");
        let mut stream = Stream::start(
            repo,
            &[
                "--full-history",
                "--sparse",
                "--name-only",
                "--no-renames",
                tip,
                "--",
                &spec,
            ],
        )?;
        let mut commits = Vec::new();
        while let Some((commit, time, parents)) = stream.commit_with_parents() {
            let names = stream.names(under);
            commits.push(Listed {
                commit,
                time,
                parents,
                names,
            });
        }
        stream.finish().then_some(Listing { commits })
    }
}

/// The last second of `date` (UTC), in seconds since 1970.
pub fn end_of_day(date: Date) -> Option<i64> {
    let next = date.tomorrow().ok()?;
    let days = Date::constant(1970, 1, 1).until(next).ok()?.get_days();
    Some(i64::from(days) * 86_400 - 1)
}

/// The history reachable from one commit, read with one `git log`: every
/// commit with its parents and time, and which plan folders each commit
/// that is not a merge changed.
pub struct Graph {
    nodes: Vec<Node>,
    /// The plan folders, from the top of the work tree.
    dirs: Vec<String>,
    /// The same folders as given (site-relative).
    names: Vec<String>,
    /// The history has merge commits.
    merges: bool,
    /// Each commit's place in `nodes`, by full id.
    ids: HashMap<String, usize>,
}

struct Node {
    commit: Commit,
    time: i64,
    parents: Vec<usize>,
    /// Indexes into `dirs` of the folders this commit changed (compared with
    /// its parent, or with nothing for a first commit); empty for merges.
    touched: Vec<usize>,
}

impl Graph {
    /// The history of `tip` with the plan folders `dirs` (site-relative);
    /// `None` when git cannot read it.
    pub fn read(repo: &Repo, tip: &str, dirs: &[String]) -> Option<Graph> {
        Graph::index(repo, Listing::read(repo, tip)?, dirs)
    }

    /// The history in `listing`, with the plan folders `dirs` (site-relative)
    /// each commit changed; `None` for an empty listing.
    pub fn index(repo: &Repo, listing: Listing, dirs: &[String]) -> Option<Graph> {
        let full = full_paths(repo, dirs);
        let index = positions(&full);
        let mut nodes = Vec::with_capacity(listing.commits.len());
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut parent_ids: Vec<Vec<String>> = Vec::new();
        for listed in listing.commits {
            let mut touched: Vec<usize> = Vec::new();
            for name in &listed.names {
                for d in folders_of(name, &index) {
                    if !touched.contains(&d) {
                        touched.push(d);
                    }
                }
            }
            ids.insert(listed.commit.id.clone(), nodes.len());
            parent_ids.push(listed.parents);
            nodes.push(Node {
                commit: listed.commit,
                time: listed.time,
                parents: Vec::new(),
                touched,
            });
        }
        if nodes.is_empty() {
            return None;
        }
        let mut merges = false;
        for (node, parents) in nodes.iter_mut().zip(parent_ids) {
            merges |= parents.len() > 1;
            node.parents = parents.iter().filter_map(|p| ids.get(p).copied()).collect();
        }
        Some(Graph {
            nodes,
            dirs: full,
            names: dirs.to_vec(),
            merges,
            ids,
        })
    }

    /// The tip's commit.
    pub fn tip(&self) -> &Commit {
        &self.nodes[0].commit
    }

    /// The commit `id` (a full id), when it is in this history.
    pub fn commit(&self, id: &str) -> Option<&Commit> {
        self.ids.get(id).map(|&i| &self.nodes[i].commit)
    }

    /// True when the history has merge commits.
    pub fn has_merges(&self) -> bool {
        self.merges
    }

    /// For each of `dirs` (plan folders the graph was read with), the newest
    /// `cap` commits in `from..end` (all of `end`'s history when `from` is
    /// `None`) that changed it, merges left out, newest first: what
    /// `git log -n<cap> --no-merges <from>..<end> -- <dir>` lists, answered
    /// without git. `None` when the history read does not hold both commits,
    /// or has merges: git's walk of a range then depends on the order in which
    /// it learns which commits are reachable from `from`, which is not
    /// followed here. Folders without commits are left out.
    pub fn range(
        &self,
        objects: &Objects,
        from: Option<&str>,
        end: &str,
        dirs: &[String],
        cap: usize,
    ) -> Option<BTreeMap<String, Vec<Commit>>> {
        let start = *self.ids.get(end)?;
        // The commits reachable from `from`: left out, and never followed.
        let excluded = match from {
            Some(_) if self.merges => return None,
            Some(f) => {
                let mut reach = vec![false; self.nodes.len()];
                let mut todo = vec![*self.ids.get(f)?];
                while let Some(i) = todo.pop() {
                    if !reach[i] {
                        reach[i] = true;
                        todo.extend(&self.nodes[i].parents);
                    }
                }
                Some(reach)
            }
            None => None,
        };
        let mut out = BTreeMap::new();
        for d in dirs {
            let k = self.names.iter().position(|n| n == d)?;
            let list = self.walk(objects, start, k, cap, excluded.as_deref());
            if !list.is_empty() {
                out.insert(d.clone(), list);
            }
        }
        Some(out)
    }

    /// For each of `bounds` (seconds since 1970), the newest commit along the
    /// tip's first parents whose commit time is at or before it: what
    /// `git log -1 --first-parent --before=@<bound> <tip>` gives.
    pub fn on_or_before(&self, bounds: &[i64]) -> BTreeMap<i64, Commit> {
        let mut open: Vec<i64> = bounds.to_vec();
        open.sort_unstable();
        open.dedup();
        let mut found = BTreeMap::new();
        let mut at = Some(0);
        while let Some(i) = at {
            if open.is_empty() {
                break;
            }
            let node = &self.nodes[i];
            open.retain(|&b| {
                let here = node.time <= b;
                if here {
                    found.insert(b, node.commit.clone());
                }
                !here
            });
            at = node.parents.first().copied();
        }
        found
    }

    /// For each plan folder, its newest `cap` commits, merges left out,
    /// newest first: exactly what `git log -n<cap> --no-merges <tip> -- <dir>`
    /// lists. Git's walk is followed step by step for each folder: commits in
    /// order of commit time (ties in the order they were reached), and at a
    /// merge whose folder is the same as in one of its parents only the first
    /// such parent followed. Folders without commits are left out.
    pub fn per_dir(&self, objects: &Objects, cap: usize) -> BTreeMap<String, Vec<Commit>> {
        let mut touched = vec![false; self.dirs.len()];
        for n in &self.nodes {
            for &k in &n.touched {
                touched[k] = true;
            }
        }
        if !self.merges {
            // One line of commits: every folder's walk is that line, so one
            // pass hands each commit to the folders it changed.
            let mut out: Vec<Vec<Commit>> = vec![Vec::new(); self.dirs.len()];
            let mut at = Some(0);
            while let Some(i) = at {
                for &k in &self.nodes[i].touched {
                    if out[k].len() < cap {
                        out[k].push(self.nodes[i].commit.clone());
                    }
                }
                at = self.nodes[i].parents.first().copied();
            }
            return out
                .into_iter()
                .enumerate()
                .filter(|(_, list)| !list.is_empty())
                .map(|(k, list)| (self.names[k].clone(), list))
                .collect();
        }
        (0..self.dirs.len())
            .into_par_iter()
            // A folder no commit changed has no commits, wherever the walk goes.
            .filter(|&k| touched[k])
            .filter_map(|k| {
                let list = self.walk(objects, 0, k, cap, None);
                (!list.is_empty()).then(|| (self.names[k].clone(), list))
            })
            .collect()
    }

    /// Git's walk for folder `k` from commit `start`, as [`Graph::per_dir`]
    /// describes; commits marked in `excluded` (for a range in a history
    /// without merges, those reachable from its start) are neither listed nor
    /// followed.
    fn walk(
        &self,
        objects: &Objects,
        start: usize,
        k: usize,
        cap: usize,
        excluded: Option<&[bool]>,
    ) -> Vec<Commit> {
        let mut out = Vec::new();
        let out_of_range = |i: usize| excluded.is_some_and(|e| e[i]);
        if cap == 0 || out_of_range(start) {
            return out;
        }
        let dir = &self.dirs[k];
        let mut seen = vec![false; self.nodes.len()];
        let mut queue: VecDeque<usize> = VecDeque::from([start]);
        seen[start] = true;
        while let Some(c) = queue.pop_front() {
            let node = &self.nodes[c];
            let (follow, same): (&[usize], bool) = if node.parents.len() <= 1 {
                (&node.parents, !node.touched.contains(&k))
            } else {
                let here = objects.entry(&node.commit.id, dir);
                match node
                    .parents
                    .iter()
                    .position(|&p| objects.entry(&self.nodes[p].commit.id, dir) == here)
                {
                    Some(i) => (&node.parents[i..=i], true),
                    None => (&node.parents, false),
                }
            };
            for &p in follow {
                if !seen[p] && !out_of_range(p) {
                    seen[p] = true;
                    // After every queued commit at least as recent, as git does.
                    let t = self.nodes[p].time;
                    let at = queue
                        .iter()
                        .position(|&q| self.nodes[q].time < t)
                        .unwrap_or(queue.len());
                    queue.insert(at, p);
                }
            }
            if !same && follow.len() <= 1 {
                out.push(node.commit.clone());
                if out.len() == cap {
                    break;
                }
            }
        }
        out
    }
}

/// The site-relative folders `dirs`, each from the top of the work tree.
fn full_paths(repo: &Repo, dirs: &[String]) -> Vec<String> {
    dirs.iter().map(|d| repo.full_path(d)).collect()
}

/// Each folder's place in `full`, by its path.
fn positions(full: &[String]) -> HashMap<&str, usize> {
    full.iter()
        .enumerate()
        .map(|(i, d)| (d.as_str(), i))
        .collect()
}

/// The indexes of the folders in `index` holding `name`: each of its
/// ancestors (and itself) that is one.
fn folders_of(name: &str, index: &HashMap<&str, usize>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut end = name.len();
    loop {
        if let Some(&d) = index.get(&name[..end]) {
            out.push(d);
        }
        match name[..end].rfind('/') {
            Some(i) => end = i,
            None => break,
        }
    }
    out
}

/// For each folder in `dirs` (site-relative), the newest `cap` commits in
/// `range` (revision arguments such as `HEAD` or `a..b`) that changed
/// something under it, merges left out, newest first. Folders without
/// commits are left out.
///
/// When `linear` (the history walked has no merges) one `git log` serves
/// every folder; it lists what `git log -n<cap> --no-merges <range> -- <dir>`
/// lists for each. With merges, git's walk for one folder can leave out a
/// side branch the walk for all of them follows, so each folder gets its own
/// `git log`.
pub fn commits_in(
    repo: &Repo,
    range: &[&str],
    dirs: &[String],
    cap: usize,
    linear: bool,
) -> BTreeMap<String, Vec<Commit>> {
    if linear {
        let plans = repo.full_path(crate::load::PLANS_DIR);
        return commits_by_dir(repo, range, dirs, cap, &plans);
    }
    dirs.iter()
        .filter_map(|d| {
            let one = std::slice::from_ref(d);
            let list = commits_by_dir(repo, range, one, cap, &repo.full_path(d)).remove(d)?;
            Some((d.clone(), list))
        })
        .collect()
}

/// [`commits_in`] with one `git log` for all the folders (exact without merges);
/// `under` is the one pathspec (from the top of the work tree) holding them all.
fn commits_by_dir(
    repo: &Repo,
    range: &[&str],
    dirs: &[String],
    cap: usize,
    under: &str,
) -> BTreeMap<String, Vec<Commit>> {
    let mut out: BTreeMap<String, Vec<Commit>> = BTreeMap::new();
    if dirs.is_empty() || cap == 0 {
        return out;
    }
    // Each folder by its path from the top of the work tree.
    let full = full_paths(repo, dirs);
    let index = positions(&full);
    let spec = format!(":(top,literal){under}");
    let mut args = vec!["--name-only", "--no-renames", "--no-merges"];
    args.extend_from_slice(range);
    args.extend(["--", spec.as_str()]);
    let Some(mut stream) = Stream::start(repo, &args) else {
        return out;
    };
    let mut wanted = index.len();
    while wanted > 0 {
        let Some((commit, _)) = stream.commit() else {
            break;
        };
        let mut touched: Vec<&String> = Vec::new();
        for name in stream.names(under) {
            for d in folders_of(&name, &index) {
                if !touched.contains(&&dirs[d]) {
                    touched.push(&dirs[d]);
                }
            }
        }
        for d in touched {
            let list = out.entry(d.clone()).or_default();
            if list.len() < cap {
                list.push(commit.clone());
                if list.len() == cap {
                    wanted -= 1;
                }
            }
        }
    }
    if wanted > 0 && !stream.finish() {
        // git failed part-way: as a failed per-folder `git log`, nothing.
        return BTreeMap::new();
    }
    out
}
