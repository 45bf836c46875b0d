//! The test server: a real `sambandh-web` router on a loopback socket, over a fresh
//! database of either engine, with an owner signed in by API token.
#![allow(dead_code, reason = "each test file uses a part of the harness")]

use std::net::SocketAddr;

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use sambandh_app::{App, Caller};
use sambandh_domain::UserInput;
use sambandh_store::Store;
use serde_json::{Value, json};

/// The password of every account the tests make.
pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    /// Sends the owner's API token with every request.
    pub client: reqwest::Client,
    /// Sends nothing of its own: no token, no cookie.
    pub anonymous: reqwest::Client,
    pub app: App,
    /// The database's URL, to inspect it behind the API's back.
    pub db_url: String,
}

impl TestApp {
    pub async fn spawn(store: Store, db_url: String) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = App::new(store);
        let service = sambandh_web::router(app.clone()).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await });
        add_user(&app, "owner@test.in", "owner", None).await;
        let (_, secret) =
            app.create_token(&Caller::LocalOperator, Some("owner@test.in"), Some("tests"), None).await.unwrap();
        Self { base, client: client_with_token(&secret), anonymous: reqwest::Client::new(), app, db_url }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.client.post(self.url(path)).json(&body).send().await.unwrap()
    }

    pub async fn patch(&self, path: &str, if_match: Option<&str>, body: Value) -> reqwest::Response {
        let mut request = self.client.patch(self.url(path)).json(&body);
        if let Some(etag) = if_match {
            request = request.header("If-Match", etag);
        }
        request.send().await.unwrap()
    }

    pub async fn chennai(&self) -> String {
        self.branch("Chennai", "IN-TN", "ta").await
    }

    pub async fn branch(&self, name: &str, region: &str, language: &str) -> String {
        let response = self
            .post(
                "/api/v1/branches",
                json!({"name": name, "city": name, "region": region, "time_zone": "Asia/Kolkata", "language": language}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
    }

    /// A member of staff with [`PASSWORD`] and a client that sends their API token.
    pub async fn staff(&self, email: &str, role: &str, branch: Option<&str>) -> reqwest::Client {
        add_user(&self.app, email, role, branch).await;
        let (_, secret) = self.app.create_token(&Caller::LocalOperator, Some(email), None, None).await.unwrap();
        client_with_token(&secret)
    }
}

pub async fn add_user(app: &App, email: &str, role: &str, branch: Option<&str>) {
    let input = UserInput {
        email: Some(email.into()),
        name: Some("Staff".into()),
        role: Some(role.into()),
        branch: branch.map(str::to_owned),
        languages: vec!["ta".into()],
    };
    app.add_user(&Caller::LocalOperator, &input, Some(PASSWORD.into())).await.unwrap();
}

pub fn client_with_token(secret: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {secret}")).unwrap());
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

/// The fields a problem document's `errors` name, in order.
pub async fn problem_fields(response: reqwest::Response) -> Vec<String> {
    problem(response).await["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

pub async fn problem(response: reqwest::Response) -> Value {
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    response.json().await.unwrap()
}

#[macro_export]
macro_rules! api_test {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            use super::*;
            use sambandh_store::testkit::TestDb;
            use sambandh_store::{Engine, Store};

            async fn run(store: Store, url: String) {
                let $app = TestApp::spawn(store, url).await;
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = TestDb::new(Engine::Sqlite).await.unwrap();
                run(db.store.clone(), db.url.clone()).await;
                db.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = TestDb::new(Engine::Postgres).await {
                    run(db.store.clone(), db.url.clone()).await;
                    db.finish().await;
                }
            }
        }
    };
}

/// A real SMTP server on a free loopback port; what it receives, as JSON lines.
pub struct Sink {
    child: std::process::Child,
    port: u16,
    out: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Sink {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("mail.jsonl");
        let script = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/smtp-sink.py");
        let mut child = std::process::Command::new("python3")
            .arg(script)
            .args(["--port", "0", "--out"])
            .arg(&out)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("python3 with aiosmtpd (scripts/test installs it): {err}"));
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
        let port = line
            .trim()
            .strip_prefix("ready ")
            .unwrap_or_else(|| panic!("the SMTP sink said {line:?}"))
            .parse()
            .unwrap();
        Self { child, port, out, _dir: dir }
    }

    pub fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    pub fn channels(&self) -> sambandh_app::outbox::Channels {
        sambandh_app::outbox::Channels {
            smtp: Some(sambandh_channels::SmtpSender::from_url(&format!("smtp://127.0.0.1:{}", self.port)).unwrap()),
            sms: None,
            whatsapp: None,
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
