//! Local days and instants in one time zone, as plain integers: a day is a count of days
//! since 1970-01-01 (local), an instant a count of seconds since the Unix epoch.
//!
//! Conversions are the hot path of every deadline, so they avoid the time zone database
//! where they can: a zone whose offset no longer changes (Asia/Kolkata since 1945, any
//! fixed offset) is plain arithmetic after its last transition; for the others the
//! transitions of 2000–2099 are copied into a table once, when the calendar is built, and
//! looked up by binary search. Only instants outside that window ask the database,
//! through jiff; all three ways give the same answers (tested below).

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};

pub(super) const SECONDS_PER_DAY: i64 = 86_400;

/// 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z: the window of the transition table.
const TABLE_FROM: i64 = 946_684_800;
const TABLE_UNTIL: i64 = 4_102_444_800;

/// A time zone with the conversions business time needs.
#[derive(Debug, Clone)]
pub(super) struct LocalZone {
    zone: TimeZone,
    /// From this instant on the offset is `fixed_offset` for good.
    fixed_from: i64,
    /// From this local day on every civil time maps with `fixed_offset`.
    fixed_from_day: i64,
    fixed_offset: i64,
    table: Table,
}

/// The zone's offset changes within [`TABLE_FROM`, `TABLE_UNTIL`).
#[derive(Clone, Default)]
struct Table {
    /// The instants at which the offset changes, ascending.
    at: Vec<i64>,
    /// The offset from each change on.
    offset: Vec<i64>,
    /// The local time at which each change happens, read with the offset before it.
    wall: Vec<i64>,
    /// The offset at `TABLE_FROM`.
    initial: i64,
}

impl std::fmt::Debug for Table {
    /// The number of changes only: two hundred of them say nothing to a reader.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table").field("changes", &self.at.len()).field("initial", &self.initial).finish()
    }
}

impl Table {
    fn new(zone: &TimeZone) -> Option<Self> {
        let from = Timestamp::from_second(TABLE_FROM).ok()?;
        let initial = i64::from(zone.to_offset(from).seconds());
        let mut table = Self { initial, ..Self::default() };
        let mut before = initial;
        for transition in zone.following(from) {
            let at = transition.timestamp().as_second();
            if at >= TABLE_UNTIL {
                break;
            }
            let offset = i64::from(transition.offset().seconds());
            // A change of name or of the DST flag alone changes nothing here.
            if offset != before {
                table.at.push(at);
                table.offset.push(offset);
                table.wall.push(at + before);
                before = offset;
            }
        }
        Some(table)
    }

    /// The offset at `instant`, which must lie in the table's window.
    fn offset_at(&self, instant: i64) -> i64 {
        match self.at.partition_point(|&at| at <= instant) {
            0 => self.initial,
            n => self.offset[n - 1],
        }
    }

    /// The instant of local time `local`, which must lie well inside the window.
    fn instant(&self, local: i64) -> i64 {
        let n = self.wall.partition_point(|&wall| wall <= local);
        if n == 0 {
            return local - self.initial;
        }
        let (at, offset) = (self.at[n - 1], self.offset[n - 1]);
        let before = if n >= 2 { self.offset[n - 2] } else { self.initial };
        // Past the wall time of the last change: in its gap, or after it. (A time in a
        // fold reads with the offset before the change, so it is below `wall` and was
        // answered by the change before: its first occurrence.)
        if offset > before && local < at + offset { at } else { local - offset }
    }
}

impl LocalZone {
    pub(super) fn new(zone: TimeZone) -> Self {
        let (fixed_from, fixed_offset) = if let Ok(offset) = zone.to_fixed_offset() {
            (i64::MIN, i64::from(offset.seconds()))
        } else if let Some(last) = zone.preceding(Timestamp::MAX).next() {
            (last.timestamp().as_second(), i64::from(last.offset().seconds()))
        } else {
            (i64::MIN, i64::from(zone.to_offset(Timestamp::UNIX_EPOCH).seconds()))
        };
        // Two days' margin past the local day of the last transition: every civil time of
        // a day from then on lies after it, whatever the offset before it was.
        let fixed_from_day = if fixed_from == i64::MIN {
            i64::MIN
        } else {
            fixed_from.saturating_add(fixed_offset).div_euclid(SECONDS_PER_DAY).saturating_add(2)
        };
        let table = if fixed_from > TABLE_FROM { Table::new(&zone).unwrap_or_default() } else { Table::default() };
        Self { zone, fixed_from, fixed_from_day, fixed_offset, table }
    }

