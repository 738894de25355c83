//! Markdown pages → blocks, through pulldown-cmark's offset iterator.
//!
//! Two corpus habits are not page structure and are filtered here:
//! - tab headings (`# [HTTP](#tab/http)`) that open tab groups mid-page;
//! - setext headings produced by a `---` tab terminator right after a paragraph.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::blocks::{Block, CodeBlock, Inline, Link, Row, Table};

/// Reads the Markdown in `text[body]` into blocks (offsets are page offsets).
pub fn read_blocks(text: &str, body: Range<usize>) -> Vec<Block> {
    let base = body.start;
    // Tabs in a table's delimiter row stop pulldown-cmark from seeing a table;
    // GitHub renders them. Spaces instead keep every offset.
    let untabbed = untab_tables(&text[body.clone()]);
    let source = untabbed.as_deref().unwrap_or(&text[body]);
    // A reference link with no definition (`[identitySet][]`) is kept as a link
    // with an empty destination, so type cells can still read its text.
    let mut keep_broken = |_: pulldown_cmark::BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
        Some(("".into(), "".into()))
    };
    let parser = Parser::new_with_broken_link_callback(
        source,
        Options::ENABLE_TABLES,
        Some(&mut keep_broken),
    );
    let mut reader = Reader {
        full: text,
        source,
        base,
        blocks: Vec::new(),
        inline: None,
        links: Vec::new(),
        table: None,
        row: None,
        code: None,
    };
    for (event, range) in parser.into_offset_iter() {
        reader.event(event, range);
    }
    reader.blocks
}

struct Reader<'s> {
    /// The whole page, for reading a part of it again.
    full: &'s str,
    source: &'s str,
    base: usize,
    blocks: Vec<Block>,
    /// The inline text being collected (heading, paragraph or cell).
    inline: Option<Inline>,
    /// Open links: (start offset in the inline text, destination).
    links: Vec<(usize, String)>,
    table: Option<Table>,
    row: Option<Row>,
    code: Option<CodeBlock>,
}

