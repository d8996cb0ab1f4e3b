//! Which columns a plan's action tables and appendix show, in which order, under
//! which headings (`columns:` in `plan.yaml`, a section, or `site.yaml`).

use serde::Deserialize;

/// Column choices for the tables of a plan (or, in `site.yaml`, the default for every plan).
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// Columns of the action tables on the plan page, left to right.
    #[serde(default)]
    pub actions: Option<Vec<ColumnChoice>>,
    /// Columns of the landscape appendix, left to right (default: as `actions`).
    #[serde(default)]
    pub appendix: Option<Vec<ColumnChoice>>,
    /// Columns of the indicator tables, left to right.
    #[serde(default)]
    pub indicators: Option<Vec<IndicatorChoice>>,
}

impl Columns {
    /// These choices, with anything unset taken from `fallback` (the site's).
    pub fn or(&self, fallback: Option<&Columns>) -> Columns {
        Columns {
            actions: self
                .actions
                .clone()
                .or_else(|| fallback.and_then(|f| f.actions.clone())),
            appendix: self
                .appendix
                .clone()
                .or_else(|| fallback.and_then(|f| f.appendix.clone())),
            indicators: self
                .indicators
                .clone()
                .or_else(|| fallback.and_then(|f| f.indicators.clone())),
        }
    }
}

/// One column: a field name (`leads`), or a mapping with its heading
/// (`{field: [timescale, leads], label: "Timescale / Lead", always: true}`).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnChoice {
    /// The fields shown in the column, one under the other.
    pub fields: Vec<ActionField>,
    /// Heading (default: the field's usual heading, or the plan's `labels:`).
    pub label: Option<String>,
    /// Keep the column even when it is empty on every row.
    pub always: bool,
}

/// A column written as a mapping.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnMap {
    #[serde(deserialize_with = "fields")]
    field: Vec<ActionField>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    always: bool,
}

/// A field name, or a list of them.
fn fields<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ActionField>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<ActionField>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a field name (`leads`) or a list of them (`[timescale, leads]`)")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            ActionField::deserialize(serde::de::value::StrDeserializer::<E>::new(v))
                .map(|f| vec![f])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(f) = seq.next_element()? {
                out.push(f);
            }
            if out.is_empty() {
                return Err(serde::de::Error::custom(
                    "a column needs at least one field",
                ));
            }
            Ok(out)
        }
    }
    d.deserialize_any(V)
}

impl<'de> Deserialize<'de> for ColumnChoice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ColumnChoice;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field name (`leads`) or a mapping {field: leads, label: Lead}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ColumnChoice, E> {
                Ok(ColumnChoice {
                    fields: V2.visit_str(v)?,
                    label: None,
                    always: false,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ColumnChoice, A::Error> {
                let m = ColumnMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(ColumnChoice {
                    fields: m.field,
                    label: m.label,
                    always: m.always,
                })
            }
        }
        struct V2;
        impl V2 {
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<ActionField>, E> {
                ActionField::deserialize(serde::de::value::StrDeserializer::<E>::new(v))
                    .map(|f| vec![f])
            }
        }
        d.deserialize_any(V)
    }
}

/// What an action-table column can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionField {
    /// The objective the action sits under (its reference and title).
    Objective,
    /// The objective's desired impact.
    DesiredImpact,
    /// The action's reference.
    Ref,
    /// Short title and description together.
    Action,
    /// Short title.
    Title,
    /// Description.
    Description,
    /// Numbered deliverables with their dates and states.
    Deliverables,
    /// Lead officers.
    Leads,
    /// Partner agencies.
    Partners,
    /// Age group.
    AgeGroup,
    /// Target date and timescale words together ("Apr 2002, on going").
    Timescale,
    /// Target date only.
    TargetDate,
    /// Revised date.
    RevisedDate,
    /// Review date.
    ReviewDate,
    /// Links to other plans.
    Links,
    /// Expected impact (with its type).
    Impact,
    /// How the impact is measured.
    ImpactMeasure,
    /// Target saving, £'000.
    Saving,
    /// Target reduction in words.
    Reduction,
    /// Every progress entry.
    Progress,
    /// The latest progress entry.
    LatestProgress,
    /// RAG status with its reason and flags.
    Status,
    /// Priority.
    Priority,
}

impl ActionField {
    /// Every field, in the order above.
    pub const ALL: [ActionField; 23] = [
        ActionField::Objective,
        ActionField::DesiredImpact,
        ActionField::Ref,
        ActionField::Action,
        ActionField::Title,
        ActionField::Description,
        ActionField::Deliverables,
        ActionField::Leads,
        ActionField::Partners,
        ActionField::AgeGroup,
        ActionField::Timescale,
        ActionField::TargetDate,
        ActionField::RevisedDate,
        ActionField::ReviewDate,
        ActionField::Links,
        ActionField::Impact,
        ActionField::ImpactMeasure,
        ActionField::Saving,
        ActionField::Reduction,
        ActionField::Progress,
        ActionField::LatestProgress,
        ActionField::Status,
        ActionField::Priority,
    ];

