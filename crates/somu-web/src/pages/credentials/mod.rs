//! Certification pages: programmes and what is left to do, capstone submission and grading,
//! issued credentials (approval, revocation, key rotation), and the public pages anyone can
//! use to verify a credential.

pub mod capstones;
pub mod exam;
pub mod pdf;
pub mod public;
pub mod reminders;
pub mod service;

use super::{audit, render, when, Done};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::routes::{r, RouteDef};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::{Html, Redirect};
use axum::routing::{get, post};
use axum::Extension;
use serde::Deserialize;
use somu_domain::access::Access;
use somu_domain::certification::{self, evaluate, parse_requirements, Condition, Step};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::org::AppRole;
use somu_store::credentials::exam::ExamSettings;
use somu_store::credentials::issued::CredentialRow;
use somu_store::credentials::Programme;

/// Programme owners (and organisation admins).
pub const OWNERS: Access = Access::Org(&[AppRole::OrgAdmin, AppRole::ProgrammeOwner]);
/// People who grade capstones.
pub const GRADERS: Access = Access::Org(&[
    AppRole::OrgAdmin,
    AppRole::ProgrammeOwner,
    AppRole::Instructor,
]);

/// Slug of the "Cleared to post" programme.
pub const CLEARED_TO_POST: &str = "cleared-to-post";

/// This area's routes.
pub fn routes() -> Vec<RouteDef> {
    use Method as M;
    let (public, member) = (Access::Public, Access::MEMBER);
    vec![
        r(M::GET, "/o/{org}/programmes", member, get(list)),
        r(
            M::POST,
            "/o/{org}/programmes/install",
            OWNERS,
            post(install),
        ),
        r(M::GET, "/o/{org}/programmes/{id}", member, get(show)),
        r(
            M::GET,
            "/o/{org}/programmes/{id}/exam",
            member,
            get(exam::home),
        ),
        r(
            M::POST,
            "/o/{org}/programmes/{id}/exam",
            member,
            post(exam::start),
        ),
        r(
            M::GET,
            "/o/{org}/programmes/{id}/exam/{attempt}",
            member,
            get(exam::attempt),
        ),
        r(
            M::POST,
            "/o/{org}/programmes/{id}/exam/{attempt}",
            member,
            post(exam::submit),
        ),
        r(
            M::POST,
            "/o/{org}/programmes/{id}/settings",
            OWNERS,
            post(settings),
        ),
        r(
            M::POST,
            "/o/{org}/programmes/{id}/issue",
            OWNERS,
            post(issue_all),
        ),
        r(
            M::POST,
            "/o/{org}/programmes/{id}/capstones",
            member,
            post(capstones::submit),
        ),
        r(M::GET, "/o/{org}/capstones", GRADERS, get(capstones::queue)),
        r(
            M::GET,
            "/o/{org}/capstones/{id}",
            member,
            get(capstones::show),
        ),
        r(
            M::POST,
            "/o/{org}/capstones/{id}/grade",
            GRADERS,
            post(capstones::grade),
        ),
        r(
            M::GET,
            "/o/{org}/capstones/{id}/files/{file}",
            member,
            get(capstones::file),
        ),
        r(
            M::GET,
            "/o/{org}/credentials",
            member,
            get(public::org_list),
        ),
        r(
            M::POST,
            "/o/{org}/credentials/{id}/revoke",
            OWNERS,
            post(public::revoke),
        ),
        r(
            M::POST,
            "/o/{org}/credentials/{id}/approve",
            OWNERS,
            post(public::approve),
        ),
        r(
            M::POST,
            "/o/{org}/credentials/keys/rotate",
            Access::ADMIN,
            post(public::rotate),
        ),
        r(
            M::POST,
            "/o/{org}/credentials/reminders",
            OWNERS,
            post(public::remind),
        ),
        r(
            M::POST,
            "/o/{org}/credentials/card",
            member,
            post(public::set_card),
        ),
        r(
            M::GET,
            "/o/{org}/people/{id}/credentials",
            Access::STAFF,
            get(public::person),
        ),
        // Public: anyone can verify without Somu's help or an account.
        r(
            M::GET,
            "/credentials/verify",
            public,
            get(public::verify_form),
        ),
        r(
            M::POST,
            "/credentials/verify",
            public,
            post(public::verify_upload),
        ),
        r(M::GET, "/credentials/{token}", public, get(public::page)),
        r(
            M::GET,
            "/credentials/{token}/json",
            public,
            get(public::json),
        ),
        r(M::GET, "/credentials/{token}/pdf", public, get(public::pdf)),
        r(M::GET, "/cards/{token}", public, get(public::card)),
        r(M::GET, "/o/{org}/did.json", public, get(public::did)),
        r(
            M::GET,
            "/o/{org}/credentials/status/{id}",
            public,
            get(public::status),
        ),
    ]
}

