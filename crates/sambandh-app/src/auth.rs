//! Proving who one is: passwords, sessions, API tokens, and throttling of guesses.
//!
//! Secrets handed to clients (session cookies, API tokens) are 256 random bits; the
//! database keeps only their BLAKE2b-256 hash, so a copy of the database signs no one
//! in. (A fast hash is right for random secrets; passwords, which people choose, are
//! hashed with argon2id.)

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use blake2::{Blake2b, Digest, digest::consts::U32};
use jiff::{SignedDuration, Span, SpanRelativeTo, Timestamp};
use sambandh_domain::{Action, EmailAddress, User, ValidationErrors};
use sambandh_store::{ApiToken, NewSession, SessionRecord};

use crate::audit::{Message, action};
use crate::{App, AppError, AppResult, Caller, Credential, Staff};

/// A session ends after this long without use …
pub const SESSION_IDLE: SignedDuration = SignedDuration::from_hours(12);
/// … and this long after sign-in in any case.
pub const SESSION_MAX: SignedDuration = SignedDuration::from_hours(7 * 24);
/// Use of a session or token is written down at most this often.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// Failed sign-ins allowed per account, and per client address, in [`THROTTLE_WINDOW`].
pub const MAX_FAILURES_PER_ACCOUNT: usize = 5;
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The prefix of API tokens, so that a leaked one is recognisable (secret scanners).
const TOKEN_PREFIX: &str = "sambandh_";

/// A new session: the secret for the cookie and the CSRF token for forms.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub session_secret: String,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

impl App {
    /// Signs in with an e-mail and a password from `address`.
    ///
    /// A wrong e-mail and a wrong password fail alike, after the same work (a password
    /// is checked against a dummy hash when the account does not exist), and both
    /// count against the account and the address: after too many the answer is
    /// [`AppError::TooManyAttempts`] whether or not the account exists.
    pub async fn sign_in(&self, email: &str, password: &str, address: Option<&str>) -> AppResult<SignedIn> {
        // The key is the address as it is stored (NFC, lower-case), so that spellings of
        // one address share one counter.
        let account_key = match EmailAddress::parse(email) {
            Ok(parsed) => format!("account:{}", parsed.as_str().to_lowercase()),
            Err(_) => format!("account:{}", email.trim().to_lowercase()),
        };
        let address_key = address.map(|address| format!("address:{address}"));
        let keys: Vec<(&str, usize)> = std::iter::once((account_key.as_str(), MAX_FAILURES_PER_ACCOUNT))
            .chain(address_key.as_deref().map(|key| (key, MAX_FAILURES_PER_ADDRESS)))
            .collect();
        // The attempt is counted before the password is checked, so that parallel
        // guesses cannot all pass the check; a success gives it back.
        if let Some(retry_after) = self.throttle.attempt(&keys) {
            return Err(AppError::TooManyAttempts { retry_after });
        }
        let credentials = match EmailAddress::parse(email) {
            Ok(email) => self.store.credentials(email.as_str()).await?,
            Err(_) => None,
        };
        let (user, hash) = match credentials {
            Some((user, hash)) => (Some(user), hash),
            None => (None, None),
        };
        let verified = verify_password(password.to_owned(), hash).await?;
        let Some(user) = user.filter(|_| verified) else {
            let mut entry = self.audit_entry(&Caller::LocalOperator, action::SIGN_IN_FAILED, None, None);
            entry.actor = truncate(email.trim(), 200);
            entry.via = "sign-in".into();
            entry.address = address.map(str::to_owned);
            self.record(entry).await;
            return Err(AppError::Unauthenticated("the e-mail or the password is wrong".into()));
        };
        self.throttle.succeed(&keys);

        let now = crate::now();
        let session_secret = random_secret();
        let csrf_token = random_secret();
        let expires_at = now.saturating_add(SESSION_IDLE).unwrap_or(now);
        let session = NewSession {
            token_hash: hash_secret(&session_secret),
            user_id: user.id,
            csrf_token: csrf_token.clone(),
            created_at: now,
            expires_at,
            address: address.map(str::to_owned),
        };
        let caller = staff(
            user.clone(),
            Credential::Session { token_hash: session.token_hash.clone(), csrf_token: csrf_token.clone() },
            address,
        );
        let mut tx = self.store.begin().await?;
        tx.insert_session(&session).await?;
        tx.delete_expired_sessions(now).await?;
        tx.append_audit(&[self.audit_entry(&caller, action::SIGN_IN, None, None)]).await?;
        tx.commit().await?;
        Ok(SignedIn { user, session_secret, csrf_token, expires_at })
    }

