//! E-mail over SMTP (lettre), one recipient per message, with a one-click unsubscribe
//! (RFC 8058) on every message that is not a service message. Plain, implicit TLS or
//! STARTTLS, as the address says (see [`SmtpSender::from_url`]).

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use lettre::Message;
use lettre::message::Mailbox;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{
    AsyncSmtpConnection, AsyncTokioStream, Certificate, CertificateStore, TlsParameters,
};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use crate::DeliveryError;
use crate::endpoint::Endpoint;
use crate::tls::{self, Security};

/// One e-mail to one person.
#[derive(Debug, Clone)]
pub struct Email {
    /// The Message-ID, without angle brackets: the same for every attempt at one
    /// message, so that a receiver can tell a retry from a new message.
    pub message_id: String,
    pub from_name: Option<String>,
    pub from_address: String,
    pub reply_to: Option<String>,
    pub to: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// The one-click unsubscribe address, for `List-Unsubscribe`.
    pub unsubscribe_url: Option<String>,
    /// The Message-ID this answers (`In-Reply-To`) and the thread before it
    /// (`References`), without angle brackets: a reply stays in the customer's thread.
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// An automatic answer: sent with `Auto-Submitted: auto-replied` (RFC 3834).
    pub auto_reply: bool,
}

/// Sends through one SMTP server, reusing its connections.
///
/// The connections are lettre's (`AsyncSmtpConnection`) over sockets opened here with
/// `TCP_NODELAY`: lettre 0.11.23 leaves Nagle's algorithm on, and it writes a message's
/// body and its closing `.` in two writes, so the second waited for the server's delayed
/// ACK, 40 ms on every message (lettre PR #1159 fixes it upstream, unreleased as of
/// 0.11.23). Idle connections are kept for the next message, at most
/// [`MAX_IDLE_CONNECTIONS`], and checked with a NOOP when idle a while.
#[derive(Clone)]
pub struct SmtpSender {
    inner: Arc<Inner>,
}

struct Inner {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    /// For STARTTLS (lettre upgrades the connection).
    tls_parameters: Option<TlsParameters>,
    /// For implicit TLS (the socket is wrapped here, before the server's greeting).
    tls_connector: Option<tokio_rustls::TlsConnector>,
    hello: ClientId,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

/// Idle connections kept for reuse.
pub const MAX_IDLE_CONNECTIONS: usize = 32;
/// A connection idle longer than this is checked (NOOP) before it is used again.
const CHECK_AFTER: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSender")
            .field("host", &self.inner.host)
            .field("port", &self.inner.port)
            .field("security", &self.inner.security)
            .finish_non_exhaustive()
    }
}

impl SmtpSender {
    /// Reads a server address:
    ///
    /// - `smtps://[user:password@]host[:465]`: implicit TLS (RFC 8314), the usual for
    ///   providers;
    /// - `smtp+starttls://[user:password@]host[:587]`: STARTTLS, required (a server that
    ///   does not offer it fails the send; there is no falling back to plain);
    /// - `smtp://[user:password@]host[:25]`: plain, meant for a relay on this machine or the
    ///   local network (a Postfix that takes it from there with TLS).
    ///
    /// The user name and password are percent-decoded (`support%40shop.in`; a bare `@` in
    /// the user name works too). `?ca=/path/to/ca.pem` trusts the certificates of that PEM
    /// file besides Mozilla's roots; it is read now, so that a wrong path fails at start-up.
    pub fn from_url(url: &str) -> Result<Self, String> {
        let endpoint = Endpoint::parse(url, "SMTP")?;
        let (security, default_port) = match endpoint.scheme.as_str() {
            "smtp" => (Security::Plain, 25),
            "smtps" => (Security::Tls, 465),
            "smtp+starttls" => (Security::StartTls, 587),
            other => {
                return Err(format!(
                    "the SMTP address must start with smtps://, smtp+starttls:// or smtp://, not {other}://"
                ));
            }
        };
        if !endpoint.path.trim_end_matches('/').is_empty() {
            return Err(format!("the SMTP address has a path (/{}), which means nothing to SMTP", endpoint.path));
        }
        let host = endpoint.host;
        let extra_roots = match &endpoint.ca_file {
            Some(_) if security == Security::Plain => {
                return Err("ca= needs TLS: use smtps:// or smtp+starttls://".into());
            }
            Some(ca_file) => tls::read_ca_file(ca_file)?,
            None => Vec::new(),
        };
        let (tls_parameters, tls_connector) = match security {
            Security::Plain => (None, None),
            Security::Tls => (None, Some(tls::connector(extra_roots)?)),
            Security::StartTls => {
                let mut parameters =
                    TlsParameters::builder(host.clone()).certificate_store(CertificateStore::WebpkiRoots);
                for der in extra_roots {
                    let certificate =
                        Certificate::from_der(der.to_vec()).map_err(|err| format!("the CA file: {err}"))?;
                    parameters = parameters.add_root_certificate(certificate);
                }
                (Some(parameters.build_rustls().map_err(|err| format!("SMTP TLS set-up: {err}"))?), None)
            }
        };
        let credentials = endpoint.username.map(|user| Credentials::new(user, endpoint.password));
        Ok(Self {
            inner: Arc::new(Inner {
                host,
                port: endpoint.port.unwrap_or(default_port),
                security,
                credentials,
                tls_parameters,
                tls_connector,
                hello: ClientId::default(),
                idle: Mutex::new(Vec::new()),
            }),
        })
    }

