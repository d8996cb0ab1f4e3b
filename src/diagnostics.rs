//! Errors and warnings about content, each tied to a file, line and column.
//!
//! Every stage pushes into one [`Diagnostics`] so a build reports every
//! problem it can find in one run, not just the first.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::model::Pos;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot go on.
    Error,
    /// The build goes on; an author should look.
    Warning,
}

/// One problem found in the content.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// File, relative to the site root.
    pub file: PathBuf,
    /// Line and column, when known.
    pub pos: Option<Pos>,
    /// What is wrong and what was expected.
    pub message: String,
    /// A suggestion, when one helps.
    pub hint: Option<String>,
}

/// A workbook sheet read as CSV text (see `load::workbook`): positions in
/// that text are shown as the sheet's cells.
#[derive(Debug, Clone)]
pub struct SheetSource {
    /// The workbook, relative to the site root.
    pub workbook: PathBuf,
    /// The sheet's name.
    pub sheet: String,
    /// The sheet row (from 1) of the text's first line.
    pub first_row: u32,
    /// The sheet column (from 0) of each line's first cell.
    pub first_col: u32,
    /// The CSV text the sheet was read as.
    pub text: String,
}

impl SheetSource {
    /// `budget.xlsx, sheet Budget, cell D7` for a line and column of the text.
    fn place(&self, pos: Option<Pos>) -> String {
        let mut out = format!("{}, sheet {}", portable_path(&self.workbook), self.sheet);
        if let Some(p) = pos {
            let row = self.first_row as usize + p.line.saturating_sub(1);
            let line = self
                .text
                .lines()
                .nth(p.line.saturating_sub(1))
                .unwrap_or("");
            // The field the column falls in: commas outside quotes before it.
            let mut field = 0u32;
            let mut quoted = false;
            for c in line.chars().take(p.column.saturating_sub(1)) {
                match c {
                    '"' => quoted = !quoted,
                    ',' if !quoted => field += 1,
                    _ => {}
                }
            }
            let col = crate::load::workbook::column_name(self.first_col + field);
            out.push_str(&format!(", cell {col}{row}"));
        }
        out
    }
}

/// Where each line of one file starts, so quoting many lines of a file does
/// not read it from the top each time; and the last file's name as shown.
#[derive(Default)]
struct LineStarts {
    file: PathBuf,
    starts: Vec<usize>,
    shown: Option<(PathBuf, String)>,
}

impl LineStarts {
    /// `file` as diagnostics name it ([`portable_path`]), made once for the
    /// diagnostics of one file in a row.
    fn portable(&mut self, file: &Path) -> &str {
        if self.shown.as_ref().is_none_or(|(f, _)| f != file) {
            self.shown = Some((file.to_path_buf(), portable_path(file)));
        }
        self.shown.as_ref().map_or("", |(_, s)| s.as_str())
    }

