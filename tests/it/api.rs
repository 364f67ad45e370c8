//! The JSON API with personal tokens, and its OpenAPI document.

use crate::helpers::{TestApp, User};
use reqwest::StatusCode;
use serde_json::{json, Value};
use somu_web::route_table;

async fn token_from_page(user: &User, org: &str, write: bool) -> String {
    let mut fields = vec![("name", "script"), ("days", "30")];
    if write {
        fields.push(("write", "1"));
    }
    let r = user.post_form(&format!("/o/{org}/tokens"), &fields).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let start =
        html.find("id=\"new-token\">").expect("token shown once") + "id=\"new-token\">".len();
    html[start..].split('<').next().unwrap().to_string()
}

#[tokio::test]
async fn a_token_made_in_the_browser_reads_and_writes_through_the_api() {
    let app = TestApp::spawn().await;
    let _alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in("admin@alpha.test").await;
    let read = token_from_page(&admin, "alpha", false).await;
    let write = token_from_page(&admin, "alpha", true).await;
    let api = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", app.base);
    let me: Value = api
        .get(url("/api/v1/orgs/alpha/me"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["person"]["email"], "admin@alpha.test");
    assert!(me["roles"]
        .as_array()
        .unwrap()
        .contains(&json!("org-admin")));
    let list: Value = api
        .get(url("/api/v1/orgs/alpha/people?audience=observer"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 5);
    // The read token cannot write.
    let body = json!({"email": "api@alpha.test", "name": "Api Person"});
    let r = api
        .post(url("/api/v1/orgs/alpha/people"))
        .bearer_auth(&read)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = api
        .post(url("/api/v1/orgs/alpha/people"))
        .bearer_auth(&write)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["audience"], "practitioner");
    // Bad bodies are named, and nothing changes.
    let r = api
        .post(url("/api/v1/orgs/alpha/people"))
        .bearer_auth(&write)
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = api
        .post(url("/api/v1/orgs/alpha/people"))
        .bearer_auth(&write)
        .json(&json!({"email": "x@alpha.test", "name": "X", "audience": "ceo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "audience");
    let r = api
        .post(url("/api/v1/orgs/alpha/people"))
        .bearer_auth(&write)
        .json(&json!({"email": "y@alpha.test", "name": 7}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "name");
    let r = api
        .post(url("/api/v1/orgs/alpha/people"))
        .bearer_auth(&write)
        .json(&json!({"email": "z@alpha.test", "name": "Z", "colour": "red"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown members are refused, not ignored"
    );
    let r = api
        .get(url("/api/v1/orgs/alpha/people?page=x"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let list: Value = api
        .get(url("/api/v1/orgs/alpha/people?q=api"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    // Tokens stored hashed; revoking stops them at once.
    let org = app.state.store.org_by_slug("alpha").await.unwrap().unwrap();
    let account = app
        .state
        .store
        .account_by_email("admin@alpha.test")
        .await
        .unwrap()
        .unwrap()
        .account_id();
    let tokens = app
        .state
        .store
        .api_tokens(org.org_id(), account)
        .await
        .unwrap();
    let r = admin
        .post_form(&format!("/o/alpha/tokens/{}/revoke", tokens[0].id), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = api
        .get(url("/api/v1/orgs/alpha/me"))
        .bearer_auth(&write)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // A token is never accepted by the browser pages.
    let r = api
        .get(url("/o/alpha/people"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_openapi_document_covers_every_api_route() {
    let app = TestApp::spawn().await;
    let doc: Value = reqwest::get(format!("{}/api/v1/openapi.json", app.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut n = 0;
    for r in route_table().iter().filter(|r| r.path.starts_with("/api/")) {
        let method = r.method.as_str().to_lowercase();
        assert!(
            doc["paths"][r.path][&method].is_object(),
            "{} {} is missing from the OpenAPI document",
            r.method,
            r.path
        );
        n += 1;
    }
    assert!(n >= 8);
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn random_bodies_and_query_strings_never_break_the_api() {
    use rand::{Rng, SeedableRng};
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let account = app
        .state
        .store
        .account_by_email(&alpha.admin)
        .await
        .unwrap()
        .unwrap()
        .account_id();
    let (_, token) = app
        .state
        .store
        .create_api_token(alpha.id, account, "fuzz", "read write", None)
        .await
        .unwrap();
    let before = app
        .state
        .store
        .people(alpha.id, &Default::default(), 1000, 0)
        .await
        .unwrap()
        .total;
    let api = reqwest::Client::new();
    // Seeded, so a failure can be replayed.
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261123);
    let pieces = [
        "{",
        "}",
        "\"email\"",
        "\"name\"",
        ":",
        ",",
        "\"x@y.z\"",
        "null",
        "[",
        "]",
        "1e999",
        "\"\\u0000\"",
        "true",
        "\"audience\"",
        "\"ceo\"",
        " ",
    ];
    for i in 0..150 {
        let body: Vec<u8> = if i % 2 == 0 {
            (0..rng.gen_range(0..200)).map(|_| rng.gen()).collect()
        } else {
            (0..rng.gen_range(0..30))
                .map(|_| pieces[rng.gen_range(0..pieces.len())])
                .collect::<String>()
                .into_bytes()
        };
        let r = api
            .post(format!("{}/api/v1/orgs/alpha/people", app.base))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        assert!(
            [400, 409, 422].contains(&status) || status == 201,
            "body {:?} gave {status}",
            String::from_utf8_lossy(&body)
        );
        if status != 201 {
            assert_eq!(r.headers()["content-type"], "application/problem+json");
        }
        let query: String = (0..rng.gen_range(0..40))
            .map(|_| rng.gen_range(0x21u8..0x7f) as char)
            .collect();
        let r = api
            .get(format!("{}/api/v1/orgs/alpha/people?{query}", app.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().as_u16() < 500,
            "query {query:?} gave {}",
            r.status()
        );
    }
    let after = app
        .state
        .store
        .people(alpha.id, &Default::default(), 1000, 0)
        .await
        .unwrap()
        .total;
    assert!(after >= before, "no person lost");
    let huge = vec![b' '; 3 * 1024 * 1024];
    let r = api
        .post(format!("{}/api/v1/orgs/alpha/people", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
