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

use super::markdown::escape;
use crate::model::Rag;
use crate::model::value::{format_number, natural_decimals};

/// The default palette (Okabe–Ito, safe for the common forms of colour blindness).
pub const PALETTE: [(u8, u8, u8); 6] = [
    (0x00, 0x72, 0xB2),
    (0xE6, 0x9F, 0x00),
    (0x00, 0x9E, 0x73),
    (0xCC, 0x79, 0xA7),
    (0x56, 0xB4, 0xE9),
    (0xD5, 0x5E, 0x00),
];

/// Default RAG colours (also in the theme's stylesheet).
const RAG_COLOURS: [(Rag, &str, (u8, u8, u8)); 4] = [
    (Rag::Red, "red", (0xC0, 0x39, 0x2B)),
    (Rag::Amber, "amber", (0xE8, 0xA3, 0x3D)),
    (Rag::Green, "green", (0x2E, 0x7D, 0x32)),
    (Rag::Blue, "blue", (0x1F, 0x5F, 0xBF)),
];

const INK: RGBColor = RGBColor(0x1b, 0x1b, 0x1b);
const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
const FONT: &str = "sans-serif";

/// Sentinel colour for palette series `i` (0-based).
fn series_colour(i: usize) -> RGBColor {
    RGBColor(1, 2, (i % PALETTE.len()) as u8 + 1)
}

/// Sentinel colour for a RAG status.
fn rag_colour(r: Rag) -> RGBColor {
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
    fn sentinel(self) -> RGBColor {
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
    pub svg: String,
    /// The chart's figures as a table.
    pub table: DataTable,
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
fn nice_range(lo: f64, hi: f64, zero: bool) -> (f64, f64) {
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
            let (r, g, b) = PALETTE[n - 1];
            let class = if fill {
                format!("bp-f{n}")
            } else {
                format!("bp-k{n}")
            };
            Some((class, format!("#{r:02X}{g:02X}{b:02X}")))
        }
        "0103" => {
            let (_, name, (r, g, b)) = RAG_COLOURS
                .iter()
                .find(|(rag, _, _)| *rag as usize + 1 == n)?;
            let class = if fill {
                format!("bp-rag-{name}")
            } else {
                format!("bp-ragk-{name}")
            };
            Some((class, format!("#{r:02X}{g:02X}{b:02X}")))
        }
        "0104" if n == 1 => Some(("bp-unrated".into(), "#8A8F98".into())),
        _ => None,
    }
}

