//! Site-wide pages made in parts: the indicator list, whose rows are made a
//! number of plans at a time, and the data-quality pages, one a plan.

mod common;

use std::fs;

use common::*;

/// A site of `n` plans, each with one indicator and no data owner (a warning).
fn many_plans(dir: &std::path::Path, n: usize) {
    fs::create_dir_all(dir.join("content/plans")).unwrap();
    fs::write(dir.join("content/site.yaml"), "title: T\norganisation: O\n").unwrap();
    for p in 0..n {
        let plan = dir.join(format!("content/plans/p{p:03}"));
        fs::create_dir_all(&plan).unwrap();
        fs::write(
            plan.join("plan.yaml"),
            format!(
                "id: p{p:03}\ntitle: Plan {p:03}\nkind: Plan\nsections:\n  - title: Indicators\n    include: [indicators]\nindicators:\n  - id: i{p:03}\n    title: Indicator {p:03}\n    unit: '%'\n"
            ),
        )
        .unwrap();
    }
}

#[test]
fn the_indicator_list_has_every_indicator_once_in_plan_order_across_its_parts() {
    let tmp = tempfile::tempdir().unwrap();
    // More plans than one part holds (boardpack::render::indicator_rows::PLANS_A_CHUNK).
    let n = 2 * boardpack::render::indicator_rows::PLANS_A_CHUNK + 30;
    many_plans(tmp.path(), n);
    let out = build_site(tmp.path());
    let list = read(&out, "indicators/index.html");
    assert!(!list.contains("<!--bp-rows"), "a placeholder was left in");
    let titles: Vec<&str> = list
        .split("\">Indicator ")
        .skip(1)
        .map(|s| &s[..3])
        .collect();
    let want: Vec<String> = (0..n).map(|p| format!("{p:03}")).collect();
    assert_eq!(titles, want);
    // The rows sit in the table's body, after its head, as one table.
    assert_eq!(list.matches("<tbody>").count(), 1);
    let body = &list[list.find("<tbody>").unwrap()..list.find("</tbody>").unwrap()];
    assert_eq!(body.matches("<tr>").count(), n);
    assert!(body.contains(
        "<th scope=\"row\" data-label=\"Indicator\"><a href=\"i000.html\">Indicator 000</a></th><td data-label=\"Plan\">Plan 000</td>"
    ));
}

#[test]
fn each_plans_data_quality_page_lists_its_warnings_and_the_summary_links_each() {
    let tmp = tempfile::tempdir().unwrap();
    many_plans(tmp.path(), 3);
    let out = build_site(tmp.path());
    let summary = read(&out, "quality.html");
    for p in 0..3 {
        let id = format!("p{p:03}");
        assert!(
            summary.contains(&format!(
                "<a href=\"quality/{id}.html\">Plan {p:03}</a></td><td class=\"num\">1</td>"
            )),
            "{summary}"
        );
        let page = read(&out, &format!("quality/{id}.html"));
        assert!(page.contains(&format!("plans/{id}/plan.yaml")), "{page}");
        for other in (0..3).filter(|o| *o != p) {
            assert!(
                !page.contains(&format!("plans/p{other:03}/")),
                "{id}'s page lists p{other:03}'s warnings: {page}"
            );
        }
    }
    assert!(!out.join("quality/p003.html").exists());
}

#[test]
fn warnings_about_the_sites_own_files_are_listed_on_the_summary_itself() {
    let tmp = tempfile::tempdir().unwrap();
    many_plans(tmp.path(), 1);
    // Not UTF-8 (a pound sign as Windows-1252 writes it): a warning at site.yaml.
    fs::write(
        tmp.path().join("content/site.yaml"),
        b"title: T \xa3\norganisation: O\n",
    )
    .unwrap();
    let out = build_site(tmp.path());
    let summary = read(&out, "quality.html");
    let site = &summary[summary
        .find("<h2>Site and packs <small>(1)</small></h2>")
        .expect(&summary)..];
    assert!(site.contains("Windows-1252"), "{site}");
    assert!(site.contains(">site.yaml</td>"), "{site}");
    assert!(summary.contains("<a href=\"quality/p000.html\">Plan 000</a>"));
    assert!(!read(&out, "quality/p000.html").contains("Windows-1252"));
}
