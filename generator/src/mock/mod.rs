//! `docgen mock`: an HTTP server on 127.0.0.1 that answers each documented
//! request with its documented response, so applications (and our tests) can
//! run against the docs offline. Anything else gets a Graph-style 404 naming
//! the nearest documented request.

mod routes;
mod server;

pub use routes::{MockResponse, NoMatch, Route, Routes};
pub use server::serve;
