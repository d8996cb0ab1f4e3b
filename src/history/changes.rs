//! Comparing two versions of the plans: what a board most needs to notice.
//!
//! Actions are matched by their `ref` (else their title, else their
//! description), indicators by their site-wide id, deliverables by their
//! number within the action. The comparison lists items added and removed,
//! dates moved, targets changed, leads changed, wording changed and RAG
//! stated by hand; it says nothing about progress or figures, which the
//! pack's figure-based "changes since the previous pack" covers.

use serde::Serialize;

use super::words::{self, Piece};
use crate::compute::packs::action_now;
use crate::compute::{actions, each_action, each_indicator, indicator_id, indicators};
use crate::model::{Action, DateSpec, Indicator, Plan, Polarity, Rag};

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A whole plan added.
    PlanAdded,
    /// A whole plan removed.
    PlanRemoved,
    /// An action added.
    ActionAdded,
    /// An action removed.
    ActionRemoved,
    /// An indicator added.
    IndicatorAdded,
    /// An indicator removed.
    IndicatorRemoved,
    /// A target date or revised date moved, set or removed.
    DateMoved,
    /// An indicator's target changed.
    TargetChanged,
    /// A lead (or an indicator's data owner) changed.
    LeadChanged,
    /// A title, description or definition reworded.
    Reworded,
    /// A RAG stated by hand set, changed or removed.
    RagStated,
}

impl Kind {
    /// Words for a page.
    pub fn label(self) -> &'static str {
        match self {
            Kind::PlanAdded => "Plan added",
            Kind::PlanRemoved => "Plan removed",
            Kind::ActionAdded => "Action added",
            Kind::ActionRemoved => "Action removed",
            Kind::IndicatorAdded => "Indicator added",
            Kind::IndicatorRemoved => "Indicator removed",
            Kind::DateMoved => "Date moved",
            Kind::TargetChanged => "Target changed",
            Kind::LeadChanged => "Lead changed",
            Kind::Reworded => "Reworded",
            Kind::RagStated => "RAG stated",
        }
    }
}

/// One change between two versions of the plans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The plan's id.
    pub plan: String,
    /// The plan's title.
    pub plan_title: String,
    /// What kind of change.
    pub kind: Kind,
    /// The item changed (`Action 1.1 Domestic abuse`).
    pub item: String,
    /// What changed, in words (`target for 2008/09 lowered from 68% to 66% (less demanding)`).
    pub detail: String,
    /// For rewording: the words kept, deleted and inserted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<Piece>,
    /// Identity of the change, to find the commit that made it.
    #[serde(skip)]
    pub key: String,
    /// For a date: the action (by [`action_key`]) and deliverable number it belongs to.
    #[serde(skip)]
    pub slot: Option<Slot>,
}

/// A date that can move: an action's, or one of its deliverables' (numbered from 1).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    /// The action, by [`action_key`].
    pub action: String,
    /// The deliverable's number, or `None` for the action's own date.
    pub deliverable: Option<usize>,
}

/// The date an action or deliverable is due by: its revised date, else its target date.
pub fn due(action: &Action, deliverable: Option<usize>) -> Option<DateSpec> {
    match deliverable {
        None => {
            let a = action_now(action);
            a.revised_date.or(a.target_date)
        }
        Some(n) => action
            .deliverables
            .get(n.wrapping_sub(1))
            .and_then(|d| d.revised_date.or(d.target_date)),
    }
}

/// An action's identity within its plan: its ref, else its title, else its description.
pub fn action_key(a: &Action) -> String {
    if let Some(r) = &a.reference {
        return format!("ref:{}", r.value);
    }
    if let Some(t) = &a.title {
        return format!("title:{t}");
    }
    format!("text:{}", a.description.as_deref().unwrap_or(""))
}

fn shorten(t: &str) -> String {
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > 80 {
        let mut s: String = t.chars().take(78).collect();
        s.push('…');
        s
    } else {
        t
    }
}

/// `Action 1.1 Domestic abuse`.
pub fn action_name(a: &Action) -> String {
    let r = a.reference.as_ref().map(|r| r.value.as_str()).unwrap_or("");
    let t = shorten(
        a.title
            .as_deref()
            .or(a.description.as_deref())
            .unwrap_or(""),
    );
    match (r.is_empty(), t.is_empty()) {
        (false, false) => format!("Action {r} {t}"),
        (false, true) => format!("Action {r}"),
        _ => format!("Action {t}"),
    }
}

