//! Scalar values authors write: figures, units, polarity, RAG and table cells.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// Parse a number the way it appears in council spreadsheets: `2,059`, `-2,100`, `57.1%`, `£48,000`.
pub fn parse_number(raw: &str) -> Option<f64> {
    let s = raw.trim();
    let s = s.strip_suffix('%').unwrap_or(s).trim();
    let (neg, s) = match s.strip_prefix('-').or_else(|| s.strip_prefix('\u{2212}')) {
        Some(rest) => (true, rest.trim()),
        None => (false, s),
    };
    let s = s.strip_prefix('£').unwrap_or(s);
    if s.is_empty()
        || !s
            .bytes()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == b'.')
    {
        return None;
    }
    // Thousands separators must group digits in threes.
    if s.contains(',') {
        let int = s.split('.').next().unwrap_or("");
        let groups: Vec<&str> = int.split(',').collect();
        if groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    let cleaned: String = s.chars().filter(|&c| c != ',').collect();
    if !cleaned.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        return None;
    }
    let v: f64 = cleaned.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// A figure: a number, optionally with a note the source printed beside it (`6.9 New Defin`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The number.
    pub value: f64,
    /// A short note shown beside the number.
    pub note: Option<String>,
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Figure;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, or a map {value: number, note: text}")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Figure, E> {
                if v.is_finite() {
                    Ok(Figure {
                        value: v,
                        note: None,
                    })
                } else {
                    Err(E::custom("expected a finite number"))
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Figure, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Figure, E> {
                self.visit_f64(v as f64)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Figure, E> {
                parse_number(v)
                    .map(|value| Figure { value, note: None })
                    .ok_or_else(|| {
                        E::custom(format!(
                            "`{v}` is not a number: write the figure as a number, and put any words in `note:` (e.g. {{value: 6.9, note: New definition}})"
                        ))
                    })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Figure, A::Error> {
                let mut value = None;
                let mut note = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "value" => value = Some(map.next_value::<Figure>()?.value),
                        "note" => note = Some(map.next_value::<String>()?),
                        other => {
                            return Err(de::Error::unknown_field(other, &["value", "note"]));
                        }
                    }
                }
                let value = value.ok_or_else(|| de::Error::missing_field("value"))?;
                Ok(Figure { value, note })
            }
        }
        d.deserialize_any(V)
    }
}

/// The unit an indicator or column is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Unit {
    /// A percentage, 0–100.
    Percent,
    /// A whole count of people, cases, placements.
    Count,
    /// A plain number (ratios, scores, averages).
    Number,
    /// A rate per N of population (`per` is e.g. 10,000).
    Rate(u32),
    /// A number of days.
    Days,
    /// Pounds sterling.
    Pounds,
    /// Thousands of pounds (£'000, £k).
    PoundsThousands,
}

impl Unit {
    /// The words every unit accepts, for error messages.
    pub const HELP: &'static str =
        "one of: %, count, number, days, £, £k, rate per 10,000 (or per_1000, per_100000)";

    /// Format `v` in this unit with `decimals` places.
    pub fn format(self, v: f64, decimals: usize) -> String {
        let n = format_number(v, decimals);
        match self {
            Unit::Percent => format!("{n}%"),
            Unit::Pounds => money(v, decimals, ""),
            Unit::PoundsThousands => money(v, decimals, "k"),
            _ => n,
        }
    }

    /// The unit as a short suffix or label for table headers and axes.
    pub fn label(self) -> String {
        match self {
            Unit::Percent => "%".into(),
            Unit::Count => "count".into(),
            Unit::Number => "number".into(),
            Unit::Rate(per) => format!("per {}", format_number(f64::from(per), 0)),
            Unit::Days => "days".into(),
            Unit::Pounds => "£".into(),
            Unit::PoundsThousands => "£'000".into(),
        }
    }

    /// Noun used in RAG rule text for differences ("points" for %, else the unit).
    pub fn difference_word(self) -> &'static str {
        match self {
            Unit::Percent => "points",
            Unit::Days => "days",
            _ => "",
        }
    }
}

fn money(v: f64, decimals: usize, suffix: &str) -> String {
    let n = format_number(v.abs(), decimals);
    if v < 0.0 {
        format!("-£{n}{suffix}")
    } else {
        format!("£{n}{suffix}")
    }
}

/// Format a number with thousands separators and a fixed number of decimals.
pub fn format_number(v: f64, decimals: usize) -> String {
    let mut out = String::with_capacity(16);
    match fixed_digits(v, decimals) {
        // Fast path: the figure rounded to `decimals` as a whole number of
        // units, with no doubt about which way it rounds.
        Some(n) => {
            if v < 0.0 && n != 0 {
                out.push('-');
            }
            let scale = 10u64.pow(decimals as u32);
            group_thousands(&mut out, &(n / scale).to_string());
            if decimals > 0 {
                let frac = (n % scale).to_string();
                out.push('.');
                out.extend(std::iter::repeat_n('0', decimals - frac.len()));
                out.push_str(&frac);
            }
        }
        // Anything else through the standard library's exact formatting.
        None => exact_number(&mut out, v, decimals),
    }
    out
}

