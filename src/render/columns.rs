//! Which columns of a landscape action plan carry anything, and how wide each
//! should be, so the printed table spends its width where the words are: an
//! empty column is left out, and a column of long paragraphs gets more room
//! than a column of dates. An action's impact (type, what it will be, how it is
//! measured, target saving and reduction) shares one column, each part
//! labelled, as on the plan's own page: five narrow columns of a word or two
//! each would leave most of every row blank.
//!
//! The appendix is printed as one table per objective (so the objective's
//! heading repeats with the column headings on every page it runs over); the
//! widths here are shared by all of them, so their columns line up.

use serde::Serialize;

use super::views::ActionRow;

/// A column of the landscape action plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Reference,
    Activity,
    Deliverables,
    Lead,
    Due,
    Revised,
    Impact,
    Progress,
    Priority,
    Rag,
}

const ALL: [Col; 10] = [
    Col::Reference,
    Col::Activity,
    Col::Deliverables,
    Col::Lead,
    Col::Due,
    Col::Revised,
    Col::Impact,
    Col::Progress,
    Col::Priority,
    Col::Rag,
];

impl Col {
    fn key(self) -> &'static str {
        match self {
            Col::Reference => "reference",
            Col::Activity => "activity",
            Col::Deliverables => "deliverables",
            Col::Lead => "lead",
            Col::Due => "due",
            Col::Revised => "revised",
            Col::Impact => "impact",
            Col::Progress => "progress",
            Col::Priority => "priority",
            Col::Rag => "rag",
        }
    }

    /// The column's heading, whose longest word also sets a floor on its width.
    fn heading(self) -> &'static str {
        match self {
            Col::Reference => "Ref",
            Col::Activity => "Workstream / activity",
            Col::Deliverables => "Required (deliverables)",
            Col::Lead => "Lead",
            Col::Due => "Target end date",
            Col::Revised => "Revised end date",
            Col::Impact => "Impact",
            Col::Progress => "Progress to date",
            Col::Priority => "Priority",
            Col::Rag => "RAG",
        }
    }

    /// The text of this column in `row`, as characters a reader sees.
    fn text(self, r: &ActionRow) -> String {
        match self {
            Col::Reference => r.reference.clone(),
            Col::Activity => format!(
                "{} {}",
                r.title.as_deref().unwrap_or(""),
                strip_tags(&r.description_html)
            ),
            Col::Deliverables => r
                .deliverables
                .iter()
                .map(|d| {
                    format!(
                        "{} {} {} {} ",
                        strip_tags(&d.html),
                        d.due,
                        d.revised,
                        d.status
                    )
                })
                .collect(),
            Col::Lead => format!(
                "{} {}",
                strip_tags(&r.leads_html),
                r.age_group.as_deref().unwrap_or("")
            ),
            Col::Due => r.due.clone(),
            Col::Revised => r.revised.clone(),
            Col::Impact => {
                let parts = [
                    &r.impact_type,
                    &r.impact_expected,
                    &r.impact_measure,
                    &r.saving,
                    &r.reduction,
                ];
                if parts.iter().all(|p| p.trim().is_empty()) {
                    String::new()
                } else {
                    // With the labels the cell gives each part.
                    format!(
                        "Impact ({}): {} Measured by: {} Target saving: {} £k Target reduction: {}",
                        parts[0], parts[1], parts[2], parts[3], parts[4]
                    )
                }
            }
            Col::Progress => r
                .progress
                .iter()
                .map(|p| format!("{} {} ", p.when, strip_tags(&p.html)))
                .chain(r.flags.iter().map(|f| format!("{f} ")))
                .collect(),
            Col::Priority => r.priority.clone(),
            Col::Rag => r
                .rag
                .as_ref()
                .map(|g| {
                    let stated = if g.stated { " (as stated)" } else { "" };
                    // The letter's badge and the name stay on one line.
                    format!("{}\u{a0}{}{stated}", g.letter, g.name)
                })
                .unwrap_or_default(),
        }
    }

    /// Shown even when every row leaves it empty.
    fn always(self) -> bool {
        // A plan whose actions carry no refs gets no Ref column.
        matches!(self, Col::Activity | Col::Lead | Col::Rag)
    }
}

/// Text without its tags and with entities counted as one character.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut in_entity = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if in_tag => {}
            '&' => {
                in_entity = true;
                out.push('x');
            }
            ';' if in_entity => in_entity = false,
            _ if in_entity => {}
            c => out.push(c),
        }
    }
    out
}

