"""Iterating over every item of an offset/limit listing, one page at a time.

Billecta's listings answer with a bare array (the paging totals are not sent back), so the end
is recognised by a page shorter than asked for (or empty). Each ``iter_*`` method of a resource
hands :func:`paginate` a coroutine that fetches one page with its listing method.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, TypeVar

from billecta_async._exceptions import ParameterError
from billecta_async._params import size

__all__ = ["DEFAULT_PAGE_SIZE", "check_repeatable", "paginate"]

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 100
"""Items asked for per request by the ``iter_*`` methods unless ``page_size`` says otherwise."""


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


def paginate(
    fetch_page: Callable[[int, int], Awaitable[list[T]]],
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> AsyncIterator[T]:
    """Every item of a listing: ``fetch_page(offset, limit)`` is called for page after page.

    The first page starts at offset 0 and each next one where the previous ended. Iteration
    stops after a page with fewer than ``page_size`` items (an empty one included), and also
    after a page with *more* items than asked for (the server did not page the answer). A
    ``page_size`` that is not a whole number of at least 1 raises
    :class:`~billecta_async.ParameterError` at once.
    """
    return _pages(fetch_page, size(page_size, "page_size"))


async def _pages(
    fetch_page: Callable[[int, int], Awaitable[list[T]]], page_size: int
) -> AsyncIterator[T]:
    offset = 0
    while True:
        page = await fetch_page(offset, page_size)
        for item in page:
            yield item
        if len(page) != page_size:
            return
        offset += page_size
