//! Running the `git` executable, as Hugo's GitInfo does.
//!
//! Every call passes its arguments explicitly (never through a shell), runs
//! in the site folder with `-C`, without a pager, without the system-wide
//! configuration and in the C locale, and with `GIT_DIR` and friends
//! removed so the repository is always the one holding the site. Anything
//! that fails (no git, not a repository, a damaged one) makes [`Repo::open`]
//! return `None`, and the build then says nothing about git.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use crate::load::files::MAX_FILE_BYTES;
use crate::load::source::Snapshot;

/// A commit: who made it and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Commit {
    /// Full commit id.
    pub id: String,
    /// The first 12 characters of the id (fixed, so it reads the same however the repository grows).
    pub short: String,
    /// Author's name.
    pub author: String,
    /// Author date (`2016-02-10`, in the author's own time zone).
    pub author_date: String,
    /// Commit date (`2016-02-10`, in the committer's own time zone).
    pub date: String,
    /// First line of the message.
    pub subject: String,
    /// First parent, if any.
    #[serde(skip)]
    pub parent: Option<String>,
}

impl Commit {
    /// A commit from the fields of our log format in order (id, parents,
    /// author, author date, date, subject; any after are ignored), `None`
    /// when they are too few or the id is too short to be one.
    pub(super) fn from_fields(f: &[impl AsRef<str>]) -> Option<Commit> {
        let f: Vec<&str> = f.iter().map(AsRef::as_ref).collect();
        if f.len() < 6 {
            return None;
        }
        Some(Commit {
            id: f[0].to_string(),
            short: f[0].get(..12)?.to_string(),
            parent: f[1]
                .split(' ')
                .next()
                .filter(|p| !p.is_empty())
                .map(String::from),
            author: f[2].to_string(),
            author_date: f[3].to_string(),
            date: f[4].to_string(),
            subject: f[5].to_string(),
        })
    }
}

/// The repository holding a site.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The site folder (where git runs).
    root: PathBuf,
    /// The site folder relative to the top of the work tree (`` or `sites/ours/`).
    prefix: String,
    /// The commit checked out (HEAD), as git named it when the repository was opened.
    head: String,
    /// A digest of what, beside the commit, decides what `git log` lists
    /// (replacement refs, grafts, the environment naming them); `None` when
    /// that cannot be told (a shallow clone, which a fetch can deepen; a
    /// reftable repository).
    log_state: Option<String>,
}

/// The commit fields asked of `git log`, separated by NUL, one commit per record.
const LOG_FORMAT: &str = "--format=%H%x00%P%x00%an%x00%as%x00%cs%x00%s%x1e";

/// Environment variables that would point git at another repository than the site's.
const REPO_VARS: [&str; 7] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
];

/// A digest of what, beside a commit, changes the history `git log` lists
/// from it, in the repository folder `common` (`own`, a linked work tree's
/// own folder, is the same for the main one): replacement refs (loose and
/// packed), the grafts file, and the configuration and environment that
/// rename them or turn them off (`core.useReplaceRefs`). `None` for a
/// reftable repository, whose refs are not plain files.
fn log_state(common: &Path, own: &Path) -> Option<String> {
    if common.join("reftable").exists() {
        return None;
    }
    let mut f = crate::hash::Fingerprint::new();
    // The repository's and the user's configuration, whole (system-wide
    // configuration is never read: see `Repo::command`).
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let home = var("HOME");
    let global = var("GIT_CONFIG_GLOBAL").or_else(|| home.as_ref().map(|h| h.join(".gitconfig")));
    let xdg = var("XDG_CONFIG_HOME")
        .or_else(|| home.as_ref().map(|h| h.join(".config")))
        .map(|x| x.join("git/config"));
    // Settings given in the environment (`git -c` on a command line that
    // runs boardpack, or GIT_CONFIG_COUNT with its keys and values).
    let mut given: Vec<(std::ffi::OsString, std::ffi::OsString)> = std::env::vars_os()
        .filter(|(k, _)| k.to_string_lossy().starts_with("GIT_CONFIG"))
        .collect();
    given.sort();
    for (k, v) in given {
        f.field(k.to_string_lossy().as_bytes())
            .field(v.to_string_lossy().as_bytes());
    }
    let repository = [common.join("config"), own.join("config.worktree")];
    for config in repository
        .into_iter()
        .map(Some)
        .chain([global, xdg])
        .flatten()
    {
        f.field(config.to_string_lossy().as_bytes())
            .field(&std::fs::read(&config).unwrap_or_default());
    }
    for var in [
        "GIT_NO_REPLACE_OBJECTS",
        "GIT_REPLACE_REF_BASE",
        "GIT_GRAFT_FILE",
    ] {
        let value = std::env::var_os(var).unwrap_or_default();
        f.field(var.as_bytes())
            .field(value.to_string_lossy().as_bytes());
    }
    f.field(&std::fs::read(common.join("info/grafts")).unwrap_or_default());
    let replace = common.join("refs/replace");
    for e in walkdir::WalkDir::new(&replace)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let bytes = std::fs::read(e.path()).unwrap_or_default();
        f.field(e.path().to_string_lossy().as_bytes()).field(&bytes);
    }
    let packed = std::fs::read_to_string(common.join("packed-refs")).unwrap_or_default();
    for line in packed.lines().filter(|l| l.contains(" refs/replace/")) {
        f.field(line.as_bytes());
    }
    Some(f.hex())
}

