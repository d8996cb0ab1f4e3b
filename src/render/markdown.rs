//! Markdown to safe HTML, with glossary abbreviations expanded as `<abbr>`.
//!
//! Authors paste text from Word, so Markdown may carry raw HTML. It is
//! rendered, then sanitised with ammonia: harmless formatting survives,
//! scripts, event handlers, `javascript:` links, iframes, forms and styles do not.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use super::mode::Mode;
use crate::limits::{MAX_GLOSSARY_TERM_CHARS, MAX_MARKDOWN_MARKS, MAX_MARKDOWN_TAGS};
use crate::model::OrderedMap;

/// Abbreviations and their expansions, longest first so `CSMF` wins over `CSM`.
///
/// In each passage of text (one Markdown body, one field such as an action's
/// leads) the first use of a term is written `<abbr title="meaning">`, as
/// house style spells an abbreviation out at its first use; later uses are a
/// plain `<abbr>`. The meanings written into one passage total at most
/// [`title_budget`] bytes, so the output grows linearly with the text however
/// long the meanings are, and matching is linear in the text too (terms are
/// looked up in a hash table, and there are at most
/// [`MAX_GLOSSARY_TERM_CHARS`] different term lengths to try at each word).
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    terms: Vec<(String, String)>,
    /// Term → index in `terms` (terms within the length limit only).
    index: HashMap<String, usize>,
    /// The distinct byte lengths of the indexed terms, longest first.
    lengths: Vec<usize>,
}

/// The most bytes of meanings written as `title`s into a passage of `len` bytes:
/// eight times the passage, and at least 128 (one meaning for a one-word passage).
pub fn title_budget(len: usize) -> usize {
    len.saturating_mul(8).max(128)
}

impl Glossary {
    /// Merge glossaries; later ones override earlier ones for the same term.
    pub fn merged<'a>(maps: impl IntoIterator<Item = &'a OrderedMap<String, String>>) -> Self {
        let mut terms: Vec<(String, String)> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        for m in maps {
            for (k, v) in m.iter() {
                match at.get(k) {
                    Some(&i) => terms[i].1 = v.clone(),
                    None => {
                        at.insert(k.clone(), terms.len());
                        terms.push((k.clone(), v.clone()));
                    }
                }
            }
        }
        terms.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let mut index = HashMap::new();
        let mut lengths = Vec::new();
        for (i, (t, _)) in terms.iter().enumerate() {
            // Longer terms are refused by `check` (limits); they are never matched.
            if t.is_empty() || t.chars().count() > MAX_GLOSSARY_TERM_CHARS {
                continue;
            }
            index.insert(t.clone(), i);
            if lengths.last() != Some(&t.len()) {
                lengths.push(t.len());
            }
        }
        Glossary {
            terms,
            index,
            lengths,
        }
    }

    /// Terms in alphabetical order, for a glossary table.
    pub fn alphabetical(&self) -> Vec<(String, String)> {
        let mut v = self.terms.clone();
        v.sort_by_key(|a| a.0.to_lowercase());
        v
    }

    /// Escape `text` as HTML and mark each glossary term with `<abbr>`, the
    /// first use with its meaning as `title` (one passage).
    pub fn to_html(&self, text: &str) -> String {
        let mut passage = Passage::new(self, text.len());
        passage.mark(text)
    }

    /// The glossary term that starts at byte `i` of `text`, if any.
    fn term_at(&self, text: &str, i: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let starts_word = i == 0 || !is_word(bytes[i - 1]);
        if !starts_word || !is_word(bytes[i]) {
            return None;
        }
        self.lengths.iter().find_map(|&len| {
            let end = i.checked_add(len)?;
            if end > text.len()
                || !text.is_char_boundary(end)
                || bytes.get(end).is_some_and(|&b| is_word(b))
            {
                return None;
            }
            self.index.get(&text[i..end]).copied()
        })
    }
}

/// One passage being marked up: which terms have had their meaning, and
/// how much of the passage's title budget is left.
struct Passage<'g> {
    glossary: &'g Glossary,
    seen: Vec<bool>,
    budget: usize,
}

