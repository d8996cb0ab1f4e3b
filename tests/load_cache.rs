//! The load cache: `serve` keeps plans in memory between rebuilds, and every
//! build keeps them on disk between runs. An unchanged plan is not parsed
//! again, and what a cached rebuild writes is byte for byte what a build
//! from nothing writes.

mod common;

use std::fs;
use std::path::Path;
use std::sync::Arc;

use boardpack::diagnostics::Diagnostics;
use boardpack::load::cache::{CacheCounts, LoadCache};
use boardpack::load::disk_cache::DiskCache;
use common::*;

/// Build `root` into `out` in this process, with `cache` (or none); the
/// cache's counts for this build.
fn build(root: &Path, out: &Path, cache: Option<&Arc<LoadCache>>) -> CacheCounts {
    let options = boardpack::BuildOptions {
        cache: cache.cloned(),
        ..Default::default()
    };
    let mut diags = Diagnostics::new();
    let result = boardpack::build(root, out, &options, &mut diags);
    let counts = cache.map(|c| c.end_build()).unwrap_or_default();
    result.unwrap_or_else(|e| panic!("build failed: {e}"));
    counts
}

/// `out` holds exactly the files a build from nothing (no cache, no earlier output) makes.
fn same_as_a_full_build(root: &Path, out: &Path) {
    let full = root.parent().unwrap().join("full");
    let _ = fs::remove_dir_all(&full);
    build(root, &full, None);
    let (a, b) = (tree(out), tree(&full));
    assert_eq!(
        a.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        b.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        "same files"
    );
    for ((p, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{p} differs from a build without the cache");
    }
}

/// A copy of the example site in `<tmp>/site` whose budget plan reads its
/// CSV from a folder shared by the plans (outside its own folder).
fn shared_csv_site(tmp: &Path) -> std::path::PathBuf {
    let root = tmp.join("site");
    example_copy(&root);
    let plan = root.join("content/plans/child-care-sip-2007");
    fs::create_dir_all(root.join("content/shared")).unwrap();
    fs::rename(
        plan.join("budget.csv"),
        root.join("content/shared/budget.csv"),
    )
    .unwrap();
    edit(
        &plan.join("plan.yaml"),
        "csv: budget.csv",
        "csv: ../../shared/budget.csv",
    );
    root
}

/// A copy of the example site in `<tmp>/site`, in a git repository of two
/// commits: the plans, then NI 63 retitled.
fn site_with_two_commits(tmp: &Path) -> std::path::PathBuf {
    let root = tmp.join("site");
    example_copy(&root);
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "plans"]);
    edit(
        &root.join(NI63),
        NI63_TITLE,
        "title: \"LAA target action plan: NI 63 (revised)\"",
    );
    git(&root, &["commit", "-q", "-am", "retitle"]);
    root
}

const NI63: &str = "content/plans/laa-ni63/plan.yaml";
const NI63_TITLE: &str = "title: \"LAA target action plan: NI 63\"";

#[test]
fn a_rebuild_parses_only_the_edited_plan_and_writes_what_a_full_build_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    example_copy(&root);
    let out = tmp.path().join("out");
    let cache = Arc::new(LoadCache::new());

    let first = build(&root, &out, Some(&cache));
    assert_eq!((first.parsed, first.reused), (3, 0), "{first:?}");
    let unchanged = build(&root, &out, Some(&cache));
    assert_eq!(
        (unchanged.parsed, unchanged.reused),
        (0, 3),
        "{unchanged:?}"
    );
    same_as_a_full_build(&root, &out);

    edit(
        &root.join(NI63),
        NI63_TITLE,
        "title: \"LAA target action plan: NI 63 (revised)\"",
    );
    let edited = build(&root, &out, Some(&cache));
    assert_eq!((edited.parsed, edited.reused), (1, 2), "{edited:?}");
    assert!(read(&out, "index.html").contains("NI 63 (revised)"));
    same_as_a_full_build(&root, &out);

    // A file added beside a plan (a narrative no section shows: a warning
    // of its own) is a change to that plan too.
    fs::write(root.join("content/plans/laa-ni63/notes.md"), "Notes.\n").unwrap();
    let added = build(&root, &out, Some(&cache));
    assert_eq!((added.parsed, added.reused), (1, 2), "{added:?}");
    same_as_a_full_build(&root, &out);
}

