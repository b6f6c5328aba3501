"""Addons: AddonsResource (``client.addons``)."""

from __future__ import annotations

import builtins

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class AddonsResource(Resource):
    """Addons.

    The addons (extra features) Billecta offers and which of them a creditor has activated.
    """

    @endpoint(
        "POST",
        "/v1/addons/creditoraddons/{id}",
        params={"id": "creditor_public_id"},
        body="category",
    )
    async def list(
        self,
        creditor_public_id: p.Guid,
        category: m.CreditorAddonCategory,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.CreditorAddon]:
        """Get the list of addons.

        Returns the addons and shows which of them are active for the creditor. The request
        body (``CreditorAddonCategory``) is read as a category filter: the reference does not
        document its fields or the set of categories, so ``Category`` is free text and an empty
        ``CreditorAddonCategory()`` is taken to list all addons. (The endpoint is a POST
        although it only reads.)
        """
        return await self._request(
            "POST",
            "/v1/addons/creditoraddons/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            body=category,
            response=m.CreditorAddons,
            options=options,
        )
