//! An indicator's charts: its trend over the years, with target and
//! comparators, and its progress within the year.

use crate::compute::indicator_id;
use crate::compute::indicators::{self, Status};
use crate::model::{Indicator, IndicatorChart, Period, Polarity, Unit};
use crate::render::charts::{self, Chart, ChartSize, DataTable, Line, LineSpec, RefLine};
use crate::render::views::Ctx;

/// The value formatter for an indicator's unit.
fn formatter(unit: Option<Unit>) -> fn(f64) -> String {
    match unit {
        Some(Unit::Percent) => charts::percent,
        _ => charts::plain,
    }
}

fn period_label(p: Period) -> String {
    p.to_string()
}

/// Words for how a series moved: "rose from 57.1% in 2006/07 to 67.5% in 2008/09 Q1".
fn movement(fmt: fn(f64) -> String, first: (String, f64), last: (String, f64)) -> String {
    if first.0 == last.0 {
        return format!("{} in {}", fmt(last.1), last.0);
    }
    let verb = if last.1 > first.1 {
        "rose"
    } else if last.1 < first.1 {
        "fell"
    } else {
        "stayed"
    };
    if verb == "stayed" {
        format!("stayed at {} from {} to {}", fmt(last.1), first.0, last.0)
    } else {
        format!(
            "{verb} from {} in {} to {} in {}",
            fmt(first.1),
            first.0,
            fmt(last.1),
            last.0
        )
    }
}

