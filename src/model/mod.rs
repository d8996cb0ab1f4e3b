//! The plan model: what authors write in `content/` (YAML, CSV, Markdown).
//!
//! Every struct here maps one-to-one onto a YAML shape documented in
//! `docs/content.md`. Unknown fields are errors, so a typo never silently
//! drops data.

pub mod abbrev;
pub mod columns;
pub mod ident;
pub mod ordered;
pub mod period;
pub mod shortcode;
pub mod value;

use std::path::PathBuf;

use serde::Deserialize;
use std::sync::Arc;

pub use ordered::OrderedMap;
pub use period::{Calendar, DateSpec, Period};
pub use value::{Cell, Figure, Polarity, Rag, Unit};

/// A position in a source file (1-based line and column; 0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// A value with the place it was written: a line and column, and the file
/// when that is not the plan's own YAML (a CSV beside it).
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub pos: Pos,
    /// The file it came from, when not the YAML file being read.
    pub file: Option<Arc<PathBuf>>,
}

impl<T> Located<T> {
    /// A value read at `pos` of `file`.
    pub fn new(value: T, pos: Pos, file: Option<Arc<PathBuf>>) -> Self {
        Located { value, pos, file }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        Ok(Located {
            value: s.value,
            pos: Pos {
                line: s.referenced.line() as usize,
                column: s.referenced.column() as usize,
            },
            file: None,
        })
    }
}

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

/// A plan: `content/plans/<folder>/plan.yaml`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Unique id, used in URLs (`plans/<id>.html`).
    pub id: Located<String>,
    /// Title as on the cover.
    pub title: String,
    /// Line under the title.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Kind of plan (service improvement plan, action plan, target action plan, board work plan…).
    pub kind: String,
    /// Sort position on the index (lower first; then by title).
    #[serde(default)]
    pub order: Option<i64>,
    /// Organisation, when different from the site's.
    #[serde(default)]
    pub organisation: Option<String>,
    /// Period the plan covers.
    #[serde(default)]
    pub period: Option<PeriodRange>,
    /// Version label (`Version 21`).
    #[serde(default)]
    pub version: Option<String>,
    /// Document status.
    #[serde(default)]
    pub status: Option<DocStatus>,
    /// Owner of the plan.
    #[serde(default)]
    pub owner: Option<String>,
    /// Who signs it off.
    #[serde(default)]
    pub sign_off: Option<String>,
    /// Lead partner organisation.
    #[serde(default)]
    pub lead_partner: Option<String>,
    /// Other named roles (`Technical data expert: Ian Holloway`).
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Date the plan's statuses are computed at (overrides the site's `as_at`).
    #[serde(default)]
    pub as_at: Option<DateSpec>,
    /// Framework tags for the whole plan.
    #[serde(default)]
    pub tags: Tags,
    /// Headline figures shown near the top (`Target LAC number April 2016: 535`).
    #[serde(default)]
    pub key_figures: Vec<KeyFigure>,
    /// Words used for each level in this plan's tables.
    #[serde(default)]
    pub labels: Labels,
    /// Which columns the action tables and appendix show (default: the site's, else the usual ones).
    #[serde(default)]
    pub columns: Option<columns::Columns>,
    /// The rule for figures written without a period, when one was (set by the loader, not read).
    #[serde(skip)]
    pub period_rule: Option<String>,
    /// Words in progress notes that state an action's status, added to the site's.
    #[serde(default)]
    pub status_words: OrderedMap<String, ActionStatus>,
    /// The status words by state, when any note used one (set by the loader, not read).
    #[serde(skip)]
    pub status_key: Vec<(String, String)>,
    /// Abbreviations used only in this plan.
    #[serde(default)]
    pub glossary: OrderedMap<String, String>,
    /// The document, in order.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// Themes / outcomes / objectives with their actions and indicators.
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// Actions not under an objective.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Indicators not under an objective.
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// Tables of figures (activity, budgets, funding, savings, staff).
    #[serde(default)]
    pub tables: Vec<Table>,
    /// Risks and their mitigation.
    #[serde(default)]
    pub risks: Vec<Risk>,
    /// Build a landscape action-plan appendix page.
    #[serde(default)]
    pub appendix: Option<Appendix>,
    /// End the printed plan with "This page is intentionally left blank".
    #[serde(default)]
    pub blank_last_page: bool,
}

