//! How deeply a content file nests Markdown quotes and HTML tags, checked
//! before it is parsed.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::model::Pos;

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
pub(super) fn markup_depth_ok(file: &Path, text: &str, diags: &mut Diagnostics) -> bool {
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
        // A run counts at most every `>` and one marker a word, so a line with
        // few of both cannot hold one over the limit: most lines are skipped.
        let (mut gts, mut gaps, mut opens) = (0usize, 0usize, false);
        for b in line.bytes() {
            match b {
                b'>' => gts += 1,
                b' ' | b'\t' => gaps += 1,
                b'<' => opens = true,
                _ => {}
            }
        }
        if gts + gaps < MAX_MARKUP_DEPTH && !opens {
            continue;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> bool {
        markup_depth_ok(Path::new("x.md"), text, &mut Diagnostics::new())
    }

    #[test]
    fn runs_of_quotes_and_markers_are_refused_just_past_the_limit() {
        let quotes = |n: usize| format!("text\n{} deep\n", ">".repeat(n));
        assert!(ok(&quotes(MAX_MARKUP_DEPTH)));
        assert!(!ok(&quotes(MAX_MARKUP_DEPTH + 1)));
        // Spaced out, and mixed with list markers, the run is the same.
        let spaced = |n: usize| format!("{}x\n", "> - ".repeat(n / 2));
        assert!(ok(&spaced(MAX_MARKUP_DEPTH)));
        assert!(!ok(&spaced(MAX_MARKUP_DEPTH + 2)));
        // Many words that are not markers are no run at all.
        assert!(ok(&"a ".repeat(10 * MAX_MARKUP_DEPTH)));
    }

    #[test]
    fn html_tags_nest_across_lines_less_the_closed_ones() {
        let open = |n: usize| "<div>\n".repeat(n);
        assert!(ok(&open(MAX_MARKUP_DEPTH)));
        assert!(!ok(&open(MAX_MARKUP_DEPTH + 1)));
        assert!(ok(&"<div>\n</div>\n".repeat(10 * MAX_MARKUP_DEPTH)));
        assert!(ok(&"<br>\n<p>\n".repeat(10 * MAX_MARKUP_DEPTH)));
    }
}
