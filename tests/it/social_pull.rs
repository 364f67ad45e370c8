//! Live pulls against a fake Mastodon instance and a fake Bluesky AppView on 127.0.0.1 (axum,
//! serving the real APIs' field names): first and incremental pulls, pagination, replies,
//! follower snapshots, 429 with Retry-After, 5xx backoff, resuming after a failure mid-way,
//! idempotency, the one-run-per-account lease, the admin page and API, and isolation.

use crate::helpers::{location, TestApp, User};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use somu_domain::ids::OrgId;
use somu_social::pull::{Http, PullSettings};
use somu_store::social::NewLink;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DAY: i64 = 86_400;

/// An injected failure: answer `status` to requests whose path and query contain `needle`,
/// `times` times, with an optional Retry-After.
struct Failure {
    needle: String,
    status: u16,
    retry_after: Option<u64>,
    times: usize,
}

#[derive(Default)]
struct Fake {
    statuses: Vec<Value>,
    contexts: HashMap<String, Vec<Value>>,
    feed: Vec<Value>,
    threads: HashMap<String, Value>,
    failures: Vec<Failure>,
    /// Requests seen (path and query).
    log: Vec<String>,
    /// Sent as X-RateLimit-Remaining on Mastodon answers.
    remaining: Option<i64>,
    page: usize,
}

type Shared = Arc<Mutex<Fake>>;

fn rfc3339(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn status(id: u64, at: i64, likes: i64, replies: i64) -> Value {
    json!({
        "id": id.to_string(), "created_at": rfc3339(at),
        "content": format!("<p>Post {id}: a <strong>great</strong> session on social media today</p>"),
        "url": format!("https://m.test/@brand/{id}"), "in_reply_to_id": null, "reblog": null,
        "replies_count": replies, "reblogs_count": 1, "favourites_count": likes,
        "mentions": [], "account": {"acct": "brand", "followers_count": 1200}
    })
}

fn reply(id: u64, to: u64, at: i64) -> Value {
    json!({
        "id": id.to_string(), "created_at": rfc3339(at),
        "content": "<p>Thank you, this was really helpful!</p>",
        "url": format!("https://o.test/@bo/{id}"), "in_reply_to_id": to.to_string(), "reblog": null,
        "replies_count": 0, "reblogs_count": 0, "favourites_count": 2,
        "mentions": [{"acct": "brand@m.test"}], "account": {"acct": "bo@o.test", "followers_count": 40}
    })
}

fn bsky_post(rkey: &str, at: i64, replies: i64) -> Value {
    json!({
        "post": {
            "uri": format!("at://did:plc:brand/app.bsky.feed.post/{rkey}"), "cid": format!("bafy{rkey}"),
            "author": {"did": "did:plc:brand", "handle": "brand.bsky.social"},
            "record": {"$type": "app.bsky.feed.post", "text": format!("Bluesky post {rkey}, lovely to see you all"), "createdAt": rfc3339(at)},
            "replyCount": replies, "repostCount": 2, "likeCount": 7, "quoteCount": 0, "indexedAt": rfc3339(at)
        }
    })
}

fn failure(fake: &mut Fake, uri: &str) -> Option<Response> {
    let f = fake
        .failures
        .iter_mut()
        .find(|f| f.times > 0 && uri.contains(&f.needle))?;
    f.times -= 1;
    let mut headers = HeaderMap::new();
    if let Some(s) = f.retry_after {
        headers.insert("retry-after", HeaderValue::from(s));
    }
    let code = StatusCode::from_u16(f.status).unwrap();
    Some((code, headers, Json(json!({"error": "try later"}))).into_response())
}

/// Log the request and answer an injected failure when one matches.
fn enter<'a>(
    fake: &'a Shared,
    uri: &axum::http::Uri,
) -> Result<std::sync::MutexGuard<'a, Fake>, Box<Response>> {
    let mut f = fake.lock().unwrap();
    let u = uri.to_string();
    f.log.push(u.clone());
    match failure(&mut f, &u) {
        Some(r) => Err(Box::new(r)),
        None => Ok(f),
    }
}

