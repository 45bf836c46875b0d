//! The audit log: appended to, read, never changed — except that erasing a person
//! removes the personal values its entries quote ([`Tx::redact_audit`]).

use jiff::Timestamp;
use sambandh_domain::UserId;
use sea_query::{Expr, ExprTrait, Query};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::instant;
use crate::db::execute;
use crate::paging::{Keyset, fetch_page};
use crate::schema::AuditLog;
use crate::{Page, PageRequest, Store, StoreError, Tx};

/// The action of an entry recording that someone was shown a record. Views are most of
/// the log (one per record shown), so they are kept out of its index by record (since
/// migration 10): an entry written at a random place of a large index on every read
/// cost the server a sixth of its time under a read load. Views by an actor and by time
/// stay indexed; a record's views are found by reading the log through (bounded by
/// `since` and `until` when given). A view quotes nothing: its `changes` and `detail`
/// are not stored, so that erasing a person finds everything the log quotes of them
/// through the index.
pub const VIEW_ACTION: &str = "view";

/// The condition of the index by record (and of queries that want it used): a literal,
/// not a bound parameter, so that both planners can match it to the partial index.
pub(crate) const INDEXED_BY_RECORD: &str = "action <> 'view'";

/// One audited event. The vocabulary (actions, record types, the shape of `changes`)
/// is the app's, but for [`VIEW_ACTION`]; the store keeps it as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// A UUIDv7: entries sort by it in time order.
    pub id: String,
    pub at: Timestamp,
    pub actor_id: Option<UserId>,
    /// Who, readable: the e-mail of the member of staff, or "local operator".
    pub actor: String,
    /// How: session, token, cli, system.
    pub via: String,
    /// From where: the client's IP address.
    pub address: Option<String>,
    pub action: String,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    /// JSON: the changed fields with their values before and after.
    pub changes: Option<String>,
    pub detail: Option<String>,
}

/// Which entries to read; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub record_id: Option<String>,
    pub actor_id: Option<UserId>,
    pub action: Option<String>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

const COLUMNS: [AuditLog; 11] = [
    AuditLog::Id,
    AuditLog::At,
    AuditLog::ActorId,
    AuditLog::Actor,
    AuditLog::Via,
    AuditLog::Address,
    AuditLog::Action,
    AuditLog::RecordType,
    AuditLog::RecordId,
    AuditLog::Changes,
    AuditLog::Detail,
];

impl Store {
    /// Entries newest first, a page at a time. A record's entries of any action but
    /// views come through the index by record; with views (no action, or views asked
    /// for) the log is read through from the newest entry (see [`VIEW_ACTION`]).
    pub async fn audit(&self, filter: &AuditFilter, page: &PageRequest) -> Result<Page<AuditEntry>, StoreError> {
        let mut query = Query::select().columns(COLUMNS).from(AuditLog::Table).to_owned();
        if let Some(record_id) = &filter.record_id {
            query.and_where(Expr::col(AuditLog::RecordId).eq(record_id.as_str()));
            if filter.action.as_deref().is_some_and(|action| action != VIEW_ACTION) {
                query.and_where(Expr::cust(INDEXED_BY_RECORD));
            }
        }
        if let Some(actor_id) = filter.actor_id {
            query.and_where(Expr::col(AuditLog::ActorId).eq(actor_id.to_string()));
        }
        if let Some(action) = &filter.action {
            query.and_where(Expr::col(AuditLog::Action).eq(action.as_str()));
        }
        // The id range narrows by the millisecond through the primary key; `at` is exact.
        if let Some(since) = filter.since {
            query.and_where(Expr::col(AuditLog::Id).gte(first_id_of_millisecond(since.as_millisecond())));
            query.and_where(Expr::col(AuditLog::At).gte(since.as_microsecond()));
        }
        if let Some(until) = filter.until {
            query.and_where(Expr::col(AuditLog::Id).lt(first_id_of_millisecond(until.as_millisecond() + 1)));
            query.and_where(Expr::col(AuditLog::At).lt(until.as_microsecond()));
        }
        let mut conn = self.reader().await?;
        fetch_page(&mut conn, query, &Keyset::new("audit", AuditLog::Id, true, AuditLog::Id, true), page, from_row)
            .await
    }

