//! Assignments, the learner home, the progress projection, reminders, progress views, cohorts
//! and the completions import, as programme owners, managers and learners use them.

use crate::helpers::{location, OrgFixture, TestApp};
use reqwest::StatusCode;
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::progress::{AssignKind, AssignmentInput, DueRule, ScopeKind, Standing};
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb};
use somu_store::catalogue::{CourseEntry, TrackEntry};
use somu_store::Store;
use somu_web::pages::progress::remind::remind_org;
use time::macros::date;

/// Two courses and a practitioner track of both, as the content area would publish them.
async fn catalogue(store: &Store, org: OrgId) {
    for (slug, title, lessons) in [
        ("why-social", "Why social media matters", 3),
        ("guidelines", "Engagement guidelines", 2),
    ] {
        store
            .put_course(
                org,
                &CourseEntry {
                    id: 0,
                    slug: slug.into(),
                    title: title.into(),
                    summary: "A course.".into(),
                    audiences: "practitioner".into(),
                    level: "introductory".into(),
                    estimated_minutes: 30,
                    modules: 1,
                    lessons,
                    published_version: Some(1),
                    updated_at: 0,
                },
            )
            .await
            .expect("course");
    }
    store
        .put_track(
            org,
            &TrackEntry {
                id: 0,
                slug: "practitioner".into(),
                audience: "practitioner".into(),
                title: "Practitioner track".into(),
                summary: "For practitioners.".into(),
                pass_mark: 70,
                courses: vec!["why-social".into(), "guidelines".into()],
                updated_at: 0,
            },
        )
        .await
        .expect("track");
}

fn st(person: PersonId, verb: Verb, kind: ActivityKind, key: &str, at: i64) -> NewStatement {
    NewStatement {
        person,
        verb,
        kind,
        key: key.into(),
        name: key.into(),
        parent: None,
        registration: None,
        outcome: Outcome::default(),
        at,
    }
}

fn experienced(person: PersonId, key: &str, at: i64, ms: i64) -> NewStatement {
    let mut s = st(person, Verb::Experienced, ActivityKind::Lesson, key, at);
    s.outcome.duration_ms = Some(ms);
    s
}

/// A new practitioner with no team or manager.
fn practitioner(employee_id: &str, email: &str, name: &str) -> somu_domain::org::PersonInput {
    somu_domain::org::PersonInput {
        employee_id: Some(employee_id.into()),
        email: email.into(),
        name: name.into(),
        audience: somu_domain::org::Audience::Practitioner,
        team: None,
        manager: None,
        employment_type: somu_domain::org::EmploymentType::Employee,
        language: "en".into(),
        job_title: None,
        start_date: None,
    }
}

async fn setup(app: &TestApp) -> (OrgFixture, OrgFixture) {
    let a = app.org("alpha", "Alpha").await;
    let b = app.org("beta", "Beta").await;
    catalogue(&app.state.store, a.id).await;
    catalogue(&app.state.store, b.id).await;
    (a, b)
}

async fn count(store: &Store, sql: &str, org: OrgId) -> i64 {
    match &store.backend {
        somu_store::Backend::Sqlite(p) => sqlx::query_scalar(sql).bind(org.0).fetch_one(p).await,
        somu_store::Backend::Postgres(p) => sqlx::query_scalar(sql).bind(org.0).fetch_one(p).await,
    }
    .expect("count")
}

async fn exec(store: &Store, sql: &str, org: OrgId) {
    match &store.backend {
        somu_store::Backend::Sqlite(p) => sqlx::query(sql).bind(org.0).execute(p).await.map(|_| ()),
        somu_store::Backend::Postgres(p) => {
            sqlx::query(sql).bind(org.0).execute(p).await.map(|_| ())
        }
    }
    .expect("exec")
}

