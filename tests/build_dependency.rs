//! docgen as a build-dependency is the pipeline alone: a crate whose build.rs
//! calls `docgen::Config` (with `default-features = false`, as this
//! workspace's own build.rs does) compiles no HTTP server, async runtime,
//! argument parser, C allocator, thread pool or diagnostic renderer. `scripts/bench-build-dependency.sh`
//! measures what that costs against progenitor; this guards what it pulls in.

mod common;

use std::collections::BTreeSet;

fn tree(features: &[&str]) -> BTreeSet<String> {
    let mut cmd =
        std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(common::workspace())
        .args([
            "tree",
            "--locked",
            "--offline",
            "-p",
            "docgen",
            "-e",
            "normal,build",
        ])
        .args(["--prefix", "none", "--no-dedupe"])
        .args(features);
    common::run_ok(cmd, "cargo tree")
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_library_without_default_features_is_the_pipeline_alone() {
    let lean = tree(&["--no-default-features"]);
    for heavy in [
        "hyper",
        "tokio",
        "clap",
        "mimalloc",
        "libmimalloc-sys",
        "cc",
        "strsim",
        "rayon",
        "annotate-snippets",
        "rustix",
    ] {
        assert!(
            !lean.contains(heavy),
            "the pipeline pulls in {heavy}: {lean:?}"
        );
    }
    for needed in [
        "pulldown-cmark",
        "serde_norway",
        "syn",
        "prettyplease",
        "askama",
    ] {
        assert!(lean.contains(needed), "{needed} missing from {lean:?}");
    }
    // The binary keeps everything.
    let full = tree(&[]);
    for tool in ["hyper", "tokio", "clap", "mimalloc"] {
        assert!(full.contains(tool), "the binary lost {tool}");
    }
    println!(
        "build-dependency crates: {} (with the CLI: {})",
        lean.len(),
        full.len()
    );
}
