//! Every example site under docs/examples builds, so the author's reference stays true.

mod common;

use common::*;

#[test]
fn every_documented_example_builds() {
    let dir = repo().join("docs/examples");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let site = entry.unwrap().path();
        if !site.join("content/site.yaml").is_file() {
            continue;
        }
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let o = boardpack(&[
            "build",
            "--root",
            site.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}: {}", site.display(), stderr(&o));
        assert!(out.join("index.html").is_file());
        n += 1;
    }
    assert!(n >= 4, "only {n} example sites found");
}
