//! Plain-words messages and rewrites for the mistakes authors really make.

use std::path::Path;

use crate::diagnostics::Diagnostics;

/// An empty pack file.
pub fn empty_pack(file: &Path, diags: &mut Diagnostics) {
    diags.error_hint(
        file,
        None,
        "the file is empty: a pack needs at least `title`, `board`, `meeting_date`, `period` and `plans`",
        "start with e.g. `title: Quarterly performance report`, `board: Corporate Parenting Panel`, `meeting_date: 2017-09-14`, `period: 2017/18 Q1` and `plans: [my-plan]`",
    );
}

/// The plan id written on a top-level `id:` line, for a plan file that
/// could not be read.
pub fn plan_id_line(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let v = l.strip_prefix("id:")?.trim();
        let v = v.split(" #").next()?.trim().trim_matches(['"', '\'']);
        (!v.is_empty()).then(|| v.to_string())
    })
}
