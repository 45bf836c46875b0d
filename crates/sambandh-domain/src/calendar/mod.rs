//! The festival calendar, computed for any year from the positions of the sun and moon:
//! no table of dates is kept. Solar festivals come from the sun's sidereal longitude
//! (Lahiri ayanamsa), lunar ones from tithis by the rules of the Indian lunisolar calendar
//! as observed in India, the two Eids from the tabular Islamic calendar, and the civil
//! days are fixed. `docs/calendar.md` has the method, the rule of each festival, the
//! sources the dates were checked against and the known limits.
//!
//! Pure: no clock, no I/O, nothing memoised. One year of every festival takes a few
//! milliseconds.

mod astronomy;
mod islamic;
mod panchang;
mod rules;

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use jiff::civil::Date;

use crate::{LanguageTag, Region, ValueError};

/// The years festivals are computed for. The astronomy holds far wider; the range keeps
/// ΔT (the earth's irregular rotation) within what its polynomial knows.
pub const FESTIVAL_YEARS: RangeInclusive<i16> = 1900..=2100;

/// A festival the calendar knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FestivalKey {
    NewYear,
    RepublicDay,
    MakarSankranti,
    Pongal,
    MahaShivaratri,
    Holi,
    TamilNewYear,
    EidAlFitr,
    EidAlAdha,
    RakshaBandhan,
    IndependenceDay,
    Janmashtami,
    GaneshChaturthi,
    Onam,
    Navratri,
    Dussehra,
    Diwali,
    GujaratiNewYear,
    GuruNanakJayanti,
    Christmas,
}

/// A festival on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Festival {
    pub date: Date,
    pub key: FestivalKey,
}

impl FestivalKey {
    pub const ALL: [FestivalKey; 20] = [
        FestivalKey::NewYear,
        FestivalKey::RepublicDay,
        FestivalKey::MakarSankranti,
        FestivalKey::Pongal,
        FestivalKey::MahaShivaratri,
        FestivalKey::Holi,
        FestivalKey::TamilNewYear,
        FestivalKey::EidAlFitr,
        FestivalKey::EidAlAdha,
        FestivalKey::RakshaBandhan,
        FestivalKey::IndependenceDay,
        FestivalKey::Janmashtami,
        FestivalKey::GaneshChaturthi,
        FestivalKey::Onam,
        FestivalKey::Navratri,
        FestivalKey::Dussehra,
        FestivalKey::Diwali,
        FestivalKey::GujaratiNewYear,
        FestivalKey::GuruNanakJayanti,
        FestivalKey::Christmas,
    ];

