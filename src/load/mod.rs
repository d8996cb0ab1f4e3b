//! Stage 1: load `content/` into the [`Site`] model and validate its shape.
//!
//! YAML is read with serde-saphyr (line/column for every error, bounded
//! alias expansion); CSV with the `csv` crate. Markdown files and CSV rows
//! are merged into the plan so later stages see one self-contained model.

pub mod collect;
pub mod colour;
pub mod files;
pub mod hints;
pub mod ids;
pub mod periods;
pub mod places;
pub mod source;
pub mod tree;
pub mod unplaced;
pub mod workbook;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostics, suggest};
use source::Source;

use crate::model::{
    Cell, ColumnKind, Figure, Indicator, LoadedPack, LoadedPlan, Located, Objective, Pack, Period,
    Plan, Pos, RowGroup, Section, Site, SiteConfig, Table,
};

/// Where the site config lives, relative to the root.
pub const SITE_FILE: &str = "content/site.yaml";
/// Folder holding one sub-folder per plan.
pub const PLANS_DIR: &str = "content/plans";
/// Folder holding one YAML file per board pack.
pub const PACKS_DIR: &str = "content/packs";

/// Parse YAML text into `T`, turning every mistake in it into a located
/// diagnostic (see [`collect`]); `None` when there was any.
///
/// The YAML library's limits stay on (at most 250,000 values, 64 levels of
/// nesting, bounded alias expansion), so a hostile file fails fast with an
/// error instead of exhausting memory; [`yaml_error`] puts its messages in
/// words an author can act on.
pub fn parse_yaml<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    let read = collect::read_all(file, text, diags);
    if read.errors > 0 {
        return None;
    }
    read.value
}

