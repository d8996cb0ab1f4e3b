//! A small boardpack site made from a string of bytes, for fuzzing the whole
//! build (load → compute → render).
//!
//! Each byte steers one choice: how many plans, sections, indicators and
//! tables, which id, period, figure, unit, colour or chart shortcode. Most
//! choices come from values a real plan holds, a few from hostile ones (ids
//! with `..` and quotes, markup in titles, impossible periods, rows that do not
//! exist), so most sites load and reach the renderer and some fail on purpose.
//! Missing bytes read as zero, which always picks an ordinary value: the empty
//! input makes a small valid site.
//!
//! Shared by `tests/build_props.rs` (a bounded proptest on stable Rust) and
//! `fuzz/fuzz_targets/build_site.rs` (libFuzzer).

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// Reads choices from fuzz bytes; zero once they run out.
pub struct Choices<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Whether hostile values are picked at all (two sites in three).
    hostile: bool,
}

impl<'a> Choices<'a> {
    /// Choices read from `bytes`; the first byte says whether the site is hostile.
    pub fn new(bytes: &'a [u8]) -> Self {
        let mut c = Choices {
            bytes,
            at: 0,
            hostile: false,
        };
        c.hostile = !c.byte().is_multiple_of(3);
        c
    }

    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    /// A number in `0..n` (`n` ≥ 1).
    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }

    /// True about once in `n` times (never when the bytes have run out).
    fn one_in(&mut self, n: u8) -> bool {
        let b = self.byte();
        b != 0 && b.is_multiple_of(n)
    }

    /// An ordinary value mostly; in a hostile site, an odd one about once in sixteen.
    fn pick<'p>(&mut self, usual: &[&'p str], odd: &[&'p str]) -> &'p str {
        if self.one_in(16) && self.hostile && !odd.is_empty() {
            odd[self.below(odd.len())]
        } else {
            usual[self.below(usual.len())]
        }
    }
}

const IDS: [&str; 6] = ["p", "q", "ni-63", "plan-2", "lac-1", "s1"];
const ODD_IDS: [&str; 12] = [
    "../x",
    "../../../etc/x",
    "a/b",
    "x\" onload=\"alert(1)",
    "zw\u{200b}j",
    "",
    " ",
    "CON",
    "x.y",
    "<b>",
    "p",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];
const TEXTS: [&str; 6] = [
    "Placement stability",
    "Children looked after",
    "Reviews on time",
    "Budget and savings",
    "LAC and CSMF",
    "Care leavers in work",
];
const ODD_TEXTS: [&str; 12] = [
    "<script>alert(1)</script>",
    "**bold** and _it_",
    "a & b < c",
    "[link](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "£1,234 – 5%",
    "",
    "Line\nbreak",
    "{{ not a chart }}",
    "# heading",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "\u{202e}gnol",
];
const PERIODS: [&str; 7] = [
    "2015/16",
    "2016/17",
    "2016/17 Q1",
    "2016/17 Q2",
    "2016/17 Q4",
    "2017/18",
    "2016-05",
];
const ODD_PERIODS: [&str; 4] = ["2016/17 Q5", "2016", "2016/18", "1/2"];
/// Written the same in YAML and CSV (the quotes keep `1,234` one value in both).
const NUMBERS: [&str; 6] = ["0", "1", "12", "57.1", "66", "100"];
const ODD_NUMBERS: [&str; 8] = [
    "-3",
    "101",
    "-0.5",
    "1e3",
    "12%",
    "9999999",
    "x",
    "\"1,234\"",
];
const UNITS: [&str; 5] = ["count", "'%'", "number", "days", "£k"];
const ODD_UNITS: [&str; 2] = ["rate per 10,000", "furlongs"];
const DATES: [&str; 4] = ["2016-07-01", "2016-09", "2017-03-31", "2016-05-15"];
const ODD_DATES: [&str; 2] = ["2016-02-30", "2016-13"];
const RAGS: [&str; 4] = ["red", "amber", "green", "blue"];
const COLOURS: [&str; 4] = ["\"#1d4f91\"", "navy", "\"#abc\"", "\"#F2A900\""];
const ODD_COLOURS: [&str; 4] = [
    "\"expression(alert(1))\"",
    "url(x)",
    "\"red;}\"",
    "rgb(0,0,0)",
];
const INCLUDES: [&str; 8] = [
    "objectives",
    "actions",
    "indicators",
    "risks",
    "key_figures",
    "keys",
    "glossary",
    "tags",
];
const KINDS: [&str; 6] = ["trend", "in_year", "bars", "hbar", "stacked", "line"];
const ROWS: [&str; 4] = ["1", "2", "1,2", "1-2"];
/// Row choices that are wrong but cheap. A range in the billions is left out
/// until shortcode ranges are checked before anything is allocated (issue 8).
const ODD_ROWS: [&str; 5] = ["0", "3-1", "1-50", "x", "99"];
const COLUMN_TYPES: [&str; 3] = ["number", "figure", "text"];

