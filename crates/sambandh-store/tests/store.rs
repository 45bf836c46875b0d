//! The storage suite: every test runs on SQLite and on PostgreSQL.
#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

use jiff::Timestamp;
use sambandh_domain::{
    BranchId, BranchInput, Channel, CompanyId, CompanyInput, CompanyLink, Consent, ConsentChange, ConsentInput,
    ConsentStatus, Contact, ContactData, ContactId, ContactInput, Deal, DealData, DealId, DealInput, EmailAddress,
    Interaction, InteractionData, InteractionId, InteractionInput, Need, NeedData, NeedId, NeedInput, NewBranch,
    NewCompany, NewUser, PhoneE164, Purpose, Scope, StoredIds, Tag, User, UserId, UserInput,
};
use sambandh_store::testkit::TestDb;
use sambandh_store::{
    ApiToken, AuditEntry, AuditFilter, CompanyFilter, CompanySort, ContactFilter, ContactMatch, ContactSort, LinkOwner,
    NewSession, OccasionChoice, OccasionQuery, PageRequest, Store, StoreError, TimelineEntry, both_engines,
};
use sqlx::{AnyConnection, Connection, Executor};
use uuid::Uuid;

/// The scope of someone who sees everything (most tests are not about scoping).
const ALL: Scope = Scope::Everything;

fn now() -> Timestamp {
    Timestamp::from_second(1_790_000_000).unwrap()
}

fn contact_id(n: u128) -> ContactId {
    // UUIDv7-shaped ids in creation order, as the app makes them.
    ContactId::from_uuid(Uuid::from_u128((0x0190_0000_0000_7000_8000_0000_0000_0000) + n))
}

async fn add_branch(store: &Store, name: &str) -> BranchId {
    let id = BranchId::from_uuid(Uuid::from_u128(name.len() as u128 + 0xB0));
    let branch = NewBranch::parse(&BranchInput {
        name: Some(name.into()),
        city: Some(name.into()),
        region: Some("IN-TN".into()),
        time_zone: Some("Asia/Kolkata".into()),
        language: Some("ta".into()),
    })
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    tx.insert_branch(id, &branch, now()).await.unwrap();
    tx.commit().await.unwrap();
    id
}

fn input(given: &str, latin: &str, email: &str, phone: &str) -> ContactInput {
    ContactInput {
        honorific: Some("Thiru".into()),
        given_name: Some(given.into()),
        name_latin: Some(latin.into()),
        other_names: vec![("Deva".into(), "कार्तिक".into())],
        emails: vec![email.into()],
        phones: vec![phone.into()],
        tags: vec!["vip".into(), "retail".into()],
        custom_fields: vec![("shop_size".into(), "large".into())],
        birthday: Some("--02-29".into()),
        language: Some("ta-IN".into()),
        city: Some("Chennai".into()),
        ..ContactInput::default()
    }
}

fn contact(n: u128, input: &ContactInput, branch: Option<BranchId>) -> Contact {
    let mut data = ContactData::parse(input, &StoredIds).unwrap();
    data.branch_id = branch;
    Contact {
        id: contact_id(n),
        data,
        created_at: now(),
        updated_at: now(),
        version: 1,
        erased_at: None,
        first_deal_on: None,
    }
}

async fn insert(store: &Store, contact: &Contact) {
    let mut tx = store.begin().await.unwrap();
    tx.insert_contact(contact).await.unwrap();
    tx.commit().await.unwrap();
}

both_engines!(a_contact_round_trips_with_every_field, |store: Store| async move {
    let branch = add_branch(&store, "Chennai").await;
    let mut karthik = contact(1, &input("கார்த்திக்", "R. Karthik", "Karthik@Example.com", "98400 12345"), Some(branch));
    karthik.data.father_name = Some(sambandh_domain::NameText::parse("R.").unwrap());
    insert(&store, &karthik).await;
    let stored = store.contact(&ALL, karthik.id).await.unwrap().unwrap();
    assert_eq!(stored, karthik);
    assert_eq!(store.count_contacts(&ALL).await.unwrap(), 1);
    assert!(store.contact(&ALL, contact_id(99)).await.unwrap().is_none());
});

both_engines!(lookups_by_email_ignore_case_and_by_phone, |store: Store| async move {
    let one = contact(1, &input("ராஜா", "Raja", "raja@example.com", "98400 11111"), None);
    let two = contact(2, &input("ராணி", "Rani", "RANI@example.com", "98400 22222"), None);
    insert(&store, &one).await;
    insert(&store, &two).await;
    let found = store.contacts_by_email(&ALL, &EmailAddress::parse("rani@EXAMPLE.com").unwrap()).await.unwrap();
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [two.id]);
    let found = store.contacts_by_phone(&ALL, &PhoneE164::parse("+91 98400 11111").unwrap()).await.unwrap();
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [one.id]);
});

both_engines!(optimistic_concurrency, |store: Store| async move {
    let original = contact(1, &input("ராஜா", "Raja", "raja@example.com", "98400 11111"), None);
    insert(&store, &original).await;
    let mut changed = original.data.clone();
    changed.emails = vec![EmailAddress::parse("raja@new.example").unwrap()];
    changed.tags = vec![Tag::parse("wholesale").unwrap()];
    let later = Timestamp::from_second(1_790_000_100).unwrap();

    let mut tx = store.begin().await.unwrap();
    let updated = tx.update_contact(original.id, Some(1), &changed, later).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((updated.version, updated.updated_at), (2, later));

    let mut tx = store.begin().await.unwrap();
    let stale = tx.update_contact(original.id, Some(1), &original.data, later).await;
    assert!(matches!(stale, Err(StoreError::VersionMismatch { expected: 1, current: 2 })), "{stale:?}");
    tx.rollback().await.unwrap();

    // The side tables follow the row: the old e-mail and tag are gone.
    assert!(store.contacts_by_email(&ALL, &EmailAddress::parse("raja@example.com").unwrap()).await.unwrap().is_empty());
    assert_eq!(
        store.contacts_by_email(&ALL, &EmailAddress::parse("raja@new.example").unwrap()).await.unwrap().len(),
        1
    );
    let filter = ContactFilter { tag: Some(Tag::parse("vip").unwrap()), ..ContactFilter::default() };
    assert!(
        store.contacts(&ALL, &filter, ContactSort::Created, &PageRequest::default()).await.unwrap().items.is_empty()
    );
});

both_engines!(delete_removes_the_contact_and_its_index_rows, |store: Store| async move {
    let raja = contact(1, &input("ராஜா", "Raja", "raja@example.com", "98400 11111"), None);
    insert(&store, &raja).await;
    let mut tx = store.begin().await.unwrap();
    tx.delete_contact(raja.id).await.unwrap();
    assert!(matches!(tx.delete_contact(raja.id).await, Err(StoreError::NotFound)));
    tx.commit().await.unwrap();
    assert!(store.contact(&ALL, raja.id).await.unwrap().is_none());
    assert!(store.contacts_by_phone(&ALL, &PhoneE164::parse("98400 11111").unwrap()).await.unwrap().is_empty());
});

