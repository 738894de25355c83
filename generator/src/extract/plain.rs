//! Plain-text pages → blocks.
//!
//! A page copied from the rendered web site has no Markdown at all: headings are
//! bare lines, tables are lines of space-separated words, code is unfenced. This
//! reader recognises the page template's fixed vocabulary (section names, table
//! headers, request and status lines) and produces the same blocks as the
//! Markdown reader, so everything after it is shared.

use std::ops::Range;

use super::blocks::{Block, CodeBlock, Inline, Row, Table};
use super::http::{is_method, is_status_line, json_end};

/// Whether `text` looks like a page without Markdown structure.
pub fn looks_plain(text: &str) -> bool {
    !text.lines().any(|line| {
        let t = line.trim_start();
        t.starts_with("# ")
            || t.starts_with("## ")
            || t.starts_with("```")
            || t.starts_with("<!--")
            || (t.starts_with('|') && t.ends_with('|') && t.len() > 1)
    })
}

/// Section names of the page templates, with the level they have in Markdown.
/// Request and Response are sub-headings once an Example section has started.
const SECTIONS: &[(&str, u8)] = &[
    ("permissions", 2),
    ("prerequisites", 2),
    ("http request", 2),
    ("request headers", 2),
    ("optional request headers", 2),
    ("request body", 2),
    ("response", 2),
    ("responses", 2),
    ("example", 2),
    ("examples", 2),
    ("properties", 2),
    ("relationships", 2),
    ("json representation", 2),
    ("methods", 2),
    ("members", 2),
    ("optional query parameters", 2),
    ("query parameters", 2),
    ("path parameters", 2),
    ("function parameters", 2),
    ("parameters", 2),
    ("see also", 2),
    ("request", 3),
];

/// How a recognised table header splits its rows into cells.
#[derive(Clone, Copy)]
enum Columns {
    /// Name, then a type (one word, or a word followed by `collection`), then text.
    NameTypeText,
    /// Name, then text.
    NameText,
    /// Name, value, text.
    NameValueText,
    /// A permission type (one of a few fixed phrases), then the permissions.
    Permission,
    /// One cell.
    Whole,
}

const TABLE_HEADERS: &[(&str, Columns)] = &[
    ("property type description", Columns::NameTypeText),
    ("parameter type description", Columns::NameTypeText),
    ("name type description", Columns::NameTypeText),
    ("relationship type description", Columns::NameTypeText),
    ("query parameter type description", Columns::NameTypeText),
    ("header value", Columns::NameText),
    ("name description", Columns::NameText),
    ("name value", Columns::NameText),
    ("member description", Columns::NameText),
    ("member value description", Columns::NameValueText),
    ("member", Columns::Whole),
    ("permission type permissions", Columns::Permission),
    ("method return type description", Columns::Whole),
];

const PERMISSION_TYPES: &[&str] = &[
    "Delegated (work or school account)",
    "Delegated (personal Microsoft account)",
    "Application",
];

/// Reads a plain-text page. The first non-empty line is the title.
pub fn read_blocks(text: &str, body: Range<usize>) -> Vec<Block> {
    let paragraphs = paragraphs(text, body);
    let mut blocks = Vec::new();
    let mut in_examples = false;
    let mut i = 0;
    while i < paragraphs.len() {
        let para = &paragraphs[i];
        let first = para.lines.first().cloned().unwrap_or(para.span.clone());
        let first_text = text[first.clone()].trim();
        if blocks.is_empty() {
            blocks.push(Block::Heading {
                level: 1,
                inline: Inline::plain(first_text, first.clone()),
            });
            if para.lines.len() > 1 {
                let rest = para.lines[1].start..para.span.end;
                blocks.push(Block::Paragraph(inline_of(text, rest)));
            }
            i += 1;
            continue;
        }
        if para.lines.len() == 1
            && let Some(level) = section_level(first_text, in_examples)
        {
            let lower = first_text.to_ascii_lowercase();
            if lower.starts_with("example") {
                in_examples = true;
            }
            blocks.push(Block::Heading {
                level,
                inline: Inline::plain(first_text, first),
            });
            i += 1;
            continue;
        }
        if starts_http(first_text) {
            // Headers follow the start line; a JSON body may follow after a blank line.
            let mut end = para.span.end;
            if let Some(next) = paragraphs.get(i + 1) {
                let next_text = text[next.span.clone()].trim_start();
                if next_text.starts_with('{') || next_text.starts_with('[') {
                    end = json_end(text, next.span.start).unwrap_or(next.span.end);
                    i += 1;
                    while paragraphs.get(i + 1).is_some_and(|p| p.span.start < end) {
                        i += 1;
                    }
                }
            }
            let span = para.span.start..end;
            blocks.push(Block::Code(CodeBlock {
                info: "http".to_owned(),
                text: text[span.clone()].to_owned(),
                pieces: vec![(0, span.start)],
                span,
                unclosed: false,
            }));
            i += 1;
            continue;
        }
        if let Some(table) = table_of(text, para) {
            blocks.push(Block::Table(table));
            i += 1;
            continue;
        }
        blocks.push(Block::Paragraph(inline_of(text, para.span.clone())));
        i += 1;
    }
    blocks
}