/// True when a YAML file holds nothing but blank lines and comments.
pub fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// The position, message and hint for a YAML error, in an author's words.
fn yaml_error(e: &serde_saphyr::Error, text: &str) -> (Option<Pos>, String, Option<String>) {
    use serde_saphyr::Error as E;
    let loc = e.location();
    let mut pos = loc.map(|l| Pos {
        line: l.line() as usize,
        column: l.column() as usize,
    });
    // The text the error points at (a scalar), for quoting in the message.
    let quoted = loc
        .and_then(|l| {
            let span = l.span();
            let start = span.byte_offset()? as usize;
            let len = span.byte_len()? as usize;
            text.get(start..start.checked_add(len)?)
        })
        .map(|s| s.trim())
        .filter(|s| !s.is_empty() && s.chars().count() <= 60 && !s.contains('\n'));
    let mut inner = e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    // The scanner may report a tab at the end of the line before it: point at the tab.
    let inner_message = inner.to_string();
    if inner_message.contains("found a tab") || inner_message.contains("tabs disallowed") {
        pos = pos.map(|p| next_tab(text, p).unwrap_or(p));
    }
    let (message, hint) = match inner {
        E::Budget { breach, .. } => {
            let (what, hint) = budget_words(breach);
            (
                format!("this YAML is too big or too deeply nested to read safely: {what}"),
                Some(hint.to_string()),
            )
        }
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => (
            "this YAML's `*aliases` expand to far more than a plan holds, so boardpack stopped reading".to_string(),
            Some("write the values out instead of repeating `*aliases` of `*aliases`".to_string()),
        ),
        E::Eof { .. } => (
            "the YAML ends too early: a quote, bracket or brace is not closed, or a field has no value".to_string(),
            None,
        ),
        E::MultipleDocuments { .. } => (
            "a second YAML document starts here: a file holds one plan (or one site configuration)".to_string(),
            Some("remove the `---` line above, or move the second part into its own file".to_string()),
        ),
        E::Unexpected { expected, .. } => (
            match *expected {
                "string scalar" | "scalar" => {
                    "expected a single value here (text or a number), not a list or a mapping".to_string()
                }
                "mapping start" | "empty mapping start" => {
                    "expected a mapping here: `field: value` lines, or `{field: value}`".to_string()
                }
                "sequence start" => {
                    "expected a list here: `- item` lines, or `[item, item]`".to_string()
                }
                other => format!("expected {other} here"),
            },
            // `- As required` where a mapping is expected: its mapping form.
            match (*expected, pos, quoted) {
                ("mapping start", Some(p), Some(q)) => hints::bare_item(text, p, q),
                ("sequence start", _, Some(q)) if !q.starts_with(['{', '[']) => {
                    Some(format!("a list of one is written `[{q}]`"))
                }
                _ => None,
            },
        ),
        E::InvalidScalar { ty, .. } => {
            let what = match *ty {
                "u8" => "a whole number from 0 to 255",
                "u16" => "a whole number from 0 to 65,535",
                "u32" => "a whole number from 0 to 4,294,967,295",
                t if t.starts_with('u') => "a whole number of 0 or more",
                t if t.starts_with('i') => "a whole number",
                "bool" | "boolean" => "true or false",
                _ => "a number",
            };
            (
                match quoted {
                    Some(q) => format!("`{q}` is not {what}: expected {what} here"),
                    None => format!("expected {what} here"),
                },
                None,
            )
        }
        E::NonFiniteFloat { value, .. } => (
            format!("`{value}` is not an ordinary number (too large, infinite or not a number)"),
            Some("write the figure out, e.g. 1250000 or 1.25".to_string()),
        ),
        E::InvalidBooleanStrict { .. } => ("expected true or false here".to_string(), None),
        E::NullIntoString { .. } => (
            "this needs a value: write it after the colon".to_string(),
            None,
        ),
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => (
            format!(
                "expected {} here, found {}",
                type_words(expected),
                type_words(unexpected)
            ),
            None,
        ),
        E::SerdeInvalidLength { len, expected, .. } => (
            format!("expected {} here, found {len} items", type_words(expected)),
            None,
        ),
        E::SerdeUnknownField {
            field, expected, ..
        } => (
            format!("unknown field `{field}`"),
            Some(match suggest(field, expected.iter().copied()) {
                Some(k) => format!("did you mean `{k}`?"),
                None if expected.is_empty() => "nothing can be written here".to_string(),
                None => hints::unknown_field(field, expected).unwrap_or_else(|| {
                    format!("the fields allowed here are: {}", expected.join(", "))
                }),
            }),
        ),
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let list: Vec<String> = expected.iter().map(|v| format!("`{v}`")).collect();
            (
                format!(
                    "`{variant}` is not allowed here: expected one of {}",
                    list.join(", ")
                ),
                suggest(variant, expected.iter().copied()).map(|k| format!("did you mean `{k}`?")),
            )
        }
        E::SerdeMissingField { field, .. } => {
            pos = pos.map(|p| mapping_start(text, p));
            (
                format!("`{field}` is missing: it is required in the mapping that starts here"),
                Some(missing_field_hint(field)),
            )
        }
        E::DuplicateMappingKey { key, .. } => (
            match key {
                Some(k) => format!("`{k}` is given twice here: keep one"),
                None => "a key is given twice here: keep one".to_string(),
            },
            None,
        ),
        E::UnknownAnchor { .. } => (
            "this `*alias` names an anchor that is not defined above it".to_string(),
            Some("define `&name` on the value before using `*name`, or write the value out".to_string()),
        ),
        E::InvalidUtf8Input => ("the file is not UTF-8 text".to_string(), None),
        other => {
            let full = other.to_string();
            let message = match loc {
                Some(l) => full
                    .strip_suffix(&format!(" at line {}, column {}", l.line(), l.column()))
                    .map(str::to_string)
                    .unwrap_or(full),
                None => full,
            };
            let message = match quoted {
                Some(q) => quote_whole_value(message, q),
                None => message,
            };
            // Indentation and stray `: `: what happened and the likely fix.
            let misindented = pos.and_then(|p| hints::syntax(&message, text, p));
            match misindented {
                Some((m, h)) => (m, Some(h)),
                None => {
                    // A period or date written another way: the accepted form.
                    let value = message
                        .strip_prefix('`')
                        .and_then(|r| r.split_once('`'))
                        .map(|v| v.0);
                    (plain_words(message.clone()), value.and_then(hints::rewrite))
                }
            }
        }
    };
    let tab_hint = || {
        let line = pos.and_then(|p| text.lines().nth(p.line.checked_sub(1)?));
        line.is_some_and(|l| l.contains('\t')).then(|| {
            "replace the tab with spaces (set your editor to indent with spaces)".to_string()
        })
    };
    let hint = hint.or_else(tab_hint);
    (pos, message, hint)
}

