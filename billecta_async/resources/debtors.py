"""Debtors: DebtorsResource (``client.debtors``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class DebtorsResource(Resource):
    """Debtors.

    Debtors in the system are equal to a creditor customer. Debtors can be both an individual or
    an organization. Use the same property OrgNo regardless if it is person/social security
    number or an organizational number.
    """
