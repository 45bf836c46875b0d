//! Moderation: keeping in touch without pestering. One frequency cap over every
//! non-transactional message on every channel, and quiet hours in the contact's own
//! time zone. Consent is the third rule; it lives in [`crate::permits`].

use jiff::civil::{DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::ValueError;

/// At most `messages` non-transactional messages to one contact in any `days` days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapWindow {
    pub messages: u32,
    pub days: u32,
}

/// The frequency cap: every window must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrequencyCap {
    windows: Vec<CapWindow>,
}

impl Default for FrequencyCap {
    /// At most 2 messages in 7 days and 4 in 30.
    fn default() -> Self {
        Self { windows: vec![CapWindow { messages: 2, days: 7 }, CapWindow { messages: 4, days: 30 }] }
    }
}

impl FrequencyCap {
    /// A cap as written in settings: `2/7d,4/30d`.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let windows = raw
            .split(',')
            .map(|part| {
                let (messages, days) =
                    part.trim().split_once('/').ok_or_else(|| ValueError::new("must be windows such as 2/7d,4/30d"))?;
                let messages =
                    messages.trim().parse().map_err(|_| ValueError::new("must count messages, as in 2/7d"))?;
                let days: u32 = days
                    .trim()
                    .trim_end_matches('d')
                    .parse()
                    .map_err(|_| ValueError::new("must give days, as in 2/7d"))?;
                if days == 0 || days > 366 {
                    return Err(ValueError::new("a window must be 1 to 366 days long"));
                }
                Ok(CapWindow { messages, days })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { windows })
    }

    pub fn windows(&self) -> &[CapWindow] {
        &self.windows
    }

    /// The longest window: how far back the messages sent must be looked up.
    pub fn lookback(&self) -> SignedDuration {
        SignedDuration::from_hours(i64::from(self.windows.iter().map(|w| w.days).max().unwrap_or(0)) * 24)
    }

    /// Whether one more message may go at `at`, given when the earlier non-transactional
    /// messages to the same contact went (any order; older ones are ignored).
    pub fn allows(&self, sent: &[Timestamp], at: Timestamp) -> bool {
        self.windows.iter().all(|window| {
            let since = at.as_microsecond() - i64::from(window.days) * 86_400_000_000;
            let in_window = sent.iter().filter(|t| t.as_microsecond() > since && **t <= at).count();
            in_window < window.messages as usize
        })
    }
}

impl std::fmt::Display for FrequencyCap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.windows.iter().map(|w| format!("{}/{}d", w.messages, w.days)).collect();
        f.write_str(&parts.join(","))
    }
}

/// The hours of the night in which no message goes, in the contact's local time: from
/// `start` to `end`, across midnight when `start` is later than `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: Time,
    pub end: Time,
}

impl Default for QuietHours {
    /// 21:00 to 09:00.
    fn default() -> Self {
        Self { start: Time::constant(21, 0, 0, 0), end: Time::constant(9, 0, 0, 0) }
    }
}

impl QuietHours {
    pub fn contains(&self, time: Time) -> bool {
        if self.start <= self.end {
            self.start <= time && time < self.end
        } else {
            time >= self.start || time < self.end
        }
    }

    /// The first instant at or after `at` that is outside the quiet hours in `zone`.
    pub fn next_allowed(&self, at: Timestamp, zone: &TimeZone) -> Timestamp {
        let local = at.to_zoned_datetime(zone.clone());
        if !self.contains(local.time()) {
            return at;
        }
        let date = local.date();
        // The quiet hours end today (in the morning part) or tomorrow (after the start).
        let end_date =
            if self.start > self.end && local.time() >= self.start { date.tomorrow().unwrap_or(date) } else { date };
        let end = DateTime::from_parts(end_date, self.end);
        zone.to_ambiguous_timestamp(end).later().unwrap_or(at)
    }
}

/// The instant a message planned for `date` at local `hour` reaches the contact in
/// `zone` (a local time that a daylight-saving change skips moves to after the gap).
pub fn local_instant(date: jiff::civil::Date, time: Time, zone: &TimeZone) -> Timestamp {
    zone.to_ambiguous_timestamp(DateTime::from_parts(date, time)).later().unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn the_default_cap_is_two_a_week_and_four_a_month() {
        let cap = FrequencyCap::default();
        let now = at("2026-11-23T04:00:00Z");
        assert!(cap.allows(&[at("2026-11-20T04:00:00Z")], now));
        assert!(!cap.allows(&[at("2026-11-20T04:00:00Z"), at("2026-11-22T04:00:00Z")], now));
        // Two in the week before last and two this month: the month is full.
        let month = [
            at("2026-11-01T04:00:00Z"),
            at("2026-11-05T04:00:00Z"),
            at("2026-11-10T04:00:00Z"),
            at("2026-11-12T04:00:00Z"),
        ];
        assert!(!cap.allows(&month, now));
        assert!(cap.allows(&month[..3], now));
        // A message sent exactly seven days ago no longer counts in the week.
        assert!(cap.allows(&[at("2026-11-16T04:00:00Z"), at("2026-11-22T04:00:00Z")], now));
    }

    #[test]
    fn caps_are_written_as_windows() {
        let cap = FrequencyCap::parse("1/1d, 3/14d").unwrap();
        assert_eq!(cap.to_string(), "1/1d,3/14d");
        assert_eq!(cap.lookback(), SignedDuration::from_hours(14 * 24));
        assert!(FrequencyCap::parse("2 per week").is_err());
        assert!(FrequencyCap::parse("2/0d").is_err());
    }

    #[test]
    fn quiet_hours_wait_for_the_contact_morning() {
        let quiet = QuietHours::default();
        let kolkata = TimeZone::get("Asia/Kolkata").unwrap();
        // 23:30 in Chennai: wait until 09:00 the next morning.
        assert_eq!(quiet.next_allowed(at("2026-11-23T18:00:00Z"), &kolkata), at("2026-11-24T03:30:00Z"));
        // 06:00: wait until 09:00 the same day.
        assert_eq!(quiet.next_allowed(at("2026-11-23T00:30:00Z"), &kolkata), at("2026-11-23T03:30:00Z"));
        // 10:00: go now.
        assert_eq!(quiet.next_allowed(at("2026-11-23T04:30:00Z"), &kolkata), at("2026-11-23T04:30:00Z"));
    }

    #[test]
    fn a_local_hour_skipped_by_daylight_saving_moves_past_the_gap() {
        let new_york = TimeZone::get("America/New_York").unwrap();
        let date = jiff::civil::date(2026, 3, 8);
        assert_eq!(local_instant(date, Time::constant(2, 30, 0, 0), &new_york), at("2026-03-08T07:30:00Z"));
        assert_eq!(local_instant(date, Time::constant(9, 0, 0, 0), &new_york), at("2026-03-08T13:00:00Z"));
    }
}
