//! Every mistake in a YAML file in one run, not just the first.
//!
//! serde stops at the first thing it cannot read. So a file is first parsed
//! to a [`Tree`] of nodes with their places (a true syntax error stops the
//! file there); then, each time typed reading fails, the error is reported,
//! the `key: value` pair or list item it points at is set aside (its
//! characters blanked, so every other line and column stays where it was)
//! and reading starts again, until it succeeds or [`MAX_ERRORS_PER_FILE`]
//! errors have been reported. Errors that only follow from something set
//! aside (a mapping left without a required field whose value was wrong, a
//! list left empty) are not reported: each mistake is reported once.

use std::path::Path;

use serde::de::{DeserializeOwned, IgnoredAny};

use super::tree::{Kind, Mark, Tree};
use crate::diagnostics::Diagnostics;
use crate::model::Pos;

/// At most this many errors are reported for one file.
pub const MAX_ERRORS_PER_FILE: usize = 50;

/// Readings tried for one file, errors and errors that follow from them together.
const MAX_TRIES: usize = 4 * MAX_ERRORS_PER_FILE;

/// Text read again, in all, for one file: a huge file with many mistakes
/// stops being re-read early rather than taking minutes.
const MAX_REREAD_BYTES: usize = 256 << 20;

/// A file read despite its mistakes.
pub struct Read<T> {
    /// The value read with every mistaken part set aside, when the rest could be read.
    pub value: Option<T>,
    /// The text with the parts set aside blanked (same lines and columns as the file).
    pub text: String,
    /// Errors reported for this file.
    pub errors: usize,
    /// The `id`s of mappings set aside whole (an indicator missing its
    /// title): references to them are not mistakes of their own.
    pub set_aside_ids: Vec<String>,
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        with_snippet: false,
    }
}

/// Read `text` into `T`, reporting every mistake in it to `diags`.
pub fn read_all<T: DeserializeOwned>(file: &Path, text: &str, diags: &mut Diagnostics) -> Read<T> {
    diags.add_source(file, text);
    let first = match serde_saphyr::from_str_with_options::<T>(text, options()) {
        Ok(v) => {
            return Read {
                value: Some(v),
                text: text.to_string(),
                errors: 0,
                set_aside_ids: Vec::new(),
            };
        }
        Err(e) => e,
    };
    let mut work: Vec<char> = text.chars().collect();
    let mut errors = 0;
    // Syntax first: reading into nothing in particular fails only on it.
    let mut current = text.to_string();
    let mut first = first;
    let mut set_aside: Vec<Blanked> = Vec::new();
    for _ in 0..MAX_ERRORS_PER_FILE {
        let Err(syntax) = serde_saphyr::from_str_with_options::<IgnoredAny>(&current, options())
        else {
            break;
        };
        let aside = match is_fatal(&syntax) {
            true => None,
            false => set_aside_misindented(&syntax, &mut work),
        };
        let Some(aside) = aside else {
            // A data mistake above a syntax error was met first: report both.
            if errors == 0 && error_mark(&first) < error_mark(&syntax) && !is_fatal(&first) {
                report(file, &first, text, diags);
                errors += 1;
            }
            report(file, &syntax, text, diags);
            return give_up(text, errors + 1);
        };
        // An indentation mistake: reported, its lines set aside, the rest still checked.
        report(file, &syntax, text, diags);
        errors += 1;
        set_aside.push(aside);
        current = work.iter().collect();
    }
    if errors > 0 {
        match serde_saphyr::from_str_with_options::<T>(&current, options()) {
            Ok(v) => {
                return Read {
                    value: Some(v),
                    text: current,
                    errors,
                    set_aside_ids: Vec::new(),
                };
            }
            Err(e) => first = e,
        }
    }
    let Ok(tree) = Tree::parse(&current) else {
        report(file, &first, text, diags);
        return give_up(text, errors + 1);
    };
    let so_far = SoFar {
        work,
        errors,
        blanked: set_aside,
    };
    collect(file, text, tree, so_far, first, diags)
}