fn indicator_name(ind: &Indicator) -> String {
    match ind.code() {
        Some(c) => format!("Indicator {c} {}", shorten(&ind.title)),
        None => format!("Indicator {}", shorten(&ind.title)),
    }
}

fn actions_of(plan: &Plan) -> Vec<(String, &Action)> {
    let mut v = Vec::new();
    each_action(plan, &mut |a| v.push((action_key(a), a)));
    v
}

fn indicators_of(plan: &Plan) -> Vec<(String, &Indicator)> {
    let mut v = Vec::new();
    each_indicator(plan, &mut |i| v.push((indicator_id(plan, i), i)));
    v
}

/// Compare two versions of the plans (`None` where a side has no such plan).
///
/// Plans are matched by id; the order is that of `new`, then plans only in `old`.
pub fn compare(old: &[&Plan], new: &[&Plan]) -> Vec<Change> {
    let mut out = Vec::new();
    for p in new {
        let before = old.iter().find(|o| o.id.value == p.id.value).copied();
        compare_plan(before, Some(p), &mut out);
    }
    for o in old {
        if !new.iter().any(|p| p.id.value == o.id.value) {
            compare_plan(Some(o), None, &mut out);
        }
    }
    out
}

/// Compare two versions of one plan, appending the changes to `out`.
pub fn compare_plan(old: Option<&Plan>, new: Option<&Plan>, out: &mut Vec<Change>) {
    let (Some(o), Some(n)) = (old, new) else {
        if let Some(p) = old.or(new) {
            let added = new.is_some();
            out.push(Change {
                plan: p.id.value.clone(),
                plan_title: p.title.clone(),
                kind: if added {
                    Kind::PlanAdded
                } else {
                    Kind::PlanRemoved
                },
                item: format!("Plan {}", p.title),
                detail: if added { "plan added" } else { "plan removed" }.into(),
                words: Vec::new(),
                key: format!("plan|{}", p.id.value),
                slot: None,
            });
        }
        return;
    };
    let mut c = Collector { plan: n, out };
    let (oa, na) = (actions_of(o), actions_of(n));
    fn find<'p>(list: &[(String, &'p Action)], k: &str) -> Option<&'p Action> {
        list.iter().find(|(key, _)| key == k).map(|(_, a)| *a)
    }
    for (k, a) in &oa {
        if find(&na, k).is_none() {
            c.push(
                Kind::ActionRemoved,
                action_name(a),
                format!("action:{k}"),
                "removed from the plan".into(),
            );
        }
    }
    for (k, a) in &na {
        match find(&oa, k) {
            None => c.push(
                Kind::ActionAdded,
                action_name(a),
                format!("action:{k}"),
                "added to the plan".into(),
            ),
            Some(before) => c.action(k, before, a, o.as_at.or(n.as_at).map(|d| d.date)),
        }
    }
    let (oi, ni) = (indicators_of(o), indicators_of(n));
    for (k, i) in &oi {
        if !ni.iter().any(|(key, _)| key == k) {
            c.push(
                Kind::IndicatorRemoved,
                indicator_name(i),
                format!("indicator:{k}"),
                "removed from the plan".into(),
            );
        }
    }
    for (k, i) in &ni {
        match oi.iter().find(|(key, _)| key == k) {
            None => c.push(
                Kind::IndicatorAdded,
                indicator_name(i),
                format!("indicator:{k}"),
                "added to the plan".into(),
            ),
            Some((_, before)) => c.indicator(k, before, i),
        }
    }
}

struct Collector<'a> {
    plan: &'a Plan,
    out: &'a mut Vec<Change>,
}

