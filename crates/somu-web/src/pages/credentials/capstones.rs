//! Capstone projects: submission (alone or as a team; text, files, links), the grading queue,
//! grading against the rubric (blind to the other grader until both are in), pass or return.

use super::{audit, check_and_issue, record_issue, render, GRADERS};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::parse_form;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use somu_domain::certification::{rubric_percent, Criterion};
use somu_domain::ids::PersonId;
use somu_store::credentials::{Capstone, CapstoneFile, Grade, NewCapstone, Programme};

/// Largest capstone file.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Most files per submission.
pub const MAX_FILES: usize = 5;

/// File types a capstone may carry, by extension, with the MIME type served back.
const ALLOWED: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("txt", "text/plain"),
    ("md", "text/markdown"),
    ("csv", "text/csv"),
];

/// Whether the bytes look like the type the extension claims.
fn content_matches(ext: &str, bytes: &[u8]) -> bool {
    match ext {
        "pdf" => bytes.starts_with(b"%PDF-"),
        "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "jpg" | "jpeg" => bytes.starts_with(&[0xff, 0xd8, 0xff]),
        _ => std::str::from_utf8(bytes).is_ok(),
    }
}

/// Check one uploaded file: allowed type, content of that type, size. Returns its MIME type.
pub fn check_file(name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, mime)) = ALLOWED.iter().find(|(e, _)| *e == ext) else {
        return Err(format!(
            "{name}: this type of file is not accepted (use PDF, PNG, JPEG, text, Markdown or CSV)"
        ));
    };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{name}: the file is {} KiB; the limit is {} KiB",
            bytes.len() / 1024,
            MAX_FILE_BYTES / 1024
        ));
    }
    if !content_matches(&ext, bytes) {
        return Err(format!("{name}: the content is not a .{ext} file"));
    }
    Ok(mime)
}

#[derive(Deserialize, Default)]
struct SubmitFields {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    links: String,
    #[serde(default)]
    team: String,
}

/// POST /o/{org}/programmes/{id}/capstones (multipart: title, body, links, team, file…)
pub async fn submit(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    mut multipart: Multipart,
) -> AppResult<Redirect> {
    let org = ctx.org();
    let p = state.store.programme(org, id).await?;
    if p.capstone_brief.is_empty() {
        return Err(AppError::NotFound);
    }
    let mut text: Vec<(String, String)> = Vec::new();
    let mut files = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::TooLarge)
            }
            Err(e) => return Err(AppError::BadRequest(e.body_text())),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::TooLarge)
            }
            Err(e) => return Err(AppError::BadRequest(e.body_text())),
        };
        match (name.as_str(), file_name) {
            ("file", Some(f)) if !f.is_empty() || !bytes.is_empty() => {
                if bytes.is_empty() && f.is_empty() {
                    continue;
                }
                let mime =
                    check_file(&f, &bytes).map_err(|m| AppError::field("file", "file", m))?;
                files.push((f, mime.to_string(), bytes.to_vec()));
            }
            ("file", _) => {}
            (n, _) => text.push((n.to_string(), String::from_utf8_lossy(&bytes).into_owned())),
        }
    }
    if files.len() > MAX_FILES {
        return Err(AppError::field(
            "file",
            "count",
            format!("attach at most {MAX_FILES} files"),
        ));
    }
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(text.iter())
        .finish();
    let f: SubmitFields = parse_form(encoded.as_bytes())?;
    let title = f.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::field(
            "title",
            "length",
            "give the project a title of 1 to 200 characters",
        ));
    }
    if f.body.trim().is_empty() && files.is_empty() {
        return Err(AppError::field(
            "body",
            "required",
            "write the project text or attach at least one file",
        ));
    }
    for (i, link) in f
        .links
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        if !(link.starts_with("https://") || link.starts_with("http://")) || link.contains(' ') {
            return Err(AppError::field(
                "links",
                "url",
                format!(
                    "line {}: {link:?} is not a web address (http:// or https://)",
                    i + 1
                ),
            ));
        }
    }
    let mut team = vec![ctx.member.person_id.0];
    for email in f
        .team
        .split([',', '\n', ' '])
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        let who = state
            .store
            .person_by_email(org, email)
            .await?
            .ok_or_else(|| {
                AppError::field(
                    "team",
                    "unknown",
                    format!("no one in this organisation has the email {email}"),
                )
            })?;
        if !team.contains(&who.id) {
            team.push(who.id);
        }
    }
    let id = state
        .store
        .submit_capstone(
            org,
            &NewCapstone {
                programme_id: p.id,
                person: ctx.member.person_id,
                team,
                title: title.to_string(),
                body: f.body.trim().to_string(),
                links: f.links.trim().to_string(),
                files,
            },
            state.clock.now(),
        )
        .await?;
    audit(
        &state,
        &ctx,
        "capstone.submit",
        &format!("capstone/{id}"),
        title,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/capstones/{id}?done=saved",
        ctx.member.org.slug
    )))
}

