//! The block model both page readers produce.
//!
//! A page, Markdown or plain text, is read into a flat list of blocks in
//! document order: headings, paragraphs, tables, code blocks and HTML comments.
//! Everything keeps its byte range, so later stages can point at it. The
//! interpretation of blocks (which table holds properties, which code block is
//! an example) lives in `facts`, shared by both readers.

use std::ops::Range;

/// A link inside inline text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    /// The link's visible text.
    pub text: String,
    /// Its destination (empty for a reference link with no definition).
    pub dest: String,
}

/// Inline text: a heading, a paragraph or a table cell, flattened to plain text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inline {
    /// The visible text: links by their text, code spans without backticks,
    /// `<br>` as a newline, other HTML tags dropped.
    pub text: String,
    /// Links, in order.
    pub links: Vec<Link>,
    /// Code spans as (offset in `text`, content), in order.
    pub codes: Vec<(usize, String)>,
    /// Byte range in the page.
    pub span: Range<usize>,
}

impl Inline {
    /// Inline text with no links or code spans.
    pub fn plain(text: impl Into<String>, span: Range<usize>) -> Self {
        Inline {
            text: text.into(),
            links: Vec::new(),
            codes: Vec::new(),
            span,
        }
    }

    /// The trimmed text.
    pub fn trimmed(&self) -> &str {
        self.text.trim()
    }
}

/// A table row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// The cells, as many as the header (missing cells read as empty).
    pub cells: Vec<Inline>,
    /// How many cells the row really had in the source.
    pub source_cells: usize,
    /// Whether the source line starts with `|` (a line that does not, in a
    /// pipe table, is the rest of a row broken by a raw newline).
    pub leading_pipe: bool,
    /// Byte range of the row.
    pub span: Range<usize>,
}

/// A table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Header cells.
    pub header: Vec<Inline>,
    /// Body rows.
    pub rows: Vec<Row>,
    /// Byte range of the whole table.
    pub span: Range<usize>,
}

/// A fenced (or, in plain text, recognised) code block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeBlock {
    /// The fence's info string (`http`, `json`, `msgraph-interactive`), trimmed.
    pub info: String,
    /// The content.
    pub text: String,
    /// Pieces of `text` and where they start in the page: (offset in text, offset in page).
    pub pieces: Vec<(usize, usize)>,
    /// Byte range of the whole block, fences included.
    pub span: Range<usize>,
    /// Whether the fence was never closed (the block was cut where the page's
    /// Markdown resumes).
    pub unclosed: bool,
}

impl CodeBlock {
    /// Page offset of a byte offset into `text`.
    pub fn page_offset(&self, text_offset: usize) -> usize {
        map_offset(&self.pieces, self.span.start, text_offset)
    }

    /// The pieces of the part `range` of the text, with offsets relative to it.
    pub fn pieces_of(&self, range: Range<usize>) -> Vec<(usize, usize)> {
        let mut out = vec![(0, self.page_offset(range.start))];
        out.extend(
            self.pieces
                .iter()
                .filter(|(t, _)| *t > range.start && *t < range.end)
                .map(|(t, p)| (t - range.start, *p)),
        );
        out
    }

    /// Page range of a range in `text`.
    pub fn page_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.page_offset(range.start);
        let end = self.page_offset(range.end).max(start);
        start..end
    }
}

/// Maps an offset in a text made of `pieces` (text offset, page offset) to the page.
pub fn map_offset(pieces: &[(usize, usize)], fallback: usize, text_offset: usize) -> usize {
    let index = match pieces.binary_search_by(|(t, _)| t.cmp(&text_offset)) {
        Ok(i) => i,
        Err(0) => return fallback,
        Err(i) => i - 1,
    };
    let (text_start, page_start) = pieces[index];
    page_start + (text_offset - text_start)
}

/// One block of a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A heading (`#` to `######`, or a recognised line in plain text).
    Heading {
        /// 1 to 6.
        level: u8,
        /// The heading text.
        inline: Inline,
    },
    /// A paragraph (also paragraphs inside lists and block quotes).
    Paragraph(Inline),
    /// A table.
    Table(Table),
    /// A code block.
    Code(CodeBlock),
    /// An HTML comment: `body` is the text between `<!--` and `-->`.
    Comment {
        /// The comment's content.
        body: String,
        /// Page offset where `body` starts.
        body_start: usize,
        /// Byte range of the whole comment.
        span: Range<usize>,
    },
}

impl Block {
    /// Byte range of the block.
    pub fn span(&self) -> Range<usize> {
        match self {
            Block::Heading { inline, .. } | Block::Paragraph(inline) => inline.span.clone(),
            Block::Table(t) => t.span.clone(),
            Block::Code(c) => c.span.clone(),
            Block::Comment { span, .. } => span.clone(),
        }
    }
}
