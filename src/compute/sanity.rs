//! Checks a board secretary would want before a pack goes out: figures and
//! lists that parse but cannot be right.
//!
//! - a baseline later than the indicator's first target (warning);
//! - a negative figure for a count of people (error);
//! - a pack that lists the same plan twice (error);
//! - two sections of a plan with the same id, which is their anchor (error).
//!
//! Each diagnostic points at the value at fault: the figure's cell in a CSV
//! file, or its value in the YAML.

use std::collections::BTreeMap;
use std::path::Path;

use super::{each_indicator, slug};
use crate::diagnostics::Diagnostics;
use crate::model::{
    Calendar, Cell, Indicator, LoadedPack, LoadedPlan, Located, Period, Pos, Section, Site, Table,
    Unit,
};

/// Run every check on the loaded site.
pub fn check(site: &Site, diags: &mut Diagnostics) {
    for lp in &site.packs {
        pack_lists_each_plan_once(lp, diags);
    }
    let disclosure = site.config.disclosure.is_some();
    for lp in &site.plans {
        section_ids_unique(lp, diags);
        each_indicator(&lp.plan, &mut |ind| {
            baseline_before_targets(site.config.calendar, lp, ind, diags);
            if ind.unit == Some(Unit::Count) {
                counts_not_negative(lp, ind, disclosure, diags);
            }
        });
        for t in &lp.plan.tables {
            count_columns_not_negative(lp, t, disclosure, diags);
        }
    }
}

/// The anchor id of a section: its `id`, else a slug of its number and title.
pub fn section_id(s: &Section) -> String {
    match &s.id {
        Some(id) => id.value.clone(),
        None => match &s.number {
            Some(n) => slug(&format!("{n} {}", s.title)),
            None => slug(&s.title),
        },
    }
}

/// A pack that names a plan twice would print it twice; point at the second.
fn pack_lists_each_plan_once(lp: &LoadedPack, diags: &mut Diagnostics) {
    let mut first: BTreeMap<&str, Pos> = BTreeMap::new();
    for id in &lp.pack.plans {
        if let Some(at) = first.get(id.value.as_str()) {
            diags.error_hint(
                &lp.file,
                Some(id.pos),
                format!(
                    "plan `{}` is listed twice in this pack (first on line {})",
                    id.value, at.line
                ),
                "a pack shows each plan once: take the second entry out of `plans:`",
            );
        } else {
            first.insert(&id.value, id.pos);
        }
    }
}

/// Two sections of a plan may not share an anchor. An `id:` the author wrote
/// is an error when another section has the same id; two titles that make the
/// same id are not (the pages number the second anchor).
fn section_ids_unique(lp: &LoadedPlan, diags: &mut Diagnostics) {
    /// The first section seen with an id: its title, and its `id:` if written.
    struct First<'a> {
        title: &'a str,
        written: Option<&'a Located<String>>,
        reported: bool,
    }
    fn walk<'a>(
        sections: &'a [Section],
        seen: &mut BTreeMap<String, First<'a>>,
        lp: &LoadedPlan,
        diags: &mut Diagnostics,
    ) {
        for s in sections {
            let id = section_id(s);
            match seen.get_mut(&id) {
                None => {
                    seen.insert(
                        id,
                        First {
                            title: &s.title,
                            written: s.id.as_ref(),
                            reported: false,
                        },
                    );
                }
                Some(first) => {
                    let hint = format!(
                        "a section's id is its anchor on the plan page (`#s-{id}`), so each must be different: give this section another `id:`"
                    );
                    if let Some(own) = &s.id {
                        let other = match first.written {
                            Some(w) => format!("section `{}` on line {}", first.title, w.pos.line),
                            None => format!("section `{}` (made from its title)", first.title),
                        };
                        diags.error_hint(
                            &lp.file,
                            Some(own.pos),
                            format!("section id `{id}` is already used by {other}"),
                            hint,
                        );
                    } else if let Some(w) = first.written
                        && !first.reported
                    {
                        first.reported = true;
                        diags.error_hint(
                            &lp.file,
                            Some(w.pos),
                            format!(
                                "section id `{id}` is also the id made from the title of section `{}`",
                                s.title
                            ),
                            hint,
                        );
                    }
                }
            }
            walk(&s.sections, seen, lp, diags);
        }
    }
    walk(&lp.plan.sections, &mut BTreeMap::new(), lp, diags);
}

