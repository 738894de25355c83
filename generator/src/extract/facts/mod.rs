//! Blocks → page facts: what one page says, before pages are merged.
//!
//! Blocks are read as a person reads the page: by the heading they sit under.
//! A table under `## Properties` holds properties, a code block under
//! `## HTTP request` holds request lines, a block under `### Response` after an
//! annotation or a status line is an example response. Prose sentences of the
//! page templates ("supply a JSON representation of the [x] object", "returns a
//! `201 Created` response code and a [x] object") are read for the request body
//! and response.

use std::ops::Range;

use super::annotation::{self, Annotation};
use super::http::{self, Header, Message};
use super::json::{self, Parsed};
use super::typeref::{self, TypeCell};
use super::urlpath::{self, DocPath};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::extract::blocks::{Block, CodeBlock, Inline, Table};
use crate::load::{DocType, FrontMatter};
use crate::source::{FileId, Span};

/// What one page says.
#[derive(Clone, Debug, Default)]
pub struct PageFacts {
    /// The page.
    pub file: FileId,
    /// Whether the page was read as plain text (no Markdown).
    pub plain_text: bool,
    /// Its front matter.
    pub front_matter: FrontMatter,
    /// The H1 text and range.
    pub title: Option<(String, Range<usize>)>,
    /// The `Namespace:` line.
    pub namespace: Option<String>,
    /// The first paragraph of prose after the title.
    pub summary: Option<String>,
    /// "Inherits from [x]".
    pub inherits: Option<Mention>,
    /// Property-like tables: Properties, Relationships, Request body, Parameters.
    pub property_tables: Vec<PropertyTable>,
    /// Enum member tables.
    pub enum_tables: Vec<EnumTable>,
    /// Rows of the Permissions table: (permission type, permissions).
    pub permissions: Vec<(String, String)>,
    /// Rows of the Request headers table.
    pub request_headers: Vec<HeaderRow>,
    /// Request lines of the HTTP request section.
    pub request_lines: Vec<RequestLine>,
    /// OData query options the page says the method supports (`$select`…).
    pub query_options: Vec<String>,
    /// Whether the page says the method supports "the OData query parameters"
    /// without naming them.
    pub generic_query_support: bool,
    /// What the Request body section says.
    pub request_body: RequestBodyFacts,
    /// What the Response section says.
    pub response: Option<ResponseFacts>,
    /// Example requests and responses, in page order.
    pub examples: Vec<Example>,
    /// JSON representation blocks of resource pages.
    pub resources: Vec<ResourceBlock>,
    /// Whether the page has a Methods table (a sign of an entity).
    pub has_methods_table: bool,
    /// Whether the page has a Relationships heading.
    pub has_relationships: bool,
    /// What the page documents: its doc_type, or what its content shows when
    /// the two disagree (reported) or doc_type is missing.
    pub kind: Option<DocType>,
}

/// A type named in prose or a cell: by link or by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The name as written (link text, or the word).
    pub name: String,
    /// The link destination, if it was a link.
    pub link: Option<String>,
    /// Where.
    pub span: Range<usize>,
}

/// The role of a property-like table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableRole {
    /// `## Properties`.
    Properties,
    /// `## Relationships`: navigation properties.
    Relationships,
    /// `## Request body`.
    RequestBody,
    /// `## Parameters`, `## Function parameters`, `## Query parameters`, `## Path parameters`.
    Parameters,
}

/// A property-like table.
#[derive(Clone, Debug)]
pub struct PropertyTable {
    /// What it holds.
    pub role: TableRole,
    /// The heading it sits under.
    pub heading: String,
    /// Its rows.
    pub rows: Vec<PropertyRow>,
    /// Range of the table.
    pub span: Range<usize>,
}

/// One row of a property-like table.
#[derive(Clone, Debug)]
pub struct PropertyRow {
    /// The name cell, cleaned (`**id**` → `id`).
    pub name: String,
    /// The type, or the fallback when the cell could not be read (already diagnosed).
    pub ty: TypeCell,
    /// Whether the type cell was read as written.
    pub ty_exact: bool,
    /// The description cell.
    pub description: Inline,
    /// Enum members listed in the description ("Possible values are: …").
    pub possible_values: Vec<String>,
    /// Whether the row says the value is required (a Required column or "Required." text).
    pub required: Option<bool>,
    /// Range of the row.
    pub span: Range<usize>,
    /// Range of the type cell.
    pub ty_span: Range<usize>,
}

