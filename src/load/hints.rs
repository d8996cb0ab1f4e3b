//! Plain words, did-you-means and rewrites for the mistakes authors really
//! make: periods written `2017-18`, dates in words or day/month/year, bare
//! text where a mapping is expected, fields written at the wrong level,
//! misindented lines, empty files.

use std::path::Path;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostics, suggest};
use crate::model::{
    Action, Deliverable, Impact, Indicator, Objective, Plan, Pos, ProgressEntry, Section, Table,
};

/// An empty pack file.
pub fn empty_pack(file: &Path, diags: &mut Diagnostics) {
    diags.error_hint(
        file,
        None,
        "the file is empty: a pack needs at least `title`, `board`, `meeting_date`, `period` and `plans`",
        "start with e.g. `title: Quarterly performance report`, `board: Corporate Parenting Panel`, `meeting_date: 2017-09-14`, `period: 2017/18 Q1` and `plans: [my-plan]`",
    );
}

/// The plan id written on a top-level `id:` line, for a plan file that
/// could not be read.
pub fn plan_id_line(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let v = l.strip_prefix("id:")?.trim();
        let v = v.split(" #").next()?.trim().trim_matches(['"', '\'']);
        (!v.is_empty()).then(|| v.to_string())
    })
}

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month (1 to 12) a word names: `June`, `Jun`, `Sept`.
fn month_word(w: &str) -> Option<u32> {
    let w = w
        .trim_matches(|c: char| c == '.' || c == ',')
        .to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTH_NAMES
        .iter()
        .position(|m| m.starts_with(&w) || (w == "sept" && *m == "september"))
        .map(|i| i as u32 + 1)
}

