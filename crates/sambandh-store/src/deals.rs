//! The pipeline's stages and the deals in it.

use jiff::Timestamp;
use jiff::civil::Date;
use sambandh_domain::{
    CompanyId, ContactId, Currency, Deal, DealData, DealId, Money, Pipeline, Scope, ShortText, Stage, StageOutcome,
    UserId,
};
use sea_query::{Cond, Expr, ExprTrait, OnConflict, Order, Query, SelectStatement};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::{civil_date, instant};
use crate::db::{Exec, execute, fetch_all, fetch_optional};
use crate::paging::{Keyset, fetch_page};
use crate::schema::{Companies, Contacts, Deals, PipelineStages};
use crate::{Page, PageRequest, Store, StoreError, Tx, scope};

/// Which deals a list shows; every field narrows it.
#[derive(Debug, Clone, Default)]
pub struct DealFilter {
    pub stage: Option<String>,
    /// Open, won or lost: by the outcome of the deal's stage.
    pub outcome: Option<StageOutcome>,
    pub owner_id: Option<UserId>,
    pub contact_id: Option<ContactId>,
    pub company_id: Option<CompanyId>,
}

const COLUMNS: [Deals; 16] = [
    Deals::Id,
    Deals::Title,
    Deals::ContactId,
    Deals::CompanyId,
    Deals::Stage,
    Deals::AmountMinor,
    Deals::Currency,
    Deals::ExpectedClose,
    Deals::OwnerId,
    Deals::BranchId,
    Deals::LostReason,
    Deals::WonOn,
    Deals::ClosedAt,
    Deals::CreatedAt,
    Deals::UpdatedAt,
    Deals::Version,
];

fn select(scope: &Scope) -> SelectStatement {
    let mut query = Query::select().columns(COLUMNS).from(Deals::Table).to_owned();
    scope::owned_in(&mut query, scope, Deals::BranchId, Deals::OwnerId);
    query
}

/// The deals of a contact that are in scope.
pub(crate) fn of_contact(scope: &Scope, contact_id: ContactId) -> SelectStatement {
    select(scope).and_where(Expr::col(Deals::ContactId).eq(contact_id.to_string())).to_owned()
}

impl Store {
    /// The pipeline's stages, in order.
    pub async fn pipeline(&self) -> Result<Pipeline, StoreError> {
        let mut conn = self.reader().await?;
        pipeline(&mut conn).await
    }

    pub async fn deal(&self, scope: &Scope, id: DealId) -> Result<Option<Deal>, StoreError> {
        let mut conn = self.reader().await?;
        get(&mut conn, scope, id).await
    }

    /// Deals newest first, a page at a time.
    pub async fn deals(
        &self,
        scope: &Scope,
        filter: &DealFilter,
        page: &PageRequest,
    ) -> Result<Page<Deal>, StoreError> {
        let mut query = select(scope);
        if let Some(stage) = &filter.stage {
            query.and_where(Expr::col(Deals::Stage).eq(stage.as_str()));
        }
        if let Some(outcome) = filter.outcome {
            let stages = Query::select()
                .column(PipelineStages::Key)
                .from(PipelineStages::Table)
                .and_where(Expr::col(PipelineStages::Outcome).eq(outcome.as_str()))
                .to_owned();
            query.and_where(Expr::col(Deals::Stage).in_subquery(stages));
        }
        if let Some(owner_id) = filter.owner_id {
            query.and_where(Expr::col(Deals::OwnerId).eq(owner_id.to_string()));
        }
        if let Some(contact_id) = filter.contact_id {
            query.and_where(Expr::col(Deals::ContactId).eq(contact_id.to_string()));
        }
        if let Some(company_id) = filter.company_id {
            query.and_where(Expr::col(Deals::CompanyId).eq(company_id.to_string()));
        }
        let keyset = Keyset::new("deals", Deals::Id, true, Deals::Id, true);
        let mut conn = self.reader().await?;
        fetch_page(&mut conn, query, &keyset, page, from_row).await
    }
}

impl Tx {
    pub async fn pipeline(&mut self) -> Result<Pipeline, StoreError> {
        pipeline(self).await
    }

    /// The stages that deals are in.
    pub async fn stages_in_use(&mut self) -> Result<Vec<String>, StoreError> {
        let query = Query::select().distinct().column(Deals::Stage).from(Deals::Table).to_owned();
        fetch_all(self, &query).await?.iter().map(|row| Ok(row.try_get::<String, _>("stage")?)).collect()
    }

