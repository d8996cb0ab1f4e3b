//! Which charts the model gets, and their data: indicator trends and in-year
//! progress, table charts, status summaries, and charts placed by shortcode.

use std::collections::BTreeMap;

use super::charts::{self, BarSpec, Chart, ChartSize, DataTable, Line, LineSpec, RefLine};
pub use super::status_chart::status_chart;
use super::views::Ctx;
use crate::compute::indicators::{self, Status};
use crate::compute::{indicator_id, slug, tables};
use crate::limits::{MAX_CHART_POINTS, MAX_CHART_ROWS};
use crate::model::value::{format_number, natural_decimals};
use crate::model::{
    Cell, ColumnKind, Indicator, IndicatorChart, Period, Polarity, Table, TableChartKind, Unit,
};

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

/// What a table chart should draw: from the table's `chart:`, or a shortcode; what it
/// leaves out comes from the defaults.
#[derive(Debug, Clone, Default)]
pub struct TableChartRequest {
    /// Kind, when given.
    pub kind: Option<TableChartKind>,
    /// Group title to chart (bars are drawn per group by default).
    pub group: Option<String>,
    /// 1-based inclusive row ranges within the group (or table), as written.
    pub rows: Vec<(usize, usize)>,
    /// Column keys.
    pub columns: Vec<String>,
    /// Title.
    pub title: Option<String>,
}

fn numeric_columns(table: &Table) -> Vec<usize> {
    table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind.is_figures())
        .map(|(i, _)| i)
        .collect()
}

/// The default kind for a table, or none.
pub fn default_kind(table: &Table) -> Option<TableChartKind> {
    let numeric = numeric_columns(table);
    let has_group = !table.groups.is_empty();
    let raw_numeric = numeric
        .iter()
        .filter(|i| table.columns[**i].formula.is_none() && !table.columns[**i].sum)
        .count();
    if has_group && raw_numeric >= 2 {
        Some(TableChartKind::Bars)
    } else if table.columns.iter().any(|c| c.sum) {
        Some(TableChartKind::Hbar)
    } else {
        None
    }
}

