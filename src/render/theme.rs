//! Themes: Tera templates and static files, with per-site overrides.
//!
//! A template or static file is looked up, in order, in the site's own
//! `templates/` and `static/` folders, then in `themes/<name>/`, then in the
//! default theme built into boardpack (a copy of `themes/default/`). So a site
//! overrides one template by placing a file of the same name in `templates/`.

use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;
use walkdir::WalkDir;

use crate::limits::MAX_ASSET_BYTES;
use crate::load::files;
use crate::write::OutputFile;

/// The default theme's templates, built in.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "plan.html",
        include_str!("../../themes/default/templates/plan.html"),
    ),
    (
        "appendix.html",
        include_str!("../../themes/default/templates/appendix.html"),
    ),
    (
        "indicator.html",
        include_str!("../../themes/default/templates/indicator.html"),
    ),
    (
        "indicators.html",
        include_str!("../../themes/default/templates/indicators.html"),
    ),
    (
        "glossary.html",
        include_str!("../../themes/default/templates/glossary.html"),
    ),
    (
        "partials/rag.html",
        include_str!("../../themes/default/templates/partials/rag.html"),
    ),
    (
        "partials/blocks.html",
        include_str!("../../themes/default/templates/partials/blocks.html"),
    ),
    (
        "partials/actions.html",
        include_str!("../../themes/default/templates/partials/actions.html"),
    ),
    (
        "partials/indicators.html",
        include_str!("../../themes/default/templates/partials/indicators.html"),
    ),
    (
        "partials/table.html",
        include_str!("../../themes/default/templates/partials/table.html"),
    ),
    (
        "pack.html",
        include_str!("../../themes/default/templates/pack.html"),
    ),
    (
        "quality.html",
        include_str!("../../themes/default/templates/quality.html"),
    ),
    (
        "quality_plan.html",
        include_str!("../../themes/default/templates/quality_plan.html"),
    ),
    (
        "partials/indicator_rows.html",
        include_str!("../../themes/default/templates/partials/indicator_rows.html"),
    ),
    (
        "partials/quality_table.html",
        include_str!("../../themes/default/templates/partials/quality_table.html"),
    ),
    (
        "partials/sections.html",
        include_str!("../../themes/default/templates/partials/sections.html"),
    ),
    (
        "partials/column_table.html",
        include_str!("../../themes/default/templates/partials/column_table.html"),
    ),
    (
        "partials/action_plan.html",
        include_str!("../../themes/default/templates/partials/action_plan.html"),
    ),
    (
        "partials/chart.html",
        include_str!("../../themes/default/templates/partials/chart.html"),
    ),
    (
        "partials/provenance.html",
        include_str!("../../themes/default/templates/partials/provenance.html"),
    ),
    (
        "partials/plan_changes.html",
        include_str!("../../themes/default/templates/partials/plan_changes.html"),
    ),
];

/// The default theme's static files, built in.
const DEFAULT_STATIC: &[(&str, &str)] = &[(
    "style.css",
    include_str!("../../themes/default/static/style.css"),
)];

/// Loaded templates and static files.
pub struct Theme {
    /// Templates ready to render.
    pub tera: Tera,
    /// Static files to copy under `static/`.
    pub static_files: Vec<OutputFile>,
}

/// Files under `root`/`rel`, keyed by path relative to it (with `/`).
///
/// They are read as content is: regular files only (links, FIFOs and devices
/// are refused by name), inside the site, each at most [`MAX_ASSET_BYTES`].
fn read_tree(root: &Path, rel: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut out = BTreeMap::new();
    let dir = root.join(rel);
    match std::fs::symlink_metadata(&dir) {
        Err(_) => return Ok(out),
        Ok(m) if m.file_type().is_symlink() => {
            return Err(format!(
                "{}: is a link; boardpack reads only real folders inside the site",
                rel.display()
            ));
        }
        Ok(m) if !m.is_dir() => return Ok(out),
        Ok(_) => {}
    }
    for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", rel.display()))?;
        let inside = entry.path().strip_prefix(&dir).map_err(|e| e.to_string())?;
        let shown = rel.join(inside);
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            let what = if kind.is_symlink() {
                "a link"
            } else {
                "not an ordinary file (a pipe, device or socket)"
            };
            return Err(format!(
                "{}: is {what}; boardpack copies only ordinary files inside the site",
                shown.display()
            ));
        }
        let key = inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = files::read_asset(root, &shown, MAX_ASSET_BYTES)
            .map_err(|e| format!("{}: {e}", shown.display()))?;
        out.insert(key, bytes);
    }
    Ok(out)
}

impl Theme {
    /// Load theme `name` for the site at `root`, with the site's overrides.
    pub fn load(root: &Path, name: &str) -> Result<Theme, String> {
        if name.is_empty() || name.contains(['/', '\\', '.']) {
            return Err(format!(
                "content/site.yaml: theme `{name}` is not a theme folder name"
            ));
        }
        let theme_rel = Path::new("themes").join(name);
        if name != "default" && !root.join(&theme_rel).is_dir() {
            return Err(format!(
                "content/site.yaml: theme `{name}` not found: expected a folder themes/{name}/"
            ));
        }
        let mut templates: BTreeMap<String, Vec<u8>> = DEFAULT_TEMPLATES
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect();
        let mut statics: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect();
        for layer in [theme_rel.clone(), std::path::PathBuf::new()] {
            templates.extend(read_tree(root, &layer.join("templates"))?);
            statics.extend(read_tree(root, &layer.join("static"))?);
        }
        let mut sources = Vec::new();
        for (name, bytes) in &templates {
            let text = String::from_utf8(bytes.clone())
                .map_err(|_| format!("template {name} is not UTF-8 text"))?;
            sources.push((name.clone(), text));
        }
        let mut tera = Tera::new();
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| format!("theme `{name}`: {}", super::error_chain(&e)))?;
        let static_files = statics
            .into_iter()
            .map(|(path, bytes)| OutputFile {
                path: format!("static/{path}"),
                bytes,
            })
            .collect();
        Ok(Theme { tera, static_files })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_theme_has_every_template_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let on_disk: Vec<String> = read_tree(root, Path::new("themes/default/templates"))
            .unwrap()
            .into_keys()
            .collect();
        let built_in: Vec<&str> = DEFAULT_TEMPLATES.iter().map(|(n, _)| *n).collect();
        for name in &on_disk {
            assert!(built_in.contains(&name.as_str()), "{name} is not built in");
        }
        assert_eq!(on_disk.len(), built_in.len());
    }
}
