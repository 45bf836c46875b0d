//! The service desk end to end on both engines, with real servers on loopback: a
//! customer's e-mail in a Dovecot mailbox becomes a ticket, the acknowledgement with
//! the promised time reaches them by SMTP (aiosmtpd) in their language and thread, a
//! reply goes out in the same thread, their answer joins the ticket, resolving sends the
//! survey, and their score lands on the ticket, the contact and the measures.
#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

mod common;

use common::{Sink, TestApp};
use reqwest::StatusCode;
use sambandh_app::Caller;
use sambandh_app::outbox::SendOptions;
use sambandh_channels::MailboxConfig;
use sambandh_channels::testkit::Dovecot;
use sambandh_domain::{BranchId, LetterLanguage, written_instant};
use serde_json::{Value, json};

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    let got = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    body
}

async fn setup(app: &TestApp) -> BranchId {
    let branch: BranchId = app.chennai().await.parse().unwrap();
    let operator = Caller::LocalOperator;
    app.app.set_setting(&operator, "organisation_name", "Saravana Stores").await.unwrap();
    app.app.set_setting(&operator, "mail_from", "support@saravana.example").await.unwrap();
    app.app.set_setting(&operator, "public_url", &app.url("")).await.unwrap();
    // Every hour of every day is working time, and no festival is a day off, so the
    // test does not depend on when it runs; the business-time rules have tests of
    // their own, and the one below checks a branch's calendar.
    app.app.set_branch_hours(&operator, branch, "Mon-Sun 00:00-24:00").await.unwrap();
    app.app.set_setting(&operator, "holiday_festivals", "none").await.unwrap();
    branch
}

fn mailbox(dovecot: &Dovecot) -> MailboxConfig {
    MailboxConfig::from_url(&dovecot.url()).unwrap()
}

fn mail(from: &str, message_id: &str, subject: &str, text: &str, in_reply_to: Option<&str>) -> Vec<u8> {
    let thread = in_reply_to.map(|id| format!("In-Reply-To: <{id}>\r\nReferences: <{id}>\r\n")).unwrap_or_default();
    format!(
        "From: {from}\r\nTo: support@saravana.example\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n{thread}\
         Date: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{text}\r\n",
        jiff::Timestamp::now().strftime("%a, %d %b %Y %H:%M:%S +0000"),
    )
    .into_bytes()
}

