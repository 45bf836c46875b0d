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