fn give_up<T>(text: &str, errors: usize) -> Read<T> {
    Read {
        value: None,
        text: text.to_string(),
        errors,
        set_aside_ids: Vec::new(),
    }
}

fn report(file: &Path, e: &serde_saphyr::Error, text: &str, diags: &mut Diagnostics) {
    let (pos, message, hint) = super::yaml_error(e, text);
    match hint {
        Some(h) => diags.error_hint(file, pos, message, h),
        None => diags.error(file, pos, message),
    }
}

/// Errors that stop the file: the file is hostile or not one document.
fn is_fatal(e: &serde_saphyr::Error) -> bool {
    use serde_saphyr::Error as E;
    let mut inner = e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    matches!(
        inner,
        E::Budget { .. }
            | E::AliasReplayLimitExceeded { .. }
            | E::AliasExpansionLimitExceeded { .. }
            | E::AliasReplayStackDepthExceeded { .. }
            | E::AliasReplayCounterOverflow { .. }
            | E::MultipleDocuments { .. }
            | E::UnknownAnchor { .. }
            | E::InvalidUtf8Input
            | E::Eof { .. }
    ) || e.location().is_none()
}

/// Where an error points, as a place in the text.
fn error_mark(e: &serde_saphyr::Error) -> Option<Mark> {
    let l = e.location()?;
    Some(Mark {
        index: 0,
        line: l.line() as usize,
        column: l.column() as usize,
    })
}

/// A part set aside: where it starts and ends, its key (for a pair) and the
/// mapping or list it was in.
type Blanked = (Mark, Mark, Option<String>, usize);

/// What the syntax pass leaves for the reading loop.
struct SoFar {
    /// The text, parts set aside blanked.
    work: Vec<char>,
    /// Errors reported.
    errors: usize,
    /// The parts set aside.
    blanked: Vec<Blanked>,
}

/// The "mapping" of lines set aside for a syntax error, before the tree was built.
const ANY_MAPPING: usize = usize::MAX;

