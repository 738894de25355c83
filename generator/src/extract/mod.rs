//! Extract: one page's text → its facts.
//!
//! A page is split into front matter and body, the body read into blocks (by
//! the Markdown reader, or the plain-text reader for pages copied from the web
//! site), and the blocks interpreted into [`PageFacts`]. Pages are independent
//! here, so this stage runs in parallel.

pub mod annotation;
pub mod blocks;
pub mod facts;
pub mod http;
pub mod json;
pub mod markdown;
pub mod plain;
pub mod typeref;
pub mod urlpath;

pub use facts::PageFacts;

use crate::diag::{Code, Diagnostics};
use crate::load::front_matter;
use crate::source::{FileId, SourceFile, Span};

/// Reads one page into facts.
pub fn page(file: FileId, source: &SourceFile, diags: &mut Diagnostics) -> PageFacts {
    let text = &source.text;
    let split = front_matter::split(text, file, diags);
    let body = split.body.clone();
    let plain = !split.front_matter.present && plain::looks_plain(&text[body.clone()]);
    let blocks = if plain {
        plain::read_blocks(text, body)
    } else {
        if !split.front_matter.present && !text.trim().is_empty() {
            diags.report(
                Code::FrontMatterMissing,
                Span::new(file, 0..0),
                "the page has no front matter; its type is guessed from its headings",
            );
        }
        markdown::read_blocks(text, body)
    };
    facts::read(file, split.front_matter, plain, &blocks, diags)
}
