//! The command line of occasions and greetings: the calendar, the daily run, review,
//! the outbox and the settings behind them.

use std::io::Write;

use clap::Subcommand;
use jiff::civil::Date;
use sambandh_app::greetings::{Decision, GreetingEdit};
use sambandh_app::outbox::{Channels, SendOptions};
use sambandh_app::{App, Caller};
use sambandh_domain::{GreetingStatus, Occasion, Region};
use sambandh_store::{GreetingFilter, PageRequest};

use crate::cli::{contact_id, explain};

#[derive(Debug, Subcommand)]
pub enum GreetingsCommand {
    /// Prepares the greetings of a day (and of the days each rule looks ahead), once:
    /// running it again creates nothing new.
    Run {
        /// The day, YYYY-MM-DD; today in India when not given.
        #[arg(long)]
        date: Option<String>,
    },
    /// Lists the greetings of a day's occasions.
    List {
        #[arg(long)]
        date: String,
        /// review, approved, skipped, sent, failed or withheld.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
    },
    /// Approves greetings in review: one by its id, or every one of a day with --all.
    Approve {
        #[arg(long, conflicts_with = "date")]
        id: Option<String>,
        #[arg(long, requires = "all")]
        date: Option<String>,
        #[arg(long)]
        all: bool,
        /// A new subject (with --id).
        #[arg(long, requires = "id")]
        subject: Option<String>,
        /// A new body (with --id).
        #[arg(long, requires = "id")]
        body: Option<String>,
    },
    /// Skips a greeting in review: it will not be sent.
    Skip {
        #[arg(long)]
        id: String,
    },
    /// Renders a template for a real contact, as the daily run would.
    Preview {
        #[arg(long)]
        template: String,
        #[arg(long)]
        contact: String,
        /// festival:diwali, custom:…: what occasion_name shows.
        #[arg(long)]
        occasion: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OccasionCommand {
    /// Records a contact's choice: greet them for a festival, not for their birthday,
    /// or on a date of their own.
    Set {
        #[arg(long)]
        contact: String,
        /// birthday, first_deal, company_anniversary, custom:<label> or festival:<key>.
        #[arg(long)]
        occasion: String,
        /// The contact does not want it.
        #[arg(long)]
        no: bool,
        /// The day of a custom occasion: MM-DD or YYYY-MM-DD.
        #[arg(long)]
        on: Option<String>,
        /// How the choice reached us: form, import, verbal, email, message or in_person.
        #[arg(long, default_value = "form")]
        method: String,
    },
    /// Prints a contact's choices as JSON.
    Show {
        #[arg(long)]
        contact: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum FestivalCommand {
    /// Sets a festival's date for a year (an Eid by sighting), for every region or one.
    Set {
        #[arg(long)]
        key: String,
        #[arg(long)]
        date: String,
        #[arg(long)]
        region: Option<String>,
        /// The name, for a festival of your own.
        #[arg(long)]
        name: Option<String>,
    },
    /// Imports the all-day events of an iCalendar file: festivals Sambandh knows take
    /// their dates from it, others are added.
    Import {
        file: std::path::PathBuf,
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Sends every message that is due, then stops.
    Send {
        #[command(flatten)]
        channels: ChannelArgs,
        /// How long a claimed message is held before another sender may take it.
        #[arg(long, default_value = "60s")]
        lease: String,
        /// Messages sent at the same time (at most this many are in flight if the
        /// sender is killed, and may go twice).
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
}

/// Where messages go out: SMTP, and the SMS and WhatsApp gateways (MSG91's APIs).
#[derive(Debug, clap::Args)]
pub struct ChannelArgs {
    /// smtp://[user:password@]host[:port] (plain, to a relay), smtps://… (TLS) or
    /// smtp+starttls://…; percent-encode an @ in the user name.
    #[arg(long, env = "SAMBANDH_SMTP_URL")]
    pub smtp: Option<String>,
    /// The SMS gateway (MSG91's Flow API) and its account.
    #[arg(long, env = "SAMBANDH_SMS_URL")]
    pub sms_url: Option<String>,
    #[arg(long, env = "SAMBANDH_SMS_AUTHKEY", default_value = "")]
    pub sms_authkey: String,
    #[arg(long, env = "SAMBANDH_SMS_FLOW", default_value = "")]
    pub sms_flow: String,
    #[arg(long, env = "SAMBANDH_SMS_SENDER", default_value = "")]
    pub sms_sender: String,
    /// The WhatsApp gateway (MSG91's WhatsApp API), e.g. https://api.msg91.com.
    #[arg(long, env = "SAMBANDH_WHATSAPP_URL")]
    pub whatsapp_url: Option<String>,
    #[arg(long, env = "SAMBANDH_WHATSAPP_AUTHKEY", default_value = "")]
    pub whatsapp_authkey: String,
    /// The business's WhatsApp number at the gateway.
    #[arg(long, env = "SAMBANDH_WHATSAPP_NUMBER", default_value = "")]
    pub whatsapp_number: String,
    /// The approved template, in each language, whose body is one variable.
    #[arg(long, env = "SAMBANDH_WHATSAPP_TEMPLATE", default_value = "sambandh_message")]
    pub whatsapp_template: String,
    #[arg(long, env = "SAMBANDH_WHATSAPP_NAMESPACE", default_value = "")]
    pub whatsapp_namespace: String,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Changes a setting.
    Set { key: String, value: String },
    /// Prints the settings.
    List,
}

pub fn parse_date(raw: &str, flag: &str) -> anyhow::Result<Date> {
    sambandh_domain::parse_civil_date(raw).map_err(|err| anyhow::anyhow!("{flag} '{raw}': {err}"))
}

pub fn channels(args: &ChannelArgs) -> anyhow::Result<Channels> {
    let smtp = args
        .smtp
        .as_deref()
        .map(sambandh_channels::SmtpSender::from_url)
        .transpose()
        .map_err(|err| anyhow::anyhow!("--smtp: {err}"))?;
    let sms = args
        .sms_url
        .as_deref()
        .map(|url| sambandh_channels::Gateway::new(url, &args.sms_authkey, &args.sms_flow, &args.sms_sender));
    let whatsapp = args.whatsapp_url.as_deref().map(|url| {
        sambandh_channels::WhatsAppGateway::new(
            url,
            &args.whatsapp_authkey,
            &args.whatsapp_number,
            &args.whatsapp_template,
            &args.whatsapp_namespace,
        )
    });
    Ok(Channels { smtp, sms, whatsapp })
}

pub async fn greetings(app: &App, caller: &Caller, command: GreetingsCommand) -> anyhow::Result<()> {
    match command {
        GreetingsCommand::Run { date } => {
            let date = match date {
                Some(raw) => parse_date(&raw, "--date")?,
                None => jiff::Timestamp::now().in_tz("Asia/Kolkata")?.date(),
            };
            let report = app.run_greetings(caller, date).await.map_err(explain)?;
            for (occasion, n) in &report.by_occasion {
                println!("{occasion}\t{n}");
            }
            if report.failed > 0 {
                eprintln!("{} greetings could not be written (see the log: SAMBANDH_LOG=warn)", report.failed);
            }
            println!("prepared {} greetings, {} sent without review", report.created, report.queued);
        }
        GreetingsCommand::List { date, status, format } => {
            let filter = GreetingFilter {
                occasion_date: Some(parse_date(&date, "--date")?),
                status: status
                    .as_deref()
                    .map(GreetingStatus::parse)
                    .transpose()
                    .map_err(|err| anyhow::anyhow!("--status: {err}"))?,
                contact_id: None,
            };
            let mut out = std::io::stdout().lock();
            let mut cursor = None;
            let mut views = Vec::new();
            loop {
                let page = PageRequest { limit: 500, cursor };
                let page = app.greetings(caller, &filter, &page).await.map_err(explain)?;
                for greeting in &page.items {
                    if format == "json" {
                        views.push(sambandh_web::views::GreetingView::from(greeting));
                    } else {
                        writeln!(
                            out,
                            "{}\t{}\t{}\t{}\t{}\t{}",
                            greeting.id,
                            greeting.status,
                            greeting.occasion,
                            greeting.language,
                            greeting.contact_id,
                            greeting.subject
                        )?;
                    }
                }
                match page.next_cursor {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
            if format == "json" {
                writeln!(out, "{}", serde_json::to_string_pretty(&views)?)?;
            }
        }
        GreetingsCommand::Approve { id: Some(id), subject, body, .. } => {
            let id = id.parse().map_err(|_| anyhow::anyhow!("--id '{id}' is not a greeting id"))?;
            let edit = GreetingEdit { subject, body };
            let greeting = app.decide_greeting(caller, id, Decision::Approve, &edit).await.map_err(explain)?;
            println!("approved greeting {}; it goes at {}", greeting.id, greeting.send_at);
        }
        GreetingsCommand::Approve { id: None, date: Some(date), all: true, .. } => {
            let date = parse_date(&date, "--date")?;
            let n = app.decide_greetings_of(caller, date, Decision::Approve).await.map_err(explain)?;
            println!("approved {n} greetings");
        }
        GreetingsCommand::Approve { .. } => anyhow::bail!("name a greeting with --id, or a day with --date D --all"),
        GreetingsCommand::Skip { id } => {
            let id = id.parse().map_err(|_| anyhow::anyhow!("--id '{id}' is not a greeting id"))?;
            app.decide_greeting(caller, id, Decision::Skip, &GreetingEdit::default()).await.map_err(explain)?;
            println!("skipped greeting {id}");
        }
        GreetingsCommand::Preview { template, contact, occasion } => {
            let occasion = occasion
                .as_deref()
                .map(Occasion::parse)
                .transpose()
                .map_err(|err| anyhow::anyhow!("--occasion: {err}"))?;
            let preview = app
                .preview_template(caller, &template, contact_id(&contact)?, occasion.as_ref())
                .await
                .map_err(explain)?;
            println!("Language: {}\nSubject: {}\n\n{}", preview.language, preview.subject, preview.body);
        }
    }
    Ok(())
}

pub async fn occasion(app: &App, caller: &Caller, command: OccasionCommand) -> anyhow::Result<()> {
    match command {
        OccasionCommand::Set { contact, occasion, no, on, method } => {
            let choice = app
                .set_occasion_choice(caller, contact_id(&contact)?, &occasion, !no, on.as_deref(), &method)
                .await
                .map_err(explain)?;
            let verb = if choice.greet { "greeted" } else { "not greeted" };
            println!("contact {contact} is {verb} for {}", choice.occasion);
        }
        OccasionCommand::Show { contact } => {
            let choices = app.occasion_choices(caller, contact_id(&contact)?).await.map_err(explain)?;
            let views: Vec<_> = choices.iter().map(sambandh_web::views::OccasionChoiceView::from).collect();
            println!("{}", serde_json::to_string_pretty(&views)?);
        }
    }
    Ok(())
}

pub async fn festival(app: &App, caller: &Caller, command: FestivalCommand) -> anyhow::Result<()> {
    match command {
        FestivalCommand::Set { key, date, region, name } => {
            let date = parse_date(&date, "--date")?;
            let region =
                region.as_deref().map(Region::parse).transpose().map_err(|err| anyhow::anyhow!("--region: {err}"))?;
            let set = app
                .set_festival_date(caller, &key, date, region.as_ref(), name.as_deref(), "override")
                .await
                .map_err(explain)?;
            println!(
                "{} is on {} in {}",
                set.name,
                set.date,
                if set.region.is_empty() { "every region" } else { &set.region }
            );
        }
        FestivalCommand::Import { file, region } => {
            let region =
                region.as_deref().map(Region::parse).transpose().map_err(|err| anyhow::anyhow!("--region: {err}"))?;
            let text =
                std::fs::read_to_string(&file).map_err(|err| anyhow::anyhow!("reading {}: {err}", file.display()))?;
            let report = app.import_calendar(caller, &text, region.as_ref()).await.map_err(explain)?;
            for (place, reason) in &report.rejected {
                eprintln!("event {place}: {reason}");
            }
            println!("imported {}, rejected {}", report.imported.len(), report.rejected.len());
        }
    }
    Ok(())
}

/// `sambandh calendar --year Y [--region R] [--format csv|ics]`.
pub async fn calendar(app: &App, year: i16, region: Option<&str>, format: &str) -> anyhow::Result<()> {
    let region = region.map(Region::parse).transpose().map_err(|err| anyhow::anyhow!("--region: {err}"))?;
    let days = app.festival_days(year, region.as_ref()).await.map_err(explain)?;
    let stdout = std::io::stdout().lock();
    let mut out = std::io::BufWriter::new(stdout);
    if format == "ics" {
        out.write_all(sambandh_app::calendar::to_icalendar(&days, region.as_ref()).as_bytes())?;
    } else {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(["date", "key", "name"])?;
        for day in &days {
            writer.write_record([day.date.to_string().as_str(), &day.key, &day.name])?;
        }
        writer.flush()?;
    }
    out.flush()?;
    Ok(())
}

pub async fn outbox(app: &App, command: OutboxCommand) -> anyhow::Result<()> {
    let OutboxCommand::Send { channels: channel_args, lease, concurrency } = command;
    let channels = channels(&channel_args)?;
    let lease = sambandh_app::auth::parse_lifetime(&lease).map_err(|err| anyhow::anyhow!("--lease: {err}"))?;
    let options = SendOptions { lease, concurrency, ..SendOptions::default() };
    let report = app.send_outbox(&channels, &options).await.map_err(explain)?;
    println!(
        "sent {}, retrying {}, failed {}, withheld {}, deferred {}",
        report.sent, report.retrying, report.failed, report.withheld, report.deferred
    );
    Ok(())
}

pub async fn settings(app: &App, caller: &Caller, command: SettingsCommand) -> anyhow::Result<()> {
    match command {
        SettingsCommand::Set { key, value } => {
            app.set_setting(caller, &key, &value).await.map_err(explain)?;
            println!("{key} = {value}");
        }
        SettingsCommand::List => {
            let settings = app.greeting_settings().await.map_err(explain)?;
            let quiet = settings.quiet_hours;
            println!("organisation_name\t{}", settings.organisation);
            println!("mail_from\t{}", settings.mail_from);
            println!("public_url\t{}", settings.public_url);
            println!("frequency_cap\t{}", settings.frequency_cap);
            println!("quiet_hours\t{}-{}", quiet.start.strftime("%H:%M"), quiet.end.strftime("%H:%M"));
        }
    }
    Ok(())
}