    pub async fn send(&self, email: &Email) -> Result<(), DeliveryError> {
        let message = build(email)?;
        let envelope = message.envelope().clone();
        let bytes = message.formatted();
        let mut connection = self.connection().await?;
        match connection.send(&envelope, &bytes).await {
            Ok(_) => {
                self.keep(connection);
                Ok(())
            }
            Err(err) => {
                connection.abort().await;
                Err(classify(&err))
            }
        }
    }

    /// An idle connection that still answers, else a new one.
    async fn connection(&self) -> Result<AsyncSmtpConnection, DeliveryError> {
        loop {
            let idle = self.inner.idle.lock().map(|mut idle| idle.pop()).unwrap_or(None);
            let Some((mut connection, since)) = idle else { break };
            if connection.has_broken() {
                continue;
            }
            if since.elapsed() < CHECK_AFTER || connection.test_connected().await {
                return Ok(connection);
            }
        }
        self.connect().await
    }

    fn keep(&self, connection: AsyncSmtpConnection) {
        if let Ok(mut idle) = self.inner.idle.lock()
            && idle.len() < MAX_IDLE_CONNECTIONS
        {
            idle.push((connection, Instant::now()));
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, DeliveryError> {
        let inner = &self.inner;
        let tcp = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect((inner.host.as_str(), inner.port)))
            .await
            .map_err(|_| io_error(format!("connecting to {}:{} timed out", inner.host, inner.port)))?
            .map_err(|err| io_error(format!("connecting to {}:{}: {err}", inner.host, inner.port)))?;
        tcp.set_nodelay(true).map_err(|err| io_error(format!("TCP_NODELAY: {err}")))?;
        let mut connection = match (&inner.tls_connector, inner.security) {
            (Some(connector), _) => {
                let name = tls::server_name(&inner.host).map_err(io_error)?;
                let stream = connector
                    .connect(name, tcp)
                    .await
                    .map_err(|err| io_error(format!("TLS with {}: {err}", inner.host)))?;
                AsyncSmtpConnection::connect_with_transport(Box::new(TlsTcp(stream)), &inner.hello)
                    .await
                    .map_err(|err| classify(&err))?
            }
            (None, _) => AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &inner.hello)
                .await
                .map_err(|err| classify(&err))?,
        };
        if let Some(parameters) = &inner.tls_parameters {
            if !connection.can_starttls() {
                connection.abort().await;
                return Err(io_error(format!("{} does not offer STARTTLS", inner.host)));
            }
            connection.starttls(parameters.clone(), &inner.hello).await.map_err(|err| classify(&err))?;
        }
        if let Some(credentials) = &inner.credentials {
            connection.auth(&[Mechanism::Plain, Mechanism::Login], credentials).await.map_err(|err| classify(&err))?;
        }
        Ok(connection)
    }
}

/// A connection that could not be made: worth trying again later (the server may come
/// back; a certificate may be renewed).
fn io_error(reason: impl Into<String>) -> DeliveryError {
    DeliveryError::Transient(reason.into())
}

fn classify(err: &lettre::transport::smtp::Error) -> DeliveryError {
    if err.is_permanent() {
        DeliveryError::Permanent(err.to_string())
    } else {
        DeliveryError::Transient(err.to_string())
    }
}

/// A TLS socket lettre can speak SMTP over (implicit TLS is set up here, before the
/// server's greeting).
#[derive(Debug)]
struct TlsTcp(tokio_rustls::client::TlsStream<TcpStream>);

