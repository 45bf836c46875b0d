//! Reading a mailbox over IMAP (RFC 3501, through `async-imap`): the service desk polls the
//! support address's folder and turns each new message into a ticket or a reply.
//!
//! What it does: connect (plain, implicit TLS or STARTTLS; see [`Security`]), log in with
//! `LOGIN`, open the folder with `EXAMINE` (read-only, so the server itself guarantees that
//! nothing in the mailbox changes: no `\Seen` flag set, no `\Recent` cleared, nothing
//! expunged), find the UIDs above a [`Cursor`] with `UID SEARCH`, and download at most
//! `limit` of them with `UID FETCH … BODY.PEEK[]`, oldest first. The raw bytes are handed
//! back as they are; [`crate::InboundMail`] parses them.
//!
//! What it does not do: keep a connection open between polls, IDLE, move or flag
//! messages, or remember anything: the caller stores the cursor (and, since a server may
//! renumber a folder, dedupes by Message-ID). Folder names must be ASCII, since IMAP's
//! modified UTF-7 for other names is not implemented.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use async_imap::imap_proto::{Response, Status};
use async_imap::{Client, Session};
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use crate::endpoint::Endpoint;
use crate::tls::{self, Security};

/// Where the mailbox is and how to log in.
#[derive(Clone, PartialEq, Eq)]
pub struct MailboxConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    pub password: String,
    /// The folder to read, `INBOX` unless told otherwise.
    pub folder: String,
    /// A PEM file of CA certificates trusted besides Mozilla's roots (a company's own CA,
    /// a test server's).
    pub ca_file: Option<PathBuf>,
    /// How long any one step (connecting, the TLS handshake, one command, one message
    /// downloaded) may take before the fetch gives up as [`ImapError::Unreachable`].
    pub timeout: Duration,
}

impl fmt::Debug for MailboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailboxConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("folder", &self.folder)
            .field("ca_file", &self.ca_file)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl MailboxConfig {
    /// The default for [`MailboxConfig::timeout`].
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    /// Reads a mailbox address:
    ///
    /// - `imaps://user:password@host[:993][/FOLDER]`: implicit TLS (the usual for providers);
    /// - `imap+starttls://user:password@host[:143][/FOLDER]`: STARTTLS, required;
    /// - `imap://user:password@host[:143][/FOLDER]`: plain, for a server on this machine.
    ///
    /// The user name and password are percent-decoded, so that an e-mail address as user
    /// name is written `support%40shop.in` (a bare `@` works too: the last one ends the
    /// password). The folder is `INBOX` when the path is empty. `?ca=/path/to/ca.pem`
    /// adds the certificates of a PEM file to the trusted roots; the file is read now, so
    /// that a wrong path fails at start-up.
    pub fn from_url(url: &str) -> Result<Self, String> {
        let endpoint = Endpoint::parse(url, "IMAP")?;
        let (security, default_port) = match endpoint.scheme.as_str() {
            "imap" => (Security::Plain, 143),
            "imaps" => (Security::Tls, 993),
            "imap+starttls" => (Security::StartTls, 143),
            other => {
                return Err(format!(
                    "the IMAP address must start with imaps://, imap+starttls:// or imap://, not {other}://"
                ));
            }
        };
        let username = endpoint.username.ok_or("the IMAP address has no user name (imaps://user:password@host)")?;
        if endpoint.password.is_empty() {
            return Err("the IMAP address has no password (imaps://user:password@host)".into());
        }
        let folder = match endpoint.path.trim_end_matches('/') {
            "" => "INBOX".to_owned(),
            folder => folder.to_owned(),
        };
        if !folder.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
            return Err(format!(
                "the IMAP folder '{folder}' is not plain ASCII (names in IMAP's modified UTF-7 are not supported)"
            ));
        }
        if let Some(ca_file) = &endpoint.ca_file {
            if security == Security::Plain {
                return Err("ca= needs TLS: use imaps:// or imap+starttls://".into());
            }
            tls::read_ca_file(ca_file)?;
        }
        Ok(Self {
            host: endpoint.host,
            port: endpoint.port.unwrap_or(default_port),
            security,
            username,
            password: endpoint.password,
            folder,
            ca_file: endpoint.ca_file,
            timeout: Self::DEFAULT_TIMEOUT,
        })
    }
}

