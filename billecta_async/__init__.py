"""billecta-async: an async-first Python SDK for the Billecta invoicing API.

    from billecta_async import BillectaClient
    from billecta_async.models import Debtor

    async with BillectaClient(secure_token=token, base_url=BillectaClient.TEST_URL) as client:
        created = await client.debtors.create(Debtor(creditor_public_id=cid, name="Jenny Doe"))

Models live in :mod:`billecta_async.models` (generated from Billecta's XSD); each one reads and
writes Billecta's JSON and XML. Every error is a :class:`BillectaError`.
"""

from typing import TYPE_CHECKING

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
from billecta_async._transport import PRODUCTION_URL, TEST_URL, Backoff, RequestOptions
from billecta_async._version import __version__
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

if TYPE_CHECKING:
    from billecta_async._sync import SyncBinaryResponse, SyncByteStream, SyncPaginator
    from billecta_async._sync_client import SyncBillectaClient

# The synchronous client loads on first use: async code never pays for its modules.
_SYNC = {
    "SyncBillectaClient": "billecta_async._sync_client",
    "SyncBinaryResponse": "billecta_async._sync",
    "SyncByteStream": "billecta_async._sync",
    "SyncPaginator": "billecta_async._sync",
}


def __getattr__(name: str) -> object:
    if name in _SYNC:
        import importlib

        return getattr(importlib.import_module(_SYNC[name]), name)
    raise AttributeError(f"module 'billecta_async' has no attribute {name!r}")


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
