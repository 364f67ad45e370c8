//! One course package: manifest, lessons and quizzes.

use std::collections::{BTreeMap, BTreeSet};

use super::{inner_path, text};
use crate::check::{self, Sink, Src};
use crate::error::ErrorKind;
use crate::files::FileSet;
use crate::markdown::find_placeholders;
use crate::model::*;
use crate::raw::*;

fn check_lesson_placeholders(
    sink: &mut Sink,
    file: &str,
    body: &str,
    declared: Option<&BTreeMap<String, String>>,
) {
    for p in find_placeholders(body) {
        let problem = if !p.well_formed {
            Some("write it as {{org.name}} with a-z, 0-9 and _")
        } else if declared.is_some_and(|d| !d.contains_key(&p.name)) {
            Some("not declared in curriculum.toml [placeholders]")
        } else {
            None
        };
        if let Some(why) = problem {
            sink.errors.push(crate::error::PackageError {
                file: file.to_owned(),
                line: Some(p.line),
                field: None,
                kind: ErrorKind::Placeholder(p.raw, why),
            });
        }
    }
}

/// Loads the course whose manifest is `{prefix}course.toml`.
pub(crate) fn load_course(
    sink: &mut Sink,
    files: &FileSet,
    prefix: &str,
    placeholders: Option<&BTreeMap<String, String>>,
    used: &mut BTreeSet<String>,
) -> Option<Course> {
    let manifest = format!("{prefix}course.toml");
    used.insert(manifest.clone());
    let src = Src {
        file: &manifest,
        text: text(sink, files, &manifest)?,
    };
    let raw: RawCourse = sink.parse(src)?;
    let mut audiences = Vec::new();
    for (i, a) in raw.audiences.get_ref().iter().enumerate() {
        if let Some(a) = sink.name::<Audience>(src, a, &format!("audiences[{i}]")) {
            audiences.push(a);
        }
    }
    if raw.audiences.get_ref().is_empty() {
        sink.at(
            src,
            Some(raw.audiences.span()),
            "audiences",
            ErrorKind::Empty,
        );
    }
    let mut module_slugs = BTreeSet::new();
    let mut modules = Vec::new();
    for (mi, m) in raw.modules.iter().enumerate() {
        let mp = format!("module[{mi}]");
        let slug = sink.slug(src, &m.slug, &format!("{mp}.slug"));
        if !module_slugs.insert(slug.clone()) {
            sink.at(
                src,
                Some(m.slug.span()),
                &format!("{mp}.slug"),
                ErrorKind::Duplicate(slug.clone()),
            );
        }
        let mut topics = Vec::new();
        for (ti, t) in m.topics.get_ref().iter().enumerate() {
            if let Some(t) = sink.name::<Topic>(src, t, &format!("{mp}.topics[{ti}]")) {
                topics.push(t);
            }
        }
        if m.topics.get_ref().is_empty() {
            sink.at(
                src,
                Some(m.topics.span()),
                &format!("{mp}.topics"),
                ErrorKind::Empty,
            );
        }
        let mut lessons = Vec::new();
        let mut lesson_files = BTreeSet::new();
        for (li, l) in m.lessons.iter().enumerate() {
            let lp = format!("{mp}.lesson[{li}]");
            let title = sink.text(src, &l.title, &format!("{lp}.title"));
            let file = l.file.get_ref().clone();
            if !inner_path(sink, src, &l.file, &format!("{lp}.file"), "lessons/", ".md") {
                continue;
            }
            if !lesson_files.insert(file.clone()) || used.contains(&format!("{prefix}{file}")) {
                sink.at(
                    src,
                    Some(l.file.span()),
                    &format!("{lp}.file"),
                    ErrorKind::Duplicate(file.clone()),
                );
            }
            let full = format!("{prefix}{file}");
            used.insert(full.clone());
            if !files.contains_key(&full) {
                sink.at(
                    src,
                    Some(l.file.span()),
                    &format!("{lp}.file"),
                    ErrorKind::MissingFile(full),
                );
                continue;
            }
            let Some(body) = text(sink, files, &full) else {
                continue;
            };
            check_lesson_placeholders(sink, &full, body, placeholders);
            lessons.push(Lesson {
                file,
                title,
                minutes: *l.minutes.get_ref(),
                body: body.to_owned(),
            });
        }
        if m.lessons.is_empty() {
            sink.at(
                src,
                Some(m.slug.span()),
                &format!("{mp}.lesson"),
                ErrorKind::Empty,
            );
        }
        let quiz = load_quiz(
            sink,
            files,
            prefix,
            src,
            &m.quiz,
            &format!("{mp}.quiz"),
            used,
        );
        modules.push(Module {
            slug,
            title: sink.text(src, &m.title, &format!("{mp}.title")),
            topics,
            lessons,
            quiz: quiz.unwrap_or_else(|| Quiz {
                file: String::new(),
                title: String::new(),
                pass_mark: 0,
                attempts: None,
                questions: Vec::new(),
            }),
        });
    }
    if raw.modules.is_empty() {
        sink.at(src, None, "module", ErrorKind::Empty);
    }
    let assets = files
        .iter()
        .filter(|(k, _)| k.starts_with(&format!("{prefix}assets/")))
        .map(|(k, v)| (k[prefix.len()..].to_owned(), v.clone()))
        .collect();
    Some(Course {
        slug: sink.slug(src, &raw.slug, "slug"),
        title: sink.text(src, &raw.title, "title"),
        summary: sink.text(src, &raw.summary, "summary"),
        audiences,
        level: sink
            .name(src, &raw.level, "level")
            .unwrap_or(Level::Introductory),
        estimated_minutes: *raw.estimated_minutes.get_ref(),
        version: sink.text(src, &raw.version, "version"),
        language: sink.text(src, &raw.language, "language"),
        modules,
        assets,
    })
}

