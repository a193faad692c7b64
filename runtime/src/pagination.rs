//! Offset pagination: every item of a list operation that takes `limit` and `offset`, as a
//! [`Stream`], fetched one page at a time.
//!
//! The rules, as vendors' own SDKs learned them: pages of 250 unless the spec's `maximum` for
//! `limit` is lower (or the caller's `limit`, or [`Paginate::page_size`]); the caller's `offset` is the
//! start; a page shorter than asked for is the last (no request for an empty page after it, and no
//! trust in a total-count header); a `400` on any page after the first is the end of the list (a list
//! of exactly a page's multiple answers the next offset with "offset is invalid"); the other request
//! parameters (filters, sorters) go with every page; retries and `429`s apply per page; an error ends
//! the stream after it is yielded.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::client::ApiResponse;
use crate::error::{Error, InvalidValue};

/// Where the next page starts: an offset, and with search-after paging the sort value of the last
/// item so far.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct Position {
    /// Items before the page.
    pub offset: u64,
    /// The previous page's last sort value (`searchAfter`); `None` for the first page.
    pub after: Option<String>,
}

/// The sort value of an item, for search-after paging.
type AfterOf<T> = Box<dyn Fn(&T) -> Option<String> + Send>;

/// Fetches the page at a position, of at most so many items.
type Fetch<T, E> = Box<dyn FnMut(&Position, u64) -> PageFuture<T, E> + Send>;

/// One page's request, as generated code makes it from the request builder.
#[doc(hidden)]
pub type PageFuture<T, E> = Pin<Box<dyn Future<Output = Result<ApiResponse<Vec<T>>, Error<E>>> + Send>>;

/// The page size when neither the caller nor the spec gives one: a common largest page.
pub const DEFAULT_PAGE_SIZE: u64 = 250;

/// Every page of a list, each with its status and headers (`X-Total-Count` when asked for with
/// `count=true`). Get it with a list request's `.pages()`.
#[must_use = "a stream does nothing until it is polled"]
pub struct Pages<T, E> {
    fetch: Fetch<T, E>,
    position: Position,
    /// Search-after paging: the sort value of an item, which the next page starts after.
    after_of: Option<AfterOf<T>>,
    /// An error to yield before any request (a request that cannot be paged).
    refused: Option<Error<E>>,
    page_size: u64,
    maximum: Option<u64>,
    /// Items still wanted (`max_items`), if bounded.
    remaining: Option<u64>,
    first: bool,
    done: bool,
    /// The size asked for by the request in flight.
    asked: u64,
    pending: Option<PageFuture<T, E>>,
}

// No field is pinned in place (the request in flight is boxed), so the stream can move between polls.
impl<T, E> Unpin for Pages<T, E> {}

impl<T, E> std::fmt::Debug for Pages<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("position", &self.position)
            .field("page_size", &self.page_size)
            .field("remaining", &self.remaining)
            .field("done", &self.done)
            .finish()
    }
}

impl<T, E> Pages<T, E> {
    /// Pages from `offset`, of `page_size` items (`None`: [`DEFAULT_PAGE_SIZE`], or `maximum` if lower),
    /// each fetched by `fetch(offset, limit)`.
    #[doc(hidden)]
    pub fn new(
        offset: u64,
        page_size: Option<u64>,
        maximum: Option<u64>,
        fetch: impl FnMut(&Position, u64) -> PageFuture<T, E> + Send + 'static,
    ) -> Self {
        let page_size = page_size.unwrap_or_else(|| maximum.map_or(DEFAULT_PAGE_SIZE, |m| m.min(DEFAULT_PAGE_SIZE)));
        Pages {
            fetch: Box::new(fetch),
            position: Position { offset, after: None },
            after_of: None,
            refused: None,
            page_size,
            maximum,
            remaining: None,
            first: true,
            done: false,
            asked: 0,
            pending: None,
        }
    }

    /// Search-after paging (a `POST /search` that sorts and pages with `sort` and `searchAfter`): each page after the first starts after the
    /// sort value `after_of` reads from the previous page's last item, so it is not bound by offset
    /// paging's 10,000-result limit. `after` is the caller's own start, if any.
    #[doc(hidden)]
    pub fn search_after(
        mut self,
        after: Option<String>,
        after_of: impl Fn(&T) -> Option<String> + Send + 'static,
    ) -> Self {
        self.position.after = after;
        self.after_of = Some(Box::new(after_of));
        self
    }

    /// A stream that yields `error` and ends, sending nothing (a request that cannot be paged).
    #[doc(hidden)]
    pub fn refuse(mut self, error: Error<E>) -> Self {
        self.refused = Some(error);
        self
    }

