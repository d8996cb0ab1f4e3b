//! `boardpack new plan ID` and `boardpack new pack PERIOD --board NAME`:
//! a new file in an existing site that builds with `--strict` as written.
//!
//! Dates in the new file are worked out from the site (its calendar and
//! `as_at`, else today), so a new plan's actions are not overdue and a new
//! pack names the site's plans.

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use jiff::civil::Date;

use crate::diagnostics::Diagnostics;
use crate::model::period::{Calendar, Period};

/// What `new` creates.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum NewWhat {
    /// A plan: content/plans/ID/plan.yaml.
    #[command(after_help = "Examples:\n  boardpack new plan placement-stability\n  \
         boardpack new plan lac-actions --kind action-plan --title \"LAC action plan\"\n\n\
         Exit code 0 when the file was written, 1 when it was not (the plan exists, the id is not \
         valid), 2 for a mistake on the command line.")]
    Plan(NewPlan),
    /// A board pack for one period: content/packs/<period>.yaml, naming every plan.
    #[command(
        after_help = "Examples:\n  boardpack new pack \"2025/26 Q2\" --board \"Children in Care Board\"\n  \
         boardpack new pack 2025/26 --board \"Corporate Parenting Panel\" --plans a,b\n\n\
         Exit code 0 when the file was written, 1 when it was not (the pack exists, the period is \
         not valid, the site has errors), 2 for a mistake on the command line."
    )]
    Pack(NewPack),
}

/// The shape of a new plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanKind {
    /// Objectives, each with actions and indicators (a service improvement plan).
    ImprovementPlan,
    /// Objectives, each with dated actions and their leads (an action plan).
    ActionPlan,
    /// A board's work plan: principles, objectives under them and the measures it watches.
    WorkPlan,
}

