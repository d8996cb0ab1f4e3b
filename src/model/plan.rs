//! A plan and its parts: sections, objectives, actions and their
//! deliverables, impacts and progress, risks and the appendix.

use super::*;

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
