//! Board packs: each plan as it stood at the end of a reporting period,
//! its exceptions, and what changed since the previous pack.
//!
//! Nothing after the pack's period is used, so adding Q3 figures never
//! changes the Q2 pack:
//! - indicators use only actuals for periods ending by the pack's period;
//! - an action's RAG, status and revised date come from its progress entries
//!   for periods up to the pack's period when the log has such entries; an
//!   action whose log has none is shown as stated (its values have no period),
//!   its status, when it states none, from the log's latest stated one;
//! - actions `added` after the period are left out;
//! - statuses are computed as at the last day of the period (or the pack's `as_at`).

use jiff::civil::Date;

use super::actions::{self, ActionState};
use super::indicators::{self, Assessment, Rules};
use super::{each_action, each_indicator, indicator_id};
use crate::model::{Action, Calendar, Indicator, Pack, Period, Plan, Rag};

/// The action as it stood at the end of `period`, or `None` if it was not yet in the plan.
pub fn action_at(action: &Action, period: Period, cal: &Calendar) -> Option<Action> {
    if let Some(added) = action.added
        && cal.end_index(added) > cal.end_index(period)
    {
        return None;
    }
    let mut a = action.clone();
    // When each entry applies: its period's last month, or the month of its date.
    let when = |e: &crate::model::ProgressEntry| -> Option<i64> {
        e.period.map(|q| cal.end_index(q)).or_else(|| {
            e.date
                .map(|d| i64::from(d.date.year()) * 12 + i64::from(d.date.month()) - 1)
        })
    };
    let end = cal.end_index(period);
    let dated: Vec<_> = action
        .progress
        .iter()
        .filter(|e| when(e).is_some())
        .collect();
    if !dated.is_empty() {
        let upto: Vec<_> = dated
            .iter()
            .filter(|e| when(e).is_some_and(|w| w <= end))
            .collect();
        if dated.iter().any(|e| e.rag.is_some()) {
            let entry = upto.iter().rev().find(|e| e.rag.is_some());
            a.rag = entry.and_then(|e| e.rag);
            a.rag_note = entry.map(|e| match (e.period, e.date) {
                (Some(p), _) => format!("as reported for {p}"),
                (None, Some(d)) => format!("as reported on {d}"),
                (None, None) => "as reported".to_string(),
            });
        }
        if dated.iter().any(|e| e.status.is_some()) {
            a.status = upto.iter().rev().find_map(|e| e.status);
        }
        if dated.iter().any(|e| e.revised_date.is_some()) {
            a.revised_date = upto.iter().rev().find_map(|e| e.revised_date);
        }
        a.progress.retain(|e| when(e).is_none_or(|w| w <= end));
    } else if a.status.is_none() {
        // A log with no dates at all: its latest stated status ("Achieved") is the
        // action's, as on the plan's own page.
        a.status = action.progress.iter().rev().find_map(|e| e.status);
    }
    Some(a)
}

/// The action as it stands now: its own RAG, status and revised date, or, where it
/// gives none, the latest ones in its progress log.
pub fn action_now(action: &Action) -> Action {
    let mut a = action.clone();
    if a.rag.is_none()
        && let Some(e) = action.progress.iter().rev().find(|e| e.rag.is_some())
    {
        a.rag = e.rag;
        a.rag_note = Some(match (e.period, e.date) {
            (Some(p), _) => format!("as reported for {p}"),
            (None, Some(d)) => format!("as reported on {d}"),
            (None, None) => "as reported".to_string(),
        });
    }
    if a.status.is_none() {
        a.status = action.progress.iter().rev().find_map(|e| e.status);
    }
    if a.revised_date.is_none() {
        a.revised_date = action.progress.iter().rev().find_map(|e| e.revised_date);
    }
    a
}

/// True when a pack for `period` should show the plan's undated progress entries
/// as its own: no progress entry of the plan is dated (or given a period) after
/// `period`, so the undated ones are the latest the plan has.
pub fn undated_is_current(plan: &Plan, period: Period, cal: &Calendar) -> bool {
    let end = cal.end_index(period);
    let mut later = false;
    each_action(plan, &mut |a| {
        later |= a.progress.iter().any(|e| {
            e.period.map(|q| cal.end_index(q)).or_else(|| {
                e.date
                    .map(|d| i64::from(d.date.year()) * 12 + i64::from(d.date.month()) - 1)
            }) > Some(end)
        });
    });
    !later
}

/// The date a pack computes statuses at.
pub fn pack_date(pack: &Pack, cal: &Calendar) -> Date {
    pack.as_at
        .map(|d| d.date)
        .unwrap_or_else(|| cal.end_date(pack.period.value))
}

/// An item in the exceptions report.
#[derive(Debug, Clone)]
pub struct Exception {
    /// `Indicator` or `Action`.
    pub kind: &'static str,
    /// Reference (indicator code or action ref).
    pub reference: String,
    /// Title or description.
    pub title: String,
    /// Site-wide indicator id (for links), if an indicator.
    pub indicator_id: Option<String>,
    /// The RAG, if any.
    pub rag: Option<Rag>,
    /// Why it is an exception, in words.
    pub reasons: Vec<String>,
    /// Lead or data owner.
    pub lead: String,
    /// Latest commentary or progress text.
    pub commentary: String,
}

