//! The festival calendar as the business sees it: the computed dates, with the dates
//! an admin set (an Eid decided by sighting, a regional custom) and the calendars they
//! imported taking precedence.

use jiff::civil::Date;
use sambandh_domain::{Action, FestivalKey, LetterLanguage, Region, ValidationErrors};
use sambandh_store::FestivalDate;
use serde_json::json;

use crate::audit::action;
use crate::{App, AppResult, Caller};

/// One festival on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FestivalDay {
    pub date: Date,
    /// `diwali`, `pongal`, …; an imported calendar's own keys for its other days.
    pub key: String,
    /// The name in English.
    pub name: String,
    /// `computed`, `override` or `ics`.
    pub source: String,
}

impl FestivalDay {
    /// The festival's name as a letter in `language` writes it.
    pub fn name_in(&self, language: LetterLanguage) -> String {
        FestivalKey::parse(&self.key)
            .ok()
            .filter(|_| self.source != "ics")
            .map_or_else(|| self.name.clone(), |key| key.name_in(language.code()).to_owned())
    }
}

impl App {
    /// The festivals of `year` (in `region`, when given): computed, then replaced or
    /// added to by what admins set.
    pub async fn festival_days(&self, year: i16, region: Option<&Region>) -> AppResult<Vec<FestivalDay>> {
        let computed =
            sambandh_domain::festivals(year, region).map_err(|err| ValidationErrors::single("year", err.0))?;
        let mut days: Vec<FestivalDay> = computed
            .into_iter()
            .map(|festival| FestivalDay {
                date: festival.date,
                key: festival.key.key().to_owned(),
                name: festival.key.english_name().to_owned(),
                source: "computed".to_owned(),
            })
            .collect();
        let region_code = region.map(ToString::to_string).unwrap_or_default();
        let set = self.store.festival_dates(year).await?;
        // Dates for every region first, then the region's own, so the region's win.
        let applicable = set
            .iter()
            .filter(|d| d.region.is_empty())
            .chain(set.iter().filter(|d| !d.region.is_empty() && d.region == region_code));
        for date in applicable {
            let day = FestivalDay {
                date: date.date,
                key: date.key.clone(),
                name: date.name.clone(),
                source: date.source.clone(),
            };
            match days.iter_mut().find(|d| d.key == date.key) {
                Some(existing) => *existing = day,
                None => days.push(day),
            }
        }
        days.sort_by(|a, b| (a.date, &a.key).cmp(&(b.date, &b.key)));
        Ok(days)
    }

    /// Sets the date of a festival in a year (for every region, or one).
    pub async fn set_festival_date(
        &self,
        caller: &Caller,
        key: &str,
        date: Date,
        region: Option<&Region>,
        name: Option<&str>,
        source: &str,
    ) -> AppResult<FestivalDate> {
        caller.require(Action::Configure)?;
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            return Err(ValidationErrors::single("key", "must be a festival key such as eid_al_fitr").into());
        }
        let known = FestivalKey::parse(key).ok();
        let name = match (name.map(str::trim).filter(|n| !n.is_empty()), known) {
            (Some(name), _) => name.to_owned(),
            (None, Some(known)) => known.english_name().to_owned(),
            (None, None) => return Err(ValidationErrors::single("name", "a festival of your own needs a name").into()),
        };
        let festival = FestivalDate {
            year: date.year(),
            key: key.to_owned(),
            region: region.map(ToString::to_string).unwrap_or_default(),
            date,
            name,
            source: source.to_owned(),
        };
        let mut tx = self.store.begin().await?;
        tx.upsert_festival_date(&festival, crate::now()).await?;
        let details = json!({"date": date.to_string(), "region": festival.region, "source": source});
        tx.append_audit(&[self.audit_entry(caller, action::UPDATE, Some(("festival", key.to_owned())), Some(details))])
            .await?;
        tx.commit().await?;
        Ok(festival)
    }
}

/// What an iCalendar import did.
#[derive(Debug, Clone, Default)]
pub struct CalendarImport {
    pub imported: Vec<FestivalDate>,
    /// Events not taken: their place in the file (1 for the first) and why.
    pub rejected: Vec<(usize, String)>,
}

impl App {
    /// Imports the all-day events of an iCalendar file as festival dates (source `ics`):
    /// an event named like a festival Sambandh knows (its key in CATEGORIES, or its
    /// English name as SUMMARY) sets that festival's date for the event's year; any
    /// other becomes a festival of its own, keyed by its name. Importing again replaces.
    pub async fn import_calendar(
        &self,
        caller: &Caller,
        text: &str,
        region: Option<&Region>,
    ) -> AppResult<CalendarImport> {
        use icalendar::{Component, DatePerhapsTime};
        caller.require(Action::Configure)?;
        let calendar: icalendar::Calendar = text
            .parse()
            .map_err(|err: String| ValidationErrors::single("file", format!("is not an iCalendar file: {err}")))?;
        let mut report = CalendarImport::default();
        let events = calendar.components.iter().filter_map(|component| component.as_event());
        for (idx, event) in events.enumerate() {
            let place = idx + 1;
            let summary = event.get_summary().map(str::trim).unwrap_or_default().to_owned();
            let date = match event.get_start() {
                Some(DatePerhapsTime::Date(date)) => date.to_string().parse::<Date>().ok(),
                _ => None,
            };
            let Some(date) = date else {
                report.rejected.push((place, format!("'{summary}' is not an all-day event")));
                continue;
            };
            let named = event
                .property_value("CATEGORIES")
                .and_then(|key| FestivalKey::parse(key).ok())
                .or_else(|| FestivalKey::ALL.into_iter().find(|key| key.english_name().eq_ignore_ascii_case(&summary)));
            let key = match named {
                Some(key) => key.key().to_owned(),
                None => slug(&summary),
            };
            if key.is_empty() {
                report
                    .rejected
                    .push((place, "needs a name in Latin letters (SUMMARY) or a festival key (CATEGORIES)".to_owned()));
                continue;
            }
            let name = if summary.is_empty() { None } else { Some(summary.as_str()) };
            match self.set_festival_date(caller, &key, date, region, name, "ics").await {
                Ok(set) => report.imported.push(set),
                Err(crate::AppError::Validation(errors)) => report.rejected.push((place, errors.to_string())),
                Err(other) => return Err(other),
            }
        }
        Ok(report)
    }
}

