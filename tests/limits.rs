//! Bounded work and assets read like content (issue 8).
//!
//! Hostile inputs just under the 16 MB file limit must end in a located
//! error (exit 1) or a good build, under a memory ceiling, never in an abort,
//! a signal or a hang; the logo is read as content and cannot replace a
//! theme file.

mod common;

use std::fs;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use common::{GOOD_PLAN, boardpack, read, small_site, stderr};

/// Just under the 16 MB limit on one content file.
const NEAR_CAP: usize = 15 * 1024 * 1024;

/// A plan with one section whose body is `body.md`.
const BODY_PLAN: &str = "id: p\ntitle: Test plan\nkind: Action plan\nsections:\n  - title: Text\n    body_file: body.md\n";

/// A site with `plan` and extra files (path under `content/plans/p/`, text).
fn site(dir: &Path, plan: &str, files: &[(&str, String)]) {
    small_site(dir, plan);
    for (name, text) in files {
        fs::write(dir.join("content/plans/p").join(name), text).unwrap();
    }
}

#[cfg(unix)]
mod ceiling {
    use std::io::Read;
    use std::os::unix::process::CommandExt;
    use std::path::Path;
    use std::process::Stdio;

    /// The address-space ceiling for one run: the issue's 1 GiB.
    ///
    /// `RLIMIT_AS` counts address space reserved as well as memory used: each
    /// thread's stack and each glibc malloc arena (64 MB apiece, one per
    /// thread) count in full while mostly untouched. So that the ceiling
    /// measures the work and not the machine's core count, the child runs
    /// with two rayon threads and two malloc arenas (`MALLOC_ARENA_MAX`);
    /// the normal example site must build under the same ceiling (checked
    /// below), so the ceiling is not set loose to pass.
    pub const CEILING: u64 = 1 << 30;

    /// What a run under the ceiling did.
    pub struct Run {
        /// Exit code, or `None` when a signal ended it (an abort, SIGSEGV, SIGKILL).
        pub code: Option<i32>,
        /// The signal that ended it, if one did.
        pub signal: Option<i32>,
        /// Stderr.
        pub stderr: String,
        /// Peak resident memory in MiB (from `wait4`).
        pub peak_mib: f64,
    }

