//! Sending over TLS to a real SMTP server on loopback (aiosmtpd, tests/support/
//! smtp_tls_sink.py) with a certificate from the testkit's CA: implicit TLS (`smtps://`)
//! and STARTTLS (`smtp+starttls://`), logging in with an e-mail address as user name.

#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sambandh_channels::testkit::TestCertificate;
use sambandh_channels::{Email, SmtpSender};

const USER: &str = "support@shop.in";
const PASSWORD: &str = "open sesame@50%";
const USER_IN_URL: &str = "support%40shop.in";
const PASSWORD_IN_URL: &str = "open%20sesame%4050%25";

struct Sink {
    child: Child,
    port: u16,
    out: PathBuf,
    certificate: TestCertificate,
    _dir: tempfile::TempDir,
}

impl Sink {
    fn start(mode: &str) -> Self {
        let has_aiosmtpd = Command::new("python3").args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
        assert!(has_aiosmtpd, "aiosmtpd is not installed: scripts/test installs it (python3 -m pip install aiosmtpd)");
        let dir = tempfile::tempdir().unwrap();
        let certificate = TestCertificate::generate(dir.path());
        let out = dir.path().join("mail.jsonl");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_tls_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args(["--mode", mode, "--user", USER, "--password", PASSWORD])
            .arg("--cert")
            .arg(&certificate.cert_pem)
            .arg("--key")
            .arg(&certificate.key_pem)
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().strip_prefix("ready ").and_then(|port| port.parse().ok());
        let Some(port) = port else {
            let _ = child.kill();
            panic!("the TLS SMTP sink did not start: {line:?}");
        };
        Self { child, port, out, certificate, _dir: dir }
    }

    fn url(&self, scheme: &str) -> String {
        format!(
            "{scheme}://{USER_IN_URL}:{PASSWORD_IN_URL}@127.0.0.1:{}?ca={}",
            self.port,
            self.certificate.ca_pem.display()
        )
    }

    /// The messages received so far, waiting up to `wait` for the first.
    fn received(&self, wait: Duration) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + wait;
        loop {
            let text = std::fs::read_to_string(&self.out).unwrap_or_default();
            if !text.is_empty() || Instant::now() >= deadline {
                return text.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn email(subject: &str) -> Email {
    Email {
        message_id: format!("{}@sambandh.test", subject.len()),
        from_name: Some("Shop Support".into()),
        from_address: "support@shop.in".into(),
        reply_to: None,
        to: "karthik@example.in".into(),
        subject: subject.into(),
        body: "உங்கள் ஆர்டர் அனுப்பப்பட்டது.".into(),
        unsubscribe_url: None,
        in_reply_to: None,
        references: Vec::new(),
        auto_reply: false,
    }
}

#[tokio::test]
async fn implicit_tls_with_login() {
    let sink = Sink::start("smtps");
    let sender = SmtpSender::from_url(&sink.url("smtps")).unwrap();
    sender.send(&email("Your order has shipped")).await.unwrap();
    let received = sink.received(Duration::from_secs(5));
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["tls"], true);
    assert_eq!(received[0]["login"], USER);
    assert_eq!(received[0]["rcpt_tos"][0], "karthik@example.in");
    assert!(received[0]["raw"].as_str().unwrap().contains("Subject: Your order has shipped"));
}

#[tokio::test]
async fn starttls_with_login() {
    let sink = Sink::start("starttls");
    let sender = SmtpSender::from_url(&sink.url("smtp+starttls")).unwrap();
    sender.send(&email("Ticket 1042 updated")).await.unwrap();
    let received = sink.received(Duration::from_secs(5));
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["tls"], true);
    assert_eq!(received[0]["login"], USER);
}

#[tokio::test]
async fn a_certificate_from_an_unknown_ca_is_refused() {
    let sink = Sink::start("smtps");
    let url = sink.url("smtps");
    let untrusted = url.split_once('?').map_or(url.as_str(), |(url, _)| url);
    let err = SmtpSender::from_url(untrusted).unwrap().send(&email("never")).await.unwrap_err();
    assert!(err.to_string().contains("certificate"), "{err}");
    assert!(sink.received(Duration::ZERO).is_empty());
}
