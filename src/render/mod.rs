//! Stage 3: render the site (Markdown, templates) into output files.
//!
//! Pages are rendered in parallel; the list of files is sorted so the
//! output is the same, byte for byte, on every build.

pub mod anchors;
pub mod chart_data;
pub mod charts;
pub mod columns;
pub mod indicator_columns;
pub mod markdown;
pub mod packs;
pub mod pages;
pub mod theme;
pub mod views;

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::compute::each_indicator;
use crate::diagnostics::Diagnostics;
use crate::load::files;
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
        Some(name) => {
            let rel = files::resolve_inside(root, Path::new("content"), name)
                .map_err(|e| format!("content/site.yaml: branding.logo: {e}"))?;
            let bytes = std::fs::read(root.join(&rel))
                .map_err(|e| format!("content/site.yaml: branding.logo `{name}`: {e}"))?;
            let file = rel
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let path = format!("static/{file}");
            out.push(OutputFile {
                path: path.clone(),
                bytes,
            });
            Some(path)
        }
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

    let mut pages = vec![
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
    ];
    let per_plan: Vec<(Vec<Page>, Diagnostics)> = site
        .plans
        .par_iter()
        .map(|lp| {
            let mut ctx = Ctx::new(site, lp, None);
            let id = &lp.plan.id.value;
            ctx.slips = history.map(|h| std::sync::Arc::new(h.slips(id)));
            let plan_git = || history.map(|h| h.plan_view(id));
            let mut v = vec![with_git(
                page(
                    "plan.html",
                    format!("plans/{id}.html"),
                    "../",
                    lp.plan.title.clone(),
                    &views::plan_view(&ctx),
                ),
                plan_git(),
            )];
            if let Some(app) = views::appendix_view(&ctx) {
                v.push(with_git(
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
                v.push(with_git(
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
        pages.push(with_git(
            page(
                "pack.html",
                format!("packs/{}/index.html", lp.slug),
                "../../",
                format!("{} – {}", lp.pack.title, lp.pack.period.value),
                &view,
            ),
            history.map(|h| h.pack_view(&lp.slug)),
        ));
    }
    for (plan_pages, d) in per_plan {
        pages.extend(plan_pages);
        diags.extend(d);
    }
    if diags.has_errors() {
        return Err("the content has errors".into());
    }

    let site_value = tera::Value::from_serializable(&site_view);
    let rendered: Result<Vec<OutputFile>, String> = pages
        .par_iter()
        .map(|p| {
            let mut ctx = Context::new();
            ctx.insert_value("site", site_value.clone());
            ctx.insert("root", p.root);
            ctx.insert("page_title", &p.title);
            ctx.insert_value("page", p.data.clone());
            ctx.insert_value("git", p.git.clone());
            let html = theme
                .tera
                .render(p.template, &ctx)
                .map_err(|e| format!("template {}: {}", p.template, error_chain(&e)))?;
            Ok(OutputFile {
                path: p.path.clone(),
                bytes: html.into_bytes(),
            })
        })
        .collect();
    out.extend(rendered?);
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
