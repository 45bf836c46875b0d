//! Working hours in a week, written the way a shop writes them on its door:
//! `Mon-Fri 09:30-18:00; Sat 10:00-14:00`.

use std::fmt;
use std::str::FromStr;

use jiff::SignedDuration;
use jiff::civil::{Time, Weekday};

use crate::ValueError;

/// Minutes in a day: the end of an interval that runs to midnight (`24:00`).
const DAY_MINUTES: u16 = 24 * 60;

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const FULL_DAY_NAMES: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const EXPECTED_DAYS: &str = "expected Mon, Tue, Wed, Thu, Fri, Sat or Sun";

/// One stretch of working time within a day, in local civil time, to the minute:
/// from `start` (inclusive) to `end` (exclusive); `end` may be `24:00`, midnight at the
/// end of the day. Always `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkInterval {
    start: u16,
    end: u16,
}

impl WorkInterval {
    /// An interval from minutes since local midnight: `start < end <= 1440`.
    pub fn new(start_minute: u16, end_minute: u16) -> Result<Self, ValueError> {
        let interval = Self { start: start_minute, end: end_minute };
        if end_minute > DAY_MINUTES {
            return Err(ValueError::new(format!("'{}' is not a time: the day ends at 24:00", clock(end_minute))));
        }
        if start_minute >= end_minute {
            return Err(ValueError::new(format!(
                "'{interval}' does not end after it starts; hours past midnight go on the next day, \
                 as in Mon 22:00-24:00; Tue 00:00-06:00"
            )));
        }
        Ok(interval)
    }

    /// Minutes since local midnight at which the interval opens.
    pub fn start_minute(self) -> u16 {
        self.start
    }

    /// Minutes since local midnight at which the interval closes (1440 for `24:00`).
    pub fn end_minute(self) -> u16 {
        self.end
    }

    /// The opening time.
    pub fn start(self) -> Time {
        time_of(self.start)
    }

    /// The closing time, or `None` when the interval runs to midnight (`24:00`).
    pub fn end(self) -> Option<Time> {
        (self.end < DAY_MINUTES).then(|| time_of(self.end))
    }

    /// How long the interval is on an ordinary day (one without a daylight-saving change).
    pub fn length(self) -> SignedDuration {
        SignedDuration::from_mins(i64::from(self.end - self.start))
    }

    fn parse(raw: &str) -> Result<Self, ValueError> {
        let compact: String =
            raw.chars().filter(|c| !c.is_whitespace()).map(|c| if c == '–' { '-' } else { c }).collect();
        let (start, end) = compact
            .split_once('-')
            .ok_or_else(|| ValueError::new(format!("'{raw}' is not an interval: write it as 09:30-18:00")))?;
        Self::new(parse_clock(start)?, parse_clock(end)?)
    }
}

impl fmt::Display for WorkInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", clock(self.start), clock(self.end))
    }
}

fn time_of(minute: u16) -> Time {
    let (hour, minute) = (minute / 60, minute % 60);
    match (i8::try_from(hour), i8::try_from(minute)) {
        (Ok(hour), Ok(minute)) => Time::new(hour, minute, 0, 0).unwrap_or(Time::MIN),
        _ => Time::MIN,
    }
}

struct Clock(u16);

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

fn clock(minute: u16) -> Clock {
    Clock(minute)
}

/// `HH:MM` (or `H:MM`) from 00:00 to 24:00, as minutes since midnight.
fn parse_clock(raw: &str) -> Result<u16, ValueError> {
    let refuse = || ValueError::new(format!("'{raw}' is not a time: write it as HH:MM, from 00:00 to 24:00"));
    let (hours, minutes) = raw.split_once(':').ok_or_else(refuse)?;
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(1..=2).contains(&hours.len()) || minutes.len() != 2 || !all_digits(hours) || !all_digits(minutes) {
        return Err(refuse());
    }
    let hours: u16 = hours.parse().map_err(|_| refuse())?;
    let minutes: u16 = minutes.parse().map_err(|_| refuse())?;
    let total = hours * 60 + minutes;
    if minutes >= 60 || total > DAY_MINUTES {
        return Err(refuse());
    }
    Ok(total)
}

