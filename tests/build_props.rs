//! The whole build (load → compute → render, nothing written) on small sites
//! made from random bytes by `site_gen`: `boardpack::check` never panics, says
//! "no errors" exactly when it recorded none, and every diagnostic names a
//! file. The same generator drives the `build_site` fuzz target (see
//! docs/fuzzing.md); this runs a bounded number of cases on stable Rust.

mod site_gen;

use boardpack::diagnostics::Diagnostics;
use proptest::prelude::*;

/// Check the site made from `bytes`; panics (failing the case) on a broken promise.
fn check_bytes(bytes: &[u8]) -> Diagnostics {
    let files = site_gen::site(bytes);
    let dir = tempfile::tempdir().unwrap();
    site_gen::write(dir.path(), &files);
    let mut diags = Diagnostics::new();
    let ok = boardpack::check(dir.path(), &mut diags);
    assert_eq!(
        ok,
        !diags.has_errors(),
        "check's answer disagrees with its diagnostics"
    );
    for d in diags.sorted() {
        assert!(
            !d.file.as_os_str().is_empty(),
            "diagnostic without a file: {d:?}\nsite: {files:#?}"
        );
        assert!(d.file.is_relative(), "absolute path in a diagnostic: {d:?}");
    }
    // Rendering the report must not panic either (it quotes the files).
    let _ = diags.render();
    let _ = diags.to_json();
    diags
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any generated site: no panic, and every diagnostic is located in a file.
    #[test]
    fn generated_sites_check_without_panic_and_every_diagnostic_names_a_file(
        bytes in proptest::collection::vec(any::<u8>(), 0..512)
    ) {
        check_bytes(&bytes);
    }
}

/// The generator is only useful if its sites reach the renderer: the empty
/// input makes a valid site, and a good share of fixed random inputs do too
/// (so a change that made every site fail at load would show here).
#[test]
fn the_generator_mostly_makes_sites_that_reach_the_renderer() {
    assert!(
        !check_bytes(&[]).has_errors(),
        "the empty input must make a valid site"
    );
    let mut x: u32 = 0x9e37_79b9;
    let mut clean = 0;
    let runs = 40;
    for _ in 0..runs {
        let bytes: Vec<u8> = (0..256)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 24) as u8
            })
            .collect();
        if !check_bytes(&bytes).has_errors() {
            clean += 1;
        }
    }
    assert!(
        clean * 4 >= runs,
        "only {clean} of {runs} generated sites had no errors"
    );
}
