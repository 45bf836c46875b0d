//! Properties of business time and SLA deadlines over random calendars: random weekly
//! hours (split days included), random holidays, three zones (one without daylight
//! saving, two with), and instants over several years, many of them close to a
//! daylight-saving change.
#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use sambandh_domain::{BusinessCalendar, SlaTarget, WeeklyHours, WorkInterval, due};

const ZONES: [&str; 3] = ["Asia/Kolkata", "Europe/London", "America/New_York"];

/// 2025-01-01T00:00:00Z and four years on.
const FROM: i64 = 1_735_689_600;
const YEARS: i64 = 4 * 365 * 86_400;

/// The daylight-saving changes of London and New York in 2025–2028.
const CHANGES: [&str; 16] = [
    "2025-03-30T01:00:00Z",
    "2025-10-26T01:00:00Z",
    "2026-03-29T01:00:00Z",
    "2026-10-25T01:00:00Z",
    "2027-03-28T01:00:00Z",
    "2027-10-31T01:00:00Z",
    "2028-03-26T01:00:00Z",
    "2028-10-29T01:00:00Z",
    "2025-03-09T07:00:00Z",
    "2025-11-02T06:00:00Z",
    "2026-03-08T07:00:00Z",
    "2026-11-01T06:00:00Z",
    "2027-03-14T07:00:00Z",
    "2027-11-07T06:00:00Z",
    "2028-03-12T07:00:00Z",
    "2028-11-05T06:00:00Z",
];

fn day_hours() -> impl Strategy<Value = Vec<WorkInterval>> {
    // Up to three intervals, on quarter hours, anywhere in the day (24:00 included).
    proptest::collection::btree_set(0u16..=96, 0..=6).prop_map(|bounds| {
        let bounds: Vec<u16> = bounds.into_iter().map(|q| q * 15).collect();
        bounds.chunks_exact(2).map(|pair| WorkInterval::new(pair[0], pair[1]).unwrap()).collect()
    })
}

/// Hours in the small hours of the night, where the clocks change.
fn night_hours() -> impl Strategy<Value = Vec<WorkInterval>> {
    proptest::collection::btree_set(0u16..=20, 0..=6).prop_map(|bounds| {
        let bounds: Vec<u16> = bounds.into_iter().map(|q| q * 15).collect();
        bounds.chunks_exact(2).map(|pair| WorkInterval::new(pair[0], pair[1]).unwrap()).collect()
    })
}

fn weekly_hours() -> impl Strategy<Value = WeeklyHours> {
    prop_oneof![
        1 => Just(WeeklyHours::parse("Mon-Fri 09:30-18:00; Sat 10:00-14:00").unwrap()),
        1 => Just(WeeklyHours::parse("Sun 00:00-03:00; Mon-Fri 09:00-13:00,14:00-17:30").unwrap()),
        1 => Just(WeeklyHours::parse("Mon-Sun 00:00-24:00").unwrap()),
        5 => proptest::array::uniform7(day_hours()).prop_map(|days| WeeklyHours::new(days).unwrap()),
        2 => proptest::array::uniform7(night_hours()).prop_map(|days| WeeklyHours::new(days).unwrap()),
    ]
}

fn holidays() -> impl Strategy<Value = Vec<Date>> {
    let first: Date = "2025-01-01".parse().unwrap();
    proptest::collection::vec(0i64..4 * 366, 0..60)
        .prop_map(move |days| days.into_iter().map(|d| first.checked_add(jiff::Span::new().days(d)).unwrap()).collect())
}

fn calendar() -> impl Strategy<Value = BusinessCalendar> {
    (0..ZONES.len(), weekly_hours(), holidays())
        .prop_map(|(zone, hours, holidays)| BusinessCalendar::new(TimeZone::get(ZONES[zone]).unwrap(), hours, holidays))
}

