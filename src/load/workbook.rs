//! Spreadsheet workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`) wherever a CSV
//! file can be named, read with `calamine`.
//!
//! A sheet (or a cell range of it) is turned into the CSV text the CSV path
//! already reads, one sheet row per line, so numbers, percentages, dates and
//! blank cells follow exactly the CSV rules. The CSV text is kept under a
//! name of its own (`budget.xlsx#Budget`) and registered with
//! [`Diagnostics::add_sheet`], which turns a line and column of that text
//! back into a cell, so an error reads `budget.xlsx, sheet Budget, cell D7`.
//!
//! Cells become text as follows: numbers as written in full (`1234.5`);
//! a cell formatted as a percentage (xlsx) as `57.1%`, as in CSV (`.xls` and
//! `.ods` give the bare fraction, 0.571); a date as `2024-06-30`, or
//! `2024-06` when it is the first of a month (how a month is usually keyed
//! in a sheet, and the form of a monthly period); true/false as Yes/No;
//! an error cell (`#DIV/0!`) as its text, which a number column reports.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Sheets};

use crate::diagnostics::{Diagnostics, SheetSource};
use crate::model::Located;

/// True when `name` names a workbook rather than a CSV file.
pub fn is_workbook(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".xls", ".ods"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Where a workbook is named in the plan and which part of it to read.
pub struct Request<'a> {
    /// Where the site's files are read from (the folder, or a git revision).
    pub source: crate::load::source::Source<'a>,
    /// The plan's folder, relative to the root.
    pub dir: &'a Path,
    /// The plan's YAML file, relative to the root (errors about the naming go there).
    pub yaml: &'a Path,
    /// The workbook's name as written.
    pub name: &'a Located<String>,
    /// `sheet:`, if given.
    pub sheet: Option<&'a Located<String>>,
    /// `range:`, if given (`B2:F20`).
    pub range: Option<&'a Located<String>>,
}

/// Read the sheet a plan names; its name for diagnostics and its CSV text.
/// `None` (with a diagnostic) when it cannot be read.
pub fn read(req: &Request, diags: &mut Diagnostics) -> Option<(PathBuf, String)> {
    let at = |d: &mut Diagnostics, pos, msg: String, hint: Option<String>| match hint {
        Some(h) => d.error_hint(req.yaml, Some(pos), msg, h),
        None => d.error(req.yaml, Some(pos), msg),
    };
    let rel = match req.source.resolve_inside(req.dir, &req.name.value) {
        Ok(p) => p,
        Err(e) => {
            at(diags, req.name.pos, e, None);
            return None;
        }
    };
    let bytes = match req.source.read_bytes(&rel) {
        Ok(b) => b,
        Err(e) => {
            at(
                diags,
                req.name.pos,
                format!("`{}`: {e}", req.name.value),
                None,
            );
            return None;
        }
    };
    // The workbook is a source the output must not hold; it has no text to quote.
    diags.add_source(&rel, "");
    let mut book = match calamine::open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => {
            at(
                diags,
                req.name.pos,
                format!("`{}` is not a workbook boardpack can read: {e}", req.name.value),
                Some("save it from Excel as .xlsx (or from LibreOffice as .ods), or export the sheet as CSV".into()),
            );
            return None;
        }
    };
    let names = book.sheet_names();
    let sheet = match req.sheet {
        Some(s) if names.contains(&s.value) => s.value.clone(),
        Some(s) => {
            let hint = crate::diagnostics::suggest(&s.value, names.iter().map(String::as_str))
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| format!("its sheets are: {}", names.join(", ")));
            at(
                diags,
                s.pos,
                format!("`{}` has no sheet `{}`", req.name.value, s.value),
                Some(hint),
            );
            return None;
        }
        None if names.len() == 1 => names[0].clone(),
        None => {
            at(
                diags,
                req.name.pos,
                format!(
                    "`{}` has {} sheets: say which with `sheet:`",
                    req.name.value,
                    names.len()
                ),
                Some(format!("its sheets are: {}", names.join(", "))),
            );
            return None;
        }
    };
    let data = match book.worksheet_range(&sheet) {
        Ok(r) => r,
        Err(e) => {
            at(
                diags,
                req.name.pos,
                format!("`{}`, sheet {sheet}: {e}", req.name.value),
                None,
            );
            return None;
        }
    };
    let percent = percent_cells(&mut book, &sheet);
    let (data, first) = match req.range {
        None => {
            let first = data.start().unwrap_or((0, 0));
            (data, first)
        }
        Some(r) => match parse_range(&r.value) {
            Some((a, b)) => (data.range(a, b), a),
            None => {
                at(
                    diags,
                    r.pos,
                    format!("`{}` is not a cell range", r.value),
                    Some(
                        "write it as two cells with a colon, top-left first: `range: B2:F20`"
                            .into(),
                    ),
                );
                return None;
            }
        },
    };
    let text = to_csv(&data, first, &percent);
    let key = PathBuf::from(format!("{}#{sheet}", rel.display()));
    diags.add_sheet(
        &key,
        SheetSource {
            workbook: rel,
            sheet,
            first_row: first.0 + 1,
            first_col: first.1,
            text: text.clone(),
        },
    );
    Some((key, text))
}

