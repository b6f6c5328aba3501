"""Authentication: AuthenticationResource (``client.authentication``)."""

from __future__ import annotations

from billecta_async.resources._base import Resource


class AuthenticationResource(Resource):
    """Authentication.

    SecureToken are created and revoked using the Authentication section. Please refer to the
    'Get started' documentation on how to use SecureToken signing.
    """


class BankIdResource(Resource):
    """Mobile BankID authentication and signing (the /v1/bankid endpoints of the Authentication
    section).
    """