impl Collector<'_> {
    fn push(&mut self, kind: Kind, item: String, key: String, detail: String) {
        self.out.push(Change {
            plan: self.plan.id.value.clone(),
            plan_title: self.plan.title.clone(),
            kind,
            item,
            detail,
            words: Vec::new(),
            key: format!("{}|{:?}|{key}", self.plan.id.value, kind),
            slot: None,
        });
    }

    /// A date that may have moved: `what` is `target date` or `revised date`.
    fn date(
        &mut self,
        item: &str,
        key: String,
        slot: Slot,
        what: &str,
        old: Option<DateSpec>,
        new: Option<DateSpec>,
    ) {
        if old == new {
            return;
        }
        let detail = match (old, new) {
            (Some(a), Some(b)) => format!(
                "{what} moved {} from {} to {}",
                if b.date > a.date { "later" } else { "earlier" },
                a,
                b
            ),
            (None, Some(b)) => format!("{what} set: {b}"),
            (Some(a), None) => format!("{what} removed (was {a})"),
            (None, None) => return,
        };
        self.push(Kind::DateMoved, item.to_string(), key, detail);
        if let Some(last) = self.out.last_mut() {
            last.slot = Some(slot);
        }
    }

    fn reworded(
        &mut self,
        item: &str,
        key: String,
        what: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) {
        let (a, b) = (old.unwrap_or(""), new.unwrap_or(""));
        if !words::reworded(a, b) {
            return;
        }
        let detail = match (a.trim().is_empty(), b.trim().is_empty()) {
            (true, _) => format!("{what} added"),
            (_, true) => format!("{what} removed"),
            _ => format!("{what} reworded"),
        };
        self.push(Kind::Reworded, item.to_string(), key, detail);
        if let Some(last) = self.out.last_mut() {
            last.words = words::diff(a, b);
        }
    }

    fn rag(
        &mut self,
        item: &str,
        key: String,
        old: Option<Rag>,
        new: Option<Rag>,
        computed: Option<(Rag, String)>,
    ) {
        if old == new {
            return;
        }
        let over = |r: Rag| match &computed {
            Some((c, rule)) if *c != r => {
                format!(", overriding the computed {} ({rule})", c.name())
            }
            _ => String::new(),
        };
        let detail = match (old, new) {
            (None, Some(r)) => format!("RAG stated as {}{}", r.name(), over(r)),
            (Some(a), Some(b)) => format!(
                "stated RAG changed from {} to {}{}",
                a.name(),
                b.name(),
                over(b)
            ),
            (Some(a), None) => format!(
                "stated RAG {} removed: the status is now computed",
                a.name()
            ),
            (None, None) => return,
        };
        self.push(Kind::RagStated, item.to_string(), key, detail);
    }

    fn action(&mut self, k: &str, o: &Action, n: &Action, as_at: Option<jiff::civil::Date>) {
        let name = action_name(n);
        let key = |what: &str| format!("action:{k}|{what}");
        let slot = |d: Option<usize>| Slot {
            action: k.to_string(),
            deliverable: d,
        };
        self.date(
            &name,
            key("target"),
            slot(None),
            "target date",
            o.target_date,
            n.target_date,
        );
        let (on, nn) = (action_now(o), action_now(n));
        self.date(
            &name,
            key("revised"),
            slot(None),
            "revised date",
            on.revised_date,
            nn.revised_date,
        );
        for (i, (d0, d1)) in o.deliverables.iter().zip(&n.deliverables).enumerate() {
            let what = format!("deliverable {}", i + 1);
            self.date(
                &name,
                key(&format!("d{}|target", i + 1)),
                slot(Some(i + 1)),
                &format!("{what}: target date"),
                d0.target_date,
                d1.target_date,
            );
            self.date(
                &name,
                key(&format!("d{}|revised", i + 1)),
                slot(Some(i + 1)),
                &format!("{what}: revised date"),
                d0.revised_date,
                d1.revised_date,
            );
        }
        if o.leads != n.leads {
            let list = |l: &[String]| {
                if l.is_empty() {
                    "no lead".to_string()
                } else {
                    l.join(", ")
                }
            };
            self.push(
                Kind::LeadChanged,
                name.clone(),
                key("lead"),
                format!("lead changed from {} to {}", list(&o.leads), list(&n.leads)),
            );
        }
        self.reworded(
            &name,
            key("title"),
            "title",
            o.title.as_deref(),
            n.title.as_deref(),
        );
        self.reworded(
            &name,
            key("description"),
            "description",
            o.description.as_deref(),
            n.description.as_deref(),
        );
        let computed = {
            let mut bare = n.clone();
            bare.rag = None;
            actions::assess(&bare, as_at)
                .rag
                .map(|(r, _, rule)| (r, rule))
        };
        self.rag(&name, key("rag"), o.rag, n.rag, computed);
    }

    fn indicator(&mut self, k: &str, o: &Indicator, n: &Indicator) {
        let name = indicator_name(n);
        let key = |what: &str| format!("indicator:{k}|{what}");
        let mut periods: Vec<_> = o
            .targets
            .iter()
            .chain(n.targets.iter())
            .map(|(p, _)| p.value)
            .collect();
        periods.dedup();
        let mut seen = Vec::new();
        for p in periods {
            if seen.contains(&p) {
                continue;
            }
            seen.push(p);
            let get = |ind: &Indicator| {
                ind.targets
                    .iter()
                    .find(|(q, _)| q.value == p)
                    .map(|(_, f)| f.value)
            };
            let (a, b) = (get(o), get(n));
            let detail = match (a, b) {
                (Some(a), Some(b)) if a != b => target_words(n, p, a, b),
                (None, Some(b)) => format!(
                    "target for {p} set at {}",
                    indicators::show_as_written(n, b)
                ),
                (Some(a), None) => format!(
                    "target for {p} removed (was {})",
                    indicators::show_as_written(o, a)
                ),
                _ => continue,
            };
            self.push(
                Kind::TargetChanged,
                name.clone(),
                key(&format!("target|{p}")),
                detail,
            );
        }
        if words::reworded(
            o.target_text.as_deref().unwrap_or(""),
            n.target_text.as_deref().unwrap_or(""),
        ) {
            let w = |t: &Option<String>| t.clone().unwrap_or_else(|| "none".into());
            self.push(
                Kind::TargetChanged,
                name.clone(),
                key("target_text"),
                format!(
                    "target in words changed from “{}” to “{}”",
                    w(&o.target_text),
                    w(&n.target_text)
                ),
            );
        }
        if o.data_owner != n.data_owner {
            let w = |t: &Option<String>| t.clone().unwrap_or_else(|| "no one".into());
            self.push(
                Kind::LeadChanged,
                name.clone(),
                key("lead"),
                format!(
                    "data owner changed from {} to {}",
                    w(&o.data_owner),
                    w(&n.data_owner)
                ),
            );
        }
        self.reworded(&name, key("title"), "title", Some(&o.title), Some(&n.title));
        self.reworded(
            &name,
            key("definition"),
            "definition",
            o.definition.as_deref(),
            n.definition.as_deref(),
        );
        self.rag(&name, key("rag"), o.rag, n.rag, None);
    }
}

