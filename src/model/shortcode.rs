//! Chart shortcodes in Markdown: `{{ chart(indicator="ni-63", kind="trend") }}`
//! on a line of its own places a chart in a section's text.

use std::collections::BTreeMap;

use crate::limits::MAX_CHART_ROWS;

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

/// Parse `rows="2-3,5"` into 1-based inclusive ranges, as written.
///
/// Nothing is expanded here: a range is only a pair of numbers until
/// [`pick_rows`] has checked it against the table, so `rows="1-4000000000"`
/// costs nothing. A list of more parts than a chart may have rows is refused.
pub fn parse_rows(spec: &str) -> Result<Vec<(usize, usize)>, String> {
    let mut out = Vec::new();
    let bad = || format!("rows=\"{spec}\": expected row numbers like \"1,3\" or \"2-4\"");
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if out.len() == MAX_CHART_ROWS {
            return Err(too_many(spec));
        }
        let (a, b): (usize, usize) = match part.split_once('-') {
            Some((a, b)) => (
                a.trim().parse().map_err(|_| bad())?,
                b.trim().parse().map_err(|_| bad())?,
            ),
            None => {
                let n = part.parse().map_err(|_| bad())?;
                (n, n)
            }
        };
        if a == 0 {
            return Err(format!("rows=\"{spec}\": rows are numbered from 1"));
        }
        if b < a {
            return Err(bad());
        }
        out.push((a, b));
    }
    Ok(out)
}

fn too_many(spec: &str) -> String {
    let shown: String = spec.chars().take(40).collect();
    let more = if shown.len() < spec.len() { "…" } else { "" };
    format!(
        "rows=\"{shown}{more}\" picks more than {MAX_CHART_ROWS} rows, the most a chart can show"
    )
}

/// The 0-based row indexes `ranges` pick from `available` rows.
///
/// Every range is checked against `available`, and their total against
/// [`MAX_CHART_ROWS`], before anything is allocated.
pub fn pick_rows(ranges: &[(usize, usize)], available: usize) -> Result<Vec<usize>, String> {
    let mut total = 0usize;
    for &(a, b) in ranges {
        if b > available {
            let bad = if a > available { a } else { b };
            return Err(format!(
                "row {bad} does not exist: the rows chosen have {available} rows"
            ));
        }
        total = total.saturating_add(b - a + 1);
    }
    if total > MAX_CHART_ROWS {
        return Err(format!(
            "the rows chosen are {total} rows, more than the {MAX_CHART_ROWS} a chart can show"
        ));
    }
    let mut out = Vec::with_capacity(total);
    for &(a, b) in ranges {
        out.extend(a - 1..b);
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
        assert_eq!(parse_rows("2-3,5").unwrap(), vec![(2, 3), (5, 5)]);
        assert_eq!(
            pick_rows(&parse_rows("2-3,5").unwrap(), 5).unwrap(),
            [1, 2, 4]
        );
    }

    #[test]
    fn reports_malformed() {
        let (_, errors) = find("{{ chart(indicatr=\"x\") }}\n{{ chart(table=x) }}\n{{ graph() }}");
        assert_eq!(errors.len(), 3);
        assert!(errors[0].1.contains("unknown chart argument `indicatr`"));
        assert!(errors[1].1.contains("double quotes"));
        assert!(errors[2].1.contains("unknown shortcode"));
    }

    /// The defect of issue 8: a range of four billion rows was expanded into a
    /// vector before it was compared with the table, and the process aborted.
    #[test]
    fn huge_ranges_are_refused_before_anything_is_allocated() {
        let ranges = parse_rows("1-4000000000").unwrap();
        let e = pick_rows(&ranges, 12).unwrap_err();
        assert!(e.contains("row 4000000000 does not exist"), "{e}");
        assert!(e.contains("12 rows"), "{e}");
        // Every range fits, but together they pick too many rows.
        let many = ["1-400"; 3].join(",");
        let e = pick_rows(&parse_rows(&many).unwrap(), 1000).unwrap_err();
        assert!(e.contains("are 1200 rows"), "{e}");
        // A list longer than a chart may be is refused while parsing.
        let list = vec!["1"; MAX_CHART_ROWS + 1].join(",");
        assert!(
            parse_rows(&list)
                .unwrap_err()
                .contains("more than 500 rows")
        );
        assert!(parse_rows("1-99999999999999999999999").is_err());
        assert!(parse_rows("0-3").unwrap_err().contains("numbered from 1"));
        assert!(parse_rows("3-1").is_err());
    }
}
