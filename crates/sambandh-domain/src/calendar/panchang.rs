//! The elements of the Indian calendar (panchang) computed from the sun and moon: sidereal
//! longitudes by the Lahiri ayanamsa, tithis, nakshatras, sankrantis, amanta lunar months
//! with their names and leap (adhika) months, and the parts of a day and night that the
//! festival rules refer to.

use crate::calendar::astronomy::{
    Moment, Place, lunar_phase, moon_longitude, new_moon_at_or_after, next_crossing, normalize_degrees, sun_longitude,
};

/// New Delhi, the reference place of the pan-Indian festivals (drikpanchang.com's default).
pub(crate) const NEW_DELHI: Place = Place { latitude: 28.6139, longitude: 77.2090, utc_offset_hours: 5.5 };
/// Chennai, the reference place of the Tamil solar calendar (Pongal, Puthandu).
pub(crate) const CHENNAI: Place = Place { latitude: 13.0827, longitude: 80.2707, utc_offset_hours: 5.5 };
/// Thiruvananthapuram, the reference place of the Malayalam calendar (Onam).
pub(crate) const THIRUVANANTHAPURAM: Place = Place { latitude: 8.5241, longitude: 76.9366, utc_offset_hours: 5.5 };

const MEAN_SYNODIC_MONTH: f64 = 29.530_588_861;
/// Mean daily motion of the moon away from the sun, degrees.
const ELONGATION_RATE: f64 = 360.0 / MEAN_SYNODIC_MONTH;
/// Mean daily motion of the sun, degrees.
const SUN_RATE: f64 = 0.985_647_4;
/// Mean daily motion of the moon, degrees.
const MOON_RATE: f64 = 13.176_358;
/// A nakshatra spans 13°20′ of the sidereal zodiac.
pub(crate) const NAKSHATRA_DEGREES: f64 = 360.0 / 27.0;

/// The Lahiri (Chitrapaksha) ayanamsa, degrees: the distance of the equinox of date from
/// the start of sidereal Aries. The Indian Calendar Reform Committee (1955) fixed it at
/// 23°15′00.658″ on 1956-03-21 00:00 TT; it is carried to other dates by the IAU 2006
/// general precession in longitude and subtracted from the *apparent* longitude.
///
/// Swiss Ephemeris (`SE_SIDM_LAHIRI`) instead takes 16.77″ off the 1956 value (reading
/// it as a true value) and removes nutation from the longitude. The form here is the one
/// that reproduces the sankranti moments drikpanchang.com publishes (Makar Sankranti
/// 2020 02:22, 2022 14:43, 2025 09:03 IST) to a minute or two; Swiss Ephemeris' form
/// puts them 6 to 14 minutes earlier, depending on the nutation.
pub(crate) fn lahiri_ayanamsa(moment: Moment) -> f64 {
    const EPOCH: f64 = 2_435_553.5;
    const AT_EPOCH: f64 = 23.0 + 15.0 / 60.0 + 0.658 / 3600.0;
    let precession = |julian_day: f64| {
        let centuries = (julian_day - 2_451_545.0) / 36_525.0;
        (5_028.796_195 * centuries + 1.105_434_8 * centuries * centuries) / 3600.0
    };
    AT_EPOCH + precession(moment.0) - precession(EPOCH)
}

/// The sun's sidereal longitude (nirayana), degrees.
pub(crate) fn sidereal_sun(moment: Moment) -> f64 {
    normalize_degrees(sun_longitude(moment) - lahiri_ayanamsa(moment))
}

/// The moon's sidereal longitude, degrees.
pub(crate) fn sidereal_moon(moment: Moment) -> f64 {
    normalize_degrees(moon_longitude(moment) - lahiri_ayanamsa(moment))
}

/// The sidereal sign (rashi) the sun is in: 0 Mesha … 9 Makara … 11 Meena.
pub(crate) fn solar_sign(moment: Moment) -> u8 {
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a longitude / 30 is in 0..12")]
    let sign = (sidereal_sun(moment) / 30.0).floor() as u8;
    sign % 12
}

