"""Debt collection: DebtCollectionResource (``client.debt_collection``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class DebtCollectionResource(Resource):
    """Debt collection.

    The following section describes the Debt collection area. It is a self-standing feature but
    has tight integrations with invoices and reconciliation invoices if you have access to those
    modules.
    """
