//! End-to-end: build the example site and small fixture sites with the real binary.

mod common;

use std::fs;

use common::*;

#[test]
fn example_site_shows_source_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_example(&out);

    // Seed 000: NI 63 baseline and target, with the computed status and its rule.
    let ni63 = read(&out, "indicators/ni-63.html");
    assert!(ni63.contains("57.1% (2006/07)"), "baseline missing");
    let plan = read(&out, "plans/laa-ni63.html");
    assert!(
        plan.contains("<td class=\"num target\" data-label=\"Target 2008/09\">66%</td>"),
        "2008/09 target missing"
    );
    assert!(
        plan.contains("<td class=\"num\" data-label=\"2008/09 in year Q1\">67.5%</td>"),
        "Q1 actual missing"
    );
    assert!(
        plan.contains(
            "Green: 67.5% is 1.5 points above the 66% target for 2008/09 (higher is better)"
        ),
        "computed RAG rule missing"
    );

    // Seed 001: the D1 budget's computed total net.
    let sip = read(&out, "plans/child-care-sip-2007.html");
    let budget = sip
        .split("id=\"table-budget\"")
        .nth(1)
        .expect("budget table");
    let total_row = budget.split("<tfoot>").nth(1).expect("total row");
    assert!(
        total_row.contains(">21,242<"),
        "D1 total net 21,242 missing"
    );
    assert!(total_row.contains(">23,748<"), "D1 total spend missing");
    // Glossary abbreviations are expanded where leads are named.
    assert!(sip.contains("<abbr title=\"Children&#39;s Service Manager Fieldwork\">CSMF</abbr>"));

    // Every page links relatively, so the folder works from a file share.
    for (path, bytes) in tree(&out) {
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            assert!(
                !html.contains("href=\"/"),
                "{path} has a root-relative link"
            );
            assert!(
                !html.contains("src=\"http"),
                "{path} loads a remote resource"
            );
        }
    }
}

#[test]
fn lac_action_plan_savings_total() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_example(&out);
    let lac = read(&out, "plans/lac-action-plan-2015.html");
    assert!(lac.contains("-6,789"), "total saving -6,789 missing");
    let app = read(&out, "plans/lac-action-plan-2015-appendix.html");
    assert!(
        app.contains("class=\"appendix landscape\""),
        "appendix is not landscape"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_example(&a);
    build_example(&b);
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 10);
    assert_eq!(ta.len(), tb.len());
    for ((pa, ba), (pb, bb)) in ta.iter().zip(&tb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between builds");
    }
}

#[test]
fn computed_statuses_show_their_rules() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), GOOD_PLAN);
    let out = tmp.path().join("output");
    let o = boardpack(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = read(&out, "plans/p.html");
    // Amber inside tolerance, with the rule beside it.
    assert!(html.contains("Amber: 64.1% is 1.9 points below the 66% target for 2016/17, inside the 2-point tolerance"), "{html}");
    // The action's revised date is later than its target and has passed.
    assert!(html.contains("Slipped: target Mar 2016, revised to Sep 2016"));
    assert!(
        !html.contains("Overdue"),
        "not yet overdue as at 1 Jul 2016"
    );
    // Derived column filled in and totals computed.
    assert!(html.contains("<td class=\"num\">3</td>"));
    assert!(html.contains("<td class=\"num\">33</td>"));
}

#[test]
fn bad_input_is_located_and_leaves_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), GOOD_PLAN);
    let root = tmp.path().to_str().unwrap();
    assert!(boardpack(&["build", "--root", root]).status.success());
    let before = tree(&tmp.path().join("output"));

    let broken = GOOD_PLAN.replace("        tolerance: 2\n", "        tolerence: 2\n");
    fs::write(tmp.path().join("content/plans/p/plan.yaml"), broken).unwrap();
    let o = boardpack(&["build", "--root", root]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("content/plans/p/plan.yaml:25:9: unknown field `tolerence`"),
        "{err}"
    );
    assert!(err.contains("did you mean `tolerance`?"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        tree(&tmp.path().join("output")),
        before,
        "previous output changed"
    );
}