impl Reader<'_> {
    /// A page range, without the trailing whitespace pulldown-cmark includes.
    fn page(&self, range: &Range<usize>) -> Range<usize> {
        let kept = self.source[range.clone()].trim_end().len();
        range.start + self.base..range.start + kept + self.base
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) => {
                if let Some(code) = &mut self.code {
                    code.pieces.push((code.text.len(), range.start + self.base));
                    code.text.push_str(&text);
                } else {
                    self.push_text(&text);
                }
            }
            Event::Code(text) => {
                if let Some(inline) = &mut self.inline {
                    let at = inline.text.len();
                    inline.text.push_str(&text);
                    inline.codes.push((at, text.into_string()));
                }
            }
            Event::SoftBreak => self.push_text(" "),
            Event::HardBreak => self.push_text("\n"),
            Event::InlineHtml(html) => {
                let tag = html.trim().to_ascii_lowercase();
                if tag.starts_with("<br") {
                    self.push_text("\n");
                } else if tag.starts_with("<li") {
                    self.push_text("\n- ");
                } else if tag.starts_with("<!--") {
                    let page = self.page(&range);
                    self.comment(page);
                }
            }
            Event::Html(_) => {
                // Lines of an HTML block; the block is read whole at its end.
            }
            Event::FootnoteReference(_)
            | Event::TaskListMarker(_)
            | Event::Rule
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some(inline) = &mut self.inline {
            inline.text.push_str(text);
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        let page = self.page(&range);
        match tag {
            Tag::Heading { .. } | Tag::Paragraph | Tag::TableCell | Tag::Item => {
                // Tight list items carry text without a paragraph: the item itself
                // collects it. A nested block closes what the item collected so far.
                self.flush_item_text();
                self.inline = Some(Inline {
                    span: page,
                    ..Inline::default()
                });
            }
            Tag::List(_) => self.flush_item_text(),
            Tag::Table(_) => {
                self.table = Some(Table {
                    span: page,
                    ..Table::default()
                });
            }
            Tag::TableHead | Tag::TableRow => {
                self.row = Some(Row {
                    span: page,
                    ..Row::default()
                });
            }
            Tag::CodeBlock(kind) => {
                let info = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => info.trim().to_owned(),
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeBlock {
                    info,
                    span: page,
                    ..CodeBlock::default()
                });
            }
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                let at = self.inline.as_ref().map_or(0, |i| i.text.len());
                self.links.push((at, dest_url.into_string()));
            }
            Tag::HtmlBlock => {
                let page = self.page(&range);
                self.comment(page);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Heading(level) => {
                let Some(inline) = self.inline.take() else {
                    return;
                };
                let raw = &self.source[range.clone()];
                let atx = raw.trim_start().starts_with('#');
                let tab = inline.links.iter().any(|l| l.dest.starts_with("#tab/"));
                if tab {
                    return;
                }
                if atx {
                    self.blocks.push(Block::Heading {
                        level: heading_level(level),
                        inline,
                    });
                } else {
                    // A setext heading: in this corpus it is a paragraph followed by a
                    // `---` tab terminator, not a heading.
                    self.blocks.push(Block::Paragraph(inline));
                }
            }
            TagEnd::Paragraph | TagEnd::Item => self.flush_item_text(),
            TagEnd::TableCell => {
                if let (Some(inline), Some(row)) = (self.inline.take(), &mut self.row) {
                    row.cells.push(inline);
                }
            }
            TagEnd::TableHead => {
                if let (Some(row), Some(table)) = (self.row.take(), &mut self.table) {
                    table.header = row.cells;
                }
            }
            TagEnd::TableRow => {
                let Some(mut row) = self.row.take() else {
                    return;
                };
                let width = self.table.as_ref().map_or(0, |t| t.header.len());
                let raw = &self.source[range.clone()];
                let cells = cell_ranges(raw.trim_end());
                row.source_cells = cells.len();
                row.leading_pipe = raw.trim_start().starts_with('|');
                // pulldown-cmark pads short rows; keep the width of the header.
                row.cells.truncate(width);
                // An unescaped `|` splits the last cell, and pulldown-cmark drops
                // what follows: read the last column again, from the raw row.
                if width > 0 && cells.len() > width && row.cells.len() == width {
                    let start = range.start + self.base + cells[width - 1].start;
                    let end = range.start + self.base + cells[cells.len() - 1].end;
                    if let Some(Block::Paragraph(inline)) =
                        read_blocks(self.full, start..end).into_iter().next()
                    {
                        row.cells[width - 1] = inline;
                    }
                }
                if let Some(table) = &mut self.table {
                    table.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.blocks.push(Block::Table(table));
                }
            }
            TagEnd::CodeBlock => {
                if let Some(code) = self.code.take() {
                    self.close_code(code);
                }
            }
            TagEnd::Link | TagEnd::Image => {
                let Some((start, dest)) = self.links.pop() else {
                    return;
                };
                if let Some(inline) = &mut self.inline {
                    let text = inline.text.get(start..).unwrap_or_default().to_owned();
                    inline.links.push(Link { text, dest });
                }
            }
            _ => {}
        }
    }

    /// Pushes a code block. An HTTP or JSON block whose fence was never closed
    /// swallows the Markdown after it, up to the next bare fence; a heading or
    /// another fence inside it marks where the author meant it to end, and what
    /// follows is read again as Markdown.
    fn close_code(&mut self, mut code: CodeBlock) {
        let http_or_json = matches!(
            code.info.to_ascii_lowercase().as_str(),
            "http" | "json" | "msgraph-interactive" | ""
        );
        let cut = if http_or_json {
            structure_line(&code.text)
        } else {
            None
        };
        let Some(cut) = cut else {
            self.blocks.push(Block::Code(code));
            return;
        };
        let rest = code.page_offset(cut)..code.page_offset(code.text.len());
        code.text.truncate(cut);
        code.pieces.retain(|(t, _)| *t < cut);
        code.unclosed = true;
        code.span.end = rest.start;
        self.blocks.push(Block::Code(code));
        if rest.start < rest.end {
            self.blocks.extend(read_blocks(self.full, rest));
        }
    }

    /// Pushes the open inline text (of a paragraph or list item) as a paragraph.
    fn flush_item_text(&mut self) {
        if let Some(inline) = self.inline.take()
            && !inline.text.trim().is_empty()
        {
            self.blocks.push(Block::Paragraph(inline));
        }
    }

    /// Records an HTML comment found at `page` (an HTML block or inline HTML).
    fn comment(&mut self, page: Range<usize>) {
        let raw = &self.source[page.start - self.base..page.end - self.base];
        let Some(open) = raw.find("<!--") else { return };
        let body_start = open + 4;
        let body_end = raw[body_start..]
            .find("-->")
            .map_or(raw.len(), |i| body_start + i);
        self.blocks.push(Block::Comment {
            body: raw[body_start..body_end].to_owned(),
            body_start: page.start + body_start,
            span: page,
        });
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `text` with tabs in pipe-table lines turned into spaces, when it has any.
fn untab_tables(text: &str) -> Option<String> {
    if !text.contains('\t') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('|') {
            out.extend(line.chars().map(|c| if c == '\t' { ' ' } else { c }));
        } else {
            out.push_str(line);
        }
    }
    Some(out)
}

