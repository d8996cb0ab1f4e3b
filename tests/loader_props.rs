//! Property tests of the loaders: whatever bytes a plan.yaml or a CSV table
//! holds, `boardpack::check` returns — no panic, within a time bound — and
//! every diagnostic names the file it is about.
//!
//! The case counts are small so `cargo test` stays quick; for long runs use
//! the `cargo fuzz` target in `fuzz/` (see docs/fuzzing.md), or raise the
//! count here with `PROPTEST_CASES=5000 cargo test --test loader_props`.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use boardpack::diagnostics::Diagnostics;
use proptest::prelude::*;

/// A check of one small site must finish well inside this, even in a debug build.
const TIME_LIMIT: Duration = Duration::from_secs(5);

const SITE: &str = "title: T\norganisation: O\nas_at: 2016-07-01\n";

/// A valid plan whose one table reads its rows from `budget.csv`.
const CSV_PLAN: &str = "id: p
title: Test plan
kind: Action plan
sections:
  - title: Money
    tables: [money]
tables:
  - id: money
    title: Budget
    columns:
      - {key: area}
      - {key: staff, type: number, sum: true}
      - {key: other, type: figure}
    csv: budget.csv
    total: {label: Total}
indicators:
  - id: i
    title: I
    unit: '%'
    polarity: higher_is_better
    data_owner: Team
    data: series.csv
";

/// The files a diagnostic may name in these sites.
const FILES: [&str; 4] = [
    "content/site.yaml",
    "content/plans/p/plan.yaml",
    "content/plans/p/budget.csv",
    "content/plans/p/series.csv",
];

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    }
}

/// Write `files` into a fresh site, check it, and assert the properties.
fn check_site(files: &[(&str, &[u8])]) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("content/plans/p")).unwrap();
    fs::write(root.join("content/site.yaml"), SITE).unwrap();
    for (rel, bytes) in files {
        fs::write(root.join(rel), bytes).unwrap();
    }
    let start = Instant::now();
    let mut diags = Diagnostics::new();
    let ok = boardpack::check(root, &mut diags);
    let took = start.elapsed();
    assert!(took < TIME_LIMIT, "check took {took:?}");
    assert_eq!(ok, !diags.has_errors());
    for d in diags.sorted() {
        let file = d.file.to_string_lossy().replace('\\', "/");
        assert!(
            FILES.contains(&file.as_str()),
            "diagnostic without a known file: {d:?}"
        );
        assert!(!d.message.trim().is_empty(), "empty message: {d:?}");
        if let Some(p) = d.pos {
            assert!(p.line >= 1 && p.column >= 1, "bad position: {d:?}");
        }
    }
    // Rendering never panics either, and quotes no control characters.
    let text = diags.render();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "control character in the rendered diagnostics"
    );
    let _ = diags.to_json();
    drop(tmp);
}

fn plan(bytes: &[u8]) {
    check_site(&[("content/plans/p/plan.yaml", bytes)]);
}

fn csv(bytes: &[u8]) {
    check_site(&[
        ("content/plans/p/plan.yaml", CSV_PLAN.as_bytes()),
        ("content/plans/p/budget.csv", bytes),
        (
            "content/plans/p/series.csv",
            b"period,actual\n2016/17 Q1,50\n",
        ),
    ]);
}

fn series(bytes: &[u8]) {
    check_site(&[
        ("content/plans/p/plan.yaml", CSV_PLAN.as_bytes()),
        ("content/plans/p/budget.csv", b"area,staff,other\nA,1,x\n"),
        ("content/plans/p/series.csv", bytes),
    ]);
}

/// Pieces of YAML, so random plans get past the first character more often.
fn yaml_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "id: p\n",
        "title: T\n",
        "kind: k\n",
        "sections:\n",
        "  - title: s\n",
        "    sections: ",
        "actions:\n",
        "  - ref: '1'\n",
        "    leads: [",
        "]\n",
        "{",
        "}",
        "[",
        ", ",
        ": ",
        "- ",
        "\n",
        "  ",
        "\t",
        "&a ",
        "*a",
        "<<: *a\n",
        "'",
        "\"",
        "#",
        "---\n",
        "2008/09",
        " Q2",
        "2016-02-31",
        "indicators:\n",
        "    actuals: {",
        "tables:\n",
        "    rows: [[",
        "~",
        "-1",
        "1e999",
        "!!binary ",
        "!include x",
        "\u{FEFF}",
        "\r\n",
        "é",
        "\u{202E}",
    ]);
    prop::collection::vec(pieces, 0..48).prop_map(|v| v.concat())
}

/// Pieces of CSV, so random tables have headers, quotes and rows.
fn csv_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "area,staff,other\n",
        "period,actual,target,note\n",
        "group,",
        ",",
        "\"",
        "\"\"",
        "\n",
        "\r\n",
        "A",
        "1,234",
        "-",
        "57%",
        "£48",
        "2016/17 Q1",
        "2016/18",
        "x",
        " ",
        "\u{FEFF}",
    ]);
    prop::collection::vec(pieces, 0..48).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_text_as_plan_yaml(s in any::<String>()) {
        plan(s.as_bytes());
    }

    #[test]
    fn any_bytes_as_plan_yaml(b in prop::collection::vec(any::<u8>(), 0..512)) {
        plan(&b);
    }

    #[test]
    fn yaml_like_text_as_plan_yaml(s in yaml_like()) {
        plan(s.as_bytes());
    }

    #[test]
    fn any_text_as_table_csv(s in any::<String>()) {
        csv(s.as_bytes());
    }

    #[test]
    fn any_bytes_as_table_csv(b in prop::collection::vec(any::<u8>(), 0..512)) {
        csv(&b);
    }

    #[test]
    fn csv_like_text_as_table_and_series(s in csv_like()) {
        csv(s.as_bytes());
        series(s.as_bytes());
    }
}

#[test]
fn the_fixed_sites_are_valid() {
    // The properties above are only meaningful if the unchanged sites pass.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("content/plans/p")).unwrap();
    fs::write(root.join("content/site.yaml"), SITE).unwrap();
    fs::write(root.join("content/plans/p/plan.yaml"), CSV_PLAN).unwrap();
    fs::write(
        root.join("content/plans/p/budget.csv"),
        "area,staff,other\nA,1,x\n",
    )
    .unwrap();
    fs::write(
        root.join("content/plans/p/series.csv"),
        "period,actual\n2016/17 Q1,50\n",
    )
    .unwrap();
    let mut diags = Diagnostics::new();
    assert!(
        boardpack::check(Path::new(root), &mut diags),
        "{}",
        diags.render()
    );
}
