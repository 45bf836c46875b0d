//! The service desk's tables: tickets and their conversations, the branches' working
//! hours and days off, and the organisation's SLA policies.
//!
//! A ticket row carries its deadlines as instants computed by the app from the policy
//! and the branch's calendar (the store does no business-time arithmetic), so that the
//! queue, the reminder job and the measures are plain indexed SQL.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use sambandh_domain::{
    BranchId, ContactId, MessageId, Scope, TicketEntryId, TicketEntryKind, TicketId, TicketPriority, TicketSource,
    TicketStatus, UserId, ValueTier,
};
use sea_query::{Alias, Cond, Expr, ExprTrait, Func, LockType, OnConflict, Order, Query, SelectStatement};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::instant;
use crate::db::{Engine, execute, fetch_all, fetch_optional};
use crate::error::conflict_on;
use crate::paging::{Keyset, fetch_page};
use crate::schema::{BranchHolidays, BranchHours, Counters, SlaPolicies, TicketEntries, Tickets, Users};
use crate::{Page, PageRequest, Store, StoreError, Tx, scope};

/// `due_at` of a ticket with no deadline running (paused, resolved, or in a branch
/// without working hours): sorts last in the queue and is never "due soon".
const NO_DEADLINE: i64 = i64::MAX;

/// A customer's request and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: TicketId,
    /// The number customers and staff quote: `[#1042]`.
    pub number: u64,
    pub contact_id: ContactId,
    pub branch_id: Option<BranchId>,
    pub assignee_id: Option<UserId>,
    pub source: TicketSource,
    pub subject: String,
    /// BCP 47: the language the customer wrote in and is answered in.
    pub language: String,
    pub status: TicketStatus,
    pub priority: TicketPriority,
    /// The contact's tier when the ticket arrived: what chose its policy.
    pub tier: Option<ValueTier>,
    pub tags: Vec<String>,
    pub policy_id: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
    /// When the customer last wrote.
    pub customer_at: Timestamp,
    pub first_response_due: Option<Timestamp>,
    pub first_response_at: Option<Timestamp>,
    /// Working time from arrival to the first response.
    pub first_response_work: Option<SignedDuration>,
    pub next_response_due: Option<Timestamp>,
    pub resolution_due: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    pub resolution_work: Option<SignedDuration>,
    /// The earliest deadline still running; `None` while paused, resolved, or when the
    /// branch has no working hours.
    pub due_at: Option<Timestamp>,
    pub paused_since: Option<Timestamp>,
    /// Working time spent waiting on the customer.
    pub paused_work: SignedDuration,
    pub reminded_due: Option<Timestamp>,
    pub escalated_due: Option<Timestamp>,
    /// The hash of the survey link's secret.
    pub csat_hash: Option<String>,
    pub csat_score: Option<u8>,
    pub csat_comment: Option<String>,
    pub csat_at: Option<Timestamp>,
}

/// One entry of a ticket's conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketEntry {
    pub id: TicketEntryId,
    pub ticket_id: TicketId,
    pub kind: TicketEntryKind,
    pub author_id: Option<UserId>,
    pub body: String,
    /// The e-mail's Message-ID, for threading.
    pub mail_id: Option<String>,
    /// The outbox message that carries it to the customer.
    pub message_id: Option<MessageId>,
    pub created_at: Timestamp,
}

/// Which tickets a list shows, and in which order.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub branch_id: Option<BranchId>,
    /// Any of these; empty for every status.
    pub statuses: Vec<TicketStatus>,
    pub assignee: Option<AssigneeFilter>,
    pub contact_id: Option<ContactId>,
    /// Soonest deadline first (the queue) instead of newest first.
    pub by_due: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    Nobody,
    User(UserId),
}

/// A member of staff who could take a ticket, with their open tickets now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentCandidate {
    pub user_id: UserId,
    pub languages: Vec<String>,
    pub open_tickets: u64,
}

/// A branch's day off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: Date,
    pub name: String,
    /// `manual`, `ics`, …: where it came from.
    pub source: String,
}

/// An SLA policy as stored; the app parses its targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPolicy {
    pub id: String,
    pub name: String,
    pub source: Option<String>,
    pub priority: Option<String>,
    pub tier: Option<String>,
    pub first_response: String,
    pub next_response: String,
    pub resolution: String,
}

/// How the measures are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureGroup {
    Branch,
    Policy,
    Agent,
}

/// Service measures of one group over a period (tickets that arrived in it).
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureRow {
    /// The branch, policy or agent id; `None` for tickets without one.
    pub group: Option<String>,
    pub tickets: u64,
    pub responded: u64,
    pub first_response_met: u64,
    /// Answered late, or not answered and past due.
    pub first_response_breached: u64,
    /// Mean working time to the first response, of those answered.
    pub mean_first_response: Option<SignedDuration>,
    pub resolved: u64,
    pub resolution_met: u64,
    pub resolution_breached: u64,
    pub mean_resolution: Option<SignedDuration>,
    pub csat_answers: u64,
    pub mean_csat: Option<f64>,
}

