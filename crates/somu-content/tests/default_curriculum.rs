//! The shipped curriculum loads, is canonical, and meets the content rules.

use std::collections::BTreeSet;
use std::path::Path;

use somu_content::*;

fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

#[test]
fn default_curriculum_loads() {
    if let Err(e) = try_default_curriculum() {
        panic!("{e}");
    }
}

#[test]
fn every_lesson_has_substance_and_an_exercise() {
    let c = default_curriculum();
    let mut short = Vec::new();
    for course in &c.courses {
        for m in &course.modules {
            for l in &m.lessons {
                let n = words(&l.body);
                if n < 300 || !l.body.contains("## Exercise") {
                    short.push(format!("{}/{}: {n} words", course.slug, l.file));
                }
            }
        }
    }
    assert!(
        short.is_empty(),
        "lessons under 300 words or without an exercise: {short:#?}"
    );
}

#[test]
fn every_module_has_a_quiz_with_explained_answers() {
    let c = default_curriculum();
    for course in &c.courses {
        for m in &course.modules {
            assert!(!m.quiz.questions.is_empty(), "{}/{}", course.slug, m.slug);
            for q in &m.quiz.questions {
                for o in &q.options {
                    assert!(!o.explanation.trim().is_empty(), "{}/{}", course.slug, q.id);
                }
            }
        }
    }
}

#[test]
fn every_track_has_a_test_and_covers_the_ten_topics() {
    let c = default_curriculum();
    assert!(!c.tracks.is_empty());
    for t in &c.tracks {
        assert!(
            t.test_items.len() >= 4,
            "{} has too few test items",
            t.audience
        );
        // The pre/post test must measure every topic, so learning gain can be
        // reported per topic for every audience.
        let tested: BTreeSet<Topic> = t
            .test_items
            .iter()
            .filter_map(|id| c.item(id).map(|i| i.topic))
            .collect();
        let untested: Vec<_> = Topic::CORE.iter().filter(|t| !tested.contains(t)).collect();
        assert!(
            untested.is_empty(),
            "{} test misses topics {untested:?}",
            t.audience
        );
        let covered: BTreeSet<Topic> = t
            .courses
            .iter()
            .filter_map(|s| c.course(s))
            .flat_map(|c| c.modules.iter().flat_map(|m| m.topics.iter().copied()))
            .collect();
        let missing: Vec<_> = Topic::CORE
            .iter()
            .filter(|t| !covered.contains(t))
            .collect();
        assert!(
            missing.is_empty(),
            "{} track misses topics {missing:?}",
            t.audience
        );
    }
}

#[test]
fn every_audience_has_a_track() {
    let c = default_curriculum();
    for a in Audience::ALL {
        let track = c.track(a).unwrap_or_else(|| panic!("no track for {a}"));
        // Every listed id resolves, so the test has exactly as many items.
        assert_eq!(c.test_for(a).len(), track.test_items.len());
    }
}

#[test]
fn the_files_in_the_repository_are_canonical() {
    // Import → export must give back the committed bytes, so the repository
    // copy never drifts from what Somu would write.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/default-curriculum");
    let package = load_dir(&dir).expect("loads from the folder");
    let exported = export_files(&package).expect("exports");
    for (path, bytes) in &exported {
        let on_disk = std::fs::read(dir.join(path)).expect("exported file exists on disk");
        assert!(
            on_disk == *bytes,
            "{path} is not canonical; run the canonicalize example"
        );
    }
}

#[test]
fn placeholders_render_safely() {
    let c = default_curriculum();
    let lesson = &c.courses[0].modules[0].lessons[0];
    let mut values = std::collections::BTreeMap::new();
    values.insert("name".to_owned(), "Tallowbay <Energy>".to_owned());
    let html = render_markdown(&fill_placeholders(&lesson.body, &values));
    assert!(html.contains("Tallowbay &lt;Energy&gt;"));
}