/// A YAML double-quoted scalar holding exactly `s`.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One plan's ids, for shortcodes and packs to refer to.
struct PlanIds {
    id: String,
    indicators: Vec<String>,
    /// Each table's id, column keys and whether its rows are under the group `G`.
    tables: Vec<(String, Vec<String>, bool)>,
}

/// The files of a site made from `bytes`: (path under the site root, text).
pub fn site(bytes: &[u8]) -> Vec<(String, String)> {
    let mut c = Choices::new(bytes);
    let mut files = Vec::new();
    let mut site = String::from("title: Fuzz site\norganisation: Fuzz council\n");
    if !c.one_in(5) {
        let _ = writeln!(site, "as_at: {}", c.pick(&DATES, &ODD_DATES));
    }
    if c.one_in(3) {
        site.push_str("glossary:\n  LAC: Looked after children\n  CSMF: Children's services management forum\n");
    }
    if c.one_in(3) {
        let _ = writeln!(
            site,
            "branding:\n  primary_colour: {}\n  accent_colour: {}",
            c.pick(&COLOURS, &ODD_COLOURS),
            c.pick(&COLOURS, &ODD_COLOURS)
        );
    }
    if c.one_in(3) {
        site.push_str("disclosure: {threshold: 5}\n");
    }
    if c.one_in(4) {
        site.push_str("keys:\n  priority: [{name: High}, {name: Low}]\n");
    }
    files.push(("content/site.yaml".to_string(), site));

    let mut plans = Vec::new();
    for n in 0..1 + c.below(3) {
        let (plan_files, ids) = plan(&mut c, n);
        files.extend(plan_files);
        plans.push(ids);
    }
    for n in 0..c.below(3) {
        files.push((
            format!("content/packs/pack-{n}.yaml"),
            pack(&mut c, n, &plans),
        ));
    }
    files
}

fn plan(c: &mut Choices, n: usize) -> (Vec<(String, String)>, PlanIds) {
    let dir = format!("content/plans/plan{n}");
    let mut files = Vec::new();
    let id = if n == 0 {
        c.pick(&["p"], &ODD_IDS).to_string()
    } else {
        format!("{}{n}", c.pick(&IDS, &ODD_IDS))
    };
    let mut y = format!(
        "id: {}\ntitle: {}\nkind: Action plan\n",
        q(&id),
        q(c.pick(&TEXTS, &ODD_TEXTS))
    );
    if c.one_in(4) {
        let _ = writeln!(y, "as_at: {}", c.pick(&DATES, &ODD_DATES));
    }
    let mut ids = PlanIds {
        id,
        indicators: Vec::new(),
        tables: Vec::new(),
    };

    // Indicators and tables first, so sections can refer to them.
    let mut inds = String::new();
    for i in 0..c.below(4) {
        inds += &indicator(c, &dir, n, i, &mut files, &mut ids);
    }
    let mut tables = String::new();
    for t in 0..c.below(3) {
        tables += &table(c, &dir, t, &mut files, &mut ids);
    }

    let sections = c.below(4);
    if sections > 0 {
        y.push_str("sections:\n");
        let mut count = 0;
        for _ in 0..sections {
            section(c, &ids, 1, &mut count, &mut y);
        }
    }
    let actions = c.below(4);
    if actions > 0 {
        y.push_str("actions:\n");
        for a in 0..actions {
            action(c, a, &mut y);
        }
    }
    if !inds.is_empty() {
        y.push_str("indicators:\n");
        y += &inds;
    }
    if !tables.is_empty() {
        y.push_str("tables:\n");
        y += &tables;
    }
    files.push((format!("{dir}/plan.yaml"), y));
    (files, ids)
}

