//! Demo data for progress: in northwind, the orientation for everyone and each audience's track
//! for that audience; a year of training in staggered monthly cohorts recorded as back-dated
//! learning statements (lessons with their time, quizzes, courses, pre- and post-tests with a
//! real gain), so trained and not-yet-trained people sit side by side; a few people overdue on
//! the orientation; two named cohorts. Statements go in batches so `somu demo` stays quick.

use super::{org::DEMO_SLUG, Seeded};
use anyhow::{anyhow, Result};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::org::Audience;
use somu_domain::progress::{AssignKind, AssignmentInput, DueRule, ScopeKind};
use somu_domain::time_util::{format_date, from_unix};
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb};
use somu_store::catalogue::{CourseEntry, TrackEntry};
use somu_store::org::PersonFilter;
use somu_store::Store;
use somu_web::AppState;
use std::collections::HashMap;

const DAY: i64 = 86_400;
const ORIENTATION: &str = "learner-orientation";

/// A module's lessons: (slug, title, minutes).
type Lessons = Vec<(String, String, i64)>;

/// A course's lessons (`module/lesson` keys with minutes) and module keys, for statements.
struct Outline {
    title: String,
    modules: Vec<(String, Lessons)>,
}

/// Make sure the catalogue has the default curriculum's courses and tracks (the content area
/// installs them before this runs; on its own this module installs the catalogue rows only).
async fn catalogue(store: &Store, org: OrgId, now: i64) -> Result<HashMap<String, Outline>> {
    let cur = somu_content::default_curriculum();
    let have = store.courses(org).await?;
    if have.is_empty() {
        for c in &cur.courses {
            store
                .put_course(
                    org,
                    &CourseEntry {
                        id: 0,
                        slug: c.slug.clone(),
                        title: c.title.clone(),
                        summary: c.summary.clone(),
                        audiences: c
                            .audiences
                            .iter()
                            .map(|a| a.as_str())
                            .collect::<Vec<_>>()
                            .join(","),
                        level: c.level.as_str().into(),
                        estimated_minutes: i64::from(c.estimated_minutes),
                        modules: c.modules.len() as i64,
                        lessons: c.modules.iter().map(|m| m.lessons.len() as i64).sum(),
                        published_version: Some(1),
                        updated_at: now,
                    },
                )
                .await?;
        }
    }
    if store.tracks(org).await?.is_empty() {
        for t in &cur.tracks {
            store
                .put_track(
                    org,
                    &TrackEntry {
                        id: 0,
                        slug: t.audience.as_str().into(),
                        audience: t.audience.as_str().into(),
                        title: t.title.clone(),
                        summary: t.summary.clone(),
                        pass_mark: i64::from(t.pass_mark),
                        courses: t.courses.clone(),
                        updated_at: now,
                    },
                )
                .await?;
        }
    }
    Ok(cur
        .courses
        .iter()
        .map(|c| {
            let modules = c
                .modules
                .iter()
                .map(|m| {
                    let lessons = m
                        .lessons
                        .iter()
                        .map(|l| {
                            let slug = l.file.trim_end_matches(".md").to_string();
                            let slug = slug.rsplit('/').next().unwrap_or(&slug).to_string();
                            (slug, l.title.clone(), i64::from(l.minutes.max(1)))
                        })
                        .collect();
                    (m.slug.clone(), lessons)
                })
                .collect();
            (
                c.slug.clone(),
                Outline {
                    title: c.title.clone(),
                    modules,
                },
            )
        })
        .collect())
}

fn stmt(
    person: PersonId,
    verb: Verb,
    kind: ActivityKind,
    key: &str,
    name: &str,
    at: i64,
) -> NewStatement {
    NewStatement {
        person,
        verb,
        kind,
        key: key.into(),
        name: name.into(),
        parent: None,
        registration: None,
        outcome: Outcome::default(),
        at,
    }
}

