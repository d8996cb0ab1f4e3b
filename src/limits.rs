//! Limits on the work a build does, so that no content — careless or hostile —
//! can exhaust the machine.
//!
//! The file-size cap ([`crate::load::files::MAX_FILE_BYTES`]) and the YAML
//! budget bound what is read; these bound what is made from it. Each is
//! checked before the work it limits is done (a row range is checked against
//! the table before a row is picked, a CSV stops being read at the limit), and
//! each breach is a located error, never an abort. `docs/checks.md` lists
//! them for authors.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::model::{Indicator, LoadedPlan, Objective, Section, Site};
use crate::render::markdown::{self, Glossary};

/// Rows read from one CSV file (a table or an indicator's series), header
/// not counted. A published table has dozens of rows; a monthly series over
/// a century has 1,200.
pub const MAX_CSV_ROWS: usize = 20_000;

/// Cells in one table (rows × columns), from YAML or CSV: every cell becomes
/// HTML on the plan page and on each pack that includes the plan.
pub const MAX_TABLE_CELLS: usize = 200_000;

/// Rows (bars or lines) in one chart. A shortcode's `rows="…"` is checked
/// against this and against the table before any row is picked.
pub const MAX_CHART_ROWS: usize = 500;

/// Points in one chart: rows × columns for a table chart, figures (actuals
/// and targets) for an indicator.
pub const MAX_CHART_POINTS: usize = 5_000;

/// Figures charted for one plan (its tables, its indicators and the charts its
/// text places), counted before each chart is drawn: a few hundred shortcodes
/// each asking for a chart of 5,000 figures would otherwise draw gigabytes.
pub const MAX_CHART_POINTS_PER_PLAN: usize = 100_000;

/// Add `n` figures to a plan's `spent` chart figures; an error when that
/// passes [`MAX_CHART_POINTS_PER_PLAN`] (nothing is added then).
pub fn spend_chart_points(spent: &std::cell::Cell<usize>, n: usize) -> Result<(), String> {
    let total = spent.get().saturating_add(n);
    if total > MAX_CHART_POINTS_PER_PLAN {
        return Err(format!(
            "the plan's charts would draw more than {MAX_CHART_POINTS_PER_PLAN} figures in all: place fewer charts, or chart fewer rows (rows=\"…\")"
        ));
    }
    spent.set(total);
    Ok(())
}

/// Characters in one glossary meaning: it is repeated in the `title` of the
/// first use of its abbreviation in every passage of text.
pub const MAX_GLOSSARY_MEANING_CHARS: usize = 300;

/// Characters in one glossary term (an abbreviation: `CSMF`, `NI 63`).
/// Terms are looked up at every word, once per length, so the lengths are kept few.
pub const MAX_GLOSSARY_TERM_CHARS: usize = 40;

/// HTML tags (opening and closing, abbreviations included) one Markdown text
/// may make: about 250,000 elements. The HTML sanitiser holds every element
/// of a text in memory at once (a few hundred bytes each), so this bounds it;
/// a long report of a hundred pages makes some 20,000.
pub const MAX_MARKDOWN_TAGS: usize = 500_000;

/// Line ends and markup characters (`*`, `_`, `` ` ``, `[`, `<`, `|`, `#`,
/// `>`, `-`, `!`, `~`) in one Markdown text, counted before it is parsed: the
/// Markdown parser builds a tree of the whole text first, and it grows with
/// these. A hundred pages of prose have some 50,000.
pub const MAX_MARKDOWN_MARKS: usize = 1_000_000;

/// Bytes of one HTML page.
pub const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// Bytes of all HTML pages of a build together, by default: a guard against
/// a mistake (a large plan repeated in many packs) filling the disk. Pages
/// are written as they are made, so this bounds disk, not memory; a
/// 5,000-plan site writes about 3 GB. The build stops at the page that passes
/// it. `BOARDPACK_MAX_SITE_MB` sets another limit (see [`max_site_bytes`]).
pub const MAX_SITE_BYTES: usize = if usize::BITS >= 64 {
    1 << 34
} else {
    usize::MAX
};

