//! Progress written without a date or period (as most transcribed plans have
//! it) reaches the pack for the plan's latest period, marked as undated.

mod common;

use std::fs;

use common::*;

const PLAN: &str = r#"id: p
title: Work plan
kind: board work plan
sections:
  - title: Work
    include: [actions]
actions:
  - ref: "1"
    description: Publish the pledge to children in care.
    leads: [Head of Service]
    progress:
      - text: MARK-undated-entry
  - ref: "2"
    description: Run the summer activity programme.
    leads: [Head of Service]
    progress:
      - {period: 2015/16 Q2, text: MARK-dated-q2}
"#;

fn pack(period: &str) -> String {
    format!("title: Pack\nboard: Board\nmeeting_date: 2016-01-20\nperiod: {period}\nplans: [p]\n")
}

/// The pack's "progress this period" part.
fn this_period(html: &str) -> &str {
    let start = html.find("id=\"this-period\"").expect("no progress part");
    let rest = &html[start..];
    &rest[..rest.find("id=\"appendices\"").unwrap_or(rest.len())]
}

#[test]
fn undated_progress_reaches_the_latest_pack_marked_undated() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), PLAN);
    let packs = tmp.path().join("content/packs");
    fs::create_dir_all(&packs).unwrap();
    fs::write(packs.join("q1.yaml"), pack("2015/16 Q1")).unwrap();
    fs::write(packs.join("q3.yaml"), pack("2015/16 Q3")).unwrap();
    let out = build_site(tmp.path());

    // Q3: nothing in the plan is dated after Q3, so the undated entry is current.
    let q3 = read(&out, "packs/2015-16-q3/index.html");
    let part = this_period(&q3);
    assert!(part.contains("MARK-undated-entry"), "{part}");
    assert!(
        part.contains(">Undated<"),
        "the pack says the entry is undated"
    );
    assert!(!part.contains("No progress entries for this period"));

    // Q1: the plan has a Q2 entry, written after Q1, so an undated entry may be
    // later than Q1 too: it is not shown as Q1's progress.
    let q1 = read(&out, "packs/2015-16-q1/index.html");
    let part = this_period(&q1);
    assert!(!part.contains("MARK-undated-entry"), "{part}");
    assert!(part.contains("No progress entries for this period"));
}