const COLUMNS: [Tickets; 33] = [
    Tickets::Id,
    Tickets::Number,
    Tickets::ContactId,
    Tickets::BranchId,
    Tickets::AssigneeId,
    Tickets::Source,
    Tickets::Subject,
    Tickets::Language,
    Tickets::Status,
    Tickets::Priority,
    Tickets::Tier,
    Tickets::Tags,
    Tickets::PolicyId,
    Tickets::CreatedAt,
    Tickets::UpdatedAt,
    Tickets::Version,
    Tickets::CustomerAt,
    Tickets::FirstResponseDue,
    Tickets::FirstResponseAt,
    Tickets::FirstResponseWork,
    Tickets::NextResponseDue,
    Tickets::ResolutionDue,
    Tickets::ResolvedAt,
    Tickets::ResolutionWork,
    Tickets::DueAt,
    Tickets::PausedSince,
    Tickets::PausedWork,
    Tickets::RemindedDue,
    Tickets::EscalatedDue,
    Tickets::CsatHash,
    Tickets::CsatScore,
    Tickets::CsatComment,
    Tickets::CsatAt,
];

const ENTRY_COLUMNS: [TicketEntries; 8] = [
    TicketEntries::Id,
    TicketEntries::TicketId,
    TicketEntries::Kind,
    TicketEntries::AuthorId,
    TicketEntries::Body,
    TicketEntries::MailId,
    TicketEntries::MessageId,
    TicketEntries::CreatedAt,
];

fn values(ticket: &Ticket) -> Vec<sea_query::SimpleExpr> {
    let at = |instant: Option<Timestamp>| instant.map(|at| at.as_microsecond());
    let work = |work: Option<SignedDuration>| work.map(|work| i64::try_from(work.as_micros()).unwrap_or(i64::MAX));
    vec![
        ticket.id.to_string().into(),
        i64::try_from(ticket.number).unwrap_or(i64::MAX).into(),
        ticket.contact_id.to_string().into(),
        ticket.branch_id.map(|id| id.to_string()).into(),
        ticket.assignee_id.map(|id| id.to_string()).into(),
        ticket.source.as_str().into(),
        ticket.subject.as_str().into(),
        ticket.language.as_str().into(),
        ticket.status.as_str().into(),
        ticket.priority.as_str().into(),
        ticket.tier.map(|tier| tier.as_str()).into(),
        serde_json::to_string(&ticket.tags).unwrap_or_else(|_| "[]".into()).into(),
        ticket.policy_id.clone().into(),
        ticket.created_at.as_microsecond().into(),
        ticket.updated_at.as_microsecond().into(),
        ticket.version.into(),
        ticket.customer_at.as_microsecond().into(),
        at(ticket.first_response_due).into(),
        at(ticket.first_response_at).into(),
        work(ticket.first_response_work).into(),
        at(ticket.next_response_due).into(),
        at(ticket.resolution_due).into(),
        at(ticket.resolved_at).into(),
        work(ticket.resolution_work).into(),
        at(ticket.due_at).unwrap_or(NO_DEADLINE).into(),
        at(ticket.paused_since).into(),
        work(Some(ticket.paused_work)).into(),
        at(ticket.reminded_due).into(),
        at(ticket.escalated_due).into(),
        ticket.csat_hash.clone().into(),
        ticket.csat_score.map(i64::from).into(),
        ticket.csat_comment.clone().into(),
        at(ticket.csat_at).into(),
    ]
}

fn by_csat_hash(hash: &str) -> SelectStatement {
    select(&Scope::Everything).and_where(Expr::col(Tickets::CsatHash).eq(hash)).to_owned()
}

fn select(scope: &Scope) -> SelectStatement {
    let mut query = Query::select().columns(COLUMNS).from(Tickets::Table).to_owned();
    scope::owned_in(&mut query, scope, Tickets::BranchId, Tickets::AssigneeId);
    query
}

/// Tickets someone still has to do something about.
const UNRESOLVED: [TicketStatus; 3] = [TicketStatus::New, TicketStatus::Open, TicketStatus::Pending];

impl Store {
    pub async fn ticket(&self, scope: &Scope, id: TicketId) -> Result<Option<Ticket>, StoreError> {
        let query = select(scope).and_where(Expr::col(Tickets::Id).eq(id.to_string())).to_owned();
        let mut conn = self.reader().await?;
        fetch_optional(&mut conn, &query).await?.as_ref().map(from_row).transpose()
    }

