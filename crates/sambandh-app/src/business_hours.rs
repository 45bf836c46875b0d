//! Business calendars per branch (working hours in the branch's zone, its region's
//! festival holidays and its own days off) and the SLA policies that turn them into
//! deadlines.
//!
//! A branch without hours of its own works `Mon-Fri 09:30-18:00; Sat 10:00-14:00`. Its
//! holidays are the festivals of its region named by the `holiday_festivals` setting
//! (by default the gazetted ones: see [`DEFAULT_HOLIDAY_FESTIVALS`]) plus the days off
//! set on the branch itself.
//!
//! Calendars are assembled for the three years around now and kept for a minute; a
//! change made through this process is seen at once, one made by another process
//! within a minute.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use sambandh_domain::{
    Action, Branch, BranchId, BusinessCalendar, SlaPolicy, SlaTarget, TicketPriority, TicketSource, ValidationErrors,
    ValueTier, WeeklyHours,
};
use sambandh_store::{Holiday, StoredPolicy};
use serde_json::json;

use crate::audit::action;
use crate::{App, AppError, AppResult, Caller};

/// The hours of a branch that has set none.
pub const DEFAULT_HOURS: &str = "Mon-Fri 09:30-18:00; Sat 10:00-14:00";

/// The festivals that are days off when the organisation has not said otherwise:
/// the national days and the festivals most of India closes for; each counts only in
/// the regions where it applies (Pongal in Tamil Nadu, Onam in Kerala, …).
pub const DEFAULT_HOLIDAY_FESTIVALS: &str = "republic_day,holi,eid_al_fitr,independence_day,ganesh_chaturthi,onam,dussehra,diwali,gujarati_new_year,guru_nanak_jayanti,christmas,pongal,tamil_new_year,eid_al_adha";

const CACHE_FOR: Duration = Duration::from_secs(60);

/// Assembled calendars by branch, for a minute.
#[derive(Debug, Default)]
pub(crate) struct CalendarCache {
    entries: Mutex<HashMap<BranchId, (Instant, Arc<BusinessCalendar>)>>,
}

impl CalendarCache {
    fn get(&self, branch_id: BranchId) -> Option<Arc<BusinessCalendar>> {
        let entries = self.entries.lock().ok()?;
        let (at, calendar) = entries.get(&branch_id)?;
        (at.elapsed() < CACHE_FOR).then(|| Arc::clone(calendar))
    }

    fn put(&self, branch_id: BranchId, calendar: Arc<BusinessCalendar>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(branch_id, (Instant::now(), calendar));
        }
    }

    pub(crate) fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }

    pub(crate) fn forget(&self, branch_id: BranchId) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(&branch_id);
        }
    }
}

/// A branch's calendar as staff see it.
#[derive(Debug, Clone)]
pub struct BranchCalendar {
    pub branch: Branch,
    /// Canonical: `Mon-Fri 09:30-18:00; Sat 10:00-14:00`.
    pub hours: String,
    /// True when the branch has set no hours and works the default ones.
    pub default_hours: bool,
    /// The branch's own days off and its region's festival holidays in `year`.
    pub holidays: Vec<Holiday>,
}

/// A policy with its targets parsed.
#[derive(Debug, Clone)]
pub struct Policy {
    pub id: String,
    pub data: SlaPolicy,
}

impl App {
    /// The calendar deadlines in `branch_id` are computed on.
    pub(crate) async fn business_calendar(&self, branch_id: BranchId) -> AppResult<Arc<BusinessCalendar>> {
        if let Some(calendar) = self.calendars.get(branch_id) {
            return Ok(calendar);
        }
        let branch = self.store.branch(branch_id).await?.ok_or(AppError::NotFound)?;
        let hours = self.store.branch_hours(branch_id).await?;
        let hours = WeeklyHours::parse(hours.as_deref().unwrap_or(DEFAULT_HOURS))
            .map_err(|err| anyhow::anyhow!("branch {branch_id} has hours that no longer parse: {}", err.0))?;
        let year = crate::now().to_zoned_datetime(TimeZone::UTC).year();
        let mut days: Vec<Date> = Vec::new();
        for year in year - 1..=year + 1 {
            days.extend(self.festival_holidays(&branch, year).await?.into_iter().map(|h| h.date));
        }
        days.extend(self.store.branch_holidays(branch_id).await?.into_iter().map(|h| h.date));
        days.sort_unstable();
        days.dedup();
        let calendar = Arc::new(BusinessCalendar::new(branch.data.time_zone.to_time_zone(), hours, days));
        self.calendars.put(branch_id, Arc::clone(&calendar));
        Ok(calendar)
    }