/// Draw the charts for `table` as `req` asks; errors describe a bad request.
/// `computed` is the table with its derived columns, as [`tables::compute`] gives it.
pub fn table_charts(
    ctx: &Ctx,
    table: &Table,
    computed: &tables::Computed,
    req: &TableChartRequest,
    prefix: &str,
) -> Result<Vec<Chart>, String> {
    let kind = req.kind.or_else(|| default_kind(table));
    let Some(kind) = kind.filter(|k| *k != TableChartKind::None) else {
        return Ok(Vec::new());
    };
    let keys: Vec<&str> = table.columns.iter().map(|c| c.key.as_str()).collect();
    let label_col = table
        .columns
        .iter()
        .position(|c| c.kind == ColumnKind::Text);
    let wanted: Vec<String> = req.columns.clone();
    let mut cols: Vec<usize> = Vec::new();
    for w in &wanted {
        match keys.iter().position(|k| k == w) {
            Some(i) if table.columns[i].kind.is_figures() => cols.push(i),
            Some(_) => {
                return Err(format!(
                    "column `{w}` of table `{}` holds text, not figures",
                    table.id.value
                ));
            }
            None => {
                return Err(format!(
                    "table `{}` has no column `{w}` (columns: {})",
                    table.id.value,
                    keys.join(", ")
                ));
            }
        }
    }
    if cols.is_empty() {
        let numeric = numeric_columns(table);
        cols = match kind {
            TableChartKind::Hbar => table
                .columns
                .iter()
                .rposition(|c| c.sum)
                .or_else(|| numeric.last().copied())
                .into_iter()
                .collect(),
            TableChartKind::Stacked | TableChartKind::Bars | TableChartKind::Line => numeric
                .iter()
                .copied()
                .filter(|i| table.columns[*i].formula.is_none())
                .collect(),
            TableChartKind::None => Vec::new(),
        };
    }
    if cols.is_empty() {
        return Err(format!(
            "table `{}` has no columns of figures to chart",
            table.id.value
        ));
    }

    // Rows: (group title, rows) to chart.
    let mut sets: Vec<(Option<String>, Vec<&tables::Row>)> = Vec::new();
    match &req.group {
        Some(g) => {
            let found = computed
                .groups
                .iter()
                .find(|x| x.title.as_deref() == Some(g.as_str()));
            let Some(found) = found else {
                let names: Vec<&str> = computed
                    .groups
                    .iter()
                    .filter_map(|x| x.title.as_deref())
                    .collect();
                return Err(format!(
                    "table `{}` has no group \"{g}\" (groups: {})",
                    table.id.value,
                    names.join("; ")
                ));
            };
            sets.push((Some(g.clone()), found.rows.iter().collect()));
        }
        None if kind == TableChartKind::Bars
            && computed.groups.iter().any(|g| g.title.is_some()) =>
        {
            for g in &computed.groups {
                sets.push((g.title.clone(), g.rows.iter().collect()));
            }
        }
        None => sets.push((
            None,
            computed.groups.iter().flat_map(|g| g.rows.iter()).collect(),
        )),
    }
    if !req.rows.is_empty() {
        for (_, rows) in &mut sets {
            let picked = crate::model::shortcode::pick_rows(&req.rows, rows.len())?;
            *rows = picked.into_iter().map(|i| rows[i]).collect();
        }
    }

    let points: usize = sets
        .iter()
        .map(|(_, rows)| rows.len().saturating_mul(cols.len()))
        .fold(0, usize::saturating_add);
    for (_, rows) in &sets {
        let points = rows.len().saturating_mul(cols.len());
        if rows.len() > MAX_CHART_ROWS || points > MAX_CHART_POINTS {
            return Err(format!(
                "the chart would draw {} rows of {} columns, more than a chart can show ({MAX_CHART_ROWS} rows, {MAX_CHART_POINTS} figures)",
                rows.len(),
                cols.len()
            ) + ": pick rows with a shortcode's rows=\"1-20\" or columns with columns=\"…\", or give the table `chart: [{kind: none}]`");
        }
    }

    crate::limits::spend_chart_points(&ctx.chart_points, points)?;

    let unit = table.unit.clone().unwrap_or_default();
    // One unit to an axis: when counts and percentages are both asked for, the chart
    // keeps the kind of the first column and says where the others are.
    let is_percent = |c: usize| {
        sets.iter().all(|(_, rows)| {
            rows.iter()
                .all(|r| matches!(r.cells[c], Cell::Percent(_) | Cell::Blank))
        })
    };
    let first_percent = is_percent(cols[0]);
    let (kept, left_out): (Vec<usize>, Vec<usize>) =
        cols.iter().partition(|c| is_percent(**c) == first_percent);
    let cols = kept;
    let left_out_note = if left_out.is_empty() {
        String::new()
    } else {
        format!(
            " {} {} in the table, not charted: a chart keeps to one unit.",
            left_out
                .iter()
                .map(|c| col_label(table, *c))
                .collect::<Vec<_>>()
                .join(", "),
            if left_out.len() == 1 { "is" } else { "are" }
        )
    };
    let base_title = req.title.clone().unwrap_or_else(|| table.title.clone());
    let label = |r: &tables::Row| -> String {
        match label_col.map(|i| &r.cells[i]) {
            Some(Cell::Text(t)) => t.clone(),
            Some(Cell::Number(v)) => format_number(*v, natural_decimals(*v)),
            _ => String::new(),
        }
    };
    let mut out = Vec::new();
    for (n, (group, rows)) in sets.into_iter().enumerate() {
        // Rows of percentages among rows of counts (a group's shares under its
        // total): the chart keeps whichever kind most rows are, and says so.
        let row_percent = |r: &tables::Row| {
            cols.iter()
                .all(|c| matches!(r.cells[*c], Cell::Percent(_) | Cell::Blank))
        };
        let percent_rows = rows.iter().filter(|r| row_percent(r)).count();
        let all_percent = first_percent || percent_rows * 2 > rows.len();
        let (rows, off): (Vec<&tables::Row>, Vec<&tables::Row>) = rows
            .into_iter()
            .partition(|r| first_percent || row_percent(r) == all_percent);
        let mut left_out_note = left_out_note.clone();
        if !off.is_empty() {
            left_out_note.push_str(&format!(
                " {} {} in the table, not charted: a chart keeps to one unit.",
                off.iter().map(|r| label(r)).collect::<Vec<_>>().join("; "),
                if off.len() == 1 { "is" } else { "are" }
            ));
        }
        let fmt: fn(f64) -> String = if all_percent {
            charts::percent
        } else {
            charts::plain
        };
        if rows.is_empty() {
            continue;
        }
        let categories: Vec<String> = rows.iter().map(|r| label(r)).collect();
        let long_labels = categories.iter().any(|c| c.chars().count() > 14);
        let title = match &group {
            Some(g) => format!("{base_title}: {g}"),
            None => base_title.clone(),
        };
        let id = format!(
            "{prefix}{}-{}{}",
            slug(&table.id.value),
            n + 1,
            if req.group.is_some() { "-g" } else { "" }
        );
        let disclosure = ctx.site.config.disclosure.as_ref();
        // Suppressed counts (disclosure control) are not drawn.
        let hidden = |r: &tables::Row, c: usize| {
            table.columns[c].suppress
                && disclosure
                    .zip(r.cells[c].number())
                    .is_some_and(|(d, v)| d.hides(v))
        };
        let value = |r: &tables::Row, c: usize| r.cells[c].number().filter(|_| !hidden(r, c));
        let mut table_view = DataTable {
            headers: std::iter::once(String::new())
                .chain(cols.iter().map(|c| col_label(table, *c)))
                .collect(),
            rows: Vec::new(),
        };
        for r in &rows {
            let mut cells = vec![label(r)];
            for c in &cols {
                cells.push(match &r.cells[*c] {
                    _ if hidden(r, *c) => disclosure.map(|d| d.marker.clone()).unwrap_or_default(),
                    Cell::Text(t) => format!("{t} (not charted: not a single figure)"),
                    other => other.number().map(&fmt).unwrap_or_default(),
                });
            }
            table_view.rows.push(cells);
        }
        let value_text = |r: &tables::Row, c: usize| {
            value(r, c)
                .map(fmt)
                .unwrap_or_else(|| "no figure published".into())
        };
        let desc = describe_table(&title, &categories, &cols, &rows, table, &unit, &value_text)
            + &left_out_note;
        let chart = match kind {
            TableChartKind::Line => {
                let lines = rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| Line {
                        name: label(r),
                        points: cols
                            .iter()
                            .enumerate()
                            .filter_map(|(x, c)| Some((x, value(r, *c)?)))
                            .collect(),
                        dashed: false,
                        colour: i,
                        labels: Vec::new(),
                    })
                    .collect();
                charts::line_chart(
                    &LineSpec {
                        id,
                        title,
                        desc,
                        x_labels: cols.iter().map(|c| col_label(table, *c)).collect(),
                        y_label: unit.clone(),
                        lines,
                        refs: Vec::new(),
                        fmt,
                        note: None,
                        table: table_view,
                        size: ChartSize::Wide,
                    },
                    ctx.mode,
                )?
            }
            _ => {
                let series: Vec<(String, Vec<Option<f64>>)> = cols
                    .iter()
                    .map(|c| {
                        (
                            col_label(table, *c),
                            rows.iter().map(|r| value(r, *c)).collect(),
                        )
                    })
                    .collect();
                charts::bar_chart(
                    &BarSpec {
                        id,
                        title,
                        desc,
                        categories,
                        series,
                        value_label: unit.clone(),
                        // Grouped bars turn sideways when their labels are too long to read upright.
                        horizontal: kind != TableChartKind::Bars || long_labels,
                        stacked: kind == TableChartKind::Stacked,
                        series_colours: Vec::new(),
                        fmt,
                        table: table_view,
                        size: ChartSize::Wide,
                    },
                    ctx.mode,
                )?
            }
        };
        out.push(chart);
    }
    Ok(out)
}