/// The shipped programmes: the two certifications of the default curriculum and "Cleared to
/// post" from the learner orientation.
pub fn shipped_programmes(now: i64) -> Vec<Programme> {
    let rubric = serde_json::to_string(&certification::default_rubric()).unwrap_or_default();
    let curriculum = somu_content::default_curriculum();
    let mut out: Vec<Programme> = curriculum
        .certifications
        .iter()
        .map(|c| Programme {
            id: 0,
            slug: c.slug.clone(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            requirements: serde_json::to_string(&certification::standard_steps(
                &c.courses,
                c.exam_pass_mark,
                if c.duration_weeks >= 3 { 3 } else { 1 },
                60,
            ))
            .unwrap_or_default(),
            capstone_brief: c.capstone.clone(),
            rubric: rubric.clone(),
            needs_approval: 0,
            second_grader: 0,
            valid_months: Some(24),
            refresher_course: Some("social-media-foundations".into()),
            created_at: now,
        })
        .collect();
    let steps = vec![Step {
        any_of: vec![Condition::Course {
            slug: "learner-orientation".into(),
        }],
    }];
    out.push(Programme {
        id: 0,
        slug: CLEARED_TO_POST.into(),
        title: "Cleared to post".into(),
        summary: "Has completed the learner orientation: knows what they may say on social media \
                  about the organisation, how to disclose their employment and whom to ask."
            .into(),
        requirements: serde_json::to_string(&steps).unwrap_or_default(),
        capstone_brief: String::new(),
        rubric: "[]".into(),
        needs_approval: 0,
        second_grader: 0,
        valid_months: Some(12),
        refresher_course: Some("learner-orientation".into()),
        created_at: now,
    });
    out
}

/// The exam of a shipped programme: its item-bank questions from the default curriculum, 45
/// minutes, three attempts, a day between a failed attempt and the next.
pub fn shipped_exam(slug: &str) -> Option<ExamSettings> {
    let curriculum = somu_content::default_curriculum();
    let c = curriculum.certifications.iter().find(|c| c.slug == slug)?;
    (!c.exam_items.is_empty()).then(|| ExamSettings {
        items: serde_json::to_string(&c.exam_items).unwrap_or_else(|_| "[]".into()),
        minutes: Some(45),
        max_attempts: Some(3),
        cooldown_hours: Some(24),
    })
}

/// Install (or refresh) the shipped programmes in an organisation.
pub async fn install_programmes(state: &AppState, org: OrgId) -> AppResult<usize> {
    let now = state.clock.now();
    let programmes = shipped_programmes(now);
    for p in &programmes {
        // Keep an owner's settings when re-installing.
        let mut p = p.clone();
        if let Some(old) = state.store.programme_by_slug(org, &p.slug).await? {
            p.needs_approval = old.needs_approval;
            p.second_grader = old.second_grader;
            p.valid_months = old.valid_months;
        }
        let id = state.store.put_programme(org, &p).await?;
        if let Some(mut exam) = shipped_exam(&p.slug) {
            if let Some(old) = state.store.exam_settings(org, id).await? {
                (exam.minutes, exam.max_attempts, exam.cooldown_hours) =
                    (old.minutes, old.max_attempts, old.cooldown_hours);
            }
            state.store.put_exam_settings(org, id, &exam).await?;
        }
    }
    Ok(programmes.len())
}

/// One requirement step as shown.
pub struct StepView {
    /// The alternatives in words.
    pub text: String,
    /// Met.
    pub met: bool,
    /// The next one to do.
    pub next: bool,
}

fn describe(page: &Page, c: &Condition) -> String {
    use crate::i18n::FluentArg;
    match c {
        Condition::Course { slug } => page.tr.ta(
            "credentials-req-course",
            &[("course", FluentArg::Str(slug.clone()))],
        ),
        Condition::Exam { min_percent } => page.tr.ta(
            "credentials-req-exam",
            &[("min", FluentArg::Num(f64::from(*min_percent)))],
        ),
        Condition::Sessions { count } => page.tr.ta(
            "credentials-req-sessions",
            &[("count", FluentArg::Num(f64::from(*count)))],
        ),
        Condition::Capstone { min_percent } => page.tr.ta(
            "credentials-req-capstone",
            &[("min", FluentArg::Num(f64::from(*min_percent)))],
        ),
    }
}

/// A programme's steps, parsed (an unreadable stored document is an internal error).
pub fn steps_of(p: &Programme) -> AppResult<Vec<Step>> {
    parse_requirements(&p.requirements).map_err(|e| AppError::Internal(e.to_string()))
}

/// A person's standing in a programme.
pub struct Standing {
    /// Steps as shown.
    pub steps: Vec<StepView>,
    /// Steps met / total.
    pub done: usize,
    /// Total steps.
    pub total: usize,
    /// Every step met.
    pub complete: bool,
}

async fn standing(
    state: &AppState,
    page: &Page,
    org: OrgId,
    p: &Programme,
    person: PersonId,
) -> AppResult<Standing> {
    let steps = steps_of(p)?;
    let facts = state
        .store
        .certification_facts(org, person, &p.slug)
        .await?;
    let progress = evaluate(&steps, &facts);
    let next = progress.next();
    Ok(Standing {
        done: progress.done(),
        total: steps.len(),
        complete: progress.complete(),
        steps: steps
            .iter()
            .zip(&progress.met)
            .enumerate()
            .map(|(i, (s, met))| StepView {
                text: s
                    .any_of
                    .iter()
                    .map(|c| describe(page, c))
                    .collect::<Vec<_>>()
                    .join(&format!(" {} ", page.t("credentials-or"))),
                met: *met,
                next: next == Some(i),
            })
            .collect(),
    })
}

/// Whether a credential currently counts (issued, not revoked, not expired).
pub fn is_current(c: &CredentialRow, now: i64) -> bool {
    c.state == "issued" && c.revoked_at.is_none() && c.valid_until.is_none_or(|u| u > now)
}

/// Issue `person`'s credential of `p` when every requirement is met and they hold none (or
/// renew one that expires within 60 days once the refresher course is completed after it).
/// Returns the new credential's uuid.
pub async fn check_and_issue(
    state: &AppState,
    org: OrgId,
    p: &Programme,
    person: PersonId,
) -> AppResult<Option<String>> {
    let now = state.clock.now();
    let held = state
        .store
        .credentials(org, Some(person), Some(p.id))
        .await?;
    let live: Vec<&CredentialRow> = held.iter().filter(|c| c.revoked_at.is_none()).collect();
    if live.iter().any(|c| c.state == "pending") {
        return Ok(None);
    }
    let renewing = live
        .iter()
        .filter(|c| c.state == "issued")
        .max_by_key(|c| c.issued_at);
    let replaces = match renewing {
        None => {
            let steps = steps_of(p)?;
            let facts = state
                .store
                .certification_facts(org, person, &p.slug)
                .await?;
            if !evaluate(&steps, &facts).complete() {
                return Ok(None);
            }
            None
        }
        Some(c) => {
            let due = c.valid_until.is_some_and(|u| u - now < 60 * 86_400);
            let renewed = held.iter().any(|o| o.replaces_id == Some(c.id));
            if !due || renewed {
                return Ok(None);
            }
            let Some(course) = &p.refresher_course else {
                return Ok(None);
            };
            let refreshed = state
                .store
                .statements(
                    org,
                    &somu_store::statements::StatementFilter {
                        person: Some(person),
                        verb: Some(somu_domain::xapi::Verb::Completed),
                        kind: Some(somu_domain::xapi::ActivityKind::Course),
                        key: Some(course.clone()),
                        since: Some(c.issued_at + 1),
                        ..Default::default()
                    },
                    1,
                )
                .await?;
            if refreshed.is_empty() {
                return Ok(None);
            }
            Some(c.id)
        }
    };
    let who = state.store.person(org, person).await?;
    let award = service::Award {
        person,
        email: who.email,
        evidence: evidence(state, org, p, person).await?,
        replaces,
    };
    let uuids = service::issue(state, org, p, &[award], p.needs_approval != 0).await?;
    Ok(uuids.into_iter().next())
}

/// Evidence for a credential: the passed capstone (title and score) and the best exam score.
pub async fn evidence(
    state: &AppState,
    org: OrgId,
    p: &Programme,
    person: PersonId,
) -> AppResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    let facts = state
        .store
        .certification_facts(org, person, &p.slug)
        .await?;
    if let Some(e) = facts.best_exam_percent {
        out.push((
            format!("{} written exam", p.title),
            format!("Passed with {e:.0}%."),
        ));
    }
    let capstones = state
        .store
        .capstones(org, Some("passed"), Some(person))
        .await?;
    if let Some(c) = capstones.iter().find(|c| c.programme_id == p.id) {
        out.push((
            format!("Capstone project: {}", c.title),
            format!(
                "Graded {:.0}% against the programme rubric.",
                c.percent.unwrap_or(0.0)
            ),
        ));
    }
    if facts.sessions_attended > 0 {
        out.push((
            "Instructor-led sessions".into(),
            format!("Attended {} sessions.", facts.sessions_attended),
        ));
    }
    if out.is_empty() {
        out.push((
            "Courses completed".into(),
            "Completed every required course.".into(),
        ));
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "credentials/programmes.html")]
struct ListPage {
    page: Page,
    rows: Vec<(Programme, Standing)>,
    is_owner: bool,
}

