//! `docgen lint --format sarif`: one SARIF 2.1.0 log, for code scanning
//! (`github/codeql-action/upload-sarif`) and SARIF viewers.
//!
//! The log has one run: `tool.driver` is docgen, with every diagnostic code
//! as a rule (its summary, its explanation, its default level), in
//! [`Code::ALL`] order, so `ruleIndex` is a code's place in that list. Each
//! diagnostic is one result, in the order lint sorts them. Locations are
//! relative to the working directory (`uriBaseId` `SRCROOT`, which
//! `originalUriBaseIds` sets to it), which must be the repository's root
//! for code scanning to place them. Columns are in UTF-16 code units,
//! SARIF's default `columnKind` (said explicitly on the run); `endColumn`
//! is the column after the span.
//!
//! A small typed model rather than the `serde-sarif` crate (0.8, maintained):
//! docgen writes a dozen of SARIF's objects, while that crate generates all
//! of them at build time from the schema (2,300 lines, through a build script
//! with schemafy, Inflector and prettyplease 0.2), each with typed-builder
//! and strum derives: about 19 s more of a clean debug build here for what
//! is 250 lines below. Its 0.8.0 also needs serde's `derive` feature without
//! asking for it (it builds only where another crate turns it on).

use std::path::Path;

use serde::Serialize;

use super::region::{Columns, RelPath, region, relative_path};
use super::{Code, Diagnostic, Severity};
use crate::source::SourceMap;

/// The schema the log names.
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base that relative locations are relative to.
pub const SRCROOT: &str = "SRCROOT";

/// The whole log (`sarifLog`).
#[derive(Debug, Serialize)]
pub struct Log {
    /// The JSON schema of SARIF 2.1.0.
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    /// Always `2.1.0`.
    pub version: &'static str,
    /// One run.
    pub runs: Vec<Run>,
}

/// One run of one tool (`run`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    /// docgen and its rules.
    pub tool: Tool,
    /// Where `SRCROOT` is, when the working directory is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_uri_base_ids: Option<BaseIds>,
    /// How columns are counted: `utf16CodeUnits`.
    pub column_kind: &'static str,
    /// One result per diagnostic.
    pub results: Vec<SarifResult>,
}

/// `originalUriBaseIds`: the one base, `SRCROOT`.
#[derive(Debug, Serialize)]
pub struct BaseIds {
    /// The working directory, as a `file:` URI ending in `/`.
    #[serde(rename = "SRCROOT")]
    pub srcroot: Uri,
}

/// An `artifactLocation` holding only a URI.
#[derive(Debug, Serialize)]
pub struct Uri {
    /// The URI.
    pub uri: String,
}

/// `tool`.
#[derive(Debug, Serialize)]
pub struct Tool {
    /// docgen.
    pub driver: Driver,
}

/// `toolComponent`: docgen.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    /// `docgen`.
    pub name: &'static str,
    /// docgen's version.
    pub version: &'static str,
    /// docgen's home.
    pub information_uri: &'static str,
    /// Every diagnostic code, in [`Code::ALL`] order.
    pub rules: Vec<Rule>,
}

/// `reportingDescriptor`: one diagnostic code.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// The code (`example-value-type`).
    pub id: &'static str,
    /// Its summary.
    pub short_description: Text,
    /// Its explanation.
    pub full_description: Text,
    /// Its explanation again (what `docgen explain CODE` prints).
    pub help: Text,
    /// Its default severity.
    pub default_configuration: Configuration,
}

/// A `message` or `multiformatMessageString` with plain text.
#[derive(Debug, Serialize)]
pub struct Text {
    /// The text.
    pub text: String,
}

/// `reportingConfiguration`.
#[derive(Debug, Serialize)]
pub struct Configuration {
    /// `error` or `warning`.
    pub level: &'static str,
}

/// `result`: one diagnostic.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    /// The code.
    pub rule_id: &'static str,
    /// The code's index in the driver's rules.
    pub rule_index: usize,
    /// `error` or `warning`.
    pub level: &'static str,
    /// The message, then its notes, one per line.
    pub message: Text,
    /// Where: one location.
    pub locations: Vec<Location>,
}

/// `location`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// The page and region.
    pub physical_location: PhysicalLocation,
}

/// `physicalLocation`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    /// The page.
    pub artifact_location: ArtifactLocation,
    /// The lines and columns.
    pub region: SarifRegion,
}

/// `artifactLocation`: a page.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    /// Relative to `SRCROOT` (percent-encoded, `/`-separated), or a `file:`
    /// URI for a page outside the working directory.
    pub uri: String,
    /// `SRCROOT` for a relative `uri`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

