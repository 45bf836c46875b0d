//! Typed ids. Each entity has its own id type over a UUIDv7, made by the caller (the
//! domain has no clock), so a contact id can never be passed where a company id is meant.

macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(uuid::Uuid);

        impl $name {
            pub const fn from_uuid(uuid: uuid::Uuid) -> Self {
                Self(uuid)
            }

            pub const fn as_uuid(&self) -> uuid::Uuid {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::ValueError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::try_parse(s.trim())
                    .map(Self)
                    .map_err(|_| crate::ValueError::new("is not a valid id (a UUID)"))
            }
        }
    };
}

typed_id!(
    /// A person the business deals with.
    ContactId
);
typed_id!(
    /// A customer's request to the service desk, and its conversation.
    TicketId
);
typed_id!(
    /// One entry in a ticket's conversation: the customer's message, a reply, a note.
    TicketEntryId
);
typed_id!(
    /// A customer's company.
    CompanyId
);
typed_id!(
    /// One of the business's branches (a shop, a hotel, an office).
    BranchId
);
typed_id!(
    /// A member of staff with an account.
    UserId
);
typed_id!(
    /// Something that happened between the business and a contact.
    InteractionId
);
typed_id!(
    /// A need or interest of a contact.
    NeedId
);
typed_id!(
    /// A lead or deal in the pipeline.
    DealId
);
typed_id!(
    /// A follow-up task.
    TaskId
);
typed_id!(
    /// A product of the catalogue.
    ProductId
);
typed_id!(
    /// A customer's order.
    OrderId
);
typed_id!(
    /// A greeting prepared for one person on one occasion.
    GreetingId
);
typed_id!(
    /// A message in the outbox.
    MessageId
);
