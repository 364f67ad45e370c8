//! Rewrites a course package or curriculum folder in canonical form, so
//! that exporting it again gives byte-identical files.
//!
//! `cargo run -p somu-content --example canonicalize -- <folder>`

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: canonicalize <package folder>");
        return ExitCode::FAILURE;
    };
    let package = match somu_content::load_dir(&dir) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match somu_content::export_dir(&package, &dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
