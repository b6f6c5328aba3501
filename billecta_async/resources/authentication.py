"""Authentication: AuthenticationResource (``client.authentication``) and BankIdResource
(``client.bankid``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import _polling
from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class AuthenticationResource(Resource):
    """Authentication.

    SecureToken are created and revoked using the Authentication section. Please refer to the
    'Get started' documentation on how to use SecureToken signing.
    """

    @endpoint("DELETE", "/v1/authentication/apiauthenticate")
    async def delete_secure_token(self, **options: Unpack[RequestOptions]) -> None:
        """Delete current SecureToken.

        Deletes the authenticated user's SecureToken, which disables signing in with a
        SecureToken. Create a new one with :meth:`create_secure_token` to sign in with a
        SecureToken again.
        """
        await self._request("DELETE", "/v1/authentication/apiauthenticate", options=options)

    @endpoint("GET", "/v1/authentication/securetoken")
    async def get_secure_token(self, **options: Unpack[RequestOptions]) -> m.SecureTokenView:
        """Get current SecureToken: the authenticated user's current SecureToken."""
        return await self._request(
            "GET", "/v1/authentication/securetoken", response=m.SecureTokenView, options=options
        )

    @endpoint("POST", "/v1/authentication/securetoken/{id}", params={"id": "user_public_id"})
    async def create_secure_token(
        self, user_public_id: p.Guid | None = None, **options: Unpack[RequestOptions]
    ) -> m.SecureTokenView:
        """Create a new SecureToken.

        Creates a new SecureToken for the user and invalidates the old one: only one SecureToken
        can be active per user. Returns the new token.

        ``user_public_id`` is the user to create it for; the reference marks it optional ("if
        omitted current user will be used"). Without it the path segment is left empty
        (``/v1/authentication/securetoken/``), so the authenticated user gets the new token.
        """
        return await self._request(
            "POST",
            "/v1/authentication/securetoken/{id}",
            path_params={"id": p.guid(user_public_id, "user_public_id") or ""},
            response=m.SecureTokenView,
            options=options,
        )


