//! The server's background work: the daily run of greetings, the outbox sender, the
//! desk's reminders and escalations, and the support mailbox. Each is idempotent, so
//! several servers on one PostgreSQL may run them at once: the daily run makes each
//! greeting once (a unique key), senders share the outbox by leases, a reminder is
//! made once per deadline, an e-mail becomes one entry (its Message-ID is unique).

use std::time::Duration;

use crate::outbox::{Channels, SendOptions};
use crate::{App, Caller};

/// How often the daily run looks for today's greetings (a new day, rules changed).
const GREETINGS_EVERY: Duration = Duration::from_secs(15 * 60);
/// How often the sender looks for due messages.
const OUTBOX_EVERY: Duration = Duration::from_secs(5);
/// How often the desk looks for deadlines to remind of and breaches to escalate.
const REMINDERS_EVERY: Duration = Duration::from_secs(60);
/// How often the support mailbox is read.
const MAILBOX_EVERY: Duration = Duration::from_secs(60);

/// Starts the workers on the current runtime; abort the set to stop them.
pub fn spawn(
    app: App,
    channels: Channels,
    mailbox: Option<(sambandh_channels::MailboxConfig, sambandh_domain::BranchId)>,
) -> tokio::task::JoinSet<()> {
    let mut workers = tokio::task::JoinSet::new();
    let desk = app.clone();
    workers.spawn(async move {
        let mut tick = tokio::time::interval(REMINDERS_EVERY);
        loop {
            tick.tick().await;
            match desk.remind_and_escalate(crate::now()).await {
                Ok(report) if report.reminded + report.escalated > 0 => {
                    tracing::info!(reminded = report.reminded, escalated = report.escalated, "ticket deadlines");
                }
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "reminding of ticket deadlines failed"),
            }
        }
    });
    if let Some((config, branch_id)) = mailbox {
        let reader = app.clone();
        workers.spawn(async move {
            let mut tick = tokio::time::interval(MAILBOX_EVERY);
            loop {
                tick.tick().await;
                match reader.poll_mailbox(&config, branch_id).await {
                    Ok(report) if report.new_tickets + report.added > 0 => {
                        tracing::info!(new = report.new_tickets, added = report.added, "support mailbox");
                    }
                    Ok(_) => {}
                    Err(err) => tracing::error!(error = %err, "reading the support mailbox failed"),
                }
            }
        });
    }
    let greetings = app.clone();
    workers.spawn(async move {
        let mut tick = tokio::time::interval(GREETINGS_EVERY);
        loop {
            tick.tick().await;
            let Ok(today) = jiff::Timestamp::now().in_tz("Asia/Kolkata").map(|now| now.date()) else { continue };
            match greetings.run_greetings(&Caller::LocalOperator, today).await {
                Ok(report) if report.created > 0 => {
                    tracing::info!(date = %today, created = report.created, queued = report.queued, "prepared greetings");
                }
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "the daily run of greetings failed"),
            }
        }
    });
    if channels.smtp.is_some() || channels.sms.is_some() || channels.whatsapp.is_some() {
        workers.spawn(async move {
            let options = SendOptions::default();
            let mut tick = tokio::time::interval(OUTBOX_EVERY);
            loop {
                tick.tick().await;
                match app.send_outbox(&channels, &options).await {
                    Ok(report) if report.handled() > 0 => {
                        tracing::info!(
                            sent = report.sent,
                            retrying = report.retrying,
                            failed = report.failed,
                            withheld = report.withheld,
                            "outbox"
                        );
                    }
                    Ok(_) => {}
                    Err(err) => tracing::error!(error = %err, "sending the outbox failed"),
                }
            }
        });
    }
    workers
}
