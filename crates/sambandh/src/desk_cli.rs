//! The command line of the service desk: branch hours and holidays, SLA due times and
//! policies, tickets, the support mailbox and the measures.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use jiff::Timestamp;
use sambandh_app::desk::{TicketChange, TicketDetail};
use sambandh_app::{App, Caller};
use sambandh_domain::{BranchId, TicketId, TicketPriority, TicketSource, TicketStatus, ValueTier};
use sambandh_store::{Holiday, MeasureGroup, PageRequest, TicketFilter};

use crate::cli::explain;

#[derive(Debug, Subcommand)]
pub enum SlaCommand {
    /// When a message received at an instant is due for its first response: the due
    /// instant (RFC 3339, in the branch's zone) is the last line.
    Due {
        /// The branch, by name or id.
        #[arg(long)]
        branch: String,
        /// How the message came: email, web, phone, api, whatsapp or sms.
        #[arg(long, default_value = "email")]
        channel: String,
        /// RFC 3339, e.g. 2027-01-13T17:45:00+05:30.
        #[arg(long)]
        received: String,
        #[arg(long, default_value = "normal")]
        priority: String,
        #[arg(long)]
        tier: Option<String>,
    },
    /// Lists the SLA policies, in the order they are tried.
    Policies,
    /// SLA attainment and response times of the tickets that arrived in a period.
    Report {
        /// YYYY-MM-DD or RFC 3339.
        #[arg(long)]
        from: String,
        #[arg(long)]
        until: String,
        #[arg(long, default_value = "branch", value_parser = ["branch", "policy", "agent"])]
        by: String,
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TicketCommand {
    /// Lists tickets: by default the queue (new and open, soonest deadline first).
    List {
        #[arg(long)]
        branch: Option<String>,
        /// Comma-separated statuses, or all.
        #[arg(long, default_value = "new,open")]
        status: String,
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
    },
    /// Opens a ticket: a call logged by staff (`--source phone`), a letter, a visit.
    New {
        /// A known contact's id; else --email or --phone find or create the contact.
        #[arg(long)]
        contact: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        name: Option<String>,
        /// The branch of a new contact, by name or id.
        #[arg(long)]
        branch: Option<String>,
        #[arg(long)]
        subject: Option<String>,
        #[arg(long)]
        text: String,
        #[arg(long, default_value = "phone")]
        source: String,
        #[arg(long, default_value = "normal")]
        priority: String,
    },
    /// Shows a ticket (by number or id) and its conversation.
    Show { ticket: String },
    /// Answers the customer by e-mail in their thread.
    Reply {
        ticket: String,
        #[arg(long)]
        text: String,
        /// The status after the reply: pending, resolved, …
        #[arg(long)]
        status: Option<String>,
    },
    /// Changes a ticket's status or priority.
    Set {
        ticket: String,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        priority: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailboxCommand {
    /// Reads the new messages of a mailbox into the desk, once.
    Poll {
        /// imap://user:password@host:143/INBOX or imaps://…:993 (user names like
        /// support%40shop.in are percent-encoded); ?ca=/path/to/ca.pem trusts a CA.
        #[arg(long, env = "SAMBANDH_IMAP_URL")]
        imap: String,
        /// The branch new senders' tickets go to, by name or id.
        #[arg(long)]
        branch: String,
    },
}

/// A branch by name or id.
pub async fn branch_id(app: &App, raw: &str) -> anyhow::Result<BranchId> {
    let branches = app.branches(&Caller::LocalOperator).await.map_err(explain)?;
    branches
        .iter()
        .find(|b| b.id.to_string() == raw.trim() || b.data.name.as_ref().eq_ignore_ascii_case(raw.trim()))
        .map(|b| b.id)
        .ok_or_else(|| anyhow::anyhow!("--branch: no branch is named '{raw}'"))
}

async fn ticket_id(app: &App, raw: &str) -> anyhow::Result<TicketId> {
    if let Ok(id) = raw.parse::<TicketId>() {
        return Ok(id);
    }
    let number: u64 =
        raw.trim().trim_start_matches('#').parse().with_context(|| format!("'{raw}' is not a ticket number or id"))?;
    app.store()
        .ticket_id_by_number(number, None)
        .await
        .map_err(|err| explain(err.into()))?
        .ok_or_else(|| anyhow::anyhow!("there is no ticket #{number}"))
}

fn parse_instant(raw: &str, flag: &str) -> anyhow::Result<Timestamp> {
    sambandh_web::views::report_instant(raw).map_err(|err| anyhow::anyhow!("{flag}: {}", err.0))
}

pub async fn branch_hours(
    app: &App,
    caller: &Caller,
    branch: &str,
    set: Option<&str>,
    year: Option<i16>,
) -> anyhow::Result<()> {
    let branch_id = branch_id(app, branch).await?;
    if let Some(hours) = set {
        let hours = app.set_branch_hours(caller, branch_id, hours).await.map_err(explain)?;
        println!("{hours}");
        return Ok(());
    }
    let year = year.unwrap_or_else(|| Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC).year());
    let calendar = app.branch_calendar(caller, branch_id, year).await.map_err(explain)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}{}", calendar.hours, if calendar.default_hours { " (default)" } else { "" })?;
    for holiday in &calendar.holidays {
        writeln!(out, "{}\t{}\t{}", holiday.date, holiday.name, holiday.source)?;
    }
    Ok(())
}

pub async fn branch_holiday(
    app: &App,
    caller: &Caller,
    branch: &str,
    add: Option<&str>,
    remove: Option<&str>,
    name: Option<&str>,
    import: Option<&PathBuf>,
) -> anyhow::Result<()> {
    let branch_id = branch_id(app, branch).await?;
    if let Some(raw) = add {
        let date = sambandh_domain::parse_civil_date(raw).map_err(|err| anyhow::anyhow!("--add: {}", err.0))?;
        let holiday = Holiday { date, name: name.unwrap_or("Holiday").to_owned(), source: "manual".to_owned() };
        app.add_branch_holidays(caller, branch_id, &[holiday]).await.map_err(explain)?;
        println!("added {date}");
    }
    if let Some(raw) = remove {
        let date = sambandh_domain::parse_civil_date(raw).map_err(|err| anyhow::anyhow!("--remove: {}", err.0))?;
        app.remove_branch_holiday(caller, branch_id, date).await.map_err(explain)?;
        println!("removed {date}");
    }
    if let Some(path) = import {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let n = app.import_branch_holidays(caller, branch_id, &text).await.map_err(explain)?;
        println!("imported {n} days off");
    }
    if add.is_none() && remove.is_none() && import.is_none() {
        anyhow::bail!("say what to do: --add YYYY-MM-DD, --remove YYYY-MM-DD or --import FILE.ics");
    }
    Ok(())
}

pub async fn sla(app: &App, caller: &Caller, command: SlaCommand) -> anyhow::Result<()> {
    match command {
        SlaCommand::Due { branch, channel, received, priority, tier } => {
            let branch_id = branch_id(app, &branch).await?;
            let source = TicketSource::parse(&channel).map_err(|err| anyhow::anyhow!("--channel: {}", err.0))?;
            let priority = TicketPriority::parse(&priority).map_err(|err| anyhow::anyhow!("--priority: {}", err.0))?;
            let tier = tier
                .as_deref()
                .map(ValueTier::parse)
                .transpose()
                .map_err(|err| anyhow::anyhow!("--tier: {}", err.0))?;
            let received: Timestamp = received.parse().map_err(|_| {
                anyhow::anyhow!("--received: '{received}' is not an RFC 3339 instant such as 2027-01-13T17:45:00+05:30")
            })?;
            let (policy, due, zone) =
                app.sla_due(branch_id, source, priority, tier, received).await.map_err(explain)?;
            let Some(due) = due else {
                anyhow::bail!(
                    "the branch has no working hours: nothing is ever due (set them with sambandh branch hours)"
                );
            };
            println!("policy: {}", policy.data.name);
            println!("{}", due.to_zoned_datetime(zone).strftime("%Y-%m-%dT%H:%M:%S%:z"));
        }
        SlaCommand::Policies => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "id\tname\tsource\tpriority\ttier\tfirst_response\tnext_response\tresolution")?;
            for p in app.store().sla_policies().await.map_err(|err| explain(err.into()))? {
                let any = |v: &Option<String>| v.clone().unwrap_or_else(|| "*".into());
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    p.id,
                    p.name,
                    any(&p.source),
                    any(&p.priority),
                    any(&p.tier),
                    p.first_response,
                    p.next_response,
                    p.resolution
                )?;
            }
        }
        SlaCommand::Report { from, until, by, format } => {
            let from = parse_instant(&from, "--from")?;
            let until = parse_instant(&until, "--until")?;
            let group = match by.as_str() {
                "policy" => MeasureGroup::Policy,
                "agent" => MeasureGroup::Agent,
                _ => MeasureGroup::Branch,
            };
            let rows = app.service_measures(caller, group, from, until).await.map_err(explain)?;
            let views: Vec<sambandh_web::views::MeasureView> =
                rows.iter().map(sambandh_web::views::MeasureView::from).collect();
            let names = names(app, group).await?;
            let mut out = std::io::stdout().lock();
            if format == "json" {
                for view in &views {
                    writeln!(out, "{}", serde_json::to_string(view)?)?;
                }
                return Ok(());
            }
            writeln!(
                out,
                "{by}\ttickets\tfirst response met\tattainment\tmean first response (min)\tresolved\tresolution attainment\tCSAT"
            )?;
            let percent = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{:.1}%", v * 100.0));
            let number = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"));
            for view in &views {
                let group = view
                    .group
                    .as_deref()
                    .map_or_else(|| "(none)".to_owned(), |id| names.get(id).cloned().unwrap_or_else(|| id.to_owned()));
                writeln!(
                    out,
                    "{group}\t{}\t{}/{}\t{}\t{}\t{}\t{}\t{}",
                    view.tickets,
                    view.first_response_met,
                    view.first_response_met + view.first_response_breached,
                    percent(view.first_response_attainment),
                    number(view.mean_first_response_minutes),
                    view.resolved,
                    percent(view.resolution_attainment),
                    number(view.mean_csat),
                )?;
            }
        }
    }
    Ok(())
}

