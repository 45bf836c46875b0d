//! Reading one received e-mail (RFC 5322 and MIME, through Stalwart's `mail-parser`) into
//! what the service desk needs: who wrote, what about, which earlier message it answers,
//! the text, and whether it was sent by a machine.
//!
//! What it decodes: RFC 2047 encoded words in headers (`=?UTF-8?B?…?=`), quoted-printable
//! and base64 bodies, and the usual charsets (UTF-8, which is what Hindi, Tamil, Gujarati
//! and other Indian-language mail comes in, Latin-1, Windows-125x and more; CJK
//! multi-byte charsets are not compiled in). HTML-only mail is turned into text
//! (`nanohtml2text`), keeping paragraphs and line breaks.
//!
//! What it does not do: keep attachments (only inline text parts are read), check
//! signatures (DKIM, SPF: the receiving server's job) or detect spam.

use std::borrow::Cow;

use blake2::{Blake2b512, Digest};
use mail_parser::{HeaderValue, Message, MessageParser, MimeHeaders, PartType};

/// One received e-mail, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMail {
    /// The Message-ID without angle brackets. A message without one gets a stable
    /// stand-in made from a hash of its raw bytes (`<32 hex digits>@message-id.invalid`),
    /// so that fetching the same copy twice gives the same id; a copy that differs in any
    /// byte (another `Received` line) gets another.
    pub message_id: String,
    /// The Message-IDs this message answers (`In-Reply-To`), without angle brackets.
    pub in_reply_to: Vec<String>,
    /// The thread's Message-IDs, oldest first (`References`), without angle brackets.
    pub references: Vec<String>,
    pub from_name: Option<String>,
    /// From the `From` header; failing that `Sender`, then `Return-Path`.
    pub from_address: String,
    /// `Reply-To`, where answers should go if it differs from the sender.
    pub reply_to: Option<String>,
    /// Decoded; empty if there is none.
    pub subject: String,
    /// The text parts (or the HTML part turned into text), with `\n` line ends.
    pub text: String,
    /// The `Date` header, in seconds since the Unix epoch.
    pub date: Option<i64>,
    /// Sent by a machine, so an automatic answer must not go back (RFC 3834): an
    /// `Auto-Submitted` header other than `no`, `Precedence: bulk`, `list`, `junk` or
    /// `auto_reply`, an `X-Autoreply`/`X-Autorespond` header, a delivery or read report
    /// (`multipart/report`), an empty `Return-Path` (a bounce), or a sender named
    /// `mailer-daemon`. This says nothing on whether to open a ticket: a customer's mail
    /// forwarded through a list is still the customer's.
    pub auto_submitted: bool,
}

/// Why a message could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InboundError {
    #[error("not an e-mail message")]
    NotAMessage,
    #[error("the message names no sender (no From, Sender or Return-Path address)")]
    NoSender,
}

