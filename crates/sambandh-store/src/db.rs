//! Connections, transactions, and the one place where a sea-query statement is
//! rendered for an engine and its values bound.

use std::str::FromStr;
use std::time::Duration;

use sea_query::{
    PostgresQueryBuilder, QueryStatementWriter, SchemaStatementBuilder, SqliteQueryBuilder, Value, Values,
};
use sqlx::any::{AnyArguments, AnyPoolOptions, AnyRow};
use sqlx::{AnyConnection, AnyPool, Arguments, AssertSqlSafe, Executor};

use crate::StoreError;

/// The SQL engine behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(format!(
                "'{}' must start with sqlite: or postgres://",
                url.split('@').next_back().unwrap_or_default()
            )))
        }
    }

    pub(crate) fn render(self, statement: &impl QueryStatementWriter) -> (String, Values) {
        match self {
            Self::Sqlite => statement.build(SqliteQueryBuilder),
            Self::Postgres => statement.build(PostgresQueryBuilder),
        }
    }

    /// The statement with its values written into it: a migration step is plain SQL.
    pub(crate) fn render_inline(self, statement: &impl QueryStatementWriter) -> String {
        match self {
            Self::Sqlite => statement.to_string(SqliteQueryBuilder),
            Self::Postgres => statement.to_string(PostgresQueryBuilder),
        }
    }

    pub(crate) fn render_schema(self, statement: &impl SchemaStatementBuilder) -> String {
        match self {
            Self::Sqlite => statement.build(SqliteQueryBuilder),
            Self::Postgres => statement.build(PostgresQueryBuilder),
        }
    }
}

/// The database: a pool of readers and, on SQLite, a single writer connection (SQLite
/// allows one writer at a time; queueing writers in the pool beats retrying on
/// `SQLITE_BUSY`). On PostgreSQL both are the same pool.
#[derive(Debug, Clone)]
pub struct Store {
    engine: Engine,
    readers: AnyPool,
    writer: AnyPool,
}

/// How a process uses the database, which sets the size of its caches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Workload {
    /// A server or a short command: modest caches, so memory stays flat.
    #[default]
    Interactive,
    /// A bulk job (a large import): the SQLite writer gets a 512 MiB page cache and
    /// checkpoints its WAL less often, since index maintenance touches pages all over
    /// the indexes of e-mails, phones and names.
    Bulk,
}

