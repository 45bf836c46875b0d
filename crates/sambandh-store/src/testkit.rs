//! Fresh, migrated databases for tests, on either engine.
//!
//! SQLite: a file in a new temporary directory. PostgreSQL: a new database on the
//! server at `SAMBANDH_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`),
//! dropped when the [`TestDb`] is dropped. When that server is unreachable the
//! PostgreSQL half of a test is skipped with a message — unless `SAMBANDH_REQUIRE_PG`
//! is set (as `.ci/run` does), when it fails.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{AnyConnection, Connection, Executor};

use crate::{Engine, Store};

pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A migrated database that lives as long as this value.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[expect(dead_code, reason = "held for its Drop, which removes the directory")] tempfile::TempDir),
    Postgres { admin_url: String, database: String },
}

impl TestDb {
    /// A fresh database on `engine`, or `None` when PostgreSQL is not there and not required.
    pub async fn new(engine: Engine) -> Option<Self> {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().ok()?;
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                let store = Store::open(&url).await.ok()?;
                Some(Self { store, url, cleanup: Cleanup::Sqlite(dir) })
            }
            Engine::Postgres => Self::postgres().await,
        }
    }

    async fn postgres() -> Option<Self> {
        let admin_url = std::env::var("SAMBANDH_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_owned());
        let required = std::env::var_os("SAMBANDH_REQUIRE_PG").is_some();
        sqlx::any::install_default_drivers();
        let mut admin = match AnyConnection::connect(&admin_url).await {
            Ok(conn) => conn,
            Err(err) if required => panic!("PostgreSQL is required (SAMBANDH_REQUIRE_PG) but {admin_url} fails: {err}"),
            Err(err) => {
                eprintln!("SKIPPED the PostgreSQL half of this test: {admin_url}: {err}");
                return None;
            }
        };
        remove_abandoned(&mut admin).await;
        let database = unique_name();
        admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}"))).await.ok()?;
        let _ = admin.close().await;
        let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
        let url = format!("{base}/{database}");
        let store = match Store::open(&url).await {
            Ok(store) => store,
            Err(err) => panic!("cannot open the test database {url}: {err:?}"),
        };
        Some(Self { store, url, cleanup: Cleanup::Postgres { admin_url, database } })
    }

    /// Closes the pools and drops a PostgreSQL test database.
    pub async fn finish(self) {
        self.store.close().await;
        if let Cleanup::Postgres { admin_url, database } = &self.cleanup
            && let Ok(mut admin) = AnyConnection::connect(admin_url).await
        {
            let _ = admin.execute(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {database}"))).await;
            let _ = admin.close().await;
        }
    }
}

/// Drops, once per process, the test databases of test processes that have ended (a
/// test that panics never reaches [`TestDb::finish`]). A database's name carries its
/// process id; one whose process is gone from `/proc` is abandoned.
async fn remove_abandoned(admin: &mut AnyConnection) {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if DONE.swap(true, Ordering::SeqCst) {
        return;
    }
    let names: Vec<String> =
        sqlx::query_scalar("SELECT CAST(datname AS TEXT) FROM pg_database WHERE datname LIKE 'sambandh_test_%'")
            .fetch_all(&mut *admin)
            .await
            .unwrap_or_default();
    for name in names {
        let pid = name.trim_start_matches("sambandh_test_").split('_').next().unwrap_or_default();
        let alive = pid.parse::<u32>().is_ok_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
        if !alive && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            let _ = admin.execute(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).await;
        }
    }
}

fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!(
        "sambandh_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos % 1_000_000_000
    )
}

/// Declares an async test that runs once on SQLite and once on PostgreSQL:
/// `both_engines!(name, |store: Store| async move { … });` makes `name::sqlite` and
/// `name::postgres`. A test that needs the database itself (its URL, to change it
/// behind the store's back) takes the [`TestDb`]:
/// `both_engines!(name, database async |db: &TestDb| { … });`.
#[macro_export]
macro_rules! both_engines {
    ($name:ident, database $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(db) = $crate::testkit::TestDb::new($crate::Engine::Sqlite).await {
                    ($body)(&db).await;
                    db.finish().await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = $crate::testkit::TestDb::new($crate::Engine::Postgres).await {
                    ($body)(&db).await;
                    db.finish().await;
                }
            }
        }
    };
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(db) = $crate::testkit::TestDb::new($crate::Engine::Sqlite).await {
                    ($body)(db.store.clone()).await;
                    db.finish().await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = $crate::testkit::TestDb::new($crate::Engine::Postgres).await {
                    ($body)(db.store.clone()).await;
                    db.finish().await;
                }
            }
        }
    };
}
