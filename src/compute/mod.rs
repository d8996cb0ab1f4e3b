//! Stage 2: compute what the content implies (indicator RAG, action status,
//! table totals) and check what cannot be checked while parsing
//! (references between things, totals that disagree, figures out of range).

pub mod actions;
pub mod columns;
pub mod facts;
pub mod indicators;
pub mod lint;
pub mod packs;
pub mod placement;
pub mod sanity;
pub mod shortcodes;
pub mod tables;
pub mod vocabulary;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diagnostics::{Diagnostics, suggest};
use crate::model::{Action, Include, Indicator, LoadedPlan, Objective, Plan, Section, Site, Unit};

/// A URL- and file-safe slug: lower-case letters, digits and single hyphens.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The site-wide id of an indicator: its `id`, else its first code, else plan id + ref
/// (or title).
///
/// A derived id always follows the identifier rule ([`crate::model::ident`]): it is
/// built from slugs, a code whose slug is not a valid id is passed over, and a
/// long one is cut to the limit. An explicit `id` was checked when the plan was loaded.
pub fn indicator_id(plan: &Plan, ind: &Indicator) -> String {
    use crate::model::ident;
    if let Some(id) = &ind.id {
        return id.value.clone();
    }
    if let Some(code) = ind
        .codes
        .first()
        .map(|c| slug(c))
        .filter(|c| ident::is_valid(c))
    {
        return code;
    }
    let r = ind
        .reference
        .as_deref()
        .map(slug)
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| slug(&ind.title));
    let id = match r.is_empty() {
        true => format!("{}-indicator", plan.id.value),
        false => format!("{}-{r}", plan.id.value),
    };
    if id.chars().count() <= ident::MAX_ID_CHARS {
        return id;
    }
    let cut: String = id.chars().take(ident::MAX_ID_CHARS).collect();
    cut.trim_end_matches('-').to_string()
}

/// Visit every indicator of a plan, plan-level first, then objectives in order.
pub fn each_indicator<'a>(plan: &'a Plan, f: &mut impl FnMut(&'a Indicator)) {
    fn walk<'a>(objs: &'a [Objective], f: &mut impl FnMut(&'a Indicator)) {
        for o in objs {
            o.indicators.iter().for_each(&mut *f);
            walk(&o.objectives, f);
        }
    }
    plan.indicators.iter().for_each(&mut *f);
    walk(&plan.objectives, f);
}

/// Visit every action of a plan, plan-level first, then objectives in order.
pub fn each_action<'a>(plan: &'a Plan, f: &mut impl FnMut(&'a Action)) {
    fn walk<'a>(objs: &'a [Objective], f: &mut impl FnMut(&'a Action)) {
        for o in objs {
            o.actions.iter().for_each(&mut *f);
            walk(&o.objectives, f);
        }
    }
    plan.actions.iter().for_each(&mut *f);
    walk(&plan.objectives, f);
}

