//! Importing people from an HR CSV export: upload, map columns, preview, import with progress.
//! A file with any bad row is refused whole, every problem listed; nothing changes.

use super::{audit, render};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use somu_domain::ids::{AccountId, JobId, OrgId};
use somu_domain::org::{parse_people_csv, read_headers, ColumnMapping, ImportRow, PersonField};
use somu_domain::{FieldError, FieldErrors};
use somu_store::Store;

/// Errors listed on the page at most (the count says how many there are in all).
const SHOWN_ERRORS: usize = 500;

#[derive(Template)]
#[template(path = "people/import_upload.html")]
struct UploadPage {
    page: Page,
    errors: Vec<FieldError>,
}

/// GET /o/{org}/import/people
pub async fn upload_form(
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Html<String>> {
    render(UploadPage {
        page: Page::org(&ctx, &csrf.0, "import-title"),
        errors: vec![],
    })
}

fn upload_error(
    ctx: &OrgCtx,
    csrf: &str,
    status: StatusCode,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let html = render(UploadPage {
        page: Page::org(ctx, csrf, "import-title"),
        errors,
    })?;
    Ok((status, html).into_response())
}

/// POST /o/{org}/import/people (multipart, field `file`)
pub async fn upload(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("people.csv").to_string();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err(AppError::TooLarge)
                    }
                    Err(e) => return Err(AppError::BadRequest(e.body_text())),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::TooLarge)
            }
            Err(e) => return Err(AppError::BadRequest(e.body_text())),
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        let e = FieldError::new("file", "required", "choose a CSV file to upload");
        return upload_error(&ctx, &csrf.0, StatusCode::UNPROCESSABLE_ENTITY, vec![e]);
    };
    if bytes.contains(&0) {
        let e = FieldError::new(
            name,
            "not-text",
            "this is not a CSV text file (it holds binary data)",
        );
        return upload_error(&ctx, &csrf.0, StatusCode::UNPROCESSABLE_ENTITY, vec![e]);
    }
    if let Err(errs) = read_headers(&bytes) {
        let errs = errs
            .0
            .into_iter()
            .map(|e| FieldError {
                field: format!("{name}: {}", e.field),
                ..e
            })
            .collect();
        return upload_error(&ctx, &csrf.0, StatusCode::UNPROCESSABLE_ENTITY, errs);
    }
    let id = state
        .store
        .save_upload(
            ctx.org(),
            ctx.principal.account_id,
            "people-csv",
            &name,
            &bytes,
        )
        .await?;
    Ok(Redirect::to(&format!("/o/{}/import/people/{id}", ctx.member.org.slug)).into_response())
}

/// One column on the mapping page.
pub struct ColumnView {
    /// Index.
    pub index: usize,
    /// Header as written.
    pub header: String,
    /// The field chosen.
    pub field: Option<PersonField>,
    /// A few values from the first rows.
    pub samples: Vec<String>,
}

#[derive(Template)]
#[template(path = "people/import_map.html")]
struct MappingPage {
    page: Page,
    upload_id: i64,
    filename: String,
    columns: Vec<ColumnView>,
    fields: &'static [PersonField],
    rows: usize,
    errors: Vec<FieldError>,
    error_count: usize,
}

fn samples(bytes: &[u8], columns: usize) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let mut out = vec![Vec::new(); columns];
    for rec in reader.records().take(3).flatten() {
        for (i, v) in rec.iter().enumerate().take(columns) {
            out[i].push(v.chars().take(40).collect());
        }
    }
    out
}

async fn check(
    store: &Store,
    org: OrgId,
    bytes: &[u8],
    mapping: ColumnMapping,
) -> AppResult<Result<Vec<ImportRow>, FieldErrors>> {
    let keys = store.person_keys(org).await?;
    let bytes = bytes.to_vec();
    tokio::task::spawn_blocking(move || {
        parse_people_csv(&bytes, Some(mapping), &|k| keys.contains(k)).map(|f| f.rows)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))
}

