//! A position in the URL tree that the generated request builders walk.

use std::fmt;

use super::Method;
use super::client::Client;
use super::request::Request;

/// A client and the path walked so far: what every generated builder holds.
///
/// Generated code builds the path from documented segments and values it
/// encodes itself ([`encode_path_segment`](super::encode_path_segment) and
/// friends), so a `Node` is never given text a caller wrote unencoded.
#[derive(Clone)]
pub struct Node<'a> {
    client: &'a Client,
    path: String,
}

impl<'a> Node<'a> {
    /// The node at `path` (base-relative, encoded, starting with `/`).
    pub fn new(client: &'a Client, path: impl Into<String>) -> Self {
        Node {
            client,
            path: path.into(),
        }
    }

    /// The node one segment further: this path followed by `parts`, which
    /// are documented text and encoded values.
    pub fn push(&self, parts: &[&str]) -> Node<'a> {
        let extra: usize = parts.iter().map(|p| p.len()).sum();
        let mut path = String::with_capacity(self.path.len() + extra);
        path.push_str(&self.path);
        for part in parts {
            path.push_str(part);
        }
        Node {
            client: self.client,
            path,
        }
    }

    /// The path so far (base-relative, encoded).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// A request of `method` for this path.
    pub fn request<T>(&self, method: Method) -> Request<T> {
        self.client.request(method, self.path.clone())
    }
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node").field("path", &self.path).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushes_parts_and_keeps_the_parent() {
        let client = Client::builder()
            .base_url("http://localhost:1/v1.0")
            .build()
            .expect("client");
        let users = Node::new(&client, "/users");
        let user = users.push(&["/", "a%2Fb"]);
        assert_eq!(users.path(), "/users");
        assert_eq!(user.path(), "/users/a%2Fb");
        let request: Request<()> = user.push(&["/messages"]).request(Method::GET);
        assert_eq!(request.path(), "/users/a%2Fb/messages");
        assert_eq!(format!("{user:?}"), "Node { path: \"/users/a%2Fb\" }");
    }
}
