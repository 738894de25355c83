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
use super::blocks::{Block, CodeBlock, Inline, Table};
use super::http::{self, Header, Message};
use super::json::{self, Parsed};
use super::typeref::{self, TypeCell};
use super::urlpath::{self, DocPath};
use crate::diag::{Code, Diagnostic, Diagnostics};
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
        let start = super::blocks::map_offset(&self.pieces, fallback, range.start);
        let end = super::blocks::map_offset(&self.pieces, fallback, range.end).max(start);
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

    fn paragraph(&mut self, inline: &Inline) {
        let text = inline.trimmed();
        if let Some(ns) = text.strip_prefix("Namespace:") {
            if self.facts.namespace.is_none() {
                self.facts.namespace = ns.split_whitespace().next().map(str::to_owned);
            }
            return;
        }
        if self.facts.inherits.is_none()
            && let Some(at) = text.find("Inherits from")
        {
            self.facts.inherits = mention_after(inline, at + "Inherits from".len());
        }
        if !self.seen_h2 {
            if self.facts.summary.is_none() && is_summary(text) {
                self.facts.summary = Some(text.to_owned());
            }
            return;
        }
        match self.nearest {
            Section::RequestBody => self.request_body_prose(inline),
            Section::Response => self.response_prose(inline),
            Section::QueryOptions => self.query_prose(inline),
            _ => {}
        }
    }

    fn request_body_prose(&mut self, inline: &Inline) {
        let lower = inline.text.to_ascii_lowercase();
        if lower.contains("do not supply") || lower.contains("don't supply") {
            self.facts.request_body.none = true;
        }
        if self.facts.request_body.mention.is_none() {
            if let Some(at) = lower.find("json representation") {
                let after = at + "json representation".len();
                self.facts.request_body.mention = mention_after(inline, after);
            } else if self.section_blocks == 0 && inline.text.len() < 60 {
                // A terse section: "A [teamsTab](../resources/teamstab.md)."
                self.facts.request_body.mention =
                    mention_after(inline, 0).filter(|m| m.link.is_some());
            }
        }
    }

    /// Reads the Response section paragraph by paragraph: the first status
    /// code, and the first type named after it ("… and a [user](user.md)
    /// object", "… returns a [list][] in the response body").
    fn response_prose(&mut self, inline: &Inline) {
        let response = self.facts.response.get_or_insert_with(|| ResponseFacts {
            status: None,
            mention: None,
            collection: false,
            span: inline.span.clone(),
        });
        if response.mention.is_some() {
            return;
        }
        let text = &inline.text;
        let mut after = 0;
        if response.status.is_none()
            && let Some(at) = status_code(text)
        {
            response.status = text[at..at + 3].parse().ok();
            response.span = inline.span.clone();
            after = at + 3;
        }
        // Links to error pages or concepts are not types.
        let mention = inline
            .links
            .iter()
            .filter(|l| is_type_link(l))
            .find(|l| link_offset(inline, l).is_some_and(|o| o >= after))
            .map(|l| Mention {
                name: l.text.trim().to_owned(),
                link: (!l.dest.is_empty()).then(|| l.dest.clone()),
                span: inline.span.clone(),
            })
            .or_else(|| word_mention(inline, after));
        if mention.is_some() {
            response.collection = text[after..].to_ascii_lowercase().contains("collection");
            response.mention = mention;
        }
    }

    fn query_prose(&mut self, inline: &Inline) {
        let lower = inline.text.to_ascii_lowercase();
        if lower.contains("query parameters") && lower.contains("support") {
            self.facts.generic_query_support = !(lower.contains("does not support")
                || lower.contains("doesn't support")
                || lower.contains("not supported"));
        }
        for word in inline
            .text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '$'))
        {
            if word.len() > 1
                && word.starts_with('$')
                && word[1..].chars().all(|c| c.is_ascii_alphabetic())
            {
                let option = word.to_ascii_lowercase();
                if !self.facts.query_options.contains(&option) {
                    self.facts.query_options.push(option);
                }
            }
        }
    }

    fn table(&mut self, table: &Table) {
        self.pending_annotation = None;
        let headers: Vec<String> = table
            .header
            .iter()
            .map(|h| h.trimmed().to_ascii_lowercase())
            .collect();
        let first = headers.first().map(String::as_str).unwrap_or("");
        let joined = join_continuations(table, headers.len());
        for line in joined.iter().flat_map(|(_, breaks)| breaks.iter().cloned()) {
            self.diags.push(
                Diagnostic::new(
                    Code::TableRowCells,
                    self.span(line),
                    "this line continues the row above: a raw line break splits the row",
                )
                .with_note("it was read as the rest of the row's last cell; use `<br>` for a line break in a cell"),
            );
        }
        let rebuilt;
        let table = match joined {
            Some((rows, _)) => {
                rebuilt = Table {
                    header: table.header.clone(),
                    rows,
                    span: table.span.clone(),
                };
                &rebuilt
            }
            None => table,
        };
        for row in &table.rows {
            if row.source_cells != headers.len() && row.source_cells > 0 {
                let message = format!(
                    "this row has {} cells but the table header has {}",
                    row.source_cells,
                    headers.len()
                );
                let hint = if row.source_cells > headers.len() {
                    "an unescaped `|` inside a cell splits it: write `\\|`; the extra cells were read as part of the last one"
                } else {
                    "missing cells were read as empty"
                };
                self.diags.push(
                    Diagnostic::new(Code::TableRowCells, self.span(row.span.clone()), message)
                        .with_note(hint),
                );
            }
        }
        // The heading decides first: a Properties table with a Methods-style
        // header is still a Properties table.
        let property_section = matches!(
            self.nearest,
            Section::Properties
                | Section::Relationships
                | Section::RequestBody
                | Section::Parameters
                | Section::QueryOptions
        );
        if !property_section
            && (first.starts_with("permission") || self.nearest == Section::Permissions)
        {
            for row in &table.rows {
                if let [kind, perms, ..] = row.cells.as_slice() {
                    self.facts
                        .permissions
                        .push((kind.trimmed().to_owned(), perms.trimmed().to_owned()));
                }
            }
            return;
        }
        if !property_section && (first == "method" || self.nearest == Section::Methods) {
            self.facts.has_methods_table = true;
            return;
        }
        if self.nearest == Section::RequestHeaders || first == "header" {
            return;
        }
        let member_table = first == "member"
            || (self.nearest == Section::Members
                && (first == "value" || first == "name" || first == "member name"));
        if member_table {
            self.enum_table(table, &headers);
            return;
        }
        let Some(type_col) = headers
            .iter()
            .position(|h| h == "type" || h == "return type")
        else {
            return;
        };
        let role = match self.nearest {
            Section::Relationships => TableRole::Relationships,
            Section::RequestBody => TableRole::RequestBody,
            Section::Parameters | Section::QueryOptions => TableRole::Parameters,
            Section::Properties => TableRole::Properties,
            _ if first.starts_with("relationship") => TableRole::Relationships,
            _ if first.starts_with("parameter") => TableRole::Parameters,
            _ if first.starts_with("propert") || first == "name" => TableRole::Properties,
            _ => return,
        };
        let description_col = headers
            .iter()
            .position(|h| h.contains("description"))
            .unwrap_or(headers.len().saturating_sub(1));
        let required_col = headers.iter().position(|h| h.starts_with("required"));
        let rows = table
            .rows
            .iter()
            .filter_map(|row| self.property_row(row, type_col, description_col, required_col))
            .collect();
        self.facts.property_tables.push(PropertyTable {
            role,
            heading: self.nearest_heading.clone(),
            rows,
            span: table.span.clone(),
        });
    }

    /// A row whose name cell is not empty but holds no usable name.
    fn unusable_name(&mut self, row: &super::blocks::Row, cell: &str) {
        if cell.trim().is_empty() {
            return;
        }
        let shown: String = cell.chars().take(60).collect();
        self.diags.push(Diagnostic::new(
            Code::NameUnusable,
            self.span(row.span.clone()),
            format!(
                "`{}` is not a name; the row was skipped",
                shown.replace('`', "'")
            ),
        ));
    }

    fn property_row(
        &mut self,
        row: &super::blocks::Row,
        type_col: usize,
        description_col: usize,
        required_col: Option<usize>,
    ) -> Option<PropertyRow> {
        let name_cell = row.cells.first()?;
        let name = clean_name(name_cell.trimmed());
        if name.is_empty() {
            self.unusable_name(row, name_cell.trimmed());
            return None;
        }
        let empty = Inline::default();
        let ty_cell = row.cells.get(type_col).unwrap_or(&empty);
        let ty_span = if ty_cell.span.is_empty() {
            row.span.clone()
        } else {
            ty_cell.span.clone()
        };
        let (ty, ty_exact) = match typeref::parse(ty_cell) {
            Ok(t) => (t, true),
            Err(unparsed) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::TypeCellUnparsed,
                        self.span(ty_span.clone()),
                        format!("type of `{name}`: {}", unparsed.reason),
                    )
                    .with_note("docgen used untyped JSON for it"),
                );
                (unparsed.fallback, false)
            }
        };
        let description = row.cells.get(description_col).cloned().unwrap_or_default();
        let possible_values = possible_values(&description);
        let required = required_col
            .and_then(|c| row.cells.get(c))
            .map(|c| {
                let t = c.trimmed().to_ascii_lowercase();
                t.starts_with('y') || t == "true" || t.starts_with("required")
            })
            .or_else(|| {
                let d = description.text.to_ascii_lowercase();
                if d.contains("required.") || d.starts_with("required") {
                    Some(true)
                } else if d.contains("optional.") || d.starts_with("optional") {
                    Some(false)
                } else {
                    None
                }
            });
        Some(PropertyRow {
            name,
            ty,
            ty_exact,
            description,
            possible_values,
            required,
            span: row.span.clone(),
            ty_span,
        })
    }

    fn enum_table(&mut self, table: &Table, headers: &[String]) {
        let value_col = headers.iter().position(|h| h == "value").filter(|&c| c > 0);
        let description_col = headers.iter().position(|h| h.contains("description"));
        // `### complianceStatus values` names an enum; `### Roles property values`
        // describes a property's strings and names nothing.
        let name = self
            .nearest_heading
            .trim()
            .strip_suffix(" values")
            .map(|n| n.trim().trim_matches('`').to_owned())
            .filter(|n| {
                !n.is_empty()
                    && n.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
            });
        let mut members = Vec::new();
        for row in &table.rows {
            let Some(first) = row.cells.first() else {
                continue;
            };
            let name = clean_name(first.trimmed());
            if name.is_empty() {
                self.unusable_name(row, first.trimmed());
                continue;
            }
            let cell = |c: Option<usize>| {
                c.and_then(|c| row.cells.get(c))
                    .map(|c| c.trimmed().to_owned())
                    .filter(|s| !s.is_empty())
            };
            members.push(EnumMemberRow {
                name,
                value: cell(value_col),
                description: cell(description_col).unwrap_or_default(),
                span: row.span.clone(),
            });
        }
        self.facts.enum_tables.push(EnumTable {
            name,
            members,
            span: table.span.clone(),
        });
    }

    fn code(&mut self, code: &CodeBlock, annotation: Option<Annotation>) {
        if code.unclosed {
            let line_end = code.span.start + 3;
            self.diags.push(
                Diagnostic::new(
                    Code::FenceUnclosed,
                    self.span(code.span.start..line_end),
                    "this code block is never closed: it swallows the page up to the next fence",
                )
                .with_note("docgen ended it where the Markdown resumes; add the closing ```"),
            );
        }
        let block_type = annotation
            .as_ref()
            .and_then(|a| a.block_type.clone())
            .unwrap_or_default();
        let block_type = block_type.as_str();
        if block_type == "resource" {
            let json = self.json_of(&code.text, code, 0);
            if let Some(annotation) = annotation {
                self.facts.resources.push(ResourceBlock {
                    annotation,
                    json,
                    span: code.span.clone(),
                });
            }
            return;
        }
        let example_annotation = matches!(block_type, "request" | "response");
        // `## HTTP request`, or `### HTTP request` under a section per variant.
        if self.nearest == Section::HttpRequest && block_type != "response" {
            self.request_syntax(code);
            // Some pages annotate their syntax block as a request example too.
            if block_type != "request" {
                return;
            }
        }
        if block_type == "ignored" || self.h2 == Section::Json {
            return;
        }
        let info = code.info.to_ascii_lowercase();
        let httpish = matches!(
            info.as_str(),
            "http" | "msgraph-interactive" | "" | "json" | "text"
        );
        if !httpish && !example_annotation {
            return;
        }
        self.example(code, annotation, block_type);
    }

    fn request_syntax(&mut self, code: &CodeBlock) {
        let (lines, invalid) = http::request_lines(&code.text);
        for bad in invalid {
            let line = code.text[bad.range.clone()].trim();
            self.diags.push(
                Diagnostic::new(
                    Code::HttpLineInvalid,
                    self.span(code.page_range(bad.range)),
                    format!("`{}` is not a request line: {}", shorten(line), bad.reason),
                )
                .with_note("the line was skipped"),
            );
        }
        for line in lines {
            if let Some(note) = &line.repair {
                self.diags.report(
                    Code::HttpLineRepaired,
                    self.span(code.page_range(line.range.clone())),
                    format!(
                        "`{}`: {note}",
                        shorten(code.text[line.range.clone()].trim())
                    ),
                );
            }
            let path = urlpath::normalise(&line.target);
            self.facts.request_lines.push(RequestLine {
                method: line.method,
                path,
                span: code.page_range(line.range),
            });
        }
    }

    fn example(&mut self, code: &CodeBlock, annotation: Option<Annotation>, block_type: &str) {
        let trimmed = code.text.trim_start();
        let bare_json = trimmed.starts_with('{') || trimmed.starts_with('[');
        let (kind, headers, body_range, repairs) = match http::message(&code.text) {
            Some(Message::Request(r)) => (
                ExampleKind::Request {
                    method: r.line.method.clone(),
                    path: urlpath::normalise(&r.line.target),
                    line: code.page_range(r.line.range.clone()),
                },
                r.headers,
                r.body.map(|b| b.range),
                r.repairs,
            ),
            Some(Message::Response(r)) => (
                ExampleKind::Response {
                    status: Some(r.status),
                    line: code.page_range(r.status_range.clone()),
                },
                r.headers,
                r.body.map(|b| b.range),
                r.repairs,
            ),
            // A response annotation over a bare JSON block: the body alone.
            None if block_type == "response" && bare_json => {
                let start = code.text.len() - trimmed.len();
                (
                    ExampleKind::Response {
                        status: None,
                        line: code.span.clone(),
                    },
                    Vec::new(),
                    Some(start..code.text.trim_end().len()),
                    Vec::new(),
                )
            }
            None => return,
        };
        for (range, note) in repairs {
            let line = code.text[range.clone()]
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_owned();
            self.diags.report(
                Code::HttpLineRepaired,
                self.span(code.page_range(range)),
                format!("`{}`: {note}", shorten(&line)),
            );
        }
        let json_content = headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"))
            .is_none_or(|h| h.value.to_ascii_lowercase().contains("json"));
        let body = body_range.map(|range| {
            let raw = code.text[range.clone()].to_owned();
            let looks_json = raw.starts_with('{') || raw.starts_with('[');
            let (json, json_error) = if looks_json && json_content {
                match json::parse(&raw) {
                    Ok(parsed) => {
                        if let Some(defect) = &parsed.defect {
                            let at = code.page_offset(range.start + defect.offset);
                            self.diags.push(
                                Diagnostic::new(
                                    Code::ExampleJsonLenient,
                                    self.span(at..at + 1),
                                    format!("example body is not strict JSON: {}", defect.message),
                                )
                                .with_note("docgen read it leniently"),
                            );
                        }
                        (Some(parsed), None)
                    }
                    Err(defect) => {
                        let at = code.page_offset(range.start + defect.offset.min(raw.len()));
                        self.diags.push(
                            Diagnostic::new(
                                Code::ExampleJsonInvalid,
                                self.span(at..at + 1),
                                format!(
                                    "example body could not be read as JSON: {}",
                                    defect.message
                                ),
                            )
                            .with_note("the example is kept as raw text and not checked"),
                        );
                        (None, Some(defect.message))
                    }
                }
            } else {
                (None, None)
            };
            ExampleBody {
                raw: raw.into(),
                json: json.map(std::sync::Arc::new),
                json_error,
                pieces: code.pieces_of(range.clone()),
            }
        });
        self.facts.examples.push(Example {
            kind,
            annotation,
            headers,
            body,
            span: code.span.clone(),
        });
    }

    fn json_of(&mut self, text: &str, code: &CodeBlock, start: usize) -> Option<Parsed> {
        match json::parse(text) {
            Ok(parsed) => {
                if let Some(defect) = &parsed.defect {
                    let at = code.page_offset(start + defect.offset);
                    self.diags.push(
                        Diagnostic::new(
                            Code::ExampleJsonLenient,
                            self.span(at..at + 1),
                            format!("JSON representation is not strict JSON: {}", defect.message),
                        )
                        .with_note("docgen read it leniently"),
                    );
                }
                Some(parsed)
            }
            Err(defect) => {
                let at = code.page_offset(start + defect.offset.min(text.len()));
                self.diags.report(
                    Code::ExampleJsonInvalid,
                    self.span(at..at + 1),
                    format!("JSON representation could not be read: {}", defect.message),
                );
                None
            }
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

/// Rows split by a raw line break: a one-cell line after a row is the rest of
/// that row's last cell (`|x|Int32|Between 1 and` + `10.|`). The joined row keeps
/// the width of the first part; the break is reported.
fn join_continuations(
    table: &Table,
    width: usize,
) -> Option<(Vec<super::blocks::Row>, Vec<Range<usize>>)> {
    // The common case, a table without broken rows, is used as it is.
    if width < 2
        || table
            .rows
            .iter()
            .all(|r| r.leading_pipe || r.source_cells != 1)
    {
        return None;
    }
    let mut rows: Vec<super::blocks::Row> = Vec::with_capacity(table.rows.len());
    let mut breaks = Vec::new();
    for row in &table.rows {
        let continuation = width > 1 && row.source_cells == 1 && !row.leading_pipe;
        match rows.last_mut() {
            Some(previous) if continuation && previous.leading_pipe => {
                if let (Some(last), Some(more)) = (previous.cells.last_mut(), row.cells.first()) {
                    let shift = last.text.len() + 1;
                    last.text.push(' ');
                    last.text.push_str(&more.text);
                    last.links.extend(more.links.iter().cloned());
                    last.codes.extend(
                        more.codes
                            .iter()
                            .map(|(at, code)| (at + shift, code.clone())),
                    );
                    last.span.end = more.span.end.max(last.span.end);
                }
                previous.span.end = row.span.end;
                breaks.push(row.span.clone());
            }
            _ => rows.push(row.clone()),
        }
    }
    Some((rows, breaks))
}

/// Whether a prose paragraph before the first section is the page's summary.
fn is_summary(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    !(text.is_empty()
        || text.starts_with('>')
        || text.starts_with("[!")
        || lower.starts_with("note")
        || lower.starts_with("**note")
        || lower.starts_with("important")
        || lower.starts_with("this api is available")
        || lower.starts_with("global service")
        || lower.starts_with("[!include"))
}

/// `**id**`, `` `id` ``, `id (deprecated)` → `id`.
fn clean_name(cell: &str) -> String {
    let t = cell
        .trim()
        .trim_matches(|c| c == '*' || c == '`' || c == '_')
        .trim();
    let t = t.split_whitespace().next().unwrap_or("");
    t.trim_matches(|c: char| {
        !(c.is_alphanumeric() || c == '@' || c == '.' || c == '_' || c == '$' || c == '-')
    })
    .to_owned()
}

/// "Possible values are: `a`, `b`" → [a, b]; also without backticks (plain text).
pub fn possible_values(description: &Inline) -> Vec<String> {
    let text = &description.text;
    let lower = text.to_ascii_lowercase();
    let Some(at) = [
        "possible values are",
        "possible values:",
        "possible values include",
        "the possible values are",
    ]
    .iter()
    .find_map(|p| lower.find(p).map(|i| i + p.len())) else {
        return Vec::new();
    };
    let from_codes: Vec<String> = description
        .codes
        .iter()
        .filter(|(offset, _)| *offset >= at)
        .map(|(_, code)| code.trim().to_owned())
        .filter(|c| is_member_name(c))
        .collect();
    if !from_codes.is_empty() {
        return from_codes;
    }
    let rest = text[at..].trim_start_matches([':', ' ']);
    let sentence_end = rest
        .char_indices()
        .find(|&(i, c)| c == '.' && rest[i + 1..].chars().next().is_none_or(char::is_whitespace))
        .map_or(rest.len(), |(i, _)| i);
    let values: Vec<String> = rest[..sentence_end]
        .split(',')
        .map(|v| v.trim().trim_start_matches("and ").trim().to_owned())
        .collect();
    if values.iter().all(|v| is_member_name(v)) {
        values
    } else {
        Vec::new()
    }
}

fn is_member_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// Offset of a link's text in the inline text.
fn link_offset(inline: &Inline, link: &super::blocks::Link) -> Option<usize> {
    if link.text.is_empty() {
        return None;
    }
    inline.text.find(&link.text)
}

/// A link that names a type: a relative `.md` page, or a reference link.
fn is_type_link(link: &super::blocks::Link) -> bool {
    let dest = link.dest.to_ascii_lowercase();
    let text = link.text.trim();
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        && !dest.starts_with("http")
        && !dest.starts_with('#')
        && !dest.contains("/concepts/")
        && !dest.contains("errors")
}

/// The first type named after `offset`: a link, else the word before "object(s)".
fn mention_after(inline: &Inline, offset: usize) -> Option<Mention> {
    let link = inline
        .links
        .iter()
        .filter(|l| is_type_link(l))
        .find(|l| link_offset(inline, l).is_some_and(|o| o >= offset));
    match link {
        Some(l) => Some(Mention {
            name: l.text.trim().to_owned(),
            link: (!l.dest.is_empty()).then(|| l.dest.clone()),
            span: inline.span.clone(),
        }),
        None => word_mention(inline, offset),
    }
}

/// Plain text: "… of the X object", "… a X object", "collection of X objects".
fn word_mention(inline: &Inline, offset: usize) -> Option<Mention> {
    let rest = inline.text.get(offset..)?;
    let words: Vec<&str> = rest
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .collect();
    // "… a fooBar object", "… fooBar objects", "… a String collection in the response body".
    let index = words.iter().enumerate().position(|(i, w)| {
        matches!(*w, "object" | "objects")
            || (*w == "in" && words.get(i + 1..i + 4) == Some(&["the", "response", "body"][..]))
    })?;
    let mut before = index.checked_sub(1)?;
    if words[before] == "collection" {
        before = before.checked_sub(1)?;
    }
    let name = words[before];
    let article = matches!(name, "the" | "a" | "an" | "JSON" | "this" | "code" | "and");
    let word_like = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    (!article && word_like).then(|| Mention {
        name: name.to_owned(),
        link: None,
        span: inline.span.clone(),
    })
}

/// Offset of the first HTTP status code (100–599) standing as a word.
fn status_code(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(2)).find(|&i| {
        let digits = bytes[i..i + 3].iter().all(u8::is_ascii_digit);
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let after_ok = bytes.get(i + 3).is_none_or(|b| !b.is_ascii_alphanumeric());
        digits && before_ok && after_ok && (b'1'..=b'5').contains(&bytes[i])
    })
}

fn shorten(line: &str) -> String {
    let short: String = line.chars().take(80).collect();
    if short.len() < line.len() {
        format!("{short}…")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
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