/// A festival's own key from its name: `Bihu` → `bihu`, `Durga Puja` → `durga_puja`.
fn slug(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_owned()
}

/// The festivals as an iCalendar file (RFC 5545): one all-day event each.
pub fn to_icalendar(days: &[FestivalDay], region: Option<&Region>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Sambandh//Festival calendar//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
    ];
    let region = region.map(ToString::to_string).unwrap_or_else(|| "IN".to_owned());
    for day in days {
        let start = day.date.strftime("%Y%m%d").to_string();
        let end = day.date.tomorrow().unwrap_or(day.date).strftime("%Y%m%d").to_string();
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}-{start}-{region}@sambandh", day.key),
            format!("DTSTAMP:{start}T000000Z"),
            format!("DTSTART;VALUE=DATE:{start}"),
            format!("DTEND;VALUE=DATE:{end}"),
            format!("SUMMARY:{}", crate::exports::escape(&day.name)),
            format!("CATEGORIES:{}", crate::exports::escape(&day.key)),
            "TRANSP:TRANSPARENT".to_owned(),
            "END:VEVENT".to_owned(),
        ]);
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|line| crate::exports::fold(line)).collect::<Vec<_>>().join("")
}

/// The all-day events of an iCalendar file as `(date, name)`, each day of a multi-day
/// event (DTEND is exclusive, RFC 5545 §3.6.1); events with a time are not days off
/// and are left out.
pub(crate) fn all_day_events(text: &str) -> AppResult<Vec<(Date, String)>> {
    use icalendar::{Component, DatePerhapsTime};
    let calendar: icalendar::Calendar = text
        .parse()
        .map_err(|err: String| ValidationErrors::single("file", format!("is not an iCalendar file: {err}")))?;
    let as_date = |value: Option<DatePerhapsTime>| match value {
        Some(DatePerhapsTime::Date(date)) => date.to_string().parse::<Date>().ok(),
        _ => None,
    };
    let mut days = Vec::new();
    for event in calendar.components.iter().filter_map(|component| component.as_event()) {
        let Some(start) = as_date(event.get_start()) else { continue };
        let name = event.get_summary().map(str::trim).unwrap_or_default().to_owned();
        let end =
            as_date(event.get_end()).filter(|end| *end > start).unwrap_or_else(|| start.tomorrow().unwrap_or(start));
        let mut day = start;
        // A year at most: a runaway DTEND is a mistake, not a year-long holiday.
        while day < end && days.len() < 366 {
            days.push((day, name.clone()));
            let Ok(next) = day.tomorrow() else { break };
            day = next;
        }
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calendar_file_reads_back_with_an_independent_parser() {
        let region = Region::parse("IN-TN").unwrap();
        let days: Vec<FestivalDay> = sambandh_domain::festivals(2026, Some(&region))
            .unwrap()
            .into_iter()
            .map(|f| FestivalDay {
                date: f.date,
                key: f.key.key().to_owned(),
                name: f.key.english_name().to_owned(),
                source: "computed".to_owned(),
            })
            .collect();
        let text = to_icalendar(&days, Some(&region));
        assert!(text.lines().all(|line| line.len() <= 76), "lines are folded at 75 octets");
        let parsed: icalendar::Calendar = text.parse().unwrap();
        use icalendar::Component;
        let read: Vec<(String, String)> = parsed
            .components
            .iter()
            .filter_map(|c| c.as_event())
            .map(|e| {
                let start = match e.get_start() {
                    Some(icalendar::DatePerhapsTime::Date(date)) => date.to_string(),
                    other => panic!("not an all-day event: {other:?}"),
                };
                (start, e.get_summary().unwrap().to_owned())
            })
            .collect();
        let expected: Vec<(String, String)> = days.iter().map(|d| (d.date.to_string(), d.name.clone())).collect();
        assert_eq!(read, expected);
        assert!(read.contains(&("2026-01-14".to_owned(), "Pongal".to_owned())));
    }

    #[test]
    fn own_festivals_are_keyed_by_name() {
        assert_eq!(slug("Durga Puja"), "durga_puja");
        assert_eq!(slug(" Bihu! "), "bihu");
        assert_eq!(slug("பொங்கல்"), "");
    }
}
