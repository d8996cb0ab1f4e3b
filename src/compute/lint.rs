//! Data-quality lint: content that builds but would mislead a board.
//!
//! Every rule gives a warning (never an error), on every `build` and `check`;
//! `--strict` turns them into failures. Each warning names the plan file and,
//! where the model keeps a position (an action's `ref`, an indicator's `id` or
//! figures), the line. Rules that need "today" use the plan's `as_at`, else the
//! site's, and are skipped when neither is set: a build never reads the clock,
//! so the same content always gives the same warnings.
//!
//! The rules:
//!
//! 1. **No lead.** An action that is not complete names no `leads`.
//! 2. **No data owner.** An indicator has no `data_owner`.
//! 3. **Stale figures.** An indicator's latest actual is older than its
//!    `frequency` allows as at `as_at`: the next period's figure is due once
//!    that period has ended plus a grace period (see [`Cadence`]).
//! 4. **Red or Amber without words.** An action stated Red or Amber with no
//!    current progress entry, or an indicator whose RAG (stated, or computed
//!    from its latest actual) is Red or Amber with no `commentary`.
//! 5. **Overdue.** An action's (or deliverable's) date has passed as at
//!    `as_at` and it is not complete (see [`actions::assess`]).
//! 6. **Undefined abbreviations.** An all-capital word of 2–6 letters in an
//!    action's `leads` or `partners` (`CSMF`) that neither the site's nor the
//!    plan's glossary defines.
//!
//! Where every item of a plan misses the same thing (no indicator names a
//! data owner, no action names a lead) the plan gets one warning listing the
//! count, not one per item: that is a gap in how the plan is kept, and one
//! warning says so without drowning the others.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;

use super::{actions, each_action, each_indicator, indicators};
use crate::diagnostics::Diagnostics;
use crate::model::{Action, Calendar, Frequency, Indicator, LoadedPlan, Period, Pos, Rag, Site};

/// How often figures come and how long after a period ends they may take.
///
/// An indicator is stale when, as at `as_at`, the period after its latest
/// actual has ended and the grace time after it has passed too:
///
/// | frequency | next period | grace | stale once the latest period ended more than |
/// | --- | --- | --- | --- |
/// | monthly | 1 month | 1 month | 2 months before `as_at` |
/// | quarterly | 3 months | 3 months (one quarter) | 6 months before `as_at` |
/// | annual | 12 months | 6 months | 18 months before `as_at` |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cadence {
    /// Months from one period's end to the next one's.
    pub interval: i64,
    /// Months allowed after the next period ends for its figure to arrive.
    pub grace: i64,
}

impl Cadence {
    /// The cadence of a reporting frequency.
    pub fn of(f: Frequency) -> Cadence {
        match f {
            Frequency::Monthly => Cadence {
                interval: 1,
                grace: 1,
            },
            Frequency::Quarterly => Cadence {
                interval: 3,
                grace: 3,
            },
            Frequency::Annual => Cadence {
                interval: 12,
                grace: 6,
            },
        }
    }

    /// The grace in words, for messages.
    fn grace_words(f: Frequency) -> &'static str {
        match f {
            Frequency::Monthly => "a month's grace",
            Frequency::Quarterly => "one quarter's grace",
            Frequency::Annual => "six months' grace",
        }
    }
}

/// Progress older than this many months before `as_at` is not "for the period".
const PROGRESS_MONTHS: i64 = 3;

/// Words that look like abbreviations but are ordinary in leads and partners.
const NOT_ABBREVIATIONS: [&str; 4] = ["TBC", "TBA", "AND", "OR"];

