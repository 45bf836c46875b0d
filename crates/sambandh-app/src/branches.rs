//! Branches of the business.

use sambandh_domain::{Branch, BranchId, BranchInput, NewBranch};

use crate::{App, AppResult, Caller};

impl App {
    pub async fn add_branch(&self, _caller: &Caller, input: &BranchInput) -> AppResult<Branch> {
        let data = NewBranch::parse(input)?;
        let id = BranchId::from_uuid(crate::new_uuid());
        let now = crate::now();
        let mut tx = self.store.begin().await?;
        tx.insert_branch(id, &data, now).await?;
        tx.commit().await?;
        Ok(Branch { id, data, created_at: now })
    }

    pub async fn branches(&self, _caller: &Caller) -> AppResult<Vec<Branch>> {
        Ok(self.store.branches().await?)
    }
}

/// Turns what a user typed for a branch (its id, or its name in any case) into its id.
#[derive(Debug, Clone, Default)]
pub struct BranchResolver {
    branches: Vec<(BranchId, String)>,
}

impl BranchResolver {
    pub async fn load(app: &App) -> AppResult<Self> {
        let branches = app.store.branches().await?;
        Ok(Self { branches: branches.into_iter().map(|b| (b.id, b.data.name.as_str().to_lowercase())).collect() })
    }

    pub fn resolve(&self, raw: &str) -> Option<BranchId> {
        let raw = raw.trim();
        if let Ok(id) = raw.parse::<BranchId>() {
            return self.branches.iter().find(|(known, _)| *known == id).map(|(id, _)| *id);
        }
        let name = raw.to_lowercase();
        self.branches.iter().find(|(_, known)| *known == name).map(|(id, _)| *id)
    }
}
