//! Issue 11: `check` draws no chart, sanitises no text and templates each
//! kind of page once, yet reports exactly what `build` reports. The bad-input
//! corpus is compared case by case in `tests/bad_input.rs`; here, the sites
//! people start from: the example site and every site under `docs/examples`.

mod common;

use common::*;

#[test]
fn check_and_build_report_the_same_on_the_example_sites() {
    let mut sites = vec![repo()];
    for entry in std::fs::read_dir(repo().join("docs/examples")).unwrap() {
        let site = entry.unwrap().path();
        if site.join("content/site.yaml").is_file() {
            sites.push(site);
        }
    }
    sites.sort();
    assert!(sites.len() >= 5, "only {} sites", sites.len());
    let mut warned = 0;
    for site in &sites {
        let root = site.to_str().unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let check = boardpack(&["check", "--root", root]);
        let build = boardpack(&["build", "--root", root, "--out", out.to_str().unwrap()]);
        assert!(check.status.success(), "{root}: {}", stderr(&check));
        assert!(build.status.success(), "{root}: {}", stderr(&build));
        let (c, b) = (
            diagnostics_in(&stderr(&check)),
            diagnostics_in(&stderr(&build)),
        );
        assert_eq!(c, b, "{root}: check and build differ");
        warned += usize::from(!c.is_empty());
    }
    // Not vacuous: some of these sites have warnings to compare.
    assert!(warned > 0, "no site had a warning");
}