/// The first tab at or after `from`.
fn next_tab(text: &str, from: Pos) -> Option<Pos> {
    text.lines()
        .enumerate()
        .skip(from.line.checked_sub(1)?)
        .find_map(|(i, l)| {
            let skip = if i + 1 == from.line {
                from.column.saturating_sub(1)
            } else {
                0
            };
            l.chars()
                .enumerate()
                .skip(skip)
                .find(|(_, c)| *c == '\t')
                .map(|(col, _)| Pos {
                    line: i + 1,
                    column: col + 1,
                })
        })
}

/// "`Q1` is not a period", about the value `Q1 2016`, quotes all of it.
fn quote_whole_value(message: String, value: &str) -> String {
    if let Some(rest) = message.strip_prefix('`')
        && let Some((part, tail)) = rest.split_once('`')
        && tail.starts_with(" is not a period")
        && part != value
        && !part.is_empty()
        && value.contains(part)
    {
        return format!("`{value}`{tail}");
    }
    message
}

/// Reword the YAML library's remaining messages for authors.
fn plain_words(message: String) -> String {
    const OPEN: &str = "a `[` or `{` above may not be closed";
    let m = message.as_str();
    if m.contains("found a tab") || m.contains("tabs disallowed") {
        "a tab character is used here; YAML allows only spaces for indentation".into()
    } else if m == "unclosed quote" {
        "this quote is never closed: add the closing quote mark".into()
    } else if m.starts_with("unclosed bracket") {
        format!("this bracket is never closed ({m})")
    } else if m == "recursion limit exceeded" {
        format!("brackets are nested too deeply here: {OPEN}, or the file is damaged")
    } else if m == "illegal placement of ':' indicator" {
        format!("a `:` cannot go here: {OPEN}, or text holding `: ` needs quotes")
    } else if m == "mapping values are not allowed in this context" {
        "a `field: value` cannot start here: check this line's indentation, or put text holding `: ` in quotes".into()
    } else if m == "block sequence entries are not allowed in this context" {
        "a `- ` list item cannot start here: check this line's indentation".into()
    } else if m.starts_with("invalid indentation") || m.contains("did not find expected key") {
        "this line's indentation does not match the lines above it".into()
    } else if m.contains("expected ',' or ']'") {
        format!("expected `,` or `]`: {OPEN}")
    } else if m.contains("expected ',' or '}'") {
        format!("expected `,` or `}}`: {OPEN}")
    } else if m.starts_with("unexpected EOF") || m == "unexpected eof" {
        "the file ends too early: a quote, bracket or brace is not closed".into()
    } else if m.starts_with("mismatched bracket") {
        format!("brackets do not match ({m})")
    } else if let Some(rest) = m.strip_prefix("invalid value: ") {
        format!("invalid value: {}", type_words(rest))
    } else {
        message
    }
}

/// The start of the block mapping whose last field is at `pos`: the first
/// line above it at the same indentation, stopping at a `- ` list item or a
/// line indented less.
fn mapping_start(text: &str, pos: Pos) -> Pos {
    let lines: Vec<&str> = text.lines().collect();
    let key_col = |l: &str| -> Option<usize> {
        let t = l.trim_start_matches([' ', '-']);
        (!t.is_empty() && !t.starts_with('#')).then(|| l.len() - t.len() + 1)
    };
    let Some(line) = pos.line.checked_sub(1).and_then(|i| lines.get(i)) else {
        return pos;
    };
    // Only block mappings, where the position is the first key on its line.
    if key_col(line) != Some(pos.column) || line[..pos.column - 1].contains('-') {
        return pos;
    }
    let mut start = pos;
    for i in (0..pos.line - 1).rev() {
        let l = lines[i];
        match key_col(l) {
            None => {}
            Some(c) if c > pos.column => {}
            Some(c) if c == pos.column => {
                start = Pos {
                    line: i + 1,
                    column: c,
                };
                if l[..c - 1].contains('-') {
                    break;
                }
            }
            Some(_) => break,
        }
    }
    start
}

