//! Bar charts: grouped or stacked, upright or sideways, negatives handled.
//!
//! Sideways charts wrap long category labels over up to three lines (at
//! spaces) beside their bars. Neighbouring bars and segments are parted by a
//! white gap, so each colour meets only the background. A stacked segment is
//! labelled with its value and, for RAG, its letter: inside when it fits,
//! otherwise just above it.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart_text;
use super::charts::{
    Chart, ChartSize, Colour, DataTable, DrawResult, FONT, FONT_SIZE, GRID, INK, Key, LEGEND_ROW,
    TEXT, draw_legend, err, finish, legend_rows, nice_range,
};
use super::mode::Mode;
use super::palette;

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
    /// The width to draw it for.
    pub size: ChartSize,
}

impl BarSpec {
    fn colour(&self, s: usize) -> Colour {
        self.series_colours
            .get(s)
            .copied()
            .unwrap_or(Colour::Palette(s))
    }

    fn value(&self, s: usize, i: usize) -> Option<f64> {
        self.series.get(s)?.1.get(i).copied().flatten()
    }
}

/// Lines between wrapped label lines.
const LINE: i32 = 17;
/// White gap between neighbouring bars and segments, in pixels.
const GAP: f64 = 2.0;
/// Most lines a category label takes.
const MAX_LINES: usize = 3;

/// The value range: the stacked totals or the single values, with zero.
fn range(spec: &BarSpec, n: usize) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for i in 0..n {
        if spec.stacked {
            let (mut pos, mut neg) = (0.0, 0.0);
            for s in 0..spec.series.len() {
                let v = spec.value(s, i).unwrap_or(0.0);
                if v >= 0.0 {
                    pos += v;
                } else {
                    neg += v;
                }
            }
            hi = hi.max(pos);
            lo = lo.min(neg);
        } else {
            for s in 0..spec.series.len() {
                if let Some(v) = spec.value(s, i) {
                    hi = hi.max(v);
                    lo = lo.min(v);
                }
            }
        }
    }
    nice_range(lo, hi, true)
}