/// An enum member table.
#[derive(Clone, Debug)]
pub struct EnumTable {
    /// The enum's name when the heading gives it (`### x values`); else the page's.
    pub name: Option<String>,
    /// Members in order.
    pub members: Vec<EnumMemberRow>,
    /// Range of the table.
    pub span: Range<usize>,
}

/// A member row.
#[derive(Clone, Debug)]
pub struct EnumMemberRow {
    /// The member name.
    pub name: String,
    /// The Value cell, if any.
    pub value: Option<String>,
    /// The description.
    pub description: String,
    /// Range of the row.
    pub span: Range<usize>,
}

/// A request line of the HTTP request section.
#[derive(Clone, Debug)]
pub struct RequestLine {
    /// Method, upper case.
    pub method: String,
    /// Normalised path and query.
    pub path: DocPath,
    /// Range of the line in the page.
    pub span: Range<usize>,
}

/// A row of the Request headers table.
#[derive(Clone, Debug)]
pub struct HeaderRow {
    /// The header's name (`Prefer`), as written.
    pub name: String,
    /// A value the name cell gives after the name (`Prefer: outlook.timezone`).
    pub value: Option<String>,
    /// The other cells' text: the value or description (`eventual. This
    /// header and `$count` are required…`).
    pub description: String,
    /// Range of the row.
    pub span: Range<usize>,
}

/// The Request body section.
#[derive(Clone, Debug, Default)]
pub struct RequestBodyFacts {
    /// "Supply a JSON representation of the [x] object."
    pub mention: Option<Mention>,
    /// "Do not supply a request body."
    pub none: bool,
    /// The section's range (heading), when present.
    pub span: Option<Range<usize>>,
}

/// The Response section's prose.
#[derive(Clone, Debug)]
pub struct ResponseFacts {
    /// The success status it states.
    pub status: Option<u16>,
    /// The type it names.
    pub mention: Option<Mention>,
    /// Whether it says "collection of".
    pub collection: bool,
    /// Range of the sentence.
    pub span: Range<usize>,
}

/// Whether an example is a request or a response.
#[derive(Clone, Debug)]
pub enum ExampleKind {
    /// An example request.
    Request {
        /// Method.
        method: String,
        /// Normalised target.
        path: DocPath,
        /// Range of the request line in the page.
        line: Range<usize>,
    },
    /// An example response.
    Response {
        /// Status, when the block has a status line.
        status: Option<u16>,
        /// Range of the status line (or the block).
        line: Range<usize>,
    },
}

/// An example block.
#[derive(Clone, Debug)]
pub struct Example {
    /// Request or response.
    pub kind: ExampleKind,
    /// The annotation above it.
    pub annotation: Option<Annotation>,
    /// Headers.
    pub headers: Vec<Header>,
    /// The body.
    pub body: Option<ExampleBody>,
    /// Range of the block.
    pub span: Range<usize>,
}

/// An example body.
#[derive(Clone, Debug)]
pub struct ExampleBody {
    /// The raw text.
    pub raw: std::sync::Arc<str>,
    /// The JSON, when the body is JSON and could be read (leniently).
    pub json: Option<std::sync::Arc<Parsed>>,
    /// Why the body could not be read as JSON, when it looked like JSON.
    pub json_error: Option<String>,
    /// Where the body's text lies in the page: (body offset, page offset) pieces.
    pieces: Vec<(usize, usize)>,
}

impl ExampleBody {
    /// Page range of a range in the body text.
    pub fn page_range(&self, range: Range<usize>) -> Range<usize> {
        let fallback = self.pieces.first().map_or(0, |p| p.1);
        let start = crate::extract::blocks::map_offset(&self.pieces, fallback, range.start);
        let end = crate::extract::blocks::map_offset(&self.pieces, fallback, range.end).max(start);
        start..end
    }

