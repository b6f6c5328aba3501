"""Addons: AddonsResource (``client.addons``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class AddonsResource(Resource):
    """Addons.

    Billecta's Addons section.
    """
