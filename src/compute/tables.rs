//! Tables of figures: derived columns (`total = staff + other + central`),
//! total rows, and checks that stated figures agree with their parts.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::model::{Cell, ColumnKind, Located, Pos, Table};

/// One term of a column formula: +1 or -1 times a column.
type Term = (f64, usize);

/// A computed row.
#[derive(Debug, Clone)]
pub struct Row {
    /// Cells in column order, derived columns filled in.
    pub cells: Vec<Cell>,
}

/// A group of computed rows under a heading.
#[derive(Debug, Clone)]
pub struct Group {
    /// Heading, if the rows are grouped.
    pub title: Option<String>,
    /// Rows.
    pub rows: Vec<Row>,
    /// Note under the group.
    pub note: Option<String>,
}

/// A table with its derived columns and total computed.
#[derive(Debug, Clone)]
pub struct Computed {
    /// Groups in order (one untitled group for ungrouped rows).
    pub groups: Vec<Group>,
    /// The total row (label in the first text column), when the table has one.
    pub total: Option<Vec<Cell>>,
}

/// Parse `a + b - c` against the table's column keys.
fn parse_formula(formula: &str, keys: &[&str]) -> Result<Vec<Term>, String> {
    let mut terms = Vec::new();
    let mut sign = 1.0;
    let mut expect_operand = true;
    for tok in formula.split_whitespace() {
        match (tok, expect_operand) {
            ("+", false) => {
                sign = 1.0;
                expect_operand = true;
            }
            ("-", false) => {
                sign = -1.0;
                expect_operand = true;
            }
            (name, true) => match keys.iter().position(|k| *k == name) {
                Some(i) => {
                    terms.push((sign, i));
                    expect_operand = false;
                }
                None => {
                    return Err(format!(
                        "formula `{formula}` names `{name}`, which is not a column (columns: {})",
                        keys.join(", ")
                    ));
                }
            },
            (op, false) => {
                return Err(format!(
                    "formula `{formula}`: expected + or - between column names, found `{op}`"
                ));
            }
        }
    }
    if expect_operand {
        return Err(format!(
            "formula `{formula}` is incomplete: write column names joined by + and -, e.g. `staff + other - income`"
        ));
    }
    Ok(terms)
}

/// Figures within half a unit are taken to agree (sources round to whole numbers).
const AGREE: f64 = 0.5 + 1e-9;

fn where_of<'a>(row: &'a Located<Vec<Cell>>, yaml: &'a Path) -> (&'a Path, Pos) {
    (row.file.as_deref().map_or(yaml, |p| p.as_path()), row.pos)
}

