//! Pagination: every item of a list operation as a [`Stream`], fetched one page at a time, for the
//! ways real APIs page: an `offset`, a `page` number, a cursor the body returns, the last item's `id`
//! (with `has_more`), and a search's `searchAfter`.
//!
//! The rules, as vendors' own SDKs learned them: pages of 250 unless the spec's `maximum` for the
//! page size is lower (or the caller's size, or [`Paginate::page_size`]); the caller's own offset,
//! page or cursor is the start; a page shorter than asked for is the last when the spec declares the
//! size's maximum (a server promises to honour any size up to it), else only an empty page is (a
//! server may cap pages below what was asked); a cursor ends the list when the body returns none (or
//! the one just sent), `has_more: false` when it says so; no total-count header is trusted; a `400` on
//! any page after the first is the end of the list (a list of exactly a page's multiple answers the
//! next offset with "offset is invalid"); the other request parameters (filters, sorters) go with
//! every page; retries and `429`s apply per page; an error ends the stream after it is yielded.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::client::ApiResponse;
use crate::error::{Error, InvalidValue};

/// Where the next page starts: the items before it, its page number, and (cursor and search-after
/// paging) the value it starts after.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct Position {
    /// Items before the page.
    pub offset: u64,
    /// The page's number.
    pub page: u64,
    /// The cursor, or the previous page's last sort value; `None` for the first page.
    pub after: Option<String>,
}

/// The page size a paged request may ask for, from the spec: `None` bounds are not declared.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// The caller's page size, if set on the request.
    pub asked: Option<u64>,
    /// The spec's `minimum` for the size.
    pub minimum: Option<u64>,
    /// The spec's `maximum` for the size.
    pub maximum: Option<u64>,
    /// Whether the request has a page-size parameter at all.
    pub sized: bool,
}

/// The value of an item that the next page starts after.
type AfterOf<T> = Box<dyn Fn(&T) -> Option<String> + Send>;

/// Fetches the page at a position, of at most so many items.
type Fetch<B, E> = Box<dyn FnMut(&Position, u64) -> PageFuture<B, E> + Send>;

/// One page's request, as generated code makes it from the request builder.
#[doc(hidden)]
pub type PageFuture<B, E> = Pin<Box<dyn Future<Output = Result<ApiResponse<B>, Error<E>>> + Send>>;

/// The page size when neither the caller nor the spec gives one: a common largest page.
pub const DEFAULT_PAGE_SIZE: u64 = 250;

/// What moves the request to the next page, and what ends the list.
enum Advance<T, B> {
    /// An offset (or, with `fixed`, a page number): a short page (when sizes are honoured) or an empty
    /// one is the last. Page numbers never ask a smaller page, or the numbering would shift.
    Count { fixed: bool },
    /// `searchAfter`: the next page starts after the last item's sort value.
    SearchAfter(AfterOf<T>),
    /// A cursor the body returns; none (or the one just sent) ends the list.
    Cursor(fn(&B) -> Option<&str>),
    /// The last item's `id`, while the body's `has_more` says more follow.
    AfterLast(AfterOf<T>, fn(&B) -> bool),
}

/// Every page of a list, each with its status and headers (`X-Total-Count` when asked for with
/// `count=true`) and its whole body `B` (for a list wrapped in an object, the object). Get it with a
/// list request's `.pages()`.
#[must_use = "a stream does nothing until it is polled"]
pub struct Pages<T, E, B = Vec<T>> {
    fetch: Fetch<B, E>,
    /// The list in a page's body.
    list: fn(&B) -> &[T],
    /// The list taken out of a page's body.
    into_list: fn(B) -> Vec<T>,
    advance: Advance<T, B>,
    position: Position,
    /// An error to yield before any request (a request that cannot be paged).
    refused: Option<Error<E>>,
    page_size: u64,
    limits: Limits,
    /// Items still wanted (`max_items`), if bounded.
    remaining: Option<u64>,
    first: bool,
    done: bool,
    /// The size asked for by the request in flight.
    asked: u64,
    pending: Option<PageFuture<B, E>>,
}

// No field is pinned in place (the request in flight is boxed), so the stream can move between polls.
impl<T, E, B> Unpin for Pages<T, E, B> {}

