//! Test support (the `testkit` feature): a real Dovecot IMAP server on loopback, and a
//! throwaway CA for TLS. Other crates' tests use it through
//! `sambandh-channels = { workspace = true, features = ["testkit"] }` in
//! `[dev-dependencies]`.
//!
//! [`Dovecot::start`] writes a configuration into a temporary directory and runs
//! `/usr/sbin/dovecot -F -c <that file>`: IMAP on a free port of 127.0.0.1 (plain, with
//! STARTTLS on offer) and IMAP over implicit TLS on a second one, with a certificate for
//! `127.0.0.1` and `localhost` signed by a CA made for the occasion. One user,
//! [`Dovecot::USER`], whose Maildir is in the temporary directory. Nothing goes to syslog
//! or outside the directory (logs in `dovecot.log` there), and dropping the value stops
//! the server and removes the directory. Mail is put in with `doveadm save`, as a local
//! delivery would, so that the server's UIDs are assigned at once.
//!
//! It runs as root (the mail itself is then owned by the Debian package's `dovecot`
//! user, since Dovecot refuses to access mail as root) or as an ordinary user (every
//! process as that user). The configuration is in Dovecot 2.3's syntax (Debian 12); 2.4
//! changed it.
//!
//! Everything here panics on failure, as test set-up does.

use std::fmt::Display;
use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};

const DOVECOT: &str = "/usr/sbin/dovecot";
const DOVEADM: &str = "/usr/bin/doveadm";

/// PEM files for a TLS server on loopback, and the CA that signed its certificate.
#[derive(Debug, Clone)]
pub struct TestCertificate {
    /// The CA's certificate: what a client is told to trust (`?ca=…`).
    pub ca_pem: PathBuf,
    /// The server's certificate, for `127.0.0.1` and `localhost`.
    pub cert_pem: PathBuf,
    /// The server's private key (PKCS #8, ECDSA P-256).
    pub key_pem: PathBuf,
}

impl TestCertificate {
    /// Makes a CA and a server certificate it signs, and writes `ca.pem`, `cert.pem` and
    /// `key.pem` into `dir`.
    pub fn generate(dir: &Path) -> Self {
        let ca_key = must(KeyPair::generate(), "generating the test CA's key");
        let mut ca_params = must(CertificateParams::new(Vec::<String>::new()), "the test CA's parameters");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, "Sambandh test CA");
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = must(CertifiedIssuer::self_signed(ca_params, ca_key), "signing the test CA");

        let key = must(KeyPair::generate(), "generating the test server's key");
        let mut params = must(
            CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]),
            "the test server's certificate parameters",
        );
        params.distinguished_name.push(DnType::CommonName, "localhost");
        let certificate = must(params.signed_by(&key, &ca), "signing the test server's certificate");

        let this = Self { ca_pem: dir.join("ca.pem"), cert_pem: dir.join("cert.pem"), key_pem: dir.join("key.pem") };
        write(&this.ca_pem, ca.pem().as_bytes());
        write(&this.cert_pem, certificate.pem().as_bytes());
        write(&this.key_pem, key.serialize_pem().as_bytes());
        this
    }
}

/// A Dovecot IMAP server for one test, stopped when dropped.
#[derive(Debug)]
pub struct Dovecot {
    child: Child,
    port: u16,
    tls_port: u16,
    config: PathBuf,
    certificate: TestCertificate,
    dir: tempfile::TempDir,
}

impl Dovecot {
    /// The one user (an e-mail address, as with most providers).
    pub const USER: &str = "support@shop.in";
    /// Its password, with characters that must be percent-encoded in a URL.
    pub const PASSWORD: &str = "open sesame@50%";

