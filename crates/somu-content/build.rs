//! Rebuild when the embedded default curriculum changes; `include_dir`
//! alone does not notice added or removed files.
fn main() {
    println!("cargo:rerun-if-changed=../../content/default-curriculum");
}