    /// The (body offset, page offset) pieces, for [`page_range`](Self::page_range) later.
    pub fn pieces(&self) -> &[(usize, usize)] {
        &self.pieces
    }
}

/// A JSON representation block of a resource page.
#[derive(Clone, Debug)]
pub struct ResourceBlock {
    /// The annotation (blockType resource).
    pub annotation: Annotation,
    /// The JSON, when readable.
    pub json: Option<Parsed>,
    /// Range of the block.
    pub span: Range<usize>,
}

/// What a heading makes of the blocks under it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Properties,
    Relationships,
    RequestBody,
    RequestHeaders,
    Permissions,
    Methods,
    Members,
    Parameters,
    QueryOptions,
    HttpRequest,
    Response,
    Examples,
    Json,
    Other,
}

fn section_of(heading: &str) -> Section {
    let h = heading.trim().trim_end_matches(':').to_ascii_lowercase();
    let h = h.as_str();
    if h.starts_with("relationship") {
        Section::Relationships
    } else if h.contains("properties") && !h.contains("request") {
        Section::Properties
    } else if h.starts_with("request body") {
        Section::RequestBody
    } else if h.contains("header") {
        Section::RequestHeaders
    } else if h.starts_with("permission") || h == "prerequisites" {
        Section::Permissions
    } else if h == "methods" {
        Section::Methods
    } else if h == "members"
        || h.ends_with(" values")
        || h.ends_with(" enum")
        || h.contains("enumeration")
    {
        Section::Members
    } else if h.contains("query parameters") && h.contains("optional") {
        Section::QueryOptions
    } else if h.contains("parameters") {
        Section::Parameters
    } else if h.starts_with("http request") {
        Section::HttpRequest
    } else if h == "response" || h == "responses" {
        Section::Response
    } else if h.starts_with("example") || h == "request" {
        Section::Examples
    } else if h.starts_with("json representation") {
        Section::Json
    } else {
        Section::Other
    }
}

/// Reads blocks into facts, reporting defects.
pub fn read(
    file: FileId,
    front_matter: FrontMatter,
    plain_text: bool,
    blocks: &[Block],
    diags: &mut Diagnostics,
) -> PageFacts {
    let mut reader = Reader {
        file,
        diags,
        facts: PageFacts {
            file,
            plain_text,
            front_matter,
            ..PageFacts::default()
        },
        h2: Section::Other,
        nearest: Section::Other,
        nearest_heading: String::new(),
        pending_annotation: None,
        seen_h2: false,
        section_blocks: 0,
    };
    for block in blocks {
        reader.block(block);
    }
    reader.finish()
}

struct Reader<'a> {
    file: FileId,
    diags: &'a mut Diagnostics,
    facts: PageFacts,
    /// The section of the nearest level-2 heading.
    h2: Section,
    /// The section of the nearest heading of any level below the title.
    nearest: Section,
    nearest_heading: String,
    pending_annotation: Option<Annotation>,
    seen_h2: bool,
    /// Blocks read since the last heading.
    section_blocks: usize,
}

