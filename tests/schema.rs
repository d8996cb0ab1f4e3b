//! The generated JSON Schemas accept every example site's files and reject
//! known mistakes, so an editor using them agrees with `check`.

mod common;

use std::path::{Path, PathBuf};

fn validator(name: &str) -> jsonschema::Validator {
    let text = boardpack::schema::schemas()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t)
        .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the schema is itself valid")
}

/// A YAML file as the JSON an editor's YAML extension validates.
fn as_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn errors(v: &jsonschema::Validator, value: &serde_json::Value) -> Vec<String> {
    v.iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Every site in the repository: the example in content/ and docs/examples/*.
fn sites() -> Vec<PathBuf> {
    let repo = common::repo();
    let mut out = vec![repo.clone()];
    for e in std::fs::read_dir(repo.join("docs/examples")).unwrap() {
        let p = e.unwrap().path();
        if p.join("content/site.yaml").is_file() {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn every_example_file_validates_against_the_schemas() {
    let (site, plan, pack) = (
        validator("site.schema.json"),
        validator("plan.schema.json"),
        validator("pack.schema.json"),
    );
    let mut checked = 0;
    let mut problems = Vec::new();
    for root in sites() {
        let content = root.join("content");
        let mut files = vec![(content.join("site.yaml"), &site)];
        for e in walkdir::WalkDir::new(content.join("plans")).sort_by_file_name() {
            let p = e.unwrap().into_path();
            if p.file_name().is_some_and(|n| n == "plan.yaml") {
                files.push((p, &plan));
            }
        }
        if let Ok(dir) = std::fs::read_dir(content.join("packs")) {
            for e in dir {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                    files.push((p, &pack));
                }
            }
        }
        for (file, v) in files {
            checked += 1;
            for e in errors(v, &as_json(&file)) {
                problems.push(format!("{}: {e}", file.display()));
            }
        }
    }
    assert!(checked >= 15, "only {checked} files found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_schemas_reject_known_mistakes() {
    let plan = validator("plan.schema.json");
    let bad: serde_json::Value = serde_saphyr::from_str(
        "id: p\ntitle: T\nkind: action plan\nperiod: {from: 2017-18, to: 2018/19}\n\
         objectives:\n  - ref: '1'\n    title: O\n    actions:\n      - ref: '1.1'\n        \
         description: D\n        desired_impact: lower costs\n        target_date: June 18\n",
    )
    .unwrap();
    let found = errors(&plan, &bad).join("\n");
    assert!(
        found.contains("desired_impact"),
        "an unknown field: {found}"
    );
    assert!(
        found.contains("2017-18"),
        "a period written with a dash: {found}"
    );
    assert!(found.contains("June 18"), "a date in words: {found}");

    let pack = validator("pack.schema.json");
    let bad: serde_json::Value =
        serde_saphyr::from_str("title: T\nboard: B\nperiod: 2024/25 Q2\nplans: [a]\n").unwrap();
    assert!(
        errors(&pack, &bad).join("\n").contains("meeting_date"),
        "a missing required field"
    );
    let site = validator("site.schema.json");
    let bad: serde_json::Value =
        serde_saphyr::from_str("title: T\norganisation: O\nkeys: {rag: {Purple: no}}\n").unwrap();
    assert!(
        !errors(&site, &bad).is_empty(),
        "Purple is not a RAG status"
    );
}

#[test]
fn the_schema_command_writes_three_files_that_init_uses() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let o = common::boardpack(&["schema", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    for name in ["site", "plan", "pack"] {
        let text = std::fs::read_to_string(out.join(format!("{name}.schema.json"))).unwrap();
        let _: serde_json::Value = serde_json::from_str(&text).unwrap();
    }
    let site = tmp.path().join("site");
    let o = common::boardpack(&["init", site.to_str().unwrap()]);
    assert!(o.status.success());
    assert_eq!(
        std::fs::read(site.join("schemas/plan.schema.json")).unwrap(),
        std::fs::read(out.join("plan.schema.json")).unwrap(),
        "init writes the schemas its files point to"
    );
}
