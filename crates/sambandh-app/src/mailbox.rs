//! The support mailbox: read by IMAP, each new e-mail handed to the service desk.
//!
//! How far the mailbox has been read (its UIDVALIDITY and the last UID handled) is
//! kept in the settings, saved after every message, so that a poll killed half way
//! starts where it stopped; an e-mail handled twice is still one entry (its
//! Message-ID is unique). The mailbox itself is opened read-only: nothing in it is
//! marked, moved or deleted, so the support team's own mail program sees it as before.

use sambandh_channels::{Cursor, InboundMail, MailboxConfig, fetch_since};
use sambandh_domain::BranchId;

use crate::desk::{IncomingMail, MailOutcome};
use crate::{App, AppError, AppResult};

/// How many messages one fetch brings.
const BATCH: usize = 50;

/// What one poll did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollReport {
    pub new_tickets: u64,
    /// Added to the conversation of an open ticket.
    pub added: u64,
    pub duplicates: u64,
    /// Auto-replies, bounces, senders without a usable address.
    pub ignored: u64,
    /// Not an e-mail at all.
    pub unreadable: u64,
}

fn cursor_key(config: &MailboxConfig) -> String {
    format!("mailbox:{}@{}:{}/{}", config.username, config.host, config.port, config.folder)
}

impl App {
    /// Reads every new message of the mailbox into the desk; new senders' tickets go to
    /// `branch_id`.
    pub async fn poll_mailbox(&self, config: &MailboxConfig, branch_id: BranchId) -> AppResult<PollReport> {
        let key = cursor_key(config);
        let mut report = PollReport::default();
        loop {
            let cursor = self.store.setting(&key).await?.and_then(|raw| {
                let (validity, uid) = raw.split_once(':')?;
                Some(Cursor { uid_validity: validity.parse().ok()?, last_uid: uid.parse().ok()? })
            });
            let fetched = fetch_since(config, cursor, BATCH)
                .await
                .map_err(|err| AppError::Unexpected(anyhow::anyhow!("reading the mailbox {}: {err}", config.host)))?;
            for mail in &fetched.messages {
                match InboundMail::parse(&mail.raw) {
                    Ok(parsed) => {
                        let incoming = IncomingMail {
                            message_id: parsed.message_id.clone(),
                            in_reply_to: parsed.in_reply_to.clone(),
                            references: parsed.references.clone(),
                            from_name: parsed.from_name.clone(),
                            from_address: parsed.reply_to.clone().unwrap_or_else(|| parsed.from_address.clone()),
                            subject: parsed.subject.clone(),
                            text: parsed.text_without_quote().to_owned(),
                            auto_submitted: parsed.auto_submitted,
                            received_at: parsed.date.and_then(|secs| jiff::Timestamp::from_second(secs).ok()),
                        };
                        match self.receive_mail(&incoming, branch_id).await? {
                            MailOutcome::NewTicket(_) => report.new_tickets += 1,
                            MailOutcome::Added(_) => report.added += 1,
                            MailOutcome::Duplicate => report.duplicates += 1,
                            MailOutcome::Ignored(why) => {
                                tracing::info!(uid = mail.uid, reason = %why, "mail left out of the desk");
                                report.ignored += 1;
                            }
                        }
                    }
                    Err(err) => {
                        tracing::warn!(uid = mail.uid, error = %err, "an unreadable message in the mailbox");
                        report.unreadable += 1;
                    }
                }
                let mut tx = self.store.begin().await?;
                tx.set_setting(&key, &format!("{}:{}", fetched.uid_validity, mail.uid), crate::now()).await?;
                tx.commit().await?;
            }
            if fetched.messages.is_empty() {
                let mut tx = self.store.begin().await?;
                tx.set_setting(
                    &key,
                    &format!("{}:{}", fetched.cursor.uid_validity, fetched.cursor.last_uid),
                    crate::now(),
                )
                .await?;
                tx.commit().await?;
            }
            if !fetched.more {
                return Ok(report);
            }
        }
    }
}