    /// Tickets, a page at a time: the queue (soonest deadline first) or newest first.
    pub async fn tickets(
        &self,
        scope: &Scope,
        filter: &TicketFilter,
        page: &PageRequest,
    ) -> Result<Page<Ticket>, StoreError> {
        let mut query = select(scope);
        if let Some(branch_id) = filter.branch_id {
            query.and_where(Expr::col(Tickets::BranchId).eq(branch_id.to_string()));
        }
        if !filter.statuses.is_empty() {
            query.and_where(Expr::col(Tickets::Status).is_in(filter.statuses.iter().map(|s| s.as_str())));
        }
        match filter.assignee {
            Some(AssigneeFilter::Nobody) => {
                query.and_where(Expr::col(Tickets::AssigneeId).is_null());
            }
            Some(AssigneeFilter::User(user_id)) => {
                query.and_where(Expr::col(Tickets::AssigneeId).eq(user_id.to_string()));
            }
            None => {}
        }
        if let Some(contact_id) = filter.contact_id {
            query.and_where(Expr::col(Tickets::ContactId).eq(contact_id.to_string()));
        }
        let keyset = if filter.by_due {
            Keyset::new("ticket-queue", Tickets::DueAt, false, Tickets::Id, false)
        } else {
            Keyset::new("tickets", Tickets::Id, true, Tickets::Id, true)
        };
        let mut conn = self.reader().await?;
        fetch_page(&mut conn, query, &keyset, page, from_row).await
    }

    /// The id of the ticket with this number; with `contact_id`, only if it is that
    /// contact's (a subject's `[#42]` from someone else must not attach their mail to
    /// another customer's ticket). Without, for the command line, which sees everything.
    pub async fn ticket_id_by_number(
        &self,
        number: u64,
        contact_id: Option<ContactId>,
    ) -> Result<Option<TicketId>, StoreError> {
        let mut query = Query::select()
            .column(Tickets::Id)
            .from(Tickets::Table)
            .and_where(Expr::col(Tickets::Number).eq(i64::try_from(number).unwrap_or(i64::MAX)))
            .to_owned();
        if let Some(contact_id) = contact_id {
            query.and_where(Expr::col(Tickets::ContactId).eq(contact_id.to_string()));
        }
        let mut conn = self.reader().await?;
        let Some(row) = fetch_optional(&mut conn, &query).await? else { return Ok(None) };
        let id: String = row.try_get("id")?;
        Ok(Some(id.parse().map_err(|_| StoreError::Corrupt(format!("tickets.id {id}")))?))
    }

    /// Whether an e-mail with this Message-ID is already on a ticket.
    pub async fn mail_known(&self, mail_id: &str) -> Result<bool, StoreError> {
        let query = Query::select()
            .column(TicketEntries::Id)
            .from(TicketEntries::Table)
            .and_where(Expr::col(TicketEntries::MailId).eq(mail_id))
            .to_owned();
        let mut conn = self.reader().await?;
        Ok(fetch_optional(&mut conn, &query).await?.is_some())
    }

    /// The ticket an e-mail thread belongs to: the one holding any of `mail_ids` (its
    /// `In-Reply-To` and `References`), the most recent if several do.
    pub async fn ticket_of_thread(&self, mail_ids: &[String]) -> Result<Option<TicketId>, StoreError> {
        if mail_ids.is_empty() {
            return Ok(None);
        }
        let query = Query::select()
            .column(TicketEntries::TicketId)
            .from(TicketEntries::Table)
            .and_where(Expr::col(TicketEntries::MailId).is_in(mail_ids.iter().map(String::as_str)))
            .order_by(TicketEntries::Id, Order::Desc)
            .limit(1)
            .to_owned();
        let mut conn = self.reader().await?;
        let Some(row) = fetch_optional(&mut conn, &query).await? else { return Ok(None) };
        let id: String = row.try_get("ticket_id")?;
        Ok(Some(id.parse().map_err(|_| StoreError::Corrupt(format!("ticket_entries.ticket_id {id}")))?))
    }

    /// The ticket a survey link belongs to, by the hash of its secret.
    pub async fn ticket_by_csat_hash(&self, hash: &str) -> Result<Option<Ticket>, StoreError> {
        let mut conn = self.reader().await?;
        fetch_optional(&mut conn, &by_csat_hash(hash)).await?.as_ref().map(from_row).transpose()
    }

