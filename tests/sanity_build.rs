//! What the sanity checks change in built pages: branding colours reach the
//! stylesheet only in their checked form, and sections whose titles make the
//! same anchor still get an anchor each.

mod common;

use std::fs;

use common::{boardpack, stderr};

fn build(site: &str, plan: &str) -> (tempfile::TempDir, std::process::Output) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    fs::create_dir_all(content.join("plans/p")).unwrap();
    fs::write(content.join("site.yaml"), site).unwrap();
    fs::write(content.join("plans/p/plan.yaml"), plan).unwrap();
    let root = tmp.path().to_str().unwrap().to_string();
    let out = tmp.path().join("out");
    let o = boardpack(&["build", "--root", &root, "--out", out.to_str().unwrap()]);
    (tmp, o)
}

const PLAN: &str = "id: p\ntitle: P\nkind: Action plan\n";

/// A colour is written into `<style>` as parsed (`#rrggbb` lower case, or a
/// lower-case name), never as the author's raw text.
#[test]
fn branding_colours_reach_the_page_in_checked_form() {
    let site = "title: T\norganisation: O\nbranding:\n  primary_colour: \" #1D4F91 \"\n  accent_colour: Navy\n";
    let (tmp, o) = build(site, PLAN);
    assert!(o.status.success(), "{}", stderr(&o));
    let index = fs::read_to_string(tmp.path().join("out/index.html")).unwrap();
    assert!(
        index.contains("<style>:root { --brand: #1d4f91; --accent: navy; }</style>"),
        "{}",
        index
            .lines()
            .find(|l| l.contains("--brand"))
            .unwrap_or("no --brand")
    );
}

/// `expression(…)` in a colour stops the build with a located error and writes nothing.
#[test]
fn a_colour_that_is_not_a_colour_stops_the_build() {
    let site = "title: T\norganisation: O\nbranding:\n  primary_colour: \"red;} body{background:url(x)\"\n";
    let (tmp, o) = build(site, PLAN);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error: content/site.yaml:4:19: branding.primary_colour:"),
        "{}",
        stderr(&o)
    );
    assert!(!tmp.path().join("out").exists());
}

/// Two sections with the same title (and no `id:`) get `s-same` and `s-same-2`,
/// and the contents links to each.
#[test]
fn sections_with_the_same_title_get_an_anchor_each() {
    let plan = format!(
        "{PLAN}sections:\n  - title: Same\n    body: one\n  - title: Same\n    body: two\n  - title: Same 2\n"
    );
    let (tmp, o) = build("title: T\norganisation: O\n", &plan);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = fs::read_to_string(tmp.path().join("out/plans/p.html")).unwrap();
    for id in ["s-same", "s-same-3", "s-same-2"] {
        assert_eq!(
            page.matches(&format!("<section id=\"{id}\"")).count(),
            1,
            "{id}"
        );
        assert!(page.contains(&format!("href=\"#{id}\"")), "no link to {id}");
    }
}