/// Working hours for each day of the week, in local civil time.
///
/// Written as entries separated by `;`, each a set of days and the intervals worked on
/// them: `Mon-Fri 09:30-13:00,14:00-18:00; Sat 10:00-14:00`.
///
/// - Days are English names, case-insensitive, in three letters (`Mon`) or in full
///   (`Monday`); a set of days is single days and ranges separated by commas
///   (`Mon,Wed,Fri`, `Mon-Wed,Fri`). A range runs forward through the week, so
///   `Sun-Thu` is Sunday to Thursday.
/// - Intervals are `HH:MM-HH:MM`, separated by commas; each must end after it starts, the
///   same day. `24:00` is allowed as an end (`00:00-24:00` is the whole day); hours across
///   midnight are written as two entries (`Fri 22:00-24:00; Sat 00:00-02:00`), and count
///   as continuous working time.
/// - Intervals of one day must not overlap; ones that touch (`09:00-13:00,13:00-18:00`)
///   are joined. A day may be named only once; days not named are closed. A day may be
///   named as `closed` (`Sun closed`).
/// - The empty string and `closed` are a week with no working hours at all.
///
/// [`Display`](fmt::Display) writes the canonical form, which parses back to the same
/// value: days with the same intervals are grouped in one entry (runs of consecutive days
/// as ranges), entries in the order of their first day, `closed` for no hours at all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct WeeklyHours {
    /// Monday first; each day's intervals sorted, disjoint and not touching.
    days: [Vec<WorkInterval>; 7],
}

impl WeeklyHours {
    /// A week with no working hours.
    pub fn closed() -> Self {
        Self::default()
    }

    /// Hours from each day's intervals, Monday first. The intervals of a day may come in
    /// any order; touching ones are joined, overlapping ones refused.
    pub fn new(days: [Vec<WorkInterval>; 7]) -> Result<Self, ValueError> {
        let mut week = Self::default();
        for (idx, intervals) in days.into_iter().enumerate() {
            week.days[idx] = normalise_day(DAY_NAMES[idx], intervals)?;
        }
        Ok(week)
    }

    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let text = raw.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("closed") {
            return Ok(Self::closed());
        }
        let mut days: [Option<Vec<WorkInterval>>; 7] = Default::default();
        for entry in text.split(';').map(str::trim).filter(|entry| !entry.is_empty()) {
            let (day_text, intervals) = split_entry(entry)?;
            for day in parse_days(day_text)? {
                let slot = &mut days[day];
                if slot.is_some() {
                    return Err(ValueError::new(format!(
                        "{} is named twice: give each day's hours once, with its intervals separated by \
                         commas (Mon 09:30-13:00,14:00-18:00)",
                        DAY_NAMES[day]
                    )));
                }
                *slot = Some(intervals.clone());
            }
        }
        Self::new(days.map(Option::unwrap_or_default))
    }

    /// The intervals worked on `day`, in order.
    pub fn day(&self, day: Weekday) -> &[WorkInterval] {
        &self.days[day_index(day)]
    }

    /// Intervals by Monday-first index (0 = Monday).
    pub(crate) fn by_index(&self, index: usize) -> &[WorkInterval] {
        self.days.get(index).map_or(&[], Vec::as_slice)
    }

    /// Whether no day has any working hours.
    pub fn is_closed(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }

    /// The working time of an ordinary week (one without holidays or daylight-saving
    /// changes).
    pub fn weekly_total(&self) -> SignedDuration {
        let minutes: u32 = self.days.iter().flatten().map(|iv| u32::from(iv.end - iv.start)).sum();
        SignedDuration::from_mins(i64::from(minutes))
    }
}

impl FromStr for WeeklyHours {
    type Err = ValueError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl fmt::Display for WeeklyHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_closed() {
            return f.write_str("closed");
        }
        let mut written = [false; 7];
        let mut first_entry = true;
        for first in 0..7 {
            if written[first] || self.days[first].is_empty() {
                continue;
            }
            // Every day with the same intervals joins this entry.
            let members: Vec<usize> = (first..7).filter(|&d| self.days[d] == self.days[first]).collect();
            for &d in &members {
                written[d] = true;
            }
            if !first_entry {
                f.write_str("; ")?;
            }
            first_entry = false;
            write_day_set(f, &members)?;
            f.write_str(" ")?;
            for (idx, interval) in self.days[first].iter().enumerate() {
                if idx > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{interval}")?;
            }
        }
        Ok(())
    }
}

/// Days as runs: `Mon-Wed,Fri`; a run of two or more consecutive days is a range.
fn write_day_set(f: &mut fmt::Formatter<'_>, days: &[usize]) -> fmt::Result {
    let mut idx = 0;
    let mut first_run = true;
    while idx < days.len() {
        let mut last = idx;
        while last + 1 < days.len() && days[last + 1] == days[last] + 1 {
            last += 1;
        }
        if !first_run {
            f.write_str(",")?;
        }
        first_run = false;
        if last > idx {
            write!(f, "{}-{}", DAY_NAMES[days[idx]], DAY_NAMES[days[last]])?;
        } else {
            f.write_str(DAY_NAMES[days[idx]])?;
        }
        idx = last + 1;
    }
    Ok(())
}

