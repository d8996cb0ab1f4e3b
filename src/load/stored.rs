//! A loaded plan in a compact binary form, for the build cache
//! ([`super::disk_cache`]): what loading a plan gave, written once and read
//! back by later builds instead of parsing the plan's YAML again.
//!
//! Every struct is stored field by field through [`store_struct!`], which
//! names each field twice (taking the value apart and putting it together),
//! so a field added to the model and not here fails to compile instead of
//! being silently dropped. Numbers keep their exact bits. Reading checks
//! every length against the bytes left and bounds nesting, so a damaged
//! file gives an error (and the plan is parsed), never a panic.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::columns::{ActionField, ColumnChoice, Columns, IndicatorChoice, IndicatorField};
use crate::model::{
    Action, ActionStatus, Appendix, Band, Baseline, Cell, Column, ColumnKind, Comparator, Contact,
    DateSpec, Deliverable, DocStatus, Figure, Frequency, Impact, ImpactKind, Include, Indicator,
    IndicatorChart, KeyFigure, Labels, LoadedPlan, Located, Objective, OrderedMap, Period,
    PeriodRange, Plan, Polarity, Pos, ProgressEntry, Rag, Risk, RowGroup, Section, Table,
    TableChart, TableChartKind, Tags, TotalRow, Unit,
};

/// Nesting deeper than this is refused (the YAML reader allows 64 levels).
const MAX_DEPTH: usize = 256;

/// Why stored bytes could not be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad(pub &'static str);

/// Bytes being written.
#[derive(Default)]
pub struct Writer {
    /// The bytes so far.
    pub bytes: Vec<u8>,
}

/// Bytes being read.
pub struct Reader<'a> {
    bytes: &'a [u8],
    depth: usize,
}

impl Writer {
    fn byte(&mut self, b: u8) {
        self.bytes.push(b);
    }

    fn number(&mut self, mut v: u64) {
        // Seven bits a byte, low first; the top bit says more follow.
        loop {
            let low = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.bytes.push(low);
                return;
            }
            self.bytes.push(low | 0x80);
        }
    }
}

impl<'a> Reader<'a> {
    /// A reader of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, depth: 0 }
    }

    /// True when every byte was read.
    pub fn at_end(&self) -> bool {
        self.bytes.is_empty()
    }

    /// How many bytes are left to read.
    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    fn byte(&mut self) -> Result<u8, Bad> {
        let (&b, rest) = self.bytes.split_first().ok_or(Bad("ends early"))?;
        self.bytes = rest;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Bad> {
        if n > self.bytes.len() {
            return Err(Bad("a length runs past the end"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn number(&mut self) -> Result<u64, Bad> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Bad("a number is too long"))
    }

    /// A count of items still to read: never more than the bytes left, as
    /// every item takes at least one.
    fn count(&mut self) -> Result<usize, Bad> {
        let n = usize::try_from(self.number()?).map_err(|_| Bad("a count is too large"))?;
        if n > self.bytes.len() {
            return Err(Bad("a count runs past the end"));
        }
        Ok(n)
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, Bad>) -> Result<T, Bad> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Bad("nested too deeply"));
        }
        let v = f(self);
        self.depth -= 1;
        v
    }
}

/// A value that can be written to and read back from the binary form.
pub trait Store: Sized {
    /// Append this value.
    fn put(&self, w: &mut Writer);
    /// Read a value written by [`Store::put`].
    fn get(r: &mut Reader) -> Result<Self, Bad>;
}

impl Store for bool {
    fn put(&self, w: &mut Writer) {
        w.byte(u8::from(*self));
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        match r.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Bad("not a yes or no")),
        }
    }
}

/// Unsigned numbers, as variable-length numbers.
macro_rules! store_unsigned {
    ($($t:ty),*) => {$(
        impl Store for $t {
            fn put(&self, w: &mut Writer) {
                w.number(*self as u64);
            }
            fn get(r: &mut Reader) -> Result<Self, Bad> {
                <$t>::try_from(r.number()?).map_err(|_| Bad("a number is out of range"))
            }
        }
    )*};
}
store_unsigned!(u8, u32, u64, usize);