#[derive(Template)]
#[template(path = "credentials/queue.html")]
struct QueuePage {
    page: Page,
    rows: Vec<(Capstone, String, usize)>,
}

/// GET /o/{org}/capstones: submissions waiting for a grade, oldest first.
pub async fn queue(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Html<String>> {
    let org = ctx.org();
    let mut waiting = state.store.capstones(org, Some("submitted"), None).await?;
    waiting.reverse();
    let programmes = state.store.programmes(org).await?;
    let mut rows = Vec::new();
    for c in waiting {
        let title = programmes
            .iter()
            .find(|p| p.id == c.programme_id)
            .map(|p| p.title.clone())
            .unwrap_or_default();
        let grades = state.store.capstone_grades(org, c.id).await?.len();
        rows.push((c, title, grades));
    }
    render(QueuePage {
        page: Page::org(&ctx, &csrf.0, "credentials-queue-title"),
        rows,
    })
}

/// One criterion as the grading form shows it.
pub struct CriterionView {
    /// Index.
    pub index: usize,
    /// Name.
    pub name: String,
    /// Levels 0..n.
    pub levels: Vec<i64>,
    /// This grader's level, if graded.
    pub mine: Option<i64>,
    /// This grader's comment.
    pub comment: String,
}

/// Another grader's grade as shown: their name, the grade, and per criterion (name, level,
/// comment).
type OtherGrade = (String, Grade, Vec<(String, i64, String)>);

#[derive(Template)]
#[template(path = "credentials/capstone.html")]
struct CapstonePage {
    page: Page,
    c: Capstone,
    p: Programme,
    files: Vec<CapstoneFile>,
    team: Vec<String>,
    criteria: Vec<CriterionView>,
    is_grader: bool,
    mine: Option<Grade>,
    /// Other graders' grades, shown only once this grader's is in (blind grading).
    others: Vec<OtherGrade>,
    others_hidden: usize,
    needed: usize,
}

fn rubric_of(p: &Programme) -> Vec<Criterion> {
    serde_json::from_str(&p.rubric).unwrap_or_default()
}

async fn visible(state: &AppState, ctx: &OrgCtx, id: i64) -> AppResult<(Capstone, bool)> {
    let c = state.store.capstone(ctx.org(), id).await?;
    let is_grader = GRADERS.admits(&ctx.member.roles);
    if !is_grader && !c.members().contains(&ctx.member.person_id.0) {
        return Err(AppError::NotFound);
    }
    Ok((c, is_grader))
}

impl CriterionView {
    /// Whether this grader chose `level`.
    pub fn chosen(&self, level: &i64) -> bool {
        self.mine == Some(*level)
    }
}

/// GET /o/{org}/capstones/{id}
pub async fn show(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    crate::extract::Query(q): crate::extract::Query<super::Done>,
) -> AppResult<Html<String>> {
    let org = ctx.org();
    let (c, is_grader) = visible(&state, &ctx, id).await?;
    let p = state.store.programme(org, c.programme_id).await?;
    let grades = state.store.capstone_grades(org, id).await?;
    let me = ctx.member.person_id.0;
    let mine = grades.iter().find(|g| g.grader_id == me).cloned();
    let rubric = rubric_of(&p);
    let my_levels: Vec<i64> = mine
        .as_ref()
        .and_then(|g| serde_json::from_str(&g.levels).ok())
        .unwrap_or_default();
    let my_comments: Vec<String> = mine
        .as_ref()
        .and_then(|g| serde_json::from_str(&g.comments).ok())
        .unwrap_or_default();
    let criteria = rubric
        .iter()
        .enumerate()
        .map(|(i, cr)| CriterionView {
            index: i,
            name: cr.name.clone(),
            levels: (0..i64::from(cr.levels)).collect(),
            mine: my_levels.get(i).copied(),
            comment: my_comments.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    let decided = c.status != "submitted";
    let mut others = Vec::new();
    let mut others_hidden = 0;
    for g in grades.iter().filter(|g| g.grader_id != me) {
        // Blind: a grader sees another's scores only once their own is in (or it is decided).
        if is_grader && (mine.is_some() || decided) {
            let name = state.store.person(org, PersonId(g.grader_id)).await?.name;
            let levels: Vec<i64> = serde_json::from_str(&g.levels).unwrap_or_default();
            let comments: Vec<String> = serde_json::from_str(&g.comments).unwrap_or_default();
            let per: Vec<(String, i64, String)> = rubric
                .iter()
                .enumerate()
                .map(|(i, cr)| {
                    (
                        cr.name.clone(),
                        levels.get(i).copied().unwrap_or(0),
                        comments.get(i).cloned().unwrap_or_default(),
                    )
                })
                .collect();
            others.push((name, g.clone(), per));
        } else {
            others_hidden += 1;
        }
    }
    let mut team = Vec::new();
    for m in c.members() {
        if let Ok(person) = state.store.person(org, PersonId(m)).await {
            team.push(person.name);
        }
    }
    let page = Page::org(&ctx, &csrf.0, "credentials-capstone-title")
        .with_notice(q.done.as_deref())
        .titled(c.title.clone());
    render(CapstonePage {
        page,
        files: state.store.capstone_files(org, id).await?,
        team,
        criteria,
        is_grader,
        needed: if p.second_grader != 0 { 2 } else { 1 },
        mine,
        others,
        others_hidden,
        c,
        p,
    })
}

/// GET /o/{org}/capstones/{id}/files/{file}
pub async fn file(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id, file)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    visible(&state, &ctx, id).await?;
    let (name, mime, data) = state.store.capstone_file(ctx.org(), id, file).await?;
    let safe: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
        ],
        data,
    )
        .into_response())
}

