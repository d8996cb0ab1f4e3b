//! The built pages as a screen reader, keyboard or phone user meets them:
//! titles, focusable scroll regions, table cell labels, no repeated figures.
//! (The browser itself checks them too, in tests/browser.rs.)

mod common;

use common::*;

/// Every HTML page of the example site, as (path, text).
fn pages(out: &std::path::Path) -> Vec<(String, String)> {
    tree(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
    let from = s.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let to = s[from..].find(end).unwrap() + from;
    &s[from..to]
}

#[test]
fn page_titles_name_the_site_once() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_example(&out);
    let site = "boardpack example site";
    assert_eq!(
        between(&read(&out, "index.html"), "<title>", "</title>"),
        site
    );
    assert_eq!(
        between(
            &read(&out, "plans/lac-action-plan-2015.html"),
            "<title>",
            "</title>"
        ),
        format!("LAC action plan – {site}")
    );
    for (path, html) in pages(&out) {
        let title = between(&html, "<title>", "</title>");
        assert_eq!(title.matches(site).count(), 1, "{path}: {title}");
    }
}

#[test]
fn every_scrolling_table_is_a_labelled_keyboard_stop() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_example(&out);
    let mut n = 0;
    for (path, html) in pages(&out) {
        for (i, _) in html.match_indices("class=\"table-wrap\"") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(
                tag.contains("tabindex=\"0\"") && tag.contains("role=\"region\""),
                "{path}: {tag}"
            );
            let label = between(tag, "aria-label=\"", "\"");
            assert!(!label.trim().is_empty(), "{path}: {tag}");
            n += 1;
        }
    }
    assert!(n > 50, "only {n} table regions");
}

#[test]
fn stacked_action_cells_are_labelled_with_their_column_headings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_example(&out);
    let html = read(&out, "plans/lac-action-plan-2015-appendix.html");
    let table = between(&html, "<table class=\"actions wide stack\">", "</table>");
    let head = between(table, "<thead>", "</thead>");
    let headings: Vec<&str> = head
        .split("<th scope=\"col\"")
        .skip(1)
        .map(|c| between(c, ">", "</th>"))
        .collect();
    assert!(headings.contains(&"Progress to date") && headings.contains(&"RAG"));
    let body = &table[table.find("<tbody>").unwrap()..];
    let first_row = between(body, "<tr id=", "</tr>");
    let labels: Vec<&str> = first_row
        .split("data-label=\"")
        .skip(1)
        .map(|c| &c[..c.find('"').unwrap()])
        .collect();
    assert_eq!(labels, headings, "one label per column, in order");
    // On a phone the status comes first after the row's name.
    assert!(first_row.contains("class=\"status-cell\" data-label=\"RAG\""));
}

#[test]
fn pack_summary_states_the_counts_once_beside_the_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_example(&out);
    let html = read(&out, "packs/2015-16-q4/index.html");
    let summary = between(&html, "<section id=\"summary\"", "</section>");
    assert!(summary.contains("14 Amber"), "{summary}");
    assert!(summary.contains("<svg"), "the chart stays");
    assert!(
        summary.contains("<table class=\"chart-table\">"),
        "its figures"
    );
    // The chart's sentence repeated the counts already given above it.
    assert!(!summary.contains("chart-desc"), "{summary}");
    let index = read(&out, "index.html");
    assert!(!index.contains("chart-desc"));
}
