//! The catalogue of diagnostic codes.
//!
//! Codes are stable: tools and CI configurations may match on them. A code is
//! never reused for another meaning; a retired code stays in this list.

use super::Severity;

macro_rules! catalogue {
    ($( $variant:ident = $code:literal, $severity:ident, $summary:literal, $explanation:literal; )*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $summary]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as written in output (`example-value-type`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The default severity.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// One line saying what the code means.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }

            /// What the code means, why it matters and how to fix the page.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => $explanation,)* }
            }
        }
    };
}

catalogue! {
    ReadFailed = "read-failed", Error,
        "The file could not be read.",
        "docgen could not read the file from disk (permissions, a broken link, a folder \
         that vanished). The file is skipped; every other page is still processed.";
    InvalidUtf8 = "invalid-utf8", Warning,
        "The file is not valid UTF-8.",
        "Pages must be UTF-8. Invalid bytes were replaced by U+FFFD and the page was read \
         anyway; names containing the replacement character will not match other pages. \
         Re-save the file as UTF-8.";
    FrontMatterMissing = "front-matter-missing", Warning,
        "A Markdown page has no YAML front matter.",
        "Reference pages start with a `---` block holding title, description, ms.prod and \
         doc_type. Without it docgen cannot tell the page type or the area, and guesses from \
         the headings. Add the front matter block.";
    FrontMatterUnterminated = "front-matter-unterminated", Error,
        "The front matter block is never closed.",
        "The page starts with `---` but no later line is `---`, so the whole page would be \
         front matter. docgen reads the page as if it had no front matter. Add the closing \
         `---` line.";
    FrontMatterInvalid = "front-matter-invalid", Error,
        "The front matter is not valid YAML.",
        "The block between the `---` lines could not be parsed as YAML, often because a \
         value holds an unquoted colon (`title: driveItem: createUploadSession`). Its keys \
         are lost (docgen carries on with the rest of the page). Quote the value.";
    DocTypeUnknown = "doc-type-unknown", Warning,
        "The front matter's doc_type is not a known page type.",
        "Known values are apiPageType, resourcePageType, enumPageType and \
         conceptualPageType. docgen read the page by its headings instead. Fix the typo.";
    DocTypeMismatch = "doc-type-mismatch", Warning,
        "The front matter's doc_type disagrees with what the page documents.",
        "The page says, for example, `doc_type: apiPageType` but documents a resource type \
         (a Properties table and a JSON representation, no request line). docgen reads the \
         page by its content; fix the doc_type so other tools do too.";
    AnnotationLenient = "annotation-lenient", Warning,
        "An annotation comment is not strict JSON; it was read leniently.",
        "Annotations such as `<!-- { \"blockType\": \"request\" } -->` must be JSON. This \
         one has a defect (a trailing comma, an unquoted key, a raw newline in a string) \
         that docgen forgave. Other tools reading the docs may not: fix the JSON.";
    AnnotationInvalid = "annotation-invalid", Error,
        "An annotation comment could not be read, even leniently.",
        "The comment starts like an annotation (`<!-- {`) but its content is not JSON in any \
         form docgen can recover. The block it describes is read without it.";
    TableRowCells = "table-row-cells", Warning,
        "A table row has a different number of cells than its header.",
        "Usually an unescaped `|` inside a cell (write `\\|`) or a cell broken by a raw \
         newline. Missing cells are read as empty; extra cells are joined to the last one.";
    TypeCellUnparsed = "type-cell-unparsed", Warning,
        "A Type cell does not name one type.",
        "Type cells should name one type (`String`, `[identitySet](identityset.md)`, \
         `String collection`). This one is a union (`A or B`), free text, or empty. docgen \
         used the fallback noted in the message (usually untyped JSON).";
    HttpLineInvalid = "http-line-invalid", Warning,
        "A line in an HTTP block is not a request line.",
        "Request blocks hold lines of the form `METHOD /path`. This line could not be read \
         as one (a missing space after the method, a stray character, a generator \
         placeholder) and was skipped.";
    FenceUnclosed = "fence-unclosed", Warning,
        "A code block's fence is never closed.",
        "A ``` fence opens a block that no ``` line closes, so the sections after it (and \
         the next example's fence) read as code. docgen ends the block where a heading or a \
         fence appears inside it and reads the rest as Markdown. Add the closing fence.";
    HttpLineRepaired = "http-line-repaired", Warning,
        "An HTTP line was read past a defect.",
        "A request or status line has a defect docgen could read past: a stray `+` before \
         the method, a missing space after it, `HTTP code: 201` instead of a status line, \
         text after a JSON body. The message says what was assumed; fix the line.";
    HttpRequestMissing = "http-request-missing", Warning,
        "An API page documents no request line.",
        "API pages document their endpoint under `## HTTP request` as one or more \
         `METHOD /path` lines in an ```http block. None was found, so the page yields no \
         operation.";
    ExampleJsonLenient = "example-json-lenient", Warning,
        "An example body is not strict JSON; it was read leniently.",
        "The JSON body of an example has a defect (trailing comma, comment, single quotes, \
         NBSP indentation) that docgen forgave. Clients copying the example will fail: fix \
         the JSON.";
    ExampleJsonInvalid = "example-json-invalid", Warning,
        "An example body could not be read as JSON.",
        "The example says it is JSON but could not be parsed even leniently (an ellipsis, a \
         truncated body). The raw text is kept; the example is not checked against its \
         types.";
    ExampleValueType = "example-value-type", Warning,
        "An example value contradicts the type its page documents.",
        "A value in an example body does not fit the property's documented type: a \
         placeholder such as \"Integer\" or \"String (timestamp)\" where a number or a \
         timestamp belongs, or an enum value that is not one of the documented members. \
         Replace it with a realistic value.";
    ExampleOdataType = "example-odata-type", Warning,
        "An example's @odata.type names another type or namespace than its page.",
        "The `@odata.type` in the example body does not match the type the page documents \
         (often an internal namespace such as microsoft.management.services.api). Use the \
         public name, `#microsoft.graph.<type>`.";
    ExamplePathMismatch = "example-path-mismatch", Warning,
        "An example request uses a path that the HTTP request section does not document.",
        "The example's URL does not match any request line of the page's `## HTTP request` \
         section (after removing the host, the version and concrete ids). docgen keeps the \
         documented path; fix the example or the section.";
    ExampleMethodMismatch = "example-method-mismatch", Warning,
        "An example request uses another HTTP method than the page documents.",
        "The example's method differs from every documented request line's method.";
    ExampleBodyMissing = "example-body-missing", Warning,
        "A success response example shows no body, but the Response section documents one.",
        "The `## Response` prose says the method returns an object, and the example \
         response's code block ends after the status line and headers. Put the JSON body \
         in the same code block, after a blank line (a separate ```json block is not read \
         as the body).";
    ExampleStatusMismatch = "example-status-mismatch", Warning,
        "An example response's status differs from the status the Response section states.",
        "The `## Response` prose says the method returns one status code and the example \
         response shows another. docgen uses the prose; fix whichever is wrong.";
    NameUnusable = "name-unusable", Warning,
        "A table row's name cell holds no name docgen can use; the row is skipped.",
        "The first cell of a Properties, Parameters or Members row must be a name (letters, \
         digits, `_`, `-`, `.`, `@`, `$`), such as `displayName`. This cell holds none, only \
         punctuation or code, so the row describes nothing docgen can generate. Write the \
         name the JSON uses.";
    PageDuplicate = "page-duplicate", Warning,
        "A file is a stray copy of a page.",
        "The file `x.md.txt` repeats the page `x.md` beside it. docgen reads only the page, \
         so its types and defects are not counted twice. Delete the copy.";
    PageEmpty = "page-empty", Warning,
        "A page contributes no type and no operation.",
        "docgen found nothing it could turn into a type or an operation on this page (no \
         Properties table, no enum table, no request line). Conceptual pages are skipped \
         silently; this page looked like a reference page.";
    TypeUnresolved = "type-unresolved", Warning,
        "A type is referenced but no page defines it.",
        "A Type cell, a link or an @odata.type names a type for which no resource or enum \
         page was read. The generated code uses untyped JSON for it. Check the link target \
         and the type's name.";
    PropertyConflict = "property-conflict", Warning,
        "Two pages disagree about a property of the same type.",
        "Pages describing the same type give one property different types. docgen keeps \
         the type from the page listed first (resource pages before API pages); fix the \
         other page.";
    EnumConflict = "enum-conflict", Warning,
        "Two pages list different members for the same enum.",
        "An enum's members differ between pages. docgen keeps the union, in the order of \
         the first page, and flags the difference.";
    LinkBroken = "link-broken", Warning,
        "A link to a type's page points to a page that does not exist.",
        "A Type cell or a Request body / Response sentence links to a page (`../resources/x.md`) \
         that is not in the docs. docgen still resolves the type by name where it can. Fix \
         the link's file name.";
    TypeLinkMismatch = "type-link-mismatch", Warning,
        "A Type cell names one type but links to the page of another.",
        "The cell writes one type (`[servicePrincipal](provisioningserviceprincipal.md)`, \
         `[DateTimeOffset](timestamp.md)`) and links to the page of another, so a reader cannot \
         tell which the property holds. docgen uses the type the page's JSON representation \
         names when it names one of the two, the primitive when the cell writes a primitive, \
         and otherwise the written name (the note says which). Make the link text and the \
         link name the same type.";
    EnumFutureValueMissing = "enum-future-value-missing", Warning,
        "An enum lacks `unknownFutureValue` while most enums of its area have it.",
        "Graph marks evolvable enums with a last member `unknownFutureValue`; clients treat \
         values after it as unknown, which lets the service add members safely. Most enums \
         of this page's area (`ms.prod`) have it and this one does not: add it, or confirm \
         the enum can never grow.";
    PathExampleId = "path-example-id", Warning,
        "A request line in the HTTP request section holds an example's id instead of a placeholder.",
        "The HTTP request section documents the shape of every request, so a segment that \
         holds a key is written as a placeholder (`/education/classes/{class-id}`), not as one \
         example's id (`/education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793`). docgen reads \
         an id-shaped segment after a collection as that collection's key, named as the note \
         says; write that placeholder in the page.";
    PathWithoutExample = "path-without-example", Warning,
        "A documented request line has no example request.",
        "The page documents several request lines (for example `/me/events` and \
         `/users/{id}/events`) and its examples use only some of them. A reader has no \
         example for this one; consider adding one.";
    EmitUnsupported = "emit-unsupported", Warning,
        "Something the page documents could not be expressed in the generated SDK.",
        "docgen drops what it cannot generate correctly instead of emitting broken code: \
         a path with characters that cannot appear in a URL path, `.` or `..` segments, a \
         `...` that elides part of a path, and the like. The message says what was dropped.";
    EmitLimit = "emit-limit", Warning,
        "A type is larger than generated code can hold; part of it is left untyped.",
        "Past a few thousand fields in one struct the Rust compiler runs out of stack and \
         crashes, and large structs and enums cost minutes and gigabytes to compile. docgen \
         types the first 1,000 properties of a struct (or parameters of a body) and the first \
         5,000 members of an enum; other properties are still read, untyped, into \
         `additional_properties`, and other enum values into the catch-all variant. A real \
         type this large is almost certainly a broken table: check the page.";
    BodyPropertyUnknown = "body-property-unknown", Warning,
        "A request body table names a property its type does not have.",
        "The Request body table lists a property that the type's resource page does not \
         document. Either the table or the resource page is wrong.";
}

impl Code {
    /// The code with this name, if any.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "duplicate code {name}");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name} is not kebab-case"
            );
            assert_eq!(Code::from_name(name), Some(*code));
            assert!(!code.explanation().is_empty());
        }
        assert_eq!(Code::from_name("no-such-code"), None);
    }
}
