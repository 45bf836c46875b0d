//! Export of contacts as CSV (the import's own columns, so an export re-imports as
//! is), JSON (an array of objects) or vCard 4.0 (RFC 6350).

use std::collections::BTreeMap;
use std::io::Write;

use sambandh_domain::{BranchId, Contact, UserId};
use sambandh_store::{ContactFilter, ContactSort, PageRequest};

use crate::{App, AppError, AppResult, Caller};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
    Vcard,
}

impl ExportFormat {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            "vcard" | "vcf" => Some(Self::Vcard),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Json => "application/json",
            Self::Vcard => "text/vcard; charset=utf-8",
        }
    }
}

const PAGE: u32 = 500;

impl App {
    /// Writes every contact matching `filter`, oldest first, page by page (memory
    /// stays flat however many there are). Returns how many were written.
    pub async fn export_contacts(
        &self,
        caller: &Caller,
        filter: &ContactFilter,
        format: ExportFormat,
        out: &mut impl Write,
    ) -> AppResult<u64> {
        caller.require(sambandh_domain::Action::Export)?;
        let details =
            serde_json::json!({"format": format!("{format:?}").to_lowercase(), "filter": format!("{filter:?}")});
        self.record(self.audit_entry(caller, crate::audit::action::EXPORT, None, Some(details))).await;
        let branch_names: BTreeMap<BranchId, String> =
            self.branches(caller).await?.into_iter().map(|b| (b.id, b.data.name.to_string())).collect();
        let owner_emails: BTreeMap<UserId, String> =
            self.users(caller).await?.into_iter().map(|u| (u.id, u.data.email.to_string())).collect();
        let mut sink = match format {
            ExportFormat::Csv => {
                let mut writer = csv::Writer::from_writer(&mut *out);
                writer.write_record(export_columns()).map_err(csv_error)?;
                Sink::Csv(Box::new(writer))
            }
            ExportFormat::Json => {
                out.write_all(b"[").map_err(io_error)?;
                Sink::Json(&mut *out)
            }
            ExportFormat::Vcard => Sink::Vcard(&mut *out),
        };
        let mut page = PageRequest { limit: PAGE, cursor: None };
        let mut n_written = 0_u64;
        loop {
            let result = self.list_contacts(caller, filter, ContactSort::Created, &page).await?;
            for contact in &result.items {
                let related = Related {
                    branch: contact.data.branch_id.and_then(|id| branch_names.get(&id)).map(String::as_str),
                    owner: contact.data.owner_id.and_then(|id| owner_emails.get(&id)).map(String::as_str),
                };
                match &mut sink {
                    Sink::Csv(writer) => writer.write_record(csv_row(contact, &related)).map_err(csv_error)?,
                    Sink::Json(out) => {
                        if n_written > 0 {
                            out.write_all(b",").map_err(io_error)?;
                        }
                        out.write_all(b"\n").map_err(io_error)?;
                        serde_json::to_writer(&mut **out, &json_object(contact, &related))
                            .map_err(|err| io_error(std::io::Error::from(err)))?;
                    }
                    Sink::Vcard(out) => out.write_all(vcard(contact).as_bytes()).map_err(io_error)?,
                }
                n_written += 1;
            }
            match result.next_cursor {
                Some(cursor) => page.cursor = Some(cursor),
                None => break,
            }
        }
        match sink {
            Sink::Csv(mut writer) => writer.flush().map_err(io_error)?,
            Sink::Json(out) => {
                out.write_all(b"\n]\n").map_err(io_error)?;
                out.flush().map_err(io_error)?;
            }
            Sink::Vcard(out) => out.flush().map_err(io_error)?,
        }
        Ok(n_written)
    }
}