#[test]
fn check_reports_every_error_with_position() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = GOOD_PLAN
        .replace("target_date: 2016-03", "target_date: 2016-02-31")
        .replace("tables: [money]", "tables: [mony]");
    small_site(tmp.path(), &plan);
    let o = boardpack(&["check", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("there is no 31 Feb 2016"), "{err}");

    // A second file with a different error is reported in the same run.
    let plan = GOOD_PLAN.replace("tables: [money]", "tables: [mony]");
    fs::write(tmp.path().join("content/plans/p/plan.yaml"), plan).unwrap();
    fs::create_dir_all(tmp.path().join("content/plans/q")).unwrap();
    fs::write(
        tmp.path().join("content/plans/q/plan.yaml"),
        "id: q\ntitle: Q\nkind: x\nperiod: {from: 2008/10, to: 2009/10}\n",
    )
    .unwrap();
    let o = boardpack(&["check", "--root", tmp.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(err.contains("content/plans/q/plan.yaml:4:"), "{err}");
    assert!(err.contains("did you mean 2008/09?"), "{err}");
}

#[test]
fn unknown_table_reference_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(
        tmp.path(),
        &GOOD_PLAN.replace("tables: [money]", "tables: [mony]"),
    );
    let o = boardpack(&["check", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("plan.yaml:8:14: unknown table `mony`"),
        "{err}"
    );
    assert!(err.contains("did you mean `money`?"), "{err}");
}

#[test]
fn stated_total_disagreeing_is_a_warning_with_both_figures() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(
        tmp.path(),
        &GOOD_PLAN.replace("stated: {total: 33}", "stated: {total: 35}"),
    );
    let o = boardpack(&["check", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "a warning must not fail the check");
    let err = stderr(&o);
    assert!(err.contains("warning: content/plans/p/plan.yaml:"), "{err}");
    assert!(
        err.contains("the stated total of `total` is 35 but its rows add up to 33"),
        "{err}"
    );
    let o = boardpack(&["check", "--strict", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "--strict fails on warnings");
}

#[test]
fn user_text_is_escaped_and_markdown_sanitised() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = GOOD_PLAN
        .replace(
            "title: Test plan",
            "title: \"<script>alert(1)</script>Plan\"",
        )
        .replace(
            "description: Do the thing",
            "description: \"<img src=x onerror=alert(1)> [x](javascript:alert(2))\"",
        )
        .replace("[A, 1, 2, ~]", "[\"<b onclick=x()>A</b>\", 1, 2, ~]");
    small_site(tmp.path(), &plan);
    let o = boardpack(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (path, bytes) in tree(&tmp.path().join("output")) {
        let html = String::from_utf8_lossy(&bytes);
        assert!(!html.contains("<script"), "{path}: live script");
        assert!(!html.contains("<img"), "{path}: live image with handler");
        assert!(!html.contains("<b onclick"), "{path}: live event handler");
        assert!(
            !html.contains("href=\"javascript"),
            "{path}: javascript link"
        );
    }
    let html = read(&tmp.path().join("output"), "plans/p.html");
    // YAML text is shown as text; Markdown's raw HTML is dropped.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;Plan"));
    assert!(html.contains("&lt;b onclick=x()&gt;A&lt;/b&gt;"));
}

#[test]
fn init_creates_a_site_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new-site");
    let o = boardpack(&["init", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = boardpack(&["build", "--root", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = read(&dir.join("output"), "plans/example-plan.html");
    assert!(html.contains("Illustrative figures only"));
    let o = boardpack(&["init", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "init refuses a non-empty folder");
}

#[test]
fn refuses_to_replace_a_foreign_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), GOOD_PLAN);
    let out = tmp.path().join("share");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("minutes.docx"), "not ours").unwrap();
    let o = boardpack(&[
        "build",
        "--root",
        tmp.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"));
    assert!(out.join("minutes.docx").exists());
}

#[test]
fn help_and_usage_errors() {
    for sub in ["build", "check", "init"] {
        let o = boardpack(&[sub, "--help"]);
        assert!(o.status.success());
        assert!(String::from_utf8_lossy(&o.stdout).contains("Usage: boardpack"));
    }
    assert_eq!(boardpack(&["bogus"]).status.code(), Some(2));
}

#[test]
fn site_overrides_one_template() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), GOOD_PLAN);
    fs::create_dir_all(tmp.path().join("templates")).unwrap();
    fs::write(
        tmp.path().join("templates/glossary.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Our own glossary page</p>{% endblock %}",
    )
    .unwrap();
    fs::create_dir_all(tmp.path().join("static")).unwrap();
    fs::write(tmp.path().join("static/style.css"), "body{color:red}").unwrap();
    let o = boardpack(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("output");
    assert!(read(&out, "glossary.html").contains("Our own glossary page"));
    assert!(
        read(&out, "plans/p.html").contains("Test plan"),
        "other templates still come from the theme"
    );
    assert_eq!(read(&out, "static/style.css"), "body{color:red}");
}

#[test]
fn data_quality_page_lists_what_to_chase() {
    let tmp = tempfile::tempdir().unwrap();
    // An action with no lead, past its date and not complete.
    let plan = GOOD_PLAN.replace("        leads: [HoS]\n", "");
    small_site(tmp.path(), &plan);
    let o = boardpack(&["build", "--root", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("output");
    // For authors: linked from the index's footer, not the board's navigation.
    let index = read(&out, "index.html");
    let footer = &index[index.find("<footer").unwrap()..];
    assert!(footer.contains("<a href=\"quality.html\">data quality</a>"));
    for page in [
        "index.html",
        "plans/p.html",
        "quality.html",
        "quality/p.html",
    ] {
        let html = read(&out, page);
        let nav = &html[html.find("<nav aria-label=\"Site\"").unwrap()..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        assert!(!nav.contains("quality.html"), "{page}: {nav}");
    }
    // The summary links to the plan's own page of findings, with their count.
    let summary = read(&out, "quality.html");
    assert!(
        summary.contains("<a href=\"quality/p.html\">Test plan</a></td><td class=\"num\">"),
        "{summary}"
    );
    assert!(!summary.contains("Action 1.1 has no lead"), "{summary}");
    let q = read(&out, "quality/p.html");
    assert!(
        q.contains("<a href=\"../plans/p.html\">this plan</a>"),
        "{q}"
    );
    assert!(q.contains("<a href=\"../quality.html\">"), "{q}");
    assert!(q.contains("Action 1.1 has no lead"), "{q}");
    // The place in words, relative to content/; names in backticks as code.
    assert!(q.contains(">plans/p/plan.yaml, line "), "{q}");
    assert!(!q.contains("content/plans/p/plan.yaml"), "{q}");
    assert!(q.contains("<code>leads:</code>"), "{q}");
    assert!(!q.contains('`'), "raw backticks: {q}");
}
