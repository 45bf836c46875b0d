//! Contacts: create, read, change, delete, list, look up — each within the caller's
//! scope, each change audited in its own transaction.

use sambandh_domain::{
    Action, Contact, ContactData, ContactId, ContactInput, EmailAddress, PhoneE164, Scope, ValidationErrors,
};
use sambandh_store::{ContactFilter, ContactSort, Page, PageRequest};

use crate::audit::{action, changes, contact_fields};
use crate::directory::Directory;
use crate::{App, AppError, AppResult, Caller};

/// How to find contacts by what a customer tells on the phone.
#[derive(Debug, Clone)]
pub enum Lookup {
    Email(String),
    Phone(String),
}

impl App {
    /// Adds a contact. A member of staff attached to a branch who names none adds it
    /// to their own branch; one who names a branch they cannot see is refused.
    pub async fn create_contact(&self, caller: &Caller, input: &ContactInput) -> AppResult<Contact> {
        caller.require(Action::Write)?;
        let directory = Directory::load(self).await?;
        let mut input = input.clone();
        caller.default_branch(&mut input.branch);
        let data = ContactData::parse(&input, &directory)?;
        check_within_reach(&caller.scope(), &data)?;
        let now = crate::now();
        let contact = Contact {
            id: ContactId::from_uuid(crate::new_uuid()),
            data,
            created_at: now,
            updated_at: now,
            version: 1,
            erased_at: None,
            first_deal_on: None,
        };
        let entry = self.audit_entry(
            caller,
            action::CREATE,
            Some(("contact", contact.id.to_string())),
            Some(changes(None, Some(&contact_fields(&contact.data)))),
        );
        let mut tx = self.store.begin().await?;
        tx.insert_contact(&contact).await?;
        tx.append_audit(&[entry]).await?;
        tx.commit().await?;
        Ok(contact)
    }

    /// A contact in the caller's scope (not audited: for checks and summaries).
    pub async fn contact(&self, caller: &Caller, id: ContactId) -> AppResult<Contact> {
        caller.require(Action::Read)?;
        self.store.contact(&caller.scope(), id).await?.ok_or(AppError::NotFound)
    }

    /// A contact's full record, as a member of staff opens it: audited as a view.
    pub async fn view_contact(&self, caller: &Caller, id: ContactId) -> AppResult<Contact> {
        let contact = self.contact(caller, id).await?;
        self.record(self.audit_entry(caller, action::VIEW, Some(("contact", id.to_string())), None)).await;
        Ok(contact)
    }

    /// Applies `change` to the contact's current fields and stores the result if it is
    /// valid as a whole and still within the caller's reach. With `expected_version`,
    /// a contact changed meanwhile is left alone and [`AppError::VersionMismatch`]
    /// answered.
    pub async fn update_contact(
        &self,
        caller: &Caller,
        id: ContactId,
        expected_version: Option<i64>,
        change: impl FnOnce(&mut ContactInput),
    ) -> AppResult<Contact> {
        caller.require(Action::Write)?;
        let directory = Directory::load(self).await?;
        let scope = caller.scope();
        let mut tx = self.store.begin().await?;
        let current = tx.contact(&scope, id).await?.ok_or(AppError::NotFound)?;
        if let Some(expected) = expected_version
            && expected != current.version
        {
            return Err(AppError::VersionMismatch { expected, current: current.version });
        }
        if current.erased_at.is_some() {
            return Err(AppError::BadRequest("the contact's data was erased; it cannot be changed".into()));
        }
        let mut input = ContactInput::from(&current.data);
        change(&mut input);
        let data = ContactData::parse(&input, &directory)?;
        check_within_reach(&scope, &data)?;
        let updated = tx.update_contact(id, Some(current.version), &data, crate::now()).await?;
        let diff = changes(Some(&contact_fields(&current.data)), Some(&contact_fields(&updated.data)));
        tx.append_audit(&[self.audit_entry(caller, action::UPDATE, Some(("contact", id.to_string())), Some(diff))])
            .await?;
        tx.commit().await?;
        Ok(updated)
    }

    pub async fn delete_contact(&self, caller: &Caller, id: ContactId) -> AppResult<()> {
        caller.require(Action::Delete)?;
        let mut tx = self.store.begin().await?;
        tx.contact(&caller.scope(), id).await?.ok_or(AppError::NotFound)?;
        tx.delete_contact(id).await?;
        // Deleted means gone: what earlier entries quoted of the contact goes too, and
        // the entry of the deletion quotes nothing.
        tx.redact_audit(&id.to_string()).await?;
        tx.append_audit(&[self.audit_entry(caller, action::DELETE, Some(("contact", id.to_string())), None)]).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn list_contacts(
        &self,
        caller: &Caller,
        filter: &ContactFilter,
        sort: ContactSort,
        page: &PageRequest,
    ) -> AppResult<Page<Contact>> {
        caller.require(Action::Read)?;
        let page = self.store.contacts(&caller.scope(), filter, sort, page).await?;
        // A list shows full records too: one entry names the contacts it showed.
        if !page.items.is_empty() {
            let ids: Vec<String> = page.items.iter().map(|contact| contact.id.to_string()).collect();
            let details = serde_json::json!({"contacts": ids});
            self.record(self.audit_entry(caller, action::LIST, None, Some(details))).await;
        }
        Ok(page)
    }

    /// How many contacts the caller can see.
    pub async fn count_contacts(&self, caller: &Caller) -> AppResult<i64> {
        caller.require(Action::Read)?;
        Ok(self.store.count_contacts(&caller.scope()).await?)
    }

    pub async fn lookup_contacts(&self, caller: &Caller, lookup: &Lookup) -> AppResult<Vec<Contact>> {
        caller.require(Action::Read)?;
        let scope = caller.scope();
        let found = match lookup {
            Lookup::Email(raw) => {
                let email = EmailAddress::parse(raw).map_err(|err| ValidationErrors::single("email", err.0))?;
                self.store.contacts_by_email(&scope, &email).await?
            }
            Lookup::Phone(raw) => {
                let phone = PhoneE164::parse(raw).map_err(|err| ValidationErrors::single("phone", err.0))?;
                self.store.contacts_by_phone(&scope, &phone).await?
            }
        };
        // A lookup opens the records it finds: each is audited as a view.
        for contact in &found {
            self.record(self.audit_entry(caller, action::VIEW, Some(("contact", contact.id.to_string())), None)).await;
        }
        Ok(found)
    }
}

/// Refuses a contact the caller would not be able to see once it is written: one
/// placed in another branch and not assigned to them.
fn check_within_reach(scope: &Scope, data: &ContactData) -> AppResult<()> {
    if scope.covers_contact(data.branch_id, data.owner_id) {
        return Ok(());
    }
    Err(ValidationErrors::single("branch", "is not your branch, and the contact is not assigned to you").into())
}
