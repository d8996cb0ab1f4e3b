//! View models: what templates see. Every string here is either plain text
//! (escaped by Tera) or, in fields ending `_html`, HTML built by boardpack
//! from escaped text or sanitised Markdown.

use std::cell::RefCell;

use jiff::civil::Date;
use serde::Serialize;

use super::chart_data;
use super::charts::Chart;
use super::markdown::{self, Glossary, escape};
use crate::compute::actions::{self, Source};
use crate::compute::indicators::{self, Rules};
use crate::compute::{indicator_id, slug, tables};
use crate::diagnostics::Diagnostics;
use crate::model::shortcode;
use crate::model::value::format_number;
use crate::model::{
    Action, Cell, ColumnKind, Include, Indicator, LoadedPlan, Objective, Period, Plan, Pos, Rag,
    Section, Site, Table, Tags, Unit,
};

/// Site-wide values every page shows.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// Site title.
    pub title: String,
    /// Publishing organisation.
    pub organisation: String,
    /// Line under the title.
    pub description: Option<String>,
    /// Footer text.
    pub footer: Option<String>,
    /// Brand colour (validated CSS colour).
    pub primary_colour: Option<String>,
    /// Accent colour (validated CSS colour).
    pub accent_colour: Option<String>,
    /// Logo path inside the output, if any.
    pub logo: Option<String>,
}

/// A RAG badge: colour, letter, where it came from and the rule.
#[derive(Debug, Clone, Serialize)]
pub struct RagView {
    /// `red`, `amber`, `green`, `blue`.
    pub key: &'static str,
    /// `Red` …
    pub name: &'static str,
    /// `R` …
    pub letter: &'static str,
    /// True when the author stated it; false when boardpack computed it.
    pub stated: bool,
    /// The rule in words.
    pub rule: String,
}

impl RagView {
    /// A badge for a status boardpack computed.
    pub fn new_computed(rag: Rag, rule: String) -> Self {
        Self::new(rag, false, rule)
    }

    fn new(rag: Rag, stated: bool, rule: String) -> Self {
        RagView {
            key: rag.key(),
            name: rag.name(),
            letter: rag.letter(),
            stated,
            rule,
        }
    }
}

/// A labelled value.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    /// Label.
    pub label: String,
    /// Value (HTML, already escaped).
    pub value_html: String,
}

/// Shared inputs while building views for one plan.
pub struct Ctx<'a> {
    /// The site.
    pub site: &'a Site,
    /// What was worked out once for the build (statuses, table totals).
    pub facts: &'a crate::compute::facts::Facts<'a>,
    /// The plan.
    pub lp: &'a LoadedPlan,
    /// Site and plan glossary.
    pub glossary: Glossary,
    /// Date statuses are computed at.
    pub as_at: Option<Date>,
    /// Indicator rules.
    pub rules: Rules,
    /// Relative path from the page to the site root.
    pub root: &'static str,
    /// Problems found while rendering (chart shortcodes), merged after the plan.
    pub diags: RefCell<Diagnostics>,
    /// Draw charts (off for a pack's appendices, which repeat the plans).
    pub charts: bool,
    /// How far rendering goes (`check` draws no chart and sanitises no text).
    pub mode: super::mode::Mode,
    /// Put before every anchor id, so several plans can share one page (packs).
    pub anchor_prefix: String,
    /// How often each action's dates moved, by action key, from git history (when in git).
    pub slips: Option<std::sync::Arc<std::collections::BTreeMap<String, Vec<String>>>>,
    /// Indicator charts already drawn (the plan page and the indicator page share them).
    chart_cache: RefCell<std::collections::HashMap<String, Vec<Chart>>>,
    /// Figures charted so far in this context (see [`crate::limits::MAX_CHART_POINTS_PER_PLAN`]).
    pub chart_points: std::cell::Cell<usize>,
    /// The action fields some action of the plan fills (for choosing columns), once worked out.
    pub(crate) filled_fields:
        RefCell<Option<std::collections::BTreeSet<crate::model::columns::ActionField>>>,
    /// The columns of the section being built, when it (or a parent) gives its own.
    pub(crate) section_columns: RefCell<Option<crate::model::columns::Columns>>,
}

impl<'a> Ctx<'a> {
    /// Context for a plan page at depth one (`plans/<id>.html`).
    pub fn new(
        site: &'a Site,
        facts: &'a crate::compute::facts::Facts<'a>,
        lp: &'a LoadedPlan,
        up_to: Option<Period>,
    ) -> Self {
        let glossary = Glossary::merged([&site.config.glossary, &lp.plan.glossary]);
        let as_at = lp.plan.as_at.or(site.config.as_at).map(|d| d.date);
        Ctx {
            site,
            facts,
            lp,
            glossary,
            as_at,
            rules: Rules {
                calendar: site.config.calendar,
                default_tolerance: site.config.tolerance.unwrap_or(0.0),
                up_to,
            },
            root: "../",
            diags: RefCell::new(Diagnostics::new()),
            charts: true,
            mode: Default::default(),
            anchor_prefix: String::new(),
            slips: None,
            chart_cache: RefCell::default(),
            chart_points: Default::default(),
            filled_fields: RefCell::default(),
            section_columns: RefCell::default(),
        }
    }

    /// The actions as they stood at the end of the context's period, or as they stand
    /// now (their own fields, else the latest in their progress log) when there is none.
    pub fn actions_in_period(&self, list: &[Action]) -> Vec<Action> {
        match self.rules.up_to {
            Some(p) => list
                .iter()
                .filter_map(|a| crate::compute::packs::action_at(a, p, &self.rules.calendar))
                .collect(),
            None => list.iter().map(crate::compute::packs::action_now).collect(),
        }
    }

    /// An indicator's default charts, drawn once per context.
    pub fn indicator_charts(&self, ind: &Indicator) -> Vec<Chart> {
        let key = crate::compute::indicator_id(&self.lp.plan, ind);
        if let Some(c) = self.chart_cache.borrow().get(&key) {
            return c.clone();
        }
        let charts = chart_data::indicator_charts(self, ind, "");
        self.chart_cache.borrow_mut().insert(key, charts.clone());
        charts
    }