/// The next sankranti into `sign` (0 Mesha … 11 Meena) at or after `after`.
pub(crate) fn sankranti(after: Moment, sign: u8) -> Moment {
    next_crossing(after, f64::from(sign) * 30.0, SUN_RATE, sidereal_sun)
}

/// The next instant at or after `after` when the moon enters nakshatra `index` (0 Ashvini
/// … 21 Shravana … 26 Revati).
pub(crate) fn nakshatra_start(after: Moment, index: u8) -> Moment {
    next_crossing(after, f64::from(index) * NAKSHATRA_DEGREES, MOON_RATE, sidereal_moon)
}

/// A span of time, `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Span {
    pub(crate) start: Moment,
    pub(crate) end: Moment,
}

impl Span {
    pub(crate) fn contains(&self, moment: Moment) -> bool {
        self.start <= moment && moment < self.end
    }

    /// How long the two spans overlap, in days (0 when they do not).
    pub(crate) fn overlap_days(&self, other: &Span) -> f64 {
        let start = if self.start > other.start { self.start } else { other.start };
        let end = if self.end < other.end { self.end } else { other.end };
        start.days_until(end).max(0.0)
    }
}

/// The twelve lunar months, numbered from Chaitra.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Masa {
    Chaitra,
    Vaishakha,
    Jyeshtha,
    Ashadha,
    Shravana,
    Bhadrapada,
    Ashvin,
    Kartika,
    Margashirsha,
    Pausha,
    Magha,
    Phalguna,
}

const MASAS: [Masa; 12] = [
    Masa::Chaitra,
    Masa::Vaishakha,
    Masa::Jyeshtha,
    Masa::Ashadha,
    Masa::Shravana,
    Masa::Bhadrapada,
    Masa::Ashvin,
    Masa::Kartika,
    Masa::Margashirsha,
    Masa::Pausha,
    Masa::Magha,
    Masa::Phalguna,
];

/// An amanta lunar month: from one new moon to the next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LunarMonth {
    pub(crate) span: Span,
    pub(crate) masa: Masa,
    /// A leap month: no sankranti falls in it. Festivals are kept in the regular (nija)
    /// month of the same name, which follows it.
    pub(crate) adhika: bool,
    /// A lost (kshaya) month: two sankrantis fall in this one (1983, next in 2123), and it
    /// stands for the month whose name would otherwise be skipped as well as its own.
    pub(crate) kshaya_also: Option<Masa>,
}

impl LunarMonth {
    /// Whether festivals of `masa` are kept in this month.
    pub(crate) fn keeps(&self, masa: Masa) -> bool {
        !self.adhika && (self.masa == masa || self.kshaya_also == Some(masa))
    }
}

impl LunarMonth {
    /// The span of tithi `number` (1–15 shukla paksha, 16–30 krishna paksha; 15 is
    /// purnima, 30 amavasya): the moon's elongation from the sun is between
    /// `12° × (number − 1)` and `12° × number`.
    pub(crate) fn tithi(&self, number: u8) -> Span {
        let boundary = |index: u8| match index {
            0 => self.span.start,
            30 => self.span.end,
            _ => next_crossing(self.span.start, f64::from(index) * 12.0, ELONGATION_RATE, lunar_phase),
        };
        Span { start: boundary(number - 1), end: boundary(number) }
    }
}