/// "target for 2008/09 lowered from 68% to 66% (less demanding)": lowered or
/// raised is about the number; whether that asks more or less follows the polarity.
pub fn target_words(ind: &Indicator, p: crate::model::Period, a: f64, b: f64) -> String {
    let lowered = b < a;
    let demand = match (ind.polarity, lowered) {
        (Some(Polarity::HigherIsBetter), true) | (Some(Polarity::LowerIsBetter), false) => {
            " (less demanding)"
        }
        (Some(Polarity::HigherIsBetter), false) | (Some(Polarity::LowerIsBetter), true) => {
            " (more demanding)"
        }
        (None, _) => "",
    };
    format!(
        "target for {p} {} from {} to {}{demand}",
        if lowered { "lowered" } else { "raised" },
        indicators::show_as_written(ind, a),
        indicators::show_as_written(ind, b)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(yaml: &str) -> Plan {
        serde_saphyr::from_str(yaml).unwrap()
    }

    const OLD: &str = "id: p\ntitle: P\nkind: k\nindicators:\n  - id: i\n    title: Share\n    unit: '%'\n    polarity: lower_is_better\n    targets: {2008/09: 68}\nactions:\n  - ref: '1'\n    description: Reduce the backlog\n    leads: [A]\n    target_date: 2016-03\n  - ref: '2'\n    description: Gone\n";
    const NEW: &str = "id: p\ntitle: P\nkind: k\nindicators:\n  - id: i\n    title: Share\n    unit: '%'\n    polarity: lower_is_better\n    targets: {2008/09: 66}\nactions:\n  - ref: '1'\n    description: Aim to reduce the backlog\n    leads: [B]\n    target_date: 2016-06\n    rag: green\n";

    #[test]
    fn each_kind_of_change_is_found() {
        let (o, n) = (plan(OLD), plan(NEW));
        let c = compare(&[&o], &[&n]);
        let got: Vec<(Kind, String)> = c.iter().map(|c| (c.kind, c.detail.clone())).collect();
        assert_eq!(
            got,
            vec![
                (Kind::ActionRemoved, "removed from the plan".into()),
                (
                    Kind::DateMoved,
                    "target date moved later from Mar 2016 to Jun 2016".into()
                ),
                (Kind::LeadChanged, "lead changed from A to B".into()),
                (Kind::Reworded, "description reworded".into()),
                (Kind::RagStated, "RAG stated as Green".into()),
                (
                    Kind::TargetChanged,
                    "target for 2008/09 lowered from 68% to 66% (more demanding)".into()
                ),
            ]
        );
        assert_eq!(
            words::to_text(&c[3].words),
            "[-Reduce-] {+Aim to reduce+} the backlog"
        );
    }
}
