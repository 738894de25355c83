//! HTTP text in code blocks: request lines, example requests and responses.
//!
//! Offsets are byte offsets into the code block's text; the caller maps them to
//! the page with [`CodeBlock::page_range`](super::blocks::CodeBlock::page_range).

use std::ops::Range;

/// Whether `word` is an HTTP method as the docs write them (upper case).
pub fn is_method(word: &str) -> bool {
    matches!(
        word,
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
    )
}

/// Whether `line` is a response status line (`HTTP/1.1 201 Created`, or the
/// `HTTP code: 201 Created` some pages write instead).
pub fn is_status_line(line: &str) -> bool {
    status_of(line).is_some()
}

/// The status of a status line, and a repair note when it was not well formed.
fn status_of(line: &str) -> Option<(u16, Option<String>)> {
    let line = line.trim();
    let (rest, repair) = if line
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("HTTP/"))
    {
        (line.split_once(char::is_whitespace)?.1, None)
    } else if line
        .get(..10)
        .is_some_and(|p| p.eq_ignore_ascii_case("HTTP code:"))
    {
        (
            &line[10..],
            Some("`HTTP code:` is not a status line; read as `HTTP/1.1`".to_owned()),
        )
    } else {
        return None;
    };
    let code = rest.split_whitespace().next()?.parse::<u16>().ok()?;
    (100..600).contains(&code).then_some((code, repair))
}

/// End of the JSON value starting at `start` (brackets balanced outside strings).
pub fn json_end(text: &str, start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.get(start..)?.char_indices() {
        if let Some(q) = quote {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                _ if c == q => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(start + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// A request line: `METHOD target`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestLine {
    /// The method, upper case.
    pub method: String,
    /// The target as written (URL or path, query included, `HTTP/1.1` dropped).
    pub target: String,
    /// Range of the whole line in the block text.
    pub range: Range<usize>,
    /// Range of the target in the block text.
    pub target_range: Range<usize>,
    /// A defect of the line that was read past, in a doc writer's words.
    pub repair: Option<String>,
}

/// A line of an HTTP block that is not a request line, header, body or blank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidLine {
    /// Range of the line in the block text.
    pub range: Range<usize>,
    /// Why it was rejected.
    pub reason: String,
}

/// Reads one line as a request line, if it is one.
///
/// Tolerates a missing space after the method (`DELETE/identity/…`) and a
/// trailing protocol (`GET /me HTTP/1.1`).
pub fn request_line(line: &str, range: Range<usize>) -> Result<RequestLine, String> {
    // A `+` left from a diff (`+GET https://…`) is not part of the line.
    let without_plus = line
        .trim_start()
        .strip_prefix('+')
        .unwrap_or(line.trim_start());
    let lead = line.len() - without_plus.len();
    let trimmed = without_plus.trim();
    let method_len = trimmed
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(trimmed.len());
    let method = &trimmed[..method_len];
    if !is_method(method) {
        return Err(match trimmed.split_whitespace().next() {
            Some(word) if is_method(&word.to_ascii_uppercase()) => {
                format!("`{word}` must be written in upper case")
            }
            _ => "the line does not start with an HTTP method".to_owned(),
        });
    }
    let after = &trimmed[method_len..];
    let target_lead = after.len() - after.trim_start().len();
    let mut target = after.trim();
    if let Some(cut) = target.rfind(" HTTP/") {
        target = target[..cut].trim_end();
    }
    if target.is_empty() {
        return Err(format!("`{method}` is not followed by a URL"));
    }
    let first = target.chars().next().unwrap_or(' ');
    if !(first == '/' || first == '~' || first == '{' || first.is_ascii_alphanumeric()) {
        return Err(format!("`{target}` is not a URL or path"));
    }
    let target_start = range.start + lead + method_len + target_lead;
    let repair = if line.trim_start().starts_with('+') {
        Some(format!("the stray `+` before `{method}` was ignored"))
    } else if target_lead == 0 {
        Some(format!("a space is missing after `{method}`"))
    } else {
        None
    };
    Ok(RequestLine {
        method: method.to_owned(),
        target: target.to_owned(),
        range: range.start + lead..range.start + lead + trimmed.len(),
        target_range: target_start..target_start + target.len(),
        repair,
    })
}

/// Reads the request lines of an HTTP request section block.
///
/// Blank lines, header lines and JSON are skipped; anything else is reported.
pub fn request_lines(text: &str) -> (Vec<RequestLine>, Vec<InvalidLine>) {
    let mut lines = Vec::new();
    let mut invalid = Vec::new();
    let mut offset = 0;
    let mut in_body = false;
    for raw in text.split_inclusive('\n') {
        let content = raw.trim_end_matches('\n');
        let range = offset..offset + content.len();
        offset += raw.len();
        let trimmed = content.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            in_body = true;
        }
        match request_line(content, range.clone()) {
            Ok(line) => {
                in_body = false;
                lines.push(line);
            }
            Err(_) if in_body || is_header(trimmed) => {}
            Err(reason) => invalid.push(InvalidLine { range, reason }),
        }
    }
    (lines, invalid)
}

/// Whether a line reads as `Name: value`.
pub fn is_header(line: &str) -> bool {
    match line.split_once(':') {
        Some((name, _)) => {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }
        None => false,
    }
}

/// A header of an example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Name as written.
    pub name: String,
    /// Value, trimmed.
    pub value: String,
}