struct Paragraph {
    span: Range<usize>,
    lines: Vec<Range<usize>>,
}

/// Splits the body into blank-line separated paragraphs of non-empty lines.
fn paragraphs(text: &str, body: Range<usize>) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut current: Option<Paragraph> = None;
    let mut offset = body.start;
    for line in text[body].split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        let range = offset..offset + content.len();
        offset += line.len();
        if content.trim().is_empty() {
            out.extend(current.take());
            continue;
        }
        match &mut current {
            Some(p) => {
                p.span.end = range.end;
                p.lines.push(range);
            }
            None => {
                current = Some(Paragraph {
                    span: range.clone(),
                    lines: vec![range],
                })
            }
        }
    }
    out.extend(current);
    out
}

fn section_level(line: &str, in_examples: bool) -> Option<u8> {
    let lower = line.trim().trim_end_matches(':').to_ascii_lowercase();
    if lower.starts_with("example ") && lower.len() < 80 && !lower.ends_with('.') {
        return Some(3);
    }
    let (_, level) = SECTIONS.iter().find(|(name, _)| *name == lower)?;
    let nested = in_examples && matches!(lower.as_str(), "request" | "response");
    Some(if nested { 3 } else { *level })
}

fn starts_http(line: &str) -> bool {
    if is_status_line(line) {
        return true;
    }
    let mut words = line.split_whitespace();
    match (words.next(), words.next()) {
        (Some(method), Some(url)) => {
            is_method(method) && (url.starts_with('/') || url.starts_with("http"))
        }
        _ => false,
    }
}

fn inline_of(text: &str, span: Range<usize>) -> Inline {
    // Newlines become spaces: same length, so offsets still map.
    Inline::plain(text[span.clone()].replace('\n', " "), span)
}

fn table_of(text: &str, para: &Paragraph) -> Option<Table> {
    let header_range = para.lines.first()?.clone();
    let header_text = text[header_range.clone()].trim();
    let lower = header_text.to_ascii_lowercase();
    let (_, columns) = TABLE_HEADERS.iter().find(|(h, _)| {
        lower == *h || (lower.starts_with(h) && lower[h.len()..].starts_with(" ("))
    })?;
    let header = header_cells(text, header_range.clone(), *columns);
    let rows = para.lines[1..]
        .iter()
        .map(|line| {
            let cells = split_row(text, line.clone(), *columns);
            Row {
                source_cells: cells.len(),
                leading_pipe: false,
                cells,
                span: line.clone(),
            }
        })
        .collect();
    Some(Table {
        header,
        rows,
        span: para.span.clone(),
    })
}

fn header_cells(text: &str, line: Range<usize>, columns: Columns) -> Vec<Inline> {
    let words = words(text, line.clone());
    match columns {
        Columns::Permission => {
            // "Permission type" + "Permissions (from … privileged)".
            let split = words.get(2).map_or(line.end, |w| w.start);
            vec![
                inline_of(text, line.start..split),
                inline_of(text, split..line.end),
            ]
        }
        Columns::Whole => vec![inline_of(text, line)],
        Columns::NameText | Columns::NameTypeText | Columns::NameValueText => {
            let count = match columns {
                Columns::NameText => 2,
                _ => 3,
            };
            // The first header word may be two words ("Query parameter").
            let skip = words.len().saturating_sub(count);
            let mut cells = vec![inline_of(
                text,
                line.start..words.get(skip).map_or(line.end, |w| w.end),
            )];
            cells.extend(words[skip + 1..].iter().map(|w| inline_of(text, w.clone())));
            cells
        }
    }
}