    /// The heading used when the column has no `label:`.
    pub fn heading(self) -> &'static str {
        match self {
            ActionField::Objective => "Objective",
            ActionField::DesiredImpact => "Desired impact",
            ActionField::Ref => "Ref",
            ActionField::Action => "Action",
            ActionField::Title => "Title",
            ActionField::Description => "Description",
            ActionField::Deliverables => "Deliverables",
            ActionField::Leads => "Lead",
            ActionField::Partners => "Partners",
            ActionField::AgeGroup => "Age group",
            ActionField::Timescale => "Timescale",
            ActionField::TargetDate => "Target date",
            ActionField::RevisedDate => "Revised date",
            ActionField::ReviewDate => "Review date",
            ActionField::Links => "Link to other plans",
            ActionField::Impact => "Impact",
            ActionField::ImpactMeasure => "How the impact is measured",
            ActionField::Saving => "Target saving (£k)",
            ActionField::Reduction => "Target reduction",
            ActionField::Progress => "Progress",
            ActionField::LatestProgress => "Latest progress",
            ActionField::Status => "Status",
            ActionField::Priority => "Priority",
        }
    }
}

/// One column of an indicator table: a field name (`commentary`) or a mapping
/// (`{field: baseline, label: Baseline 2023/24, always: true}`). Fields with a
/// figure per year (`actuals`, `targets`, `in_year`) give one column per period.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorChoice {
    /// The field shown.
    pub field: IndicatorField,
    /// Heading (default: the field's usual heading).
    pub label: Option<String>,
    /// Keep the column even when it is empty on every row.
    pub always: bool,
}

/// An indicator column written as a mapping.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorMap {
    field: IndicatorField,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    always: bool,
}

impl<'de> Deserialize<'de> for IndicatorChoice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = IndicatorChoice;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a field name (`commentary`) or a mapping {field: commentary, label: Notes}",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IndicatorChoice, E> {
                Ok(IndicatorChoice {
                    field: IndicatorField::deserialize(
                        serde::de::value::StrDeserializer::<E>::new(v),
                    )?,
                    label: None,
                    always: false,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<IndicatorChoice, A::Error> {
                let m =
                    IndicatorMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(IndicatorChoice {
                    field: m.field,
                    label: m.label,
                    always: m.always,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// What an indicator-table column can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorField {
    /// Reference, title (linked to its page) and codes.
    Indicator,
    /// Baseline with its period.
    Baseline,
    /// One column per year with actuals.
    Actuals,
    /// One column per year with targets.
    Targets,
    /// One column per quarter of the latest year with quarterly actuals.
    InYear,
    /// The target in words.
    TargetText,
    /// RAG with its explanation.
    Status,
    /// Direction of travel.
    Direction,
    /// Performance band.
    Band,
    /// How we compare, in words.
    Comparison,
    /// Commentary.
    Commentary,
}

impl IndicatorField {
    /// The heading used when the column has no `label:`.
    pub fn heading(self) -> &'static str {
        match self {
            IndicatorField::Indicator => "Indicator",
            IndicatorField::Baseline => "Baseline",
            IndicatorField::Actuals => "Actual",
            IndicatorField::Targets => "Target",
            IndicatorField::InYear => "In year",
            IndicatorField::TargetText => "Target",
            IndicatorField::Status => "Status",
            IndicatorField::Direction => "Direction of travel",
            IndicatorField::Band => "Band",
            IndicatorField::Comparison => "How do we compare?",
            IndicatorField::Commentary => "Commentary",
        }
    }
}

/// A column is a field name, or a mapping with its heading: the schema says both.
fn choice_schema(field: schemars::Schema, fields: schemars::Schema) -> schemars::Schema {
    schemars::json_schema!({
        "anyOf": [
            field,
            {
                "type": "object",
                "properties": {
                    "field": fields,
                    "label": { "type": "string" },
                    "always": { "type": "boolean" }
                },
                "required": ["field"],
                "additionalProperties": false
            }
        ]
    })
}

impl schemars::JsonSchema for ColumnChoice {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ColumnChoice".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let field = g.subschema_for::<ActionField>();
        let fields = schemars::json_schema!({
            "anyOf": [field.clone(), { "type": "array", "items": field.clone(), "minItems": 1 }]
        });
        choice_schema(field, fields)
    }
}

impl schemars::JsonSchema for IndicatorChoice {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IndicatorChoice".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let field = g.subschema_for::<IndicatorField>();
        choice_schema(field.clone(), field)
    }
}
