//! `boardpack init`: a new site with one small plan and a board pack that
//! build; [`new`]: a new plan or pack in a site.
//!
//! The starter plan's figures are made up to show the shape of the files;
//! the plan says so on its own page.

pub mod new;

use std::fs;
use std::path::Path;

const SITE: &str = r#"# The site: who publishes the plans and how they are reported.
title: Our plans
organisation: Our council
description: Plans, indicators and board packs.
calendar:
  year_start_month: 4   # financial year April–March
as_at: 2025-10-01       # statuses (overdue actions) are computed at this date
glossary:
  HoS: Head of Service
keys:
  priority:
    - name: High
    - name: Medium
"#;

const PLAN: &str = r#"# A starter plan. Every figure here is ILLUSTRATIVE, made up to show the
# shape of the file: replace them with your own.
id: example-plan
title: Example improvement plan
subtitle: Illustrative figures only – replace with your own
kind: Service improvement plan
period: {from: 2025/26, to: 2026/27}
status: draft
owner: HoS
labels:
  objective: Outcome
sections:
  - title: Introduction
    body: |
      This plan was created by `boardpack init`. **All figures are illustrative.**
      Edit `content/plans/example/plan.yaml`, then run `boardpack build`.
  - title: Outcomes, actions and indicators
    include: [objectives]
  - title: Keys and glossary
    include: [keys, glossary]
objectives:
  - ref: "1"
    title: Children in care live in stable placements
    actions:
      - ref: "1.1"
        description: Review support to foster carers every quarter.
        leads: [HoS]
        target_date: 2026-03
        priority: High
    indicators:
      - id: example-stability
        ref: 1a
        title: Children in care in the same placement for two years (illustrative)
        unit: "%"
        polarity: higher_is_better
        tolerance: 2
        data_owner: Performance team
        commentary: Slightly below target in Q1 (illustrative).
        baseline: {period: 2024/25, value: 65}
        targets: {2025/26: 68}
        actuals: {2025/26 Q1: 66.5}
"#;

/// Create a new site in `dir` (which must not exist, or be empty).
pub fn init(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!(
                "{} is not empty; choose a new folder for the site",
                dir.display()
            ));
        }
    }
    let plan_dir = dir.join("content/plans/example");
    fs::create_dir_all(&plan_dir)
        .map_err(|e| format!("cannot create {}: {e}", plan_dir.display()))?;
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        fs::write(&p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    fs::create_dir_all(dir.join("content/packs"))
        .map_err(|e| format!("cannot create {}/content/packs: {e}", dir.display()))?;
    write(
        "content/site.yaml",
        &format!("{}{SITE}", new::schema_line(1, "site")),
    )?;
    write(
        "content/plans/example/plan.yaml",
        &format!("{}{PLAN}", new::schema_line(3, "plan")),
    )?;
    // The pack for the quarter before the site's `as_at` (2025-10-01).
    let period = crate::model::period::Period::Quarter(2025, 2);
    let pack = new::pack_text(
        Default::default(),
        period,
        "Example board",
        &["example-plan".to_string()],
    );
    write(&format!("content/packs/{}.yaml", period.slug()), &pack)?;
    write(".gitignore", "/output\n")?;
    crate::schema::write_if_missing(dir)
}
