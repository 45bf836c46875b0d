//! The command line.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use sambandh_app::exports::ExportFormat;
use sambandh_app::imports::{ImportOptions, Rejection};
use sambandh_app::{App, AppError, Caller};
use sambandh_domain::{BranchInput, ConsentInput, ContactId, References, UserInput};
use sambandh_store::{AuditFilter, ContactFilter, PageRequest, Store, Workload};

use crate::desk_cli::{MailboxCommand, SlaCommand, TicketCommand};
use crate::greetings_cli::{FestivalCommand, GreetingsCommand, OccasionCommand, OutboxCommand, SettingsCommand};

#[derive(Debug, Parser)]
#[command(name = "sambandh", version, about = "Customer relationships in many languages and calendars")]
pub struct Args {
    /// The database: `sqlite://FILE` (created on first use) or `postgres://…`.
    #[arg(long, global = true, env = "SAMBANDH_DATABASE_URL", default_value = "sqlite://sambandh.db")]
    database: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serves the HTTP API (and, later, the web UI).
    Serve {
        /// Where to listen (e.g. 0.0.0.0:7800 for the whole network; put TLS in front).
        #[arg(long, default_value = "127.0.0.1:7800")]
        listen: SocketAddr,
        /// Fill an empty database with this many demo contacts first.
        #[arg(long, value_name = "CONTACTS")]
        demo: Option<usize>,
        /// Send the outbox through these as messages fall due.
        #[command(flatten)]
        channels: crate::greetings_cli::ChannelArgs,
        /// Read this support mailbox every minute into the service desk
        /// (imap://user:password@host/INBOX or imaps://…).
        #[arg(long, env = "SAMBANDH_IMAP_URL", requires = "imap_branch")]
        imap: Option<String>,
        /// The branch new senders' tickets from the mailbox go to.
        #[arg(long)]
        imap_branch: Option<String>,
    },
    /// Brings the database schema up to date (done on every start as well).
    Migrate,
    /// Branches of the business.
    #[command(subcommand)]
    Branch(BranchCommand),
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens of staff accounts.
    #[command(subcommand)]
    Token(TokenCommand),
    /// A contact's data: hand it over, or erase it (a person's rights).
    #[command(subcommand)]
    Contact(ContactCommand),
    /// A contact's consent per purpose and channel.
    #[command(subcommand)]
    Consent(ConsentCommand),
    /// Reads the audit log, newest first, as JSON lines.
    Audit {
        /// Entries about this record (a contact's id, say). Views are not indexed by
        /// record: with them the log is read through (give --since on a long log).
        #[arg(long)]
        record: Option<String>,
        /// Entries by this member of staff (e-mail or id).
        #[arg(long)]
        user: Option<String>,
        /// create, update, delete, view, export, import, consent, erase, sign_in, …
        #[arg(long)]
        action: Option<String>,
        /// Entries at or after this RFC 3339 instant.
        #[arg(long)]
        since: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Imports records from a file.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Exports records to standard output.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Fills the database with a believable demo business.
    Demo {
        #[arg(long, default_value_t = 1000)]
        contacts: usize,
    },
    /// Prints the OpenAPI document of the HTTP API.
    Openapi,
    /// Prints a year's festivals (computed, with the dates admins set).
    Calendar {
        #[arg(long)]
        year: i16,
        /// Only the festivals kept in this region (ISO 3166-2, e.g. IN-TN).
        #[arg(long)]
        region: Option<String>,
        #[arg(long, default_value = "csv", value_parser = ["csv", "ics"])]
        format: String,
    },
    /// Sets festival dates (an Eid decided by sighting).
    #[command(subcommand)]
    Festival(FestivalCommand),
    /// What a contact wants to be greeted for.
    #[command(subcommand)]
    Occasion(OccasionCommand),
    /// The daily run of greetings, and their review.
    #[command(subcommand)]
    Greetings(GreetingsCommand),
    /// Sends the messages waiting in the outbox.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// The organisation's settings for messages.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// SLA due times, policies and the service report.
    #[command(subcommand)]
    Sla(SlaCommand),
    /// The service desk's tickets.
    #[command(subcommand)]
    Tickets(TicketCommand),
    /// The support mailbox.
    #[command(subcommand)]
    Mailbox(MailboxCommand),
}

#[derive(Debug, Subcommand)]
enum BranchCommand {
    /// Adds a branch.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        city: String,
        /// ISO 3166-2, e.g. IN-TN.
        #[arg(long)]
        region: String,
        /// IANA time zone, e.g. Asia/Kolkata.
        #[arg(long)]
        time_zone: String,
        /// BCP 47, e.g. ta.
        #[arg(long)]
        language: String,
    },
    /// Lists the branches.
    List,
    /// Shows a branch's working hours and days off, or sets the hours.
    Hours {
        #[arg(long)]
        branch: String,
        /// "Mon-Fri 09:30-18:00; Sat 10:00-14:00".
        #[arg(long)]
        set: Option<String>,
        /// The year of the days off shown; this year by default.
        #[arg(long)]
        year: Option<i16>,
    },
    /// Adds or removes a branch's day off, or imports days off from an iCalendar file.
    Holiday {
        #[arg(long)]
        branch: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        add: Option<String>,
        /// The name of the day added.
        #[arg(long, requires = "add")]
        name: Option<String>,
        #[arg(long)]
        remove: Option<String>,
        #[arg(long)]
        import: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Adds a member of staff.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// owner, admin, manager, agent or viewer.
        #[arg(long)]
        role: String,
        /// The branch (by name or id); required for managers and agents.
        #[arg(long)]
        branch: Option<String>,
        /// Languages spoken, e.g. hi,ta.
        #[arg(long, value_delimiter = ',')]
        languages: Vec<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lists the staff.
    List,
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Makes an API token and prints it as the last line: it is shown this once.
    Create {
        /// Whose token (their e-mail).
        #[arg(long)]
        user: String,
        /// What it is for, e.g. "accounts sync".
        #[arg(long)]
        label: Option<String>,
        /// How long it lasts: 90d, 12h, P1Y. Without it, until revoked.
        #[arg(long)]
        expires: Option<String>,
    },
    /// Lists a member of staff's tokens.
    List {
        #[arg(long)]
        user: String,
    },
    /// Revokes a token by its id.
    Revoke { id: String },
}

#[derive(Debug, Subcommand)]
enum ContactCommand {
    /// Prints everything held about the person as JSON.
    Export { id: String },
    /// Erases the person's personal data for good (the record's id and branch stay).
    Erase { id: String },
}

#[derive(Debug, Subcommand)]
enum ConsentCommand {
    /// Records consent given or withdrawn.
    Record {
        #[arg(long)]
        contact: String,
        /// service, marketing or greetings.
        #[arg(long)]
        purpose: String,
        /// email, sms, whatsapp or phone.
        #[arg(long)]
        channel: String,
        /// given or withdrawn.
        #[arg(long)]
        status: String,
        /// form, import, verbal, email, message or in_person.
        #[arg(long)]
        method: String,
        /// The language of the notice the person was given.
        #[arg(long)]
        notice_language: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Prints a contact's consents as JSON: the current state and the history.
    Show {
        #[arg(long)]
        contact: String,
    },
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Imports contacts from CSV. Rejected rows go to FILE.rejects.csv.
    Contacts {
        file: PathBuf,
        /// A header of the file and the column it means: --map "Mobile No=phone". Repeatable.
        #[arg(long, value_name = "HEADER=COLUMN")]
        map: Vec<String>,
    },
    /// Imports orders from CSV, a row per line: order_number, contact (e-mail, phone
    /// or external id), ordered_at, sku, quantity, unit_price, currency. Rejected rows
    /// go to FILE.rejects.csv; known order numbers are skipped.
    Orders { file: PathBuf },
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// Exports every contact.
    Contacts {
        #[arg(long, default_value = "csv", value_parser = ["csv", "json", "vcard"])]
        format: String,
    },
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let serving = matches!(args.command, Command::Serve { .. });
    init_tracing(serving);
    if let Command::Openapi = args.command {
        println!("{}", sambandh_web::openapi_json());
        return Ok(());
    }
    let workload = match args.command {
        Command::Import(_) | Command::Demo { .. } => Workload::Bulk,
        _ => Workload::Interactive,
    };
    let store = Store::open_for(&args.database, workload)
        .await
        .map_err(anyhow::Error::new)
        .with_context(|| format!("opening the database {}", redact(&args.database)))?;
    let app = App::new(store);
    let result = command(&app, args.command).await;
    // Events recorded without a write of their own (an export, say) are stored by a
    // background writer: wait for it before the process ends.
    app.flush_audit().await;
    result
}

async fn command(app: &App, command: Command) -> anyhow::Result<()> {
    let app = app.clone();
    let caller = Caller::LocalOperator;
    match command {
        Command::Serve { listen, demo, channels, imap, imap_branch } => {
            let mailbox = match (imap, imap_branch) {
                (Some(url), Some(branch)) => {
                    let config = sambandh_channels::MailboxConfig::from_url(&url)
                        .map_err(|err| anyhow::anyhow!("--imap: {err}"))?;
                    Some((config, crate::desk_cli::branch_id(&app, &branch).await?))
                }
                _ => None,
            };
            serve(app, listen, demo, &channels, mailbox).await
        }
        Command::Branch(BranchCommand::Hours { branch, set, year }) => {
            crate::desk_cli::branch_hours(&app, &caller, &branch, set.as_deref(), year).await
        }
        Command::Branch(BranchCommand::Holiday { branch, add, name, remove, import }) => {
            crate::desk_cli::branch_holiday(
                &app,
                &caller,
                &branch,
                add.as_deref(),
                remove.as_deref(),
                name.as_deref(),
                import.as_ref(),
            )
            .await
        }
        Command::Sla(command) => crate::desk_cli::sla(&app, &caller, command).await,
        Command::Tickets(command) => crate::desk_cli::tickets(&app, &caller, command).await,
        Command::Mailbox(command) => crate::desk_cli::mailbox(&app, command).await,
        Command::Migrate => {
            println!("the database is up to date");
            Ok(())
        }
        Command::Branch(BranchCommand::Add { name, city, region, time_zone, language }) => {
            let input = BranchInput {
                name: Some(name),
                city: Some(city),
                region: Some(region),
                time_zone: Some(time_zone),
                language: Some(language),
            };
            let branch = app.add_branch(&caller, &input).await.map_err(explain)?;
            println!("added branch {} ({})", branch.data.name, branch.id);
            Ok(())
        }
        Command::Branch(BranchCommand::List) => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "id\tname\tcity\tregion\ttime_zone\tlanguage")?;
            for branch in app.branches(&caller).await.map_err(explain)? {
                let data = &branch.data;
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    branch.id, data.name, data.city, data.region, data.time_zone, data.language
                )?;
            }
            Ok(())
        }
        Command::User(UserCommand::Add { email, name, role, branch, languages, password_stdin }) => {
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
                Some(line.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let input = UserInput { email: Some(email), name: Some(name), role: Some(role), branch, languages };
            let user = app.add_user(&caller, &input, password).await.map_err(explain)?;
            println!("added {} {} ({})", user.data.role, user.data.email, user.id);
            Ok(())
        }
        Command::User(UserCommand::List) => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "id\temail\tname\trole\tbranch\tlanguages")?;
            for user in app.users(&caller).await.map_err(explain)? {
                let data = &user.data;
                let branch = data.branch_id.map(|id| id.to_string()).unwrap_or_default();
                let languages: Vec<String> = data.languages.iter().map(ToString::to_string).collect();
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{branch}\t{}",
                    user.id,
                    data.email,
                    data.name,
                    data.role,
                    languages.join(",")
                )?;
            }
            Ok(())
        }
        Command::Import(ImportCommand::Contacts { file, map }) => import_contacts(&app, &caller, &file, &map).await,
        Command::Import(ImportCommand::Orders { file }) => {
            let source = std::fs::File::open(&file).with_context(|| format!("opening {}", file.display()))?;
            let report = app.import_orders(&caller, std::io::BufReader::new(source)).await.map_err(explain)?;
            let rejects_path = rejects_path(&file);
            if report.rejections.is_empty() {
                if rejects_path.exists() {
                    std::fs::remove_file(&rejects_path)
                        .with_context(|| format!("removing {}", rejects_path.display()))?;
                }
            } else {
                write_rejects(&rejects_path, &report.headers, &report.rejections)?;
                eprintln!("rejected rows, with their row number and reason: {}", rejects_path.display());
            }
            println!("{}", report.summary());
            Ok(())
        }
        Command::Export(ExportCommand::Contacts { format }) => {
            let format = ExportFormat::parse(&format).context("unknown format")?;
            let stdout = std::io::stdout().lock();
            let mut out = std::io::BufWriter::new(stdout);
            let n_written =
                app.export_contacts(&caller, &ContactFilter::default(), format, &mut out).await.map_err(explain)?;
            out.flush()?;
            tracing::info!(n_written, "exported contacts");
            Ok(())
        }
        Command::Demo { contacts } => {
            let bar = progress_bar(Some(contacts as u64));
            let report = app.seed_demo(&caller, contacts, |done| bar.set_position(done)).await.map_err(explain)?;
            bar.finish_and_clear();
            println!(
                "demo: {} branches added, {} contacts added, {} updated, {} companies added",
                report.branches_created, report.contacts_created, report.contacts_updated, report.companies_created
            );
            println!(
                "demo accounts: owner, admin, manager.chennai, agent.ahmedabad, agent.lucknow, viewer {} (password '{}')",
                sambandh_app::demo::DEMO_DOMAIN,
                sambandh_app::demo::DEMO_PASSWORD
            );
            Ok(())
        }
        Command::Token(command) => token(&app, &caller, command).await,
        Command::Contact(ContactCommand::Export { id }) => {
            let data = app.person_data(&caller, contact_id(&id)?).await.map_err(explain)?;
            let pipeline = app.pipeline(&caller).await.map_err(explain)?;
            println!("{}", serde_json::to_string_pretty(&sambandh_web::views::PersonDataView::new(&data, &pipeline))?);
            Ok(())
        }
        Command::Contact(ContactCommand::Erase { id }) => {
            let contact = app.erase_contact(&caller, contact_id(&id)?).await.map_err(explain)?;
            println!("erased the personal data of contact {}", contact.id);
            Ok(())
        }
        Command::Consent(ConsentCommand::Record {
            contact,
            purpose,
            channel,
            status,
            method,
            notice_language,
            note,
        }) => {
            let input = ConsentInput {
                purpose: Some(purpose),
                channel: Some(channel),
                status: Some(status),
                method: Some(method),
                notice_language,
                note,
            };
            let consent = app.record_consent(&caller, contact_id(&contact)?, &input).await.map_err(explain)?;
            let change = &consent.change;
            println!("recorded: {} by {} is {} for contact {}", change.purpose, change.channel, change.status, contact);
            Ok(())
        }
        Command::Consent(ConsentCommand::Show { contact }) => {
            let history = app.consents(&caller, contact_id(&contact)?).await.map_err(explain)?;
            println!("{}", serde_json::to_string_pretty(&sambandh_web::views::ConsentsView::new(&history))?);
            Ok(())
        }
        Command::Audit { record, user, action, since, limit } => {
            let directory = sambandh_app::directory::Directory::load(&app).await.map_err(explain)?;
            let actor_id = match user.as_deref() {
                Some(raw) => {
                    Some(directory.user(raw).with_context(|| format!("--user: no member of staff is '{raw}'"))?)
                }
                None => None,
            };
            let since = since
                .as_deref()
                .map(|raw| {
                    raw.parse::<jiff::Timestamp>().with_context(|| format!("--since '{raw}': not an RFC 3339 instant"))
                })
                .transpose()?;
            let filter = AuditFilter { record_id: record, actor_id, action, since, until: None };
            let page = PageRequest { limit, cursor: None };
            let entries = app.audit(&caller, &filter, &page).await.map_err(explain)?;
            let mut out = std::io::stdout().lock();
            for entry in &entries.items {
                writeln!(out, "{}", serde_json::to_string(&sambandh_web::views::AuditView::from(entry))?)?;
            }
            Ok(())
        }
        Command::Openapi => Ok(()),
        Command::Calendar { year, region, format } => {
            crate::greetings_cli::calendar(&app, year, region.as_deref(), &format).await
        }
        Command::Festival(command) => crate::greetings_cli::festival(&app, &caller, command).await,
        Command::Occasion(command) => crate::greetings_cli::occasion(&app, &caller, command).await,
        Command::Greetings(command) => crate::greetings_cli::greetings(&app, &caller, command).await,
        Command::Outbox(command) => crate::greetings_cli::outbox(&app, command).await,
        Command::Settings(command) => crate::greetings_cli::settings(&app, &caller, command).await,
    }
}

