"""Reconciliation invoice: ReconciliationInvoicesResource (``client.reconciliation_invoices``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class ReconciliationInvoicesResource(Resource):
    """Reconciliation invoice.

    The following section describes the reconciliation invoice api calls. A reconciliation
    invoice differs from an ordinary invoice in the way that is it more light weight and faster
    since a subset of all data is sent to Billecta and no PDF is generated in Billecta.
    Bookkeeping is not possible in reconciliation invoices while all other features like swish,
    autogiro, credit card, e-faktura etc are supported (based on the amount of metadata
    available on the reconciliation invoice).
    """
