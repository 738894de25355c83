//! Annotation comments: `<!-- { "blockType": "request", ... } -->`.

use std::ops::Range;

use super::json::{self, Kind, Node};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, Span};

/// What an annotation says (only the keys docgen uses).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotation {
    /// `blockType`: request, response, resource, ignored, example…
    pub block_type: Option<String>,
    /// `name` (a string, or an array of names pairing one response with several requests).
    pub names: Vec<String>,
    /// `@odata.type` (or `@type`), as written.
    pub odata_type: Option<String>,
    /// `isCollection`.
    pub is_collection: Option<bool>,
    /// `truncated`: the example shows only some properties.
    pub truncated: bool,
    /// `keyProperty` of a resource.
    pub key_property: Option<String>,
    /// `baseType` of a resource.
    pub base_type: Option<String>,
    /// `openType` of a resource.
    pub open_type: bool,
    /// `abstract` / `isAbstract` of a resource.
    pub is_abstract: bool,
    /// Byte range of the comment.
    pub span: Range<usize>,
}

/// Reads a comment body as an annotation, if it is one (its text starts with `{`).
pub fn read(
    body: &str,
    body_start: usize,
    span: Range<usize>,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<Annotation> {
    let lead = body.len() - body.trim_start().len();
    if !body[lead..].starts_with('{') {
        return None;
    }
    let node = match json::parse(body) {
        Ok(parsed) => {
            if let Some(defect) = parsed.defect {
                let at = body_start + defect.offset.min(body.len());
                diags.push(
                    Diagnostic::new(
                        Code::AnnotationLenient,
                        Span::new(file, at..at + 1),
                        format!("annotation is not strict JSON: {}", defect.message),
                    )
                    .with_note("docgen read it leniently"),
                );
            }
            parsed.node
        }
        Err(defect) => {
            let at = body_start + defect.offset.min(body.len());
            diags.push(
                Diagnostic::new(
                    Code::AnnotationInvalid,
                    Span::new(file, at..at + 1),
                    format!("annotation could not be read: {}", defect.message),
                )
                .with_note("the block below it is read without the annotation"),
            );
            return None;
        }
    };
    if node.get("type").and_then(Node::as_str) == Some("#page.annotation") {
        return None;
    }
    let string = |key: &str| node.get(key).and_then(Node::as_str).map(str::to_owned);
    let flag = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| node.get(k).and_then(Node::as_bool_lenient))
            .unwrap_or(false)
    };
    let names = match node.get("name").map(|n| &n.kind) {
        Some(Kind::String(s)) => vec![s.clone()],
        Some(Kind::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    Some(Annotation {
        block_type: string("blockType").map(|b| b.to_ascii_lowercase()),
        names,
        odata_type: string("@odata.type").or_else(|| string("@type")),
        is_collection: node.get("isCollection").and_then(Node::as_bool_lenient),
        truncated: flag(&["truncated"]),
        key_property: string("keyProperty"),
        base_type: string("baseType"),
        open_type: flag(&["openType"]),
        is_abstract: flag(&["abstract", "isAbstract"]),
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_one(body: &str) -> (Option<Annotation>, Vec<Diagnostic>) {
        let mut diags = Diagnostics::new();
        let a = read(body, 0, 0..body.len(), FileId(0), &mut diags);
        (a, diags.as_slice().to_vec())
    }

    #[test]
    fn reads_the_keys() {
        let (a, d) = read_one(
            r#" { "blockType": "Response", "truncated": "true", "@odata.type": "microsoft.graph.user", "isCollection": true, "name": ["a", "b"] } "#,
        );
        let a = a.expect("annotation");
        assert!(d.is_empty());
        assert_eq!(a.block_type.as_deref(), Some("response"));
        assert!(a.truncated);
        assert_eq!(a.is_collection, Some(true));
        assert_eq!(a.names, ["a", "b"]);
        assert_eq!(a.odata_type.as_deref(), Some("microsoft.graph.user"));
    }

    #[test]
    fn lenient_and_invalid_annotations_are_diagnosed() {
        let (a, d) = read_one("{ \"blockType\": \"response\", }");
        assert!(a.is_some());
        assert_eq!(d[0].code, Code::AnnotationLenient);
        let (a, d) = read_one("{ \"blockType\": ... ");
        assert!(a.is_none());
        assert_eq!(d[0].code, Code::AnnotationInvalid);
    }

    #[test]
    fn page_annotations_and_prose_comments_are_not_block_annotations() {
        assert!(
            read_one(r##"{ "type": "#page.annotation", "description": "x" }"##)
                .0
                .is_none()
        );
        assert!(read_one(" a note to editors ").0.is_none());
    }
}