/// The amanta months that begin in `[from, to)`, named by the rule of the Indian
/// lunisolar calendar: a month is named after the sankranti that falls in it (the month
/// in which the sun enters Mesha is Chaitra, Vrishabha Vaishakha, …); a month with no
/// sankranti is adhika and takes the name of the month after it; a month with two is
/// kshaya and stands for both names.
pub(crate) fn lunar_months(from: Moment, to: Moment) -> Vec<LunarMonth> {
    let mut months = Vec::new();
    let mut start = new_moon_at_or_after(from);
    let mut sign_at_start = solar_sign(start);
    while start < to {
        let end = new_moon_at_or_after(start.plus_days(1.0));
        let sign_at_end = solar_sign(end);
        // The sun is in sign s at the new moon that begins the month; the month is named
        // after the sign it enters next (s + 1), Mesha (0) giving Chaitra.
        let masa = MASAS[usize::from((sign_at_start + 1) % 12)];
        let kshaya_also =
            (sign_at_end == (sign_at_start + 2) % 12).then(|| MASAS[usize::from((sign_at_start + 2) % 12)]);
        months.push(LunarMonth { span: Span { start, end }, masa, adhika: sign_at_start == sign_at_end, kshaya_also });
        start = end;
        sign_at_start = sign_at_end;
    }
    months
}

/// The parts of one civil day and the night after it at a place, as the festival rules
/// name them (the day from sunrise to sunset in five equal parts, the night from sunset to
/// the next sunrise in fifteen muhurtas).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Day {
    pub(crate) sunrise: Moment,
    pub(crate) sunset: Moment,
    pub(crate) next_sunrise: Moment,
}

impl Day {
    pub(crate) fn at(place: &Place, day: i64) -> Option<Self> {
        Some(Self { sunrise: place.sunrise(day)?, sunset: place.sunset(day)?, next_sunrise: place.sunrise(day + 1)? })
    }

    fn day_part(&self, from: f64, to: f64) -> Span {
        let length = self.sunrise.days_until(self.sunset);
        Span { start: self.sunrise.plus_days(length * from), end: self.sunrise.plus_days(length * to) }
    }

    fn night_part(&self, from: f64, to: f64) -> Span {
        let length = self.sunset.days_until(self.next_sunrise);
        Span { start: self.sunset.plus_days(length * from), end: self.sunset.plus_days(length * to) }
    }

    /// Madhyahna: the third fifth of the daytime.
    pub(crate) fn madhyahna(&self) -> Span {
        self.day_part(0.4, 0.6)
    }

    /// Aparahna: the fourth fifth of the daytime.
    pub(crate) fn aparahna(&self) -> Span {
        self.day_part(0.6, 0.8)
    }

    /// Pradosha: the first fifth of the night.
    pub(crate) fn pradosha(&self) -> Span {
        self.night_part(0.0, 0.2)
    }

    /// Nishita: the eighth of the fifteen muhurtas of the night, around midnight.
    pub(crate) fn nishita(&self) -> Span {
        self.night_part(7.0 / 15.0, 8.0 / 15.0)
    }
}

#[cfg(test)]
mod tests {
    //! The astronomy against instants published by others. Times are IST unless marked.

    use super::*;
    use crate::calendar::astronomy::new_moon_at_or_after;
    use crate::calendar::day_number;

    /// The instant of `YYYY-MM-DD HH:MM` at `offset_hours` from UT.
    fn at(text: &str, offset_hours: f64) -> Moment {
        let number = |range: std::ops::Range<usize>| text[range].parse::<i64>().unwrap();
        let day = day_number(number(0..4), number(5..7), number(8..10));
        #[expect(clippy::cast_precision_loss, reason = "small numbers")]
        let hours = number(11..13) as f64 + number(14..16) as f64 / 60.0;
        Moment::from_unix_day(day).plus_hours(hours - offset_hours)
    }

    fn ist(text: &str) -> Moment {
        at(text, 5.5)
    }

    #[track_caller]
    fn assert_within(minutes: f64, computed: Moment, published: Moment) {
        let difference = computed.days_until(published).abs() * 1440.0;
        assert!(difference <= minutes, "off by {difference:.1} min from the published time");
    }

