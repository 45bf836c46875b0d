//! Sending the outbox: claim due messages with a lease, check each once more against
//! the person's wishes (consent, the frequency cap, quiet hours), send it, record the
//! attempt. Killed at any moment, a sender loses nothing: a claimed message whose lease
//! runs out is claimed again, so only the one in flight at the kill can go twice.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use sambandh_channels::{DeliveryError, Email, Gateway, SmtpSender, TextMessage};
use sambandh_domain::{Channel, ConsentChange, ConsentInput, GreetingStatus, MessageStatus, Purpose};
use sambandh_store::OutboundMessage;
use serde::Serialize;
use serde_json::json;

use crate::audit::action;
use crate::{App, AppError, AppResult, Caller};

/// Where messages go out.
#[derive(Debug, Clone, Default)]
pub struct Channels {
    pub smtp: Option<SmtpSender>,
    pub sms: Option<Gateway>,
    pub whatsapp: Option<sambandh_channels::WhatsAppGateway>,
}

/// How a sender works.
#[derive(Debug, Clone)]
pub struct SendOptions {
    /// Messages claimed at once.
    pub batch: u64,
    /// How long a claim holds; a sender killed mid-batch gives its messages back after it.
    pub lease: SignedDuration,
    /// Messages sent at the same time.
    pub concurrency: usize,
    /// Attempts before a message that keeps failing is given up.
    pub max_attempts: u32,
}

impl Default for SendOptions {
    fn default() -> Self {
        Self { batch: 200, lease: SignedDuration::from_secs(60), concurrency: 16, max_attempts: 6 }
    }
}

/// What one pass over the outbox did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SendReport {
    pub sent: u64,
    /// Failed for now; tried again later.
    pub retrying: u64,
    pub failed: u64,
    /// Not sent: consent withdrawn or the frequency cap reached.
    pub withheld: u64,
    /// Put back until the person's quiet hours end.
    pub deferred: u64,
}

impl SendReport {
    pub fn handled(&self) -> u64 {
        self.sent + self.retrying + self.failed + self.withheld + self.deferred
    }

    fn add(&mut self, other: &Self) {
        self.sent += other.sent;
        self.retrying += other.retrying;
        self.failed += other.failed;
        self.withheld += other.withheld;
        self.deferred += other.deferred;
    }
}

/// When a message that failed for now is tried again: 1, 5, 30 minutes, 2 and 12 hours.
fn backoff(attempts: u32) -> SignedDuration {
    let minutes = match attempts {
        0 | 1 => 1,
        2 => 5,
        3 => 30,
        4 => 120,
        _ => 720,
    };
    SignedDuration::from_mins(minutes)
}

/// What happened to one message.
enum Outcome {
    Sent,
    Retry(String),
    Failed(String),
    Withheld(&'static str),
    Deferred(Timestamp),
}

impl App {
    /// Sends what is due until nothing is (one pass of the worker, or `sambandh outbox
    /// send`).
    pub async fn send_outbox(&self, channels: &Channels, options: &SendOptions) -> AppResult<SendReport> {
        let mut total = SendReport::default();
        loop {
            let report = self.send_batch(channels, options).await?;
            total.add(&report);
            if report.handled() == 0 {
                return Ok(total);
            }
        }
    }

