//! Places of model parts that have no field of their own to carry one.
//!
//! An action without a `ref` has nothing located in it, yet its warnings
//! should still name a line: each action gets the place its mapping starts,
//! read from the file's [`Tree`].

use super::tree::{Kind, Tree};
use crate::model::{Action, Objective, Plan, Pos};

/// Set [`Action::pos`] for every action of `plan`, read from `text` (the
/// plan file as it was read, with any mistaken parts blanked).
pub fn place_actions(plan: &mut Plan, text: &str) {
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
