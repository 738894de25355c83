//! Runtime support for the Microsoft Graph SDK that docgen generates.
//!
//! Generated operations build a [`Request`] through [`Client::request`], add
//! OData query options and a JSON body, and `.await` it. This crate owns
//! everything that is not specific to one operation: authentication, URL and
//! path encoding, error decoding, paged [`Collection`]s, raw content
//! ([`Download`]s streamed chunk by chunk, [`RawBody`] uploads), resumable
//! uploads of large files ([`UploadTask`]), JSON batching of any requests
//! ([`Batch`]), long-running operations ([`Operation`]: `202 Accepted` and a
//! monitor to poll) and the serde helpers that generated models use.
//!
//! ```ignore
//! use docgen_runtime::{Client, Collection, Method, StaticToken, encode_path_segment};
//!
//! let client = Client::new(StaticToken::new("eyJ0eXAi..."))?;
//! let path = format!("/users/{}/messages", encode_path_segment("adele@contoso.com"));
//! let page: Collection<serde_json::Value> = client
//!     .request(Method::GET, path)
//!     .select(["id", "subject"])
//!     .top(10)
//!     .await?;
//! ```
//!
//! Signing in: a fixed token ([`StaticToken`], [`ClientBuilder::bearer_token`]),
//! any [`TokenProvider`] (cache one with [`TokenCache`]), an azure_identity
//! credential (feature `azure-identity`, `ClientBuilder::credential`), the
//! device code flow (feature `device-code`, `ClientBuilder::device_code`), or
//! the client credentials grant with a client secret (feature
//! `client-credentials`, `ClientBuilder::client_credentials`).
//! The token is sent only to the base URL's scheme, host and port.
//!
//! HTTPS uses rustls with the *ring* provider, which builds with nothing but
//! a C compiler. Creating a [`ClientBuilder`] installs *ring* as rustls'
//! process-wide default provider unless one is installed already.
//!
//! A generated standalone crate copies these sources verbatim into a
//! `runtime` module. That is why they only use `super::`-relative paths and
//! why examples are `ignore`d rather than doctests naming this crate.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "azure-identity")]
mod azure_credential;
mod batch;
mod batch_response;
mod batch_send;
mod batch_wire;
mod bearer;
mod client;
#[cfg(feature = "client-credentials")]
mod client_credentials;
mod cloud;
mod collection;
mod content;
#[cfg(feature = "device-code")]
mod device_code;
mod duration;
mod error;
mod instant_text;
mod json_body;
mod members;
mod node;
mod null_members;
mod numbers;
#[cfg(any(feature = "device-code", feature = "client-credentials"))]
mod oauth_http;
mod operation;
mod operation_error;
mod operation_status;
mod paging;
mod path;
mod polymorphic;
mod property;
mod raw_body;
mod request;
mod request_headers;
mod retry;
mod serde_helpers;
mod token;
mod token_cache;
mod upload_error;
mod upload_ranges;
mod upload_session;
mod upload_source;
mod upload_task;
mod www_authenticate;

#[cfg(feature = "azure-identity")]
pub use self::azure_credential::AzureCredential;
pub use self::batch::{Batch, BatchItem, MAX_BATCH_ITEMS};
pub use self::batch_response::{BatchItemResponse, BatchResponses};
pub use self::client::{Client, ClientBuilder};
#[cfg(feature = "client-credentials")]
pub use self::client_credentials::{ClientCredentials, ClientCredentialsProvider};
pub use self::cloud::graph_scope;
pub use self::collection::Collection;
pub use self::content::{Content, Download};
#[cfg(feature = "device-code")]
pub use self::device_code::{DEFAULT_TENANT, DeviceCodeFlow, DeviceCodePrompt, DeviceCodeProvider};
pub use self::duration::IsoDuration;
pub use self::error::{ApiError, Error, SignInError};
pub use self::json_body::from_json_body;
pub use self::members::{
    MemberWriter, Members, debug_model, deserialize_enum, deserialize_model, read, read_base64,
    read_instant, read_number, read_numbers,
};
pub use self::node::Node;
pub use self::numbers::{ODataNumber, odata_number, odata_numbers};
pub use self::operation::{
    Accepted, DEFAULT_MAX_POLL_INTERVAL, DEFAULT_MAX_WAIT, DEFAULT_POLL_INTERVAL, Operation,
};
pub use self::operation_error::OperationError;
pub use self::operation_status::{OperationState, OperationStatus};
pub use self::path::{encode_drive_path, encode_path_segment, encode_path_string_literal};
pub use self::polymorphic::{Polymorphic, deserialize_polymorphic, odata_type_key, odata_type_or};
pub use self::property::Property;
pub use self::raw_body::RawBody;
pub use self::request::Request;
pub use self::retry::RetryPolicy;
pub use self::serde_helpers::{base64_bytes, option_base64_bytes};
pub use self::token::{StaticToken, TokenFuture, TokenProvider};
pub use self::token_cache::{
    DEFAULT_REFRESH_MARGIN, ExpiringToken, FetchFuture, FetchToken, TokenCache,
};
pub use self::upload_error::UploadError;
pub use self::upload_ranges::ByteRange;
pub use self::upload_session::{UploadStatus, cancel_upload, upload_status};
pub use self::upload_task::{
    DEFAULT_UPLOAD_SLICE_SIZE, UPLOAD_SLICE_UNIT, UploadProgress, UploadTask,
};

/// A chunk of a [`Download`] or of a streamed [`RawBody`]: a cheaply
/// cloned, reference-counted byte buffer.
pub use bytes::Bytes;

/// HTTP method of a [`Request`], re-exported so generated code needs no
/// direct `reqwest` dependency.
pub use reqwest::Method;

/// Base URL of the Microsoft Graph v1.0 endpoint; the default for [`Client`].
pub const GRAPH_V1_0: &str = "https://graph.microsoft.com/v1.0";

/// Base URL of the Microsoft Graph beta endpoint.
pub const GRAPH_BETA: &str = "https://graph.microsoft.com/beta";

/// The `User-Agent` that a [`Client`] sends unless told otherwise.
///
/// Spelled out rather than built from `CARGO_PKG_VERSION` because a
/// standalone crate that inlines these sources has its own package version.
pub const DEFAULT_USER_AGENT: &str = "docgen-runtime/0.1.0";

#[cfg(test)]
mod tests {
    #[test]
    fn default_user_agent_names_this_version() {
        // Only meaningful when built as the docgen-runtime package itself.
        if env!("CARGO_PKG_NAME") == "docgen-runtime" {
            assert_eq!(
                super::DEFAULT_USER_AGENT,
                concat!("docgen-runtime/", env!("CARGO_PKG_VERSION"))
            );
        }
    }
}