/// GET /o/{org}/programmes
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let page =
        Page::org(&ctx, &csrf.0, "credentials-programmes-title").with_notice(q.done.as_deref());
    let mut rows = Vec::new();
    for p in state.store.programmes(ctx.org()).await? {
        let s = standing(&state, &page, ctx.org(), &p, ctx.member.person_id).await?;
        rows.push((p, s));
    }
    render(ListPage {
        page,
        rows,
        is_owner: OWNERS.admits(&ctx.member.roles),
    })
}

/// POST /o/{org}/programmes/install
pub async fn install(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<Redirect> {
    let n = install_programmes(&state, ctx.org()).await?;
    audit(
        &state,
        &ctx,
        "programme.install",
        "programme/*",
        &format!("installed {n} shipped programmes"),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/programmes?done=saved",
        ctx.member.org.slug
    )))
}

/// Someone in the owner's table.
pub struct WhoRow {
    /// Person id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Steps met.
    pub done: usize,
    /// The next step, in words.
    pub next: String,
    /// Credential state code (`none`, `pending`, `issued`, `revoked`, `expired`).
    pub credential: String,
}

/// The programme page's exam box.
pub struct ExamView {
    /// The rules in words.
    pub rules: String,
    /// The exam page.
    pub url: String,
    /// The learner's latest closed attempt: (status, percent).
    pub last: Option<(String, i64)>,
}

