//! Decoding received mail: the fixtures in tests/mail/ are what mail programs send
//! (written with Python's `email` package: base64 and quoted-printable bodies, RFC 2047
//! headers, CRLF line ends).

use sambandh_channels::{InboundError, InboundMail};

fn fixture(name: &str) -> InboundMail {
    let path = format!("{}/tests/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    InboundMail::parse(&raw).unwrap_or_else(|err| panic!("{path}: {err}"))
}

#[test]
fn tamil_plain_text_in_base64() {
    let mail = fixture("tamil-base64.eml");
    assert_eq!(mail.message_id, "CAF7q1x2Tamil@mail.example.in");
    assert_eq!(mail.from_name.as_deref(), Some("கார்த்திக் சுப்பிரமணியன்"));
    assert_eq!(mail.from_address, "karthik@example.in");
    assert_eq!(mail.subject, "ஆர்டர் 4521 இன்னும் வரவில்லை");
    assert!(mail.text.starts_with("வணக்கம்,\n\nநான் ஆர்டர் செய்த பட்டுப் புடவை (ஆர்டர் எண் 4521)"), "{}", mail.text);
    assert!(mail.text.ends_with("நன்றி,\nகார்த்திக்"), "{:?}", mail.text);
    // 10:15 in India is 04:45 UTC.
    assert_eq!(mail.date, Some(1_717_389_900));
    assert!(mail.in_reply_to.is_empty() && mail.references.is_empty());
    assert!(!mail.auto_submitted);
}

#[test]
fn hindi_quoted_printable_with_an_encoded_word_subject() {
    let mail = fixture("hindi-quoted-printable.eml");
    assert_eq!(mail.subject, "बिल चाहिए – ऑर्डर 7788");
    assert_eq!(mail.from_name.as_deref(), Some("Anita Sharma"));
    assert_eq!(mail.from_address, "anita.sharma@example.co.in");
    assert_eq!(
        mail.text,
        "नमस्ते,\n\nमुझे अपने ऑर्डर का बिल (इनवॉइस) GST नंबर के साथ चाहिए।\nकृपया जल्दी भेजें।\n\nधन्यवाद,\nअनीता शर्मा"
    );
    assert_eq!(mail.message_id, "20240604123233.GA991@example.co.in");
}

#[test]
fn html_only_mail_becomes_text() {
    let mail = fixture("gujarati-html-only.eml");
    assert_eq!(mail.subject, "ઓર્ડર રદ કરવો છે");
    let text = &mail.text;
    assert!(text.contains("નમસ્તે,"), "{text}");
    assert!(text.contains("મારે ઓર્ડર"), "{text}");
    assert!(text.contains("3310 રદ કરવો છે & પૈસા પાછા જોઈએ છે."), "{text}");
    assert!(text.contains("આભાર,\nહેતલ પટેલ"), "{text}");
    assert!(text.starts_with("નમસ્તે,\n\nમારે ઓર્ડર 3310 રદ"), "{text:?}");
    assert!(!text.contains('<') && !text.contains("color"), "markup or style left in {text}");
}

#[test]
fn a_reply_names_what_it_answers() {
    let mail = fixture("reply.eml");
    assert_eq!(mail.in_reply_to, ["ticket-1042-reply-2@shop.in"]);
    assert_eq!(mail.references, ["CAF7q1x2Tamil@mail.example.in", "ticket-1042-reply-2@shop.in"]);
    assert_eq!(mail.subject, "Re: [#1042] Your order 4521 has shipped");
    assert_eq!(mail.reply_to.as_deref(), Some("karthik.orders@example.in"));
    // The text/plain alternative, not the HTML one.
    assert!(mail.text.contains("> Your order 4521 has been shipped with Blue Dart"), "{}", mail.text);
    assert_eq!(mail.text_without_quote(), "Thank you, the parcel arrived today.");
    assert!(!mail.auto_submitted);
}

#[test]
fn an_out_of_office_reply_is_automatic() {
    let mail = fixture("auto-reply.eml");
    assert!(mail.auto_submitted);
    assert_eq!(mail.in_reply_to, ["ticket-1042-reply-2@shop.in"]);
}

#[test]
fn bulk_mail_bounces_and_reports_are_automatic() {
    let automatic = |headers: &str| {
        let raw = format!("{headers}\r\nSubject: x\r\nMessage-ID: <a@b.in>\r\n\r\nbody\r\n");
        InboundMail::parse(raw.as_bytes()).unwrap().auto_submitted
    };
    assert!(automatic("From: offers@shop.example\r\nPrecedence: bulk"));
    assert!(automatic("From: list@lists.example\r\nPrecedence: list"));
    assert!(automatic("From: MAILER-DAEMON@mx.example.in"));
    assert!(automatic("From: someone@example.in\r\nReturn-Path: <>"));
    assert!(automatic("From: someone@example.in\r\nAuto-Submitted: auto-generated; owner-email=\"x@y.in\""));
    assert!(automatic("From: someone@example.in\r\nX-Autoreply: yes"));
    assert!(automatic(
        "From: postmaster@example.in\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b"
    ));
    assert!(!automatic("From: someone@example.in\r\nAuto-Submitted: no"));
    assert!(!automatic("From: someone@example.in\r\nPrecedence: first-class"));
    assert!(!automatic("From: someone@example.in"));
}

#[test]
fn a_message_without_message_id_gets_a_stable_one() {
    let raw = b"From: Meena <meena@example.in>\r\nSubject: hello\r\n\r\nNo Message-ID here.\r\n";
    let first = InboundMail::parse(raw).unwrap();
    let again = InboundMail::parse(raw).unwrap();
    assert_eq!(first.message_id, again.message_id);
    assert!(first.message_id.ends_with("@message-id.invalid"), "{}", first.message_id);
    let other = InboundMail::parse(b"From: Meena <meena@example.in>\r\nSubject: hello\r\n\r\nAnother.\r\n").unwrap();
    assert_ne!(first.message_id, other.message_id);
    assert_eq!(first.date, None);
}

#[test]
fn latin_1_and_lf_line_ends() {
    let mut raw = b"From: =?iso-8859-1?q?Ren=E9?= <rene@example.fr>\nSubject: Caf\xe9 order\n\
        Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
        .to_vec();
    raw.extend_from_slice(b"Un caf\xe9, s'il vous pla\xeet.\n");
    let mail = InboundMail::parse(&raw).unwrap();
    assert_eq!(mail.from_name.as_deref(), Some("René"));
    assert_eq!(mail.text, "Un café, s'il vous plaît.");
}

#[test]
fn the_sender_falls_back_to_return_path() {
    let mail = InboundMail::parse(b"Return-Path: <alerts@bank.example>\r\nSubject: x\r\n\r\nbody\r\n").unwrap();
    assert_eq!(mail.from_address, "alerts@bank.example");
    assert_eq!(mail.from_name, None);
}

#[test]
fn what_is_not_a_message() {
    assert_eq!(InboundMail::parse(b""), Err(InboundError::NotAMessage));
    assert_eq!(InboundMail::parse(b"Subject: nobody sent this\r\n\r\nbody\r\n"), Err(InboundError::NoSender));
}

#[test]
fn html_blocks_become_lines() {
    let raw = "From: form@shop.in\r\nSubject: Contact form\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
        <html><head><title>x</title><script>var a = 1;</script></head><body>\
        <div>Name: Meena Iyer</div><div>Phone: +91 98400 12345</div>\
        <ul><li>Order 1</li><li>Order 2</li></ul><table><tr><td>City</td><td>Chennai</td></tr></table>\
        </body></html>\r\n";
    let mail = InboundMail::parse(raw.as_bytes()).unwrap();
    let text = &mail.text;
    assert!(text.contains("Name: Meena Iyer\n"), "{text:?}");
    assert!(text.contains("Phone: +91 98400 12345"), "{text:?}");
    assert!(text.contains("Order 1\n") && text.contains("Order 2"), "{text:?}");
    assert!(text.contains("Chennai"), "{text:?}");
    assert!(!text.contains("var a"), "{text:?}");
}
