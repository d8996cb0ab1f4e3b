//! Printing packs to PDF with headless Chromium, checked with poppler-utils.
//!
//! These tests need `chromium` and `pdfinfo`/`pdftotext` on the machine, so they
//! are ignored by a plain `cargo test`; `.ci/run` installs both and runs them with
//! `cargo test --test pdf -- --include-ignored`, failing if they cannot run.

mod common;

use std::process::Command;

use common::*;

fn tool(name: &str, args: &[&str]) -> String {
    let o = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for this test: {e}"));
    assert!(o.status.success(), "{name} {args:?} failed");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
#[ignore = "needs chromium and poppler-utils; run with --include-ignored (CI does)"]
fn packs_print_to_tagged_a4_pdfs_with_landscape_appendices() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let root = repo();
    let o = boardpack(&[
        "build",
        "--pdf",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("(4 PDFs printed, 0 unchanged and kept)"));

    let pdf = out.join("packs/2015-16-q4/pack.pdf");
    let pdf = pdf.to_str().unwrap();
    let info = tool("pdfinfo", &[pdf]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!((20..=80).contains(&pages), "{pages} pages");
    // Portrait A4 for the pack, landscape A4 for the action-plan appendix.
    let sizes = tool("pdfinfo", &["-f", "1", "-l", &pages.to_string(), pdf]);
    let portrait = sizes.matches("594.96 x 841.92").count();
    let landscape = sizes.matches("841.92 x 594.96").count();
    assert_eq!(portrait + landscape, pages, "every page is A4");
    assert!(landscape >= 5, "{landscape} landscape pages");
    assert!(portrait >= 10, "{portrait} portrait pages");

    let text = tool("pdftotext", &["-layout", pdf, "-"]);
    assert!(text.contains(&format!("Page 1 of {pages}")));
    assert!(
        text.contains("LAC action plan progress – OFFICIAL"),
        "running header"
    );
    assert!(text.contains("Changes since the previous pack"));
    // Contents carry page numbers read back from the first print.
    let contents = text.split('\u{c}').nth(1).unwrap();
    let line = contents
        .lines()
        .find(|l| l.trim_start().starts_with("Exceptions"))
        .unwrap();
    assert!(
        line.trim_end().ends_with(|c: char| c.is_ascii_digit()),
        "{line}"
    );
    // The landscape appendix's first page.
    let first_landscape = (1..=pages)
        .find(|p| {
            tool(
                "pdfinfo",
                &["-f", &p.to_string(), "-l", &p.to_string(), pdf],
            )
            .contains("841.92 x 594.96")
        })
        .unwrap();
    let page = tool(
        "pdftotext",
        &[
            "-layout",
            "-f",
            &first_landscape.to_string(),
            "-l",
            &first_landscape.to_string(),
            pdf,
            "-",
        ],
    );
    assert!(page.contains("Workstream / activity"), "{page}");

    // The 2008/09 Q1 pack holds NI 63's first in-year figure.
    let q1 = out.join("packs/2008-09-q1/pack.pdf");
    let text = tool("pdftotext", &["-layout", q1.to_str().unwrap(), "-"]);
    assert!(text.contains("67.5% for 2008/09 Q1"));
    assert!(text.contains("Not rated → Green"));
}

/// Inode of a file: the same after a rebuild means the file was kept, not rewritten.
fn inode(path: &std::path::Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

#[test]
#[ignore = "needs chromium; run with --include-ignored (CI does)"]
fn an_unchanged_packs_pdf_is_kept_not_reprinted() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    example_copy(&root);
    let out = tmp.path().join("out");
    let build = || {
        let o = boardpack(&[
            "build",
            "--pdf",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        stderr(&o)
    };
    assert!(build().contains("(4 PDFs printed, 0 unchanged and kept)"));
    let q4 = out.join("packs/2015-16-q4/pack.pdf");
    let q1 = out.join("packs/2008-09-q1/pack.pdf");
    let (q4_before, q1_before) = (inode(&q4), inode(&q1));
    let q4_bytes = std::fs::read(&q4).unwrap();

    assert!(build().contains("(0 PDFs printed, 4 unchanged and kept)"));
    assert_eq!(inode(&q4), q4_before, "an unchanged pack was reprinted");
    assert_eq!(std::fs::read(&q4).unwrap(), q4_bytes);

    // Editing one pack reprints that pack only.
    let pack = root.join("content/packs/2015-16-q4.yaml");
    let text = std::fs::read_to_string(&pack).unwrap();
    std::fs::write(&pack, text.replacen("status: draft", "status: final", 1)).unwrap();
    assert!(build().contains("(1 PDFs printed, 3 unchanged and kept)"));
    assert_ne!(inode(&q4), q4_before, "the edited pack was not reprinted");
    assert_eq!(inode(&q1), q1_before, "another pack was reprinted");
}

#[test]
fn a_missing_browser_is_a_clear_error_and_leaves_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), GOOD_PLAN);
    let root = tmp.path().to_str().unwrap();
    assert!(boardpack(&["build", "--root", root]).status.success());
    let before = tree(&tmp.path().join("output"));
    let o = Command::new(env!("CARGO_BIN_EXE_boardpack"))
        .args(["build", "--pdf", "--root", root])
        .env("PATH", "")
        .env_remove("BOARDPACK_BROWSER")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no Chromium-family browser found"), "{err}");
    assert!(err.contains("apt-get install chromium"), "{err}");
    assert_eq!(tree(&tmp.path().join("output")), before);
}
