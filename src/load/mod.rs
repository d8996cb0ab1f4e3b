//! Stage 1: load `content/` into the [`Site`] model and validate its shape.
//!
//! YAML is read with serde-saphyr (line/column for every error, bounded
//! alias expansion); CSV with the `csv` crate. Markdown files and CSV rows
//! are merged into the plan so later stages see one self-contained model.

pub mod files;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostics, suggest};
use crate::model::{
    Cell, Figure, Indicator, LoadedPlan, Located, Objective, Period, Plan, Pos, RowGroup, Section,
    Site, SiteConfig, Table,
};

/// Where the site config lives, relative to the root.
pub const SITE_FILE: &str = "content/site.yaml";
/// Folder holding one sub-folder per plan.
pub const PLANS_DIR: &str = "content/plans";

/// Parse YAML text into `T`, turning a failure into a located diagnostic.
pub fn parse_yaml<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    diags.add_source(file, text);
    let options = serde_saphyr::options! {
        with_snippet: false,
    };
    match serde_saphyr::from_str_with_options::<T>(text, options) {
        Ok(v) => Some(v),
        Err(e) => {
            let pos = e.location().map(|l| Pos {
                line: l.line() as usize,
                column: l.column() as usize,
            });
            let full = e.without_snippet().to_string();
            let message = match full.rsplit_once(" at line ") {
                Some((m, _)) if pos.is_some() => m.to_string(),
                _ => full,
            };
            let message = plain_words(message);
            match yaml_hint(&message, text) {
                Some(h) => diags.error_hint(file, pos, message, h),
                None => diags.error(file, pos, message),
            }
            None
        }
    }
}

/// Reword the YAML library's messages for authors.
fn plain_words(message: String) -> String {
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        return format!("`{key}` is given twice here: keep one");
    }
    if let Some(rest) = message.strip_prefix("unknown variant `")
        && let Some((word, expected)) = rest.split_once("`, expected ")
    {
        return format!("`{word}` is not allowed here: expected {expected}");
    }
    message
}

/// A hint for common YAML mistakes: a misspelt field or word, tabs for indentation.
fn yaml_hint(message: &str, text: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix('`')
        && let Some((word, expected)) = rest.split_once("` is not allowed here: expected ")
    {
        let known: Vec<&str> = expected
            .trim_start_matches("one of ")
            .split(", ")
            .map(|s| s.trim_matches('`'))
            .collect();
        return suggest(word, known.iter().copied()).map(|k| format!("did you mean `{k}`?"));
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, rest) = rest.split_once('`')?;
        let expected = rest.split_once("expected one of ")?.1;
        let known: Vec<&str> = expected.split(", ").map(|s| s.trim_matches('`')).collect();
        return suggest(field, known.iter().copied()).map(|k| format!("did you mean `{k}`?"));
    }
    if text.lines().any(|l| l.starts_with('\t')) {
        return Some("YAML indentation must use spaces, not tabs".into());
    }
    None
}

/// Load and validate the site rooted at `root` (the folder holding `content/`).
///
/// Returns `None` when there were errors; they are in `diags`.
pub fn load_site(root: &Path, diags: &mut Diagnostics) -> Option<Site> {
    let site_file = PathBuf::from(SITE_FILE);
    let config: Option<SiteConfig> = match files::read_text(root, &site_file) {
        Ok(t) => parse_yaml(&site_file, &t.text, diags),
        Err(e) => {
            diags.error_hint(
                &site_file,
                None,
                e,
                "run boardpack in the folder holding content/, or pass --root",
            );
            None
        }
    };

    let plan_files = find_plan_files(root, diags);
    let results: Vec<(Option<LoadedPlan>, Diagnostics)> = plan_files
        .par_iter()
        .map(|file| {
            let mut d = Diagnostics::new();
            let plan = load_plan(root, file, &mut d);
            (plan, d)
        })
        .collect();
    let mut plans = Vec::new();
    for (plan, d) in results {
        diags.extend(d);
        plans.extend(plan);
    }
    let config = config?;
    check_unique_ids(&plans, diags);
    if diags.has_errors() {
        return None;
    }
    plans.sort_by(|a, b| {
        (
            a.plan.order.unwrap_or(i64::MAX),
            &a.plan.title,
            &a.plan.id.value,
        )
            .cmp(&(
                b.plan.order.unwrap_or(i64::MAX),
                &b.plan.title,
                &b.plan.id.value,
            ))
    });
    Some(Site { config, plans })
}

