//! Demo organisations and people: Northwind Outdoor (a company running its own academy) and
//! Harbour Training Academy (a provider serving several client companies).

use super::{Login, Seeded};
use anyhow::{anyhow, Result};
use somu_domain::ids::{AccountId, OrgId, PersonId};
use somu_domain::org::{AppRole, Audience, EmploymentType, ImportRow, NewOrg, PersonInput};
use somu_web::AppState;

/// The demo company's slug.
pub const DEMO_SLUG: &str = "northwind";
const PROVIDER_SLUG: &str = "harbour-academy";

const GIVEN: &[&str] = &[
    "Ana", "Ben", "Chloé", "Daan", "Emma", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kaya",
    "Liam", "Maya", "Noah", "Olga", "Pieter", "Quinn", "Rosa", "Sami", "Tess", "Umar", "Vera",
    "Wout", "Xenia", "Yara", "Zeno", "Amira", "Bram", "Clara", "Dries", "Elif", "Finn", "Hanna",
    "Ilse", "Joost", "Lotte", "Mehdi", "Nora", "Otto", "Priya",
];
const FAMILY: &[&str] = &[
    "Lima", "Okafor", "Dubois", "de Vries", "Jansen", "Haddad", "Nilsson", "Moreau", "Ferreira",
    "Peeters", "Yilmaz", "Murphy", "Kowalski", "Bakker", "Rossi", "Novak", "Laurent", "Smit",
    "Costa", "Visser", "Andersen", "Martin", "Claes", "Meyer", "Garcia", "Mertens", "Wouters",
    "Bianchi", "Hoekstra", "Lambert",
];

/// (team, audience most members have, size)
const TEAMS: &[(&str, Audience, usize)] = &[
    ("Executive Office", Audience::Leadership, 12),
    ("Marketing", Audience::Practitioner, 48),
    ("Communications", Audience::Practitioner, 26),
    ("Customer Care", Audience::Practitioner, 64),
    ("Sales", Audience::Practitioner, 58),
    ("Retail Stores", Audience::Observer, 70),
    ("Product", Audience::Practitioner, 34),
    ("IT and Security", Audience::Infrastructure, 38),
    ("People and Culture", Audience::Management, 18),
    ("Finance", Audience::Observer, 22),
    ("Partner Network", Audience::Observer, 30),
];

fn person(
    email: String,
    name: String,
    audience: Audience,
    team: &str,
    (manager, employment): (Option<String>, EmploymentType),
    eid: String,
    title: &str,
) -> PersonInput {
    PersonInput {
        employee_id: Some(eid),
        email,
        name,
        audience,
        team: Some(team.to_string()),
        manager,
        employment_type: employment,
        language: "en".into(),
        job_title: Some(title.to_string()),
        start_date: None,
    }
}