/// A baseline after the first target period is almost always a typo in one of the periods.
fn baseline_before_targets(
    cal: Calendar,
    lp: &LoadedPlan,
    ind: &Indicator,
    diags: &mut Diagnostics,
) {
    let Some(b) = &ind.baseline else {
        return;
    };
    let Some((first, _)) = ind
        .targets
        .iter()
        .min_by_key(|(p, _)| (cal.start_index(p.value), p.value.months()))
    else {
        return;
    };
    // Later means wholly after: a yearly baseline over a first quarterly target is fine.
    if cal.start_index(b.period) <= cal.end_index(first.value) {
        return;
    }
    let (target_file, _) = place_of(lp, first);
    diags.warning_hint(
        &lp.file,
        Some(b.pos),
        format!(
            "indicator `{}`: the baseline is for {}, after its first target ({})",
            ind.title, b.period, first.value
        ),
        format!(
            "a baseline is the figure the targets start from, so it comes before them: check this period and the first target's ({}:{})",
            portable(target_file),
            first.pos.line
        ),
    );
}

/// Counts of people are never below zero.
fn counts_not_negative(
    lp: &LoadedPlan,
    ind: &Indicator,
    disclosure: bool,
    diags: &mut Diagnostics,
) {
    let hint = count_hint(
        "if the figures are changes or differences, give the indicator `unit: number`",
        disclosure,
    );
    if let Some(b) = &ind.baseline
        && b.value.value < 0.0
    {
        let at = diags
            .source(&lp.file)
            .and_then(|t| value_after_key(t, b.pos))
            .unwrap_or(b.pos);
        diags.error_hint(
            &lp.file,
            Some(at),
            format!(
                "indicator `{}`: the baseline is {}, but its unit is `count` and a count cannot be below zero",
                ind.title,
                number(b.value.value)
            ),
            hint.clone(),
        );
    }
    let negative: Vec<(&str, &Located<Period>, f64)> =
        [("actual", &ind.actuals), ("target", &ind.targets)]
            .into_iter()
            .flat_map(|(what, series)| series.iter().map(move |(p, f)| (what, p, f.value)))
            .filter(|(_, _, v)| *v < 0.0)
            .collect();
    for (what, p, v) in negative.iter().take(MAX_EACH) {
        let (file, at) = figure_place(lp, p, what, diags);
        diags.error_hint(
            file,
            Some(at),
            format!(
                "indicator `{}`: the {what} for {} is {}, but its unit is `count` and a count cannot be below zero",
                ind.title,
                p.value,
                number(*v)
            ),
            hint.clone(),
        );
    }
    if let Some((_, p, _)) = negative.get(MAX_EACH) {
        let (file, at) = place_of(lp, p);
        diags.error(
            file,
            Some(at),
            format!(
                "indicator `{}`: {} more figures below zero from here on",
                ind.title,
                negative.len() - MAX_EACH
            ),
        );
    }
}

/// At most this many figures below zero are reported one by one for an
/// indicator or a column; the rest are counted in one more error, so a large
/// CSV of negatives costs no more than a small one to report.
const MAX_EACH: usize = 10;