async fn token(app: &App, caller: &Caller, command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create { user, label, expires } => {
            let lifetime = expires
                .as_deref()
                .map(sambandh_app::auth::parse_lifetime)
                .transpose()
                .map_err(|reason| anyhow::anyhow!("--expires: {reason}"))?;
            let (token, secret) =
                app.create_token(caller, Some(&user), label.as_deref(), lifetime).await.map_err(explain)?;
            let expires = token.expires_at.map_or_else(|| "never".to_owned(), |at| at.to_string());
            println!(
                "token {} for {user} ({}), expires {expires}. Keep it now; it is not shown again:",
                token.id, token.label
            );
            println!("{secret}");
            Ok(())
        }
        TokenCommand::List { user } => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "id	label	created_at	expires_at	last_used_at	revoked_at")?;
            let or_dash = |at: Option<jiff::Timestamp>| at.map_or_else(|| "-".to_owned(), |at| at.to_string());
            for token in app.tokens(caller, Some(&user)).await.map_err(explain)? {
                writeln!(
                    out,
                    "{}	{}	{}	{}	{}	{}",
                    token.id,
                    token.label,
                    token.created_at,
                    or_dash(token.expires_at),
                    or_dash(token.last_used_at),
                    or_dash(token.revoked_at)
                )?;
            }
            Ok(())
        }
        TokenCommand::Revoke { id } => {
            let token = app.revoke_token(caller, &id).await.map_err(explain)?;
            println!("revoked token {} ({})", token.id, token.label);
            Ok(())
        }
    }
}

