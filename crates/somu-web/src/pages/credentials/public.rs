//! Issued credentials: the organisation's list (approve, revoke with a reason, rotate the key,
//! send expiry reminders), and the public pages: verification, JSON, PDF, profile card, DID
//! document, status list, and checking a pasted or uploaded credential.

use super::service::{self, Issuer, Verdict};
use super::{audit, credential_state, render, Done, OWNERS};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::i18n::Tr;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use rand::Rng;
use serde::Deserialize;
use serde_json::Value;
use somu_domain::ids::{OrgId, PersonId};
use somu_store::credentials::issued::{document_hash, CredentialRow, PublicCredential};
use somu_store::StoreError;

/// A credential as listed.
pub struct Listed {
    /// The row.
    pub c: CredentialRow,
    /// Holder's name.
    pub holder: String,
    /// Programme title.
    pub programme: String,
    /// State code at now.
    pub state: &'static str,
}

async fn listed(state: &AppState, org: OrgId, rows: Vec<CredentialRow>) -> AppResult<Vec<Listed>> {
    let programmes = state.store.programmes(org).await?;
    let people = state.store.people_brief(org).await?;
    let now = state.clock.now();
    Ok(rows
        .into_iter()
        .map(|c| Listed {
            holder: people
                .iter()
                .find(|(id, _)| *id == c.person_id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            programme: programmes
                .iter()
                .find(|p| p.id == c.programme_id)
                .map(|p| p.title.clone())
                .unwrap_or_default(),
            state: credential_state(&c, now),
            c,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "credentials/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<Listed>,
    is_owner: bool,
    card: Option<String>,
    base: String,
    keys: usize,
}

/// GET /o/{org}/credentials: owners see every credential; everyone sees their own.
pub async fn org_list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let org = ctx.org();
    let is_owner = OWNERS.admits(&ctx.member.roles);
    let person = (!is_owner).then_some(ctx.member.person_id);
    let rows = state.store.credentials(org, person, None).await?;
    render(ListPage {
        page: Page::org(&ctx, &csrf.0, "credentials-list-title").with_notice(q.done.as_deref()),
        rows: listed(&state, org, rows).await?,
        is_owner,
        card: state.store.profile_card(org, ctx.member.person_id).await?,
        base: state.config.base_url.trim_end_matches('/').to_string(),
        keys: state.store.issuer_keys(org).await?.len(),
    })
}

/// The reason for a revocation.
#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    reason: String,
}

fn back(ctx: &OrgCtx) -> Redirect {
    Redirect::to(&format!(
        "/o/{}/credentials?done=saved",
        ctx.member.org.slug
    ))
}

/// POST /o/{org}/credentials/{id}/revoke
pub async fn revoke(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<RevokeForm>,
) -> AppResult<Redirect> {
    let reason = f.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::field(
            "reason",
            "required",
            "give the reason for revoking (1 to 500 characters); it is shown on the verification page",
        ));
    }
    let org = ctx.org();
    state.store.credential(org, id).await?;
    if !state
        .store
        .revoke_credential(org, id, reason, state.clock.now())
        .await?
    {
        return Err(AppError::Conflict(
            "this credential is already revoked or not issued".into(),
        ));
    }
    service::publish_status_lists(&state, org).await?;
    audit(
        &state,
        &ctx,
        "credential.revoke",
        &format!("credential/{id}"),
        reason,
    )
    .await?;
    Ok(back(&ctx))
}

/// POST /o/{org}/credentials/{id}/approve
pub async fn approve(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    let org = ctx.org();
    let c = state.store.credential(org, id).await?;
    if c.state != "pending" {
        return Err(AppError::Conflict(
            "this credential is not waiting for approval".into(),
        ));
    }
    let holder = state.store.person(org, PersonId(c.person_id)).await?;
    service::approve(&state, org, &c, &holder.email).await?;
    audit(
        &state,
        &ctx,
        "credential.approve",
        &format!("credential/{id}"),
        &c.uuid,
    )
    .await?;
    Ok(back(&ctx))
}

