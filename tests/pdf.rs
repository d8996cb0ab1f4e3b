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
    // Plain --pdf prints the 4 packs and the 3 plans.
    assert!(stderr(&o).contains("(7 PDFs printed, 0 unchanged and kept)"));
    // Each PDF is announced as a counted step, as a plain line when not on a terminal.
    for line in [
        "[3/10] printing the PDF of pack 2007-08-q4\n",
        "[6/10] printing the PDF of pack 2015-16-q4\n",
        "[8/10] printing the PDF of plan lac-action-plan-2015\n",
    ] {
        assert!(stderr(&o).contains(line), "{line:?} in {}", stderr(&o));
    }

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
    assert!(build().contains("(7 PDFs printed, 0 unchanged and kept)"));
    let q4 = out.join("packs/2015-16-q4/pack.pdf");
    let q1 = out.join("packs/2008-09-q1/pack.pdf");
    let lac = out.join("plans/lac-action-plan-2015.pdf");
    let ni63 = out.join("plans/laa-ni63.pdf");
    let (q4_before, q1_before, lac_before) = (inode(&q4), inode(&q1), inode(&lac));
    let q4_bytes = std::fs::read(&q4).unwrap();
    let lac_bytes = std::fs::read(&lac).unwrap();

    assert!(build().contains("(0 PDFs printed, 7 unchanged and kept)"));
    assert_eq!(inode(&q4), q4_before, "an unchanged pack was reprinted");
    assert_eq!(std::fs::read(&q4).unwrap(), q4_bytes);
    assert_eq!(inode(&lac), lac_before, "an unchanged plan was reprinted");
    assert_eq!(std::fs::read(&lac).unwrap(), lac_bytes);

    // Editing one pack reprints that pack only.
    let pack = root.join("content/packs/2015-16-q4.yaml");
    let text = std::fs::read_to_string(&pack).unwrap();
    std::fs::write(&pack, text.replacen("status: draft", "status: final", 1)).unwrap();
    let err = build();
    assert!(
        err.contains("(1 PDF printed, 6 unchanged and kept)"),
        "{err}"
    );
    assert_ne!(inode(&q4), q4_before, "the edited pack was not reprinted");
    assert_eq!(inode(&q1), q1_before, "another pack was reprinted");
    assert_eq!(
        inode(&lac),
        lac_before,
        "a plan was reprinted for a pack's edit"
    );

    // Editing one plan reprints that plan's PDF (and the packs showing it), not the others.
    let ni63_before = inode(&ni63);
    let plan = root.join("content/plans/lac-action-plan-2015/plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replacen("version: ", "version: X", 1)).unwrap();
    let err = build();
    assert!(
        err.contains("printing the PDF of plan lac-action-plan-2015"),
        "{err}"
    );
    assert!(!err.contains("printing the PDF of plan laa-ni63"), "{err}");
    assert_ne!(inode(&lac), lac_before, "the edited plan was not reprinted");
    assert_eq!(inode(&ni63), ni63_before, "another plan was reprinted");
}

/// Number of pages in `pdf` and how many are A4 portrait and A4 landscape, in page order.
fn page_sizes(pdf: &str) -> Vec<&'static str> {
    let info = tool("pdfinfo", &[pdf]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let sizes = tool("pdfinfo", &["-f", "1", "-l", &pages.to_string(), pdf]);
    sizes
        .lines()
        .filter(|l| l.starts_with("Page ") && l.contains(" size:"))
        .map(|l| {
            if l.contains("594.96 x 841.92") {
                "portrait"
            } else if l.contains("841.92 x 594.96") {
                "landscape"
            } else {
                "other"
            }
        })
        .collect()
}