/// Lint one plan; see the module documentation for the rules.
pub fn lint_plan(
    site: &Site,
    lp: &LoadedPlan,
    facts: &super::facts::Facts,
    diags: &mut Diagnostics,
) {
    let plan = &lp.plan;
    let file = lp.file.as_path();
    let as_at = plan.as_at.or(site.config.as_at).map(|d| d.date);
    let cal = site.config.calendar;

    let mut actions_list: Vec<&Action> = Vec::new();
    each_action(plan, &mut |a| actions_list.push(a));
    let mut indicator_list: Vec<&Indicator> = Vec::new();
    each_indicator(plan, &mut |i| indicator_list.push(i));

    lint_leads(&actions_list, as_at, file, diags);
    for a in &actions_list {
        lint_action_status(a, as_at, cal, file, diags);
    }
    lint_undefined_abbreviations(site, lp, &actions_list, diags);

    lint_data_owners(&indicator_list, file, diags);
    let rules = indicators::Rules {
        calendar: cal,
        default_tolerance: site.config.tolerance.unwrap_or(0.0),
        up_to: None,
    };
    for ind in &indicator_list {
        lint_stale(ind, as_at, cal, file, diags);
        lint_indicator_commentary(ind, &rules, facts, file, diags);
    }
}

/// `action 1.2` or `action "Domestic Abuse"`, for messages.
fn action_name(a: &Action) -> String {
    if let Some(r) = &a.reference {
        return format!("action {}", r.value);
    }
    let text = a
        .title
        .as_deref()
        .or(a.description.as_deref())
        .unwrap_or("(untitled)");
    format!("action \"{}\"", short(text))
}

/// `indicator NI 63` or `indicator "Share of reviews on time"`, for messages.
fn indicator_name(ind: &Indicator) -> String {
    if let Some(code) = ind.codes.first() {
        return format!("indicator {code}");
    }
    if let Some(r) = &ind.reference {
        return format!("indicator {r} \"{}\"", short(&ind.title));
    }
    format!("indicator \"{}\"", short(&ind.title))
}

fn short(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 80 {
        let cut: String = one_line.chars().take(77).collect();
        format!("{}…", cut.trim_end())
    } else {
        one_line
    }
}

/// Where an action is: its `ref`, or else the start of its mapping.
fn action_pos(a: &Action) -> Option<Pos> {
    a.reference.as_ref().map(|r| r.pos).or(a.pos)
}

/// A line in the plan file for an indicator: its `id`, its `data:` file name,
/// or its first figure written in the YAML.
pub(crate) fn indicator_pos(ind: &Indicator) -> Option<Pos> {
    ind.id
        .as_ref()
        .map(|i| i.pos)
        .or_else(|| ind.data.as_ref().map(|d| d.pos))
        .or_else(|| {
            ind.actuals
                .iter()
                .chain(ind.targets.iter())
                .find(|(p, _)| p.file.is_none())
                .map(|(p, _)| p.pos)
        })
}

/// Rule 1: every open action names a lead.
fn lint_leads(list: &[&Action], as_at: Option<Date>, file: &Path, diags: &mut Diagnostics) {
    let open: Vec<&&Action> = list
        .iter()
        .filter(|a| !actions::assess(a, as_at).complete)
        .collect();
    let missing: Vec<&&Action> = open
        .iter()
        .copied()
        .filter(|a| a.leads.iter().all(|l| l.trim().is_empty()))
        .collect();
    if missing.len() > 1 && missing.len() == open.len() {
        diags.warning_hint(
            file,
            missing.iter().find_map(|a| action_pos(a)),
            format!(
                "none of this plan's {} open actions names a lead",
                missing.len()
            ),
            "add `leads:` to each action, so the board knows who answers for it",
        );
        return;
    }
    for a in missing {
        diags.warning_hint(
            file,
            action_pos(a),
            format!("{} has no lead", action_name(a)),
            "name who answers for it in `leads:`",
        );
    }
}

/// Rule 2: every indicator names who supplies its data.
fn lint_data_owners(list: &[&Indicator], file: &Path, diags: &mut Diagnostics) {
    let missing: Vec<&&Indicator> = list
        .iter()
        .filter(|i| i.data_owner.as_deref().is_none_or(|o| o.trim().is_empty()))
        .collect();
    if missing.len() > 1 && missing.len() == list.len() {
        diags.warning_hint(
            file,
            missing.iter().find_map(|i| indicator_pos(i)),
            format!(
                "none of this plan's {} indicators names a `data_owner`",
                missing.len()
            ),
            "add `data_owner:` to each indicator, naming who supplies its figures",
        );
        return;
    }
    for ind in missing {
        diags.warning_hint(
            file,
            indicator_pos(ind),
            format!("{} has no `data_owner`", indicator_name(ind)),
            "add `data_owner:` naming who supplies its figures",
        );
    }
}

