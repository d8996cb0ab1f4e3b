//! What is worked out once per build and shared by every page that shows it:
//! each indicator's assessment (at the plan's own date, and at the period of
//! each pack that shows it) and each table's derived columns and total.
//!
//! Before this, an indicator was assessed on every page that showed it (its
//! plan page, its own page, its charts, the site's indicator list, the
//! status counts, each pack): about six times a build. Render now only looks
//! the results up here.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::indicators::{self, Rules, Status};
use super::tables::Computed;
use super::{each_indicator, tables};
use crate::diagnostics::Diagnostics;
use crate::model::{Indicator, Period, Site, Table};

/// Indicator assessments made in this process: a count for tests that
/// check each is made once per build, not once per page.
static ASSESSMENTS: AtomicUsize = AtomicUsize::new(0);

/// How many indicator assessments this process has made so far.
pub fn assessments_made() -> usize {
    ASSESSMENTS.load(Ordering::Relaxed)
}

/// Assess `ind` under `rules`, counted.
fn assess(ind: &Indicator, rules: &Rules) -> Status {
    ASSESSMENTS.fetch_add(1, Ordering::Relaxed);
    indicators::assess(ind, rules)
}

/// An indicator or table is known by where it lies in the loaded site, which
/// does not move while the site is borrowed (`'a`).
type Addr = usize;

fn addr<T>(x: &T) -> Addr {
    x as *const T as Addr
}

/// The results computed once for one loaded site.
#[derive(Debug, Default)]
pub struct Facts<'a> {
    /// Where each indicator's status is in `statuses`, by (indicator, the
    /// last period looked at: `None` for the plan's own date, a pack's period
    /// for that pack). The statuses are kept apart from the table, so a table
    /// with room to grow holds small entries (60,000 statuses at 5,000 plans).
    indicators: HashMap<(Addr, Option<Period>), u32>,
    /// The statuses, each once.
    statuses: Vec<Status>,
    /// Each table's derived columns and total.
    tables: HashMap<Addr, Computed>,
    site: PhantomData<&'a Site>,
}

impl<'a> Facts<'a> {
    /// Work out every indicator's status for `site`: at each plan's own
    /// date, and at the period of every pack that shows the plan (and of the
    /// pack it is compared with). Plans are worked on in parallel; only the
    /// plans marked `sound` (their figures passed validation), so that a
    /// figure validation refuses is never worked with.
    pub fn new(site: &'a Site, sound: &[bool]) -> Facts<'a> {
        let rules = Rules {
            calendar: site.config.calendar,
            default_tolerance: site.config.tolerance.unwrap_or(0.0),
            up_to: None,
        };
        // The periods each plan is shown at in packs: the pack's own, and
        // that of the latest earlier pack for the same board, which it is compared with.
        let mut periods: HashMap<&str, BTreeSet<Period>> = HashMap::new();
        let mut last_of_board: HashMap<&str, Period> = HashMap::new();
        for lp in &site.packs {
            let pack = &lp.pack;
            let previous = last_of_board.insert(pack.board.as_str(), pack.period.value);
            for id in &pack.plans {
                let set = periods.entry(id.value.as_str()).or_default();
                set.insert(pack.period.value);
                set.extend(previous);
            }
        }
        let statuses: Vec<((Addr, Option<Period>), Status)> = site
            .plans
            .par_iter()
            .zip(sound)
            .filter(|(_, ok)| **ok)
            .flat_map_iter(|(lp, _)| {
                let mut out = Vec::new();
                let at: Vec<Option<Period>> = std::iter::once(None)
                    .chain(
                        periods
                            .get(lp.plan.id.value.as_str())
                            .into_iter()
                            .flatten()
                            .map(|p| Some(*p)),
                    )
                    .collect();
                each_indicator(&lp.plan, &mut |ind| {
                    for up_to in &at {
                        let r = Rules {
                            up_to: *up_to,
                            ..rules
                        };
                        out.push(((addr(ind), *up_to), assess(ind, &r)));
                    }
                });
                out
            })
            .collect();
        let mut indicators = HashMap::with_capacity(statuses.len());
        let statuses = statuses
            .into_iter()
            .enumerate()
            .map(|(i, (key, status))| {
                indicators.insert(key, i as u32);
                status
            })
            .collect();
        Facts {
            indicators,
            statuses,
            tables: HashMap::new(),
            site: PhantomData,
        }
    }

    /// The status of `ind` under `rules`: the one worked out for the build,
    /// or (for an indicator or period the build did not foresee) worked out now.
    pub fn indicator(&self, ind: &Indicator, rules: &Rules) -> Cow<'_, Status> {
        match self.indicators.get(&(addr(ind), rules.up_to)) {
            Some(&i) => Cow::Borrowed(&self.statuses[i as usize]),
            None => Cow::Owned(assess(ind, rules)),
        }
    }

    /// Keep `computed` as `table`'s derived columns and total.
    pub fn keep_table(&mut self, table: &'a Table, computed: Computed) {
        self.tables.insert(addr(table), computed);
    }

    /// `table`'s derived columns and total: those worked out when it was
    /// validated, or (a table the build did not validate) worked out now.
    pub fn table(&self, table: &Table, yaml: &std::path::Path) -> Cow<'_, Computed> {
        match self.tables.get(&addr(table)) {
            Some(c) => Cow::Borrowed(c),
            // Problems with the table were reported when it was validated.
            None => Cow::Owned(tables::compute(table, yaml, &mut Diagnostics::new())),
        }
    }

    /// How many indicator statuses were worked out for the build.
    pub fn indicator_count(&self) -> usize {
        self.indicators.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_looked_up_not_worked_out_again() {
        let yaml = "id: p\ntitle: P\nkind: k\nindicators:\n  - id: i\n    title: Share\n    unit: '%'\n    polarity: higher_is_better\n    targets: {2008/09: 66}\n    actuals: {2008/09 Q1: 60, 2008/09 Q2: 70}\n";
        let mut d = Diagnostics::new();
        let mut snap = crate::load::source::Snapshot::new();
        snap.insert(
            "content/site.yaml".into(),
            b"title: T\norganisation: O\n".to_vec(),
        );
        snap.insert("content/plans/p/plan.yaml".into(), yaml.as_bytes().to_vec());
        let site = crate::load::load_site_from(&crate::load::source::Source::Memory(&snap), &mut d)
            .unwrap_or_else(|| panic!("{}", d.render()));
        let facts = Facts::new(&site, &[true]);
        assert_eq!(facts.indicator_count(), 1);
        let ind = &site.plans[0].plan.indicators[0];
        let rules = Rules {
            calendar: site.config.calendar,
            default_tolerance: 0.0,
            up_to: None,
        };
        assert!(matches!(facts.indicator(ind, &rules), Cow::Borrowed(_)));
        let q1 = Rules {
            up_to: Some("2008/09 Q1".parse().unwrap()),
            ..rules
        };
        // A period no pack asked for is worked out when asked.
        let s = facts.indicator(ind, &q1);
        assert!(matches!(s, Cow::Owned(_)));
        assert_eq!(s.actuals.len(), 1);
    }
}
