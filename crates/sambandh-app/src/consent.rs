//! Consent per contact, purpose and channel.

use sambandh_domain::{Action, Channel, Consent, ConsentChange, ConsentInput, ContactId, Purpose, permits};
use serde_json::json;

use crate::audit::action;
use crate::{App, AppError, AppResult, Caller};

impl App {
    /// Records that the contact gave or withdrew consent for a purpose on a channel.
    pub async fn record_consent(
        &self,
        caller: &Caller,
        contact_id: ContactId,
        input: &ConsentInput,
    ) -> AppResult<Consent> {
        caller.require(Action::Write)?;
        let change = ConsentChange::parse(input)?;
        let consent = Consent { contact_id, change, recorded_by: caller.user_id(), recorded_at: crate::now() };
        let mut tx = self.store.begin().await?;
        let contact = tx.contact(&caller.scope(), contact_id).await?.ok_or(AppError::NotFound)?;
        if contact.erased_at.is_some() {
            return Err(AppError::BadRequest("the contact's data was erased; there is no one to ask".into()));
        }
        tx.insert_consent(&crate::new_uuid().to_string(), &consent).await?;
        let change = &consent.change;
        let details = json!({
            "purpose": change.purpose.as_str(),
            "channel": change.channel.as_str(),
            "status": change.status.as_str(),
            "method": change.method.as_str(),
        });
        let entry = self.audit_entry(caller, action::CONSENT, Some(("contact", contact_id.to_string())), Some(details));
        tx.append_audit(&[entry]).await?;
        tx.commit().await?;
        Ok(consent)
    }

    /// A contact's consent events, oldest first.
    pub async fn consents(&self, caller: &Caller, contact_id: ContactId) -> AppResult<Vec<Consent>> {
        caller.require(Action::Read)?;
        self.store.contact(&caller.scope(), contact_id).await?.ok_or(AppError::NotFound)?;
        Ok(self.store.consents(&caller.scope(), contact_id).await?)
    }

    /// Whether the contact may be sent a message for `purpose` on `channel` now. The
    /// one check every sender makes (greetings, campaigns, service messages); the rule
    /// itself is [`sambandh_domain::permits`]. It takes no caller: senders are the
    /// system's jobs, and it reveals nothing but yes or no. An erased contact, or one
    /// that does not exist, may not be contacted.
    pub async fn may_contact(&self, contact_id: ContactId, purpose: Purpose, channel: Channel) -> AppResult<bool> {
        Ok(self.contact_if_permitted(contact_id, purpose, channel).await?.is_some())
    }

    /// [`Self::may_contact`], answering the contact when it may be contacted (for a
    /// sender that needs the record too, and should read it once).
    pub async fn contact_if_permitted(
        &self,
        contact_id: ContactId,
        purpose: Purpose,
        channel: Channel,
    ) -> AppResult<Option<sambandh_domain::Contact>> {
        let Some(contact) = self.store.contact(&sambandh_domain::Scope::Everything, contact_id).await? else {
            return Ok(None);
        };
        if contact.erased_at.is_some() {
            return Ok(None);
        }
        let latest = self.store.consent_status(contact_id, purpose, channel).await?;
        Ok(permits(purpose, latest).then_some(contact))
    }
}
