//! Value types: each can only be built through `parse`, and holds its value normalised.

pub mod birthday;
pub mod civil_date;
pub mod custom;
pub mod email;
pub mod enums;
pub mod gstin;
pub mod language;
pub mod money;
pub mod phone;
pub mod pin;
pub mod region;
pub mod text;
pub mod time_zone;
