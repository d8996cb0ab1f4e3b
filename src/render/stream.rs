//! Where rendered files go: a [`Sink`] takes each file as soon as it is
//! rendered, so a build holds one plan's pages at a time, never the site.

use std::sync::Mutex;

use crate::model::LoadedPlan;
use crate::write::OutputFile;

/// Receives the files of a build as they are rendered, from several threads.
pub trait Sink: Sync {
    /// Take one file (`path` relative to the output root, with `/`).
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String>;

    /// Called before a plan's pages are rendered: the paths of its pages when
    /// the sink already holds them (unchanged since the previous build), so
    /// they are not rendered again.
    fn reuse(&self, _plan: &LoadedPlan) -> Result<Option<Vec<String>>, String> {
        Ok(None)
    }

    /// Called once a plan's pages were all put, with their paths.
    fn plan_done(&self, _plan: &LoadedPlan, _paths: Vec<String>) {}

    /// Whether the sink keeps pages. One that does not ([`Discard`], for
    /// `check`) has the site rendered under [`super::mode::Mode::Check`]:
    /// every page's data is still built, which is where content problems are
    /// found, but no chart is drawn, no text sanitised, and each template is
    /// run only once, enough to find the template errors that do not depend
    /// on one page's data. Pages are still counted against the byte limits
    /// ([`super::sizes`]).
    fn keeps_pages(&self) -> bool {
        true
    }
}

/// Discards every file (`check`: render to find problems, write nothing).
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _path: &str, _bytes: &[u8]) -> Result<(), String> {
        Ok(())
    }

    fn keeps_pages(&self) -> bool {
        false
    }
}

/// Keeps every file in memory: for tests and tools that look at the pages.
/// A build never uses it, since it holds the whole site.
#[derive(Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files put, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(OutputFile {
                path: path.to_string(),
                bytes: bytes.to_vec(),
            });
        Ok(())
    }
}
