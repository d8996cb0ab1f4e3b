//! Places of model parts that have no field of their own to carry one.
//!
//! An action without a `ref` has nothing located in it, yet its warnings
//! should still name a line: each action gets the place its mapping starts,
//! read from the file's [`Tree`] (parsed only when some action has no `ref`).

use super::tree::{Kind, Tree};
use crate::model::{Action, Objective, Plan, Pos};

/// Set [`Action::pos`] for every action of `plan`, read from `text` (the
/// plan file as it was read, with any mistaken parts blanked).
pub fn place_actions(plan: &mut Plan, text: &str) {
    // An action with a `ref` is placed by it: parse only when one has none.
    let mut unplaced = false;
    crate::compute::each_action(plan, &mut |a| unplaced |= a.reference.is_none());
    if !unplaced {
        return;
    }
    let Ok(tree) = Tree::parse(text) else {
        return;
    };
    if tree.nodes.is_empty() {
        return;
    }
    place(&tree, 0, &mut plan.actions, &mut plan.objectives);
}

fn place(tree: &Tree, map: usize, actions: &mut [Action], objectives: &mut [Objective]) {
    if let Some(list) = tree.get(map, "actions") {
        let items = items(tree, list);
        if items.len() == actions.len() {
            for (a, i) in actions.iter_mut().zip(items) {
                let n = &tree.nodes[i];
                a.pos = Some(Pos {
                    line: n.start.line,
                    column: n.start.column,
                });
            }
        }
    }
    if let Some(list) = tree.get(map, "objectives") {
        let items = items(tree, list);
        if items.len() == objectives.len() {
            for (o, i) in objectives.iter_mut().zip(items) {
                place(tree, i, &mut o.actions, &mut o.objectives);
            }
        }
    }
}

/// The items of a list node (none for anything else).
fn items(tree: &Tree, list: usize) -> Vec<usize> {
    match tree.nodes[list].kind {
        Kind::Seq => tree.nodes[list].children.clone(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_without_a_ref_get_the_line_their_mapping_starts() {
        let text = "id: p\ntitle: T\nkind: K\nactions:\n  - description: A\nobjectives:\n  - title: O\n    actions:\n      - ref: '1'\n      - {description: B}\n";
        let mut plan: Plan = serde_saphyr::from_str(text).unwrap();
        place_actions(&mut plan, text);
        let at = |a: &Action| a.pos.map(|p| (p.line, p.column));
        assert_eq!(at(&plan.actions[0]), Some((5, 5)));
        let o = &plan.objectives[0];
        assert_eq!(at(&o.actions[0]), Some((9, 9)));
        assert_eq!(at(&o.actions[1]), Some((10, 9)));
    }
}