/// Draft or final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    /// Work in progress.
    Draft,
    /// Agreed for publication.
    Final,
    /// Approved by the board.
    Approved,
}

impl DocStatus {
    /// Label for pages.
    pub fn label(self) -> &'static str {
        match self {
            DocStatus::Draft => "Draft",
            DocStatus::Final => "Final",
            DocStatus::Approved => "Approved",
        }
    }
}

/// From one period to another, inclusive.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodRange {
    /// First period.
    pub from: Period,
    /// Last period.
    pub to: Period,
}

/// "2024/25 to 2025/26", or "2024/25" for a plan of one period.
impl std::fmt::Display for PeriodRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{} to {}", self.from, self.to)
        }
    }
}

/// A named role on a plan.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The role (`Technical data expert`).
    pub role: String,
    /// The person or post.
    pub name: String,
}

/// A headline figure.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyFigure {
    /// What it is.
    pub label: String,
    /// The figure as text (kept as written).
    pub value: String,
    /// Optional note.
    #[serde(default)]
    pub note: Option<String>,
}

/// Words used for each level of the plan, so tables read like the source.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// Heading for objectives (`Outcome required`).
    #[serde(default = "Labels::objective")]
    pub objective: String,
    /// Heading for actions (`Key activities in 07/08`).
    #[serde(default = "Labels::action")]
    pub action: String,
    /// Heading for indicators (`Performance information re this outcome`).
    #[serde(default = "Labels::indicators")]
    pub indicators: String,
    /// Heading for the lead column (`CCS lead`).
    #[serde(default = "Labels::lead")]
    pub lead: String,
    /// Heading for the partners column (`Other agency partners`).
    #[serde(default = "Labels::partners")]
    pub partners: String,
}

impl Labels {
    fn objective() -> String {
        "Objective".into()
    }
    fn action() -> String {
        "Action".into()
    }
    fn indicators() -> String {
        "Performance indicators".into()
    }
    fn lead() -> String {
        "Lead".into()
    }
    fn partners() -> String {
        "Partners".into()
    }
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            objective: Labels::objective(),
            action: Labels::action(),
            indicators: Labels::indicators(),
            lead: Labels::lead(),
            partners: Labels::partners(),
        }
    }
}

/// Framework tags an objective, indicator or plan can carry.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tags {
    /// Every Child Matters outcome.
    #[serde(default)]
    pub ecm_outcome: Option<String>,
    /// Children and Young People's Plan priority.
    #[serde(default)]
    pub cypp_priority: Option<bool>,
    /// Local Area Agreement target.
    #[serde(default)]
    pub laa_target: Option<bool>,
    /// Sustainable Community Strategy theme.
    #[serde(default)]
    pub scs_theme: Option<String>,
    /// SCS priority.
    #[serde(default)]
    pub scs_priority: Option<String>,
    /// SCS outcomes.
    #[serde(default)]
    pub scs_outcomes: Vec<String>,
    /// SCS short-term priorities.
    #[serde(default)]
    pub scs_short_term_priorities: Vec<String>,
    /// Corporate parenting principle.
    #[serde(default)]
    pub corporate_parenting_principle: Option<String>,
    /// Any other framework (`Aiming High theme: …`).
    #[serde(default)]
    pub other: OrderedMap<String, String>,
}

impl Tags {
    /// True when no tag is set.
    pub fn is_empty(&self) -> bool {
        self.ecm_outcome.is_none()
            && self.cypp_priority.is_none()
            && self.laa_target.is_none()
            && self.scs_theme.is_none()
            && self.scs_priority.is_none()
            && self.scs_outcomes.is_empty()
            && self.scs_short_term_priorities.is_empty()
            && self.corporate_parenting_principle.is_none()
            && self.other.is_empty()
    }
}