    /// A ticket's conversation, oldest first.
    pub async fn ticket_entries(&self, ticket_id: TicketId) -> Result<Vec<TicketEntry>, StoreError> {
        let query = Query::select()
            .columns(ENTRY_COLUMNS)
            .from(TicketEntries::Table)
            .and_where(Expr::col(TicketEntries::TicketId).eq(ticket_id.to_string()))
            .order_by(TicketEntries::Id, Order::Asc)
            .to_owned();
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query).await?.iter().map(entry_from_row).collect()
    }

    /// The agents of a branch (managers take escalations, not the queue), each with the number of
    /// unresolved tickets assigned to them: what routing chooses from.
    pub async fn agent_candidates(&self, branch_id: BranchId) -> Result<Vec<AgentCandidate>, StoreError> {
        let load = Query::select()
            .expr(Expr::col((Tickets::Table, Tickets::Id)).count())
            .from(Tickets::Table)
            .and_where(Expr::col((Tickets::Table, Tickets::AssigneeId)).equals((Users::Table, Users::Id)))
            .and_where(Expr::col((Tickets::Table, Tickets::Status)).is_in(UNRESOLVED.map(|s| s.as_str())))
            .to_owned();
        let query = Query::select()
            .column((Users::Table, Users::Id))
            .column((Users::Table, Users::Languages))
            .expr_as(Expr::SubQuery(None, Box::new(load.into())), Alias::new("open_tickets"))
            .from(Users::Table)
            .and_where(Expr::col((Users::Table, Users::BranchId)).eq(branch_id.to_string()))
            .and_where(Expr::col((Users::Table, Users::Role)).eq("agent"))
            .order_by((Users::Table, Users::Email), Order::Asc)
            .to_owned();
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query)
            .await?
            .iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let languages: String = row.try_get("languages")?;
                Ok(AgentCandidate {
                    user_id: id.parse().map_err(|_| StoreError::Corrupt(format!("users.id {id}")))?,
                    languages: serde_json::from_str(&languages).unwrap_or_default(),
                    open_tickets: u64::try_from(row.try_get::<i64, _>("open_tickets")?).unwrap_or(0),
                })
            })
            .collect()
    }

    /// Running tickets whose deadline falls at or before `until` and that have not had
    /// a reminder (or, when `escalation`, an escalation) for that deadline: what the
    /// reminder job works through.
    pub async fn tickets_due_by(
        &self,
        until: Timestamp,
        escalation: bool,
        limit: u64,
    ) -> Result<Vec<Ticket>, StoreError> {
        let marker = if escalation { Tickets::EscalatedDue } else { Tickets::RemindedDue };
        let query = Query::select()
            .columns(COLUMNS)
            .from(Tickets::Table)
            .and_where(Expr::col(Tickets::DueAt).lte(until.as_microsecond()))
            .cond_where(
                Cond::any().add(Expr::col(marker).is_null()).add(Expr::col(marker).ne(Expr::col(Tickets::DueAt))),
            )
            .order_by(Tickets::DueAt, Order::Asc)
            .limit(limit)
            .to_owned();
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query).await?.iter().map(from_row).collect()
    }

    /// Service measures of the tickets that arrived in `[from, until)`, grouped.
    /// Breaches count deadlines missed by `now` even where nobody has answered yet.
    pub async fn service_measures(
        &self,
        scope: &Scope,
        group: MeasureGroup,
        from: Timestamp,
        until: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<MeasureRow>, StoreError> {
        let group_column = match group {
            MeasureGroup::Branch => Tickets::BranchId,
            MeasureGroup::Policy => Tickets::PolicyId,
            MeasureGroup::Agent => Tickets::AssigneeId,
        };
        let now = now.as_microsecond();
        // Dialect difference, avoided: PostgreSQL sums BIGINTs as NUMERIC, which the
        // driver does not read as an integer; every sum is cast back.
        let bigint = |expr: sea_query::SimpleExpr| Func::cast_as(expr, Alias::new("BIGINT"));
        let count_when = |condition: Cond| {
            bigint(Func::sum(Expr::case(condition, Expr::val(1_i64)).finally(Expr::val(0_i64))).into())
        };
        let responded = Expr::col(Tickets::FirstResponseAt).is_not_null();
        let resolved = Expr::col(Tickets::ResolvedAt).is_not_null();
        let (first_met, first_breached) = kept_and_broken(Tickets::FirstResponseAt, Tickets::FirstResponseDue, now);
        let (resolution_met, resolution_breached) = kept_and_broken(Tickets::ResolvedAt, Tickets::ResolutionDue, now);
        let mut query = Query::select()
            .expr_as(Expr::col(group_column), Alias::new("grp"))
            .expr_as(Expr::col(Tickets::Id).count(), Alias::new("tickets"))
            .expr_as(count_when(Cond::all().add(responded)), Alias::new("responded"))
            .expr_as(count_when(first_met), Alias::new("first_met"))
            .expr_as(count_when(first_breached), Alias::new("first_breached"))
            .expr_as(bigint(Func::sum(Expr::col(Tickets::FirstResponseWork)).into()), Alias::new("first_work"))
            .expr_as(count_when(Cond::all().add(resolved)), Alias::new("resolved"))
            .expr_as(count_when(resolution_met), Alias::new("resolution_met"))
            .expr_as(count_when(resolution_breached), Alias::new("resolution_breached"))
            .expr_as(bigint(Func::sum(Expr::col(Tickets::ResolutionWork)).into()), Alias::new("resolution_work"))
            .expr_as(Expr::col(Tickets::CsatScore).count(), Alias::new("csat_answers"))
            .expr_as(bigint(Func::sum(Expr::col(Tickets::CsatScore)).into()), Alias::new("csat_sum"))
            .from(Tickets::Table)
            .and_where(Expr::col(Tickets::CreatedAt).gte(from.as_microsecond()))
            .and_where(Expr::col(Tickets::CreatedAt).lt(until.as_microsecond()))
            .group_by_col(group_column)
            .order_by(group_column, Order::Asc)
            .to_owned();
        scope::owned_in(&mut query, scope, Tickets::BranchId, Tickets::AssigneeId);
        let mut conn = self.reader().await?;
        let count = |row: &AnyRow, column: &str| -> Result<u64, StoreError> {
            Ok(u64::try_from(row.try_get::<Option<i64>, _>(column)?.unwrap_or(0)).unwrap_or(0))
        };
        fetch_all(&mut conn, &query)
            .await?
            .iter()
            .map(|row| {
                let responded = count(row, "responded")?;
                let resolved = count(row, "resolved")?;
                let csat_answers = count(row, "csat_answers")?;
                let mean = |total: u64, n: u64| {
                    (n > 0).then(|| SignedDuration::from_micros(i64::try_from(total / n).unwrap_or(i64::MAX)))
                };
                Ok(MeasureRow {
                    group: row.try_get("grp")?,
                    tickets: count(row, "tickets")?,
                    responded,
                    first_response_met: count(row, "first_met")?,
                    first_response_breached: count(row, "first_breached")?,
                    mean_first_response: mean(count(row, "first_work")?, responded),
                    resolved,
                    resolution_met: count(row, "resolution_met")?,
                    resolution_breached: count(row, "resolution_breached")?,
                    mean_resolution: mean(count(row, "resolution_work")?, resolved),
                    csat_answers,
                    #[expect(clippy::cast_precision_loss, reason = "a mean of scores from 1 to 5")]
                    mean_csat: (csat_answers > 0)
                        .then(|| count(row, "csat_sum").map(|sum| sum as f64 / csat_answers as f64))
                        .transpose()?,
                })
            })
            .collect()
    }

    /// A branch's working hours as stored (`Mon-Fri 09:30-18:00; …`), if set.
    pub async fn branch_hours(&self, branch_id: BranchId) -> Result<Option<String>, StoreError> {
        let query = Query::select()
            .column(BranchHours::Hours)
            .from(BranchHours::Table)
            .and_where(Expr::col(BranchHours::BranchId).eq(branch_id.to_string()))
            .to_owned();
        let mut conn = self.reader().await?;
        Ok(fetch_optional(&mut conn, &query).await?.map(|row| row.try_get("hours")).transpose()?)
    }

    /// A branch's own days off, in date order.
    pub async fn branch_holidays(&self, branch_id: BranchId) -> Result<Vec<Holiday>, StoreError> {
        let query = Query::select()
            .columns([BranchHolidays::Date, BranchHolidays::Name, BranchHolidays::Source])
            .from(BranchHolidays::Table)
            .and_where(Expr::col(BranchHolidays::BranchId).eq(branch_id.to_string()))
            .order_by(BranchHolidays::Date, Order::Asc)
            .to_owned();
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query)
            .await?
            .iter()
            .map(|row| {
                let date: String = row.try_get("date")?;
                Ok(Holiday {
                    date: date.parse().map_err(|_| StoreError::Corrupt(format!("branch_holidays.date {date}")))?,
                    name: row.try_get("name")?,
                    source: row.try_get("source")?,
                })
            })
            .collect()
    }

    /// The SLA policies in the order they are tried.
    pub async fn sla_policies(&self) -> Result<Vec<StoredPolicy>, StoreError> {
        let query = Query::select()
            .columns([
                SlaPolicies::Id,
                SlaPolicies::Name,
                SlaPolicies::Source,
                SlaPolicies::Priority,
                SlaPolicies::Tier,
                SlaPolicies::FirstResponse,
                SlaPolicies::NextResponse,
                SlaPolicies::Resolution,
            ])
            .from(SlaPolicies::Table)
            .order_by(SlaPolicies::Position, Order::Asc)
            .to_owned();
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query)
            .await?
            .iter()
            .map(|row| {
                Ok(StoredPolicy {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    source: row.try_get("source")?,
                    priority: row.try_get("priority")?,
                    tier: row.try_get("tier")?,
                    first_response: row.try_get("first_response")?,
                    next_response: row.try_get("next_response")?,
                    resolution: row.try_get("resolution")?,
                })
            })
            .collect()
    }
}