/// Names of branches, policies or staff by id, for reports.
async fn names(app: &App, group: MeasureGroup) -> anyhow::Result<std::collections::HashMap<String, String>> {
    let caller = Caller::LocalOperator;
    Ok(match group {
        MeasureGroup::Branch => app
            .branches(&caller)
            .await
            .map_err(explain)?
            .into_iter()
            .map(|b| (b.id.to_string(), b.data.name.to_string()))
            .collect(),
        MeasureGroup::Policy => app
            .store()
            .sla_policies()
            .await
            .map_err(|err| explain(err.into()))?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect(),
        MeasureGroup::Agent => app
            .users(&caller)
            .await
            .map_err(explain)?
            .into_iter()
            .map(|u| (u.id.to_string(), u.data.name.to_string()))
            .collect(),
    })
}

pub async fn tickets(app: &App, caller: &Caller, command: TicketCommand) -> anyhow::Result<()> {
    match command {
        TicketCommand::List { branch, status, format } => {
            let branch_id = match branch {
                Some(raw) => Some(branch_id(app, &raw).await?),
                None => None,
            };
            let statuses: Vec<TicketStatus> = if status == "all" {
                Vec::new()
            } else {
                status
                    .split(',')
                    .map(TicketStatus::parse)
                    .collect::<Result<_, _>>()
                    .map_err(|err| anyhow::anyhow!("--status: {}", err.0))?
            };
            let by_due =
                !statuses.is_empty() && statuses.iter().all(|s| matches!(s, TicketStatus::New | TicketStatus::Open));
            let filter = TicketFilter { branch_id, statuses, assignee: None, contact_id: None, by_due };
            let mut out = std::io::stdout().lock();
            if format == "table" {
                writeln!(out, "number\tstatus\tpriority\tlanguage\tdue\tsubject")?;
            }
            let mut page = PageRequest { limit: PageRequest::MAX_LIMIT, cursor: None };
            loop {
                let result = app.tickets(caller, &filter, &page).await.map_err(explain)?;
                for ticket in &result.items {
                    if format == "json" {
                        writeln!(out, "{}", serde_json::to_string(&sambandh_web::views::TicketView::from(ticket))?)?;
                    } else {
                        let due = ticket.due_at.map_or_else(|| "-".to_owned(), |at| at.to_string());
                        writeln!(
                            out,
                            "{}\t{}\t{}\t{}\t{due}\t{}",
                            ticket.number, ticket.status, ticket.priority, ticket.language, ticket.subject
                        )?;
                    }
                }
                match result.next_cursor {
                    Some(cursor) => page.cursor = Some(cursor),
                    None => break,
                }
            }
        }
        TicketCommand::New { contact, email, phone, name, branch, subject, text, source, priority } => {
            let branch_id = match branch {
                Some(raw) => Some(branch_id(app, &raw).await?),
                None => None,
            };
            let contact_id = contact.as_deref().map(crate::cli::contact_id).transpose()?;
            let request = sambandh_app::desk::TicketRequest {
                contact_id,
                name,
                email,
                phone,
                branch_id,
                ticket: sambandh_domain::TicketInput {
                    subject,
                    text: Some(text),
                    source: Some(source),
                    priority: Some(priority),
                    language: None,
                },
            };
            let ticket = app.create_ticket(caller, &request).await.map_err(explain)?;
            let detail = app.ticket(caller, ticket.id).await.map_err(explain)?;
            print_detail(&detail)?;
        }
        TicketCommand::Show { ticket } => {
            let detail = app.ticket(caller, ticket_id(app, &ticket).await?).await.map_err(explain)?;
            print_detail(&detail)?;
        }
        TicketCommand::Reply { ticket, text, status } => {
            let status = status
                .as_deref()
                .map(TicketStatus::parse)
                .transpose()
                .map_err(|err| anyhow::anyhow!("--status: {}", err.0))?;
            let detail =
                app.reply_to_ticket(caller, ticket_id(app, &ticket).await?, &text, status).await.map_err(explain)?;
            print_detail(&detail)?;
        }
        TicketCommand::Set { ticket, status, priority } => {
            let change = TicketChange {
                status: status
                    .as_deref()
                    .map(TicketStatus::parse)
                    .transpose()
                    .map_err(|err| anyhow::anyhow!("--status: {}", err.0))?,
                priority: priority
                    .as_deref()
                    .map(TicketPriority::parse)
                    .transpose()
                    .map_err(|err| anyhow::anyhow!("--priority: {}", err.0))?,
                ..Default::default()
            };
            let ticket =
                app.update_ticket(caller, ticket_id(app, &ticket).await?, &change, None).await.map_err(explain)?;
            println!("#{} is {}", ticket.number, ticket.status);
        }
    }
    Ok(())
}

