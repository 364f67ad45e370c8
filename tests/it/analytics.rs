//! Analytics as a programme owner, a learner and an outsider use it: inputs, dashboards, the
//! report API, roll-ups built from posts, the help page, and another organisation's data.

use crate::helpers::{location, TestApp};
use reqwest::StatusCode;
use somu_domain::ids::OrgId;
use somu_store::with_pool;

/// A Monday: 2026-03-02 00:00 UTC.
const MONDAY: i64 = 1_772_409_600;
const DAY: i64 = 86_400;

/// Link a social account to a person (or a brand account) and give it posts and a snapshot,
/// marking the weeks dirty as the social writers do.
async fn seed_social(app: &TestApp, org: OrgId, person: Option<i64>, account: i64) {
    let store = &app.state.store;
    with_pool!(store, |p| {
        sqlx::query(
            "INSERT INTO social_account (org_id, id, platform, handle, person_id, brand, created_at) \
             VALUES ($1, $2, 'mastodon', $3, $4, $5, 0)",
        )
        .bind(org.0)
        .bind(account)
        .bind(format!("@a{account}@example.social"))
        .bind(person)
        .bind(person.is_none())
        .execute(p)
        .await
        .expect("account");
        // Two posts on Tuesday: 10 + 2 + 0 + 0 engagements on 1000 impressions (sentiment 0.5
        // from replies), and 4 engagements on 600 potential reach (own sentiment −0.5).
        for (id, likes, reposts, impressions, followers, own, resp, kind) in [
            (
                1i64,
                10i64,
                2i64,
                Some(1000i64),
                500i64,
                None,
                Some(0.5f64),
                "original",
            ),
            (2, 4, 0, None, 600, Some(-0.5f64), None, "reply"),
        ] {
            sqlx::query(
                "INSERT INTO post (org_id, id, account_id, post_id, person_id, created_at, kind, text, \
                 likes, reposts, impressions, followers, sentiment, response_sentiment, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $9, $10, $11, $12, $13, 0)",
            )
            .bind(org.0)
            .bind(account * 10 + id)
            .bind(account)
            .bind(format!("{account}-{id}"))
            .bind(person)
            .bind(MONDAY + DAY + id)
            .bind(kind)
            .bind(likes)
            .bind(reposts)
            .bind(impressions)
            .bind(followers)
            .bind(own)
            .bind(resp)
            .execute(p)
            .await
            .expect("post");
        }
        sqlx::query("INSERT INTO follower_snapshot (org_id, account_id, at, followers) VALUES ($1, $2, $3, 800)")
            .bind(org.0)
            .bind(account)
            .bind(MONDAY + 3 * DAY)
            .execute(p)
            .await
            .expect("snapshot");
        sqlx::query(
            "INSERT INTO rollup_dirty (org_id, account_id, week_start) VALUES ($1, $2, $3)",
        )
        .bind(org.0)
        .bind(account)
        .bind(MONDAY)
        .execute(p)
        .await
        .expect("mark");
    });
}

