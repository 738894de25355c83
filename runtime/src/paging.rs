//! Following a collection across pages: `@odata.nextLink` until there is none.

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use super::collection::Collection;
use super::error::Error;
use super::request::Request;

impl<T: DeserializeOwned + Send + 'static> Request<Collection<T>> {
    /// Every page: this request's answer, then each page that the previous
    /// one's `@odata.nextLink` names, with this request's headers (such as
    /// `ConsistencyLevel`). The last page of a delta query carries the
    /// `@odata.deltaLink` to ask for later changes with.
    ///
    /// The stream ends after the first error, and with an error if a page
    /// links to itself. It is boxed, so it is `Unpin`: `while let Some(page)
    /// = pages.next().await` needs no pinning.
    pub fn pages(self) -> BoxStream<'static, Result<Collection<T>, Error>> {
        let next = self.link_template();
        stream::try_unfold((Some(self), None::<String>), move |(request, previous)| {
            let next = next.clone();
            async move {
                let Some(request) = request else {
                    return Ok(None);
                };
                let page = request.send().await?;
                let following = match &page.next_link {
                    Some(link) if previous.as_deref() == Some(link.as_str()) => {
                        return Err(Error::InvalidRequest(format!(
                            "the service returned the same @odata.nextLink twice: {link}"
                        )));
                    }
                    Some(link) => (Some(next.with_link(link.clone())), Some(link.clone())),
                    None => (None, None),
                };
                Ok(Some((page, following)))
            }
        })
        .boxed()
    }

    /// Every item of every page, in order (see [`pages`](Self::pages)).
    pub fn items(self) -> BoxStream<'static, Result<T, Error>> {
        self.pages()
            .map_ok(|page| stream::iter(page.value.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    /// Every item of every page, collected.
    ///
    /// # Errors
    ///
    /// The first error of any page, as [`Request::send`].
    pub async fn all(self) -> Result<Vec<T>, Error> {
        self.items().try_collect().await
    }

    /// Every item of every page, and the delta link the last page carries
    /// (`None` unless this is a delta query).
    ///
    /// # Errors
    ///
    /// The first error of any page, as [`Request::send`].
    pub async fn all_with_delta_link(self) -> Result<(Vec<T>, Option<String>), Error> {
        let mut pages = self.pages();
        let mut items = Vec::new();
        let mut delta_link = None;
        while let Some(page) = pages.next().await {
            let page = page?;
            delta_link = page.delta_link.or(delta_link);
            items.extend(page.value);
        }
        Ok((items, delta_link))
    }
}
