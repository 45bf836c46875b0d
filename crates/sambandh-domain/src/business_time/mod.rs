//! Business time: when a branch works, and arithmetic on working time
//! ([`BusinessCalendar`], [`WeeklyHours`]). The rules are on [`BusinessCalendar`].

mod hours;
mod zone;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

pub use hours::{WeeklyHours, WorkInterval};
use zone::LocalZone;

/// How many days in a row without working time a search walks before it gives up
/// (three years).
pub const MAX_IDLE_DAYS: u32 = 3 * 366;

/// A branch's working time: weekly hours in its time zone, less its holidays.
///
/// On it, service-level deadlines are computed ([`crate::due`]): "4 working hours after
/// the mail came", "by the end of the business day". Build it once per branch and keep
/// it: the holidays are sorted once, and for a zone whose offset no longer changes
/// (Asia/Kolkata) conversions are plain arithmetic; for others the offset changes of
/// 2000–2099 are copied into a table at construction (a few kilobytes).
///
/// # The rules
///
/// - **Working intervals are local civil time.** `Mon-Fri 09:30-18:00` in
///   Europe/London opens at 09:30 on the clock whatever the season. Each interval becomes
///   a span of instants `[open, close)`: open at the opening instant, closed at the
///   closing one. A deadline, though, may fall *on* a closing instant (`18:00` is "by the
///   end of the day"), so a due instant lies in `(open, close]`.
/// - **Daylight-saving changes.** A time the clocks repeat (autumn) means its first
///   occurrence (jiff's `compatible` disambiguation). A time the clocks skip (spring)
///   means the moment they jump — `compatible` would instead move it forward by the length
///   of the gap, which could make an interval run backwards or overlap the next one. So a
///   day whose interval is cut by a gap just has less working time (`00:00-03:00` on the
///   London spring-forward day is two hours), and one with a repeated hour more.
/// - **Holidays** are local dates: no interval of that date is worked. An interval
///   belongs to the date it opens on, so `Fri 22:00-24:00` is worked even when Saturday
///   is a holiday.
/// - **Intervals that touch across midnight** (`Fri 22:00-24:00; Sat 00:00-02:00`) are
///   continuous working time.
/// - **A calendar with no hours** has no working time: every computation that needs some
///   returns `None`. A calendar with hours always has more working time ahead; searches
///   still give up after [`MAX_IDLE_DAYS`] consecutive days without any, so no input can
///   make them loop for long.
#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    zone: LocalZone,
    hours: WeeklyHours,
    holidays: Vec<Date>,
    /// The holidays as local epoch days, sorted, for binary search.
    holiday_days: Vec<i64>,
}

/// One working interval as instants (seconds since the Unix epoch): `[start, end)`,
/// on the local `day` it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    day: i64,
    start: i64,
    end: i64,
}

impl BusinessCalendar {
    /// A calendar from hours in `zone` and holidays (any order; repeats are ignored).
    pub fn new(zone: TimeZone, hours: WeeklyHours, holidays: impl IntoIterator<Item = Date>) -> Self {
        let mut holidays: Vec<Date> = holidays.into_iter().collect();
        holidays.sort_unstable();
        holidays.dedup();
        let holiday_days = holidays.iter().copied().map(zone::epoch_day).collect();
        Self { zone: LocalZone::new(zone), hours, holidays, holiday_days }
    }

    pub fn zone(&self) -> &TimeZone {
        self.zone.zone()
    }

    pub fn hours(&self) -> &WeeklyHours {
        &self.hours
    }

    /// The holidays, sorted.
    pub fn holidays(&self) -> &[Date] {
        &self.holidays
    }

    /// Whether `date` is a holiday in this calendar.
    pub fn is_holiday(&self, date: Date) -> bool {
        self.holidays.binary_search(&date).is_ok()
    }

    /// Whether `at` is working time: inside a working interval (the opening instant
    /// included, the closing one not) of a day that is not a holiday.
    pub fn is_working(&self, at: Timestamp) -> bool {
        let second = floor_second(at);
        self.spans_from(second).next().is_some_and(|span| span.start <= second)
    }

    /// The instant at which `duration` of working time has passed, counting from `start`,
    /// or from the next opening when `start` is outside working time.
    ///
    /// The answer may be a closing instant: 30 minutes from 17:30 with hours to 18:00 is
    /// 18:00 that day, not the next opening. A zero (or negative) duration gives the
    /// first working instant at or after `start`. `None` when the calendar has no working
    /// time (no hours; or none within [`MAX_IDLE_DAYS`] days of a stretch of holidays).
    pub fn add(&self, start: Timestamp, duration: SignedDuration) -> Option<Timestamp> {
        if self.hours.is_closed() {
            return None;
        }
        let mut remaining = duration.max(SignedDuration::ZERO);
        for span in self.spans_from(floor_second(start)) {
            let (open, close) = (instant(span.start)?, instant(span.end)?);
            let from = open.max(start);
            let available = close.duration_since(from);
            if remaining <= available {
                return from.checked_add(remaining).ok();
            }
            remaining -= available;
        }
        None
    }

