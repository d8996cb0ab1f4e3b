//! Markdown to safe HTML, with glossary abbreviations expanded as `<abbr>`.
//!
//! Authors paste text from Word, so Markdown may carry raw HTML. It is
//! rendered, then sanitised with ammonia: harmless formatting survives,
//! scripts, event handlers, `javascript:` links, iframes, forms and styles do not.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::model::OrderedMap;

/// Abbreviations and their expansions, longest first so `CSMF` wins over `CSM`.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    terms: Vec<(String, String)>,
}

impl Glossary {
    /// Merge glossaries; later ones override earlier ones for the same term.
    pub fn merged<'a>(maps: impl IntoIterator<Item = &'a OrderedMap<String, String>>) -> Self {
        let mut terms: Vec<(String, String)> = Vec::new();
        for m in maps {
            for (k, v) in m.iter() {
                match terms.iter_mut().find(|(t, _)| t == k) {
                    Some(slot) => slot.1 = v.clone(),
                    None => terms.push((k.clone(), v.clone())),
                }
            }
        }
        terms.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Glossary { terms }
    }

    /// Terms in alphabetical order, for a glossary table.
    pub fn alphabetical(&self) -> Vec<(String, String)> {
        let mut v = self.terms.clone();
        v.sort_by_key(|a| a.0.to_lowercase());
        v
    }

    /// Escape `text` as HTML and wrap each glossary term in `<abbr title>`.
    pub fn to_html(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut plain_start = 0;
        while i < text.len() {
            let boundary_before = i == 0 || !is_word(bytes[i - 1]);
            let hit = if boundary_before && is_word(bytes[i]) {
                self.terms.iter().find(|(t, _)| {
                    text[i..].starts_with(t.as_str())
                        && text
                            .as_bytes()
                            .get(i + t.len())
                            .is_none_or(|&b| !is_word(b))
                })
            } else {
                None
            };
            match hit {
                Some((term, expansion)) => {
                    out.push_str(&escape(&text[plain_start..i]));
                    out.push_str("<abbr title=\"");
                    out.push_str(&escape(expansion));
                    out.push_str("\">");
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
pub fn render(markdown: &str, glossary: &Glossary, shift: u8) -> String {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut levels = HeadingLevels::new(shift);
    let mut open = Vec::new();
    let mut in_code = 0usize;
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
        Event::Text(t) if in_code == 0 => Event::InlineHtml(CowStr::from(glossary.to_html(&t))),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    sanitise(&out)
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
}
