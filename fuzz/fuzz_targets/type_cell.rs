//! Any text as a Properties table's type cell.
#![no_main]

use docgen::extract::blocks::Inline;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = docgen::extract::typeref::parse(&Inline::plain(text, 0..text.len()));
});
