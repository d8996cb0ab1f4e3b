//! Colours from `site.yaml` (`branding.primary_colour`, `branding.accent_colour`).
//!
//! A colour is written into every page's stylesheet, so only forms that can
//! hold nothing but a colour are accepted: `#rgb`, `#rrggbb` and the CSS
//! colour names. Anything else (`rgb(…)`, `url(…)`, `expression(…)`, `;`, `}`)
//! is an error at load, with the place it was written.

use std::path::Path;

use crate::diagnostics::{Diagnostics, suggest};
use crate::model::{Located, SiteConfig};

/// The CSS named colours (CSS Color Module Level 4), lower case, sorted.
pub const NAMED: [&str; 148] = [
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
];

/// What a colour may be, for messages.
pub const HELP: &str = "write `#rgb` or `#rrggbb` in hex digits (e.g. \"#1d4f91\", quoted so the `#` is not read as a comment), or a CSS colour name such as `navy`";

/// Parse a colour as written in `site.yaml`; `Ok` holds the form written into
/// pages: `#rrggbb` or `#rgb` in lower case, or a lower-case colour name.
pub fn parse(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if let Some(hex) = s.strip_prefix('#') {
        if matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(format!("#{}", hex.to_ascii_lowercase()));
        }
        return Err(format!(
            "`{}` is not a colour: a `#` colour has 3 or 6 hex digits (0-9, a-f)",
            shown(s)
        ));
    }
    let lower = s.to_ascii_lowercase();
    if NAMED.binary_search(&lower.as_str()).is_ok() {
        return Ok(lower);
    }
    Err(format!("`{}` is not a colour", shown(s)))
}

/// At most 60 characters of a bad value, for a message.
fn shown(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(60).collect::<String>())
    }
}

/// Check the site's branding colours; each bad one is an error at its place in `site.yaml`.
pub fn check_branding(config: &SiteConfig, diags: &mut Diagnostics) {
    let file = Path::new(super::SITE_FILE);
    for (name, colour) in [
        ("primary_colour", &config.branding.primary_colour),
        ("accent_colour", &config.branding.accent_colour),
    ] {
        if let Some(c) = colour {
            check_one(file, name, c, diags);
        }
    }
}

fn check_one(file: &Path, name: &str, c: &Located<String>, diags: &mut Diagnostics) {
    if let Err(e) = parse(&c.value) {
        let word = c.value.trim().to_ascii_lowercase();
        let hint = match suggest(&word, NAMED) {
            Some(k) if !word.starts_with('#') => format!("did you mean `{k}`? Or {HELP}"),
            _ => HELP.to_string(),
        };
        diags.error_hint(file, Some(c.pos), format!("branding.{name}: {e}"), hint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Pos;

    #[test]
    fn names_are_sorted_for_binary_search() {
        let mut sorted = NAMED;
        sorted.sort_unstable();
        assert_eq!(sorted, NAMED);
    }

    #[test]
    fn accepts_hex_and_names() {
        assert_eq!(parse("#1D4F91"), Ok("#1d4f91".into()));
        assert_eq!(parse(" #fa0 "), Ok("#fa0".into()));
        assert_eq!(parse("Navy"), Ok("navy".into()));
        assert_eq!(parse("rebeccapurple"), Ok("rebeccapurple".into()));
    }

    #[test]
    fn refuses_anything_that_could_carry_more_than_a_colour() {
        for bad in [
            "expression(alert(1))",
            "url(javascript:alert(1))",
            "url(https://example.org/x.png)",
            "red; background: url(x)",
            "red}",
            "#1d4f91;}body{display:none",
            "</style><script>alert(1)</script>",
            "rgb(0, 0, 0)",
            "#12",
            "#1234",
            "#gggggg",
            "",
            "#",
            "navy blue",
            "red\u{200b}",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let e = parse(&"x".repeat(500)).unwrap_err();
        assert!(e.len() < 120, "{e}");
    }

    #[test]
    fn bad_branding_colour_is_a_located_error_with_a_hint() {
        let mut config: SiteConfig = serde_saphyr::from_str("title: T\norganisation: O\n").unwrap();
        config.branding.primary_colour = Some(Located::new(
            "expression(alert(1))".into(),
            Pos {
                line: 4,
                column: 19,
            },
            None,
        ));
        config.branding.accent_colour = Some(Located::new(
            "naavy".into(),
            Pos {
                line: 5,
                column: 18,
            },
            None,
        ));
        let mut diags = Diagnostics::new();
        check_branding(&config, &mut diags);
        let items = diags.sorted();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].file, Path::new("content/site.yaml"));
        assert_eq!(
            items[0].pos,
            Some(Pos {
                line: 4,
                column: 19
            })
        );
        assert!(items[0].message.contains("branding.primary_colour"));
        assert!(items[0].hint.as_deref().unwrap().contains("#rrggbb"));
        assert!(
            items[1]
                .hint
                .as_deref()
                .unwrap()
                .contains("did you mean `navy`")
        );
        assert_eq!(diags.error_count(), 2);
    }
}
