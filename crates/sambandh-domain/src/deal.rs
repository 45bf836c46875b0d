//! Leads and deals: a pipeline of stages the business configures, and deals that move
//! through it until they are won or lost.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::{
    BranchId, CompanyId, ContactId, Currency, DealId, Money, References, ShortText, StageOutcome, UserId,
    ValidationErrors, ValueError,
};

/// One stage of the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// A short key: lower-case letters, digits and `_` ("proposal").
    pub key: String,
    pub name: ShortText,
    pub outcome: StageOutcome,
}

/// The stages, in order. At least one open stage, one won and one lost; keys unique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline(Vec<Stage>);

/// A stage as typed.
#[derive(Debug, Clone, Default)]
pub struct StageInput {
    pub key: Option<String>,
    pub name: Option<String>,
    pub outcome: Option<String>,
}

impl Pipeline {
    /// The stages a new database starts with.
    pub fn default_stages() -> Vec<(&'static str, &'static str, StageOutcome)> {
        vec![
            ("lead", "Lead", StageOutcome::Open),
            ("qualified", "Qualified", StageOutcome::Open),
            ("proposal", "Proposal", StageOutcome::Open),
            ("negotiation", "Negotiation", StageOutcome::Open),
            ("won", "Won", StageOutcome::Won),
            ("lost", "Lost", StageOutcome::Lost),
        ]
    }

    pub fn parse(stages: &[StageInput]) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut parsed = Vec::with_capacity(stages.len());
        for (idx, stage) in stages.iter().enumerate() {
            let field = |name: &str| format!("stages[{idx}].{name}");
            let key = errors.check_required(&field("key"), stage.key.as_deref(), |raw| {
                let key = raw.trim().to_lowercase();
                let valid = !key.is_empty()
                    && key.len() <= 40
                    && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                valid.then_some(key).ok_or_else(|| ValueError::new("must be lower-case letters, digits and _"))
            });
            let name = errors.check_required(&field("name"), stage.name.as_deref(), ShortText::parse);
            let outcome = errors.check_required(&field("outcome"), stage.outcome.as_deref(), StageOutcome::parse);
            if let Some(key) = &key
                && parsed.iter().any(|s: &Stage| &s.key == key)
            {
                errors.push(field("key"), format!("'{key}' is used twice"));
            }
            if let (Some(key), Some(name), Some(outcome)) = (key, name, outcome) {
                parsed.push(Stage { key, name, outcome });
            }
        }
        for outcome in StageOutcome::ALL {
            if errors.is_empty() && !parsed.iter().any(|stage| stage.outcome == *outcome) {
                errors.push("stages", format!("need at least one {outcome} stage"));
            }
        }
        errors.into_result()?;
        Ok(Self(parsed))
    }

    pub fn from_stored(stages: Vec<Stage>) -> Self {
        Self(stages)
    }

    pub fn stages(&self) -> &[Stage] {
        &self.0
    }

    pub fn stage(&self, key: &str) -> Option<&Stage> {
        self.0.iter().find(|stage| stage.key == key)
    }
}

