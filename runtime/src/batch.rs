//! JSON batching: many [`Request`]s in one `POST /$batch`, each answered on
//! its own, typed as it would be if sent alone.

use std::collections::HashSet;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::batch_response::BatchResponses;
use super::batch_send;
use super::batch_wire::WireItem;
use super::client::Client;
use super::error::Error;
use super::request::Request;

/// The most items that one `$batch` HTTP request carries: the service's
/// limit. A [`Batch`] with more is sent as several, one after the other.
pub const MAX_BATCH_ITEMS: usize = 20;

/// Tells batches apart, so that a handle of one cannot read another's answers.
static NEXT_BATCH: AtomicU64 = AtomicU64::new(1);

/// Requests to send together with Graph's JSON batching (`POST /$batch`);
/// made by [`Client::batch`].
///
/// [`add`](Self::add) any [`Request`] (built, not sent) and keep the
/// [`BatchItem`] it returns; [`send`](Self::send) (or `.await`) the batch and
/// read each item's result from the [`BatchResponses`] with that handle:
///
/// ```ignore
/// let mut batch = client.batch();
/// let me = batch.add(client.request::<User>(Method::GET, "/me"))?;
/// let inbox = batch.add(client.request::<Collection<Message>>(Method::GET, "/me/messages").top(5))?;
/// let results = batch.send().await?;
/// let me: User = results.get(&me)?;
/// let inbox: Collection<Message> = results.get(&inbox)?;
/// ```
///
/// Items are sent in the order they were added, at most
/// [`MAX_BATCH_ITEMS`] per HTTP request. Graph runs the items of one request
/// in any order unless one [depends on](Self::depends_on) another. Items
/// answered 429, 503 or 504 are sent again in a follow-up batch, with the
/// items that failed (424) only because they depended on them, as the
/// client's [`RetryPolicy`](super::RetryPolicy) allows. The `$batch` request
/// itself carries the client's token and is retried like any request.
#[must_use = "a Batch does nothing until it is sent or awaited"]
pub struct Batch {
    client: Client,
    batch: u64,
    items: Vec<Item>,
    ids: HashSet<String>,
    next_id: u64,
}

/// One request of a batch, ready to be sent.
pub(super) struct Item {
    pub(super) wire: WireItem,
    /// The earlier items (indexes) this one depends on.
    pub(super) depends_on: Vec<usize>,
    pub(super) expected_status: Option<u16>,
    pub(super) also_status: Vec<u16>,
}

/// The handle of a request added to a [`Batch`]: its item id, and the type
/// `T` its answer decodes into with [`BatchResponses::get`].
pub struct BatchItem<T> {
    pub(super) batch: u64,
    pub(super) index: usize,
    id: Arc<str>,
    // As in `Request<T>`: no `T` is stored, so any `T` is Send + Sync.
    response: PhantomData<fn() -> T>,
}

impl<T> BatchItem<T> {
    /// The item's id in the `$batch` JSON.
    pub fn id(&self) -> &str {
        &self.id
    }
}

// Not derived: those would require `T: Clone` and `T: Debug`.
impl<T> Clone for BatchItem<T> {
    fn clone(&self) -> Self {
        BatchItem {
            batch: self.batch,
            index: self.index,
            id: Arc::clone(&self.id),
            response: PhantomData,
        }
    }
}

impl<T> fmt::Debug for BatchItem<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchItem").field("id", &self.id).finish()
    }
}

impl Batch {
    /// An empty batch of requests made by `client` (or its clones).
    pub fn new(client: &Client) -> Batch {
        Batch {
            client: client.clone(),
            batch: NEXT_BATCH.fetch_add(1, Ordering::Relaxed),
            items: Vec::new(),
            ids: HashSet::new(),
            next_id: 1,
        }
    }

    /// Adds `request` with the next free id of `"1"`, `"2"`, `"3"`….
    ///
    /// The request goes into the batch as it would be sent alone: method,
    /// URL and query, its own headers (such as `ConsistencyLevel` or
    /// `Prefer`; the client's defaults are the batch's), a JSON body, or a
    /// raw body made by [`RawBody::from_bytes`](super::RawBody::from_bytes),
    /// base64-encoded. Its expected status is checked when its answer is read.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] if the request was made by another client,
    /// sets its own `Authorization` header, or has a streamed body; the
    /// errors kept while building it and those of [`Request::url`]. The
    /// batch is unchanged.
    pub fn add<T>(&mut self, request: Request<T>) -> Result<BatchItem<T>, Error> {
        let mut next = self.next_id;
        while self.ids.contains(&next.to_string()) {
            next += 1;
        }
        let item = self.push(next.to_string(), request)?;
        self.next_id = next + 1;
        Ok(item)
    }

