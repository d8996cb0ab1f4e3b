//! Files the content asks to be copied into the output (the logo), read as
//! content is read and placed where no theme or page file can be.
//!
//! The theme's static files go under `static/`, pages under their own
//! folders; the content's own files go under [`MEDIA_DIR`], so a logo named
//! `style.css` is `media/style.css` and never replaces the stylesheet.

use std::path::Path;

use crate::limits::MAX_ASSET_BYTES;
use crate::load::files;
use crate::write::OutputFile;

/// The output folder for files the content names (the logo).
pub const MEDIA_DIR: &str = "media";

/// Read the logo `name` (relative to `content/`) into an output file under
/// [`MEDIA_DIR`]. `taken` holds the files already in the output: a logo that
/// would land on one of them is an error naming both.
pub fn logo(root: &Path, name: &str, taken: &[OutputFile]) -> Result<OutputFile, String> {
    let rel = files::resolve_inside(root, Path::new("content"), name)?;
    let bytes = files::read_asset(root, &rel, MAX_ASSET_BYTES)?;
    let file = rel
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .filter(|f| !f.is_empty())
        .ok_or_else(|| format!("`{name}` does not name a file"))?;
    let path = format!("{MEDIA_DIR}/{file}");
    if taken.iter().any(|f| f.path == path) {
        return Err(format!(
            "{} would be copied to {path}, which the theme also writes; rename the logo",
            rel.display()
        ));
    }
    Ok(OutputFile { path, bytes })
}
