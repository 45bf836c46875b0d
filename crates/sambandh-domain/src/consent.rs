//! Consent: per contact, per purpose and channel, given or withdrawn — and the one
//! rule that says whether a message may be sent.
//!
//! Consent is kept as a history of events (who recorded what, when, how, in which
//! language the person was told). The current state of a purpose on a channel is its
//! latest event.

use jiff::Timestamp;

use crate::{
    Channel, ConsentMethod, ConsentStatus, ContactId, LanguageTag, Purpose, ShortText, UserId, ValidationErrors,
};

/// A consent event as typed.
#[derive(Debug, Clone, Default)]
pub struct ConsentInput {
    pub purpose: Option<String>,
    pub channel: Option<String>,
    pub status: Option<String>,
    pub method: Option<String>,
    /// The language of the notice the person was shown or told.
    pub notice_language: Option<String>,
    /// Anything worth keeping: "asked on the call of 3 Nov to stop offers".
    pub note: Option<String>,
}

/// A valid consent event, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentChange {
    pub purpose: Purpose,
    pub channel: Channel,
    pub status: ConsentStatus,
    pub method: ConsentMethod,
    pub notice_language: Option<LanguageTag>,
    pub note: Option<ShortText>,
}

impl ConsentChange {
    pub fn parse(input: &ConsentInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let purpose = errors.check_required("purpose", input.purpose.as_deref(), Purpose::parse);
        let channel = errors.check_required("channel", input.channel.as_deref(), Channel::parse);
        let status = errors.check_required("status", input.status.as_deref(), ConsentStatus::parse);
        let method = errors.check_required("method", input.method.as_deref(), ConsentMethod::parse);
        let notice_language = errors.check_opt("notice_language", input.notice_language.as_deref(), LanguageTag::parse);
        let note = errors.check_opt("note", input.note.as_deref(), ShortText::parse);
        errors.into_result()?;
        match (purpose, channel, status, method) {
            (Some(purpose), Some(channel), Some(status), Some(method)) => {
                Ok(Self { purpose, channel, status, method, notice_language, note })
            }
            _ => Err(ValidationErrors::single("consent", "is incomplete")),
        }
    }
}

/// A recorded consent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub contact_id: ContactId,
    pub change: ConsentChange,
    /// Who recorded it; `None` for the local operator (the CLI) or an import.
    pub recorded_by: Option<UserId>,
    pub recorded_at: Timestamp,
}

/// Whether a message for `purpose` may be sent on a channel whose latest consent event
/// is `latest`.
///
/// Service messages (answers to the customer's own requests, order and ticket
/// updates) need no opt-in but stop when withdrawn; marketing and greetings are sent
/// only to those who said yes. Greetings are personal, but they are still unsolicited:
/// the founding documents' rule "never pester" is this function.
pub fn permits(purpose: Purpose, latest: Option<ConsentStatus>) -> bool {
    match latest {
        Some(ConsentStatus::Given) => true,
        Some(ConsentStatus::Withdrawn) => false,
        None => purpose == Purpose::Service,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_service_is_allowed_without_an_answer() {
        assert!(permits(Purpose::Service, None));
        assert!(!permits(Purpose::Marketing, None));
        assert!(!permits(Purpose::Greetings, None));
        assert!(permits(Purpose::Greetings, Some(ConsentStatus::Given)));
        assert!(!permits(Purpose::Service, Some(ConsentStatus::Withdrawn)));
    }

    #[test]
    fn every_missing_or_wrong_field_is_named() {
        let input = ConsentInput {
            purpose: Some("newsletter".into()),
            channel: Some("WhatsApp".into()),
            status: None,
            method: Some("call".into()),
            notice_language: Some("tamil!".into()),
            note: None,
        };
        let fields: Vec<String> = ConsentChange::parse(&input).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["purpose", "status", "notice_language"]);
        let ok = ConsentChange::parse(&ConsentInput {
            purpose: Some("greetings".into()),
            status: Some("given".into()),
            notice_language: Some("ta".into()),
            ..input
        })
        .unwrap();
        assert_eq!((ok.channel, ok.method), (Channel::Whatsapp, ConsentMethod::Verbal));
    }
}
