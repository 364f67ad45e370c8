//! Activity lists: posts with their counts, reach, sentiment and replies, for the organisation,
//! a team, a person or an account; filters by platform, period, account and kind; CSV export.

use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::i18n::FluentArg;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::org::AppRole;
use somu_social::{Platform, PostKind};
use somu_store::org::Team;
use somu_store::social::{ActivityTotals, PostFilter, PostRow, SocialAccount};

/// Posts on one page.
const PAGE_SIZE: i64 = 50;
/// Rows in a CSV export at most.
const CSV_LIMIT: i64 = 200_000;

/// The filters as they arrive in the query string (all text, checked by [`ActivityQuery::filter`]).
#[derive(Deserialize, Default, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// Platform code: x, linkedin, mastodon, bluesky, other.
    #[serde(default)]
    pub platform: Option<String>,
    /// Account id.
    #[serde(default)]
    pub account: Option<String>,
    /// Person id.
    #[serde(default)]
    pub person: Option<String>,
    /// Team id.
    #[serde(default)]
    pub team: Option<String>,
    /// Only brand accounts (`true`).
    #[serde(default)]
    pub brand: Option<String>,
    /// First day (YYYY-MM-DD, inclusive).
    #[serde(default)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, inclusive).
    #[serde(default)]
    pub to: Option<String>,
    /// Kind: original, reply, repost, quote.
    #[serde(default)]
    pub kind: Option<String>,
    /// Page number from 1.
    #[serde(default)]
    pub page: Option<String>,
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn id_param(v: &Option<String>, field: &str) -> AppResult<Option<i64>> {
    nonempty(v)
        .map(|s| {
            s.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| AppError::field(field, "invalid", format!("\"{s}\" is not an id")))
        })
        .transpose()
}

fn day_param(v: &Option<String>, field: &str) -> AppResult<Option<i64>> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    nonempty(v)
        .map(|s| {
            time::Date::parse(s, format)
                .map(|d| d.midnight().assume_utc().unix_timestamp())
                .map_err(|_| {
                    AppError::field(
                        field,
                        "invalid-date",
                        format!("\"{s}\" is not a date like 2026-03-02"),
                    )
                })
        })
        .transpose()
}

impl ActivityQuery {
    /// The checked filter; a bad value names its parameter.
    pub fn filter(&self) -> AppResult<PostFilter> {
        let platform = nonempty(&self.platform)
            .map(|p| {
                Platform::parse(p)
                    .map(|p| p.code().to_string())
                    .ok_or_else(|| {
                        AppError::field(
                            "platform",
                            "unknown-value",
                            format!("\"{p}\" is not one of x, linkedin, mastodon, bluesky, other"),
                        )
                    })
            })
            .transpose()?;
        let kind = nonempty(&self.kind)
            .map(|k| {
                PostKind::parse(k)
                    .map(|k| k.code().to_string())
                    .ok_or_else(|| {
                        AppError::field(
                            "kind",
                            "unknown-value",
                            format!("\"{k}\" is not one of original, reply, repost, quote"),
                        )
                    })
            })
            .transpose()?;
        Ok(PostFilter {
            platform,
            account: id_param(&self.account, "account")?,
            person: id_param(&self.person, "person")?,
            team: id_param(&self.team, "team")?,
            brand_only: nonempty(&self.brand) == Some("true"),
            from: day_param(&self.from, "from")?,
            to: day_param(&self.to, "to")?.map(|t| t + 86_400),
            kind,
        })
    }

    /// The page number (from 1).
    pub fn page(&self) -> AppResult<i64> {
        Ok(id_param(&self.page, "page")?.unwrap_or(1))
    }

    /// The query string for links to other pages and the CSV, without `page`.
    fn link(&self) -> String {
        let pairs = [
            ("platform", &self.platform),
            ("account", &self.account),
            ("person", &self.person),
            ("team", &self.team),
            ("brand", &self.brand),
            ("from", &self.from),
            ("to", &self.to),
            ("kind", &self.kind),
        ];
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            if let Some(v) = nonempty(v) {
                s.append_pair(k, v);
            }
        }
        s.finish()
    }
}

