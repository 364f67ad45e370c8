//! The records areas share: learning statements and the catalogue, on both backends, kept apart
//! by organisation.

use crate::helpers::TestApp;
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb, XapiContext};
use somu_store::catalogue::{CourseEntry, TrackEntry};
use somu_store::statements::StatementFilter;

fn completed(person: somu_domain::ids::PersonId, course: &str, at: i64) -> NewStatement {
    NewStatement {
        person,
        verb: Verb::Completed,
        kind: ActivityKind::Course,
        key: course.into(),
        name: format!("Course {course}"),
        parent: Some((ActivityKind::Track, "practitioner".into())),
        registration: None,
        outcome: Outcome {
            scaled: Some(0.75),
            completion: Some(true),
            duration_ms: Some(61_000),
            ..Outcome::default()
        },
        at,
    }
}

#[tokio::test]
async fn statements_are_numbered_per_organisation_and_read_back_whole() {
    let app = TestApp::spawn().await;
    let (a, b) = (
        app.org("alpha", "Alpha").await,
        app.org("beta", "Beta").await,
    );
    let store = &app.state.store;
    let stored = store
        .record_statements(
            a.id,
            &[
                completed(a.people[0], "basics", 100),
                completed(a.people[1], "basics", 200),
            ],
        )
        .await
        .expect("record");
    assert_eq!(stored.iter().map(|s| s.id).collect::<Vec<_>>(), [1, 2]);
    let in_b = store
        .record_statements(b.id, &[completed(b.people[0], "basics", 300)])
        .await
        .expect("record in b");
    assert_eq!(in_b[0].id, 1, "ids are numbered per organisation");

    let all_a = store
        .statements(a.id, &StatementFilter::default(), 100)
        .await
        .expect("read");
    assert_eq!(all_a, stored, "what is read back is what was written");
    let one = store
        .statements(
            a.id,
            &StatementFilter {
                person: Some(a.people[1]),
                verb: Some(Verb::Completed),
                kind: Some(ActivityKind::Course),
                key: Some("basics".into()),
                since: Some(150),
                ..StatementFilter::default()
            },
            100,
        )
        .await
        .expect("filtered");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].body.at, 200);
    let none = store
        .statements(
            a.id,
            &StatementFilter {
                after_id: Some(2),
                ..StatementFilter::default()
            },
            100,
        )
        .await
        .expect("after");
    assert!(none.is_empty());

    let xapi = one[0].to_xapi(
        XapiContext {
            base_url: "http://somu.test",
            org_slug: "alpha",
        },
        "Alpha learner",
    );
    assert_eq!(
        xapi["verb"]["id"],
        "http://adlnet.gov/expapi/verbs/completed"
    );
    assert_eq!(xapi["result"]["duration"], "PT1M1S");
}

#[tokio::test]
async fn the_catalogue_upserts_by_slug_and_keeps_organisations_apart() {
    let app = TestApp::spawn().await;
    let (a, b) = (
        app.org("alpha", "Alpha").await,
        app.org("beta", "Beta").await,
    );
    let store = &app.state.store;
    let mut course = CourseEntry {
        id: 0,
        slug: "basics".into(),
        title: "Basics".into(),
        summary: "Where to start.".into(),
        audiences: "practitioner,observer".into(),
        level: "introductory".into(),
        estimated_minutes: 45,
        modules: 2,
        lessons: 6,
        published_version: Some(1),
        updated_at: 10,
    };
    let id = store.put_course(a.id, &course).await.expect("put");
    course.title = "Basics, revised".into();
    assert_eq!(store.put_course(a.id, &course).await.expect("again"), id);
    let read = store.course_by_slug(a.id, "basics").await.expect("read");
    assert_eq!(read.title, "Basics, revised");
    assert!(store.course_by_slug(b.id, "basics").await.is_err());
    assert!(store.courses(b.id).await.expect("b").is_empty());

    let mut track = TrackEntry {
        id: 0,
        slug: "practitioner".into(),
        audience: "practitioner".into(),
        title: "Practitioner track".into(),
        summary: "For people who post for the company.".into(),
        pass_mark: 70,
        courses: vec!["basics".into(), "voice".into()],
        updated_at: 10,
    };
    store.put_track(a.id, &track).await.expect("track");
    track.courses = vec!["voice".into(), "basics".into(), "measure".into()];
    store.put_track(a.id, &track).await.expect("track again");
    let read = store
        .track_by_slug(a.id, "practitioner")
        .await
        .expect("read");
    assert_eq!(read.courses, ["voice", "basics", "measure"]);
    assert_eq!(store.tracks(a.id).await.expect("tracks").len(), 1);
    assert!(store.tracks(b.id).await.expect("b").is_empty());
}
