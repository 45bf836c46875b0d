//! Consent events per contact, purpose and channel; the latest one is the state, kept
//! in `consent_states` as the events are written.

use std::collections::HashMap;

use sambandh_domain::{
    Channel, Consent, ConsentChange, ConsentMethod, ConsentStatus, ContactId, LanguageTag, Purpose, Scope, ShortText,
};
use sea_query::{Alias, Cond, Expr, ExprTrait, OnConflict, Order, Query};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::instant;
use crate::db::{execute, fetch_all};
use crate::schema::{ConsentStates, Consents};
use crate::scope;
use crate::{Store, StoreError, Tx};

const COLUMNS: [Consents; 10] = [
    Consents::Id,
    Consents::ContactId,
    Consents::Purpose,
    Consents::Channel,
    Consents::Status,
    Consents::Method,
    Consents::NoticeLanguage,
    Consents::Note,
    Consents::RecordedBy,
    Consents::RecordedAt,
];

impl Store {
    /// A contact's consent history, oldest first, if the contact is in scope.
    pub async fn consents(&self, scope: &Scope, contact_id: ContactId) -> Result<Vec<Consent>, StoreError> {
        let mut conn = self.reader().await?;
        let mut query = Query::select()
            .columns(COLUMNS)
            .from(Consents::Table)
            .and_where(Expr::col(Consents::ContactId).eq(contact_id.to_string()))
            .order_by(Consents::RecordedAt, Order::Asc)
            .order_by(Consents::Id, Order::Asc)
            .to_owned();
        if let Some(in_scope) = scope::contact_ids(scope) {
            query.and_where(Expr::col(Consents::ContactId).in_subquery(in_scope));
        }
        fetch_all(&mut conn, &query).await?.iter().map(from_row).collect()
    }

    /// A contact's current consent for a purpose on a channel: the status of the
    /// latest event.
    pub async fn consent_status(
        &self,
        contact_id: ContactId,
        purpose: Purpose,
        channel: Channel,
    ) -> Result<Option<ConsentStatus>, StoreError> {
        let mut conn = self.reader().await?;
        let query = Query::select()
            .column(ConsentStates::Status)
            .from(ConsentStates::Table)
            .and_where(Expr::col(ConsentStates::ContactId).eq(contact_id.to_string()))
            .and_where(Expr::col(ConsentStates::Purpose).eq(purpose.as_str()))
            .and_where(Expr::col(ConsentStates::Channel).eq(channel.as_str()))
            .to_owned();
        let row = crate::db::fetch_optional(&mut conn, &query).await?;
        row.map(|row| {
            let status: String = row.try_get("status")?;
            ConsentStatus::parse(&status).map_err(|err| StoreError::Corrupt(format!("consents.status: {err}")))
        })
        .transpose()
    }
}

impl Tx {
    /// A contact's consent history, oldest first, whatever the scope (for the
    /// operations that already checked it).
    pub async fn consents_of(&mut self, contact_id: ContactId) -> Result<Vec<Consent>, StoreError> {
        let query = Query::select()
            .columns(COLUMNS)
            .from(Consents::Table)
            .and_where(Expr::col(Consents::ContactId).eq(contact_id.to_string()))
            .order_by(Consents::RecordedAt, Order::Asc)
            .order_by(Consents::Id, Order::Asc)
            .to_owned();
        fetch_all(self, &query).await?.iter().map(from_row).collect()
    }

    pub async fn insert_consent(&mut self, id: &str, consent: &Consent) -> Result<(), StoreError> {
        self.insert_consents(&[(id.to_owned(), consent.clone())]).await
    }

