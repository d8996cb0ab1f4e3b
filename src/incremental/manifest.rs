//! The build manifest, `.boardpack-manifest.json` in the output: what each
//! plan's pages were built from and which files they are, and the print
//! HTML each pack's PDF was printed from.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The manifest's file name in the output folder.
pub const FILE: &str = ".boardpack-manifest.json";

/// One plan's pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanEntry {
    /// Hash over everything the plan's pages are made from.
    pub inputs: String,
    /// Output paths of its pages, sorted.
    pub files: Vec<String>,
}

/// What a build wrote, for the next build to reuse.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// boardpack's version.
    pub boardpack: String,
    /// Hash over what every page depends on (site.yaml, shared files, theme, boardpack).
    pub site: String,
    /// Plans by id.
    pub plans: BTreeMap<String, PlanEntry>,
    /// Hash of each printed pack's print HTML and date, by pack slug.
    pub packs: BTreeMap<String, String>,
    /// Hash of each printed plan's print HTML and date, by plan id.
    #[serde(default)]
    pub plan_pdfs: BTreeMap<String, String>,
    /// Each printed pack's contents page numbers, by pack slug then entry
    /// id: the next print of the pack tries these first, and is done in one
    /// print when they come out the same.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub contents_pages: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Manifest {
    /// The manifest of a previous build in `out`, if it is there and readable
    /// (anything else means no reuse: the build renders everything).
    pub fn read(out: &Path) -> Option<Manifest> {
        let path = out.join(FILE);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() {
            return None;
        }
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    }

    /// The manifest as written: pretty JSON, keys sorted, so it is byte-identical
    /// across identical builds.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}