#[test]
#[ignore = "needs chromium and poppler-utils; run with --include-ignored (CI does)"]
fn pdf_plans_prints_each_plan_with_its_landscape_appendix_and_no_packs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let root = repo();
    let o = boardpack(&[
        "build",
        "--pdf",
        "plans",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("(3 PDFs printed, 0 unchanged and kept)"),
        "{err}"
    );
    assert!(
        err.contains("[4/6] printing the PDF of plan lac-action-plan-2015\n"),
        "{err}"
    );
    for id in ["child-care-sip-2007", "lac-action-plan-2015", "laa-ni63"] {
        assert!(out.join(format!("plans/{id}.pdf")).is_file(), "{id}");
        assert!(!out.join(format!("plans/{id}.print.html")).exists(), "{id}");
    }
    for e in walkdir::WalkDir::new(out.join("packs")) {
        let e = e.unwrap();
        assert_ne!(
            e.path().extension().and_then(|x| x.to_str()),
            Some("pdf"),
            "{}",
            e.path().display()
        );
    }
    // The index links to the plans' PDFs, and to no pack PDF (none was printed).
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("<a href=\"plans/lac-action-plan-2015.pdf\">PDF, with the appendix</a>"),
        "{index}"
    );
    assert!(
        index.contains("<a href=\"plans/laa-ni63.pdf\">PDF</a>"),
        "{index}"
    );
    assert!(!index.contains("pack.pdf"), "{index}");
    // The LAC plan: its pages in portrait, then its appendix in landscape.
    let lac = out.join("plans/lac-action-plan-2015.pdf");
    let lac = lac.to_str().unwrap();
    let sizes = page_sizes(lac);
    let first_landscape = sizes.iter().position(|s| *s == "landscape").unwrap();
    assert!(first_landscape >= 5, "{sizes:?}");
    assert!(
        sizes[..first_landscape].iter().all(|s| *s == "portrait"),
        "{sizes:?}"
    );
    assert!(
        sizes[first_landscape..].iter().all(|s| *s == "landscape"),
        "{sizes:?}"
    );
    assert!(sizes.len() - first_landscape >= 3, "{sizes:?}");
    let info = tool("pdfinfo", &[lac]);
    assert!(info.contains("Creator:         boardpack "), "{info}");
    let text = tool("pdftotext", &["-layout", lac, "-"]);
    assert!(text.contains("LAC action plan"), "the plan's title");
    let landscape = text.split('\u{c}').nth(first_landscape).unwrap();
    assert!(
        landscape.contains("Appendix 2: LAC action plan"),
        "{landscape}"
    );
    assert!(landscape.contains("Required (deliverables)"), "{landscape}");
    assert!(
        landscape.contains("Families are supported to stay together"),
        "{landscape}"
    );
    // A plan without an appendix prints in portrait only.
    assert!(
        page_sizes(out.join("plans/laa-ni63.pdf").to_str().unwrap())
            .iter()
            .all(|s| *s == "portrait")
    );
}

#[test]
fn pdf_packs_prints_no_plans() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), GOOD_PLAN);
    let out = tmp.path().join("out");
    // No packs here: nothing to print, so no browser is started, but one must be found.
    let o = boardpack(&[
        "build",
        "--pdf",
        "packs",
        "--browser",
        "/bin/true",
        "--root",
        tmp.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("plans/p.html").is_file());
    assert!(!out.join("plans/p.pdf").exists(), "a plan was printed");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!index.contains("plans/p.pdf"), "{index}");
}

#[test]
fn the_pdf_option_takes_what_to_print() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), GOOD_PLAN);
    let root = tmp.path().to_str().unwrap();
    let run = |args: &[&str]| {
        common::command()
            .args(["build", "--root", root])
            .args(args)
            .env("PATH", "")
            .env_remove("BOARDPACK_BROWSER")
            .output()
            .unwrap()
    };
    // Accepted forms get as far as looking for the browser (there is none on this PATH).
    for args in [
        &["--pdf"][..],
        &["--pdf", "plans"],
        &["--pdf", "packs"],
        &["--pdf", "plans,packs"],
        &["--pdf=packs,plans"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("no Chromium-family browser found"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // A bad value is a command-line mistake, saying what would do.
    let o = run(&["--pdf", "plan"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("invalid value 'plan' for '--pdf"), "{err}");
    assert!(
        err.contains("name `plans`, `packs` or both (`plans,packs`)"),
        "{err}"
    );
    // --browser still needs --pdf.
    let o = run(&["--browser", "chromium"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--pdf"), "{}", stderr(&o));
}

#[test]
fn a_missing_browser_is_a_clear_error_and_leaves_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    small_site(tmp.path(), GOOD_PLAN);
    let root = tmp.path().to_str().unwrap();
    assert!(boardpack(&["build", "--root", root]).status.success());
    let before = tree(&tmp.path().join("output"));
    let o = common::command()
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

/// The example site built once with `--pdf` for the tests below (kept for the whole run).
fn printed_site() -> &'static std::path::Path {
    static SITE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap().keep();
        let out = tmp.join("site");
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
        out
    })
}

fn pack_pdf(slug: &str) -> String {
    printed_site()
        .join(format!("packs/{slug}/pack.pdf"))
        .to_str()
        .unwrap()
        .to_string()
}

/// A printed page: its size (width, height) and its text blocks (bottom edge, words).
type Page = ((f64, f64), Vec<(f64, String)>);

/// Each page of `pdf`, from `pdftotext -bbox-layout`.
fn pages_with_blocks(pdf: &str) -> Vec<Page> {
    let xml = tool("pdftotext", &["-bbox-layout", pdf, "-"]);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let at = tag.find(&key).unwrap() + key.len();
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    xml.split("<page ")
        .skip(1)
        .map(|page| {
            let head = page.split('>').next().unwrap();
            let size = (attr(head, "width"), attr(head, "height"));
            let blocks = page
                .split("<block ")
                .skip(1)
                .map(|b| {
                    let words: Vec<&str> = b
                        .split("</word>")
                        .filter_map(|w| w.rsplit('>').next())
                        .filter(|w| !w.trim().is_empty())
                        .collect();
                    (attr(b, "yMax"), words.join(" "))
                })
                .collect();
            (size, blocks)
        })
        .collect()
}

/// The texts of a page's headings: h1–h6 and table group headings.
fn headings(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for open in [
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<th scope=\"rowgroup\"",
        "<th scope=\"colgroup\"",
    ] {
        let close = if open.starts_with("<th") {
            "</th>"
        } else {
            &format!("</{}>", &open[1..])
        };
        for part in html.split(open).skip(1) {
            let inner = part.split_once('>').map_or("", |p| p.1);
            let inner = inner.split(close).next().unwrap_or("");
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        text.push(' ');
                    }
                    _ if !in_tag => text.push(c),
                    _ => {}
                }
            }
            let text = text
                .replace("&amp;", "&")
                .replace("&#x27;", "'")
                .replace("&quot;", "\"");
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.chars().count() > 3 {
                out.push(text);
            }
        }
    }
    out
}

