//! YAML front matter: the `---` block at the top of a page.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, Span};
use crate::yaml;

/// The kind of page, from `doc_type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocType {
    /// `apiPageType`: one operation.
    Api,
    /// `resourcePageType`: one entity or complex type.
    Resource,
    /// `enumPageType`: one enum.
    Enum,
    /// `conceptualPageType`: prose, no API surface.
    Conceptual,
}

/// What the front matter says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `ms.prod`: the product area, used to group generated code.
    pub ms_prod: Option<String>,
    /// `doc_type`, when it is a known value (a typo such as `resourcePageType_` is
    /// recognised with a warning).
    pub doc_type: Option<DocType>,
    /// Whether the page had a front matter block at all.
    pub present: bool,
}

/// A split page: its front matter and where the body starts.
pub struct Split {
    /// The parsed front matter (empty when absent or invalid).
    pub front_matter: FrontMatter,
    /// Byte range of the body (everything after the closing `---`).
    pub body: Range<usize>,
}

/// Splits `text` into front matter and body, reporting defects.
pub fn split(text: &str, file: FileId, diags: &mut Diagnostics) -> Split {
    let whole = Split {
        front_matter: FrontMatter::default(),
        body: 0..text.len(),
    };
    let Some(first_line_end) = text.find('\n') else {
        return whole;
    };
    if text[..first_line_end].trim_end() != "---" {
        return whole;
    }
    let yaml_start = first_line_end + 1;
    let mut offset = yaml_start;
    let mut close = None;
    for line in text[yaml_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = close else {
        diags.push(
            Diagnostic::new(
                Code::FrontMatterUnterminated,
                Span::new(file, 0..first_line_end),
                "front matter starts here but is never closed by a `---` line",
            )
            .with_note("the page was read as if it had no front matter"),
        );
        return Split {
            front_matter: FrontMatter::default(),
            body: yaml_start..text.len(),
        };
    };

    let yaml_text = &text[yaml_start..yaml_end];
    let map = match yaml::parse_scalars(yaml_text) {
        Ok(map) => map,
        Err(err) => {
            let at = yaml_start + err.offset.unwrap_or(0).min(yaml_text.len());
            let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            diags.push(
                Diagnostic::new(
                    Code::FrontMatterInvalid,
                    Span::new(file, at..line_end),
                    format!("front matter is not valid YAML: {}", err.message),
                )
                .with_note("the front matter was ignored; quote values that contain `: `"),
            );
            BTreeMap::new()
        }
    };
    let doc_type = map.get("doc_type").and_then(|raw| {
        let parsed = parse_doc_type(raw);
        let exact = matches!(
            raw.trim(),
            "apiPageType" | "resourcePageType" | "enumPageType" | "conceptualPageType"
        );
        if !exact {
            let at = key_line(text, yaml_start..yaml_end, "doc_type");
            let message = match &parsed {
                Some(guess) => format!(
                    "doc_type `{raw}` is not a known page type; read as {}",
                    doc_type_name(guess)
                ),
                None => format!("doc_type `{raw}` is not a known page type"),
            };
            diags.report(Code::DocTypeUnknown, Span::new(file, at), message);
        }
        parsed
    });
    Split {
        front_matter: FrontMatter {
            title: non_empty(map.get("title")),
            description: non_empty(map.get("description")),
            ms_prod: non_empty(map.get("ms.prod")),
            doc_type,
            present: true,
        },
        body: body_start..text.len(),
    }
}

fn non_empty(value: Option<&String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Reads a doc_type, forgiving case and stray punctuation (`resourcePageType_`).
fn parse_doc_type(raw: &str) -> Option<DocType> {
    let key: String = raw
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase();
    match key.as_str() {
        "apipagetype" => Some(DocType::Api),
        "resourcepagetype" => Some(DocType::Resource),
        "enumpagetype" | "enumtypes" => Some(DocType::Enum),
        "conceptualpagetype" => Some(DocType::Conceptual),
        _ => None,
    }
}

fn doc_type_name(doc_type: &DocType) -> &'static str {
    match doc_type {
        DocType::Api => "apiPageType",
        DocType::Resource => "resourcePageType",
        DocType::Enum => "enumPageType",
        DocType::Conceptual => "conceptualPageType",
    }
}

/// Byte range of the line holding `key:` inside the front matter.
fn key_line(text: &str, yaml: Range<usize>, key: &str) -> Range<usize> {
    let mut offset = yaml.start;
    for line in text[yaml.clone()].split_inclusive('\n') {
        if line
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
        {
            return offset..offset + line.trim_end().len();
        }
        offset += line.len();
    }
    yaml.start..yaml.start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Split, Vec<Diagnostic>) {
        let mut diags = Diagnostics::new();
        let split = split(text, FileId(0), &mut diags);
        (split, diags.as_slice().to_vec())
    }

    #[test]
    fn reads_keys_and_body_offset() {
        let text = "---\ntitle: \"Get x\"\nms.prod: intune\ndoc_type: apiPageType\n---\n# Get x\n";
        let (split, diags) = run(text);
        assert!(diags.is_empty());
        assert_eq!(split.front_matter.title.as_deref(), Some("Get x"));
        assert_eq!(split.front_matter.ms_prod.as_deref(), Some("intune"));
        assert_eq!(split.front_matter.doc_type, Some(DocType::Api));
        assert_eq!(&text[split.body], "# Get x\n");
    }

    #[test]
    fn no_front_matter_means_whole_text_is_body() {
        let text = "Create x\n\nNamespace: microsoft.graph\n";
        let (split, diags) = run(text);
        assert!(diags.is_empty());
        assert!(!split.front_matter.present);
        assert_eq!(split.body, 0..text.len());
    }

    #[test]
    fn unterminated_front_matter_is_an_error() {
        let (split, diags) = run("---\ntitle: x\n# Heading\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::FrontMatterUnterminated);
        assert_eq!(split.body.start, 4);
    }

    #[test]
    fn invalid_yaml_points_at_the_line_and_keeps_the_body() {
        let text = "---\ntitle: driveItem: createUploadSession\ndoc_type: apiPageType\n---\nbody\n";
        let (split, diags) = run(text);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::FrontMatterInvalid);
        // The span is on the title line, at or after the offending colon.
        let start = diags[0].span.range.start;
        assert!(text[..start].ends_with("title") || text[4..start].starts_with("title:"));
        assert!(!text[4..start].contains('\n'));
        assert_eq!(&text[split.body], "body\n");
    }

    #[test]
    fn doc_type_typo_is_recognised_with_a_warning() {
        let (split, diags) = run("---\ndoc_type: resourcePageType_\n---\n");
        assert_eq!(split.front_matter.doc_type, Some(DocType::Resource));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::DocTypeUnknown);
    }
}