impl Store {
    /// Connects to `url` (`sqlite://file.db` — created when missing — or
    /// `postgres://…`) and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_for(url, Workload::Interactive).await
    }

    /// [`Self::open`] for a workload.
    pub async fn open_for(url: &str, workload: Workload) -> Result<Self, StoreError> {
        let store = Self::connect(url, workload).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn connect(url: &str, workload: Workload) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(url)?;
        match engine {
            Engine::Sqlite => {
                let url = sqlite_url_with_create(url);
                let options = sqlx::any::AnyConnectOptions::from_str(&url)?;
                // secure_delete: the space a deleted or overwritten value leaves is
                // zeroed, so an erased person's data does not linger in free pages.
                let writer_pragmas = match workload {
                    // 16 MiB: a server's writes are small (records, audit entries).
                    Workload::Interactive => {
                        "PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 8192; PRAGMA secure_delete = ON;"
                    }
                    // Checkpoint the WAL every 256 MiB rather than every 4 MiB: index pages
                    // rewritten by many batches are then copied back once.
                    Workload::Bulk => {
                        "PRAGMA cache_size = -524288; PRAGMA wal_autocheckpoint = 65536; PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;"
                    }
                };
                let writer = sqlite_pool(options.clone(), 1, writer_pragmas).await?;
                let readers = sqlite_pool(options, sqlite_readers(), "PRAGMA cache_size = -4096;").await?;
                Ok(Self { engine, readers, writer })
            }
            Engine::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                Ok(Self { engine, readers: pool.clone(), writer: pool })
            }
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self.writer.acquire().await?;
        crate::schema::migrate(&mut conn, self.engine).await
    }

    /// Makes what was deleted unrecoverable from the database files, as far as the
    /// engine allows. SQLite (with `secure_delete` on) has zeroed the freed space in
    /// the pages; this copies the WAL into the database and truncates it, so the old
    /// page images go too. Retries while readers hold old snapshots. PostgreSQL keeps
    /// dead row versions until VACUUM reuses their space (see docs/privacy.md): no-op.
    pub async fn purge_deleted(&self) -> Result<(), StoreError> {
        if self.engine != Engine::Sqlite {
            return Ok(());
        }
        let mut conn = self.writer.acquire().await?;
        for attempt in 0..50 {
            let (busy, _, _): (i64, i64, i64) =
                sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&mut *conn).await?;
            if busy == 0 {
                return Ok(());
            }
            tracing::debug!(attempt, "WAL checkpoint waiting for readers");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Err(StoreError::Busy("the WAL could not be checkpointed: readers kept it busy for a second"))
    }

    /// Keeps the query planner's statistics current, so that it picks the right index:
    /// without them SQLite reads every contact of a branch and sorts them instead of
    /// walking the name index (0.5 s instead of 1 ms for a page of 1M contacts). A
    /// SQLite database never analysed is analysed whole (about 4 s for 1M contacts);
    /// after that `PRAGMA optimize` re-analyses only tables that changed much.
    /// PostgreSQL's autovacuum keeps its statistics itself: no-op there.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        if self.engine != Engine::Sqlite {
            return Ok(());
        }
        let mut conn = self.writer.acquire().await?;
        let (analysed,): (i64,) = sqlx::query_as("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            .fetch_one(&mut *conn)
            .await?;
        if analysed == 0 {
            conn.execute("ANALYZE").await?;
            return Ok(());
        }
        // A table whose indexes a migration made anew has rows but no statistics for
        // them (`PRAGMA optimize` waits for the table to grow tenfold): analyse it.
        // (The primary key of a table `WITHOUT ROWID` is recorded under the table's
        // name, not its index's; an empty table gets no statistics.)
        let unanalysed: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT tbl_name FROM sqlite_master AS m WHERE type = 'index' \
             AND name NOT LIKE 'sqlite_autoindex_%' \
             AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 AS s WHERE s.idx = m.name)",
        )
        .fetch_all(&mut *conn)
        .await?;
        for (table,) in unanalysed {
            let table = format!("\"{}\"", table.replace('"', "\"\""));
            let has_rows: Option<(i64,)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT 1 FROM {table} LIMIT 1")))
                    .fetch_optional(&mut *conn)
                    .await?;
            if has_rows.is_some() {
                conn.execute(sqlx::AssertSqlSafe(format!("ANALYZE {table}"))).await?;
            }
        }
        conn.execute("PRAGMA optimize = 0x10002").await?;
        Ok(())
    }

    /// After many rows were written at once (an import, the demo): fresh statistics,
    /// on both engines. (A sampled `ANALYZE` is not enough: with SQLite's
    /// `analysis_limit` the planner still sorts a whole branch.) PostgreSQL is
    /// vacuumed too, which marks the new rows' pages all-visible: until then an
    /// index-only scan (a search checking a word per contact) still reads the table.
    pub async fn bulk_loaded(&self) -> Result<(), StoreError> {
        let mut conn = self.writer.acquire().await?;
        // Dialect difference: VACUUM on PostgreSQL also keeps the visibility map.
        match self.engine {
            Engine::Sqlite => conn.execute("ANALYZE").await?,
            Engine::Postgres => conn.execute("VACUUM (ANALYZE)").await?,
        };
        Ok(())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.readers.acquire().await?;
        conn.execute("SELECT 1").await?;
        Ok(())
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let tx = match self.engine {
            // Take the write lock up front so a read-then-write transaction cannot
            // fail half-way with SQLITE_BUSY when another process wrote meanwhile.
            Engine::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.writer.begin().await?,
        };
        Ok(Tx { engine: self.engine, tx })
    }

    pub(crate) async fn reader(&self) -> Result<Conn, StoreError> {
        Ok(Conn { engine: self.engine, conn: self.readers.acquire().await? })
    }

    pub async fn close(&self) {
        self.readers.close().await;
        self.writer.close().await;
    }
}

