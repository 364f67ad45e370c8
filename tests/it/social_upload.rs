//! Browser uploads of social exports: streamed to a temporary file under their own size limit,
//! imported, and the temporary file removed when the import ends.

use crate::helpers::{TestApp, User};
use crate::social::{count, import_through_browser, jsonl};
use reqwest::StatusCode;

/// A generic JSONL export of `n` posts of about 2 KB each.
fn export(n: usize) -> Vec<u8> {
    let ids: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
    let posts: Vec<_> = ids
        .iter()
        .map(|id| ("@ana@example.social", id.as_str(), 1, None))
        .collect();
    let short = "What a great workshop, thank you!";
    let long = [short; 60].join(" ");
    String::from_utf8(jsonl(&posts))
        .expect("UTF-8")
        .replace(short, &long)
        .into_bytes()
}

/// The files left in the upload directory.
fn left_in(dir: &tempfile::TempDir) -> Vec<String> {
    std::fs::read_dir(dir.path())
        .expect("upload dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect()
}

/// An app whose general upload limit is 1 MB and whose social export limit is 3 MB, saving
/// uploads in the returned directory, with Alpha's admin signed in.
async fn app_with_small_limits() -> (tempfile::TempDir, TestApp, User) {
    let uploads = tempfile::tempdir().expect("temp dir");
    let dir = uploads.path().display().to_string();
    let app = TestApp::spawn_with(|c| {
        c.max_upload_mb = 1;
        c.max_social_upload_mb = 3;
        c.upload_dir = dir;
    })
    .await;
    let alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in(&alpha.admin).await;
    (uploads, app, admin)
}

#[tokio::test]
async fn a_social_export_over_the_upload_limit_is_streamed_to_disk_imported_and_removed() {
    let (uploads, app, admin) = app_with_small_limits().await;
    let file = export(900);
    let mib = 1024 * 1024;
    assert!(
        file.len() > 3 * mib / 2 && file.len() < 5 * mib / 2,
        "{} bytes",
        file.len()
    );
    // Every other upload keeps the general limit.
    let r = admin
        .upload("/o/alpha/import/people", "people.csv", file.clone())
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let job = import_through_browser(&admin, "posts.jsonl", file).await;
    assert!(job.contains("900 posts: 900 new"), "{job}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM post").await, 900);
    let recorded = "SELECT COUNT(*) FROM social_import WHERE filename = 'posts.jsonl'";
    assert_eq!(count(&app, recorded).await, 1, "named as uploaded");
    assert_eq!(left_in(&uploads), Vec::<String>::new());
}

#[tokio::test]
async fn a_social_export_over_its_own_limit_is_refused_and_nothing_is_kept() {
    let (uploads, app, admin) = app_with_small_limits().await;
    let file = export(1800);
    assert!(file.len() > 3 * 1024 * 1024, "{} bytes", file.len());
    let r = admin
        .upload("/o/alpha/social/import", "posts.jsonl", file)
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = r.text().await.expect("body");
    assert!(page.contains("The upload is too large"), "{page}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM post").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM social_import").await, 0);
    assert_eq!(left_in(&uploads), Vec::<String>::new());
}