/// How far a folder has been read: the UIDs above `last_uid` are new, as long as the
/// folder's UIDVALIDITY is still `uid_validity` (if it is not, the server has renumbered
/// the folder and everything in it counts as new).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cursor {
    pub uid_validity: u32,
    pub last_uid: u32,
}

/// One message, as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedMail {
    pub uid: u32,
    /// The whole message (RFC 5322), headers and body, undecoded.
    pub raw: Vec<u8>,
}

/// What one [`fetch_since`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The folder's UIDVALIDITY now.
    pub uid_validity: u32,
    /// The new messages, by ascending UID, at most `limit` of them.
    pub messages: Vec<FetchedMail>,
    /// There are more new messages than `limit`: fetch again.
    pub more: bool,
    /// Where the next fetch starts once every message here has been handled. (To save
    /// progress message by message: `Cursor { uid_validity, last_uid: mail.uid }`.)
    pub cursor: Cursor,
}

/// Why a mailbox could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImapError {
    /// The server could not be reached, did not answer in time, or hung up: try again
    /// later.
    #[error("IMAP server unreachable: {0}")]
    Unreachable(String),
    /// The server refused the user name or password.
    #[error("IMAP login refused: {0}")]
    Authentication(String),
    /// TLS could not be set up: a certificate not trusted or not for this host, or no
    /// STARTTLS on offer.
    #[error("IMAP TLS: {0}")]
    Tls(String),
    /// The folder does not exist or cannot be opened.
    #[error("IMAP folder: {0}")]
    Folder(String),
    /// The server answered something unexpected, or refused a command.
    #[error("IMAP protocol: {0}")]
    Protocol(String),
    /// The configuration cannot work (an unreadable CA file, a character IMAP cannot
    /// carry in the user name or password).
    #[error("IMAP configuration: {0}")]
    Config(String),
}

impl ImapError {
    /// Whether trying again unchanged is pointless: someone has to fix the configuration
    /// (the password, the folder, the certificate) first.
    pub fn is_permanent(&self) -> bool {
        !matches!(self, Self::Unreachable(_) | Self::Protocol(_))
    }
}

/// Fetches the messages of `config.folder` whose UID is above `cursor` (all of them when
/// there is no cursor or the folder's UIDVALIDITY has changed), oldest first, at most
/// `limit`. The mailbox is opened read-only and nothing in it changes.
pub async fn fetch_since(config: &MailboxConfig, cursor: Option<Cursor>, limit: usize) -> Result<Fetched, ImapError> {
    let mut session = connect(config).await?;
    let fetched = fetch_in(&mut session, config, cursor, limit).await;
    if let Err(err) = within(config.timeout, "LOGOUT", async { session.logout().await.map_err(from_imap) }).await {
        tracing::debug!(error = %err, "IMAP logout failed");
    }
    fetched
}

type ImapSession = Session<MailStream>;

