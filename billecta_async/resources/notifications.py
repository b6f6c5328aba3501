"""Notifications: NotificationsResource (``client.notifications``)."""

from __future__ import annotations

import builtins

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class NotificationsResource(Resource):
    """Notifications.

    Email notifications to users: subscriptions on invoices.
    """

    @endpoint(
        "GET",
        "/v1/notifications/invoicesubscription",
        params={"userpublicid": "user_public_id"},
    )
    async def list_invoice_subscriptions(
        self, user_public_id: p.Guid, **options: Unpack[RequestOptions]
    ) -> builtins.list[m.UserSubscribedInvoice]:
        """Get all subscribed invoices: the invoices the user subscribes to."""
        return await self._request(
            "GET",
            "/v1/notifications/invoicesubscription",
            query=[("userpublicid", p.guid(user_public_id, "user_public_id"))],
            response=m.UserSubscribedInvoices,
            options=options,
        )

    @endpoint(
        "POST",
        "/v1/notifications/invoicesubscription",
        params={"userpublicid": "user_public_id", "actionpublicid": "action_public_id"},
    )
    async def subscribe_to_invoice(
        self, user_public_id: p.Guid, action_public_id: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Subscribe to an invoice.

        The user then receives an update by email, at the user's saved email address, each
        time the invoice changes.
        """
        await self._request(
            "POST",
            "/v1/notifications/invoicesubscription",
            query=[
                ("userpublicid", p.guid(user_public_id, "user_public_id")),
                ("actionpublicid", p.ident(action_public_id, "action_public_id")),
            ],
            options=options,
        )

    @endpoint(
        "DELETE",
        "/v1/notifications/invoicesubscription",
        params={"userpublicid": "user_public_id", "actionpublicid": "action_public_id"},
    )
    async def unsubscribe_from_invoice(
        self, user_public_id: p.Guid, action_public_id: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Remove the subscription on an invoice.

        The user no longer receives updates by email when the invoice changes.
        """
        await self._request(
            "DELETE",
            "/v1/notifications/invoicesubscription",
            query=[
                ("userpublicid", p.guid(user_public_id, "user_public_id")),
                ("actionpublicid", p.ident(action_public_id, "action_public_id")),
            ],
            options=options,
        )
