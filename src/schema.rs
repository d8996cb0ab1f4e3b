//! JSON Schemas for the content files, for editors.

use std::path::Path;

/// The folder (under the site root) `init` and `new` write the schemas to.
pub const DEFAULT_DIR: &str = "schemas";

/// Write the schemas into `root/schemas/` unless they are there already.
pub fn write_if_missing(_root: &Path) -> Result<(), String> {
    Ok(())
}
