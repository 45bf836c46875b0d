//! The outbox: messages to one person each, written in the transaction that decided
//! to send them, and claimed by senders with a lease, so that a sender killed at any
//! moment loses nothing and sends each message once (only the one in flight at the kill
//! may go twice).

use jiff::Timestamp;
use sambandh_domain::{BranchId, Channel, ContactId, MessageId, MessageStatus, Purpose, Scope, UserId};
use sea_query::{Cond, Expr, ExprTrait, LockBehavior, LockType, OnConflict, Order, Query, SelectStatement};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::instant;
use crate::db::{Engine, execute, fetch_all, fetch_optional};
use crate::paging::{Keyset, fetch_page};
use crate::schema::{MessageAttempts, Messages};
use crate::{Page, PageRequest, Store, StoreError, Tx, scope};

/// A message to one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundMessage {
    pub id: MessageId,
    pub contact_id: ContactId,
    pub branch_id: Option<BranchId>,
    pub owner_id: Option<UserId>,
    pub channel: Channel,
    pub purpose: Purpose,
    /// An e-mail address, or a phone number in E.164.
    pub recipient: String,
    /// The name the message is signed and sent with (the contact's owner, say).
    pub from_name: Option<String>,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body: String,
    /// Not sent before this instant.
    pub not_before: Timestamp,
    pub status: MessageStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub sent_at: Option<Timestamp>,
    /// The secret of the message's unsubscribe link, kept until the message is sent;
    /// afterwards only its hash is.
    pub unsubscribe_token: Option<String>,
    pub unsubscribe_hash: Option<String>,
    /// Doing the same thing twice (approving a greeting again) queues nothing new.
    pub idempotency_key: String,
    pub created_at: Timestamp,
    /// The e-mail thread a reply belongs to: the Message-ID it answers and the ones
    /// before it (without angle brackets).
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// BCP 47, the language it is written in.
    pub language: Option<String>,
    /// An automatic answer (an acknowledgement, a survey): marked so (RFC 3834).
    pub auto_reply: bool,
}

/// One try at sending a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageAttempt {
    pub attempt: u32,
    pub at: Timestamp,
    /// `sent`, `retry` or `failed`.
    pub outcome: String,
    pub detail: Option<String>,
}

/// Which messages a list shows.
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    pub status: Option<MessageStatus>,
    pub contact_id: Option<ContactId>,
}

const COLUMNS: [Messages; 25] = [
    Messages::Id,
    Messages::ContactId,
    Messages::BranchId,
    Messages::OwnerId,
    Messages::Channel,
    Messages::Purpose,
    Messages::Priority,
    Messages::Recipient,
    Messages::FromName,
    Messages::ReplyTo,
    Messages::Subject,
    Messages::Body,
    Messages::NotBefore,
    Messages::Status,
    Messages::Attempts,
    Messages::LastError,
    Messages::SentAt,
    Messages::UnsubscribeToken,
    Messages::UnsubscribeHash,
    Messages::IdempotencyKey,
    Messages::CreatedAt,
    Messages::InReplyTo,
    Messages::ThreadRefs,
    Messages::Language,
    Messages::AutoReply,
];

/// Service messages go first, then greetings, then promotions.
fn priority(purpose: Purpose) -> i64 {
    match purpose {
        Purpose::Service => 0,
        Purpose::Greetings => 1,
        Purpose::Marketing => 2,
    }
}

fn select(scope: &Scope) -> SelectStatement {
    let mut query = Query::select().columns(COLUMNS).from(Messages::Table).to_owned();
    scope::owned_in(&mut query, scope, Messages::BranchId, Messages::OwnerId);
    query
}

impl Store {
    pub async fn message(&self, scope: &Scope, id: MessageId) -> Result<Option<OutboundMessage>, StoreError> {
        let query = select(scope).and_where(Expr::col(Messages::Id).eq(id.to_string())).to_owned();
        let mut conn = self.reader().await?;
        fetch_optional(&mut conn, &query).await?.as_ref().map(from_row).transpose()
    }

