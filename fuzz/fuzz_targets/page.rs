//! Any bytes as a page: reading must not panic or hang, and whatever is read
//! must emit Rust that parses (an emit error is a docgen bug).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let docs = docgen::read_pages(&[("api/page.md", data)]);
    let emitted = docgen::emit::emit(&docs.ir, &docs.sources, &Default::default());
    if let Err(error) = emitted {
        panic!("{error}");
    }
});
