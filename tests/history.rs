//! Plans in git: provenance, moved dates, changes since the last meeting, `diff`.
//!
//! Each test makes its own repository in a temporary folder with the git
//! executable, with fixed names and dates, so commit ids are the same on
//! every machine.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{read, stderr, tree};

const SITE: &str = "title: Test site\norganisation: Test council\n";

const PLAN_V1: &str = "id: p
title: Test plan
kind: Action plan
sections:
  - title: Actions
    include: [actions, indicators]
indicators:
  - id: up
    title: Share of reviews on time
    unit: '%'
    polarity: higher_is_better
    targets: {2016/17: 68}
  - id: down
    title: Share of re-registrations
    unit: '%'
    polarity: lower_is_better
    targets: {2016/17: 30}
  - id: old-measure
    title: An old measure
actions:
  - ref: '1'
    description: Reduce the number of children in care by ten per cent
    leads: [Ann Lead]
    target_date: 2016-03
  - ref: '2'
    description: Work that will be dropped
    leads: [Ann Lead]
";

const PACK_Q3: &str =
    "title: Pack\nboard: The board\nmeeting_date: 2016-01-20\nperiod: 2015/16 Q3\nplans: [p]\n";
const PACK_Q4: &str =
    "title: Pack\nboard: The board\nmeeting_date: 2016-04-20\nperiod: 2015/16 Q4\nplans: [p]\n";