/// A section of the plan document.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Anchor id (derived from the title when omitted).
    #[serde(default)]
    pub id: Option<Located<String>>,
    /// Section number or letter as in the source (`D`, `3`).
    #[serde(default)]
    pub number: Option<String>,
    /// Heading.
    pub title: String,
    /// Markdown text. Charts can be placed with `{{ chart(indicator="ni-63") }}` on a line of its own.
    #[serde(default)]
    pub body: Option<Located<String>>,
    /// Markdown file beside `plan.yaml`, used instead of `body`.
    #[serde(default)]
    pub body_file: Option<Located<String>>,
    /// Tables (by id) shown after the text.
    #[serde(default)]
    pub tables: Vec<Located<String>>,
    /// Generated parts shown after the tables, in order.
    #[serde(default)]
    pub include: Vec<Include>,
    /// Start this section on a new printed page.
    #[serde(default)]
    pub page_break: bool,
    /// Columns for the tables this section and its sub-sections show (default: the plan's).
    #[serde(default)]
    pub columns: Option<columns::Columns>,
    /// Sub-sections.
    #[serde(default)]
    pub sections: Vec<Section>,
}

/// A generated part of a plan that a section can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Include {
    /// The objectives with their actions and indicators.
    Objectives,
    /// Plan-level actions.
    Actions,
    /// Plan-level indicators (with targets and in-year figures).
    Indicators,
    /// Risks and mitigation.
    Risks,
    /// Headline figures.
    KeyFigures,
    /// The RAG, priority and band keys.
    Keys,
    /// The plan's glossary of abbreviations.
    Glossary,
    /// Framework tags of the plan.
    Tags,
    /// Link to the landscape action-plan appendix.
    AppendixLink,
}

/// A theme, outcome or objective; may nest.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Reference as in the source (`1`, `9.1`).
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
    /// The objective.
    pub title: String,
    /// What this level is called here, if not the plan's `labels.objective`.
    #[serde(default)]
    pub label: Option<String>,
    /// Markdown description.
    #[serde(default)]
    pub description: Option<String>,
    /// The impact wanted (board work plans).
    #[serde(default)]
    pub desired_impact: Option<String>,
    /// Framework tags.
    #[serde(default)]
    pub tags: Tags,
    /// Target saving for the whole objective, £'000 (a stated total of its actions).
    #[serde(default)]
    pub target_saving: Option<Located<f64>>,
    /// When this objective is next reviewed.
    #[serde(default)]
    pub review_date: Option<DateSpec>,
    /// Nested objectives.
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// Actions under this objective.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Indicators measuring this objective.
    #[serde(default)]
    pub indicators: Vec<Indicator>,
}

/// An action, key activity or workstream.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Reference (`1.1`, `4.3`).
    #[serde(default, rename = "ref")]
    pub reference: Option<Located<String>>,
    /// A short title (`Domestic Abuse`).
    #[serde(default)]
    pub title: Option<String>,
    /// What will be done.
    #[serde(default)]
    pub description: Option<String>,
    /// Numbered deliverables.
    #[serde(default)]
    pub deliverables: Vec<Deliverable>,
    /// Lead officers (names or glossary abbreviations).
    #[serde(default)]
    pub leads: Vec<String>,
    /// Partner agencies.
    #[serde(default)]
    pub partners: Vec<String>,
    /// Age group targeted.
    #[serde(default)]
    pub age_group: Option<String>,
    /// Target or milestone date.
    #[serde(default)]
    pub target_date: Option<DateSpec>,
    /// Revised date, when the target moved.
    #[serde(default)]
    pub revised_date: Option<DateSpec>,
    /// Timescale in words when there is no date (`Quarterly`, `Ongoing`).
    #[serde(default)]
    pub timescale: Option<String>,
    /// Links to other plans.
    #[serde(default)]
    pub links: Vec<String>,
    /// The impact the action is expected to have.
    #[serde(default)]
    pub impact: Option<Impact>,
    /// Priority (a name from the site's priority key).
    #[serde(default)]
    pub priority: Option<Located<String>>,
    /// RAG status as stated by the author.
    #[serde(default)]
    pub rag: Option<Rag>,
    /// Progress status.
    #[serde(default)]
    pub status: Option<ActionStatus>,
    /// When the action is next reviewed.
    #[serde(default)]
    pub review_date: Option<DateSpec>,
    /// The reporting period the action was added to the plan (packs report it as new).
    #[serde(default)]
    pub added: Option<Period>,
    /// Progress log, oldest first.
    #[serde(default)]
    pub progress: Vec<ProgressEntry>,
    /// Where a RAG taken from the progress log came from (set by boardpack, not read).
    #[serde(skip)]
    pub rag_note: Option<String>,
    /// Where the action starts in its plan file (set by boardpack, not read).
    #[serde(skip)]
    pub pos: Option<Pos>,
}

