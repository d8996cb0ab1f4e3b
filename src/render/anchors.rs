//! Section anchors that are unique on a page.
//!
//! An `id:` an author wrote is checked for duplicates at load
//! ([`crate::compute::sanity`]); two sections with the same title (and no
//! `id:`) make the same anchor, and the second and later get `-2`, `-3`… so
//! every contents link leads to its own section.

use std::collections::{BTreeMap, BTreeSet};

use super::views::SectionView;

/// Give every section in `sections` an anchor no other has, keeping the first of each.
///
/// The next number to try is kept for each anchor, so a plan of many sections
/// with one title costs time in proportion to their number, not its square.
pub fn make_unique(sections: &mut [SectionView]) {
    let all: BTreeSet<String> = sections.iter().map(|s| s.id.clone()).collect();
    let mut used = BTreeSet::new();
    let mut next: BTreeMap<String, usize> = BTreeMap::new();
    for s in sections.iter_mut() {
        if used.insert(s.id.clone()) {
            continue;
        }
        let n = next.entry(s.id.clone()).or_insert(2);
        let id = loop {
            let candidate = format!("{}-{n}", s.id);
            *n += 1;
            if !all.contains(&candidate) && !used.contains(&candidate) {
                break candidate;
            }
        };
        used.insert(id.clone());
        s.id = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(id: &str) -> SectionView {
        SectionView {
            id: id.into(),
            number: String::new(),
            title: String::new(),
            level: 2,
            page_break: false,
            body: Vec::new(),
            blocks: Vec::new(),
        }
    }

    #[test]
    fn repeated_anchors_are_numbered_without_taking_an_existing_one() {
        let mut v: Vec<SectionView> = ["s-a", "s-a", "s-a-2", "s-b", "s-a"]
            .into_iter()
            .map(view)
            .collect();
        make_unique(&mut v);
        let ids: Vec<&str> = v.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["s-a", "s-a-3", "s-a-2", "s-b", "s-a-4"]);
    }

    #[test]
    fn many_sections_with_one_title_each_get_their_own_anchor() {
        let mut v: Vec<SectionView> = (0..20_000).map(|_| view("s-x")).collect();
        make_unique(&mut v);
        let ids: BTreeSet<&str> = v.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), 20_000);
        assert!(ids.contains("s-x-20000"));
    }
}