/// Options of `new plan`.
#[derive(Debug, Clone, clap::Args)]
pub struct NewPlan {
    /// The plan's id: lower-case letters, digits and `-` (`placement-stability`).
    pub id: String,
    /// What kind of plan.
    #[arg(long, value_enum, default_value_t = PlanKind::ImprovementPlan)]
    pub kind: PlanKind,
    /// The plan's title (default: from the id).
    #[arg(long)]
    pub title: Option<String>,
    /// Site folder (holding content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Options of `new pack`.
#[derive(Debug, Clone, clap::Args)]
pub struct NewPack {
    /// The period the pack reports on: `2025/26 Q2`, `2025/26` or `2025-09`.
    pub period: String,
    /// The board or meeting the pack is for.
    #[arg(long)]
    pub board: String,
    /// Plans in the pack, by id, comma-separated (default: every plan in the site).
    #[arg(long, value_delimiter = ',')]
    pub plans: Vec<String>,
    /// Site folder (holding content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// The `# yaml-language-server` line for a file `depth` folders below the site root.
pub fn schema_line(depth: usize, schema: &str) -> String {
    format!(
        "# yaml-language-server: $schema={}{}/{schema}.schema.json\n",
        "../".repeat(depth),
        crate::schema::DEFAULT_DIR
    )
}

/// A YAML scalar for any text: a JSON string is a valid double-quoted YAML scalar.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// The site's calendar and "now" (its `as_at`, else today), read leniently.
fn site_dates(root: &Path) -> (Calendar, Date) {
    let mut diags = Diagnostics::new();
    let site = crate::load::load_site(root, &mut diags);
    let calendar = site.as_ref().map(|s| s.config.calendar).unwrap_or_default();
    let now = site
        .and_then(|s| s.config.as_at.map(|d| d.date))
        .unwrap_or_else(today);
    (calendar, now)
}

/// Today's date (UTC).
fn today() -> Date {
    let days = jiff::Timestamp::now().as_second().div_euclid(86_400);
    Date::constant(1970, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(Date::constant(2025, 4, 1))
}

/// The financial year containing `date`.
fn year_of(calendar: Calendar, date: Date) -> i32 {
    let start = i32::from(calendar.year_start_month);
    let year = i32::from(date.year());
    if i32::from(date.month()) >= start {
        year
    } else {
        year - 1
    }
}

/// Write `text` to `path` (relative to `root`) unless something is there.
fn write_new(root: &Path, rel: &str, text: &str) -> Result<PathBuf, String> {
    let path = root.join(rel);
    if path.exists() {
        return Err(format!(
            "{} already exists; boardpack new never overwrites a file",
            path.display()
        ));
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    crate::schema::write_if_missing(root)?;
    Ok(path)
}

/// `new plan`: write `content/plans/<id>/plan.yaml`; the path written.
pub fn plan(args: &NewPlan) -> Result<PathBuf, String> {
    if !args.root.join("content").is_dir() {
        return Err(format!(
            "{} has no content/ folder; make a site first with `boardpack init DIR`",
            args.root.display()
        ));
    }
    if let Some(problem) = crate::model::ident::problem(&args.id) {
        return Err(format!(
            "`{}` is not a valid id: {problem}; {}",
            crate::model::ident::visible(&args.id),
            crate::model::ident::hint(&args.id, "placement-stability")
        ));
    }
    let (calendar, now) = site_dates(&args.root);
    let title = args.title.clone().unwrap_or_else(|| {
        let words = args.id.replace('-', " ");
        let mut c = words.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    });
    let text = plan_text(&args.id, &title, args.kind, calendar, now);
    write_new(
        &args.root,
        &format!("content/plans/{}/plan.yaml", args.id),
        &text,
    )
}

/// A new plan's text.
pub fn plan_text(id: &str, title: &str, kind: PlanKind, calendar: Calendar, now: Date) -> String {
    let year = year_of(calendar, now);
    let from = Period::Year(year);
    let to = Period::Year(year + 1);
    // Six months on: not overdue when the plan is made.
    let due = now.checked_add(jiff::Span::new().months(6)).unwrap_or(now);
    let due = format!("{:04}-{:02}", due.year(), due.month());
    let (kind_name, body) = match kind {
        PlanKind::ImprovementPlan => ("service improvement plan", improvement(id, from)),
        PlanKind::ActionPlan => ("action plan", actions(&due)),
        PlanKind::WorkPlan => ("board work plan", work(id, from)),
    };
    let labels = match kind {
        PlanKind::WorkPlan => "labels:\n  objective: Principle\n  indicators: Measures\n",
        _ => "",
    };
    format!(
        "{schema}# A new plan made by `boardpack new plan`. Replace the text in it with your own;\n\
         # docs/content.md (section 5) describes every field.\n\
         id: {id}\ntitle: {title}\nkind: {kind_name}\nperiod: {{from: {from}, to: {to}}}\n\
         status: draft\nowner: Head of Service\n{labels}\
         sections:\n  - title: Introduction\n    body: |\n      What this plan is for and who it is for.\n\
         \x20 - title: {objectives}\n    include: [objectives]\n\
         objectives:\n{body}",
        schema = schema_line(3, "plan"),
        title = quoted(title),
        objectives = match kind {
            PlanKind::ActionPlan => "Actions",
            _ => "Outcomes, actions and indicators",
        },
        body = body.replace("{due}", &due),
    )
}

fn improvement(id: &str, from: Period) -> String {
    format!(
        "  - ref: \"1\"\n    title: The first outcome the plan is for\n    actions:\n\
         \x20     - ref: \"1.1\"\n        description: The first thing to do.\n\
         \x20       leads: [Head of Service]\n        target_date: {{due}}\n\
         \x20   indicators:\n      - id: {id}-1\n        ref: 1a\n\
         \x20       title: The first measure of the outcome\n        unit: \"%\"\n\
         \x20       polarity: higher_is_better\n        tolerance: 2\n\
         \x20       data_owner: Performance team\n\
         \x20       targets: {{{from}: 70}}\n\
         \x20       # Add figures as they come in, for example:\n\
         \x20       # actuals: {{{from} Q1: 68}}\n"
    )
}

fn actions(due: &str) -> String {
    format!(
        "  - ref: \"1\"\n    title: The first area of work\n    actions:\n\
         \x20     - ref: \"1.1\"\n        description: The first thing to do.\n\
         \x20       leads: [Head of Service]\n        target_date: {due}\n\
         \x20     - ref: \"1.2\"\n        description: The next thing to do.\n\
         \x20       leads: [Service Manager]\n        target_date: {due}\n"
    )
}

fn work(id: &str, from: Period) -> String {
    format!(
        "  - ref: \"1\"\n    title: The first principle the board works to\n    objectives:\n\
         \x20     - ref: \"1.1\"\n        title: The first objective under it\n\
         \x20       indicators:\n          - id: {id}-1\n            ref: M1\n\
         \x20           title: The first measure the board watches\n            unit: \"%\"\n\
         \x20           polarity: higher_is_better\n            frequency: quarterly\n\
         \x20           data_owner: Performance team\n\
         \x20           targets: {{{from}: 90}}\n"
    )
}

/// `new pack`: write `content/packs/<period>.yaml`; the path written.
pub fn pack(args: &NewPack) -> Result<PathBuf, String> {
    let period = Period::from_str(args.period.trim()).map_err(|e| {
        format!(
            "`{}` is not a period: {e}; write a year `2025/26`, a quarter `2025/26 Q2` or a month `2025-09`",
            args.period
        )
    })?;
    let mut diags = Diagnostics::new();
    let site = crate::load::load_site(&args.root, &mut diags).ok_or_else(|| {
        format!(
            "the site in {} has errors; run `boardpack check --root {}` and fix them first",
            args.root.display(),
            args.root.display()
        )
    })?;
    let plans: Vec<String> = if args.plans.is_empty() {
        site.plans
            .iter()
            .map(|lp| lp.plan.id.value.clone())
            .collect()
    } else {
        let known: Vec<String> = site
            .plans
            .iter()
            .map(|lp| lp.plan.id.value.clone())
            .collect();
        if let Some(missing) = args.plans.iter().find(|p| !known.contains(p)) {
            return Err(format!(
                "there is no plan `{missing}`; the site's plans are: {}",
                known.join(", ")
            ));
        }
        args.plans.clone()
    };
    if plans.is_empty() {
        return Err("the site has no plans yet; make one with `boardpack new plan ID`".into());
    }
    let text = pack_text(site.config.calendar, period, &args.board, &plans);
    write_new(
        &args.root,
        &format!("content/packs/{}.yaml", period.slug()),
        &text,
    )
}

/// A new pack's text: the meeting three weeks after the period ends.
pub fn pack_text(calendar: Calendar, period: Period, board: &str, plans: &[String]) -> String {
    let end = calendar.end_date(period);
    let meeting = end.checked_add(jiff::Span::new().days(21)).unwrap_or(end);
    format!(
        "{schema}# A board pack made by `boardpack new pack`; docs/content.md (section 12)\n\
         # describes every field.\n\
         title: Quarterly performance pack\nboard: {board}\n\
         meeting_date: {meeting}   # change to the meeting's real date\n\
         period: {period}\nstatus: draft\nmarking: OFFICIAL\nplans: [{plans}]\n\
         cover_note: |\n  Progress in {months}.\n",
        schema = schema_line(2, "pack"),
        board = quoted(board),
        plans = plans.join(", "),
        months = calendar.describe(period),
    )
}
