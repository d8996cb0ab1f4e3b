//! A plan's companion files: Markdown bodies and the CSV files (or
//! workbook ranges) its tables, indicators and objectives name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::markup::markup_depth_ok;
use super::source::Source;
use super::yaml_errors::quote_whole_value;
use super::{encoding_warning, hints, workbook};
use crate::diagnostics::{Diagnostics, suggest};
use crate::model::{
    Cell, ColumnKind, Figure, Indicator, Located, Objective, Period, Pos, RowGroup, Section, Table,
};

/// Paths a plan's companion files are resolved against.
pub(super) struct PlanFiles<'a> {
    pub(super) root: &'a Source<'a>,
    pub(super) dir: &'a Path,
    pub(super) yaml: &'a Path,
}

impl PlanFiles<'_> {
    /// Read a companion file named at `name` in the plan YAML.
    fn read(&self, name: &Located<String>, diags: &mut Diagnostics) -> Option<(PathBuf, String)> {
        let rel = match self.root.resolve_inside(self.dir, &name.value) {
            Ok(p) => p,
            Err(e) => {
                diags.error(self.yaml, Some(name.pos), e);
                return None;
            }
        };
        match self.root.read_text(&rel) {
            Ok(t) => {
                encoding_warning(&rel, &t, diags);
                diags.add_source(&rel, &t.text);
                let markdown = rel.extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown")
                });
                if markdown && !markup_depth_ok(&rel, &t.text, diags) {
                    return None;
                }
                Some((rel, t.text))
            }
            Err(e) => {
                diags.error(self.yaml, Some(name.pos), format!("`{}`: {e}", name.value));
                None
            }
        }
    }

    pub(super) fn read_bodies(&self, section: &mut Section, diags: &mut Diagnostics) {
        if let Some(name) = &section.body_file {
            if section.body.is_some() {
                diags.error(
                    self.yaml,
                    Some(name.pos),
                    "a section has both `body` and `body_file`: keep one",
                );
            } else if let Some((rel, text)) = self.read(name, diags) {
                section.body = Some(Located::new(
                    text,
                    Pos { line: 1, column: 1 },
                    Some(Arc::new(rel)),
                ));
            }
        }
        for s in &mut section.sections {
            self.read_bodies(s, diags);
        }
    }

    pub(super) fn read_objective_csv(&self, obj: &mut Objective, diags: &mut Diagnostics) {
        for ind in &mut obj.indicators {
            self.read_series_csv(ind, diags);
        }
        for o in &mut obj.objectives {
            self.read_objective_csv(o, diags);
        }
    }

    /// Merge `table.csv` rows into the table.
    pub(super) fn read_table_csv(&self, table: &mut Table, diags: &mut Diagnostics) {
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
        let Some((rel, text, records)) = self.read_csv_file(
            &name,
            [table.sheet.as_ref(), table.range.as_ref()],
            "a header row of column keys",
            diags,
        ) else {
            return;
        };
        let (header, rows) = (&records[0], &records[1..]);
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
                    Some(cell_pos(&text, &header.1, i)),
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
                row_length_error(&rel, *line, rec, header.1.len(), diags);
                continue;
            }
            let mut cells = vec![Cell::Blank; keys.len()];
            for (i, k) in &index {
                cells[*k] = Cell::parse(&rec[*i]);
                let col = &table.columns[*k];
                if col.kind == ColumnKind::Number
                    && let Cell::Text(t) = &cells[*k]
                {
                    diags.error_hint(
                        &rel,
                        Some(cell_pos(&text, rec, *i)),
                        format!(
                            "table `{}`, column `{}`: `{t}` is not a number",
                            table.id.value, col.key
                        ),
                        "the column has `type: number`: write a number (1,234 or 12.5 or 57%), or leave the cell blank or `-`; use `type: figure` for a column that mixes numbers and words",
                    );
                }
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

    /// Read a companion CSV file: its path, text and (line, record) rows; `None` (with a
    /// diagnostic) when it cannot be read or has no rows. The first row is the header.
    fn read_csv_file(
        &self,
        name: &Located<String>,
        sheet: [Option<&Located<String>>; 2],
        header: &str,
        diags: &mut Diagnostics,
    ) -> Option<(PathBuf, String, Vec<CsvRecord>)> {
        let (rel, text) = match workbook::is_workbook(&name.value) {
            true => workbook::read(
                &workbook::Request {
                    source: *self.root,
                    dir: self.dir,
                    yaml: self.yaml,
                    name,
                    sheet: sheet[0],
                    range: sheet[1],
                },
                diags,
            )?,
            false => {
                if let Some(s) = sheet.iter().flatten().next() {
                    diags.error(
                        self.yaml,
                        Some(s.pos),
                        "`sheet:` and `range:` are for a workbook (.xlsx, .xls, .ods), not a CSV file",
                    );
                }
                self.read(name, diags)?
            }
        };
        let records = read_csv(&rel, &text, diags)?;
        if records.is_empty() {
            diags.error(
                &rel,
                None,
                format!("the CSV file is empty: expected {header}"),
            );
            return None;
        }
        Some((rel, text, records))
    }

    /// Merge an indicator's `data:` CSV (period, actual, target, note) into its series.
    pub(super) fn read_series_csv(&self, ind: &mut Indicator, diags: &mut Diagnostics) {
        let Some(name) = ind.data.clone() else {
            return;
        };
        let Some((rel, text, records)) = self.read_csv_file(
            &name,
            [ind.sheet.as_ref(), ind.range.as_ref()],
            "the header period,actual,target",
            diags,
        ) else {
            return;
        };
        let (header, rows) = (&records[0], &records[1..]);
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
                        Some(cell_pos(&text, &header.1, i)),
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
            if rec.len() != header.1.len() {
                row_length_error(&rel, *line, rec, header.1.len(), diags);
                continue;
            }
            let period: Period = match rec[pcol].parse() {
                Ok(p) => p,
                Err(e) => {
                    let e = quote_whole_value(e, rec[pcol].trim());
                    let at = Some(cell_pos(&text, rec, pcol));
                    match hints::rewrite(rec[pcol].trim()) {
                        Some(h) => diags.error_hint(&rel, at, e, h),
                        None => diags.error(&rel, at, e),
                    }
                    continue;
                }
            };
            let period_pos = cell_pos(&text, rec, pcol);
            let note = cols
                .get("note")
                .map(|&i| rec[i].trim().to_string())
                .filter(|s| !s.is_empty());
            for (col, series) in [("actual", &mut ind.actuals), ("target", &mut ind.targets)] {
                let Some(&i) = cols.get(col) else { continue };
                match Cell::parse(&rec[i]) {
                    Cell::Blank => {}
                    Cell::Number(v) | Cell::Percent(v) => series.0.push((
                        Located::new(period, period_pos, Some(file.clone())),
                        Figure {
                            value: v,
                            note: if col == "actual" { note.clone() } else { None },
                        },
                    )),
                    Cell::Text(t) => diags.error_hint(
                        &rel,
                        Some(cell_pos(&text, rec, i)),
                        format!("`{t}` in column `{col}` is not a number"),
                        "write the figure as a number (57.1 or 57.1%), leave the cell blank, and put any words in the `note` column",
                    ),
                }
            }
        }
    }
}

