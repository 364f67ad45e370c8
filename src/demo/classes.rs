//! Demo data for classes: in-company sessions at Northwind (past ones with attendance, one
//! running now for the instructor's roster, upcoming ones) and open-calendar sessions at Harbour
//! Training Academy taken by people from its three client companies, one of them full with a
//! waitlist. Registrations and attendance are back-dated so the learning record reads true.

use super::Seeded;
use anyhow::{anyhow, Context, Result};
use somu_domain::classes::{
    local_to_unix, unix_to_local, zone as zone_of, Attendance, SessionInput, Visibility,
};
use somu_domain::ids::{OrgId, PersonId};
use somu_store::org::PersonFilter;
use somu_web::AppState;

const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

struct Plan {
    title: &'static str,
    course: Option<&'static str>,
    /// Start, relative to the current hour.
    offset: i64,
    hours: i64,
    capacity: i64,
    place: &'static str,
    seats_wanted: usize,
}

async fn person(state: &AppState, org: OrgId, email: &str) -> Result<PersonId> {
    state
        .store
        .person_by_email(org, email)
        .await?
        .map(|p| PersonId(p.id))
        .with_context(|| format!("demo person {email} missing"))
}

/// Create the planned sessions, register people (a week before each session) and, for sessions
/// that have started, take attendance.
#[allow(clippy::too_many_arguments)]
async fn run(
    state: &AppState,
    org: OrgId,
    zone: &str,
    visibility: Visibility,
    instructor: PersonId,
    plans: &[Plan],
    people: &[PersonId],
    first: &[PersonId],
    rng: &mut Seeded,
) -> Result<()> {
    let now = state.clock.now();
    let hour = now - now.rem_euclid(HOUR);
    for plan in plans {
        // Sessions start at 09:00 local on their day; the one running now starts an hour ago.
        let start = if plan.offset.abs() < DAY {
            hour + plan.offset
        } else {
            let day = unix_to_local(hour + plan.offset, zone);
            let tz = zone_of(zone).map_err(|e| anyhow!(e))?;
            local_to_unix(&format!("{}T09:00", &day[..10]), &tz).map_err(|e| anyhow!(e))?
        };
        let input = SessionInput {
            title: plan.title.into(),
            course: plan.course.map(str::to_string),
            description:
                "A hands-on session with exercises on real examples. Bring a laptop or phone \
                with the accounts you use for work."
                    .into(),
            time_zone: zone.into(),
            start_at: start,
            end_at: start + plan.hours * HOUR,
            place: Some(plan.place.into()),
            online_url: None,
            capacity: plan.capacity,
            instructor: Some(instructor),
            visibility,
        };
        let created = (start - 21 * DAY).min(now);
        let id = state
            .store
            .create_class_session(org, &input, created)
            .await?;
        let mut chosen: Vec<PersonId> = first.to_vec();
        while chosen.len() < plan.seats_wanted.min(people.len() + first.len()) {
            let p = *rng.pick(people);
            if !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        for (i, p) in chosen.iter().enumerate() {
            let at = start - 7 * DAY + i as i64 * 600;
            state.store.register(org, id, *p, at.min(start - 1)).await?;
        }
        if start <= now && start + plan.hours * HOUR <= now {
            let roster = state.store.registrations(org, id).await?;
            let marks: Vec<(PersonId, Attendance)> = roster
                .iter()
                .filter(|r| r.status == "registered")
                .map(|r| {
                    let mark = if rng.below(10) < 8 {
                        Attendance::Present
                    } else {
                        Attendance::Absent
                    };
                    (PersonId(r.person_id), mark)
                })
                .collect();
            state
                .store
                .set_attendance(org, id, &marks, start + HOUR, start + plan.hours * HOUR)
                .await?;
        }
    }
    Ok(())
}

/// Add this area's demo data to the demo organisations (which exist when this runs).
pub async fn seed(state: &AppState) -> Result<()> {
    let mut rng = Seeded::new(44);
    let company = state
        .store
        .org_by_slug("northwind")
        .await?
        .ok_or_else(|| anyhow!("demo company missing"))?;
    let c = company.org_id();
    let instructor = person(state, c, "instructor@northwind.example").await?;
    let learner = person(state, c, "learner@northwind.example").await?;
    let staff: Vec<PersonId> = state
        .store
        .people(
            c,
            &PersonFilter {
                active: Some(true),
                ..Default::default()
            },
            200,
            5,
        )
        .await?
        .people
        .iter()
        .map(|p| PersonId(p.id))
        .collect();
    let p = |title, course, offset, hours, capacity, place, seats_wanted| Plan {
        title,
        course,
        offset,
        hours,
        capacity,
        place,
        seats_wanted,
    };
    let company_plans = [
        p(
            "Your first week on social media at Northwind",
            Some("orientation"),
            -60 * DAY,
            3,
            16,
            "Oslo office, room Fjord",
            14,
        ),
        p(
            "Answering customers in public",
            None,
            -30 * DAY,
            2,
            12,
            "Oslo office, room Fjord",
            11,
        ),
        p(
            "Measuring what our posts achieve",
            None,
            -9 * DAY,
            3,
            12,
            "Bergen office, room 2",
            10,
        ),
        // Running now: the instructor takes attendance on a phone.
        p(
            "Escalation drill: when a post goes wrong",
            None,
            -HOUR,
            3,
            10,
            "Oslo office, room Fjord",
            6,
        ),
        p(
            "Writing posts people want to share",
            None,
            5 * DAY,
            3,
            12,
            "Oslo office, room Fjord",
            7,
        ),
        p(
            "Social media for managers",
            None,
            12 * DAY,
            2,
            8,
            "Online and Oslo office",
            5,
        ),
        p(
            "Disclosure and your personal accounts",
            Some("orientation"),
            26 * DAY,
            2,
            20,
            "Bergen office, room 2",
            4,
        ),
    ];
    run(
        state,
        c,
        "Europe/Oslo",
        Visibility::InCompany,
        instructor,
        &company_plans[..4],
        &staff,
        &[learner],
        &mut rng,
    )
    .await?;
    run(
        state,
        c,
        "Europe/Oslo",
        Visibility::InCompany,
        instructor,
        &company_plans[4..],
        &staff,
        &[],
        &mut rng,
    )
    .await?;

    let provider = state
        .store
        .org_by_slug("harbour-academy")
        .await?
        .ok_or_else(|| anyhow!("demo provider missing"))?;
    let h = provider.org_id();
    let teacher = person(state, h, "instructor@northwind.example").await?;
    let clients: Vec<PersonId> = state
        .store
        .people(
            h,
            &PersonFilter {
                active: Some(true),
                ..Default::default()
            },
            200,
            0,
        )
        .await?
        .people
        .iter()
        .filter(|p| p.email.contains("@client"))
        .map(|p| PersonId(p.id))
        .collect();
    let open_plans = [
        p(
            "Social media foundations for small teams",
            None,
            -20 * DAY,
            6,
            14,
            "Harbour House, Quay Street 3, London",
            12,
        ),
        p(
            "Community management in practice",
            None,
            9 * DAY,
            6,
            8,
            "Harbour House, Quay Street 3, London",
            12,
        ),
        p(
            "Planning a content calendar",
            None,
            16 * DAY,
            3,
            12,
            "Harbour House, Quay Street 3, London",
            6,
        ),
        p(
            "Measuring social media for managers",
            None,
            30 * DAY,
            3,
            16,
            "Harbour House, Quay Street 3, London",
            3,
        ),
    ];
    run(
        state,
        h,
        "Europe/London",
        Visibility::OpenCalendar,
        teacher,
        &open_plans,
        &clients,
        &[],
        &mut rng,
    )
    .await?;
    Ok(())
}
