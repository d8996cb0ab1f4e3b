//! boardpack: turn plans kept in git (YAML, CSV, Markdown) into a static site
//! of plans, indicators and board packs.
//!
//! The pipeline, one module per stage:
//! [`load`] (read and validate `content/`) → [`compute`] (periods, totals, RAG)
//! → [`render`] (Markdown, templates) → [`write`] (atomic swap into `output/`).

pub mod cli;
pub mod compute;
pub mod diagnostics;
pub mod history;
pub mod load;
pub mod model;
pub mod pdf;
pub mod render;
pub mod scaffold;
pub mod write;

use std::path::Path;

use diagnostics::Diagnostics;

/// What a build produced.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildStats {
    /// Plans built.
    pub plans: usize,
    /// Board packs built.
    pub packs: usize,
    /// HTML pages written.
    pub pages: usize,
    /// PDFs printed.
    pub pdfs: usize,
}

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Replace an output folder boardpack did not write.
    pub force: bool,
    /// Warnings fail the build.
    pub strict: bool,
    /// Print each pack to PDF.
    pub pdf: bool,
    /// The browser to print with.
    pub browser: Option<std::path::PathBuf>,
}

/// Load and validate the site at `root`; true when there are no errors.
pub fn check(root: &Path, diags: &mut Diagnostics) -> bool {
    // With errors in some files, what could be read is still checked
    // (references between files, shortcodes), so one run reports them all.
    let (site, unread) = load::load_site_partial(root, diags);
    if let Some(site) = site {
        if diags.has_errors() {
            check_partial(&site, &unread, diags);
        } else {
            compute::validate(&site, diags);
            if diags.has_errors() {
                compute::shortcodes::check(&site, diags);
            }
        }
        if !diags.has_errors() {
            let history = history::gather(root, &site, diags);
            // Rendering finds what only rendering can (chart shortcodes, templates); nothing is written.
            if let Err(e) = render::render_site_with(root, &site, false, history.as_ref(), diags)
                && !diags.has_errors()
            {
                diags.error(Path::new(load::SITE_FILE), None, e);
            }
        }
    }
    !diags.has_errors()
}

/// Check a site some of whose files have errors: references between files
/// and within plans, and chart shortcodes, are checked for what could be
/// read, but warnings about files with errors, and references to plans or
/// parts that could not be read, are left out, since they may only follow
/// from the parts set aside.
fn check_partial(site: &model::Site, unread: &[String], diags: &mut Diagnostics) {
    // Files with errors, and the lines of those errors.
    let errors: std::collections::BTreeSet<(std::path::PathBuf, usize)> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.severity == diagnostics::Severity::Error)
        .map(|d| (d.file.clone(), d.pos.map_or(0, |p| p.line)))
        .collect();
    let has_errors = |d: &diagnostics::Diagnostic| errors.iter().any(|(f, _)| *f == d.file);
    // A second error on a line already reported is the same problem seen again.
    let same_line = |d: &diagnostics::Diagnostic| {
        d.pos
            .is_some_and(|p| errors.contains(&(d.file.clone(), p.line)))
    };
    let mut later = Diagnostics::new();
    compute::validate(site, &mut later);
    compute::shortcodes::check(site, &mut later);
    // "unknown plan `x`", "chart: unknown indicator `x` …" for an x not read.
    let unread: Vec<String> = unread.iter().map(|id| format!("`{id}`")).collect();
    let names_unread = |d: &diagnostics::Diagnostic| {
        let m = d.message.strip_prefix("chart: ").unwrap_or(&d.message);
        m.starts_with("unknown ") && unread.iter().any(|id| m.contains(id.as_str()))
    };
    later.retain(|d| {
        !names_unread(d)
            && !same_line(d)
            && (d.severity == diagnostics::Severity::Error || !has_errors(d))
    });
    diags.extend(later);
}