    /// Pages of `n` items; more than the spec's `maximum` for `limit`, or 0, is [`Error::Invalid`] when
    /// the stream is first polled.
    pub fn page_size(mut self, n: u64) -> Self {
        self.page_size = n;
        self
    }

    /// Stops after `n` items in all (the last page asks for no more than it needs).
    pub fn max_items(mut self, n: u64) -> Self {
        self.remaining = Some(n);
        self
    }

    fn invalid_size(&self) -> Option<Error<E>> {
        let bad = self.page_size == 0 || self.maximum.is_some_and(|m| self.page_size > m);
        bad.then(|| {
            let rule = match self.maximum {
                Some(m) => format!("between 1 and {m} (the spec's maximum for `limit`)"),
                None => "at least 1".to_string(),
            };
            Error::Invalid(InvalidValue::new("page_size", format!("is {}, but must be {rule}", self.page_size)))
        })
    }
}

impl<T, E> Stream for Pages<T, E> {
    type Item = Result<ApiResponse<Vec<T>>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(e) = this.refused.take() {
            this.done = true;
            return Poll::Ready(Some(Err(e)));
        }
        if this.done || this.remaining == Some(0) {
            return Poll::Ready(None);
        }
        if this.first
            && this.pending.is_none()
            && let Some(e) = this.invalid_size()
        {
            this.done = true;
            return Poll::Ready(Some(Err(e)));
        }
        if this.pending.is_none() {
            this.asked = this.remaining.map_or(this.page_size, |r| r.min(this.page_size));
            this.pending = Some((this.fetch)(&this.position, this.asked));
        }
        let Some(pending) = this.pending.as_mut() else { return Poll::Ready(None) };
        let result = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(r) => r,
        };
        this.pending = None;
        let first = std::mem::replace(&mut this.first, false);
        match result {
            Ok(mut page) => {
                let n = page.body.len() as u64;
                if let Some(r) = &mut this.remaining {
                    if n > *r {
                        page.body.truncate(*r as usize);
                    }
                    *r = r.saturating_sub(n);
                }
                this.position.offset = this.position.offset.saturating_add(n);
                if n < this.asked {
                    this.done = true;
                }
                if let (Some(after_of), Some(last)) = (&this.after_of, page.body.last()) {
                    match after_of(last) {
                        Some(after) => this.position.after = Some(after),
                        // Without the last item's sort value there is no next page to ask for.
                        None if !this.done => {
                            this.done = true;
                            this.refused = Some(Error::Invalid(InvalidValue::new(
                                "sort",
                                "the last item of a page has no value for the sort field, so the next page cannot start after it".into(),
                            )));
                        }
                        None => {}
                    }
                }
                if n == 0 {
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Ok(page)))
            }
            // After the first page, a 400 is the list's end: the previous page was its last.
            Err(e) if !first && e.status().is_some_and(|s| s.as_u16() == 400) => {
                this.done = true;
                Poll::Ready(None)
            }
            Err(e) => {
                this.done = true;
                Poll::Ready(Some(Err(e)))
            }
        }
    }
}

/// The text of `item`'s member at `path` (dots for nested members, a leading `+` or `-` ignored), as
/// search-after paging sends it: strings as they are, numbers and booleans as JSON.
#[doc(hidden)]
pub fn sort_value<T: serde::Serialize>(item: &T, path: &str) -> Option<String> {
    let value = serde_json::to_value(item).ok()?;
    let mut at = &value;
    for key in path.trim_start_matches(['+', '-']).split('.') {
        at = at.get(key)?;
    }
    match at {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(_) | serde_json::Value::Bool(_) => Some(at.to_string()),
        _ => None,
    }
}

/// Every item of a list, in order, fetched page by page; it implements
/// [`Stream`] (`futures::TryStreamExt::try_collect` gathers them). Get it with a
/// list request's `.paginate()`.
#[must_use = "a stream does nothing until it is polled"]
pub struct Paginate<T, E> {
    pages: Pages<T, E>,
    buffer: VecDeque<T>,
}

impl<T, E> Unpin for Paginate<T, E> {}

impl<T, E> std::fmt::Debug for Paginate<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginate").field("pages", &self.pages).field("buffered", &self.buffer.len()).finish()
    }
}

impl<T, E> Paginate<T, E> {
    /// Every item of `pages`.
    #[doc(hidden)]
    pub fn new(pages: Pages<T, E>) -> Self {
        Paginate { pages, buffer: VecDeque::new() }
    }

    /// Pages of `n` items (see [`Pages::page_size`]).
    pub fn page_size(mut self, n: u64) -> Self {
        self.pages = self.pages.page_size(n);
        self
    }

    /// Stops after `n` items.
    pub fn max_items(mut self, n: u64) -> Self {
        self.pages = self.pages.max_items(n);
        self
    }
}

impl<T, E> Stream for Paginate<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend(page.body),
            }
        }
    }
}