fn section(c: &mut Choices, ids: &PlanIds, depth: usize, count: &mut usize, y: &mut String) {
    let pad = "  ".repeat(depth);
    *count += 1;
    // Titles repeat (their anchors are numbered); written ids do not, unless hostile.
    let _ = writeln!(y, "{pad}- title: {}", q(c.pick(&TEXTS, &ODD_TEXTS)));
    if c.one_in(3) {
        let id = format!("part-{count}");
        let _ = writeln!(y, "{pad}  id: {}", q(c.pick(&[id.as_str()], &ODD_IDS)));
    }
    if c.one_in(4) {
        let _ = writeln!(y, "{pad}  number: {}", q(&(1 + c.below(9)).to_string()));
    }
    let mut body = String::new();
    for _ in 0..c.below(4) {
        if c.one_in(2) {
            body += &shortcode(c, ids);
        } else {
            body += c.pick(&TEXTS, &ODD_TEXTS);
        }
        body += "\n\n";
    }
    if !body.is_empty() {
        let _ = writeln!(y, "{pad}  body: {}", q(&body));
    }
    if !ids.tables.is_empty() && c.one_in(3) {
        let t = &ids.tables[c.below(ids.tables.len())].0;
        let _ = writeln!(y, "{pad}  tables: [{}]", q(t));
    }
    if c.one_in(2) {
        let _ = writeln!(y, "{pad}  include: [{}]", INCLUDES[c.below(INCLUDES.len())]);
    }
    if depth < 3 && c.one_in(4) {
        let _ = writeln!(y, "{pad}  sections:");
        for _ in 0..1 + c.below(2) {
            section(c, ids, depth + 2, count, y);
        }
    }
}

/// A chart shortcode naming one of the plan's indicators or tables (or not).
fn shortcode(c: &mut Choices, ids: &PlanIds) -> String {
    let mut args = Vec::new();
    if !ids.tables.is_empty() && (ids.indicators.is_empty() || c.one_in(2)) {
        let (t, cols, grouped) = &ids.tables[c.below(ids.tables.len())];
        args.push(format!("table=\"{t}\""));
        if c.one_in(2) {
            args.push(format!("kind=\"{}\"", c.pick(&KINDS[2..], &KINDS[..2])));
        }
        if c.one_in(2) {
            args.push(format!("rows=\"{}\"", c.pick(&ROWS, &ODD_ROWS)));
        }
        if c.one_in(3) {
            let k = c.below(cols.len());
            let col = c.pick(&[cols[k].as_str()], &["nope", "a"]);
            args.push(format!("columns=\"{col}\""));
        }
        if c.one_in(3) {
            let group = c.pick(&["G"], &["g", "<b>"]);
            if *grouped || group != "G" {
                args.push(format!("group=\"{group}\""));
            }
        }
    } else if !ids.indicators.is_empty() {
        let i = &ids.indicators[c.below(ids.indicators.len())];
        args.push(format!("indicator=\"{i}\""));
        if c.one_in(2) {
            args.push(format!("kind=\"{}\"", c.pick(&KINDS[..2], &KINDS[2..])));
        }
    } else {
        args.push("indicator=\"none\"".to_string());
    }
    if c.one_in(4) {
        args.push(format!("title=\"{}\"", c.pick(&TEXTS, &["<b>x</b>"])));
    }
    if c.one_in(8) {
        let last = args.len() - 1;
        args.swap(0, last);
    }
    format!("{{{{ chart({}) }}}}", args.join(", "))
}

