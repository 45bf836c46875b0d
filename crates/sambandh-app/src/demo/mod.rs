//! `sambandh demo`: a believable business to try Sambandh on — three branches
//! (Chennai, Ahmedabad, Lucknow), contacts in Tamil, Gujarati and Devanagari script
//! with their Latin forms, companies with valid GSTINs, and a working day of tickets,
//! tasks, deals and calls. Everything goes through
//! the same operations (and so the same validation) as the API and the import.

mod activity;
mod people;

use sambandh_domain::{BranchInput, CompanyInput, ContactInput, References, UserInput};

use crate::directory::Directory;
use crate::imports::{IncomingContact, Upserted};
use crate::{App, AppError, AppResult, Caller};

pub use people::{DemoBranch, gstin_check_char};

#[derive(Debug, Clone, Copy, Default)]
pub struct DemoReport {
    pub branches_created: usize,
    pub contacts_created: u64,
    pub contacts_updated: u64,
    pub companies_created: usize,
}

/// The password of every demo account. Public on purpose: demo data only.
pub const DEMO_PASSWORD: &str = "sambandh-demo";
/// The e-mail domain of the demo accounts.
pub const DEMO_DOMAIN: &str = "@demo.sambandh.in";

impl App {
    /// One account per role, so that each can be tried — only into a database that has
    /// no accounts yet or only demo ones: their password is public.
    async fn seed_demo_staff(&self, caller: &Caller) -> AppResult<()> {
        let users = self.store.users().await?;
        if users.iter().any(|user| !user.data.email.as_str().ends_with(DEMO_DOMAIN)) {
            return Ok(());
        }
        let existing = Directory::load(self).await?;
        let staff = [
            ("owner", "Lakshmi Narayanan", "owner", None, &["ta", "en"][..]),
            ("admin", "Farhan Qureshi", "admin", None, &["hi", "ur", "en"][..]),
            ("manager.chennai", "செல்வி முருகன்", "manager", Some(DemoBranch::Chennai), &["ta", "en"][..]),
            ("agent.ahmedabad", "હેતલ પટેલ", "agent", Some(DemoBranch::Ahmedabad), &["gu", "hi"][..]),
            ("agent.lucknow", "अंकित श्रीवास्तव", "agent", Some(DemoBranch::Lucknow), &["hi", "en"][..]),
            ("viewer", "Accounts office", "viewer", None, &["en"][..]),
        ];
        for (local, name, role, branch, languages) in staff {
            let email = format!("{local}{DEMO_DOMAIN}");
            if existing.user(&email).is_some() {
                continue;
            }
            let input = UserInput {
                email: Some(email),
                name: Some(name.into()),
                role: Some(role.into()),
                branch: branch.map(|branch| branch.name().to_owned()),
                languages: languages.iter().map(|l| (*l).to_owned()).collect(),
            };
            self.add_user(caller, &input, Some(DEMO_PASSWORD.to_owned())).await?;
        }
        Ok(())
    }