async fn mapping_page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &str,
    upload_id: i64,
    mapping: Option<ColumnMapping>,
) -> AppResult<Response> {
    let up = state.store.upload(ctx.org(), upload_id).await?;
    let headers = read_headers(&up.content)?;
    let mapping = mapping.unwrap_or_else(|| ColumnMapping::guess(&headers));
    let result = check(&state.store, ctx.org(), &up.content, mapping.clone()).await?;
    let (rows, mut errors) = match result {
        Ok(rows) => (rows.len(), Vec::new()),
        Err(e) => (0, e.0),
    };
    let error_count = errors.len();
    errors.truncate(SHOWN_ERRORS);
    let samples = samples(&up.content, headers.len());
    let columns = headers
        .into_iter()
        .enumerate()
        .map(|(index, header)| ColumnView {
            index,
            header,
            field: mapping.columns.get(index).copied().flatten(),
            samples: samples[index].clone(),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = MappingPage {
        page: Page::org(ctx, csrf, "import-map-title"),
        upload_id,
        filename: up.filename,
        columns,
        fields: PersonField::ALL,
        rows,
        errors,
        error_count,
    };
    Ok((status, render(page)?).into_response())
}

/// GET /o/{org}/import/people/{id}: the columns, the guessed mapping, and what the file would do.
pub async fn mapping(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    mapping_page(&state, &ctx, &csrf.0, id, None).await
}

fn mapping_from_form(body: &[u8], columns: usize) -> AppResult<ColumnMapping> {
    let mut mapping = ColumnMapping {
        columns: vec![None; columns],
    };
    for (k, v) in form_urlencoded::parse(body) {
        let Some(index) = k.strip_prefix("col").and_then(|i| i.parse::<usize>().ok()) else {
            continue;
        };
        if index >= columns {
            return Err(AppError::field(&k, "invalid", "there is no such column"));
        }
        mapping.columns[index] = match v.as_ref() {
            "" => None,
            code => Some(
                PersonField::ALL
                    .iter()
                    .copied()
                    .find(|f| f.code() == code)
                    .ok_or_else(|| {
                        AppError::field(
                            &k,
                            "unknown-value",
                            format!("\"{code}\" is not a person field"),
                        )
                    })?,
            ),
        };
    }
    Ok(mapping)
}

/// POST /o/{org}/import/people/{id}: check with the chosen mapping, then import in the background.
pub async fn run(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let up = state.store.upload(ctx.org(), id).await?;
    let headers = read_headers(&up.content)?;
    let mapping = mapping_from_form(&body, headers.len())?;
    let rows = match check(&state.store, ctx.org(), &up.content, mapping.clone()).await? {
        Ok(rows) => rows,
        Err(_) => return mapping_page(&state, &ctx, &csrf.0, id, Some(mapping)).await,
    };
    let job = state
        .store
        .create_job(
            ctx.org(),
            ctx.principal.account_id,
            "people-import",
            rows.len() as i64,
        )
        .await?;
    audit(
        &state,
        &ctx,
        "people.import",
        &format!("job/{}", job.0),
        &format!("{} ({} rows)", up.filename, rows.len()),
    )
    .await?;
    let store = state.store.clone();
    let org = ctx.org();
    tokio::spawn(run_import(
        store,
        org,
        ctx.principal.account_id,
        job,
        id,
        rows,
    ));
    Ok(Redirect::to(&format!("/o/{}/jobs/{}", ctx.member.org.slug, job.0)).into_response())
}

/// The background part: write the rows, report progress to the job row as it goes.
async fn run_import(
    store: Store,
    org: OrgId,
    account: AccountId,
    job: JobId,
    upload: i64,
    rows: Vec<ImportRow>,
) {
    let progress = super::jobs::JobProgress::start(&store, org, job);
    let result = store
        .import_people(org, &rows, &progress.reporter())
        .await
        .map(|s| {
            format!(
                "{} created, {} updated, {} unchanged, {} teams created",
                s.created, s.updated, s.unchanged, s.teams_created
            )
        });
    let (ok, message) = progress.finish(&store, org, job, result).await;
    if ok {
        let _ = store.delete_upload(org, upload).await;
    }
    let _ = store
        .audit(somu_store::audit::AuditEntry {
            org,
            account: Some(account),
            actor: "system",
            action: if ok {
                "people.import-done"
            } else {
                "people.import-failed"
            },
            target: &format!("job/{}", job.0),
            detail: if ok {
                &message
            } else {
                "refused; nothing changed"
            },
            ip: "",
        })
        .await;
}