impl Tx {
    /// The next ticket number: one counter row, incremented in the transaction that
    /// creates the ticket (a row lock on PostgreSQL; SQLite has one writer).
    pub async fn next_ticket_number(&mut self) -> Result<u64, StoreError> {
        let upsert = Query::insert()
            .into_table(Counters::Table)
            .columns([Counters::Name, Counters::Value])
            .values_panic(["ticket".into(), 1_i64.into()])
            .on_conflict(
                OnConflict::column(Counters::Name)
                    .value(Counters::Value, Expr::col((Counters::Table, Counters::Value)).add(1))
                    .to_owned(),
            )
            .returning_col(Counters::Value)
            .to_owned();
        let row = fetch_optional(self, &upsert).await?.ok_or(StoreError::NotFound)?;
        let value: i64 = row.try_get("value")?;
        u64::try_from(value).map_err(|_| StoreError::Corrupt("counters.value".into()))
    }

    pub async fn insert_ticket(&mut self, ticket: &Ticket) -> Result<(), StoreError> {
        let insert =
            Query::insert().into_table(Tickets::Table).columns(COLUMNS).values_panic(values(ticket)).to_owned();
        execute(self, &insert).await.map_err(|err| conflict_on(err, "number"))?;
        Ok(())
    }

    /// A ticket read to be changed in this transaction: locked on PostgreSQL, so two
    /// replies at once are applied one after the other.
    pub async fn ticket_for_update(&mut self, scope: &Scope, id: TicketId) -> Result<Option<Ticket>, StoreError> {
        let mut query = select(scope).and_where(Expr::col(Tickets::Id).eq(id.to_string())).to_owned();
        if self.engine == Engine::Postgres {
            // Dialect difference: row locks exist only on PostgreSQL.
            query.lock(LockType::Update);
        }
        fetch_optional(self, &query).await?.as_ref().map(from_row).transpose()
    }

