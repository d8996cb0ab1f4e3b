//! Nothing accepted and then lost: every field the model reads reaches a page a
//! reader would look at.
//!
//! `tests/field_coverage/content/` sets every field of the model, each to a unique
//! marker (`MARK-action-description`) or, for dates, numbers and choices, to a value
//! whose printed form is unique in the site (`review_date: 2030-09` → "Sep 2030").
//! The list of fields is read from the model's source, so a new field fails this
//! test until it is shown somewhere or listed, with its reason, in
//! `tests/field_coverage/exceptions.txt`.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};

/// Where a field's marker must appear.
#[derive(Clone, Copy, Debug)]
enum Place {
    /// The plan's own page or its appendix: what a board member reads as "the plan".
    Plan,
    /// The plan's page only (not just its appendix).
    PlanPage,
    /// The indicator's own page.
    IndicatorPage,
    /// Any page of the site.
    Any,
}

/// Fields whose marker is not `MARK-<struct>-<field>`, or must appear elsewhere than
/// the default place for their struct.
const EXPECT: &[(&str, &str, Place)] = &[
    // site.yaml
    ("SiteConfig.as_at", "31 Jan 2025", Place::Any),
    (
        "SiteConfig.glossary",
        "MARK-siteconfig-glossary",
        Place::Any,
    ),
    ("Keys.rag", "MARK-keys-rag", Place::Any),
    ("BandKey.symbol", "✪", Place::Any),
    ("BandLevel.value", "MARK-bandlevel-label-2", Place::Any),
    ("Branding.logo", "media/logo.svg", Place::Any),
    ("Branding.primary_colour", "#123457", Place::Any),
    ("Branding.accent_colour", "#abcdef", Place::Any),
    ("Disclosure.threshold", "MARK-disclosure-marker", Place::Any),
    // plan.yaml
    ("Plan.period", "2024/25 to 2025/26", Place::PlanPage),
    ("Plan.status", "Approved", Place::PlanPage),
    ("Plan.glossary", "MARK-plan-glossary", Place::Plan),
    ("Plan.key_figures", "MARK-keyfigure-label", Place::PlanPage),
    (
        "Plan.blank_last_page",
        "intentionally left blank",
        Place::PlanPage,
    ),
    ("Plan.contacts", "MARK-contact-role", Place::PlanPage),
    ("Plan.sections", "MARK-section-title", Place::PlanPage),
    ("Plan.objectives", "MARK-objective-title", Place::PlanPage),
    (
        "Plan.actions",
        "MARK-plan-action-description",
        Place::PlanPage,
    ),
    ("Plan.indicators", "MARK-plan-indicator", Place::PlanPage),
    ("Plan.tables", "MARK-table-title", Place::PlanPage),
    ("Plan.risks", "MARK-risk-risk", Place::PlanPage),
    ("Plan.tags", "MARK-tags-ecm-outcome", Place::PlanPage),
    ("Plan.labels", "MARK-labels-objective", Place::PlanPage),
    ("Plan.appendix", "MARK-appendix-title", Place::Plan),
    ("PeriodRange.from", "2024/25 to", Place::PlanPage),
    ("PeriodRange.to", "to 2025/26", Place::PlanPage),
    ("Tags.cypp_priority", "CYPP priority", Place::PlanPage),
    ("Tags.laa_target", "LAA target", Place::PlanPage),
    ("Tags.other", "MARK-tags-other-key", Place::PlanPage),
    (
        "Section.body_file",
        "MARK-section-body-file",
        Place::PlanPage,
    ),
    ("Section.tables", "MARK-table-title", Place::PlanPage),
    ("Section.include", "MARK-keyfigure-value", Place::PlanPage),
    ("Section.sections", "MARK-section-sub", Place::PlanPage),
    ("Objective.tags", "MARK-objective-tags", Place::PlanPage),
    ("Objective.target_saving", "-4,321", Place::Plan),
    ("Objective.review_date", "Jul 2031", Place::PlanPage),
    (
        "Objective.objectives",
        "MARK-objective-nested",
        Place::PlanPage,
    ),
    (
        "Objective.actions",
        "MARK-action-description",
        Place::PlanPage,
    ),
    (
        "Objective.indicators",
        "MARK-indicator-title",
        Place::PlanPage,
    ),
    ("Action.reference", "MARK-action-ref", Place::Plan),
    ("Action.deliverables", "MARK-deliverable-text", Place::Plan),
    ("Action.leads", "MARK-action-leads", Place::Plan),
    ("Action.partners", "MARK-action-partners", Place::PlanPage),
    ("Action.links", "MARK-action-links", Place::PlanPage),
    ("Action.target_date", "Mar 2028", Place::Plan),
    ("Action.revised_date", "May 2028", Place::Plan),
    ("Action.review_date", "Sep 2030", Place::Plan),
    ("Action.impact", "MARK-impact-expected", Place::Plan),
    ("Action.priority", "MARK-keyentry-name", Place::Plan),
    ("Action.rag", "Amber", Place::Plan),
    ("Action.status", "In progress", Place::Plan),
    ("Action.progress", "MARK-progress-text", Place::Plan),
    ("Deliverable.target_date", "Jan 2029", Place::Plan),
    ("Deliverable.revised_date", "Feb 2029", Place::Plan),
    ("Deliverable.status", "In progress", Place::Plan),
    ("Impact.kind", "Number", Place::Plan),
    ("Impact.saving", "-987", Place::Plan),
    ("ProgressEntry.period", "2024/25 Q3", Place::Plan),
    ("ProgressEntry.date", "11 Dec 2024", Place::Plan),
    ("ProgressEntry.rag", "Amber", Place::Plan),
    ("ProgressEntry.revised_date", "Jun 2028", Place::Any),
    ("Indicator.reference", "MARK-indicator-ref", Place::PlanPage),
    ("Indicator.codes", "MARK-indicator-codes", Place::PlanPage),
    (
        "Indicator.definition",
        "MARK-indicator-definition",
        Place::IndicatorPage,
    ),
    ("Indicator.unit", "64.7%", Place::PlanPage),
    ("Indicator.baseline", "61.3", Place::PlanPage),
    ("Indicator.targets", "72.9", Place::PlanPage),
    ("Indicator.actuals", "66.1", Place::PlanPage),
    ("Indicator.data", "MARK-csv-note", Place::Any),
    ("Indicator.rag", "Green", Place::PlanPage),
    ("Indicator.band", "✪✪", Place::PlanPage),
    (
        "Indicator.comparators",
        "MARK-comparator-label",
        Place::PlanPage,
    ),
    (
        "Indicator.commentary",
        "MARK-indicator-commentary",
        Place::PlanPage,
    ),
    ("Indicator.frequency", "Quarterly", Place::IndicatorPage),
    (
        "Indicator.success_criteria",
        "MARK-indicator-success-criteria",
        Place::IndicatorPage,
    ),
    (
        "Indicator.data_owner",
        "MARK-indicator-data-owner",
        Place::IndicatorPage,
    ),
    (
        "Indicator.tags",
        "MARK-indicator-tags",
        Place::IndicatorPage,
    ),
    ("Figure.value", "64.7", Place::PlanPage),
    ("Figure.note", "MARK-figure-note", Place::PlanPage),
    ("Band.value", "✪✪", Place::PlanPage),
    ("Band.period", "2023/24", Place::PlanPage),
    ("Comparator.value", "58.8", Place::PlanPage),
    ("Comparator.period", "2023/24", Place::PlanPage),
    ("BaselineYaml.period", "2023/24", Place::PlanPage),
    ("Baseline.period", "2023/24", Place::PlanPage),
    ("Baseline.value", "61.3", Place::PlanPage),
    ("Indicator.target", "73.4", Place::PlanPage),
    ("BaselineYaml.value", "61.3", Place::PlanPage),
    ("Table.columns", "MARK-column-label", Place::PlanPage),
    ("Table.rows", "MARK-table-row", Place::PlanPage),
    ("Table.groups", "MARK-rowgroup-title", Place::PlanPage),
    ("Table.csv", "MARK-table-csv", Place::PlanPage),
    ("Table.total", "MARK-totalrow-label", Place::PlanPage),
    ("Table.chart", "MARK-tablechart-title", Place::PlanPage),
    ("TableChart.kind", "MARK-tablechart-title", Place::PlanPage),
    ("Column.kind", "class=\"num", Place::PlanPage),
    ("RowGroup.rows", "MARK-rowgroup-row", Place::PlanPage),
    ("TotalRow.stated", "11", Place::PlanPage),
    ("SiteConfig.keys", "MARK-keys-rag", Place::Any),
    ("SiteConfig.branding", "#123457", Place::Any),
    ("SiteConfig.disclosure", "MARK-disclosure-note", Place::Any),
    ("Keys.priority", "MARK-keyentry-name", Place::Any),
    ("Keys.bands", "MARK-bandkey-title", Place::Any),
    ("BandKey.levels", "MARK-bandlevel-label", Place::Any),
    ("Band.key", "MARK-bandkey-title", Place::PlanPage),
    ("Plan.id", "plans/p.html", Place::Any),
    ("Section.id", "mark-section-id", Place::PlanPage),
    ("Objective.reference", "MARK-objective-ref", Place::PlanPage),
    ("Risk.reference", "MARK-risk-ref", Place::PlanPage),
    ("Indicator.id", "indicators/mark-ind.html", Place::PlanPage),
    ("ProgressEntry.text", "MARK-progress-text", Place::Plan),
    ("ProgressEntry.status", "In progress", Place::Any),
    ("Column.formula", "2,468", Place::PlanPage),
    ("Column.sum", "1,240", Place::PlanPage),
    (
        "SiteConfig.columns",
        "MARK-siteconfig-columns",
        Place::PlanPage,
    ),
    (
        "Columns.actions",
        "MARK-siteconfig-columns",
        Place::PlanPage,
    ),
    ("Plan.columns", "MARK-plan-columns", Place::Plan),
    (
        "SiteConfig.status_words",
        "MARK-site-word</td>",
        Place::PlanPage,
    ),
    ("Plan.status_words", "MARK-plan-word</td>", Place::PlanPage),
    (
        "Deliverable.progress",
        "<span class=\"entry\">MARK-plan-word</span>",
        Place::Plan,
    ),
    ("Columns.appendix", "MARK-plan-columns", Place::Plan),
    ("ColumnMap.label", "MARK-plan-columns", Place::Plan),
    ("ColumnChoice.label", "MARK-plan-columns", Place::Plan),
    (
        "Columns.indicators",
        "MARK-indicatormap-label",
        Place::PlanPage,
    ),
    (
        "IndicatorMap.label",
        "MARK-indicatormap-label",
        Place::PlanPage,
    ),
    (
        "IndicatorChoice.label",
        "MARK-indicatormap-label",
        Place::PlanPage,
    ),
    // board packs
    ("Pack.meeting_date", "14 Feb 2025", Place::Any),
    ("Pack.period", "2024/25 Q3", Place::Any),
    ("Pack.status", "Draft", Place::Any),
    ("Pack.plans", "MARK-plan-title", Place::Any),
    ("Pack.parts", "MARK-pack-cover-note", Place::Any),
    ("Pack.as_at", "31 Dec 2024", Place::Any),
    ("Pack.id", "packs/mark-pack-id/", Place::Any),
];