    /// Adds the demo branches (when missing), `n_contacts` contacts and about one
    /// company per 20 contacts. Running it again updates the same contacts (their
    /// external ids are `DEMO-000000`, …) instead of adding more.
    pub async fn seed_demo(
        &self,
        caller: &Caller,
        n_contacts: usize,
        mut progress: impl FnMut(u64),
    ) -> AppResult<DemoReport> {
        const SEED: u64 = 0x5A4B_A4D4;
        let mut report = DemoReport::default();
        let existing = Directory::load(self).await?;
        for branch in DemoBranch::ALL {
            if existing.branch(branch.name()).is_none() {
                let input = BranchInput {
                    name: Some(branch.name().into()),
                    city: Some(branch.city().into()),
                    region: Some(branch.region().into()),
                    time_zone: Some(branch.time_zone().into()),
                    language: Some(branch.language().into()),
                };
                self.add_branch(caller, &input).await?;
                report.branches_created += 1;
            }
        }

        self.seed_demo_staff(caller).await?;

        let people = people::demo_people(n_contacts, SEED);
        let mut done = 0_u64;
        for chunk in people.chunks(crate::imports::BATCH_ROWS) {
            let incoming = chunk
                .iter()
                .enumerate()
                .map(|(idx, person)| IncomingContact {
                    row: done + idx as u64 + 1,
                    input: contact_input(person),
                    cells: Vec::new(),
                    wishes: demo_wishes(done as usize + idx, person),
                })
                .collect();
            for outcome in self.upsert_contacts(caller, incoming).await? {
                match outcome {
                    Upserted::Created(_) => report.contacts_created += 1,
                    Upserted::Updated(_) => report.contacts_updated += 1,
                    Upserted::Rejected(rejection) => {
                        return Err(AppError::Unexpected(anyhow::anyhow!(
                            "demo contact {} was rejected: {}",
                            rejection.row,
                            rejection.reason
                        )));
                    }
                }
            }
            done += chunk.len() as u64;
            progress(done);
        }

        for company in people::demo_companies(n_contacts, SEED) {
            let input = CompanyInput {
                legal_name: Some(company.legal_name.clone()),
                other_names: vec![(script_of(company.branch).into(), company.native_name.clone())],
                gstin: Some(company.gstin.clone()),
                industry: Some(company.industry.into()),
                founded_on: Some(company.founded_on.clone()),
                branch: Some(company.branch.name().into()),
            };
            match self.create_company(caller, &input).await {
                Ok(_) => report.companies_created += 1,
                // Seeded before: the GSTIN is taken by the same company.
                Err(AppError::Conflict { field: "gstin" }) => {}
                Err(err) => return Err(err),
            }
        }
        self.store.bulk_loaded().await?;
        self.seed_demo_activity(caller).await?;
        Ok(report)
    }
}

fn script_of(branch: DemoBranch) -> &'static str {
    match branch {
        DemoBranch::Chennai => "Taml",
        DemoBranch::Ahmedabad => "Gujr",
        DemoBranch::Lucknow => "Deva",
    }
}

/// Most demo customers agreed to e-mail greetings; each chose a festival or two of
/// those kept where they live (demo choices, as a customer would tick them on a form).
fn demo_wishes(index: usize, person: &people::DemoPerson) -> crate::imports::Wishes {
    use sambandh_domain::FestivalKey as F;
    let greetings_on =
        if index % 5 == 4 || person.email.is_none() { Vec::new() } else { vec![sambandh_domain::Channel::Email] };
    let kept: &[F] = match person.branch.region() {
        "IN-TN" => &[F::Pongal, F::TamilNewYear, F::Diwali, F::Christmas],
        "IN-GJ" => &[F::Diwali, F::GujaratiNewYear, F::Navratri, F::EidAlFitr],
        _ => &[F::Holi, F::Diwali, F::RakshaBandhan, F::EidAlFitr],
    };
    let festivals = match index % 4 {
        0 => Vec::new(),
        n => vec![kept[n % kept.len()], kept[(n + index / 4) % kept.len()]],
    };
    let mut festivals = festivals;
    festivals.dedup();
    crate::imports::Wishes { greetings_on, festivals }
}

fn contact_input(person: &people::DemoPerson) -> ContactInput {
    ContactInput {
        external_id: Some(person.external_id.clone()),
        honorific: Some(person.honorific.clone()),
        given_name: Some(person.given_name.clone()),
        family_name: person.family_name.clone(),
        father_name: person.father_name.clone(),
        name_latin: Some(person.name_latin.clone()),
        gender: Some(person.gender.into()),
        language: Some(person.language.into()),
        time_zone: Some(person.branch.time_zone().into()),
        region: Some(person.branch.region().into()),
        birthday: person.birthday.clone(),
        emails: person.email.iter().cloned().collect(),
        phones: vec![person.phone.clone()],
        address_line: Some(person.address_line.clone()),
        city: Some(person.city.into()),
        pin_code: Some(person.pin_code.clone()),
        branch: Some(person.branch.name().into()),
        tags: person.tags.iter().map(|t| (*t).to_owned()).collect(),
        value_tier: person.value_tier.map(str::to_owned),
        source: Some(person.source.into()),
        ..ContactInput::default()
    }
}
