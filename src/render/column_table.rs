//! Action tables drawn with the author's columns (`columns:` in plan.yaml or
//! site.yaml): the column list is settled once in `compute::columns`, and each
//! cell is built here as escaped HTML, so the template only loops.

use std::collections::BTreeSet;

use serde::Serialize;

use super::markdown::escape;
use super::views::{ActionRow, Ctx, RagView};
use crate::compute::columns::{ColumnPlan, plan_columns};
use crate::model::columns::{ActionField, ColumnChoice, Columns};
use crate::model::{Action, Objective};

/// A table of actions with the author's columns.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnTable {
    /// `actions` or `indicators` (the table's CSS class).
    pub kind: &'static str,
    /// Column headings, left to right.
    pub columns: Vec<ColumnHead>,
    /// Groups of rows (one untitled group for a plain table).
    pub groups: Vec<ColumnGroup>,
}

/// A column heading.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnHead {
    /// Heading text.
    pub label: String,
    /// CSS class for the column's cells (`num` for savings).
    pub class: String,
}

/// Rows under an objective heading (the heading is empty for a plain table).
#[derive(Debug, Clone, Serialize)]
pub struct ColumnGroup {
    /// Heading (HTML).
    pub title_html: String,
    /// Rows.
    pub rows: Vec<ColumnRow>,
}

/// One action.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnRow {
    /// Anchor id.
    pub anchor: String,
    /// Complete.
    pub complete: bool,
    /// Cells, one per column.
    pub cells: Vec<ColumnCell>,
}

/// One cell.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnCell {
    /// The cell's column heading (for `data-label` on narrow screens).
    pub label: String,
    /// Content (HTML built from escaped text or sanitised Markdown).
    pub html: String,
    /// CSS class.
    pub class: String,
}

/// An action with the objective it sits under and its built row.
pub struct Placed<'a> {
    /// The action.
    pub action: &'a Action,
    /// Its objective, if any.
    pub objective: Option<&'a Objective>,
    /// The row as the usual tables build it.
    pub row: ActionRow,
}

/// The column choices in force: the section's being built, else the plan's, else the site's.
pub fn choices(ctx: &Ctx) -> Columns {
    if let Some(c) = ctx.section_columns.borrow().as_ref() {
        return c.clone();
    }
    ctx.lp
        .plan
        .columns
        .clone()
        .unwrap_or_default()
        .or(ctx.site.config.columns.as_ref())
}

/// The appendix with the author's columns: plan-level actions first, then each
/// objective's, under a heading row.
pub fn appendix_table(ctx: &Ctx, choices: &[ColumnChoice]) -> ColumnTable {
    let lists = plan_lists(ctx);
    let groups = lists
        .iter()
        .map(|(title, objective, list)| (title.clone(), placed(ctx, list, *objective)))
        .collect();
    column_table(ctx, choices, groups)
}

/// Every action of the plan in appendix order, by group: the group's heading, its
/// objective, its actions as they stood in the context's period.
fn plan_lists<'a>(ctx: &Ctx<'a>) -> Vec<(String, Option<&'a Objective>, Vec<Action>)> {
    fn walk<'a>(
        ctx: &Ctx,
        objs: &'a [Objective],
        out: &mut Vec<(String, Option<&'a Objective>, Vec<Action>)>,
    ) {
        for o in objs {
            let label = o.label.as_ref().unwrap_or(&ctx.lp.plan.labels.objective);
            let title = match &o.reference {
                Some(r) => format!("{label} {r}: {}", o.title),
                None => o.title.clone(),
            };
            out.push((ctx.abbr(&title), Some(o), ctx.actions_in_period(&o.actions)));
            walk(ctx, &o.objectives, out);
        }
    }
    let plan = &ctx.lp.plan;
    let mut lists = Vec::new();
    if !plan.actions.is_empty() {
        lists.push((
            escape(&plan.labels.action),
            None,
            ctx.actions_in_period(&plan.actions),
        ));
    }
    walk(ctx, &plan.objectives, &mut lists);
    lists
}

/// Actions with their rows, numbered as the plan's tables number them.
fn placed<'a>(ctx: &Ctx, list: &'a [Action], objective: Option<&'a Objective>) -> Vec<Placed<'a>> {
    list.iter()
        .enumerate()
        .map(|(i, action)| Placed {
            action,
            objective,
            row: super::views::action_row(ctx, action, i),
        })
        .collect()
}

