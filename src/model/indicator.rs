//! Performance indicators: figures, targets, baselines, bands and comparators.

use super::*;

/// A performance indicator.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Unique id across the site, used for its page (derived from `ref`/`codes` when omitted).
    #[serde(default)]
    pub id: Option<Located<String>>,
    /// Reference in the plan (`1a`).
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
    /// National codes (`NI 63`, `PAF A1`, `BV 49`).
    #[serde(default)]
    pub codes: Vec<String>,
    /// What is measured.
    pub title: String,
    /// Formal definition.
    #[serde(default)]
    pub definition: Option<String>,
    /// Unit.
    #[serde(default)]
    pub unit: Option<Unit>,
    /// Decimals to show (default: as written).
    #[serde(default)]
    pub decimals: Option<usize>,
    /// Whether higher or lower is better.
    #[serde(default)]
    pub polarity: Option<Polarity>,
    /// Baseline value and period.
    #[serde(default)]
    pub baseline: Option<Baseline>,
    /// Actuals by period (years, quarters or months).
    #[serde(default)]
    pub actuals: OrderedMap<Located<Period>, Figure>,
    /// Targets by period (usually years).
    #[serde(default)]
    pub targets: OrderedMap<Located<Period>, Figure>,
    /// A target for the plan's year, written without a period ("Target 95%");
    /// the loader moves it into `targets`.
    #[serde(default)]
    pub target: Option<Located<Figure>>,
    /// CSV file beside `plan.yaml` with columns `period,actual,target[,note]`.
    #[serde(default)]
    pub data: Option<Located<String>>,
    /// The sheet to read when `data` names a workbook (`.xlsx`, `.xls`, `.ods`).
    #[serde(default)]
    pub sheet: Option<Located<String>>,
    /// The cells to read from that sheet (`B2:F20`; default: all it holds).
    #[serde(default)]
    pub range: Option<Located<String>>,
    /// How far from target still counts as Amber, in the indicator's unit.
    #[serde(default)]
    pub tolerance: Option<f64>,
    /// A target in words where it is not a number (`Maintain`, `Increase`).
    #[serde(default)]
    pub target_text: Option<String>,
    /// RAG as agreed by the author or board; shown as stated, with the computed rule beside it.
    #[serde(default)]
    pub rag: Option<Rag>,
    /// Which charts to draw: `auto` (default: a trend when there are yearly figures or a
    /// baseline, and in-year progress too when there are quarterly or monthly figures),
    /// `trend`, `in_year`, or `none`.
    #[serde(default)]
    pub chart: IndicatorChart,
    /// Disclosure control in force for this indicator (set by boardpack for counts, not read).
    #[serde(skip)]
    pub disclosure: Option<Arc<Disclosure>>,
    /// Performance band (e.g. PAF blobs).
    #[serde(default)]
    pub band: Option<Band>,
    /// How we compare, in words.
    #[serde(default)]
    pub comparison: Option<String>,
    /// Comparator figures (national average…).
    #[serde(default)]
    pub comparators: Vec<Comparator>,
    /// Success criteria.
    #[serde(default)]
    pub success_criteria: Option<String>,
    /// Commentary (Markdown).
    #[serde(default)]
    pub commentary: Option<String>,
    /// How often it is reported.
    #[serde(default)]
    pub frequency: Option<Frequency>,
    /// Who supplies the data.
    #[serde(default)]
    pub data_owner: Option<String>,
    /// Framework tags.
    #[serde(default)]
    pub tags: Tags,
}

impl Indicator {
    /// The name it is best known by: its first national code, else its reference.
    pub fn code(&self) -> Option<String> {
        self.codes
            .first()
            .cloned()
            .or_else(|| self.reference.clone())
    }
}

/// Which charts an indicator gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorChart {
    /// Trend for yearly figures and in-year progress for quarterly or monthly ones.
    #[default]
    Auto,
    /// Only the trend over years.
    Trend,
    /// Only the in-year progress.
    InYear,
    /// No chart.
    None,
}

/// A baseline.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// Period of the baseline (the year before the plan when not written).
    pub period: Period,
    /// Value.
    pub value: Figure,
    /// Where the period (or, without one, the value) was written.
    pub pos: Pos,
    /// True when no period was written and the plan's is used (set by the loader).
    pub period_defaulted: bool,
}

/// A baseline as written, with the place of its period.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct BaselineYaml {
    #[serde(default)]
    period: Option<Located<Period>>,
    value: Located<Figure>,
}

impl From<BaselineYaml> for Baseline {
    fn from(b: BaselineYaml) -> Self {
        Baseline {
            period: b.period.as_ref().map_or(Period::Year(0), |p| p.value),
            pos: b.period.as_ref().map_or(b.value.pos, |p| p.pos),
            period_defaulted: b.period.is_none(),
            value: b.value.value,
        }
    }
}

impl<'de> Deserialize<'de> for Baseline {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Baseline;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a number (for the year before the plan) or {period: 2023/24, value: 80}",
                )
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Baseline, E> {
                let value = Figure::deserialize(serde::de::value::F64Deserializer::<E>::new(v))?;
                Ok(Baseline {
                    period: Period::Year(0),
                    value,
                    pos: Pos::default(),
                    period_defaulted: true,
                })
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Baseline, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Baseline, E> {
                self.visit_f64(v as f64)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Baseline, A::Error> {
                BaselineYaml::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Baseline::from)
            }
        }
        d.deserialize_any(V)
    }
}

impl schemars::JsonSchema for Baseline {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Baseline".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let figure = g.subschema_for::<Figure>();
        let written = g.subschema_for::<BaselineYaml>();
        schemars::json_schema!({
            "description": "A figure for the year before the plan, or {period, value}.",
            "anyOf": [figure, written],
        })
    }
}

/// A performance band.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Id of a band key in `site.yaml`.
    pub key: Located<String>,
    /// Band value (e.g. 5 blobs).
    #[serde(default)]
    pub value: Option<u32>,
    /// Period the band applies to.
    #[serde(default)]
    pub period: Option<Period>,
    /// Text shown instead of a value (`N/A`, `New indicator`).
    #[serde(default)]
    pub note: Option<String>,
}

/// A comparator figure.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Comparator {
    /// What it is (`National average`).
    pub label: String,
    /// Value.
    pub value: f64,
    /// Period.
    #[serde(default)]
    pub period: Option<Period>,
}

/// Reporting frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Monthly.
    Monthly,
    /// Quarterly.
    Quarterly,
    /// Annually.
    Annual,
}

impl Frequency {
    /// Label for pages.
    pub fn label(self) -> &'static str {
        match self {
            Frequency::Monthly => "Monthly",
            Frequency::Quarterly => "Quarterly",
            Frequency::Annual => "Annual",
        }
    }
}
