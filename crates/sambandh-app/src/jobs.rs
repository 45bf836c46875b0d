//! The server's background work: the daily run of greetings and the outbox sender.
//! Both are idempotent, so several servers on one PostgreSQL may run them at once: the
//! daily run makes each greeting once (a unique key), senders share the outbox by
//! leases.

use std::time::Duration;

use crate::outbox::{Channels, SendOptions};
use crate::{App, Caller};

/// How often the daily run looks for today's greetings (a new day, rules changed).
const GREETINGS_EVERY: Duration = Duration::from_secs(15 * 60);
/// How often the sender looks for due messages.
const OUTBOX_EVERY: Duration = Duration::from_secs(5);

/// Starts the workers on the current runtime; abort the set to stop them.
pub fn spawn(app: App, channels: Channels) -> tokio::task::JoinSet<()> {
    let mut workers = tokio::task::JoinSet::new();
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
    if channels.smtp.is_some() || channels.sms.is_some() {
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
