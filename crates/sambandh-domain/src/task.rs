//! Follow-ups: tasks with a due time and an assignee, linked to a contact or a deal,
//! and the rules that create them ("7 days after a won deal, call to ask how it is
//! going").

use jiff::{SignedDuration, Timestamp};

use crate::{
    BranchId, ContactId, DealId, LongText, References, RuleTrigger, ShortText, TaskId, UserId, ValidationErrors,
    ValueError,
};

/// A task as typed.
#[derive(Debug, Clone, Default)]
pub struct TaskInput {
    pub title: Option<String>,
    /// RFC 3339.
    pub due_at: Option<String>,
    /// A member of staff by e-mail or id.
    pub assignee: Option<String>,
    pub contact: Option<String>,
    pub deal: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskData {
    pub title: ShortText,
    pub due_at: Timestamp,
    pub assignee_id: UserId,
    pub contact_id: Option<ContactId>,
    pub deal_id: Option<DealId>,
    pub notes: Option<LongText>,
}

/// A follow-up task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: TaskId,
    pub data: TaskData,
    /// The branch of its contact or deal, else of its assignee: whose it is to see.
    pub branch_id: Option<BranchId>,
    pub done_at: Option<Timestamp>,
    /// The rule that made it, if one did.
    pub rule_id: Option<String>,
    pub created_at: Timestamp,
}

impl Task {
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        self.done_at.is_none() && self.data.due_at < now
    }
}

impl TaskData {
    pub fn parse(input: &TaskInput, references: &impl References) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = errors.check_required("title", input.title.as_deref(), ShortText::parse);
        let due_at = errors.check_required("due_at", input.due_at.as_deref(), |raw| {
            raw.parse::<Timestamp>()
                .map_err(|_| ValueError::new("must be an RFC 3339 instant such as 2026-11-30T10:00:00+05:30"))
        });
        let assignee_id = errors.check_required("assignee", input.assignee.as_deref(), |raw| {
            references.user(raw).ok_or_else(|| ValueError::new(format!("no member of staff is '{raw}'")))
        });
        let contact_id = errors.check_opt("contact", input.contact.as_deref(), str::parse::<ContactId>);
        let deal_id = errors.check_opt("deal", input.deal.as_deref(), str::parse::<DealId>);
        let notes = errors.check_opt("notes", input.notes.as_deref(), LongText::parse);
        errors.into_result()?;
        match (title, due_at, assignee_id) {
            (Some(title), Some(due_at), Some(assignee_id)) => {
                Ok(Self { title, due_at, assignee_id, contact_id, deal_id, notes })
            }
            _ => Err(ValidationErrors::single("task", "is incomplete")),
        }
    }
}

/// A rule that makes a task some days after something happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRule {
    pub id: String,
    pub trigger: RuleTrigger,
    pub delay_days: u16,
    pub title: ShortText,
}

/// A rule as typed.
#[derive(Debug, Clone, Default)]
pub struct FollowUpRuleInput {
    pub trigger: Option<String>,
    pub delay_days: Option<String>,
    pub title: Option<String>,
}

impl FollowUpRule {
    pub fn parse(id: String, input: &FollowUpRuleInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let trigger = errors.check_required("trigger", input.trigger.as_deref(), RuleTrigger::parse);
        let delay_days = errors.check_required("delay_days", input.delay_days.as_deref(), |raw| {
            raw.trim()
                .parse::<u16>()
                .ok()
                .filter(|days| *days <= 3660)
                .ok_or_else(|| ValueError::new("must be a number of days from 0 to 3660"))
        });
        let title = errors.check_required("title", input.title.as_deref(), ShortText::parse);
        errors.into_result()?;
        match (trigger, delay_days, title) {
            (Some(trigger), Some(delay_days), Some(title)) => Ok(Self { id, trigger, delay_days, title }),
            _ => Err(ValidationErrors::single("rule", "is incomplete")),
        }
    }

    /// The rules a new database starts with.
    pub fn defaults() -> [(RuleTrigger, u16, &'static str); 2] {
        [
            (RuleTrigger::DealWon, 7, "Call to ask how it is going"),
            (RuleTrigger::OrderPlaced, 30, "Ask for feedback on the order"),
        ]
    }

    /// When the task it makes is due, for an event at `at`: that many whole days later.
    pub fn due_after(&self, at: Timestamp) -> Timestamp {
        at.checked_add(SignedDuration::from_hours(i64::from(self.delay_days) * 24)).unwrap_or(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoredIds;

    #[test]
    fn a_task_needs_a_title_a_due_time_and_an_assignee() {
        let errors =
            TaskData::parse(&TaskInput { due_at: Some("tomorrow".into()), ..TaskInput::default() }, &StoredIds)
                .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "due_at", "assignee"]);
    }

    #[test]
    fn a_rule_makes_a_task_days_later() {
        let input = FollowUpRuleInput {
            trigger: Some("deal_won".into()),
            delay_days: Some("7".into()),
            title: Some("Call to ask how it is going".into()),
        };
        let rule = FollowUpRule::parse("r1".into(), &input).unwrap();
        let won: Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
        assert_eq!(rule.due_after(won).to_string(), "2026-11-30T10:00:00Z");
        let bad = FollowUpRuleInput { trigger: Some("birthday".into()), delay_days: Some("-1".into()), ..input };
        assert_eq!(FollowUpRule::parse("r2".into(), &bad).unwrap_err().0.len(), 2);
    }
}