    /// Messages, newest first, a page at a time.
    pub async fn messages(
        &self,
        scope: &Scope,
        filter: &MessageFilter,
        page: &PageRequest,
    ) -> Result<Page<OutboundMessage>, StoreError> {
        let mut query = select(scope);
        if let Some(status) = filter.status {
            query.and_where(Expr::col(Messages::Status).eq(status.as_str()));
        }
        if let Some(contact_id) = filter.contact_id {
            query.and_where(Expr::col(Messages::ContactId).eq(contact_id.to_string()));
        }
        let keyset = Keyset::new("messages", Messages::Id, true, Messages::Id, true);
        let mut conn = self.reader().await?;
        fetch_page(&mut conn, query, &keyset, page, from_row).await
    }

    /// Every attempt at sending a message, in order.
    pub async fn message_attempts(&self, id: MessageId) -> Result<Vec<MessageAttempt>, StoreError> {
        let query = Query::select()
            .columns([MessageAttempts::Attempt, MessageAttempts::At, MessageAttempts::Outcome, MessageAttempts::Detail])
            .from(MessageAttempts::Table)
            .and_where(Expr::col(MessageAttempts::MessageId).eq(id.to_string()))
            .order_by(MessageAttempts::Attempt, Order::Asc)
            .to_owned();
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query)
            .await?
            .iter()
            .map(|row| {
                Ok(MessageAttempt {
                    attempt: u32::try_from(row.try_get::<i64, _>("attempt")?).unwrap_or(0),
                    at: instant(row, "at")?,
                    outcome: row.try_get("outcome")?,
                    detail: row.try_get("detail")?,
                })
            })
            .collect()
    }

    /// When the non-service messages to a contact since `since` were sent: what the
    /// frequency cap counts.
    pub async fn sent_times(&self, contact_id: ContactId, since: Timestamp) -> Result<Vec<Timestamp>, StoreError> {
        let query = Query::select()
            .column(Messages::SentAt)
            .from(Messages::Table)
            .and_where(Expr::col(Messages::ContactId).eq(contact_id.to_string()))
            .and_where(Expr::col(Messages::SentAt).gt(since.as_microsecond()))
            .and_where(Expr::col(Messages::Purpose).ne(Purpose::Service.as_str()))
            .to_owned();
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query).await?.iter().map(|row| instant(row, "sent_at")).collect()
    }

    /// How many messages are due at `now` and not yet sent (for a sender's report).
    pub async fn messages_due(&self, now: Timestamp) -> Result<i64, StoreError> {
        let query =
            Query::select().expr(Expr::col(Messages::Id).count()).from(Messages::Table).cond_where(due(now)).to_owned();
        let mut conn = self.reader().await?;
        let row = fetch_optional(&mut conn, &query).await?;
        Ok(row.map(|row| row.try_get::<i64, _>(0)).transpose()?.unwrap_or(0))
    }
}

/// Pending and due, or claimed by a sender whose lease ran out (it was killed).
fn due(now: Timestamp) -> Cond {
    let now = now.as_microsecond();
    Cond::any()
        .add(
            Expr::col(Messages::Status)
                .eq(MessageStatus::Pending.as_str())
                .and(Expr::col(Messages::NotBefore).lte(now)),
        )
        .add(
            Expr::col(Messages::Status)
                .eq(MessageStatus::Sending.as_str())
                .and(Expr::col(Messages::LeaseUntil).lt(now)),
        )
}

impl Tx {
    /// Queues a message; answers false when one with the same idempotency key exists.
    pub async fn insert_message(&mut self, message: &OutboundMessage) -> Result<bool, StoreError> {
        let insert = Query::insert()
            .into_table(Messages::Table)
            .columns(COLUMNS)
            .values_panic([
                message.id.to_string().into(),
                message.contact_id.to_string().into(),
                message.branch_id.map(|id| id.to_string()).into(),
                message.owner_id.map(|id| id.to_string()).into(),
                message.channel.as_str().into(),
                message.purpose.as_str().into(),
                priority(message.purpose).into(),
                message.recipient.as_str().into(),
                message.from_name.clone().into(),
                message.reply_to.clone().into(),
                message.subject.as_str().into(),
                message.body.as_str().into(),
                message.not_before.as_microsecond().into(),
                message.status.as_str().into(),
                i64::from(message.attempts).into(),
                message.last_error.clone().into(),
                message.sent_at.map(|at| at.as_microsecond()).into(),
                message.unsubscribe_token.clone().into(),
                message.unsubscribe_hash.clone().into(),
                message.idempotency_key.as_str().into(),
                message.created_at.as_microsecond().into(),
                message.in_reply_to.clone().into(),
                Some(message.references.join(" ")).filter(|refs| !refs.is_empty()).into(),
                message.language.clone().into(),
                i64::from(message.auto_reply).into(),
            ])
            .on_conflict(OnConflict::column(Messages::IdempotencyKey).do_nothing().to_owned())
            .to_owned();
        Ok(execute(self, &insert).await? == 1)
    }