/// A deal as typed.
#[derive(Debug, Clone, Default)]
pub struct DealInput {
    pub title: Option<String>,
    /// A contact id.
    pub contact: Option<String>,
    /// A company id.
    pub company: Option<String>,
    /// A stage key; the pipeline's first stage when not given.
    pub stage: Option<String>,
    /// "12,34,567.00", "1234567.5".
    pub amount: Option<String>,
    /// ISO 4217; INR when not given.
    pub currency: Option<String>,
    pub expected_close: Option<String>,
    /// A member of staff by e-mail or id.
    pub owner: Option<String>,
    /// A branch by name or id; the contact's when not given.
    pub branch: Option<String>,
    pub lost_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealData {
    pub title: ShortText,
    pub contact_id: Option<ContactId>,
    pub company_id: Option<CompanyId>,
    pub stage: String,
    pub amount: Option<Money>,
    pub expected_close: Option<Date>,
    pub owner_id: Option<UserId>,
    pub branch_id: Option<BranchId>,
    pub lost_reason: Option<ShortText>,
}

/// A deal and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deal {
    pub id: DealId,
    pub data: DealData,
    /// The day it was won (in the contact's or branch's time zone).
    pub won_on: Option<Date>,
    /// When it was won or lost.
    pub closed_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

impl DealData {
    /// Checks a deal against the pipeline: a title, a contact or a company (or both),
    /// a stage of the pipeline, an amount in the currency's minor units, and a reason
    /// when the stage is a lost one.
    pub fn parse(
        input: &DealInput,
        pipeline: &Pipeline,
        references: &impl References,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = errors.check_required("title", input.title.as_deref(), ShortText::parse);
        let contact_id = errors.check_opt("contact", input.contact.as_deref(), str::parse::<ContactId>);
        let company_id = errors.check_opt("company", input.company.as_deref(), str::parse::<CompanyId>);
        if contact_id.is_none() && company_id.is_none() && input.contact.is_none() && input.company.is_none() {
            errors.push("contact", "a deal is with a contact, a company or both: give one");
        }
        let first_stage = pipeline.stages().first().map(|stage| stage.key.clone());
        let stage = match input.stage.as_deref().map(str::trim).filter(|raw| !raw.is_empty()) {
            Some(raw) => errors.check("stage", {
                let key = raw.to_lowercase();
                pipeline.stage(&key).map(|stage| stage.key.clone()).ok_or_else(|| {
                    let keys: Vec<&str> = pipeline.stages().iter().map(|stage| stage.key.as_str()).collect();
                    ValueError::new(format!("'{raw}' is not a stage of the pipeline ({})", keys.join(", ")))
                })
            }),
            None => first_stage,
        };
        let currency =
            errors.check_opt("currency", input.currency.as_deref(), Currency::parse).unwrap_or(Currency::INR);
        let amount = errors.check_opt("amount", input.amount.as_deref(), |raw| Money::parse(raw, currency));
        if amount.is_some_and(|amount| amount.minor < 0) {
            errors.push("amount", "must not be negative");
        }
        let expected_close =
            errors.check_opt("expected_close", input.expected_close.as_deref(), crate::parse_civil_date);
        let owner_id = errors.check_opt("owner", input.owner.as_deref(), |raw| {
            references.user(raw).ok_or_else(|| ValueError::new(format!("no member of staff is '{raw}'")))
        });
        let branch_id = errors.check_opt("branch", input.branch.as_deref(), |raw| {
            references.branch(raw).ok_or_else(|| ValueError::new(format!("no branch is named '{raw}'")))
        });
        let lost_reason = errors.check_opt("lost_reason", input.lost_reason.as_deref(), ShortText::parse);
        let outcome = stage.as_deref().and_then(|key| pipeline.stage(key)).map(|stage| stage.outcome);
        if outcome == Some(StageOutcome::Lost) && lost_reason.is_none() && input.lost_reason.is_none() {
            errors.push("lost_reason", "is required when a deal is lost");
        }
        errors.into_result()?;
        match (title, stage) {
            (Some(title), Some(stage)) => Ok(Self {
                title,
                contact_id,
                company_id,
                stage,
                amount,
                expected_close,
                owner_id,
                branch_id,
                lost_reason,
            }),
            _ => Err(ValidationErrors::single("deal", "is incomplete")),
        }
    }
}

impl From<&DealData> for DealInput {
    fn from(data: &DealData) -> Self {
        Self {
            title: Some(data.title.to_string()),
            contact: data.contact_id.map(|id| id.to_string()),
            company: data.company_id.map(|id| id.to_string()),
            stage: Some(data.stage.clone()),
            amount: data.amount.map(|amount| amount.indian_format()),
            currency: data.amount.map(|amount| amount.currency.to_string()),
            expected_close: data.expected_close.map(|date| date.to_string()),
            owner: data.owner_id.map(|id| id.to_string()),
            branch: data.branch_id.map(|id| id.to_string()),
            lost_reason: data.lost_reason.as_ref().map(ToString::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoredIds;

    fn pipeline() -> Pipeline {
        let stages: Vec<StageInput> = Pipeline::default_stages()
            .into_iter()
            .map(|(key, name, outcome)| StageInput {
                key: Some(key.into()),
                name: Some(name.into()),
                outcome: Some(outcome.as_str().into()),
            })
            .collect();
        Pipeline::parse(&stages).unwrap()
    }

    fn input() -> DealInput {
        DealInput {
            title: Some("Cold storage for the Diwali rush".into()),
            contact: Some("0190aaaa-0000-7000-8000-000000000001".into()),
            amount: Some("12,34,567.00".into()),
            expected_close: Some("15/12/2026".into()),
            ..DealInput::default()
        }
    }

    #[test]
    fn a_deal_starts_at_the_first_stage_in_rupees() {
        let deal = DealData::parse(&input(), &pipeline(), &StoredIds).unwrap();
        assert_eq!(deal.stage, "lead");
        assert_eq!(deal.amount.unwrap().minor, 123_456_700);
        assert_eq!(deal.amount.unwrap().currency, Currency::INR);
        assert_eq!(DealData::parse(&DealInput::from(&deal), &pipeline(), &StoredIds).unwrap(), deal);
    }

    #[test]
    fn a_lost_deal_says_why_and_stages_come_from_the_pipeline() {
        let lost = DealInput { stage: Some("lost".into()), ..input() };
        let fields: Vec<String> =
            DealData::parse(&lost, &pipeline(), &StoredIds).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["lost_reason"]);
        let unknown = DealInput { stage: Some("closed".into()), contact: None, amount: Some("-5".into()), ..input() };
        let errors = DealData::parse(&unknown, &pipeline(), &StoredIds).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["contact", "stage", "amount"], "{errors}");
        assert!(errors.to_string().contains("lead, qualified, proposal, negotiation, won, lost"));
    }

    #[test]
    fn a_pipeline_needs_open_won_and_lost_stages_with_unique_keys() {
        let stage = |key: &str, outcome: &str| StageInput {
            key: Some(key.into()),
            name: Some(key.into()),
            outcome: Some(outcome.into()),
        };
        let errors = Pipeline::parse(&[stage("new", "open"), stage("new", "open"), stage("Won!", "won")]).unwrap_err();
        assert_eq!(
            errors.to_string(),
            "stages[1].key: 'new' is used twice; stages[2].key: must be lower-case letters, digits and _"
        );
        let errors = Pipeline::parse(&[stage("new", "open"), stage("won", "won")]).unwrap_err();
        assert_eq!(errors.to_string(), "stages: need at least one lost stage");
    }
}