    pub(super) fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// Whether the offset changed after `TABLE_FROM`, so the table holds the changes.
    fn has_table(&self) -> bool {
        self.fixed_from > TABLE_FROM
    }

    /// The local day `instant` (seconds) falls on.
    pub(super) fn day_of(&self, instant: i64) -> i64 {
        let offset = if instant >= self.fixed_from {
            self.fixed_offset
        } else if self.has_table() && (TABLE_FROM..TABLE_UNTIL).contains(&instant) {
            self.table.offset_at(instant)
        } else {
            self.tzdb_offset(instant)
        };
        instant.saturating_add(offset).div_euclid(SECONDS_PER_DAY)
    }

    fn tzdb_offset(&self, instant: i64) -> i64 {
        Timestamp::from_second(instant).map_or(0, |ts| i64::from(self.zone.to_offset(ts).seconds()))
    }

    /// The instant (seconds) of local civil time `minute` (0..=1440) on local `day`.
    ///
    /// A time the clocks skip (a gap: spring forward) maps to the instant the clocks
    /// jump, so a working interval cut by the gap just has less time and never runs
    /// backwards; a time the clocks repeat (a fold: fall back) maps to its first
    /// occurrence, as jiff's `compatible` disambiguation does. The mapping never
    /// decreases as the civil time grows. `None` outside jiff's range of years.
    pub(super) fn instant(&self, day: i64, minute: u16) -> Option<i64> {
        let local = day.checked_mul(SECONDS_PER_DAY)?.checked_add(i64::from(minute) * 60)?;
        if day >= self.fixed_from_day {
            return local.checked_sub(self.fixed_offset);
        }
        // Two days' margin inside the window: more than any offset.
        if self.has_table() && (TABLE_FROM + 2 * SECONDS_PER_DAY..TABLE_UNTIL - 2 * SECONDS_PER_DAY).contains(&local) {
            return Some(self.table.instant(local));
        }
        self.tzdb_instant(local)
    }