/// The reading loop: report, set aside, read again.
fn collect<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    tree: Tree,
    so_far: SoFar,
    first: serde_saphyr::Error,
    diags: &mut Diagnostics,
) -> Read<T> {
    let SoFar {
        mut work,
        mut errors,
        mut blanked,
    } = so_far;
    let mut seen: Vec<(Option<Pos>, String)> = Vec::new();
    let mut err = first;
    for tries in 0..MAX_TRIES {
        // The first error is always reported (nothing is set aside yet).
        if tries.saturating_mul(text.len()) > MAX_REREAD_BYTES {
            break;
        }
        if is_fatal(&err) || errors >= MAX_ERRORS_PER_FILE {
            if is_fatal(&err) && errors == 0 {
                report(file, &err, text, diags);
                errors += 1;
            }
            break;
        }
        let Some(at) = error_mark(&err) else { break };
        let (pos, message, _) = super::yaml_error(&err, text);
        let Some(node) = failing_node(&tree, &err, at) else {
            report(file, &err, text, diags);
            errors += 1;
            break;
        };
        // A mapping without a field whose wrong value was set aside, or a
        // part emptied by setting things aside: not a mistake of its own.
        let missing = missing_field(&err);
        let mut set_aside = None;
        let (target, follows) = match &missing {
            Some(field) => {
                let map = mapping_of(&tree, node);
                // The field's value was set aside, or the field was misspelt.
                set_aside = blanked.iter().position(|(_, _, key, parent)| {
                    (*parent == map || *parent == ANY_MAPPING)
                        && key.as_deref().is_some_and(|k| {
                            k == field || crate::diagnostics::suggest(k, [field.as_str()]).is_some()
                        })
                });
                (map, set_aside.is_some())
            }
            None => {
                let follows = tree.entry(node).is_some_and(|e| {
                    blanked
                        .iter()
                        .any(|(s, ..)| e.start.index <= s.index && s.index < e.end.index)
                }) || seen.contains(&(pos, message.clone()));
                (node, follows)
            }
        };
        if !follows {
            report(file, &err, text, diags);
            errors += 1;
            seen.push((pos, message));
        }
        let Some(entry) = tree.entry(target) else {
            // The file as a whole lacks a required field whose value was set
            // aside: a stand-in value lets the rest be read, so references
            // in it are still checked (never for `id`, which others name).
            if let (Some(field), Some(b)) = (&missing, set_aside)
                && field != "id"
                && blanked[b].0.column == 1
                && let Some(next) = stand_in::<T>(&mut work, blanked[b].0, blanked[b].1, field)
            {
                match next {
                    Ok(v) => {
                        return Read {
                            value: Some(v),
                            text: work.iter().collect(),
                            errors,
                            set_aside_ids: ids_in(&tree, &blanked),
                        };
                    }
                    Err(e) => {
                        err = e;
                        continue;
                    }
                }
            }
            // A required field not written at all: a stand-in on a line
            // added at the end (no line moves), for the same reason.
            let root = &tree.nodes[target];
            if let Some(field) = &missing
                && set_aside.is_none()
                && field != "id"
                && root.kind == Kind::Map
                && !root.flow
                && let Some(next) = append_stand_in::<T>(&mut work, field)
            {
                match next {
                    Ok(v) => {
                        return Read {
                            value: Some(v),
                            text: work.iter().collect(),
                            errors,
                            set_aside_ids: ids_in(&tree, &blanked),
                        };
                    }
                    Err(e) => {
                        err = e;
                        continue;
                    }
                }
            }
            break;
        };
        let (start, end) = blank(&tree, &entry, &mut work);
        blanked.push((start, end, entry.key.clone(), entry.parent));
        let patched: String = work.iter().collect();
        if Tree::parse(&patched).is_err() {
            break;
        }
        match serde_saphyr::from_str_with_options::<T>(&patched, options()) {
            Ok(v) => {
                return Read {
                    value: Some(v),
                    text: patched,
                    errors,
                    set_aside_ids: ids_in(&tree, &blanked),
                };
            }
            Err(e) => err = e,
        }
    }
    Read {
        value: None,
        text: work.iter().collect(),
        errors,
        set_aside_ids: ids_in(&tree, &blanked),
    }
}

/// The `id`s of the mappings wholly inside the parts set aside.
fn ids_in(tree: &Tree, blanked: &[Blanked]) -> Vec<String> {
    let mut ids = Vec::new();
    for (i, n) in tree.nodes.iter().enumerate() {
        let inside = blanked
            .iter()
            .any(|(s, e, ..)| s.index <= n.start.index && n.end.index <= e.index);
        if n.kind == Kind::Map
            && inside
            && let Some(id) = tree.get(i, "id").and_then(|v| tree.text(v))
        {
            ids.push(id.to_string());
        }
    }
    ids
}

/// Stand-in values of each shape, tried in turn: a month (which reads as a
/// period or a date), text, a list, a number, a mapping.
const STAND_INS: [&str; 5] = ["2000-01", "x", "[]", "0", "{}"];

/// Write `field: <stand-in>` where a top-level pair was set aside, trying
/// values of each shape (a month, which reads as a period or a date; text;
/// a list; a number; a mapping) until one reads; the reading's result, or
/// `None` when none fits on the pair's line.
fn stand_in<T: DeserializeOwned>(
    work: &mut [char],
    start: Mark,
    end: Mark,
    field: &str,
) -> Option<Result<T, serde_saphyr::Error>> {
    let room = work[start.index..end.index.min(work.len())]
        .iter()
        .take_while(|c| **c != '\n' && **c != '\r')
        .count();
    for value in STAND_INS {
        let pair: Vec<char> = format!("{field}: {value}").chars().collect();
        if pair.len() > room {
            continue;
        }
        let span = start.index..start.index + pair.len();
        work[span.clone()].copy_from_slice(&pair);
        let text: String = work.iter().collect();
        let read = serde_saphyr::from_str_with_options::<T>(&text, options());
        let fits = match &read {
            Ok(_) => true,
            Err(e) => error_mark(e).is_none_or(|m| m.line != start.line),
        };
        if fits {
            return Some(read);
        }
        work[span].fill(' ');
    }
    None
}