/// The trend chart: yearly actuals and targets, the baseline marked, comparators,
/// the latest in-year figure, the latest point labelled.
pub fn trend(ctx: &Ctx, ind: &Indicator, status: &Status, id: &str) -> Option<Chart> {
    let cal = ctx.rules.calendar;
    let fmt = formatter(ind.unit);
    let mut years: Vec<Period> = status
        .actuals
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| p.is_year())
        .chain(
            status
                .targets
                .iter()
                .map(|(p, _)| *p)
                .filter(|p| p.is_year()),
        )
        .chain(
            ind.baseline
                .iter()
                .map(|b| b.period)
                .filter(|p| p.is_year()),
        )
        .collect();
    // The latest in-year figure is shown at its year.
    let latest_in_year = status
        .actuals
        .iter()
        .rev()
        .find(|(p, _)| !p.is_year())
        .copied()
        .filter(|(_, v)| !indicators::hidden(ind, *v))
        .filter(|(p, _)| !status.actuals.iter().any(|(y, _)| *y == cal.year_of(*p)));
    if let Some((p, _)) = latest_in_year {
        years.push(cal.year_of(p));
    }
    years.sort_by_key(|p| cal.sort_key(*p));
    years.dedup();
    // Suppressed figures (disclosure control) are left out of the lines.
    let shown = |v: f64| !indicators::hidden(ind, v);
    let actual_years: Vec<(Period, f64)> = status
        .actuals
        .iter()
        .copied()
        .filter(|(p, v)| p.is_year() && shown(*v))
        .collect();
    if actual_years.is_empty() && ind.baseline.is_none() && latest_in_year.is_none() {
        return None;
    }
    let x = |p: Period| years.iter().position(|y| *y == p);
    let mut actual: Vec<(usize, f64)> = actual_years
        .iter()
        .filter_map(|(p, v)| Some((x(*p)?, *v)))
        .collect();
    let mut labels = Vec::new();
    if let Some(b) = &ind.baseline
        && let Some(i) = x(b.period)
        && shown(b.value.value)
        && !actual.iter().any(|(j, _)| *j == i)
    {
        actual.push((i, b.value.value));
        labels.push((i, format!("Baseline {}", fmt(b.value.value)), None));
    }
    actual.sort_by_key(|p| p.0);
    let targets: Vec<(usize, f64)> = status
        .targets
        .iter()
        .filter(|(p, _)| p.is_year())
        .filter_map(|(p, v)| Some((x(*p)?, *v)))
        .collect();
    let latest = status.latest.as_ref();
    let mut lines = vec![];
    if let Some(&(i, v)) = actual.last()
        && latest_in_year.is_none()
    {
        let rag = latest.and_then(|l| l.rag);
        let letter = rag.map(|r| format!(" {}", r.letter())).unwrap_or_default();
        labels.retain(|l| l.0 != i);
        labels.push((i, format!("{}{letter}", fmt(v)), rag));
    }
    lines.push(Line {
        name: "Actual".into(),
        points: actual.clone(),
        dashed: false,
        colour: 0,
        labels,
    });
    if let Some((p, v)) = latest_in_year
        && let Some(i) = x(cal.year_of(p))
    {
        let rag = latest.and_then(|l| l.rag);
        let letter = rag.map(|r| format!(" {}", r.letter())).unwrap_or_default();
        lines.push(Line {
            name: format!("Latest in year ({p})"),
            points: vec![(i, v)],
            dashed: false,
            colour: 2,
            labels: vec![(i, format!("{}{letter}", fmt(v)), rag)],
        });
    }
    if !targets.is_empty() {
        lines.push(Line {
            name: "Target".into(),
            points: targets.clone(),
            dashed: true,
            colour: 1,
            labels: vec![],
        });
    }
    let refs: Vec<RefLine> = ind
        .comparators
        .iter()
        .map(|c| RefLine {
            name: c.label.clone(),
            value: c.value,
            colour: 3,
        })
        .collect();

    // Words.
    let mut desc_parts = Vec::new();
    let mut series: Vec<(String, f64)> = ind
        .baseline
        .iter()
        .map(|b| (period_label(b.period), b.value.value))
        .collect();
    series.extend(status.actuals.iter().map(|(p, v)| (period_label(*p), *v)));
    let suppressed = series.iter().any(|(_, v)| !shown(*v));
    series.retain(|(_, v)| shown(*v));
    if let (Some(first), Some(last)) = (series.first().cloned(), series.last().cloned()) {
        desc_parts.push(format!("{}: {}", ind.title, movement(fmt, first, last)));
    }
    if let Some(l) = latest
        && let Some((tp, t)) = l.target
    {
        desc_parts.push(format!("target {} for {tp}", fmt(t)));
    } else if let Some((tp, t)) = status.targets.last() {
        desc_parts.push(format!("target {} for {tp}", fmt(*t)));
    }
    if let Some(r) = latest.and_then(|l| l.rag) {
        desc_parts.push(format!("status {}", r.name()));
    }
    for c in &ind.comparators {
        desc_parts.push(format!("{} {}", c.label.to_lowercase(), fmt(c.value)));
    }
    if let Some(p) = ind.polarity {
        desc_parts.push(p.describe().to_string());
    }
    if suppressed {
        desc_parts.push("some figures are suppressed to protect the people they describe".into());
    }
    let desc = format!("{}.", desc_parts.join("; "));
    // The marker comes from `show` for a suppressed figure.
    let cell = |v: f64| {
        if shown(v) {
            fmt(v)
        } else {
            indicators::show(ind, v, 0)
        }
    };

    let mut table = DataTable {
        headers: vec!["Period".into(), "Actual".into(), "Target".into()],
        rows: Vec::new(),
    };
    let mut all: Vec<Period> = years.clone();
    if let Some((p, _)) = latest_in_year {
        all.push(p);
    }
    all.sort_by_key(|p| cal.sort_key(*p));
    all.dedup();
    for p in all {
        let a = status
            .actuals
            .iter()
            .find(|(q, _)| *q == p)
            .map(|(_, v)| cell(*v))
            .or_else(|| {
                ind.baseline
                    .as_ref()
                    .filter(|b| b.period == p)
                    .map(|b| format!("{} (baseline)", cell(b.value.value)))
            })
            .unwrap_or_default();
        let t = status
            .targets
            .iter()
            .find(|(q, _)| *q == p)
            .map(|(_, v)| fmt(*v))
            .unwrap_or_default();
        table.rows.push(vec![p.to_string(), a, t]);
    }
    for c in &ind.comparators {
        table
            .rows
            .push(vec![c.label.clone(), fmt(c.value), String::new()]);
    }

    let spec = LineSpec {
        id: id.to_string(),
        title: format!("{}: trend", short_title(ind)),
        desc,
        x_labels: years.iter().map(|p| p.to_string()).collect(),
        y_label: ind.unit.map(|u| u.label()).unwrap_or_default(),
        lines,
        refs,
        fmt,
        note: polarity_note(ind),
        table,
        size: ChartSize::Half,
    };
    charts::line_chart(&spec, ctx.mode).ok()
}

/// "▲ higher is better" for a chart's corner.
fn polarity_note(ind: &Indicator) -> Option<String> {
    ind.polarity.map(|p| match p {
        Polarity::HigherIsBetter => "▲ higher is better".to_string(),
        Polarity::LowerIsBetter => "▼ lower is better".to_string(),
    })
}

/// The indicator's code and title, in full: a title is never cut (it wraps in the caption).
fn short_title(ind: &Indicator) -> String {
    let head = ind.code().unwrap_or_default();
    let t = ind.title.clone();
    if head.is_empty() {
        t
    } else {
        format!("{head} {t}")
    }
}

