//! The status summary of a plan: its actions and indicators counted by RAG, as
//! one stacked bar each, or a sentence when nothing is rated yet.

use super::charts::{self, BarSpec, Chart, ChartSize, Colour, DataTable};
use super::mode::Mode;
use crate::model::Rag;

/// Counts of actions and indicators by status, as a stacked bar chart titled after
/// `plan_title` and the kinds it shows. Each bar's label gives its total, so no
/// number beside a bar reads as one more segment. When nothing is rated, a
/// sentence says so instead (a chart with an empty `svg`). `mode` says whether it is drawn.
pub fn status_chart(
    id: &str,
    plan_title: &str,
    rows: &[(String, [usize; 5])],
    mode: Mode,
) -> Option<Chart> {
    if rows.iter().all(|(_, c)| c.iter().sum::<usize>() == 0) {
        return None;
    }
    let kinds: Vec<String> = rows.iter().map(|(n, _)| n.to_lowercase()).collect();
    let title = format!("{plan_title}: status of {}", kinds.join(" and "));
    let names = ["Red", "Amber", "Green", "Blue", "Not rated"];
    let total = |c: &[usize; 5]| c.iter().sum::<usize>();
    if rows.iter().all(|(_, c)| total(c) == c[4]) {
        let parts: Vec<String> = rows
            .iter()
            .map(|(n, c)| {
                let n = n.to_lowercase();
                let n = if total(c) == 1 {
                    n.trim_end_matches('s').to_string()
                } else {
                    n
                };
                format!("{} {n}", total(c))
            })
            .collect();
        let one = rows.len() == 1 && total(&rows[0].1) == 1;
        return Some(Chart {
            id: id.to_string(),
            title,
            desc: format!(
                "None of the {} {} a RAG status yet.",
                parts.join(" and "),
                if one { "has" } else { "have" }
            ),
            svg: "".into(),
            table: DataTable::default(),
            size: ChartSize::Card,
        });
    }
    let colours = [
        Colour::Rag(Rag::Red),
        Colour::Rag(Rag::Amber),
        Colour::Rag(Rag::Green),
        Colour::Rag(Rag::Blue),
        Colour::Unrated,
    ];
    let keep: Vec<usize> = (0..5)
        .filter(|i| rows.iter().any(|(_, c)| c[*i] > 0))
        .collect();
    let series = keep
        .iter()
        .map(|i| {
            (
                names[*i].to_string(),
                rows.iter()
                    .map(|(_, c)| (c[*i] > 0).then_some(c[*i] as f64))
                    .collect(),
            )
        })
        .collect();
    let desc = rows
        .iter()
        .map(|(name, c)| {
            let parts: Vec<String> = keep
                .iter()
                .filter(|i| c[**i] > 0)
                .map(|i| format!("{} {}", c[*i], names[*i]))
                .collect();
            format!(
                "{name} ({}): {}",
                total(c),
                if parts.is_empty() {
                    "none".into()
                } else {
                    parts.join(", ")
                }
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let table = DataTable {
        headers: std::iter::once(String::new())
            .chain(keep.iter().map(|i| names[*i].to_string()))
            .chain(std::iter::once("Total".to_string()))
            .collect(),
        rows: rows
            .iter()
            .map(|(name, c)| {
                std::iter::once(name.clone())
                    .chain(keep.iter().map(|i| c[*i].to_string()))
                    .chain(std::iter::once(total(c).to_string()))
                    .collect()
            })
            .collect(),
    };
    charts::bar_chart(
        &BarSpec {
            id: id.to_string(),
            title,
            desc: format!("{desc}."),
            categories: rows
                .iter()
                .map(|(n, c)| format!("{n} ({})", total(c)))
                .collect(),
            series,
            value_label: "count".into(),
            horizontal: true,
            stacked: true,
            series_colours: keep.iter().map(|i| colours[*i]).collect(),
            fmt: charts::plain,
            table,
            size: ChartSize::Card,
        },
        mode,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_names_only_what_the_chart_shows() {
        let c = status_chart(
            "s",
            "LAC",
            &[("Actions".into(), [1, 14, 10, 0, 6])],
            Mode::Build,
        )
        .unwrap();
        assert_eq!(c.title, "LAC: status of actions");
        let both = status_chart(
            "s",
            "LAC",
            &[
                ("Actions".into(), [1, 0, 0, 0, 0]),
                ("Indicators".into(), [0, 0, 1, 0, 0]),
            ],
            Mode::Build,
        )
        .unwrap();
        assert_eq!(both.title, "LAC: status of actions and indicators");
    }

    #[test]
    fn each_bar_is_labelled_with_its_total_not_a_number_beside_it() {
        let c = status_chart(
            "s",
            "LAC",
            &[("Actions".into(), [1, 14, 10, 0, 6])],
            Mode::Build,
        )
        .unwrap();
        assert!(c.svg.contains("\nActions (31)\n</text>"), "{}", c.svg);
        assert!(!c.svg.contains("\n 31\n</text>") && !c.svg.contains("\n31\n</text>"));
        assert_eq!(c.table.headers.last().map(String::as_str), Some("Total"));
    }

    #[test]
    fn nothing_rated_is_a_sentence_not_a_grey_bar() {
        let c = status_chart(
            "s",
            "SIP",
            &[
                ("Actions".into(), [0, 0, 0, 0, 65]),
                ("Indicators".into(), [0, 0, 0, 0, 31]),
            ],
            Mode::Build,
        )
        .unwrap();
        assert!(c.svg.is_empty());
        assert_eq!(
            c.desc,
            "None of the 65 actions and 31 indicators have a RAG status yet."
        );
        let one = status_chart(
            "s",
            "P",
            &[("Actions".into(), [0, 0, 0, 0, 1])],
            Mode::Build,
        )
        .unwrap();
        assert_eq!(one.desc, "None of the 1 action has a RAG status yet.");
        assert!(status_chart("s", "P", &[], Mode::Build).is_none());
    }
}
