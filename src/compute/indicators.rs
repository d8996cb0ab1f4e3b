//! Indicator status: RAG from actual against target, target met, direction of travel.
//!
//! Every status can say the rule that produced it, in words, so a reader can
//! see why an indicator is Amber without opening the YAML. The words are made
//! when a page shows them ([`Assessment::rule`], [`Travel::rule`]), not kept:
//! a build keeps every indicator's status (`super::facts`), and the sentences
//! were most of its size.

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
    /// The tolerance it was judged with: the indicator's, else the site's.
    /// With the indicator, this gives the rule in words ([`Assessment::rule`]).
    pub tolerance: f64,
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
    /// Direction of the latest actual against the previous period's
    /// ([`Travel::rule`] gives it in words).
    pub direction: Option<Travel>,
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
    let (rag, met) = match (target, ind.polarity) {
        (Some((_, t)), Some(polarity)) => {
            let (rag, met) = match shortfall(polarity, actual, t) {
                s if s <= EPS => (Rag::Green, true),
                s if tolerance > 0.0 && s <= tolerance + EPS => (Rag::Amber, false),
                _ => (Rag::Red, false),
            };
            (Some(rag), Some(met))
        }
        _ => (None, None),
    };
    Assessment {
        period,
        actual,
        target,
        rag,
        met,
        tolerance,
    }
}

/// How far `actual` falls short of `target`: positive is worse than target.
fn shortfall(polarity: Polarity, actual: f64, target: f64) -> f64 {
    match polarity {
        Polarity::HigherIsBetter => target - actual,
        Polarity::LowerIsBetter => actual - target,
    }
}

/// Differences this small are none.
const EPS: f64 = 1e-9;

impl Assessment {
    /// The rule in words ("Amber: 64.1% is 1.9 points below the 66% target,
    /// …"), for `ind`, the indicator this was assessed for. Made when a page
    /// shows it rather than kept with every assessment of the build.
    pub fn rule(&self, ind: &Indicator) -> String {
        let (period, actual, tolerance) = (self.period, self.actual, self.tolerance);
        let unit = ind.unit.unwrap_or(Unit::Number);
        // Rule text shows each figure as written (or with the indicator's `decimals`).
        let nat = |v: f64| ind.decimals.unwrap_or_else(|| natural_decimals(v));
        let a = show(ind, actual, nat(actual));
        let Some((tperiod, t)) = self.target else {
            return format!("Not rated: no target is set for {period}");
        };
        let ts = show(ind, t, nat(t));
        // The difference is shown as precisely as the more precise of the two figures.
        let decimals = nat(actual).max(nat(t));
        let (Some(polarity), Some(rag)) = (ind.polarity, self.rag) else {
            return format!(
                "Not rated: {a} against a {ts} target, but the indicator does not say whether higher or lower is better"
            );
        };
        let shortfall = shortfall(polarity, actual, t);
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
            return format!(
                "{}: the figure for {period} is suppressed ({a}), so only its status against {target_name} is published",
                rag.name()
            );
        }
        match rag {
            Rag::Green if shortfall.abs() <= EPS => {
                format!("Green: {a} meets {target_name} ({})", polarity.describe())
            }
            Rag::Green => format!(
                "Green: {a} is {} {better} {target_name} ({})",
                amount(shortfall),
                polarity.describe()
            ),
            Rag::Amber => format!(
                "Amber: {a} is {} {worse} {target_name}, inside the {tol_text} tolerance",
                amount(shortfall)
            ),
            _ => {
                let why = if tolerance > 0.0 {
                    format!("outside the {tol_text} tolerance")
                } else {
                    "and no tolerance is set".to_string()
                };
                format!(
                    "Red: {a} is {} {worse} {target_name}, {why}",
                    amount(shortfall)
                )
            }
        }
    }
}

/// The latest figure against the previous period's: the direction of travel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Travel {
    /// Which way it went.
    pub direction: Direction,
    /// The previous period and its figure.
    pub from: (Period, f64),
    /// The latest period and its figure.
    pub to: (Period, f64),
}

fn direction(ind: &Indicator, prev: Period, before: f64, period: Period, now: f64) -> Travel {
    let direction = if hidden(ind, before) || hidden(ind, now) || (now - before).abs() < EPS {
        Direction::NoChange
    } else {
        match (ind.polarity, now > before) {
            (Some(Polarity::HigherIsBetter), true) | (Some(Polarity::LowerIsBetter), false) => {
                Direction::Improving
            }
            (Some(_), _) => Direction::Worsening,
            (None, true) => Direction::Rose,
            (None, false) => Direction::Fell,
        }
    };
    Travel {
        direction,
        from: (prev, before),
        to: (period, now),
    }
}