fn scored(mut s: NewStatement, score: f64, passed: bool) -> NewStatement {
    s.outcome = Outcome {
        scaled: Some(score),
        raw: Some((score * 100.0).round()),
        max: Some(100.0),
        success: Some(passed),
        ..Default::default()
    };
    s
}

/// The statements of one person taking a course from `at`; `lessons_to_do` cuts it short
/// (a course in progress). Returns the time it ended.
fn take_course(
    out: &mut Vec<NewStatement>,
    rng: &mut Seeded,
    who: PersonId,
    slug: &str,
    outline: &Outline,
    mut at: i64,
    lessons_to_do: Option<usize>,
) -> i64 {
    out.push(stmt(
        who,
        Verb::Launched,
        ActivityKind::Course,
        slug,
        &outline.title,
        at,
    ));
    let mut done = 0;
    for (module, lessons) in &outline.modules {
        for (lesson, title, minutes) in lessons {
            if lessons_to_do.is_some_and(|n| done >= n) {
                return at;
            }
            let key = format!("{slug}/{module}/{lesson}");
            out.push(stmt(
                who,
                Verb::Launched,
                ActivityKind::Lesson,
                &key,
                title,
                at,
            ));
            let ms = (minutes * 60_000) * (70 + rng.below(60) as i64) / 100;
            at += ms / 1000 + 60;
            let mut s = stmt(
                who,
                Verb::Experienced,
                ActivityKind::Lesson,
                &key,
                title,
                at,
            );
            s.outcome.duration_ms = Some(ms);
            s.outcome.completion = Some(true);
            out.push(s);
            done += 1;
        }
        let key = format!("{slug}/{module}");
        at += 300;
        let score = 0.7 + rng.below(31) as f64 / 100.0;
        out.push(scored(
            stmt(who, Verb::Passed, ActivityKind::Quiz, &key, &key, at),
            score,
            true,
        ));
        at += DAY / 2 + rng.below(2) as i64 * DAY;
    }
    let mut c = stmt(
        who,
        Verb::Completed,
        ActivityKind::Course,
        slug,
        &outline.title,
        at,
    );
    c.outcome.completion = Some(true);
    out.push(c);
    at
}