/// Check the loaded site for problems that span fields and files, and
/// work out what every page shares ([`facts::Facts`]) on the way.
pub fn validate<'a>(site: &'a Site, diags: &mut Diagnostics) -> facts::Facts<'a> {
    let errors_at_start = diags.error_count();
    let mut computed_tables = Vec::new();
    // Plans without errors of their own: only these are assessed and linted.
    let mut sound = Vec::with_capacity(site.plans.len());
    crate::limits::check_site(site, diags);
    let plan_ids: Vec<&str> = site
        .plans
        .iter()
        .map(|p| p.plan.id.value.as_str())
        .collect();
    let known: std::collections::HashSet<&str> = plan_ids.iter().copied().collect();
    for lp in &site.packs {
        for id in &lp.pack.plans {
            if !known.contains(id.value.as_str()) {
                let hint = suggest(&id.value, plan_ids.iter().copied())
                    .map(|k| format!("did you mean `{k}`?"))
                    .unwrap_or_else(|| format!("the plans are: {}", plan_ids.join(", ")));
                diags.error_hint(
                    &lp.file,
                    Some(id.pos),
                    format!("unknown plan `{}`", id.value),
                    hint,
                );
            }
        }
    }
    validate_site_numbers(site, diags);
    let mut indicator_ids: BTreeMap<String, &Path> = BTreeMap::new();
    let band_keys: BTreeMap<&str, &crate::model::BandKey> = site
        .config
        .keys
        .bands
        .iter()
        .map(|b| (b.id.value.as_str(), b))
        .collect();
    let priorities: Vec<&str> = site
        .config
        .keys
        .priority
        .iter()
        .map(|p| p.name.as_str())
        .collect();

    // Each plan's own checks, in parallel: what they found, its tables'
    // totals, and its indicators' site-wide ids (checked across plans below).
    use rayon::prelude::*;
    let own: Vec<(Diagnostics, PlanChecked<'_>)> = site
        .plans
        .par_iter()
        .map(|lp| {
            let mut found = Diagnostics::new();
            let checked = check_plan(lp, &band_keys, &priorities, &mut found);
            (found, checked)
        })
        .collect();
    for (lp, (found, checked)) in site.plans.iter().zip(own) {
        let file = lp.file.as_path();
        let mut ok = !found.has_errors();
        diags.extend(found);
        computed_tables.extend(checked.tables);
        for (id, pos) in checked.indicator_ids {
            if let Some(first) = indicator_ids.insert(id.clone(), file) {
                ok = false;
                diags.error_hint(
                    file,
                    pos,
                    format!("indicator id `{id}` is already used in {}", first.display()),
                    "give one of them a different `id:`",
                );
            }
        }
        sound.push(ok);
    }
    // Data-quality warnings about a plan with errors would only repeat them.
    let sources: &Diagnostics = diags;
    let placed = on_sound_plans(site, &sound, |lp, found| {
        placement::check(lp, sources, found)
    });
    for found in placed {
        diags.extend(found);
    }
    let mut facts = match diags.error_count() == errors_at_start {
        true => facts::Facts::new(site, &sound),
        false => facts::Facts::default(),
    };
    for (t, computed) in computed_tables {
        facts.keep_table(t, computed);
    }
    // Each plan's data-quality warnings are its own: plans are linted in parallel.
    let linted = on_sound_plans(site, &sound, |lp, found| {
        lint::lint_plan(site, lp, &facts, found)
    });
    for found in linted {
        diags.extend(found);
    }
    sanity::check(site, diags);
    facts
}

/// Run `check` on each plan `sound` marks (one flag a plan), in parallel,
/// each into diagnostics of its own; what each found, in plan order.
fn on_sound_plans(
    site: &Site,
    sound: &[bool],
    check: impl Fn(&LoadedPlan, &mut Diagnostics) + Sync,
) -> Vec<Diagnostics> {
    use rayon::prelude::*;
    site.plans
        .par_iter()
        .zip(sound)
        .filter(|(_, ok)| **ok)
        .map(|(lp, _)| {
            let mut found = Diagnostics::new();
            check(lp, &mut found);
            found
        })
        .collect()
}

/// What one plan's own checks give beside their diagnostics.
struct PlanChecked<'a> {
    /// Its tables, each with its totals.
    tables: Vec<(&'a crate::model::Table, tables::Computed)>,
    /// Its indicators' site-wide ids, with where each `id:` is written,
    /// for the check that no two plans share one.
    indicator_ids: Vec<(String, Option<crate::model::Pos>)>,
}