    fn charts_for_table(
        &self,
        table: &Table,
        computed: &tables::Computed,
    ) -> Result<Vec<Chart>, String> {
        if !self.charts {
            return Ok(Vec::new());
        }
        let prefix = format!("{}-", slug(&self.lp.plan.id.value));
        if table.chart.is_empty() {
            return chart_data::table_charts(self, table, computed, &Default::default(), &prefix);
        }
        let mut out = Vec::new();
        for (k, spec) in table.chart.iter().enumerate() {
            // The first chart keeps the plain id; later ones are numbered.
            let prefix = if k == 0 {
                prefix.clone()
            } else {
                format!("{prefix}c{}-", k + 1)
            };
            out.extend(chart_data::table_charts(
                self,
                table,
                computed,
                &spec.into(),
                &prefix,
            )?);
        }
        Ok(out)
    }

    pub(crate) fn md(&self, text: &str, shift: u8) -> String {
        markdown::try_render(text, &self.glossary, shift, self.mode).unwrap_or_else(|e| {
            self.diags.borrow_mut().error(&self.lp.file, None, e);
            String::new()
        })
    }

    pub(crate) fn abbr(&self, text: &str) -> String {
        self.glossary.to_html(text)
    }

    fn abbr_list(&self, items: &[String]) -> String {
        items
            .iter()
            .map(|s| self.abbr(s))
            .collect::<Vec<_>>()
            .join("<br>")
    }
}

/// Framework tags as label/value pairs.
pub fn tag_pairs(ctx: &Ctx, tags: &Tags) -> Vec<Pair> {
    let mut v = Vec::new();
    let yes_no = |b: bool| if b { "Yes" } else { "No" }.to_string();
    let list = |items: &[String]| {
        format!(
            "<ul>{}</ul>",
            items
                .iter()
                .map(|i| format!("<li>{}</li>", ctx.abbr(i)))
                .collect::<String>()
        )
    };
    if let Some(x) = &tags.ecm_outcome {
        v.push(Pair {
            label: "ECM outcome".into(),
            value_html: ctx.abbr(x),
        });
    }
    if let Some(x) = tags.cypp_priority {
        v.push(Pair {
            label: "CYPP priority".into(),
            value_html: yes_no(x),
        });
    }
    if let Some(x) = tags.laa_target {
        v.push(Pair {
            label: "LAA target".into(),
            value_html: yes_no(x),
        });
    }
    if let Some(x) = &tags.scs_theme {
        v.push(Pair {
            label: "SCS theme".into(),
            value_html: ctx.abbr(x),
        });
    }
    if let Some(x) = &tags.scs_priority {
        v.push(Pair {
            label: "SCS priority".into(),
            value_html: ctx.abbr(x),
        });
    }
    if !tags.scs_outcomes.is_empty() {
        v.push(Pair {
            label: "SCS outcomes".into(),
            value_html: list(&tags.scs_outcomes),
        });
    }
    if !tags.scs_short_term_priorities.is_empty() {
        v.push(Pair {
            label: "SCS short-term priorities".into(),
            value_html: list(&tags.scs_short_term_priorities),
        });
    }
    if let Some(x) = &tags.corporate_parenting_principle {
        v.push(Pair {
            label: "Corporate parenting principle".into(),
            value_html: ctx.abbr(x),
        });
    }
    for (k, x) in tags.other.iter() {
        v.push(Pair {
            label: k.clone(),
            value_html: ctx.abbr(x),
        });
    }
    v
}

// ---------------------------------------------------------------- tables

/// A table of figures ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    /// Anchor id.
    pub id: String,
    /// Caption.
    pub title: String,
    /// Unit line.
    pub unit: Option<String>,
    /// Column headers with alignment.
    pub columns: Vec<ColumnView>,
    /// Row groups.
    pub groups: Vec<GroupView>,
    /// Total row cells.
    pub total: Option<Vec<CellView>>,
    /// Notes (HTML).
    pub notes_html: Option<String>,
    /// Charts drawn from the table.
    pub charts: Vec<Chart>,
    /// Disclosure footnote, when a figure was suppressed.
    pub footnote: Option<String>,
}

/// A column header.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnView {
    /// Header text.
    pub label: String,
    /// True for numeric columns (right-aligned).
    pub numeric: bool,
}

/// Rows under an optional heading.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    /// Heading.
    pub title: Option<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<CellView>>,
    /// Note.
    pub note: Option<String>,
}

/// One cell.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    /// Text to show (HTML, escaped).
    pub html: String,
    /// Right-align.
    pub numeric: bool,
    /// Negative number.
    pub negative: bool,
}

fn cell_view(ctx: &Ctx, c: &Cell, kind: ColumnKind) -> CellView {
    match c {
        Cell::Blank => CellView {
            html: if !kind.is_figures() {
                String::new()
            } else {
                "–".into()
            },
            numeric: kind.is_figures(),
            negative: false,
        },
        // A reference is shown as written (no thousands separator).
        Cell::Number(v) if kind == ColumnKind::Ref => CellView {
            html: v.to_string(),
            numeric: false,
            negative: false,
        },
        Cell::Number(v) => CellView {
            html: format_number(*v, crate::model::value::natural_decimals(*v)),
            numeric: true,
            negative: *v < 0.0,
        },
        Cell::Percent(v) => CellView {
            html: Unit::Percent.format(*v, crate::model::value::natural_decimals(*v)),
            numeric: true,
            negative: *v < 0.0,
        },
        Cell::Text(t) => CellView {
            html: ctx.abbr(t),
            numeric: kind.is_figures(),
            negative: false,
        },
    }
}

