//! References to other records, as users type them: a branch by name, a member of staff
//! by e-mail. The domain cannot look them up (no I/O); whoever parses input hands it a
//! [`References`] that can.

use crate::{BranchId, UserId};

/// Turns what was typed for a related record into its id, if there is such a record.
pub trait References {
    /// A branch by id or by name.
    fn branch(&self, raw: &str) -> Option<BranchId>;
    /// A member of staff by id or by e-mail.
    fn user(&self, raw: &str) -> Option<UserId>;
}

impl<T: References + ?Sized> References for &T {
    fn branch(&self, raw: &str) -> Option<BranchId> {
        (**self).branch(raw)
    }

    fn user(&self, raw: &str) -> Option<UserId> {
        (**self).user(raw)
    }
}

/// References given as ids only: for values read back from storage, where a
/// reference is always stored as the id (and the database's foreign keys keep it true).
#[derive(Debug, Clone, Copy, Default)]
pub struct StoredIds;

impl References for StoredIds {
    fn branch(&self, raw: &str) -> Option<BranchId> {
        raw.parse().ok()
    }

    fn user(&self, raw: &str) -> Option<UserId> {
        raw.parse().ok()
    }
}
