//! Any text as a documented request path.
#![no_main]

use docgen::extract::urlpath;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let normalised = urlpath::normalise(text);
    for alternative in urlpath::expand_alternatives(&normalised.path) {
        let segments = urlpath::segments(&alternative);
        let _ = urlpath::params(&segments);
        let _ = urlpath::param_occurrences(&segments);
        let _ = urlpath::matches(&segments, &segments);
    }
});