enum Sink<'a, W: Write> {
    Csv(Box<csv::Writer<&'a mut W>>),
    Json(&'a mut W),
    Vcard(&'a mut W),
}

fn io_error(err: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Unexpected(anyhow::Error::new(err).context("writing the export"))
}

/// Unwraps the I/O error inside a CSV error, so a closed pipe is recognisable as one.
fn csv_error(err: csv::Error) -> AppError {
    match err.into_kind() {
        csv::ErrorKind::Io(io) => io_error(io),
        other => AppError::Unexpected(anyhow::anyhow!("writing the export: {other:?}")),
    }
}

/// The CSV export's header: the import's columns, with the id and timestamps (which an
/// import reads past), so that an export imports back as it is.
pub fn export_columns() -> impl Iterator<Item = &'static str> {
    std::iter::once("id").chain(crate::imports::COLUMNS.iter().copied()).chain(["created_at", "updated_at"])
}

fn text(value: Option<&impl ToString>) -> String {
    value.map(ToString::to_string).unwrap_or_default()
}

fn joined<T: ToString>(values: &[T]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(";")
}

fn custom_fields_json(contact: &Contact) -> String {
    if contact.data.custom_fields.is_empty() {
        return String::new();
    }
    let map: BTreeMap<&str, &str> = contact.data.custom_fields.iter().collect();
    serde_json::to_string(&map).unwrap_or_default()
}

/// The records a contact refers to, by the names people know them by.
struct Related<'a> {
    branch: Option<&'a str>,
    owner: Option<&'a str>,
}

/// One contact in the order of [`export_columns`].
fn csv_row(contact: &Contact, related: &Related<'_>) -> [String; 28] {
    let data = &contact.data;
    [
        contact.id.to_string(),
        text(data.external_id.as_ref()),
        data.honorific.map(|h| h.as_str().to_owned()).unwrap_or_default(),
        data.given_name.to_string(),
        text(data.family_name.as_ref()),
        text(data.father_name.as_ref()),
        text(data.preferred_name.as_ref()),
        text(data.name_latin.as_ref()),
        data.other_names.iter().map(|(script, name)| format!("{script}={name}")).collect::<Vec<_>>().join(";"),
        data.gender.map(|g| g.as_str().to_owned()).unwrap_or_default(),
        text(data.language.as_ref()),
        text(data.script.as_ref()),
        text(data.time_zone.as_ref()),
        text(data.region.as_ref()),
        text(data.birthday.as_ref()),
        joined(&data.emails),
        joined(&data.phones),
        text(data.address_line.as_ref()),
        text(data.city.as_ref()),
        text(data.pin_code.as_ref()),
        related.branch.unwrap_or_default().to_owned(),
        related.owner.unwrap_or_default().to_owned(),
        joined(&data.tags),
        custom_fields_json(contact),
        data.value_tier.map(|t| t.as_str().to_owned()).unwrap_or_default(),
        text(data.source.as_ref()),
        contact.created_at.to_string(),
        contact.updated_at.to_string(),
    ]
}

fn json_object(contact: &Contact, related: &Related<'_>) -> serde_json::Value {
    let data = &contact.data;
    let opt = |value: Option<String>| value.map_or(serde_json::Value::Null, serde_json::Value::String);
    serde_json::json!({
        "id": contact.id.to_string(),
        "external_id": opt(data.external_id.as_ref().map(ToString::to_string)),
        "honorific": opt(data.honorific.map(|h| h.as_str().to_owned())),
        "given_name": data.given_name.as_str(),
        "family_name": opt(data.family_name.as_ref().map(ToString::to_string)),
        "father_name": opt(data.father_name.as_ref().map(ToString::to_string)),
        "preferred_name": opt(data.preferred_name.as_ref().map(ToString::to_string)),
        "name_latin": opt(data.name_latin.as_ref().map(ToString::to_string)),
        "other_names": data.other_names.iter().map(|(s, n)| (s.to_string(), n.to_string())).collect::<BTreeMap<_, _>>(),
        "gender": opt(data.gender.map(|g| g.as_str().to_owned())),
        "language": opt(data.language.as_ref().map(ToString::to_string)),
        "script": opt(data.script.as_ref().map(ToString::to_string)),
        "time_zone": opt(data.time_zone.as_ref().map(ToString::to_string)),
        "region": opt(data.region.as_ref().map(ToString::to_string)),
        "birthday": opt(data.birthday.as_ref().map(ToString::to_string)),
        "emails": data.emails.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "phones": data.phones.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "address_line": opt(data.address_line.as_ref().map(ToString::to_string)),
        "city": opt(data.city.as_ref().map(ToString::to_string)),
        "pin_code": opt(data.pin_code.as_ref().map(ToString::to_string)),
        "branch": opt(related.branch.map(str::to_owned)),
        "owner": opt(related.owner.map(str::to_owned)),
        "tags": data.tags.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "custom_fields": data.custom_fields.iter().collect::<BTreeMap<_, _>>(),
        "value_tier": opt(data.value_tier.map(|t| t.as_str().to_owned())),
        "source": opt(data.source.as_ref().map(ToString::to_string)),
        "created_at": contact.created_at.to_string(),
        "updated_at": contact.updated_at.to_string(),
        "version": contact.version,
    })
}

