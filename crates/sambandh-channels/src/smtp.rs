//! E-mail over SMTP (lettre), one recipient per message, with a one-click unsubscribe
//! (RFC 8058) on every message that is not a service message. Plain, implicit TLS or
//! STARTTLS, as the address says (see [`SmtpSender::from_url`]).

use lettre::message::Mailbox;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

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
}

/// Sends through one SMTP server, reusing its connections.
#[derive(Clone)]
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSender").finish_non_exhaustive()
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
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host).port(endpoint.port.unwrap_or(default_port));
        if security == Security::Plain {
            if endpoint.ca_file.is_some() {
                return Err("ca= needs TLS: use smtps:// or smtp+starttls://".into());
            }
        } else {
            let mut parameters = TlsParameters::builder(host).certificate_store(CertificateStore::WebpkiRoots);
            if let Some(ca_file) = &endpoint.ca_file {
                for der in tls::read_ca_file(ca_file)? {
                    let certificate = Certificate::from_der(der.to_vec())
                        .map_err(|err| format!("the CA file {}: {err}", ca_file.display()))?;
                    parameters = parameters.add_root_certificate(certificate);
                }
            }
            let parameters = parameters.build_rustls().map_err(|err| format!("SMTP TLS set-up: {err}"))?;
            builder = builder.tls(match security {
                Security::StartTls => Tls::Required(parameters),
                _ => Tls::Wrapper(parameters),
            });
        }
        if let Some(user) = endpoint.username {
            builder = builder.credentials(Credentials::new(user, endpoint.password));
        }
        Ok(Self { transport: builder.build() })
    }

    pub async fn send(&self, email: &Email) -> Result<(), DeliveryError> {
        let message = build(email)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(err) if err.is_permanent() => Err(DeliveryError::Permanent(err.to_string())),
            Err(err) => Err(DeliveryError::Transient(err.to_string())),
        }
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
    if let Some(in_reply_to) = &email.in_reply_to {
        builder = builder.in_reply_to(format!("<{in_reply_to}>"));
    }
    if !email.references.is_empty() {
        let references: Vec<String> = email.references.iter().map(|id| format!("<{id}>")).collect();
        builder = builder.references(references.join(" "));
    }
    builder.body(email.body.clone()).map_err(|err| DeliveryError::Permanent(err.to_string()))
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
        };
        let raw = String::from_utf8(build(&email).unwrap().formatted()).unwrap();
        assert!(raw.contains("List-Unsubscribe: <https://crm.example.com/unsubscribe/t0k3n>"), "{raw}");
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(raw.contains("Message-ID: <0193-abc@sambandh>"));
        assert!(raw.contains("To: karthik@example.in"));
        assert!(!raw.contains("Cc:") && !raw.contains("Bcc:"));
    }
}
