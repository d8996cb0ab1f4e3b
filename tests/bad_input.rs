//! The bad-input corpus: hostile, broken and careless content must give a
//! clear diagnostic — file, line, column, what was expected, a hint — in
//! bounded time and memory, and never a panic.
//!
//! Every folder under `tests/bad_input/` is one case: a small site
//! (`content/site.yaml`, `content/plans/<p>/plan.yaml`, CSV and Markdown),
//! with `expected.txt`, the exact text `boardpack check --root <case>` prints
//! on stderr, and `exit.txt`, its exit code. The site is copied into a
//! temporary folder first; cases whose files cannot sensibly be committed (a
//! file over the 16 MB limit, binary garbage, alias bombs, deep nesting, byte
//! order marks, CRLF and Windows-1252 bytes, symbolic links) have them written
//! there by [`generate`]. Paths in the output are relative to the site, so the
//! snapshots do not depend on where the test runs.
//!
//! To record new or changed snapshots, run
//!
//! ```sh
//! BOARDPACK_BLESS=1 cargo test --test bad_input
//! ```
//!
//! which rewrites every `expected.txt` and `exit.txt` from what the binary
//! prints. Read each changed file before committing it (`git diff
//! tests/bad_input`): it must name the file, line and column where there is
//! one, say what was expected, and give a hint where one helps.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod common;

/// No case may take longer than this (debug build, slow CI machine).
const TIME_LIMIT: Duration = Duration::from_secs(20);

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input")
}

/// Every case folder, sorted by name.
fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(corpus())
        .expect("tests/bad_input")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// Copy `from` into `to`, recursively.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn write(site: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = site.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// Add `text` to the end of a file of the case.
fn append(site: &Path, rel: &str, text: &str) {
    let before = fs::read_to_string(site.join(rel)).unwrap();
    write(site, rel, before + text);
}

/// A file of `len` bytes that takes no disk space (it reads as NUL bytes).
fn sparse(site: &Path, rel: &str, len: u64) {
    let path = site.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::File::create(path).unwrap().set_len(len).unwrap();
}

const PLAN: &str = "content/plans/p/plan.yaml";

/// The head of a valid plan, for generated plan files.
const PLAN_HEAD: &str = "id: p\ntitle: Test plan\nkind: Action plan\n";

