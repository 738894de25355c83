//! Generates the SDK from `docs-input/` at build time, with the same library
//! code path as the `docgen` CLI. Editing a page and running `cargo build` is
//! all it takes; `generated/` holds the committed copy of the same output.

fn main() {
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs-input");
    if let Err(e) = docgen::Config::new().docs(docs).compile() {
        // A build script reports through its exit status; there is no caller to return to.
        eprintln!("docgen: {e}");
        std::process::exit(1);
    }
}
