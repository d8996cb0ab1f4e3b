//! Fuzz the whole build: the input steers the generator in
//! `tests/site_gen/mod.rs` to make a small site (plans with sections,
//! indicators, tables, chart shortcodes and CSV files, packs, branding),
//! which is written to a temporary folder and given to `boardpack::check`:
//! load → compute → render, with nothing written. It must return without a
//! panic, say "no errors" exactly when it recorded none, and name a file in
//! every diagnostic.
//!
//! Run with `cargo +nightly fuzz run build_site`; see docs/fuzzing.md.
//! `tests/build_props.rs` runs the same generator on stable Rust.

#![no_main]

#[path = "../../tests/site_gen/mod.rs"]
mod site_gen;

use std::path::Path;
use std::sync::OnceLock;

use boardpack::diagnostics::Diagnostics;
use libfuzzer_sys::fuzz_target;

/// One folder for the whole run; each input replaces its `content/`.
fn root() -> &'static Path {
    static ROOT: OnceLock<tempfile::TempDir> = OnceLock::new();
    ROOT.get_or_init(|| tempfile::tempdir().expect("temporary folder"))
        .path()
}

fuzz_target!(|data: &[u8]| {
    let root = root();
    let files = site_gen::site(data);
    site_gen::write(root, &files);
    let mut diags = Diagnostics::new();
    let ok = boardpack::check(root, &mut diags);
    assert_eq!(ok, !diags.has_errors());
    for d in diags.sorted() {
        assert!(
            !d.file.as_os_str().is_empty() && d.file.is_relative(),
            "diagnostic without a file in the site: {d:?}"
        );
    }
    let _ = diags.render();
    let _ = diags.to_json();
});
