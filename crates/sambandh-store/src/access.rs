//! Credentials: password hashes, sign-in sessions, API tokens. Secrets are never
//! stored: sessions and tokens are kept as hashes of the secret the client holds.

use jiff::Timestamp;
use sambandh_domain::{User, UserId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::instant;
use crate::db::{execute, fetch_all, fetch_optional};
use crate::schema::{ApiTokens, Sessions, Users};
use crate::users::{self, user_from_row};
use crate::{Store, StoreError, Tx};

/// A new sign-in session.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub address: Option<String>,
}

/// A stored session and the account it signs in.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: User,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

/// An API token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: String,
    pub user_id: UserId,
    pub label: String,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

const TOKEN_COLUMNS: [ApiTokens; 7] = [
    ApiTokens::Id,
    ApiTokens::UserId,
    ApiTokens::Label,
    ApiTokens::CreatedAt,
    ApiTokens::ExpiresAt,
    ApiTokens::LastUsedAt,
    ApiTokens::RevokedAt,
];

impl Store {
    /// The account with this e-mail (any case) and its password hash, if it has one.
    pub async fn credentials(&self, email: &str) -> Result<Option<(User, Option<String>)>, StoreError> {
        let mut conn = self.reader().await?;
        let query = Query::select()
            .columns(users::COLUMNS)
            .column(Users::PasswordHash)
            .from(Users::Table)
            .and_where(Expr::col(Users::Email).eq(email.trim().to_lowercase()))
            .to_owned();
        let Some(row) = fetch_optional(&mut conn, &query).await? else { return Ok(None) };
        Ok(Some((user_from_row(&row)?, row.try_get("password_hash")?)))
    }

    /// The session whose secret hashes to `token_hash`, with its user, if it has not
    /// expired at `now`.
    pub async fn session(&self, token_hash: &str, now: Timestamp) -> Result<Option<SessionRecord>, StoreError> {
        let mut conn = self.reader().await?;
        let query = Query::select()
            .columns(users::COLUMNS.map(|column| (Users::Table, column)))
            .column((Sessions::Table, Sessions::CsrfToken))
            .expr_as(Expr::col((Sessions::Table, Sessions::CreatedAt)), Alias::new("session_created_at"))
            .column((Sessions::Table, Sessions::LastSeenAt))
            .column((Sessions::Table, Sessions::ExpiresAt))
            .from(Sessions::Table)
            .inner_join(Users::Table, Expr::col((Users::Table, Users::Id)).equals((Sessions::Table, Sessions::UserId)))
            .and_where(Expr::col((Sessions::Table, Sessions::TokenHash)).eq(token_hash))
            .and_where(Expr::col((Sessions::Table, Sessions::ExpiresAt)).gt(now.as_microsecond()))
            .to_owned();
        let Some(row) = fetch_optional(&mut conn, &query).await? else { return Ok(None) };
        Ok(Some(SessionRecord {
            user: user_from_row(&row)?,
            csrf_token: row.try_get("csrf_token")?,
            created_at: instant(&row, "session_created_at")?,
            last_seen_at: instant(&row, "last_seen_at")?,
            expires_at: instant(&row, "expires_at")?,
        }))
    }

    /// The token whose secret hashes to `token_hash`, with its user, if it is neither
    /// revoked nor expired at `now`.
    pub async fn token(&self, token_hash: &str, now: Timestamp) -> Result<Option<(ApiToken, User)>, StoreError> {
        let mut conn = self.reader().await?;
        let query = Query::select()
            .columns(TOKEN_COLUMNS.map(|column| (ApiTokens::Table, column)))
            .columns(users::COLUMNS.into_iter().filter(|c| !matches!(c, Users::Id | Users::CreatedAt)))
            .expr_as(Expr::col((Users::Table, Users::CreatedAt)), Alias::new("user_created_at"))
            .from(ApiTokens::Table)
            .inner_join(
                Users::Table,
                Expr::col((Users::Table, Users::Id)).equals((ApiTokens::Table, ApiTokens::UserId)),
            )
            .and_where(Expr::col((ApiTokens::Table, ApiTokens::TokenHash)).eq(token_hash))
            .and_where(Expr::col((ApiTokens::Table, ApiTokens::RevokedAt)).is_null())
            .cond_where(
                sea_query::Cond::any()
                    .add(Expr::col((ApiTokens::Table, ApiTokens::ExpiresAt)).is_null())
                    .add(Expr::col((ApiTokens::Table, ApiTokens::ExpiresAt)).gt(now.as_microsecond())),
            )
            .to_owned();
        let Some(row) = fetch_optional(&mut conn, &query).await? else { return Ok(None) };
        let token = token_from_row(&row)?;
        let user = users::user_from_parts(&row, &token.user_id.to_string(), "user_created_at")?;
        Ok(Some((token, user)))
    }

    /// A user's tokens, newest first, revoked and expired ones included.
    pub async fn tokens(&self, user_id: UserId) -> Result<Vec<ApiToken>, StoreError> {
        let mut conn = self.reader().await?;
        let query = Query::select()
            .columns(TOKEN_COLUMNS)
            .from(ApiTokens::Table)
            .and_where(Expr::col(ApiTokens::UserId).eq(user_id.to_string()))
            .order_by(ApiTokens::Id, Order::Desc)
            .to_owned();
        fetch_all(&mut conn, &query).await?.iter().map(token_from_row).collect()
    }

