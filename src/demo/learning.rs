//! Demo data for learning content: the default curriculum in both demo organisations, placeholder
//! values for Northwind, and the demo learner with the orientation's first module read and its
//! quiz passed (the year of completions is seeded by the progress area after this).

use anyhow::{Context, Result};
use somu_content::grade::{self, Response};
use somu_content::QuestionKind;
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb};
use somu_store::learning::{lesson_slug, NewAnswer, Submission};
use somu_store::Store;
use somu_web::pages::learning::content::install_default;
use somu_web::AppState;

/// Add this area's demo data to the demo organisations (which exist when this runs).
pub async fn seed(state: &AppState) -> Result<()> {
    let store = &state.store;
    let now = state.clock.now();
    for slug in [super::org::DEMO_SLUG, "harbour-academy"] {
        let Some(org) = store.org_by_slug(slug).await? else {
            continue;
        };
        install_default(store, org.org_id(), now - 30 * 86_400).await?;
    }
    let demo = store
        .org_by_slug(super::org::DEMO_SLUG)
        .await?
        .context("the demo organisation")?;
    let org = demo.org_id();
    let known: Vec<String> = store
        .placeholders(org)
        .await?
        .into_iter()
        .map(|p| p.name)
        .collect();
    let values: Vec<(String, String)> = [
        ("name", demo.name.as_str()),
        ("approved_tools", "Sprout for publishing and the shared inbox, Talkwalker for listening"),
        ("brand_accounts", "@northwind on the professional network, @northwind_help for support, @northwindoutdoor for photos"),
        ("disclosure_tag", "I work at Northwind Outdoor"),
        ("escalation_contact", "the Social Desk duty lead, +44 20 7946 0410"),
        ("policy_url", "intranet.northwind.example/social-policy"),
        ("press_office", "press@northwind.example (Maya Chen, Communications)"),
        ("purpose", "We equip people to spend more of their lives outdoors, safely"),
        ("security_contact", "security@northwind.example or the IT desk on ext. 5000"),
        ("social_goal_1", "answer 90% of customer questions on social media within 2 working hours by June"),
        ("social_goal_2", "reach 4% average engagement on our own posts by the end of the year"),
        ("social_goal_3", "have 200 trained employee advocates sharing our stories by September"),
        ("social_media_lead", "Dana Director, Executive Office"),
        ("social_team_contact", "the #social-desk channel or social@northwind.example"),
    ]
    .into_iter()
    .filter(|(k, _)| known.iter().any(|n| n == k))
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    store.set_placeholders(org, &values, now).await?;
    let learner = store
        .person_by_email(org, "learner@northwind.example")
        .await?
        .context("the demo learner")?;
    learner_progress(store, org, PersonId(learner.id), now).await
}

