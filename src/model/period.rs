//! Reporting periods (financial years, quarters, months) and calendar dates.
//!
//! Periods are written the way officers write them: `2008/09` for a financial
//! year, `2008/09 Q2` for its second quarter, `2005-09` for a calendar month.
//! Which month a financial year starts in is a site setting ([`Calendar`]).

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The reporting calendar: the month (1–12) a financial year starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// First month of the financial year, 4 (April) by default.
    #[serde(default = "Calendar::default_start")]
    pub year_start_month: u8,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            year_start_month: Self::default_start(),
        }
    }
}

impl Calendar {
    fn default_start() -> u8 {
        4
    }

    /// Months since year 0 of the first month of `period` (0-based month index).
    pub fn start_index(&self, period: Period) -> i64 {
        let s = i64::from(self.year_start_month) - 1;
        match period {
            Period::Year(y) => i64::from(y) * 12 + s,
            Period::Quarter(y, q) => i64::from(y) * 12 + s + 3 * (i64::from(q) - 1),
            Period::Month(y, m) => i64::from(y) * 12 + i64::from(m) - 1,
        }
    }

    /// Month index of the last month covered by `period`.
    pub fn end_index(&self, period: Period) -> i64 {
        self.start_index(period) + i64::from(period.months()) - 1
    }

    /// A sort key that orders periods by end month, then by length (shorter first).
    pub fn sort_key(&self, period: Period) -> (i64, u8) {
        (self.end_index(period), period.months())
    }

    /// The financial year that contains `period`.
    pub fn year_of(&self, period: Period) -> Period {
        match period {
            Period::Year(_) | Period::Quarter(..) => Period::Year(period.year_start()),
            Period::Month(y, m) => {
                if m >= self.year_start_month {
                    Period::Year(y)
                } else {
                    Period::Year(y - 1)
                }
            }
        }
    }

    /// True when `inner` lies wholly inside `outer`.
    pub fn contains(&self, outer: Period, inner: Period) -> bool {
        self.start_index(inner) >= self.start_index(outer)
            && self.end_index(inner) <= self.end_index(outer)
    }

    /// The period of the same kind immediately before `period`.
    pub fn previous(&self, period: Period) -> Period {
        match period {
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
        }
    }

    /// The last calendar day of `period`.
    pub fn end_date(&self, period: Period) -> Date {
        let idx = self.end_index(period);
        let year = idx.div_euclid(12) as i16;
        let month = (idx.rem_euclid(12) + 1) as i8;
        // A valid year/month always has a last day; fall back to the 28th defensively.
        Date::new(year, month, 1)
            .map(|d| d.last_of_month())
            .unwrap_or_else(|_| Date::constant(2000, 1, 28))
    }

    /// Human label of the months a quarter spans, e.g. `Apr–Jun 2008`.
    pub fn describe(&self, period: Period) -> String {
        let start = self.start_index(period);
        let end = self.end_index(period);
        let name = |i: i64| MONTHS[i.rem_euclid(12) as usize];
        format!("{}–{} {}", name(start), name(end), end.div_euclid(12))
    }
}

/// A reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// A financial year, named by the calendar year it starts in (`2008/09` is `Year(2008)`).
    Year(i32),
    /// A quarter (1–4) of a financial year.
    Quarter(i32, u8),
    /// A calendar month (year, 1–12).
    Month(i32, u8),
}

impl Period {
    /// Number of months the period covers.
    pub fn months(self) -> u8 {
        match self {
            Period::Year(_) => 12,
            Period::Quarter(..) => 3,
            Period::Month(..) => 1,
        }
    }

