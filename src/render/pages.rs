//! Views for the site-level pages: index, indicator pages and lists, glossary.

use serde::Serialize;

use super::charts::Chart;
use super::markdown::{Glossary, escape};
use super::views::{Ctx, Pair, RagView, plan_counts, plan_status_chart, plan_summary, tag_pairs};
use crate::compute::indicators::{show, show_as_written};
use crate::compute::{each_indicator, indicator_id};
use crate::model::{Indicator, Period, Site};

/// A plan on the index.
#[derive(Debug, Clone, Serialize)]
pub struct PlanCard {
    /// Link.
    pub url: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Kind.
    pub kind: String,
    /// Organisation.
    pub organisation: String,
    /// Period.
    pub period: String,
    /// Status and version.
    pub status: String,
    /// Appendix link.
    pub appendix_url: Option<String>,
    /// Status counts.
    pub summary: Vec<Pair>,
    /// Status counts as a chart.
    pub status_chart: Option<Chart>,
    /// The plan's PDF, when the build prints plans (`plans/<id>.pdf`).
    pub pdf: Option<String>,
}

/// Cards for every plan (links relative to the site root); `mode` says
/// whether their status charts are drawn.
pub fn plan_cards<'a>(
    site: &'a Site,
    facts: &'a crate::compute::facts::Facts<'a>,
    mode: super::mode::Mode,
) -> Vec<PlanCard> {
    use rayon::prelude::*;
    site.plans
        .par_iter()
        .map(|lp| {
            let mut ctx = Ctx::new(site, facts, lp, None);
            ctx.root = "";
            ctx.mode = mode;
            let p = &lp.plan;
            let counts = plan_counts(&ctx);
            let status = [p.status.map(|s| s.label().to_string()), p.version.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            PlanCard {
                url: format!("plans/{}.html", p.id.value),
                title: p.title.clone(),
                subtitle: p.subtitle.clone(),
                kind: p.kind.clone(),
                organisation: p
                    .organisation
                    .clone()
                    .unwrap_or_else(|| site.config.organisation.clone()),
                period: p.period.as_ref().map(|r| r.to_string()).unwrap_or_default(),
                status,
                appendix_url: p
                    .appendix
                    .as_ref()
                    .map(|_| format!("plans/{}-appendix.html", p.id.value)),
                summary: plan_summary(&counts),
                status_chart: plan_status_chart(&ctx, &counts, &format!("status-{}", p.id.value)),
                pdf: None,
            }
        })
        .collect()
}

/// One row of an indicator's full series.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesRow {
    /// Period.
    pub period: String,
    /// Actual.
    pub actual: String,
    /// Target.
    pub target: String,
    /// Target met.
    pub met: String,
    /// Status.
    pub rag: Option<RagView>,
    /// Rule in words.
    pub rule: String,
}

/// An indicator's own page.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorPage {
    /// Id.
    pub id: String,
    /// Title (HTML).
    pub title_html: String,
    /// Plain title (for the page title).
    pub title: String,
    /// Plan title.
    pub plan_title: String,
    /// Plan URL.
    pub plan_url: String,
    /// Details: ref, codes, definition, unit, polarity, frequency, owner, tolerance…
    pub details: Vec<Pair>,
    /// Series rows.
    pub series: Vec<SeriesRow>,
    /// Latest status.
    pub rag: Option<RagView>,
    /// Latest rule.
    pub rule: String,
    /// Direction.
    pub direction: Option<(String, String)>,
    /// Comparison and comparators.
    pub comparison: Vec<Pair>,
    /// Commentary (HTML).
    pub commentary_html: String,
    /// Trend and in-year charts.
    pub charts: Vec<Chart>,
    /// Disclosure footnote, when a figure was suppressed.
    pub footnote: Option<String>,
}

