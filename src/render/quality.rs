//! The data-quality pages: `quality.html`, a summary with each plan's count
//! of findings (and the findings about the site's own files and the packs),
//! and `quality/<plan-id>.html`, one page a plan listing its findings.
//!
//! A page a plan keeps each page readable at thousands of plans, and keeps
//! the build's memory bounded: only an index of the warnings (a reference
//! each) is held for the build, and each plan's page is made from it,
//! rendered and dropped on its own, in parallel with the others. (One page
//! of 125,000 warnings once took about 150 MiB while it was made.)
//!
//! The index is linear in the warnings: each warning's plan is found by
//! looking its file's folders up in an index of plan folders, and its group
//! by plan in an index of groups, so the cost does not grow with the number
//! of plans (it once searched every plan, and every group, for every warning).

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::pages::{QualityGroup, QualityItem, code_spans_html, readable_place, sentence_case};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::model::Site;

/// The warnings of a build, grouped by plan, by reference.
#[derive(Debug, Default)]
pub struct QualityIndex<'d> {
    /// Each plan's warnings (by its place in `site.plans`) in the order
    /// warnings are sorted, plans in the order of their first warning.
    plans: Vec<(usize, Vec<&'d Diagnostic>)>,
    /// Warnings about files of no plan: `site.yaml`, packs.
    site: Vec<&'d Diagnostic>,
}

/// The path of a plan's data-quality page.
pub fn plan_page_path(plan_id: &str) -> String {
    format!("quality/{plan_id}.html")
}

/// Index the warnings of `diags` by plan, and count the lookups made: at
/// most one per folder of a warning's path, plus one per warning for its
/// group.
pub fn index<'d>(site: &Site, diags: &'d Diagnostics) -> (QualityIndex<'d>, usize) {
    // First plan wins for a folder, as the list is in the site's order.
    let mut by_dir: HashMap<&Path, usize> = HashMap::with_capacity(site.plans.len());
    for (i, lp) in site.plans.iter().enumerate() {
        by_dir.entry(lp.dir.as_path()).or_insert(i);
    }
    let placed: Vec<(Option<usize>, &Diagnostic, usize)> = diags
        .sorted()
        .into_par_iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| {
            let mut lookups = 0;
            // The deepest plan folder holding the file.
            let plan = d.file.ancestors().find_map(|a| {
                lookups += 1;
                by_dir.get(a).copied()
            });
            (plan, d, lookups)
        })
        .collect();
    let mut q = QualityIndex::default();
    // Each plan's group, by the plan's place in the site.
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    let mut lookups = 0;
    for (plan, d, found_in) in placed {
        lookups += found_in + 1;
        let Some(i) = plan else {
            q.site.push(d);
            continue;
        };
        match group_of.get(&i) {
            Some(&g) => q.plans[g].1.push(d),
            None => {
                group_of.insert(i, q.plans.len());
                q.plans.push((i, vec![d]));
            }
        }
    }
    (q, lookups)
}

impl QualityIndex<'_> {
    /// How many plans have a page of their own.
    pub fn plan_pages(&self) -> usize {
        self.plans.len()
    }

    /// How many warnings the index holds.
    pub fn warnings(&self) -> usize {
        self.site.len() + self.plans.iter().map(|(_, w)| w.len()).sum::<usize>()
    }
}

/// One plan's line on the summary page.
#[derive(Debug, Clone, Serialize)]
pub struct QualityPlanLink {
    /// The plan's title.
    pub title: String,
    /// Its data-quality page, relative to the site's root.
    pub url: String,
    /// How many findings that page lists.
    pub count: usize,
}

/// The data for `quality.html`.
#[derive(Debug, Clone, Serialize)]
pub struct QualitySummary {
    /// The plans with findings, each linking to its page.
    pub plans: Vec<QualityPlanLink>,
    /// The findings about the site's own files and the packs, in full.
    pub site: Option<QualityGroup>,
    /// How many findings in all.
    pub total: usize,
}

fn item(d: &Diagnostic) -> QualityItem {
    QualityItem {
        place: readable_place(&d.file, d.pos.map(|p| p.line)),
        message_html: code_spans_html(&sentence_case(&d.message)),
        hint_html: code_spans_html(&sentence_case(d.hint.as_deref().unwrap_or_default())),
    }
}