/// Cells (absolute row, column) formatted as percentages, for `.xlsx`.
fn percent_cells<RS: Read + std::io::Seek>(book: &mut Sheets<RS>, sheet: &str) -> Vec<(u32, u32)> {
    let Sheets::Xlsx(x) = book else {
        return Vec::new();
    };
    let Ok(styles) = x.worksheet_style(sheet) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (Some(start), Some(end)) = (styles.start(), styles.end()) else {
        return out;
    };
    for row in start.0..=end.0 {
        for col in start.1..=end.1 {
            if styles
                .get((row, col))
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| f.format_code.contains('%'))
            {
                out.push((row, col));
            }
        }
    }
    out
}

/// The sheet as CSV text, one line per row from `first` (absolute, 0-based).
fn to_csv(data: &Range<Data>, first: (u32, u32), percent: &[(u32, u32)]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let origin = data.start().unwrap_or(first);
    // Rows above the data (when a range starts before it) stay as blank lines.
    let mut out = String::new();
    for _ in first.0..origin.0 {
        out.push('\n');
    }
    for (r, row) in data.rows().enumerate() {
        let mut cells: Vec<String> = vec![String::new(); (origin.1 - first.1) as usize];
        for (c, cell) in row.iter().enumerate() {
            let at = (origin.0 + r as u32, origin.1 + c as u32);
            cells.push(cell_text(cell, percent.contains(&at)));
        }
        let _ = writer.write_record(&cells);
    }
    let _ = writer.flush();
    out.push_str(&String::from_utf8_lossy(writer.get_ref()));
    out
}

/// One cell as the CSV path would see it written.
fn cell_text(cell: &Data, percent: bool) -> String {
    let number = |v: f64| match percent {
        true => format!("{}%", tidy(v * 100.0)),
        false => tidy(v),
    };
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.replace(['\n', '\r'], " "),
        Data::Float(v) => number(*v),
        Data::Int(v) => number(*v as f64),
        Data::Bool(b) => if *b { "Yes" } else { "No" }.into(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            match day {
                1 => format!("{y:04}-{m:02}"),
                _ => format!("{y:04}-{m:02}-{day:02}"),
            }
        }
        Data::DateTime(d) => tidy(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A number without float noise (`0.1 * 100` is `10`, not `10.000000000000002`).
fn tidy(v: f64) -> String {
    let rounded = (v * 1e9).round() / 1e9;
    format!("{rounded}")
}

/// `B2:F20` (or `b2:f20`) as absolute 0-based (row, column) corners.
fn parse_range(text: &str) -> Option<((u32, u32), (u32, u32))> {
    let (a, b) = text.trim().split_once(':')?;
    let (a, b) = (parse_cell(a)?, parse_cell(b)?);
    (a.0 <= b.0 && a.1 <= b.1).then_some((a, b))
}

fn parse_cell(text: &str) -> Option<(u32, u32)> {
    let t = text.trim().to_ascii_uppercase();
    let split = t.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = t.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let col = letters
        .bytes()
        .fold(0u32, |n, c| n * 26 + u32::from(c - b'A') + 1);
    let row: u32 = digits.parse().ok()?;
    (row >= 1).then_some((row - 1, col - 1))
}

/// The column letters for a 0-based column (`0` is `A`, `27` is `AB`).
pub fn column_name(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_ranges_and_columns() {
        assert_eq!(parse_range("B2:F20"), Some(((1, 1), (19, 5))));
        assert_eq!(parse_range("aa1:ab3"), Some(((0, 26), (2, 27))));
        assert_eq!(parse_range("F20:B2"), None);
        assert_eq!(parse_range("B2"), None);
        assert_eq!(parse_range("2B:C3"), None);
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert!(is_workbook("data/Budget.XLSX") && !is_workbook("budget.csv"));
    }

    #[test]
    fn cells_read_as_csv_would() {
        assert_eq!(cell_text(&Data::Float(0.571), true), "57.1%");
        assert_eq!(cell_text(&Data::Float(2059.0), false), "2059");
        assert_eq!(cell_text(&Data::Float(-12.5), false), "-12.5");
        assert_eq!(cell_text(&Data::Empty, false), "");
        assert_eq!(cell_text(&Data::String("a\nb".into()), false), "a b");
        assert_eq!(cell_text(&Data::Bool(true), false), "Yes");
    }

    #[test]
    fn dates_read_as_days_or_months() {
        use calamine::{ExcelDateTime, ExcelDateTimeType::DateTime};
        // Excel day numbers: 45444 is 1 June 2024, 45473 is 30 June 2024.
        let day = |n: f64| Data::DateTime(ExcelDateTime::new(n, DateTime, false));
        assert_eq!(cell_text(&day(45444.0), false), "2024-06");
        assert_eq!(cell_text(&day(45473.0), false), "2024-06-30");
        assert_eq!(
            "2024-06".parse::<crate::model::Period>(),
            Ok(crate::model::Period::Month(2024, 6)),
            "a month-start date reads as a monthly period"
        );
    }
}
