//! Tables of figures: columns, row groups, totals and their charts.

use super::*;

/// A table of figures.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Id used by sections.
    pub id: Located<String>,
    /// Caption.
    pub title: String,
    /// Unit line shown under the caption (`£'000`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Columns, left to right.
    pub columns: Vec<Column>,
    /// Rows written inline (use `csv` for longer tables).
    #[serde(default)]
    pub rows: Vec<Located<Vec<Cell>>>,
    /// Groups of rows under a heading, written inline.
    #[serde(default)]
    pub groups: Vec<RowGroup>,
    /// CSV file beside `plan.yaml` holding the rows (header row = column keys).
    #[serde(default)]
    pub csv: Option<Located<String>>,
    /// The sheet to read when `csv` names a workbook (`.xlsx`, `.xls`, `.ods`).
    #[serde(default)]
    pub sheet: Option<Located<String>>,
    /// The cells to read from that sheet (`B2:F20`; default: all it holds).
    #[serde(default)]
    pub range: Option<Located<String>>,
    /// Add a total row summing the columns marked `sum: true`.
    #[serde(default)]
    pub total: Option<TotalRow>,
    /// Notes under the table (Markdown).
    #[serde(default)]
    pub notes: Option<String>,
    /// The chart, or a list of charts, drawn under the table; see [`TableChart`].
    /// Default: bars for grouped tables of figures, horizontal bars of the last
    /// summed column otherwise.
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(schema_with = "crate::schema::one_or_many::<TableChart>")]
    pub chart: Vec<TableChart>,
}

/// Read a mapping or a list of mappings as a list.
fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a chart (a mapping) or a list of charts")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(|t| vec![t])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::new();
            while let Some(t) = seq.next_element()? {
                out.push(t);
            }
            Ok(out)
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

/// How a table is charted.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableChart {
    /// `bars` (grouped columns), `hbar` (horizontal bars), `stacked` (stacked
    /// horizontal bars), `line` (a line per row over the columns), or `none`.
    #[serde(default)]
    pub kind: Option<TableChartKind>,
    /// Column keys to plot (default: depends on the kind).
    #[serde(default)]
    pub columns: Vec<Located<String>>,
    /// Title (default: the table's).
    #[serde(default)]
    pub title: Option<String>,
}

/// Kinds of table chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TableChartKind {
    /// Vertical bars, one group per row, one bar per column (one chart per row group).
    Bars,
    /// Horizontal bars, one per row.
    Hbar,
    /// Horizontal bars with the columns stacked.
    Stacked,
    /// A line per row across the columns (series over months or years).
    Line,
    /// No chart.
    None,
}

/// A column of a table.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Key used in CSV headers and formulas.
    pub key: String,
    /// Header text.
    #[serde(default)]
    pub label: Option<String>,
    /// What the column holds.
    #[serde(default, rename = "type")]
    pub kind: ColumnKind,
    /// Compute the column from others: `staff + other + central`.
    #[serde(default)]
    pub formula: Option<String>,
    /// Include this column in the total row.
    #[serde(default)]
    pub sum: bool,
    /// The column holds counts of people: apply the site's disclosure control.
    #[serde(default)]
    pub suppress: bool,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Words.
    #[default]
    Text,
    /// Numbers only (blank or `-` allowed).
    Number,
    /// Numbers, or text where the source gave words (`115 (inc 40 at Level I)`, `Not known`).
    Figure,
    /// A row number or reference (`1`, `A/R.3.012`): shown as written, never summed or charted.
    Ref,
}

impl ColumnKind {
    /// True for columns of figures (numbers, or figures with words), which are
    /// right-aligned and can be charted.
    pub fn is_figures(self) -> bool {
        matches!(self, ColumnKind::Number | ColumnKind::Figure)
    }
}

/// Rows under a group heading.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RowGroup {
    /// Group heading (`Fostering Service`).
    pub title: String,
    /// Rows.
    pub rows: Vec<Located<Vec<Cell>>>,
    /// Note under the group.
    #[serde(default)]
    pub note: Option<String>,
}

/// The total row of a table.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TotalRow {
    /// Label of the total row (`TOTAL`).
    #[serde(default = "TotalRow::default_label")]
    pub label: String,
    /// Totals as stated in the source, by column key; checked against the sum.
    #[serde(default)]
    pub stated: OrderedMap<Located<String>, Located<f64>>,
}

impl TotalRow {
    fn default_label() -> String {
        "Total".into()
    }
}
