//! Service-level targets and policies: by when a ticket must get its first response, its
//! next one, and its resolution ([`SlaTarget`], [`due`]), and which policy applies to
//! which ticket ([`SlaPolicy`], [`select_policy`], [`DEFAULT_POLICIES`]).

use std::fmt;
use std::str::FromStr;

use jiff::{SignedDuration, Timestamp};

use crate::{BusinessCalendar, TicketPriority, TicketSource, ValueError, ValueTier};

const SECONDS_PER_DAY: i64 = 86_400;
const MAX_TARGET: SignedDuration = SignedDuration::from_hours(366 * 24);
const TARGET_FORMS: &str =
    "write it as 4h, 30m or 1h30m (business time), 2d calendar (wall-clock time), or end_of_business_day";

/// By when something must happen, counted from when the customer's message arrived.
///
/// A target is written as text, the way staff set it:
///
/// | written | means |
/// | --- | --- |
/// | `4h`, `30m`, `1h30m` | [`SlaTarget::Within`]: that much *business* time after receipt |
/// | `end_of_business_day` | [`SlaTarget::EndOfBusinessDay`]: the e-mail rule, see [`BusinessCalendar::end_of_business_day`] |
/// | `2d calendar`, `48h calendar` | [`SlaTarget::Calendar`]: wall-clock time, hours and holidays ignored |
///
/// Business time has no days: a business day's length varies (a short Saturday, a
/// daylight-saving change), so `2d` alone is refused; write hours (`17h` for two days of
/// 09:30-18:00) or wall-clock days (`2d calendar`). Seconds (`s`) are accepted but rarely
/// useful; a target must be more than zero and at most 366 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlaTarget {
    /// This much business time (working hours of the branch's calendar). A duration that
    /// is not positive counts as zero: due at the first working moment.
    Within(SignedDuration),
    /// The end of the business day: see [`BusinessCalendar::end_of_business_day`].
    EndOfBusinessDay,
    /// This much wall-clock time, whatever the hours.
    Calendar(SignedDuration),
}

impl SlaTarget {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let text = raw.trim().to_ascii_lowercase();
        if text.is_empty() {
            return Err(ValueError::new(format!("is empty: {TARGET_FORMS}")));
        }
        if matches!(text.as_str(), "end_of_business_day" | "end of business day" | "end-of-business-day" | "eod") {
            return Ok(Self::EndOfBusinessDay);
        }
        let (amount, calendar) = match text.strip_suffix("calendar") {
            Some(amount) => (amount.trim(), true),
            None => (text.strip_suffix("business").map_or(text.as_str(), str::trim), false),
        };
        let (duration, has_days) = parse_duration(amount)
            .ok_or_else(|| ValueError::new(format!("'{}' is not a target: {TARGET_FORMS}", raw.trim())))?;
        if has_days && !calendar {
            return Err(ValueError::new(format!(
                "'{}' is in days, which business time does not have (a business day's length varies): \
                 give hours, as in 17h, or wall-clock days, as in 2d calendar",
                raw.trim()
            )));
        }
        if duration.is_zero() {
            return Err(ValueError::new(format!("'{}' is no time at all: a target must be longer", raw.trim())));
        }
        if duration > MAX_TARGET {
            return Err(ValueError::new(format!("'{}' is too long: a target is at most 366 days", raw.trim())));
        }
        Ok(if calendar { Self::Calendar(duration) } else { Self::Within(duration) })
    }
}

/// `1d2h30m15s`, units in that order, each at most once, spaces allowed between them.
/// Also says whether days were given.
fn parse_duration(raw: &str) -> Option<(SignedDuration, bool)> {
    const UNITS: [(char, i64); 4] = [('d', SECONDS_PER_DAY), ('h', 3600), ('m', 60), ('s', 1)];
    let mut rest = raw.trim();
    let mut seconds: i64 = 0;
    let mut next_unit = 0;
    let mut has_days = false;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 || digits > 6 {
            return None;
        }
        let number: i64 = rest[..digits].parse().ok()?;
        let unit = rest[digits..].chars().next()?;
        let position = UNITS.iter().position(|(name, _)| *name == unit)?;
        if position < next_unit {
            return None;
        }
        next_unit = position + 1;
        has_days |= unit == 'd';
        seconds = seconds.checked_add(number.checked_mul(UNITS[position].1)?)?;
        rest = rest[digits + unit.len_utf8()..].trim_start();
    }
    Some((SignedDuration::from_secs(seconds), has_days))
}

