//! Each kind of mistake is refused with the file, line and field named,
//! and all mistakes are reported together.

use somu_content::{load_files, ErrorKind, FileSet, Package, PackageError};

const COURSE: &str = r#"slug = "demo"
title = "Demo"
summary = "A demo course."
audiences = ["practitioner"]
level = "introductory"
estimated_minutes = 20
version = "1.0.0"
language = "en"

[[module]]
slug = "basics"
title = "Basics"
topics = ["guidelines"]
quiz = "quizzes/basics.toml"

[[module.lesson]]
file = "lessons/one.md"
title = "One"
minutes = 10
"#;

const QUIZ: &str = r#"title = "Basics quiz"
pass_mark = 70

[[question]]
id = "q1"
kind = "single"
prompt = "Pick one."

[[question.option]]
text = "Right"
correct = true
explanation = "Because."

[[question.option]]
text = "Wrong"
correct = false
explanation = "Because not."
"#;

fn files(course: &str, quiz: &str) -> FileSet {
    let mut f = FileSet::new();
    f.insert("course.toml".into(), course.as_bytes().to_vec());
    f.insert("quizzes/basics.toml".into(), quiz.as_bytes().to_vec());
    f.insert(
        "lessons/one.md".into(),
        b"# One\n\nHello {{org.name}}.\n".to_vec(),
    );
    f
}

fn errors(f: &FileSet) -> Vec<PackageError> {
    match load_files(f) {
        Ok(_) => panic!("expected the package to be refused"),
        Err(e) => e.0,
    }
}

fn has(errs: &[PackageError], file: &str, line: usize, field: &str) -> bool {
    errs.iter()
        .any(|e| e.file == file && e.line == Some(line) && e.field.as_deref() == Some(field))
}

#[test]
fn the_fixture_is_valid() {
    let p = load_files(&files(COURSE, QUIZ)).expect("valid");
    let Package::Course(c) = p else {
        panic!("course")
    };
    assert_eq!(c.modules[0].quiz.questions[0].options.len(), 2);
}

#[test]
fn toml_syntax_error_names_the_line() {
    // Line 7 of the quiz gets a broken string.
    let quiz = QUIZ.replace("prompt = \"Pick one.\"", "prompt = \"Pick one.");
    let errs = errors(&files(COURSE, &quiz));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].file, "quizzes/basics.toml");
    assert_eq!(errs[0].line, Some(7));
    assert!(matches!(errs[0].kind, ErrorKind::Toml(_)));
}

#[test]
fn missing_field_is_named() {
    let course = COURSE.replace("title = \"Demo\"\n", "");
    let errs = errors(&files(&course, QUIZ));
    assert_eq!(errs[0].file, "course.toml");
    assert_eq!(errs[0].field.as_deref(), Some("title"));
    assert!(errs[0].line.is_some());
}

#[test]
fn unknown_quiz_kind() {
    let quiz = QUIZ.replace("kind = \"single\"", "kind = \"essay\"");
    let errs = errors(&files(COURSE, &quiz));
    // `kind` is on line 6 of the quiz file.
    assert!(
        has(&errs, "quizzes/basics.toml", 6, "question[0].kind"),
        "{errs:?}"
    );
    assert!(matches!(errs[0].kind, ErrorKind::UnknownName(_)));
}

#[test]
fn missing_correct_flag_and_explanation() {
    let quiz = QUIZ
        .replace("correct = false\n", "")
        .replace("explanation = \"Because.\"\n", "");
    let errs = errors(&files(COURSE, &quiz));
    // Option 0 starts at line 10 (its `text`), option 1 at line 15 once the
    // explanation line above it is gone.
    assert!(
        has(
            &errs,
            "quizzes/basics.toml",
            10,
            "question[0].option[0].explanation"
        ),
        "{errs:?}"
    );
    assert!(
        has(
            &errs,
            "quizzes/basics.toml",
            14,
            "question[0].option[1].correct"
        ),
        "{errs:?}"
    );
}