/// Build one indicator page (at `indicators/<id>.html`).
pub fn indicator_page(ctx: &Ctx, ind: &Indicator) -> IndicatorPage {
    let plan = &ctx.lp.plan;
    let status = ctx.facts.indicator(ind, &ctx.rules);
    let cal = ctx.rules.calendar;
    let mut details = Vec::new();
    let mut add = |label: &str, v: String| {
        if !v.is_empty() {
            details.push(Pair {
                label: label.into(),
                value_html: v,
            });
        }
    };
    add(
        "Reference",
        ind.reference.as_deref().map(escape).unwrap_or_default(),
    );
    add("Codes", escape(&ind.codes.join(", ")));
    add(
        "Definition",
        ind.definition
            .as_deref()
            .map(|t| ctx.glossary.to_html(t))
            .unwrap_or_default(),
    );
    add(
        "Unit",
        ind.unit.map(|u| escape(&u.label())).unwrap_or_default(),
    );
    add(
        "Polarity",
        ind.polarity
            .map(|p| p.describe().to_string())
            .unwrap_or_else(|| "not stated".into()),
    );
    add(
        "Baseline",
        ind.baseline
            .as_ref()
            .map(|b| {
                format!(
                    "{} ({})",
                    escape(&show_as_written(ind, b.value.value)),
                    b.period
                )
            })
            .unwrap_or_default(),
    );
    add(
        "Tolerance",
        ind.tolerance
            .or(ctx.site.config.tolerance)
            .map(|t| escape(&show(ind, t, crate::model::value::natural_decimals(t))))
            .unwrap_or_else(|| "none set".into()),
    );
    add(
        "Frequency",
        ind.frequency
            .map(|f| f.label().to_string())
            .unwrap_or_default(),
    );
    add(
        "Data owner",
        ind.data_owner
            .as_deref()
            .map(|t| ctx.glossary.to_html(t))
            .unwrap_or_default(),
    );
    add(
        "Success criteria",
        ind.success_criteria
            .as_deref()
            .map(escape)
            .unwrap_or_default(),
    );
    for p in tag_pairs(ctx, &ind.tags) {
        details.push(p);
    }

    let mut periods: Vec<Period> = status
        .actuals
        .iter()
        .map(|(p, _)| *p)
        .chain(status.targets.iter().map(|(p, _)| *p))
        .collect();
    periods.sort_by_key(|p| cal.sort_key(*p));
    periods.dedup();
    let series = periods
        .iter()
        .map(|p| {
            let a = status.assessments.iter().find(|a| a.period == *p);
            let target = status.targets.iter().find(|(tp, _)| tp == p);
            let note = ind
                .actuals
                .iter()
                .find(|(k, _)| k.value == *p)
                .and_then(|(_, f)| f.note.clone());
            SeriesRow {
                period: p.to_string(),
                actual: a
                    .map(|a| {
                        let v = show_as_written(ind, a.actual);
                        match &note {
                            Some(n) => format!("{v} ({n})"),
                            None => v,
                        }
                    })
                    .unwrap_or_default(),
                target: target
                    .map(|(_, t)| show_as_written(ind, *t))
                    .unwrap_or_default(),
                met: a
                    .and_then(|a| a.met)
                    .map(|m| if m { "Yes" } else { "No" }.to_string())
                    .unwrap_or_default(),
                rag: a.and_then(|a| a.rag.map(|r| RagView::new_computed(r, a.rule(ind)))),
                rule: a.map(|a| a.rule(ind)).unwrap_or_default(),
            }
        })
        .collect();

    let mut comparison = Vec::new();
    if let Some(c) = &ind.comparison {
        comparison.push(Pair {
            label: "How do we compare?".into(),
            value_html: ctx.glossary.to_html(c),
        });
    }
    for c in &ind.comparators {
        let label = match c.period {
            Some(p) => format!("{} ({p})", c.label),
            None => c.label.clone(),
        };
        comparison.push(Pair {
            label,
            value_html: escape(&show_as_written(ind, c.value)),
        });
    }
    if let Some(b) = &ind.band {
        let key = ctx
            .site
            .config
            .keys
            .bands
            .iter()
            .find(|k| k.id.value == b.key.value);
        let text = match (key, b.value) {
            (Some(k), Some(v)) => {
                let label = k
                    .levels
                    .iter()
                    .find(|l| l.value == v)
                    .map(|l| l.label.clone())
                    .unwrap_or_default();
                format!(
                    "{} {label}",
                    k.symbol.as_deref().unwrap_or("●").repeat(v as usize)
                )
            }
            _ => b.note.clone().unwrap_or_default(),
        };
        let label = match (key, b.period) {
            (Some(k), Some(p)) => format!("{} ({p})", k.title),
            (Some(k), None) => k.title.clone(),
            _ => "Band".into(),
        };
        comparison.push(Pair {
            label,
            value_html: escape(&text),
        });
    }

    let latest = status.latest.as_ref();
    IndicatorPage {
        id: indicator_id(plan, ind),
        title_html: ctx.glossary.to_html(&ind.title),
        title: ind.title.clone(),
        plan_title: plan.title.clone(),
        plan_url: format!("{}plans/{}.html", ctx.root, plan.id.value),
        details,
        series,
        rag: super::views::indicator_rag(ind, latest),
        rule: super::views::indicator_rule(ind, latest),
        direction: status
            .direction
            .as_ref()
            .map(|t| (t.direction.arrow().to_string(), t.rule(ind))),
        comparison,
        commentary_html: ind
            .commentary
            .as_deref()
            .map(|c| super::markdown::render(c, &ctx.glossary, 2))
            .unwrap_or_default(),
        charts: ctx.indicator_charts(ind),
        footnote: super::views::disclosure_note(std::iter::once(ind)),
    }
}