    /// Notes that sessions and tokens were used, a batch at a time (see the app's
    /// audit writer): sessions slide their expiry, tokens record their last use.
    pub async fn touch_credentials(
        &self,
        sessions: &[(String, Timestamp, Timestamp)],
        tokens: &[(String, Timestamp)],
    ) -> Result<(), StoreError> {
        if sessions.is_empty() && tokens.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for (token_hash, seen_at, expires_at) in sessions {
            let update = Query::update()
                .table(Sessions::Table)
                .value(Sessions::LastSeenAt, seen_at.as_microsecond())
                .value(Sessions::ExpiresAt, expires_at.as_microsecond())
                .and_where(Expr::col(Sessions::TokenHash).eq(token_hash.as_str()))
                .to_owned();
            execute(&mut tx, &update).await?;
        }
        for (id, used_at) in tokens {
            let update = Query::update()
                .table(ApiTokens::Table)
                .value(ApiTokens::LastUsedAt, used_at.as_microsecond())
                .and_where(Expr::col(ApiTokens::Id).eq(id.as_str()))
                .to_owned();
            execute(&mut tx, &update).await?;
        }
        tx.commit().await
    }
}

impl Tx {
    pub async fn insert_session(&mut self, session: &NewSession) -> Result<(), StoreError> {
        let insert = Query::insert()
            .into_table(Sessions::Table)
            .columns([
                Sessions::TokenHash,
                Sessions::UserId,
                Sessions::CsrfToken,
                Sessions::CreatedAt,
                Sessions::LastSeenAt,
                Sessions::ExpiresAt,
                Sessions::Address,
            ])
            .values_panic([
                session.token_hash.as_str().into(),
                session.user_id.to_string().into(),
                session.csrf_token.as_str().into(),
                session.created_at.as_microsecond().into(),
                session.created_at.as_microsecond().into(),
                session.expires_at.as_microsecond().into(),
                session.address.clone().into(),
            ])
            .to_owned();
        execute(self, &insert).await?;
        Ok(())
    }

    /// Ends one session.
    pub async fn delete_session(&mut self, token_hash: &str) -> Result<(), StoreError> {
        let delete = Query::delete()
            .from_table(Sessions::Table)
            .and_where(Expr::col(Sessions::TokenHash).eq(token_hash))
            .to_owned();
        execute(self, &delete).await?;
        Ok(())
    }

    /// Ends every session of a user ("sign out everywhere"); returns how many there were.
    pub async fn delete_sessions_of(&mut self, user_id: UserId) -> Result<u64, StoreError> {
        let delete = Query::delete()
            .from_table(Sessions::Table)
            .and_where(Expr::col(Sessions::UserId).eq(user_id.to_string()))
            .to_owned();
        Ok(execute(self, &delete).await?)
    }

    /// Forgets sessions that expired before `now`.
    pub async fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64, StoreError> {
        let delete = Query::delete()
            .from_table(Sessions::Table)
            .and_where(Expr::col(Sessions::ExpiresAt).lte(now.as_microsecond()))
            .to_owned();
        Ok(execute(self, &delete).await?)
    }

    pub async fn insert_token(&mut self, token: &ApiToken, token_hash: &str) -> Result<(), StoreError> {
        let insert = Query::insert()
            .into_table(ApiTokens::Table)
            .columns(TOKEN_COLUMNS.into_iter().chain([ApiTokens::TokenHash]))
            .values_panic([
                token.id.as_str().into(),
                token.user_id.to_string().into(),
                token.label.as_str().into(),
                token.created_at.as_microsecond().into(),
                token.expires_at.map(|at| at.as_microsecond()).into(),
                token.last_used_at.map(|at| at.as_microsecond()).into(),
                token.revoked_at.map(|at| at.as_microsecond()).into(),
                token_hash.into(),
            ])
            .to_owned();
        execute(self, &insert).await?;
        Ok(())
    }

    /// Revokes a token of `user_id` (any user's with `None`). Returns the token, or
    /// [`StoreError::NotFound`] when there is no such token for that user.
    pub async fn revoke_token(
        &mut self,
        id: &str,
        user_id: Option<UserId>,
        now: Timestamp,
    ) -> Result<ApiToken, StoreError> {
        let mut update = Query::update()
            .table(ApiTokens::Table)
            .value(ApiTokens::RevokedAt, now.as_microsecond())
            .and_where(Expr::col(ApiTokens::Id).eq(id))
            .and_where(Expr::col(ApiTokens::RevokedAt).is_null())
            .to_owned();
        let mut select = Query::select()
            .columns(TOKEN_COLUMNS)
            .from(ApiTokens::Table)
            .and_where(Expr::col(ApiTokens::Id).eq(id))
            .to_owned();
        if let Some(user_id) = user_id {
            update.and_where(Expr::col(ApiTokens::UserId).eq(user_id.to_string()));
            select.and_where(Expr::col(ApiTokens::UserId).eq(user_id.to_string()));
        }
        execute(self, &update).await?;
        let row = fetch_optional(self, &select).await?.ok_or(StoreError::NotFound)?;
        token_from_row(&row)
    }
}

fn token_from_row(row: &AnyRow) -> Result<ApiToken, StoreError> {
    let optional_instant = |column: &str| -> Result<Option<Timestamp>, StoreError> {
        row.try_get::<Option<i64>, _>(column)?
            .map(Timestamp::from_microsecond)
            .transpose()
            .map_err(|err| StoreError::Corrupt(format!("api_tokens.{column}: {err}")))
    };
    let user_id: String = row.try_get("user_id")?;
    Ok(ApiToken {
        id: row.try_get("id")?,
        user_id: user_id.parse().map_err(|_| StoreError::Corrupt(format!("api_tokens.user_id {user_id}")))?,
        label: row.try_get("label")?,
        created_at: instant(row, "created_at")?,
        expires_at: optional_instant("expires_at")?,
        last_used_at: optional_instant("last_used_at")?,
        revoked_at: optional_instant("revoked_at")?,
    })
}
