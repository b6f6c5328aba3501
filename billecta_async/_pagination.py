"""Offset/limit listings: one page, or every item across pages.

Billecta's listings answer with a bare array (the paging totals are not sent back), so the end
is recognised by a page shorter than asked for (or empty). Every listing method returns an
:class:`AsyncPaginator` (the synchronous client a :class:`~billecta_async.SyncPaginator` over
it): awaited, it sends the one request its ``offset`` and ``limit`` say; iterated, it walks the
pages with :func:`paginate`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Mapping
from typing import Any, Generic, TypeVar

from billecta_async._exceptions import ParameterError
from billecta_async._params import size

__all__ = ["DEFAULT_PAGE_SIZE", "AsyncPaginator", "check_repeatable", "last_page", "paginate"]

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 100
"""Items asked for per request when iterating over a listing without ``limit``."""

FetchPage = Callable[[int | None, int | None], Awaitable[list[T]]]


def check_repeatable(options: Mapping[str, Any]) -> None:
    """Refuse a ``unique_api_call_id`` for a helper that sends many requests.

    Billecta answers a repeated UniqueApiCallId with 403, so the second page (or poll) would
    fail.
    """
    if options.get("unique_api_call_id") is not None:
        raise ParameterError(
            "unique_api_call_id",
            options["unique_api_call_id"],
            "not allowed here: this helper sends several requests and Billecta refuses a "
            "repeated UniqueApiCallId",
        )


def last_page(page: list[Any], page_size: int) -> bool:
    """Whether no page follows ``page``: it is short or empty, or longer than asked for (the
    server did not page the answer)."""
    return len(page) != page_size


def paginate(
    fetch_page: Callable[[int, int], Awaitable[list[T]]],
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    start: int = 0,
) -> AsyncIterator[list[T]]:
    """The pages of a listing: ``fetch_page(offset, limit)`` is called for page after page.

    The first page starts at ``start`` and each next one where the previous ended. Iteration
    stops after a page with fewer than ``page_size`` items (an empty one included), and also
    after a page with *more* items than asked for. A ``page_size`` that is not a whole number of
    at least 1 raises :class:`~billecta_async.ParameterError` at once.
    """
    return _pages(fetch_page, size(page_size, "page_size"), start)


async def _pages(
    fetch_page: Callable[[int, int], Awaitable[list[T]]], page_size: int, offset: int
) -> AsyncIterator[list[T]]:
    while True:
        page = await fetch_page(offset, page_size)
        yield page
        if last_page(page, page_size):
            return
        offset += page_size


class AsyncPaginator(Generic[T]):
    """What a listing method returns: one page when awaited, every item when iterated.

    ``await client.invoices.list_open(creditor, offset=0, limit=50)`` sends that one request and
    gives its items (a ``list``). ``async for invoice in client.invoices.list_open(creditor)``
    gives every item, asking for ``limit`` items at a time (:data:`DEFAULT_PAGE_SIZE` when not
    given) from ``offset`` (0 when not given), with the same filters and sorting, a page being
    fetched as the previous one is used up, until a short or empty page. :meth:`pages` gives the
    pages as lists. Awaiting or iterating again sends the requests again.

    The arguments are checked when the method is called. Iterating refuses a
    ``unique_api_call_id`` (Billecta would refuse the second page); awaiting sends it.
    """

    __slots__ = ("_fetch", "_limit", "_offset", "_options")

    def __init__(
        self,
        fetch: FetchPage[T],
        *,
        offset: int | None,
        limit: int | None,
        options: Mapping[str, Any],
    ) -> None:
        self._fetch = fetch
        self._offset = offset
        self._limit = limit
        self._options = options

    @property
    def offset(self) -> int | None:
        """Where the page starts (``None``: Billecta's default, the start)."""
        return self._offset

    @property
    def limit(self) -> int | None:
        """Items per page (``None``: Billecta's default when awaited, 100 when iterated)."""
        return self._limit

    def __await__(self) -> Generator[Any, None, list[T]]:
        return self._fetch(self._offset, self._limit).__await__()

    async def page(self) -> list[T]:
        """The page ``offset`` and ``limit`` select (the same as awaiting the paginator)."""
        return await self._fetch(self._offset, self._limit)

    def pages(self) -> AsyncIterator[list[T]]:
        """Every page, as a list, from ``offset`` and ``limit`` items at a time."""
        check_repeatable(self._options)
        return paginate(
            self._fetch,
            page_size=self._limit or DEFAULT_PAGE_SIZE,
            start=self._offset or 0,
        )

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items(self.pages())

    @staticmethod
    async def _items(pages: AsyncIterator[list[T]]) -> AsyncIterator[T]:
        async for page in pages:
            for item in page:
                yield item

    def __repr__(self) -> str:
        return f"<AsyncPaginator offset={self._offset!r} limit={self._limit!r}>"