#[tokio::test]
async fn an_owner_enters_money_inputs_and_bad_amounts_are_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let _alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in("admin@alpha.test").await;
    let (status, form) = admin.text("/o/alpha/analytics/inputs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("name=\"cost-content\"") && form.contains("name=\"value-like\""));
    // A negative cost and a word for a value: refused, both fields named, nothing saved.
    let r = admin
        .post_form(
            "/o/alpha/analytics/inputs",
            &[
                ("cost-content", "-100"),
                ("value-reply", "plenty"),
                ("cost-platform", "500"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap_or_default();
    assert!(
        body.contains("cost-content") && body.contains("value-reply"),
        "{body}"
    );
    let (_, form) = admin.text("/o/alpha/analytics/inputs").await;
    assert!(!form.contains("value=\"500.00\""), "nothing may be saved");
    // Good amounts are saved and shown back; the change is audited.
    let r = admin
        .post_form(
            "/o/alpha/analytics/inputs",
            &[
                ("cost-content", "1200.50"),
                ("cost-platform", "300"),
                ("value-like", "0.05"),
                ("revenue-2026-03", "250000"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).ends_with("?done=saved"));
    let (_, form) = admin.text("/o/alpha/analytics/inputs").await;
    assert!(form.contains("value=\"1200.50\"") && form.contains("value=\"0.05\""));
    let (_, audit) = admin.text("/o/alpha/audit").await;
    assert!(audit.contains("analytics.inputs"));
    // A learner may not change them.
    let learner = app.signed_in("learner@alpha.test").await;
    let r = learner
        .post_form("/o/alpha/analytics/inputs", &[("cost-content", "1")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn roll_ups_are_built_from_marked_posts_and_the_report_adds_them_up() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let learner = alpha.people[1].0;
    seed_social(&app, alpha.id, Some(learner), 1).await;
    let admin = app.signed_in("admin@alpha.test").await;
    let r = admin
        .get("/api/v1/orgs/alpha/reports/influence?from=2026-03-02&to=2026-03-08")
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: serde_json::Value = r.json().await.unwrap_or_default();
    let s = &v["social"];
    // Hand-worked: 2 posts, 1 original; 16 engagements over 1000 + 600 = 1600 reach (mixed), so
    // ER = 0.01. Warmth: post 1 (1 + 0.5)/2 = 0.75 weight 12, post 2 (1 − 0.5)/2 = 0.25 weight 4:
    // (9 + 1)/16 = 0.625. W = 0.01 × 0.625 = 0.00625; C = 800 (Thursday's snapshot); I = 5.
    assert_eq!(s["posts"], 2);
    assert_eq!(s["original_posts"], 1);
    assert_eq!(s["engagements"], 16);
    assert_eq!(s["reach"]["value"], 1600.0);
    assert_eq!(s["reach_kind"], "mixed");
    assert_eq!(s["engagement_rate"]["value"], 0.01);
    assert_eq!(s["warmth"]["value"], 0.625);
    assert_eq!(s["cold_score"]["value"], 800.0);
    let i = s["influence"]["value"].as_f64().unwrap_or(-1.0);
    assert!((i - 5.0).abs() < 1e-9, "{i}");
    // Nothing entered: EMV and RevPAF say why instead of a number.
    assert_eq!(s["earned_media_value"]["not_enough_data"], "no-values");
    assert_eq!(s["revpaf"]["not_enough_data"], "no-revenue");
    // The comparison week before has no posts: not enough data, never NaN.
    assert_eq!(
        v["social_before"]["engagement_rate"]["not_enough_data"],
        "no-posts"
    );
    assert!(!v.to_string().contains("NaN"));
    // The mark was consumed; projecting again changes nothing (idempotent).
    assert_eq!(
        app.state.store.project_all_rollups(alpha.id).await.ok(),
        Some(0)
    );
    app.state
        .store
        .mark_all_rollups_dirty(alpha.id)
        .await
        .expect("mark");
    assert_eq!(
        app.state.store.project_all_rollups(alpha.id).await.ok(),
        Some(1)
    );
    let again: serde_json::Value = admin
        .get("/api/v1/orgs/alpha/reports/influence?from=2026-03-02&to=2026-03-08")
        .await
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(again["social"], v["social"]);
    // CSV carries the same numbers, one field a row.
    let csv = admin
        .get("/api/v1/orgs/alpha/reports/influence?from=2026-03-02&to=2026-03-08&format=csv")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        csv.starts_with("field,value") && csv.contains("social.engagements,16"),
        "{csv}"
    );
    // The learner sees their own week on their page.
    let me = app.signed_in("learner@alpha.test").await;
    let (status, html) = me
        .text("/o/alpha/analytics/me?from=2026-03-02&to=2026-03-08")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("2026-W10") && html.contains("800"), "{html}");
}

#[tokio::test]
async fn dashboards_render_with_no_data_and_say_why() {
    let app = TestApp::spawn().await;
    let _alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in("admin@alpha.test").await;
    for path in [
        "/o/alpha/analytics",
        "/o/alpha/analytics/programmes",
        "/o/alpha/analytics/me",
        "/o/alpha/analytics/help",
    ] {
        let (status, html) = admin.text(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!html.contains("NaN") && !html.contains(">inf<"), "{path}");
    }
    let (_, html) = admin.text("/o/alpha/analytics").await;
    assert!(html.contains("Not enough data"));
    assert!(html.contains("nobody has completed training") || html.contains("no posts"));
    // Bad periods and names are refused naming the place.
    let (status, body) = admin.text("/o/alpha/analytics?from=2026-13-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("from"));
    let (status, _) = admin
        .text("/o/alpha/analytics?from=2026-05-01&to=2026-04-01")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin.get("/api/v1/orgs/alpha/reports/nonsense").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = admin
        .get("/api/v1/orgs/alpha/reports/roi?format=pdfx")
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Every named report answers with its sections.
    for name in [
        "leadership",
        "training-effect",
        "adoption",
        "kirkpatrick",
        "roi",
        "influence",
    ] {
        let r = admin
            .get(&format!("/api/v1/orgs/alpha/reports/{name}"))
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{name}");
        let v: serde_json::Value = r.json().await.unwrap_or_default();
        assert_eq!(v["name"], name);
    }
    // The learner reaches their own page but not the organisation's dashboards.
    let learner = app.signed_in("learner@alpha.test").await;
    assert_eq!(
        learner.get("/o/alpha/analytics/me").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        learner.get("/o/alpha/analytics").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn another_organisations_posts_and_inputs_never_show() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let beta = app.org("beta", "Beta").await;
    seed_social(&app, beta.id, Some(beta.people[1].0), 1).await;
    let beta_admin = app.signed_in("admin@beta.test").await;
    let r = beta_admin
        .post_form("/o/beta/analytics/inputs", &[("revenue-2026-03", "999999")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let admin = app.signed_in("admin@alpha.test").await;
    let v: serde_json::Value = admin
        .get("/api/v1/orgs/alpha/reports/influence?from=2026-03-01&to=2026-03-31")
        .await
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(v["social"]["posts"], 0);
    assert_eq!(v["social"]["revenue"]["not_enough_data"], "no-revenue");
    let (_, form) = admin.text("/o/alpha/analytics/inputs").await;
    assert!(!form.contains("999999"));
    // Beta's reports are not reachable by alpha's admin at all.
    assert_eq!(
        admin
            .get("/api/v1/orgs/beta/reports/leadership")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin.get("/o/beta/analytics").await.status(),
        StatusCode::NOT_FOUND
    );
    let _ = alpha;
}

/// The definitions as `somu-analytics` states them word for word from PRODUCT.md.
fn product_definitions() -> Vec<String> {
    let src = include_str!("../../crates/somu-analytics/src/lib.rs");
    let section = src
        .split("//! ## Metric definitions")
        .nth(1)
        .and_then(|s| s.split("//! ## How the definitions").next())
        .unwrap_or("");
    let mut items: Vec<String> = Vec::new();
    for line in section.lines() {
        let text = line.trim_start_matches("//!").trim();
        if let Some(rest) = text.strip_prefix("- ") {
            items.push(rest.to_string());
        } else if !text.is_empty() && !text.starts_with("These are") && !text.starts_with("For an")
        {
            if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(text);
            }
        }
    }
    items
        .into_iter()
        .map(|s| {
            s.replace("**", "")
                .replace('`', "")
                .replace("\\[", "[")
                .replace("\\]", "]")
        })
        .collect()
}

#[tokio::test]
async fn the_help_page_states_every_definition_as_the_product_does() {
    let app = TestApp::spawn().await;
    let _alpha = app.org("alpha", "Alpha").await;
    let learner = app.signed_in("learner@alpha.test").await;
    let (status, html) = learner.text("/o/alpha/analytics/help").await;
    assert_eq!(status, StatusCode::OK);
    let text = html
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace(['\u{2068}', '\u{2069}'], "");
    let defs = product_definitions();
    assert_eq!(defs.len(), 15, "{defs:?}");
    for d in defs {
        assert!(text.contains(&d), "the help page does not state: {d}");
    }
}

#[tokio::test]
async fn reports_download_as_pdf_with_their_words_and_pages() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    seed_social(&app, alpha.id, Some(alpha.people[1].0), 1).await;
    let admin = app.signed_in("admin@alpha.test").await;
    // The dashboard links to the same report as PDF.
    let (_, page) = admin
        .text("/o/alpha/analytics?from=2026-03-02&to=2026-03-29")
        .await;
    assert!(
        page.contains(
            "/o/alpha/analytics/export/leadership?format=pdf&#38;from=2026-03-02&#38;to=2026-03-29"
        ),
        "{page}"
    );
    for path in [
        "/o/alpha/analytics/export/leadership?format=pdf&from=2026-03-02&to=2026-03-29",
        "/api/v1/orgs/alpha/reports/influence?format=pdf&from=2026-03-02&to=2026-03-29",
    ] {
        let r = admin.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let kind = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert_eq!(kind, "application/pdf");
        let bytes = r.bytes().await.unwrap_or_default();
        assert!(bytes.starts_with(b"%PDF-"), "{path}");
        assert!(bytes.ends_with(b"%%EOF") || bytes.ends_with(b"%%EOF\n"));
        // Content streams are not compressed: the period and the definitions are readable.
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/Type /Pages") || text.contains("/Type/Pages"));
        assert!(text.contains("(2026-W10) Tj"), "the weeks of the period");
        assert!(
            text.contains("(Definitions) Tj"),
            "definitions as footnotes"
        );
    }
    // An unknown format names the field; a learner may not export.
    let (status, body) = admin
        .text("/o/alpha/analytics/export/leadership?format=docx")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("format"));
    let learner = app.signed_in("learner@alpha.test").await;
    let (status, _) = learner
        .text("/o/alpha/analytics/export/leadership?format=pdf")
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_manager_sees_their_own_team_and_no_one_elses() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let beta = app.org("beta", "Beta").await;
    let manager = alpha.people[2].0;
    // The learner and Member 0 report to the manager; the learner posts.
    with_pool!(&app.state.store, |p| {
        sqlx::query("UPDATE person SET manager_id = $2 WHERE org_id = $1 AND id IN ($3, $4)")
            .bind(alpha.id.0)
            .bind(manager)
            .bind(alpha.people[1].0)
            .bind(alpha.people[3].0)
            .execute(p)
            .await
            .expect("managers");
    });
    seed_social(&app, alpha.id, Some(alpha.people[1].0), 1).await;
    seed_social(&app, beta.id, Some(beta.people[1].0), 1).await;
    let q = "from=2026-03-02&to=2026-03-29";
    let boss = app.signed_in("manager@alpha.test").await;
    let (status, page) = boss.text(&format!("/o/alpha/analytics/team?{q}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Alpha learner") && page.contains("Alpha Member 0"));
    assert!(!page.contains("Alpha Member 2") && !page.contains("Beta"));
    assert!(page.contains("<svg") && page.contains("Who might need help"));
    // The learner's one original post that week is the team's.
    assert!(page.contains("<td>2026-W10</td>") || page.contains(">2026-W10</th>"));
    let csv = boss
        .get(&format!("/o/alpha/analytics/team?{q}&format=csv"))
        .await
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(
        csv.lines()
            .any(|l| l.contains("Alpha learner") && l.contains(",1,16,")),
        "{csv}"
    );
    // Another manager's team is refused; so is the page for a learner.
    let admin_id = alpha.people[0].0;
    let (status, _) = boss
        .text(&format!("/o/alpha/analytics/team?manager={admin_id}"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let learner = app.signed_in("learner@alpha.test").await;
    let (status, _) = learner.text("/o/alpha/analytics/team").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Staff may look at any manager's team; bad or unknown ids are named or not found.
    let admin = app.signed_in("admin@alpha.test").await;
    let (status, page) = admin
        .text(&format!("/o/alpha/analytics/team?manager={manager}&{q}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Alpha learner"));
    let (status, body) = admin.text("/o/alpha/analytics/team?manager=boss").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("manager"));
    let (status, _) = admin.text("/o/alpha/analytics/team?manager=9999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Beta's administrator asking for Alpha's manager's number gets Beta's person of that
    // number, whose team is empty: nothing of Alpha's.
    let beta_admin = app.signed_in("admin@beta.test").await;
    let (status, page) = beta_admin
        .text(&format!("/o/beta/analytics/team?manager={manager}&{q}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("Alpha"));
    let (status, _) = beta_admin.text("/o/alpha/analytics/team").await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn built_reports_are_stored_and_rebuilt_when_their_sources_change() {
    use somu_web::pages::analytics::report::{self, ReportOptions};
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let store = &app.state.store;
    let range = somu_analytics::period::DateRange::new(
        time::macros::date!(2026 - 03 - 02),
        time::macros::date!(2026 - 03 - 08),
    )
    .expect("range");
    let opts = ReportOptions::default();
    seed_social(&app, alpha.id, Some(alpha.people[1].0), 1).await;
    assert!(!report::is_ready(store, alpha.id, "influence", range, opts)
        .await
        .expect("ready"));
    let admin = app.signed_in("admin@alpha.test").await;
    let url = "/api/v1/orgs/alpha/reports/influence?from=2026-03-02&to=2026-03-08";
    let first: serde_json::Value = admin.get(url).await.json().await.unwrap_or_default();
    assert_eq!(first["social"]["posts"], 2);
    // Stored: the next read is the snapshot, the same numbers.
    assert!(report::is_ready(store, alpha.id, "influence", range, opts)
        .await
        .expect("ready"));
    let keys = store.report_snapshot_keys(alpha.id).await.expect("keys");
    assert!(
        keys.iter()
            .any(|(k, _)| k.starts_with("influence 2026-03-02..2026-03-08")),
        "{keys:?}"
    );
    let again: serde_json::Value = admin.get(url).await.json().await.unwrap_or_default();
    assert_eq!(again, first);
    // A new post marks its week: the snapshot is no longer current, and the report counts it.
    seed_social(&app, alpha.id, None, 2).await;
    assert!(!report::is_ready(store, alpha.id, "influence", range, opts)
        .await
        .expect("ready"));
    let after: serde_json::Value = admin.get(url).await.json().await.unwrap_or_default();
    assert_eq!(after["social"]["posts"], 4);
    // Entered money changes the stamp too.
    let r = admin
        .post_form("/o/alpha/analytics/inputs", &[("value-like", "0.50")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!report::is_ready(store, alpha.id, "influence", range, opts)
        .await
        .expect("ready"));
    // Another organisation has no snapshot of its own from this.
    let beta = app.org("beta", "Beta").await;
    assert!(store
        .report_snapshot_keys(beta.id)
        .await
        .expect("keys")
        .is_empty());
    // A snapshot nobody has rebuilt for 30 days goes when another is stored.
    use somu_store::analytics::snapshot::{Snapshot, KEEP_FOR};
    let snap = |built_at| Snapshot {
        stamp: "s".into(),
        built_at,
        body: "{}".into(),
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    store
        .put_report_snapshot(beta.id, "old", &snap(now - KEEP_FOR - 1))
        .await
        .expect("old");
    store
        .put_report_snapshot(beta.id, "new", &snap(now))
        .await
        .expect("new");
    let keys: Vec<String> = store
        .report_snapshot_keys(beta.id)
        .await
        .expect("keys")
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(keys, vec!["new".to_string()]);
}

#[tokio::test]
async fn a_finished_report_job_returns_to_its_dashboard_and_only_to_this_site() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in("admin@alpha.test").await;
    let store = &app.state.store;
    let account = store
        .person(alpha.id, somu_domain::ids::PersonId(alpha.people[0].0))
        .await
        .expect("person")
        .account_id
        .map(somu_domain::ids::AccountId)
        .expect("account");
    for (message, shown) in [
        ("/o/alpha/analytics?from=2026-01-05", true),
        ("//elsewhere.example/x", false),
    ] {
        let job = store
            .create_job(alpha.id, account, "report", 4)
            .await
            .expect("job");
        store
            .finish_job(alpha.id, job, true, message)
            .await
            .expect("finish");
        let (status, html) = admin.text(&format!("/o/alpha/jobs/{}", job.0)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            html.contains(&format!("url={message}")),
            shown,
            "{message}: {html}"
        );
    }
}

#[tokio::test]
async fn learning_time_is_summed_per_course_for_each_programme() {
    use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb};
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let lesson = |key: &str, ms: i64| NewStatement {
        person: alpha.people[1],
        verb: Verb::Experienced,
        kind: ActivityKind::Lesson,
        key: key.to_string(),
        name: key.to_string(),
        parent: None,
        registration: None,
        outcome: Outcome {
            duration_ms: Some(ms),
            ..Outcome::default()
        },
        at: MONDAY,
    };
    // Hand-worked: course a has 20 + 10 = 30 minutes over two lessons, course b 45 s, which
    // rounds to 1 minute; the whole organisation 30.75 → 31 minutes.
    app.state
        .store
        .record_statements(
            alpha.id,
            &[
                lesson("a/m1/l1", 20 * 60_000),
                lesson("a/m2/l1", 10 * 60_000),
                lesson("b/m1/l1", 45_000),
            ],
        )
        .await
        .expect("record");
    let by_course = app
        .state
        .store
        .learning_minutes_by_course(alpha.id)
        .await
        .expect("minutes");
    assert_eq!(by_course, vec![("a".to_string(), 30), ("b".to_string(), 1)]);
    assert_eq!(
        app.state.store.learning_minutes(alpha.id).await.ok(),
        Some(31)
    );
}

/// The notice on a dashboard showing the figures stored before newer data arrived.
const UPDATING: &str = "These figures were prepared on";

#[tokio::test]
async fn a_slow_first_build_shows_its_progress_and_comes_back_to_the_dashboard() {
    // Waiting no time at all makes every first build "slow".
    let app = TestApp::spawn_with(|c| c.report_wait_ms = 0).await;
    let alpha = app.org("alpha", "Alpha").await;
    seed_social(&app, alpha.id, Some(alpha.people[1].0), 1).await;
    let admin = app.signed_in("admin@alpha.test").await;
    let dashboard = "/o/alpha/analytics?from=2026-03-02&to=2026-03-08";
    let r = admin.get(dashboard).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let job = location(&r);
    assert!(job.starts_with("/o/alpha/jobs/"), "{job}");
    // The job page shows progress, then sends the browser back to the dashboard.
    let mut html = String::new();
    for _ in 0..300 {
        let (status, page) = admin.text(&job).await;
        assert_eq!(status, StatusCode::OK);
        html = page;
        if !html.contains("http-equiv=\"refresh\" content=\"1\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        html.contains(&format!("url={}", dashboard.replace('&', "&#38;")))
            || html.contains(&format!("url={dashboard}")),
        "{html}"
    );
    // Now stored: the dashboard answers at once.
    let (status, page) = admin.text(dashboard).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Programme results"));
    assert!(!page.contains(UPDATING), "{page}");
    // Newer data arrives: while the new figures are built, the previous ones are shown, marked
    // as such, and a visit meanwhile starts no second build.
    let jobs = || async {
        with_pool!(&app.state.store, |p| sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM job WHERE org_id = $1 AND kind = 'report'"
        )
        .bind(alpha.id.0)
        .fetch_one(p)
        .await)
        .expect("jobs")
    };
    let before = jobs().await;
    app.state
        .store
        .mark_all_rollups_dirty(alpha.id)
        .await
        .expect("dirty");
    let mut fresh = false;
    for visit in 0..300 {
        let (status, page) = admin.text(dashboard).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Programme results"), "{page}");
        if visit == 0 {
            assert!(page.contains(UPDATING), "{page}");
        } else if !page.contains(UPDATING) {
            fresh = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        fresh,
        "the new figures replace the previous ones once built"
    );
    assert_eq!(jobs().await, before + 1, "one build for all the visits");
    // Another organisation's member cannot read the job.
    let beta = app.org("beta", "Beta").await;
    let outsider = app.signed_in(&beta.admin).await;
    let (status, _) = outsider.text(&job).await;
    assert_ne!(status, StatusCode::OK);
    let (status, _) = outsider.text(&job.replace("/o/alpha/", "/o/beta/")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn roll_up_rows_read_back_exactly_as_written() {
    use somu_analytics::post::EngagementCounts;
    use somu_analytics::rollup::PostTotals;
    use somu_store::analytics::bulk::BulkAccount;
    use somu_store::analytics::AccountWeek;
    let app = TestApp::spawn().await;
    let org = app.org("alpha", "Alpha").await;
    let store = &app.state.store;
    let person = org.people[0].0;
    let accounts = [
        BulkAccount {
            id: 1,
            platform: "mastodon".into(),
            handle: "@one@example.social".into(),
            person_id: Some(person),
        },
        BulkAccount {
            id: 2,
            platform: "bluesky".into(),
            handle: "brand.example".into(),
            person_id: None,
        },
    ];
    store
        .bulk_accounts(org.id, &accounts, 0)
        .await
        .expect("accounts");
    // Sums that print with more than 15 digits, tiny and huge values, zero, and rows with and
    // without an owner and a follower snapshot: read back, each is the same number.
    let awkward = [
        0.1 + 0.2,
        1.0 / 3.0,
        5e-324,
        1.234_567_890_123_456_7e300,
        0.0,
        2.5,
    ];
    let mut rows = Vec::new();
    for (i, warm) in awkward.iter().enumerate() {
        let i = i as u64;
        for account in [1i64, 2] {
            rows.push(AccountWeek {
                account_id: account,
                week_start: MONDAY + i as i64 * 7 * DAY,
                person_id: (account == 1).then_some(person),
                brand: account == 2,
                totals: PostTotals {
                    posts: 3 + i,
                    original_posts: 2,
                    counts: EngagementCounts {
                        likes: 10 * i,
                        reposts: 1,
                        replies: 2,
                        quotes: 3,
                        clicks: 4,
                        saves: 5,
                    },
                    impressions: 1_000_000_000_000 + i,
                    impression_posts: 1,
                    potential: 7,
                    potential_posts: 1,
                    warm_engagements: *warm,
                    warmth_weight: 9,
                    warmth_posts: 1,
                },
                snapshot: i
                    .is_multiple_of(2)
                    .then_some((MONDAY + i as i64 * 7 * DAY + 5, 800 + i)),
            });
        }
    }
    store
        .put_account_weeks(org.id, &rows)
        .await
        .expect("roll-ups");
    let mut back = store
        .account_weeks(org.id, MONDAY + 100 * 7 * DAY)
        .await
        .expect("read");
    rows.sort_by_key(|r| (r.account_id, r.week_start));
    assert_eq!(back.len(), rows.len());
    for (a, b) in back.iter().zip(&rows) {
        assert_eq!(
            a.totals.warm_engagements.to_bits(),
            b.totals.warm_engagements.to_bits(),
            "{} read back as {}",
            b.totals.warm_engagements,
            a.totals.warm_engagements
        );
    }
    assert_eq!(back, rows);
    // Weeks from `until` on are left out; the team read gives the person's account only.
    back = store
        .account_weeks(org.id, MONDAY + 2 * 7 * DAY)
        .await
        .expect("read");
    assert_eq!(back.len(), 4);
    let team = store
        .account_weeks_of(org.id, &[person], MONDAY + 100 * 7 * DAY)
        .await
        .expect("team");
    assert_eq!(team.len(), awkward.len());
    assert!(team.iter().all(|r| r.account_id == 1));
}
