//! The ways to and from customers: e-mail out over SMTP, SMS and WhatsApp out through an
//! HTTP gateway, and e-mail in from an IMAP mailbox (for the service desk). Each sender
//! sends one message to one recipient and says whether a failure is worth a retry; the
//! mailbox reader hands back new messages and a cursor, and [`InboundMail`] decodes one.
//! What to send, when and whether at all, and what a received message means, is the app's
//! business.
//!
//! TLS (for SMTP and IMAP) is rustls with the `ring` provider, trusting Mozilla's roots as
//! compiled into `webpki-roots` plus, where an address says `?ca=/path/to/ca.pem`, the
//! certificates of that file.
//!
//! With the `testkit` feature, the `testkit` module starts a real Dovecot IMAP server for
//! tests.

mod endpoint;
mod gateway;
mod imap;
mod inbound;
mod smtp;
#[cfg(feature = "testkit")]
pub mod testkit;
mod tls;
mod whatsapp;

pub use gateway::{Gateway, TextMessage};
pub use imap::{Cursor, Fetched, FetchedMail, ImapError, MailboxConfig, fetch_since};
pub use inbound::{InboundError, InboundMail};
pub use smtp::{Email, SmtpSender};
pub use tls::Security;
pub use whatsapp::WhatsAppGateway;

/// Why a message did not go.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Worth trying again later (a server busy or unreachable, a 4xx answer).
    #[error("{0}")]
    Transient(String),
    /// Will not go however often it is tried (a refused address, a 5xx answer).
    #[error("{0}")]
    Permanent(String),
}

impl DeliveryError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Permanent(_))
    }
}
