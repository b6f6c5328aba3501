"""Accounting dimensions: AccountingDimensionsResource (``client.accounting_dimensions``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class AccountingDimensionsResource(Resource):
    """Accounting dimensions.

    Accounting dimensions are mainly a bookkeeping feature and enabled you to in the bookkeeping
    mark invoices to certain groups. Accounting dimension enables the possibility to add other
    bookkeeping dimensions than the already existing dimensions 1 and 6 (cost center and
    project). The information is not show on the invoices towards the customers.
    """
