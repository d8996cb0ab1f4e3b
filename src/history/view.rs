//! What git history looks like on pages, in packs, and from `boardpack diff`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::changes::Kind;
use super::git::Commit;
use super::words;
use super::{Attributed, DiffReport, Made, Moves, SiteHistory};
use crate::render::markdown::escape;

/// `10 Feb 2016` from git's `2016-02-10`.
pub fn show_day(iso: &str) -> String {
    iso.parse::<jiff::civil::Date>()
        .map(crate::compute::actions::show_date)
        .unwrap_or_else(|_| iso.to_string())
}

/// The revision a page was built from, for its template (`git` in the context).
#[derive(Debug, Clone, Serialize)]
pub struct GitView {
    /// Short commit id (12 characters).
    pub commit: String,
    /// Commit date (`10 Feb 2016`).
    pub date: String,
    /// The content had uncommitted changes.
    pub dirty: bool,
    /// For a plan page: its last change.
    pub plan: Option<PlanProvenance>,
    /// For a pack: the revision its board last saw.
    pub previous: Option<String>,
}

/// Who last changed a plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanProvenance {
    /// Author of the plan's latest commit.
    pub author: String,
    /// Its author date (`10 Feb 2016`).
    pub date: String,
    /// Its short id.
    pub commit: String,
    /// The plan's folder has uncommitted changes.
    pub dirty: bool,
}

fn commit_words(c: &Commit) -> String {
    format!("{} ({})", c.short, show_day(&c.date))
}

impl SiteHistory {
    /// Provenance for an indicator page (or any page not about one plan).
    pub fn site_view(&self) -> GitView {
        GitView {
            commit: self.head.short.clone(),
            date: show_day(&self.head.date),
            dirty: self.dirty(),
            plan: None,
            previous: None,
        }
    }

    /// Provenance for a plan's pages.
    pub fn plan_view(&self, plan_id: &str) -> GitView {
        let mut v = self.site_view();
        v.plan = self.plans.get(plan_id).and_then(|h| {
            let c = h.last_change.as_ref()?;
            Some(PlanProvenance {
                author: c.author.clone(),
                date: show_day(&c.author_date),
                commit: c.short.clone(),
                dirty: h.dirty,
            })
        });
        v
    }

    /// Provenance for a pack's cover.
    pub fn pack_view(&self, slug: &str) -> GitView {
        let mut v = self.site_view();
        v.previous = self
            .packs
            .get(slug)
            .and_then(|p| p.previous.as_ref())
            .map(|(c, how)| format!("{}, {how}", commit_words(c)));
        v
    }

    /// For each action of a plan (by its key), lines saying how often its dates moved.
    pub fn slips(&self, plan_id: &str) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let Some(h) = self.plans.get(plan_id) else {
            return out;
        };
        for (slot, moves) in h.moves(None) {
            let what = match slot.deliverable {
                None => "Date".to_string(),
                Some(n) => format!("Deliverable {n}: date"),
            };
            out.entry(slot.action).or_default().push(format!(
                "{what} moved {} (from git history)",
                moves_words(&moves)
            ));
        }
        out
    }
}

/// `twice, from Mar 2016 and Apr 2016`.
pub fn moves_words(moves: &Moves) -> String {
    let (times, from) = moves_parts(moves);
    format!("{times}, from {from}")
}

/// (`twice`, `Mar 2016 and Apr 2016`).
fn moves_parts(moves: &Moves) -> (String, String) {
    let from: Vec<String> = moves.iter().map(|(a, _, _)| a.to_string()).collect();
    let times = match moves.len() {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    };
    let list = match from.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => from.join(""),
    };
    (times, list)
}

/// Who made a change, in words.
pub fn made_words(m: Option<&Made>) -> String {
    match m {
        Some(Made::Commit(c)) => format!("{} by {}, {}", c.short, c.author, show_day(&c.date)),
        Some(Made::Uncommitted) => "uncommitted changes".into(),
        None => format!(
            "commit not found in the plan's last {} commits",
            super::MAX_COMMITS_PER_PLAN
        ),
    }
}

/// The "Changes to the plans since the last meeting" part of a pack.
#[derive(Debug, Clone, Serialize)]
pub struct PlanChangesPart {
    /// What was compared, in words.
    pub intro: String,
    /// Why nothing could be compared, when so.
    pub note: Option<String>,
    /// Changes per plan, in the pack's order.
    pub plans: Vec<PlanChangesGroup>,
}