/// One plan's own checks: its sections, tables, actions, indicators and savings.
fn check_plan<'a>(
    lp: &'a LoadedPlan,
    band_keys: &BTreeMap<&str, &crate::model::BandKey>,
    priorities: &[&str],
    diags: &mut Diagnostics,
) -> PlanChecked<'a> {
    let plan = &lp.plan;
    let file = lp.file.as_path();
    validate_sections(lp, &plan.sections, diags);

    let mut computed_tables = Vec::new();
    let mut table_ids = BTreeSet::new();
    for t in &plan.tables {
        if !table_ids.insert(t.id.value.as_str()) {
            diags.error(
                file,
                Some(t.id.pos),
                format!("table id `{}` is used twice in this plan", t.id.value),
            );
        }
        computed_tables.push((t, tables::compute(t, file, diags)));
    }
    let mut refs: BTreeMap<&str, usize> = BTreeMap::new();
    each_action(plan, &mut |a| {
        if let (Some(own), Some(logged)) = (a.rag, a.progress.iter().rev().find_map(|e| e.rag))
            && own != logged
        {
            let at = a.reference.as_ref().map(|r| r.pos).or(a.pos);
            diags.warning(
                file,
                at,
                format!(
                    "action {}: `rag: {}` disagrees with its latest progress entry ({}); the plan shows {}, packs show the log",
                    a.reference.as_ref().map_or("", |r| r.value.as_str()),
                    own.key(),
                    logged.key(),
                    own.key()
                ),
            );
        }
        if let Some(r) = &a.reference
            && refs.insert(r.value.as_str(), r.pos.line).is_some()
        {
            diags.error(
                file,
                Some(r.pos),
                format!("action ref `{}` is used twice in this plan", r.value),
            );
        }
        if let Some(p) = &a.priority
            && !priorities.is_empty()
            && !priorities.iter().any(|k| k.eq_ignore_ascii_case(&p.value))
        {
            let hint = suggest(&p.value, priorities.iter().copied())
                .map(|k| format!("did you mean `{k}`?"))
                .unwrap_or_else(|| format!("the priority key has: {}", priorities.join(", ")));
            diags.error_hint(
                file,
                Some(p.pos),
                format!("unknown priority `{}`", p.value),
                hint,
            );
        }
    });

    let mut ids = Vec::new();
    each_indicator(plan, &mut |ind| {
        ids.push((indicator_id(plan, ind), ind.id.as_ref().map(|i| i.pos)));
        validate_indicator(ind, file, band_keys, diags);
    });

    check_savings(plan, file, diags);
    PlanChecked {
        tables: computed_tables,
        indicator_ids: ids,
    }
}

fn validate_sections(lp: &LoadedPlan, sections: &[Section], diags: &mut Diagnostics) {
    let plan = &lp.plan;
    let ids: Vec<&str> = plan.tables.iter().map(|t| t.id.value.as_str()).collect();
    for s in sections {
        for t in &s.tables {
            if !ids.contains(&t.value.as_str()) {
                let hint = suggest(&t.value, ids.iter().copied())
                    .map(|k| format!("did you mean `{k}`?"))
                    .unwrap_or_else(|| format!("this plan's tables are: {}", ids.join(", ")));
                diags.error_hint(
                    &lp.file,
                    Some(t.pos),
                    format!("unknown table `{}`", t.value),
                    hint,
                );
            }
        }
        if s.include.contains(&Include::AppendixLink) && plan.appendix.is_none() {
            diags.error_hint(
                &lp.file,
                None,
                format!(
                    "section `{}` includes appendix_link but the plan has no `appendix:`",
                    s.title
                ),
                "add `appendix: {title: …}` to the plan, or take appendix_link out of the section's `include`",
            );
        }
        validate_sections(lp, &s.sections, diags);
    }
}

/// Largest band level: a band is drawn as its symbol repeated `value` times.
const MAX_BAND_LEVEL: u32 = 10;
/// Most decimals an indicator may ask for.
const MAX_DECIMALS: usize = 6;

/// Site settings whose numbers must be in range (the calendar, tolerance, band levels).
fn validate_site_numbers(site: &Site, diags: &mut Diagnostics) {
    let file = Path::new(crate::load::SITE_FILE);
    let month = site.config.calendar.year_start_month;
    if !(1..=12).contains(&month) {
        diags.error_hint(
            file,
            None,
            format!("calendar: year_start_month is {month}, but a month is 1 to 12"),
            "April is 4 (the default), January is 1",
        );
    }
    if let Some(t) = site.config.tolerance
        && !(t.is_finite() && t >= 0.0)
    {
        diags.error(
            file,
            None,
            format!("tolerance is {t}, but it must be a number of 0 or more"),
        );
    }
    for key in &site.config.keys.bands {
        if let Some(l) = key.levels.iter().find(|l| l.value > MAX_BAND_LEVEL) {
            diags.error_hint(
                file,
                Some(key.id.pos),
                format!(
                    "band key `{}`: level {} is more than {MAX_BAND_LEVEL}",
                    key.id.value, l.value
                ),
                "a band is drawn as its symbol repeated `value` times: number the levels from 1",
            );
        }
    }
}

