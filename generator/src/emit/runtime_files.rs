//! The runtime's source, for standalone crates that inline it as `src/runtime/`.

use super::{GENERATED_HEADER, GeneratedFile};

/// The runtime's source files: (file name, contents). `lib.rs` becomes `mod.rs`.
const SOURCES: &[(&str, &str)] = &[
    (
        "azure_credential.rs",
        include_str!("../../../runtime/src/azure_credential.rs"),
    ),
    ("batch.rs", include_str!("../../../runtime/src/batch.rs")),
    (
        "batch_response.rs",
        include_str!("../../../runtime/src/batch_response.rs"),
    ),
    (
        "batch_send.rs",
        include_str!("../../../runtime/src/batch_send.rs"),
    ),
    (
        "batch_wire.rs",
        include_str!("../../../runtime/src/batch_wire.rs"),
    ),
    ("bearer.rs", include_str!("../../../runtime/src/bearer.rs")),
    ("client.rs", include_str!("../../../runtime/src/client.rs")),
    (
        "client_credentials.rs",
        include_str!("../../../runtime/src/client_credentials.rs"),
    ),
    ("cloud.rs", include_str!("../../../runtime/src/cloud.rs")),
    (
        "collection.rs",
        include_str!("../../../runtime/src/collection.rs"),
    ),
    (
        "content.rs",
        include_str!("../../../runtime/src/content.rs"),
    ),
    (
        "device_code.rs",
        include_str!("../../../runtime/src/device_code.rs"),
    ),
    (
        "duration.rs",
        include_str!("../../../runtime/src/duration.rs"),
    ),
    ("error.rs", include_str!("../../../runtime/src/error.rs")),
    (
        "instant_text.rs",
        include_str!("../../../runtime/src/instant_text.rs"),
    ),
    (
        "json_body.rs",
        include_str!("../../../runtime/src/json_body.rs"),
    ),
    ("lib.rs", include_str!("../../../runtime/src/lib.rs")),
    (
        "members.rs",
        include_str!("../../../runtime/src/members.rs"),
    ),
    ("node.rs", include_str!("../../../runtime/src/node.rs")),
    (
        "null_members.rs",
        include_str!("../../../runtime/src/null_members.rs"),
    ),
    (
        "numbers.rs",
        include_str!("../../../runtime/src/numbers.rs"),
    ),
    (
        "oauth_http.rs",
        include_str!("../../../runtime/src/oauth_http.rs"),
    ),
    (
        "operation.rs",
        include_str!("../../../runtime/src/operation.rs"),
    ),
    (
        "operation_error.rs",
        include_str!("../../../runtime/src/operation_error.rs"),
    ),
    (
        "operation_status.rs",
        include_str!("../../../runtime/src/operation_status.rs"),
    ),
    ("paging.rs", include_str!("../../../runtime/src/paging.rs")),
    ("path.rs", include_str!("../../../runtime/src/path.rs")),
    (
        "polymorphic.rs",
        include_str!("../../../runtime/src/polymorphic.rs"),
    ),
    (
        "property.rs",
        include_str!("../../../runtime/src/property.rs"),
    ),
    (
        "raw_body.rs",
        include_str!("../../../runtime/src/raw_body.rs"),
    ),
    (
        "request.rs",
        include_str!("../../../runtime/src/request.rs"),
    ),
    (
        "request_headers.rs",
        include_str!("../../../runtime/src/request_headers.rs"),
    ),
    ("retry.rs", include_str!("../../../runtime/src/retry.rs")),
    (
        "serde_helpers.rs",
        include_str!("../../../runtime/src/serde_helpers.rs"),
    ),
    ("token.rs", include_str!("../../../runtime/src/token.rs")),
    (
        "token_cache.rs",
        include_str!("../../../runtime/src/token_cache.rs"),
    ),
    (
        "upload_error.rs",
        include_str!("../../../runtime/src/upload_error.rs"),
    ),
    (
        "upload_ranges.rs",
        include_str!("../../../runtime/src/upload_ranges.rs"),
    ),
    (
        "upload_session.rs",
        include_str!("../../../runtime/src/upload_session.rs"),
    ),
    (
        "upload_source.rs",
        include_str!("../../../runtime/src/upload_source.rs"),
    ),
    (
        "upload_task.rs",
        include_str!("../../../runtime/src/upload_task.rs"),
    ),
    (
        "www_authenticate.rs",
        include_str!("../../../runtime/src/www_authenticate.rs"),
    ),
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
    section("[dependencies]\n")
}

/// The `[features]` lines of the runtime's manifest (such as
/// `device-code = ["dep:oauth2"]`), comments included: a standalone crate
/// declares the same features, since the inlined runtime's `#[cfg]`s name
/// them and its optional dependencies need them.
pub fn features() -> &'static str {
    section("[features]\n")
}

/// The names of the runtime's features, which no area feature may take.
pub fn feature_names() -> Vec<&'static str> {
    features()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('=').map(|(name, _)| name.trim()))
        .collect()
}

/// The lines of a section of the runtime's manifest, up to the next one.
fn section(header: &str) -> &'static str {
    let Some(start) = MANIFEST.find(header) else {
        return "";
    };
    let body = &MANIFEST[start + header.len()..];
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
        assert!(!deps.contains("[features]"));
    }

    #[test]
    fn features_are_the_manifest_section() {
        let features = features();
        assert!(features.contains(r#"azure-identity = ["dep:azure_core"]"#));
        assert!(features.contains(r#"device-code = ["dep:oauth2"]"#));
        assert!(features.contains(r#"client-credentials = ["dep:oauth2"]"#));
        assert!(!features.contains("[dev-dependencies]"));
        assert_eq!(
            feature_names(),
            ["azure-identity", "device-code", "client-credentials"]
        );
        // An optional dependency is only reachable through a feature.
        for line in dependencies()
            .lines()
            .filter(|l| l.contains("optional = true"))
        {
            let name = line.split_whitespace().next().unwrap_or_default();
            assert!(
                features.contains(&format!("\"dep:{name}\"")),
                "no feature enables the optional dependency {name}"
            );
        }
    }
}