/// A day of the month: `18`, `18th`, `1st`.
fn day_number(w: &str) -> Option<u32> {
    let w = w.trim_matches(|c: char| c == ',' || c == '.');
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A year: `2018`, or `18` meaning 2018.
fn year_number(w: &str) -> Option<i32> {
    let w = w.trim_matches(|c: char| c == ',' || c == '.' || c == '\'');
    if !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match w.len() {
        4 => w.parse().ok(),
        2 => w.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

/// The accepted form for a period or date written another way, with why.
///
/// `2017-18` (a financial year as the sources write it) → `2017/18`;
/// months in words (`June 18`, `April 2018`, `18 June 2018`) and UK
/// day/month/year dates (`15/1/2018`) → `2018-06`, `2018-04`,
/// `2018-06-18`, `2018-01-15`.
pub fn rewrite(value: &str) -> Option<String> {
    let v = value.trim();
    // 2017-18, 2017-2018, 2017-18 Q2: a financial year with a dash.
    let (year, rest) = v.split_once(' ').map_or((v, ""), |(y, r)| (y, r.trim()));
    if let Some((a, b)) = year.split_once(['-', '–'])
        && a.len() == 4
        && let (Ok(a), Ok(b)) = (a.parse::<i32>(), b.parse::<i32>())
        && (b == (a + 1) % 100 || b == a + 1)
        && (rest.is_empty() || rest.to_ascii_uppercase().starts_with('Q'))
    {
        let q = if rest.is_empty() {
            String::new()
        } else {
            format!(" {}", rest.to_ascii_uppercase())
        };
        return Some(format!(
            "a financial year is written with a slash: `{a}/{:02}{q}`",
            (a + 1) % 100
        ));
    }
    // 2016-9, 2016-9-5: months and days take two digits.
    let parts: Vec<&str> = v.split('-').collect();
    if parts.len() >= 2
        && parts.len() <= 3
        && parts[0].len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[1..].iter().any(|p| p.len() == 1)
        && parts[1..].iter().all(|p| p.len() <= 2)
        && let Ok(m) = parts[1].parse::<u32>()
        && (1..=12).contains(&m)
    {
        let day = match parts.get(2).map(|d| d.parse::<u32>()) {
            Some(Ok(d)) if (1..=31).contains(&d) => format!("-{d:02}"),
            Some(_) => return None,
            None => String::new(),
        };
        return Some(format!(
            "months and days are written with two digits: `{}-{m:02}{day}`",
            parts[0]
        ));
    }
    // 15/1/2018, 15.01.18, 15-1-2018: day, month, year (the UK order).
    let nums: Vec<&str> = v.split(['/', '.', '-']).collect();
    if let [d, m, y] = nums.as_slice()
        && let (Some(d), Ok(m), Some(y)) = (day_number(d), m.parse::<u32>(), year_number(y))
        && (1..=12).contains(&m)
        && !v.starts_with(|c: char| c.is_ascii_digit() && nums[0].len() == 4)
    {
        return Some(format!(
            "dates are written year-month-day: `{y}-{m:02}-{d:02}` (read as day {d}, month {m})"
        ));
    }
    // Months in words.
    let words: Vec<&str> = v
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let month_at = words.iter().position(|w| month_word(w).is_some())?;
    let month = month_word(words[month_at])?;
    let others: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != month_at)
        .map(|(_, w)| *w)
        .collect();
    let name = MONTH_NAMES[month as usize - 1];
    let name = format!("{}{}", name[..1].to_uppercase(), &name[1..]);
    match others.as_slice() {
        // June 2018, June 18: a month (two digits after the month are its year).
        [y] if year_number(y).is_some() => {
            let y = year_number(y)?;
            Some(format!(
                "a month is written year-month: `{y}-{month:02}` for {name} {y} (a day: `{y}-{month:02}-30`)"
            ))
        }
        // 18 June 2018, June 18 2018, 18th June 2018.
        [a, b] => {
            let (d, y) = match (day_number(a), year_number(b)) {
                (Some(d), Some(y)) if b.len() == 4 || words.len() == 3 => (d, y),
                _ => return None,
            };
            Some(format!(
                "dates are written year-month-day: `{y}-{month:02}-{d:02}` for {d} {name} {y}"
            ))
        }
        _ => None,
    }
}

/// A field name in a struct's `expected` list: the struct's fields, as
/// serde lists them when it meets an unknown one.
fn fields_of<T: DeserializeOwned>() -> Vec<&'static str> {
    use serde_saphyr::Error as E;
    let options = serde_saphyr::options! { with_snippet: false };
    let mut e = match serde_saphyr::from_str_with_options::<T>("boardpack_probe: 0", options) {
        Ok(_) => return Vec::new(),
        Err(e) => e,
    };
    loop {
        match e {
            E::SerdeUnknownField { expected, .. } => return expected,
            E::AliasError { error, .. } | E::WithSnippet { error, .. } => e = *error,
            _ => return Vec::new(),
        }
    }
}

/// Each kind of mapping a plan holds, with its fields.
fn levels() -> &'static [(&'static str, Vec<&'static str>)] {
    static LEVELS: OnceLock<Vec<(&'static str, Vec<&'static str>)>> = OnceLock::new();
    LEVELS.get_or_init(|| {
        vec![
            ("the plan", fields_of::<Plan>()),
            ("a section", fields_of::<Section>()),
            ("an objective", fields_of::<Objective>()),
            ("an action", fields_of::<Action>()),
            ("an action's `impact:`", fields_of::<Impact>()),
            ("a progress entry", fields_of::<ProgressEntry>()),
            ("a deliverable", fields_of::<Deliverable>()),
            ("an indicator", fields_of::<Indicator>()),
            ("a table", fields_of::<Table>()),
        ]
    })
}

