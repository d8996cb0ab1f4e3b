//! YAML errors in an author's words: where the mistake is, what it means,
//! and what to write instead.

use super::hints;
use crate::diagnostics::suggest;
use crate::model::Pos;

/// The position, message and hint for a YAML error, in an author's words.
pub(super) fn yaml_error(
    e: &serde_saphyr::Error,
    text: &str,
) -> (Option<Pos>, String, Option<String>) {
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
pub(super) fn quote_whole_value(message: String, value: &str) -> String {
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
