//! The command line, run as a user would.

use std::io::Write;
use std::process::{Command, Stdio};

fn somu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_somu"))
}

#[test]
fn sentiment_scores_english_and_leaves_other_languages_unscored() {
    let mut child = somu()
        .args(["sentiment", "--threads", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run somu");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all("I love this team, great work!\nThis is the worst service ever :(\nNous sommes très heureux de vous annoncer la nouvelle gamme de produits pour la maison.\n".as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("output");
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert_eq!(lines.len(), 3, "one line out per line in, in order");
    assert!(lines[0]["compound"].as_f64().expect("scored") > 0.5);
    assert!(lines[1]["compound"].as_f64().expect("scored") < -0.5);
    assert_eq!(lines[2]["language"], "fr");
    assert!(
        lines[2]["compound"].is_null(),
        "French is not scored as English"
    );
}

/// `somu import people FILE --org acme` against `db`.
fn import_people(db: &str, file: &std::path::Path) -> std::process::Output {
    somu()
        .args([
            "--database-url",
            db,
            "import",
            "people",
            file.to_str().expect("path"),
            "--org",
            "acme",
        ])
        .output()
        .expect("run")
}

#[test]
fn a_bad_people_file_is_refused_by_the_command_line_with_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    let ok = somu()
        .args([
            "--database-url",
            &db,
            "org",
            "create",
            "acme",
            "--name",
            "Acme",
            "--admin-email",
            "boss@acme.test",
        ])
        .output()
        .expect("run");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("/o/acme/invite/"));
    let file = dir.path().join("people.csv");
    std::fs::write(
        &file,
        "email,name,audience\na@acme.test,A,observer\nbad,B,observer\n",
    )
    .expect("write");
    let out = import_people(&db, &file);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3, email"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    std::fs::write(
        &file,
        "email,name,audience\na@acme.test,A,observer\nb@acme.test,B,observer\n",
    )
    .expect("write");
    let out = import_people(&db, &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 created"));
}

/// The index definitions of `post` as SQLite holds them, by name.
async fn post_indexes(db: &str) -> std::collections::BTreeMap<String, String> {
    let pool = sqlx::SqlitePool::connect(db).await.expect("open");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'post' AND sql IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .expect("indexes");
    pool.close().await;
    rows.into_iter().collect()
}

#[tokio::test]
async fn a_generated_organisation_keeps_every_post_index_and_migrate_restores_a_missing_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("gen.db").display());
    let migrate = || {
        let out = somu()
            .args(["--database-url", &db, "migrate"])
            .output()
            .expect("run");
        assert!(out.status.success(), "{out:?}");
    };
    migrate();
    let before = post_indexes(&db).await;
    assert!(before.contains_key("post_time") && before.contains_key("post_kind_time"));
    let out = somu()
        .args(["--database-url", &db, "bench", "generate", "--org", "gen"])
        .args([
            "--people", "300", "--weeks", "20", "--effect", "1", "--seed", "3",
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("300 people, 20 weeks"), "{said}");
    // The load drops the two time indexes and builds them again, as the migrations define them
    // (compared as SQLite stores them, without the IF NOT EXISTS the load adds).
    let strip = |m: std::collections::BTreeMap<String, String>| -> Vec<(String, String)> {
        m.into_iter()
            .map(|(k, v)| (k, v.replace("IF NOT EXISTS ", "")))
            .collect()
    };
    assert_eq!(strip(post_indexes(&db).await), strip(before.clone()));
    let pool = sqlx::SqlitePool::connect(&db).await.expect("open");
    let (posts, weeks): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM post p JOIN org o ON o.id = p.org_id WHERE o.slug = 'gen'), \
         (SELECT COUNT(*) FROM analytics_account_week w JOIN org o ON o.id = w.org_id WHERE o.slug = 'gen')",
    )
    .fetch_one(&pool)
    .await
    .expect("counts");
    assert!(posts > 1000, "{posts} posts");
    assert_eq!(weeks, 300 * 20, "one roll-up row per person-week");
    // A load that stopped half-way leaves an index out: the next command puts it back.
    sqlx::query("DROP INDEX post_time")
        .execute(&pool)
        .await
        .expect("drop");
    pool.close().await;
    migrate();
    assert_eq!(strip(post_indexes(&db).await), strip(before));
}