impl AsyncRead for TlsTcp {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsTcp {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for TlsTcp {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

fn build(email: &Email) -> Result<Message, DeliveryError> {
    let mailbox = |name: Option<&str>, address: &str, what: &str| -> Result<Mailbox, DeliveryError> {
        let address =
            address.parse().map_err(|err| DeliveryError::Permanent(format!("{what} address {address}: {err}")))?;
        Ok(Mailbox::new(name.map(str::to_owned), address))
    };
    let mut builder = Message::builder()
        .from(mailbox(email.from_name.as_deref(), &email.from_address, "from")?)
        .to(mailbox(None, &email.to, "recipient")?)
        .subject(email.subject.clone())
        .message_id(Some(format!("<{}>", email.message_id)))
        .header(ContentType::TEXT_PLAIN);
    if let Some(reply_to) = &email.reply_to {
        builder = builder.reply_to(mailbox(None, reply_to, "reply-to")?);
    }
    if let Some(url) = &email.unsubscribe_url {
        builder = builder.header(ListUnsubscribe(format!("<{url}>"))).header(ListUnsubscribePost);
    }
    if email.auto_reply {
        builder = builder.header(AutoSubmitted);
    }
    if let Some(in_reply_to) = &email.in_reply_to {
        builder = builder.in_reply_to(format!("<{in_reply_to}>"));
    }
    if !email.references.is_empty() {
        let references: Vec<String> = email.references.iter().map(|id| format!("<{id}>")).collect();
        builder = builder.references(references.join(" "));
    }
    builder.body(email.body.clone()).map_err(|err| DeliveryError::Permanent(err.to_string()))
}

/// `Auto-Submitted: auto-replied` (RFC 3834).
#[derive(Debug, Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-replied".to_owned())
    }
}

/// `List-Unsubscribe: <https://…>` (RFC 2369).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn smtp_addresses() {
        assert!(SmtpSender::from_url("smtp://127.0.0.1:2525").is_ok());
        assert!(SmtpSender::from_url("smtp://user:secret@mail.example.com").is_ok());
        assert!(SmtpSender::from_url("http://mail.example.com").is_err());
        assert!(SmtpSender::from_url("smtp://:25").is_err());
        assert!(SmtpSender::from_url("smtp://host:port").is_err());
        assert!(SmtpSender::from_url("smtps://support%40shop.in:secret@smtp.example.com").is_ok());
        assert!(SmtpSender::from_url("smtp+starttls://support@shop.in:secret@smtp.example.com").is_ok());
    }

    #[tokio::test]
    async fn what_is_wrong_with_an_address_is_named() {
        let err = |url| SmtpSender::from_url(url).unwrap_err();
        assert!(err("smtp+tls://host").contains("must start with smtps://"), "{}", err("smtp+tls://host"));
        assert!(err("smtp://host?ca=/tmp/ca.pem").contains("ca= needs TLS"));
        assert!(err("smtps://host?ca=/nonexistent/ca.pem").contains("cannot read the CA file /nonexistent/ca.pem"));
        assert!(err("smtps://host?tls=required").contains("unknown parameter 'tls'"));
        assert!(err("smtp://host/inbox").contains("has a path"));
    }

    #[test]
    fn one_recipient_with_a_one_click_unsubscribe() {
        let email = Email {
            message_id: "0193-abc@sambandh".into(),
            from_name: Some("Priya Raman".into()),
            from_address: "greetings@example.com".into(),
            reply_to: Some("priya@example.com".into()),
            to: "karthik@example.in".into(),
            subject: "இனிய தீபாவளி நல்வாழ்த்துகள்".into(),
            body: "அன்புள்ள திரு. கார்த்திக் அவர்களுக்கு,".into(),
            unsubscribe_url: Some("https://crm.example.com/unsubscribe/t0k3n".into()),
            in_reply_to: None,
            references: Vec::new(),
            auto_reply: false,
        };
        let raw = String::from_utf8(build(&email).unwrap().formatted()).unwrap();
        assert!(raw.contains("List-Unsubscribe: <https://crm.example.com/unsubscribe/t0k3n>"), "{raw}");
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(raw.contains("Message-ID: <0193-abc@sambandh>"));
        assert!(raw.contains("To: karthik@example.in"));
        assert!(!raw.contains("Cc:") && !raw.contains("Bcc:"));
    }
}
