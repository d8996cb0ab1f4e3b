//! `init` and `new`: what they write builds with `--strict`, and they never
//! overwrite a file.

mod common;

use std::path::Path;

use common::{boardpack, read, stderr};

fn run_ok(args: &[&str]) {
    let o = boardpack(args);
    assert!(o.status.success(), "{args:?} failed: {}", stderr(&o));
}

fn build_strict(root: &Path) {
    let o = boardpack(&["build", "--strict", "--root", root.to_str().unwrap()]);
    assert!(
        o.status.success(),
        "the scaffold does not build with --strict:\n{}",
        stderr(&o)
    );
}

#[test]
fn init_makes_a_plan_and_a_pack_that_build_strictly() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    run_ok(&["init", root.to_str().unwrap()]);
    let pack = std::fs::read_to_string(root.join("content/packs/2025-26-q2.yaml"))
        .expect("init writes a board pack");
    assert!(pack.contains("plans: [example-plan]"));
    build_strict(&root);
    let html = read(&root.join("output"), "packs/2025-26-q2/index.html");
    assert!(html.contains("Example board"));
    for (file, line) in [
        (
            "content/site.yaml",
            "# yaml-language-server: $schema=../schemas/site.schema.json",
        ),
        (
            "content/plans/example/plan.yaml",
            "# yaml-language-server: $schema=../../../schemas/plan.schema.json",
        ),
        (
            "content/packs/2025-26-q2.yaml",
            "# yaml-language-server: $schema=../../schemas/pack.schema.json",
        ),
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        assert_eq!(text.lines().next(), Some(line), "{file}");
    }
}

#[test]
fn new_plans_of_every_kind_and_a_new_pack_build_strictly() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let r = root.to_str().unwrap();
    run_ok(&["init", r]);
    for kind in ["improvement-plan", "action-plan", "work-plan"] {
        let id = format!("new-{kind}");
        run_ok(&["new", "plan", &id, "--kind", kind, "--root", r]);
        let text = read(&root, &format!("content/plans/{id}/plan.yaml"));
        assert!(
            text.starts_with("# yaml-language-server: $schema=../../../schemas/plan.schema.json\n")
        );
    }
    run_ok(&[
        "new",
        "plan",
        "titled",
        "--title",
        "Quotes \"and\" colons: <b>",
        "--root",
        r,
    ]);
    run_ok(&[
        "new",
        "pack",
        "2025/26 Q3",
        "--board",
        "Children's Board: \"CiC\"",
        "--root",
        r,
    ]);
    let pack = read(&root, "content/packs/2025-26-q3.yaml");
    assert!(
        pack.contains(
            "plans: [example-plan, new-action-plan, new-improvement-plan, new-work-plan, titled]"
        ),
        "a new pack names every plan: {pack}"
    );
    build_strict(&root);
    let out = root.join("output");
    assert!(read(&out, "plans/titled.html").contains("Quotes &quot;and&quot; colons: &lt;b&gt;"));
    assert!(read(&out, "packs/2025-26-q3/index.html").contains("Board: &quot;CiC&quot;"));
}

#[test]
fn new_never_overwrites_and_refuses_bad_ids_periods_and_plans() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let r = root.to_str().unwrap();
    run_ok(&["init", r]);
    let plan = root.join("content/plans/example/plan.yaml");
    let before = std::fs::read(&plan).unwrap();
    std::fs::create_dir_all(root.join("content/plans/example-plan")).unwrap();
    std::fs::write(root.join("content/plans/example-plan/plan.yaml"), "mine").unwrap();
    let o = boardpack(&["new", "plan", "example-plan", "--root", r]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(
        read(&root, "content/plans/example-plan/plan.yaml"),
        "mine",
        "an existing file is left alone"
    );
    std::fs::remove_dir_all(root.join("content/plans/example-plan")).unwrap();
    let cases: [(&[&str], &str); 3] = [
        (
            &["new", "plan", "Bad Id", "--root", r],
            "write `id: bad-id`",
        ),
        (
            &["new", "pack", "2025/26 Q2", "--board", "B", "--root", r],
            "already exists",
        ),
        (
            &["new", "pack", "2025-26", "--board", "B", "--root", r],
            "is not a period",
        ),
    ];
    for (args, says) in cases {
        let o = boardpack(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(std::fs::read(&plan).unwrap(), before);
    let o = boardpack(&[
        "new", "pack", "2026/27", "--board", "B", "--plans", "nope", "--root", r,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("there is no plan `nope`"),
        "{}",
        stderr(&o)
    );
}
