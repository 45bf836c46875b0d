//! Call scripts: the organisation's per language, and branches' additions.

use jiff::Timestamp;
use sambandh_domain::{CallScript, LanguageTag, LongText, ShortText};
use sea_query::{OnConflict, Order, Query};
use sqlx::Row;

use crate::db::{execute, fetch_all};
use crate::schema::CallScripts;
use crate::{Store, StoreError, Tx};

impl Store {
    /// Every call script: the organisation's and every branch's additions. A business
    /// has a handful: read whole.
    pub async fn call_scripts(&self) -> Result<Vec<CallScript>, StoreError> {
        let mut conn = self.reader().await?;
        let query = Query::select()
            .columns([CallScripts::BranchKey, CallScripts::Language, CallScripts::Greeting, CallScripts::Text])
            .from(CallScripts::Table)
            .order_by(CallScripts::BranchKey, Order::Asc)
            .order_by(CallScripts::Language, Order::Asc)
            .to_owned();
        fetch_all(&mut conn, &query)
            .await?
            .iter()
            .map(|row| {
                let corrupt = |what: &str| StoreError::Corrupt(format!("call_scripts.{what}"));
                let branch_key: String = row.try_get("branch_key")?;
                let language: String = row.try_get("language")?;
                let greeting: Option<String> = row.try_get("greeting")?;
                let text: String = row.try_get("text")?;
                Ok(CallScript {
                    branch_id: (!branch_key.is_empty())
                        .then(|| branch_key.parse().map_err(|_| corrupt("branch_key")))
                        .transpose()?,
                    language: LanguageTag::parse(&language).map_err(|_| corrupt("language"))?,
                    greeting: greeting.map(|g| ShortText::parse(&g).map_err(|_| corrupt("greeting"))).transpose()?,
                    text: LongText::parse(&text).map_err(|_| corrupt("text"))?,
                })
            })
            .collect()
    }
}

impl Tx {
    /// Sets the organisation's script in a language, or a branch's additions to it.
    pub async fn put_call_script(&mut self, script: &CallScript, now: Timestamp) -> Result<(), StoreError> {
        let upsert = Query::insert()
            .into_table(CallScripts::Table)
            .columns([
                CallScripts::BranchKey,
                CallScripts::Language,
                CallScripts::Greeting,
                CallScripts::Text,
                CallScripts::UpdatedAt,
            ])
            .values_panic([
                script.branch_id.map(|id| id.to_string()).unwrap_or_default().into(),
                script.language.as_str().into(),
                script.greeting.as_ref().map(ToString::to_string).into(),
                script.text.as_str().into(),
                now.as_microsecond().into(),
            ])
            .on_conflict(
                OnConflict::columns([CallScripts::BranchKey, CallScripts::Language])
                    .update_columns([CallScripts::Greeting, CallScripts::Text, CallScripts::UpdatedAt])
                    .to_owned(),
            )
            .to_owned();
        execute(self, &upsert).await?;
        Ok(())
    }
}
