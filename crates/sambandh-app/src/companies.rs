//! Companies and the contacts who work for them, within the caller's scope.

use sambandh_domain::{
    Action, Company, CompanyId, CompanyInput, CompanyLink, ContactId, NewCompany, Scope, ShortText, ValidationErrors,
};
use sambandh_store::{CompanyFilter, CompanySort, LinkOwner, Page, PageRequest};
use serde_json::json;

use crate::audit::{action, changes, company_fields};
use crate::directory::Directory;
use crate::{App, AppError, AppResult, Caller};

impl App {
    pub async fn create_company(&self, caller: &Caller, input: &CompanyInput) -> AppResult<Company> {
        caller.require(Action::Write)?;
        let directory = Directory::load(self).await?;
        let mut input = input.clone();
        caller.default_branch(&mut input.branch);
        let data = NewCompany::parse(&input, &directory)?;
        check_within_reach(&caller.scope(), &data)?;
        let now = crate::now();
        let company = Company {
            id: CompanyId::from_uuid(crate::new_uuid()),
            data,
            created_at: now,
            updated_at: now,
            version: 1,
            first_deal_on: None,
        };
        let diff = changes(None, Some(&company_fields(&company.data)));
        let entry = self.audit_entry(caller, action::CREATE, Some(("company", company.id.to_string())), Some(diff));
        let mut tx = self.store.begin().await?;
        tx.insert_company(&company).await?;
        tx.append_audit(&[entry]).await?;
        tx.commit().await?;
        Ok(company)
    }

    pub async fn company(&self, caller: &Caller, id: CompanyId) -> AppResult<Company> {
        caller.require(Action::Read)?;
        self.store.company(&caller.scope(), id).await?.ok_or(AppError::NotFound)
    }

    pub async fn update_company(
        &self,
        caller: &Caller,
        id: CompanyId,
        expected_version: Option<i64>,
        change: impl FnOnce(&mut CompanyInput),
    ) -> AppResult<Company> {
        caller.require(Action::Write)?;
        let directory = Directory::load(self).await?;
        let scope = caller.scope();
        let mut tx = self.store.begin().await?;
        let current = tx.company(&scope, id).await?.ok_or(AppError::NotFound)?;
        check_may_change(&scope, &current.data)?;
        if let Some(expected) = expected_version
            && expected != current.version
        {
            return Err(AppError::VersionMismatch { expected, current: current.version });
        }
        let mut input = CompanyInput::from(&current.data);
        change(&mut input);
        let data = NewCompany::parse(&input, &directory)?;
        check_within_reach(&scope, &data)?;
        let updated = tx.update_company(id, Some(current.version), &data, crate::now()).await?;
        let diff = changes(Some(&company_fields(&current.data)), Some(&company_fields(&updated.data)));
        tx.append_audit(&[self.audit_entry(caller, action::UPDATE, Some(("company", id.to_string())), Some(diff))])
            .await?;
        tx.commit().await?;
        Ok(updated)
    }

    pub async fn delete_company(&self, caller: &Caller, id: CompanyId) -> AppResult<()> {
        caller.require(Action::Delete)?;
        let mut tx = self.store.begin().await?;
        let current = tx.company(&caller.scope(), id).await?.ok_or(AppError::NotFound)?;
        check_may_change(&caller.scope(), &current.data)?;
        tx.delete_company(id).await?;
        let diff = changes(Some(&company_fields(&current.data)), None);
        tx.append_audit(&[self.audit_entry(caller, action::DELETE, Some(("company", id.to_string())), Some(diff))])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn list_companies(
        &self,
        caller: &Caller,
        filter: &CompanyFilter,
        sort: CompanySort,
        page: &PageRequest,
    ) -> AppResult<Page<Company>> {
        caller.require(Action::Read)?;
        Ok(self.store.companies(&caller.scope(), filter, sort, page).await?)
    }

    /// Links a contact to a company with a role ("Owner", "Purchase manager"), or
    /// changes the role of an existing link. Both must be in the caller's scope.
    pub async fn link_contact(
        &self,
        caller: &Caller,
        company_id: CompanyId,
        contact_id: ContactId,
        role: Option<&str>,
    ) -> AppResult<CompanyLink> {
        caller.require(Action::Write)?;
        let role = match role.map(str::trim).filter(|r| !r.is_empty()) {
            Some(raw) => Some(ShortText::parse(raw).map_err(|err| ValidationErrors::single("role", err.0))?),
            None => None,
        };
        let link = CompanyLink { contact_id, company_id, role };
        let scope = caller.scope();
        let mut tx = self.store.begin().await?;
        tx.company(&scope, company_id).await?.ok_or(AppError::NotFound)?;
        let contact = tx.contact(&scope, contact_id).await?.ok_or(AppError::NotFound)?;
        if contact.erased_at.is_some() {
            return Err(AppError::BadRequest("the contact's data was erased; it cannot be linked".into()));
        }
        tx.link_contact(&link).await?;
        let details = json!({"contact_id": contact_id.to_string(), "role": link.role.as_ref().map(ShortText::as_str)});
        tx.append_audit(&[self.audit_entry(
            caller,
            action::LINK,
            Some(("company", company_id.to_string())),
            Some(details),
        )])
        .await?;
        tx.commit().await?;
        Ok(link)
    }

    pub async fn unlink_contact(&self, caller: &Caller, company_id: CompanyId, contact_id: ContactId) -> AppResult<()> {
        caller.require(Action::Write)?;
        let scope = caller.scope();
        let mut tx = self.store.begin().await?;
        tx.company(&scope, company_id).await?.ok_or(AppError::NotFound)?;
        tx.contact(&scope, contact_id).await?.ok_or(AppError::NotFound)?;
        tx.unlink_contact(contact_id, company_id).await?;
        let details = json!({"contact_id": contact_id.to_string()});
        tx.append_audit(&[self.audit_entry(
            caller,
            action::UNLINK,
            Some(("company", company_id.to_string())),
            Some(details),
        )])
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The links of a contact or a company, both ends in the caller's scope.
    pub async fn company_links(&self, caller: &Caller, of: LinkOwner) -> AppResult<Vec<CompanyLink>> {
        caller.require(Action::Read)?;
        Ok(self.store.company_links(&caller.scope(), of).await?)
    }
}

/// Shared companies (of no branch) are changed by those who see everything only.
fn check_may_change(scope: &Scope, data: &NewCompany) -> AppResult<()> {
    if scope.may_change_company(data.branch_id) {
        return Ok(());
    }
    Err(AppError::Forbidden("a company shared by all branches is changed by an owner or an admin".into()))
}

fn check_within_reach(scope: &Scope, data: &NewCompany) -> AppResult<()> {
    if scope.covers_company(data.branch_id) {
        return Ok(());
    }
    Err(ValidationErrors::single("branch", "is not your branch").into())
}