fn action(c: &mut Choices, a: usize, y: &mut String) {
    let _ = writeln!(y, "  - ref: '{}'", a + 1);
    let _ = writeln!(y, "    description: {}", q(c.pick(&TEXTS, &ODD_TEXTS)));
    if !c.one_in(4) {
        let _ = writeln!(
            y,
            "    leads: [{}]",
            q(c.pick(&["Head of Service"], &["CSMF"]))
        );
    }
    if c.one_in(2) {
        let _ = writeln!(y, "    target_date: {}", c.pick(&DATES, &ODD_DATES));
    }
    if c.one_in(2) {
        let _ = writeln!(y, "    rag: {}", c.pick(&RAGS, &["purple"]));
    }
    if c.one_in(3) {
        let _ = writeln!(
            y,
            "    progress:\n      - {{period: {}, text: {}, rag: {}}}",
            c.pick(&PERIODS, &ODD_PERIODS),
            q(c.pick(&TEXTS, &ODD_TEXTS)),
            c.pick(&RAGS, &[])
        );
    }
}

fn indicator(
    c: &mut Choices,
    dir: &str,
    plan: usize,
    i: usize,
    files: &mut Vec<(String, String)>,
    ids: &mut PlanIds,
) -> String {
    // Indicator ids are site-wide: the plan's number keeps them apart.
    let id = format!("{}{plan}-{i}", c.pick(&["ni"], &ODD_IDS));
    ids.indicators.push(id.clone());
    let mut y = format!(
        "  - id: {}\n    title: {}\n    unit: {}\n    polarity: {}\n",
        q(&id),
        q(c.pick(&TEXTS, &ODD_TEXTS)),
        c.pick(&UNITS, &ODD_UNITS),
        ["higher_is_better", "lower_is_better"][c.below(2)]
    );
    if c.one_in(2) {
        y += "    data_owner: Performance team\n    frequency: quarterly\n";
    }
    if c.one_in(3) {
        let _ = writeln!(
            y,
            "    baseline: {{period: {}, value: {}}}",
            c.pick(&PERIODS, &ODD_PERIODS),
            c.pick(&NUMBERS, &ODD_NUMBERS)
        );
    }
    // Figures in the YAML or in a data file: the same period in both is an error.
    let from_csv = c.one_in(3);
    for field in ["targets", "actuals"] {
        let n = if from_csv { 0 } else { c.below(4) };
        if n > 0 {
            // Distinct periods: a key given twice is a YAML error, tested elsewhere.
            let first = c.below(PERIODS.len());
            let mut entries = Vec::new();
            for k in 0..n {
                let period = c.pick(&[PERIODS[(first + k) % PERIODS.len()]], &ODD_PERIODS);
                entries.push(format!("{period}: {}", c.pick(&NUMBERS, &ODD_NUMBERS)));
            }
            let _ = writeln!(y, "    {field}: {{{}}}", entries.join(", "));
        }
    }
    if from_csv {
        let name = format!("data{i}.csv");
        let mut csv = String::from("period,actual,target,note\n");
        let first = c.below(PERIODS.len());
        for k in 0..c.below(5) {
            let _ = writeln!(
                csv,
                "{},{},{},{}",
                c.pick(&[PERIODS[(first + k) % PERIODS.len()]], &ODD_PERIODS),
                c.pick(&NUMBERS, &ODD_NUMBERS),
                c.pick(&NUMBERS, &["", "-"]),
                c.pick(&["", "revised"], &["\"a, b\"", "<i>x</i>"])
            );
        }
        files.push((format!("{dir}/{name}"), csv));
        let _ = writeln!(y, "    data: {name}");
    }
    if c.one_in(4) {
        let _ = writeln!(y, "    commentary: {}", q(c.pick(&TEXTS, &ODD_TEXTS)));
    }
    y
}

