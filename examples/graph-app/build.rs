//! Generates the app's SDK from the pages in `docs/` (ours, written for this
//! walkthrough), as any app would from its folder of Graph pages.

fn main() {
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    if let Err(e) = docgen::Config::new().docs(docs).compile() {
        eprintln!("docgen: {e}");
        std::process::exit(1);
    }
}
