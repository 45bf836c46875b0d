//! The relationship's story: interactions logged against a contact, the timeline that
//! shows them newest first, and the needs and interests learnt along the way.
//!
//! Audit entries of interactions and needs are filed under the contact (record type
//! `contact`) and name the kind and id, never the text: the text is the customer's
//! personal data, and erasing the contact removes it from the interactions themselves.

use sambandh_domain::{
    Action, ContactId, Interaction, InteractionData, InteractionId, InteractionInput, Need, NeedData, NeedId,
    NeedInput, ValidationErrors,
};
use sambandh_store::{Page, PageRequest, TimelineEntry};
use serde_json::json;

use crate::directory::Directory;
use crate::{App, AppError, AppResult, Caller};

/// The audit actions of this module.
pub mod action {
    pub const INTERACTION: &str = "interaction";
    pub const NEED: &str = "need";
}

impl App {
    /// Logs an interaction with a contact. Without `occurred_at` it happened now; without
    /// `staff` it was the caller's.
    pub async fn log_interaction(
        &self,
        caller: &Caller,
        contact_id: ContactId,
        input: &InteractionInput,
    ) -> AppResult<Interaction> {
        caller.require(Action::Write)?;
        let directory = Directory::load(self).await?;
        let now = crate::now();
        let mut input = input.clone();
        if input.occurred_at.as_deref().is_none_or(|raw| raw.trim().is_empty()) {
            input.occurred_at = Some(now.to_string());
        }
        if input.staff.as_deref().is_none_or(|raw| raw.trim().is_empty()) {
            input.staff = caller.user_id().map(|id| id.to_string());
        }
        let data = InteractionData::parse(&input, &directory)?;
        let interaction =
            Interaction { id: InteractionId::from_uuid(crate::new_uuid()), contact_id, data, created_at: now };
        let details = json!({"interaction": interaction.id.to_string(), "kind": interaction.data.kind.as_str()});
        let entry =
            self.audit_entry(caller, action::INTERACTION, Some(("contact", contact_id.to_string())), Some(details));
        let mut tx = self.store.begin().await?;
        tx.contact(&caller.scope(), contact_id).await?.ok_or(AppError::NotFound)?;
        tx.insert_interaction(&interaction).await?;
        tx.append_audit(&[entry]).await?;
        tx.commit().await?;
        Ok(interaction)
    }

    /// A contact's timeline, newest first, a page at a time: interactions and deals.
    pub async fn timeline(
        &self,
        caller: &Caller,
        contact_id: ContactId,
        page: &PageRequest,
    ) -> AppResult<Page<TimelineEntry>> {
        caller.require(Action::Read)?;
        let scope = caller.scope();
        let timeline = self.store.timeline(&scope, contact_id, page).await?;
        // Each source is read in scope, so entries are the timeline of a contact in
        // scope; only an empty page leaves open whether there is one.
        if timeline.items.is_empty() {
            self.store.contact(&scope, contact_id).await?.ok_or(AppError::NotFound)?;
        }
        Ok(timeline)
    }

    /// Notes a need or interest of a contact. Without `noted_on` it was learnt today.
    pub async fn add_need(&self, caller: &Caller, contact_id: ContactId, input: &NeedInput) -> AppResult<Need> {
        caller.require(Action::Write)?;
        let now = crate::now();
        let mut input = input.clone();
        if input.noted_on.as_deref().is_none_or(|raw| raw.trim().is_empty()) {
            let contact = self.contact(caller, contact_id).await?;
            let time_zone = self.time_zone_of(Some(&contact), None).await?;
            input.noted_on = Some(time_zone.to_datetime(now).date().to_string());
        }
        let data = NeedData::parse(&input)?;
        let need = Need {
            id: NeedId::from_uuid(crate::new_uuid()),
            contact_id,
            data,
            recorded_by: caller.user_id(),
            created_at: now,
        };
        let details = json!({"need": need.id.to_string()});
        let entry = self.audit_entry(caller, action::NEED, Some(("contact", contact_id.to_string())), Some(details));
        let mut tx = self.store.begin().await?;
        tx.contact(&caller.scope(), contact_id).await?.ok_or(AppError::NotFound)?;
        if let Some(interaction) = need.data.learnt_from
            && !tx.interaction_of(contact_id, interaction).await?
        {
            return Err(ValidationErrors::single("learnt_from", "is not an interaction of this contact").into());
        }
        tx.insert_need(&need).await?;
        tx.append_audit(&[entry]).await?;
        tx.commit().await?;
        Ok(need)
    }

    /// A contact's needs and interests, newest first.
    pub async fn needs(&self, caller: &Caller, contact_id: ContactId) -> AppResult<Vec<Need>> {
        caller.require(Action::Read)?;
        let scope = caller.scope();
        self.store.contact(&scope, contact_id).await?.ok_or(AppError::NotFound)?;
        Ok(self.store.needs(&scope, contact_id).await?)
    }
}