    /// Makes the pipeline `pipeline`: stages are added, renamed, reordered, and those
    /// not named are removed (the caller checks first that no deal is in them).
    pub async fn replace_pipeline(&mut self, pipeline: &Pipeline) -> Result<(), StoreError> {
        let keys: Vec<&str> = pipeline.stages().iter().map(|stage| stage.key.as_str()).collect();
        let remove = Query::delete()
            .from_table(PipelineStages::Table)
            .and_where(Expr::col(PipelineStages::Key).is_not_in(keys))
            .to_owned();
        execute(self, &remove).await?;
        for (position, stage) in pipeline.stages().iter().enumerate() {
            let upsert = Query::insert()
                .into_table(PipelineStages::Table)
                .columns([PipelineStages::Key, PipelineStages::Name, PipelineStages::Position, PipelineStages::Outcome])
                .values_panic([
                    stage.key.as_str().into(),
                    stage.name.as_str().into(),
                    i64::try_from(position).unwrap_or(i64::MAX).into(),
                    stage.outcome.as_str().into(),
                ])
                .on_conflict(
                    OnConflict::column(PipelineStages::Key)
                        .update_columns([PipelineStages::Name, PipelineStages::Position, PipelineStages::Outcome])
                        .to_owned(),
                )
                .to_owned();
            execute(self, &upsert).await?;
        }
        Ok(())
    }

    pub async fn deal(&mut self, scope: &Scope, id: DealId) -> Result<Option<Deal>, StoreError> {
        get(self, scope, id).await
    }

    pub async fn insert_deal(&mut self, deal: &Deal) -> Result<(), StoreError> {
        let mut values = vec![deal.id.to_string().into()];
        values.extend(row_values(deal));
        values.extend([
            deal.created_at.as_microsecond().into(),
            deal.updated_at.as_microsecond().into(),
            deal.version.into(),
        ]);
        let insert = Query::insert().into_table(Deals::Table).columns(COLUMNS).values_panic(values).to_owned();
        execute(self, &insert).await?;
        Ok(())
    }

    /// Stores a deal's new state if it is still at `deal.version - 1`.
    pub async fn update_deal(&mut self, deal: &Deal) -> Result<(), StoreError> {
        let mut update = Query::update().table(Deals::Table).to_owned();
        for (column, value) in COLUMNS[1..13].iter().copied().zip(row_values(deal)) {
            update.value(column, value);
        }
        update
            .value(Deals::UpdatedAt, deal.updated_at.as_microsecond())
            .value(Deals::Version, deal.version)
            .and_where(Expr::col(Deals::Id).eq(deal.id.to_string()))
            .and_where(Expr::col(Deals::Version).eq(deal.version - 1));
        if execute(self, &update).await? == 0 {
            return Err(StoreError::VersionMismatch { expected: deal.version - 1, current: deal.version });
        }
        Ok(())
    }

