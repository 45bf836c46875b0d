//! The Islamic calendar as kept in India.
//!
//! Months begin with the sighting of the new crescent, which no formula foretells for
//! certain. The Saudi (Umm al-Qura) criterion — at sunset in Mecca on the 29th, the moon
//! has passed conjunction and sets after the sun — is computed by ICU4X's
//! `calendrical_calculations` (Reingold & Dershowitz, *Calendrical Calculations*, 4th ed.,
//! §14.9). India, further east, sees the crescent one evening later in most months: its
//! Eids fall a day after the Saudi criterion's date. Checked against the gazetted and
//! announced dates of 2016–2026 in `tests/festivals.rs`; a day's difference in some years
//! is expected, which is why an administrator can override the date for a year.

use calendrical_calculations::islamic::fixed_from_saudi_islamic;

/// Rata Die (days from 0001-01-01, day 1) of 1970-01-01.
const RATA_DIE_OF_UNIX_EPOCH: i64 = 719_163;
/// India sights the crescent one evening after the Saudi criterion is met.
const INDIA_DAYS_AFTER_SAUDI: i64 = 1;

/// Days from 1970-01-01 on which India keeps `day` of `month` (1 Shawwal is `(10, 1)`)
/// of the Islamic year `year`.
pub(crate) fn india_day(year: i32, month: u8, day: u8) -> i64 {
    fixed_from_saudi_islamic(year, month, day).to_i64_date() - RATA_DIE_OF_UNIX_EPOCH + INDIA_DAYS_AFTER_SAUDI
}

/// The Islamic years whose months may fall in Gregorian `year`.
pub(crate) fn years_around(gregorian_year: i64) -> impl Iterator<Item = i32> {
    // 33 Islamic years take about 32 Gregorian years.
    let estimate = (gregorian_year - 622) * 33 / 32;
    (estimate - 1..=estimate + 2).filter_map(|year| i32::try_from(year).ok())
}