fn table(
    c: &mut Choices,
    dir: &str,
    t: usize,
    files: &mut Vec<(String, String)>,
    ids: &mut PlanIds,
) -> String {
    let id = format!("{}{t}", c.pick(&["t"], &ODD_IDS));
    let mut cols = vec!["area".to_string()];
    let mut y = format!(
        "  - id: {}\n    title: {}\n    columns:\n      - {{key: area}}\n",
        q(&id),
        q(c.pick(&TEXTS, &ODD_TEXTS))
    );
    for k in 0..1 + c.below(3) {
        let key = format!("c{k}");
        let _ = writeln!(
            y,
            "      - {{key: {key}, type: {}, sum: {}, suppress: {}}}",
            c.pick(&COLUMN_TYPES[..2], &COLUMN_TYPES[2..]),
            c.one_in(2),
            c.one_in(4)
        );
        cols.push(key);
    }
    let rows = c.below(5);
    let mut grouped = false;
    let cell = |c: &mut Choices| c.pick(&NUMBERS, &ODD_NUMBERS).to_string();
    if c.one_in(3) {
        let name = format!("table{t}.csv");
        let mut csv = format!("{}\n", cols.join(","));
        for r in 0..rows {
            let mut line = format!("Row {r}");
            for _ in 1..cols.len() {
                line.push(',');
                line += &cell(c);
            }
            csv += &line;
            csv.push('\n');
        }
        files.push((format!("{dir}/{name}"), csv));
        let _ = writeln!(y, "    csv: {name}");
    } else if c.one_in(4) {
        grouped = true;
        y.push_str("    groups:\n      - title: G\n        rows:\n");
        for r in 0..1 + rows {
            let cells: Vec<String> = (1..cols.len()).map(|_| cell(c)).collect();
            let _ = writeln!(
                y,
                "          - [{}, {}]",
                q(&format!("Row {r}")),
                cells.join(", ")
            );
        }
    } else {
        y.push_str("    rows:\n");
        for r in 0..1 + rows {
            let cells: Vec<String> = (1..cols.len()).map(|_| cell(c)).collect();
            let _ = writeln!(
                y,
                "      - [{}, {}]",
                q(&format!("Row {r}")),
                cells.join(", ")
            );
        }
    }
    if c.one_in(2) {
        y.push_str("    total: {label: Total}\n");
    }
    if c.one_in(3) {
        let _ = writeln!(y, "    chart: {{kind: {}}}", c.pick(&KINDS[2..], &["pie"]));
    }
    ids.tables.push((id.clone(), cols, grouped));
    y
}

fn pack(c: &mut Choices, n: usize, plans: &[PlanIds]) -> String {
    // Each pack its own quarter: two for one quarter would share a URL.
    let mut y = format!(
        "title: Pack\nboard: Board\nmeeting_date: 2016-07-20\nperiod: {}\nplans:\n",
        c.pick(&[PERIODS[2 + n]], &ODD_PERIODS)
    );
    let first = c.below(plans.len());
    for k in 0..1 + c.below(plans.len()) {
        let usual = plans[(first + k) % plans.len()].id.as_str();
        let p = c.pick(&[usual], &["nope", plans[0].id.as_str()]);
        let _ = writeln!(y, "  - {}", q(p));
    }
    if c.one_in(3) {
        y.push_str("parts: [summary, exceptions, plans, appendices]\n");
    }
    y
}

/// Write `files` under `root`, replacing any `content/` folder already there.
pub fn write(root: &Path, files: &[(String, String)]) {
    let content = root.join("content");
    if content.exists() {
        std::fs::remove_dir_all(&content).expect("clear content/");
    }
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("make folder");
        std::fs::write(&path, text).expect("write file");
    }
}
