"""The synchronous client's machinery: the async client, run on an anyio blocking portal.

A :class:`~billecta_async.SyncBillectaClient` owns an event loop in a thread of its own (an
``anyio.from_thread.start_blocking_portal``); its async :class:`~billecta_async.BillectaClient`
lives there, and every call is handed to that loop and waited for (:class:`Runner`). So it works
wherever blocking code does: scripts, Django or Flask views, Jupyter (the calling thread's own
event loop, if any, is not used), and from several threads at once (the portal serialises the
hand-over; the calls run concurrently on the loop).

The generated ``sync_resources`` classes derive from :class:`SyncResource`; listings give a
:class:`SyncPaginator` and binary endpoints a :class:`SyncBinaryResponse`.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar

from billecta_async._pagination import AsyncPaginator
from billecta_async._resource import Resource
from billecta_async._streaming import DEFAULT_CHUNK_SIZE, ByteStream

if TYPE_CHECKING:
    from anyio.from_thread import BlockingPortal

    from billecta_async._binary import BinaryResponse

__all__ = [
    "Runner",
    "SyncBinaryResponse",
    "SyncByteStream",
    "SyncPaginator",
    "SyncResource",
]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
A = TypeVar("A", bound=Resource)


async def _next(items: AsyncIterator[T]) -> tuple[bool, T | None]:
    try:
        return True, await items.__anext__()
    except StopAsyncIteration:
        return False, None


class Runner:
    """Hands coroutines to one sync client's portal and waits for them (thread-safe)."""

    def __init__(self, portal: BlockingPortal) -> None:
        self.portal = portal
        self.closed = False
        # The calls waited for now (by any thread), for close() to cancel.
        self._pending: set[concurrent.futures.Future[Any]] = set()
        self._lock = threading.Lock()

    def call(self, fn: Callable[[], Awaitable[R]]) -> R:
        """Run ``fn()`` on the client's loop; its result (or its exception).

        Interrupted while it waits (Ctrl-C, a KeyboardInterrupt or another exception raised
        by a signal handler), the call is cancelled on the loop, not left running there. A
        call that :meth:`cancel_all` (the client's ``close`` from another thread) cancelled
        raises RuntimeError.
        """
        with self._lock:
            if self.closed:
                raise RuntimeError("the SyncBillectaClient is closed")
            future = self.portal.start_task_soon(fn)
            self._pending.add(future)
        try:
            result: R = future.result()
        except concurrent.futures.CancelledError:
            if self.closed:
                raise RuntimeError("the SyncBillectaClient was closed during this call") from None
            raise
        except BaseException:
            if not future.done():  # interrupted while waiting: stop the call on the loop too
                future.cancel()
            raise
        finally:
            with self._lock:
                self._pending.discard(future)
        return result

    def refuse_new(self) -> None:
        """Refuse new calls (they raise RuntimeError); those under way go on."""
        with self._lock:
            self.closed = True

    def cancel_all(self, grace: float = 0.0) -> None:
        """Refuse new calls and cancel those still under way after ``grace`` seconds (their
        callers get RuntimeError). Calls that end within ``grace`` (those whose connection the
        closed session cut, with the error that says whether Billecta may have acted and the
        id to resume with) raise what they raise."""
        with self._lock:
            self.closed = True
            pending, self._pending = self._pending, set()
        if grace > 0 and pending:
            concurrent.futures.wait(pending, timeout=grace)
        for future in pending:
            future.cancel()

    def iterate(self, items: AsyncIterator[T]) -> Iterator[T]:
        """The items of an async iterator, each fetched on the client's loop. Leaving the loop
        early closes the async iterator."""
        try:
            while True:
                more, item = self.call(functools.partial(_next, items))
                if not more:
                    return
                yield item  # type: ignore[misc]
        finally:
            aclose = getattr(items, "aclose", None)
            if aclose is not None and not self.closed:
                # Refused only when the portal is gone or this runs on its own thread (an
                # abandoned iterator collected there); the iterator is then collected there too.
                with contextlib.suppress(RuntimeError):
                    self.portal.call(aclose)

    def context(
        self, manager: contextlib.AbstractAsyncContextManager[T]
    ) -> AbstractContextManager[T]:
        """An async context manager entered and left on the client's loop."""
        return _OnLoop(self, manager)


class _OnLoop(AbstractContextManager[T]):
    """An async context manager entered and left on a client's loop. Left after the client was
    closed, there is nothing left to do: closing cancelled the block on the loop."""

    def __init__(self, runner: Runner, manager: contextlib.AbstractAsyncContextManager[T]) -> None:
        self._runner = runner
        self._manager = runner.portal.wrap_async_context_manager(manager)

    def __enter__(self) -> T:
        if self._runner.closed:
            raise RuntimeError("the SyncBillectaClient is closed")
        return self._manager.__enter__()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        if self._runner.closed:
            return None
        return self._manager.__exit__(exc_type, exc, tb)


