//! Social activity end to end: consent and linking, imports (browser and store), idempotency,
//! refusal of bad files, activity pages and CSV, revocation, erasure, isolation.

use crate::helpers::{location, TestApp};
use reqwest::StatusCode;
use somu_social::{Format, ReadOptions, Source};
use std::sync::Arc;

pub(crate) fn jsonl(posts: &[(&str, &str, i64, Option<&str>)]) -> Vec<u8> {
    let mut out = String::new();
    for (account, id, likes, reply_to) in posts {
        out.push_str(
            &serde_json::json!({
                "platform": "mastodon", "account": account, "post_id": id,
                "created_at": "2026-03-02T09:14:00Z", "text": "What a great workshop, thank you!",
                "likes": likes, "followers": 845, "in_reply_to": reply_to,
                "mentions": ["@brand@example.social"],
            })
            .to_string(),
        );
        out.push('\n');
    }
    out.into_bytes()
}

pub(crate) async fn count(app: &TestApp, sql: &str) -> i64 {
    use somu_store::Backend;
    match &app.state.store.backend {
        Backend::Sqlite(p) => sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(p)
            .await
            .unwrap(),
        Backend::Postgres(p) => sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

async fn wait_for_job(user: &crate::helpers::User, path: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let (_, html) = user.text(path).await;
        if !html.contains("data-status=\"running\"") {
            return html;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import did not finish");
}

/// Upload an export through the import page and wait for its job: the finished job page.
pub(crate) async fn import_through_browser(
    user: &crate::helpers::User,
    name: &str,
    file: Vec<u8>,
) -> String {
    let r = user.upload("/o/alpha/social/import", name, file).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    wait_for_job(user, &location(&r)).await
}

#[tokio::test]
async fn a_person_links_with_consent_imports_show_and_revoking_deletes() {
    let app = TestApp::spawn().await;
    let _alpha = app.org("alpha", "Alpha").await;
    let learner = app.signed_in("learner@alpha.test").await;
    let (status, html) = learner.text("/o/alpha/me/accounts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("What linking an account means"));
    // No consent ticked: refused, naming the field.
    let r = learner
        .post_form(
            "/o/alpha/me/accounts",
            &[("platform", "mastodon"), ("handle", "ana@example.social")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("consent"));
    let r = learner
        .post_form(
            "/o/alpha/me/accounts",
            &[
                ("platform", "mastodon"),
                ("handle", "Ana@Example.social"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = learner.text("/o/alpha/me/accounts").await;
    assert!(html.contains("@ana@example.social"));

    // The admin adds the brand account and imports posts: the learner's two and a reply.
    let admin = app.signed_in("admin@alpha.test").await;
    let r = admin
        .post_form(
            "/o/alpha/social/accounts",
            &[
                ("platform", "mastodon"),
                ("handle", "@brand@example.social"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let file = jsonl(&[
        ("@ana@example.social", "1", 5, None),
        ("@ana@example.social", "2", 7, None),
        ("@fan@other.example", "3", 0, Some("1")),
    ]);
    let job = import_through_browser(&admin, "posts.jsonl", file.clone()).await;
    assert!(job.contains("3 posts: 3 new"), "{job}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM post").await, 3);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM post WHERE person_id IS NOT NULL AND mentions_brand AND sentiment > 0.5"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM post WHERE post_id = '1' AND response_sentiment > 0.5"
        )
        .await,
        1
    );
    assert!(count(&app, "SELECT COUNT(*) FROM rollup_dirty").await >= 2);
    assert!(count(&app, "SELECT COUNT(*) FROM follower_snapshot").await >= 2);

    // The same file again changes nothing.
    let job = import_through_browser(&admin, "posts.jsonl", file).await;
    assert!(job.contains("0 new, 0 updated, 3 unchanged"), "{job}");

    // Activity pages, filters and CSV.
    let (status, html) = admin.text("/o/alpha/social?platform=mastodon").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("What a great workshop"));
    let (status, body) = admin.text("/o/alpha/social?platform=myspace").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("platform") && body.contains("myspace"));
    let (_, csv) = admin.text("/o/alpha/social.csv?kind=reply").await;
    assert!(csv.starts_with("platform,account,person"));
    assert_eq!(csv.lines().count(), 2, "{csv}");
    let (_, mine) = learner.text("/o/alpha/me/activity").await;
    assert!(mine.contains("What a great workshop"));
    let (status, _) = learner.text("/o/alpha/social").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Revoking asks first, then deletes the account's posts and snapshots, and is audited.
    let id: i64 = count(
        &app,
        "SELECT id FROM social_account WHERE handle = '@ana@example.social'",
    )
    .await;
    let (status, html) = learner
        .text(&format!("/o/alpha/me/accounts/{id}/revoke"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Revoke and delete"));
    let r = learner
        .post_form(&format!("/o/alpha/me/accounts/{id}/revoke"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM post WHERE person_id IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM follower_snapshot WHERE account_id = {id}")
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'social.revoke'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn bad_files_are_refused_whole_and_updates_change_counts() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in("admin@alpha.test").await;
    let mut bad = jsonl(&[("@ana@example.social", "1", 5, None)]);
    bad.extend_from_slice(b"{\"platform\":\"mastodon\",\"account\":\"@a@b.c\",\"post_id\":\"2\",\"created_at\":\"soon\",\"followers\":1}\n");
    let r = admin
        .upload("/o/alpha/social/import", "bad.jsonl", bad)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("line 2") && body.contains("created_at"),
        "{body}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM post").await, 0);

    // Through the store: an updated export updates counts, nothing else.
    let store = &app.state.store;
    let import = |bytes: Vec<u8>| {
        let source = Source::Bytes {
            name: "p.jsonl".into(),
            bytes: Arc::from(bytes),
        };
        store.import_social(
            alpha.id,
            source,
            Format::Jsonl,
            ReadOptions::default(),
            &|_, _| {},
        )
    };
    let first = import(jsonl(&[
        ("@ana@example.social", "1", 5, None),
        ("@ana@example.social", "2", 1, None),
    ]))
    .await
    .unwrap();
    assert_eq!((first.inserted, first.updated), (2, 0));
    let second = import(jsonl(&[
        ("@ana@example.social", "1", 9, None),
        ("@ana@example.social", "2", 1, None),
    ]))
    .await
    .unwrap();
    assert_eq!(
        (second.inserted, second.updated, second.unchanged),
        (0, 1, 1)
    );
    assert_eq!(
        count(&app, "SELECT likes FROM post WHERE post_id = '1'").await,
        9
    );
}

#[tokio::test]
async fn another_organisation_sees_nothing_and_erasure_removes_social_data() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let _beta = app.org("beta", "Beta").await;
    let alpha_learner = app.signed_in("learner@alpha.test").await;
    let r = alpha_learner
        .post_form(
            "/o/alpha/me/accounts",
            &[
                ("platform", "x"),
                ("handle", "@alpha_ana"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let source = Source::Bytes {
        name: "p.jsonl".into(),
        bytes: Arc::from(
            b"{\"platform\":\"x\",\"account\":\"alpha_ana\",\"post_id\":\"9\",\"created_at\":\"2026-01-01T00:00:00Z\",\"text\":\"secret alpha news\",\"followers\":3}\n".to_vec(),
        ),
    };
    app.state
        .store
        .import_social(
            alpha.id,
            source,
            Format::Jsonl,
            ReadOptions::default(),
            &|_, _| {},
        )
        .await
        .unwrap();
    let beta_admin = app.signed_in("admin@beta.test").await;
    let (_, html) = beta_admin.text("/o/beta/social").await;
    assert!(!html.contains("secret alpha news"));
    let (status, _) = beta_admin.text("/o/beta/social/posts/1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = beta_admin.text("/o/beta/social/accounts/1/revoke").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = beta_admin
        .post_form("/o/beta/social/accounts/1/revoke", &[])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (status, _) = beta_admin.text("/o/alpha/social").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Another member of alpha cannot revoke the learner's account through their own page.
    let manager = app.signed_in("admin@alpha.test").await;
    let r = manager
        .post_form("/o/alpha/me/accounts/1/revoke", &[])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM post").await, 1);

    // Erasing the person removes their accounts, posts and snapshots.
    app.state
        .store
        .erase_person(alpha.id, alpha.people[1])
        .await
        .unwrap();
    assert_eq!(count(&app, "SELECT COUNT(*) FROM post").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM social_account").await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM follower_snapshot").await,
        0
    );
}

async fn exec(app: &TestApp, sql: &str) {
    use somu_store::Backend;
    match &app.state.store.backend {
        Backend::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()).unwrap(),
        Backend::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()).unwrap(),
    }
}

#[tokio::test]
async fn activity_pages_per_person_and_team_show_totals_to_the_right_people() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let _beta = app.org("beta", "Beta").await;
    let (learner_id, member_id) = (alpha.people[1].0, alpha.people[3].0);
    // The learner is in the team the manager manages; member 0 is not.
    exec(
        &app,
        &format!(
            "UPDATE person SET team_id = 1 WHERE org_id = {} AND id = {learner_id}",
            alpha.id.0
        ),
    )
    .await;
    let link = |person: i64, handle: &str| {
        format!(
            "INSERT INTO social_account (org_id, id, platform, handle, person_id, consent_at, consent_source, created_at) \
             VALUES ({}, {person}, 'x', '{handle}', {person}, 1, 'bulk', 1)",
            alpha.id.0
        )
    };
    exec(&app, &link(learner_id, "ana")).await;
    exec(&app, &link(member_id, "bo")).await;
    let line = |account: &str, id: &str, text: &str, impressions: Option<i64>| {
        serde_json::json!({
            "platform": "x", "account": account, "post_id": id, "created_at": "2026-03-02T09:14:00Z",
            "text": text, "likes": 4, "reposts": 1, "replies": 2, "quotes": 1,
            "impressions": impressions, "followers": 100,
        })
        .to_string()
    };
    let file = [
        line("ana", "1", "Ana loves the new course", Some(900)),
        line("ana", "2", "Ana second post", None),
        line("bo", "3", "Bo private thoughts", Some(50)),
    ]
    .join("\n");
    app.state
        .store
        .import_social(
            alpha.id,
            Source::Bytes {
                name: "a.jsonl".into(),
                bytes: Arc::from(file.into_bytes()),
            },
            Format::Jsonl,
            ReadOptions::default(),
            &|_, _| {},
        )
        .await
        .unwrap();

    // The learner sees their own page with totals, and its CSV holds only their posts.
    let learner = app.signed_in("learner@alpha.test").await;
    let own = format!("/o/alpha/people/{learner_id}/activity");
    let (status, html) = learner.text(&own).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ana loves the new course"));
    assert!(!html.contains("Bo private thoughts"));
    assert!(html.contains("<dd id=\"total-posts\">2</dd>"));
    assert!(html.contains("<dd id=\"total-engagements\">16</dd>"));
    assert!(html.contains("<dd id=\"total-impressions\">900</dd>"));
    assert!(html.contains("<dd id=\"total-potential\">100</dd>"));
    let (status, csv) = learner.text(&format!("{own}.csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(!csv.contains("Bo private"));
    let (_, csv) = learner.text("/o/alpha/me/activity.csv?platform=x").await;
    assert!(csv.contains("Ana second post") && !csv.contains("Bo private"));
    // Asking for someone else's posts through the query string changes nothing.
    let (_, html) = learner
        .text(&format!("{own}?person={member_id}&team=1"))
        .await;
    assert!(!html.contains("Bo private thoughts"));
    // Another person's page, the team page and the organisation's page are not theirs.
    for path in [
        format!("/o/alpha/people/{member_id}/activity"),
        format!("/o/alpha/people/{member_id}/activity.csv"),
        "/o/alpha/teams/1/activity".to_string(),
        "/o/alpha/social".to_string(),
        "/o/alpha/social/posts/3".to_string(),
    ] {
        let (status, body) = learner.text(&path).await;
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
            "{path}: {status}"
        );
        assert!(!body.contains("Bo private"), "{path}");
    }

    // The manager sees their team and its people, not the others, nor the whole organisation.
    let manager = app.signed_in("manager@alpha.test").await;
    let (status, html) = manager.text("/o/alpha/teams/1/activity").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ana loves the new course") && !html.contains("Bo private thoughts"));
    let (status, csv) = manager.text("/o/alpha/teams/1/activity.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("Ana second post") && !csv.contains("Bo private"));
    assert_eq!(manager.text(&own).await.0, StatusCode::OK);
    for path in [
        format!("/o/alpha/people/{member_id}/activity"),
        "/o/alpha/social".to_string(),
        "/o/alpha/social.csv".to_string(),
    ] {
        let (status, _) = manager.text(&path).await;
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
            "{path}: {status}"
        );
    }

    // The admin sees everyone, filters by platform and period, and gets each CSV.
    let admin = app.signed_in("admin@alpha.test").await;
    let (_, html) = admin.text("/o/alpha/social").await;
    assert!(html.contains("<dd id=\"total-posts\">3</dd>"));
    let (_, html) = admin
        .text("/o/alpha/social?platform=mastodon&from=2026-03-01&to=2026-03-31")
        .await;
    assert!(html.contains("<dd id=\"total-posts\">0</dd>"));
    let (_, html) = admin
        .text(&format!(
            "/o/alpha/people/{member_id}/activity?from=2026-03-02&to=2026-03-02"
        ))
        .await;
    assert!(html.contains("Bo private thoughts"));
    let (status, body) = admin.text("/o/alpha/teams/1/activity?from=March").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("from"));

    // Another organisation's admin reaches none of it, by any id.
    let beta_admin = app.signed_in("admin@beta.test").await;
    for path in [
        format!("/o/beta/people/{learner_id}/activity"),
        "/o/beta/teams/1/activity".to_string(),
        format!("/o/alpha/people/{learner_id}/activity"),
        "/o/alpha/teams/1/activity.csv".to_string(),
    ] {
        let (status, body) = beta_admin.text(&path).await;
        assert!(!body.contains("Ana loves"), "{path}: {status}");
    }
}

#[tokio::test]
async fn activity_filters_use_indexes_keyed_by_organisation() {
    use somu_store::social::PostFilter;
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let store = &app.state.store;
    let cases: Vec<(PostFilter, &str)> = vec![
        (
            PostFilter {
                person: Some(1),
                ..Default::default()
            },
            // Through the person's accounts.
            "account_id=?",
        ),
        (
            PostFilter {
                team: Some(1),
                ..Default::default()
            },
            "account_id=?",
        ),
        (
            PostFilter {
                account: Some(1),
                ..Default::default()
            },
            "account_id=?",
        ),
        (
            PostFilter {
                platform: Some("x".into()),
                ..Default::default()
            },
            "account_id=?",
        ),
        (
            PostFilter {
                brand_only: true,
                ..Default::default()
            },
            "account_id=?",
        ),
        (
            PostFilter {
                kind: Some("reply".into()),
                ..Default::default()
            },
            "kind=?",
        ),
        (
            PostFilter {
                from: Some(1),
                to: Some(2),
                ..Default::default()
            },
            "created_at>? AND created_at<?",
        ),
    ];
    for (filter, expected) in cases {
        let plans = store.social_query_plans(alpha.id, &filter).await.unwrap();
        if plans.is_empty() {
            continue; // PostgreSQL: plans depend on statistics; the same indexes exist.
        }
        let on_posts: Vec<&String> = plans
            .iter()
            .filter(|d| d.contains(" p ") || d.ends_with(" p"))
            .collect();
        assert!(!on_posts.is_empty(), "{plans:?}");
        for d in on_posts {
            assert!(
                d.starts_with("SEARCH")
                    && d.contains("org_id=?")
                    && (d.contains(expected) || d.contains("AND id=?)")),
                "{filter:?}: {d} in {plans:?}"
            );
        }
    }
}