pub(crate) fn contact_id(raw: &str) -> anyhow::Result<ContactId> {
    raw.parse().map_err(|_| anyhow::anyhow!("'{raw}' is not a contact id (a UUID)"))
}

async fn serve(
    app: App,
    listen: SocketAddr,
    demo: Option<usize>,
    channel_args: &crate::greetings_cli::ChannelArgs,
    mailbox: Option<(sambandh_channels::MailboxConfig, sambandh_domain::BranchId)>,
) -> anyhow::Result<()> {
    let caller = Caller::LocalOperator;
    let channels = crate::greetings_cli::channels(channel_args)?;
    if let Some(n_contacts) = demo
        && app.count_contacts(&caller).await.map_err(explain)? == 0
    {
        let report = app.seed_demo(&caller, n_contacts, |_| {}).await.map_err(explain)?;
        tracing::info!(contacts = report.contacts_created, companies = report.companies_created, "demo data added");
    }
    // Fresh planner statistics, so that lists use their indexes (see Store::optimize);
    // in the background, as a large database analysed for the first time takes seconds.
    let store = app.store().clone();
    tokio::spawn(async move {
        if let Err(err) = store.optimize().await {
            tracing::warn!(error = ?err, "the database's statistics could not be refreshed");
        }
    });
    let users = app.users(&caller).await.map_err(explain)?;
    if demo.is_some() {
        println!("Demo accounts (password '{}'):", sambandh_app::demo::DEMO_PASSWORD);
        for user in users.iter().filter(|user| user.data.email.as_str().ends_with(sambandh_app::demo::DEMO_DOMAIN)) {
            println!("  {:<8} {}", user.data.role.as_str(), user.data.email);
        }
    } else if !users.iter().any(|user| user.data.role == sambandh_domain::Role::Owner) {
        println!(
            "No one can sign in yet. Create the first owner (the password is read from standard input):\n  \
             sambandh user add --email you@example.com --name 'Your Name' --role owner --password-stdin"
        );
    }
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "serving");
    println!(
        "Sambandh is serving on http://{address} (API: http://{address}/api/v1, OpenAPI: http://{address}/api/v1/openapi.json)"
    );
    let mut workers = sambandh_app::jobs::spawn(app.clone(), channels, mailbox);
    let service = sambandh_web::router(app.clone()).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serving HTTP")?;
    workers.abort_all();
    app.store().close().await;
    Ok(())
}

