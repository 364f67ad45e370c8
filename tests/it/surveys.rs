//! Post-training surveys: sent once per completion and wave (in the app and by mail), reminded
//! once, answered once through the form or the API, refused with the field named, kept from other
//! people and organisations, and reported only in groups of at least the minimum size.

use crate::helpers::{TestApp, User};
use reqwest::StatusCode;
use serde_json::{json, Value};
use somu_domain::ids::PersonId;
use somu_domain::surveys::{Answer, WEEK};
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb};
use somu_store::surveys::Refusal;
use somu_web::pages::surveys::send::survey_org;

fn completed(person: PersonId, kind: ActivityKind, key: &str, at: i64) -> NewStatement {
    NewStatement {
        person,
        verb: Verb::Completed,
        kind,
        key: key.into(),
        name: key.into(),
        parent: None,
        registration: None,
        outcome: Outcome::default(),
        at,
    }
}

async fn api_token(user: &User, org: &str) -> String {
    let fields = [("name", "script"), ("days", "30"), ("write", "1")];
    let r = user.post_form(&format!("/o/{org}/tokens"), &fields).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("body");
    let start = html.find("id=\"new-token\">").expect("token") + "id=\"new-token\">".len();
    html[start..].split('<').next().unwrap_or("").to_string()
}