/// Writes whole seconds as `1d2h30m`, with days only when `days` is set.
fn write_duration(f: &mut fmt::Formatter<'_>, duration: SignedDuration, days: bool) -> fmt::Result {
    let mut seconds = duration.as_secs();
    if seconds < 0 {
        f.write_str("-")?;
        seconds = seconds.saturating_neg();
    }
    if seconds == 0 {
        return f.write_str("0m");
    }
    let mut units: Vec<(i64, char)> = Vec::with_capacity(4);
    if days {
        units.push((SECONDS_PER_DAY, 'd'));
    }
    units.extend([(3600, 'h'), (60, 'm'), (1, 's')]);
    for (size, name) in units {
        let count = seconds / size;
        seconds %= size;
        if count > 0 {
            write!(f, "{count}{name}")?;
        }
    }
    Ok(())
}

impl fmt::Display for SlaTarget {
    /// The canonical form, which parses back to the same target (to the second).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Within(duration) => write_duration(f, duration, false),
            Self::EndOfBusinessDay => f.write_str("end_of_business_day"),
            Self::Calendar(duration) => {
                write_duration(f, duration, true)?;
                f.write_str(" calendar")
            }
        }
    }
}

impl FromStr for SlaTarget {
    type Err = ValueError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

/// When a ticket's message received at `received` is due under `target`, given the
/// working time `paused` spent waiting on the customer since.
///
/// While a ticket waits on the customer its timers stop; the pause moves the deadline
/// later by as much working time: for `Within(d)` the deadline is `d + paused` of
/// business time after receipt; for `EndOfBusinessDay` it is the end-of-business-day
/// deadline with `paused` of business time added after it (a deadline at Wednesday's
/// 18:00 close with a 30-minute pause becomes Thursday 10:00 with hours from 09:30); for
/// `Calendar(d)` the pause is added as wall-clock time (the caller measures it so).
///
/// A negative pause counts as none. `None` when the target needs working time and the
/// calendar has none, or the answer lies beyond the range of [`Timestamp`].
pub fn due(
    calendar: &BusinessCalendar,
    received: Timestamp,
    target: &SlaTarget,
    paused: SignedDuration,
) -> Option<Timestamp> {
    let paused = paused.max(SignedDuration::ZERO);
    match *target {
        SlaTarget::Within(duration) => {
            calendar.add(received, duration.max(SignedDuration::ZERO).saturating_add(paused))
        }
        SlaTarget::EndOfBusinessDay => {
            let base = calendar.end_of_business_day(received)?;
            if paused.is_positive() { calendar.add(base, paused) } else { Some(base) }
        }
        SlaTarget::Calendar(duration) => received.checked_add(duration.saturating_add(paused)).ok(),
    }
}

/// Which tickets a policy covers and the targets it sets for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaPolicy {
    pub name: String,
    /// Only tickets from this source, when set.
    pub source: Option<TicketSource>,
    /// Only tickets of this priority, when set.
    pub priority: Option<TicketPriority>,
    /// Only tickets of customers in this tier, when set (a customer without a tier
    /// never matches a policy that names one).
    pub tier: Option<ValueTier>,
    pub first_response: SlaTarget,
    pub next_response: SlaTarget,
    pub resolution: SlaTarget,
}

impl SlaPolicy {
    /// Whether every condition the policy sets holds for the ticket.
    pub fn matches(&self, source: TicketSource, priority: TicketPriority, tier: Option<ValueTier>) -> bool {
        self.source.is_none_or(|s| s == source)
            && self.priority.is_none_or(|p| p == priority)
            && self.tier.is_none_or(|t| Some(t) == tier)
    }

