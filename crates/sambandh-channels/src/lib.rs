//! The ways out to customers: e-mail over SMTP, and SMS and WhatsApp through an HTTP
//! gateway. Each sends one message to one recipient and says whether a failure is worth
//! a retry; what to send, when and whether at all is the app's business.

mod gateway;
mod smtp;

pub use gateway::{Gateway, TextMessage};
pub use smtp::{Email, SmtpSender};

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