impl Reader<'_> {
    fn span(&self, range: Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { level, inline } => {
                self.heading(*level, inline);
                self.section_blocks = 0;
                return;
            }
            Block::Paragraph(inline) => self.paragraph(inline),
            Block::Table(table) => self.table(table),
            Block::Code(code) => {
                let annotation = self.pending_annotation.take();
                self.code(code, annotation);
            }
            Block::Comment {
                body,
                body_start,
                span,
            } => {
                if let Some(a) =
                    annotation::read(body, *body_start, span.clone(), self.file, self.diags)
                {
                    self.pending_annotation = Some(a);
                }
                return;
            }
        }
        self.section_blocks += 1;
    }

    fn heading(&mut self, level: u8, inline: &Inline) {
        let text = inline.trimmed();
        if level == 1 && self.facts.title.is_none() {
            self.facts.title = Some((text.to_owned(), inline.span.clone()));
            return;
        }
        let section = section_of(text);
        if level <= 2 {
            self.h2 = section;
            self.seen_h2 = true;
        }
        // Sub-headings under an example section ("### Request") stay examples;
        // "### x values" under Properties is an enum table.
        self.nearest = match (self.h2, section) {
            (Section::Examples, Section::Response | Section::Other) => Section::Examples,
            (_, Section::Other) if level > 2 => self.h2,
            (_, s) => s,
        };
        self.nearest_heading = text.to_owned();
        match section {
            Section::RequestBody => self.facts.request_body.span = Some(inline.span.clone()),
            Section::Relationships => self.facts.has_relationships = true,
            _ => {}
        }
    }

    fn finish(mut self) -> PageFacts {
        self.facts.kind = self.kind();
        self.facts
    }

    /// The page's kind, read from its content as well as its front matter.
    fn kind(&mut self) -> Option<DocType> {
        let facts = &self.facts;
        let title = facts
            .title
            .as_ref()
            .map(|t| t.0.to_ascii_lowercase())
            .unwrap_or_default();
        let requests = !facts.request_lines.is_empty();
        let properties = facts
            .property_tables
            .iter()
            .any(|t| t.role == TableRole::Properties);
        let resource = !facts.resources.is_empty() || (properties && title.ends_with(" type"));
        let enumeration = title.ends_with("enum type")
            || (!facts.enum_tables.is_empty()
                && !properties
                && !requests
                && facts.resources.is_empty());
        let shown = if requests && !resource {
            Some(DocType::Api)
        } else if enumeration && !requests {
            Some(DocType::Enum)
        } else if resource && !requests {
            Some(DocType::Resource)
        } else {
            None
        };
        let stated = facts.front_matter.doc_type.clone();
        match (stated, shown) {
            (Some(DocType::Conceptual), _) | (None, None) => facts.front_matter.doc_type.clone(),
            (Some(stated), Some(shown)) if stated != shown => {
                let at = facts.title.as_ref().map_or(0..0, |t| t.1.clone());
                let message = format!(
                    "doc_type says {}, but the page documents {}",
                    doc_type_words(&stated),
                    doc_type_words(&shown)
                );
                self.diags.push(
                    Diagnostic::new(Code::DocTypeMismatch, self.span(at), message)
                        .with_note(format!("docgen read it as {}", doc_type_words(&shown))),
                );
                Some(shown)
            }
            (Some(stated), _) => Some(stated),
            (None, shown) => shown,
        }
    }
}

fn doc_type_words(doc_type: &DocType) -> &'static str {
    match doc_type {
        DocType::Api => "an operation (apiPageType)",
        DocType::Resource => "a resource type (resourcePageType)",
        DocType::Enum => "an enum type (enumPageType)",
        DocType::Conceptual => "a concept (conceptualPageType)",
    }
}

mod code;
mod prose;
mod tables;

#[cfg(test)]
mod tests {
    use super::prose::*;
    use super::tables::*;
    use super::*;

    fn inline(text: &str) -> Inline {
        Inline::plain(text, 0..text.len())
    }

    #[test]
    fn possible_values_from_code_spans_or_plain_words() {
        let mut cell = inline("Status. Possible values are: a, bC, d.");
        assert_eq!(possible_values(&cell), ["a", "bC", "d"]);
        cell.codes = vec![(30, "x".into()), (33, "y".into())];
        assert_eq!(possible_values(&cell), ["x", "y"]);
        assert!(
            possible_values(&inline(
                "Possible values are: one of the documented states."
            ))
            .is_empty()
        );
    }

    #[test]
    fn status_codes_stand_alone() {
        let t = "If successful, this method returns a `201 Created` response code";
        assert_eq!(status_code(t).map(|i| &t[i..i + 3]), Some("201"));
        assert_eq!(status_code("version 1.0.2001"), None);
    }

    #[test]
    fn plain_text_mentions() {
        let m = word_mention(
            &inline("supply a JSON representation for the fooBar object."),
            0,
        )
        .expect("mention");
        assert_eq!(m.name, "fooBar");
        assert!(word_mention(&inline("returns a 204 No Content response code."), 0).is_none());
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("**id**"), "id");
        assert_eq!(clean_name("`displayName`"), "displayName");
        assert_eq!(clean_name("@odata.type"), "@odata.type");
        assert_eq!(clean_name("isEnabled (deprecated)"), "isEnabled");
    }
}
