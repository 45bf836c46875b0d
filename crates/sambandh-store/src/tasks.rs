//! Follow-up tasks and the rules that create them.

use jiff::Timestamp;
use sambandh_domain::{FollowUpRule, LongText, RuleTrigger, Scope, ShortText, Task, TaskData, TaskId, UserId};
use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::instant;
use crate::db::{Exec, execute, fetch_all, fetch_optional};
use crate::paging::{Keyset, fetch_page};
use crate::schema::{FollowUpRules, Tasks};
use crate::{Page, PageRequest, Store, StoreError, Tx, scope};

/// Which tasks a list shows; every field narrows it.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub assignee_id: Option<UserId>,
    /// Only tasks not done.
    pub open: bool,
    /// Only open tasks due before this instant.
    pub overdue_at: Option<Timestamp>,
    pub contact_id: Option<sambandh_domain::ContactId>,
    pub deal_id: Option<sambandh_domain::DealId>,
}

const COLUMNS: [Tasks; 11] = [
    Tasks::Id,
    Tasks::Title,
    Tasks::DueAt,
    Tasks::AssigneeId,
    Tasks::ContactId,
    Tasks::DealId,
    Tasks::Notes,
    Tasks::BranchId,
    Tasks::DoneAt,
    Tasks::RuleId,
    Tasks::CreatedAt,
];

fn select(scope: &Scope) -> SelectStatement {
    let mut query = Query::select().columns(COLUMNS).from(Tasks::Table).to_owned();
    scope::owned_in(&mut query, scope, Tasks::BranchId, Tasks::AssigneeId);
    query
}

impl Store {
    pub async fn task(&self, scope: &Scope, id: TaskId) -> Result<Option<Task>, StoreError> {
        let mut conn = self.reader().await?;
        get(&mut conn, scope, id).await
    }

    /// Tasks, soonest due first, a page at a time.
    pub async fn tasks(
        &self,
        scope: &Scope,
        filter: &TaskFilter,
        page: &PageRequest,
    ) -> Result<Page<Task>, StoreError> {
        let mut query = select(scope);
        if let Some(assignee_id) = filter.assignee_id {
            query.and_where(Expr::col(Tasks::AssigneeId).eq(assignee_id.to_string()));
        }
        if filter.open || filter.overdue_at.is_some() {
            query.and_where(Expr::col(Tasks::DoneAt).is_null());
        }
        if let Some(now) = filter.overdue_at {
            query.and_where(Expr::col(Tasks::DueAt).lt(now.as_microsecond()));
        }
        if let Some(contact_id) = filter.contact_id {
            query.and_where(Expr::col(Tasks::ContactId).eq(contact_id.to_string()));
        }
        if let Some(deal_id) = filter.deal_id {
            query.and_where(Expr::col(Tasks::DealId).eq(deal_id.to_string()));
        }
        let keyset = Keyset::new("tasks", Tasks::DueAt, false, Tasks::Id, false);
        let mut conn = self.reader().await?;
        fetch_page(&mut conn, query, &keyset, page, from_row).await
    }

    /// How many open tasks are overdue at `now`, per assignee (those with any).
    pub async fn overdue_counts(&self, scope: &Scope, now: Timestamp) -> Result<Vec<(UserId, i64)>, StoreError> {
        let mut query = Query::select()
            .column(Tasks::AssigneeId)
            .expr_as(Expr::col(Tasks::Id).count(), sea_query::Alias::new("overdue"))
            .from(Tasks::Table)
            .and_where(Expr::col(Tasks::DoneAt).is_null())
            .and_where(Expr::col(Tasks::DueAt).lt(now.as_microsecond()))
            .group_by_col(Tasks::AssigneeId)
            .order_by(Tasks::AssigneeId, Order::Asc)
            .to_owned();
        scope::owned_in(&mut query, scope, Tasks::BranchId, Tasks::AssigneeId);
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query)
            .await?
            .iter()
            .map(|row| {
                let assignee: String = row.try_get("assignee_id")?;
                let id = assignee.parse().map_err(|_| StoreError::Corrupt(format!("tasks.assignee_id {assignee}")))?;
                Ok((id, row.try_get::<i64, _>("overdue")?))
            })
            .collect()
    }

    pub async fn follow_up_rules(&self) -> Result<Vec<FollowUpRule>, StoreError> {
        let mut conn = self.reader().await?;
        rules(&mut conn, None).await
    }
}

impl Tx {
    pub async fn task(&mut self, scope: &Scope, id: TaskId) -> Result<Option<Task>, StoreError> {
        get(self, scope, id).await
    }

    pub async fn insert_tasks(&mut self, tasks: &[Task]) -> Result<(), StoreError> {
        for task in tasks {
            let data = &task.data;
            let insert = Query::insert()
                .into_table(Tasks::Table)
                .columns(COLUMNS)
                .values_panic([
                    task.id.to_string().into(),
                    data.title.as_str().into(),
                    data.due_at.as_microsecond().into(),
                    data.assignee_id.to_string().into(),
                    data.contact_id.map(|id| id.to_string()).into(),
                    data.deal_id.map(|id| id.to_string()).into(),
                    data.notes.as_ref().map(ToString::to_string).into(),
                    task.branch_id.map(|id| id.to_string()).into(),
                    task.done_at.map(|at| at.as_microsecond()).into(),
                    task.rule_id.clone().into(),
                    task.created_at.as_microsecond().into(),
                ])
                .to_owned();
            execute(self, &insert).await?;
        }
        Ok(())
    }

