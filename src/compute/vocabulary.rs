//! Status words as authors write them in progress notes, deliverables and
//! timescales ("Achieved", "On going", "Not started"), and the action states
//! they stand for.

use crate::model::ActionStatus;

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

#[cfg(test)]
mod tests {
    use super::*;

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
