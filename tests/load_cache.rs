//! The load cache `serve` keeps between rebuilds: an unchanged plan is not
//! parsed again, and what a cached rebuild writes is byte for byte what a
//! build from nothing writes.

mod common;

use std::fs;
use std::path::Path;
use std::sync::Arc;

use boardpack::diagnostics::Diagnostics;
use boardpack::load::cache::{CacheCounts, LoadCache};
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
    let root = tmp.path().join("site");
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
    let root = tmp.path().join("site");
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
    let out = tmp.path().join("out");
    let cache = Arc::new(LoadCache::new());

    let first = build(&root, &out, Some(&cache));
    // Three plans, and the versions their commits made: NI 63 twice, the others once.
    assert_eq!((first.parsed, first.reused), (3 + 4, 0), "{first:?}");
    let again = build(&root, &out, Some(&cache));
    assert_eq!((again.parsed, again.reused), (0, 3 + 4), "{again:?}");
    same_as_a_full_build(&root, &out);
}