/// A change since the previous pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What kind of change (`RAG changed`, `New actual`, `Completed`, `Slipped`, `New action`, `Closed`, `New progress`).
    pub kind: &'static str,
    /// The item (indicator code and title, or action ref and title).
    pub item: String,
    /// What changed, in words.
    pub detail: String,
}

fn action_name(a: &Action) -> String {
    let r = a
        .reference
        .as_ref()
        .map(|r| r.value.clone())
        .unwrap_or_default();
    let t = action_title(a);
    if r.is_empty() { t } else { format!("{r} {t}") }
}

fn action_title(a: &Action) -> String {
    let t = a
        .title
        .clone()
        .or_else(|| a.description.clone())
        .unwrap_or_default();
    if t.chars().count() > 90 {
        let mut s: String = t.chars().take(88).collect();
        s.push('…');
        s
    } else {
        t
    }
}

fn indicator_name(ind: &Indicator) -> String {
    let head = ind.code().unwrap_or_default();
    if head.is_empty() {
        ind.title.clone()
    } else {
        format!("{head} {}", ind.title)
    }
}

/// Indicator status as at the end of `period`.
pub fn indicator_at(
    facts: &super::facts::Facts,
    ind: &Indicator,
    period: Period,
    rules: &Rules,
) -> (Option<Rag>, Option<Assessment>) {
    let r = Rules {
        up_to: Some(period),
        ..*rules
    };
    let s = facts.indicator(ind, &r);
    (
        ind.rag.or(s.latest.as_ref().and_then(|l| l.rag)),
        s.latest.clone(),
    )
}

/// Red or Amber, overdue and slipped items of `plan` as at the pack's period.
pub fn exceptions(
    facts: &super::facts::Facts,
    plan: &Plan,
    period: Period,
    date: Date,
    rules: &Rules,
) -> Vec<Exception> {
    let cal = rules.calendar;
    let mut out = Vec::new();
    each_indicator(plan, &mut |ind| {
        let (rag, latest) = indicator_at(facts, ind, period, rules);
        if matches!(rag, Some(Rag::Red | Rag::Amber)) {
            out.push(Exception {
                kind: "Indicator",
                reference: ind.code().unwrap_or_default(),
                title: ind.title.clone(),
                indicator_id: Some(indicator_id(plan, ind)),
                rag,
                reasons: vec![match (&ind.rag, latest) {
                    (Some(r), _) => format!("{}: as stated in the plan", r.name()),
                    (None, Some(l)) => l.rule(ind),
                    (None, None) => String::new(),
                }],
                lead: ind.data_owner.clone().unwrap_or_default(),
                commentary: ind.commentary.clone().unwrap_or_default(),
            });
        }
    });
    each_action(plan, &mut |a| {
        let Some(at) = action_at(a, period, &cal) else {
            return;
        };
        let st: ActionState = actions::assess(&at, Some(date));
        let rag = st.rag.as_ref().map(|r| r.0);
        let mut reasons = Vec::new();
        if matches!(rag, Some(Rag::Red | Rag::Amber))
            && let Some((_, _, rule)) = &st.rag
        {
            reasons.push(rule.clone());
        }
        reasons.extend(st.flags.iter().cloned());
        reasons.dedup();
        if reasons.is_empty() {
            return;
        }
        out.push(Exception {
            kind: "Action",
            reference: a
                .reference
                .as_ref()
                .map(|r| r.value.clone())
                .unwrap_or_default(),
            title: action_title(a),
            indicator_id: None,
            rag,
            reasons,
            lead: a.leads.join(", "),
            commentary: at
                .progress
                .last()
                .map(|p| p.text.clone())
                .unwrap_or_default(),
        });
    });
    out
}

