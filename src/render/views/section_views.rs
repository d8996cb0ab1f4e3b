//! A plan's objectives and sections, and the blocks (text, tables, keys) they hold.

use super::*;

/// An objective with its actions and indicators.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveView {
    /// Anchor id.
    pub anchor: String,
    /// Heading level (3–6).
    pub level: u8,
    /// What this level is called.
    pub label: String,
    /// Reference.
    pub reference: String,
    /// Title (HTML with abbr).
    pub title_html: String,
    /// Description (HTML).
    pub description_html: String,
    /// Desired impact.
    pub desired_impact: String,
    /// Tags.
    pub tags: Vec<Pair>,
    /// Target saving.
    pub target_saving: String,
    /// Review date.
    pub review_date: String,
    /// Actions table.
    pub actions: Option<ActionsView>,
    /// Indicators table.
    pub indicators: Option<IndicatorsView>,
}

pub(crate) fn objectives_flat(
    ctx: &Ctx,
    objs: &[Objective],
    level: u8,
    out: &mut Vec<ObjectiveView>,
) {
    let plan = &ctx.lp.plan;
    for (i, o) in objs.iter().enumerate() {
        let reference = o.reference.clone().unwrap_or_default();
        let anchor_base = match slug(&reference) {
            s if s.is_empty() => format!("{level}-{}", i + 1),
            s => s,
        };
        out.push(ObjectiveView {
            anchor: format!("{}objective-{anchor_base}", ctx.anchor_prefix),
            level: level.min(6),
            label: o
                .label
                .clone()
                .unwrap_or_else(|| plan.labels.objective.clone()),
            reference,
            title_html: ctx.abbr(&o.title),
            description_html: o
                .description
                .as_deref()
                .map(|d| ctx.md(d, level))
                .unwrap_or_default(),
            desired_impact: o.desired_impact.clone().unwrap_or_default(),
            tags: tag_pairs(ctx, &o.tags),
            target_saving: o
                .target_saving
                .as_ref()
                .map(|s| format_number(s.value, 0))
                .unwrap_or_default(),
            review_date: o.review_date.map(|d| d.to_string()).unwrap_or_default(),
            actions: (!o.actions.is_empty()).then(|| actions_view_in(ctx, &o.actions, Some(o))),
            indicators: (!o.indicators.is_empty()).then(|| {
                let list: Vec<&Indicator> = o.indicators.iter().collect();
                indicators_view(ctx, &list, &plan.labels.indicators)
            }),
        });
        objectives_flat(ctx, &o.objectives, level + 1, out);
    }
}

/// A generated block in a section.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A table of figures.
    Table {
        /// The table.
        table: TableView,
    },
    /// Objectives.
    Objectives {
        /// Flattened objectives.
        objectives: Vec<ObjectiveView>,
    },
    /// Plan-level actions.
    Actions {
        /// The table.
        actions: ActionsView,
    },
    /// Plan-level indicators.
    Indicators {
        /// The table.
        indicators: IndicatorsView,
    },
    /// Risks.
    Risks {
        /// Rows.
        risks: Vec<RiskView>,
        /// Any likelihood/impact.
        scored: bool,
        /// Any owner.
        owned: bool,
    },
    /// Headline figures.
    KeyFigures {
        /// Figures.
        figures: Vec<Pair>,
    },
    /// Keys.
    Keys {
        /// RAG key.
        rag: Vec<RagKeyEntry>,
        /// Priority key.
        priority: Vec<Pair>,
        /// Band keys.
        bands: Vec<BandKeyView>,
        /// Rules in words that apply to the whole plan (periods of figures written without one).
        notes: Vec<String>,
        /// Status words read from progress notes, by the state they stand for.
        words: Vec<Pair>,
    },
    /// Glossary.
    Glossary {
        /// Terms.
        terms: Vec<Pair>,
    },
    /// Tags.
    Tags {
        /// Pairs.
        tags: Vec<Pair>,
    },
    /// Link to the appendix.
    AppendixLink {
        /// URL.
        url: String,
        /// Title.
        title: String,
    },
}

/// A risk row.
#[derive(Debug, Clone, Serialize)]
pub struct RiskView {
    /// Reference.
    pub reference: String,
    /// Risk (HTML).
    pub risk_html: String,
    /// Mitigation (HTML).
    pub mitigation_html: String,
    /// Likelihood.
    pub likelihood: String,
    /// Impact.
    pub impact: String,
    /// Owner.
    pub owner: String,
}

