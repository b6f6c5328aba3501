"""Common: CommonResource (``client.common``)."""

from __future__ import annotations

import builtins

from typing_extensions import Unpack

from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class CommonResource(Resource):
    """Common.

    Reference data shared by all creditors: countries, currencies, debt collection messages.
    """

    @endpoint("GET", "/v1/common/countries")
    async def list_countries(self, **options: Unpack[RequestOptions]) -> builtins.list[m.Country]:
        """Get the supported countries.

        Returns every country the Billecta API supports with its country code (ISO 3166-1
        alpha-2, e.g. ``"SE"``; the reference writes "ISO 3366-1", a typo).
        """
        return await self._request(
            "GET", "/v1/common/countries", response=m.Countries, options=options
        )

    @endpoint("GET", "/v1/common/currencies")
    async def list_currencies(
        self, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.CurrencyView]:
        """Get the supported currencies.

        Billecta gives amounts in cents of each currency; each returned currency says how many
        decimals (cent digits) it has. See "Amounts" in Billecta's getting-started guide for how
        to give amounts in a currency.
        """
        return await self._request(
            "GET", "/v1/common/currencies", response=m.Currencies, options=options
        )

    @endpoint("GET", "/v1/common/debtcollectionmesssages")
    async def list_debt_collection_messages(
        self, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.DebtCollectionMessage]:
        """Get the debt collection messages.

        Returns every message that can be written on debt collection claim invoices. (The path's
        "messsages" with three s is Billecta's spelling and is sent as documented.)
        """
        return await self._request(
            "GET",
            "/v1/common/debtcollectionmesssages",
            response=m.DebtCollectionMessages,
            options=options,
        )