/// Refuse a revision that could never name one: empty, with control
/// characters, or starting with `-` (it could be read as an option).
pub fn check_revision(rev: &str) -> Result<(), String> {
    let rev = rev.trim();
    if rev.is_empty() {
        return Err("the revision is empty".into());
    }
    if rev.starts_with('-') {
        return Err(format!(
            "`{rev}` starts with `-`: give a tag, branch or commit id"
        ));
    }
    if rev.chars().any(|c| c.is_control()) {
        return Err("the revision contains a control character".into());
    }
    Ok(())
}

impl Repo {
    /// The repository holding `root`, when git is installed, `root` is inside
    /// a work tree and it has at least one commit; `None` otherwise.
    pub fn open(root: &Path) -> Option<Repo> {
        let repo = Repo {
            root: root.to_path_buf(),
            prefix: String::new(),
            head: String::new(),
            log_state: None,
        };
        // One git process answers all: `true`, the prefix (an empty line at
        // the top), whether the clone is shallow, the repository's folder,
        // and HEAD's commit; it fails (exit 1) when HEAD names no commit
        // yet, and outside a repository.
        let out = repo
            .run(&[
                "rev-parse",
                "--is-inside-work-tree",
                "--show-prefix",
                "--is-shallow-repository",
                "--git-common-dir",
                "--git-dir",
                "--verify",
                "--quiet",
                "HEAD^{commit}",
            ])
            .ok()?;
        let mut lines = out.lines();
        if lines.next()? != "true" {
            return None;
        }
        let prefix = lines.next()?.to_string();
        let shallow = lines.next()? != "false";
        let common = root.join(lines.next()?);
        let own = root.join(lines.next()?);
        let head = lines.next()?.trim().to_string();
        if head.len() < 12 || !head.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some(Repo {
            prefix,
            head,
            log_state: (!shallow).then(|| log_state(&common, &own)).flatten(),
            ..repo
        })
    }

    /// What, beside the commit, decides what `git log` lists from it (see
    /// [`Repo::log_state`]); `None` when it cannot be told.
    pub fn log_state(&self) -> Option<&str> {
        self.log_state.as_deref()
    }

    /// The full id of the commit checked out.
    pub fn head(&self) -> &str {
        &self.head
    }

    /// A `git` command in the site folder with the hardened environment.
    pub(super) fn command(&self) -> Command {
        let mut c = Command::new("git");
        c.arg("--no-pager")
            .arg("-C")
            .arg(&self.root)
            // Settings that would change what `git log` lists or how it names
            // files, whatever the user's configuration says.
            .args(["-c", "core.quotePath=false"])
            .args(["-c", "log.showRoot=true"])
            .args(["-c", "log.follow=false"])
            .args(["-c", "log.showSignature=false"])
            .args(["-c", "diff.relative=false"])
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("LC_ALL", "C")
            .env("GIT_TERMINAL_PROMPT", "0")
            // A build only reads: `status` must not refresh and rewrite the index.
            .env("GIT_OPTIONAL_LOCKS", "0")
            .stdin(Stdio::null());
        for v in REPO_VARS {
            c.env_remove(v);
        }
        c
    }

    /// Run git with `args`; its standard output, or its error message.
    fn run(&self, args: &[&str]) -> Result<String, String> {
        let out = self
            .command()
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(err.lines().next().unwrap_or("git failed").to_string());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The site-relative path `rel` as a path from the top of the work tree.
    pub fn full_path(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }

    /// Resolve a revision an author wrote (a tag, branch or commit) to a commit id.
    ///
    /// A value starting with `-` is refused, so it can never be read as an option.
    pub fn resolve(&self, rev: &str) -> Result<String, String> {
        let rev = rev.trim();
        check_revision(rev)?;
        let spec = format!("{rev}^{{commit}}");
        self.run(&[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ])
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("`{rev}` is not a tag, branch or commit in this repository"))
    }

