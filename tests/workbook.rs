//! Workbooks wherever a CSV file can be named: an `.xlsx` table and series
//! build to the same pages as their CSV twins, and a bad cell is reported
//! by sheet and cell.

mod common;

use std::path::Path;

use common::{boardpack, repo, stderr};
use rust_xlsxwriter::{Format, Workbook};

/// A cell to write.
enum V<'a> {
    /// A number.
    N(f64),
    /// Text.
    S(&'a str),
    /// A number formatted as a percentage (stored as the fraction, as Excel does).
    P(f64),
    /// Nothing.
    Blank,
}
use V::*;

/// Write a workbook at `path` with one sheet `name` holding `rows`, starting
/// at `first_row` (0-based; rows above stay empty).
fn write_book(path: &Path, name: &str, first_row: u32, rows: &[&[V]]) {
    let mut book = Workbook::new();
    let percent = Format::new().set_num_format("0.0%");
    let sheet = book.add_worksheet();
    sheet.set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        let r = first_row + r as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                N(v) => sheet.write_number(r, c, *v).map(|_| ()),
                S(s) => sheet.write_string(r, c, *s).map(|_| ()),
                P(v) => sheet
                    .write_number_with_format(r, c, *v, &percent)
                    .map(|_| ()),
                Blank => Ok(()),
            }
            .unwrap();
        }
    }
    // A second sheet, so `sheet:` has to choose.
    book.add_worksheet().set_name("Notes").unwrap();
    book.save(path).unwrap();
}

/// The budget table of docs/examples/csv-data as a sheet (header in row 2).
fn budget(path: &Path, kinship_staff: V) {
    write_book(
        path,
        "Budget",
        1,
        &[
            &[
                S("group"),
                S("area"),
                S("staff"),
                S("other"),
                S("total"),
                S("comment"),
            ],
            &[
                S("Fostering Service"),
                S("In-house fostering"),
                N(1020.0),
                N(310.0),
            ],
            &[
                S("Fostering Service"),
                S("Kinship care"),
                kinship_staff,
                N(90.0),
                Blank,
                S("Includes special guardianship support"),
            ],
            &[S("Residential"), S("Children's homes"), N(450.0), N(270.0)],
            &[
                Blank,
                S("Leaving care"),
                S("-"),
                S("-"),
                Blank,
                S("Not known"),
            ],
        ],
    );
}

/// The placement-moves series as a sheet, actuals formatted as percentages.
fn moves(path: &Path) {
    write_book(
        path,
        "Moves",
        0,
        &[
            &[S("period"), S("actual"), S("target"), S("note")],
            &[S("2024/25"), Blank, N(10.0)],
            &[S("2024/25 Q1"), P(0.104)],
            &[S("2024/25 Q2"), P(0.098), Blank, S("Provisional")],
            &[S("2024/25 Q3"), N(10.9)],
        ],
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

const PLAN: &str = "content/plans/placements-budget/plan.yaml";

/// The csv-data example with its CSV files swapped for workbooks.
fn workbook_site(root: &Path, kinship_staff: V) {
    copy_dir(&repo().join("docs/examples/csv-data"), root);
    let data = root.join("content/plans/placements-budget/data");
    budget(&data.join("budget.xlsx"), kinship_staff);
    moves(&data.join("placement-moves.xlsx"));
    let plan = std::fs::read_to_string(root.join(PLAN)).unwrap();
    let plan = plan
        .replacen(
            "csv: data/budget.csv ",
            "csv: data/budget.xlsx\n    sheet: Budget\n    range: A2:F6\n   ",
            1,
        )
        .replacen(
            "data: data/placement-moves.csv ",
            "data: data/placement-moves.xlsx\n    sheet: Moves\n   ",
            1,
        );
    assert!(plan.contains("budget.xlsx") && plan.contains("placement-moves.xlsx"));
    std::fs::write(root.join(PLAN), plan).unwrap();
}

fn build(root: &Path) -> std::path::PathBuf {
    let out = root.join("output");
    let o = boardpack(&["build", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}: {}", root.display(), stderr(&o));
    out
}

#[test]
fn an_xlsx_table_and_series_build_the_same_pages_as_their_csv_twins() {
    let tmp = tempfile::tempdir().unwrap();
    let (csv, xlsx) = (tmp.path().join("csv"), tmp.path().join("xlsx"));
    copy_dir(&repo().join("docs/examples/csv-data"), &csv);
    workbook_site(&xlsx, N(240.0));
    let (a, b) = (build(&csv), build(&xlsx));
    for (page, figure) in [
        ("plans/placements-budget.html", "1,020"),
        ("indicators/illus-placement-moves.html", "10.4%"),
    ] {
        let (a, b) = (common::read(&a, page), common::read(&b, page));
        assert!(a.contains(figure), "{page} has the figures");
        assert_eq!(a, b, "{page} differs between the CSV and the workbook site");
    }
}

#[test]
fn a_bad_cell_is_reported_by_workbook_sheet_and_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    workbook_site(&root, S("lots"));
    let o = boardpack(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "content/plans/placements-budget/data/budget.xlsx, sheet Budget, cell C4: table `budget`, column `staff`: `lots` is not a number"
        ),
        "{err}"
    );

    // A sheet that is not there, with a suggestion.
    let plan = std::fs::read_to_string(root.join(PLAN)).unwrap();
    std::fs::write(
        root.join(PLAN),
        plan.replace("sheet: Moves", "sheet: moves"),
    )
    .unwrap();
    let err = stderr(&boardpack(&["check", "--root", root.to_str().unwrap()]));
    assert!(err.contains("has no sheet `moves`"), "{err}");
    assert!(err.contains("did you mean `Moves`?"), "{err}");
}

/// docs/examples/workbook-data is the csv-data example kept in workbooks.
/// `BOARDPACK_BLESS=1` rewrites its workbooks from the sheets above.
#[test]
fn the_workbook_example_reads_its_committed_workbooks() {
    let data = repo().join("docs/examples/workbook-data/content/plans/placements-budget/data");
    if std::env::var_os("BOARDPACK_BLESS").is_some() {
        std::fs::create_dir_all(&data).unwrap();
        budget(&data.join("budget.xlsx"), N(240.0));
        moves(&data.join("placement-moves.xlsx"));
    }
    let site = repo().join("docs/examples/workbook-data");
    let plan = std::fs::read_to_string(site.join(PLAN)).unwrap();
    assert!(plan.contains("csv: data/budget.xlsx") && plan.contains("sheet: Moves"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = boardpack(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(common::read(&out, "plans/placements-budget.html").contains("1,020"));
}