    /// Line `n` (from 1) of `text`, the text of `file`, without its line end.
    fn line<'a>(&mut self, file: &Path, text: &'a str, n: usize) -> Option<&'a str> {
        if self.file != file || self.starts.is_empty() {
            self.file = file.to_path_buf();
            self.starts = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
        }
        let start = *self.starts.get(n.checked_sub(1)?)?;
        if start >= text.len() {
            return None;
        }
        let end = self.starts.get(n).map_or(text.len(), |e| e - 1);
        let line = &text[start..end.max(start)];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// All diagnostics of a run, with the text of each file they point into.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Looked up for every diagnostic: hashed, not ordered (ordering paths
    /// compares them part by part, which at tens of thousands of warnings
    /// was most of the time spent printing them).
    sources: HashMap<PathBuf, String>,
    sheets: HashMap<PathBuf, SheetSource>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Remember a file's text so diagnostics can quote the offending line.
    pub fn add_source(&mut self, file: &Path, text: &str) {
        self.sources.insert(file.to_path_buf(), text.to_string());
    }

    /// Add a diagnostic as it was made (one kept from an earlier run).
    pub fn push_kept(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// The diagnostics, the file texts kept, and whether any workbook sheet
    /// was read (whose places are not kept with the texts).
    pub fn parts(&self) -> (&[Diagnostic], &HashMap<PathBuf, String>, bool) {
        (&self.items, &self.sources, !self.sheets.is_empty())
    }

    /// Remember that `key` names a workbook sheet read as CSV text, so its
    /// diagnostics name the sheet and cell rather than a line of that text.
    pub fn add_sheet(&mut self, key: &Path, sheet: SheetSource) {
        self.sheets.insert(key.to_path_buf(), sheet);
    }

    /// The files whose text was remembered: every content file read, sorted.
    pub fn source_files(&self) -> impl Iterator<Item = &Path> {
        let mut files: Vec<&Path> = self.sources.keys().map(PathBuf::as_path).collect();
        files.sort();
        files.into_iter()
    }

    /// The text of a file given to [`Diagnostics::add_source`], to find a place in it.
    pub fn source(&self, file: &Path) -> Option<&str> {
        self.sources.get(file).map(String::as_str)
    }

    /// Record an error.
    pub fn error(&mut self, file: &Path, pos: Option<Pos>, message: impl Into<String>) {
        self.push(Severity::Error, file, pos, message.into(), None);
    }

    /// Record an error with a hint.
    pub fn error_hint(
        &mut self,
        file: &Path,
        pos: Option<Pos>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.push(
            Severity::Error,
            file,
            pos,
            message.into(),
            Some(hint.into()),
        );
    }

    /// Record a warning.
    pub fn warning(&mut self, file: &Path, pos: Option<Pos>, message: impl Into<String>) {
        self.push(Severity::Warning, file, pos, message.into(), None);
    }

    /// Record a warning with a hint.
    pub fn warning_hint(
        &mut self,
        file: &Path,
        pos: Option<Pos>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.push(
            Severity::Warning,
            file,
            pos,
            message.into(),
            Some(hint.into()),
        );
    }

    fn push(
        &mut self,
        severity: Severity,
        file: &Path,
        pos: Option<Pos>,
        message: String,
        hint: Option<String>,
    ) {
        self.items.push(Diagnostic {
            severity,
            file: file.to_path_buf(),
            pos: pos.filter(|p| p.line > 0),
            message,
            hint,
        });
    }

    /// Add everything from another collection.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
        self.sources.extend(other.sources);
        self.sheets.extend(other.sheets);
    }

    /// Keep only the diagnostics for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    /// True when at least one error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// The diagnostics, sorted by file, line and severity (deterministic).
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        // Files are put in order once, then diagnostics by their file's place
        // in that order: the same order as comparing the paths themselves,
        // without comparing a path for every pair of diagnostics.
        let mut files: Vec<&PathBuf> = self.items.iter().map(|d| &d.file).collect();
        files.sort();
        files.dedup();
        let rank: HashMap<&PathBuf, usize> = files.into_iter().zip(0..).collect();
        let mut v: Vec<(usize, &Diagnostic)> =
            self.items.iter().map(|d| (rank[&d.file], d)).collect();
        // In parallel: a large site sorts tens of thousands of warnings.
        use rayon::slice::ParallelSliceMut;
        v.par_sort_by(|(ra, a), (rb, b)| {
            (ra, a.pos, a.severity, &a.message).cmp(&(rb, b.pos, b.severity, &b.message))
        });
        let mut v: Vec<&Diagnostic> = v.into_iter().map(|(_, d)| d).collect();
        v.dedup_by(|a, b| a == b);
        v
    }

    /// Render every diagnostic for a terminal, quoting the offending line.
    ///
    /// Text that came from the content (messages quote it, snippets show it)
    /// is cleaned of control characters, so a damaged or hostile file cannot
    /// send escape sequences to the terminal.
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        let _ = self.write_to(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Write what [`Diagnostics::render`] gives to `w`, a few thousand
    /// diagnostics at a time: each batch is formatted in parallel (a large
    /// site can have a hundred thousand warnings) and written before the
    /// next is made, so the whole text is never held at once.
    pub fn write_to(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        use rayon::prelude::*;
        for batch in self.sorted().chunks(4096) {
            let parts: Vec<String> = batch
                .par_iter()
                .with_min_len(256)
                .map_init(LineStarts::default, |lines, d| self.render_one(d, lines))
                .collect();
            for p in parts {
                w.write_all(p.as_bytes())?;
            }
        }
        Ok(())
    }

    /// One diagnostic as [`Diagnostics::render`] writes it; `lines` keeps
    /// where the lines of the last file quoted start, as diagnostics come
    /// sorted by file.
    fn render_one(&self, d: &Diagnostic, lines: &mut LineStarts) -> String {
        let mut out = String::with_capacity(256);
        out.push_str(d.severity.name());
        out.push_str(": ");
        match (self.sheets.get(&d.file), d.pos) {
            (Some(sheet), pos) => push_printable(&mut out, &sheet.place(pos)),
            (None, pos) => {
                push_printable(&mut out, lines.portable(&d.file));
                if let Some(p) = pos {
                    let _ = write!(out, ":{}:{}", p.line, p.column.max(1));
                }
            }
        }
        out.push_str(": ");
        push_printable(&mut out, &d.message);
        out.push('\n');
        if let (Some(p), Some(src)) = (d.pos, self.sources.get(&d.file))
            && let Some(line) = lines.line(&d.file, src, p.line)
        {
            let num = p.line.to_string();
            let pad = " ".repeat(num.len());
            // Long lines are shown as a window around the column.
            let col = p.column.saturating_sub(1);
            let skip = col.saturating_sub(120).div_ceil(40) * 40;
            let lead = if skip > 0 { "…" } else { "" };
            let _ = writeln!(out, "{pad} |");
            let _ = write!(out, "{num} | {lead}");
            let shown = line
                .char_indices()
                .nth(skip)
                .map_or("", |(i, _)| &line[i..]);
            let end = shown
                .char_indices()
                .nth(160)
                .map_or(shown.len(), |(i, _)| i);
            push_printable(&mut out, &shown[..end]);
            out.push('\n');
            let caret = lead.chars().count() + (col - skip).min(160);
            let _ = writeln!(out, "{pad} | {:caret$}^", "");
        }
        if let Some(h) = &d.hint {
            out.push_str("  = hint: ");
            push_printable(&mut out, h);
            out.push('\n');
        }
        out
    }

    /// Every diagnostic as a JSON array, sorted as [`Diagnostics::sorted`] sorts:
    /// `[{"severity": "error", "file": "content/site.yaml", "line": 2,
    /// "column": 1, "message": "…", "hint": "…"}]`. `line`, `column` and `hint`
    /// are `null` when unknown; `file` is relative to the site root and uses `/`.
    pub fn to_json(&self) -> String {
        /// One diagnostic as JSON, fields in this order.
        #[derive(serde::Serialize)]
        struct Json<'a> {
            severity: &'static str,
            file: String,
            line: Option<usize>,
            column: Option<usize>,
            message: &'a str,
            hint: Option<&'a str>,
        }
        let items: Vec<Json> = self
            .sorted()
            .into_iter()
            .map(|d| Json {
                severity: d.severity.name(),
                file: match self.sheets.get(&d.file) {
                    Some(sheet) => sheet.place(d.pos),
                    None => portable_path(&d.file),
                },
                // A sheet's place is all in `file` (`…, cell D7`).
                line: d
                    .pos
                    .filter(|_| !self.sheets.contains_key(&d.file))
                    .map(|p| p.line),
                column: d
                    .pos
                    .filter(|_| !self.sheets.contains_key(&d.file))
                    .map(|p| p.column.max(1)),
                message: &d.message,
                hint: d.hint.as_deref(),
            })
            .collect();
        serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
    }
}