/// Escapes a text value of a vCard (RFC 6350 §3.4) or an iCalendar file (RFC 5545
/// §3.3.11): the two share the content-line format.
pub(crate) fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace(',', "\\,").replace(';', "\\;").replace('\n', "\\n")
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (vCard §3.2,
/// iCalendar §3.1); every line ends in CRLF.
pub(crate) fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// One vCard 4.0 per contact. The formatted name is the Latin one when there is one
/// (what address books show), with the native-script name as a second `FN`.
fn vcard(contact: &Contact) -> String {
    let data = &contact.data;
    let mut lines = vec!["BEGIN:VCARD".to_owned(), "VERSION:4.0".to_owned()];
    lines.push(format!("UID:urn:uuid:{}", contact.id));
    if let Some(latin) = &data.name_latin {
        lines.push(format!("FN;PREF=1:{}", escape(latin.as_str())));
        lines.push(format!("FN:{}", escape(&data.full_name())));
    } else {
        lines.push(format!("FN:{}", escape(&data.full_name())));
    }
    lines.push(format!(
        "N:{};{};{};{};",
        escape(&text(data.family_name.as_ref())),
        escape(data.given_name.as_str()),
        escape(&text(data.father_name.as_ref())),
        escape(data.honorific.map(|h| h.as_str()).unwrap_or_default()),
    ));
    if let Some(nickname) = &data.preferred_name {
        lines.push(format!("NICKNAME:{}", escape(nickname.as_str())));
    }
    for (idx, email) in data.emails.iter().enumerate() {
        lines.push(format!("EMAIL;PREF={}:{}", idx + 1, escape(email.as_str())));
    }
    for (idx, phone) in data.phones.iter().enumerate() {
        lines.push(format!("TEL;VALUE=uri;PREF={}:tel:{}", idx + 1, phone.as_str()));
    }
    if let Some(birthday) = &data.birthday {
        let bday = match birthday.year() {
            Some(year) => format!("{year:04}{:02}{:02}", birthday.month(), birthday.day()),
            None => format!("--{:02}{:02}", birthday.month(), birthday.day()),
        };
        lines.push(format!("BDAY:{bday}"));
    }
    if let Some(gender) = data.gender {
        let code = match gender {
            sambandh_domain::Gender::Female => "F",
            sambandh_domain::Gender::Male => "M",
            sambandh_domain::Gender::Other => "O",
        };
        lines.push(format!("GENDER:{code}"));
    }
    if let Some(language) = &data.language {
        lines.push(format!("LANG:{language}"));
    }
    if let Some(zone) = &data.time_zone {
        lines.push(format!("TZ:{zone}"));
    }
    if data.address_line.is_some() || data.city.is_some() || data.pin_code.is_some() {
        lines.push(format!(
            "ADR:;;{};{};{};{};{}",
            escape(&text(data.address_line.as_ref())),
            escape(&text(data.city.as_ref())),
            escape(&text(data.region.as_ref())),
            escape(&text(data.pin_code.as_ref())),
            data.region.as_ref().map(|r| r.country().to_owned()).unwrap_or_default(),
        ));
    }
    if !data.tags.is_empty() {
        lines
            .push(format!("CATEGORIES:{}", data.tags.iter().map(|t| escape(t.as_str())).collect::<Vec<_>>().join(",")));
    }
    lines.push(format!("REV:{}", contact.updated_at.strftime("%Y%m%dT%H%M%SZ")));
    lines.push("END:VCARD".to_owned());
    lines.iter().map(|line| fold(line)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_characters_whole() {
        let long = format!("FN:{}", "கார்த்திக்".repeat(10));
        let folded = fold(&long);
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line}");
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }

    #[test]
    fn a_csv_row_has_a_cell_for_every_column() {
        assert_eq!(export_columns().count(), 28);
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
