//! From a [`Package`] to files. The output is canonical: the same package
//! always gives the same bytes, and loading it gives the package back.

use crate::error::ExportError;
use crate::files::FileSet;
use crate::model::*;
use crate::raw::*;

/// The files of a package, keyed by their path inside it.
pub fn to_files(package: &Package) -> Result<FileSet, ExportError> {
    let mut files = FileSet::new();
    match package {
        Package::Course(c) => course_files(c, "", &mut files)?,
        Package::Curriculum(c) => curriculum_files(c, &mut files)?,
    }
    Ok(files)
}

fn toml_text<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, ExportError> {
    Ok(toml::to_string_pretty(value)?.into_bytes())
}

fn out_question<'a>(q: &'a Question, topic: Option<Topic>) -> OutQuestion<'a> {
    OutQuestion {
        id: &q.id,
        topic: topic.map(Topic::as_str),
        kind: q.kind.as_str(),
        prompt: &q.prompt,
        rubric: q.rubric.as_deref(),
        options: q
            .options
            .iter()
            .map(|o| OutOption {
                text: &o.text,
                correct: (q.kind != QuestionKind::Ordering).then_some(o.correct),
                explanation: &o.explanation,
            })
            .collect(),
    }
}

fn course_files(c: &Course, prefix: &str, files: &mut FileSet) -> Result<(), ExportError> {
    let manifest = OutCourse {
        slug: &c.slug,
        title: &c.title,
        summary: &c.summary,
        audiences: c.audiences.iter().map(|a| a.as_str()).collect(),
        level: c.level.as_str(),
        estimated_minutes: c.estimated_minutes,
        version: &c.version,
        language: &c.language,
        modules: c
            .modules
            .iter()
            .map(|m| OutModule {
                slug: &m.slug,
                title: &m.title,
                topics: m.topics.iter().map(|t| t.as_str()).collect(),
                quiz: &m.quiz.file,
                lessons: m
                    .lessons
                    .iter()
                    .map(|l| OutLesson {
                        file: &l.file,
                        title: &l.title,
                        minutes: l.minutes,
                    })
                    .collect(),
            })
            .collect(),
    };
    files.insert(format!("{prefix}course.toml"), toml_text(&manifest)?);
    for m in &c.modules {
        for l in &m.lessons {
            files.insert(format!("{prefix}{}", l.file), l.body.clone().into_bytes());
        }
        let quiz = OutQuiz {
            title: &m.quiz.title,
            pass_mark: m.quiz.pass_mark,
            attempts: m.quiz.attempts,
            questions: m
                .quiz
                .questions
                .iter()
                .map(|q| out_question(q, None))
                .collect(),
        };
        files.insert(format!("{prefix}{}", m.quiz.file), toml_text(&quiz)?);
    }
    for (path, bytes) in &c.assets {
        files.insert(format!("{prefix}{path}"), bytes.clone());
    }
    Ok(())
}

fn curriculum_files(c: &Curriculum, files: &mut FileSet) -> Result<(), ExportError> {
    let manifest = OutCurriculum {
        slug: &c.info.slug,
        title: &c.info.title,
        summary: &c.info.summary,
        version: &c.info.version,
        language: &c.info.language,
        placeholders: &c.placeholders,
        tracks: c
            .tracks
            .iter()
            .map(|t| OutTrack {
                audience: t.audience.as_str(),
                title: &t.title,
                summary: &t.summary,
                courses: &t.courses,
                test_items: &t.test_items,
                pass_mark: t.pass_mark,
            })
            .collect(),
        certifications: c
            .certifications
            .iter()
            .map(|x| OutCertification {
                slug: &x.slug,
                title: &x.title,
                summary: &x.summary,
                duration_weeks: x.duration_weeks,
                courses: &x.courses,
                exam_items: &x.exam_items,
                exam_pass_mark: x.exam_pass_mark,
                capstone: &x.capstone,
            })
            .collect(),
    };
    files.insert("curriculum.toml".to_owned(), toml_text(&manifest)?);
    for course in &c.courses {
        course_files(course, &format!("courses/{}/", course.slug), files)?;
    }
    for bank in &c.item_bank {
        let out = OutItemBank {
            items: bank
                .items
                .iter()
                .map(|i| out_question(&i.question, Some(i.topic)))
                .collect(),
        };
        files.insert(bank.file.clone(), toml_text(&out)?);
    }
    Ok(())
}
