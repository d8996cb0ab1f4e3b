//! A YAML file as a tree of nodes with their places in the text.
//!
//! Built from the YAML parser's events (the same parser serde-saphyr uses),
//! before any typed reading, so [`super::collect`] can find the node a typed
//! error points at and set it aside, and [`super::places`] can find where
//! each action starts.

use serde_saphyr::granit_parser::{Event, Parser, ScanError, StructureStyle};

/// A place in the text: character index, line (from 1) and column (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Mark {
    /// Characters before this place.
    pub index: usize,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

/// What a node holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Text, a number, true/false or nothing.
    Scalar(String),
    /// `field: value` pairs; children alternate key, value.
    Map,
    /// A list.
    Seq,
    /// A `*alias`.
    Alias,
}

/// One node of the tree.
#[derive(Debug, Clone)]
pub struct Node {
    /// What it holds.
    pub kind: Kind,
    /// Where it starts.
    pub start: Mark,
    /// Where it ends (exclusive).
    pub end: Mark,
    /// Written in `[...]` or `{...}` style.
    pub flow: bool,
    /// The mapping or list holding it.
    pub parent: Option<usize>,
    /// Child nodes in order (for a mapping: key, value, key, value...).
    pub children: Vec<usize>,
}

/// A parsed file.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Every node; the first is the document's root (when there is one).
    pub nodes: Vec<Node>,
}

fn mark(m: serde_saphyr::granit_parser::Marker) -> Mark {
    Mark {
        index: m.index(),
        line: m.line(),
        column: m.col() + 1,
    }
}