/// Run git in `dir` as `who`, at `date`.
fn git(dir: &Path, who: &str, date: &str, args: &[&str]) {
    let o = common::git_command(dir, who, date)
        .args(args)
        .output()
        .expect("run git");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

fn commit(dir: &Path, who: &str, date: &str, message: &str) {
    git(dir, who, date, &["add", "-A"]);
    git(dir, who, date, &["commit", "-q", "-m", message]);
}

/// The id of `rev` in `dir`.
fn rev(dir: &Path, rev: &str) -> String {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", rev])
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// A repository with three commits by three people:
/// 1. Ann, before the Q3 meeting: the plan as the board saw it;
/// 2. Bob, after it: action 1's date moved (Mar → May 2016), `up`'s target lowered;
/// 3. Cat: action 1's date moved again (→ Jul 2016), `down`'s target lowered, lead
///    changed, description reworded, RAG stated, action 2 and `old-measure` removed,
///    action 3 added.
fn history_site(dir: &Path) {
    history_site_in(dir, dir, "p");
}

/// [`history_site`] with the site in `site` (the repository's top or a folder
/// inside it, `top`) and the plan in `content/plans/<folder>`.
fn history_site_in(top: &Path, dir: &Path, folder: &str) {
    let plan_file = format!("content/plans/{folder}/plan.yaml");
    write(dir, "content/site.yaml", SITE);
    write(dir, "content/packs/q3.yaml", PACK_Q3);
    write(dir, "content/packs/q4.yaml", PACK_Q4);
    write(dir, &plan_file, PLAN_V1);
    git(top, "Ann Author", "2016-01-10T10:00:00Z", &["init", "-q"]);
    commit(
        dir,
        "Ann Author",
        "2016-01-10T10:00:00Z",
        "The plan as agreed",
    );
    let v2 = PLAN_V1
        .replace("target_date: 2016-03", "target_date: 2016-05")
        .replace("{2016/17: 68}", "{2016/17: 66}");
    write(dir, &plan_file, &v2);
    commit(
        dir,
        "Bob Builder",
        "2016-02-01T10:00:00Z",
        "Move action 1, lower the reviews target",
    );
    let v3 = v2
        .replace(
            "target_date: 2016-05",
            "target_date: 2016-07\n    rag: green",
        )
        .replace("{2016/17: 30}", "{2016/17: 28}")
        .replace(
            "Reduce the number of children in care by ten per cent\n    leads: [Ann Lead]",
            "Aim to reduce the number of children in care\n    leads: [Dan Lead]",
        )
        .replace(
            "  - ref: '2'\n    description: Work that will be dropped\n    leads: [Ann Lead]\n",
            "  - ref: '3'\n    description: New work\n    leads: [Dan Lead]\n",
        )
        .replace("  - id: old-measure\n    title: An old measure\n", "");
    write(dir, &plan_file, &v3);
    commit(
        dir,
        "Cat Checker",
        "2016-02-15T10:00:00Z",
        "Soften action 1, new leads",
    );
}

fn boardpack_in(args: &[&str]) -> Output {
    common::command()
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("run boardpack")
}

fn build(root: &Path, out: &Path) -> String {
    let o = boardpack_in(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    stderr(&o)
}

/// The rows of the "Changes to the plans" part, one string per row.
fn plan_change_rows(html: &str) -> Vec<String> {
    let part = html
        .split("<section id=\"plan-changes\"")
        .nth(1)
        .expect("the pack has a plan-changes part")
        .split("</section>")
        .next()
        .unwrap();
    part.split("<tr>").skip(2).map(String::from).collect()
}

fn row_with<'a>(rows: &'a [String], needle: &str) -> &'a str {
    rows.iter()
        .find(|r| r.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?} in {rows:#?}"))
}

#[test]
fn each_change_is_reported_with_its_commit_and_author() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out) = (tmp.path().join("site"), tmp.path().join("out"));
    history_site(&site);
    build(&site, &out);
    let (bob, cat) = (&rev(&site, "HEAD~1")[..12], &rev(&site, "HEAD")[..12]);
    let pack = read(&out, "packs/2015-16-q4/index.html");
    assert!(pack.contains("Changes to the plans since the last meeting"));
    let rows = plan_change_rows(&pack);
    let date = row_with(&rows, "target date moved later from Mar 2016 to Jul 2016");
    assert!(
        date.contains(&format!("{cat} by Cat Checker, 15 Feb 2016")),
        "{date}"
    );
    assert!(
        date.contains("Moved twice in all, from Mar 2016 and May 2016."),
        "{date}"
    );
    let up = row_with(
        &rows,
        "target for 2016/17 lowered from 68% to 66% (less demanding)",
    );
    assert!(
        up.contains(&format!("{bob} by Bob Builder, 1 Feb 2016")),
        "{up}"
    );
    let down = row_with(
        &rows,
        "target for 2016/17 lowered from 30% to 28% (more demanding)",
    );
    assert!(down.contains("Cat Checker"), "{down}");
    let lead = row_with(&rows, "lead changed from Ann Lead to Dan Lead");
    assert!(lead.contains("Cat Checker"), "{lead}");
    let words = row_with(&rows, "description reworded");
    let hidden = |w: &str| {
        w.replace("<span class=\"sr\">deleted: </span>", "")
            .replace("<span class=\"sr\">inserted: </span>", "")
    };
    assert!(
        hidden(words).contains("<del>Reduce</del> <ins>Aim to reduce</ins> the number of children in care <del>by ten per cent</del>"),
        "{words}"
    );
    assert!(
        words.contains("<del><span class=\"sr\">deleted: </span>Reduce</del>"),
        "{words}"
    );
    assert!(words.contains("Cat Checker"), "{words}");
    for (kind, item) in [
        ("Action removed", "Action 2 Work that will be dropped"),
        ("Action added", "Action 3 New work"),
        ("Indicator removed", "Indicator An old measure"),
        ("RAG stated", "Action 1 Aim to reduce"),
    ] {
        let r = row_with(&rows, kind);
        assert!(r.contains(item) && r.contains(cat), "{kind}: {r}");
    }
    assert!(!rows.iter().any(|r| r.contains("Ann Author")), "{rows:#?}");
    // The comparison starts at Ann's commit, the last on or before the Q3 meeting.
    assert!(pack.contains(&format!(
        "commit {} (10 Jan 2016): the last commit on or before the previous meeting (20 Jan 2016)",
        &rev(&site, "HEAD~2")[..12]
    )));
}

