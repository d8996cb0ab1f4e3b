//! Action status as at a report date: complete, overdue, slipped, and the RAG shown.

use jiff::civil::Date;

use crate::model::{Action, ActionStatus, DateSpec, Deliverable, Rag};

/// Where a RAG came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Written by the author; shown as stated.
    Stated,
    /// Computed by boardpack from dates and deliverables.
    Computed,
}

/// What boardpack works out about an action.
#[derive(Debug, Clone)]
pub struct ActionState {
    /// Complete (stated, Blue, or every deliverable complete).
    pub complete: bool,
    /// A date has passed and the work is not complete.
    pub overdue: bool,
    /// The revised date is later than the target date (action or any deliverable).
    pub slipped: bool,
    /// The RAG to show, its source and the rule in words.
    pub rag: Option<(Rag, Source, String)>,
    /// Flags in words ("Overdue: target Jun 2016 passed (as at 1 Mar 2016)").
    pub flags: Vec<String>,
}

fn due(target: Option<DateSpec>, revised: Option<DateSpec>) -> Option<DateSpec> {
    revised.or(target)
}

fn deliverable_done(d: &Deliverable) -> bool {
    matches!(
        d.status,
        Some(ActionStatus::Complete | ActionStatus::Closed)
    )
}

/// Work out the state of `action` as at `as_at` (no overdue check without a date).
pub fn assess(action: &Action, as_at: Option<Date>) -> ActionState {
    let all_delivered =
        !action.deliverables.is_empty() && action.deliverables.iter().all(deliverable_done);
    let complete = matches!(
        action.status,
        Some(ActionStatus::Complete | ActionStatus::Closed)
    ) || action.rag == Some(Rag::Blue)
        || all_delivered;

    let mut flags = Vec::new();
    let mut overdue = false;
    if let Some(today) = as_at
        && !complete
    {
        // "Apr 2024, on going": the date is when the work began, not a deadline.
        let ongoing = action
            .timescale
            .as_deref()
            .is_some_and(super::vocabulary::is_ongoing);
        if let Some(d) = due(action.target_date, action.revised_date)
            && d.date < today
            && !(ongoing && action.revised_date.is_none())
        {
            overdue = true;
            flags.push(format!(
                "Overdue: due {d}, not complete as at {}",
                show_date(today)
            ));
        }
        let late: Vec<String> = action
            .deliverables
            .iter()
            .enumerate()
            .filter(|(_, d)| !deliverable_done(d))
            .filter_map(|(i, d)| {
                due(d.target_date, d.revised_date)
                    .filter(|due| due.date < today)
                    .map(|due| format!("{} (due {due})", i + 1))
            })
            .collect();
        if !late.is_empty() {
            overdue = true;
            flags.push(format!(
                "Overdue deliverables: {} not complete as at {}",
                late.join(", "),
                show_date(today)
            ));
        }
    }

    let mut slipped = false;
    if let (Some(t), Some(r)) = (action.target_date, action.revised_date)
        && r.date > t.date
    {
        slipped = true;
        flags.push(format!("Slipped: target {t}, revised to {r}"));
    }
    for (i, d) in action.deliverables.iter().enumerate() {
        if let (Some(t), Some(r)) = (d.target_date, d.revised_date)
            && r.date > t.date
        {
            slipped = true;
            flags.push(format!(
                "Deliverable {} slipped: target {t}, revised to {r}",
                i + 1
            ));
        }
    }

    let rag = match action.rag {
        Some(r) => Some((
            r,
            Source::Stated,
            format!("{}: as stated in the plan", r.name()),
        )),
        None if complete => Some((
            Rag::Blue,
            Source::Computed,
            if all_delivered {
                "Blue: every deliverable is complete".to_string()
            } else {
                "Blue: the action is marked complete".to_string()
            },
        )),
        None if overdue => Some((
            Rag::Red,
            Source::Computed,
            // The reason itself is in `flags`, shown beside the badge: say it once.
            "Red: overdue and not complete".to_string(),
        )),
        None => None,
    };
    ActionState {
        complete,
        overdue,
        slipped,
        rag,
        flags,
    }
}

/// `1 Mar 2016`.
pub fn show_date(d: Date) -> String {
    DateSpec {
        date: d,
        month_only: false,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(yaml: &str) -> Action {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn overdue_and_slipped() {
        let a = action("description: x\ntarget_date: 2016-03\nrevised_date: 2016-06\n");
        let s = assess(&a, Some(Date::constant(2016, 7, 1)));
        assert!(s.overdue && s.slipped && !s.complete);
        assert_eq!(s.rag.as_ref().unwrap().0, Rag::Red);
        assert!(
            s.flags
                .iter()
                .any(|f| f == "Slipped: target Mar 2016, revised to Jun 2016")
        );
        let s = assess(&a, Some(Date::constant(2016, 5, 1)));
        assert!(!s.overdue && s.slipped);
        assert!(s.rag.is_none());
    }

    #[test]
    fn stated_rag_is_kept_and_complete_is_blue() {
        let a = action("description: x\nrag: amber\ntarget_date: 2016-03\n");
        let s = assess(&a, Some(Date::constant(2016, 7, 1)));
        assert_eq!(s.rag.unwrap().1, Source::Stated);
        let a = action(
            "description: x\ndeliverables:\n  - {text: a, status: complete}\n  - {text: b, status: complete, target_date: 2016-01}\n",
        );
        let s = assess(&a, Some(Date::constant(2016, 7, 1)));
        assert!(s.complete && !s.overdue);
        assert_eq!(s.rag.unwrap().0, Rag::Blue);
    }
}