/// `region`: 1-based lines and columns, the end column exclusive.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifRegion {
    /// The first line.
    pub start_line: usize,
    /// The first column.
    pub start_column: usize,
    /// The last line.
    pub end_line: usize,
    /// The column after the last character.
    pub end_column: usize,
}

/// The log of `diagnostics`, locations relative to `cwd` (the working
/// directory; `None` leaves `originalUriBaseIds` out and paths as given).
pub fn log(diagnostics: &[Diagnostic], sources: &SourceMap, cwd: Option<&Path>) -> Log {
    let rules = Code::ALL
        .iter()
        .map(|c| Rule {
            id: c.as_str(),
            short_description: Text {
                text: c.summary().to_owned(),
            },
            full_description: Text {
                text: c.explanation().to_owned(),
            },
            help: Text {
                text: c.explanation().to_owned(),
            },
            default_configuration: Configuration {
                level: level(c.severity()),
            },
        })
        .collect();
    let results = diagnostics
        .iter()
        .map(|d| {
            let file = sources.get(d.span.file);
            let (uri, uri_base_id) = match relative_path(&file.display_path, cwd) {
                RelPath::Relative(p) => (percent_encode(&p), Some(SRCROOT)),
                RelPath::Absolute(p) => (file_uri(&p), None),
            };
            let r = region(d, sources, Columns::Utf16);
            let mut text = d.message.clone();
            for note in &d.notes {
                text.push_str("\nnote: ");
                text.push_str(note);
            }
            SarifResult {
                rule_id: d.code.as_str(),
                rule_index: Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
                level: level(d.severity),
                message: Text { text },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri, uri_base_id },
                        region: SarifRegion {
                            start_line: r.start_line,
                            start_column: r.start_column,
                            end_line: r.end_line,
                            end_column: r.end_column,
                        },
                    },
                }],
            }
        })
        .collect();
    let original_uri_base_ids = cwd.map(|cwd| {
        let mut uri = file_uri(&cwd.to_string_lossy().replace('\\', "/"));
        if !uri.ends_with('/') {
            uri.push('/');
        }
        BaseIds {
            srcroot: Uri { uri },
        }
    });
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "docgen",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            original_uri_base_ids,
            column_kind: "utf16CodeUnits",
            results,
        }],
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A `file:` URI for an absolute `/`-separated path (`C:/x` on Windows
/// becomes `file:///C:/x`).
fn file_uri(path: &str) -> String {
    if path.starts_with('/') {
        format!("file://{}", percent_encode(path))
    } else {
        format!("file:///{}", percent_encode(path))
    }
}

/// Percent-encodes what a URI path cannot hold: every byte but the
/// unreserved characters, `/` and a drive letter's `:`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        let drive = b == b':' && i == 1;
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) || drive {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            percent_encode("docs/a b%#é.md"),
            "docs/a%20b%25%23%C3%A9.md"
        );
        assert_eq!(file_uri("/w/x y/"), "file:///w/x%20y/");
        assert_eq!(file_uri("C:/w"), "file:///C:/w");
    }

    #[test]
    fn one_result_per_diagnostic_with_rules_for_every_code() {
        let mut sources = SourceMap::default();
        let id = sources.add(SourceFile::new(
            "/repo/docs/a.md".into(),
            "a.md".into(),
            "/repo/docs/a.md".into(),
            "😀 \"count\": \"Integer\"\n".into(),
        ));
        let d = Diagnostic::new(Code::ExampleValueType, Span::new(id, 14..23), "bad")
            .with_note("fix it");
        let value = serde_json::to_value(log(&[d], &sources, Some(Path::new("/repo"))))
            .expect("serializes");
        let run = &value["runs"][0];
        assert_eq!(value["version"], "2.1.0");
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().map(Vec::len),
            Some(Code::ALL.len())
        );
        assert_eq!(run["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///repo/");
        let result = &run["results"][0];
        assert_eq!(result["ruleId"], "example-value-type");
        assert_eq!(
            run["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().expect("index") as usize]["id"],
            "example-value-type"
        );
        assert_eq!(result["message"]["text"], "bad\nnote: fix it");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "docs/a.md");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "SRCROOT");
        // The emoji is two UTF-16 units: `"Integer"` starts at unit 13.
        assert_eq!(
            location["region"],
            serde_json::json!({"startLine": 1, "startColumn": 13, "endLine": 1, "endColumn": 22})
        );
    }
}
