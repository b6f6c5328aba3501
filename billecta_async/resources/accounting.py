"""Accounting: AccountingResource (``client.accounting``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class AccountingResource(Resource):
    """Accounting.

    In the accounting section you manage all the accounting/bookkeeping data and settings. You
    get, create and manage payment means (method of payments) which describes how payments are
    booked. SIE4/CSV export file generation is made through the endpoints below. An alternative
    to export SIE/Visma files is that you can extract the raw data for bookkeeping as
    AccountingRecords and generate/import your own data.
    """
