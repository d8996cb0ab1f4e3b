//! Charts in the built site: present, accessible, drawn from the right figures,
//! and chart shortcodes that point nowhere are errors with file and line.

mod common;

use std::fs;

use common::*;

fn svg_with_id<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("aria-labelledby=\"{id}-t {id}-d\""))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let end = html[start..].find("</svg>").unwrap() + start;
    &html[start..end]
}

#[test]
fn indicator_pages_carry_trend_and_in_year_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_example(&out);
    let html = read(&out, "indicators/ni-63.html");
    let trend = svg_with_id(&html, "ni-63-trend");
    assert!(trend.contains("<title id=\"ni-63-trend-t\">NI 63 Stability of placements"));
    assert!(
        trend.contains("rose from 57.1% in 2006/07 to 67.5% in 2008/09 Q1; target 66% for 2008/09; status Green; higher is better."),
        "{trend}"
    );
    // The baseline is marked, the latest point labelled with value and RAG letter.
    assert!(trend.contains("\nBaseline 57.1%\n</text>"));
    assert!(trend.contains("\n67.5% G\n</text>"));
    // Target drawn as a distinct dashed series with its own class.
    assert!(trend.contains("class=\"bp-k2\""));
    let in_year = svg_with_id(&html, "ni-63-inyear");
    assert!(in_year.contains("Q1 08/09 67.5% (Green)"), "{in_year}");
    assert!(in_year.contains("\nTarget 2008/09: 66%\n</text>"));
    // A comparator printed in the source is drawn as a line and named in the words.
    let ccs = read(&out, "indicators/ccs-1a.html");
    let trend = svg_with_id(&ccs, "ccs-1a-trend");
    assert!(trend.contains("\nAverage: 12.5%\n</text>"), "{trend}");
    assert!(
        trend.contains("rose from 9.2% in 2003/04 to 10.6% in 2005/06; target 7% for 2009/10"),
        "{trend}"
    );
    assert!(trend.contains("average 12.5%"), "{trend}");
    // Figures are also given as a table beside the chart.
    assert!(html.contains("<summary>Figures in this chart</summary>"));
}

#[test]
fn tables_and_plans_carry_their_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_example(&out);
    let sip = read(&out, "plans/child-care-sip-2007.html");
    // D1 budget: horizontal bars of net spend by service area.
    let budget = svg_with_id(&sip, "child-care-sip-2007-budget-1");
    assert!(
        budget.contains("External Foster Care: 2,177; External Residential Care: 2,730"),
        "{budget}"
    );
    // Service activity: one grouped chart per team, 2005 against 2006.
    let crossfield = svg_with_id(&sip, "child-care-sip-2007-activity-1");
    assert!(
        crossfield.contains("Total number of Referrals: 2005 1,796, 2006 1,566"),
        "{crossfield}"
    );
    // Placed from the needs analysis Markdown, with the source's own figures.
    assert!(sip.contains("Children looked after by age group, 2005 and 2006"));
    assert!(sip.contains("% 0 – 10 years: 2005 59%, 2006 53%; % 11+ years: 2005 41%, 2006 47%"));
    // Status summary on the cover: nothing is rated, so a sentence says so instead of a grey bar.
    assert!(sip.contains(
        "<p class=\"chart-none\" id=\"child-care-sip-2007-status\">None of the 65 actions and 31 indicators have a RAG status yet.</p>"
    ));
    assert!(!sip.contains("aria-labelledby=\"child-care-sip-2007-status-t"));

    // Savings by objective and year, stacked; negative values drawn from zero, leftwards.
    let lac = read(&out, "plans/lac-action-plan-2015.html");
    let savings = svg_with_id(&lac, "lac-action-plan-2015-savings-by-objective-1");
    assert!(
        savings.contains(
            "Reduce the number of children who are looked after: 2016/17 -2,100, 2017/18 -1,615"
        ),
        "{savings}"
    );
    assert!(
        savings.contains("\n-2,100\n</text>"),
        "segment labelled with its value"
    );
}

