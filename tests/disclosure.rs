//! Small-number suppression: counts below the threshold never reach the page.

mod common;

use common::*;

const PLAN: &str = "id: p
title: Test plan
kind: Action plan
sections:
  - title: Indicators
    include: [indicators]
  - title: Placements
    tables: [placements]
indicators:
  - id: moves
    title: Children with three or more moves
    unit: count
    polarity: lower_is_better
    targets: {2016/17: 10}
    actuals: {2016/17 Q1: 4, 2016/17 Q2: 12}
tables:
  - id: placements
    title: Placements by type
    columns:
      - {key: kind}
      - {key: children, type: number, suppress: true, sum: true}
    rows:
      - [Foster care, 40]
      - [Residential, 2]
    total: {label: Total}
";

#[test]
fn counts_below_the_threshold_are_published_as_a_marker() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), PLAN);
    let site = tmp.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, format!("{text}disclosure: {{threshold: 5}}\n")).unwrap();
    let o = boardpack(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("output");
    let plan = read(&out, "plans/p.html");
    let page = read(&out, "indicators/moves.html");
    for html in [&plan, &page] {
        assert!(
            html.contains("[c] A count below 5 is not published"),
            "footnote"
        );
        // The suppressed figures appear nowhere: not in cells, rules, chart labels or descriptions.
        assert!(
            !html.contains(">4<")
                && !html.contains(">4\n")
                && !html.contains(" 4 ")
                && !html.contains(">2<")
        );
    }
    assert!(
        plan.contains("<td class=\"num\">[c]</td>"),
        "indicator cell and table cell show the marker"
    );
    assert!(
        page.contains("the figure for 2016/17 Q1 is suppressed ([c])"),
        "rule redacted"
    );
    assert!(
        page.contains("<td class=\"num\">12</td>"),
        "larger counts are published"
    );
    assert!(
        plan.contains("Residential: no figure published"),
        "chart description redacted"
    );
    // Totals are still published.
    assert!(plan.contains("<td class=\"num\">42</td>"));
}