fn id_of(v: &Value) -> u64 {
    v["id"].as_str().unwrap().parse().unwrap()
}

async fn lookup(State(s): State<Shared>, uri: axum::http::Uri) -> Response {
    if let Err(r) = enter(&s, &uri) {
        return *r;
    }
    Json(json!({"id": "42", "acct": "brand", "username": "brand", "followers_count": 1200}))
        .into_response()
}

async fn statuses(
    State(s): State<Shared>,
    uri: axum::http::Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let f = match enter(&s, &uri) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let num = |k: &str| q.get(k).and_then(|v| v.parse::<u64>().ok());
    let (since, max) = (num("since_id"), num("max_id"));
    let mut list: Vec<Value> = f.statuses.clone();
    list.sort_by_key(|v| std::cmp::Reverse(id_of(v)));
    let page: Vec<Value> = list
        .into_iter()
        .filter(|v| since.is_none_or(|s| id_of(v) > s) && max.is_none_or(|m| id_of(v) < m))
        .take(f.page)
        .collect();
    let mut headers = HeaderMap::new();
    if let Some(last) = page.last() {
        let link = format!(
            "<http://elsewhere.test/api/v1/accounts/42/statuses?limit=40&max_id={}>; rel=\"next\", <http://elsewhere.test/api/v1/accounts/42/statuses?limit=40&min_id={}>; rel=\"prev\"",
            id_of(last),
            id_of(&page[0])
        );
        headers.insert("link", HeaderValue::from_str(&link).unwrap());
    }
    if let Some(r) = f.remaining {
        headers.insert("x-ratelimit-limit", HeaderValue::from(300));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(r));
        headers.insert(
            "x-ratelimit-reset",
            HeaderValue::from_str(&rfc3339(now() + 2)).unwrap(),
        );
    }
    (headers, Json(Value::Array(page))).into_response()
}

async fn context(
    State(s): State<Shared>,
    uri: axum::http::Uri,
    Path(id): Path<String>,
) -> Response {
    let f = match enter(&s, &uri) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let d = f.contexts.get(&id).cloned().unwrap_or_default();
    Json(json!({"ancestors": [], "descendants": d})).into_response()
}

async fn profile(State(s): State<Shared>, uri: axum::http::Uri) -> Response {
    if let Err(r) = enter(&s, &uri) {
        return *r;
    }
    let mut h = HeaderMap::new();
    h.insert("ratelimit-limit", HeaderValue::from(3000));
    h.insert("ratelimit-remaining", HeaderValue::from(2999));
    h.insert("ratelimit-reset", HeaderValue::from(now() + 300));
    (
        h,
        Json(json!({"did": "did:plc:brand", "handle": "brand.bsky.social", "followersCount": 310})),
    )
        .into_response()
}

async fn author_feed(
    State(s): State<Shared>,
    uri: axum::http::Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let f = match enter(&s, &uri) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let start: usize = q.get("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
    let page: Vec<Value> = f.feed.iter().skip(start).take(f.page).cloned().collect();
    let end = start + page.len();
    let mut body = json!({"feed": page});
    if end < f.feed.len() {
        body["cursor"] = json!(end.to_string());
    }
    Json(body).into_response()
}

async fn post_thread(
    State(s): State<Shared>,
    uri: axum::http::Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let f = match enter(&s, &uri) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let u = q.get("uri").cloned().unwrap_or_default();
    match f.threads.get(&u) {
        Some(t) => Json(json!({"thread": t})).into_response(),
        None => (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "NotFound", "message": "Post not found"})),
        )
            .into_response(),
    }
}

/// Start the fake servers; returns their base URL and the shared state.
async fn fake() -> (String, Shared) {
    let shared: Shared = Arc::new(Mutex::new(Fake {
        page: 2,
        ..Fake::default()
    }));
    let app = Router::new()
        .route("/api/v1/accounts/lookup", get(lookup))
        .route("/api/v1/accounts/42/statuses", get(statuses))
        .route("/api/v1/statuses/{id}/context", get(context))
        .route("/xrpc/app.bsky.actor.getProfile", get(profile))
        .route("/xrpc/app.bsky.feed.getAuthorFeed", get(author_feed))
        .route("/xrpc/app.bsky.feed.getPostThread", get(post_thread))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, shared)
}

