//! View models: what templates see. Every string here is either plain text
//! (escaped by Tera) or, in fields ending `_html`, HTML built by boardpack
//! from escaped text or sanitised Markdown.

mod action_views;
mod indicator_views;
mod section_views;
mod table_views;

pub use action_views::*;
pub use indicator_views::*;
pub use section_views::*;
pub use table_views::*;

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

/// The plan's status counts (from [`plan_counts`]) as a stacked bar chart.
pub fn plan_status_chart(ctx: &Ctx, counts: &[[usize; 5]; 2], id: &str) -> Option<Chart> {
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

/// Summary counts of a plan (from [`plan_counts`]): actions and indicators by RAG.
pub fn plan_summary(counts: &[[usize; 5]; 2]) -> Vec<Pair> {
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
    let counts = plan_counts(ctx);
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
        summary: plan_summary(&counts),
        status_chart: plan_status_chart(ctx, &counts, &format!("{}-status", slug(&plan.id.value))),
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