fn day_index(day: Weekday) -> usize {
    usize::try_from(day.to_monday_zero_offset()).unwrap_or(0)
}

/// Splits `Mon-Fri 09:30-18:00` into the days and the parsed intervals.
fn split_entry(entry: &str) -> Result<(&str, Vec<WorkInterval>), ValueError> {
    let lower = entry.to_ascii_lowercase();
    if lower.ends_with("closed") {
        let days = entry[..entry.len() - "closed".len()].trim();
        if days.is_empty() {
            return Err(ValueError::new(format!("'{entry}' names no day: write it as in Sun closed")));
        }
        return Ok((days, Vec::new()));
    }
    let Some(at) = entry.find(|c: char| c.is_ascii_digit()) else {
        return Err(ValueError::new(format!(
            "'{entry}' gives no hours: write them as in Mon-Fri 09:30-18:00, or as Sun closed"
        )));
    };
    let (days, intervals) = entry.split_at(at);
    let days = days.trim();
    if days.is_empty() {
        return Err(ValueError::new(format!("'{entry}' names no day: write it as in Mon-Fri 09:30-18:00")));
    }
    let intervals = intervals
        .split(',')
        .map(str::trim)
        .filter(|iv| !iv.is_empty())
        .map(WorkInterval::parse)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((days, intervals))
}

/// `Mon-Wed,Fri` as Monday-first indexes, in the order named.
fn parse_days(raw: &str) -> Result<Vec<usize>, ValueError> {
    let mut days = Vec::new();
    for item in raw.split(',').map(str::trim) {
        if item.is_empty() {
            return Err(ValueError::new(format!("'{raw}' has an empty day between commas")));
        }
        match item.split_once(['-', '–']) {
            Some((from, to)) => {
                let name = |part: &str| {
                    parse_day(part.trim()).ok_or_else(|| {
                        ValueError::new(format!("'{}' in '{item}' is not a day: {EXPECTED_DAYS}", part.trim()))
                    })
                };
                let (from, to) = (name(from)?, name(to)?);
                let mut day = from;
                loop {
                    days.push(day);
                    if day == to {
                        break;
                    }
                    day = (day + 1) % 7;
                }
            }
            None => {
                days.push(
                    parse_day(item)
                        .ok_or_else(|| ValueError::new(format!("'{item}' is not a day: {EXPECTED_DAYS}")))?,
                );
            }
        }
    }
    Ok(days)
}

fn parse_day(raw: &str) -> Option<usize> {
    let lower = raw.to_ascii_lowercase();
    FULL_DAY_NAMES.iter().position(|full| lower == *full || (lower.len() == 3 && full.starts_with(&lower)))
}