#[test]
fn a_site_in_a_folder_of_the_repository_with_spaces_in_paths_works_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().join("repo");
    let site = top.join("our sites/children");
    history_site_in(&top, &site, "p two");
    let out = tmp.path().join("out");
    build(&site, &out);
    let rows = plan_change_rows(&read(&out, "packs/2015-16-q4/index.html"));
    let date = row_with(&rows, "target date moved later from Mar 2016 to Jul 2016");
    assert!(
        date.contains("Cat Checker") && date.contains("Moved twice in all"),
        "{date}"
    );
    row_with(&rows, "lowered from 68% to 66% (less demanding)");
    assert!(read(&out, "plans/p.html").contains("by Cat Checker on 15 Feb 2016"));
}

#[test]
fn a_lowered_target_is_called_lowered_under_both_polarities() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out) = (tmp.path().join("site"), tmp.path().join("out"));
    history_site(&site);
    build(&site, &out);
    let pack = read(&out, "packs/2015-16-q4/index.html");
    // `up` is higher-is-better, `down` lower-is-better: both fell, both are "lowered".
    assert!(pack.contains("Share of reviews on time"));
    assert!(pack.contains("lowered from 68% to 66% (less demanding)"));
    assert!(pack.contains("lowered from 30% to 28% (more demanding)"));
    assert!(!pack.contains("raised from"));
}

#[test]
fn action_rows_show_how_often_their_date_moved() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out) = (tmp.path().join("site"), tmp.path().join("out"));
    history_site(&site);
    build(&site, &out);
    let plan = read(&out, "plans/p.html");
    assert!(
        plan.contains(
            "<p class=\"moved\">Date moved twice, from Mar 2016 and May 2016 (from git history)</p>"
        ),
        "{plan}"
    );
    // Provenance: the revision, and who last changed the plan.
    let head = &rev(&site, "HEAD")[..12];
    assert!(plan.contains(&format!("commit <code>{head}</code> of 15 Feb 2016</dd>")));
    assert!(plan.contains("by Cat Checker on 15 Feb 2016"));
    let ind = read(&out, "indicators/up.html");
    assert!(ind.contains(&format!("commit <code>{head}</code>")));
}

#[test]
fn a_tagged_revision_builds_byte_identical_and_carries_it() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    history_site(&site);
    git(
        &site,
        "Cat Checker",
        "2016-02-16T10:00:00Z",
        &["tag", "board-2016-q4"],
    );
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&site, &a);
    build(&site, &b);
    assert!(
        tree(&a) == tree(&b),
        "two builds of the tagged commit differ"
    );
    let tagged = &rev(&site, "board-2016-q4^{commit}")[..12];
    let pack = read(&a, "packs/2015-16-q4/index.html");
    assert!(
        pack.contains(&format!(
            "<dt>Source revision</dt><dd>commit <code>{tagged}</code> of 15 Feb 2016</dd>"
        )),
        "{pack}"
    );
    assert!(!pack.contains("uncommitted"));
}

#[test]
fn previous_names_the_revision_the_board_saw() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out) = (tmp.path().join("site"), tmp.path().join("out"));
    history_site(&site);
    // The board saw Bob's version: only Cat's changes are new to it.
    git(
        &site,
        "Bob Builder",
        "2016-02-01T10:00:00Z",
        &["tag", "seen", "HEAD~1"],
    );
    write(
        &site,
        "content/packs/q4.yaml",
        &format!("{PACK_Q4}previous: seen\n"),
    );
    build(&site, &out);
    let pack = read(&out, "packs/2015-16-q4/index.html");
    assert!(
        pack.contains("named in the pack (`previous: seen`)"),
        "{pack}"
    );
    let rows = plan_change_rows(&pack);
    assert!(rows.iter().all(|r| !r.contains("Bob Builder")), "{rows:#?}");
    row_with(&rows, "target date moved later from May 2016 to Jul 2016");
    // The uncommitted pack file makes the revision dirty.
    assert!(pack.contains(", with uncommitted changes</dd>"));
}

