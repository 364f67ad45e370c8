//! Social API: linked accounts, posts (with the activity pages' filters), one post's replies.

use super::Problem;
use crate::access::OrgCtx;
use crate::error::AppResult;
use crate::extract::Query;
use crate::pages::social::ActivityQuery;
use crate::routes::{r, RouteDef};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::routing::get;
use axum::Extension;
use serde::Serialize;
use somu_domain::access::Access;
use somu_store::social::{PostRow, SocialAccount};
use utoipa::{OpenApi, ToSchema};

/// A linked personal or brand account.
#[derive(Serialize, ToSchema)]
pub struct AccountOut {
    /// Id within the organisation.
    pub id: i64,
    /// `x`, `linkedin`, `mastodon`, `bluesky` or `other`.
    pub platform: String,
    /// Normalised handle.
    pub handle: String,
    /// The person it belongs to.
    pub person_id: Option<i64>,
    /// An account of the organisation.
    pub brand: bool,
    /// When consent was given (Unix seconds).
    pub consent_at: Option<i64>,
    /// Posts stored.
    pub posts: i64,
    /// Latest follower count known.
    pub followers: Option<i64>,
}

impl From<SocialAccount> for AccountOut {
    fn from(a: SocialAccount) -> Self {
        AccountOut {
            id: a.id,
            platform: a.platform,
            handle: a.handle,
            person_id: a.person_id,
            brand: a.brand,
            consent_at: a.consent_at,
            posts: a.posts,
            followers: a.followers,
        }
    }
}

/// A post, reply, repost or quote.
#[derive(Serialize, ToSchema)]
pub struct PostOut {
    /// Id within the organisation.
    pub id: i64,
    /// Platform code.
    pub platform: String,
    /// Author's handle.
    pub account: String,
    /// Author's account id.
    pub account_id: i64,
    /// The person behind the account.
    pub person_id: Option<i64>,
    /// The platform's id of the post.
    pub post_id: String,
    /// Posted (Unix seconds).
    pub created_at: i64,
    /// `original`, `reply`, `repost` or `quote`.
    pub kind: String,
    /// Text.
    pub text: String,
    /// The post answered.
    pub in_reply_to: Option<String>,
    /// Likes.
    pub likes: i64,
    /// Reposts.
    pub reposts: i64,
    /// Replies.
    pub replies: i64,
    /// Quotes.
    pub quotes: i64,
    /// Impressions, when the platform reports them.
    pub impressions: Option<i64>,
    /// Followers at posting time.
    pub followers: i64,
    /// `impressions` when reach counts impressions, else `potential` (followers at posting).
    pub reach_kind: String,
    /// Compound sentiment in [-1, 1]; null when the text is not English.
    pub sentiment: Option<f64>,
    /// Mean sentiment of the replies received.
    pub response_sentiment: Option<f64>,
    /// Mentions a brand account of the organisation.
    pub mentions_brand: bool,
}

impl From<PostRow> for PostOut {
    fn from(p: PostRow) -> Self {
        PostOut {
            id: p.id,
            reach_kind: if p.impressions.is_some() {
                "impressions"
            } else {
                "potential"
            }
            .into(),
            platform: p.platform,
            account: p.handle,
            account_id: p.account_id,
            person_id: p.person_id,
            post_id: p.post_id,
            created_at: p.created_at,
            kind: p.kind,
            text: p.text,
            in_reply_to: p.in_reply_to,
            likes: p.likes,
            reposts: p.reposts,
            replies: p.replies,
            quotes: p.quotes,
            impressions: p.impressions,
            followers: p.followers,
            sentiment: p.sentiment,
            response_sentiment: p.response_sentiment,
            mentions_brand: p.mentions_brand,
        }
    }
}

/// A page of posts.
#[derive(Serialize, ToSchema)]
pub struct PostsOut {
    /// This page, newest first.
    pub posts: Vec<PostOut>,
    /// Matches in all.
    pub total: i64,
    /// Page number.
    pub page: i64,
    /// Page size.
    pub page_size: i64,
}

const API_PAGE: i64 = 100;

/// GET /api/v1/orgs/{org}/social/accounts
#[utoipa::path(get, path = "/api/v1/orgs/{org}/social/accounts", params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = [AccountOut]), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn accounts(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<axum::Json<Vec<AccountOut>>> {
    let list = state.store.social_accounts(ctx.org(), None).await?;
    Ok(axum::Json(list.into_iter().map(AccountOut::from).collect()))
}

/// GET /api/v1/orgs/{org}/social/posts
#[utoipa::path(get, path = "/api/v1/orgs/{org}/social/posts", params(("org" = String, Path, description = "Organisation slug"), ActivityQuery),
    responses((status = 200, body = PostsOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn posts(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Query(q): Query<ActivityQuery>,
) -> AppResult<axum::Json<PostsOut>> {
    let filter = q.filter()?;
    let page = q.page()?;
    let total = state.store.social_totals(ctx.org(), &filter).await?.posts;
    let posts = state
        .store
        .social_posts(ctx.org(), &filter, API_PAGE, (page - 1) * API_PAGE)
        .await?;
    Ok(axum::Json(PostsOut {
        posts: posts.into_iter().map(PostOut::from).collect(),
        total,
        page,
        page_size: API_PAGE,
    }))
}

/// GET /api/v1/orgs/{org}/social/posts/{id}/replies
#[utoipa::path(get, path = "/api/v1/orgs/{org}/social/posts/{id}/replies", params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Post id")),
    responses((status = 200, body = [PostOut]), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn replies(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64)>,
) -> AppResult<axum::Json<Vec<PostOut>>> {
    let list = state.store.social_replies(ctx.org(), path.1).await?;
    Ok(axum::Json(list.into_iter().map(PostOut::from).collect()))
}

#[derive(OpenApi)]
#[openapi(
    paths(accounts, posts, replies),
    components(schemas(AccountOut, PostOut, PostsOut))
)]
struct Doc;

/// This area's part of the OpenAPI document.
pub fn doc() -> utoipa::openapi::OpenApi {
    Doc::openapi()
}

/// This area's API routes.
pub fn routes() -> Vec<RouteDef> {
    // Everyone's posts: the roles that see all activity on the pages too (not managers, who see
    // their reports on the activity pages).
    let staff = Access::Org(crate::pages::social::activity::SEES_ALL);
    vec![
        r(
            Method::GET,
            "/api/v1/orgs/{org}/social/accounts",
            staff,
            get(accounts),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/social/posts",
            staff,
            get(posts),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/social/posts/{id}/replies",
            staff,
            get(replies),
        ),
    ]
}
