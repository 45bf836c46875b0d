//! The relationship's story: interactions (calls, e-mails, meetings, visits, notes,
//! messages, web visits, purchases) and the needs and interests learnt from them.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::{
    CallOutcome, ContactId, Direction, InteractionId, InteractionKind, LanguageTag, LongText, NeedId, References,
    ShortText, UserId, ValidationErrors, ValueError,
};

/// An interaction as typed.
#[derive(Debug, Clone, Default)]
pub struct InteractionInput {
    pub kind: Option<String>,
    /// RFC 3339; the caller fills in "now" when it is not given.
    pub occurred_at: Option<String>,
    /// The member of staff, by e-mail or id.
    pub staff: Option<String>,
    pub direction: Option<String>,
    pub duration_seconds: Option<String>,
    pub outcome: Option<String>,
    pub language: Option<String>,
    pub subject: Option<String>,
    pub text: Option<String>,
    /// For a web visit: the page or product viewed.
    pub page: Option<String>,
}

/// A valid interaction's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionData {
    pub kind: InteractionKind,
    pub occurred_at: Timestamp,
    pub staff_id: Option<UserId>,
    pub direction: Option<Direction>,
    pub duration_seconds: Option<u32>,
    pub outcome: Option<CallOutcome>,
    pub language: Option<LanguageTag>,
    pub subject: Option<ShortText>,
    pub text: Option<LongText>,
    pub page: Option<ShortText>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interaction {
    pub id: InteractionId,
    pub contact_id: ContactId,
    pub data: InteractionData,
    pub created_at: Timestamp,
}

/// A call lasts at most a day.
const MAX_CALL_SECONDS: u32 = 24 * 60 * 60;

impl InteractionData {
    /// Checks every field and the rules between them: a duration and an outcome belong
    /// to calls; a direction to calls and messages; a web visit names its page; a note
    /// has text.
    pub fn parse(input: &InteractionInput, references: &impl References) -> Result<Self, ValidationErrors> {
        use InteractionKind::*;
        let mut errors = ValidationErrors::default();
        let kind = errors.check_required("kind", input.kind.as_deref(), InteractionKind::parse);
        let occurred_at = errors.check_required("occurred_at", input.occurred_at.as_deref(), |raw| {
            raw.parse::<Timestamp>()
                .map_err(|_| ValueError::new("must be an RFC 3339 instant such as 2026-11-23T10:30:00+05:30"))
        });
        let staff_id = errors.check_opt("staff", input.staff.as_deref(), |raw| {
            references.user(raw).ok_or_else(|| ValueError::new(format!("no member of staff is '{raw}'")))
        });
        let direction = errors.check_opt("direction", input.direction.as_deref(), Direction::parse);
        let duration_seconds = errors.check_opt("duration_seconds", input.duration_seconds.as_deref(), |raw| {
            raw.parse::<u32>()
                .ok()
                .filter(|seconds| *seconds <= MAX_CALL_SECONDS)
                .ok_or_else(|| ValueError::new(format!("must be a number of seconds from 0 to {MAX_CALL_SECONDS}")))
        });
        let outcome = errors.check_opt("outcome", input.outcome.as_deref(), CallOutcome::parse);
        let language = errors.check_opt("language", input.language.as_deref(), LanguageTag::parse);
        let subject = errors.check_opt("subject", input.subject.as_deref(), ShortText::parse);
        let text = errors.check_opt("text", input.text.as_deref(), LongText::parse);
        let page = errors.check_opt("page", input.page.as_deref(), ShortText::parse);
        if let Some(kind) = kind {
            if kind != Call {
                if duration_seconds.is_some() {
                    errors.push("duration_seconds", "belongs to calls only");
                }
                if outcome.is_some() {
                    errors.push("outcome", "belongs to calls only");
                }
            }
            if direction.is_some() && !matches!(kind, Call | Email | Sms | Whatsapp) {
                errors.push("direction", "belongs to calls, e-mails and messages only");
            }
            if kind == WebVisit && page.is_none() && input.page.is_none() {
                errors.push("page", "is required for a web visit: the page or product viewed");
            }
            if kind == Note && text.is_none() && input.text.is_none() {
                errors.push("text", "is required for a note");
            }
        }
        errors.into_result()?;
        match (kind, occurred_at) {
            (Some(kind), Some(occurred_at)) => Ok(Self {
                kind,
                occurred_at,
                staff_id,
                direction,
                duration_seconds,
                outcome,
                language,
                subject,
                text,
                page,
            }),
            _ => Err(ValidationErrors::single("interaction", "is incomplete")),
        }
    }
}