impl<T, E, B> std::fmt::Debug for Pages<T, E, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("position", &self.position)
            .field("page_size", &self.page_size)
            .field("remaining", &self.remaining)
            .field("done", &self.done)
            .finish()
    }
}

impl<T, E, B> Pages<T, E, B> {
    /// Offset pages from `start`, of the size `limits` allow ([`DEFAULT_PAGE_SIZE`], or the maximum if
    /// lower, unless the caller asked), each fetched by `fetch(position, size)`; `list` finds the
    /// items in a page's body and `into_list` takes them out.
    #[doc(hidden)]
    pub fn new(
        start: Position,
        limits: Limits,
        list: fn(&B) -> &[T],
        into_list: fn(B) -> Vec<T>,
        fetch: impl FnMut(&Position, u64) -> PageFuture<B, E> + Send + 'static,
    ) -> Self {
        let fallback = limits.maximum.map_or(DEFAULT_PAGE_SIZE, |m| m.min(DEFAULT_PAGE_SIZE));
        let page_size = limits.asked.unwrap_or_else(|| fallback.max(limits.minimum.unwrap_or(1)));
        Pages {
            fetch: Box::new(fetch),
            list,
            into_list,
            advance: Advance::Count { fixed: false },
            position: start,
            refused: None,
            page_size,
            limits,
            remaining: None,
            first: true,
            done: false,
            asked: 0,
            pending: None,
        }
    }

    /// Page numbers: [`Position::page`] counts up from the start, and every page asks the same size.
    #[doc(hidden)]
    pub fn by_page(mut self) -> Self {
        self.advance = Advance::Count { fixed: true };
        self
    }

    /// A cursor: each page after the first starts at the cursor `next` reads from the previous page's
    /// body; a body without one (or with the one just sent) is the last page.
    #[doc(hidden)]
    pub fn by_cursor(mut self, next: fn(&B) -> Option<&str>) -> Self {
        self.advance = Advance::Cursor(next);
        self
    }

    /// The last item's id: each page after the first starts after the value `id_of` reads from the
    /// previous page's last item, while `more` reads `true` from its body.
    #[doc(hidden)]
    pub fn after_last(mut self, id_of: impl Fn(&T) -> Option<String> + Send + 'static, more: fn(&B) -> bool) -> Self {
        self.advance = Advance::AfterLast(Box::new(id_of), more);
        self
    }

    /// Search-after paging (a `POST /search` that sorts and pages with `sort` and `searchAfter`): each
    /// page after the first starts after the sort value `after_of` reads from the previous page's last
    /// item, so it is not bound by offset paging's 10,000-result limit. `after` is the caller's own
    /// start, if any.
    #[doc(hidden)]
    pub fn search_after(
        mut self,
        after: Option<String>,
        after_of: impl Fn(&T) -> Option<String> + Send + 'static,
    ) -> Self {
        self.position.after = after;
        self.advance = Advance::SearchAfter(Box::new(after_of));
        self
    }

    /// A stream that yields `error` and ends, sending nothing (a request that cannot be paged).
    #[doc(hidden)]
    pub fn refuse(mut self, error: Error<E>) -> Self {
        self.refused = Some(error);
        self
    }

    /// Pages of `n` items; outside the spec's `minimum` and `maximum` for the size, or 0, is
    /// [`Error::Invalid`] when the stream is first polled.
    pub fn page_size(mut self, n: u64) -> Self {
        self.page_size = n;
        self
    }

    /// Stops once `n` items in all have come: an offset or cursor page asks for no more than is left;
    /// a numbered page asks a whole page, so the last may hold more (`.paginate().max_items(n)`
    /// yields exactly `n`).
    pub fn max_items(mut self, n: u64) -> Self {
        self.remaining = Some(n);
        self
    }

    fn invalid_size(&self) -> Option<Error<E>> {
        let (low, high) = (self.limits.minimum.unwrap_or(1).max(1), self.limits.maximum);
        let bad = self.page_size < low || high.is_some_and(|m| self.page_size > m);
        bad.then(|| {
            let rule = match high {
                Some(m) => format!("between {low} and {m} (the spec's bounds for the page size)"),
                None => format!("at least {low}"),
            };
            Error::Invalid(InvalidValue::new("page_size", format!("is {}, but must be {rule}", self.page_size)))
        })
    }

