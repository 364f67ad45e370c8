//! Demo data for certification: the shipped programmes installed at Northwind, people cleared
//! to post, certified Social Media Managers and Strategists (one credential revoked, one
//! expired, one renewed), capstones waiting in the grading queue, and the demo learner one
//! graded capstone away from a credential.

use super::Seeded;
use anyhow::{anyhow, Result};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb};
use somu_store::credentials::{Grade, NewCapstone, Programme};
use somu_web::pages::credentials::{install_programmes, service, CLEARED_TO_POST};
use somu_web::{AppState, Clock};

const DAY: i64 = 86_400;

/// The credential key secret of a demo run: kept in `somu-demo.secret` beside the demo
/// database so that `--keep` can still open the keys it sealed.
pub fn demo_secret(keep: bool) -> Result<String> {
    let path = "somu-demo.secret";
    if keep {
        if let Ok(s) = std::fs::read_to_string(path) {
            if s.trim().len() >= 32 {
                return Ok(s.trim().to_string());
            }
        }
    }
    let secret = format!("{:016x}{:016x}{:016x}", rand_u64(), rand_u64(), rand_u64());
    std::fs::write(path, &secret)?;
    Ok(secret)
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

fn st(
    person: i64,
    verb: Verb,
    kind: ActivityKind,
    key: &str,
    scaled: Option<f64>,
    at: i64,
) -> NewStatement {
    NewStatement {
        person: PersonId(person),
        verb,
        kind,
        key: key.to_string(),
        name: key.to_string(),
        parent: None,
        registration: None,
        outcome: Outcome {
            scaled,
            success: scaled.map(|_| true),
            completion: Some(true),
            ..Outcome::default()
        },
        at,
    }
}

/// Everything but the capstone of programme `p` for `person`: its courses, the exam, sessions.
fn groundwork(p: &Programme, person: i64, at: i64, rng: &mut Seeded) -> Vec<NewStatement> {
    use somu_domain::certification::{parse_requirements, Condition};
    let mut out = Vec::new();
    for step in parse_requirements(&p.requirements).unwrap_or_default() {
        match step.any_of.first() {
            Some(Condition::Course { slug }) => out.push(st(
                person,
                Verb::Completed,
                ActivityKind::Course,
                slug,
                None,
                at - 20 * DAY,
            )),
            Some(Condition::Exam { min_percent }) => {
                let score = f64::from(*min_percent) + 5.0 + rng.below(20) as f64;
                out.push(st(
                    person,
                    Verb::Passed,
                    ActivityKind::Exam,
                    &p.slug,
                    Some(score.min(100.0) / 100.0),
                    at - 5 * DAY,
                ));
            }
            Some(Condition::Sessions { count }) => {
                for s in 0..*count {
                    out.push(st(
                        person,
                        Verb::Attended,
                        ActivityKind::Session,
                        &format!("demo-{}-{s}", p.slug),
                        None,
                        at - 15 * DAY,
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

const CAPSTONES: &[&str] = &[
    "Relaunching a bakery chain's community on two networks",
    "Customer care on social for a regional energy supplier",
    "Recruiting season plan for a logistics company",
    "A crisis playbook for a family-run hotel group",
    "Local store pages that sell: a garden centre case",
    "From broadcast to conversation: a museum's social plan",
];

async fn capstone(
    state: &AppState,
    org: OrgId,
    p: &Programme,
    person: i64,
    title: &str,
    at: i64,
) -> Result<i64> {
    Ok(state
        .store
        .submit_capstone(
            org,
            &NewCapstone {
                programme_id: p.id,
                person: PersonId(person),
                team: vec![person],
                title: title.to_string(),
                body: format!(
                    "Business case: {title}.\n\nGoal: grow qualified conversations by 20% in six months, \
                     measured weekly. Audience research, a channel plan, a four-week content calendar, \
                     community management rules with escalation, and a reporting dashboard."
                ),
                links: "https://example.org/capstone-plan".into(),
                files: vec![(
                    "content-calendar.csv".into(),
                    "text/csv".into(),
                    b"week,channel,theme\n1,professional network,launch\n2,short video,behind the scenes\n"
                        .to_vec(),
                )],
            },
            at,
        )
        .await?)
}

/// Grade and pass a capstone with the given levels (5 criteria, 0–3).
async fn pass(
    state: &AppState,
    org: OrgId,
    p: &Programme,
    id: i64,
    grader: i64,
    levels: [i64; 5],
    at: i64,
) -> Result<()> {
    let rubric = somu_domain::certification::default_rubric();
    let percent = somu_domain::certification::rubric_percent(&rubric, &levels)?;
    state
        .store
        .put_grade(
            org,
            id,
            &Grade {
                grader_id: grader,
                levels: serde_json::to_string(&levels)?,
                comments: serde_json::to_string(&vec![""; 5])?,
                feedback: "Clear goal with a measurable KPI; the escalation rules are concrete."
                    .into(),
                percent,
                decision: "pass".into(),
                at,
            },
        )
        .await?;
    let c = state.store.capstone(org, id).await?;
    state
        .store
        .decide_capstone(org, &c, &p.slug, true, percent, "Well done.", at)
        .await?;
    Ok(())
}

async fn person_id(state: &AppState, org: OrgId, email: &str) -> Result<i64> {
    Ok(state
        .store
        .person_by_email(org, email)
        .await?
        .ok_or_else(|| anyhow!("demo person {email} is missing"))?
        .id)
}

async fn award(state: &AppState, org: OrgId, p: &Programme, people: &[i64]) -> Result<Vec<String>> {
    let mut awards = Vec::new();
    for &id in people {
        let who = state.store.person(org, PersonId(id)).await?;
        awards.push(service::Award {
            person: PersonId(id),
            email: who.email,
            evidence: somu_web::pages::credentials::evidence(state, org, p, PersonId(id))
                .await
                .map_err(|e| anyhow!("{e}"))?,
            replaces: None,
        });
    }
    service::issue(state, org, p, &awards, false)
        .await
        .map_err(|e| anyhow!("issuing demo credentials: {e}"))
}

/// Add this area's demo data to the demo organisations (which exist when this runs).
pub async fn seed(state: &AppState) -> Result<()> {
    let org = state
        .store
        .org_by_slug(super::org::DEMO_SLUG)
        .await?
        .ok_or_else(|| anyhow!("demo organisation missing"))?
        .org_id();
    install_programmes(state, org)
        .await
        .map_err(|e| anyhow!("installing programmes: {e}"))?;
    let now = state.clock.now();
    let mut rng = Seeded::new(55);
    let get = |slug: &'static str| async move {
        state
            .store
            .programme_by_slug(org, slug)
            .await?
            .ok_or_else(|| anyhow!("programme {slug} missing"))
    };
    let smm = get("social-media-manager").await?;
    let sms = get("social-media-strategist").await?;
    let ctp = get(CLEARED_TO_POST).await?;
    let instructor = person_id(state, org, "instructor@northwind.example").await?;
    let learner = person_id(state, org, "learner@northwind.example").await?;
    let reserved = [
        instructor,
        learner,
        person_id(state, org, "admin@northwind.example").await?,
        person_id(state, org, "owner@northwind.example").await?,
    ];
    let people: Vec<i64> = state
        .store
        .people_brief(org)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| !reserved.contains(id))
        .collect();

    // Cleared to post: the first 140 people completed the orientation.
    let cleared: Vec<i64> = people.iter().copied().take(140).collect();
    let stmts: Vec<NewStatement> = cleared
        .iter()
        .map(|&p| {
            st(
                p,
                Verb::Completed,
                ActivityKind::Course,
                "learner-orientation",
                None,
                now - (30 + rng.below(60) as i64) * DAY,
            )
        })
        .collect();
    state.store.record_statements(org, &stmts).await?;
    award(state, org, &ctp, &cleared).await?;

    // Certified managers and strategists, with their graded capstones.
    let mut stmts = Vec::new();
    let managers: Vec<i64> = people.iter().copied().skip(3).step_by(9).take(9).collect();
    let strategists: Vec<i64> = people.iter().copied().skip(5).step_by(13).take(6).collect();
    for (p, group) in [(&smm, &managers), (&sms, &strategists)] {
        for &person in group.iter() {
            stmts.extend(groundwork(p, person, now, &mut rng));
        }
    }
    state.store.record_statements(org, &stmts).await?;
    for (p, group) in [(&smm, &managers), (&sms, &strategists)] {
        for (i, &person) in group.iter().enumerate() {
            let title = CAPSTONES[(i + p.id as usize) % CAPSTONES.len()];
            let id = capstone(state, org, p, person, title, now - 4 * DAY).await?;
            let levels = [3, 2, 2 + (i % 2) as i64, 2, 3];
            pass(state, org, p, id, instructor, levels, now - 3 * DAY).await?;
        }
    }
    award(state, org, &smm, &managers[1..]).await?;
    award(state, org, &sms, &strategists).await?;

    // One manager certified 25 months ago: the credential has expired.
    let past = AppState {
        clock: Clock::fixed(now - 760 * DAY),
        ..state.clone()
    };
    award(&past, org, &smm, &managers[..1]).await?;

    // One strategist's credential revoked, with its reason.
    if let Some(c) = state
        .store
        .credentials(org, Some(PersonId(strategists[0])), Some(sms.id))
        .await?
        .first()
    {
        state
            .store
            .revoke_credential(
                org,
                c.id,
                "Capstone found to reuse another team's work.",
                now - DAY,
            )
            .await?;
    }
    service::publish_status_lists(state, org)
        .await
        .map_err(|e| anyhow!("status lists: {e}"))?;

    // Capstones in the grading queue, one of them the demo learner's: everything else done.
    let waiting: Vec<i64> = people.iter().copied().skip(200).take(2).collect();
    let mut stmts = groundwork(&smm, learner, now, &mut rng);
    for &person in &waiting {
        stmts.extend(groundwork(&smm, person, now, &mut rng));
    }
    state.store.record_statements(org, &stmts).await?;
    capstone(
        state,
        org,
        &smm,
        learner,
        "Northwind trail-running community: a three-month social plan",
        now - DAY,
    )
    .await?;
    for (i, &person) in waiting.iter().enumerate() {
        capstone(
            state,
            org,
            &smm,
            person,
            CAPSTONES[i + 2],
            now - (2 + i as i64) * DAY,
        )
        .await?;
    }
    Ok(())
}
