//! Branches of the business.

use sambandh_domain::{Action, Branch, BranchId, BranchInput, NewBranch};
use serde_json::json;

use crate::audit::action;
use crate::{App, AppResult, Caller};

impl App {
    pub async fn add_branch(&self, caller: &Caller, input: &BranchInput) -> AppResult<Branch> {
        caller.require(Action::ManageBranches)?;
        let data = NewBranch::parse(input)?;
        let id = BranchId::from_uuid(crate::new_uuid());
        let now = crate::now();
        let details = json!({"name": data.name.as_str()});
        let mut tx = self.store.begin().await?;
        tx.insert_branch(id, &data, now).await?;
        tx.append_audit(&[self.audit_entry(caller, action::CREATE, Some(("branch", id.to_string())), Some(details))])
            .await?;
        tx.commit().await?;
        Ok(Branch { id, data, created_at: now })
    }

    /// Every branch: their names are no secret to anyone signed in.
    pub async fn branches(&self, caller: &Caller) -> AppResult<Vec<Branch>> {
        caller.require(Action::Read)?;
        Ok(self.store.branches().await?)
    }
}