    /// The stable snake_case key (`diwali`, `makar_sankranti`, …).
    pub fn key(self) -> &'static str {
        self.names().0
    }

    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let wanted = raw.trim();
        Self::ALL
            .into_iter()
            .find(|festival| festival.key().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| ValueError::new(format!("{wanted:?} is not a festival the calendar knows")))
    }

    /// The name in English: "Diwali", "Makar Sankranti", …
    pub fn english_name(self) -> &'static str {
        self.names().1
    }

    /// The name in Hindi, Tamil or Gujarati when `language` is one of them, else in
    /// English.
    pub fn name(self, language: &LanguageTag) -> &'static str {
        self.name_in(language.primary())
    }

    /// [`Self::name`] by a primary language subtag (`ta`), for callers that have one.
    pub fn name_in(self, primary: &str) -> &'static str {
        let (_, english, hindi, tamil, gujarati) = self.names();
        match primary {
            "hi" => hindi,
            "ta" => tamil,
            "gu" => gujarati,
            _ => english,
        }
    }

    /// Whether the date depends on the sighting of the moon, so that the computed one may
    /// be a day off and an administrator may set the real one (the two Eids).
    pub fn depends_on_sighting(self) -> bool {
        matches!(self, FestivalKey::EidAlFitr | FestivalKey::EidAlAdha)
    }

    /// Whether the festival is kept in `region` (an ISO 3166-2 subdivision).
    ///
    /// Pongal and the Tamil New Year are kept in Tamil Nadu and Puducherry, where Pongal
    /// stands in for Makar Sankranti (the same day under another name); the Gujarati New
    /// Year in Gujarat and in Dadra and Nagar Haveli and Daman and Diu; Onam in Kerala.
    /// Republic Day and Independence Day are India's. Every other festival is kept across
    /// India and by Indian customers abroad.
    pub fn applies_in(self, region: &Region) -> bool {
        let code = region.as_str();
        let tamil = matches!(code, "IN-TN" | "IN-PY");
        match self {
            FestivalKey::Pongal | FestivalKey::TamilNewYear => tamil,
            FestivalKey::MakarSankranti => !tamil,
            FestivalKey::GujaratiNewYear => matches!(code, "IN-GJ" | "IN-DH"),
            FestivalKey::Onam => code == "IN-KL",
            FestivalKey::RepublicDay | FestivalKey::IndependenceDay => region.country() == "IN",
            _ => true,
        }
    }

    /// (key, English, Hindi, Tamil, Gujarati).
    fn names(self) -> (&'static str, &'static str, &'static str, &'static str, &'static str) {
        match self {
            FestivalKey::NewYear => ("new_year", "New Year's Day", "नव वर्ष", "ஆங்கிலப் புத்தாண்டு", "નવું વર્ષ"),
            FestivalKey::RepublicDay => {
                ("republic_day", "Republic Day", "गणतंत्र दिवस", "குடியரசு தினம்", "પ્રજાસત્તાક દિવસ")
            }
            FestivalKey::MakarSankranti => {
                ("makar_sankranti", "Makar Sankranti", "मकर संक्रांति", "மகர சங்கராந்தி", "મકર સંક્રાંતિ")
            }
            FestivalKey::Pongal => ("pongal", "Pongal", "पोंगल", "தைப் பொங்கல்", "પોંગલ"),
            FestivalKey::MahaShivaratri => {
                ("maha_shivaratri", "Maha Shivaratri", "महाशिवरात्रि", "மகா சிவராத்திரி", "મહાશિવરાત્રી")
            }
            FestivalKey::Holi => ("holi", "Holi", "होली", "ஹோலி", "હોળી"),
            FestivalKey::TamilNewYear => {
                ("tamil_new_year", "Tamil New Year", "तमिल नव वर्ष", "தமிழ்ப் புத்தாண்டு", "તમિલ નવું વર્ષ")
            }
            FestivalKey::EidAlFitr => ("eid_al_fitr", "Eid al-Fitr", "ईद-उल-फ़ित्र", "ரம்ஜான்", "ઈદ-ઉલ-ફિત્ર"),
            FestivalKey::EidAlAdha => ("eid_al_adha", "Eid al-Adha", "ईद-उल-अज़हा", "பக்ரீத்", "ઈદ-ઉલ-અઝહા"),
            FestivalKey::RakshaBandhan => ("raksha_bandhan", "Raksha Bandhan", "रक्षा बंधन", "ரக்ஷா பந்தன்", "રક્ષાબંધન"),
            FestivalKey::IndependenceDay => {
                ("independence_day", "Independence Day", "स्वतंत्रता दिवस", "சுதந்திர தினம்", "સ્વતંત્રતા દિવસ")
            }
            FestivalKey::Janmashtami => ("janmashtami", "Janmashtami", "जन्माष्टमी", "கிருஷ்ண ஜெயந்தி", "જન્માષ્ટમી"),
            FestivalKey::GaneshChaturthi => {
                ("ganesh_chaturthi", "Ganesh Chaturthi", "गणेश चतुर्थी", "விநாயகர் சதுர்த்தி", "ગણેશ ચતુર્થી")
            }
            FestivalKey::Onam => ("onam", "Onam", "ओणम", "ஓணம்", "ઓણમ"),
            FestivalKey::Navratri => ("navratri", "Navratri", "नवरात्रि", "நவராத்திரி", "નવરાત્રી"),
            FestivalKey::Dussehra => ("dussehra", "Dussehra", "दशहरा", "விஜயதசமி", "દશેરા"),
            FestivalKey::Diwali => ("diwali", "Diwali", "दिवाली", "தீபாவளி", "દિવાળી"),
            FestivalKey::GujaratiNewYear => {
                ("gujarati_new_year", "Gujarati New Year", "गुजराती नव वर्ष", "குஜராத்தி புத்தாண்டு", "નૂતન વર્ષ")
            }
            FestivalKey::GuruNanakJayanti => {
                ("guru_nanak_jayanti", "Guru Nanak Jayanti", "गुरु नानक जयंती", "குரு நானக் ஜெயந்தி", "ગુરુ નાનક જયંતી")
            }
            FestivalKey::Christmas => ("christmas", "Christmas", "क्रिसमस", "கிறிஸ்துமஸ்", "નાતાલ"),
        }
    }
}

