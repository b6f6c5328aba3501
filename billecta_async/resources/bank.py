"""Bank: BankResource (``client.bank``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import _polling
from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class BankResource(Resource):
    """Bank.

    Retrieves the bank account numbers of a consumer (private person), who identifies with
    BankID at their bank. Supported banks (``BankAccountBankType``): Danske Bank (OEB),
    Handelsbanken (SHB), ICA (ICA), Länsförsäkringar (LFB), Nordea (NB), SEB (SEB), Skandia
    (SKB), Sparbanken Syd (SYD), Swedbank (FSPA) and Swedbank Sparbankerna (FSPASB).
    """

    @endpoint("GET", "/v1/bank/accounts/{id}", params={"id": "request_public_id"})
    async def get_account_retrieval_status(
        self, request_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> m.BankAccountRequest:
        """Get bank account numbers retrieval status.

        ``request_public_id`` is the id returned by :meth:`initiate_account_retrieval`. Once a
        retrieval is initiated, call this until the status is Success or Failed.

        Banks that require a QR code sign-in return a PNG image in ``QR``
        (``data:image/png;base64, iVBORw0KGgo...``) and a ``BankIdAutostartToken`` for launching
        the BankID app. So as not to miss a bank that demands a QR code or token, always show the
        QR code, or launch BankID with the ``BankIdAutostartToken``, whenever the response
        carries them.
        """
        return await self._request(
            "GET",
            "/v1/bank/accounts/{id}",
            path_params={"id": p.guid(request_public_id, "request_public_id")},
            response=m.BankAccountRequest,
            options=options,
        )

    @endpoint(
        "POST",
        "/v1/bank/accounts/{id}",
        params={
            "id": "creditor_public_id",
            "bank": "bank",
            "ssn": "ssn",
            "other_device": "other_device",
        },
    )
    async def initiate_account_retrieval(
        self,
        creditor_public_id: str,
        bank: m.BankAccountBankType,
        ssn: str,
        *,
        other_device: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.Created:
        """Initiating Bank Account Numbers Retrieval.

        Starts retrieving the bank account numbers of the person ``ssn`` at ``bank``, for the
        creditor ``creditor_public_id``. The person verifies their identity with BankID; the bank
        handles that itself, no separate BankID request is needed. Returns the id of the
        retrieval request, to poll :meth:`get_account_retrieval_status` with. In the test
        environment 19800113-9297 gives Success and 19700123-9297 Failed, after 10 seconds.

        Some banks return only one of an autostart token or a QR code, so Billecta needs to know
        whether the person authenticates on a mobile device. ``other_device`` true means a
        desktop (BankID signed from another device, e.g. a phone scanning the QR code), false the
        person's mobile device. The reference lists ``other_device`` without "optional" but says
        it may be unset or null, in which case Billecta uses the request's user agent; it is
        therefore optional here and left out of the query when ``None``. When neither says and
        only one method is returned, it is an autostart token.

        The reference types the creditor public id as a string, so it is sent as given (not
        checked to be a GUID).
        """
        return await self._request(
            "POST",
            "/v1/bank/accounts/{id}",
            path_params={"id": p.ident(creditor_public_id, "creditor_public_id")},
            query=[
                ("bank", p.enum(bank, m.BankAccountBankType, "bank")),
                ("ssn", p.ident(ssn, "ssn")),
                ("other_device", p.boolean(other_device, "other_device")),
            ],
            response=m.Created,
            options=options,
        )

    # -- polling -----------------------------------------------------------------------------

    def iter_account_retrieval_status(
        self,
        request_public_id: p.Guid,
        *,
        interval: float = _polling.DEFAULT_INTERVAL,
        timeout: float | None = _polling.DEFAULT_TIMEOUT,
    ) -> AsyncIterator[m.BankAccountRequest]:
        """Follow a bank account numbers retrieval: its statuses as they change, until final.

        Polls :meth:`get_account_retrieval_status` every ``interval`` seconds (from the start
        of one poll to the next; Billecta: "each second is sufficient") and yields each answer
        that differs from the previous one, so a new ``QR`` code or ``BankIdAutostartToken`` to
        show is seen as it comes. Ends after Success (``AccountNumbers`` filled in) or Failed;
        Waiting is polled on. Raises :class:`~billecta_async.PollingTimeoutError` (with the last
        status) when nothing final has come ``timeout`` seconds after the first poll. Cancelling
        (e.g. ``anyio.move_on_after``) stops it at once, also mid-request.
        """
        request_id = p.guid(request_public_id, "request_public_id")
        return _polling.poll(
            lambda: self.get_account_retrieval_status(request_public_id),
            is_final=_polling.bank_account_final,
            clock=self._transport.clock,
            what=f"bank account retrieval {request_id}",
            interval=interval,
            timeout=timeout,
        )

    async def wait_for_account_retrieval(
        self,
        request_public_id: p.Guid,
        *,
        interval: float = _polling.DEFAULT_INTERVAL,
        timeout: float | None = _polling.DEFAULT_TIMEOUT,
    ) -> m.BankAccountRequest:
        """Wait for a bank account numbers retrieval to finish and return its final status
        (Success, with the ``AccountNumbers``, or Failed, with ``FailureMessage``). Use
        :meth:`iter_account_retrieval_status` to show QR codes while waiting.
        """
        return await _polling.wait(
            self.iter_account_retrieval_status(
                request_public_id, interval=interval, timeout=timeout
            )
        )