/// Cells of a `suppress: true` column (counts of people) are never below zero.
fn count_columns_not_negative(
    lp: &LoadedPlan,
    table: &Table,
    disclosure: bool,
    diags: &mut Diagnostics,
) {
    let hint = count_hint(
        "if the column holds changes or differences, take `suppress: true` off it",
        disclosure,
    );
    for (k, col) in table.columns.iter().enumerate() {
        if !col.suppress || col.formula.is_some() {
            continue;
        }
        let negative: Vec<(&Located<Vec<Cell>>, f64)> = table
            .rows
            .iter()
            .chain(table.groups.iter().flat_map(|g| g.rows.iter()))
            .filter_map(|row| Some((row, row.value.get(k).and_then(Cell::number)?)))
            .filter(|(_, v)| *v < 0.0)
            .collect();
        for (row, v) in negative.iter().take(MAX_EACH) {
            let file = row
                .file
                .as_deref()
                .map_or(lp.file.as_path(), |f| f.as_path());
            let at = match (&row.file, diags.source(file)) {
                (Some(_), Some(t)) => csv_cell(t, row.pos.line, &col.key),
                (None, Some(t)) => flow_item(t, row.pos, k),
                _ => None,
            }
            .unwrap_or(row.pos);
            diags.error_hint(
                file,
                Some(at),
                format!(
                    "table `{}`, column `{}`: {} is below zero, but the column counts people (`suppress: true`)",
                    table.id.value,
                    col.key,
                    number(*v)
                ),
                hint.clone(),
            );
        }
        if let Some((row, _)) = negative.get(MAX_EACH) {
            let file = row
                .file
                .as_deref()
                .map_or(lp.file.as_path(), |f| f.as_path());
            diags.error(
                file,
                Some(row.pos),
                format!(
                    "table `{}`, column `{}`: {} more cells below zero from here on",
                    table.id.value,
                    col.key,
                    negative.len() - MAX_EACH
                ),
            );
        }
    }
}

fn count_hint(fix: &str, disclosure: bool) -> String {
    if disclosure {
        format!(
            "{fix}; a count below zero would also slip past the site's small-number suppression"
        )
    } else {
        fix.to_string()
    }
}

/// A figure as written, without thousands separators or trailing zeros.
fn number(v: f64) -> String {
    format!("{v}")
}

/// The file a series entry came from (the plan YAML or its data CSV) and its place.
fn place_of<'a>(lp: &'a LoadedPlan, p: &'a Located<Period>) -> (&'a Path, Pos) {
    (
        p.file.as_deref().map_or(lp.file.as_path(), |f| f.as_path()),
        p.pos,
    )
}

/// Where the `what` figure (`actual` or `target`) of the series entry keyed `p`
/// was written: its cell in the data CSV, or the value after the period in the YAML.
fn figure_place<'a>(
    lp: &'a LoadedPlan,
    p: &'a Located<Period>,
    what: &str,
    diags: &Diagnostics,
) -> (&'a Path, Pos) {
    let (file, pos) = place_of(lp, p);
    let at = diags.source(file).and_then(|t| match p.file {
        Some(_) => csv_cell(t, pos.line, what),
        None => value_after_key(t, pos),
    });
    (file, at.unwrap_or(pos))
}

/// A path written with `/`, as diagnostics print it.
fn portable(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The line `n` (from 1) of `text`.
fn line_of(text: &str, n: usize) -> Option<&str> {
    text.lines().nth(n.checked_sub(1)?)
}

/// Fields of one line of comma-separated items: (column from 1, trimmed text).
/// Commas inside double quotes do not split; with `flow`, the items of a YAML
/// `[a, b]` list are read (single quotes count too, and `]` ends the list).
fn fields(line: &str, from_col: usize, flow: bool) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut start: Option<usize> = None;
    let mut current = String::new();
    let mut col = from_col;
    for c in line.chars().skip(from_col.saturating_sub(1)) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"') => quote = Some('"'),
            (None, '\'') if flow => quote = Some('\''),
            (None, ',') => {
                out.push((start.unwrap_or(col), current.trim().to_string()));
                current.clear();
                start = None;
                col += 1;
                continue;
            }
            (None, ']') if flow => break,
            _ => {}
        }
        if start.is_none() && !c.is_whitespace() {
            start = Some(col);
        }
        current.push(c);
        col += 1;
    }
    out.push((start.unwrap_or(col), current.trim().to_string()));
    out
}

/// The place of the cell under the header `key` on line `line` of CSV `text`.
fn csv_cell(text: &str, line: usize, key: &str) -> Option<Pos> {
    let header = text
        .lines()
        .find(|l| l.split(',').any(|c| !c.trim().is_empty()))?;
    let index = fields(header, 1, false)
        .iter()
        .position(|(_, h)| h.trim_matches('"').trim() == key)?;
    let (column, _) = *fields(line_of(text, line)?, 1, false).get(index)?;
    Some(Pos { line, column })
}

