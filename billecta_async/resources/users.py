"""Users: UsersResource (``client.users``)."""

from __future__ import annotations

import builtins

from typing_extensions import Unpack

from billecta_async import _params as p
from billecta_async import models as m
from billecta_async._transport import RequestOptions
from billecta_async.resources._base import Resource, endpoint


class UsersResource(Resource):
    """Users.

    The users of your Billecta account (domain) and their rights.
    """

    @endpoint("PUT", "/v1/users/changepassword", body="password")
    async def change_password(
        self, password: m.Password, **options: Unpack[RequestOptions]
    ) -> None:
        """Update the password of the current user.

        Only the calling user's own password can be changed, never another user's.
        """
        await self._request("PUT", "/v1/users/changepassword", body=password, options=options)

    @endpoint("GET", "/v1/users/user/{id}", params={"id": "user_public_id"})
    async def get(self, user_public_id: p.Guid, **options: Unpack[RequestOptions]) -> m.User:
        """Get a user.

        Returns the user and the user's rights. Passwords are always removed from the response.
        ``LastLogin`` is when the user last accessed the Billecta API/portal; it cannot be set.
        """
        return await self._request(
            "GET",
            "/v1/users/user/{id}",
            path_params={"id": p.guid(user_public_id, "user_public_id")},
            response=m.User,
            options=options,
        )

    @endpoint("PUT", "/v1/users/user", body="user")
    async def update(self, user: m.User, **options: Unpack[RequestOptions]) -> None:
        """Update a user.

        ``UserPublicId`` must be set: it identifies the user to update.
        """
        await self._request("PUT", "/v1/users/user", body=user, options=options)

    @endpoint("POST", "/v1/users/user", body="user")
    async def create(self, user: m.User, **options: Unpack[RequestOptions]) -> m.Created:
        """Create a user.

        Billecta generates the ``UserPublicId``: it cannot be set and should be left unset.
        Returns the id of the new user.
        """
        return await self._request(
            "POST", "/v1/users/user", body=user, response=m.Created, options=options
        )

    @endpoint("DELETE", "/v1/users/user/{id}", params={"id": "user_public_id"})
    async def delete(self, user_public_id: p.Guid, **options: Unpack[RequestOptions]) -> None:
        """Delete a user."""
        await self._request(
            "DELETE",
            "/v1/users/user/{id}",
            path_params={"id": p.guid(user_public_id, "user_public_id")},
            options=options,
        )

    @endpoint("GET", "/v1/users/users")
    async def list(self, **options: Unpack[RequestOptions]) -> builtins.list[m.User]:
        """Get all users."""
        return await self._request("GET", "/v1/users/users", response=m.Users, options=options)
