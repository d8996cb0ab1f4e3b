//! The quarterly board pack page: cover, contents, summary, exceptions,
//! changes since the previous pack, each plan this period, and appendices.

use serde::Serialize;

use super::charts::Chart;
use super::markdown::{self, Glossary, escape};
use super::views::{
    self, ActionsView, AppendixView, Block, Ctx, IndicatorsView, Pair, RagView, SectionView,
};
use crate::compute::packs::{self, Change, Exception};
use crate::compute::slug;
use crate::model::{LoadedPack, LoadedPlan, PackPart, Period, Site};

/// A pack ready for its template.
#[derive(Debug, Clone, Serialize)]
pub struct PackView {
    /// URL slug (`2008-09-q2`).
    pub slug: String,
    /// Title.
    pub title: String,
    /// Board.
    pub board: String,
    /// Organisation.
    pub organisation: String,
    /// Meeting date.
    pub meeting_date: String,
    /// Period (`2008/09 Q2`).
    pub period: String,
    /// Months of the period (`Jul–Sep 2008`).
    pub period_months: String,
    /// Version.
    pub version: Option<String>,
    /// Status label.
    pub status: Option<String>,
    /// Draft (watermark).
    pub draft: bool,
    /// Protective marking.
    pub marking: Option<String>,
    /// Agenda item, when given.
    pub agenda_item: Option<String>,
    /// Paper reference, when given.
    pub paper_ref: Option<String>,
    /// The marking and title as a CSS string for the running header.
    pub running_header_css: String,
    /// Cover note (HTML).
    pub cover_note_html: String,
    /// Date statuses are computed at.
    pub as_at: String,
    /// Link to the PDF, when one was printed.
    pub pdf: Option<String>,
    /// Contents: anchor and title.
    pub toc: Vec<TocEntry>,
    /// Parts in order.
    pub parts: Vec<PartView>,
}

/// An entry of the contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// Anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// Nesting level (1 = part).
    pub level: u8,
}

/// One part of the pack.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PartView {
    /// Counts by status.
    Summary {
        /// Per plan.
        plans: Vec<PlanSummary>,
    },
    /// Exceptions.
    Exceptions {
        /// Per plan.
        plans: Vec<PlanExceptions>,
    },
    /// Changes since the previous pack.
    Changes {
        /// The previous pack, if any.
        previous: Option<PackLink>,
        /// Per plan.
        plans: Vec<PlanChanges>,
    },
    /// Changes to the plans themselves since the board last met, from git history.
    PlanChanges(Box<crate::history::view::PlanChangesPart>),
    /// Each plan this period.
    Plans {
        /// Per plan.
        plans: Vec<PlanThisPeriod>,
    },
    /// Appendices.
    Appendices(Box<Appendices>),
}

/// The appendices of a pack.
#[derive(Debug, Clone, Serialize)]
pub struct Appendices {
    /// Full plans.
    pub plans: Vec<PlanAppendix>,
    /// Indicator definitions.
    pub definitions: Vec<Definition>,
    /// Keys block.
    pub keys: Block,
    /// Glossary.
    pub glossary: Vec<Pair>,
}

/// Link to another pack.
#[derive(Debug, Clone, Serialize)]
pub struct PackLink {
    /// Period.
    pub period: String,
    /// URL relative to this pack's page.
    pub url: String,
}

/// A plan's counts.
#[derive(Debug, Clone, Serialize)]
pub struct PlanSummary {
    /// Title.
    pub title: String,
    /// Counts.
    pub summary: Vec<Pair>,
    /// Chart.
    pub chart: Option<Chart>,
}

/// A plan's exceptions.
#[derive(Debug, Clone, Serialize)]
pub struct PlanExceptions {
    /// Title.
    pub title: String,
    /// Rows.
    pub rows: Vec<ExceptionRow>,
}

/// One exception.
#[derive(Debug, Clone, Serialize)]
pub struct ExceptionRow {
    /// Indicator or Action.
    pub kind: String,
    /// Reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Link, for indicators.
    pub url: Option<String>,
    /// Status badge.
    pub rag: Option<RagView>,
    /// Why it is listed.
    pub reasons: Vec<String>,
    /// Lead (HTML with abbr).
    pub lead_html: String,
    /// Latest commentary (HTML).
    pub commentary_html: String,
}

/// A plan's changes.
#[derive(Debug, Clone, Serialize)]
pub struct PlanChanges {
    /// Title.
    pub title: String,
    /// Rows.
    pub rows: Vec<ChangeRow>,
}

/// One change.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    /// Kind.
    pub kind: String,
    /// Item (HTML with abbr).
    pub item_html: String,
    /// Detail (HTML with abbr).
    pub detail_html: String,
}

