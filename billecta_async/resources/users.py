"""Users: UsersResource (``client.users``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class UsersResource(Resource):
    """Users.

    Billecta's Users section.
    """
