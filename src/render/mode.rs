//! How far rendering goes: a build makes every page in full; `check` builds
//! every page's data, with every check made while building it, and makes
//! nothing it would throw away.

/// How far rendering goes. The same functions build the pages' data in both
/// modes, so every check made on the way (chart limits, chart shortcodes,
/// Markdown limits, template errors) is made once, in one place; only the work
/// whose result nobody sees under [`Mode::Check`] is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Make every page in full (a build, and tests that look at the pages).
    #[default]
    Build,
    /// Find what only rendering finds and make nothing to keep (`check`):
    /// charts get every data and limit check but are not drawn (their SVG is
    /// [`UNDRAWN_SVG`]), Markdown is parsed and its limits checked but not
    /// sanitised, and a page's data is converted for its template only while
    /// that template has not run yet (a [`super::stream::Sink`] that keeps no
    /// page runs each template once).
    Check,
}

impl Mode {
    /// Whether charts are drawn and Markdown sanitised.
    pub fn draws(self) -> bool {
        self == Mode::Build
    }
}

/// A chart's SVG under [`Mode::Check`]: not empty, so a template takes the same
/// branch as for a drawn chart (an empty SVG means a chart replaced by a sentence).
pub const UNDRAWN_SVG: &str = "<svg class=\"bp-chart\"></svg>";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{MAX_CHART_POINTS, MAX_MARKDOWN_TAGS};
    use crate::render::charts::{
        BarSpec, ChartSize, DataTable, Line, LineSpec, bar_chart, line_chart, plain,
    };
    use crate::render::markdown::{Glossary, try_render};

    fn line(points: usize) -> LineSpec {
        LineSpec {
            id: "c".into(),
            title: "T".into(),
            desc: "D".into(),
            x_labels: vec!["2016/17".into(); 2],
            y_label: String::new(),
            lines: vec![Line {
                name: "Actual".into(),
                points: (0..points).map(|i| (i % 2, 1.0)).collect(),
                dashed: false,
                colour: 0,
                labels: Vec::new(),
            }],
            refs: Vec::new(),
            fmt: plain,
            note: None,
            table: DataTable::default(),
            size: ChartSize::Half,
        }
    }

    fn bars(categories: usize) -> BarSpec {
        BarSpec {
            id: "b".into(),
            title: "T".into(),
            desc: "D".into(),
            categories: (0..categories).map(|i| format!("c{i}")).collect(),
            series: vec![("s".into(), vec![Some(1.0); categories])],
            value_label: String::new(),
            horizontal: false,
            stacked: false,
            series_colours: Vec::new(),
            fmt: plain,
            table: DataTable::default(),
            size: ChartSize::Wide,
        }
    }

    /// `check` draws no chart, but refuses the same charts a build refuses,
    /// with the same words, and keeps everything but the drawing.
    #[test]
    fn check_mode_refuses_what_a_build_refuses_and_draws_nothing() {
        let drawn = line_chart(&line(4), Mode::Build).unwrap();
        let undrawn = line_chart(&line(4), Mode::Check).unwrap();
        assert!(drawn.svg.contains("<circle"), "{}", drawn.svg);
        assert_eq!(&*undrawn.svg, UNDRAWN_SVG);
        assert_eq!(
            (&undrawn.id, &undrawn.title, &undrawn.desc, undrawn.size),
            (&drawn.id, &drawn.title, &drawn.desc, drawn.size)
        );
        let over = line(MAX_CHART_POINTS + 1);
        let e = line_chart(&over, Mode::Build).unwrap_err();
        assert_eq!(line_chart(&over, Mode::Check).unwrap_err(), e);
        assert_eq!(&*bar_chart(&bars(3), Mode::Check).unwrap().svg, UNDRAWN_SVG);
        let e = bar_chart(&bars(600), Mode::Build).unwrap_err();
        assert_eq!(bar_chart(&bars(600), Mode::Check).unwrap_err(), e);
    }

    /// `check` parses Markdown and applies its limits, but does not sanitise.
    #[test]
    fn check_mode_checks_markdown_limits_without_sanitising() {
        let g = Glossary::default();
        let text = "Hi <script>x</script> *there*";
        let built = try_render(text, &g, 1, Mode::Build).unwrap();
        let checked = try_render(text, &g, 1, Mode::Check).unwrap();
        assert!(!built.contains("<script>"), "{built}");
        assert!(checked.contains("<em>there</em>"), "{checked}");
        let body = "*a* ".repeat(MAX_MARKDOWN_TAGS / 2 + 10);
        let e = try_render(&body, &g, 1, Mode::Build).unwrap_err();
        assert_eq!(try_render(&body, &g, 1, Mode::Check).unwrap_err(), e);
    }
}
