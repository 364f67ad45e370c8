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
        let lessons: usize = c
            .courses
            .iter()
            .map(|c| c.modules.iter().map(|m| m.lessons.len()).sum::<usize>())
            .sum();
        println!(
            "{} courses, {lessons} lessons, zip {} bytes",
            c.courses.len(),
            zip.len()
        );
    }
    println!(
        "import (mean of {runs}): embedded {embedded:?}, folder {from_dir:?}, zip {from_zip:?}"
    );
    Ok(())
}