/// What changed in `plan` between the end of `before` and the end of `now`.
pub fn changes(
    facts: &super::facts::Facts,
    plan: &Plan,
    before: Period,
    now: Period,
    dates: (Date, Date),
    rules: &Rules,
) -> Vec<Change> {
    let cal = rules.calendar;
    let mut out = Vec::new();
    let rag_name = |r: Option<Rag>| r.map_or("Not rated", Rag::name).to_string();
    each_indicator(plan, &mut |ind| {
        let name = indicator_name(ind);
        let (r0, _) = indicator_at(facts, ind, before, rules);
        let (r1, _) = indicator_at(facts, ind, now, rules);
        let fresh: Vec<String> = ind
            .actuals
            .iter()
            .filter(|(p, _)| {
                cal.end_index(p.value) > cal.end_index(before)
                    && cal.end_index(p.value) <= cal.end_index(now)
            })
            .map(|(p, f)| {
                format!(
                    "{} for {}",
                    indicators::show_as_written(ind, f.value),
                    p.value
                )
            })
            .collect();
        if !fresh.is_empty() {
            out.push(Change {
                kind: "New actual",
                item: name.clone(),
                detail: fresh.join("; "),
            });
        }
        if r0 != r1 {
            out.push(Change {
                kind: "RAG changed",
                item: name,
                detail: format!("{} → {}", rag_name(r0), rag_name(r1)),
            });
        }
    });
    each_action(plan, &mut |a| {
        let name = action_name(a);
        let (Some(a1), was) = (action_at(a, now, &cal), action_at(a, before, &cal)) else {
            return;
        };
        let Some(a0) = was else {
            out.push(Change {
                kind: "New action",
                item: name,
                detail: format!(
                    "added in {}",
                    a.added.map(|p| p.to_string()).unwrap_or_default()
                ),
            });
            return;
        };
        let s0 = actions::assess(&a0, Some(dates.0));
        let s1 = actions::assess(&a1, Some(dates.1));
        let r0 = s0.rag.as_ref().map(|r| r.0);
        let r1 = s1.rag.as_ref().map(|r| r.0);
        if s1.complete && !s0.complete {
            out.push(Change {
                kind: "Completed",
                item: name.clone(),
                detail: "now complete".into(),
            });
        } else if r0 != r1 {
            out.push(Change {
                kind: "RAG changed",
                item: name.clone(),
                detail: format!("{} → {}", rag_name(r0), rag_name(r1)),
            });
        }
        if a1.status == Some(crate::model::ActionStatus::Closed) && a0.status != a1.status {
            out.push(Change {
                kind: "Closed",
                item: name.clone(),
                detail: "closed".into(),
            });
        }
        let due0 = a0.revised_date.or(a0.target_date);
        let due1 = a1.revised_date.or(a1.target_date);
        if let (Some(d0), Some(d1)) = (due0, due1)
            && d1.date > d0.date
        {
            out.push(Change {
                kind: "Slipped",
                item: name.clone(),
                detail: format!("due {d0} → {d1}"),
            });
        }
        if s1.overdue && !s0.overdue {
            out.push(Change {
                kind: "Now overdue",
                item: name.clone(),
                detail: s1.flags.first().cloned().unwrap_or_default(),
            });
        }
        let new_entries = a1.progress.len().saturating_sub(a0.progress.len());
        if new_entries > 0 {
            out.push(Change {
                kind: "New progress",
                item: name,
                detail: a1
                    .progress
                    .iter()
                    .rev()
                    .take(new_entries)
                    .map(|p| p.text.clone())
                    .collect::<Vec<_>>()
                    .join(" / "),
            });
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(yaml: &str) -> Plan {
        serde_saphyr::from_str(yaml).unwrap()
    }

    const PLAN: &str = "id: p\ntitle: P\nkind: k\nindicators:\n  - id: i\n    codes: [NI 1]\n    title: Share\n    unit: '%'\n    polarity: higher_is_better\n    targets: {2008/09: 66}\n    actuals: {2008/09 Q1: 60, 2008/09 Q2: 70}\nactions:\n  - ref: '1.1'\n    description: Do it\n    target_date: 2008-12\n    progress:\n      - {period: 2008/09 Q1, text: Started, rag: amber}\n      - {period: 2008/09 Q2, text: Done, rag: blue, status: complete}\n  - ref: '1.2'\n    description: Later work\n    added: 2008/09 Q2\n";

    fn rules() -> Rules {
        Rules {
            calendar: Calendar::default(),
            default_tolerance: 0.0,
            up_to: None,
        }
    }

    #[test]
    fn later_periods_never_leak() {
        let p = plan(PLAN);
        let q1: Period = "2008/09 Q1".parse().unwrap();
        let ex = exceptions(
            &Default::default(),
            &p,
            q1,
            Date::constant(2008, 6, 30),
            &rules(),
        );
        let kinds: Vec<(&str, Option<Rag>)> = ex.iter().map(|e| (e.kind, e.rag)).collect();
        assert_eq!(
            kinds,
            vec![("Indicator", Some(Rag::Red)), ("Action", Some(Rag::Amber))]
        );
        assert!(ex[0].reasons[0].contains("60%"), "{:?}", ex[0].reasons);
        let a = action_at(&p.actions[0], q1, &Calendar::default()).unwrap();
        assert_eq!(a.progress.len(), 1);
        assert!(action_at(&p.actions[1], q1, &Calendar::default()).is_none());
    }

    #[test]
    fn changes_between_quarters() {
        let p = plan(PLAN);
        let (q1, q2) = ("2008/09 Q1".parse().unwrap(), "2008/09 Q2".parse().unwrap());
        let c = changes(
            &Default::default(),
            &p,
            q1,
            q2,
            (Date::constant(2008, 6, 30), Date::constant(2008, 9, 30)),
            &rules(),
        );
        let kinds: Vec<&str> = c.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            vec![
                "New actual",
                "RAG changed",
                "Completed",
                "New progress",
                "New action"
            ]
        );
        assert_eq!(c[0].detail, "70% for 2008/09 Q2");
        assert_eq!(c[1].detail, "Red → Green");
    }
}