fn load_quiz(
    sink: &mut Sink,
    files: &FileSet,
    prefix: &str,
    manifest: Src<'_>,
    path: &S<String>,
    field: &str,
    used: &mut BTreeSet<String>,
) -> Option<Quiz> {
    if !inner_path(sink, manifest, path, field, "quizzes/", ".toml") {
        return None;
    }
    let full = format!("{prefix}{}", path.get_ref());
    if !used.insert(full.clone()) {
        sink.at(
            manifest,
            Some(path.span()),
            field,
            ErrorKind::Duplicate(path.get_ref().clone()),
        );
        return None;
    }
    if !files.contains_key(&full) {
        sink.at(
            manifest,
            Some(path.span()),
            field,
            ErrorKind::MissingFile(full),
        );
        return None;
    }
    let src = Src {
        file: &full,
        text: text(sink, files, &full)?,
    };
    let raw: RawQuiz = sink.parse(src)?;
    let questions = questions(sink, src, &raw.questions, "question", false);
    if raw.questions.is_empty() {
        sink.at(src, None, "question", ErrorKind::Empty);
    }
    Some(Quiz {
        file: path.get_ref().clone(),
        title: sink.text(src, &raw.title, "title"),
        pass_mark: sink.percent(src, &raw.pass_mark, "pass_mark"),
        attempts: sink.attempts(src, raw.attempts.as_ref(), "attempts"),
        questions,
    })
}

/// Checks a list of questions (quiz) or items (bank, `with_topic`).
pub(super) fn questions(
    sink: &mut Sink,
    src: Src<'_>,
    raw: &[RawQuestion],
    name: &str,
    with_topic: bool,
) -> Vec<Question> {
    let mut ids = BTreeSet::new();
    let mut out = Vec::new();
    for (i, q) in raw.iter().enumerate() {
        let path = format!("{name}[{i}]");
        let question = check::question(sink, src, q, &path);
        if !ids.insert(question.id.clone()) {
            sink.at(
                src,
                Some(q.id.span()),
                &format!("{path}.id"),
                ErrorKind::Duplicate(question.id.clone()),
            );
        }
        match (&q.topic, with_topic) {
            (Some(t), false) => sink.at(
                src,
                Some(t.span()),
                &format!("{path}.topic"),
                ErrorKind::NotAllowed("quiz"),
            ),
            (None, true) => sink.at(
                src,
                Some(q.id.span()),
                &format!("{path}.topic"),
                ErrorKind::Missing,
            ),
            _ => {}
        }
        out.push(question);
    }
    out
}
