//! Indicator status: RAG from actual against target, target met, direction of travel.
//!
//! Every status carries the rule that produced it, in words, so a reader can
//! see why an indicator is Amber without opening the YAML.

use crate::model::value::{format_number, natural_decimals};
use crate::model::{Calendar, Indicator, Period, Polarity, Rag, Unit};

/// How an indicator is assessed: calendar, tolerance and the last period to look at.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// The reporting calendar.
    pub calendar: Calendar,
    /// Tolerance used when an indicator sets none.
    pub default_tolerance: f64,
    /// Ignore figures for periods ending after this one (a pack's period).
    pub up_to: Option<Period>,
}

/// One actual assessed against its target.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The period of the actual.
    pub period: Period,
    /// The actual.
    pub actual: f64,
    /// The target it was compared with, and the period the target is for.
    pub target: Option<(Period, f64)>,
    /// RAG, when a target and polarity allow one.
    pub rag: Option<Rag>,
    /// Whether the target was met.
    pub met: Option<bool>,
    /// The rule in words ("Amber: 64.1% is 1.9 points below the 66% target, …").
    pub rule: String,
}

/// Direction of travel against the previous period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Better than the previous period.
    Improving,
    /// Worse than the previous period.
    Worsening,
    /// The same.
    NoChange,
    /// Higher, where the indicator does not say whether higher is better.
    Rose,
    /// Lower, where the indicator does not say whether higher is better.
    Fell,
}

impl Direction {
    /// Words for the page.
    pub fn label(self) -> &'static str {
        match self {
            Direction::Improving => "Improving",
            Direction::Worsening => "Worsening",
            Direction::NoChange => "No change",
            Direction::Rose => "Rose",
            Direction::Fell => "Fell",
        }
    }

    /// An arrow that does not rely on colour.
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Improving => "▲",
            Direction::Worsening => "▼",
            Direction::NoChange => "►",
            Direction::Rose => "↑",
            Direction::Fell => "↓",
        }
    }
}

/// Everything computed about an indicator.
#[derive(Debug, Clone)]
pub struct Status {
    /// Actuals in period order (up to `Rules::up_to`).
    pub actuals: Vec<(Period, f64)>,
    /// Targets in period order.
    pub targets: Vec<(Period, f64)>,
    /// Each actual assessed.
    pub assessments: Vec<Assessment>,
    /// The latest actual's assessment.
    pub latest: Option<Assessment>,
    /// Direction of the latest actual against the previous period's, with the rule.
    pub direction: Option<(Direction, String)>,
}

/// Format a value in the indicator's unit, or the disclosure marker when it must not be published.
pub fn show(ind: &Indicator, v: f64, decimals: usize) -> String {
    match &ind.disclosure {
        Some(d) if d.hides(v) => d.marker.clone(),
        _ => ind.unit.unwrap_or(Unit::Number).format(v, decimals),
    }
}

/// True when `v` must not be published for this indicator.
pub fn hidden(ind: &Indicator, v: f64) -> bool {
    ind.disclosure.as_ref().is_some_and(|d| d.hides(v))
}

/// Format a value as the author wrote it (its own decimals), unless the indicator sets `decimals`.
pub fn show_as_written(ind: &Indicator, v: f64) -> String {
    show(ind, v, ind.decimals.unwrap_or_else(|| natural_decimals(v)))
}

/// Compute the status of `ind` under `rules`.
pub fn assess(ind: &Indicator, rules: &Rules) -> Status {
    let cal = rules.calendar;
    let keep = |p: Period| {
        rules
            .up_to
            .is_none_or(|u| cal.end_index(p) <= cal.end_index(u))
    };
    let mut actuals: Vec<(Period, f64)> = ind
        .actuals
        .iter()
        .map(|(p, f)| (p.value, f.value))
        .filter(|(p, _)| keep(*p))
        .collect();
    actuals.sort_by_key(|(p, _)| cal.sort_key(*p));
    let mut targets: Vec<(Period, f64)> = ind
        .targets
        .iter()
        .map(|(p, f)| (p.value, f.value))
        .collect();
    targets.sort_by_key(|(p, _)| cal.sort_key(*p));
    let tolerance = ind.tolerance.unwrap_or(rules.default_tolerance);

    let assessments: Vec<Assessment> = actuals
        .iter()
        .map(|&(period, actual)| {
            let target = target_for(&targets, period, &cal);
            judge(ind, period, actual, target, tolerance)
        })
        .collect();
    let latest = assessments.last().cloned();
    let direction = latest.as_ref().and_then(|l| {
        let prev = cal.previous(l.period);
        let (_, before) = actuals.iter().find(|(p, _)| *p == prev)?;
        Some(direction(ind, prev, *before, l.period, l.actual))
    });
    Status {
        actuals,
        targets,
        assessments,
        latest,
        direction,
    }
}