#[test]
fn chart_shortcodes_that_point_nowhere_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = GOOD_PLAN.replace(
        "  - title: Money\n    tables: [money]\n",
        "  - title: Money\n    tables: [money]\n    body_file: money.md\n",
    );
    small_site(tmp.path(), &plan);
    fs::write(
        tmp.path().join("content/plans/p/money.md"),
        "Text.\n\n{{ chart(indicator=\"t-1z\") }}\n\n{{ chart(table=\"money\", kind=\"pie\") }}\n\n{{ chart(tabel=\"money\") }}\n",
    )
    .unwrap();
    let o = boardpack(&["check", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("content/plans/p/money.md:3:1: chart: unknown indicator `t-1z` in this plan"),
        "{err}"
    );
    assert!(
        err.contains("money.md:5:1: chart: `pie` is not a table chart"),
        "{err}"
    );
    assert!(
        err.contains("money.md:7:1: unknown chart argument `tabel`"),
        "{err}"
    );

    fs::write(
        tmp.path().join("content/plans/p/money.md"),
        "{{ chart(indicator=\"t-1a\", kind=\"in_year\") }}\n\n{{ chart(table=\"money\", kind=\"hbar\", columns=\"total\") }}\n",
    )
    .unwrap();
    let o = boardpack(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = read(&tmp.path().join("output"), "plans/p.html");
    assert!(
        html.contains("Q1 16/17 64.1% (Amber)"),
        "in-year chart placed"
    );
    assert!(html.contains("Budget. A: 3; B: 30."), "table chart placed");
}

#[test]
fn charts_can_be_switched_off() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = GOOD_PLAN
        .replace(
            "        tolerance: 2\n",
            "        tolerance: 2\n        chart: none\n",
        )
        .replace(
            "    title: Budget\n",
            "    title: Budget\n    chart: {kind: none}\n",
        );
    small_site(tmp.path(), &plan);
    let o = boardpack(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = read(&tmp.path().join("output"), "plans/p.html");
    assert!(!html.contains("t-1a-trend") && !html.contains("t-1a-inyear"));
    assert!(!html.contains("p-money-1"));
    assert!(html.contains("p-status"), "status chart still drawn");
}

#[test]
fn series_over_months_draw_as_lines() {
    let tmp = tempfile::tempdir().unwrap();
    // Figures made up for the test.
    let plan = "id: p
title: Test plan
kind: Action plan
sections:
  - title: Register
    include: [indicators]
    tables: [register]
indicators:
  - id: cp-children
    title: Children on the register
    unit: count
    actuals: {2016-04: 120, 2016-05: 131, 2016-06: 127}
tables:
  - id: register
    title: Children and families on the register
    chart: {kind: line, columns: [apr, may, jun]}
    columns:
      - {key: what}
      - {key: apr, label: Apr 2016, type: number}
      - {key: may, label: May 2016, type: number}
      - {key: jun, label: Jun 2016, type: number}
    rows:
      - [Children, 120, 131, 127]
      - [Families, 61, 60, 62]
";
    small_site(tmp.path(), plan);
    let o = boardpack(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = read(&tmp.path().join("output"), "indicators/cp-children.html");
    let in_year = svg_with_id(&html, "cp-children-inyear");
    assert!(
        in_year.contains("Apr 16 120, May 16 131, Jun 16 127"),
        "{in_year}"
    );
    // Twelve months on the axis; at the width the chart is drawn, every other one is labelled.
    assert!(
        in_year.contains("\nFeb 17\n</text>"),
        "twelve months on the axis"
    );
    let plan_page = read(&tmp.path().join("output"), "plans/p.html");
    let line = svg_with_id(&plan_page, "p-register-1");
    assert!(
        line.contains("Children: Apr 2016 120, May 2016 131, Jun 2016 127; Families: Apr 2016 61"),
        "{line}"
    );
    assert!(line.matches("<polyline").count() >= 2, "a line per row");
}
