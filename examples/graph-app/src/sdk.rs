//! The SDK that build.rs generates from `docs/`.
#![allow(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/docgen/mod.rs"));
