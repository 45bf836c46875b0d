//! Staff accounts. Passwords are hashed with argon2id and never stored or logged.

use argon2::password_hash::SaltString;
use argon2::password_hash::rand_core::OsRng;
use argon2::{Argon2, PasswordHasher};
use sambandh_domain::{Action, NewUser, User, UserId, UserInput, ValidationErrors};
use serde_json::json;

use crate::audit::action;
use crate::directory::Directory;
use crate::{App, AppError, AppResult, Caller};

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 12;

impl App {
    /// Adds a member of staff, with a password or without one (such an account cannot
    /// sign in until a password is set).
    pub async fn add_user(&self, caller: &Caller, input: &UserInput, password: Option<String>) -> AppResult<User> {
        caller.require(Action::ManageUsers)?;
        let directory = Directory::load(self).await?;
        let data = NewUser::parse(input, &directory)?;
        if !caller.role().may_grant(data.role) {
            return Err(AppError::Forbidden(format!(
                "a {} may not make an account with the role {}",
                caller.role(),
                data.role
            )));
        }
        let password_hash = match password {
            Some(password) => Some(hash_password(password).await?),
            None => None,
        };
        let user = User { id: UserId::from_uuid(crate::new_uuid()), data, created_at: crate::now() };
        let details = json!({"email": user.data.email.as_str(), "role": user.data.role.as_str()});
        let mut tx = self.store.begin().await?;
        tx.insert_user(&user, password_hash.as_deref()).await?;
        tx.append_audit(&[self.audit_entry(
            caller,
            action::CREATE,
            Some(("user", user.id.to_string())),
            Some(details),
        )])
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Every member of staff: anyone signed in may see who their colleagues are (to
    /// assign a contact to one, say).
    pub async fn users(&self, caller: &Caller) -> AppResult<Vec<User>> {
        caller.require(Action::Read)?;
        Ok(self.store.users().await?)
    }
}

/// argon2id with a random salt, off the async threads (it is slow on purpose).
async fn hash_password(password: String) -> AppResult<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(
            ValidationErrors::single("password", format!("must be at least {MIN_PASSWORD_CHARS} characters")).into()
        );
    }
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|err| AppError::Unexpected(anyhow::anyhow!("hashing a password: {err}")))
    })
    .await
    .map_err(|err| AppError::Unexpected(anyhow::Error::new(err).context("hashing a password")))?
}
