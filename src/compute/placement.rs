//! "Defined but not shown": parts of a plan that load without error but that
//! no page of the plan places, so a reader would never see them.
//!
//! The plan page shows only what its sections place: `include:` words
//! (objectives, actions, indicators, risks, key figures), `tables:` and chart
//! shortcodes in a section's text. The appendix places every action. A common
//! way to get here is valid YAML in the wrong place: an objective's
//! `indicators:` outdented to column 0 becomes plan-level indicators, which
//! only a section with `include: [indicators]` shows.

use crate::diagnostics::Diagnostics;
use crate::model::{Include, LoadedPlan, Pos, Section};

/// What the plan's sections place.
#[derive(Default)]
struct Placed {
    includes: Vec<Include>,
    tables: Vec<String>,
    text: String,
}

fn walk(sections: &[Section], p: &mut Placed) {
    for s in sections {
        p.includes.extend(s.include.iter().copied());
        p.tables.extend(s.tables.iter().map(|t| t.value.clone()));
        if let Some(b) = &s.body {
            p.text.push_str(&b.value);
            p.text.push('\n');
        }
        walk(&s.sections, p);
    }
}

/// True when a chart shortcode in the sections' text names `key="id"`.
fn shortcode_names(text: &str, key: &str, id: &str) -> bool {
    [format!("{key}=\"{id}\""), format!("{key}='{id}'")]
        .iter()
        .any(|n| text.contains(n.as_str()))
}

/// Where a top-level key (`indicators:` at column 1) is written in the plan's YAML.
fn top_level(sources: &Diagnostics, lp: &LoadedPlan, key: &str) -> Option<Pos> {
    let text = sources.source(&lp.file)?;
    text.lines().enumerate().find_map(|(i, l)| {
        (l.strip_prefix(key)?.starts_with(':')).then_some(Pos {
            line: i + 1,
            column: 1,
        })
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Warn, into `diags`, about every part of `lp` that no page of the plan
/// shows; `sources` holds the plan file's text, to point at its top-level keys.
pub fn check(lp: &LoadedPlan, sources: &Diagnostics, diags: &mut Diagnostics) {
    let plan = &lp.plan;
    let mut placed = Placed::default();
    walk(&plan.sections, &mut placed);
    let has = |i: Include| placed.includes.contains(&i);
    let file = &lp.file;

    let unshown: Vec<&str> = plan
        .indicators
        .iter()
        .filter(|ind| {
            let id = super::indicator_id(plan, ind);
            !shortcode_names(&placed.text, "indicator", &id)
        })
        .map(|ind| ind.title.as_str())
        .collect();
    if !unshown.is_empty() && !has(Include::Indicators) {
        let pos = top_level(sources, lp, "indicators")
            .or_else(|| plan.indicators[0].id.as_ref().map(|i| i.pos));
        diags.warning_hint(
            file,
            pos,
            format!(
                "{} at the top level of the plan ({}) {} not shown on the plan page: no section includes `indicators`",
                plural(unshown.len(), "indicator", "indicators"),
                unshown.join("; "),
                if unshown.len() == 1 { "is" } else { "are" },
            ),
            "if they measure an objective, indent `indicators:` under that objective; otherwise add `indicators` to a section's `include:`",
        );
    }

    if !plan.actions.is_empty() && !has(Include::Actions) && plan.appendix.is_none() {
        let pos = top_level(sources, lp, "actions")
            .or_else(|| plan.actions[0].reference.as_ref().map(|r| r.pos));
        diags.warning_hint(
            file,
            pos,
            format!(
                "{} at the top level of the plan {} not shown on any page: no section includes `actions` and the plan has no appendix",
                plural(plan.actions.len(), "action", "actions"),
                if plan.actions.len() == 1 { "is" } else { "are" },
            ),
            "if they belong to an objective, indent `actions:` under it; otherwise add `actions` to a section's `include:`",
        );
    }

    if !plan.objectives.is_empty() && !has(Include::Objectives) {
        let pos = top_level(sources, lp, "objectives");
        if plan.appendix.is_none() {
            diags.warning_hint(
                file,
                pos,
                format!(
                    "{} not shown on any page: no section includes `objectives` and the plan has no appendix",
                    plural(plan.objectives.len(), "objective is", "objectives are"),
                ),
                "add `objectives` to a section's `include:`",
            );
        } else {
            // The appendix shows the objectives' actions, not their indicators.
            fn count(objs: &[crate::model::Objective]) -> usize {
                objs.iter()
                    .map(|o| o.indicators.len() + count(&o.objectives))
                    .sum()
            }
            let n = count(&plan.objectives);
            if n > 0 {
                diags.warning_hint(
                    file,
                    pos,
                    format!(
                        "{} under objectives {} not shown on the plan page: no section includes `objectives`, and the appendix shows only actions",
                        plural(n, "indicator", "indicators"),
                        if n == 1 { "is" } else { "are" },
                    ),
                    "add `objectives` to a section's `include:`",
                );
            }
        }
    }

    for t in &plan.tables {
        if !placed.tables.contains(&t.id.value)
            && !shortcode_names(&placed.text, "table", &t.id.value)
        {
            diags.warning_hint(
                file,
                Some(t.id.pos),
                format!(
                    "table `{}` is not shown on any page: no section lists it",
                    t.id.value
                ),
                format!(
                    "add `tables: [{}]` to the section it belongs in",
                    t.id.value
                ),
            );
        }
    }

    for (words, items, include) in [
        ("risks", plan.risks.len(), Include::Risks),
        ("key_figures", plan.key_figures.len(), Include::KeyFigures),
    ] {
        if items > 0 && !has(include) {
            diags.warning_hint(
                file,
                top_level(sources, lp, words),
                format!(
                    "the plan's `{words}` are not shown on any page: no section includes `{words}`"
                ),
                format!("add `{words}` to a section's `include:`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shortcode_places_what_it_names() {
        assert!(shortcode_names(
            "{{ chart(indicator=\"ni-63\") }}",
            "indicator",
            "ni-63"
        ));
        assert!(shortcode_names(
            "{{ chart(table='budget') }}",
            "table",
            "budget"
        ));
        assert!(!shortcode_names(
            "{{ chart(indicator=\"ni-630\") }}",
            "indicator",
            "ni-63"
        ));
    }
}