api_test!(an_email_becomes_a_ticket_with_a_promise_kept_in_the_customers_thread, |app| {
    let branch = setup(&app).await;
    common::add_user(&app.app, "meena@saravana.example", "agent", Some("Chennai")).await;
    common::add_user(&app.app, "manager@saravana.example", "manager", Some("Chennai")).await;
    let dovecot = Dovecot::start();
    let sink = Sink::start();

    // A new customer writes in Tamil.
    dovecot.deliver(&mail(
        "\"Karthik R\" <karthik@example.in>",
        "first-1@example.in",
        "ஆர்டர் வரவில்லை",
        "வணக்கம், எனது ஆர்டர் இன்னும் வரவில்லை. ஆர்டர் எண் 4521.",
        None,
    ));
    // An auto-reply in the same mailbox is no ticket.
    dovecot.deliver(
        b"From: mailer-daemon@example.in\r\nTo: support@saravana.example\r\nSubject: Out of office\r\n\
          Message-ID: <auto-1@example.in>\r\nAuto-Submitted: auto-replied\r\n\r\nI am away.\r\n",
    );
    let report = app.app.poll_mailbox(&mailbox(&dovecot), branch).await.unwrap();
    assert_eq!((report.new_tickets, report.ignored), (1, 1), "{report:?}");
    // Reading the mailbox again finds nothing new.
    let again = app.app.poll_mailbox(&mailbox(&dovecot), branch).await.unwrap();
    assert_eq!(again.new_tickets + again.added + again.duplicates, 0, "{again:?}");

    let queue = json_of(app.get("/api/v1/tickets").await, StatusCode::OK).await;
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{queue}");
    let ticket = &items[0];
    let id = ticket["id"].as_str().unwrap().to_owned();
    assert_eq!(ticket["language"], "ta");
    assert_eq!(ticket["status"], "new");
    assert_eq!(ticket["source"], "email");
    let agents = json_of(app.get("/api/v1/users").await, StatusCode::OK).await;
    let meena = agents["items"].as_array().unwrap().iter().find(|u| u["email"] == "meena@saravana.example").unwrap();
    assert_eq!(ticket["assignee_id"], meena["id"], "routed to the Tamil-speaking agent");
    let due: jiff::Timestamp = ticket["first_response_due"].as_str().unwrap().parse().unwrap();

    // The acknowledgement: to the customer alone, in Tamil, in their thread, with the
    // promised time written as they read it.
    let sent = app.app.send_outbox(&sink.channels(), &SendOptions::default()).await.unwrap();
    assert_eq!(sent.sent, 1, "{sent:?}");
    let ack = &sink.received()[0];
    assert_eq!(ack["rcpt_tos"], json!(["karthik@example.in"]));
    assert_eq!(ack["headers"]["In-Reply-To"], "<first-1@example.in>");
    assert_eq!(ack["headers"]["Auto-Submitted"], "auto-replied", "autoresponders must not answer it");
    let ack_body = ack["body"].as_str().unwrap();
    let india = jiff::tz::TimeZone::get("Asia/Kolkata").unwrap();
    let promise = written_instant(due, &india, LetterLanguage::Tamil);
    assert!(ack_body.contains(&promise), "the promise {promise} is in: {ack_body}");
    assert!(ack_body.starts_with("அன்புள்ள"), "{ack_body}");
    assert!(ack["headers"]["Subject"].as_str().unwrap().contains("[#"), "{ack}");

    // Staff answer: the reply goes in the same thread and counts as the first response.
    let detail = json_of(
        app.post(
            &format!("/api/v1/tickets/{id}/replies"),
            json!({"text": "உங்கள் ஆர்டர் நாளை வந்து சேரும்.", "status": "pending"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(detail["ticket"]["status"], "pending");
    assert!(detail["ticket"]["first_response_at"].is_string());
    assert!(detail["ticket"]["due_at"].is_null(), "waiting on the customer stops the clock: {detail}");
    app.app.send_outbox(&sink.channels(), &SendOptions::default()).await.unwrap();
    let reply = sink.received()[1].clone();
    assert_eq!(reply["headers"]["In-Reply-To"], "<first-1@example.in>");
    assert!(reply["headers"]["Subject"].as_str().unwrap().starts_with("Re: "), "{reply}");
    assert!(reply["headers"]["Auto-Submitted"].is_null(), "a person wrote the reply: {reply}");
    let reply_id = reply["headers"]["Message-ID"].as_str().unwrap().trim_matches(['<', '>']).to_owned();
    // A note is for staff only.
    json_of(
        app.post(&format!("/api/v1/tickets/{id}/notes"), json!({"text": "courier says tomorrow"})).await,
        StatusCode::CREATED,
    )
    .await;

    // The customer answers our reply: the same ticket, open again, a next response due.
    dovecot.deliver(&mail(
        "karthik@example.in",
        "second-2@example.in",
        "Re: ஆர்டர் வரவில்லை",
        "நன்றி! நாளை காத்திருக்கிறேன்.",
        Some(&reply_id),
    ));
    let report = app.app.poll_mailbox(&mailbox(&dovecot), branch).await.unwrap();
    assert_eq!((report.new_tickets, report.added), (0, 1), "{report:?}");
    let detail = json_of(app.get(&format!("/api/v1/tickets/{id}")).await, StatusCode::OK).await;
    assert_eq!(detail["ticket"]["status"], "open");
    assert!(detail["ticket"]["next_response_due"].is_string(), "{detail}");
    let kinds: Vec<&str> = detail["entries"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["inbound", "acknowledgement", "reply", "note", "inbound"]);
    assert_eq!(sink.received().len(), 2, "notes never reach the customer");

    // Resolved: the survey goes out; the score lands on the ticket and, being low, makes
    // a task for the branch manager.
    let version = detail["ticket"]["version"].as_i64().unwrap();
    let stale =
        app.patch(&format!("/api/v1/tickets/{id}"), None, json!({"status": "resolved", "version": version - 1})).await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let resolved = json_of(
        app.patch(&format!("/api/v1/tickets/{id}"), None, json!({"status": "resolved", "version": version})).await,
        StatusCode::OK,
    )
    .await;
    assert!(resolved["resolved_at"].is_string());
    app.app.send_outbox(&sink.channels(), &SendOptions::default()).await.unwrap();
    let survey = sink.received()[2].clone();
    let body = survey["body"].as_str().unwrap();
    let link = body.split_whitespace().find(|w| w.contains("/survey/")).unwrap().to_owned();
    let client = reqwest::Client::new();
    let page = client.get(&link).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("lang=\"ta\""), "{page}");
    let form: Vec<(&str, &str)> = vec![("score", "2"), ("comment", "<b>late</b>")];
    let answered = client.post(&link).form(&form).send().await.unwrap();
    assert_eq!(answered.status(), StatusCode::OK);
    assert!(answered.text().await.unwrap().contains("(2/5)"));
    let detail = json_of(app.get(&format!("/api/v1/tickets/{id}")).await, StatusCode::OK).await;
    assert_eq!(detail["ticket"]["csat_score"], 2);
    assert_eq!(detail["ticket"]["csat_comment"], "<b>late</b>");
    let tasks = json_of(app.get("/api/v1/tasks").await, StatusCode::OK).await;
    assert!(
        tasks["items"].as_array().unwrap().iter().any(|t| t["title"].as_str().unwrap().contains("satisfaction 2/5")),
        "{tasks}"
    );
    let contact = detail["ticket"]["contact_id"].as_str().unwrap();
    let timeline = json_of(app.get(&format!("/api/v1/contacts/{contact}/timeline")).await, StatusCode::OK).await;
    assert!(timeline.to_string().contains("2/5: <b>late</b>"), "{timeline}");

    // The measures: one ticket in Chennai, answered in time.
    let today = jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let measures = json_of(
        app.get(&format!("/api/v1/service-measures?from={}&until={}", today, today.tomorrow().unwrap())).await,
        StatusCode::OK,
    )
    .await;
    let row = &measures["items"][0];
    assert_eq!(row["group"], branch.to_string());
    assert_eq!((row["tickets"].as_u64(), row["first_response_met"].as_u64()), (Some(1), Some(1)), "{measures}");
    assert_eq!(row["first_response_attainment"], 1.0);
    assert_eq!(row["mean_csat"], 2.0);
});

api_test!(the_web_form_opens_a_ticket_and_keeps_what_was_typed_on_error, |app| {
    setup(&app).await;
    let client = reqwest::Client::new();
    let bad = client
        .post(app.url("/support"))
        .form(&[("name", "Priya"), ("email", "not-an-address"), ("text", "<script>alert(1)</script>")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text().await.unwrap();
    assert!(page.contains("email: "), "the error names the field: {page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;"), "what was typed comes back, escaped: {page}");
    assert!(!page.contains("<script>"), "{page}");
    let good = client
        .post(app.url("/support"))
        .form(&[("name", "Priya Nair"), ("email", "priya@example.in"), ("text", "मेरा बिल गलत है")])
        .send()
        .await
        .unwrap();
    assert_eq!(good.status(), StatusCode::CREATED);
    let queue = json_of(app.get("/api/v1/tickets").await, StatusCode::OK).await;
    let ticket = &queue["items"][0];
    assert_eq!(ticket["source"], "web");
    assert_eq!(ticket["language"], "hi", "Devanagari text is read as Hindi");
    assert_eq!(ticket["subject"], "मेरा बिल गलत है");
    let found = json_of(app.get("/api/v1/contacts/lookup?email=priya@example.in").await, StatusCode::OK).await;
    assert_eq!(found["items"][0]["family_name"], "Nair", "{found}");
    // Ten requests from one address in 15 minutes, then the form says to wait.
    for _ in 0..8 {
        let again = client.post(app.url("/support")).form(&[("email", "x"), ("text", "again")]).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let flood =
        client.post(app.url("/support")).form(&[("email", "spam@example.in"), ("text", "buy")]).send().await.unwrap();
    assert_eq!(flood.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(flood.headers().contains_key("retry-after"));
});

api_test!(due_times_follow_the_branch_calendar_and_its_holidays, |app| {
    let branch = app.chennai().await;
    let due = |received: &str| {
        let path = format!("/api/v1/sla/due?branch={branch}&channel=email&received={}", received.replace('+', "%2B"));
        let app = &app;
        async move { json_of(app.get(&path).await, StatusCode::OK).await["due"].as_str().unwrap().to_owned() }
    };
    // The default hours, Mon-Fri 09:30-18:00 and Sat 10:00-14:00, in Asia/Kolkata.
    assert_eq!(due("2027-01-13T17:45:00+05:30").await, "2027-01-13T18:00:00+05:30");
    // After hours on Wednesday: the end of the next business day, which in Tamil Nadu
    // skips Pongal, a default holiday there (the festival calendar computes its date).
    let pongal = json_of(app.get("/api/v1/calendar?year=2027&region=IN-TN").await, StatusCode::OK).await;
    let pongal = pongal["items"].as_array().unwrap().iter().find(|f| f["key"] == "pongal").unwrap()["date"]
        .as_str()
        .unwrap()
        .to_owned();
    let after_hours = due("2027-01-13T18:30:00+05:30").await;
    let next_day = if pongal == "2027-01-14" { "2027-01-15T18:00:00+05:30" } else { "2027-01-14T18:00:00+05:30" };
    assert_eq!(after_hours, next_day, "Pongal is {pongal}");
    // A day off of the branch's own moves it on again.
    let day_off = &next_day[..10];
    json_of(
        app.post(&format!("/api/v1/branches/{branch}/holidays"), json!({"date": day_off, "name": "Stock taking"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let moved = due("2027-01-13T18:30:00+05:30").await;
    assert!(moved.as_str() > next_day, "{moved} is after {next_day}");
    // Hours of its own.
    let set = app
        .client
        .put(app.url(&format!("/api/v1/branches/{branch}/hours")))
        .json(&json!({"hours": "mon-sat 10:00-19:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(set, StatusCode::OK).await["hours"], "Mon-Sat 10:00-19:00");
    assert_eq!(due("2027-01-13T17:45:00+05:30").await, "2027-01-13T19:00:00+05:30");
    let bad = app
        .client
        .put(app.url(&format!("/api/v1/branches/{branch}/hours")))
        .json(&json!({"hours": "Mon-Fru 10:00-19:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(common::problem_fields(bad).await, ["hours"]);
});

api_test!(deadlines_pause_while_waiting_remind_escalate_and_stay_in_the_branch, |app| {
    let branch = setup(&app).await;
    common::add_user(&app.app, "meena@saravana.example", "agent", Some("Chennai")).await;
    common::add_user(&app.app, "manager@saravana.example", "manager", Some("Chennai")).await;
    let lucknow = app.branch("Lucknow", "IN-UP", "hi").await;
    let other_agent = app.staff("ravi@saravana.example", "agent", Some(&lucknow)).await;
    let _ = branch;
    // A policy with short targets, so that deadlines pass within the test.
    let policies =
        json!({"items": [{"name": "Quick", "first_response": "1h", "next_response": "1h", "resolution": "8h"}]});
    let set = app.client.put(app.url("/api/v1/sla-policies")).json(&policies).send().await.unwrap();
    json_of(set, StatusCode::OK).await;
    let bad = json!({"items": [{"name": "Broken", "first_response": "2d", "next_response": "1h", "resolution": "8h"}]});
    let refused = app.client.put(app.url("/api/v1/sla-policies")).json(&bad).send().await.unwrap();
    assert_eq!(common::problem_fields(refused).await, ["policies[0].first_response"]);

    let created = json_of(
        app.post(
            "/api/v1/tickets",
            json!({"email": "anita@example.in", "name": "Anita", "text": "The invoice is wrong.", "source": "phone", "branch": "Chennai"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let ticket = &created["ticket"];
    let id = ticket["id"].as_str().unwrap().to_owned();
    assert_eq!(ticket["policy_id"], "quick");
    let first_due: jiff::Timestamp = ticket["first_response_due"].as_str().unwrap().parse().unwrap();
    let created_at: jiff::Timestamp = ticket["created_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(first_due.duration_since(created_at), jiff::SignedDuration::from_hours(1));
    let resolution_due: jiff::Timestamp = ticket["resolution_due"].as_str().unwrap().parse().unwrap();

    // Out of another branch's sight.
    let hidden = other_agent.get(app.url(&format!("/api/v1/tickets/{id}"))).send().await.unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    let their_queue: Value = other_agent.get(app.url("/api/v1/tickets")).send().await.unwrap().json().await.unwrap();
    assert_eq!(their_queue["items"].as_array().unwrap().len(), 0);

    // 45 minutes in: the assignee is reminded, once.
    let reminded = app.app.remind_and_escalate(created_at + jiff::SignedDuration::from_mins(45)).await.unwrap();
    assert_eq!((reminded.reminded, reminded.escalated), (1, 0));
    let again = app.app.remind_and_escalate(created_at + jiff::SignedDuration::from_mins(46)).await.unwrap();
    assert_eq!((again.reminded, again.escalated), (0, 0));
    // Past due: escalated to the branch manager, once.
    let late = app.app.remind_and_escalate(created_at + jiff::SignedDuration::from_mins(61)).await.unwrap();
    assert_eq!(late.escalated, 1);
    let tasks = json_of(app.get("/api/v1/tasks").await, StatusCode::OK).await;
    let titles: Vec<&str> = tasks["items"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap()).collect();
    assert!(titles.iter().any(|t| t.starts_with("Answer ticket #")), "{titles:?}");
    assert!(titles.iter().any(|t| t.contains("past its promised time")), "{titles:?}");

    // Waiting on the customer pauses the clocks; the wait pushes the resolution later.
    let pending =
        json_of(app.patch(&format!("/api/v1/tickets/{id}"), None, json!({"status": "pending"})).await, StatusCode::OK)
            .await;
    assert!(pending["due_at"].is_null(), "{pending}");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let open =
        json_of(app.patch(&format!("/api/v1/tickets/{id}"), None, json!({"status": "open"})).await, StatusCode::OK)
            .await;
    let moved: jiff::Timestamp = open["resolution_due"].as_str().unwrap().parse().unwrap();
    assert!(
        moved.duration_since(resolution_due) >= jiff::SignedDuration::from_secs(1),
        "{moved} after {resolution_due}"
    );
    assert!(open["due_at"].is_string());
    // A change that names no real member of staff is refused and changes nothing.
    let refused = app.patch(&format!("/api/v1/tickets/{id}"), None, json!({"assignee": "nobody@example.in"})).await;
    assert_eq!(common::problem_fields(refused).await, ["assignee"]);
});
