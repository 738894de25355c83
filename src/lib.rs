//! The Microsoft Graph SDK that docgen generates from `docs-input/` at build time.
//!
//! `build.rs` runs docgen on the pages in `docs-input/`; the generated module tree
//! is included here. `generated/` in the repository holds a byte-identical copy,
//! so reviewers see generated code change in diffs (and CI checks it is current).
//!
//! ```no_run
//! # async fn example() -> Result<(), docgen_sdk::runtime::Error> {
//! let runtime = docgen_sdk::runtime::Client::builder()
//!     .bearer_token("…")
//!     .build()?;
//! let client = docgen_sdk::Client::new(runtime);
//! let status = client
//!     .device_management()
//!     .device_configurations()
//!     .by_id("configuration-id")
//!     .root_certificate()
//!     .user_statuses()
//!     .by_id("status-id")
//!     .get()
//!     .select(["userDisplayName", "status"])
//!     .await?;
//! println!("{:?}", status.user_display_name);
//! # Ok(())
//! # }
//! ```

include!(concat!(env!("OUT_DIR"), "/docgen/mod.rs"));
