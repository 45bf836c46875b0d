//! The parts of a server address written as a URL (`imaps://user:password@host:993/INBOX?ca=…`),
//! shared by the SMTP sender and the IMAP mailbox: one parser, so that both read user
//! names, passwords, hosts and the `ca` parameter the same way.

use std::path::PathBuf;

use percent_encoding::percent_decode_str;

/// A server address, its parts decoded.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub scheme: String,
    /// A name or an IP address; an IPv6 address without its brackets.
    pub host: String,
    pub port: Option<u16>,
    /// Percent-decoded (`support%40shop.in` is `support@shop.in`); `None` if absent.
    pub username: Option<String>,
    /// Percent-decoded; empty if absent.
    pub password: String,
    /// The path without its leading `/`, percent-decoded.
    pub path: String,
    /// `?ca=/path/to/ca.pem`: a PEM file of certificates to trust besides Mozilla's roots.
    pub ca_file: Option<PathBuf>,
}

impl Endpoint {
    /// Parses `url`, whose kind (`SMTP`, `IMAP`) names it in the messages. Query parameters
    /// other than `ca` are refused, so that a misspelt one does not go unnoticed.
    pub fn parse(url: &str, kind: &str) -> Result<Self, String> {
        let parsed = url::Url::parse(url).map_err(|err| format!("the {kind} address is not a URL: {err}"))?;
        let host = match parsed.host() {
            Some(url::Host::Domain(name)) if !name.is_empty() => name.to_owned(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            _ => return Err(format!("the {kind} address names no host")),
        };
        let decode = |part: &str, what: &str| -> Result<String, String> {
            percent_decode_str(part)
                .decode_utf8()
                .map(|decoded| decoded.into_owned())
                .map_err(|_| format!("the {kind} {what} is not UTF-8 once percent-decoded"))
        };
        let username = match parsed.username() {
            "" => None,
            user => Some(decode(user, "user name")?),
        };
        let password = decode(parsed.password().unwrap_or(""), "password")?;
        let path = decode(parsed.path().trim_start_matches('/'), "path")?;
        let mut ca_file = None;
        for (key, value) in parsed.query_pairs() {
            match &*key {
                "ca" if !value.is_empty() => ca_file = Some(PathBuf::from(&*value)),
                "ca" => return Err(format!("the {kind} address has an empty ca= parameter")),
                other => {
                    return Err(format!("the {kind} address has an unknown parameter '{other}' (only ca= is known)"));
                }
            }
        }
        Ok(Self { scheme: parsed.scheme().to_owned(), host, port: parsed.port(), username, password, path, ca_file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_decoded() {
        let endpoint =
            Endpoint::parse("imaps://support%40shop.in:p%40ss%3Aw0rd@imap.example.com/INBOX?ca=/tmp/ca.pem", "IMAP")
                .unwrap();
        assert_eq!(endpoint.scheme, "imaps");
        assert_eq!(endpoint.host, "imap.example.com");
        assert_eq!(endpoint.port, None);
        assert_eq!(endpoint.username.as_deref(), Some("support@shop.in"));
        assert_eq!(endpoint.password, "p@ss:w0rd");
        assert_eq!(endpoint.path, "INBOX");
        assert_eq!(endpoint.ca_file, Some(PathBuf::from("/tmp/ca.pem")));
    }

    #[test]
    fn an_unencoded_at_in_the_user_name_is_taken_as_meant() {
        let endpoint = Endpoint::parse("smtp://support@shop.in:secret@mail.example.com:587", "SMTP").unwrap();
        assert_eq!(endpoint.username.as_deref(), Some("support@shop.in"));
        assert_eq!(endpoint.password, "secret");
        assert_eq!(endpoint.host, "mail.example.com");
        assert_eq!(endpoint.port, Some(587));
    }

    #[test]
    fn ipv6_hosts_lose_their_brackets() {
        let endpoint = Endpoint::parse("imap://[::1]:1143", "IMAP").unwrap();
        assert_eq!(endpoint.host, "::1");
        assert_eq!(endpoint.port, Some(1143));
    }

    #[test]
    fn what_is_wrong_is_named() {
        // (No `unwrap_err`: `Endpoint` has no `Debug`, which would print the password.)
        let err = |url| Endpoint::parse(url, "IMAP").err().unwrap_or_default();
        assert!(err("imap.example.com").contains("not a URL"), "{}", err("imap.example.com"));
        assert!(err("imap://host:port").contains("not a URL"));
        assert!(err("imap://:143").contains("no host") || err("imap://:143").contains("not a URL"));
        assert!(err("imap://host?tls=yes").contains("unknown parameter 'tls'"));
        assert!(err("imap://host?ca=").contains("empty ca="));
        assert!(err("imap://u:%FF@host").contains("password is not UTF-8"));
    }
}