/// The last day of the month with index `idx` (months since year 0).
fn month_end(idx: i64) -> Option<Date> {
    let year = i16::try_from(idx.div_euclid(12)).ok()?;
    let month = (idx.rem_euclid(12) + 1) as i8;
    Date::new(year, month, 1).ok().map(|d| d.last_of_month())
}

/// The period of the same length as `period` that follows it.
fn next_period(period: Period) -> Period {
    match period {
        Period::Year(y) => Period::Year(y + 1),
        Period::Quarter(y, 4) => Period::Quarter(y + 1, 1),
        Period::Quarter(y, q) => Period::Quarter(y, q + 1),
        Period::Month(y, 12) => Period::Month(y + 1, 1),
        Period::Month(y, m) => Period::Month(y, m + 1),
    }
}

/// Rule 3: figures keep up with the indicator's frequency.
fn lint_stale(
    ind: &Indicator,
    as_at: Option<Date>,
    cal: Calendar,
    file: &Path,
    diags: &mut Diagnostics,
) {
    let (Some(today), Some(freq)) = (as_at, ind.frequency) else {
        return;
    };
    let Some((latest, _)) = ind
        .actuals
        .iter()
        .max_by_key(|(p, _)| cal.sort_key(p.value))
    else {
        return;
    };
    let cadence = Cadence::of(freq);
    let end = cal.end_index(latest.value);
    let Some(due) = month_end(end + cadence.interval + cadence.grace) else {
        return;
    };
    if today <= due {
        return;
    }
    let next = if latest.value.months() as i64 == cadence.interval {
        format!("the figure for {}", next_period(latest.value))
    } else {
        "the next figure".to_string()
    };
    let pos = if latest.file.is_none() {
        Some(latest.pos)
    } else {
        ind.data.as_ref().map(|d| d.pos)
    };
    let step = match freq {
        Frequency::Monthly => "a month",
        Frequency::Quarterly => "a quarter",
        Frequency::Annual => "a year",
    };
    let latest_end = actions::show_date(cal.end_date(latest.value));
    diags.warning_hint(
        file,
        pos,
        format!(
            "{} is reported {}, but its latest actual is for {} (to {latest_end}): as at {} {next} was due by {} ({step} on from {latest_end}, plus {})",
            indicator_name(ind),
            freq.label().to_lowercase(),
            latest.value,
            actions::show_date(today),
            actions::show_date(due),
            Cadence::grace_words(freq),
        ),
        "add the figures that have come in since, or correct `frequency:` if it is reported less often",
    );
}

/// True when a progress entry speaks for the period ending at `as_at`:
/// undated entries count, as do entries dated (or for a period ending) no
/// more than [`PROGRESS_MONTHS`] months before it.
fn is_current(entry: &crate::model::ProgressEntry, as_at: Option<Date>, cal: &Calendar) -> bool {
    let Some(today) = as_at else { return true };
    let when = match (entry.date, entry.period) {
        (Some(d), _) => d.date,
        (None, Some(p)) => cal.end_date(p),
        (None, None) => return true,
    };
    let today_idx = i64::from(today.year()) * 12 + i64::from(today.month()) - 1;
    let Some(cutoff) = month_end(today_idx - PROGRESS_MONTHS) else {
        return true;
    };
    when > cutoff
}