fn settings(base: &str) -> PullSettings {
    PullSettings {
        mastodon_base_url: Some(base.to_string()),
        bluesky_appview_url: base.to_string(),
        max_retries: 2,
        backoff_base: Duration::from_millis(20),
        max_wait: Duration::from_secs(5),
        timeout: Duration::from_secs(5),
        ..PullSettings::default()
    }
}

/// An organisation with a linked brand account, scheduled; returns (org, account id).
async fn brand(app: &TestApp, slug: &str, platform: &str, handle: &str) -> (OrgId, i64) {
    let org = app.org(slug, slug).await.id;
    let store = &app.state.store;
    let id = store
        .link_social_account(
            org,
            &NewLink {
                platform,
                handle,
                person: None,
                brand: true,
                consent_at: None,
                consent_source: "admin",
            },
        )
        .await
        .unwrap();
    store
        .ensure_social_pulls(Some(org), 3600, now())
        .await
        .unwrap();
    (org, id)
}

async fn count(app: &TestApp, sql: &str, org: OrgId) -> i64 {
    use somu_store::Backend;
    match &app.state.store.backend {
        Backend::Sqlite(p) => sqlx::query_scalar::<_, i64>(sql)
            .bind(org.0)
            .fetch_one(p)
            .await
            .unwrap(),
        Backend::Postgres(p) => sqlx::query_scalar::<_, i64>(sql)
            .bind(org.0)
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

async fn pull(
    app: &TestApp,
    org: OrgId,
    account: i64,
    base: &str,
) -> Result<somu_store::social::PullOutcome, String> {
    let http = Http::new(settings(base)).unwrap();
    app.state
        .store
        .run_social_pull(org, account, &http, "test-server", &|_| {})
        .await
        .unwrap()
}

fn requests(fake: &Shared, needle: &str) -> Vec<String> {
    fake.lock()
        .unwrap()
        .log
        .iter()
        .filter(|l| l.contains(needle))
        .cloned()
        .collect()
}

#[tokio::test]
async fn mastodon_first_pull_pages_back_then_only_new_posts_are_fetched() {
    let app = TestApp::spawn().await;
    let (base, fake) = fake().await;
    let t = now();
    {
        let mut f = fake.lock().unwrap();
        f.statuses = (101..=105)
            .map(|i| status(i, t - 40 * DAY + (i as i64 - 100) * DAY, 3, 0))
            .collect();
        f.statuses[4]["replies_count"] = json!(1);
        f.contexts
            .insert("105".into(), vec![reply(900, 105, t - 34 * DAY)]);
    }
    let (org, account) = brand(&app, "alpha", "mastodon", "@brand@m.test").await;
    let first = pull(&app, org, account, &base).await.unwrap();
    assert!(first.finished);
    assert_eq!(
        (first.fetched, first.inserted),
        (6, 6),
        "5 statuses and 1 reply"
    );
    assert_eq!(first.pages, 4, "pages of 2, 2, 1, then an empty page");
    // The Link header's host is not followed: every page is asked of the configured server.
    let pages = requests(&fake, "/statuses?");
    assert_eq!(pages.len(), 4);
    assert!(
        pages[1].contains("max_id=104")
            && pages[2].contains("max_id=102")
            && pages[3].contains("max_id=101"),
        "{pages:?}"
    );
    assert!(
        !pages[0].contains("since_id"),
        "the first pull goes back in history"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM post WHERE org_id = $1 AND in_reply_to = '105'",
            org
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM social_account WHERE org_id = $1 AND handle = '@bo@o.test'",
            org
        )
        .await,
        1,
        "the reply's author is known as an outside account"
    );
    assert_eq!(
        count(
            &app,
            "SELECT MAX(followers) FROM follower_snapshot WHERE org_id = $1",
            org
        )
        .await,
        1200
    );
    assert!(
        count(
            &app,
            "SELECT COUNT(*) FROM rollup_dirty WHERE org_id = $1",
            org
        )
        .await
            > 0
    );
    let row = app.state.store.social_pull(org, account).await.unwrap();
    assert_eq!(
        (row.last_status.as_str(), row.cursor.as_deref(), row.fetched),
        ("ok", Some("105"), 6)
    );
    assert!(row.resume_page.is_none() && !row.running(now()));
    assert!(
        row.next_run_at >= t + 3600 - 5,
        "next run one interval later"
    );

    // Two new posts: the next pull asks only for what is newer than the newest stored.
    {
        let mut f = fake.lock().unwrap();
        f.statuses.push(status(106, t - DAY, 1, 0));
        f.statuses.push(status(107, t - 3600, 0, 0));
        f.log.clear();
    }
    let second = pull(&app, org, account, &base).await.unwrap();
    assert_eq!((second.fetched, second.inserted, second.updated), (2, 2, 0));
    let pages = requests(&fake, "/statuses?");
    assert!(
        pages.iter().all(|p| p.contains("since_id=105")),
        "{pages:?}"
    );
    assert!(
        requests(&fake, "/context").is_empty(),
        "replies already stored are not asked again"
    );

    // Posts inside the refresh window are fetched again and their new counts stored; the rest is not.
    {
        let mut f = fake.lock().unwrap();
        f.statuses[5]["favourites_count"] = json!(30);
        f.log.clear();
    }
    let third = pull(&app, org, account, &base).await.unwrap();
    assert_eq!((third.fetched, third.inserted, third.updated), (2, 0, 1));
    assert_eq!(
        count(
            &app,
            "SELECT likes FROM post WHERE org_id = $1 AND post_id = '106'",
            org
        )
        .await,
        30
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM post WHERE org_id = $1", org).await,
        8
    );
}

#[tokio::test]
async fn bluesky_pull_follows_the_cursor_and_stores_thread_replies() {
    let app = TestApp::spawn().await;
    let (base, fake) = fake().await;
    let t = now();
    {
        let mut f = fake.lock().unwrap();
        f.page = 3;
        f.feed = vec![
            bsky_post("3kd", t - 30 * DAY, 1),
            bsky_post("3kc", t - 31 * DAY, 0),
            bsky_post("3kb", t - 32 * DAY, 0),
            bsky_post("3ka", t - 33 * DAY, 0),
        ];
        let parent = "at://did:plc:brand/app.bsky.feed.post/3kd";
        let root = f.feed[0]["post"].clone();
        f.threads.insert(
            parent.into(),
            json!({
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": root,
                "replies": [{
                    "$type": "app.bsky.feed.defs#threadViewPost",
                    "post": {
                        "uri": "at://did:plc:cy/app.bsky.feed.post/3zz", "cid": "bafyzz",
                        "author": {"did": "did:plc:cy", "handle": "cy.bsky.social"},
                        "record": {"text": "Such a good idea, thanks!", "createdAt": rfc3339(t - 29 * DAY),
                                   "reply": {"root": {"uri": parent, "cid": "bafy3kd"}, "parent": {"uri": parent, "cid": "bafy3kd"}}},
                        "replyCount": 0, "repostCount": 0, "likeCount": 1, "quoteCount": 0, "indexedAt": rfc3339(t - 29 * DAY)
                    },
                    "replies": [{"$type": "app.bsky.feed.defs#blockedPost", "uri": "at://x", "blocked": true}]
                }]
            }),
        );
    }
    let (org, account) = brand(&app, "alpha", "bluesky", "brand.bsky.social").await;
    let first = pull(&app, org, account, &base).await.unwrap();
    assert_eq!((first.pages, first.fetched, first.inserted), (2, 5, 5));
    assert!(requests(&fake, "getAuthorFeed")[1].contains("cursor=3"));
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM post p JOIN social_account a ON a.org_id = p.org_id AND a.id = p.account_id \
                     WHERE p.org_id = $1 AND a.handle = 'cy.bsky.social' AND p.in_reply_to = '3kd'", org).await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT MAX(followers) FROM follower_snapshot WHERE org_id = $1",
            org
        )
        .await,
        310
    );
    // Nothing new: one page, only the newest stored post seen again, nothing written.
    fake.lock().unwrap().log.clear();
    let again = pull(&app, org, account, &base).await.unwrap();
    assert_eq!((again.pages, again.inserted, again.updated), (1, 0, 0));
    assert!(requests(&fake, "getPostThread").is_empty());
    assert_eq!(
        app.state
            .store
            .social_pull(org, account)
            .await
            .unwrap()
            .cursor
            .as_deref(),
        Some("3kd")
    );
}