/// POST /o/{org}/credentials/keys/rotate
pub async fn rotate(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<Redirect> {
    let org = ctx.org();
    service::issuer(&state, org).await?;
    let id = service::rotate_key(&state, org).await?;
    service::publish_status_lists(&state, org).await?;
    audit(
        &state,
        &ctx,
        "credential.key-rotate",
        &format!("issuer-key/{id}"),
        "",
    )
    .await?;
    Ok(back(&ctx))
}

/// POST /o/{org}/credentials/reminders: mail holders whose credential expires soon now
/// rather than at the next tick.
pub async fn remind(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<Redirect> {
    let n = super::reminders::remind_org(
        &state.store,
        &state.config.base_url,
        ctx.org(),
        state.clock.now(),
    )
    .await?;
    audit(
        &state,
        &ctx,
        "credential.remind",
        "credential/*",
        &format!("{n} reminders"),
    )
    .await?;
    Ok(back(&ctx))
}

/// Opt in or out of the public profile card.
#[derive(Deserialize)]
pub struct CardForm {
    public: String,
}

/// POST /o/{org}/credentials/card
pub async fn set_card(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Form(f): Form<CardForm>,
) -> AppResult<Redirect> {
    let on = match f.public.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::field("public", "choice", "choose yes or no")),
    };
    let token = on.then(|| hex::encode(rand::thread_rng().gen::<[u8; 12]>()));
    state
        .store
        .set_profile_card(ctx.org(), ctx.member.person_id, token.as_deref())
        .await?;
    audit(
        &state,
        &ctx,
        if on {
            "profile-card.publish"
        } else {
            "profile-card.withdraw"
        },
        &format!("person/{}", ctx.member.person_id.0),
        "",
    )
    .await?;
    Ok(back(&ctx))
}

#[derive(Template)]
#[template(path = "credentials/person.html")]
struct PersonPage {
    page: Page,
    name: String,
    cleared: bool,
    rows: Vec<Listed>,
}