    /// Claims one batch of due messages and handles each.
    pub async fn send_batch(&self, channels: &Channels, options: &SendOptions) -> AppResult<SendReport> {
        let now = crate::now();
        let lease_until = now.checked_add(options.lease).unwrap_or(now);
        let mut tx = self.store.begin().await?;
        let claimed = tx.claim_messages(now, lease_until, options.batch).await?;
        tx.commit().await?;
        let settings = Arc::new(self.greeting_settings().await?);
        let people = Arc::new(crate::greetings::People::load(self).await?);
        let semaphore = Arc::new(tokio::sync::Semaphore::new(options.concurrency.max(1)));
        // One task per contact, sending its messages in order: the frequency cap counts
        // what went before, so two messages to one person are never checked at once.
        let mut by_contact: Vec<Vec<OutboundMessage>> = Vec::new();
        for message in claimed {
            match by_contact.iter_mut().find(|group| group[0].contact_id == message.contact_id) {
                Some(group) => group.push(message),
                None => by_contact.push(vec![message]),
            }
        }
        let mut tasks = tokio::task::JoinSet::new();
        for group in by_contact {
            let app = self.clone();
            let channels = channels.clone();
            let settings = Arc::clone(&settings);
            let people = Arc::clone(&people);
            let semaphore = Arc::clone(&semaphore);
            let max_attempts = options.max_attempts;
            tasks.spawn(async move {
                let _permit = semaphore
                    .acquire_owned()
                    .await
                    .map_err(|err| AppError::Unexpected(anyhow::anyhow!(err.to_string())))?;
                let mut recorded = Vec::with_capacity(group.len());
                for message in &group {
                    let outcome = app.handle(&channels, &settings, &people, message).await?;
                    recorded.push(app.record_outcome(message, outcome, max_attempts).await?);
                }
                Ok::<_, AppError>(recorded)
            });
        }
        let mut report = SendReport::default();
        while let Some(joined) = tasks.join_next().await {
            for status in joined.map_err(|err| AppError::Unexpected(anyhow::anyhow!(err.to_string())))?? {
                match status {
                    Recorded::Sent => report.sent += 1,
                    Recorded::Retrying => report.retrying += 1,
                    Recorded::Failed => report.failed += 1,
                    Recorded::Withheld => report.withheld += 1,
                    Recorded::Deferred => report.deferred += 1,
                }
            }
        }
        Ok(report)
    }

    /// Checks a claimed message against the person's wishes and sends it.
    async fn handle(
        &self,
        channels: &Channels,
        settings: &crate::greetings::GreetingSettings,
        people: &crate::greetings::People,
        message: &OutboundMessage,
    ) -> AppResult<Outcome> {
        // Consent is asked at the moment of sending: a withdrawal a second ago counts.
        let Some(contact) = self.contact_if_permitted(message.contact_id, message.purpose, message.channel).await?
        else {
            return Ok(Outcome::Withheld("no consent for this purpose on this channel"));
        };
        let now = crate::now();
        if message.purpose != Purpose::Service {
            let zone = people.zone(contact.data.time_zone.as_ref().map(|zone| zone.as_str()), contact.data.branch_id);
            let allowed = settings.quiet_hours.next_allowed(now, &zone);
            if allowed > now {
                return Ok(Outcome::Deferred(allowed));
            }
            let since = now.checked_sub(settings.frequency_cap.lookback()).unwrap_or(now);
            let sent = self.store.sent_times(message.contact_id, since).await?;
            if !settings.frequency_cap.allows(&sent, now) {
                return Ok(Outcome::Withheld("frequency cap reached"));
            }
        }
        let result = match message.channel {
            Channel::Email => {
                let Some(smtp) = &channels.smtp else { return Ok(Outcome::Retry("no SMTP server configured".into())) };
                let unsubscribe_url = message
                    .unsubscribe_token
                    .as_ref()
                    .filter(|_| message.purpose != Purpose::Service)
                    .map(|token| format!("{}/unsubscribe/{token}", settings.public_url.trim_end_matches('/')));
                let email = Email {
                    message_id: crate::desk::mail_id(message.id, &settings.mail_from),
                    from_name: Some(message.from_name.clone().unwrap_or_else(|| settings.organisation.clone())),
                    from_address: settings.mail_from.clone(),
                    reply_to: message.reply_to.clone(),
                    to: message.recipient.clone(),
                    subject: message.subject.clone(),
                    body: message.body.clone(),
                    unsubscribe_url,
                    in_reply_to: message.in_reply_to.clone(),
                    references: message.references.clone(),
                    auto_reply: message.auto_reply,
                };
                smtp.send(&email).await
            }
            Channel::Sms => {
                let Some(gateway) = &channels.sms else {
                    return Ok(Outcome::Retry("no SMS gateway configured".into()));
                };
                let text = TextMessage { to: message.recipient.clone(), body: message.body.clone() };
                gateway.send(&text).await.map(|_| ())
            }
            Channel::Whatsapp => {
                let Some(gateway) = &channels.whatsapp else {
                    return Ok(Outcome::Retry("no WhatsApp gateway configured".into()));
                };
                let text = TextMessage { to: message.recipient.clone(), body: message.body.clone() };
                // The template's language: the message's own, by its primary subtag.
                let language = message.language.as_deref().and_then(|tag| tag.split('-').next()).unwrap_or("en");
                gateway.send(&text, language).await.map(|_| ())
            }
            Channel::Phone => {
                return Ok(Outcome::Failed("a phone call is not a message Sambandh can send".to_owned()));
            }
        };
        Ok(match result {
            Ok(()) => Outcome::Sent,
            Err(DeliveryError::Permanent(reason)) => Outcome::Failed(reason),
            Err(DeliveryError::Transient(reason)) => Outcome::Retry(reason),
        })
    }

