//! Indicator tables drawn with the author's columns (`columns: indicators:`),
//! built into the same plain table data as action tables, so one template draws both.

use super::column_table::{ColumnCell, ColumnGroup, ColumnHead, ColumnRow, ColumnTable, rag_badge};
use super::markdown::escape;
use super::views::{IndicatorRow, IndicatorsView};
use crate::model::columns::{IndicatorChoice, IndicatorField};

/// One column to draw: heading, and how to get each row's cell.
struct Col {
    label: String,
    class: &'static str,
    cell: Box<dyn Fn(&IndicatorRow) -> String>,
}

/// The columns a choice gives: one, or one per period for per-period fields.
fn columns_of(choice: &IndicatorChoice, view: &IndicatorsView) -> Vec<Col> {
    let label = choice
        .label
        .clone()
        .unwrap_or_else(|| choice.field.heading().to_string());
    let one = |class: &'static str, cell: Box<dyn Fn(&IndicatorRow) -> String>| {
        vec![Col {
            label: label.clone(),
            class,
            cell,
        }]
    };
    let per = |periods: &[String], pick: fn(&IndicatorRow) -> &Vec<String>| -> Vec<Col> {
        periods
            .iter()
            .enumerate()
            .map(|(i, p)| Col {
                label: format!("{label} {p}"),
                class: "num",
                cell: Box::new(move |r: &IndicatorRow| {
                    pick(r).get(i).map(|v| escape(v)).unwrap_or_default()
                }),
            })
            .collect()
    };
    match choice.field {
        IndicatorField::Indicator => one(
            "",
            Box::new(|r| {
                let mut h = format!("<a href=\"{}\">", escape(&r.url));
                if !r.reference.is_empty() {
                    h += &format!("<span class=\"ref\">{}</span> ", escape(&r.reference));
                }
                h += &r.title_html;
                h += "</a>";
                if !r.codes.is_empty() {
                    h += &format!(" <span class=\"codes\">({})</span>", escape(&r.codes));
                }
                h
            }),
        ),
        IndicatorField::Baseline => one("num", Box::new(|r| escape(&r.baseline))),
        IndicatorField::Actuals => per(&view.actual_years, |r| &r.actuals),
        IndicatorField::Targets => per(&view.target_years, |r| &r.targets),
        IndicatorField::InYear => {
            let year = view.quarter_year.clone().unwrap_or_default();
            per(
                &view
                    .quarters
                    .iter()
                    .map(|q| format!("{year} {q}"))
                    .collect::<Vec<_>>(),
                |r| &r.quarters,
            )
        }
        IndicatorField::TargetText => one("", Box::new(|r| escape(&r.target_text))),
        IndicatorField::Status => one(
            "status-cell",
            Box::new(|r| {
                let mut h = r.rag.as_ref().map(rag_badge).unwrap_or_default();
                if !r.rule.is_empty() {
                    h += &format!("<span class=\"rule\">{}</span>", escape(&r.rule));
                }
                h
            }),
        ),
        IndicatorField::Direction => one(
            "",
            Box::new(|r| {
                r.direction
                    .as_ref()
                    .map(|(arrow, words)| {
                        format!(
                            "<span class=\"dot\" aria-hidden=\"true\">{}</span> {}",
                            escape(arrow),
                            escape(words)
                        )
                    })
                    .unwrap_or_default()
            }),
        ),
        IndicatorField::Band => one(
            "band",
            Box::new(|r| {
                if r.band_label.is_empty() {
                    escape(&r.band)
                } else {
                    format!(
                        "{} <small>{}</small>",
                        escape(&r.band),
                        escape(&r.band_label)
                    )
                }
            }),
        ),
        IndicatorField::Comparison => one("", Box::new(|r| r.comparison_html.clone())),
        IndicatorField::Commentary => one("commentary", Box::new(|r| r.commentary_html.clone())),
    }
}

/// The indicator table with the author's columns; a column empty on every row is
/// left out unless it says `always: true`.
pub fn indicator_table(choices: &[IndicatorChoice], view: &IndicatorsView) -> ColumnTable {
    let cols: Vec<Col> = choices
        .iter()
        .flat_map(|c| {
            columns_of(c, view)
                .into_iter()
                .filter(|col| c.always || view.rows.iter().any(|r| !(col.cell)(r).is_empty()))
                .collect::<Vec<_>>()
        })
        .collect();
    ColumnTable {
        kind: "indicators",
        columns: cols
            .iter()
            .map(|c| ColumnHead {
                label: c.label.clone(),
                class: c.class.into(),
            })
            .collect(),
        groups: vec![ColumnGroup {
            title_html: String::new(),
            rows: view
                .rows
                .iter()
                .map(|r| ColumnRow {
                    anchor: String::new(),
                    complete: false,
                    cells: cols
                        .iter()
                        .map(|c| ColumnCell {
                            label: c.label.clone(),
                            html: (c.cell)(r),
                            class: c.class.into(),
                        })
                        .collect(),
                })
                .collect(),
        }],
    }
}