/// Whether an action or deliverable is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// Not begun.
    NotStarted,
    /// Under way.
    InProgress,
    /// Done.
    Complete,
    /// Stopped without completing.
    Closed,
}

impl ActionStatus {
    /// Label for pages.
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "Not started",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Complete => "Complete",
            ActionStatus::Closed => "Closed",
        }
    }
}

/// A numbered deliverable of an action.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deliverable {
    /// What will be delivered.
    pub text: String,
    /// Target date.
    #[serde(default)]
    pub target_date: Option<DateSpec>,
    /// Revised date.
    #[serde(default)]
    pub revised_date: Option<DateSpec>,
    /// Timescale in words (`Ongoing`).
    #[serde(default)]
    pub timescale: Option<String>,
    /// Status (default: the one its latest progress entry states).
    #[serde(default)]
    pub status: Option<ActionStatus>,
    /// The deliverable's own progress log, oldest first.
    #[serde(default)]
    pub progress: Vec<ProgressEntry>,
}

/// Expected impact of an action.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    /// Cost, time or number.
    #[serde(default, rename = "type")]
    pub kind: Option<ImpactKind>,
    /// What the impact will be.
    #[serde(default)]
    pub expected: Option<String>,
    /// How it will be measured.
    #[serde(default)]
    pub measure: Option<String>,
    /// Target saving in £'000 (negative = saving, as in the source tables).
    #[serde(default)]
    pub saving: Option<Located<f64>>,
    /// Target reduction, in words (`Reduce external residential homes to 22.77 52-week placements`).
    #[serde(default)]
    pub reduction: Option<String>,
}

/// The kind of impact an action has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImpactKind {
    /// Reduction in placement cost.
    Cost,
    /// Reduction in length of placement.
    Time,
    /// Reduction in the number being accommodated.
    Number,
}

impl ImpactKind {
    /// Label for pages.
    pub fn label(self) -> &'static str {
        match self {
            ImpactKind::Cost => "Cost",
            ImpactKind::Time => "Time",
            ImpactKind::Number => "Number",
        }
    }
}

/// One entry of a progress log.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressEntry {
    /// Reporting period the entry belongs to.
    #[serde(default)]
    pub period: Option<Period>,
    /// Date of the entry.
    #[serde(default)]
    pub date: Option<DateSpec>,
    /// What happened.
    pub text: String,
    /// RAG at the time.
    #[serde(default)]
    pub rag: Option<Rag>,
    /// Status from this entry on (e.g. `complete` when the entry records completion).
    #[serde(default)]
    pub status: Option<ActionStatus>,
    /// Revised date set by this entry.
    #[serde(default)]
    pub revised_date: Option<DateSpec>,
}

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

/// A risk.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// Reference.
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
    /// The risk.
    pub risk: String,
    /// Mitigating action.
    #[serde(default)]
    pub mitigation: Option<String>,
    /// Likelihood (1–5 or words).
    #[serde(default)]
    pub likelihood: Option<String>,
    /// Impact (1–5 or words).
    #[serde(default)]
    pub impact: Option<String>,
    /// Owner.
    #[serde(default)]
    pub owner: Option<String>,
}

