//! Build speed and memory on generated sites: `cargo bench`.
//!
//! Generates a synthetic site (figures are made up for the benchmark and never
//! published), builds it with the library, and reports pages per second,
//! charts per second and peak memory. Also draws 10,000 charts directly.
//! Set BOARDPACK_BENCH_PLANS to change the site size (default 200 plans,
//! about 2,600 pages). With BOARDPACK_BENCH_GENERATE=<dir> it only writes
//! the synthetic site there; `benches/scale.sh` uses that to time the release
//! binary at several sizes (see docs/performance.md).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Instant;

use boardpack::diagnostics::Diagnostics;
use boardpack::render::charts::{self, DataTable, Line, LineSpec};
use rayon::prelude::*;

/// Peak resident memory of this process, from /proc (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn generate(root: &Path, plans: usize) {
    fs::create_dir_all(root.join("content/plans")).unwrap();
    fs::write(
        root.join("content/site.yaml"),
        "title: Benchmark site (synthetic figures)\norganisation: Benchmark\nas_at: 2009-03-31\nglossary:\n  CSMF: Children's Service Manager Fieldwork\n",
    )
    .unwrap();
    for p in 0..plans {
        let dir = root.join(format!("content/plans/p{p:04}"));
        fs::create_dir_all(&dir).unwrap();
        let mut y = String::new();
        let _ = writeln!(
            y,
            "id: p{p:04}\ntitle: Synthetic plan {p}\nkind: Benchmark plan\nsections:\n  - title: Narrative\n    body_file: narrative.md\n  - title: Objectives\n    include: [objectives]\n  - title: Money\n    tables: [money]\nobjectives:"
        );
        for o in 0..4 {
            let _ = writeln!(y, "  - ref: '{o}'\n    title: Objective {o}\n    actions:");
            for a in 0..3 {
                let _ = writeln!(
                    y,
                    "      - ref: '{o}.{a}'\n        description: Synthetic action {a} led by CSMF\n        leads: [CSMF]\n        target_date: 2008-{:02}\n        progress:\n          - {{period: 2008/09 Q1, text: Started, rag: amber}}\n          - {{period: 2008/09 Q2, text: Going well, rag: green}}",
                    a + 6
                );
            }
            let _ = writeln!(y, "    indicators:");
            for i in 0..3 {
                let v = 50.0 + ((p * 7 + o * 3 + i) % 40) as f64;
                let _ = writeln!(
                    y,
                    "      - id: p{p:04}-{o}-{i}\n        title: Synthetic indicator {o}.{i}\n        unit: '%'\n        polarity: higher_is_better\n        tolerance: 2\n        baseline: {{period: 2005/06, value: {}}}\n        actuals: {{2006/07: {}, 2007/08: {}, 2008/09 Q1: {}, 2008/09 Q2: {}}}\n        targets: {{2007/08: {}, 2008/09: {}}}",
                    v - 5.0,
                    v - 3.0,
                    v - 1.0,
                    v,
                    v + 1.5,
                    v,
                    v + 2.0
                );
            }
        }
        let _ = writeln!(
            y,
            "tables:\n  - id: money\n    title: Budget\n    columns:\n      - {{key: area}}\n      - {{key: staff, type: number, sum: true}}\n      - {{key: other, type: number, sum: true}}\n      - {{key: total, type: number, sum: true, formula: staff + other}}\n    rows:"
        );
        for r in 0..10 {
            let _ = writeln!(y, "      - [Area {r}, {}, {}, ~]", 100 + r * 7, 50 + r * 3);
        }
        fs::write(dir.join("plan.yaml"), y).unwrap();
        let md = "## Background\n\nThe CSMF leads this work. *Synthetic text* for the benchmark, with a [link](https://example.org) and a list:\n\n- one\n- two\n\n".repeat(5);
        fs::write(dir.join("narrative.md"), md).unwrap();
    }
}