    /// Writes a changed ticket, whose `version` is the one it was read at; answers
    /// [`StoreError::VersionMismatch`] when someone changed it since.
    pub async fn update_ticket(&mut self, ticket: &Ticket) -> Result<Ticket, StoreError> {
        let mut changed = ticket.clone();
        changed.version = ticket.version + 1;
        let mut update = Query::update().table(Tickets::Table).to_owned();
        for (column, value) in COLUMNS.into_iter().zip(values(&changed)).skip(1) {
            update.value(column, value);
        }
        update
            .and_where(Expr::col(Tickets::Id).eq(ticket.id.to_string()))
            .and_where(Expr::col(Tickets::Version).eq(ticket.version));
        if execute(self, &update).await? == 0 {
            let query = Query::select()
                .column(Tickets::Version)
                .from(Tickets::Table)
                .and_where(Expr::col(Tickets::Id).eq(ticket.id.to_string()))
                .to_owned();
            let current = fetch_optional(self, &query).await?.ok_or(StoreError::NotFound)?;
            return Err(StoreError::VersionMismatch { expected: ticket.version, current: current.try_get("version")? });
        }
        Ok(changed)
    }

    /// Adds an entry to a ticket's conversation; answers false when an e-mail with the
    /// same Message-ID is already there (the mailbox was read twice).
    pub async fn insert_ticket_entry(&mut self, entry: &TicketEntry) -> Result<bool, StoreError> {
        let insert = Query::insert()
            .into_table(TicketEntries::Table)
            .columns(ENTRY_COLUMNS)
            .values_panic([
                entry.id.to_string().into(),
                entry.ticket_id.to_string().into(),
                entry.kind.as_str().into(),
                entry.author_id.map(|id| id.to_string()).into(),
                entry.body.as_str().into(),
                entry.mail_id.clone().into(),
                entry.message_id.map(|id| id.to_string()).into(),
                entry.created_at.as_microsecond().into(),
            ])
            .on_conflict(OnConflict::column(TicketEntries::MailId).do_nothing().to_owned())
            .to_owned();
        Ok(execute(self, &insert).await? == 1)
    }

    /// The ticket a survey link belongs to, by the hash of its secret.
    /// (In a transaction, to record the answer.)
    pub async fn ticket_by_csat_hash(&mut self, hash: &str) -> Result<Option<Ticket>, StoreError> {
        fetch_optional(self, &by_csat_hash(hash)).await?.as_ref().map(from_row).transpose()
    }

    pub async fn set_branch_hours(
        &mut self,
        branch_id: BranchId,
        hours: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let upsert = Query::insert()
            .into_table(BranchHours::Table)
            .columns([BranchHours::BranchId, BranchHours::Hours, BranchHours::UpdatedAt])
            .values_panic([branch_id.to_string().into(), hours.into(), at.as_microsecond().into()])
            .on_conflict(
                OnConflict::column(BranchHours::BranchId)
                    .update_columns([BranchHours::Hours, BranchHours::UpdatedAt])
                    .to_owned(),
            )
            .to_owned();
        execute(self, &upsert).await?;
        Ok(())
    }

    /// Adds a day off (or renames one already there).
    pub async fn add_branch_holiday(&mut self, branch_id: BranchId, holiday: &Holiday) -> Result<(), StoreError> {
        let upsert = Query::insert()
            .into_table(BranchHolidays::Table)
            .columns([BranchHolidays::BranchId, BranchHolidays::Date, BranchHolidays::Name, BranchHolidays::Source])
            .values_panic([
                branch_id.to_string().into(),
                holiday.date.to_string().into(),
                holiday.name.as_str().into(),
                holiday.source.as_str().into(),
            ])
            .on_conflict(
                OnConflict::columns([BranchHolidays::BranchId, BranchHolidays::Date])
                    .update_columns([BranchHolidays::Name, BranchHolidays::Source])
                    .to_owned(),
            )
            .to_owned();
        execute(self, &upsert).await?;
        Ok(())
    }

