//! Leads and deals in the pipeline, and the first-deal date they set.
//!
//! A deal belongs to a branch (its contact's, else the caller's) and may be assigned
//! to a member of staff; the same scope as contacts applies. When a deal enters a won
//! stage it records the day (in the contact's time zone, else its branch's, else UTC),
//! and that day becomes the contact's and the company's first-deal date if they had
//! none or a later one — an occasion for greetings.

use jiff::tz::TimeZone;
use sambandh_domain::{
    Action, Deal, DealData, DealId, DealInput, Pipeline, Scope, StageInput, StageOutcome, ValidationErrors,
};
use sambandh_store::{DealFilter, Page, PageRequest};
use serde_json::{Value, json};

use crate::audit::{action, changes};
use crate::directory::Directory;
use crate::{App, AppError, AppResult, Caller};

impl App {
    pub async fn pipeline(&self, caller: &Caller) -> AppResult<Pipeline> {
        caller.require(Action::Read)?;
        Ok(self.store.pipeline().await?)
    }

    /// Replaces the pipeline's stages. A stage that deals are in cannot be removed.
    pub async fn set_pipeline(&self, caller: &Caller, stages: &[StageInput]) -> AppResult<Pipeline> {
        caller.require(Action::Configure)?;
        let pipeline = Pipeline::parse(stages)?;
        let mut tx = self.store.begin().await?;
        let before = tx.pipeline().await?;
        let mut errors = ValidationErrors::default();
        for used in tx.stages_in_use().await? {
            if pipeline.stage(&used).is_none() {
                errors.push("stages", format!("'{used}' has deals: move them to another stage first"));
            }
        }
        errors.into_result()?;
        tx.replace_pipeline(&pipeline).await?;
        let keys = |pipeline: &Pipeline| -> Vec<String> { pipeline.stages().iter().map(|s| s.key.clone()).collect() };
        let details = json!({"stages": {"before": keys(&before), "after": keys(&pipeline)}});
        tx.append_audit(&[self.audit_entry(
            caller,
            action::UPDATE,
            Some(("pipeline", "pipeline".into())),
            Some(details),
        )])
        .await?;
        tx.commit().await?;
        Ok(pipeline)
    }