/// Every `plan.yaml` under `content/plans`, sorted.
fn find_plan_files(root: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let dir = root.join(PLANS_DIR);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() && e.file_name() == "plan.yaml" => {
                if let Ok(rel) = e.path().strip_prefix(root) {
                    out.push(rel.to_path_buf());
                }
            }
            Ok(e) if e.path_is_symlink() && e.file_name() == "plan.yaml" => {
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                diags.error(
                    rel,
                    None,
                    "plan.yaml is a symbolic link; boardpack reads only real files inside the site",
                );
            }
            Ok(_) => {}
            Err(e) => diags.error(
                Path::new(PLANS_DIR),
                None,
                format!("cannot read folder: {e}"),
            ),
        }
    }
    out
}

/// Load one plan file with its Markdown and CSV companions.
fn load_plan(root: &Path, file: &Path, diags: &mut Diagnostics) -> Option<LoadedPlan> {
    let text = match files::read_text(root, file) {
        Ok(t) => t,
        Err(e) => {
            diags.error(file, None, e);
            return None;
        }
    };
    let mut plan: Plan = parse_yaml(file, &text.text, diags)?;
    let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
    let ctx = PlanFiles {
        root,
        dir: &dir,
        yaml: file,
    };
    for section in &mut plan.sections {
        ctx.read_bodies(section, diags);
    }
    for table in &mut plan.tables {
        ctx.read_table_csv(table, diags);
    }
    for ind in &mut plan.indicators {
        ctx.read_series_csv(ind, diags);
    }
    for obj in &mut plan.objectives {
        ctx.read_objective_csv(obj, diags);
    }
    Some(LoadedPlan {
        plan,
        dir,
        file: file.to_path_buf(),
    })
}

/// Paths a plan's companion files are resolved against.
struct PlanFiles<'a> {
    root: &'a Path,
    dir: &'a Path,
    yaml: &'a Path,
}

