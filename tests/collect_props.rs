//! Property tests of reading every mistake in a file: whatever is done to a
//! real plan (a line deleted, duplicated, indented or outdented, a character
//! replaced), reading it reports an error exactly when serde alone fails,
//! never panics, reports each error once, at a line of the file, and no more
//! than the per-file limit; and `check` of the whole example site, with the
//! rest of the broken plan checked too, never panics.

use std::collections::BTreeSet;
use std::path::Path;

use boardpack::diagnostics::Diagnostics;
use boardpack::load::collect::{MAX_ERRORS_PER_FILE, read_all};
use boardpack::model::Plan;
use proptest::prelude::*;

fn plan_text() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/plans/laa-ni63/plan.yaml"),
    )
    .unwrap()
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    Indent(usize),
    Outdent(usize),
    Replace(usize, usize, char),
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0..2000usize;
    prop_oneof![
        at.clone().prop_map(Edit::Delete),
        at.clone().prop_map(Edit::Duplicate),
        at.clone().prop_map(Edit::Indent),
        at.clone().prop_map(Edit::Outdent),
        (
            at,
            0..40usize,
            prop::sample::select(vec![':', '-', ' ', '[', '"', 'x', '7', '#', '{'])
        )
            .prop_map(|(l, c, ch)| Edit::Replace(l, c, ch)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for e in edits {
        let n = lines.len().max(1);
        match *e {
            Edit::Delete(i) if !lines.is_empty() => {
                lines.remove(i % n);
            }
            Edit::Duplicate(i) if !lines.is_empty() => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Edit::Indent(i) if !lines.is_empty() => lines[i % n].insert_str(0, "  "),
            Edit::Outdent(i) if !lines.is_empty() => {
                let l = &mut lines[i % n];
                if l.starts_with("  ") {
                    l.replace_range(..2, "");
                }
            }
            Edit::Replace(i, c, ch) if !lines.is_empty() => {
                let mut chars: Vec<char> = lines[i % n].chars().collect();
                if !chars.is_empty() {
                    let c = c % chars.len();
                    chars[c] = ch;
                    lines[i % n] = chars.into_iter().collect();
                }
            }
            _ => {}
        }
    }
    lines.join("\n") + "\n"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_mistake_is_reported_once_where_serde_finds_one(edits in prop::collection::vec(edit(), 1..6)) {
        let text = apply(&plan_text(), &edits);
        let plain = serde_saphyr::from_str::<Plan>(&text);
        let mut diags = Diagnostics::new();
        let read = read_all::<Plan>(Path::new("plan.yaml"), &text, &mut diags);
        prop_assert_eq!(read.errors, diags.error_count());
        prop_assert_eq!(read.errors == 0, plain.is_ok(), "{:?}", diags.render());
        prop_assert!(read.errors <= MAX_ERRORS_PER_FILE);
        // Set aside or not, every line and column stays where it was (a
        // stand-in for a field not written at all goes on a new last line).
        prop_assert!(read.text.lines().count() >= text.lines().count());
        for (got, was) in read.text.lines().zip(text.lines()) {
            prop_assert_eq!(got.chars().count(), was.chars().count());
        }
        let lines = text.lines().count() + 1;
        let mut seen = BTreeSet::new();
        for d in diags.sorted() {
            if let Some(p) = d.pos {
                prop_assert!(p.line <= lines, "{:?}", d);
            }
            prop_assert!(seen.insert((d.pos, d.message.clone())), "reported twice: {:?}", d);
        }
    }
}

/// Copy `from` into `to`, recursively.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn checking_a_site_with_a_broken_plan_never_panics(edits in prop::collection::vec(edit(), 1..8)) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&root.join("content"), &tmp.path().join("content"));
        let plan = tmp.path().join("content/plans/lac-action-plan-2015/plan.yaml");
        let text = std::fs::read_to_string(&plan).unwrap();
        std::fs::write(&plan, apply(&text, &edits)).unwrap();
        let mut diags = Diagnostics::new();
        let ok = boardpack::check(tmp.path(), &mut diags);
        prop_assert_eq!(ok, !diags.has_errors());
    }
}
