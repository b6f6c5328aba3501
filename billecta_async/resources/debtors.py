"""Debtors: DebtorsResource (``client.debtors``)."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._pagination import DEFAULT_PAGE_SIZE, check_repeatable, paginate
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class DebtorsResource(Resource):
    """Debtors.

    Debtors in the system are equal to a creditor customer. Debtors can be both an individual or
    an organization. Use the same property OrgNo regardless if it is person/social security
    number or an organizational number.
    """

    # -- credit cards --------------------------------------------------------------------------

    @endpoint("GET", "/v1/debtors/addcreditcard/{id}", params={"id": "credit_card_add_public_id"})
    async def get_credit_card_intent(
        self, credit_card_add_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> m.CreditCardAdd:
        """Get an 'Add credit card' intent.

        Returns the intent created by :meth:`create_credit_card_intent`, to see its status.
        """
        return await self._request(
            "GET",
            "/v1/debtors/addcreditcard/{id}",
            path_params={"id": p.guid(credit_card_add_public_id, "credit_card_add_public_id")},
            response=m.CreditCardAdd,
            options=options,
        )

    @endpoint("POST", "/v1/debtors/addcreditcard", body="intent")
    async def create_credit_card_intent(
        self, intent: m.CreditCardAddIntent, **options: Unpack[RequestOptions]
    ) -> m.CreditCardAdd:
        """Create an intent to 'Add credit card' on a debtor.

        The flow follows all PCI requirements: your site never handles a card number. Create the
        intent, load the returned ``AddWindowUrl`` in an iframe; when the card has been added
        (or adding it failed) the iframe is redirected to the intent's ``SuccessUrl`` /
        ``FailureUrl`` on your site. Returns the intent (``CreditCardAdd``).
        """
        return await self._request(
            "POST",
            "/v1/debtors/addcreditcard",
            body=intent,
            response=m.CreditCardAdd,
            options=options,
        )

    @endpoint(
        "DELETE", "/v1/debtors/addcreditcard/{id}", params={"id": "credit_card_add_public_id"}
    )
    async def delete_credit_card(
        self, credit_card_add_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete a saved credit card on a debtor.

        The card is identified by the public id of the 'Add credit card' intent that saved it.
        """
        await self._request(
            "DELETE",
            "/v1/debtors/addcreditcard/{id}",
            path_params={"id": p.guid(credit_card_add_public_id, "credit_card_add_public_id")},
            options=options,
        )

    # -- categories ----------------------------------------------------------------------------

    @endpoint("POST", "/v1/debtors/adddebtorstocategory", body="request")
    async def add_many_to_category(
        self, request: m.AddMultipleDebtorsToCategoryRequest, **options: Unpack[RequestOptions]
    ) -> None:
        """Add debtors to a category.

        Adds several debtors (``DebtorPublicIds``) of a creditor to the category
        ``CategoryPublicId``.
        """
        await self._request(
            "POST", "/v1/debtors/adddebtorstocategory", body=request, options=options
        )

    @endpoint(
        "POST",
        "/v1/debtors/adddebtortocategory/{id}",
        params={
            "id": "creditor_public_id",
            "debtorpublicid": "debtor_public_id",
            "categorypublicid": "category_public_id",
        },
    )
    async def add_to_category(
        self,
        creditor_public_id: p.Guid,
        debtor_public_id: p.Guid,
        category_public_id: p.Guid,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Add a debtor to a category."""
        await self._request(
            "POST",
            "/v1/debtors/adddebtortocategory/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("debtorpublicid", p.guid(debtor_public_id, "debtor_public_id")),
                ("categorypublicid", p.guid(category_public_id, "category_public_id")),
            ],
            options=options,
        )

    @endpoint("GET", "/v1/debtors/debtorcategories/{id}", params={"id": "creditor_public_id"})
    async def list_categories(
        self, creditor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.DebtorCategory]:
        """Get all debtor categories of a creditor."""
        return await self._request(
            "GET",
            "/v1/debtors/debtorcategories/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            response=m.DebtorCategories,
            options=options,
        )

    @endpoint(
        "PUT",
        "/v1/debtors/debtorcategory/{id}",
        params={
            "id": "creditor_public_id",
            "name": "name",
            "categorypublicid": "category_public_id",
            "addcategorytoallcreditors": "add_category_to_all_creditors",
        },
    )
    async def update_category(
        self,
        creditor_public_id: p.Guid,
        name: str,
        *,
        category_public_id: p.Guid | None = None,
        add_category_to_all_creditors: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Create or update a debtor category.

        Without ``category_public_id`` (default null) a category named ``name`` is created;
        with it, that category is updated (renamed). ``add_category_to_all_creditors`` (default
        false) adds the category to all creditors. The reference documents no response, so the
        id of a new category is not returned (see :meth:`list_categories`).
        """
        await self._request(
            "PUT",
            "/v1/debtors/debtorcategory/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("name", p.string(name, "name")),
                ("categorypublicid", p.guid(category_public_id, "category_public_id")),
                (
                    "addcategorytoallcreditors",
                    p.boolean(add_category_to_all_creditors, "add_category_to_all_creditors"),
                ),
            ],
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/debtors/debtorsincategory/{id}",
        params={"id": "creditor_public_id", "categorypublicid": "category_id"},
    )
    async def list_in_category(
        self, creditor_public_id: p.Guid, category_id: int, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.Debtor]:
        """Get all debtors in a debtor category of a creditor.

        The reference's summary and description here read "Get all debtor categories for a
        creditor", but the endpoint answers with debtors (``Debtors``), so this method returns
        the debtors in the category. The reference documents ``categorypublicid`` as an ``int``
        ("Category Id"), unlike the GUID category public id of the other category endpoints;
        this method follows the reference and sends an integer.
        """
        return await self._request(
            "GET",
            "/v1/debtors/debtorsincategory/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("categorypublicid", p.integer(category_id, "category_id"))],
            response=m.Debtors,
            options=options,
        )

    @endpoint(
        "DELETE",
        "/v1/debtors/deletedebtorcategory/{id}",
        params={"id": "creditor_public_id", "categorypublicid": "category_public_id"},
    )
    async def delete_category(
        self,
        creditor_public_id: p.Guid,
        category_public_id: p.Guid,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Delete a debtor category."""
        await self._request(
            "DELETE",
            "/v1/debtors/deletedebtorcategory/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("categorypublicid", p.guid(category_public_id, "category_public_id"))],
            options=options,
        )

    @endpoint(
        "DELETE",
        "/v1/debtors/deletedebtorfromcategory/{id}",
        params={
            "id": "creditor_public_id",
            "debtorpublicid": "debtor_public_id",
            "categorypublicid": "category_public_id",
        },
    )
    async def remove_from_category(
        self,
        creditor_public_id: p.Guid,
        debtor_public_id: p.Guid,
        category_public_id: p.Guid,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Drop a debtor from a category.

        Deletes the relation between the debtor and the category (neither is deleted).
        """
        await self._request(
            "DELETE",
            "/v1/debtors/deletedebtorfromcategory/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("debtorpublicid", p.guid(debtor_public_id, "debtor_public_id")),
                ("categorypublicid", p.guid(category_public_id, "category_public_id")),
            ],
            options=options,
        )

    # -- single debtor -------------------------------------------------------------------------

    @endpoint("PUT", "/v1/debtors/anonymize/{id}", params={"id": "debtor_public_id"})
    async def anonymize(self, debtor_public_id: p.Guid, **options: Unpack[RequestOptions]) -> None:
        """Anonymize a debtor (GDPR).

        Removes all personal information about the debtor and inactivates it.
        """
        await self._request(
            "PUT",
            "/v1/debtors/anonymize/{id}",
            path_params={"id": p.guid(debtor_public_id, "debtor_public_id")},
            options=options,
        )

    @endpoint("GET", "/v1/debtors/autogiroapprovalxmls/{id}", params={"id": "debtor_public_id"})
    async def list_autogiro_approvals(
        self, debtor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.DebtorAutogiroApproval]:
        """Get the debtor's Autogiro approval XMLs.

        Returns all existing Autogiro approval XMLs of the debtor.
        """
        return await self._request(
            "GET",
            "/v1/debtors/autogiroapprovalxmls/{id}",
            path_params={"id": p.guid(debtor_public_id, "debtor_public_id")},
            response=m.DebtorAutogiroApprovals,
            options=options,
        )

    @endpoint("GET", "/v1/debtors/balances/{id}", params={"id": "debtor_public_id"})
    async def list_balances(
        self, debtor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.DebtorBalance]:
        """Get the debtor's balances (all of them)."""
        return await self._request(
            "GET",
            "/v1/debtors/balances/{id}",
            path_params={"id": p.guid(debtor_public_id, "debtor_public_id")},
            response=m.DebtorBalances,
            options=options,
        )

    @endpoint("GET", "/v1/debtors/debtor/{id}", params={"id": "debtor_public_id"})
    async def get(self, debtor_public_id: p.Guid, **options: Unpack[RequestOptions]) -> m.Debtor:
        """Get a debtor by its ``DebtorPublicId``."""
        return await self._request(
            "GET",
            "/v1/debtors/debtor/{id}",
            path_params={"id": p.guid(debtor_public_id, "debtor_public_id")},
            response=m.Debtor,
            options=options,
        )

    @endpoint("PUT", "/v1/debtors/debtor", body="debtor")
    async def update(self, debtor: m.Debtor, **options: Unpack[RequestOptions]) -> None:
        """Update a debtor.

        ``DebtorPublicId`` must be set: it identifies the debtor to update.
        ``CreditorPublicId`` says which creditor the debtor belongs to (creditors don't share
        data).
        """
        await self._request("PUT", "/v1/debtors/debtor", body=debtor, options=options)

    @endpoint("POST", "/v1/debtors/debtor", body="debtor")
    async def create(self, debtor: m.Debtor, **options: Unpack[RequestOptions]) -> m.Created:
        """Create a debtor.

        Billecta generates the ``DebtorPublicId``: it cannot be set and should be left unset.
        ``CreditorPublicId`` says under which creditor the debtor is created (creditors don't
        share data). Returns the id of the new debtor.
        """
        return await self._request(
            "POST", "/v1/debtors/debtor", body=debtor, response=m.Created, options=options
        )

    @endpoint("DELETE", "/v1/debtors/debtor/{id}", params={"id": "debtor_public_id"})
    async def delete(self, debtor_public_id: p.Guid, **options: Unpack[RequestOptions]) -> None:
        """Delete a debtor. A debtor used on any kind of invoice cannot be deleted."""
        await self._request(
            "DELETE",
            "/v1/debtors/debtor/{id}",
            path_params={"id": p.guid(debtor_public_id, "debtor_public_id")},
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/debtors/debtorbydebtorno/{id}",
        params={"id": "creditor_public_id", "debtorno": "debtor_no"},
    )
    async def get_by_debtor_no(
        self, creditor_public_id: p.Guid, debtor_no: str, **options: Unpack[RequestOptions]
    ) -> m.Debtor:
        """Get a debtor by its debtor number.

        The debtor number is unique per creditor.
        """
        return await self._request(
            "GET",
            "/v1/debtors/debtorbydebtorno/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[("debtorno", p.ident(debtor_no, "debtor_no"))],
            response=m.Debtor,
            options=options,
        )

    @endpoint("GET", "/v1/debtors/debtorevents/{id}", params={"id": "debtor_public_id"})
    async def list_events(
        self, debtor_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.DebtorEvent]:
        """Get debtor events: all events of the debtor."""
        return await self._request(
            "GET",
            "/v1/debtors/debtorevents/{id}",
            path_params={"id": p.guid(debtor_public_id, "debtor_public_id")},
            response=m.DebtorEvents,
            options=options,
        )

    # -- many debtors --------------------------------------------------------------------------

    @endpoint(
        "GET",
        "/v1/debtors/debtors/{id}",
        params={
            "id": "creditor_public_id",
            "offset": "offset",
            "limit": "limit",
            "sortingfield": "sorting_field",
            "asc": "ascending",
        },
    )
    @endpoint(
        "GET",
        "/v1/debtors/debtors/{id}",
        params={
            "id": "creditor_public_id",
            "filter": "filter",
            "offset": "offset",
            "limit": "limit",
            "sortingfield": "sorting_field",
            "asc": "ascending",
            "excludeinactive": "exclude_inactive",
            "categorypublicid": "category_public_id",
            "deliverymethod": "delivery_method",
        },
    )
    async def list(
        self,
        creditor_public_id: p.Guid,
        *,
        filter: str | None = None,
        offset: int | None = None,
        limit: int | None = None,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        exclude_inactive: bool | None = None,
        category_public_id: p.Guid | None = None,
        delivery_method: m.DeliveryMethodType | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.Debtor]:
        """Get all debtors of a creditor, a page at a time (``offset``, ``limit``).

        The reference documents this endpoint twice: once with only the paging and sorting
        parameters, and once with a required ``filter`` plus ``exclude_inactive`` (default
        false), ``category_public_id`` (default null) and ``delivery_method`` (default empty).
        Both are the same request, so one method covers both: without ``filter`` it sends the
        first form, with ``filter`` the second. ``exclude_inactive``, ``category_public_id``
        and ``delivery_method`` are documented only together with ``filter``; giving one of
        them without ``filter`` raises :class:`~billecta_async.ParameterError`.

        ``ascending`` defaults to true on Billecta's side. ``delivery_method`` is documented as
        a string; a :class:`~billecta_async.models.DeliveryMethodType` member is sent by its
        wire name.
        """
        if filter is None:
            extra = {
                "exclude_inactive": exclude_inactive,
                "category_public_id": category_public_id,
                "delivery_method": delivery_method,
            }
            for name, value in extra.items():
                if value is not None:
                    raise p.ParameterError(
                        name, value, "documented only together with filter; pass filter as well"
                    )
        method_text = (
            p.enum(delivery_method, m.DeliveryMethodType, "delivery_method")
            if isinstance(delivery_method, m.DeliveryMethodType)
            else p.string(delivery_method, "delivery_method")
        )
        return await self._request(
            "GET",
            "/v1/debtors/debtors/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("filter", p.string(filter, "filter")),
                *p.paging(offset, limit, sorting_field, ascending),
                ("excludeinactive", p.boolean(exclude_inactive, "exclude_inactive")),
                ("categorypublicid", p.guid(category_public_id, "category_public_id")),
                ("deliverymethod", method_text),
            ],
            response=m.Debtors,
            options=options,
        )

    def iter_all(
        self,
        creditor_public_id: p.Guid,
        *,
        filter: str | None = None,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        exclude_inactive: bool | None = None,
        category_public_id: p.Guid | None = None,
        delivery_method: m.DeliveryMethodType | str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.Debtor]:
        """All debtors of a creditor, across all pages.

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
                filter=filter,
                sorting_field=sorting_field,
                ascending=ascending,
                exclude_inactive=exclude_inactive,
                category_public_id=category_public_id,
                delivery_method=delivery_method,
                **options,
            ),
            page_size=page_size,
        )

    @endpoint("POST", "/v1/debtors/debtors", body="debtors")
    async def create_many(
        self, debtors: Sequence[m.Debtor], **options: Unpack[RequestOptions]
    ) -> None:
        """Create or update multiple debtors (import).

        A debtor with ``DebtorPublicId`` set updates that debtor; one without it is created.
        The reference documents no response.
        """
        await self._request(
            "POST",
            "/v1/debtors/debtors",
            body=list(debtors),
            body_model=m.Debtors,
            options=options,
        )

    @endpoint(
        "GET",
        "/v1/debtors/debtorsbyexternalid/{id}",
        params={
            "id": "creditor_public_id",
            "externalid": "external_id",
            "offset": "offset",
            "limit": "limit",
            "sortingfield": "sorting_field",
            "asc": "ascending",
        },
    )
    async def list_by_external_id(
        self,
        creditor_public_id: p.Guid,
        external_id: str,
        *,
        offset: int | None = None,
        limit: int | None = None,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.Debtor]:
        """Get debtors by their external id, a page at a time.

        The external id is a free text field of the debtor, e.g. your own system's customer id.
        ``ascending`` defaults to true on Billecta's side.
        """
        return await self._request(
            "GET",
            "/v1/debtors/debtorsbyexternalid/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("externalid", p.string(external_id, "external_id")),
                *p.paging(offset, limit, sorting_field, ascending),
            ],
            response=m.Debtors,
            options=options,
        )

    def iter_by_external_id(
        self,
        creditor_public_id: p.Guid,
        external_id: str,
        *,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.Debtor]:
        """Debtors by their external id, across all pages.

        Iterates over the items :meth:`list_by_external_id` returns, asking for ``page_size`` at a
        time (offsets 0, ``page_size``, ...) and stopping after a short or empty page. Takes the
        same filters and sorting as :meth:`list_by_external_id`.
        """
        check_repeatable(options)
        return paginate(
            lambda offset, limit: self.list_by_external_id(
                creditor_public_id,
                external_id,
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
        "/v1/debtors/debtorsbyorgno/{id}",
        params={
            "id": "creditor_public_id",
            "orgno": "org_no",
            "countrycode": "country_code",
            "offset": "offset",
            "limit": "limit",
            "sortingfield": "sorting_field",
            "asc": "ascending",
        },
    )
    async def list_by_org_no(
        self,
        creditor_public_id: p.Guid,
        org_no: str,
        country_code: str,
        *,
        offset: int | None = None,
        limit: int | None = None,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[m.Debtor]:
        """Get debtors by person or organisation number, a page at a time.

        ``country_code`` (ISO 3166-1 alpha-2, e.g. ``"SE"``) says which country's number format
        ``org_no`` is in; it is required. ``ascending`` defaults to true on Billecta's side.
        """
        return await self._request(
            "GET",
            "/v1/debtors/debtorsbyorgno/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            query=[
                ("orgno", p.string(org_no, "org_no")),
                ("countrycode", p.ident(country_code, "country_code")),
                *p.paging(offset, limit, sorting_field, ascending),
            ],
            response=m.Debtors,
            options=options,
        )

    def iter_by_org_no(
        self,
        creditor_public_id: p.Guid,
        org_no: str,
        country_code: str,
        *,
        sorting_field: str | None = None,
        ascending: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[m.Debtor]:
        """Debtors by person or organisation number, across all pages.

        Iterates over the items :meth:`list_by_org_no` returns, asking for ``page_size`` at a time
        (offsets 0, ``page_size``, ...) and stopping after a short or empty page. Takes the same
        filters and sorting as :meth:`list_by_org_no`.
        """
        check_repeatable(options)
        return paginate(
            lambda offset, limit: self.list_by_org_no(
                creditor_public_id,
                org_no,
                country_code,
                offset=offset,
                limit=limit,
                sorting_field=sorting_field,
                ascending=ascending,
                **options,
            ),
            page_size=page_size,
        )

    # -- Kivra ---------------------------------------------------------------------------------

    @endpoint(
        "POST",
        "/v1/debtors/matchdebtorswithkivra/{id}",
        params={"id": "creditor_public_id"},
        body="debtors",
    )
    async def match_with_kivra(
        self,
        creditor_public_id: p.Guid,
        debtors: m.DebtorsToMatchWithKivra,
        **options: Unpack[RequestOptions],
    ) -> m.DebtorsKivraStatus:
        """Check whether debtors have enabled Kivra.

        Checks a list of the creditor's debtors (``DebtorPublicIds``) for whether they can
        receive content from the creditor via Kivra. Returns the same debtors, each with a
        status saying whether the debtor has accepted to receive content in Kivra. Only Swedish
        personal identity numbers (SSN) are allowed in Kivra.
        """
        return await self._request(
            "POST",
            "/v1/debtors/matchdebtorswithkivra/{id}",
            path_params={"id": p.guid(creditor_public_id, "creditor_public_id")},
            body=debtors,
            response=m.DebtorsKivraStatus,
            options=options,
        )
