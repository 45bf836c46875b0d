//! Positions of the sun and moon, sunrise and sunset, and the instants when an angle
//! between them reaches a value — what the Indian calendar is computed from.
//!
//! The methods are Jean Meeus, *Astronomical Algorithms* (2nd ed., 1998):
//! - the sun from the truncated VSOP87 series of Appendix III (chapter 25, "higher
//!   accuracy", about 1″, i.e. under half a minute of the sun's motion);
//! - the moon from the ELP-2000/82 main terms of chapter 47 (about 10″ in longitude, i.e.
//!   about 20 s of the moon's motion relative to the sun);
//! - nutation from the main terms of chapter 22 (0.5″), the mean obliquity (22.2) and
//!   sidereal time (12.4);
//! - ΔT = TT − UT from the Espenak–Meeus polynomials (NASA, 2006), a few seconds off for
//!   the present century;
//! - sunrise and sunset as the upper limb on the horizon with standard refraction
//!   (altitude −0°50′, chapter 15), at sea level.
//!
//! Instants are Julian days in UT (`Moment`); the series take Julian ephemeris days (TT).

/// An instant as a Julian day, Universal Time.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub(crate) struct Moment(pub(crate) f64);

/// A place on earth: degrees north, degrees east, and the civil clock's offset from UT in
/// hours (`5.5` for Indian Standard Time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Place {
    pub(crate) latitude: f64,
    pub(crate) longitude: f64,
    pub(crate) utc_offset_hours: f64,
}

/// Julian day of 1970-01-01T00:00 UT.
const UNIX_EPOCH_JD: f64 = 2_440_587.5;
const J2000: f64 = 2_451_545.0;
const DAYS_PER_CENTURY: f64 = 36_525.0;
const MEAN_SYNODIC_MONTH: f64 = 29.530_588_861;
/// Altitude of the sun's centre at sunrise and sunset: the sun's semi-diameter (16′) plus
/// standard refraction at the horizon (34′), below the horizon.
const SUNRISE_ALTITUDE: f64 = -0.833_333;

impl Moment {
    /// 00:00 UT of a day counted from 1970-01-01.
    pub(crate) fn from_unix_day(day: i64) -> Self {
        #[expect(clippy::cast_precision_loss, reason = "day numbers of the calendar's years are far below 2^52")]
        let day = day as f64;
        Self(day + UNIX_EPOCH_JD)
    }

    pub(crate) fn plus_days(self, days: f64) -> Self {
        Self(self.0 + days)
    }

    pub(crate) fn plus_hours(self, hours: f64) -> Self {
        Self(self.0 + hours / 24.0)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub(crate) fn days_until(self, later: Moment) -> f64 {
        later.0 - self.0
    }

    /// The civil day (counted from 1970-01-01) this instant falls on at `place`.
    pub(crate) fn civil_day(self, place: &Place) -> i64 {
        let local = self.0 - UNIX_EPOCH_JD + place.utc_offset_hours / 24.0;
        #[expect(clippy::cast_possible_truncation, reason = "floor of a day count of the calendar's years")]
        let day = local.floor() as i64;
        day
    }

    /// Julian ephemeris day (TT) of this instant.
    fn ephemeris(self) -> f64 {
        self.0 + delta_t_seconds(self.0) / 86_400.0
    }
}

impl Place {
    /// 00:00 civil time at this place of a day counted from 1970-01-01.
    pub(crate) fn midnight(&self, day: i64) -> Moment {
        Moment::from_unix_day(day).plus_hours(-self.utc_offset_hours)
    }

    /// Sunrise at this place on a civil day, or `None` in a polar day or night.
    pub(crate) fn sunrise(&self, day: i64) -> Option<Moment> {
        self.sun_event(day, -1.0)
    }

    /// Sunset at this place on a civil day, or `None` in a polar day or night.
    pub(crate) fn sunset(&self, day: i64) -> Option<Moment> {
        self.sun_event(day, 1.0)
    }