/// A hint for an unknown field with no near-miss among the fields allowed
/// where it is: a rewrite for fields that belong one level down (an
/// action's `desired_impact` is its `impact: expected:`), or the level
/// whose field it is (a misindented line).
pub fn unknown_field(field: &str, expected: &[&str]) -> Option<String> {
    let here = levels()
        .iter()
        .find(|(_, f)| f.as_slice() == expected)
        .map(|l| l.0);
    let is_action = here == Some("an action");
    let impact = fields_of::<Impact>();
    if is_action && matches!(field, "desired_impact" | "expected_impact" | "outcome") {
        return Some("did you mean `impact: {expected: …}`? An action's expected impact is written under `impact:`, as `expected:`".into());
    }
    if is_action && impact.contains(&field) {
        return Some(format!(
            "did you mean `impact: {{{field}: …}}`? `{field}` is written under the action's `impact:`"
        ));
    }
    if is_action && matches!(field, "text" | "update" | "note" | "notes") {
        return Some(format!(
            "progress notes go in the action's log: `progress: [{{period: 2017/18 Q1, text: …}}]`, not `{field}:`"
        ));
    }
    if here == Some("an objective") && field == "impact" {
        return Some("did you mean `desired_impact`? An objective's impact is `desired_impact: …` (actions have `impact:`)".into());
    }
    // A field of another level, exactly or nearly: likely misindented.
    let elsewhere = levels().iter().filter(|(name, _)| Some(*name) != here);
    for (name, fields) in elsewhere.clone() {
        if fields.contains(&field) {
            return Some(format!(
                "`{field}` is a field of {name}, not of this mapping: check this line's indentation, or move it to where it belongs"
            ));
        }
    }
    for (name, fields) in elsewhere {
        if let Some(k) = suggest(field, fields.iter().copied()) {
            return Some(format!(
                "did you mean `{k}`? It is a field of {name}, not of this mapping: check this line's indentation"
            ));
        }
    }
    None
}

/// The key of the list holding the item on `line` (1-based), read from the
/// lines above: `progress` for an item under `progress:`.
fn list_key(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let item = lines.get(line.checked_sub(1)?)?;
    let dash = item.len() - item.trim_start().len();
    if !item.trim_start().starts_with('-') {
        return None;
    }
    for l in lines[..line - 1].iter().rev() {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let indent = l.len() - t.len();
        if indent < dash || (indent == dash && !t.starts_with('-')) {
            let t = t.trim_start_matches(['-', ' ']);
            let (key, rest) = t.split_once(':')?;
            return rest.trim().is_empty().then(|| key.trim().to_string());
        }
    }
    None
}

/// A hint for text written where a mapping is expected, as the bare
/// `- As required` in a progress log: the item rewritten as a mapping.
pub fn bare_item(text: &str, pos: Pos, value: &str) -> Option<String> {
    let key = list_key(text, pos.line)?;
    let field = match key.as_str() {
        "progress" | "deliverables" => "text",
        "actions" => "description",
        "sections" | "objectives" | "indicators" | "tables" | "risks" => "title",
        _ => return None,
    };
    Some(format!(
        "each item of `{key}` is a mapping: write `- {field}: {value}`"
    ))
}

/// Plain words and the likely fix for a syntax error about indentation, or
/// about a `: ` the parser cannot place; `None` for other syntax errors.
pub fn syntax(message: &str, text: &str, pos: Pos) -> Option<(String, String)> {
    if message.contains("did not find expected '-' indicator") {
        misindented(text, pos)
    } else if message.contains("mapping values are not allowed") {
        stray_colon(text, pos)
    } else if message.contains("did not find expected key")
        || message.starts_with("invalid indentation")
    {
        out_of_line(text, pos)
    } else {
        None
    }
}

/// Leading spaces of a line.
fn indent(l: &str) -> usize {
    l.len() - l.trim_start_matches(' ').len()
}

/// The key a `key: value` line starts with.
fn key_of(l: &str) -> Option<&str> {
    let t = l.trim_start().trim_start_matches("- ");
    let (k, _) = t.split_once(':')?;
    let k = k.trim();
    (!k.is_empty() && !k.contains(' ') || k.starts_with(['"', '\''])).then_some(k)
}

