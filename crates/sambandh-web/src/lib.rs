//! Sambandh over HTTP: the JSON API under `/api/v1`, its OpenAPI document, the staff
//! web UI (`ui`), and the health checks. The only crate that knows HTTP and HTML.
//!
//! Handlers are thin: extract and check the request's shape, call one `sambandh-app`
//! operation, turn the result into a view. Views (`views.rs`) are this crate's own
//! structs, converted by hand from domain values; errors are RFC 9457 problem
//! documents (`error.rs`).

mod api;
mod auth;
mod error;
mod pages;
mod router;
mod ui;
pub mod views;

pub use router::{openapi_json, router};