    pub async fn create_deal(&self, caller: &Caller, input: &DealInput) -> AppResult<Deal> {
        caller.require(Action::Write)?;
        let scope = caller.scope();
        let directory = Directory::load(self).await?;
        let mut input = input.clone();
        if input.owner.as_deref().is_none_or(|raw| raw.trim().is_empty()) {
            input.owner = caller.user_id().map(|id| id.to_string());
        }
        let now = crate::now();
        let mut tx = self.store.begin().await?;
        let pipeline = tx.pipeline().await?;
        let mut data = DealData::parse(&input, &pipeline, &directory)?;
        let contact = match data.contact_id {
            Some(id) => Some(tx.contact(&scope, id).await?.ok_or_else(|| not_yours("contact"))?),
            None => None,
        };
        if let Some(id) = data.company_id {
            tx.company(&scope, id).await?.ok_or_else(|| not_yours("company"))?;
        }
        if data.branch_id.is_none() {
            data.branch_id = contact.as_ref().and_then(|contact| contact.data.branch_id).or(caller.branch_id());
        }
        check_within_reach(&scope, &data)?;
        let mut deal = Deal {
            id: DealId::from_uuid(crate::new_uuid()),
            data,
            won_on: None,
            closed_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        self.settle(&mut deal, &pipeline, None, contact.as_ref()).await?;
        tx.insert_deal(&deal).await?;
        if let Some(won_on) = deal.won_on {
            tx.mark_first_deal(deal.data.contact_id, deal.data.company_id, won_on).await?;
            crate::tasks::fire_rules(&mut tx, &won_event(&deal)).await?;
        }
        let diff = changes(None, Some(&deal_fields(&deal)));
        tx.append_audit(&[self.audit_entry(caller, action::CREATE, Some(("deal", deal.id.to_string())), Some(diff))])
            .await?;
        tx.commit().await?;
        Ok(deal)
    }

    pub async fn deal(&self, caller: &Caller, id: DealId) -> AppResult<Deal> {
        caller.require(Action::Read)?;
        self.store.deal(&caller.scope(), id).await?.ok_or(AppError::NotFound)
    }

    pub async fn deals(&self, caller: &Caller, filter: &DealFilter, page: &PageRequest) -> AppResult<Page<Deal>> {
        caller.require(Action::Read)?;
        Ok(self.store.deals(&caller.scope(), filter, page).await?)
    }

    /// Applies `change` to the deal's fields; moving it into a won or lost stage closes
    /// it, out of one reopens it.
    pub async fn update_deal(
        &self,
        caller: &Caller,
        id: DealId,
        expected_version: Option<i64>,
        change: impl FnOnce(&mut DealInput),
    ) -> AppResult<Deal> {
        caller.require(Action::Write)?;
        let scope = caller.scope();
        let directory = Directory::load(self).await?;
        let mut tx = self.store.begin().await?;
        let current = tx.deal(&scope, id).await?.ok_or(AppError::NotFound)?;
        if let Some(expected) = expected_version
            && expected != current.version
        {
            return Err(AppError::VersionMismatch { expected, current: current.version });
        }
        let pipeline = tx.pipeline().await?;
        let mut input = DealInput::from(&current.data);
        change(&mut input);
        let data = DealData::parse(&input, &pipeline, &directory)?;
        // A new contact or company must be one the caller can see; the deal's own may be
        // out of their scope (a deal assigned to them with another branch's customer).
        if let Some(contact_id) = data.contact_id
            && Some(contact_id) != current.data.contact_id
        {
            tx.contact(&scope, contact_id).await?.ok_or_else(|| not_yours("contact"))?;
        }
        let contact = match data.contact_id {
            Some(contact_id) => tx.contact(&Scope::Everything, contact_id).await?,
            None => None,
        };
        if let Some(company_id) = data.company_id
            && Some(company_id) != current.data.company_id
        {
            tx.company(&scope, company_id).await?.ok_or_else(|| not_yours("company"))?;
        }
        check_within_reach(&scope, &data)?;
        let mut deal = Deal { data, updated_at: crate::now(), version: current.version + 1, ..current.clone() };
        self.settle(&mut deal, &pipeline, Some(&current), contact.as_ref()).await?;
        tx.update_deal(&deal).await?;
        if let Some(won_on) = deal.won_on {
            tx.mark_first_deal(deal.data.contact_id, deal.data.company_id, won_on).await?;
            if current.won_on.is_none() {
                crate::tasks::fire_rules(&mut tx, &won_event(&deal)).await?;
            }
        }
        let diff = changes(Some(&deal_fields(&current)), Some(&deal_fields(&deal)));
        tx.append_audit(&[self.audit_entry(caller, action::UPDATE, Some(("deal", id.to_string())), Some(diff))])
            .await?;
        tx.commit().await?;
        Ok(deal)
    }

    pub async fn delete_deal(&self, caller: &Caller, id: DealId) -> AppResult<()> {
        caller.require(Action::Delete)?;
        let mut tx = self.store.begin().await?;
        tx.deal(&caller.scope(), id).await?.ok_or(AppError::NotFound)?;
        tx.delete_deal(id).await?;
        tx.append_audit(&[self.audit_entry(caller, action::DELETE, Some(("deal", id.to_string())), None)]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets when the deal was won or lost from the outcome of its stage.
    async fn settle(
        &self,
        deal: &mut Deal,
        pipeline: &Pipeline,
        before: Option<&Deal>,
        contact: Option<&sambandh_domain::Contact>,
    ) -> AppResult<()> {
        let outcome = |deal: &Deal| pipeline.stage(&deal.data.stage).map(|stage| stage.outcome);
        let was = before.and_then(outcome);
        match outcome(deal) {
            Some(StageOutcome::Won) if was != Some(StageOutcome::Won) => {
                let now = crate::now();
                let time_zone = self.time_zone_of(contact, deal.data.branch_id).await?;
                deal.won_on = Some(time_zone.to_datetime(now).date());
                deal.closed_at = Some(now);
                deal.data.lost_reason = None;
            }
            Some(StageOutcome::Lost) if was != Some(StageOutcome::Lost) => {
                deal.won_on = None;
                deal.closed_at = Some(crate::now());
            }
            Some(StageOutcome::Open) => {
                deal.won_on = None;
                deal.closed_at = None;
                deal.data.lost_reason = None;
            }
            _ => {}
        }
        Ok(())
    }

    /// The contact's time zone, else the branch's, else UTC.
    pub(crate) async fn time_zone_of(
        &self,
        contact: Option<&sambandh_domain::Contact>,
        branch_id: Option<sambandh_domain::BranchId>,
    ) -> AppResult<TimeZone> {
        if let Some(time_zone) = contact.and_then(|contact| contact.data.time_zone.as_ref()) {
            return Ok(time_zone.to_time_zone());
        }
        let branch_id = contact.and_then(|contact| contact.data.branch_id).or(branch_id);
        let Some(branch_id) = branch_id else { return Ok(TimeZone::UTC) };
        let branches = self.store.branches().await?;
        Ok(branches
            .into_iter()
            .find(|branch| branch.id == branch_id)
            .map_or(TimeZone::UTC, |branch| branch.data.time_zone.to_time_zone()))
    }
}

/// A deal won, for the follow-up rules: its owner follows up.
fn won_event(deal: &Deal) -> crate::tasks::Event {
    crate::tasks::Event {
        trigger: sambandh_domain::RuleTrigger::DealWon,
        at: deal.closed_at.unwrap_or(deal.updated_at),
        assignee_id: deal.data.owner_id,
        contact_id: deal.data.contact_id,
        deal_id: Some(deal.id),
        branch_id: deal.data.branch_id,
    }
}

/// A referenced record out of scope is refused like one that does not exist.
fn not_yours(field: &'static str) -> AppError {
    ValidationErrors::single(field, "no such record").into()
}

fn check_within_reach(scope: &Scope, data: &DealData) -> AppResult<()> {
    if scope.covers_contact(data.branch_id, data.owner_id) {
        return Ok(());
    }
    Err(ValidationErrors::single("branch", "is not your branch, and the deal is not assigned to you").into())
}

/// A deal's fields as audit values.
fn deal_fields(deal: &Deal) -> std::collections::BTreeMap<&'static str, Value> {
    let data = &deal.data;
    [
        ("title", json!(data.title.as_str())),
        ("contact_id", json!(data.contact_id.map(|id| id.to_string()))),
        ("company_id", json!(data.company_id.map(|id| id.to_string()))),
        ("stage", json!(data.stage)),
        ("amount", json!(data.amount.map(|a| format!("{} {}", a.currency, a.indian_format())))),
        ("expected_close", json!(data.expected_close.map(|d| d.to_string()))),
        ("owner_id", json!(data.owner_id.map(|id| id.to_string()))),
        ("branch_id", json!(data.branch_id.map(|id| id.to_string()))),
        ("lost_reason", json!(data.lost_reason.as_ref().map(|r| r.as_str()))),
        ("won_on", json!(deal.won_on.map(|d| d.to_string()))),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_null())
    .collect()
}