/// The non-blank, non-comment lines above line `line` (1-based), nearest first.
fn lines_above<'a>(lines: &[&'a str], line: usize) -> impl Iterator<Item = &'a str> {
    lines[..line.saturating_sub(1).min(lines.len())]
        .iter()
        .rev()
        .copied()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// A `field:` met where the next `- ` item of a list was expected.
fn misindented(text: &str, pos: Pos) -> Option<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let line = lines.get(pos.line.checked_sub(1)?)?;
    let own = indent(line);
    let key = key_of(line)?;
    // The list item above, and the column of its fields.
    let item = lines_above(&lines, pos.line).find(|l| {
        let lt = l.trim_start();
        indent(l) <= own && lt.starts_with("- ")
    })?;
    let after = item.trim_start()[1..].trim_start();
    let field_col = item.len() - after.len();
    let first = key_of(item).unwrap_or(after);
    let more = field_col.checked_sub(own).filter(|m| *m > 0)?;
    let spaces = if more == 1 { "space" } else { "spaces" };
    Some((
        format!(
            "this line is not indented like the list above it: `{key}:` starts where a `- ` item of the list was expected"
        ),
        format!(
            "if `{key}` belongs to the item above, indent it {more} more {spaces} to line up with `{first}:`; if it starts a new item, begin it with `- `"
        ),
    ))
}

/// A `: ` the parser cannot place: text holding `: ` not in quotes, or a
/// field indented under a field that already has a value.
fn stray_colon(text: &str, pos: Pos) -> Option<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let line = lines.get(pos.line.checked_sub(1)?)?;
    let t = line.trim_start();
    let body = t.trim_start_matches("- ");
    // `description: Review: every plan`: two `: ` on one line.
    if let Some((k, v)) = body.split_once(": ")
        && v.contains(": ")
        && !v.trim_start().starts_with(['"', '\'', '[', '{', '|', '>'])
    {
        let v = v.trim().replace('"', "\\\"");
        return Some((
            format!(
                "the value of `{}` holds `: `, which YAML reads as the start of another field",
                k.trim()
            ),
            format!("put the text in quotes: `{}: \"{v}\"`", k.trim()),
        ));
    }
    // A field indented more than the field above it, whose value is on its line.
    let key = key_of(line)?;
    let above = lines_above(&lines, pos.line).next()?;
    let above_key = key_of(above)?;
    let above_col = above.len() - above.trim_start().trim_start_matches("- ").len();
    if indent(line) > above_col {
        let n = above_col;
        return Some((
            format!(
                "`{key}:` is indented more than `{above_key}:` above it, so it reads as part of that field's value"
            ),
            format!(
                "line `{key}:` up with `{above_key}:` ({n} spaces in); if the line above is text holding `: `, put it in quotes"
            ),
        ));
    }
    None
}

