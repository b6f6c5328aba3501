"""Common: CommonResource (``client.common``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class CommonResource(Resource):
    """Common.

    Billecta's Common section.
    """