/// Validate and compute `table`; problems go to `diags` against `yaml` or the CSV.
pub fn compute(table: &Table, yaml: &Path, diags: &mut Diagnostics) -> Computed {
    let keys: Vec<&str> = table.columns.iter().map(|c| c.key.as_str()).collect();
    let formulas: Vec<Option<Vec<Term>>> = table
        .columns
        .iter()
        .map(|c| {
            let f = c.formula.as_ref()?;
            match parse_formula(f, &keys) {
                Ok(t) => Some(t),
                Err(e) => {
                    diags.error(
                        yaml,
                        Some(table.id.pos),
                        format!("table `{}`: {e}", table.id.value),
                    );
                    None
                }
            }
        })
        .collect();

    let mut compute_row = |row: &Located<Vec<Cell>>| -> Row {
        let (file, pos) = where_of(row, yaml);
        let mut cells = row.value.clone();
        if cells.len() != keys.len() {
            diags.error(
                file,
                Some(pos),
                format!(
                    "table `{}`: this row has {} cells but the table has {} columns ({})",
                    table.id.value,
                    cells.len(),
                    keys.len(),
                    keys.join(", ")
                ),
            );
            cells.resize(keys.len(), Cell::Blank);
        }
        for (i, col) in table.columns.iter().enumerate() {
            if col.kind == ColumnKind::Number
                && let Cell::Text(t) = &cells[i]
            {
                diags.error(
                    file,
                    Some(pos),
                    format!(
                        "table `{}`, column `{}`: `{t}` is not a number (write a number, or leave it blank or `-`)",
                        table.id.value, col.key
                    ),
                );
            }
        }
        for (i, terms) in formulas.iter().enumerate() {
            let Some(terms) = terms else { continue };
            let parts: Vec<Option<f64>> = terms.iter().map(|(_, c)| cells[*c].number()).collect();
            if parts.iter().all(Option::is_none) {
                continue;
            }
            let sum: f64 = terms
                .iter()
                .zip(&parts)
                .map(|((s, _), v)| s * v.unwrap_or(0.0))
                .sum();
            match cells[i] {
                Cell::Number(stated) if (stated - sum).abs() > AGREE => diags.warning(
                    file,
                    Some(pos),
                    format!(
                        "table `{}`: `{}` is stated as {} but {} gives {}",
                        table.id.value,
                        keys[i],
                        fmt(stated),
                        table.columns[i].formula.as_deref().unwrap_or(""),
                        fmt(sum)
                    ),
                ),
                Cell::Number(_) => {}
                _ => cells[i] = Cell::Number(sum),
            }
        }
        Row { cells }
    };

    let mut groups = Vec::new();
    if !table.rows.is_empty() {
        groups.push(Group {
            title: None,
            rows: table.rows.iter().map(&mut compute_row).collect(),
            note: None,
        });
    }
    for g in &table.groups {
        groups.push(Group {
            title: Some(g.title.clone()),
            rows: g.rows.iter().map(&mut compute_row).collect(),
            note: g.note.clone(),
        });
    }

    let total = table.total.as_ref().map(|spec| {
        let mut cells = vec![Cell::Blank; keys.len()];
        if let Some(label_col) = table.columns.iter().position(|c| c.kind == ColumnKind::Text) {
            cells[label_col] = Cell::Text(spec.label.clone());
        }
        for (i, col) in table.columns.iter().enumerate() {
            if col.sum {
                let sum: f64 = groups
                    .iter()
                    .flat_map(|g| &g.rows)
                    .filter_map(|r| r.cells[i].number())
                    .sum();
                cells[i] = Cell::Number(sum);
            }
        }
        for (key, stated) in spec.stated.iter() {
            match keys.iter().position(|k| *k == key.value) {
                None => diags.error(
                    yaml,
                    Some(key.pos),
                    format!(
                        "table `{}`: stated total for `{}`, which is not a column",
                        table.id.value, key.value
                    ),
                ),
                Some(i) if !table.columns[i].sum => diags.error(
                    yaml,
                    Some(key.pos),
                    format!(
                        "table `{}`: stated total for `{}`, but that column is not summed (add `sum: true`)",
                        table.id.value, key.value
                    ),
                ),
                Some(i) => {
                    let computed = cells[i].number().unwrap_or(0.0);
                    if (computed - stated.value).abs() > AGREE {
                        diags.warning(
                            yaml,
                            Some(stated.pos),
                            format!(
                                "table `{}`: the stated total of `{}` is {} but its rows add up to {}",
                                table.id.value,
                                key.value,
                                fmt(stated.value),
                                fmt(computed)
                            ),
                        );
                    }
                }
            }
        }
        cells
    });
    Computed { groups, total }
}

fn fmt(v: f64) -> String {
    crate::model::value::format_number(v, crate::model::value::natural_decimals(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(yaml: &str) -> Table {
        serde_saphyr::from_str(yaml).unwrap()
    }

    const BUDGET: &str = "id: b\ntitle: B\ncolumns:\n  - {key: area}\n  - {key: staff, type: number, sum: true}\n  - {key: other, type: number, sum: true}\n  - {key: total, type: number, sum: true, formula: staff + other}\nrows:\n  - [A, 1, 2, 3]\n  - [B, 10, 20, ~]\n  - [C, 5, 5, 11]\ntotal:\n  label: TOTAL\n  stated: {total: 44}\n";

    #[test]
    fn fills_derived_and_warns_on_disagreement() {
        let t = table(BUDGET);
        let mut d = Diagnostics::new();
        let c = compute(&t, Path::new("plan.yaml"), &mut d);
        assert_eq!(c.groups[0].rows[1].cells[3], Cell::Number(30.0));
        let total = c.total.unwrap();
        assert_eq!(total[0], Cell::Text("TOTAL".into()));
        assert_eq!(total[3], Cell::Number(44.0));
        let out = d.render();
        assert!(
            out.contains("`total` is stated as 11 but staff + other gives 10"),
            "{out}"
        );
        assert!(!out.contains("stated total"), "{out}");
        assert!(!d.has_errors());
    }

    #[test]
    fn text_in_number_column_and_bad_formula_are_errors() {
        let t = table(
            &BUDGET
                .replace("[A, 1, 2, 3]", "[A, lots, 2, 3]")
                .replace("staff + other", "staff + othr"),
        );
        let mut d = Diagnostics::new();
        compute(&t, Path::new("plan.yaml"), &mut d);
        let out = d.render();
        assert!(out.contains("`lots` is not a number"), "{out}");
        assert!(out.contains("names `othr`, which is not a column"), "{out}");
    }
}