    /// The member of staff a session cookie belongs to.
    pub async fn authenticate_session(&self, secret: &str, address: Option<&str>) -> AppResult<Caller> {
        let token_hash = hash_secret(secret);
        let now = crate::now();
        let session = match self.credentials.get(&token_hash) {
            Some(Known::Session(session)) => session,
            _ => {
                let generation = self.credentials.generation();
                let session = self.store.session(&token_hash, now).await?.ok_or_else(signed_out)?;
                self.credentials.put(&token_hash, Known::Session(session.clone()), generation);
                session
            }
        };
        if session.expires_at <= now {
            self.credentials.remove(&token_hash);
            return Err(signed_out());
        }
        if now.duration_since(session.last_seen_at) >= TOUCH_EVERY {
            let cap = session.created_at.saturating_add(SESSION_MAX).unwrap_or(now);
            let expires_at = now.saturating_add(SESSION_IDLE).unwrap_or(now).min(cap);
            self.credentials.update(&token_hash, |known| {
                if let Known::Session(session) = known {
                    (session.last_seen_at, session.expires_at) = (now, expires_at);
                }
            });
            self.touch(Message::TouchSession { token_hash: token_hash.clone(), seen_at: now, expires_at }).await;
        }
        let credential = Credential::Session { token_hash, csrf_token: session.csrf_token };
        Ok(staff(session.user, credential, address))
    }

    /// The member of staff an API token belongs to.
    pub async fn authenticate_token(&self, secret: &str, address: Option<&str>) -> AppResult<Caller> {
        let now = crate::now();
        let token_hash = hash_secret(secret);
        let (token, user) = match self.credentials.get(&token_hash) {
            Some(Known::Token(token, user)) => (token, user),
            _ => {
                let generation = self.credentials.generation();
                let (token, user) = self.store.token(&token_hash, now).await?.ok_or_else(signed_out)?;
                self.credentials.put(&token_hash, Known::Token(token.clone(), user.clone()), generation);
                (token, user)
            }
        };
        if token.expires_at.is_some_and(|expires_at| expires_at <= now) {
            return Err(signed_out());
        }
        let caller = staff(user, Credential::Token { id: token.id.clone() }, address);
        if token.last_used_at.is_none_or(|used| now.duration_since(used) >= TOUCH_EVERY) {
            self.credentials.update(&token_hash, |known| {
                if let Known::Token(token, _) = known {
                    token.last_used_at = Some(now);
                }
            });
            self.touch(Message::TouchToken { id: token.id.clone(), used_at: now }).await;
            self.record(self.audit_entry(&caller, action::TOKEN_USED, Some(("token", token.id)), None)).await;
        }
        Ok(caller)
    }

    /// Ends the caller's session.
    pub async fn sign_out(&self, caller: &Caller) -> AppResult<()> {
        let Some(Staff { credential: Credential::Session { token_hash, .. }, .. }) = caller.staff() else {
            return Err(AppError::BadRequest("only a session can be signed out; revoke a token instead".into()));
        };
        let mut tx = self.store.begin().await?;
        tx.delete_session(token_hash).await?;
        tx.append_audit(&[self.audit_entry(caller, action::SIGN_OUT, None, None)]).await?;
        tx.commit().await?;
        self.credentials.remove(token_hash);
        Ok(())
    }

    /// Ends every session of the caller, on every device. Returns how many ended.
    pub async fn sign_out_everywhere(&self, caller: &Caller) -> AppResult<u64> {
        let user_id =
            caller.user_id().ok_or_else(|| AppError::BadRequest("the local operator has no sessions".into()))?;
        let mut tx = self.store.begin().await?;
        let ended = tx.delete_sessions_of(user_id).await?;
        tx.append_audit(&[self.audit_entry(caller, action::SIGN_OUT_EVERYWHERE, None, None)]).await?;
        tx.commit().await?;
        self.credentials.forget(|known| matches!(known, Known::Session(s) if s.user.id == user_id));
        Ok(ended)
    }

