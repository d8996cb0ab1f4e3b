//! Check every identifier a plan or pack gives against the one rule in
//! [`crate::model::ident`], with a located error and the slug to use.
//!
//! Checked here: plan ids, section ids, table ids and indicator ids (each
//! becomes a file name, a URL or an HTML `id`), and pack ids (in
//! [`super::load_packs`]). Action refs are free text (`1.2`, `5.4a`): their
//! anchors are slugs, so only what cannot be made safe is refused — invisible
//! and control characters, and two refs whose anchors would be the same.

use std::collections::BTreeMap;
use std::path::Path;

use crate::compute::slug;
use crate::diagnostics::Diagnostics;
use crate::model::ident;
use crate::model::{Action, Indicator, Located, Objective, Plan, Section};

/// Report `id` if it breaks the identifier rule; true when it is valid.
///
/// `what` names the id in the message (`indicator id`); `example` is the id
/// suggested when nothing of the value can be kept.
pub fn check_id(
    file: &Path,
    id: &Located<String>,
    what: &str,
    example: &str,
    diags: &mut Diagnostics,
) -> bool {
    let Some(problem) = ident::problem(&id.value) else {
        return true;
    };
    let file = id.file.as_deref().map_or(file, |f| f.as_path());
    diags.error_hint(
        file,
        Some(id.pos),
        format!(
            "{what} `{}` is not a valid id: {problem}",
            ident::visible(&id.value)
        ),
        ident::hint(&id.value, example),
    );
    false
}

/// Check the ids and action refs of one plan read from `file`.
pub fn check_plan(plan: &Plan, file: &Path, diags: &mut Diagnostics) {
    check_id(file, &plan.id, "plan id", "my-plan", diags);
    check_sections(&plan.sections, file, diags);
    for t in &plan.tables {
        check_id(file, &t.id, "table id", "table-1", diags);
    }
    check_indicators(&plan.indicators, file, diags);
    let mut anchors: BTreeMap<String, &Located<String>> = BTreeMap::new();
    check_actions(&plan.actions, file, &mut anchors, diags);
    check_objectives(&plan.objectives, file, &mut anchors, diags);
}

fn check_sections(sections: &[Section], file: &Path, diags: &mut Diagnostics) {
    for s in sections {
        if let Some(id) = &s.id {
            check_id(file, id, "section id", "introduction", diags);
        }
        check_sections(&s.sections, file, diags);
    }
}

fn check_indicators(inds: &[Indicator], file: &Path, diags: &mut Diagnostics) {
    for ind in inds {
        if let Some(id) = &ind.id {
            check_id(file, id, "indicator id", "ni-63", diags);
        }
    }
}

fn check_objectives<'a>(
    objs: &'a [Objective],
    file: &Path,
    anchors: &mut BTreeMap<String, &'a Located<String>>,
    diags: &mut Diagnostics,
) {
    for o in objs {
        check_indicators(&o.indicators, file, diags);
        check_actions(&o.actions, file, anchors, diags);
        check_objectives(&o.objectives, file, anchors, diags);
    }
}

/// Action refs: no invisible or control characters, and no two refs that
/// differ only in punctuation (their anchors, `action-1-2`, would clash).
fn check_actions<'a>(
    actions: &'a [Action],
    file: &Path,
    anchors: &mut BTreeMap<String, &'a Located<String>>,
    diags: &mut Diagnostics,
) {
    for r in actions.iter().filter_map(|a| a.reference.as_ref()) {
        if let Some(c) = r
            .value
            .chars()
            .find(|c| ident::is_hidden(*c) || c.is_control())
        {
            diags.error_hint(
                file,
                Some(r.pos),
                format!(
                    "action ref `{}` contains an invisible or control character, U+{:04X}",
                    ident::visible(&r.value),
                    c as u32
                ),
                "it was probably pasted with the text: delete the ref and type it again",
            );
            continue;
        }
        let anchor = slug(&r.value);
        if anchor.is_empty() {
            continue;
        }
        match anchors.get(&anchor) {
            // The same ref twice is reported by validation as a duplicate.
            Some(first) if first.value != r.value => diags.error_hint(
                file,
                Some(r.pos),
                format!(
                    "action ref `{}` gives the same link anchor (`action-{anchor}`) as ref `{}` on line {}",
                    r.value, first.value, first.pos.line
                ),
                "refs may differ only in letters and digits, not in punctuation or spaces: renumber one of them",
            ),
            Some(_) => {}
            None => {
                anchors.insert(anchor, r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::indicator_id;

    fn plan(yaml: &str) -> Plan {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn derived_indicator_ids_always_follow_the_rule() {
        let p = plan(&format!(
            "id: p\ntitle: T\nkind: K\nindicators:\n  - codes: ['—']\n    title: '…'\n  - codes: [CON]\n    ref: 1a\n    title: x\n  - title: {}\n  - codes: ['NI 63']\n    title: y\n",
            "word ".repeat(30)
        ));
        let ids: Vec<String> = plan_indicator_ids(&p);
        assert_eq!(ids[0], "p-indicator", "nothing to slug: a fallback");
        assert_eq!(ids[1], "p-1a", "a device name is passed over");
        assert!(ids[2].starts_with("p-word-word") && ids[2].chars().count() <= 64);
        assert_eq!(ids[3], "ni-63", "ordinary codes are unchanged");
        for id in &ids {
            assert!(ident::is_valid(id), "{id}");
        }
    }

    fn plan_indicator_ids(p: &Plan) -> Vec<String> {
        p.indicators.iter().map(|i| indicator_id(p, i)).collect()
    }

    #[test]
    fn every_kind_of_id_is_checked() {
        let p = plan(
            "id: P\ntitle: T\nkind: K\nsections:\n  - id: a b\n    title: s\n    sections:\n      - {id: ../x, title: t}\ntables:\n  - {id: T 1, title: t, columns: [{key: a}]}\nindicators:\n  - {id: 'x\"y', title: i}\nobjectives:\n  - title: o\n    indicators: [{id: ni/63, title: j}]\n    actions:\n      - {ref: '1.2'}\n      - {ref: '1-2'}\n      - {ref: \"3\\u200B\"}\n",
        );
        let mut d = Diagnostics::new();
        check_plan(&p, Path::new("plan.yaml"), &mut d);
        let text = d.render();
        for what in [
            "plan id `P`",
            "section id `a b`",
            "section id `../x`",
            "table id `T 1`",
            "indicator id `x\"y`",
            "indicator id `ni/63`",
            "action ref `1-2` gives the same link anchor",
            "action ref `3<U+200B>` contains an invisible",
        ] {
            assert!(text.contains(what), "{what} not reported:\n{text}");
        }
        assert_eq!(d.error_count(), 8, "{text}");
    }
}
