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

/// Run `boardpack args` with the site limit set to `mb` MB.
fn with_site_limit(mb: &str, args: &[&str]) -> std::process::Output {
    common::command()
        .args(args)
        .env("BOARDPACK_MAX_SITE_MB", mb)
        .output()
        .expect("run boardpack")
}

/// Issue 11: `check` templates each kind of page once, but a page too big
/// for the byte limits is a build error, so `check` must find it too. A plan
/// with a table of some 2 MB, in three packs that repeat it: four pages of
/// about 2.4 MB, over a site limit of 8 MB, where the two pages `check`
/// templates anyway (the first of each kind) are not. `check` builds each
/// page of big data as a build does and counts it, and reports the limit
/// where `build` does.
#[test]
fn check_finds_pages_over_the_byte_limits() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let cols: String = (0..8).map(|i| format!("      - {{key: c{i}}}\n")).collect();
    small_site(
        &root,
        &format!(
            "id: p\ntitle: T\nkind: Action plan\nsections:\n  - title: Wide\n    tables: [wide]\ntables:\n  - id: wide\n    title: Wide\n    columns:\n{cols}    csv: wide.csv\n"
        ),
    );
    let header: Vec<String> = (0..8).map(|i| format!("c{i}")).collect();
    let row = format!("{}\n", ["some words in a cell"; 8].join(","));
    std::fs::write(
        root.join("content/plans/p/wide.csv"),
        header.join(",") + "\n" + &row.repeat(10_000),
    )
    .unwrap();
    yearly_packs(&root, 3);
    let r = root.to_str().unwrap();
    let out = tmp.path().join("out");
    // Within the default limits, both pass.
    let check = boardpack(&["check", "--root", r]);
    assert!(check.status.success(), "{}", stderr(&check));
    let check = with_site_limit("8", &["check", "--root", r]);
    let build = with_site_limit("8", &["build", "--root", r, "--out", out.to_str().unwrap()]);
    assert!(!build.status.success(), "{}", stderr(&build));
    assert!(
        !check.status.success(),
        "check passed pages over the limit: {}",
        stderr(&check)
    );
    for o in [&check, &build] {
        let e = stderr(o);
        assert!(e.contains("error: content/packs/pack0"), "{e}");
        assert!(
            e.contains("MB so far: the limits are 64 MB a page and 8 MB for the whole site"),
            "{e}"
        );
    }
    assert!(!out.exists());
}