both_engines!(a_rolled_back_write_leaves_nothing, |store: Store| async move {
    let raja = contact(1, &input("ராஜா", "Raja", "raja@example.com", "98400 11111"), None);
    let mut tx = store.begin().await.unwrap();
    tx.insert_contact(&raja).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(store.count_contacts(&ALL).await.unwrap(), 0);
    assert!(store.contacts_by_email(&ALL, &EmailAddress::parse("raja@example.com").unwrap()).await.unwrap().is_empty());
});

both_engines!(external_id_is_unique, |store: Store| async move {
    let mut one = contact(1, &input("ராஜா", "Raja", "raja@example.com", "98400 11111"), None);
    one.data.external_id = Some(sambandh_domain::ExternalId::parse("C-1").unwrap());
    let mut two = contact(2, &input("ராணி", "Rani", "rani@example.com", "98400 22222"), None);
    two.data.external_id = one.data.external_id.clone();
    insert(&store, &one).await;
    let mut tx = store.begin().await.unwrap();
    assert!(matches!(tx.insert_contact(&two).await, Err(StoreError::Conflict { field: "external_id" })));
});

both_engines!(deferred_indexes_are_built_again_and_hold, |store: Store| async move {
    let mut one = contact(1, &input("ராஜா", "Raja", "raja@example.com", "98400 11111"), None);
    one.data.external_id = Some(sambandh_domain::ExternalId::parse("C-1").unwrap());
    let mut two = contact(2, &input("ராணி", "Rani", "rani@example.com", "98400 22222"), None);
    two.data.external_id = one.data.external_id.clone();

    // Two contacts with one external id load while the indexes are away; building
    // the unique one again refuses them, and the transaction stores nothing.
    let mut tx = store.begin().await.unwrap();
    assert!(!tx.has_contacts().await.unwrap());
    let deferred = tx.defer_contact_indexes().await.unwrap();
    tx.insert_contacts(&[one.clone(), two.clone()]).await.unwrap();
    let refused = tx.restore_indexes(deferred).await;
    assert!(matches!(refused, Err(StoreError::Conflict { field: "external_id" })), "{refused:?}");
    drop(tx);
    assert_eq!(store.count_contacts(&ALL).await.unwrap(), 0);

    // A clean load: the contact is found by its e-mail, and the unique index is back.
    let mut tx = store.begin().await.unwrap();
    let deferred = tx.defer_contact_indexes().await.unwrap();
    tx.insert_contacts(std::slice::from_ref(&one)).await.unwrap();
    tx.restore_indexes(deferred).await.unwrap();
    assert!(tx.has_contacts().await.unwrap());
    tx.commit().await.unwrap();
    let found = store.contacts_by_email(&ALL, &EmailAddress::parse("raja@example.com").unwrap()).await.unwrap();
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [one.id]);
    let mut tx = store.begin().await.unwrap();
    assert!(matches!(tx.insert_contact(&two).await, Err(StoreError::Conflict { field: "external_id" })));
});

both_engines!(import_matching_prefers_external_id_then_email_then_phone, |store: Store| async move {
    let mut one = contact(1, &input("ராஜா", "Raja", "raja@example.com", "98400 11111"), None);
    one.data.external_id = Some(sambandh_domain::ExternalId::parse("C-1").unwrap());
    let two = contact(2, &input("ராணி", "Rani", "rani@example.com", "98400 22222"), None);
    insert(&store, &one).await;
    insert(&store, &two).await;
    let email = |raw: &str| vec![EmailAddress::parse(raw).unwrap()];
    let phone = |raw: &str| vec![PhoneE164::parse(raw).unwrap()];
    let mut tx = store.begin().await.unwrap();
    let by_external = tx.match_contact(one.data.external_id.as_ref(), &email("rani@example.com"), &[]).await.unwrap();
    assert_eq!(by_external.map(|(c, how)| (c.id, how)), Some((one.id, ContactMatch::ExternalId)));
    let by_email = tx.match_contact(None, &email("RANI@example.com"), &phone("98400 11111")).await.unwrap();
    assert_eq!(by_email.map(|(c, how)| (c.id, how)), Some((two.id, ContactMatch::Email)));
    let by_phone = tx.match_contact(None, &email("nobody@example.com"), &phone("+919840011111")).await.unwrap();
    assert_eq!(by_phone.map(|(c, how)| (c.id, how)), Some((one.id, ContactMatch::Phone)));
    assert!(tx.match_contact(None, &[], &phone("98400 99999")).await.unwrap().is_none());
});

