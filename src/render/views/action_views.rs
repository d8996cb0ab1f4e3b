//! Actions: rows with their state, dates, leads and progress; the actions table.

use super::*;

/// A table of actions.
#[derive(Debug, Clone, Serialize)]
pub struct ActionsView {
    /// Header for the action column.
    pub action_label: String,
    /// Header for the lead column.
    pub lead_label: String,
    /// Header for the partners column.
    pub partners_label: String,
    /// Any reference (the appendix leaves out an empty Ref column).
    pub has_ref: bool,
    /// Any deliverables or history of moved dates (the appendix's Required column).
    pub has_deliverables: bool,
    /// Which optional columns have data.
    pub has_partners: bool,
    /// Any target or revised date or timescale.
    pub has_dates: bool,
    /// Any links to other plans.
    pub has_links: bool,
    /// Any progress entries.
    pub has_progress: bool,
    /// Any status (stated or computed).
    pub has_status: bool,
    /// Any priority.
    pub has_priority: bool,
    /// Any impact.
    pub has_impact: bool,
    /// Rows.
    pub rows: Vec<ActionRow>,
    /// The same rows with the author's columns, when the plan or site chooses them.
    pub custom: Option<crate::render::column_table::ColumnTable>,
}

/// One action.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ActionRow {
    /// Anchor id.
    pub anchor: String,
    /// Reference.
    pub reference: String,
    /// Short title.
    pub title: Option<String>,
    /// Description (HTML).
    pub description_html: String,
    /// Deliverables.
    pub deliverables: Vec<DeliverableView>,
    /// Leads (HTML with abbr).
    pub leads_html: String,
    /// Partners (HTML with abbr).
    pub partners_html: String,
    /// Age group.
    pub age_group: Option<String>,
    /// Target date or timescale.
    pub due: String,
    /// Revised date.
    pub revised: String,
    /// Links to other plans.
    pub links_html: String,
    /// Impact type.
    pub impact_type: String,
    /// Expected impact.
    pub impact_expected: String,
    /// How measured.
    pub impact_measure: String,
    /// Target saving (£'000), formatted.
    pub saving: String,
    /// Saving is negative (a reduction in spend).
    pub saving_negative: bool,
    /// Target reduction in words.
    pub reduction: String,
    /// Priority.
    pub priority: String,
    /// Status badge.
    pub rag: Option<RagView>,
    /// Overdue/slipped flags in words.
    pub flags: Vec<String>,
    /// Progress entries.
    pub progress: Vec<ProgressView>,
    /// Review date.
    pub review_date: String,
    /// Complete.
    pub complete: bool,
    /// How often its dates moved, from git history (empty outside git).
    pub history: Vec<String>,
}

/// A deliverable.
#[derive(Debug, Clone, Serialize)]
pub struct DeliverableView {
    /// Its number.
    pub number: usize,
    /// Text (HTML).
    pub html: String,
    /// Due date or timescale.
    pub due: String,
    /// True when `due` is a date (printed "by …"), not words like "Ongoing".
    pub due_is_date: bool,
    /// Revised date.
    pub revised: String,
    /// Status label.
    pub status: String,
    /// Its own progress notes (HTML), oldest first.
    pub progress: Vec<String>,
}

/// A progress entry.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressView {
    /// Period or date.
    pub when: String,
    /// Text (HTML).
    pub html: String,
    /// RAG at the time.
    pub rag: Option<RagView>,
}

/// A date, its timescale in words, or both as the source wrote them ("Apr 2002, on going").
pub(crate) fn date_or(d: Option<crate::model::DateSpec>, words: Option<&String>) -> String {
    match (d, words) {
        (Some(d), Some(w)) => format!("{d}, {w}"),
        (Some(d), None) => d.to_string(),
        (None, Some(w)) => w.clone(),
        (None, None) => String::new(),
    }
}