    /// The commit `id` (a full id from git).
    pub fn commit(&self, id: &str) -> Option<Commit> {
        self.log(&["-1", "--no-walk", id])
            .ok()
            .and_then(|mut v| v.pop())
    }

    /// `git log` with our format and `args`; the commits, newest first.
    fn log(&self, args: &[&str]) -> Result<Vec<Commit>, String> {
        let mut all = vec!["log", "--no-color", "--encoding=UTF-8", LOG_FORMAT];
        all.extend_from_slice(args);
        let out = self.run(&all)?;
        Ok(out
            .split('\x1e')
            .filter_map(|rec| {
                let rec = rec.trim_start_matches('\n');
                let f: Vec<&str> = rec.split('\0').collect();
                Commit::from_fields(&f)
            })
            .collect())
    }

    /// Site-relative paths with uncommitted changes (modified, staged, new or
    /// deleted) under `content/`, `themes/`, `templates/` and `static/`.
    pub fn uncommitted(&self) -> Vec<String> {
        let Ok(out) = self.run(&[
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--no-renames",
            "--",
            "content",
            "themes",
            "templates",
            "static",
        ]) else {
            return Vec::new();
        };
        out.split('\0')
            .filter(|r| r.len() > 3)
            .filter_map(|r| r[3..].strip_prefix(&self.prefix).map(String::from))
            .collect()
    }

    /// Make a lightweight tag `name` at commit `id`; fails if the tag exists.
    pub fn tag(&self, name: &str, id: &str) -> Result<(), String> {
        check_revision(name)?;
        self.run(&["tag", name, id]).map(|_| ())
    }

    /// A reader of objects, for many snapshots with one git process.
    pub fn batch(&self) -> Result<Batch, String> {
        let mut child = self
            .command()
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let stdin = child.stdin.take().ok_or("git: no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("git: no stdout")?);
        Ok(Batch {
            child,
            stdin,
            stdout,
        })
    }
}

/// A running `git cat-file --batch`: one question, one answer, in turn.
pub struct Batch {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: BufReader<std::process::ChildStdout>,
}

/// An object read from the repository.
struct Object {
    kind: String,
    /// Raw object ids in trees are this many bytes (20 for SHA-1, 32 for SHA-256).
    id_len: usize,
    bytes: Vec<u8>,
}

impl Batch {
    /// The object `name` (`<commit>:<path>`), or `None` when there is none.
    fn get(&mut self, name: &str) -> Result<Option<Object>, String> {
        Ok(self.get_many(&[name.to_string()])?.pop().flatten())
    }