/// A CSV row with more or fewer cells than the header.
fn row_length_error(
    file: &Path,
    line: usize,
    rec: &csv::StringRecord,
    header: usize,
    diags: &mut Diagnostics,
) {
    let cells = |n: usize| {
        if n == 1 {
            "1 cell".to_string()
        } else {
            format!("{n} cells")
        }
    };
    let message = format!(
        "this row has {} but the header has {}",
        cells(rec.len()),
        cells(header)
    );
    let hint = if rec.iter().any(|c| c.contains('\n')) {
        "a cell here runs on over several lines: a `\"` that opens a quoted cell is probably never closed"
    } else if rec.len() > header {
        "a cell holding a comma must be in double quotes: \"Residential, external\""
    } else {
        "give every row one cell per column (an empty cell is fine: `a,,c`)"
    };
    diags.error_hint(file, Some(Pos { line, column: 1 }), message, hint);
}

/// Where field `field` of a CSV record starts (line and column, from 1).
fn cell_pos(text: &str, rec: &csv::StringRecord, field: usize) -> Pos {
    let Some(p) = rec.position() else {
        return Pos::default();
    };
    let start = (p.byte() as usize).min(text.len());
    let mut line = p.line() as usize;
    let mut column = text[..start]
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.chars().count())
        + 1;
    let (mut index, mut quoted) = (0, false);
    for c in text[start..].chars() {
        if index == field {
            break;
        }
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => index += 1,
            '\n' if !quoted => break,
            '\n' => {
                line += 1;
                column = 0;
            }
            _ => {}
        }
        column += 1;
    }
    Pos { line, column }
}

/// A CSV record with its line.
type CsvRecord = (usize, csv::StringRecord);

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
                // The header plus MAX_CSV_ROWS rows; stop reading at the first row over.
                if out.len() > crate::limits::MAX_CSV_ROWS {
                    diags.error_hint(
                        file,
                        Some(Pos { line, column: 1 }),
                        format!(
                            "the CSV file has more than {} rows, the limit for one file",
                            crate::limits::MAX_CSV_ROWS
                        ),
                        "a plan's table or series has dozens or hundreds of rows: is it the right file? Keep the rows the plan reports on",
                    );
                    return None;
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