/// Replace sentinel colours with theme classes and default colours, drop
/// `opacity="1"`, and add `role`, `<title>` and `<desc>`: one pass over the SVG.
fn finish(svg: String, id: &str, title: &str, desc: &str) -> String {
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
    let attrs = format!("<svg role=\"img\" aria-labelledby=\"{id}-t {id}-d\" class=\"bp-chart\" ");
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

/// Copy `svg` to `out`, turning sentinel colours into theme classes and
/// default colours and dropping `opacity="1"` (the default, so files stay small).
fn rewrite_colours(out: &mut String, svg: &str) {
    const OPAQUE: &str = " opacity=\"1\"";
    let mut pos = 0;
    // Next match of each pattern at or after `pos`, found once and kept until passed.
    let find = |from: usize, pat: &str| svg[from..].find(pat).map(|i| from + i);
    let mut next_colour = find(0, "=\"#010");
    let mut next_opaque = find(0, OPAQUE);
    loop {
        if next_colour.is_some_and(|c| c < pos) {
            next_colour = find(pos, "=\"#010");
        }
        if next_opaque.is_some_and(|o| o < pos) {
            next_opaque = find(pos, OPAQUE);
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

/// Give each shortened category label its full text as a `<title>`, so it shows on hover
/// and is read out by screen readers.
fn full_labels(mut svg: String, categories: &[String], max: usize) -> String {
    for c in categories {
        let short = truncate(c, max);
        if short != *c {
            let shown = format!("\n{}\n</text>", escape(&short));
            let with_title = format!("\n{}<title>{}</title>\n</text>", escape(&short), escape(c));
            svg = svg.replace(&shown, &with_title);
        }
    }
    svg
}

type DrawResult<T> = Result<T, String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("chart drawing failed: {e:?}")
}

/// Draw a line chart (trends, in-year progress, series over months).
pub fn line_chart(spec: &LineSpec) -> DrawResult<Chart> {
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
    let (w, h) = (720u32, 340u32);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin_top(16)
            .margin_right(24)
            .margin_left(8)
            .margin_bottom(8)
            .x_label_area_size(34)
            .y_label_area_size(56)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), lo..hi)
            .map_err(err)?;
        let labels = spec.x_labels.clone();
        let fmt = spec.fmt;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID)
            .axis_style(INK)
            .x_labels(n.min(12))
            .y_labels(6)
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| fmt(*y))
            .y_desc(spec.y_label.as_str())
            .label_style((FONT, 13).into_font().color(&INK))
            .axis_desc_style((FONT, 13).into_font().color(&INK))
            .draw()
            .map_err(err)?;

        for r in &spec.refs {
            let c = series_colour(r.colour);
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(-0.5, r.value), (n as f64 - 0.5, r.value)],
                    3,
                    4,
                    c.stroke_width(1),
                ))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{}: {}", r.name, fmt(r.value)),
                    (n as f64 - 0.55, r.value),
                    (FONT, 12)
                        .into_font()
                        .color(&c)
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
            } else {
                if pts.len() > 1 {
                    chart
                        .draw_series(LineSeries::new(pts.clone(), c.stroke_width(2)))
                        .map_err(err)?;
                }
                chart
                    .draw_series(pts.iter().map(|&p| Circle::new(p, 4, c.filled())))
                    .map_err(err)?;
            }
            for (x, text, rag) in &l.labels {
                let Some(&(_, y)) = l.points.iter().find(|p| p.0 == *x) else {
                    continue;
                };
                let colour = rag.map_or(INK, rag_colour);
                chart
                    .draw_series(std::iter::once(Text::new(
                        text.clone(),
                        (*x as f64, y),
                        (FONT, 12)
                            .into_font()
                            .style(FontStyle::Bold)
                            .color(&colour)
                            .pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )))
                    .map_err(err)?;
            }
        }
        // Legend drawn by hand: plotters' legend needs font metrics we do not have.
        let mut x = 70;
        let names: Vec<(String, RGBColor, bool)> = spec
            .lines
            .iter()
            .map(|l| (l.name.clone(), series_colour(l.colour), l.dashed))
            .collect();
        for (name, c, dashed) in names {
            let y = 10;
            let style = c.stroke_width(2);
            if dashed {
                root.draw(&PathElement::new(vec![(x, y), (x + 8, y)], style))
                    .map_err(err)?;
                root.draw(&PathElement::new(vec![(x + 12, y), (x + 20, y)], style))
                    .map_err(err)?;
            } else {
                root.draw(&PathElement::new(vec![(x, y), (x + 20, y)], style))
                    .map_err(err)?;
            }
            root.draw(&Text::new(
                name.clone(),
                (x + 24, y),
                (FONT, 12)
                    .into_font()
                    .color(&INK)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)?;
            x += 34 + (name.chars().count() as i32) * 7;
        }
        if let Some(note) = &spec.note {
            root.draw(&Text::new(
                note.clone(),
                (w as i32 - 8, 10),
                (FONT, 12)
                    .into_font()
                    .color(&INK)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(Chart {
        id: spec.id.clone(),
        title: spec.title.clone(),
        desc: spec.desc.clone(),
        svg: finish(buf, &spec.id, &spec.title, &spec.desc),
        table: spec.table.clone(),
    })
}

/// Everything a bar chart needs.
#[derive(Debug, Clone)]
pub struct BarSpec {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description in words.
    pub desc: String,
    /// Category labels (bars or groups).
    pub categories: Vec<String>,
    /// Series: name and one value per category.
    pub series: Vec<(String, Vec<Option<f64>>)>,
    /// Value axis label.
    pub value_label: String,
    /// Draw bars horizontally (long category labels read better).
    pub horizontal: bool,
    /// Stack the series instead of grouping them.
    pub stacked: bool,
    /// Colour of each series (default: the palette in order).
    pub series_colours: Vec<Colour>,
    /// Formats values for labels.
    pub fmt: fn(f64) -> String,
    /// Figures table.
    pub table: DataTable,
}

/// Draw a bar chart: grouped or stacked, vertical or horizontal, negatives handled.
pub fn bar_chart(spec: &BarSpec) -> DrawResult<Chart> {
    let n = spec.categories.len().max(1);
    let k = spec.series.len().max(1);
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for i in 0..n {
        if spec.stacked {
            let (mut pos, mut neg) = (0.0, 0.0);
            for (_, vals) in &spec.series {
                let v = vals.get(i).copied().flatten().unwrap_or(0.0);
                if v >= 0.0 {
                    pos += v;
                } else {
                    neg += v;
                }
            }
            hi = hi.max(pos);
            lo = lo.min(neg);
        } else {
            for (_, vals) in &spec.series {
                if let Some(v) = vals.get(i).copied().flatten() {
                    hi = hi.max(v);
                    lo = lo.min(v);
                }
            }
        }
    }
    let (lo, hi) = nice_range(lo, hi, true);
    let label_chars = 30;
    // Room for the longest category label (sideways charts), up to 30 characters.
    let longest = spec
        .categories
        .iter()
        .map(|c| c.chars().count().min(label_chars))
        .max()
        .unwrap_or(0) as u32;
    let label_area = (16 + 7 * longest).clamp(40, 220);
    let (w, h) = if spec.horizontal {
        let per = if spec.stacked { 22 } else { 10 + 12 * k as u32 };
        // Short labels (status summaries) make a compact chart that reads at card size.
        let w = if longest <= 12 { 480 } else { 720 };
        (
            w,
            (60 + per * n as u32).max(if longest <= 12 { 120 } else { 160 }),
        )
    } else {
        (720u32, 340u32)
    };
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let cats = spec.categories.clone();
        let fmt = spec.fmt;
        let horizontal = spec.horizontal;
        let counts = spec.value_label == "count";
        let cat_fmt = move |x: &f64| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
                // Horizontal charts list the first category at the top.
                let i = if horizontal {
                    n - 1 - i as usize
                } else {
                    i as usize
                };
                cats.get(i)
                    .map(|c| truncate(c, label_chars))
                    .unwrap_or_default()
            } else {
                String::new()
            }
        };
        let top = if spec.series.len() > 1 { 26 } else { 12 };
        if spec.horizontal {
            let mut chart = ChartBuilder::on(&root)
                .margin_top(top)
                .margin_right(24)
                .margin_left(8)
                .margin_bottom(8)
                .x_label_area_size(34)
                .y_label_area_size(label_area)
                .build_cartesian_2d(lo..hi, -0.5f64..(n as f64 - 0.5))
                .map_err(err)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .max_light_lines(0)
                .bold_line_style(GRID)
                .axis_style(INK)
                .y_labels(n)
                .x_labels(6)
                .y_label_formatter(&cat_fmt)
                .x_label_formatter(&|v| {
                    // Counts have no fractions: leave the in-between ticks unlabelled.
                    if counts && v.fract().abs() > 1e-9 {
                        String::new()
                    } else {
                        fmt(*v)
                    }
                })
                .x_desc(spec.value_label.as_str())
                .label_style((FONT, 12).into_font().color(&INK))
                .axis_desc_style((FONT, 13).into_font().color(&INK))
                .draw()
                .map_err(err)?;
            draw_bars(&mut chart, spec, true)?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                    INK.stroke_width(1),
                )))
                .map_err(err)?;
        } else {
            let mut chart = ChartBuilder::on(&root)
                .margin_top(top)
                .margin_right(24)
                .margin_left(8)
                .margin_bottom(8)
                .x_label_area_size(40)
                .y_label_area_size(60)
                .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), lo..hi)
                .map_err(err)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .max_light_lines(0)
                .bold_line_style(GRID)
                .axis_style(INK)
                .x_labels(n)
                .y_labels(6)
                .x_label_formatter(&|x| truncate(&cat_fmt(x), 14))
                .y_label_formatter(&|v| fmt(*v))
                .y_desc(spec.value_label.as_str())
                .label_style((FONT, 12).into_font().color(&INK))
                .axis_desc_style((FONT, 13).into_font().color(&INK))
                .draw()
                .map_err(err)?;
            draw_bars(&mut chart, spec, false)?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)],
                    INK.stroke_width(1),
                )))
                .map_err(err)?;
        }
        if spec.series.len() > 1 {
            let mut x = 12;
            for (i, (name, _)) in spec.series.iter().enumerate() {
                let c = spec
                    .series_colours
                    .get(i)
                    .copied()
                    .unwrap_or(Colour::Palette(i));
                root.draw(&Rectangle::new(
                    [(x, 6), (x + 12, 18)],
                    c.sentinel().filled(),
                ))
                .map_err(err)?;
                root.draw(&Text::new(
                    name.clone(),
                    (x + 16, 12),
                    (FONT, 12)
                        .into_font()
                        .color(&INK)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(err)?;
                x += 30 + (name.chars().count() as i32) * 7;
            }
        }
        root.present().map_err(err)?;
    }
    Ok(Chart {
        id: spec.id.clone(),
        title: spec.title.clone(),
        desc: spec.desc.clone(),
        svg: full_labels(
            finish(buf, &spec.id, &spec.title, &spec.desc),
            &spec.categories,
            label_chars,
        ),
        table: spec.table.clone(),
    })
}