    fn tzdb_instant(&self, local: i64) -> Option<i64> {
        let datetime = civil_datetime(local)?;
        let offset = match self.zone.to_ambiguous_timestamp(datetime).offset() {
            AmbiguousOffset::Unambiguous { offset } => offset,
            AmbiguousOffset::Fold { before, .. } => before,
            AmbiguousOffset::Gap { after, .. } => {
                // The transition lies after `local` read with the later offset.
                let just_before = Timestamp::from_second(local - i64::from(after.seconds())).ok()?;
                return self.zone.following(just_before).next().map(|t| t.timestamp().as_second());
            }
        };
        Some(local - i64::from(offset.seconds()))
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub(super) fn epoch_day(date: Date) -> i64 {
    days_from_civil(i64::from(date.year()), i64::from(date.month()), i64::from(date.day()))
}

/// Monday-first index (0 = Monday) of the weekday of an epoch day.
pub(super) fn weekday_index(day: i64) -> usize {
    // 1970-01-01 was a Thursday.
    usize::try_from((day + 3).rem_euclid(7)).unwrap_or(0)
}

/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Howard Hinnant's `civil_from_days`: (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The civil datetime of local seconds since 1970-01-01T00:00.
fn civil_datetime(local: i64) -> Option<DateTime> {
    let (year, month, day) = civil_from_days(local.div_euclid(SECONDS_PER_DAY));
    let second_of_day = local.rem_euclid(SECONDS_PER_DAY);
    let date = Date::new(i16::try_from(year).ok()?, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()?;
    let time = Time::new(
        i8::try_from(second_of_day / 3600).ok()?,
        i8::try_from(second_of_day / 60 % 60).ok()?,
        i8::try_from(second_of_day % 60).ok()?,
        0,
    )
    .ok()?;
    Some(DateTime::from_parts(date, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_agree_with_jiff() {
        for raw in ["1970-01-01", "1969-12-31", "2000-02-29", "2024-03-01", "2100-12-31", "1900-01-01", "0001-01-01"] {
            let date: Date = raw.parse().unwrap();
            let day = epoch_day(date);
            let via_jiff =
                date.to_zoned_datetime(TimeZone::UTC).unwrap().timestamp().as_second().div_euclid(SECONDS_PER_DAY);
            assert_eq!(day, via_jiff, "{raw}");
            assert_eq!(civil_datetime(day * SECONDS_PER_DAY).unwrap().date(), date, "{raw}");
            assert_eq!(weekday_index(day), usize::try_from(date.weekday().to_monday_zero_offset()).unwrap(), "{raw}");
        }
    }

    #[test]
    fn the_table_answers_as_the_time_zone_database_does() {
        for name in [
            "Europe/London",
            "America/New_York",
            "Australia/Lord_Howe",
            "Pacific/Chatham",
            "America/Sao_Paulo",
            "Asia/Tehran",
        ] {
            let zone = LocalZone::new(TimeZone::get(name).unwrap());
            assert!(zone.has_table() && !zone.table.at.is_empty(), "{name}");
            // Every 15 minutes of 2000–2099 would be slow in a debug build: the days
            // around each change, and every 29th day besides.
            let mut days: Vec<i64> = zone
                .table
                .at
                .iter()
                .flat_map(|at| {
                    let day = at.div_euclid(SECONDS_PER_DAY);
                    day - 1..=day + 1
                })
                .collect();
            days.extend((TABLE_FROM / SECONDS_PER_DAY + 2..TABLE_UNTIL / SECONDS_PER_DAY - 2).step_by(29));
            for day in days {
                for minute in (0..=1440).step_by(15) {
                    let local = day * SECONDS_PER_DAY + i64::from(minute) * 60;
                    assert_eq!(zone.instant(day, minute), zone.tzdb_instant(local), "{name} {day} {minute}");
                    let instant = local - 3 * 3600;
                    assert_eq!(zone.table.offset_at(instant), zone.tzdb_offset(instant), "{name} {instant}");
                }
            }
        }
    }

    #[test]
    fn kolkata_is_plain_arithmetic_since_1945() {
        let zone = LocalZone::new(TimeZone::get("Asia/Kolkata").unwrap());
        assert!(zone.fixed_from < 0, "{}", zone.fixed_from);
        assert_eq!(zone.fixed_offset, 19_800);
        let london = LocalZone::new(TimeZone::get("Europe/London").unwrap());
        assert!(london.fixed_from > 4_000_000_000, "{}", london.fixed_from);
    }

    #[test]
    fn skipped_times_map_to_the_jump_and_repeated_ones_to_their_first_occurrence() {
        let new_york = LocalZone::new(TimeZone::get("America/New_York").unwrap());
        let day = epoch_day("2026-03-08".parse().unwrap());
        let jump: Timestamp = "2026-03-08T07:00:00Z".parse().unwrap();
        assert_eq!(new_york.instant(day, 2 * 60 + 30), Some(jump.as_second()));
        assert_eq!(new_york.instant(day, 2 * 60), Some(jump.as_second()));
        assert_eq!(new_york.instant(day, 3 * 60), Some(jump.as_second()));
        assert_eq!(new_york.instant(day, 60 + 59), Some(jump.as_second() - 60));
        let day = epoch_day("2026-11-01".parse().unwrap());
        let first: Timestamp = "2026-11-01T05:30:00Z".parse().unwrap();
        assert_eq!(new_york.instant(day, 60 + 30), Some(first.as_second()));
        assert_eq!(new_york.day_of(first.as_second() + 3600), day);
    }
}
