//! The charts' colours, after the GOV.UK Design System's: each has at least
//! 3:1 contrast with the white background (WCAG 2.2, 1.4.11 non-text
//! contrast), and text printed on a bar (white, or ink on the lightest) has
//! at least 4.5:1, so a value or RAG letter on a bar reads. Neighbouring bars and segments are kept
//! apart by a white gap, so each colour only ever meets white. The theme's
//! stylesheet repeats these values (`--chart-*`); change both together.

/// Series colours, in the order series take them.
pub const SERIES: [(u8, u8, u8); 6] = [
    (0x1d, 0x70, 0xb8), // blue
    (0xb3, 0x5c, 0x00), // dark orange
    (0x00, 0x70, 0x3c), // green
    (0x91, 0x2b, 0x88), // bright purple
    (0x56, 0x94, 0xca), // light blue
    (0x4c, 0x2c, 0x92), // purple
];

/// RAG colours for charts: red, amber, green, blue (in [`crate::model::Rag`] order).
pub const RAG: [(u8, u8, u8); 4] = [
    (0xd4, 0x35, 0x1c), // red
    (0xb3, 0x5c, 0x00), // amber (dark enough to show on white; the letter says which)
    (0x00, 0x70, 0x3c), // green
    (0x1d, 0x70, 0xb8), // blue
];

/// "Not rated".
pub const UNRATED: (u8, u8, u8) = (0x6f, 0x77, 0x7b);

/// The chart background.
pub const BACKGROUND: (u8, u8, u8) = (0xff, 0xff, 0xff);

/// The chart's ink (text, axes).
pub const INK: (u8, u8, u8) = (0x1b, 0x1b, 0x1b);

/// The colour for text printed on a fill of colour `c`: white, or ink where white would not read.
pub fn label_on(c: (u8, u8, u8)) -> (u8, u8, u8) {
    if contrast(c, BACKGROUND) >= 4.5 {
        BACKGROUND
    } else {
        INK
    }
}

/// `#rrggbb`.
pub fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// WCAG relative luminance.
pub fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG contrast ratio between two colours (1 to 21).
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<(u8, u8, u8)> {
        SERIES
            .iter()
            .chain(RAG.iter())
            .chain(std::iter::once(&UNRATED))
            .copied()
            .collect()
    }

    #[test]
    fn contrast_matches_wcag_examples() {
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
        // The old amber fill and two Okabe–Ito colours failed 3:1 on white.
        assert!(contrast((0xe8, 0xa3, 0x3d), BACKGROUND) < 3.0);
        assert!(contrast((0xe6, 0x9f, 0x00), BACKGROUND) < 3.0);
        assert!(contrast((0x56, 0xb4, 0xe9), BACKGROUND) < 3.0);
    }

    #[test]
    fn every_chart_colour_stands_out_from_the_background_and_carries_readable_labels() {
        for c in all() {
            let bg = contrast(c, BACKGROUND);
            assert!(bg >= 3.0, "{} is {bg:.2}:1 on white", hex(c));
            // Neighbours meet only across a white gap: the same pair. Labels on a fill read.
            let text = contrast(c, label_on(c));
            assert!(text >= 4.5, "text on {} is {text:.2}:1", hex(c));
        }
    }

    #[test]
    fn rag_colours_differ_from_each_other() {
        for (i, a) in RAG.iter().enumerate() {
            for b in &RAG[i + 1..] {
                assert_ne!(a, b);
            }
            assert_ne!(*a, UNRATED);
        }
    }
}
