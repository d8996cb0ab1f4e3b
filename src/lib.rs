//! boardpack: turn plans kept in git (YAML, CSV, Markdown) into a static site
//! of plans, indicators and board packs.
//!
//! The pipeline, one module per stage:
//! [`load`] (read and validate `content/`) → [`compute`] (periods, totals, RAG)
//! → [`render`] (Markdown, templates) → [`write`] (atomic swap into `output/`).

pub mod cli;
pub mod cli_help;
pub mod compute;
pub mod diagnostics;
pub mod hash;
pub mod history;
pub mod incremental;
pub mod limits;
pub mod load;
pub mod model;
pub mod pdf;
pub mod plan_pdf;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod write;

use std::collections::BTreeMap;
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
    /// PDFs kept from the previous build (their plan's or pack's print HTML was unchanged).
    pub pdfs_kept: usize,
    /// Plans whose pages were kept from the previous build (inputs unchanged).
    pub plans_kept: usize,
}

/// At most this many browsers print packs at once (each is a full Chromium,
/// a few hundred MiB; more would only compete for the same cores).
pub const PDF_JOBS: usize = 2;

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Replace an output folder boardpack did not write.
    pub force: bool,
    /// Warnings fail the build.
    pub strict: bool,
    /// Print to PDF: what, in `pdf_parts`.
    pub pdf: bool,
    /// What `pdf` prints: plans, packs or (the default) both.
    pub pdf_parts: plan_pdf::PdfParts,
    /// The browser to print with.
    pub browser: Option<std::path::PathBuf>,
    /// Print counted progress lines (for builds over a second, and each PDF).
    pub progress: bool,
    /// Plans kept from earlier builds, in memory (`serve`) or on disk (every
    /// run of `build`), reused while their folders are unchanged; `None`
    /// loads everything.
    pub cache: Option<std::sync::Arc<load::cache::LoadCache>>,
    /// Where to leave what can finish after the build returns (removing the
    /// previous output, letting go of the model), for the caller to wait
    /// for; `None` finishes everything before returning.
    pub finish: Option<std::sync::Arc<write::Finishing>>,
}

/// Load and validate the site at `root`; true when there are no errors.
pub fn check(root: &Path, diags: &mut Diagnostics) -> bool {
    check_with(root, None, diags)
}