/// Offset of the first line of `text` that is Markdown structure, not code:
/// a fence, a heading, an HTML comment.
fn structure_line(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let heading = t.starts_with('#') && t.trim_start_matches('#').starts_with(' ');
        if t.starts_with("```") || t.starts_with("~~~") || t.starts_with("<!--") || heading {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// The cells of a raw table row (ranges relative to `row`): split at unescaped
/// pipes outside code spans, outer pipes dropped, cells trimmed.
fn cell_ranges(row: &str) -> Vec<Range<usize>> {
    let mut bounds = vec![0];
    let mut in_code = false;
    let mut escaped = false;
    for (i, c) in row.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '`' => in_code = !in_code,
            '|' if !in_code => bounds.push(i),
            _ => {}
        }
    }
    bounds.push(row.len());
    let mut cells: Vec<Range<usize>> = bounds
        .windows(2)
        .map(|w| {
            let start = if w[0] == 0 && !row.starts_with('|') {
                0
            } else {
                w[0] + 1
            };
            start.min(w[1])..w[1]
        })
        .collect();
    // Outer pipes leave empty first and last pieces.
    if row.trim_start().starts_with('|')
        && cells
            .first()
            .is_some_and(|c| row[c.clone()].trim().is_empty())
    {
        cells.remove(0);
    }
    if row.trim_end().ends_with('|')
        && cells
            .last()
            .is_some_and(|c| row[c.clone()].trim().is_empty())
    {
        cells.pop();
    }
    cells
        .into_iter()
        .map(|c| {
            let text = &row[c.clone()];
            let lead = text.len() - text.trim_start().len();
            c.start + lead..c.start + lead + text.trim().len()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<Block> {
        read_blocks(text, 0..text.len())
    }

    #[test]
    fn headings_paragraphs_and_links() {
        let text = "# Title\n\nSee [user](../resources/user.md) and `code`.\n";
        let b = blocks(text);
        let Block::Heading { level, inline } = &b[0] else {
            panic!("{b:?}")
        };
        assert_eq!((*level, inline.text.as_str()), (1, "Title"));
        let Block::Paragraph(p) = &b[1] else {
            panic!("{b:?}")
        };
        assert_eq!(p.text, "See user and code.");
        assert_eq!(p.links[0].dest, "../resources/user.md");
        assert_eq!(p.links[0].text, "user");
        assert_eq!(p.codes, vec![(13, "code".to_owned())]);
        assert_eq!(
            &text[p.span.clone()],
            "See [user](../resources/user.md) and `code`."
        );
    }

    #[test]
    fn tables_keep_cells_rows_and_source_widths() {
        let text = "|Property|Type|Description|\n|:--|:--|:--|\n|a|[identitySet][]|x<br>y|\n|b|String|\n|c|String|d|e|\n";
        let b = blocks(text);
        let Block::Table(t) = &b[0] else {
            panic!("{b:?}")
        };
        assert_eq!(t.header.len(), 3);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0].cells[1].links[0].text, "identitySet");
        assert_eq!(t.rows[0].cells[2].text, "x\ny");
        assert_eq!(t.rows[1].source_cells, 2);
        assert_eq!(t.rows[2].source_cells, 4);
        assert_eq!(&text[t.rows[0].span.clone()], "|a|[identitySet][]|x<br>y|");
    }

    #[test]
    fn tables_with_tabs_are_tables() {
        let text = "| Property\t| Type |\n| ---\t\t|---\t|\n| id\t\t| String |\n";
        let b = blocks(text);
        let Block::Table(t) = &b[0] else {
            panic!("{b:?}")
        };
        assert_eq!(t.rows[0].cells[0].text, "id");
    }

    #[test]
    fn code_blocks_map_back_to_page_offsets() {
        let text = "intro\n\n``` http\nPOST /me\nContent-Type: x\n```\n";
        let b = blocks(text);
        let Block::Code(c) = &b[1] else {
            panic!("{b:?}")
        };
        assert_eq!(c.info, "http");
        assert_eq!(c.text, "POST /me\nContent-Type: x\n");
        let at = c.text.find("Content").unwrap_or_default();
        assert_eq!(&text[c.page_offset(at)..c.page_offset(at) + 7], "Content");
    }

    #[test]
    fn annotations_are_comments_with_their_body() {
        let text = "<!-- {\n  \"blockType\": \"request\"\n}\n-->\n```http\nGET /me\n```\n";
        let b = blocks(text);
        let Block::Comment {
            body, body_start, ..
        } = &b[0]
        else {
            panic!("{b:?}")
        };
        assert!(body.contains("\"request\""));
        assert_eq!(&text[*body_start..*body_start + 2], " {");
        assert!(matches!(b[1], Block::Code(_)));
    }

    #[test]
    fn tab_headings_and_setext_terminators_are_not_structure() {
        let text = "## Example\n\n# [HTTP](#tab/http)\n\nsome text\n---\n\n### Response\n";
        let b = blocks(text);
        let headings: Vec<_> = b
            .iter()
            .filter_map(|b| match b {
                Block::Heading { inline, .. } => Some(inline.text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(headings, ["Example", "Response"]);
    }
}
