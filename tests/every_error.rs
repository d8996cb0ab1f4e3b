//! One `check` reports every mistake: the nine mistakes a new author made
//! in one plan (which took seven runs to clear when each file stopped at its
//! first error) all come out of one run, each once, located, with its hint.

mod common;

use std::path::Path;

/// `check --format json` on a bad-input case: exit code and diagnostics.
fn check(case: &str) -> (Option<i32>, Vec<serde_json::Value>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bad_input")
        .join(case);
    let out = common::command()
        .args(["check", "--format", "json", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    (out.status.code(), v.as_array().unwrap().clone())
}

#[test]
fn one_check_reports_all_nine_mistakes_of_a_new_plan() {
    let (code, items) = check("nine-mistakes");
    assert_eq!(code, Some(1));
    assert_eq!(items.len(), 9, "{items:#?}");
    // Each mistake, by its line in the plan and a word of its message or hint.
    let expected = [
        (11, "unknown table `mony`"),
        (14, "unknown indicator `t-1b`"),
        (19, "`2018-06`"),
        (21, "impact: {expected: …}"),
        (27, "`- text: As required`"),
        (30, "expected a list"),
        (35, "indent it 2 more spaces"),
        (43, "`2017/18`"),
        (45, "`title` is missing"),
    ];
    for ((line, words), item) in expected.iter().zip(&items) {
        assert_eq!(item["severity"], "error");
        assert_eq!(item["file"], "content/plans/p/plan.yaml");
        assert_eq!(item["line"].as_u64(), Some(*line), "{item:#?}");
        let text = format!("{} {}", item["message"], item["hint"]);
        assert!(text.contains(words), "line {line}: {text}");
    }
}

#[test]
fn a_pack_with_three_mistakes_reports_three() {
    let (code, items) = check("pack-three-errors");
    assert_eq!(code, Some(1));
    let lines: Vec<u64> = items.iter().map(|i| i["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [3, 4, 5], "{items:#?}");
}

#[test]
fn references_are_checked_in_a_pack_with_a_mistake() {
    let (code, items) = check("pack-unknown-plan-and-bad-field");
    assert_eq!(code, Some(1));
    let messages: Vec<&str> = items
        .iter()
        .map(|i| i["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        ["unknown plan `q`", "unknown field `cover_notes`"],
        "{items:#?}"
    );
}

#[test]
fn plans_named_by_a_pack_with_a_bad_period_are_still_checked() {
    // The period and the meeting date are required: with their wrong values
    // set aside the pack is still read, so its unknown plan is reported too.
    let (code, items) = check("pack-bad-period-unknown-plan");
    assert_eq!(code, Some(1));
    let lines: Vec<u64> = items.iter().map(|i| i["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [3, 4, 5], "{items:#?}");
    assert_eq!(items[2]["message"], "unknown plan `q`");
}

#[test]
fn a_part_set_aside_is_not_also_reported_as_unknown() {
    // The indicator lacks its title, so it is set aside; the chart naming it
    // is not a second mistake.
    let (code, items) = check("missing-title-indicator-charted");
    assert_eq!(code, Some(1));
    assert_eq!(items.len(), 1, "{items:#?}");
    assert!(
        items[0]["message"]
            .as_str()
            .unwrap()
            .contains("`title` is missing")
    );
}