async fn import_contacts(app: &App, caller: &Caller, file: &Path, map: &[String]) -> anyhow::Result<()> {
    let mut options = ImportOptions::default();
    for pair in map {
        let (from, to) = pair.split_once('=').with_context(|| format!("--map {pair}: expected HEADER=COLUMN"))?;
        options.map.push((from.trim().to_owned(), to.trim().to_owned()));
    }
    let source = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let bar = progress_bar(None);
    let report = app
        .import_contacts(caller, std::io::BufReader::new(source), &options, |rows| bar.set_position(rows))
        .await
        .map_err(explain)?;
    bar.finish_and_clear();
    for header in &report.ignored_headers {
        eprintln!("warning: column '{header}' is not a contact field and was skipped (see --map)");
    }
    let rejects_path = rejects_path(file);
    if report.rejected() > 0 {
        write_rejects(&rejects_path, &report.headers, &report.rejections)?;
        eprintln!("rejected rows, with their row number and reason: {}", rejects_path.display());
    } else if rejects_path.exists() {
        // A rejects file from an earlier run would describe rows that are now imported.
        std::fs::remove_file(&rejects_path).with_context(|| format!("removing {}", rejects_path.display()))?;
    }
    println!("{}", report.summary());
    Ok(())
}

/// `contacts.csv` → `contacts.rejects.csv`, beside it.
fn rejects_path(file: &Path) -> PathBuf {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "import".into());
    file.with_file_name(format!("{stem}.rejects.csv"))
}

/// The rejected rows, under the file's header plus `row` and `reason`.
fn write_rejects(path: &Path, headers: &[String], rejections: &[Rejection]) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
    let mut header = headers.to_vec();
    header.extend(["row".to_owned(), "reason".to_owned()]);
    writer.write_record(&header)?;
    for rejection in rejections {
        let mut cells = rejection.cells.clone();
        cells.resize(headers.len(), String::new());
        cells.extend([rejection.row.to_string(), rejection.reason.clone()]);
        writer.write_record(&cells)?;
    }
    writer.flush().with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn progress_bar(len: Option<u64>) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    match len {
        Some(len) => indicatif::ProgressBar::new(len),
        None => indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} rows read")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        ),
    }
}

/// Turns an operation's error into words for the terminal.
pub(crate) fn explain(err: AppError) -> anyhow::Error {
    match err {
        AppError::Validation(errors) => anyhow::anyhow!("{errors}"),
        AppError::Unexpected(err) => err,
        other => anyhow::anyhow!("{other}"),
    }
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

fn init_tracing(serving: bool) {
    let default = if serving { "info,sqlx=error" } else { "warn,sqlx=error" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("SAMBANDH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}