/// How many SQLite reader connections: two per core, from 2 to 8. sqlx runs each
/// SQLite connection on a thread of its own, and a read of cached pages is all CPU:
/// more readers than that only switch threads (on 2 cores, at 16 connections: 8
/// readers served 1,608 timeline pages/s, 4 readers 1,793, 2 readers 1,633). Public
/// for the benchmarks' minimal handler, which must read the way the store does.
pub fn sqlite_readers() -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    u32::try_from(cores * 2).unwrap_or(8).clamp(2, 8)
}

/// A pool of SQLite connections with our settings. The sqlx driver already turns on
/// WAL, foreign keys and a busy timeout; this makes them explicit and sets the rest.
async fn sqlite_pool(
    options: sqlx::any::AnyConnectOptions,
    max_connections: u32,
    extra_pragmas: &'static str,
) -> Result<AnyPool, StoreError> {
    let pragmas = format!(
        "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
         PRAGMA synchronous = NORMAL; {extra_pragmas}"
    );
    let pool = AnyPoolOptions::new()
        .max_connections(max_connections)
        // A connection to a file is not lost the way one over a network is: no ping
        // (two thread hand-offs in sqlx's SQLite driver) before every use.
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            let pragmas = pragmas.clone();
            Box::pin(async move {
                conn.execute(AssertSqlSafe(pragmas)).await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// `sqlite://file.db` opens read-write and creates the file if it is missing.
fn sqlite_url_with_create(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// A pooled connection for reads.
pub(crate) struct Conn {
    pub(crate) engine: Engine,
    pub(crate) conn: sqlx::pool::PoolConnection<sqlx::Any>,
}

/// A write transaction: everything done through it commits together or not at all.
pub struct Tx {
    pub(crate) engine: Engine,
    pub(crate) tx: sqlx::Transaction<'static, sqlx::Any>,
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        self.tx.rollback().await?;
        Ok(())
    }
}

/// Runs rendered statements on one connection; shared by [`Conn`] and [`Tx`].
pub(crate) trait Exec {
    fn parts(&mut self) -> (Engine, &mut AnyConnection);
}

impl Exec for Conn {
    fn parts(&mut self) -> (Engine, &mut AnyConnection) {
        (self.engine, &mut self.conn)
    }
}

impl Exec for Tx {
    fn parts(&mut self) -> (Engine, &mut AnyConnection) {
        (self.engine, &mut self.tx)
    }
}

/// A connection (or transaction) lent for a while: the migrations' transaction, for
/// their steps written in Rust.
pub(crate) struct Borrowed<'c> {
    pub(crate) engine: Engine,
    pub(crate) conn: &'c mut AnyConnection,
}

impl Exec for Borrowed<'_> {
    fn parts(&mut self) -> (Engine, &mut AnyConnection) {
        (self.engine, self.conn)
    }
}

pub(crate) async fn fetch_all(
    db: &mut impl Exec,
    statement: &impl QueryStatementWriter,
) -> Result<Vec<AnyRow>, StoreError> {
    let (engine, conn) = db.parts();
    let (sql, values) = engine.render(statement);
    let rows = sqlx::query_with(AssertSqlSafe(sql), bind(values)?).fetch_all(conn).await?;
    Ok(rows)
}

/// The rows of a statement, each made a `T` as it arrives: for long results, where
/// holding every row as read (each value a separate allocation) before converting them
/// would need several times the memory.
pub(crate) async fn fetch_map<T>(
    db: &mut impl Exec,
    statement: &impl QueryStatementWriter,
    mut convert: impl FnMut(&AnyRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    use futures_util::TryStreamExt as _;
    let (engine, conn) = db.parts();
    let (sql, values) = engine.render(statement);
    let mut rows = sqlx::query_with(AssertSqlSafe(sql), bind(values)?).fetch(conn);
    let mut converted = Vec::new();
    while let Some(row) = rows.try_next().await? {
        converted.push(convert(&row)?);
    }
    Ok(converted)
}

pub(crate) async fn fetch_optional(
    db: &mut impl Exec,
    statement: &impl QueryStatementWriter,
) -> Result<Option<AnyRow>, StoreError> {
    let (engine, conn) = db.parts();
    let (sql, values) = engine.render(statement);
    let row = sqlx::query_with(AssertSqlSafe(sql), bind(values)?).fetch_optional(conn).await?;
    Ok(row)
}

/// Executes a statement, returning the number of rows it affected.
pub(crate) async fn execute(db: &mut impl Exec, statement: &impl QueryStatementWriter) -> Result<u64, sqlx::Error> {
    let (engine, conn) = db.parts();
    let (sql, arguments) = prepare(engine, statement)?;
    let result = sqlx::query_with(AssertSqlSafe(sql), arguments).execute(conn).await?;
    Ok(result.rows_affected())
}

/// A statement's SQL for `engine` and its bound values, ready to execute.
fn prepare(engine: Engine, statement: &impl QueryStatementWriter) -> Result<(String, AnyArguments), sqlx::Error> {
    let (sql, values) = engine.render(statement);
    let arguments = bind(values).map_err(|err| match err {
        StoreError::Database(err) => err,
        other => sqlx::Error::Protocol(other.to_string()),
    })?;
    Ok((sql, arguments))
}

/// Executes statements one after another, building each (the statement, its SQL and its
/// bound values) while the database runs the one before: a bulk write's CPU work and
/// the database's then overlap instead of taking turns. `statements` is lazy, so the
/// building happens as it is pulled.
///
/// The statements come boxed: the type of an iterator whose closures borrow (chunks of
/// a slice, say) would otherwise defeat the compiler's proof that the spawned future
/// holding it is `Send` (a known gap in its reasoning about closures over borrows).
pub(crate) async fn execute_each<S: QueryStatementWriter>(
    db: &mut impl Exec,
    mut statements: Box<dyn Iterator<Item = S> + Send + '_>,
) -> Result<(), sqlx::Error> {
    let (engine, conn) = db.parts();
    let mut next = build_next(engine, &mut statements)?;
    while let Some((sql, arguments)) = next {
        // `biased`: the statement is polled first, which hands it to the database,
        // then the next one is built while it runs.
        let run = sqlx::query_with(AssertSqlSafe(sql), arguments).execute(&mut *conn);
        let (ran, built) = tokio::join!(biased; run, async { build_next(engine, &mut statements) });
        ran?;
        next = built?;
    }
    Ok(())
}

/// The SQL and bound values of the next statement, if any.
fn build_next<S: QueryStatementWriter>(
    engine: Engine,
    statements: &mut dyn Iterator<Item = S>,
) -> Result<Option<(String, AnyArguments)>, sqlx::Error> {
    statements.next().map(|statement| prepare(engine, &statement)).transpose()
}

/// Binds sea-query's values as sqlx `Any` arguments. The schema uses only text and
/// 64-bit integers, so those (and NULLs of them) are all that is needed.
pub(crate) fn bind(values: Values) -> Result<AnyArguments, StoreError> {
    let mut arguments = AnyArguments::default();
    for value in values {
        let added = match value {
            Value::String(text) => arguments.add(text),
            Value::BigInt(number) => arguments.add(number),
            Value::Int(number) => arguments.add(number.map(i64::from)),
            Value::BigUnsigned(number) => arguments.add(number.and_then(|n| i64::try_from(n).ok())),
            Value::Bool(flag) => arguments.add(flag.map(i64::from)),
            other => return Err(StoreError::Corrupt(format!("unsupported SQL value {other:?}"))),
        };
        added.map_err(sqlx::Error::Encode)?;
    }
    Ok(arguments)
}