/// A row of the indicator list.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorListRow {
    /// Link relative to `indicators/`.
    pub url: String,
    /// Codes and ref.
    pub codes: String,
    /// Title.
    pub title: String,
    /// Plan title.
    pub plan: String,
    /// Latest actual and period.
    pub latest: String,
    /// Status.
    pub rag: Option<RagView>,
    /// Rule.
    pub rule: String,
}

/// Rows of the indicator list for `plans` (some of `site`'s), in plan order.
pub fn indicator_list<'a>(
    site: &'a Site,
    facts: &'a crate::compute::facts::Facts<'a>,
    plans: &'a [crate::model::LoadedPlan],
) -> Vec<IndicatorListRow> {
    use rayon::prelude::*;
    let per_plan = plans.par_iter().map(|lp| {
        let mut rows = Vec::new();
        let ctx = Ctx::new(site, facts, lp, None);
        each_indicator(&lp.plan, &mut |ind| {
            let s = ctx.facts.indicator(ind, &ctx.rules);
            let latest = s.latest.as_ref();
            let mut codes = ind.codes.join(", ");
            if let Some(r) = &ind.reference {
                codes = if codes.is_empty() {
                    r.clone()
                } else {
                    format!("{r} ({codes})")
                };
            }
            rows.push(IndicatorListRow {
                url: format!("{}.html", indicator_id(&lp.plan, ind)),
                codes,
                title: ind.title.clone(),
                plan: lp.plan.title.clone(),
                latest: latest
                    .map(|l| format!("{} ({})", show_as_written(ind, l.actual), l.period))
                    .unwrap_or_default(),
                rag: super::views::indicator_rag(ind, latest),
                rule: latest
                    .map(|l| l.rule(ind))
                    .unwrap_or_else(|| "No actual figures yet".into()),
            });
        });
        rows
    });
    per_plan.flatten_iter().collect()
}

/// A glossary group: site-wide or one plan's.
#[derive(Debug, Clone, Serialize)]
pub struct GlossaryGroup {
    /// Heading.
    pub title: String,
    /// Terms.
    pub terms: Vec<Pair>,
}

