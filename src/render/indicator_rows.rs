//! The indicator list's rows (`indicators/index.html`), made a number of
//! plans at a time.
//!
//! The list has a row for every indicator of the site: 60,000 at 5,000
//! plans. Converted for the template engine all at once, the rows took about
//! 110 MiB while the page was made. Instead the page's template is run with a
//! placeholder where the rows go (`page.rows`, written `| safe`), and the rows
//! are made [`PLANS_A_CHUNK`] plans at a time with the partial
//! `partials/indicator_rows.html` (given `rows`, `site` and `root`), a
//! chunk for each thread at a time in parallel, each chunk's HTML put
//! straight into the page in order, then dropped. Only the finished page is
//! held whole.

use std::hash::{BuildHasher, RandomState};
use std::sync::LazyLock;

use serde::Serialize;
use tera::{Context, Tera};

use crate::compute::facts::Facts;
use crate::model::Site;

/// The partial that makes a chunk of rows.
pub const TEMPLATE: &str = "partials/indicator_rows.html";

/// How many plans' rows are made and templated at once.
pub const PLANS_A_CHUNK: usize = 100;

/// The placeholder for the rows: an HTML comment with a number chosen per
/// run, which escaped text and sanitised Markdown cannot produce.
static MARKER: LazyLock<String> = LazyLock::new(|| {
    let nonce = RandomState::new().hash_one(std::process::id());
    format!("<!--bp-rows:{nonce:016x}-->")
});

/// The indicator list page's data: where its rows go.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorListPage {
    /// The placeholder the rows replace; the template writes it `| safe`.
    pub rows: String,
}

/// The indicator list page's data.
pub fn page() -> IndicatorListPage {
    IndicatorListPage {
        rows: MARKER.clone(),
    }
}

/// Put the rows of every indicator of `site` where the placeholder is in
/// `html` (the page as its template made it), a chunk of plans at a time. A
/// page without the placeholder (a site's own template that leaves the rows
/// out) is returned as it is.
pub fn splice(
    html: String,
    tera: &Tera,
    site_value: &tera::Value,
    root: &str,
    site: &Site,
    facts: &Facts,
) -> Result<String, String> {
    let Some(at) = html.find(MARKER.as_str()) else {
        return Ok(html);
    };
    let mut out = String::with_capacity(html.len());
    out.push_str(&html[..at]);
    let chunk = |plans: &[crate::model::LoadedPlan]| -> Result<String, String> {
        let rows = super::pages::indicator_list(site, facts, plans);
        let mut ctx = Context::new();
        ctx.insert_value("site", site_value.clone());
        ctx.insert("root", root);
        ctx.insert("rows", &rows);
        drop(rows);
        tera.render(TEMPLATE, &ctx)
            .map_err(|e| format!("template {TEMPLATE}: {}", super::error_chain(&e)))
    };
    // A chunk for each thread at a time, made in parallel and put in order:
    // only that many chunks are held beside the page.
    use rayon::prelude::*;
    let wave = PLANS_A_CHUNK * rayon::current_num_threads().max(1);
    for plans in site.plans.chunks(wave) {
        let chunks: Vec<String> = plans
            .par_chunks(PLANS_A_CHUNK)
            .map(chunk)
            .collect::<Result<_, _>>()?;
        chunks.iter().for_each(|c| out.push_str(c));
    }
    out.push_str(&html[at + MARKER.len()..]);
    Ok(out)
}
