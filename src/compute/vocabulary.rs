//! Status words as authors write them in progress notes, deliverables and
//! timescales ("Achieved", "On going", "Not started"), and the action states
//! they stand for.

use crate::model::{ActionStatus, Objective, OrderedMap, Plan, ProgressEntry, SiteConfig};

/// Fold a phrase for matching: lower case, letters and digits only, single spaces.
fn fold(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when timescale words say the work carries on ("on going", "Ongoing",
/// "then ongoing process", "continuous").
pub fn is_ongoing(words: &str) -> bool {
    let f = fold(words);
    let joined = f.replace("on going", "ongoing");
    joined
        .split(' ')
        .any(|w| matches!(w, "ongoing" | "continuous" | "continuing"))
}

/// The built-in words and the state each stands for, in the order the key shows them.
pub const DEFAULT_WORDS: &[(&str, ActionStatus)] = &[
    ("Achieved", ActionStatus::Complete),
    ("Completed", ActionStatus::Complete),
    ("Complete", ActionStatus::Complete),
    ("Done", ActionStatus::Complete),
    ("On going", ActionStatus::InProgress),
    ("Ongoing", ActionStatus::InProgress),
    ("In progress", ActionStatus::InProgress),
    ("Not started", ActionStatus::NotStarted),
    ("Deferred", ActionStatus::Closed),
    ("Withdrawn", ActionStatus::Closed),
];

/// The words in force for a plan: the built-in ones, then the site's
/// `status_words`, then the plan's (a later word replaces an earlier one).
pub fn words(site: &SiteConfig, plan: &Plan) -> Vec<(String, ActionStatus)> {
    let mut out: Vec<(String, ActionStatus)> = DEFAULT_WORDS
        .iter()
        .map(|(w, s)| (w.to_string(), *s))
        .collect();
    let mut add = |m: &OrderedMap<String, ActionStatus>| {
        for (w, s) in m.iter() {
            match out.iter_mut().find(|(k, _)| fold(k) == fold(w)) {
                Some(e) => e.1 = *s,
                None => out.push((w.clone(), *s)),
            }
        }
    };
    add(&site.status_words);
    add(&plan.status_words);
    out
}

/// The state a note states, when its first phrase (after any numbering, up to
/// the first `.`, `;`, `:`, `,` or dash) is one of `words`: "Achieved",
/// "9 Achieved.", "On going – reviewed monthly". "Achieved for all new cases"
/// says more than a state, so it is not one.
pub fn state_of(text: &str, words: &[(String, ActionStatus)]) -> Option<ActionStatus> {
    state_of_folded(text, &folded(words))
}

/// `words` folded for matching, each with its state.
fn folded(words: &[(String, ActionStatus)]) -> Vec<(String, ActionStatus)> {
    words.iter().map(|(w, s)| (fold(w), *s)).collect()
}

/// [`state_of`] with the words already folded (a plan has hundreds of notes
/// to read against the same words).
fn state_of_folded(text: &str, folded: &[(String, ActionStatus)]) -> Option<ActionStatus> {
    let first = text
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | ')' | '(' | ' '))
        .split(['.', ';', ':', ',', '–', '—', '\n'])
        .next()
        .unwrap_or("");
    let first = first.split(" - ").next().unwrap_or("");
    let f = fold(first);
    if f.is_empty() {
        return None;
    }
    folded.iter().find(|(w, _)| *w == f).map(|(_, s)| *s)
}

/// Read status words into states: a progress entry with no `status` takes the
/// one its text states; a deliverable with no `status` takes its latest
/// progress entry's. Returns the words used, for the plan's key.
pub fn apply(site: &SiteConfig, plan: &mut Plan) {
    let words = words(site, plan);
    let folded = folded(&words);
    let mut used = false;
    let entries = |log: &mut [ProgressEntry], used: &mut bool| {
        for e in log.iter_mut().filter(|e| e.status.is_none()) {
            if let Some(s) = state_of_folded(&e.text, &folded) {
                e.status = Some(s);
                *used = true;
            }
        }
        log.iter().rev().find_map(|e| e.status)
    };
    let mut action = |a: &mut crate::model::Action, used: &mut bool| {
        entries(&mut a.progress, used);
        for d in &mut a.deliverables {
            let latest = entries(&mut d.progress, used);
            if d.status.is_none() {
                d.status = latest;
            }
        }
    };
    fn walk(
        objs: &mut [Objective],
        f: &mut impl FnMut(&mut crate::model::Action, &mut bool),
        used: &mut bool,
    ) {
        for o in objs {
            for a in &mut o.actions {
                f(a, used);
            }
            walk(&mut o.objectives, f, used);
        }
    }
    for a in &mut plan.actions {
        action(a, &mut used);
    }
    walk(&mut plan.objectives, &mut action, &mut used);
    if used {
        plan.status_key = key(&words);
    }
}

/// The words grouped by the state they stand for: ("Complete", "Achieved, Completed, …").
pub fn key(words: &[(String, ActionStatus)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, Vec<&str>)> = Vec::new();
    for (w, s) in words {
        match out.iter_mut().find(|(k, _)| k == s.label()) {
            Some(e) => e.1.push(w),
            None => out.push((s.label().to_string(), vec![w])),
        }
    }
    out.into_iter().map(|(k, v)| (k, v.join(", "))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Vec<(String, ActionStatus)> {
        DEFAULT_WORDS
            .iter()
            .map(|(w, s)| (w.to_string(), *s))
            .collect()
    }

    #[test]
    fn a_note_that_is_a_status_word_states_it() {
        let w = defaults();
        assert_eq!(state_of("Achieved", &w), Some(ActionStatus::Complete));
        assert_eq!(state_of("9 Achieved.", &w), Some(ActionStatus::Complete));
        assert_eq!(state_of("COMPLETED", &w), Some(ActionStatus::Complete));
        assert_eq!(
            state_of("On going – reviewed monthly", &w),
            Some(ActionStatus::InProgress)
        );
        assert_eq!(state_of("Ongoing", &w), Some(ActionStatus::InProgress));
        assert_eq!(state_of("Not started", &w), Some(ActionStatus::NotStarted));
        assert_eq!(
            state_of("Withdrawn: funding ended", &w),
            Some(ActionStatus::Closed)
        );
        assert_eq!(
            state_of("Achieved for all new cases. Continuing.", &w),
            None
        );
        assert_eq!(state_of("Waiting for legal sign-off.", &w), None);
        assert_eq!(state_of("", &w), None);
    }

    #[test]
    fn ongoing_in_the_ways_authors_write_it() {
        for w in [
            "on going",
            "Ongoing",
            "then ongoing process",
            "On-going",
            "continuous",
        ] {
            assert!(is_ongoing(w), "{w}");
        }
        for w in ["Quarterly", "April 2025", "going ahead"] {
            assert!(!is_ongoing(w), "{w}");
        }
    }
}