impl<'g> Passage<'g> {
    fn new(glossary: &'g Glossary, len: usize) -> Self {
        Passage {
            glossary,
            seen: vec![
                false;
                if glossary.index.is_empty() {
                    0
                } else {
                    glossary.terms.len()
                }
            ],
            budget: title_budget(len),
        }
    }

    /// Escape `text` and mark its terms (a piece of the passage).
    fn mark(&mut self, text: &str) -> String {
        let g = self.glossary;
        let mut out = String::with_capacity(text.len() + 16);
        if g.index.is_empty() {
            out.push_str(&escape(text));
            return out;
        }
        let mut i = 0;
        let mut plain_start = 0;
        while i < text.len() {
            match g.term_at(text, i) {
                Some(k) => {
                    let (term, meaning) = &g.terms[k];
                    out.push_str(&escape(&text[plain_start..i]));
                    if !self.seen[k] && meaning.len() <= self.budget {
                        self.seen[k] = true;
                        self.budget -= meaning.len();
                        out.push_str("<abbr title=\"");
                        out.push_str(&escape(meaning));
                        out.push_str("\">");
                    } else {
                        out.push_str("<abbr>");
                    }
                    out.push_str(&escape(term));
                    out.push_str("</abbr>");
                    i += term.len();
                    plain_start = i;
                }
                None => {
                    i += text[i..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        out.push_str(&escape(&text[plain_start..]));
        out
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Escape text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Undo [`escape`] (for reading titles back from rendered HTML).
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    let tags: HashSet<&str> = [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
        "figure",
        "figcaption",
        "svg",
        "section",
    ]
    .into_iter()
    .collect();
    b.tags(tags)
        .add_tag_attributes("abbr", ["title"])
        .add_tag_attributes("th", ["scope", "colspan", "rowspan"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    b
});

/// Sanitise HTML from any author-controlled source.
pub fn sanitise(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Render Markdown to sanitised HTML that sits under a heading of level
/// `shift`. Its headings become sub-headings of that one and never skip a
/// level: the first becomes `shift + 1` whether written `#` or `###`, and each
/// later one is at most one level below the heading before it (h6 at most).
///
/// A text with more markup than [`check_markup`] allows is not rendered (the
/// parser and the sanitiser each build a tree of the whole text, a few hundred
/// bytes an element): it is shown as a short notice instead. `check` reports
/// such text first, with its place.
pub fn render(markdown: &str, glossary: &Glossary, shift: u8) -> String {
    try_render(markdown, glossary, shift, Mode::Build).unwrap_or_else(|_| {
        "<p><em>(This text is too long to show: split it into several sections.)</em></p>".into()
    })
}

/// [`render`], or the reason the text has too much markup to render. Under
/// [`Mode::Check`] the limits are checked but the HTML is not sanitised (no
/// page is kept, and sanitising finds nothing to report).
pub fn try_render(
    markdown: &str,
    glossary: &Glossary,
    shift: u8,
    mode: Mode,
) -> Result<String, String> {
    too_many_marks(markdown)?;
    let out = unsanitised(markdown, glossary, shift);
    too_many_tags(markdown, &out)?;
    Ok(if mode.draws() { sanitise(&out) } else { out })
}

/// Is the markup of `markdown` within the limits? In two steps: line ends and
/// markup characters are counted first (the parser's tree grows with them),
/// then the HTML tags it makes (abbreviations included), without sanitising.
pub fn check_markup(markdown: &str, glossary: &Glossary) -> Result<(), String> {
    too_many_marks(markdown)?;
    too_many_tags(markdown, &unsanitised(markdown, glossary, 0))
}

/// Line ends and the characters that can open Markdown markup.
fn markup_marks(text: &str) -> usize {
    text.bytes()
        .filter(|b| {
            matches!(
                b,
                b'\n' | b'*' | b'_' | b'`' | b'[' | b'<' | b'|' | b'#' | b'>' | b'-' | b'!' | b'~'
            )
        })
        .count()
}

fn too_many_marks(markdown: &str) -> Result<(), String> {
    let n = markup_marks(markdown);
    if n > MAX_MARKDOWN_MARKS {
        return Err(too_much(
            markdown,
            &format!(
                "it has {n} lines and markup characters, over the limit of {MAX_MARKDOWN_MARKS}"
            ),
        ));
    }
    Ok(())
}

fn too_many_tags(markdown: &str, html: &str) -> Result<(), String> {
    // Escaped text holds no `<`: every one opens or closes a tag.
    let n = html.bytes().filter(|&b| b == b'<').count();
    if n > MAX_MARKDOWN_TAGS {
        return Err(too_much(
            markdown,
            &format!(
                "it would make {n} HTML tags (paragraphs, emphasis, abbreviations…), over the limit of {MAX_MARKDOWN_TAGS}"
            ),
        ));
    }
    Ok(())
}

fn too_much(markdown: &str, why: &str) -> String {
    let start: String = markdown.chars().take(30).collect();
    format!(
        "the text beginning \"{}…\" has too much markup for one text: {why}",
        start.replace(['\n', '\r'], " ").trim()
    )
}

/// Markdown to HTML with abbreviations marked, before sanitising.
fn unsanitised(markdown: &str, glossary: &Glossary, shift: u8) -> String {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut levels = HeadingLevels::new(shift);
    let mut open = Vec::new();
    let mut in_code = 0usize;
    // The whole Markdown text is one passage: a term's meaning is given at its first use.
    let mut passage = Passage::new(glossary, markdown.len());
    let events = Parser::new_ext(markdown, opts).map(|ev| match ev {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => {
            let level = levels.place(level);
            open.push(level);
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            })
        }
        Event::End(TagEnd::Heading(level)) => {
            Event::End(TagEnd::Heading(open.pop().unwrap_or(level)))
        }
        Event::Start(Tag::CodeBlock(k)) => {
            in_code += 1;
            Event::Start(Tag::CodeBlock(k))
        }
        Event::End(TagEnd::CodeBlock) => {
            in_code = in_code.saturating_sub(1);
            Event::End(TagEnd::CodeBlock)
        }
        Event::Text(t) if in_code == 0 => Event::InlineHtml(CowStr::from(passage.mark(&t))),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Places a Markdown body's headings under its parent heading: a stack of the
/// headings still open, each as (level written, level given).
struct HeadingLevels {
    parent: u8,
    open: Vec<(u8, u8)>,
}

impl HeadingLevels {
    fn new(parent: u8) -> Self {
        Self {
            parent,
            open: Vec::new(),
        }
    }

    /// The level to give a heading written at `written`: one below the nearest
    /// open heading written shallower than it, or below the parent.
    fn place(&mut self, written: HeadingLevel) -> HeadingLevel {
        let written = written as u8;
        while self.open.last().is_some_and(|&(w, _)| w >= written) {
            self.open.pop();
        }
        let above = self.open.last().map_or(self.parent, |&(_, given)| given);
        let given = above.saturating_add(1).clamp(1, 6);
        self.open.push((written, given));
        HeadingLevel::try_from(given as usize).unwrap_or(HeadingLevel::H6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        let mut m = OrderedMap::default();
        m.0.push(("CSM".to_string(), "Wrong".to_string()));
        m.0.push((
            "CSMF".to_string(),
            "Children's Service Manager Fieldwork".to_string(),
        ));
        Glossary::merged([&m])
    }

    #[test]
    fn expands_whole_words_only() {
        let g = glossary();
        assert_eq!(
            g.to_html("CSMF & CSMFX"),
            "<abbr title=\"Children&#39;s Service Manager Fieldwork\">CSMF</abbr> &amp; CSMFX"
        );
    }

    #[test]
    fn strips_scripts_handlers_and_javascript_links() {
        let md = "Hi <script>alert(1)</script><b onclick=\"x()\">bold</b> [x](javascript:alert(1)) <iframe src=x></iframe>";
        let html = render(md, &Glossary::default(), 1);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(html.contains("<b>bold</b>"), "{html}");
    }

    #[test]
    fn body_headings_sit_under_the_section_heading_without_skipping() {
        let md = "### Aims\n\n#### Detail\n\n###### Deep\n\n### Next\n\n# Top\n\n## Under top";
        let html = render(md, &Glossary::default(), 2);
        let levels: Vec<&str> = html
            .match_indices("<h")
            .map(|(i, _)| &html[i + 1..i + 3])
            .collect();
        assert_eq!(levels, ["h3", "h4", "h5", "h3", "h3", "h4"], "{html}");
        // Deep sections clamp at h6 rather than producing invalid HTML.
        let deep = render("# A\n\n## B\n\n### C", &Glossary::default(), 5);
        assert!(
            deep.contains("<h6>A</h6>") && deep.contains("<h6>C</h6>"),
            "{deep}"
        );
    }

    #[test]
    fn shifts_headings_and_expands_abbreviations() {
        let html = render("# Title\n\nThe CSMF leads.", &glossary(), 2);
        assert!(html.contains("<h3>Title</h3>"), "{html}");
        assert!(
            html.contains("<abbr title=\"Children's Service Manager Fieldwork\">CSMF</abbr>"),
            "{html}"
        );
    }

    /// House style: the meaning is given at the first use in a passage only.
    #[test]
    fn first_use_in_a_passage_carries_the_meaning() {
        let g = glossary();
        assert_eq!(
            g.to_html("CSMF, then CSMF"),
            "<abbr title=\"Children&#39;s Service Manager Fieldwork\">CSMF</abbr>, then <abbr>CSMF</abbr>"
        );
        let html = render("The CSMF leads.\n\n* CSMF\n* CSM", &g, 1);
        assert_eq!(html.matches("title=").count(), 2, "{html}");
        assert_eq!(html.matches("<abbr>CSMF</abbr>").count(), 1, "{html}");
    }

    /// Issue 8: a long meaning expanded at every use of its term through a
    /// large body made gigabytes; the output is now linear in the text.
    #[test]
    fn glossary_output_is_linear_in_the_text() {
        let mut m = OrderedMap::default();
        m.0.push(("A".to_string(), "&\"".repeat(150)));
        for i in 0..2000 {
            m.0.push((format!("T{i}"), "meaning ".repeat(37)));
        }
        let g = Glossary::merged([&m]);
        let body = "A ".repeat(100_000);
        let html = render(&body, &g, 1);
        assert!(html.len() < 20 * body.len(), "{} bytes", html.len());
        assert_eq!(html.matches("title=").count(), 1);
        // Many different terms: their meanings share the passage's budget.
        let terms: Vec<String> = (0..2000).map(|i| format!("T{i}")).collect();
        let text = terms.join(" ");
        let out = g.to_html(&text);
        assert!(
            out.len() <= text.len() * 17 + title_budget(text.len()) + 128,
            "{}",
            out.len()
        );
        assert!(out.contains("<abbr>T1999</abbr>"), "budget never ran out");
    }

    /// Issue 8: a large body made millions of elements, and the sanitiser's
    /// tree of them took gigabytes; over the limit the text is not sanitised.
    #[test]
    fn text_with_too_much_markup_is_refused_before_sanitising() {
        let g = Glossary::default();
        // Within the marks, over the tags: `*a*` is two tags from two marks.
        let body = "*a* ".repeat(MAX_MARKDOWN_TAGS / 2 + 10);
        let e = check_markup(&body, &g).unwrap_err();
        assert!(e.contains("HTML tags"), "{e}");
        assert!(try_render(&body, &g, 1, Mode::Build).is_err());
        assert!(render(&body, &g, 1).contains("too long to show"));
        // Over the marks: refused before it is parsed.
        let lines = "a\n".repeat(MAX_MARKDOWN_MARKS + 1);
        let e = check_markup(&lines, &g).unwrap_err();
        assert!(e.contains("lines and markup characters"), "{e}");
        assert!(try_render("*a* b", &g, 1, Mode::Build).is_ok());
    }
}
