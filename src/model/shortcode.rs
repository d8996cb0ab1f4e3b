//! Chart shortcodes in Markdown: `{{ chart(indicator="ni-63", kind="trend") }}`
//! on a line of its own places a chart in a section's text.

use std::collections::BTreeMap;

/// A chart reference found in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    /// 0-based line within the Markdown text.
    pub line: usize,
    /// Arguments by name (`indicator`, `table`, `kind`, `group`, `rows`, `columns`, `title`).
    pub args: BTreeMap<String, String>,
}

/// Argument names a chart shortcode accepts.
pub const ARGS: [&str; 7] = [
    "indicator",
    "table",
    "kind",
    "group",
    "rows",
    "columns",
    "title",
];

/// Find every `{{ chart(...) }}` line in `text`; malformed ones are returned as errors
/// (0-based line, message).
pub fn find(text: &str) -> (Vec<Shortcode>, Vec<(usize, String)>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for (line, raw) in text.lines().enumerate() {
        let t = raw.trim();
        if !t.starts_with("{{") {
            continue;
        }
        match parse(t) {
            Ok(args) => found.push(Shortcode { line, args }),
            Err(e) => errors.push((line, e)),
        }
    }
    (found, errors)
}

/// Parse one `{{ chart(a="b", c="d") }}`.
fn parse(t: &str) -> Result<BTreeMap<String, String>, String> {
    let inner = t
        .strip_prefix("{{")
        .and_then(|r| r.strip_suffix("}}"))
        .map(str::trim)
        .ok_or_else(|| {
            "a shortcode must be written `{{ chart(...) }}` on a line of its own".to_string()
        })?;
    let body = inner
        .strip_prefix("chart(")
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| format!("unknown shortcode `{inner}`: expected `chart(...)`"))?;
    let mut args = BTreeMap::new();
    let mut rest = body.trim();
    while !rest.is_empty() {
        let (name, after) = rest
            .split_once('=')
            .ok_or_else(|| format!("expected name=\"value\" in `{body}`"))?;
        let name = name.trim();
        let after = after.trim_start();
        let after = after
            .strip_prefix('"')
            .ok_or_else(|| format!("the value of `{name}` must be in double quotes"))?;
        let (value, tail) = after
            .split_once('"')
            .ok_or_else(|| format!("the value of `{name}` has no closing quote"))?;
        if !ARGS.contains(&name) {
            return Err(format!(
                "unknown chart argument `{name}`: expected one of {}",
                ARGS.join(", ")
            ));
        }
        if args.insert(name.to_string(), value.to_string()).is_some() {
            return Err(format!("`{name}` is given twice"));
        }
        rest = tail.trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    if args.contains_key("indicator") == args.contains_key("table") {
        return Err("a chart names either an indicator=\"…\" or a table=\"…\"".into());
    }
    Ok(args)
}

/// Parse `rows="2-3,5"` into 1-based row numbers.
pub fn parse_rows(spec: &str) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || format!("rows=\"{spec}\": expected row numbers like \"1,3\" or \"2-4\"");
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (usize, usize) = (
                    a.trim().parse().map_err(|_| bad())?,
                    b.trim().parse().map_err(|_| bad())?,
                );
                if a == 0 || b < a {
                    return Err(bad());
                }
                out.extend(a..=b);
            }
            None => out.push(part.parse().map_err(|_| bad())?),
        }
    }
    if out.contains(&0) {
        return Err(format!("rows=\"{spec}\": rows are numbered from 1"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_parses() {
        let text = "Intro\n\n{{ chart(indicator=\"ni-63\", kind=\"trend\") }}\n\n{{ chart(table=\"x\", rows=\"2-3\") }}\n";
        let (found, errors) = find(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 2);
        assert_eq!(found[0].args["indicator"], "ni-63");
        assert_eq!(parse_rows("2-3,5").unwrap(), vec![2, 3, 5]);
    }

    #[test]
    fn reports_malformed() {
        let (_, errors) = find("{{ chart(indicatr=\"x\") }}\n{{ chart(table=x) }}\n{{ graph() }}");
        assert_eq!(errors.len(), 3);
        assert!(errors[0].1.contains("unknown chart argument `indicatr`"));
        assert!(errors[1].1.contains("double quotes"));
        assert!(errors[2].1.contains("unknown shortcode"));
    }
}