/// Rules 4 (actions) and 5: Red or Amber needs words; open work must not be overdue.
fn lint_action_status(
    a: &Action,
    as_at: Option<Date>,
    cal: Calendar,
    file: &Path,
    diags: &mut Diagnostics,
) {
    if let Some(rag @ (Rag::Red | Rag::Amber)) = a.rag
        && !a.progress.iter().any(|e| is_current(e, as_at, &cal))
    {
        let message = if a.progress.is_empty() {
            format!(
                "{} is stated {} but has no progress entry saying why",
                action_name(a),
                rag.name()
            )
        } else {
            format!(
                "{} is stated {} but its latest progress entry is more than {PROGRESS_MONTHS} months older than the as-at date",
                action_name(a),
                rag.name()
            )
        };
        diags.warning_hint(
            file,
            action_pos(a),
            message,
            "add a `progress:` entry saying why, and what is being done",
        );
    }
    let state = actions::assess(a, as_at);
    if state.overdue {
        let why: Vec<String> = state
            .flags
            .iter()
            .filter_map(|f| {
                f.strip_prefix("Overdue: ").map(str::to_string).or_else(|| {
                    f.strip_prefix("Overdue deliverables: ")
                        .map(|d| format!("deliverables {d}"))
                })
            })
            .collect();
        diags.warning_hint(
            file,
            action_pos(a),
            format!("{} is overdue: {}", action_name(a), why.join("; ")),
            "mark it done (`status: complete`), give a `revised_date`, or say in `progress` what is happening",
        );
    }
}

/// Rule 4 (indicators): a Red or Amber indicator carries commentary.
fn lint_indicator_commentary(
    ind: &Indicator,
    rules: &indicators::Rules,
    facts: &super::facts::Facts,
    file: &Path,
    diags: &mut Diagnostics,
) {
    if ind
        .commentary
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty())
    {
        return;
    }
    let (rag, how) = match ind.rag {
        Some(r) => (r, format!("is stated {}", r.name())),
        None => {
            let status = facts.indicator(ind, rules);
            match status
                .latest
                .as_ref()
                .and_then(|l| l.rag.map(|r| (r, l.rule(ind))))
            {
                Some((r, rule)) => {
                    let why = rule
                        .strip_prefix(&format!("{}: ", r.name()))
                        .unwrap_or(&rule)
                        .to_string();
                    (r, format!("is {} by its figures ({why})", r.name()))
                }
                None => return,
            }
        }
    };
    if matches!(rag, Rag::Red | Rag::Amber) {
        diags.warning_hint(
            file,
            indicator_pos(ind),
            format!("{} {how} but has no `commentary`", indicator_name(ind)),
            "add `commentary:` saying why, and what is being done",
        );
    }
}

/// All-capital words of 2–6 letters in `text`.
fn abbreviations(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| (2..=6).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_uppercase()))
        .filter(|w| !NOT_ABBREVIATIONS.contains(w))
}