/// A line indented differently from the fields around it.
fn out_of_line(text: &str, pos: Pos) -> Option<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let line = lines.get(pos.line.checked_sub(1)?)?;
    let key = key_of(line)?;
    let own = indent(line);
    // The nearest field above indented less: the level this line likely belongs to.
    let (other, col) = lines_above(&lines, pos.line).find_map(|l| {
        let col = l.len() - l.trim_start().trim_start_matches("- ").len();
        (col < own).then(|| key_of(l).map(|k| (k, col))).flatten()
    })?;
    let spaces = |n: usize| match n {
        0 => "no spaces".to_string(),
        1 => "1 space".to_string(),
        n => format!("{n} spaces"),
    };
    Some((
        format!(
            "`{key}:` is indented {} here, which matches none of the fields above it",
            spaces(own)
        ),
        format!(
            "line it up with `{other}:` above ({} in), or with the fields of the item it belongs to",
            spaces(col)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_and_dates_written_other_ways_get_the_accepted_form() {
        let r = |v: &str| rewrite(v).unwrap_or_default();
        assert!(r("2017-18").contains("`2017/18`"), "{}", r("2017-18"));
        assert!(r("2017-2018").contains("`2017/18`"));
        assert!(r("2017-18 Q2").contains("`2017/18 Q2`"));
        assert!(r("June 18").contains("`2018-06`"), "{}", r("June 18"));
        assert!(r("April 2018").contains("`2018-04`"));
        assert!(r("18 June 2018").contains("`2018-06-18`"));
        assert!(r("June 18, 2018").contains("`2018-06-18`"));
        assert!(
            r("15/1/2018").contains("`2018-01-15`"),
            "{}",
            r("15/1/2018")
        );
        assert!(r("30/09/2016").contains("`2016-09-30`"));
        assert!(r("2016-9").contains("`2016-09`"), "{}", r("2016-9"));
        assert!(r("2016-9-5").contains("`2016-09-05`"));
        // Not rewritten: a real month that does not exist, plain words.
        assert_eq!(rewrite("2016-13"), None);
        assert_eq!(rewrite("2016-02-31"), None);
        assert_eq!(rewrite("soon"), None);
        assert_eq!(rewrite("Q1 2016"), None);
    }

    #[test]
    fn fields_at_the_wrong_level_are_named() {
        let action = fields_of::<Action>();
        assert!(action.contains(&"impact"));
        let action = action.as_slice();
        let h = unknown_field("desired_impact", action).unwrap();
        assert!(h.contains("impact: {expected: …}"), "{h}");
        let h = unknown_field("measure", action).unwrap();
        assert!(h.contains("impact: {measure: …}"), "{h}");
        // `polarity` belongs to an indicator: written in an action, it is misplaced.
        let h = unknown_field("polarity", action).unwrap();
        assert!(h.contains("an indicator"), "{h}");
        assert_eq!(unknown_field("zzzzzz", action), None);
    }

    #[test]
    fn a_bare_progress_item_gets_its_mapping_form() {
        let text = "actions:\n  - ref: '1'\n    progress:\n      - As required\n";
        let h = bare_item(text, Pos { line: 4, column: 9 }, "As required").unwrap();
        assert!(h.contains("`- text: As required`"), "{h}");
    }

    #[test]
    fn a_misindented_field_is_explained() {
        let text = "actions:\n  - ref: '1'\n    title: A\n  leads: [M]\n";
        let (m, h) = misindented(text, Pos { line: 4, column: 3 }).unwrap();
        assert!(m.contains("`leads:`"), "{m}");
        assert!(
            h.contains("indent it 2 more spaces to line up with `ref:`"),
            "{h}"
        );
    }

    #[test]
    fn a_field_between_the_dash_and_the_fields_is_explained() {
        let text = "actions:\n  - ref: '1'\n    title: A\n   leads: [M]\n";
        let (_, h) = misindented(text, Pos { line: 4, column: 4 }).unwrap();
        assert!(h.contains("indent it 1 more space "), "{h}");
    }

    #[test]
    fn a_stray_colon_is_explained() {
        let text = "actions:\n  - ref: '1'\n    description: Review: every plan\n";
        let (m, h) = stray_colon(
            text,
            Pos {
                line: 3,
                column: 24,
            },
        )
        .unwrap();
        assert!(m.contains("holds `: `"), "{m}");
        assert!(h.contains("`description: \"Review: every plan\"`"), "{h}");
        let text = "actions:\n  - ref: '1'\n    description: Review\n      leads: [M]\n";
        let (m, h) = stray_colon(
            text,
            Pos {
                line: 4,
                column: 12,
            },
        )
        .unwrap();
        assert!(
            m.contains("`leads:` is indented more than `description:`"),
            "{m}"
        );
        assert!(h.contains("(4 spaces in)"), "{h}");
    }

    #[test]
    fn a_line_out_of_line_is_explained() {
        let text = "id: p\nactions:\n  - ref: '1'\n indicators: []\n";
        let (m, h) = out_of_line(text, Pos { line: 4, column: 2 }).unwrap();
        assert!(m.contains("`indicators:` is indented 1 space"), "{m}");
        assert!(h.contains("`actions:` above (no spaces in)"), "{h}");
    }
}