/// One line of the RAG key.
#[derive(Debug, Clone, Serialize)]
pub struct RagKeyEntry {
    /// `red` …
    pub key: &'static str,
    /// `R` …
    pub letter: &'static str,
    /// `Red` …
    pub name: &'static str,
    /// What it means.
    pub description: String,
}

/// A band key.
#[derive(Debug, Clone, Serialize)]
pub struct BandKeyView {
    /// Title.
    pub title: String,
    /// Levels: symbols and label.
    pub levels: Vec<Pair>,
}

/// A section flattened for templates.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// Anchor id.
    pub id: String,
    /// Number.
    pub number: String,
    /// Title.
    pub title: String,
    /// Heading level (2–6).
    pub level: u8,
    /// Start on a new printed page.
    pub page_break: bool,
    /// Body: Markdown as HTML, split where charts are placed.
    pub body: Vec<BodyPart>,
    /// Generated blocks.
    pub blocks: Vec<Block>,
}

/// Keys block, shared by plan pages and packs.
pub fn keys_block(ctx: &Ctx) -> Block {
    let keys = &ctx.site.config.keys;
    let rag = Rag::ALL
        .iter()
        .rev()
        .map(|r| RagKeyEntry {
            key: r.key(),
            letter: r.letter(),
            name: r.name(),
            description: keys.rag.get(r).cloned().unwrap_or_else(|| {
                match r {
                    Rag::Blue => "Complete",
                    Rag::Green => "On track",
                    Rag::Amber => "Slippage",
                    Rag::Red => "Significant delay",
                }
                .to_string()
            }),
        })
        .collect();
    Block::Keys {
        notes: ctx.lp.plan.period_rule.iter().cloned().collect(),
        words: ctx
            .lp
            .plan
            .status_key
            .iter()
            .map(|(state, words)| Pair {
                label: state.clone(),
                value_html: escape(words),
            })
            .collect(),
        rag,
        priority: keys
            .priority
            .iter()
            .map(|p| Pair {
                label: p.name.clone(),
                value_html: p.description.as_deref().map(escape).unwrap_or_default(),
            })
            .collect(),
        bands: keys
            .bands
            .iter()
            .map(|b| BandKeyView {
                title: b.title.clone(),
                levels: b
                    .levels
                    .iter()
                    .map(|l| Pair {
                        label: b.symbol.as_deref().unwrap_or("●").repeat(l.value as usize),
                        value_html: escape(&match &l.description {
                            Some(d) => format!("{} – {d}", l.label),
                            None => l.label.clone(),
                        }),
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub(crate) fn block(ctx: &Ctx, inc: Include) -> Block {
    let plan = &ctx.lp.plan;
    match inc {
        Include::Objectives => {
            let mut objectives = Vec::new();
            objectives_flat(ctx, &plan.objectives, 3, &mut objectives);
            Block::Objectives { objectives }
        }
        Include::Actions => Block::Actions {
            actions: actions_view(ctx, &plan.actions),
        },
        Include::Indicators => Block::Indicators {
            indicators: indicators_view(
                ctx,
                &plan.indicators.iter().collect::<Vec<_>>(),
                &plan.labels.indicators,
            ),
        },
        Include::Risks => Block::Risks {
            scored: plan
                .risks
                .iter()
                .any(|r| r.likelihood.is_some() || r.impact.is_some()),
            owned: plan.risks.iter().any(|r| r.owner.is_some()),
            risks: plan
                .risks
                .iter()
                .map(|r| RiskView {
                    reference: r.reference.clone().unwrap_or_default(),
                    risk_html: ctx.abbr(&r.risk),
                    mitigation_html: r
                        .mitigation
                        .as_deref()
                        .map(|m| ctx.abbr(m))
                        .unwrap_or_default(),
                    likelihood: r.likelihood.clone().unwrap_or_default(),
                    impact: r.impact.clone().unwrap_or_default(),
                    owner: r.owner.clone().unwrap_or_default(),
                })
                .collect(),
        },
        Include::KeyFigures => Block::KeyFigures {
            figures: plan
                .key_figures
                .iter()
                .map(|k| Pair {
                    label: k.label.clone(),
                    value_html: match &k.note {
                        Some(n) => format!("{} <small>{}</small>", escape(&k.value), escape(n)),
                        None => escape(&k.value),
                    },
                })
                .collect(),
        },
        Include::Keys => keys_block(ctx),
        Include::Glossary => Block::Glossary {
            terms: Glossary::merged([&plan.glossary])
                .alphabetical()
                .into_iter()
                .map(|(t, e)| Pair {
                    label: t,
                    value_html: escape(&e),
                })
                .collect(),
        },
        Include::Tags => Block::Tags {
            tags: tag_pairs(ctx, &plan.tags),
        },
        Include::AppendixLink => Block::AppendixLink {
            url: format!("{}plans/{}-appendix.html", ctx.root, plan.id.value),
            title: plan
                .appendix
                .as_ref()
                .map(|a| a.title.clone())
                .unwrap_or_default(),
        },
    }
}

/// A piece of a section's text and the charts placed after it.
#[derive(Debug, Clone, Serialize)]
pub struct BodyPart {
    /// Sanitised HTML.
    pub html: String,
    /// Charts placed by a shortcode after this text.
    pub charts: Vec<Chart>,
}

/// Render a section body, drawing the charts its shortcodes place.
pub(crate) fn body_parts(
    ctx: &Ctx,
    body: &crate::model::Located<String>,
    level: u8,
) -> Vec<BodyPart> {
    let text = &body.value;
    let file = body
        .file
        .as_deref()
        .map_or(ctx.lp.file.as_path(), |f| f.as_path());
    // Line of the Markdown's first line in its file: 1 in a Markdown file. In YAML the
    // value's place is its first non-blank line (for a `body: |` block too), so count
    // back over the blank lines the text starts with.
    let first_line = if body.file.is_some() {
        1
    } else {
        let blank = text.lines().take_while(|l| l.trim().is_empty()).count();
        body.pos.line.saturating_sub(blank).max(1)
    };
    let lines: Vec<&str> = text.lines().collect();
    // Where a shortcode's `{{` stands in the file (a YAML block is indented).
    let at = |line: usize| Pos {
        line: first_line + line,
        column: lines
            .get(line)
            .map_or(1, |l| l.len() - l.trim_start().len() + 1)
            + if body.file.is_some() {
                0
            } else {
                body.pos.column - 1
            },
    };
    let (codes, errors) = shortcode::find(text);
    for (line, e) in errors {
        ctx.diags.borrow_mut().error(file, Some(at(line)), e);
    }
    let mut parts = Vec::new();
    let mut start = 0;
    for (n, code) in codes.iter().enumerate() {
        let chunk = lines[start..code.line].join("\n");
        let prefix = format!("{}-md{}-", slug(&ctx.lp.plan.id.value), n);
        let drawn = if ctx.charts {
            chart_data::shortcode_charts(ctx, &code.args, &prefix)
        } else {
            Ok(Vec::new())
        };
        let charts = match drawn {
            Ok(c) => c,
            Err(e) => {
                ctx.diags
                    .borrow_mut()
                    .error(file, Some(at(code.line)), format!("chart: {e}"));
                Vec::new()
            }
        };
        parts.push(BodyPart {
            html: ctx.md(&chunk, level),
            charts,
        });
        start = code.line + 1;
    }
    let rest = lines[start.min(lines.len())..].join("\n");
    parts.push(BodyPart {
        html: ctx.md(&rest, level),
        charts: Vec::new(),
    });
    parts
}

/// Flatten sections with their blocks.
pub fn sections_flat(ctx: &Ctx, sections: &[Section], level: u8, out: &mut Vec<SectionView>) {
    let plan = &ctx.lp.plan;
    for s in sections {
        let mut blocks: Vec<Block> = s
            .tables
            .iter()
            .filter_map(|t| plan.tables.iter().find(|x| x.id.value == t.value))
            .map(|t| Block::Table {
                table: table_view(ctx, t),
            })
            .collect();
        // A section's own `columns:` apply to its blocks and its sub-sections.
        let outer = s.columns.as_ref().map(|c| {
            let inherited = crate::render::column_table::choices(ctx);
            ctx.section_columns.replace(Some(c.or(Some(&inherited))))
        });
        blocks.extend(s.include.iter().map(|i| block(ctx, *i)));
        let id = crate::compute::sanity::section_id(s);
        out.push(SectionView {
            id: format!("{}s-{id}", ctx.anchor_prefix),
            number: s.number.clone().unwrap_or_default(),
            title: s.title.clone(),
            level: level.min(6),
            page_break: s.page_break,
            body: s
                .body
                .as_ref()
                .map(|b| body_parts(ctx, b, level))
                .unwrap_or_default(),
            blocks,
        });
        sections_flat(ctx, &s.sections, level + 1, out);
        if let Some(outer) = outer {
            ctx.section_columns.replace(outer);
        }
    }
}