    /// Makes an API token for the account with e-mail `for_user` (the caller's own
    /// unless the caller may manage users). Returns the token and its secret, which
    /// is shown this once and never again.
    pub async fn create_token(
        &self,
        caller: &Caller,
        for_user: Option<&str>,
        label: Option<&str>,
        lifetime: Option<SignedDuration>,
    ) -> AppResult<(ApiToken, String)> {
        let user = match for_user {
            Some(email) => {
                let user = self.user_by_email(email).await?;
                // A token acts as its user, and its use is audited as theirs: over the
                // API everyone makes their own; only the local operator (the CLI, who
                // holds the database anyway) makes one for someone else.
                if caller.staff().is_some() && caller.user_id() != Some(user.id) {
                    return Err(AppError::Forbidden("an API token can be made only by its own user".into()));
                }
                user
            }
            None => caller.staff().map(|staff| staff.user.clone()).ok_or_else(|| {
                AppError::Validation(ValidationErrors::single("user", "is required: whose token is it?"))
            })?,
        };
        let label = label.map(str::trim).filter(|label| !label.is_empty()).unwrap_or("API token");
        if label.chars().count() > 100 {
            return Err(ValidationErrors::single("label", "is longer than 100 characters").into());
        }
        if lifetime.is_some_and(|lifetime| lifetime <= SignedDuration::ZERO) {
            return Err(ValidationErrors::single("expires", "must be a positive duration such as 90d").into());
        }
        let now = crate::now();
        let expires_at = lifetime
            .map(|lifetime| now.checked_add(lifetime))
            .transpose()
            .map_err(|_| ValidationErrors::single("expires", "is too far in the future"))?;
        let secret = format!("{TOKEN_PREFIX}{}", random_secret());
        let token = ApiToken {
            id: crate::new_uuid().to_string(),
            user_id: user.id,
            label: label.to_owned(),
            created_at: now,
            expires_at,
            last_used_at: None,
            revoked_at: None,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_token(&token, &hash_secret(&secret)).await?;
        let detail = serde_json::json!({"user": user.data.email.as_str(), "label": label});
        tx.append_audit(&[self.audit_entry(
            caller,
            action::TOKEN_CREATED,
            Some(("token", token.id.clone())),
            Some(detail),
        )])
        .await?;
        tx.commit().await?;
        Ok((token, secret))
    }

    /// The caller's tokens, or with `for_user` (for those who manage users) someone else's.
    pub async fn tokens(&self, caller: &Caller, for_user: Option<&str>) -> AppResult<Vec<ApiToken>> {
        let user_id = match for_user {
            Some(email) => {
                let user = self.user_by_email(email).await?;
                if caller.user_id() != Some(user.id) {
                    caller.require(Action::ManageUsers)?;
                }
                user.id
            }
            None => caller.user_id().ok_or_else(|| ValidationErrors::single("user", "is required"))?,
        };
        Ok(self.store.tokens(user_id).await?)
    }

    /// Revokes a token: the caller's own, or any for those who manage users.
    pub async fn revoke_token(&self, caller: &Caller, id: &str) -> AppResult<ApiToken> {
        let owner = if caller.require(Action::ManageUsers).is_ok() { None } else { caller.user_id() };
        let mut tx = self.store.begin().await?;
        let token = tx.revoke_token(id, owner, crate::now()).await?;
        tx.append_audit(&[self.audit_entry(caller, action::TOKEN_REVOKED, Some(("token", token.id.clone())), None)])
            .await?;
        tx.commit().await?;
        self.credentials.forget(|known| matches!(known, Known::Token(t, _) if t.id == token.id));
        Ok(token)
    }

    async fn user_by_email(&self, email: &str) -> AppResult<User> {
        let email = EmailAddress::parse(email).map_err(|err| ValidationErrors::single("user", err.0))?;
        match self.store.credentials(email.as_str()).await? {
            Some((user, _)) => Ok(user),
            None => Err(ValidationErrors::single("user", format!("no member of staff has the e-mail {email}")).into()),
        }
    }
}

/// A lifetime as people write it: `90d`, `12h`, `2 weeks`, `P1Y`. Days are 24 hours.
pub fn parse_lifetime(raw: &str) -> Result<SignedDuration, String> {
    let span: Span = raw.trim().parse().map_err(|_| format!("'{raw}' is not a duration such as 90d, 12h or P1Y"))?;
    let reference = SpanRelativeTo::days_are_24_hours();
    // Months and years have no fixed length: count them from today.
    let duration = if span.get_years() != 0 || span.get_months() != 0 || span.get_weeks() != 0 {
        let today = jiff::tz::TimeZone::UTC.to_datetime(Timestamp::now());
        span.to_duration(today).map_err(|err| format!("'{raw}': {err}"))?
    } else {
        span.to_duration(reference).map_err(|err| format!("'{raw}': {err}"))?
    };
    if duration <= SignedDuration::ZERO {
        return Err(format!("'{raw}' is not a positive duration"));
    }
    Ok(duration)
}

fn staff(user: User, credential: Credential, address: Option<&str>) -> Caller {
    Caller::Staff(Staff { user, credential, address: address.map(str::to_owned) })
}

fn signed_out() -> AppError {
    AppError::Unauthenticated("sign in: the session or token is missing, expired or revoked".into())
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// 256 random bits, URL-safe base64.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a session or token secret.
pub(crate) fn hash_secret(secret: &str) -> String {
    let digest = Blake2b::<U32>::digest(secret.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Checks a password against an argon2id PHC string, off the async threads. Without
/// a hash (no such account, or one without a password) the work is done anyway
/// against a dummy, so that timing does not tell which accounts exist.
async fn verify_password(password: String, hash: Option<String>) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        let (hash, real) = match hash {
            Some(hash) => (hash, true),
            None => (DUMMY_HASH.clone(), false),
        };
        let parsed = PasswordHash::new(&hash)
            .map_err(|err| AppError::Unexpected(anyhow::anyhow!("a stored password hash is malformed: {err}")))?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && real)
    })
    .await
    .map_err(|err| AppError::Unexpected(anyhow::Error::new(err).context("checking a password")))?
}