#[test]
#[ignore = "needs chromium and poppler-utils; run with --include-ignored (CI does)"]
fn the_lac_appendix_prints_on_at_most_half_its_old_pages_each_well_filled() {
    let pdf = pack_pdf("2015-16-q4");
    let pages = pages_with_blocks(&pdf);
    let landscape: Vec<usize> = (0..pages.len())
        .filter(|i| pages[*i].0.0 > pages[*i].0.1)
        .collect();
    // 17 pages before rows could split and the columns followed their content.
    assert!(
        (4..=8).contains(&landscape.len()),
        "{} landscape pages",
        landscape.len()
    );
    // One run of pages, none but the last under a third full.
    assert_eq!(
        landscape.last().unwrap() - landscape[0] + 1,
        landscape.len()
    );
    for i in &landscape[..landscape.len() - 1] {
        let ((_, h), blocks) = &pages[*i];
        let bottom = blocks
            .iter()
            .filter(|(_, t)| !t.starts_with("Page "))
            .map(|(y, _)| *y)
            .fold(0.0, f64::max);
        assert!(bottom > h / 3.0, "page {} is under a third full", i + 1);
    }
    // The objective's heading repeats with the column headings on its continuation pages.
    let second = tool(
        "pdftotext",
        &[
            "-layout",
            "-f",
            &(landscape[1] + 1).to_string(),
            "-l",
            &(landscape[1] + 1).to_string(),
            &pdf,
            "-",
        ],
    );
    assert!(second.contains("Workstream / activity"), "{second}");
    assert!(second.contains("Outcome "), "{second}");
    // No empty column: the savings share the impact column.
    assert!(!second.contains("Target saving (£k)"), "{second}");
}

#[test]
#[ignore = "needs chromium and poppler-utils; run with --include-ignored (CI does)"]
fn the_draft_watermark_is_not_text() {
    for slug in ["2015-16-q4", "2008-09-q1"] {
        let pdf = pack_pdf(slug);
        let text = tool("pdftotext", &["-layout", &pdf, "-"]);
        assert!(!text.contains("DRAFT"), "{slug}: DRAFT in the text");
        assert!(!text.contains("D R A F T"), "{slug}: scattered letters");
        // Lines of a single capital each, as the old text watermark left.
        let lone = text
            .lines()
            .filter(|l| matches!(l.trim(), "D" | "R" | "A" | "F" | "T"))
            .count();
        assert!(lone < 3, "{slug}: {lone} lone watermark letters");
        // The pack still says it is a draft, in words on the cover.
        assert!(text.contains("Draft"), "{slug}");
        // Nor is it in the tag tree that assistive technology reads.
        let tags = tool("pdfinfo", &["-struct-text", &pdf]);
        assert!(tags.contains("\"Draft\""), "{slug}: the status is tagged");
        assert!(!tags.contains("DRAFT"), "{slug}: DRAFT in the tag tree");
    }
}

#[test]
#[ignore = "needs chromium and poppler-utils; run with --include-ignored (CI does)"]
fn no_printed_page_ends_with_a_heading() {
    for slug in ["2015-16-q4", "2008-09-q1"] {
        let pdf = pack_pdf(slug);
        let html = std::fs::read_to_string(printed_site().join(format!("packs/{slug}/index.html")))
            .unwrap();
        let heads = headings(&html);
        assert!(heads.len() > 10, "{heads:?}");
        for (n, ((_, h), blocks)) in pages_with_blocks(&pdf).iter().enumerate() {
            // The last block above the page number.
            let last = blocks
                .iter()
                .filter(|(y, t)| *y < h - 20.0 && !t.starts_with("Page "))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let Some((_, last)) = last else { continue };
            assert!(
                !heads
                    .iter()
                    .any(|hd| last == hd || last.ends_with(&format!(" {hd}"))),
                "{slug} page {} ends with the heading {last:?}",
                n + 1
            );
        }
    }
}