fn instant() -> impl Strategy<Value = Timestamp> {
    prop_oneof![
        (0..YEARS, 0i32..1_000_000_000).prop_map(|(s, n)| Timestamp::new(FROM + s, n).unwrap()),
        (0..CHANGES.len(), -6 * 3600i64..6 * 3600, Just(0i32)).prop_map(|(change, offset, n)| {
            let change: Timestamp = CHANGES[change].parse().unwrap();
            Timestamp::new(change.as_second() + offset, n).unwrap()
        }),
        (0..CHANGES.len(), -36 * 3600i64..36 * 3600, prop_oneof![Just(0i32), 0i32..1_000_000_000]).prop_map(
            |(change, offset, n)| {
                let change: Timestamp = CHANGES[change].parse().unwrap();
                Timestamp::new(change.as_second() + offset, n).unwrap()
            }
        ),
    ]
}

fn business_target() -> impl Strategy<Value = SlaTarget> {
    prop_oneof![
        Just(SlaTarget::EndOfBusinessDay),
        (1i64..=60 * 60).prop_map(|m| SlaTarget::Within(SignedDuration::from_mins(m))),
        (1i64..=100_000).prop_map(|s| SlaTarget::Within(SignedDuration::from_secs(s))),
    ]
}

fn pause() -> impl Strategy<Value = SignedDuration> {
    prop_oneof![Just(SignedDuration::ZERO), (1i64..=20 * 60).prop_map(SignedDuration::from_mins)]
}

fn working_duration() -> impl Strategy<Value = SignedDuration> {
    prop_oneof![
        (0i64..=200 * 3600).prop_map(SignedDuration::from_secs),
        (0i64..=10_000_000_000).prop_map(SignedDuration::from_nanos),
    ]
}

/// The instant of a local civil time, read the earliest or the latest way the zone
/// allows (they differ only in a daylight-saving gap or fold).
fn local(zone: &TimeZone, date: Date, minute: u16, latest: bool) -> Timestamp {
    let (date, minute) = if minute == 24 * 60 { (date.tomorrow().unwrap(), 0) } else { (date, minute) };
    let time = Time::new(i8::try_from(minute / 60).unwrap(), i8::try_from(minute % 60).unwrap(), 0, 0).unwrap();
    let ambiguous = zone.to_ambiguous_timestamp(DateTime::from_parts(date, time));
    if latest { ambiguous.later().unwrap() } else { ambiguous.earlier().unwrap() }
}

/// Whether `due` lies in `(open, close]` of a working interval of a day that is not a
/// holiday, with the interval's ends read as widely as the zone allows.
fn at_or_inside_working_interval(calendar: &BusinessCalendar, due: Timestamp) -> bool {
    let zone = calendar.zone();
    let date = due.to_zoned_datetime(zone.clone()).date();
    [date.yesterday().unwrap(), date].into_iter().filter(|d| !calendar.is_holiday(*d)).any(|day| {
        calendar.hours().day(day.weekday()).iter().any(|interval| {
            let open = local(zone, day, interval.start_minute(), false);
            let close = local(zone, day, interval.end_minute(), true);
            open < due && due <= close
        })
    })
}