/// The target that applies to `period`: its own, or its financial year's.
fn target_for(targets: &[(Period, f64)], period: Period, cal: &Calendar) -> Option<(Period, f64)> {
    if let Some(t) = targets.iter().find(|(p, _)| *p == period) {
        return Some(*t);
    }
    let year = cal.year_of(period);
    targets.iter().find(|(p, _)| *p == year).copied()
}

fn judge(
    ind: &Indicator,
    period: Period,
    actual: f64,
    target: Option<(Period, f64)>,
    tolerance: f64,
) -> Assessment {
    let unit = ind.unit.unwrap_or(Unit::Number);
    // Rule text shows each figure as written (or with the indicator's `decimals`).
    let nat = |v: f64| ind.decimals.unwrap_or_else(|| natural_decimals(v));
    let a = show(ind, actual, nat(actual));
    let Some((tperiod, t)) = target else {
        return Assessment {
            period,
            actual,
            target: None,
            rag: None,
            met: None,
            rule: format!("Not rated: no target is set for {period}"),
        };
    };
    let ts = show(ind, t, nat(t));
    // The difference is shown as precisely as the more precise of the two figures.
    let decimals = nat(actual).max(nat(t));
    let Some(polarity) = ind.polarity else {
        return Assessment {
            period,
            actual,
            target,
            rag: None,
            met: None,
            rule: format!(
                "Not rated: {a} against a {ts} target, but the indicator does not say whether higher or lower is better"
            ),
        };
    };
    // Positive shortfall = worse than target.
    let shortfall = match polarity {
        Polarity::HigherIsBetter => t - actual,
        Polarity::LowerIsBetter => actual - t,
    };
    let eps = 1e-9;
    let diff_word = unit.difference_word();
    let amount = |v: f64| {
        let n = format_number(v.abs(), decimals);
        match (unit, diff_word) {
            (Unit::Pounds | Unit::PoundsThousands, _) => unit.format(v.abs(), decimals),
            (_, "") => n,
            // "1 point", "1.5 points"
            (_, w) if n == "1" => format!("{n} {}", w.trim_end_matches('s')),
            (_, w) => format!("{n} {w}"),
        }
    };
    let (worse, better) = match polarity {
        Polarity::HigherIsBetter => ("below", "above"),
        Polarity::LowerIsBetter => ("above", "below"),
    };
    let target_name = if tperiod == period {
        format!("the {ts} target")
    } else {
        format!("the {ts} target for {tperiod}")
    };
    let tol_text = if tolerance > 0.0 {
        match diff_word {
            "" => format_number(tolerance, natural_decimals(tolerance)),
            w => format!(
                "{}-{}",
                format_number(tolerance, natural_decimals(tolerance)),
                w.trim_end_matches('s')
            ),
        }
    } else {
        String::new()
    };
    if hidden(ind, actual) {
        let (rag, met) = if shortfall <= eps {
            (Rag::Green, true)
        } else if tolerance > 0.0 && shortfall <= tolerance + eps {
            (Rag::Amber, false)
        } else {
            (Rag::Red, false)
        };
        return Assessment {
            period,
            actual,
            target,
            rag: Some(rag),
            met: Some(met),
            rule: format!(
                "{}: the figure for {period} is suppressed ({a}), so only its status against {target_name} is published",
                rag.name()
            ),
        };
    }
    let (rag, met, rule) = if shortfall <= eps {
        let rule = if shortfall.abs() <= eps {
            format!("Green: {a} meets {target_name} ({})", polarity.describe())
        } else {
            format!(
                "Green: {a} is {} {better} {target_name} ({})",
                amount(shortfall),
                polarity.describe()
            )
        };
        (Rag::Green, true, rule)
    } else if tolerance > 0.0 && shortfall <= tolerance + eps {
        (
            Rag::Amber,
            false,
            format!(
                "Amber: {a} is {} {worse} {target_name}, inside the {tol_text} tolerance",
                amount(shortfall)
            ),
        )
    } else {
        let why = if tolerance > 0.0 {
            format!("outside the {tol_text} tolerance")
        } else {
            "and no tolerance is set".to_string()
        };
        (
            Rag::Red,
            false,
            format!(
                "Red: {a} is {} {worse} {target_name}, {why}",
                amount(shortfall)
            ),
        )
    };
    Assessment {
        period,
        actual,
        target,
        rag: Some(rag),
        met: Some(met),
        rule,
    }
}

