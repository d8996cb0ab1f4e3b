//! Reading many histories with one `git log` each, instead of one per plan or
//! per meeting, so a build runs the same few git processes however many
//! plans and packs the site has.
//!
//! Both walks stream git's output and stop (ending git) as soon as they have
//! what they need.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Stdio};

use jiff::civil::Date;

use super::git::{Commit, Repo};

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
        (f[0].len() >= 12).then(|| {
            (
                Commit {
                    id: f[0].clone(),
                    short: f[0][..12].to_string(),
                    parent: f[1]
                        .split(' ')
                        .next()
                        .filter(|p| !p.is_empty())
                        .map(String::from),
                    author: f[2].clone(),
                    author_date: f[3].clone(),
                    date: f[4].clone(),
                    subject: f[5].clone(),
                },
                time,
            )
        })
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

/// The last second of `date` (UTC), in seconds since 1970.
pub fn end_of_day(date: Date) -> Option<i64> {
    let next = date.tomorrow().ok()?;
    let days = Date::constant(1970, 1, 1).until(next).ok()?.get_days();
    Some(i64::from(days) * 86_400 - 1)
}

/// The commit HEAD names and, for each of `bounds` (seconds since 1970), the
/// newest commit along HEAD's first parents whose commit time is at or
/// before it: what `git log -1 --first-parent --before=@<bound> HEAD` gives,
/// for every bound with one `git log`. `None` when HEAD cannot be read.
pub fn head_and_first_parents(
    repo: &Repo,
    bounds: &[i64],
) -> Option<(Commit, BTreeMap<i64, Commit>)> {
    let mut stream = Stream::start(repo, &["--first-parent", "HEAD", "--"])?;
    let (head, head_time) = stream.commit()?;
    let mut open: Vec<i64> = bounds.to_vec();
    open.sort_unstable();
    open.dedup();
    let mut found = BTreeMap::new();
    let mut next = Some((head.clone(), head_time));
    // Commits come newest along the chain first: the first one at or before a
    // bound is that bound's.
    while let Some((c, time)) = next {
        open.retain(|&b| {
            if time <= b {
                found.insert(b, c.clone());
                false
            } else {
                true
            }
        });
        if open.is_empty() {
            break;
        }
        next = stream.commit();
    }
    if !open.is_empty() && !stream.finish() {
        // git failed part-way, as a per-bound `git log` would have: nothing found.
        return Some((head, BTreeMap::new()));
    }
    Some((head, found))
}

/// For each folder in `dirs` (site-relative), the newest `cap` commits in
/// `range` (revision arguments such as `HEAD` or `a..b`) that changed
/// something under it, merges left out, newest first: what
/// `git log -n<cap> --no-merges <range> -- <dir>` gives per folder, with one
/// `git log` for them all. Folders without commits are left out.
pub fn commits_by_dir(
    repo: &Repo,
    range: &[&str],
    dirs: &[String],
    cap: usize,
) -> BTreeMap<String, Vec<Commit>> {
    let mut out: BTreeMap<String, Vec<Commit>> = BTreeMap::new();
    if dirs.is_empty() || cap == 0 {
        return out;
    }
    // Each folder by its path from the top of the work tree. Plans are only
    // ever found in the plans folder, so one pathspec holds them all.
    let full: HashMap<String, &String> = dirs.iter().map(|d| (repo.full_path(d), d)).collect();
    let under = repo.full_path(crate::load::PLANS_DIR);
    let spec = format!(":(top,literal){under}");
    let mut args = vec!["--name-only", "--no-renames", "--no-merges"];
    args.extend_from_slice(range);
    args.extend(["--", spec.as_str()]);
    let Some(mut stream) = Stream::start(repo, &args) else {
        return out;
    };
    let mut wanted = full.len();
    while wanted > 0 {
        let Some((commit, _)) = stream.commit() else {
            break;
        };
        let mut touched: Vec<&String> = Vec::new();
        for name in stream.names(&under) {
            // The folders holding this file: each of its ancestors that is one.
            let mut end = name.len();
            loop {
                if let Some(d) = full.get(&name[..end])
                    && !touched.contains(d)
                {
                    touched.push(d);
                }
                match name[..end].rfind('/') {
                    Some(i) => end = i,
                    None => break,
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