    /// The objects `names`, in order: all the questions are written (by a
    /// second thread, so neither side waits on a full pipe) while the answers
    /// are read, so many objects cost one exchange with git, not one each.
    fn get_many(&mut self, names: &[String]) -> Result<Vec<Option<Object>>, String> {
        let err = |e: std::io::Error| format!("git cat-file: {e}");
        let Batch {
            child,
            stdin,
            stdout,
        } = self;
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || -> std::io::Result<()> {
                let mut w = std::io::BufWriter::new(&mut *stdin);
                for name in names {
                    writeln!(w, "{name}")?;
                }
                w.flush()
            });
            let mut out = Vec::with_capacity(names.len());
            let mut failed = None;
            for _ in names {
                match read_answer(stdout) {
                    Ok(obj) => out.push(obj),
                    Err(e) => {
                        failed = Some(e);
                        // Stop git, so the writer cannot wait on it for ever.
                        let _ = child.kill();
                        break;
                    }
                }
            }
            let written = writer
                .join()
                .unwrap_or(Err(std::io::Error::other("the writer stopped")));
            match failed {
                Some(e) => Err(e),
                None => written.map(|()| out).map_err(err),
            }
        })
    }

    /// The files under `dirs` (site-relative) at commit `id` of `repo`.
    pub fn snapshot(&mut self, repo: &Repo, id: &str, dirs: &[&str]) -> Result<Snapshot, String> {
        let dirs: Vec<String> = dirs.iter().map(|d| d.to_string()).collect();
        Ok(self
            .snapshots(repo, &[(id.to_string(), dirs)])?
            .pop()
            .unwrap_or_default())
    }

    /// For each request (a commit and site-relative folders or files), the
    /// files under them at that commit. Read level by level, each level of
    /// every request in one exchange with git.
    fn snapshots(
        &mut self,
        repo: &Repo,
        requests: &[(String, Vec<String>)],
    ) -> Result<Vec<Snapshot>, String> {
        let mut snaps = vec![Snapshot::new(); requests.len()];
        let prefix = &repo.prefix;
        let rel = |path: &str| PathBuf::from(path.strip_prefix(prefix.as_str()).unwrap_or(path));
        // (request, path from the top of the work tree) still to read.
        let mut level: Vec<(usize, String)> = requests
            .iter()
            .enumerate()
            .flat_map(|(i, (_, dirs))| dirs.iter().map(move |d| (i, repo.full_path(d))))
            .collect();
        while !level.is_empty() {
            // A name with a line break cannot be asked of `cat-file --batch`.
            let (asked, odd): (Vec<_>, Vec<_>) =
                level.into_iter().partition(|(_, p)| !p.contains('\n'));
            for (i, path) in odd {
                snaps[i]
                    .insert_unreadable(rel(&path), "the file name contains a line break".into());
            }
            let names: Vec<String> = asked
                .iter()
                .map(|(i, path)| format!("{}:{path}", requests[*i].0))
                .collect();
            let objects = self.get_many(&names)?;
            let mut next = Vec::new();
            for ((i, path), obj) in asked.into_iter().zip(objects) {
                let Some(obj) = obj else { continue };
                let snap = &mut snaps[i];
                match obj.kind.as_str() {
                    "blob" if obj.bytes.len() as u64 > MAX_FILE_BYTES => snap.insert_unreadable(
                        rel(&path),
                        format!(
                            "the file is over the {} MB limit for content files",
                            MAX_FILE_BYTES / (1024 * 1024)
                        ),
                    ),
                    "blob" => snap.insert(rel(&path), obj.bytes),
                    "tree" => {
                        for (mode, name) in tree_entries(&obj.bytes, obj.id_len) {
                            let child = format!("{path}/{name}");
                            match mode.as_str() {
                                "120000" => snap.insert_unreadable(
                                    rel(&child),
                                    "the file is a symbolic link; boardpack reads only real files inside the site"
                                        .into(),
                                ),
                                // Submodules hold no content of this site.
                                "160000" => {}
                                _ => next.push((i, child)),
                            }
                        }
                    }
                    _ => {}
                }
            }
            level = next;
        }
        Ok(snaps)
    }
}

/// Read one answer of `git cat-file --batch`: the object, or `None` when there is none.
fn read_answer(
    stdout: &mut BufReader<std::process::ChildStdout>,
) -> Result<Option<Object>, String> {
    let err = |e: std::io::Error| format!("git cat-file: {e}");
    let mut header = String::new();
    if stdout.read_line(&mut header).map_err(err)? == 0 {
        return Err("git cat-file stopped".into());
    }
    let f: Vec<&str> = header.split_whitespace().collect();
    let [oid, kind, size] = f[..] else {
        // `<name> missing` (or ambiguous): no such object.
        return Ok(None);
    };
    if !oid.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let size: usize = size
        .parse()
        .map_err(|_| format!("git cat-file: unexpected answer `{}`", header.trim()))?;
    let mut bytes = vec![0; size + 1];
    stdout.read_exact(&mut bytes).map_err(err)?;
    bytes.pop();
    Ok(Some(Object {
        kind: kind.to_string(),
        id_len: oid.len() / 2,
        bytes,
    }))
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Closing its input ends git; wait so no process is left behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One `git cat-file --batch` shared by everything a build reads from old
/// revisions (started when first needed), so the number of git processes
/// does not grow with the number of plans.
pub struct Objects<'a> {
    repo: &'a Repo,
    /// `None` until first used; then the reader, or `None` if git could not start.
    batch: Mutex<Option<Option<Batch>>>,
    /// Trees read so far, by name asked (`<commit>:<path>` or an id): each
    /// entry's name with its mode and id, `None` when there is no such tree.
    trees: Mutex<HashMap<Vec<u8>, Option<Tree>>>,
}

/// A tree's entries: name to mode and raw id.
type Tree = std::sync::Arc<HashMap<String, (String, Vec<u8>)>>;