#[test]
fn a_previous_revision_that_is_not_there_is_a_located_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out) = (tmp.path().join("site"), tmp.path().join("out"));
    history_site(&site);
    for (value, message) in [
        (
            "no-such-tag",
            "`no-such-tag` is not a tag, branch or commit in this repository",
        ),
        ("--output=/tmp/x", "`--output=/tmp/x` starts with `-`"),
    ] {
        write(
            &site,
            "content/packs/q4.yaml",
            &format!("{PACK_Q4}previous: \"{value}\"\n"),
        );
        let o = boardpack_in(&[
            "build",
            "--root",
            site.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!("content/packs/q4.yaml:6:11: {message}")),
            "{err}"
        );
        assert!(
            err.contains("hint: give the tag, branch or commit the board last saw"),
            "{err}"
        );
        assert!(!out.exists());
    }
}

#[test]
fn uncommitted_changes_are_shown_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out) = (tmp.path().join("site"), tmp.path().join("out"));
    history_site(&site);
    let plan = fs::read_to_string(site.join("content/plans/p/plan.yaml")).unwrap();
    write(
        &site,
        "content/plans/p/plan.yaml",
        &plan.replace("[Dan Lead]\n    target_date", "[Eve Lead]\n    target_date"),
    );
    build(&site, &out);
    let page = read(&out, "plans/p.html");
    assert!(page.contains(", with uncommitted changes</dd>"), "{page}");
    assert!(page.contains("this plan has uncommitted changes"));
    let rows = plan_change_rows(&read(&out, "packs/2015-16-q4/index.html"));
    let lead = row_with(&rows, "lead changed from Ann Lead to Eve Lead");
    assert!(lead.contains("uncommitted changes"), "{lead}");
}

