"""Payments: PaymentsResource (``client.payments``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class PaymentsResource(Resource):
    """Payments.

    Billecta's Payments section.
    """
