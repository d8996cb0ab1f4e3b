//! Charts drawn with plotters' SVG backend from the same figures the tables show.
//!
//! Series are drawn in sentinel colours and then given theme classes
//! (`bp-f1` fill, `bp-k1` stroke, `bp-rag-red` …), so the palette lives in the
//! theme's stylesheet; the attributes keep a colour-blind-safe default for
//! SVGs viewed on their own. Each chart carries `role="img"`, a `<title>` and a
//! `<desc>` that says in words what it shows, and a table of its figures.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

pub use super::bars::{BarSpec, bar_chart};
use super::chart_text;
use super::markdown::escape;
use super::mode::{Mode, UNDRAWN_SVG};
use super::palette;
use crate::limits::{MAX_CHART_POINTS, MAX_CHART_ROWS};
use crate::model::Rag;
use crate::model::value::{format_number, natural_decimals};

/// Series colours, as `#rrggbb` defaults for SVGs viewed on their own (see [`palette`]).
pub const PALETTE: [(u8, u8, u8); 6] = palette::SERIES;

/// RAG class names, in [`Rag`] order.
const RAG_NAMES: [&str; 4] = ["red", "amber", "green", "blue"];

pub(super) const INK: RGBColor = RGBColor(0x1b, 0x1b, 0x1b);
pub(super) const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
pub(super) const FONT: &str = "sans-serif";

/// The size of all chart text, in pixels at the chart's drawn width. Charts are
/// drawn for the width they are shown at (see [`ChartSize`]), so this is about the
/// size a reader sees: at least 12 CSS px on screen and 8 pt on paper.
pub(super) const TEXT: u32 = 14;

/// [`TEXT`] as plotters is asked for it: its SVG backend writes sizes divided by 1.24.
pub(super) const FONT_SIZE: f64 = TEXT as f64 * 1.24;

/// How wide a chart is drawn: about the width it is shown at, so its text is shown
/// at about the size it is drawn. The stylesheet lets a chart grow to 1.25 times
/// this and no more (`svg.bp-w-…`), and shrinks it only on narrow phones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartSize {
    /// Status summaries on index cards and beside a plan's or pack's summary.
    Card,
    /// Indicator charts, two to a row on plan and pack pages (one beside its
    /// figures in print).
    Half,
    /// Table charts, the width of the text column.
    Wide,
}

impl ChartSize {
    /// Drawn width in pixels.
    pub fn width(self) -> u32 {
        match self {
            ChartSize::Card => 360,
            ChartSize::Half => 480,
            ChartSize::Wide => 600,
        }
    }

    fn class(self) -> &'static str {
        match self {
            ChartSize::Card => "bp-w-card",
            ChartSize::Half => "bp-w-half",
            ChartSize::Wide => "bp-w-wide",
        }
    }
}

/// Sentinel colour for palette series `i` (0-based).
pub(super) fn series_colour(i: usize) -> RGBColor {
    RGBColor(1, 2, (i % PALETTE.len()) as u8 + 1)
}

/// Sentinel colour for a RAG status.
pub(super) fn rag_colour(r: Rag) -> RGBColor {
    RGBColor(1, 3, r as u8 + 1)
}

/// Sentinel colour for "not rated".
const UNRATED: RGBColor = RGBColor(1, 4, 1);

/// How a bar series is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// The n-th palette colour.
    Palette(usize),
    /// A RAG colour.
    Rag(Rag),
    /// Grey, for "not rated".
    Unrated,
}

impl Colour {
    /// The real colour (for choosing the colour of text on it).
    pub(super) fn rgb(self) -> (u8, u8, u8) {
        match self {
            Colour::Palette(i) => palette::SERIES[i % palette::SERIES.len()],
            Colour::Rag(r) => palette::RAG[r as usize],
            Colour::Unrated => palette::UNRATED,
        }
    }

    pub(super) fn sentinel(self) -> RGBColor {
        match self {
            Colour::Palette(i) => series_colour(i),
            Colour::Rag(r) => rag_colour(r),
            Colour::Unrated => UNRATED,
        }
    }
}

