//! One status, one explanation: a stated RAG is shown "as stated" once, the
//! computed rule only when it disagrees, and no reason is printed twice.

mod common;

use common::*;

const PLAN: &str = r#"id: p
title: Statuses
kind: board work plan
sections:
  - title: All
    include: [indicators, actions]
indicators:
  - id: stated-alone
    title: Stated with no figures
    unit: "%"
    polarity: higher_is_better
    targets: {2015/16: 95}
    rag: amber
  - id: stated-disagrees
    title: Stated against the figures
    unit: "%"
    polarity: higher_is_better
    targets: {2015/16: 95}
    actuals: {2015/16 Q1: 80}
    rag: green
  - id: stated-agrees
    title: Stated as the figures say
    unit: "%"
    polarity: higher_is_better
    targets: {2015/16: 95}
    actuals: {2015/16 Q1: 96}
    rag: green
actions:
  - ref: "1"
    description: Late work
    target_date: 2016-04
  - ref: "2"
    description: Stated work
    target_date: 2016-12
    rag: amber
"#;

/// The HTML of the table row (or card) that mentions `needle`.
fn row<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not found"));
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

#[test]
fn a_stated_status_is_explained_once() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), PLAN);
    let out = build_site(tmp.path());
    let page = read(&out, "plans/p.html");

    let alone = row(&page, "Stated with no figures");
    assert_eq!(alone.matches("(as stated)").count(), 1, "{alone}");
    assert!(!alone.contains(">Amber: as stated"), "{alone}");
    assert!(!alone.contains("Not rated"), "{alone}");

    let disagrees = row(&page, "Stated against the figures");
    assert!(
        disagrees.contains("Stated Green; the figures give Red"),
        "{disagrees}"
    );

    let agrees = row(&page, "Stated as the figures say");
    assert!(!agrees.contains("class=\"rule\">Green"), "{agrees}");
    assert!(!agrees.contains("the figures give"), "{agrees}");

    // The indicator's own page says it once too.
    let ind = read(&out, "indicators/stated-alone.html");
    let status = &ind[ind.find("status-line").unwrap()..];
    let status = &status[..status.find("</p>").unwrap()];
    assert_eq!(status.matches("(as stated)").count(), 1, "{status}");
    assert!(!status.contains(">Amber: as stated"), "{status}");
    assert!(!status.contains("Not rated"), "{status}");

    // An overdue action gives its reason once.
    let late = row(&page, "Late work");
    assert_eq!(late.matches(">Overdue").count(), 1, "{late}");
    assert!(!late.contains(">Red: Overdue"), "{late}");
    // A stated action RAG is "as stated" once, with no rule repeating it.
    let stated = row(&page, "Stated work");
    assert_eq!(stated.matches("(as stated)").count(), 1, "{stated}");
    assert!(!stated.contains(">Amber: as stated"), "{stated}");
}
