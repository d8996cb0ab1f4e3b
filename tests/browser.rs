//! The built sites in a real browser: accessibility (axe-core, WCAG 2.2 AA),
//! no sideways scrolling on a phone, and chart text large enough to read.
//!
//! The checks themselves are `tests/browser/check.mjs` (Node, puppeteer-core and
//! axe-core from npm). This test builds the example site and every site under
//! `docs/examples/` into temporary folders and hands them to that script. It
//! needs `chromium` (or `$BOARDPACK_BROWSER`), `node` and
//! `npm ci --prefix tests/browser`, so a plain `cargo test` ignores it; `.ci/run`
//! installs all three and runs `cargo test --test browser -- --include-ignored`.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;

#[test]
#[ignore = "needs chromium, node and `npm ci --prefix tests/browser`; run with --include-ignored (CI does)"]
fn every_page_kind_passes_axe_fits_a_phone_and_has_readable_chart_text() {
    let script = repo().join("tests/browser/check.mjs");
    assert!(
        repo().join("tests/browser/node_modules/axe-core").is_dir(),
        "run `npm ci --prefix tests/browser` first"
    );

    let tmp = tempfile::tempdir().unwrap();
    let mut sites: Vec<(PathBuf, PathBuf)> = vec![(repo(), tmp.path().join("example"))];
    let mut examples: Vec<PathBuf> = std::fs::read_dir(repo().join("docs/examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("content/site.yaml").is_file())
        .collect();
    examples.sort();
    for site in examples {
        let name = site.file_name().unwrap().to_owned();
        sites.push((site, tmp.path().join(name)));
    }
    for (root, out) in &sites {
        let o = boardpack(&[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}: {}", root.display(), stderr(&o));
    }

    let o = Command::new("node")
        .arg(&script)
        .args(sites.iter().map(|(_, out)| out))
        .output()
        .expect("node is needed for this test");
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "browser checks failed:\n{report}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(report.contains("checked "), "{report}");
}
