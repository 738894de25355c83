//! IR: the types and operations the pages describe, merged across pages.
//!
//! Built from every page's facts by [`build`]: types are indexed by name (not by
//! file), pages about the same type merge, enums are named and deduplicated,
//! type references are resolved, operations get names that are unique in the
//! whole IR, and examples are checked against the types. The IR is what both
//! `docgen ir --json` prints and the emitter reads.

mod build;
pub mod checks;
mod examples;
mod json;
mod json_write;
mod naming;
mod operations;
mod paths;
mod types;

pub use build::build;
pub use json::{DiagnosticJson, IrJson, diagnostic_json, ir_json, to_json};
pub use json_write::write_pretty as write_json;
pub(crate) use naming::{prepare as prepare_naming, singular};

use crate::extract::urlpath::Segment;
use crate::source::Span;

/// The namespace of most Graph types.
pub const GRAPH_NAMESPACE: &str = "microsoft.graph";

/// The whole IR.
#[derive(Clone, Debug, Default)]
pub struct Ir {
    /// Types, sorted by qualified name.
    pub types: Vec<TypeDef>,
    /// Operations, sorted by name.
    pub operations: Vec<Operation>,
}

impl Ir {
    /// The type with this reference name, if defined.
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.ref_name() == name)
    }
}

/// Entity, complex type or enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeKind {
    /// Has a key; addressable by path.
    Entity,
    /// A value type without a key.
    Complex,
    /// A string enumeration.
    Enum,
}

impl TypeKind {
    /// `entity`, `complex` or `enum`.
    pub fn as_str(self) -> &'static str {
        match self {
            TypeKind::Entity => "entity",
            TypeKind::Complex => "complex",
            TypeKind::Enum => "enum",
        }
    }
}

/// A type.
#[derive(Clone, Debug)]
pub struct TypeDef {
    /// The name as the docs write it (`managedDeviceMobileAppConfigurationUserStatus`).
    pub name: String,
    /// The namespace (`microsoft.graph`).
    pub namespace: String,
    /// Entity, complex or enum.
    pub kind: TypeKind,
    /// The base type's reference name.
    pub base: Option<String>,
    /// The description (from the resource page).
    pub description: Option<String>,
    /// Properties in page order (inherited ones the page lists included).
    pub properties: Vec<Property>,
    /// Enum members in page order.
    pub members: Vec<EnumMember>,
    /// Where the type is described (first the defining page).
    pub sources: Vec<Span>,
    /// Whether instances may carry properties the docs do not list.
    pub open: bool,
    /// Whether the type is abstract.
    pub is_abstract: bool,
    /// Facts docgen inferred rather than read (`kind`, `base`, `members`, `name`).
    pub inferred: Vec<&'static str>,
    /// The product area (`ms.prod`), used to group generated code.
    pub area: String,
}

impl TypeDef {
    /// Makes a complex type an entity, noting that docgen inferred it.
    pub fn mark_entity(&mut self) {
        if self.kind == TypeKind::Complex {
            self.kind = TypeKind::Entity;
            if !self.inferred.contains(&"kind") {
                self.inferred.push("kind");
            }
        }
    }

    /// The name other IR items use to refer to this type: the bare name in the
    /// Graph namespace, the qualified name elsewhere.
    pub fn ref_name(&self) -> String {
        if self.namespace == GRAPH_NAMESPACE {
            self.name.clone()
        } else {
            format!("{}.{}", self.namespace, self.name)
        }
    }
}

/// A reference to a type from a property, a body or a response.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeRef {
    /// An Edm primitive name (`String`), `Json`, or a type's reference name.
    pub name: String,
    /// Whether it is a collection.
    pub collection: bool,
}

/// The Edm primitive names the IR uses.
pub const PRIMITIVES: &[&str] = &[
    "String",
    "Int16",
    "Int32",
    "Int64",
    "Boolean",
    "DateTimeOffset",
    "Double",
    "Single",
    "Guid",
    "Binary",
    "Date",
    "TimeOfDay",
    "Duration",
    "Decimal",
    "Byte",
    "SByte",
    "Stream",
];

/// The name the IR uses for untyped JSON.
pub const JSON_TYPE: &str = "Json";

