//! When each festival is kept: the rule that turns the positions of the sun and moon into
//! a civil date. The choices, and the sources they were checked against, are in
//! `docs/calendar.md`.

use crate::calendar::astronomy::{Moment, Place};
use crate::calendar::panchang::{
    CHENNAI, Day, LunarMonth, Masa, NAKSHATRA_DEGREES, NEW_DELHI, Span, THIRUVANANTHAPURAM, lunar_months,
    nakshatra_start, sankranti, sidereal_moon,
};
use crate::calendar::{FestivalKey, day_number, islamic};

/// Six ghatis (2 h 24 min), in days: how long a tithi must last after sunrise to count as
/// the day's in the rules that ask for it.
const SIX_GHATIS: f64 = 0.1;
/// Shravana (Thiruvonam), the 22nd nakshatra, counted from 0.
const SHRAVANA: u8 = 21;
/// Sidereal signs counted from 0.
const MESHA: u8 = 0;
const SIMHA: u8 = 4;
const KANYA: u8 = 5;
const MAKARA: u8 = 9;

/// The days (counted from 1970-01-01) of every festival of `year` by the Indian and
/// Islamic calendars, unsorted. A festival whose month does not occur in the year (an
/// Islamic festival that falls twice or not at all in a Gregorian year, a lunar month
/// lost to a rare kshaya year) is simply absent or present twice.
pub(crate) fn computed_days(year: i64) -> Vec<(FestivalKey, i64)> {
    let mut days = Vec::with_capacity(24);
    let first = day_number(year, 1, 1);
    let next_first = day_number(year + 1, 1, 1);

    let makara = sankranti(NEW_DELHI.midnight(first), MAKARA);
    days.extend(makar_sankranti(makara).map(|day| (FestivalKey::MakarSankranti, day)));
    days.extend(tamil_month_first_day(makara).map(|day| (FestivalKey::Pongal, day)));
    let mesha = sankranti(NEW_DELHI.midnight(day_number(year, 3, 1)), MESHA);
    days.extend(tamil_month_first_day(mesha).map(|day| (FestivalKey::TamilNewYear, day)));
    days.extend(onam(year).map(|day| (FestivalKey::Onam, day)));

    // Months that begin from mid-November of the year before: enough to hold every lunar
    // festival of the year (the earliest, Maha Shivaratri, is in February).
    let months = lunar_months(NEW_DELHI.midnight(first - 45), NEW_DELHI.midnight(next_first));
    for &(key, masa) in LUNAR {
        for month in months.iter().filter(|month| month.keeps(masa)) {
            if let Some(day) = lunar_festival(key, month).filter(|day| (first..next_first).contains(day)) {
                days.push((key, day));
            }
        }
    }

    for islamic_year in islamic::years_around(year) {
        // 1 Shawwal and 10 Dhu al-Hijjah.
        for (key, month, day_of_month) in [(FestivalKey::EidAlFitr, 10, 1), (FestivalKey::EidAlAdha, 12, 10)] {
            let day = islamic::india_day(islamic_year, month, day_of_month);
            if (first..next_first).contains(&day) {
                days.push((key, day));
            }
        }
    }
    days
}

/// The lunar festivals and the amanta month each is kept in.
const LUNAR: &[(FestivalKey, Masa)] = &[
    (FestivalKey::MahaShivaratri, Masa::Magha),
    (FestivalKey::Holi, Masa::Phalguna),
    (FestivalKey::RakshaBandhan, Masa::Shravana),
    (FestivalKey::Janmashtami, Masa::Shravana),
    (FestivalKey::GaneshChaturthi, Masa::Bhadrapada),
    (FestivalKey::Navratri, Masa::Ashvin),
    (FestivalKey::Dussehra, Masa::Ashvin),
    (FestivalKey::Diwali, Masa::Ashvin),
    (FestivalKey::GujaratiNewYear, Masa::Kartika),
    (FestivalKey::GuruNanakJayanti, Masa::Kartika),
];

