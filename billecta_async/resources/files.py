"""Files: FilesResource (``client.files``)."""

from __future__ import annotations

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
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
