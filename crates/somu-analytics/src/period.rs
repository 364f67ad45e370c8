//! Periods: ISO weeks (Monday start, UTC), months, quarters and any date range.
//!
//! Every timestamp is converted to UTC before it is bucketed, so a post at 23:30 on Sunday in
//! New York (04:30 Monday UTC) belongs to the next ISO week, the same for every viewer.

use std::fmt;
use time::{Date, Month as TimeMonth, OffsetDateTime, UtcOffset, Weekday};

/// An ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    monday: Date,
}

impl IsoWeek {
    /// The week containing `date`.
    pub fn of_date(date: Date) -> IsoWeek {
        let back = i64::from(date.weekday().number_days_from_monday());
        // Subtracting at most 6 days only fails at the very start of `time`'s range.
        let monday = date
            .checked_sub(time::Duration::days(back))
            .unwrap_or(Date::MIN);
        IsoWeek { monday }
    }

    /// The week containing the UTC instant of `t`.
    pub fn of(t: OffsetDateTime) -> IsoWeek {
        IsoWeek::of_date(t.to_offset(UtcOffset::UTC).date())
    }

    /// Week `week` of ISO year `year`, if it exists (week 53 exists only in long years).
    pub fn new(year: i32, week: u8) -> Option<IsoWeek> {
        Date::from_iso_week_date(year, week, Weekday::Monday)
            .ok()
            .map(|monday| IsoWeek { monday })
    }

    /// The Monday that starts the week.
    pub fn monday(self) -> Date {
        self.monday
    }

    /// ISO year and week number.
    pub fn year_week(self) -> (i32, u8) {
        let (y, w, _) = self.monday.to_iso_week_date();
        (y, w)
    }

    /// A dense, monotonic week number (weeks since a fixed Monday), for arrays and
    /// arithmetic: `index(w + k) = index(w) + k`.
    pub fn index(self) -> i64 {
        // Julian day 0 is a Monday, so Mondays are exactly the multiples of 7.
        i64::from(self.monday.to_julian_day()).div_euclid(7)
    }

    /// The week with the given [`IsoWeek::index`], if representable.
    pub fn from_index(index: i64) -> Option<IsoWeek> {
        let jd = i32::try_from(index.checked_mul(7)?).ok()?;
        Date::from_julian_day(jd)
            .ok()
            .map(|monday| IsoWeek { monday })
    }

    /// The week `k` weeks later (earlier if negative).
    pub fn offset(self, k: i64) -> Option<IsoWeek> {
        IsoWeek::from_index(self.index().checked_add(k)?)
    }

    /// Start (inclusive) and end (exclusive) instants, UTC.
    pub fn bounds(self) -> (OffsetDateTime, OffsetDateTime) {
        let start = self.monday.midnight().assume_utc();
        (start, start + time::Duration::weeks(1))
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, w) = self.year_week();
        write!(f, "{y}-W{w:02}")
    }
}

/// A calendar month (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// Calendar year.
    pub year: i32,
    /// Month.
    pub month: TimeMonth,
}

impl YearMonth {
    /// The month containing the UTC instant of `t`.
    pub fn of(t: OffsetDateTime) -> YearMonth {
        let d = t.to_offset(UtcOffset::UTC).date();
        YearMonth {
            year: d.year(),
            month: d.month(),
        }
    }

    /// The quarter this month belongs to.
    pub fn quarter(self) -> Quarter {
        Quarter {
            year: self.year,
            quarter: (u8::from(self.month) - 1) / 3 + 1,
        }
    }
}

/// A calendar quarter (UTC): Q1 = January–March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    /// Calendar year.
    pub year: i32,
    /// 1 to 4.
    pub quarter: u8,
}

impl Quarter {
    /// The quarter containing the UTC instant of `t`.
    pub fn of(t: OffsetDateTime) -> Quarter {
        YearMonth::of(t).quarter()
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.quarter)
    }
}

/// Any range of whole days, both ends inclusive, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// First day.
    pub first: Date,
    /// Last day (inclusive).
    pub last: Date,
}

impl DateRange {
    /// A range; `None` when `last` is before `first`.
    pub fn new(first: Date, last: Date) -> Option<DateRange> {
        (first <= last).then_some(DateRange { first, last })
    }

    /// True when the UTC day of `t` lies within the range.
    pub fn contains(&self, t: OffsetDateTime) -> bool {
        let d = t.to_offset(UtcOffset::UTC).date();
        self.first <= d && d <= self.last
    }

    /// The instant the period ends (start of the day after `last`, UTC): the `t` at which
    /// end-of-period follower counts are read.
    pub fn end_instant(&self) -> OffsetDateTime {
        let next = self.last.next_day().unwrap_or(self.last);
        next.midnight().assume_utc()
    }

    /// The range covering one ISO week.
    pub fn of_week(w: IsoWeek) -> DateRange {
        let last = w
            .monday()
            .checked_add(time::Duration::days(6))
            .unwrap_or(w.monday());
        DateRange {
            first: w.monday(),
            last,
        }
    }

    /// The range covering one calendar month.
    pub fn of_month(m: YearMonth) -> Option<DateRange> {
        let first = Date::from_calendar_date(m.year, m.month, 1).ok()?;
        let last = Date::from_calendar_date(m.year, m.month, m.month.length(m.year)).ok()?;
        Some(DateRange { first, last })
    }

