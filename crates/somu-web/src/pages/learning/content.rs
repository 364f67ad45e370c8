//! Installing and importing content: the one path by which packages reach the store (pages, CLI
//! and demo all call it), so catalogue rows, tracks, item bank and placeholders stay in step.

use somu_content::{Curriculum, Package};
use somu_domain::ids::OrgId;
use somu_store::catalogue::TrackEntry;
use somu_store::{Store, StoreError};

/// What an install or import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Courses that got a new published version.
    pub changed: Vec<String>,
    /// Courses whose published version already had exactly this content.
    pub unchanged: Vec<String>,
    /// Tracks written.
    pub tracks: usize,
}

/// Install a whole curriculum: every course published (unchanged ones left alone), the tracks,
/// the item bank with each track's test items, and the placeholders it declares.
pub async fn install_curriculum(
    store: &Store,
    org: OrgId,
    c: &Curriculum,
    now: i64,
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport::default();
    for course in &c.courses {
        let done = store.put_course_version(org, course, true, now).await?;
        let list = if done.changed {
            &mut report.changed
        } else {
            &mut report.unchanged
        };
        list.push(course.slug.clone());
    }
    for t in &c.tracks {
        store
            .put_track(
                org,
                &TrackEntry {
                    id: 0,
                    slug: t.audience.as_str().to_string(),
                    audience: t.audience.as_str().to_string(),
                    title: t.title.clone(),
                    summary: t.summary.clone(),
                    pass_mark: i64::from(t.pass_mark),
                    courses: t.courses.clone(),
                    updated_at: now,
                },
            )
            .await?;
        report.tracks += 1;
    }
    store.put_curriculum_extras(org, c, now).await?;
    Ok(report)
}

/// Install the default curriculum shipped with Somu. Idempotent.
pub async fn install_default(
    store: &Store,
    org: OrgId,
    now: i64,
) -> Result<ImportReport, StoreError> {
    let c = somu_content::try_default_curriculum()
        .map_err(|e| StoreError::Conflict(format!("the default curriculum does not load: {e}")))?;
    install_curriculum(store, org, &c, now).await
}

/// Import a loaded package: a course is published as a new version (unless unchanged), a
/// curriculum is installed whole.
pub async fn import_package(
    store: &Store,
    org: OrgId,
    package: &Package,
    now: i64,
) -> Result<ImportReport, StoreError> {
    match package {
        Package::Curriculum(c) => install_curriculum(store, org, c, now).await,
        Package::Course(course) => {
            let done = store.put_course_version(org, course, true, now).await?;
            let mut report = ImportReport::default();
            if done.changed {
                report.changed.push(course.slug.clone());
            } else {
                report.unchanged.push(course.slug.clone());
            }
            Ok(report)
        }
    }
}
