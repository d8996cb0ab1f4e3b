//! Page sizes under `check`, which keeps no page and runs each template once.
//!
//! A build counts the bytes of every page it makes against the limits (64 MB
//! a page, and one for the whole site). `check` makes most pages only as
//! far as their data, so it counts each such page by its data written as
//! JSON, with [`UNDRAWN_CHART_BYTES`] for each chart, and a page whose data
//! passes [`BIG_DATA`] as JSON is built as a build would build it (charts
//! drawn, text sanitised) and templated, so its bytes are counted exactly.

use serde::Serialize;

use crate::limits::MAX_PAGE_BYTES;

/// Data this big (written as JSON) makes `check` build and template the page
/// in full: 1 MB, a 64th of the page limit. A page of less data would need its
/// template and its charts to make it 64 times bigger to pass the limit. The
/// charts are what grow most: a line chart with every point labelled draws
/// about 275 bytes a figure, some 40 times what the figure adds to the data
/// (each chart's table of figures is in the data).
pub const BIG_DATA: usize = MAX_PAGE_BYTES / 64;

/// What `check` counts for a chart it does not draw: about what a drawn chart
/// takes (6.1 kB on average at 1,000 synthetic plans, 9.4 kB the largest).
pub const UNDRAWN_CHART_BYTES: usize = 6 * 1024;

/// How big a page's data is, under `check`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DataSize {
    /// Bytes of the data written as JSON (each chart's SVG a short placeholder).
    pub json: usize,
    /// Charts with an SVG (undrawn under `check`).
    pub charts: usize,
}

impl DataSize {
    /// Whether the page is built in full to be measured ([`BIG_DATA`]).
    pub fn big(self) -> bool {
        self.json >= BIG_DATA
    }

    /// `check`'s count of a page it does not template: its data, and
    /// [`UNDRAWN_CHART_BYTES`] a chart.
    pub fn count(self) -> usize {
        self.json + self.charts * UNDRAWN_CHART_BYTES
    }
}

/// How big `data` is: its JSON and its charts.
pub fn data_size<T: Serialize>(data: &T) -> DataSize {
    let (json, charts) = super::svg_slots::collect(|| json_bytes(data));
    DataSize {
        json,
        charts: charts.len(),
    }
}

/// Bytes of `data` written as JSON, counted, not kept.
fn json_bytes<T: Serialize>(data: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Page data is plain structs, lists and strings: writing it cannot fail;
    // were it to, the count so far stands.
    let _ = serde_json::to_writer(&mut count, data);
    count.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_data_as_json_and_its_charts() {
        #[derive(Serialize)]
        struct D {
            a: String,
            b: Vec<u32>,
        }
        let d = D {
            a: "x\"y".into(),
            b: vec![1, 22],
        };
        assert_eq!(data_size(&d).json, serde_json::to_string(&d).unwrap().len());
        assert_eq!(data_size(&d).count(), r#"{"a":"x\"y","b":[1,22]}"#.len());
        // An undrawn chart counts as a drawn one would, about; a chart
        // replaced by a sentence (no SVG) as nothing.
        #[derive(Serialize)]
        struct C {
            #[serde(serialize_with = "crate::render::svg_slots::serialize")]
            svg: crate::render::svg_slots::Svg,
        }
        let charts = [
            C {
                svg: crate::render::mode::UNDRAWN_SVG.into(),
            },
            C { svg: "".into() },
        ];
        let size = data_size(&charts);
        assert_eq!(size.charts, 1);
        assert!(size.json < 100, "{size:?}");
        assert_eq!(size.count(), size.json + UNDRAWN_CHART_BYTES);
        // Charts count towards the site, not towards building a page in full.
        assert!(!size.big());
    }
}