/// Signed numbers, zig-zagged so small negatives stay short.
macro_rules! store_signed {
    ($($t:ty),*) => {$(
        impl Store for $t {
            fn put(&self, w: &mut Writer) {
                let v = i64::from(*self);
                w.number(((v << 1) ^ (v >> 63)) as u64);
            }
            fn get(r: &mut Reader) -> Result<Self, Bad> {
                let z = r.number()?;
                let v = ((z >> 1) as i64) ^ -((z & 1) as i64);
                <$t>::try_from(v).map_err(|_| Bad("a number is out of range"))
            }
        }
    )*};
}
store_signed!(i8, i16, i32, i64);

impl Store for f64 {
    fn put(&self, w: &mut Writer) {
        w.bytes.extend_from_slice(&self.to_bits().to_le_bytes());
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        let b: [u8; 8] = r.take(8)?.try_into().map_err(|_| Bad("ends early"))?;
        Ok(f64::from_bits(u64::from_le_bytes(b)))
    }
}

impl Store for String {
    fn put(&self, w: &mut Writer) {
        w.number(self.len() as u64);
        w.bytes.extend_from_slice(self.as_bytes());
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        let n = r.count()?;
        let b = r.take(n)?;
        std::str::from_utf8(b)
            .map(str::to_string)
            .map_err(|_| Bad("text is not UTF-8"))
    }
}

/// Paths are stored as text; [`storable`] tells whether a plan's can be.
impl Store for PathBuf {
    fn put(&self, w: &mut Writer) {
        self.to_string_lossy().into_owned().put(w);
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        String::get(r).map(PathBuf::from)
    }
}

impl<T: Store> Store for Option<T> {
    fn put(&self, w: &mut Writer) {
        match self {
            None => w.byte(0),
            Some(v) => {
                w.byte(1);
                v.put(w);
            }
        }
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        match r.byte()? {
            0 => Ok(None),
            1 => r.nested(T::get).map(Some),
            _ => Err(Bad("not an optional value")),
        }
    }
}

/// Write `items` as a `Vec<T>` is written (a borrowed list, not copied first).
fn put_all<'a, T: Store + 'a>(w: &mut Writer, items: impl ExactSizeIterator<Item = &'a T>) {
    w.number(items.len() as u64);
    for v in items {
        v.put(w);
    }
}

impl<T: Store> Store for Vec<T> {
    fn put(&self, w: &mut Writer) {
        put_all(w, self.iter());
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        let n = r.count()?;
        r.nested(|r| (0..n).map(|_| T::get(r)).collect())
    }
}

impl<A: Store, B: Store> Store for (A, B) {
    fn put(&self, w: &mut Writer) {
        self.0.put(w);
        self.1.put(w);
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        Ok((A::get(r)?, B::get(r)?))
    }
}

impl<T: Store> Store for Arc<T> {
    fn put(&self, w: &mut Writer) {
        (**self).put(w);
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        T::get(r).map(Arc::new)
    }
}

impl<K: Store, V: Store> Store for OrderedMap<K, V> {
    fn put(&self, w: &mut Writer) {
        self.0.put(w);
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        Vec::get(r).map(OrderedMap)
    }
}

impl Store for jiff::civil::Date {
    fn put(&self, w: &mut Writer) {
        self.year().put(w);
        self.month().put(w);
        self.day().put(w);
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        let (y, m, d) = (i16::get(r)?, i8::get(r)?, i8::get(r)?);
        jiff::civil::Date::new(y, m, d).map_err(|_| Bad("not a date"))
    }
}

/// A struct, field by field. Both lists are exhaustive patterns, so every
/// field of the model must be named here.
macro_rules! store_struct {
    ($($t:ident $(<$g:ident>)? { $($f:ident),* $(,)? })*) => {$(
        impl$(<$g: Store>)? Store for $t$(<$g>)? {
            fn put(&self, w: &mut Writer) {
                let $t { $($f),* } = self;
                $( $f.put(w); )*
            }
            fn get(r: &mut Reader) -> Result<Self, Bad> {
                Ok($t { $($f: Store::get(r)?),* })
            }
        }
    )*};
}

/// For values kept in the cache elsewhere (the history's `git log` listing).
pub(crate) use store_struct;

