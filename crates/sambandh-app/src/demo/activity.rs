//! A working day in the demo business: tickets waiting in each branch's inbox, tasks
//! due (one of them late), deals at every stage, and calls and notes on the timelines
//! of the first customers of each branch — so that a new user has something to do.

use jiff::{SignedDuration, Timestamp};
use sambandh_domain::{ContactId, DealInput, InteractionInput, LanguageTag, TaskInput, TicketInput};
use sambandh_store::{ContactFilter, ContactSort, PageRequest, TicketFilter};

use super::DemoBranch;
use crate::desk::TicketRequest;
use crate::directory::Directory;
use crate::{App, AppResult, Caller};

/// What the customers of a branch write and staff note, in the branch's language.
struct Lines {
    tickets: [(&'static str, &'static str, &'static str); 2],
    call_note: &'static str,
    task: &'static str,
    deals: [&'static str; 3],
}

fn lines(branch: DemoBranch) -> Lines {
    match branch {
        DemoBranch::Chennai => Lines {
            tickets: [
                ("ஆர்டர் இன்னும் வரவில்லை", "நான் 18ஆம் தேதி ஆர்டர் செய்த பட்டுப் புடவை இன்னும் வரவில்லை. எப்போது வரும்?", "email"),
                ("விலைப்பட்டியல் தேவை", "கடந்த மாத விலைப்பட்டியலின் நகலை அனுப்ப முடியுமா?", "phone"),
            ],
            call_note: "தீபாவளிக்கு புதிய சேலைகள் பற்றி கேட்டார்; அடுத்த வாரம் திரும்ப அழைக்கவும்.",
            task: "திரும்ப அழைக்கவும்",
            deals: ["திருமண சேலைகள் — 12 எண்ணம்", "அலுவலக சீருடை", "பொங்கல் பரிசுப் பொதிகள்"],
        },
        DemoBranch::Ahmedabad => Lines {
            tickets: [
                ("ઓર્ડર હજી મળ્યો નથી", "મેં ૧૮ તારીખે આપેલો ઓર્ડર હજી મળ્યો નથી. ક્યારે આવશે?", "email"),
                ("બિલની નકલ જોઈએ", "ગયા મહિનાના બિલની નકલ મોકલી શકશો?", "phone"),
            ],
            call_note: "નવરાત્રી માટે ચણિયાચોળી વિશે પૂછ્યું; આવતા અઠવાડિયે ફરી ફોન કરવો.",
            task: "ફરી ફોન કરવો",
            deals: ["લગ્નના પોશાક — ૮ સેટ", "ઓફિસ યુનિફોર્મ", "દિવાળી ભેટ પેકેટ"],
        },
        DemoBranch::Lucknow => Lines {
            tickets: [
                ("ऑर्डर अभी तक नहीं मिला", "मैंने 18 तारीख़ को जो ऑर्डर दिया था, वह अभी तक नहीं मिला। कब तक आएगा?", "email"),
                ("बिल की कॉपी चाहिए", "पिछले महीने के बिल की कॉपी भेज सकते हैं?", "phone"),
            ],
            call_note: "दिवाली के लिए चिकनकारी कुर्तों के बारे में पूछा; अगले हफ़्ते फिर फ़ोन करें।",
            task: "फिर फ़ोन करें",
            deals: ["शादी के कपड़े — 10 सेट", "दफ़्तर की वर्दी", "दिवाली उपहार पैकेट"],
        },
    }
}

/// Who works each branch's inbox in the demo.
fn staff_of(branch: DemoBranch) -> &'static str {
    match branch {
        DemoBranch::Chennai => "manager.chennai@demo.sambandh.in",
        DemoBranch::Ahmedabad => "agent.ahmedabad@demo.sambandh.in",
        DemoBranch::Lucknow => "agent.lucknow@demo.sambandh.in",
    }
}

impl App {
    /// Adds the working day, once: a database that has tickets already is left alone.
    pub(super) async fn seed_demo_activity(&self, caller: &Caller) -> AppResult<()> {
        let any = self.tickets(caller, &TicketFilter::default(), &PageRequest { limit: 1, cursor: None }).await?;
        if !any.items.is_empty() {
            return Ok(());
        }
        let directory = Directory::load(self).await?;
        let now = crate::now();
        let stages = ["lead", "qualified", "proposal", "negotiation", "won"];
        for branch in DemoBranch::ALL {
            let Some(branch_id) = sambandh_domain::References::branch(&directory, branch.name()) else { continue };
            let filter = ContactFilter { branch_id: Some(branch_id), ..ContactFilter::default() };
            let first = PageRequest { limit: 4, cursor: None };
            let contacts = self.list_contacts(caller, &filter, ContactSort::Created, &first).await?.items;
            let lines = lines(branch);
            let staff = staff_of(branch);
            for (idx, contact) in contacts.iter().enumerate() {
                let language = contact.data.language.as_ref().map(LanguageTag::to_string);
                if let Some((subject, text, source)) = lines.tickets.get(idx) {
                    let request = TicketRequest {
                        contact_id: Some(contact.id),
                        ticket: TicketInput {
                            subject: Some((*subject).into()),
                            text: Some((*text).into()),
                            source: Some((*source).into()),
                            priority: Some(if idx == 0 { "high" } else { "normal" }.into()),
                            language: language.clone(),
                        },
                        ..TicketRequest::default()
                    };
                    self.create_ticket(caller, &request).await?;
                }
                self.log_demo_call(caller, contact.id, staff, lines.call_note, now, idx).await?;
                // One task late, one due today, the others later.
                let due = now + SignedDuration::from_hours(24 * i64::try_from(idx).unwrap_or(0) - 20);
                let name = contact.data.full_name();
                let task = TaskInput {
                    title: Some(format!("{} — {name}", lines.task)),
                    due_at: Some(due.to_string()),
                    assignee: Some(staff.into()),
                    contact: Some(contact.id.to_string()),
                    ..TaskInput::default()
                };
                self.create_task(caller, &task).await?;
                if let Some(title) = lines.deals.get(idx) {
                    let deal = DealInput {
                        title: Some((*title).into()),
                        contact: Some(contact.id.to_string()),
                        stage: Some(stages[(idx + branch as usize) % stages.len()].into()),
                        amount: Some(format!("{}", 45_000 * (idx + 1) + 12_500 * branch as usize)),
                        owner: Some(staff.into()),
                        ..DealInput::default()
                    };
                    self.create_deal(caller, &deal).await?;
                }
            }
        }
        Ok(())
    }

    async fn log_demo_call(
        &self,
        caller: &Caller,
        contact_id: ContactId,
        staff: &str,
        note: &str,
        now: Timestamp,
        idx: usize,
    ) -> AppResult<()> {
        let days_ago = SignedDuration::from_hours(24 * (3 + i64::try_from(idx).unwrap_or(0)));
        let call = InteractionInput {
            kind: Some("call".into()),
            occurred_at: Some((now - days_ago).to_string()),
            staff: Some(staff.into()),
            direction: Some(if idx.is_multiple_of(2) { "in" } else { "out" }.into()),
            duration_seconds: Some("240".into()),
            outcome: Some("answered".into()),
            text: Some(note.into()),
            ..InteractionInput::default()
        };
        self.log_interaction(caller, contact_id, &call).await?;
        Ok(())
    }
}