    /// The festivals of the branch's region in `year` that are days off.
    async fn festival_holidays(&self, branch: &Branch, year: i16) -> AppResult<Vec<Holiday>> {
        let keys =
            self.store.setting("holiday_festivals").await?.unwrap_or_else(|| DEFAULT_HOLIDAY_FESTIVALS.to_owned());
        let keys: Vec<&str> = keys.split(',').map(str::trim).collect();
        Ok(self
            .festival_days(year, Some(&branch.data.region))
            .await?
            .into_iter()
            .filter(|day| keys.contains(&day.key.as_str()))
            .map(|day| Holiday { date: day.date, name: day.name, source: "festival".to_owned() })
            .collect())
    }

    /// A branch's hours and the holidays of `year`.
    pub async fn branch_calendar(&self, caller: &Caller, branch_id: BranchId, year: i16) -> AppResult<BranchCalendar> {
        caller.require(Action::Read)?;
        let branch = self.store.branch(branch_id).await?.ok_or(AppError::NotFound)?;
        let stored = self.store.branch_hours(branch_id).await?;
        let mut holidays = self.festival_holidays(&branch, year).await?;
        holidays.extend(self.store.branch_holidays(branch_id).await?.into_iter().filter(|h| h.date.year() == year));
        holidays.sort_by_key(|h| h.date);
        Ok(BranchCalendar {
            branch,
            default_hours: stored.is_none(),
            hours: stored.unwrap_or_else(|| DEFAULT_HOURS.to_owned()),
            holidays,
        })
    }

    /// Sets a branch's working hours: `Mon-Fri 09:30-18:00; Sat 10:00-14:00`.
    pub async fn set_branch_hours(&self, caller: &Caller, branch_id: BranchId, hours: &str) -> AppResult<String> {
        caller.require(Action::ManageBranches)?;
        let hours = WeeklyHours::parse(hours).map_err(|err| ValidationErrors::single("hours", err.0))?;
        self.store.branch(branch_id).await?.ok_or(AppError::NotFound)?;
        let canonical = hours.to_string();
        let mut tx = self.store.begin().await?;
        tx.set_branch_hours(branch_id, &canonical, crate::now()).await?;
        let entry = self.audit_entry(
            caller,
            action::UPDATE,
            Some(("branch", branch_id.to_string())),
            Some(json!({"hours": canonical})),
        );
        tx.append_audit(&[entry]).await?;
        tx.commit().await?;
        self.calendars.forget(branch_id);
        Ok(canonical)
    }

