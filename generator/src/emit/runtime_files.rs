//! The runtime's source, for standalone crates that inline it as `src/runtime/`.

use super::{GENERATED_HEADER, GeneratedFile};

/// The runtime's source files: (file name, contents). `lib.rs` becomes `mod.rs`.
const SOURCES: &[(&str, &str)] = &[
    ("client.rs", include_str!("../../../runtime/src/client.rs")),
    (
        "collection.rs",
        include_str!("../../../runtime/src/collection.rs"),
    ),
    (
        "content.rs",
        include_str!("../../../runtime/src/content.rs"),
    ),
    (
        "duration.rs",
        include_str!("../../../runtime/src/duration.rs"),
    ),
    ("error.rs", include_str!("../../../runtime/src/error.rs")),
    ("lib.rs", include_str!("../../../runtime/src/lib.rs")),
    ("node.rs", include_str!("../../../runtime/src/node.rs")),
    (
        "numbers.rs",
        include_str!("../../../runtime/src/numbers.rs"),
    ),
    ("paging.rs", include_str!("../../../runtime/src/paging.rs")),
    ("path.rs", include_str!("../../../runtime/src/path.rs")),
    (
        "polymorphic.rs",
        include_str!("../../../runtime/src/polymorphic.rs"),
    ),
    (
        "raw_body.rs",
        include_str!("../../../runtime/src/raw_body.rs"),
    ),
    (
        "request.rs",
        include_str!("../../../runtime/src/request.rs"),
    ),
    ("retry.rs", include_str!("../../../runtime/src/retry.rs")),
    (
        "serde_helpers.rs",
        include_str!("../../../runtime/src/serde_helpers.rs"),
    ),
    ("token.rs", include_str!("../../../runtime/src/token.rs")),
];

const MANIFEST: &str = include_str!("../../../runtime/Cargo.toml");

/// The runtime as files under `src/runtime/`.
pub fn inline() -> Vec<GeneratedFile> {
    SOURCES
        .iter()
        .map(|(name, contents)| GeneratedFile {
            path: format!(
                "src/runtime/{}",
                if *name == "lib.rs" { "mod.rs" } else { name }
            ),
            contents: format!(
                "{GENERATED_HEADER}\n// Copied from docgen's runtime crate.\n\n{contents}"
            ),
        })
        .collect()
}

/// The `[dependencies]` lines of the runtime's manifest.
pub fn dependencies() -> &'static str {
    let Some(start) = MANIFEST.find("[dependencies]\n") else {
        return "";
    };
    let body = &MANIFEST[start + "[dependencies]\n".len()..];
    let end = body.find("\n[").map_or(body.len(), |i| i + 1);
    body[..end].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_runtime_source_file_is_inlined() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("runtime/src")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = SOURCES.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, listed, "update SOURCES when runtime/src changes");
    }

    #[test]
    fn runtime_sources_never_use_crate_paths() {
        for (name, contents) in SOURCES {
            assert!(
                !contents.contains("crate::"),
                "{name} uses crate:: and cannot be inlined"
            );
        }
    }

    #[test]
    fn dependencies_are_the_manifest_section() {
        let deps = dependencies();
        assert!(deps.contains("reqwest"));
        assert!(!deps.contains("[dev-dependencies]"));
        assert!(!deps.contains("wiremock"));
    }
}