fn col_label(table: &Table, c: usize) -> String {
    let col = &table.columns[c];
    col.label.clone().unwrap_or_else(|| col.key.clone())
}

fn describe_table(
    title: &str,
    categories: &[String],
    cols: &[usize],
    rows: &[&tables::Row],
    table: &Table,
    unit: &str,
    value_text: &dyn Fn(&tables::Row, usize) -> String,
) -> String {
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" ({unit})")
    };
    let parts: Vec<String> = categories
        .iter()
        .zip(rows)
        .take(12)
        .map(|(cat, r)| {
            let vals: Vec<String> = cols
                .iter()
                .map(|c| {
                    let v = value_text(r, *c);
                    if cols.len() > 1 {
                        format!("{} {v}", col_label(table, *c))
                    } else {
                        v
                    }
                })
                .collect();
            format!("{cat}: {}", vals.join(", "))
        })
        .collect();
    let more = if categories.len() > 12 {
        format!("; and {} more rows in the table", categories.len() - 12)
    } else {
        String::new()
    };
    format!("{title}{unit}. {}{more}.", parts.join("; "))
}

impl From<&crate::model::TableChart> for TableChartRequest {
    fn from(c: &crate::model::TableChart) -> Self {
        TableChartRequest {
            kind: c.kind,
            group: None,
            rows: Vec::new(),
            columns: c.columns.iter().map(|k| k.value.clone()).collect(),
            title: c.title.clone(),
        }
    }
}