/// [`format_number`] through the standard library's exact `{:.N}`
/// formatting: always right, but slow when it falls back to big-number
/// arithmetic.
fn exact_number(out: &mut String, v: f64, decimals: usize) {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if v < 0.0 && !s.bytes().all(|c| c == b'0' || c == b'.') {
        out.push('-');
    }
    group_thousands(out, int);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
}

/// `|v|` × 10^`decimals`, rounded to a whole number, when that is certain to
/// be what the standard library's exact `{:.N}` formatting shows: the
/// product is small enough that its floating-point error is far below a
/// millionth, and not within a millionth of a half (where the exact decimal
/// value of `v` decides, and only exact formatting knows it).
fn fixed_digits(v: f64, decimals: usize) -> Option<u64> {
    if decimals > 6 || !v.is_finite() {
        return None;
    }
    let x = v.abs() * 10f64.powi(decimals as i32);
    if x >= 1e9 {
        return None;
    }
    let frac = x - x.floor();
    if (frac - 0.5).abs() < 1e-6 {
        return None;
    }
    Some(x.round() as u64)
}

/// Append the whole-number digits `int` with a comma every three digits.
fn group_thousands(out: &mut String, int: &str) {
    let len = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
}

/// How many decimals a figure needs to be shown as the author wrote it (at most 2).
pub fn natural_decimals(v: f64) -> usize {
    for d in 0..=2 {
        let scale = 10f64.powi(d as i32);
        if ((v * scale).round() - v * scale).abs() < 1e-9 {
            return d;
        }
    }
    2
}

impl FromStr for Unit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm: String = s
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !matches!(c, ',' | ' ' | '_'))
            .collect();
        Ok(match norm.as_str() {
            "%" | "percent" | "percentage" => Unit::Percent,
            "count" => Unit::Count,
            "number" | "ratio" | "score" => Unit::Number,
            "days" => Unit::Days,
            "£" | "gbp" | "pounds" => Unit::Pounds,
            "£k" | "£'000" | "£000" | "gbpk" | "thousandsofpounds" => Unit::PoundsThousands,
            other => {
                let per = other
                    .strip_prefix("rateper")
                    .or_else(|| other.strip_prefix("per"))
                    .and_then(|n| n.parse::<u32>().ok());
                match per {
                    Some(n) if n > 0 => Unit::Rate(n),
                    _ => return Err(format!("`{s}` is not a unit: expected {}", Unit::HELP)),
                }
            }
        })
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// Whether a higher or a lower figure is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Higher figures are better (e.g. % of reviews on time).
    HigherIsBetter,
    /// Lower figures are better (e.g. re-registrations).
    LowerIsBetter,
}

impl Polarity {
    /// Words for a page.
    pub fn describe(self) -> &'static str {
        match self {
            Polarity::HigherIsBetter => "higher is better",
            Polarity::LowerIsBetter => "lower is better",
        }
    }
}

/// A RAG status: Blue complete, Green on track, Amber slippage, Red significant delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Rag {
    /// Significant delay / well off target.
    Red,
    /// Slippage / near target.
    Amber,
    /// On track / target met.
    Green,
    /// Complete.
    Blue,
}

impl Rag {
    /// All statuses, worst first.
    pub const ALL: [Rag; 4] = [Rag::Red, Rag::Amber, Rag::Green, Rag::Blue];

    /// The status name.
    pub fn name(self) -> &'static str {
        match self {
            Rag::Red => "Red",
            Rag::Amber => "Amber",
            Rag::Green => "Green",
            Rag::Blue => "Blue",
        }
    }

    /// Lower-case name for CSS classes and ids.
    pub fn key(self) -> &'static str {
        match self {
            Rag::Red => "red",
            Rag::Amber => "amber",
            Rag::Green => "green",
            Rag::Blue => "blue",
        }
    }

    /// A letter shown beside the colour so status never relies on colour alone.
    pub fn letter(self) -> &'static str {
        match self {
            Rag::Red => "R",
            Rag::Amber => "A",
            Rag::Green => "G",
            Rag::Blue => "B",
        }
    }
}