/// GET /o/{org}/people/{id}/credentials: a person's credentials and "cleared to post".
pub async fn person(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Html<String>> {
    let org = ctx.org();
    let who = state.store.person(org, PersonId(id)).await?;
    let cleared = state
        .store
        .holds_credential(org, PersonId(id), super::CLEARED_TO_POST, state.clock.now())
        .await?;
    let rows = state
        .store
        .credentials(org, Some(PersonId(id)), None)
        .await?;
    render(PersonPage {
        page: Page::org(&ctx, &csrf.0, "credentials-person-title").titled(who.name.clone()),
        name: who.name,
        cleared,
        rows: listed(&state, org, rows).await?,
    })
}

/// Everything the public verification page shows.
pub struct Shown {
    /// Holder.
    pub holder: String,
    /// Achievement.
    pub achievement: String,
    /// What it certifies.
    pub description: String,
    /// Issuer name.
    pub issuer: String,
    /// Issuer id (DID).
    pub issuer_id: String,
    /// Issued (display).
    pub issued: String,
    /// Valid until (display).
    pub until: Option<String>,
    /// Verdict.
    pub verdict: Verdict,
    /// Revocation reason.
    pub reason: String,
    /// Evidence (name, narrative).
    pub evidence: Vec<(String, String)>,
    /// Criteria (lines).
    pub criteria: Vec<String>,
    /// The page's address.
    pub url: String,
    /// QR code (SVG markup).
    pub qr: String,
    /// Add-to-LinkedIn link.
    pub linkedin: String,
    /// The credential it renews (uuid).
    pub replaces: Option<String>,
    /// Uuid.
    pub uuid: String,
}

/// QR code of `text` as inline SVG markup.
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(180, 180)
                .quiet_zone(true)
                .build();
            match svg.find("<svg") {
                Some(i) => svg[i..].replacen("<svg", "<svg role=\"img\" aria-label=\"QR code\"", 1),
                None => svg,
            }
        }
        Err(_) => String::new(),
    }
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn load(state: &AppState, token: &str) -> AppResult<(OrgId, PublicCredential, Issuer)> {
    let c = match state.store.public_credential(token).await {
        Ok(x) => x,
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let org = OrgId(c.org_id);
    let issuer = service::issuer(state, org).await?;
    Ok((org, c, issuer))
}

/// The verdict on a credential Somu stores. When the stored document still has the hash of
/// the document whose proof verified, the signature verdict is taken from that cache and only
/// revocation and the validity period are judged, live, from the row; otherwise the document is
/// verified in full (proof and status list), and the hash cached when the proof holds.
async fn stored_verdict(
    state: &AppState,
    org: OrgId,
    pc: &PublicCredential,
    issuer: &Issuer,
    doc: &Value,
) -> AppResult<Verdict> {
    let c = &pc.row;
    let now = state.clock.now();
    let hash = document_hash(&c.document);
    if pc.verified_hash.as_deref() == Some(hash.as_str()) {
        return Ok(if c.revoked_at.is_some() {
            Verdict::Revoked
        } else if c.valid_until.is_some_and(|u| u <= now) {
            Verdict::Expired
        } else if c.issued_at > now {
            Verdict::NotYetValid
        } else {
            Verdict::Valid
        });
    }
    let list = status_of(state, org, issuer, doc).await?;
    let mut verdict = service::judge(doc, Some(issuer), list.as_ref(), now);
    if matches!(verdict, Verdict::Forged(_) | Verdict::Malformed(_)) {
        return Ok(verdict);
    }
    state
        .store
        .cache_credential_page(org, c.id, Some(&hash), None)
        .await?;
    // Somu's own record wins over a status list that has not caught up.
    if c.revoked_at.is_some() {
        verdict = Verdict::Revoked;
    }
    Ok(verdict)
}

/// The status list a credential points at, when it is this issuer's.
async fn status_of(
    state: &AppState,
    org: OrgId,
    issuer: &Issuer,
    doc: &Value,
) -> AppResult<Option<Value>> {
    let Some(url) = doc["credentialStatus"]["statusListCredential"].as_str() else {
        return Ok(None);
    };
    let prefix = format!("{}/o/{}/credentials/status/", issuer.base, issuer.org.slug);
    let Some(key) = url
        .strip_prefix(&prefix)
        .and_then(|k| k.parse::<i64>().ok())
    else {
        return Ok(None);
    };
    let list = service::status_list(state, org, key).await?;
    Ok(serde_json::from_str(&list).ok())
}

async fn shown(
    state: &AppState,
    org: OrgId,
    pc: &PublicCredential,
    issuer: &Issuer,
) -> AppResult<Shown> {
    let c = &pc.row;
    let doc: Value = serde_json::from_str(&c.document)
        .map_err(|e| AppError::Internal(format!("stored credential: {e}")))?;
    let verdict = stored_verdict(state, org, pc, issuer, &doc).await?;
    let p = state.store.programme(org, c.programme_id).await?;
    let holder = state.store.person(org, PersonId(c.person_id)).await?.name;
    let url = format!("{}/credentials/{}", issuer.base, c.uuid);
    let t = somu_domain::time_util::from_unix(c.issued_at);
    let mut linkedin = format!(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}&organizationName={}&issueYear={}&issueMonth={}&certUrl={}&certId={}",
        enc(&p.title),
        enc(&issuer.org.name),
        t.year(),
        u8::from(t.month()),
        enc(&url),
        enc(&c.uuid)
    );
    if let Some(u) = c.valid_until {
        let e = somu_domain::time_util::from_unix(u);
        linkedin.push_str(&format!(
            "&expirationYear={}&expirationMonth={}",
            e.year(),
            u8::from(e.month())
        ));
    }
    let replaces = match c.replaces_id {
        Some(id) => state.store.credential(org, id).await.ok().map(|o| o.uuid),
        None => None,
    };
    Ok(Shown {
        holder,
        achievement: p.title.clone(),
        description: p.summary.clone(),
        issuer: issuer.org.name.clone(),
        issuer_id: doc["issuer"]["id"].as_str().unwrap_or_default().to_string(),
        issued: super::super::when(&c.issued_at),
        until: c.valid_until.as_ref().map(super::super::when),
        verdict,
        reason: c.revoke_reason.clone(),
        evidence: serde_json::from_str(&c.evidence).unwrap_or_default(),
        criteria: service::criteria_narrative(&p)
            .lines()
            .map(|l| l.split_once(". ").map_or(l, |(_, t)| t).to_string())
            .collect(),
        qr: match &pc.qr_svg {
            Some(svg) => svg.clone(),
            None => {
                let svg = qr_svg(&url);
                state
                    .store
                    .cache_credential_page(org, c.id, None, Some(&svg))
                    .await?;
                svg
            }
        },
        url,
        linkedin,
        replaces,
        uuid: c.uuid.clone(),
    })
}