class SyncResource(Generic[A]):
    """Base class of the generated synchronous resources: each method runs the async
    resource's method of the same name on the client's loop."""

    def __init__(self, resource: A, runner: Runner) -> None:
        self._async = resource
        self._runner = runner

    def _run(self, fn: Callable[P, Awaitable[R]], /, *args: P.args, **kwargs: P.kwargs) -> R:
        return self._runner.call(functools.partial(fn, *args, **kwargs))

    def _paginator(
        self, fn: Callable[P, AsyncPaginator[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> SyncPaginator[T]:
        return SyncPaginator(self._runner, fn(*args, **kwargs))

    def _binary(
        self, fn: Callable[P, BinaryResponse], /, *args: P.args, **kwargs: P.kwargs
    ) -> SyncBinaryResponse:
        return SyncBinaryResponse(self._runner, fn(*args, **kwargs))

    def _iterate(
        self, fn: Callable[P, AsyncIterator[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> Iterator[T]:
        return self._runner.iterate(fn(*args, **kwargs))

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class SyncPaginator(Generic[T]):
    """What a listing method of the synchronous client returns.

    :meth:`page` sends the one request the listing's ``offset`` and ``limit`` say and gives its
    items (a ``list``). Iterating gives every item, asking for ``limit`` items at a time (100
    when not given) from ``offset`` (0 when not given), a page being fetched as the previous one
    is used up, until a short or empty page; :meth:`pages` gives the pages as lists. Each use
    sends the requests again. Iterating refuses a ``unique_api_call_id``.
    """

    __slots__ = ("_paginator", "_runner")

    def __init__(self, runner: Runner, paginator: AsyncPaginator[T]) -> None:
        self._runner = runner
        self._paginator = paginator

    @property
    def offset(self) -> int | None:
        return self._paginator.offset

    @property
    def limit(self) -> int | None:
        return self._paginator.limit

    def page(self) -> list[T]:
        """The page ``offset`` and ``limit`` select."""
        return self._runner.call(self._paginator.page)

    def pages(self) -> Iterator[list[T]]:
        """Every page, as a list, from ``offset`` and ``limit`` items at a time."""
        return self._runner.iterate(self._paginator.pages())

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page

    def __repr__(self) -> str:
        return f"<SyncPaginator offset={self.offset!r} limit={self.limit!r}>"


class SyncBinaryResponse:
    """What a binary endpoint of the synchronous client returns, sent on use.

    :meth:`read` gives the whole body (``bytes``); ``with result.stream() as stream:`` gives a
    :class:`SyncByteStream` to read in chunks as the body arrives (an error answer is raised on
    entering the block); :meth:`download` writes the body to a file through a temporary file that
    replaces it once complete. Each use sends the request again.
    """

    __slots__ = ("_response", "_runner")

    def __init__(self, runner: Runner, response: BinaryResponse) -> None:
        self._runner = runner
        self._response = response

    def read(self) -> bytes:
        """The whole body."""
        return self._runner.call(self._response.read)

    @contextlib.contextmanager
    def stream(self) -> Iterator[SyncByteStream]:
        """The body as it arrives (``with result.stream() as stream:`` then ``for chunk in
        stream.iter_chunks(): ...``); the connection is closed when the block is left."""
        with self._runner.context(self._response.stream()) as stream:
            yield SyncByteStream(self._runner, stream)

    def download(
        self, path: str | os.PathLike[str], *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> int:
        """Write the body to ``path`` and return the number of bytes written (a failed
        download leaves no partial file; see :meth:`~billecta_async.ByteStream.save`)."""
        return self._runner.call(
            functools.partial(self._response.download, path, chunk_size=chunk_size)
        )

    def __repr__(self) -> str:
        return f"<SyncBinaryResponse {self._response!r}>"


class SyncByteStream:
    """A :class:`~billecta_async.ByteStream` read from synchronous code (only valid inside the
    ``with`` block that produced it)."""

    __slots__ = ("_runner", "_stream")

    def __init__(self, runner: Runner, stream: ByteStream) -> None:
        self._runner = runner
        self._stream = stream

    @property
    def status(self) -> int:
        return self._stream.status

    @property
    def headers(self) -> Mapping[str, str]:
        return self._stream.headers

    @property
    def content_type(self) -> str:
        return self._stream.content_type

    @property
    def content_length(self) -> int | None:
        return self._stream.content_length

    @property
    def filename(self) -> str | None:
        return self._stream.filename

    def iter_chunks(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """The body in chunks of at most ``chunk_size`` bytes, as they arrive."""
        return self._runner.iterate(self._stream.iter_chunks(chunk_size))

    def save(self, path: str | os.PathLike[str], *, chunk_size: int = DEFAULT_CHUNK_SIZE) -> int:
        """Write the (rest of the) body to ``path``; see :meth:`ByteStream.save`."""
        return self._runner.call(functools.partial(self._stream.save, path, chunk_size=chunk_size))