/// A plan's progress and figures this period.
#[derive(Debug, Clone, Serialize)]
pub struct PlanThisPeriod {
    /// Anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// Indicators with figures up to the period, with charts.
    pub indicators: Option<IndicatorsView>,
    /// Actions with progress entries for this period.
    pub actions: Option<ActionsView>,
}

/// A full plan as an appendix.
#[derive(Debug, Clone, Serialize)]
pub struct PlanAppendix {
    /// Anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// The plan's sections.
    pub sections: Vec<SectionView>,
    /// Its landscape action plan, if it has one.
    pub landscape: Option<AppendixView>,
}

/// An indicator definition.
#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    /// Codes and reference.
    pub codes: String,
    /// Title.
    pub title: String,
    /// Definition or "not given".
    pub definition: String,
    /// Unit and polarity.
    pub unit: String,
    /// Frequency and data owner.
    pub source: String,
}

/// Quote text for a CSS string (running headers): no quotes, backslashes, newlines or `<`.
pub fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\22 "),
            '\\' => out.push_str("\\5C "),
            '<' => out.push_str("\\3C "),
            '>' => out.push_str("\\3E "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn rag_badge(e: &Exception) -> Option<RagView> {
    e.rag
        .map(|r| RagView::new_computed(r, e.reasons.first().cloned().unwrap_or_default()))
}

fn pack_ctx<'a>(
    site: &'a Site,
    facts: &'a crate::compute::facts::Facts<'a>,
    p: &'a LoadedPlan,
    period: Period,
    date: jiff::civil::Date,
    mode: super::mode::Mode,
) -> Ctx<'a> {
    let mut c = Ctx::new(site, facts, p, Some(period));
    c.as_at = Some(date);
    c.root = "../../";
    c.mode = mode;
    c
}