    /// How many conditions the policy sets: the more, the more specific.
    pub fn specificity(&self) -> usize {
        usize::from(self.source.is_some()) + usize::from(self.priority.is_some()) + usize::from(self.tier.is_some())
    }
}

/// The policy for a ticket: the most specific of those that match, the first in order on
/// a tie; `None` when none matches (a list with a policy without conditions always has
/// one).
pub fn select_policy(
    policies: &[SlaPolicy],
    source: TicketSource,
    priority: TicketPriority,
    tier: Option<ValueTier>,
) -> Option<&SlaPolicy> {
    let mut best: Option<&SlaPolicy> = None;
    for policy in policies.iter().filter(|p| p.matches(source, priority, tier)) {
        if best.is_none_or(|b| policy.specificity() > b.specificity()) {
            best = Some(policy);
        }
    }
    best
}

/// A default policy as text, the way it is stored: see [`DEFAULT_POLICIES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultPolicy {
    /// A stable key for the stored row.
    pub id: &'static str,
    pub name: &'static str,
    pub source: Option<&'static str>,
    pub priority: Option<&'static str>,
    pub tier: Option<&'static str>,
    pub first_response: &'static str,
    pub next_response: &'static str,
    pub resolution: &'static str,
}

impl DefaultPolicy {
    /// The policy, parsed.
    pub fn policy(&self) -> Result<SlaPolicy, ValueError> {
        Ok(SlaPolicy {
            name: self.name.to_owned(),
            source: self.source.map(TicketSource::parse).transpose()?,
            priority: self.priority.map(TicketPriority::parse).transpose()?,
            tier: self.tier.map(ValueTier::parse).transpose()?,
            first_response: SlaTarget::parse(self.first_response)?,
            next_response: SlaTarget::parse(self.next_response)?,
            resolution: SlaTarget::parse(self.resolution)?,
        })
    }
}

