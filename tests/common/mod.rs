//! Helpers shared by the integration tests: run the binary, make small sites.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (holding the example `content/`).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `boardpack` binary, with its build cache off: a test never writes to
/// the user's cache folder (tests/load_cache.rs turns it on, in a folder of its own).
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_boardpack"));
    c.env("BOARDPACK_CACHE", "off");
    c
}

/// Run `boardpack` with `args`.
pub fn boardpack(args: &[&str]) -> Output {
    command().args(args).output().expect("run boardpack")
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Build the example site into `out`; panics with the diagnostics on failure.
pub fn build_example(out: &Path) {
    let root = repo();
    let o = boardpack(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
}

/// Replace the first `from` in the file at `path` with `to`; `from` must be there.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// `git` in `dir` as `who`, its commits dated `date`, cut off from this
/// machine's settings (no system or global configuration, no `GIT_DIR` from
/// outside), with `main` as the first branch and signing off.
pub fn git_command(dir: &Path, who: &str, date: &str) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(dir)
        .args(["-c", &format!("user.name={who}")])
        .args(["-c", "user.email=author@example.org"])
        .args(["-c", "init.defaultBranch=main"])
        .args(["-c", "commit.gpgsign=false"])
        .args(["-c", "tag.gpgsign=false"])
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    c
}

/// `n` packs of plan `p` in `root`'s `content/packs/`, one a year from 1900/01 Q4.
pub fn yearly_packs(root: &Path, n: usize) {
    fs::create_dir_all(root.join("content/packs")).unwrap();
    for k in 0..n {
        let y = 1900 + k;
        fs::write(
            root.join(format!("content/packs/pack{k:02}.yaml")),
            format!(
                "title: Pack\nboard: Board\nmeeting_date: {}-04-16\nperiod: {y}/{:02} Q4\nplans: [p]\n",
                y + 1,
                (y + 1) % 100
            ),
        )
        .unwrap();
    }
}

/// Read a built file.
pub fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Build the site at `dir` into `dir/out`, which it returns; the build must succeed.
pub fn build_site(dir: &Path) -> PathBuf {
    let out = dir.join("out");
    let o = boardpack(&[
        "build",
        "--root",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel, fs::read(e.path()).unwrap()));
        }
    }
    out
}

/// A minimal valid site in `dir`, with `plan` as its one plan.yaml.
pub fn small_site(dir: &Path, plan: &str) {
    fs::create_dir_all(dir.join("content/plans/p")).unwrap();
    fs::write(
        dir.join("content/site.yaml"),
        "title: Test site\norganisation: Test council\nas_at: 2016-07-01\nkeys:\n  priority:\n    - name: High\n    - name: Medium\n",
    )
    .unwrap();
    fs::write(dir.join("content/plans/p/plan.yaml"), plan).unwrap();
}

/// A plan that exercises most of the model and builds cleanly.
pub const GOOD_PLAN: &str = "id: p
title: Test plan
kind: Action plan
sections:
  - title: Objectives
    include: [objectives]
  - title: Money
    tables: [money]
objectives:
  - ref: '1'
    title: Keep families together
    actions:
      - ref: '1.1'
        description: Do the thing
        leads: [HoS]
        target_date: 2016-03
        revised_date: 2016-09
        priority: High
    indicators:
      - id: t-1a
        ref: 1a
        title: Share of reviews on time
        unit: '%'
        polarity: higher_is_better
        tolerance: 2
        targets: {2016/17: 66}
        actuals: {2016/17 Q1: 64.1}
tables:
  - id: money
    title: Budget
    columns:
      - {key: area}
      - {key: staff, type: number, sum: true}
      - {key: other, type: number, sum: true}
      - {key: total, type: number, sum: true, formula: staff + other}
    rows:
      - [A, 1, 2, ~]
      - [B, 10, 20, 30]
    total:
      label: TOTAL
      stated: {total: 33}
";

/// A copy of the example site's `content/` under `dir` (the theme is built in).
pub fn example_copy(dir: &Path) {
    for e in walkdir::WalkDir::new(repo().join("content")) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(repo()).unwrap();
        if e.file_type().is_dir() {
            fs::create_dir_all(dir.join(rel)).unwrap();
        } else {
            fs::copy(e.path(), dir.join(rel)).unwrap();
        }
    }
}

/// The diagnostics in what `check` or `build` printed, each with its quoted
/// line, caret and hint, sorted; the lines around them that differ between
/// the two commands (counts, progress, "build failed") left out. An error a
/// build returns that is no diagnostic (`error: template …`) counts as one,
/// since `check` reports it as a diagnostic on `content/site.yaml`.
pub fn diagnostics_in(stderr: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in stderr.lines() {
        let counts = line.starts_with(|c: char| c.is_ascii_digit())
            && !line.contains(" | ")
            && line.contains(" error")
            && (line.ends_with(" warnings") || line.ends_with(" warning"));
        let trailer = line == "error: the content has errors"
            || line.starts_with("build failed: ")
            || line.starts_with("[")
            || line.starts_with("built ");
        if counts || trailer {
            continue;
        }
        let starts = line.starts_with("error: ") || line.starts_with("warning: ");
        match out.last_mut() {
            Some(last) if !starts => {
                last.push('\n');
                last.push_str(line);
            }
            _ => out.push(line.to_string()),
        }
    }
    for d in &mut out {
        // `check` reports an error a build returns (a template's) at the site file.
        if let Some(rest) = d.strip_prefix("error: content/site.yaml: ") {
            *d = format!("error: {rest}");
        }
    }
    out.sort();
    out
}