impl TypeRef {
    /// Whether the type is an Edm primitive.
    pub fn is_primitive(&self) -> bool {
        PRIMITIVES.contains(&self.name.as_str())
    }
}

/// A property of a type.
#[derive(Clone, Debug)]
pub struct Property {
    /// The JSON name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Whether it is a relationship (navigation property).
    pub navigation: bool,
    /// Whether the property is declared by a base type (the page lists it, or a
    /// base type's page declares it).
    pub inherited: bool,
    /// The description.
    pub description: Option<String>,
    /// Where it is documented.
    pub source: Span,
    /// How a type named in the cell was resolved, unless by its exact name.
    pub resolution: Option<Resolution>,
}

/// How a Type cell's named type was resolved, when not simply by its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The type as the cell writes it (`IdentitySet`, `Timestamp`).
    pub written: String,
    /// Why the property has the type it has.
    pub by: ResolvedBy,
    /// The type the cell's link points at, when the written name names another.
    pub link_type: Option<String>,
}

/// Why a type reference resolved to the type it did (the audit of issue 10:
/// every property typed otherwise than its cell's exact name has one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResolvedBy {
    /// The name as written.
    Name,
    /// The name up to case: `IdentitySet` for `identitySet` (titles capitalise).
    NameIgnoringCase,
    /// The link's file settles the namespace of a name two namespaces define.
    LinkNamespace,
    /// The link's anchor names an enum on the linked page (`chat.md#chattype-values`).
    Anchor,
    /// The written name names no type; the link's file does.
    LinkFile,
    /// The singular of a plural name (`secureScores`).
    Singular,
    /// The name and the link disagree; the JSON representation names this one.
    JsonRepresentation,
    /// The name and the link disagree and nothing decides: the written name (doubtful).
    NameOverLink,
    /// A primitive spelling linked to the page of the type of that name (`[timeStamp](timestamp.md)`).
    LinkedPage,
    /// A primitive spelling (`DateTimeOffset`) linked to another type's page: the primitive.
    PrimitiveOverLink,
}

impl ResolvedBy {
    /// The reason as written in the IR's JSON (`name-ignoring-case`).
    pub fn as_str(self) -> &'static str {
        match self {
            ResolvedBy::Name => "name",
            ResolvedBy::NameIgnoringCase => "name-ignoring-case",
            ResolvedBy::LinkNamespace => "link-namespace",
            ResolvedBy::Anchor => "anchor",
            ResolvedBy::LinkFile => "link-file",
            ResolvedBy::Singular => "singular",
            ResolvedBy::JsonRepresentation => "json-representation",
            ResolvedBy::NameOverLink => "name-over-link",
            ResolvedBy::LinkedPage => "linked-page",
            ResolvedBy::PrimitiveOverLink => "primitive-over-link",
        }
    }
}

/// An enum member.
#[derive(Clone, Debug)]
pub struct EnumMember {
    /// The wire value.
    pub name: String,
    /// The numeric value, when the docs give one.
    pub value: Option<i64>,
    /// The description.
    pub description: Option<String>,
    /// Where it is documented.
    pub source: Span,
}

/// A documented path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathTemplate {
    /// As documented: placeholders kept, no host, no version, no query.
    pub path: String,
    /// Its segments.
    pub segments: Vec<Segment>,
    /// Where it is documented.
    pub source: Span,
    /// The query the request line writes (`$expand=manager`), if any: a line
    /// with one documents a variant of the plain request on that path.
    pub query: Option<String>,
}