fn lunar_festival(key: FestivalKey, month: &LunarMonth) -> Option<i64> {
    let place = &NEW_DELHI;
    match key {
        // Magha krishna chaturdashi at nishita (midnight).
        FestivalKey::MahaShivaratri => most_of_window(&month.tithi(29), place, Day::nishita),
        // Dhulandi, the day after Holika Dahan on Phalguna purnima.
        FestivalKey::Holi => holika_dahan(&month.tithi(15), place).map(|day| day + 1),
        FestivalKey::RakshaBandhan => raksha_bandhan(&month.tithi(15), place),
        // Krishna ashtami of amanta Shravana (purnimanta Bhadrapada) at sunrise.
        FestivalKey::Janmashtami => at_sunrise(&month.tithi(23), place),
        // Bhadrapada shukla chaturthi at madhyahna.
        FestivalKey::GaneshChaturthi => most_of_window(&month.tithi(4), place, Day::madhyahna),
        // Ghatasthapana: Ashvin shukla pratipada at sunrise.
        FestivalKey::Navratri => at_sunrise(&month.tithi(1), place),
        FestivalKey::Dussehra => dussehra(&month.tithi(10), place),
        // Lakshmi Puja: Ashvin amavasya during pradosha.
        FestivalKey::Diwali => most_of_window(&month.tithi(30), place, Day::pradosha),
        // Bestu Varas: Kartika shukla pratipada at sunrise.
        FestivalKey::GujaratiNewYear => at_sunrise(&month.tithi(1), place),
        // Kartika purnima at sunrise.
        FestivalKey::GuruNanakJayanti => at_sunrise(&month.tithi(15), place),
        _ => None,
    }
}

/// The civil day whose sunrise falls within `span` (the first, if two do); for a span that
/// contains no sunrise (a kshaya tithi), the day in whose daytime it begins.
fn at_sunrise(span: &Span, place: &Place) -> Option<i64> {
    first_sunrise_in(span, place).map_or_else(|| day_of_sunrise_before(span.start, place), |(day, _)| Some(day))
}

/// The first sunrise within `span` and its civil day.
fn first_sunrise_in(span: &Span, place: &Place) -> Option<(i64, Moment)> {
    (span.start.civil_day(place)..=span.end.civil_day(place))
        .filter_map(|day| place.sunrise(day).map(|sunrise| (day, sunrise)))
        .find(|(_, sunrise)| span.contains(*sunrise))
}

/// The civil day whose sunrise is the last one at or before `moment` (the Hindu day that
/// `moment` belongs to).
fn day_of_sunrise_before(moment: Moment, place: &Place) -> Option<i64> {
    let day = moment.civil_day(place);
    let sunrise = place.sunrise(day)?;
    Some(if moment < sunrise { day - 1 } else { day })
}

/// The civil day whose `window` (a part of the day or of the night after it) is covered
/// most by `span`, as a share of the window; on a tie (both covered whole) the first. With
/// no overlap at all, the day of the sunrise rule.
fn most_of_window(span: &Span, place: &Place, window: fn(&Day) -> Span) -> Option<i64> {
    best_window_day(span, place, window).or_else(|| at_sunrise(span, place))
}

fn best_window_day(span: &Span, place: &Place, window: fn(&Day) -> Span) -> Option<i64> {
    let mut best: Option<(i64, f64)> = None;
    for day in span.start.civil_day(place) - 1..=span.end.civil_day(place) {
        let part = window(&Day::at(place, day)?);
        let share = span.overlap_days(&part) / part.start.days_until(part.end);
        if share > 0.0 && best.is_none_or(|(_, best_share)| share > best_share + 1e-6) {
            best = Some((day, share));
        }
    }
    best.map(|(day, _)| day)
}

/// The first civil day whose `window` overlaps `span`.
fn first_window_day(span: &Span, place: &Place, window: fn(&Day) -> Span) -> Option<i64> {
    (span.start.civil_day(place) - 1..=span.end.civil_day(place))
        .find(|day| Day::at(place, *day).is_some_and(|today| span.overlap_days(&window(&today)) > 0.0))
}

/// Holika Dahan (Nirnaya Sindhu, Dharmasindhu, as drikpanchang.com applies them): on the
/// evening (pradosha) in which Phalguna purnima prevails. Bhadra (vishti karana, the first
/// half of purnima) is avoided: when it covers the first evening and lasts past midnight,
/// the fire is lit the next evening if purnima lasts three quarters of that day, else
/// late on the first night once bhadra is over. When purnima still prevails on the second
/// evening, that evening.
fn holika_dahan(purnima: &Span, place: &Place) -> Option<i64> {
    let first_evening =
        first_window_day(purnima, place, Day::pradosha).or_else(|| day_of_sunrise_before(purnima.start, place))?;
    let second = Day::at(place, first_evening + 1)?;
    if purnima.contains(second.sunset) {
        return Some(first_evening + 1);
    }
    let first = Day::at(place, first_evening)?;
    let bhadra_end = purnima.start.plus_days(purnima.start.days_until(purnima.end) / 2.0);
    let midnight = first.sunset.plus_days(first.sunset.days_until(first.next_sunrise) / 2.0);
    let three_quarters_of_second_day = second.sunrise.plus_days(second.sunrise.days_until(second.sunset) * 0.75);
    if bhadra_end > midnight && purnima.end >= three_quarters_of_second_day {
        Some(first_evening + 1)
    } else {
        Some(first_evening)
    }
}

