"""Accounting dimensions: AccountingDimensionsResource (``client.accounting_dimensions``)."""

from __future__ import annotations

import builtins

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class AccountingDimensionsResource(Resource):
    """Accounting dimensions.

    Accounting dimensions are mainly a bookkeeping feature and enabled you to in the bookkeeping
    mark invoices to certain groups. Accounting dimension enables the possibility to add other
    bookkeeping dimensions than the already existing dimensions 1 and 6 (cost center and
    project). The information is not show on the invoices towards the customers.

    A dimension value is identified by the creditor, its dimension number and its code.
    """

    @endpoint(
        "GET",
        "/v1/accountingdimensions/dimension/{id}",
        params={"id": "creditor_public_id", "dimension": "dimension", "code": "code"},
    )
    async def get(
        self,
        creditor_public_id: p.Guid,
        dimension: int,
        *,
        code: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.AccountingDimension:
        """Get a dimension.

        Returns the creditor's dimension with this dimension number and ``code``. ``code`` is
        optional: without it the dimension number must identify a single dimension (the
        reference: "unique dimension required if omitted").
        """
        return await self._request(
            "GET",
            "/v1/accountingdimensions/dimension/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("dimension", p.integer(dimension, "dimension")),
                ("code", p.ident(code, "code")),
            ],
            response=m.AccountingDimension,
            options=options,
        )

    @endpoint("PUT", "/v1/accountingdimensions/dimension", body="dimension")
    async def update(
        self, dimension: m.AccountingDimension, **options: Unpack[RequestOptions]
    ) -> None:
        """Update a dimension (named by its ``CreditorPublicId``, ``Dimension`` and ``Code``)."""
        await self._request(
            "PUT", "/v1/accountingdimensions/dimension", body=dimension, options=options
        )

    @endpoint("POST", "/v1/accountingdimensions/dimension", body="dimension")
    async def create(
        self, dimension: m.AccountingDimension, **options: Unpack[RequestOptions]
    ) -> m.AccountingDimension:
        """Create a dimension for the creditor named by its ``CreditorPublicId``.

        Returns the created dimension.
        """
        return await self._request(
            "POST",
            "/v1/accountingdimensions/dimension",
            body=dimension,
            response=m.AccountingDimension,
            options=options,
        )

    @endpoint(
        "DELETE",
        "/v1/accountingdimensions/dimension/{id}",
        params={"id": "creditor_public_id", "dimension": "dimension", "code": "code"},
    )
    async def delete(
        self,
        creditor_public_id: p.Guid,
        dimension: int,
        *,
        code: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Delete a dimension.

        Deletes the creditor's dimension with this dimension number and ``code``. A dimension
        used on any invoice cannot be deleted. ``code`` is optional: without it the dimension
        number must identify a single dimension (the reference: "unique dimension required if
        omitted").
        """
        await self._request(
            "DELETE",
            "/v1/accountingdimensions/dimension/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("dimension", p.integer(dimension, "dimension")),
                ("code", p.ident(code, "code")),
            ],
            options=options,
        )

    @endpoint(
        "GET", "/v1/accountingdimensions/dimensions/{id}", params={"id": "creditor_public_id"}
    )
    async def list(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.AccountingDimension]:
        """Get all dimensions of the creditor."""
        return await self._request(
            "GET",
            "/v1/accountingdimensions/dimensions/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.AccountingDimensions,
            options=options,
        )
