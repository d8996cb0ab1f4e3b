//! The data-quality page's grouping, linear in the warnings: each warning's
//! plan is found by looking its file's folders up in an index of plan
//! folders, and its group by title in an index of groups, so the cost does
//! not grow with the number of plans (it once searched every plan, and every
//! group, for every warning).

use std::collections::HashMap;
use std::path::Path;

use super::pages::{QualityGroup, QualityItem, code_spans_html, readable_place, sentence_case};
use crate::diagnostics::{Diagnostics, Severity};
use crate::model::Site;

/// Group the warnings of `diags` by plan (in the order warnings are sorted),
/// and count the lookups made: at most one per folder of a warning's path,
/// plus one per warning for its group.
pub fn group(site: &Site, diags: &Diagnostics) -> (Vec<QualityGroup>, usize) {
    // First plan wins for a folder, as the list is in the site's order.
    let mut by_dir: HashMap<&Path, usize> = HashMap::with_capacity(site.plans.len());
    for (i, lp) in site.plans.iter().enumerate() {
        by_dir.entry(lp.dir.as_path()).or_insert(i);
    }
    // Each warning is placed and written as HTML on its own, in parallel;
    // then the groups are made in the warnings' order.
    use rayon::prelude::*;
    let placed: Vec<(Option<usize>, QualityItem, usize)> = diags
        .sorted()
        .par_iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| {
            let mut lookups = 0;
            // The deepest plan folder holding the file.
            let plan = d.file.ancestors().find_map(|a| {
                lookups += 1;
                by_dir.get(a).copied()
            });
            let item = QualityItem {
                place: readable_place(&d.file, d.pos.map(|p| p.line)),
                message_html: code_spans_html(&sentence_case(&d.message)),
                hint_html: code_spans_html(&sentence_case(d.hint.as_deref().unwrap_or_default())),
            };
            (plan, item, lookups)
        })
        .collect();
    let mut groups: Vec<QualityGroup> = Vec::new();
    let mut by_title: HashMap<&str, usize> = HashMap::new();
    let mut lookups = 0;
    for (plan, item, found_in) in placed {
        lookups += found_in + 1;
        let title = plan.map_or("Site and packs", |i| site.plans[i].plan.title.as_str());
        match by_title.get(title) {
            Some(&g) => groups[g].items.push(item),
            None => {
                by_title.insert(title, groups.len());
                groups.push(QualityGroup {
                    title: title.to_string(),
                    url: plan.map(|i| format!("plans/{}.html", site.plans[i].plan.id.value)),
                    items: vec![item],
                });
            }
        }
    }
    (groups, lookups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load;

    /// A site of `n` small plans, loaded, with one warning per plan file.
    fn site_with_warnings(n: usize) -> (Site, Diagnostics) {
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
            warnings.warning(&lp.file, None, "a finding");
        }
        warnings.warning(Path::new("content/site.yaml"), None, "a site finding");
        (site, warnings)
    }

    #[test]
    fn grouping_costs_the_same_per_warning_whatever_the_number_of_plans() {
        let per_warning = |n: usize| {
            let (site, diags) = site_with_warnings(n);
            let (groups, lookups) = group(&site, &diags);
            assert_eq!(
                groups.len(),
                n + 1,
                "one group per plan and one for the site"
            );
            assert!(groups.iter().all(|g| g.items.len() == 1));
            assert_eq!(groups.last().unwrap().title, "Site and packs");
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
}