    /// Removes a day off; answers whether there was one.
    pub async fn remove_branch_holiday(&mut self, branch_id: BranchId, date: Date) -> Result<bool, StoreError> {
        let delete = Query::delete()
            .from_table(BranchHolidays::Table)
            .and_where(Expr::col(BranchHolidays::BranchId).eq(branch_id.to_string()))
            .and_where(Expr::col(BranchHolidays::Date).eq(date.to_string()))
            .to_owned();
        Ok(execute(self, &delete).await? == 1)
    }

    /// Replaces every SLA policy with `policies`, in order.
    pub async fn replace_sla_policies(&mut self, policies: &[StoredPolicy], at: Timestamp) -> Result<(), StoreError> {
        execute(self, &Query::delete().from_table(SlaPolicies::Table).to_owned()).await?;
        if policies.is_empty() {
            return Ok(());
        }
        let insert = policies_insert(policies, at.as_microsecond());
        execute(self, &insert).await?;
        Ok(())
    }

    /// Removes what an erased person's tickets said; numbers, times and scores stay
    /// for the measures.
    pub async fn erase_tickets(&mut self, contact_id: ContactId) -> Result<(), StoreError> {
        let ids = Query::select()
            .column(Tickets::Id)
            .from(Tickets::Table)
            .and_where(Expr::col(Tickets::ContactId).eq(contact_id.to_string()))
            .to_owned();
        let entries = Query::update()
            .table(TicketEntries::Table)
            .value(TicketEntries::Body, "[erased]")
            .value(TicketEntries::MailId, Option::<String>::None)
            .and_where(Expr::col(TicketEntries::TicketId).in_subquery(ids))
            .to_owned();
        execute(self, &entries).await?;
        let tickets = Query::update()
            .table(Tickets::Table)
            .value(Tickets::Subject, "[erased]")
            .value(Tickets::CsatComment, Option::<String>::None)
            .value(Tickets::CsatHash, Option::<String>::None)
            .value(Tickets::Tags, "[]")
            .and_where(Expr::col(Tickets::ContactId).eq(contact_id.to_string()))
            .to_owned();
        execute(self, &tickets).await?;
        Ok(())
    }
}

/// Whether a deadline was kept (done by it) and whether it was broken (done after it,
/// or not done and past it at `now`).
fn kept_and_broken(done: Tickets, due: Tickets, now: i64) -> (Cond, Cond) {
    let kept = Cond::all().add(Expr::col(done).is_not_null()).add(Expr::col(done).lte(Expr::col(due)));
    let broken = Cond::any()
        .add(Expr::col(done).gt(Expr::col(due)))
        .add(Cond::all().add(Expr::col(done).is_null()).add(Expr::col(due).lt(now)));
    (kept, broken)
}

fn policies_insert(policies: &[StoredPolicy], at: i64) -> sea_query::InsertStatement {
    let mut insert = Query::insert()
        .into_table(SlaPolicies::Table)
        .columns([
            SlaPolicies::Id,
            SlaPolicies::Position,
            SlaPolicies::Name,
            SlaPolicies::Source,
            SlaPolicies::Priority,
            SlaPolicies::Tier,
            SlaPolicies::FirstResponse,
            SlaPolicies::NextResponse,
            SlaPolicies::Resolution,
            SlaPolicies::UpdatedAt,
        ])
        .to_owned();
    for (position, policy) in policies.iter().enumerate() {
        insert.values_panic([
            policy.id.as_str().into(),
            i64::try_from(position).unwrap_or(i64::MAX).into(),
            policy.name.as_str().into(),
            policy.source.clone().into(),
            policy.priority.clone().into(),
            policy.tier.clone().into(),
            policy.first_response.as_str().into(),
            policy.next_response.as_str().into(),
            policy.resolution.as_str().into(),
            at.into(),
        ]);
    }
    insert
}

/// The default SLA policies and the service desk's message templates, written by the
/// migration that creates the tables.
pub(crate) fn seed(engine: Engine) -> Vec<String> {
    let render = |statement: &sea_query::InsertStatement| match engine {
        Engine::Sqlite => statement.to_string(sea_query::SqliteQueryBuilder),
        Engine::Postgres => statement.to_string(sea_query::PostgresQueryBuilder),
    };
    let policies: Vec<StoredPolicy> = sambandh_domain::DEFAULT_POLICIES
        .iter()
        .map(|policy| StoredPolicy {
            id: policy.id.to_owned(),
            name: policy.name.to_owned(),
            source: policy.source.map(str::to_owned),
            priority: policy.priority.map(str::to_owned),
            tier: policy.tier.map(str::to_owned),
            first_response: policy.first_response.to_owned(),
            next_response: policy.next_response.to_owned(),
            resolution: policy.resolution.to_owned(),
        })
        .collect();
    let mut templates = Query::insert()
        .into_table(crate::schema::MessageTemplates::Table)
        .columns([
            crate::schema::MessageTemplates::Key,
            crate::schema::MessageTemplates::Language,
            crate::schema::MessageTemplates::Subject,
            crate::schema::MessageTemplates::Body,
            crate::schema::MessageTemplates::UpdatedAt,
        ])
        .to_owned();
    for (key, language, subject, body) in sambandh_domain::DESK_TEMPLATES {
        templates.values_panic([key.into(), language.into(), subject.into(), body.into(), 0_i64.into()]);
    }
    vec![render(&policies_insert(&policies, 0)), render(&templates)]
}