impl InboundMail {
    pub fn parse(raw: &[u8]) -> Result<Self, InboundError> {
        let message = MessageParser::default().parse(raw).ok_or(InboundError::NotAMessage)?;
        if message.headers().is_empty() {
            return Err(InboundError::NotAMessage);
        }
        let sender = [message.from(), message.sender()]
            .into_iter()
            .flatten()
            .flat_map(|address| address.iter())
            .find_map(|addr| Some((addr.name(), addr.address().filter(|a| !a.trim().is_empty())?)));
        let (from_name, from_address) = match sender {
            Some((name, address)) => (clean(name), address.trim().to_owned()),
            None => match message.return_address().filter(|a| !a.trim().is_empty()) {
                Some(address) => (None, address.trim().to_owned()),
                None => return Err(InboundError::NoSender),
            },
        };
        let reply_to = message.reply_to().and_then(|address| address.first()).and_then(|addr| clean(addr.address()));
        let message_id = match message.message_id().map(str::trim).filter(|id| !id.is_empty()) {
            Some(id) => id.to_owned(),
            None => synthetic_message_id(raw),
        };
        let text = message
            .text_bodies()
            .filter_map(|part| match &part.body {
                PartType::Text(text) => Some(text.replace("\r\n", "\n")),
                PartType::Html(html) => Some(html_to_text(html)),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let auto_submitted = is_automatic(&message, &from_address);
        Ok(Self {
            message_id,
            in_reply_to: message_ids(message.in_reply_to()),
            references: message_ids(message.references()),
            from_name,
            from_address,
            reply_to,
            subject: message.subject().map(|s| s.trim().to_owned()).unwrap_or_default(),
            text: text.trim_end().to_owned(),
            date: message.date().filter(|date| date.is_valid()).map(|date| date.to_timestamp()),
            auto_submitted,
        })
    }

    /// The text without the previous message quoted at its end, when that quote is easy to
    /// tell: a block of `>` lines that ends the text, with the attribution line above it
    /// (`On Mon, 3 Jun 2024, Priya <priya@…> wrote:`, in any language: a line ending in
    /// `:`, and the line before it if the attribution was wrapped and starts with `On `), or
    /// Outlook's `-----Original Message-----` and everything below it. Quotes with answers
    /// written between them are left whole, and so is a text that would be left empty.
    pub fn text_without_quote(&self) -> &str {
        let text = self.text.as_str();
        let lines: Vec<(usize, &str)> = line_starts(text).collect();
        let cut = outlook_quote(&lines).or_else(|| trailing_quote(&lines));
        match cut {
            Some(at) if !text[..at].trim().is_empty() => text[..at].trim_end(),
            _ => text,
        }
    }
}

/// Each line with the offset it starts at.
fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split('\n').map(move |line| {
        let start = offset;
        offset += line.len() + 1;
        (start, line)
    })
}

/// Where Outlook's `-----Original Message-----` (or its line of underscores above a
/// `From:` block) starts.
fn outlook_quote(lines: &[(usize, &str)]) -> Option<usize> {
    lines.iter().enumerate().find_map(|(i, &(start, line))| {
        let line = line.trim();
        let original = line.eq_ignore_ascii_case("-----Original Message-----");
        let underscores = line.len() >= 20
            && line.chars().all(|c| c == '_')
            && lines.get(i + 1).is_some_and(|(_, next)| next.trim_start().starts_with("From:"));
        (original || underscores).then_some(start)
    })
}

/// Where a trailing block of `>` lines, with its attribution line, starts.
fn trailing_quote(lines: &[(usize, &str)]) -> Option<usize> {
    let blank = |line: &str| line.trim().is_empty();
    let quoted = |line: &str| line.trim_start().starts_with('>');
    let mut end = lines.len();
    while end > 0 && blank(lines[end - 1].1) {
        end -= 1;
    }
    let mut first = end;
    while first > 0 && (quoted(lines[first - 1].1) || blank(lines[first - 1].1)) {
        first -= 1;
    }
    if first == end || !lines[first..end].iter().any(|(_, line)| quoted(line)) {
        return None;
    }
    // `first` may be a blank line above the quote; the attribution is the line above it.
    if let Some(attribution) = first.checked_sub(1) {
        let (start, line) = lines[attribution];
        if line.trim_end().ends_with(':') {
            let wrapped = attribution.checked_sub(1).filter(|&above| {
                !line.trim_start().starts_with("On ") && lines[above].1.trim_start().starts_with("On ")
            });
            return Some(wrapped.map_or(start, |above| lines[above].0));
        }
    }
    Some(lines[first].0)
}

/// HTML to text (`nanohtml2text`: block elements become line breaks, entities are
/// decoded, style and script dropped), tidied: `\n` line ends, no spaces at either end of a
/// line, non-breaking spaces as spaces, at most one blank line in a row.
fn html_to_text(html: &str) -> String {
    let text = nanohtml2text::html2text(html).replace("\r\n", "\n").replace('\u{a0}', " ");
    let mut tidy = String::with_capacity(text.len());
    let mut blank_lines = 0;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blank_lines += 1;
            continue;
        }
        if !tidy.is_empty() {
            tidy.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        tidy.push_str(line);
        blank_lines = 0;
    }
    tidy
}

fn clean(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned)
}