fn draw_bars<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    spec: &BarSpec,
    horizontal: bool,
) -> DrawResult<()> {
    // Pixels per unit along the value axis, to leave out labels that would not fit.
    // (Measured over a long span: backend coordinates are whole pixels.)
    let span = 1e6;
    let (px0, _) = chart.backend_coord(&(0.0, 0.0));
    let (px1, _) = chart.backend_coord(&(span, 0.0));
    let px_per_unit = f64::from((px1 - px0).abs()) / span;
    let k = spec.series.len().max(1);
    let n = spec.categories.len();
    let band = 0.8;
    let mut rects = Vec::new();
    let mut labels = Vec::new();
    for i in 0..n {
        // Horizontal charts list the first category at the top.
        let at = if horizontal {
            (n - 1 - i) as f64
        } else {
            i as f64
        };
        let (mut pos, mut neg) = (0.0, 0.0);
        for (s, (_, vals)) in spec.series.iter().enumerate() {
            let Some(v) = vals.get(i).copied().flatten() else {
                continue;
            };
            let colour = spec
                .series_colours
                .get(s)
                .copied()
                .unwrap_or(Colour::Palette(s))
                .sentinel();
            let (c0, c1, v0, v1) = if spec.stacked {
                let base = if v >= 0.0 { pos } else { neg };
                if v >= 0.0 {
                    pos += v;
                } else {
                    neg += v;
                }
                (at - band / 2.0, at + band / 2.0, base, base + v)
            } else {
                let width = band / k as f64;
                // Sideways, the first series sits at the top of its group, as in the legend.
                let slot = if horizontal { k - 1 - s } else { s };
                let c0 = at - band / 2.0 + width * slot as f64;
                (c0, c0 + width * 0.92, 0.0, v)
            };
            let rect = if horizontal {
                Rectangle::new([(v0, c0), (v1, c1)], colour.filled())
            } else {
                Rectangle::new([(c0, v0), (c1, v1)], colour.filled())
            };
            rects.push(rect);
            let text_px = 7.0 * ((spec.fmt)(v).chars().count() as f64 + 2.0);
            if spec.stacked && horizontal && v.abs() * px_per_unit >= text_px {
                // Label each segment, with the RAG letter so status is not shown by colour alone.
                let colour = spec
                    .series_colours
                    .get(s)
                    .copied()
                    .unwrap_or(Colour::Palette(s));
                let letter = match colour {
                    Colour::Rag(r) => format!(" {}", r.letter()),
                    _ => String::new(),
                };
                // White on the dark fills, ink on the light ones.
                let dark = matches!(
                    colour,
                    Colour::Palette(0 | 2 | 5) | Colour::Rag(Rag::Red | Rag::Green | Rag::Blue)
                );
                let text = if dark { WHITE } else { INK };
                labels.push(Text::new(
                    format!("{}{letter}", (spec.fmt)(v)),
                    ((v0 + v1) / 2.0, at),
                    (FONT, 11)
                        .into_font()
                        .color(&text)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                ));
            }
            if !spec.stacked {
                let mid = (c0 + c1) / 2.0;
                let (anchor, at) = if horizontal {
                    let h = if v >= 0.0 { HPos::Left } else { HPos::Right };
                    (Pos::new(h, VPos::Center), (v1, mid))
                } else {
                    let vpos = if v >= 0.0 { VPos::Bottom } else { VPos::Top };
                    (Pos::new(HPos::Center, vpos), (mid, v1))
                };
                labels.push(Text::new(
                    format!(" {} ", (spec.fmt)(v)),
                    at,
                    (FONT, 11).into_font().color(&INK).pos(anchor),
                ));
            }
        }
        if spec.stacked && horizontal {
            let total = pos + neg;
            labels.push(Text::new(
                format!(" {}", (spec.fmt)(total)),
                (pos.max(0.0), at),
                (FONT, 11)
                    .into_font()
                    .color(&INK)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ));
        }
    }
    chart.draw_series(rects).map_err(err)?;
    chart.draw_series(labels).map_err(err)?;
    Ok(())
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
        }
    }

    #[test]
    fn line_chart_is_accessible_and_themed() {
        let c = line_chart(&spec()).unwrap();
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
        assert_eq!(c.svg, line_chart(&spec()).unwrap().svg);
    }

    #[test]
    fn bars_handle_negatives_and_empty_series() {
        let spec = BarSpec {
            id: "b".into(),
            title: "Savings".into(),
            desc: "d".into(),
            categories: vec![
                "Reduce the number of children who are looked after".into(),
                "Residential homes".into(),
            ],
            series: vec![("2016/17".into(), vec![Some(-2100.0), Some(796.0)])],
            value_label: "£'000".into(),
            horizontal: true,
            stacked: false,
            series_colours: vec![],
            fmt: plain,
            table: DataTable::default(),
        };
        let c = bar_chart(&spec).unwrap();
        assert!(
            c.svg.contains(
                "\nReduce the number of children…<title>Reduce the number of children who are looked after</title>\n</text>"
            ),
            "long label truncated"
        );
        assert!(c.svg.contains(" -2,100 "), "negative value labelled");
        let empty = BarSpec {
            categories: vec![],
            series: vec![],
            ..spec
        };
        assert!(bar_chart(&empty).is_ok());
    }

    #[test]
    fn ranges_start_at_zero_and_pad() {
        assert_eq!(nice_range(3.0, 97.0, true), (0.0, 100.0));
        let (lo, hi) = nice_range(-2100.0, 796.0, true);
        assert!(lo <= -2100.0 && hi >= 796.0);
        assert_eq!(nice_range(5.0, 5.0, true), (0.0, 6.0));
    }
}