/// What renewing a held credential takes, shown to its holder.
pub struct RenewalView {
    /// Valid until (display).
    pub until: String,
    /// The refresher course to complete again.
    pub course: String,
    /// Completed since the credential was issued.
    pub done: bool,
    /// Renewal is open (within 60 days of expiry).
    pub open: bool,
}

async fn renewal(
    state: &AppState,
    org: OrgId,
    p: &Programme,
    person: PersonId,
    mine: &[CredentialRow],
) -> AppResult<Option<RenewalView>> {
    let now = state.clock.now();
    let Some(c) = mine
        .iter()
        .filter(|c| is_current(c, now))
        .max_by_key(|c| c.issued_at)
    else {
        return Ok(None);
    };
    let (Some(until), Some(course)) = (c.valid_until, &p.refresher_course) else {
        return Ok(None);
    };
    let done = !state
        .store
        .statements(
            org,
            &somu_store::statements::StatementFilter {
                person: Some(person),
                verb: Some(somu_domain::xapi::Verb::Completed),
                kind: Some(somu_domain::xapi::ActivityKind::Course),
                key: Some(course.clone()),
                since: Some(c.issued_at + 1),
                ..Default::default()
            },
            1,
        )
        .await?
        .is_empty();
    Ok(Some(RenewalView {
        until: when(&until),
        course: course.clone(),
        done,
        open: until - now < reminders::WINDOW,
    }))
}

