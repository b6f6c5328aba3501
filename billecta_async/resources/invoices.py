"""Invoice: InvoicesResource (``client.invoices``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class InvoicesResource(Resource):
    """Invoice.

    The following endpoints describes the invoice api calls. It is a self-standing
    section/feature but has tight integrations with debt collection if you have access to those
    modules.
    """
