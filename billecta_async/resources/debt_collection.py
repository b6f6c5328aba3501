"""Debt collection: DebtCollectionResource (``client.debt_collection``)."""

from __future__ import annotations

import builtins
import datetime
from collections.abc import AsyncIterator

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._pagination import DEFAULT_PAGE_SIZE, check_repeatable, paginate
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class DebtCollectionResource(Resource):
    """Debt collection.

    The following section describes the Debt collection area. It is a self-standing feature but
    has tight integrations with invoices and reconciliation invoices if you have access to those
    modules.
    """

    @endpoint("GET", "/v1/debtcollection/action/{id}", params={"id": "action_public_id"})
    async def get(
        self, action_public_id: str, **options: Unpack[RequestOptions]
    ) -> m.DebtCollectionAction:
        """Get a debt collection action.

        ``action_public_id`` is the debt collection action's public id.
        """
        return await self._request(
            "GET",
            "/v1/debtcollection/action/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            response=m.DebtCollectionAction,
            options=options,
        )

    @endpoint("POST", "/v1/debtcollection/action", body="entry")
    async def create(self, entry: m.DebtCollectionEntry, **options: Unpack[RequestOptions]) -> None:
        """Create a (decoupled) new debt collection action.

        A decoupled action is not the result of an invoice created in Billecta but of one in an
        external system, so the request must carry the invoice PDF and the amounts. The creditor
        must have been reviewed and approved by Billecta customer service before this works.

        The reference documents no response for this endpoint, so this method returns ``None``
        (find the new action with :meth:`list_open`).
        """
        await self._request("POST", "/v1/debtcollection/action", body=entry, options=options)

    @endpoint("POST", "/v1/debtcollection/actionfrominvoice", body="entry")
    async def create_from_invoice(
        self, entry: m.DebtCollectionFromInvoiceEntry, **options: Unpack[RequestOptions]
    ) -> m.Created:
        """Create new debt collection action from an invoice.

        The invoice (``SourcePublicId``) must have been created in Billecta. Payments on the
        invoice affect the debt collection and vice versa, so both always agree on the remaining
        amount. Returns the id of the new debt collection action.
        """
        return await self._request(
            "POST",
            "/v1/debtcollection/actionfrominvoice",
            body=entry,
            response=m.Created,
            options=options,
        )

    @endpoint(
        "POST",
        "/v1/debtcollection/actionfrominvoice/{id}",
        params={"id": "invoice_action_public_id"},
    )
    async def create_from_invoice_with_defaults(
        self, invoice_action_public_id: str, **options: Unpack[RequestOptions]
    ) -> m.Created:
        """Create new debt collection action from an invoice using default settings.

        Like :meth:`create_from_invoice`, but the action's settings are taken from the creditor's
        default debt collection configuration. ``invoice_action_public_id`` is the public id of
        the invoice (created in Billecta). Payments on the invoice affect the debt collection and
        vice versa. Returns the id of the new debt collection action.
        """
        return await self._request(
            "POST",
            "/v1/debtcollection/actionfrominvoice/{id}",
            path_params={"id": p.ident(invoice_action_public_id, "invoice_action_public_id")},
            response=m.Created,
            options=options,
        )

    @endpoint("POST", "/v1/debtcollection/actionfromreconciliationinvoice", body="entry")
    async def create_from_reconciliation_invoice(
        self,
        entry: m.DebtCollectionFromReconciliationInvoiceEntry,
        **options: Unpack[RequestOptions],
    ) -> m.Created:
        """Create new debt collection action from a reconciliation invoice.

        Payments on the reconciliation invoice (``SourcePublicId``) affect the debt collection and
        vice versa, so both always agree on the remaining amount. Returns the id of the new debt
        collection action.
        """
        return await self._request(
            "POST",
            "/v1/debtcollection/actionfromreconciliationinvoice",
            body=entry,
            response=m.Created,
            options=options,
        )

    @endpoint("PUT", "/v1/debtcollection/address", body="address")
    async def update_address(
        self, address: m.UpdateAddressAction, **options: Unpack[RequestOptions]
    ) -> None:
        """Update address on an action.

        Overrides the address of the debtor card with a temporary address for this debt
        collection action (``ActionPublicId``) only.
        """
        await self._request("PUT", "/v1/debtcollection/address", body=address, options=options)

    @endpoint(
        "DELETE",
        "/v1/debtcollection/address/{id}",
        params={"id": "action_public_id"},
        body="address",
    )
    async def delete_address(
        self,
        action_public_id: str,
        *,
        address: m.UpdateAddressAction | None = None,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Delete address override for action.

        Removes the address set with :meth:`update_address`; the action then uses the address
        from the debtor card again.

        The reference documents an ``UpdateAddressAction`` request body for this DELETE although
        the action is already named by ``action_public_id``. The body is therefore optional here:
        ``address`` is sent when given, and without it the request has no body.
        """
        await self._request(
            "DELETE",
            "/v1/debtcollection/address/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            body=address,
            options=options,
        )

    @endpoint("PUT", "/v1/debtcollection/cancel/{id}", params={"id": "action_public_id"})
    async def cancel(self, action_public_id: str, **options: Unpack[RequestOptions]) -> None:
        """Cancel a debt collection action.

        Cancels the action and disconnects it from any Billecta invoice.
        """
        await self._request(
            "PUT",
            "/v1/debtcollection/cancel/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/debtcollection/closed/{id}",
        params={
            "id": "creditor_public_id",
            "from": "from_date",
            "to": "to_date",
            "offset": "offset",
            "limit": "limit",
            "sortingfield": "sorting_field",
            "asc": "ascending",
        },
    )
    async def list_closed(
        self,
        creditor_public_id: str,
        from_date: datetime.date,
        to_date: datetime.date,
        *,
        offset: int | None = None,
        limit: int | None = None,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.DebtCollectionActionSub]:
        """Get all closed debt collection actions.

        Returns the debt collection actions closed (fully paid) between ``from_date`` and
        ``to_date``, a page at a time (``offset``, ``limit``); ``ascending`` defaults to true.

        The reference describes the path id as a "Debt collection action public id" of type
        string, but the endpoint lists many actions, like :meth:`list_open` does for a creditor;
        it is read as the creditor public id. As the reference types it as a string, it is sent
        as given (not checked to be a GUID).
        """
        return await self._request(
            "GET",
            "/v1/debtcollection/closed/{id}",
            path_params={"id": p.ident(creditor_public_id, "creditor_public_id")},
            query=[
                ("from", p.day(from_date, "from_date")),
                ("to", p.day(to_date, "to_date")),
                *p.paging(offset, limit, sorting_field, ascending),
            ],
            response=m.DebtCollectionActionSubs,
            options=options,
        )

    def iter_closed(
        self,
        creditor_public_id: str,
        from_date: datetime.date,
        to_date: datetime.date,
        *,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.DebtCollectionActionSub]:
        """All closed debt collection actions, across all pages.

        Iterates over the items :meth:`list_closed` returns, asking for ``page_size`` at a time
        (offsets 0, ``page_size``, ...) and stopping after a short or empty page. Takes the same
        filters and sorting as :meth:`list_closed`.
        """
        check_repeatable(options)
        return paginate(
            lambda offset, limit: self.list_closed(
                creditor_public_id,
                from_date,
                to_date,
                offset=offset,
                limit=limit,
                sorting_field=sorting_field,
                ascending=ascending,
                **options,
            ),
            page_size=page_size,
        )

    @endpoint("POST", "/v1/debtcollection/comment", body="comment")
    async def comment(self, comment: m.CommentAction, **options: Unpack[RequestOptions]) -> None:
        """Comment a debt collection action (named by the comment's ``ActionPublicId``)."""
        await self._request("POST", "/v1/debtcollection/comment", body=comment, options=options)

    @endpoint("POST", "/v1/debtcollection/credit", body="credit")
    async def credit(self, credit: m.CreditAction, **options: Unpack[RequestOptions]) -> m.Created:
        """Credit/Lower the debt on a debt collection action.

        Lowers the current amount of the action by ``Value``. When the amount is an actual
        payment, ``InvoiceInterest`` says whether interest up to the payment date is added to the
        next claim, if any; the flag is ignored when the action becomes fully paid. Returns the id
        Billecta creates for the credit.
        """
        return await self._request(
            "POST", "/v1/debtcollection/credit", body=credit, response=m.Created, options=options
        )

    @endpoint("PUT", "/v1/debtcollection/dispute/{id}", params={"id": "action_public_id"})
    async def dispute(self, action_public_id: str, **options: Unpack[RequestOptions]) -> None:
        """Dispute debt collection action.

        While a claim is disputed, regulations prohibit Billecta from moving it forward.
        """
        await self._request(
            "PUT",
            "/v1/debtcollection/dispute/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/debtcollection/events/{id}",
        params={"id": "creditor_public_id", "from": "from_date", "to": "to_date"},
    )
    async def list_events(
        self,
        creditor_public_id: p.Guid,
        from_date: datetime.date,
        to_date: datetime.date,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.CommonActionEvent]:
        """Get all events for all debt collections.

        Returns the events of all the creditor's debt collection actions between ``from_date``
        and ``to_date``. Events of an action closed more than 6 months ago are archived and not
        returned.
        """
        return await self._request(
            "GET",
            "/v1/debtcollection/events/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("from", p.day(from_date, "from_date")),
                ("to", p.day(to_date, "to_date")),
            ],
            response=m.CommonActionEvents,
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/debtcollection/open/{id}",
        params={
            "id": "creditor_public_id",
            "offset": "offset",
            "limit": "limit",
            "sortingfield": "sorting_field",
            "asc": "ascending",
        },
    )
    async def list_open(
        self,
        creditor_public_id: p.Guid,
        *,
        offset: int | None = None,
        limit: int | None = None,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.DebtCollectionActionSub]:
        """Get all open debt collection actions.

        Returns the creditor's debt collection actions that are neither cancelled nor fully paid
        (closed), a page at a time (``offset``, ``limit``); ``ascending`` defaults to true. Closed
        actions are listed by :meth:`list_closed`.
        """
        return await self._request(
            "GET",
            "/v1/debtcollection/open/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=p.paging(offset, limit, sorting_field, ascending),
            response=m.DebtCollectionActionSubs,
            options=options,
        )

    def iter_open(
        self,
        creditor_public_id: p.Guid,
        *,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.DebtCollectionActionSub]:
        """All open debt collection actions, across all pages.

        Iterates over the items :meth:`list_open` returns, asking for ``page_size`` at a time
        (offsets 0, ``page_size``, ...) and stopping after a short or empty page. Takes the same
        filters and sorting as :meth:`list_open`.
        """
        check_repeatable(options)
        return paginate(
            lambda offset, limit: self.list_open(
                creditor_public_id,
                offset=offset,
                limit=limit,
                sorting_field=sorting_field,
                ascending=ascending,
                **options,
            ),
            page_size=page_size,
        )

    @endpoint(
        "PUT",
        "/v1/debtcollection/postpone/{id}",
        params={"id": "action_public_id", "days": "days"},
    )
    @endpoint(
        "PUT",
        "/v1/debtcollection/postpone/{id}",
        params={"id": "action_public_id", "date": "to_date"},
    )
    async def postpone(
        self,
        action_public_id: str,
        *,
        days: int | str | None = None,
        to_date: datetime.date | None = None,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Postpone next event.

        Postpones the next automatic event of the debt collection action, to give the debtor a
        little more time. Give exactly one of ``days`` (the number of days to postpone by) or
        ``to_date`` (the date to postpone to).

        The reference documents this endpoint twice, once with ``days`` and once with ``date``;
        one method covers both since they are alternatives for the same action. The reference
        types ``days`` as a string here (an int on the invoice endpoint); an ``int`` or its text
        is accepted and sent as is.
        """
        if (days is None) == (to_date is None):
            raise p.ParameterError(
                "days/to_date", (days, to_date), "give exactly one of days or to_date"
            )
        query: list[tuple[str, str | None]]
        if days is not None:
            value = p.integer(days, "days") if isinstance(days, int) else p.string(days, "days")
            query = [("days", value)]
        else:
            query = [("date", p.day(to_date, "to_date"))]
        await self._request(
            "PUT",
            "/v1/debtcollection/postpone/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            query=query,
            options=options,
        )