/// Whether `is_working(at)` is what the clock on the wall says, unless `at` is in an
/// hour the clocks repeat (where a time means its first occurrence).
fn follows_the_clock(calendar: &BusinessCalendar, at: Timestamp) -> bool {
    let zone = calendar.zone();
    let civil = at.to_zoned_datetime(zone.clone()).datetime();
    if matches!(zone.to_ambiguous_timestamp(civil).offset(), jiff::tz::AmbiguousOffset::Fold { .. }) {
        return true;
    }
    let minute_of_day = u16::try_from(i32::from(civil.hour()) * 60 + i32::from(civil.minute())).unwrap();
    let on_the_clock = !calendar.is_holiday(civil.date())
        && calendar
            .hours()
            .day(civil.date().weekday())
            .iter()
            .any(|interval| interval.start_minute() <= minute_of_day && minute_of_day < interval.end_minute());
    calendar.is_working(at) == on_the_clock
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Outside an hour the clocks repeat, an instant is working time exactly when the
    /// clock on the wall shows a time inside one of that day's intervals (and the day is
    /// not a holiday). This holds on the days the clocks skip an hour too.
    #[test]
    fn is_working_follows_the_clock(calendar in calendar(), at in instant()) {
        prop_assert!(follows_the_clock(&calendar, at));
    }

    /// The same, minute by minute around each daylight-saving change, for hours in the
    /// small hours of the night every day.
    #[test]
    fn is_working_follows_the_clock_across_changes(
        change in 0..CHANGES.len(),
        days in proptest::array::uniform7(night_hours()),
        seconds in 0i64..60,
    ) {
        let zone = TimeZone::get(if change < 8 { "Europe/London" } else { "America/New_York" }).unwrap();
        let calendar = BusinessCalendar::new(zone, WeeklyHours::new(days).unwrap(), []);
        let change: Timestamp = CHANGES[change].parse().unwrap();
        for minute in -4 * 60..4 * 60 {
            let at = Timestamp::from_second(change.as_second() + minute * 60 + seconds).unwrap();
            prop_assert!(follows_the_clock(&calendar, at), "{at}");
        }
    }

    /// (a) A deadline on business time is never on a holiday or outside hours: it lies
    /// inside a working interval or at its close.
    #[test]
    fn due_is_in_working_time(
        calendar in calendar(),
        received in instant(),
        target in business_target(),
        paused in pause(),
    ) {
        let Some(due) = due(&calendar, received, &target, paused) else {
            prop_assert!(calendar.hours().is_closed());
            return Ok(());
        };
        prop_assert!(!calendar.hours().is_closed());
        prop_assert!(due > received, "{due} <= {received}");
        prop_assert!(at_or_inside_working_interval(&calendar, due), "{due} ({})", due.to_zoned_datetime(calendar.zone().clone()));
        prop_assert!(calendar.is_working(due - SignedDuration::from_nanos(1)), "{due}");
    }

    /// (b) A message received later is never due earlier.
    #[test]
    fn due_is_monotonic(
        calendar in calendar(),
        a in instant(),
        b in instant(),
        target in business_target(),
        paused in pause(),
    ) {
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(due(&calendar, early, &target, paused) <= due(&calendar, late, &target, paused));
    }

    /// (c) Adding working time and measuring it again gives it back; adding in two steps
    /// is adding once.
    #[test]
    fn add_and_working_between_agree(
        calendar in calendar(),
        start in instant(),
        first in working_duration(),
        second in working_duration(),
    ) {
        let Some(end) = calendar.add(start, first) else {
            prop_assert!(calendar.hours().is_closed());
            return Ok(());
        };
        prop_assert!(end >= start);
        prop_assert_eq!(calendar.working_between(start, end), first);
        prop_assert_eq!(calendar.working_between(end, start), -first);
        if first.is_positive() && second.is_positive() {
            prop_assert_eq!(calendar.add(end, second), calendar.add(start, first + second));
        }
    }

    /// (d) The end of the business day is after the message arrived, and is a close.
    #[test]
    fn end_of_business_day_is_later(calendar in calendar(), received in instant()) {
        let Some(due) = calendar.end_of_business_day(received) else {
            prop_assert!(calendar.hours().is_closed());
            return Ok(());
        };
        prop_assert!(due > received);
        prop_assert!(calendar.is_working(due - SignedDuration::from_nanos(1)));
        prop_assert!(due >= calendar.add(received, SignedDuration::ZERO).unwrap());
        // Received in working hours: due by the end of that same local day.
        if calendar.is_working(received) {
            prop_assert!(due.duration_since(received) <= SignedDuration::from_hours(25));
        }
    }

    /// Working time is exactly the instants `is_working` says are working.
    #[test]
    fn is_working_agrees_with_working_between(calendar in calendar(), at in instant()) {
        let tick = SignedDuration::from_nanos(1);
        let measured = calendar.working_between(at, at + tick);
        prop_assert_eq!(calendar.is_working(at), measured == tick);
    }
}
