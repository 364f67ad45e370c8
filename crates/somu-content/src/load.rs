//! From a [`FileSet`] to a validated [`Package`], collecting every problem.

use std::collections::{BTreeMap, BTreeSet};

use crate::check::{self, Sink, Src};
use crate::error::{ErrorKind, PackageErrors};
use crate::files::FileSet;
use crate::markdown::find_placeholders;
use crate::model::*;
use crate::raw::*;

/// Validates a set of files as a course package or a curriculum.
pub fn load_files(files: &FileSet) -> Result<Package, PackageErrors> {
    let mut sink = Sink::default();
    let package = if files.contains_key("curriculum.toml") {
        load_curriculum(&mut sink, files).map(Package::Curriculum)
    } else if files.contains_key("course.toml") {
        let mut used = BTreeSet::new();
        let course = load_course(&mut sink, files, "", None, &mut used);
        report_unreferenced(&mut sink, files, "", &used);
        course.map(Package::Course)
    } else {
        sink.file("", ErrorKind::NoManifest);
        None
    };
    match package {
        Some(p) if sink.errors.is_empty() => Ok(p),
        _ => {
            let mut errors = sink.errors;
            errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            Err(PackageErrors(errors))
        }
    }
}

fn text<'a>(sink: &mut Sink, files: &'a FileSet, path: &str) -> Option<&'a str> {
    let bytes = files.get(path)?;
    match std::str::from_utf8(bytes) {
        Ok(t) => Some(t),
        Err(_) => {
            sink.file(path, ErrorKind::NotUtf8);
            None
        }
    }
}

/// Root-level `.md` files are authors' notes (README, STATUS) and belong to
/// no manifest; everything else must be referenced or be an asset.
fn report_unreferenced(sink: &mut Sink, files: &FileSet, prefix: &str, used: &BTreeSet<String>) {
    for path in files.keys() {
        let Some(rel) = path.strip_prefix(prefix) else {
            continue;
        };
        let note = !rel.contains('/') && rel.ends_with(".md");
        if !used.contains(path) && !note && !rel.starts_with("assets/") {
            sink.file(path, ErrorKind::Unreferenced);
        }
    }
}

/// Checks that `rel` is a plain relative path under `dir/` with `ext`.
fn inner_path(
    sink: &mut Sink,
    src: Src<'_>,
    v: &S<String>,
    field: &str,
    dir: &'static str,
    ext: &str,
) -> bool {
    let p = v.get_ref();
    let ok = p.starts_with(dir)
        && p.ends_with(ext)
        && p.len() > dir.len() + ext.len()
        && !p
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        && !p.contains('\\');
    if !ok {
        sink.at(
            src,
            Some(v.span()),
            field,
            ErrorKind::BadPath(p.clone(), dir),
        );
    }
    ok
}

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
        questions,
    })
}