fn from_row(row: &AnyRow) -> Result<Ticket, StoreError> {
    let text = |column: &str| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(column)?) };
    let opt = |column: &str| -> Result<Option<String>, StoreError> { Ok(row.try_get::<Option<String>, _>(column)?) };
    let corrupt = |column: &str| StoreError::Corrupt(format!("tickets.{column}"));
    let at = |column: &str| -> Result<Option<Timestamp>, StoreError> {
        row.try_get::<Option<i64>, _>(column)?
            .filter(|value| *value != NO_DEADLINE)
            .map(Timestamp::from_microsecond)
            .transpose()
            .map_err(|_| corrupt(column))
    };
    let work = |column: &str| -> Result<Option<SignedDuration>, StoreError> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(SignedDuration::from_micros))
    };
    let id = |column: &str| -> Result<Option<String>, StoreError> { opt(column) };
    Ok(Ticket {
        id: text("id")?.parse().map_err(|_| corrupt("id"))?,
        number: u64::try_from(row.try_get::<i64, _>("number")?).map_err(|_| corrupt("number"))?,
        contact_id: text("contact_id")?.parse().map_err(|_| corrupt("contact_id"))?,
        branch_id: id("branch_id")?.map(|id| id.parse()).transpose().map_err(|_| corrupt("branch_id"))?,
        assignee_id: id("assignee_id")?.map(|id| id.parse()).transpose().map_err(|_| corrupt("assignee_id"))?,
        source: TicketSource::parse(&text("source")?).map_err(|_| corrupt("source"))?,
        subject: text("subject")?,
        language: text("language")?,
        status: TicketStatus::parse(&text("status")?).map_err(|_| corrupt("status"))?,
        priority: TicketPriority::parse(&text("priority")?).map_err(|_| corrupt("priority"))?,
        tier: opt("tier")?.map(|tier| ValueTier::parse(&tier)).transpose().map_err(|_| corrupt("tier"))?,
        tags: serde_json::from_str(&text("tags")?).map_err(|_| corrupt("tags"))?,
        policy_id: opt("policy_id")?,
        created_at: instant(row, "created_at")?,
        updated_at: instant(row, "updated_at")?,
        version: row.try_get("version")?,
        customer_at: instant(row, "customer_at")?,
        first_response_due: at("first_response_due")?,
        first_response_at: at("first_response_at")?,
        first_response_work: work("first_response_work")?,
        next_response_due: at("next_response_due")?,
        resolution_due: at("resolution_due")?,
        resolved_at: at("resolved_at")?,
        resolution_work: work("resolution_work")?,
        due_at: at("due_at")?,
        paused_since: at("paused_since")?,
        paused_work: work("paused_work")?.unwrap_or_default(),
        reminded_due: at("reminded_due")?,
        escalated_due: at("escalated_due")?,
        csat_hash: opt("csat_hash")?,
        csat_score: row.try_get::<Option<i64>, _>("csat_score")?.map(|score| u8::try_from(score).unwrap_or(0)),
        csat_comment: opt("csat_comment")?,
        csat_at: at("csat_at")?,
    })
}

fn entry_from_row(row: &AnyRow) -> Result<TicketEntry, StoreError> {
    let text = |column: &str| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(column)?) };
    let opt = |column: &str| -> Result<Option<String>, StoreError> { Ok(row.try_get::<Option<String>, _>(column)?) };
    let corrupt = |column: &str| StoreError::Corrupt(format!("ticket_entries.{column}"));
    Ok(TicketEntry {
        id: text("id")?.parse().map_err(|_| corrupt("id"))?,
        ticket_id: text("ticket_id")?.parse().map_err(|_| corrupt("ticket_id"))?,
        kind: TicketEntryKind::parse(&text("kind")?).map_err(|_| corrupt("kind"))?,
        author_id: opt("author_id")?.map(|id| id.parse()).transpose().map_err(|_| corrupt("author_id"))?,
        body: text("body")?,
        mail_id: opt("mail_id")?,
        message_id: opt("message_id")?.map(|id| id.parse()).transpose().map_err(|_| corrupt("message_id"))?,
        created_at: instant(row, "created_at")?,
    })
}
