//! Fuzz the plan loader: the input is written as a plan's `plan.yaml` in a
//! small site, and `boardpack::check` must return (no panic, no hang, no
//! unbounded memory) with every diagnostic naming a file.
//!
//! Run with `cargo +nightly fuzz run load_plan` from the repository root;
//! see docs/fuzzing.md.

#![no_main]

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use boardpack::diagnostics::Diagnostics;
use libfuzzer_sys::fuzz_target;

/// One site for the whole run; each input overwrites its plan.yaml.
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
        // Companion files a fuzzed plan may name.
        fs::write(
            dir.path().join("content/plans/p/data.csv"),
            "period,actual,target\n2016/17 Q1,50,60\n",
        )
        .expect("data.csv");
        fs::write(
            dir.path().join("content/plans/p/body.md"),
            "Some *words*.\n",
        )
        .expect("body.md");
        dir
    })
    .path()
}

fuzz_target!(|data: &[u8]| {
    let root = site();
    fs::write(root.join("content/plans/p/plan.yaml"), data).expect("write plan.yaml");
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
    let _ = diags.to_json();
});
