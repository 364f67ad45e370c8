//! Operations: health, readiness, metrics, security headers, errors, operators.

use crate::helpers::{location, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = TestApp::spawn().await;
    let c = app.client();
    assert_eq!(c.text("/healthz").await, (StatusCode::OK, "ok".to_string()));
    assert_eq!(
        c.text("/readyz").await,
        (StatusCode::OK, "ready".to_string())
    );
    let _ = c.get("/sign-in").await;
    let (status, metrics) = c.text("/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        metrics
            .contains("somu_http_requests_total{method=\"GET\",route=\"/sign-in\",status=\"200\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("somu_http_request_duration_seconds_bucket"));
    assert!(metrics.contains("somu_db_pool_connections"));
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_a_request_id() {
    let app = TestApp::spawn().await;
    let r = app.client().get("/sign-in").await;
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(h.contains_key("x-request-id"));
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<label for=\"email\">") && html.contains("<main id=\"main\""),
        "labelled, with landmarks"
    );
    assert!(!html.contains("<script>"), "no inline script");
}

#[tokio::test]
async fn unknown_pages_and_unreadable_input_get_clear_errors() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let (status, html) = c.text("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Not found"));
    let r = c
        .http
        .get(c.url("/api/v1/orgs/x/people"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = c
        .http
        .get(c.url("/api/v1/orgs/x/people"))
        .header("authorization", "Bearer somu_nonsense")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = c.post_form("/sign-in", &[("email", "a@b.test")]).await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "missing password field is named"
    );
    assert!(r.text().await.unwrap().contains("password"));
}

#[tokio::test]
async fn an_operator_creates_an_organisation_and_its_admin_is_invited() {
    let app = TestApp::spawn().await;
    let hash = somu_web::auth::hash_password(crate::helpers::PASSWORD).unwrap();
    app.state
        .store
        .create_account("op@somu.test", "Op", Some(&hash), true)
        .await
        .unwrap();
    let op = app.signed_in("op@somu.test").await;
    let r = op
        .post_form(
            "/admin/orgs",
            &[
                ("slug", "Bad Slug"),
                ("name", ""),
                ("admin_email", "x"),
                ("admin_name", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    for field in ["slug", "name", "admin_email", "admin_name"] {
        assert!(
            html.contains(&format!("<strong>{field}</strong>")),
            "{field} named"
        );
    }
    assert!(
        app.state.store.orgs().await.unwrap().is_empty(),
        "nothing created"
    );
    let r = op
        .post_form(
            "/admin/orgs",
            &[
                ("slug", "gamma"),
                ("name", "Gamma Ltd"),
                ("admin_email", "boss@gamma.test"),
                ("admin_name", "Gia Boss"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/admin/orgs?done=org-created");
    let org = app
        .state
        .store
        .org_by_slug("gamma")
        .await
        .unwrap()
        .expect("created");
    let mails = app.state.store.outbox(org.org_id(), 5).await.unwrap();
    assert_eq!(mails[0].to_addr, "boss@gamma.test");
    assert!(mails[0].body.contains("/o/gamma/invite/"));
    let r = op
        .post_form(
            "/admin/orgs",
            &[
                ("slug", "gamma"),
                ("name", "Again"),
                ("admin_email", "b@g.test"),
                ("admin_name", "B"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // Operators are not members: the organisation's pages stay closed to them.
    assert_eq!(
        op.get("/o/gamma/people").await.status(),
        StatusCode::NOT_FOUND
    );
    let learner_only = app.client();
    assert_eq!(
        learner_only.get("/admin/orgs").await.status(),
        StatusCode::SEE_OTHER
    );
}