    #[test]
    fn new_moon() {
        // lunaf.com (and Space.com): new moon of the 2024 eclipse, 8 April 18:21 UTC.
        let computed = new_moon_at_or_after(at("2024-04-07 00:00", 0.0));
        assert_within(2.0, computed, at("2024-04-08 18:21", 0.0));
    }

    #[test]
    fn sunrise_and_sunset_at_new_delhi() {
        // news18.com's panchang for New Delhi, 4 November 2021: sunrise 06:35, sunset 17:33.
        let day = day_number(2021, 11, 4);
        assert_within(2.0, NEW_DELHI.sunrise(day).unwrap(), ist("2021-11-04 06:35"));
        assert_within(2.0, NEW_DELHI.sunset(day).unwrap(), ist("2021-11-04 17:33"));
    }

    /// The amanta month that starts within a few days of `around`.
    fn month_near(around: &str) -> LunarMonth {
        let start = ist(around);
        lunar_months(start.plus_days(-3.0), start.plus_days(3.0))[0]
    }

    #[test]
    fn tithi_boundaries_match_drikpanchang() {
        // Diwali 2021 (news18.com, republicworld.com): amavasya ends 02:44 on 5 November.
        let kartika_2021 = month_near("2021-11-05 00:00");
        assert_within(3.0, kartika_2021.span.start, ist("2021-11-05 02:44"));
        // Diwali 2023 (Drik Panchang via wapozavr.com): amavasya 14:44 on 12 November to
        // 14:56 on 13 November.
        let ashvin_2023 = month_near("2023-10-14 00:00");
        let amavasya = ashvin_2023.tithi(30);
        assert_within(3.0, amavasya.start, ist("2023-11-12 14:44"));
        assert_within(3.0, amavasya.end, ist("2023-11-13 14:56"));
        // Gujarati New Year 2020 (latestly.com, news18.com): pratipada 10:36 on 15 November
        // to 07:06 on 16 November.
        let pratipada = month_near("2020-11-15 00:00").tithi(1);
        assert_within(3.0, pratipada.start, ist("2020-11-15 10:36"));
        assert_within(3.0, pratipada.end, ist("2020-11-16 07:06"));
        // Navratri 2022 (dnaindia.com): pratipada from 03:24 on 26 September.
        assert_within(3.0, month_near("2022-09-26 00:00").tithi(1).start, ist("2022-09-26 03:24"));
    }

    #[test]
    fn makara_sankranti_matches_drikpanchang() {
        // zeenews.india.com (citing drikpanchang.com) 2020 and 2022; satish.com.in 2023;
        // pratidintime.com 2024; vistaarnews.com 2025; indiatoday.in 2026.
        for published in [
            "2020-01-15 02:22",
            "2022-01-14 14:43",
            "2023-01-14 20:57",
            "2024-01-15 02:54",
            "2025-01-14 09:03",
            "2026-01-14 15:13",
        ] {
            let year = published[0..4].parse::<i64>().unwrap();
            let computed = sankranti(NEW_DELHI.midnight(day_number(year, 1, 1)), 9);
            assert_within(3.0, computed, ist(published));
        }
    }

    #[test]
    fn leap_and_lost_months() {
        // 2023 had an adhika Shravana (18 July – 16 August), making Shravana 59 days long.
        let months = lunar_months(ist("2023-06-01 00:00"), ist("2023-09-30 00:00"));
        let adhika: Vec<&LunarMonth> = months.iter().filter(|month| month.adhika).collect();
        assert_eq!(adhika.len(), 1);
        assert_eq!(adhika[0].masa, Masa::Shravana);
        assert_within(1440.0, adhika[0].span.start, ist("2023-07-18 00:00"));
        // 1982–83 had a kshaya month: one lunation holds two sankrantis and both names.
        let months = lunar_months(ist("1982-10-01 00:00"), ist("1983-04-01 00:00"));
        assert!(months.iter().any(|month| month.kshaya_also.is_some()));
        assert!(months.iter().any(|month| month.keeps(Masa::Magha)));
    }
}