/// One plan's changes.
#[derive(Debug, Clone, Serialize)]
pub struct PlanChangesGroup {
    /// The plan's title.
    pub title: String,
    /// The changes.
    pub rows: Vec<ChangeRowView>,
}

/// One change, ready for a template.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRowView {
    /// `Date moved`.
    pub kind: String,
    /// `Action 1.1 Domestic abuse`.
    pub item: String,
    /// What changed.
    pub detail: String,
    /// For rewording: the words, with `<del>` and `<ins>` (escaped HTML).
    pub words_html: String,
    /// For a date: how often it has moved.
    pub moves: String,
    /// The commit, author and date that made it.
    pub made: String,
}

fn row(a: &Attributed) -> ChangeRowView {
    ChangeRowView {
        kind: a.change.kind.label().to_string(),
        item: a.change.item.clone(),
        detail: a.change.detail.clone(),
        words_html: words::to_html(&a.change.words),
        moves: if a.moves.is_empty() {
            String::new()
        } else {
            let (times, from) = moves_parts(&a.moves);
            format!("Moved {times} in all, from {from}.")
        },
        made: made_words(a.made.as_ref()),
    }
}

impl SiteHistory {
    /// The part for pack `slug`, listing the plans `plans` (id, title) in order.
    pub fn pack_part(&self, slug: &str, plans: &[(String, String)]) -> Option<PlanChangesPart> {
        let ph = self.packs.get(slug)?;
        let intro = match (&ph.previous, &ph.end) {
            (Some((c, how)), end) => format!(
                "Compared with the plans as they stood at commit {}: {how}.{} Each change names the commit, author and date that made it.",
                commit_words(c),
                match end {
                    Some(e) => format!(
                        " Changes committed after this meeting are not listed: the comparison ends at commit {}, the last on or before the meeting.",
                        commit_words(e)
                    ),
                    None => String::new(),
                }
            ),
            (None, _) => String::new(),
        };
        let mut groups: Vec<PlanChangesGroup> = plans
            .iter()
            .map(|(_, title)| PlanChangesGroup {
                title: title.clone(),
                rows: Vec::new(),
            })
            .collect();
        for a in &ph.changes {
            if let Some(i) = plans.iter().position(|(id, _)| *id == a.change.plan) {
                groups[i].rows.push(row(a));
            } else {
                // A plan no longer in the site: its own group.
                groups.push(PlanChangesGroup {
                    title: a.change.plan_title.clone(),
                    rows: vec![row(a)],
                });
            }
        }
        Some(PlanChangesPart {
            intro,
            note: ph.note.clone(),
            plans: if ph.previous.is_some() && ph.note.is_none() {
                groups
            } else {
                Vec::new()
            },
        })
    }
}

fn to_words(r: &DiffReport) -> String {
    match &r.to {
        Some(c) => format!("from {} to {}", commit_words(&r.from), commit_words(c)),
        None => format!("from {} to the working tree", commit_words(&r.from)),
    }
}

/// Group the changes by plan title, keeping their order.
fn groups(r: &DiffReport) -> Vec<(&str, Vec<&Attributed>)> {
    let mut out: Vec<(&str, Vec<&Attributed>)> = Vec::new();
    for a in &r.changes {
        match out.iter_mut().find(|(t, _)| *t == a.change.plan_title) {
            Some((_, v)) => v.push(a),
            None => out.push((a.change.plan_title.as_str(), vec![a])),
        }
    }
    out
}

fn detail_text(a: &Attributed) -> String {
    let mut s = a.change.detail.clone();
    if !a.change.words.is_empty() {
        s.push_str(&format!(": {}", words::to_text(&a.change.words)));
    }
    if !a.moves.is_empty() {
        let (times, from) = moves_parts(&a.moves);
        s.push_str(&format!("; moved {times} in all, from {from}"));
    }
    s
}

impl DiffReport {
    /// For people, on a terminal.
    pub fn to_text(&self) -> String {
        let mut out = format!("Changes to the plans {}\n", to_words(self));
        if self.changes.is_empty() {
            out.push_str("\nNo changes to actions, indicators, dates, targets, leads, wording or stated RAG.\n");
        }
        for (title, list) in groups(self) {
            out.push_str(&format!("\n{title}\n"));
            for a in list {
                out.push_str(&format!(
                    "  {}: {}: {}\n    ({})\n",
                    a.change.kind.label(),
                    a.change.item,
                    detail_text(a),
                    made_words(a.made.as_ref())
                ));
            }
        }
        out
    }