/// The in-year chart: quarterly (or monthly) actuals of the latest year against its target,
/// each point labelled with its RAG letter.
pub fn in_year(ctx: &Ctx, ind: &Indicator, status: &Status, id: &str) -> Option<Chart> {
    let cal = ctx.rules.calendar;
    let fmt = formatter(ind.unit);
    let (last, _) = status.actuals.iter().rev().find(|(p, _)| !p.is_year())?;
    let year = cal.year_of(*last);
    let Period::Year(fy) = year else { return None };
    let monthly = matches!(last, Period::Month(..));
    let slots: Vec<Period> = if monthly {
        let start = i32::from(cal.year_start_month);
        (0..12)
            .map(|k| {
                let m = (start - 1 + k).rem_euclid(12) + 1;
                let y = if m >= start { fy } else { fy + 1 };
                Period::Month(y, m as u8)
            })
            .collect()
    } else {
        (1..=4).map(|q| Period::Quarter(fy, q)).collect()
    };
    let points: Vec<(usize, f64)> = slots
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            status
                .actuals
                .iter()
                .find(|(q, _)| q == p)
                .map(|(_, v)| (i, *v))
        })
        .collect();
    // Suppressed figures (disclosure control) are listed as the marker but not drawn.
    let cell = |v: f64| {
        if indicators::hidden(ind, v) {
            indicators::show(ind, v, 0)
        } else {
            fmt(v)
        }
    };
    let drawn: Vec<(usize, f64)> = points
        .iter()
        .copied()
        .filter(|(_, v)| !indicators::hidden(ind, *v))
        .collect();
    let assessment = |i: usize| status.assessments.iter().find(|a| a.period == slots[i]);
    let rag_at = |i: usize| assessment(i).and_then(|a| a.rag);
    let labels = drawn
        .iter()
        .map(|(i, v)| {
            let rag = rag_at(*i);
            let letter = rag.map(|r| format!(" {}", r.letter())).unwrap_or_default();
            (*i, format!("{}{letter}", fmt(*v)), rag)
        })
        .collect();
    let target = status
        .targets
        .iter()
        .find(|(p, _)| *p == year)
        .map(|(_, v)| *v);
    let refs = target
        .map(|t| RefLine {
            name: format!("Target {year}"),
            value: t,
            colour: 1,
        })
        .into_iter()
        .collect();
    let mut desc = vec![format!(
        "{} in {year}: {}",
        ind.title,
        points
            .iter()
            .map(|(i, v)| {
                let rag = rag_at(*i)
                    .map(|r| format!(" ({})", r.name()))
                    .unwrap_or_default();
                format!("{} {}{rag}", slots[*i].short(), cell(*v))
            })
            .collect::<Vec<_>>()
            .join(", ")
    )];
    if let Some(t) = target {
        desc.push(format!("target {}", fmt(t)));
    }
    if let Some(p) = ind.polarity {
        desc.push(p.describe().to_string());
    }
    let table = DataTable {
        headers: vec!["Period".into(), "Actual".into(), "Status".into()],
        rows: points
            .iter()
            .map(|(i, v)| {
                let a = assessment(*i);
                vec![
                    slots[*i].to_string(),
                    cell(*v),
                    a.map(|a| a.rule(ind)).unwrap_or_default(),
                ]
            })
            .collect(),
    };
    let spec = LineSpec {
        id: id.to_string(),
        title: format!("{}: {year} in year", short_title(ind)),
        desc: format!("{}.", desc.join("; ")),
        x_labels: slots
            .iter()
            .map(|p| match p {
                Period::Quarter(_, q) => format!("Q{q}"),
                other => other.short(),
            })
            .collect(),
        y_label: ind.unit.map(|u| u.label()).unwrap_or_default(),
        lines: vec![Line {
            name: "Actual".into(),
            points: drawn,
            dashed: false,
            colour: 0,
            labels,
        }],
        refs,
        fmt,
        note: polarity_note(ind),
        table,
        size: ChartSize::Half,
    };
    charts::line_chart(&spec, ctx.mode).ok()
}

/// The charts an indicator gets by default (or as its `chart:` says).
pub fn indicator_charts(ctx: &Ctx, ind: &Indicator, prefix: &str) -> Vec<Chart> {
    let figures = ind.actuals.0.len() + ind.targets.0.len();
    if let Err(e) = crate::limits::spend_chart_points(&ctx.chart_points, figures) {
        // Reported once: every later chart of the plan is refused too.
        if ctx.chart_points.get() != usize::MAX {
            ctx.chart_points.set(usize::MAX);
            ctx.diags.borrow_mut().error(
                &ctx.lp.file,
                crate::compute::lint::indicator_pos(ind),
                format!(
                    "charts of indicator `{}`: {e}",
                    indicator_id(&ctx.lp.plan, ind)
                ),
            );
        }
        return Vec::new();
    }
    let status = ctx.facts.indicator(ind, &ctx.rules);
    let id = format!("{prefix}{}", indicator_id(&ctx.lp.plan, ind));
    let mut out = Vec::new();
    if matches!(ind.chart, IndicatorChart::Auto | IndicatorChart::Trend)
        && let Some(c) = trend(ctx, ind, &status, &format!("{id}-trend"))
    {
        out.push(c);
    }
    if matches!(ind.chart, IndicatorChart::Auto | IndicatorChart::InYear)
        && let Some(c) = in_year(ctx, ind, &status, &format!("{id}-inyear"))
    {
        out.push(c);
    }
    out
}