/// Structs whose fields belong to a plan document and so must reach the plan
/// (page or appendix) unless `EXPECT` says otherwise.
const PLAN_STRUCTS: &[&str] = &[
    "Plan",
    "PeriodRange",
    "Contact",
    "Tags",
    "KeyFigure",
    "Labels",
    "Section",
    "Objective",
    "Action",
    "Deliverable",
    "Impact",
    "ProgressEntry",
    "Indicator",
    "Band",
    "Comparator",
    "Table",
    "TableChart",
    "Column",
    "RowGroup",
    "TotalRow",
    "Risk",
    "Appendix",
];

/// Every deserialised field of the model, as `Struct.field` (Rust names), read
/// from the model's source files.
fn model_fields() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for file in [
        "mod.rs",
        "site.rs",
        "plan.rs",
        "indicator.rs",
        "table.rs",
        "pack.rs",
        "value.rs",
        "period.rs",
        "columns.rs",
    ] {
        let src = std::fs::read_to_string(repo().join("src/model").join(file)).unwrap();
        let lines: Vec<&str> = src.lines().collect();
        let mut current: Option<String> = None;
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim();
            if let Some(rest) = t
                .strip_prefix("pub struct ")
                .or_else(|| t.strip_prefix("struct "))
            {
                let attrs = lines[i.saturating_sub(4)..i].join("\n");
                let name = rest.trim_end_matches('{').trim().to_string();
                let derived = attrs.contains("Deserialize") && !attrs.contains("serde(from");
                let by_hand = src.contains(&format!("Deserialize<'de> for {name} "));
                current = ((derived || by_hand) && rest.ends_with('{')).then_some(name);
                continue;
            }
            if *line == "}" {
                current = None;
                continue;
            }
            let Some(s) = &current else { continue };
            let field = t.strip_prefix("pub ").unwrap_or(t);
            let Some((name, _)) = field.split_once(": ") else {
                continue;
            };
            if name.starts_with('#') || name.starts_with("//") || name.contains(' ') {
                continue;
            }
            let skipped = lines[i.saturating_sub(3)..i]
                .iter()
                .rev()
                .take_while(|l| !l.trim().ends_with(','))
                .any(|l| l.contains("serde(skip"));
            if !skipped {
                out.insert(format!("{s}.{name}"));
            }
        }
    }
    out
}

