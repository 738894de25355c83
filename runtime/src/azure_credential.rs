//! Tokens from any azure_identity credential: client secret, client
//! certificate, managed identity, workload identity, Azure CLI, developer
//! tools. Only azure_core's `TokenCredential` trait is needed here; the
//! user's choice of credential brings its own dependencies.

use std::fmt;
use std::sync::Arc;

use azure_core::credentials::TokenCredential;

use super::error::Error;
use super::token::{TokenFuture, TokenProvider};

/// A [`TokenProvider`] that asks an azure_identity credential for tokens
/// for fixed scopes.
///
/// [`ClientBuilder::credential`](super::ClientBuilder::credential) makes one
/// with the scope of the client's base URL (see
/// [`graph_scope`](super::graph_scope)); make one yourself to choose the
/// scopes or to share it between clients.
///
/// It adds no cache of its own: every azure_identity credential caches its
/// tokens and replaces them 5 minutes before they expire. Claims challenges
/// are not answered (the `401` is returned), as azure_identity 1.x has no
/// way to ask for a token with claims.
///
/// ```ignore
/// let credential = azure_identity::ClientSecretCredential::new(
///     "contoso.onmicrosoft.com",
///     "00000000-0000-0000-0000-000000000000".into(),
///     std::env::var("GRAPH_CLIENT_SECRET")?.into(),
///     None,
/// )?;
/// let client = Client::builder().credential(credential).build()?;
/// ```
#[derive(Clone)]
pub struct AzureCredential {
    credential: Arc<dyn TokenCredential>,
    scopes: Vec<String>,
}

impl AzureCredential {
    /// Asks `credential` for tokens for `scopes`, such as
    /// `["https://graph.microsoft.com/.default"]`.
    pub fn new<I, S>(credential: Arc<dyn TokenCredential>, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AzureCredential {
            credential,
            scopes: scopes.into_iter().map(Into::into).collect(),
        }
    }

    /// The scopes it asks for.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }
}

impl TokenProvider for AzureCredential {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
            let token = self
                .credential
                .get_token(&scopes, None)
                .await
                // azure_core's errors name the credential and the
                // authority's answer, never the secret.
                .map_err(|err| Error::Token(err.to_string()))?;
            Ok(token.token.secret().to_owned())
        })
    }
}

impl fmt::Debug for AzureCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // azure_identity's credentials print their client id and endpoint;
        // the scopes say enough here.
        f.debug_struct("AzureCredential")
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}