/// [`check`], taking unchanged plans (and earlier versions) from `cache`.
pub fn check_with(
    root: &Path,
    cache: Option<&load::cache::LoadCache>,
    diags: &mut Diagnostics,
) -> bool {
    // With errors in some files, what could be read is still checked
    // (references between files, shortcodes), so one run reports them all.
    progress::timing("start");
    let (site, unread) = load::load_site_partial_cached(root, cache, diags);
    progress::timing("loaded");
    if let Some(site) = site {
        let mut facts = None;
        if diags.has_errors() {
            check_partial(&site, &unread, diags);
        } else {
            facts = Some(compute::validate(&site, diags));
            if diags.has_errors() {
                compute::shortcodes::check(&site, diags);
            }
        }
        progress::timing("validated");
        if !diags.has_errors()
            && let Some(facts) = &facts
        {
            let asked = history::Prefetch::read(root, cache);
            let history = history::gather_from(asked, &site, cache, diags);
            // Rendering finds what only rendering can (chart shortcodes, templates, byte limits);
            // a sink that keeps nothing has it draw no chart and run each template once.
            let sink = render::stream::Discard;
            if let Err(e) = render::render_site(
                root,
                &site,
                facts,
                plan_pdf::PdfParts::NONE,
                history.as_ref(),
                diags,
                &sink,
            ) && !diags.has_errors()
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
    progress::timing("start");
    // git is asked what it can tell before the plans are known, while the
    // content loads (its processes wait on git, not on this one's cores).
    std::thread::scope(|s| {
        let git = s.spawn(|| history::Prefetch::read(root, options.cache.as_deref()));
        build_with(root, out, options, diags, git)
    })
}

/// [`build`], with git's answers coming from `git`.
fn build_with(
    root: &Path,
    out: &Path,
    options: &BuildOptions,
    diags: &mut Diagnostics,
    git: std::thread::ScopedJoinHandle<'_, history::Prefetch>,
) -> Result<BuildStats, String> {
    // Sources are never output, whatever --force says; then one build at a time.
    let out = write::sources::check_out(root, out)?;
    let lock = write::OutputLock::acquire(&out)?;
    let mut progress = progress::Progress::new(options.progress);
    let site = load::load_site_cached(root, options.cache.as_deref(), diags)
        .ok_or("the content has errors")?;
    progress::timing("loaded");
    let parts = match options.pdf {
        true => options.pdf_parts,
        false => plan_pdf::PdfParts::NONE,
    };
    let steps = 3
        + if parts.packs { site.packs.len() } else { 0 }
        + if parts.plans { site.plans.len() } else { 0 };
    let facts = compute::validate(&site, diags);
    if diags.has_errors() {
        return Err("the content has errors".into());
    }
    progress::timing("validated");
    if options.strict && diags.warning_count() > 0 {
        return Err("warnings are errors under --strict".into());
    }
    // Find the browser before any work, so a missing one fails fast.
    let browser = match parts.plans || parts.packs {
        true => Some(pdf::find_browser(options.browser.as_deref())?),
        false => None,
    };
    // What git tells about the content (nothing outside a repository).
    let cache = options.cache.as_deref();
    let asked = git.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
    let history = history::gather_from(asked, &site, cache, diags);
    if diags.has_errors() {
        return Err("the content has errors".into());
    }
    progress::timing("git history read");
    if options.strict && diags.warning_count() > 0 {
        return Err("warnings are errors under --strict".into());
    }
    let logo = site
        .config
        .branding
        .logo
        .as_deref()
        .and_then(|name| load::files::resolve_inside(root, Path::new("content"), name).ok());
    write::sources::check_reads(root, &out, diags.source_files().chain(logo.as_deref()))?;
    // Stage first, then stream every page into it as it is rendered.
    let revision = history
        .as_ref()
        .map(|h| serde_json::to_vec(&h.site_view()).unwrap_or_default())
        .unwrap_or_default();
    let memo = options.cache.as_deref().map(|c| &c.digests);
    let read = diags.source_files().chain(logo.as_deref());
    let inputs = incremental::Inputs::of(root, &site, parts.packs, &revision, read, memo)?;
    progress::timing("inputs hashed");
    let staged = write::begin(lock, options.force)?;
    let sink = incremental::StagingSink::new(&staged, &inputs, &out);
    progress.step(
        1,
        steps,
        "checked the content; rendering and writing pages",
        false,
    );
    let rendered = render::render_site(root, &site, &facts, parts, history.as_ref(), diags, &sink)?;
    staged.finish()?;
    progress::timing("rendered and written");
    let (mut pdfs, mut pdfs_kept) = (0, 0);
    let mut printed = BTreeMap::new();
    let mut plans_printed = BTreeMap::new();
    // Each pack's contents page numbers as last printed (kept or printed now).
    let mut contents_pages = BTreeMap::new();
    if let Some(browser) = browser {
        // The numbers each pack was last printed with: the first guess for its next print.
        let last_numbers = incremental::manifest::Manifest::read(&out)
            .map(|m| m.contents_pages)
            .unwrap_or_default();
        let mut to_print = Vec::new();
        for lp in site.packs.iter().filter(|_| parts.packs) {
            // The PDF's dates are the meeting's (or SOURCE_DATE_EPOCH's), so a pack reprints byte for byte.
            let date = pdf_date(&lp.pack.meeting_date);
            let hash = pack_print_hash(staged.dir(), &lp.slug, &date)?;
            match sink.previous_pdf(&lp.slug, &hash) {
                Some(previous) => {
                    let rel = write::paths::safe_relative(&format!("packs/{}/pack.pdf", lp.slug))?;
                    incremental::link_or_copy(&previous, &staged.dir().join(rel))?;
                    pdfs_kept += 1;
                    if let Some(n) = last_numbers.get(&lp.slug) {
                        contents_pages.insert(lp.slug.clone(), n.clone());
                    }
                }
                None => to_print.push(PrintJob::Pack(lp.slug.as_str(), date)),
            }
            printed.insert(lp.slug.clone(), hash);
        }
        for lp in site.plans.iter().filter(|_| parts.plans) {
            let id = lp.plan.id.value.as_str();
            let date = plan_pdf::plan_date(&site, lp);
            let html = plan_pdf::print_html(staged.dir(), id)?;
            let hash = plan_pdf::print_hash(&html, &date);
            match sink.previous_plan_pdf(id, &hash) {
                Some(previous) => {
                    let rel = write::paths::safe_relative(&format!("plans/{id}.pdf"))?;
                    incremental::link_or_copy(&previous, &staged.dir().join(rel))?;
                    pdfs_kept += 1;
                }
                None => to_print.push(PrintJob::Plan(id, html, date)),
            }
            plans_printed.insert(id.to_string(), hash);
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(PDF_JOBS)
            .build()
            .map_err(|e| format!("cannot start the printing threads: {e}"))?;
        // Each PDF to print is a counted step, packs then plans, in the site's order.
        let progress_lock = std::sync::Mutex::new(&mut progress);
        let numbers = pool.install(|| {
            use rayon::prelude::*;
            to_print
                .par_iter()
                .enumerate()
                .map(|(i, job)| {
                    let what = match job {
                        PrintJob::Pack(slug, _) => format!("pack {slug}"),
                        PrintJob::Plan(id, ..) => format!("plan {id}"),
                    };
                    progress_lock
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .step(3 + i, steps, &format!("printing the PDF of {what}"), true);
                    match job {
                        PrintJob::Pack(slug, date) => {
                            let guess = last_numbers.get(*slug);
                            print_pack(&browser, staged.dir(), slug, date, guess)
                                .map(|n| Some((slug.to_string(), n)))
                        }
                        PrintJob::Plan(id, html, date) => {
                            plan_pdf::print_plan(&browser, staged.dir(), id, html, date)
                                .map(|_| None)
                        }
                    }
                })
                .collect::<Result<Vec<_>, String>>()
        })?;
        contents_pages.extend(numbers.into_iter().flatten());
        pdfs = to_print.len();
    }
    staged.put(
        incremental::manifest::FILE,
        &sink
            .manifest(printed, plans_printed, contents_pages)
            .to_bytes(),
    )?;
    write::test_pause_after_stage(staged.dir());
    progress.step(steps, steps, "putting the new output in place", false);
    match &options.finish {
        Some(finishing) => staged.commit_later(finishing)?,
        None => staged.commit()?,
    }
    progress::timing("output swapped in");
    progress.finish();
    let stats = BuildStats {
        plans: site.plans.len(),
        packs: site.packs.len(),
        pages: rendered.pages,
        pdfs,
        pdfs_kept,
        plans_kept: rendered.reused_plans,
    };
    if let Some(finishing) = &options.finish {
        // The model is let go of while the caller reports.
        drop(facts);
        finishing.spawn(move || drop((site, history)));
    }
    Ok(stats)
}

/// A PDF to print: a pack (slug, date) or a plan (id, print HTML, date).
enum PrintJob<'a> {
    Pack(&'a str, String),
    Plan(&'a str, String, String),
}

/// The hash a pack's PDF is kept by: its print HTML (the staged page with
/// links made printable) and the date printed into it.
fn pack_print_hash(dir: &Path, slug: &str, date: &str) -> Result<String, String> {
    let page = dir.join(write::paths::safe_relative(&format!(
        "packs/{slug}/index.html"
    ))?);
    let html = std::fs::read_to_string(&page).map_err(|e| format!("{}: {e}", page.display()))?;
    Ok(hash::Fingerprint::new()
        .field(pdf::printable_links(&html).as_bytes())
        .field(date.as_bytes())
        .hex())
}

/// `YYYYMMDD` for a printed pack: from SOURCE_DATE_EPOCH when set, else the meeting date.
fn pdf_date(meeting: &model::DateSpec) -> String {
    pdf_date_or_epoch(meeting.date)
}

/// `YYYYMMDD` for a printed PDF: from SOURCE_DATE_EPOCH when set, else `fixed`.
pub(crate) fn pdf_date_or_epoch(fixed: jiff::civil::Date) -> String {
    let from_epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| {
            jiff::civil::Date::constant(1970, 1, 1)
                .checked_add(jiff::Span::new().days(secs.div_euclid(86_400)))
                .ok()
        });
    let d = from_epoch.unwrap_or(fixed);
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// Print one pack to `packs/<slug>/pack.pdf` inside `dir`, with page numbers
/// in its contents when pdftotext can read a print back. `guess` is the
/// numbers of the pack's previous print (from the last build's manifest):
/// the first print carries them, and when the print read back agrees, that
/// one print is the PDF; otherwise (or with no guess) the numbers read back
/// go in and the pack is printed a second time. Returns the numbers printed.
fn print_pack(
    browser: &Path,
    dir: &Path,
    slug: &str,
    date: &str,
    guess: Option<&BTreeMap<String, usize>>,
) -> Result<BTreeMap<String, usize>, String> {
    // The slug was checked at load; the writer's rule holds here too.
    let pack_dir = dir.join(write::paths::safe_relative(&format!("packs/{slug}"))?);
    let html_path = pack_dir.join("index.html");
    let html =
        std::fs::read_to_string(&html_path).map_err(|e| format!("{}: {e}", html_path.display()))?;
    let print_copy = pack_dir.join("print.html");
    let pdf_path = pack_dir.join("pack.pdf");
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
    // The page with these numbers in its contents, written for printing.
    let write = |numbers: &[Option<usize>]| {
        let mut text = html.clone();
        for ((id, _), n) in entries.iter().zip(numbers) {
            if let Some(n) = n {
                text = text.replace(
                    &format!("<span class=\"page-no\" data-for=\"{id}\"></span>"),
                    &format!("<span class=\"page-no\" data-for=\"{id}\">{n}</span>"),
                );
            }
        }
        std::fs::write(&print_copy, pdf::printable_links(&text))
            .map_err(|e| format!("{}: {e}", print_copy.display()))
    };
    let first: Vec<Option<usize>> = entries
        .iter()
        .map(|(id, _)| guess.and_then(|g| g.get(id).copied()))
        .collect();
    let result = (|| {
        write(&first)?;
        pdf::print(browser, &print_copy, &pdf_path).map_err(|e| format!("pack {slug}: {e}"))?;
        // Skip the cover when looking for headings.
        let printed = match pdf::pages_of(&pdf_path, &titles, &first, 1) {
            // The numbers printed are where the parts are: this print is the PDF.
            Some(pages) if pages == first => first,
            Some(pages) => {
                write(&pages)?;
                pdf::print(browser, &print_copy, &pdf_path)
                    .map_err(|e| format!("pack {slug}: {e}"))?;
                pages
            }
            // Nothing can read the print back (no pdftotext): numbers that
            // cannot be confirmed are not printed.
            None if first.iter().any(Option::is_some) => {
                let none = vec![None; first.len()];
                write(&none)?;
                pdf::print(browser, &print_copy, &pdf_path)
                    .map_err(|e| format!("pack {slug}: {e}"))?;
                none
            }
            None => first,
        };
        pdf::set_dates(&pdf_path, date)?;
        pdf::set_creator(&pdf_path, env!("CARGO_PKG_VERSION"))?;
        Ok(entries
            .iter()
            .zip(printed)
            .filter_map(|((id, _), n)| Some((id.clone(), n?)))
            .collect())
    })();
    let _ = std::fs::remove_file(&print_copy);
    result
}
