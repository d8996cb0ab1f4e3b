//! Indicators: rows with their figures, status and direction; the indicators table.

use super::*;

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
    pub custom: Option<crate::render::column_table::ColumnTable>,
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
pub(crate) fn figure_text(ind: &Indicator, f: &crate::model::Figure) -> String {
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
        None => latest.and_then(|l| l.rag.map(|r| RagView::new(r, false, l.rule(ind)))),
    }
}

/// The words beside an indicator's status, said once: the computed rule when the
/// author stated no RAG; nothing when the stated RAG stands alone or the figures
/// agree with it; the disagreement when they do not ("stated Green; the figures
/// give Amber: …").
pub fn indicator_rule(ind: &Indicator, latest: Option<&indicators::Assessment>) -> String {
    match (ind.rag, latest) {
        (None, Some(l)) => l.rule(ind),
        (None, None) => "Not rated: no actual figures yet".into(),
        (Some(stated), Some(l)) => match l.rag {
            Some(computed) if computed != stated => {
                format!("Stated {}; the figures give {}", stated.name(), l.rule(ind))
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
            .map(|t| (t.direction.arrow().to_string(), t.rule(ind))),
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
    if let Some(choices) = crate::render::column_table::choices(ctx).indicators {
        view.custom = Some(crate::render::indicator_columns::indicator_table(
            &choices, &view,
        ));
    }
    view
}

pub(crate) fn indicators_view_plain(ctx: &Ctx, list: &[&Indicator], label: &str) -> IndicatorsView {
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
