//! A person's rights under the DPDP Act 2023 and the GDPR: to have everything we hold
//! about them, and to have it erased.
//!
//! Erasure removes the person's data and keeps the record's skeleton: its id, branch,
//! owner, value tier, preferred language and region, and when it was created. Counts,
//! links and reports stay true; nothing identifies the person. What the audit log
//! quoted of them is removed; the fact of the erasure is added to it. On SQLite the
//! freed space is zeroed (`secure_delete`) and the WAL checkpointed and truncated, so
//! the values are gone from the files too; on PostgreSQL see docs/privacy.md.

use sambandh_domain::{Action, CompanyLink, Consent, Contact, ContactData, ContactId, ContactInput, Need, StoredIds};
use sambandh_store::{LinkOwner, PageRequest, TimelineEntry};

use crate::audit::action;
use crate::{App, AppError, AppResult, Caller};

/// The given name an erased contact shows.
pub const ERASED_NAME: &str = "[erased]";

/// Everything held about one person.
#[derive(Debug, Clone)]
pub struct PersonData {
    pub contact: Contact,
    pub companies: Vec<CompanyLink>,
    pub consents: Vec<Consent>,
    /// Every interaction and deal, newest first.
    pub timeline: Vec<TimelineEntry>,
    pub needs: Vec<Need>,
    /// What they chose to be greeted for.
    pub occasions: Vec<sambandh_store::OccasionChoice>,
    /// Every message written to them (greetings and others), newest first.
    pub messages: Vec<sambandh_store::OutboundMessage>,
    /// Their requests to the service desk, each with its conversation (staff's
    /// internal notes included: they are about the person too).
    pub tickets: Vec<(sambandh_store::Ticket, Vec<sambandh_store::TicketEntry>)>,
}

impl App {
    /// Everything we hold about a contact, for handing to them. Audited.
    pub async fn person_data(&self, caller: &Caller, id: ContactId) -> AppResult<PersonData> {
        caller.require(Action::PersonRights)?;
        let contact = self.contact(caller, id).await?;
        let companies = self.company_links(caller, LinkOwner::Contact(id)).await?;
        let consents = self.consents(caller, id).await?;
        let mut timeline = Vec::new();
        let mut page = PageRequest { limit: PageRequest::MAX_LIMIT, cursor: None };
        loop {
            let result = self.timeline(caller, id, &page).await?;
            timeline.extend(result.items);
            match result.next_cursor {
                Some(cursor) => page.cursor = Some(cursor),
                None => break,
            }
        }
        let needs = self.needs(caller, id).await?;
        let occasions = self.occasion_choices(caller, id).await?;
        let mut messages = Vec::new();
        let filter = sambandh_store::MessageFilter { status: None, contact_id: Some(id) };
        let mut page = PageRequest { limit: PageRequest::MAX_LIMIT, cursor: None };
        loop {
            let result = self.store.messages(&caller.scope(), &filter, &page).await?;
            messages.extend(result.items);
            match result.next_cursor {
                Some(cursor) => page.cursor = Some(cursor),
                None => break,
            }
        }
        let mut tickets = Vec::new();
        let filter = sambandh_store::TicketFilter { contact_id: Some(id), ..Default::default() };
        let mut page = PageRequest { limit: PageRequest::MAX_LIMIT, cursor: None };
        loop {
            let result = self.store.tickets(&caller.scope(), &filter, &page).await?;
            for ticket in result.items {
                let entries = self.store.ticket_entries(ticket.id).await?;
                tickets.push((ticket, entries));
            }
            match result.next_cursor {
                Some(cursor) => page.cursor = Some(cursor),
                None => break,
            }
        }
        self.record(self.audit_entry(caller, action::EXPORT_PERSON, Some(("contact", id.to_string())), None)).await;
        Ok(PersonData { contact, companies, consents, timeline, needs, occasions, messages, tickets })
    }

    /// Erases a contact's personal data, as the module docs say. Erasing twice is
    /// harmless. Returns the erased record.
    pub async fn erase_contact(&self, caller: &Caller, id: ContactId) -> AppResult<Contact> {
        caller.require(Action::PersonRights)?;
        let now = crate::now();
        let mut tx = self.store.begin().await?;
        let current = tx.contact(&caller.scope(), id).await?.ok_or(AppError::NotFound)?;
        let kept = &current.data;
        let skeleton = ContactInput {
            given_name: Some(ERASED_NAME.to_owned()),
            branch: kept.branch_id.map(|id| id.to_string()),
            owner: kept.owner_id.map(|id| id.to_string()),
            value_tier: kept.value_tier.map(|tier| tier.as_str().to_owned()),
            language: kept.language.as_ref().map(ToString::to_string),
            region: kept.region.as_ref().map(ToString::to_string),
            ..ContactInput::default()
        };
        let erased = ContactData::parse(&skeleton, &StoredIds)
            .map_err(|errors| AppError::Unexpected(anyhow::anyhow!("the erased form of a contact: {errors}")))?;
        tx.erase_contact(id, &erased, now).await?;
        tx.append_audit(&[self.audit_entry(caller, action::ERASE, Some(("contact", id.to_string())), None)]).await?;
        tx.commit().await?;
        // The erasure is committed; if the files cannot be scrubbed now (readers kept the
        // WAL busy), the next checkpoint copies the zeroed pages over the old ones.
        if let Err(err) = self.store.purge_deleted().await {
            tracing::warn!(error = ?err, contact = %id, "the WAL could not be truncated after an erasure");
        }
        self.store.contact(&caller.scope(), id).await?.ok_or(AppError::NotFound)
    }
}
