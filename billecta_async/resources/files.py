"""Files: FilesResource (``client.files``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class FilesResource(Resource):
    """Files.

    All file references returned in all API endpoints return the file reference without the data
    stream. To get the data stream you need to call the file API endpoints. The reason for that
    is maintain a high performance and only return data streams on request.
    """