/// Draw a bar chart: grouped or stacked, vertical or horizontal, negatives handled;
/// under [`Mode::Check`], check its limits only.
pub fn bar_chart(spec: &BarSpec, mode: Mode) -> DrawResult<Chart> {
    let points: usize = spec.series.iter().map(|(_, v)| v.len()).sum();
    super::charts::within_limits(spec.categories.len(), points)?;
    if !mode.draws() {
        return Ok(super::charts::undrawn(
            &spec.id,
            &spec.title,
            &spec.desc,
            &spec.table,
            spec.size,
        ));
    }
    let n = spec.categories.len().max(1);
    let k = spec.series.len().max(1);
    let (lo, hi) = range(spec, n);
    let w = spec.size.width();
    let keys: Vec<Key> = if spec.series.len() > 1 {
        spec.series
            .iter()
            .enumerate()
            .map(|(s, (name, _))| {
                let c = spec.colour(s);
                let letter = match c {
                    Colour::Rag(r) => Some(r.letter()),
                    _ => None,
                };
                Key::Swatch(name.clone(), c, letter)
            })
            .collect()
    } else {
        Vec::new()
    };
    let legend = legend_rows(keys, w);
    let top = 10 + LEGEND_ROW * legend.len() as u32;
    // Upright bars need their labels side by side under them; else turn sideways.
    let upright_room = w.saturating_sub(96) / n as u32;
    let horizontal = spec.horizontal
        || spec
            .categories
            .iter()
            .any(|c| chart_text::width(c, TEXT) + 8 > upright_room);
    let mut buf = String::new();
    {
        if horizontal {
            // Wrapped labels in up to 40% of the width.
            let max_area = w * 2 / 5;
            let per_line = chart_text::chars_in(max_area - 16, TEXT);
            let wrapped: Vec<Vec<String>> = spec
                .categories
                .iter()
                .map(|c| chart_text::wrap(c, per_line, MAX_LINES).0)
                .collect();
            let label_area = wrapped
                .iter()
                .flatten()
                .map(|l| chart_text::width(l, TEXT) + 16)
                .max()
                .unwrap_or(40)
                .clamp(40, max_area);
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1) as u32;
            // Room to the right for the value labels of grouped bars.
            let value_room = if spec.stacked {
                16
            } else {
                (0..k)
                    .flat_map(|s| (0..n).filter_map(move |i| spec.value(s, i)))
                    .map(|v| chart_text::width(&(spec.fmt)(v), TEXT) + 10)
                    .max()
                    .unwrap_or(16)
            };
            let plot_w = w.saturating_sub(label_area + value_room + 8).max(40);
            let px_per_unit = f64::from(plot_w) / (hi - lo).max(1e-9);
            // Stacked segments too narrow for their label put it above: leave a lane.
            let lane = spec.stacked
                && (0..n).any(|i| {
                    (0..k).any(|s| {
                        spec.value(s, i).is_some_and(|v| {
                            f64::from(chart_text::width(&segment_text(spec, s, v), TEXT) + 8)
                                > v.abs() * px_per_unit
                        })
                    })
                });
            let bar = if spec.stacked { 30 } else { 6 + 20 * k as u32 };
            let band = (bar + if lane { 20 } else { 0 }).max(lines * LINE as u32 + 10) + 10;
            let h = top + band * n as u32 + 48;
            let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(err)?;
            draw_legend(&root, &legend)?;
            let mut chart = ChartBuilder::on(&root)
                .margin_top(top)
                .margin_right(value_room)
                .margin_left(8)
                .margin_bottom(8)
                .x_label_area_size(40)
                .y_label_area_size(label_area)
                .build_cartesian_2d(lo..hi, -0.5f64..(n as f64 - 0.5))
                .map_err(err)?;
            let fmt = spec.fmt;
            let counts = spec.value_label == "count";
            chart
                .configure_mesh()
                .disable_y_mesh()
                .max_light_lines(0)
                .bold_line_style(GRID)
                .axis_style(INK)
                .y_labels(0)
                .x_labels(5)
                .x_label_formatter(&|v| {
                    // Counts have no fractions: leave the in-between ticks unlabelled.
                    if counts && v.fract().abs() > 1e-9 {
                        String::new()
                    } else {
                        fmt(*v)
                    }
                })
                .x_desc(spec.value_label.as_str())
                .label_style((FONT, FONT_SIZE).into_font().color(&INK))
                .axis_desc_style((FONT, FONT_SIZE).into_font().color(&INK))
                .draw()
                .map_err(err)?;
            // The category labels, wrapped, beside their bars (the first at the top).
            for (i, lines) in wrapped.iter().enumerate() {
                let at = (n - 1 - i) as f64;
                let (x0, yc) = chart.backend_coord(&(lo, at));
                let first = yc - (lines.len() as i32 - 1) * LINE / 2;
                for (j, line) in lines.iter().enumerate() {
                    root.draw(&Text::new(
                        line.clone(),
                        (x0 - 8, first + j as i32 * LINE),
                        (FONT, FONT_SIZE)
                            .into_font()
                            .color(&INK)
                            .pos(Pos::new(HPos::Right, VPos::Center)),
                    ))
                    .map_err(err)?;
                }
            }
            draw_bars(&mut chart, spec, true, px_per_unit, band, lane)?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                    INK.stroke_width(1),
                )))
                .map_err(err)?;
            root.present().map_err(err)?;
        } else {
            let h = top
                + match spec.size {
                    ChartSize::Card => 220,
                    ChartSize::Half => 280,
                    ChartSize::Wide => 320,
                };
            let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(err)?;
            draw_legend(&root, &legend)?;
            let y_area = 64u32;
            let plot_w = w.saturating_sub(y_area + 32);
            let mut chart = ChartBuilder::on(&root)
                .margin_top(top + 6)
                .margin_right(24)
                .margin_left(8)
                .margin_bottom(8)
                .x_label_area_size(40)
                .y_label_area_size(y_area)
                .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), lo..hi)
                .map_err(err)?;
            let cats = spec.categories.clone();
            let fmt = spec.fmt;
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
                    if (x - i).abs() < 1e-6 && i >= 0.0 {
                        cats.get(i as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .y_label_formatter(&|v| fmt(*v))
                .y_desc(spec.value_label.as_str())
                .label_style((FONT, FONT_SIZE).into_font().color(&INK))
                .axis_desc_style((FONT, FONT_SIZE).into_font().color(&INK))
                .draw()
                .map_err(err)?;
            let px_per_unit = f64::from(h.saturating_sub(top + 60)) / (hi - lo).max(1e-9);
            let band = plot_w / n as u32;
            draw_bars(&mut chart, spec, false, px_per_unit, band, false)?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)],
                    INK.stroke_width(1),
                )))
                .map_err(err)?;
            root.present().map_err(err)?;
        }
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

