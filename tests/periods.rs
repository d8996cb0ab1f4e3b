//! Figures written without periods, as board work plans state them: the
//! baseline is for the year before the plan, the target for the plan's year,
//! and the plan's key says so once.

mod common;

use common::*;

const PLAN: &str = r#"id: p
title: Work plan
kind: board work plan
period: {from: 2024/25, to: 2024/25}
sections:
  - title: Measures
    include: [indicators]
  - title: Key
    include: [keys]
indicators:
  - id: health
    title: Health assessments on time
    unit: "%"
    polarity: higher_is_better
    baseline: 80
    target: 95
    actuals: {2024/25 Q1: 90}
  - id: visits
    title: Visits on time
    unit: "%"
    polarity: higher_is_better
    baseline: {value: 70}
    target: 85
"#;

fn build(plan: &str) -> (tempfile::TempDir, std::process::Output) {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), plan);
    let out = tmp.path().join("out");
    let o = boardpack(&[
        "build",
        "--root",
        tmp.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    (tmp, o)
}

#[test]
fn period_less_baseline_and_target_take_the_plans_years() {
    let (tmp, o) = build(PLAN);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(&tmp.path().join("out"), "plans/p.html");
    assert!(
        page.contains("80% (2023/24)"),
        "baseline for the year before"
    );
    assert!(page.contains("70% (2023/24)"));
    assert!(
        page.contains("data-label=\"Target 2024/25\">95%"),
        "target for the plan year"
    );
    // Computed against the defaulted target: 90 is below 95.
    assert!(
        page.contains("below the 95% target for 2024/25"),
        "the target was not used"
    );
    let rule = "a baseline is for 2023/24 (the year before the plan) and a target for 2024/25";
    assert_eq!(page.matches(rule).count(), 1, "the rule, once, in the key");
}

#[test]
fn without_a_plan_period_a_period_less_figure_is_a_located_error() {
    let plan = PLAN.replace("period: {from: 2024/25, to: 2024/25}\n", "");
    let (tmp, o) = build(&plan);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains(
            "plan.yaml:15:13: indicator \"Health assessments on time\": the target has no period"
        ),
        "{e}"
    );
    assert!(e.contains("give the plan `period:"), "{e}");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn a_target_for_the_plan_year_written_twice_is_an_error() {
    let plan = PLAN.replace(
        "    target: 85\n",
        "    target: 85\n    targets: {2024/25: 86}\n",
    );
    let (_tmp, o) = build(&plan);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("has both `target:`"), "{}", stderr(&o));
}
