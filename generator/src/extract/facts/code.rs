//! Code blocks: the HTTP request syntax and the annotated examples.

use super::*;

impl Reader<'_> {
    pub(super) fn code(&mut self, code: &CodeBlock, annotation: Option<Annotation>) {
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
}

pub(super) fn shorten(line: &str) -> String {
    let short: String = line.chars().take(80).collect();
    if short.len() < line.len() {
        format!("{short}…")
    } else {
        short
    }
}