    /// Run `boardpack args…` under [`CEILING`] and report how it ended.
    pub fn run(args: &[&str], root: &Path) -> Run {
        let mut cmd = crate::common::command();
        cmd.args(args)
            .arg("--root")
            .arg(root)
            .env("RAYON_NUM_THREADS", "2")
            .env("MALLOC_ARENA_MAX", "2")
            // The site-wide byte limit guards the disk (16 GB by default); the
            // hostile sites here are held to 256 MB so they stop early.
            .env("BOARDPACK_MAX_SITE_MB", "256")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                let lim = libc::rlimit {
                    rlim_cur: CEILING as libc::rlim_t,
                    rlim_max: CEILING as libc::rlim_t,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = cmd.spawn().expect("run boardpack");
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let pid = child.id() as libc::pid_t;
        let mut status = 0;
        // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // wait4, not Child::wait: it also gives this child's own peak memory.
        let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        assert_eq!(got, pid, "wait4 failed");
        std::mem::forget(child);
        let (code, signal) = if libc::WIFEXITED(status) {
            (Some(libc::WEXITSTATUS(status)), None)
        } else {
            (None, Some(libc::WTERMSIG(status)))
        };
        Run {
            code,
            signal,
            stderr: err,
            // ru_maxrss is in KiB on Linux.
            peak_mib: usage.ru_maxrss as f64 / 1024.0,
        }
    }
}

/// Issue 8, bounded work: every hostile input ends in a located error (exit 1)
/// or a good build, under a 1 GiB address-space ceiling, for both `check`
/// and `build`; and the example site builds under the same ceiling.
#[cfg(unix)]
#[test]
fn hostile_inputs_stay_under_a_memory_ceiling() {
    use ceiling::run;

    let tmp = tempfile::tempdir().unwrap();
    let mut cases: Vec<(&str, std::path::PathBuf, Option<&str>)> = Vec::new();
    let mut add = |name: &'static str, expect: Option<&'static str>, make: &dyn Fn(&Path)| {
        let dir = tmp.path().join(name);
        make(&dir);
        cases.push((name, dir, expect));
    };

    // A 50-byte shortcode asking for four billion rows, in a body near the cap.
    add(
        "shortcode-huge-range",
        Some("body.md:3:1: chart: row 4000000000 does not exist"),
        &|d| {
            let plan = GOOD_PLAN.replace(
                "  - title: Money\n    tables: [money]\n",
                "  - title: Money\n    tables: [money]\n    body_file: body.md\n",
            );
            let filler = "Words of the narrative. ".repeat(NEAR_CAP / 24 - 10);
            let body = format!(
                "Text.\n\n{{{{ chart(table=\"money\", rows=\"1-4000000000\") }}}}\n\n{filler}\n"
            );
            site(d, &plan, &[("body.md", body)]);
        },
    );
    // A meaning of 300 characters (the most allowed) and a body of nothing
    // but its abbreviation: gigabytes when every use was expanded.
    add(
        "glossary-amplification",
        Some("body.md: the text beginning"),
        &|d| {
            let plan = format!("{BODY_PLAN}glossary:\n  CSMF: \"{}\"\n", "m".repeat(300));
            site(d, &plan, &[("body.md", "CSMF ".repeat(NEAR_CAP / 5))]);
        },
    );
    // The same meaning used 120,000 times through a body near the cap, within
    // the tag limit: this one builds, and its page grows linearly.
    add("glossary-amplification-builds", None, &|d| {
        let plan = format!("{BODY_PLAN}glossary:\n  CSMF: \"{}\"\n", "m".repeat(300));
        let para = format!("CSMF {}\n\n", "plain words ".repeat(6));
        let n = 120_000;
        let filler = "x".repeat(NEAR_CAP.saturating_sub(para.len() * n) / 2);
        site(d, &plan, &[("body.md", para.repeat(n) + &filler)]);
    });
    // A million short rows.
    add(
        "csv-million-rows",
        Some("money.csv:20002:1: the CSV file has more than 20000 rows"),
        &|d| {
            let plan = GOOD_PLAN.replace(
                "    rows:\n      - [A, 1, 2, ~]\n      - [B, 10, 20, 30]\n    total:\n      label: TOTAL\n      stated: {total: 33}\n",
                "    csv: money.csv\n",
            );
            let mut csv = String::from("area,staff,other\n");
            for i in 0..1_000_000 {
                csv += &format!("{i},1,2\n");
            }
            site(d, &plan, &[("money.csv", csv)]);
        },
    );
    // A wide, deep table just under the cell limit (builds), and one over it.
    for (name, rows, expect) in [
        ("table-under-cell-limit", 16_500, None),
        (
            "table-over-cell-limit",
            19_000,
            Some("table `wide` has 19000 rows of 12 columns"),
        ),
    ] {
        add(name, expect, &move |d| {
            let cols: String = (0..12)
                .map(|i| format!("      - {{key: c{i}}}\n"))
                .collect();
            let plan = format!(
                "id: p\ntitle: T\nkind: Action plan\nsections:\n  - title: Wide\n    tables: [wide]\ntables:\n  - id: wide\n    title: Wide\n    columns:\n{cols}    csv: wide.csv\n"
            );
            let header: Vec<String> = (0..12).map(|i| format!("c{i}")).collect();
            let mut csv = header.join(",") + "\n";
            let row = format!("{}\n", ["some words in a cell"; 12].join(","));
            for _ in 0..rows {
                csv += &row;
            }
            site(d, &plan, &[("wide.csv", csv)]);
        });
    }
    // Markdown of a quarter of a million paragraphs (one element each).
    add(
        "markdown-many-elements",
        Some("body.md: the text beginning"),
        &|d| {
            site(d, BODY_PLAN, &[("body.md", "*a*\n\n".repeat(NEAR_CAP / 5))]);
        },
    );

    let example = common::repo();
    let mut report = Vec::new();
    for (name, dir, expect) in &cases {
        for cmd in ["check", "build"] {
            let out = dir.join("output");
            let r = if cmd == "build" {
                run(&["build", "--out", out.to_str().unwrap()], dir)
            } else {
                run(&["check"], dir)
            };
            report.push(format!("{name} {cmd}: {:.0} MiB", r.peak_mib));
            assert!(
                r.signal.is_none(),
                "{name} {cmd}: ended by signal {:?} (peak {:.0} MiB):\n{}",
                r.signal,
                r.peak_mib,
                r.stderr
            );
            assert!(!r.stderr.contains("panicked"), "{name} {cmd}: {}", r.stderr);
            match expect {
                Some(msg) => {
                    assert_eq!(r.code, Some(1), "{name} {cmd}:\n{}", r.stderr);
                    assert!(
                        r.stderr.contains(msg),
                        "{name} {cmd}: no `{msg}` in\n{}",
                        r.stderr
                    );
                }
                None => assert_eq!(r.code, Some(0), "{name} {cmd}:\n{}", r.stderr),
            }
        }
    }
    // The ceiling is not so tight that ordinary work fails under it.
    let out = tmp.path().join("example-out");
    let r = run(&["build", "--out", out.to_str().unwrap()], &example);
    assert_eq!(
        r.code,
        Some(0),
        "the example site under the ceiling:\n{}",
        r.stderr
    );
    report.push(format!("example build: {:.0} MiB", r.peak_mib));
    eprintln!("peak memory under the ceiling:\n  {}", report.join("\n  "));
}

/// Issue 8, bounded work: every pack repeats its plans in full, so sixty packs
/// of a plan with a table just under the cell limit would make some 300 MB of
/// pages. Pages are rendered as their data is made and counted as they go:
/// the build stops at the site limit with an error at the pack that passed
/// it, under the memory ceiling.
#[cfg(unix)]
#[test]
fn packs_repeating_a_large_plan_stop_at_the_site_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let cols: String = (0..12)
        .map(|i| format!("      - {{key: c{i}}}\n"))
        .collect();
    let plan = format!(
        "id: p\ntitle: T\nkind: Action plan\nsections:\n  - title: Wide\n    tables: [wide]\ntables:\n  - id: wide\n    title: Wide\n    columns:\n{cols}    csv: wide.csv\n"
    );
    let header: Vec<String> = (0..12).map(|i| format!("c{i}")).collect();
    let row = format!("{}\n", ["some words in a cell"; 12].join(","));
    site(
        root,
        &plan,
        &[("wide.csv", header.join(",") + "\n" + &row.repeat(16_000))],
    );
    common::yearly_packs(root, 60);
    let out = root.join("output");
    let r = ceiling::run(&["build", "--out", out.to_str().unwrap()], root);
    assert!(r.signal.is_none(), "signal {:?}: {}", r.signal, r.stderr);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("content/packs/pack")
            && r.stderr
                .contains("MB so far: the limits are 64 MB a page and 256 MB for the whole site"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    eprintln!(
        "packs over the site limit: build peak {:.0} MiB",
        r.peak_mib
    );
}

/// Run `f` on another thread; fail (rather than hang the test run) if it has
/// not finished within a generous time.
fn with_watchdog<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(120))
        .unwrap_or_else(|_| panic!("{what}: still running after two minutes (hung?)"))
}