fn main() {
    let plans: usize = std::env::var("BOARDPACK_BENCH_PLANS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    // Only write the synthetic site, for benches/scale.sh to time the release binary.
    if let Some(dir) = std::env::var_os("BOARDPACK_BENCH_GENERATE") {
        generate(Path::new(&dir), plans);
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    generate(&root, plans);
    let out = tmp.path().join("out");

    // Warm-up build, then timed builds.
    let mut best = f64::MAX;
    let mut stats = None;
    for _ in 0..3 {
        // A full build each time: with the last output there, plans would be reused.
        let _ = fs::remove_dir_all(&out);
        let mut diags = Diagnostics::new();
        let start = Instant::now();
        let s = boardpack::build(&root, &out, &Default::default(), &mut diags).expect("build");
        best = best.min(start.elapsed().as_secs_f64());
        stats = Some(s);
    }
    let s = stats.unwrap();
    let html = fs::read_dir(out.join("plans")).unwrap().count();
    let charts_in_site: usize = walk_count(&out, "class=\"bp-chart ");
    println!(
        "site: {plans} plans, {} HTML pages ({html} plan files), {charts_in_site} charts",
        s.pages
    );
    println!(
        "build (load, check, compute, render, write): best of 3 {:.3} s = {:.0} pages/s, {:.0} charts/s",
        best,
        s.pages as f64 / best,
        charts_in_site as f64 / best
    );

    // What `serve` does after an author saves one plan: a rebuild that keeps
    // the plans it loaded last time (the load cache) and its output.
    let cache = std::sync::Arc::new(boardpack::load::cache::LoadCache::new());
    let served = boardpack::BuildOptions {
        cache: Some(cache.clone()),
        ..Default::default()
    };
    boardpack::build(&root, &out, &served, &mut Diagnostics::new()).expect("build");
    cache.end_build();
    let edited = root.join("content/plans/p0000/plan.yaml");
    let original = fs::read_to_string(&edited).unwrap();
    let mut best_edit = f64::MAX;
    let mut counts = Default::default();
    for round in 0..3 {
        let text = original.replacen("title: ", &format!("title: Edited {round} "), 1);
        fs::write(&edited, text).unwrap();
        let start = Instant::now();
        boardpack::build(&root, &out, &served, &mut Diagnostics::new()).expect("build");
        best_edit = best_edit.min(start.elapsed().as_secs_f64());
        counts = cache.end_build();
    }
    println!(
        "one-plan edit, rebuilt as `serve` does (load cache; {} plan parsed, {} reused): best of 3 {:.3} s",
        counts.parsed, counts.reused, best_edit
    );

    // What `boardpack build` does after the same edit: a new run, with the
    // plans kept in the build cache on disk by the run before.
    let cache_dir = tmp.path().join("cache");
    let run = || {
        let disk = boardpack::load::disk_cache::DiskCache::open(&cache_dir, &root).expect("cache");
        let cache = std::sync::Arc::new(boardpack::load::cache::LoadCache::disk_only(disk));
        let options = boardpack::BuildOptions {
            cache: Some(cache.clone()),
            ..Default::default()
        };
        let start = Instant::now();
        boardpack::build(&root, &out, &options, &mut Diagnostics::new()).expect("build");
        let took = start.elapsed().as_secs_f64();
        (took, cache.end_build())
    };
    run();
    let mut best_run = f64::MAX;
    for round in 0..3 {
        let text = original.replacen("title: ", &format!("title: Run {round} "), 1);
        fs::write(&edited, text).unwrap();
        let (took, c) = run();
        best_run = best_run.min(took);
        counts = c;
    }
    fs::write(&edited, original).unwrap();
    println!(
        "one-plan edit, rebuilt as `build` does (build cache on disk; {} plan parsed, {} reused): best of 3 {:.3} s",
        counts.parsed, counts.reused, best_run
    );

    // The example site in content/.
    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example_out = tmp.path().join("example");
    let mut best_example = f64::MAX;
    let mut example_pages = 0;
    for _ in 0..5 {
        let _ = fs::remove_dir_all(&example_out);
        let mut diags = Diagnostics::new();
        let start = Instant::now();
        let s = boardpack::build(example, &example_out, &Default::default(), &mut diags)
            .expect("example build");
        best_example = best_example.min(start.elapsed().as_secs_f64());
        example_pages = s.pages;
    }
    let example_charts = walk_count(&example_out, "class=\"bp-chart ");
    println!(
        "example site: {example_pages} pages, {example_charts} charts, best of 5 {:.3} s = {:.0} pages/s, {:.0} charts/s",
        best_example,
        example_pages as f64 / best_example,
        example_charts as f64 / best_example
    );

    // 10,000 charts drawn directly, in parallel.
    let n = 10_000;
    let start = Instant::now();
    let total: usize = (0..n)
        .into_par_iter()
        .map(|i| {
            let spec = LineSpec {
                id: format!("c{i}"),
                title: format!("Chart {i}"),
                desc: "synthetic".into(),
                x_labels: (2003..2011)
                    .map(|y| format!("{y}/{:02}", (y + 1) % 100))
                    .collect(),
                y_label: "%".into(),
                lines: vec![
                    Line {
                        name: "Actual".into(),
                        points: (0..5).map(|x| (x, 50.0 + ((i + x) % 30) as f64)).collect(),
                        dashed: false,
                        colour: 0,
                        labels: vec![(4, "G".into(), None)],
                    },
                    Line {
                        name: "Target".into(),
                        points: (3..8).map(|x| (x, 60.0 + x as f64)).collect(),
                        dashed: true,
                        colour: 1,
                        labels: vec![],
                    },
                ],
                refs: vec![],
                fmt: charts::percent,
                note: Some("higher is better".into()),
                table: DataTable::default(),
                size: charts::ChartSize::Half,
            };
            charts::line_chart(&spec, boardpack::render::mode::Mode::Build)
                .unwrap()
                .svg
                .len()
        })
        .sum();
    let t = start.elapsed().as_secs_f64();
    println!(
        "charts: {n} line charts in {t:.3} s = {:.0} charts/s ({:.1} MB of SVG)",
        n as f64 / t,
        total as f64 / 1e6
    );
    if let Some(mib) = peak_rss_mib() {
        println!("peak memory (VmHWM): {mib:.0} MiB");
    }
}

fn walk_count(dir: &Path, needle: &str) -> usize {
    let mut n = 0;
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html") {
            n += fs::read_to_string(e.path())
                .unwrap()
                .matches(needle)
                .count();
        }
    }
    n
}