/// Build the view of `table`.
pub fn table_view(ctx: &Ctx, table: &Table) -> TableView {
    // Worked out (and its problems reported) when the table was validated.
    let computed = ctx.facts.table(table, &ctx.lp.file);
    let disclosure = ctx.site.config.disclosure.as_ref();
    let suppressed = std::cell::Cell::new(false);
    let row = |cells: &[Cell]| -> Vec<CellView> {
        cells
            .iter()
            .zip(&table.columns)
            .map(|(c, col)| match (disclosure, c.number()) {
                (Some(d), Some(v)) if col.suppress && d.hides(v) => {
                    suppressed.set(true);
                    CellView {
                        html: escape(&d.marker),
                        numeric: true,
                        negative: false,
                    }
                }
                _ => cell_view(ctx, c, col.kind),
            })
            .collect()
    };
    TableView {
        id: format!("{}table-{}", ctx.anchor_prefix, slug(&table.id.value)),
        title: table.title.clone(),
        unit: table.unit.clone(),
        columns: table
            .columns
            .iter()
            .map(|c| ColumnView {
                label: c.label.clone().unwrap_or_else(|| c.key.clone()),
                numeric: c.kind.is_figures(),
            })
            .collect(),
        groups: computed
            .groups
            .iter()
            .map(|g| GroupView {
                title: g.title.clone(),
                rows: g.rows.iter().map(|r| row(&r.cells)).collect(),
                note: g.note.clone(),
            })
            .collect(),
        total: computed.total.as_deref().map(|cells| {
            // In the total row, an unsummed column is left empty rather than shown as "–".
            row(cells)
                .into_iter()
                .zip(cells)
                .map(|(mut v, c)| {
                    if *c == Cell::Blank {
                        v.html.clear();
                    }
                    v
                })
                .collect()
        }),
        notes_html: table.notes.as_deref().map(|n| ctx.md(n, 3)),
        // Fields are evaluated in order: the rows above have been drawn by now.
        footnote: disclosure
            .filter(|_| suppressed.get())
            .map(|d| d.footnote()),
        charts: match ctx.charts_for_table(table, &computed) {
            Ok(c) => c,
            Err(e) => {
                let at = table
                    .chart
                    .iter()
                    .flat_map(|c| c.columns.first())
                    .next()
                    .map_or(table.id.pos, |c| c.pos);
                ctx.diags.borrow_mut().error(
                    &ctx.lp.file,
                    Some(at),
                    format!("chart of table `{}`: {e}", table.id.value),
                );
                Vec::new()
            }
        },
    }
}

// ---------------------------------------------------------------- actions

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
    pub custom: Option<super::column_table::ColumnTable>,
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
fn date_or(d: Option<crate::model::DateSpec>, words: Option<&String>) -> String {
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
    let custom = super::column_table::choices(ctx).actions.map(|choices| {
        let placed = shown
            .iter()
            .zip(&rows)
            .map(|(action, row)| super::column_table::Placed {
                action,
                objective,
                row: row.clone(),
            })
            .collect();
        super::column_table::column_table(ctx, &choices, vec![(String::new(), placed)])
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

// ---------------------------------------------------------------- indicators

/// A table of indicators with actual and target columns by year.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorsView {
    /// Heading.
    pub label: String,
    /// Any baseline.
    pub has_baseline: bool,
    /// Years with actuals (headers).
    pub actual_years: Vec<String>,
    /// Years with targets (headers).
    pub target_years: Vec<String>,
    /// The financial year whose quarters are shown, if any.
    pub quarter_year: Option<String>,
    /// Quarter headers.
    pub quarters: Vec<String>,
    /// Any band.
    pub has_band: bool,
    /// Any comparison text.
    pub has_comparison: bool,
    /// Any commentary.
    pub has_commentary: bool,
    /// Rows.
    pub rows: Vec<IndicatorRow>,
    /// Each indicator's charts, in row order.
    pub charts: Vec<Chart>,
    /// Disclosure footnote, when a figure was suppressed.
    pub footnote: Option<String>,
    /// The same rows with the author's columns, when the plan or site chooses them.
    pub custom: Option<super::column_table::ColumnTable>,
}

/// One indicator in a table.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    /// Site-wide id.
    pub id: String,
    /// Link to the indicator page, relative to the page.
    pub url: String,
    /// Reference.
    pub reference: String,
    /// Codes joined.
    pub codes: String,
    /// Title (HTML with abbr).
    pub title_html: String,
    /// Unit label.
    pub unit: String,
    /// Polarity words.
    pub polarity: String,
    /// Baseline (`57.1% (2006/07)`).
    pub baseline: String,
    /// Actuals by `actual_years`.
    pub actuals: Vec<String>,
    /// Targets by `target_years`.
    pub targets: Vec<String>,
    /// In-year values by quarter.
    pub quarters: Vec<String>,
    /// Target in words.
    pub target_text: String,
    /// Target met for the latest actual.
    pub met: String,
    /// Latest status.
    pub rag: Option<RagView>,
    /// Rule for an unrated latest actual.
    pub rule: String,
    /// Direction arrow and words.
    pub direction: Option<(String, String)>,
    /// Band (symbols) and its label.
    pub band: String,
    /// Band label (`E`).
    pub band_label: String,
    /// Comparison (HTML).
    pub comparison_html: String,
    /// Commentary (HTML).
    pub commentary_html: String,
}

/// Figure with its note, formatted for a table.
fn figure_text(ind: &Indicator, f: &crate::model::Figure) -> String {
    let v = indicators::show_as_written(ind, f.value);
    match &f.note {
        Some(n) => format!("{v} ({n})"),
        None => v,
    }
}

/// The disclosure footnote, when any of `inds` has a figure that must not be published.
pub fn disclosure_note<'a>(inds: impl Iterator<Item = &'a Indicator>) -> Option<String> {
    for ind in inds {
        let Some(d) = &ind.disclosure else { continue };
        let values = ind
            .actuals
            .iter()
            .chain(ind.targets.iter())
            .map(|(_, f)| f.value)
            .chain(ind.baseline.iter().map(|b| b.value.value));
        if values.into_iter().any(|v| d.hides(v)) {
            return Some(d.footnote());
        }
    }
    None
}

