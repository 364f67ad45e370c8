//! Times importing the whole default curriculum (embedded, from a folder
//! and from a zip). A benchmark, not a test: it never fails on timing.
//!
//! `cargo run --release -p somu-content --example import_timing`

use std::time::Instant;

use somu_content::{export_dir, export_zip, load_dir, load_zip, try_default_curriculum, Package};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs = 20u32;
    let start = Instant::now();
    let mut curriculum = None;
    for _ in 0..runs {
        curriculum = Some(try_default_curriculum()?);
    }
    let embedded = start.elapsed() / runs;
    let package = Package::Curriculum(curriculum.ok_or("no run")?);

    let dir = std::env::temp_dir().join(format!("somu-content-timing-{}", std::process::id()));
    export_dir(&package, &dir)?;
    let start = Instant::now();
    for _ in 0..runs {
        load_dir(&dir)?;
    }
    let from_dir = start.elapsed() / runs;
    std::fs::remove_dir_all(&dir)?;

    let zip = export_zip(&package)?;
    let start = Instant::now();
    for _ in 0..runs {
        load_zip(&zip)?;
    }
    let from_zip = start.elapsed() / runs;

    if let Package::Curriculum(c) = &package {
        let (mut all_lessons, mut all_words) = (0, 0);
        for course in &c.courses {
            let lessons = course.modules.iter().flat_map(|m| &m.lessons);
            let (n, words) = lessons.fold((0, 0), |(n, w), l| {
                (n + 1, w + l.body.split_whitespace().count())
            });
            let questions: usize = course.modules.iter().map(|m| m.quiz.questions.len()).sum();
            println!(
                "{:32} {} modules, {n:2} lessons, {words:5} words, {questions:2} quiz questions",
                course.slug,
                course.modules.len()
            );
            all_lessons += n;
            all_words += words;
        }
        let items: usize = c.item_bank.iter().map(|f| f.items.len()).sum();
        println!(
            "total: {} courses, {all_lessons} lessons, {all_words} words; item bank {items} items; zip {} bytes",
            c.courses.len(),
            zip.len()
        );
    }
    println!(
        "import (mean of {runs}): embedded {embedded:?}, folder {from_dir:?}, zip {from_zip:?}"
    );
    Ok(())
}