/// Parse a shortcode's arguments into an indicator or table chart request.
pub enum Request {
    /// An indicator's chart.
    Indicator {
        /// Indicator id.
        id: String,
        /// `trend` or `in_year` (default: both, as `auto`).
        kind: IndicatorChart,
        /// Title instead of the default.
        title: Option<String>,
    },
    /// A table's chart.
    Table {
        /// Table id.
        id: String,
        /// What to draw.
        req: TableChartRequest,
    },
}

/// Turn shortcode arguments into a request, checking the words used.
pub fn request(args: &BTreeMap<String, String>) -> Result<Request, String> {
    if let Some(id) = args.get("indicator") {
        for a in ["group", "rows", "columns"] {
            if args.contains_key(a) {
                return Err(format!("`{a}` applies to table charts, not indicators"));
            }
        }
        let kind = match args.get("kind").map(String::as_str) {
            None | Some("auto") => IndicatorChart::Auto,
            Some("trend") => IndicatorChart::Trend,
            Some("in_year") => IndicatorChart::InYear,
            Some(other) => {
                return Err(format!(
                    "`{other}` is not an indicator chart: expected auto, trend or in_year"
                ));
            }
        };
        return Ok(Request::Indicator {
            id: id.clone(),
            kind,
            title: args.get("title").cloned(),
        });
    }
    let id = args.get("table").cloned().unwrap_or_default();
    let kind = match args.get("kind").map(String::as_str) {
        None => None,
        Some("bars") => Some(TableChartKind::Bars),
        Some("hbar") => Some(TableChartKind::Hbar),
        Some("stacked") => Some(TableChartKind::Stacked),
        Some("line") => Some(TableChartKind::Line),
        Some(other) => {
            return Err(format!(
                "`{other}` is not a table chart: expected bars, hbar, stacked or line"
            ));
        }
    };
    if let Some(c) = args.get("columns")
        && c.split(',').count() > MAX_CHART_ROWS
    {
        return Err(format!(
            "columns=\"…\" names more than {MAX_CHART_ROWS} columns, more than a chart can show"
        ));
    }
    let rows = match args.get("rows") {
        Some(r) => crate::model::shortcode::parse_rows(r)?,
        None => Vec::new(),
    };
    Ok(Request::Table {
        id,
        req: TableChartRequest {
            kind,
            group: args.get("group").cloned(),
            rows,
            columns: args
                .get("columns")
                .map(|c| {
                    c.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            title: args.get("title").cloned(),
        },
    })
}

/// Draw the chart(s) a shortcode asks for.
pub fn shortcode_charts(
    ctx: &Ctx,
    args: &BTreeMap<String, String>,
    prefix: &str,
) -> Result<Vec<Chart>, String> {
    match request(args)? {
        Request::Indicator { id, kind, title } => {
            let plan = &ctx.lp.plan;
            let mut found = None;
            crate::compute::each_indicator(plan, &mut |i| {
                if indicator_id(plan, i) == id {
                    found = Some(i);
                }
            });
            let ind =
                found.ok_or_else(|| crate::compute::shortcodes::unknown_indicator(plan, &id))?;
            let mut ind = ind.clone();
            ind.chart = kind;
            let mut charts = indicator_charts(ctx, &ind, prefix);
            if let Some(t) = title {
                for c in &mut charts {
                    c.svg = c
                        .svg
                        .replacen(
                            &format!(
                                "<title id=\"{}-t\">{}</title>",
                                super::markdown::escape(&c.id),
                                super::markdown::escape(&c.title)
                            ),
                            &format!(
                                "<title id=\"{}-t\">{}</title>",
                                super::markdown::escape(&c.id),
                                super::markdown::escape(&t)
                            ),
                            1,
                        )
                        .into();
                    c.title = t.clone();
                }
            }
            Ok(charts)
        }
        Request::Table { id, req } => {
            let table = ctx
                .lp
                .plan
                .tables
                .iter()
                .find(|t| t.id.value == id)
                .ok_or_else(|| crate::compute::shortcodes::unknown_table(&ctx.lp.plan, &id))?;
            // Problems with the table itself were reported by validation.
            let computed = ctx.facts.table(table, &ctx.lp.file);
            table_charts(ctx, table, &computed, &req, prefix)
        }
    }
}