/// The status badge of an indicator: as stated when the author gave one, else computed.
pub fn indicator_rag(ind: &Indicator, latest: Option<&indicators::Assessment>) -> Option<RagView> {
    match ind.rag {
        Some(r) => Some(RagView::new(
            r,
            true,
            format!("{}: as stated in the plan", r.name()),
        )),
        None => latest.and_then(|l| l.rag.map(|r| RagView::new(r, false, l.rule.clone()))),
    }
}

/// The words beside an indicator's status, said once: the computed rule when the
/// author stated no RAG; nothing when the stated RAG stands alone or the figures
/// agree with it; the disagreement when they do not ("stated Green; the figures
/// give Amber: …").
pub fn indicator_rule(ind: &Indicator, latest: Option<&indicators::Assessment>) -> String {
    match (ind.rag, latest) {
        (None, Some(l)) => l.rule.clone(),
        (None, None) => "Not rated: no actual figures yet".into(),
        (Some(stated), Some(l)) => match l.rag {
            Some(computed) if computed != stated => {
                format!("Stated {}; the figures give {}", stated.name(), l.rule)
            }
            _ => String::new(),
        },
        (Some(_), None) => String::new(),
    }
}

/// Build the row of one indicator for given column sets.
pub fn indicator_row(
    ctx: &Ctx,
    ind: &Indicator,
    years: (&[Period], &[Period]),
    quarter_year: Option<Period>,
) -> IndicatorRow {
    let plan = &ctx.lp.plan;
    let id = indicator_id(plan, ind);
    let status = ctx.facts.indicator(ind, &ctx.rules);
    // A figure for a period, as written. Actuals after the context's period (a pack's)
    // are left out; targets are plans, so all of them are shown.
    let lookup =
        |map: &crate::model::OrderedMap<crate::model::Located<Period>, crate::model::Figure>,
         p: Period,
         actual: bool| {
            let cal = ctx.rules.calendar;
            let in_period = !actual
                || ctx
                    .rules
                    .up_to
                    .is_none_or(|u| cal.end_index(p) <= cal.end_index(u));
            map.iter()
                .find(|(k, _)| k.value == p)
                .filter(|_| in_period)
                .map(|(_, f)| figure_text(ind, f))
                .unwrap_or_default()
        };
    let band_key = ind.band.as_ref().and_then(|b| {
        ctx.site
            .config
            .keys
            .bands
            .iter()
            .find(|k| k.id.value == b.key.value)
            .map(|k| (b, k))
    });
    let (band, band_label) = match band_key {
        Some((b, k)) => match b.value {
            Some(v) => (
                k.symbol.as_deref().unwrap_or("●").repeat(v as usize),
                k.levels
                    .iter()
                    .find(|l| l.value == v)
                    .map(|l| l.label.clone())
                    .into_iter()
                    .chain(b.note.clone())
                    .collect::<Vec<_>>()
                    .join(" · "),
            ),
            None => (b.note.clone().unwrap_or_default(), String::new()),
        },
        None => Default::default(),
    };
    let latest = status.latest.as_ref();
    IndicatorRow {
        url: format!("{}indicators/{}.html", ctx.root, id),
        id,
        reference: ind.reference.clone().unwrap_or_default(),
        codes: ind.codes.join(", "),
        title_html: ctx.abbr(&ind.title),
        unit: ind.unit.map(Unit::label).unwrap_or_default(),
        polarity: ind
            .polarity
            .map(|p| p.describe().to_string())
            .unwrap_or_default(),
        baseline: ind
            .baseline
            .as_ref()
            .map(|b| format!("{} ({})", figure_text(ind, &b.value), b.period))
            .unwrap_or_default(),
        actuals: years
            .0
            .iter()
            .map(|p| lookup(&ind.actuals, *p, true))
            .collect(),
        targets: years
            .1
            .iter()
            .map(|p| lookup(&ind.targets, *p, false))
            .collect(),
        quarters: quarter_year
            .map(|y| {
                let Period::Year(fy) = y else {
                    return Vec::new();
                };
                (1..=4)
                    .map(|q| lookup(&ind.actuals, Period::Quarter(fy, q), true))
                    .collect()
            })
            .unwrap_or_default(),
        target_text: ind.target_text.clone().unwrap_or_default(),
        met: latest
            .and_then(|l| l.met)
            .map(|m| if m { "Yes" } else { "No" }.to_string())
            .unwrap_or_default(),
        rag: indicator_rag(ind, latest),
        rule: indicator_rule(ind, latest),
        direction: status
            .direction
            .as_ref()
            .map(|(dir, rule)| (dir.arrow().to_string(), rule.clone())),
        band,
        band_label,
        comparison_html: ind
            .comparison
            .as_deref()
            .map(|c| ctx.abbr(c))
            .unwrap_or_default(),
        commentary_html: ind
            .commentary
            .as_deref()
            .map(|c| ctx.md(c, 4))
            .unwrap_or_default(),
    }
}

/// Build a table of indicators.
pub fn indicators_view(ctx: &Ctx, list: &[&Indicator], label: &str) -> IndicatorsView {
    let mut view = indicators_view_plain(ctx, list, label);
    if let Some(choices) = super::column_table::choices(ctx).indicators {
        view.custom = Some(super::indicator_columns::indicator_table(&choices, &view));
    }
    view
}

