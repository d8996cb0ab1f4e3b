//! Stage 3: render the site (Markdown, templates) into output files.
//!
//! Pages are rendered in parallel; the list of files is sorted so the
//! output is the same, byte for byte, on every build.

pub mod anchors;
pub mod assets;
pub mod bars;
pub mod chart_data;
pub mod chart_text;
pub mod charts;
pub mod columns;
pub mod markdown;
pub mod packs;
pub mod pages;
pub mod palette;
pub mod status_chart;
pub mod theme;
pub mod views;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::compute::each_indicator;
use crate::diagnostics::Diagnostics;
use crate::limits::{MAX_PAGE_BYTES, MAX_SITE_BYTES};
use crate::model::Site;
use crate::write::OutputFile;
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
    /// The revision the page was built from (`git` in the template; none outside git).
    git: tera::Value,
    /// The content file the page is built from (for errors about the page).
    source: std::path::PathBuf,
}

fn page<T: Serialize>(
    template: &'static str,
    path: String,
    root: &'static str,
    title: String,
    data: &T,
) -> Page {
    Page {
        template,
        path,
        root,
        title,
        data: tera::Value::from_serializable(data),
        git: tera::Value::none(),
        source: crate::load::SITE_FILE.into(),
    }
}

/// Why a page was not rendered.
enum Failure {
    /// A template failed (a theme error, not the content's).
    Template(String),
    /// The page, or the pages so far, passed a byte limit: (source file, message).
    TooBig(std::path::PathBuf, String),
}

/// Renders pages one at a time as their data is made, so only the HTML is
/// kept, never every page's data at once; counts the bytes across threads.
struct Renderer<'a> {
    tera: &'a tera::Tera,
    site: tera::Value,
    bytes: AtomicUsize,
}

impl Renderer<'_> {
    /// Render `p`, or refuse when it or the site so far is over its limit
    /// ([`MAX_PAGE_BYTES`], [`MAX_SITE_BYTES`]); once the site is over, later
    /// pages are not rendered at all.
    fn render(&self, p: Page) -> Result<OutputFile, Failure> {
        let too_big = |page: usize, so_far: usize| {
            Failure::TooBig(
                p.source.clone(),
                format!(
                    "the page `{}` is {} MB, and the site's pages {} MB so far: the limits are {} MB a page and {} MB for the whole site",
                    p.path,
                    page >> 20,
                    so_far >> 20,
                    MAX_PAGE_BYTES >> 20,
                    MAX_SITE_BYTES >> 20
                ),
            )
        };
        let before = self.bytes.load(Ordering::Relaxed);
        if before > MAX_SITE_BYTES {
            return Err(too_big(0, before));
        }
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert("root", p.root);
        ctx.insert("page_title", &p.title);
        ctx.insert_value("page", p.data);
        ctx.insert_value("git", p.git);
        let html = self.tera.render(p.template, &ctx).map_err(|e| {
            Failure::Template(format!("template {}: {}", p.template, error_chain(&e)))
        })?;
        let so_far = self.bytes.fetch_add(html.len(), Ordering::Relaxed) + html.len();
        if html.len() > MAX_PAGE_BYTES || so_far > MAX_SITE_BYTES {
            return Err(too_big(html.len(), so_far));
        }
        Ok(OutputFile {
            path: p.path,
            bytes: html.into_bytes(),
        })
    }
}

/// Give a page its provenance, when the site is in git.
fn with_git(mut p: Page, git: Option<crate::history::view::GitView>) -> Page {
    if let Some(g) = git {
        p.git = tera::Value::from_serializable(&g);
    }
    p
}

/// Render every page of `site` with its theme, plus the theme's static files.
/// `with_pdf` says whether the build prints the packs to PDF (the pages then link to them).
pub fn render_site(
    root: &Path,
    site: &Site,
    with_pdf: bool,
    diags: &mut Diagnostics,
) -> Result<Vec<OutputFile>, String> {
    render_site_with(root, site, with_pdf, None, diags)
}

