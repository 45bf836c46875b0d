//! Branches.

use jiff::Timestamp;
use sambandh_domain::{Branch, BranchId, BranchInput, NewBranch};
use sea_query::{Expr, ExprTrait, Order, Query};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::instant;
use crate::db::{execute, fetch_all};
use crate::error::conflict_on;
use crate::schema::Branches;
use crate::{Store, StoreError, Tx};

impl Store {
    /// Every branch, by name. A business has a handful, so they are read whole.
    pub async fn branches(&self) -> Result<Vec<Branch>, StoreError> {
        let mut conn = self.reader().await?;
        let query = Query::select()
            .columns([
                Branches::Id,
                Branches::Name,
                Branches::City,
                Branches::Region,
                Branches::TimeZone,
                Branches::Language,
                Branches::CreatedAt,
            ])
            .from(Branches::Table)
            .order_by(Branches::Name, Order::Asc)
            .to_owned();
        fetch_all(&mut conn, &query).await?.iter().map(from_row).collect()
    }

    /// One branch by id.
    pub async fn branch(&self, id: BranchId) -> Result<Option<Branch>, StoreError> {
        Ok(self.branches().await?.into_iter().find(|branch| branch.id == id))
    }
}

impl Tx {
    pub async fn insert_branch(&mut self, id: BranchId, branch: &NewBranch, now: Timestamp) -> Result<(), StoreError> {
        let insert = Query::insert()
            .into_table(Branches::Table)
            .columns([
                Branches::Id,
                Branches::Name,
                Branches::City,
                Branches::Region,
                Branches::TimeZone,
                Branches::Language,
                Branches::CreatedAt,
            ])
            .values_panic([
                id.to_string().into(),
                branch.name.as_str().into(),
                branch.city.as_str().into(),
                branch.region.as_str().into(),
                branch.time_zone.as_str().into(),
                branch.language.as_str().into(),
                now.as_microsecond().into(),
            ])
            .to_owned();
        execute(self, &insert).await.map_err(|err| conflict_on(err, "name"))?;
        Ok(())
    }

    pub async fn delete_branch(&mut self, id: BranchId) -> Result<(), StoreError> {
        let delete = Query::delete()
            .from_table(Branches::Table)
            .and_where(Expr::col(Branches::Id).eq(id.to_string()))
            .to_owned();
        match execute(self, &delete).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }
}

fn from_row(row: &AnyRow) -> Result<Branch, StoreError> {
    let id: String = row.try_get("id")?;
    let input = BranchInput {
        name: row.try_get("name")?,
        city: row.try_get("city")?,
        region: row.try_get("region")?,
        time_zone: row.try_get("time_zone")?,
        language: row.try_get("language")?,
    };
    let data = NewBranch::parse(&input).map_err(|errors| StoreError::Corrupt(format!("branch {id}: {errors}")))?;
    Ok(Branch {
        id: id.parse().map_err(|_| StoreError::Corrupt(format!("branch id {id}")))?,
        data,
        created_at: instant(row, "created_at")?,
    })
}
