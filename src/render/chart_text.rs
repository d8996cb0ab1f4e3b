//! Text in charts: how wide a label will be, and long labels wrapped over
//! lines at spaces (never cut mid-word) instead of being shortened.
//!
//! Charts are SVG drawn without font metrics, so widths are estimated from
//! the number of characters at an average width for sans-serif faces; the
//! estimate errs wide so labels do not collide.

/// Average advance of a character, as a share of the font size (sans-serif, a little generous).
const ADVANCE: f64 = 0.58;

/// Estimated width in pixels of `text` at `size` pixels.
pub fn width(text: &str, size: u32) -> u32 {
    (text.chars().count() as f64 * ADVANCE * f64::from(size)).ceil() as u32
}

/// How many characters fit in `px` pixels at `size` pixels.
pub fn chars_in(px: u32, size: u32) -> usize {
    ((f64::from(px) / (ADVANCE * f64::from(size))).floor() as usize).max(1)
}

/// Wrap `text` into lines of at most `max` characters, breaking at spaces, in at
/// most `lines` lines. A word longer than a line has the line to itself (and may
/// overrun it); when the text needs more lines than allowed, the last line ends
/// with "…" after a whole word. Returns the lines and whether anything was left out.
pub fn wrap(text: &str, max: usize, lines: usize) -> (Vec<String>, bool) {
    let max = max.max(1);
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut cut = false;
    for (i, w) in words.iter().enumerate() {
        let fits = line.is_empty() || line.chars().count() + 1 + w.chars().count() <= max;
        if fits {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(w);
            continue;
        }
        if out.len() + 1 == lines.max(1) {
            // No more lines: end this one with an ellipsis after a whole word.
            cut = i < words.len();
            break;
        }
        out.push(std::mem::take(&mut line));
        line.push_str(w);
    }
    if cut {
        while line.chars().count() + 1 > max && line.contains(' ') {
            let end = line.rfind(' ').unwrap_or(0);
            line.truncate(end);
        }
        line.push('…');
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    (out, cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_wrap_at_spaces() {
        let (lines, cut) = wrap(
            "Total number of RMBC foster carers approved in the year",
            22,
            3,
        );
        assert_eq!(
            lines,
            [
                "Total number of RMBC",
                "foster carers approved",
                "in the year"
            ]
        );
        assert!(!cut);
        // No line is cut inside a word.
        for l in &lines {
            assert!(l.chars().count() <= 22, "{l}");
        }
    }

    #[test]
    fn too_long_labels_end_with_an_ellipsis_after_a_whole_word() {
        let (lines, cut) = wrap("one two three four five six seven", 9, 2);
        assert_eq!(lines, ["one two", "three…"]);
        assert!(cut);
    }

    #[test]
    fn short_and_empty_labels_stay_as_they_are() {
        assert_eq!(wrap("Actions", 20, 3), (vec!["Actions".to_string()], false));
        assert_eq!(wrap("", 20, 3), (vec![String::new()], false));
        // A word longer than a line is kept whole.
        assert_eq!(
            wrap("Supercalifragilistic day", 8, 3).0,
            ["Supercalifragilistic", "day"]
        );
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        assert!(width("abcdef", 14) > width("abc", 14));
        assert!(width("abc", 16) > width("abc", 12));
        assert_eq!(chars_in(width("abcdefghij", 14), 14), 10);
    }
}
