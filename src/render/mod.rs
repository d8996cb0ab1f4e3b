//! Stage 3: render the site (Markdown, templates) into output files.
//!
//! Pages are rendered in parallel and handed to a [`stream::Sink`] as soon
//! as each is ready (a build writes them straight into its staging folder),
//! so memory holds the pages of one plan per thread, not the site.

pub mod anchors;
pub mod assets;
pub mod bars;
pub mod chart_data;
pub mod chart_text;
pub mod charts;
pub mod column_table;
pub mod columns;
pub mod indicator_columns;
pub mod indicator_rows;
pub mod markdown;
pub mod mode;
pub mod packs;
pub mod pages;
pub mod palette;
pub mod quality;
pub mod sizes;
pub mod status_chart;
pub mod stream;
pub mod svg_slots;
pub mod theme;
pub mod views;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::compute::each_indicator;
use crate::diagnostics::Diagnostics;
use crate::history::SiteHistory;
use crate::history::view::GitView;
use crate::limits::{MAX_PAGE_BYTES, max_site_bytes};
use crate::model::{LoadedPlan, Site};
use crate::write::OutputFile;
use mode::Mode;
use theme::Theme;
use views::{Ctx, SiteView};

/// A branding colour as written into pages' `<style>`: only `#rgb`, `#rrggbb` or
/// a colour name ever gets there. The loader already refused anything else with
/// a located error; this is the second line of defence.
fn safe_colour(c: &crate::model::Located<String>) -> Option<String> {
    crate::load::colour::parse(&c.value).ok()
}

/// One page to render: template, output path, root prefix and its data.
struct Page {
    template: &'static str,
    path: String,
    root: &'static str,
    title: String,
    data: tera::Value,
    /// The charts' SVGs, put in after templating ([`svg_slots`]).
    svgs: Vec<svg_slots::Svg>,
    /// The revision the page was built from (`git` in the template; none outside git).
    git: tera::Value,
    /// The content file the page is built from (for errors about the page).
    source: PathBuf,
    /// Under [`Mode::Check`], how big its data is ([`sizes::data_size`]).
    size: sizes::DataSize,
    /// Built as a build builds it, while checking, to be templated and counted.
    measured: bool,
    /// The indicator list: its rows are put in after templating ([`indicator_rows`]).
    indicator_rows: bool,
}

/// Makes [`Page`]s. Under [`Mode::Check`] a page whose template has already
/// run is not converted for the template (its data was built, and checked, by
/// then), and every page's data is counted ([`sizes`]).
struct Pages<'a> {
    /// Templates run so far, for a sink that does not keep pages.
    templated: &'a Mutex<std::collections::HashSet<&'static str>>,
}

impl Pages<'_> {
    fn page<T: Serialize>(
        &self,
        mode: Mode,
        template: &'static str,
        path: String,
        root: &'static str,
        title: String,
        data: &T,
    ) -> Page {
        let run = mode == Mode::Build
            || !self
                .templated
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(template);
        let (value, svgs) = match run {
            true => svg_slots::collect(|| tera::Value::from_serializable(data)),
            false => (tera::Value::none(), Vec::new()),
        };
        let size = match mode {
            Mode::Build => sizes::DataSize::default(),
            Mode::Check => sizes::data_size(data),
        };
        Page {
            template,
            path,
            root,
            title,
            data: value,
            svgs,
            git: tera::Value::none(),
            source: crate::load::SITE_FILE.into(),
            size,
            measured: false,
            indicator_rows: false,
        }
    }
}

/// Under [`Mode::Check`], a page whose data passes [`sizes::BIG_DATA`] is made
/// again as a build makes it (`again`), to be templated and its bytes counted.
fn measured_if_big(p: Page, again: impl FnOnce() -> Page) -> Page {
    if !p.size.big() {
        return p;
    }
    let mut p = again();
    p.measured = true;
    p
}

/// Give a page its provenance (when the site is in git) and the file it is built from.
fn from_source(mut p: Page, git: Option<GitView>, source: &Path) -> Page {
    if let Some(g) = git {
        p.git = tera::Value::from_serializable(&g);
    }
    p.source = source.to_path_buf();
    p
}

/// Marks the error a page over a byte limit returns; the limit itself is
/// reported once, as a located diagnostic.
const OVER_LIMIT: &str = "a page passed a byte limit";

/// What rendering produced.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderStats {
    /// HTML pages put into the sink, or reused from the previous build.
    pub pages: usize,
    /// Plans whose pages were reused rather than rendered.
    pub reused_plans: usize,
}