class BankIdResource(Resource):
    """Mobile BankID authentication and signing (the /v1/bankid endpoints of the Authentication
    section).

    A request is created with :meth:`create_authentication_request`,
    :meth:`create_phone_authentication_request` or :meth:`create_sign_request`; its status is then
    polled with the ``ReferenceToken`` it returned. These need a valid BankID certificate to work
    in production. In the test environment the person numbers 19800113-9297 (Success after 10
    seconds), 19700123-9297 (Error after 10 seconds) and 19600106-2626 (NoClient after 2 seconds)
    can be used.
    """

    @endpoint("GET", "/v1/bankid/authentication/{id}", params={"id": "reference_token"})
    async def get_authentication_status(
        self, reference_token: p.Guid, **options: Unpack[RequestOptions]
    ) -> m.BankIdAuthenticationStatus:
        """Get Mobile BankID authentication status.

        ``reference_token`` is the ``ReferenceToken`` returned when the Mobile BankID request was
        created (:meth:`create_authentication_request`,
        :meth:`create_phone_authentication_request`). Needs a valid BankID certificate in
        production.
        """
        return await self._request(
            "GET",
            "/v1/bankid/authentication/{id}",
            path_params={"id": p.guid(reference_token, "reference_token")},
            response=m.BankIdAuthenticationStatus,
            options=options,
        )

    @endpoint("PUT", "/v1/bankid/authentication", body="request")
    async def create_authentication_request(
        self, request: m.BankIdAuthenticationRequest, **options: Unpack[RequestOptions]
    ) -> m.BankIdAuthenticationStatus:
        """Create Mobile BankID authentication request.

        Leave the person number (``SSN``) empty to authenticate on the user's current device.
        Returns the status, whose ``ReferenceToken`` is polled with
        :meth:`get_authentication_status`. Needs a valid BankID certificate in production; in the
        test environment 19800113-9297 answers Success after 10 s, 19700123-9297 Error after 10 s
        and 19600106-2626 NoClient after 2 seconds.
        """
        return await self._request(
            "PUT",
            "/v1/bankid/authentication",
            body=request,
            response=m.BankIdAuthenticationStatus,
            options=options,
        )

    @endpoint("POST", "/v1/bankid/phoneauthentication", body="request")
    async def create_phone_authentication_request(
        self, request: m.BankIdPhoneAuthenticationRequest, **options: Unpack[RequestOptions]
    ) -> m.BankIdAuthenticationStatus:
        """Create Mobile BankID Phone authentication request.

        Authenticates a user with BankID during a phone interaction (``CallInitiator`` says who
        called whom). Returns the status, whose ``ReferenceToken`` is polled with
        :meth:`get_authentication_status`. Needs a valid BankID certificate in production.
        """
        return await self._request(
            "POST",
            "/v1/bankid/phoneauthentication",
            body=request,
            response=m.BankIdAuthenticationStatus,
            options=options,
        )

    @endpoint("GET", "/v1/bankid/sign/{id}", params={"id": "reference_token"})
    async def get_sign_status(
        self, reference_token: p.Guid, **options: Unpack[RequestOptions]
    ) -> m.BankIdSignStatus:
        """Get Mobile BankID sign status.

        ``reference_token`` is the ``ReferenceToken`` returned by :meth:`create_sign_request`.
        Needs a valid BankID certificate in production.
        """
        return await self._request(
            "GET",
            "/v1/bankid/sign/{id}",
            path_params={"id": p.guid(reference_token, "reference_token")},
            response=m.BankIdSignStatus,
            options=options,
        )

    @endpoint("PUT", "/v1/bankid/sign", body="request")
    async def create_sign_request(
        self, request: m.BankIdSignRequest, **options: Unpack[RequestOptions]
    ) -> m.BankIdSignStatus:
        """Create Mobile BankID sign request.

        Leave ``SSN`` empty to sign on the user's current device. Returns the status, whose
        ``ReferenceToken`` is polled with :meth:`get_sign_status`. Needs a valid BankID
        certificate in production; in the test environment 19800113-9297 answers Success after
        10 seconds, 19700123-9297 Error after 10 seconds and 19600106-2626 NoClient after 2
        seconds.
        """
        return await self._request(
            "PUT", "/v1/bankid/sign", body=request, response=m.BankIdSignStatus, options=options
        )

    # -- polling -----------------------------------------------------------------------------

    def iter_authentication_status(
        self,
        reference_token: p.Guid,
        *,
        interval: float = _polling.DEFAULT_INTERVAL,
        timeout: float | None = _polling.DEFAULT_TIMEOUT,
    ) -> AsyncIterator[m.BankIdAuthenticationStatus]:
        """Follow a Mobile BankID authentication: its statuses as they change, until final.

        Polls :meth:`get_authentication_status` every ``interval`` seconds (measured from the
        start of one poll to the next; Billecta: "each second is sufficient") and yields each
        status that differs from the previous answer, so a new ``QR`` or ``HintCode`` is seen.
        Ends after a final status: Complete (authenticated), NoClient or Error (aborted or
        failed); OutstandingTransaction, Started, UserSign and UserReq are polled on. Raises
        :class:`~billecta_async.PollingTimeoutError` (with the last status) when nothing final
        has come ``timeout`` seconds after the first poll. Cancelling (e.g.
        ``anyio.move_on_after``) stops it at once, also mid-request.
        """
        token = p.guid(reference_token, "reference_token")
        return _polling.poll(
            lambda: self.get_authentication_status(reference_token),
            is_final=_polling.bankid_final,
            clock=self._transport.clock,
            what=f"BankID authentication {token}",
            interval=interval,
            timeout=timeout,
        )

    async def wait_for_authentication(
        self,
        reference_token: p.Guid,
        *,
        interval: float = _polling.DEFAULT_INTERVAL,
        timeout: float | None = _polling.DEFAULT_TIMEOUT,
    ) -> m.BankIdAuthenticationStatus:
        """Wait for a Mobile BankID authentication to finish and return its final status.

        Check ``status``: Complete means the user is authenticated (``Name``, ``SSN``,
        ``IpAddress`` etc. are filled in), NoClient or Error that it was aborted or failed.
        Polling, timeout and cancellation work as in :meth:`iter_authentication_status`.
        """
        return await _polling.wait(
            self.iter_authentication_status(reference_token, interval=interval, timeout=timeout)
        )

    def iter_sign_status(
        self,
        reference_token: p.Guid,
        *,
        interval: float = _polling.DEFAULT_INTERVAL,
        timeout: float | None = _polling.DEFAULT_TIMEOUT,
    ) -> AsyncIterator[m.BankIdSignStatus]:
        """Follow a Mobile BankID sign request: its statuses as they change, until final.

        Polls :meth:`get_sign_status` like :meth:`iter_authentication_status` polls an
        authentication: every ``interval`` seconds, yielding each changed status, ending after
        Complete, NoClient or Error, raising :class:`~billecta_async.PollingTimeoutError` after
        ``timeout`` seconds without a final status.
        """
        token = p.guid(reference_token, "reference_token")
        return _polling.poll(
            lambda: self.get_sign_status(reference_token),
            is_final=_polling.bankid_final,
            clock=self._transport.clock,
            what=f"BankID sign {token}",
            interval=interval,
            timeout=timeout,
        )

    async def wait_for_sign(
        self,
        reference_token: p.Guid,
        *,
        interval: float = _polling.DEFAULT_INTERVAL,
        timeout: float | None = _polling.DEFAULT_TIMEOUT,
    ) -> m.BankIdSignStatus:
        """Wait for a Mobile BankID sign request to finish and return its final status
        (Complete: signed; NoClient or Error: aborted or failed). See :meth:`iter_sign_status`.
        """
        return await _polling.wait(
            self.iter_sign_status(reference_token, interval=interval, timeout=timeout)
        )
