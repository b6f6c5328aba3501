"""Cost Centers: CostCentersResource (``client.cost_centers``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class CostCentersResource(Resource):
    """Cost Centers.

    Cost centers are mainly a bookkeeping feature and enabled you to in the bookkeeping mark
    invoices to certain groups. The feature can also be used to group invoice rows for later
    searches. The information is not show on the invoices towards the customers.
    """