fn validate_indicator(
    ind: &Indicator,
    file: &Path,
    band_keys: &BTreeMap<&str, &crate::model::BandKey>,
    diags: &mut Diagnostics,
) {
    let at = ind.id.as_ref().map(|i| i.pos);
    if let Some(t) = ind.tolerance
        && !(t.is_finite() && t >= 0.0)
    {
        diags.error(
            file,
            at,
            format!(
                "indicator `{}`: tolerance is {t}, but it must be a number of 0 or more",
                ind.title
            ),
        );
    }
    if let Some(d) = ind.decimals
        && d > MAX_DECIMALS
    {
        diags.error(
            file,
            at,
            format!(
                "indicator `{}`: decimals is {d}, but figures are shown with 0 to {MAX_DECIMALS}",
                ind.title
            ),
        );
    }
    for c in &ind.comparators {
        if !c.value.is_finite() {
            diags.error(
                file,
                at,
                format!(
                    "indicator `{}`: comparator `{}` is {}, not an ordinary number",
                    ind.title, c.label, c.value
                ),
            );
        }
    }
    for (name, series) in [("actual", &ind.actuals), ("target", &ind.targets)] {
        let mut seen = BTreeSet::new();
        for (p, _) in series.iter() {
            if !seen.insert(p.value) {
                let at = p.file.as_deref().map_or(file, |f| f.as_path());
                diags.error(
                    at,
                    Some(p.pos),
                    format!(
                        "indicator `{}`: a second {name} for {} (each period may have one; check the YAML and its data file)",
                        ind.title, p.value
                    ),
                );
            }
        }
    }
    if ind.unit == Some(Unit::Percent) {
        for (p, f) in ind.actuals.iter().chain(ind.targets.iter()) {
            if !(0.0..=100.0).contains(&f.value) {
                let at = p.file.as_deref().map_or(file, |f| f.as_path());
                diags.error(
                    at,
                    Some(p.pos),
                    format!(
                        "indicator `{}`: {} for {} is outside 0–100, but the unit is %",
                        ind.title, f.value, p.value
                    ),
                );
            }
        }
    }
    if let Some(b) = &ind.band {
        match band_keys.get(b.key.value.as_str()) {
            None => {
                let known: Vec<&str> = band_keys.keys().copied().collect();
                let hint = suggest(&b.key.value, known.iter().copied())
                    .map(|k| format!("did you mean `{k}`?"))
                    .unwrap_or_else(|| {
                        "band keys are defined under keys.bands in site.yaml".into()
                    });
                diags.error_hint(
                    file,
                    Some(b.key.pos),
                    format!("unknown band key `{}`", b.key.value),
                    hint,
                );
            }
            Some(key) => {
                if let Some(v) = b.value
                    && !key.levels.iter().any(|l| l.value == v)
                {
                    diags.error(
                        file,
                        Some(b.key.pos),
                        format!("band value {v} is not a level of `{}`", key.id.value),
                    );
                }
            }
        }
    }
}

/// An objective's stated `target_saving` must agree with its actions' savings.
fn check_savings(plan: &Plan, file: &Path, diags: &mut Diagnostics) {
    fn walk(objs: &[Objective], file: &Path, diags: &mut Diagnostics) {
        for o in objs {
            if let Some(stated) = &o.target_saving {
                let mut sum = 0.0;
                let mut any = false;
                let mut add = |a: &Action| {
                    if let Some(s) = a.impact.as_ref().and_then(|i| i.saving.as_ref()) {
                        sum += s.value;
                        any = true;
                    }
                };
                o.actions.iter().for_each(&mut add);
                if any && (sum - stated.value).abs() > 0.5 {
                    diags.warning(
                        file,
                        Some(stated.pos),
                        format!(
                            "objective `{}`: target saving is stated as {} but its actions' savings add up to {}",
                            o.title, stated.value, sum
                        ),
                    );
                }
            }
            walk(&o.objectives, file, diags);
        }
    }
    walk(&plan.objectives, file, diags);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("NI 63"), "ni-63");
        assert_eq!(slug("PAF A1 – BV 49"), "paf-a1-bv-49");
        assert_eq!(slug("  Foreword  "), "foreword");
    }
}