#[test]
fn a_plan_that_reads_a_file_outside_its_folder_is_parsed_every_time() {
    let tmp = tempfile::tempdir().unwrap();
    let root = shared_csv_site(tmp.path());
    let out = tmp.path().join("out");
    let cache = Arc::new(LoadCache::new());
    build(&root, &out, Some(&cache));
    let again = build(&root, &out, Some(&cache));
    assert_eq!((again.parsed, again.reused), (1, 2), "{again:?}");

    // The shared file changes; the plan's folder does not.
    let csv = root.join("content/shared/budget.csv");
    let text = fs::read_to_string(&csv).unwrap();
    let first_row = text.lines().nth(1).unwrap().to_string();
    let label = first_row.split(',').next().unwrap().to_string();
    edit(&csv, &label, &format!("{label} (renamed)"));
    build(&root, &out, Some(&cache));
    assert!(read(&out, "plans/child-care-sip-2007.html").contains("(renamed)"));
    same_as_a_full_build(&root, &out);
}

fn git(root: &Path, args: &[&str]) {
    let o = git_command(root, "T", "2026-01-01T10:00:00Z")
        .args(args)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

#[test]
fn earlier_versions_from_git_are_parsed_once_across_rebuilds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site_with_two_commits(tmp.path());
    let out = tmp.path().join("out");
    let cache = Arc::new(LoadCache::new());

    let first = build(&root, &out, Some(&cache));
    // Three plans, and the versions their commits made: NI 63 twice, the others once.
    assert_eq!((first.parsed, first.reused), (3 + 4, 0), "{first:?}");
    let again = build(&root, &out, Some(&cache));
    assert_eq!((again.parsed, again.reused), (0, 3 + 4), "{again:?}");
    same_as_a_full_build(&root, &out);
}

/// A cache on disk under `dir` for the site at `root`, opened afresh as each
/// run of `boardpack build` opens it (nothing held in memory between builds).
fn disk(dir: &Path, root: &Path) -> Arc<LoadCache> {
    Arc::new(LoadCache::disk_only(
        DiskCache::open(dir, root).expect("cache folder"),
    ))
}