/// An enum whose variants hold nothing, as the variant's place in the list.
macro_rules! store_choice {
    ($($t:ident { $($v:ident),* $(,)? })*) => {$(
        impl Store for $t {
            fn put(&self, w: &mut Writer) {
                const ALL: &[$t] = &[$($t::$v),*];
                // Exhaustive: a new variant must be listed.
                match self { $($t::$v => {}),* }
                let i = ALL.iter().position(|v| v == self).unwrap_or(0);
                w.number(i as u64);
            }
            fn get(r: &mut Reader) -> Result<Self, Bad> {
                const ALL: &[$t] = &[$($t::$v),*];
                let i = usize::try_from(r.number()?).map_err(|_| Bad("no such choice"))?;
                ALL.get(i).copied().ok_or(Bad("no such choice"))
            }
        }
    )*};
}

store_struct! {
    Pos { line, column }
    Located<T> { value, pos, file }
    LoadedPlan { plan, dir, file }
    Plan {
        id, title, subtitle, kind, order, organisation, period, version, status, owner,
        sign_off, lead_partner, contacts, as_at, tags, key_figures, labels, columns,
        period_rule, status_words, status_key, glossary, sections, objectives, actions,
        indicators, tables, risks, appendix, blank_last_page,
    }
    PeriodRange { from, to }
    Contact { role, name }
    KeyFigure { label, value, note }
    Labels { objective, action, indicators, lead, partners }
    Tags {
        ecm_outcome, cypp_priority, laa_target, scs_theme, scs_priority, scs_outcomes,
        scs_short_term_priorities, corporate_parenting_principle, other,
    }
    Section { id, number, title, body, body_file, tables, include, page_break, columns, sections }
    Objective {
        reference, title, label, description, desired_impact, tags, target_saving,
        review_date, objectives, actions, indicators,
    }
    Action {
        reference, title, description, deliverables, leads, partners, age_group,
        target_date, revised_date, timescale, links, impact, priority, rag, status,
        review_date, added, progress, rag_note, pos,
    }
    Deliverable { text, target_date, revised_date, timescale, status, progress }
    Impact { kind, expected, measure, saving, reduction }
    ProgressEntry { period, date, text, rag, status, revised_date }
    Risk { reference, risk, mitigation, likelihood, impact, owner }
    Appendix { title, intro, notes }
    Indicator {
        id, reference, codes, title, definition, unit, decimals, polarity, baseline,
        actuals, targets, target, data, sheet, range, tolerance, target_text, rag, chart,
        disclosure, band, comparison, comparators, success_criteria, commentary,
        frequency, data_owner, tags,
    }
    Baseline { period, value, pos, period_defaulted }
    Band { key, value, period, note }
    Comparator { label, value, period }
    Figure { value, note }
    Table { id, title, unit, columns, rows, groups, csv, sheet, range, total, notes, chart }
    TableChart { kind, columns, title }
    Column { key, label, kind, formula, sum, suppress }
    RowGroup { title, rows, note }
    TotalRow { label, stated }
    DateSpec { date, month_only }
    Columns { actions, appendix, indicators }
    ColumnChoice { fields, label, always }
    IndicatorChoice { field, label, always }
}

store_choice! {
    DocStatus { Draft, Final, Approved }
    Include {
        Objectives, Actions, Indicators, Risks, KeyFigures, Keys, Glossary, Tags, AppendixLink,
    }
    ActionStatus { NotStarted, InProgress, Complete, Closed }
    ImpactKind { Cost, Time, Number }
    IndicatorChart { Auto, Trend, InYear, None }
    Frequency { Monthly, Quarterly, Annual }
    TableChartKind { Bars, Hbar, Stacked, Line, None }
    ColumnKind { Text, Number, Figure, Ref }
    Polarity { HigherIsBetter, LowerIsBetter }
    Rag { Red, Amber, Green, Blue }
    Severity { Error, Warning }
    ActionField {
        Objective, DesiredImpact, Ref, Action, Title, Description, Deliverables, Leads,
        Partners, AgeGroup, Timescale, TargetDate, RevisedDate, ReviewDate, Links, Impact,
        ImpactMeasure, Saving, Reduction, Progress, LatestProgress, Status, Priority,
    }
    IndicatorField {
        Indicator, Baseline, Actuals, Targets, InYear, TargetText, Status, Direction, Band,
        Comparison, Commentary,
    }
}

