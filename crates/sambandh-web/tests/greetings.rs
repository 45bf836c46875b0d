//! Greetings end to end over HTTP on both engines, delivered to a real SMTP server on
//! loopback (aiosmtpd, `scripts/smtp-sink.py`): the daily run, review, one message
//! per person in their language, consent at the moment of sending, the frequency cap,
//! the one-click unsubscribe.
#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

mod common;

use common::{Sink, TestApp};
use reqwest::StatusCode;
use sambandh_app::Caller;
use sambandh_app::outbox::SendOptions;
use serde_json::{Value, json};

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    let got = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    body
}

/// Yesterday in India: greetings of a day already begun are due at once.
fn yesterday() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("Asia/Kolkata").unwrap().date().yesterday().unwrap()
}

async fn contact(app: &TestApp, body: Value) -> String {
    let created = json_of(app.post("/api/v1/contacts", body).await, StatusCode::CREATED).await;
    created["id"].as_str().unwrap().to_owned()
}

async fn consent(app: &TestApp, id: &str, status: &str) {
    let body = json!({"purpose": "greetings", "channel": "email", "status": status, "method": "form"});
    json_of(app.post(&format!("/api/v1/contacts/{id}/consents"), body).await, StatusCode::CREATED).await;
}

/// The current state of consent to greetings by e-mail, from a consents document.
fn greetings_by_email(consents: &Value) -> String {
    let current = consents["current"].as_array().unwrap();
    let entry = current.iter().find(|c| c["purpose"] == "greetings" && c["channel"] == "email").unwrap();
    entry["status"].as_str().unwrap().to_owned()
}

async fn allow_any_hour(app: &TestApp) {
    // No quiet hours, so that the test does not depend on the time it runs at.
    app.app.set_setting(&Caller::LocalOperator, "quiet_hours", "00:00-00:00").await.unwrap();
    app.app.set_setting(&Caller::LocalOperator, "organisation_name", "Saravana Stores").await.unwrap();
    app.app.set_setting(&Caller::LocalOperator, "mail_from", "wishes@saravana.example").await.unwrap();
}

