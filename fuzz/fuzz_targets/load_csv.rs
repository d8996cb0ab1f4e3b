//! Fuzz the CSV loaders: the input is written as both a table's CSV and an
//! indicator's data CSV of a valid plan, and `boardpack::check` must return
//! with every diagnostic naming a file.
//!
//! Run with `cargo +nightly fuzz run load_csv`; see docs/fuzzing.md.

#![no_main]

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use boardpack::diagnostics::Diagnostics;
use libfuzzer_sys::fuzz_target;

const PLAN: &str = "id: p
title: Fuzz plan
kind: Action plan
tables:
  - id: t
    title: T
    columns:
      - {key: area}
      - {key: staff, type: number, sum: true}
      - {key: other, type: figure}
      - {key: total, type: number, formula: staff + other}
    csv: table.csv
    total: {label: Total}
indicators:
  - id: i
    title: I
    unit: '%'
    polarity: higher_is_better
    data: series.csv
";

fn site() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        fs::create_dir_all(dir.path().join("content/plans/p")).expect("plan folder");
        fs::write(
            dir.path().join("content/site.yaml"),
            "title: Fuzz\norganisation: Fuzz council\nas_at: 2016-07-01\n",
        )
        .expect("site.yaml");
        fs::write(dir.path().join("content/plans/p/plan.yaml"), PLAN).expect("plan.yaml");
        dir
    })
    .path()
}

fuzz_target!(|data: &[u8]| {
    let root = site();
    fs::write(root.join("content/plans/p/table.csv"), data).expect("write table.csv");
    fs::write(root.join("content/plans/p/series.csv"), data).expect("write series.csv");
    let mut diags = Diagnostics::new();
    let ok = boardpack::check(root, &mut diags);
    assert_eq!(ok, !diags.has_errors());
    for d in diags.sorted() {
        assert!(
            !d.file.as_os_str().is_empty(),
            "diagnostic without a file: {d:?}"
        );
    }
    let _ = diags.render();
});