    /// Adds `request` with the item id `id` (see [`add`](Self::add)).
    ///
    /// # Errors
    ///
    /// As [`add`](Self::add), and [`Error::InvalidRequest`] if `id` is empty
    /// or another item has it.
    pub fn add_with_id<T>(
        &mut self,
        id: impl Into<String>,
        request: Request<T>,
    ) -> Result<BatchItem<T>, Error> {
        let id = id.into();
        if id.is_empty() {
            return Err(Error::InvalidRequest(
                "a batch item id cannot be empty".to_owned(),
            ));
        }
        if self.ids.contains(&id) {
            return Err(Error::InvalidRequest(format!(
                "the batch already has an item with id {id:?}"
            )));
        }
        self.push(id, request)
    }

    /// Makes `item` wait for `dependency` (`dependsOn`): Graph runs it only
    /// after `dependency` succeeded, and answers it `424 Failed Dependency`
    /// otherwise. Call it once per dependency for an item that has several.
    ///
    /// The dependency must have been added before `item`, which keeps
    /// dependencies free of cycles, and both must go in the same HTTP
    /// request: [`send`](Self::send) refuses a dependency across a multiple
    /// of [`MAX_BATCH_ITEMS`] items.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] if either handle is of another batch, or
    /// `dependency` is `item` itself or was added after it.
    pub fn depends_on<T, U>(
        &mut self,
        item: &BatchItem<T>,
        dependency: &BatchItem<U>,
    ) -> Result<(), Error> {
        for (batch, index, id) in [
            (item.batch, item.index, item.id()),
            (dependency.batch, dependency.index, dependency.id()),
        ] {
            if !self.has_handle(batch, index, id) {
                return Err(Error::InvalidRequest(format!(
                    "batch item {id:?} belongs to another batch"
                )));
            }
        }
        if dependency.index == item.index {
            return Err(Error::InvalidRequest(format!(
                "batch item {:?} cannot depend on itself",
                item.id()
            )));
        }
        if dependency.index >= item.index {
            return Err(Error::InvalidRequest(format!(
                "batch item {:?} cannot depend on item {:?}, which was added after it",
                item.id(),
                dependency.id()
            )));
        }
        if let Some(entry) = self.items.get_mut(item.index)
            && !entry.depends_on.contains(&dependency.index)
        {
            entry.depends_on.push(dependency.index);
        }
        Ok(())
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no item was added.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sends the items, at most [`MAX_BATCH_ITEMS`] per `POST /$batch`, one
    /// request after the other; items answered 429, 503 or 504 and the items
    /// that failed only because they depended on them are sent again (see
    /// [`Batch`]). An empty batch sends nothing.
    ///
    /// Each item's answer, success or error, is read from the
    /// [`BatchResponses`]. If a `$batch` request after the first fails, the
    /// answers so far are kept, later items are not sent, and
    /// [`BatchResponses::failure`] holds the error.
    ///
    /// # Errors
    ///
    /// Before anything is sent, [`Error::InvalidRequest`] for a dependency
    /// across two `$batch` requests, naming both items. Otherwise the errors
    /// of the first `$batch` request, as [`Request::send`]: such as
    /// [`Error::Api`] for the batch itself refused, and [`Error::Decode`] for
    /// an answer that is not `{"responses": [...]}`.
    pub async fn send(self) -> Result<BatchResponses, Error> {
        batch_send::send(&self.client, self.batch, self.items).await
    }

    fn push<T>(&mut self, id: String, request: Request<T>) -> Result<BatchItem<T>, Error> {
        let parts = request.into_parts()?;
        if !parts.client.same_as(&self.client) {
            return Err(Error::InvalidRequest(format!(
                "batch item {id:?}: the request was made by another client than the batch's"
            )));
        }
        let expected_status = parts.expected_status;
        let also_status = parts.also_status.clone();
        let wire = WireItem::new(id.clone(), parts, self.client.base_url())?;
        let index = self.items.len();
        self.items.push(Item {
            wire,
            depends_on: Vec::new(),
            expected_status,
            also_status,
        });
        self.ids.insert(id.clone());
        Ok(BatchItem {
            batch: self.batch,
            index,
            id: Arc::from(id),
            response: PhantomData,
        })
    }

    fn has_handle(&self, batch: u64, index: usize, id: &str) -> bool {
        batch == self.batch && self.items.get(index).is_some_and(|item| item.wire.id == id)
    }
}

impl IntoFuture for Batch {
    type Output = Result<BatchResponses, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<BatchResponses, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ids, methods and URLs only: headers and bodies may be anything.
        let items: Vec<String> = self
            .items
            .iter()
            .map(|item| format!("{} {} {}", item.wire.id, item.wire.method, item.wire.url))
            .collect();
        f.debug_struct("Batch")
            .field("client", &self.client)
            .field("items", &items)
            .finish()
    }
}