impl Severity {
    /// `error` or `warning`, as printed.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A relative path written with `/` on every platform.
fn portable_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Append `text` to `out` with tabs and line breaks shown as spaces and
/// other control characters as `�` (as it is when it has none, as most
/// text has not).
fn push_printable(out: &mut String, text: &str) {
    if !text.chars().any(char::is_control) {
        out.push_str(text);
        return;
    }
    out.extend(text.chars().map(|c| match c {
        '\t' | '\n' | '\r' => ' ',
        c if c.is_control() => '\u{FFFD}',
        c => c,
    }));
}

/// The known name nearest to `word`, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(word, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4) && *d < k.len())
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_quoted_line_is_the_line_str_lines_gives() {
        let texts = [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\nc\n",
            "x\ry\nz",
            "é\nü\n\n",
        ];
        for text in texts {
            let mut lines = LineStarts::default();
            for n in 1..6 {
                assert_eq!(
                    lines.line(Path::new("f"), text, n),
                    text.lines().nth(n - 1),
                    "line {n} of {text:?}"
                );
            }
            assert_eq!(lines.line(Path::new("f"), text, 0), None);
        }
    }

    use super::*;

    #[test]
    fn renders_snippet_and_hint() {
        let mut d = Diagnostics::new();
        let f = Path::new("content/site.yaml");
        d.add_source(f, "title: x\ntrget: 3\n");
        d.error_hint(
            f,
            Some(Pos { line: 2, column: 1 }),
            "unknown field `trget`",
            "did you mean `target`?",
        );
        let out = d.render();
        assert!(out.contains("error: content/site.yaml:2:1: unknown field `trget`"));
        assert!(out.contains("2 | trget: 3"));
        assert!(out.contains("hint: did you mean `target`?"));
        assert!(d.has_errors());
    }