    /// Appends many consent events in a few statements (an import's batch), and moves
    /// each contact's current consent to the latest of its events: an event older than
    /// the one already current (an import of history, say) leaves the state as it is.
    pub async fn insert_consents(&mut self, consents: &[(String, Consent)]) -> Result<(), StoreError> {
        // 10 values a row: well under either engine's limit of bound values.
        for chunk in consents.chunks(1_000) {
            let mut insert = Query::insert().into_table(Consents::Table).columns(COLUMNS).to_owned();
            for (id, consent) in chunk {
                let change = &consent.change;
                insert.values_panic([
                    id.as_str().into(),
                    consent.contact_id.to_string().into(),
                    change.purpose.as_str().into(),
                    change.channel.as_str().into(),
                    change.status.as_str().into(),
                    change.method.as_str().into(),
                    change.notice_language.as_ref().map(ToString::to_string).into(),
                    change.note.as_ref().map(ToString::to_string).into(),
                    consent.recorded_by.map(|id| id.to_string()).into(),
                    consent.recorded_at.as_microsecond().into(),
                ]);
            }
            execute(self, &insert).await?;
        }
        // One row per key in a statement: PostgreSQL refuses to update a row twice in one.
        let mut latest: HashMap<(ContactId, Purpose, Channel), (i64, &str, ConsentStatus)> = HashMap::new();
        for (id, consent) in consents {
            let key = (consent.contact_id, consent.change.purpose, consent.change.channel);
            let candidate = (consent.recorded_at.as_microsecond(), id.as_str(), consent.change.status);
            latest
                .entry(key)
                .and_modify(|current| {
                    if (candidate.0, candidate.1) > (current.0, current.1) {
                        *current = candidate;
                    }
                })
                .or_insert(candidate);
        }
        let latest: Vec<_> = latest.into_iter().collect();
        let excluded = |column: ConsentStates| Expr::col((Alias::new("excluded"), column));
        let stored = |column: ConsentStates| Expr::col((ConsentStates::Table, column));
        let newer = Cond::any().add(excluded(ConsentStates::RecordedAt).gt(stored(ConsentStates::RecordedAt))).add(
            Cond::all()
                .add(excluded(ConsentStates::RecordedAt).eq(stored(ConsentStates::RecordedAt)))
                .add(excluded(ConsentStates::EventId).gt(stored(ConsentStates::EventId))),
        );
        let on_conflict =
            OnConflict::columns([ConsentStates::ContactId, ConsentStates::Purpose, ConsentStates::Channel])
                .update_columns([ConsentStates::Status, ConsentStates::RecordedAt, ConsentStates::EventId])
                .action_and_where(newer.into())
                .to_owned();
        for chunk in latest.chunks(1_000) {
            let mut upsert =
                Query::insert().into_table(ConsentStates::Table).columns(ConsentStates::COLUMNS).to_owned();
            for ((contact_id, purpose, channel), (recorded_at, event_id, status)) in chunk {
                upsert.values_panic([
                    contact_id.to_string().into(),
                    purpose.as_str().into(),
                    channel.as_str().into(),
                    status.as_str().into(),
                    (*recorded_at).into(),
                    (*event_id).into(),
                ]);
            }
            upsert.on_conflict(on_conflict.clone());
            execute(self, &upsert).await?;
        }
        Ok(())
    }

    /// Removes the free text of a contact's consent events (the facts stay: a record
    /// that consent was withdrawn must outlive the person's data).
    pub async fn redact_consents(&mut self, contact_id: ContactId) -> Result<(), StoreError> {
        let update = Query::update()
            .table(Consents::Table)
            .value(Consents::Note, Expr::value(Option::<String>::None))
            .and_where(Expr::col(Consents::ContactId).eq(contact_id.to_string()))
            .to_owned();
        execute(self, &update).await?;
        Ok(())
    }
}

fn from_row(row: &AnyRow) -> Result<Consent, StoreError> {
    let corrupt = |column: &str, err: &dyn std::fmt::Display| StoreError::Corrupt(format!("consents.{column}: {err}"));
    let text = |column: &str| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(column)?) };
    let optional =
        |column: &str| -> Result<Option<String>, StoreError> { Ok(row.try_get::<Option<String>, _>(column)?) };
    let change = ConsentChange {
        purpose: Purpose::parse(&text("purpose")?).map_err(|e| corrupt("purpose", &e))?,
        channel: Channel::parse(&text("channel")?).map_err(|e| corrupt("channel", &e))?,
        status: ConsentStatus::parse(&text("status")?).map_err(|e| corrupt("status", &e))?,
        method: ConsentMethod::parse(&text("method")?).map_err(|e| corrupt("method", &e))?,
        notice_language: optional("notice_language")?
            .map(|raw| LanguageTag::parse(&raw).map_err(|e| corrupt("notice_language", &e)))
            .transpose()?,
        note: optional("note")?.map(|raw| ShortText::parse(&raw).map_err(|e| corrupt("note", &e))).transpose()?,
    };
    let contact_id = text("contact_id")?;
    Ok(Consent {
        contact_id: contact_id.parse().map_err(|e| corrupt("contact_id", &e))?,
        change,
        recorded_by: optional("recorded_by")?
            .map(|raw| raw.parse().map_err(|e| corrupt("recorded_by", &e)))
            .transpose()?,
        recorded_at: instant(row, "recorded_at")?,
    })
}