fn public_page(headers: &HeaderMap, csrf: &str, title: &str) -> Page {
    Page::public(
        Tr::from_accept_language(
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        ),
        csrf,
        title,
    )
}

#[derive(Template)]
#[template(path = "credentials/verify.html")]
struct VerifyPage {
    page: Page,
    s: Shown,
}

/// GET /credentials/{token}: the public verification page.
pub async fn page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> AppResult<Html<String>> {
    let (org, c, issuer) = load(&state, &token).await?;
    let s = shown(&state, org, &c, &issuer).await?;
    let page = public_page(&headers, &csrf.0, "credentials-verify-title")
        .titled(format!("{} · {}", s.achievement, s.holder));
    render(VerifyPage { page, s })
}

/// GET /credentials/{token}/json: the signed credential.
pub async fn json(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Response> {
    let (_, PublicCredential { row: c, .. }, _) = load(&state, &token).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vc+ld+json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"credential-{}.json\"", c.uuid),
            ),
        ],
        c.document,
    )
        .into_response())
}

/// GET /credentials/{token}/pdf: the printable certificate.
pub async fn pdf(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Response> {
    let (org, c, issuer) = load(&state, &token).await?;
    let s = shown(&state, org, &c, &issuer).await?;
    let bytes = super::pdf::certificate(&s);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"certificate-{}.pdf\"", s.uuid),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "credentials/card.html")]
struct CardPage {
    page: Page,
    name: String,
    org: String,
    rows: Vec<Listed>,
    base: String,
}

/// GET /cards/{token}: a person's opt-in public profile card.
pub async fn card(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> AppResult<Html<String>> {
    let (org, person) = match state.store.profile_card_owner(&token).await {
        Ok(x) => x,
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let who = state.store.person(org, person).await?;
    let now = state.clock.now();
    let rows: Vec<CredentialRow> = state
        .store
        .credentials(org, Some(person), None)
        .await?
        .into_iter()
        .filter(|c| super::is_current(c, now))
        .collect();
    render(CardPage {
        page: public_page(&headers, &csrf.0, "credentials-card-title").titled(who.name.clone()),
        name: who.name,
        org: state.store.org_by_id(org).await?.name,
        rows: listed(&state, org, rows).await?,
        base: state.config.base_url.trim_end_matches('/').to_string(),
    })
}

async fn org_of(state: &AppState, slug: &str) -> AppResult<OrgId> {
    state
        .store
        .org_by_slug(slug)
        .await?
        .map(|o| o.org_id())
        .ok_or(AppError::NotFound)
}

fn json_response(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=60"),
        ],
        body,
    )
        .into_response()
}