/// Issue 8: a FIFO as the logo (or in `static/`) hung the build; now it is
/// refused by name, without opening it.
#[cfg(unix)]
#[test]
fn a_fifo_logo_or_static_file_is_an_error_not_a_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    small_site(&root, GOOD_PLAN);
    fs::create_dir_all(root.join("content/images")).unwrap();
    let mkfifo = |p: &Path| {
        let st = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .unwrap();
        assert!(st.success(), "mkfifo {}", p.display());
    };
    mkfifo(&root.join("content/images/logo.png"));
    let site_yaml = root.join("content/site.yaml");
    let text = fs::read_to_string(&site_yaml).unwrap();
    fs::write(
        &site_yaml,
        format!("{text}branding:\n  logo: images/logo.png\n"),
    )
    .unwrap();
    let r = root.clone();
    let (check, build) = with_watchdog("FIFO logo", move || {
        let r = r.to_str().unwrap();
        (
            boardpack(&["check", "--root", r]),
            boardpack(&["build", "--root", r]),
        )
    });
    for o in [&check, &build] {
        assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
        assert!(
            stderr(o).contains(
                "content/site.yaml:9:3: branding.logo `images/logo.png`: expected an ordinary file, found a device, pipe or socket"
            ),
            "{}",
            stderr(o)
        );
    }
    assert!(!root.join("output").exists());

    // A FIFO among the site's static files.
    fs::write(&site_yaml, &text).unwrap();
    fs::create_dir_all(root.join("static")).unwrap();
    mkfifo(&root.join("static/feed.css"));
    let r = root.clone();
    let o = with_watchdog("FIFO in static/", move || {
        boardpack(&["build", "--root", r.to_str().unwrap()])
    });
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("static/feed.css: is not an ordinary file"),
        "{}",
        stderr(&o)
    );
}