async fn connect(config: &MailboxConfig) -> Result<ImapSession, ImapError> {
    let address = format!("{}:{}", config.host, config.port);
    let tcp = within(config.timeout, "connecting", async {
        TcpStream::connect((config.host.as_str(), config.port))
            .await
            .map_err(|err| ImapError::Unreachable(format!("cannot connect to {address}: {err}")))
    })
    .await?;
    let stream = match config.security {
        Security::Plain | Security::StartTls => MailStream::Plain(tcp),
        Security::Tls => MailStream::Tls(Box::new(handshake(config, tcp).await?)),
    };
    let mut client = Client::new(stream);
    within(config.timeout, "the greeting", greeting(&mut client)).await?;
    if config.security == Security::StartTls {
        within(config.timeout, "STARTTLS", async {
            client.run_command_and_check_ok("STARTTLS", None).await.map_err(|err| match err {
                async_imap::error::Error::No(_) | async_imap::error::Error::Bad(_) => {
                    ImapError::Tls(format!("{address} does not offer STARTTLS: {err}"))
                }
                err => from_imap(err),
            })
        })
        .await?;
        let MailStream::Plain(tcp) = client.into_inner() else {
            return Err(ImapError::Protocol("STARTTLS on a connection that has TLS already".into()));
        };
        client = Client::new(MailStream::Tls(Box::new(handshake(config, tcp).await?)));
    }
    let login = tokio::time::timeout(config.timeout, client.login(&config.username, &config.password)).await;
    match login {
        Ok(Ok(session)) => Ok(session),
        Ok(Err((err, _client))) => Err(login_error(err)),
        Err(_) => Err(ImapError::Unreachable(format!("LOGIN: no answer within {:?}", config.timeout))),
    }
}

async fn handshake(config: &MailboxConfig, tcp: TcpStream) -> Result<TlsStream<TcpStream>, ImapError> {
    let extra_roots = match &config.ca_file {
        Some(path) => tls::read_ca_file(path).map_err(ImapError::Config)?,
        None => Vec::new(),
    };
    let connector = tls::connector(extra_roots).map_err(ImapError::Config)?;
    let name = tls::server_name(&config.host).map_err(ImapError::Config)?;
    within(config.timeout, "the TLS handshake", async {
        connector.connect(name, tcp).await.map_err(|err| {
            // rustls reports what it refuses (an untrusted or misnamed certificate, no
            // common protocol) as invalid data; anything else is the network.
            if err.kind() == io::ErrorKind::InvalidData {
                ImapError::Tls(format!("{}:{}: {err}", config.host, config.port))
            } else {
                ImapError::Unreachable(format!("TLS handshake with {}:{}: {err}", config.host, config.port))
            }
        })
    })
    .await
}

async fn greeting(client: &mut Client<MailStream>) -> Result<(), ImapError> {
    let response = client.read_response().await.map_err(|err| ImapError::Unreachable(err.to_string()))?;
    let Some(response) = response else {
        return Err(ImapError::Unreachable("the server hung up before greeting".into()));
    };
    match response.parsed() {
        Response::Data { status: Status::Ok, .. } => Ok(()),
        Response::Data { status: Status::Bye, outcome } => Err(ImapError::Unreachable(format!(
            "the server turned the connection away: {}",
            outcome.information.as_deref().unwrap_or("")
        ))),
        other => Err(ImapError::Protocol(format!("unexpected greeting {other:?}"))),
    }
}

fn login_error(err: async_imap::error::Error) -> ImapError {
    use async_imap::error::Error;
    match err {
        // RFC 5530's UNAVAILABLE: the server's authentication back end is down for now.
        Error::No(text) if text.to_ascii_uppercase().contains("UNAVAILABLE") => {
            ImapError::Unreachable(format!("the server cannot check passwords right now: {}", server_said(&text)))
        }
        Error::No(text) | Error::Bad(text) => ImapError::Authentication(server_said(&text)),
        Error::Validate(err) => {
            ImapError::Config(format!("the user name or password holds a character IMAP cannot send: {err}"))
        }
        err => from_imap(err),
    }
}