/// The columns of a landscape action plan that have content, with their widths.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ColumnLayout {
    /// Keys of the columns shown, in order (`reference`, `activity`, … `rag`).
    pub keys: Vec<&'static str>,
    /// Width of each shown column, in per cent of the table (`"12.5%"`).
    pub widths: Vec<String>,
    /// Is the column with this key shown? (One flag per possible column.)
    pub show: std::collections::BTreeMap<&'static str, bool>,
    /// Number of columns shown (for rows that span the table).
    pub colspan: usize,
}

/// Lay out the columns for `rows` (every row of every group).
pub fn layout<'a>(rows: impl IntoIterator<Item = &'a ActionRow> + Clone) -> ColumnLayout {
    let shown: Vec<Col> = ALL
        .iter()
        .copied()
        .filter(|c| {
            c.always()
                || rows
                    .clone()
                    .into_iter()
                    .any(|r| !c.text(r).trim().is_empty())
        })
        .collect();
    // Each column gets at least room for its longest word (heading or cell); the
    // rest of the width goes where it makes the table shortest, counting each
    // row as deep as its deepest cell.
    let rows: Vec<&ActionRow> = rows.into_iter().collect();
    let mut floor = Vec::with_capacity(shown.len());
    let mut text_len: Vec<Vec<f64>> = vec![Vec::with_capacity(shown.len()); rows.len()];
    for c in &shown {
        // Headings are bold (wider letters) but a size smaller.
        let mut longest_word = c
            .heading()
            .split_whitespace()
            .map(|w| w.chars().count() as f64 * 1.05)
            .fold(0.0, f64::max);
        for (r, row) in rows.iter().enumerate() {
            let t = c.text(row);
            text_len[r].push(t.chars().count() as f64);
            let word = t
                .split(|c: char| c.is_ascii_whitespace())
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0);
            // A very long word (a web address) may break rather than widen the column.
            longest_word = longest_word.max(word.min(10) as f64);
        }
        // Plus the cell's padding and a little slack.
        floor.push(longest_word + PADDING + 0.5);
    }
    let chars = share_width(&floor, &text_len, WIDTH_CHARS);
    let sum: f64 = chars.iter().sum::<f64>().max(1e-9);
    let widths = chars
        .iter()
        .map(|c| format!("{:.1}%", 100.0 * c / sum))
        .collect();
    ColumnLayout {
        keys: shown.iter().map(|c| c.key()).collect(),
        widths,
        show: ALL.iter().map(|c| (c.key(), shown.contains(c))).collect(),
        colspan: shown.len(),
    }
}

/// About this many characters of 7.2-point type fit across a landscape A4 page
/// (277 mm), counting the cells' padding.
const WIDTH_CHARS: f64 = 198.0;

/// A cell's padding and rules, in characters.
const PADDING: f64 = 1.5;

/// How steeply a row's depth follows its deepest cell (see [`share_width`]).
const P: i32 = 8;

/// One cell's part of its row's depth: (lines it takes)^P.
fn term(len: f64, w: f64) -> f64 {
    (len / (w - PADDING).max(0.5)).powi(P)
}

