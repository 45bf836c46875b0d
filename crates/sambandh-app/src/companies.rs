//! Companies and the contacts who work for them.

use sambandh_domain::{
    Company, CompanyId, CompanyInput, CompanyLink, ContactId, NewCompany, ShortText, ValidationErrors,
};
use sambandh_store::{CompanyFilter, CompanySort, LinkOwner, Page, PageRequest};

use crate::directory::Directory;
use crate::{App, AppError, AppResult, Caller};

impl App {
    pub async fn create_company(&self, _caller: &Caller, input: &CompanyInput) -> AppResult<Company> {
        let branches = Directory::load(self).await?;
        let data = NewCompany::parse(input, &branches)?;
        let now = crate::now();
        let company =
            Company { id: CompanyId::from_uuid(crate::new_uuid()), data, created_at: now, updated_at: now, version: 1 };
        let mut tx = self.store.begin().await?;
        tx.insert_company(&company).await?;
        tx.commit().await?;
        Ok(company)
    }

    pub async fn company(&self, _caller: &Caller, id: CompanyId) -> AppResult<Company> {
        self.store.company(id).await?.ok_or(AppError::NotFound)
    }

    pub async fn update_company(
        &self,
        _caller: &Caller,
        id: CompanyId,
        expected_version: Option<i64>,
        change: impl FnOnce(&mut CompanyInput),
    ) -> AppResult<Company> {
        let branches = Directory::load(self).await?;
        let mut tx = self.store.begin().await?;
        let current = tx.company(id).await?.ok_or(AppError::NotFound)?;
        if let Some(expected) = expected_version
            && expected != current.version
        {
            return Err(AppError::VersionMismatch { expected, current: current.version });
        }
        let mut input = CompanyInput::from(&current.data);
        change(&mut input);
        let data = NewCompany::parse(&input, &branches)?;
        let updated = tx.update_company(id, Some(current.version), &data, crate::now()).await?;
        tx.commit().await?;
        Ok(updated)
    }

    pub async fn delete_company(&self, _caller: &Caller, id: CompanyId) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        tx.delete_company(id).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn list_companies(
        &self,
        _caller: &Caller,
        filter: &CompanyFilter,
        sort: CompanySort,
        page: &PageRequest,
    ) -> AppResult<Page<Company>> {
        Ok(self.store.companies(filter, sort, page).await?)
    }

    /// Links a contact to a company with a role ("Owner", "Purchase manager"), or
    /// changes the role of an existing link.
    pub async fn link_contact(
        &self,
        _caller: &Caller,
        company_id: CompanyId,
        contact_id: ContactId,
        role: Option<&str>,
    ) -> AppResult<CompanyLink> {
        let role = match role.map(str::trim).filter(|r| !r.is_empty()) {
            Some(raw) => Some(ShortText::parse(raw).map_err(|err| ValidationErrors::single("role", err.0))?),
            None => None,
        };
        let link = CompanyLink { contact_id, company_id, role };
        let mut tx = self.store.begin().await?;
        tx.company(company_id).await?.ok_or(AppError::NotFound)?;
        tx.contact(contact_id).await?.ok_or(AppError::NotFound)?;
        tx.link_contact(&link).await?;
        tx.commit().await?;
        Ok(link)
    }

    pub async fn unlink_contact(
        &self,
        _caller: &Caller,
        company_id: CompanyId,
        contact_id: ContactId,
    ) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        tx.unlink_contact(contact_id, company_id).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn company_links(&self, _caller: &Caller, of: LinkOwner) -> AppResult<Vec<CompanyLink>> {
        Ok(self.store.company_links(of).await?)
    }
}