async fn fetch_in(
    session: &mut ImapSession,
    config: &MailboxConfig,
    cursor: Option<Cursor>,
    limit: usize,
) -> Result<Fetched, ImapError> {
    let folder = &config.folder;
    let mailbox = within(config.timeout, "EXAMINE", async {
        session.examine(folder).await.map_err(|err| match err {
            async_imap::error::Error::No(text) => {
                ImapError::Folder(format!("cannot open '{folder}': {}", server_said(&text)))
            }
            err => from_imap(err),
        })
    })
    .await?;
    let uid_validity = mailbox
        .uid_validity
        .ok_or_else(|| ImapError::Protocol(format!("the server gave no UIDVALIDITY for '{folder}'")))?;
    let after = match cursor {
        Some(cursor) if cursor.uid_validity == uid_validity => cursor.last_uid,
        Some(cursor) => {
            tracing::info!(folder, old = cursor.uid_validity, new = uid_validity, "UIDVALIDITY changed: reading again");
            0
        }
        None => 0,
    };
    let mut fetched =
        Fetched { uid_validity, messages: Vec::new(), more: false, cursor: Cursor { uid_validity, last_uid: after } };
    let nothing_new = mailbox.exists == 0 || mailbox.uid_next.is_some_and(|next| next <= after.saturating_add(1));
    if nothing_new {
        return Ok(fetched);
    }

    // `n:*` always includes the highest UID, even one below n: hence the filter.
    let query = format!("UID {}:*", after.saturating_add(1));
    let found =
        within(config.timeout, "UID SEARCH", async { session.uid_search(&query).await.map_err(from_imap) }).await?;
    let mut uids: Vec<u32> = found.into_iter().filter(|&uid| uid > after).collect();
    uids.sort_unstable();
    fetched.more = uids.len() > limit;
    uids.truncate(limit);
    if uids.is_empty() {
        return Ok(fetched);
    }

    let set = uid_set(&uids);
    let mut responses = within(config.timeout, "UID FETCH", async {
        session.uid_fetch(&set, "(UID BODY.PEEK[])").await.map_err(from_imap)
    })
    .await?;
    loop {
        let next = tokio::time::timeout(config.timeout, responses.try_next())
            .await
            .map_err(|_| ImapError::Unreachable(format!("UID FETCH: no answer within {:?}", config.timeout)))?;
        let Some(response) = next.map_err(from_imap)? else { break };
        // Other FETCH responses (a flag changed by another client) carry no body.
        if let (Some(uid), Some(raw)) = (response.uid, response.body())
            && uids.binary_search(&uid).is_ok()
        {
            fetched.messages.push(FetchedMail { uid, raw: raw.to_vec() });
        }
    }
    drop(responses);
    fetched.messages.sort_by_key(|mail| mail.uid);
    fetched.messages.dedup_by_key(|mail| mail.uid);
    if let Some(last) = fetched.messages.last() {
        fetched.cursor.last_uid = last.uid;
    }
    tracing::debug!(folder, count = fetched.messages.len(), more = fetched.more, "fetched mail");
    Ok(fetched)
}

/// `1:3,7,9:10` for `[1, 2, 3, 7, 9, 10]` (sorted, no duplicates).
fn uid_set(uids: &[u32]) -> String {
    let mut set = String::new();
    let mut rest = uids;
    while let Some((&first, _)) = rest.split_first() {
        let run =
            rest.iter().enumerate().take_while(|&(i, &uid)| u64::from(uid) == u64::from(first) + i as u64).count();
        if !set.is_empty() {
            set.push(',');
        }
        match run {
            1 => set.push_str(&first.to_string()),
            _ => set.push_str(&format!("{first}:{}", rest[run - 1])),
        }
        rest = &rest[run..];
    }
    set
}

async fn within<T>(
    timeout: Duration,
    what: &str,
    step: impl Future<Output = Result<T, ImapError>>,
) -> Result<T, ImapError> {
    tokio::time::timeout(timeout, step)
        .await
        .map_err(|_| ImapError::Unreachable(format!("{what}: no answer within {timeout:?}")))?
}

/// The server's own words from async-imap's rendering of a NO or BAD answer
/// (`code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")`), or the
/// whole rendering if they cannot be found in it.
fn server_said(rendered: &str) -> String {
    let words = rendered
        .find("Some(\"")
        .and_then(|start| rendered[start + 6..].rfind("\")").map(|end| &rendered[start + 6..start + 6 + end]));
    match words {
        Some(words) => words.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => rendered.to_owned(),
    }
}