/// `Struct.field: reason` lines of the exceptions file.
fn exceptions() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(repo().join("tests/field_coverage/exceptions.txt")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (k, why) = l.split_once(':').expect("`Struct.field: reason`");
            assert!(!why.trim().is_empty(), "{k}: an exception needs its reason");
            (k.trim().to_string(), why.trim().to_string())
        })
        .collect()
}

fn default_marker(key: &str) -> String {
    let (s, f) = key.split_once('.').unwrap();
    format!("MARK-{}-{}", s.to_lowercase(), f.replace('_', "-"))
}

#[test]
fn every_field_of_the_model_reaches_a_page() {
    let fields = model_fields();
    assert!(
        fields.contains("Action.review_date") && fields.len() > 120,
        "the model's fields were not read: {fields:?}"
    );
    let except = exceptions();
    for k in except.keys() {
        assert!(fields.contains(k), "exception for unknown field {k}");
    }
    let expect: BTreeMap<&str, (&str, Place)> =
        EXPECT.iter().map(|(k, m, p)| (*k, (*m, *p))).collect();
    for k in expect.keys() {
        assert!(fields.contains(*k), "expectation for unknown field {k}");
        assert!(
            !except.contains_key(*k),
            "{k} is both expected and excepted"
        );
    }

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let root = repo().join("tests/field_coverage");
    let o = boardpack(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let plan_page = read(&out, "plans/p.html");
    let plan_doc = plan_page.clone() + &read(&out, "plans/p-appendix.html");
    let ind_page = read(&out, "indicators/mark-ind.html");
    let all: String = tree(&out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .collect();
    let source: String = tree(&root.join("content"))
        .into_iter()
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect();

    let mut missing = Vec::new();
    for key in &fields {
        if except.contains_key(key) {
            continue;
        }
        let struct_name = key.split_once('.').unwrap().0;
        let (marker, place) = match expect.get(key.as_str()) {
            Some((m, p)) => (m.to_string(), *p),
            None if PLAN_STRUCTS.contains(&struct_name) => (default_marker(key), Place::Plan),
            None => (default_marker(key), Place::Any),
        };
        let token: String = marker
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-')
            .collect();
        if marker.starts_with("MARK-") && !source.contains(&token) {
            missing.push(format!("{key}: the fixture does not set `{token}`"));
            continue;
        }
        let (hay, name) = match place {
            Place::Plan => (&plan_doc, "the plan page or its appendix"),
            Place::PlanPage => (&plan_page, "the plan page"),
            Place::IndicatorPage => (&ind_page, "the indicator page"),
            Place::Any => (&all, "any page"),
        };
        if !hay.contains(&marker) {
            missing.push(format!("{key}: `{marker}` is not on {name}"));
        }
    }
    assert!(
        missing.is_empty(),
        "fields accepted but not shown (show them, or list them with a reason in \
         tests/field_coverage/exceptions.txt):\n{}",
        missing.join("\n")
    );
}