/// A chart ready to place in a page.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Element id (unique within the page).
    pub id: String,
    /// Title shown above the chart.
    pub title: String,
    /// What the chart shows, in words (also the SVG `<desc>`).
    pub desc: String,
    /// The SVG markup (serialised as a placeholder inside a page, see [`super::svg_slots`]).
    #[serde(serialize_with = "super::svg_slots::serialize")]
    pub svg: super::svg_slots::Svg,
    /// The chart's figures as a table.
    pub table: DataTable,
    /// The width it is drawn for.
    pub size: ChartSize,
}

/// A chart's figures as a table.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DataTable {
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows of formatted cells.
    pub rows: Vec<Vec<String>>,
}

/// A line of a line chart.
#[derive(Debug, Clone)]
pub struct Line {
    /// Legend name.
    pub name: String,
    /// Points as (x index, value).
    pub points: Vec<(usize, f64)>,
    /// Draw dashed (targets).
    pub dashed: bool,
    /// Palette index.
    pub colour: usize,
    /// Per-point labels drawn above the marker (e.g. RAG letters), by x index.
    pub labels: Vec<(usize, String, Option<Rag>)>,
}

/// A horizontal reference line (a comparator or a year's target).
#[derive(Debug, Clone)]
pub struct RefLine {
    /// Label.
    pub name: String,
    /// Value.
    pub value: f64,
    /// Palette index.
    pub colour: usize,
}

/// Everything a line chart needs.
#[derive(Debug, Clone)]
pub struct LineSpec {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description in words.
    pub desc: String,
    /// X axis labels, one per index.
    pub x_labels: Vec<String>,
    /// Y axis label (unit).
    pub y_label: String,
    /// Lines.
    pub lines: Vec<Line>,
    /// Reference lines.
    pub refs: Vec<RefLine>,
    /// Formats a value for labels.
    pub fmt: fn(f64) -> String,
    /// A note drawn in the corner (e.g. "higher is better").
    pub note: Option<String>,
    /// Figures table.
    pub table: DataTable,
    /// The width to draw it for.
    pub size: ChartSize,
}

/// A plain number with the decimals it was written with.
pub fn plain(v: f64) -> String {
    format_number(v, natural_decimals(v))
}

/// A percentage with the decimals it was written with.
pub fn percent(v: f64) -> String {
    format!("{}%", format_number(v, natural_decimals(v)))
}

/// Shorten a label to `max` characters with an ellipsis.
pub fn truncate(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
        s = s.trim_end().to_string();
        s.push('…');
        s
    }
}

/// A "nice" axis range covering `lo..hi`, starting at zero for non-negative data when `zero`.
pub(super) fn nice_range(lo: f64, hi: f64, zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = (lo.min(hi), lo.max(hi));
    if zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if (hi - lo).abs() < 1e-9 {
        let pad = if hi.abs() > 1e-9 { hi.abs() * 0.1 } else { 1.0 };
        return (lo - if zero && lo >= 0.0 { 0.0 } else { pad }, hi + pad);
    }
    let span = hi - lo;
    let step = 10f64.powf((span / 5.0).log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * step)
        .find(|s| span / s <= 6.0)
        .unwrap_or(step * 10.0);
    let nlo = if zero && lo >= 0.0 {
        0.0
    } else {
        (lo / step).floor() * step
    };
    let nhi = (hi / step).ceil() * step;
    (nlo, if nhi <= hi { nhi + step } else { nhi })
}

/// The class and default colour for a sentinel colour code (`0102NN`, `0103NN`, `010401`).
fn theme_colour(code: &str, attr: &str) -> Option<(String, String)> {
    let n = usize::from_str_radix(code.get(4..6)?, 16).ok()?;
    let fill = attr == "fill";
    match code.get(0..4)? {
        "0102" if (1..=PALETTE.len()).contains(&n) => {
            let class = if fill {
                format!("bp-f{n}")
            } else {
                format!("bp-k{n}")
            };
            Some((class, palette::hex(PALETTE[n - 1])))
        }
        "0103" if (1..=RAG_NAMES.len()).contains(&n) => {
            let name = RAG_NAMES[n - 1];
            let class = if fill {
                format!("bp-rag-{name}")
            } else {
                format!("bp-ragk-{name}")
            };
            Some((class, palette::hex(palette::RAG[n - 1])))
        }
        "0104" if n == 1 => Some(("bp-unrated".into(), palette::hex(palette::UNRATED))),
        _ => None,
    }
}