both_engines!(lists_filter_sort_and_page_with_cursors, |store: Store| async move {
    let chennai = add_branch(&store, "Chennai").await;
    let names = ["Meena", "Arun", "Zara", "Bala", "Kavya", "Deepa", "Ilango"];
    for (idx, name) in names.iter().enumerate() {
        let branch = (idx % 2 == 0).then_some(chennai);
        let mut person = contact(
            idx as u128 + 1,
            &input(name, name, &format!("{name}@example.com"), &format!("98400 1000{idx}")),
            branch,
        );
        person.updated_at = Timestamp::from_second(1_790_000_000 - idx as i64).unwrap();
        insert(&store, &person).await;
    }
    let all = ContactFilter::default();
    let mut seen = Vec::new();
    let mut page = PageRequest { limit: 3, cursor: None };
    loop {
        let result = store.contacts(&ALL, &all, ContactSort::Name, &page).await.unwrap();
        seen.extend(result.items.iter().map(|c| c.data.given_name.to_string()));
        match result.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(seen, ["Arun", "Bala", "Deepa", "Ilango", "Kavya", "Meena", "Zara"]);

    let newest_first =
        store.contacts(&ALL, &all, ContactSort::CreatedDesc, &PageRequest { limit: 2, cursor: None }).await.unwrap();
    assert_eq!(newest_first.items.iter().map(|c| c.data.given_name.as_str()).collect::<Vec<_>>(), ["Ilango", "Deepa"]);
    let next = store
        .contacts(
            &ALL,
            &all,
            ContactSort::CreatedDesc,
            &PageRequest { limit: 2, cursor: newest_first.next_cursor.clone() },
        )
        .await
        .unwrap();
    assert_eq!(next.items.iter().map(|c| c.data.given_name.as_str()).collect::<Vec<_>>(), ["Kavya", "Bala"]);
    // A cursor belongs to its sort.
    let wrong = store
        .contacts(&ALL, &all, ContactSort::Name, &PageRequest { limit: 2, cursor: newest_first.next_cursor })
        .await;
    assert!(matches!(wrong, Err(StoreError::BadCursor)));

    let in_chennai = ContactFilter { branch_id: Some(chennai), ..ContactFilter::default() };
    let listed = store.contacts(&ALL, &in_chennai, ContactSort::Updated, &PageRequest::default()).await.unwrap();
    assert_eq!(
        listed.items.iter().map(|c| c.data.given_name.as_str()).collect::<Vec<_>>(),
        ["Ilango", "Kavya", "Zara", "Meena"]
    );

    let since = ContactFilter {
        updated_since: Some(Timestamp::from_second(1_789_999_998).unwrap()),
        ..ContactFilter::default()
    };
    assert_eq!(
        store.contacts(&ALL, &since, ContactSort::Created, &PageRequest::default()).await.unwrap().items.len(),
        3
    );
    let tamil = ContactFilter {
        language: Some(sambandh_domain::LanguageTag::parse("ta").unwrap()),
        ..ContactFilter::default()
    };
    assert_eq!(
        store.contacts(&ALL, &tamil, ContactSort::Created, &PageRequest::default()).await.unwrap().items.len(),
        7
    );
});

both_engines!(companies_and_links, |store: Store| async move {
    let raja = contact(1, &input("ராஜா", "Raja", "raja@example.com", "98400 11111"), None);
    insert(&store, &raja).await;
    let data = NewCompany::parse(
        &CompanyInput {
            legal_name: Some("Sri Murugan Textiles Pvt. Ltd.".into()),
            other_names: vec![("Taml".into(), "ஸ்ரீ முருகன் டெக்ஸ்டைல்ஸ்".into())],
            gstin: Some("27AAPFU0939F1ZV".into()),
            founded_on: Some("1995-04-01".into()),
            ..CompanyInput::default()
        },
        &StoredIds,
    )
    .unwrap();
    let company = sambandh_domain::Company {
        id: CompanyId::from_uuid(Uuid::from_u128(0xC0)),
        data: data.clone(),
        created_at: now(),
        updated_at: now(),
        version: 1,
        first_deal_on: None,
    };
    let mut tx = store.begin().await.unwrap();
    tx.insert_company(&company).await.unwrap();
    let twin = sambandh_domain::Company { id: CompanyId::from_uuid(Uuid::from_u128(0xC1)), ..company.clone() };
    assert!(matches!(tx.insert_company(&twin).await, Err(StoreError::Conflict { field: "gstin" })));
    tx.rollback().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    tx.insert_company(&company).await.unwrap();
    let role = |r: &str| Some(sambandh_domain::ShortText::parse(r).unwrap());
    tx.link_contact(&CompanyLink { contact_id: raja.id, company_id: company.id, role: role("Buyer") }).await.unwrap();
    tx.link_contact(&CompanyLink { contact_id: raja.id, company_id: company.id, role: role("Owner") }).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(store.company(&ALL, company.id).await.unwrap().unwrap(), company);
    let links = store.company_links(&ALL, LinkOwner::Contact(raja.id)).await.unwrap();
    assert_eq!(links, [CompanyLink { contact_id: raja.id, company_id: company.id, role: role("Owner") }]);
    let listed = store.companies(&ALL, &Default::default(), CompanySort::Name, &PageRequest::default()).await.unwrap();
    assert_eq!(listed.items.len(), 1);

    let mut tx = store.begin().await.unwrap();
    tx.delete_contact(raja.id).await.unwrap();
    tx.commit().await.unwrap();
    assert!(store.company_links(&ALL, LinkOwner::Company(company.id)).await.unwrap().is_empty());
});

/// A server and an import starting at once on a new database migrate it once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_can_open_a_new_sqlite_database_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("new.db").display());
    let (one, two) = tokio::join!(Store::open(&url), Store::open(&url));
    let (one, two) = (one.unwrap(), two.unwrap());
    assert_eq!(one.count_contacts(&ALL).await.unwrap(), 0);
    assert_eq!(two.count_contacts(&ALL).await.unwrap(), 0);
}

both_engines!(staff_accounts_and_contact_owners, |store: Store| async move {
    let branch = add_branch(&store, "Chennai").await;
    let account = UserInput {
        email: Some("Meena@Shop.IN".into()),
        name: Some("மீனா".into()),
        role: Some("agent".into()),
        branch: Some(branch.to_string()),
        languages: vec!["ta".into(), "en".into()],
    };
    let meena = User {
        id: UserId::from_uuid(Uuid::from_u128(0xA1)),
        data: NewUser::parse(&account, &StoredIds).unwrap(),
        created_at: now(),
    };
    let mut tx = store.begin().await.unwrap();
    tx.insert_user(&meena, Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")).await.unwrap();
    let twin = User { id: UserId::from_uuid(Uuid::from_u128(0xA2)), ..meena.clone() };
    assert!(matches!(tx.insert_user(&twin, None).await, Err(StoreError::Conflict { field: "email" })));
    tx.rollback().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    tx.insert_user(&meena, None).await.unwrap();
    tx.commit().await.unwrap();
    let users = store.users().await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].data.email.as_str(), "meena@shop.in", "one mailbox, one account");
    assert_eq!(users[0].data.languages.len(), 2);

    let mut raja = contact(1, &input("ராஜா", "Raja", "raja@example.com", "98400 11111"), Some(branch));
    raja.data.owner_id = Some(meena.id);
    insert(&store, &raja).await;
    assert_eq!(store.contact(&ALL, raja.id).await.unwrap().unwrap().data.owner_id, Some(meena.id));
});