/// Serde's type names ("struct Section", "sequence") in an author's words.
fn type_words(what: &str) -> String {
    let w = what.trim();
    if w.starts_with("struct ") || w == "map" || w == "a map" || w == "a mapping" {
        return "a mapping (`field: value` lines)".into();
    }
    match w {
        "sequence" | "a sequence" => "a list".into(),
        "unit value" | "unit" => "nothing".into(),
        "a string" | "string" => "text".into(),
        "a boolean" | "boolean" => "true or false".into(),
        "a number, text, or nothing" => "a number, text or nothing (a table cell)".into(),
        other if other.starts_with("string ") => format!("the text {}", &other[7..]),
        other if other.starts_with("integer ") || other.starts_with("floating point ") => {
            format!("the number {}", other.split_once(' ').map_or("", |x| x.1))
        }
        other if other.starts_with("boolean ") => format!("{} (true or false)", &other[8..]),
        other if other.starts_with("variant identifier") => "a word".into(),
        other => other.into(),
    }
}

/// What to write for a required field that is missing.
fn missing_field_hint(field: &str) -> String {
    match field {
        "id" => "add `id:` with a short name of lower-case letters, digits and hyphens, e.g. `id: lac-action-plan-2015`".into(),
        "title" => "add `title:` with the title as printed".into(),
        "kind" => "add `kind:` saying what kind of plan this is, e.g. `kind: Action plan`".into(),
        "organisation" => "add `organisation:` with the name of the organisation that publishes the plans".into(),
        other => format!("add `{other}:` to this part"),
    }
}

/// A budget breach in words, with what to do about it.
fn budget_words(breach: &serde_saphyr::budget::BudgetBreach) -> (String, &'static str) {
    use serde_saphyr::budget::BudgetBreach as B;
    const ALIASES: &str = "write the values out instead of repeating `*aliases` (of `*aliases`) many times over; if the file was generated, check it is the right one";
    const SIZE: &str = "a plan never needs this much: check the file is the right one, or split it into several plans";
    match breach {
        B::Depth { .. } => (
            "lists and mappings are nested more than 64 levels deep".into(),
            "check the indentation and the brackets: sections and objectives are never nested this deep",
        ),
        B::Nodes { .. } => (
            "it holds more than 250,000 values (each use of a `*alias` counts its values again)"
                .into(),
            ALIASES,
        ),
        B::Events { .. } => ("it holds more than a million YAML items".into(), SIZE),
        B::Aliases { .. } => ("it uses `*aliases` more than 50,000 times".into(), ALIASES),
        B::Anchors { .. } => ("it defines more than 50,000 `&anchors`".into(), ALIASES),
        B::AliasAnchorRatio { aliases, anchors } => (
            format!(
                "it uses `*aliases` {aliases} times for {anchors} `&anchors`, the shape of an alias bomb"
            ),
            ALIASES,
        ),
        B::Documents { .. } => ("it holds more than 1,024 YAML documents".into(), SIZE),
        B::ScalarBytes { .. } => ("its values hold more than 64 MB of text".into(), SIZE),
        B::MergeKeys { .. } => ("it uses more than 10,000 `<<` merge keys".into(), ALIASES),
        B::RecordedAnchorEvents { .. } | B::RecordedAnchorBytes { .. } => {
            ("its `&anchors` hold too much to repeat".into(), ALIASES)
        }
        other => (format!("a limit was reached ({other:?})"), SIZE),
    }
}

/// Deepest nesting of Markdown quotes (`>`) or HTML tags allowed in content.
///
/// The HTML sanitiser takes time that grows with the square of the nesting
/// depth, so 50,000 nested `>` (a 50 kB file) would take minutes to build.
/// No plan nests quotes or tags anywhere near this deep.
pub const MAX_MARKUP_DEPTH: usize = 64;

/// HTML elements that are never closed, or close themselves when the next begins.
const UNNESTED_TAGS: [&str; 22] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "colgroup",
];