/// Replace sentinel colours with theme classes and default colours, drop
/// `opacity="1"`, and add `role`, `<title>` and `<desc>`: one pass over the SVG.
pub(super) fn finish(svg: String, id: &str, title: &str, desc: &str, size: ChartSize) -> String {
    let mut out = String::with_capacity(svg.len() + 256 + title.len() + desc.len());
    // The opening tag is short: rewrite it, add the title and description, then the rest.
    let gt = svg.find('>');
    let split = gt.map_or(svg.len(), |end| end + 1);
    let (tag, body) = svg.split_at(split);
    let mut head = String::with_capacity(tag.len() + 128);
    rewrite_colours(&mut head, tag);
    // Ids are checked when the content is loaded; escaped here too, so an id
    // that slipped past cannot close the attribute.
    let id = escape(id);
    let attrs = format!(
        "<svg role=\"img\" aria-labelledby=\"{id}-t {id}-d\" class=\"bp-chart {}\" ",
        size.class()
    );
    out.push_str(&head.replacen("<svg ", &attrs, 1));
    if gt.is_some() {
        out.push_str(&format!(
            "\n<title id=\"{id}-t\">{}</title>\n<desc id=\"{id}-d\">{}</desc>",
            escape(title),
            escape(desc)
        ));
    }
    rewrite_colours(&mut out, body);
    out
}

pub(super) type DrawResult<T> = Result<T, String>;

pub(super) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("chart drawing failed: {e:?}")
}

/// Copy `svg` to `out`, turning sentinel colours into theme classes and
/// default colours and dropping `opacity="1"` (the default, so files stay small).
fn rewrite_colours(out: &mut String, svg: &str) {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    const OPAQUE: &str = " opacity=\"1\"";
    // Searchers built once: plotters writes `opacity="1"` on nearly every element.
    static COLOUR: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("=\"#010"));
    static OPAQUE_AT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(OPAQUE));
    let mut pos = 0;
    // Next match of each pattern at or after `pos`, found once and kept until passed.
    let find = |from: usize, f: &Finder| f.find(&svg.as_bytes()[from..]).map(|i| from + i);
    let mut next_colour = find(0, &COLOUR);
    let mut next_opaque = find(0, &OPAQUE_AT);
    loop {
        if next_colour.is_some_and(|c| c < pos) {
            next_colour = find(pos, &COLOUR);
        }
        if next_opaque.is_some_and(|o| o < pos) {
            next_opaque = find(pos, &OPAQUE_AT);
        }
        match (next_colour, next_opaque) {
            (_, Some(o)) if next_colour.is_none_or(|c| o < c) => {
                out.push_str(&svg[pos..o]);
                pos = o + OPAQUE.len();
            }
            (Some(i), _) => {
                // The attribute name runs back to the previous space.
                let head = &svg[pos..i];
                let attr_start = head.rfind(' ').map_or(0, |k| k + 1);
                let attr = &head[attr_start..];
                let code = svg.get(i + 3..i + 9).unwrap_or("");
                match theme_colour(code, attr) {
                    Some((class, colour)) if svg.get(i + 9..i + 10) == Some("\"") => {
                        out.push_str(&head[..attr_start]);
                        out.push_str("class=\"");
                        out.push_str(&class);
                        out.push_str("\" ");
                        out.push_str(attr);
                        out.push_str("=\"");
                        out.push_str(&colour);
                        out.push('"');
                        pos = i + 10;
                    }
                    _ => {
                        out.push_str(&svg[pos..i + 2]);
                        pos = i + 2;
                    }
                }
            }
            _ => break,
        }
    }
    out.push_str(&svg[pos..]);
}

