"""Delivery: DeliveryResource (``client.delivery``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class DeliveryResource(Resource):
    """Delivery.

    Billecta's Delivery section.
    """
