//! Charts reach a page without passing through the template engine.
//!
//! While a page's data is converted for the templates ([`collect`]), each
//! chart's SVG is set aside and a short placeholder stands in for it; after
//! the template has run, [`fill`] puts every SVG in its place in one pass.
//! So the SVG is neither copied into template values nor scanned by the
//! engine. The placeholder is an HTML comment with a number chosen per run,
//! which escaped user text (`&lt;!--`) and sanitised Markdown (comments
//! removed) cannot produce.

use std::cell::RefCell;
use std::hash::{BuildHasher, RandomState};
use std::sync::LazyLock;

use serde::Serializer;

/// A chart's SVG markup, shared rather than copied: the same drawing can
/// appear on several pages (a plan page and its indicator pages) and is set
/// aside for each without copying the text.
pub type Svg = std::sync::Arc<str>;

thread_local! {
    static SLOTS: RefCell<Option<Vec<Svg>>> = const { RefCell::new(None) };
}

/// The placeholder's fixed start, with this run's number: `<!--bp-svg:<n>:`.
static PREFIX: LazyLock<String> = LazyLock::new(|| {
    let nonce = RandomState::new().hash_one(std::process::id());
    format!("<!--bp-svg:{nonce:016x}:")
});

/// Serialise a chart's SVG: a placeholder inside [`collect`], else the SVG itself.
/// An empty SVG (a chart replaced by a sentence) stays empty, so templates can test it.
pub fn serialize<S: Serializer>(svg: &Svg, s: S) -> Result<S::Ok, S::Error> {
    if svg.is_empty() {
        return s.serialize_str("");
    }
    let slot = SLOTS.with(|slots| {
        slots.borrow_mut().as_mut().map(|v| {
            v.push(svg.clone());
            v.len() - 1
        })
    });
    match slot {
        Some(n) => s.serialize_str(&format!("{}{n}-->", *PREFIX)),
        None => s.serialize_str(svg.as_ref()),
    }
}

/// Run `f` (which converts a page's data), setting aside every SVG it meets.
pub fn collect<T>(f: impl FnOnce() -> T) -> (T, Vec<Svg>) {
    let outer = SLOTS.with(|s| s.borrow_mut().replace(Vec::new()));
    let value = f();
    let svgs = SLOTS.with(|s| std::mem::replace(&mut *s.borrow_mut(), outer));
    (value, svgs.unwrap_or_default())
}

/// Put each SVG set aside by [`collect`] where its placeholder is in `html`.
pub fn fill(html: String, svgs: &[Svg]) -> String {
    if svgs.is_empty() {
        return html;
    }
    let prefix = PREFIX.as_str();
    let extra: usize = svgs.iter().map(|s| s.len()).sum();
    let mut out = String::with_capacity(html.len() + extra);
    let mut rest = html.as_str();
    while let Some(at) = rest.find(prefix) {
        out.push_str(&rest[..at]);
        let after = &rest[at + prefix.len()..];
        let svg = after.find("-->").and_then(|end| {
            let n: usize = after[..end].parse().ok()?;
            Some((svgs.get(n)?, end + 3))
        });
        match svg {
            Some((svg, used)) => {
                out.push_str(svg);
                rest = &after[used..];
            }
            None => {
                out.push_str(prefix);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct C {
        #[serde(serialize_with = "serialize")]
        svg: Svg,
    }

    #[test]
    fn svgs_skip_the_templates_and_come_back_in_place() {
        let c = [
            C {
                svg: "<svg>a</svg>".into(),
            },
            C {
                svg: "<svg>b</svg>".into(),
            },
        ];
        let (json, svgs) = collect(|| serde_json::to_string(&c).unwrap());
        assert!(!json.contains("<svg>"), "{json}");
        assert_eq!(svgs.len(), 2);
        let v: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        let page = format!(
            "<p>{}</p><p>{}</p><p>{}</p>",
            v[1]["svg"].as_str().unwrap(),
            v[0]["svg"].as_str().unwrap(),
            v[1]["svg"].as_str().unwrap()
        );
        assert_eq!(
            fill(page, &svgs),
            "<p><svg>b</svg></p><p><svg>a</svg></p><p><svg>b</svg></p>"
        );
        // Outside a page the SVG is itself.
        assert!(
            serde_json::to_string(&c[0])
                .unwrap()
                .contains("<svg>a</svg>")
        );
        // A stray or escaped placeholder is left alone.
        let stray = format!("{}99--> &lt;!--bp-svg", *PREFIX);
        assert_eq!(fill(stray.clone(), &svgs), stray);
    }
}