#[tokio::test]
async fn surveys_go_out_once_are_answered_once_and_reported_anonymously() {
    let app = TestApp::spawn().await;
    let store = &app.state.store;
    let alpha = app.org("alpha", "Alpha").await;
    let beta = app.org("beta", "Beta").await;
    let now = app.state.clock.now();
    let done = now - 3600;
    // Eight people finish the practitioner track an hour ago; one also a course, long ago.
    let mut stmts: Vec<NewStatement> = alpha
        .people
        .iter()
        .map(|p| completed(*p, ActivityKind::Track, "practitioner", done))
        .collect();
    stmts.push(completed(
        alpha.people[1],
        ActivityKind::Course,
        "why-social",
        done - 60 * WEEK,
    ));
    store
        .record_statements(alpha.id, &stmts)
        .await
        .expect("record");
    let base = "http://somu.test";
    let first = survey_org(store, base, alpha.id, now).await.expect("round");
    // The server's own round (it runs as the server starts) may have sent some of them first;
    // between them, each of the eight went out once.
    assert!(first.sent <= 8);
    let invitations = store
        .outbox(alpha.id, 50)
        .await
        .expect("outbox")
        .iter()
        .filter(|m| m.subject.contains("survey"))
        .count();
    assert_eq!(
        invitations, 8,
        "reaction at completion, none for the old course"
    );
    let (a, b) = tokio::join!(
        survey_org(store, base, alpha.id, now),
        survey_org(store, base, alpha.id, now)
    );
    assert_eq!(a.expect("a").sent + b.expect("b").sent, 0, "sent once");
    assert_eq!(
        survey_org(store, base, beta.id, now)
            .await
            .expect("beta")
            .sent,
        0
    );
    let outbox = store.outbox(alpha.id, 50).await.expect("outbox");
    let mail = outbox
        .iter()
        .find(|m| m.to_addr == alpha.learner)
        .expect("mail to the learner");
    assert!(mail.subject.contains("survey"));
    assert!(mail.body.contains("http://somu.test/o/alpha/surveys/"));
    assert!(!mail.body.contains("{id}"));

    // The learner finds it on the learning home and in their surveys.
    let learner = app.signed_in(&alpha.learner).await;
    let (_, home) = learner.text("/o/alpha/learn").await;
    assert!(home.contains("A short survey about"));
    let (_, mine) = learner.text("/o/alpha/surveys").await;
    let id: i64 = mine
        .split("/o/alpha/surveys/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .expect("a survey link");
    let (status, form) = learner.text(&format!("/o/alpha/surveys/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("<fieldset") && form.contains("<legend>"));
    assert!(form.contains("name=\"q3\" value=\"10\""), "NPS 0–10");
    let path = format!("/o/alpha/surveys/{id}");
    // Missing required answers and an out-of-range rating: refused, naming the fields.
    let r = learner.post_form(&path, &[("q1", "9")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(html.contains("<strong>q1</strong>") && html.contains("<strong>q2</strong>"));
    assert!(html.contains("Question 1 takes a whole number from 1 to 5"));
    // Someone else's survey and another organisation's are not found.
    let admin = app.signed_in(&alpha.admin).await;
    let (s, _) = admin.text(&path).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let r = admin
        .post_form(&path, &[("q1", "4"), ("q2", "4"), ("q3", "9")])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let outsider = app.signed_in(&beta.learner).await;
    let (s, _) = outsider.text(&format!("/o/beta/surveys/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = outsider.text(&path).await;
    assert!(s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN);
    // Answered once.
    let ok = [
        ("q1", "5"),
        ("q2", "4"),
        ("q3", "10"),
        ("q4", "More examples please"),
    ];
    let r = learner.post_form(&path, &ok).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = learner.post_form(&path, &ok).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // One response: the results say so and show nothing else.
    let (_, results) = admin.text("/o/alpha/surveys/results").await;
    assert!(results.contains("Not enough responses to show without singling someone out"));
    assert!(!results.contains("More examples please"));
    assert!(store
        .survey_reactions(alpha.id)
        .await
        .expect("l1")
        .is_empty());
    // The API answers for the others (token of the admin, who is one of the eight).
    let token = api_token(&admin, "alpha").await;
    let api = reqwest::Client::new();
    let mine: Value = api
        .get(format!("{}/api/v1/orgs/alpha/surveys/mine", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("mine")
        .json()
        .await
        .expect("json");
    let admin_send = mine[0]["id"].as_i64().expect("id");
    assert_eq!(mine[0]["questions"][2]["kind"], "nps");
    let url = format!(
        "{}/api/v1/orgs/alpha/surveys/{admin_send}/answers",
        app.base
    );
    let r = api
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"answers": {"q1": 0, "q2": 3, "q3": 8}}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.expect("problem");
    assert_eq!(problem["errors"][0]["field"], "answers.q1");
    let r = api
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"answers": {"q1": 4, "q2": 3, "q3": 8, "q4": null}}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // Another organisation's id through the API: not found.
    let r = api
        .post(format!(
            "{}/api/v1/orgs/alpha/surveys/{id}/answers",
            app.base
        ))
        .bearer_auth(&token)
        .json(&json!({"answers": {"q1": 4, "q2": 3, "q3": 8}}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Three more answer (directly), reaching the minimum group of five.
    for (i, p) in alpha.people[3..6].iter().enumerate() {
        let send = store.my_surveys(alpha.id, *p).await.expect("mine")[0].clone();
        let answers = vec![
            Some(Answer::Score(3 + i as u8)),
            Some(Answer::Score(4)),
            Some(Answer::Score(6 + i as u8)),
            None,
        ];
        store
            .answer_survey(alpha.id, *p, send.id, &answers, now)
            .await
            .expect("store")
            .expect("accepted");
    }
    let (_, results) = admin.text("/o/alpha/surveys/results?wave=0").await;
    assert!(results.contains("More examples please"));
    assert!(results.contains("<svg") && results.contains("<table"));
    assert!(!results.contains("Alpha learner"), "no names");
    let res: Value = api
        .get(format!(
            "{}/api/v1/orgs/alpha/surveys/results?kind=track&key=practitioner",
            app.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("results")
        .json()
        .await
        .expect("json");
    let g = &res["groups"][0];
    assert_eq!(g["responses"], 5);
    assert_eq!(g["shown"], true);
    // Ratings: learner 5, 4; admin 4, 3; others 3, 4 / 4, 4 / 5, 4 → 40 / 10 = 4.0.
    assert_eq!(g["mean_rating"], 4.0);
    // NPS scores 10, 8, 6, 7, 8: one promoter, one detractor of five → 0.
    assert_eq!(g["nps"], 0.0);
    let r = api
        .get(format!(
            "{}/api/v1/orgs/alpha/surveys/results?wave=5",
            app.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("bad wave");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let csv = admin.get("/o/alpha/surveys/results.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.expect("csv");
    assert!(csv.starts_with("object_kind,object_key,wave"));
    assert!(csv.contains("More examples please"));
    // Kirkpatrick L1 now has the track's ratings and NPS.
    let l1 = store.survey_reactions(alpha.id).await.expect("l1");
    assert_eq!(l1["practitioner"].ratings.len(), 10);
    assert_eq!(l1["practitioner"].nps_scores.len(), 5);
    let (_, programmes) = admin.text("/o/alpha/analytics/programmes").await;
    assert!(programmes.contains("4.00"), "L1 rating shown");

    // A week on, the three who have not answered are reminded, once.
    let later = now + 8 * 86_400;
    assert_eq!(
        survey_org(store, base, alpha.id, later)
            .await
            .expect("r")
            .reminded,
        3
    );
    assert_eq!(
        survey_org(store, base, alpha.id, later)
            .await
            .expect("r")
            .reminded,
        0
    );
    // Six weeks on, the confidence survey goes out; after closing, answers are refused.
    let six = done + 6 * WEEK + 60;
    assert_eq!(
        survey_org(store, base, alpha.id, six)
            .await
            .expect("r")
            .sent,
        8
    );
    let p = alpha.people[7];
    let open = store.my_surveys(alpha.id, p).await.expect("mine");
    let first_wave = open.iter().find(|s| s.wave == 0).expect("wave 0");
    let refused = store
        .answer_survey(alpha.id, p, first_wave.id, &[None, None, None, None], six)
        .await
        .expect("store");
    assert_eq!(refused, Err(Refusal::Closed));
}

#[tokio::test]
async fn owners_copy_and_edit_templates_plan_waves_and_set_the_group_size() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let beta = app.org("beta", "Beta").await;
    let admin = app.signed_in(&alpha.admin).await;
    let (s, page) = admin.text("/o/alpha/surveys/manage").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Your reaction to the training"));
    let r = admin
        .post_form("/o/alpha/surveys/manage/templates", &[("from", "reaction")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let edit = crate::helpers::location(&r);
    assert!(edit.starts_with("/o/alpha/surveys/manage/templates/"));
    // A question with an unknown type and an empty title are refused by name.
    let r = admin
        .post_form(
            &edit,
            &[
                ("title", ""),
                ("q1-text", "Was it fun?"),
                ("q1-kind", "stars"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(html.contains("<strong>q1-kind</strong>") && html.contains("<strong>title</strong>"));
    assert!(html.contains("Was it fun?"), "what was typed stays");
    let r = admin
        .post_form(
            &edit,
            &[
                ("title", "Our reaction survey"),
                ("q1-text", "Was it worth your time?"),
                ("q1-kind", "rating"),
                ("q1-required", "1"),
                ("q2-text", "Anything else?"),
                ("q2-kind", "text"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = admin.text(&edit).await;
    assert!(html.contains("Was it worth your time?"));
    let id = edit.rsplit('/').next().expect("id");
    // Another organisation cannot see or change it.
    let other = app.signed_in(&beta.admin).await;
    let (s, _) = other
        .text(&format!("/o/beta/surveys/manage/templates/{id}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let r = other
        .post_form(
            "/o/beta/surveys/manage/templates",
            &[("from", &format!("t{id}"))],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Plans: a known template is kept, an unknown one refused.
    let r = admin
        .post_form(
            "/o/alpha/surveys/manage/plans",
            &[("p:track:practitioner:0", &format!("t{id}"))],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let plans = app.state.store.survey_plans(alpha.id).await.expect("plans");
    assert_eq!(plans[0].template, format!("t{id}"));
    let r = admin
        .post_form(
            "/o/alpha/surveys/manage/plans",
            &[("p:track:practitioner:6", "t999")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Settings, checked.
    let r = admin
        .post_form(
            "/o/alpha/surveys/manage/settings",
            &[
                ("min_group", "1"),
                ("remind_days", "7"),
                ("open_days", "28"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("body").contains("min_group"));
    let r = admin
        .post_form(
            "/o/alpha/surveys/manage/settings",
            &[
                ("min_group", "8"),
                ("remind_days", "3"),
                ("open_days", "21"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let s = app.state.store.survey_settings(alpha.id).await.expect("s");
    assert_eq!((s.min_group, s.remind_days, s.open_days), (8, 3, 21));
    assert_eq!(
        app.state
            .store
            .survey_settings(beta.id)
            .await
            .expect("s")
            .min_group,
        5
    );
    // A learner may not manage.
    let learner = app.signed_in(&alpha.learner).await;
    let (s, _) = learner.text("/o/alpha/surveys/manage").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