impl Travel {
    /// The direction of travel in words ("Improving: rose from 60% in
    /// 2008/09 Q1 to 70% in 2008/09 Q2"), for `ind`, the indicator it was
    /// worked out for; made when a page shows it.
    pub fn rule(&self, ind: &Indicator) -> String {
        let ((prev, before), (period, now)) = (self.from, self.to);
        let nat = |v: f64| ind.decimals.unwrap_or_else(|| natural_decimals(v));
        let from = show(ind, before, nat(before));
        let to = show(ind, now, nat(now));
        if hidden(ind, before) || hidden(ind, now) {
            return format!("Not compared: a figure for {prev} or {period} is suppressed");
        }
        let moved = if now > before { "rose" } else { "fell" };
        match self.direction {
            Direction::NoChange => format!("No change: {to} in {period}, as in {prev}"),
            Direction::Rose | Direction::Fell => format!(
                "{} from {from} in {prev} to {to} in {period} (the indicator does not say whether higher is better)",
                self.direction.label()
            ),
            dir => format!(
                "{}: {moved} from {from} in {prev} to {to} in {period}",
                dir.label()
            ),
        }
    }
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
            l.rule(&ind),
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
        assert!(l.rule(&ind).contains("2 points above"), "{}", l.rule(&ind));
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
        let travel = s.direction.unwrap();
        let rule = travel.rule(&ind);
        assert_eq!(travel.direction, Direction::Improving);
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
        assert_eq!(l.rule(&ind), "Not rated: no target is set for 2005/06");
    }

    /// Every kind of rule sentence, for many units, polarities, tolerances
    /// and figures: the words a page shows, recorded when each assessment
    /// kept its sentence, so making them when shown must give the same.
    #[test]
    fn rule_sentences_made_when_shown_are_the_ones_kept_before() {
        let mut out = String::new();
        let units = [
            Unit::Percent,
            Unit::Count,
            Unit::Pounds,
            Unit::PoundsThousands,
            Unit::Days,
            Unit::Rate(10_000),
            Unit::Number,
        ];
        type Figures<'a> = &'a [(&'a str, f64)];
        let figures: [(Figures, Figures); 7] = [
            (
                &[("2008/09 Q1", 64.1), ("2008/09 Q2", 65.0)],
                &[("2008/09", 66.0)],
            ),
            (
                &[("2008/09 Q1", 1.0), ("2008/09 Q2", 3.25)],
                &[("2008/09 Q2", 2.0)],
            ),
            (
                &[("2008/09 Q1", 70.0), ("2008/09 Q2", 70.0)],
                &[("2008/09", 70.0)],
            ),
            (&[("2007/08", 12.0), ("2008/09", 9.5)], &[("2008/09", 10.0)]),
            (&[("2008/09 Q4", 3.0)], &[("2009/10", 4.0)]),
            (
                &[("2008/09 Q1", 2.0), ("2008/09 Q2", 65.0)],
                &[("2008/09", 66.0)],
            ),
            (&[("2008/09 Q3", 0.5)], &[("2008/09 Q3", 1.5)]),
        ];
        for unit in units {
            for polarity in [
                Some(Polarity::HigherIsBetter),
                Some(Polarity::LowerIsBetter),
                None,
            ] {
                for (actuals, targets) in figures {
                    for tol in [0.0, 1.0, 2.5] {
                        for disclose in [false, true] {
                            let mut ind = indicator(Polarity::HigherIsBetter, actuals, targets);
                            ind.polarity = polarity;
                            ind.unit = Some(unit);
                            if disclose {
                                ind.disclosure =
                                    serde_saphyr::from_str::<crate::model::Disclosure>(
                                        "threshold: 3\n",
                                    )
                                    .ok()
                                    .map(Into::into);
                            }
                            let s = assess(&ind, &rules(tol, None));
                            for a in &s.assessments {
                                out += &a.rule(&ind);
                                out.push('\n');
                            }
                            if let Some(travel) = &s.direction {
                                out += &travel.rule(&ind);
                                out.push('\n');
                            }
                        }
                    }
                }
            }
        }
        let digest = crate::hash::Fingerprint::new().field(out.as_bytes()).hex();
        assert_eq!(
            (out.lines().count(), digest.as_str()),
            (2142, "79d6e076840d5978b05adaef1d75fbc6"),
            "{out}"
        );
    }
}