    /// When a message received at `received` is due under the end-of-business-day rule:
    /// the close of the last working interval of the business day it is answered on.
    ///
    /// - Received in working hours: the end of that business day. A message received at
    ///   17:45 on a Wednesday with hours 09:30-18:00 is due at 18:00 that Wednesday; one
    ///   received in a lunch break (13:30 with hours `09:30-13:00,14:00-18:00`) is due at
    ///   18:00 that day as well.
    /// - Received outside working hours: the end of the next business day, where "next"
    ///   is the first one whose hours have not yet begun. So a message received at 18:30
    ///   on a Wednesday is due at Thursday's close, and one received at 08:00 on a
    ///   Wednesday, before the 09:30 opening, is due at *Wednesday's* close: the customer
    ///   gets a whole business day, no more, no less. A message received on a holiday or
    ///   a day without hours is due at the close of the next working day.
    ///
    /// In short: the close of the day of the first working moment at or after receipt.
    /// The due instant is always later than `received`. `None` when the calendar has no
    /// working time.
    pub fn end_of_business_day(&self, received: Timestamp) -> Option<Timestamp> {
        if self.hours.is_closed() {
            return None;
        }
        let span = self.spans_from(floor_second(received)).next()?;
        instant(self.close_of(span.day)?)
    }

    /// The working time between two instants: how much of `[from, to)` is working time.
    /// Negative when `to` is before `from` (the same amount, with the sign flipped).
    pub fn working_between(&self, from: Timestamp, to: Timestamp) -> SignedDuration {
        if to < from {
            return -self.working_between(to, from);
        }
        let mut total = SignedDuration::ZERO;
        if self.hours.is_closed() {
            return total;
        }
        for span in self.spans_from(floor_second(from)) {
            let (Some(open), Some(close)) = (instant(span.start), instant(span.end)) else {
                break;
            };
            if open >= to {
                break;
            }
            total += close.min(to).duration_since(open.max(from));
        }
        total
    }

    /// The working spans that end after `second`, in order.
    fn spans_from(&self, second: i64) -> Spans<'_> {
        Spans { calendar: self, day: self.zone.day_of(second), index: 0, after: second, idle_days: 0 }
    }

    fn is_holiday_day(&self, day: i64) -> bool {
        !self.holiday_days.is_empty() && self.holiday_days.binary_search(&day).is_ok()
    }

    /// The intervals worked on local `day`: none on a holiday.
    fn intervals(&self, day: i64) -> &[WorkInterval] {
        if self.is_holiday_day(day) { &[] } else { self.hours.by_index(zone::weekday_index(day)) }
    }

    /// The closing instant of the last non-empty working span of `day`.
    fn close_of(&self, day: i64) -> Option<i64> {
        self.intervals(day).iter().rev().find_map(|interval| {
            let start = self.zone.instant(day, interval.start_minute())?;
            let end = self.zone.instant(day, interval.end_minute())?;
            (start < end).then_some(end)
        })
    }
}

/// Walks the working spans of a calendar forward from a local day.
struct Spans<'a> {
    calendar: &'a BusinessCalendar,
    day: i64,
    /// The next interval of `day` to look at.
    index: usize,
    /// Only spans that end after this instant are yielded.
    after: i64,
    idle_days: u32,
}

impl Iterator for Spans<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        loop {
            let intervals = self.calendar.intervals(self.day);
            while let Some(interval) = intervals.get(self.index) {
                self.index += 1;
                let start = self.calendar.zone.instant(self.day, interval.start_minute())?;
                let end = self.calendar.zone.instant(self.day, interval.end_minute())?;
                // Empty when a daylight-saving gap swallows the whole interval.
                if start < end && end > self.after {
                    self.idle_days = 0;
                    return Some(Span { day: self.day, start, end });
                }
            }
            self.idle_days += 1;
            if self.idle_days > MAX_IDLE_DAYS {
                return None;
            }
            self.day += 1;
            self.index = 0;
        }
    }
}

/// The whole second at or before `at`.
fn floor_second(at: Timestamp) -> i64 {
    let second = at.as_second();
    if at.subsec_nanosecond() < 0 { second - 1 } else { second }
}

fn instant(second: i64) -> Option<Timestamp> {
    Timestamp::from_second(second).ok()
}

#[cfg(test)]
mod tests;