const fn default_policy(
    id: &'static str,
    name: &'static str,
    source: Option<&'static str>,
    priority: Option<&'static str>,
    targets: [&'static str; 3],
) -> DefaultPolicy {
    DefaultPolicy {
        id,
        name,
        source,
        priority,
        tier: None,
        first_response: targets[0],
        next_response: targets[1],
        resolution: targets[2],
    }
}

const MAIL: [&str; 3] = ["end_of_business_day", "end_of_business_day", "25h30m"];
const CHAT: [&str; 3] = ["2h", "4h", "25h30m"];

/// The SLA policies a new database starts with, in the order they are tried (see
/// [`select_policy`]: the most specific match wins, the first in order on a tie):
///
/// | policy | matches | first response | next response | resolution |
/// | --- | --- | --- | --- | --- |
/// | Urgent tickets | priority urgent | 1h | 2h | 8h30m |
/// | E-mail | source email | end of business day | end of business day | 25h30m |
/// | Web form | source web | end of business day | end of business day | 25h30m |
/// | Phone | source phone | 1h | 4h | 25h30m |
/// | WhatsApp | source whatsapp | 2h | 4h | 25h30m |
/// | SMS | source sms | 2h | 4h | 25h30m |
/// | Everything else | anything (the API) | end of business day | end of business day | 25h30m |
///
/// 25h30m is three full weekdays of the default hours (`Mon-Fri 09:30-18:00`, 8½ hours a
/// day) and 8h30m one; they are written in hours, so a branch with other hours gets the
/// same amount of working time. The urgent policy comes first, so an urgent e-mail is
/// answered within the hour.
pub const DEFAULT_POLICIES: [DefaultPolicy; 7] = [
    default_policy("default-urgent", "Urgent tickets", None, Some("urgent"), ["1h", "2h", "8h30m"]),
    default_policy("default-email", "E-mail", Some("email"), None, MAIL),
    default_policy("default-web", "Web form", Some("web"), None, MAIL),
    default_policy("default-phone", "Phone", Some("phone"), None, ["1h", "4h", "25h30m"]),
    default_policy("default-whatsapp", "WhatsApp", Some("whatsapp"), None, CHAT),
    default_policy("default-sms", "SMS", Some("sms"), None, CHAT),
    default_policy("default", "Everything else", None, None, MAIL),
];

/// [`DEFAULT_POLICIES`], parsed.
pub fn default_policies() -> Vec<SlaPolicy> {
    DEFAULT_POLICIES.iter().filter_map(|policy| policy.policy().ok()).collect()
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::*;
    use crate::WeeklyHours;

    fn check(raw: &str, expect: Result<&str, &str>) {
        let got = SlaTarget::parse(raw).map(|target| target.to_string()).map_err(|err| err.0);
        assert_eq!(got.as_deref().map_err(String::as_str), expect, "{raw}");
    }

    #[test]
    fn targets_parse_and_display() {
        check("4h", Ok("4h"));
        check(" 30m ", Ok("30m"));
        check("1h30m", Ok("1h30m"));
        check("1h 30m", Ok("1h30m"));
        check("90m", Ok("1h30m"));
        check("4H business", Ok("4h"));
        check("End_Of_Business_Day", Ok("end_of_business_day"));
        check("end of business day", Ok("end_of_business_day"));
        check("2d calendar", Ok("2d calendar"));
        check("48h calendar", Ok("2d calendar"));
        check("1d12h calendar", Ok("1d12h calendar"));
        check("45s", Ok("45s"));
        assert_eq!(SlaTarget::parse("4h").unwrap(), SlaTarget::Within(SignedDuration::from_hours(4)));
        assert_eq!(SlaTarget::parse("2d calendar").unwrap(), SlaTarget::Calendar(SignedDuration::from_hours(48)));
    }

    #[test]
    fn bad_targets_say_what_is_wrong() {
        let forms =
            "write it as 4h, 30m or 1h30m (business time), 2d calendar (wall-clock time), or end_of_business_day";
        check("", Err(&format!("is empty: {forms}")));
        check("4x", Err(&format!("'4x' is not a target: {forms}")));
        check("h", Err(&format!("'h' is not a target: {forms}")));
        check("30m1h", Err(&format!("'30m1h' is not a target: {forms}")));
        check("-4h", Err(&format!("'-4h' is not a target: {forms}")));
        check("calendar", Err(&format!("'calendar' is not a target: {forms}")));
        check(
            "2d",
            Err(
                "'2d' is in days, which business time does not have (a business day's length varies): give hours, as in 17h, or wall-clock days, as in 2d calendar",
            ),
        );
        check("0h", Err("'0h' is no time at all: a target must be longer"));
        check("367d calendar", Err("'367d calendar' is too long: a target is at most 366 days"));
    }

    fn chennai() -> BusinessCalendar {
        BusinessCalendar::new(
            TimeZone::get("Asia/Kolkata").unwrap(),
            WeeklyHours::parse("Mon-Fri 09:30-18:00; Sat 10:00-14:00").unwrap(),
            ["2027-01-16".parse().unwrap()],
        )
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn due_instants() {
        let cal = chennai();
        let eobd = SlaTarget::EndOfBusinessDay;
        let none = SignedDuration::ZERO;
        let wednesday = at("2027-01-13T17:45:00+05:30");
        assert_eq!(due(&cal, wednesday, &eobd, none), Some(at("2027-01-13T18:00:00+05:30")));
        // Half an hour waiting on the customer: half an hour of Thursday.
        assert_eq!(due(&cal, wednesday, &eobd, SignedDuration::from_mins(30)), Some(at("2027-01-14T10:00:00+05:30")));
        let four = SlaTarget::Within(SignedDuration::from_hours(4));
        assert_eq!(due(&cal, wednesday, &four, none), Some(at("2027-01-14T13:15:00+05:30")));
        assert_eq!(due(&cal, wednesday, &four, SignedDuration::from_hours(1)), Some(at("2027-01-14T14:15:00+05:30")));
        // A negative pause is no pause.
        assert_eq!(due(&cal, wednesday, &four, SignedDuration::from_hours(-1)), Some(at("2027-01-14T13:15:00+05:30")));
        let day = SlaTarget::Calendar(SignedDuration::from_hours(24));
        assert_eq!(due(&cal, wednesday, &day, none), Some(at("2027-01-14T17:45:00+05:30")));
        assert_eq!(due(&cal, wednesday, &day, SignedDuration::from_hours(2)), Some(at("2027-01-14T19:45:00+05:30")));
        let closed = BusinessCalendar::new(TimeZone::UTC, WeeklyHours::closed(), []);
        assert_eq!(due(&closed, wednesday, &four, none), None);
        assert_eq!(due(&closed, wednesday, &eobd, none), None);
        assert_eq!(due(&closed, wednesday, &day, none), Some(at("2027-01-14T17:45:00+05:30")));
    }

    #[test]
    fn the_default_policies_parse_and_cover_every_ticket() {
        let policies = default_policies();
        assert_eq!(policies.len(), DEFAULT_POLICIES.len());
        let name = |source, priority, tier| select_policy(&policies, source, priority, tier).map(|p| p.name.as_str());
        assert_eq!(name(TicketSource::Email, TicketPriority::Normal, None), Some("E-mail"));
        assert_eq!(name(TicketSource::Web, TicketPriority::Low, Some(ValueTier::Gold)), Some("Web form"));
        assert_eq!(name(TicketSource::Email, TicketPriority::Urgent, None), Some("Urgent tickets"));
        assert_eq!(name(TicketSource::Phone, TicketPriority::High, None), Some("Phone"));
        assert_eq!(name(TicketSource::Api, TicketPriority::High, None), Some("Everything else"));
        for &source in TicketSource::ALL {
            for &priority in TicketPriority::ALL {
                assert!(name(source, priority, None).is_some(), "{source} {priority}");
            }
        }
        let email = &policies[1];
        assert_eq!(email.first_response, SlaTarget::EndOfBusinessDay);
        assert_eq!(email.resolution, SlaTarget::Within(SignedDuration::from_mins(25 * 60 + 30)));
    }

    #[test]
    fn the_most_specific_policy_wins_and_the_first_on_a_tie() {
        let policy = |name: &str, source, priority, tier| SlaPolicy {
            name: name.to_owned(),
            source,
            priority,
            tier,
            first_response: SlaTarget::EndOfBusinessDay,
            next_response: SlaTarget::EndOfBusinessDay,
            resolution: SlaTarget::EndOfBusinessDay,
        };
        let policies = [
            policy("any", None, None, None),
            policy("gold", None, None, Some(ValueTier::Gold)),
            policy("email", Some(TicketSource::Email), None, None),
            policy("gold email", Some(TicketSource::Email), None, Some(ValueTier::Gold)),
            policy("high email", Some(TicketSource::Email), Some(TicketPriority::High), None),
        ];
        let name = |source, priority, tier| select_policy(&policies, source, priority, tier).map(|p| p.name.as_str());
        assert_eq!(name(TicketSource::Phone, TicketPriority::Low, None), Some("any"));
        assert_eq!(name(TicketSource::Phone, TicketPriority::Low, Some(ValueTier::Gold)), Some("gold"));
        assert_eq!(name(TicketSource::Email, TicketPriority::Low, Some(ValueTier::Silver)), Some("email"));
        assert_eq!(name(TicketSource::Email, TicketPriority::Low, Some(ValueTier::Gold)), Some("gold email"));
        // Both name two conditions: the first in order wins.
        assert_eq!(name(TicketSource::Email, TicketPriority::High, Some(ValueTier::Gold)), Some("gold email"));
        assert_eq!(name(TicketSource::Email, TicketPriority::High, None), Some("high email"));
        assert_eq!(select_policy(&policies[1..2], TicketSource::Email, TicketPriority::High, None), None);
    }

    proptest::proptest! {
        #[test]
        fn targets_display_back_to_themselves(seconds in 1i64..=366 * 86_400, kind in 0u8..3) {
            let duration = SignedDuration::from_secs(seconds);
            let target = match kind {
                0 => SlaTarget::Within(duration),
                1 => SlaTarget::Calendar(duration),
                _ => SlaTarget::EndOfBusinessDay,
            };
            proptest::prop_assert_eq!(SlaTarget::parse(&target.to_string()).unwrap(), target);
        }
    }
}
