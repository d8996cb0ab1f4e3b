//! Errors and warnings about content, each tied to a file, line and column.
//!
//! Every stage pushes into one [`Diagnostics`] so a build reports every
//! problem it can find in one run, not just the first.

use std::collections::BTreeMap;
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

/// All diagnostics of a run, with the text of each file they point into.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    sources: BTreeMap<PathBuf, String>,
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
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (&a.file, a.pos, a.severity, &a.message).cmp(&(&b.file, b.pos, b.severity, &b.message))
        });
        v.dedup_by(|a, b| a == b);
        v
    }

    /// Render every diagnostic for a terminal, quoting the offending line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let place = match d.pos {
                Some(p) => format!("{}:{}:{}", d.file.display(), p.line, p.column.max(1)),
                None => d.file.display().to_string(),
            };
            let _ = writeln!(out, "{kind}: {place}: {}", d.message);
            if let (Some(p), Some(src)) = (d.pos, self.sources.get(&d.file))
                && let Some(line) = src.lines().nth(p.line - 1)
            {
                let num = p.line.to_string();
                let pad = " ".repeat(num.len());
                let shown: String = line.chars().take(160).collect();
                let caret = " ".repeat(p.column.saturating_sub(1).min(160));
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{num} | {shown}");
                let _ = writeln!(out, "{pad} | {caret}^");
            }
            if let Some(h) = &d.hint {
                let _ = writeln!(out, "  = hint: {h}");
            }
        }
        out
    }
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
    fn suggests_near_names() {
        assert_eq!(suggest("trget", ["target", "title"]), Some("target"));
        assert_eq!(suggest("zzzzzz", ["target", "title"]), None);
    }
}
