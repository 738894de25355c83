//! A Graph app in Rust, on the SDK that build.rs generates from `docs/`.
//! See "A Graph app in Rust" in the README; CI runs it against `docgen mock`.

mod sdk;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    ExitCode::SUCCESS
}