/// A post as a row of the page.
pub struct PostView {
    /// The post.
    pub p: PostRow,
    /// Posted, for display.
    pub when: String,
    /// Sentiment for display (two decimals) or empty.
    pub sentiment: String,
    /// Mean sentiment of replies, or empty.
    pub response: String,
    /// Reach figure.
    pub reach: i64,
    /// Whether `reach` counts impressions (else followers at posting time).
    pub reach_is_impressions: bool,
    /// The text cut to 280 characters.
    pub short: String,
}

fn score(v: Option<f64>) -> String {
    v.map(|s| format!("{s:+.2}")).unwrap_or_default()
}

impl From<PostRow> for PostView {
    fn from(p: PostRow) -> Self {
        let short: String = p.text.chars().take(280).collect();
        PostView {
            when: crate::pages::when(&p.created_at),
            sentiment: score(p.sentiment),
            response: score(p.response_sentiment),
            reach: p.impressions.unwrap_or(p.followers),
            reach_is_impressions: p.impressions.is_some(),
            short,
            p,
        }
    }
}

/// Roles that see everyone's activity; managers see the people they manage, members their own.
pub const SEES_ALL: &[AppRole] = &[
    AppRole::OrgAdmin,
    AppRole::ProgrammeOwner,
    AppRole::Instructor,
];

fn sees_all(ctx: &OrgCtx) -> bool {
    SEES_ALL.iter().any(|r| ctx.has(*r))
}

/// Whether the member may see this person's activity: their own, everyone's for the roles of
/// [`SEES_ALL`], and a manager's direct and indirect reports.
async fn may_see_person(state: &AppState, ctx: &OrgCtx, person: i64) -> AppResult<bool> {
    if person == ctx.member.person_id.0 || sees_all(ctx) {
        return Ok(true);
    }
    if !ctx.has(AppRole::Manager) {
        return Ok(false);
    }
    Ok(state
        .store
        .reports_of(ctx.org(), ctx.member.person_id)
        .await?
        .iter()
        .any(|r| r.id == person))
}

/// Whose activity a page shows.
pub enum Scope {
    /// The whole organisation (filters by team, person, account, brand).
    Org,
    /// The signed-in member's own posts.
    Mine,
    /// One person's posts.
    Person(i64, String),
    /// The posts of one team's people.
    Team(Team),
}

impl Scope {
    /// The person page scope, when the member may see that person (else not found).
    async fn person(state: &AppState, ctx: &OrgCtx, id: i64) -> AppResult<Scope> {
        if !may_see_person(state, ctx, id).await? {
            return Err(AppError::NotFound);
        }
        let person = state.store.person(ctx.org(), PersonId(id)).await?;
        Ok(Scope::Person(person.id, person.name))
    }

