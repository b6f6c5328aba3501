"""Creditors: CreditorsResource (``client.creditors``)."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._pagination import DEFAULT_PAGE_SIZE, check_repeatable, paginate
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class CreditorsResource(Resource):
    """Creditors.

    Creditors are the base of all data relations in the API. A creditor is an invoices sender,
    self invoice sender, supplier invoice receivers, etc. It is the company that you represent.
    """

    # -- creditors -----------------------------------------------------------------------------

    @endpoint("GET", "/v1/creditors/creditor/{id}", params={"id": "creditor_public_id"})
    async def get(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> m.Creditor:
        """Get a creditor."""
        return await self._request(
            "GET",
            "/v1/creditors/creditor/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.Creditor,
            options=options,
        )

    @endpoint("PUT", "/v1/creditors/creditor", body="creditor")
    async def update(self, creditor: m.Creditor, **options: Unpack[RequestOptions]) -> None:
        """Update a creditor.

        The reference says nothing more; the creditor to update is the one whose
        ``CreditorPublicId`` is set on ``creditor``.
        """
        await self._request("PUT", "/v1/creditors/creditor", body=creditor, options=options)

    @endpoint("POST", "/v1/creditors/creditor", body="creditor")
    async def create(self, creditor: m.Creditor, **options: Unpack[RequestOptions]) -> m.Created:
        """Create a creditor. Returns the id of the new creditor."""
        return await self._request(
            "POST", "/v1/creditors/creditor", body=creditor, response=m.Created, options=options
        )

    @endpoint("DELETE", "/v1/creditors/creditor/{id}", params={"id": "creditor_public_id"})
    async def delete(self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]) -> None:
        """Delete a creditor.

        Bookkeeping regulations forbid deleting a creditor on which anything (an invoice,
        debtor, product, ...) has been created.
        """
        await self._request(
            "DELETE",
            "/v1/creditors/creditor/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/creditors/creditors",
        params={
            "offset": "offset",
            "limit": "limit",
            "sortingfield": "sorting_field",
            "asc": "ascending",
        },
    )
    async def list(
        self,
        *,
        offset: int | None = None,
        limit: int | None = None,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.Creditor]:
        """Get all creditors the current user has read access to, a page at a time.

        ``ascending`` defaults to true on Billecta's side.
        """
        return await self._request(
            "GET",
            "/v1/creditors/creditors",
            query=p.paging(offset, limit, sorting_field, ascending),
            response=m.Creditors,
            options=options,
        )

    def iter_all(
        self,
        *,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.Creditor]:
        """All creditors the current user has read access to, across all pages.

        Iterates over the items :meth:`list` returns, asking for ``page_size`` at a time (offsets 0,
        ``page_size``, ...) and stopping after a short or empty page. Takes the same filters and
        sorting as :meth:`list`.
        """
        check_repeatable(options)
        return paginate(
            lambda offset, limit: self.list(
                offset=offset,
                limit=limit,
                sorting_field=sorting_field,
                ascending=ascending,
                **options,
            ),
            page_size=page_size,
        )

    @endpoint("GET", "/v1/creditors/creditorsubs")
    async def list_subs(self, **options: Unpack[RequestOptions]) -> builtins.list[m.CreditorSub]:
        """Get creditors (subset of information).

        Returns a subset of the information of every creditor the current user has read access
        to (``CreditorSub``).
        """
        return await self._request(
            "GET", "/v1/creditors/creditorsubs", response=m.CreditorSubs, options=options
        )

    # -- invoice text templates ----------------------------------------------------------------

    @endpoint("GET", "/v1/creditors/creditortexttemplate/{id}", params={"id": "creditor_public_id"})
    async def list_text_templates(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.InvoiceTextTemplate]:
        """Get invoice text templates: the creditor's saved invoice text templates."""
        return await self._request(
            "GET",
            "/v1/creditors/creditortexttemplate/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.InvoiceTextTemplates,
            options=options,
        )

    @endpoint(
        "DELETE",
        "/v1/creditors/creditortexttemplate",
        params={
            "creditorpublicid": "creditor_public_id",
            "invoicetexttemplatepublicid": "invoice_text_template_public_id",
        },
    )
    async def delete_text_template(
        self,
        creditor_public_id: p.Guid,
        invoice_text_template_public_id: p.Guid,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Delete a saved invoice text template of the creditor."""
        await self._request(
            "DELETE",
            "/v1/creditors/creditortexttemplate",
            query=[
                ("creditorpublicid", p.guid(creditor_public_id, "creditor_public_id")),
                (
                    "invoicetexttemplatepublicid",
                    p.guid(invoice_text_template_public_id, "invoice_text_template_public_id"),
                ),
            ],
            options=options,
        )

    # -- sign-in token -------------------------------------------------------------------------

    @endpoint(
        "GET",
        "/v1/creditors/creditortoken/{id}",
        params={"id": "creditor_public_id", "username": "username"},
    )
    async def create_sign_in_token(
        self,
        creditor_public_id: p.Guid,
        *,
        username: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> m.CreditorToken:
        """Create a creditor single sign-in token.

        The token lets users of your site be signed in to the Billecta App without signing in
        again (seamless sign-in between your system and Billecta's). The call creates a key
        valid for one minute. ``username`` (optional) is the user to impersonate. Integrating
        with the Billecta App and setting the right access rights is arranged with
        support@billecta.com. (The endpoint is a GET although it creates the token.)
        """
        return await self._request(
            "GET",
            "/v1/creditors/creditortoken/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("username", p.ident(username, "username"))],
            response=m.CreditorToken,
            options=options,
        )

    # -- default configuration -----------------------------------------------------------------

    @endpoint("GET", "/v1/creditors/defaultactionconfig/{id}", params={"id": "creditor_public_id"})
    async def get_default_action_config(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> m.DefaultActionConfig:
        """Get the creditor's default configuration.

        The default configuration is a set of default values defined by you or the users. It is
        only a suggestion: when creating an invoice (or other data) take the values from it and
        send them with the invoice; they are not applied automatically.
        """
        return await self._request(
            "GET",
            "/v1/creditors/defaultactionconfig/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.DefaultActionConfig,
            options=options,
        )

    @endpoint("PUT", "/v1/creditors/defaultactionconfig", body="config")
    async def update_default_action_config(
        self, config: m.DefaultActionConfig, **options: Unpack[RequestOptions]
    ) -> None:
        """Update the creditor's default configuration (see :meth:`get_default_action_config`)."""
        await self._request(
            "PUT", "/v1/creditors/defaultactionconfig", body=config, options=options
        )

    # -- KYC -----------------------------------------------------------------------------------

    @endpoint("GET", "/v1/creditors/kyc/{id}", params={"id": "creditor_public_id"})
    async def get_kyc(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> m.CreditorKyc:
        """Get the creditor's KYC information.

        Returns the status of the KYC request; the request itself is made in the portal, in the
        company settings.
        """
        return await self._request(
            "GET",
            "/v1/creditors/kyc/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.CreditorKyc,
            options=options,
        )

    @endpoint("PUT", "/v1/creditors/kyc", body="kyc")
    async def update_kyc(self, kyc: m.CreditorKyc, **options: Unpack[RequestOptions]) -> None:
        """Create or update the creditor's KYC information.

        Signing with Mobile BankID is optional.
        """
        await self._request("PUT", "/v1/creditors/kyc", body=kyc, options=options)

    # -- shares --------------------------------------------------------------------------------

    @endpoint("GET", "/v1/creditors/shares")
    async def list_shared(
        self, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.CreditorShare]:
        """Get all creditors shared to the current API user."""
        return await self._request(
            "GET", "/v1/creditors/shares", response=m.CreditorShares, options=options
        )

    @endpoint("GET", "/v1/creditors/shares/{id}", params={"id": "creditor_public_id"})
    async def list_shares(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.CreditorShare]:
        """Get all shares on a creditor: the users/shares the creditor has been shared with."""
        return await self._request(
            "GET",
            "/v1/creditors/shares/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.CreditorShares,
            options=options,
        )

    @endpoint("PUT", "/v1/creditors/shares", body="share")
    async def update_share(self, share: m.CreditorShare, **options: Unpack[RequestOptions]) -> None:
        """Update a creditor share: the rights of an already existing share."""
        await self._request("PUT", "/v1/creditors/shares", body=share, options=options)

    @endpoint("POST", "/v1/creditors/shares", body="share")
    async def share(self, share: m.CreditorShare, **options: Unpack[RequestOptions]) -> None:
        """Share a creditor.

        Grants another Billecta user access to the creditor, with the rights you define; e.g.
        your bookkeeping firm, as long as it has a Billecta account. A more restrictive
        alternative (for the bookkeeping firm) is a user account for the firm in your own
        domain: the firm then needs one account per company it manages in Billecta. The
        reference documents no response.
        """
        await self._request("POST", "/v1/creditors/shares", body=share, options=options)

    @endpoint("DELETE", "/v1/creditors/shares/{id}", params={"id": "share_public_id"})
    async def unshare(self, share_public_id: p.Guid, **options: Unpack[RequestOptions]) -> None:
        """Unshare a creditor.

        Removes the share: every user granted access through it, directly or indirectly, loses
        access to the creditor.
        """
        await self._request(
            "DELETE",
            "/v1/creditors/shares/{id}",
            path_params={"id": p.guid(share_public_id, "share_public_id")},
            options=options,
        )
