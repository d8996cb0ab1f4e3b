//! The author's columns and headings (`columns:` and `labels:`) on the plan
//! page, the landscape appendix, the pack (what is printed) and its PDF.

mod common;

use std::fs;
use std::path::Path;

use common::*;

const SITE: &str =
    "title: T\norganisation: O\nas_at: 2025-03-31\ncalendar: {year_start_month: 4}\n";

/// The progress-appendix shape: Objective | Actions | Timescale / Lead | Progress | Revised timescale.
const PLAN: &str = r#"id: p
title: Progress
kind: action plan
labels:
  lead: Lead officer
columns:
  actions:
    - objective
    - {field: description, label: Actions}
    - {field: [timescale, leads], label: Timescale / Lead}
    - progress
    - {field: revised_date, label: Revised timescale}
    - ref
    - {field: deliverables, always: true}
    - priority
sections:
  - title: Work
    include: [objectives]
objectives:
  - ref: "1"
    title: Fewer children come into care
    actions:
      - description: Set up an edge-of-care team.
        leads: [Head of Early Help]
        target_date: 2024-04
        timescale: on going
        progress:
          - {period: 2024/25 Q3, text: Team in post., rag: green}
      - description: Recruit foster carers.
        leads: [Fostering Manager]
        target_date: 2025-01
        revised_date: 2025-06
        progress:
          - {period: 2024/25 Q3, text: Twelve approved., rag: amber}
appendix:
  title: Appendix 1
"#;

const PACK: &str =
    "title: Pack\nboard: Board\nmeeting_date: 2025-01-20\nperiod: 2024/25 Q3\nplans: [p]\n";

fn site(dir: &Path, site_extra: &str, plan: &str) {
    fs::create_dir_all(dir.join("content/plans/p")).unwrap();
    fs::create_dir_all(dir.join("content/packs")).unwrap();
    fs::write(dir.join("content/site.yaml"), format!("{SITE}{site_extra}")).unwrap();
    fs::write(dir.join("content/plans/p/plan.yaml"), plan).unwrap();
    fs::write(dir.join("content/packs/q3.yaml"), PACK).unwrap();
}

/// The column headings of every table of actions with the author's columns.
fn headings(html: &str) -> Vec<Vec<String>> {
    html.split("<table class=\"actions columns")
        .skip(1)
        .map(|t| {
            let head = &t[..t.find("</thead>").unwrap()];
            head.split("<th scope=\"col\"")
                .skip(1)
                .map(|h| {
                    let h = &h[h.find('>').unwrap() + 1..];
                    h[..h.find("</th>").unwrap()].to_string()
                })
                .collect()
        })
        .collect()
}

/// Every cell's `data-label` is one of its table's headings, in order.
fn labels_match_headings(html: &str) {
    for t in html.split("<table class=\"actions columns").skip(1) {
        let t = &t[..t.find("</table>").unwrap()];
        let heads = headings(&format!("<table class=\"actions columns{t}"))
            .pop()
            .unwrap();
        for row in t.split("<tr id=").skip(1) {
            let labels: Vec<&str> = row
                .split("<td data-label=\"")
                .skip(1)
                .map(|c| &c[..c.find('"').unwrap()])
                .collect();
            assert_eq!(labels, heads, "cells' data-label differ from the headings");
        }
    }
}

const SHAPE: [&str; 6] = [
    "Objective",
    "Actions",
    "Timescale / Lead officer",
    "Progress",
    "Revised timescale",
    "Deliverables",
];

