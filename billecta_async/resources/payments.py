"""Payments: PaymentsResource (``client.payments``)."""

from __future__ import annotations

import builtins
import datetime
from collections.abc import AsyncIterator, Sequence

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import _polling
from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class PaymentsResource(Resource):
    """Payments.

    Incoming payments matched to invoices, unhandled payments (incoming payments Billecta could
    not connect to an invoice, and overpayments) and how to match them, standalone outgoing
    payments from the creditor's bankgiro, and Swish payment requests.
    """

    # -- incoming and unhandled payments ---------------------------------------------------------

    @endpoint("PUT", "/v1/payments/incomingpayments", body="request")
    async def list_incoming_payments(
        self, request: m.IncomingPaymentRequest, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.IncomingPayment]:
        """Get incoming payments.

        Returns the incoming payments matched/connected to an invoice, selected by ``request``
        (creditor, interval and filters). Unhandled/unknown payments, not related to any invoice,
        are not included: see :meth:`list_unhandled_payments`.
        """
        return await self._request(
            "PUT",
            "/v1/payments/incomingpayments",
            body=request,
            response=m.IncomingPayments,
            options=options,
        )

    @endpoint(
        "POST",
        "/v1/payments/matchpayments/{id}",
        params={"id": "creditor_public_id"},
        body="matches",
    )
    async def match_payments(
        self,
        creditor_public_id: p.Guid,
        matches: Sequence[m.PaymentMatch],
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.PaymentMatchResultView]:
        """Match unhandled payments.

        Connects unhandled payments, which Billecta could not connect automatically, as given in
        ``matches``. Returns the result of each match.
        """
        return await self._request(
            "POST",
            "/v1/payments/matchpayments/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            body=list(matches),
            body_model=m.PaymentMatches,
            response=m.PaymentMatchResults,
            options=options,
        )

    @endpoint("GET", "/v1/payments/unhandledpayment/{id}", params={"id": "payment_public_id"})
    async def get_unhandled_payment(
        self, payment_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> m.UnhandledPayment:
        """Get unhandled payment.

        Returns the unhandled payment with this payment id. An unhandled payment is an incoming
        payment that cannot be connected to any invoice because its reference (OCR, invoice
        number, sender, ...) is unknown to Billecta; it can also be an overpayment connected to an
        invoice. Unhandled payments are handled with :meth:`match_payments`. Unlike
        :meth:`list_unhandled_payments` (state 'Unhandled' only), this returns the payment in any
        state (see ``UnhandledPaymentStateTypeView``).
        """
        return await self._request(
            "GET",
            "/v1/payments/unhandledpayment/{id}",
            path_params={"id": p.guid(payment_public_id, "payment_public_id")},
            response=m.UnhandledPayment,
            options=options,
        )

    @endpoint("GET", "/v1/payments/unhandledpayments/{id}", params={"id": "creditor_public_id"})
    async def list_unhandled_payments(
        self, creditor_public_id: p.Guid | None = None, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.UnhandledPayment]:
        """Get unhandled payments.

        Returns all unhandled payments: incoming payments that cannot be connected to any
        invoice because their reference (OCR, invoice number, sender, ...) is unknown to
        Billecta. Unhandled payments are handled with :meth:`match_payments`.

        The reference marks the creditor public id in the path as optional without saying what
        its absence means; read as "all creditors the user can access". Without
        ``creditor_public_id`` the path segment is left empty
        (``/v1/payments/unhandledpayments/``).
        """
        return await self._request(
            "GET",
            "/v1/payments/unhandledpayments/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id") or ""},
            response=m.UnhandledPayments,
            options=options,
        )

    @endpoint("POST", "/v1/payments/unhandledpayments", body="payment")
    async def create_unhandled_payment(
        self, payment: m.UnhandledPayment, **options: Unpack[RequestOptions]
    ) -> m.Created:
        """ONLY FOR TEST ENVIRONMENT - Create unhandled/over payment.

        Creates an unhandled payment or an overpayment. Only available in Billecta's test
        environment. Returns the id of the new payment.
        """
        return await self._request(
            "POST",
            "/v1/payments/unhandledpayments",
            body=payment,
            response=m.Created,
            options=options,
        )

    @endpoint(
        "DELETE",
        "/v1/payments/unhandledpayments",
        params={
            "paymentpublicid": "payment_public_id",
            "bookkeepingaccount": "bookkeeping_account",
            "transactiondate": "transaction_date",
        },
    )
    async def delete_unhandled_payment(
        self,
        payment_public_id: p.Guid,
        *,
        bookkeeping_account: str | None = None,
        transaction_date: datetime.date | None = None,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Delete unhandled payment.

        Removes the unhandled payment from Billecta and books it if needed, e.g. when it is for
        an invoice that was never created in Billecta. ``bookkeeping_account`` is the account
        used for balancing and ``transaction_date`` the date of the deletion/repayment (both
        optional).
        """
        await self._request(
            "DELETE",
            "/v1/payments/unhandledpayments",
            query=[
                ("paymentpublicid", p.guid(payment_public_id, "payment_public_id")),
                ("bookkeepingaccount", p.string(bookkeeping_account, "bookkeeping_account")),
                ("transactiondate", p.day(transaction_date, "transaction_date")),
            ],
            options=options,
        )

    # -- outgoing payments -----------------------------------------------------------------------

    @endpoint(
        "GET",
        "/v1/payments/outgoingpayments/{id}",
        params={"id": "creditor_public_id", "from": "from_date", "to": "to_date"},
    )
    async def list_outgoing_payment_statuses(
        self,
        creditor_public_id: p.Guid,
        from_date: datetime.date,
        to_date: datetime.date,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.OutgoingPaymentStatus]:
        """Get outgoing payment statuses (list of payments).

        Returns the status of all the creditor's outgoing payments created between
        ``from_date`` and ``to_date`` (creation dates, not the actual payment dates).

        The reference documents ``GET /v1/payments/outgoingpayments/{id}`` twice: with
        ``from``/``to`` and a creditor id (this method), and with only a payment id, which is
        :meth:`get_outgoing_payment_status`. The id means something different in each and the
        answers differ, hence two methods.
        """
        return await self._request(
            "GET",
            "/v1/payments/outgoingpayments/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("from", p.day(from_date, "from_date")),
                ("to", p.day(to_date, "to_date")),
            ],
            response=m.OutgoingPaymentStatuses,
            options=options,
        )

    @endpoint("GET", "/v1/payments/outgoingpayments/{id}", params={"id": "payment_public_id"})
    async def get_outgoing_payment_status(
        self, payment_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> m.OutgoingPaymentStatus:
        """Get outgoing payment status.

        Returns the status of a single outgoing payment. The same path with a creditor id and
        dates lists many: :meth:`list_outgoing_payment_statuses`.
        """
        return await self._request(
            "GET",
            "/v1/payments/outgoingpayments/{id}",
            path_params={"id": p.guid(payment_public_id, "payment_public_id")},
            response=m.OutgoingPaymentStatus,
            options=options,
        )

    @endpoint(
        "PUT",
        "/v1/payments/outgoingpayments/{id}",
        params={"id": "payment_public_id", "wassuccessful": "was_successful"},
    )
    async def set_outgoing_payment_status(
        self, payment_public_id: p.Guid, was_successful: bool, **options: Unpack[RequestOptions]
    ) -> None:
        """ONLY FOR TEST ENVIRONMENT - Mark outgoing payment as succeeded/failed.

        Sets the status of a single outgoing payment: succeeded when ``was_successful`` is true,
        failed otherwise. Only available in Billecta's test environment.
        """
        await self._request(
            "PUT",
            "/v1/payments/outgoingpayments/{id}",
            path_params={"id": p.guid(payment_public_id, "payment_public_id")},
            query=[("wassuccessful", p.boolean(was_successful, "was_successful"))],
            options=options,
        )

    @endpoint("POST", "/v1/payments/outgoingpayments", body="payment")
    async def create_outgoing_payment(
        self, payment: m.OutgoingPayment, **options: Unpack[RequestOptions]
    ) -> m.Created:
        """Create an outgoing payment.

        Creates a standalone outgoing payment from the creditor's bankgiro and returns its id.
        No bookkeeping is made for these payments (self invoices and supplier invoices are the
        alternative with bookkeeping). Follow its status with
        :meth:`get_outgoing_payment_status` or :meth:`list_outgoing_payment_statuses`, or in the
        Outgoingpayments report in the Portal.

        Optionally, for more security, validate the user and payment with a Mobile BankID sign
        first and pass that sign's ReferenceToken in ``BankIdReferenceToken``. Billecta support
        (support@billecta.com) can make a valid ``BankIdReferenceToken`` required for all
        outgoing payments; by default it is not.
        """
        return await self._request(
            "POST",
            "/v1/payments/outgoingpayments",
            body=payment,
            response=m.Created,
            options=options,
        )

    @endpoint(
        "DELETE", "/v1/payments/outgoingpayments/{id}", params={"id": "outgoing_payment_public_id"}
    )
    async def delete_outgoing_payment(
        self, outgoing_payment_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete an outgoing payment.

        Cancels a standalone outgoing payment (an API-only feature). Follow its status with
        :meth:`list_outgoing_payment_statuses`.
        """
        await self._request(
            "DELETE",
            "/v1/payments/outgoingpayments/{id}",
            path_params={"id": p.guid(outgoing_payment_public_id, "outgoing_payment_public_id")},
            options=options,
        )

    # -- Swish -----------------------------------------------------------------------------------

    @endpoint("GET", "/v1/payments/swish/{id}", params={"id": "token"})
    async def get_swish_payment_status(
        self, token: str, **options: Unpack[RequestOptions]
    ) -> m.SwishPaymentStatus:
        """Get Swish payment status.

        A payment request must first be created/initiated with :meth:`create_swish_payment`;
        ``token`` is the Swish payment token it returned.
        """
        return await self._request(
            "GET",
            "/v1/payments/swish/{id}",
            path_params={"id": p.ident(token, "token")},
            response=m.SwishPaymentStatus,
            options=options,
        )

    def iter_swish_payment_status(
        self,
        token: str,
        *,
        interval: float = _polling.DEFAULT_INTERVAL,
        timeout: float | None = _polling.DEFAULT_TIMEOUT,
    ) -> AsyncIterator[m.SwishPaymentStatus]:
        """Follow a Swish payment request: its statuses as they change, until final.

        Polls :meth:`get_swish_payment_status` every ``interval`` seconds (from the start of
        one poll to the next; Billecta: "each second is sufficient") and yields each status
        that differs from the previous answer. Billecta's guide: while the status is Created,
        keep polling; every other status (Paid, Declined, Error, Cancelled, ...) is the outcome,
        after which iteration ends. Raises :class:`~billecta_async.PollingTimeoutError` (with
        the last status) when nothing final has come ``timeout`` seconds after the first poll.
        Cancelling (e.g. ``anyio.move_on_after``) stops it at once, also mid-request.
        """
        p.ident(token, "token")
        return _polling.poll(
            lambda: self.get_swish_payment_status(token),
            is_final=_polling.swish_final,
            clock=self._transport.clock,
            what=f"Swish payment {token}",
            interval=interval,
            timeout=timeout,
        )

    async def wait_for_swish_payment(
        self,
        token: str,
        *,
        interval: float = _polling.DEFAULT_INTERVAL,
        timeout: float | None = _polling.DEFAULT_TIMEOUT,
    ) -> m.SwishPaymentStatus:
        """Wait for a Swish payment request to leave Created and return that status.

        Paid means the invoice is marked paid and the payment registered; any other outcome
        means no payment was made. See :meth:`iter_swish_payment_status`.
        """
        return await _polling.wait(
            self.iter_swish_payment_status(token, interval=interval, timeout=timeout)
        )

    @endpoint(
        "POST",
        "/v1/payments/swish/{id}",
        params={"id": "action_public_id", "phone": "phone", "message": "message"},
    )
    async def create_swish_payment(
        self,
        action_public_id: str,
        phone: str,
        *,
        message: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.Created:
        """Create Swish payment request.

        Starts a Swish payment of the invoice (``action_public_id``, the invoice action public id)
        and initiates the payment request in the Swish app on the payer's phone (``phone``).
        ``message`` (optional, at most 50 letters) is shown when the payment is completed. Returns
        a ``Created`` whose ``PublicId`` is read as the Swish payment token to poll
        :meth:`get_swish_payment_status` with (the reference: "use the returned token").

        A valid Swish certificate is needed for this to work in production
        (https://www.getswish.se/). In the test environment the phone number 46701234567 answers
        Declined, 46707654321 answers Error and any other number Paid.
        """
        message_text = p.string(message, "message")  # the type first: the bound takes len()
        if message_text is not None and len(message_text) > 50:
            raise p.ParameterError("message", message, "expected at most 50 letters")
        return await self._request(
            "POST",
            "/v1/payments/swish/{id}",
            path_params={"id": p.ident(action_public_id, "action_public_id")},
            query=[
                ("phone", p.ident(phone, "phone")),
                ("message", message_text),
            ],
            response=m.Created,
            options=options,
        )