/// Sorts a day's intervals, joins touching ones and refuses overlapping ones.
fn normalise_day(day: &str, mut intervals: Vec<WorkInterval>) -> Result<Vec<WorkInterval>, ValueError> {
    intervals.sort_unstable();
    let mut joined: Vec<WorkInterval> = Vec::with_capacity(intervals.len());
    for interval in intervals {
        match joined.last_mut() {
            Some(last) if interval.start < last.end => {
                return Err(ValueError::new(format!("on {day}, {last} and {interval} overlap")));
            }
            Some(last) if interval.start == last.end => last.end = interval.end,
            _ => joined.push(interval),
        }
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expect: Result<&str, &str>) {
        let got = WeeklyHours::parse(raw).map(|hours| hours.to_string()).map_err(|err| err.0);
        assert_eq!(got.as_deref().map_err(String::as_str), expect, "{raw}");
    }

    #[test]
    fn good_hours_and_their_canonical_form() {
        check("Mon-Fri 09:30-18:00; Sat 10:00-14:00", Ok("Mon-Fri 09:30-18:00; Sat 10:00-14:00"));
        check("mon-fri 9:30-18:00;sat 10:00 - 14:00;", Ok("Mon-Fri 09:30-18:00; Sat 10:00-14:00"));
        check("Mon-Fri 09:30-13:00,14:00-18:00", Ok("Mon-Fri 09:30-13:00,14:00-18:00"));
        check("Mon-Fri 14:00-18:00, 09:30-13:00", Ok("Mon-Fri 09:30-13:00,14:00-18:00"));
        check("Mon,Wed,Fri 10:00-16:00", Ok("Mon,Wed,Fri 10:00-16:00"));
        check("Monday 10:00-16:00; Tuesday 10:00-16:00", Ok("Mon-Tue 10:00-16:00"));
        check(
            "Mon 09:00-17:00; Tue 09:00-17:00; Wed 10:00-12:00; Thu 09:00-17:00",
            Ok("Mon-Tue,Thu 09:00-17:00; Wed 10:00-12:00"),
        );
        check("Sun-Thu 09:00-17:00", Ok("Mon-Thu,Sun 09:00-17:00"));
        check("Mon-Sun 00:00-24:00", Ok("Mon-Sun 00:00-24:00"));
        check("Mon 09:00-13:00,13:00-18:00", Ok("Mon 09:00-18:00"));
        check("Mon-Fri 09:00-18:00; Sat-Sun closed", Ok("Mon-Fri 09:00-18:00"));
        check("Fri 22:00-24:00; Sat 00:00-02:00", Ok("Fri 22:00-24:00; Sat 00:00-02:00"));
        check("", Ok("closed"));
        check("  Closed ", Ok("closed"));
        check("Sun closed", Ok("closed"));
    }

    #[test]
    fn bad_hours_say_what_is_wrong() {
        check(
            "Mon-Fru 09:30-18:00",
            Err("'Fru' in 'Mon-Fru' is not a day: expected Mon, Tue, Wed, Thu, Fri, Sat or Sun"),
        );
        check("Mo 09:30-18:00", Err("'Mo' is not a day: expected Mon, Tue, Wed, Thu, Fri, Sat or Sun"));
        check(
            "Mon-Fri 18:00-09:30",
            Err(
                "'18:00-09:30' does not end after it starts; hours past midnight go on the next day, as in Mon 22:00-24:00; Tue 00:00-06:00",
            ),
        );
        check(
            "Mon 10:00-10:00",
            Err(
                "'10:00-10:00' does not end after it starts; hours past midnight go on the next day, as in Mon 22:00-24:00; Tue 00:00-06:00",
            ),
        );
        check("Mon 09:00-13:00,12:00-18:00", Err("on Mon, 09:00-13:00 and 12:00-18:00 overlap"));
        check(
            "Mon-Fri 09:30-18:00; Wed 19:00-20:00",
            Err(
                "Wed is named twice: give each day's hours once, with its intervals separated by commas (Mon 09:30-13:00,14:00-18:00)",
            ),
        );
        check("Mon 9.30-18:00", Err("'9.30' is not a time: write it as HH:MM, from 00:00 to 24:00"));
        check("Mon 09:30-25:00", Err("'25:00' is not a time: write it as HH:MM, from 00:00 to 24:00"));
        check("Mon 09:30-24:01", Err("'24:01' is not a time: write it as HH:MM, from 00:00 to 24:00"));
        check("Mon 09:60-10:00", Err("'09:60' is not a time: write it as HH:MM, from 00:00 to 24:00"));
        check("Mon 09:5-10:00", Err("'09:5' is not a time: write it as HH:MM, from 00:00 to 24:00"));
        check("Mon 09:30", Err("'09:30' is not an interval: write it as 09:30-18:00"));
        check("Mon-Fri", Err("'Mon-Fri' gives no hours: write them as in Mon-Fri 09:30-18:00, or as Sun closed"));
        check("09:30-18:00", Err("'09:30-18:00' names no day: write it as in Mon-Fri 09:30-18:00"));
        check("Mon,,Tue 09:00-10:00", Err("'Mon,,Tue' has an empty day between commas"));
    }

    #[test]
    fn days_and_totals() {
        let hours = WeeklyHours::parse("Mon-Fri 09:30-13:00,14:00-18:00; Sat 10:00-14:00").unwrap();
        assert_eq!(hours.day(Weekday::Wednesday).len(), 2);
        assert_eq!(hours.day(Weekday::Sunday), &[]);
        assert_eq!(hours.day(Weekday::Saturday)[0].start(), Time::constant(10, 0, 0, 0));
        assert_eq!(hours.weekly_total(), SignedDuration::from_mins(5 * 450 + 240));
        let whole = WeeklyHours::parse("Sun 00:00-24:00").unwrap();
        assert_eq!(whole.day(Weekday::Sunday)[0].end(), None);
        assert!(WeeklyHours::parse("closed").unwrap().is_closed());
    }

    fn any_day() -> impl proptest::strategy::Strategy<Value = Vec<WorkInterval>> {
        use proptest::prelude::*;
        proptest::collection::btree_set(0u16..=96, 0..=6).prop_map(|bounds| {
            let bounds: Vec<u16> = bounds.into_iter().map(|q| q * 15).collect();
            bounds.chunks_exact(2).map(|pair| WorkInterval::new(pair[0], pair[1]).unwrap()).collect()
        })
    }

    proptest::proptest! {
        #[test]
        fn canonical_form_parses_back(days in proptest::array::uniform7(any_day())) {
            let hours = WeeklyHours::new(days).unwrap();
            let again = WeeklyHours::parse(&hours.to_string()).unwrap();
            proptest::prop_assert_eq!(&again, &hours);
            proptest::prop_assert_eq!(again.to_string(), hours.to_string());
        }
    }
}
