//! Classes: sessions, registration and the waitlist, attendance, the public catalogue and the
//! iCalendar feeds, as staff, members and the public use them.

use crate::helpers::{location, OrgFixture, TestApp, User};
use reqwest::StatusCode;
use somu_domain::ids::PersonId;
use somu_domain::org::AppRole;
use somu_domain::xapi::{ActivityKind, Verb};
use somu_store::statements::StatementFilter;

/// A session form, far enough ahead to stay in the future.
fn session_form<'a>(
    title: &'a str,
    starts: &'a str,
    ends: &'a str,
    capacity: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("time_zone", "Europe/Oslo"),
        ("starts", starts),
        ("ends", ends),
        ("place", "Room 4, Harbour House"),
        ("capacity", capacity),
        ("visibility", "in-company"),
        (
            "description",
            "Bring one post you are proud of; we will improve it together.",
        ),
    ]
}

async fn create(user: &User, org: &str, fields: &[(&str, &str)]) -> i64 {
    let r = user
        .post_form(&format!("/o/{org}/classes/new"), fields)
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let loc = location(&r);
    let id = loc
        .trim_start_matches(&format!("/o/{org}/classes/"))
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("session id in the redirect");
    id
}

async fn feed_of(user: &User, org: &str) -> String {
    let r = user.post_form(&format!("/o/{org}/classes/feed"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let loc = location(&r);
    let token = loc
        .split("feed=")
        .nth(1)
        .and_then(|t| t.split(['&', '#']).next())
        .expect("token in the redirect")
        .to_string();
    // The page shows the link once.
    let (_, html) = user.text(&loc).await;
    assert!(html.contains(&format!("/ical/{token}.ics")));
    token
}

async fn ics(user: &User, path: &str) -> String {
    let r = user.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert!(r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/calendar")));
    let text = r.text().await.expect("body");
    // Valid enough for a parser, and every line within 75 octets, ended by CRLF.
    let mut parser = ical::IcalParser::new(text.as_bytes());
    let cal = parser.next().expect("a calendar").expect("parses");
    assert!(!cal.timezones.is_empty() || cal.events.is_empty());
    assert!(text.ends_with("\r\n"));
    assert!(text.split("\r\n").all(|l| l.len() <= 75));
    text
}

async fn staff(app: &TestApp, org: &OrgFixture) -> User {
    // The fixture's manager becomes the organisation's instructor.
    app.state
        .store
        .set_roles(
            org.id,
            org.people[2],
            &[AppRole::Instructor, AppRole::Learner],
        )
        .await
        .expect("roles");
    app.signed_in(&format!("manager@{}.test", org.slug)).await
}

#[tokio::test]
async fn a_session_is_planned_moved_and_cancelled_and_the_calendars_follow() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let instructor = staff(&app, &alpha).await;
    let learner = app.signed_in(&alpha.learner).await;
    let id = create(
        &instructor,
        "alpha",
        &session_form(
            "Posting with care",
            "2030-03-30T09:00",
            "2030-03-30T12:30",
            "10",
        ),
    )
    .await;

    // The learner finds it, registers, and subscribes to their feed.
    let (status, html) = learner.text("/o/alpha/classes").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Posting with care"));
    let r = learner
        .post_form(&format!("/o/alpha/classes/{id}/register"), &[])
        .await;
    assert_eq!(
        location(&r),
        format!("/o/alpha/classes/{id}?done=registered")
    );
    let (_, html) = learner.text(&format!("/o/alpha/classes/{id}")).await;
    assert!(html.contains("Cancel my registration"));
    let token = feed_of(&learner, "alpha").await;
    let anon = app.client();
    let feed = ics(&anon, &format!("/ical/{token}.ics")).await;
    assert!(feed.contains("DTSTART;TZID=Europe/Oslo:20300330T090000\r\n"));
    assert!(feed.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\n"));
    assert!(feed.contains("SEQUENCE:0\r\nSTATUS:CONFIRMED"));
    let uid = feed
        .lines()
        .find(|l| l.starts_with("UID:"))
        .expect("UID")
        .to_string();

    // A `registered` statement was recorded.
    let learner_id = alpha.people[1];
    let st = app
        .state
        .store
        .statements(
            alpha.id,
            &StatementFilter {
                person: Some(learner_id),
                verb: Some(Verb::Registered),
                kind: Some(ActivityKind::Session),
                key: Some(id.to_string()),
                ..Default::default()
            },
            10,
        )
        .await
        .expect("statements");
    assert_eq!(st.len(), 1);

    // Moving it bumps the SEQUENCE, keeps the UID and tells the learner.
    let mut moved = session_form(
        "Posting with care",
        "2030-03-31T13:00",
        "2030-03-31T16:00",
        "10",
    );
    moved[1] = ("time_zone", "America/New_York");
    let r = instructor
        .post_form(&format!("/o/alpha/classes/{id}/edit"), &moved)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let feed = ics(&anon, &format!("/ical/{token}.ics")).await;
    assert!(feed.contains("DTSTART;TZID=America/New_York:20300331T130000\r\n"));
    assert!(feed.contains("SEQUENCE:1\r\n"));
    assert!(feed.contains(&uid));
    let mail = app.state.store.outbox(alpha.id, 20).await.expect("outbox");
    assert!(mail
        .iter()
        .any(|m| m.to_addr == alpha.learner && m.subject.starts_with("Session moved")));
    let (_, html) = learner.text("/o/alpha/classes").await;
    assert!(html.contains("has moved"));

    // The per-session file for members agrees.
    let one = ics(&learner, &format!("/o/alpha/classes/{id}.ics")).await;
    assert!(one.contains(&uid) && one.contains("SEQUENCE:1\r\n"));

    // Cancelling marks it cancelled everywhere and closes registration.
    let r = instructor
        .post_form(&format!("/o/alpha/classes/{id}/cancel"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let feed = ics(&anon, &format!("/ical/{token}.ics")).await;
    assert!(feed.contains("SEQUENCE:2\r\nSTATUS:CANCELLED\r\n"));
    let other = app.signed_in(&alpha.admin).await;
    let r = other
        .post_form(&format!("/o/alpha/classes/{id}/register"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.expect("body").contains("cancelled"));
    let mail = app.state.store.outbox(alpha.id, 20).await.expect("outbox");
    assert!(
        mail.iter()
            .any(|m| m.to_addr == alpha.learner
                && m.subject == "Session cancelled: Posting with care")
    );
    let r = instructor
        .post_form(&format!("/o/alpha/classes/{id}/edit"), &moved)
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = instructor
        .post_form(&format!("/o/alpha/classes/{id}/cancel"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // A new link replaces the old one.
    let fresh = feed_of(&learner, "alpha").await;
    assert_ne!(fresh, token);
    assert_eq!(
        anon.get(&format!("/ical/{token}.ics")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anon.get("/ical/not-a-token.ics").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bad_input_is_refused_by_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let instructor = staff(&app, &alpha).await;

    let r = instructor
        .post_form(
            "/o/alpha/classes/new",
            &session_form("Backwards", "2030-05-02T12:00", "2030-05-02T09:00", "5"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("body")
        .contains("the end must come after the start"));

    let mut unknown_zone = session_form("Nowhere", "2030-05-02T09:00", "2030-05-02T12:00", "5");
    unknown_zone[1] = ("time_zone", "Mars/Olympus_Mons");
    let r = instructor
        .post_form("/o/alpha/classes/new", &unknown_zone)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("body");
    assert!(body.contains("time_zone") && body.contains("Mars/Olympus_Mons"));
    assert!(app
        .state
        .store
        .class_sessions(alpha.id, &Default::default(), 10)
        .await
        .expect("list")
        .is_empty());

    // Two people hold seats: the capacity cannot drop to one.
    let id = create(
        &instructor,
        "alpha",
        &session_form("Small group", "2030-05-03T09:00", "2030-05-03T12:00", "3"),
    )
    .await;
    for who in ["learner@alpha.test", "p0@alpha.test"] {
        let r = instructor
            .post_form(&format!("/o/alpha/classes/{id}/enrol"), &[("person", who)])
            .await;
        assert_eq!(
            location(&r),
            format!("/o/alpha/classes/{id}?done=registered")
        );
    }
    let r = instructor
        .post_form(
            &format!("/o/alpha/classes/{id}/edit"),
            &session_form("Renamed", "2030-05-03T09:00", "2030-05-03T12:00", "1"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("body")
        .contains("2 people already hold a seat"));
    let s = app
        .state
        .store
        .class_session(alpha.id, id)
        .await
        .expect("session");
    assert_eq!((s.title.as_str(), s.capacity), ("Small group", 3));

    // Double registration: refused, nothing changed.
    let r = instructor
        .post_form(
            &format!("/o/alpha/classes/{id}/enrol"),
            &[("person", "p0@alpha.test")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.expect("body").contains("already registered"));
    let learner = app.signed_in(&alpha.learner).await;
    let r = learner
        .post_form(&format!("/o/alpha/classes/{id}/register"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.state
            .store
            .class_session(alpha.id, id)
            .await
            .expect("s")
            .registered,
        2
    );

    // A past session takes no registrations.
    let past = create(
        &instructor,
        "alpha",
        &session_form("Yesterday", "2020-05-03T09:00", "2020-05-03T12:00", "3"),
    )
    .await;
    let r = learner
        .post_form(&format!("/o/alpha/classes/{past}/register"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.expect("body").contains("already started"));

    // Unknown people and bad attendance values are named.
    let r = instructor
        .post_form(
            &format!("/o/alpha/classes/{id}/enrol"),
            &[("person", "nobody@x.test")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = instructor
        .post_form(
            &format!("/o/alpha/classes/{id}/attendance"),
            &[("p2", "maybe")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("body").contains("p2"));

    // A learner may not create or edit sessions.
    let r = learner
        .post_form(
            "/o/alpha/classes/new",
            &session_form("Mine", "2030-05-02T09:00", "2030-05-02T12:00", "5"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_full_session_fills_its_waitlist_and_promotes_in_order() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let instructor = staff(&app, &alpha).await;
    let id = create(
        &instructor,
        "alpha",
        &session_form("One seat", "2030-06-01T09:00", "2030-06-01T10:00", "1"),
    )
    .await;
    let learner = app.signed_in(&alpha.learner).await;
    let r = learner
        .post_form(&format!("/o/alpha/classes/{id}/register"), &[])
        .await;
    assert_eq!(
        location(&r),
        format!("/o/alpha/classes/{id}?done=registered")
    );
    for who in ["p0@alpha.test", "p1@alpha.test"] {
        let r = instructor
            .post_form(&format!("/o/alpha/classes/{id}/enrol"), &[("person", who)])
            .await;
        assert_eq!(
            location(&r),
            format!("/o/alpha/classes/{id}?done=waitlisted")
        );
    }
    let s = app
        .state
        .store
        .class_session(alpha.id, id)
        .await
        .expect("s");
    assert_eq!((s.registered, s.waitlisted), (1, 2));

    // The learner withdraws: p0 (first in line) gets the seat, by mail and in the app.
    let r = learner
        .post_form(&format!("/o/alpha/classes/{id}/withdraw"), &[])
        .await;
    assert_eq!(
        location(&r),
        format!("/o/alpha/classes/{id}?done=withdrawn")
    );
    let roster = app
        .state
        .store
        .registrations(alpha.id, id)
        .await
        .expect("roster");
    let status_of = |email: &str| {
        roster
            .iter()
            .find(|r| r.email == email)
            .map(|r| r.status.clone())
    };
    assert_eq!(status_of("p0@alpha.test").as_deref(), Some("registered"));
    assert_eq!(status_of("p1@alpha.test").as_deref(), Some("waitlisted"));
    assert_eq!(
        status_of("learner@alpha.test").as_deref(),
        Some("cancelled")
    );
    let mail = app.state.store.outbox(alpha.id, 20).await.expect("outbox");
    assert!(mail
        .iter()
        .any(|m| m.to_addr == "p0@alpha.test" && m.subject == "You have a seat: One seat"));
    let p0 = alpha.people[3];
    let notices = app
        .state
        .store
        .class_notices(alpha.id, p0, 5)
        .await
        .expect("notices");
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].1, "promoted");
    let registered = app
        .state
        .store
        .statements(
            alpha.id,
            &StatementFilter {
                person: Some(p0),
                verb: Some(Verb::Registered),
                ..Default::default()
            },
            10,
        )
        .await
        .expect("statements");
    assert_eq!(
        registered.len(),
        1,
        "a seat taken from the waitlist is a registration"
    );

    // Raising the capacity promotes the next person too.
    let r = instructor
        .post_form(
            &format!("/o/alpha/classes/{id}/edit"),
            &session_form("One seat", "2030-06-01T09:00", "2030-06-01T10:00", "2"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let s = app
        .state
        .store
        .class_session(alpha.id, id)
        .await
        .expect("s");
    assert_eq!((s.registered, s.waitlisted, s.ical_sequence), (2, 0, 0));
}

#[tokio::test]
async fn the_instructor_takes_attendance_and_attended_is_recorded() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let instructor = staff(&app, &alpha).await;
    let id = create(
        &instructor,
        "alpha",
        &session_form("Today", "2030-07-01T09:00", "2030-07-01T12:00", "5"),
    )
    .await;
    for who in ["learner@alpha.test", "p0@alpha.test"] {
        instructor
            .post_form(&format!("/o/alpha/classes/{id}/enrol"), &[("person", who)])
            .await;
    }
    let (status, html) = instructor
        .text(&format!("/o/alpha/classes/{id}/attendance"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (learner, p0) = (alpha.people[1], alpha.people[3]);
    assert!(html.contains(&format!("name=\"p{}\" value=\"present\"", learner.0)));
    let (lf, pf) = (format!("p{}", learner.0), format!("p{}", p0.0));
    let r = instructor
        .post_form(
            &format!("/o/alpha/classes/{id}/attendance"),
            &[(&lf, "present"), (&pf, "absent")],
        )
        .await;
    assert_eq!(
        location(&r),
        format!("/o/alpha/classes/{id}/attendance?done=attendance-saved")
    );
    let (_, html) = instructor
        .text(&format!("/o/alpha/classes/{id}/attendance"))
        .await;
    assert!(html.contains("1 / 2 present"));
    // Marking again does not record a second statement.
    instructor
        .post_form(
            &format!("/o/alpha/classes/{id}/attendance"),
            &[(&lf, "present")],
        )
        .await;
    let attended = |p: PersonId| {
        let store = app.state.store.clone();
        let org = alpha.id;
        async move {
            store
                .statements(
                    org,
                    &StatementFilter {
                        person: Some(p),
                        verb: Some(Verb::Attended),
                        ..Default::default()
                    },
                    10,
                )
                .await
                .expect("statements")
                .len()
        }
    };
    assert_eq!(attended(learner).await, 1);
    assert_eq!(attended(p0).await, 0);

    // Notes are kept.
    let r = instructor
        .post_form(
            &format!("/o/alpha/classes/{id}/notes"),
            &[("notes", "Projector in room 4 is broken.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = instructor.text(&format!("/o/alpha/classes/{id}")).await;
    assert!(html.contains("Projector in room 4 is broken."));
    // Someone without a seat cannot be marked.
    let p1 = format!("p{}", alpha.people[4].0);
    let r = instructor
        .post_form(
            &format!("/o/alpha/classes/{id}/attendance"),
            &[(&p1, "present")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_public_catalogue_registers_people_from_any_company_once() {
    let app = TestApp::spawn().await;
    let provider = app.org("harbour", "Harbour").await;
    let desk = app.signed_in(&provider.admin).await;
    let mut open = session_form("Open class", "2030-08-01T09:00", "2030-08-01T12:00", "1");
    open[6] = ("visibility", "open-calendar");
    let id = create(&desk, "harbour", &open).await;
    let private = create(
        &desk,
        "harbour",
        &session_form("Staff only", "2030-08-02T09:00", "2030-08-02T12:00", "5"),
    )
    .await;

    let anon = app.client();
    let (status, html) = anon.text("/catalogue/harbour").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Open class") && !html.contains("Staff only"));
    assert_eq!(
        anon.get(&format!("/catalogue/harbour/{private}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anon.get("/catalogue/nowhere").await.status(),
        StatusCode::NOT_FOUND
    );
    let public_ics = ics(&anon, &format!("/catalogue/harbour/{id}.ics")).await;
    assert!(public_ics.contains("SUMMARY:Open class"));

    let before = app
        .state
        .store
        .people(provider.id, &Default::default(), 1000, 0)
        .await
        .expect("people")
        .total;
    let form = [
        ("name", "Ana Ferreira"),
        ("email", "Ana@BlueFjord.example"),
        ("company", "Blue Fjord Foods"),
    ];
    let r = anon
        .post_form(&format!("/catalogue/harbour/{id}"), &form)
        .await;
    assert_eq!(
        location(&r),
        format!("/catalogue/harbour/{id}?done=registered")
    );
    // The same person again: refused clearly, and no second person.
    let r = anon
        .post_form(&format!("/catalogue/harbour/{id}"), &form)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("body").contains("already registered"));
    // Someone else: the seat is taken, so the waitlist.
    let r = anon
        .post_form(
            &format!("/catalogue/harbour/{id}"),
            &[
                ("name", "Bo Li"),
                ("email", "bo@kestrel.example"),
                ("company", "Kestrel Logistics"),
            ],
        )
        .await;
    assert_eq!(
        location(&r),
        format!("/catalogue/harbour/{id}?done=waitlisted")
    );
    let after = app
        .state
        .store
        .people(provider.id, &Default::default(), 1000, 0)
        .await
        .expect("people")
        .total;
    assert_eq!(after, before + 2);
    let ana = app
        .state
        .store
        .person_by_email(provider.id, "ana@bluefjord.example")
        .await
        .expect("q")
        .expect("ana");
    assert_eq!(ana.team_name.as_deref(), Some("Blue Fjord Foods"));

    // Bad input is named; a form without its anti-forgery token is refused.
    let r = anon
        .post_form(
            &format!("/catalogue/harbour/{id}"),
            &[("name", ""), ("email", "nope"), ("company", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("body");
    assert!(body.contains("email") && body.contains("company"));
    let r = app
        .client()
        .http
        .post(anon.url(&format!("/catalogue/harbour/{id}")))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Registering for an in-company session through the catalogue is not possible.
    let r = anon
        .post_form(&format!("/catalogue/harbour/{private}"), &form)
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_public_form_is_throttled() {
    let app = TestApp::spawn().await;
    let provider = app.org("harbour", "Harbour").await;
    let desk = app.signed_in(&provider.admin).await;
    let mut open = session_form("Open class", "2030-08-01T09:00", "2030-08-01T12:00", "100");
    open[6] = ("visibility", "open-calendar");
    let id = create(&desk, "harbour", &open).await;
    let anon = app.client();
    let mut last = StatusCode::OK;
    for i in 0..25 {
        let email = format!("visitor{i}@example.com");
        let r = anon
            .post_form(
                &format!("/catalogue/harbour/{id}"),
                &[("name", "V"), ("email", &email), ("company", "C")],
            )
            .await;
        last = r.status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn another_organisations_sessions_stay_out_of_reach() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let beta = app.org("beta", "Beta").await;
    let a_staff = staff(&app, &alpha).await;
    let b_staff = staff(&app, &beta).await;
    let id = create(
        &a_staff,
        "alpha",
        &session_form("Alpha only", "2030-09-01T09:00", "2030-09-01T12:00", "5"),
    )
    .await;
    // Beta's instructor: alpha's pages are not there, and beta's session ids are beta's own.
    assert_eq!(
        b_staff
            .get(&format!("/o/alpha/classes/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b_staff.get(&format!("/o/beta/classes/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b_staff
            .get(&format!("/o/beta/classes/{id}.ics"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let r = b_staff
        .post_form(
            &format!("/o/beta/classes/{id}/enrol"),
            &[("person", "learner@alpha.test")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let bid = create(
        &b_staff,
        "beta",
        &session_form("Beta only", "2030-09-01T09:00", "2030-09-01T12:00", "5"),
    )
    .await;
    let r = b_staff
        .post_form(
            &format!("/o/beta/classes/{bid}/enrol"),
            &[("person", "learner@alpha.test")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let a_learner = alpha.people[1].0.to_string();
    let r = b_staff
        .post_form(
            &format!("/o/beta/classes/{bid}/attendance"),
            &[(&format!("p{a_learner}"), "present")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Beta's list shows only beta's session; alpha's in-company session is not in any catalogue.
    let (_, html) = b_staff.text("/o/beta/classes").await;
    assert!(html.contains("Beta only") && !html.contains("Alpha only"));
    assert_eq!(
        app.client()
            .get(&format!("/catalogue/alpha/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // A company that publishes no open sessions has no public catalogue.
    assert_eq!(
        app.client().get("/catalogue/alpha").await.status(),
        StatusCode::NOT_FOUND
    );
    // A feed only shows its owner's organisation.
    let token = feed_of(&b_staff, "beta").await;
    let feed = ics(&app.client(), &format!("/ical/{token}.ics")).await;
    assert!(!feed.contains("Alpha only"));
}

#[tokio::test]
async fn the_api_lists_registers_withdraws_and_takes_attendance() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let store = &app.state.store;
    let account = |email: &'static str| async move {
        store
            .account_by_email(email)
            .await
            .expect("q")
            .expect("account")
            .account_id()
    };
    let (_, learner_token) = store
        .create_api_token(
            alpha.id,
            account("learner@alpha.test").await,
            "t",
            "read write",
            None,
        )
        .await
        .expect("token");
    let (_, admin_token) = store
        .create_api_token(
            alpha.id,
            account("admin@alpha.test").await,
            "t",
            "read write",
            None,
        )
        .await
        .expect("token");
    let api = reqwest::Client::new();
    let base = format!("{}/api/v1/orgs/alpha/classes", app.base);
    let r = api
        .post(&base)
        .bearer_auth(&admin_token)
        .json(&serde_json::json!({"title": "API class", "time_zone": "Europe/Oslo", "starts": "2030-10-01T09:00", "ends": "2030-10-01T08:00", "capacity": 1}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("body").contains("ends"));
    let r = api
        .post(&base)
        .bearer_auth(&admin_token)
        .json(&serde_json::json!({"title": "API class", "time_zone": "Europe/Oslo", "starts": "2030-10-01T09:00", "ends": "2030-10-01T11:00", "capacity": 1}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: serde_json::Value = r.json().await.expect("json");
    let id = created["id"].as_i64().expect("id");
    assert_eq!(created["starts"], "2030-10-01T07:00:00Z");
    let r = api
        .post(&base)
        .bearer_auth(&learner_token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let list: serde_json::Value = api
        .get(&base)
        .bearer_auth(&learner_token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let reg = format!("{base}/{id}/registrations");
    let r = api
        .post(&reg)
        .bearer_auth(&learner_token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = api
        .post(&reg)
        .bearer_auth(&learner_token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // A learner may not register someone else; staff may (to the waitlist: the seat is taken).
    let p0 = alpha.people[3].0;
    let r = api
        .post(&reg)
        .bearer_auth(&learner_token)
        .json(&serde_json::json!({"person_id": p0}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r: serde_json::Value = api
        .post(&reg)
        .bearer_auth(&admin_token)
        .json(&serde_json::json!({"person_id": p0}))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(r["status"], "waitlisted");
    let r: serde_json::Value = api
        .post(format!("{base}/{id}/withdraw"))
        .bearer_auth(&learner_token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(r["promoted"], p0);
    let r = api
        .put(format!("{base}/{id}/attendance"))
        .bearer_auth(&admin_token)
        .json(&serde_json::json!({"marks": [{"person_id": p0, "attendance": "present"}]}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    let detail: serde_json::Value = r.json().await.expect("json");
    assert_eq!(detail["registrations"][0]["attendance"], "present");
    let r = api
        .put(format!("{base}/{id}/attendance"))
        .bearer_auth(&admin_token)
        .json(&serde_json::json!({"marks": [{"person_id": p0, "attendance": "late"}]}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("body")
        .contains("marks[0].attendance"));
    // The learner's view has no roster.
    let d: serde_json::Value = api
        .get(format!("{base}/{id}"))
        .bearer_auth(&learner_token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert!(d["registrations"].is_null());
    assert_eq!(
        api.get(format!("{base}/999"))
            .bearer_auth(&learner_token)
            .send()
            .await
            .expect("get")
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn concurrent_registrations_never_overbook() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let instructor = staff(&app, &alpha).await;
    let id = create(
        &instructor,
        "alpha",
        &session_form("Rush", "2030-11-01T09:00", "2030-11-01T10:00", "3"),
    )
    .await;
    let now = app.state.clock.now();
    let tasks: Vec<_> = alpha
        .people
        .iter()
        .map(|p| {
            let store = app.state.store.clone();
            let (org, p) = (alpha.id, *p);
            tokio::spawn(async move { store.register(org, id, p, now).await })
        })
        .collect();
    let mut seats = 0;
    for t in tasks {
        let status = t.await.expect("task").expect("registration");
        if status == somu_domain::classes::RegistrationStatus::Registered {
            seats += 1;
        }
    }
    assert_eq!(seats, 3);
    let s = app
        .state
        .store
        .class_session(alpha.id, id)
        .await
        .expect("s");
    assert_eq!(
        (s.registered, s.waitlisted),
        (3, alpha.people.len() as i64 - 3)
    );
}
