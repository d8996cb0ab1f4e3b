//! The columns an action table shows: the author's choice (plan, else site),
//! with each heading settled and the columns empty on every row dropped unless
//! the author asked for them with `always: true`.

use crate::model::Labels;
use crate::model::columns::{ActionField, ColumnChoice};

/// A column to draw: its heading and the fields it shows, one under the other.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnPlan {
    /// Heading as printed.
    pub label: String,
    /// Fields shown in the column.
    pub fields: Vec<ActionField>,
}

/// The heading of a column: its own `label:`, else the plan's `labels:` for
/// the fields that have one there, else the field's usual heading.
pub fn heading(choice: &ColumnChoice, labels: &Labels) -> String {
    if let Some(l) = &choice.label {
        return l.clone();
    }
    choice
        .fields
        .iter()
        .map(|f| match f {
            ActionField::Objective => labels.objective.clone(),
            ActionField::Action => labels.action.clone(),
            ActionField::Leads => labels.lead.clone(),
            ActionField::Partners => labels.partners.clone(),
            other => other.heading().to_string(),
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The columns to draw, in the author's order. `filled(field)` says whether any
/// row has something in `field`; a column none of whose fields is filled is
/// dropped unless it says `always: true`.
pub fn plan_columns(
    choices: &[ColumnChoice],
    labels: &Labels,
    filled: impl Fn(ActionField) -> bool,
) -> Vec<ColumnPlan> {
    choices
        .iter()
        .filter(|c| c.always || c.fields.iter().any(|f| filled(*f)))
        .map(|c| ColumnPlan {
            label: heading(c, labels),
            fields: c.fields.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(fields: &[ActionField], label: Option<&str>, always: bool) -> ColumnChoice {
        ColumnChoice {
            fields: fields.to_vec(),
            label: label.map(String::from),
            always,
        }
    }

    #[test]
    fn empty_columns_are_dropped_unless_asked_for() {
        let choices = [
            choice(&[ActionField::Ref], None, false),
            choice(&[ActionField::Description], Some("Actions"), false),
            choice(&[ActionField::Deliverables], None, true),
            choice(&[ActionField::Timescale, ActionField::Leads], None, false),
        ];
        let filled = |f| matches!(f, ActionField::Description | ActionField::Leads);
        let cols = plan_columns(&choices, &Labels::default(), filled);
        let labels: Vec<&str> = cols.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["Actions", "Deliverables", "Timescale / Lead"]);
    }

    #[test]
    fn headings_follow_the_plans_labels() {
        let labels = Labels {
            lead: "Who's responsible".into(),
            objective: "Impact objective".into(),
            ..Labels::default()
        };
        assert_eq!(
            heading(&choice(&[ActionField::Leads], None, false), &labels),
            "Who's responsible"
        );
        assert_eq!(
            heading(&choice(&[ActionField::Objective], None, false), &labels),
            "Impact objective"
        );
        assert_eq!(
            heading(
                &choice(&[ActionField::Leads], Some("Owner"), false),
                &labels
            ),
            "Owner"
        );
    }
}