impl FromStr for Rag {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "red" | "r" => Ok(Rag::Red),
            "amber" | "a" => Ok(Rag::Amber),
            "green" | "g" => Ok(Rag::Green),
            "blue" | "b" | "complete" => Ok(Rag::Blue),
            _ => Err(format!(
                "`{s}` is not a RAG status: expected one of blue, green, amber, red"
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Rag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// One cell of a table: a number, a piece of text, or blank (`-` or empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Cell {
    /// Nothing stated (blank or `-`).
    Blank,
    /// A number.
    Number(f64),
    /// A number written as a percentage (`59%`).
    Percent(f64),
    /// Text, kept as written (`115 (inc 40 at Level I)`, `Not known`).
    Text(String),
}

impl Cell {
    /// Read a cell from text as written in YAML or CSV.
    pub fn parse(raw: &str) -> Cell {
        let t = raw.trim();
        if t.is_empty() || t == "-" || t == "–" {
            Cell::Blank
        } else if let Some(v) = parse_number(t) {
            if t.ends_with('%') {
                Cell::Percent(v)
            } else {
                Cell::Number(v)
            }
        } else {
            Cell::Text(t.to_string())
        }
    }

    /// The number in the cell, if it holds one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Number(v) | Cell::Percent(v) => Some(*v),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Cell;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, text, or nothing")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
                Ok(Cell::Number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
                Ok(Cell::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
                Ok(Cell::Number(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
                Ok(Cell::parse(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Cell, E> {
                Ok(Cell::Text(if v { "Yes" } else { "No" }.into()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
                Ok(Cell::Blank)
            }
            fn visit_none<E: de::Error>(self) -> Result<Cell, E> {
                Ok(Cell::Blank)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fast_path_formats_exactly_as_the_standard_library_does() {
        // The figure shown must not depend on which path formats it.
        let slow = |v: f64, d: usize| {
            let mut out = String::new();
            exact_number(&mut out, v, d);
            out
        };
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..200_000u64 {
            // A spread of figures: round halves, tiny and large, negative.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = match i % 4 {
                0 => (x % 2_000_001) as f64 / 1000.0 - 1000.0,
                1 => (x % 100_000) as f64 / 8.0,
                2 => f64::from_bits(x) % 1e7,
                _ => (x % 1_000_000_000) as f64 / 100.0 + 0.005,
            };
            if !v.is_finite() {
                continue;
            }
            for d in 0..=3 {
                assert_eq!(format_number(v, d), slow(v, d), "{v:e} to {d}");
            }
        }
        assert_eq!(format_number(0.125, 2), "0.12");
        assert_eq!(format_number(2.675, 2), "2.67");
        assert_eq!(format_number(-0.004, 2), "0.00");
        assert_eq!(format_number(1234567.891, 1), "1,234,567.9");
    }
    use super::*;

    #[test]
    fn numbers_as_councils_write_them() {
        assert_eq!(parse_number("2,059"), Some(2059.0));
        assert_eq!(parse_number("-2,100"), Some(-2100.0));
        assert_eq!(parse_number("57.1%"), Some(57.1));
        assert_eq!(parse_number("£48,000"), Some(48000.0));
        assert_eq!(parse_number("Not known"), None);
        assert_eq!(parse_number("1,00"), None);
        assert_eq!(parse_number("115 (inc 40 at Level I)"), None);
    }

    #[test]
    fn formats_with_separators() {
        assert_eq!(format_number(21242.0, 0), "21,242");
        assert_eq!(format_number(21242.0, 2), "21,242.00");
        assert_eq!(format_number(-6789.0, 0), "-6,789");
        assert_eq!(format_number(57.1, 1), "57.1");
        assert_eq!(format_number(-0.01, 0), "0");
        assert_eq!(Unit::PoundsThousands.format(-132.0, 0), "-£132k");
        assert_eq!(Unit::Percent.format(66.0, 0), "66%");
        assert_eq!(natural_decimals(84.01), 2);
        assert_eq!(natural_decimals(9.0), 0);
    }

    #[test]
    fn units_parse() {
        assert_eq!("%".parse::<Unit>(), Ok(Unit::Percent));
        assert_eq!("rate per 10,000".parse::<Unit>(), Ok(Unit::Rate(10000)));
        assert_eq!("£'000".parse::<Unit>(), Ok(Unit::PoundsThousands));
        assert!("furlongs".parse::<Unit>().is_err());
    }

    #[test]
    fn cells() {
        assert_eq!(Cell::parse("-"), Cell::Blank);
        assert_eq!(Cell::parse("1,371"), Cell::Number(1371.0));
        assert_eq!(Cell::parse("Not known"), Cell::Text("Not known".into()));
        assert_eq!(Cell::parse("59%"), Cell::Percent(59.0));
        assert_eq!(Cell::parse("59%").number(), Some(59.0));
    }

    /// Whole numbers take a fast path; it writes exactly what formatting the
    /// float to a fixed number of decimals writes.
    #[test]
    fn whole_numbers_are_written_as_floats_are() {
        let slow = |v: f64, d: usize| {
            let s = format!("{:.*}", d, v.abs());
            let (int, frac) = s
                .split_once('.')
                .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
            let mut g = String::new();
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    g.push(',');
                }
                g.push(c);
            }
            let zero = s.bytes().all(|c| c == b'0' || c == b'.');
            let sign = if v < 0.0 && !zero { "-" } else { "" };
            frac.map_or(format!("{sign}{g}"), |f| format!("{sign}{g}.{f}"))
        };
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            999.0,
            1000.0,
            -1000.0,
            1e14,
            999_999_999_999_999.0,
            1e15,
            1e20,
            0.5,
            2.5,
            -0.01,
            57.1,
            f64::NAN,
            f64::INFINITY,
        ];
        let mut x: u64 = 88_172_645_463_325_252;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x % 10_000_000_000) as f64 * if x.is_multiple_of(2) { 1.0 } else { -1.0 });
            values.push((x % 100_000) as f64 / 8.0);
        }
        for v in values {
            for d in 0..4 {
                assert_eq!(format_number(v, d), slow(v, d), "{v} to {d} decimals");
            }
        }
    }
}