fn indicators_view_plain(ctx: &Ctx, list: &[&Indicator], label: &str) -> IndicatorsView {
    let cal = ctx.rules.calendar;
    let keep = |p: &Period| {
        ctx.rules
            .up_to
            .is_none_or(|u| cal.end_index(*p) <= cal.end_index(u))
    };
    let mut actual_years: Vec<Period> = list
        .iter()
        .flat_map(|i| i.actuals.iter().map(|(p, _)| p.value))
        .filter(|p| p.is_year() && keep(p))
        .collect();
    actual_years.sort_by_key(|p| cal.sort_key(*p));
    actual_years.dedup();
    let mut target_years: Vec<Period> = list
        .iter()
        .flat_map(|i| i.targets.iter().map(|(p, _)| p.value))
        .filter(|p| p.is_year())
        .collect();
    target_years.sort_by_key(|p| cal.sort_key(*p));
    target_years.dedup();
    let quarter_year = list
        .iter()
        .flat_map(|i| i.actuals.iter().map(|(p, _)| p.value))
        .filter(|p| matches!(p, Period::Quarter(..)) && keep(p))
        .map(|p| cal.year_of(p))
        .max_by_key(|p| cal.sort_key(*p));
    let rows: Vec<IndicatorRow> = list
        .iter()
        .map(|i| indicator_row(ctx, i, (&actual_years, &target_years), quarter_year))
        .collect();
    IndicatorsView {
        label: label.to_string(),
        has_baseline: rows.iter().any(|r| !r.baseline.is_empty()),
        actual_years: actual_years.iter().map(|p| p.to_string()).collect(),
        target_years: target_years.iter().map(|p| p.to_string()).collect(),
        quarter_year: quarter_year.map(|p| p.to_string()),
        quarters: if quarter_year.is_some() {
            ["Q1", "Q2", "Q3", "Q4"].map(String::from).to_vec()
        } else {
            Vec::new()
        },
        has_band: rows.iter().any(|r| !r.band.is_empty()),
        has_comparison: rows.iter().any(|r| !r.comparison_html.is_empty()),
        has_commentary: rows.iter().any(|r| !r.commentary_html.is_empty()),
        custom: None,
        rows,
        footnote: disclosure_note(list.iter().copied()),
        charts: list
            .iter()
            .filter(|_| ctx.charts)
            .flat_map(|i| ctx.indicator_charts(i))
            .collect(),
    }
}

// ---------------------------------------------------------------- objectives and sections

/// An objective with its actions and indicators.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveView {
    /// Anchor id.
    pub anchor: String,
    /// Heading level (3–6).
    pub level: u8,
    /// What this level is called.
    pub label: String,
    /// Reference.
    pub reference: String,
    /// Title (HTML with abbr).
    pub title_html: String,
    /// Description (HTML).
    pub description_html: String,
    /// Desired impact.
    pub desired_impact: String,
    /// Tags.
    pub tags: Vec<Pair>,
    /// Target saving.
    pub target_saving: String,
    /// Review date.
    pub review_date: String,
    /// Actions table.
    pub actions: Option<ActionsView>,
    /// Indicators table.
    pub indicators: Option<IndicatorsView>,
}

fn objectives_flat(ctx: &Ctx, objs: &[Objective], level: u8, out: &mut Vec<ObjectiveView>) {
    let plan = &ctx.lp.plan;
    for (i, o) in objs.iter().enumerate() {
        let reference = o.reference.clone().unwrap_or_default();
        let anchor_base = match slug(&reference) {
            s if s.is_empty() => format!("{level}-{}", i + 1),
            s => s,
        };
        out.push(ObjectiveView {
            anchor: format!("{}objective-{anchor_base}", ctx.anchor_prefix),
            level: level.min(6),
            label: o
                .label
                .clone()
                .unwrap_or_else(|| plan.labels.objective.clone()),
            reference,
            title_html: ctx.abbr(&o.title),
            description_html: o
                .description
                .as_deref()
                .map(|d| ctx.md(d, level))
                .unwrap_or_default(),
            desired_impact: o.desired_impact.clone().unwrap_or_default(),
            tags: tag_pairs(ctx, &o.tags),
            target_saving: o
                .target_saving
                .as_ref()
                .map(|s| format_number(s.value, 0))
                .unwrap_or_default(),
            review_date: o.review_date.map(|d| d.to_string()).unwrap_or_default(),
            actions: (!o.actions.is_empty()).then(|| actions_view_in(ctx, &o.actions, Some(o))),
            indicators: (!o.indicators.is_empty()).then(|| {
                let list: Vec<&Indicator> = o.indicators.iter().collect();
                indicators_view(ctx, &list, &plan.labels.indicators)
            }),
        });
        objectives_flat(ctx, &o.objectives, level + 1, out);
    }
}

/// A generated block in a section.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A table of figures.
    Table {
        /// The table.
        table: TableView,
    },
    /// Objectives.
    Objectives {
        /// Flattened objectives.
        objectives: Vec<ObjectiveView>,
    },
    /// Plan-level actions.
    Actions {
        /// The table.
        actions: ActionsView,
    },
    /// Plan-level indicators.
    Indicators {
        /// The table.
        indicators: IndicatorsView,
    },
    /// Risks.
    Risks {
        /// Rows.
        risks: Vec<RiskView>,
        /// Any likelihood/impact.
        scored: bool,
        /// Any owner.
        owned: bool,
    },
    /// Headline figures.
    KeyFigures {
        /// Figures.
        figures: Vec<Pair>,
    },
    /// Keys.
    Keys {
        /// RAG key.
        rag: Vec<RagKeyEntry>,
        /// Priority key.
        priority: Vec<Pair>,
        /// Band keys.
        bands: Vec<BandKeyView>,
        /// Rules in words that apply to the whole plan (periods of figures written without one).
        notes: Vec<String>,
        /// Status words read from progress notes, by the state they stand for.
        words: Vec<Pair>,
    },
    /// Glossary.
    Glossary {
        /// Terms.
        terms: Vec<Pair>,
    },
    /// Tags.
    Tags {
        /// Pairs.
        tags: Vec<Pair>,
    },
    /// Link to the appendix.
    AppendixLink {
        /// URL.
        url: String,
        /// Title.
        title: String,
    },
}

/// A risk row.
#[derive(Debug, Clone, Serialize)]
pub struct RiskView {
    /// Reference.
    pub reference: String,
    /// Risk (HTML).
    pub risk_html: String,
    /// Mitigation (HTML).
    pub mitigation_html: String,
    /// Likelihood.
    pub likelihood: String,
    /// Impact.
    pub impact: String,
    /// Owner.
    pub owner: String,
}

/// One line of the RAG key.
#[derive(Debug, Clone, Serialize)]
pub struct RagKeyEntry {
    /// `red` …
    pub key: &'static str,
    /// `R` …
    pub letter: &'static str,
    /// `Red` …
    pub name: &'static str,
    /// What it means.
    pub description: String,
}

