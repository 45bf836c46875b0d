//! Reading a real mailbox: a Dovecot per test (the testkit), over plain IMAP, implicit
//! TLS and STARTTLS.

#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

use sambandh_channels::testkit::Dovecot;
use sambandh_channels::{Cursor, ImapError, InboundMail, MailboxConfig, fetch_since};

fn message(n: u32) -> Vec<u8> {
    format!(
        "From: Customer {n} <customer{n}@example.in>\r\nTo: support@shop.in\r\nSubject: Order {n}\r\n\
         Message-ID: <order-{n}@example.in>\r\nDate: Mon, 03 Jun 2024 10:{n:02}:00 +0530\r\n\r\n\
         Where is order {n}?\r\n"
    )
    .into_bytes()
}

fn subjects(fetched: &sambandh_channels::Fetched) -> Vec<String> {
    fetched.messages.iter().map(|mail| InboundMail::parse(&mail.raw).unwrap().subject).collect()
}

#[tokio::test]
async fn new_mail_comes_once_in_order_and_stays_unread() {
    let dovecot = Dovecot::start();
    let config = MailboxConfig::from_url(&dovecot.url()).unwrap();

    let empty = fetch_since(&config, None, 10).await.unwrap();
    assert!(empty.messages.is_empty() && !empty.more);
    assert_eq!(empty.cursor, Cursor { uid_validity: empty.uid_validity, last_uid: 0 });

    for n in 1..=3 {
        dovecot.deliver(&message(n));
    }
    let first = fetch_since(&config, Some(empty.cursor), 2).await.unwrap();
    assert_eq!(subjects(&first), ["Order 1", "Order 2"]);
    assert!(first.more, "a third message is waiting");
    assert_eq!(first.messages.iter().map(|mail| mail.uid).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(first.cursor, Cursor { uid_validity: empty.uid_validity, last_uid: 2 });
    assert_eq!(first.messages[0].raw, message(1), "the message comes back byte for byte");

    let second = fetch_since(&config, Some(first.cursor), 2).await.unwrap();
    assert_eq!(subjects(&second), ["Order 3"]);
    assert!(!second.more);

    // Nothing new: `UID 4:*` would answer the last message again; it must not come back.
    let third = fetch_since(&config, Some(second.cursor), 2).await.unwrap();
    assert!(third.messages.is_empty(), "{:?}", subjects(&third));
    assert_eq!(third.cursor, second.cursor);

    dovecot.deliver(&message(4));
    let fourth = fetch_since(&config, Some(third.cursor), 10).await.unwrap();
    assert_eq!(subjects(&fourth), ["Order 4"]);

    // Reading changed nothing on the server: no \Seen, all four still there.
    let flags = dovecot.flags("INBOX");
    assert_eq!(flags.iter().map(|(uid, _)| *uid).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert!(flags.iter().all(|(_, flags)| !flags.iter().any(|flag| flag == "\\Seen")), "{flags:?}");
}

#[tokio::test]
async fn a_changed_uidvalidity_starts_over() {
    let dovecot = Dovecot::start();
    let config = MailboxConfig::from_url(&dovecot.url()).unwrap();
    dovecot.deliver(&message(1));
    dovecot.deliver(&message(2));
    let all = fetch_since(&config, None, 10).await.unwrap();
    let stale = Cursor { uid_validity: all.uid_validity.wrapping_sub(1), last_uid: 2 };
    let again = fetch_since(&config, Some(stale), 10).await.unwrap();
    assert_eq!(subjects(&again), ["Order 1", "Order 2"]);
    assert_eq!(again.cursor, Cursor { uid_validity: all.uid_validity, last_uid: 2 });
}

#[tokio::test]
async fn over_tls_and_starttls_trusting_the_test_ca() {
    let dovecot = Dovecot::start();
    dovecot.deliver(&message(1));
    for url in [dovecot.tls_url(), dovecot.starttls_url()] {
        let config = MailboxConfig::from_url(&url).unwrap();
        let fetched = fetch_since(&config, None, 10).await.unwrap_or_else(|err| panic!("{url}: {err}"));
        assert_eq!(subjects(&fetched), ["Order 1"], "{url}");
    }
}

#[tokio::test]
async fn a_certificate_from_an_unknown_ca_is_refused() {
    let dovecot = Dovecot::start();
    let url = dovecot.tls_url();
    let untrusted = url.split_once('?').map_or(url.as_str(), |(url, _)| url);
    let err = fetch_since(&MailboxConfig::from_url(untrusted).unwrap(), None, 10).await.unwrap_err();
    assert!(matches!(err, ImapError::Tls(_)), "{err:?}");
    assert!(err.is_permanent());
}

#[tokio::test]
async fn a_wrong_password_is_permanent() {
    let dovecot = Dovecot::start();
    let mut config = MailboxConfig::from_url(&dovecot.url()).unwrap();
    config.password = "not the password".into();
    let err = fetch_since(&config, None, 10).await.unwrap_err();
    assert!(matches!(err, ImapError::Authentication(_)), "{err:?}");
    assert!(err.is_permanent());
}

#[tokio::test]
async fn folders() {
    let dovecot = Dovecot::start();
    dovecot.create_folder("Support");
    dovecot.deliver_to("Support", &message(7));
    dovecot.deliver(&message(1));
    let support = MailboxConfig::from_url(&dovecot.url().replace("/INBOX", "/Support")).unwrap();
    assert_eq!(subjects(&fetch_since(&support, None, 10).await.unwrap()), ["Order 7"]);

    let missing = MailboxConfig::from_url(&dovecot.url().replace("/INBOX", "/Nowhere")).unwrap();
    let err = fetch_since(&missing, None, 10).await.unwrap_err();
    assert!(matches!(err, ImapError::Folder(_)), "{err:?}");
}

#[tokio::test]
async fn a_server_that_is_not_there_is_transient() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = MailboxConfig::from_url(&format!("imap://desk:pw@127.0.0.1:{port}")).unwrap();
    let err = fetch_since(&config, None, 10).await.unwrap_err();
    assert!(matches!(err, ImapError::Unreachable(_)), "{err:?}");
    assert!(!err.is_permanent());
}