/// GET /o/{org}/did.json: the `did:web` DID document of the organisation's issuer.
pub async fn did(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let org = org_of(&state, &slug).await?;
    let issuer = service::issuer(&state, org).await?;
    Ok(json_response(issuer.did_document().to_string()))
}

/// GET /o/{org}/credentials/status/{id}: a signed Bitstring Status List.
pub async fn status(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let org = org_of(&state, &slug).await?;
    Ok(json_response(service::status_list(&state, org, id).await?))
}

#[derive(Template)]
#[template(path = "credentials/check.html")]
struct CheckPage {
    page: Page,
    verdict: Option<Verdict>,
    holder: String,
    achievement: String,
    issuer: String,
    status_checked: bool,
}

/// GET /credentials/verify: paste or upload a credential to check it.
pub async fn verify_form(
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
) -> AppResult<Html<String>> {
    render(CheckPage {
        page: public_page(&headers, &csrf.0, "credentials-check-title"),
        verdict: None,
        holder: String::new(),
        achievement: String::new(),
        issuer: String::new(),
        status_checked: false,
    })
}

/// Parse a pasted or uploaded credential, naming the line and column of a JSON error.
pub fn parse_credential(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Err("paste a credential or choose a .json file".into());
    }
    let v: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "not valid JSON: line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })?;
    if !v.is_object() {
        return Err("a credential is a JSON object ({ … })".into());
    }
    Ok(v)
}

/// POST /credentials/verify (multipart: `credential` text or `file`).
pub async fn verify_upload(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut text = String::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(f)) => {
                let name = f.name().unwrap_or_default().to_string();
                let bytes = f.bytes().await.map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        AppError::TooLarge
                    } else {
                        AppError::BadRequest(e.body_text())
                    }
                })?;
                if (name == "credential" || name == "file") && !bytes.is_empty() {
                    text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                        AppError::field("file", "not-text", "the file is not UTF-8 text (JSON)")
                    })?;
                }
            }
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::TooLarge)
            }
            Err(e) => return Err(AppError::BadRequest(e.body_text())),
        }
    }
    let mut page = CheckPage {
        page: public_page(&headers, &csrf.0, "credentials-check-title"),
        verdict: None,
        holder: String::new(),
        achievement: String::new(),
        issuer: String::new(),
        status_checked: false,
    };
    let doc = match parse_credential(&text) {
        Ok(d) => d,
        Err(m) => {
            page.verdict = Some(Verdict::Malformed(m));
            let html = page.render()?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
        }
    };
    // An issuer of this Somu: check against its keys and its status list.
    let mut issuer = None;
    let mut list = None;
    if let Some(url) = doc["credentialStatus"]["statusListCredential"].as_str() {
        let base = format!("{}/o/", state.config.base_url.trim_end_matches('/'));
        if let Some(slug) = url.strip_prefix(&base).and_then(|r| r.split('/').next()) {
            if let Ok(org) = org_of(&state, slug).await {
                let i = service::issuer(&state, org).await?;
                list = status_of(&state, org, &i, &doc).await?;
                issuer = Some(i);
            }
        }
    }
    let verdict = service::judge(&doc, issuer.as_ref(), list.as_ref(), state.clock.now());
    page.status_checked = list.is_some();
    if !matches!(verdict, Verdict::Forged(_) | Verdict::Malformed(_)) {
        page.achievement = doc["credentialSubject"]["achievement"]["name"]
            .as_str()
            .unwrap_or_default()
            .into();
        page.issuer = doc["issuer"]["name"].as_str().unwrap_or_default().into();
        page.holder = doc["name"].as_str().unwrap_or_default().into();
    }
    let status = match verdict {
        Verdict::Malformed(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    page.verdict = Some(verdict);
    let html = page.render()?;
    Ok((status, Html(html)).into_response())
}