#[tokio::test]
async fn rate_limits_are_honoured_429_waits_for_retry_after_and_5xx_backs_off() {
    let app = TestApp::spawn().await;
    let (base, fake) = fake().await;
    let t = now();
    {
        let mut f = fake.lock().unwrap();
        f.statuses = vec![status(201, t - 40 * DAY, 1, 0)];
        f.failures.push(Failure {
            needle: "/lookup".into(),
            status: 503,
            retry_after: None,
            times: 2,
        });
        f.failures.push(Failure {
            needle: "/statuses?".into(),
            status: 429,
            retry_after: Some(1),
            times: 1,
        });
    }
    let (org, account) = brand(&app, "alpha", "mastodon", "@brand@m.test").await;
    let started = Instant::now();
    let out = pull(&app, org, account, &base).await.unwrap();
    assert_eq!(out.inserted, 1);
    assert!(
        started.elapsed() >= Duration::from_millis(1000),
        "waited for Retry-After: {:?}",
        started.elapsed()
    );
    assert_eq!(
        requests(&fake, "/lookup").len(),
        3,
        "two 503s, then success"
    );
    assert_eq!(
        requests(&fake, "/statuses?").len(),
        3,
        "a 429, then a page, then an empty page"
    );

    // A spent window (X-RateLimit-Remaining: 0) makes the next request wait for the reset.
    {
        let mut f = fake.lock().unwrap();
        f.remaining = Some(0);
        f.statuses.push(status(202, t - 39 * DAY, 1, 0));
        f.statuses.push(status(203, t - 38 * DAY, 1, 0));
        f.page = 1;
    }
    let started = Instant::now();
    let out = pull(&app, org, account, &base).await.unwrap();
    assert_eq!(out.inserted, 2);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );

    // Retries run out: the run fails, the error is kept and the next run is put off.
    fake.lock().unwrap().failures.push(Failure {
        needle: "/lookup".into(),
        status: 500,
        retry_after: None,
        times: 3,
    });
    let err = pull(&app, org, account, &base).await.unwrap_err();
    assert!(err.contains("HTTP 500"), "{err}");
    let row = app.state.store.social_pull(org, account).await.unwrap();
    assert_eq!((row.last_status.as_str(), row.failures), ("error", 1));
    assert!(row.last_error.contains("HTTP 500"));
    assert!(row.next_run_at >= now() + 250, "backed off");
}