/// Render every page of `site` with its theme (plus the theme's static files)
/// into `sink`, each plan's pages as soon as they are ready, in parallel.
/// `pdfs` says whether the build prints the plans and the packs to PDF (the
/// index and the pack pages then link to them);
/// `history`, what git tells (provenance, moved dates, changes to the plans since
/// each board last met), when the site is in a repository.
pub fn render_site<'a>(
    root: &Path,
    site: &'a Site,
    facts: &'a crate::compute::facts::Facts<'a>,
    pdfs: crate::plan_pdf::PdfParts,
    history: Option<&SiteHistory>,
    diags: &mut Diagnostics,
    sink: &dyn stream::Sink,
) -> Result<RenderStats, String> {
    let theme = Theme::load(root, &site.config.theme)?;
    for f in &theme.static_files {
        sink.put(&f.path, &f.bytes)?;
    }
    let site_view = site_view(root, site, &theme.static_files, diags, sink)?;
    crate::progress::timing("theme and site view");
    let site_value = tera::Value::from_serializable(&site_view);
    // Templates run so far, for a sink that does not keep pages.
    let templated = std::sync::Mutex::new(std::collections::HashSet::new());
    let keeps = sink.keeps_pages();
    // A sink that keeps no page (`check`) needs no chart drawn and no text sanitised.
    let mode = match keeps {
        true => Mode::Build,
        false => Mode::Check,
    };
    let maker = Pages {
        templated: &templated,
    };
    // Bytes of HTML so far, and the first page that passed a limit (file, message).
    let bytes = AtomicUsize::new(0);
    let max_site = max_site_bytes();
    let over: Mutex<Option<(PathBuf, String)>> = Mutex::new(None);
    // Count a page's bytes against the limits.
    let count = |p: &Page, len: usize| -> Result<(), String> {
        let so_far = bytes.fetch_add(len, Ordering::Relaxed) + len;
        if len > MAX_PAGE_BYTES || so_far > max_site {
            let mut first = over.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert_with(|| {
                (
                    p.source.clone(),
                    format!(
                        "the page `{}` is {} MB, and the site's pages {} MB so far: the limits are {} MB a page and {} MB for the whole site",
                        p.path,
                        len >> 20,
                        so_far >> 20,
                        MAX_PAGE_BYTES >> 20,
                        max_site >> 20
                    ),
                )
            });
            return Err(OVER_LIMIT.into());
        }
        Ok(())
    };
    let render = |mut p: Page| -> Result<(), String> {
        if bytes.load(Ordering::Relaxed) > max_site {
            return Err(OVER_LIMIT.into());
        }
        if !keeps
            && !p.measured
            && !templated
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(p.template)
        {
            // Not templated (`check`): counted by its data.
            return count(&p, p.size.count());
        }
        let mut ctx = Context::new();
        ctx.insert_value("site", site_value.clone());
        ctx.insert("root", p.root);
        ctx.insert("page_title", &p.title);
        ctx.insert_value("page", std::mem::replace(&mut p.data, tera::Value::none()));
        ctx.insert_value("git", std::mem::replace(&mut p.git, tera::Value::none()));
        let html = theme
            .tera
            .render(p.template, &ctx)
            .map_err(|e| format!("template {}: {}", p.template, error_chain(&e)))?;
        let html = svg_slots::fill(html, &p.svgs);
        let html = match p.indicator_rows {
            true => indicator_rows::splice(html, &theme.tera, &site_value, p.root, site, facts)?,
            false => html,
        };
        // Under `check`, a page's charts are undrawn: count them as drawn, about.
        let undrawn = match keeps || p.measured {
            true => 0,
            false => p.svgs.len() * sizes::UNDRAWN_CHART_BYTES,
        };
        count(&p, html.len() + undrawn)?;
        sink.put(&p.path, html.as_bytes())
    };
    // A page over a byte limit becomes one located error; any other error is returned as it is.
    let located = |e: String, diags: &mut Diagnostics| -> String {
        if e != OVER_LIMIT {
            return e;
        }
        if let Some((source, message)) = over.lock().unwrap_or_else(|e| e.into_inner()).take() {
            diags.error_hint(
                &source,
                None,
                message,
                "is some text, table or pack repeated far more than intended? Each pack repeats its plans in full",
            );
        }
        "the content has errors".into()
    };

    // The site-wide pages are built beside the plans' pages (rayon::join);
    // the quality page lists the warnings found before rendering.
    let seen: &Diagnostics = diags;
    // Indexed on first use: on the site-wide pages' side of the join below.
    let quality_index = std::sync::OnceLock::new();
    let quality = || quality_index.get_or_init(|| quality::index(site, seen).0);
    let site_page = |i: usize, mode: Mode| match i {
        0 => maker.page(
            mode,
            "index.html",
            "index.html".into(),
            "",
            site.config.title.clone(),
            &index_data(site, facts, pdfs, mode),
        ),
        1 => Page {
            indicator_rows: true,
            ..maker.page(
                mode,
                "indicators.html",
                "indicators/index.html".into(),
                "../",
                "Indicators".into(),
                &indicator_rows::page(),
            )
        },
        2 => maker.page(
            mode,
            "glossary.html",
            "glossary.html".into(),
            "",
            "Glossary".into(),
            &pages::glossary_groups(site),
        ),
        3 => maker.page(
            mode,
            "quality.html",
            "quality.html".into(),
            "",
            "Data quality".into(),
            &quality::summary(site, quality()),
        ),
        // Then each plan's data-quality page, made and dropped on its own.
        n => {
            let (path, title, data) = quality::plan_page(site, quality(), n - 4);
            maker.page(mode, "quality_plan.html", path, "../", title, &data)
        }
    };
    let site_pages = || 4 + quality().plan_pages();
    let mut stats = RenderStats::default();

    // Each plan's pages: built, rendered and handed over, then dropped.
    let plan_pages = |lp: &LoadedPlan| -> Result<(usize, bool, Diagnostics), String> {
        if let Some(paths) = sink.reuse(lp)? {
            let n = paths.iter().filter(|p| p.ends_with(".html")).count();
            return Ok((n, true, Diagnostics::new()));
        }
        let id = &lp.plan.id.value;
        let plan_git = || history.map(|h| h.plan_view(id));
        // The plan's pages, and what was found while building them.
        let build = |mode: Mode| -> (Vec<Page>, Diagnostics) {
            let mut ctx = Ctx::new(site, facts, lp, None);
            ctx.mode = mode;
            ctx.slips = history.map(|h| std::sync::Arc::new(h.slips(id)));
            let mut v = vec![from_source(
                maker.page(
                    mode,
                    "plan.html",
                    format!("plans/{id}.html"),
                    "../",
                    lp.plan.title.clone(),
                    &views::plan_view(&ctx),
                ),
                plan_git(),
                &lp.file,
            )];
            if let Some(app) = views::appendix_view(&ctx) {
                v.push(from_source(
                    maker.page(
                        mode,
                        "appendix.html",
                        format!("plans/{id}-appendix.html"),
                        "../",
                        app.title.clone(),
                        &app,
                    ),
                    plan_git(),
                    &lp.file,
                ));
            }
            each_indicator(&lp.plan, &mut |ind| {
                let p = pages::indicator_page(&ctx, ind);
                v.push(from_source(
                    maker.page(
                        mode,
                        "indicator.html",
                        format!("indicators/{}.html", p.id),
                        "../",
                        p.title.clone(),
                        &p,
                    ),
                    history.map(|h| h.site_view()),
                    &lp.file,
                ));
            });
            (v, ctx.diags.into_inner())
        };
        let (mut v, d) = build(mode);
        if d.has_errors() {
            return Ok((0, false, d));
        }
        if v.iter().any(|p| p.size.big()) {
            // Checking a plan with a big page: its pages as a build makes them, measured.
            v = build(Mode::Build).0;
            v.iter_mut().for_each(|p| p.measured = true);
        }
        let paths: Vec<String> = v.iter().map(|p| p.path.clone()).collect();
        let n = v.len();
        v.into_iter().try_for_each(render)?;
        sink.plan_done(lp, paths);
        Ok((n, false, d))
    };
    // Packs: each one compares with the latest earlier pack for the same board.
    let mut previous: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut packs = Vec::with_capacity(site.packs.len());
    for (i, lp) in site.packs.iter().enumerate() {
        packs.push((lp, previous.insert(lp.pack.board.as_str(), i)));
    }
    stats.pages += packs.len();
    let render_packs = || {
        let done = packs.into_par_iter().try_for_each(|(lp, prev)| {
            let pack_page = |mode: Mode| {
                let view = packs::pack_view(
                    site,
                    facts,
                    lp,
                    prev.map(|j| &site.packs[j]),
                    pdfs.packs,
                    history,
                    mode,
                );
                from_source(
                    maker.page(
                        mode,
                        "pack.html",
                        format!("packs/{}/index.html", lp.slug),
                        "../../",
                        format!("{} – {}", lp.pack.title, lp.pack.period.value),
                        &view,
                    ),
                    history.map(|h| h.pack_view(&lp.slug)),
                    &lp.file,
                )
            };
            render(measured_if_big(pack_page(mode), || pack_page(Mode::Build)))
        });
        crate::progress::timing("pack pages");
        done
    };
    // Packs too: a plan page's error stops the build before their result is used.
    let ((site_done, packed), per_plan) = rayon::join(
        || {
            rayon::join(
                || {
                    let done = (0..site_pages()).into_par_iter().try_for_each(|i| {
                        // Of the site-wide pages only the index has charts (a status chart
                        // a plan): the others are the same in both modes (the plans'
                        // data-quality pages share a template, so under `check` all
                        // but one are counted by their data).
                        let p = site_page(i, mode);
                        render(match i {
                            0 => measured_if_big(p, || site_page(i, Mode::Build)),
                            _ => p,
                        })
                    });
                    crate::progress::timing("site-wide pages");
                    done
                },
                render_packs,
            )
        },
        || {
            let done = site.plans.par_iter().map(plan_pages).collect::<Vec<_>>();
            crate::progress::timing("plan pages");
            done
        },
    );
    crate::progress::timing("site-wide and plan pages");
    stats.pages += site_pages();
    site_done.map_err(|e| located(e, diags))?;
    for r in per_plan {
        let (n, reused, d) = r.map_err(|e| located(e, diags))?;
        stats.pages += n;
        stats.reused_plans += usize::from(reused);
        diags.extend(d);
    }
    if diags.has_errors() {
        return Err("the content has errors".into());
    }
    packed.map_err(|e| located(e, diags))?;
    Ok(stats)
}

