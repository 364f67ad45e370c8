//! A curriculum: its manifest, courses, item bank and cross-references.

use std::collections::{BTreeMap, BTreeSet};

use super::course::{load_course, questions};
use super::{report_unreferenced, text};
use crate::check::{Sink, Src};
use crate::error::ErrorKind;
use crate::files::FileSet;
use crate::model::*;
use crate::raw::*;

pub(super) fn load_curriculum(sink: &mut Sink, files: &FileSet) -> Option<Curriculum> {
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