    /// The size to ask the next page for.
    fn next_size(&self) -> u64 {
        match (&self.advance, self.remaining) {
            (Advance::Count { fixed: true }, _) | (_, None) => self.page_size,
            (_, Some(r)) => r.min(self.page_size).max(self.limits.minimum.unwrap_or(1)),
        }
    }

    /// Moves past a page of `n` items, and says whether it was the last.
    fn advance_past(&mut self, body: &B, n: u64) -> bool {
        let short = self.limits.sized && self.limits.maximum.is_some() && n < self.asked;
        self.position.offset = self.position.offset.saturating_add(n);
        self.position.page = self.position.page.saturating_add(1);
        let last = (self.list)(body).last();
        match &self.advance {
            Advance::Count { .. } => n == 0 || short,
            Advance::SearchAfter(after_of) => {
                if n == 0 || n < self.asked {
                    return true;
                }
                self.after_from(last.and_then(after_of), "sort", "the sort field")
            }
            Advance::Cursor(next) => {
                let next = next(body).filter(|c| !c.is_empty());
                if n == 0 || next.is_none() || next == self.position.after.as_deref() {
                    return true;
                }
                self.position.after = next.map(str::to_string);
                false
            }
            Advance::AfterLast(id_of, more) => {
                if n == 0 || !more(body) {
                    return true;
                }
                self.after_from(last.and_then(id_of), "id", "`id`")
            }
        }
    }

    /// Starts the next page after `value`; without one there is no next page to ask for, which the
    /// stream reports once this page is yielded.
    fn after_from(&mut self, value: Option<String>, field: &'static str, what: &str) -> bool {
        match value {
            Some(v) => {
                self.position.after = Some(v);
                false
            }
            None => {
                self.refused = Some(Error::Invalid(InvalidValue::new(
                    field,
                    format!("the last item of a page has no value for {what}, so the next page cannot start after it"),
                )));
                true
            }
        }
    }
}

impl<T, E, B> Stream for Pages<T, E, B> {
    type Item = Result<ApiResponse<B>, Error<E>>;

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
            this.asked = this.next_size();
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
            Ok(page) => {
                let n = (this.list)(&page.body).len() as u64;
                if let Some(r) = &mut this.remaining {
                    *r = r.saturating_sub(n);
                }
                let last = this.advance_past(&page.body, n);
                if last && this.refused.is_none() {
                    this.done = true;
                }
                // An empty page after the first adds nothing; the first is yielded for its headers.
                if n == 0 && !first {
                    this.done = true;
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

/// One page of a paginator: the operation's response, refused if it had to be corrected (a page is
/// never made up). Generic, so no operation's crate type-checks a coroutine of its own for it.
#[doc(hidden)]
pub async fn checked_page<B, E>(
    sent: impl Future<Output = Result<ApiResponse<B>, Error<E>>>,
) -> Result<ApiResponse<B>, Error<E>> {
    sent.await?.checked()
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
pub struct Paginate<T, E, B = Vec<T>> {
    pages: Pages<T, E, B>,
    buffer: VecDeque<T>,
    /// Items still to yield (`max_items`), if bounded.
    remaining: Option<u64>,
}

impl<T, E, B> Unpin for Paginate<T, E, B> {}

impl<T, E, B> std::fmt::Debug for Paginate<T, E, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginate").field("pages", &self.pages).field("buffered", &self.buffer.len()).finish()
    }
}

impl<T, E, B> Paginate<T, E, B> {
    /// Every item of `pages`.
    #[doc(hidden)]
    pub fn new(pages: Pages<T, E, B>) -> Self {
        Paginate { pages, buffer: VecDeque::new(), remaining: None }
    }

    /// Pages of `n` items (see [`Pages::page_size`]).
    pub fn page_size(mut self, n: u64) -> Self {
        self.pages = self.pages.page_size(n);
        self
    }

    /// Stops after exactly `n` items (or the list's end, if it is shorter).
    pub fn max_items(mut self, n: u64) -> Self {
        self.pages = self.pages.max_items(n);
        self.remaining = Some(n);
        self
    }
}

impl<T, E, B> Stream for Paginate<T, E, B> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.remaining == Some(0) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.pop_front() {
                if let Some(r) = &mut this.remaining {
                    *r -= 1;
                }
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend((this.pages.into_list)(page.body)),
            }
        }
    }
}
