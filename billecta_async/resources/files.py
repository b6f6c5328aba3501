"""Files: FilesResource (``client.files``)."""

from __future__ import annotations

import os
from contextlib import AbstractAsyncContextManager

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._streaming import DEFAULT_CHUNK_SIZE, ByteStream
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class FilesResource(Resource):
    """Files.

    All file references returned in all API endpoints return the file reference without the data
    stream. To get the data stream you need to call the file API endpoints. The reason for that
    is maintain a high performance and only return data streams on request.
    """

    @endpoint("GET", "/v1/files/file/{id}", params={"id": "file_public_id"})
    async def get_content(self, file_public_id: p.Guid, **options: Unpack[RequestOptions]) -> bytes:
        """Get a file's content (its data stream), as raw bytes."""
        return await self._request(
            "GET",
            "/v1/files/file/{id}",
            path_params={"id": p.guid(file_public_id, "file_public_id")},
            response=bytes,
            options=options,
        )

    def stream_content(
        self,
        file_public_id: p.Guid,
        **options: Unpack[RequestOptions],
    ) -> AbstractAsyncContextManager[ByteStream]:
        """Stream a file's content (its data stream) as it arrives.

        Like :meth:`get_content`, but instead of the whole body gives a
        :class:`~billecta_async.ByteStream` to read in chunks, holding about one chunk in memory:
        ``async with client.files.stream_content(...) as stream:`` then ``async for chunk in
        stream.iter_chunks(): ...``. An error answer is raised on entering the block; the connection
        is closed when it is left.
        """
        return self._stream(
            "GET",
            "/v1/files/file/{id}",
            path_params={"id": p.guid(file_public_id, "file_public_id")},
            options=options,
        )

    async def download_content(
        self,
        file_public_id: p.Guid,
        path: str | os.PathLike[str],
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        **options: Unpack[RequestOptions],
    ) -> int:
        """Download a file's content (its data stream) to the file ``path``.

        The body of :meth:`get_content` is streamed to a temporary file next to ``path`` that
        replaces ``path`` once complete (see :meth:`~billecta_async.ByteStream.save`): a failed or
        cancelled download leaves no partial file, and a file already at ``path`` is left as it was.
        Returns the number of bytes written.
        """
        async with self.stream_content(file_public_id, **options) as stream:
            return await stream.save(path, chunk_size=chunk_size)

    @endpoint(
        "GET",
        "/v1/files/fileobject/{id}",
        params={"id": "file_public_id", "includedata": "include_data"},
    )
    async def get(
        self,
        file_public_id: p.Guid,
        *,
        include_data: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.File:
        """Get a file (metadata).

        Returns the file reference; with ``include_data=True`` its data stream is included too.
        """
        return await self._request(
            "GET",
            "/v1/files/fileobject/{id}",
            path_params={"id": p.guid(file_public_id, "file_public_id")},
            query=[("includedata", p.boolean(include_data, "include_data"))],
            response=m.File,
            options=options,
        )