    pub async fn delete_deal(&mut self, id: DealId) -> Result<(), StoreError> {
        let delete =
            Query::delete().from_table(Deals::Table).and_where(Expr::col(Deals::Id).eq(id.to_string())).to_owned();
        match execute(self, &delete).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    /// Records `won_on` as the first-deal date of the contact and the company, where
    /// they have none or a later one.
    pub async fn mark_first_deal(
        &mut self,
        contact_id: Option<ContactId>,
        company_id: Option<CompanyId>,
        won_on: Date,
    ) -> Result<(), StoreError> {
        let earlier = |column: sea_query::DynIden| {
            Cond::any().add(Expr::col(column.clone()).is_null()).add(Expr::col(column).gt(won_on.to_string()))
        };
        if let Some(contact_id) = contact_id {
            let update = Query::update()
                .table(Contacts::Table)
                .value(Contacts::FirstDealOn, won_on.to_string())
                .and_where(Expr::col(Contacts::Id).eq(contact_id.to_string()))
                .cond_where(earlier(sea_query::IntoIden::into_iden(Contacts::FirstDealOn)))
                .to_owned();
            execute(self, &update).await?;
        }
        if let Some(company_id) = company_id {
            let update = Query::update()
                .table(Companies::Table)
                .value(Companies::FirstDealOn, won_on.to_string())
                .and_where(Expr::col(Companies::Id).eq(company_id.to_string()))
                .cond_where(earlier(sea_query::IntoIden::into_iden(Companies::FirstDealOn)))
                .to_owned();
            execute(self, &update).await?;
        }
        Ok(())
    }
}

async fn pipeline(db: &mut impl Exec) -> Result<Pipeline, StoreError> {
    let query = Query::select()
        .columns([PipelineStages::Key, PipelineStages::Name, PipelineStages::Outcome])
        .from(PipelineStages::Table)
        .order_by(PipelineStages::Position, Order::Asc)
        .to_owned();
    let stages = fetch_all(db, &query)
        .await?
        .iter()
        .map(|row| {
            let corrupt = |what: &str| StoreError::Corrupt(format!("pipeline_stages.{what}"));
            let name: String = row.try_get("name")?;
            let outcome: String = row.try_get("outcome")?;
            Ok(Stage {
                key: row.try_get("key")?,
                name: ShortText::parse(&name).map_err(|_| corrupt("name"))?,
                outcome: StageOutcome::parse(&outcome).map_err(|_| corrupt("outcome"))?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Pipeline::from_stored(stages))
}

async fn get(db: &mut impl Exec, scope: &Scope, id: DealId) -> Result<Option<Deal>, StoreError> {
    let query = select(scope).and_where(Expr::col(Deals::Id).eq(id.to_string())).to_owned();
    fetch_optional(db, &query).await?.as_ref().map(from_row).transpose()
}

/// Values of `COLUMNS[1..13]`, in that order.
fn row_values(deal: &Deal) -> Vec<sea_query::Expr> {
    let data = &deal.data;
    vec![
        data.title.as_str().into(),
        data.contact_id.map(|id| id.to_string()).into(),
        data.company_id.map(|id| id.to_string()).into(),
        data.stage.as_str().into(),
        data.amount.map(|amount| amount.minor).into(),
        data.amount.map(|amount| amount.currency.to_string()).into(),
        data.expected_close.map(|date| date.to_string()).into(),
        data.owner_id.map(|id| id.to_string()).into(),
        data.branch_id.map(|id| id.to_string()).into(),
        data.lost_reason.as_ref().map(ToString::to_string).into(),
        deal.won_on.map(|date| date.to_string()).into(),
        deal.closed_at.map(|at| at.as_microsecond()).into(),
    ]
}

pub(crate) fn from_row(row: &AnyRow) -> Result<Deal, StoreError> {
    let id: String = row.try_get("id")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("deal {id}: {what}"));
    let text = |column: &str| -> Result<Option<String>, StoreError> { Ok(row.try_get::<Option<String>, _>(column)?) };
    let amount = match (row.try_get::<Option<i64>, _>("amount_minor")?, text("currency")?) {
        (Some(minor), Some(currency)) => {
            Some(Money { minor, currency: Currency::parse(&currency).map_err(|_| corrupt("currency"))? })
        }
        _ => None,
    };
    let title: String = row.try_get("title")?;
    let data = DealData {
        title: ShortText::parse(&title).map_err(|_| corrupt("title"))?,
        contact_id: text("contact_id")?.map(|raw| raw.parse().map_err(|_| corrupt("contact_id"))).transpose()?,
        company_id: text("company_id")?.map(|raw| raw.parse().map_err(|_| corrupt("company_id"))).transpose()?,
        stage: row.try_get("stage")?,
        amount,
        expected_close: civil_date(row, "expected_close")?,
        owner_id: text("owner_id")?.map(|raw| raw.parse().map_err(|_| corrupt("owner_id"))).transpose()?,
        branch_id: text("branch_id")?.map(|raw| raw.parse().map_err(|_| corrupt("branch_id"))).transpose()?,
        lost_reason: text("lost_reason")?
            .map(|raw| ShortText::parse(&raw).map_err(|_| corrupt("lost_reason")))
            .transpose()?,
    };
    Ok(Deal {
        id: id.parse().map_err(|_| corrupt("id"))?,
        data,
        won_on: civil_date(row, "won_on")?,
        closed_at: row
            .try_get::<Option<i64>, _>("closed_at")?
            .map(Timestamp::from_microsecond)
            .transpose()
            .map_err(|_| corrupt("closed_at"))?,
        created_at: instant(row, "created_at")?,
        updated_at: instant(row, "updated_at")?,
        version: row.try_get("version")?,
    })
}