#[test]
fn single_choice_needs_exactly_one_correct() {
    let quiz = QUIZ.replace("correct = false", "correct = true");
    let errs = errors(&files(COURSE, &quiz));
    assert_eq!(errs.len(), 1);
    assert!(has(&errs, "quizzes/basics.toml", 6, "question[0].option"));
    assert_eq!(
        errs[0].kind,
        ErrorKind::CorrectCount {
            kind: "single",
            expected: "exactly 1",
            found: 2
        }
    );
}

#[test]
fn listed_lesson_missing() {
    let mut f = files(COURSE, QUIZ);
    f.remove("lessons/one.md");
    let errs = errors(&f);
    // `file = "lessons/one.md"` is on line 17 of course.toml.
    assert!(
        has(&errs, "course.toml", 17, "module[0].lesson[0].file"),
        "{errs:?}"
    );
    assert!(matches!(errs[0].kind, ErrorKind::MissingFile(_)));
}

#[test]
fn duplicate_module_slug() {
    let second = "\n[[module]]\nslug = \"basics\"\ntitle = \"Again\"\ntopics = [\"roles\"]\nquiz = \"quizzes/basics.toml\"\n\n[[module.lesson]]\nfile = \"lessons/one.md\"\ntitle = \"One\"\nminutes = 1\n";
    let course = format!("{COURSE}{second}");
    let errs = errors(&files(&course, QUIZ));
    // The second module's slug is on line 22; its quiz and lesson repeat too.
    assert!(has(&errs, "course.toml", 22, "module[1].slug"), "{errs:?}");
    assert!(has(&errs, "course.toml", 25, "module[1].quiz"), "{errs:?}");
    assert!(
        has(&errs, "course.toml", 28, "module[1].lesson[0].file"),
        "{errs:?}"
    );
    assert!(errs.iter().all(|e| e.file == "course.toml"));
}

#[test]
fn unreferenced_file_and_bad_placeholder() {
    let mut f = files(COURSE, QUIZ);
    f.insert(
        "lessons/one.md".into(),
        b"# One\n\nHi {{org.Name}}\n".to_vec(),
    );
    f.insert("lessons/stray.md".into(), b"x".to_vec());
    let errs = errors(&f);
    assert!(errs
        .iter()
        .any(|e| e.file == "lessons/stray.md" && e.kind == ErrorKind::Unreferenced));
    assert!(errs
        .iter()
        .any(|e| e.file == "lessons/one.md" && e.line == Some(3)));
}

#[test]
fn every_problem_is_reported_at_once() {
    let quiz = QUIZ
        .replace("kind = \"single\"", "kind = \"essay\"")
        .replace("pass_mark = 70", "pass_mark = 170");
    let course = COURSE.replace("level = \"introductory\"", "level = \"expert\"");
    let errs = errors(&files(&course, &quiz));
    assert!(has(&errs, "course.toml", 5, "level"), "{errs:?}");
    assert!(
        has(&errs, "quizzes/basics.toml", 2, "pass_mark"),
        "{errs:?}"
    );
    assert!(
        has(&errs, "quizzes/basics.toml", 6, "question[0].kind"),
        "{errs:?}"
    );
    // Display names file:line: field.
    let text = somu_content::PackageErrors(errs).to_string();
    assert!(
        text.contains("course.toml:5: level: `expert` is not one of"),
        "{text}"
    );
}

#[test]
fn short_text_needs_rubric_and_no_options() {
    let quiz = "title = \"Q\"\npass_mark = 50\n\n[[question]]\nid = \"q1\"\nkind = \"short_text\"\nprompt = \"Explain.\"\n";
    let errs = errors(&files(COURSE, quiz));
    assert!(
        has(&errs, "quizzes/basics.toml", 6, "question[0].rubric"),
        "{errs:?}"
    );
}

#[test]
fn no_manifest() {
    let errs = errors(&FileSet::new());
    assert_eq!(errs[0].kind, ErrorKind::NoManifest);
}
