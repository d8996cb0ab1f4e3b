//! Chart shortcodes checked without rendering, for `check` runs that found
//! errors elsewhere (rendering, which checks them fully, is then skipped):
//! a shortcode naming an indicator or table the plan does not have is still
//! reported in the same run, with a did-you-mean.

use crate::diagnostics::{Diagnostics, suggest};
use crate::model::shortcode;
use crate::model::{Located, Plan, Pos, Section, Site};

use super::{each_indicator, indicator_id};

/// "unknown indicator `x` in this plan", with the nearest id or the list of ids.
pub fn unknown_indicator(plan: &Plan, id: &str) -> String {
    let mut ids = Vec::new();
    each_indicator(plan, &mut |i| ids.push(indicator_id(plan, i)));
    let base = format!("unknown indicator `{id}` in this plan");
    match suggest(id, ids.iter().map(String::as_str)) {
        Some(k) => format!("{base}: did you mean `{k}`?"),
        None if ids.is_empty() => format!("{base}, which has no indicators"),
        None if ids.len() <= 12 => format!("{base}: its indicators are {}", ids.join(", ")),
        None => base,
    }
}

/// "unknown table `x` in this plan", with the nearest id.
pub fn unknown_table(plan: &Plan, id: &str) -> String {
    let base = format!("unknown table `{id}` in this plan");
    match suggest(id, plan.tables.iter().map(|t| t.id.value.as_str())) {
        Some(k) => format!("{base}: did you mean `{k}`?"),
        None => base,
    }
}

/// Report shortcodes naming an indicator or table their plan does not have.
pub fn check(site: &Site, diags: &mut Diagnostics) {
    for lp in &site.plans {
        check_sections(&lp.plan, &lp.plan.sections, &lp.file, diags);
    }
}

fn check_sections(
    plan: &Plan,
    sections: &[Section],
    yaml: &std::path::Path,
    diags: &mut Diagnostics,
) {
    for s in sections {
        if let Some(body) = &s.body {
            check_body(plan, body, yaml, diags);
        }
        check_sections(plan, &s.sections, yaml, diags);
    }
}

fn check_body(
    plan: &Plan,
    body: &Located<String>,
    yaml: &std::path::Path,
    diags: &mut Diagnostics,
) {
    let file = body.file.as_deref().map_or(yaml, |f| f.as_path());
    // As rendering counts them: line 1 in a Markdown file; in YAML the
    // value's first non-blank line.
    let first_line = if body.file.is_some() {
        1
    } else {
        let blank = body
            .value
            .lines()
            .take_while(|l| l.trim().is_empty())
            .count();
        body.pos.line.saturating_sub(blank).max(1)
    };
    let (codes, errors) = shortcode::find(&body.value);
    let at = |line: usize| {
        Some(Pos {
            line: first_line + line,
            column: 1,
        })
    };
    for (line, e) in errors {
        diags.error(file, at(line), e);
    }
    for code in codes {
        let mut found = false;
        if let Some(id) = code.args.get("indicator") {
            each_indicator(plan, &mut |i| found |= indicator_id(plan, i) == *id);
            if !found {
                diags.error(
                    file,
                    at(code.line),
                    format!("chart: {}", unknown_indicator(plan, id)),
                );
            }
        } else if let Some(id) = code.args.get("table")
            && !plan.tables.iter().any(|t| t.id.value == *id)
        {
            diags.error(
                file,
                at(code.line),
                format!("chart: {}", unknown_table(plan, id)),
            );
        }
    }
}