/// The summary page's data: a count a plan and the site's findings.
pub fn summary(site: &Site, q: &QualityIndex) -> QualitySummary {
    QualitySummary {
        plans: q
            .plans
            .iter()
            .map(|(i, w)| {
                let plan = &site.plans[*i].plan;
                QualityPlanLink {
                    title: plan.title.clone(),
                    url: plan_page_path(&plan.id.value),
                    count: w.len(),
                }
            })
            .collect(),
        site: (!q.site.is_empty()).then(|| QualityGroup {
            title: "Site and packs".into(),
            url: None,
            items: q.site.iter().map(|d| item(d)).collect(),
        }),
        total: q.warnings(),
    }
}

/// The `n`th plan page's path, title and data (its findings, linking to the
/// plan, from the `quality/` folder).
pub fn plan_page(site: &Site, q: &QualityIndex, n: usize) -> (String, String, QualityGroup) {
    let (i, warnings) = &q.plans[n];
    let plan = &site.plans[*i].plan;
    (
        plan_page_path(&plan.id.value),
        format!("Data quality: {}", plan.title),
        QualityGroup {
            title: plan.title.clone(),
            url: Some(format!("../plans/{}.html", plan.id.value)),
            items: warnings.iter().map(|d| item(d)).collect(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load;

    /// A site of `n` small plans, loaded, with `per_plan` warnings per plan file.
    fn site_with_warnings(n: usize, per_plan: usize) -> (Site, Diagnostics) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content/plans")).unwrap();
        std::fs::write(
            root.join("content/site.yaml"),
            "title: T\norganisation: O\n",
        )
        .unwrap();
        for p in 0..n {
            let dir = root.join(format!("content/plans/p{p:04}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(
                dir.join("plan.yaml"),
                format!("id: p{p:04}\ntitle: Plan {p}\nkind: Plan\n"),
            )
            .unwrap();
        }
        let mut diags = Diagnostics::new();
        let site = load::load_site(root, &mut diags).expect("loads");
        let mut warnings = Diagnostics::new();
        for lp in &site.plans {
            for k in 0..per_plan {
                warnings.warning(
                    &lp.file,
                    None,
                    format!("finding {k} about `{}`", lp.plan.id.value),
                );
            }
        }
        warnings.warning(Path::new("content/site.yaml"), None, "a site finding");
        (site, warnings)
    }

    #[test]
    fn grouping_costs_the_same_per_warning_whatever_the_number_of_plans() {
        let per_warning = |n: usize| {
            let (site, diags) = site_with_warnings(n, 1);
            let (q, lookups) = index(&site, &diags);
            assert_eq!(q.plan_pages(), n, "one page per plan");
            assert_eq!(q.site.len(), 1, "one finding about the site");
            assert!(q.plans.iter().all(|(_, w)| w.len() == 1));
            lookups as f64 / (n + 1) as f64
        };
        let (small, large) = (per_warning(5), per_warning(400));
        // A warning in content/plans/pNNNN/plan.yaml: its file and three folders, then its group.
        // (A search of every plan for every warning would make ~200 per warning at 400 plans.)
        assert!(
            small <= 5.0 && large <= 5.0,
            "{small} and {large} lookups per warning"
        );
        assert!(
            large <= small + 0.01,
            "lookups per warning grew with the plans: {small} for 5, {large} for 400"
        );
    }

    #[test]
    fn each_plan_page_lists_exactly_its_plans_findings_and_the_summary_links_each() {
        let (site, diags) = site_with_warnings(4, 3);
        let (q, _) = index(&site, &diags);
        assert_eq!(q.warnings(), 4 * 3 + 1);
        let s = summary(&site, &q);
        assert_eq!(s.total, 13);
        assert_eq!(s.plans.len(), 4);
        let site_group = s
            .site
            .as_ref()
            .expect("the site's finding is on the summary");
        assert_eq!(site_group.items.len(), 1);
        assert_eq!(site_group.items[0].place, "site.yaml");
        for (n, link) in s.plans.iter().enumerate() {
            let id = format!("p{n:04}");
            assert_eq!(link.url, format!("quality/{id}.html"));
            assert_eq!(link.count, 3);
            let (path, title, page) = plan_page(&site, &q, n);
            assert_eq!(path, link.url, "the summary links to the page");
            assert_eq!(title, format!("Data quality: Plan {n}"));
            assert_eq!(page.url.as_deref(), Some(&*format!("../plans/{id}.html")));
            // Exactly this plan's findings, in order, none of another plan's.
            let messages: Vec<&str> = page.items.iter().map(|i| i.message_html.as_str()).collect();
            let want: Vec<String> = (0..3)
                .map(|k| format!("Finding {k} about <code>{id}</code>"))
                .collect();
            assert_eq!(messages, want);
            assert!(
                page.items
                    .iter()
                    .all(|i| i.place == format!("plans/{id}/plan.yaml"))
            );
        }
    }
}
