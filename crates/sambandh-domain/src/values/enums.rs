//! Closed sets of values: honorifics, gender, value tiers.

use std::fmt;

use crate::ValueError;

/// How a person is addressed before their name. Each has a canonical written form and
/// is recognised from the common spellings in Latin and in the Indian scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Honorific {
    Shri,
    Smt,
    Kumari,
    Sushri,
    Thiru,
    Thirumathi,
    Selvi,
    Mr,
    Mrs,
    Ms,
    Miss,
    Mx,
    Dr,
    Prof,
}

impl Honorific {
    pub const ALL: [Honorific; 14] = [
        Self::Shri,
        Self::Smt,
        Self::Kumari,
        Self::Sushri,
        Self::Thiru,
        Self::Thirumathi,
        Self::Selvi,
        Self::Mr,
        Self::Mrs,
        Self::Ms,
        Self::Miss,
        Self::Mx,
        Self::Dr,
        Self::Prof,
    ];

    /// The canonical Latin form, as stored and exported.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shri => "Shri",
            Self::Smt => "Smt.",
            Self::Kumari => "Kumari",
            Self::Sushri => "Sushri",
            Self::Thiru => "Thiru",
            Self::Thirumathi => "Tmt.",
            Self::Selvi => "Selvi",
            Self::Mr => "Mr.",
            Self::Mrs => "Mrs.",
            Self::Ms => "Ms.",
            Self::Miss => "Miss",
            Self::Mx => "Mx.",
            Self::Dr => "Dr.",
            Self::Prof => "Prof.",
        }
    }

    fn spellings(self) -> &'static [&'static str] {
        match self {
            Self::Shri => &["shri", "sri", "shree", "श्री", "શ્રી", "ஸ்ரீ"],
            Self::Smt => &["smt", "shrimati", "srimati", "श्रीमती", "શ્રીમતી"],
            Self::Kumari => &["kumari", "kum", "km", "कुमारी", "કુમારી"],
            Self::Sushri => &["sushri", "सुश्री", "સુશ્રી"],
            Self::Thiru => &["thiru", "tiru", "திரு"],
            Self::Thirumathi => &["tmt", "thirumathi", "thirumati", "திருமதி"],
            Self::Selvi => &["selvi", "செல்வி"],
            Self::Mr => &["mr", "mister"],
            Self::Mrs => &["mrs"],
            Self::Ms => &["ms"],
            Self::Miss => &["miss"],
            Self::Mx => &["mx"],
            Self::Dr => &["dr", "doctor", "डॉ", "डा", "ડૉ", "ડો", "டாக்டர்", "டாக்டர்"],
            Self::Prof => &["prof", "professor", "प्रो", "પ્રો"],
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let key = raw.trim().trim_end_matches('.').trim().to_lowercase();
        Self::ALL.into_iter().find(|honorific| honorific.spellings().contains(&key.as_str())).ok_or_else(|| {
            let known: Vec<&str> = Self::ALL.iter().map(|h| h.as_str()).collect();
            ValueError::new(format!("'{}' is not a known honorific; use one of {}", raw.trim(), known.join(", ")))
        })
    }
}

