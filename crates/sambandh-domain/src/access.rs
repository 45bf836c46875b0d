//! Who may do what, and which records they can see at all.
//!
//! Two questions, kept apart. [`Role::may`] answers whether a role may perform a kind
//! of operation anywhere (a viewer may not write; only owners and admins read the
//! audit). [`Scope`] answers which records exist for that person: it becomes a `WHERE`
//! clause of every query, so a record out of scope is never read, and answers 404
//! exactly like one that does not exist.

use crate::{BranchId, Role, UserId};

/// A kind of operation that a role is or is not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read contacts and companies in scope (lists, lookups, counts, full records).
    Read,
    /// Create and change contacts, companies and their links, record consent.
    Write,
    Delete,
    /// Export the records in scope as CSV, JSON or vCard.
    Export,
    /// Import a CSV of contacts. Matching an imported row to an existing contact must
    /// see every contact, so imports are for those who see everything.
    Import,
    ManageBranches,
    ManageUsers,
    /// Set up how the organisation works: the pipeline's stages (later call scripts,
    /// greeting rules).
    Configure,
    ReadAudit,
    /// Answer a person's requests under the DPDP Act and GDPR: hand over everything we
    /// hold about them, erase it.
    PersonRights,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Self::Read,
        Self::Write,
        Self::Delete,
        Self::Export,
        Self::Import,
        Self::ManageBranches,
        Self::ManageUsers,
        Self::Configure,
        Self::ReadAudit,
        Self::PersonRights,
    ];
}

impl Role {
    /// The rights matrix. Owners and admins may do everything (an admin may not make
    /// or remove an owner, which [`Role::may_grant`] says); a manager runs a branch;
    /// an agent works its contacts but does not delete or export them; a viewer reads.
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match self {
            Self::Owner | Self::Admin => true,
            Self::Manager => matches!(action, Read | Write | Delete | Export),
            Self::Agent => matches!(action, Read | Write),
            Self::Viewer => matches!(action, Read),
        }
    }

    /// Whether someone with this role may create an account with role `granted`.
    pub fn may_grant(self, granted: Role) -> bool {
        match self {
            Self::Owner => true,
            Self::Admin => granted != Self::Owner,
            Self::Manager | Self::Agent | Self::Viewer => false,
        }
    }
}

/// The records a member of staff can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every record: owners, admins, and a viewer attached to no branch.
    Everything,
    /// The records of a branch, plus the contacts assigned to the user.
    Branch { branch_id: Option<BranchId>, user_id: UserId },
}

impl Scope {
    /// The scope of a member of staff. Managers, agents and viewers with a branch see
    /// that branch and the contacts assigned to them (an agent is often given a
    /// customer of another branch to look after).
    pub fn of(role: Role, branch_id: Option<BranchId>, user_id: UserId) -> Self {
        match (role, branch_id) {
            (Role::Owner | Role::Admin, _) | (Role::Viewer, None) => Self::Everything,
            _ => Self::Branch { branch_id, user_id },
        }
    }

    /// Whether a contact of `branch_id` looked after by `owner_id` is in scope: the
    /// same rule the queries apply, for checking a record before it is written.
    pub fn covers_contact(&self, branch_id: Option<BranchId>, owner_id: Option<UserId>) -> bool {
        match self {
            Self::Everything => true,
            Self::Branch { branch_id: mine, user_id } => {
                (mine.is_some() && branch_id == *mine) || owner_id == Some(*user_id)
            }
        }
    }

    /// Whether a company of `branch_id` may be changed or deleted: a branch's own
    /// companies by its staff; shared ones (no branch) only by those who see everything.
    pub fn may_change_company(&self, branch_id: Option<BranchId>) -> bool {
        match self {
            Self::Everything => true,
            Self::Branch { branch_id: mine, .. } => mine.is_some() && branch_id == *mine,
        }
    }

    /// Whether a company of `branch_id` is in scope. Companies without a branch are
    /// shared by every branch.
    pub fn covers_company(&self, branch_id: Option<BranchId>) -> bool {
        match self {
            Self::Everything => true,
            Self::Branch { branch_id: mine, .. } => branch_id.is_none() || branch_id == *mine,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> (BranchId, BranchId, UserId, UserId) {
        let id = |n: u128| uuid::Uuid::from_u128(n);
        (BranchId::from_uuid(id(1)), BranchId::from_uuid(id(2)), UserId::from_uuid(id(3)), UserId::from_uuid(id(4)))
    }

    #[test]
    fn an_agent_sees_the_branch_and_what_is_assigned_to_them() {
        let (mine, other, me, colleague) = ids();
        let scope = Scope::of(Role::Agent, Some(mine), me);
        assert!(scope.covers_contact(Some(mine), None));
        assert!(scope.covers_contact(Some(mine), Some(colleague)));
        assert!(scope.covers_contact(Some(other), Some(me)));
        assert!(!scope.covers_contact(Some(other), Some(colleague)));
        assert!(!scope.covers_contact(None, None));
        assert!(scope.covers_company(None) && scope.covers_company(Some(mine)) && !scope.covers_company(Some(other)));
        assert!(scope.may_change_company(Some(mine)) && !scope.may_change_company(None), "shared: read only");
    }

    #[test]
    fn owners_admins_and_unattached_viewers_see_everything() {
        let (mine, other, me, _) = ids();
        for scope in [Scope::of(Role::Owner, Some(mine), me), Scope::of(Role::Admin, None, me)] {
            assert_eq!(scope, Scope::Everything);
        }
        assert_eq!(Scope::of(Role::Viewer, None, me), Scope::Everything);
        assert!(!Scope::of(Role::Viewer, Some(mine), me).covers_contact(Some(other), None));
    }

    #[test]
    fn the_rights_matrix() {
        let allowed = |role: Role| Action::ALL.iter().filter(|a| role.may(**a)).count();
        assert_eq!(allowed(Role::Owner), Action::ALL.len());
        assert_eq!(allowed(Role::Admin), Action::ALL.len());
        assert!(Role::Manager.may(Action::Export) && !Role::Manager.may(Action::ReadAudit));
        assert!(Role::Agent.may(Action::Write) && !Role::Agent.may(Action::Delete) && !Role::Agent.may(Action::Export));
        assert_eq!(allowed(Role::Viewer), 1);
        assert!(!Role::Admin.may_grant(Role::Owner) && Role::Admin.may_grant(Role::Admin));
        assert!(Role::Owner.may_grant(Role::Owner) && !Role::Manager.may_grant(Role::Agent));
    }
}