    async fn record_outcome(
        &self,
        message: &OutboundMessage,
        outcome: Outcome,
        max_attempts: u32,
    ) -> AppResult<Recorded> {
        let now = crate::now();
        let mut tx = self.store.begin().await?;
        let recorded = match outcome {
            Outcome::Sent => {
                tx.finish_attempt(message, MessageStatus::Sent, now, None, None).await?;
                tx.set_greeting_status_by_message(message.id, GreetingStatus::Sent).await?;
                Recorded::Sent
            }
            Outcome::Retry(reason) if message.attempts < max_attempts => {
                let retry_at = now.checked_add(backoff(message.attempts)).unwrap_or(now);
                tx.finish_attempt(message, MessageStatus::Pending, now, Some(retry_at), Some(&reason)).await?;
                Recorded::Retrying
            }
            Outcome::Retry(reason) | Outcome::Failed(reason) => {
                tx.finish_attempt(message, MessageStatus::Failed, now, None, Some(&reason)).await?;
                tx.set_greeting_status_by_message(message.id, GreetingStatus::Failed).await?;
                Recorded::Failed
            }
            Outcome::Withheld(reason) => {
                tx.finish_attempt(message, MessageStatus::Withheld, now, None, Some(reason)).await?;
                tx.set_greeting_status_by_message(message.id, GreetingStatus::Withheld).await?;
                Recorded::Withheld
            }
            Outcome::Deferred(until) => {
                tx.defer_message(message, until).await?;
                Recorded::Deferred
            }
        };
        tx.commit().await?;
        Ok(recorded)
    }

    /// The one-click unsubscribe of a message's link: withdraws consent for the
    /// message's purpose on its channel. Answers false for a link that is not ours.
    pub async fn unsubscribe(&self, token: &str) -> AppResult<bool> {
        let hash = crate::auth::hash_secret(token.trim());
        let mut tx = self.store.begin().await?;
        let Some(message) = tx.message_by_unsubscribe_hash(&hash).await? else { return Ok(false) };
        let input = ConsentInput {
            purpose: Some(message.purpose.as_str().to_owned()),
            channel: Some(message.channel.as_str().to_owned()),
            status: Some("withdrawn".to_owned()),
            method: Some("email".to_owned()),
            notice_language: None,
            note: Some("one-click unsubscribe".to_owned()),
        };
        let change = ConsentChange::parse(&input)?;
        let consent = sambandh_domain::Consent {
            contact_id: message.contact_id,
            change,
            recorded_by: None,
            recorded_at: crate::now(),
        };
        tx.insert_consent(&crate::new_uuid().to_string(), &consent).await?;
        let entry = self.audit_entry(
            &Caller::LocalOperator,
            action::CONSENT,
            Some(("contact", message.contact_id.to_string())),
            Some(json!({"purpose": message.purpose.as_str(), "channel": message.channel.as_str(), "status": "withdrawn", "method": "unsubscribe_link"})),
        );
        tx.append_audit(&[entry]).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// What was recorded of one message.
enum Recorded {
    Sent,
    Retrying,
    Failed,
    Withheld,
    Deferred,
}