#[test]
fn outside_a_repository_the_build_says_nothing_about_git() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write(&site, "content/site.yaml", SITE);
    write(&site, "content/packs/q3.yaml", PACK_Q3);
    write(&site, "content/packs/q4.yaml", PACK_Q4);
    write(&site, "content/plans/p/plan.yaml", PLAN_V1);
    let run = |out: &Path, path: Option<&Path>| {
        let mut c = common::command();
        c.args([
            "build",
            "--root",
            site.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .env("GIT_CEILING_DIRECTORIES", tmp.path())
        .env_remove("GIT_DIR");
        if let Some(p) = path {
            c.env("PATH", p);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stderr(&o).replace(out.to_str().unwrap(), "OUT")
    };
    // Not a repository, then no git at all: the same bytes, the same messages.
    let (plain, no_git) = (tmp.path().join("plain"), tmp.path().join("no-git"));
    let empty = tmp.path().join("empty-path");
    fs::create_dir_all(&empty).unwrap();
    let said = run(&plain, None);
    assert_eq!(said, run(&no_git, Some(&empty)));
    assert!(tree(&plain) == tree(&no_git));
    let all: String = tree(&plain)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect();
    for word in [
        "commit",
        "Source revision",
        "plan-changes",
        "git",
        "Last changed",
    ] {
        assert!(!all.contains(word), "{word} appears outside git");
    }
    assert!(!said.contains("git"), "{said}");
    // The same site in a repository does show its revision.
    git(&site, "Ann Author", "2016-01-10T10:00:00Z", &["init", "-q"]);
    commit(&site, "Ann Author", "2016-01-10T10:00:00Z", "First");
    let in_git = tmp.path().join("in-git");
    run(&in_git, None);
    assert!(read(&in_git, "plans/p.html").contains("Source revision"));
}

#[test]
fn tag_pack_tags_the_commit_a_board_saw() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out) = (tmp.path().join("site"), tmp.path().join("out"));
    history_site(&site);
    let root = site.to_str().unwrap();
    // Uncommitted content: refused, nothing tagged.
    write(
        &site,
        "content/packs/q4.yaml",
        &format!("{PACK_Q4}version: '2'\n"),
    );
    let o = boardpack_in(&["tag-pack", "2015-16-q3", "--root", root]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("content/packs/q4.yaml has uncommitted changes: commit them first"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        rev(&site, "pack/2015-16-q3"),
        "pack/2015-16-q3",
        "no tag was made"
    );
    commit(
        &site,
        "Cat Checker",
        "2016-02-16T10:00:00Z",
        "Pack version 2",
    );
    let o = boardpack_in(&["tag-pack", "2015-16-q3", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("a later pack can name it with `previous: pack/2015-16-q3`"));
    assert_eq!(rev(&site, "pack/2015-16-q3"), rev(&site, "HEAD"));
    let o = boardpack_in(&["tag-pack", "2015-16-q3", "--root", root]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("the tag pack/2015-16-q3 already exists"));
    let o = boardpack_in(&["tag-pack", "2015-16-q9", "--root", root]);
    assert!(stderr(&o).contains("there is no pack `2015-16-q9`: did you mean `2015-16-q3`?"));
    // The next pack names the tag: nothing changed since.
    write(
        &site,
        "content/packs/q4.yaml",
        &format!("{PACK_Q4}previous: pack/2015-16-q3\n"),
    );
    build(&site, &out);
    let pack = read(&out, "packs/2015-16-q4/index.html");
    assert!(
        pack.contains("named in the pack (`previous: pack/2015-16-q3`)"),
        "{pack}"
    );
    assert!(plan_change_rows(&pack).is_empty());
}

fn snapshot(name: &str, got: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("BOARDPACK_BLESS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, got).unwrap();
        return;
    }
    let want = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (record it with BOARDPACK_BLESS=1)", path.display()));
    assert_eq!(
        got, want,
        "{name} differs from its snapshot (re-record with BOARDPACK_BLESS=1)"
    );
}

fn diff_output(format: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    history_site(&site);
    let o = boardpack_in(&[
        "diff",
        "HEAD~2",
        "HEAD",
        "--root",
        site.to_str().unwrap(),
        "--format",
        format,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn diff_text_snapshot() {
    snapshot("diff.txt", &diff_output("text"));
}

#[test]
fn diff_markdown_snapshot() {
    snapshot("diff.md", &diff_output("markdown"));
}

#[test]
fn diff_json_names_commits() {
    let json: serde_json::Value = serde_json::from_str(&diff_output("json")).unwrap();
    let changes = json["changes"].as_array().unwrap();
    assert!(changes.iter().any(|c| c["kind"] == "target_changed"
        && c["commit"]["author"] == "Bob Builder"
        && c["detail"] == "target for 2016/17 lowered from 68% to 66% (less demanding)"));
    let html = diff_output("html");
    assert!(
        html.contains("<span class=\"sr\">deleted: </span>by ten per cent</del>"),
        "{html}"
    );
}

#[test]
fn diff_refuses_options_and_unknown_revisions() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    history_site(&site);
    let o = boardpack_in(&[
        "diff",
        "--root",
        site.to_str().unwrap(),
        "--",
        "--output=x",
        "HEAD",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("starts with `-`"), "{}", stderr(&o));
    let o = boardpack_in(&["diff", "nope", "--root", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("`nope` is not a tag, branch or commit"));
    let plain = tmp.path().join("plain");
    fs::create_dir_all(&plain).unwrap();
    let o = common::command()
        .args(["diff", "HEAD", "--root", plain.to_str().unwrap()])
        .env("GIT_CEILING_DIRECTORIES", tmp.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not in a git repository"));
}

#[test]
fn the_demonstration_history_shows_real_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/demo-history.sh");
    let o = Command::new("bash")
        .arg(&script)
        .arg(&demo)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("out");
    build(&demo, &out);
    let pack = read(&out, "packs/2015-16-q4/index.html");
    assert!(
        pack.contains("Illustrative history"),
        "the pack says its history is illustrative"
    );
    let rows = plan_change_rows(&pack);
    assert!(rows.len() >= 5, "{rows:#?}");
    for kind in ["Date moved", "Lead changed", "Reworded", "Action removed"] {
        let r = row_with(&rows, kind);
        assert!(r.contains("(illustrative)"), "{kind}: {r}");
    }
    let q1 = plan_change_rows(&read(&out, "packs/2008-09-q1/index.html"));
    row_with(&q1, "lowered from 68% to 66% (less demanding)");
}