/// One entry of a legend: a sample of the series and its name, or a note.
pub(super) enum Key {
    /// A line (dashed or not) in a colour.
    Line(String, RGBColor, bool),
    /// A filled box in a colour, with a letter on it (RAG) or none.
    Swatch(String, Colour, Option<&'static str>),
    /// Text only.
    Note(String),
}

impl Key {
    fn width(&self) -> u32 {
        match self {
            Key::Line(name, ..) => 28 + chart_text::width(name, TEXT),
            Key::Swatch(name, ..) => 25 + chart_text::width(name, TEXT),
            Key::Note(text) => chart_text::width(text, TEXT),
        }
    }
}

/// Lay the legend out in rows across `width` pixels: the rows, each a list of (x, key).
pub(super) fn legend_rows(keys: Vec<Key>, width: u32) -> Vec<Vec<(i32, Key)>> {
    let mut rows: Vec<Vec<(i32, Key)>> = Vec::new();
    let mut x = 8u32;
    for k in keys {
        let w = k.width();
        if rows.is_empty() || (x + w > width.saturating_sub(8) && x > 8) {
            rows.push(Vec::new());
            x = 8;
        }
        if let Some(row) = rows.last_mut() {
            row.push((x as i32, k));
        }
        x += w + 18;
    }
    rows
}

/// Height of a legend row.
pub(super) const LEGEND_ROW: u32 = 22;

/// Draw a legend laid out by [`legend_rows`] at the top of `root`.
pub(super) fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    rows: &[Vec<(i32, Key)>],
) -> DrawResult<()> {
    for (r, row) in rows.iter().enumerate() {
        let y = 12 + (r as u32 * LEGEND_ROW) as i32;
        for (x, key) in row {
            let x = *x;
            let text_at = |dx: i32, text: &str| {
                Text::new(
                    text.to_string(),
                    (x + dx, y),
                    (FONT, FONT_SIZE)
                        .into_font()
                        .color(&INK)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                )
            };
            match key {
                Key::Line(name, c, dashed) => {
                    let style = c.stroke_width(3);
                    if *dashed {
                        root.draw(&PathElement::new(vec![(x, y), (x + 8, y)], style))
                            .map_err(err)?;
                        root.draw(&PathElement::new(vec![(x + 13, y), (x + 22, y)], style))
                            .map_err(err)?;
                    } else {
                        root.draw(&PathElement::new(vec![(x, y), (x + 22, y)], style))
                            .map_err(err)?;
                    }
                    root.draw(&text_at(28, name)).map_err(err)?;
                }
                Key::Swatch(name, colour, letter) => {
                    root.draw(&Rectangle::new(
                        [(x, y - 9), (x + 18, y + 9)],
                        colour.sentinel().filled(),
                    ))
                    .map_err(err)?;
                    if let Some(l) = letter {
                        let (r, g, b) = palette::label_on(colour.rgb());
                        root.draw(&Text::new(
                            l.to_string(),
                            (x + 9, y + 1),
                            (FONT, FONT_SIZE)
                                .into_font()
                                .style(FontStyle::Bold)
                                .color(&RGBColor(r, g, b))
                                .pos(Pos::new(HPos::Center, VPos::Center)),
                        ))
                        .map_err(err)?;
                    }
                    root.draw(&text_at(25, name)).map_err(err)?;
                }
                Key::Note(text) => {
                    root.draw(&text_at(0, text)).map_err(err)?;
                }
            }
        }
    }
    Ok(())
}

/// Refuse a chart over [`MAX_CHART_ROWS`] categories or [`MAX_CHART_POINTS`] figures
/// before anything is drawn (callers check first, with better words; this is the backstop).
pub(super) fn within_limits(rows: usize, points: usize) -> DrawResult<()> {
    if rows > MAX_CHART_ROWS || points > MAX_CHART_POINTS {
        return Err(format!(
            "the chart has {rows} categories and {points} figures, over the limits of {MAX_CHART_ROWS} and {MAX_CHART_POINTS}"
        ));
    }
    Ok(())
}

/// A chart as [`Mode::Check`] leaves it: everything but the drawing.
pub(super) fn undrawn(
    id: &str,
    title: &str,
    desc: &str,
    table: &DataTable,
    size: ChartSize,
) -> Chart {
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        desc: desc.to_string(),
        svg: UNDRAWN_SVG.into(),
        table: table.clone(),
        size,
    }
}