impl PlanFiles<'_> {
    /// Read a companion file named at `name` in the plan YAML.
    fn read(&self, name: &Located<String>, diags: &mut Diagnostics) -> Option<(PathBuf, String)> {
        let rel = match files::resolve_inside(self.root, self.dir, &name.value) {
            Ok(p) => p,
            Err(e) => {
                diags.error(self.yaml, Some(name.pos), e);
                return None;
            }
        };
        match files::read_text(self.root, &rel) {
            Ok(t) => {
                if let Some(enc) = t.converted_from {
                    diags.warning(
                        &rel,
                        None,
                        format!("read as {enc}; save it as UTF-8 (Excel: \"CSV UTF-8\") to be sure every character is right"),
                    );
                }
                diags.add_source(&rel, &t.text);
                Some((rel, t.text))
            }
            Err(e) => {
                diags.error(self.yaml, Some(name.pos), format!("`{}`: {e}", name.value));
                None
            }
        }
    }

    fn read_bodies(&self, section: &mut Section, diags: &mut Diagnostics) {
        if let Some(name) = &section.body_file {
            if section.body.is_some() {
                diags.error(
                    self.yaml,
                    Some(name.pos),
                    "a section has both `body` and `body_file`: keep one",
                );
            } else if let Some((_, text)) = self.read(name, diags) {
                section.body = Some(text);
            }
        }
        for s in &mut section.sections {
            self.read_bodies(s, diags);
        }
    }

    fn read_objective_csv(&self, obj: &mut Objective, diags: &mut Diagnostics) {
        for ind in &mut obj.indicators {
            self.read_series_csv(ind, diags);
        }
        for o in &mut obj.objectives {
            self.read_objective_csv(o, diags);
        }
    }

    /// Merge `table.csv` rows into the table.
    fn read_table_csv(&self, table: &mut Table, diags: &mut Diagnostics) {
        let Some(name) = table.csv.clone() else {
            return;
        };
        if !table.rows.is_empty() || !table.groups.is_empty() {
            diags.error(
                self.yaml,
                Some(name.pos),
                format!(
                    "table `{}` has rows in the YAML and a CSV file: keep one",
                    table.id.value
                ),
            );
            return;
        }
        let Some((rel, text)) = self.read(&name, diags) else {
            return;
        };
        let Some(records) = read_csv(&rel, &text, diags) else {
            return;
        };
        let Some((header, rows)) = records.split_first() else {
            diags.error(
                &rel,
                None,
                "the CSV file is empty: expected a header row of column keys",
            );
            return;
        };
        let keys: Vec<&str> = table.columns.iter().map(|c| c.key.as_str()).collect();
        let mut index = Vec::new();
        let mut group_col = None;
        for (i, h) in header.1.iter().enumerate() {
            let h = h.trim();
            if h == "group" {
                group_col = Some(i);
            } else if let Some(k) = keys.iter().position(|k| *k == h) {
                index.push((i, k));
            } else {
                let hint = suggest(h, keys.iter().copied())
                    .map(|k| format!("did you mean `{k}`?"))
                    .unwrap_or_else(|| format!("the table's columns are: {}", keys.join(", ")));
                diags.error_hint(
                    &rel,
                    Some(Pos {
                        line: header.0,
                        column: 1,
                    }),
                    format!(
                        "unknown column `{h}` in the header of table `{}`",
                        table.id.value
                    ),
                    hint,
                );
                return;
            }
        }
        for k in &keys {
            if !index.iter().any(|(_, i)| keys[*i] == *k)
                && !table
                    .columns
                    .iter()
                    .any(|c| c.key == *k && c.formula.is_some())
            {
                diags.error(
                    &rel,
                    Some(Pos {
                        line: header.0,
                        column: 1,
                    }),
                    format!(
                        "the header has no column `{k}`, which table `{}` needs",
                        table.id.value
                    ),
                );
                return;
            }
        }
        let file = Arc::new(rel.clone());
        let mut groups: Vec<RowGroup> = Vec::new();
        let mut plain = Vec::new();
        for (line, rec) in rows {
            if rec.len() != header.1.len() {
                diags.error(
                    &rel,
                    Some(Pos {
                        line: *line,
                        column: 1,
                    }),
                    format!(
                        "this row has {} cells but the header has {}",
                        rec.len(),
                        header.1.len()
                    ),
                );
                continue;
            }
            let mut cells = vec![Cell::Blank; keys.len()];
            for (i, k) in &index {
                cells[*k] = Cell::parse(&rec[*i]);
            }
            let row = Located::new(
                cells,
                Pos {
                    line: *line,
                    column: 1,
                },
                Some(file.clone()),
            );
            match group_col.map(|g| rec[g].trim().to_string()) {
                Some(g) if !g.is_empty() => {
                    if groups.last().is_none_or(|l| l.title != g) {
                        groups.push(RowGroup {
                            title: g,
                            rows: Vec::new(),
                            note: None,
                        });
                    }
                    if let Some(last) = groups.last_mut() {
                        last.rows.push(row);
                    }
                }
                _ => plain.push(row),
            }
        }
        table.rows = plain;
        table.groups = groups;
    }

    /// Merge an indicator's `data:` CSV (period, actual, target, note) into its series.
    fn read_series_csv(&self, ind: &mut Indicator, diags: &mut Diagnostics) {
        let Some(name) = ind.data.clone() else {
            return;
        };
        let Some((rel, text)) = self.read(&name, diags) else {
            return;
        };
        let Some(records) = read_csv(&rel, &text, diags) else {
            return;
        };
        let Some((header, rows)) = records.split_first() else {
            diags.error(
                &rel,
                None,
                "the CSV file is empty: expected the header period,actual,target",
            );
            return;
        };
        let allowed = ["period", "actual", "target", "note"];
        let mut cols: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, h) in header.1.iter().enumerate() {
            match allowed.iter().find(|a| **a == h.trim()) {
                Some(a) => {
                    cols.insert(a, i);
                }
                None => {
                    let hint = suggest(h.trim(), allowed)
                        .map(|k| format!("did you mean `{k}`?"))
                        .unwrap_or_else(|| "the columns are period, actual, target, note".into());
                    diags.error_hint(
                        &rel,
                        Some(Pos {
                            line: header.0,
                            column: 1,
                        }),
                        format!("unknown column `{}`", h.trim()),
                        hint,
                    );
                    return;
                }
            }
        }
        let Some(&pcol) = cols.get("period") else {
            diags.error(
                &rel,
                Some(Pos {
                    line: header.0,
                    column: 1,
                }),
                "the header has no `period` column",
            );
            return;
        };
        let file = Arc::new(rel.clone());
        for (line, rec) in rows {
            let pos = Pos {
                line: *line,
                column: 1,
            };
            if rec.len() != header.1.len() {
                diags.error(
                    &rel,
                    Some(pos),
                    format!(
                        "this row has {} cells but the header has {}",
                        rec.len(),
                        header.1.len()
                    ),
                );
                continue;
            }
            let period: Period = match rec[pcol].parse() {
                Ok(p) => p,
                Err(e) => {
                    diags.error(&rel, Some(pos), e);
                    continue;
                }
            };
            let note = cols
                .get("note")
                .map(|&i| rec[i].trim().to_string())
                .filter(|s| !s.is_empty());
            for (col, series) in [("actual", &mut ind.actuals), ("target", &mut ind.targets)] {
                let Some(&i) = cols.get(col) else { continue };
                match Cell::parse(&rec[i]) {
                    Cell::Blank => {}
                    Cell::Number(v) | Cell::Percent(v) => series.0.push((
                        Located::new(period, pos, Some(file.clone())),
                        Figure {
                            value: v,
                            note: if col == "actual" { note.clone() } else { None },
                        },
                    )),
                    Cell::Text(t) => diags.error(
                        &rel,
                        Some(pos),
                        format!("`{t}` in column `{col}` is not a number"),
                    ),
                }
            }
        }
    }
}

/// Read CSV text into (line, record) pairs; errors become diagnostics.
fn read_csv(
    file: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<Vec<(usize, csv::StringRecord)>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in reader.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                if r.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                out.push((line, r));
            }
            Err(e) => {
                let line = e.position().map(|p| Pos {
                    line: p.line() as usize,
                    column: 1,
                });
                diags.error(file, line, format!("CSV error: {e}"));
                return None;
            }
        }
    }
    Some(out)
}

/// Plan ids must be unique across the site.
fn check_unique_ids(plans: &[LoadedPlan], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for p in plans {
        let id = p.plan.id.value.as_str();
        if let Some(first) = seen.insert(id, &p.file) {
            diags.error(
                &p.file,
                Some(p.plan.id.pos),
                format!("plan id `{id}` is already used by {}", first.display()),
            );
        }
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            diags.error_hint(
                &p.file,
                Some(p.plan.id.pos),
                format!("plan id `{id}` is not a valid id"),
                "use lower-case letters, digits and hyphens, e.g. `lac-action-plan-2015`",
            );
        }
    }
}