api_test!(greetings_wait_in_review_and_arrive_one_per_person_in_their_language, |app| {
    app.chennai().await;
    allow_any_hour(&app).await;
    let day = yesterday();
    let birthday = format!("--{:02}-{:02}", day.month(), day.day());
    let karthik = contact(
        &app,
        json!({"honorific": "Thiru", "given_name": "கார்த்திக்", "father_name": "R.", "name_latin": "R. Karthik",
               "language": "ta", "birthday": birthday, "emails": ["karthik@example.in"], "branch": "Chennai"}),
    )
    .await;
    let rajesh = contact(
        &app,
        json!({"honorific": "Shri", "given_name": "Rajesh", "family_name": "Sharma", "other_names": {"Deva": "राजेश शर्मा"},
               "language": "hi", "birthday": format!("1980-{:02}-{:02}", day.month(), day.day()),
               "emails": ["rajesh@example.in"], "branch": "Chennai"}),
    )
    .await;
    let ramesh = contact(
        &app,
        json!({"honorific": "Shri", "given_name": "રમેશ", "family_name": "પટેલ", "language": "gu", "birthday": birthday,
               "emails": ["ramesh@example.in"], "branch": "Chennai"}),
    )
    .await;
    // Marathi has no template: the chain ends in English.
    let anil = contact(
        &app,
        json!({"honorific": "Mr", "given_name": "Anil", "family_name": "Deshmukh", "language": "mr", "birthday": birthday,
               "emails": ["anil@example.in"], "branch": "Chennai"}),
    )
    .await;
    // Asked for nothing: not greeted.
    let priya =
        contact(&app, json!({"given_name": "Priya", "birthday": birthday, "emails": ["priya@example.in"]})).await;
    // Agreed, then changed her mind before the run.
    let meena =
        contact(&app, json!({"given_name": "Meena", "birthday": birthday, "emails": ["meena@example.in"]})).await;
    for id in [&karthik, &rajesh, &ramesh, &anil, &meena] {
        consent(&app, id, "given").await;
    }
    consent(&app, &meena, "withdrawn").await;

    // The run of the day before prepares them (the rules look a day ahead), once.
    let before = day.yesterday().unwrap().to_string();
    let run = json_of(app.post("/api/v1/greetings/runs", json!({"date": before})).await, StatusCode::OK).await;
    assert_eq!(run["created"], 4);
    let again =
        json_of(app.post("/api/v1/greetings/runs", json!({"date": day.to_string()})).await, StatusCode::OK).await;
    assert_eq!(again["created"], 0, "a second run prepares nothing new");

    let list = json_of(app.get(&format!("/api/v1/greetings?date={day}&status=review")).await, StatusCode::OK).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    let of = |id: &str| items.iter().find(|g| g["contact_id"] == id).unwrap_or_else(|| panic!("no greeting for {id}"));
    assert!(items.iter().all(|g| g["contact_id"] != priya.as_str() && g["contact_id"] != meena.as_str()));
    let opening = |id: &str| of(id)["body"].as_str().unwrap().lines().next().unwrap().to_owned();
    assert_eq!(opening(&karthik), "அன்புள்ள திரு. கார்த்திக் அவர்களுக்கு,");
    assert_eq!(opening(&rajesh), "प्रिय श्री राजेश जी,");
    assert_eq!(opening(&ramesh), "પ્રિય શ્રી રમેશભાઈ,");
    assert_eq!(opening(&anil), "Dear Mr. Deshmukh,");
    assert_eq!(of(&anil)["language"], "en");
    assert_eq!(of(&karthik)["subject"], "இனிய பிறந்தநாள் வாழ்த்துகள், கார்த்திக்");
    assert!(of(&rajesh)["body"].as_str().unwrap().contains("Saravana Stores परिवार"));
    // 09:00 in the contact's zone (India: 03:30 UTC).
    assert_eq!(of(&karthik)["send_at"], format!("{day}T03:30:00Z"));

    // Staff edit one and approve the day.
    let edited =
        json!({"decision": "approve", "body": format!("{}\n\nஉங்கள் புதிய கடை சிறக்க வாழ்த்துகள்!", opening(&karthik))});
    let path = format!("/api/v1/greetings/{}/decision", of(&karthik)["id"].as_str().unwrap());
    let approved = json_of(app.post(&path, edited).await, StatusCode::OK).await;
    assert_eq!(approved["status"], "approved");
    let rest = json_of(
        app.post("/api/v1/greetings/decisions", json!({"date": day.to_string(), "decision": "approve"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rest["decided"], 3);
    // Deciding twice is refused, and changes nothing.
    assert_eq!(app.post(&path, json!({"decision": "skip"})).await.status(), StatusCode::BAD_REQUEST);

    // Rajesh withdraws after approval, before sending: honoured.
    consent(&app, &rajesh, "withdrawn").await;

    let sink = Sink::start();
    let report = app.app.send_outbox(&sink.channels(), &SendOptions::default()).await.unwrap();
    assert_eq!((report.sent, report.withheld), (3, 1));
    let mail = sink.received();
    assert_eq!(mail.len(), 3);
    for message in &mail {
        assert_eq!(message["rcpt_tos"].as_array().unwrap().len(), 1, "one recipient per message");
        assert!(message["headers"].get("Cc").is_none() && message["headers"].get("Bcc").is_none());
        assert_eq!(message["headers"]["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
    }
    let to = |address: &str| {
        mail.iter().find(|m| m["rcpt_tos"][0] == address).unwrap_or_else(|| panic!("nothing to {address}"))
    };
    assert_eq!(to("karthik@example.in")["headers"]["Subject"], "இனிய பிறந்தநாள் வாழ்த்துகள், கார்த்திக்");
    assert!(to("karthik@example.in")["body"].as_str().unwrap().contains("உங்கள் புதிய கடை சிறக்க வாழ்த்துகள்!"));
    assert!(to("ramesh@example.in")["body"].as_str().unwrap().starts_with("પ્રિય શ્રી રમેશભાઈ,"));
    assert_eq!(to("anil@example.in")["headers"]["From"], "Saravana Stores <wishes@saravana.example>");

    let statuses = json_of(app.get(&format!("/api/v1/greetings?date={day}")).await, StatusCode::OK).await;
    let mut counted: Vec<String> =
        statuses["items"].as_array().unwrap().iter().map(|g| g["status"].as_str().unwrap().to_owned()).collect();
    counted.sort();
    assert_eq!(counted, ["sent", "sent", "sent", "withheld"]);
    // Sending again sends nothing twice.
    let again = app.app.send_outbox(&sink.channels(), &SendOptions::default()).await.unwrap();
    assert_eq!(again.handled(), 0);
    assert_eq!(sink.received().len(), 3);

    // The one-click unsubscribe of Karthik's message withdraws his consent.
    let link = to("karthik@example.in")["headers"]["List-Unsubscribe"].as_str().unwrap().to_owned();
    let token = link.trim_matches(['<', '>']).rsplit('/').next().unwrap().to_owned();
    let page = app.anonymous.get(app.url(&format!("/unsubscribe/{token}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let consents = json_of(app.get(&format!("/api/v1/contacts/{karthik}/consents")).await, StatusCode::OK).await;
    assert_eq!(greetings_by_email(&consents), "given", "opening the page alone changes nothing");
    let click = app
        .anonymous
        .post(app.url(&format!("/unsubscribe/{token}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(click.status(), StatusCode::OK);
    let consents = json_of(app.get(&format!("/api/v1/contacts/{karthik}/consents")).await, StatusCode::OK).await;
    assert_eq!(greetings_by_email(&consents), "withdrawn");
});

api_test!(one_cap_over_every_message_and_festivals_only_for_those_who_chose_them, |app| {
    app.chennai().await;
    allow_any_hour(&app).await;
    app.app.set_setting(&Caller::LocalOperator, "frequency_cap", "1/7d").await.unwrap();
    let day = yesterday();
    // Diwali falls on this day this year, as an admin set it.
    let set = json!({"key": "diwali", "date": day.to_string()});
    json_of(app.client.put(app.url("/api/v1/calendar")).json(&set).send().await.unwrap(), StatusCode::OK).await;
    let calendar = json_of(app.get(&format!("/api/v1/calendar?year={}", day.year())).await, StatusCode::OK).await;
    let diwali = calendar["items"].as_array().unwrap().iter().find(|f| f["key"] == "diwali").unwrap().clone();
    assert_eq!(
        (diwali["date"].as_str(), diwali["source"].as_str()),
        (Some(day.to_string().as_str()), Some("override"))
    );

    let birthday = format!("--{:02}-{:02}", day.month(), day.day());
    let lakshmi = contact(
        &app,
        json!({"honorific": "Smt", "given_name": "लक्ष्मी", "language": "hi", "birthday": birthday, "emails": ["lakshmi@example.in"]}),
    )
    .await;
    let joseph =
        contact(&app, json!({"given_name": "Joseph", "language": "en", "emails": ["joseph@example.in"]})).await;
    for id in [&lakshmi, &joseph] {
        consent(&app, id, "given").await;
    }
    // Lakshmi chose Diwali; Joseph chose nothing but Christmas.
    for (id, occasion) in [(&lakshmi, "festival:diwali"), (&joseph, "festival:christmas")] {
        let choice = json!({"occasion": occasion, "method": "form"});
        json_of(app.post(&format!("/api/v1/contacts/{id}/occasions"), choice).await, StatusCode::CREATED).await;
    }
    let bad = app
        .post(&format!("/api/v1/contacts/{joseph}/occasions"), json!({"occasion": "diwali", "method": "form"}))
        .await;
    assert_eq!(common::problem_fields(bad).await, ["occasion"]);

    let run = json_of(app.post("/api/v1/greetings/runs", json!({"date": day.to_string()})).await, StatusCode::OK).await;
    assert_eq!(run["created"], 2, "Lakshmi's birthday and her Diwali; nothing for Joseph");
    let list = json_of(app.get(&format!("/api/v1/greetings?date={day}")).await, StatusCode::OK).await;
    let diwali = list["items"].as_array().unwrap().iter().find(|g| g["occasion"] == "festival:diwali").unwrap().clone();
    assert_eq!(diwali["subject"], "दिवाली की हार्दिक शुभकामनाएँ");
    assert!(diwali["body"].as_str().unwrap().starts_with("प्रिय श्रीमती लक्ष्मी जी,"));
    json_of(
        app.post("/api/v1/greetings/decisions", json!({"date": day.to_string(), "decision": "approve"})).await,
        StatusCode::OK,
    )
    .await;

    // At most one message a week: the second greeting of the day is withheld.
    let sink = Sink::start();
    let report = app.app.send_outbox(&sink.channels(), &SendOptions::default()).await.unwrap();
    assert_eq!((report.sent, report.withheld), (1, 1));
    assert_eq!(sink.received().len(), 1);
});

api_test!(rules_and_templates_are_checked_and_a_template_previews_for_a_real_contact, |app| {
    app.chennai().await;
    let karthik =
        contact(&app, json!({"honorific": "Thiru", "given_name": "கார்த்திக்", "language": "ta-IN", "branch": "Chennai"}))
            .await;
    let preview = json_of(
        app.get(&format!("/api/v1/templates/festival/preview?contact={karthik}&occasion=festival:pongal")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(preview["language"], "ta");
    assert_eq!(preview["subject"], "இனிய தைப் பொங்கல் நல்வாழ்த்துகள்");

    let broken = json!({"key": "festival", "language": "ta", "subject": "{{ occasion_name", "body": "x"});
    let refused = app.client.put(app.url("/api/v1/templates")).json(&broken).send().await.unwrap();
    assert_eq!(common::problem_fields(refused).await, ["subject"]);
    // A template that would loop for ever runs out of fuel instead of hanging the run.
    let endless = json!({"key": "festival", "language": "ta", "subject": "x",
                         "body": "{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}"});
    assert_eq!(
        app.client.put(app.url("/api/v1/templates")).json(&endless).send().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let stopped = app.get(&format!("/api/v1/templates/festival/preview?contact={karthik}")).await;
    assert_eq!(stopped.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let rule = json!({"name": "Gold birthdays by SMS", "occasion": "birthday", "tiers": ["gold"], "channel": "sms",
                      "template": "birthday", "send_time": "10:30", "lead_days": 3});
    let saved =
        json_of(app.client.put(app.url("/api/v1/greeting-rules")).json(&rule).send().await.unwrap(), StatusCode::OK)
            .await;
    assert_eq!((saved["send_time"].as_str(), saved["auto_send"].as_bool()), (Some("10:30"), Some(false)));
    let bad = json!({"name": "", "occasion": "anniversary", "template": "nope", "send_time": "9am", "lead_days": 99});
    let refused = app.client.put(app.url("/api/v1/greeting-rules")).json(&bad).send().await.unwrap();
    assert_eq!(common::problem_fields(refused).await, ["name", "occasion", "send_time", "lead_days"]);

    // Agents review; only owners and admins change rules.
    let agent = app.staff("meena@test.in", "agent", Some("Chennai")).await;
    let forbidden = agent.put(app.url("/api/v1/greeting-rules")).json(&rule).send().await.unwrap();
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
});

/// A stand-in of MSG91's "Send SMS via Flow" API (v5), as documented: `POST
/// /api/v5/flow/` with an `authkey` header and `{flow_id, sender, recipients: [{mobiles,
/// …variables}]}`, answering `{"type": "success", "message": <request id>}`, or an error
/// for a number it does not serve. It keeps what it was sent.
async fn sms_stand_in() -> (String, std::sync::Arc<std::sync::Mutex<Vec<Value>>>) {
    use axum::http::HeaderMap;
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = std::sync::Arc::clone(&received);
    let flow = axum::routing::post(move |headers: HeaderMap, axum::Json(body): axum::Json<Value>| {
        let kept = std::sync::Arc::clone(&kept);
        async move {
            if headers.get("authkey").and_then(|key| key.to_str().ok()) != Some("test-key") {
                return (
                    StatusCode::UNAUTHORIZED,
                    axum::Json(json!({"type": "error", "message": "Authentication failure"})),
                );
            }
            let mobiles = body["recipients"][0]["mobiles"].as_str().unwrap_or_default().to_owned();
            kept.lock().unwrap().push(body);
            if mobiles.starts_with("91999") {
                return (
                    StatusCode::BAD_REQUEST,
                    axum::Json(json!({"type": "error", "message": "Invalid mobile number"})),
                );
            }
            (StatusCode::OK, axum::Json(json!({"type": "success", "message": "3763646c3058373530393138"})))
        }
    });
    let router = axum::Router::new().route("/api/v5/flow/", flow);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (base, received)
}

/// Two contacts of Chennai with a birthday yesterday who agreed to greetings on
/// `channel`, a rule greeting birthdays there, and the day's greetings run and
/// approved: the day and the two contacts' ids.
async fn approved_birthday_greetings(
    app: &TestApp,
    channel: &str,
    first: Value,
    second: Value,
) -> (jiff::civil::Date, String, String) {
    app.chennai().await;
    allow_any_hour(app).await;
    let rule = json!({"name": format!("Birthdays by {channel}"), "occasion": "birthday", "channel": channel,
        "template": "birthday"});
    json_of(app.client.put(app.url("/api/v1/greeting-rules")).json(&rule).send().await.unwrap(), StatusCode::OK).await;
    let day = yesterday();
    let mut ids = Vec::new();
    for mut body in [first, second] {
        body["birthday"] = json!(format!("--{:02}-{:02}", day.month(), day.day()));
        body["branch"] = json!("Chennai");
        let id = contact(app, body).await;
        let consent = json!({"purpose": "greetings", "channel": channel, "status": "given", "method": "verbal"});
        json_of(app.post(&format!("/api/v1/contacts/{id}/consents"), consent).await, StatusCode::CREATED).await;
        ids.push(id);
    }
    let run = json_of(app.post("/api/v1/greetings/runs", json!({"date": day.to_string()})).await, StatusCode::OK).await;
    assert_eq!(run["created"], 2);
    json_of(
        app.post("/api/v1/greetings/decisions", json!({"date": day.to_string(), "decision": "approve"})).await,
        StatusCode::OK,
    )
    .await;
    let second = ids.pop().unwrap();
    (day, ids.pop().unwrap(), second)
}

api_test!(greetings_go_by_sms_through_the_gateway, |app| {
    let (day, valli, unserved) = approved_birthday_greetings(
        &app,
        "sms",
        json!({"honorific": "Selvi", "given_name": "வள்ளி", "language": "ta", "phones": ["98400 12345"]}),
        json!({"given_name": "Ravi", "language": "en", "phones": ["99999 00001"]}),
    )
    .await;

    let (base, received) = sms_stand_in().await;
    let channels = sambandh_app::outbox::Channels {
        smtp: None,
        sms: Some(sambandh_channels::Gateway::new(&base, "test-key", "flow-greetings", "SRVNA")),
        whatsapp: None,
    };
    let report = app.app.send_outbox(&channels, &SendOptions::default()).await.unwrap();
    assert_eq!((report.sent, report.failed), (1, 1), "the gateway refused one number for good");
    let requests = received.lock().unwrap().clone();
    let to_valli = requests.iter().find(|r| r["recipients"][0]["mobiles"] == "919840012345").unwrap();
    assert_eq!((to_valli["flow_id"].as_str(), to_valli["sender"].as_str()), (Some("flow-greetings"), Some("SRVNA")));
    assert_eq!(to_valli["unicode"], 1);
    assert!(to_valli["recipients"][0]["body"].as_str().unwrap().starts_with("அன்புள்ள செல்வி வள்ளி அவர்களுக்கு,"));
    let list = json_of(app.get(&format!("/api/v1/greetings?date={day}")).await, StatusCode::OK).await;
    let status_of =
        |id: &str| list["items"].as_array().unwrap().iter().find(|g| g["contact_id"] == id).unwrap()["status"].clone();
    assert_eq!((status_of(&valli), status_of(&unserved)), (json!("sent"), json!("failed")));
});

api_test!(a_date_of_their_own_is_greeted_and_opting_out_of_a_birthday_is_honoured, |app| {
    app.chennai().await;
    let day = yesterday();
    let md = format!("{:02}-{:02}", day.month(), day.day());
    let joseph = contact(
        &app,
        json!({"honorific": "Mr", "given_name": "Joseph", "family_name": "Mathew", "language": "en",
               "birthday": format!("--{md}"), "emails": ["joseph@example.in"]}),
    )
    .await;
    consent(&app, &joseph, "given").await;
    let own = json!({"occasion": "custom:wedding anniversary", "on": md, "method": "verbal"});
    json_of(app.post(&format!("/api/v1/contacts/{joseph}/occasions"), own).await, StatusCode::CREATED).await;
    // He asked not to be greeted on his birthday.
    let no_birthday = json!({"occasion": "birthday", "greet": false, "method": "verbal"});
    json_of(app.post(&format!("/api/v1/contacts/{joseph}/occasions"), no_birthday).await, StatusCode::CREATED).await;
    let bad = json!({"occasion": "custom:shop opening", "method": "verbal"});
    let refused = app.post(&format!("/api/v1/contacts/{joseph}/occasions"), bad).await;
    assert_eq!(common::problem_fields(refused).await, ["on"]);

    let run = json_of(app.post("/api/v1/greetings/runs", json!({"date": day.to_string()})).await, StatusCode::OK).await;
    assert_eq!(run["created"], 1);
    let list = json_of(app.get(&format!("/api/v1/greetings?date={day}")).await, StatusCode::OK).await;
    let greeting = &list["items"][0];
    assert_eq!(greeting["occasion"], "custom:wedding anniversary");
    assert_eq!(greeting["subject"], "Warm wishes on your wedding anniversary");
    assert!(greeting["body"].as_str().unwrap().starts_with("Dear Mr. Mathew,"));
    let choices = json_of(app.get(&format!("/api/v1/contacts/{joseph}/occasions")).await, StatusCode::OK).await;
    assert_eq!(choices["items"].as_array().unwrap().len(), 2);
});

/// A stand-in of MSG91's WhatsApp outbound API on loopback: checks the key, keeps what
/// it is sent, refuses numbers starting 91999 as not on WhatsApp.
async fn whatsapp_stand_in() -> (String, std::sync::Arc<std::sync::Mutex<Vec<Value>>>) {
    use axum::http::HeaderMap;
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = std::sync::Arc::clone(&received);
    let bulk = axum::routing::post(move |headers: HeaderMap, axum::Json(body): axum::Json<Value>| {
        let kept = std::sync::Arc::clone(&kept);
        async move {
            if headers.get("authkey").and_then(|key| key.to_str().ok()) != Some("wa-key") {
                return (
                    StatusCode::UNAUTHORIZED,
                    axum::Json(json!({"status": "fail", "hasError": true, "errors": "Unauthorized"})),
                );
            }
            let to =
                body["payload"]["template"]["to_and_components"][0]["to"][0].as_str().unwrap_or_default().to_owned();
            kept.lock().unwrap().push(body);
            if to.starts_with("91999") {
                return (
                    StatusCode::BAD_REQUEST,
                    axum::Json(
                        json!({"status": "fail", "hasError": true, "errors": "Recipient is not a WhatsApp user"}),
                    ),
                );
            }
            (StatusCode::OK, axum::Json(json!({"status": "success", "hasError": false, "request_id": "wa-1"})))
        }
    });
    let router = axum::Router::new().route("/api/v5/whatsapp/whatsapp-outbound-message/bulk/", bulk);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (base, received)
}

api_test!(greetings_go_by_whatsapp_through_the_gateway_in_the_customers_language, |app| {
    let (day, meena, not_on_whatsapp) = approved_birthday_greetings(
        &app,
        "whatsapp",
        json!({"honorific": "Smt", "given_name": "मीना", "language": "hi", "phones": ["98400 22222"]}),
        json!({"given_name": "Ravi", "language": "en", "phones": ["99999 00001"]}),
    )
    .await;

    let (base, received) = whatsapp_stand_in().await;
    let channels = sambandh_app::outbox::Channels {
        smtp: None,
        sms: None,
        whatsapp: Some(sambandh_channels::WhatsAppGateway::new(
            &base,
            "wa-key",
            "+919840000000",
            "sambandh_message",
            "ns-1",
        )),
    };
    let report = app.app.send_outbox(&channels, &SendOptions::default()).await.unwrap();
    assert_eq!((report.sent, report.failed), (1, 1), "the gateway refused one number for good");
    let requests = received.lock().unwrap().clone();
    let to_meena =
        requests.iter().find(|r| r["payload"]["template"]["to_and_components"][0]["to"][0] == "919840022222").unwrap();
    assert_eq!(to_meena["integrated_number"], "919840000000");
    let template = &to_meena["payload"]["template"];
    assert_eq!(
        (template["name"].as_str(), template["language"]["code"].as_str()),
        (Some("sambandh_message"), Some("hi"))
    );
    let text = template["to_and_components"][0]["components"]["body_1"]["value"].as_str().unwrap();
    assert!(text.starts_with("प्रिय श्रीमती मीना जी"), "{text}");
    let list = json_of(app.get(&format!("/api/v1/greetings?date={day}")).await, StatusCode::OK).await;
    let status_of =
        |id: &str| list["items"].as_array().unwrap().iter().find(|g| g["contact_id"] == id).unwrap()["status"].clone();
    assert_eq!((status_of(&meena), status_of(&not_on_whatsapp)), (json!("sent"), json!("failed")));
});
