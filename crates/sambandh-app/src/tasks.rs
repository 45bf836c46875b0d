//! Follow-ups: tasks for staff, and the rules that make them when something happens.
//!
//! A task belongs to the branch of its contact or deal, else of its assignee, and is
//! seen by whoever sees that branch and by its assignee (the contacts' rule). Rules
//! fire inside the transaction of the event that triggers them: a deal won and its
//! follow-up call are stored together or not at all.

use jiff::Timestamp;
use sambandh_domain::{
    Action, BranchId, ContactId, DealId, FollowUpRule, FollowUpRuleInput, RuleTrigger, Task, TaskData, TaskId,
    TaskInput, UserId, ValidationErrors,
};
use sambandh_store::{Page, PageRequest, TaskFilter, Tx};
use serde_json::json;

use crate::audit::action;
use crate::directory::Directory;
use crate::{App, AppError, AppResult, Caller};

impl App {
    /// Makes a task. Without `assignee` it is the caller's.
    pub async fn create_task(&self, caller: &Caller, input: &TaskInput) -> AppResult<Task> {
        caller.require(Action::Write)?;
        let scope = caller.scope();
        let directory = Directory::load(self).await?;
        let mut input = input.clone();
        if input.assignee.as_deref().is_none_or(|raw| raw.trim().is_empty()) {
            input.assignee = caller.user_id().map(|id| id.to_string());
        }
        let data = TaskData::parse(&input, &directory)?;
        let mut tx = self.store.begin().await?;
        let mut branch_id = None;
        if let Some(contact_id) = data.contact_id {
            let contact = tx.contact(&scope, contact_id).await?.ok_or_else(|| no_such("contact"))?;
            branch_id = contact.data.branch_id;
        }
        if let Some(deal_id) = data.deal_id {
            let deal = tx.deal(&scope, deal_id).await?.ok_or_else(|| no_such("deal"))?;
            branch_id = branch_id.or(deal.data.branch_id);
        }
        if branch_id.is_none() {
            branch_id =
                self.store.users().await?.into_iter().find(|u| u.id == data.assignee_id).and_then(|u| u.data.branch_id);
        }
        if !scope.covers_contact(branch_id, Some(data.assignee_id)) {
            return Err(ValidationErrors::single("assignee", "is not in your branch, and the task is not yours").into());
        }
        let now = crate::now();
        let task = Task {
            id: TaskId::from_uuid(crate::new_uuid()),
            data,
            branch_id,
            done_at: None,
            rule_id: None,
            created_at: now,
        };
        tx.insert_tasks(std::slice::from_ref(&task)).await?;
        let details = json!({"due_at": task.data.due_at.to_string(), "assignee_id": task.data.assignee_id.to_string()});
        tx.append_audit(&[self.audit_entry(
            caller,
            action::CREATE,
            Some(("task", task.id.to_string())),
            Some(details),
        )])
        .await?;
        tx.commit().await?;
        Ok(task)
    }

    pub async fn task(&self, caller: &Caller, id: TaskId) -> AppResult<Task> {
        caller.require(Action::Read)?;
        self.store.task(&caller.scope(), id).await?.ok_or(AppError::NotFound)
    }

    pub async fn tasks(&self, caller: &Caller, filter: &TaskFilter, page: &PageRequest) -> AppResult<Page<Task>> {
        caller.require(Action::Read)?;
        Ok(self.store.tasks(&caller.scope(), filter, page).await?)
    }

    /// Marks a task done (or open again).
    pub async fn set_task_done(&self, caller: &Caller, id: TaskId, done: bool) -> AppResult<Task> {
        caller.require(Action::Write)?;
        let mut tx = self.store.begin().await?;
        let mut task = tx.task(&caller.scope(), id).await?.ok_or(AppError::NotFound)?;
        task.done_at = done.then(crate::now);
        tx.set_task_done(id, task.done_at).await?;
        let details = json!({"done": done});
        tx.append_audit(&[self.audit_entry(caller, action::UPDATE, Some(("task", id.to_string())), Some(details))])
            .await?;
        tx.commit().await?;
        Ok(task)
    }

    /// Overdue open tasks per member of staff, among the tasks the caller can see.
    pub async fn overdue_tasks(&self, caller: &Caller) -> AppResult<Vec<(UserId, i64)>> {
        caller.require(Action::Read)?;
        Ok(self.store.overdue_counts(&caller.scope(), crate::now()).await?)
    }

    pub async fn follow_up_rules(&self, caller: &Caller) -> AppResult<Vec<FollowUpRule>> {
        caller.require(Action::Read)?;
        Ok(self.store.follow_up_rules().await?)
    }

    pub async fn add_follow_up_rule(&self, caller: &Caller, input: &FollowUpRuleInput) -> AppResult<FollowUpRule> {
        caller.require(Action::Configure)?;
        let rule = FollowUpRule::parse(crate::new_uuid().to_string(), input)?;
        let details = json!({"trigger": rule.trigger.as_str(), "delay_days": rule.delay_days});
        let mut tx = self.store.begin().await?;
        tx.insert_follow_up_rule(&rule).await?;
        tx.append_audit(&[self.audit_entry(
            caller,
            action::CREATE,
            Some(("follow_up_rule", rule.id.clone())),
            Some(details),
        )])
        .await?;
        tx.commit().await?;
        Ok(rule)
    }

    pub async fn delete_follow_up_rule(&self, caller: &Caller, id: &str) -> AppResult<()> {
        caller.require(Action::Configure)?;
        let mut tx = self.store.begin().await?;
        tx.delete_follow_up_rule(id).await?;
        tx.append_audit(&[self.audit_entry(caller, action::DELETE, Some(("follow_up_rule", id.to_owned())), None)])
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// What happened, for the rules it fires.
pub(crate) struct Event {
    pub trigger: RuleTrigger,
    pub at: Timestamp,
    pub assignee_id: Option<UserId>,
    pub contact_id: Option<ContactId>,
    pub deal_id: Option<DealId>,
    pub branch_id: Option<BranchId>,
}

/// Makes the tasks of every rule `event` fires, in the event's transaction. Without
/// anyone to assign them to, there is no task.
pub(crate) async fn fire_rules(tx: &mut Tx, event: &Event) -> AppResult<Vec<Task>> {
    let Some(assignee_id) = event.assignee_id else { return Ok(Vec::new()) };
    let now = crate::now();
    let tasks: Vec<Task> = tx
        .follow_up_rules(event.trigger)
        .await?
        .into_iter()
        .map(|rule| Task {
            id: TaskId::from_uuid(crate::new_uuid()),
            data: TaskData {
                title: rule.title.clone(),
                due_at: rule.due_after(event.at),
                assignee_id,
                contact_id: event.contact_id,
                deal_id: event.deal_id,
                notes: None,
            },
            branch_id: event.branch_id,
            done_at: None,
            rule_id: Some(rule.id),
            created_at: now,
        })
        .collect();
    tx.insert_tasks(&tasks).await?;
    Ok(tasks)
}

fn no_such(field: &'static str) -> AppError {
    ValidationErrors::single(field, "no such record").into()
}