#[test]
fn the_authors_columns_and_headings_on_plan_appendix_and_pack() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = PLAN.replace("label: Timescale / Lead}", "}");
    site(tmp.path(), "", &plan);
    let out = build_site(tmp.path());
    let page = read(&out, "plans/p.html");
    let appendix = read(&out, "plans/p-appendix.html");
    let pack = read(&out, "packs/2024-25-q3/index.html");
    for (name, html) in [("plan", &page), ("appendix", &appendix), ("pack", &pack)] {
        let h = headings(html);
        assert!(!h.is_empty(), "{name}: no table with the author's columns");
        // The pack's table of this period's progress and its landscape appendix alike.
        for t in &h {
            assert_eq!(t, &SHAPE, "{name}");
        }
        labels_match_headings(html);
        // None of the fixed template's headings.
        assert!(!html.contains("Workstream / activity"), "{name}");
        assert!(!html.contains("Required (deliverables)"), "{name}");
    }
    // Timescale words beside the date, and the lead under them, in one cell.
    assert!(page.contains("Apr 2024, on going"), "{page}");
    // A date followed by "on going" is when the work began: not overdue.
    assert!(!page.contains("Overdue: due Apr 2024"));
    // The pack's progress this period lists actions from every objective: each
    // row still names its objective (two rows there, two in the full plan among
    // the appendices, two in the landscape appendix).
    assert_eq!(
        pack.matches("<strong>1</strong> Fewer children come into care")
            .count(),
        6,
        "{pack}"
    );
    // The objective column replaces the heading rows in the appendix.
    assert!(!appendix.contains("class=\"group\""));
}

#[test]
fn columns_empty_on_every_row_are_dropped_unless_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path(), "", PLAN);
    let out = build_site(tmp.path());
    let page = read(&out, "plans/p.html");
    let h = headings(&page);
    // No action has a ref or a priority: those columns go; `always: true` keeps Deliverables.
    assert!(
        h.iter()
            .all(|t| !t.iter().any(|c| c == "Ref" || c == "Priority"))
    );
    assert!(h.iter().all(|t| t.iter().any(|c| c == "Deliverables")));
    // One action has a revised date: the column stays for every table of the plan.
    assert!(h.iter().all(|t| t.iter().any(|c| c == "Revised timescale")));

    // And a plan without `columns:` keeps the usual table.
    let tmp = tempfile::tempdir().unwrap();
    let (start, end) = (
        PLAN.find("columns:\n").unwrap(),
        PLAN.find("sections:").unwrap(),
    );
    let plain = format!("{}{}", &PLAN[..start], &PLAN[end..]);
    site(tmp.path(), "", &plain);
    let out = build_site(tmp.path());
    assert!(headings(&read(&out, "plans/p.html")).is_empty());
    let appendix = read(&out, "plans/p-appendix.html");
    assert!(appendix.contains("Workstream / activity"));
    // No action has a ref or deliverables: the usual appendix leaves those out,
    // and its heading rows span the columns that are left.
    assert!(!appendix.contains(">Ref</th>"), "{appendix}");
    assert!(!appendix.contains("Required (deliverables)"));
    let head = &appendix[appendix.find("<thead>").unwrap()..appendix.find("</thead>").unwrap()];
    let n = head.matches("<th scope=\"col\"").count();
    assert!(
        appendix.contains(&format!("colspan=\"{n}\"")),
        "{n} columns: {appendix}"
    );
    // …with the plan's `labels:` where it gives them.
    assert!(appendix.contains(">Lead officer</th>"), "{appendix}");
    assert!(!appendix.contains(">Lead</th>"));
    let tmp = tempfile::tempdir().unwrap();
    let labelled = plain.replace("labels:\n", "labels:\n  action: Key activities\n");
    site(tmp.path(), "", &labelled);
    let out = build_site(tmp.path());
    let appendix = read(&out, "plans/p-appendix.html");
    assert!(appendix.contains(">Key activities</th>"), "{appendix}");
    assert!(!appendix.contains("Workstream / activity"));
}

#[test]
fn the_sites_columns_are_the_default_and_a_plan_overrides_them() {
    let board = r#"id: p
title: Work plan
kind: board work plan
labels:
  objective: Impact objective
  lead: Who's responsible
sections:
  - title: Work
    include: [objectives]
objectives:
  - ref: "1"
    title: Children are healthy
    desired_impact: Every child has a health assessment.
    actions:
      - description: Report timeliness to the board.
        leads: [Designated Nurse]
        review_date: 2025-03
        progress:
          - {date: 2024-10-09, text: 88% on time.}
"#;
    let site_columns = "columns:\n  actions: [objective, desired_impact, {field: description, label: Actions}, leads, {field: progress, label: Progress log}, review_date]\n";
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path(), site_columns, board);
    let out = build_site(tmp.path());
    let h = headings(&read(&out, "plans/p.html"));
    assert_eq!(
        h,
        vec![vec![
            "Impact objective",
            "Desired impact",
            "Actions",
            "Who&#39;s responsible",
            "Progress log",
            "Review date"
        ]]
    );

    let tmp = tempfile::tempdir().unwrap();
    let own = board.replace(
        "sections:",
        "columns:\n  actions: [description, review_date]\nsections:",
    );
    site(tmp.path(), site_columns, &own);
    let out = build_site(tmp.path());
    let h = headings(&read(&out, "plans/p.html"));
    assert_eq!(h, vec![vec!["Description", "Review date"]]);
}