/// Render every file of `site` into memory, sorted by path: for tests and
/// tools that look at the pages (a build streams them with [`render_site`]).
pub fn render_to_vec(
    root: &Path,
    site: &Site,
    with_pdf: bool,
    diags: &mut Diagnostics,
) -> Result<Vec<OutputFile>, String> {
    let sink = stream::Collect::default();
    let pdfs = crate::plan_pdf::PdfParts {
        plans: with_pdf,
        packs: with_pdf,
    };
    let facts = crate::compute::facts::Facts::new(site, &vec![true; site.plans.len()]);
    render_site(root, site, &facts, pdfs, None, diags, &sink)?;
    Ok(sink.into_files())
}

/// The site's own data for every page (title, colours, logo); puts the logo
/// (under `media/`, never over a theme file: `theme_files` are the theme's).
fn site_view(
    root: &Path,
    site: &Site,
    theme_files: &[OutputFile],
    diags: &mut Diagnostics,
    sink: &dyn stream::Sink,
) -> Result<SiteView, String> {
    let logo = match &site.config.branding.logo {
        Some(name) => match assets::logo(root, name, theme_files) {
            Ok(file) => {
                sink.put(&file.path, &file.bytes)?;
                Some(file.path)
            }
            Err(e) => {
                let site_file = Path::new(crate::load::SITE_FILE);
                let pos = diags
                    .source(site_file)
                    .and_then(|t| crate::limits::key_pos_in(t, "branding", "logo"));
                diags.error(site_file, pos, format!("branding.logo `{name}`: {e}"));
                return Err("the content has errors".into());
            }
        },
        None => None,
    };
    let b = &site.config.branding;
    Ok(SiteView {
        title: site.config.title.clone(),
        organisation: site.config.organisation.clone(),
        description: site.config.description.clone(),
        footer: site.config.footer.clone(),
        primary_colour: b.primary_colour.as_ref().and_then(safe_colour),
        accent_colour: b.accent_colour.as_ref().and_then(safe_colour),
        logo,
    })
}