/// Add `field: <stand-in>` on a new last line, trying the same shapes as
/// [`stand_in`]; the reading's result, or `None` (and the text as it was)
/// when none reads.
fn append_stand_in<T: DeserializeOwned>(
    work: &mut Vec<char>,
    field: &str,
) -> Option<Result<T, serde_saphyr::Error>> {
    let len = work.len();
    let newline = work.last().is_some_and(|c| *c != '\n');
    let line = work.iter().filter(|c| **c == '\n').count() + 1 + usize::from(newline);
    for value in STAND_INS {
        work.truncate(len);
        if newline {
            work.push('\n');
        }
        work.extend(format!("{field}: {value}\n").chars());
        let text: String = work.iter().collect();
        let read = serde_saphyr::from_str_with_options::<T>(&text, options());
        let fits = match &read {
            Ok(_) => true,
            Err(e) => error_mark(e).is_none_or(|m| m.line != line),
        };
        if fits {
            return Some(read);
        }
    }
    work.truncate(len);
    None
}

/// The field a "missing field" error names.
fn missing_field(e: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::Error as E;
    let mut inner = e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    match inner {
        E::SerdeMissingField { field, .. } => Some(field.to_string()),
        _ => None,
    }
}

/// The mapping a node is, or is in.
fn mapping_of(tree: &Tree, node: usize) -> usize {
    let mut n = node;
    loop {
        if tree.nodes[n].kind == Kind::Map {
            return n;
        }
        match tree.nodes[n].parent {
            Some(p) => n = p,
            None => return node,
        }
    }
}

/// The node an error is about.
///
/// Several nodes can start at one place (a mapping and its first key): an
/// unknown field or a bad value is about the innermost; a list or mapping
/// where something else was expected is about the outermost.
fn failing_node(tree: &Tree, e: &serde_saphyr::Error, at: Mark) -> Option<usize> {
    use serde_saphyr::Error as E;
    let mut inner = e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    let starting: Vec<usize> = (0..tree.nodes.len())
        .filter(|&i| {
            let n = &tree.nodes[i];
            n.parent.is_some() && n.start.line == at.line && n.start.column == at.column
        })
        .collect();
    if let (Some(&outer), Some(&innermost)) = (starting.first(), starting.last()) {
        let container = match inner {
            E::SerdeInvalidType { unexpected, .. } => {
                unexpected.contains("map") || unexpected.contains("sequence")
            }
            E::SerdeInvalidLength { .. } | E::SerdeMissingField { .. } => true,
            // "expected a scalar" when a list or mapping is written.
            E::Unexpected { .. } => tree.text(innermost).is_none() || tree.is_key(innermost),
            _ => false,
        };
        return Some(if container { outer } else { innermost });
    }
    // An empty value is reported just after its key, on the key's line.
    let before = (0..tree.nodes.len())
        .filter(|&i| {
            let n = &tree.nodes[i];
            n.parent.is_some() && n.end.line == at.line && n.end.column <= at.column
        })
        .max_by_key(|&i| tree.nodes[i].end.column);
    before.or_else(|| tree.node_at(at).filter(|&i| tree.nodes[i].parent.is_some()))
}

/// Blank an entry's characters (keeping line breaks); returns the span blanked.
fn blank(tree: &Tree, entry: &super::tree::Entry, work: &mut [char]) -> (Mark, Mark) {
    let mut start = entry.start.index;
    let mut end = entry.end.index.min(work.len());
    let parent = &tree.nodes[entry.parent];
    if !entry.flow && parent.kind == Kind::Seq {
        // Back over `- ` to the dash.
        let mut i = start;
        while i > 0 && work[i - 1] == ' ' {
            i -= 1;
        }
        if i > 0 && work[i - 1] == '-' {
            start = i - 1;
        }
    }
    if entry.flow {
        // Take a comma with it: the one after, or else the one before.
        let mut i = end;
        while i < work.len() && work[i].is_whitespace() {
            i += 1;
        }
        if i < work.len() && work[i] == ',' {
            end = i + 1;
        } else {
            let mut j = start;
            while j > 0 && work[j - 1].is_whitespace() {
                j -= 1;
            }
            if j > 0 && work[j - 1] == ',' {
                start = j - 1;
            }
        }
    }
    if start >= end {
        return (entry.start, entry.end);
    }
    for c in &mut work[start..end] {
        if *c != '\n' && *c != '\r' {
            *c = ' ';
        }
    }
    (
        Mark {
            index: start,
            ..entry.start
        },
        Mark {
            index: end,
            ..entry.end
        },
    )
}

