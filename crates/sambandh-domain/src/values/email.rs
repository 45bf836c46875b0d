//! E-mail addresses: `local@domain`, the domain lower-cased (the local part is the
//! mailbox owner's and keeps its case).

use std::fmt;

use crate::ValueError;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let text = super::text::nfc(raw.trim());
        if text.is_empty() {
            return Err(ValueError::new("must not be empty"));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ValueError::new("must not contain spaces"));
        }
        let Some((local, domain)) = text.rsplit_once('@') else {
            return Err(ValueError::new("is missing the '@' between mailbox and domain"));
        };
        if local.is_empty() || local.chars().count() > 64 {
            return Err(ValueError::new("needs a mailbox name of 1 to 64 characters before '@'"));
        }
        if local.contains('@') || local.contains(['<', '>', '(', ')', '[', ']', ',', ';', ':', '"']) {
            return Err(ValueError::new("has a character not allowed in a mailbox name"));
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(ValueError::new("has a misplaced '.' in the mailbox name"));
        }
        let domain = domain.to_lowercase();
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 {
            return Err(ValueError::new("needs a domain with a dot after '@', like example.com"));
        }
        for label in &labels {
            let valid_label = !label.is_empty()
                && label.chars().count() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-');
            if !valid_label {
                return Err(ValueError::new(format!("has an invalid domain '{domain}'")));
            }
        }
        if text.len() > 254 {
            return Err(ValueError::new("is longer than 254 bytes"));
        }
        Ok(Self(format!("{local}@{domain}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expect: Result<&str, &str>) {
        let got = EmailAddress::parse(raw);
        match expect {
            Ok(want) => assert_eq!(got.unwrap().as_str(), want, "{raw}"),
            Err(reason) => assert!(got.unwrap_err().0.contains(reason), "{raw}"),
        }
    }

    #[test]
    fn parses_and_normalises() {
        check(" Rajesh.Sharma@Example.CO.IN ", Ok("Rajesh.Sharma@example.co.in"));
        check("karthik+crm@gmail.com", Ok("karthik+crm@gmail.com"));
        check("raj@उदाहरण.भारत", Ok("raj@उदाहरण.भारत"));
        check("plainaddress", Err("missing the '@'"));
        check("a@b", Err("with a dot"));
        check("a b@c.com", Err("spaces"));
        check("@c.com", Err("mailbox name"));
        check("a..b@c.com", Err("misplaced '.'"));
        check("a@-c.com", Err("invalid domain"));
    }

    proptest::proptest! {
        #[test]
        fn parse_is_idempotent(local in "[a-zA-Z0-9._+-]{1,20}", domain in "[a-zA-Z0-9]{1,10}\\.[a-zA-Z]{2,5}") {
            if let Ok(email) = EmailAddress::parse(&format!("{local}@{domain}")) {
                let again = EmailAddress::parse(email.as_str()).unwrap();
                proptest::prop_assert_eq!(again, email);
            }
        }
    }
}