/// The argon2id hash, with the parameters real ones have, of a password no one knows.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(random_secret().as_bytes(), &salt).map(|hash| hash.to_string()).unwrap_or_default()
});

/// How long a checked session or token is trusted without asking the database again.
/// Ending a session or revoking a token through this process takes effect at once;
/// through another process (the CLI, a second server) within this time.
pub const CREDENTIAL_CACHE_TTL: Duration = Duration::from_secs(5);

/// A credential the database vouched for.
#[derive(Debug, Clone)]
enum Known {
    Session(SessionRecord),
    Token(ApiToken, User),
}

/// Sessions and tokens checked in the last [`CREDENTIAL_CACHE_TTL`], by the hash of
/// their secret: a request pays a hash, not a query, to learn who sent it.
///
/// Every ending or revocation bumps a generation after it commits; an entry read from
/// the database is kept only if no generation passed meanwhile, so a read that raced
/// with a revocation is not cached.
#[derive(Debug, Default)]
pub(crate) struct CredentialCache {
    entries: Mutex<HashMap<String, (Instant, Known)>>,
    generation: std::sync::atomic::AtomicU64,
}

impl CredentialCache {
    const MAX_ENTRIES: usize = 10_000;

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Known)>> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, hash: &str) -> Option<Known> {
        let entries = self.lock();
        let (checked_at, known) = entries.get(hash)?;
        (checked_at.elapsed() < CREDENTIAL_CACHE_TTL).then(|| known.clone())
    }

    fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Keeps what the database said, unless something was revoked since `generation`.
    fn put(&self, hash: &str, known: Known, generation: u64) {
        let mut entries = self.lock();
        if self.generation() != generation {
            return;
        }
        if entries.len() >= Self::MAX_ENTRIES {
            entries.retain(|_, (checked_at, _)| checked_at.elapsed() < CREDENTIAL_CACHE_TTL);
            if entries.len() >= Self::MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(hash.to_owned(), (Instant::now(), known));
    }

    fn update(&self, hash: &str, change: impl FnOnce(&mut Known)) {
        if let Some((_, known)) = self.lock().get_mut(hash) {
            change(known);
        }
    }

    fn remove(&self, hash: &str) {
        let mut entries = self.lock();
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        entries.remove(hash);
    }

    /// Drops every entry `matches` says was ended or revoked.
    fn forget(&self, matches: impl Fn(&Known) -> bool) {
        let mut entries = self.lock();
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        entries.retain(|_, (_, known)| !matches(known));
    }
}

