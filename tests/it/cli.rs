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