/// Every demo person of the company, deterministic. The first five are the sign-in accounts.
fn company_people() -> Vec<PersonInput> {
    let mut rng = Seeded::new(20_260_302);
    let mut people = vec![
        person(
            "admin@northwind.example".into(),
            "Alex Admin".into(),
            Audience::Management,
            "People and Culture",
            (None, EmploymentType::Employee),
            "NW0001".into(),
            "Somu administrator",
        ),
        person(
            "owner@northwind.example".into(),
            "Dana Director".into(),
            Audience::Leadership,
            "Executive Office",
            (None, EmploymentType::Employee),
            "NW0002".into(),
            "Director of Digital Education",
        ),
        person(
            "instructor@northwind.example".into(),
            "Ivo Instructor".into(),
            Audience::Practitioner,
            "Communications",
            (
                Some("owner@northwind.example".into()),
                EmploymentType::Contractor,
            ),
            "NW0003".into(),
            "Social media trainer",
        ),
        person(
            "manager@northwind.example".into(),
            "Mila Manager".into(),
            Audience::Management,
            "Customer Care",
            (
                Some("owner@northwind.example".into()),
                EmploymentType::Employee,
            ),
            "NW0004".into(),
            "Head of Customer Care",
        ),
        person(
            "learner@northwind.example".into(),
            "Leo Learner".into(),
            Audience::Practitioner,
            "Customer Care",
            (
                Some("manager@northwind.example".into()),
                EmploymentType::PartTime,
            ),
            "NW0005".into(),
            "Customer care agent",
        ),
    ];
    let mut n = 6;
    for (team, audience, size) in TEAMS {
        // The team's manager reports to the director; members report to the team's manager.
        let lead_email = if *team == "Customer Care" {
            "manager@northwind.example".to_string()
        } else {
            let given = rng.pick(GIVEN);
            let family = rng.pick(FAMILY);
            let email = format!(
                "{}.{}.{n}@northwind.example",
                given.to_lowercase(),
                family.to_lowercase().replace(' ', "")
            );
            let lead_audience = if *audience == Audience::Leadership {
                Audience::Leadership
            } else {
                Audience::Management
            };
            people.push(person(
                email.clone(),
                format!("{given} {family}"),
                lead_audience,
                team,
                (
                    Some("owner@northwind.example".into()),
                    EmploymentType::Employee,
                ),
                format!("NW{n:04}"),
                "Team lead",
            ));
            n += 1;
            email
        };
        for _ in 0..*size {
            let given = rng.pick(GIVEN);
            let family = rng.pick(FAMILY);
            let email = format!(
                "{}.{}.{n}@northwind.example",
                given.to_lowercase(),
                family.to_lowercase().replace(' ', "")
            );
            // Most members share the team's audience; some differ, as in any real organisation.
            let audience = match rng.below(10) {
                0 => Audience::Observer,
                1 if *audience != Audience::Leadership => Audience::Practitioner,
                _ => *audience,
            };
            let employment = match rng.below(20) {
                0..=13 => EmploymentType::Employee,
                14..=16 => EmploymentType::PartTime,
                17..=18 => EmploymentType::Contractor,
                _ => EmploymentType::Partner,
            };
            let employment = if *team == "Partner Network" {
                EmploymentType::Partner
            } else {
                employment
            };
            let title = match audience {
                Audience::Leadership => "Vice president",
                Audience::Management => "Manager",
                Audience::Practitioner => "Specialist",
                Audience::Infrastructure => "Engineer",
                Audience::Observer => "Associate",
            };
            let mut p = person(
                email,
                format!("{given} {family}"),
                audience,
                team,
                (Some(lead_email.clone()), employment),
                format!("NW{n:04}"),
                title,
            );
            p.language = match rng.below(10) {
                0 => "fr".into(),
                1 => "nl".into(),
                _ => "en".into(),
            };
            people.push(p);
            n += 1;
        }
    }
    people
}

async fn import(state: &AppState, org: OrgId, people: Vec<PersonInput>) -> Result<()> {
    let rows: Vec<ImportRow> = people
        .into_iter()
        .enumerate()
        .map(|(i, person)| ImportRow {
            line: i as u64 + 2,
            person,
        })
        .collect();
    state.store.import_people(org, &rows, &|_, _| {}).await?;
    Ok(())
}

async fn account_for(
    state: &AppState,
    org: OrgId,
    email: &str,
    hash: &str,
    roles: &[AppRole],
) -> Result<AccountId> {
    let person = state
        .store
        .person_by_email(org, email)
        .await?
        .ok_or_else(|| anyhow!("demo person {email} missing"))?;
    let account = match state.store.account_by_email(email).await? {
        Some(a) => a.account_id(),
        None => {
            state
                .store
                .create_account(email, &person.name, Some(hash), false)
                .await?
        }
    };
    state
        .store
        .link_account(org, PersonId(person.id), account)
        .await?;
    state
        .store
        .set_roles(org, PersonId(person.id), roles)
        .await?;
    Ok(account)
}