/// The environment variable that overrides [`MAX_SITE_BYTES`], in MB.
pub const MAX_SITE_ENV: &str = "BOARDPACK_MAX_SITE_MB";

/// The limit on all pages together: `BOARDPACK_MAX_SITE_MB` when it is a
/// whole number of MB, otherwise [`MAX_SITE_BYTES`].
pub fn max_site_bytes() -> usize {
    std::env::var(MAX_SITE_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map(|mb| mb.saturating_mul(1024 * 1024))
        .unwrap_or(MAX_SITE_BYTES)
}

/// Bytes of the logo or of one file under `static/`.
pub const MAX_ASSET_BYTES: u64 = 8 * 1024 * 1024;

/// Check the limits that can be checked on the loaded model: table cells,
/// indicator figures, glossary meanings. Errors go to `diags`.
pub fn check_site(site: &Site, diags: &mut Diagnostics) {
    let site_file = Path::new(crate::load::SITE_FILE);
    let text = diags.source(site_file).map(str::to_owned);
    glossary(site_file, &site.config.glossary, text.as_deref(), diags);
    // Plans are checked in parallel (their markup is parsed to be measured).
    use rayon::prelude::*;
    let found: Vec<Diagnostics> = site
        .plans
        .par_iter()
        .map(|lp| {
            let mut found = Diagnostics::new();
            check_plan(site, lp, diags.source(&lp.file), &mut found);
            found
        })
        .collect();
    for f in found {
        diags.extend(f);
    }
}

/// One plan's sizes: its glossary, tables, sections' markup and charts;
/// `text` is its file's, to point at glossary terms.
fn check_plan(site: &Site, lp: &LoadedPlan, text: Option<&str>, diags: &mut Diagnostics) {
    let plan = &lp.plan;
    glossary(&lp.file, &plan.glossary, text, diags);
    for t in &plan.tables {
        let rows = t.rows.len() + t.groups.iter().map(|g| g.rows.len()).sum::<usize>();
        let cells = rows.saturating_mul(t.columns.len().max(1));
        if cells > MAX_TABLE_CELLS {
            diags.error_hint(
                &lp.file,
                Some(t.id.pos),
                format!(
                    "table `{}` has {rows} rows of {} columns ({cells} cells), over the limit of {MAX_TABLE_CELLS} cells in a table",
                    t.id.value,
                    t.columns.len()
                ),
                "split it into several tables, or publish the detail as a download and keep a summary here",
            );
        }
    }
    let glossary = Glossary::merged([&site.config.glossary, &plan.glossary]);
    sections(lp, &plan.sections, &glossary, diags);
    let mut check = |ind: &Indicator| {
        let n = ind.actuals.0.len() + ind.targets.0.len();
        if n > MAX_CHART_POINTS {
            diags.error_hint(
                &lp.file,
                crate::compute::lint::indicator_pos(ind),
                format!(
                    "indicator `{}` has {n} figures (actuals and targets), over the limit of {MAX_CHART_POINTS} a chart can draw",
                    crate::compute::indicator_id(plan, ind)
                ),
                "keep the figures the plan reports on (yearly or quarterly); a longer series belongs in a data file outside the plan",
            );
        }
    };
    plan.indicators.iter().for_each(&mut check);
    fn walk(objs: &[Objective], check: &mut dyn FnMut(&Indicator)) {
        for o in objs {
            o.indicators.iter().for_each(&mut *check);
            walk(&o.objectives, check);
        }
    }
    walk(&plan.objectives, &mut check);
}

/// Section bodies with more markup than [`markdown::check_markup`] allows.
fn sections(lp: &LoadedPlan, list: &[Section], glossary: &Glossary, diags: &mut Diagnostics) {
    for s in list {
        if let Some(body) = &s.body
            && let Err(e) = markdown::check_markup(&body.value, glossary)
        {
            let (file, pos) = match &body.file {
                Some(f) => (f.as_path(), None),
                None => (lp.file.as_path(), Some(body.pos)),
            };
            diags.error_hint(
                file,
                pos,
                e,
                "split the text into several sections or files; a whole report belongs in an appendix document",
            );
        }
        sections(lp, &s.sections, glossary, diags);
    }
}

/// Meanings longer than [`MAX_GLOSSARY_MEANING_CHARS`].
fn glossary(
    file: &Path,
    map: &crate::model::OrderedMap<String, String>,
    text: Option<&str>,
    diags: &mut Diagnostics,
) {
    for (term, meaning) in map.iter() {
        let t = term.chars().count();
        if t > MAX_GLOSSARY_TERM_CHARS {
            let pos = text.and_then(|text| key_pos_in(text, "glossary", term));
            diags.error_hint(
                file,
                pos,
                format!("the glossary term `{}…` is {t} characters long, over the limit of {MAX_GLOSSARY_TERM_CHARS}", term.chars().take(20).collect::<String>()),
                "a glossary term is an abbreviation (`CSMF`, `NI 63`); put longer names in the plan's text",
            );
        }
        let n = meaning.chars().count();
        if n > MAX_GLOSSARY_MEANING_CHARS {
            let pos = text.and_then(|text| key_pos_in(text, "glossary", term));
            diags.error_hint(
                file,
                pos,
                format!(
                    "the glossary meaning of `{term}` is {n} characters long, over the limit of {MAX_GLOSSARY_MEANING_CHARS}"
                ),
                "a meaning spells the abbreviation out (\"Children's Service Manager Fieldwork\"); put a longer explanation in the plan's text",
            );
        }
    }
}

/// Where `key:` starts a line of `text` (plain or quoted key), looking first
/// below the top-level `section:` that holds it (`glossary`, `branding`).
pub(crate) fn key_pos_in(text: &str, section: &str, key: &str) -> Option<crate::model::Pos> {
    let heading = format!("{section}:");
    let below = text
        .lines()
        .position(|l| l.starts_with(&heading))
        .map_or(0, |i| i + 1);
    key_pos_from(text, below, key).or_else(|| key_pos_from(text, 0, key))
}

fn key_pos_from(text: &str, from: usize, key: &str) -> Option<crate::model::Pos> {
    text.lines().enumerate().skip(from).find_map(|(i, line)| {
        let t = line.trim_start();
        let rest = t
            .strip_prefix(key)
            .or_else(|| t.strip_prefix(&format!("\"{key}\"")))
            .or_else(|| t.strip_prefix(&format!("'{key}'")))?;
        rest.trim_start()
            .starts_with(':')
            .then(|| crate::model::Pos {
                line: i + 1,
                column: line.len() - t.len() + 1,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_points_are_spent_until_the_plan_limit() {
        let spent = std::cell::Cell::new(0);
        for _ in 0..20 {
            spend_chart_points(&spent, MAX_CHART_POINTS).unwrap();
        }
        assert_eq!(spent.get(), MAX_CHART_POINTS_PER_PLAN);
        assert!(spend_chart_points(&spent, 1).is_err());
        assert_eq!(spent.get(), MAX_CHART_POINTS_PER_PLAN);
    }

    #[test]
    fn finds_glossary_keys() {
        let text = "title: x\nglossary:\n  CSMF: a\n  \"NI 63\": b\n  title: c\n";
        let at = |k| key_pos_in(text, "glossary", k).map(|p| (p.line, p.column));
        assert_eq!(at("CSMF"), Some((3, 3)));
        assert_eq!(at("NI 63"), Some((4, 3)));
        assert_eq!(at("title"), Some((5, 3)), "the term, not the site's title");
        assert_eq!(at("CSM"), None);
    }
}