/// The learner read the orientation's first module over a few days and passed its quiz.
async fn learner_progress(store: &Store, org: OrgId, me: PersonId, now: i64) -> Result<()> {
    let c = somu_content::default_curriculum();
    let course = c
        .course("learner-orientation")
        .context("the orientation course")?;
    let version = store
        .published_version(org, &course.slug)
        .await?
        .context("published orientation")?;
    let reg = version.registration.as_str();
    let module = course.modules.first().context("a module")?;
    let mut stmts = Vec::new();
    let mut at = now - 6 * 86_400;
    let st =
        |verb, kind, key: &str, name: &str, parent: Option<(ActivityKind, &str)>, outcome, at| {
            NewStatement {
                person: me,
                verb,
                kind,
                key: key.to_string(),
                name: name.to_string(),
                parent: parent.map(|(k, s)| (k, s.to_string())),
                registration: Some(reg.to_string()),
                outcome,
                at,
            }
        };
    for l in &module.lessons {
        let key = format!("{}/{}/{}", course.slug, module.slug, lesson_slug(&l.file));
        let parent = Some((ActivityKind::Course, course.slug.as_str()));
        stmts.push(st(
            Verb::Launched,
            ActivityKind::Lesson,
            &key,
            &l.title,
            parent,
            Outcome::default(),
            at,
        ));
        let spent = i64::from(l.minutes) * 60 + 95;
        at += spent;
        stmts.push(st(
            Verb::Experienced,
            ActivityKind::Lesson,
            &key,
            &l.title,
            parent,
            Outcome {
                completion: Some(true),
                duration_ms: Some(spent * 1000),
                ..Outcome::default()
            },
            at,
        ));
        store.lesson_opened(org, me, &key, at - spent).await?;
        at += 86_400;
    }
    store.record_statements(org, &stmts).await?;
    // The quiz: right answers except the short-text ones (none in this module's quiz).
    let quiz_key = format!("{}/{}", course.slug, module.slug);
    if !store.attempts(org, me, "quiz", &quiz_key).await?.is_empty() {
        return Ok(());
    }
    let start = st(
        Verb::Attempted,
        ActivityKind::Quiz,
        &quiz_key,
        &module.quiz.title,
        Some((ActivityKind::Course, &course.slug)),
        Outcome::default(),
        at,
    );
    let attempt_id = store
        .start_attempt(
            org,
            me,
            "quiz",
            &quiz_key,
            Some(version.id),
            reg,
            7,
            &[start],
            at,
        )
        .await?;
    let attempt = store.attempt(org, attempt_id).await?;
    let mut answers = Vec::new();
    let mut graded = Vec::new();
    let mut stmts = Vec::new();
    for q in &module.quiz.questions {
        let response = match q.kind {
            QuestionKind::ShortText => {
                Response::Text("I say I work here and speak for myself.".into())
            }
            QuestionKind::Ordering => Response::Order((0..q.options.len()).collect()),
            _ => Response::Choices(
                q.options
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.correct)
                    .map(|(i, _)| i)
                    .collect(),
            ),
        };
        let g = grade::grade(q, &response).map_err(|e| anyhow::anyhow!("{e}"))?;
        let text = response.encode();
        stmts.push(st(
            Verb::Answered,
            ActivityKind::Question,
            &format!("{quiz_key}/{}", q.id),
            &q.id,
            Some((ActivityKind::Quiz, &quiz_key)),
            Outcome {
                scaled: g.verdict.success().map(|_| g.score),
                success: g.verdict.success(),
                response: Some(text.clone()),
                ..Outcome::default()
            },
            at + 240,
        ));
        answers.push(NewAnswer {
            question_id: q.id.clone(),
            response: text,
            verdict: g.verdict.code().into(),
            score: g.score,
        });
        graded.push(g);
    }
    let s = grade::score(&graded, module.quiz.questions.len(), module.quiz.pass_mark);
    if let Some(passed) = s.passed {
        let outcome = Outcome {
            scaled: Some(s.scaled),
            raw: Some(s.points),
            max: Some(s.max),
            success: Some(passed),
            completion: Some(true),
            ..Outcome::default()
        };
        let verb = if passed { Verb::Passed } else { Verb::Failed };
        let parent = Some((ActivityKind::Course, course.slug.as_str()));
        stmts.push(st(
            verb,
            ActivityKind::Quiz,
            &quiz_key,
            &module.quiz.title,
            parent,
            outcome,
            at + 240,
        ));
        if passed {
            let done = Outcome {
                completion: Some(true),
                ..Outcome::default()
            };
            stmts.push(st(
                Verb::Completed,
                ActivityKind::Module,
                &quiz_key,
                &module.title,
                parent,
                done,
                at + 240,
            ));
        }
    }
    let totals = Submission {
        status: s.status().into(),
        points: s.points,
        max_points: s.max,
        scaled: s.scaled,
        at: at + 240,
    };
    store
        .submit_attempt(org, &attempt, &answers, &totals, &stmts)
        .await?;
    Ok(())
}
