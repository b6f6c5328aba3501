"""Self invoice: SelfInvoicesResource (``client.self_invoices``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class SelfInvoicesResource(Resource):
    """Self invoice.

    Self invoices are supplier invoices that you create for you supplier to yourself. That is,
    you are invoicing yourself on behalf of your supplier. Self invoices are widely used when
    invoice for your customer on their behalf (where payment is made to your account) to their
    customer. To automatize the payment flow you need to further promote the payment from your
    account to you customer. In a sence a supplier invoice to you that you create yourself.
    """