/// Build one action row.
pub fn action_row(ctx: &Ctx, a: &Action, index: usize) -> ActionRow {
    let state = actions::assess(a, ctx.as_at);
    let reference = a
        .reference
        .as_ref()
        .map(|r| r.value.clone())
        .unwrap_or_default();
    // A ref with no letters or digits (`—`) gets its position, like no ref at all.
    let anchor = match slug(&reference) {
        s if s.is_empty() => format!("{}action-{}", ctx.anchor_prefix, index + 1),
        s => format!("{}action-{s}", ctx.anchor_prefix),
    };
    let impact = a.impact.as_ref();
    let saving = impact.and_then(|i| i.saving.as_ref()).map(|s| s.value);
    let up_to = ctx.rules.up_to;
    let cal = ctx.rules.calendar;
    ActionRow {
        anchor,
        reference,
        title: a.title.clone(),
        description_html: a
            .description
            .as_deref()
            .map(|d| ctx.md(d, 3))
            .unwrap_or_default(),
        deliverables: a
            .deliverables
            .iter()
            .enumerate()
            .map(|(i, d)| DeliverableView {
                number: i + 1,
                html: ctx.abbr(&d.text),
                due: date_or(d.target_date, d.timescale.as_ref()),
                due_is_date: d.target_date.is_some(),
                revised: d.revised_date.map(|r| r.to_string()).unwrap_or_default(),
                status: d.status.map(|s| s.label().to_string()).unwrap_or_default(),
                progress: d.progress.iter().map(|p| ctx.abbr(&p.text)).collect(),
            })
            .collect(),
        leads_html: ctx.abbr_list(&a.leads),
        partners_html: ctx.abbr_list(&a.partners),
        age_group: a.age_group.clone(),
        due: date_or(a.target_date, a.timescale.as_ref()),
        revised: a.revised_date.map(|r| r.to_string()).unwrap_or_default(),
        links_html: ctx.abbr_list(&a.links),
        impact_type: impact
            .and_then(|i| i.kind)
            .map(|k| k.label().to_string())
            .unwrap_or_default(),
        impact_expected: impact.and_then(|i| i.expected.clone()).unwrap_or_default(),
        impact_measure: impact.and_then(|i| i.measure.clone()).unwrap_or_default(),
        saving: saving.map(|v| format_number(v, 0)).unwrap_or_default(),
        saving_negative: saving.is_some_and(|v| v < 0.0),
        reduction: impact.and_then(|i| i.reduction.clone()).unwrap_or_default(),
        priority: a
            .priority
            .as_ref()
            .map(|p| p.value.clone())
            .unwrap_or_default(),
        rag: state
            .rag
            .map(|(r, src, rule)| RagView::new(r, src == Source::Stated, rule)),
        flags: state.flags,
        progress: a
            .progress
            .iter()
            .filter(|p| match (p.period, up_to) {
                (Some(p), Some(u)) => cal.end_index(p) <= cal.end_index(u),
                _ => true,
            })
            .map(|p| ProgressView {
                when: match (p.period, p.date) {
                    (Some(per), Some(d)) => format!("{per} ({d})"),
                    (Some(per), None) => per.to_string(),
                    (None, Some(d)) => d.to_string(),
                    // In a pack, say so: the entry's period is assumed, not written.
                    (None, None) if up_to.is_some() => "Undated".into(),
                    (None, None) => String::new(),
                },
                html: ctx.md(&p.text, 3),
                rag: p
                    .rag
                    .map(|r| RagView::new(r, true, format!("{}: as stated", r.name()))),
            })
            .collect(),
        review_date: a.review_date.map(|d| d.to_string()).unwrap_or_default(),
        complete: state.complete,
        history: ctx
            .slips
            .as_ref()
            .and_then(|m| m.get(&crate::history::changes::action_key(a)))
            .cloned()
            .unwrap_or_default(),
    }
}

/// Build a table of actions.
pub fn actions_view(ctx: &Ctx, list: &[Action]) -> ActionsView {
    actions_view_in(ctx, list, None)
}

/// Build a table of the actions of `objective` (or plan-level ones when `None`).
pub fn actions_view_in(ctx: &Ctx, list: &[Action], objective: Option<&Objective>) -> ActionsView {
    let shown = ctx.actions_in_period(list);
    let rows: Vec<ActionRow> = shown
        .iter()
        .enumerate()
        .map(|(i, a)| action_row(ctx, a, i))
        .collect();
    let custom = crate::render::column_table::choices(ctx)
        .actions
        .map(|choices| {
            let placed = shown
                .iter()
                .zip(&rows)
                .map(|(action, row)| crate::render::column_table::Placed {
                    action,
                    objective,
                    row: row.clone(),
                })
                .collect();
            crate::render::column_table::column_table(ctx, &choices, vec![(String::new(), placed)])
        });
    let labels = &ctx.lp.plan.labels;
    ActionsView {
        action_label: labels.action.clone(),
        lead_label: labels.lead.clone(),
        partners_label: labels.partners.clone(),
        has_ref: rows.iter().any(|r| !r.reference.is_empty()),
        has_deliverables: rows
            .iter()
            .any(|r| !r.deliverables.is_empty() || !r.history.is_empty()),
        has_partners: rows.iter().any(|r| !r.partners_html.is_empty()),
        has_dates: rows
            .iter()
            .any(|r| !r.due.is_empty() || !r.revised.is_empty() || !r.review_date.is_empty()),
        has_links: rows.iter().any(|r| !r.links_html.is_empty()),
        has_progress: rows.iter().any(|r| !r.progress.is_empty()),
        has_status: rows.iter().any(|r| r.rag.is_some() || !r.flags.is_empty()),
        has_priority: rows.iter().any(|r| !r.priority.is_empty()),
        has_impact: rows
            .iter()
            .any(|r| !r.impact_type.is_empty() || !r.saving.is_empty()),
        rows,
        custom,
    }
}