    /// The team page scope, for the team's manager and the roles of [`SEES_ALL`].
    async fn team(state: &AppState, ctx: &OrgCtx, id: i64) -> AppResult<Scope> {
        let team = state
            .store
            .teams(ctx.org())
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(AppError::NotFound)?;
        if sees_all(ctx) || team.manager_id == Some(ctx.member.person_id.0) {
            Ok(Scope::Team(team))
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Narrow a filter to the scope: whatever the query says, nothing outside it is selected.
    fn apply(&self, ctx: &OrgCtx, f: &mut PostFilter) {
        match self {
            Scope::Org => {}
            Scope::Mine => {
                f.person = Some(ctx.member.person_id.0);
                f.team = None;
            }
            Scope::Person(id, _) => {
                f.person = Some(*id);
                f.team = None;
            }
            Scope::Team(t) => f.team = Some(t.id),
        }
    }

    /// The page's address (without query), below `/o/{org}`.
    fn path(&self) -> String {
        match self {
            Scope::Org => "/social".into(),
            Scope::Mine => "/me/activity".into(),
            Scope::Person(id, _) => format!("/people/{id}/activity"),
            Scope::Team(t) => format!("/teams/{}/activity", t.id),
        }
    }

    /// The CSV's file name.
    fn csv_name(&self) -> String {
        match self {
            Scope::Org => "social-activity.csv".into(),
            Scope::Mine => "my-social-activity.csv".into(),
            Scope::Person(id, _) => format!("social-activity-person-{id}.csv"),
            Scope::Team(t) => format!("social-activity-team-{}.csv", t.id),
        }
    }
}

#[derive(Template)]
#[template(path = "social/activity.html")]
struct ActivityPage {
    page: Page,
    q: ActivityQuery,
    posts: Vec<PostView>,
    totals: ActivityTotals,
    mean: String,
    teams: Vec<Team>,
    accounts: Vec<SocialAccount>,
    platforms: &'static [Platform],
    base: String,
    link: String,
    page_no: i64,
    pages: i64,
    /// Whether the organisation-wide filters (team, person, brand) are shown.
    org_view: bool,
    /// Whether this is the member's own page.
    own: bool,
    /// The team whose page this is.
    team: Option<Team>,
}

async fn activity_page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &str,
    q: ActivityQuery,
    scope: Scope,
) -> AppResult<Html<String>> {
    let mut filter = q.filter()?;
    scope.apply(ctx, &mut filter);
    let page_no = q.page()?;
    let org: OrgId = ctx.org();
    let totals = state.store.social_totals(org, &filter).await?;
    let posts = state
        .store
        .social_posts(org, &filter, PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
        .await?
        .into_iter()
        .map(PostView::from)
        .collect();
    let teams = match scope {
        Scope::Org => state.store.teams(org).await?,
        _ => Vec::new(),
    };
    let accounts = match &scope {
        Scope::Mine => {
            state
                .store
                .social_accounts(org, Some(ctx.member.person_id))
                .await?
        }
        Scope::Person(id, _) => {
            state
                .store
                .social_accounts(org, Some(PersonId(*id)))
                .await?
        }
        _ => Vec::new(),
    };
    let slug = &ctx.member.org.slug;
    let base = format!("/o/{slug}{}", scope.path());
    let mut page = Page::org(
        ctx,
        csrf,
        match scope {
            Scope::Org => "social-activity-title",
            Scope::Mine => "social-my-activity-title",
            Scope::Person(..) => "social-person-activity-title",
            Scope::Team(_) => "social-team-activity-title",
        },
    );
    let named = match &scope {
        Scope::Person(_, name) => Some(("social-person-activity-title", name.clone())),
        Scope::Team(t) => Some(("social-team-activity-title", t.name.clone())),
        _ => None,
    };
    if let Some((id, name)) = named {
        let title = page.tr.ta(id, &[("name", FluentArg::Str(name))]);
        page = page.titled(title);
    }
    render(ActivityPage {
        page,
        link: q.link(),
        mean: score(totals.sentiment),
        pages: ((totals.posts + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        totals,
        q,
        posts,
        teams,
        accounts,
        platforms: Platform::ALL,
        base,
        page_no,
        org_view: matches!(scope, Scope::Org),
        own: matches!(scope, Scope::Mine),
        team: match scope {
            Scope::Team(t) => Some(t),
            _ => None,
        },
    })
}

/// GET /o/{org}/social: the organisation's activity (filter by team, person, account, …).
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<ActivityQuery>,
) -> AppResult<Html<String>> {
    activity_page(&state, &ctx, &csrf.0, q, Scope::Org).await
}

/// GET /o/{org}/me/activity: my own posts.
pub async fn mine(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<ActivityQuery>,
) -> AppResult<Html<String>> {
    activity_page(&state, &ctx, &csrf.0, q, Scope::Mine).await
}

/// GET /o/{org}/people/{id}/activity: one person's posts (themselves, their managers, staff).
pub async fn person(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ActivityQuery>,
) -> AppResult<Html<String>> {
    let scope = Scope::person(&state, &ctx, id).await?;
    activity_page(&state, &ctx, &csrf.0, q, scope).await
}

/// GET /o/{org}/teams/{id}/activity: the posts of a team's people (its manager, staff).
pub async fn team(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ActivityQuery>,
) -> AppResult<Html<String>> {
    let scope = Scope::team(&state, &ctx, id).await?;
    activity_page(&state, &ctx, &csrf.0, q, scope).await
}

#[derive(Template)]
#[template(path = "social/post.html")]
struct PostPage {
    page: Page,
    post: PostView,
    replies: Vec<PostView>,
}

/// GET /o/{org}/social/posts/{id}: one post and the replies it received.
pub async fn show(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Html<String>> {
    let post = state.store.social_post(ctx.org(), id).await?;
    let visible = match post.person_id {
        Some(person) => may_see_person(&state, &ctx, person).await?,
        None => sees_all(&ctx),
    };
    if !visible {
        return Err(AppError::NotFound);
    }
    let replies = state.store.social_replies(ctx.org(), id).await?;
    render(PostPage {
        page: Page::org(&ctx, &csrf.0, "social-post-title"),
        post: post.into(),
        replies: replies.into_iter().map(PostView::from).collect(),
    })
}

/// The CSV columns of an activity export.
pub const CSV_HEADER: [&str; 19] = [
    "platform",
    "account",
    "person",
    "brand",
    "post_id",
    "created_at",
    "kind",
    "text",
    "in_reply_to",
    "likes",
    "reposts",
    "replies",
    "quotes",
    "impressions",
    "followers",
    "reach",
    "reach_kind",
    "sentiment",
    "response_sentiment",
];

/// Posts as CSV bytes (header first).
pub fn posts_csv(posts: &[PostRow]) -> AppResult<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::with_capacity(posts.len() * 200));
    let fail = |e: csv::Error| AppError::Internal(e.to_string());
    out.write_record(CSV_HEADER).map_err(fail)?;
    for p in posts {
        let opt = |v: Option<f64>| v.map(|s| format!("{s:.4}")).unwrap_or_default();
        out.write_record([
            p.platform.as_str(),
            &p.handle,
            p.person_name.as_deref().unwrap_or(""),
            if p.brand { "true" } else { "false" },
            &p.post_id,
            &somu_domain::time_util::from_unix(p.created_at)
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            &p.kind,
            &p.text,
            p.in_reply_to.as_deref().unwrap_or(""),
            &p.likes.to_string(),
            &p.reposts.to_string(),
            &p.replies.to_string(),
            &p.quotes.to_string(),
            &p.impressions.map(|i| i.to_string()).unwrap_or_default(),
            &p.followers.to_string(),
            &p.impressions.unwrap_or(p.followers).to_string(),
            if p.impressions.is_some() {
                "impressions"
            } else {
                "potential"
            },
            &opt(p.sentiment),
            &opt(p.response_sentiment),
        ])
        .map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))
}

async fn csv_of(
    state: &AppState,
    ctx: &OrgCtx,
    q: &ActivityQuery,
    scope: Scope,
) -> AppResult<Response> {
    let mut filter = q.filter()?;
    scope.apply(ctx, &mut filter);
    let posts = state
        .store
        .social_posts(ctx.org(), &filter, CSV_LIMIT, 0)
        .await?;
    let body = posts_csv(&posts)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", scope.csv_name()),
            ),
        ],
        body,
    )
        .into_response())
}

/// GET /o/{org}/social.csv: the organisation's filtered posts as CSV.
pub async fn csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Query(q): Query<ActivityQuery>,
) -> AppResult<Response> {
    csv_of(&state, &ctx, &q, Scope::Org).await
}

/// GET /o/{org}/me/activity.csv: my posts as CSV.
pub async fn mine_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Query(q): Query<ActivityQuery>,
) -> AppResult<Response> {
    csv_of(&state, &ctx, &q, Scope::Mine).await
}

/// GET /o/{org}/people/{id}/activity.csv: one person's posts as CSV.
pub async fn person_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ActivityQuery>,
) -> AppResult<Response> {
    let scope = Scope::person(&state, &ctx, id).await?;
    csv_of(&state, &ctx, &q, scope).await
}

/// GET /o/{org}/teams/{id}/activity.csv: a team's posts as CSV.
pub async fn team_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ActivityQuery>,
) -> AppResult<Response> {
    let scope = Scope::team(&state, &ctx, id).await?;
    csv_of(&state, &ctx, &q, scope).await
}