/// The index page data.
#[derive(Serialize)]
struct IndexData {
    plans: Vec<pages::PlanCard>,
    packs: Vec<packs::PackCard>,
    indicator_count: usize,
}

fn index_data<'a>(
    site: &'a Site,
    facts: &'a crate::compute::facts::Facts<'a>,
    pdfs: crate::plan_pdf::PdfParts,
    mode: Mode,
) -> IndexData {
    let mut n = 0;
    for lp in &site.plans {
        each_indicator(&lp.plan, &mut |_| n += 1);
    }
    IndexData {
        plans: pages::plan_cards(site, facts, mode)
            .into_iter()
            .map(|mut card| {
                // plans/<id>.html → plans/<id>.pdf
                if pdfs.plans {
                    card.pdf = card.url.strip_suffix(".html").map(|u| format!("{u}.pdf"));
                }
                card
            })
            .collect(),
        packs: packs::pack_cards(site, pdfs.packs),
        indicator_count: n,
    }
}

/// A template error with its causes.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod colour_tests {
    use super::*;
    use crate::model::{Located, Pos};

    /// Whatever got past the loader, only a checked colour reaches `<style>`.
    #[test]
    fn only_checked_colours_reach_the_stylesheet() {
        let at = |s: &str| Located::new(s.to_string(), Pos::default(), None);
        assert_eq!(safe_colour(&at("#ABC")), Some("#abc".into()));
        for bad in ["expression(alert(1))", "url(x)", "red;}", "rgb(1 2 3)"] {
            assert_eq!(safe_colour(&at(bad)), None, "{bad}");
        }
    }
}
