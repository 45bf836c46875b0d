//! The audit trail: who, when, from where, what.
//!
//! Changes are audited in the transaction that makes them ([`App::audit_entry`] and
//! `Tx::append_audit`), so a change and its entry are stored together or not at all.
//! Events that write nothing of their own — viewing a record, exporting, signing in,
//! using a token — go through [`AuditWriter`], a task that appends them in batches so
//! that reads stay reads; [`App::flush_audit`] waits until everything sent is stored
//! (the CLI calls it before it exits, reading the log calls it first).

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;
use sambandh_domain::{CompanyInput, ContactData, ContactInput, NewCompany};
use sambandh_store::{AuditEntry, AuditFilter, Page, PageRequest, Store};
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc, oneshot};

use crate::{App, AppResult, Caller, Credential};

/// What the writer task is asked to do.
pub(crate) enum Message {
    Entry(AuditEntry),
    /// A session was used: slide its expiry.
    TouchSession {
        token_hash: String,
        seen_at: Timestamp,
        expires_at: Timestamp,
    },
    /// A token was used.
    TouchToken {
        id: String,
        used_at: Timestamp,
    },
    Flush(oneshot::Sender<()>),
}

/// How many events may wait for the writer. When it falls behind, those who record
/// wait (memory stays bounded, nothing is dropped): the audit's write rate is then the
/// server's pace for audited reads.
const QUEUE: usize = 8192;

/// How long a batch gathers before it is written, unless someone waits for it.
const LINGER: std::time::Duration = std::time::Duration::from_millis(200);

/// The sending side of the writer task.
#[derive(Debug, Clone)]
pub(crate) struct AuditWriter {
    sender: mpsc::Sender<Message>,
    /// Cuts a batch's gathering short: someone waits for it to be stored.
    hurry: Arc<Notify>,
}

impl AuditWriter {
    /// Starts the writer task on the current Tokio runtime.
    pub(crate) fn spawn(store: Store) -> Self {
        let (sender, receiver) = mpsc::channel(QUEUE);
        let hurry = Arc::new(Notify::new());
        tokio::spawn(write_batches(store, receiver, hurry.clone()));
        Self { sender, hurry }
    }

    pub(crate) async fn send(&self, message: Message) {
        let waits = matches!(message, Message::Flush(_));
        if self.sender.send(message).await.is_err() {
            tracing::error!("the audit writer has stopped; an event was not recorded");
        }
        if waits {
            self.hurry.notify_one();
        }
    }
}

/// Receives messages and stores what has arrived, a batch at a time.
///
/// A batch gathers for [`LINGER`] after its first message, or until someone waits for
/// it: every commit makes SQLite's readers drop their page caches, so a few commits a
/// second keep reads fast where one per request would not. While a batch gathers the
/// task sleeps without listening, so that recording an event wakes nobody: under a read
/// load that is one task switch less per request.
async fn write_batches(store: Store, mut receiver: mpsc::Receiver<Message>, hurry: Arc<Notify>) {
    let mut messages = Vec::with_capacity(QUEUE);
    while receiver.recv_many(&mut messages, QUEUE).await > 0 {
        if !messages.iter().any(|message| matches!(message, Message::Flush(_))) {
            tokio::select! {
                () = tokio::time::sleep(LINGER) => {}
                () = hurry.notified() => {}
            }
            while messages.len() < QUEUE
                && let Ok(message) = receiver.try_recv()
            {
                messages.push(message);
            }
        }
        let mut entries = Vec::new();
        let mut sessions = Vec::new();
        let mut tokens = Vec::new();
        let mut waiting = Vec::new();
        for message in messages.drain(..) {
            match message {
                Message::Entry(entry) => entries.push(entry),
                Message::TouchSession { token_hash, seen_at, expires_at } => {
                    sessions.push((token_hash, seen_at, expires_at));
                }
                Message::TouchToken { id, used_at } => tokens.push((id, used_at)),
                Message::Flush(done) => waiting.push(done),
            }
        }
        if let Err(err) = store.append_audit(&entries).await {
            tracing::error!(error = ?err, lost = entries.len(), "audit entries could not be stored");
        }
        if let Err(err) = store.touch_credentials(&sessions, &tokens).await {
            tracing::warn!(error = ?err, "session and token use could not be recorded");
        }
        for done in waiting {
            let _ = done.send(());
        }
    }
}

/// The kinds of audited events, as stored in `audit_log.action`.
pub mod action {
    pub const CREATE: &str = "create";
    pub const UPDATE: &str = "update";
    pub const DELETE: &str = "delete";
    pub const VIEW: &str = sambandh_store::VIEW_ACTION;
    /// A page of a list was shown; the entry names the contacts on it.
    pub const LIST: &str = "list";
    pub const EXPORT: &str = "export";
    pub const IMPORT: &str = "import";
    pub const LINK: &str = "link";
    pub const UNLINK: &str = "unlink";
    pub const CONSENT: &str = "consent";
    pub const EXPORT_PERSON: &str = "export_person";
    pub const ERASE: &str = "erase";
    pub const SIGN_IN: &str = "sign_in";
    pub const SIGN_IN_FAILED: &str = "sign_in_failed";
    pub const SIGN_OUT: &str = "sign_out";
    pub const SIGN_OUT_EVERYWHERE: &str = "sign_out_everywhere";
    pub const TOKEN_CREATED: &str = "token_created";
    pub const TOKEN_REVOKED: &str = "token_revoked";
    pub const TOKEN_USED: &str = "token_used";
}