impl<'a> Objects<'a> {
    /// A reader of `repo`'s objects; no process is started yet.
    pub fn new(repo: &'a Repo) -> Objects<'a> {
        Objects {
            repo,
            batch: Mutex::new(None),
            trees: Mutex::new(HashMap::new()),
        }
    }

    /// The tree named `name`, read once.
    fn tree(&self, name: &[u8]) -> Option<Tree> {
        if let Some(t) = self
            .trees
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
        {
            return t.clone();
        }
        let tree = {
            let mut guard = self.batch.lock().unwrap_or_else(|e| e.into_inner());
            let batch = guard.get_or_insert_with(|| self.repo.batch().ok());
            let text = String::from_utf8_lossy(name).into_owned();
            match batch.as_mut().map(|b| b.get(&text)) {
                Some(Ok(Some(obj))) if obj.kind == "tree" => Some(std::sync::Arc::new(
                    tree_entries_with_ids(&obj.bytes, obj.id_len)
                        .into_iter()
                        .map(|(mode, n, id)| (n, (mode, id)))
                        .collect::<HashMap<_, _>>(),
                )),
                Some(Err(_)) => {
                    *guard = None;
                    None
                }
                _ => None,
            }
        };
        self.trees
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_vec(), tree.clone());
        tree
    }

    /// The mode and id of what is at `path` (from the top of the work tree)
    /// in commit `id`; `None` when nothing is there. Two commits hold the same
    /// content at a path exactly when these are equal.
    pub fn entry(&self, id: &str, path: &str) -> Option<(String, Vec<u8>)> {
        let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
        self.tree(format!("{id}:{parent}").as_bytes())?
            .get(name)
            .cloned()
    }

    /// The files under `dirs` (site-relative) at commit `id`, read without a checkout.
    pub fn snapshot(&self, id: &str, dirs: &[&str]) -> Result<Snapshot, String> {
        let dirs: Vec<String> = dirs.iter().map(|d| d.to_string()).collect();
        Ok(self
            .snapshots(&[(id.to_string(), dirs)])?
            .pop()
            .unwrap_or_default())
    }

    /// For each request (a commit id and site-relative folders or files),
    /// the files under them at that commit, all read together.
    pub fn snapshots(&self, requests: &[(String, Vec<String>)]) -> Result<Vec<Snapshot>, String> {
        let mut guard = self.batch.lock().unwrap_or_else(|e| e.into_inner());
        let batch = guard.get_or_insert_with(|| self.repo.batch().ok());
        let Some(b) = batch.as_mut() else {
            return Err("cannot run git cat-file".into());
        };
        let snaps = b.snapshots(self.repo, requests);
        if snaps.is_err() {
            // The reader may be out of step after an error: start afresh next time.
            *guard = None;
        }
        snaps
    }
}

/// The (mode, name) entries of a raw tree object.
fn tree_entries(bytes: &[u8], id_len: usize) -> Vec<(String, String)> {
    tree_entries_with_ids(bytes, id_len)
        .into_iter()
        .map(|(mode, name, _)| (mode, name))
        .collect()
}

/// The (mode, name, raw object id) entries of a raw tree object.
fn tree_entries_with_ids(bytes: &[u8], id_len: usize) -> Vec<(String, String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while let Some(space) = rest.iter().position(|&b| b == b' ') {
        let Some(nul) = rest[space..]
            .iter()
            .position(|&b| b == 0)
            .map(|n| n + space)
        else {
            break;
        };
        let mode = String::from_utf8_lossy(&rest[..space]).into_owned();
        let name = String::from_utf8_lossy(&rest[space + 1..nul]).into_owned();
        let next = nul + 1 + id_len;
        if next > rest.len() {
            out.push((mode, name, Vec::new()));
            break;
        }
        out.push((mode, name, rest[nul + 1..next].to_vec()));
        rest = &rest[next..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_objects_are_read_entry_by_entry() {
        let mut raw = b"100644 plan.yaml\0".to_vec();
        raw.extend([7u8; 20]);
        raw.extend(b"40000 data dir\0");
        raw.extend([0u8; 20]);
        assert_eq!(
            tree_entries(&raw, 20),
            vec![
                ("100644".to_string(), "plan.yaml".to_string()),
                ("40000".to_string(), "data dir".to_string())
            ]
        );
        // A truncated tree stops rather than reading past its end.
        assert_eq!(tree_entries(&raw[..30], 20).len(), 1);
    }

    #[test]
    fn options_are_never_revisions() {
        let repo = Repo {
            root: PathBuf::from("/nonexistent"),
            prefix: String::new(),
            head: String::new(),
            log_state: None,
        };
        assert!(
            repo.resolve("--output=/tmp/x")
                .unwrap_err()
                .contains("starts with `-`")
        );
        assert!(repo.resolve("").is_err());
        assert!(repo.resolve("a\nb").is_err());
    }
}