    /// Starts a server and waits until both ports greet.
    ///
    /// # Panics
    /// If Dovecot is not installed, or does not start (the message carries its log).
    pub fn start() -> Self {
        if !Path::new(DOVECOT).exists() {
            panic!("dovecot is not installed: scripts/test installs it (apt-get install dovecot-imapd)");
        }
        let dir =
            must(tempfile::Builder::new().prefix("sambandh-dovecot-").tempdir(), "creating a temporary directory");
        // Dovecot's unprivileged processes must reach what is inside.
        set_mode(dir.path(), 0o755);
        let mail = dir.path().join("mail");
        must(fs::create_dir(&mail), "creating the mail directory");
        set_mode(&mail, 0o777);
        let certificate = TestCertificate::generate(dir.path());
        set_mode(&certificate.key_pem, 0o644);
        write(&dir.path().join("users"), format!("{}:{{PLAIN}}{}::::::\n", Self::USER, Self::PASSWORD).as_bytes());

        let config = dir.path().join("dovecot.conf");
        let log = dir.path().join("dovecot.log");
        let mut last_log = String::new();
        // A free port can be taken by someone else before Dovecot binds it: try again.
        for _ in 0..3 {
            let (port, tls_port) = (free_port(), free_port());
            write(&config, configuration(dir.path(), port, tls_port).as_bytes());
            let output = must(fs::File::create(dir.path().join("dovecot.out")), "creating dovecot.out");
            let errors = must(output.try_clone(), "dovecot.out");
            let mut child = must(
                Command::new(DOVECOT)
                    .arg("-F")
                    .arg("-c")
                    .arg(&config)
                    .stdin(Stdio::null())
                    .stdout(output)
                    .stderr(errors)
                    .spawn(),
                "running /usr/sbin/dovecot",
            );
            if wait_until_listening(&mut child, port, tls_port) {
                return Self { child, port, tls_port, config, certificate, dir };
            }
            stop(&mut child);
            last_log = format!(
                "{}{}",
                fs::read_to_string(dir.path().join("dovecot.out")).unwrap_or_default(),
                fs::read_to_string(&log).unwrap_or_default()
            );
        }
        let version = Command::new(DOVECOT).arg("--version").output().map(|out| out.stdout).unwrap_or_default();
        panic!("dovecot {} did not start; its log:\n{last_log}", String::from_utf8_lossy(&version).trim());
    }

    /// `imap://…@127.0.0.1:PORT/INBOX`: plain IMAP, for [`crate::MailboxConfig::from_url`].
    pub fn url(&self) -> String {
        format!("imap://{}@127.0.0.1:{}/INBOX", self.credentials(), self.port)
    }

    /// `imaps://…@127.0.0.1:PORT/INBOX?ca=…`: implicit TLS, trusting the test CA.
    pub fn tls_url(&self) -> String {
        format!("imaps://{}@127.0.0.1:{}/INBOX?ca={}", self.credentials(), self.tls_port, self.ca_query())
    }

    /// `imap+starttls://…@127.0.0.1:PORT/INBOX?ca=…`: STARTTLS on the plain port.
    pub fn starttls_url(&self) -> String {
        format!("imap+starttls://{}@127.0.0.1:{}/INBOX?ca={}", self.credentials(), self.port, self.ca_query())
    }

    /// The plain port (with STARTTLS on offer).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The implicit-TLS port.
    pub fn tls_port(&self) -> u16 {
        self.tls_port
    }

    /// The CA certificate that signed the server's (PEM).
    pub fn ca_pem(&self) -> &Path {
        &self.certificate.ca_pem
    }

    /// The certificate and key files, to run another TLS server on loopback under the same
    /// CA.
    pub fn certificate(&self) -> &TestCertificate {
        &self.certificate
    }

    /// Where the server keeps its files (configuration, log, Maildir).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Puts a message (RFC 5322, CRLF or LF line ends) into the INBOX.
    pub fn deliver(&self, raw: &[u8]) {
        self.deliver_to("INBOX", raw);
    }

    /// Puts a message into `folder`, which must exist (see [`Dovecot::create_folder`]).
    pub fn deliver_to(&self, folder: &str, raw: &[u8]) {
        let mut child = must(
            self.doveadm(&["save", "-u", Self::USER, "-m", folder])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn(),
            "running doveadm save",
        );
        if let Some(mut stdin) = child.stdin.take() {
            must(stdin.write_all(raw), "writing to doveadm save");
        }
        let output = must(child.wait_with_output(), "waiting for doveadm save");
        if !output.status.success() {
            panic!("doveadm save failed: {}", String::from_utf8_lossy(&output.stderr));
        }
    }

    /// Creates a folder for [`Dovecot::deliver_to`].
    pub fn create_folder(&self, folder: &str) {
        let output = must(self.doveadm(&["mailbox", "create", "-u", Self::USER, folder]).output(), "doveadm");
        if !output.status.success() {
            panic!("doveadm mailbox create failed: {}", String::from_utf8_lossy(&output.stderr));
        }
    }