    #[test]
    fn json_is_sorted_with_nulls_for_unknowns() {
        let mut d = Diagnostics::new();
        d.warning(Path::new("content/plans/b/plan.yaml"), None, "late");
        d.error_hint(
            Path::new("content/plans/a/plan.yaml"),
            Some(Pos { line: 3, column: 5 }),
            "bad",
            "fix it",
        );
        let v: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(v[0]["file"], "content/plans/a/plan.yaml");
        assert_eq!(v[0]["severity"], "error");
        assert_eq!(v[0]["line"], 3);
        assert_eq!(v[0]["column"], 5);
        assert_eq!(v[0]["hint"], "fix it");
        assert_eq!(v[1]["severity"], "warning");
        assert!(v[1]["line"].is_null() && v[1]["column"].is_null() && v[1]["hint"].is_null());
        assert_eq!(Diagnostics::new().to_json(), "[]");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let mut d = Diagnostics::new();
        let f = Path::new("content/site.yaml");
        d.add_source(f, "ti\x1b[31mtle: x\n");
        d.error(
            f,
            Some(Pos { line: 1, column: 1 }),
            "unknown field `ti\x1b[31mtle`",
        );
        let out = d.render();
        assert!(!out.contains('\x1b'), "{out:?}");
    }

    #[test]
    fn long_lines_show_a_window_around_the_column() {
        let mut d = Diagnostics::new();
        let f = Path::new("content/plans/p/plan.yaml");
        let line = format!("{}X{}", "a".repeat(999), "b".repeat(500));
        d.add_source(f, &line);
        d.error(
            f,
            Some(Pos {
                line: 1,
                column: 1000,
            }),
            "here",
        );
        let out = d.render();
        let lines: Vec<&str> = out.lines().collect();
        let shown = lines[2].strip_prefix("1 | ").unwrap();
        let caret = lines[3].strip_prefix("  | ").unwrap();
        assert!(shown.starts_with('…'), "{out}");
        assert_eq!(shown.chars().nth(caret.len() - 1), Some('X'), "{out}");
    }

    #[test]
    fn suggests_near_names() {
        assert_eq!(suggest("trget", ["target", "title"]), Some("target"));
        assert_eq!(suggest("zzzzzz", ["target", "title"]), None);
    }
}
