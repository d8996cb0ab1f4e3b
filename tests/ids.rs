//! Identifiers and output paths: an id never writes outside `--out` and never
//! puts live markup into a page.
//!
//! Two lines of defence are tested: the identifier rule checked at load
//! (through the binary, on sites whose ids are hostile), and, behind it,
//! escaping at every output site and the writer's own path check (through the
//! library, on a model whose ids were set after loading, as if the rule had
//! a hole).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use boardpack::diagnostics::Diagnostics;
use boardpack::model::{Located, Objective, Pos, Section, Site, ident};
use boardpack::render::charts::{DataTable, Line, LineSpec, line_chart};
use boardpack::write::{paths, write_output};
use common::{GOOD_PLAN, boardpack, small_site, stderr};
use proptest::prelude::*;

/// Every file under `dir`, relative to it.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    v.sort();
    v
}

/// The example plan with an indicator id of `id`, a section body that
/// places charts, and a board pack.
fn site_with_indicator_id(dir: &Path, id: &str) {
    let plan = GOOD_PLAN
        .replace("      - id: t-1a\n", &format!("      - id: '{id}'\n"))
        .replace(
            "  - title: Money\n    tables: [money]\n",
            "  - id: money-section\n    title: Money\n    body: |\n      Spend.\n\n      {{ chart(indicator=\"t-1a\") }}\n\n      {{ chart(table=\"money\", title=\"Budget\") }}\n    tables: [money]\n",
        );
    small_site(dir, &plan);
    fs::create_dir_all(dir.join("content/packs")).unwrap();
    fs::write(
        dir.join("content/packs/q1.yaml"),
        "title: Quarterly pack\nboard: Test board\nmeeting_date: 2016-08-01\nperiod: 2016/17 Q1\nplans: [p]\n",
    )
    .unwrap();
}

/// The old build wrote `indicators/<id>.html` from an unchecked id, so
/// `../../../x` landed two folders above `--out`. Now `check` and `build`
/// both refuse it with a located error and nothing is written anywhere.
#[test]
fn indicator_id_that_climbs_fails_check_and_build_and_writes_nothing_outside_out() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    site_with_indicator_id(&site, "../../../x");
    let out = tmp.path().join("a/b/out");
    fs::create_dir_all(out.parent().unwrap()).unwrap();
    let before = files_under(tmp.path());

    let o = boardpack(&["check", "--root", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "content/plans/p/plan.yaml:27:13: indicator id `../../../x` is not a valid id"
        ),
        "{}",
        stderr(&o)
    );

    for args in [vec![], vec!["--force"]] {
        let mut a = vec![
            "build",
            "--root",
            site.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        a.extend(args);
        let o = boardpack(&a);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("`../../../x` is not a valid id"));
    }
    assert_eq!(files_under(tmp.path()), before, "something was written");
    assert!(!out.exists());
}

/// The same site with a good id builds, and its pages stay in their folders.
#[test]
fn a_valid_indicator_id_builds_its_page() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    site_with_indicator_id(&site, "t-1a");
    let out = tmp.path().join("out");
    let o = boardpack(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("indicators/t-1a.html").is_file());
    assert!(out.join("packs/2016-17-q1/index.html").is_file());
}

/// Load the test site (validated), ready to be poisoned.
fn loaded_site(dir: &Path) -> Site {
    site_with_indicator_id(dir, "t-1a");
    let mut diags = Diagnostics::new();
    let site = boardpack::load::load_site(dir, &mut diags).expect("the test site loads");
    boardpack::compute::validate(&site, &mut diags);
    assert!(!diags.has_errors(), "{}", diags.render());
    site
}

