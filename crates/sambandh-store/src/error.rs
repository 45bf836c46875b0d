use std::fmt;

/// What can go wrong in storage, in variants callers branch on.
#[derive(thiserror::Error)]
pub enum StoreError {
    #[error("the record was not found")]
    NotFound,
    /// A unique value is already taken (`field` names it).
    #[error("{field} is already used by another record")]
    Conflict { field: &'static str },
    /// An update was based on an older version than the stored one.
    #[error("the record was changed since version {expected}; it is now at version {current}")]
    VersionMismatch { expected: i64, current: i64 },
    #[error("a pagination cursor is not valid")]
    BadCursor,
    /// A stored value no longer passes the domain's rules.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The database stayed busy past our patience (readers holding old snapshots).
    #[error("the database is busy: {0}")]
    Busy(&'static str),
    #[error("the database URL is not supported: {0}")]
    UnsupportedUrl(String),
    #[error("database error")]
    Database(#[from] sqlx::Error),
}

impl fmt::Debug for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{self}")?;
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            writeln!(f, "Caused by:\n\t{cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

/// Maps a unique-constraint violation to [`StoreError::Conflict`] naming `field`.
pub(crate) fn conflict_on(err: sqlx::Error, field: &'static str) -> StoreError {
    match &err {
        sqlx::Error::Database(db_err) if db_err.is_unique_violation() => StoreError::Conflict { field },
        _ => StoreError::Database(err),
    }
}