/// Issue 8: a logo named `style.css` replaced the theme's stylesheet. The
/// content's files now go under `media/`.
#[test]
fn a_logo_named_style_css_does_not_replace_the_stylesheet() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    small_site(root, GOOD_PLAN);
    fs::create_dir_all(root.join("content/images")).unwrap();
    fs::write(
        root.join("content/images/style.css"),
        "body { display: none }",
    )
    .unwrap();
    let site_yaml = root.join("content/site.yaml");
    let text = fs::read_to_string(&site_yaml).unwrap();
    fs::write(
        &site_yaml,
        format!("{text}branding:\n  logo: images/style.css\n"),
    )
    .unwrap();
    let o = boardpack(&["build", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = root.join("output");
    let theme_css = include_str!("../themes/default/static/style.css");
    assert_eq!(read(&out, "static/style.css"), theme_css);
    assert_eq!(read(&out, "media/style.css"), "body { display: none }");
    assert!(read(&out, "index.html").contains("src=\"media/style.css\""));
}

/// Issue 8: the logo had no size cap. A logo over the asset limit fails the
/// build, leaving no output.
#[test]
fn an_oversized_logo_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    small_site(root, GOOD_PLAN);
    fs::create_dir_all(root.join("content/images")).unwrap();
    fs::File::create(root.join("content/images/logo.png"))
        .unwrap()
        .set_len(boardpack::limits::MAX_ASSET_BYTES + 1)
        .unwrap();
    let site_yaml = root.join("content/site.yaml");
    let text = fs::read_to_string(&site_yaml).unwrap();
    fs::write(
        &site_yaml,
        format!("{text}branding:\n  logo: images/logo.png\n"),
    )
    .unwrap();
    let o = boardpack(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("content/site.yaml:9:3: branding.logo `images/logo.png`: the file is 8.0 MB, over the 8 MB limit"),
        "{}",
        stderr(&o)
    );
    assert!(!root.join("output").exists());
}

/// Issue 8, messages that tell the truth: UTF-16 is named (at YAML and CSV
/// level), and old Mac line ends are read with their lines counted.
#[test]
fn utf16_is_named_and_cr_only_files_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let utf16le = |s: &str| -> Vec<u8> {
        [0xFF, 0xFE]
            .into_iter()
            .chain(s.encode_utf16().flat_map(u16::to_le_bytes))
            .collect()
    };
    small_site(root, GOOD_PLAN);
    fs::write(root.join("content/plans/p/plan.yaml"), utf16le(GOOD_PLAN)).unwrap();
    let o = boardpack(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("content/plans/p/plan.yaml: the file is UTF-16 text (little-endian, with a byte-order mark), not UTF-8: save it as UTF-8"),
        "{err}"
    );
    assert!(!err.contains("binary"), "{err}");

    // A CSV in UTF-16 without a byte-order mark.
    let plan = GOOD_PLAN.replace(
        "    rows:\n      - [A, 1, 2, ~]\n      - [B, 10, 20, 30]\n    total:\n      label: TOTAL\n      stated: {total: 33}\n",
        "    csv: money.csv\n",
    );
    fs::write(root.join("content/plans/p/plan.yaml"), &plan).unwrap();
    let csv = "area,staff,other\nA,1,2\nB,10,20\n";
    let no_bom: Vec<u8> = csv.encode_utf16().flat_map(u16::to_le_bytes).collect();
    fs::write(root.join("content/plans/p/money.csv"), no_bom).unwrap();
    let o = boardpack(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains(
            "`money.csv`: the file is UTF-16 text (little-endian, without a byte-order mark)"
        ),
        "{err}"
    );

    // CR-only line ends in both files: read (not "empty" for a plan that
    // starts with a comment, as a file read as one line was), and it builds.
    fs::write(
        root.join("content/plans/p/plan.yaml"),
        format!("# Saved on an old Mac\n{plan}").replace('\n', "\r"),
    )
    .unwrap();
    fs::write(
        root.join("content/plans/p/money.csv"),
        csv.replace('\n', "\r"),
    )
    .unwrap();
    let o = boardpack(&["build", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(&root.join("output"), "plans/p.html").contains(">B</"));
    // A mistake on line 3 of a CR-only CSV is reported at line 3.
    fs::write(
        root.join("content/plans/p/money.csv"),
        "area,staff,other\rA,1,2\rB,ten,20\r",
    )
    .unwrap();
    let o = boardpack(&["check", "--root", root.to_str().unwrap()]);
    assert!(
        stderr(&o).contains(
            "content/plans/p/money.csv:3:3: table `money`, column `staff`: `ten` is not a number"
        ),
        "{}",
        stderr(&o)
    );
}
