//! Board packs: structure, period filtering, exceptions and changes, in the built HTML.

mod common;

use common::*;

fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let rest = &html[start..];
    // Parts are siblings: stop at the next part.
    let end = rest[1..]
        .match_indices("<section id=\"")
        .map(|(i, _)| i + 1)
        .find(|i| {
            rest[*i..]
                .split('>')
                .next()
                .is_some_and(|tag| tag.contains("class=\"part"))
        })
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn packs_have_cover_contents_and_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_example(&out);
    let q1 = read(&out, "packs/2008-09-q1/index.html");
    for needle in [
        "Children in Care Board (illustrative)",
        "<dt>Meeting</dt><dd>16 Jul 2008</dd>",
        "<dt>Period</dt><dd>2008/09 Q1 (Apr–Jun 2008)</dd>",
        "<dt>Marking</dt><dd>OFFICIAL</dd>",
        "<div class=\"watermark\" aria-hidden=\"true\">DRAFT</div>",
        "content: \"Quarterly performance pack – OFFICIAL\"",
        "<h2>Contents</h2>",
        "<section id=\"summary\"",
        "<section id=\"exceptions\"",
        "<section id=\"changes\"",
        "<section id=\"this-period\"",
        "<section id=\"appendices\"",
        "<section id=\"definitions\"",
    ] {
        assert!(q1.contains(needle), "missing {needle}");
    }
    // Stable URLs by period, listed newest first on the index.
    let index = read(&out, "index.html");
    let a = index.find("packs/2015-16-q4/index.html").unwrap();
    let b = index.find("packs/2008-09-q1/index.html").unwrap();
    let c = index.find("packs/2007-08-q4/index.html").unwrap();
    assert!(a < b && b < c, "packs newest first");
}

#[test]
fn later_figures_never_leak_into_an_earlier_pack() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_example(&out);
    let q4 = read(&out, "packs/2007-08-q4/index.html");
    let q1 = read(&out, "packs/2008-09-q1/index.html");
    let q4_period = section(&q4, "this-period");
    let q1_period = section(&q1, "this-period");
    assert!(
        !q4_period.contains("67.5%"),
        "2008/09 Q1 figure leaked into the 2007/08 Q4 pack"
    );
    assert!(
        !q4_period.contains("small-scale placement stability project"),
        "Q1 progress leaked"
    );
    assert!(q1_period.contains("<td class=\"num\" data-label=\"2008/09 in year Q1\">67.5%</td>"));
    // Targets are plans, not figures: later years' targets are shown in every pack.
    assert!(
        q4_period.contains("<td class=\"num target\" data-label=\"Target 2009/10\">67%</td>"),
        "2009/10 target shown"
    );
    assert!(q1_period.contains("small-scale placement stability project"));
}

#[test]
fn changes_since_the_previous_pack() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_example(&out);
    let q4 = read(&out, "packs/2007-08-q4/index.html");
    assert!(section(&q4, "changes").contains("This is the first pack"));
    let q1 = read(&out, "packs/2008-09-q1/index.html");
    let changes = section(&q1, "changes");
    assert!(changes.contains("href=\"../2007-08-q4/index.html\">2007/08 Q4</a>"));
    assert!(changes.contains("<td data-label=\"Change\">New actual</td>"));
    assert!(changes.contains("<td data-label=\"Detail\">67.5% for 2008/09 Q1</td>"));
    assert!(
        changes.contains("<td data-label=\"Change\">RAG changed</td>")
            && changes.contains("Not rated → Green")
    );
    assert!(changes.contains("<td data-label=\"Change\">New progress</td>"));
    // The other board's packs are a separate series.
    let lac_q4 = read(&out, "packs/2015-16-q4/index.html");
    assert!(section(&lac_q4, "changes").contains("href=\"../2015-16-q3/index.html\""));
}

#[test]
fn exceptions_list_red_amber_overdue_and_slipped() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_example(&out);
    let lac = read(&out, "packs/2015-16-q4/index.html");
    let ex = section(&lac, "exceptions");
    assert!(
        ex.contains("rag-red") && ex.contains("1.1 A higher proportion of children"),
        "Red action listed"
    );
    assert!(ex.contains("T. Jefford"), "lead shown");
    assert!(
        ex.contains("LL/ CS to meet 15.2.16"),
        "latest commentary shown"
    );
    // Green actions that are not overdue are not exceptions.
    assert!(!ex.contains("3.1 Analysis of patterns"), "{ex}");

    // A small plan: a slipped action and a Red indicator are both exceptions.
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), GOOD_PLAN);
    std::fs::create_dir_all(tmp.path().join("content/packs")).unwrap();
    std::fs::write(
        tmp.path().join("content/packs/q1.yaml"),
        "title: Pack\nboard: Board\nmeeting_date: 2016-07-20\nperiod: 2016/17 Q1\nplans: [p]\n",
    )
    .unwrap();
    let o = boardpack(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = read(&tmp.path().join("output"), "packs/2016-17-q1/index.html");
    let ex = section(&html, "exceptions");
    assert!(
        ex.contains("Slipped: target Mar 2016, revised to Sep 2016"),
        "{ex}"
    );
    assert!(
        ex.contains("Amber: 64.1% is 1.9 points below the 66% target"),
        "{ex}"
    );
}

#[test]
fn a_pack_naming_an_unknown_plan_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), GOOD_PLAN);
    std::fs::create_dir_all(tmp.path().join("content/packs")).unwrap();
    std::fs::write(
        tmp.path().join("content/packs/q1.yaml"),
        "title: Pack\nboard: Board\nmeeting_date: 2016-07-20\nperiod: 2016/17 Q1\nplans: [q]\n",
    )
    .unwrap();
    let o = boardpack(&["check", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("content/packs/q1.yaml:5:9: unknown plan `q`"),
        "{}",
        stderr(&o)
    );
}
