//! Publishing with the real binary: sources are never output, one build at a
//! time per output folder, interrupted builds clean up, and a failed build
//! says truthfully what it left.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::*;

/// `.output.boardpack-<suffix>` beside `out`.
fn beside(out: &Path, suffix: &str) -> PathBuf {
    let name = out.file_name().unwrap().to_string_lossy();
    out.with_file_name(format!(".{name}.boardpack-{suffix}"))
}

/// A small site in `<tmp>/site` whose plan also reads `<tmp>/site/shared/intro.md`.
fn site(tmp: &Path) -> PathBuf {
    let root = tmp.join("site");
    let plan = GOOD_PLAN.replace(
        "sections:\n",
        "sections:\n  - title: Introduction\n    body_file: ../../../shared/intro.md\n",
    );
    small_site(&root, &plan);
    fs::create_dir_all(root.join("shared")).unwrap();
    fs::write(root.join("shared/intro.md"), "Shared introduction.\n").unwrap();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/extra.css"), "p {}\n").unwrap();
    root
}

fn build(root: &Path, out: &Path, force: bool) -> std::process::Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    if force {
        args.push("--force");
    }
    boardpack(&args)
}

/// Build into `out` and expect a refusal naming `out` and `source`, with
/// everything under `keep` byte for byte as it was and nothing left beside `out`.
fn assert_refused(root: &Path, out: &Path, force: bool, source: &Path, keep: &Path) {
    let before = tree(keep);
    assert!(!before.is_empty());
    let o = build(root, out, force);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("refusing to build into"), "{err}");
    assert!(err.contains(&out.display().to_string()), "{err}");
    assert!(
        err.contains(&source.canonicalize().unwrap().display().to_string()),
        "{err}"
    );
    assert!(err.contains("even with --force"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(tree(keep), before, "sources changed");
    for suffix in ["new", "old", "lock"] {
        assert!(!beside(out, suffix).exists(), "{suffix} left beside --out");
    }
}

#[test]
fn force_out_at_the_site_root_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    assert_refused(&root, &root, true, &root, &root);
}

#[test]
fn out_at_content_is_refused_with_or_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    for force in [false, true] {
        assert_refused(
            &root,
            &root.join("content"),
            force,
            &root.join("content"),
            &root,
        );
    }
}

#[test]
fn out_at_the_roots_parent_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    for force in [false, true] {
        assert_refused(&root, tmp.path(), force, &root, tmp.path());
    }
}

#[test]
fn out_inside_content_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let plans = root.join("content/plans");
    assert_refused(&root, &plans, true, &root.join("content"), &root);
    // A folder that does not exist yet, reached with `..`.
    let dotted = root.join("output/../content/new");
    assert_refused(&root, &dotted, true, &root.join("content"), &root);
}

#[test]
fn out_at_static_or_templates_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    for dir in ["static", "templates"] {
        assert_refused(&root, &root.join(dir), true, &root.join(dir), &root);
    }
}

#[cfg(unix)]
#[test]
fn out_through_a_symlink_to_content_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let link = tmp.path().join("published");
    std::os::unix::fs::symlink(root.join("content"), &link).unwrap();
    assert_refused(&root, &link, true, &root.join("content"), &root);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn out_holding_a_file_the_site_reads_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let shared = root.join("shared");
    let o = build(&root, &shared, true);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("which the site reads"), "{err}");
    assert!(err.contains("shared/intro.md"), "{err}");
    assert_eq!(
        fs::read_to_string(shared.join("intro.md")).unwrap(),
        "Shared introduction.\n"
    );
    // The same site builds into its default output.
    let out = root.join("output");
    let o = build(&root, &out, false);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(&out, "plans/p.html").contains("Shared introduction."));
}

#[test]
fn failed_first_build_does_not_claim_a_previous_output() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    fs::write(root.join("content/plans/p/plan.yaml"), "id: [\n").unwrap();
    let out = tmp.path().join("new/folders/never-built");
    let o = build(&root, &out, false);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("left as it was"), "{err}");
    assert!(
        err.contains(&format!(
            "build failed: nothing was written to {} (there was no previous output)",
            out.display()
        )),
        "{err}"
    );
    assert!(
        !tmp.path().join("new").exists(),
        "folders made for --out were left"
    );
}

#[test]
fn failed_rebuild_says_the_previous_output_was_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("built");
    assert!(build(&root, &out, false).status.success());
    let before = tree(&out);
    fs::write(root.join("content/plans/p/plan.yaml"), "id: [\n").unwrap();
    let o = build(&root, &out, false);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "build failed: the previous output in {} was left as it was",
            out.display()
        )),
        "{err}"
    );
    assert_eq!(tree(&out), before);
}

/// Start a build that pauses once its staging folder is written (lock held),
/// and return it when it says so.
fn paused_build(root: &Path, out: &Path) -> (Child, BufReader<std::process::ChildStderr>) {
    let mut child = spawn_paused(root, out);
    let Some(stderr) = child.stderr.take() else {
        unreachable!("stderr is piped")
    };
    let mut err = BufReader::new(stderr);
    let mut said = String::new();
    let mut line = String::new();
    while err.read_line(&mut line).unwrap_or(0) > 0 {
        if line.starts_with("test pause: staged") {
            return (child, err);
        }
        said.push_str(&line);
        line.clear();
    }
    let _ = child.kill();
    let status = child.wait();
    panic!("build ended before pausing ({status:?}):\n{said}");
}

