//! Contacts: create, read, change, delete, list, look up.

use sambandh_domain::{Contact, ContactData, ContactId, ContactInput, EmailAddress, PhoneE164, ValidationErrors};
use sambandh_store::{ContactFilter, ContactSort, Page, PageRequest};

use crate::directory::Directory;
use crate::{App, AppError, AppResult, Caller};

/// How to find contacts by what a customer tells on the phone.
#[derive(Debug, Clone)]
pub enum Lookup {
    Email(String),
    Phone(String),
}

impl App {
    pub async fn create_contact(&self, _caller: &Caller, input: &ContactInput) -> AppResult<Contact> {
        let branches = Directory::load(self).await?;
        let data = ContactData::parse(input, &branches)?;
        let now = crate::now();
        let contact =
            Contact { id: ContactId::from_uuid(crate::new_uuid()), data, created_at: now, updated_at: now, version: 1 };
        let mut tx = self.store.begin().await?;
        tx.insert_contact(&contact).await?;
        tx.commit().await?;
        Ok(contact)
    }

    pub async fn contact(&self, _caller: &Caller, id: ContactId) -> AppResult<Contact> {
        self.store.contact(id).await?.ok_or(AppError::NotFound)
    }

    /// Applies `change` to the contact's current fields and stores the result if it is
    /// valid as a whole. With `expected_version`, a contact changed meanwhile is left
    /// alone and [`AppError::VersionMismatch`] answered.
    pub async fn update_contact(
        &self,
        _caller: &Caller,
        id: ContactId,
        expected_version: Option<i64>,
        change: impl FnOnce(&mut ContactInput),
    ) -> AppResult<Contact> {
        let branches = Directory::load(self).await?;
        let mut tx = self.store.begin().await?;
        let current = tx.contact(id).await?.ok_or(AppError::NotFound)?;
        if let Some(expected) = expected_version
            && expected != current.version
        {
            return Err(AppError::VersionMismatch { expected, current: current.version });
        }
        let mut input = ContactInput::from(&current.data);
        change(&mut input);
        let data = ContactData::parse(&input, &branches)?;
        let updated = tx.update_contact(id, Some(current.version), &data, crate::now()).await?;
        tx.commit().await?;
        Ok(updated)
    }

    pub async fn delete_contact(&self, _caller: &Caller, id: ContactId) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        tx.delete_contact(id).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn list_contacts(
        &self,
        _caller: &Caller,
        filter: &ContactFilter,
        sort: ContactSort,
        page: &PageRequest,
    ) -> AppResult<Page<Contact>> {
        Ok(self.store.contacts(filter, sort, page).await?)
    }

    pub async fn lookup_contacts(&self, _caller: &Caller, lookup: &Lookup) -> AppResult<Vec<Contact>> {
        match lookup {
            Lookup::Email(raw) => {
                let email = EmailAddress::parse(raw).map_err(|err| ValidationErrors::single("email", err.0))?;
                Ok(self.store.contacts_by_email(&email).await?)
            }
            Lookup::Phone(raw) => {
                let phone = PhoneE164::parse(raw).map_err(|err| ValidationErrors::single("phone", err.0))?;
                Ok(self.store.contacts_by_phone(&phone).await?)
            }
        }
    }
}