/// Write the generated files of `case` into `site`.
fn generate(case: &str, site: &Path) {
    match case {
        // Anchors of anchors: nine sections of nine sections ... nine levels
        // deep would be 387 million sections if expanded.
        "yaml-alias-bomb" => {
            let mut s = format!("{PLAN_HEAD}sections:\n  - &s0 {{title: lol}}\n");
            for i in 1..10 {
                let refs = vec![format!("*s{}", i - 1); 9].join(", ");
                s += &format!("  - &s{i} {{title: lol, sections: [{refs}]}}\n");
            }
            write(site, PLAN, s);
        }
        // One anchored row of 1,000 cells repeated 40,000 times: 40 million
        // cells from a file of half a megabyte.
        "yaml-alias-rows" => {
            let mut s = format!(
                "{PLAN_HEAD}tables:\n  - id: t\n    title: T\n    columns: [{{key: a}}]\n    rows:\n      - &r [{}]\n",
                vec!["lol"; 1000].join(",")
            );
            for _ in 0..40_000 {
                s += "      - *r\n";
            }
            write(site, PLAN, s);
        }
        // 100,000 opening brackets.
        "yaml-deep-brackets" => {
            write(
                site,
                PLAN,
                format!("{PLAN_HEAD}sections: {}\n", "[".repeat(100_000)),
            );
        }
        // Sections nested 200 deep, each one valid.
        "yaml-deep-sections" => {
            let mut s = format!("{PLAN_HEAD}sections:\n");
            for i in 0..200 {
                let pad = "  ".repeat(i);
                s += &format!("{pad}  - title: s{i}\n{pad}    sections:\n");
            }
            s += &format!("{}  - title: last\n", "  ".repeat(200));
            write(site, PLAN, s);
        }
        // Over the 16 MB limit; sparse, so it costs no disk.
        "file-too-large" => {
            sparse(site, PLAN, 20 * 1024 * 1024);
        }
        "csv-too-large" => {
            sparse(site, "content/plans/p/data.csv", 17 * 1024 * 1024 + 1);
        }
        // A zip/xlsx header and bytes that are no text at all.
        "binary-garbage" => {
            let mut bytes = b"PK\x03\x04\x14\x00\x06\x00".to_vec();
            let mut x: u32 = 2_463_534_242;
            for _ in 0..4096 {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                bytes.push((x >> 24) as u8);
            }
            write(site, PLAN, bytes);
        }
        "binary-csv" => {
            write(
                site,
                "content/plans/p/data.csv",
                b"period,actual\n2016/17 Q1,\x00\x01\x02\xff\n",
            );
        }
        // Escape sequences that would recolour or clear a terminal.
        "control-characters" => {
            write(
                site,
                PLAN,
                format!("{PLAN_HEAD}subtitle: \"\x1b[2J\x1b[31mred\"\n"),
            );
        }
        // Saved by Notepad or Excel on Windows: BOM and CRLF, valid content.
        "utf8-bom-crlf" => {
            let text = fs::read_to_string(site.join(PLAN)).unwrap();
            let mut bytes = b"\xEF\xBB\xBF".to_vec();
            bytes.extend(text.replace('\n', "\r\n").into_bytes());
            write(site, PLAN, bytes);
        }
        // CRLF line ends must not move line and column numbers.
        "crlf-error-position" => {
            let text = fs::read_to_string(site.join(PLAN)).unwrap();
            write(site, PLAN, text.replace('\n', "\r\n"));
        }
        // "CSV (Comma delimited)" from Excel: Windows-1252, £ as 0xA3, – as 0x96.
        "csv-windows-1252" => {
            write(
                site,
                "content/plans/p/budget.csv",
                b"area,staff,other\r\nFostering \x96 in-house,1,2\r\nResidential (\xa3k),10,20\r\n",
            );
        }
        // Nesting the HTML sanitiser would take minutes over (its time grows
        // with the square of the depth).
        "markdown-deep-quotes" => {
            write(
                site,
                "content/plans/p/background.md",
                format!("Intro.\n\n{}deep\n", "> ".repeat(50_000)),
            );
        }
        "markdown-deep-lists" => {
            write(
                site,
                "content/plans/p/background.md",
                format!("Intro.\n\n{}deep\n", "- ".repeat(20_000)),
            );
        }
        "markdown-deep-html" => {
            write(
                site,
                "content/plans/p/background.md",
                format!("Intro.\n\n{}\n", "<div>".repeat(50_000)),
            );
        }
        "yaml-deep-html-in-text" => {
            write(
                site,
                PLAN,
                format!(
                    "{PLAN_HEAD}sections:\n  - title: s\n    body: \"{}\"\n",
                    "<blockquote>".repeat(10_000)
                ),
            );
        }
        // An empty file beside a plan, and a plan that is only comments.
        "csv-empty" => write(site, "content/plans/p/budget.csv", ""),
        // Issue 8, bounded work. A logo just over the asset limit (sparse).
        "logo-too-large" => sparse(site, "content/images/logo.png", 9 * 1024 * 1024),
        // A meaning of 4,000 characters (it used to be repeated at every use of the term).
        "glossary-long-meaning" => append(
            site,
            "content/site.yaml",
            &format!(
                "glossary:\n  CSMF: \"{}\"\n",
                "Children's services ".repeat(200)
            ),
        ),
        "glossary-long-term" => append(
            site,
            "content/site.yaml",
            &format!("glossary:\n  {}: A long term\n", "ABC".repeat(20)),
        ),
        // A million short rows (about 10 MB): reading stops at the limit.
        "csv-million-rows" => {
            let mut s = String::from("area,staff\n");
            for i in 0..1_000_000 {
                s += &format!("a{i},1\n");
            }
            write(site, "content/plans/p/money.csv", s);
        }
        // 17,000 rows of 12 columns: 204,000 cells, each row within the CSV limit.
        "table-too-many-cells" => {
            let header: Vec<String> = (0..12).map(|i| format!("c{i}")).collect();
            let mut s = header.join(",") + "\n";
            for _ in 0..17_000 {
                s += "1,2,3,4,5,6,7,8,9,10,11,12\n";
            }
            write(site, "content/plans/p/wide.csv", s);
        }
        // 600 rows with a summed column: the default chart would have 600 bars.
        "chart-too-many-rows" | "shortcode-too-many-rows" => {
            let mut s = String::from("area,staff\n");
            for i in 0..600 {
                s += &format!("Area {i},{i}\n");
            }
            write(site, "content/plans/p/money.csv", s);
        }
        // Thirty charts of 5,000 figures each (500 rows of 10 columns): within the
        // limit for one chart, over the limit for one plan.
        "shortcode-many-charts" => {
            let header: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
            let mut s = format!("area,{}\n", header.join(","));
            for r in 0..500 {
                s += &format!("Row {r},1,2,3,4,5,6,7,8,9,10\n");
            }
            write(site, "content/plans/p/big.csv", s);
            let mut md = String::from("Charts.\n\n");
            for _ in 0..30 {
                md += "{{ chart(table=\"big\", kind=\"line\") }}\n\n";
            }
            write(site, "content/plans/p/charts.md", md);
        }
        // 6,000 quarters of figures for one indicator.
        "indicator-too-many-points" => {
            let mut s = String::from("period,actual\n");
            for i in 0..6000 {
                let y = 1000 + i / 4;
                s += &format!("{y}/{:02} Q{},50\n", (y + 1) % 100, i % 4 + 1);
            }
            write(site, "content/plans/p/long.csv", s);
        }
        // Notepad's "Unicode": UTF-16 little-endian with a byte-order mark.
        "utf16-le-bom" => {
            let mut bytes = vec![0xFF, 0xFE];
            bytes.extend(PLAN_HEAD.encode_utf16().flat_map(u16::to_le_bytes));
            write(site, PLAN, bytes);
        }
        // Excel's "Unicode Text" without its byte-order mark.
        "utf16-no-bom" => {
            let text = "period,actual\n2016/17 Q1,50\n";
            let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            write(site, "content/plans/p/series.csv", bytes);
        }
        // Old Mac line ends (CR only): read, with the error at its own line.
        "cr-only-line-ends" => {
            let text = format!(
                "# A plan saved on an old Mac\n{PLAN_HEAD}subtitle: S\nownr: Head of service\n"
            );
            write(site, PLAN, text.replace('\n', "\r"));
        }
        "cr-only-csv" => {
            let text = "period,actual\n2016/17 Q1,50\n2016/17 Q2,ten\n";
            write(site, "content/plans/p/series.csv", text.replace('\n', "\r"));
        }
        _ => {}
    }
    #[cfg(unix)]
    match case {
        // A data file that is a link to a file outside the site.
        "path-symlink-outside" => {
            let outside = site.parent().unwrap().join("secret.csv");
            fs::write(&outside, "period,actual\n2016/17 Q1,1\n").unwrap();
            std::os::unix::fs::symlink(&outside, site.join("content/plans/p/data.csv")).unwrap();
        }
        // The logo is a link to a file outside the site.
        "logo-symlink-outside" => {
            let outside = site.parent().unwrap().join("logo.svg");
            fs::write(&outside, "<svg/>").unwrap();
            fs::create_dir_all(site.join("content/images")).unwrap();
            std::os::unix::fs::symlink(&outside, site.join("content/images/logo.svg")).unwrap();
        }
        // plan.yaml itself is a link.
        "plan-yaml-symlink" => {
            let outside = site.parent().unwrap().join("plan.yaml");
            fs::write(&outside, PLAN_HEAD).unwrap();
            fs::create_dir_all(site.join("content/plans/q")).unwrap();
            std::os::unix::fs::symlink(&outside, site.join("content/plans/q/plan.yaml")).unwrap();
        }
        _ => {}
    }
}

