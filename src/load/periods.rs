//! Figures written without periods, as board work plans state them ("Baseline
//! 80%, Target 95%"): the baseline is for the year before the plan, the target
//! for the plan's year (its last year, when it covers several).

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::model::{Indicator, Located, Objective, Period, Plan, Pos};

/// Give period-less baselines and targets the plan's periods; returns the rule
/// in words, for the plan's key, when any figure used it.
pub fn default_periods(plan: &mut Plan, file: &Path, diags: &mut Diagnostics) -> Option<String> {
    let years = plan.period.as_ref().map(|p| {
        let year = |p: Period| match p {
            Period::Year(y) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        };
        (Period::Year(year(p.from) - 1), Period::Year(year(p.to)))
    });
    let mut used = false;
    let mut each = |ind: &mut Indicator| fill(ind, years, file, diags, &mut used);
    for ind in &mut plan.indicators {
        each(ind);
    }
    fn walk(objs: &mut [Objective], f: &mut impl FnMut(&mut Indicator)) {
        for o in objs {
            for ind in &mut o.indicators {
                f(ind);
            }
            walk(&mut o.objectives, f);
        }
    }
    walk(&mut plan.objectives, &mut each);
    let (base, target) = years?;
    used.then(|| {
        format!(
            "Figures given without a period: a baseline is for {base} (the year before the plan) and a target for {target} (the plan's year)."
        )
    })
}

fn fill(
    ind: &mut Indicator,
    years: Option<(Period, Period)>,
    file: &Path,
    diags: &mut Diagnostics,
    used: &mut bool,
) {
    let missing = |diags: &mut Diagnostics, what: &str, pos| {
        diags.error_hint(
            file,
            Some(pos),
            format!(
                "indicator \"{}\": the {what} has no period and the plan has no `period:` to take it from",
                ind.title
            ),
            format!("give the {what} a period (e.g. `{{period: 2024/25, value: 80}}`), or give the plan `period: {{from: 2024/25, to: 2024/25}}`"),
        );
    };
    if let Some(b) = &mut ind.baseline
        && b.period_defaulted
    {
        match years {
            Some((base, _)) => {
                b.period = base;
                *used = true;
            }
            None => {
                let pos = match b.pos {
                    p if p != Pos::default() => p,
                    _ => ind.id.as_ref().map(|i| i.pos).unwrap_or_default(),
                };
                missing(diags, "baseline", pos)
            }
        }
    }
    if let Some(t) = ind.target.take() {
        match years {
            Some((_, year)) => {
                if let Some((p, _)) = ind.targets.iter().find(|(p, _)| p.value == year) {
                    diags.error_hint(
                        file,
                        Some(t.pos),
                        format!(
                            "indicator \"{}\" has both `target:` (for the plan's year, {year}) and a target for {year} under `targets:` (line {})",
                            ind.title, p.pos.line
                        ),
                        "keep one of them",
                    );
                } else {
                    ind.targets
                        .0
                        .push((Located::new(year, t.pos, None), t.value));
                    *used = true;
                }
            }
            None => missing(diags, "target", t.pos),
        }
    }
}