fn split_row(text: &str, line: Range<usize>, columns: Columns) -> Vec<Inline> {
    let words = words(text, line.clone());
    let cell = |range: Range<usize>| inline_of(text, range);
    let rest = |from: usize| match words.get(from) {
        Some(w) => cell(w.start..line.end),
        None => cell(line.end..line.end),
    };
    match columns {
        Columns::Whole => vec![cell(line)],
        Columns::Permission => {
            let row = &text[line.clone()];
            let kind = PERMISSION_TYPES
                .iter()
                .find(|p| row.starts_with(*p))
                .map_or_else(|| words.first().map_or(0, |w| w.len()), |p| p.len());
            vec![
                cell(line.start..line.start + kind),
                cell((line.start + kind)..line.end),
            ]
        }
        Columns::NameText => match words.first() {
            Some(name) => vec![cell(name.clone()), rest(1)],
            None => vec![cell(line)],
        },
        Columns::NameValueText => match (words.first(), words.get(1)) {
            (Some(name), Some(value)) => vec![cell(name.clone()), cell(value.clone()), rest(2)],
            _ => vec![cell(line)],
        },
        Columns::NameTypeText => match (words.first(), words.get(1)) {
            (Some(name), Some(ty)) => {
                let collection = words
                    .get(2)
                    .is_some_and(|w| text[w.clone()].eq_ignore_ascii_case("collection"));
                let (ty_end, rest_from) = if collection {
                    (words[2].end, 3)
                } else {
                    (ty.end, 2)
                };
                vec![cell(name.clone()), cell(ty.start..ty_end), rest(rest_from)]
            }
            _ => vec![cell(line)],
        },
    }
}

/// Byte ranges of the whitespace-separated words of a line.
fn words(text: &str, line: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text[line.clone()].char_indices() {
        let at = line.start + i;
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(s..at);
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..line.end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Create widget\n\nNamespace: microsoft.graph\n\nCreates a widget.\n\n\
HTTP Request\n\nPOST /widgets/{widgetId}/parts\n\nRequest body\n\n\
Property Type Description\nid String Key of the entity.\ntags String collection Labels.\n\n\
Response\n\nIf successful, this method returns a 201 Created response code.\n\n\
Example\n\nRequest\n\nPOST https://graph.microsoft.com/v1.0/widgets/1/parts\nContent-type: application/json\n\n\
{\n  \"id\": \"1\",\n\n  \"tags\": [\"a\"]\n}\n\nResponse\n\nHTTP/1.1 201 Created\n";

    fn blocks() -> Vec<Block> {
        read_blocks(PAGE, 0..PAGE.len())
    }

    #[test]
    fn detects_plain_pages() {
        assert!(looks_plain(PAGE));
        assert!(!looks_plain("---\ntitle: x\n---\n# X\n"));
    }

    #[test]
    fn first_line_is_the_title_and_sections_are_headings() {
        let headings: Vec<(u8, String)> = blocks()
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, inline } => Some((*level, inline.text.clone())),
                _ => None,
            })
            .collect();
        let expected = [
            (1, "Create widget"),
            (2, "HTTP Request"),
            (2, "Request body"),
            (2, "Response"),
            (2, "Example"),
            (3, "Request"),
            (3, "Response"),
        ];
        let expected: Vec<(u8, String)> = expected
            .iter()
            .map(|(l, t)| (*l, (*t).to_owned()))
            .collect();
        assert_eq!(headings, expected);
    }

    #[test]
    fn tables_split_name_type_and_description() {
        let b = blocks();
        let table = b
            .iter()
            .find_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .expect("a table");
        let cells: Vec<Vec<&str>> = table
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            cells,
            vec![
                vec!["id", "String", "Key of the entity."],
                vec!["tags", "String collection", "Labels."]
            ]
        );
    }

    #[test]
    fn request_examples_take_their_json_body_across_blank_lines() {
        let codes: Vec<String> = blocks()
            .iter()
            .filter_map(|b| match b {
                Block::Code(c) => Some(c.text.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(codes.len(), 3);
        assert_eq!(codes[0], "POST /widgets/{widgetId}/parts");
        assert!(codes[1].starts_with("POST https://"));
        assert!(codes[1].ends_with("[\"a\"]\n}"));
        assert_eq!(codes[2], "HTTP/1.1 201 Created");
    }
}
