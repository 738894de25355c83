//! `docgen mock`: an HTTP server on 127.0.0.1 that answers each documented
//! request with its documented response, so applications (and our tests) can
//! run against the docs offline. Anything else gets a Graph-style 404 naming
//! the nearest documented request.
//!
//! By default ([`Matching::Lenient`]) it is a test double for an
//! application: a documented method and path answer whatever query options
//! the application sends, with `$top`, `$skip`, `$select` and `$count`
//! applied to the documented body. [`Matching::Strict`] serves only the
//! documented requests, as documented.
//!
//! `POST /$batch` (JSON batching) answers each item as if it were sent
//! alone, in `dependsOn` order.
//!
//! [`serve_with_files`] also serves the pre-authenticated URLs that the
//! documented responses hand out (downloads, upload sessions) on a second
//! port, so an application's downloads and large uploads run offline too.

mod batch;
mod files;
mod query;
mod routes;
mod server;

pub use files::{DOWNLOAD_BYTES, download_byte};
pub use routes::{Matching, MockResponse, NoMatch, Route, Routes};
pub use server::{serve, serve_with_files};
