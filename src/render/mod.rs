//! Stage 3: render the site (Markdown, templates) into output files.
//!
//! Pages are rendered in parallel and handed to a [`stream::Sink`] as soon
//! as each is ready (a build writes them straight into its staging folder),
//! so memory holds the pages of one plan per thread, not the site.

pub mod chart_data;
pub mod charts;
pub mod markdown;
pub mod packs;
pub mod pages;
pub mod quality;
pub mod stream;
pub mod svg_slots;
pub mod theme;
pub mod views;

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::compute::each_indicator;
use crate::diagnostics::Diagnostics;
use crate::load::files;
use crate::model::{LoadedPlan, Site};
use crate::write::OutputFile;
use theme::Theme;
use views::{Ctx, SiteView};

/// Is `c` a CSS colour safe to put in a style attribute (`#1d4f91`, `rgb(…)`, a name)?
fn safe_colour(c: &str) -> Option<String> {
    let ok = c.chars().all(|ch| {
        ch.is_ascii_alphanumeric() || matches!(ch, '#' | '(' | ')' | ',' | '.' | ' ' | '%')
    }) && c.len() <= 40;
    ok.then(|| c.to_string())
}

/// One page to render: template, output path, root prefix and its data.
struct Page {
    template: &'static str,
    path: String,
    root: &'static str,
    title: String,
    data: tera::Value,
    /// The charts' SVGs, put in after templating ([`svg_slots`]).
    svgs: Vec<String>,
}

