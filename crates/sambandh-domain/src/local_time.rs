//! An instant written for a customer in their language: "Wednesday 13 January 2027,
//! 18:00" and its Hindi, Tamil and Gujarati forms, in the branch's time zone, with the
//! zone named when it is not India's. Used where a message makes a promise ("you will
//! have our answer by …"), so the customer reads it as they would say it.
//!
//! Sambandh writes letters in four languages ([`LetterLanguage`]); month and weekday
//! names for those are the common forms in Unicode CLDR's "wide" format. When more
//! languages come, this is the place to switch to ICU4X's date formatter.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::LetterLanguage;

const MONTHS: [[&str; 12]; 4] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    ["जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्तूबर", "नवंबर", "दिसंबर"],
    ["ஜனவரி", "பிப்ரவரி", "மார்ச்", "ஏப்ரல்", "மே", "ஜூன்", "ஜூலை", "ஆகஸ்ட்", "செப்டம்பர்", "அக்டோபர்", "நவம்பர்", "டிசம்பர்"],
    ["જાન્યુઆરી", "ફેબ્રુઆરી", "માર્ચ", "એપ્રિલ", "મે", "જૂન", "જુલાઈ", "ઑગસ્ટ", "સપ્ટેમ્બર", "ઑક્ટોબર", "નવેમ્બર", "ડિસેમ્બર"],
];

/// Monday first.
const WEEKDAYS: [[&str; 7]; 4] = [
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    ["सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार", "रविवार"],
    ["திங்கள்", "செவ்வாய்", "புதன்", "வியாழன்", "வெள்ளி", "சனி", "ஞாயிறு"],
    ["સોમવાર", "મંગળવાર", "બુધવાર", "ગુરુવાર", "શુક્રવાર", "શનિવાર", "રવિવાર"],
];

fn row(language: LetterLanguage) -> usize {
    match language {
        LetterLanguage::English => 0,
        LetterLanguage::Hindi => 1,
        LetterLanguage::Tamil => 2,
        LetterLanguage::Gujarati => 3,
    }
}

/// `instant` in `zone`, as a customer reads a date and time in `language`: weekday, day,
/// month, year and 24-hour time; the zone's abbreviation follows unless the zone is
/// India's (where every customer's clock agrees).
pub fn written_instant(instant: Timestamp, zone: &TimeZone, language: LetterLanguage) -> String {
    let zoned = instant.to_zoned_datetime(zone.clone());
    let weekday = WEEKDAYS[row(language)][usize::from(zoned.weekday().to_monday_zero_offset().unsigned_abs())];
    let month = MONTHS[row(language)][usize::from(zoned.month().unsigned_abs()) - 1];
    let mut text =
        format!("{weekday}, {} {month} {}, {:02}:{:02}", zoned.day(), zoned.year(), zoned.hour(), zoned.minute());
    let india = zone.iana_name() == Some("Asia/Kolkata") || zone.iana_name() == Some("Asia/Calcutta");
    if !india {
        let abbreviation = zone.to_offset_info(instant).abbreviation().to_owned();
        text.push(' ');
        text.push_str(&abbreviation);
    }
    text
}

/// A date as it is read in `language`: "24 November 2026", «24 நவம்பர் 2026».
pub fn written_date(date: jiff::civil::Date, language: LetterLanguage) -> String {
    format!("{} {}", written_day_month(date.month(), date.day(), language), date.year())
}

/// A day of the year without the year (a birthday whose year is not known):
/// "24 November", «24 நவம்பர்». `month` is 1–12.
pub fn written_day_month(month: i8, day: i8, language: LetterLanguage) -> String {
    let month = MONTHS[row(language)][usize::from(month.clamp(1, 12).unsigned_abs()) - 1];
    format!("{day} {month}")
}

/// `instant` in `zone` as a date and a 24-hour time in `language`, without the
/// weekday: "24 November 2026, 14:05"; the zone's abbreviation follows unless the
/// zone is India's. For lists and timelines, where the weekday is noise.
pub fn written_date_time(instant: Timestamp, zone: &TimeZone, language: LetterLanguage) -> String {
    let zoned = instant.to_zoned_datetime(zone.clone());
    let mut text = format!("{}, {:02}:{:02}", written_date(zoned.date(), language), zoned.hour(), zoned.minute());
    let india = zone.iana_name() == Some("Asia/Kolkata") || zone.iana_name() == Some("Asia/Calcutta");
    if !india {
        text.push(' ');
        text.push_str(zone.to_offset_info(instant).abbreviation());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promises_read_naturally_in_each_language() {
        let india = TimeZone::get("Asia/Kolkata").unwrap();
        let due: Timestamp = "2027-01-13T12:30:00Z".parse().unwrap();
        assert_eq!(written_instant(due, &india, LetterLanguage::English), "Wednesday, 13 January 2027, 18:00");
        assert_eq!(written_instant(due, &india, LetterLanguage::Hindi), "बुधवार, 13 जनवरी 2027, 18:00");
        assert_eq!(written_instant(due, &india, LetterLanguage::Tamil), "புதன், 13 ஜனவரி 2027, 18:00");
        assert_eq!(written_instant(due, &india, LetterLanguage::Gujarati), "બુધવાર, 13 જાન્યુઆરી 2027, 18:00");
        let london = TimeZone::get("Europe/London").unwrap();
        assert_eq!(written_instant(due, &london, LetterLanguage::English), "Wednesday, 13 January 2027, 12:30 GMT");
    }

    #[test]
    fn dates_read_naturally_in_each_language() {
        let date = jiff::civil::date(2026, 11, 24);
        assert_eq!(written_date(date, LetterLanguage::English), "24 November 2026");
        assert_eq!(written_date(date, LetterLanguage::Hindi), "24 नवंबर 2026");
        assert_eq!(written_date(date, LetterLanguage::Tamil), "24 நவம்பர் 2026");
        let india = TimeZone::get("Asia/Kolkata").unwrap();
        let instant: Timestamp = "2026-11-24T08:35:00Z".parse().unwrap();
        assert_eq!(written_date_time(instant, &india, LetterLanguage::Gujarati), "24 નવેમ્બર 2026, 14:05");
        let london = TimeZone::get("Europe/London").unwrap();
        assert_eq!(written_date_time(instant, &london, LetterLanguage::English), "24 November 2026, 08:35 GMT");
    }
}