#[test]
fn an_unknown_column_is_a_located_error() {
    let tmp = tempfile::tempdir().unwrap();
    site(
        tmp.path(),
        "",
        &PLAN.replace("    - priority\n", "    - priorty\n"),
    );
    let out = tmp.path().join("out");
    let o = boardpack(&[
        "build",
        "--root",
        tmp.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("plan.yaml:15:7"), "{e}");
    assert!(e.contains("did you mean `priority`?"), "{e}");
    assert!(!out.exists());
}

#[test]
#[ignore = "needs chromium and poppler-utils; run with --include-ignored (CI does)"]
fn the_authors_columns_are_printed_in_the_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path(), "", PLAN);
    let out = tmp.path().join("out");
    let o = boardpack(&[
        "build",
        "--pdf",
        "--root",
        tmp.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = out.join("packs/2024-25-q3/pack.pdf");
    let t = std::process::Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&t.stdout);
    // Headings wrap in narrow printed columns: look for words that stay on one line.
    for h in [
        "Revised timescale",
        "Timescale / Lead",
        "Apr 2024, on going",
    ] {
        assert!(text.contains(h), "{h} not in the PDF:\n{text}");
    }
    assert!(!text.contains("Workstream / activity"));
}

#[test]
fn indicator_tables_take_the_authors_columns() {
    let plan = r#"id: p
title: Measures
kind: board work plan
period: {from: 2024/25, to: 2024/25}
columns:
  indicators:
    - {field: indicator, label: Measure}
    - baseline
    - targets
    - comparison
    - {field: status, label: RAG}
    - commentary
    - {field: band, always: true}
sections:
  - title: Measures
    include: [indicators]
indicators:
  - id: health
    title: Health assessments on time
    unit: "%"
    polarity: higher_is_better
    baseline: 80
    target: 95
    actuals: {2024/25 Q1: 90}
    commentary: Dental checks added.
"#;
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path(), "", plan);
    let out = build_site(tmp.path());
    let page = read(&out, "plans/p.html");
    let t = &page[page
        .find("<table class=\"indicators columns")
        .expect("custom table")..];
    let t = &t[..t.find("</table>").unwrap()];
    let heads: Vec<&str> = t
        .split("<th scope=\"col\"")
        .skip(1)
        .map(|h| {
            let h = &h[h.find('>').unwrap() + 1..];
            &h[..h.find("</th>").unwrap()]
        })
        .collect();
    // No comparison on any row: dropped. Band kept because asked for.
    assert_eq!(
        heads,
        [
            "Measure",
            "Baseline",
            "Target 2024/25",
            "RAG",
            "Commentary",
            "Band"
        ]
    );
    let labels: Vec<&str> = t
        .split("<td data-label=\"")
        .skip(1)
        .map(|c| &c[..c.find('"').unwrap()])
        .collect();
    assert_eq!(labels, heads, "each cell's data-label is its heading");
    assert!(t.contains("80% (2023/24)") && t.contains("Dental checks added."));
}

#[test]
fn a_section_chooses_its_own_columns() {
    let plan = r#"id: p
title: Two views
kind: action plan
columns:
  actions: [ref, description, leads]
sections:
  - title: As the plan
    include: [actions]
  - title: Short
    columns:
      actions: [{field: description, label: What}]
    include: [actions]
    sections:
      - title: Inherits the section's
        include: [actions]
  - title: As the plan again
    include: [actions]
actions:
  - ref: "1"
    description: Do it.
    leads: [Someone]
"#;
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path(), "", plan);
    let out = build_site(tmp.path());
    let h = headings(&read(&out, "plans/p.html"));
    assert_eq!(
        h,
        vec![
            vec!["Ref", "Description", "Lead"],
            vec!["What"],
            vec!["What"],
            vec!["Ref", "Description", "Lead"],
        ]
    );
}
