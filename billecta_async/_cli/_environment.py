"""The environment variables the command line reads: the one list, shown by each ``--help``.

Adding a variable to :meth:`BillectaClient.from_env <billecta_async.BillectaClient.from_env>`
is one line in :data:`CLIENT` (a test keeps the two in step).
"""

from __future__ import annotations

#: What ``BillectaClient.from_env`` reads: (name, what it sets).
CLIENT: tuple[tuple[str, str], ...] = (
    ("BILLECTA_SECURE_TOKEN", "SecureToken to sign in with (used before a username)"),
    ("BILLECTA_USERNAME", "username to sign in with, with BILLECTA_PASSWORD"),
    ("BILLECTA_PASSWORD", "password of BILLECTA_USERNAME"),
    ("BILLECTA_ENVIRONMENT", "'production' (the default) or 'test'"),
    ("BILLECTA_BASE_URL", "the API's URL; overrides BILLECTA_ENVIRONMENT"),
    ("BILLECTA_FORMAT", "'json' (the default) or 'xml'"),
    ("BILLECTA_MAX_RETRIES", "retries per call (default 2; 0 turns them off)"),
    ("BILLECTA_DEADLINE", "seconds for a whole call, retries included (see --deadline)"),
    ("BILLECTA_REDIS_URL", "Redis URL: share rate limits and error budget with other processes"),
)

#: What ``billecta demo`` reads: with credentials, it runs only where it is told to.
DEMO: tuple[tuple[str, str], ...] = (
    *(
        (name, "'test' or 'production': required with credentials (or BILLECTA_BASE_URL)")
        if name == "BILLECTA_ENVIRONMENT"
        else (name, meaning)
        for name, meaning in CLIENT
    ),
    ("BILLECTA_CREDITOR_PUBLIC_ID", "the creditor to work for (required with credentials)"),
)

#: What ``billecta call`` reads (with ``--emulator``, the credentials and URL are the emulator's).
CALL: tuple[tuple[str, str], ...] = (
    *CLIENT,
    (
        "BILLECTA_CREDITOR_PUBLIC_ID",
        "default --creditor-public-id, and CreditorPublicId of a body that has none",
    ),
)

#: Shown when a command reads credentials: what the command does without them.
CREDENTIAL_NAMES = ("BILLECTA_SECURE_TOKEN", "BILLECTA_USERNAME")


def describe(variables: tuple[tuple[str, str], ...]) -> str:
    """The ``environment variables:`` block of a ``--help`` epilog."""
    width = max(len(name) for name, _ in variables)
    lines = [f"  {name:<{width}}  {meaning}" for name, meaning in variables]
    return "environment variables:\n" + "\n".join(lines)
