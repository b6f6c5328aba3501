"""Binary answers (file content, PDF previews, ROT/RUT XML) read as they arrive.

:meth:`Transport.stream <billecta_async._transport.Transport.stream>` opens the request and hands
out a :class:`ByteStream`; a binary endpoint's :class:`~billecta_async.BinaryResponse` gives that
context manager from ``.stream()`` and writes it to a file with :meth:`ByteStream.save` in
``.download(path)``.

Billecta sends these bodies as the raw bytes of the file (the reference: "returns a PDF data
stream in the content", response ``Byte[]``), so they are passed on unchanged, exactly as the
whole body is when the response is awaited (``await files.get_content(...)``).
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Callable, Mapping

import aiohttp
import anyio

from billecta_async._exceptions import (
    BillectaError,
    RequestTimeoutError,
    TransportError,
    scrub_chain,
    underlying,
)
from billecta_async._params import size

__all__ = ["DEFAULT_CHUNK_SIZE", "ByteStream"]

DEFAULT_CHUNK_SIZE = 64 * 1024
"""Largest chunk :meth:`ByteStream.iter_chunks` yields by default (bytes)."""


class ByteStream:
    """The body of one binary answer, read from the connection chunk by chunk.

    Only valid inside the ``async with`` block that produced it: the connection is closed when
    the block is left (returned to the pool if the body was read to its end). Waiting longer
    than ``read_timeout`` seconds for the next piece of the body raises
    :class:`~billecta_async.RequestTimeoutError` (``None``: wait for ever); the time the reader
    spends between chunks does not count. ``failed`` (given by the transport) makes an error
    tell the truth about the call before it is raised.
    """

    def __init__(
        self,
        response: aiohttp.ClientResponse,
        *,
        method: str,
        path: str,
        read_timeout: float | None = None,
        failed: Callable[[BillectaError], None] | None = None,
    ) -> None:
        self._response = response
        self._method = method
        self._path = path
        self._read_timeout = read_timeout
        self._failed = failed
        self._left = False  # the block that gave it was left: the connection is gone

    def _leave(self) -> None:
        """Called as the ``async with`` block that gave this stream is left."""
        self._left = True

    def _check_open(self) -> None:
        if self._left:
            raise RuntimeError(
                "this ByteStream was used after its `async with` block was left, which closed "
                "its connection: read it (iter_chunks, save) inside the block"
            )

    @property
    def status(self) -> int:
        """The HTTP status (below 300: error answers and redirects are raised before a stream
        is given)."""
        return self._response.status

    @property
    def headers(self) -> Mapping[str, str]:
        """The answer's headers."""
        return self._response.headers

    @property
    def content_type(self) -> str:
        """The media type from ``Content-Type`` (e.g. ``application/pdf``)."""
        return self._response.content_type

    @property
    def content_length(self) -> int | None:
        """The body's size from ``Content-Length``, if sent."""
        return self._response.content_length

    @property
    def filename(self) -> str | None:
        """The file name from ``Content-Disposition``, if sent."""
        disposition = self._response.content_disposition
        return disposition.filename if disposition is not None else None

    async def iter_chunks(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> AsyncIterator[bytes]:
        """The body in chunks of at most ``chunk_size`` bytes, as they arrive.

        A connection lost mid-body raises :class:`~billecta_async.TransportError`, a gap longer
        than the read timeout :class:`~billecta_async.RequestTimeoutError`; nothing is retried,
        so the bytes already read are never repeated.
        """
        size(chunk_size, "chunk_size")
        self._check_open()
        while True:
            chunk = await self._read(chunk_size)
            if not chunk:
                return
            yield chunk

    async def _read(self, chunk_size: int) -> bytes:
        self._check_open()
        content = self._response.content
        failure: BaseException
        try:
            if self._read_timeout is None:
                return await content.read(chunk_size)
            with anyio.fail_after(self._read_timeout):
                return await content.read(chunk_size)
        except (asyncio.TimeoutError, TimeoutError) as exc:
            failure = exc
        except aiohttp.ClientError as exc:
            failure = exc
        # Raised here, outside the handlers, so that aiohttp's exception (which can show the
        # URL) is not chained as the error's context.
        cause = underlying(failure)
        error: TransportError
        if isinstance(failure, aiohttp.ClientError):
            reason = f"{cause} reading the body"
            error = TransportError(reason, method=self._method, path=self._path)
        else:
            seconds = "the timeout" if self._read_timeout is None else f"{self._read_timeout:g} s"
            reason = f"no data for {seconds} reading the body (read_timeout)"
            error = RequestTimeoutError(reason, method=self._method, path=self._path)
        error.__cause__ = cause
        if self._failed is not None:
            self._failed(error)
        else:
            scrub_chain(error)
        raise error

    async def save(
        self, path: str | os.PathLike[str], *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> int:
        """Write the body to ``path`` and return the number of bytes written.

        The body goes to a temporary file in ``path``'s directory, flushed to disk and then
        renamed over ``path``: ``path`` only ever holds a complete body. On any failure or
        cancellation the temporary file is removed and a file already at ``path`` is left as
        it was.
        """
        size(chunk_size, "chunk_size")
        self._check_open()
        target = anyio.Path(os.fspath(path))
        partial = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
        written = 0
        try:
            async with await anyio.open_file(partial, "xb") as out:
                async for chunk in self.iter_chunks(chunk_size):
                    await out.write(chunk)
                    written += len(chunk)
                await out.flush()
                await anyio.to_thread.run_sync(os.fsync, out.wrapped.fileno())
            await partial.replace(target)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await partial.unlink(missing_ok=True)
            raise
        return written