fn print_detail(detail: &TicketDetail) -> anyhow::Result<()> {
    let ticket = &detail.ticket;
    let local = |at: Option<Timestamp>| {
        at.map_or_else(
            || "-".to_owned(),
            |at| at.to_zoned_datetime(detail.zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        )
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "#{} {} [{} {} {}]", ticket.number, ticket.subject, ticket.status, ticket.priority, ticket.language)?;
    writeln!(out, "first response due: {}", local(ticket.first_response_due))?;
    writeln!(out, "first response at:  {}", local(ticket.first_response_at))?;
    writeln!(out, "resolution due:     {}", local(ticket.resolution_due))?;
    for entry in &detail.entries {
        writeln!(out, "--- {} {} ---\n{}", entry.kind, local(Some(entry.created_at)), entry.body)?;
    }
    Ok(())
}

pub async fn mailbox(app: &App, command: MailboxCommand) -> anyhow::Result<()> {
    match command {
        MailboxCommand::Poll { imap, branch } => {
            let config =
                sambandh_channels::MailboxConfig::from_url(&imap).map_err(|err| anyhow::anyhow!("--imap: {err}"))?;
            let branch_id = branch_id(app, &branch).await?;
            let report = app.poll_mailbox(&config, branch_id).await.map_err(explain)?;
            println!(
                "{} new tickets, {} messages added to tickets, {} already read, {} left out, {} unreadable",
                report.new_tickets, report.added, report.duplicates, report.ignored, report.unreadable
            );
        }
    }
    Ok(())
}