    /// Appends entries in their own transaction (events that go with no write of
    /// their own: reads, sign-ins).
    pub async fn append_audit(&self, entries: &[AuditEntry]) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        tx.append_audit(entries).await?;
        tx.commit().await
    }
}

impl Tx {
    /// Appends entries in the transaction of the change they record, so that a change
    /// and its entry are stored together or not at all.
    pub async fn append_audit(&mut self, entries: &[AuditEntry]) -> Result<(), StoreError> {
        // Chunks of one size: the statement is prepared once per connection and reused
        // (sqlx caches prepared statements by their text), not parsed anew per batch.
        for chunk in entries.chunks(50) {
            let mut insert = Query::insert().into_table(AuditLog::Table).columns(COLUMNS).to_owned();
            for entry in chunk {
                let quotes = |value: &Option<String>| value.clone().filter(|_| entry.action != VIEW_ACTION);
                insert.values_panic([
                    entry.id.as_str().into(),
                    entry.at.as_microsecond().into(),
                    entry.actor_id.map(|id| id.to_string()).into(),
                    entry.actor.as_str().into(),
                    entry.via.as_str().into(),
                    entry.address.clone().into(),
                    entry.action.as_str().into(),
                    entry.record_type.clone().into(),
                    entry.record_id.clone().into(),
                    quotes(&entry.changes).into(),
                    quotes(&entry.detail).into(),
                ]);
            }
            execute(self, &insert).await?;
        }
        Ok(())
    }

    /// Removes what the entries about a record quote of it (the values before and
    /// after each change, free-text details), keeping who did what and when. Views
    /// quote nothing, so the index by record finds every entry to redact.
    pub async fn redact_audit(&mut self, record_id: &str) -> Result<u64, StoreError> {
        let update = Query::update()
            .table(AuditLog::Table)
            .value(AuditLog::Changes, Expr::value(Option::<String>::None))
            .value(AuditLog::Detail, Expr::value(Option::<String>::None))
            .and_where(Expr::col(AuditLog::RecordId).eq(record_id))
            .and_where(Expr::cust(INDEXED_BY_RECORD))
            .to_owned();
        Ok(execute(self, &update).await?)
    }
}

/// The smallest UUIDv7 of a Unix millisecond, as the text ids are stored in (which
/// sorts as the ids do).
fn first_id_of_millisecond(millisecond: i64) -> String {
    let millisecond = u128::try_from(millisecond.clamp(0, (1 << 48) - 1)).unwrap_or_default();
    let version = 0x7u128 << 76;
    let variant = 0b10u128 << 62;
    uuid::Uuid::from_u128((millisecond << 80) | version | variant).hyphenated().to_string()
}

fn from_row(row: &AnyRow) -> Result<AuditEntry, StoreError> {
    let actor_id: Option<String> = row.try_get("actor_id")?;
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at: instant(row, "at")?,
        actor_id: actor_id
            .map(|id| id.parse().map_err(|_| StoreError::Corrupt(format!("audit_log.actor_id {id}"))))
            .transpose()?,
        actor: row.try_get("actor")?,
        via: row.try_get("via")?,
        address: row.try_get("address")?,
        action: row.try_get("action")?,
        record_type: row.try_get("record_type")?,
        record_id: row.try_get("record_id")?,
        changes: row.try_get("changes")?,
        detail: row.try_get("detail")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_by_record_leaves_out_views_only() {
        assert_eq!(INDEXED_BY_RECORD, format!("action <> '{VIEW_ACTION}'"));
    }

    #[test]
    fn the_first_id_of_a_millisecond_bounds_the_ids_made_in_it() {
        let at = Timestamp::from_millisecond(1_790_000_000_123).unwrap();
        let ts = uuid::Timestamp::from_unix(uuid::NoContext, 1_790_000_000, 123_000_000);
        let made = uuid::Uuid::new_v7(ts).hyphenated().to_string();
        assert!(first_id_of_millisecond(at.as_millisecond()) <= made);
        assert!(first_id_of_millisecond(at.as_millisecond() + 1) > made);
        assert_eq!(uuid::Uuid::parse_str(&first_id_of_millisecond(0)).unwrap().get_version_num(), 7);
    }
}
