//! The records other records refer to — branches and staff — read whole (a business
//! has a handful of branches and tens or hundreds of staff), so that input can name
//! them the way people do: a branch by name, a member of staff by e-mail.

use sambandh_domain::{BranchId, References, UserId};

use crate::{App, AppResult};

#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// (id, lower-cased name).
    branches: Vec<(BranchId, String)>,
    /// (id, lower-cased e-mail).
    users: Vec<(UserId, String)>,
}

impl Directory {
    pub async fn load(app: &App) -> AppResult<Self> {
        let branches = app.store.branches().await?;
        let users = app.store.users().await?;
        Ok(Self {
            branches: branches.into_iter().map(|b| (b.id, b.data.name.as_str().to_lowercase())).collect(),
            users: users.into_iter().map(|u| (u.id, u.data.email.as_str().to_lowercase())).collect(),
        })
    }
}

fn find<Id: Copy + PartialEq + std::str::FromStr>(known: &[(Id, String)], raw: &str) -> Option<Id> {
    let raw = raw.trim();
    if let Ok(id) = raw.parse::<Id>() {
        return known.iter().find(|(candidate, _)| *candidate == id).map(|(id, _)| *id);
    }
    let key = raw.to_lowercase();
    known.iter().find(|(_, name)| *name == key).map(|(id, _)| *id)
}

impl References for Directory {
    fn branch(&self, raw: &str) -> Option<BranchId> {
        find(&self.branches, raw)
    }

    fn user(&self, raw: &str) -> Option<UserId> {
        find(&self.users, raw)
    }
}
