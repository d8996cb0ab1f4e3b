//! Quarterly board packs: `content/packs/<name>.yaml`.

use super::*;

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