fn message_ids(value: &HeaderValue<'_>) -> Vec<String> {
    let ids: Vec<&Cow<'_, str>> = match value {
        HeaderValue::Text(id) => vec![id],
        HeaderValue::TextList(ids) => ids.iter().collect(),
        _ => Vec::new(),
    };
    ids.into_iter().map(|id| id.trim()).filter(|id| !id.is_empty()).map(str::to_owned).collect()
}

fn synthetic_message_id(raw: &[u8]) -> String {
    let digest = Blake2b512::digest(raw);
    let hex: String = digest.iter().take(16).map(|byte| format!("{byte:02x}")).collect();
    format!("{hex}@message-id.invalid")
}

fn is_automatic(message: &Message<'_>, from_address: &str) -> bool {
    let header = |name: &str| {
        message.header_raw(name).map(|value| {
            let value = value.split(';').next().unwrap_or_default();
            value.trim().to_ascii_lowercase()
        })
    };
    let auto_submitted = header("Auto-Submitted").is_some_and(|value| value != "no");
    let precedence =
        header("Precedence").is_some_and(|value| matches!(value.as_str(), "bulk" | "list" | "junk" | "auto_reply"));
    let autoreply = header("X-Autoreply").is_some() || header("X-Autorespond").is_some();
    let report = message.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart") && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    let null_return_path = header("Return-Path").is_some_and(|value| value == "<>");
    let daemon = from_address.split('@').next().is_some_and(|local| local.eq_ignore_ascii_case("mailer-daemon"));
    auto_submitted || precedence || autoreply || report || null_return_path || daemon
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(text: &str) -> InboundMail {
        InboundMail {
            message_id: "1@example.in".into(),
            in_reply_to: Vec::new(),
            references: Vec::new(),
            from_name: None,
            from_address: "karthik@example.in".into(),
            reply_to: None,
            subject: String::new(),
            text: text.into(),
            date: None,
            auto_submitted: false,
        }
    }

    #[test]
    fn a_trailing_quote_goes_with_its_attribution() {
        let text = "The order came today, thanks.\n\nOn Mon, 3 Jun 2024 at 10:00, Priya <priya@shop.in> wrote:\n> Your order has shipped.\n>\n> Priya\n";
        assert_eq!(mail(text).text_without_quote(), "The order came today, thanks.");
    }

    #[test]
    fn a_wrapped_attribution_goes_too() {
        let text =
            "धन्यवाद\n\nOn Mon, 3 Jun 2024 at 10:00, Priya Raman <priya@shop.in>\nwrote:\n\n> आपका ऑर्डर भेज दिया गया है।";
        assert_eq!(mail(text).text_without_quote(), "धन्यवाद");
    }

    #[test]
    fn an_attribution_in_another_language_goes_too() {
        let text = "ठीक है।\n\nसोम, 3 जून 2024 को 10:00 am बजे Priya <priya@shop.in> ने लिखा:\n> आपका ऑर्डर भेज दिया गया है।";
        assert_eq!(mail(text).text_without_quote(), "ठीक है।");
    }

    #[test]
    fn answers_between_quotes_are_kept_whole() {
        let text = "> Which size?\nL\n> Which colour?\nBlue";
        assert_eq!(mail(text).text_without_quote(), text);
    }

    #[test]
    fn a_quote_alone_is_kept() {
        let text = "On Mon, Priya wrote:\n> hello";
        assert_eq!(mail(text).text_without_quote(), text);
    }

    #[test]
    fn outlook_original_message() {
        let text =
            "Please call me.\r\n\r\n-----Original Message-----\nFrom: Priya\nSent: Monday\n\nYour order has shipped."
                .replace("\r\n", "\n");
        assert_eq!(mail(&text).text_without_quote(), "Please call me.");
        let text = "Please call me.\n\n________________________________\nFrom: Priya <priya@shop.in>\nSent: Monday";
        assert_eq!(mail(text).text_without_quote(), "Please call me.");
    }

    #[test]
    fn no_quote_no_change() {
        assert_eq!(mail("Hello:\nmy order 1234").text_without_quote(), "Hello:\nmy order 1234");
    }
}
