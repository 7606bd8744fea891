//! Where the reference pages are: `../shared/seeds` beside the clone (CI and the dev machine).

#![allow(dead_code)]

use std::path::PathBuf;

pub fn shared_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("HCDB_SHARED_DIR").map(PathBuf::from),
        Some(root.join("..").join("shared")),
        Some(root.join("shared")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("seeds").is_dir())
        .unwrap_or_else(|| panic!("cannot find shared/seeds beside {}", root.display()))
}

pub fn seed_dir() -> PathBuf {
    shared_dir().join("seeds")
}

pub fn seed_text(file: &str) -> String {
    std::fs::read_to_string(seed_dir().join(file))
        .unwrap_or_else(|e| panic!("cannot read seed {file}: {e}"))
}