async fn add_user(store: &Store, n: u128, email: &str, role: &str, branch: Option<BranchId>) -> User {
    let account = UserInput {
        email: Some(email.into()),
        name: Some("Staff".into()),
        role: Some(role.into()),
        branch: branch.map(|id| id.to_string()),
        languages: vec![],
    };
    let user = User {
        id: UserId::from_uuid(Uuid::from_u128(0xA0 + n)),
        data: NewUser::parse(&account, &StoredIds).unwrap(),
        created_at: now(),
    };
    let mut tx = store.begin().await.unwrap();
    tx.insert_user(&user, Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")).await.unwrap();
    tx.commit().await.unwrap();
    user
}

both_engines!(every_read_is_narrowed_to_the_scope_in_the_query, |store: Store| async move {
    let chennai = add_branch(&store, "Chennai").await;
    let lucknow = add_branch(&store, "Lucknow!").await;
    let agent = add_user(&store, 1, "meena@shop.in", "agent", Some(chennai)).await;
    let here = contact(1, &input("ராஜா", "Raja", "raja@example.com", "98400 11111"), Some(chennai));
    let there = contact(2, &input("अंकित", "Ankit", "ankit@example.com", "98400 22222"), Some(lucknow));
    let mut assigned = contact(3, &input("Farhan", "Farhan", "farhan@example.com", "98400 33333"), Some(lucknow));
    assigned.data.owner_id = Some(agent.id);
    for c in [&here, &there, &assigned] {
        insert(&store, c).await;
    }
    let scope = Scope::of(agent.data.role, agent.data.branch_id, agent.id);

    assert_eq!(store.count_contacts(&scope).await.unwrap(), 2);
    assert_eq!(store.count_contacts(&ALL).await.unwrap(), 3);
    assert!(store.contact(&scope, there.id).await.unwrap().is_none(), "out of scope reads as missing");
    assert!(store.contact(&scope, assigned.id).await.unwrap().is_some(), "assigned to them");
    let (no_filter, first_page) = (ContactFilter::default(), PageRequest::default());
    let listed = store.contacts(&scope, &no_filter, ContactSort::Created, &first_page).await.unwrap();
    let ids: Vec<ContactId> = listed.items.iter().map(|c| c.id).collect();
    assert_eq!(ids, [here.id, assigned.id]);
    let by_branch = ContactFilter { branch_id: Some(lucknow), ..ContactFilter::default() };
    let listed = store.contacts(&scope, &by_branch, ContactSort::Created, &PageRequest::default()).await.unwrap();
    assert_eq!(listed.items.len(), 1, "a filter cannot widen the scope");
    let ankit = EmailAddress::parse("ankit@example.com").unwrap();
    assert!(store.contacts_by_email(&scope, &ankit).await.unwrap().is_empty());
    assert_eq!(store.contacts_by_email(&ALL, &ankit).await.unwrap().len(), 1);
    let phone = PhoneE164::parse("98400 22222").unwrap();
    assert!(store.contacts_by_phone(&scope, &phone).await.unwrap().is_empty());

    // Companies: the branch's and those of no branch.
    let mut tx = store.begin().await.unwrap();
    let mut ids = Vec::new();
    for (n, branch) in [(1u128, Some(chennai)), (2, Some(lucknow)), (3, None)] {
        let data = NewCompany::parse(
            &CompanyInput { legal_name: Some(format!("Company {n}")), ..CompanyInput::default() },
            &StoredIds,
        )
        .unwrap();
        let id = CompanyId::from_uuid(Uuid::from_u128(0xC0 + n));
        let company = sambandh_domain::Company {
            id,
            data: NewCompany { branch_id: branch, ..data },
            created_at: now(),
            updated_at: now(),
            version: 1,
            first_deal_on: None,
        };
        tx.insert_company(&company).await.unwrap();
        tx.link_contact(&CompanyLink { contact_id: there.id, company_id: id, role: None }).await.unwrap();
        tx.link_contact(&CompanyLink { contact_id: here.id, company_id: id, role: None }).await.unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    let page = store.companies(&scope, &CompanyFilter::default(), CompanySort::Name, &first_page).await.unwrap();
    let seen: Vec<CompanyId> = page.items.iter().map(|c| c.id).collect();
    assert_eq!(seen, [ids[0], ids[2]]);
    assert!(store.company(&scope, ids[1]).await.unwrap().is_none());
    let links = store.company_links(&scope, LinkOwner::Company(ids[2])).await.unwrap();
    assert_eq!(links.iter().map(|l| l.contact_id).collect::<Vec<_>>(), [here.id], "only contacts in scope");
    assert!(store.company_links(&scope, LinkOwner::Contact(there.id)).await.unwrap().is_empty());
});

both_engines!(sessions_and_tokens_expire_and_are_revoked, |store: Store| async move {
    let owner = add_user(&store, 1, "owner@shop.in", "owner", None).await;
    let (found, hash) = store.credentials(" OWNER@shop.IN ").await.unwrap().unwrap();
    assert_eq!((found.id, hash.is_some()), (owner.id, true));
    assert!(store.credentials("nobody@shop.in").await.unwrap().is_none());

    let later = |seconds: i64| Timestamp::from_second(now().as_second() + seconds).unwrap();
    let session = NewSession {
        token_hash: "h1".into(),
        user_id: owner.id,
        csrf_token: "c1".into(),
        created_at: now(),
        expires_at: later(60),
        address: Some("10.0.0.7".into()),
    };
    let mut tx = store.begin().await.unwrap();
    tx.insert_session(&session).await.unwrap();
    tx.insert_session(&NewSession { token_hash: "h2".into(), ..session.clone() }).await.unwrap();
    tx.commit().await.unwrap();
    let record = store.session("h1", now()).await.unwrap().unwrap();
    assert_eq!((record.user.id, record.csrf_token.as_str()), (owner.id, "c1"));
    assert!(store.session("h1", later(61)).await.unwrap().is_none(), "expired");
    store.touch_credentials(&[("h1".into(), later(30), later(120))], &[]).await.unwrap();
    assert!(store.session("h1", later(61)).await.unwrap().is_some(), "use slides the expiry");
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.delete_sessions_of(owner.id).await.unwrap(), 2);
    tx.commit().await.unwrap();
    assert!(store.session("h1", now()).await.unwrap().is_none());

    let token = ApiToken {
        id: "0190aaaa-0000-7000-8000-000000000001".into(),
        user_id: owner.id,
        label: "accounts sync".into(),
        created_at: now(),
        expires_at: Some(later(3600)),
        last_used_at: None,
        revoked_at: None,
    };
    let mut tx = store.begin().await.unwrap();
    tx.insert_token(&token, "t1").await.unwrap();
    tx.commit().await.unwrap();
    let (read, user) = store.token("t1", now()).await.unwrap().unwrap();
    assert_eq!((read, user.id), (token.clone(), owner.id));
    assert!(store.token("t1", later(3601)).await.unwrap().is_none(), "expired");
    let someone_else = UserId::from_uuid(Uuid::from_u128(0xFF));
    let mut tx = store.begin().await.unwrap();
    assert!(matches!(tx.revoke_token(&token.id, Some(someone_else), now()).await, Err(StoreError::NotFound)));
    let revoked = tx.revoke_token(&token.id, Some(owner.id), later(5)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(revoked.revoked_at, Some(later(5)));
    assert!(store.token("t1", now()).await.unwrap().is_none(), "revoked");
    assert_eq!(store.tokens(owner.id).await.unwrap().len(), 1);
});

both_engines!(the_audit_log_filters_pages_and_redacts, |store: Store| async move {
    // Ids are UUIDv7 of the entry's instant, as the app makes them.
    let entry = |n: u64, action: &str, record: &str| AuditEntry {
        id: Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, now().as_second() as u64 + n, 0)).to_string(),
        at: Timestamp::from_second(now().as_second() + n as i64).unwrap(),
        actor_id: None,
        actor: "local operator".into(),
        via: "cli".into(),
        address: None,
        action: action.into(),
        record_type: Some("contact".into()),
        record_id: Some(record.into()),
        changes: Some(r#"{"emails":{"before":null,"after":["raja@example.com"]}}"#.into()),
        detail: None,
    };
    let entries: Vec<AuditEntry> = (1..=5).map(|n| entry(n, if n == 3 { "view" } else { "update" }, "r1")).collect();
    store.append_audit(&entries).await.unwrap();
    store.append_audit(&[entry(6, "create", "r2")]).await.unwrap();

    let first = store.audit(&AuditFilter::default(), &PageRequest { limit: 4, cursor: None }).await.unwrap();
    assert_eq!(
        first.items.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["create", "update", "update", "view"]
    );
    let rest =
        store.audit(&AuditFilter::default(), &PageRequest { limit: 4, cursor: first.next_cursor }).await.unwrap();
    assert_eq!(rest.items.len(), 2);
    assert!(rest.next_cursor.is_none());
    let about_r1 = |action: Option<&str>| AuditFilter {
        record_id: Some("r1".into()),
        action: action.map(str::to_owned),
        ..AuditFilter::default()
    };
    let found = async |filter: AuditFilter| store.audit(&filter, &PageRequest::default()).await.unwrap().items;
    assert_eq!(found(about_r1(Some("update"))).await.len(), 4);
    // Views are not in the index by record, and are found all the same.
    let views = found(about_r1(Some("view"))).await;
    assert_eq!(views.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [entries[2].id.as_str()]);
    assert_eq!(views[0].changes, None, "a view quotes nothing, whatever it was given");
    assert_eq!(found(about_r1(None)).await.len(), 5);
    let window = AuditFilter { since: Some(entries[1].at), until: Some(entries[3].at), ..AuditFilter::default() };
    assert_eq!(store.audit(&window, &PageRequest::default()).await.unwrap().items.len(), 2);

    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.redact_audit("r1").await.unwrap(), 4, "the updates; the view quotes nothing");
    tx.commit().await.unwrap();
    let all = store.audit(&AuditFilter::default(), &PageRequest::default()).await.unwrap().items;
    assert!(all.iter().filter(|e| e.record_id.as_deref() == Some("r1")).all(|e| e.changes.is_none()));
    assert!(all.iter().any(|e| e.record_id.as_deref() == Some("r2") && e.changes.is_some()));
});

