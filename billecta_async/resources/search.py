"""Search: SearchResource (``client.search``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class SearchResource(Resource):
    """Search.

    Billecta's Search section.
    """