/// Build the site at `root` into `out`, replacing it only when everything succeeded.
pub fn build(
    root: &Path,
    out: &Path,
    options: &BuildOptions,
    diags: &mut Diagnostics,
) -> Result<BuildStats, String> {
    // Sources are never output, whatever --force says; then one build at a time.
    let out = write::sources::check_out(root, out)?;
    let lock = write::OutputLock::acquire(&out)?;
    let site = load::load_site(root, diags).ok_or("the content has errors")?;
    compute::validate(&site, diags);
    if diags.has_errors() {
        return Err("the content has errors".into());
    }
    if options.strict && diags.warning_count() > 0 {
        return Err("warnings are errors under --strict".into());
    }
    // Find the browser before any work, so a missing one fails fast.
    let browser = match options.pdf {
        true => Some(pdf::find_browser(options.browser.as_deref())?),
        false => None,
    };
    // What git tells about the content (nothing outside a repository).
    let history = history::gather(root, &site, diags);
    if diags.has_errors() {
        return Err("the content has errors".into());
    }
    if options.strict && diags.warning_count() > 0 {
        return Err("warnings are errors under --strict".into());
    }
    let files = render::render_site_with(root, &site, options.pdf, history.as_ref(), diags)?;
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    let logo = site
        .config
        .branding
        .logo
        .as_deref()
        .and_then(|name| load::files::resolve_inside(root, Path::new("content"), name).ok());
    write::sources::check_reads(root, &out, diags.source_files().chain(logo.as_deref()))?;
    let staged = write::stage_locked(lock, &files, options.force)?;
    let mut pdfs = 0;
    if let Some(browser) = browser {
        for lp in &site.packs {
            // The PDF's dates are the meeting's (or SOURCE_DATE_EPOCH's), so a pack reprints byte for byte.
            let date = pdf_date(&lp.pack.meeting_date);
            print_pack(&browser, staged.dir(), &lp.slug, &date)?;
            pdfs += 1;
        }
    }
    write::test_pause_after_stage(staged.dir());
    staged.commit()?;
    Ok(BuildStats {
        plans: site.plans.len(),
        packs: site.packs.len(),
        pages,
        pdfs,
    })
}

/// `YYYYMMDD` for a printed pack: from SOURCE_DATE_EPOCH when set, else the meeting date.
fn pdf_date(meeting: &model::DateSpec) -> String {
    let from_epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| {
            jiff::civil::Date::constant(1970, 1, 1)
                .checked_add(jiff::Span::new().days(secs.div_euclid(86_400)))
                .ok()
        });
    let d = from_epoch.unwrap_or(meeting.date);
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// Print one pack to `packs/<slug>/pack.pdf` inside `dir`, with page numbers in its
/// contents when pdftotext can read the first print back.
fn print_pack(browser: &Path, dir: &Path, slug: &str, date: &str) -> Result<(), String> {
    // The slug was checked at load; the writer's rule holds here too.
    let pack_dir = dir.join(write::paths::safe_relative(&format!("packs/{slug}"))?);
    let html_path = pack_dir.join("index.html");
    let html =
        std::fs::read_to_string(&html_path).map_err(|e| format!("{}: {e}", html_path.display()))?;
    let print_copy = pack_dir.join("print.html");
    let pdf_path = pack_dir.join("pack.pdf");
    let write = |text: &str| {
        std::fs::write(&print_copy, pdf::printable_links(text))
            .map_err(|e| format!("{}: {e}", print_copy.display()))
    };
    write(&html)?;
    let result = (|| {
        pdf::print(browser, &print_copy, &pdf_path).map_err(|e| format!("pack {slug}: {e}"))?;
        // Contents entries: (id, title) from the page itself.
        let entries: Vec<(String, String)> = html
            .split("<span class=\"page-no\" data-for=\"")
            .skip(1)
            .filter_map(|rest| {
                let id = rest.split('"').next()?.to_string();
                let before = html.split(&format!("data-for=\"{id}\"")).next()?;
                let title = before.rsplit("\">").next()?.split('<').next()?.to_string();
                Some((id, render::markdown::unescape(&title)))
            })
            .collect();
        let titles: Vec<String> = entries.iter().map(|(_, t)| t.clone()).collect();
        // Skip the cover and contents pages when looking for headings.
        if let Some(pages) = pdf::pages_of(&pdf_path, &titles, 2) {
            let mut numbered = html.clone();
            for ((id, _), page) in entries.iter().zip(pages) {
                if let Some(n) = page {
                    numbered = numbered.replace(
                        &format!("<span class=\"page-no\" data-for=\"{id}\"></span>"),
                        &format!("<span class=\"page-no\" data-for=\"{id}\">{n}</span>"),
                    );
                }
            }
            write(&numbered)?;
            pdf::print(browser, &print_copy, &pdf_path).map_err(|e| format!("pack {slug}: {e}"))?;
        }
        pdf::set_dates(&pdf_path, date)
    })();
    let _ = std::fs::remove_file(&print_copy);
    result
}
