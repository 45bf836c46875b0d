//! Sambandh's operations: the one API that the HTTP API, the web UI, the CLI and the
//! background jobs all call.
//!
//! Every operation takes the [`Caller`] first, so that access rules and the audit
//! trail have one place to live. Operations resolve names (a branch given by name),
//! make ids and timestamps, validate through the domain and write through the store
//! in one transaction per unit of work.
//!
//! What does not belong here: HTTP, HTML, JSON shapes of the API, terminal output.

mod access;
pub mod audit;
pub mod auth;
pub mod branches;
pub mod business_hours;
pub mod calendar;
pub mod call_scripts;
pub mod companies;
pub mod consent;
pub mod contacts;
pub mod deals;
pub mod demo;
pub mod desk;
pub mod directory;
pub mod exports;
pub mod greetings;
pub mod imports;
pub mod jobs;
pub mod mailbox;
pub mod orders;
pub mod outbox;
pub mod privacy;
pub mod tasks;
pub mod timeline;
pub mod users;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub use access::{Caller, Credential, Staff};
use sambandh_domain::ValidationErrors;
use sambandh_store::{Store, StoreError};

/// The application: the store and the operations on it.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
    audit_writer: audit::AuditWriter,
    throttle: Arc<auth::Throttle>,
    credentials: Arc<auth::CredentialCache>,
    calendars: Arc<business_hours::CalendarCache>,
}

impl App {
    /// The application over `store`. Starts the audit writer on the current Tokio
    /// runtime.
    pub fn new(store: Store) -> Self {
        let audit_writer = audit::AuditWriter::spawn(store.clone());
        Self { store, audit_writer, throttle: Arc::default(), credentials: Arc::default(), calendars: Arc::default() }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// What an operation can answer instead of a result.
#[derive(thiserror::Error)]
pub enum AppError {
    /// The input broke rules; each error names its field.
    #[error("invalid input: {0}")]
    Validation(ValidationErrors),
    #[error("not found")]
    NotFound,
    /// No valid session or token came with the request.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller's role does not allow the operation.
    #[error("{0}")]
    Forbidden(String),
    /// Too many failed sign-ins; try again after `retry_after`.
    #[error("too many failed sign-ins; try again in {} seconds", retry_after.as_secs())]
    TooManyAttempts { retry_after: Duration },
    /// A unique value (e-mail, GSTIN, external id, branch name) is taken.
    #[error("{field} is already used by another record")]
    Conflict { field: &'static str },
    /// The record changed since the version the caller based its change on.
    #[error("the record is at version {current}, not {expected}")]
    VersionMismatch { expected: i64, current: i64 },
    #[error("{0}")]
    BadRequest(String),
    #[error("unexpected error")]
    Unexpected(#[from] anyhow::Error),
}

impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{self}")?;
        if let Self::Unexpected(err) = self {
            write!(f, "{err:?}")?;
        }
        Ok(())
    }
}

impl From<ValidationErrors> for AppError {
    fn from(errors: ValidationErrors) -> Self {
        Self::Validation(errors)
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict { field } => Self::Conflict { field },
            StoreError::VersionMismatch { expected, current } => Self::VersionMismatch { expected, current },
            StoreError::BadCursor => Self::BadRequest("the cursor is not valid for this list".into()),
            other => Self::Unexpected(anyhow::Error::new(other)),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The current instant at the precision the store keeps (microseconds), so that what an
/// operation returns equals what a later read returns.
pub(crate) fn now() -> jiff::Timestamp {
    let now = jiff::Timestamp::now();
    jiff::Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now)
}

/// A new time-ordered id.
pub(crate) fn new_uuid() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
