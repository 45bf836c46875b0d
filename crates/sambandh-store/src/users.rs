//! Staff accounts.

use sambandh_domain::{NewUser, StoredIds, User, UserId, UserInput};
use sea_query::{Expr, ExprTrait, Order, Query};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::instant;
use crate::db::{execute, fetch_all, fetch_optional};
use crate::error::conflict_on;
use crate::schema::Users;
use crate::{Store, StoreError, Tx};

/// The columns a user is read from (the password hash is written, never read here).
pub(crate) const COLUMNS: [Users; 7] =
    [Users::Id, Users::Email, Users::Name, Users::Role, Users::BranchId, Users::Languages, Users::CreatedAt];

impl Store {
    /// Every member of staff, by e-mail. A business has tens or hundreds: read whole.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let mut conn = self.reader().await?;
        let query = Query::select().columns(COLUMNS).from(Users::Table).order_by(Users::Email, Order::Asc).to_owned();
        fetch_all(&mut conn, &query).await?.iter().map(user_from_row).collect()
    }

    pub async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let mut conn = self.reader().await?;
        let query = Query::select()
            .columns(COLUMNS)
            .from(Users::Table)
            .and_where(Expr::col(Users::Id).eq(id.to_string()))
            .to_owned();
        fetch_optional(&mut conn, &query).await?.as_ref().map(user_from_row).transpose()
    }
}

impl Tx {
    /// Adds a member of staff; `password_hash` is a PHC string (argon2id), never a password.
    pub async fn insert_user(&mut self, user: &User, password_hash: Option<&str>) -> Result<(), StoreError> {
        let data = &user.data;
        let languages: Vec<String> = data.languages.iter().map(ToString::to_string).collect();
        let insert = Query::insert()
            .into_table(Users::Table)
            .columns(COLUMNS.into_iter().chain([Users::PasswordHash]))
            .values_panic([
                user.id.to_string().into(),
                // Stored lower-case whole, so one mailbox is one account however typed.
                data.email.as_str().to_lowercase().into(),
                data.name.as_str().into(),
                data.role.as_str().into(),
                data.branch_id.map(|id| id.to_string()).into(),
                serde_json::to_string(&languages).unwrap_or_else(|_| "[]".into()).into(),
                user.created_at.as_microsecond().into(),
                password_hash.map(str::to_owned).into(),
            ])
            .to_owned();
        execute(self, &insert).await.map_err(|err| conflict_on(err, "email"))?;
        Ok(())
    }
}

pub(crate) fn user_from_row(row: &AnyRow) -> Result<User, StoreError> {
    let id: String = row.try_get("id")?;
    user_from_parts(row, &id, "created_at")
}

/// A user from a row that may hold other tables' columns too: the id is given, and
/// the creation instant read from `created_at_column`.
pub(crate) fn user_from_parts(row: &AnyRow, id: &str, created_at_column: &str) -> Result<User, StoreError> {
    let languages_json: String = row.try_get("languages")?;
    let languages: Vec<String> = serde_json::from_str(&languages_json)
        .map_err(|err| StoreError::Corrupt(format!("user {id} languages: {err}")))?;
    let input = UserInput {
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        branch: row.try_get("branch_id")?,
        languages,
    };
    let data =
        NewUser::parse(&input, &StoredIds).map_err(|errors| StoreError::Corrupt(format!("user {id}: {errors}")))?;
    Ok(User {
        id: id.parse::<UserId>().map_err(|_| StoreError::Corrupt(format!("user id {id}")))?,
        data,
        created_at: instant(row, created_at_column)?,
    })
}
