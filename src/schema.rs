//! JSON Schemas for the content files (`site.yaml`, `plan.yaml`, packs), for
//! editors: VS Code's YAML extension reads the `# yaml-language-server:
//! $schema=…` line that `init` and `new` write, and then completes field
//! names, shows each field's documentation and flags mistakes as you type.
//!
//! The schemas are generated from the model types themselves (`schemars`
//! derives beside serde's), so they cannot drift from what the loader
//! accepts. The few types with hand-written parsing (periods, dates,
//! figures, units, RAG, table cells, located values, ordered maps) get
//! hand-written schemas here. The loader stays the judge: a schema is a
//! helpful first check, and some rules (ids that exist, totals that add up)
//! only `check` can see.

use std::borrow::Cow;
use std::path::Path;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::model::{
    Cell, DateSpec, Figure, Located, OrderedMap, Pack, Period, Plan, Rag, SiteConfig, Unit,
};

/// The folder (under the site root) `init` and `new` write the schemas to.
pub const DEFAULT_DIR: &str = "schemas";

/// The schemas as `(file name, JSON text)`: `site.schema.json`,
/// `plan.schema.json` and `pack.schema.json`.
pub fn schemas() -> Vec<(&'static str, String)> {
    let one = |mut schema: Schema, title: &str| {
        schema.insert("title".into(), title.into());
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_else(|_| "{}".into());
        text.push('\n');
        text
    };
    vec![
        (
            "site.schema.json",
            one(
                schemars::schema_for!(SiteConfig),
                "boardpack content/site.yaml",
            ),
        ),
        (
            "plan.schema.json",
            one(
                schemars::schema_for!(Plan),
                "boardpack content/plans/*/plan.yaml",
            ),
        ),
        (
            "pack.schema.json",
            one(
                schemars::schema_for!(Pack),
                "boardpack content/packs/*.yaml",
            ),
        ),
    ]
}

/// Write every schema into `dir`, creating it; the files written.
pub fn write(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for (name, text) in schemas() {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Write the schemas into `root/schemas/` unless each is there already (a
/// site may keep its own copy, updated with `boardpack schema`).
pub fn write_if_missing(root: &Path) -> Result<(), String> {
    let dir = root.join(DEFAULT_DIR);
    for (name, text) in schemas() {
        let path = dir.join(name);
        if path.exists() {
            continue;
        }
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The schema of a field read by `one_or_many`: one `T`, or a list of them.
pub fn one_or_many<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    let one = generator.subschema_for::<T>();
    json_schema!({ "anyOf": [one, { "type": "array", "items": one }] })
}

/// A regular expression matching `word` in any mix of cases
/// (JSON Schema patterns have no case-insensitive flag).
fn any_case(word: &str) -> String {
    word.chars()
        .map(|c| match (c.to_ascii_lowercase(), c.to_ascii_uppercase()) {
            (l, u) if l != u => format!("[{l}{u}]"),
            _ => regex_escape(c),
        })
        .collect()
}

fn regex_escape(c: char) -> String {
    if "\\^$.|?*+()[]{}/".contains(c) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

impl<T: JsonSchema> JsonSchema for Located<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<T>()
    }
}

impl<K: JsonSchema, V: JsonSchema> JsonSchema for OrderedMap<K, V> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}_to_{}", K::schema_name(), V::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let keys = generator.subschema_for::<K>();
        let values = generator.subschema_for::<V>();
        json_schema!({
            "type": "object",
            "propertyNames": keys,
            "additionalProperties": values,
        })
    }
}

impl JsonSchema for Period {
    fn schema_name() -> Cow<'static, str> {
        "Period".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A period: a financial year `2024/25`, a quarter `2024/25 Q2` or a month `2024-09`.",
            "type": "string",
            "pattern": r"^\s*(\d{4}/\d{2}(\s+[Qq][1-4])?|\d{4}-(0[1-9]|1[0-2]))\s*$",
        })
    }
}

impl JsonSchema for DateSpec {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date `2024-06-30`, or a month `2024-06` (meaning its last day).",
            "type": "string",
            "pattern": r"^\s*\d{4}-(0?[1-9]|1[0-2])(-(0?[1-9]|[12]\d|3[01]))?\s*$",
        })
    }
}

/// A number as written in a council spreadsheet (`2,059`, `57.1%`, `£48,000`).
const NUMBER_TEXT: &str = r"^\s*[-−]?\s*£?\s*(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?\s*%?\s*$";

impl JsonSchema for Figure {
    fn schema_name() -> Cow<'static, str> {
        "Figure".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A figure: a number, or {value: number, note: text} for words printed beside it.",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": NUMBER_TEXT },
                {
                    "type": "object",
                    "properties": {
                        "value": { "anyOf": [{ "type": "number" }, { "type": "string", "pattern": NUMBER_TEXT }] },
                        "note": { "type": "string" },
                    },
                    "required": ["value"],
                    "additionalProperties": false,
                },
            ],
        })
    }
}

impl JsonSchema for Unit {
    fn schema_name() -> Cow<'static, str> {
        "Unit".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": format!("The unit: {}.", Unit::HELP),
            "type": "string",
            "examples": ["%", "count", "number", "days", "£", "£k", "per 10,000"],
        })
    }
}

impl JsonSchema for Rag {
    fn schema_name() -> Cow<'static, str> {
        "Rag".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let words = [
            "red", "amber", "green", "blue", "complete", "r", "a", "g", "b",
        ];
        let pattern = format!(r"^\s*({})\s*$", words.map(any_case).join("|"));
        json_schema!({
            "description": "A RAG status: Red, Amber, Green or Blue (complete); R, A, G, B also do.",
            "type": "string",
            "pattern": pattern,
            "examples": ["Red", "Amber", "Green", "Blue"],
        })
    }
}

impl JsonSchema for Cell {
    fn schema_name() -> Cow<'static, str> {
        "Cell".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A table cell: a number, text, or nothing (blank or `-`).",
            "type": ["number", "string", "boolean", "null"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_valid_json_and_name_the_fields() {
        let all = schemas();
        assert_eq!(all.len(), 3);
        for (name, text) in &all {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            assert!(v.get("properties").is_some(), "{name}");
        }
        assert!(all[1].1.contains("\"objectives\""));
        assert!(all[2].1.contains("\"meeting_date\""));
        assert_eq!(any_case("a/b"), "[aA]\\/[bB]");
    }
}
