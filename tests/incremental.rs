//! Incremental builds: a plan whose inputs did not change keeps its previous
//! pages (hard-linked into the new output), everything else is rendered, and
//! the result is byte for byte what a full build makes.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::*;

fn build(root: &Path, out: &Path) -> String {
    let o = boardpack(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    stderr(&o)
}

/// Every file's inode (same inode after a rebuild: the file was kept, not rewritten).
fn inodes(out: &Path) -> BTreeMap<String, u64> {
    tree(out)
        .into_iter()
        .map(|(rel, _)| {
            let ino = fs::metadata(out.join(&rel)).unwrap().ino();
            (rel, ino)
        })
        .collect()
}

/// The output files of one plan, from the manifest.
fn plan_files(out: &Path, id: &str) -> Vec<String> {
    let m: serde_json::Value =
        serde_json::from_str(&read(out, ".boardpack-manifest.json")).unwrap();
    m["plans"][id]["files"]
        .as_array()
        .unwrap_or_else(|| panic!("{id} not in the manifest"))
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

const EDITED: &str = "content/plans/laa-ni63/plan.yaml";

#[test]
fn an_incremental_build_is_byte_identical_to_a_full_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    example_copy(&root);
    let out = tmp.path().join("out");
    build(&root, &out);
    edit(
        &root.join(EDITED),
        "title: \"LAA target action plan: NI 63\"",
        "title: \"LAA target action plan: NI 63 (revised)\"",
    );
    build(&root, &out);
    let full = tmp.path().join("full");
    build(&root, &full);
    let (a, b) = (tree(&out), tree(&full));
    assert_eq!(
        a.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        b.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        "same files"
    );
    for ((p, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{p} differs between the incremental and the full build"
        );
    }
    assert!(read(&out, "index.html").contains("NI 63 (revised)"));
}

#[test]
fn editing_one_plan_rewrites_only_its_pages_and_the_site_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    example_copy(&root);
    let out = tmp.path().join("out");
    build(&root, &out);
    let before = inodes(&out);
    let edited: Vec<String> = plan_files(&out, "laa-ni63");
    let others: Vec<String> = ["child-care-sip-2007", "lac-action-plan-2015"]
        .iter()
        .flat_map(|id| plan_files(&out, id))
        .collect();
    assert!(
        edited.len() >= 2 && others.len() >= 10,
        "{edited:?} {others:?}"
    );

    edit(
        &root.join(EDITED),
        "title: \"LAA target action plan: NI 63\"",
        "title: \"LAA target action plan: NI 63 (revised)\"",
    );
    build(&root, &out);
    let after = inodes(&out);
    for f in &others {
        assert_eq!(
            before[f], after[f],
            "{f} was rewritten though its plan did not change"
        );
    }
    for f in &edited {
        assert_ne!(before[f], after[f], "{f} was kept though its plan changed");
    }
    for f in [
        "index.html",
        "indicators/index.html",
        "quality.html",
        "quality/lac-action-plan-2015.html",
    ] {
        assert_ne!(before[f], after[f], "site page {f} was kept");
    }
    assert!(read(&out, "plans/laa-ni63.html").contains("NI 63 (revised)"));

    // site.yaml reaches every page: after editing it nothing is kept.
    edit(
        &root.join("content/site.yaml"),
        "title: ",
        "title: Renamed ",
    );
    build(&root, &out);
    let last = inodes(&out);
    for f in others.iter().chain(&edited) {
        assert_ne!(after[f], last[f], "{f} was kept though site.yaml changed");
    }
}

#[test]
fn a_site_template_override_invalidates_every_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    example_copy(&root);
    let out = tmp.path().join("out");
    build(&root, &out);
    let page = "plans/laa-ni63.html";
    let before = inodes(&out)[page];
    fs::create_dir_all(root.join("templates")).unwrap();
    let base = fs::read_to_string(repo().join("themes/default/templates/base.html")).unwrap();
    fs::write(
        root.join("templates/base.html"),
        base.replacen("<body", "<!-- overridden --><body", 1),
    )
    .unwrap();
    build(&root, &out);
    assert_ne!(before, inodes(&out)[page]);
    assert!(read(&out, page).contains("<!-- overridden -->"));
}

#[test]
fn check_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    example_copy(&root);
    let before = tree(tmp.path());
    let o = boardpack(&["check", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(tree(tmp.path()), before, "check changed the folder");
    assert!(!root.join("output").exists());
}

/// `check` templates each kind of page once (it keeps no page), so a broken
/// site template still fails it.
#[test]
fn check_still_runs_every_template() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    example_copy(&root);
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/appendix.html"),
        "{{ page.no_such_field.deeper }}",
    )
    .unwrap();
    let o = boardpack(&["check", "--root", root.to_str().unwrap()]);
    assert!(!o.status.success(), "check passed a broken template");
    assert!(stderr(&o).contains("appendix.html"), "{}", stderr(&o));
    assert!(!root.join("output").exists());
}

#[test]
fn a_file_read_from_outside_content_is_an_input_too() {
    // A narrative kept in the site's own folder, outside content/ (no plan's
    // folder holds it): a change to it rebuilds the page that shows it.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let plan = GOOD_PLAN.replace(
        "sections:\n",
        "sections:\n  - title: Introduction\n    body_file: ../../../shared/intro.md\n",
    );
    small_site(&root, &plan);
    fs::create_dir_all(root.join("shared")).unwrap();
    fs::write(root.join("shared/intro.md"), "First introduction.\n").unwrap();
    let out = tmp.path().join("out");
    build(&root, &out);
    assert!(read(&out, "plans/p.html").contains("First introduction."));
    fs::write(root.join("shared/intro.md"), "Second introduction.\n").unwrap();
    build(&root, &out);
    assert!(read(&out, "plans/p.html").contains("Second introduction."));
    let full = tmp.path().join("full");
    build(&root, &full);
    assert_eq!(tree(&out), tree(&full), "the same as a full build");
}