both_engines!(consent_history_and_the_current_state, |store: Store| async move {
    let raja = contact(1, &input("ராஜா", "Raja", "raja@example.com", "98400 11111"), None);
    insert(&store, &raja).await;
    let event = |status: &str, seconds: i64| Consent {
        contact_id: raja.id,
        change: ConsentChange::parse(&ConsentInput {
            purpose: Some("greetings".into()),
            channel: Some("whatsapp".into()),
            status: Some(status.into()),
            method: Some("verbal".into()),
            notice_language: Some("ta".into()),
            note: Some("on the call".into()),
        })
        .unwrap(),
        recorded_by: None,
        recorded_at: Timestamp::from_second(now().as_second() + seconds).unwrap(),
    };
    let status = || store.consent_status(raja.id, Purpose::Greetings, Channel::Whatsapp);
    assert_eq!(status().await.unwrap(), None);
    let mut tx = store.begin().await.unwrap();
    tx.insert_consent("0190aaaa-0000-7000-8000-000000000001", &event("given", 0)).await.unwrap();
    tx.insert_consent("0190aaaa-0000-7000-8000-000000000002", &event("withdrawn", 10)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(status().await.unwrap(), Some(ConsentStatus::Withdrawn));
    assert_eq!(store.consent_status(raja.id, Purpose::Greetings, Channel::Email).await.unwrap(), None);
    // History imported later, older than the current state, does not change it …
    let mut tx = store.begin().await.unwrap();
    tx.insert_consents(&[
        ("0190aaaa-0000-7000-8000-000000000003".into(), event("given", -20)),
        ("0190aaaa-0000-7000-8000-000000000004".into(), event("given", 5)),
    ])
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(status().await.unwrap(), Some(ConsentStatus::Withdrawn));
    // … and of a batch's events for one purpose and channel, the latest counts.
    let mut tx = store.begin().await.unwrap();
    tx.insert_consents(&[
        ("0190aaaa-0000-7000-8000-000000000006".into(), event("given", 30)),
        ("0190aaaa-0000-7000-8000-000000000005".into(), event("withdrawn", 20)),
    ])
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(status().await.unwrap(), Some(ConsentStatus::Given));
    let history = store.consents(&ALL, raja.id).await.unwrap();
    assert_eq!(
        history,
        [
            event("given", -20),
            event("given", 0),
            event("given", 5),
            event("withdrawn", 10),
            event("withdrawn", 20),
            event("given", 30)
        ]
    );
});

both_engines!(the_timeline_pages_newest_first_and_needs_filter_contacts, |store: Store| async move {
    let raja = contact(1, &input("ராஜா", "Raja", "raja@example.com", "98400 11111"), None);
    let rani = contact(2, &input("ராணி", "Rani", "rani@example.com", "98400 22222"), None);
    insert(&store, &raja).await;
    insert(&store, &rani).await;
    let at = |minutes: i64| Timestamp::from_second(now().as_second() + minutes * 60).unwrap();
    let interaction = |n: u128, contact: ContactId, minutes: i64, kind: &str| Interaction {
        id: InteractionId::from_uuid(Uuid::from_u128(0xE000 + n)),
        contact_id: contact,
        data: InteractionData::parse(
            &InteractionInput {
                kind: Some(kind.into()),
                occurred_at: Some(at(minutes).to_string()),
                text: Some(format!("entry {n}")),
                page: Some("/products/cold-storage".into()),
                ..InteractionInput::default()
            },
            &StoredIds,
        )
        .unwrap(),
        created_at: now(),
    };
    let mut tx = store.begin().await.unwrap();
    // Two at the same minute: the id breaks the tie.
    for (n, minutes, kind) in
        [(1, 10, "note"), (2, 30, "web_visit"), (3, 20, "note"), (4, 20, "purchase"), (5, 40, "note")]
    {
        tx.insert_interaction(&interaction(n, raja.id, minutes, kind)).await.unwrap();
    }
    tx.insert_interaction(&interaction(6, rani.id, 50, "note")).await.unwrap();
    let need = Need {
        id: NeedId::from_uuid(Uuid::from_u128(0xF001)),
        contact_id: raja.id,
        data: NeedData::parse(&NeedInput {
            text: Some("A Cold-Storage unit before Diwali".into()),
            learnt_from: Some(InteractionId::from_uuid(Uuid::from_u128(0xE002)).to_string()),
            noted_on: Some("2026-11-20".into()),
        })
        .unwrap(),
        recorded_by: None,
        created_at: now(),
    };
    tx.insert_need(&need).await.unwrap();
    let pipeline = tx.pipeline().await.unwrap();
    let deal_input = DealInput {
        title: Some("a deal opened at 25 minutes".into()),
        contact: Some(raja.id.to_string()),
        ..DealInput::default()
    };
    let deal = Deal {
        id: DealId::from_uuid(Uuid::from_u128(0xD001)),
        data: DealData::parse(&deal_input, &pipeline, &StoredIds).unwrap(),
        won_on: None,
        closed_at: None,
        created_at: at(25),
        updated_at: at(25),
        version: 1,
    };
    tx.insert_deal(&deal).await.unwrap();
    assert!(tx.interaction_of(raja.id, InteractionId::from_uuid(Uuid::from_u128(0xE002))).await.unwrap());
    assert!(!tx.interaction_of(rani.id, InteractionId::from_uuid(Uuid::from_u128(0xE002))).await.unwrap());
    tx.commit().await.unwrap();

    let mut seen = Vec::new();
    let mut page = PageRequest { limit: 2, cursor: None };
    loop {
        let result = store.timeline(&ALL, raja.id, &page).await.unwrap();
        seen.extend(result.items.iter().map(|entry| match entry {
            TimelineEntry::Interaction(i) => i.data.text.as_ref().unwrap().to_string(),
            TimelineEntry::Deal(deal) => deal.data.title.to_string(),
            TimelineEntry::Order(order) => order.id.to_string(),
        }));
        match result.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(seen, ["entry 5", "entry 2", "a deal opened at 25 minutes", "entry 4", "entry 3", "entry 1"]);
    let outsider = Scope::Branch { branch_id: None, user_id: UserId::from_uuid(Uuid::from_u128(0xFF)) };
    assert!(store.timeline(&outsider, raja.id, &PageRequest::default()).await.unwrap().items.is_empty());

    assert_eq!(store.needs(&ALL, raja.id).await.unwrap(), [need]);
    let by_need = ContactFilter { need: Some("cold-STORAGE".into()), ..ContactFilter::default() };
    let found = store.contacts(&ALL, &by_need, ContactSort::Created, &PageRequest::default()).await.unwrap();
    assert_eq!(found.items.iter().map(|c| c.id).collect::<Vec<_>>(), [raja.id]);

    let mut tx = store.begin().await.unwrap();
    tx.erase_timeline(raja.id).await.unwrap();
    tx.commit().await.unwrap();
    let after = store.timeline(&ALL, raja.id, &PageRequest::default()).await.unwrap().items;
    assert_eq!(after.len(), 6, "that they happened stays");
    assert!(after.iter().all(|entry| match entry {
        TimelineEntry::Interaction(i) => i.data.text.is_none() && i.data.page.is_none(),
        TimelineEntry::Deal(_) | TimelineEntry::Order(_) => true,
    }));
    assert!(store.needs(&ALL, raja.id).await.unwrap().is_empty());
    let rani_kept = store.timeline(&ALL, rani.id, &PageRequest::default()).await.unwrap().items;
    let TimelineEntry::Interaction(kept) = &rani_kept[0] else { panic!("{rani_kept:?}") };
    assert_eq!(kept.data.text.as_ref().unwrap().as_str(), "entry 6", "another contact's timeline is untouched");
});

/// The contacts a name search finds, in id order, by given name.
async fn search(store: &Store, scope: &Scope, query: &str) -> Vec<String> {
    let filter = ContactFilter { search: Some(query.into()), ..ContactFilter::default() };
    let page = PageRequest { limit: PageRequest::MAX_LIMIT, cursor: None };
    let found = store.contacts(scope, &filter, ContactSort::Created, &page).await.unwrap();
    found.items.iter().map(|c| c.data.given_name.to_string()).collect()
}

/// A contact with a given name, a Latin name and a name in another script.
fn named(n: u128, given: &str, latin: &str, other: (&str, &str), branch: Option<BranchId>) -> Contact {
    let mut person = input(given, latin, &format!("person{n}@example.com"), &format!("98400 2{n:04}"));
    person.other_names = vec![(other.0.into(), other.1.into())];
    contact(n, &person, branch)
}

both_engines!(contacts_are_found_by_any_word_of_any_name_in_any_script, |store: Store| async move {
    let chennai = add_branch(&store, "Chennai").await;
    let lucknow = add_branch(&store, "Lucknow!").await;
    let mut karthik = named(1, "கார்த்திக்", "R. Karthik", ("Deva", "कार्तिक"), Some(chennai));
    karthik.data.father_name = Some(sambandh_domain::NameText::parse("R.").unwrap());
    let karthika = named(2, "கார்த்திகா", "Karthika Raman", ("Deva", "कार्तिका"), Some(lucknow));
    let ankit = named(3, "अंकित", "Ankit Sharma", ("Gujr", "અંકિત"), Some(lucknow));
    let raja = named(4, "ராஜா", "Raja", ("Deva", "राजा"), Some(chennai));
    for person in [&karthik, &karthika, &ankit, &raja] {
        insert(&store, person).await;
    }

    // By the start of the Tamil given name, the Latin name, a name in another script.
    assert_eq!(search(&store, &ALL, "கார்").await, ["கார்த்திக்", "கார்த்திகா"]);
    assert_eq!(search(&store, &ALL, "கார்த்திக்").await, ["கார்த்திக்"]);
    assert_eq!(search(&store, &ALL, "karth").await, ["கார்த்திக்", "கார்த்திகா"]);
    assert_eq!(search(&store, &ALL, "KARTHIKA").await, ["கார்த்திகா"]);
    assert_eq!(search(&store, &ALL, "sharma").await, ["अंकित"]);
    assert_eq!(search(&store, &ALL, "અંક").await, ["अंकित"]);
    assert_eq!(search(&store, &ALL, "कार्तिका").await, ["கார்த்திகா"]);
    // Every word must match (AND), each the start of some word of the contact's names.
    assert_eq!(search(&store, &ALL, "karthik raman").await, ["கார்த்திகா"]);
    assert_eq!(search(&store, &ALL, "r. karthik").await, ["கார்த்திக்", "கார்த்திகா"], "R. and Raman");
    assert_eq!(search(&store, &ALL, "karthik sharma").await, Vec::<String>::new());
    // Only the start of a word: "arthik" is inside words, not at their start.
    assert!(search(&store, &ALL, "arthik").await.is_empty());
    // Not the honorific, not the e-mail.
    assert!(search(&store, &ALL, "thiru").await.is_empty());
    assert!(search(&store, &ALL, "person1").await.is_empty());
    // An empty query filters nothing.
    assert_eq!(search(&store, &ALL, "  ").await.len(), 4);
    assert_eq!(search(&store, &ALL, "").await.len(), 4);

    // The scope still applies, and other filters combine with the search.
    let agent = add_user(&store, 1, "meena@shop.in", "agent", Some(chennai)).await;
    let scope = Scope::of(agent.data.role, agent.data.branch_id, agent.id);
    assert_eq!(search(&store, &scope, "karth").await, ["கார்த்திக்"]);
    assert!(search(&store, &scope, "ankit").await.is_empty());
    let in_lucknow =
        ContactFilter { branch_id: Some(lucknow), search: Some("கார்".into()), ..ContactFilter::default() };
    let found = store.contacts(&ALL, &in_lucknow, ContactSort::Created, &PageRequest::default()).await.unwrap();
    assert_eq!(found.items.iter().map(|c| c.id).collect::<Vec<_>>(), [karthika.id]);

    // Pages of a search, in name order, with cursors.
    let filter = ContactFilter { search: Some("k".into()), ..ContactFilter::default() };
    let mut page = PageRequest { limit: 1, cursor: None };
    let mut seen = Vec::new();
    loop {
        let result = store.contacts(&ALL, &filter, ContactSort::NameDesc, &page).await.unwrap();
        seen.extend(result.items.iter().map(|c| c.id));
        match result.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(seen, [karthik.id, karthika.id], "r. karthik, then karthika raman");

    // A renamed contact is found by its new name, not its old one.
    let mut renamed = raja.data.clone();
    renamed.given_name = sambandh_domain::NameText::parse("ராஜேஷ்").unwrap();
    renamed.name_latin = Some(sambandh_domain::NameText::parse("Rajesh Kumar").unwrap());
    renamed.other_names.clear();
    let mut tx = store.begin().await.unwrap();
    tx.update_contact(raja.id, Some(1), &renamed, now()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(search(&store, &ALL, "rajesh kum").await, ["ராஜேஷ்"]);
    assert_eq!(search(&store, &ALL, "ராஜே").await, ["ராஜேஷ்"]);
    assert!(search(&store, &ALL, "ராஜா").await.is_empty());
    assert!(search(&store, &ALL, "राजा").await.is_empty());
    assert!(search(&store, &ALL, "raja").await.is_empty(), "raja is not the start of rajesh");

    // A search follows the contact to its new branch, and lists by last update.
    let mut moved = renamed.clone();
    moved.branch_id = Some(lucknow);
    let mut tx = store.begin().await.unwrap();
    tx.update_contact(raja.id, Some(2), &moved, now()).await.unwrap();
    tx.commit().await.unwrap();
    assert!(search(&store, &scope, "rajesh").await.is_empty(), "no longer in the agent's branch");
    let in_lucknow = ContactFilter { branch_id: Some(lucknow), search: Some("r".into()), ..ContactFilter::default() };
    let found = store.contacts(&ALL, &in_lucknow, ContactSort::UpdatedDesc, &PageRequest::default()).await.unwrap();
    assert_eq!(
        found.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        [raja.id, karthika.id],
        "Rajesh, updated last, then Karthika Raman"
    );

    // An erased contact is found by no search; a deleted one is gone.
    let erased =
        ContactData::parse(&ContactInput { given_name: Some("Erased".into()), ..ContactInput::default() }, &StoredIds)
            .unwrap();
    let mut tx = store.begin().await.unwrap();
    tx.erase_contact(ankit.id, &erased, now()).await.unwrap();
    tx.delete_contact(karthik.id).await.unwrap();
    tx.commit().await.unwrap();
    assert!(search(&store, &ALL, "ankit").await.is_empty());
    assert!(search(&store, &ALL, "erased").await.is_empty());
    assert_eq!(search(&store, &ALL, "karthik").await, ["கார்த்திகா"]);
});

both_engines!(imported_contacts_are_found_by_name, |store: Store| async move {
    // More than one multi-row statement's worth of contacts and of words.
    let n_contacts: u128 = 1_300;
    let people: Vec<Contact> = (1..=n_contacts)
        .map(|n| {
            let (given, latin, other) = match n % 3 {
                0 => (format!("கார்த்திக் {n}"), format!("Karthik {n}"), ("Deva", format!("कार्तिक {n}"))),
                1 => (format!("अंकित {n}"), format!("Ankit {n}"), ("Gujr", format!("અંકિત {n}"))),
                _ => (format!("Farhan {n}"), format!("Farhan {n}"), ("Arab", format!("فرحان {n}"))),
            };
            named(n, &given, &latin, (other.0, &other.1), None)
        })
        .collect();
    let mut tx = store.begin().await.unwrap();
    tx.insert_contacts(&people).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(search(&store, &ALL, "கார்த்திக் 1299").await, ["கார்த்திக் 1299"]);
    // The Ankits whose number starts with 1: 1, 1x, 1xx, 1xxx.
    let n_ankit_1 = (1..=n_contacts).filter(|n| n % 3 == 1 && n.to_string().starts_with('1')).count();
    assert_eq!(search(&store, &ALL, "ankit 1").await.len(), n_ankit_1);
    assert_eq!(search(&store, &ALL, "فرحان 1298").await, ["Farhan 1298"]);
    let filter = ContactFilter { search: Some("அ".into()), ..ContactFilter::default() };
    assert!(store.contacts(&ALL, &filter, ContactSort::Name, &PageRequest::default()).await.unwrap().items.is_empty());
    let filter = ContactFilter { search: Some("कार्".into()), ..ContactFilter::default() };
    let page = PageRequest { limit: PageRequest::MAX_LIMIT, cursor: None };
    let found = store.contacts(&ALL, &filter, ContactSort::Name, &page).await.unwrap();
    assert_eq!((found.items.len(), found.next_cursor), (433, None), "the Karthiks, by their Devanagari name");

    // A re-import that renames (`update_contacts`) moves the words with the names.
    let mut renamed = people[..2].to_vec();
    for person in &mut renamed {
        person.data.name_latin = Some(sambandh_domain::NameText::parse("Zubin Mehta").unwrap());
    }
    let mut tx = store.begin().await.unwrap();
    assert!(tx.update_contacts(&renamed, now()).await.unwrap().is_empty());
    tx.commit().await.unwrap();
    assert_eq!(search(&store, &ALL, "zubin meh").await.len(), 2);
    assert!(search(&store, &ALL, "ankit 1").await.iter().all(|name| name != "अंकित 1"));
    assert_eq!(search(&store, &ALL, "अंकित 1").await.len(), n_ankit_1, "the other names are kept");
});

// Migration 6 indexes the contacts that were there before it: drop what it made, run it
// again over the stored contacts.
both_engines!(the_search_migration_indexes_existing_contacts, database async |db: &TestDb| {
    let store = db.store.clone();
    let people: Vec<Contact> = (1..=7_000)
        .map(|n| named(n, &format!("கார்த்திக் {n}"), &format!("Karthik {n}"), ("Deva", "कार्तिक"), None))
        .collect();
    let mut tx = store.begin().await.unwrap();
    tx.insert_contacts(&people).await.unwrap();
    let erased = ContactData::parse(
        &ContactInput { given_name: Some("Erased".into()), ..ContactInput::default() },
        &StoredIds,
    )
    .unwrap();
    tx.erase_contact(people[0].id, &erased, now()).await.unwrap();
    tx.commit().await.unwrap();

    let mut conn = AnyConnection::connect(&db.url).await.unwrap();
    conn.execute("DROP TABLE contact_words").await.unwrap();
    conn.execute("DROP TABLE consent_states").await.unwrap();
    // A database from before migration 6: 6 makes the words, 7 adds each
    // contact's sort keys and scope to them, 8 the current consents.
    conn.execute("DELETE FROM schema_migrations WHERE version >= 6").await.unwrap();
    conn.close().await.unwrap();
    assert!(store.contacts(&ALL, &filter("kar"), ContactSort::Created, &PageRequest::default()).await.is_err());

    store.migrate().await.unwrap();
    assert_eq!(search(&store, &ALL, "karthik 6999").await, ["கார்த்திக் 6999"]);
    assert_eq!(search(&store, &ALL, "கார்த்திக் 5432").await, ["கார்த்திக் 5432"]);
    assert!(search(&store, &ALL, "கார்த்திக் 1").await.iter().all(|name| name != "கார்த்திக் 1"), "erased");
    assert!(search(&store, &ALL, "erased").await.is_empty());
    let mut page = PageRequest { limit: PageRequest::MAX_LIMIT, cursor: None };
    let mut n_found = 0;
    loop {
        let result = store.contacts(&ALL, &filter("कार्ति"), ContactSort::Created, &page).await.unwrap();
        n_found += result.items.len();
        match result.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(n_found, 6_999, "every contact but the erased one, over several batches");
    let outsider = Scope::Branch { branch_id: None, user_id: UserId::from_uuid(Uuid::from_u128(0xFF)) };
    assert!(search(&store, &outsider, "karthik").await.is_empty(), "the words carry the scope");

    // A filter the words do not carry is checked on each match's contact row (see
    // the store's `SearchPlan`): the same answers, in the same pages.
    let tamil = Some(sambandh_domain::LanguageTag::parse("ta").unwrap());
    for sort in [ContactSort::Created, ContactSort::Name, ContactSort::UpdatedDesc] {
        let mut pages = Vec::new();
        for language in [None, tamil.clone()] {
            let filter = ContactFilter { language, ..filter("karthik") };
            let first =
                store.contacts(&ALL, &filter, sort, &PageRequest { limit: 100, cursor: None }).await.unwrap();
            let next = PageRequest { limit: 100, cursor: first.next_cursor };
            let second = store.contacts(&ALL, &filter, sort, &next).await.unwrap();
            let ids: Vec<ContactId> = first.items.iter().chain(&second.items).map(|c| c.id).collect();
            pages.push(ids);
        }
        assert_eq!(pages[0].len(), 200);
        assert_eq!(pages[0], pages[1], "{sort:?}");
    }
});

fn filter(query: &str) -> ContactFilter {
    ContactFilter { search: Some(query.into()), ..ContactFilter::default() }
}

// Migration 8 finds each contact's current consent in the events stored before it.
both_engines!(the_consent_migration_finds_the_current_states, database async |db: &TestDb| {
    let store = db.store.clone();
    let people: Vec<Contact> = (1..=3)
        .map(|n| contact(n, &input("ராஜா", "Raja", &format!("raja{n}@example.com"), "98400 11111"), None))
        .collect();
    let event = |person: &Contact, channel: &str, status: &str, seconds: i64| Consent {
        contact_id: person.id,
        change: ConsentChange::parse(&ConsentInput {
            purpose: Some("greetings".into()),
            channel: Some(channel.into()),
            status: Some(status.into()),
            method: Some("verbal".into()),
            ..ConsentInput::default()
        })
        .unwrap(),
        recorded_by: None,
        recorded_at: Timestamp::from_second(now().as_second() + seconds).unwrap(),
    };
    let events = [
        event(&people[0], "email", "given", 0),
        event(&people[0], "email", "withdrawn", 10),
        event(&people[0], "sms", "given", 5),
        event(&people[1], "email", "withdrawn", 0),
        event(&people[1], "email", "given", 0), // the same instant: the later id counts
    ];
    let mut tx = store.begin().await.unwrap();
    tx.insert_contacts(&people).await.unwrap();
    let numbered: Vec<(String, Consent)> = events
        .iter()
        .enumerate()
        .map(|(n, event)| (format!("0190bbbb-0000-7000-8000-{n:012}"), event.clone()))
        .collect();
    tx.insert_consents(&numbered).await.unwrap();
    tx.commit().await.unwrap();

    let mut conn = AnyConnection::connect(&db.url).await.unwrap();
    conn.execute("DROP TABLE consent_states").await.unwrap();
    conn.execute("DELETE FROM schema_migrations WHERE version >= 8").await.unwrap();
    conn.close().await.unwrap();
    store.migrate().await.unwrap();

    let status = |n: usize, channel| store.consent_status(people[n].id, Purpose::Greetings, channel);
    assert_eq!(status(0, Channel::Email).await.unwrap(), Some(ConsentStatus::Withdrawn));
    assert_eq!(status(0, Channel::Sms).await.unwrap(), Some(ConsentStatus::Given));
    assert_eq!(status(1, Channel::Email).await.unwrap(), Some(ConsentStatus::Given));
    assert_eq!(status(2, Channel::Email).await.unwrap(), None);
});

both_engines!(the_daily_run_finds_each_occasion_of_those_who_consented, |store: Store| async move {
    // Four people, with and without each kind of date; all but Kala consented to
    // greetings by e-mail.
    let person = |n: u128, name: &str, birthday: Option<&str>| {
        let mut input = input(name, name, &format!("{}@example.com", name.to_lowercase()), "98400 11111");
        input.birthday = birthday.map(Into::into);
        contact(n, &input, None)
    };
    let raja = person(1, "Raja", Some("1980-06-14"));
    let rani = person(2, "Rani", Some("--06-14"));
    let kala = person(3, "Kala", Some("1990-06-14"));
    let mani = person(4, "Mani", None);
    let people = [&raja, &rani, &kala, &mani];
    let mut tx = store.begin().await.unwrap();
    for person in people {
        tx.insert_contact(person).await.unwrap();
    }
    let company = sambandh_domain::Company {
        id: CompanyId::from_uuid(Uuid::from_u128(0xC0)),
        data: NewCompany::parse(
            &CompanyInput {
                legal_name: Some("Murugan Textiles".into()),
                founded_on: Some("1995-06-14".into()),
                ..CompanyInput::default()
            },
            &StoredIds,
        )
        .unwrap(),
        created_at: now(),
        updated_at: now(),
        version: 1,
        first_deal_on: None,
    };
    tx.insert_company(&company).await.unwrap();
    for person in [&rani, &kala] {
        tx.link_contact(&CompanyLink { contact_id: person.id, company_id: company.id, role: None }).await.unwrap();
    }
    tx.mark_first_deal(Some(mani.id), None, "2024-06-14".parse().unwrap()).await.unwrap();
    tx.mark_first_deal(Some(raja.id), None, "2024-06-15".parse().unwrap()).await.unwrap();
    let choice = |occasion: &str, month_day: Option<&str>| OccasionChoice {
        occasion: sambandh_domain::Occasion::parse(occasion).unwrap(),
        greet: true,
        month_day: month_day.map(Into::into),
        since_year: None,
        method: "verbal".into(),
        recorded_by: None,
        recorded_at: now(),
    };
    tx.set_occasion_choices(&[
        (rani.id, choice("custom:wedding anniversary", Some("06-14"))),
        (mani.id, choice("custom:shop opening", Some("01-01"))),
        (raja.id, choice("festival:diwali", None)),
    ])
    .await
    .unwrap();
    let consents: Vec<(String, Consent)> = people
        .iter()
        .enumerate()
        .map(|(n, person)| {
            let status = if person.id == kala.id { "withdrawn" } else { "given" };
            let change = ConsentChange::parse(&ConsentInput {
                purpose: Some("greetings".into()),
                channel: Some("email".into()),
                status: Some(status.into()),
                method: Some("verbal".into()),
                ..ConsentInput::default()
            })
            .unwrap();
            let consent = Consent { contact_id: person.id, change, recorded_by: None, recorded_at: now() };
            (format!("0190cccc-0000-7000-8000-{n:012}"), consent)
        })
        .collect();
    tx.insert_consents(&consents).await.unwrap();
    tx.commit().await.unwrap();

    let day: jiff::civil::Date = "2026-06-14".parse().unwrap();
    let june_14 = || vec!["06-14".to_owned()];
    let found = |query: OccasionQuery| {
        let store = store.clone();
        async move {
            let addressees = store.occasion_addressees(&query, Channel::Email, day).await.unwrap();
            addressees.iter().map(|a| a.names.given_name.clone()).collect::<Vec<_>>()
        }
    };
    // Kala withdrew: never found, whatever her dates.
    assert_eq!(found(OccasionQuery::Birthday { month_days: june_14() }).await, ["Raja", "Rani"]);
    assert_eq!(found(OccasionQuery::FirstDeal { month_days: june_14() }).await, ["Mani"]);
    assert_eq!(found(OccasionQuery::CompanyAnniversary { month_days: june_14() }).await, ["Rani"]);
    assert_eq!(found(OccasionQuery::Custom { month_days: june_14() }).await, ["Rani"]);
    assert_eq!(found(OccasionQuery::Festival { key: "diwali".into() }).await, ["Raja"]);
    assert!(found(OccasionQuery::Birthday { month_days: vec!["06-15".into()] }).await.is_empty());
    assert_eq!(found(OccasionQuery::FirstDeal { month_days: vec!["06-15".into()] }).await, ["Raja"]);
});