/// POST /o/{org}/capstones/{id}/grade: `level_{i}`, `comment_{i}`, `feedback`, `decision`.
pub async fn grade(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    body: axum::body::Bytes,
) -> AppResult<Redirect> {
    let org = ctx.org();
    let c = state.store.capstone(org, id).await?;
    if c.status != "submitted" {
        return Err(AppError::Conflict(
            "this capstone has already been decided".into(),
        ));
    }
    if c.members().contains(&ctx.member.person_id.0) {
        return Err(AppError::Forbidden);
    }
    let p = state.store.programme(org, c.programme_id).await?;
    let rubric = rubric_of(&p);
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let mut levels = Vec::new();
    let mut comments = Vec::new();
    for (i, cr) in rubric.iter().enumerate() {
        let raw = get(&format!("level_{i}")).unwrap_or_default();
        let level: i64 = raw.trim().parse().map_err(|_| {
            AppError::field(
                &format!("level_{i}"),
                "required",
                format!("choose a level for \"{}\"", cr.name),
            )
        })?;
        levels.push(level);
        comments.push(
            get(&format!("comment_{i}"))
                .unwrap_or_default()
                .trim()
                .to_string(),
        );
    }
    let percent = rubric_percent(&rubric, &levels)
        .map_err(|e| AppError::field(&format!("level_{}", e.index), "range", e.to_string()))?;
    let decision = match get("decision").as_deref() {
        Some("pass") => "pass",
        Some("return") => "return",
        _ => {
            return Err(AppError::field(
                "decision",
                "required",
                "choose pass or return for revision",
            ))
        }
    };
    let feedback = get("feedback").unwrap_or_default().trim().to_string();
    if decision == "return" && feedback.is_empty() {
        return Err(AppError::field(
            "feedback",
            "required",
            "say what to improve when returning a capstone",
        ));
    }
    let now = state.clock.now();
    let g = Grade {
        grader_id: ctx.member.person_id.0,
        levels: serde_json::to_string(&levels).unwrap_or_default(),
        comments: serde_json::to_string(&comments).unwrap_or_default(),
        feedback: feedback.clone(),
        percent,
        decision: decision.into(),
        at: now,
    };
    state.store.put_grade(org, id, &g).await?;
    audit(
        &state,
        &ctx,
        "capstone.grade",
        &format!("capstone/{id}"),
        &format!("{decision} {percent:.1}%"),
    )
    .await?;
    // Decide once enough graders are in: the mean score; pass only when every grader passes
    // and the mean reaches the programme's capstone threshold.
    let grades = state.store.capstone_grades(org, id).await?;
    let needed = if p.second_grader != 0 { 2 } else { 1 };
    if grades.len() >= needed {
        let mean = grades.iter().map(|g| g.percent).sum::<f64>() / grades.len() as f64;
        let threshold = capstone_threshold(&p);
        let passed = grades.iter().all(|g| g.decision == "pass") && mean >= threshold;
        let all_feedback = grades
            .iter()
            .map(|g| g.feedback.as_str())
            .filter(|f| !f.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        state
            .store
            .decide_capstone(org, &c, &p.slug, passed, mean, &all_feedback, now)
            .await?;
        audit(
            &state,
            &ctx,
            if passed {
                "capstone.pass"
            } else {
                "capstone.return"
            },
            &format!("capstone/{id}"),
            &format!("{mean:.1}% (threshold {threshold}%)"),
        )
        .await?;
        if passed {
            for m in c.members() {
                if let Some(uuid) = check_and_issue(&state, org, &p, PersonId(m)).await? {
                    record_issue(&state, &ctx, &p, PersonId(m), &uuid).await?;
                }
            }
        }
    }
    Ok(Redirect::to(&format!(
        "/o/{}/capstones/{id}?done=saved",
        ctx.member.org.slug
    )))
}

/// The capstone pass mark of a programme (its capstone requirement), 60 % when unstated.
pub fn capstone_threshold(p: &Programme) -> f64 {
    use somu_domain::certification::Condition;
    super::steps_of(p)
        .unwrap_or_default()
        .iter()
        .flat_map(|s| s.any_of.iter())
        .find_map(|c| match c {
            Condition::Capstone { min_percent } => Some(f64::from(*min_percent)),
            _ => None,
        })
        .unwrap_or(60.0)
}
