"""What a binary endpoint returns (file content, PDF previews, ROT/RUT XML files).

One mechanism for every such endpoint: the method checks its arguments and returns a
:class:`BinaryResponse`, which sends the request when it is awaited (the whole body as
``bytes``), streamed (:meth:`BinaryResponse.stream`, a :class:`~billecta_async.ByteStream`) or
downloaded to a file (:meth:`BinaryResponse.download`).
"""

from __future__ import annotations

import os
from collections.abc import Generator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

from billecta_async._streaming import DEFAULT_CHUNK_SIZE, ByteStream
from billecta_async._wire import ListOf, Model

if TYPE_CHECKING:
    from billecta_async._transport import Transport

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

    __slots__ = (
        "_body",
        "_body_model",
        "_method",
        "_options",
        "_path",
        "_path_params",
        "_query",
        "_transport",
    )

    def __init__(
        self,
        transport: Transport,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, str | None],
        query: Sequence[tuple[str, str | None]],
        body: Model | Sequence[Any] | None,
        body_model: ListOf[Any] | None,
        options: Mapping[str, Any],
    ) -> None:
        self._transport = transport
        self._method = method
        self._path = path
        self._path_params = path_params
        self._query = query
        self._body = body
        self._body_model = body_model
        self._options = options

    def __await__(self) -> Generator[Any, None, bytes]:
        return self.read().__await__()

    async def read(self) -> bytes:
        """The whole body (the same as awaiting the response)."""
        body: bytes = await self._transport.request(
            self._method,
            self._path,
            path_params=self._path_params,
            query=self._query,
            body=self._body,
            body_model=self._body_model,
            response=bytes,
            options=self._options,
        )
        return body

    def stream(self) -> AbstractAsyncContextManager[ByteStream]:
        """The body as it arrives: ``async with result.stream() as stream:`` then
        ``async for chunk in stream.iter_chunks(): ...``, holding about one chunk in memory.
        The connection is closed when the block is left."""
        return self._transport.stream(
            self._method,
            self._path,
            path_params=self._path_params,
            query=self._query,
            body=self._body,
            body_model=self._body_model,
            options=self._options,
        )

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
        return f"<BinaryResponse {self._method} {self._path}>"