#[tokio::test]
async fn a_run_that_fails_mid_way_resumes_from_the_saved_page_and_writes_nothing_twice() {
    let app = TestApp::spawn().await;
    let (base, fake) = fake().await;
    let t = now();
    {
        let mut f = fake.lock().unwrap();
        f.statuses = (301..=305)
            .map(|i| status(i, t - 60 * DAY + (i as i64 - 300) * DAY, 2, 0))
            .collect();
        f.failures.push(Failure {
            needle: "max_id=304".into(),
            status: 502,
            retry_after: None,
            times: 3,
        });
    }
    let (org, account) = brand(&app, "alpha", "mastodon", "@brand@m.test").await;
    let err = pull(&app, org, account, &base).await.unwrap_err();
    assert!(err.contains("HTTP 502"), "{err}");
    let row = app.state.store.social_pull(org, account).await.unwrap();
    assert_eq!(
        row.resume_page.as_deref(),
        Some("304"),
        "the failed page is where the next run starts"
    );
    assert_eq!(
        row.cursor, None,
        "the newest id is saved only when a run finishes"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM post WHERE org_id = $1", org).await,
        2
    );

    fake.lock().unwrap().log.clear();
    let resumed = pull(&app, org, account, &base).await.unwrap();
    assert_eq!((resumed.fetched, resumed.inserted), (3, 3));
    assert!(
        requests(&fake, "/statuses?")[0].contains("max_id=304"),
        "resumed at the saved page"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM post WHERE org_id = $1", org).await,
        5
    );
    let row = app.state.store.social_pull(org, account).await.unwrap();
    assert!(row.resume_page.is_none());
    assert_eq!((row.last_status.as_str(), row.failures), ("ok", 0));

    // The same posts again (another server's copy, a retried page) change nothing.
    let store = &app.state.store;
    let mut writer = store.social_writer(org).await.unwrap();
    let again = somu_social::pull::mastodon::status(
        &fake.lock().unwrap().statuses[0],
        "m.test",
        Some("@brand@m.test"),
    )
    .unwrap();
    let s = writer
        .write(store, vec![somu_store::social::ScoredPost::score(again)])
        .await
        .unwrap();
    assert_eq!((s.inserted, s.updated, s.unchanged), (0, 0, 1));
}