impl fmt::Display for FestivalKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for FestivalKey {
    type Err = ValueError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

/// The festivals of `year`, sorted by date (festivals of one day in the order of
/// [`FestivalKey::ALL`]); those of `region` only when one is given. An Eid can fall twice
/// in a Gregorian year (or not at all): the list then holds it twice.
///
/// Dates are the ones kept in India (lunar festivals by sunrise at New Delhi, Tamil ones
/// at Chennai, Onam at Thiruvananthapuram). The Eids are computed, not sighted: replace
/// them with [`with_overrides`] once the real dates are known.
pub fn festivals(year: i16, region: Option<&Region>) -> Result<Vec<Festival>, ValueError> {
    if !FESTIVAL_YEARS.contains(&year) {
        return Err(ValueError::new(format!(
            "festival dates are computed for the years {} to {}",
            FESTIVAL_YEARS.start(),
            FESTIVAL_YEARS.end()
        )));
    }
    let year_number = i64::from(year);
    let mut days = rules::computed_days(year_number);
    for (key, month, day) in [
        (FestivalKey::NewYear, 1, 1),
        (FestivalKey::RepublicDay, 1, 26),
        (FestivalKey::IndependenceDay, 8, 15),
        (FestivalKey::Christmas, 12, 25),
    ] {
        days.push((key, day_number(year_number, month, day)));
    }
    let mut festivals = days
        .into_iter()
        .filter(|(key, _)| region.is_none_or(|region| key.applies_in(region)))
        .map(|(key, day)| Ok(Festival { date: civil_date(day)?, key }))
        .collect::<Result<Vec<_>, ValueError>>()?;
    festivals.sort();
    Ok(festivals)
}

/// `festivals` with the dates of `overrides` (an administrator's dates for the year, from
/// the moon's sighting) in place of the computed ones: every computed entry of a key that
/// has an override is replaced by that key's overrides. Keys absent from `festivals` (not
/// kept in its region) stay absent.
pub fn with_overrides(festivals: Vec<Festival>, overrides: &[Festival]) -> Vec<Festival> {
    let overridden = |key: FestivalKey| overrides.iter().any(|entry| entry.key == key);
    let present: Vec<FestivalKey> = festivals.iter().map(|festival| festival.key).collect();
    let mut merged: Vec<Festival> = festivals.into_iter().filter(|festival| !overridden(festival.key)).collect();
    merged.extend(overrides.iter().filter(|entry| present.contains(&entry.key)));
    merged.sort();
    merged.dedup();
    merged
}

fn civil_date(day: i64) -> Result<Date, ValueError> {
    let (year, month, day) = civil_from_day_number(day);
    let invalid = |_| ValueError::new("a computed festival date is out of range");
    let year = i16::try_from(year).map_err(invalid)?;
    let month = i8::try_from(month).map_err(invalid)?;
    let day = i8::try_from(day).map_err(invalid)?;
    Date::new(year, month, day).map_err(|_| ValueError::new("a computed festival date is out of range"))
}

/// Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub(crate) fn day_number(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian (year, month, day) of a day counted from 1970-01-01.
pub(crate) fn civil_from_day_number(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