/// The plan entries in the cache folder `dir`, with their bytes.
fn entries(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for site in fs::read_dir(dir.join("sites")).unwrap().flatten() {
        for e in fs::read_dir(site.path()).unwrap().flatten() {
            if e.file_name().to_string_lossy().starts_with("plan-") {
                found.push((e.path(), fs::read(e.path()).unwrap()));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn each_build_takes_unchanged_plans_from_the_cache_on_disk() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    example_copy(&root);
    let out = tmp.path().join("out");
    let dir = tmp.path().join("cache");

    let first = build(&root, &out, Some(&disk(&dir, &root)));
    assert_eq!((first.parsed, first.reused), (3, 0), "{first:?}");
    let kept = entries(&dir);
    assert_eq!(kept.len(), 3, "one entry a plan");
    let again = build(&root, &out, Some(&disk(&dir, &root)));
    assert_eq!((again.parsed, again.reused), (0, 3), "{again:?}");
    assert_eq!(entries(&dir), kept, "entries read, not rewritten");
    same_as_a_full_build(&root, &out);

    edit(
        &root.join(NI63),
        NI63_TITLE,
        "title: \"LAA target action plan: NI 63 (revised)\"",
    );
    let edited = build(&root, &out, Some(&disk(&dir, &root)));
    assert_eq!((edited.parsed, edited.reused), (1, 2), "{edited:?}");
    assert!(read(&out, "index.html").contains("NI 63 (revised)"));
    let now = entries(&dir);
    let changed = kept.iter().zip(&now).filter(|(a, b)| a != b).count();
    assert_eq!(changed, 1, "only the edited plan's entry is written again");
    same_as_a_full_build(&root, &out);

    fs::write(root.join("content/plans/laa-ni63/notes.md"), "Notes.\n").unwrap();
    let added = build(&root, &out, Some(&disk(&dir, &root)));
    assert_eq!((added.parsed, added.reused), (1, 2), "{added:?}");
    same_as_a_full_build(&root, &out);

    // Damaged entries (cut short, or with a byte changed in the plan) are
    // not trusted: the plans are parsed again and the pages are the same.
    for (i, (path, bytes)) in entries(&dir).into_iter().enumerate() {
        let mut bad = bytes.clone();
        if i % 2 == 0 {
            bad.truncate(bytes.len() / 2);
        } else {
            // Well inside the plan: a changed letter of some text.
            let middle = bad.len() * 3 / 4;
            bad[middle] ^= 0x01;
        }
        fs::write(path, bad).unwrap();
    }
    let damaged = build(&root, &out, Some(&disk(&dir, &root)));
    assert_eq!((damaged.parsed, damaged.reused), (3, 0), "{damaged:?}");
    same_as_a_full_build(&root, &out);
}

#[test]
fn a_plan_reading_a_shared_file_is_not_kept_on_disk() {
    let tmp = tempfile::tempdir().unwrap();
    let root = shared_csv_site(tmp.path());
    let out = tmp.path().join("out");
    let dir = tmp.path().join("cache");
    build(&root, &out, Some(&disk(&dir, &root)));
    assert_eq!(
        entries(&dir).len(),
        2,
        "the plan reading a shared file has no entry"
    );
    let csv = root.join("content/shared/budget.csv");
    let text = fs::read_to_string(&csv).unwrap();
    let label = text
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    edit(&csv, &label, &format!("{label} (renamed)"));
    let again = build(&root, &out, Some(&disk(&dir, &root)));
    assert_eq!((again.parsed, again.reused), (1, 2), "{again:?}");
    assert!(read(&out, "plans/child-care-sip-2007.html").contains("(renamed)"));
    same_as_a_full_build(&root, &out);
}

#[test]
fn earlier_versions_from_git_are_kept_on_disk_too() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site_with_two_commits(tmp.path());
    let out = tmp.path().join("out");
    let dir = tmp.path().join("cache");
    let first = build(&root, &out, Some(&disk(&dir, &root)));
    assert_eq!((first.parsed, first.reused), (3 + 4, 0), "{first:?}");
    let again = build(&root, &out, Some(&disk(&dir, &root)));
    assert_eq!((again.parsed, again.reused), (0, 3 + 4), "{again:?}");
    same_as_a_full_build(&root, &out);
    // serve's rebuilds take them from memory and keep their entries.
    let serve = Arc::new(LoadCache::with_disk(DiskCache::open(&dir, &root).unwrap()));
    build(&root, &out, Some(&serve));
    build(&root, &out, Some(&serve));
    let after = build(&root, &out, Some(&disk(&dir, &root)));
    assert_eq!((after.parsed, after.reused), (0, 3 + 4), "{after:?}");
}

/// Run `boardpack build` on `root` into `out`, with its cache in `cache`
/// (`off` for none) and, when given, `path` as the PATH; its stderr.
fn run_build(root: &Path, out: &Path, cache: &Path, path: Option<&std::ffi::OsStr>) -> String {
    let mut c = command();
    c.env("BOARDPACK_CACHE", cache);
    if let Some(path) = path {
        c.env("PATH", path);
    }
    let o = c
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

#[test]
fn the_binary_keeps_its_cache_where_boardpack_cache_says_and_not_when_off() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    example_copy(&root);
    let dir = tmp.path().join("cache");
    let run = |cache: &Path, out: &str| run_build(&root, &tmp.path().join(out), cache, None);
    let cold = run(&dir, "a");
    assert_eq!(entries(&dir).len(), 3);
    let warm = run(&dir, "b");
    // The same warnings, quoting the same lines, from the cache as from the files.
    assert_eq!(cold.replace("/a ", "/b "), warm);
    run(Path::new("off"), "c");
    assert_eq!(tree(&tmp.path().join("b")), tree(&tmp.path().join("c")));
    // `check` reads the cache and writes nothing to it: not an entry, not
    // the site's note, and no cache at all where there was none.
    let everything = |dir: &Path| -> Vec<(std::path::PathBuf, Vec<u8>, std::time::SystemTime)> {
        let mut v: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let m = e.metadata().unwrap().modified().unwrap();
                (e.path().to_path_buf(), fs::read(e.path()).unwrap(), m)
            })
            .collect();
        v.sort();
        v
    };
    let before = everything(&dir);
    let check = |cache: &Path| {
        let o = command()
            .env("BOARDPACK_CACHE", cache)
            .args(["check", "--root"])
            .arg(&root)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stderr(&o)
    };
    let cached = check(&dir);
    assert_eq!(everything(&dir), before, "check wrote to the cache");
    assert_eq!(
        cached,
        check(Path::new("off")),
        "the same report with and without the cache"
    );
    let fresh = tmp.path().join("fresh-cache");
    check(&fresh);
    assert!(!fresh.exists(), "check made a cache");

    let off = tmp.path().join("nowhere");
    let o = command()
        .env("BOARDPACK_CACHE", "off")
        .env("HOME", &off)
        .env("XDG_CACHE_HOME", &off)
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(tmp.path().join("d"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!off.exists(), "turned off, the cache writes nothing");
}

#[test]
fn plans_serve_holds_in_memory_keep_their_entries_on_disk() {
    // serve holds plans in memory and on disk: rebuilds that take them from
    // memory must not let the pruning drop their entries, or the next
    // `build` would parse everything again.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    example_copy(&root);
    let out = tmp.path().join("out");
    let dir = tmp.path().join("cache");
    let serve = Arc::new(LoadCache::with_disk(DiskCache::open(&dir, &root).unwrap()));
    build(&root, &out, Some(&serve));
    let again = build(&root, &out, Some(&serve));
    assert_eq!((again.parsed, again.reused), (0, 3), "{again:?}");
    assert_eq!(entries(&dir).len(), 3, "entries kept");
    let next = build(&root, &out, Some(&disk(&dir, &root)));
    assert_eq!((next.parsed, next.reused), (0, 3), "{next:?}");
}

/// A `git` for the PATH, in `bin`, that notes every command it is given in
/// `bin/asked` (one line each), then runs the real git; the PATH to use.
#[cfg(unix)]
fn noting_git(bin: &Path) -> std::ffi::OsString {
    use std::os::unix::fs::PermissionsExt;
    let real = std::process::Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .unwrap();
    let real = String::from_utf8(real.stdout).unwrap().trim().to_string();
    assert!(!real.is_empty(), "git is on the PATH");
    fs::create_dir_all(bin).unwrap();
    let script = bin.join("git");
    let asked = bin.join("asked");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{real}' \"$@\"\n",
            asked.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    let mut path = std::ffi::OsString::from(bin);
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    path
}

#[test]
#[cfg(unix)]
fn what_git_log_listed_is_kept_for_its_commit_and_asked_again_when_history_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site_with_two_commits(tmp.path());
    let dir = tmp.path().join("cache");
    let bin = tmp.path().join("bin");
    let path = noting_git(&bin);
    // How many times git has been asked for a log so far.
    let logs = || {
        fs::read_to_string(bin.join("asked"))
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(" log "))
            .count()
    };
    let run = |cache: &Path, out: &str| {
        run_build(&root, &tmp.path().join(out), cache, Some(&path));
    };
    let kept_logs = || {
        let mut v: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("log-"))
            .collect();
        v.sort();
        v
    };
    let same = |a: &str, b: &str| {
        assert!(
            tree(&tmp.path().join(a)) == tree(&tmp.path().join(b)),
            "{a} and {b} differ"
        );
    };

    run(&dir, "a");
    let first = logs();
    assert!(first >= 1, "a build in git asks for the history");
    let kept = kept_logs();
    assert_eq!(kept.len(), 1, "{kept:?}");
    run(&dir, "b");
    assert_eq!(
        logs() - first,
        first - 1,
        "the listing of HEAD came from the cache"
    );
    same("a", "b");

    // A new commit: asked again, and the listing of the old HEAD let go.
    edit(&root.join(NI63), "(revised)", "(revised again)");
    git(&root, &["commit", "-q", "-am", "retitle again"]);
    let before = logs();
    run(&dir, "c");
    assert_eq!(logs() - before, first);
    let now = kept_logs();
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now, kept);
    run(Path::new("off"), "c-off");
    same("c", "c-off");

    // A replacement ref changes what the same commit's history lists.
    git(&root, &["replace", "--graft", "HEAD"]);
    let before = logs();
    run(&dir, "d");
    assert_eq!(logs() - before, first, "a replacement ref: asked again");
    run(Path::new("off"), "d-off");
    same("d", "d-off");
    assert!(tree(&tmp.path().join("c")) != tree(&tmp.path().join("d")));

    // So does configuration that turns replacement refs off.
    git(&root, &["config", "core.useReplaceRefs", "false"]);
    let before = logs();
    run(&dir, "e");
    assert_eq!(logs() - before, first, "configuration changed: asked again");
    same("c", "e");

    // And a linked work tree's own configuration.
    git(&root, &["config", "--unset", "core.useReplaceRefs"]);
    git(&root, &["config", "extensions.worktreeConfig", "true"]);
    run(&dir, "f");
    same("d", "f");
    git(
        &root,
        &["config", "--worktree", "core.useReplaceRefs", "false"],
    );
    let before = logs();
    run(&dir, "g");
    assert_eq!(
        logs() - before,
        first,
        "work tree configuration: asked again"
    );
    same("c", "g");
}