fn direction(
    ind: &Indicator,
    prev: Period,
    before: f64,
    period: Period,
    now: f64,
) -> (Direction, String) {
    let nat = |v: f64| ind.decimals.unwrap_or_else(|| natural_decimals(v));
    let from = show(ind, before, nat(before));
    let to = show(ind, now, nat(now));
    if hidden(ind, before) || hidden(ind, now) {
        return (
            Direction::NoChange,
            format!("Not compared: a figure for {prev} or {period} is suppressed"),
        );
    }
    let moved = if (now - before).abs() < 1e-9 {
        return (
            Direction::NoChange,
            format!("No change: {to} in {period}, as in {prev}"),
        );
    } else if now > before {
        "rose"
    } else {
        "fell"
    };
    let dir = match (ind.polarity, now > before) {
        (Some(Polarity::HigherIsBetter), true) | (Some(Polarity::LowerIsBetter), false) => {
            Direction::Improving
        }
        (Some(_), _) => Direction::Worsening,
        (None, up) => {
            return (
                if up { Direction::Rose } else { Direction::Fell },
                format!(
                    "{} from {from} in {prev} to {to} in {period} (the indicator does not say whether higher is better)",
                    if up { "Rose" } else { "Fell" }
                ),
            );
        }
    };
    (
        dir,
        format!(
            "{}: {moved} from {from} in {prev} to {to} in {period}",
            dir.label()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Figure, Located, OrderedMap, Pos};

    fn indicator(
        polarity: Polarity,
        actuals: &[(&str, f64)],
        targets: &[(&str, f64)],
    ) -> Indicator {
        let map = |v: &[(&str, f64)]| {
            OrderedMap(
                v.iter()
                    .map(|(p, x)| {
                        (
                            Located::new(p.parse().unwrap(), Pos::default(), None),
                            Figure {
                                value: *x,
                                note: None,
                            },
                        )
                    })
                    .collect(),
            )
        };
        let yaml = "title: t\nunit: '%'\n";
        let mut ind: Indicator = serde_saphyr::from_str(yaml).unwrap();
        ind.polarity = Some(polarity);
        ind.actuals = map(actuals);
        ind.targets = map(targets);
        ind
    }

    fn rules(tol: f64, up_to: Option<&str>) -> Rules {
        Rules {
            calendar: Calendar::default(),
            default_tolerance: tol,
            up_to: up_to.map(|p| p.parse().unwrap()),
        }
    }

    #[test]
    fn amber_inside_tolerance_says_why() {
        let ind = indicator(
            Polarity::HigherIsBetter,
            &[("2008/09 Q1", 64.1)],
            &[("2008/09", 66.0)],
        );
        let s = assess(&ind, &rules(2.0, None));
        let l = s.latest.unwrap();
        assert_eq!(l.rag, Some(Rag::Amber));
        assert_eq!(
            l.rule,
            "Amber: 64.1% is 1.9 points below the 66% target for 2008/09, inside the 2-point tolerance"
        );
    }

    #[test]
    fn green_and_red_by_polarity() {
        let ind = indicator(
            Polarity::HigherIsBetter,
            &[("2008/09 Q1", 67.5)],
            &[("2008/09", 66.0)],
        );
        let l = assess(&ind, &rules(0.0, None)).latest.unwrap();
        assert_eq!((l.rag, l.met), (Some(Rag::Green), Some(true)));
        let ind = indicator(
            Polarity::LowerIsBetter,
            &[("2006/07", 14.0)],
            &[("2006/07", 12.0)],
        );
        let l = assess(&ind, &rules(1.0, None)).latest.unwrap();
        assert_eq!(l.rag, Some(Rag::Red));
        assert!(l.rule.contains("2 points above"), "{}", l.rule);
    }

    #[test]
    fn later_figures_never_leak_into_earlier_periods() {
        let ind = indicator(
            Polarity::HigherIsBetter,
            &[("2008/09 Q1", 60.0), ("2008/09 Q2", 70.0)],
            &[("2008/09", 66.0)],
        );
        let s = assess(&ind, &rules(0.0, Some("2008/09 Q1")));
        assert_eq!(s.actuals.len(), 1);
        assert_eq!(s.latest.unwrap().rag, Some(Rag::Red));
        let s = assess(&ind, &rules(0.0, Some("2008/09 Q2")));
        assert_eq!(s.latest.unwrap().rag, Some(Rag::Green));
        let (dir, rule) = s.direction.unwrap();
        assert_eq!(dir, Direction::Improving);
        assert!(
            rule.contains("rose from 60% in 2008/09 Q1 to 70% in 2008/09 Q2"),
            "{rule}"
        );
    }

    #[test]
    fn no_target_is_not_rated() {
        let ind = indicator(
            Polarity::HigherIsBetter,
            &[("2005/06", 10.0)],
            &[("2006/07", 9.0)],
        );
        let l = assess(&ind, &rules(0.0, None)).latest.unwrap();
        assert_eq!(l.rag, None);
        assert_eq!(l.rule, "Not rated: no target is set for 2005/06");
    }
}