impl Store for Unit {
    fn put(&self, w: &mut Writer) {
        match self {
            Unit::Percent => w.byte(0),
            Unit::Count => w.byte(1),
            Unit::Number => w.byte(2),
            Unit::Rate(per) => {
                w.byte(3);
                per.put(w);
            }
            Unit::Days => w.byte(4),
            Unit::Pounds => w.byte(5),
            Unit::PoundsThousands => w.byte(6),
        }
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        Ok(match r.byte()? {
            0 => Unit::Percent,
            1 => Unit::Count,
            2 => Unit::Number,
            3 => Unit::Rate(u32::get(r)?),
            4 => Unit::Days,
            5 => Unit::Pounds,
            6 => Unit::PoundsThousands,
            _ => return Err(Bad("no such unit")),
        })
    }
}

impl Store for Cell {
    fn put(&self, w: &mut Writer) {
        match self {
            Cell::Blank => w.byte(0),
            Cell::Number(v) => {
                w.byte(1);
                v.put(w);
            }
            Cell::Percent(v) => {
                w.byte(2);
                v.put(w);
            }
            Cell::Text(t) => {
                w.byte(3);
                t.put(w);
            }
        }
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        Ok(match r.byte()? {
            0 => Cell::Blank,
            1 => Cell::Number(f64::get(r)?),
            2 => Cell::Percent(f64::get(r)?),
            3 => Cell::Text(String::get(r)?),
            _ => return Err(Bad("no such cell")),
        })
    }
}

impl Store for Period {
    fn put(&self, w: &mut Writer) {
        match *self {
            Period::Year(y) => {
                w.byte(0);
                y.put(w);
            }
            Period::Quarter(y, q) => {
                w.byte(1);
                y.put(w);
                q.put(w);
            }
            Period::Month(y, m) => {
                w.byte(2);
                y.put(w);
                m.put(w);
            }
        }
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        Ok(match r.byte()? {
            0 => Period::Year(i32::get(r)?),
            1 => Period::Quarter(i32::get(r)?, u8::get(r)?),
            2 => Period::Month(i32::get(r)?, u8::get(r)?),
            _ => return Err(Bad("no such period")),
        })
    }
}

/// The site's disclosure rule is applied after a plan is loaded, so a
/// stored plan has none; [`storable`] refuses a plan that has one.
impl Store for crate::model::Disclosure {
    fn put(&self, _: &mut Writer) {}
    fn get(_: &mut Reader) -> Result<Self, Bad> {
        Err(Bad("a disclosure rule is never stored"))
    }
}

store_struct! {
    Diagnostic { severity, file, pos, message, hint }
}

/// What loading one plan gave, as kept: the plan, its diagnostics with the
/// text of each file it read, and the ids of parts set aside.
pub struct Stored {
    /// The plan.
    pub plan: LoadedPlan,
    /// Its warnings (a stored plan had no errors).
    pub items: Vec<Diagnostic>,
    /// The text of each file it read, by path, for quoting lines.
    pub sources: Vec<(PathBuf, String)>,
    /// Ids of parts set aside.
    pub aside: Vec<String>,
}

impl Stored {
    /// Write what [`Stored::get`] reads back, from the parts as a build holds
    /// them (nothing copied first): the plan, its warnings, the text of each
    /// file it read in the order of their paths, and the parts set aside.
    pub fn put_parts(
        w: &mut Writer,
        plan: &LoadedPlan,
        items: &[Diagnostic],
        sources: &HashMap<PathBuf, String>,
        aside: &[String],
    ) {
        plan.put(w);
        put_all(w, items.iter());
        let mut sorted: Vec<(&PathBuf, &String)> = sources.iter().collect();
        sorted.sort();
        w.number(sorted.len() as u64);
        for (path, text) in sorted {
            path.put(w);
            text.put(w);
        }
        put_all(w, aside.iter());
    }
}

impl Store for Stored {
    fn put(&self, w: &mut Writer) {
        let sources = self.sources.iter().cloned().collect();
        Stored::put_parts(w, &self.plan, &self.items, &sources, &self.aside);
    }
    fn get(r: &mut Reader) -> Result<Self, Bad> {
        Ok(Stored {
            plan: Store::get(r)?,
            items: Store::get(r)?,
            sources: Store::get(r)?,
            aside: Store::get(r)?,
        })
    }
}

