"""Contract invoice: ContractInvoicesResource (``client.contract_invoices``)."""

from __future__ import annotations

import builtins
import datetime
import os
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._pagination import DEFAULT_PAGE_SIZE, check_repeatable, paginate
from billecta_async._streaming import DEFAULT_CHUNK_SIZE, ByteStream
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class ContractInvoicesResource(Resource):
    """Contract invoice.

    Contract invoices are recurring invoices to the same customer with the same invoice records
    and amounts. Using contract invoice you create an invoice definition and intervals of when
    it should be triggered. The create invoice trigger is executed a new invoice from the
    contract invoice is made and put among invoices (either as a draft/unattested or also auto
    attested by the system depending on the configuration on the contract invoice. The trigger
    is automatically managed by Billecta and made right after midnight. If a contract invoice is
    created after midnight it will not be triggered until the day after as long as next
    trigger/run date is today or earlier. Contract invoices also support invoice rows that are
    in the future also rows that should automatically be phased out after a certain date.

    Every contract invoice is identified by its ``ActionPublicId`` (``action_public_id``
    below), assigned by Billecta when it is created.
    """

    @endpoint("GET", "/v1/contractinvoice/action/{id}", params={"id": "action_public_id"})
    async def get(
        self, action_public_id: str, **options: Unpack[RequestOptions]
    ) -> m.ContractInvoiceAction:
        """Get a contract invoice.

        Returns the contract invoice with the public id it was assigned when created.
        """
        return await self._request(
            "GET",
            "/v1/contractinvoice/action/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            response=m.ContractInvoiceAction,
            options=options,
        )

    @endpoint(
        "PUT",
        "/v1/contractinvoice/action/{id}",
        params={"id": "action_public_id"},
        body="contract_invoice",
    )
    async def update(
        self,
        action_public_id: str,
        contract_invoice: m.ContractInvoiceAction,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Update a contract invoice.

        Replaces the contract invoice ``action_public_id`` with ``contract_invoice`` (the
        reference adds no description).
        """
        await self._request(
            "PUT",
            "/v1/contractinvoice/action/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            body=contract_invoice,
            options=options,
        )

    @endpoint("POST", "/v1/contractinvoice/action", body="contract_invoice")
    async def create(
        self, contract_invoice: m.ContractInvoiceAction, **options: Unpack[RequestOptions]
    ) -> m.Created:
        """Create a contract invoice.

        Returns the new contract invoice's public id, which you use to retrieve it again and to
        act on it.
        """
        return await self._request(
            "POST",
            "/v1/contractinvoice/action",
            body=contract_invoice,
            response=m.Created,
            options=options,
        )

    @endpoint("DELETE", "/v1/contractinvoice/action/{id}", params={"id": "action_public_id"})
    async def delete(self, action_public_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a contract invoice.

        A contract invoice from which at least one invoice has been generated (triggered at
        least once) cannot be deleted: Billecta answers 400 Bad Request. Pause it instead
        (:meth:`pause`, which disables it) if it is not to be used any more.
        """
        await self._request(
            "DELETE",
            "/v1/contractinvoice/action/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/contractinvoice/actions/{id}",
        params={
            "id": "creditor_public_id",
            "offset": "offset",
            "limit": "limit",
            "sortingfield": "sorting_field",
            "asc": "ascending",
        },
    )
    async def list(
        self,
        creditor_public_id: p.Guid,
        *,
        offset: int | None = None,
        limit: int | None = None,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.ContractInvoiceActionSub]:
        """Get all contract invoices.

        Returns the creditor's contract invoices to all debtors (customers), a page at a time
        (``offset``, ``limit``). ``ascending`` defaults to true at Billecta.
        """
        return await self._request(
            "GET",
            "/v1/contractinvoice/actions/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=p.paging(offset, limit, sorting_field, ascending),
            response=m.ContractInvoiceActionSubs,
            options=options,
        )

    def iter_all(
        self,
        creditor_public_id: p.Guid,
        *,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.ContractInvoiceActionSub]:
        """All contract invoices, across all pages.

        Iterates over the items :meth:`list` returns, asking for ``page_size`` at a time (offsets 0,
        ``page_size``, ...) and stopping after a short or empty page. Takes the same filters and
        sorting as :meth:`list`.
        """
        check_repeatable(options)
        return paginate(
            lambda offset, limit: self.list(
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
        "GET",
        "/v1/contractinvoice/actionsbydebtor/{id}",
        params={
            "id": "creditor_public_id",
            "debtorpublicid": "debtor_public_id",
            "offset": "offset",
            "limit": "limit",
            "sortingfield": "sorting_field",
            "asc": "ascending",
        },
    )
    async def list_by_debtor(
        self,
        creditor_public_id: p.Guid,
        debtor_public_id: p.Guid,
        *,
        offset: int | None = None,
        limit: int | None = None,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.ContractInvoiceActionSub]:
        """Get all contract invoices to a debtor.

        Returns the creditor's contract invoices to the debtor (customer) ``debtor_public_id``,
        a page at a time (``offset``, ``limit``). ``ascending`` defaults to true at Billecta.
        """
        return await self._request(
            "GET",
            "/v1/contractinvoice/actionsbydebtor/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("debtorpublicid", p.guid(debtor_public_id, "debtor_public_id")),
                *p.paging(offset, limit, sorting_field, ascending),
            ],
            response=m.ContractInvoiceActionSubs,
            options=options,
        )

    def iter_by_debtor(
        self,
        creditor_public_id: p.Guid,
        debtor_public_id: p.Guid,
        *,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.ContractInvoiceActionSub]:
        """All contract invoices to a debtor, across all pages.

        Iterates over the items :meth:`list_by_debtor` returns, asking for ``page_size`` at a time
        (offsets 0, ``page_size``, ...) and stopping after a short or empty page. Takes the same
        filters and sorting as :meth:`list_by_debtor`.
        """
        check_repeatable(options)
        return paginate(
            lambda offset, limit: self.list_by_debtor(
                creditor_public_id,
                debtor_public_id,
                offset=offset,
                limit=limit,
                sorting_field=sorting_field,
                ascending=ascending,
                **options,
            ),
            page_size=page_size,
        )

    @endpoint("POST", "/v1/contractinvoice/comment", body="comment")
    async def comment(self, comment: m.CommentAction, **options: Unpack[RequestOptions]) -> None:
        """Comment a contract invoice.

        Writes the comment to the events log of the contract invoice named by the comment's
        ``ActionPublicId``.
        """
        await self._request("POST", "/v1/contractinvoice/comment", body=comment, options=options)

    @endpoint("PUT", "/v1/contractinvoice/createinvoice/{id}", params={"id": "action_public_id"})
    async def create_invoice(
        self, action_public_id: str, **options: Unpack[RequestOptions]
    ) -> m.Created:
        """Generate a new invoice from a contract invoice.

        Creates a new invoice with the contract invoice as template, right away. Returns the
        public id of the new invoice; retrieve the invoice itself with the Invoice endpoints
        (``client.invoices``).
        """
        return await self._request(
            "PUT",
            "/v1/contractinvoice/createinvoice/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            response=m.Created,
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/contractinvoice/generatedinvoices/{id}",
        params={
            "id": "action_public_id",
            "offset": "offset",
            "limit": "limit",
            "sortingfield": "sorting_field",
            "asc": "ascending",
        },
    )
    async def list_generated_invoices(
        self,
        action_public_id: str,
        *,
        offset: int | None = None,
        limit: int | None = None,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.InvoiceActionSub]:
        """Get invoices generated from contract invoice.

        Returns all invoices generated by this contract invoice, a page at a time (``offset``,
        ``limit``). ``ascending`` defaults to true at Billecta.
        """
        return await self._request(
            "GET",
            "/v1/contractinvoice/generatedinvoices/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            query=p.paging(offset, limit, sorting_field, ascending),
            response=m.InvoiceActionSubs,
            options=options,
        )

    def iter_generated_invoices(
        self,
        action_public_id: str,
        *,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.InvoiceActionSub]:
        """Invoices generated from contract invoice, across all pages.

        Iterates over the items :meth:`list_generated_invoices` returns, asking for ``page_size`` at
        a time (offsets 0, ``page_size``, ...) and stopping after a short or empty page. Takes the
        same filters and sorting as :meth:`list_generated_invoices`.
        """
        check_repeatable(options)
        return paginate(
            lambda offset, limit: self.list_generated_invoices(
                action_public_id,
                offset=offset,
                limit=limit,
                sorting_field=sorting_field,
                ascending=ascending,
                **options,
            ),
            page_size=page_size,
        )

    @endpoint("POST", "/v1/contractinvoice/halfyearlyrecurringautogiro", body="contract_invoice")
    async def create_half_yearly_autogiro(
        self,
        contract_invoice: m.HalfYearlyAutogiroContractInvoice,
        **options: Unpack[RequestOptions],
    ) -> m.Created:
        """Create half year recurring autogiro contract invoice.

        Creates a contract invoice that recurs every half year, and the debtor with autogiro
        enabled. Returns the new contract invoice's public id, which you use to retrieve it
        again and to act on it. The reference's "Create debtor with autogiro enabled" is read as
        this endpoint creating the debtor, with autogiro, from the debtor and bank account fields
        of the request.
        """
        return await self._request(
            "POST",
            "/v1/contractinvoice/halfyearlyrecurringautogiro",
            body=contract_invoice,
            response=m.Created,
            options=options,
        )

    @endpoint("POST", "/v1/contractinvoice/monthlyrecurringautogiro", body="contract_invoice")
    async def create_monthly_autogiro(
        self,
        contract_invoice: m.MonthlyAutogiroContractInvoice,
        **options: Unpack[RequestOptions],
    ) -> m.Created:
        """Create monthly recurring autogiro contract invoice.

        Creates a contract invoice that recurs every month, and the debtor with autogiro
        enabled. Returns the new contract invoice's public id, which you use to retrieve it
        again and to act on it. The reference's "Create debtor with autogiro enabled" is read as
        this endpoint creating the debtor, with autogiro, from the debtor and bank account fields
        of the request.
        """
        return await self._request(
            "POST",
            "/v1/contractinvoice/monthlyrecurringautogiro",
            body=contract_invoice,
            response=m.Created,
            options=options,
        )

    @endpoint(
        "PUT",
        "/v1/contractinvoice/movenextrun/{id}",
        params={"id": "action_public_id", "steps": "steps"},
    )
    async def move_next_run(
        self, action_public_id: str, steps: int, **options: Unpack[RequestOptions]
    ) -> None:
        """Move next run.

        Moves the contract invoice's next run by ``steps`` recurrence periods, so that it is
        skipped ("not triggered") or re-run ("retriggered") on the next run, per its recurrence
        setup. The reference does not say how the direction is given; the reading taken is that
        a positive ``steps`` skips forward and a negative one reverts. Reverting to a date
        several periods before today makes the contract invoice run once per period until its
        next run date is after today.
        """
        await self._request(
            "PUT",
            "/v1/contractinvoice/movenextrun/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            query=[("steps", p.integer(steps, "steps"))],
            options=options,
        )

    @endpoint("PUT", "/v1/contractinvoice/pause/{id}", params={"id": "action_public_id"})
    async def pause(self, action_public_id: str, **options: Unpack[RequestOptions]) -> None:
        """Pause/Disables a contract invoice.

        Pauses (disables) the contract invoice: it no longer creates a new invoice each time a
        period is triggered, until it is resumed (:meth:`resume`).
        """
        await self._request(
            "PUT",
            "/v1/contractinvoice/pause/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            options=options,
        )

    @endpoint("GET", "/v1/contractinvoice/preview/{id}", params={"id": "action_public_id"})
    async def preview(self, action_public_id: str, **options: Unpack[RequestOptions]) -> bytes:
        """Preview a contract invoice.

        Returns the preview (the document's bytes) of the invoice as it will be generated when
        the next period is triggered, from the contract invoice as stored at Billecta. To
        preview data that is not stored, use :meth:`preview_entry`.
        """
        return await self._request(
            "GET",
            "/v1/contractinvoice/preview/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            response=bytes,
            options=options,
        )

    def stream_preview(
        self,
        action_public_id: str,
        **options: Unpack[RequestOptions],
    ) -> AbstractAsyncContextManager[ByteStream]:
        """Stream the preview of a stored contract invoice as it arrives.

        Like :meth:`preview`, but instead of the whole body gives a
        :class:`~billecta_async.ByteStream` to read in chunks, holding about one chunk in memory:
        ``async with client.contract_invoices.stream_preview(...) as stream:`` then ``async for
        chunk in stream.iter_chunks(): ...``. An error answer is raised on entering the block; the
        connection is closed when it is left.
        """
        return self._stream(
            "GET",
            "/v1/contractinvoice/preview/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            options=options,
        )

    async def download_preview(
        self,
        action_public_id: str,
        path: str | os.PathLike[str],
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        **options: Unpack[RequestOptions],
    ) -> int:
        """Download the preview of a stored contract invoice to the file ``path``.

        The body of :meth:`preview` is streamed to a temporary file next to ``path`` that replaces
        ``path`` once complete (see :meth:`~billecta_async.ByteStream.save`): a failed or cancelled
        download leaves no partial file, and a file already at ``path`` is left as it was. Returns
        the number of bytes written.
        """
        async with self.stream_preview(action_public_id, **options) as stream:
            return await stream.save(path, chunk_size=chunk_size)

    @endpoint("POST", "/v1/contractinvoice/preview", body="contract_invoice")
    async def preview_entry(
        self, contract_invoice: m.ContractInvoiceAction, **options: Unpack[RequestOptions]
    ) -> bytes:
        """Preview a contract invoice.

        Returns the preview (the document's bytes) of the invoice as it will be generated when
        the next period is triggered, from the contract invoice given here: only the data sent
        is used, anything stored at Billecta is ignored. (The reference documents this endpoint
        under the same summary as :meth:`preview`, which previews a stored contract invoice.)
        """
        return await self._request(
            "POST",
            "/v1/contractinvoice/preview",
            body=contract_invoice,
            response=bytes,
            options=options,
        )

    def stream_preview_entry(
        self,
        contract_invoice: m.ContractInvoiceAction,
        **options: Unpack[RequestOptions],
    ) -> AbstractAsyncContextManager[ByteStream]:
        """Stream the preview of the contract invoice sent (not stored) as it arrives.

        Like :meth:`preview_entry`, but instead of the whole body gives a
        :class:`~billecta_async.ByteStream` to read in chunks, holding about one chunk in memory:
        ``async with client.contract_invoices.stream_preview_entry(...) as stream:`` then ``async
        for chunk in stream.iter_chunks(): ...``. An error answer is raised on entering the block;
        the connection is closed when it is left.
        """
        return self._stream(
            "POST",
            "/v1/contractinvoice/preview",
            body=contract_invoice,
            options=options,
        )

    async def download_preview_entry(
        self,
        contract_invoice: m.ContractInvoiceAction,
        path: str | os.PathLike[str],
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        **options: Unpack[RequestOptions],
    ) -> int:
        """Download the preview of the contract invoice sent (not stored) to the file ``path``.

        The body of :meth:`preview_entry` is streamed to a temporary file next to ``path`` that
        replaces ``path`` once complete (see :meth:`~billecta_async.ByteStream.save`): a failed or
        cancelled download leaves no partial file, and a file already at ``path`` is left as it was.
        Returns the number of bytes written.
        """
        async with self.stream_preview_entry(contract_invoice, **options) as stream:
            return await stream.save(path, chunk_size=chunk_size)

    @endpoint(
        "PUT",
        "/v1/contractinvoice/resume/{id}",
        params={"id": "action_public_id", "nextdate": "next_date"},
    )
    async def resume(
        self, action_public_id: str, next_date: datetime.date, **options: Unpack[RequestOptions]
    ) -> None:
        """Resume a contract invoice.

        Resumes (enables) the contract invoice: it again creates a new invoice each time a
        period is triggered. ``next_date`` is the earliest date on which the next invoice will
        be created.
        """
        await self._request(
            "PUT",
            "/v1/contractinvoice/resume/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            query=[("nextdate", p.day(next_date, "next_date"))],
            options=options,
        )

    @endpoint("POST", "/v1/contractinvoice/yearlyrecurringautogiro", body="contract_invoice")
    async def create_yearly_autogiro(
        self,
        contract_invoice: m.YearlyAutogiroContractInvoice,
        **options: Unpack[RequestOptions],
    ) -> m.Created:
        """Create yearly recurring autogiro contract invoice.

        Creates a contract invoice that recurs every year, and the debtor with autogiro
        enabled. Returns the new contract invoice's public id, which you use to retrieve it
        again and to act on it. The reference's "Create debtor with autogiro enabled" is read as
        this endpoint creating the debtor, with autogiro, from the debtor and bank account fields
        of the request.
        """
        return await self._request(
            "POST",
            "/v1/contractinvoice/yearlyrecurringautogiro",
            body=contract_invoice,
            response=m.Created,
            options=options,
        )
