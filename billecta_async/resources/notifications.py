"""Notifications: NotificationsResource (``client.notifications``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class NotificationsResource(Resource):
    """Notifications.

    Billecta's Notifications section.
    """
