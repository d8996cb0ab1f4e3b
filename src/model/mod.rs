//! The plan model: what authors write in `content/` (YAML, CSV, Markdown).
//!
//! Every struct here maps one-to-one onto a YAML shape documented in
//! `docs/content.md`. Unknown fields are errors, so a typo never silently
//! drops data.

pub mod abbrev;
pub mod columns;
pub mod ident;
mod indicator;
pub mod ordered;
mod pack;
pub mod period;
mod plan;
pub mod shortcode;
mod site;
mod table;
pub mod value;

use std::path::PathBuf;

use serde::Deserialize;
use std::sync::Arc;

pub use indicator::*;
pub use ordered::OrderedMap;
pub use pack::*;
pub use period::{Calendar, DateSpec, Period};
pub use plan::*;
pub use site::*;
pub use table::*;
pub use value::{Cell, Figure, Polarity, Rag, Unit};

/// A position in a source file (1-based line and column; 0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// A value with the place it was written: a line and column, and the file
/// when that is not the plan's own YAML (a CSV beside it).
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub pos: Pos,
    /// The file it came from, when not the YAML file being read.
    pub file: Option<Arc<PathBuf>>,
}

impl<T> Located<T> {
    /// A value read at `pos` of `file`.
    pub fn new(value: T, pos: Pos, file: Option<Arc<PathBuf>>) -> Self {
        Located { value, pos, file }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        Ok(Located {
            value: s.value,
            pos: Pos {
                line: s.referenced.line() as usize,
                column: s.referenced.column() as usize,
            },
            file: None,
        })
    }
}

/// A plan as loaded: the YAML with its Markdown files and CSV data merged in, and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedPlan {
    /// The plan.
    pub plan: Plan,
    /// The folder holding `plan.yaml`, relative to the site root.
    pub dir: PathBuf,
    /// `plan.yaml`'s path relative to the site root.
    pub file: PathBuf,
}

/// The whole site as loaded from `content/`.
#[derive(Debug, Clone)]
pub struct Site {
    /// `site.yaml`.
    pub config: SiteConfig,
    /// Plans sorted by `order` then title then id.
    pub plans: Vec<LoadedPlan>,
    /// Board packs, oldest period first.
    pub packs: Vec<LoadedPack>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_of_one_period_is_named_once() {
        let p = |s: &str| s.parse::<Period>().unwrap();
        let one = PeriodRange {
            from: p("2024/25"),
            to: p("2024/25"),
        };
        let two = PeriodRange {
            from: p("2024/25"),
            to: p("2025/26"),
        };
        assert_eq!(one.to_string(), "2024/25");
        assert_eq!(two.to_string(), "2024/25 to 2025/26");
    }
}