/// Draw a line chart (trends, in-year progress, series over months); under
/// [`Mode::Check`], check its limits only.
pub fn line_chart(spec: &LineSpec, mode: Mode) -> DrawResult<Chart> {
    let points: usize = spec.lines.iter().map(|l| l.points.len()).sum();
    within_limits(spec.x_labels.len().max(spec.lines.len()), points)?;
    if !mode.draws() {
        return Ok(undrawn(
            &spec.id,
            &spec.title,
            &spec.desc,
            &spec.table,
            spec.size,
        ));
    }
    let n = spec.x_labels.len().max(1);
    let values: Vec<f64> = spec
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .chain(spec.refs.iter().map(|r| r.value))
        .collect();
    let (lo, hi) = match (
        values.iter().cloned().reduce(f64::min),
        values.iter().cloned().reduce(f64::max),
    ) {
        (Some(lo), Some(hi)) => nice_range(lo, hi, true),
        _ => (0.0, 1.0),
    };
    let w = spec.size.width();
    let mut keys: Vec<Key> = spec
        .lines
        .iter()
        .map(|l| Key::Line(l.name.clone(), series_colour(l.colour), l.dashed))
        .collect();
    if let Some(note) = &spec.note {
        keys.push(Key::Note(note.clone()));
    }
    let legend = legend_rows(keys, w);
    let top = 10 + LEGEND_ROW * legend.len() as u32;
    let h = top
        + match spec.size {
            ChartSize::Card => 200,
            ChartSize::Half => 270,
            ChartSize::Wide => 300,
        };
    // No more x labels than fit side by side.
    let y_area = 64u32;
    let plot_w = w.saturating_sub(y_area + 32);
    let widest = spec
        .x_labels
        .iter()
        .map(|l| chart_text::width(l, TEXT))
        .max()
        .unwrap_or(0)
        + 12;
    let fit = (plot_w / widest.max(1)).max(1) as usize;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        draw_legend(&root, &legend)?;
        let mut chart = ChartBuilder::on(&root)
            .margin_top(top)
            .margin_right(24)
            .margin_left(8)
            .margin_bottom(8)
            .x_label_area_size(38)
            .y_label_area_size(y_area)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), lo..hi)
            .map_err(err)?;
        let labels = spec.x_labels.clone();
        let fmt = spec.fmt;
        // Label every `step`-th period, always from the first.
        let step = n.div_ceil(fit).max(1);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID)
            .axis_style(INK)
            .x_labels(n)
            .y_labels(6)
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize).is_multiple_of(step) {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| fmt(*y))
            .y_desc(spec.y_label.as_str())
            .label_style((FONT, FONT_SIZE).into_font().color(&INK))
            .axis_desc_style((FONT, FONT_SIZE).into_font().color(&INK))
            .draw()
            .map_err(err)?;

        for r in &spec.refs {
            let c = series_colour(r.colour);
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(-0.5, r.value), (n as f64 - 0.5, r.value)],
                    3,
                    4,
                    c.stroke_width(2),
                ))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{}: {}", r.name, fmt(r.value)),
                    (n as f64 - 0.55, r.value),
                    (FONT, FONT_SIZE)
                        .into_font()
                        .color(&INK)
                        .pos(Pos::new(HPos::Right, VPos::Bottom)),
                )))
                .map_err(err)?;
        }
        for l in &spec.lines {
            let c = series_colour(l.colour);
            let pts: Vec<(f64, f64)> = l.points.iter().map(|&(x, y)| (x as f64, y)).collect();
            if l.dashed {
                chart
                    .draw_series(DashedLineSeries::new(pts.clone(), 6, 4, c.stroke_width(2)))
                    .map_err(err)?;
                chart
                    .draw_series(pts.iter().map(|&p| {
                        Rectangle::new([(p.0 - 0.06, p.1), (p.0 + 0.06, p.1)], c.stroke_width(2))
                    }))
                    .map_err(err)?;
                // The latest target is labelled where it is, below its line.
                if let Some(&(x, y)) = pts.last() {
                    let h = if x > (n as f64 - 1.0) / 2.0 {
                        HPos::Right
                    } else {
                        HPos::Left
                    };
                    chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((x, y))
                                + Text::new(
                                    format!("{} {}", l.name, fmt(y)),
                                    (0, 5),
                                    (FONT, FONT_SIZE)
                                        .into_font()
                                        .color(&INK)
                                        .pos(Pos::new(h, VPos::Top)),
                                ),
                        ))
                        .map_err(err)?;
                }
            } else {
                if pts.len() > 1 {
                    chart
                        .draw_series(LineSeries::new(pts.clone(), c.stroke_width(3)))
                        .map_err(err)?;
                }
                chart
                    .draw_series(pts.iter().map(|&p| Circle::new(p, 5, c.filled())))
                    .map_err(err)?;
            }
            for (x, text, rag) in &l.labels {
                let Some(&(_, y)) = l.points.iter().find(|p| p.0 == *x) else {
                    continue;
                };
                let colour = rag.map_or(INK, rag_colour);
                // Keep a label at either end inside the plot.
                let h = if *x == 0 && n > 1 {
                    HPos::Left
                } else if *x + 1 == n && n > 1 {
                    HPos::Right
                } else {
                    HPos::Center
                };
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((*x as f64, y))
                            + Text::new(
                                text.clone(),
                                (0, -7),
                                (FONT, FONT_SIZE)
                                    .into_font()
                                    .style(FontStyle::Bold)
                                    .color(&colour)
                                    .pos(Pos::new(h, VPos::Bottom)),
                            ),
                    ))
                    .map_err(err)?;
            }
        }
        root.present().map_err(err)?;
    }
    Ok(Chart {
        id: spec.id.clone(),
        title: spec.title.clone(),
        desc: spec.desc.clone(),
        svg: finish(buf, &spec.id, &spec.title, &spec.desc, spec.size).into(),
        table: spec.table.clone(),
        size: spec.size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> LineSpec {
        LineSpec {
            id: "c1".into(),
            title: "NI 63 & friends".into(),
            desc: "Rose from 57.1% to 67.5%".into(),
            x_labels: vec!["2006/07".into(), "2007/08".into(), "2008/09".into()],
            y_label: "%".into(),
            lines: vec![
                Line {
                    name: "Actual".into(),
                    points: vec![(0, 57.1), (2, 67.5)],
                    dashed: false,
                    colour: 0,
                    labels: vec![(2, "67.5% G".into(), Some(Rag::Green))],
                },
                Line {
                    name: "Target".into(),
                    points: vec![(2, 66.0)],
                    dashed: true,
                    colour: 1,
                    labels: vec![],
                },
            ],
            refs: vec![],
            fmt: percent,
            note: Some("higher is better".into()),
            table: DataTable::default(),
            size: ChartSize::Half,
        }
    }

    #[test]
    fn line_chart_is_accessible_and_themed() {
        let c = line_chart(&spec(), Mode::Build).unwrap();
        assert!(
            c.svg
                .starts_with("<svg role=\"img\" aria-labelledby=\"c1-t c1-d\"")
        );
        assert!(
            c.svg
                .contains("<title id=\"c1-t\">NI 63 &amp; friends</title>")
        );
        assert!(
            c.svg
                .contains("<desc id=\"c1-d\">Rose from 57.1% to 67.5%</desc>")
        );
        assert!(c.svg.contains("\n67.5% G\n</text>"), "{}", c.svg);
        assert!(
            c.svg.contains("class=\"bp-k1\""),
            "actual line uses the theme class"
        );
        assert!(
            c.svg.contains("class=\"bp-rag-green\""),
            "RAG label coloured by class"
        );
        assert!(!c.svg.contains("#0102"), "no sentinel colour left");
        assert!(c.svg.contains("\nhigher is better\n</text>"));
        // Deterministic.
        assert_eq!(c.svg, line_chart(&spec(), Mode::Build).unwrap().svg);
    }

    #[test]
    fn ranges_start_at_zero_and_pad() {
        assert_eq!(nice_range(3.0, 97.0, true), (0.0, 100.0));
        let (lo, hi) = nice_range(-2100.0, 796.0, true);
        assert!(lo <= -2100.0 && hi >= 796.0);
        assert_eq!(nice_range(5.0, 5.0, true), (0.0, 6.0));
    }
}