/// The fields some action of the whole plan fills, so every table of the plan
/// drops the same empty columns.
fn filled_fields(ctx: &Ctx) -> BTreeSet<ActionField> {
    if let Some(f) = ctx.filled_fields.borrow().as_ref() {
        return f.clone();
    }
    let mut filled = BTreeSet::new();
    for (_, objective, list) in plan_lists(ctx) {
        for p in placed(ctx, &list, objective) {
            for f in ActionField::ALL {
                if !filled.contains(&f) && !cell_html(ctx, f, &p).is_empty() {
                    filled.insert(f);
                }
            }
        }
    }
    *ctx.filled_fields.borrow_mut() = Some(filled.clone());
    filled
}

/// Build a table from `groups` of placed actions, with `choices` as the columns.
pub fn column_table(
    ctx: &Ctx,
    choices: &[ColumnChoice],
    groups: Vec<(String, Vec<Placed>)>,
) -> ColumnTable {
    let filled = filled_fields(ctx);
    let in_groups = |f: ActionField| {
        groups
            .iter()
            .flat_map(|(_, rows)| rows)
            .any(|p| !cell_html(ctx, f, p).is_empty())
    };
    // Pack tables hold actions the plan's walk may not (this period's entries only).
    let cols = plan_columns(choices, &ctx.lp.plan.labels, |f| {
        filled.contains(&f) || in_groups(f)
    });
    // An objective column says what a heading row would: no heading rows then.
    let headed = !cols
        .iter()
        .any(|c| c.fields.contains(&ActionField::Objective));
    ColumnTable {
        kind: "actions",
        columns: cols
            .iter()
            .map(|c| ColumnHead {
                label: c.label.clone(),
                class: class_of(c).into(),
            })
            .collect(),
        groups: groups
            .into_iter()
            .map(|(title_html, rows)| ColumnGroup {
                title_html: if headed { title_html } else { String::new() },
                rows: rows
                    .iter()
                    .map(|p| ColumnRow {
                        anchor: p.row.anchor.clone(),
                        complete: p.row.complete,
                        cells: cols
                            .iter()
                            .map(|c| ColumnCell {
                                label: c.label.clone(),
                                html: cell(ctx, c, p),
                                class: class_of(c).into(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn class_of(c: &ColumnPlan) -> &'static str {
    match c.fields.as_slice() {
        [ActionField::Saving] => "num",
        [ActionField::Status] => "status-cell",
        [ActionField::Progress] | [ActionField::LatestProgress] => "progress",
        _ => "",
    }
}

/// A cell: each field's HTML, one under the other.
fn cell(ctx: &Ctx, c: &ColumnPlan, p: &Placed) -> String {
    c.fields
        .iter()
        .map(|f| cell_html(ctx, *f, p))
        .filter(|h| !h.is_empty())
        .map(|h| {
            if c.fields.len() > 1 {
                format!("<div class=\"part\">{h}</div>")
            } else {
                h
            }
        })
        .collect()
}

/// A RAG badge: letter and name, with the rule that gave it as its title.
pub(super) fn rag_badge(r: &RagView) -> String {
    format!(
        "<span class=\"rag rag-{}\" title=\"{}\"><span class=\"rag-letter\" aria-hidden=\"true\">{}</span> {}{}</span>",
        r.key,
        escape(&r.rule),
        r.letter,
        r.name,
        if r.stated {
            " <small>(as stated)</small>"
        } else {
            ""
        }
    )
}

fn progress_html(entries: &[super::views::ProgressView]) -> String {
    entries
        .iter()
        .map(|e| {
            format!(
                "<div class=\"entry\">{}{}{}</div>",
                if e.when.is_empty() {
                    String::new()
                } else {
                    format!("<span class=\"when\">{}</span> ", escape(&e.when))
                },
                e.rag.as_ref().map(rag_badge).unwrap_or_default(),
                e.html
            )
        })
        .collect()
}

/// The objective an action sits under, found by the action's key (for tables,
/// like a pack's progress this period, that list actions from several objectives).
fn objective_of<'a>(objs: &'a [Objective], action: &Action) -> Option<&'a Objective> {
    let key = crate::history::changes::action_key(action);
    objs.iter().find_map(|o| {
        o.actions
            .iter()
            .any(|a| crate::history::changes::action_key(a) == key)
            .then_some(o)
            .or_else(|| objective_of(&o.objectives, action))
    })
}

/// One field of one action, as HTML (empty when the action has nothing there).
fn cell_html(ctx: &Ctx, f: ActionField, p: &Placed) -> String {
    let r = &p.row;
    let a = p.action;
    let objective = || {
        p.objective
            .or_else(|| objective_of(&ctx.lp.plan.objectives, a))
    };
    let text = |s: &str| escape(s);
    match f {
        ActionField::Objective => objective()
            .map(|o| match &o.reference {
                Some(r) => format!("<strong>{}</strong> {}", text(r), ctx.abbr(&o.title)),
                None => ctx.abbr(&o.title),
            })
            .unwrap_or_default(),
        ActionField::DesiredImpact => objective()
            .and_then(|o| o.desired_impact.as_deref())
            .map(|d| ctx.md(d, 4))
            .unwrap_or_default(),
        ActionField::Ref => text(&r.reference),
        ActionField::Action => {
            let title = r
                .title
                .as_deref()
                .map(|t| format!("<strong>{}</strong>", text(t)))
                .unwrap_or_default();
            title + &r.description_html
        }
        ActionField::Title => r.title.as_deref().map(text).unwrap_or_default(),
        ActionField::Description => r.description_html.clone(),
        ActionField::Deliverables => {
            if r.deliverables.is_empty() {
                return String::new();
            }
            let items: String = r
                .deliverables
                .iter()
                .map(|d| {
                    let mut when = Vec::new();
                    if !d.due.is_empty() {
                        when.push(text(&d.due));
                    }
                    if !d.revised.is_empty() {
                        when.push(format!("revised {}", text(&d.revised)));
                    }
                    if !d.status.is_empty() {
                        when.push(text(&d.status));
                    }
                    let when = if when.is_empty() {
                        String::new()
                    } else {
                        format!(" <span class=\"when\">{}</span>", when.join(" · "))
                    };
                    let notes: String = d
                        .progress
                        .iter()
                        .map(|n| format!("<br><span class=\"entry\">{n}</span>"))
                        .collect();
                    format!("<li value=\"{}\">{}{when}{notes}</li>", d.number, d.html)
                })
                .collect();
            format!("<ol class=\"deliverables\">{items}</ol>")
        }
        ActionField::Leads => r.leads_html.clone(),
        ActionField::Partners => r.partners_html.clone(),
        ActionField::AgeGroup => r.age_group.as_deref().map(text).unwrap_or_default(),
        ActionField::Timescale => text(&r.due),
        ActionField::TargetDate => a.target_date.map(|d| d.to_string()).unwrap_or_default(),
        ActionField::RevisedDate => text(&r.revised),
        ActionField::ReviewDate => text(&r.review_date),
        ActionField::Links => r.links_html.clone(),
        ActionField::Impact => match (r.impact_type.is_empty(), r.impact_expected.is_empty()) {
            (true, true) => String::new(),
            (false, true) => text(&r.impact_type),
            (true, false) => text(&r.impact_expected),
            (false, false) => format!(
                "{} <small>({})</small>",
                text(&r.impact_expected),
                text(&r.impact_type)
            ),
        },
        ActionField::ImpactMeasure => text(&r.impact_measure),
        ActionField::Saving => text(&r.saving),
        ActionField::Reduction => text(&r.reduction),
        ActionField::Progress => progress_html(&r.progress),
        ActionField::LatestProgress => progress_html(
            r.progress
                .last()
                .map(std::slice::from_ref)
                .unwrap_or_default(),
        ),
        ActionField::Status => {
            let mut h = r.rag.as_ref().map(rag_badge).unwrap_or_default();
            // Said once: the badge says "as stated"; a flag gives the reason itself.
            if let Some(rag) = &r.rag
                && !rag.stated
                && r.flags.is_empty()
            {
                h += &format!("<span class=\"rule\">{}</span>", text(&rag.rule));
            }
            for f in &r.flags {
                h += &format!("<span class=\"flag\">{}</span>", text(f));
            }
            h
        }
        ActionField::Priority => text(&r.priority),
    }
}