    /// Claims up to `limit` due messages for one sender until `lease_until`, most
    /// important first, counting the attempt. On PostgreSQL, rows another sender holds
    /// are skipped; SQLite has one writer, so its transaction is the claim.
    pub async fn claim_messages(
        &mut self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u64,
    ) -> Result<Vec<OutboundMessage>, StoreError> {
        let mut query = Query::select()
            .columns(COLUMNS)
            .from(Messages::Table)
            .cond_where(due(now))
            .order_by(Messages::Priority, Order::Asc)
            .order_by(Messages::NotBefore, Order::Asc)
            .order_by(Messages::Id, Order::Asc)
            .limit(limit)
            .to_owned();
        if self.engine == Engine::Postgres {
            // Dialect difference: row locks exist only on PostgreSQL.
            query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let mut claimed: Vec<OutboundMessage> =
            fetch_all(self, &query).await?.iter().map(from_row).collect::<Result<_, _>>()?;
        if claimed.is_empty() {
            return Ok(claimed);
        }
        let ids: Vec<String> = claimed.iter().map(|m| m.id.to_string()).collect();
        let update = Query::update()
            .table(Messages::Table)
            .value(Messages::Status, MessageStatus::Sending.as_str())
            .value(Messages::LeaseUntil, lease_until.as_microsecond())
            .value(Messages::Attempts, Expr::col(Messages::Attempts).add(1))
            .and_where(Expr::col(Messages::Id).is_in(ids))
            .to_owned();
        execute(self, &update).await?;
        for message in &mut claimed {
            message.status = MessageStatus::Sending;
            message.attempts += 1;
        }
        Ok(claimed)
    }

    /// Records the end of an attempt: the message's new status (and when it may be
    /// tried again, if it goes back to pending), and the attempt itself.
    pub async fn finish_attempt(
        &mut self,
        message: &OutboundMessage,
        status: MessageStatus,
        at: Timestamp,
        retry_at: Option<Timestamp>,
        detail: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut update = Query::update()
            .table(Messages::Table)
            .value(Messages::Status, status.as_str())
            .value(Messages::LeaseUntil, Option::<i64>::None)
            .value(Messages::LastError, if status == MessageStatus::Sent { None } else { detail.map(str::to_owned) })
            .and_where(Expr::col(Messages::Id).eq(message.id.to_string()))
            .to_owned();
        if let Some(retry_at) = retry_at {
            update.value(Messages::NotBefore, retry_at.as_microsecond());
        }
        if status == MessageStatus::Sent {
            update
                .value(Messages::SentAt, at.as_microsecond())
                .value(Messages::UnsubscribeToken, Option::<String>::None);
        }
        execute(self, &update).await?;
        let outcome = match status {
            MessageStatus::Sent => "sent",
            MessageStatus::Pending => "retry",
            MessageStatus::Withheld => "withheld",
            MessageStatus::Sending | MessageStatus::Failed => "failed",
        };
        let attempt = Query::insert()
            .into_table(MessageAttempts::Table)
            .columns([
                MessageAttempts::MessageId,
                MessageAttempts::Attempt,
                MessageAttempts::At,
                MessageAttempts::Outcome,
                MessageAttempts::Detail,
            ])
            .values_panic([
                message.id.to_string().into(),
                i64::from(message.attempts).into(),
                at.as_microsecond().into(),
                outcome.into(),
                detail.map(str::to_owned).into(),
            ])
            .on_conflict(
                OnConflict::columns([MessageAttempts::MessageId, MessageAttempts::Attempt])
                    .update_columns([MessageAttempts::At, MessageAttempts::Outcome, MessageAttempts::Detail])
                    .to_owned(),
            )
            .to_owned();
        execute(self, &attempt).await?;
        Ok(())
    }

    /// Puts a claimed message back, untried, until `not_before` (quiet hours).
    pub async fn defer_message(&mut self, message: &OutboundMessage, not_before: Timestamp) -> Result<(), StoreError> {
        let update = Query::update()
            .table(Messages::Table)
            .value(Messages::Status, MessageStatus::Pending.as_str())
            .value(Messages::LeaseUntil, Option::<i64>::None)
            .value(Messages::NotBefore, not_before.as_microsecond())
            .value(Messages::Attempts, Expr::col(Messages::Attempts).sub(1))
            .and_where(Expr::col(Messages::Id).eq(message.id.to_string()))
            .to_owned();
        execute(self, &update).await?;
        Ok(())
    }

    /// The message an unsubscribe link belongs to, by the hash of its secret.
    pub async fn message_by_unsubscribe_hash(&mut self, hash: &str) -> Result<Option<OutboundMessage>, StoreError> {
        let query = Query::select()
            .columns(COLUMNS)
            .from(Messages::Table)
            .and_where(Expr::col(Messages::UnsubscribeHash).eq(hash))
            .to_owned();
        fetch_optional(self, &query).await?.as_ref().map(from_row).transpose()
    }

    /// Removes what an erased person's messages said and where they went; the facts
    /// (channel, purpose, status, when) stay.
    pub async fn erase_messages(&mut self, contact_id: ContactId) -> Result<(), StoreError> {
        let update = Query::update()
            .table(Messages::Table)
            .value(Messages::Recipient, "[erased]")
            .value(Messages::Subject, "[erased]")
            .value(Messages::Body, "[erased]")
            .value(Messages::UnsubscribeToken, Option::<String>::None)
            .and_where(Expr::col(Messages::ContactId).eq(contact_id.to_string()))
            .to_owned();
        execute(self, &update).await?;
        // Messages not yet sent never will be.
        let withhold = Query::update()
            .table(Messages::Table)
            .value(Messages::Status, MessageStatus::Withheld.as_str())
            .and_where(Expr::col(Messages::ContactId).eq(contact_id.to_string()))
            .and_where(
                Expr::col(Messages::Status).is_in([MessageStatus::Pending.as_str(), MessageStatus::Sending.as_str()]),
            )
            .to_owned();
        execute(self, &withhold).await?;
        Ok(())
    }
}

fn from_row(row: &AnyRow) -> Result<OutboundMessage, StoreError> {
    let text = |column: &str| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(column)?) };
    let opt = |column: &str| -> Result<Option<String>, StoreError> { Ok(row.try_get::<Option<String>, _>(column)?) };
    let corrupt = |column: &str| StoreError::Corrupt(format!("messages.{column}"));
    Ok(OutboundMessage {
        id: text("id")?.parse().map_err(|_| corrupt("id"))?,
        contact_id: text("contact_id")?.parse().map_err(|_| corrupt("contact_id"))?,
        branch_id: opt("branch_id")?.map(|id| id.parse()).transpose().map_err(|_| corrupt("branch_id"))?,
        owner_id: opt("owner_id")?.map(|id| id.parse()).transpose().map_err(|_| corrupt("owner_id"))?,
        channel: Channel::parse(&text("channel")?).map_err(|_| corrupt("channel"))?,
        purpose: Purpose::parse(&text("purpose")?).map_err(|_| corrupt("purpose"))?,
        recipient: text("recipient")?,
        from_name: opt("from_name")?,
        reply_to: opt("reply_to")?,
        subject: text("subject")?,
        body: text("body")?,
        not_before: instant(row, "not_before")?,
        status: MessageStatus::parse(&text("status")?).map_err(|_| corrupt("status"))?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).map_err(|_| corrupt("attempts"))?,
        last_error: opt("last_error")?,
        sent_at: row
            .try_get::<Option<i64>, _>("sent_at")?
            .map(Timestamp::from_microsecond)
            .transpose()
            .map_err(|_| corrupt("sent_at"))?,
        unsubscribe_token: opt("unsubscribe_token")?,
        unsubscribe_hash: opt("unsubscribe_hash")?,
        idempotency_key: text("idempotency_key")?,
        created_at: instant(row, "created_at")?,
        in_reply_to: opt("in_reply_to")?,
        references: opt("thread_refs")?
            .map(|refs| refs.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default(),
        language: opt("language")?,
        auto_reply: row.try_get::<i64, _>("auto_reply")? != 0,
    })
}