fn from_imap(err: async_imap::error::Error) -> ImapError {
    use async_imap::error::Error;
    match err {
        Error::Io(err) => ImapError::Unreachable(err.to_string()),
        Error::ConnectionLost => ImapError::Unreachable("the server hung up".into()),
        err => ImapError::Protocol(err.to_string()),
    }
}

/// A connection, with or without TLS (one type, so that STARTTLS can swap one for the
/// other under the same client).
#[derive(Debug)]
enum MailStream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for MailStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_read(cx, buf),
            Self::Tls(stream) => Pin::new(stream).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for MailStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_write(cx, buf),
            Self::Tls(stream) => Pin::new(stream).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_flush(cx),
            Self::Tls(stream) => Pin::new(stream).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(stream) => Pin::new(stream).poll_shutdown(cx),
            Self::Tls(stream) => Pin::new(stream).poll_shutdown(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailbox_addresses() {
        let config = MailboxConfig::from_url("imaps://support%40shop.in:s3cret@imap.example.com/INBOX").unwrap();
        assert_eq!(config.host, "imap.example.com");
        assert_eq!(config.port, 993);
        assert_eq!(config.security, Security::Tls);
        assert_eq!(config.username, "support@shop.in");
        assert_eq!(config.password, "s3cret");
        assert_eq!(config.folder, "INBOX");
        assert_eq!(config.ca_file, None);

        let config = MailboxConfig::from_url("imap://desk:pw@127.0.0.1:1143").unwrap();
        assert_eq!((config.security, config.port, config.folder.as_str()), (Security::Plain, 1143, "INBOX"));
        let config = MailboxConfig::from_url("imap+starttls://desk:pw@mail.example.in/Support%2FTickets").unwrap();
        assert_eq!(
            (config.security, config.port, config.folder.as_str()),
            (Security::StartTls, 143, "Support/Tickets")
        );
    }

    #[test]
    fn what_is_wrong_with_an_address_is_named() {
        let err = |url| MailboxConfig::from_url(url).unwrap_err();
        assert!(err("pop3://u:p@host").contains("must start with imaps://"));
        assert!(err("imaps://host").contains("no user name"));
        assert!(err("imaps://user@host").contains("no password"));
        assert!(err("imaps://u:p@host/सहायता").contains("not plain ASCII"));
        assert!(err("imap://u:p@host?ca=/etc/ssl/ca.pem").contains("ca= needs TLS"));
        assert!(err("imaps://u:p@host?ca=/nonexistent/ca.pem").contains("cannot read the CA file /nonexistent/ca.pem"));
    }

    #[test]
    fn the_password_stays_out_of_debug_output() {
        let config = MailboxConfig::from_url("imaps://desk:hunter2@imap.example.com").unwrap();
        let debug = format!("{config:?}");
        assert!(!debug.contains("hunter2") && debug.contains("desk"), "{debug}");
    }

    #[test]
    fn uid_sets_are_runs() {
        assert_eq!(uid_set(&[1, 2, 3, 7, 9, 10]), "1:3,7,9:10");
        assert_eq!(uid_set(&[5]), "5");
        assert_eq!(uid_set(&[]), "");
        assert_eq!(uid_set(&[u32::MAX - 1, u32::MAX]), format!("{}:{}", u32::MAX - 1, u32::MAX));
    }

    #[test]
    fn the_servers_words_are_kept() {
        assert_eq!(
            server_said(r#"code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")"#),
            "[AUTHENTICATIONFAILED] Authentication failed."
        );
        assert_eq!(
            server_said(r#"outcome: Outcome { code: None, information: Some("Mailbox doesn't exist: \"Nope\"") }"#),
            r#"Mailbox doesn't exist: "Nope""#
        );
        assert_eq!(server_said("code: None, info: None"), "code: None, info: None");
    }

    #[test]
    fn permanent_errors_need_a_person() {
        assert!(ImapError::Authentication("no".into()).is_permanent());
        assert!(ImapError::Tls("untrusted".into()).is_permanent());
        assert!(!ImapError::Unreachable("refused".into()).is_permanent());
    }
}
