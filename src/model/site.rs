//! `content/site.yaml`: the organisation, its calendar, keys, disclosure
//! rules and branding.

use super::*;

/// `content/site.yaml`: the organisation, calendar, keys, glossary and branding.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title shown in every page header.
    pub title: String,
    /// The organisation that publishes the plans.
    pub organisation: String,
    /// A line under the title on the index page.
    #[serde(default)]
    pub description: Option<String>,
    /// Theme folder under `themes/` (default `default`).
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The reporting calendar.
    #[serde(default)]
    pub calendar: Calendar,
    /// The date statuses are computed at (overdue actions), unless a plan gives its own.
    #[serde(default)]
    pub as_at: Option<DateSpec>,
    /// Abbreviations used anywhere on the site, expanded with `<abbr>`.
    #[serde(default)]
    pub glossary: OrderedMap<String, String>,
    /// Abbreviations readers know without a glossary entry (the check for undefined ones).
    #[serde(default)]
    pub abbreviations: abbrev::Abbreviations,
    /// Keys printed with plans: RAG, priority, performance bands.
    #[serde(default)]
    pub keys: Keys,
    /// Organisation name, logo and colours.
    #[serde(default)]
    pub branding: Branding,
    /// Default tolerance for indicator RAG, in the indicator's unit.
    #[serde(default)]
    pub tolerance: Option<f64>,
    /// Text for the footer of every page.
    #[serde(default)]
    pub footer: Option<String>,
    /// Small-number suppression for published counts (disclosure control).
    #[serde(default)]
    pub disclosure: Option<Disclosure>,
    /// Default columns of every plan's action tables and appendix.
    #[serde(default)]
    pub columns: Option<columns::Columns>,
    /// Words in progress notes that state an action's status (`Achieved: complete`),
    /// added to the built-in ones.
    #[serde(default)]
    pub status_words: OrderedMap<String, ActionStatus>,
}

/// Disclosure control: counts below `threshold` are published as a marker.
///
/// Applies to indicators whose unit is `count` and to table columns marked
/// `suppress: true`, in tables, charts (the point or bar is left out) and the
/// figures given beside charts alike. Zero is shown unless `suppress_zero`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    /// Counts below this are suppressed (e.g. 5: counts 1–4 are shown as the marker).
    pub threshold: f64,
    /// What is shown instead (default `[c]`).
    #[serde(default = "Disclosure::default_marker")]
    pub marker: String,
    /// Footnote shown under any table or chart with a suppressed figure.
    #[serde(default)]
    pub note: Option<String>,
    /// Suppress zero too.
    #[serde(default)]
    pub suppress_zero: bool,
}

impl Disclosure {
    fn default_marker() -> String {
        "[c]".into()
    }

    /// True when `v` must not be published.
    pub fn hides(&self, v: f64) -> bool {
        v < self.threshold && (v != 0.0 || self.suppress_zero) && v >= 0.0
    }

    /// The footnote text.
    pub fn footnote(&self) -> String {
        self.note.clone().unwrap_or_else(|| {
            format!(
                "{} A count below {} is not published, to protect the people it describes.",
                self.marker,
                crate::model::value::format_number(
                    self.threshold,
                    crate::model::value::natural_decimals(self.threshold)
                )
            )
        })
    }
}

fn default_theme() -> String {
    "default".into()
}

/// Keys explaining statuses and bands.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Keys {
    /// Meaning of each RAG colour (defaults: Blue complete, Green on track, Amber slippage, Red significant delay).
    #[serde(default)]
    pub rag: OrderedMap<Rag, String>,
    /// Priority levels in order, with what each means.
    #[serde(default)]
    pub priority: Vec<KeyEntry>,
    /// Performance band keys, e.g. the PAF blob key 1–5.
    #[serde(default)]
    pub bands: Vec<BandKey>,
}

/// One entry of a key.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    /// The name used in plans (e.g. `High`).
    pub name: String,
    /// What it means.
    #[serde(default)]
    pub description: Option<String>,
}

/// A banding scheme such as the PAF blob key.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandKey {
    /// Id used by indicators (`band: {key: paf, value: 5}`).
    pub id: Located<String>,
    /// Title of the key.
    pub title: String,
    /// A symbol repeated `value` times to draw the band (e.g. `●`).
    #[serde(default)]
    pub symbol: Option<String>,
    /// Levels from lowest to highest.
    pub levels: Vec<BandLevel>,
}

/// One level of a band key.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandLevel {
    /// The band value (1–5 for PAF blobs).
    pub value: u32,
    /// Short label (`VP`, `E`).
    pub label: String,
    /// What the label stands for (`Very poor`).
    #[serde(default)]
    pub description: Option<String>,
}

/// Organisation branding.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    /// Logo image inside `content/` (copied to the output).
    #[serde(default)]
    pub logo: Option<String>,
    /// Main colour (`#rgb`, `#rrggbb` or a CSS colour name, e.g. `#1d4f91`).
    #[serde(default)]
    pub primary_colour: Option<Located<String>>,
    /// Accent colour (the same forms).
    #[serde(default)]
    pub accent_colour: Option<Located<String>>,
}