#[test]
fn a_commit_packs_compare_with_is_read_once_a_build_and_its_plans_then_come_from_the_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    example_copy(&root);
    // The plans committed before the first meeting, then NI 63 retitled
    // since: every pack that compares with an earlier meeting compares with
    // the first commit.
    let commit = |date: &str, args: &[&str]| {
        let o = git_command(&root, "T", date).args(args).output().unwrap();
        assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    };
    commit("2008-01-01T10:00:00Z", &["init", "-q", "-b", "main"]);
    commit("2008-01-01T10:00:00Z", &["add", "-A"]);
    commit("2008-01-01T10:00:00Z", &["commit", "-q", "-m", "plans"]);
    edit(
        &root.join(NI63),
        NI63_TITLE,
        "title: \"LAA target action plan: NI 63 (revised)\"",
    );
    commit("2026-01-01T10:00:00Z", &["commit", "-q", "-am", "retitle"]);
    let out = tmp.path().join("out");
    let cache = Arc::new(LoadCache::new());
    let first = build(&root, &out, Some(&cache));
    // The three plans, their four versions from git, and the three plans of
    // the site at the first commit, read once for every pack that compares
    // with it (and for the second pack's end, the same commit).
    assert_eq!((first.parsed, first.reused), (3 + 4 + 3, 0), "{first:?}");
    let o = git_command(&root, "T", "2026-01-01T10:00:00Z")
        .args(["rev-parse", "--short=12", "HEAD~1"])
        .output()
        .unwrap();
    let short = String::from_utf8(o.stdout).unwrap();
    assert!(
        read(&out, "packs/2008-09-q1/index.html").contains(short.trim()),
        "the pack compares with the first commit"
    );
    // Three more packs of a board of their own, each comparing with the
    // same first commit: the site at it is not read again for them.
    for (n, year) in [(1, 2009), (2, 2010), (3, 2011)] {
        fs::write(
            root.join(format!("content/packs/extra-{n}.yaml")),
            format!(
                "title: Extra\nboard: Extra board\nmeeting_date: {year}-05-01\nperiod: {}/{:02} Q4\nplans: [laa-ni63]\n",
                year - 1,
                year % 100
            ),
        )
        .unwrap();
    }
    let again = build(&root, &out, Some(&cache));
    assert_eq!(again.parsed, 0, "{again:?}");
    assert_eq!(
        again.parsed + again.reused,
        first.parsed + first.reused,
        "as many plans looked up with three more packs: {first:?} then {again:?}"
    );
    same_as_a_full_build(&root, &out);
}