#[tokio::test]
async fn an_owner_assigns_a_track_to_an_audience_and_the_learner_sees_it_first() {
    let app = TestApp::spawn().await;
    let (alpha, _) = setup(&app).await;
    let admin = app.signed_in(&alpha.admin).await;
    let r = admin
        .post_form(
            "/o/alpha/assignments",
            &[
                ("target", "track:practitioner"),
                ("scope", "audience"),
                ("audience", "practitioner"),
                ("mandatory", "yes"),
                ("due", "assigned"),
                ("due_days", "30"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "assignment refused");
    let (status, list) = admin.text("/o/alpha/assignments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Practitioner track"));
    // A voluntary course for everyone comes after the mandatory track.
    let r = admin
        .post_form(
            "/o/alpha/assignments",
            &[
                ("target", "course:guidelines"),
                ("scope", "everyone"),
                ("due", "none"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let learner = app.signed_in(&alpha.learner).await;
    let (status, home) = learner.text("/o/alpha/learn").await;
    assert_eq!(status, StatusCode::OK);
    let track = home.find("Practitioner track").expect("track on the home");
    let course = home
        .find("<h3>Engagement guidelines")
        .expect("course on the home");
    assert!(track < course, "mandatory work comes first");
    assert!(home.contains("Mandatory") && home.contains("Due"));
    assert!(home.contains("/o/alpha/learn/courses/why-social"));
    // An observer sees only the everyone course.
    let audit = count(
        &app.state.store,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE org_id = $1 AND action = 'assignment.create'",
        alpha.id,
    )
    .await;
    assert_eq!(audit, 2);
    let plan = app
        .state
        .store
        .learner_plan(alpha.id, alpha.people[3], date!(2026 - 01 - 01))
        .await
        .expect("plan");
    assert_eq!(plan.items.len(), 1);
    // Someone who joins the audience later is included.
    let newcomer = app
        .state
        .store
        .create_person(
            alpha.id,
            &practitioner("E900", "new@alpha.test", "New Hire"),
        )
        .await
        .expect("newcomer");
    let plan = app
        .state
        .store
        .learner_plan(alpha.id, newcomer, date!(2026 - 01 - 01))
        .await
        .expect("plan");
    assert_eq!(plan.items.len(), 2);
}

#[tokio::test]
async fn bad_assignments_name_the_field_and_change_nothing() {
    let app = TestApp::spawn().await;
    let (alpha, _) = setup(&app).await;
    let admin = app.signed_in(&alpha.admin).await;
    for (fields, field) in [
        (
            vec![
                ("target", "course:guidelines"),
                ("scope", "everyone"),
                ("due", "fixed"),
                ("due_date", "2001-01-01"),
            ],
            "due_date",
        ),
        (
            vec![
                ("target", "course:nope"),
                ("scope", "everyone"),
                ("due", "none"),
            ],
            "target",
        ),
        (
            vec![
                ("target", "course:guidelines"),
                ("scope", "people"),
                ("people", " "),
            ],
            "people",
        ),
        (
            vec![
                ("target", "course:guidelines"),
                ("scope", "people"),
                ("people", "ghost@alpha.test"),
            ],
            "people",
        ),
        (
            vec![
                ("target", "course:guidelines"),
                ("scope", "team"),
                ("team", "999"),
            ],
            "team",
        ),
    ] {
        let r = admin.post_form("/o/alpha/assignments", &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let body = r.text().await.expect("body");
        assert!(
            body.contains(&format!("<strong>{field}</strong>")),
            "{field}: {body}"
        );
    }
    let n = count(
        &app.state.store,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM assignment WHERE org_id = $1",
        alpha.id,
    )
    .await;
    assert_eq!(n, 0);
    // A learner may not assign.
    let learner = app.signed_in(&alpha.learner).await;
    let r = learner
        .post_form(
            "/o/alpha/assignments",
            &[("target", "course:guidelines"), ("scope", "everyone")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn another_organisations_ids_are_refused() {
    let app = TestApp::spawn().await;
    let (alpha, beta) = setup(&app).await;
    let input = AssignmentInput {
        kind: AssignKind::Course,
        target: "guidelines".into(),
        scope: ScopeKind::Everyone,
        scope_value: String::new(),
        people: vec![],
        mandatory: true,
        due: DueRule::None,
    };
    let beta_assignment = app
        .state
        .store
        .create_assignment(beta.id, &input, &[], "t", 0)
        .await
        .expect("assignment");
    let beta_cohort = app
        .state
        .store
        .create_cohort(
            beta.id,
            "Beta spring",
            "practitioner",
            "2026-03-01",
            &[beta.people[1]],
            0,
        )
        .await
        .expect("cohort");
    let admin = app.signed_in(&alpha.admin).await;
    let r = admin
        .post_form(
            &format!("/o/alpha/assignments/{beta_assignment}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (status, _) = admin.text(&format!("/o/alpha/cohorts/{beta_cohort}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Beta's people cannot be put in an Alpha assignment or cohort by email.
    let r = admin
        .post_form(
            "/o/alpha/assignments",
            &[
                ("target", "course:guidelines"),
                ("scope", "people"),
                ("people", "learner@beta.test"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Alpha's learner does not see Beta's assignment; Beta's admin cannot open Alpha's pages.
    let plan = app
        .state
        .store
        .learner_plan(alpha.id, alpha.people[1], date!(2026 - 01 - 01))
        .await
        .expect("plan");
    assert!(plan.items.is_empty());
    let beta_admin = app.signed_in(&beta.admin).await;
    let (status, _) = beta_admin.text("/o/alpha/progress").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Still there in Beta.
    app.state
        .store
        .assignment(beta.id, beta_assignment)
        .await
        .expect("untouched");
}

#[tokio::test]
async fn the_projector_catches_up_once_and_counts_distinct_lessons() {
    let app = TestApp::spawn().await;
    let (alpha, beta) = setup(&app).await;
    let store = &app.state.store;
    let me = alpha.people[1];
    store
        .record_statements(
            alpha.id,
            &[
                st(
                    me,
                    Verb::Launched,
                    ActivityKind::Lesson,
                    "why-social/intro/one",
                    100,
                ),
                experienced(me, "why-social/intro/one", 160, 60_000),
                // Reading the same lesson again adds time but not a lesson.
                experienced(me, "why-social/intro/one", 260, 30_000),
                experienced(me, "why-social/intro/two", 400, 120_000),
            ],
        )
        .await
        .expect("record");
    // Beta's statements never reach Alpha's projection.
    store
        .record_statements(
            beta.id,
            &[experienced(
                beta.people[1],
                "why-social/intro/three",
                10,
                1_000,
            )],
        )
        .await
        .expect("record");
    assert_eq!(store.project_progress(alpha.id).await.expect("project"), 4);
    assert_eq!(store.project_progress(alpha.id).await.expect("again"), 0);
    let plan = store
        .learner_plan(alpha.id, me, date!(2026 - 01 - 01))
        .await
        .expect("plan");
    let c = &plan.courses[0];
    assert_eq!((c.lessons_done, c.time_ms), (2, 210_000));
    assert_eq!(c.last_lesson.as_deref(), Some("why-social/intro/two"));
    assert_eq!(c.completed_at, None);
    // New statements are folded in on the next read, and only they.
    let mut quiz = st(
        me,
        Verb::Passed,
        ActivityKind::Quiz,
        "why-social/intro",
        500,
    );
    quiz.outcome.scaled = Some(0.9);
    let mut pre = st(me, Verb::Failed, ActivityKind::Test, "practitioner/pre", 50);
    pre.outcome.scaled = Some(0.4);
    let mut post = st(
        me,
        Verb::Passed,
        ActivityKind::Test,
        "practitioner/post",
        900,
    );
    post.outcome.scaled = Some(0.85);
    store
        .record_statements(
            alpha.id,
            &[
                experienced(me, "why-social/intro/three", 600, 60_000),
                quiz,
                st(me, Verb::Completed, ActivityKind::Course, "why-social", 700),
                pre,
                post,
            ],
        )
        .await
        .expect("record");
    let learner = app.signed_in(&alpha.learner).await;
    let (status, page) = learner.text("/o/alpha/learn/progress").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("3/3") && page.contains("90%"), "{page}");
    // Gain: 85% − 40% = +45 points.
    assert!(page.contains("+45"));
    let r = learner.get("/o/alpha/learn/progress.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.expect("csv");
    assert!(csv.starts_with("course,title,lessons_done") && csv.contains("why-social"));
    assert_eq!(store.project_progress(alpha.id).await.expect("done"), 0);
    let beta_rows = count(
        store,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM progress_course WHERE org_id = $1",
        beta.id,
    )
    .await;
    assert_eq!(beta_rows, 0, "Beta is projected only when read");
}

#[tokio::test]
async fn reminders_go_out_once_and_copy_the_manager_when_overdue() {
    let app = TestApp::spawn().await;
    let (alpha, _) = setup(&app).await;
    let store = &app.state.store;
    // The learner reports to the manager.
    exec(
        store,
        "UPDATE person SET manager_id = 3 WHERE org_id = $1 AND id = 2",
        alpha.id,
    )
    .await;
    let input = AssignmentInput {
        kind: AssignKind::Course,
        target: "guidelines".into(),
        scope: ScopeKind::People,
        scope_value: String::new(),
        people: vec![],
        mandatory: true,
        due: DueRule::Fixed(date!(2099 - 01 - 10)),
    };
    store
        .create_assignment(alpha.id, &input, &[alpha.people[1]], "t", 0)
        .await
        .expect("assignment");
    let at = |d: time::Date| d.midnight().assume_utc().unix_timestamp();
    let base = "http://somu.test";
    let early = remind_org(store, base, alpha.id, at(date!(2098 - 12 - 01)))
        .await
        .expect("run");
    assert_eq!(early, 0, "too early");
    let soon = remind_org(store, base, alpha.id, at(date!(2099 - 01 - 05)))
        .await
        .expect("run");
    assert_eq!(soon, 1);
    let again = remind_org(store, base, alpha.id, at(date!(2099 - 01 - 06)))
        .await
        .expect("run");
    assert_eq!(again, 0, "sent once");
    // Two servers running the overdue round at once send it once.
    let late = at(date!(2099 - 01 - 12));
    let (a, b) = tokio::join!(
        remind_org(store, base, alpha.id, late),
        remind_org(store, base, alpha.id, late)
    );
    assert_eq!(a.expect("a") + b.expect("b"), 1);
    let outbox = store.outbox(alpha.id, 50).await.expect("outbox");
    let to_learner = outbox.iter().filter(|m| m.to_addr == alpha.learner).count();
    let to_manager: Vec<_> = outbox
        .iter()
        .filter(|m| m.to_addr == "manager@alpha.test")
        .collect();
    assert_eq!(to_learner, 2);
    assert_eq!(to_manager.len(), 1);
    assert!(to_manager[0].subject.contains("overdue"));
    // In the app: two notifications, marked read one by one.
    let learner = app.signed_in(&alpha.learner).await;
    let (_, home) = learner.text("/o/alpha/learn").await;
    assert!(home.contains("Overdue since 2099-01-10") && home.contains("Due 2099-01-10"));
    let notes = store
        .notifications(alpha.id, alpha.people[1], 10)
        .await
        .expect("notes");
    assert_eq!(notes.len(), 2);
    let r = learner
        .post_form(
            &format!("/o/alpha/learn/notifications/{}/read", notes[0].id),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Someone else's notification is not found.
    let other = app.signed_in("manager@alpha.test").await;
    let r = other
        .post_form(
            &format!("/o/alpha/learn/notifications/{}/read", notes[1].id),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let notes = store
        .notifications(alpha.id, alpha.people[1], 10)
        .await
        .expect("notes");
    assert_eq!(notes.iter().filter(|n| n.read_at.is_some()).count(), 1);
    // Finishing the course stops further reminders (none are left to send anyway).
    store
        .record_statements(
            alpha.id,
            &[st(
                alpha.people[1],
                Verb::Completed,
                ActivityKind::Course,
                "guidelines",
                10,
            )],
        )
        .await
        .expect("record");
    store.project_progress(alpha.id).await.expect("project");
    let a = store.assignments(alpha.id).await.expect("list");
    assert!(store
        .pending_people(alpha.id, &a[0])
        .await
        .expect("pending")
        .is_empty());
}

#[tokio::test]
async fn owners_and_managers_see_progress_with_csv() {
    let app = TestApp::spawn().await;
    let (alpha, _) = setup(&app).await;
    let store = &app.state.store;
    exec(
        store,
        "UPDATE person SET manager_id = 3 WHERE org_id = $1 AND id IN (2, 4)",
        alpha.id,
    )
    .await;
    // Person 5 reports to person 4: an indirect report of the manager.
    exec(
        store,
        "UPDATE person SET manager_id = 4 WHERE org_id = $1 AND id = 5",
        alpha.id,
    )
    .await;
    let input = AssignmentInput {
        kind: AssignKind::Course,
        target: "guidelines".into(),
        scope: ScopeKind::Everyone,
        scope_value: String::new(),
        people: vec![],
        mandatory: true,
        due: DueRule::Fixed(date!(2020 - 01 - 01)),
    };
    store
        .create_assignment(alpha.id, &input, &[], "t", 0)
        .await
        .expect("assignment");
    store
        .record_statements(
            alpha.id,
            &[
                experienced(alpha.people[1], "guidelines/a/one", 10, 60_000),
                st(
                    alpha.people[1],
                    Verb::Completed,
                    ActivityKind::Course,
                    "guidelines",
                    20,
                ),
                experienced(alpha.people[3], "guidelines/a/one", 10, 60_000),
            ],
        )
        .await
        .expect("record");
    let admin = app.signed_in(&alpha.admin).await;
    let (status, page) = admin.text("/o/alpha/progress").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<svg") && page.contains("Completion funnel"));
    // 8 people assigned, 2 started (25%), 1 completed (13%).
    assert!(page.contains("Assigned: 8 (100%)"), "{page}");
    assert!(page.contains("Started: 2 (25%)"));
    assert!(page.contains("Completed: 1 (13%)"));
    assert!(page.contains("Overdue") && page.contains("Alpha Member 0"));
    for report in ["funnel", "audience", "team", "course", "cohort", "overdue"] {
        let r = admin
            .get(&format!("/o/alpha/progress/export.csv?report={report}"))
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{report}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/csv"));
    }
    let overdue = admin
        .get("/o/alpha/progress/export.csv?report=overdue")
        .await
        .text()
        .await
        .expect("csv");
    assert_eq!(
        overdue.lines().count(),
        1 + 7,
        "everyone but the finisher: {overdue}"
    );
    let (status, _) = admin
        .text("/o/alpha/progress/export.csv?report=salaries")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The manager sees direct and indirect reports, not others.
    let manager = app.signed_in("manager@alpha.test").await;
    let (status, team) = manager.text("/o/alpha/progress/team").await;
    assert_eq!(status, StatusCode::OK);
    assert!(team.contains("Alpha learner") && team.contains("Alpha Member 0"));
    assert!(team.contains("Alpha Member 1") && team.contains("indirect"));
    assert!(!team.contains("Alpha Member 2"));
    let csv = manager
        .get("/o/alpha/progress/team.csv")
        .await
        .text()
        .await
        .expect("csv");
    assert_eq!(csv.lines().count(), 4);
    // A manager cannot look at another manager's team; a learner cannot see team views.
    let (status, _) = manager.text("/o/alpha/progress/team?manager=1").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let learner = app.signed_in(&alpha.learner).await;
    let (status, _) = learner.text("/o/alpha/progress/team").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = learner.text("/o/alpha/progress").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_cohort_shows_each_members_progress_through_its_track() {
    let app = TestApp::spawn().await;
    let (alpha, _) = setup(&app).await;
    let admin = app.signed_in(&alpha.admin).await;
    let r = admin
        .post_form(
            "/o/alpha/cohorts",
            &[
                ("name", "Spring 2026"),
                ("track", "practitioner"),
                ("start_date", "2026-03-02"),
                ("people", "learner@alpha.test, p0@alpha.test"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let path = location(&r);
    app.state
        .store
        .record_statements(
            alpha.id,
            &[st(
                alpha.people[1],
                Verb::Completed,
                ActivityKind::Course,
                "why-social",
                5,
            )],
        )
        .await
        .expect("record");
    let (status, page) = admin.text(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Spring 2026") && page.contains("Alpha learner"));
    assert!(page.contains("1/2") && page.contains("0/2"));
    let r = admin
        .post_form(
            &format!("{}/members", path.split('?').next().unwrap_or("")),
            &[("people", "p1@alpha.test")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, list) = admin.text("/o/alpha/cohorts").await;
    assert!(list.contains("Spring 2026") && list.contains(">3<"));
    // Bad input: a taken name, an unknown track, a bad date, an unknown person.
    for (fields, status) in [
        (
            vec![
                ("name", "Spring 2026"),
                ("track", "practitioner"),
                ("start_date", "2026-03-02"),
            ],
            StatusCode::CONFLICT,
        ),
        (
            vec![
                ("name", "X"),
                ("track", "nope"),
                ("start_date", "2026-03-02"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            vec![
                ("name", "X"),
                ("track", "practitioner"),
                ("start_date", "March"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            vec![
                ("name", "X"),
                ("track", "practitioner"),
                ("start_date", "2026-03-02"),
                ("people", "ghost@x"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let r = admin.post_form("/o/alpha/cohorts", &fields).await;
        assert_eq!(r.status(), status, "{fields:?}");
    }
    assert_eq!(
        app.state.store.cohorts(alpha.id).await.expect("list").len(),
        1
    );
    // The programme view lists the cohort's funnel.
    let (_, programme) = admin.text("/o/alpha/progress").await;
    assert!(programme.contains("Spring 2026"));
}

#[tokio::test]
async fn completions_import_names_bad_lines_and_is_idempotent() {
    let app = TestApp::spawn().await;
    let (alpha, _) = setup(&app).await;
    let admin = app.signed_in(&alpha.admin).await;
    let (status, _) = admin.text("/o/alpha/progress/import").await;
    assert_eq!(status, StatusCode::OK);
    let bad = "person,course,completed_at,score\n\
               learner@alpha.test,why-social,2025-05-01,80\n\
               ghost@alpha.test,why-social,2025-05-01,80\n\
               p0@alpha.test,nope,2025-05-01,\n";
    let r = admin
        .upload("/o/alpha/progress/import", "old.csv", bad.into())
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("body");
    assert!(body.contains("Line 3") || body.contains("line 3"), "{body}");
    assert!(body.contains("<strong>person</strong>") && body.contains("<strong>course</strong>"));
    let statements = "SELECT CAST(COUNT(*) AS BIGINT) FROM statement WHERE org_id = $1";
    assert_eq!(
        count(&app.state.store, statements, alpha.id).await,
        0,
        "nothing written"
    );
    let good = "email,course,completed_at,score\n\
                learner@alpha.test,why-social,2025-05-01,80\n\
                p0@alpha.test,guidelines,2025-06-01T09:00:00Z,\n";
    let r = admin
        .upload("/o/alpha/progress/import", "old.csv", good.into())
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.expect("body");
    assert!(body.contains("Recorded: 2"), "{body}");
    // completed ×2 and passed ×1 (the line with a score).
    assert_eq!(count(&app.state.store, statements, alpha.id).await, 3);
    let r = admin
        .upload("/o/alpha/progress/import", "old.csv", good.into())
        .await;
    let body = r.text().await.expect("body");
    assert!(body.contains("Recorded: 0") && body.contains("Already recorded: 2"));
    assert_eq!(count(&app.state.store, statements, alpha.id).await, 3);
    let plan = app
        .state
        .store
        .learner_plan(alpha.id, alpha.people[1], date!(2026 - 01 - 01))
        .await
        .expect("plan");
    assert!(plan.courses.is_empty(), "read without projecting first");
    app.state
        .store
        .project_progress(alpha.id)
        .await
        .expect("project");
    let plan = app
        .state
        .store
        .learner_plan(alpha.id, alpha.people[1], date!(2026 - 01 - 01))
        .await
        .expect("plan");
    assert_eq!(plan.courses[0].best_score, Some(0.8));
    assert!(plan.courses[0].completed_at.is_some());
}

#[tokio::test]
async fn the_api_assigns_and_reports() {
    let app = TestApp::spawn().await;
    let (alpha, _) = setup(&app).await;
    let admin = app.signed_in(&alpha.admin).await;
    let r = admin
        .post_form(
            "/o/alpha/tokens",
            &[("name", "script"), ("days", "30"), ("write", "1")],
        )
        .await;
    let html = r.text().await.expect("page");
    let start = html.find("id=\"new-token\">").expect("token") + "id=\"new-token\">".len();
    let token = html[start..].split('<').next().unwrap_or("").to_string();
    let api = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", app.base);
    let r = api
        .post(url("/api/v1/orgs/alpha/assignments"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"target": "course:guidelines", "scope": "people",
            "people": ["learner@alpha.test"], "mandatory": true, "due": "assigned", "due_days": 14}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = api
        .post(url("/api/v1/orgs/alpha/assignments"))
        .bearer_auth(&token)
        .json(
            &serde_json::json!({"target": "course:guidelines", "scope": "everyone",
            "due": "fixed", "due_date": "2000-01-01"}),
        )
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: serde_json::Value = r.json().await.expect("json");
    assert_eq!(problem["errors"][0]["field"], "due_date");
    let list: serde_json::Value = api
        .get(url("/api/v1/orgs/alpha/assignments"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let report: serde_json::Value = api
        .get(url("/api/v1/orgs/alpha/progress"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(report["funnel"]["assigned"], 1);
    // Another organisation's API is closed to this token.
    let r = api
        .get(url("/api/v1/orgs/beta/assignments"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert!(r.status() == StatusCode::NOT_FOUND || r.status() == StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_command_line_imports_completions_once_and_sends_reminders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    let store = Store::connect(&somu_store::StoreOptions {
        url: db.clone(),
        max_connections: 2,
    })
    .await
    .expect("connect");
    store.migrate().await.expect("migrate");
    let org = store
        .create_org(&somu_domain::org::NewOrg::parse("acme", "Acme").expect("org"))
        .await
        .expect("org")
        .org_id();
    catalogue(&store, org).await;
    store
        .create_person(org, &practitioner("E1", "ann@acme.test", "Ann"))
        .await
        .expect("person");
    store.close().await;
    let file = dir.path().join("done.csv");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_somu"))
            .args(["--database-url", &db])
            .args(args)
            .output()
            .expect("run")
    };
    std::fs::write(
        &file,
        "person,course,completed_at\nE1,why-social,2025-01-01\nE2,why-social,2025-01-01\n",
    )
    .expect("write");
    let path = file.to_str().expect("path");
    let out = run(&["import", "completions", path, "--org", "acme"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 3, person") && err.contains("nothing was changed"),
        "{err}"
    );
    std::fs::write(
        &file,
        "person,course,completed_at,score\nE1,why-social,2025-01-01,92\n",
    )
    .expect("write");
    let out = run(&["import", "completions", path, "--org", "acme"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 completions recorded, 0 already there")
    );
    let out = run(&["import", "completions", path, "--org", "acme"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 completions recorded, 1 already there")
    );
    let out = run(&["remind", "--org", "acme"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("acme: 0 reminders sent"));
    let out = run(&["remind", "--org", "nope"]);
    assert!(!out.status.success());
}

/// The funnel as each person's plan sees it (computed live from the assignments, the catalogue
/// and the projection), to check the owner's view, which reads the standing tables.
async fn funnel_from_plans(
    store: &Store,
    org: OrgId,
    people: &[PersonId],
) -> somu_domain::progress::Funnel {
    let mut f = somu_domain::progress::Funnel::default();
    for p in people {
        let plan = store
            .learner_plan(org, *p, date!(2026 - 01 - 01))
            .await
            .expect("plan");
        let items: Vec<_> = plan
            .items
            .iter()
            .filter(|i| !i.courses.is_empty())
            .collect();
        if items.is_empty() {
            continue;
        }
        f.assigned += 1;
        if items
            .iter()
            .any(|i| i.courses.iter().any(|c| c.started_at.is_some()))
        {
            f.started += 1;
        }
        if items.iter().all(|i| i.done == i.courses.len()) {
            f.completed += 1;
            let passed = plan.items.iter().any(|i| {
                i.assignment.kind == "track"
                    && plan
                        .tracks
                        .iter()
                        .any(|t| t.track_slug == i.assignment.target && t.post_passed)
            });
            f.post_passed += i64::from(passed);
        }
    }
    f
}

/// The owner's view after catching up, checked against every plan; returns the report.
async fn checked_report(
    store: &Store,
    org: OrgId,
    people: &[PersonId],
) -> somu_store::progress::ProgrammeReport {
    store.project_progress(org).await.expect("project");
    let report = store.programme_report(org).await.expect("report");
    assert_eq!(report.funnel, funnel_from_plans(store, org, people).await);
    // The team view's counts agree with each plan too.
    let today = date!(2026 - 01 - 01);
    let ids: Vec<i64> = people.iter().map(|p| p.0).collect();
    let counts = store
        .standing_counts(org, &ids, today)
        .await
        .expect("counts");
    for p in people {
        let plan = store.learner_plan(org, *p, today).await.expect("plan");
        let of = |s: Standing| plan.items.iter().filter(|i| i.standing == s).count();
        let c = counts.get(&p.0).copied().unwrap_or_default();
        assert_eq!(
            (c.assigned, c.done, c.in_progress, c.overdue),
            (
                plan.items.len(),
                of(Standing::Done),
                of(Standing::InProgress),
                of(Standing::Overdue)
            ),
            "person {}",
            p.0
        );
        let minutes: i64 = plan.courses.iter().map(|c| c.minutes()).sum();
        assert_eq!(c.minutes, minutes);
    }
    report
}

fn audience_of(r: &somu_store::progress::ProgrammeReport, name: &str) -> i64 {
    r.by_audience
        .iter()
        .find(|g| g.name == name)
        .map_or(0, |g| g.funnel.assigned)
}

#[tokio::test]
async fn the_owner_view_follows_people_assignments_and_tracks() {
    let app = TestApp::spawn().await;
    let (alpha, beta) = setup(&app).await;
    let store = &app.state.store;
    let people = alpha.people.clone();
    let track = AssignmentInput {
        kind: AssignKind::Track,
        target: "practitioner".into(),
        scope: ScopeKind::Audience,
        scope_value: "practitioner".into(),
        people: vec![],
        mandatory: true,
        due: DueRule::AfterAssigned(10),
    };
    let track_id = store
        .create_assignment(alpha.id, &track, &[], "t", 0)
        .await
        .expect("assignment");
    // Only the learner is a practitioner.
    let r = checked_report(store, alpha.id, &people).await;
    assert_eq!((r.funnel.assigned, audience_of(&r, "practitioner")), (1, 1));
    let overdue = store
        .overdue(alpha.id, date!(2026 - 01 - 01), 100)
        .await
        .expect("overdue");
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].due, date!(1970 - 01 - 11));
    // The learner finishes the first course and passes the post-test.
    let learner = people[1];
    let mut post = st(
        learner,
        Verb::Passed,
        ActivityKind::Test,
        "practitioner/post",
        30,
    );
    post.outcome.scaled = Some(0.9);
    store
        .record_statements(
            alpha.id,
            &[
                experienced(learner, "why-social/a/one", 10, 60_000),
                st(
                    learner,
                    Verb::Completed,
                    ActivityKind::Course,
                    "why-social",
                    20,
                ),
                post,
            ],
        )
        .await
        .expect("record");
    let r = checked_report(store, alpha.id, &people).await;
    assert_eq!((r.funnel.started, r.funnel.completed), (1, 0));
    let why = r.by_course.iter().find(|c| c.course == "why-social");
    assert_eq!(
        why.map(|c| (c.assigned, c.completed, c.time_ms)),
        Some((1, 1, 60_000))
    );
    // The track shrinks to the course they finished: they are done, post-test passed, and
    // no longer overdue.
    store
        .put_track(
            alpha.id,
            &TrackEntry {
                id: 0,
                slug: "practitioner".into(),
                audience: "practitioner".into(),
                title: "Practitioner track".into(),
                summary: "For practitioners.".into(),
                pass_mark: 70,
                courses: vec!["why-social".into()],
                updated_at: 0,
            },
        )
        .await
        .expect("track");
    let r = checked_report(store, alpha.id, &people).await;
    assert_eq!((r.funnel.completed, r.funnel.post_passed), (1, 1));
    assert!(store
        .overdue(alpha.id, date!(2026 - 01 - 01), 100)
        .await
        .expect("overdue")
        .is_empty());
    // A member moves to the practitioner audience and into the team: counted there.
    let mut moved = practitioner("m0", "p0@alpha.test", "Alpha Member 0");
    moved.team = Some("Alpha Team".into());
    store
        .update_person(alpha.id, people[3], &moved)
        .await
        .expect("update");
    let r = checked_report(store, alpha.id, &people).await;
    assert_eq!(audience_of(&r, "practitioner"), 2);
    let team = r.by_team.iter().find(|g| g.name == "Alpha Team");
    assert_eq!(team.map(|g| g.funnel.assigned), Some(1));
    // A new assignment of a course to everyone reaches all eight.
    let everyone = AssignmentInput {
        kind: AssignKind::Course,
        target: "guidelines".into(),
        scope: ScopeKind::Everyone,
        scope_value: String::new(),
        people: vec![],
        mandatory: false,
        due: DueRule::None,
    };
    let everyone_id = store
        .create_assignment(alpha.id, &everyone, &[], "t", 0)
        .await
        .expect("assignment");
    let r = checked_report(store, alpha.id, &people).await;
    assert_eq!((r.funnel.assigned, r.funnel.completed), (8, 0));
    // Someone who leaves drops out; a newcomer is counted; the other organisation's people
    // and assignments never appear.
    store
        .set_person_active(alpha.id, people[4], false)
        .await
        .expect("leave");
    let newcomer = store
        .create_person(alpha.id, &practitioner("n1", "new@alpha.test", "Newcomer"))
        .await
        .expect("person");
    let mut all = people.clone();
    all.push(newcomer);
    let r = checked_report(store, alpha.id, &all).await;
    assert_eq!((r.funnel.assigned, audience_of(&r, "practitioner")), (8, 3));
    store
        .create_assignment(beta.id, &everyone, &[], "t", 0)
        .await
        .expect("beta assignment");
    assert_eq!(
        checked_report(store, alpha.id, &all).await.funnel.assigned,
        8
    );
    assert_eq!(
        checked_report(store, beta.id, &beta.people)
            .await
            .funnel
            .assigned,
        8
    );
    // Erasing a person drops them and leaves no standing rows of theirs.
    store
        .erase_person(alpha.id, people[5])
        .await
        .expect("erase");
    assert_eq!(
        checked_report(store, alpha.id, &all).await.funnel.assigned,
        7
    );
    for table in ["assignment_status", "assigned_course", "progress_dirty"] {
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM {table} WHERE org_id = $1 AND person_id = {}",
            people[5].0
        );
        assert_eq!(count(store, &sql, alpha.id).await, 0, "{table}");
    }
    // Withdrawing both leaves nothing assigned.
    for id in [track_id, everyone_id] {
        store
            .withdraw_assignment(alpha.id, id, 50)
            .await
            .expect("withdraw");
    }
    let r = checked_report(store, alpha.id, &all).await;
    assert_eq!(r.funnel.assigned, 0);
    assert!(r.by_course.is_empty());
}