impl Tree {
    /// Parse `text`; the error is the parser's, for a true syntax error.
    pub fn parse(text: &str) -> Result<Tree, ScanError> {
        let mut nodes: Vec<Node> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        for ev in Parser::new_from_str(text) {
            let (ev, span) = ev?;
            let (kind, flow) = match ev {
                Event::Scalar(v, ..) => (Kind::Scalar(v.into_owned()), false),
                Event::Alias(_) => (Kind::Alias, false),
                Event::MappingStart(style, ..) => (Kind::Map, style == StructureStyle::Flow),
                Event::SequenceStart(style, ..) => (Kind::Seq, style == StructureStyle::Flow),
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some(i) = stack.pop() {
                        let end = mark(span.end).max(nodes[i].start);
                        // A block container ends where its last child ends.
                        nodes[i].end = match nodes[i].children.last() {
                            Some(&c) if !nodes[i].flow => nodes[c].end,
                            _ => end,
                        };
                    }
                    continue;
                }
                _ => continue,
            };
            let id = nodes.len();
            let parent = stack.last().copied();
            nodes.push(Node {
                kind,
                start: mark(span.start),
                end: mark(span.end),
                flow,
                parent,
                children: Vec::new(),
            });
            if let Some(p) = parent {
                nodes[p].children.push(id);
            }
            if matches!(nodes[id].kind, Kind::Map | Kind::Seq) {
                stack.push(id);
            }
        }
        Ok(Tree { nodes })
    }

    /// True when node `i` is a key of a mapping.
    pub fn is_key(&self, i: usize) -> bool {
        self.position_in_parent(i)
            .is_some_and(|(p, at)| self.nodes[p].kind == Kind::Map && at % 2 == 0)
    }

    /// The parent of `i` and `i`'s place among its children.
    fn position_in_parent(&self, i: usize) -> Option<(usize, usize)> {
        let p = self.nodes[i].parent?;
        let at = self.nodes[p].children.iter().position(|&c| c == i)?;
        Some((p, at))
    }

    /// The key of mapping value `i`, or `i` itself when it is a key.
    pub fn key_of(&self, i: usize) -> Option<usize> {
        let (p, at) = self.position_in_parent(i)?;
        if self.nodes[p].kind != Kind::Map {
            return None;
        }
        Some(self.nodes[p].children[at - at % 2])
    }

    /// The value of mapping key `k`.
    pub fn value_of(&self, k: usize) -> Option<usize> {
        let (p, at) = self.position_in_parent(k)?;
        self.nodes[p].children.get(at + 1).copied()
    }

    /// The text of a scalar node.
    pub fn text(&self, i: usize) -> Option<&str> {
        match &self.nodes[i].kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The value under `key` in mapping `map`.
    pub fn get(&self, map: usize, key: &str) -> Option<usize> {
        let n = &self.nodes[map];
        if n.kind != Kind::Map {
            return None;
        }
        n.children
            .chunks(2)
            .find(|kv| self.text(kv[0]) == Some(key))
            .and_then(|kv| kv.get(1).copied())
    }

    /// The entry holding node `i`: for a key or a value, its `key: value`
    /// pair; for a list item, the item; `None` for the root.
    pub fn entry(&self, i: usize) -> Option<Entry> {
        let p = self.nodes[i].parent?;
        let parent = &self.nodes[p];
        match parent.kind {
            Kind::Map => {
                let k = self.key_of(i)?;
                let end = self.value_of(k).map_or(self.nodes[k].end, |v| {
                    self.nodes[v].end.max(self.nodes[k].end)
                });
                Some(Entry {
                    parent: p,
                    start: self.nodes[k].start,
                    end,
                    key: self.text(k).map(str::to_string),
                    flow: parent.flow,
                })
            }
            _ => Some(Entry {
                parent: p,
                start: self.nodes[i].start,
                end: self.nodes[i].end,
                key: None,
                flow: parent.flow,
            }),
        }
    }

    /// The deepest node whose span holds `at` (a key or a value), preferring
    /// the node that starts exactly there.
    pub fn node_at(&self, at: Mark) -> Option<usize> {
        let starts = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.start.line == at.line && n.start.column == at.column)
            .map(|(i, _)| i)
            .next_back();
        starts.or_else(|| {
            self.nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| {
                    (n.start.line, n.start.column) <= (at.line, at.column)
                        && (at.line, at.column) < (n.end.line, n.end.column)
                })
                .map(|(i, _)| i)
                .next_back()
        })
    }

    /// True when `a` is `b` or holds it.
    pub fn holds(&self, a: usize, mut b: usize) -> bool {
        loop {
            if a == b {
                return true;
            }
            match self.nodes[b].parent {
                Some(p) => b = p,
                None => return false,
            }
        }
    }
}

/// A `key: value` pair or a list item: what can be set aside.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The mapping or list it is in.
    pub parent: usize,
    /// Its first character.
    pub start: Mark,
    /// Just after its last character.
    pub end: Mark,
    /// The key, for a pair.
    pub key: Option<String>,
    /// In a `[...]` or `{...}`.
    pub flow: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_and_items_have_their_places() {
        let text = "id: p\nactions:\n  - ref: A1\n    title: T\n  - {ref: A2, title: U}\n";
        let t = Tree::parse(text).unwrap();
        let root = 0;
        let actions = t.get(root, "actions").unwrap();
        assert_eq!(t.nodes[actions].children.len(), 2);
        let first = t.nodes[actions].children[0];
        assert_eq!(
            (t.nodes[first].start.line, t.nodes[first].start.column),
            (3, 5)
        );
        let title = t.get(first, "title").unwrap();
        let e = t.entry(title).unwrap();
        assert_eq!((e.start.line, e.start.column), (4, 5));
        assert_eq!((e.end.line, e.end.column), (4, 13));
        assert_eq!(e.key.as_deref(), Some("title"));
        let second = t.nodes[actions].children[1];
        assert!(t.nodes[second].flow);
        assert_eq!(
            t.node_at(Mark {
                index: 0,
                line: 5,
                column: 11
            }),
            t.get(second, "ref")
        );
    }

    #[test]
    fn a_syntax_error_is_an_error() {
        assert!(Tree::parse("a: [1, 2\nb: c\n").is_err());
    }
}