/// Put `id` wherever the content gives an id or ref, after validation, as
/// if the identifier rule had a hole: plan, pack, section, table and
/// indicator ids, action refs, and the chart shortcodes that name them
/// (where the shortcode syntax can hold the id).
fn poison(site: &mut Site, id: &str) {
    let located = |s: &str| Located::new(s.to_string(), Pos::default(), None);
    fn sections(ss: &mut [Section], id: &str, in_shortcodes: bool) {
        for s in ss {
            s.id = Some(Located::new(id.to_string(), Pos::default(), None));
            for t in &mut s.tables {
                t.value = id.to_string();
            }
            if let Some(b) = &mut s.body {
                b.value = if in_shortcodes {
                    b.value
                        .replace("\"t-1a\"", &format!("\"{id}\""))
                        .replace("\"money\"", &format!("\"{id}\""))
                } else {
                    "Spend.".into()
                };
            }
            sections(&mut s.sections, id, in_shortcodes);
        }
    }
    fn objectives(os: &mut [Objective], id: &str) {
        for o in os {
            o.reference = Some(id.to_string());
            for i in &mut o.indicators {
                i.id = Some(Located::new(id.to_string(), Pos::default(), None));
                i.reference = Some(id.to_string());
                i.codes = vec![id.to_string()];
            }
            for a in &mut o.actions {
                a.reference = Some(Located::new(id.to_string(), Pos::default(), None));
            }
            objectives(&mut o.objectives, id);
        }
    }
    // The shortcode syntax has no escapes: a value ends at the next `"`.
    let in_shortcodes = !id.contains(['"', '\n', '\r']);
    for lp in &mut site.plans {
        lp.plan.id = located(id);
        sections(&mut lp.plan.sections, id, in_shortcodes);
        for t in &mut lp.plan.tables {
            t.id = located(id);
        }
        objectives(&mut lp.plan.objectives, id);
    }
    for p in &mut site.packs {
        p.pack.id = Some(located(id));
        p.slug = id.to_string();
        for plan in &mut p.pack.plans {
            plan.value = id.to_string();
        }
    }
}

/// Every attribute of every start tag in `html`, as (tag, name, value).
///
/// Text content and attribute values are expected escaped, so a `<` that
/// opens a tag is markup and a quote ends a value; `<style>` bodies and
/// comments are skipped. Unquoted values are refused: every output site
/// quotes, so one would mean a value broke out.
fn attributes(html: &str) -> Result<Vec<(String, String, String)>, String> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = html[i..].find('<') {
        i += k;
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").ok_or("unclosed comment")? + 3;
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("</") || rest.starts_with("<?") {
            i += rest.find('>').ok_or("unclosed tag")? + 1;
            continue;
        }
        if !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            return Err(format!("a raw `<` in text: {}", excerpt(html, i)));
        }
        let mut j = i + 1;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
            j += 1;
        }
        let tag = html[i + 1..j].to_ascii_lowercase();
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            match b.get(j) {
                None => return Err("unclosed tag".into()),
                Some(b'>') => {
                    j += 1;
                    break;
                }
                Some(b'/') if b.get(j + 1) == Some(&b'>') => {
                    j += 2;
                    break;
                }
                _ => {}
            }
            let start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !b"=>/".contains(&b[j]) {
                j += 1;
            }
            let name = html[start..j].to_ascii_lowercase();
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"-_:".contains(&c))
            {
                return Err(format!("odd attribute name `{name}`: {}", excerpt(html, i)));
            }
            let mut value = String::new();
            if b.get(j) == Some(&b'=') {
                j += 1;
                let q = *b.get(j).ok_or("unclosed tag")?;
                if q != b'"' && q != b'\'' {
                    return Err(format!("unquoted value of `{name}`: {}", excerpt(html, i)));
                }
                let end = html[j + 1..].find(q as char).ok_or("unclosed value")? + j + 1;
                value = html[j + 1..end].to_string();
                j = end + 1;
            }
            out.push((tag.clone(), name, value));
        }
        i = j;
        if tag == "style" || tag == "script" {
            let close = format!("</{tag}");
            i += html[i..].find(&close).ok_or("unclosed style")?;
        }
    }
    Ok(out)
}

fn excerpt(html: &str, i: usize) -> String {
    let start = html.floor_char_boundary(i.saturating_sub(60));
    let end = html.ceil_char_boundary((i + 80).min(html.len()));
    html[start..end].to_string()
}

/// No event handler or script link among the attributes of `html`.
fn no_live_attributes(path: &str, html: &str) -> Result<(), String> {
    for (tag, name, value) in attributes(html).map_err(|e| format!("{path}: {e}"))? {
        if name.starts_with("on") {
            return Err(format!("{path}: <{tag} {name}=\"{value}\">"));
        }
        let v = value.trim_start().to_ascii_lowercase();
        if (name == "href" || name == "src") && v.starts_with("javascript:") {
            return Err(format!("{path}: <{tag} {name}=\"{value}\">"));
        }
        if value.contains('<') {
            return Err(format!("{path}: unescaped `<` in <{tag} {name}>"));
        }
    }
    Ok(())
}