/// Failed sign-ins per key (an account, an address) within a sliding window. Kept in
/// the server's memory: a restart forgets it, and each server of several keeps its
/// own (documented in ARCHITECTURE.md).
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Throttle {
    /// Counts an attempt against each of `keys`, as a failure until [`Self::succeed`]
    /// says otherwise — or, when one of them is at its limit, counts nothing and says
    /// how long until it may try again. Check and count are one step under the lock.
    pub(crate) fn attempt(&self, keys: &[(&str, usize)]) -> Option<Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if failures.len() > 100_000 {
            failures.retain(|_, times| times.last().is_some_and(|at| now.duration_since(*at) < THROTTLE_WINDOW));
        }
        let blocked = keys
            .iter()
            .filter_map(|(key, limit)| {
                let times = failures.get_mut(*key)?;
                times.retain(|at| now.duration_since(*at) < THROTTLE_WINDOW);
                // Blocked until the oldest failure that keeps the count at the limit ages out.
                let over = times.len().checked_sub(*limit)?;
                Some(THROTTLE_WINDOW.saturating_sub(now.duration_since(times[over])))
            })
            .max();
        if blocked.is_none() {
            for (key, _) in keys {
                failures.entry((*key).to_owned()).or_default().push(now);
            }
        }
        blocked
    }

    /// A successful sign-in: the account's failures are forgotten, and the attempt
    /// counted against the address is given back.
    fn succeed(&self, keys: &[(&str, usize)]) {
        let mut failures = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for (n, (key, _)) in keys.iter().enumerate() {
            if n == 0 {
                failures.remove(*key);
            } else if let Some(times) = failures.get_mut(*key) {
                times.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_is_a_valid_argon2id_hash() {
        let parsed = PasswordHash::new(&DUMMY_HASH).unwrap();
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        assert!(Argon2::default().verify_password(b"guess", &parsed).is_err());
    }

    #[test]
    fn the_throttle_blocks_at_the_limit_and_a_success_clears_the_account() {
        let throttle = Throttle::default();
        let keys = [("account:a@b.in", 2), ("address:10.0.0.1", 3)];
        assert!(throttle.attempt(&keys).is_none());
        assert!(throttle.attempt(&keys).is_none());
        let wait = throttle.attempt(&keys).unwrap();
        assert!(wait > Duration::from_secs(14 * 60) && wait <= THROTTLE_WINDOW, "{wait:?}");

        // Another account from the same address: one more attempt, then the address's limit.
        let other = [("account:c@d.in", 2), ("address:10.0.0.1", 3)];
        assert!(throttle.attempt(&other).is_none());
        assert!(throttle.attempt(&other).is_some(), "the address reached its limit of 3");

        // A success forgets the account's failures and gives the address its attempt back.
        let fresh = Throttle::default();
        assert!(fresh.attempt(&keys).is_none());
        fresh.succeed(&keys);
        for _ in 0..2 {
            assert!(fresh.attempt(&keys).is_none());
        }
        assert!(fresh.attempt(&keys).is_some());
    }

    #[test]
    fn lifetimes_as_people_write_them() {
        assert_eq!(parse_lifetime("90d").unwrap(), SignedDuration::from_hours(90 * 24));
        assert_eq!(parse_lifetime("12h").unwrap(), SignedDuration::from_hours(12));
        assert!(parse_lifetime("P1Y").unwrap() >= SignedDuration::from_hours(365 * 24));
        assert!(parse_lifetime("soon").unwrap_err().contains("90d"));
        assert!(parse_lifetime("0d").is_err());
    }

    #[test]
    fn secrets_are_random_and_hashed_to_64_hex_digits() {
        let (a, b) = (random_secret(), random_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_secret(&a).len(), 64);
        assert_eq!(hash_secret(&a), hash_secret(&a));
    }
}