    /// Adds days off to a branch (or renames ones already there).
    pub async fn add_branch_holidays(&self, caller: &Caller, branch_id: BranchId, days: &[Holiday]) -> AppResult<()> {
        caller.require(Action::ManageBranches)?;
        self.store.branch(branch_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        for day in days {
            tx.add_branch_holiday(branch_id, day).await?;
        }
        let dates: Vec<String> = days.iter().map(|d| d.date.to_string()).collect();
        let entry = self.audit_entry(
            caller,
            action::UPDATE,
            Some(("branch", branch_id.to_string())),
            Some(json!({"holidays_added": dates})),
        );
        tx.append_audit(&[entry]).await?;
        tx.commit().await?;
        self.calendars.forget(branch_id);
        Ok(())
    }

    /// Removes a day off; not found when the branch had none that day.
    pub async fn remove_branch_holiday(&self, caller: &Caller, branch_id: BranchId, date: Date) -> AppResult<()> {
        caller.require(Action::ManageBranches)?;
        let mut tx = self.store.begin().await?;
        if !tx.remove_branch_holiday(branch_id, date).await? {
            return Err(AppError::NotFound);
        }
        let entry = self.audit_entry(
            caller,
            action::UPDATE,
            Some(("branch", branch_id.to_string())),
            Some(json!({"holiday_removed": date.to_string()})),
        );
        tx.append_audit(&[entry]).await?;
        tx.commit().await?;
        self.calendars.forget(branch_id);
        Ok(())
    }

    /// Days off from an iCalendar file (a state's list of public holidays, say): every
    /// all-day event becomes a day off, each day of a multi-day one.
    pub async fn import_branch_holidays(&self, caller: &Caller, branch_id: BranchId, ics: &str) -> AppResult<usize> {
        let days: Vec<Holiday> = crate::calendar::all_day_events(ics)?
            .into_iter()
            .map(|(date, name)| Holiday { date, name, source: "ics".to_owned() })
            .collect();
        self.add_branch_holidays(caller, branch_id, &days).await?;
        Ok(days.len())
    }

    /// The SLA policies, in the order they are tried.
    pub async fn sla_policies(&self) -> AppResult<Vec<Policy>> {
        self.store
            .sla_policies()
            .await?
            .into_iter()
            .map(|stored| {
                let data = parse_policy(&stored)
                    .map_err(|err| anyhow::anyhow!("SLA policy {} no longer parses: {err}", stored.id))?;
                Ok(Policy { id: stored.id, data })
            })
            .collect()
    }

    /// Replaces the SLA policies. Each is checked first; one bad policy changes
    /// nothing and its error names it by position.
    pub async fn set_sla_policies(&self, caller: &Caller, policies: &[StoredPolicy]) -> AppResult<()> {
        caller.require(Action::Configure)?;
        let mut errors = ValidationErrors::default();
        for (index, policy) in policies.iter().enumerate() {
            if let Err(err) = parse_policy(policy) {
                for field in err.0 {
                    errors.push(format!("policies[{index}].{}", field.field), field.reason);
                }
            }
        }
        errors.into_result()?;
        let mut tx = self.store.begin().await?;
        tx.replace_sla_policies(policies, crate::now()).await?;
        let names: Vec<&str> = policies.iter().map(|p| p.name.as_str()).collect();
        let entry = self.audit_entry(
            caller,
            action::UPDATE,
            Some(("sla_policies", String::new())),
            Some(json!({"policies": names})),
        );
        tx.append_audit(&[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// When a message that arrived at `received` in a branch is due for its first
    /// response, under the policy that applies: `sambandh sla due`.
    pub async fn sla_due(
        &self,
        branch_id: BranchId,
        source: TicketSource,
        priority: TicketPriority,
        tier: Option<ValueTier>,
        received: Timestamp,
    ) -> AppResult<(Policy, Option<Timestamp>, TimeZone)> {
        let calendar = self.business_calendar(branch_id).await?;
        let policy = self.policy_for(source, priority, tier).await?;
        let due = sambandh_domain::due(&calendar, received, &policy.data.first_response, jiff::SignedDuration::ZERO);
        Ok((policy, due, calendar.zone().clone()))
    }

    pub(crate) async fn policy_for(
        &self,
        source: TicketSource,
        priority: TicketPriority,
        tier: Option<ValueTier>,
    ) -> AppResult<Policy> {
        choose_policy(&self.sla_policies().await?, source, priority, tier)
    }
}

/// The policy that applies among `policies` (the domain's rule: the most specific).
pub(crate) fn choose_policy(
    policies: &[Policy],
    source: TicketSource,
    priority: TicketPriority,
    tier: Option<ValueTier>,
) -> AppResult<Policy> {
    let data: Vec<SlaPolicy> = policies.iter().map(|p| p.data.clone()).collect();
    sambandh_domain::select_policy(&data, source, priority, tier)
        .and_then(|chosen| data.iter().position(|p| std::ptr::eq(p, chosen)))
        .map(|index| policies[index].clone())
        .ok_or_else(|| AppError::BadRequest("no SLA policy applies: add one without conditions".into()))
}

fn parse_policy(stored: &StoredPolicy) -> Result<SlaPolicy, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let source = errors.check_opt("source", stored.source.as_deref(), TicketSource::parse);
    let priority = errors.check_opt("priority", stored.priority.as_deref(), TicketPriority::parse);
    let tier = errors.check_opt("tier", stored.tier.as_deref(), ValueTier::parse);
    let first = errors.check_opt("first_response", Some(stored.first_response.as_str()), SlaTarget::parse);
    let next = errors.check_opt("next_response", Some(stored.next_response.as_str()), SlaTarget::parse);
    let resolution = errors.check_opt("resolution", Some(stored.resolution.as_str()), SlaTarget::parse);
    if stored.name.trim().is_empty() {
        errors.push("name", "is required");
    }
    errors.into_result()?;
    match (first, next, resolution) {
        (Some(first_response), Some(next_response), Some(resolution)) => Ok(SlaPolicy {
            name: stored.name.trim().to_owned(),
            source,
            priority,
            tier,
            first_response,
            next_response,
            resolution,
        }),
        _ => Err(ValidationErrors::single("policy", "is incomplete")),
    }
}
