//! A word-level diff of two texts, to show how a description was reworded.

use serde::Serialize;

use crate::render::markdown::escape;

/// A run of words that is kept, deleted or inserted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "snake_case")]
pub enum Piece {
    /// In both texts.
    Same(String),
    /// Only in the old text.
    Del(String),
    /// Only in the new text.
    Ins(String),
}

/// Longest texts (in words, old × new) compared word by word; longer ones are
/// shown as one deletion and one insertion, so a huge rewrite stays quick.
const MAX_CELLS: usize = 4_000_000;

/// Split into words, each with the spaces after it (so pieces join back exactly).
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in s.char_indices() {
        let space = c.is_whitespace();
        if in_space && !space {
            out.push(&s[start..i]);
            start = i;
        }
        in_space = space;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// The word-level difference from `old` to `new`; whitespace differences alone do not count.
pub fn diff(old: &str, new: &str) -> Vec<Piece> {
    let (a, b) = (words(old.trim()), words(new.trim()));
    let key = |w: &str| w.trim_end().to_string();
    let (ka, kb): (Vec<String>, Vec<String>) = (
        a.iter().map(|w| key(w)).collect(),
        b.iter().map(|w| key(w)).collect(),
    );
    let mut ops: Vec<Piece> = Vec::new();
    if a.len().saturating_mul(b.len()) > MAX_CELLS {
        ops.push(Piece::Del(a.concat()));
        ops.push(Piece::Ins(b.concat()));
    } else {
        // Longest common subsequence, by dynamic programming from the ends.
        let (n, m) = (a.len(), b.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        let at = |i: usize, j: usize| i * (m + 1) + j;
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[at(i, j)] = if ka[i] == kb[j] {
                    lcs[at(i + 1, j + 1)] + 1
                } else {
                    lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && ka[i] == kb[j] {
                push(&mut ops, Piece::Same(b[j].to_string()));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
                push(&mut ops, Piece::Del(a[i].to_string()));
                i += 1;
            } else {
                push(&mut ops, Piece::Ins(b[j].to_string()));
                j += 1;
            }
        }
    }
    ops.retain(|p| !text(p).is_empty());
    ops
}

fn text(p: &Piece) -> &str {
    match p {
        Piece::Same(t) | Piece::Del(t) | Piece::Ins(t) => t,
    }
}

/// Append, merging with the previous piece of the same kind.
fn push(ops: &mut Vec<Piece>, p: Piece) {
    match (ops.last_mut(), &p) {
        (Some(Piece::Same(t)), Piece::Same(s))
        | (Some(Piece::Del(t)), Piece::Del(s))
        | (Some(Piece::Ins(t)), Piece::Ins(s)) => t.push_str(s),
        _ => ops.push(p),
    }
}

/// True when the two texts differ in their words (not only in spacing or line breaks).
pub fn reworded(old: &str, new: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    norm(old) != norm(new)
}

/// Split a piece's text into the words and the spacing after them.
fn split_trailing(t: &str) -> (&str, &str) {
    let body = t.trim_end();
    (body, &t[body.len()..])
}

/// The diff as HTML: `<del>` and `<ins>` around changed words, every word
/// escaped, each starting with "deleted: " or "inserted: " in a `span class="sr"`
/// (for screen readers; the stylesheet hides it from sight).
pub fn to_html(pieces: &[Piece]) -> String {
    let mut out = String::new();
    let mut spaced = true;
    for p in pieces {
        if !spaced {
            out.push(' ');
        }
        let t = match p {
            Piece::Same(t) | Piece::Del(t) | Piece::Ins(t) => t,
        };
        let (body, space) = split_trailing(t);
        match p {
            Piece::Same(_) => out.push_str(&escape(body)),
            // Screen readers do not announce <del> and <ins>: say it in hidden words.
            Piece::Del(_) => out.push_str(&format!(
                "<del><span class=\"sr\">deleted: </span>{}</del>",
                escape(body)
            )),
            Piece::Ins(_) => out.push_str(&format!(
                "<ins><span class=\"sr\">inserted: </span>{}</ins>",
                escape(body)
            )),
        }
        out.push_str(&escape(space));
        spaced = !space.is_empty();
    }
    out
}

/// The diff as plain text, as `git diff --word-diff` writes it: `[-old-]{+new+}`.
pub fn to_text(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for p in pieces {
        let (open, close, t) = match p {
            Piece::Same(t) => ("", "", t),
            Piece::Del(t) => ("[-", "-]", t),
            Piece::Ins(t) => ("{+", "+}", t),
        };
        out.push_str(&format!(" {open}{}{close}", t.trim()));
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_only_the_changed_words() {
        let d = diff(
            "Reduce the number of children in care by 10%",
            "Aim to reduce the number of children in care",
        );
        assert_eq!(
            to_text(&d),
            "[-Reduce-] {+Aim to reduce+} the number of children in care [-by 10%-]"
        );
        assert_eq!(
            to_html(&diff("a <b>", "a <i>")),
            "a <del><span class=\"sr\">deleted: </span>&lt;b&gt;</del> <ins><span class=\"sr\">inserted: </span>&lt;i&gt;</ins>"
        );
        assert!(!reworded("a  b\nc", "a b c"));
        assert!(reworded("a b", "a c"));
    }

    #[test]
    fn huge_rewrites_are_one_replacement() {
        let old = "x ".repeat(3000);
        let new = "y ".repeat(3000);
        let d = diff(&old, &new);
        assert_eq!(d.len(), 2);
    }
}