#[test]
#[ignore = "needs chromium and poppler-utils; run with --include-ignored (CI does)"]
fn packs_name_boardpack_and_carry_a_full_cover() {
    let pdf = pack_pdf("2015-16-q4");
    let info = tool("pdfinfo", &[&pdf]);
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        info.contains(&format!("Creator:         boardpack {version}\n")),
        "{info}"
    );
    assert!(
        info.contains(&format!("Producer:        boardpack {version}")),
        "{info}"
    );
    let cover = tool("pdftotext", &["-layout", "-f", "1", "-l", "1", &pdf, "-"]);
    for want in [
        "boardpack examples",
        "LAC action plan progress",
        "Corporate Parenting Panel",
        "Agenda item",
        "Item 6",
        "Paper reference",
        "CPP/2016/04/06",
        "OFFICIAL",
    ] {
        assert!(cover.contains(want), "{want} not on the cover: {cover}");
    }
    // The summary follows the contents on their page, and the contents say so.
    let contents = tool("pdftotext", &["-layout", "-f", "2", "-l", "2", &pdf, "-"]);
    let line = contents
        .lines()
        .find(|l| l.trim_start().starts_with("Summary"))
        .unwrap();
    assert!(line.trim_end().ends_with(" 2"), "{line}");
    // A reprint is byte for byte the same (dates and names replaced in place).
    let again = tempfile::tempdir().unwrap();
    let out = again.path().join("site");
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
    assert_eq!(
        std::fs::read(out.join("packs/2015-16-q4/pack.pdf")).unwrap(),
        std::fs::read(&pdf).unwrap()
    );
}

/// Each contents entry of a printed pack with the page number it shows, and
/// the page its heading is actually on (first after the contents page).
fn contents_numbers(pdf: &std::path::Path) -> Vec<(String, usize, usize)> {
    let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let contents = pages[1];
    let mut out = Vec::new();
    let mut from = 1;
    let entries = contents
        .lines()
        .skip_while(|l| l.trim() != "Contents")
        .skip(1)
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty());
    for line in entries {
        let line = line.trim();
        let Some((title, n)) = line.rsplit_once(char::is_whitespace) else {
            continue;
        };
        let Ok(n) = n.parse::<usize>() else { continue };
        let title = title.trim().to_string();
        // The heading's page: the first page (after the contents entries) whose text has it.
        let body = |i: usize| match i {
            1 => contents.split(line).nth(1).unwrap_or(""),
            _ => pages[i],
        };
        let on = (from..pages.len())
            .find(|&i| body(i).contains(&title))
            .map(|i| i + 1)
            .unwrap_or(0);
        from = on.saturating_sub(1).max(1);
        out.push((title, n, on));
    }
    out
}

#[test]
#[ignore = "needs chromium and poppler-utils; run with --include-ignored (CI does)"]
fn a_reprinted_pack_whose_page_numbers_hold_is_printed_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    example_copy(&root);
    let out = tmp.path().join("out");
    // A browser that logs each print, then prints with the real one.
    let real = boardpack::pdf::find_browser(None).expect("chromium is needed for this test");
    let log = tmp.path().join("prints.log");
    let wrapper = tmp.path().join("browser");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            real.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let prints = || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("2015-16-q4"))
            .count()
    };
    let build = || {
        let o = boardpack(&[
            "build",
            "--pdf",
            "packs",
            "--browser",
            wrapper.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    build();
    // With no earlier print to go by, the numbers are read from a first print
    // and printed in a second.
    assert_eq!(prints(), 2);
    let pdf = out.join("packs/2015-16-q4/pack.pdf");
    let first = contents_numbers(&pdf);
    assert!(first.len() >= 5, "{first:?}");
    for (title, shown, on) in &first {
        assert_eq!(shown, on, "`{title}` says page {shown} but is on page {on}");
    }
    // An edit that moves no page: the previous numbers are printed first, read
    // back the same, and that one print is the PDF.
    let pack = root.join("content/packs/2015-16-q4.yaml");
    let text = std::fs::read_to_string(&pack).unwrap();
    std::fs::write(&pack, text.replacen("status: draft", "status: final", 1)).unwrap();
    build();
    assert_eq!(prints(), 3, "the pack was printed more than once");
    let again = contents_numbers(&pdf);
    assert_eq!(again, first);
}
