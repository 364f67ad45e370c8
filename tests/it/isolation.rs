//! No data of one organisation reaches a member of another, route by route; every route's
//! access rule is enforced for the anonymous, the wrong role and the wrong organisation.

use crate::helpers::{TestApp, User};
use reqwest::{Method, StatusCode};
use somu_domain::access::Access;
use somu_web::route_table;

/// Fill a route pattern's parameters; any parameter not named here becomes `1`.
fn fill(path: &str, org: &str, id: &str) -> String {
    path.replace("{org}", org)
        .replace("{id}", id)
        .replace("{token}", "0123456789abcdef")
        .replace("{file}", "somu.css")
        .split('/')
        .map(|seg| {
            if seg.starts_with('{') && seg.ends_with('}') {
                "1"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn call(
    user: &User,
    method: &Method,
    path: &str,
    api_token: Option<&str>,
) -> reqwest::Response {
    let token = user.csrf().await;
    let mut req = user
        .http
        .request(method.clone(), user.url(path))
        .header("x-csrf-token", &token);
    if let Some(t) = api_token {
        req = req.bearer_auth(t);
    }
    if *method != Method::GET {
        req = if path.starts_with("/api/") {
            req.header("content-type", "application/json").body("{}")
        } else {
            req.form(&[("csrf", token.as_str())])
        };
    }
    req.send().await.expect("request")
}

#[tokio::test]
async fn public_routes_are_exactly_the_intended_ones() {
    let public: Vec<String> = route_table()
        .iter()
        .filter(|r| r.access == Access::Public)
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        public,
        [
            "GET /healthz",
            "GET /readyz",
            "GET /metrics",
            "GET /static/{file}",
            "GET /",
            "GET /sign-in",
            "POST /sign-in",
            "GET /password/forgot",
            "POST /password/forgot",
            "GET /password/reset/{token}",
            "POST /password/reset/{token}",
            "GET /o/{org}/invite/{token}",
            "POST /o/{org}/invite/{token}",
            "GET /catalogue/{org}",
            "GET /catalogue/{org}/{id}",
            "POST /catalogue/{org}/{id}",
            "GET /ical/{token}",
            "GET /credentials/verify",
            "POST /credentials/verify",
            "GET /credentials/{token}",
            "GET /credentials/{token}/json",
            "GET /credentials/{token}/pdf",
            "GET /cards/{token}",
            "GET /o/{org}/did.json",
            "GET /o/{org}/credentials/status/{id}",
            "GET /api/v1/openapi.json",
        ],
        "a route became public: review its access rule"
    );
}

#[tokio::test]
async fn anonymous_callers_are_sent_to_sign_in_or_refused() {
    let app = TestApp::spawn().await;
    let beta = app.org("beta", "Beta").await;
    let anon = app.client();
    for r in route_table().iter().filter(|r| r.access != Access::Public) {
        let path = fill(r.path, &beta.slug, "1");
        let resp = call(&anon, &r.method, &path, None).await;
        if r.path.starts_with("/api/") {
            assert_eq!(
                resp.status(),
                StatusCode::UNAUTHORIZED,
                "{} {path}",
                r.method
            );
        } else {
            assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{} {path}", r.method);
            assert!(
                crate::helpers::location(&resp).starts_with("/sign-in"),
                "{} {path}",
                r.method
            );
        }
    }
}

#[tokio::test]
async fn members_of_one_org_never_reach_another_on_any_route() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let beta = app.org("beta", "Beta Secretive").await;
    // Things that exist only in beta, under ids that also exist in alpha.
    app.state
        .store
        .create_job(beta.id, somu_domain::ids::AccountId(1), "people-import", 1)
        .await
        .expect("job");
    app.state
        .store
        .save_upload(
            beta.id,
            somu_domain::ids::AccountId(1),
            "people-csv",
            "b.csv",
            b"email,name\n",
        )
        .await
        .expect("upload");
    let admin = app.signed_in(&alpha.admin).await;
    let account = app
        .state
        .store
        .account_by_email(&alpha.admin)
        .await
        .expect("lookup")
        .expect("account")
        .account_id();
    let (_, alpha_secret) = app
        .state
        .store
        .create_api_token(alpha.id, account, "t", "read write", None)
        .await
        .expect("token");
    let mut checked = 0;
    for r in route_table()
        .iter()
        .filter(|r| matches!(r.access, Access::Org(_)))
    {
        for id in ["1", "2", "3"] {
            let path = fill(r.path, &beta.slug, id);
            let bearer = path.starts_with("/api/").then_some(alpha_secret.as_str());
            let resp = call(&admin, &r.method, &path, bearer).await;
            let status = resp.status();
            let body = resp.text().await.unwrap_or_default();
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "{} {path} answered {status}",
                r.method
            );
            assert!(
                !body.contains("Beta Secretive"),
                "{} {path} leaked beta's data",
                r.method
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} checks ran");
}

#[tokio::test]
async fn lists_search_exports_and_api_show_only_the_own_org() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let _beta = app.org("beta", "Beta Secretive").await;
    let admin = app.signed_in(&alpha.admin).await;
    for path in [
        "/o/alpha/people?status=all",
        "/o/alpha/people?q=Secretive",
        "/o/alpha/people.csv?status=all",
        "/o/alpha/teams",
        "/o/alpha/audit",
        "/o/alpha/outbox",
    ] {
        let (status, body) = admin.text(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            !body.contains("Secretive")
                || path.contains("q=Secretive") && !body.contains("Beta Secretive "),
            "{path} shows beta's data"
        );
        assert!(!body.contains("@beta.test"), "{path} shows beta's people");
    }
    let (_, html) = admin.text("/o/alpha/people?q=Secretive").await;
    assert!(
        html.contains("0 people"),
        "a search for beta's name finds nobody in alpha"
    );
    let account = app
        .state
        .store
        .account_by_email(&alpha.admin)
        .await
        .unwrap()
        .unwrap()
        .account_id();
    let (_, secret) = app
        .state
        .store
        .create_api_token(alpha.id, account, "t", "read", None)
        .await
        .expect("token");
    let body = admin
        .http
        .get(admin.url("/api/v1/orgs/alpha/people?status=all"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("api")
        .text()
        .await
        .expect("body");
    assert!(
        body.contains("alpha.test") && !body.contains("beta.test"),
        "{body}"
    );
    // A token for alpha cannot be used against beta even by URL.
    let resp = admin
        .http
        .get(admin.url("/api/v1/orgs/beta/people"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("api");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn roles_are_enforced_inside_the_own_org() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let learner = app.signed_in(&alpha.learner).await;
    for r in route_table().iter() {
        let Access::Org(roles) = r.access else {
            continue;
        };
        if roles.is_empty() || r.path.starts_with("/api/") {
            continue;
        }
        let path = fill(r.path, "alpha", "1");
        let resp = call(&learner, &r.method, &path, None).await;
        assert_eq!(
            resp.status(),
            StatusCode::FORBIDDEN,
            "learner reached {} {path}",
            r.method
        );
    }
    let (status, _) = learner.text("/o/alpha").await;
    assert_eq!(status, StatusCode::OK);
}