/// Cases that need symbolic links, which only unix makes without privileges.
const UNIX_ONLY: [&str; 3] = [
    "path-symlink-outside",
    "plan-yaml-symlink",
    "logo-symlink-outside",
];

/// Run `check` on one case; returns (stderr with the site path replaced, exit code).
fn run_case(case: &Path) -> (String, i32, Duration) {
    run_case_as(case, "check")
}

/// Run `command` (`check`, or `build` into a fresh folder) on one case;
/// returns (stderr with the site path replaced, exit code).
fn run_case_as(case: &Path, command: &str) -> (String, i32, Duration) {
    let name = case.file_name().unwrap().to_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(&site).unwrap();
    if case.join("content").is_dir() {
        copy_tree(&case.join("content"), &site.join("content"));
    }
    generate(name, &site);
    let mut cmd = common::command();
    cmd.args([command, "--root"]).arg(&site);
    if command == "build" {
        cmd.arg("--out").arg(tmp.path().join("out"));
    }
    let start = Instant::now();
    let o = cmd.output().expect("run boardpack");
    let took = start.elapsed();
    let err = String::from_utf8_lossy(&o.stderr).replace(&*site.to_string_lossy(), "<site>");
    (err, o.status.code().unwrap_or(-1), took)
}

#[test]
fn every_bad_input_case_gives_its_expected_diagnostics() {
    let bless = std::env::var("BOARDPACK_BLESS").is_ok_and(|v| v == "1");
    let all = cases();
    assert!(all.len() >= 40, "the corpus has only {} cases", all.len());
    let mut failures = Vec::new();
    for case in &all {
        let name = case.file_name().unwrap().to_str().unwrap();
        if !cfg!(unix) && UNIX_ONLY.contains(&name) {
            continue;
        }
        let (err, code, took) = run_case(case);
        if err.contains("panicked") || code == 101 {
            failures.push(format!("{name}: boardpack panicked:\n{err}"));
            continue;
        }
        if took > TIME_LIMIT {
            failures.push(format!("{name}: took {took:?}"));
        }
        if bless {
            fs::write(case.join("expected.txt"), &err).unwrap();
            fs::write(case.join("exit.txt"), format!("{code}\n")).unwrap();
            continue;
        }
        let expected = fs::read_to_string(case.join("expected.txt"))
            .unwrap_or_else(|_| format!("(no expected.txt in {name}; run with BOARDPACK_BLESS=1)"));
        let expected_code: i32 = fs::read_to_string(case.join("exit.txt"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(-1);
        // Git on Windows may check the snapshots out with CRLF line ends.
        let expected = expected.replace("\r\n", "\n");
        if err != expected || code != expected_code {
            failures.push(format!(
                "{name}: exit {code} (expected {expected_code})\n--- expected\n{expected}--- got\n{err}"
            ));
        }
    }
    if !failures.is_empty() {
        let mut msg = String::new();
        for f in &failures {
            let _ = writeln!(msg, "{f}\n");
        }
        panic!(
            "{} of {} cases differ (re-record with BOARDPACK_BLESS=1 and read the diff):\n\n{msg}",
            failures.len(),
            all.len()
        );
    }
}

/// Script tags, event handlers and `javascript:` links in a title, a YAML
/// table cell, a CSV cell, an action description and a Markdown body file
/// must reach the built pages escaped or stripped, never as live markup.
#[test]
fn hostile_markup_never_reaches_the_output_live() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&corpus().join("xss/content"), &site.join("content"));
    let out = tmp.path().join("out");
    let o = common::command()
        .args(["build", "--root"])
        .arg(&site)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        let path = e.path().display().to_string();
        if !e.file_type().is_file() || !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = fs::read_to_string(e.path()).unwrap();
        let lower = html.to_lowercase();
        // The theme itself has no scripts, so any <script is the content's.
        assert!(!lower.contains("<script"), "{path}: live <script>");
        assert!(!lower.contains("<iframe"), "{path}: live <iframe>");
        assert!(
            !lower.contains("<img src=x"),
            "{path}: live <img> with handler"
        );
        assert!(!lower.contains("<svg/onload"), "{path}: live <svg onload>");
        for attr in ["onerror=", "onclick=", "onload=", "onmouseover="] {
            // Escaped text shows `onerror=` after `&lt;`; only a live tag has it inside `<…>`.
            for (i, _) in lower.match_indices(attr) {
                let before = &lower[..i];
                let open = before.rfind('<');
                let close = before.rfind('>');
                assert!(
                    !matches!((open, close), (Some(o), c) if c.is_none_or(|c| c < o)),
                    "{path}: live event handler `{attr}` in {}",
                    &html[i.saturating_sub(80)..(i + 40).min(html.len())]
                );
            }
        }
        assert!(
            !lower.contains("href=\"javascript:") && !lower.contains("href='javascript:"),
            "{path}: live javascript: link"
        );
    }
    assert!(pages > 3, "only {pages} pages built");
    let plan = fs::read_to_string(out.join("plans/xss.html")).unwrap();
    // Text from YAML and CSV is shown as text.
    assert!(
        plan.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"),
        "title not escaped"
    );
    assert!(
        plan.contains("&lt;img src=x onerror=alert(&#39;yaml-cell&#39;)&gt;"),
        "YAML cell not escaped"
    );
    assert!(
        plan.contains("&lt;svg/onload=alert(&#39;csv-cell&#39;)&gt;"),
        "CSV cell not escaped"
    );
    // Markdown keeps harmless formatting but loses scripts and handlers.
    assert!(
        plan.contains("<strong>Bold survives</strong>"),
        "Markdown formatting lost"
    );
}