/// Build the view of `lp`, with the previous pack (if any), whether a PDF is
/// printed, the changes to its plans from git history (when the site is in git),
/// and how far rendering goes (`mode`).
pub fn pack_view<'a>(
    site: &'a Site,
    facts: &'a crate::compute::facts::Facts<'a>,
    lp: &LoadedPack,
    previous: Option<&LoadedPack>,
    pdf: bool,
    history: Option<&crate::history::SiteHistory>,
    mode: super::mode::Mode,
) -> PackView {
    let pack = &lp.pack;
    let cal = site.config.calendar;
    let period: Period = pack.period.value;
    let date = packs::pack_date(pack, &cal);
    let plans: Vec<&'a LoadedPlan> = pack
        .plans
        .iter()
        .filter_map(|id| site.plans.iter().find(|p| p.plan.id.value == id.value))
        .collect();
    let make_ctx = |p: &'a LoadedPlan| pack_ctx(site, facts, p, period, date, mode);
    let mut toc = Vec::new();
    let mut parts = Vec::new();
    for part in &pack.parts {
        match part {
            PackPart::Summary => {
                toc.push(TocEntry {
                    id: "summary".into(),
                    title: "Summary".into(),
                    level: 1,
                });
                parts.push(PartView::Summary {
                    plans: plans
                        .iter()
                        .map(|p| {
                            let ctx = make_ctx(p);
                            let counts = views::plan_counts(&ctx);
                            PlanSummary {
                                title: p.plan.title.clone(),
                                summary: views::plan_summary(&counts),
                                chart: views::plan_status_chart(
                                    &ctx,
                                    &counts,
                                    &format!("summary-{}", slug(&p.plan.id.value)),
                                ),
                            }
                        })
                        .collect(),
                });
            }
            PackPart::Exceptions => {
                toc.push(TocEntry {
                    id: "exceptions".into(),
                    title: "Exceptions".into(),
                    level: 1,
                });
                parts.push(PartView::Exceptions {
                    plans: plans
                        .iter()
                        .map(|p| {
                            let ctx = make_ctx(p);
                            PlanExceptions {
                                title: p.plan.title.clone(),
                                rows: packs::exceptions(
                                    ctx.facts, &p.plan, period, date, &ctx.rules,
                                )
                                .into_iter()
                                .map(|e| ExceptionRow {
                                    kind: e.kind.to_string(),
                                    reference: e.reference.clone(),
                                    title: e.title.clone(),
                                    url: e
                                        .indicator_id
                                        .as_ref()
                                        .map(|id| format!("../../indicators/{id}.html")),
                                    rag: rag_badge(&e),
                                    reasons: e.reasons.clone(),
                                    lead_html: ctx.glossary.to_html(&e.lead),
                                    commentary_html: markdown::render(
                                        &e.commentary,
                                        &ctx.glossary,
                                        4,
                                    ),
                                })
                                .collect(),
                            }
                        })
                        .collect(),
                });
            }
            PackPart::Changes => {
                toc.push(TocEntry {
                    id: "changes".into(),
                    title: "Changes since the previous pack".into(),
                    level: 1,
                });
                let prev = previous.map(|pp| PackLink {
                    period: pp.pack.period.value.to_string(),
                    url: format!("../{}/index.html", pp.slug),
                });
                let rows = |p: &'a LoadedPlan| -> Vec<Change> {
                    let Some(pp) = previous else {
                        return Vec::new();
                    };
                    let ctx = make_ctx(p);
                    let before = pp.pack.period.value;
                    packs::changes(
                        ctx.facts,
                        &p.plan,
                        before,
                        period,
                        (packs::pack_date(&pp.pack, &cal), date),
                        &ctx.rules,
                    )
                };
                parts.push(PartView::Changes {
                    previous: prev,
                    plans: plans
                        .iter()
                        .map(|p| {
                            let ctx = make_ctx(p);
                            PlanChanges {
                                title: p.plan.title.clone(),
                                rows: rows(p)
                                    .into_iter()
                                    .map(|c| ChangeRow {
                                        kind: c.kind.to_string(),
                                        item_html: ctx.glossary.to_html(&c.item),
                                        detail_html: ctx.glossary.to_html(&c.detail),
                                    })
                                    .collect(),
                            }
                        })
                        .collect(),
                });
            }
            PackPart::PlanChanges => {
                let ids: Vec<(String, String)> = plans
                    .iter()
                    .map(|p| (p.plan.id.value.clone(), p.plan.title.clone()))
                    .collect();
                // Outside git the part is left out altogether.
                if let Some(part) = history.and_then(|h| h.pack_part(&lp.slug, &ids)) {
                    toc.push(TocEntry {
                        id: "plan-changes".into(),
                        title: "Changes to the plans since the last meeting".into(),
                        level: 1,
                    });
                    parts.push(PartView::PlanChanges(Box::new(part)));
                }
            }
            PackPart::Plans => {
                toc.push(TocEntry {
                    id: "this-period".into(),
                    title: format!("Progress in {period}"),
                    level: 1,
                });
                let mut list = Vec::new();
                for p in &plans {
                    let mut ctx = make_ctx(p);
                    ctx.anchor_prefix = format!("period-{}-", slug(&p.plan.id.value));
                    let id = format!("period-{}", slug(&p.plan.id.value));
                    toc.push(TocEntry {
                        id: id.clone(),
                        title: p.plan.title.clone(),
                        level: 2,
                    });
                    let mut indicators = Vec::new();
                    crate::compute::each_indicator(&p.plan, &mut |i| indicators.push(i));
                    let mut actions = Vec::new();
                    crate::compute::each_action(&p.plan, &mut |a| actions.push(a.clone()));
                    // Actions with a progress entry for this period, showing only those entries.
                    // Undated entries are this period's when nothing in the plan is later.
                    let undated = crate::compute::packs::undated_is_current(&p.plan, period, &cal);
                    let this_period: Vec<_> = ctx
                        .actions_in_period(&actions)
                        .into_iter()
                        .filter_map(|mut a| {
                            a.progress.retain(|e| {
                                (undated && e.period.is_none() && e.date.is_none())
                                    || e.period == Some(period)
                                    || e.date.is_some_and(|d| {
                                        let idx = i64::from(d.date.year()) * 12
                                            + i64::from(d.date.month())
                                            - 1;
                                        idx >= cal.start_index(period)
                                            && idx <= cal.end_index(period)
                                    })
                            });
                            (!a.progress.is_empty()).then_some(a)
                        })
                        .collect();
                    list.push(PlanThisPeriod {
                        id,
                        title: p.plan.title.clone(),
                        indicators: (!indicators.is_empty()).then(|| {
                            views::indicators_view(&ctx, &indicators, &p.plan.labels.indicators)
                        }),
                        actions: (!this_period.is_empty())
                            .then(|| views::actions_view(&ctx, &this_period)),
                    });
                }
                parts.push(PartView::Plans { plans: list });
            }
            PackPart::Appendices => {
                toc.push(TocEntry {
                    id: "appendices".into(),
                    title: "Appendices".into(),
                    level: 1,
                });
                let mut full = Vec::new();
                let mut definitions = Vec::new();
                let mut glossaries = vec![&site.config.glossary];
                for p in &plans {
                    let mut ctx = make_ctx(p);
                    ctx.charts = false;
                    ctx.anchor_prefix = format!("{}-", slug(&p.plan.id.value));
                    let id = format!("appendix-{}", slug(&p.plan.id.value));
                    toc.push(TocEntry {
                        id: id.clone(),
                        title: format!("Appendix: {}", p.plan.title),
                        level: 2,
                    });
                    let mut sections = Vec::new();
                    views::sections_flat(&ctx, &p.plan.sections, 3, &mut sections);
                    super::anchors::make_unique(&mut sections);
                    full.push(PlanAppendix {
                        id,
                        title: p.plan.title.clone(),
                        sections,
                        landscape: views::appendix_view(&ctx),
                    });
                    crate::compute::each_indicator(&p.plan, &mut |i| {
                        let mut codes = i.codes.join(", ");
                        if let Some(r) = &i.reference {
                            codes = if codes.is_empty() {
                                r.clone()
                            } else {
                                format!("{r} ({codes})")
                            };
                        }
                        definitions.push(Definition {
                            codes,
                            title: i.title.clone(),
                            definition: i
                                .definition
                                .clone()
                                .unwrap_or_else(|| "Not given in the plan".into()),
                            unit: [
                                i.unit.map(|u| u.label()),
                                i.polarity.map(|p| p.describe().to_string()),
                            ]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(", "),
                            source: [
                                i.frequency.map(|f| f.label().to_string()),
                                i.data_owner.clone(),
                            ]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(", "),
                        });
                    });
                    glossaries.push(&p.plan.glossary);
                }
                toc.push(TocEntry {
                    id: "definitions".into(),
                    title: "Indicator definitions".into(),
                    level: 2,
                });
                toc.push(TocEntry {
                    id: "keys".into(),
                    title: "Keys and glossary".into(),
                    level: 2,
                });
                let ctx = plans.first().map(|p| make_ctx(p));
                parts.push(PartView::Appendices(Box::new(Appendices {
                    plans: full,
                    definitions,
                    keys: match &ctx {
                        Some(c) => views::keys_block(c),
                        None => Block::Glossary { terms: Vec::new() },
                    },
                    glossary: Glossary::merged(glossaries)
                        .alphabetical()
                        .into_iter()
                        .map(|(t, e)| Pair {
                            label: t,
                            value_html: escape(&e),
                        })
                        .collect(),
                })));
            }
        }
    }
    let marking = pack.marking.clone();
    let header = match &marking {
        Some(m) => format!("{} – {m}", pack.title),
        None => pack.title.clone(),
    };
    PackView {
        slug: lp.slug.clone(),
        title: pack.title.clone(),
        board: pack.board.clone(),
        organisation: site.config.organisation.clone(),
        meeting_date: pack.meeting_date.to_string(),
        period: period.to_string(),
        period_months: cal.describe(period),
        version: pack.version.clone(),
        status: pack.status.map(|s| s.label().to_string()),
        draft: pack.status == Some(crate::model::DocStatus::Draft),
        marking,
        agenda_item: pack.agenda_item.clone(),
        paper_ref: pack.paper_ref.clone(),
        running_header_css: css_string(&header),
        cover_note_html: pack
            .cover_note
            .as_deref()
            .map(|n| markdown::render(n, &Glossary::merged([&site.config.glossary]), 1))
            .unwrap_or_default(),
        as_at: crate::compute::actions::show_date(date),
        pdf: pdf.then(|| "pack.pdf".to_string()),
        toc,
        parts,
    }
}

/// A pack on the index page.
#[derive(Debug, Clone, Serialize)]
pub struct PackCard {
    /// Link.
    pub url: String,
    /// Title.
    pub title: String,
    /// Board.
    pub board: String,
    /// Period.
    pub period: String,
    /// Meeting date.
    pub meeting_date: String,
    /// Status.
    pub status: String,
    /// PDF link.
    pub pdf: Option<String>,
}

/// Cards for every pack, newest first.
pub fn pack_cards(site: &Site, pdf: bool) -> Vec<PackCard> {
    site.packs
        .iter()
        .rev()
        .map(|p| PackCard {
            url: format!("packs/{}/index.html", p.slug),
            title: p.pack.title.clone(),
            board: p.pack.board.clone(),
            period: p.pack.period.value.to_string(),
            meeting_date: p.pack.meeting_date.to_string(),
            status: [
                p.pack.status.map(|s| s.label().to_string()),
                p.pack.version.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
            pdf: pdf.then(|| format!("packs/{}/pack.pdf", p.slug)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_escape() {
        assert_eq!(
            css_string("A \"b\" </style>"),
            "\"A \\22 b\\22  \\3C /style\\3E \""
        );
    }
}
