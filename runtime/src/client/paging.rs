//! Collections page by page, following `@odata.nextLink`, and delta rounds ending in an
//! `@odata.deltaLink`.

use ::std::collections::VecDeque;
use ::std::fmt;
use ::std::future::Future;
use ::std::pin::Pin;
use ::std::string::String;
use ::std::task::{Context, Poll};

use ::futures_core::{FusedStream, Stream};
use ::serde::de::DeserializeOwned;

use super::{decode, parse_json, Accept, Client, Error, Prepared};
use crate::Page;

type PageFuture<T> = Pin<::std::boxed::Box<dyn Future<Output = Result<Page<T>, Error>> + Send>>;

/// The pages of a collection: a [`Stream`] of [`Page`]s that requests each `@odata.nextLink`
/// when the next page is asked for (with the client's token and retry policy), made by
/// [`Client::pages`].
///
/// It ends after the last page, after an error (which it yields), or after
/// [`max_pages`](Pages::max_pages) pages; [`next_link`](Pages::next_link) then says where it
/// stopped and [`delta_link`](Pages::delta_link) holds a delta query's final link. Dropping it
/// cancels the request in flight.
pub struct Pages<T> {
    client: Client,
    /// The request the next page comes from.
    next: Option<Result<Prepared, Error>>,
    /// The link of that request, when it is one.
    next_link: Option<String>,
    in_flight: Option<PageFuture<T>>,
    max_pages: Option<usize>,
    pages: usize,
    delta_link: Option<String>,
    finished: bool,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("pages", &self.pages)
            .field("max_pages", &self.max_pages)
            .field("next_link", &self.next_link)
            .field("delta_link", &self.delta_link)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> Pages<T> {
    pub(crate) fn new(client: Client, first: Result<Prepared, Error>) -> Self {
        Pages {
            client,
            next: Some(first),
            next_link: None,
            in_flight: None,
            max_pages: None,
            pages: 0,
            delta_link: None,
            finished: false,
        }
    }

    /// Stops after `pages` pages (the first included); [`Pages::next_link`] then holds the link
    /// to go on from ([`Client::pages_from`]).
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// The items of these pages, one by one.
    pub fn items(self) -> Items<T> {
        Items { pages: self, buffer: VecDeque::new() }
    }

    /// Reads every page to the end of a delta round, and returns its items with its final
    /// `@odata.deltaLink`.
    pub async fn into_delta(mut self) -> Result<Delta<T>, Error> {
        let mut items = Vec::new();
        while let Some(page) = ::std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            items.extend(page?.value);
        }
        if let Some(link) = self.next_link {
            return Err(Error::Protocol(format!("the delta round stopped at the page limit, before {link}")));
        }
        match self.delta_link {
            Some(delta_link) => Ok(Delta { items, delta_link }),
            None => Err(Error::Protocol("the last page of the delta round has no @odata.deltaLink".into())),
        }
    }
}

impl<T> Pages<T> {
    /// The `@odata.deltaLink` of the last page read, once a delta query has reached it.
    pub fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }

    /// The `@odata.nextLink` not yet followed: after [`Pages::max_pages`] stopped the stream, or
    /// an error broke it off, where to go on from.
    pub fn next_link(&self) -> Option<&str> {
        self.next_link.as_deref()
    }

    /// How many pages were read.
    pub fn pages_read(&self) -> usize {
        self.pages
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(in_flight) = this.in_flight.as_mut() {
                let result = match in_flight.as_mut().poll(cx) {
                    Poll::Ready(result) => result,
                    Poll::Pending => return Poll::Pending,
                };
                this.in_flight = None;
                return Poll::Ready(Some(match result {
                    Ok(page) => {
                        this.pages += 1;
                        this.next_link.clone_from(&page.next_link);
                        this.next = page.next_link.as_deref().map(|link| this.client.prepare_link(link));
                        if page.delta_link.is_some() {
                            this.delta_link.clone_from(&page.delta_link);
                        }
                        Ok(page)
                    }
                    Err(e) => {
                        this.finished = true;
                        Err(e)
                    }
                }));
            }
            if this.finished || this.max_pages.is_some_and(|max| this.pages >= max) {
                this.finished = true;
                return Poll::Ready(None);
            }
            let request = match this.next.take() {
                None => {
                    this.finished = true;
                    return Poll::Ready(None);
                }
                Some(Err(e)) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Some(Ok(request)) => request,
            };
            let client = this.client.clone();
            this.in_flight = Some(::std::boxed::Box::pin(async move {
                let response = client.execute(&request, Accept::Json).await?;
                decode(response, parse_json::<Page<T>>)
            }));
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> FusedStream for Pages<T> {
    fn is_terminated(&self) -> bool {
        self.finished
    }
}

/// The items of a collection, page after page: a [`Stream`] over [`Pages`].
pub struct Items<T> {
    pages: Pages<T>,
    buffer: VecDeque<T>,
}

// Neither stream pins its fields: the future in flight is boxed, and items are moved out of the
// buffer, so both can move whatever `T` is.
impl<T> Unpin for Pages<T> {}
impl<T> Unpin for Items<T> {}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.buffer.len()).finish()
    }
}

impl<T> Items<T> {
    /// See [`Pages::delta_link`].
    pub fn delta_link(&self) -> Option<&str> {
        self.pages.delta_link()
    }

    /// See [`Pages::next_link`].
    pub fn next_link(&self) -> Option<&str> {
        self.pages.next_link()
    }

    /// The pages underneath.
    pub fn pages(&self) -> &Pages<T> {
        &self.pages
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => this.buffer.extend(page.value),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> FusedStream for Items<T> {
    fn is_terminated(&self) -> bool {
        self.buffer.is_empty() && self.pages.is_terminated()
    }
}

/// What a delta round returns: the changed items and the link the next round starts from.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Delta<T> {
    pub items: Vec<T>,
    /// `@odata.deltaLink`: give it to [`Client::delta_from`] for the changes since.
    pub delta_link: String,
}