impl App {
    /// An entry for an event by `caller`, to append in the event's transaction or to
    /// [`Self::record`].
    pub(crate) fn audit_entry(
        &self,
        caller: &Caller,
        action: &str,
        record: Option<(&str, String)>,
        changes: Option<Value>,
    ) -> AuditEntry {
        let (actor_id, actor, via, address) = match caller {
            Caller::LocalOperator => (None, "local operator".to_owned(), "cli", None),
            Caller::Staff(staff) => (
                Some(staff.user.id),
                staff.user.data.email.as_str().to_lowercase(),
                match staff.credential {
                    Credential::Session { .. } => "session",
                    Credential::Token { .. } => "token",
                },
                staff.address.clone(),
            ),
        };
        let (record_type, record_id) = match record {
            Some((kind, id)) => (Some(kind.to_owned()), Some(id)),
            None => (None, None),
        };
        AuditEntry {
            id: crate::new_uuid().to_string(),
            at: crate::now(),
            actor_id,
            actor,
            via: via.to_owned(),
            address,
            action: action.to_owned(),
            record_type,
            record_id,
            changes: changes.map(|changes| changes.to_string()),
            detail: None,
        }
    }

    /// Records an event that goes with no write of its own (see the module docs).
    pub(crate) async fn record(&self, entry: AuditEntry) {
        self.audit_writer.send(Message::Entry(entry)).await;
    }

    pub(crate) async fn touch(&self, message: Message) {
        self.audit_writer.send(message).await;
    }

    /// Waits until every event recorded so far is stored.
    pub async fn flush_audit(&self) {
        let (done, wait) = oneshot::channel();
        self.audit_writer.send(Message::Flush(done)).await;
        let _ = wait.await;
    }

    /// The audit log, newest first. Owners and admins only.
    pub async fn audit(
        &self,
        caller: &Caller,
        filter: &AuditFilter,
        page: &PageRequest,
    ) -> AppResult<Page<AuditEntry>> {
        caller.require(sambandh_domain::Action::ReadAudit)?;
        self.flush_audit().await;
        Ok(self.store.audit(filter, page).await?)
    }
}

/// A contact's fields as audit values: what is set, by field name.
pub(crate) fn contact_fields(data: &ContactData) -> BTreeMap<&'static str, Value> {
    let input = ContactInput::from(data);
    let pairs = |pairs: &[(String, String)]| -> Value {
        Value::Object(pairs.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect())
    };
    let fields = [
        ("external_id", json!(input.external_id)),
        ("honorific", json!(input.honorific)),
        ("given_name", json!(input.given_name)),
        ("family_name", json!(input.family_name)),
        ("father_name", json!(input.father_name)),
        ("preferred_name", json!(input.preferred_name)),
        ("name_latin", json!(input.name_latin)),
        ("other_names", pairs(&input.other_names)),
        ("gender", json!(input.gender)),
        ("language", json!(input.language)),
        ("script", json!(input.script)),
        ("time_zone", json!(input.time_zone)),
        ("region", json!(input.region)),
        ("birthday", json!(input.birthday)),
        ("emails", json!(input.emails)),
        ("phones", json!(input.phones)),
        ("address_line", json!(input.address_line)),
        ("city", json!(input.city)),
        ("pin_code", json!(input.pin_code)),
        ("branch_id", json!(input.branch)),
        ("owner_id", json!(input.owner)),
        ("tags", json!(input.tags)),
        ("custom_fields", pairs(&input.custom_fields)),
        ("value_tier", json!(input.value_tier)),
        ("source", json!(input.source)),
    ];
    fields.into_iter().filter(|(_, value)| !is_empty(value)).collect()
}

/// A company's fields as audit values.
pub(crate) fn company_fields(data: &NewCompany) -> BTreeMap<&'static str, Value> {
    let input = CompanyInput::from(data);
    let other_names: serde_json::Map<String, Value> =
        input.other_names.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    let fields = [
        ("legal_name", json!(input.legal_name)),
        ("other_names", Value::Object(other_names)),
        ("gstin", json!(input.gstin)),
        ("industry", json!(input.industry)),
        ("founded_on", json!(input.founded_on)),
        ("branch_id", json!(input.branch)),
    ];
    fields.into_iter().filter(|(_, value)| !is_empty(value)).collect()
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// The fields that differ, as `{"field": {"before": …, "after": …}}`; `None` before
/// a creation, `None` after a deletion.
pub(crate) fn changes(
    before: Option<&BTreeMap<&'static str, Value>>,
    after: Option<&BTreeMap<&'static str, Value>>,
) -> Value {
    let empty = BTreeMap::new();
    let (before, after) = (before.unwrap_or(&empty), after.unwrap_or(&empty));
    let mut changed = serde_json::Map::new();
    for field in before.keys().chain(after.keys()) {
        let (old, new) = (before.get(field), after.get(field));
        if old != new && !changed.contains_key(*field) {
            changed.insert((*field).to_owned(), json!({"before": old, "after": new}));
        }
    }
    Value::Object(changed)
}