/// A need or interest as typed.
#[derive(Debug, Clone, Default)]
pub struct NeedInput {
    /// What the customer wants or cares about: "a cold-storage unit before Diwali".
    pub text: Option<String>,
    /// The interaction it was learnt from (its id).
    pub learnt_from: Option<String>,
    /// When it was learnt (YYYY-MM-DD or DD/MM/YYYY); the caller fills in today.
    pub noted_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedData {
    pub text: ShortText,
    pub learnt_from: Option<InteractionId>,
    pub noted_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub id: NeedId,
    pub contact_id: ContactId,
    pub data: NeedData,
    pub recorded_by: Option<UserId>,
    pub created_at: Timestamp,
}

impl NeedData {
    pub fn parse(input: &NeedInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let text = errors.check_required("text", input.text.as_deref(), ShortText::parse);
        let learnt_from = errors.check_opt("learnt_from", input.learnt_from.as_deref(), str::parse::<InteractionId>);
        let noted_on = errors.check_required("noted_on", input.noted_on.as_deref(), crate::parse_civil_date);
        errors.into_result()?;
        match (text, noted_on) {
            (Some(text), Some(noted_on)) => Ok(Self { text, learnt_from, noted_on }),
            _ => Err(ValidationErrors::single("need", "is incomplete")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoredIds;

    fn call() -> InteractionInput {
        InteractionInput {
            kind: Some("call".into()),
            occurred_at: Some("2026-11-23T10:30:00+05:30".into()),
            direction: Some("in".into()),
            duration_seconds: Some("185".into()),
            outcome: Some("answered".into()),
            language: Some("ta".into()),
            text: Some("Asked about the Diwali offer.\nCall back on Monday.".into()),
            ..InteractionInput::default()
        }
    }

    #[test]
    fn a_call_with_its_duration_outcome_and_notes() {
        let data = InteractionData::parse(&call(), &StoredIds).unwrap();
        assert_eq!(
            (data.kind, data.direction, data.duration_seconds),
            (InteractionKind::Call, Some(Direction::Inbound), Some(185))
        );
        assert_eq!(data.occurred_at.to_string(), "2026-11-23T05:00:00Z");
        assert!(data.text.unwrap().as_str().contains('\n'), "notes keep their lines");
    }

    #[test]
    fn fields_that_do_not_belong_to_the_kind_are_named() {
        let meeting = InteractionInput { kind: Some("meeting".into()), ..call() };
        let fields: Vec<String> =
            InteractionData::parse(&meeting, &StoredIds).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["duration_seconds", "outcome", "direction"]);
        let visit = InteractionInput {
            kind: Some("web_visit".into()),
            occurred_at: Some("yesterday".into()),
            ..InteractionInput::default()
        };
        let fields: Vec<String> =
            InteractionData::parse(&visit, &StoredIds).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["occurred_at", "page"]);
    }

    #[test]
    fn needs_have_text_and_a_date() {
        let need = NeedData::parse(&NeedInput {
            text: Some("  ஒரு குளிர்பதன அறை  ".into()),
            learnt_from: None,
            noted_on: Some("23/11/2026".into()),
        })
        .unwrap();
        assert_eq!((need.text.as_str(), need.noted_on.to_string().as_str()), ("ஒரு குளிர்பதன அறை", "2026-11-23"));
        let errors = NeedData::parse(&NeedInput { learnt_from: Some("x".into()), ..NeedInput::default() }).unwrap_err();
        assert_eq!(errors.0.len(), 3, "{errors}");
    }
}