fn page<T: Serialize>(
    template: &'static str,
    path: String,
    root: &'static str,
    title: String,
    data: &T,
) -> Page {
    let (data, svgs) = svg_slots::collect(|| tera::Value::from_serializable(data));
    Page {
        template,
        path,
        root,
        title,
        data,
        svgs,
    }
}

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
/// `with_pdf` says whether the build prints the packs to PDF (the pages then link to them).
pub fn render_site(
    root: &Path,
    site: &Site,
    with_pdf: bool,
    diags: &mut Diagnostics,
    sink: &dyn stream::Sink,
) -> Result<RenderStats, String> {
    let theme = Theme::load(root, &site.config.theme)?;
    for f in &theme.static_files {
        sink.put(&f.path, &f.bytes)?;
    }
    let site_view = site_view(root, site, diags, sink)?;
    let site_value = tera::Value::from_serializable(&site_view);
    // Templates run so far, for a sink that does not keep pages.
    let templated = std::sync::Mutex::new(std::collections::HashSet::new());
    let keeps = sink.keeps_pages();
    let render = |p: Page| -> Result<(), String> {
        if !keeps
            && !templated
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(p.template)
        {
            return Ok(());
        }
        let mut ctx = Context::new();
        ctx.insert_value("site", site_value.clone());
        ctx.insert("root", p.root);
        ctx.insert("page_title", &p.title);
        ctx.insert_value("page", p.data);
        let html = theme
            .tera
            .render(p.template, &ctx)
            .map_err(|e| format!("template {}: {}", p.template, error_chain(&e)))?;
        sink.put(&p.path, svg_slots::fill(html, &p.svgs).as_bytes())
    };

    // The site-wide pages are built beside the plans' pages (rayon::join);
    // the quality page lists the warnings found before rendering.
    let seen: &Diagnostics = diags;
    let site_page = |i: usize| match i {
        0 => page(
            "index.html",
            "index.html".into(),
            "",
            site.config.title.clone(),
            &index_data(site, with_pdf),
        ),
        1 => page(
            "indicators.html",
            "indicators/index.html".into(),
            "../",
            "Indicators".into(),
            &pages::indicator_list(site),
        ),
        2 => page(
            "glossary.html",
            "glossary.html".into(),
            "",
            "Glossary".into(),
            &pages::glossary_groups(site),
        ),
        _ => page(
            "quality.html",
            "quality.html".into(),
            "",
            "Data quality".into(),
            &pages::quality_groups(site, seen),
        ),
    };
    const SITE_PAGES: usize = 4;
    let mut stats = RenderStats {
        pages: SITE_PAGES,
        ..RenderStats::default()
    };

    // Each plan's pages: built, rendered and handed over, then dropped.
    let plan_pages = |lp: &LoadedPlan| -> Result<(usize, bool, Diagnostics), String> {
        if let Some(paths) = sink.reuse(lp)? {
            let n = paths.iter().filter(|p| p.ends_with(".html")).count();
            return Ok((n, true, Diagnostics::new()));
        }
        let ctx = Ctx::new(site, lp, None);
        let id = &lp.plan.id.value;
        let mut v = vec![page(
            "plan.html",
            format!("plans/{id}.html"),
            "../",
            lp.plan.title.clone(),
            &views::plan_view(&ctx),
        )];
        if let Some(app) = views::appendix_view(&ctx) {
            v.push(page(
                "appendix.html",
                format!("plans/{id}-appendix.html"),
                "../",
                app.title.clone(),
                &app,
            ));
        }
        each_indicator(&lp.plan, &mut |ind| {
            let p = pages::indicator_page(&ctx, ind);
            v.push(page(
                "indicator.html",
                format!("indicators/{}.html", p.id),
                "../",
                p.title.clone(),
                &p,
            ));
        });
        let d = ctx.diags.into_inner();
        if d.has_errors() {
            return Ok((0, false, d));
        }
        let paths: Vec<String> = v.iter().map(|p| p.path.clone()).collect();
        let n = v.len();
        v.into_iter().try_for_each(render)?;
        sink.plan_done(lp, paths);
        Ok((n, false, d))
    };
    let (site_done, per_plan) = rayon::join(
        || {
            (0..SITE_PAGES)
                .into_par_iter()
                .try_for_each(|i| render(site_page(i)))
        },
        || site.plans.par_iter().map(plan_pages).collect::<Vec<_>>(),
    );
    site_done?;
    for r in per_plan {
        let (n, reused, d) = r?;
        stats.pages += n;
        stats.reused_plans += usize::from(reused);
        diags.extend(d);
    }
    if diags.has_errors() {
        return Err("the content has errors".into());
    }
    // Packs: each one compares with the latest earlier pack for the same board.
    let mut previous: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut packs = Vec::with_capacity(site.packs.len());
    for (i, lp) in site.packs.iter().enumerate() {
        packs.push((lp, previous.insert(lp.pack.board.as_str(), i)));
    }
    stats.pages += packs.len();
    packs.into_par_iter().try_for_each(|(lp, prev)| {
        let view = packs::pack_view(site, lp, prev.map(|j| &site.packs[j]), with_pdf);
        render(page(
            "pack.html",
            format!("packs/{}/index.html", lp.slug),
            "../../",
            format!("{} – {}", lp.pack.title, lp.pack.period.value),
            &view,
        ))
    })?;
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
    render_site(root, site, with_pdf, diags, &sink)?;
    Ok(sink.into_files())
}

/// The site's own data for every page (title, colours, logo); puts the logo.
fn site_view(
    root: &Path,
    site: &Site,
    diags: &mut Diagnostics,
    sink: &dyn stream::Sink,
) -> Result<SiteView, String> {
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
            sink.put(&path, &bytes)?;
            Some(path)
        }
        None => None,
    };
    let b = &site.config.branding;
    for (name, c) in [
        ("primary_colour", &b.primary_colour),
        ("accent_colour", &b.accent_colour),
    ] {
        if let Some(c) = c
            && safe_colour(c).is_none()
        {
            diags.warning(
                Path::new(crate::load::SITE_FILE),
                None,
                format!("branding.{name} `{c}` is not a CSS colour; ignored"),
            );
        }
    }
    Ok(SiteView {
        title: site.config.title.clone(),
        organisation: site.config.organisation.clone(),
        description: site.config.description.clone(),
        footer: site.config.footer.clone(),
        primary_colour: b.primary_colour.as_deref().and_then(safe_colour),
        accent_colour: b.accent_colour.as_deref().and_then(safe_colour),
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