/// Add this area's demo data to the demo organisations (which exist when this runs).
pub async fn seed(state: &AppState) -> Result<()> {
    let store = &state.store;
    let org = store
        .org_by_slug(DEMO_SLUG)
        .await?
        .ok_or_else(|| anyhow!("the demo organisation is missing"))?
        .org_id();
    let now = state.clock.now();
    let outlines = catalogue(store, org, now).await?;
    let tracks: HashMap<String, Vec<String>> = store
        .tracks(org)
        .await?
        .into_iter()
        .map(|t| (t.slug, t.courses))
        .collect();
    let year_ago = now - 365 * DAY;
    let by = "programme@northwind.example";
    let assign = |kind, target: &str, scope, value: &str, due| {
        let input = AssignmentInput {
            kind,
            target: target.into(),
            scope,
            scope_value: value.into(),
            people: vec![],
            mandatory: true,
            due,
        };
        async move {
            store
                .create_assignment(org, &input, &[], by, year_ago)
                .await
        }
    };
    if outlines.contains_key(ORIENTATION) {
        assign(
            AssignKind::Course,
            ORIENTATION,
            ScopeKind::Everyone,
            "",
            DueRule::AfterStart(30),
        )
        .await?;
    }
    let due_soon = from_unix(now + 45 * DAY).date();
    for a in Audience::ALL {
        if tracks.contains_key(a.code()) {
            let due = match a {
                Audience::Leadership | Audience::Management => DueRule::Fixed(due_soon),
                _ => DueRule::None,
            };
            assign(
                AssignKind::Track,
                a.code(),
                ScopeKind::Audience,
                a.code(),
                due,
            )
            .await?;
        }
    }

    // Who trains when: a monthly cohort over the past year for about 60%, some in progress now,
    // the rest not yet trained. A few never did the orientation and are overdue on it.
    let people = store.all_people(org, &PersonFilter::default()).await?;
    let mut rng = Seeded::new(0x9e0_6e55);
    let mut batch: Vec<NewStatement> = Vec::new();
    let mut cohort_members: HashMap<usize, Vec<PersonId>> = HashMap::new();
    let mut current: Vec<PersonId> = Vec::new();
    for p in &people {
        let who = PersonId(p.id);
        let learner = p.email == "learner@northwind.example";
        let roll = rng.below(100);
        let month = rng.below(12);
        let start = year_ago + month as i64 * 30 * DAY + rng.below(5) as i64 * DAY;
        // Orientation: nearly everyone, early in the year.
        if roll >= 4 || learner {
            if let Some(o) = outlines.get(ORIENTATION) {
                let at = year_ago + rng.below(25) as i64 * DAY + 9 * 3600;
                take_course(&mut batch, &mut rng, who, ORIENTATION, o, at, None);
            }
        }
        let track = tracks.get(&p.audience).cloned().unwrap_or_default();
        let courses: Vec<&String> = track.iter().filter(|c| c.as_str() != ORIENTATION).collect();
        if roll < 60 && !learner {
            let pre = 0.3 + rng.below(30) as f64 / 100.0;
            let key = format!("{}/pre", p.audience);
            batch.push(scored(
                stmt(who, Verb::Failed, ActivityKind::Test, &key, &key, start),
                pre,
                false,
            ));
            let mut at = start + 3600;
            for c in &courses {
                if let Some(o) = outlines.get(c.as_str()) {
                    at = take_course(&mut batch, &mut rng, who, c, o, at, None) + DAY;
                }
            }
            let post = (pre + 0.2 + rng.below(25) as f64 / 100.0).min(1.0);
            let key = format!("{}/post", p.audience);
            batch.push(scored(
                stmt(who, Verb::Passed, ActivityKind::Test, &key, &key, at),
                post,
                post >= 0.7,
            ));
            let mut t = stmt(
                who,
                Verb::Completed,
                ActivityKind::Track,
                &p.audience,
                &p.audience,
                at + 60,
            );
            t.outcome.completion = Some(true);
            batch.push(t);
            if p.audience == "practitioner" {
                cohort_members.entry(month).or_default().push(who);
            }
        } else if roll < 75 || learner {
            // In progress now: started a few weeks ago, part of the first course read.
            let at = now - (5 + rng.below(20) as i64) * DAY;
            let key = format!("{}/pre", p.audience);
            batch.push(scored(
                stmt(who, Verb::Failed, ActivityKind::Test, &key, &key, at),
                0.35 + rng.below(20) as f64 / 100.0,
                false,
            ));
            let lessons = 1 + rng.below(3);
            if let Some(c) = courses.first() {
                if let Some(o) = outlines.get(c.as_str()) {
                    take_course(&mut batch, &mut rng, who, c, o, at + 600, Some(lessons));
                }
            }
            current.push(who);
        }
        if batch.len() > 5000 {
            store.record_statements(org, &batch).await?;
            batch.clear();
        }
    }
    store.record_statements(org, &batch).await?;

    // Two cohorts: one that finished in the spring, one under way now.
    let (month, members) = cohort_members
        .iter()
        .max_by_key(|(m, v)| (v.len(), usize::MAX - **m))
        .map(|(m, v)| (*m, v.clone()))
        .unwrap_or_default();
    let first_day = format_date(from_unix(year_ago + month as i64 * 30 * DAY).date());
    store
        .create_cohort(
            org,
            "Practitioners, first intake",
            "practitioner",
            &first_day,
            &members,
            now,
        )
        .await?;
    let today = format_date(from_unix(now - 25 * DAY).date());
    current.truncate(24);
    store
        .create_cohort(org, "Current intake", "practitioner", &today, &current, now)
        .await?;
    store.project_progress(org).await?;
    Ok(())
}
