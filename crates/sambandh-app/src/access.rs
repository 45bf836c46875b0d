//! Who is asking, and what that lets them do.

use sambandh_domain::{Action, BranchId, Role, Scope, User, UserId};

use crate::{AppError, AppResult};

/// Who is asking. Every operation takes one first.
#[derive(Debug, Clone)]
pub enum Caller {
    /// Someone at the machine with the database in hand (the CLI): may do everything,
    /// as they could with the database file itself. Audited as "local operator".
    LocalOperator,
    /// A member of staff who proved who they are over HTTP.
    Staff(Staff),
}

/// A signed-in member of staff.
#[derive(Debug, Clone)]
pub struct Staff {
    pub user: User,
    pub credential: Credential,
    /// The client's address, as the server saw it.
    pub address: Option<String>,
}

/// What a member of staff signed in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A browser or API session; `csrf_token` must come with every change it makes.
    Session { token_hash: String, csrf_token: String },
    /// An API bearer token.
    Token { id: String },
}

impl Caller {
    /// The records this caller can see; the condition every query is narrowed by.
    pub fn scope(&self) -> Scope {
        match self {
            Self::LocalOperator => Scope::Everything,
            Self::Staff(staff) => Scope::of(staff.user.data.role, staff.user.data.branch_id, staff.user.id),
        }
    }

    /// Refuses with [`AppError::Forbidden`] unless the caller's role allows `action`.
    pub fn require(&self, action: Action) -> AppResult<()> {
        match self {
            Self::LocalOperator => Ok(()),
            Self::Staff(staff) if staff.user.data.role.may(action) => Ok(()),
            Self::Staff(staff) => {
                Err(AppError::Forbidden(format!("a {} may not {}", staff.user.data.role, describe(action))))
            }
        }
    }

    pub fn role(&self) -> Role {
        match self {
            Self::LocalOperator => Role::Owner,
            Self::Staff(staff) => staff.user.data.role,
        }
    }

    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Self::LocalOperator => None,
            Self::Staff(staff) => Some(staff.user.id),
        }
    }

    pub fn branch_id(&self) -> Option<BranchId> {
        match self {
            Self::LocalOperator => None,
            Self::Staff(staff) => staff.user.data.branch_id,
        }
    }

    /// Fills in the caller's own branch when a new record names none.
    pub(crate) fn default_branch(&self, branch: &mut Option<String>) {
        if branch.as_deref().is_none_or(|branch| branch.trim().is_empty())
            && let Some(branch_id) = self.branch_id()
        {
            *branch = Some(branch_id.to_string());
        }
    }

    pub fn staff(&self) -> Option<&Staff> {
        match self {
            Self::LocalOperator => None,
            Self::Staff(staff) => Some(staff),
        }
    }
}

fn describe(action: Action) -> &'static str {
    match action {
        Action::Read => "read records",
        Action::Write => "change records",
        Action::Delete => "delete records",
        Action::Export => "export records",
        Action::Import => "import records",
        Action::ManageBranches => "manage branches",
        Action::ManageUsers => "manage staff accounts",
        Action::Configure => "change the organisation's settings",
        Action::ReadAudit => "read the audit log",
        Action::PersonRights => "hand over or erase a person's data",
    }
}