    /// Each message of `folder` by UID, with its flags (`\Seen`, …), read on the server's
    /// side.
    pub fn flags(&self, folder: &str) -> Vec<(u32, Vec<String>)> {
        let output = must(
            self.doveadm(&["-f", "tab", "fetch", "-u", Self::USER, "uid flags", "mailbox", folder, "all"]).output(),
            "running doveadm fetch",
        );
        if !output.status.success() {
            panic!("doveadm fetch failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .skip(1) // the header line: "uid\tflags"
            .filter_map(|line| {
                let (uid, flags) = line.split_once('\t').unwrap_or((line, ""));
                Some((uid.trim().parse().ok()?, flags.split_whitespace().map(str::to_owned).collect()))
            })
            .collect()
    }

    fn credentials(&self) -> String {
        format!(
            "{}:{}",
            utf8_percent_encode(Self::USER, NON_ALPHANUMERIC),
            utf8_percent_encode(Self::PASSWORD, NON_ALPHANUMERIC)
        )
    }

    fn ca_query(&self) -> String {
        utf8_percent_encode(&self.certificate.ca_pem.to_string_lossy(), NON_ALPHANUMERIC).to_string()
    }

    fn doveadm(&self, args: &[&str]) -> Command {
        let mut command = Command::new(DOVEADM);
        command.arg("-c").arg(&self.config).args(args);
        command
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// Dovecot 2.3's configuration: everything under `dir`, listening on loopback only.
fn configuration(dir: &Path, port: u16, tls_port: u16) -> String {
    let dir = dir.display();
    // Dovecot will not touch mail as root; the Debian package's users stand in.
    let users = if running_as_root() {
        "mail_uid = dovecot\nmail_gid = dovecot\n".to_owned()
    } else {
        let (user, group) = (id("-un"), id("-gn"));
        format!("mail_uid = {user}\nmail_gid = {group}\ndefault_internal_user = {user}\ndefault_login_user = {user}\n")
    };
    format!(
        r#"# Written by sambandh-channels' testkit.
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{dir}/cert.pem
ssl_key = <{dir}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
{users}first_valid_uid = 1
first_valid_gid = 1
mail_home = {dir}/mail/%u
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {dir}/users
}}
userdb {{
  driver = passwd-file
  args = {dir}/users
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
"#
    )
}

/// Waits (15 s at most) until the plain port greets and the TLS port takes connections;
/// false if Dovecot exits first or takes longer.
fn wait_until_listening(child: &mut Child, port: u16, tls_port: u16) -> bool {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_)) | Err(_)) {
            return false;
        }
        if greets(port) && connect(tls_port).is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn greets(port: u16) -> bool {
    let Some(mut stream) = connect(port) else { return false };
    let mut greeting = [0; 4];
    stream.set_read_timeout(Some(Duration::from_secs(2))).is_ok()
        && stream.read_exact(&mut greeting).is_ok()
        && &greeting == b"* OK"
}

fn connect(port: u16) -> Option<TcpStream> {
    TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), Duration::from_millis(500)).ok()
}

/// Asks Dovecot to stop (SIGTERM, so that it stops its own processes), then kills it if
/// it has not within a few seconds.
fn stop(child: &mut Child) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn free_port() -> u16 {
    let listener = must(TcpListener::bind((Ipv4Addr::LOCALHOST, 0)), "finding a free port");
    must(listener.local_addr(), "finding a free port").port()
}

fn running_as_root() -> bool {
    fs::metadata("/proc/self").map(|meta| meta.uid() == 0).unwrap_or(false)
}

fn id(flag: &str) -> String {
    let output = must(Command::new("id").arg(flag).output(), "running id");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn set_mode(path: &Path, mode: u32) {
    must(fs::set_permissions(path, fs::Permissions::from_mode(mode)), &format!("chmod {}", path.display()));
}

fn write(path: &Path, contents: &[u8]) {
    must(fs::write(path, contents), &format!("writing {}", path.display()));
}

fn must<T, E: Display>(result: Result<T, E>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(err) => panic!("{what}: {err}"),
    }
}
