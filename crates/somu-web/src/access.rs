//! Enforcing each route's [`Access`] rule before its handler runs. Handlers never check access
//! themselves: they read the [`Principal`] or [`OrgCtx`] this layer puts in the request.

use crate::auth::SESSION_COOKIE;
use crate::error::AppError;
use crate::middleware::cookie;
use crate::AppState;
use axum::extract::{RawPathParams, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use somu_domain::access::Access;
use somu_domain::ids::{AccountId, OrgId};
use somu_store::org::Member;

/// Who is making the request.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The account.
    pub account_id: AccountId,
    /// Its email.
    pub email: String,
    /// Its name.
    pub name: String,
    /// Platform operator.
    pub is_operator: bool,
    /// Language preference.
    pub locale: String,
    /// Set when the request came with an API token: the token's organisation and scopes.
    pub token: Option<(OrgId, String)>,
    /// The client's address, for the audit log.
    pub ip: String,
}

/// A principal acting inside one organisation they belong to.
#[derive(Clone, Debug)]
pub struct OrgCtx {
    /// Who.
    pub principal: Principal,
    /// Their membership: organisation, person, roles.
    pub member: Member,
}

impl OrgCtx {
    /// The organisation's id.
    pub fn org(&self) -> OrgId {
        self.member.org.org_id()
    }

    /// Whether the member holds a role.
    pub fn has(&self, role: somu_domain::org::AppRole) -> bool {
        self.member.roles.contains(&role)
    }
}

/// Find who is calling: an API bearer token, else the session cookie.
pub async fn principal(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    peer: Option<std::net::SocketAddr>,
) -> Result<Option<Principal>, AppError> {
    let now = state.clock.now();
    let ip = crate::auth::client_ip(state, headers, peer);
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let value = auth.to_str().map_err(|_| AppError::Unauthorized)?;
        let token = value
            .strip_prefix("Bearer ")
            .ok_or(AppError::Unauthorized)?
            .trim();
        let (org, secret) = parse_token(token).ok_or(AppError::Unauthorized)?;
        let owner = state
            .store
            .api_token_owner(org, secret, now)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let account = state.store.account(AccountId(owner.account_id)).await?;
        if account.disabled {
            return Err(AppError::Unauthorized);
        }
        return Ok(Some(Principal {
            account_id: account.account_id(),
            email: account.email,
            name: account.name,
            is_operator: false,
            locale: account.locale,
            token: Some((org, owner.scopes)),
            ip,
        }));
    }
    let Some(secret) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(state.store.session(secret, now).await?.map(|s| Principal {
        account_id: AccountId(s.account_id),
        email: s.email,
        name: s.name,
        is_operator: s.is_operator,
        locale: s.locale,
        token: None,
        ip,
    }))
}

/// Split `somu_<org>_<secret>`.
fn parse_token(token: &str) -> Option<(OrgId, &str)> {
    let rest = token.strip_prefix("somu_")?;
    let (org, secret) = rest.split_once('_')?;
    Some((OrgId(org.parse().ok()?), secret))
}

/// The route layer: decide, then either answer for the handler or pass the context on.
pub async fn enforce(
    State((state, access)): State<(AppState, Access)>,
    params: RawPathParams,
    mut req: Request,
    next: Next,
) -> Response {
    if access == Access::Public {
        return next.run(req).await;
    }
    let api = req.uri().path().starts_with("/api/");
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    let who = match principal(&state, req.headers(), peer).await {
        Ok(Some(p)) => p,
        Ok(None) if api => return AppError::Unauthorized.into_response(),
        Ok(None) => {
            let next_path = req.uri().path_and_query().map_or("/", |p| p.as_str());
            let target = format!(
                "/sign-in?next={}",
                form_urlencoded::byte_serialize(next_path.as_bytes()).collect::<String>()
            );
            return Redirect::to(&target).into_response();
        }
        Err(e) => return e.into_response(),
    };
    // A token only ever acts on the API of its own organisation.
    if who.token.is_some() && !api {
        return AppError::Unauthorized.into_response();
    }
    match access {
        Access::Public => unreachable_public(),
        Access::SignedIn => {
            req.extensions_mut().insert(who);
            next.run(req).await
        }
        Access::Operator => {
            if !who.is_operator {
                return AppError::Forbidden.into_response();
            }
            req.extensions_mut().insert(who);
            next.run(req).await
        }
        Access::Org(_) => {
            let Some(slug) = params
                .iter()
                .find(|(k, _)| *k == "org")
                .map(|(_, v)| v.to_string())
            else {
                return AppError::Internal("organisation route without {org}".into())
                    .into_response();
            };
            let member = match state.store.member(who.account_id, &slug).await {
                Ok(Some(m)) => m,
                Ok(None) => return AppError::NotFound.into_response(),
                Err(e) => return AppError::from(e).into_response(),
            };
            if let Some((token_org, scopes)) = &who.token {
                if *token_org != member.org.org_id() {
                    return AppError::NotFound.into_response();
                }
                let writing = !matches!(*req.method(), Method::GET | Method::HEAD);
                if writing && !scopes.split_whitespace().any(|s| s == "write") {
                    return AppError::Forbidden.into_response();
                }
            }
            if !access.admits(&member.roles) {
                return AppError::Forbidden.into_response();
            }
            req.extensions_mut().insert(OrgCtx {
                principal: who,
                member,
            });
            next.run(req).await
        }
    }
}

fn unreachable_public() -> Response {
    // Public routes returned before authentication; reaching here would be a logic slip.
    AppError::Internal("public route reached the guard".into()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_name_their_organisation() {
        assert_eq!(parse_token("somu_12_abc"), Some((OrgId(12), "abc")));
        assert_eq!(parse_token("somu_x_abc"), None);
        assert_eq!(parse_token("other"), None);
    }
}