/// Checks a list of questions (quiz) or items (bank, `with_topic`).
fn questions(
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

fn load_curriculum(sink: &mut Sink, files: &FileSet) -> Option<Curriculum> {
    let mut used = BTreeSet::from(["curriculum.toml".to_owned()]);
    let src = Src {
        file: "curriculum.toml",
        text: text(sink, files, "curriculum.toml")?,
    };
    let raw: RawCurriculum = sink.parse(src)?;
    let mut placeholders = BTreeMap::new();
    for (k, v) in &raw.placeholders {
        let ok = !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            let kind = ErrorKind::Placeholder(k.clone(), "names use a-z, 0-9 and _");
            sink.at(src, Some(v.span()), &format!("placeholders.{k}"), kind);
        }
        placeholders.insert(k.clone(), sink.text(src, v, &format!("placeholders.{k}")));
    }

    let mut courses = Vec::new();
    let folders: BTreeSet<&str> = files
        .keys()
        .filter_map(|k| k.strip_prefix("courses/")?.split_once('/').map(|(d, _)| d))
        .collect();
    for dir in folders {
        let prefix = format!("courses/{dir}/");
        if !files.contains_key(&format!("{prefix}course.toml")) {
            sink.file(
                &format!("{prefix}course.toml"),
                ErrorKind::MissingFile(format!("{prefix}course.toml")),
            );
            continue;
        }
        let mut cused = BTreeSet::new();
        if let Some(c) = load_course(sink, files, &prefix, Some(&placeholders), &mut cused) {
            if c.slug != dir {
                sink.file(
                    &format!("{prefix}course.toml"),
                    ErrorKind::FolderSlug(dir.to_owned(), c.slug.clone()),
                );
            }
            courses.push(c);
        }
        report_unreferenced(sink, files, &prefix, &cused);
        used.extend(cused);
        used.extend(files.keys().filter(|k| k.starts_with(&prefix)).cloned());
    }

    let mut item_bank = Vec::new();
    let mut item_ids: BTreeMap<String, String> = BTreeMap::new();
    for path in files.keys().filter(|k| k.starts_with("item-bank/")) {
        if !path.ends_with(".toml") || path["item-bank/".len()..].contains('/') {
            continue;
        }
        used.insert(path.clone());
        let Some(t) = text(sink, files, path) else {
            continue;
        };
        let isrc = Src {
            file: path,
            text: t,
        };
        let Some(rawbank) = sink.parse::<RawItemBank>(isrc) else {
            continue;
        };
        let qs = questions(sink, isrc, &rawbank.items, "item", true);
        let mut items = Vec::new();
        for (i, (q, r)) in qs.into_iter().zip(&rawbank.items).enumerate() {
            if let Some(prev) = item_ids.insert(q.id.clone(), path.clone()) {
                if prev != *path {
                    sink.at(
                        isrc,
                        Some(r.id.span()),
                        &format!("item[{i}].id"),
                        ErrorKind::Duplicate(q.id.clone()),
                    );
                }
            }
            let topic = r
                .topic
                .as_ref()
                .and_then(|t| sink.name::<Topic>(isrc, t, &format!("item[{i}].topic")));
            items.push(Item {
                topic: topic.unwrap_or(Topic::BusinessCase),
                question: q,
            });
        }
        item_bank.push(ItemBankFile {
            file: path.clone(),
            items,
        });
    }
    report_unreferenced(sink, files, "", &used);

    let known_courses: BTreeSet<&str> = courses.iter().map(|c| c.slug.as_str()).collect();
    let refs = |sink: &mut Sink,
                list: &S<Vec<S<String>>>,
                field: &str,
                what: &'static str,
                known: &dyn Fn(&str) -> bool| {
        for (i, s) in list.get_ref().iter().enumerate() {
            if !known(s.get_ref()) {
                sink.at(
                    src,
                    Some(s.span()),
                    &format!("{field}[{i}]"),
                    ErrorKind::UnknownRef(what, s.get_ref().clone()),
                );
            }
        }
    };
    let is_course = |s: &str| known_courses.contains(s);
    let is_item = |s: &str| item_ids.contains_key(s);

    let mut tracks = Vec::new();
    let mut audiences_seen = BTreeSet::new();
    for (i, t) in raw.tracks.iter().enumerate() {
        let tp = format!("track[{i}]");
        let audience = sink.name::<Audience>(src, &t.audience, &format!("{tp}.audience"));
        if let Some(a) = audience {
            if !audiences_seen.insert(a) {
                sink.at(
                    src,
                    Some(t.audience.span()),
                    &format!("{tp}.audience"),
                    ErrorKind::Duplicate(a.to_string()),
                );
            }
        }
        refs(
            sink,
            &t.courses,
            &format!("{tp}.courses"),
            "course",
            &is_course,
        );
        refs(
            sink,
            &t.test_items,
            &format!("{tp}.test_items"),
            "item",
            &is_item,
        );
        for (list, name) in [(&t.courses, "courses"), (&t.test_items, "test_items")] {
            if list.get_ref().is_empty() {
                sink.at(
                    src,
                    Some(list.span()),
                    &format!("{tp}.{name}"),
                    ErrorKind::Empty,
                );
            }
        }
        tracks.push(Track {
            audience: audience.unwrap_or(Audience::Observer),
            title: sink.text(src, &t.title, &format!("{tp}.title")),
            summary: sink.text(src, &t.summary, &format!("{tp}.summary")),
            courses: sink.slug_list(src, &t.courses, &format!("{tp}.courses")),
            test_items: sink.slug_list(src, &t.test_items, &format!("{tp}.test_items")),
            pass_mark: sink.percent(src, &t.pass_mark, &format!("{tp}.pass_mark")),
        });
    }

    let mut certifications = Vec::new();
    let mut cert_slugs = BTreeSet::new();
    for (i, c) in raw.certifications.iter().enumerate() {
        let cp = format!("certification[{i}]");
        let slug = sink.slug(src, &c.slug, &format!("{cp}.slug"));
        if !cert_slugs.insert(slug.clone()) {
            sink.at(
                src,
                Some(c.slug.span()),
                &format!("{cp}.slug"),
                ErrorKind::Duplicate(slug.clone()),
            );
        }
        refs(
            sink,
            &c.courses,
            &format!("{cp}.courses"),
            "course",
            &is_course,
        );
        refs(
            sink,
            &c.exam_items,
            &format!("{cp}.exam_items"),
            "item",
            &is_item,
        );
        certifications.push(Certification {
            slug,
            title: sink.text(src, &c.title, &format!("{cp}.title")),
            summary: sink.text(src, &c.summary, &format!("{cp}.summary")),
            duration_weeks: *c.duration_weeks.get_ref(),
            courses: sink.slug_list(src, &c.courses, &format!("{cp}.courses")),
            exam_items: sink.slug_list(src, &c.exam_items, &format!("{cp}.exam_items")),
            exam_pass_mark: sink.percent(src, &c.exam_pass_mark, &format!("{cp}.exam_pass_mark")),
            capstone: sink.text(src, &c.capstone, &format!("{cp}.capstone")),
        });
    }

    Some(Curriculum {
        info: CurriculumInfo {
            slug: sink.slug(src, &raw.slug, "slug"),
            title: sink.text(src, &raw.title, "title"),
            summary: sink.text(src, &raw.summary, "summary"),
            version: sink.text(src, &raw.version, "version"),
            language: sink.text(src, &raw.language, "language"),
        },
        placeholders,
        tracks,
        certifications,
        courses,
        item_bank,
    })
}
