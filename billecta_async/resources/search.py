"""Search: SearchResource (``client.search``)."""

from __future__ import annotations

from typing_extensions import Unpack

from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class SearchResource(Resource):
    """Search.

    Search across invoices, claims and the other kinds of actions.
    """

    @endpoint("POST", "/v1/search/actions", body="search")
    async def actions(self, search: m.Search, **options: Unpack[RequestOptions]) -> m.SearchResult:
        """Search for actions (invoices, claims, etc.).

        Every property of ``search`` may be null (``None``), meaning no filtering on that field.
        ``SearchValue`` can only hold a complete invoice number or OCR (not a debtor, product
        name, ...); it may be omitted. Returns the matching actions grouped by kind.
        """
        return await self._request(
            "POST", "/v1/search/actions", body=search, response=m.SearchResult, options=options
        )