/// A Markdown list marker: `-`, `*`, `+`, `1.` or `1)`.
fn is_list_marker(word: &str) -> bool {
    matches!(word, "-" | "*" | "+")
        || word
            .strip_suffix(['.', ')'])
            .is_some_and(|n| (1..=9).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Check that Markdown quotes and lists, and HTML tags, in `text` nest at
/// most [`MAX_MARKUP_DEPTH`] deep; report an error and return false if not.
///
/// Quotes and list items nest on one line (`> > >`, `- - -`), so a run of
/// more markers than the limit is refused wherever it appears (YAML strings
/// start mid-line). HTML tags nest across lines: open tags are counted
/// through the whole file, less the ones closed.
fn markup_depth_ok(file: &Path, text: &str, diags: &mut Diagnostics) -> bool {
    let too_deep = |line: usize, column: usize, what: &str, diags: &mut Diagnostics| {
        diags.error_hint(
            file,
            Some(Pos { line, column }),
            format!("{what} are nested more than {MAX_MARKUP_DEPTH} deep here, so the page would take far too long to build"),
            "is the file damaged or generated? A plan never nests quotes, lists or HTML this deep",
        );
        false
    };
    let mut tags: usize = 0;
    for (i, line) in text.lines().enumerate() {
        // Quotes and list markers in a row, as words separated by spaces.
        let (mut run, mut run_start, mut column) = (0, 0, 1);
        for piece in line.split_inclusive([' ', '\t']) {
            let word = piece.trim_end_matches([' ', '\t']);
            let quotes = word.chars().take_while(|c| *c == '>').count();
            let rest = &word[quotes..];
            let marker = is_list_marker(rest);
            let count = quotes + usize::from(marker);
            if count > 0 {
                if run == 0 {
                    run_start = column;
                }
                run += count;
                if run > MAX_MARKUP_DEPTH {
                    return too_deep(i + 1, run_start, "quotes or list items", diags);
                }
            }
            if !(rest.is_empty() || marker) {
                run = 0;
            }
            column += piece.chars().count();
        }
        // HTML tags.
        let chars: Vec<char> = line.chars().collect();
        for (j, _) in chars.iter().enumerate().filter(|(_, c)| **c == '<') {
            let closing = chars.get(j + 1) == Some(&'/');
            let from = (j + 1 + usize::from(closing)).min(chars.len());
            let name: String = chars[from..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue;
            }
            if closing {
                tags = tags.saturating_sub(1);
                continue;
            }
            let rest: String = chars[from..].iter().take(200).collect();
            let self_closing = rest
                .split_once('>')
                .is_some_and(|(inside, _)| inside.ends_with('/'));
            if !self_closing && !UNNESTED_TAGS.contains(&name.as_str()) {
                tags += 1;
                if tags > MAX_MARKUP_DEPTH {
                    return too_deep(i + 1, j + 1, "HTML tags", diags);
                }
            }
        }
    }
    true
}

/// Warn when a file was not UTF-8 and had to be read as Windows-1252.
fn encoding_warning(file: &Path, text: &files::Text, diags: &mut Diagnostics) {
    if let Some(enc) = text.converted_from {
        diags.warning(
            file,
            None,
            format!("the file is not UTF-8, so it was read as {enc} (as Excel and Word save it); check that accented letters, £ and dashes look right, or save it as UTF-8 (Excel: \"CSV UTF-8\")"),
        );
    }
}

/// Load and validate the site rooted at `root` (the folder holding `content/`).
///
/// Returns `None` when there were errors; they are in `diags`.
pub fn load_site(root: &Path, diags: &mut Diagnostics) -> Option<Site> {
    load_site_from(&Source::Dir(root), diags)
}

/// Load the site at `root` for `check`: with errors too, as much of it as
/// could be read (each file's mistaken parts set aside), so references
/// between files can still be checked; `None` only when `site.yaml` could
/// not be read.
///
/// Also returns the ids of plans whose file could not be read at all (as
/// far as their `id:` line tells), and of parts set aside whole for their
/// mistakes (an indicator without a title), so references to them are not
/// reported as unknown.
pub fn load_site_partial(root: &Path, diags: &mut Diagnostics) -> (Option<Site>, Vec<String>) {
    let mut unread = Vec::new();
    let site = load_parts(&Source::Dir(root), diags, &mut unread);
    (site, unread)
}

/// Load and validate the site from `root`: a folder, or files held in memory
/// (a git revision's content).
///
/// Returns `None` when there were errors; they are in `diags`.
pub fn load_site_from(root: &Source, diags: &mut Diagnostics) -> Option<Site> {
    let site = load_parts(root, diags, &mut Vec::new())?;
    (!diags.has_errors()).then_some(site)
}

/// The site with every file that could be read, errors or not; the ids of
/// plans that could not be read go to `unread`.
fn load_parts(root: &Source, diags: &mut Diagnostics, unread: &mut Vec<String>) -> Option<Site> {
    let site_file = PathBuf::from(SITE_FILE);
    let config: Option<SiteConfig> = match root.read_text(&site_file) {
        Ok(t) => {
            encoding_warning(&site_file, &t, diags);
            if is_blank_yaml(&t.text) {
                diags.error_hint(
                    &site_file,
                    None,
                    "site.yaml is empty: it needs at least `title` and `organisation`",
                    "start with two lines: `title: Our plans` and `organisation: Our council`",
                );
                None
            } else {
                // Kept with mistakes set aside, so plans can still be checked.
                collect::read_all(&site_file, &t.text, diags).value
            }
        }
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
    type Loaded = (Option<LoadedPlan>, Diagnostics, Vec<String>);
    let results: Vec<Loaded> = plan_files
        .par_iter()
        .map(|file| {
            let mut d = Diagnostics::new();
            let mut aside = Vec::new();
            let plan = load_plan_with(root, file, &mut d, &mut aside);
            (plan, d, aside)
        })
        .collect();
    let mut plans = Vec::new();
    for ((plan, d, aside), file) in results.into_iter().zip(&plan_files) {
        diags.extend(d);
        unread.extend(aside);
        match plan {
            Some(p) => plans.push(p),
            None => unread.extend(
                root.read_text(file)
                    .ok()
                    .and_then(|t| hints::plan_id_line(&t.text)),
            ),
        }
    }
    let mut packs = load_packs(root, diags);
    let config = config?;
    colour::check_branding(&config, diags);
    check_unique_ids(&plans, diags);
    // A plan whose id is taken is left out (reported above), so its parts
    // are not reported again as clashing with the first plan's.
    let mut ids = std::collections::BTreeSet::new();
    plans.retain(|p| ids.insert(p.plan.id.value.clone()));
    let cal = config.calendar;
    packs.sort_by_key(|p| (cal.sort_key(p.pack.period.value), p.slug.clone()));
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
    if let Some(d) = &config.disclosure {
        apply_disclosure(&mut plans, &Arc::new(d.clone()));
    }
    for lp in &mut plans {
        crate::compute::vocabulary::apply(&config, &mut lp.plan);
    }
    Some(Site {
        config,
        plans,
        packs,
    })
}

/// Mark every indicator counted in people (unit `count`) as under disclosure control.
fn apply_disclosure(plans: &mut [LoadedPlan], d: &Arc<crate::model::Disclosure>) {
    fn mark(inds: &mut [Indicator], d: &Arc<crate::model::Disclosure>) {
        for i in inds
            .iter_mut()
            .filter(|i| i.unit == Some(crate::model::Unit::Count))
        {
            i.disclosure = Some(d.clone());
        }
    }
    fn walk(objs: &mut [Objective], d: &Arc<crate::model::Disclosure>) {
        for o in objs {
            mark(&mut o.indicators, d);
            walk(&mut o.objectives, d);
        }
    }
    for lp in plans {
        mark(&mut lp.plan.indicators, d);
        walk(&mut lp.plan.objectives, d);
    }
}

/// Every board pack in `content/packs/*.yaml`; a pack's URL comes from its period.
fn load_packs(src: &Source, diags: &mut Diagnostics) -> Vec<LoadedPack> {
    let files = match (src.snapshot_yaml_in(PACKS_DIR), src.dir()) {
        (Some(files), _) => files,
        (None, None) => Vec::new(),
        (None, Some(root)) => {
            let dir = root.join(PACKS_DIR);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                return Vec::new();
            };
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
                .collect();
            files.sort();
            files
        }
    };
    let mut out: Vec<LoadedPack> = Vec::new();
    for file in files {
        let text = match src.read_text(&file) {
            Ok(t) => t,
            Err(e) => {
                diags.error(&file, None, e);
                continue;
            }
        };
        encoding_warning(&file, &text, diags);
        diags.add_source(&file, &text.text);
        if !markup_depth_ok(&file, &text.text, diags) {
            continue;
        }
        if is_blank_yaml(&text.text) {
            hints::empty_pack(&file, diags);
            continue;
        }
        // A pack with mistakes is kept, so its plan references are still checked.
        let Some(pack) = collect::read_all::<Pack>(&file, &text.text, diags).value else {
            continue;
        };
        let slug = match &pack.id {
            Some(id) => {
                if !ids::check_id(&file, id, "pack id", "panel-2008-09-q2", diags) {
                    continue;
                }
                id.value.clone()
            }
            None => {
                let slug = pack.period.value.slug();
                if let Some(problem) = crate::model::ident::problem(&slug) {
                    diags.error_hint(
                        &file,
                        Some(pack.period.pos),
                        format!("this period would give the pack the URL packs/{slug}/, which is not a valid id: {problem}"),
                        "check the year, or give the pack an `id:` of its own",
                    );
                    continue;
                }
                slug
            }
        };
        if let Some(other) = out.iter().find(|p| p.slug == slug) {
            diags.error_hint(
                &file,
                Some(pack.period.pos),
                format!(
                    "{} already uses the URL packs/{slug}/",
                    other.file.display(),
                ),
                "give one of the packs an `id:` of its own (packs for the same period default to the same URL)",
            );
            continue;
        }
        out.push(LoadedPack { pack, file, slug });
    }
    out
}

/// Every `plan.yaml` under `content/plans`, sorted.
fn find_plan_files(src: &Source, diags: &mut Diagnostics) -> Vec<PathBuf> {
    if let Some(files) = src.snapshot_files_named(PLANS_DIR, "plan.yaml") {
        return files;
    }
    let Some(root) = src.dir() else {
        return Vec::new();
    };
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
pub(crate) fn load_plan(root: &Source, file: &Path, diags: &mut Diagnostics) -> Option<LoadedPlan> {
    load_plan_with(root, file, diags, &mut Vec::new())
}

/// [`load_plan`], adding to `aside` the ids of parts set aside for their mistakes.
fn load_plan_with(
    root: &Source,
    file: &Path,
    diags: &mut Diagnostics,
    aside: &mut Vec<String>,
) -> Option<LoadedPlan> {
    let text = match root.read_text(file) {
        Ok(t) => t,
        Err(e) => {
            diags.error(file, None, e);
            return None;
        }
    };
    encoding_warning(file, &text, diags);
    if is_blank_yaml(&text.text) {
        diags.error_hint(
            file,
            None,
            "plan.yaml is empty: a plan needs at least `id`, `title` and `kind`",
            "start with three lines, e.g. `id: my-plan`, `title: My plan` and `kind: Action plan`",
        );
        return None;
    }
    diags.add_source(file, &text.text);
    if !markup_depth_ok(file, &text.text, diags) {
        return None;
    }
    // A plan with mistakes is kept (their parts set aside), so references
    // into it and out of it are still checked; the build stops on the errors.
    let read = collect::read_all::<Plan>(file, &text.text, diags);
    aside.extend(read.set_aside_ids);
    let mut plan: Plan = read.value?;
    places::place_actions(&mut plan, &read.text);
    ids::check_plan(&plan, file, diags);
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
    plan.period_rule = periods::default_periods(&mut plan, file, diags);
    unplaced::unplaced_markdown(root, &dir, &plan, diags);
    Some(LoadedPlan {
        plan,
        dir,
        file: file.to_path_buf(),
    })
}

/// Paths a plan's companion files are resolved against.
struct PlanFiles<'a> {
    root: &'a Source<'a>,
    dir: &'a Path,
    yaml: &'a Path,
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

    fn read_bodies(&self, section: &mut Section, diags: &mut Diagnostics) {
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
    fn read_series_csv(&self, ind: &mut Indicator, diags: &mut Diagnostics) {
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

/// Plan ids must be unique across the site (their form is checked by [`ids::check_plan`]).
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
    }
}