    /// For a pull-request comment.
    pub fn to_markdown(&self) -> String {
        let md = |s: &str| markdown_escape(s);
        let mut out = format!("### Changes to the plans {}\n", md(&to_words(self)));
        if self.changes.is_empty() {
            out.push_str("\nNo changes to actions, indicators, dates, targets, leads, wording or stated RAG.\n");
        }
        for (title, list) in groups(self) {
            out.push_str(&format!(
                "\n#### {}\n\n| Change | Item | Detail | Made by |\n| --- | --- | --- | --- |\n",
                md(title)
            ));
            for a in list {
                let mut detail = md(&a.change.detail);
                if !a.change.words.is_empty() {
                    let w: String = a
                        .change
                        .words
                        .iter()
                        .map(|p| match p {
                            words::Piece::Same(t) => format!(" {}", md(t.trim())),
                            words::Piece::Del(t) => format!(" ~~{}~~", md(t.trim())),
                            words::Piece::Ins(t) => format!(" **{}**", md(t.trim())),
                        })
                        .collect();
                    detail.push_str(&format!(
                        ": {}",
                        w.split_whitespace().collect::<Vec<_>>().join(" ")
                    ));
                }
                if !a.moves.is_empty() {
                    let (times, from) = moves_parts(&a.moves);
                    detail.push_str(&md(&format!("; moved {times} in all, from {from}")));
                }
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    a.change.kind.label(),
                    md(&a.change.item),
                    detail,
                    md(&made_words(a.made.as_ref()))
                ));
            }
        }
        out
    }

    /// For tools: a JSON object.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Entry<'a> {
            plan: &'a str,
            plan_title: &'a str,
            kind: Kind,
            item: &'a str,
            detail: &'a str,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            words: &'a Vec<words::Piece>,
            moves: Vec<(String, String)>,
            commit: Option<&'a Commit>,
            uncommitted: bool,
        }
        #[derive(Serialize)]
        struct Out<'a> {
            from: &'a Commit,
            to: Option<&'a Commit>,
            changes: Vec<Entry<'a>>,
        }
        let changes = self
            .changes
            .iter()
            .map(|a| Entry {
                plan: &a.change.plan,
                plan_title: &a.change.plan_title,
                kind: a.change.kind,
                item: &a.change.item,
                detail: &a.change.detail,
                words: &a.change.words,
                moves: a
                    .moves
                    .iter()
                    .map(|(x, y, _)| (x.date.to_string(), y.date.to_string()))
                    .collect(),
                commit: match &a.made {
                    Some(Made::Commit(c)) => Some(c),
                    _ => None,
                },
                uncommitted: a.made == Some(Made::Uncommitted),
            })
            .collect();
        serde_json::to_string_pretty(&Out {
            from: &self.from,
            to: self.to.as_ref(),
            changes,
        })
        .unwrap_or_default()
    }

    /// A small standalone HTML page.
    pub fn to_html(&self) -> String {
        let title = format!("Changes to the plans {}", to_words(self));
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>.sr{{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}}del{{background:#fdd}}ins{{background:#dfd;text-decoration:none}}td,th{{border:1px solid #999;padding:.3em;vertical-align:top;text-align:left}}table{{border-collapse:collapse}}</style>\n</head>\n<body>\n<h1>{t}</h1>\n",
            t = escape(&title)
        );
        if self.changes.is_empty() {
            out.push_str("<p>No changes to actions, indicators, dates, targets, leads, wording or stated RAG.</p>\n");
        }
        for (plan, list) in groups(self) {
            out.push_str(&format!(
                "<h2>{}</h2>\n<table>\n<thead><tr><th scope=\"col\">Change</th><th scope=\"col\">Item</th><th scope=\"col\">Detail</th><th scope=\"col\">Made by</th></tr></thead>\n<tbody>\n",
                escape(plan)
            ));
            for a in list {
                let r = row(a);
                out.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}{}{}</td><td>{}</td></tr>\n",
                    escape(&r.kind),
                    escape(&r.item),
                    escape(&r.detail),
                    if r.words_html.is_empty() {
                        String::new()
                    } else {
                        format!("<br>{}", r.words_html)
                    },
                    if r.moves.is_empty() {
                        String::new()
                    } else {
                        format!("<br>{}", escape(&r.moves))
                    },
                    escape(&r.made)
                ));
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}

/// Escape text for a Markdown table cell: no HTML, no table breaks, no emphasis.
fn markdown_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '|' | '*' | '_' | '~' | '`' | '[' | ']' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