#[derive(Template)]
#[template(path = "credentials/programme.html")]
struct ShowPage {
    exam: Option<ExamView>,
    /// The exam's settings, for owners to change.
    exam_settings: Option<ExamSettings>,
    renewal: Option<RenewalView>,
    page: Page,
    p: Programme,
    me: Standing,
    mine: Vec<CredentialRow>,
    capstones: Vec<somu_store::credentials::Capstone>,
    brief: String,
    is_owner: bool,
    who: Vec<WhoRow>,
    now: i64,
}

/// GET /o/{org}/programmes/{id}: requirements and what is left; for owners, who is where.
/// Visiting it issues the learner's credential once every requirement is met.
pub async fn show(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let org = ctx.org();
    let p = state.store.programme(org, id).await?;
    let me = ctx.member.person_id;
    if let Some(uuid) = check_and_issue(&state, org, &p, me).await? {
        record_issue(&state, &ctx, &p, me, &uuid).await?;
    }
    let page = Page::org(&ctx, &csrf.0, "credentials-programme-title")
        .with_notice(q.done.as_deref())
        .titled(p.title.clone());
    let standing_me = standing(&state, &page, org, &p, me).await?;
    let is_owner = OWNERS.admits(&ctx.member.roles);
    let mut who = Vec::new();
    if is_owner {
        let now = state.clock.now();
        let creds = state.store.credentials(org, None, Some(p.id)).await?;
        for person in state.store.people_brief(org).await? {
            let s = standing(&state, &page, org, &p, PersonId(person.0)).await?;
            let next = s
                .steps
                .iter()
                .find(|v| v.next)
                .map(|v| v.text.clone())
                .unwrap_or_default();
            let credential = creds
                .iter()
                .find(|c| c.person_id == person.0)
                .map_or("none", |c| credential_state(c, now))
                .to_string();
            who.push(WhoRow {
                id: person.0,
                name: person.1,
                done: s.done,
                next,
                credential,
            });
        }
    }
    let mut capstones = state.store.capstones(org, None, Some(me)).await?;
    capstones.retain(|c| c.programme_id == p.id);
    let exam = match exam::load(&state, org, &ctx.member.org.slug, p.id).await {
        Ok(e) => {
            let attempts = exam::close_overdue(&state, org, &e, me).await?;
            Some(ExamView {
                last: attempts.iter().find(|t| t.status != "open").map(|t| {
                    (
                        t.status.clone(),
                        (t.scaled.unwrap_or(0.0) * 100.0).round() as i64,
                    )
                }),
                rules: e.assessment.about.clone().unwrap_or_default(),
                url: e.assessment.url.clone(),
            })
        }
        Err(AppError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let mine = state.store.credentials(org, Some(me), Some(p.id)).await?;
    let exam_settings = if is_owner {
        state.store.exam_settings(org, p.id).await?
    } else {
        None
    };
    render(ShowPage {
        exam,
        exam_settings,
        renewal: renewal(&state, org, &p, me, &mine).await?,
        brief: p.capstone_brief.clone(),
        mine,
        page,
        p,
        me: standing_me,
        capstones,
        is_owner,
        who,
        now: state.clock.now(),
    })
}

/// State code of a credential at `now`.
pub fn credential_state(c: &CredentialRow, now: i64) -> &'static str {
    if c.revoked_at.is_some() {
        "revoked"
    } else if c.state == "pending" {
        "pending"
    } else if c.valid_until.is_some_and(|u| u <= now) {
        "expired"
    } else {
        "issued"
    }
}

async fn record_issue(
    state: &AppState,
    ctx: &OrgCtx,
    p: &Programme,
    person: PersonId,
    uuid: &str,
) -> AppResult<()> {
    audit(
        state,
        ctx,
        if p.needs_approval != 0 {
            "credential.request"
        } else {
            "credential.issue"
        },
        &format!("person/{}", person.0),
        &format!("{} ({uuid})", p.slug),
    )
    .await
}

/// Programme settings an owner changes.
#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    needs_approval: Option<String>,
    #[serde(default)]
    second_grader: Option<String>,
    valid_months: String,
    /// The exam's time limit in minutes (empty: untimed); only for programmes with an exam.
    #[serde(default)]
    exam_minutes: Option<String>,
    /// Attempts allowed (empty: unlimited).
    #[serde(default)]
    exam_attempts: Option<String>,
    /// Hours to wait after a failed attempt (empty: no wait).
    #[serde(default)]
    exam_cooldown_hours: Option<String>,
}