/// `check --format json` prints the same diagnostics, in the same order, as
/// JSON on stdout; the exit codes do not change.
#[test]
fn json_format_lists_the_same_diagnostics() {
    let case = corpus().join("several-files-one-run");
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&case.join("content"), &tmp.path().join("content"));
    let run = |format: &str| {
        common::command()
            .args(["check", "--format", format, "--root"])
            .arg(tmp.path())
            .output()
            .unwrap()
    };
    let o = run("json");
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 5);
    let text = String::from_utf8_lossy(&run("text").stderr).into_owned();
    let mut last = String::new();
    for item in items {
        let keys: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            ["column", "file", "hint", "line", "message", "severity"]
        );
        assert_eq!(item["severity"], "error");
        let file = item["file"].as_str().unwrap();
        assert!(file >= last.as_str(), "not sorted by file");
        last = file.to_string();
        // The same message is in the text output, at the same place.
        let place = match item["line"].as_u64() {
            Some(l) => format!("{file}:{l}:{}", item["column"]),
            None => {
                assert!(item["column"].is_null());
                file.to_string()
            }
        };
        let msg = item["message"].as_str().unwrap();
        assert!(
            text.contains(&format!("error: {place}: {msg}")),
            "{place}: {msg}\n{text}"
        );
    }
    assert!(items[4]["hint"].as_str().unwrap().contains("`theme`"));
    assert!(items[2]["line"].is_null(), "an empty file has no line");

    // A clean site prints an empty array and exits 0; a bad --format is a usage error.
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(
        &corpus().join("utf8-bom-crlf/content"),
        &tmp.path().join("content"),
    );
    let o = common::command()
        .args(["check", "--format", "json", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "[]");
    let o = common::command()
        .args(["check", "--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

/// Cases whose errors only rendering finds (a chart shortcode's arguments, a
/// chart over its limits, the logo): `check` draws no chart, yet must report them.
const FOUND_WHILE_RENDERING: [&str; 6] = [
    "shortcode-bad-args",
    "shortcode-missing-indicator",
    "shortcode-many-charts",
    "chart-too-many-rows",
    "shortcode-too-many-rows",
    "logo-missing",
];

/// Issue 11: `check` draws no chart, sanitises no text and keeps no page, yet
/// must find exactly what a build finds. For every case, the diagnostics
/// `check` prints are those `build` prints (same set, same words), and both
/// fail or both succeed. The one allowed difference: where loading fails,
/// the build stops, while `check` reads on and checks what could be read
/// (`check_partial`), so it reports more; what the build reports is then
/// among them.
#[test]
fn check_reports_what_build_reports() {
    let mut failures = Vec::new();
    let mut rendering = Vec::new();
    let all = cases();
    for case in &all {
        let name = case.file_name().unwrap().to_str().unwrap();
        if !cfg!(unix) && UNIX_ONLY.contains(&name) {
            continue;
        }
        let (check, check_code, _) = run_case_as(case, "check");
        let (build, build_code, _) = run_case_as(case, "build");
        let (c, b) = (
            common::diagnostics_in(&check),
            common::diagnostics_in(&build),
        );
        let both_fail = check_code != 0 && build_code != 0;
        let read_on = both_fail && b.len() < c.len() && b.iter().all(|d| c.contains(d));
        let agree = (c == b || read_on) && (check_code == 0) == (build_code == 0);
        if FOUND_WHILE_RENDERING.contains(&name) {
            // Not vacuous: these fail, with the same errors from both.
            assert!(both_fail && c == b, "{name}:\n{check}\n---\n{build}");
            rendering.push(name);
        }
        if !agree {
            failures.push(format!(
                "{name}: check exit {check_code}, build exit {build_code}\n--- check\n{}\n--- build\n{}",
                c.join("\n"),
                b.join("\n")
            ));
        }
    }
    assert_eq!(
        rendering.len(),
        FOUND_WHILE_RENDERING.len(),
        "{rendering:?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
}
