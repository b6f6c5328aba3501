"""Creditors: CreditorsResource (``client.creditors``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class CreditorsResource(Resource):
    """Creditors.

    Creditors are the base of all data relations in the API. A creditor is an invoices sender,
    self invoice sender, supplier invoice receivers, etc. It is the company that you represent.
    """