/// Render every page, with what git history tells (provenance, moved dates,
/// changes to the plans since each board last met) when `history` is given.
pub fn render_site_with(
    root: &Path,
    site: &Site,
    with_pdf: bool,
    history: Option<&crate::history::SiteHistory>,
    diags: &mut Diagnostics,
) -> Result<Vec<OutputFile>, String> {
    let theme = Theme::load(root, &site.config.theme)?;
    let mut out: Vec<OutputFile> = theme.static_files.clone();

    let logo = match &site.config.branding.logo {
        Some(name) => match assets::logo(root, name, &out) {
            Ok(file) => {
                let path = file.path.clone();
                out.push(file);
                Some(path)
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
    let site_view = SiteView {
        title: site.config.title.clone(),
        organisation: site.config.organisation.clone(),
        description: site.config.description.clone(),
        footer: site.config.footer.clone(),
        primary_colour: b.primary_colour.as_ref().and_then(safe_colour),
        accent_colour: b.accent_colour.as_ref().and_then(safe_colour),
        logo,
    };

    let renderer = Renderer {
        tera: &theme.tera,
        site: tera::Value::from_serializable(&site_view),
        bytes: AtomicUsize::new(0),
    };
    let mut results: Vec<Result<OutputFile, Failure>> = [
        page(
            "index.html",
            "index.html".into(),
            "",
            site.config.title.clone(),
            &index_data(site, with_pdf),
        ),
        page(
            "indicators.html",
            "indicators/index.html".into(),
            "../",
            "Indicators".into(),
            &pages::indicator_list(site),
        ),
        page(
            "glossary.html",
            "glossary.html".into(),
            "",
            "Glossary".into(),
            &pages::glossary_groups(site),
        ),
        page(
            "quality.html",
            "quality.html".into(),
            "",
            "Data quality".into(),
            &pages::quality_groups(site, diags),
        ),
    ]
    .into_iter()
    .map(|p| renderer.render(p))
    .collect();
    let per_plan: Vec<(Vec<Result<OutputFile, Failure>>, Diagnostics)> = site
        .plans
        .par_iter()
        .map(|lp| {
            let mut ctx = Ctx::new(site, lp, None);
            let id = &lp.plan.id.value;
            ctx.slips = history.map(|h| std::sync::Arc::new(h.slips(id)));
            let plan_git = || history.map(|h| h.plan_view(id));
            let mut v = Vec::new();
            let mut add = |mut p: Page| {
                p.source = lp.file.clone();
                v.push(renderer.render(p));
            };
            add(with_git(
                page(
                    "plan.html",
                    format!("plans/{id}.html"),
                    "../",
                    lp.plan.title.clone(),
                    &views::plan_view(&ctx),
                ),
                plan_git(),
            ));
            if let Some(app) = views::appendix_view(&ctx) {
                add(with_git(
                    page(
                        "appendix.html",
                        format!("plans/{id}-appendix.html"),
                        "../",
                        app.title.clone(),
                        &app,
                    ),
                    plan_git(),
                ));
            }
            each_indicator(&lp.plan, &mut |ind| {
                let p = pages::indicator_page(&ctx, ind);
                add(with_git(
                    page(
                        "indicator.html",
                        format!("indicators/{}.html", p.id),
                        "../",
                        p.title.clone(),
                        &p,
                    ),
                    history.map(|h| h.site_view()),
                ));
            });
            (v, ctx.diags.into_inner())
        })
        .collect();
    for (i, lp) in site.packs.iter().enumerate() {
        // The previous pack is the latest earlier one for the same board.
        let previous = site.packs[..i]
            .iter()
            .rev()
            .find(|p| p.pack.board == lp.pack.board);
        let view = packs::pack_view(site, lp, previous, with_pdf, history);
        let mut p = with_git(
            page(
                "pack.html",
                format!("packs/{}/index.html", lp.slug),
                "../../",
                format!("{} – {}", lp.pack.title, lp.pack.period.value),
                &view,
            ),
            history.map(|h| h.pack_view(&lp.slug)),
        );
        p.source = lp.file.clone();
        let r = renderer.render(p);
        let stop = matches!(r, Err(Failure::TooBig(..)));
        results.push(r);
        if stop {
            // Later packs would only be refused too.
            break;
        }
    }
    for (plan_pages, d) in per_plan {
        results.extend(plan_pages);
        diags.extend(d);
    }
    let mut template_error = None;
    // One error for the byte limits (the first page that passed them), not one per page after.
    let mut too_big = false;
    for r in results {
        match r {
            Ok(f) => out.push(f),
            Err(Failure::Template(e)) => {
                template_error.get_or_insert(e);
            }
            Err(Failure::TooBig(source, message)) => {
                if !too_big {
                    too_big = true;
                    diags.error_hint(
                        &source,
                        None,
                        message,
                        "is some text, table or pack repeated far more than intended? Each pack repeats its plans in full",
                    );
                }
            }
        }
    }
    if diags.has_errors() {
        return Err("the content has errors".into());
    }
    if let Some(e) = template_error {
        return Err(e);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The index page data.
#[derive(Serialize)]
struct IndexData {
    plans: Vec<pages::PlanCard>,
    packs: Vec<packs::PackCard>,
    indicator_count: usize,
}

fn index_data(site: &Site, with_pdf: bool) -> IndexData {
    let mut n = 0;
    for lp in &site.plans {
        each_indicator(&lp.plan, &mut |_| n += 1);
    }
    IndexData {
        plans: pages::plan_cards(site),
        packs: packs::pack_cards(site, with_pdf),
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