/// A stacked segment's label: its value, and its RAG letter so status is not shown by colour alone.
fn segment_text(spec: &BarSpec, s: usize, v: f64) -> String {
    match spec.colour(s) {
        Colour::Rag(r) => format!("{} {}", (spec.fmt)(v), r.letter()),
        _ => (spec.fmt)(v),
    }
}

fn draw_bars<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    spec: &BarSpec,
    horizontal: bool,
    px_per_unit: f64,
    band_px: u32,
    lane: bool,
) -> DrawResult<()> {
    let k = spec.series.len().max(1);
    let n = spec.categories.len();
    // Bars take 80% of their band, less the label lane above stacked bars.
    let lane_share = if lane {
        20.0 / f64::from(band_px.max(1))
    } else {
        0.0
    };
    let band = 0.8 - lane_share;
    let gap_units = GAP / px_per_unit.max(1e-9);
    let gap_band = GAP / f64::from(band_px.max(1));
    let mut rects = Vec::new();
    let mut labels = Vec::new();
    for i in 0..n {
        // Horizontal charts list the first category at the top.
        let at = if horizontal {
            (n - 1 - i) as f64 - lane_share / 2.0
        } else {
            i as f64
        };
        let (mut pos, mut neg) = (0.0, 0.0);
        // The right end of the last label placed above this bar, in value units.
        let mut lane_end = f64::NEG_INFINITY;
        for s in 0..spec.series.len() {
            let Some(v) = spec.value(s, i) else {
                continue;
            };
            let colour = spec.colour(s);
            let fill = colour.sentinel().filled();
            let (c0, c1, v0, v1) = if spec.stacked {
                let base = if v >= 0.0 { pos } else { neg };
                if v >= 0.0 {
                    pos += v;
                } else {
                    neg += v;
                }
                // A white gap after each segment parts it from the next.
                let end = base + v - gap_units.copysign(v).min(v.abs() / 2.0).copysign(v);
                (at - band / 2.0, at + band / 2.0, base, end)
            } else {
                let width = band / k as f64;
                // Sideways, the first series sits at the top of its group, as in the legend.
                let slot = if horizontal { k - 1 - s } else { s };
                let c0 = at - band / 2.0 + width * slot as f64;
                (c0, c0 + width - gap_band, 0.0, v)
            };
            rects.push(if horizontal {
                Rectangle::new([(v0, c0), (v1, c1)], fill)
            } else {
                Rectangle::new([(c0, v0), (c1, v1)], fill)
            });
            if spec.stacked && horizontal {
                let text = segment_text(spec, s, v);
                let text_px = f64::from(chart_text::width(&text, TEXT) + 8);
                let mid = (v0 + v1) / 2.0;
                if text_px <= (v1 - v0).abs() * px_per_unit {
                    let (r, g, b) = palette::label_on(colour.rgb());
                    labels.push(Text::new(
                        text,
                        (mid, at),
                        (FONT, FONT_SIZE)
                            .into_font()
                            .style(FontStyle::Bold)
                            .color(&RGBColor(r, g, b))
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                    ));
                } else {
                    // Above the bar, clear of the label before it.
                    let half = text_px / 2.0 / px_per_unit;
                    // Not over the axis either.
                    let lo = v0.min(v1).min(0.0);
                    let x = mid.max(lane_end + half).max(lo + half);
                    lane_end = x + half;
                    labels.push(Text::new(
                        text,
                        (x, at + band / 2.0),
                        (FONT, FONT_SIZE)
                            .into_font()
                            .style(FontStyle::Bold)
                            .color(&INK)
                            .pos(Pos::new(HPos::Center, VPos::Bottom)),
                    ));
                }
            }
            if !spec.stacked {
                let mid = (c0 + c1) / 2.0;
                let text = format!(" {} ", (spec.fmt)(v));
                let (anchor, at) = if horizontal {
                    let h = if v >= 0.0 { HPos::Left } else { HPos::Right };
                    (Pos::new(h, VPos::Center), (v1, mid))
                } else {
                    let vpos = if v >= 0.0 { VPos::Bottom } else { VPos::Top };
                    (Pos::new(HPos::Center, vpos), (mid, v1))
                };
                // Upright bars too narrow for their value leave it to the table.
                let bar_px = f64::from(band_px) * band / k as f64;
                if horizontal || f64::from(chart_text::width(&text, TEXT)) <= bar_px + 6.0 {
                    labels.push(Text::new(
                        text,
                        at,
                        (FONT, FONT_SIZE).into_font().color(&INK).pos(anchor),
                    ));
                }
            }
        }
    }
    chart.draw_series(rects).map_err(err)?;
    chart.draw_series(labels).map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rag;
    use crate::render::charts::plain;

    fn savings() -> BarSpec {
        BarSpec {
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
            size: ChartSize::Wide,
        }
    }

    #[test]
    fn long_category_labels_wrap_instead_of_being_cut() {
        let c = bar_chart(&savings(), Mode::Build).unwrap();
        // Over lines broken at spaces, every word kept.
        let lines: Vec<&str> = c
            .svg
            .split("\n</text>")
            .filter_map(|t| t.rsplit('\n').next())
            .collect();
        let first = lines.iter().position(|l| l.starts_with("Reduce")).unwrap();
        let label = lines[first..first + 3].join(" ");
        assert_eq!(label, "Reduce the number of children who are looked after");
        assert!(!c.svg.contains('…'), "nothing cut");
        assert!(c.svg.contains(" -2,100 "), "negative value labelled");
        let empty = BarSpec {
            categories: vec![],
            series: vec![],
            ..savings()
        };
        assert!(bar_chart(&empty, Mode::Build).is_ok());
    }

    #[test]
    fn no_chart_text_is_smaller_than_the_text_size() {
        let c = bar_chart(&savings(), Mode::Build).unwrap();
        for size in c.svg.split("font-size=\"").skip(1) {
            let px: f64 = size.split('"').next().unwrap().parse().unwrap();
            assert!(px >= f64::from(TEXT), "{px}px text");
        }
    }

    #[test]
    fn stacked_rag_segments_carry_their_letter_and_are_parted_by_a_gap() {
        let spec = BarSpec {
            categories: vec!["Actions (31)".into()],
            series: vec![
                ("Red".into(), vec![Some(1.0)]),
                ("Amber".into(), vec![Some(14.0)]),
                ("Green".into(), vec![Some(10.0)]),
                ("Not rated".into(), vec![Some(6.0)]),
            ],
            value_label: "count".into(),
            stacked: true,
            series_colours: vec![
                Colour::Rag(Rag::Red),
                Colour::Rag(Rag::Amber),
                Colour::Rag(Rag::Green),
                Colour::Unrated,
            ],
            size: ChartSize::Card,
            ..savings()
        };
        let c = bar_chart(&spec, Mode::Build).unwrap();
        for text in [
            "\n1 R\n</text>",
            "\n14 A\n</text>",
            "\n10 G\n</text>",
            "\n6\n</text>",
        ] {
            assert!(c.svg.contains(text), "{text} in {}", c.svg);
        }
        // Segments end short of the next one: no two rects share an edge.
        let xs: Vec<(i32, i32)> = c
            .svg
            .split("<rect x=\"")
            .skip(1)
            .filter(|r| r.contains("bp-rag") || r.contains("bp-unrated"))
            // Not the legend's swatches.
            .filter(|r| !r.contains("height=\"18\""))
            .map(|r| {
                let x: i32 = r.split('"').next().unwrap().parse().unwrap();
                let w: i32 = r
                    .split("width=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                (x, x + w)
            })
            .collect();
        assert!(xs.len() >= 4, "{xs:?}");
        for pair in xs.windows(2) {
            assert!(pair[1].0 > pair[0].1, "segments touch: {xs:?}");
        }
        // Deterministic.
        assert_eq!(c.svg, bar_chart(&spec, Mode::Build).unwrap().svg);
    }
}
