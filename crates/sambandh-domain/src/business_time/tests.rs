use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::*;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

fn calendar(zone: &str, hours: &str, holidays: &[&str]) -> BusinessCalendar {
    BusinessCalendar::new(
        TimeZone::get(zone).unwrap(),
        WeeklyHours::parse(hours).unwrap(),
        holidays.iter().map(|d| date(d)),
    )
}

fn chennai(holidays: &[&str]) -> BusinessCalendar {
    calendar("Asia/Kolkata", "Mon-Fri 09:30-18:00; Sat 10:00-14:00", holidays)
}

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

fn mins(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

#[test]
fn end_of_business_day_in_chennai() {
    let cal = chennai(&[]);
    // 2027-01-13 is a Wednesday.
    for (received, due) in [
        ("2027-01-13T17:45:00+05:30", "2027-01-13T18:00:00+05:30"),
        ("2027-01-13T09:30:00+05:30", "2027-01-13T18:00:00+05:30"),
        ("2027-01-13T18:30:00+05:30", "2027-01-14T18:00:00+05:30"),
        ("2027-01-13T18:00:00+05:30", "2027-01-14T18:00:00+05:30"),
        ("2027-01-13T17:59:59.999+05:30", "2027-01-13T18:00:00+05:30"),
        // Before the opening: Wednesday's hours have not begun, so Wednesday is next.
        ("2027-01-13T08:00:00+05:30", "2027-01-13T18:00:00+05:30"),
        ("2027-01-13T00:00:00+05:30", "2027-01-13T18:00:00+05:30"),
        // Friday evening: Saturday's short day.
        ("2027-01-15T19:00:00+05:30", "2027-01-16T14:00:00+05:30"),
        // Saturday afternoon after closing, and Sunday: Monday.
        ("2027-01-16T14:00:00+05:30", "2027-01-18T18:00:00+05:30"),
        ("2027-01-17T11:00:00+05:30", "2027-01-18T18:00:00+05:30"),
    ] {
        assert_eq!(cal.end_of_business_day(at(received)), Some(at(due)), "{received}");
    }
}

#[test]
fn a_holiday_moves_the_end_of_business_day_on() {
    let cal = chennai(&["2027-01-16"]);
    assert_eq!(cal.end_of_business_day(at("2027-01-15T19:00:00+05:30")), Some(at("2027-01-18T18:00:00+05:30")));
    // Received in hours on the day before a holiday: still that day.
    assert_eq!(cal.end_of_business_day(at("2027-01-15T12:00:00+05:30")), Some(at("2027-01-15T18:00:00+05:30")));
    // Received on the holiday itself, in what would be working hours.
    assert_eq!(cal.end_of_business_day(at("2027-01-16T11:00:00+05:30")), Some(at("2027-01-18T18:00:00+05:30")));
    // Pongal week: Thursday and Friday off as well.
    let cal = chennai(&["2027-01-14", "2027-01-15", "2027-01-16"]);
    assert_eq!(cal.end_of_business_day(at("2027-01-13T18:30:00+05:30")), Some(at("2027-01-18T18:00:00+05:30")));
}

#[test]
fn a_lunch_break_belongs_to_its_day() {
    let cal = calendar("Asia/Kolkata", "Mon-Fri 09:30-13:00,14:00-18:00", &[]);
    assert_eq!(cal.end_of_business_day(at("2027-01-13T13:30:00+05:30")), Some(at("2027-01-13T18:00:00+05:30")));
    assert!(!cal.is_working(at("2027-01-13T13:30:00+05:30")));
    assert!(cal.is_working(at("2027-01-13T14:00:00+05:30")));
    assert!(!cal.is_working(at("2027-01-13T13:00:00+05:30")));
    assert!(cal.is_working(at("2027-01-13T12:59:59.999999999+05:30")));
}

#[test]
fn adding_business_time() {
    let cal = chennai(&["2027-01-16"]);
    for (start, duration, due) in [
        // In hours, within the day.
        ("2027-01-13T10:00:00+05:30", hours(4), "2027-01-13T14:00:00+05:30"),
        // Exactly to the close: due at the close, not at the next opening.
        ("2027-01-13T17:30:00+05:30", mins(30), "2027-01-13T18:00:00+05:30"),
        // Over the night.
        ("2027-01-13T17:00:00+05:30", hours(4), "2027-01-14T12:30:00+05:30"),
        // Before opening: counting starts at the opening.
        ("2027-01-13T07:00:00+05:30", hours(1), "2027-01-13T10:30:00+05:30"),
        // Friday afternoon, Saturday a holiday, Sunday closed.
        ("2027-01-15T16:00:00+05:30", hours(4), "2027-01-18T11:30:00+05:30"),
        // Zero: the first working moment.
        ("2027-01-15T19:00:00+05:30", SignedDuration::ZERO, "2027-01-18T09:30:00+05:30"),
        ("2027-01-15T11:00:00+05:30", SignedDuration::ZERO, "2027-01-15T11:00:00+05:30"),
        // Sub-second starts keep their fraction.
        ("2027-01-13T10:00:00.25+05:30", hours(1), "2027-01-13T11:00:00.25+05:30"),
    ] {
        assert_eq!(cal.add(at(start), duration), Some(at(due)), "{start} + {duration}");
        assert_eq!(cal.working_between(at(start), at(due)), duration.max(SignedDuration::ZERO), "{start}");
    }
    // A whole week of working time: 5 × 8.5 h + 4 h, less the holiday Saturday.
    let week = cal.working_between(at("2027-01-11T00:00:00+05:30"), at("2027-01-18T00:00:00+05:30"));
    assert_eq!(week, mins(5 * 510));
    assert_eq!(cal.working_between(at("2027-01-18T00:00:00+05:30"), at("2027-01-11T00:00:00+05:30")), -week);
}

#[test]
fn no_hours_no_answers() {
    let cal = calendar("Asia/Kolkata", "closed", &[]);
    let now = at("2027-01-13T10:00:00+05:30");
    assert_eq!(cal.add(now, hours(1)), None);
    assert_eq!(cal.end_of_business_day(now), None);
    assert_eq!(cal.working_between(now, at("2028-01-13T10:00:00+05:30")), SignedDuration::ZERO);
    assert!(!cal.is_working(now));
}

#[test]
fn a_long_stretch_of_holidays_is_walked_through() {
    // Every day of 2027 and 2028 off: the next working day is in 2029.
    let start = date("2027-01-01");
    let days: Vec<Date> = (0..731).map(|n| start.checked_add(jiff::Span::new().days(n)).unwrap()).collect();
    let cal = BusinessCalendar::new(
        TimeZone::get("Asia/Kolkata").unwrap(),
        WeeklyHours::parse("Mon-Sun 09:00-17:00").unwrap(),
        days,
    );
    assert_eq!(cal.end_of_business_day(at("2027-01-01T10:00:00+05:30")), Some(at("2029-01-01T17:00:00+05:30")));
}

#[test]
fn hours_to_midnight_run_on_into_the_next_day() {
    let cal = calendar("Asia/Kolkata", "Fri 22:00-24:00; Sat 00:00-02:00", &["2027-01-16"]);
    // Friday's interval is worked although Saturday is a holiday; Saturday's is not.
    assert_eq!(cal.add(at("2027-01-15T23:00:00+05:30"), hours(1)), Some(at("2027-01-16T00:00:00+05:30")));
    assert_eq!(cal.add(at("2027-01-15T23:00:00+05:30"), hours(2)), Some(at("2027-01-22T23:00:00+05:30")));
    let cal = calendar("Asia/Kolkata", "Fri 22:00-24:00; Sat 00:00-02:00", &[]);
    assert_eq!(cal.add(at("2027-01-15T23:00:00+05:30"), hours(2)), Some(at("2027-01-16T01:00:00+05:30")));
    assert!(cal.is_working(at("2027-01-16T00:00:00+05:30")));
    // A message received at Friday 23:00 is due at Friday's close, midnight.
    assert_eq!(cal.end_of_business_day(at("2027-01-15T23:00:00+05:30")), Some(at("2027-01-16T00:00:00+05:30")));
}

#[test]
fn daylight_saving_days_have_less_or_more_time() {
    // London springs forward on 2027-03-28 at 01:00 GMT, falls back on 2027-10-31 at 02:00 BST.
    let london = calendar("Europe/London", "Sun 00:00-03:00; Mon-Fri 09:00-17:30", &[]);
    let spring = london.working_between(at("2027-03-28T00:00:00Z"), at("2027-03-29T00:00:00Z"));
    assert_eq!(spring, hours(2));
    let autumn = london.working_between(at("2027-10-30T12:00:00Z"), at("2027-11-01T00:00:00Z"));
    assert_eq!(autumn, hours(4));
    // Weekday hours keep to the clock across the change.
    assert_eq!(london.end_of_business_day(at("2027-03-26T12:00:00Z")), Some(at("2027-03-26T17:30:00Z")));
    assert_eq!(london.end_of_business_day(at("2027-03-29T12:00:00+01:00")), Some(at("2027-03-29T17:30:00+01:00")));
    assert_eq!(london.add(at("2027-03-26T17:00:00Z"), hours(1)), Some(at("2027-03-28T00:30:00Z")));
    // The spring Sunday is 00:00 GMT to 03:00 BST: two hours, the last at 02:00 UTC.
    assert_eq!(london.add(at("2027-03-28T00:00:00Z"), hours(2)), Some(at("2027-03-28T03:00:00+01:00")));
    // New York: an interval inside the skipped hour is no time at all.
    let new_york = calendar("America/New_York", "Sun 02:15-02:45,04:00-05:00", &[]);
    assert_eq!(new_york.working_between(at("2027-03-14T00:00:00-05:00"), at("2027-03-15T00:00:00-04:00")), hours(1));
    assert_eq!(new_york.end_of_business_day(at("2027-03-14T00:00:00-05:00")), Some(at("2027-03-14T05:00:00-04:00")));
    // And one inside the repeated hour is counted from its first occurrence.
    let new_york = calendar("America/New_York", "Sun 01:00-02:00", &[]);
    assert_eq!(new_york.working_between(at("2027-11-07T00:00:00-04:00"), at("2027-11-08T00:00:00-05:00")), hours(2));
    assert!(new_york.is_working(at("2027-11-07T01:30:00-05:00")));
}

#[test]
fn working_time_is_found_by_instant_in_any_zone() {
    let tokyo = calendar("Asia/Tokyo", "Mon-Fri 09:00-18:00", &[]);
    assert!(tokyo.is_working(at("2027-01-13T00:00:00Z")));
    assert!(!tokyo.is_working(at("2027-01-13T09:00:00Z")));
    let utc = BusinessCalendar::new(TimeZone::UTC, WeeklyHours::parse("Mon-Fri 09:00-18:00").unwrap(), []);
    assert_eq!(utc.end_of_business_day(at("2027-01-13T20:00:00Z")), Some(at("2027-01-14T18:00:00Z")));
    assert!(!utc.is_holiday(date("2027-01-13")));
}