impl fmt::Display for Honorific {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, ValueError> {
                let key = raw.trim().to_lowercase();
                match key.as_str() {
                    $($text $(| $alias)* => Ok(Self::$variant),)+
                    _ => Err(ValueError::new(format!(
                        "'{}' is not one of {}",
                        raw.trim(),
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(
    /// Gender, when the person has told it; used for honorifics and grammar in greetings.
    Gender { Female = "female" | "f", Male = "male" | "m", Other = "other" | "x" }
);

keyword_enum!(
    /// How valuable the relationship is to the business (C4 computes it; staff may set it).
    ValueTier { Platinum = "platinum", Gold = "gold", Silver = "silver", Bronze = "bronze" }
);

keyword_enum!(
    /// What a member of staff may do: owners and admins everything, a manager their
    /// branch, an agent their branch's and their own contacts, a viewer read only.
    Role { Owner = "owner", Admin = "admin", Manager = "manager", Agent = "agent", Viewer = "viewer" }
);

keyword_enum!(
    /// What kind of contact with the customer an interaction was.
    InteractionKind {
        Call = "call",
        Email = "email" | "e-mail",
        Meeting = "meeting",
        Visit = "visit",
        Note = "note",
        Sms = "sms",
        Whatsapp = "whatsapp",
        WebVisit = "web_visit" | "web-visit" | "web",
        Purchase = "purchase",
    }
);

keyword_enum!(
    /// Who reached out: the customer (in) or we (out).
    Direction { Inbound = "in" | "inbound" | "incoming", Outbound = "out" | "outbound" | "outgoing" }
);

keyword_enum!(
    /// How a call went.
    CallOutcome {
        Answered = "answered" | "connected",
        NoAnswer = "no_answer" | "no-answer" | "unanswered",
        Busy = "busy",
        Voicemail = "voicemail",
        CallBack = "call_back" | "callback",
        WrongNumber = "wrong_number",
    }
);

keyword_enum!(
    /// Where a pipeline stage leaves a deal: still open, won, or lost.
    StageOutcome { Open = "open", Won = "won", Lost = "lost" }
);

keyword_enum!(
    /// What makes a follow-up rule create a task.
    RuleTrigger { DealWon = "deal_won", OrderPlaced = "order_placed" }
);

keyword_enum!(
    /// What a customer is contacted for; consent is given or withdrawn per purpose.
    Purpose { Service = "service", Marketing = "marketing", Greetings = "greetings" | "greeting" }
);

keyword_enum!(
    /// How a customer is contacted.
    Channel {
        Email = "email" | "e-mail",
        Sms = "sms",
        Whatsapp = "whatsapp",
        Phone = "phone" | "call",
    }
);

keyword_enum!(
    /// Whether consent is given or withdrawn.
    ConsentStatus { Given = "given" | "yes" | "granted", Withdrawn = "withdrawn" | "no" | "revoked" }
);

keyword_enum!(
    /// How a consent (or its withdrawal) reached us.
    ConsentMethod {
        Form = "form" | "web_form",
        Import = "import",
        Verbal = "verbal" | "call" | "phone",
        Email = "email" | "e-mail",
        Message = "message" | "sms" | "whatsapp",
        InPerson = "in_person" | "in-person" | "signed",
    }
);

keyword_enum!(
    /// Where a greeting stands: waiting for review, approved (in the outbox), skipped by
    /// staff, sent, failed, or withheld at sending (consent withdrawn, frequency cap).
    GreetingStatus {
        Review = "review",
        Approved = "approved",
        Skipped = "skipped",
        Sent = "sent",
        Failed = "failed",
        Withheld = "withheld",
    }
);

keyword_enum!(
    /// Where a message in the outbox stands.
    MessageStatus {
        Pending = "pending",
        Sending = "sending",
        Sent = "sent",
        Failed = "failed",
        Withheld = "withheld",
    }
);

keyword_enum!(
    /// Where a ticket stands: new (nobody has answered), open, pending (waiting on the
    /// customer: its timers pause), resolved (the survey goes out), closed.
    TicketStatus {
        New = "new",
        Open = "open",
        Pending = "pending" | "waiting",
        Resolved = "resolved" | "solved",
        Closed = "closed",
    }
);

keyword_enum!(
    /// How a ticket reached the service desk.
    TicketSource {
        Email = "email" | "e-mail",
        Web = "web" | "web_form" | "form",
        Phone = "phone" | "call",
        Api = "api",
        Whatsapp = "whatsapp",
        Sms = "sms",
    }
);

keyword_enum!(
    /// One entry in a ticket's conversation: the customer's message, a reply to the
    /// customer, the automatic acknowledgement, or a note only staff see.
    TicketEntryKind {
        Inbound = "inbound" | "customer",
        Reply = "reply",
        Acknowledgement = "acknowledgement" | "ack",
        Note = "note" | "internal",
    }
);

keyword_enum!(
    /// How urgent a ticket is; SLA policies may differ by it (see `crate::SlaPolicy`).
    /// Ordered from least to most urgent.
    TicketPriority { Low = "low", Normal = "normal" | "medium", High = "high", Urgent = "urgent" | "critical" }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honorifics_from_many_spellings() {
        for (typed, want) in [
            ("Smt", Honorific::Smt),
            ("smt.", Honorific::Smt),
            ("श्रीमती", Honorific::Smt),
            ("Thiru", Honorific::Thiru),
            ("திருமதி", Honorific::Thirumathi),
            ("Tmt", Honorific::Thirumathi),
            ("Dr", Honorific::Dr),
            ("શ્રી", Honorific::Shri),
            ("MRS.", Honorific::Mrs),
        ] {
            assert_eq!(Honorific::parse(typed).unwrap(), want, "{typed}");
        }
        let err = Honorific::parse("Sir").unwrap_err().0;
        assert!(err.contains("not a known honorific") && err.contains("Thiru"), "{err}");
    }

    #[test]
    fn every_canonical_form_parses_back() {
        for honorific in Honorific::ALL {
            assert_eq!(Honorific::parse(honorific.as_str()).unwrap(), honorific);
        }
    }

    #[test]
    fn keywords() {
        assert_eq!(Gender::parse("F").unwrap(), Gender::Female);
        assert_eq!(ValueTier::parse(" Gold ").unwrap(), ValueTier::Gold);
        assert_eq!(
            ValueTier::parse("diamond").unwrap_err().0,
            "'diamond' is not one of platinum, gold, silver, bronze"
        );
    }
}