    /// The financial year the period is keyed to (for quarters and years).
    fn year_start(self) -> i32 {
        match self {
            Period::Year(y) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }

    /// True for a whole financial year.
    pub fn is_year(self) -> bool {
        matches!(self, Period::Year(_))
    }

    /// A short label suitable for a table header (`08/09`, `Q1 08/09`, `Sep 05`).
    pub fn short(self) -> String {
        match self {
            Period::Year(y) => format!("{:02}/{:02}", y.rem_euclid(100), (y + 1).rem_euclid(100)),
            Period::Quarter(y, q) => format!(
                "Q{q} {:02}/{:02}",
                y.rem_euclid(100),
                (y + 1).rem_euclid(100)
            ),
            Period::Month(y, m) => {
                format!("{} {:02}", MONTHS[usize::from(m - 1)], y.rem_euclid(100))
            }
        }
    }

    /// A string safe for URLs and file names (`2008-09-q2`).
    pub fn slug(self) -> String {
        match self {
            Period::Year(y) => format!("{y}-{:02}", (y + 1).rem_euclid(100)),
            Period::Quarter(y, q) => format!("{y}-{:02}-q{q}", (y + 1).rem_euclid(100)),
            Period::Month(y, m) => format!("{y}-{m:02}"),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Year(y) => write!(f, "{y}/{:02}", (y + 1).rem_euclid(100)),
            Period::Quarter(y, q) => write!(f, "{y}/{:02} Q{q}", (y + 1).rem_euclid(100)),
            Period::Month(y, m) => write!(f, "{} {y}", MONTHS[usize::from(m - 1)]),
        }
    }
}

/// What a period must look like; used in error messages.
pub const PERIOD_HELP: &str =
    "a financial year like 2008/09, a quarter like 2008/09 Q2, or a month like 2005-09";

fn parse_year(s: &str) -> Result<i32, String> {
    let (a, b) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}` is not a period: expected {PERIOD_HELP}"))?;
    if a.len() != 4 || b.len() != 2 || !a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()) {
        return Err(format!("`{s}` is not a period: expected {PERIOD_HELP}"));
    }
    let start: i32 = a.parse().map_err(|_| format!("`{s}`: bad year"))?;
    let end: i32 = b.parse().map_err(|_| format!("`{s}`: bad year"))?;
    if (start + 1).rem_euclid(100) != end {
        return Err(format!(
            "`{s}` is not a financial year: the second part must be the year after the first (did you mean {start}/{:02}?)",
            (start + 1).rem_euclid(100)
        ));
    }
    Ok(start)
}

impl FromStr for Period {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let s = raw.trim();
        if let Some((year, quarter)) = s.split_once(' ') {
            // A year-shaped first part keeps its own message ("did you mean 2016/17?");
            // anything else is quoted whole (`Q1 2016`).
            let y = parse_year(year.trim()).map_err(|e| {
                if year.contains('/') {
                    e
                } else {
                    format!("`{s}` is not a period: expected {PERIOD_HELP}")
                }
            })?;
            let q = quarter.trim();
            let n = q
                .strip_prefix('Q')
                .or_else(|| q.strip_prefix('q'))
                .and_then(|n| n.parse::<u8>().ok())
                .ok_or_else(|| format!("`{s}` is not a period: expected {PERIOD_HELP}"))?;
            if !(1..=4).contains(&n) {
                return Err(format!(
                    "`{s}`: a financial year has quarters Q1 to Q4, not Q{n}"
                ));
            }
            return Ok(Period::Quarter(y, n));
        }
        if s.contains('/') {
            return parse_year(s).map(Period::Year);
        }
        if let Some((y, m)) = s.split_once('-')
            && y.len() == 4
            && let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u8>())
        {
            if !(1..=12).contains(&m) {
                return Err(format!(
                    "`{s}`: month {m} does not exist (expected 01 to 12)"
                ));
            }
            return Ok(Period::Month(y, m));
        }
        Err(format!("`{s}` is not a period: expected {PERIOD_HELP}"))
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A date an author gives: a whole day (`2016-06-30`) or a month (`2016-06`, due by its end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateSpec {
    /// The day the date means (the last day of the month for month dates).
    pub date: Date,
    /// True when only the month was given.
    pub month_only: bool,
}

impl fmt::Display for DateSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = MONTHS[(self.date.month() - 1) as usize];
        if self.month_only {
            write!(f, "{m} {}", self.date.year())
        } else {
            write!(f, "{} {m} {}", self.date.day(), self.date.year())
        }
    }
}

/// What a date must look like; used in error messages.
pub const DATE_HELP: &str = "a date like 2016-06-30, or a month like 2016-06";

impl FromStr for DateSpec {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let s = raw.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let bad = || format!("`{s}` is not a date: expected {DATE_HELP}");
        let num = |p: &str, len: usize| -> Result<i32, String> {
            if p.len() != len || !p.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse::<i32>().map_err(|_| bad())
        };
        match parts.as_slice() {
            [y, m] => {
                let (y, m) = (num(y, 4)?, num(m, 2)?);
                let first = Date::new(y as i16, m as i8, 1)
                    .map_err(|_| format!("`{s}`: month {m} does not exist (expected 01 to 12)"))?;
                Ok(DateSpec {
                    date: first.last_of_month(),
                    month_only: true,
                })
            }
            [y, m, d] => {
                let (y, m, d) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
                let date = Date::new(y as i16, m as i8, d as i8).map_err(|_| {
                    let name = MONTHS.get((m as usize).wrapping_sub(1)).copied();
                    match name {
                        Some(name) => format!("`{s}`: there is no {d} {name} {y}"),
                        None => format!("`{s}`: month {m} does not exist (expected 01 to 12)"),
                    }
                })?;
                Ok(DateSpec {
                    date,
                    month_only: false,
                })
            }
            _ => Err(bad()),
        }
    }
}

impl<'de> Deserialize<'de> for DateSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for DateSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_periods() {
        assert_eq!("2008/09".parse::<Period>(), Ok(Period::Year(2008)));
        assert_eq!("2008/09 Q2".parse::<Period>(), Ok(Period::Quarter(2008, 2)));
        assert_eq!("2005-09".parse::<Period>(), Ok(Period::Month(2005, 9)));
        assert_eq!("1999/00".parse::<Period>(), Ok(Period::Year(1999)));
        assert_eq!(Period::Quarter(2008, 2).to_string(), "2008/09 Q2");
        assert_eq!(Period::Year(2008).short(), "08/09");
        assert_eq!(Period::Quarter(2008, 2).slug(), "2008-09-q2");
    }

    #[test]
    fn rejects_bad_periods_with_reasons() {
        let e = "2008/10".parse::<Period>().unwrap_err();
        assert!(e.contains("did you mean 2008/09"), "{e}");
        let e = "2008/09 Q5".parse::<Period>().unwrap_err();
        assert!(e.contains("Q1 to Q4"), "{e}");
        assert!("2008".parse::<Period>().is_err());
        assert!("2005-13".parse::<Period>().is_err());
        let e = "Q1 2016".parse::<Period>().unwrap_err();
        assert!(e.starts_with("`Q1 2016` is not a period"), "{e}");
    }

    #[test]
    fn calendar_orders_and_contains() {
        let cal = Calendar::default();
        let q1 = Period::Quarter(2008, 1);
        assert!(cal.contains(Period::Year(2008), q1));
        assert!(!cal.contains(Period::Year(2007), q1));
        assert_eq!(cal.previous(q1), Period::Quarter(2007, 4));
        assert_eq!(cal.year_of(Period::Month(2009, 2)), Period::Year(2008));
        assert_eq!(cal.describe(q1), "Apr–Jun 2008");
        assert_eq!(cal.end_date(q1).to_string(), "2008-06-30");
        assert!(cal.sort_key(q1) < cal.sort_key(Period::Year(2008)));
    }

    #[test]
    fn dates_validate_days() {
        let d: DateSpec = "2016-06".parse().unwrap();
        assert_eq!(d.to_string(), "Jun 2016");
        assert_eq!(d.date.to_string(), "2016-06-30");
        let e = "2016-02-31".parse::<DateSpec>().unwrap_err();
        assert!(e.contains("no 31 Feb 2016"), "{e}");
        assert!("Jun-16".parse::<DateSpec>().is_err());
    }
}
