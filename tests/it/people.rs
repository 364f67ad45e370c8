//! The people directory as an org admin uses it.

use crate::helpers::{location, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn an_admin_adds_finds_edits_and_deactivates_a_person() {
    let app = TestApp::spawn().await;
    let _alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in("admin@alpha.test").await;
    let r = admin
        .post_form(
            "/o/alpha/people/new",
            &[
                ("email", "Zoe@Alpha.test"),
                ("name", "Zoë Zimmer"),
                ("audience", "leadership"),
                ("team", "Board"),
                ("employment_type", "part-time"),
                ("manager", "admin@alpha.test"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let path = location(&r);
    let (_, html) = admin.text(&path).await;
    assert!(
        html.contains("zoe@alpha.test")
            && html.contains("Leadership")
            && html.contains("Part-time")
            && html.contains("Board")
    );
    // Filters combine: leadership + part-time finds her, leadership + contractor does not.
    let (_, list) = admin
        .text("/o/alpha/people?audience=leadership&employment_type=part-time")
        .await;
    assert!(list.contains("Zoë Zimmer") && list.contains("1 person"));
    let (_, list) = admin
        .text("/o/alpha/people?audience=leadership&employment_type=contractor")
        .await;
    assert!(!list.contains("Zoë Zimmer"));
    let (_, list) = admin.text("/o/alpha/people?q=zimm").await;
    assert!(list.contains("Zoë Zimmer"));
    // A bad filter names the field.
    let (status, body) = admin.text("/o/alpha/people?audience=ceo").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("audience") && body.contains("ceo"));
    // Edit with a mistake: the form comes back naming the field, nothing changes.
    let id = path
        .trim_start_matches("/o/alpha/people/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let r = admin
        .post_form(
            &format!("/o/alpha/people/{id}/edit"),
            &[("email", "not-an-email"), ("name", "Zoë Z")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("is not an email address"));
    let (_, html) = admin.text(&format!("/o/alpha/people/{id}")).await;
    assert!(html.contains("Zoë Zimmer"), "unchanged");
    // Taken email: conflict shown on the form.
    let r = admin
        .post_form(
            "/o/alpha/people/new",
            &[("email", "zoe@alpha.test"), ("name", "Another Zoë")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Deactivate: hidden from the default list, shown under "all".
    let r = admin
        .post_form(
            &format!("/o/alpha/people/{id}/active"),
            &[("active", "false")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, list) = admin.text("/o/alpha/people?q=zimm").await;
    assert!(!list.contains("Zoë Zimmer"));
    let (_, list) = admin.text("/o/alpha/people?q=zimm&status=all").await;
    assert!(list.contains("Zoë Zimmer"));
    let audit = app
        .state
        .store
        .audit_entries(
            app.state
                .store
                .org_by_slug("alpha")
                .await
                .unwrap()
                .unwrap()
                .org_id(),
            "person.",
            10,
            0,
        )
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["person.deactivate", "person.create"]);
}

#[tokio::test]
async fn roles_are_granted_and_a_learner_gains_access() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in(&alpha.admin).await;
    let learner = app.signed_in(&alpha.learner).await;
    assert_eq!(
        learner.get("/o/alpha/people").await.status(),
        StatusCode::FORBIDDEN
    );
    let id = alpha.people[1].0.to_string();
    let token = admin.csrf().await;
    let r = admin
        .http
        .post(admin.url(&format!("/o/alpha/people/{id}/roles")))
        .form(&[
            ("csrf", token.as_str()),
            ("role", "instructor"),
            ("role", "learner"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        learner.get("/o/alpha/people").await.status(),
        StatusCode::OK
    );
    let r = admin
        .http
        .post(admin.url(&format!("/o/alpha/people/{id}/roles")))
        .form(&[("csrf", token.as_str()), ("role", "emperor")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn personal_data_is_exported_and_erased_on_request() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in(&alpha.admin).await;
    let id = alpha.people[4].0;
    let r = admin.get(&format!("/o/alpha/people/{id}/data.json")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let json: serde_json::Value = r.json().await.unwrap();
    assert_eq!(json["person"]["email"], "p1@alpha.test");
    let r = admin
        .post_form(
            &format!("/o/alpha/people/{id}/erase"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "needs the word ERASE"
    );
    let r = admin
        .post_form(
            &format!("/o/alpha/people/{id}/erase"),
            &[("confirm", "ERASE")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = admin.text(&format!("/o/alpha/people/{id}")).await;
    assert!(!html.contains("p1@alpha.test") && html.contains("Erased person"));
    let audit = app
        .state
        .store
        .audit_entries(alpha.id, "person.", 10, 0)
        .await
        .unwrap();
    assert_eq!(audit[0].action, "person.erase");
    assert_eq!(audit[1].action, "person.data-export");
}

#[tokio::test]
async fn people_export_as_csv_and_pagination_works() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let mut csv = String::from("email,name,audience\n");
    for i in 0..120 {
        csv.push_str(&format!("bulk{i:03}@alpha.test,Bulk {i:03},observer\n"));
    }
    let file = somu_domain::org::parse_people_csv(csv.as_bytes(), None, &|_| false).expect("valid");
    app.state
        .store
        .import_people(alpha.id, &file.rows, &|_, _| {})
        .await
        .expect("import");
    let admin = app.signed_in(&alpha.admin).await;
    let (_, page1) = admin.text("/o/alpha/people?q=bulk").await;
    assert!(
        page1.contains("120 people")
            && page1.contains("Page 1 / 3")
            && page1.contains("Bulk 000")
            && !page1.contains("Bulk 050")
    );
    let (_, page2) = admin.text("/o/alpha/people?q=bulk&page=2").await;
    assert!(page2.contains("Bulk 050") && !page2.contains("Bulk 000"));
    let r = admin.get("/o/alpha/people.csv?q=bulk").await;
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let body = r.text().await.unwrap();
    assert_eq!(body.lines().count(), 121);
    assert!(body.starts_with("employee_id,email,name,audience,team,manager"));
    // The export imports back unchanged.
    let file = somu_domain::org::parse_people_csv(body.as_bytes(), None, &|_| true)
        .expect("export re-imports");
    let summary = app
        .state
        .store
        .import_people(alpha.id, &file.rows, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(
        (summary.created, summary.updated, summary.unchanged),
        (0, 0, 120)
    );
    let (status, _) = admin.text("/o/alpha/people?page=zero").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
