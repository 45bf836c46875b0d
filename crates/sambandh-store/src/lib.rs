//! Sambandh's persistence on SQLite and PostgreSQL from one codebase.
//!
//! One schema (written once with sea-query's schema builder, `schema.rs`) and one query
//! per operation (built with sea-query, rendered for the engine at hand and run through
//! sqlx's `Any` driver). Engine-specific code exists only where a dialect truly differs,
//! and each such place says so.
//!
//! What belongs here: tables, migrations, queries, the mapping between rows and domain
//! values. What does not: rules (they are the domain's), authorisation and audit (the
//! app's), HTTP or CLI concerns.
//!
//! Storage conventions: ids are UUID text; instants are `BIGINT` microseconds since the
//! Unix epoch (UTC); civil dates are ISO text; lists and maps that are read with their
//! row (e-mails, phones, tags, names in other scripts, custom fields) are JSON text in
//! the row, with side tables (`contact_emails`, `contact_phones`, `contact_tags`) that
//! index them for lookups and filters and are written in the same transaction.

mod access;
mod audit;
mod branches;
mod call_scripts;
mod companies;
mod consents;
mod contacts;
mod db;
mod deals;
mod error;
mod greetings;
mod orders;
mod outbox;
mod paging;
mod schema;
mod scope;
mod tasks;
#[cfg(feature = "testkit")]
pub mod testkit;
mod tickets;
mod timeline;
mod users;

pub use access::{ApiToken, NewSession, SessionRecord};
pub use audit::{AuditEntry, AuditFilter, VIEW_ACTION};
pub use companies::{CompanyFilter, CompanySort, LinkOwner};
pub use contacts::{ContactFilter, ContactMatch, ContactSort, DeferredIndexes};
pub use db::{Engine, Store, Tx, Workload, sqlite_readers};
pub use deals::DealFilter;
pub use error::StoreError;
pub use greetings::{Addressee, FestivalDate, GreetingFilter, MessageTemplate, OccasionChoice, OccasionQuery};
pub use outbox::{MessageAttempt, MessageFilter, OutboundMessage};
pub use tasks::TaskFilter;
pub use tickets::{
    AgentCandidate, AssigneeFilter, Holiday, MeasureGroup, MeasureRow, StoredPolicy, Ticket, TicketEntry, TicketFilter,
};
pub use timeline::TimelineEntry;

/// A page of a list and the cursor of the next one, if there is more.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The size and position of a requested page.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub limit: u32,
    pub cursor: Option<String>,
}

impl PageRequest {
    pub const MAX_LIMIT: u32 = 500;
    pub const DEFAULT_LIMIT: u32 = 50;

    pub fn effective_limit(&self) -> u64 {
        let limit = if self.limit == 0 { Self::DEFAULT_LIMIT } else { self.limit.min(Self::MAX_LIMIT) };
        u64::from(limit)
    }
}
