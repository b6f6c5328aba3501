"""Cost Centers: CostCentersResource (``client.cost_centers``)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class CostCentersResource(Resource):
    """Cost Centers.

    Cost centers are mainly a bookkeeping feature and enabled you to in the bookkeeping mark
    invoices to certain groups. The feature can also be used to group invoice rows for later
    searches. The information is not show on the invoices towards the customers.

    A cost center is identified by the creditor and its code.
    """

    @endpoint(
        "GET",
        "/v1/costcenters/costcenter/{id}",
        params={"id": "creditor_public_id", "code": "code"},
    )
    async def get(
        self, creditor_public_id: p.Guid, code: str, **options: Unpack[RequestOptions]
    ) -> m.CostCenter:
        """Get a cost center: the creditor's cost center with this code."""
        return await self._request(
            "GET",
            "/v1/costcenters/costcenter/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("code", p.ident(code, "code"))],
            response=m.CostCenter,
            options=options,
        )

    @endpoint("PUT", "/v1/costcenters/costcenter", body="cost_center")
    async def update(self, cost_center: m.CostCenter, **options: Unpack[RequestOptions]) -> None:
        """Update a cost center (named by its ``CreditorPublicId`` and ``Code``)."""
        await self._request("PUT", "/v1/costcenters/costcenter", body=cost_center, options=options)

    @endpoint("POST", "/v1/costcenters/costcenter", body="cost_center")
    async def create(
        self, cost_center: m.CostCenter, **options: Unpack[RequestOptions]
    ) -> m.Created:
        """Create a cost center for the creditor named by its ``CreditorPublicId``.

        Returns the id Billecta gives the new cost center.
        """
        return await self._request(
            "POST",
            "/v1/costcenters/costcenter",
            body=cost_center,
            response=m.Created,
            options=options,
        )

    @endpoint(
        "DELETE",
        "/v1/costcenters/costcenter/{id}",
        params={"id": "creditor_public_id", "code": "code"},
    )
    async def delete(
        self, creditor_public_id: p.Guid, code: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete a cost center.

        Deletes the creditor's cost center with this code (the reference calls it the "cost
        center number"). A cost center used on any invoice cannot be deleted (400 Bad Request).
        """
        await self._request(
            "DELETE",
            "/v1/costcenters/costcenter/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("code", p.ident(code, "code"))],
            options=options,
        )

    @endpoint("GET", "/v1/costcenters/costcenters/{id}", params={"id": "creditor_public_id"})
    async def list(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.CostCenter]:
        """Get all cost centers of the creditor."""
        return await self._request(
            "GET",
            "/v1/costcenters/costcenters/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.CostCenters,
            options=options,
        )

    @endpoint("POST", "/v1/costcenters/costcenters", body="cost_centers")
    async def create_many(
        self, cost_centers: Sequence[m.CostCenter], **options: Unpack[RequestOptions]
    ) -> m.Created:
        """Create multiple cost centers.

        Imports the cost centers: each one is matched on its number (``Code``) and updates the
        existing cost center with that number, or is created when there is none.
        """
        return await self._request(
            "POST",
            "/v1/costcenters/costcenters",
            body=list(cost_centers),
            body_model=m.CostCenters,
            response=m.Created,
            options=options,
        )