/// Rule 6: abbreviations in leads and partners are in a glossary.
fn lint_undefined_abbreviations(
    site: &Site,
    lp: &LoadedPlan,
    list: &[&Action],
    diags: &mut Diagnostics,
) {
    let defined = |w: &str| {
        site.config.glossary.iter().any(|(k, _)| k == w)
            || lp.plan.glossary.iter().any(|(k, _)| k == w)
            || site.config.abbreviations.is_known(w)
    };
    // Abbreviation → (first action using it, number of actions using it).
    let mut found: BTreeMap<&str, (&Action, usize)> = BTreeMap::new();
    for a in list {
        let mut words: Vec<&str> = a
            .leads
            .iter()
            .chain(a.partners.iter())
            .flat_map(|s| abbreviations(s))
            .filter(|w| !defined(w))
            .collect();
        words.sort_unstable();
        words.dedup();
        for w in words {
            found.entry(w).or_insert((a, 0)).1 += 1;
        }
    }
    for (word, (first, count)) in found {
        let more = match count {
            1 => String::new(),
            2 => " and 1 other".to_string(),
            n => format!(" and {} others", n - 1),
        };
        diags.warning_hint(
            &lp.file,
            action_pos(first),
            format!(
                "`{word}`, in the leads or partners of {}{more}, is not in the plan's or the site's glossary",
                action_name(first)
            ),
            format!("add `{word}: what it stands for` under `glossary:` in plan.yaml or site.yaml"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lint warnings for one plan in a site with `as_at`, as rendered.
    fn lint(as_at: &str, plan: &str) -> String {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content/plans/p")).unwrap();
        std::fs::write(
            root.join("content/site.yaml"),
            format!(
                "title: T\norganisation: O\nas_at: {as_at}\nglossary: {{SM: Service manager}}\n"
            ),
        )
        .unwrap();
        std::fs::write(
            root.join("content/plans/p/plan.yaml"),
            format!("id: p\ntitle: P\nkind: k\n{plan}"),
        )
        .unwrap();
        let mut diags = Diagnostics::new();
        let site = crate::load::load_site(root, &mut diags).expect("loads");
        lint_plan(&site, &site.plans[0], &Default::default(), &mut diags);
        assert!(!diags.has_errors(), "{}", diags.render());
        diags
            .sorted()
            .iter()
            .map(|d| format!("{}\n", d.message))
            .collect()
    }

    const QUARTERLY: &str = "indicators:\n  - title: I\n    data_owner: D\n    frequency: quarterly\n    actuals: {2016/17 Q1: 5}\n";

    #[test]
    fn finds_abbreviations() {
        let words: Vec<&str> =
            abbreviations("ISM SM LAC, L. Lofting, E&P, CAMHS-led, NHSFT trust, TBC, Hos")
                .collect();
        assert_eq!(words, ["ISM", "SM", "LAC", "CAMHS", "NHSFT"]);
    }

    #[test]
    fn cadences() {
        assert_eq!(
            Cadence::of(Frequency::Quarterly),
            Cadence {
                interval: 3,
                grace: 3
            }
        );
        assert_eq!(month_end(2008 * 12 + 5), Some(Date::constant(2008, 6, 30)));
        assert_eq!(
            next_period(Period::Quarter(2016, 4)),
            Period::Quarter(2017, 1)
        );
        assert_eq!(next_period(Period::Month(2016, 12)), Period::Month(2017, 1));
    }

    #[test]
    fn quarterly_figures_are_stale_after_a_quarter_and_its_grace() {
        // Q1 ends 30 Jun 2016; Q2 ends 30 Sep; its figure is due by 31 Dec.
        assert_eq!(lint("2016-12-31", QUARTERLY), "");
        let out = lint("2017-01-01", QUARTERLY);
        assert!(
            out.contains("the figure for 2016/17 Q2 was due by 31 Dec 2016"),
            "{out}"
        );
        // A plan without its own `as_at` is linted as at the site's.
        let out = lint("2017-01-01", &format!("as_at: ~\n{QUARTERLY}"));
        assert!(
            out.contains("was due by"),
            "the site's as_at applies: {out}"
        );
    }

    #[test]
    fn red_and_amber_need_current_words() {
        let action = "actions:\n  - ref: '1'\n    description: x\n    leads: [SM]\n    rag: red\n";
        assert!(lint("2016-07-01", action).contains("stated Red but has no progress entry"));
        let old = format!("{action}    progress:\n      - {{date: 2016-01-05, text: started}}\n");
        assert!(lint("2016-07-01", &old).contains("more than 3 months older"));
        let recent = format!("{action}    progress:\n      - {{date: 2016-05-05, text: late}}\n");
        assert_eq!(lint("2016-07-01", &recent), "");
        let undated = format!("{action}    progress:\n      - text: late\n");
        assert_eq!(lint("2016-07-01", &undated), "");
    }

    #[test]
    fn whole_plan_gaps_are_one_warning() {
        let plan = "actions:\n  - {ref: '1', description: a}\n  - {ref: '2', description: b}\n  - {ref: '3', description: c, status: complete}\n";
        let out = lint("2016-07-01", plan);
        assert_eq!(out, "none of this plan's 2 open actions names a lead\n");
        let plan = "actions:\n  - {ref: '1', description: a, leads: [SM]}\n  - {ref: '2', description: b}\n";
        assert_eq!(lint("2016-07-01", plan), "action 2 has no lead\n");
    }

    #[test]
    fn undefined_abbreviations_once_per_plan() {
        // CAMHS is a built-in known abbreviation (model::abbrev); CSMF is not.
        let plan = "glossary: {YOT: Youth Offending Team}\nactions:\n  - {ref: '1', description: a, leads: [SM], partners: [CSMF, YOT, CAMHS]}\n  - {ref: '2', description: b, leads: [CSMF lead]}\n";
        let out = lint("2016-07-01", plan);
        assert_eq!(
            out,
            "`CSMF`, in the leads or partners of action 1 and 1 other, is not in the plan's or the site's glossary\n"
        );
    }
}
