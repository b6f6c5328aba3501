"""billecta-async: an async-first Python SDK for the Billecta invoicing API.

    from billecta_async import BillectaClient
    from billecta_async.models import Debtor

    async with BillectaClient(secure_token=token, base_url=BillectaClient.TEST_URL) as client:
        created = await client.debtors.create(Debtor(creditor_public_id=cid, name="Jenny Doe"))

Models live in :mod:`billecta_async.models` (generated from Billecta's XSD); each one reads and
writes Billecta's JSON and XML. Every error is a :class:`BillectaError`.

The names below are loaded on first use: ``import billecta_async``, the models, the codecs and
webhook parsing do not load aiohttp, the client or the transport until something uses them, and
async code never loads the synchronous client.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

from billecta_async._version import __version__

# The public names and where they come from: what type checkers read. To export a name, import
# it here and list it in __all__; a name from a new module also needs the module in _MODULES.
if _typing.TYPE_CHECKING:
    from billecta_async._binary import BinaryResponse
    from billecta_async._client import BillectaClient
    from billecta_async._clock import Clock, ScaledClock, SystemClock
    from billecta_async._exceptions import (
        AlreadyProcessedError,
        APIStatusError,
        BadRequestError,
        BillectaError,
        DecodeError,
        DuplicateRequestError,
        EncodeError,
        ErrorBudgetExhaustedError,
        ForbiddenError,
        NotFoundError,
        ParameterError,
        PollingTimeoutError,
        RateLimitedError,
        RequestTimeoutError,
        ResponseTooLargeError,
        ServerError,
        TLSError,
        TransportError,
        UnauthorizedError,
        UnderlyingError,
        WebhookError,
    )
    from billecta_async._limits import (
        BILLECTA_RATE_LIMITS,
        ErrorBudget,
        ErrorBudgetLimits,
        InMemoryErrorBudget,
        InMemoryRateLimiter,
        Limit,
        Permit,
        RateLimiter,
        RateLimits,
    )
    from billecta_async._pagination import AsyncPaginator
    from billecta_async._params import Guid
    from billecta_async._streaming import ByteStream
    from billecta_async._sync import SyncBinaryResponse, SyncByteStream, SyncPaginator
    from billecta_async._sync_client import SyncBillectaClient
    from billecta_async._transport import PRODUCTION_URL, TEST_URL, Backoff, RequestOptions
    from billecta_async._wire import (
        STOCKHOLM,
        BillectaEnum,
        ListOf,
        Model,
        currency_decimals,
        format_datetime,
        from_json,
        from_xml,
        parse_datetime,
        to_json,
        to_xml,
    )

#: The modules the names above come from, in the order a name is looked up in at run time: the
#: light ones (no aiohttp) first, so that an error class or a codec never loads the client, and
#: the synchronous client last.
_MODULES = (
    "billecta_async._exceptions",
    "billecta_async._wire",
    "billecta_async._params",
    "billecta_async._pagination",
    "billecta_async._clock",
    "billecta_async._limits",
    "billecta_async._streaming",
    "billecta_async._binary",
    "billecta_async._transport",
    "billecta_async._client",
    "billecta_async._sync",
    "billecta_async._sync_client",
)

__all__ = [
    "BILLECTA_RATE_LIMITS",
    "PRODUCTION_URL",
    "STOCKHOLM",
    "TEST_URL",
    "APIStatusError",
    "AlreadyProcessedError",
    "AsyncPaginator",
    "Backoff",
    "BadRequestError",
    "BillectaClient",
    "BinaryResponse",
    "ByteStream",
    "BillectaEnum",
    "BillectaError",
    "Clock",
    "DecodeError",
    "DuplicateRequestError",
    "EncodeError",
    "ErrorBudget",
    "ErrorBudgetExhaustedError",
    "ErrorBudgetLimits",
    "ForbiddenError",
    "Guid",
    "InMemoryErrorBudget",
    "InMemoryRateLimiter",
    "Limit",
    "NotFoundError",
    "ParameterError",
    "Permit",
    "PollingTimeoutError",
    "RateLimitedError",
    "RateLimiter",
    "RateLimits",
    "RequestOptions",
    "RequestTimeoutError",
    "ResponseTooLargeError",
    "ScaledClock",
    "ServerError",
    "SyncBillectaClient",
    "SyncBinaryResponse",
    "SyncByteStream",
    "SyncPaginator",
    "SystemClock",
    "TLSError",
    "TransportError",
    "UnauthorizedError",
    "UnderlyingError",
    "WebhookError",
    "ListOf",
    "Model",
    "__version__",
    "currency_decimals",
    "format_datetime",
    "from_json",
    "from_xml",
    "parse_datetime",
    "to_json",
    "to_xml",
]

# Hidden from type checkers, which see the imports above: a misspelt name is a type error.
if not _typing.TYPE_CHECKING:
    _MISSING = object()

    def __getattr__(name: str) -> object:
        if name in __all__:
            for module_name in _MODULES:
                value = getattr(_importlib.import_module(module_name), name, _MISSING)
                if value is not _MISSING:
                    globals()[name] = value
                    return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