/// The glossary page: the site's terms, then each plan's.
pub fn glossary_groups(site: &Site) -> Vec<GlossaryGroup> {
    let mut out = Vec::new();
    let mut push = |title: String, g: Glossary| {
        let terms: Vec<Pair> = g
            .alphabetical()
            .into_iter()
            .map(|(t, e)| Pair {
                label: t,
                value_html: escape(&e),
            })
            .collect();
        if !terms.is_empty() {
            out.push(GlossaryGroup { title, terms });
        }
    };
    push(
        "Used throughout".into(),
        Glossary::merged([&site.config.glossary]),
    );
    for lp in &site.plans {
        push(lp.plan.title.clone(), Glossary::merged([&lp.plan.glossary]));
    }
    out
}

/// One finding on the data-quality page.
#[derive(Debug, Clone, Serialize)]
pub struct QualityItem {
    /// Where, in words: the file under `content/` and the line.
    pub place: String,
    /// What is wrong, as HTML (names in backticks become code).
    pub message_html: String,
    /// What to do, as HTML (names in backticks become code).
    pub hint_html: String,
}

/// A file and line as an author reads it: "plans/lac/plan.yaml, line 12",
/// relative to `content/` where the file is under it.
pub(super) fn readable_place(file: &std::path::Path, line: Option<usize>) -> String {
    let file = file.strip_prefix("content").unwrap_or(file);
    let name = file
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    match line {
        Some(n) => format!("{name}, line {n}"),
        None => name,
    }
}

/// `text` with its first letter capitalised, as a sentence on a page starts
/// (terminal diagnostics start in lower case).
pub(super) fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Escape `text` for HTML and show each `name` in backticks as code, so a
/// diagnostic written for the terminal reads properly on a page.
pub(super) fn code_spans_html(text: &str) -> String {
    let mut out = String::new();
    let mut parts = text.split('`').peekable();
    let mut inside = false;
    while let Some(part) = parts.next() {
        // An unpaired last backtick stays as written.
        if inside && parts.peek().is_none() {
            out.push('`');
            out.push_str(&super::markdown::escape(part));
            break;
        }
        if inside {
            out.push_str("<code>");
            out.push_str(&super::markdown::escape(part));
            out.push_str("</code>");
        } else {
            out.push_str(&super::markdown::escape(part));
        }
        inside = !inside;
    }
    out
}

/// Findings for one plan (or for the site's own files and the packs).
#[derive(Debug, Clone, Serialize)]
pub struct QualityGroup {
    /// Plan title, or "Site".
    pub title: String,
    /// Link to the plan page, if a plan.
    pub url: Option<String>,
    /// Findings.
    pub items: Vec<QualityItem>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn quality_places_read_relative_to_content_with_the_line_in_words() {
        assert_eq!(
            readable_place(Path::new("content/plans/lac/plan.yaml"), Some(12)),
            "plans/lac/plan.yaml, line 12"
        );
        assert_eq!(
            readable_place(Path::new("content/site.yaml"), None),
            "site.yaml"
        );
    }

    #[test]
    fn quality_sentences_start_with_a_capital() {
        assert_eq!(
            sentence_case("action 1.1 has no lead"),
            "Action 1.1 has no lead"
        );
        assert_eq!(sentence_case("`LYP` is not"), "`LYP` is not");
        assert_eq!(sentence_case(""), "");
    }

    #[test]
    fn quality_text_shows_backticked_names_as_escaped_code() {
        assert_eq!(
            code_spans_html("add `data_owner:` to each <indicator>"),
            "add <code>data_owner:</code> to each &lt;indicator&gt;"
        );
        assert_eq!(code_spans_html("a ` stray"), "a ` stray");
        assert_eq!(
            code_spans_html("`a` and `b<`"),
            "<code>a</code> and <code>b&lt;</code>"
        );
    }
}