/// The build of [`paused_build`], with standard input and error piped.
fn spawn_paused(root: &Path, out: &Path) -> Child {
    common::command()
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .env("BOARDPACK_TEST_PAUSE_AFTER_STAGE", "1")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run boardpack")
}

#[test]
fn second_build_into_the_same_out_stops_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("built");
    assert!(build(&root, &out, false).status.success());
    let before = tree(&out);

    let (mut first, _err) = paused_build(&root, &out);
    let second = build(&root, &out, true);
    let err = stderr(&second);
    assert_eq!(second.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "another build is writing {}; started at ",
            out.canonicalize().unwrap().display()
        )),
        "{err}"
    );
    assert!(err.contains(&format!(", pid {} ", first.id())), "{err}");
    assert!(
        err.contains(&format!(
            "the previous output in {} was left",
            out.display()
        )),
        "{err}"
    );
    assert!(
        beside(&out, "new").join("index.html").is_file(),
        "the second build removed the first one's staging folder"
    );
    assert_eq!(
        tree(&out),
        before,
        "output changed while the first build paused"
    );

    drop(first.stdin.take());
    assert!(first.wait().unwrap().success(), "the first build failed");
    assert!(out.join(".boardpack-output").is_file());
    assert!(read(&out, "plans/p.html").contains("Shared introduction."));
    for suffix in ["new", "old", "lock"] {
        assert!(!beside(&out, suffix).exists(), "{suffix} left beside --out");
    }
}

#[test]
fn stale_lock_and_leftover_folders_are_cleaned() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("built");
    assert!(build(&root, &out, false).status.success());
    // What a killed build leaves: a lock file (no process holds it) and its staging folder.
    fs::write(
        beside(&out, "lock"),
        "pid 999999999\nstarted 2001-01-01T00:00:00Z\n",
    )
    .unwrap();
    fs::create_dir_all(beside(&out, "new").join("plans")).unwrap();
    fs::write(beside(&out, "new").join("plans/half.html"), "half").unwrap();
    let o = build(&root, &out, false);
    assert!(o.status.success(), "{}", stderr(&o));
    for suffix in ["new", "old", "lock"] {
        assert!(!beside(&out, suffix).exists(), "{suffix} left beside --out");
    }
    assert!(!out.join("plans/half.html").exists());
}

#[test]
fn output_moved_aside_by_a_killed_build_is_put_back() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("built");
    assert!(build(&root, &out, false).status.success());
    let before = tree(&out);
    // Killed between the fallback's two renames: the old output is aside, none in place.
    fs::rename(&out, beside(&out, "old")).unwrap();
    fs::write(root.join("content/plans/p/plan.yaml"), "id: [\n").unwrap();
    let o = build(&root, &out, false);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(tree(&out), before, "the previous output was not put back");
    assert!(
        err.contains("the previous output in"),
        "the failure names the restored output: {err}"
    );
    assert!(!beside(&out, "old").exists());
}

#[cfg(unix)]
#[test]
fn sigterm_and_ctrl_c_remove_the_staging_folder_and_keep_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("built");
    assert!(build(&root, &out, false).status.success());
    let before = tree(&out);
    for (signal, code) in [("TERM", 143), ("INT", 130)] {
        let (mut child, _err) = paused_build(&root, &out);
        // Keep standard input open until the build has ended: `Child::wait`
        // closes it first, which would end the pause and race the signal.
        let _stdin = child.stdin.take();
        assert!(beside(&out, "new").is_dir());
        assert!(beside(&out, "lock").is_file());
        let killed = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "SIG{signal}");
        for suffix in ["new", "old", "lock"] {
            assert!(
                !beside(&out, suffix).exists(),
                "SIG{signal} left {suffix} beside --out"
            );
        }
        assert_eq!(tree(&out), before, "SIG{signal} changed the output");
    }
}

#[test]
fn a_build_finishing_later_publishes_first_and_removes_the_old_output_before_the_wait_ends() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let out = tmp.path().join("out");
    let finishing = std::sync::Arc::new(boardpack::write::Finishing::default());
    let options = boardpack::BuildOptions {
        finish: Some(finishing.clone()),
        ..Default::default()
    };
    let build = |marker: &str| {
        fs::write(root.join("shared/intro.md"), format!("{marker}\n")).unwrap();
        let mut diags = boardpack::diagnostics::Diagnostics::new();
        boardpack::build(&root, &out, &options, &mut diags).expect("builds");
    };
    build("First introduction.");
    finishing.wait();
    build("Second introduction.");
    // Published when the build returns, whatever is still being removed.
    let page = fs::read_to_string(out.join("plans/p.html")).unwrap();
    assert!(page.contains("Second introduction."));
    finishing.wait();
    for suffix in ["new", "old", "lock"] {
        assert!(
            !beside(&out, suffix).exists(),
            "{suffix} left beside the output"
        );
    }
    // The lock went with the old output: the next build runs at once.
    build("Third introduction.");
    finishing.wait();
    assert!(
        fs::read_to_string(out.join("plans/p.html"))
            .unwrap()
            .contains("Third introduction.")
    );
}