/// An optional whole number in a range: empty (or absent) is none; anything else out of range
/// or not a number is refused with the field named.
fn optional_whole(
    value: Option<&str>,
    field: &'static str,
    range: std::ops::RangeInclusive<i64>,
    message: &'static str,
) -> AppResult<Option<i64>> {
    match value.map(str::trim).unwrap_or("") {
        "" => Ok(None),
        v => match v.parse::<i64>() {
            Ok(n) if range.contains(&n) => Ok(Some(n)),
            _ => Err(AppError::field(field, "range", message)),
        },
    }
}

/// POST /o/{org}/programmes/{id}/settings
pub async fn settings(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<SettingsForm>,
) -> AppResult<Redirect> {
    let mut p = state.store.programme(ctx.org(), id).await?;
    p.valid_months = match f.valid_months.trim() {
        "0" => None,
        v => optional_whole(
            Some(v),
            "valid_months",
            1..=120,
            "give the months of validity as a whole number from 1 to 120, or leave it empty for no expiry",
        )?,
    };
    // Everything is checked before anything is written.
    let exam = match state.store.exam_settings(ctx.org(), id).await? {
        Some(mut e) => {
            e.minutes = optional_whole(
                f.exam_minutes.as_deref(),
                "exam_minutes",
                1..=600,
                "give the exam's time limit as a whole number of minutes from 1 to 600, or leave it empty for no limit",
            )?;
            e.max_attempts = optional_whole(
                f.exam_attempts.as_deref(),
                "exam_attempts",
                1..=20,
                "give the attempts allowed as a whole number from 1 to 20, or leave it empty for no limit",
            )?;
            e.cooldown_hours = optional_whole(
                f.exam_cooldown_hours.as_deref(),
                "exam_cooldown_hours",
                1..=720,
                "give the wait after a failed attempt as a whole number of hours from 1 to 720, or leave it empty for no wait",
            )?;
            Some(e)
        }
        None => None,
    };
    p.needs_approval = i64::from(f.needs_approval.is_some());
    p.second_grader = i64::from(f.second_grader.is_some());
    state.store.put_programme(ctx.org(), &p).await?;
    let mut detail = format!(
        "approval={} second_grader={} valid_months={:?}",
        p.needs_approval, p.second_grader, p.valid_months
    );
    if let Some(e) = &exam {
        state.store.put_exam_settings(ctx.org(), id, e).await?;
        detail.push_str(&format!(
            " exam_minutes={:?} exam_attempts={:?} exam_cooldown_hours={:?}",
            e.minutes, e.max_attempts, e.cooldown_hours
        ));
    }
    audit(
        &state,
        &ctx,
        "programme.settings",
        &format!("programme/{id}"),
        &detail,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/programmes/{id}?done=saved",
        ctx.member.org.slug
    )))
}

/// POST /o/{org}/programmes/{id}/issue: issue to everyone who qualifies, in one batch.
pub async fn issue_all(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    let org = ctx.org();
    let p = state.store.programme(org, id).await?;
    let mut issued = 0;
    for (person, _) in state.store.people_brief(org).await? {
        if let Some(uuid) = check_and_issue(&state, org, &p, PersonId(person)).await? {
            record_issue(&state, &ctx, &p, PersonId(person), &uuid).await?;
            issued += 1;
        }
    }
    audit(
        &state,
        &ctx,
        "programme.issue",
        &format!("programme/{id}"),
        &format!("{issued} credentials"),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/programmes/{id}?done=saved",
        ctx.member.org.slug
    )))
}