/// Raksha Bandhan: Shravana purnima. The day whose sunrise it covers, if it lasts at
/// least six ghatis after that sunrise; otherwise the day before (the thread is then tied
/// in the afternoon or, after bhadra, in the evening of that day).
fn raksha_bandhan(purnima: &Span, place: &Place) -> Option<i64> {
    match first_sunrise_in(purnima, place) {
        Some((day, sunrise)) if sunrise.days_until(purnima.end) >= SIX_GHATIS => Some(day),
        Some((day, _)) => Some(day - 1),
        None => day_of_sunrise_before(purnima.start, place),
    }
}

/// Vijayadashami: Ashvin shukla dashami at aparahna (the day it covers most). When
/// dashami also prevails at the next day's sunrise and the moon is in Shravana nakshatra
/// during that day's aparahna, the next day.
fn dussehra(dashami: &Span, place: &Place) -> Option<i64> {
    let chosen = most_of_window(dashami, place, Day::aparahna)?;
    let next = Day::at(place, chosen + 1)?;
    let aparahna = next.aparahna();
    let in_shravana = |moment: Moment| nakshatra_of(moment) == SHRAVANA;
    if dashami.contains(next.sunrise) && (in_shravana(aparahna.start) || in_shravana(aparahna.end)) {
        Some(chosen + 1)
    } else {
        Some(chosen)
    }
}

fn nakshatra_of(moment: Moment) -> u8 {
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a longitude / 13°20′ is in 0..27")]
    let index = (sidereal_moon(moment) / NAKSHATRA_DEGREES).floor() as u8;
    index % 27
}

/// Makar Sankranti: the day of the sun's entry into sidereal Makara, or the next day when
/// the entry is after sunset (the punya kaala is then the next morning).
fn makar_sankranti(entry: Moment) -> Option<i64> {
    after_sunset_next_day(entry, &NEW_DELHI)
}

/// The first day of a Tamil solar month: the day of the sankranti if it happens before
/// sunset (at Chennai), else the next day.
fn tamil_month_first_day(entry: Moment) -> Option<i64> {
    after_sunset_next_day(entry, &CHENNAI)
}

fn after_sunset_next_day(entry: Moment, place: &Place) -> Option<i64> {
    let day = entry.civil_day(place);
    Some(if entry < place.sunset(day)? { day } else { day + 1 })
}

/// The first day of a Malayalam solar month: the day of the sankranti if it happens within
/// the first three fifths of the daytime (at Thiruvananthapuram), else the next day.
fn kerala_month_first_day(entry: Moment) -> Option<i64> {
    let place = &THIRUVANANTHAPURAM;
    let day = entry.civil_day(place);
    let today = Day::at(place, day)?;
    let limit = today.sunrise.plus_days(today.sunrise.days_until(today.sunset) * 0.6);
    Some(if entry < limit { day } else { day + 1 })
}

/// Thiruvonam (Onam): the day in the solar month of Chingam whose sunrise (at
/// Thiruvananthapuram) is in Thiruvonam (Shravana) nakshatra. When Chingam has two such
/// days, the second: the first then falls in Chingam's opening days, before the ten days of
/// the festival could begin within the month.
fn onam(year: i64) -> Option<i64> {
    let place = &THIRUVANANTHAPURAM;
    let simha = sankranti(place.midnight(day_number(year, 7, 15)), SIMHA);
    let chingam = kerala_month_first_day(simha)?..kerala_month_first_day(sankranti(simha, KANYA))?;
    let mut onam = None;
    let mut search_from = place.midnight(chingam.start - 2);
    while search_from < place.midnight(chingam.end) {
        let start = nakshatra_start(search_from, SHRAVANA);
        let span = Span { start, end: nakshatra_start(start, SHRAVANA + 1) };
        if let Some(day) = at_sunrise(&span, place).filter(|day| chingam.contains(day)) {
            onam = Some(day);
        }
        search_from = span.end;
    }
    onam
}
