//! E-mail over SMTP (lettre), one recipient per message, with a one-click unsubscribe
//! (RFC 8058) on every message that is not a service message.

use lettre::message::Mailbox;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::DeliveryError;

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
    /// `smtp://[user:password@]host[:port]` (port 25 by default). The connection is
    /// plain: meant for a relay on this machine or the local network (a Postfix that
    /// takes it from there with TLS).
    pub fn from_url(url: &str) -> Result<Self, String> {
        let rest = url.strip_prefix("smtp://").ok_or("the SMTP address must start with smtp://")?;
        let rest = rest.trim_end_matches('/');
        let (credentials, host_port) = match rest.rsplit_once('@') {
            Some((credentials, host_port)) => (Some(credentials), host_port),
            None => (None, rest),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) => (host, port.parse::<u16>().map_err(|_| format!("'{port}' is not a port"))?),
            None => (host_port, 25),
        };
        if host.is_empty() {
            return Err("the SMTP address names no host".into());
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port);
        if let Some(credentials) = credentials {
            let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
            builder = builder.credentials(Credentials::new(user.to_owned(), password.to_owned()));
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
        };
        let raw = String::from_utf8(build(&email).unwrap().formatted()).unwrap();
        assert!(raw.contains("List-Unsubscribe: <https://crm.example.com/unsubscribe/t0k3n>"), "{raw}");
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(raw.contains("Message-ID: <0193-abc@sambandh>"));
        assert!(raw.contains("To: karthik@example.in"));
        assert!(!raw.contains("Cc:") && !raw.contains("Bcc:"));
    }
}