/// Build both organisations.
pub async fn seed(state: &AppState, hash: &str) -> Result<()> {
    let company = state
        .store
        .create_org(&NewOrg::parse(DEMO_SLUG, "Northwind Outdoor").map_err(|e| anyhow!("{e}"))?)
        .await?;
    import(state, company.org_id(), company_people()).await?;
    let c = company.org_id();
    account_for(
        state,
        c,
        "admin@northwind.example",
        hash,
        &[AppRole::OrgAdmin, AppRole::Learner],
    )
    .await?;
    account_for(
        state,
        c,
        "owner@northwind.example",
        hash,
        &[AppRole::ProgrammeOwner, AppRole::Learner],
    )
    .await?;
    account_for(
        state,
        c,
        "instructor@northwind.example",
        hash,
        &[AppRole::Instructor, AppRole::Learner],
    )
    .await?;
    account_for(
        state,
        c,
        "manager@northwind.example",
        hash,
        &[AppRole::Manager, AppRole::Learner],
    )
    .await?;
    account_for(
        state,
        c,
        "learner@northwind.example",
        hash,
        &[AppRole::Learner],
    )
    .await?;

    // The training provider: the same instructor teaches open classes there too.
    let provider = state
        .store
        .create_org(
            &NewOrg::parse(PROVIDER_SLUG, "Harbour Training Academy")
                .map_err(|e| anyhow!("{e}"))?,
        )
        .await?;
    let p = provider.org_id();
    let mut rng = Seeded::new(7);
    let mut people = vec![
        person(
            "instructor@northwind.example".into(),
            "Ivo Instructor".into(),
            Audience::Practitioner,
            "Trainers",
            (None, EmploymentType::Contractor),
            "HA001".into(),
            "Trainer",
        ),
        person(
            "desk@harbour-academy.example".into(),
            "Hana Harbour".into(),
            Audience::Management,
            "Academy Office",
            (None, EmploymentType::Employee),
            "HA002".into(),
            "Academy director",
        ),
    ];
    for (i, client) in ["Blue Fjord Foods", "Kestrel Logistics", "Marigold Clinics"]
        .iter()
        .enumerate()
    {
        for k in 0..12 {
            let given = rng.pick(GIVEN);
            let family = rng.pick(FAMILY);
            let email = format!(
                "{}.{}.{i}{k}@client{i}.example",
                given.to_lowercase(),
                family.to_lowercase().replace(' ', "")
            );
            people.push(person(
                email,
                format!("{given} {family}"),
                Audience::Practitioner,
                client,
                (None, EmploymentType::Partner),
                format!("HC{i}{k:02}"),
                "Open-class participant",
            ));
        }
    }
    import(state, p, people).await?;
    account_for(
        state,
        p,
        "instructor@northwind.example",
        hash,
        &[AppRole::Instructor, AppRole::Learner],
    )
    .await?;
    account_for(
        state,
        p,
        "desk@harbour-academy.example",
        hash,
        &[AppRole::OrgAdmin, AppRole::ProgrammeOwner, AppRole::Learner],
    )
    .await?;

    // The platform operator creates organisations.
    if state
        .store
        .account_by_email("operator@somu.example")
        .await?
        .is_none()
    {
        state
            .store
            .create_account(
                "operator@somu.example",
                "Platform Operator",
                Some(hash),
                true,
            )
            .await?;
    }
    Ok(())
}

/// The sign-ins to print.
pub fn logins() -> Vec<Login> {
    let l = |role, email: &str, path: &str| Login {
        role,
        email: email.into(),
        path: path.into(),
    };
    vec![
        l("org admin", "admin@northwind.example", "/o/northwind"),
        l("programme owner", "owner@northwind.example", "/o/northwind"),
        l("instructor", "instructor@northwind.example", "/home"),
        l("manager", "manager@northwind.example", "/o/northwind"),
        l("learner", "learner@northwind.example", "/o/northwind"),
        l(
            "provider admin",
            "desk@harbour-academy.example",
            "/o/harbour-academy",
        ),
        l("platform operator", "operator@somu.example", "/admin/orgs"),
    ]
}