/// After an indentation mistake, blank the misindented line and the lines
/// indented under it; false when the error is not about indentation.
fn set_aside_misindented(e: &serde_saphyr::Error, work: &mut [char]) -> Option<Blanked> {
    let message = e.to_string();
    let indentation = message.contains("did not find expected '-' indicator")
        || message.contains("did not find expected key")
        || message.contains("invalid indentation")
        || message.contains("mapping values are not allowed");
    let line = e.location().map(|l| l.line() as usize)?;
    if !indentation || line == 0 {
        return None;
    }
    let text: String = work.iter().collect();
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            work.iter()
                .enumerate()
                .filter(|(_, c)| **c == '\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    let lines: Vec<&str> = text.split('\n').collect();
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let first = lines.get(line - 1)?;
    if first.trim().is_empty() {
        return None;
    }
    let own = indent(first);
    let key = first
        .trim_start()
        .trim_start_matches("- ")
        .split_once(':')
        .map(|(k, _)| k.trim().to_string());
    let mut last = line - 1;
    for (i, l) in lines.iter().enumerate().skip(line) {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') || indent(l) > own {
            last = i;
        } else {
            break;
        }
    }
    let mut end = starts[line - 1];
    for i in (line - 1)..=last {
        let from = starts[i];
        let to = starts.get(i + 1).map_or(work.len(), |s| s - 1);
        for c in &mut work[from..to] {
            if *c != '\r' {
                *c = ' ';
            }
        }
        end = to;
    }
    let start = Mark {
        index: starts[line - 1] + own,
        line,
        column: own + 1,
    };
    let end = Mark {
        index: end,
        line: last + 1,
        column: 1,
    };
    // Which mapping it was in is not known: any mapping lacking `key`.
    Some((start, end, key, ANY_MAPPING))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Plan, SiteConfig};

    const HEAD: &str = "id: p\ntitle: T\nkind: Action plan\n";

    /// (line, message) of each error, in file order.
    fn errors<T: DeserializeOwned>(text: &str) -> (Vec<(usize, String)>, Option<T>) {
        let mut d = Diagnostics::new();
        let read = read_all::<T>(Path::new("p.yaml"), text, &mut d);
        let list: Vec<(usize, String)> = d
            .sorted()
            .iter()
            .map(|x| (x.pos.map_or(0, |p| p.line), x.message.clone()))
            .collect();
        assert_eq!(read.errors, list.len(), "{list:?}");
        (list, read.value)
    }

    #[test]
    fn independent_mistakes_are_each_reported_once_in_file_order() {
        let text = format!(
            "{HEAD}actions:\n  - ref: '1'\n    target_date: June 18\n    desired_impact: x\n  - ref: '2'\n    leads: 3\n    priority: High\n"
        );
        let (list, plan) = errors::<Plan>(&text);
        let lines: Vec<usize> = list.iter().map(|e| e.0).collect();
        assert_eq!(lines, [6, 7, 9], "{list:?}");
        // The rest is read: both actions, the second with its priority.
        let plan = plan.expect("read with the mistakes set aside");
        assert_eq!(plan.actions.len(), 2);
        assert_eq!(plan.actions[1].priority.as_ref().unwrap().value, "High");
    }

    #[test]
    fn a_required_field_set_aside_for_its_wrong_value_is_not_also_missing() {
        let text = format!("{HEAD}indicators:\n  - id: a\n    title: [x, y]\n");
        let (list, _) = errors::<Plan>(&text);
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0].0, 6);
    }

    #[test]
    fn a_file_whose_required_field_was_wrong_is_still_read() {
        let text = "id: p\ntitle: T\nkind: [Action plan]\nactions:\n  - ref: '1'\n";
        let (list, plan) = errors::<Plan>(text);
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0].0, 3);
        let plan = plan.expect("read with a stand-in for `kind`");
        assert_eq!(plan.actions.len(), 1);
    }

    #[test]
    fn a_file_without_a_required_field_is_still_read() {
        let text = "id: p\ntitle: T\nactions:\n  - ref: '1'\n    leads: 3\n";
        let (list, plan) = errors::<Plan>(text);
        let lines: Vec<usize> = list.iter().map(|e| e.0).collect();
        assert_eq!(lines, [1, 5], "{list:?}");
        assert!(list[0].1.contains("`kind` is missing"), "{list:?}");
        assert_eq!(
            plan.expect("read with a stand-in for `kind`").actions.len(),
            1
        );
    }

    #[test]
    fn a_misspelt_required_field_is_reported_once() {
        let (list, _) = errors::<SiteConfig>("title: S\norganization: C\n");
        assert_eq!(list.len(), 1, "{list:?}");
        assert!(list[0].1.contains("unknown field `organization`"));
    }

    #[test]
    fn a_list_emptied_by_its_only_bad_item_is_not_reported() {
        let text = format!("{HEAD}actions:\n  - ref: '1'\n    progress:\n      - As required\n");
        let (list, plan) = errors::<Plan>(&text);
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0].0, 7);
        assert_eq!(plan.unwrap().actions.len(), 1);
    }

    #[test]
    fn a_bad_key_in_a_flow_mapping_leaves_the_rest_readable() {
        let text = format!(
            "{HEAD}indicators:\n  - id: a\n    title: A\n    targets: {{2017-18: 66, 2018/19: 70}}\n    unit: furlongs\n"
        );
        let (list, plan) = errors::<Plan>(&text);
        let lines: Vec<usize> = list.iter().map(|e| e.0).collect();
        assert_eq!(lines, [7, 8], "{list:?}");
        assert_eq!(plan.unwrap().indicators[0].targets.0.len(), 1);
    }

    #[test]
    fn a_misindented_key_is_reported_and_the_rest_still_checked() {
        let text = format!(
            "{HEAD}actions:\n  - ref: '1'\n    title: A\n  leads: [Manager]\n  - ref: '2'\n    target_date: 31/2/2017\n"
        );
        let (list, _) = errors::<Plan>(&text);
        let lines: Vec<usize> = list.iter().map(|e| e.0).collect();
        assert_eq!(lines, [7, 9], "{list:?}");
    }

    #[test]
    fn text_holding_a_colon_in_a_required_field_is_one_error_and_the_rest_is_read() {
        let text =
            "id: p\ntitle: Plans: 2017\nkind: Action plan\nactions:\n  - ref: '1'\n    leads: 3\n";
        let (list, _) = errors::<Plan>(text);
        let lines: Vec<usize> = list.iter().map(|e| e.0).collect();
        assert_eq!(lines, [2, 6], "{list:?}");
        assert!(list[0].1.contains("holds `: `"), "{list:?}");
    }

    #[test]
    fn an_unclosed_bracket_stops_the_file() {
        let text = format!("{HEAD}actions: [{{ref: '1'}}\nindicators: x\nfoo: 1\n");
        let (list, plan) = errors::<Plan>(&text);
        assert_eq!(list.len(), 1, "{list:?}");
        assert!(plan.is_none());
    }

    #[test]
    fn at_most_the_limit_is_reported_for_one_file() {
        let mut text = HEAD.to_string();
        for i in 0..MAX_ERRORS_PER_FILE + 10 {
            text += &format!("unknown{i}: x\n");
        }
        let (list, _) = errors::<Plan>(&text);
        assert_eq!(list.len(), MAX_ERRORS_PER_FILE);
    }
}