/// An operation: one method on one or more paths.
#[derive(Clone, Debug)]
pub struct Operation {
    /// Unique name (lower camel case).
    pub name: String,
    /// The HTTP method.
    pub method: String,
    /// Documented paths (alternatives expanded), in page order.
    pub paths: Vec<PathTemplate>,
    /// Path parameter names in order of first appearance.
    pub path_params: Vec<String>,
    /// OData query options the page documents (`$select`).
    pub query_options: Vec<String>,
    /// Whether the page only says "supports the OData query parameters" and
    /// `query_options` are the system options that apply to the method.
    pub query_options_inferred: bool,
    /// The request body.
    pub request_body: Option<RequestBody>,
    /// The success response.
    pub response: Option<Response>,
    /// The page title.
    pub title: Option<String>,
    /// The page's summary.
    pub description: Option<String>,
    /// The Permissions table.
    pub permissions: Vec<Permission>,
    /// Request headers the page documents, beyond those every request sends
    /// (`Authorization`, `Content-Type`, `Accept`…): the Request headers
    /// table's rows and the headers of its example requests.
    pub request_headers: Vec<RequestHeader>,
    /// Where: the first request line.
    pub source: Span,
    /// Every page documenting this operation (first request line of each).
    pub sources: Vec<Span>,
    /// The product area.
    pub area: String,
    /// Documented examples.
    pub examples: Vec<ExamplePair>,
}

/// A request body.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RequestBody {
    /// A JSON representation of a type.
    Type(TypeRef),
    /// Action parameters: a JSON object with these members.
    Parameters(Vec<Parameter>),
}

/// An action parameter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Parameter {
    /// The JSON name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// The description.
    pub description: Option<String>,
    /// Whether the page says it is required.
    pub required: Option<bool>,
}

/// The success response.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Response {
    /// The documented success status.
    pub status: u16,
    /// The body type, if any.
    pub ty: Option<TypeRef>,
}

/// A request header a page documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestHeader {
    /// The name, as first written (`ConsistencyLevel`).
    pub name: String,
    /// Values the page shows: the table's (`Prefer: outlook.timezone`) and
    /// the examples' (`outlook.timezone="Pacific Standard Time"`), in page order.
    pub values: Vec<String>,
    /// What the table says of it.
    pub description: Option<String>,
}

/// One row of a Permissions table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Permission {
    /// `Delegated (work or school account)`, `Application`…
    pub kind: String,
    /// The permissions, as listed.
    pub permissions: Vec<String>,
}

/// A documented request with its response.
#[derive(Clone, Debug)]
pub struct ExamplePair {
    /// The request, when documented.
    pub request: Option<ExampleRequest>,
    /// The response, when documented.
    pub response: Option<ExampleResponse>,
}

/// A documented example request.
#[derive(Clone, Debug)]
pub struct ExampleRequest {
    /// The annotation's name.
    pub name: Option<String>,
    /// Method.
    pub method: String,
    /// Path (host and version removed).
    pub path: String,
    /// Query string, if any.
    pub query: Option<String>,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// The body: JSON when readable.
    pub body: Option<ExampleBody>,
    /// Where the request line is.
    pub source: Span,
}

/// A documented example response.
#[derive(Clone, Debug)]
pub struct ExampleResponse {
    /// The status, when the example shows one.
    pub status: Option<u16>,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Option<ExampleBody>,
    /// The type the annotation names.
    pub odata_type: Option<String>,
    /// Whether the annotation says the body is shortened.
    pub truncated: bool,
    /// Where the status line is.
    pub source: Span,
}

/// An example body.
#[derive(Clone, Debug)]
pub struct ExampleBody {
    /// The raw text.
    pub raw: std::sync::Arc<str>,
    /// The JSON, when it could be read.
    pub json: Option<std::sync::Arc<crate::extract::json::Parsed>>,
    /// Whether the text was strict JSON.
    pub strict: bool,
    /// Why the text is not strict JSON (read leniently) or could not be read at all.
    pub defect: Option<String>,
    /// The page the body is on.
    pub file: crate::source::FileId,
    /// Where the body's text lies in the page: (body offset, page offset) pieces.
    pub pieces: Vec<(usize, usize)>,
}

impl ExampleBody {
    /// The page span of a range of the body text (a JSON node's range).
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        let fallback = self.pieces.first().map_or(0, |p| p.1);
        let start = crate::extract::blocks::map_offset(&self.pieces, fallback, range.start);
        let end = crate::extract::blocks::map_offset(&self.pieces, fallback, range.end).max(start);
        Span::new(self.file, start..end)
    }

    /// The body as serde_json, when it is (lenient) JSON.
    pub fn value(&self) -> Option<serde_json::Value> {
        self.json.as_ref().map(|p| p.node.to_value())
    }
}
