//! How boardpack talks: plurals, `--quiet`, examples and exit codes in every
//! `--help`, shell completions, and abbreviations readers already know.

mod common;

use std::path::Path;

use common::{boardpack, stderr};

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn one_plan_one_pack_no_warnings_and_quiet() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let r = root.to_str().unwrap();
    assert!(boardpack(&["init", r]).status.success());
    let o = boardpack(&["build", "--root", r]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(" for 1 plan and 1 pack into "), "{err}");
    assert!(err.contains("(0 warnings)"), "{err}");
    assert!(
        !err.contains("1 plans") && !err.contains("1 packs"),
        "{err}"
    );

    let o = boardpack(&["build", "--quiet", "--root", r]);
    assert!(o.status.success());
    assert_eq!(stderr(&o), "", "--quiet prints nothing when all is well");
    let o = boardpack(&["-q", "new", "plan", "second", "--root", r]);
    assert!(o.status.success());
    assert_eq!(stderr(&o), "");
}

#[test]
fn every_subcommand_help_has_two_examples_and_the_exit_codes() {
    for args in [
        &["build"][..],
        &["check"],
        &["init"],
        &["serve"],
        &["new"],
        &["schema"],
        &["completions"],
        &["diff"],
        &["tag-pack"],
    ] {
        let mut with_help = args.to_vec();
        with_help.push("--help");
        let o = boardpack(&with_help);
        assert!(o.status.success(), "{args:?}");
        let text = stdout(&o);
        let examples = text
            .split("Examples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{args:?} --help has no examples:\n{text}"));
        let lines = examples
            .lines()
            .take_while(|l| !l.is_empty())
            .filter(|l| l.trim_start().starts_with("boardpack "))
            .count();
        assert_eq!(lines, 2, "{args:?}: two examples\n{text}");
        assert!(
            text.contains("Exit codes:") && text.contains("  2  a mistake on the command line"),
            "{args:?}\n{text}"
        );
    }
    for sub in ["plan", "pack"] {
        let text = stdout(&boardpack(&["new", sub, "--help"]));
        assert!(
            text.contains("Examples:") && text.contains("Exit code"),
            "{text}"
        );
    }
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef boardpack"),
        ("fish", "complete -c boardpack"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = boardpack(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for sub in ["serve", "build", "check", "new"] {
            assert!(script.contains(sub), "{shell} completes {sub}");
        }
    }
    assert_eq!(boardpack(&["completions", "tcsh"]).status.code(), Some(2));
}

/// A site whose one action is led by `leads`, with `extra` in site.yaml.
fn site_with_leads(dir: &Path, leads: &str, extra: &str) {
    common::small_site(
        dir,
        &format!(
            "id: p\ntitle: T\nkind: action plan\nsections:\n  - title: S\n    include: [objectives]\nobjectives:\n  - ref: '1'\n    title: O\n    \
             actions:\n      - ref: '1.1'\n        description: D\n        leads: [{leads}]\n        \
             target_date: 2017-03\n"
        ),
    );
    let site = dir.join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(site, format!("{text}{extra}")).unwrap();
}

fn check(dir: &Path) -> String {
    stderr(&boardpack(&["check", "--root", dir.to_str().unwrap()]))
}

#[test]
fn common_abbreviations_are_known_and_a_site_can_add_or_switch_them_off() {
    let tmp = tempfile::tempdir().unwrap();
    let leads = "NHS trust, Ofsted lead, CAMHS manager, CYPP board";
    let a = tmp.path().join("a");
    site_with_leads(&a, leads, "");
    let out = check(&a);
    assert!(out.contains("`CYPP`"), "{out}");
    assert!(!out.contains("`NHS`") && !out.contains("`CAMHS`"), "{out}");

    let b = tmp.path().join("b");
    site_with_leads(&b, leads, "abbreviations:\n  known: [CYPP]\n");
    let out = check(&b);
    assert!(out.contains("0 errors, 0 warnings"), "{out}");

    let c = tmp.path().join("c");
    site_with_leads(&c, leads, "abbreviations:\n  built_in: false\n");
    let out = check(&c);
    assert!(out.contains("`NHS`") && out.contains("`CAMHS`"), "{out}");
}