    /// Sunrise (`side` −1) or sunset (+1): start from the local mean noon and correct by the
    /// difference between the wanted and the actual hour angle until it stops moving.
    fn sun_event(&self, day: i64, side: f64) -> Option<Moment> {
        // Local mean noon of the civil day (the places used keep a clock within a few hours
        // of their solar time, so it falls on the same civil day).
        let mut moment = Moment::from_unix_day(day).plus_hours(12.0 - self.longitude / 15.0);
        let latitude = self.latitude.to_radians();
        for _ in 0..6 {
            let sun = Equatorial::of_sun(moment);
            let cos_hour_angle = (SUNRISE_ALTITUDE.to_radians().sin() - latitude.sin() * sun.declination.sin())
                / (latitude.cos() * sun.declination.cos());
            if !(-1.0..=1.0).contains(&cos_hour_angle) {
                return None;
            }
            let wanted = side * cos_hour_angle.acos().to_degrees();
            let actual =
                signed_degrees(apparent_sidereal_time(moment) + self.longitude - sun.right_ascension.to_degrees());
            let correction = signed_degrees(wanted - actual) / 360.985_647;
            moment = moment.plus_days(correction);
            if correction.abs() < 1e-7 {
                break;
            }
        }
        Some(moment)
    }
}

/// The sun's apparent geocentric longitude, degrees, referred to the true equinox of date.
pub(crate) fn sun_longitude(moment: Moment) -> f64 {
    let centuries = (moment.ephemeris() - J2000) / DAYS_PER_CENTURY;
    let (longitude, _, radius) = sun_geometric(centuries);
    let aberration = -20.4898 / 3600.0 / radius;
    normalize_degrees(longitude + aberration + Nutation::at(centuries).longitude)
}

/// The moon's apparent geocentric longitude, degrees, referred to the true equinox of date.
pub(crate) fn moon_longitude(moment: Moment) -> f64 {
    let centuries = (moment.ephemeris() - J2000) / DAYS_PER_CENTURY;
    normalize_degrees(moon_geometric_longitude(centuries) + Nutation::at(centuries).longitude)
}

/// The moon's elongation from the sun, degrees in `[0, 360)`: 0 at new moon, 180 at full.
pub(crate) fn lunar_phase(moment: Moment) -> f64 {
    normalize_degrees(moon_longitude(moment) - sun_longitude(moment))
}

/// The first instant at or after `after` when `angle` (a function of time that grows, in
/// degrees modulo 360) equals `target`. `rate` is its mean speed in degrees per day, used
/// for the first guess and as the slope of the corrections.
pub(crate) fn next_crossing(after: Moment, target: f64, rate: f64, angle: impl Fn(Moment) -> f64) -> Moment {
    let ahead = normalize_degrees(target - angle(after));
    let mut moment = after.plus_days(ahead / rate);
    for _ in 0..30 {
        let correction = signed_degrees(target - angle(moment)) / rate;
        moment = moment.plus_days(correction);
        if correction.abs() < 1e-6 {
            break;
        }
    }
    moment
}

/// The first new moon at or after `after`.
pub(crate) fn new_moon_at_or_after(after: Moment) -> Moment {
    next_crossing(after, 0.0, 360.0 / MEAN_SYNODIC_MONTH, lunar_phase)
}

/// Right ascension and declination, radians.
struct Equatorial {
    right_ascension: f64,
    declination: f64,
}

impl Equatorial {
    fn of_sun(moment: Moment) -> Self {
        let centuries = (moment.ephemeris() - J2000) / DAYS_PER_CENTURY;
        let (longitude, latitude, radius) = sun_geometric(centuries);
        let nutation = Nutation::at(centuries);
        let lambda = (longitude + nutation.longitude - 20.4898 / 3600.0 / radius).to_radians();
        let beta = latitude.to_radians();
        let epsilon = (mean_obliquity(centuries) + nutation.obliquity).to_radians();
        let right_ascension = (lambda.sin() * epsilon.cos() - beta.tan() * epsilon.sin()).atan2(lambda.cos());
        let declination = (beta.sin() * epsilon.cos() + beta.cos() * epsilon.sin() * lambda.sin()).asin();
        Self { right_ascension, declination }
    }
}

/// Nutation in longitude and in obliquity, degrees (Meeus 22, the terms above 0.1″).
struct Nutation {
    longitude: f64,
    obliquity: f64,
}

impl Nutation {
    fn at(centuries: f64) -> Self {
        let node = (125.044_52 - 1_934.136_261 * centuries).to_radians();
        let sun = (280.4665 + 36_000.769_8 * centuries).to_radians();
        let moon = (218.3165 + 481_267.881_3 * centuries).to_radians();
        let longitude =
            -17.20 * node.sin() - 1.32 * (2.0 * sun).sin() - 0.23 * (2.0 * moon).sin() + 0.21 * (2.0 * node).sin();
        let obliquity =
            9.20 * node.cos() + 0.57 * (2.0 * sun).cos() + 0.10 * (2.0 * moon).cos() - 0.09 * (2.0 * node).cos();
        Self { longitude: longitude / 3600.0, obliquity: obliquity / 3600.0 }
    }
}

/// Mean obliquity of the ecliptic, degrees (Meeus 22.2).
fn mean_obliquity(centuries: f64) -> f64 {
    let seconds = 21.448 - centuries * (46.8150 + centuries * (0.00059 - centuries * 0.001_813));
    23.0 + 26.0 / 60.0 + seconds / 3600.0
}

/// Apparent sidereal time at Greenwich, degrees (Meeus 12.4 plus the equation of the
/// equinoxes).
fn apparent_sidereal_time(moment: Moment) -> f64 {
    let days = moment.0 - J2000;
    let centuries = days / DAYS_PER_CENTURY;
    let mean =
        280.460_618_37 + 360.985_647_366_29 * days + centuries * centuries * (0.000_387_933 - centuries / 38_710_000.0);
    let ephemeris_centuries = (moment.ephemeris() - J2000) / DAYS_PER_CENTURY;
    let nutation = Nutation::at(ephemeris_centuries);
    let obliquity = (mean_obliquity(ephemeris_centuries) + nutation.obliquity).to_radians();
    normalize_degrees(mean + nutation.longitude * obliquity.cos())
}

/// ΔT = TT − UT in seconds (Espenak & Meeus, "Polynomial expressions for Delta T", 2006).
fn delta_t_seconds(julian_day: f64) -> f64 {
    let year = 2000.0 + (julian_day - J2000) / 365.25;
    if year < 1900.0 {
        let u = (year - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u
    } else if year < 1920.0 {
        let t = year - 1900.0;
        -2.79 + t * (1.494_119 + t * (-0.059_893_9 + t * (0.006_196_6 - t * 0.000_197)))
    } else if year < 1941.0 {
        let t = year - 1920.0;
        21.20 + t * (0.844_93 + t * (-0.076_100 + t * 0.002_093_6))
    } else if year < 1961.0 {
        let t = year - 1950.0;
        29.07 + t * (0.407 + t * (-1.0 / 233.0 + t / 2547.0))
    } else if year < 1986.0 {
        let t = year - 1975.0;
        45.45 + t * (1.067 + t * (-1.0 / 260.0 - t / 718.0))
    } else if year < 2005.0 {
        let t = year - 2000.0;
        63.86 + t * (0.3345 + t * (-0.060_374 + t * (0.001_727_5 + t * (0.000_651_814 + t * 0.000_023_735_99))))
    } else if year < 2050.0 {
        let t = year - 2000.0;
        62.92 + t * (0.322_17 + t * 0.005_589)
    } else if year < 2150.0 {
        let u = (year - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u - 0.5628 * (2150.0 - year)
    } else {
        let u = (year - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u
    }
}

/// The sun's geometric geocentric longitude and latitude (degrees, FK5, mean equinox of
/// date) and the earth–sun distance (AU), from VSOP87 (Meeus 25, "higher accuracy").
fn sun_geometric(centuries: f64) -> (f64, f64, f64) {
    let millennia = centuries / 10.0;
    let earth_longitude = vsop_sum(&EARTH_L, millennia);
    let earth_latitude = vsop_sum(&EARTH_B, millennia);
    let radius = vsop_sum(&EARTH_R, millennia);
    let longitude = earth_longitude.to_degrees() + 180.0;
    let latitude = -earth_latitude.to_degrees();
    // Conversion to the FK5 system (Meeus 32.3).
    let shifted = (longitude - 1.397 * centuries - 0.000_31 * centuries * centuries).to_radians();
    let longitude = longitude - 0.090_33 / 3600.0;
    let latitude = latitude + 0.039_16 / 3600.0 * (shifted.cos() - shifted.sin());
    (normalize_degrees(longitude), latitude, radius)
}

/// Σ over the powers of τ of Σ A cos(B + C τ), in units of 10⁻⁸.
fn vsop_sum(series: &[&[(f64, f64, f64)]], millennia: f64) -> f64 {
    let mut total = 0.0;
    let mut power = 1.0;
    for terms in series {
        let sum: f64 = terms.iter().map(|(a, b, c)| a * (b + c * millennia).cos()).sum();
        total += sum * power;
        power *= millennia;
    }
    total / 1e8
}

/// The moon's geometric geocentric longitude, degrees, mean equinox of date (Meeus 47).
fn moon_geometric_longitude(centuries: f64) -> f64 {
    let t = centuries;
    let mean_longitude =
        218.316_447_7 + t * (481_267.881_234_21 + t * (-0.001_578_6 + t * (1.0 / 538_841.0 - t / 65_194_000.0)));
    let elongation =
        297.850_192_1 + t * (445_267.111_403_4 + t * (-0.001_881_9 + t * (1.0 / 545_868.0 - t / 113_065_000.0)));
    let sun_anomaly = 357.529_109_2 + t * (35_999.050_290_9 + t * (-0.000_153_6 + t / 24_490_000.0));
    let moon_anomaly =
        134.963_396_4 + t * (477_198.867_505_5 + t * (0.008_741_4 + t * (1.0 / 69_699.0 - t / 14_712_000.0)));
    let latitude_argument =
        93.272_095 + t * (483_202.017_523_3 + t * (-0.003_653_9 + t * (-1.0 / 3_526_000.0 + t / 863_310_000.0)));
    let a1 = 119.75 + 131.849 * t;
    let a2 = 53.09 + 479_264.290 * t;
    let eccentricity = 1.0 - t * (0.002_516 + t * 0.000_007_4);

    let mut sum = 0.0;
    for &(d, m, mp, f, coefficient) in &MOON_LONGITUDE {
        let argument = d * elongation + m * sun_anomaly + mp * moon_anomaly + f * latitude_argument;
        let factor = match m.abs() {
            1.0 => eccentricity,
            2.0 => eccentricity * eccentricity,
            _ => 1.0,
        };
        sum += coefficient * factor * argument.to_radians().sin();
    }
    sum += 3958.0 * a1.to_radians().sin()
        + 1962.0 * (mean_longitude - latitude_argument).to_radians().sin()
        + 318.0 * a2.to_radians().sin();
    normalize_degrees(mean_longitude + sum / 1e6)
}

pub(crate) fn normalize_degrees(degrees: f64) -> f64 {
    degrees.rem_euclid(360.0)
}

/// An angle in degrees brought into `(-180, 180]`.
pub(crate) fn signed_degrees(degrees: f64) -> f64 {
    let normalized = normalize_degrees(degrees);
    if normalized > 180.0 { normalized - 360.0 } else { normalized }
}

/// Meeus table 47.A, longitude: multiples of D, M, M′, F and the coefficient in 10⁻⁶ degree.
const MOON_LONGITUDE: [(f64, f64, f64, f64, f64); 60] = [
    (0.0, 0.0, 1.0, 0.0, 6288774.0),
    (2.0, 0.0, -1.0, 0.0, 1274027.0),
    (2.0, 0.0, 0.0, 0.0, 658314.0),
    (0.0, 0.0, 2.0, 0.0, 213618.0),
    (0.0, 1.0, 0.0, 0.0, -185116.0),
    (0.0, 0.0, 0.0, 2.0, -114332.0),
    (2.0, 0.0, -2.0, 0.0, 58793.0),
    (2.0, -1.0, -1.0, 0.0, 57066.0),
    (2.0, 0.0, 1.0, 0.0, 53322.0),
    (2.0, -1.0, 0.0, 0.0, 45758.0),
    (0.0, 1.0, -1.0, 0.0, -40923.0),
    (1.0, 0.0, 0.0, 0.0, -34720.0),
    (0.0, 1.0, 1.0, 0.0, -30383.0),
    (2.0, 0.0, 0.0, -2.0, 15327.0),
    (0.0, 0.0, 1.0, 2.0, -12528.0),
    (0.0, 0.0, 1.0, -2.0, 10980.0),
    (4.0, 0.0, -1.0, 0.0, 10675.0),
    (0.0, 0.0, 3.0, 0.0, 10034.0),
    (4.0, 0.0, -2.0, 0.0, 8548.0),
    (2.0, 1.0, -1.0, 0.0, -7888.0),
    (2.0, 1.0, 0.0, 0.0, -6766.0),
    (1.0, 0.0, -1.0, 0.0, -5163.0),
    (1.0, 1.0, 0.0, 0.0, 4987.0),
    (2.0, -1.0, 1.0, 0.0, 4036.0),
    (2.0, 0.0, 2.0, 0.0, 3994.0),
    (4.0, 0.0, 0.0, 0.0, 3861.0),
    (2.0, 0.0, -3.0, 0.0, 3665.0),
    (0.0, 1.0, -2.0, 0.0, -2689.0),
    (2.0, 0.0, -1.0, 2.0, -2602.0),
    (2.0, -1.0, -2.0, 0.0, 2390.0),
    (1.0, 0.0, 1.0, 0.0, -2348.0),
    (2.0, -2.0, 0.0, 0.0, 2236.0),
    (0.0, 1.0, 2.0, 0.0, -2120.0),
    (0.0, 2.0, 0.0, 0.0, -2069.0),
    (2.0, -2.0, -1.0, 0.0, 2048.0),
    (2.0, 0.0, 1.0, -2.0, -1773.0),
    (2.0, 0.0, 0.0, 2.0, -1595.0),
    (4.0, -1.0, -1.0, 0.0, 1215.0),
    (0.0, 0.0, 2.0, 2.0, -1110.0),
    (3.0, 0.0, -1.0, 0.0, -892.0),
    (2.0, 1.0, 1.0, 0.0, -810.0),
    (4.0, -1.0, -2.0, 0.0, 759.0),
    (0.0, 2.0, -1.0, 0.0, -713.0),
    (2.0, 2.0, -1.0, 0.0, -700.0),
    (2.0, 1.0, -2.0, 0.0, 691.0),
    (2.0, -1.0, 0.0, -2.0, 596.0),
    (4.0, 0.0, 1.0, 0.0, 549.0),
    (0.0, 0.0, 4.0, 0.0, 537.0),
    (4.0, -1.0, 0.0, 0.0, 520.0),
    (1.0, 0.0, -2.0, 0.0, -487.0),
    (2.0, 1.0, 0.0, -2.0, -399.0),
    (0.0, 0.0, 2.0, -2.0, -381.0),
    (1.0, 1.0, 1.0, 0.0, 351.0),
    (3.0, 0.0, -2.0, 0.0, -340.0),
    (4.0, 0.0, -3.0, 0.0, 330.0),
    (2.0, -1.0, 2.0, 0.0, 327.0),
    (0.0, 2.0, 1.0, 0.0, -323.0),
    (1.0, 1.0, -1.0, 0.0, 299.0),
    (2.0, 0.0, 3.0, 0.0, 294.0),
    (2.0, 0.0, -1.0, -2.0, 0.0),
];

// VSOP87 (Bretagnon & Francou 1988) for the earth, truncated as in Meeus, Appendix III:
// amplitude (10⁻⁸ rad or AU), phase (rad), frequency (rad per Julian millennium).
const EARTH_L: [&[(f64, f64, f64)]; 6] = [&EARTH_L0, &EARTH_L1, &EARTH_L2, &EARTH_L3, &EARTH_L4, &EARTH_L5];
const EARTH_B: [&[(f64, f64, f64)]; 2] = [&EARTH_B0, &EARTH_B1];
const EARTH_R: [&[(f64, f64, f64)]; 5] = [&EARTH_R0, &EARTH_R1, &EARTH_R2, &EARTH_R3, &EARTH_R4];
const EARTH_L0: [(f64, f64, f64); 64] = [
    (175347046.0, 0.0, 0.0),
    (3341656.0, 4.6692568, 6283.07585),
    (34894.0, 4.6261, 12566.1517),
    (3497.0, 2.7441, 5753.3849),
    (3418.0, 2.8289, 3.5231),
    (3136.0, 3.6277, 77713.7715),
    (2676.0, 4.4181, 7860.4194),
    (2343.0, 6.1352, 3930.2097),
    (1324.0, 0.7425, 11506.7698),
    (1273.0, 2.0371, 529.691),
    (1199.0, 1.1096, 1577.3435),
    (990.0, 5.233, 5884.927),
    (902.0, 2.045, 26.298),
    (857.0, 3.508, 398.149),
    (780.0, 1.179, 5223.694),
    (753.0, 2.533, 5507.553),
    (505.0, 4.583, 18849.228),
    (492.0, 4.205, 775.523),
    (357.0, 2.92, 0.067),
    (317.0, 5.849, 11790.629),
    (284.0, 1.899, 796.298),
    (271.0, 0.315, 10977.079),
    (243.0, 0.345, 5486.778),
    (206.0, 4.806, 2544.314),
    (205.0, 1.869, 5573.143),
    (202.0, 2.458, 6069.777),
    (156.0, 0.833, 213.299),
    (132.0, 3.411, 2942.463),
    (126.0, 1.083, 20.775),
    (115.0, 0.645, 0.98),
    (103.0, 0.636, 4694.003),
    (102.0, 0.976, 15720.839),
    (102.0, 4.267, 7.114),
    (99.0, 6.21, 2146.17),
    (98.0, 0.68, 155.42),
    (86.0, 5.98, 161000.69),
    (85.0, 1.3, 6275.96),
    (85.0, 3.67, 71430.7),
    (80.0, 1.81, 17260.15),
    (79.0, 3.04, 12036.46),
    (75.0, 1.76, 5088.63),
    (74.0, 3.5, 3154.69),
    (74.0, 4.68, 801.82),
    (70.0, 0.83, 9437.76),
    (62.0, 3.98, 8827.39),
    (61.0, 1.82, 7084.9),
    (57.0, 2.78, 6286.6),
    (56.0, 4.39, 14143.5),
    (56.0, 3.47, 6279.55),
    (52.0, 0.19, 12139.55),
    (52.0, 1.33, 1748.02),
    (51.0, 0.28, 5856.48),
    (49.0, 0.49, 1194.45),
    (41.0, 5.37, 8429.24),
    (41.0, 2.4, 19651.05),
    (39.0, 6.17, 10447.39),
    (37.0, 6.04, 10213.29),
    (37.0, 2.57, 1059.38),
    (36.0, 1.71, 2352.87),
    (36.0, 1.78, 6812.77),
    (33.0, 0.59, 17789.85),
    (30.0, 0.44, 83996.85),
    (30.0, 2.74, 1349.87),
    (25.0, 3.16, 4690.48),
];
const EARTH_L1: [(f64, f64, f64); 34] = [
    (628331966747.0, 0.0, 0.0),
    (206059.0, 2.678235, 6283.07585),
    (4303.0, 2.6351, 12566.1517),
    (425.0, 1.59, 3.523),
    (119.0, 5.796, 26.298),
    (109.0, 2.966, 1577.344),
    (93.0, 2.59, 18849.23),
    (72.0, 1.14, 529.69),
    (68.0, 1.87, 398.15),
    (67.0, 4.41, 5507.55),
    (59.0, 2.89, 5223.69),
    (56.0, 2.17, 155.42),
    (45.0, 0.4, 796.3),
    (36.0, 0.47, 775.52),
    (29.0, 2.65, 7.11),
    (21.0, 5.34, 0.98),
    (19.0, 1.85, 5486.78),
    (19.0, 4.97, 213.3),
    (17.0, 2.99, 6275.96),
    (16.0, 0.03, 2544.31),
    (16.0, 1.43, 2146.17),
    (15.0, 1.21, 10977.08),
    (12.0, 2.83, 1748.02),
    (12.0, 3.26, 5088.63),
    (12.0, 5.27, 1194.45),
    (12.0, 2.08, 4694.0),
    (11.0, 0.77, 553.57),
    (10.0, 1.3, 6286.6),
    (10.0, 4.24, 1349.87),
    (9.0, 2.7, 242.73),
    (9.0, 5.64, 951.72),
    (8.0, 5.3, 2352.87),
    (6.0, 2.65, 9437.76),
    (6.0, 4.67, 4690.48),
];
const EARTH_L2: [(f64, f64, f64); 20] = [
    (52919.0, 0.0, 0.0),
    (8720.0, 1.0721, 6283.0758),
    (309.0, 0.867, 12566.152),
    (27.0, 0.05, 3.52),
    (16.0, 5.19, 26.3),
    (16.0, 3.68, 155.42),
    (10.0, 0.76, 18849.23),
    (9.0, 2.06, 77713.77),
    (7.0, 0.83, 775.52),
    (5.0, 4.66, 1577.34),
    (4.0, 1.03, 7.11),
    (4.0, 3.44, 5573.14),
    (3.0, 5.14, 796.3),
    (3.0, 6.05, 5507.55),
    (3.0, 1.19, 242.73),
    (3.0, 6.12, 529.69),
    (3.0, 0.31, 398.15),
    (3.0, 2.28, 553.57),
    (2.0, 4.38, 5223.69),
    (2.0, 3.75, 0.98),
];
const EARTH_L3: [(f64, f64, f64); 7] = [
    (289.0, 5.844, 6283.076),
    (35.0, 0.0, 0.0),
    (17.0, 5.49, 12566.15),
    (3.0, 5.2, 155.42),
    (1.0, 4.72, 3.52),
    (1.0, 5.3, 18849.23),
    (1.0, 5.97, 242.73),
];
#[expect(clippy::approx_constant, reason = "the published table's phase, π rounded as Meeus prints it")]
const EARTH_L4: [(f64, f64, f64); 3] = [(114.0, 3.142, 0.0), (8.0, 4.13, 6283.08), (1.0, 3.84, 12566.15)];
#[expect(clippy::approx_constant, reason = "the published table's phase, π rounded as Meeus prints it")]
const EARTH_L5: [(f64, f64, f64); 1] = [(1.0, 3.14, 0.0)];
const EARTH_B0: [(f64, f64, f64); 5] = [
    (280.0, 3.199, 84334.662),
    (102.0, 5.422, 5507.553),
    (80.0, 3.88, 5223.69),
    (44.0, 3.7, 2352.87),
    (32.0, 4.0, 1577.34),
];
const EARTH_B1: [(f64, f64, f64); 2] = [(9.0, 3.9, 5507.55), (6.0, 1.73, 5223.69)];
const EARTH_R0: [(f64, f64, f64); 40] = [
    (100013989.0, 0.0, 0.0),
    (1670700.0, 3.0984635, 6283.07585),
    (13956.0, 3.05525, 12566.1517),
    (3084.0, 5.1985, 77713.7715),
    (1628.0, 1.1739, 5753.3849),
    (1576.0, 2.8469, 7860.4194),
    (925.0, 5.453, 11506.77),
    (542.0, 4.564, 3930.21),
    (472.0, 3.661, 5884.927),
    (346.0, 0.964, 5507.553),
    (329.0, 5.9, 5223.694),
    (307.0, 0.299, 5573.143),
    (243.0, 4.273, 11790.629),
    (212.0, 5.847, 1577.344),
    (186.0, 5.022, 10977.079),
    (175.0, 3.012, 18849.228),
    (110.0, 5.055, 5486.778),
    (98.0, 0.89, 6069.78),
    (86.0, 5.69, 15720.84),
    (86.0, 1.27, 161000.69),
    (85.0, 0.27, 17260.15),
    (63.0, 0.92, 529.69),
    (57.0, 2.01, 83996.85),
    (56.0, 5.24, 71430.7),
    (49.0, 3.25, 2544.31),
    (47.0, 2.58, 775.52),
    (45.0, 5.54, 9437.76),
    (43.0, 6.01, 6275.96),
    (39.0, 5.36, 4694.0),
    (38.0, 2.39, 8827.39),
    (37.0, 0.83, 19651.05),
    (37.0, 4.9, 12139.55),
    (36.0, 1.67, 12036.46),
    (35.0, 1.84, 2942.46),
    (33.0, 0.24, 7084.9),
    (32.0, 0.18, 5088.63),
    (32.0, 1.78, 398.15),
    (28.0, 1.21, 6286.6),
    (28.0, 1.9, 6279.55),
    (26.0, 4.59, 10447.39),
];
#[expect(clippy::approx_constant, reason = "the published table's phase, π rounded as Meeus prints it")]
const EARTH_R1: [(f64, f64, f64); 10] = [
    (103019.0, 1.10749, 6283.07585),
    (1721.0, 1.0644, 12566.1517),
    (702.0, 3.142, 0.0),
    (32.0, 1.02, 18849.23),
    (31.0, 2.84, 5507.55),
    (25.0, 1.32, 5223.69),
    (18.0, 1.42, 1577.34),
    (10.0, 5.91, 10977.08),
    (9.0, 1.42, 6275.96),
    (9.0, 0.27, 5486.78),
];
#[expect(clippy::approx_constant, reason = "the published table's phase, π rounded as Meeus prints it")]
const EARTH_R2: [(f64, f64, f64); 6] = [
    (4359.0, 5.7846, 6283.0758),
    (124.0, 5.579, 12566.152),
    (12.0, 3.14, 0.0),
    (9.0, 3.63, 77713.77),
    (6.0, 1.87, 5573.14),
    (3.0, 5.47, 18849.0),
];
const EARTH_R3: [(f64, f64, f64); 2] = [(145.0, 4.273, 6283.076), (7.0, 3.92, 12566.15)];
const EARTH_R4: [(f64, f64, f64); 1] = [(4.0, 2.56, 6283.08)];
