//! The round-trip laws: load(export(p)) == p, export is deterministic, and
//! the zip form agrees with the folder form.

use proptest::prelude::*;
use somu_content::*;

/// Text that exercises TOML escaping: quotes, backslashes, newlines,
/// triple quotes, non-ASCII. Never blank, never containing `{`.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Zé ✓\"'\\\\\n\t#=\\[\\]]{0,40}".prop_map(|s| format!("T{s}"))
}

fn slug() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,12}"
}

fn option(kind: QuestionKind) -> impl Strategy<Value = QuizOption> {
    (text(), any::<bool>(), text()).prop_map(move |(text, correct, explanation)| QuizOption {
        text,
        correct: correct && kind != QuestionKind::Ordering,
        explanation,
    })
}

fn question() -> impl Strategy<Value = Question> {
    let kind = prop_oneof![
        Just(QuestionKind::Single),
        Just(QuestionKind::Multiple),
        Just(QuestionKind::TrueFalse),
        Just(QuestionKind::Ordering),
        Just(QuestionKind::ShortText),
    ];
    (kind, slug(), text(), text()).prop_flat_map(|(kind, id, prompt, rubric)| {
        let n = match kind {
            QuestionKind::ShortText => 0..1usize,
            QuestionKind::TrueFalse => 2..3,
            _ => 2..5,
        };
        proptest::collection::vec(option(kind), n).prop_map(move |mut options| {
            // Make the correct-count rules hold for the kind.
            match kind {
                QuestionKind::Single | QuestionKind::TrueFalse => {
                    for (i, o) in options.iter_mut().enumerate() {
                        o.correct = i == 0;
                    }
                }
                QuestionKind::Multiple => options[0].correct = true,
                _ => {}
            }
            Question {
                id: id.clone(),
                kind,
                prompt: prompt.clone(),
                options,
                rubric: (kind == QuestionKind::ShortText).then(|| rubric.clone()),
            }
        })
    })
}

fn module(index: usize) -> impl Strategy<Value = Module> {
    (
        text(),
        proptest::collection::vec((text(), 0u32..90, "[^{]{0,200}"), 1..3),
        proptest::collection::vec(question(), 1..4),
        0u8..=100,
    )
        .prop_map(move |(title, lessons, mut questions, pass_mark)| {
            for (i, q) in questions.iter_mut().enumerate() {
                q.id = format!("{}-{i}", q.id);
            }
            Module {
                slug: format!("m{index}"),
                title,
                topics: vec![Topic::CORE[index % 10]],
                lessons: lessons
                    .into_iter()
                    .enumerate()
                    .map(|(i, (title, minutes, body))| Lesson {
                        file: format!("lessons/m{index}-{i}.md"),
                        title,
                        minutes,
                        body,
                    })
                    .collect(),
                quiz: Quiz {
                    file: format!("quizzes/m{index}.toml"),
                    title: format!("Quiz {index}"),
                    pass_mark,
                    attempts: (index % 2 == 1).then_some(3),
                    questions,
                },
            }
        })
}

fn course() -> impl Strategy<Value = Course> {
    (
        slug(),
        text(),
        text(),
        proptest::sample::subsequence(Audience::ALL.to_vec(), 1..5),
        0u32..1000,
        proptest::collection::vec(module(0), 1..2),
        proptest::collection::vec(module(1), 0..2),
        proptest::collection::btree_map("assets/[a-z]{1,8}\\.png", any::<Vec<u8>>(), 0..3),
    )
        .prop_map(
            |(slug, title, summary, audiences, minutes, a, b, assets)| Course {
                slug,
                title,
                summary,
                audiences,
                level: Level::Intermediate,
                estimated_minutes: minutes,
                version: "1.2.3".into(),
                language: "en".into(),
                modules: a.into_iter().chain(b).collect(),
                assets,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn export_then_load_gives_the_same_course(c in course()) {
        let p = Package::Course(c);
        let files = export_files(&p).expect("export");
        let back = load_files(&files).map_err(|e| e.to_string());
        prop_assert_eq!(back, Ok(p.clone()));
        // Exporting what was loaded gives byte-identical files.
        prop_assert_eq!(export_files(&p).expect("export"), files);
    }

    #[test]
    fn zip_round_trip(c in course()) {
        let p = Package::Course(c);
        let zip = export_zip(&p).expect("zip");
        prop_assert_eq!(load_zip(&zip).map_err(|e| e.to_string()), Ok(p.clone()));
        prop_assert_eq!(export_zip(&p).expect("zip"), zip);
    }
}

fn curriculum() -> impl Strategy<Value = Curriculum> {
    (
        proptest::collection::vec(course(), 1..3),
        proptest::collection::vec(question(), 1..5),
        text(),
        proptest::collection::btree_map("[a-z][a-z0-9_]{0,8}", text(), 0..4),
    )
        .prop_map(|(mut courses, mut questions, summary, placeholders)| {
            for (i, c) in courses.iter_mut().enumerate() {
                c.slug = format!("c{i}-{}", c.slug);
            }
            for (i, q) in questions.iter_mut().enumerate() {
                q.id = format!("i{i}");
            }
            let ids: Vec<String> = questions.iter().map(|q| q.id.clone()).collect();
            Curriculum {
                info: CurriculumInfo {
                    slug: "gen".into(),
                    title: "Generated".into(),
                    summary,
                    version: "1".into(),
                    language: "en".into(),
                },
                placeholders,
                tracks: vec![Track {
                    audience: Audience::Management,
                    title: "T".into(),
                    summary: "S".into(),
                    courses: courses.iter().map(|c| c.slug.clone()).collect(),
                    test_items: ids.clone(),
                    pass_mark: 70,
                }],
                certifications: vec![Certification {
                    slug: "cert".into(),
                    title: "Cert".into(),
                    summary: "S".into(),
                    duration_weeks: 3,
                    courses: vec![courses[0].slug.clone()],
                    exam_items: ids,
                    exam_pass_mark: 75,
                    capstone: "Do a real case.\nWith \"quotes\".".into(),
                }],
                item_bank: vec![ItemBankFile {
                    file: "item-bank/gen.toml".into(),
                    items: questions
                        .into_iter()
                        .enumerate()
                        .map(|(i, question)| Item {
                            topic: Topic::CORE[i % 10],
                            question,
                        })
                        .collect(),
                }],
                courses,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn curriculum_round_trip(c in curriculum()) {
        let p = Package::Curriculum(c);
        let files = export_files(&p).expect("export");
        prop_assert_eq!(load_files(&files).map_err(|e| e.to_string()), Ok(p.clone()));
        let zip = export_zip(&p).expect("zip");
        prop_assert_eq!(load_zip(&zip).map_err(|e| e.to_string()), Ok(p));
    }
}

#[test]
fn folder_round_trip_of_the_default_curriculum() {
    let p = Package::Curriculum(default_curriculum());
    let dir = tempfile::tempdir().expect("tempdir");
    export_dir(&p, dir.path()).expect("export");
    assert_eq!(load_dir(dir.path()).map_err(|e| e.to_string()), Ok(p));
}