/// Whether a loaded plan can be stored and read back unchanged: see
/// [`plan_storable`]; and its folder, file and the files it read are named in text.
pub fn storable(lp: &LoadedPlan, sources: &HashMap<PathBuf, String>) -> bool {
    [&lp.dir, &lp.file]
        .into_iter()
        .chain(sources.keys())
        .all(|p| p.to_str().is_some())
        && plan_storable(&lp.plan)
}

/// Whether `plan` can be stored and read back unchanged: no site-wide
/// setting applied to it yet (a disclosure rule), and every file a value
/// names is named in text.
pub fn plan_storable(plan: &Plan) -> bool {
    fn lossy(f: &Option<Arc<PathBuf>>) -> bool {
        f.as_ref().is_some_and(|p| p.to_str().is_none())
    }
    // Located values name their file only when it is not the plan's YAML (a
    // CSV beside it): in the indicators' figures and the tables' rows.
    fn indicator(i: &Indicator) -> bool {
        i.disclosure.is_none()
            && !i
                .actuals
                .0
                .iter()
                .chain(&i.targets.0)
                .any(|(k, _)| lossy(&k.file))
    }
    fn objectives(os: &[Objective]) -> bool {
        os.iter()
            .all(|o| o.indicators.iter().all(indicator) && objectives(&o.objectives))
    }
    plan.indicators.iter().all(indicator)
        && objectives(&plan.objectives)
        && plan.tables.iter().all(|t| {
            !t.rows
                .iter()
                .chain(t.groups.iter().flat_map(|g| &g.rows))
                .any(|r| lossy(&r.file))
        })
}

/// Write `value` into a new byte buffer.
pub fn to_bytes<T: Store>(value: &T) -> Vec<u8> {
    let mut w = Writer::default();
    value.put(&mut w);
    w.bytes
}

/// Read a `T` that is the whole of `bytes`.
pub fn from_bytes<T: Store>(bytes: &[u8]) -> Result<T, Bad> {
    let mut r = Reader::new(bytes);
    let v = T::get(&mut r)?;
    if !r.at_end() {
        return Err(Bad("bytes left over"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_exact_value_and_sign() {
        for v in [0u64, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(from_bytes::<u64>(&to_bytes(&v)), Ok(v));
        }
        for v in [0i64, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            assert_eq!(from_bytes::<i64>(&to_bytes(&v)), Ok(v));
        }
        for v in [0.1f64, -0.0, 64.1, 1e300, f64::MIN_POSITIVE, 2.0f64.sqrt()] {
            let back = from_bytes::<f64>(&to_bytes(&v)).unwrap();
            assert_eq!(back.to_bits(), v.to_bits());
        }
    }

    #[test]
    fn damaged_bytes_are_refused_without_panicking() {
        let text = "a text long enough".to_string();
        let bytes = to_bytes(&vec![text.clone(), text]);
        // Every shortened copy, and every single-byte change, reads back as
        // an error or as some value: never a panic, never a huge allocation.
        for n in 0..bytes.len() {
            assert!(from_bytes::<Vec<String>>(&bytes[..n]).is_err());
        }
        for i in 0..bytes.len() {
            for b in [0u8, 0x7f, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[i] = b;
                let _ = from_bytes::<Vec<String>>(&damaged);
            }
        }
        // A count larger than the bytes left is refused before anything is made.
        let mut huge = Writer::default();
        huge.number(u64::MAX >> 1);
        assert!(from_bytes::<Vec<String>>(&huge.bytes).is_err());
        assert_eq!(
            from_bytes::<u8>(&[1, 2]),
            Err(Bad("bytes left over")),
            "trailing bytes are refused"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        fn dive(r: &mut Reader, n: usize) -> Result<(), Bad> {
            if n == 0 {
                return Ok(());
            }
            r.nested(|r| dive(r, n - 1))
        }
        assert!(dive(&mut Reader::new(&[]), MAX_DEPTH).is_ok());
        assert_eq!(
            dive(&mut Reader::new(&[]), MAX_DEPTH + 1),
            Err(Bad("nested too deeply"))
        );
    }
}
