//! Signing in and out, throttling, password reset, invitations, switching organisations.

use crate::helpers::{csrf_of, location, TestApp, PASSWORD};
use reqwest::StatusCode;

#[tokio::test]
async fn a_member_signs_in_sees_their_org_and_signs_out() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let user = app.client();
    let resp = user.sign_in(&alpha.admin, PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or("").to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        cookie.contains("somu_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let home = user.get("/home").await;
    assert_eq!(
        location(&home),
        "/o/alpha",
        "one organisation: straight there"
    );
    let (status, html) = user.text("/o/alpha").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Welcome, Alpha admin"));
    let out = user.post_form("/sign-out", &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = user.get("/o/alpha").await;
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "signed out: back to sign-in"
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_repeated_failures_are_throttled() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let user = app.client();
    for _ in 0..5 {
        let r = user.sign_in(&alpha.admin, "wrong password!").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.text().await.unwrap().contains("do not match"));
    }
    // Even the right password is refused while the account is throttled.
    let r = user.sign_in(&alpha.admin, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let audit = app
        .state
        .store
        .audit_entries(
            somu_domain::ids::OrgId::PLATFORM,
            "auth.sign-in-failed",
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 5);
}

#[tokio::test]
async fn a_state_changing_form_without_its_token_is_refused() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let user = app.signed_in(&alpha.admin).await;
    let r = user
        .http
        .post(user.url("/o/alpha/teams"))
        .form(&[("name", "Sneaky")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = user
        .http
        .post(user.url("/o/alpha/teams"))
        .form(&[("name", "Sneaky"), ("csrf", "0".repeat(48).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let teams = app.state.store.teams(alpha.id).await.unwrap();
    assert!(teams.iter().all(|t| t.name != "Sneaky"), "nothing changed");
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_a_one_time_link() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let user = app.client();
    let r = user
        .post_form("/password/forgot", &[("email", &alpha.learner)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // Unknown addresses get the same answer.
    let r2 = user
        .post_form("/password/forgot", &[("email", "nobody@nowhere.test")])
        .await;
    assert_eq!(r2.status(), StatusCode::OK);
    let mails = app
        .state
        .store
        .outbox(somu_domain::ids::OrgId::PLATFORM, 10)
        .await
        .unwrap();
    assert_eq!(mails.len(), 1);
    let body = &mails[0].body;
    let start = body.find("http://somu.test").expect("link in mail");
    let link = body[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_start_matches("http://somu.test")
        .to_string();
    let (status, html) = user.text(&link).await;
    assert_eq!(status, StatusCode::OK);
    let token = csrf_of(&html);
    let short = user
        .http
        .post(user.url(&link))
        .form(&[
            ("csrf", token.as_str()),
            ("password", "short"),
            ("confirm", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.text().await.unwrap().contains("at least 10"));
    let ok = user
        .post_form(
            &link,
            &[
                ("password", "a brand new password"),
                ("confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        user.get(&link).await.status(),
        StatusCode::NOT_FOUND,
        "the link works once"
    );
    assert_eq!(
        user.sign_in(&alpha.learner, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        user.sign_in(&alpha.learner, "a brand new password")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn an_invited_person_sets_a_password_and_can_switch_between_orgs() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let beta = app.org("beta", "Beta").await;
    let admin = app.signed_in(&beta.admin).await;
    // Beta invites alpha's learner, who already signs in to alpha: they keep their password.
    let r = admin
        .post_form(
            "/o/beta/people/new",
            &[
                ("email", &alpha.learner),
                ("name", "Shared Learner"),
                ("audience", "observer"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let person_path = location(&r);
    let id = person_path
        .trim_start_matches("/o/beta/people/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let r = admin
        .post_form(&format!("/o/beta/people/{id}/invite"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let start = html.find("/o/beta/invite/").expect("invite link shown");
    let link = html[start..].split('<').next().unwrap().to_string();
    let guest = app.client();
    let ok = guest
        .post_form(&link, &[("password", ""), ("confirm", "")])
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let user = app.signed_in(&alpha.learner).await;
    let (_, home) = user.text("/home").await;
    assert!(
        home.contains("/o/alpha") && home.contains("/o/beta"),
        "both organisations listed"
    );
    let switch = user.get("/switch?org=beta").await;
    assert_eq!(location(&switch), "/o/beta");
    assert_eq!(
        user.get("/switch?org=gamma").await.status(),
        StatusCode::NOT_FOUND
    );
    // A brand-new person sets a password through the link.
    let r = admin
        .post_form(
            "/o/beta/people/new",
            &[("email", "new@beta.test"), ("name", "New Person")],
        )
        .await;
    let id = location(&r)
        .trim_start_matches("/o/beta/people/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let html = admin
        .post_form(&format!("/o/beta/people/{id}/invite"), &[])
        .await
        .text()
        .await
        .unwrap();
    let start = html.find("/o/beta/invite/").unwrap();
    let link = html[start..].split('<').next().unwrap().to_string();
    let r = guest
        .post_form(
            &link,
            &[
                ("password", "my first password"),
                ("confirm", "my first password"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.client()
            .sign_in("new@beta.test", "my first password")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}