/// The place of item `index` of the one-line YAML list `[a, b, c]` starting at `at`.
fn flow_item(text: &str, at: Pos, index: usize) -> Option<Pos> {
    let line = line_of(text, at.line)?;
    let rest: String = line.chars().skip(at.column.saturating_sub(1)).collect();
    if !rest.starts_with('[') {
        return None;
    }
    let (column, _) = *fields(line, at.column + 1, true).get(index)?;
    Some(Pos {
        line: at.line,
        column,
    })
}

/// The place of the value in `key: value` when the key starts at `key`.
fn value_after_key(text: &str, key: Pos) -> Option<Pos> {
    let line = line_of(text, key.line)?;
    let chars: Vec<char> = line.chars().collect();
    let mut i = key.column.checked_sub(1)?;
    while chars.get(i).is_some_and(|&c| c != ':') {
        i += 1;
    }
    i += 1;
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    match chars.get(i) {
        Some(&c) if c != '#' => Some(Pos {
            line: key.line,
            column: i + 1,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostic, Severity};

    const SITE: &str = "title: T\norganisation: O\n";

    /// Check a site made of `files` (paths under `content/`); the diagnostics.
    fn run(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join("content").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut diags = Diagnostics::new();
        crate::check(dir.path(), &mut diags);
        diags.sorted().into_iter().cloned().collect()
    }

    fn plan(body: &str) -> String {
        format!("id: p\ntitle: P\nkind: Action plan\n{body}")
    }

    /// The one diagnostic whose message contains `needle`, as (severity, file, line, column).
    fn one(diags: &[Diagnostic], needle: &str) -> (Severity, String, usize, usize) {
        let found: Vec<&Diagnostic> = diags
            .iter()
            .filter(|d| d.message.contains(needle))
            .collect();
        assert_eq!(found.len(), 1, "{needle}: {diags:#?}");
        let d = found[0];
        assert!(d.hint.is_some(), "no hint: {d:?}");
        let p = d.pos.expect("located");
        (d.severity, portable(&d.file), p.line, p.column)
    }

    #[test]
    fn fields_split_on_commas_outside_quotes() {
        let f = fields(r#"a,"b, c", d"#, 1, false);
        assert_eq!(f.iter().map(|x| x.0).collect::<Vec<_>>(), [1, 3, 11]);
        let f = fields("  - ['x, y', -3, 4]  # note", 5, true);
        assert_eq!(f[1], (14, "-3".to_string()));
        assert_eq!(f.len(), 3);
    }

    #[test]
    fn places_of_values() {
        let csv = "\narea,\"children\"\nx,-3\n";
        assert_eq!(
            csv_cell(csv, 3, "children"),
            Some(Pos { line: 3, column: 3 })
        );
        assert_eq!(csv_cell(csv, 3, "none"), None);
        assert_eq!(csv_cell(csv, 9, "area"), None);
        let yaml = "actuals: {2016/17 Q1:   -3}\n";
        assert_eq!(
            value_after_key(
                yaml,
                Pos {
                    line: 1,
                    column: 11
                }
            ),
            Some(Pos {
                line: 1,
                column: 25
            })
        );
        assert_eq!(
            value_after_key("k: # c\n", Pos { line: 1, column: 1 }),
            None
        );
        assert_eq!(value_after_key("", Pos { line: 4, column: 1 }), None);
        assert_eq!(flow_item("- a\n", Pos { line: 1, column: 1 }, 0), None);
    }

    #[test]
    fn baseline_after_first_target_is_a_located_warning() {
        let d = run(&[
            ("site.yaml", SITE),
            (
                "plans/p/plan.yaml",
                &plan(
                    "indicators:\n  - id: i\n    title: I\n    baseline: {period: 2017/18, value: 3}\n    targets: {2018/19: 4, 2016/17: 5}\n",
                ),
            ),
        ]);
        let (sev, file, line, col) = one(&d, "after its first target (2016/17)");
        assert_eq!(sev, Severity::Warning);
        assert_eq!(
            (file.as_str(), line, col),
            ("content/plans/p/plan.yaml", 7, 24)
        );
    }

    #[test]
    fn baseline_overlapping_or_before_the_first_target_is_fine() {
        for (baseline, targets) in [
            ("2016/17", "{2016/17 Q1: 4}"),
            ("2015/16", "{2016/17: 4}"),
            ("2016/17 Q2", "{2016/17: 4}"),
            ("2016/17", "{2016/17: 4}"),
        ] {
            let d = run(&[
                ("site.yaml", SITE),
                (
                    "plans/p/plan.yaml",
                    &plan(&format!(
                        "indicators:\n  - id: i\n    title: I\n    baseline: {{period: {baseline}, value: 3}}\n    targets: {targets}\n"
                    )),
                ),
            ]);
            assert!(
                !d.iter().any(|x| x.message.contains("baseline")),
                "{baseline} / {targets}: {d:#?}"
            );
        }
    }

    #[test]
    fn negative_counts_are_errors_at_the_figure() {
        let d = run(&[
            (
                "site.yaml",
                &format!("{SITE}disclosure: {{threshold: 5}}\n"),
            ),
            (
                "plans/p/plan.yaml",
                &plan(
                    "indicators:\n  - id: i\n    title: Children in care\n    unit: count\n    baseline: {period: 2015/16, value: -1}\n    actuals: {2016/17: -2}\n    data: d.csv\n  - id: j\n    title: Change\n    unit: number\n    actuals: {2016/17: -2}\n",
                ),
            ),
            ("plans/p/d.csv", "period,target,actual\n2017/18,-4,5\n"),
        ]);
        let (sev, file, line, col) = one(&d, "the baseline is -1");
        assert_eq!(sev, Severity::Error);
        assert_eq!(
            (file.as_str(), line, col),
            ("content/plans/p/plan.yaml", 8, 40)
        );
        let (_, file, line, col) = one(&d, "the actual for 2016/17 is -2");
        assert_eq!(
            (file.as_str(), line, col),
            ("content/plans/p/plan.yaml", 9, 24)
        );
        let (_, file, line, col) = one(&d, "the target for 2017/18 is -4");
        assert_eq!((file.as_str(), line, col), ("content/plans/p/d.csv", 2, 9));
        let errors: Vec<&Diagnostic> = d.iter().filter(|x| x.severity == Severity::Error).collect();
        assert_eq!(
            errors.len(),
            3,
            "the `number` indicator may go below zero: {d:#?}"
        );
        assert!(errors.iter().all(|x| {
            x.hint
                .as_deref()
                .unwrap()
                .contains("small-number suppression")
        }));
    }

    #[test]
    fn negative_cells_in_count_columns_are_errors_at_the_cell() {
        let table = |rows: &str| {
            plan(&format!(
                "tables:\n  - id: t\n    title: T\n    columns:\n      - {{key: area}}\n      - {{key: change, type: number}}\n      - {{key: children, type: number, suppress: true}}\n{rows}sections:\n  - title: S\n    tables: [t]\n"
            ))
        };
        let d = run(&[
            ("site.yaml", SITE),
            (
                "plans/p/plan.yaml",
                &table("    rows:\n      - [North, -1, 3]\n      - ['South, east', -2, -7]\n"),
            ),
        ]);
        let (sev, file, line, col) = one(&d, "column `children`: -7 is below zero");
        assert_eq!(sev, Severity::Error);
        assert_eq!(
            (file.as_str(), line, col),
            ("content/plans/p/plan.yaml", 13, 29)
        );
        assert_eq!(d.len(), 1, "{d:#?}");

        let d = run(&[
            ("site.yaml", SITE),
            ("plans/p/plan.yaml", &table("    csv: t.csv\n")),
            (
                "plans/p/t.csv",
                "children,area,change\n1,\"A, b\",-1\n-12,C,0\n",
            ),
        ]);
        let (_, file, line, col) = one(&d, "-12 is below zero");
        assert_eq!((file.as_str(), line, col), ("content/plans/p/t.csv", 3, 1));
        assert_eq!(d.len(), 1, "{d:#?}");
    }

    #[test]
    fn many_negative_counts_are_reported_ten_at_a_time_then_counted() {
        let mut table = String::from("area,children\n");
        let mut series = String::from("period,actual\n");
        for i in 0..5000 {
            table += &format!("a{i},-{i}1\n");
        }
        for m in 1..=12 {
            series += &format!("2016-{m:02},-1\n");
        }
        let d = run(&[
            ("site.yaml", SITE),
            (
                "plans/p/plan.yaml",
                &plan(
                    "tables:\n  - id: t\n    title: T\n    columns: [{key: area}, {key: children, type: number, suppress: true}]\n    csv: t.csv\nindicators:\n  - id: i\n    title: I\n    unit: count\n    data: s.csv\n",
                ),
            ),
            ("plans/p/t.csv", &table),
            ("plans/p/s.csv", &series),
        ]);
        let errors = |file: &str| {
            d.iter()
                .filter(|x| x.severity == Severity::Error && portable(&x.file) == file)
                .collect::<Vec<_>>()
        };
        let t = errors("content/plans/p/t.csv");
        assert_eq!(t.len(), MAX_EACH + 1);
        assert_eq!(
            t[MAX_EACH].pos,
            Some(Pos {
                line: 12,
                column: 1
            })
        );
        assert!(
            t[MAX_EACH]
                .message
                .ends_with("4990 more cells below zero from here on")
        );
        let s = errors("content/plans/p/s.csv");
        assert_eq!(s.len(), MAX_EACH + 1);
        assert!(
            s[MAX_EACH]
                .message
                .ends_with(": 2 more figures below zero from here on")
        );
    }

    #[test]
    fn a_pack_listing_a_plan_twice_is_an_error_at_the_second() {
        let d = run(&[
            ("site.yaml", SITE),
            ("plans/p/plan.yaml", &plan("")),
            (
                "packs/q1.yaml",
                "title: Pack\nboard: Board\nmeeting_date: 2016-07-20\nperiod: 2016/17 Q1\nplans:\n  - p\n  - p\n",
            ),
        ]);
        let (sev, file, line, col) = one(
            &d,
            "plan `p` is listed twice in this pack (first on line 6)",
        );
        assert_eq!(sev, Severity::Error);
        assert_eq!((file.as_str(), line, col), ("content/packs/q1.yaml", 7, 5));
    }

    #[test]
    fn duplicate_section_ids_are_errors_at_the_written_id() {
        let d = run(&[
            ("site.yaml", SITE),
            (
                "plans/p/plan.yaml",
                &plan(
                    "sections:\n  - {id: intro, title: A}\n  - title: B\n    sections:\n      - {id: intro, title: C}\n  - {id: background, title: D}\n  - title: Background\n  - title: Same\n  - title: Same\n",
                ),
            ),
        ]);
        let (sev, file, line, col) = one(
            &d,
            "section id `intro` is already used by section `A` on line 5",
        );
        assert_eq!(sev, Severity::Error);
        assert_eq!(
            (file.as_str(), line, col),
            ("content/plans/p/plan.yaml", 8, 14)
        );
        let (_, _, line, col) = one(
            &d,
            "section id `background` is also the id made from the title of section `Background`",
        );
        assert_eq!((line, col), (9, 10));
        // Two titles alike are no error: the page numbers the second anchor.
        assert_eq!(d.len(), 2, "{d:#?}");
    }

    #[test]
    fn a_written_id_after_a_title_that_makes_it_is_an_error_at_the_id() {
        let d = run(&[
            ("site.yaml", SITE),
            (
                "plans/p/plan.yaml",
                &plan("sections:\n  - {number: '2', title: Aims}\n  - {id: 2-aims, title: X}\n"),
            ),
        ]);
        let (_, _, line, col) = one(
            &d,
            "section id `2-aims` is already used by section `Aims` (made from its title)",
        );
        assert_eq!((line, col), (6, 10));
    }
}
