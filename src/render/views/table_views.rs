//! Tables of figures: cells formatted by their column's kind, groups and totals.

use super::*;

/// A table of figures ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    /// Anchor id.
    pub id: String,
    /// Caption.
    pub title: String,
    /// Unit line.
    pub unit: Option<String>,
    /// Column headers with alignment.
    pub columns: Vec<ColumnView>,
    /// Row groups.
    pub groups: Vec<GroupView>,
    /// Total row cells.
    pub total: Option<Vec<CellView>>,
    /// Notes (HTML).
    pub notes_html: Option<String>,
    /// Charts drawn from the table.
    pub charts: Vec<Chart>,
    /// Disclosure footnote, when a figure was suppressed.
    pub footnote: Option<String>,
}

/// A column header.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnView {
    /// Header text.
    pub label: String,
    /// True for numeric columns (right-aligned).
    pub numeric: bool,
}

/// Rows under an optional heading.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    /// Heading.
    pub title: Option<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<CellView>>,
    /// Note.
    pub note: Option<String>,
}

/// One cell.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    /// Text to show (HTML, escaped).
    pub html: String,
    /// Right-align.
    pub numeric: bool,
    /// Negative number.
    pub negative: bool,
}

pub(crate) fn cell_view(ctx: &Ctx, c: &Cell, kind: ColumnKind) -> CellView {
    match c {
        Cell::Blank => CellView {
            html: if !kind.is_figures() {
                String::new()
            } else {
                "–".into()
            },
            numeric: kind.is_figures(),
            negative: false,
        },
        // A reference is shown as written (no thousands separator).
        Cell::Number(v) if kind == ColumnKind::Ref => CellView {
            html: v.to_string(),
            numeric: false,
            negative: false,
        },
        Cell::Number(v) => CellView {
            html: format_number(*v, crate::model::value::natural_decimals(*v)),
            numeric: true,
            negative: *v < 0.0,
        },
        Cell::Percent(v) => CellView {
            html: Unit::Percent.format(*v, crate::model::value::natural_decimals(*v)),
            numeric: true,
            negative: *v < 0.0,
        },
        Cell::Text(t) => CellView {
            html: ctx.abbr(t),
            numeric: kind.is_figures(),
            negative: false,
        },
    }
}

/// Build the view of `table`.
pub fn table_view(ctx: &Ctx, table: &Table) -> TableView {
    // Worked out (and its problems reported) when the table was validated.
    let computed = ctx.facts.table(table, &ctx.lp.file);
    let disclosure = ctx.site.config.disclosure.as_ref();
    let suppressed = std::cell::Cell::new(false);
    let row = |cells: &[Cell]| -> Vec<CellView> {
        cells
            .iter()
            .zip(&table.columns)
            .map(|(c, col)| match (disclosure, c.number()) {
                (Some(d), Some(v)) if col.suppress && d.hides(v) => {
                    suppressed.set(true);
                    CellView {
                        html: escape(&d.marker),
                        numeric: true,
                        negative: false,
                    }
                }
                _ => cell_view(ctx, c, col.kind),
            })
            .collect()
    };
    TableView {
        id: format!("{}table-{}", ctx.anchor_prefix, slug(&table.id.value)),
        title: table.title.clone(),
        unit: table.unit.clone(),
        columns: table
            .columns
            .iter()
            .map(|c| ColumnView {
                label: c.label.clone().unwrap_or_else(|| c.key.clone()),
                numeric: c.kind.is_figures(),
            })
            .collect(),
        groups: computed
            .groups
            .iter()
            .map(|g| GroupView {
                title: g.title.clone(),
                rows: g.rows.iter().map(|r| row(&r.cells)).collect(),
                note: g.note.clone(),
            })
            .collect(),
        total: computed.total.as_deref().map(|cells| {
            // In the total row, an unsummed column is left empty rather than shown as "–".
            row(cells)
                .into_iter()
                .zip(cells)
                .map(|(mut v, c)| {
                    if *c == Cell::Blank {
                        v.html.clear();
                    }
                    v
                })
                .collect()
        }),
        notes_html: table.notes.as_deref().map(|n| ctx.md(n, 3)),
        // Fields are evaluated in order: the rows above have been drawn by now.
        footnote: disclosure
            .filter(|_| suppressed.get())
            .map(|d| d.footnote()),
        charts: match ctx.charts_for_table(table, &computed) {
            Ok(c) => c,
            Err(e) => {
                let at = table
                    .chart
                    .iter()
                    .flat_map(|c| c.columns.first())
                    .next()
                    .map_or(table.id.pos, |c| c.pos);
                ctx.diags.borrow_mut().error(
                    &ctx.lp.file,
                    Some(at),
                    format!("chart of table `{}`: {e}", table.id.value),
                );
                Vec::new()
            }
        },
    }
}