/// A band key.
#[derive(Debug, Clone, Serialize)]
pub struct BandKeyView {
    /// Title.
    pub title: String,
    /// Levels: symbols and label.
    pub levels: Vec<Pair>,
}

/// A section flattened for templates.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// Anchor id.
    pub id: String,
    /// Number.
    pub number: String,
    /// Title.
    pub title: String,
    /// Heading level (2–6).
    pub level: u8,
    /// Start on a new printed page.
    pub page_break: bool,
    /// Body: Markdown as HTML, split where charts are placed.
    pub body: Vec<BodyPart>,
    /// Generated blocks.
    pub blocks: Vec<Block>,
}

/// Keys block, shared by plan pages and packs.
pub fn keys_block(ctx: &Ctx) -> Block {
    let keys = &ctx.site.config.keys;
    let rag = Rag::ALL
        .iter()
        .rev()
        .map(|r| RagKeyEntry {
            key: r.key(),
            letter: r.letter(),
            name: r.name(),
            description: keys.rag.get(r).cloned().unwrap_or_else(|| {
                match r {
                    Rag::Blue => "Complete",
                    Rag::Green => "On track",
                    Rag::Amber => "Slippage",
                    Rag::Red => "Significant delay",
                }
                .to_string()
            }),
        })
        .collect();
    Block::Keys {
        notes: ctx.lp.plan.period_rule.iter().cloned().collect(),
        words: ctx
            .lp
            .plan
            .status_key
            .iter()
            .map(|(state, words)| Pair {
                label: state.clone(),
                value_html: escape(words),
            })
            .collect(),
        rag,
        priority: keys
            .priority
            .iter()
            .map(|p| Pair {
                label: p.name.clone(),
                value_html: p.description.as_deref().map(escape).unwrap_or_default(),
            })
            .collect(),
        bands: keys
            .bands
            .iter()
            .map(|b| BandKeyView {
                title: b.title.clone(),
                levels: b
                    .levels
                    .iter()
                    .map(|l| Pair {
                        label: b.symbol.as_deref().unwrap_or("●").repeat(l.value as usize),
                        value_html: escape(&match &l.description {
                            Some(d) => format!("{} – {d}", l.label),
                            None => l.label.clone(),
                        }),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn block(ctx: &Ctx, inc: Include) -> Block {
    let plan = &ctx.lp.plan;
    match inc {
        Include::Objectives => {
            let mut objectives = Vec::new();
            objectives_flat(ctx, &plan.objectives, 3, &mut objectives);
            Block::Objectives { objectives }
        }
        Include::Actions => Block::Actions {
            actions: actions_view(ctx, &plan.actions),
        },
        Include::Indicators => Block::Indicators {
            indicators: indicators_view(
                ctx,
                &plan.indicators.iter().collect::<Vec<_>>(),
                &plan.labels.indicators,
            ),
        },
        Include::Risks => Block::Risks {
            scored: plan
                .risks
                .iter()
                .any(|r| r.likelihood.is_some() || r.impact.is_some()),
            owned: plan.risks.iter().any(|r| r.owner.is_some()),
            risks: plan
                .risks
                .iter()
                .map(|r| RiskView {
                    reference: r.reference.clone().unwrap_or_default(),
                    risk_html: ctx.abbr(&r.risk),
                    mitigation_html: r
                        .mitigation
                        .as_deref()
                        .map(|m| ctx.abbr(m))
                        .unwrap_or_default(),
                    likelihood: r.likelihood.clone().unwrap_or_default(),
                    impact: r.impact.clone().unwrap_or_default(),
                    owner: r.owner.clone().unwrap_or_default(),
                })
                .collect(),
        },
        Include::KeyFigures => Block::KeyFigures {
            figures: plan
                .key_figures
                .iter()
                .map(|k| Pair {
                    label: k.label.clone(),
                    value_html: match &k.note {
                        Some(n) => format!("{} <small>{}</small>", escape(&k.value), escape(n)),
                        None => escape(&k.value),
                    },
                })
                .collect(),
        },
        Include::Keys => keys_block(ctx),
        Include::Glossary => Block::Glossary {
            terms: Glossary::merged([&plan.glossary])
                .alphabetical()
                .into_iter()
                .map(|(t, e)| Pair {
                    label: t,
                    value_html: escape(&e),
                })
                .collect(),
        },
        Include::Tags => Block::Tags {
            tags: tag_pairs(ctx, &plan.tags),
        },
        Include::AppendixLink => Block::AppendixLink {
            url: format!("{}plans/{}-appendix.html", ctx.root, plan.id.value),
            title: plan
                .appendix
                .as_ref()
                .map(|a| a.title.clone())
                .unwrap_or_default(),
        },
    }
}

/// A piece of a section's text and the charts placed after it.
#[derive(Debug, Clone, Serialize)]
pub struct BodyPart {
    /// Sanitised HTML.
    pub html: String,
    /// Charts placed by a shortcode after this text.
    pub charts: Vec<Chart>,
}

/// Render a section body, drawing the charts its shortcodes place.
fn body_parts(ctx: &Ctx, body: &crate::model::Located<String>, level: u8) -> Vec<BodyPart> {
    let text = &body.value;
    let file = body
        .file
        .as_deref()
        .map_or(ctx.lp.file.as_path(), |f| f.as_path());
    // Line of the Markdown's first line in its file: 1 in a Markdown file. In YAML the
    // value's place is its first non-blank line (for a `body: |` block too), so count
    // back over the blank lines the text starts with.
    let first_line = if body.file.is_some() {
        1
    } else {
        let blank = text.lines().take_while(|l| l.trim().is_empty()).count();
        body.pos.line.saturating_sub(blank).max(1)
    };
    let lines: Vec<&str> = text.lines().collect();
    // Where a shortcode's `{{` stands in the file (a YAML block is indented).
    let at = |line: usize| Pos {
        line: first_line + line,
        column: lines
            .get(line)
            .map_or(1, |l| l.len() - l.trim_start().len() + 1)
            + if body.file.is_some() {
                0
            } else {
                body.pos.column - 1
            },
    };
    let (codes, errors) = shortcode::find(text);
    for (line, e) in errors {
        ctx.diags.borrow_mut().error(file, Some(at(line)), e);
    }
    let mut parts = Vec::new();
    let mut start = 0;
    for (n, code) in codes.iter().enumerate() {
        let chunk = lines[start..code.line].join("\n");
        let prefix = format!("{}-md{}-", slug(&ctx.lp.plan.id.value), n);
        let drawn = if ctx.charts {
            chart_data::shortcode_charts(ctx, &code.args, &prefix)
        } else {
            Ok(Vec::new())
        };
        let charts = match drawn {
            Ok(c) => c,
            Err(e) => {
                ctx.diags
                    .borrow_mut()
                    .error(file, Some(at(code.line)), format!("chart: {e}"));
                Vec::new()
            }
        };
        parts.push(BodyPart {
            html: ctx.md(&chunk, level),
            charts,
        });
        start = code.line + 1;
    }
    let rest = lines[start.min(lines.len())..].join("\n");
    parts.push(BodyPart {
        html: ctx.md(&rest, level),
        charts: Vec::new(),
    });
    parts
}

/// Flatten sections with their blocks.
pub fn sections_flat(ctx: &Ctx, sections: &[Section], level: u8, out: &mut Vec<SectionView>) {
    let plan = &ctx.lp.plan;
    for s in sections {
        let mut blocks: Vec<Block> = s
            .tables
            .iter()
            .filter_map(|t| plan.tables.iter().find(|x| x.id.value == t.value))
            .map(|t| Block::Table {
                table: table_view(ctx, t),
            })
            .collect();
        // A section's own `columns:` apply to its blocks and its sub-sections.
        let outer = s.columns.as_ref().map(|c| {
            let inherited = super::column_table::choices(ctx);
            ctx.section_columns.replace(Some(c.or(Some(&inherited))))
        });
        blocks.extend(s.include.iter().map(|i| block(ctx, *i)));
        let id = crate::compute::sanity::section_id(s);
        out.push(SectionView {
            id: format!("{}s-{id}", ctx.anchor_prefix),
            number: s.number.clone().unwrap_or_default(),
            title: s.title.clone(),
            level: level.min(6),
            page_break: s.page_break,
            body: s
                .body
                .as_ref()
                .map(|b| body_parts(ctx, b, level))
                .unwrap_or_default(),
            blocks,
        });
        sections_flat(ctx, &s.sections, level + 1, out);
        if let Some(outer) = outer {
            ctx.section_columns.replace(outer);
        }
    }
}

/// The whole plan page.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Kind.
    pub kind: String,
    /// Organisation.
    pub organisation: String,
    /// Period covered.
    pub period: String,
    /// Version.
    pub version: Option<String>,
    /// Status label.
    pub status: Option<String>,
    /// True for drafts (watermark).
    pub draft: bool,
    /// Details: owner, sign-off, lead partner, contacts, as-at date.
    pub details: Vec<Pair>,
    /// Sections.
    pub sections: Vec<SectionView>,
    /// Appendix page, if any.
    pub appendix_url: Option<String>,
    /// Appendix title.
    pub appendix_title: Option<String>,
    /// End with a blank page for duplex printing.
    pub blank_last_page: bool,
    /// Counts of actions and indicators by status.
    pub summary: Vec<Pair>,
    /// The counts as a chart.
    pub status_chart: Option<Chart>,
}

/// Summary counts of a plan: actions and indicators by RAG.
pub fn plan_summary(ctx: &Ctx) -> Vec<Pair> {
    let counts = plan_counts(ctx);
    summary_pairs(&counts)
}

/// The plan's status counts as a stacked bar chart.
pub fn plan_status_chart(ctx: &Ctx, id: &str) -> Option<Chart> {
    let counts = plan_counts(ctx);
    let rows: Vec<(String, [usize; 5])> = [("Actions", counts[0]), ("Indicators", counts[1])]
        .into_iter()
        .filter(|(_, c)| c.iter().sum::<usize>() > 0)
        .map(|(n, c)| (n.to_string(), c))
        .collect();
    chart_data::status_chart(id, &ctx.lp.plan.title, &rows, ctx.mode)
}

/// Actions and indicators by status: `[actions, indicators]`, each Red, Amber, Green, Blue, not rated.
pub fn plan_counts(ctx: &Ctx) -> [[usize; 5]; 2] {
    let plan = &ctx.lp.plan;
    let mut counts = [[0usize; 5]; 2];
    let mut all = Vec::new();
    crate::compute::each_action(plan, &mut |a| all.push(a.clone()));
    for a in ctx.actions_in_period(&all) {
        let s = actions::assess(&a, ctx.as_at);
        let i = s.rag.map_or(4, |(r, _, _)| r as usize);
        counts[0][i] += 1;
    }
    crate::compute::each_indicator(plan, &mut |ind| {
        let s = ctx.facts.indicator(ind, &ctx.rules);
        let i = ind
            .rag
            .or(s.latest.as_ref().and_then(|l| l.rag))
            .map_or(4, |r| r as usize);
        counts[1][i] += 1;
    });
    counts
}

fn summary_pairs(counts: &[[usize; 5]; 2]) -> Vec<Pair> {
    let mut out = Vec::new();
    for (name, c) in [("Actions", counts[0]), ("Indicators", counts[1])] {
        let total: usize = c.iter().sum();
        if total == 0 {
            continue;
        }
        let mut parts: Vec<String> = Rag::ALL
            .iter()
            .filter(|r| c[**r as usize] > 0)
            .map(|r| {
                format!(
                    "<span class=\"rag rag-{}\"><span class=\"rag-letter\">{}</span> {} {}</span>",
                    r.key(),
                    r.letter(),
                    c[*r as usize],
                    r.name()
                )
            })
            .collect();
        if c[4] > 0 {
            parts.push(format!(
                "<span class=\"rag rag-none\">{} not rated</span>",
                c[4]
            ));
        }
        out.push(Pair {
            label: format!("{name} ({total})"),
            value_html: parts.join(" "),
        });
    }
    out
}

/// Build the plan page view.
pub fn plan_view(ctx: &Ctx) -> PlanView {
    let plan: &Plan = &ctx.lp.plan;
    let mut details = Vec::new();
    let mut add = |label: &str, v: &Option<String>| {
        if let Some(v) = v {
            details.push(Pair {
                label: label.into(),
                value_html: ctx.abbr(v),
            });
        }
    };
    add("Owner", &plan.owner);
    add("Sign-off", &plan.sign_off);
    add("Lead partner", &plan.lead_partner);
    for c in &plan.contacts {
        details.push(Pair {
            label: c.role.clone(),
            value_html: ctx.abbr(&c.name),
        });
    }
    if let Some(d) = ctx.as_at {
        details.push(Pair {
            label: "Statuses as at".into(),
            value_html: actions::show_date(d),
        });
    }
    let mut sections = Vec::new();
    sections_flat(ctx, &plan.sections, 2, &mut sections);
    super::anchors::make_unique(&mut sections);
    PlanView {
        id: plan.id.value.clone(),
        title: plan.title.clone(),
        subtitle: plan.subtitle.clone(),
        kind: plan.kind.clone(),
        organisation: plan
            .organisation
            .clone()
            .unwrap_or_else(|| ctx.site.config.organisation.clone()),
        period: plan
            .period
            .as_ref()
            .map(|r| r.to_string())
            .unwrap_or_default(),
        version: plan.version.clone(),
        status: plan.status.map(|s| s.label().to_string()),
        draft: plan.status == Some(crate::model::DocStatus::Draft),
        details,
        sections,
        appendix_url: plan
            .appendix
            .as_ref()
            .map(|_| format!("{}plans/{}-appendix.html", ctx.root, plan.id.value)),
        appendix_title: plan.appendix.as_ref().map(|a| a.title.clone()),
        blank_last_page: plan.blank_last_page,
        summary: plan_summary(ctx),
        status_chart: plan_status_chart(ctx, &format!("{}-status", slug(&plan.id.value))),
    }
}

/// The landscape appendix: every objective's actions in one wide table.
#[derive(Debug, Clone, Serialize)]
pub struct AppendixView {
    /// Title.
    pub title: String,
    /// Intro (HTML).
    pub intro_html: String,
    /// Notes (HTML).
    pub notes_html: String,
    /// Objectives with their action rows.
    pub groups: Vec<AppendixGroup>,
    /// Total saving of all actions, formatted.
    pub total_saving: String,
    /// Column flags from all actions.
    pub columns: ActionsView,
    /// The columns that have content, and their widths.
    pub layout: super::columns::ColumnLayout,
    /// The table with the author's columns, when the plan or site chooses them.
    pub custom: Option<super::column_table::ColumnTable>,
}

/// An objective heading row and its actions.
#[derive(Debug, Clone, Serialize)]
pub struct AppendixGroup {
    /// Heading, as plain text (names the table's scroll region).
    pub title: String,
    /// Heading (HTML).
    pub title_html: String,
    /// Target saving stated for the objective.
    pub target_saving: String,
    /// Rows.
    pub rows: Vec<ActionRow>,
}

/// Build the appendix view.
pub fn appendix_view(ctx: &Ctx) -> Option<AppendixView> {
    let plan = &ctx.lp.plan;
    let app = plan.appendix.as_ref()?;
    let mut groups = Vec::new();
    fn walk(ctx: &Ctx, objs: &[Objective], groups: &mut Vec<AppendixGroup>) {
        for o in objs {
            let title = match &o.reference {
                Some(r) => format!(
                    "{} {r}: {}",
                    o.label
                        .clone()
                        .unwrap_or_else(|| ctx.lp.plan.labels.objective.clone()),
                    o.title
                ),
                None => o.title.clone(),
            };
            groups.push(AppendixGroup {
                title_html: ctx.abbr(&title),
                title,
                target_saving: o
                    .target_saving
                    .as_ref()
                    .map(|s| format_number(s.value, 0))
                    .unwrap_or_default(),
                rows: actions_view(ctx, &o.actions).rows,
            });
            walk(ctx, &o.objectives, groups);
        }
    }
    if !plan.actions.is_empty() {
        groups.push(AppendixGroup {
            title: plan.labels.action.clone(),
            title_html: escape(&plan.labels.action),
            target_saving: String::new(),
            rows: actions_view(ctx, &plan.actions).rows,
        });
    }
    walk(ctx, &plan.objectives, &mut groups);
    let mut all = Vec::new();
    crate::compute::each_action(plan, &mut |a| all.push(a.clone()));
    let all = ctx.actions_in_period(&all);
    let columns = actions_view(ctx, &all);
    let total: f64 = all
        .iter()
        .filter_map(|a| {
            a.impact
                .as_ref()
                .and_then(|i| i.saving.as_ref())
                .map(|s| s.value)
        })
        .sum();
    let layout = super::columns::layout(groups.iter().flat_map(|g| &g.rows));
    let choices = super::column_table::choices(ctx);
    let custom = choices
        .appendix
        .or(choices.actions)
        .map(|c| super::column_table::appendix_table(ctx, &c));
    Some(AppendixView {
        custom,
        layout,
        title: app.title.clone(),
        intro_html: app
            .intro
            .as_deref()
            .map(|t| ctx.md(t, 1))
            .unwrap_or_default(),
        notes_html: app
            .notes
            .as_deref()
            .map(|t| ctx.md(t, 1))
            .unwrap_or_default(),
        groups,
        total_saving: if columns.has_impact {
            format_number(total, 0)
        } else {
            String::new()
        },
        columns: ActionsView {
            rows: Vec::new(),
            // The appendix's own heading unless the plan's `labels:` names actions.
            action_label: if columns.action_label == crate::model::Labels::default().action {
                "Workstream / activity".into()
            } else {
                columns.action_label.clone()
            },
            ..columns
        },
    })
}
