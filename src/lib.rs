//! boardpack: turn plans kept in git (YAML, CSV, Markdown) into a static site
//! of plans, indicators and board packs.
//!
//! The pipeline, one module per stage:
//! [`load`] (read and validate `content/`) → [`compute`] (periods, totals, RAG)
//! → [`render`] (Markdown, templates) → [`write`] (atomic swap into `output/`).

pub mod cli;
pub mod compute;
pub mod diagnostics;
pub mod load;
pub mod model;
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
    /// HTML pages written.
    pub pages: usize,
}

/// Load and validate the site at `root`; true when there are no errors.
pub fn check(root: &Path, diags: &mut Diagnostics) -> bool {
    if let Some(site) = load::load_site(root, diags) {
        compute::validate(&site, diags);
        if !diags.has_errors() {
            // Rendering finds what only rendering can (chart shortcodes, templates); nothing is written.
            if let Err(e) = render::render_site(root, &site, diags)
                && !diags.has_errors()
            {
                diags.error(Path::new(load::SITE_FILE), None, e);
            }
        }
    }
    !diags.has_errors()
}

/// Build the site at `root` into `out`, replacing it only when everything succeeded.
pub fn build(
    root: &Path,
    out: &Path,
    force: bool,
    strict: bool,
    diags: &mut Diagnostics,
) -> Result<BuildStats, String> {
    let site = load::load_site(root, diags).ok_or("the content has errors")?;
    compute::validate(&site, diags);
    if diags.has_errors() {
        return Err("the content has errors".into());
    }
    if strict && diags.warning_count() > 0 {
        return Err("warnings are errors under --strict".into());
    }
    let files = render::render_site(root, &site, diags)?;
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    write::write_output(out, &files, force)?;
    Ok(BuildStats {
        plans: site.plans.len(),
        pages,
    })
}
