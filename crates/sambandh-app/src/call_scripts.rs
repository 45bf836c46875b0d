//! Call scripts: set by the organisation per language, added to by branches, and
//! handed to the agent who logs a call in the caller's language.

use sambandh_domain::{
    Action, BranchId, CallScript, CallScriptInput, ContactId, LanguageTag, References, ResolvedScript, Role,
    ValidationErrors, resolve_script,
};
use serde_json::json;

use crate::audit::action;
use crate::directory::Directory;
use crate::{App, AppError, AppResult, Caller};

impl App {
    /// Every call script: the organisation's and the branches' additions.
    pub async fn call_scripts(&self, caller: &Caller) -> AppResult<Vec<CallScript>> {
        caller.require(Action::Read)?;
        Ok(self.store.call_scripts().await?)
    }

    /// Sets the organisation's script in a language (owners and admins), or with
    /// `branch` that branch's additions (also its manager).
    pub async fn set_call_script(
        &self,
        caller: &Caller,
        branch: Option<&str>,
        input: &CallScriptInput,
    ) -> AppResult<CallScript> {
        let script = match branch {
            None => {
                caller.require(Action::Configure)?;
                CallScript::parse_organisation(input)?
            }
            Some(raw) => {
                let directory = Directory::load(self).await?;
                let branch_id = directory
                    .branch(raw)
                    .ok_or_else(|| ValidationErrors::single("branch", format!("no branch is named '{raw}'")))?;
                let runs_it = caller.role() == Role::Manager && caller.branch_id() == Some(branch_id);
                if !runs_it {
                    caller.require(Action::Configure)?;
                }
                CallScript::parse_branch(input, branch_id)?
            }
        };
        let record = format!("{}:{}", script.branch_id.map(|id| id.to_string()).unwrap_or_default(), script.language);
        let details = json!({"language": script.language.as_str()});
        let mut tx = self.store.begin().await?;
        tx.put_call_script(&script, crate::now()).await?;
        tx.append_audit(&[self.audit_entry(caller, action::UPDATE, Some(("call_script", record)), Some(details))])
            .await?;
        tx.commit().await?;
        Ok(script)
    }

    /// The script for a call in `language` at `branch`: see [`resolve_script`].
    pub async fn call_script(
        &self,
        caller: &Caller,
        branch_id: Option<BranchId>,
        language: Option<&LanguageTag>,
    ) -> AppResult<Option<ResolvedScript>> {
        caller.require(Action::Read)?;
        let branches = self.store.branches().await?;
        let branch_language = branch_id
            .and_then(|id| branches.iter().find(|branch| branch.id == id))
            .map(|branch| branch.data.language.clone());
        let scripts = self.store.call_scripts().await?;
        Ok(resolve_script(&scripts, branch_id, language, branch_language.as_ref()))
    }

    /// The script for a call with a contact: in the call's language, else the contact's,
    /// at the contact's branch.
    pub async fn call_script_for_contact(
        &self,
        caller: &Caller,
        contact_id: ContactId,
        language: Option<&LanguageTag>,
    ) -> AppResult<Option<ResolvedScript>> {
        let contact = self.store.contact(&caller.scope(), contact_id).await?.ok_or(AppError::NotFound)?;
        let language = language.or(contact.data.language.as_ref());
        self.call_script(caller, contact.data.branch_id, language).await
    }
}
