//! Spawning the app, seeding two organisations, and a cookie-keeping client per user.

use reqwest::{redirect, Client, Response, StatusCode};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::org::{AppRole, Audience, EmploymentType, NewOrg, PersonInput};
use somu_store::{Store, StoreOptions};
use somu_web::config::{Config, Secret};
use somu_web::AppState;
use std::sync::OnceLock;

/// The password every test account uses.
pub const PASSWORD: &str = "correct horse battery";

/// A running Somu.
pub struct TestApp {
    pub base: String,
    pub state: AppState,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
    pg_db: Option<(String, String)>,
}

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| somu_web::auth::hash_password(PASSWORD).expect("hash"))
}

fn unique_name() -> String {
    use rand::Rng;
    format!("somu_test_{:016x}", rand::thread_rng().gen::<u64>())
}

impl TestApp {
    /// A fresh database and a server on a free port.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// The same, with configuration changed first.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, pg_db) = match std::env::var("SOMU_TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let name = unique_name();
                let admin = sqlx::PgPool::connect(&admin_url)
                    .await
                    .expect("connect to PostgreSQL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin)
                    .await
                    .expect("create database");
                admin.close().await;
                let (prefix, _) = admin_url.rsplit_once('/').expect("database URL has a path");
                (format!("{prefix}/{name}"), Some((admin_url.clone(), name)))
            }
            _ => (
                format!("sqlite://{}", dir.path().join("somu.db").display()),
                None,
            ),
        };
        let config = Config {
            bind: "127.0.0.1:0".into(),
            database_url: Secret(url.clone()),
            base_url: "http://somu.test".into(),
            database_max_connections: 5,
            max_upload_mb: 2,
            ..Config::default()
        };
        let mut config = config;
        tweak(&mut config);
        let store = Store::connect(&StoreOptions {
            url,
            max_connections: 5,
        })
        .await
        .expect("connect");
        store.migrate().await.expect("migrate");
        let state = AppState::new(store, config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let serve_state = state.clone();
        tokio::spawn(async move {
            let _ = somu_web::serve(listener, serve_state, async move {
                let _ = rx.await;
            })
            .await;
        });
        TestApp {
            base,
            state,
            shutdown: Some(tx),
            _dir: dir,
            pg_db,
        }
    }

    /// A client that keeps cookies and does not follow redirects.
    pub fn client(&self) -> User {
        User {
            base: self.base.clone(),
            http: Client::builder()
                .cookie_store(true)
                .redirect(redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    /// Create an organisation with people; returns the fixture.
    pub async fn org(&self, slug: &str, name: &str) -> OrgFixture {
        let store = &self.state.store;
        let org = store
            .create_org(&NewOrg::parse(slug, name).expect("valid org"))
            .await
            .expect("create org");
        let id = org.org_id();
        let mut fixture = OrgFixture {
            id,
            slug: slug.into(),
            admin: String::new(),
            learner: String::new(),
            people: vec![],
        };
        for (role, audience) in [
            ("admin", Audience::Management),
            ("learner", Audience::Practitioner),
            ("manager", Audience::Management),
        ] {
            let email = format!("{role}@{slug}.test");
            let p = self
                .person(id, &email, &format!("{name} {role}"), audience)
                .await;
            let account = match store.account_by_email(&email).await.expect("lookup") {
                Some(a) => a.account_id(),
                None => store
                    .create_account(&email, &email, Some(password_hash()), false)
                    .await
                    .expect("account"),
            };
            store.link_account(id, p, account).await.expect("link");
            let roles: &[AppRole] = match role {
                "admin" => &[AppRole::OrgAdmin, AppRole::Learner],
                "manager" => &[AppRole::Manager, AppRole::Learner],
                _ => &[AppRole::Learner],
            };
            store.set_roles(id, p, roles).await.expect("roles");
            fixture.people.push(p);
        }
        fixture.admin = format!("admin@{slug}.test");
        fixture.learner = format!("learner@{slug}.test");
        for i in 0..5 {
            let p = self
                .person(
                    id,
                    &format!("p{i}@{slug}.test"),
                    &format!("{name} Member {i}"),
                    Audience::Observer,
                )
                .await;
            fixture.people.push(p);
        }
        store
            .create_team(id, &format!("{name} Team"), Some(fixture.people[2]))
            .await
            .expect("team");
        fixture
    }

    async fn person(&self, org: OrgId, email: &str, name: &str, audience: Audience) -> PersonId {
        let input = PersonInput {
            employee_id: None,
            email: email.into(),
            name: name.into(),
            audience,
            team: None,
            manager: None,
            employment_type: EmploymentType::Employee,
            language: "en".into(),
            job_title: Some(format!("{name} title")),
            start_date: None,
        };
        self.state
            .store
            .create_person(org, &input)
            .await
            .expect("person")
    }

    /// A signed-in client.
    pub async fn signed_in(&self, email: &str) -> User {
        let user = self.client();
        let resp = user.sign_in(email, PASSWORD).await;
        assert_eq!(
            resp.status(),
            StatusCode::SEE_OTHER,
            "sign-in of {email} failed"
        );
        user
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some((admin_url, name)) = self.pg_db.take() {
            // Drop the test database from a separate runtime: Drop cannot await, and the test's
            // own runtime is blocked here. FORCE ends the server's connections.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async move {
                    if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&admin)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// An organisation made for a test.
pub struct OrgFixture {
    pub id: OrgId,
    pub slug: String,
    pub admin: String,
    pub learner: String,
    pub people: Vec<PersonId>,
}

/// One person's browser.
pub struct User {
    pub base: String,
    pub http: Client,
}

/// The anti-forgery token in a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("page has a csrf field");
    html[start..start + 48].to_string()
}

impl User {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn text(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        let s = r.status();
        (s, r.text().await.expect("body"))
    }

    /// The token this browser's forms carry (fetched from the sign-in page, which any browser can open).
    pub async fn csrf(&self) -> String {
        let (_, html) = self.text("/sign-in").await;
        csrf_of(&html)
    }

    /// POST a form with the anti-forgery token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.http
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        self.post_form("/sign-in", &[("email", email), ("password", password)])
            .await
    }

    /// Upload a file to a multipart form.
    pub async fn upload(&self, path: &str, filename: &str, bytes: Vec<u8>) -> Response {
        let token = self.csrf().await;
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(filename.to_string())
            .mime_str("text/csv")
            .expect("mime");
        let form = reqwest::multipart::Form::new().part("file", part);
        self.http
            .post(format!("{}?csrf={token}", self.url(path)))
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }
}

/// The path a redirect points to.
pub fn location(r: &Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}
