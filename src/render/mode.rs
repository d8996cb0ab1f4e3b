//! How far rendering goes: a build makes every page in full; `check` builds
//! every page's data, with every check made while building it, and makes
//! nothing it would throw away.

/// How far rendering goes. The same functions build the pages' data in both
/// modes, so every check made on the way (chart limits, chart shortcodes,
/// Markdown limits, template errors) is made once, in one place; only the work
/// whose result nobody sees under [`Mode::Check`] is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Make every page in full (a build, and tests that look at the pages).
    #[default]
    Build,
    /// Find what only rendering finds and make nothing to keep (`check`):
    /// charts get every data and limit check but are not drawn (their SVG is
    /// [`UNDRAWN_SVG`]), Markdown is parsed and its limits checked but not
    /// sanitised, and a page's data is converted for its template only while
    /// that template has not run yet (a [`super::stream::Sink`] that keeps no
    /// page runs each template once).
    Check,
}

impl Mode {
    /// Whether charts are drawn and Markdown sanitised.
    pub fn draws(self) -> bool {
        self == Mode::Build
    }
}

/// A chart's SVG under [`Mode::Check`]: not empty, so a template takes the same
/// branch as for a drawn chart (an empty SVG means a chart replaced by a sentence).
pub const UNDRAWN_SVG: &str = "<svg class=\"bp-chart\"></svg>";