    /// Marks a task done at `done_at`, or open again with `None`.
    pub async fn set_task_done(&mut self, id: TaskId, done_at: Option<Timestamp>) -> Result<(), StoreError> {
        let update = Query::update()
            .table(Tasks::Table)
            .value(Tasks::DoneAt, done_at.map(|at| at.as_microsecond()))
            .and_where(Expr::col(Tasks::Id).eq(id.to_string()))
            .to_owned();
        execute(self, &update).await?;
        Ok(())
    }

    /// Removes what the tasks about a contact say of them (title and notes), keeping
    /// that they were there to do.
    pub async fn erase_tasks(&mut self, contact_id: sambandh_domain::ContactId) -> Result<(), StoreError> {
        let update = Query::update()
            .table(Tasks::Table)
            .value(Tasks::Title, "[erased]")
            .value(Tasks::Notes, Expr::value(Option::<String>::None))
            .and_where(Expr::col(Tasks::ContactId).eq(contact_id.to_string()))
            .to_owned();
        execute(self, &update).await?;
        Ok(())
    }

    /// The rules that a `trigger` fires.
    pub async fn follow_up_rules(&mut self, trigger: RuleTrigger) -> Result<Vec<FollowUpRule>, StoreError> {
        rules(self, Some(trigger)).await
    }

    pub async fn insert_follow_up_rule(&mut self, rule: &FollowUpRule) -> Result<(), StoreError> {
        let insert = Query::insert()
            .into_table(FollowUpRules::Table)
            .columns([FollowUpRules::Id, FollowUpRules::Trigger, FollowUpRules::DelayDays, FollowUpRules::Title])
            .values_panic([
                rule.id.as_str().into(),
                rule.trigger.as_str().into(),
                i64::from(rule.delay_days).into(),
                rule.title.as_str().into(),
            ])
            .to_owned();
        execute(self, &insert).await?;
        Ok(())
    }

    pub async fn delete_follow_up_rule(&mut self, id: &str) -> Result<(), StoreError> {
        let delete =
            Query::delete().from_table(FollowUpRules::Table).and_where(Expr::col(FollowUpRules::Id).eq(id)).to_owned();
        match execute(self, &delete).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }
}

async fn rules(db: &mut impl Exec, trigger: Option<RuleTrigger>) -> Result<Vec<FollowUpRule>, StoreError> {
    let mut query = Query::select()
        .columns([FollowUpRules::Id, FollowUpRules::Trigger, FollowUpRules::DelayDays, FollowUpRules::Title])
        .from(FollowUpRules::Table)
        .order_by(FollowUpRules::Trigger, Order::Asc)
        .order_by(FollowUpRules::DelayDays, Order::Asc)
        .order_by(FollowUpRules::Id, Order::Asc)
        .to_owned();
    if let Some(trigger) = trigger {
        query.and_where(Expr::col(FollowUpRules::Trigger).eq(trigger.as_str()));
    }
    fetch_all(db, &query)
        .await?
        .iter()
        .map(|row| {
            let corrupt = |what: &str| StoreError::Corrupt(format!("follow_up_rules.{what}"));
            let trigger: String = row.try_get("trigger")?;
            let days: i64 = row.try_get("delay_days")?;
            let title: String = row.try_get("title")?;
            Ok(FollowUpRule {
                id: row.try_get("id")?,
                trigger: RuleTrigger::parse(&trigger).map_err(|_| corrupt("trigger"))?,
                delay_days: u16::try_from(days).map_err(|_| corrupt("delay_days"))?,
                title: ShortText::parse(&title).map_err(|_| corrupt("title"))?,
            })
        })
        .collect()
}

async fn get(db: &mut impl Exec, scope: &Scope, id: TaskId) -> Result<Option<Task>, StoreError> {
    let query = select(scope).and_where(Expr::col(Tasks::Id).eq(id.to_string())).to_owned();
    fetch_optional(db, &query).await?.as_ref().map(from_row).transpose()
}

fn from_row(row: &AnyRow) -> Result<Task, StoreError> {
    let id: String = row.try_get("id")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("task {id}: {what}"));
    let text = |column: &str| -> Result<Option<String>, StoreError> { Ok(row.try_get::<Option<String>, _>(column)?) };
    let title: String = row.try_get("title")?;
    let assignee: String = row.try_get("assignee_id")?;
    Ok(Task {
        id: id.parse().map_err(|_| corrupt("id"))?,
        data: TaskData {
            title: ShortText::parse(&title).map_err(|_| corrupt("title"))?,
            due_at: instant(row, "due_at")?,
            assignee_id: assignee.parse().map_err(|_| corrupt("assignee_id"))?,
            contact_id: text("contact_id")?.map(|raw| raw.parse().map_err(|_| corrupt("contact_id"))).transpose()?,
            deal_id: text("deal_id")?.map(|raw| raw.parse().map_err(|_| corrupt("deal_id"))).transpose()?,
            notes: text("notes")?.map(|raw| LongText::parse(&raw).map_err(|_| corrupt("notes"))).transpose()?,
        },
        branch_id: text("branch_id")?.map(|raw| raw.parse().map_err(|_| corrupt("branch_id"))).transpose()?,
        done_at: row
            .try_get::<Option<i64>, _>("done_at")?
            .map(Timestamp::from_microsecond)
            .transpose()
            .map_err(|_| corrupt("done_at"))?,
        rule_id: text("rule_id")?,
        created_at: instant(row, "created_at")?,
    })
}
