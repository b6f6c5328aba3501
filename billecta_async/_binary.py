"""What a binary endpoint returns (file content, PDF previews, ROT/RUT XML files).

One mechanism for every such endpoint: the method checks its arguments and returns a
:class:`BinaryResponse`, which sends the request when it is awaited (the whole body as
``bytes``), streamed (:meth:`BinaryResponse.stream`, a :class:`~billecta_async.ByteStream`) or
downloaded to a file (:meth:`BinaryResponse.download`).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Generator
from contextlib import AbstractAsyncContextManager
from typing import Any

from billecta_async._streaming import DEFAULT_CHUNK_SIZE, ByteStream

__all__ = ["BinaryResponse"]


class BinaryResponse:
    """The answer of a binary endpoint, sent on use.

    * ``await result`` (or ``await result.read()``): the whole body, as ``bytes``;
    * ``async with result.stream() as stream:``: a :class:`~billecta_async.ByteStream` to read in
      chunks as the body arrives (an error answer is raised on entering the block);
    * ``await result.download(path)``: the body written to ``path`` through a temporary file
      that replaces it once complete (see :meth:`~billecta_async.ByteStream.save`); returns the
      number of bytes written.

    Each use sends the request again. Bodies are passed on as Billecta sends them, the raw file
    bytes; a streamed body is never retried once started.
    """

    __slots__ = ("_open", "_read", "_what")

    def __init__(
        self,
        read: Callable[[], Awaitable[bytes]],
        open_stream: Callable[[], AbstractAsyncContextManager[ByteStream]],
        *,
        what: str,
    ) -> None:
        self._read = read
        self._open = open_stream
        self._what = what

    def __await__(self) -> Generator[Any, None, bytes]:
        return self._read().__await__()

    async def read(self) -> bytes:
        """The whole body (the same as awaiting the response)."""
        return await self._read()

    def stream(self) -> AbstractAsyncContextManager[ByteStream]:
        """The body as it arrives: ``async with result.stream() as stream:`` then
        ``async for chunk in stream.iter_chunks(): ...``, holding about one chunk in memory.
        The connection is closed when the block is left."""
        return self._open()

    async def download(
        self, path: str | os.PathLike[str], *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> int:
        """Write the body to ``path`` and return the number of bytes written.

        The body is streamed to a temporary file next to ``path`` that replaces ``path`` once
        complete: a failed or cancelled download leaves no partial file, and a file already at
        ``path`` is left as it was.
        """
        async with self.stream() as stream:
            return await stream.save(path, chunk_size=chunk_size)

    def __repr__(self) -> str:
        return f"<BinaryResponse {self._what}>"