/// The landscape action-plan appendix.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Appendix {
    /// Title (`Appendix 2: LAC action plan`).
    pub title: String,
    /// Markdown shown above the table.
    #[serde(default)]
    pub intro: Option<String>,
    /// Markdown notes after the table.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A plan as loaded: the YAML with its Markdown files and CSV data merged in, and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedPlan {
    /// The plan.
    pub plan: Plan,
    /// The folder holding `plan.yaml`, relative to the site root.
    pub dir: PathBuf,
    /// `plan.yaml`'s path relative to the site root.
    pub file: PathBuf,
}

/// The whole site as loaded from `content/`.
#[derive(Debug, Clone)]
pub struct Site {
    /// `site.yaml`.
    pub config: SiteConfig,
    /// Plans sorted by `order` then title then id.
    pub plans: Vec<LoadedPlan>,
    /// Board packs, oldest period first.
    pub packs: Vec<LoadedPack>,
}

/// A quarterly board pack: `content/packs/<name>.yaml`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    /// Title on the cover (`Quarterly performance pack`).
    pub title: String,
    /// The board or meeting (`Children in Care Board`).
    pub board: String,
    /// Date of the meeting.
    pub meeting_date: DateSpec,
    /// The reporting period the pack covers; figures after it are left out.
    pub period: Located<Period>,
    /// Version label.
    #[serde(default)]
    pub version: Option<String>,
    /// Draft or final (drafts print with a DRAFT watermark).
    #[serde(default)]
    pub status: Option<DocStatus>,
    /// Protective marking printed on every page (`OFFICIAL`).
    #[serde(default)]
    pub marking: Option<String>,
    /// The agenda item the pack is for (`Item 6`), on the cover.
    #[serde(default)]
    pub agenda_item: Option<String>,
    /// The paper's reference in the board's papers (`CPP/2016/04`), on the cover.
    #[serde(default)]
    pub paper_ref: Option<String>,
    /// Plans in the pack, by id, in order.
    pub plans: Vec<Located<String>>,
    /// Parts of the pack in order (default: all).
    #[serde(default = "PackPart::all")]
    pub parts: Vec<PackPart>,
    /// Cover note (Markdown).
    #[serde(default)]
    pub cover_note: Option<String>,
    /// Date statuses are computed at (default: the last day of the period).
    #[serde(default)]
    pub as_at: Option<DateSpec>,
    /// URL name when two boards report on the same period (default: the period, `2008-09-q2`).
    #[serde(default)]
    pub id: Option<Located<String>>,
    /// The git revision (tag, branch or commit) of the plans the board last saw; the pack
    /// lists what changed in the plans since (default: the last commit on or before the
    /// previous pack's meeting date).
    #[serde(default)]
    pub previous: Option<Located<String>>,
}

/// A part of a board pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PackPart {
    /// Counts by RAG for each plan, with charts.
    Summary,
    /// Red, Amber, overdue and slipped items.
    Exceptions,
    /// What changed since the previous pack.
    Changes,
    /// What changed in the plans themselves since the board last met, from git history.
    PlanChanges,
    /// Each plan's progress and figures this period.
    Plans,
    /// The full plans, indicator definitions, keys and glossary.
    Appendices,
}

impl PackPart {
    /// Every part, in the usual order.
    pub fn all() -> Vec<PackPart> {
        vec![
            PackPart::Summary,
            PackPart::Exceptions,
            PackPart::Changes,
            PackPart::PlanChanges,
            PackPart::Plans,
            PackPart::Appendices,
        ]
    }
}

/// A pack as loaded, with its file.
#[derive(Debug, Clone)]
pub struct LoadedPack {
    /// The pack.
    pub pack: Pack,
    /// Its YAML file relative to the site root.
    pub file: PathBuf,
    /// URL slug from the period (`2008-09-q2`).
    pub slug: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_of_one_period_is_named_once() {
        let p = |s: &str| s.parse::<Period>().unwrap();
        let one = PeriodRange {
            from: p("2024/25"),
            to: p("2024/25"),
        };
        let two = PeriodRange {
            from: p("2024/25"),
            to: p("2025/26"),
        };
        assert_eq!(one.to_string(), "2024/25");
        assert_eq!(two.to_string(), "2024/25 to 2025/26");
    }
}