#[tokio::test]
async fn one_server_at_a_time_pulls_an_account() {
    let app = TestApp::spawn().await;
    let (base, _fake) = fake().await;
    let (org, account) = brand(&app, "alpha", "mastodon", "@brand@m.test").await;
    let store = &app.state.store;
    let t = now();
    assert!(store
        .claim_social_pull(org, account, "server-a", t)
        .await
        .unwrap()
        .is_some());
    assert!(store
        .claim_social_pull(org, account, "server-b", t)
        .await
        .unwrap()
        .is_none());
    assert!(
        store.due_social_pulls(t + 10, 10).await.unwrap().is_empty(),
        "a held lease is not due"
    );
    let http = Http::new(settings(&base)).unwrap();
    let err = store
        .run_social_pull(org, account, &http, "server-b", &|_| {})
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already running"), "{err}");
    // An expired lease (its server died) is taken over.
    assert!(store
        .claim_social_pull(org, account, "server-b", t + 601)
        .await
        .unwrap()
        .is_some());
}

/// The first schedule of alpha's pulls page once its run has ended (Null after 5 s).
async fn finished_run(admin: &User) -> Value {
    for _ in 0..100 {
        let list: Value = admin
            .get("/api/v1/orgs/alpha/social/pulls")
            .await
            .json()
            .await
            .unwrap();
        if list[0]["last_status"] != "never" && list[0]["running"] == false {
            return list[0].clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Value::Null
}

#[tokio::test]
async fn the_admin_page_pulls_now_pauses_and_no_other_organisation_sees_or_triggers_it() {
    let (base, fake) = fake().await;
    let fake_base = base.clone();
    let app = TestApp::spawn_with(move |c| {
        c.mastodon_base_url = fake_base.clone();
        c.bluesky_appview_url = fake_base;
    })
    .await;
    fake.lock().unwrap().statuses = vec![status(401, now() - 20 * DAY, 5, 0)];
    let alpha = app.org("alpha", "Alpha").await;
    let _beta = app.org("beta", "Beta").await;
    let admin = app.signed_in(&alpha.admin).await;
    let r = admin
        .post_form(
            "/o/alpha/social/accounts",
            &[("platform", "mastodon"), ("handle", "@brand@m.test")],
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
    let (status, html) = admin.text("/o/alpha/social/pulls").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(
        html.contains("@brand@m.test") && html.contains("not pulled yet"),
        "{html}"
    );
    let account = app.state.store.social_pulls(alpha.id).await.unwrap()[0].account_id;

    let r = admin
        .post_form(&format!("/o/alpha/social/pulls/{account}/run"), &[])
        .await;
    assert!(location(&r).ends_with("done=social-pull-started"));
    let done = finished_run(&admin).await;
    assert_eq!(done["last_status"], "ok", "{done}");
    assert_eq!(done["last_fetched"], 1);
    assert_eq!(done["cursor"], "401");
    let (_, html) = admin.text("/o/alpha/social/pulls").await;
    assert!(html.contains("up to date"));

    // By default an admin may not point pulls into the server's own network.
    let r = admin
        .post_form(
            &format!("/o/alpha/social/pulls/{account}/schedule"),
            &[("interval_minutes", "60"), ("base_url", &base)],
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("base_url"));

    let r = admin
        .post_form(&format!("/o/alpha/social/pulls/{account}/pause"), &[])
        .await;
    assert!(location(&r).ends_with("done=social-pull-paused"));
    let list: Value = admin
        .get("/api/v1/orgs/alpha/social/pulls")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["enabled"], false);
    assert!(
        app.state
            .store
            .due_social_pulls(now() + 10 * 3600, 10)
            .await
            .unwrap()
            .is_empty(),
        "a paused account is never due"
    );
    let r = admin
        .post_form(&format!("/o/alpha/social/pulls/{account}/resume"), &[])
        .await;
    assert!(location(&r).ends_with("done=social-pull-resumed"));

    // Another organisation's admin sees none of it and cannot trigger or pause it.
    let other = app.signed_in("admin@beta.test").await;
    let (_, html) = other.text("/o/beta/social/pulls").await;
    assert!(!html.contains("@brand@m.test"));
    let list: Value = other
        .get("/api/v1/orgs/beta/social/pulls")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list, json!([]));
    for action in ["run", "pause", "resume"] {
        let r = other
            .post_form(&format!("/o/beta/social/pulls/{account}/{action}"), &[])
            .await;
        assert_eq!(r.status(), reqwest::StatusCode::NOT_FOUND, "{action}");
        let r = other
            .post_form(&format!("/o/alpha/social/pulls/{account}/{action}"), &[])
            .await;
        assert!(r.status().is_client_error(), "{action}: {}", r.status());
    }
    assert!(other
        .get("/api/v1/orgs/alpha/social/pulls")
        .await
        .status()
        .is_client_error());
    // A learner of the organisation is not an admin.
    let learner = app.signed_in(&alpha.learner).await;
    assert_eq!(
        learner.get("/o/alpha/social/pulls").await.status(),
        reqwest::StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.state
            .store
            .social_pull(alpha.id, account)
            .await
            .unwrap()
            .fetched,
        1
    );

    // Revoking the account deletes its schedule: pulls stop.
    let r = admin
        .post_form(&format!("/o/alpha/social/accounts/{account}/revoke"), &[])
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
    let list: Value = admin
        .get("/api/v1/orgs/alpha/social/pulls")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn an_admin_sets_an_accounts_interval_and_server_and_bad_values_change_nothing() {
    let (base, fake) = fake().await;
    // The configured default points nowhere: only the account's own server answers.
    let app = TestApp::spawn_with(|c| {
        c.mastodon_base_url = "http://127.0.0.1:9".into();
        c.bluesky_appview_url = "http://127.0.0.1:9".into();
        c.social_pull_private_servers = true;
    })
    .await;
    fake.lock().unwrap().statuses = vec![status(402, now() - 3 * DAY, 2, 0)];
    let alpha = app.org("alpha", "Alpha").await;
    let _beta = app.org("beta", "Beta").await;
    let admin = app.signed_in(&alpha.admin).await;
    let r = admin
        .post_form(
            "/o/alpha/social/accounts",
            &[("platform", "mastodon"), ("handle", "@brand@m.test")],
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
    let (_, html) = admin.text("/o/alpha/social/pulls").await;
    assert!(html.contains("name=\"interval_minutes\""), "{html}");
    let account = app.state.store.social_pulls(alpha.id).await.unwrap()[0].account_id;
    let path = format!("/o/alpha/social/pulls/{account}/schedule");
    let server = format!("{base}/");
    let r = admin
        .post_form(&path, &[("interval_minutes", "90"), ("base_url", &server)])
        .await;
    assert!(
        location(&r).ends_with("done=social-pull-scheduled"),
        "{}",
        location(&r)
    );
    let row = app
        .state
        .store
        .social_pull(alpha.id, account)
        .await
        .unwrap();
    assert_eq!(row.interval_seconds, 90 * 60);
    assert_eq!(row.base_url, base, "kept without the trailing slash");
    let (_, html) = admin.text("/o/alpha/social/pulls").await;
    assert!(html.contains("every 90 min"), "{html}");

    // Bad values name their field and change nothing.
    for (minutes, server, field) in [
        ("abc", "", "interval_minutes"),
        ("2", "", "interval_minutes"),
        ("20000", "", "interval_minutes"),
        ("60", "ftp://m.test", "base_url"),
        ("60", "m.test", "base_url"),
    ] {
        let r = admin
            .post_form(
                &path,
                &[("interval_minutes", minutes), ("base_url", server)],
            )
            .await;
        assert_eq!(
            r.status(),
            reqwest::StatusCode::UNPROCESSABLE_ENTITY,
            "{minutes} {server}"
        );
        let html = r.text().await.unwrap();
        assert!(html.contains(field), "{field}: {html}");
    }
    let same = app
        .state
        .store
        .social_pull(alpha.id, account)
        .await
        .unwrap();
    assert_eq!(
        (same.interval_seconds, same.base_url.as_str()),
        (90 * 60, base.as_str())
    );

    // A run asks the account's own server, not the configured default.
    let r = admin
        .post_form(&format!("/o/alpha/social/pulls/{account}/run"), &[])
        .await;
    assert!(location(&r).ends_with("done=social-pull-started"));
    let done = finished_run(&admin).await;
    assert_eq!(done["last_status"], "ok", "{done}");
    assert_eq!(done["base_url"], base.as_str());
    let after_run = app
        .state
        .store
        .social_pull(alpha.id, account)
        .await
        .unwrap();
    assert_eq!(
        after_run.next_run_at,
        after_run.last_run_at.unwrap() + 90 * 60
    );

    // The same through the API; an unknown field is refused.
    let token = admin.csrf().await;
    let put = |body: Value| {
        admin
            .http
            .put(format!(
                "{}/api/v1/orgs/alpha/social/pulls/{account}",
                admin.base
            ))
            .header("x-csrf-token", token.clone())
            .json(&body)
            .send()
    };
    let r = put(json!({"interval_minutes": 30, "base_url": ""}))
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    let out: Value = r.json().await.unwrap();
    assert_eq!(
        (out["interval_seconds"].clone(), out["base_url"].clone()),
        (json!(1800), json!(""))
    );
    let r = put(json!({"interval_minutes": 30, "every": 2}))
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    let r = put(json!({"interval_minutes": 1})).await.unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(
        problem["errors"][0]["field"], "interval_minutes",
        "{problem}"
    );

    // Another organisation's admin cannot change it.
    let other = app.signed_in("admin@beta.test").await;
    for org in ["beta", "alpha"] {
        let r = other
            .post_form(
                &format!("/o/{org}/social/pulls/{account}/schedule"),
                &[("interval_minutes", "5"), ("base_url", "")],
            )
            .await;
        assert!(r.status().is_client_error(), "{org}: {}", r.status());
    }
    assert_eq!(
        app.state
            .store
            .social_pull(alpha.id, account)
            .await
            .unwrap()
            .interval_seconds,
        1800
    );
}

#[tokio::test]
async fn the_scheduler_pulls_due_accounts_once() {
    let (base, fake) = fake().await;
    let app = TestApp::spawn().await;
    fake.lock().unwrap().statuses = vec![status(501, now() - 20 * DAY, 5, 0)];
    let (org, account) = brand(&app, "alpha", "mastodon", "@brand@m.test").await;
    let settings = settings(&base);
    let pulled = somu_web::pages::social::pulls::run_due(&app.state, &settings, "tick").await;
    assert_eq!(pulled, 1);
    assert_eq!(
        app.state
            .store
            .social_pull(org, account)
            .await
            .unwrap()
            .last_status,
        "ok"
    );
    assert_eq!(
        somu_web::pages::social::pulls::run_due(&app.state, &settings, "tick").await,
        0,
        "not due again yet"
    );
}
