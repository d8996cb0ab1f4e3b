//! Narrative written and never shown: a Markdown file beside `plan.yaml` that no
//! section names in `body_file:` is a warning at that file.

use std::path::Path;

use super::source::Source;
use crate::diagnostics::Diagnostics;
use crate::model::{Plan, Section};

/// Warn about every `*.md` file in the plan's folder (not its sub-folders) that
/// no section's `body_file` names. Only for sites read from disk.
pub fn unplaced_markdown(root: &Source, dir: &Path, plan: &Plan, diags: &mut Diagnostics) {
    let Some(site) = root.dir() else { return };
    let Ok(entries) = std::fs::read_dir(site.join(dir)) else {
        return;
    };
    fn named(sections: &[Section], out: &mut Vec<String>) {
        for s in sections {
            if let Some(f) = &s.body_file {
                out.push(f.value.trim_start_matches("./").to_string());
            }
            named(&s.sections, out);
        }
    }
    let mut used = Vec::new();
    named(&plan.sections, &mut used);
    let mut files: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter(|n| n.to_ascii_lowercase().ends_with(".md"))
        .collect();
    files.sort();
    for name in files {
        if !used.contains(&name) {
            diags.warning_hint(
                &dir.join(&name),
                None,
                format!("`{name}` is beside plan.yaml but no section shows it"),
                format!("add `body_file: {name}` to the section it belongs in, or move it out of the plan's folder"),
            );
        }
    }
}
