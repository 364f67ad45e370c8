//! Curriculum-level mistakes: references between files, folders, the item
//! bank and placeholders, each named by file, line and field.

use somu_content::{export_zip, load_files, load_zip, ErrorKind, FileSet, Package, PackageError};

const CURRICULUM: &str = r#"slug = "mini"
title = "Mini"
summary = "A small curriculum."
version = "1"
language = "en"

[placeholders]
name = "Organisation name."

[[track]]
audience = "observer"
title = "Observers"
summary = "For observers."
courses = ["demo"]
test_items = ["i-1"]
pass_mark = 70
"#;

const COURSE: &str = r#"slug = "demo"
title = "Demo"
summary = "Demo."
audiences = ["observer"]
level = "introductory"
estimated_minutes = 5
version = "1"
language = "en"

[[module]]
slug = "m"
title = "M"
topics = ["culture"]
quiz = "quizzes/m.toml"

[[module.lesson]]
file = "lessons/one.md"
title = "One"
minutes = 5
"#;

const QUIZ: &str = "title = \"Q\"\npass_mark = 50\n\n[[question]]\nid = \"q\"\nkind = \"true_false\"\nprompt = \"Yes?\"\n\n[[question.option]]\ntext = \"True\"\ncorrect = true\nexplanation = \"Yes.\"\n\n[[question.option]]\ntext = \"False\"\ncorrect = false\nexplanation = \"No.\"\n";

const BANK: &str = "[[item]]\nid = \"i-1\"\ntopic = \"culture\"\nkind = \"short_text\"\nprompt = \"Why?\"\nrubric = \"Because.\"\n";

fn files() -> FileSet {
    let mut f = FileSet::new();
    f.insert("curriculum.toml".into(), CURRICULUM.into());
    f.insert("STATUS.md".into(), b"notes, ignored".to_vec());
    f.insert("courses/demo/course.toml".into(), COURSE.into());
    f.insert("courses/demo/quizzes/m.toml".into(), QUIZ.into());
    f.insert(
        "courses/demo/lessons/one.md".into(),
        b"Hello {{org.name}}.\n".to_vec(),
    );
    f.insert(
        "courses/demo/assets/logo.png".into(),
        vec![0x89, 0x50, 0x4e, 0x47],
    );
    f.insert("item-bank/a.toml".into(), BANK.into());
    f
}

fn errors(f: &FileSet) -> Vec<PackageError> {
    match load_files(f) {
        Ok(_) => panic!("expected refusal"),
        Err(e) => e.0,
    }
}

fn has(errs: &[PackageError], file: &str, line: usize, field: &str) -> bool {
    errs.iter()
        .any(|e| e.file == file && e.line == Some(line) && e.field.as_deref() == Some(field))
}

#[test]
fn the_fixture_loads_with_its_asset() {
    let Ok(Package::Curriculum(c)) = load_files(&files()) else {
        panic!("valid fixture refused");
    };
    assert_eq!(c.courses[0].assets.len(), 1);
    assert_eq!(
        c.item("i-1").map(|i| i.question.kind.as_str()),
        Some("short_text")
    );
}

#[test]
fn unknown_course_and_item_in_a_track() {
    let text = CURRICULUM
        .replace("courses = [\"demo\"]", "courses = [\"demo\", \"ghost\"]")
        .replace("test_items = [\"i-1\"]", "test_items = [\"i-9\"]");
    let mut f = files();
    f.insert("curriculum.toml".into(), text.into_bytes());
    let errs = errors(&f);
    // Line 14 holds `courses`, line 15 `test_items`.
    assert!(
        has(&errs, "curriculum.toml", 14, "track[0].courses[1]"),
        "{errs:?}"
    );
    assert!(
        has(&errs, "curriculum.toml", 15, "track[0].test_items[0]"),
        "{errs:?}"
    );
}

#[test]
fn duplicate_item_id_across_bank_files() {
    let mut f = files();
    f.insert("item-bank/b.toml".into(), BANK.into());
    let errs = errors(&f);
    assert!(has(&errs, "item-bank/b.toml", 2, "item[0].id"), "{errs:?}");
    assert_eq!(errs[0].kind, ErrorKind::Duplicate("i-1".into()));
}

#[test]
fn folder_must_match_slug() {
    let mut f = files();
    for (from, to) in [
        ("courses/demo/course.toml", "courses/other/course.toml"),
        (
            "courses/demo/quizzes/m.toml",
            "courses/other/quizzes/m.toml",
        ),
        (
            "courses/demo/lessons/one.md",
            "courses/other/lessons/one.md",
        ),
        (
            "courses/demo/assets/logo.png",
            "courses/other/assets/logo.png",
        ),
    ] {
        let v = f.remove(from).expect("fixture file");
        f.insert(to.into(), v);
    }
    let errs = errors(&f);
    assert!(errs
        .iter()
        .any(|e| e.kind == ErrorKind::FolderSlug("other".into(), "demo".into())));
}

#[test]
fn undeclared_placeholder_names_the_lesson_line() {
    let mut f = files();
    f.insert(
        "courses/demo/lessons/one.md".into(),
        b"Hello {{org.name}}.\n\nCall {{org.hotline}}.\n".to_vec(),
    );
    let errs = errors(&f);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].file, "courses/demo/lessons/one.md");
    assert_eq!(errs[0].line, Some(3));
}

#[test]
fn item_without_topic() {
    let mut f = files();
    f.insert(
        "item-bank/a.toml".into(),
        BANK.replace("topic = \"culture\"\n", "").into_bytes(),
    );
    let errs = errors(&f);
    assert!(
        has(&errs, "item-bank/a.toml", 2, "item[0].topic"),
        "{errs:?}"
    );
}

#[test]
fn zip_with_a_top_folder_loads_and_garbage_is_refused() {
    let p = load_files(&files()).expect("valid");
    let zip = export_zip(&p).expect("zip");
    assert_eq!(load_zip(&zip).map_err(|e| e.to_string()), Ok(p));
    let errs = load_zip(b"not a zip").expect_err("garbage").0;
    assert!(matches!(errs[0].kind, ErrorKind::Zip(_)));
}