    /// The range covering one quarter.
    pub fn of_quarter(q: Quarter) -> Option<DateRange> {
        let first_month = TimeMonth::try_from(q.quarter.checked_sub(1)? * 3 + 1).ok()?;
        let last_month = TimeMonth::try_from(q.quarter * 3).ok()?;
        let first = Date::from_calendar_date(q.year, first_month, 1).ok()?;
        let last = Date::from_calendar_date(q.year, last_month, last_month.length(q.year)).ok()?;
        Some(DateRange { first, last })
    }

    /// The ISO weeks touching this range, in order.
    pub fn weeks(&self) -> impl Iterator<Item = IsoWeek> {
        let a = IsoWeek::of_date(self.first).index();
        let b = IsoWeek::of_date(self.last).index();
        (a..=b).filter_map(IsoWeek::from_index)
    }
}

/// Any reporting period: an ISO week, a month, a quarter or a date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// One ISO week.
    Week(IsoWeek),
    /// One calendar month.
    Month(YearMonth),
    /// One calendar quarter.
    Quarter(Quarter),
    /// Any range of days.
    Range(DateRange),
}

impl Period {
    /// The days the period covers; `None` only for dates outside `time`'s range.
    pub fn days(&self) -> Option<DateRange> {
        match self {
            Period::Week(w) => Some(DateRange::of_week(*w)),
            Period::Month(m) => DateRange::of_month(*m),
            Period::Quarter(q) => DateRange::of_quarter(*q),
            Period::Range(r) => Some(*r),
        }
    }

    /// True when the UTC day of `t` lies in the period.
    pub fn contains(&self, t: OffsetDateTime) -> bool {
        self.days().is_some_and(|r| r.contains(t))
    }

    /// The instant at which end-of-period figures (followers, audience) are read.
    pub fn end_instant(&self) -> Option<OffsetDateTime> {
        self.days().map(|r| r.end_instant())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn iso_week_starts_monday_utc() {
        // 2026-03-02 is a Monday; 2026-03-08 23:59 UTC is the Sunday of the same week.
        let w = IsoWeek::of(datetime!(2026-03-08 23:59 UTC));
        assert_eq!(w.monday(), date!(2026 - 03 - 02));
        assert_eq!(w.year_week(), (2026, 10));
        assert_eq!(w.to_string(), "2026-W10");
        // Sunday 23:30 in New York (UTC-5) is Monday 04:30 UTC: the next week.
        let ny = IsoWeek::of(datetime!(2026-03-08 23:30 -5));
        assert_eq!(ny.year_week(), (2026, 11));
    }

    #[test]
    fn iso_year_differs_from_calendar_year_at_edges() {
        // 2027-01-01 is a Friday; it belongs to ISO week 53 of 2026 (2026 starts on Thursday).
        assert_eq!(
            IsoWeek::of_date(date!(2027 - 01 - 01)).year_week(),
            (2026, 53)
        );
        assert!(IsoWeek::new(2025, 53).is_none());
    }

    #[test]
    fn index_is_dense_across_years() {
        let w = IsoWeek::new(2026, 52).unwrap();
        let next = w.offset(2).unwrap();
        assert_eq!(next.year_week(), (2027, 1));
        assert_eq!(next.index() - w.index(), 2);
        assert_eq!(IsoWeek::from_index(w.index()), Some(w));
    }

    #[test]
    fn period_enum_covers_each_kind() {
        let t = datetime!(2026-02-28 12:00 UTC);
        let m = Period::Month(YearMonth::of(t));
        assert!(m.contains(t));
        assert!(!m.contains(datetime!(2026-03-01 00:00 UTC)));
        assert_eq!(m.end_instant(), Some(datetime!(2026-03-01 00:00 UTC)));
        let w = Period::Week(IsoWeek::of(t)); // Mon 23 Feb … Sun 1 Mar 2026
        assert!(w.contains(datetime!(2026-03-01 23:59 UTC)));
        assert_eq!(
            Period::Quarter(Quarter::of(t)).days().map(|r| r.last),
            Some(date!(2026 - 03 - 31))
        );
    }

    #[test]
    fn month_quarter_and_ranges() {
        let t = datetime!(2026-08-31 22:00 -3); // 2026-09-01 01:00 UTC
        assert_eq!(YearMonth::of(t).month, TimeMonth::September);
        assert_eq!(
            Quarter::of(t),
            Quarter {
                year: 2026,
                quarter: 3
            }
        );
        let q = DateRange::of_quarter(Quarter {
            year: 2024,
            quarter: 1,
        })
        .unwrap();
        // 2024 is a leap year: Q1 ends on 31 March, and February has 29 days.
        assert_eq!(
            (q.first, q.last),
            (date!(2024 - 01 - 01), date!(2024 - 03 - 31))
        );
        let feb = DateRange::of_month(YearMonth {
            year: 2024,
            month: TimeMonth::February,
        });
        assert_eq!(feb.map(|r| r.last), Some(date!(2024 - 02 - 29)));
        assert!(q.contains(datetime!(2024-03-31 23:59 UTC)));
        assert!(!q.contains(datetime!(2024-04-01 00:00 UTC)));
        assert_eq!(q.end_instant(), datetime!(2024-04-01 00:00 UTC));
        // Jan 1 2024 is a Monday and Mar 31 a Sunday: exactly 13 weeks.
        assert_eq!(q.weeks().count(), 13);
        assert!(DateRange::new(date!(2024 - 01 - 02), date!(2024 - 01 - 01)).is_none());
        assert!(DateRange::of_quarter(Quarter {
            year: 2024,
            quarter: 0
        })
        .is_none());
    }
}
