//! `boardpack init`: a new site with one small plan that builds.

use std::path::Path;

/// Create a new site in `dir`.
pub fn init(dir: &Path) -> Result<(), String> {
    Err(format!("init is not written yet: {}", dir.display()))
}