/// Render `site` after poisoning it with `id`; every page must keep its
/// attributes, and writing must either refuse or stay inside `out`.
fn render_and_write(site: &Site, root: &Path, id: &str) -> Result<(), String> {
    let mut site = site.clone();
    poison(&mut site, id);
    let mut diags = Diagnostics::new();
    let files = boardpack::render::render_to_vec(root, &site, false, &mut diags)
        .map_err(|e| format!("render failed for {id:?}: {e}\n{}", diags.render()))?;
    for f in &files {
        if f.path.ends_with(".html") || f.path.ends_with(".svg") {
            no_live_attributes(&f.path, &String::from_utf8_lossy(&f.bytes))?;
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("w/out");
    fs::create_dir_all(out.parent().unwrap()).unwrap();
    let result = write_output(&out, &files, false);
    let written = files_under(tmp.path());
    match &result {
        Ok(()) => {
            if let Some(p) = written.iter().find(|p| !p.starts_with("w/out")) {
                return Err(format!("{id:?}: wrote {} outside the output", p.display()));
            }
        }
        Err(_) if !written.is_empty() => {
            return Err(format!("{id:?}: a refused build left {written:?}"));
        }
        Err(_) => {}
    }
    // Writing is refused exactly when some path breaks the writer's rule.
    let all_safe = paths::check_all(files.iter().map(|f| f.path.as_str())).is_ok();
    if all_safe != result.is_ok() {
        return Err(format!("{id:?}: paths safe {all_safe}, write {result:?}"));
    }
    Ok(())
}

/// Ids that slipped past the rule reach every output site escaped, and the
/// writer refuses the paths they make: a quote and event handler, single
/// quotes and `<`, and a path that climbs.
#[test]
fn hostile_ids_past_validation_are_escaped_and_never_written() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let site = loaded_site(&root);
    for id in [
        "\" onload=\"alert(1)",
        "' onmouseover='alert(2)' x='<b>",
        "../../../x",
        "..\\..\\x",
        "/etc/x",
    ] {
        render_and_write(&site, &root, id).unwrap();
    }
    // Not vacuous: the poisoned id reaches the pages, escaped.
    let mut poisoned = site.clone();
    poison(&mut poisoned, "\" onload=\"alert(1)");
    let files =
        boardpack::render::render_to_vec(&root, &poisoned, false, &mut Diagnostics::new()).unwrap();
    let by_path: BTreeMap<&str, String> = files
        .iter()
        .map(|f| {
            (
                f.path.as_str(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    let page = &by_path["indicators/\" onload=\"alert(1).html"];
    assert!(
        page.contains("aria-labelledby=\"&quot; onload=&quot;alert(1)-trend-t"),
        "the chart's id is escaped in its attribute"
    );
    let plan = &by_path["plans/\" onload=\"alert(1).html"];
    assert!(
        plan.contains("id=\"s-&quot; onload=&quot;alert(1)"),
        "section id escaped"
    );
    assert!(
        plan.contains("href=\"#s-&quot; onload=&quot;alert(1)"),
        "contents link escaped"
    );
    let pack = &by_path["packs/\" onload=\"alert(1)/index.html"];
    assert!(pack.contains("data-for="), "pack contents rendered");
    let err = write_output(&tmp.path().join("out"), &files, false).unwrap_err();
    assert!(err.starts_with("refusing to write"), "{err}");
}

/// A chart drawn for an id holding a quote and a handler keeps its
/// attributes: the id is escaped where the SVG names its title and description.
#[test]
fn chart_svg_escapes_its_id() {
    let spec = LineSpec {
        id: "\" onload=\"alert(1)".into(),
        title: "T".into(),
        desc: "D".into(),
        x_labels: vec!["2016/17".into()],
        y_label: "%".into(),
        lines: vec![Line {
            name: "Actual".into(),
            points: vec![(0, 1.0)],
            dashed: false,
            colour: 0,
            labels: vec![],
        }],
        refs: vec![],
        fmt: boardpack::render::charts::plain,
        note: None,
        table: DataTable::default(),
        size: boardpack::render::charts::ChartSize::Half,
    };
    let c = line_chart(&spec, boardpack::render::mode::Mode::Build).unwrap();
    no_live_attributes("chart", &c.svg).unwrap();
    assert!(
        c.svg
            .contains("<title id=\"&quot; onload=&quot;alert(1)-t\">T</title>")
    );
}

/// The attribute scanner itself finds what it is for.
#[test]
fn the_attribute_scanner_catches_live_handlers() {
    assert!(no_live_attributes("x", "<svg id=\"a\" onload=\"alert(1)\">").is_err());
    assert!(no_live_attributes("x", "<svg id=\"\" onload=\"alert(1)\">").is_err());
    assert!(no_live_attributes("x", "<a href=\"javascript:x\">").is_err());
    assert!(no_live_attributes("x", "<a href=x>").is_err());
    assert!(no_live_attributes("x", "<p>1 < 2</p>").is_err());
    assert!(no_live_attributes("x", "<svg id=\"&quot; onload=&quot;x\"><p>a &lt; b</p>").is_ok());
}

/// A small site loaded once for the properties.
fn shared_site() -> &'static (tempfile::TempDir, Site) {
    static SITE: std::sync::OnceLock<(tempfile::TempDir, Site)> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let site = loaded_site(&tmp.path().join("site"));
        (tmp, site)
    })
}

/// Strings a hostile or careless author might use as ids.
fn any_id() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9-]{1,12}",
        prop::collection::vec(
            prop_oneof![
                Just("..".to_string()),
                Just("/".to_string()),
                Just("\\".to_string()),
                Just("\"".to_string()),
                Just("'".to_string()),
                Just("<".to_string()),
                Just(">".to_string()),
                Just(" onload=".to_string()),
                Just("\u{200B}".to_string()),
                Just("\u{202E}".to_string()),
                Just("\0".to_string()),
                Just("C:".to_string()),
                Just("é".to_string()),
                "[a-zA-Z0-9 .-]{0,4}",
            ],
            1..8
        )
        .prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// An id the rule accepts is a plain file name and needs no escaping; a
    /// path the writer accepts has plain parts only.
    #[test]
    fn accepted_ids_make_safe_paths_and_attributes(id in any_id()) {
        if ident::is_valid(&id) {
            let rel = paths::safe_relative(&format!("indicators/{id}.html")).unwrap();
            prop_assert_eq!(rel, Path::new("indicators").join(format!("{id}.html")));
            prop_assert!(!id.contains(['"', '\'', '<', '>', '&', ' ', '/', '\\', '.']));
        }
        for p in [format!("indicators/{id}.html"), format!("packs/{id}/index.html"), id.clone()] {
            if let Ok(rel) = paths::safe_relative(&p) {
                prop_assert!(rel.components().all(|c| matches!(c, std::path::Component::Normal(_))));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any id, rejected or not, placed in the model after validation, gives
    /// pages with no live attribute, and a write that stays inside the
    /// output or is refused.
    #[test]
    fn random_ids_past_validation_never_escape(id in any_id()) {
        let (tmp, site) = shared_site();
        let r = render_and_write(site, &tmp.path().join("site"), &id);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    /// Random chart shortcode arguments either give a located error or
    /// charts whose attributes are escaped; nothing is written outside the output.
    #[test]
    fn random_shortcode_arguments_never_escape(
        args in prop::collection::btree_map(
            prop::sample::select(boardpack::model::shortcode::ARGS.to_vec()),
            // A value cannot hold `"` or a line end; row numbers stay small
            // (huge row ranges are the resource limits' concern).
            "[^\"\n\r]{0,16}".prop_filter("no long numbers", |v| {
                !v.split(|c: char| !c.is_ascii_digit()).any(|d| d.len() > 4)
            }),
            1..5,
        ),
        indicator in prop::bool::ANY,
    ) {
        let (tmp, site) = shared_site();
        let root = tmp.path().join("site");
        let mut site = site.clone();
        let mut args: BTreeMap<&str, String> = args;
        args.remove("indicator");
        args.remove("table");
        let (k, v) = if indicator { ("indicator", "t-1a") } else { ("table", "money") };
        args.insert(k, v.to_string());
        let list: Vec<String> = args.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
        let body = format!("Text.\n\n{{{{ chart({}) }}}}\n", list.join(", "));
        site.plans[0].plan.sections[1].body = Some(Located::new(body, Pos { line: 1, column: 1 }, None));
        let mut diags = Diagnostics::new();
        match boardpack::render::render_to_vec(&root, &site, false, &mut diags) {
            Err(_) => prop_assert!(diags.has_errors(), "a failure without a diagnostic"),
            Ok(files) => {
                for f in &files {
                    if f.path.ends_with(".html") {
                        let r = no_live_attributes(&f.path, &String::from_utf8_lossy(&f.bytes));
                        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
                    }
                    prop_assert!(paths::safe_relative(&f.path).is_ok(), "{}", f.path);
                }
            }
        }
    }
}