/// Share `total` characters of width between columns: each at least its `floor`,
/// the rest moved step by step to wherever it most shortens the table (rows of
/// `lens`, characters per column). A row is counted as deep as about its deepest
/// cell: the P-norm of its cells' lines rather than the maximum, so that the total
/// changes smoothly as width moves and the search cannot stall at a tie.
/// Deterministic: ties go to the first pair of columns.
fn share_width(floor: &[f64], lens: &[Vec<f64>], total: f64) -> Vec<f64> {
    let n = floor.len();
    if n == 0 {
        return Vec::new();
    }
    let floor_sum: f64 = floor.iter().sum();
    if floor_sum >= total {
        return floor.to_vec();
    }
    // Start from shares in proportion to each column's text.
    let text: Vec<f64> = (0..n).map(|c| lens.iter().map(|r| r[c]).sum()).collect();
    let text_sum: f64 = text.iter().sum::<f64>().max(1e-9);
    let spare = total - floor_sum;
    let mut w: Vec<f64> = (0..n)
        .map(|c| floor[c] + spare * text[c] / text_sum)
        .collect();
    let root = 1.0 / f64::from(P);
    let mut step = 4.0;
    let mut rounds = 0;
    while step >= 0.25 && rounds < 400 {
        rounds += 1;
        // Each row's sum of terms now, and each cell's term a step narrower or wider.
        let sums: Vec<f64> = lens
            .iter()
            .map(|r| (0..n).map(|c| term(r[c], w[c])).sum())
            .collect();
        let now: Vec<Vec<f64>> = lens
            .iter()
            .map(|r| (0..n).map(|c| term(r[c], w[c])).collect())
            .collect();
        let narrower: Vec<Vec<f64>> = lens
            .iter()
            .map(|r| (0..n).map(|c| term(r[c], w[c] - step)).collect())
            .collect();
        let wider: Vec<Vec<f64>> = lens
            .iter()
            .map(|r| (0..n).map(|c| term(r[c], w[c] + step)).collect())
            .collect();
        let mut best: Option<(usize, usize, f64)> = None;
        for from in 0..n {
            if w[from] - step < floor[from] {
                continue;
            }
            for to in 0..n {
                if to == from {
                    continue;
                }
                let change: f64 = (0..lens.len())
                    .map(|r| {
                        let s =
                            sums[r] - now[r][from] - now[r][to] + narrower[r][from] + wider[r][to];
                        s.max(0.0).powf(root) - sums[r].powf(root)
                    })
                    .sum();
                if change < -1e-9 && best.is_none_or(|(_, _, b)| change < b) {
                    best = Some((from, to, change));
                }
            }
        }
        match best {
            Some((from, to, _)) => {
                w[from] -= step;
                w[to] += step;
            }
            None => step /= 2.0,
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::render::views::DeliverableView;

    fn row(reference: &str, deliverables: &[&str], impact: &str) -> ActionRow {
        ActionRow {
            reference: reference.into(),
            title: Some("Support for carers".into()),
            description_html: "<p>Short.</p>".into(),
            leads_html: "T. Jefford".into(),
            deliverables: deliverables
                .iter()
                .enumerate()
                .map(|(i, d)| DeliverableView {
                    number: i + 1,
                    html: (*d).into(),
                    due: "May 2016".into(),
                    due_is_date: true,
                    revised: String::new(),
                    status: String::new(),
                    progress: Vec::new(),
                })
                .collect(),
            impact_expected: impact.into(),
            ..Default::default()
        }
    }

    fn percent(w: &str) -> f64 {
        w.trim_end_matches('%').parse().unwrap()
    }

    #[test]
    fn empty_columns_are_left_out_and_long_text_gets_the_width() {
        let long = "Review 40 cases where children became looked after to identify learning points \
                    with regards to substance misuse for all relevant organisations";
        let rows = [
            row("1.1", &[long, long, long], "More children with Family CAFs"),
            row("1.2", &[long, long], ""),
        ];
        let l = layout(rows.iter());
        // No dates, progress or priority were given: those columns are not drawn.
        assert_eq!(
            l.keys,
            [
                "reference",
                "activity",
                "deliverables",
                "lead",
                "impact",
                "rag"
            ]
        );
        assert!(!l.show.contains_key("saving"), "no column of its own");
        assert!(!l.show["progress"] && !l.show["due"] && l.show["impact"]);
        assert_eq!(l.colspan, 6);
        let w: Vec<f64> = l.widths.iter().map(|w| percent(w)).collect();
        let sum: f64 = w.iter().sum();
        assert!((sum - 100.0).abs() < 0.5, "{w:?}");
        // The deliverables, where the words are, get the most room.
        let widest = w.iter().cloned().fold(0.0, f64::max);
        assert_eq!(w[2], widest, "{w:?}");
        // Every column keeps room for its longest word ("deliverables)" in its heading).
        assert!(w.iter().all(|x| *x >= 2.0), "{w:?}");
        // The same rows, the same widths.
        assert_eq!(layout(rows.iter()).widths, l.widths);
    }

    #[test]
    fn width_goes_where_it_shortens_the_table() {
        // One column of long text and one of short: the long one gets most of the room.
        let lens = vec![vec![900.0, 30.0], vec![800.0, 20.0]];
        let w = share_width(&[5.0, 5.0], &lens, 100.0);
        assert!(w[0] > 70.0 && w[1] >= 5.0, "{w:?}");
        assert!((w[0] + w[1] - 100.0).abs() < 1e-9);
        // Floors that fill the width are kept as they are.
        assert_eq!(share_width(&[60.0, 50.0], &lens, 100.0), [60.0, 50.0]);
    }

    #[test]
    fn tags_and_entities_do_not_count_as_text() {
        assert_eq!(strip_tags("<p>a &amp; b</p>").trim(), "a x b");
    }
}
