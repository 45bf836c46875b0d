//! The baseline of the GET-by-id benchmark (docs/benchmarks.md): a minimal axum handler
//! that runs the same single query as `GET /api/v1/contacts/{id}` on the same kind of
//! pool and returns the row's columns as JSON — no validation, no domain types.
//!
//! `cargo run --release -p sambandh-web --example minimal_get -- DATABASE_URL 127.0.0.1:7801`

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Map, Value};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Column, Row, ValueRef};

/// The allocator sambandh's binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or("usage: minimal_get DATABASE_URL LISTEN")?;
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:7801".into());
    sqlx::any::install_default_drivers();
    let sqlite = url.starts_with("sqlite:");
    // As sambandh's store: on SQLite two readers per core (2 to 8) with no ping before
    // each use; 16 connections to PostgreSQL.
    let max_connections = if sqlite { sambandh_store::sqlite_readers() } else { 16 };
    let pool =
        AnyPoolOptions::new().max_connections(max_connections).test_before_acquire(!sqlite).connect(&url).await?;
    let app = axum::Router::new().route("/api/v1/contacts/{id}", get(contact)).with_state(pool);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    axum::serve(listener, app).await?;
    Ok(())
}

async fn contact(State(pool): State<AnyPool>, Path(id): Path<String>) -> Result<axum::Json<Value>, StatusCode> {
    let row = sqlx::query("SELECT * FROM contacts WHERE id = $1")
        .bind(id)
        .fetch_optional(&pool)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
        .ok_or(StatusCode::NOT_FOUND)?;
    let mut object = Map::new();
    for column in row.columns() {
        let idx = column.ordinal();
        let is_null = row.try_get_raw(idx).map(|raw| raw.is_null()).unwrap_or(true);
        let value = if is_null {
            Value::Null
        } else if let Ok(text) = row.try_get::<String, _>(idx) {
            Value::String(text)
        } else {
            row.try_get::<i64, _>(idx).map(Value::from).unwrap_or(Value::Null)
        };
        object.insert(column.name().to_owned(), value);
    }
    Ok(axum::Json(Value::Object(object)))
}