/// The body of an example: where it is in the block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// Range of the body text in the block text.
    pub range: Range<usize>,
}

/// An example request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The request line.
    pub line: RequestLine,
    /// Headers, in order.
    pub headers: Vec<Header>,
    /// The body, when there is one.
    pub body: Option<Body>,
    /// Defects read past: (range in the block text, note).
    pub repairs: Vec<(Range<usize>, String)>,
}

/// An example response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Range of the status line in the block text.
    pub status_range: Range<usize>,
    /// Headers, in order.
    pub headers: Vec<Header>,
    /// The body, when there is one.
    pub body: Option<Body>,
    /// Defects read past: (range in the block text, note).
    pub repairs: Vec<(Range<usize>, String)>,
}

/// An HTTP message in an example block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// Starts with a request line.
    Request(Request),
    /// Starts with a status line.
    Response(Response),
}

/// Reads an example block: a request or a response with headers and a body.
pub fn message(text: &str) -> Option<Message> {
    let mut lines = LineIter::new(text);
    let (first, first_range) = lines.by_ref().find(|(l, _)| !l.trim().is_empty())?;
    let mut repairs = Vec::new();
    let start = if let Some((status, repair)) = status_of(first) {
        if let Some(note) = repair {
            repairs.push((first_range.clone(), note));
        }
        Some(Start::Status(status, first_range))
    } else {
        request_line(first, first_range).ok().map(|line| {
            if let Some(note) = &line.repair {
                repairs.push((line.range.clone(), note.clone()));
            }
            Start::Line(line)
        })
    }?;
    let mut headers = Vec::new();
    let mut body = None;
    for (line, range) in lines {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if body.is_none() && is_header(trimmed) && !trimmed.starts_with('"') {
            if let Some((name, value)) = trimmed.split_once(':') {
                headers.push(Header {
                    name: name.trim().to_owned(),
                    value: value.trim().to_owned(),
                });
            }
            continue;
        }
        let mut end = text.trim_end().len().max(range.start);
        // A JSON body ends where its value does; a line after it (a second
        // request line, stray text) is not part of it.
        if trimmed.starts_with(['{', '[']) {
            let value_start = range.start + (line.len() - line.trim_start().len());
            if let Some(value_end) = json_end(text, value_start) {
                let after = &text[value_end..];
                if !after.trim().is_empty() {
                    let rest = value_end + (after.len() - after.trim_start().len());
                    repairs.push((
                        rest..text.trim_end().len(),
                        "text after the JSON body was ignored".to_owned(),
                    ));
                    end = value_end;
                }
            }
        }
        body = Some(Body {
            range: range.start..end,
        });
        break;
    }
    Some(match start {
        Start::Status(status, status_range) => Message::Response(Response {
            status,
            status_range,
            headers,
            body,
            repairs,
        }),
        Start::Line(line) => Message::Request(Request {
            line,
            headers,
            body,
            repairs,
        }),
    })
}

enum Start {
    Status(u16, Range<usize>),
    Line(RequestLine),
}

/// Lines with their ranges (newline excluded).
struct LineIter<'a> {
    text: &'a str,
    offset: usize,
}

impl<'a> LineIter<'a> {
    fn new(text: &'a str) -> Self {
        LineIter { text, offset: 0 }
    }
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (&'a str, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.offset >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.offset..];
        let len = rest.find('\n').unwrap_or(rest.len());
        let range = self.offset..self.offset + len;
        self.offset += (len + 1).min(rest.len());
        Some((&rest[..len], range))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines_tolerate_corpus_quirks() {
        let text = "GET /me HTTP/1.1\nDELETE/identity/b2xUserFlows/{id}\n\nget /users\nGET ** Entity URI for x not found\nContent-Type: application/json\n";
        let (lines, invalid) = request_lines(text);
        let got: Vec<(&str, &str)> = lines
            .iter()
            .map(|l| (l.method.as_str(), l.target.as_str()))
            .collect();
        assert_eq!(
            got,
            [("GET", "/me"), ("DELETE", "/identity/b2xUserFlows/{id}")]
        );
        assert_eq!(invalid.len(), 2);
        assert!(invalid[0].reason.contains("upper case"));
        assert_eq!(
            &text[lines[1].target_range.clone()],
            "/identity/b2xUserFlows/{id}"
        );
    }

    #[test]
    fn reads_a_request_with_headers_and_body() {
        let text = "POST https://graph.microsoft.com/v1.0/me/events\nContent-type: application/json\n\n{\n  \"a\": 1\n}\n";
        let Some(Message::Request(r)) = message(text) else {
            panic!()
        };
        assert_eq!(r.line.method, "POST");
        assert_eq!(r.headers.len(), 1);
        let body = r.body.expect("body");
        assert_eq!(&text[body.range], "{\n  \"a\": 1\n}");
    }

    #[test]
    fn reads_a_response_with_a_blank_line_before_its_headers() {
        let text =
            "HTTP/1.1 201 Created\n\nContent-Type: application/json\n{\n  \"id\": \"1\"\n}\n";
        let Some(Message::Response(r)) = message(text) else {
            panic!()
        };
        assert_eq!(r.status, 201);
        assert_eq!(r.headers[0].name, "Content-Type");
        assert!(r.body.is_some());
    }

    #[test]
    fn no_content_has_no_body() {
        let Some(Message::Response(r)) = message("HTTP/1.1 204 No Content\n") else {
            panic!()
        };
        assert_eq!((r.status, r.body), (204, None));
    }
}
